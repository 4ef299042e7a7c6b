//! The data key of an encrypted clinic (issue 21) and the key file beside
//! the database that holds it, only ever wrapped.
//!
//! An encrypted clinic's SQLite file is SQLCipher-encrypted under one random
//! 256-bit **data key**. That key is never written down in the clear: the
//! key file `dermis.db.keys` holds it sealed (XChaCha20-Poly1305) once per
//! active account, under a key derived from that account's password with
//! Argon2id, and once under the **recovery key** shown once at set-up.
//! Signing in unwraps the data key with the typed password; a forgotten
//! password is replaced with the recovery key (`dermis recover`).
//!
//! Why here (dermis-clinic) and not in dermis-store: the wraps follow the
//! accounts' lifecycle (create, change/reset password, deactivate), which
//! lives in this crate, and the Argon2 code is already here; dermis-store
//! only takes the raw key (`Store::open_encrypted`) and holds no SQL for it.
//!
//! Each wrap's associated data binds the key file's random clinic id, the
//! wrap's kind and the user name: a wrap copied from another account or
//! another clinic's key file does not open. The file is a small JSON
//! document read with hard limits (size, number of wraps, Argon2 costs), so
//! a crafted file is refused with a sentence, never a panic or a 4 GB
//! allocation. It is written atomically (temporary file, fsync, rename,
//! fsync of the folder): a kill leaves the old file or the new one.

use crate::{ClinicError, Result};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// The key file's format tag and version.
const FORMAT: &str = "dermis-keys";
const VERSION: u32 = 1;
/// A key file is a few kB; anything much bigger is not one.
const MAX_FILE_BYTES: u64 = 256 * 1024;
/// More wraps than any clinic has accounts.
const MAX_WRAPS: usize = 500;
/// Argon2id costs accepted from a file: at most 256 MiB and 10 passes, so a
/// crafted file cannot make sign-in allocate gigabytes or spin for minutes;
/// at least 8 MiB, so a file cannot be weakened to make guessing cheap.
const MIN_M_KIB: u32 = 8 * 1024;
pub(crate) const MAX_M_KIB: u32 = 256 * 1024;
pub(crate) const MAX_T: u32 = 10;
pub(crate) const MAX_P: u32 = 4;
/// The costs new wraps get: Argon2's defaults (OWASP's 19 MiB, 2 passes, 1 lane),
/// the same as the accounts' password hashes.
pub(crate) const NEW_M_KIB: u32 = 19 * 1024;
pub(crate) const NEW_T: u32 = 2;
pub(crate) const NEW_P: u32 = 1;
/// Recovery keys: 160 random bits, 32 Crockford base32 characters.
const RECOVERY_BYTES: usize = 20;
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The clinic's 256-bit data key; wiped from memory when dropped, never printed.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh random key.
    pub fn generate() -> DataKey {
        let mut k = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(&mut k[..]);
        DataKey(k)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// A recovery key as shown to the clinic: `ABCD-EFGH-…` (8 groups of 4).
pub struct RecoveryKey(Zeroizing<String>);

impl RecoveryKey {
    pub(crate) fn generate() -> (RecoveryKey, Zeroizing<Vec<u8>>) {
        let mut raw = Zeroizing::new(vec![0u8; RECOVERY_BYTES]);
        OsRng.fill_bytes(&mut raw);
        let chars = base32(&raw);
        let grouped: Vec<String> = chars
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        (RecoveryKey(Zeroizing::new(grouped.join("-"))), raw)
    }

    /// The key to show once (and print on the recovery sheet).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The raw bytes of a typed recovery key: case, spaces and dashes do not
/// matter; O reads as 0 and I/L as 1 (Crockford's alphabet). `None` when it
/// is not 32 such characters.
pub(crate) fn parse_recovery(typed: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut bits: u64 = 0;
    let mut nbits = 0;
    let mut out = Zeroizing::new(Vec::with_capacity(RECOVERY_BYTES));
    let mut count = 0;
    for c in typed.chars() {
        if c == '-' || c.is_whitespace() {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        let v = CROCKFORD.iter().position(|&a| a as char == c)? as u64;
        count += 1;
        if count > RECOVERY_BYTES * 8 / 5 {
            return None;
        }
        bits = (bits << 5) | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    (out.len() == RECOVERY_BYTES && nbits == 0).then_some(out)
}

fn base32(raw: &[u8]) -> String {
    let mut s = String::new();
    let mut bits: u64 = 0;
    let mut nbits = 0;
    for &b in raw {
        bits = (bits << 8) | u64::from(b);
        nbits += 8;
        while nbits >= 5 {
            nbits -= 5;
            s.push(CROCKFORD[((bits >> nbits) & 31) as usize] as char);
        }
        bits &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        s.push(CROCKFORD[((bits << (5 - nbits)) & 31) as usize] as char);
    }
    s
}

/// Argon2id costs and salt of one wrap.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Kdf {
    alg: String,
    m_kib: u32,
    t: u32,
    p: u32,
    salt: String,
}

/// The data key sealed under one secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Wrap {
    /// "user" or "recovery".
    kind: String,
    /// The account's user name (empty for the recovery wrap).
    #[serde(default)]
    username: String,
    kdf: Kdf,
    nonce: String,
    sealed: String,
}

/// The key file of an encrypted clinic.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyFile {
    format: String,
    version: u32,
    /// Random, made at set-up; bound into every wrap.
    clinic_id: String,
    wraps: Vec<Wrap>,
}

/// Where the key file of the database at `db` lives: `<db>.keys`.
pub fn key_file_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".keys");
    PathBuf::from(s)
}

/// True when `db` is an encrypted clinic: a key file beside it, and the
/// database (if it exists and has a first page) not starting with SQLite's
/// plaintext header.
pub fn is_encrypted(db: &Path) -> bool {
    if !key_file_path(db).exists() {
        return false;
    }
    let mut head = [0u8; 16];
    match std::fs::File::open(db).and_then(|mut f| f.read_exact(&mut head)) {
        Ok(()) => &head != b"SQLite format 3\0",
        Err(_) => true,
    }
}

fn bad(path: &Path, why: impl std::fmt::Display) -> ClinicError {
    ClinicError::Io(format!(
        "The key file {} cannot be used: {why}. Restore it from the backup it came with.",
        path.display()
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str, len: usize) -> Option<Vec<u8>> {
    if s.len() != len * 2 || !s.is_ascii() {
        return None;
    }
    (0..len)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok())
        .collect()
}

fn aad(clinic_id: &str, kind: &str, username: &str) -> Vec<u8> {
    format!("dermis-keys v{VERSION}\0{clinic_id}\0{kind}\0{username}").into_bytes()
}

/// The wrapping key for `secret` under `kdf` (costs already checked).
fn derive(secret: &[u8], kdf: &Kdf, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    derive_key(secret, salt, kdf.m_kib, kdf.t, kdf.p)
}

/// Argon2id (version 0x13) of `secret` with `salt` at the given costs, 32
/// bytes: the one derivation of every wrap, here and in `keywrap` (the clinic
/// server's audit key). The caller has checked the costs against the limits.
pub(crate) fn derive_key(
    secret: &[u8],
    salt: &[u8],
    m_kib: u32,
    t: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(m_kib, t, p, Some(32))
        .map_err(|e| ClinicError::Internal(format!("Argon2 parameters: {e}")))?;
    crate::password::count_argon2();
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    a.hash_password_into(secret, salt, &mut out[..])
        .map_err(|e| ClinicError::Internal(format!("the key could not be derived: {e}")))?;
    Ok(out)
}

fn seal(clinic_id: &str, kind: &str, username: &str, secret: &[u8], key: &DataKey) -> Result<Wrap> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let kdf = Kdf {
        alg: "argon2id".into(),
        m_kib: NEW_M_KIB,
        t: NEW_T,
        p: NEW_P,
        salt: hex(&salt),
    };
    let wk = derive(secret, &kdf, &salt)?;
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(wk.as_ref().into());
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.bytes(),
                aad: &aad(clinic_id, kind, username),
            },
        )
        .map_err(|_| ClinicError::Internal("the data key could not be sealed".into()))?;
    Ok(Wrap {
        kind: kind.into(),
        username: username.into(),
        kdf,
        nonce: hex(&nonce),
        sealed: hex(&sealed),
    })
}

impl KeyFile {
    /// A new key file with a fresh data key wrapped for `username`'s
    /// `password` and a fresh recovery key; returns all three.
    pub fn create(username: &str, password: &str) -> Result<(KeyFile, DataKey, RecoveryKey)> {
        let key = DataKey::generate();
        let mut id = [0u8; 16];
        OsRng.fill_bytes(&mut id);
        let mut file = KeyFile {
            format: FORMAT.into(),
            version: VERSION,
            clinic_id: hex(&id),
            wraps: vec![],
        };
        let (recovery, raw) = RecoveryKey::generate();
        file.wraps
            .push(seal(&file.clinic_id, "recovery", "", &raw, &key)?);
        file.set_user(username, password, &key)?;
        Ok((file, key, recovery))
    }

    /// Reads the key file at `path`; `None` when there is none. A file that
    /// is too big, not a key file, or asks for costs outside the limits is
    /// refused.
    pub fn read(path: &Path) -> Result<Option<KeyFile>> {
        let f = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(bad(path, e)),
        };
        let mut text = Vec::new();
        f.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut text)
            .map_err(|e| bad(path, e))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(bad(path, "it is far bigger than a key file"));
        }
        let file: KeyFile =
            serde_json::from_slice(&text).map_err(|_| bad(path, "it is not a Dermis key file"))?;
        file.check().map_err(|why| bad(path, why))?;
        Ok(Some(file))
    }

    /// The limits a file read from disk must meet.
    fn check(&self) -> std::result::Result<(), String> {
        if self.format != FORMAT || self.version != VERSION {
            return Err(format!(
                "it is not a version-{VERSION} Dermis key file (newer Dermis?)"
            ));
        }
        if self.wraps.len() > MAX_WRAPS {
            return Err("it holds more wraps than any clinic has accounts".into());
        }
        if unhex(&self.clinic_id, 16).is_none() {
            return Err("its clinic id is malformed".into());
        }
        for w in &self.wraps {
            let k = &w.kdf;
            if k.alg != "argon2id" {
                return Err(format!("a wrap uses {:?}, not argon2id", k.alg));
            }
            if !(MIN_M_KIB..=MAX_M_KIB).contains(&k.m_kib)
                || !(1..=MAX_T).contains(&k.t)
                || !(1..=MAX_P).contains(&k.p)
            {
                return Err(format!(
                    "a wrap asks for Argon2 costs outside the accepted range (memory {} KiB, {} passes, {} lanes)",
                    k.m_kib, k.t, k.p
                ));
            }
            if unhex(&k.salt, 16).is_none()
                || unhex(&w.nonce, 24).is_none()
                || unhex(&w.sealed, 48).is_none()
                || w.username.len() > 256
                || !matches!(w.kind.as_str(), "user" | "recovery")
            {
                return Err("a wrap is malformed".into());
            }
        }
        Ok(())
    }

    /// Writes the file atomically: temporary file (0600), fsync, rename, fsync of the folder.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_vec_pretty(self)
            .map_err(|e| ClinicError::Internal(format!("the key file: {e}")))?;
        let tmp = dermis_store::temp_name(path, "keys");
        let written = (|| -> Result<()> {
            let mut f = dermis_store::create_private_file(&tmp)?;
            f.write_all(&text).map_err(|e| bad(&tmp, e))?;
            f.sync_all().map_err(|e| bad(&tmp, e))?;
            std::fs::rename(&tmp, path).map_err(|e| bad(path, e))?;
            if let Some(dir) = path.parent() {
                dermis_store::sync_dir(dir);
            }
            Ok(())
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    fn open_wrap(&self, w: &Wrap, secret: &[u8]) -> Result<Option<DataKey>> {
        let (Some(salt), Some(nonce), Some(sealed)) = (
            unhex(&w.kdf.salt, 16),
            unhex(&w.nonce, 24),
            unhex(&w.sealed, 48),
        ) else {
            return Ok(None);
        };
        let wk = derive(secret, &w.kdf, &salt)?;
        let cipher = XChaCha20Poly1305::new(wk.as_ref().into());
        let Ok(mut plain) = cipher.decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &sealed,
                aad: &aad(&self.clinic_id, &w.kind, &w.username),
            },
        ) else {
            return Ok(None);
        };
        let mut k = Zeroizing::new([0u8; 32]);
        let ok = plain.len() == 32;
        if ok {
            k.copy_from_slice(&plain);
        }
        plain.zeroize();
        Ok(ok.then_some(DataKey(k)))
    }

    /// The data key, when `password` opens `username`'s wrap; `None` when the
    /// password is wrong or the account has no wrap (a wrong name costs the
    /// same Argon2 work, so timing does not tell names apart).
    pub fn unwrap_user(&self, username: &str, password: &str) -> Result<Option<DataKey>> {
        match self.user_wrap(username) {
            Some(w) => self.open_wrap(w, password.as_bytes()),
            None => {
                let dummy = Kdf {
                    alg: "argon2id".into(),
                    m_kib: NEW_M_KIB,
                    t: NEW_T,
                    p: NEW_P,
                    salt: String::new(),
                };
                let _ = derive(password.as_bytes(), &dummy, &[0u8; 16]);
                Ok(None)
            }
        }
    }

    /// The data key, when `typed` is this clinic's recovery key.
    pub fn unwrap_recovery(&self, typed: &str) -> Result<Option<DataKey>> {
        let Some(raw) = parse_recovery(typed) else {
            return Ok(None);
        };
        match self.wraps.iter().find(|w| w.kind == "recovery") {
            Some(w) => self.open_wrap(w, &raw),
            None => Ok(None),
        }
    }

    fn user_wrap(&self, username: &str) -> Option<&Wrap> {
        self.wraps
            .iter()
            .find(|w| w.kind == "user" && w.username == username)
    }

    /// True when `username` has a wrap.
    pub fn has_user(&self, username: &str) -> bool {
        self.user_wrap(username).is_some()
    }

    /// The user names that have a wrap.
    pub fn usernames(&self) -> Vec<String> {
        self.wraps
            .iter()
            .filter(|w| w.kind == "user")
            .map(|w| w.username.clone())
            .collect()
    }

    /// Wraps `key` for `username`'s `password`, replacing their old wrap.
    pub fn set_user(&mut self, username: &str, password: &str, key: &DataKey) -> Result<()> {
        let w = seal(&self.clinic_id, "user", username, password.as_bytes(), key)?;
        self.remove_user(username);
        self.wraps.push(w);
        Ok(())
    }

    /// Removes `username`'s wrap (a deactivated account).
    pub fn remove_user(&mut self, username: &str) {
        self.wraps
            .retain(|w| !(w.kind == "user" && w.username == username));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PW: &str = "correct horse battery";

    #[test]
    fn each_account_and_the_recovery_key_unwrap_the_same_key() {
        let (mut f, key, rec) = KeyFile::create("admin", PW).unwrap();
        f.set_user("desk", "quiet otter marble lantern", &key)
            .unwrap();
        let a = f.unwrap_user("admin", PW).unwrap().unwrap();
        let d = f
            .unwrap_user("desk", "quiet otter marble lantern")
            .unwrap()
            .unwrap();
        let r = f.unwrap_recovery(rec.as_str()).unwrap().unwrap();
        assert_eq!(a.bytes(), key.bytes());
        assert_eq!(d.bytes(), key.bytes());
        assert_eq!(r.bytes(), key.bytes());
        // Typed in lower case, with spaces instead of dashes, it still opens.
        let typed = rec.as_str().to_lowercase().replace('-', " ");
        assert!(f.unwrap_recovery(&typed).unwrap().is_some());
    }

    #[test]
    fn a_wrong_password_a_wrong_name_or_a_wrong_recovery_key_open_nothing() {
        let (f, _, rec) = KeyFile::create("admin", PW).unwrap();
        assert!(f
            .unwrap_user("admin", "correct horse batterY")
            .unwrap()
            .is_none());
        assert!(f.unwrap_user("nobody", PW).unwrap().is_none());
        let mut wrong = rec.as_str().to_string();
        let last = if wrong.ends_with('0') { "1" } else { "0" };
        wrong.replace_range(wrong.len() - 1.., last);
        assert!(f.unwrap_recovery(&wrong).unwrap().is_none());
        assert!(f.unwrap_recovery("not a key").unwrap().is_none());
        assert!(f.unwrap_recovery("").unwrap().is_none());
    }

    #[test]
    fn the_recovery_key_is_160_bits_in_eight_groups_of_four() {
        let (_, _, rec) = KeyFile::create("admin", PW).unwrap();
        let groups: Vec<&str> = rec.as_str().split('-').collect();
        assert_eq!(groups.len(), 8, "{}", rec.as_str());
        assert!(groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| CROCKFORD.contains(&b))));
        assert_eq!(parse_recovery(rec.as_str()).unwrap().len(), 20);
    }

    #[test]
    fn two_clinics_never_share_a_data_key() {
        // Each clinic's database is sealed under its own random key: a key
        // that came out the same for every clinic would open them all.
        let (_, a, _) = KeyFile::create("admin", PW).unwrap();
        let (_, b, _) = KeyFile::create("admin", PW).unwrap();
        assert_ne!(a.bytes(), b.bytes());
        assert_ne!(DataKey::generate().bytes(), DataKey::generate().bytes());
    }

    #[test]
    fn a_key_file_with_a_wrap_for_each_of_a_clinics_accounts_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clinic.db.keys");
        let (mut file, key, _) = KeyFile::create("admin", PW).unwrap();
        for i in 0..7 {
            file.set_user(&format!("staff{i}"), PW, &key).unwrap();
        }
        file.write(&path).unwrap();
        // Well over a few kilobytes: a clinic's staff, not a crafted file.
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size > 2 * 1024, "{size}");
        let read = KeyFile::read(&path).unwrap().expect("the key file");
        let opened = read.unwrap_user("staff6", PW).unwrap().expect("a wrap");
        assert_eq!(opened.bytes(), key.bytes());
    }

    #[test]
    fn a_key_file_that_cannot_be_opened_is_an_error_not_a_clinic_without_one() {
        let dir = tempfile::tempdir().unwrap();
        // Only a missing file means "no key file" (a plain clinic).
        assert!(KeyFile::read(&dir.path().join("none.keys"))
            .unwrap()
            .is_none());
        // A path through a regular file cannot be opened: refused, named.
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let e = KeyFile::read(&file.join("clinic.db.keys")).unwrap_err();
        assert!(e.to_string().contains("clinic.db.keys"), "{e}");
    }

    #[test]
    fn a_data_key_in_a_log_or_error_shows_a_marker_and_never_its_bytes() {
        let k = DataKey::generate();
        let shown = format!("{k:?} {:?}", Some(&k));
        assert_eq!(shown, "DataKey(..) Some(DataKey(..))");
    }

    #[test]
    fn a_recovery_key_missing_its_last_groups_is_not_a_key() {
        let (_, _, rec) = KeyFile::create("admin", PW).unwrap();
        let groups: Vec<&str> = rec.as_str().split('-').collect();
        // Groups dropped from the end (a group is 20 bits: two, four or six
        // groups are whole bytes, so only the length tells them from a key),
        // and one character short.
        for keep in [1, 2, 4, 6, 7] {
            let short = groups[..keep].join("-");
            assert!(parse_recovery(&short).is_none(), "{short}");
        }
        let one_short = &rec.as_str()[..rec.as_str().len() - 1];
        assert!(parse_recovery(one_short).is_none(), "{one_short}");
        assert!(parse_recovery(rec.as_str()).is_some());
    }

    #[test]
    fn a_wrap_moved_to_another_account_or_clinic_does_not_open() {
        let (f, key, _) = KeyFile::create("admin", PW).unwrap();
        // The admin's wrap relabelled as desk's: the associated data differs.
        let mut swapped = f.clone();
        swapped
            .wraps
            .iter_mut()
            .filter(|w| w.kind == "user")
            .for_each(|w| w.username = "desk".into());
        assert!(swapped.unwrap_user("desk", PW).unwrap().is_none());
        // The same wrap in another clinic's key file.
        let (mut other, _, _) = KeyFile::create("admin", "some other long phrase").unwrap();
        let w = f.user_wrap("admin").unwrap().clone();
        other.remove_user("admin");
        other.wraps.push(w);
        assert!(other.unwrap_user("admin", PW).unwrap().is_none());
        // And the key was not the other clinic's anyway.
        assert!(f.unwrap_user("admin", PW).unwrap().unwrap().bytes() == key.bytes());
    }

    #[test]
    fn changing_and_removing_a_wrap() {
        let (mut f, key, _) = KeyFile::create("admin", PW).unwrap();
        f.set_user("admin", "a brand new passphrase here", &key)
            .unwrap();
        assert!(f.unwrap_user("admin", PW).unwrap().is_none());
        assert!(f
            .unwrap_user("admin", "a brand new passphrase here")
            .unwrap()
            .is_some());
        assert_eq!(f.usernames(), vec!["admin".to_string()]);
        f.remove_user("admin");
        assert!(!f.has_user("admin"));
        assert!(f
            .unwrap_user("admin", "a brand new passphrase here")
            .unwrap()
            .is_none());
    }

    #[test]
    fn the_file_round_trips_and_holds_no_key_in_the_clear() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("dermis.db.keys");
        let (f, key, rec) = KeyFile::create("admin", PW).unwrap();
        f.write(&p).unwrap();
        let back = KeyFile::read(&p).unwrap().unwrap();
        assert_eq!(back, f);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(!text.contains(&hex(key.bytes())));
        assert!(!text.contains(rec.as_str()));
        assert!(!text.to_uppercase().contains(&rec.as_str().replace('-', "")));
        assert!(!text.contains(PW));
        assert!(KeyFile::read(&dir.path().join("none.keys"))
            .unwrap()
            .is_none());
    }

    /// Crafted key files: refused with a sentence, never a panic or a huge allocation.
    #[test]
    fn crafted_key_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("dermis.db.keys");
        let (f, _, _) = KeyFile::create("admin", PW).unwrap();
        f.write(&p).unwrap();
        let good = std::fs::read_to_string(&p).unwrap();
        let refused = |text: &[u8]| {
            std::fs::write(&p, text).unwrap();
            match KeyFile::read(&p) {
                Err(ClinicError::Io(m)) => m,
                other => panic!("accepted: {other:?}"),
            }
        };
        // Truncated.
        refused(&good.as_bytes()[..good.len() / 2]);
        refused(b"");
        // Huge.
        refused(&vec![b' '; (MAX_FILE_BYTES + 10) as usize]);
        // A 4 GB Argon2 memory cost.
        let huge_m = good.replace(&format!("\"m_kib\": {NEW_M_KIB}"), "\"m_kib\": 4194304");
        assert_ne!(huge_m, good);
        let m = refused(huge_m.as_bytes());
        assert!(m.contains("Argon2 costs"), "{m}");
        // Weakened to nearly nothing.
        refused(
            good.replace(&format!("\"m_kib\": {NEW_M_KIB}"), "\"m_kib\": 8")
                .as_bytes(),
        );
        refused(good.replace("\"t\": 2", "\"t\": 4000000000").as_bytes());
        refused(good.replace("\"p\": 1", "\"p\": 0").as_bytes());
        refused(good.replace("argon2id", "argon2d").as_bytes());
        refused(good.replace("\"version\": 1", "\"version\": 2").as_bytes());
        // A short nonce or sealed key.
        let v: serde_json::Value = serde_json::from_str(&good).unwrap();
        let mut short = v.clone();
        short["wraps"][0]["sealed"] = "00".into();
        refused(serde_json::to_string(&short).unwrap().as_bytes());
        // Each part of a wrap not hexadecimal, alone: malformed.
        for field in ["salt", "nonce", "sealed"] {
            let mut bad = v.clone();
            if field == "salt" {
                bad["wraps"][0]["kdf"]["salt"] = "zz".repeat(16).into();
            } else {
                bad["wraps"][0][field] = "zz".repeat(48).into();
            }
            let m = refused(serde_json::to_string(&bad).unwrap().as_bytes());
            assert!(m.contains("malformed"), "{field}: {m}");
        }
        // A kind Dermis does not write, or a name longer than any account's.
        let mut bad = v.clone();
        bad["wraps"][0]["kind"] = "admin".into();
        let m = refused(serde_json::to_string(&bad).unwrap().as_bytes());
        assert!(m.contains("malformed"), "{m}");
        let mut bad = v.clone();
        bad["wraps"][0]["username"] = "a".repeat(257).into();
        let m = refused(serde_json::to_string(&bad).unwrap().as_bytes());
        assert!(m.contains("malformed"), "{m}");
        let mut many = v.clone();
        let w = many["wraps"][0].clone();
        many["wraps"] = serde_json::Value::Array(vec![w; MAX_WRAPS + 1]);
        refused(serde_json::to_string(&many).unwrap().as_bytes());
        refused(b"[1,2,3]");
        refused(
            "{\"format\":\"dermis-keys\",\"version\":1,\"clinic_id\":\"\u{202e}\",\"wraps\":[]}"
                .as_bytes(),
        );
    }
}
