//! The one contract between the UI and the backend.
//!
//! Every command the UI can send is declared once, in [`table`]: its name,
//! its arguments with their Rust types, what it answers, and its body (one
//! call into [`Clinic`] and a conversion). From that one declaration come:
//!
//! - [`dispatch`]: the router both transports call. The desktop shell passes
//!   Tauri IPC messages to it (src-tauri); the test host (crates/dermis-testhost)
//!   passes HTTP requests on 127.0.0.1 to it, so the UI tests run against the
//!   same rules, sentences and audit rows as the app.
//! - [`typescript_map`]: `ui/src/lib/bindings/commands.ts`, the typed command
//!   map the UI's one `call` is checked against (written by a test, like the
//!   ts-rs bindings; CI fails when it is stale).
//! - [`ipc_markdown`]: `docs/ipc.md`, the contract for people.
//!
//! A [`Workstation`] is one PC's view of the clinic: the database, the
//! [`Seat`] (who is signed in, the idle lock) and the few things only the
//! operating system does ([`Desktop`]: opening a PDF or a folder, where
//! prints go, the app's version). What it opens is a [`Target`] (see
//! [`connection`]): a plain clinic file is opened on first use (so a file
//! that cannot be opened is reported in the window); an encrypted file and
//! the clinic server can only be opened with a person's password, so they
//! are opened by the sign-in and closed by the sign-out. The commands that
//! run before sign-in (status, sign-in, About, joining a server, recovery)
//! therefore work without an open clinic. Adding a command is one entry in
//! the table plus the use-case in `Clinic` and its use in the UI.

pub mod connection;
mod encrypt_offer;
mod table;

pub use connection::{Connection, ConnectionInfo, ServerProbe, Target};
pub use encrypt_offer::{EncryptOutcome, EncryptionState, RemovedCopies};
pub use table::COMMANDS;

use crate::{Actor, ApiError, Clinic, ClinicError, Seat};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// What only the operating system does, supplied by the shell (the desktop
/// app) or by the test host (which records instead of opening).
pub trait Desktop: Send + Sync {
    /// Opens `path` (a PDF to print, the log folder) in the system's viewer.
    fn open(&self, path: &Path) -> Result<(), String>;
    /// The private folder printed PDFs are written to.
    fn prints_dir(&self) -> Option<PathBuf>;
    /// The folder with the app's log files, if it has one.
    fn log_dir(&self) -> Option<PathBuf>;
    /// The app's name and version.
    fn app_name_version(&self) -> (String, String);
}

/// What the About box shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// "Dermis".
    pub name: String,
    /// The app's version, e.g. "0.1.0".
    pub version: String,
    /// The clinic database this window works on.
    pub db_path: String,
    /// The folder with Dermis' log files ("" when there is none).
    pub log_dir: String,
}

/// One PC's view of the clinic: the database, who is signed in, the OS.
///
/// What it opens is a [`Target`] (see `connection.rs`): a plain clinic file
/// is opened at first use, as always; an encrypted file and the clinic
/// server are opened at sign-in, with the person's password (it unwraps the
/// data key, or it is their own PostgreSQL login), and closed again at
/// sign-out. The idle lock keeps them open (unlocking checks the password
/// as on a plain file).
pub struct Workstation {
    target: Mutex<Target>,
    /// The app's data folder: `connection.json` and the servers' keys.
    data_dir: Option<PathBuf>,
    clinic: Mutex<Option<Arc<Clinic>>>,
    seat: Seat,
    desktop: Box<dyn Desktop>,
    /// Runs once, in the background, after the database is first opened
    /// (the app's daily backup; clinic files only).
    on_open: Option<fn(Arc<Clinic>)>,
    /// Reads a server's certificate for the join screen (the test host fakes it).
    prober: connection::Prober,
    /// Since when the clinic server has not answered Settings' check.
    unreachable_since: Mutex<Option<chrono::DateTime<chrono::Utc>>>,
    /// Aftercare sheets printed while the server did not answer, whose
    /// record (documents list, audit entry) waits for it: written by the
    /// first command of the same person that reaches the server (the UI's
    /// change-feed poll, within a second of the server's return).
    pending_prints: Mutex<Vec<crate::documents::PendingPrint>>,
    /// The recovery key between the app's encrypting and its confirmation
    /// (encrypt_offer.rs; wiped on confirmation).
    pending_key: Mutex<Option<encrypt_offer::PendingKey>>,
}

/// What Settings → Clinic server shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClinicServerStatus {
    pub connection: ConnectionInfo,
    /// The clinic answered just now.
    pub reachable: bool,
    /// RFC 3339, UTC: since when it has not answered (None while it does).
    pub unreachable_since: Option<String>,
    /// RFC 3339, UTC: the last verified backup (on a server, the server's own).
    pub last_verified_backup: Option<String>,
}

fn poisoned() -> ApiError {
    ClinicError::Internal("Dermis hit an internal error earlier; restart it.".into()).into()
}

fn io(message: impl Into<String>) -> ApiError {
    ClinicError::Io(message.into()).into()
}

fn signed_out() -> ClinicError {
    ClinicError::Forbidden("You are signed out. Sign in to continue.".into())
}

impl Workstation {
    fn new(target: Option<Target>, clinic: Option<Clinic>, desktop: Box<dyn Desktop>) -> Self {
        Workstation {
            target: Mutex::new(target.unwrap_or(Target::File(PathBuf::new()))),
            data_dir: None,
            clinic: Mutex::new(clinic.map(Arc::new)),
            seat: Seat::new(),
            desktop,
            on_open: None,
            prober: connection::probe,
            unreachable_since: Mutex::new(None),
            pending_prints: Mutex::new(Vec::new()),
            pending_key: Mutex::new(None),
        }
    }

    /// The database at `path`, opened when first needed.
    pub fn at(path: PathBuf, desktop: Box<dyn Desktop>) -> Workstation {
        Workstation::new(Some(Target::File(path)), None, desktop)
    }

    /// What `target` names (see [`Target`]), opened when first needed (a
    /// plain file) or at sign-in (an encrypted file, the clinic server).
    pub fn on(target: Target, desktop: Box<dyn Desktop>) -> Workstation {
        Workstation::new(Some(target), None, desktop)
    }

    /// An already open clinic (tests, the test host).
    pub fn with_clinic(clinic: Clinic, desktop: Box<dyn Desktop>) -> Workstation {
        let target = clinic.db_path().map(Target::File);
        Workstation::new(target, Some(clinic), desktop)
    }

    /// `f` runs on a background thread once the database has been opened.
    pub fn on_open(mut self, f: fn(Arc<Clinic>)) -> Self {
        self.on_open = Some(f);
        self
    }

    /// The app's data folder, where joining a clinic server writes
    /// `connection.json` and keeps the server's audit key.
    pub fn data_dir(mut self, dir: PathBuf) -> Self {
        self.data_dir = Some(dir);
        self
    }

    /// Reads servers' certificates with `p` instead of a TLS handshake
    /// (the test host, which has no clinic server).
    pub fn prober(mut self, p: connection::Prober) -> Self {
        self.prober = p;
        self
    }

    /// The database file, or the clinic server as `host:port/database`.
    pub fn path(&self) -> Option<PathBuf> {
        match &*self.target.lock().ok()? {
            Target::File(p) if p.as_os_str().is_empty() => None,
            Target::File(p) => Some(p.clone()),
            Target::Server { url, .. } => Some(PathBuf::from(connection::place_of(url))),
        }
    }

    fn target(&self) -> Result<Target, ApiError> {
        Ok(self.target.lock().map_err(|_| poisoned())?.clone())
    }

    /// True when the target opens only with a person's password.
    fn opens_at_sign_in(target: &Target) -> bool {
        match target {
            Target::File(p) => crate::keys::is_encrypted(p),
            Target::Server { .. } => true,
        }
    }

    /// The open clinic, opening a plain clinic file on first use; `None`
    /// while an encrypted clinic or the server waits for a sign-in.
    fn opened(&self) -> Result<Option<Arc<Clinic>>, ApiError> {
        let mut guard = self.clinic.lock().map_err(|_| poisoned())?;
        if let Some(c) = guard.as_ref() {
            return Ok(Some(c.clone()));
        }
        let target = self.target()?;
        if Self::opens_at_sign_in(&target) {
            return Ok(None);
        }
        let Target::File(path) = target else {
            return Ok(None);
        };
        if path.as_os_str().is_empty() {
            return Err(io("No clinic database was given."));
        }
        let clinic = Arc::new(Clinic::open(&path).map_err(|e| {
            tracing::error!("the database {} cannot be opened: {e}", path.display());
            io(format!(
                "The clinic database {} cannot be opened: {e}",
                path.display()
            ))
        })?);
        self.opened_now(&clinic);
        *guard = Some(clinic.clone());
        Ok(Some(clinic))
    }

    fn opened_now(&self, clinic: &Arc<Clinic>) {
        if let Some(f) = self.on_open {
            if clinic.server_url().is_none() {
                let background = clinic.clone();
                std::thread::spawn(move || f(background));
            }
        }
        tracing::info!("database opened");
    }

    /// The open clinic, opening (and migrating) a plain database on first
    /// use; signed out while an encrypted clinic or the server waits for a sign-in.
    pub fn clinic(&self) -> Result<Arc<Clinic>, ApiError> {
        self.opened()?.ok_or_else(|| signed_out().into())
    }

    /// The signed-in person (read afresh): `forbidden` when nobody is signed
    /// in or the account was deactivated, `locked` while the app is locked.
    pub fn actor(&self) -> Result<Actor, ApiError> {
        Ok(self.seat.active(&*self.clinic()?)?)
    }

    /// The clinic and the signed-in person, for a use-case.
    fn with<T>(&self, f: impl FnOnce(&Clinic, &Actor) -> crate::Result<T>) -> Result<T, ApiError> {
        let clinic = self.clinic()?;
        let actor = self.actor()?;
        self.record_pending_prints(&clinic, &actor);
        f(&clinic, &actor).map_err(|e| {
            // Rules write ISO dates; the person reads them the clinic's way.
            let mut e = ApiError::from(e);
            e.message = clinic.localize_dates(&e.message);
            for f in &mut e.fields {
                f.message = clinic.localize_dates(&f.message);
            }
            e
        })
    }

    /// The change feed (see `live.rs`). When the clinic server refuses the
    /// password this PC signed in with (it was changed on another PC), the
    /// server is not down: the app locks (as the idle lock does) and asks
    /// for the password; unlocking with the new one reconnects (see
    /// [`Workstation::unlock`]).
    fn changes(&self, since: u64) -> Result<crate::ChangeFeed, ApiError> {
        if let Some(clinic) = self.opened()? {
            if clinic.password_refused() && self.seat.current()?.is_some() {
                if !self.seat.is_locked()? {
                    // The lock's audit entry goes through this PC's own
                    // connection, which may be gone: the lock holds anyway.
                    if let Err(e) = self.seat.lock(&clinic) {
                        tracing::warn!("the lock could not be recorded: {e}");
                    }
                }
                return Err(ClinicError::Locked(
                    "Your password was changed on another PC. Enter your new password to continue."
                        .into(),
                )
                .into());
            }
        }
        self.with(|c, a| c.changes(a, since))
    }

    /// Unlocks with the signed-in person's password. When the server
    /// refused the old one (changed on another PC), the password typed
    /// here is the one this PC's connections use from now on; the check
    /// itself is the sign-in's, as for any unlock.
    fn unlock(&self, password: &str) -> Result<(), ApiError> {
        let clinic = self.clinic()?;
        let refused = clinic.password_refused();
        if refused {
            clinic.renew_password(password)?;
        }
        self.seat.unlock(&clinic, password)?;
        if refused {
            // The listener reconnects with it at its next attempt.
            clinic.password_accepted();
        }
        Ok(())
    }

    /// The Today screen's list; on the clinic server, the aftercare sheets
    /// of its sessions are kept too (for a person who may print them), so
    /// that a sheet already on screen still prints while the server does
    /// not answer (see [`Workstation::print_document`]). Keeping them is a
    /// second read; its failure costs only the fallback, never the list.
    fn today(&self) -> Result<crate::core::plan::TodayList, ApiError> {
        let list = self.with(|c, a| c.today_list(a))?;
        let clinic = self.clinic()?;
        if clinic.server_url().is_some() {
            let ids: Vec<i64> = list.sessions.iter().map(|e| e.session_id.0).collect();
            if let Some(actor) = self.seat.current()? {
                match clinic.aftercare_to_keep(&actor, &ids) {
                    Ok(sheets) => self.seat.keep_sheets(&actor, sheets)?,
                    Err(e) => tracing::warn!("the day's aftercare sheets were not kept: {e}"),
                }
            }
        }
        Ok(list)
    }

    /// Prints a document (see `Clinic::print_document`). When the clinic
    /// server does not answer (`unavailable`), an aftercare sheet Today
    /// showed this person is printed from what this PC kept, in the
    /// patient's language; its record waits in memory for the server (see
    /// `pending_prints`) and the answer says so. Anything else still needs
    /// the server.
    fn print_document(
        &self,
        request: &crate::PrintRequest,
        language: Option<&str>,
    ) -> Result<crate::PrintedDocument, ApiError> {
        let dir = self.prints_dir()?;
        let refused = match self.with(|c, a| c.print_document(a, request, language, &dir)) {
            Ok(doc) => {
                let opened = self.desktop.open(Path::new(&doc.path));
                return Ok(doc.after_open(opened));
            }
            Err(e) if e.code == crate::ErrorCode::Unavailable => e,
            Err(e) => return Err(e),
        };
        let crate::PrintRequest::Aftercare { session_id } = request else {
            return Err(refused);
        };
        if language.is_some_and(|l| !l.trim().is_empty()) {
            return Err(refused);
        }
        let clinic = self.clinic()?;
        let now = clinic.clock_now();
        let Some((actor, sheet)) = self.seat.kept_sheet(now, *session_id)? else {
            return Err(refused);
        };
        // The role as last read from the server (the kept sheet was made
        // for it; checked again in case the roles changed since).
        actor.require(crate::Action::PrintHandouts)?;
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let (doc, pending) = crate::documents::print_kept(&actor, &sheet, at, &dir)?;
        self.pending_prints
            .lock()
            .map_err(|_| poisoned())?
            .push(pending);
        tracing::warn!("an aftercare sheet was printed while the clinic server did not answer");
        let opened = self.desktop.open(Path::new(&doc.path));
        let mut doc = doc.after_open(opened);
        doc.message.push_str(
            " The clinic server is not answering: this sheet was made from what this PC showed, and the print is added to the patient's documents list when the server answers again.",
        );
        Ok(doc)
    }

    /// Writes the records of `actor`'s prints made while the server did
    /// not answer; they wait again if it still does not (a print is never
    /// left unrecorded while this app runs).
    fn record_pending_prints(&self, clinic: &Clinic, actor: &Actor) {
        let Ok(mut pending) = self.pending_prints.lock() else {
            return;
        };
        if !pending.iter().any(|p| p.actor.user_id == actor.user_id) {
            return;
        }
        let (mine, others): (Vec<_>, Vec<_>) = pending
            .drain(..)
            .partition(|p| p.actor.user_id == actor.user_id);
        *pending = others;
        match clinic.record_pending_prints(&mine) {
            Ok(()) => tracing::info!(
                "{} print(s) made while the clinic server did not answer are recorded",
                mine.len()
            ),
            Err(e) => {
                tracing::warn!("prints made while the server did not answer wait again: {e}");
                pending.extend(mine);
            }
        }
    }

    /// How many prints wait for the server to be recorded (tests, Settings).
    pub fn pending_prints(&self) -> usize {
        self.pending_prints.lock().map_or(0, |p| p.len())
    }

    /// The seat of this workstation (who is signed in, the lock).
    pub fn seat(&self) -> &Seat {
        &self.seat
    }

    fn sign_in(&self, actor: Actor) -> Result<crate::core::ActorInfo, ApiError> {
        let info = actor.info();
        self.seat.set(&*self.clinic()?, Some(actor))?;
        Ok(info)
    }

    /// Signs a person in on whatever this PC opens (see [`Workstation`]):
    /// on an encrypted clinic their password unwraps the data key first
    /// (a wrong one counts toward the lockout before the file can be read);
    /// on the clinic server they connect as their own login role (a new
    /// connection for each sign-in: nobody works on another's connection).
    fn login(&self, input: &crate::core::LoginInput) -> Result<crate::core::ActorInfo, ApiError> {
        if let Some(c) = self.opened()? {
            if c.server_url().is_none() {
                let actor = c.login(input)?;
                return self.sign_in(actor);
            }
        }
        match self.target()? {
            Target::File(path) => {
                let (clinic, actor) =
                    Clinic::open_encrypted(&path, &input.username, &input.password)?;
                let clinic = Arc::new(clinic);
                self.opened_now(&clinic);
                self.replace(Some(clinic.clone()))?;
                let info = actor.info();
                self.seat.set(&clinic, Some(actor))?;
                Ok(info)
            }
            Target::Server { url, keys_dir } => {
                let login = crate::ServerLogin::User {
                    username: &input.username,
                    password: &input.password,
                };
                // (Until this PC holds the server's key, open_server_in counts
                // wrong passwords on this PC.)
                let clinic = match Clinic::open_server_in(&url, login, &keys_dir) {
                    Ok(c) => c,
                    Err(e) => {
                        return Err(connection::explain_server_error(&url, e, self.prober).into());
                    }
                };
                let actor = clinic.login(input)?;
                let clinic = Arc::new(clinic);
                self.opened_now(&clinic);
                self.replace(Some(clinic.clone()))?;
                let info = actor.info();
                self.seat.set(&clinic, Some(actor))?;
                Ok(info)
            }
        }
    }

    /// Signs out (audited); an encrypted clinic or the server is closed.
    fn logout(&self) -> Result<(), ApiError> {
        // A recovery key shown after encrypting is not kept past its admin's session.
        *self.pending_key.lock().map_err(|_| poisoned())? = None;
        let Some(clinic) = self.opened()? else {
            return Ok(());
        };
        let closes = Self::opens_at_sign_in(&self.target()?);
        if let Some(actor) = self.seat.current()? {
            self.record_pending_prints(&clinic, &actor);
            match clinic.logout(&actor) {
                Ok(()) => {}
                // A server that stopped answering cannot take the entry; the
                // person is signed out and the connection closed all the same
                // (keeping them signed in on a dead connection helps nobody).
                Err(e) if closes && clinic.server_url().is_some() => {
                    tracing::warn!("the sign-out could not be recorded on the clinic server: {e}");
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.seat.set(&clinic, None)?;
        if closes {
            self.replace(None)?;
        }
        Ok(())
    }

    fn replace(&self, clinic: Option<Arc<Clinic>>) -> Result<(), ApiError> {
        *self.clinic.lock().map_err(|_| poisoned())? = clinic;
        Ok(())
    }

    /// Before sign-in: the app's status. An encrypted clinic or the server
    /// not yet open shows the sign-in screen (nothing of the clinic is
    /// readable before a password opens it).
    fn status(&self) -> Result<crate::AppStatus, ApiError> {
        if let Some(clinic) = self.opened()? {
            let mut status = clinic.status(self.seat.current()?.as_ref())?;
            status.locked = self.seat.locked_now(&clinic)?;
            if let Some(p) = self.path() {
                status.db_path = p.display().to_string();
            }
            return Ok(status);
        }
        Ok(crate::AppStatus {
            needs_setup: false,
            clinic_name: None,
            actor: None,
            db_path: self
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            idle_lock_minutes: crate::core::settings::ClinicSettings::default().idle_lock_minutes,
            locked: false,
        })
    }

    /// Where this PC works, for the sign-in screen and Settings.
    fn connection_info(&self) -> Result<connection::ConnectionInfo, ApiError> {
        let target = self.target()?;
        let open = self.clinic.lock().map_err(|_| poisoned())?.is_some();
        let can_change = self.may_change_connection().is_ok();
        Ok(match target {
            Target::File(p) => connection::ConnectionInfo {
                kind: if crate::keys::is_encrypted(&p) {
                    "encrypted"
                } else {
                    "file"
                }
                .into(),
                place: p.display().to_string(),
                fingerprint: String::new(),
                connected: false,
                can_change,
            },
            Target::Server { url, .. } => connection::ConnectionInfo {
                kind: "server".into(),
                place: connection::place_of(&url),
                fingerprint: connection::pin_of(&url),
                connected: open,
                can_change,
            },
        })
    }

    /// Who may point this PC at a clinic server: a signed-in admin, or
    /// anyone at first run (a plain clinic file with no clinic yet and
    /// nobody signed in). Never from the sign-in screen of a working
    /// clinic: that would let anyone at the desk send the next person's
    /// password to a server of their choosing.
    fn may_change_connection(&self) -> Result<(), ApiError> {
        if self.seat.current()?.is_some() {
            let actor = self.actor()?;
            self.clinic()?.allow(&actor, crate::Action::EditSettings)?;
            // A single-PC clinic is moved onto a server with `dermis copy`
            // (its records go with it); pointing it at a server from here
            // would leave them behind.
            if !matches!(self.target()?, Target::Server { .. }) {
                return Err(ClinicError::Forbidden(
                    "This clinic is kept on this PC. To move it onto a clinic server, use the server's set-up (dermis copy), which takes the records with it."
                        .into(),
                )
                .into());
            }
            return Ok(());
        }
        let first_run = match self.opened() {
            Ok(Some(c)) => c.server_url().is_none() && c.status(None)?.needs_setup,
            _ => false,
        };
        if first_run {
            Ok(())
        } else {
            Err(ClinicError::Forbidden(
                "Only an administrator, signed in, can change the clinic server this PC works with (Settings → Clinic server)."
                    .into(),
            )
            .into())
        }
    }

    /// "Forgot the admin password?" on an encrypted clinic, before sign-in:
    /// the recovery key sets `username`'s new password (see
    /// [`Clinic::recover_at_sign_in`]: a wrong key counts like a wrong
    /// password). Nobody may be signed in (the clinic is closed then).
    fn recover_password(
        &self,
        username: &str,
        recovery_key: &str,
        new_password: &str,
    ) -> Result<(), ApiError> {
        let Target::File(path) = self.target()? else {
            return Err(ClinicError::validation(
                "recovery_key",
                "On the clinic server an administrator resets passwords in Settings → Users.",
            )
            .into());
        };
        if !crate::keys::is_encrypted(&path) {
            return Err(ClinicError::validation(
                "recovery_key",
                "This clinic has no recovery key: an administrator resets passwords in Settings → Users.",
            )
            .into());
        }
        if self.seat.current()?.is_some() {
            return Err(ClinicError::Conflict(
                "Someone is signed in on this PC. Sign out first.".into(),
            )
            .into());
        }
        let actor = Clinic::recover_at_sign_in(&path, username, recovery_key, new_password)?;
        tracing::info!("a password was replaced with the recovery key");
        drop(actor);
        // The clinic (if it was open) re-reads the new key file at the next sign-in.
        self.replace(None)?;
        Ok(())
    }

    /// Settings → Clinic server: where this PC works, whether the server
    /// answers now (and since when it has not), and when the clinic's last
    /// verified backup was made (on the server: the server's nightly one).
    fn clinic_server_status(&self) -> Result<ClinicServerStatus, ApiError> {
        let clinic = self.clinic()?;
        // Who is signed in, without reading the clinic: this is also how
        // Settings learns that the server stopped answering.
        let actor = self.seat.current()?.ok_or_else(signed_out)?;
        if self.seat.is_locked()? {
            return Err(ClinicError::Locked(
                "Dermis is locked. Enter your password to continue.".into(),
            )
            .into());
        }
        let connection = self.connection_info()?;
        let now = chrono::Utc::now();
        let (reachable, last_verified_backup) = match clinic.backup_status(&actor) {
            Ok(b) => (true, b.last_good_at),
            Err(e) if e.code() == crate::ErrorCode::Forbidden => (true, None),
            Err(e) => {
                tracing::warn!("the clinic cannot be read: {e}");
                (false, None)
            }
        };
        let mut since = self.unreachable_since.lock().map_err(|_| poisoned())?;
        if reachable {
            *since = None;
        } else if since.is_none() {
            *since = Some(now);
        }
        Ok(ClinicServerStatus {
            connection,
            reachable,
            unreachable_since: since.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            last_verified_backup,
        })
    }

    /// The join screen's first step: the certificate fingerprint of the
    /// server at `host`, `port`, `database`, for the admin to compare.
    fn server_probe(
        &self,
        host: &str,
        port: u32,
        database: &str,
    ) -> Result<connection::ServerProbe, ApiError> {
        self.may_change_connection()?;
        let url = connection::server_address(host, port, database)?;
        let fingerprint = (self.prober)(&url)?;
        Ok(connection::ServerProbe {
            fingerprint: fingerprint.to_string(),
        })
    }

    /// The join screen's second step: the admin confirmed `fingerprint`;
    /// it is read again (a server that changed since is refused), pinned in
    /// the address, remembered in `connection.json`, and this PC now opens
    /// the server: whoever was signed in is signed out.
    fn server_join(
        &self,
        host: &str,
        port: u32,
        database: &str,
        fingerprint: &str,
    ) -> Result<connection::ConnectionInfo, ApiError> {
        self.may_change_connection()?;
        let url = connection::server_address(host, port, database)?;
        let confirmed = dermis_store::tls::Fingerprint::parse(fingerprint).ok_or_else(|| {
            ClinicError::validation("fingerprint", "Read the server's fingerprint first.")
        })?;
        let seen = (self.prober)(&url)?;
        if seen != confirmed {
            return Err(ClinicError::Conflict(format!(
                "The server's certificate changed since it was shown (now {seen}). Nothing was saved; read it again and compare."
            ))
            .into());
        }
        let pinned = dermis_store::tls::with_pin(&url, seen).map_err(ClinicError::from)?;
        let data_dir = self.data_dir.clone().ok_or_else(|| {
            io("There is no app-data folder on this computer to remember the clinic server in.")
        })?;
        let target = Target::parse(&pinned, Some(&data_dir))?;
        connection::write_connection(
            &data_dir,
            &connection::Connection::Server { address: pinned },
        )?;
        self.logout()?;
        *self.target.lock().map_err(|_| poisoned())? = target;
        self.replace(None)?;
        tracing::info!(
            "this PC now works with the clinic server {}",
            connection::place_of(&url)
        );
        self.connection_info()
    }

    /// Opens `dir` (made first if missing) in the system's file manager;
    /// `what` names it in the error ("log folder").
    fn open_folder(&self, dir: &Path, what: &str) -> Result<(), ApiError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            io(format!(
                "The {what} {} cannot be created: {e}",
                dir.display()
            ))
        })?;
        self.desktop.open(dir).map_err(|e| {
            io(format!(
                "The {what} {} could not be opened: {e}",
                dir.display()
            ))
        })
    }

    fn prints_dir(&self) -> Result<PathBuf, ApiError> {
        self.desktop
            .prints_dir()
            .ok_or_else(|| io("There is no folder for prints on this computer."))
    }

    /// The command `name` with its JSON arguments (an object, or null when
    /// it takes none), answered as JSON or raw bytes.
    pub fn call(&self, name: &str, args: &serde_json::Value) -> Result<Reply, ApiError> {
        dispatch(self, name, args)
    }
}

/// A command's answer: JSON, or raw bytes (a photo, the logo).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Json(Vec<u8>),
    Bytes(Vec<u8>),
}

impl Reply {
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Reply::Json(b) | Reply::Bytes(b) => b,
        }
    }
}

/// Raw bytes as an answer (an `ArrayBuffer` in the UI), not a JSON array.
pub struct Bytes(pub Vec<u8>);

/// How an answer goes on the wire.
pub trait IntoReply {
    fn into_reply(self) -> Result<Reply, ApiError>;
    /// Its TypeScript type, and the bindings it needs imported.
    fn ts(cfg: &ts_rs::Config) -> (String, Vec<String>);
}

impl<T: Serialize + TS + 'static> IntoReply for T {
    fn into_reply(self) -> Result<Reply, ApiError> {
        serde_json::to_vec(&self)
            .map(Reply::Json)
            .map_err(|e| ClinicError::Internal(format!("cannot encode the answer: {e}")).into())
    }
    fn ts(cfg: &ts_rs::Config) -> (String, Vec<String>) {
        ts_of::<T>(cfg)
    }
}

impl IntoReply for Bytes {
    fn into_reply(self) -> Result<Reply, ApiError> {
        Ok(Reply::Bytes(self.0))
    }
    fn ts(_: &ts_rs::Config) -> (String, Vec<String>) {
        ("ArrayBuffer".into(), Vec::new())
    }
}

/// The TypeScript type of `T` and the exported bindings it mentions.
pub fn ts_of<T: TS + 'static>(cfg: &ts_rs::Config) -> (String, Vec<String>) {
    struct Deps<'a>(&'a ts_rs::Config, Vec<String>);
    impl ts_rs::TypeVisitor for Deps<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if U::output_path().is_some() {
                self.1.push(U::ident(self.0));
            }
            U::visit_generics(self);
        }
    }
    let mut deps = Deps(cfg, Vec::new());
    ts_rs::TypeVisitor::visit::<T>(&mut deps);
    (T::name(cfg), deps.1)
}

/// An argument as the generated files show it: its name, its TypeScript
/// type, and the bindings that type needs imported.
pub type ArgSpec = (&'static str, String, Vec<String>);

/// One command of the table, for the generated TypeScript map and docs.
pub struct CommandSpec {
    pub name: &'static str,
    pub doc: &'static str,
    /// Who may call it (from the permission table).
    pub who: fn() -> String,
    /// (argument, TypeScript type, bindings to import).
    pub args: fn(&ts_rs::Config) -> Vec<ArgSpec>,
    pub reply: fn(&ts_rs::Config) -> (String, Vec<String>),
}

/// Reads a command's arguments: an object with exactly the declared keys
/// (optional ones may be left out); null counts as `{}`.
pub fn parse_args<A: DeserializeOwned>(
    command: &str,
    args: &serde_json::Value,
) -> Result<A, ApiError> {
    let empty = serde_json::Value::Object(Default::default());
    let v = if args.is_null() { &empty } else { args };
    A::deserialize(v).map_err(|e| {
        tracing::warn!("bad arguments for {command}: {e}");
        ClinicError::Internal(format!(
            "Dermis's screen sent the command {command} something it does not understand ({e}). Restart Dermis; if it happens again, tell the clinic's administrator."
        ))
        .into()
    })
}

/// Routes one command to its entry in the table.
pub fn dispatch(ws: &Workstation, name: &str, args: &serde_json::Value) -> Result<Reply, ApiError> {
    match table::route(name) {
        Some(run) => run(ws, args),
        None => Err(ClinicError::NotFound(format!(
            "Dermis has no command called {name:?}; the screen and the program may be of different versions."
        ))
        .into()),
    }
}

/// `ui/src/lib/bindings/commands.ts`: every command's arguments and answer.
pub fn typescript_map() -> String {
    let cfg = ts_rs::Config::from_env().with_large_int("number");
    let mut imports = std::collections::BTreeSet::new();
    let mut body = String::new();
    for c in COMMANDS {
        let args = (c.args)(&cfg);
        let (reply, deps) = (c.reply)(&cfg);
        imports.extend(deps);
        body.push_str(&format!("  /** {} */\n", c.doc.trim().replace('\n', " ")));
        body.push_str(&format!("  {}: {{ args: {{", c.name));
        for (i, (name, ty, deps)) in args.iter().enumerate() {
            imports.extend(deps.iter().cloned());
            let optional = ty.ends_with(" | null");
            body.push_str(&format!(
                "{}{}{}: {}",
                if i == 0 { " " } else { ", " },
                name,
                if optional { "?" } else { "" },
                ty
            ));
        }
        body.push_str(&format!(
            "{}}}; reply: {} }};\n",
            if args.is_empty() { "" } else { " " },
            reply
        ));
    }
    let mut out = String::from(
        "// Generated from crates/dermis-clinic/src/api/table.rs by `cargo test -p dermis-clinic`. Do not edit.\n",
    );
    for i in &imports {
        out.push_str(&format!("import type {{ {i} }} from \"./{i}\";\n"));
    }
    out.push_str("\n/** Every command the backend answers: its arguments and its reply. */\nexport type Commands = {\n");
    out.push_str(&body);
    out.push_str("};\n\n/** The commands whose reply is raw bytes (an ArrayBuffer), not JSON. */\nexport const BYTE_COMMANDS: ReadonlySet<string> = new Set([");
    let bytes: Vec<String> = COMMANDS
        .iter()
        .filter(|c| (c.reply)(&cfg).0 == "ArrayBuffer")
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    out.push_str(&bytes.join(", "));
    out.push_str("]);\n");
    out
}

/// `docs/ipc.md`: the contract for people, from the same table.
pub fn ipc_markdown() -> String {
    let cfg = ts_rs::Config::from_env().with_large_int("number");
    let mut out = String::from(
        "# The IPC contract\n\n\
         Generated from `crates/dermis-clinic/src/api/table.rs` by `cargo test -p dermis-clinic`\n\
         (the test fails when this file is stale). Do not edit by hand.\n\n\
         Every command is one entry in that table. The desktop app sends it through\n\
         Tauri's IPC as `call { command, args }`; the test host takes it as\n\
         `POST /t/<clinic>/call/<command>` with the arguments as a JSON body. The\n\
         arguments are an object with the names below (snake_case); the answer is\n\
         JSON, or raw bytes where it says `ArrayBuffer`. A failure is\n\
         `{ code, message, field, fields }` with `code` one of `validation`,\n\
         `not_found`, `forbidden`, `conflict`, `locked`, `io`, `internal`; `message`\n\
         is a sentence for the person at the screen and `field` the form field at\n\
         fault. The TypeScript types are in `ui/src/lib/bindings/` and the map of\n\
         every command in `ui/src/lib/bindings/commands.ts`.\n\n\
         | command | arguments | answer | who may call it | what it does |\n\
         |---|---|---|---|---|\n",
    );
    for c in COMMANDS {
        let args: Vec<String> = (c.args)(&cfg)
            .into_iter()
            .map(|(n, t, _)| format!("`{n}: {}`", t.replace('|', "\\|")))
            .collect();
        let (reply, _) = (c.reply)(&cfg);
        out.push_str(&format!(
            "| `{}` | {} | `{}` | {} | {} |\n",
            c.name,
            if args.is_empty() {
                "—".to_string()
            } else {
                args.join(", ")
            },
            reply.replace('|', "\\|"),
            (c.who)(),
            c.doc.trim().replace('\n', " ")
        ));
    }
    out
}

/// The names of the commands, in table order (for checks).
pub fn command_names() -> Vec<&'static str> {
    COMMANDS.iter().map(|c| c.name).collect()
}
