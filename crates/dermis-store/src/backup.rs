//! Backups with SQLite's online backup API, checked after they are written,
//! and the checks a file must pass before it may replace the clinic's data.

use crate::migrations::SCHEMA_VERSION;
use crate::{Result, Store, StoreError};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    let mut st = conn.prepare("SELECT sha256, mime FROM photos ORDER BY id")?;
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
/// checked against its SHA-256. Returns how many photos have no source file.
pub(crate) fn copy_photos(
    photos: &[(String, &'static str)],
    from_root: &Path,
    to_root: &Path,
) -> Result<i64> {
    let mut missing = 0;
    for (sha, ext) in photos {
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
            if std::fs::metadata(&dst).is_ok_and(|m| m.len() == meta.len()) {
                continue;
            }
            let dir = dst.parent().unwrap_or(to_root);
            std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
            let tmp = dst.with_extension("part");
            let _ = std::fs::remove_file(&tmp);
            if std::fs::hard_link(&src, &tmp).is_err() {
                std::fs::copy(&src, &tmp).map_err(|e| io_err(&tmp, e))?;
                if is_photo && sha256_hex(&tmp)? != *sha {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(StoreError::BadBackup(format!(
                        "the copy of photo {sha} does not match the original"
                    )));
                }
            }
            std::fs::rename(&tmp, &dst).map_err(|e| io_err(&dst, e))?;
        }
    }
    Ok(missing)
}

fn count_missing(photos: &[(String, &'static str)], root: &Path) -> i64 {
    photos
        .iter()
        .filter(|(sha, ext)| !crate::files::photo_path(root, sha, ext).is_file())
        .count() as i64
}

/// How thoroughly a file is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// SQLite's full `integrity_check`: for a file about to be restored.
    Full,
    /// A backup this process just wrote with the online backup API (a
    /// page-for-page copy of a consistent snapshot): `quick_check` over every
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

/// Opens `path` read-only and checks that it is a whole, intact Dermis
/// database this build can open. Nothing is written to it.
pub fn inspect(path: &Path) -> Result<BackupInfo> {
    inspect_at(path, Depth::Full)
}

fn inspect_at(path: &Path, depth: Depth) -> Result<BackupInfo> {
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
    if !header_ok {
        return Err(refuse(path, "it is not a database file at all."));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| refuse(path, "it could not be opened as a database."))?;
    let integrity = integrity(&conn, depth);
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
pub(crate) fn copy_verified(
    conn: &Connection,
    dest: &Path,
    expect_version: i64,
    live_photos: Option<&Path>,
) -> Result<BackupInfo> {
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::Io {
            path: parent.to_path_buf(),
            source: e,
        })?;
    }
    let tmp = dest.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    {
        let mut out = Connection::open(&tmp)?;
        Backup::new(conn, &mut out)?.run_to_completion(1024, Duration::from_millis(0), None)?;
        // A backup is one self-contained file: no -wal/-shm beside it.
        let _: String = out.query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))?;
    }
    let live = counts(conn, expect_version)?;
    let checked = inspect_at(&tmp, Depth::FreshCopy).and_then(|info| {
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
            let c = Connection::open_with_flags(&tmp, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            listed_photos(&c)?
        };
        if !photos.is_empty() {
            if let Err(e) = copy_photos(&photos, root, &photos_dir_of_backup(dest)) {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        }
    }
    std::fs::rename(&tmp, dest).map_err(|e| StoreError::Io {
        path: dest.to_path_buf(),
        source: e,
    })?;
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
    }
    Ok(remove)
}

/// Backs up the database file at `db` through a connection of its own, so
/// the clinic's connection stays free meanwhile (the daily backup at start
/// must not hold up the sign-in screen). The copy and the row counts it is
/// checked against come from one read snapshot, whatever others write.
pub fn backup_file(db: &Path, dest: &Path) -> Result<BackupInfo> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_millis(5000))?;
    // Start a read transaction: the backup and the counts see the same snapshot.
    conn.execute_batch("BEGIN")?;
    let _: i64 = conn.query_row("SELECT count(*) FROM app_meta", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let result = copy_verified(&conn, dest, version, Some(&crate::files::photos_dir(db)));
    let _ = conn.execute_batch("COMMIT");
    result
}

impl Store {
    /// Writes a consistent copy of the live database to `dest` while the
    /// clinic keeps working, then verifies it (integrity, schema version, row
    /// counts equal to the live database's). The copy appears at `dest` only
    /// once verified.
    pub fn backup_to(&mut self, dest: &Path) -> Result<BackupInfo> {
        let live_photos = self.path.as_deref().map(crate::files::photos_dir);
        copy_verified(&self.conn, dest, SCHEMA_VERSION, live_photos.as_deref())
    }

    /// Replaces the clinic's data with the backup at `from`. The file is
    /// checked first; the current data is copied to `keep` before anything
    /// changes and put back if any later step fails.
    pub fn restore_from(&mut self, from: &Path, keep: &Path) -> Result<BackupInfo> {
        let info = inspect(from)?;
        self.backup_to(keep)?;
        let result = (|| -> Result<()> {
            let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            Backup::new(&src, &mut self.conn)?.run_to_completion(
                1024,
                Duration::from_millis(0),
                None,
            )?;
            let _: String = self
                .conn
                .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            crate::migrations::migrate(&mut self.conn)?;
            let ok: String = self
                .conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(StoreError::BadBackup(format!(
                    "the restored data failed its check: {ok}"
                )));
            }
            Ok(())
        })();
        if let Err(e) = result {
            let src = Connection::open_with_flags(keep, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            Backup::new(&src, &mut self.conn)?.run_to_completion(
                1024,
                Duration::from_millis(0),
                None,
            )?;
            return Err(e);
        }
        // The backup's photos join the live folder (content-addressed: nothing is overwritten).
        if let Some(root) = self.path.as_deref().map(crate::files::photos_dir) {
            let photos = listed_photos(&self.conn)?;
            copy_photos(&photos, &photos_dir_of_backup(from), &root)?;
        }
        Ok(info)
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
