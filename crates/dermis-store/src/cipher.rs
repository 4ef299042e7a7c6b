//! SQLCipher keys (issue 21, encryption at rest).
//!
//! Dermis is built against SQLCipher (rusqlite's
//! `bundled-sqlcipher-vendored-openssl`): a connection that is never given a
//! key is plain SQLite, byte for byte, so unencrypted clinics are unchanged.
//! An encrypted clinic's file is keyed with the clinic's raw 256-bit data key
//! (`PRAGMA key = "x'…'"`: no passphrase KDF, the key is already random; the
//! password stretching happens once, in dermis-clinic's key file). The key
//! must be the first thing set on a connection, before any read.
//!
//! Copies of an encrypted database (backups, the copy before a migration)
//! are keyed with the same key, so nothing Dermis writes is plaintext.

use crate::{Result, StoreError};
use rusqlite::Connection;
use std::io::Read;
use std::path::Path;

/// The SQLCipher key of one clinic, as the `x'…'` literal SQLCipher takes.
/// The bytes are overwritten when it is dropped; `Debug` never shows them.
#[derive(Clone)]
pub struct CipherKey(String);

impl CipherKey {
    pub fn new(raw: &[u8; 32]) -> CipherKey {
        let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        CipherKey(format!("x'{hex}'"))
    }

    /// Keys `conn` (before anything else touches it) and proves the key
    /// opens the file: a wrong key, or a file that is plaintext, is
    /// [`StoreError::WrongKey`].
    pub fn apply(&self, conn: &Connection) -> Result<()> {
        // SQLCipher logs a wrong key to stderr by itself ("hmac check
        // failed"); the refusal below says it once, in Dermis's words.
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", self.0))?;
        if cipher_version(conn).is_none() {
            return Err(StoreError::Internal(
                "this build of Dermis has no SQLCipher, so it cannot open an encrypted clinic"
                    .into(),
            ));
        }
        match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::NotADatabase =>
            {
                Err(StoreError::WrongKey)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Attaches `path` as schema `name`, keyed with this key (for
    /// `sqlcipher_export` into an encrypted copy).
    pub(crate) fn attach_sql(&self, name: &str) -> String {
        format!("ATTACH DATABASE ?1 AS {name} KEY \"{}\"", self.0)
    }
}

impl Drop for CipherKey {
    fn drop(&mut self) {
        // SAFETY-free wipe: overwrite the ASCII bytes in place.
        let len = self.0.len();
        self.0.clear();
        self.0.extend(std::iter::repeat_n('0', len));
    }
}

impl std::fmt::Debug for CipherKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CipherKey(..)")
    }
}

/// SQLCipher's version on `conn` (`None`: plain SQLite without SQLCipher).
pub fn cipher_version(conn: &Connection) -> Option<String> {
    conn.query_row("PRAGMA cipher_version", [], |r| r.get::<_, String>(0))
        .ok()
        .filter(|v| !v.is_empty())
}

/// True when the file at `path` starts with SQLite's plaintext header
/// ("SQLite format 3"); false for an encrypted, empty or missing file.
pub fn file_looks_plaintext(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// Opens `path` keyed with `key` (when given), with `flags`.
pub(crate) fn open_with(
    path: &Path,
    flags: rusqlite::OpenFlags,
    key: Option<&CipherKey>,
) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(k) = key {
        k.apply(&conn)?;
    }
    Ok(conn)
}

/// What [`export_encrypted`] copied and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Rows per table, equal in the plaintext file and the encrypted copy.
    pub counts: Vec<(String, i64)>,
    /// The audit log's (entries, head), equal in both.
    pub audit: (i64, String),
    pub schema_version: i64,
    /// Pictures moved from the photo folder into the encrypted file's
    /// `photo_files` (see files.rs), and those listed but missing or
    /// damaged (their file absent, or not what its name says).
    pub photos_moved: i64,
    pub photos_missing: i64,
}

/// Copies the plaintext database at `src` into a NEW file `dest` encrypted
/// with `key` (`sqlcipher_export`, one read snapshot), then proves the copy:
/// it opens with the key, passes `integrity_check`, has the same schema
/// version, the same row count in every table and the same audit-log head.
/// `dest` is fsynced; on any failure it is removed. `src` is not changed.
pub fn export_encrypted(src: &Path, dest: &Path, key: &CipherKey) -> Result<ExportReport> {
    if dest.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists; remove it first",
            dest.display()
        )));
    }
    if !file_looks_plaintext(src) {
        return Err(StoreError::Internal(format!(
            "{} is not a plaintext SQLite database",
            src.display()
        )));
    }
    let out = (|| -> Result<ExportReport> {
        drop(crate::files::create_private_file(dest)?);
        let conn = Connection::open_with_flags(
            src,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_millis(5000))?;
        let dest_text = dest.to_str().ok_or_else(|| {
            StoreError::Internal(format!("{} is not a UTF-8 path", dest.display()))
        })?;
        conn.execute(&key.attach_sql("encrypted"), [dest_text])?;
        // One snapshot: the counts and the copy see the same rows.
        conn.execute_batch("BEGIN")?;
        let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        let counts = table_counts(&conn, "main")?;
        let audit = crate::audit::chain_head(&conn)?;
        let exported = conn
            .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
            .map_err(StoreError::from)
            .and_then(|()| {
                conn.execute_batch(&format!("PRAGMA encrypted.user_version = {version};"))
                    .map_err(StoreError::from)
            });
        let _ = conn.execute_batch("COMMIT");
        exported?;
        conn.execute_batch("DETACH DATABASE encrypted")?;
        drop(conn);
        // The proof, through a connection of its own that knows only the key.
        let check = open_with(dest, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY, Some(key))?;
        let integrity: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            return Err(StoreError::BadBackup(format!(
                "the encrypted copy failed its integrity check: {integrity}"
            )));
        }
        let v2: i64 = check.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let c2 = table_counts(&check, "main")?;
        let a2 = crate::audit::chain_head(&check)?;
        if v2 != version || c2 != counts || a2 != audit {
            return Err(StoreError::BadBackup(format!(
                "the encrypted copy differs from the plaintext database (schema {v2} vs {version}, audit {a2:?} vs {audit:?}, counts {c2:?} vs {counts:?})"
            )));
        }
        drop(check);
        // The pictures go inside the encrypted file before it is renamed into
        // place: the clinic is then either all plaintext or all encrypted.
        let (photos_moved, photos_missing) = move_photos_in(src, dest, key)?;
        std::fs::File::open(dest)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::Io {
                path: dest.to_path_buf(),
                source: e,
            })?;
        if file_looks_plaintext(dest) {
            return Err(StoreError::Internal(
                "the copy was written in plaintext; nothing was changed".into(),
            ));
        }
        Ok(ExportReport {
            counts,
            audit,
            schema_version: version,
            photos_moved,
            photos_missing,
        })
    })();
    if out.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    out
}

/// Rows of every table of schema `db`, by name.
fn table_counts(conn: &Connection, db: &str) -> Result<Vec<(String, i64)>> {
    let names: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM {db}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let c: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {db}.\"{}\"", n.replace('"', "\"\"")),
            [],
            |r| r.get(0),
        )?;
        out.push((n, c));
    }
    Ok(out)
}

/// Checks the encrypted database file at `path` with `key` (read-only): it
/// opens with the key, passes `integrity_check`, is a Dermis file of a
/// schema this build knows; returns its rows per table and audit head.
pub fn inspect_encrypted(path: &Path, key: &CipherKey) -> Result<ExportReport> {
    let conn = open_with(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        Some(key),
    )?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        return Err(StoreError::BadBackup(format!(
            "{} is damaged (the integrity check says: {integrity})",
            path.display()
        )));
    }
    let is_dermis: bool = conn
        .query_row(
            "SELECT value = 'dermis' FROM app_meta WHERE key = 'application'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(false);
    if !is_dermis {
        return Err(StoreError::BadBackup(format!(
            "{} is a database, but not a Dermis one",
            path.display()
        )));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > crate::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            known: crate::SCHEMA_VERSION,
        });
    }
    Ok(ExportReport {
        counts: table_counts(&conn, "main")?,
        audit: crate::audit::chain_head(&conn)?,
        schema_version: version,
        photos_moved: 0,
        photos_missing: 0,
    })
}

/// Copies each picture the encrypted database `dest` lists from the photo
/// folder of the plaintext database `src` into `dest`'s `photo_files` (one
/// transaction; one picture in memory at a time). A file that is missing,
/// or whose content is not its name (damaged), is counted, not copied.
/// Returns (moved, missing).
fn move_photos_in(src: &Path, dest: &Path, key: &CipherKey) -> Result<(i64, i64)> {
    use sha2::Digest;
    let root = crate::files::photos_dir(src);
    let conn = open_with(
        dest,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        Some(key),
    )?;
    let listed: Vec<(String, String)> = conn
        .prepare("SELECT DISTINCT sha256, mime FROM photos ORDER BY sha256")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (mut moved, mut missing) = (0, 0);
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = (|| -> Result<()> {
        for (sha, mime) in &listed {
            if !crate::files::is_content_address(sha) {
                missing += 1;
                continue;
            }
            let ext = if mime == "image/png" { "png" } else { "jpg" };
            let Ok(photo) = std::fs::read(crate::files::photo_path(&root, sha, ext)) else {
                missing += 1;
                continue;
            };
            let actual: String = sha2::Sha256::digest(&photo)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if actual != *sha {
                missing += 1;
                continue;
            }
            let thumb = std::fs::read(crate::files::thumb_path(&root, sha)).unwrap_or_default();
            conn.execute(
                "INSERT INTO photo_files (sha256, photo, thumb) VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING",
                rusqlite::params![sha, photo, thumb],
            )?;
            moved += 1;
        }
        Ok(())
    })();
    match done {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok((moved, missing))
}
