//! Dermis persistence. The only crate that contains SQL.
//!
//! A [`Store`] is one open SQLite database with the pragmas of ARCHITECTURE.md
//! and the schema migrated to the latest version. Every read and write goes
//! through [`Store::read`] or [`Store::write`], which hand a [`Tx`] to a closure
//! inside one transaction: a multi-step change is all or nothing.

mod audit;
mod backup;
mod clinical;
mod columns;
mod desk;
mod error;
mod files;
mod migrations;
mod patients;
mod sessions;
mod users;

pub use audit::{AuditEntry, AuditRow};
pub use backup::{
    backup_file, backups_dir, inspect as inspect_backup, photos_dir_of_backup, prune_auto_backups,
    BackupInfo,
};
pub use clinical::{AftercareText, PlanRules};
pub use desk::{AuditQuery, ClinicDetailsRow, DocumentRow};
pub use error::StoreError;
pub use files::{photo_path, photos_dir, put_atomic, thumb_path};
pub use migrations::SCHEMA_VERSION;
pub use sessions::NewPhoto;
pub use users::{ClinicRow, UserRow};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One open Dermis database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

/// A transaction in progress: the repositories hang off this.
pub struct Tx<'c> {
    conn: &'c Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, sets the pragmas and
    /// migrates the schema to the latest version.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| StoreError::Io {
                    path: parent.to_path_buf(),
                    source: e,
                })?;
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)?;
        Self::init(conn, Some(path.to_path_buf()))
    }

    /// A private database in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        // busy_timeout first: the journal-mode switch itself can meet a lock.
        conn.busy_timeout(std::time::Duration::from_millis(5000))?;
        if path.is_some() {
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Internal(format!(
                    "the database could not switch to WAL mode (it reports {mode})"
                )));
            }
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if let Some(p) = &path {
            if found > 0 && found < SCHEMA_VERSION {
                // A copy of the data as it was, before the schema changes under it.
                let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
                let dest = backup::backups_dir(p)
                    .join(format!("dermis-before-migration-v{found}-{stamp}.db"));
                backup::copy_verified(&conn, &dest, found, Some(&files::photos_dir(p)))?;
            }
        }
        migrations::migrate(&mut conn)?;
        Ok(Store { conn, path })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` in a read transaction.
    pub fn read<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in a write transaction (taken at once, so two writers queue
    /// instead of failing half-way); rolled back if `f` fails.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// The pragma values in force, for tests and diagnostics.
    pub fn pragmas(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for p in [
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "busy_timeout",
        ] {
            let v: rusqlite::types::Value =
                self.conn
                    .query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))?;
            let v = match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            };
            out.push((p.to_string(), v));
        }
        Ok(out)
    }

    /// The schema version stored in the database file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}
