//! Photo files beside the database, content-addressed: `photos/ab/<sha256>.jpg`
//! and `photos/thumbs/<sha256>.jpg`. A file is written to a temporary name,
//! flushed to disk and renamed into place, so a crash never leaves half a
//! picture under a real name; the same picture is stored once.
//!
//! **An encrypted clinic keeps no photo files** (issue 21): its pictures are
//! `photo_files` rows inside its SQLCipher database (SQLite migration 0011),
//! exactly as the clinic server keeps them. Chosen over encrypting each file
//! with its own AEAD because (1) the database's encryption then covers them
//! with no second cipher, key derivation or file format to get right; (2) a
//! backup is one encrypted file, checked and restored as one (no photo
//! folder beside it whose files could be swapped, lost or left plaintext);
//! (3) `dermis encrypt` moves the pictures into the new encrypted file BEFORE
//! its one atomic rename, so a killed run leaves the old plaintext clinic
//! with its files or the new encrypted one with its rows, never a mix;
//! (4) SQLCipher authenticates every page (HMAC with the page number), so a
//! damaged or swapped picture is refused as damaged. The cost: the database
//! grows by the photos (a few hundred kB each after re-encoding), and each
//! backup copies them all instead of hard-linking unchanged files.
//!
//! Everything Dermis writes is private to the user who runs it: folders it
//! creates are 0700 and files 0600 on Unix (Windows' app-data folder already
//! carries a user-only ACL). Temporary names carry the process id and a
//! counter, so they never collide with a user's file or another writer's, and
//! the start-up clean-up ([`clean_leftovers`]) can recognise them.

use crate::db::OptionalExtension;
use crate::{Result, Store, StoreError};
use std::io::Write;
use std::path::{Path, PathBuf};

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The photo folder of the database at `db_path`.
pub fn photos_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
        .join("photos")
}

/// True for a content address: 64 lowercase hexadecimal digits (so it can
/// never name a path outside the photo folder).
pub fn is_content_address(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Creates `dir` (and its parents) with mode 0700 for the folders it makes.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| io(dir, e))
}

/// Makes an existing file readable and writable by its owner only.
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates a new, empty file that only its owner can read (fails if it exists).
pub fn create_private_file(path: &Path) -> Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| io(path, e))
}

/// The marker every temporary name carries (see [`temp_name`]).
pub(crate) const TEMP_MARK: &str = ".dermis-tmp-";

/// A temporary name beside `dest` that no user file and no other writer
/// uses: `<name>.dermis-tmp-<pid>-<n>.<ext>`.
pub fn temp_name(dest: &Path, ext: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dermis".into());
    dest.with_file_name(format!(
        "{name}{TEMP_MARK}{}-{n}-{nanos}.{ext}",
        std::process::id()
    ))
}

/// Flushes a folder's entries (a rename is durable only once its folder is).
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(f) = std::fs::File::open(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes what a killed run left behind in the folders of the database at
/// `db`: temporary files older than an hour (`*.dermis-tmp-*`, and the old
/// `*.partial` / `*.part` names) in the data, backup and photo folders, and
/// `before-restore` copies beyond the newest one, or any older than 7 days.
/// Returns how many files were removed. Errors are skipped: clean-up must
/// never stop the clinic from opening.
pub fn clean_leftovers(db: &Path) -> usize {
    use std::time::{Duration, SystemTime};
    let now = SystemTime::now();
    let age = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .unwrap_or(Duration::ZERO)
    };
    let hour = Duration::from_secs(3600);
    let week = Duration::from_secs(7 * 24 * 3600);
    let data = db.parent().unwrap_or(Path::new(".")).to_path_buf();
    let photos = photos_dir(db);
    let mut folders = vec![
        data.clone(),
        crate::backup::backups_dir(db),
        photos.join("thumbs"),
    ];
    if let Ok(rd) = std::fs::read_dir(&photos) {
        folders.extend(
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir() && !p.ends_with("thumbs")),
        );
    }
    let files = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut removed = 0;
    for dir in &folders {
        for p in files(dir) {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let leftover = name.contains(TEMP_MARK)
                || (dir != &data && (name.ends_with(".partial") || name.ends_with(".part")));
            if leftover && age(&p) > hour && std::fs::remove_file(&p).is_ok() {
                removed += 1;
            }
        }
    }
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut kept: Vec<PathBuf> = files(&data)
        .into_iter()
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| {
                n.starts_with(&format!("{stem}.before-restore-")) && n.ends_with(".db")
            })
        })
        .collect();
    // The names carry a sortable time stamp: newest last.
    kept.sort();
    let newest = kept.pop();
    for p in kept.into_iter().chain(newest.filter(|p| age(p) > week)) {
        if std::fs::remove_file(&p).is_ok() {
            removed += 1;
            // Its photo links go with it (the live photos are not touched).
            let _ = std::fs::remove_dir_all(crate::backup::photos_dir_of_backup(&p));
        }
    }
    removed
}

fn check_hash(sha256: &str) -> Result<()> {
    if is_content_address(sha256) {
        Ok(())
    } else {
        Err(StoreError::Internal(format!(
            "not a content address: {sha256:?}"
        )))
    }
}

/// Where the picture with this hash and extension lives under `root`.
pub fn photo_path(root: &Path, sha256: &str, ext: &str) -> PathBuf {
    root.join(&sha256[..2.min(sha256.len())])
        .join(format!("{sha256}.{ext}"))
}

pub fn thumb_path(root: &Path, sha256: &str) -> PathBuf {
    root.join("thumbs").join(format!("{sha256}.jpg"))
}

/// Writes `bytes` to `dest` unless a file of the same length is already there.
pub fn put_atomic(dest: &Path, bytes: &[u8]) -> Result<()> {
    if let Ok(m) = std::fs::metadata(dest) {
        if m.len() == bytes.len() as u64 {
            return Ok(());
        }
    }
    let dir = dest
        .parent()
        .ok_or_else(|| StoreError::Internal(format!("{} has no folder", dest.display())))?;
    create_private_dir(dir)?;
    let tmp = temp_name(dest, "part");
    let written = (|| {
        let mut f = create_private_file(&tmp)?;
        f.write_all(bytes).map_err(|e| io(&tmp, e))?;
        f.sync_all().map_err(|e| io(&tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, dest).map_err(|e| io(dest, e))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(dir);
    Ok(())
}

impl Store {
    /// The folder holding this database's photos (none for a database in
    /// memory, nor on the clinic server, which keeps them in `photo_files`).
    pub fn photos_dir(&self) -> Result<PathBuf> {
        self.path()
            .map(photos_dir)
            .ok_or_else(|| StoreError::Internal("a database in memory keeps no photos".into()))
    }

    /// Stores a photo and its thumbnail under their content address: files
    /// beside an SQLite database, a `photo_files` row on the clinic server.
    pub fn put_photo_files(
        &mut self,
        sha256: &str,
        ext: &str,
        photo: &[u8],
        thumb: &[u8],
    ) -> Result<()> {
        if self.is_server() || self.is_encrypted() {
            return self.write(|tx| tx.put_photo_files(sha256, ext, photo, thumb));
        }
        check_hash(sha256)?;
        let root = self.photos_dir()?;
        put_atomic(&photo_path(&root, sha256, ext), photo)?;
        put_atomic(&thumb_path(&root, sha256), thumb)
    }

    /// In an encrypted clinic: moves into the database the pictures its
    /// photo rows list that are still plaintext files beside it (a clinic
    /// encrypted before pictures went inside; a file whose content is not its
    /// name is left alone), then removes the plaintext photo files whose
    /// picture is inside (what `dermis encrypt` leaves behind until its last
    /// step, or after a kill just before it), then the folders left empty.
    /// Files only unlinked, not overwritten: the verified plaintext backup
    /// made before encrypting may share them (hard links), and it is the
    /// administrator's to remove. Returns how many files went; nothing for a
    /// plaintext clinic or without a folder.
    pub fn remove_plaintext_photo_files(&mut self) -> Result<usize> {
        if !self.is_encrypted() || self.is_server() {
            return Ok(0);
        }
        let Ok(root) = self.photos_dir() else {
            return Ok(0);
        };
        if !root.is_dir() {
            return Ok(0);
        }
        let outside: Vec<(String, String)> = self.read(|tx| tx.photos_outside_db())?;
        for (sha, mime) in outside {
            if !is_content_address(&sha) {
                continue;
            }
            let ext = if mime == "image/png" { "png" } else { "jpg" };
            let Ok(photo) = std::fs::read(photo_path(&root, &sha, ext)) else {
                continue;
            };
            let actual: String = {
                use sha2::Digest;
                sha2::Sha256::digest(&photo)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            };
            if actual != sha {
                continue;
            }
            let thumb = std::fs::read(thumb_path(&root, &sha)).unwrap_or_default();
            self.write(|tx| tx.put_photo_files(&sha, ext, &photo, &thumb))?;
        }
        let inside: Vec<(String, &'static str)> = self.read(|tx| -> Result<_> {
            let mut out = vec![];
            for (sha, mime) in tx.photo_file_names()? {
                out.push((sha, if mime == "image/png" { "png" } else { "jpg" }));
            }
            Ok(out)
        })?;
        let mut removed = 0;
        for (sha, ext) in inside {
            if !is_content_address(&sha) {
                continue;
            }
            for p in [photo_path(&root, &sha, ext), thumb_path(&root, &sha)] {
                if std::fs::remove_file(&p).is_ok() {
                    removed += 1;
                }
            }
        }
        if let Ok(rd) = std::fs::read_dir(&root) {
            for e in rd.filter_map(|e| e.ok()) {
                let _ = std::fs::remove_dir(e.path());
            }
        }
        let _ = std::fs::remove_dir(&root);
        sync_dir(root.parent().unwrap_or(Path::new(".")));
        Ok(removed)
    }

    /// Reads a stored photo (or its thumbnail).
    pub fn read_photo_file(&mut self, sha256: &str, ext: &str, thumb: bool) -> Result<Vec<u8>> {
        self.read(|tx| tx.read_photo_file(sha256, ext, thumb))
    }

    /// Removes a stored photo and its thumbnail (missing ones are no error);
    /// how many files (on the server: rows) were removed.
    pub fn remove_photo_files(&mut self, sha256: &str, ext: &str) -> Result<usize> {
        if self.is_server() || self.is_encrypted() {
            return self.write(|tx| tx.remove_photo_files(sha256, ext));
        }
        check_hash(sha256)?;
        let root = self.photos_dir()?;
        let mut removed = 0;
        for p in [photo_path(&root, sha256, ext), thumb_path(&root, sha256)] {
            match std::fs::remove_file(&p) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&p, e)),
            }
        }
        Ok(removed)
    }
}

/// Photo bytes inside a transaction: one place that knows where they live
/// (files under the photo folder on SQLite, `photo_files` on the server).
impl crate::Tx<'_> {
    /// See [`Store::put_photo_files`]; on SQLite the files are written at
    /// once (a file is not part of the transaction; a name is its content,
    /// so a file whose row never lands is harmless and cleaned with orphans).
    pub fn put_photo_files(
        &self,
        sha256: &str,
        ext: &str,
        photo: &[u8],
        thumb: &[u8],
    ) -> Result<()> {
        check_hash(sha256)?;
        if self.conn.is_pg() || self.photos_in_db {
            self.conn.execute(
                "INSERT INTO photo_files (sha256, photo, thumb) VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING",
                crate::db::params![sha256, photo.to_vec(), thumb.to_vec()],
            )?;
            return Ok(());
        }
        let root = self.photos_root()?;
        put_atomic(&photo_path(&root, sha256, ext), photo)?;
        put_atomic(&thumb_path(&root, sha256), thumb)
    }

    /// The photo rows' pictures NOT kept inside this database: (sha256, mime).
    pub fn photos_outside_db(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.conn.prepare(
            "SELECT DISTINCT sha256, mime FROM photos WHERE sha256 NOT IN (SELECT sha256 FROM photo_files)",
        )?;
        let rows = st.query_map((), |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
        rows.collect()
    }

    /// The pictures kept inside this database (`photo_files`), with the
    /// MIME type a photo row gives each: (sha256, mime).
    pub fn photo_file_names(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.conn.prepare(
            "SELECT f.sha256, coalesce((SELECT p.mime FROM photos p WHERE p.sha256 = f.sha256 LIMIT 1), 'image/jpeg') FROM photo_files f",
        )?;
        let rows = st.query_map((), |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
        rows.collect()
    }

    /// A stored photo's bytes (or its thumbnail's).
    pub fn read_photo_file(&self, sha256: &str, ext: &str, thumb: bool) -> Result<Vec<u8>> {
        check_hash(sha256)?;
        if self.conn.is_pg() || self.photos_in_db {
            let sql = if thumb {
                "SELECT thumb FROM photo_files WHERE sha256 = ?1"
            } else {
                "SELECT photo FROM photo_files WHERE sha256 = ?1"
            };
            return self
                .conn
                .query_row(sql, [sha256], |r| r.get::<Vec<u8>>(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound("The photo's picture".into()));
        }
        let root = self.photos_root()?;
        let p = if thumb {
            thumb_path(&root, sha256)
        } else {
            photo_path(&root, sha256, ext)
        };
        std::fs::read(&p).map_err(|e| io(&p, e))
    }

    /// On the clinic server and in an encrypted file: deletes the picture's
    /// row (how many: 0 or 2, counting the photo and its thumbnail as the
    /// files are counted). On a plaintext SQLite file nothing: files go
    /// after the commit ([`Store::remove_photo_files`]).
    pub fn remove_photo_files(&self, sha256: &str, _ext: &str) -> Result<usize> {
        check_hash(sha256)?;
        if !self.conn.is_pg() && !self.photos_in_db {
            return Ok(0);
        }
        let n = self
            .conn
            .execute("DELETE FROM photo_files WHERE sha256 = ?1", [sha256])?;
        Ok(n * 2)
    }
}
