//! The append-only audit log. Each entry's hash covers its fields and the
//! previous entry's hash, so editing or removing an entry breaks the chain.

use crate::{Result, Tx};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

/// What happened, by whom, to what. `detail` is JSON and never holds clinical
/// content or passwords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub detail: String,
}

/// A stored audit entry with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash the chain starts from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_hash(prev_hash: &str, e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &e.at,
        &e.user_id.map(|i| i.to_string()).unwrap_or_default(),
        &e.username,
        &e.action,
        &e.entity,
        &e.entity_id,
        &e.detail,
    ] {
        // Length-prefixed so no two different entries hash the same bytes.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The columns `AUDIT_ROW_COLUMNS` of one entry.
pub(crate) fn audit_row(r: &rusqlite::Row) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        entry: AuditEntry {
            at: r.get(1)?,
            user_id: r.get(2)?,
            username: r.get(3)?,
            action: r.get(4)?,
            entity: r.get(5)?,
            entity_id: r.get(6)?,
            detail: r.get(7)?,
        },
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

/// The columns [`audit_row`] reads, in its order.
pub(crate) const AUDIT_ROW_COLUMNS: &str =
    "id, at, user_id, username, action, entity, entity_id, detail, prev_hash, hash";

impl Tx<'_> {
    /// Appends `entry` to the chain, in the caller's transaction.
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        let prev: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let prev = prev.unwrap_or_else(|| GENESIS_HASH.to_string());
        let hash = entry_hash(&prev, entry);
        self.conn.execute(
            "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, detail, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                entry.at,
                entry.user_id,
                entry.username,
                entry.action,
                entry.entity,
                entry.entity_id,
                entry.detail,
                prev,
                hash
            ],
        )?;
        Ok(())
    }

    /// How many `action` entries `username` has at or after `since` (RFC 3339).
    pub fn count_audit_since(&self, username: &str, action: &str, since: &str) -> Result<i64> {
        Ok(self.conn.prepare_cached(
            "SELECT count(*) FROM audit_log WHERE username = ?1 COLLATE NOCASE AND action = ?2 AND at >= ?3",
        )?
        .query_row(params![username, action, since], |r| r.get(0))?)
    }

    /// The newest `limit` entries, newest first.
    pub fn recent_audit(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT at, user_id, username, action, entity, entity_id, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                user_id: r.get(1)?,
                username: r.get(2)?,
                action: r.get(3)?,
                entity: r.get(4)?,
                entity_id: r.get(5)?,
                detail: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every entry with its id, hash and the hash before it, oldest first.
    pub fn audit_rows(&self) -> Result<Vec<AuditRow>> {
        let mut st = self.conn.prepare(
            "SELECT id, at, user_id, username, action, entity, entity_id, detail, prev_hash, hash FROM audit_log ORDER BY id",
        )?;
        let rows = st.query_map([], audit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Walks the chain; returns the id of the first entry whose hash does not
    /// match, or `None` when the whole log is intact.
    pub fn verify_audit_chain(&self) -> Result<Option<i64>> {
        verify_chain(self.conn)
    }
}

/// Walks the chain of the audit log in `conn` (the live database, or a file
/// being checked before a restore); the id of the first entry whose hash
/// does not match, or `None` when the whole log is intact.
pub(crate) fn verify_chain(conn: &rusqlite::Connection) -> Result<Option<i64>> {
    let mut st = conn.prepare(
        "SELECT id, at, user_id, username, action, entity, entity_id, detail, prev_hash, hash FROM audit_log ORDER BY id",
    )?;
    let mut rows = st.query([])?;
    let mut prev = GENESIS_HASH.to_string();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let e = AuditEntry {
            at: r.get(1)?,
            user_id: r.get(2)?,
            username: r.get(3)?,
            action: r.get(4)?,
            entity: r.get(5)?,
            entity_id: r.get(6)?,
            detail: r.get(7)?,
        };
        let stored_prev: String = r.get(8)?;
        let stored_hash: String = r.get(9)?;
        if stored_prev != prev || entry_hash(&prev, &e) != stored_hash {
            return Ok(Some(id));
        }
        prev = stored_hash;
    }
    Ok(None)
}
