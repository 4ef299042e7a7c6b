//! The clinic row and user accounts.

use crate::db::{params, OptionalExtension, Row};
use crate::{Result, StoreError, Tx};
use dermis_core::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicRow {
    pub name: String,
    pub address: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub active: bool,
}

fn roles_to_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn roles_from_text(s: &str) -> Vec<Role> {
    s.split(',').filter_map(Role::parse).collect()
}

fn user_from_row(r: &Row) -> Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        password_hash: r.get(3)?,
        roles: roles_from_text(&r.get::<String>(4)?),
        active: r.get(5)?,
    })
}

const USER_COLUMNS: &str = "id, username, display_name, password_hash, roles, active";

/// The same on the clinic server, where only the admin may read the hash
/// column: the hash comes through `dermis_password_hash()` (migration 0006),
/// which gives a connection its own account's hash and no other (empty).
const PG_USER_COLUMNS: &str =
    "id, username, display_name, coalesce(dermis_password_hash(id), '') AS password_hash, roles, active";

/// The account columns for this backend (see [`PG_USER_COLUMNS`]).
pub(crate) fn user_columns(conn: &crate::db::Db) -> &'static str {
    if conn.is_pg() {
        PG_USER_COLUMNS
    } else {
        USER_COLUMNS
    }
}

impl Tx<'_> {
    pub fn clinic(&self) -> Result<Option<ClinicRow>> {
        self.conn
            .query_row(
                "SELECT name, address, phone FROM clinic WHERE id = 1",
                (),
                |r| {
                    Ok(ClinicRow {
                        name: r.get(0)?,
                        address: r.get(1)?,
                        phone: r.get(2)?,
                    })
                },
            )
            .optional()
    }

    /// Creates the clinic row; a second clinic is a conflict.
    pub fn insert_clinic(&self, clinic: &ClinicRow, now: &str) -> Result<()> {
        if self.clinic()?.is_some() {
            return Err(StoreError::Conflict(
                "This database already has a clinic.".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO clinic (id, name, address, phone, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
            params![clinic.name, clinic.address, clinic.phone, now],
        )?;
        Ok(())
    }

    pub fn insert_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        roles: &[Role],
        now: &str,
    ) -> Result<UserRow> {
        if self.user_by_username(username)?.is_some() {
            return Err(StoreError::Conflict(format!(
                "The user name \"{username}\" is taken."
            )));
        }
        self.conn.execute(
            "INSERT INTO users (username, display_name, password_hash, roles, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![username, display_name, password_hash, roles_to_text(roles), now],
        )?;
        let id = self.conn.last_insert_rowid()?;
        self.user(id)?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
    }

    pub fn user(&self, id: i64) -> Result<Option<UserRow>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {} FROM users WHERE id = ?1",
                    user_columns(&self.conn)
                ),
                [id],
                user_from_row,
            )
            .optional()
    }

    /// Case-insensitive lookup by login name.
    pub fn user_by_username(&self, username: &str) -> Result<Option<UserRow>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {} FROM users WHERE username = ?1",
                    user_columns(&self.conn)
                ),
                [username],
                user_from_row,
            )
            .optional()
    }

    pub fn set_user_active(&self, id: i64, active: bool) -> Result<()> {
        self.conn.execute(
            "UPDATE users SET active = ?2 WHERE id = ?1",
            params![id, active],
        )?;
        Ok(())
    }

    pub fn set_password_hash(&self, id: i64, hash: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![id, hash],
        )?;
        Ok(())
    }

    pub fn count_users(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM users", (), |r| r.get(0))
    }
}
