//! Dermis use-cases. A [`Clinic`] is an open clinic database; a [`Session`] is
//! a logged-in user with roles. Every action a user can take is one method on
//! `Clinic` that takes the `Session`: it checks the role, validates the input,
//! runs in one transaction and writes the audit entry. The desktop app and the
//! command line call only this crate.

mod admin;
mod clinical;
mod clock;
mod data_export;
pub mod demo;
mod documents;
mod error;
mod export;
mod password;
mod patients;
mod permissions;
mod photos;
mod session;
mod sessions;

pub use admin::{
    AuditFilter, AuditItem, AuditPage, ClinicSettingsView, NewUserInput, UserInfo, LOGO_MAX_BYTES,
};
pub use clock::{Clock, FixedClock, SystemClock};
pub use data_export::{ExportFormat, ExportSummary, PatientRecord};
pub use dermis_core as core;
pub use documents::{
    languages, AftercareTextView, DocumentInfo, DocumentKind, LanguageOption, PrintRequest,
    RenderedDocument,
};
pub use error::{ApiError, ClinicError, ErrorCode};
pub use permissions::Action;
pub use photos::{PhotoImport, PHOTO_MAX_BYTES};
pub use session::Session;
pub use sessions::{HealingOutcome, SessionDraft};

use dermis_core::validate;
use dermis_core::{LoginInput, Role, SetupInput};
use dermis_store::{AuditEntry, ClinicRow, Store};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use ts_rs::TS;

pub type Result<T, E = ClinicError> = std::result::Result<T, E>;

/// The identifier the desktop app is registered under; its data folder is named after it.
pub const APP_IDENTIFIER: &str = "org.dermis.app";
/// Failed sign-ins for one user name within the window lock it for the rest of the window.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOGIN_WINDOW_MINUTES: i64 = 15;

/// The database file name inside the app-data folder.
pub const DB_FILE_NAME: &str = "dermis.db";

/// Where the database lives when no `--db` / `DERMIS_DB` is given: the OS's
/// app-data folder (the same folder Tauri's `app_data_dir` resolves to).
pub fn default_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER).join(DB_FILE_NAME))
}

/// How many automatic daily backups are kept unless Settings says otherwise.
pub const AUTO_BACKUPS_KEPT: usize = 14;
/// Days without a good backup before the Today screen warns.
pub const BACKUP_WARNING_DAYS: i64 = 7;

/// The last good backup, for Settings and the Today screen's warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupStatus {
    /// RFC 3339, UTC.
    pub last_good_at: Option<String>,
    pub last_path: Option<String>,
    #[ts(type = "number | null")]
    pub days_since: Option<i64>,
    /// No good backup for a week (or ever).
    pub warning: bool,
}

/// A checked backup file: where it is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupSummary {
    pub path: String,
    pub schema_version: i64,
    pub patients: i64,
    pub sessions: i64,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Photos the backup lists; their files are in the folder `<name>-photos` beside it.
    pub photos: i64,
    /// Listed photos whose file is not in that folder.
    pub photos_missing: i64,
}

impl From<dermis_store::BackupInfo> for BackupSummary {
    fn from(i: dermis_store::BackupInfo) -> Self {
        BackupSummary {
            path: i.path.display().to_string(),
            schema_version: i.schema_version,
            patients: i.patients,
            sessions: i.sessions,
            bytes: i.bytes,
            photos: i.photos,
            photos_missing: i.photos_missing,
        }
    }
}

/// What the app shows before anyone logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppStatus {
    /// True until first run has created the clinic and its first account.
    pub needs_setup: bool,
    pub clinic_name: Option<String>,
    pub session: Option<dermis_core::SessionInfo>,
    pub db_path: String,
    /// The app locks after this many idle minutes (clinic setting).
    pub idle_lock_minutes: u32,
    /// True while the app is locked (set by the desktop shell).
    pub locked: bool,
}

/// An open clinic database.
pub struct Clinic {
    store: Mutex<Store>,
    clock: Arc<dyn Clock>,
}

impl Clinic {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Clinic> {
        Ok(Self::with_store(Store::open(path)?, Arc::new(SystemClock)))
    }

    /// A fresh database in memory, for tests.
    pub fn open_in_memory(clock: Arc<dyn Clock>) -> Result<Clinic> {
        Ok(Self::with_store(Store::open_in_memory()?, clock))
    }

    pub fn with_store(store: Store, clock: Arc<dyn Clock>) -> Clinic {
        Clinic {
            store: Mutex::new(store),
            clock,
        }
    }

    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    pub(crate) fn store(&self) -> Result<MutexGuard<'_, Store>> {
        self.store.lock().map_err(|_| {
            ClinicError::Internal(
                "the database connection is unusable after an earlier failure".into(),
            )
        })
    }

    pub(crate) fn now(&self) -> String {
        self.clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    pub(crate) fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// The database file, if this clinic is on disk.
    pub fn db_path(&self) -> Option<PathBuf> {
        self.store()
            .ok()
            .and_then(|s| s.path().map(Path::to_path_buf))
    }

    /// Needs first run? And the clinic's name for the login screen.
    pub fn status(&self, session: Option<&Session>) -> Result<AppStatus> {
        let clinic = self.store()?.read(|tx| tx.clinic())?;
        Ok(AppStatus {
            needs_setup: clinic.is_none(),
            clinic_name: clinic.map(|c| c.name),
            session: session.map(Session::info),
            db_path: self
                .db_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| ":memory:".into()),
            idle_lock_minutes: self.stored_clinic_settings()?.idle_lock_minutes,
            locked: false,
        })
    }

    /// First run: creates the clinic and its first account (admin and
    /// practitioner) and logs that account in.
    pub fn setup(&self, input: &SetupInput) -> Result<Session> {
        let valid = validate::setup(input)?;
        let hash = password::hash(&valid.password)?;
        let now = self.now();
        let roles = [Role::Admin, Role::Practitioner];
        let user = self.store()?.write(|tx| -> Result<_> {
            if tx.clinic()?.is_some() {
                return Err(ClinicError::Conflict(
                    "This clinic is already set up; sign in instead.".into(),
                ));
            }
            tx.insert_clinic(
                &ClinicRow {
                    name: valid.clinic_name.clone(),
                    address: valid.clinic_address.clone(),
                    phone: valid.clinic_phone.clone(),
                },
                &now,
            )?;
            let user = tx
                .insert_user(
                    &valid.admin_username,
                    &valid.admin_display_name,
                    &hash,
                    &roles,
                    &now,
                )
                .map_err(|e| ClinicError::from_store_in_field(e, "admin_username"))?;
            tx.append_audit(&Session::from_user(&user).audit_entry(
                now.clone(),
                "clinic.setup",
                "clinic",
                "1",
                "",
            ))?;
            Ok(user)
        })?;
        Ok(Session::from_user(&user))
    }

    /// Checks a user name and password. A wrong one is refused without saying
    /// which of the two was wrong, and the attempt is audited.
    pub fn login(&self, input: &LoginInput) -> Result<Session> {
        let username = input.username.trim();
        if username.is_empty() {
            return Err(ClinicError::validation("username", "Enter your user name."));
        }
        if input.password.is_empty() {
            return Err(ClinicError::validation("password", "Enter your password."));
        }
        let now_t = self.clock.now();
        let since = (now_t - chrono::Duration::minutes(LOGIN_WINDOW_MINUTES))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let recent_failures = self
            .store()?
            .read(|tx| tx.count_audit_since(username, "login.failed", &since))?;
        if recent_failures >= MAX_FAILED_LOGINS {
            self.audit_unsigned(None, username, "login.locked", "user", "")?;
            return Err(ClinicError::Locked(format!(
                "Too many wrong passwords for \"{username}\". Wait {LOGIN_WINDOW_MINUTES} minutes, or ask an administrator to reset the password."
            )));
        }
        let user = self.store()?.read(|tx| tx.user_by_username(username))?;
        let ok = match &user {
            Some(u) => password::verify(&input.password, &u.password_hash) && u.active,
            None => {
                // Spend the same time as a real check, so timing does not reveal user names.
                password::burn(&input.password);
                false
            }
        };
        let (action, user_id, name) = match (&user, ok) {
            (Some(u), true) => ("login", Some(u.id), u.username.clone()),
            (Some(u), false) => ("login.failed", Some(u.id), u.username.clone()),
            (None, _) => ("login.failed", None, username.to_string()),
        };
        self.audit_unsigned(user_id, &name, action, "user", "")?;
        match (user, ok) {
            (Some(u), true) => Ok(Session::from_user(&u)),
            _ => Err(ClinicError::Forbidden(
                "That user name and password do not match. Check them and try again.".into(),
            )),
        }
    }

    /// Adds a user account with one or more roles (admin only).
    pub fn create_user(
        &self,
        session: &Session,
        username: &str,
        display_name: &str,
        password: &str,
        roles: &[Role],
    ) -> Result<dermis_core::SessionInfo> {
        self.allow(session, Action::ManageUsers)?;
        let username = validate::username("username", username)?;
        let display_name = validate::name("display_name", "Full name", display_name)?;
        let password = validate::password("password", password)?;
        if roles.is_empty() {
            return Err(ClinicError::validation(
                "roles",
                "Give the account at least one role.",
            ));
        }
        let hash = password::hash(&password)?;
        let now = self.now();
        let user = self.store()?.write(|tx| -> Result<_> {
            let u = tx
                .insert_user(&username, &display_name, &hash, roles, &now)
                .map_err(|e| ClinicError::from_store_in_field(e, "username"))?;
            tx.append_audit(&session.audit_entry(
                now.clone(),
                "user.create",
                "user",
                &u.id.to_string(),
                "",
            ))?;
            Ok(u)
        })?;
        Ok(Session::from_user(&user).info())
    }

    fn user_named(&self, username: &str) -> Result<dermis_store::UserRow> {
        self.store()?
            .read(|tx| tx.user_by_username(username.trim()))?
            .ok_or_else(|| {
                ClinicError::validation(
                    "username",
                    format!("There is no account named \"{}\".", username.trim()),
                )
            })
    }

    /// Stops an account from signing in (admin only). Accounts are never
    /// deleted: their audit history stays theirs.
    pub fn deactivate_user(&self, session: &Session, username: &str) -> Result<()> {
        self.allow(session, Action::ManageUsers)?;
        let user = self.user_named(username)?;
        if user.id == session.user_id {
            return Err(ClinicError::validation(
                "username",
                "You cannot deactivate your own account.",
            ));
        }
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            tx.set_user_active(user.id, false)?;
            tx.append_audit(&session.audit_entry(
                now.clone(),
                "user.deactivate",
                "user",
                &user.id.to_string(),
                "",
            ))?;
            Ok(())
        })
    }

    /// Sets a new password for an account (admin only).
    pub fn reset_password(
        &self,
        session: &Session,
        username: &str,
        new_password: &str,
    ) -> Result<()> {
        self.allow(session, Action::ManageUsers)?;
        let user = self.user_named(username)?;
        let password = validate::password("password", new_password)?;
        let hash = password::hash(&password)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            tx.set_password_hash(user.id, &hash)?;
            tx.append_audit(&session.audit_entry(
                now.clone(),
                "user.reset_password",
                "user",
                &user.id.to_string(),
                "",
            ))?;
            Ok(())
        })
    }

    /// The whole audit log, oldest first, with the chain hashes (admin only; the export is audited).
    pub fn audit_log(&self, session: &Session) -> Result<Vec<dermis_store::AuditRow>> {
        self.allow(session, Action::ReadAuditLog)?;
        let rows = self.store()?.read(|tx| tx.audit_rows())?;
        self.audit(
            session,
            "audit.export",
            "audit",
            "",
            &serde_json::json!({ "entries": rows.len() }).to_string(),
        )?;
        Ok(rows)
    }

    /// Writes a verified backup to `dest` (admin only).
    pub fn backup(&self, session: &Session, dest: &Path) -> Result<BackupSummary> {
        self.allow(session, Action::Backup)?;
        let summary = self.write_backup(dest)?;
        self.audit(
            session,
            "backup",
            "database",
            "",
            &serde_json::json!({ "patients": summary.patients, "bytes": summary.bytes })
                .to_string(),
        )?;
        Ok(summary)
    }

    /// Writes and verifies a backup and records it as the last good one.
    fn write_backup(&self, dest: &Path) -> Result<BackupSummary> {
        // A database file is copied through its own connection (the clinic's
        // stays free for the screens meanwhile); one in memory through its own.
        let file = self.db_path();
        let info = match file {
            Some(db) => dermis_store::backup_file(&db, dest)?,
            None => self.store()?.backup_to(dest)?,
        };
        let summary = BackupSummary::from(info);
        let record = serde_json::json!({ "at": self.now(), "path": summary.path, "patients": summary.patients });
        self.store()?.write(|tx| tx.record_backup(&record))?;
        Ok(summary)
    }

    /// The automatic backup: once a day, into the clinic's backup folder
    /// (`backups/` beside the database unless Settings names one), keeping the
    /// newest `backups_kept` (14 unless changed). Nothing when today's exists.
    pub fn daily_backup(&self) -> Result<Option<BackupSummary>> {
        let Some(db) = self.db_path() else {
            return Ok(None);
        };
        let settings = self.stored_clinic_settings()?;
        // The chosen folder when it is there (a USB stick may be out), else beside the database.
        let dir = Some(PathBuf::from(&settings.backup_folder))
            .filter(|d| !settings.backup_folder.is_empty() && d.is_dir())
            .unwrap_or_else(|| dermis_store::backups_dir(&db));
        let day = self.clock.now().format("%Y%m%d").to_string();
        let done_today = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok()).any(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(&format!("dermis-auto-{day}-"))
                })
            })
            .unwrap_or(false);
        if done_today {
            return Ok(None);
        }
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S");
        let summary = self.write_backup(&dir.join(format!("dermis-auto-{stamp}.db")))?;
        dermis_store::prune_auto_backups(&dir, settings.backups_kept.max(1) as usize)?;
        let detail = serde_json::json!({ "patients": summary.patients }).to_string();
        self.audit_unsigned(None, "dermis", "backup.auto", "database", &detail)?;
        Ok(Some(summary))
    }

    /// When the last good backup was made, and whether that is too long ago.
    pub fn backup_status(&self, session: &Session) -> Result<BackupStatus> {
        self.allow(session, Action::ViewCalendar)?;
        let last = self.store()?.read(|tx| tx.last_backup())?;
        let at = last
            .as_ref()
            .and_then(|v| v.get("at"))
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let days = at
            .as_deref()
            .and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok())
            .map(|t| (self.clock.now() - t.with_timezone(&chrono::Utc)).num_days());
        Ok(BackupStatus {
            last_good_at: at,
            last_path: last
                .as_ref()
                .and_then(|v| v.get("path"))
                .and_then(|v| v.as_str())
                .map(str::to_string),
            days_since: days,
            warning: days.is_none_or(|d| d >= BACKUP_WARNING_DAYS),
        })
    }

    /// What a backup file holds, after checking it can be restored (admin only).
    pub fn inspect_backup(&self, session: &Session, file: &Path) -> Result<BackupSummary> {
        self.allow(session, Action::Backup)?;
        Ok(dermis_store::inspect_backup(file)?.into())
    }

    /// Replaces the clinic's data with a backup (admin only). The current data
    /// is first saved beside the database as `…before-restore-….db` and put
    /// back if the restore fails at any step.
    pub fn restore(&self, session: &Session, file: &Path) -> Result<BackupSummary> {
        self.allow(session, Action::Backup)?;
        let db = self.db_path().ok_or_else(|| {
            ClinicError::Io("This clinic has no database file to restore into.".into())
        })?;
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S");
        let keep = db.with_file_name(format!(
            "{}.before-restore-{stamp}.db",
            db.file_stem().and_then(|s| s.to_str()).unwrap_or("dermis")
        ));
        let info = self.store()?.restore_from(file, &keep)?;
        let summary = BackupSummary::from(info);
        self.audit(
            session,
            "restore",
            "database",
            "",
            &serde_json::json!({ "patients": summary.patients, "kept": keep.display().to_string() }).to_string(),
        )?;
        Ok(summary)
    }

    /// Records that `session` signed out.
    pub fn logout(&self, session: &Session) -> Result<()> {
        self.audit(session, "logout", "user", &session.user_id.to_string(), "")
    }

    /// Lets `session` take `action`, or refuses with `forbidden` — and the
    /// refusal itself is audited, so probing for data leaves a trace.
    pub(crate) fn allow(&self, session: &Session, action: Action) -> Result<()> {
        match session.require(action) {
            Ok(()) => Ok(()),
            Err(refused) => {
                let detail = serde_json::json!({ "action": format!("{action:?}") }).to_string();
                self.audit(
                    session,
                    "permission.denied",
                    "user",
                    &session.user_id.to_string(),
                    &detail,
                )?;
                Err(refused)
            }
        }
    }

    /// Appends an entry made without a signed-in session (sign-in attempts,
    /// automatic jobs); the entity id is the user's id when there is one.
    fn audit_unsigned(
        &self,
        user_id: Option<i64>,
        username: &str,
        action: &str,
        entity: &str,
        detail: &str,
    ) -> Result<()> {
        let entry = AuditEntry {
            at: self.now(),
            user_id,
            username: username.to_string(),
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: user_id.map(|i| i.to_string()).unwrap_or_default(),
            detail: detail.to_string(),
        };
        self.store()?.write(|tx| tx.append_audit(&entry))?;
        Ok(())
    }

    /// Runs `change` in one write transaction and appends its audit entry
    /// (`action` on the clinic) in the same one: both or neither.
    pub(crate) fn change_settings(
        &self,
        session: &Session,
        action: &str,
        detail: &str,
        change: impl FnOnce(&dermis_store::Tx) -> Result<()>,
    ) -> Result<()> {
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            change(tx)?;
            tx.append_audit(&session.audit_entry(now.clone(), action, "clinic", "1", detail))?;
            Ok(())
        })
    }

    /// Appends one audit entry in its own transaction.
    pub(crate) fn audit(
        &self,
        session: &Session,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &str,
    ) -> Result<()> {
        let entry = session.audit_entry(self.now(), action, entity, entity_id, detail);
        self.store()?.write(|tx| tx.append_audit(&entry))?;
        Ok(())
    }

    /// Checks the audit chain as `session` (admin only); the id of the first broken entry, if any.
    pub fn verify_audit(&self, session: &Session) -> Result<Option<i64>> {
        self.allow(session, Action::ReadAuditLog)?;
        self.verify_audit_chain()
    }

    /// Checks the audit chain; the id of the first broken entry, if any.
    pub fn verify_audit_chain(&self) -> Result<Option<i64>> {
        Ok(self.store()?.read(|tx| tx.verify_audit_chain())?)
    }

    /// The newest audit entries (admin only).
    pub fn recent_audit(&self, session: &Session, limit: u32) -> Result<Vec<AuditEntry>> {
        self.allow(session, Action::ReadAuditLog)?;
        Ok(self.store()?.read(|tx| tx.recent_audit(limit))?)
    }
}
