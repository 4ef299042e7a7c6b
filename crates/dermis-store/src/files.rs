//! Photo files beside the database, content-addressed: `photos/ab/<sha256>.jpg`
//! and `photos/thumbs/<sha256>.jpg`. A file is written to a temporary name,
//! flushed to disk and renamed into place, so a crash never leaves half a
//! picture under a real name; the same picture is stored once.

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

fn check_hash(sha256: &str) -> Result<()> {
    if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
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
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let tmp = dest.with_extension("part");
    let mut f = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| io(&tmp, e))?;
    f.sync_all().map_err(|e| io(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, dest).map_err(|e| io(dest, e))?;
    Ok(())
}

impl Store {
    /// The folder holding this database's photos (none for a database in memory).
    pub fn photos_dir(&self) -> Result<PathBuf> {
        self.path()
            .map(photos_dir)
            .ok_or_else(|| StoreError::Internal("a database in memory keeps no photos".into()))
    }

    /// Stores a photo and its thumbnail under their content address.
    pub fn put_photo_files(
        &self,
        sha256: &str,
        ext: &str,
        photo: &[u8],
        thumb: &[u8],
    ) -> Result<()> {
        check_hash(sha256)?;
        let root = self.photos_dir()?;
        put_atomic(&photo_path(&root, sha256, ext), photo)?;
        put_atomic(&thumb_path(&root, sha256), thumb)
    }

    /// Reads a stored photo (or its thumbnail).
    pub fn read_photo_file(&self, sha256: &str, ext: &str, thumb: bool) -> Result<Vec<u8>> {
        check_hash(sha256)?;
        let root = self.photos_dir()?;
        let p = if thumb {
            thumb_path(&root, sha256)
        } else {
            photo_path(&root, sha256, ext)
        };
        std::fs::read(&p).map_err(|e| io(&p, e))
    }
}
