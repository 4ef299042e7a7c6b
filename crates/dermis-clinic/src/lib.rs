//! Dermis use-cases. A [`Clinic`] is an open clinic database; an [`Actor`] is
//! the signed-in person and the roles they act with ("session" is kept for
//! the treatment visit). Every action a user can take is one method on
//! `Clinic` that takes the `Actor`: it checks the role, validates the input,
//! runs in one transaction and writes the audit entry. The desktop app, the
//! test host and the command line call only this crate; the app and the test
//! host through the one command table in [`api`].

mod actor;
mod admin;
pub mod api;
pub mod audit_key;
mod clinical;
mod clock;
mod consents;
mod data_export;
mod dates;
pub mod demo;
mod desk;
mod documents;
mod dump_key;
mod encryption;
mod error;
mod export;
pub mod keys;
mod keywrap;
mod live;
mod merge;
mod password;
mod patients;
mod permissions;
mod photos;
mod protected_export;
mod recalls;
mod schedule;
mod seat;
mod server;
mod sessions;
mod usecase;

pub use actor::Actor;
pub use admin::{
    AuditFilter, AuditItem, AuditPage, ClinicSettingsView, NewUserInput, UserInfo, LOGO_MAX_BYTES,
};
pub use clock::{Clock, FixedClock, SystemClock};
pub use data_export::{ExportFormat, ExportSummary, PatientExport, PatientRecord};
pub use dermis_core as core;
pub use dermis_store::{is_server_url, redact_url};
pub use documents::{
    languages, AftercareTextView, DocumentInfo, DocumentKind, LanguageOption, PrintRequest,
    PrintedDocument, RenderedDocument,
};
pub use dump_key::{DumpKeyOutcome, DumpUnlock};
pub use encryption::{
    signin_file_path, write_recovery_sheet, EncryptReport, EncryptedBackupInfo, Unlock,
};
pub use error::{ApiError, ClinicError, ErrorCode, SlotTaken};
pub use export::{clean_prints, write_print, PRINTS_KEPT_HOURS};
pub use live::{Change, ChangeFeed, ConnectionState};
pub use merge::{MergeCount, MergePreview, MergeSummary};
pub use patients::ErasureSummary;
pub use permissions::Action;
pub use photos::{PhotoImport, PHOTO_MAX_BYTES};
pub use schedule::{BookingInput, MoveInput, PractitionerInfo, SlotQuery};
pub use seat::Seat;
pub use server::{
    server_certificate, server_keys_dir, ServerCertificate, ServerCopy, ServerLogin,
    ServerRestoreSummary,
};
pub use sessions::{HealingOutcome, SessionDraft};

use audit_key::{AnchorPlace, Anchored};
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

/// The longest user name a sign-in accepts (accounts have at most 32).
pub const LOGIN_NAME_MAX_CHARS: usize = 64;
/// What a failed sign-in with a name that is no account is recorded as.
pub const UNKNOWN_USER: &str = "(no such account)";

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
    /// No good backup for a week (or ever); on the clinic server, no
    /// verified server backup for more than [`SERVER_BACKUP_STALE_DAYS`].
    pub warning: bool,
    /// This PC works on the clinic server: the backup is the server PC's
    /// own nightly one (verified there), which a client PC cannot make.
    pub on_server: bool,
}

/// On the clinic server, backups run every night on the server PC: a
/// newest verified backup older than this many whole days means nights
/// were missed (the server PC was off, the backup folder full…).
pub const SERVER_BACKUP_STALE_DAYS: i64 = 2;

/// Whether the Today screen warns about backups: never made, or a week old
/// on one PC (which backs up when Dermis starts); on the clinic server,
/// older than [`SERVER_BACKUP_STALE_DAYS`] whole days.
pub fn backup_warning(days_since: Option<i64>, on_server: bool) -> bool {
    match days_since {
        None => true,
        Some(d) if on_server => d > SERVER_BACKUP_STALE_DAYS,
        Some(d) => d >= BACKUP_WARNING_DAYS,
    }
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
    pub actor: Option<dermis_core::ActorInfo>,
    pub db_path: String,
    /// The app locks after this many idle minutes (clinic setting).
    pub idle_lock_minutes: u32,
    /// True while the app is locked (set by the desktop shell).
    pub locked: bool,
}

/// The refusal of a user name locked by too many wrong passwords.
pub(crate) fn locked_out() -> ClinicError {
    ClinicError::Locked(format!(
        "Too many wrong passwords for this user name. Wait {LOGIN_WINDOW_MINUTES} minutes, or ask an administrator to reset the password."
    ))
}

/// An open clinic database.
pub struct Clinic {
    store: Mutex<Store>,
    clock: Arc<dyn Clock>,
    /// The audit chain's key and anchor, kept outside the database (see [`audit_key`]).
    audit_key: std::sync::RwLock<Vec<u8>>,
    anchor: AnchorPlace,
    /// The key file was already there at open, so an anchor must be too.
    anchor_expected: bool,
    /// An encrypted clinic's data key and key file (see `encryption.rs`);
    /// `None` for a plaintext clinic. Locked while its key file is rewritten.
    vault: Option<Mutex<encryption::Vault>>,
    /// The change feed the screens poll (see `live.rs`).
    live: Arc<live::Live>,
    /// The store's watch, started by the first poll: on the clinic server
    /// its listening connection (`Some(Some(_))`), stopped when dropped.
    watch: Mutex<Option<Option<dermis_store::Listener>>>,
}

/// What `audit verify` and the start-up check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditVerdict {
    /// Nothing wrong: every entry checks out and the log reaches the anchor.
    pub intact: bool,
    #[ts(type = "number")]
    pub entries: i64,
    /// The newest entry's hash: the checkpoint to keep on paper.
    pub head: String,
    /// The first entry whose hash, link or key is wrong.
    #[ts(type = "number | null")]
    pub first_bad: Option<i64>,
    /// Entries counted by the anchor kept outside the database.
    #[ts(type = "number | null")]
    pub anchored_entries: Option<i64>,
    /// Ids of the `audit.break_detected` entries: cuts found at start-up.
    #[ts(type = "Array<number>")]
    pub breaks: Vec<i64>,
    /// A sentence for the administrator when anything is wrong.
    pub problem: Option<String>,
}

impl Clinic {
    /// Opens (creating and migrating if needed) the database at `path`,
    /// after finishing a restore a kill interrupted, with its audit key and
    /// anchor beside it (created on first open), and removes what killed runs
    /// left behind (temporary copies older than an hour; `before-restore`
    /// copies but the newest, and that one after 7 days).
    pub fn open(path: &Path) -> Result<Clinic> {
        if keys::is_encrypted(path) {
            return Err(ClinicError::Forbidden(
                "This clinic's database is encrypted: sign in with your user name and password to open it."
                    .into(),
            ));
        }
        Self::open_store(path, Store::open(path)?)
    }

    /// [`Clinic::open`] after the store is open (plaintext or encrypted).
    fn open_store(path: &Path, store: Store) -> Result<Clinic> {
        let removed = dermis_store::clean_leftovers(path);
        if removed > 0 {
            tracing::info!(removed, "removed leftover temporary files");
        }
        Self::settle_pending_restore(path, &store)?;
        let key_file = audit_key::key_path(path);
        let (key, existed) = match audit_key::read_key(&key_file)? {
            Some(k) => (k, true),
            None => {
                let k = audit_key::new_key();
                audit_key::write_key(&key_file, &k)?;
                (k, false)
            }
        };
        let anchor = AnchorPlace::File(audit_key::anchor_path(path));
        Self::assemble(store, Arc::new(SystemClock), key, anchor, existed)
    }

    /// A fresh database in memory, for tests.
    pub fn open_in_memory(clock: Arc<dyn Clock>) -> Result<Clinic> {
        Self::assemble(
            Store::open_in_memory()?,
            clock,
            audit_key::new_key(),
            AnchorPlace::Memory(Default::default()),
            false,
        )
    }

    /// A clinic over `store` with a key and anchor of its own in memory.
    pub fn with_store(store: Store, clock: Arc<dyn Clock>) -> Result<Clinic> {
        Self::assemble(
            store,
            clock,
            audit_key::new_key(),
            AnchorPlace::Memory(Default::default()),
            false,
        )
    }

    /// Keys the store, checks the log against the anchor (a cut or a wipe
    /// since the last run is recorded as `audit.break_detected`, which every
    /// later `audit verify` reports), then lets the anchor follow the log.
    fn assemble(
        mut store: Store,
        clock: Arc<dyn Clock>,
        key: Vec<u8>,
        anchor: AnchorPlace,
        anchor_expected: bool,
    ) -> Result<Clinic> {
        store.set_audit_key(key.clone());
        store.set_audit_hook(anchor.hook(key.clone()));
        let live = live::Live::new(store.server_url().map(dermis_store::server_host));
        let clinic = Clinic {
            live,
            watch: Mutex::new(None),
            store: Mutex::new(store),
            clock,
            audit_key: std::sync::RwLock::new(key),
            anchor,
            anchor_expected,
            vault: None,
        };
        let (verdict, disagrees) = clinic.check_audit()?;
        if let Some(problem) = &verdict.problem {
            tracing::error!("audit log check at start-up: {problem}");
        }
        if disagrees {
            let detail = serde_json::json!({
                "anchored_entries": verdict.anchored_entries,
                "entries": verdict.entries,
            })
            .to_string();
            // Recorded in the log itself, and the anchor then follows the log:
            // the break stays visible to every later `audit verify`.
            clinic.audit_unsigned(None, "dermis", "audit.break_detected", "audit", &detail)?;
            clinic.reanchor()?;
        } else if verdict.anchored_entries.is_none() {
            clinic.reanchor()?;
        }
        Ok(clinic)
    }

    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// The clinic's clock, for a clinic opened again in its place (the
    /// signed-in person's idle time is measured on one clock).
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
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

    /// The clinic's "today", from its one clock (the CLI uses it too).
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// The database file, if this clinic is on disk.
    pub fn db_path(&self) -> Option<PathBuf> {
        self.store()
            .ok()
            .and_then(|s| s.path().map(Path::to_path_buf))
    }

    /// Needs first run? And the clinic's name for the login screen.
    pub fn status(&self, actor: Option<&Actor>) -> Result<AppStatus> {
        let clinic = self.store()?.read(|tx| tx.clinic())?;
        Ok(AppStatus {
            needs_setup: clinic.is_none(),
            clinic_name: clinic.map(|c| c.name),
            actor: actor.map(Actor::info),
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
    pub fn setup(&self, input: &SetupInput) -> Result<Actor> {
        let valid = validate::setup(input)?;
        password::check_policy("password", &valid.admin_username, &valid.password)?;
        let hash = password::hash(&valid.password)?;
        let wrap = self.key_wrap_for(&valid.admin_username, &valid.password)?;
        let now = self.now();
        let roles = [Role::Admin, Role::Practitioner];
        // On the clinic server the group roles and grants come first (the
        // setup user's connection; nothing on SQLite), so that the first
        // admin's own login role can join them below.
        if self.store()?.read(|tx| tx.clinic())?.is_none() {
            self.store()?.setup_server_roles()?;
            self.open_sign_in_gate()?;
        }
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
            tx.set_server_login(&user.username, &valid.password, &roles, true)?;
            if let Some(w) = &wrap {
                tx.set_key_wrap(&user.username, w, &now)?;
            }
            tx.append_audit(&Actor::from_user(&user).audit_entry(
                now.clone(),
                "clinic.setup",
                "clinic",
                "1",
                "",
            ))?;
            Ok(user)
        })?;
        Ok(Actor::from_user(&user))
    }

    /// Checks a user name and password. A wrong one is refused without saying
    /// which of the two was wrong, and the attempt is audited — under the
    /// account's own name, or, for a name that is no account, under the fixed
    /// marker [`UNKNOWN_USER`] with a keyed hash of the name (so repeated
    /// tries still lock, but whatever was typed — a password in the wrong
    /// field, a formula, 100 kB of text — is never stored).
    pub fn login(&self, input: &LoginInput) -> Result<Actor> {
        self.login_checked(input, None)
    }

    /// [`Clinic::login`] for an encrypted clinic whose data key the typed
    /// password has just unwrapped from `wrap_owner`'s wrap (Argon2id plus an
    /// authenticated decryption: the password is proven). The password hash
    /// is then not checked a second time, which would cost the same Argon2id
    /// again at every sign-in; everything else is: the account found by the
    /// typed name must be the wrap's owner and active, the lockout counts,
    /// the attempt is audited. A wrap whose owner is not the account the name
    /// finds falls back to the full check.
    pub(crate) fn login_unwrapped(&self, input: &LoginInput, wrap_owner: &str) -> Result<Actor> {
        self.login_checked(input, Some(wrap_owner))
    }

    fn login_checked(&self, input: &LoginInput, unwrapped_for: Option<&str>) -> Result<Actor> {
        let typed = input.username.trim();
        if typed.is_empty() {
            return Err(ClinicError::validation("username", "Enter your user name."));
        }
        if input.password.is_empty() {
            return Err(ClinicError::validation("password", "Enter your password."));
        }
        if typed.chars().count() > LOGIN_NAME_MAX_CHARS {
            return Err(ClinicError::validation(
                "username",
                format!("A user name has at most {LOGIN_NAME_MAX_CHARS} characters."),
            ));
        }
        if input.password.chars().count() > validate::PASSWORD_MAX_CHARS {
            return Err(ClinicError::validation(
                "password",
                format!(
                    "A password has at most {} characters.",
                    validate::PASSWORD_MAX_CHARS
                ),
            ));
        }
        let folded = validate::fold_username(typed);
        let user = self.store()?.read(|tx| -> Result<_> {
            Ok(match tx.user_by_username(&folded)? {
                Some(u) => Some(u),
                // Accounts made before names were folded keep their spelling.
                None => tx.user_by_username(typed)?,
            })
        })?;
        let (name, entity_id) = match &user {
            Some(u) => (u.username.clone(), u.id.to_string()),
            None => (UNKNOWN_USER.to_string(), self.name_token(&folded)?),
        };
        let now_t = self.clock.now();
        let since = (now_t - chrono::Duration::minutes(LOGIN_WINDOW_MINUTES))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let recent_failures = self
            .store()?
            .read(|tx| tx.count_audit_for_since("user", &entity_id, "login.failed", &since))?;
        if recent_failures >= MAX_FAILED_LOGINS {
            self.audit_attempt(
                user.as_ref().map(|u| u.id),
                &name,
                &entity_id,
                "login.locked",
            )?;
            return Err(locked_out());
        }
        let ok = match &user {
            Some(u) if unwrapped_for == Some(u.username.as_str()) => u.active,
            Some(u) => password::verify(&input.password, &u.password_hash) && u.active,
            None => {
                // Spend the same time as a real check, so timing does not reveal user names.
                password::burn(&input.password);
                false
            }
        };
        let action = if ok { "login" } else { "login.failed" };
        self.audit_attempt(user.as_ref().map(|u| u.id), &name, &entity_id, action)?;
        match (user, ok) {
            (Some(u), true) => Ok(Actor::from_user(&u)),
            _ => Err(ClinicError::Forbidden(
                "That user name and password do not match. Check them and try again.".into(),
            )),
        }
    }

    /// A keyed hash standing for a typed name that is no account: the same
    /// name gives the same token (so its attempts can be counted), and the
    /// name cannot be read back from it without the clinic's key.
    fn name_token(&self, folded: &str) -> Result<String> {
        use hmac::Mac;
        let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key()?)
            .map_err(|e| ClinicError::Internal(e.to_string()))?;
        m.update(b"dermis-login-name\n");
        m.update(folded.as_bytes());
        let bytes = m.finalize().into_bytes();
        let hex: String = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Ok(format!("name:{hex}"))
    }

    fn audit_attempt(
        &self,
        user_id: Option<i64>,
        username: &str,
        entity_id: &str,
        action: &str,
    ) -> Result<()> {
        let entry = AuditEntry {
            at: self.now(),
            user_id,
            username: username.to_string(),
            action: action.to_string(),
            entity: "user".to_string(),
            entity_id: entity_id.to_string(),
            detail: String::new(),
        };
        self.store()?.write(|tx| tx.append_audit(&entry))?;
        Ok(())
    }

    /// Refuses a new user name that looks like an existing one (the Unicode
    /// confusables skeleton: `boss` and Cyrillic `bоss`, `rn` and `m`).
    fn refuse_lookalike(&self, tx: &dermis_store::Tx, username: &str) -> Result<()> {
        let skeleton = |s: &str| -> String {
            unicode_security::confusable_detection::skeleton(&validate::fold_username(s)).collect()
        };
        let mine = skeleton(username);
        for u in tx.users()? {
            if skeleton(&u.username) == mine {
                return Err(ClinicError::validation(
                    "username",
                    format!(
                        "This user name looks like the existing account \"{}\": choose one that cannot be mistaken for it.",
                        u.username
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Adds a user account with one or more roles (admin only).
    pub fn create_user(
        &self,
        actor: &Actor,
        username: &str,
        display_name: &str,
        password: &str,
        roles: &[Role],
    ) -> Result<dermis_core::ActorInfo> {
        self.allow(actor, Action::ManageUsers)?;
        let username = validate::username("username", username)?;
        let display_name = validate::name("display_name", "Full name", display_name)?;
        let password = validate::password("password", password)?;
        password::check_policy("password", &username, &password)?;
        if roles.is_empty() {
            return Err(ClinicError::validation(
                "roles",
                "Give the account at least one role.",
            ));
        }
        let hash = password::hash(&password)?;
        let wrap = self.key_wrap_for(&username, &password)?;
        // A new admin on the clinic server: their copy of the backup key.
        let dump_wrap = if roles.contains(&Role::Admin) {
            self.dump_wrap_for_new_admin(actor, &username, &password)?
        } else {
            None
        };
        let now = self.now();
        let user = self.store()?.write(|tx| -> Result<_> {
            self.refuse_lookalike(tx, &username)?;
            let u = tx
                .insert_user(&username, &display_name, &hash, roles, &now)
                .map_err(|e| ClinicError::from_store_in_field(e, "username"))?;
            // On the clinic server: their own login role, same password.
            tx.set_server_login(&u.username, &password, roles, true)?;
            if let Some(w) = &wrap {
                tx.set_key_wrap(&u.username, w, &now)?;
            }
            if let Some(w) = &dump_wrap {
                tx.set_dump_key_wrap(&validate::fold_username(&u.username), w, &now)?;
            }
            let detail = if dump_wrap.is_some() {
                serde_json::json!({ "backup_key_copy_given": true }).to_string()
            } else {
                String::new()
            };
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "user.create",
                "user",
                &u.id.to_string(),
                &detail,
            ))?;
            // An encrypted clinic: their wrap of the data key (the last step,
            // so a key file that cannot be written undoes the account).
            self.rewrap(|f, k| f.set_user(&u.username, &password, k))?;
            Ok(u)
        })?;
        Ok(Actor::from_user(&user).info())
    }

    fn user_named(&self, username: &str) -> Result<dermis_store::UserRow> {
        self.store()?
            .read(|tx| -> Result<_> {
                Ok(
                    match tx.user_by_username(&validate::fold_username(username))? {
                        Some(u) => Some(u),
                        None => tx.user_by_username(username.trim())?,
                    },
                )
            })?
            .ok_or_else(|| {
                ClinicError::validation(
                    "username",
                    format!("There is no account named \"{}\".", username.trim()),
                )
            })
    }

    /// Stops an account from signing in (admin only). Accounts are never
    /// deleted: their audit history stays theirs.
    pub fn deactivate_user(&self, actor: &Actor, username: &str) -> Result<()> {
        self.allow(actor, Action::ManageUsers)?;
        let user = self.user_named(username)?;
        if user.id == actor.user_id {
            return Err(ClinicError::validation(
                "username",
                "You cannot deactivate your own account.",
            ));
        }
        self.change(actor, Action::ManageUsers, |tx, _| {
            tx.set_user_active(user.id, false)?;
            tx.disable_server_login(&user.username)?;
            tx.drop_key_wrap(&user.username)?;
            let dropped = tx.drop_dump_key_wrap(&validate::fold_username(&user.username))?;
            // An encrypted clinic: their wrap goes (the last step of the change).
            self.rewrap(|f, _| {
                f.remove_user(&user.username);
                Ok(())
            })?;
            let event = usecase::Event::new(
                "user.deactivate",
                usecase::Subject::User(user.id),
                if dropped {
                    serde_json::json!({ "backup_key_copy_removed": true })
                } else {
                    serde_json::Value::Null
                },
            );
            Ok(((), vec![event]))
        })
    }

    /// Sets a new password for an account (admin only).
    pub fn reset_password(&self, actor: &Actor, username: &str, new_password: &str) -> Result<()> {
        self.allow(actor, Action::ManageUsers)?;
        let user = self.user_named(username)?;
        let password = validate::password("password", new_password)?;
        password::check_policy("password", &user.username, &password)?;
        self.write_password(actor, &user, &password, "user.reset_password")
    }

    /// Changes the signed-in user's own password (any role): the current one
    /// first, then a new one that meets the policy. A wrong current password
    /// counts as a failed sign-in (so it cannot be guessed here instead).
    pub fn change_password(&self, actor: &Actor, current: &str, new_password: &str) -> Result<()> {
        let user = self
            .store()?
            .read(|tx| tx.user(actor.user_id))?
            .filter(|u| u.active)
            .ok_or_else(|| ClinicError::Forbidden("This account can no longer sign in.".into()))?;
        // The same lockout as signing in.
        self.login(&LoginInput {
            username: user.username.clone(),
            password: current.to_string(),
        })
        .map_err(|e| match e {
            ClinicError::Forbidden(_) => {
                ClinicError::validation("current_password", "Your current password is not right.")
            }
            other => other,
        })?;
        let password = validate::password("new_password", new_password)?;
        password::check_policy("new_password", &user.username, &password)?;
        if password == current {
            return Err(ClinicError::validation(
                "new_password",
                "The new password is the same as the current one.",
            ));
        }
        self.write_password(actor, &user, &password, "user.change_password")?;
        // The server's tools (a backup's pg_dump) connect as this login role
        // with its new password from now on.
        self.store()?.set_tool_password(&password);
        // An admin's copy of the server's backup key follows their password.
        if self.store()?.is_server() && actor.require(Action::Backup).is_ok() {
            self.rewrap_dump_key(actor, current, &password)?;
        }
        Ok(())
    }

    /// Stores the hash of an already checked `password` for `user` and
    /// audits `action` (no password or hash in the entry), in one transaction.
    /// On the clinic server the user's login role gets the same password in
    /// that transaction: their own change alters only the password (any role
    /// may); an admin's reset also (re)creates the role with the account's
    /// roles, which is how accounts copied from a file get their login.
    fn write_password(
        &self,
        actor: &Actor,
        user: &dermis_store::UserRow,
        password: &str,
        action: &str,
    ) -> Result<()> {
        let hash = password::hash(password)?;
        let wrap = self.key_wrap_for(&user.username, password)?;
        let now = self.now();
        let user_id = user.id;
        let own = actor.user_id == user.id;
        self.store()?.write(|tx| -> Result<_> {
            let mut dropped = false;
            tx.set_password_hash(user_id, &hash)?;
            if own {
                tx.set_server_password(&user.username, password)?;
                if let Some(w) = &wrap {
                    tx.set_my_key_wrap(w, &now)?;
                }
            } else {
                tx.set_server_login(&user.username, password, &user.roles, user.active)?;
                if let Some(w) = &wrap {
                    tx.set_key_wrap(&user.username, w, &now)?;
                }
                // Their copy of the server's backup key was under the old
                // password: it goes (the recovery key gives them a new one).
                dropped = tx.drop_dump_key_wrap(&validate::fold_username(&user.username))?;
            }
            let detail = if dropped {
                serde_json::json!({ "backup_key_copy_removed": true }).to_string()
            } else {
                String::new()
            };
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                action,
                "user",
                &user_id.to_string(),
                &detail,
            ))?;
            // An encrypted clinic: the data key re-wrapped for the new password.
            if user.active {
                self.rewrap(|f, k| f.set_user(&user.username, password, k))?;
            }
            Ok(())
        })
    }

    /// The whole audit log, oldest first, with the chain hashes (admin only; the export is audited).
    pub fn audit_log(&self, actor: &Actor) -> Result<Vec<dermis_store::AuditRow>> {
        self.allow(actor, Action::ReadAuditLog)?;
        let rows = self.store()?.read(|tx| tx.audit_rows())?;
        self.audit(
            actor,
            "audit.export",
            "audit",
            "",
            &serde_json::json!({ "entries": rows.len() }).to_string(),
        )?;
        Ok(rows)
    }

    /// Writes a verified backup to `dest` (admin only).
    pub fn backup(&self, actor: &Actor, dest: &Path) -> Result<BackupSummary> {
        self.allow(actor, Action::Backup)?;
        let summary = self.write_backup(dest)?;
        self.audit(
            actor,
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
        if self.store()?.is_server() {
            return self.write_server_backup(dest);
        }
        // A database file is copied through its own connection (the clinic's
        // stays free for the screens meanwhile); one in memory through its own.
        let file = self.db_path();
        let cipher = self.cipher_key()?;
        let info = match file {
            Some(db) => dermis_store::backup_file_keyed(&db, dest, cipher.as_ref())?,
            None => self.store()?.backup_to(dest)?,
        };
        // An encrypted backup carries the key file's wraps beside it
        // (`<backup>.keys`), so an account's password or the recovery key
        // opens it on a new PC.
        if let Some(vault) = &self.vault {
            let from = vault
                .lock()
                .map_err(|_| ClinicError::Internal("the key file is unusable".into()))?
                .file
                .clone();
            let file = keys::KeyFile::read(&from)?.ok_or_else(|| {
                ClinicError::Io(format!("The key file {} is missing.", from.display()))
            })?;
            file.write(&keys::key_file_path(dest))?;
        }
        let summary = BackupSummary::from(info);
        let (entries, head) = self.anchor_backup(dest)?; // issue 14: audit anchoring
        let record = serde_json::json!({
            "at": self.now(), "path": summary.path, "patients": summary.patients,
            "audit_entries": entries, "audit_head": head,
        });
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
                // Only a verified copy counts: a `.db` of that day (a copy
                // takes its `.db` name only once checked; a killed one is a
                // temporary name).
                rd.filter_map(|e| e.ok()).any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(&format!("dermis-auto-{day}-"))
                        && name.ends_with(".db")
                        && !name.contains(".dermis-tmp-")
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
    pub fn backup_status(&self, actor: &Actor) -> Result<BackupStatus> {
        self.allow(actor, Action::ViewCalendar)?;
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
            warning: backup_warning(days, self.server_url().is_some()),
            on_server: self.server_url().is_some(),
        })
    }

    /// What a backup file holds, after checking it can be restored (admin only).
    pub fn inspect_backup(&self, actor: &Actor, file: &Path) -> Result<BackupSummary> {
        self.allow(actor, Action::Backup)?;
        if self.store()?.is_server() {
            // A sealed dump needs the backup key: see `inspect_server_dump`.
            let info = self
                .store()?
                .inspect_server_backup(file, &[self.key()?], None)?;
            return Ok(server::summary(info));
        }
        let keys: Vec<Vec<u8>> = std::iter::once(self.key()?)
            .chain(audit_key::read_key(&audit_key::backup_key_path(file))?)
            .collect();
        Ok(dermis_store::inspect_backup(file, &keys)?.into())
    }

    /// Replaces the clinic's data with a backup (admin only). The file is
    /// checked as hostile (dermis-store's backup module): its schema must be
    /// exactly ours, its content valid, its photos whole, before anything
    /// changes. The current data is first saved beside the database as
    /// `…before-restore-….db`. The `restore` entry (the backup's name, its
    /// audit head and entry count) goes into the restored database in the
    /// same step as the swap; a refused file leaves a `restore.refused` entry
    /// in the clinic's own log.
    pub fn restore(&self, actor: &Actor, file: &Path) -> Result<BackupSummary> {
        self.allow(actor, Action::Backup)?;
        if self.store()?.is_server() {
            return Err(ClinicError::validation(
                "file",
                "The clinic server is restored by its setup user, from the command line: \
                 dermis --db postgresql://SETUP-USER@host/database --user YOU restore --from FILE",
            ));
        }
        if self.is_encrypted() {
            // The in-place restore builds a plaintext file: it would quietly
            // undo the encryption. An encrypted backup restores into a new
            // data folder (`dermis restore` where no clinic is yet).
            return Err(ClinicError::validation(
                "file",
                "This clinic is encrypted: restoring over it is not available yet. Restore the encrypted backup into a new, empty data folder instead.",
            ));
        }
        let db = self.db_path().ok_or_else(|| {
            ClinicError::Io("This clinic has no database file to restore into.".into())
        })?;
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S");
        let keep = db.with_file_name(format!(
            "{}.before-restore-{stamp}.db",
            db.file_stem().and_then(|s| s.to_str()).unwrap_or("dermis")
        ));
        // A backup from another PC brings its clinic's audit key beside it.
        let beside: Vec<Vec<u8>> = audit_key::read_key(&audit_key::backup_key_path(file))?
            .into_iter()
            .collect();
        let now = self.now();
        let own_key = self.key()?;
        // Written before the swap, settled at the next open if a kill lands
        // between the swap and the new anchor (see `settle_pending_restore`).
        let pending_key = audit_key::pending_path(&audit_key::key_path(&db));
        let pending_anchor = audit_key::pending_path(&audit_key::anchor_path(&db));
        let before_swap = |fresh: &Path, key: Option<&[u8]>| -> std::result::Result<(), String> {
            let key = key.unwrap_or(&own_key);
            let (count, head) =
                dermis_store::audit_head_of_file(fresh).map_err(|e| e.to_string())?;
            if key != own_key.as_slice() {
                audit_key::write_key(&pending_key, key).map_err(|e| e.to_string())?;
            }
            AnchorPlace::File(pending_anchor.clone())
                .write(audit_key::Anchor::new(key, count, &head))
                .map_err(|e| e.to_string())
        };
        let restored = self.store()?.restore_from(file, &keep, &beside, |facts| AuditEntry {
            at: now.clone(),
            // The restored file's accounts are not this clinic's: no user id.
            user_id: None,
            username: actor.username.clone(),
            action: "restore".into(),
            entity: "database".into(),
            entity_id: String::new(),
            detail: serde_json::json!({
                "backup": facts.backup_name,
                "audit_head": facts.audit_head,
                "audit_entries": facts.audit_entries,
                "patients": facts.patients,
                "kept": keep.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            })
            .to_string(),
        }, before_swap);
        match restored {
            Ok((info, key)) => {
                // The clinic signs with the key that verified the backup from
                // now on, and the anchor follows the restored log.
                match key {
                    Some(key) => self.anchor_restore(key)?,
                    None => self.reanchor()?,
                }
                let _ = std::fs::remove_file(&pending_key);
                let _ = std::fs::remove_file(&pending_anchor);
                Ok(BackupSummary::from(info))
            }
            Err(e) => {
                let _ = std::fs::remove_file(&pending_key);
                let _ = std::fs::remove_file(&pending_anchor);
                let err = ClinicError::from(e);
                let detail = serde_json::json!({
                    "backup": file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                    "reason": err.to_string(),
                })
                .to_string();
                self.audit(actor, "restore.refused", "database", "", &detail)?;
                Err(err)
            }
        }
    }

    /// Records that `session` signed out.
    pub fn logout(&self, actor: &Actor) -> Result<()> {
        self.audit(actor, "logout", "user", &actor.user_id.to_string(), "")
    }

    /// Lets `session` take `action`, or refuses with `forbidden` — and the
    /// refusal itself is audited, so probing for data leaves a trace.
    pub(crate) fn allow(&self, actor: &Actor, action: Action) -> Result<()> {
        match actor.require(action) {
            Ok(()) => Ok(()),
            Err(refused) => {
                let detail = serde_json::json!({ "action": format!("{action:?}") }).to_string();
                self.audit(
                    actor,
                    "permission.denied",
                    "user",
                    &actor.user_id.to_string(),
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
        actor: &Actor,
        permission: Action,
        action: &'static str,
        detail: serde_json::Value,
        change: impl FnOnce(&dermis_store::Tx) -> Result<()>,
    ) -> Result<()> {
        self.change(actor, permission, |tx, _| {
            change(tx)?;
            Ok((
                (),
                vec![usecase::Event::new(
                    action,
                    usecase::Subject::Clinic,
                    detail,
                )],
            ))
        })
    }

    /// Appends one audit entry in its own transaction.
    pub(crate) fn audit(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &str,
    ) -> Result<()> {
        let entry = actor.audit_entry(self.now(), action, entity, entity_id, detail);
        self.store()?.write(|tx| tx.append_audit(&entry))?;
        Ok(())
    }

    /// Checks the audit chain as `session` (admin only); the id of the first broken entry, if any.
    pub fn verify_audit(&self, actor: &Actor) -> Result<Option<i64>> {
        self.allow(actor, Action::ReadAuditLog)?;
        self.verify_audit_chain()
    }

    /// Checks the audit chain; the id of the first broken entry, if any
    /// (a cut or a wipe shows as the entry after the anchored head: 1 past the end).
    pub fn verify_audit_chain(&self) -> Result<Option<i64>> {
        let v = self.audit_verdict()?;
        Ok(match (&v.problem, v.first_bad) {
            (None, _) => None,
            (Some(_), Some(id)) => Some(id),
            (Some(_), None) => Some(v.breaks.first().copied().unwrap_or(v.entries + 1)),
        })
    }

    /// The whole check: the chain under the clinic's key, against the anchor
    /// kept outside the database, and the cuts recorded at start-up.
    pub fn audit_verdict(&self) -> Result<AuditVerdict> {
        Ok(self.check_audit()?.0)
    }

    /// The verdict, and whether the anchor disagrees with the log (a cut, a
    /// wipe, a replaced history or a forged or missing anchor).
    fn check_audit(&self) -> Result<(AuditVerdict, bool)> {
        let anchored = self.anchor.read(&self.key()?)?;
        let (check, breaks, at_anchor) = self.store()?.read(|tx| -> Result<_> {
            let at = match &anchored {
                Anchored::Found(a) if a.count > 0 => tx.audit_hash_at(a.count)?,
                _ => None,
            };
            Ok((
                tx.audit_chain_check()?,
                tx.audit_details_of("audit.break_detected")?,
                at,
            ))
        })?;
        let anchor_problem = match &anchored {
            Anchored::Forged => Some(
                "The audit anchor beside the database was changed or replaced: the log may have been cut."
                    .to_string(),
            ),
            Anchored::None if self.anchor_expected => Some(
                "The audit anchor beside the database is missing: the log may have been cut or replaced."
                    .to_string(),
            ),
            Anchored::None => None,
            Anchored::Found(a) if a.count > check.count => Some(format!(
                "The audit log has {} entries but held {}: {} were removed.",
                check.count,
                a.count,
                a.count - check.count
            )),
            Anchored::Found(a) if a.count > 0 && at_anchor.as_deref() != Some(a.head.as_str()) => {
                Some(format!(
                    "The audit log's first {} entries are not the ones this clinic wrote: the log was replaced or rewritten.",
                    a.count
                ))
            }
            Anchored::Found(_) => None,
        };
        let anchored_entries = match &anchored {
            Anchored::Found(a) => Some(a.count),
            _ => None,
        };
        let bad_entry = check.first_bad.map(|id| {
            format!(
                "Audit entry {id} was changed, forged or written without this clinic's key: the log from there on cannot be trusted."
            )
        });
        let recorded = breaks.first().map(|(id, detail)| {
            let seen: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
            match (seen["anchored_entries"].as_i64(), seen["entries"].as_i64()) {
                (Some(was), Some(found)) if was > found => format!(
                    "Entry {id} records that at a start-up the log held {found} entries where {was} had been written: {} were removed.",
                    was - found
                ),
                _ => format!(
                    "Entry {id} records that at a start-up the log was found replaced or rewritten, or its anchor was missing or changed."
                ),
            }
        });
        let breaks: Vec<i64> = breaks.into_iter().map(|(id, _)| id).collect();
        let disagrees = anchor_problem.is_some();
        let problem = bad_entry.or(anchor_problem).or(recorded);
        Ok((
            AuditVerdict {
                intact: problem.is_none(),
                entries: check.count,
                head: check.head,
                first_bad: check.first_bad,
                anchored_entries,
                breaks,
                problem,
            },
            disagrees,
        ))
    }

    /// The current head and entry count for the clinic to keep on paper
    /// (admin only; the checkpoint itself is audited).
    pub fn audit_checkpoint(&self, actor: &Actor) -> Result<AuditVerdict> {
        self.allow(actor, Action::ReadAuditLog)?;
        let (count, head) = self.store()?.audit_head()?;
        let detail = serde_json::json!({ "entries": count, "head": head }).to_string();
        self.audit(actor, "audit.checkpoint", "audit", "", &detail)?;
        self.audit_verdict()
    }

    /// Sets the anchor to the log as it is now (first open, a recorded break, a restore).
    /// A restore writes the key and anchor its database will need as
    /// `.pending` files before its swap. If it was killed after the swap and
    /// before the new anchor, the live log matches the pending anchor: the
    /// pending files are adopted. Otherwise the swap never happened and they
    /// are removed. Either way the anchor then matches the live log, and a
    /// kill is never mistaken for a cut log.
    fn settle_pending_restore(db: &Path, store: &Store) -> Result<()> {
        let key_file = audit_key::key_path(db);
        let anchor_file = audit_key::anchor_path(db);
        let pending_key = audit_key::pending_path(&key_file);
        let pending_anchor = audit_key::pending_path(&anchor_file);
        if !pending_anchor.exists() {
            let _ = std::fs::remove_file(&pending_key);
            return Ok(());
        }
        let key = match audit_key::read_key(&pending_key)? {
            Some(k) => Some(k),
            None => audit_key::read_key(&key_file)?,
        };
        let (count, head) = store.audit_head()?;
        let swapped = match &key {
            Some(k) => matches!(
                audit_key::read_anchor_file(&pending_anchor, k)?,
                audit_key::Anchored::Found(a) if a.count == count && a.head == head
            ),
            None => false,
        };
        let io = |p: &Path, e: std::io::Error| {
            ClinicError::Io(format!("{} could not be used: {e}", p.display()))
        };
        if swapped {
            if pending_key.exists() {
                std::fs::rename(&pending_key, &key_file).map_err(|e| io(&pending_key, e))?;
            }
            std::fs::rename(&pending_anchor, &anchor_file).map_err(|e| io(&pending_anchor, e))?;
            tracing::info!("finished the audit anchor of a restore that was interrupted");
        } else {
            let _ = std::fs::remove_file(&pending_key);
            let _ = std::fs::remove_file(&pending_anchor);
        }
        Ok(())
    }

    pub(crate) fn reanchor(&self) -> Result<()> {
        let (count, head) = self.store()?.audit_head()?;
        self.anchor
            .write(audit_key::Anchor::new(&self.key()?, count, &head))
    }

    /// The key that signs this clinic's audit chain.
    fn key(&self) -> Result<Vec<u8>> {
        self.audit_key.read().map(|k| k.clone()).map_err(|_| {
            ClinicError::Internal("the audit key is unusable after an earlier failure".into())
        })
    }

    /// On the clinic server: this clinic's audit key wrapped under
    /// `username`'s `password` (see `keywrap`), made before the transaction
    /// that stores it (Argon2 takes a moment: not under the writer lock).
    /// `None` on a file, where the key lies beside the database.
    pub(crate) fn key_wrap_for(&self, username: &str, password: &str) -> Result<Option<String>> {
        if !self.store()?.is_server() {
            return Ok(None);
        }
        keywrap::wrap(&self.key()?, &validate::fold_username(username), password).map(Some)
    }

    /// Backup bookkeeping (issue 14): the backup's own log (count and head,
    /// read from the file written) and a copy of the key beside it, so the
    /// backup can be verified and restored on another PC.
    fn anchor_backup(&self, dest: &Path) -> Result<(i64, String)> {
        let (count, head) =
            dermis_store::audit_head_of_file_keyed(dest, self.cipher_key()?.as_ref())?;
        audit_key::write_key(&audit_key::backup_key_path(dest), &self.key()?)?;
        Ok((count, head))
    }

    /// Restore bookkeeping (issue 14), after the data is replaced: the clinic
    /// signs with the key that verified the backup from now on, and the anchor
    /// is reset to the restored log (the restore entry then moves it forward).
    fn anchor_restore(&self, key: Vec<u8>) -> Result<()> {
        if key != self.key()? {
            if let Some(db) = self.db_path() {
                audit_key::write_key(&audit_key::key_path(&db), &key)?;
            }
            let mut store = self.store()?;
            store.set_audit_key(key.clone());
            store.set_audit_hook(self.anchor.hook(key.clone()));
            drop(store);
            *self.audit_key.write().map_err(|_| {
                ClinicError::Internal("the audit key is unusable after an earlier failure".into())
            })? = key;
        }
        self.reanchor()
    }

    /// The newest audit entries (admin only).
    pub fn recent_audit(&self, actor: &Actor, limit: u32) -> Result<Vec<AuditEntry>> {
        self.allow(actor, Action::ReadAuditLog)?;
        Ok(self.store()?.read(|tx| tx.recent_audit(limit))?)
    }
}

#[cfg(test)]
mod backup_warning_tests {
    use super::*;

    #[test]
    fn a_client_pc_warns_after_two_missed_server_nights_and_one_pc_after_a_week() {
        // Never backed up: both warn.
        assert!(backup_warning(None, true));
        assert!(backup_warning(None, false));
        // The server's nightly backup: last night, two nights ago fine; three not.
        assert!(!backup_warning(Some(0), true));
        assert!(!backup_warning(Some(2), true));
        assert!(backup_warning(Some(3), true));
        // One PC: a week.
        assert!(!backup_warning(Some(6), false));
        assert!(backup_warning(Some(7), false));
    }
}
