//! Backups of the clinic server, with PostgreSQL's own tools.
//!
//! `pg_dump` in its custom format is the backup; it is not trusted until it
//! has been restored (`pg_restore`) into a scratch database beside the
//! clinic's and found to hold the same rows. To make "the same" exact while
//! the clinic keeps working, the counts and the audit head of the live
//! database are read in one REPEATABLE READ transaction whose snapshot is
//! exported to `pg_dump --snapshot`: the dump and the counts see the very
//! same moment. The file appears at its name only once verified.
//!
//! [`inspect_server_backup`] is the restore side's check of a file (the same
//! refusals as for an SQLite backup: not a dump, not Dermis's, from a newer
//! Dermis, damaged), by restoring it into a scratch database and reading it.
//! Restoring over the live server database is not done here yet.
//!
//! The tools are found in `DERMIS_PG_BIN`, else the newest
//! `/usr/lib/postgresql/*/bin` (Debian), else on `PATH`. The password goes to
//! them in `PGPASSWORD`, never on the command line.

use crate::{Result, Store, StoreError, COPIED_TABLES};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a verified server backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBackupInfo {
    pub path: PathBuf,
    /// The SQLite-equivalent schema version the dump's schema matches.
    pub schema_version: i64,
    /// (table, rows)
    pub tables: Vec<(String, i64)>,
    pub audit: (i64, String),
}

impl ServerBackupInfo {
    pub fn patients(&self) -> i64 {
        self.tables
            .iter()
            .find(|t| t.0 == "patients")
            .map_or(0, |t| t.1)
    }
}

fn pg_tool(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("DERMIS_PG_BIN") {
        return Path::new(&dir).join(name);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from(name))
}

fn run(mut cmd: Command, what: &str, password: Option<&str>) -> Result<()> {
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().map_err(|e| {
        StoreError::Internal(format!(
            "{what} could not be started ({e}); install PostgreSQL's client tools (Debian: postgresql-client)"
        ))
    })?;
    if !out.status.success() {
        return Err(StoreError::BadBackup(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let cut = base.rfind('/').unwrap_or(base.len());
    format!("{}/{db}{query}", &base[..cut])
}

/// Rows per copied table, and the audit log's (count, head).
type Facts = (Vec<(String, i64)>, (i64, String));

/// Row counts of the copied tables and the audit head, on `client` as it sees them now.
fn facts(client: &mut impl postgres::GenericClient) -> Result<Facts> {
    let mut tables = Vec::new();
    for t in COPIED_TABLES {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM {t}"), &[])?
            .get(0);
        tables.push((t.to_string(), n));
    }
    let head: Option<String> = client
        .query_opt("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", &[])?
        .map(|r| r.get(0));
    let count = tables
        .iter()
        .find(|t| t.0 == "audit_log")
        .map_or(0, |t| t.1);
    Ok((
        tables,
        (
            count,
            head.unwrap_or_else(|| crate::GENESIS_HASH.to_string()),
        ),
    ))
}

/// Restores `file` into a new scratch database on the cluster of `admin_url`,
/// reads what it holds, drops the scratch database.
fn restore_and_read(
    admin_url: &str,
    password: Option<&str>,
    file: &Path,
) -> Result<ServerBackupInfo> {
    let scratch = format!("dermis_verify_{}_{}", std::process::id(), rand_suffix());
    let mut admin = crate::pg::connect(admin_url, password)?;
    admin.batch_execute(&format!("CREATE DATABASE {scratch}"))?;
    let result = (|| {
        let mut cmd = Command::new(pg_tool("pg_restore"));
        cmd.arg("--exit-on-error")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg(format!("--dbname={}", with_database(admin_url, &scratch)))
            .arg(file);
        run(cmd, "pg_restore", password).map_err(|e| {
            StoreError::BadBackup(format!(
                "{} is not a complete clinic-server backup ({e}).",
                file.display()
            ))
        })?;
        let mut c = crate::pg::connect(&with_database(admin_url, &scratch), password)?;
        let app: Option<String> = c
            .query_opt("SELECT value FROM app_meta WHERE key = 'application'", &[])
            .ok()
            .flatten()
            .map(|r| r.get(0));
        if app.as_deref() != Some("dermis") {
            return Err(StoreError::BadBackup(format!(
                "{} is a PostgreSQL dump, but not of a Dermis clinic.",
                file.display()
            )));
        }
        let version: i64 = c
            .query_one(
                "SELECT value FROM app_meta WHERE key = 'schema_version'",
                &[],
            )?
            .get::<_, String>(0)
            .parse()
            .unwrap_or(i64::MAX);
        if version > crate::SCHEMA_VERSION {
            return Err(StoreError::BadBackup(format!(
                "{} comes from a newer Dermis (schema {version}; this one knows up to {}). Update Dermis first.",
                file.display(),
                crate::SCHEMA_VERSION
            )));
        }
        let (tables, audit) = facts(&mut c)?;
        Ok(ServerBackupInfo {
            path: file.to_path_buf(),
            schema_version: version,
            tables,
            audit,
        })
    })();
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"));
    result
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

/// Checks a clinic-server backup file (see the module doc) on the cluster of
/// the clinic server `url`, connecting as its user with `password` (who needs
/// the right to create databases).
pub fn inspect_server_backup(
    url: &str,
    password: Option<&str>,
    file: &Path,
) -> Result<ServerBackupInfo> {
    restore_and_read(url, password, file)
}

impl Store {
    /// Writes a `pg_dump` (custom format) of the clinic server database to
    /// `dest` and verifies it (see the module doc). `password` is this
    /// store's user's; the user needs the right to create databases (the
    /// scratch database of the check).
    pub fn backup_server(
        &mut self,
        dest: &Path,
        password: Option<&str>,
    ) -> Result<ServerBackupInfo> {
        let url = self.url.clone().ok_or_else(|| {
            StoreError::Internal(
                "a server backup needs a clinic server (a postgresql:// URL)".into(),
            )
        })?;
        let partial = crate::files::temp_name(dest, "partial");
        let live = {
            let pg = self.pg.as_ref().ok_or_else(|| {
                StoreError::Internal("a server backup needs a clinic server".into())
            })?;
            let mut pg = pg.borrow_mut();
            let mut tx = pg
                .client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let snapshot: String = tx.query_one("SELECT pg_export_snapshot()", &[])?.get(0);
            let live = facts(&mut tx)?;
            let mut cmd = Command::new(pg_tool("pg_dump"));
            cmd.arg("--format=custom")
                .arg(format!("--snapshot={snapshot}"))
                .arg(format!("--file={}", partial.display()))
                .arg(format!("--dbname={url}"));
            let dumped = run(cmd, "pg_dump", password);
            tx.commit()?;
            dumped?;
            live
        };
        let checked = restore_and_read(&url, password, &partial);
        let info = match checked {
            Ok(info) if (info.tables.clone(), info.audit.clone()) == live => info,
            Ok(info) => {
                let _ = std::fs::remove_file(&partial);
                return Err(StoreError::BadBackup(format!(
                    "the backup just written does not hold what the clinic server holds ({:?} against {:?}); it was removed",
                    info.tables, live.0
                )));
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, dest).map_err(|e| StoreError::Io {
            path: dest.to_path_buf(),
            source: e,
        })?;
        Ok(ServerBackupInfo {
            path: dest.to_path_buf(),
            ..info
        })
    }
}
