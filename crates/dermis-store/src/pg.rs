//! The clinic server: a Dermis database on PostgreSQL.
//!
//! What differs from the SQLite file, and why:
//!
//! - **Schema** comes from `migrations-pg/`, a numbered, forward-only set of
//!   its own (tracked in `dermis_migrations`), that mirrors the SQLite schema
//!   table for table (see `0001_schema.sql`). The queries themselves are
//!   shared (see `db.rs`).
//! - **Writers queue.** SQLite takes its write lock when a write transaction
//!   begins (`BEGIN IMMEDIATE`), so a read-check-write such as "is this still
//!   version 3? then save version 4", "next patient number" or "append after
//!   the audit head" can never interleave with another writer. On PostgreSQL
//!   every write transaction takes the same guarantee from one transaction
//!   advisory lock ([`WRITER_LOCK`]), released at commit or rollback. A clinic
//!   has a handful of PCs, each writing a few rows a minute: queueing costs
//!   nothing measurable, and every optimistic version check in the store
//!   stays exactly as correct as on SQLite. Reads never wait for it.
//! - **Reads** run at REPEATABLE READ, so a multi-query read sees one snapshot.

use crate::db::Db;
use crate::{Result, StoreError};
use postgres::{Client, NoTls};
use std::collections::HashMap;

/// The key of the transaction advisory lock every write holds (ASCII "DERMISWR").
pub const WRITER_LOCK: i64 = 0x4445_524D_4953_5752;

/// PostgreSQL migrations, in order: (number, SQL).
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations-pg/0001_schema.sql"))];

/// The PostgreSQL schema version this build creates and understands.
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open connection to the clinic server, with its prepared statements.
pub(crate) struct PgConn {
    pub client: Client,
    pub stmts: HashMap<String, postgres::Statement>,
}

/// True when `target` names a PostgreSQL database rather than a file.
pub fn is_url(target: &str) -> bool {
    target.starts_with("postgresql://") || target.starts_with("postgres://")
}

/// Connects to `url` (libpq's URL form; `password`, when given, replaces any
/// in the URL, which normally carries none).
pub(crate) fn connect(url: &str, password: Option<&str>) -> Result<Client> {
    let mut config: postgres::Config = url.parse().map_err(|e| {
        StoreError::Internal(format!(
            "the clinic server address {} is not a PostgreSQL URL ({e})",
            redact(url)
        ))
    })?;
    if let Some(p) = password {
        config.password(p);
    }
    config.application_name("dermis");
    Ok(config.connect(NoTls)?)
}

/// `url` with any password replaced, fit for a message.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Brings the schema to [`PG_SCHEMA_VERSION`]; refuses a newer one.
pub(crate) fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS dermis_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let found: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM dermis_migrations",
            &[],
        )?
        .get(0);
    if found > PG_SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            known: PG_SCHEMA_VERSION,
        });
    }
    for (n, sql) in MIGRATIONS.iter().filter(|(n, _)| *n > found) {
        tx.batch_execute(sql)
            .map_err(|e| StoreError::Internal(format!("PostgreSQL migration {n} failed: {e}")))?;
        tx.execute(
            "INSERT INTO dermis_migrations (version, applied_at) VALUES ($1, $2)",
            &[n, &chrono::Utc::now().to_rfc3339()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Takes the writer lock for the rest of the transaction (see the module doc).
pub(crate) fn take_writer_lock(db: &Db) -> Result<()> {
    db.query_row(
        "SELECT pg_advisory_xact_lock(?1)::text",
        [WRITER_LOCK],
        |_| Ok(()),
    )
}

/// Creates an empty database named after this process and a counter on the
/// cluster at `admin_url` (a superuser's); returns its URL (see `Store::open_in_memory`).
pub(crate) fn fresh_test_database(admin_url: &str) -> Result<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "dermis_test_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut client = connect(admin_url, None)?;
    client.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    let cut = base.rfind('/').map_or(base.len(), |i| i);
    Ok(format!("{}/{name}", &base[..cut]))
}
