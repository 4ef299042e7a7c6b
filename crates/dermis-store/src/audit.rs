//! The append-only audit log. Each entry's hash covers its fields and the
//! previous entry's hash, so editing or removing an entry breaks the chain.
//!
//! Why it is keyed: a plain SHA-256 chain can be recomputed by anyone holding
//! the database file, so rewriting entries and re-chaining them went unnoticed.
//! Since migration 0004 every new entry's hash is an HMAC-SHA-256 with the
//! clinic's secret key, which lives outside the database (dermis-clinic keeps
//! it; see its `audit_key` module). Entries written before the migration keep
//! their unkeyed hash (`chain = 1`; nothing is rewritten) and the first keyed
//! entry's MAC covers the last unkeyed hash, so the old entries are sealed too.
//! An unkeyed entry after a keyed one is refused as a forgery.
//!
//! A chain alone cannot show that its newest entries were cut off, or that
//! the whole log was wiped: [`ChainCheck`] therefore reports the count and the
//! head, which the clinic compares with the anchor it keeps outside the
//! database (and with the head printed on paper by `dermis audit checkpoint`).

use crate::db::{params, params_from_iter, Db, OptionalExtension, Row};
use crate::{Result, Tx};
use hmac::{Hmac, Mac};
use rusqlite::Connection;
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

/// The unkeyed formula of the entries written before migration 0004.
pub const CHAIN_UNKEYED: i64 = 1;
/// HMAC-SHA-256 with the clinic's key.
pub const CHAIN_KEYED: i64 = 2;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds the entry to `update`, length-prefixed so no two different entries
/// give the same bytes.
fn feed(prev_hash: &str, e: &AuditEntry, mut update: impl FnMut(&[u8])) {
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
        update(&(part.len() as u64).to_le_bytes());
        update(part.as_bytes());
    }
}

fn entry_hash(prev_hash: &str, e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    feed(prev_hash, e, |b| h.update(b));
    hex(&h.finalize())
}

fn keyed_hash(key: &[u8], prev_hash: &str, e: &AuditEntry) -> String {
    // HMAC takes a key of any length; the error is unreachable but not unwrapped.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            feed(prev_hash, e, |b| m.update(b));
            hex(&m.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// What walking a chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    /// How many entries the log holds.
    pub count: i64,
    /// The newest entry's hash ([`GENESIS_HASH`] for an empty log).
    pub head: String,
    /// The first entry whose hash, link or formula is wrong.
    pub first_bad: Option<i64>,
    /// How many entries are keyed (the rest predate the keyed chain).
    pub keyed: i64,
}

/// The entry count and head hash of the log in `conn`, without checking it.
pub fn chain_head(conn: &Connection) -> Result<(i64, String)> {
    chain_head_db(&Db::Sqlite(conn))
}

pub(crate) fn chain_head_db(conn: &Db) -> Result<(i64, String)> {
    let count: i64 = conn.query_row("SELECT count(*) FROM audit_log", (), |r| r.get(0))?;
    let head: Option<String> = conn
        .query_row(
            "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
            (),
            |r| r.get(0),
        )
        .optional()?;
    Ok((count, head.unwrap_or_else(|| GENESIS_HASH.to_string())))
}

fn open_read_only(path: &std::path::Path) -> Result<Connection> {
    Ok(Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?)
}

/// [`chain_head`] of a database file (a backup just written).
pub fn audit_head_of_file(path: &std::path::Path) -> Result<(i64, String)> {
    chain_head(&open_read_only(path)?)
}

/// [`chain_head`] of a database file encrypted with `key` (a backup of an encrypted clinic).
pub fn audit_head_of_file_keyed(
    path: &std::path::Path,
    key: Option<&crate::cipher::CipherKey>,
) -> Result<(i64, String)> {
    chain_head(&crate::cipher::open_with(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )?)
}

/// [`verify_chain`] of a database file (a backup about to be restored).
pub fn verify_chain_of_file(path: &std::path::Path, key: &[u8]) -> Result<ChainCheck> {
    verify_chain(&open_read_only(path)?, key)
}

/// Walks the whole chain of the database `conn` (the clinic's own, or a
/// backup being restored) with the clinic's `key`. Unkeyed entries are
/// checked with the old formula and only before the first keyed one.
pub fn verify_chain(conn: &Connection, key: &[u8]) -> Result<ChainCheck> {
    verify_chain_db(&Db::Sqlite(conn), key)
}

pub(crate) fn verify_chain_db(conn: &Db, key: &[u8]) -> Result<ChainCheck> {
    // A database from before migration 0004 has no `chain` column: all unkeyed.
    // (The PostgreSQL schema starts at the keyed chain.)
    let has_chain: bool = conn.is_pg()
        || conn.query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('audit_log') WHERE name = 'chain'",
            (),
            |r| r.get(0),
        )?;
    let chain_col = if has_chain { "chain" } else { "1" };
    let mut st = conn.prepare(&format!(
        "SELECT {AUDIT_ROW_COLUMNS}, {chain_col} FROM audit_log ORDER BY id"
    ))?;
    let mut rows = st.query(())?;
    let mut prev = GENESIS_HASH.to_string();
    let mut check = ChainCheck {
        count: 0,
        head: prev.clone(),
        first_bad: None,
        keyed: 0,
    };
    while let Some(r) = rows.next()? {
        let row = audit_row(r)?;
        let chain: i64 = r.get(10)?;
        check.count += 1;
        if check.first_bad.is_none() {
            let expected = match chain {
                CHAIN_UNKEYED if check.keyed == 0 => entry_hash(&prev, &row.entry),
                CHAIN_KEYED => keyed_hash(key, &prev, &row.entry),
                // An unkeyed entry after a keyed one, or an unknown formula.
                _ => String::new(),
            };
            if chain == CHAIN_KEYED {
                check.keyed += 1;
            }
            if row.prev_hash != prev || expected.is_empty() || expected != row.hash {
                check.first_bad = Some(row.id);
            }
        }
        prev = row.hash;
    }
    check.head = prev;
    Ok(check)
}

/// The columns `AUDIT_ROW_COLUMNS` of one entry.
pub(crate) fn audit_row(r: &Row) -> Result<AuditRow> {
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
    /// Keyed when the store has the clinic's key (always, once dermis-clinic
    /// opened it); a store without one (store tests) writes the old formula.
    ///
    /// On PostgreSQL the chain is appended under the clinic's writer lock
    /// (`pg_advisory_xact_lock`, see `pg.rs`), taken again here (a no-op when
    /// the transaction holds it) so that two PCs never read the same head and
    /// fork the chain. An advisory lock, not `LOCK TABLE`: that needs UPDATE
    /// or DELETE rights on `audit_log`, which no app role has.
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        if self.conn.is_pg() {
            crate::pg::take_writer_lock(&self.conn)?;
        }
        let prev: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
                (),
                |r| r.get(0),
            )
            .optional()?;
        let prev = prev.unwrap_or_else(|| GENESIS_HASH.to_string());
        let (hash, chain) = match self.audit_key {
            Some(key) => (keyed_hash(key, &prev, entry), CHAIN_KEYED),
            None => (entry_hash(&prev, entry), CHAIN_UNKEYED),
        };
        self.conn.execute(
            "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, detail, prev_hash, hash, chain)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                entry.at,
                entry.user_id,
                entry.username,
                entry.action,
                entry.entity,
                entry.entity_id,
                entry.detail,
                prev,
                hash,
                chain
            ],
        )?;
        Ok(())
    }

    /// How many `action` entries `username` has at or after `since` (RFC 3339).
    pub fn count_audit_since(&self, username: &str, action: &str, since: &str) -> Result<i64> {
        self.conn.prepare_cached(
            "SELECT count(*) FROM audit_log WHERE username = ?1 COLLATE NOCASE AND action = ?2 AND at >= ?3",
        )?
        .query_row(params![username, action, since], |r| r.get(0))
    }

    /// How many `action` entries about `entity` `entity_id` are at or after `since`.
    pub fn count_audit_for_since(
        &self,
        entity: &str,
        entity_id: &str,
        action: &str,
        since: &str,
    ) -> Result<i64> {
        self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM audit_log WHERE action = ?1 AND entity = ?2 AND entity_id = ?3 AND at >= ?4",
            )?
            .query_row(params![action, entity, entity_id, since], |r| r.get(0))
    }

    /// Who last changed `entity` `entity_id` and when, as (username, at):
    /// the newest audit entry about it whose action is one of `actions`
    /// (changes only: a read is audited too, and must not be named). A
    /// version conflict names them (issue 16).
    pub fn last_change_of(
        &self,
        entity: &str,
        entity_id: &str,
        actions: &[&str],
    ) -> Result<Option<(String, String)>> {
        if actions.is_empty() {
            return Ok(None);
        }
        let list: Vec<String> = (0..actions.len()).map(|i| format!("?{}", i + 3)).collect();
        let sql = format!(
            "SELECT username, at FROM audit_log WHERE entity = ?1 AND entity_id = ?2 \
             AND action IN ({}) ORDER BY id DESC LIMIT 1",
            list.join(", ")
        );
        let mut values = params![entity, entity_id];
        values.extend(params_from_iter(actions.iter().copied()));
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(values, |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows
            .collect::<Result<Vec<(String, String)>>>()?
            .into_iter()
            .next())
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
        rows.collect::<Result<_>>()
    }

    /// Every entry with its id, hash and the hash before it, oldest first.
    pub fn audit_rows(&self) -> Result<Vec<AuditRow>> {
        let mut st = self.conn.prepare(
            "SELECT id, at, user_id, username, action, entity, entity_id, detail, prev_hash, hash FROM audit_log ORDER BY id",
        )?;
        let rows = st.query_map((), audit_row)?;
        rows.collect::<Result<_>>()
    }

    /// Walks the chain; returns the id of the first entry whose hash does not
    /// match, or `None` when the whole log is intact (with the store's key;
    /// without one only an unkeyed log can pass).
    pub fn verify_audit_chain(&self) -> Result<Option<i64>> {
        Ok(self.audit_chain_check()?.first_bad)
    }

    /// The whole check: count, head and the first bad entry.
    pub fn audit_chain_check(&self) -> Result<ChainCheck> {
        verify_chain_db(&self.conn, self.audit_key.unwrap_or_default())
    }

    /// The hash of the `n`th entry (1-based, in id order), if the log has that many.
    pub fn audit_hash_at(&self, n: i64) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT hash FROM audit_log ORDER BY id LIMIT 1 OFFSET ?1",
                [n - 1],
                |r| r.get(0),
            )
            .optional()
    }

    /// The ids and details of the entries with `action`, oldest first.
    pub fn audit_details_of(&self, action: &str) -> Result<Vec<(i64, String)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, detail FROM audit_log WHERE action = ?1 ORDER BY id")?;
        let rows = st.query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_>>()
    }

    /// The count and head of the log, unchecked.
    pub fn audit_head(&self) -> Result<(i64, String)> {
        chain_head_db(&self.conn)
    }
}
