//! Encrypted clinics (issue 21): creating one, opening one with a user name
//! and password, recovering an account with the recovery key, converting a
//! plaintext clinic, and keeping the key file's wraps in step with the
//! accounts (a new account gets a wrap, a changed or reset password re-wraps,
//! a deactivated account loses its wrap). The key file itself is `keys.rs`.
//!
//! **The lockout before the database can be read.** A plaintext clinic counts
//! wrong passwords in its audit log. An encrypted clinic's log cannot be read
//! until a password has unwrapped the data key, so failed unlocks are first
//! written to a small file beside the database, `<db>.signin` (user names
//! that have a wrap in the clear — they are in the key file already; any
//! other typed name only as a keyed hash under the clinic's audit key, as the
//! log does). The file is checked before any Argon2 work, so five wrong
//! passwords lock the name for the window as on a plaintext clinic. On the
//! next successful unlock its entries are moved into the audit log as
//! `login.failed` entries with their own times (detail `before_unlock`), and
//! the usual sign-in then counts them. It is not authenticated: a MAC needs a
//! key available before the unlock, and anyone able to rewrite files in the
//! data folder can copy the key file and guess offline anyway, where only
//! Argon2's cost protects the passwords. The lockout is against guessing at
//! the sign-in screen, which it still stops. The key file is not used for
//! the count because rewriting the only copy of the wraps on every failed
//! attempt (an attacker's action) would put them at risk for nothing.

use crate::keys::{self, DataKey, KeyFile, RecoveryKey};
use crate::{
    locked_out, password, validate, Actor, Clinic, ClinicError, Result, LOGIN_WINDOW_MINUTES,
    MAX_FAILED_LOGINS, UNKNOWN_USER,
};
use dermis_core::{LoginInput, SetupInput};
use dermis_store::{AuditEntry, CipherKey, Store};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An open encrypted clinic's data key and the path of its key file.
pub(crate) struct Vault {
    key: DataKey,
    pub(crate) file: PathBuf,
}

/// What `dermis encrypt` did.
#[derive(Debug, Clone, Serialize)]
pub struct EncryptReport {
    /// The clinic's name (for the recovery sheet).
    pub clinic_name: String,
    /// Shown once: the only way in when every password is forgotten.
    pub recovery_key: String,
    /// The verified plaintext backup made first (removed with `remove_plaintext`).
    pub plaintext_backup: PathBuf,
    pub patients: i64,
    pub audit_entries: i64,
    pub audit_head: String,
    /// Plaintext files removed on request (the backup above, older automatic backups).
    pub removed: Vec<PathBuf>,
    /// Pictures moved inside the encrypted database, and those whose file
    /// was missing or damaged (not moved; their photo rows stay).
    pub photos_moved: i64,
    pub photos_missing: i64,
    /// Active accounts whose password the administrator must reset before
    /// they can open the encrypted clinic (their passwords are not known here).
    pub accounts_needing_reset: Vec<String>,
    /// The clinic's date format, for the recovery sheet.
    #[serde(skip)]
    pub date_format: dermis_core::dates::DateFormat,
}

/// Writes the one-page recovery sheet (dermis-docs `recovery_sheet`) for
/// `clinic_name` and `recovery_key` to `dest`, private to this user and
/// atomically (a new file: an existing one is not overwritten). Called only
/// at the moment the key exists (set-up, `dermis encrypt`).
/// The date is written in `date_format`, the clinic's (issue 22), as on
/// every other document.
pub fn write_recovery_sheet(
    dest: &Path,
    clinic_name: &str,
    recovery_key: &str,
    date_format: dermis_core::dates::DateFormat,
) -> Result<()> {
    let pdf = dermis_docs::recovery_sheet(&dermis_docs::RecoverySheetInput {
        clinic_name: clinic_name.to_string(),
        recovery_key: recovery_key.to_string(),
        generated_on: chrono::Local::now().date_naive(),
        date_format,
        paper: dermis_docs::PaperSize::A4,
    })
    .map_err(|e| ClinicError::Internal(format!("the recovery sheet cannot be made: {e}")))?;
    if dest.exists() {
        return Err(ClinicError::Conflict(format!(
            "{} already exists; choose another name for the recovery sheet.",
            dest.display()
        )));
    }
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        dermis_store::create_private_dir(parent)?;
    }
    crate::export::write_file(dest, &pdf)
}

/// Where failed unlocks are counted before the database can be read.
pub fn signin_file_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".signin");
    PathBuf::from(s)
}

const SIGNIN_MAX_BYTES: u64 = 256 * 1024;
const SIGNIN_MAX_ENTRIES: usize = 1000;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Failures {
    failures: Vec<Failure>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Failure {
    /// An account's user name, or `name:<keyed hash>` for a name that is none.
    name: String,
    at: String,
}

fn read_failures(path: &Path) -> Failures {
    let Ok(f) = std::fs::File::open(path) else {
        return Failures::default();
    };
    let mut text = Vec::new();
    if f.take(SIGNIN_MAX_BYTES).read_to_end(&mut text).is_err() {
        return Failures::default();
    }
    serde_json::from_slice(&text).unwrap_or_default()
}

fn write_failures(path: &Path, f: &Failures) -> Result<()> {
    let text = serde_json::to_vec(f).map_err(|e| ClinicError::Internal(e.to_string()))?;
    crate::export::write_file(path, &text)
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn window_start() -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(LOGIN_WINDOW_MINUTES))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The name a failed unlock is counted under: the wrap's user name, or a
/// keyed hash of a name that has none (never the typed text itself).
fn failure_name(db: &Path, file: &KeyFile, folded: &str) -> String {
    if file.has_user(folded) {
        return folded.to_string();
    }
    use hmac::Mac;
    let key = crate::audit_key::read_key(&crate::audit_key::key_path(db))
        .ok()
        .flatten()
        .unwrap_or_default();
    let Ok(mut m) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return "name:unknown".into();
    };
    m.update(b"dermis-login-name\n");
    m.update(folded.as_bytes());
    let bytes = m.finalize().into_bytes();
    let hex: String = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("name:{hex}")
}

fn wrong_password() -> ClinicError {
    ClinicError::Forbidden(
        "That user name and password do not match. Check them and try again.".into(),
    )
}

fn read_key_file(db: &Path) -> Result<KeyFile> {
    KeyFile::read(&keys::key_file_path(db))?.ok_or_else(|| {
        ClinicError::Io(format!(
            "The key file {} is missing: without it the encrypted clinic cannot be opened. Put it back from the backup it came with.",
            keys::key_file_path(db).display()
        ))
    })
}

/// The wrap name of a typed user name (folded, as accounts are stored).
fn wrap_name(file: &KeyFile, typed: &str) -> String {
    let folded = validate::fold_username(typed.trim());
    if file.has_user(&folded) {
        folded
    } else if file.has_user(typed.trim()) {
        typed.trim().to_string()
    } else {
        folded
    }
}

impl Clinic {
    /// Creates a NEW encrypted clinic at `path` (nothing may be there yet):
    /// a data key, the key file with the first account's wrap and the
    /// recovery wrap, the encrypted database, then the usual first-run setup.
    /// Returns the signed-in first account and the recovery key (shown once).
    pub fn create_encrypted(
        path: &Path,
        input: &SetupInput,
    ) -> Result<(Clinic, Actor, RecoveryKey)> {
        let key_file = keys::key_file_path(path);
        let occupied = std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
        if occupied || key_file.exists() {
            return Err(ClinicError::Conflict(format!(
                "There is already a clinic at {}; `dermis encrypt` converts an existing one.",
                path.display()
            )));
        }
        let valid = validate::setup(input)?;
        password::check_policy("password", &valid.admin_username, &valid.password)?;
        let (file, key, recovery) = KeyFile::create(&valid.admin_username, &valid.password)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            dermis_store::create_private_dir(parent)?;
        }
        file.write(&key_file)?;
        let made = (|| -> Result<(Clinic, Actor)> {
            let store = Store::open_encrypted(path, key.bytes())?;
            let mut clinic = Clinic::open_store(path, store)?;
            clinic.vault = Some(Mutex::new(Vault {
                key: key.clone(),
                file: key_file.clone(),
            }));
            let actor = clinic.setup(input)?;
            Ok((clinic, actor))
        })();
        match made {
            Ok((clinic, actor)) => Ok((clinic, actor, recovery)),
            Err(e) => {
                for p in [
                    path.to_path_buf(),
                    key_file,
                    crate::audit_key::key_path(path),
                    crate::audit_key::anchor_path(path),
                ] {
                    let _ = std::fs::remove_file(p);
                }
                Err(e)
            }
        }
    }

    /// Opens the encrypted clinic at `path` as `username`: the password
    /// unwraps the data key (after the pre-unlock lockout check, see the
    /// module header), the database opens with it, failed unlocks move into
    /// the audit log, and the usual sign-in (lockout, audit) runs.
    pub fn open_encrypted(path: &Path, username: &str, password: &str) -> Result<(Clinic, Actor)> {
        let typed = username.trim();
        if typed.is_empty() {
            return Err(ClinicError::validation("username", "Enter your user name."));
        }
        if password.is_empty() {
            return Err(ClinicError::validation("password", "Enter your password."));
        }
        if typed.chars().count() > crate::LOGIN_NAME_MAX_CHARS
            || password.chars().count() > validate::PASSWORD_MAX_CHARS
        {
            return Err(wrong_password());
        }
        let file = read_key_file(path)?;
        let name = wrap_name(&file, typed);
        let counted = failure_name(path, &file, &name);
        let signin = signin_file_path(path);
        let mut failures = read_failures(&signin);
        let since = window_start();
        let recent = failures
            .failures
            .iter()
            .filter(|f| f.name == counted && f.at >= since)
            .count() as i64;
        if recent >= MAX_FAILED_LOGINS {
            return Err(locked_out());
        }
        let Some(key) = file.unwrap_user(&name, password)? else {
            failures.failures.push(Failure {
                name: counted,
                at: now_text(),
            });
            let excess = failures.failures.len().saturating_sub(SIGNIN_MAX_ENTRIES);
            failures.failures.drain(..excess);
            write_failures(&signin, &failures)?;
            return Err(wrong_password());
        };
        let clinic = Self::open_unlocked(path, key)?;
        clinic.import_failures(&signin, failures)?;
        let actor = clinic.login_unwrapped(
            &LoginInput {
                username: typed.to_string(),
                password: password.to_string(),
            },
            &name,
        )?;
        Ok((clinic, actor))
    }

    /// The encrypted clinic at `path` opened with its data key (no sign-in yet).
    fn open_unlocked(path: &Path, key: DataKey) -> Result<Clinic> {
        let mut store = Store::open_encrypted(path, key.bytes())?;
        // Plaintext photo files a `dermis encrypt` killed after its swap
        // left behind (their pictures are inside the database now).
        store.remove_plaintext_photo_files()?;
        let mut clinic = Clinic::open_store(path, store)?;
        clinic.vault = Some(Mutex::new(Vault {
            key,
            file: keys::key_file_path(path),
        }));
        Ok(clinic)
    }

    /// Moves the failed unlocks counted in `signin` into the audit log (with
    /// their own times) and empties the file.
    fn import_failures(&self, signin: &Path, failures: Failures) -> Result<()> {
        if failures.failures.is_empty() {
            return Ok(());
        }
        let users = self.store()?.read(|tx| tx.users())?;
        let entries: Vec<AuditEntry> = failures
            .failures
            .iter()
            .map(|f| {
                let user = users.iter().find(|u| u.username == f.name);
                AuditEntry {
                    at: f.at.clone(),
                    user_id: user.map(|u| u.id),
                    username: user.map_or(UNKNOWN_USER.to_string(), |u| u.username.clone()),
                    action: "login.failed".into(),
                    entity: "user".into(),
                    entity_id: user.map_or(f.name.clone(), |u| u.id.to_string()),
                    detail: serde_json::json!({ "before_unlock": true }).to_string(),
                }
            })
            .collect();
        self.store()?.write(|tx| -> Result<()> {
            for e in &entries {
                tx.append_audit(e)?;
            }
            Ok(())
        })?;
        let _ = std::fs::remove_file(signin);
        Ok(())
    }

    /// True when this clinic's database is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.vault.is_some()
    }

    /// The SQLCipher key of an encrypted clinic's store, for its backups.
    pub(crate) fn cipher_key(&self) -> Result<Option<CipherKey>> {
        Ok(self.store()?.cipher_key().cloned())
    }

    /// Changes the key file of an encrypted clinic with `f` and writes it
    /// back atomically; nothing for a plaintext clinic. Called as the last
    /// step inside the store transaction that changes the account, so a key
    /// file that cannot be written rolls the account change back.
    pub(crate) fn rewrap(
        &self,
        f: impl FnOnce(&mut KeyFile, &DataKey) -> Result<()>,
    ) -> Result<()> {
        let Some(vault) = &self.vault else {
            return Ok(());
        };
        let vault = vault.lock().map_err(|_| {
            ClinicError::Internal("the key file is unusable after an earlier failure".into())
        })?;
        let mut file = KeyFile::read(&vault.file)?.ok_or_else(|| {
            ClinicError::Io(format!("The key file {} is missing.", vault.file.display()))
        })?;
        f(&mut file, &vault.key)?;
        file.write(&vault.file)
    }

    /// `dermis recover`: with the clinic's recovery key, sets `username`'s
    /// new password (policy checked) and re-wraps the data key for it. The
    /// old password opens nothing afterwards. Audited as `user.recover`.
    pub fn recover(
        path: &Path,
        username: &str,
        recovery_key: &str,
        new_password: &str,
    ) -> Result<Actor> {
        let file = read_key_file(path)?;
        let key = file.unwrap_recovery(recovery_key)?.ok_or_else(|| {
            ClinicError::Forbidden(
                "That is not this clinic's recovery key. Check it against the recovery sheet."
                    .into(),
            )
        })?;
        let clinic = Self::open_unlocked(path, key)?;
        // Failed unlocks so far reach the log; the lockout window still runs
        // its course, as after an administrator's reset.
        let signin = signin_file_path(path);
        clinic.import_failures(&signin, read_failures(&signin))?;
        let user = clinic.user_named(username)?;
        if !user.active {
            return Err(ClinicError::validation(
                "username",
                "This account is deactivated; recover an active administrator's account instead.",
            ));
        }
        let password = validate::password("new_password", new_password)?;
        password::check_policy("new_password", &user.username, &password)?;
        let actor = Actor::from_user(&user);
        clinic.write_password(&actor, &user, &password, "user.recover")?;
        Ok(actor)
    }

    /// `dermis encrypt`: converts the plaintext clinic at `path` (the admin
    /// `username` with `password` signs in) into an encrypted one. First a
    /// verified plaintext backup; then `sqlcipher_export` into a new file,
    /// checked (integrity, every table's rows, audit head); then the key
    /// file; then one atomic rename over the database. A kill at any point
    /// leaves the old plaintext clinic or the new encrypted one: until the
    /// rename the database is plaintext (a key file beside a plaintext
    /// database is ignored and replaced by the next attempt).
    pub fn encrypt_existing(
        path: &Path,
        username: &str,
        password: &str,
        remove_plaintext: bool,
    ) -> Result<EncryptReport> {
        if keys::is_encrypted(path) {
            return Err(ClinicError::Conflict(
                "This clinic is already encrypted.".into(),
            ));
        }
        if !dermis_store::file_looks_plaintext(path) {
            return Err(ClinicError::Io(format!(
                "{} is not a Dermis clinic database.",
                path.display()
            )));
        }
        let clinic = Clinic::open(path)?;
        let actor = clinic.login(&LoginInput {
            username: username.to_string(),
            password: password.to_string(),
        })?;
        clinic.allow(&actor, crate::permissions::Action::ManageUsers)?;
        clinic.allow(&actor, crate::permissions::Action::EncryptClinic)?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let backup =
            dermis_store::backups_dir(path).join(format!("dermis-before-encrypt-{stamp}.db"));
        let summary = clinic.backup(&actor, &backup)?;
        clinic.audit(&actor, "database.encrypt", "database", "", "")?;
        let clinic_name = clinic
            .store()?
            .read(|tx| tx.clinic_details())?
            .map(|d| d.name)
            .unwrap_or_default();
        let (date_format, _) = clinic.date_format_in_use()?;
        let others: Vec<String> = clinic
            .store()?
            .read(|tx| tx.users())?
            .into_iter()
            .filter(|u| u.active && u.id != actor.user_id)
            .map(|u| u.username)
            .collect();
        // The plaintext clinic closes (its -wal is checkpointed and removed)
        // before the encrypted file takes its name.
        drop(clinic);
        let (file, key, recovery) = KeyFile::create(&actor.username, password)?;
        let cipher = CipherKey::new(key.bytes());
        let fresh = dermis_store::temp_name(path, "encrypting");
        let report = dermis_store::export_encrypted(path, &fresh, &cipher)?;
        pause_for_tests("exported");
        let key_file = keys::key_file_path(path);
        if let Err(e) = file.write(&key_file) {
            let _ = std::fs::remove_file(&fresh);
            return Err(e);
        }
        pause_for_tests("keys-written");
        for suffix in ["-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        std::fs::rename(&fresh, path).map_err(|e| {
            let _ = std::fs::remove_file(&fresh);
            ClinicError::Io(format!(
                "The encrypted database could not take its place: {e}"
            ))
        })?;
        if let Some(dir) = path.parent() {
            dermis_store::sync_dir(dir);
        }
        pause_for_tests("swapped");
        // Proof: it opens with the admin's password.
        let encrypted = Clinic::open_encrypted(path, username, password)?;
        let mut removed = vec![];
        if remove_plaintext {
            removed = remove_plaintext_copies_of(path);
            first_encrypted_backup(&encrypted.0, &removed);
        }
        drop(encrypted);
        let get = |t: &str| {
            report
                .counts
                .iter()
                .find(|(n, _)| n == t)
                .map_or(0, |(_, c)| *c)
        };
        let _ = summary;
        Ok(EncryptReport {
            clinic_name,
            recovery_key: recovery.as_str().to_string(),
            plaintext_backup: backup,
            patients: get("patients"),
            audit_entries: report.audit.0,
            audit_head: report.audit.1,
            removed,
            photos_moved: report.photos_moved,
            photos_missing: report.photos_missing,
            accounts_needing_reset: others,
            date_format,
        })
    }
}

/// Test hook: with `DERMIS_TEST_ENCRYPT_PAUSE_MS` set, sleeps at each named
/// step of `dermis encrypt` so a test can SIGKILL it between them.
fn pause_for_tests(_step: &str) {
    if let Some(ms) = std::env::var("DERMIS_TEST_ENCRYPT_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(5_000)));
    }
}

/// The plaintext copies an encrypted clinic at `db` still has: in its
/// backups folder the backup made before encrypting and older automatic
/// backups, and beside the database the `before-restore` copies of restores
/// made while it was plaintext (what Settings → Security offers to remove).
/// Backups the clinic wrote to a folder of its choice are not searched.
pub fn plaintext_copies(db: &Path) -> Vec<PathBuf> {
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dermis".into());
    let restore_prefix = format!("{stem}.before-restore-");
    let beside = db.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut found = vec![];
    for (dir, beside_db) in [(dermis_store::backups_dir(db), false), (beside, true)] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let ours = if beside_db {
                name.starts_with(&restore_prefix)
            } else {
                name.starts_with("dermis-before-encrypt-") || name.starts_with("dermis-auto-")
            };
            if ours && name.ends_with(".db") && dermis_store::file_looks_plaintext(&p) {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// Once the plaintext backups are removed, the encrypted clinic's first
/// backup, at once: otherwise it has none until the next start, and its
/// "last good backup" names a file that no longer exists. Best effort: the
/// encryption itself is done (and its recovery key still to be shown), so a
/// failure is logged, and the daily backup tries again at the next start.
pub(crate) fn first_encrypted_backup(clinic: &Clinic, removed: &[PathBuf]) {
    if removed.is_empty() {
        return;
    }
    if let Err(e) = clinic.daily_backup() {
        tracing::warn!("the first encrypted backup failed (the next start tries again): {e}");
    }
}

/// Removes every plaintext copy of an encrypted clinic at `db`
/// ([`plaintext_copies`]), overwritten with zeros first as `dermis encrypt
/// --remove-plaintext` does. Nothing for a plaintext clinic (its backups are
/// its only copies). Returns what was removed.
pub(crate) fn remove_plaintext_copies_of(db: &Path) -> Vec<PathBuf> {
    if !keys::is_encrypted(db) {
        return vec![];
    }
    let mut removed = vec![];
    for p in plaintext_copies(db) {
        removed.extend(remove_plaintext_copies(&p));
    }
    removed
}

/// Removes the plaintext backup made before encrypting (and its photo
/// folder) and the older plaintext automatic backups in the same folder,
/// each overwritten with zeros first (best effort: an SSD may keep old
/// blocks). Returns what was removed.
fn remove_plaintext_copies(backup: &Path) -> Vec<PathBuf> {
    let mut removed = vec![];
    let dir = backup.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut victims = vec![backup.to_path_buf()];
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.filter_map(|e| e.ok()) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("dermis-auto-")
                && name.ends_with(".db")
                && dermis_store::file_looks_plaintext(&p)
            {
                victims.push(p);
            }
        }
    }
    for p in victims {
        if let Ok(m) = std::fs::metadata(&p) {
            if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&p) {
                use std::io::Write;
                let zeros = vec![0u8; 64 * 1024];
                let mut left = m.len();
                while left > 0 {
                    let n = left.min(zeros.len() as u64) as usize;
                    if f.write_all(&zeros[..n]).is_err() {
                        break;
                    }
                    left -= n as u64;
                }
                let _ = f.sync_all();
            }
        }
        if std::fs::remove_file(&p).is_ok() {
            let _ = std::fs::remove_dir_all(dermis_store::photos_dir_of_backup(&p));
            removed.push(p);
        }
    }
    removed
}

/// What opens an encrypted backup restored on a new PC.
pub enum Unlock<'a> {
    /// An account's user name and password (its wrap in the backup's key file).
    Password {
        username: &'a str,
        password: &'a str,
    },
    /// The clinic's recovery key.
    Recovery(&'a str),
}

impl Clinic {
    /// Restores the encrypted backup `backup` (with its key file
    /// `<backup>.keys` beside it) into `dest`, a data folder with no clinic
    /// yet (a new PC): unlocks the backup's data key with `unlock`, checks the
    /// backup (integrity, a Dermis file), then puts the key file, the audit
    /// key and anchor, the photos and finally the database in place (the
    /// database's rename last: until then there is no clinic at `dest`).
    /// Returns the number of patients. The caller then opens it as usual.
    pub fn restore_encrypted_fresh(backup: &Path, dest: &Path, unlock: &Unlock) -> Result<i64> {
        let occupied = std::fs::metadata(dest)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
        if occupied || keys::key_file_path(dest).exists() {
            return Err(ClinicError::Conflict(format!(
                "There is already a clinic at {}; restore into it by signing in there.",
                dest.display()
            )));
        }
        let file = read_key_file(backup)?;
        let key = match unlock {
            Unlock::Password { username, password } => {
                file.unwrap_user(&wrap_name(&file, username), password)?
            }
            Unlock::Recovery(typed) => file.unwrap_recovery(typed)?,
        }
        .ok_or_else(|| {
            ClinicError::Forbidden(
                "That password (or recovery key) does not open this backup.".into(),
            )
        })?;
        let cipher = CipherKey::new(key.bytes());
        let report = dermis_store::inspect_encrypted(backup, &cipher)?;
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            dermis_store::create_private_dir(parent)?;
        }
        // The audit key the backup's log is signed with, and an anchor at its head.
        if let Some(audit) = crate::audit_key::read_key(&crate::audit_key::backup_key_path(backup))?
        {
            crate::audit_key::write_key(&crate::audit_key::key_path(dest), &audit)?;
            crate::audit_key::AnchorPlace::File(crate::audit_key::anchor_path(dest)).write(
                crate::audit_key::Anchor::new(&audit, report.audit.0, &report.audit.1),
            )?;
        }
        file.write(&keys::key_file_path(dest))?;
        // No photo folder is copied: an encrypted clinic's pictures are rows
        // of its encrypted file (dermis-store files.rs), so the backup carries
        // them; a folder found beside a backup is not the clinic's.
        let tmp = dermis_store::temp_name(dest, "restoring");
        let copied = (|| -> std::io::Result<()> {
            std::fs::copy(backup, &tmp)?;
            std::fs::File::open(&tmp)?.sync_all()?;
            std::fs::rename(&tmp, dest)
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&tmp);
            return Err(ClinicError::Io(format!(
                "The backup could not be copied to {}: {e}",
                dest.display()
            )));
        }
        if let Some(dir) = dest.parent() {
            dermis_store::sync_dir(dir);
        }
        Ok(report
            .counts
            .iter()
            .find(|(n, _)| n == "patients")
            .map_or(0, |(_, c)| *c))
    }
}

/// What `dermis backup inspect` found in an encrypted backup.
#[derive(Debug, Clone, Serialize)]
pub struct EncryptedBackupInfo {
    pub path: PathBuf,
    pub schema_version: i64,
    pub patients: i64,
    pub photos: i64,
    pub audit_entries: i64,
    pub audit_head: String,
    pub bytes: u64,
    /// Rows per table.
    pub counts: Vec<(String, i64)>,
}

impl Clinic {
    /// Checks the encrypted backup `backup` with its key file
    /// (`<backup>.keys`) and `unlock` (an account's password or the
    /// recovery key), read-only: it opens with the key, passes the integrity
    /// check, is a Dermis file of a schema this build knows. Nothing is
    /// written anywhere. A backup on a stick can be guessed at offline by
    /// whoever holds it, so this has no lockout of its own: only Argon2's
    /// cost protects the passwords there (keys.rs).
    pub fn inspect_encrypted_backup(backup: &Path, unlock: &Unlock) -> Result<EncryptedBackupInfo> {
        let file = read_key_file(backup)?;
        let key = match unlock {
            Unlock::Password { username, password } => {
                file.unwrap_user(&wrap_name(&file, username), password)?
            }
            Unlock::Recovery(typed) => file.unwrap_recovery(typed)?,
        }
        .ok_or_else(|| {
            ClinicError::Forbidden(
                "That password (or recovery key) does not open this backup.".into(),
            )
        })?;
        let report = dermis_store::inspect_encrypted(backup, &CipherKey::new(key.bytes()))?;
        let get = |t: &str| {
            report
                .counts
                .iter()
                .find(|(n, _)| n == t)
                .map_or(0, |(_, c)| *c)
        };
        Ok(EncryptedBackupInfo {
            path: backup.to_path_buf(),
            schema_version: report.schema_version,
            patients: get("patients"),
            photos: get("photos"),
            audit_entries: report.audit.0,
            audit_head: report.audit.1.clone(),
            bytes: std::fs::metadata(backup).map_or(0, |m| m.len()),
            counts: report.counts,
        })
    }
}

impl Clinic {
    /// [`Clinic::recover`] from the app's sign-in screen ("Forgot the admin
    /// password?"): the attempt is refused while `username` is locked out,
    /// and a recovery key that is not this clinic's counts toward that
    /// lockout exactly like a wrong password (in `<db>.signin`, see the
    /// module header), so the screen cannot be used to guess keys faster
    /// than passwords. The key itself is never written anywhere.
    pub fn recover_at_sign_in(
        path: &Path,
        username: &str,
        recovery_key: &str,
        new_password: &str,
    ) -> Result<Actor> {
        let typed = username.trim();
        if typed.is_empty() {
            return Err(ClinicError::validation("username", "Enter the user name."));
        }
        if recovery_key.trim().is_empty() {
            return Err(ClinicError::validation(
                "recovery_key",
                "Enter the recovery key from the recovery sheet.",
            ));
        }
        if typed.chars().count() > crate::LOGIN_NAME_MAX_CHARS || recovery_key.len() > 256 {
            return Err(ClinicError::validation(
                "recovery_key",
                "That is not this clinic's recovery key. Check it against the recovery sheet.",
            ));
        }
        let file = read_key_file(path)?;
        let name = wrap_name(&file, typed);
        let counted = failure_name(path, &file, &name);
        let signin = signin_file_path(path);
        let mut failures = read_failures(&signin);
        let since = window_start();
        let recent = failures
            .failures
            .iter()
            .filter(|f| f.name == counted && f.at >= since)
            .count() as i64;
        if recent >= MAX_FAILED_LOGINS {
            return Err(locked_out());
        }
        match Clinic::recover(path, typed, recovery_key, new_password) {
            Err(e) if e.code() == crate::ErrorCode::Forbidden => {
                failures.failures.push(Failure {
                    name: counted,
                    at: now_text(),
                });
                let excess = failures.failures.len().saturating_sub(SIGNIN_MAX_ENTRIES);
                failures.failures.drain(..excess);
                write_failures(&signin, &failures)?;
                Err(e)
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::argon2_runs;

    const PW: &str = "correct horse battery staple";

    fn encrypted_clinic(dir: &Path) -> PathBuf {
        let db = dir.join("dermis.db");
        let (clinic, _, _) = Clinic::create_encrypted(
            &db,
            &SetupInput {
                clinic_name: "Test Clinic".into(),
                clinic_address: "1 Test Street".into(),
                clinic_phone: "0100 000 000".into(),
                admin_username: "owner".into(),
                admin_display_name: "Dr Test Owner".into(),
                password: PW.into(),
            },
        )
        .unwrap();
        drop(clinic);
        db
    }

    /// The sign-in of an encrypted clinic used to run Argon2id twice (the
    /// wrap's key, then the password hash in the database): twice the wait
    /// at every sign-in for no added proof (issue 21: open within 1.3× of a
    /// plaintext clinic's).
    #[test]
    fn signing_in_to_an_encrypted_clinic_derives_from_the_password_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = encrypted_clinic(dir.path());
        let before = argon2_runs();
        let (_clinic, actor) = Clinic::open_encrypted(&db, "owner", PW).unwrap();
        assert_eq!(actor.username, "owner");
        assert_eq!(argon2_runs() - before, 1, "one Argon2id per sign-in");
    }

    #[test]
    fn a_wrong_password_still_costs_one_derivation_and_opens_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = encrypted_clinic(dir.path());
        for name in ["owner", "nobody"] {
            let before = argon2_runs();
            let err = Clinic::open_encrypted(&db, name, "a wrong password entirely")
                .err()
                .expect("refused");
            assert_eq!(err.code(), crate::ErrorCode::Forbidden, "{name}");
            assert_eq!(
                argon2_runs() - before,
                1,
                "{name}: the same cost either way"
            );
        }
    }
}
