//! The clinic's audit key and the anchor: the two things about the audit log
//! that live OUTSIDE the database, so that someone holding only the database
//! file can neither rewrite the log nor cut it short unnoticed.
//!
//! - **The key** (32 random bytes) keys the HMAC chain of dermis-store's audit
//!   log. It is a file `<db name>.audit-key` beside the database, created
//!   with mode 0600 on first open. (An OS key store would be stronger against
//!   a thief with the whole user account; Dermis runs offline on Windows,
//!   macOS and Linux desktops where that is three different APIs, so the file
//!   is the portable floor and the trade-off is written here.)
//! - **The anchor** `<db name>.audit-anchor` holds the log's entry count and
//!   head hash after every write, with a MAC under the key. At start-up and
//!   on `audit verify` the log must reach the anchor: fewer entries or another
//!   head means entries were deleted or the log was wiped or replaced.
//!
//! What an attacker can still do: with the database file ALONE, nothing
//! silent — an edit, a re-chain (even with the old unkeyed formula), a cut or
//! a wipe is reported. With the database AND the key file (the same folder on
//! the same disk) they can forge a consistent log; what then still catches
//! them is the head printed on paper by `dermis audit checkpoint`, which a
//! forged history cannot reproduce. That is why the checkpoint exists.
//!
//! On the clinic server there is no file to sit beside: each PC keeps the
//! key and anchor in its OS data folder, per server and database (see
//! `server.rs`, which also says why a PC without the key is refused).
//!
//! A new PC: a backup folder carries the key (`dermis.audit-key`, 0600),
//! so restoring it elsewhere keeps the chain verifiable; the restore adopts
//! that key only after the backup's chain checks out under it. The cost: a
//! stolen backup folder includes the key — the backup already includes every
//! patient, so the key adds little to what such a thief has.

use crate::{ClinicError, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// `dermis.db` → `dermis.audit-key` beside it.
pub fn key_path(db: &Path) -> PathBuf {
    db.with_extension("audit-key")
}

/// The key saved in a backup folder: one file for all the backups there
/// (they are signed with the same clinic key).
pub fn backup_key_path(backup: &Path) -> PathBuf {
    backup
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
        .join("dermis.audit-key")
}

/// `dermis.db` → `dermis.audit-anchor` beside it.
pub fn anchor_path(db: &Path) -> PathBuf {
    db.with_extension("audit-anchor")
}

/// The key or anchor a restore will need once its swap is done, written
/// before the swap: `dermis.audit-anchor` → `dermis.audit-anchor.pending`.
/// The next open keeps it if the swap happened, else removes it (see
/// `Clinic::settle_pending_restore`), so a kill between the swap and the new
/// anchor never reads as a cut log.
pub fn pending_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".pending");
    path.with_file_name(name)
}

/// The pending anchor a restore writes before its swap, as it would read
/// under `key`.
pub(crate) fn read_anchor_file(path: &Path, key: &[u8]) -> Result<Anchored> {
    AnchorPlace::File(path.to_path_buf()).read(key)
}

fn io(path: &Path, e: std::io::Error) -> ClinicError {
    ClinicError::Io(format!("{} could not be used: {e}", path.display()))
}

/// Writes `bytes` to `path` through a temporary file (readable by the owner
/// only on Unix) and a rename, so a crash leaves the old or the new file.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp-write");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(|e| io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| io(&tmp, e))?;
    f.sync_all().map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A fresh random key.
pub(crate) fn new_key() -> Vec<u8> {
    let mut k = vec![0u8; 32];
    OsRng.fill_bytes(&mut k);
    k
}

/// Reads the key at `path`; `None` when there is none.
pub(crate) fn read_key(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read_to_string(path) {
        Ok(text) => unhex(&text)
            .filter(|k| k.len() >= 16)
            .map(Some)
            .ok_or_else(|| {
                ClinicError::Io(format!(
                    "The audit key {} is damaged: put back the copy kept with your backups.",
                    path.display()
                ))
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path, e)),
    }
}

pub(crate) fn write_key(path: &Path, key: &[u8]) -> Result<()> {
    write_private(path, hex(key).as_bytes())
}

/// The log's size and head as last seen by this clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub count: i64,
    pub head: String,
    mac: String,
}

fn anchor_mac(key: &[u8], count: i64, head: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(format!("dermis-audit-anchor\n{count}\n{head}").as_bytes());
            hex(&m.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

impl Anchor {
    pub fn new(key: &[u8], count: i64, head: &str) -> Anchor {
        Anchor {
            count,
            head: head.to_string(),
            mac: anchor_mac(key, count, head),
        }
    }

    fn genuine(&self, key: &[u8]) -> bool {
        !self.mac.is_empty() && self.mac == anchor_mac(key, self.count, &self.head)
    }
}

/// Where the anchor is kept: a file beside the database, or memory for a
/// clinic in memory (tests).
#[derive(Clone)]
pub(crate) enum AnchorPlace {
    File(PathBuf),
    Memory(Arc<Mutex<Option<Anchor>>>),
}

/// What reading the anchor found.
pub(crate) enum Anchored {
    None,
    Found(Anchor),
    /// The file is there but not written with this key.
    Forged,
}

impl AnchorPlace {
    pub(crate) fn read(&self, key: &[u8]) -> Result<Anchored> {
        let found = match self {
            AnchorPlace::File(p) => match std::fs::read_to_string(p) {
                Ok(t) => match serde_json::from_str::<Anchor>(&t) {
                    Ok(a) => Some(a),
                    Err(_) => return Ok(Anchored::Forged),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(io(p, e)),
            },
            AnchorPlace::Memory(m) => m.lock().ok().and_then(|a| a.clone()),
        };
        Ok(match found {
            None => Anchored::None,
            Some(a) if a.genuine(key) => Anchored::Found(a),
            Some(_) => Anchored::Forged,
        })
    }

    pub(crate) fn write(&self, anchor: Anchor) -> Result<()> {
        match self {
            AnchorPlace::File(p) => {
                let text = serde_json::to_string(&anchor)
                    .map_err(|e| ClinicError::Internal(e.to_string()))?;
                write_private(p, text.as_bytes())
            }
            AnchorPlace::Memory(m) => {
                if let Ok(mut g) = m.lock() {
                    *g = Some(anchor);
                }
                Ok(())
            }
        }
    }

    /// The hook dermis-store calls after each write: the anchor follows the
    /// log forward, never backward (a shorter log is a cut, reported, not adopted).
    pub(crate) fn hook(&self, key: Vec<u8>) -> dermis_store::AuditHook {
        let place = self.clone();
        Box::new(move |count, head| {
            if let Ok(Anchored::Found(a)) = place.read(&key) {
                if count < a.count {
                    tracing::error!(
                        "the audit log has {count} entries, fewer than the {} anchored",
                        a.count
                    );
                    return;
                }
            }
            if let Err(e) = place.write(Anchor::new(&key, count, head)) {
                tracing::warn!("the audit anchor could not be written: {e}");
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_edited_without_the_key_is_forged() {
        let place = AnchorPlace::Memory(Arc::new(Mutex::new(None)));
        let key = new_key();
        place.write(Anchor::new(&key, 5, "abc")).unwrap();
        assert!(matches!(place.read(&key).unwrap(), Anchored::Found(a) if a.count == 5));
        place
            .write(Anchor::new(b"another key......", 3, "abc"))
            .unwrap();
        assert!(matches!(place.read(&key).unwrap(), Anchored::Forged));
    }

    #[test]
    fn the_key_file_is_private_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("dermis.audit-key");
        let key = new_key();
        write_key(&p, &key).unwrap();
        assert_eq!(read_key(&p).unwrap(), Some(key));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn an_audit_key_that_cannot_be_opened_is_an_error_not_a_clinic_without_one() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_key(&dir.path().join("none")).unwrap(), None);
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let e = read_key(&file.join("audit-key")).unwrap_err();
        assert!(e.to_string().contains("audit-key"), "{e}");
    }
}
