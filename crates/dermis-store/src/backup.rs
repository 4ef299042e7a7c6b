//! Backups (the database's bytes under the write lock, or SQLite's online
//! backup API: see [`copy_verified_keyed`]), checked after they are written,
//! and the checks a file must pass before it may replace the clinic's data.
//!
//! A file to restore is treated as hostile: someone may hand the admin a
//! "backup" on a USB stick that carries triggers, views or paths. So a restore
//! never adopts the file's schema or pages:
//!
//! 1. the `.db` alone is copied to a private temporary file (a `-wal` beside
//!    the original is never read; the copy's header is set to the rollback
//!    journal so SQLite looks for no `-wal` at all);
//! 2. the copy is opened read-only in SQLite's defensive mode with
//!    `trusted_schema`, triggers and views off, and every statement on it runs
//!    under a progress handler with a time budget (a file that takes too long
//!    is refused as damaged);
//! 3. its `sqlite_schema` must equal, entry for entry, what our own
//!    migrations create at the file's version: any extra trigger, view, index
//!    or table, or a missing or changed one, refuses the file;
//! 4. integrity, the Dermis marker, the content (roles from the known set,
//!    photo names 64 lowercase hex digits, dates that parse, foreign keys, the
//!    file's own audit chain) are checked;
//! 5. a fresh database is built from our migrations at that version, rows are
//!    copied table by table by explicit column lists, then migrated to ours;
//! 6. the backup's photos are copied into the live photo folder and each copy
//!    checked against its SHA-256, before the live database is touched;
//! 7. the `restore` audit entry is appended to the new database, a small
//!    journal names the new file, and the new file is renamed over the live
//!    one. A kill at any moment leaves the old clinic or the new one, whole:
//!    [`finish_pending_restore`] (run by [`Store::open`]) completes a swap
//!    whose journal it finds.

use crate::audit::AuditEntry;
use crate::files::{create_private_dir, create_private_file, make_private, sync_dir, temp_name};
use crate::migrations::SCHEMA_VERSION;
use crate::{Result, Store, StoreError, Tx};
use rusqlite::backup::Backup;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Tables whose row counts a verified backup must match.
const COUNTED: &[&str] = &[
    "users",
    "patients",
    "screenings",
    "assessments",
    "plans",
    "planned_sessions",
    "recalls",
    "session_records",
    "healing_reports",
    "adverse_events",
    "photos",
    "consents",
    "audit_log",
];

/// What a backup file holds, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub schema_version: i64,
    pub patients: i64,
    pub sessions: i64,
    pub counts: Vec<(String, i64)>,
    pub bytes: u64,
    /// Photos the database lists.
    pub photos: i64,
    /// Of those, how many have no file in the backup's photo folder.
    pub photos_missing: i64,
}

/// The folder of photos that goes with a database copy: `x.db` → `x-photos/`.
pub fn photos_dir_of_backup(db_copy: &Path) -> PathBuf {
    let stem = db_copy
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dermis".into());
    db_copy.with_file_name(format!("{stem}-photos"))
}

fn io_err(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// The photos a database lists: (sha256, file extension).
fn listed_photos(conn: &Connection) -> Result<Vec<(String, &'static str)>> {
    let has: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'photos'",
        [],
        |r| r.get(0),
    )?;
    if !has {
        return Ok(vec![]);
    }
    // Pictures kept inside the file (an encrypted clinic's `photo_files`,
    // migration 0011) have no file to copy or miss.
    let in_db: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'photo_files'",
        [],
        |r| r.get(0),
    )?;
    let sql = if in_db {
        "SELECT sha256, mime FROM photos WHERE sha256 NOT IN (SELECT sha256 FROM photo_files) ORDER BY id"
    } else {
        "SELECT sha256, mime FROM photos ORDER BY id"
    };
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map([], |r| {
        let mime: String = r.get(1)?;
        Ok((r.get(0)?, if mime == "image/png" { "png" } else { "jpg" }))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn sha256_hex(path: &Path) -> Result<String> {
    use sha2::Digest;
    let bytes = std::fs::read(path).map_err(|e| io_err(path, e))?;
    Ok(sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Copies every listed photo (and its thumbnail) from `from_root` to
/// `to_root`, skipping files already there. A hard link is used where the two
/// folders share a disk (automatic backups cost no space); a real copy is
/// checked against its SHA-256, and with `verify_all` (a restore, whose
/// source is not ours) every photo is, linked or copied, and one that does
/// not match refuses the whole restore. A name that is not a content address
/// is refused before any path is made of it. Returns how many photos have no
/// source file.
pub(crate) fn copy_photos(
    photos: &[(String, &'static str)],
    from_root: &Path,
    to_root: &Path,
    verify_all: bool,
) -> Result<i64> {
    let mut missing = 0;
    for (sha, ext) in photos {
        if !crate::files::is_content_address(sha) {
            return Err(StoreError::BadBackup(format!(
                "a photo has the name {sha:?}, which is not a photo's content address"
            )));
        }
        let pairs = [
            (
                crate::files::photo_path(from_root, sha, ext),
                crate::files::photo_path(to_root, sha, ext),
                true,
            ),
            (
                crate::files::thumb_path(from_root, sha),
                crate::files::thumb_path(to_root, sha),
                false,
            ),
        ];
        for (src, dst, is_photo) in pairs {
            let Ok(meta) = std::fs::metadata(&src) else {
                if is_photo {
                    missing += 1;
                }
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            if verify_all && is_photo && sha256_hex(&src)? != *sha {
                return Err(StoreError::BadBackup(format!(
                    "the backup's photo {sha} does not match its content address: it is damaged"
                )));
            }
            if std::fs::metadata(&dst).is_ok_and(|m| m.len() == meta.len())
                && !(verify_all && is_photo && sha256_hex(&dst)? != *sha)
            {
                continue;
            }
            let dir = dst.parent().unwrap_or(to_root);
            create_private_dir(dir)?;
            let tmp = temp_name(&dst, "part");
            let linked = !verify_all && std::fs::hard_link(&src, &tmp).is_ok();
            if !linked {
                std::fs::copy(&src, &tmp).map_err(|e| io_err(&tmp, e))?;
                let _ = make_private(&tmp);
                if is_photo && sha256_hex(&tmp)? != *sha {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(StoreError::BadBackup(format!(
                        "the copy of photo {sha} does not match the original"
                    )));
                }
            }
            std::fs::rename(&tmp, &dst).map_err(|e| io_err(&dst, e))?;
            sync_dir(dir);
        }
    }
    Ok(missing)
}

fn count_missing(photos: &[(String, &'static str)], root: &Path) -> i64 {
    photos
        .iter()
        .filter(|(sha, ext)| {
            !crate::files::is_content_address(sha)
                || !crate::files::photo_path(root, sha, ext).is_file()
        })
        .count() as i64
}

/// How thoroughly a file is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// SQLite's full `integrity_check`: for a file about to be restored.
    Full,
    /// A backup this process just wrote (a page-for-page copy of one
    /// consistent state): `quick_check` over every
    /// page of every table and index, plus the full `integrity_check` of every
    /// table that holds what users entered. Only the derived tables (see
    /// [`DERIVED`]) skip the cross-check of their index entries against their
    /// rows: on 100,000 patients that cross-check is ~80% of the verification
    /// time (BENCHMARKS.md), and those tables can be rebuilt from `patients`.
    FreshCopy,
}

/// Tables computed from other tables (the search index from `patients`).
const DERIVED: &[&str] = &["patient_search_terms"];

/// "ok", or what SQLite found wrong.
/// The integrity check at `depth` passes and the file says it is Dermis's:
/// the checks a backup just written and a candidate for a restore share. A
/// check stopped by the time budget reads as damaged.
fn intact_dermis_file(conn: &Connection, path: &Path, depth: Depth) -> Result<()> {
    let integrity = integrity(conn, depth);
    if integrity.contains("interrupt") {
        return Err(refuse(
            path,
            "checking it took far too long, so it is treated as damaged.",
        ));
    }
    if integrity != "ok" {
        return Err(refuse(
            path,
            &format!("it is damaged or incomplete (the integrity check says: {integrity})."),
        ));
    }
    let is_dermis: bool = conn
        .query_row(
            "SELECT value = 'dermis' FROM app_meta WHERE key = 'application'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(false);
    if !is_dermis {
        return Err(refuse(path, "it is a database, but not a Dermis one."));
    }
    Ok(())
}

fn integrity(conn: &Connection, depth: Depth) -> String {
    let first = |sql: &str| {
        conn.query_row(sql, [], |r| r.get::<_, String>(0))
            .unwrap_or_else(|e| e.to_string())
    };
    if depth == Depth::Full {
        return first("PRAGMA integrity_check");
    }
    let quick = first("PRAGMA quick_check");
    if quick != "ok" {
        return quick;
    }
    let tables: rusqlite::Result<Vec<String>> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect());
    let tables = match tables {
        Ok(t) => t,
        Err(e) => return e.to_string(),
    };
    for t in tables.iter().filter(|t| !DERIVED.contains(&t.as_str())) {
        let found = first(&format!(
            "PRAGMA integrity_check('{}')",
            t.replace('\'', "''")
        ));
        if found != "ok" {
            return found;
        }
    }
    "ok".into()
}

/// Why a file cannot be restored, each with its own message.
fn refuse(path: &Path, why: &str) -> StoreError {
    StoreError::BadBackup(format!("{} cannot be restored: {why}", path.display()))
}

fn counts(conn: &Connection, version: i64) -> Result<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for t in COUNTED {
        // Version-1 files have no clinical tables yet.
        let exists: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [t],
            |r| r.get(0),
        )?;
        if exists || version >= SCHEMA_VERSION {
            let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
            out.push((t.to_string(), n));
        }
    }
    Ok(out)
}

/// Checks a file as a restore would (see the module header): a private copy,
/// opened read-only and defensively, with a time budget; its schema exactly
/// ours; intact; its content valid. Nothing is written to the file itself.
/// `keys` are the audit keys the file's chain may be signed with (the
/// clinic's own, the one saved beside the backup); none: unkeyed only.
pub fn inspect(path: &Path, keys: &[Vec<u8>]) -> Result<BackupInfo> {
    let scratch = std::env::temp_dir();
    let cand = Candidate::open(path, &scratch, keys)?;
    let checked = cand.check()?;
    // The photos beside it must be what their names say (a restore would refuse them).
    let root = photos_dir_of_backup(path);
    for (sha, ext) in &checked.photos {
        let p = crate::files::photo_path(&root, sha, ext);
        if p.is_file() && sha256_hex(&p)? != *sha {
            return Err(refuse(
                path,
                &format!(
                    "the backup's photo {sha} does not match its content address: it is damaged."
                ),
            ));
        }
    }
    Ok(checked.info)
}

/// How much of a fresh copy its check maps into memory (SQLite caps it at
/// its own compile-time limit, 2 GB by default) and its page cache, in KiB.
/// Measured in BENCHMARKS.md (issue 23: backup at 1k to 1M patients).
const VERIFY_MMAP_BYTES: i64 = 1 << 31;
const VERIFY_CACHE_KIB: i64 = 65_536;

// An encrypted copy is checked with the same 64 MiB cache although SQLCipher
// turns mmap off (every page the cache has dropped is read and decrypted
// again by the next pass): a cache the size of the file (108 MB, 100,000
// patients) was measured (issue 21, BENCHMARKS.md) and changed nothing that
// could be told from the machine's noise: the check took 640 ms with it and
// 633-676 ms without, against 480-530 ms for the plaintext copy. What the
// encrypted backup costs more is its copy (decrypt and re-encrypt every page).

/// How long the last backup of this thread took to copy and to check (for
/// the benches: `cargo bench -p dermis-clinic --bench database` reports
/// both phases of a plaintext and of an encrypted clinic).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupPhases {
    pub copy: Duration,
    pub check: Duration,
    /// True when the copy was the file's bytes under the write lock, false
    /// when it went through SQLite's backup API (a database in memory, or
    /// another writer holding the lock).
    pub as_bytes: bool,
    /// How long others' saving waited: the write lock held for the bytes
    /// and the counts (zero through the backup API, which takes no lock).
    pub locked: Duration,
}

thread_local! {
    static LAST_PHASES: std::cell::Cell<Option<BackupPhases>> = const { std::cell::Cell::new(None) };
}

/// The phases of the last backup copied and checked on this thread.
pub fn last_backup_phases() -> Option<BackupPhases> {
    LAST_PHASES.with(|c| c.get())
}

/// A backup this process just wrote from the live database: the quick checks.
/// A file encrypted with `key` has no plaintext header, and is read with the key.
fn inspect_at_keyed(
    path: &Path,
    depth: Depth,
    key: Option<&crate::cipher::CipherKey>,
) -> Result<BackupInfo> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        })?
        .len();
    let mut head = [0u8; 16];
    let header_ok = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && &head == b"SQLite format 3\0";
    if header_ok == key.is_some() {
        return Err(refuse(path, "it is not a database file at all."));
    }
    let conn = crate::cipher::open_with(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )
    .map_err(|_| refuse(path, "it could not be opened as a database."))?;
    // The copy is this process's own private file, not yet in place: map it
    // (no read() call per page) and give the check a cache large enough for
    // the cross-checks, which jump between each index and its table. A file
    // to restore is someone else's and keeps mmap off (`Candidate::open`).
    conn.execute_batch(&format!(
        "PRAGMA mmap_size={VERIFY_MMAP_BYTES}; PRAGMA cache_size=-{VERIFY_CACHE_KIB};"
    ))?;
    intact_dermis_file(&conn, path, depth)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(refuse(
            path,
            &format!("it comes from a newer Dermis (schema {version}; this one knows up to {SCHEMA_VERSION}). Update Dermis first."),
        ));
    }
    let counts = counts(&conn, version)?;
    let get = |t: &str| counts.iter().find(|(n, _)| n == t).map_or(0, |(_, c)| *c);
    let photos = listed_photos(&conn)?;
    Ok(BackupInfo {
        path: path.to_path_buf(),
        schema_version: version,
        patients: get("patients"),
        sessions: get("planned_sessions"),
        bytes,
        counts,
        photos: photos.len() as i64,
        photos_missing: count_missing(&photos, &photos_dir_of_backup(path)),
    })
}

/// The folder beside the database where automatic backups go.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Copies `conn`'s database to `dest` with the online backup API and checks
/// the copy (integrity as [`Depth::FreshCopy`], a Dermis file, the expected
/// schema version, the same row counts); the file appears at `dest` only once
/// checked.
///
/// The copy of an encrypted database (`key`) is keyed with the same key, so
/// it is as encrypted as the original.
///
/// How the copy is made: a database in a file is copied as its bytes (the
/// file, and its `-wal` when it has one) while this connection holds the
/// write lock, then the copy's WAL is folded in. SQLite's online backup API,
/// kept for a database in memory, reads every page through the pager: on an
/// encrypted clinic that is one decryption and one encryption per page,
/// with SQLCipher fetching its cipher and HMAC from OpenSSL anew for each,
/// 2.9× the plaintext copy (BENCHMARKS.md); the bytes need neither. The lock
/// is what makes the bytes one consistent state: no commit can land while
/// they are read, a checkpoint by another connection only writes into the
/// file pages whose newer frames are in the `-wal` copied after it (the WAL
/// cannot be restarted without the write lock), and the row counts the copy
/// is checked against are read under the same lock. Others' writes wait for
/// the copy (their busy timeout), not for the check after it.
pub(crate) fn copy_verified_keyed(
    conn: &Connection,
    dest: &Path,
    expect_version: i64,
    live_photos: Option<&Path>,
    key: Option<&crate::cipher::CipherKey>,
) -> Result<BackupInfo> {
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    let tmp = temp_name(dest, "partial");
    drop(create_private_file(&tmp)?);
    let started = Instant::now();
    // The copy and the counts in one transaction of our own (a caller's
    // open transaction is used as it is: the backup API reads its snapshot).
    let own = conn.is_autocommit();
    // The bytes when the write lock comes quickly; when another writer holds
    // it (a long transaction elsewhere), the backup API on a read snapshot,
    // which waits for no one.
    let source = match database_file(conn) {
        Some(src) if own && write_lock_soon(conn)? => Some(src),
        _ => {
            if own {
                // A read now, so the snapshot is taken here, not page by page.
                conn.execute_batch("BEGIN")?;
                let _: i64 =
                    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            }
            None
        }
    };
    let as_bytes = source.is_some();
    let written = (|| -> Result<Vec<(String, i64)>> {
        match &source {
            Some(src) => copy_file_bytes(src, &tmp)?,
            None => {
                let mut out = Connection::open(&tmp)?;
                if let Some(k) = key {
                    k.apply(&out)?;
                }
                Backup::new(conn, &mut out)?.run_to_completion(
                    1024,
                    Duration::from_millis(0),
                    None,
                )?;
            }
        }
        counts(conn, expect_version)
    })();
    if own {
        let _ = conn.execute_batch("COMMIT");
    }
    let locked = if as_bytes {
        started.elapsed()
    } else {
        Duration::ZERO
    };
    // A backup is one self-contained file: the copied WAL folded in, no
    // -wal/-shm beside it.
    let live = match written.and_then(|live| {
        let out = crate::cipher::open_with(&tmp, OpenFlags::SQLITE_OPEN_READ_WRITE, key)?;
        let _: String = out.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
        Ok(live)
    }) {
        Ok(live) => live,
        Err(e) => {
            remove_db_files(&tmp);
            return Err(e);
        }
    };
    let copied = started.elapsed();
    let checking = Instant::now();
    let checked = inspect_at_keyed(&tmp, Depth::FreshCopy, key).and_then(|info| {
        if info.schema_version != expect_version {
            Err(StoreError::BadBackup(format!(
                "the backup has schema {} instead of {expect_version}",
                info.schema_version
            )))
        } else if info.counts != live {
            Err(StoreError::BadBackup(format!(
                "the backup's row counts {:?} differ from the live database's {:?}",
                info.counts, live
            )))
        } else {
            Ok(info)
        }
    });
    LAST_PHASES.with(|c| {
        c.set(Some(BackupPhases {
            copy: copied,
            check: checking.elapsed(),
            as_bytes,
            locked,
        }))
    });
    let info = match checked {
        Ok(info) => info,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    // The photos the copy lists go beside it, before the copy takes its name.
    if let Some(root) = live_photos {
        let photos = {
            let c = crate::cipher::open_with(&tmp, OpenFlags::SQLITE_OPEN_READ_ONLY, key)?;
            listed_photos(&c)?
        };
        if !photos.is_empty() {
            if let Err(e) = copy_photos(&photos, root, &photos_dir_of_backup(dest), false) {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        }
    }
    if let Err(e) = std::fs::File::open(&tmp).and_then(|f| f.sync_all()) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err(&tmp, e));
    }
    std::fs::rename(&tmp, dest).map_err(|e| StoreError::Io {
        path: dest.to_path_buf(),
        source: e,
    })?;
    sync_dir(dest.parent().unwrap_or(Path::new(".")));
    let photos = listed_photos(conn)?;
    let photos_missing = count_missing(&photos, &photos_dir_of_backup(dest));
    Ok(BackupInfo {
        path: dest.to_path_buf(),
        photos_missing,
        ..info
    })
}

/// Keeps the newest `keep` automatic backups (`dermis-auto-*.db`) in `dir`.
pub fn prune_auto_backups(dir: &Path, keep: usize) -> Result<usize> {
    let mut autos: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("dermis-auto-") && n.ends_with(".db"))
            })
            .collect(),
        Err(_) => return Ok(0),
    };
    // The names carry a sortable timestamp.
    autos.sort();
    let remove = autos.len().saturating_sub(keep);
    for p in &autos[..remove] {
        std::fs::remove_file(p).map_err(|e| StoreError::Io {
            path: p.clone(),
            source: e,
        })?;
        let photos = photos_dir_of_backup(p);
        if photos.is_dir() {
            std::fs::remove_dir_all(&photos).map_err(|e| io_err(&photos, e))?;
        }
        // An encrypted backup's key file (`<backup>.keys`, dermis-clinic
        // keys.rs) goes with it: wraps of a data key whose backup is gone.
        let mut keys = p.as_os_str().to_owned();
        keys.push(".keys");
        match std::fs::remove_file(PathBuf::from(&keys)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(Path::new(&keys), e)),
        }
    }
    Ok(remove)
}

/// Backs up the database file at `db` through a connection of its own, so
/// the clinic's connection stays free meanwhile (the daily backup at start
/// must not hold up the sign-in screen). The copy and the row counts it is
/// checked against come from one read snapshot, whatever others write.
pub fn backup_file(db: &Path, dest: &Path) -> Result<BackupInfo> {
    backup_file_keyed(db, dest, None)
}

/// [`backup_file`] of an encrypted database: read with `key`, and the copy
/// encrypted with the same key (a backup of an encrypted clinic is never plaintext).
pub fn backup_file_keyed(
    db: &Path,
    dest: &Path,
    key: Option<&crate::cipher::CipherKey>,
) -> Result<BackupInfo> {
    let conn = crate::cipher::open_with(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )?;
    conn.busy_timeout(Duration::from_millis(5000))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // The copy and the counts it is checked against are taken under one
    // lock inside (a schema changed in between is refused by the check).
    copy_verified_keyed(
        &conn,
        dest,
        version,
        Some(&crate::files::photos_dir(db)),
        key,
    )
}

/// The file behind `conn`'s main database, when it has one (not in memory).
fn database_file(conn: &Connection) -> Option<PathBuf> {
    conn.path()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_file())
}

/// Starts a write transaction on `conn` if its lock comes within a quarter
/// of a second: true when it did (the connection's busy timeout is then
/// as it was).
fn write_lock_soon(conn: &Connection) -> Result<bool> {
    let before: i64 = conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?;
    conn.busy_timeout(Duration::from_millis(250))?;
    let began = conn.execute_batch("BEGIN IMMEDIATE");
    conn.busy_timeout(Duration::from_millis(before.max(0) as u64))?;
    match began {
        Ok(()) => Ok(true),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Copies the database file `src` and its `-wal` (when there is one) to
/// `tmp` and `tmp-wal`, byte for byte, into `tmp`'s private (0600) file. The
/// caller holds `src`'s write lock (see [`copy_verified_keyed`]).
fn copy_file_bytes(src: &Path, tmp: &Path) -> Result<()> {
    fn copy(from: &Path, to: &Path) -> Result<()> {
        let mut input = std::fs::File::open(from).map_err(|e| io_err(from, e))?;
        let mut output = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(to)
            .map_err(|e| io_err(to, e))?;
        // File to file: the kernel copies (copy_file_range), no user buffer.
        std::io::copy(&mut input, &mut output).map_err(|e| io_err(to, e))?;
        Ok(())
    }
    copy(src, tmp)?;
    let wal = sidecar(src, "-wal");
    match std::fs::metadata(&wal) {
        Ok(m) if m.len() > 0 => {
            let to = sidecar(tmp, "-wal");
            drop(create_private_file(&to)?);
            copy(&wal, &to)?;
        }
        _ => {}
    }
    Ok(())
}

impl Store {
    /// Writes a consistent copy of the live database to `dest` while the
    /// clinic keeps working, then verifies it (integrity, schema version, row
    /// counts equal to the live database's). The copy appears at `dest` only
    /// once verified.
    pub fn backup_to(&mut self, dest: &Path) -> Result<BackupInfo> {
        self.refuse_on_server("a file backup")?;
        let live_photos = self.path.as_deref().map(crate::files::photos_dir);
        copy_verified_keyed(
            &self.conn,
            dest,
            SCHEMA_VERSION,
            live_photos.as_deref(),
            self.cipher.as_ref(),
        )
    }

    /// Replaces the clinic's data with the backup at `from` (see the module
    /// header for every step). The current data is first copied to `keep`;
    /// `audit` makes the `restore` entry from what the file holds, and that
    /// entry is in the new database the moment it becomes the live one. On
    /// any failure the live database is left as it was (or put back).
    ///
    /// The file's audit chain must verify under this store's key or one of
    /// `other_keys` (the key saved beside a backup from another PC); the key
    /// that verified it signs the `restore` entry and is returned, so the
    /// clinic signs with it from now on. `before_swap` is called with the
    /// built database and that key just before the swap.
    pub fn restore_from(
        &mut self,
        from: &Path,
        keep: &Path,
        other_keys: &[Vec<u8>],
        audit: impl FnOnce(&RestoreFacts) -> AuditEntry,
        before_swap: impl FnOnce(&Path, Option<&[u8]>) -> std::result::Result<(), String>,
    ) -> Result<(BackupInfo, Option<Vec<u8>>)> {
        self.refuse_on_server("restoring a backup file")?;
        let db = self.path.clone().ok_or_else(|| {
            StoreError::Internal("a database in memory cannot be restored into".into())
        })?;
        let dir = db.parent().unwrap_or(Path::new(".")).to_path_buf();
        let keys: Vec<Vec<u8>> = self
            .audit_key
            .iter()
            .cloned()
            .chain(other_keys.iter().cloned())
            .collect();
        let cand = Candidate::open(from, &dir, &keys)?;
        let checked = cand.check()?;
        // Photos first: content-addressed, so adding them changes nothing the
        // live clinic sees, and a damaged one stops the restore here.
        copy_photos(
            &checked.photos,
            &photos_dir_of_backup(from),
            &crate::files::photos_dir(&db),
            true,
        )
        .map_err(|e| match e {
            StoreError::BadBackup(m) => refuse(from, &format!("{m}.")),
            other => other,
        })?;
        let fresh = temp_name(&db, "restore");
        let built = cand.build(&fresh, &checked, audit);
        drop(cand);
        if let Err(e) = built {
            remove_db_files(&fresh);
            return Err(e);
        }
        if let Err(e) = self.backup_to(keep) {
            remove_db_files(&fresh);
            return Err(e);
        }
        // The caller's bookkeeping for the database about to become live
        // (the audit anchor it will have), before the point of no return.
        if let Err(e) = before_swap(&fresh, checked.key.as_deref()) {
            remove_db_files(&fresh);
            return Err(StoreError::Internal(e));
        }
        self.swap_in(&db, &fresh, keep)?;
        Ok((checked.info, checked.key))
    }

    /// Renames the checked, built file `fresh` over the live database `db`
    /// under a journal, then reopens it.
    fn swap_in(&mut self, db: &Path, fresh: &Path, keep: &Path) -> Result<()> {
        let dir = db.parent().unwrap_or(Path::new(".")).to_path_buf();
        let journal = restore_journal(db);
        let name = fresh
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let written = (|| -> Result<()> {
            let _ = std::fs::remove_file(&journal);
            let mut f = create_private_file(&journal)?;
            std::io::Write::write_all(&mut f, name.as_bytes()).map_err(|e| io_err(&journal, e))?;
            f.sync_all().map_err(|e| io_err(&journal, e))?;
            Ok(())
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&journal);
            remove_db_files(fresh);
            return Err(e);
        }
        sync_dir(&dir);
        // From here on the swap is decided: a kill is finished at start-up.
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let _ = old.close();
        if let Err(e) = finish_pending_restore(db) {
            // The rename did not happen (another program holds the file open,
            // say): the old database is whole. The swap is called off.
            if fresh.exists() {
                let _ = std::fs::remove_file(&journal);
                remove_db_files(fresh);
                sync_dir(&dir);
            }
            let s = Store::open(db)?;
            self.conn = s.conn;
            return Err(e);
        }
        match Store::open(db) {
            Ok(s) => {
                self.conn = s.conn;
                Ok(())
            }
            Err(e) => {
                // The new file would not open: the copy made before goes back.
                let back = temp_name(db, "restore");
                std::fs::copy(keep, &back).map_err(|e| io_err(&back, e))?;
                remove_db_files_beside(db);
                std::fs::rename(&back, db).map_err(|e| io_err(db, e))?;
                sync_dir(&dir);
                let s = Store::open(db)?;
                self.conn = s.conn;
                Err(e)
            }
        }
    }
}

impl Tx<'_> {
    /// Every entry of the database's schema as "type name", for checks.
    pub fn schema_entries(&self) -> Result<Vec<String>> {
        Ok(schema_of(self.conn.sqlite()?, "main")?
            .into_iter()
            .map(|e| format!("{} {}", e.0, e.1))
            .collect())
    }
}

/// What a checked backup holds, for the `restore` audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreFacts {
    /// The backup's file name (no folder).
    pub backup_name: String,
    /// The hash of the last entry of the backup's own audit log.
    pub audit_head: String,
    pub audit_entries: i64,
    pub patients: i64,
}

/// The journal that names a decided swap: `<db file name>.restore-journal`.
fn restore_journal(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".restore-journal");
    db.with_file_name(name)
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes a database file with its `-journal`, `-wal` and `-shm`.
fn remove_db_files(db: &Path) {
    let _ = std::fs::remove_file(db);
    remove_db_files_beside(db);
}

fn remove_db_files_beside(db: &Path) {
    for s in ["-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(db, s));
    }
}

/// Completes a restore that was killed after it was decided: if the journal
/// beside `db` names a file still there, the old database's `-wal`/`-shm` go
/// (the old data is in the `before-restore` copy) and that file takes the
/// database's name; then the journal goes. Without a journal, nothing happens
/// (a killed restore before its journal leaves only a temporary file, which
/// [`crate::files::clean_leftovers`] removes).
pub fn finish_pending_restore(db: &Path) -> Result<()> {
    let journal = restore_journal(db);
    let Ok(name) = std::fs::read_to_string(&journal) else {
        return Ok(());
    };
    let dir = db.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = name.trim();
    // Only a temporary name of ours, in the same folder.
    let ours = !name.contains('/')
        && !name.contains('\\')
        && name.contains(crate::files::TEMP_MARK)
        && name.ends_with(".restore");
    let fresh = dir.join(name);
    if ours && fresh.is_file() {
        remove_db_files_beside(db);
        std::fs::rename(&fresh, db).map_err(|e| io_err(db, e))?;
        let _ = make_private(db);
        sync_dir(&dir);
    }
    std::fs::remove_file(&journal).map_err(|e| io_err(&journal, e))?;
    sync_dir(&dir);
    Ok(())
}

/// How long the checks of a file may take: a minute plus a second per MB,
/// far more than a real clinic's file needs even on a slow, busy PC (a
/// 105 MB file of 100,000 patients is checked in seconds), while a file
/// built to stall Dermis is still refused instead of spinning for ever.
fn time_budget(bytes: u64) -> Duration {
    Duration::from_secs(60) + Duration::from_millis(bytes / 1000)
}

/// Interrupts every statement on `conn` once `budget` has passed.
fn bound(conn: &Connection, budget: Duration) -> Result<()> {
    let deadline = Instant::now() + budget;
    conn.progress_handler(10_000, Some(move || Instant::now() > deadline))?;
    Ok(())
}

fn interrupted(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::OperationInterrupted
    )
}

/// SQLite's settings for reading a file we do not trust.
fn defensive(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    // A 64 MB page cache: the checks and the copy read every page, some many
    // times (index lookups); SQLite's default 2 MB made a 100,000-patient
    // restore spend most of its time re-reading pages.
    conn.execute_batch(
        "PRAGMA trusted_schema=OFF; PRAGMA cell_size_check=ON; PRAGMA mmap_size=0; PRAGMA cache_size=-65536;",
    )?;
    Ok(())
}

/// One entry of `sqlite_schema`: type, name, table, SQL.
type SchemaEntry = (String, String, String, Option<String>);

fn schema_of(conn: &Connection, db: &str) -> Result<Vec<SchemaEntry>> {
    let mut st = conn.prepare(&format!(
        "SELECT type, name, tbl_name, sql FROM {db}.sqlite_schema ORDER BY type, name"
    ))?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The schema our own migrations create at `version`, in a database in memory.
fn reference_schema(version: i64) -> Result<Connection> {
    let mut mem = Connection::open_in_memory()?;
    crate::migrations::migrations().to_version(&mut mem, version.max(0) as usize)?;
    Ok(mem)
}

/// The first difference between a file's schema and ours, in words.
fn schema_difference(theirs: &[SchemaEntry], ours: &[SchemaEntry]) -> Option<String> {
    let key = |e: &SchemaEntry| (e.0.clone(), e.1.clone());
    for t in theirs {
        match ours.iter().find(|o| key(o) == key(t)) {
            None => {
                return Some(format!(
                    "it holds a {} named \"{}\" that Dermis does not create",
                    t.0, t.1
                ))
            }
            Some(o) if o != t => return Some(format!("its {} \"{}\" has been changed", t.0, t.1)),
            Some(_) => {}
        }
    }
    ours.iter()
        .find(|o| !theirs.iter().any(|t| key(t) == key(o)))
        .map(|o| format!("the {} \"{}\" that Dermis needs is missing", o.0, o.1))
}

/// Date columns (`YYYY-MM-DD`) and instants (RFC 3339) a restored file must hold valid.
const DATE_COLUMNS: &[(&str, &str)] = &[
    ("patients", "date_of_birth"),
    ("screenings", "screened_on"),
    ("assessments", "assessed_on"),
    ("plans", "start"),
    ("planned_sessions", "date"),
    ("recalls", "due"),
    ("session_records", "performed_on"),
    ("healing_reports", "reported_on"),
    ("adverse_events", "reported_on"),
    ("photos", "taken_on"),
    ("appointments", "date"),
];
const INSTANT_COLUMNS: &[(&str, &str)] = &[
    ("audit_log", "at"),
    ("users", "created_at"),
    ("patients", "created_at"),
];

/// A private copy of a file to restore, open read-only and defensively.
struct Candidate {
    source: PathBuf,
    copy: PathBuf,
    conn: Connection,
    bytes: u64,
    budget: Duration,
    /// The audit keys the file's chain may be signed with.
    keys: Vec<Vec<u8>>,
}

/// What [`Candidate::check`] found.
struct Checked {
    info: BackupInfo,
    version: i64,
    photos: Vec<(String, &'static str)>,
    facts: RestoreFacts,
    /// The audit key the file's chain verified under (None: no keys given,
    /// an unkeyed chain).
    key: Option<Vec<u8>>,
}

impl Drop for Candidate {
    fn drop(&mut self) {
        remove_db_files(&self.copy);
    }
}

impl Candidate {
    /// Copies the `.db` alone into `scratch` (private, a unique name), sets
    /// its header to the rollback journal and opens it read-only.
    fn open(path: &Path, scratch: &Path, keys: &[Vec<u8>]) -> Result<Candidate> {
        let bytes = std::fs::metadata(path).map_err(|e| io_err(path, e))?.len();
        let mut head = [0u8; 100];
        let header_ok = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok()
            && &head[..16] == b"SQLite format 3\0";
        if !header_ok {
            return Err(refuse(path, "it is not a database file at all."));
        }
        create_private_dir(scratch)?;
        let copy = temp_name(&scratch.join("dermis-candidate.db"), "check");
        let copied = (|| -> Result<()> {
            let mut out = create_private_file(&copy)?;
            let mut src = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
            std::io::copy(&mut src, &mut out).map_err(|e| io_err(&copy, e))?;
            // Bytes 18 and 19: the file format versions; 2 means WAL. 1 (the
            // rollback journal) makes SQLite read this file alone.
            use std::io::{Seek, SeekFrom, Write};
            out.seek(SeekFrom::Start(18))
                .map_err(|e| io_err(&copy, e))?;
            out.write_all(&[1, 1]).map_err(|e| io_err(&copy, e))?;
            Ok(())
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&copy);
            return Err(e);
        }
        let conn = match Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            Ok(c) => c,
            Err(_) => {
                let _ = std::fs::remove_file(&copy);
                return Err(refuse(path, "it could not be opened as a database."));
            }
        };
        let cand = Candidate {
            source: path.to_path_buf(),
            copy,
            conn,
            bytes,
            budget: time_budget(bytes),
            keys: keys.to_vec(),
        };
        defensive(&cand.conn)
            .map_err(|e| refuse(path, &format!("it is damaged or incomplete ({e}).")))?;
        bound(&cand.conn, cand.budget)?;
        Ok(cand)
    }

    /// Every check of the module header's steps 3 and 4; nothing is written.
    fn check(&self) -> Result<Checked> {
        self.check_inner().map_err(|e| {
            if interrupted(&e) {
                refuse(
                    &self.source,
                    "checking it took far too long, so it is treated as damaged.",
                )
            } else if matches!(e, StoreError::BadBackup(_)) {
                e
            } else {
                refuse(&self.source, &format!("it is damaged or unreadable ({e})."))
            }
        })
    }

    fn check_inner(&self) -> Result<Checked> {
        let path = &self.source;
        let conn = &self.conn;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| refuse(path, &format!("it is damaged or incomplete ({e}).")))?;
        let theirs = schema_of(conn, "main").map_err(|_| {
            refuse(
                path,
                "it is damaged or incomplete (its table list cannot be read).",
            )
        })?;
        if !theirs.iter().any(|e| e.0 == "table" && e.1 == "app_meta") {
            return Err(refuse(path, "it is a database, but not a Dermis one."));
        }
        if version > SCHEMA_VERSION {
            return Err(refuse(
                path,
                &format!("it comes from a newer Dermis (schema {version}; this one knows up to {SCHEMA_VERSION}). Update Dermis first."),
            ));
        }
        if version < 1 {
            return Err(refuse(path, "it is a database, but not a Dermis one."));
        }
        let ours = schema_of(&reference_schema(version)?, "main")?;
        if let Some(diff) = schema_difference(&theirs, &ours) {
            return Err(refuse(
                path,
                &format!("it is not laid out as Dermis lays out its data: {diff}. It may have been tampered with."),
            ));
        }
        intact_dermis_file(conn, path, Depth::Full)?;
        let key = self.check_content(version)?;
        let counts = counts(conn, version)?;
        let get = |t: &str| counts.iter().find(|(n, _)| n == t).map_or(0, |(_, c)| *c);
        let photos = listed_photos(conn)?;
        let (audit_head, audit_entries): (Option<String>, i64) = conn.query_row(
            "SELECT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), count(*) FROM audit_log",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let info = BackupInfo {
            path: path.to_path_buf(),
            schema_version: version,
            patients: get("patients"),
            sessions: get("planned_sessions"),
            bytes: self.bytes,
            counts,
            photos: photos.len() as i64,
            photos_missing: count_missing(&photos, &photos_dir_of_backup(path)),
        };
        Ok(Checked {
            facts: RestoreFacts {
                backup_name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                audit_head: audit_head.unwrap_or_else(|| crate::audit::GENESIS_HASH.to_string()),
                audit_entries,
                patients: info.patients,
            },
            info,
            version,
            photos,
            key,
        })
    }

    /// Step 4: what the rows hold. Returns the audit key the file's chain
    /// verified under (None when no keys were given and it is unkeyed).
    fn check_content(&self, version: i64) -> Result<Option<Vec<u8>>> {
        let path = &self.source;
        let conn = &self.conn;
        let has_table = |t: &str| -> Result<bool> {
            Ok(conn.query_row(
                "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                [t],
                |r| r.get(0),
            )?)
        };
        // Roles from the known set.
        let mut st = conn.prepare("SELECT username, roles FROM users")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let username: String = r.get(0)?;
            let roles: String = r.get(1)?;
            if roles.is_empty()
                || roles
                    .split(',')
                    .any(|x| dermis_core::Role::parse(x).is_none())
            {
                return Err(refuse(
                    path,
                    &format!(
                        "the account \"{username}\" has roles Dermis does not know ({roles:?})."
                    ),
                ));
            }
        }
        drop(rows);
        // Photo names that can only be content addresses.
        if has_table("photos")? {
            let mut st = conn.prepare("SELECT id, sha256 FROM photos")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let sha: String = r.get(1)?;
                if !crate::files::is_content_address(&sha) {
                    return Err(refuse(
                        path,
                        &format!("photo {id} has the name {sha:?}, which is not a photo's content address."),
                    ));
                }
            }
        }
        for (t, c) in DATE_COLUMNS {
            if has_table(t)? {
                let bad: Option<String> = conn
                    .query_row(
                        &format!("SELECT \"{c}\" FROM \"{t}\" WHERE \"{c}\" IS NOT NULL AND date(\"{c}\") IS NOT \"{c}\" LIMIT 1"),
                        [],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(v) = bad {
                    return Err(refuse(
                        path,
                        &format!("{t}.{c} holds {v:?}, which is not a date."),
                    ));
                }
            }
        }
        for (t, c) in INSTANT_COLUMNS {
            if has_table(t)? {
                let bad: Option<String> = conn
                    .query_row(
                        &format!(
                            "SELECT \"{c}\" FROM \"{t}\" WHERE julianday(\"{c}\") IS NULL LIMIT 1"
                        ),
                        [],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(v) = bad {
                    return Err(refuse(
                        path,
                        &format!("{t}.{c} holds {v:?}, which is not a time."),
                    ));
                }
            }
        }
        let fk: Option<String> = conn
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(t) = fk {
            return Err(refuse(
                path,
                &format!("rows of {t} refer to rows that are not in the file."),
            ));
        }
        let mut verified = None;
        let mut first_bad = None;
        for key in &self.keys {
            let check = crate::audit::verify_chain(conn, key)?;
            match check.first_bad {
                None => {
                    verified = Some(key.clone());
                    break;
                }
                Some(id) => first_bad = first_bad.or(Some(id)),
            }
        }
        if self.keys.is_empty() {
            first_bad = crate::audit::verify_chain(conn, &[])?.first_bad;
        }
        if verified.is_none() {
            if let Some(id) = first_bad {
                return Err(refuse(
                    path,
                    &format!(
                        "its audit log has been altered, or it comes without its key file (entry {id} does not match the chain)."
                    ),
                ));
            }
        }
        let _ = version;
        Ok(verified)
    }

    /// Step 5: a fresh database at `dest` from our migrations at the file's
    /// version, the rows copied by explicit column lists, migrated to ours,
    /// with the `restore` entry appended; flushed to disk and closed.
    fn build(
        &self,
        dest: &Path,
        checked: &Checked,
        audit: impl FnOnce(&RestoreFacts) -> AuditEntry,
    ) -> Result<()> {
        let path = &self.source;
        drop(create_private_file(dest)?);
        let mut conn = Connection::open(dest)?;
        defensive(&conn)?;
        conn.execute_batch(
            "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;",
        )?;
        crate::migrations::migrations().to_version(&mut conn, checked.version as usize)?;
        bound(&conn, self.budget)?;
        let copied = (|| -> Result<()> {
            conn.execute("ATTACH DATABASE ?1 AS cand", [self.copy.to_string_lossy()])?;
            conn.execute_batch("PRAGMA cand.cache_size=-65536;")?;
            let tables: Vec<String> = conn
                .prepare(
                    "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            conn.execute_batch("BEGIN")?;
            for t in &tables {
                let cols: Vec<String> = conn
                    .prepare(&format!(
                        "SELECT name FROM pragma_table_info('{t}', 'main')"
                    ))?
                    .query_map([], |r| r.get::<_, String>(0))?
                    .map(|c| c.map(|c| format!("\"{c}\"")))
                    .collect::<rusqlite::Result<_>>()?;
                let cols = cols.join(", ");
                conn.execute(&format!("DELETE FROM main.\"{t}\""), [])?;
                conn.execute(
                    &format!("INSERT INTO main.\"{t}\" ({cols}) SELECT {cols} FROM cand.\"{t}\""),
                    [],
                )?;
            }
            conn.execute_batch("COMMIT; DETACH DATABASE cand;")?;
            Ok(())
        })();
        if let Err(e) = copied {
            return Err(if interrupted(&e) {
                refuse(
                    path,
                    "copying it took far too long, so it is treated as damaged.",
                )
            } else {
                refuse(path, &format!("its rows could not be copied ({e})."))
            });
        }
        conn.progress_handler(0, None::<fn() -> bool>)?;
        crate::migrations::migrate(&mut conn).map_err(|_| {
            refuse(
                path,
                "it could not be brought up to this version of Dermis. The clinic's data was not changed.",
            )
        })?;
        conn.execute_batch("PRAGMA foreign_keys=ON;")?;
        let entry = audit(&checked.facts);
        conn.execute_batch("BEGIN")?;
        Tx {
            conn: crate::db::Db::Sqlite(&conn),
            audit_key: checked.key.as_deref(),
            photos_root: None,
            photos_in_db: false,
        }
        .append_audit(&entry)?;
        conn.execute_batch("COMMIT")?;
        conn.close().map_err(|(_, e)| StoreError::from(e))?;
        std::fs::File::open(dest)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_err(dest, e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn damaged_copy(dir: &Path, at: f64) -> Connection {
        let mut s = Store::open(&dir.join("live.db")).unwrap();
        s.write(|tx| -> Result<()> {
            tx.conn.execute_batch(
                "CREATE TABLE filler (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
                 INSERT INTO filler (v) SELECT printf('value %06d', i) FROM n;
                 CREATE INDEX filler_by_v ON filler (v);",
            )?;
            Ok(())
        })
        .unwrap();
        let path = dir.join("copy.db");
        s.backup_to(&path).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = (bytes.len() as f64 * at) as usize / 4096 * 4096;
        for b in &mut bytes[mid..mid + 4096] {
            *b = 0x5A;
        }
        let bad = dir.join("bad.db");
        std::fs::write(&bad, &bytes).unwrap();
        Connection::open_with_flags(&bad, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
    }

    #[test]
    fn the_fresh_copy_check_finds_a_damaged_page_anywhere() {
        for at in [0.3, 0.5, 0.8] {
            let dir = tempfile::tempdir().unwrap();
            let conn = damaged_copy(dir.path(), at);
            assert_ne!(integrity(&conn, Depth::FreshCopy), "ok", "page at {at}");
            assert_ne!(integrity(&conn, Depth::Full), "ok", "page at {at}");
        }
    }

    /// An encrypted backup damaged in one page (ciphertext overwritten, as a
    /// failing disk or stick would) is refused by the fresh-copy check,
    /// wherever the page is.
    #[test]
    fn the_fresh_copy_check_finds_a_damaged_page_in_an_encrypted_copy() {
        let key = crate::cipher::CipherKey::new(&[7u8; 32]);
        for at in [0.3, 0.5, 0.8] {
            let dir = tempfile::tempdir().unwrap();
            let mut s = Store::open_encrypted(&dir.path().join("live.db"), &[7u8; 32]).unwrap();
            s.write(|tx| -> Result<()> {
                tx.conn.execute_batch(
                    "CREATE TABLE filler (id INTEGER PRIMARY KEY, v TEXT NOT NULL);
                     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
                     INSERT INTO filler (v) SELECT printf('value %06d', i) FROM n;
                     CREATE INDEX filler_by_v ON filler (v);",
                )?;
                Ok(())
            })
            .unwrap();
            let path = dir.path().join("copy.db");
            s.backup_to(&path).unwrap();
            assert!(inspect_at_keyed(&path, Depth::FreshCopy, Some(&key)).is_ok());
            let mut bytes = std::fs::read(&path).unwrap();
            assert_ne!(&bytes[..16], b"SQLite format 3\0", "the copy is encrypted");
            let mid = (bytes.len() as f64 * at) as usize / 4096 * 4096;
            for b in &mut bytes[mid..mid + 4096] {
                *b = 0x5A;
            }
            let bad = dir.path().join("bad.db");
            std::fs::write(&bad, &bytes).unwrap();
            let e = inspect_at_keyed(&bad, Depth::FreshCopy, Some(&key)).unwrap_err();
            assert!(matches!(e, StoreError::BadBackup(_)), "page at {at}: {e}");
            let conn = crate::cipher::open_with(&bad, OpenFlags::SQLITE_OPEN_READ_ONLY, Some(&key))
                .unwrap();
            assert_ne!(integrity(&conn, Depth::FreshCopy), "ok", "page at {at}");
        }
    }

    #[test]
    fn a_statement_on_a_file_being_checked_stops_when_its_time_is_up() {
        let conn = Connection::open_in_memory().unwrap();
        bound(&conn, Duration::from_millis(200)).unwrap();
        let started = Instant::now();
        let e = conn
            .query_row(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(StoreError::from)
            .unwrap_err();
        assert!(interrupted(&e), "{e}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_sound_copy_passes_both_checks() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("live.db")).unwrap();
        let path = dir.path().join("copy.db");
        s.backup_to(&path).unwrap();
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        assert_eq!(integrity(&conn, Depth::FreshCopy), "ok");
        assert_eq!(integrity(&conn, Depth::Full), "ok");
    }
}
