//! What an ENCRYPTED clinic's exports look like on disk (issue 21: "nothing
//! in ... an export folder reads as plaintext").
//!
//! A plaintext clinic exports readable files, as before (its database is
//! readable too). An encrypted clinic's full export (CSV set or JSON) and a
//! patient's data-access export are written as ONE AES-256 encrypted ZIP
//! (WinZip AE-2, each entry with its own random salt, deflated) under a
//! one-time passphrase that the reply carries and the admin sees once, to
//! hand over separately (read out on the phone, written on paper): the file
//! on a stick or in an e-mail reveals nothing without it. Why a ZIP and not
//! our own format: the person who receives it (the patient, the next
//! software's vendor) opens it with 7-Zip, WinZip or macOS' Archive Utility,
//! nothing of Dermis needed. Why a fresh passphrase and not the admin's
//! password or the recovery key: the export leaves the clinic; its secret
//! must be useless for anything else. The names inside the ZIP (e.g.
//! `patients.csv`, `patient-record.json`) are not encrypted by the format,
//! so they never carry a patient's name.
//!
//! The passphrase is generated from the OS random source: 6 groups of 4
//! characters of Crockford's base32 without look-alikes (120 bits), so
//! guessing it offline is hopeless even without a slow key derivation (the
//! format's PBKDF2 has 1000 rounds only).

use crate::{ClinicError, Result};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::OsRng;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Crockford's base32 alphabet (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A one-time export passphrase: `ABCD-EFGH-…` (6 groups of 4, 120 bits).
pub(crate) fn new_passphrase() -> Zeroizing<String> {
    let mut raw = Zeroizing::new([0u8; 24]);
    OsRng.fill_bytes(&mut raw[..]);
    let mut s = Zeroizing::new(String::with_capacity(29));
    for (i, b) in raw.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            s.push('-');
        }
        s.push(ALPHABET[usize::from(*b & 31)] as char);
    }
    s
}

/// `dest` with `.zip` added unless it already ends so.
pub(crate) fn zip_path(dest: &Path) -> PathBuf {
    let is_zip = dest
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        dest.to_path_buf()
    } else {
        let mut s = dest.as_os_str().to_owned();
        s.push(".zip");
        PathBuf::from(s)
    }
}

fn zip_err(dest: &Path, e: impl std::fmt::Display) -> ClinicError {
    ClinicError::Io(format!("{} cannot be written: {e}.", dest.display()))
}

/// An encrypted ZIP being written to a private temporary file beside
/// `dest`, renamed into place by [`EncryptedZip::finish`] (whole or not at
/// all, as every export).
pub(crate) struct EncryptedZip<'p> {
    dest: PathBuf,
    tmp: PathBuf,
    zip: Option<zip::ZipWriter<std::fs::File>>,
    passphrase: &'p str,
}

impl<'p> EncryptedZip<'p> {
    pub(crate) fn create(dest: &Path, passphrase: &'p str) -> Result<Self> {
        if dest.exists() {
            return Err(ClinicError::Conflict(format!(
                "{} already exists; choose another name.",
                dest.display()
            )));
        }
        let tmp = dermis_store::temp_name(dest, "part");
        let file = dermis_store::create_private_file(&tmp)?;
        Ok(EncryptedZip {
            dest: dest.to_path_buf(),
            tmp,
            zip: Some(zip::ZipWriter::new(file)),
            passphrase,
        })
    }

    fn writer(&mut self) -> Result<&mut zip::ZipWriter<std::fs::File>> {
        let dest = self.dest.clone();
        self.zip
            .as_mut()
            .ok_or_else(|| zip_err(&dest, "the archive is already closed"))
    }

    /// Starts the entry `name` (encrypted); write its content with [`Write`].
    pub(crate) fn start(&mut self, name: &str) -> Result<()> {
        use chrono::{Datelike, Timelike};
        let now = chrono::Local::now().naive_local();
        // The entry's time is when it was exported (the format's default is 1980).
        let when = zip::DateTime::from_date_and_time(
            u16::try_from(now.year()).unwrap_or(1980),
            now.month() as u8,
            now.day() as u8,
            now.hour() as u8,
            now.minute() as u8,
            now.second() as u8,
        )
        .unwrap_or_default();
        let options = zip::write::SimpleFileOptions::default()
            .last_modified_time(when)
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true)
            .unix_permissions(0o600)
            .with_aes_encryption(zip::AesMode::Aes256, self.passphrase);
        let dest = self.dest.clone();
        self.writer()?
            .start_file(name, options)
            .map_err(|e| zip_err(&dest, e))
    }

    /// One whole entry.
    pub(crate) fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.start(name)?;
        let dest = self.dest.clone();
        self.writer()?
            .write_all(bytes)
            .map_err(|e| zip_err(&dest, e))
    }

    /// Closes the archive, syncs it and renames it into place.
    pub(crate) fn finish(mut self) -> Result<PathBuf> {
        let dest = self.dest.clone();
        let zip = self
            .zip
            .take()
            .ok_or_else(|| zip_err(&dest, "the archive is already closed"))?;
        let file = zip.finish().map_err(|e| zip_err(&dest, e))?;
        file.sync_all().map_err(|e| zip_err(&dest, e))?;
        drop(file);
        std::fs::rename(&self.tmp, &dest).map_err(|e| zip_err(&dest, e))?;
        if let Some(dir) = dest.parent() {
            dermis_store::sync_dir(dir);
        }
        Ok(dest)
    }
}

impl Write for EncryptedZip<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.zip.as_mut() {
            Some(z) => z.write(buf),
            None => Err(std::io::Error::other("the archive is closed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.zip.as_mut() {
            Some(z) => z.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for EncryptedZip<'_> {
    /// Not finished (an error on the way): the temporary file goes.
    fn drop(&mut self) {
        if self.zip.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_passphrase_is_six_groups_of_four_and_never_repeats() {
        let a = new_passphrase();
        let b = new_passphrase();
        assert_eq!(a.len(), 29);
        assert_eq!(a.split('-').count(), 6);
        assert!(a.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        assert_ne!(*a, *b);
    }

    #[test]
    fn the_zip_opens_with_the_passphrase_only() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.zip");
        let pass = new_passphrase();
        let mut z = EncryptedZip::create(&dest, &pass).unwrap();
        z.add("a.csv", "Zoë Parkinson,1980-01-01\n".as_bytes())
            .unwrap();
        z.finish().unwrap();
        let bytes = std::fs::read(&dest).unwrap();
        assert!(!bytes.windows(9).any(|w| w == b"Parkinson"));
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&dest).unwrap()).unwrap();
        assert!(archive.by_index_decrypt(0, b"WRONG-PASS").is_err());
        let mut text = String::new();
        archive
            .by_index_decrypt(0, pass.as_bytes())
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "Zoë Parkinson,1980-01-01\n");
        // An existing file is never replaced.
        assert!(EncryptedZip::create(&dest, &pass).is_err());
    }
}
