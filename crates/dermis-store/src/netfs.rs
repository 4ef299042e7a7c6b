//! Refusing an SQLite clinic file on a network folder.
//!
//! SQLite's locking and its WAL (shared memory beside the file) do not work
//! over network file systems: two PCs opening one file on a share can both
//! believe they hold the write lock, and peers who tried report corrupted
//! databases. A clinic shared between PCs belongs on the clinic server
//! (PostgreSQL), so opening a file on NFS, SMB or CIFS is refused with a
//! message that says so. Linux: the folder's file-system type from
//! `statfs(2)`. Windows: a UNC path (`\\server\share\...`). Mapped network
//! drives on Windows and FUSE mounts (sshfs) are not detected yet.

use crate::{Result, StoreError};
use std::path::Path;

/// The file-system magic numbers of network file systems (linux/magic.h).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn network_kind(f_type: u64) -> Option<&'static str> {
    match f_type {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFE53_4D42 => Some("SMB2"),
        0xFF53_4D42 => Some("CIFS"),
        0x0000_564C => Some("NCP"),
        0x7372_7279 => Some("AFS"),
        0x6B41_4653 => Some("AFS"),
        0x0BD0_0BD0 => Some("Lustre"),
        0x0102_1997 => Some("9P"),
        0x0047_5342 => Some("GPFS"),
        0x00C3_6400 => Some("CephFS"),
        _ => None,
    }
}

/// The kind of network file system `dir` is on, if it is on one.
#[cfg(target_os = "linux")]
fn network_fs_of(dir: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `st` a writable statfs.
    let rc = unsafe { libc::statfs(c.as_ptr(), &mut st) };
    if rc != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)]
    network_kind(st.f_type as u64)
}

#[cfg(windows)]
fn network_fs_of(dir: &Path) -> Option<&'static str> {
    let s = dir.as_os_str().to_string_lossy();
    let unc = (s.starts_with(r"\\") && !s.starts_with(r"\\?\") && !s.starts_with(r"\\.\"))
        || s.starts_with(r"\\?\UNC\");
    unc.then_some("a Windows network share")
}

#[cfg(not(any(target_os = "linux", windows)))]
fn network_fs_of(_dir: &Path) -> Option<&'static str> {
    None
}

/// Refuses `db` when its folder is on a network file system.
pub(crate) fn refuse_network_folder(db: &Path) -> Result<()> {
    let dir = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Some(kind) = network_fs_of(dir) {
        return Err(StoreError::Io {
            path: db.to_path_buf(),
            source: std::io::Error::other(format!(
                "it is in a network folder ({kind}). An SQLite clinic file must be on this PC's own disk: \
                 SQLite cannot lock a file safely over a network, and a shared file gets damaged. \
                 To share the clinic between PCs, use the clinic server instead \
                 (dermis --db postgresql://HOST/DATABASE, see the clinic-server guide)"
            )),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_file_systems_are_named_and_local_ones_are_not() {
        assert_eq!(network_kind(0x6969), Some("NFS"));
        assert_eq!(network_kind(0xFF53_4D42), Some("CIFS"));
        assert_eq!(network_kind(0xFE53_4D42), Some("SMB2"));
        assert_eq!(network_kind(0xEF53), None); // ext4
        assert_eq!(network_kind(0x0102_1994), None); // tmpfs
        assert_eq!(network_kind(0x9123_683E), None); // btrfs
    }

    #[test]
    fn a_local_folder_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        assert!(refuse_network_folder(&dir.path().join("clinic.db")).is_ok());
    }
}
