//! What the app holds: the clinic database (opened on first use, so a file
//! that cannot be opened is reported in the window, with "Try again", instead
//! of the app vanishing) and who is signed in.

use dermis_clinic::{ApiError, Clinic, ClinicError, Session};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub struct AppState {
    path: Option<PathBuf>,
    clinic: Mutex<Option<Arc<Clinic>>>,
    session: Mutex<Option<Session>>,
    /// Locked after the idle time: the session stays, but every command
    /// except unlocking is refused until the same user's password is given.
    locked: Mutex<bool>,
}

fn poisoned() -> ApiError {
    ClinicError::Internal("Dermis hit an internal error earlier; restart it.".into()).into()
}

impl AppState {
    /// The database at `path`, opened when first needed.
    pub fn at(path: PathBuf) -> AppState {
        AppState {
            path: Some(path),
            clinic: Mutex::new(None),
            session: Mutex::new(None),
            locked: Mutex::new(false),
        }
    }

    /// The database file, when the state was made with [`AppState::at`].
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// An already open clinic (tests).
    pub fn new(clinic: Clinic) -> AppState {
        AppState {
            path: None,
            clinic: Mutex::new(Some(Arc::new(clinic))),
            session: Mutex::new(None),
            locked: Mutex::new(false),
        }
    }

    /// The open clinic, opening (and migrating) the database on first use.
    pub fn clinic(&self) -> Result<Arc<Clinic>, ApiError> {
        let mut guard = self.clinic.lock().map_err(|_| poisoned())?;
        if let Some(c) = guard.as_ref() {
            return Ok(c.clone());
        }
        let path = self.path.as_ref().ok_or_else(|| {
            ApiError::from(ClinicError::Io("No clinic database was given.".into()))
        })?;
        let clinic = Arc::new(Clinic::open(path).map_err(|e| {
            tracing::error!("the database {} cannot be opened: {e}", path.display());
            ApiError::from(ClinicError::Io(format!(
                "The clinic database {} cannot be opened: {e}",
                path.display()
            )))
        })?);
        // The daily automatic backup, in the background (it copies through a
        // connection of its own, so sign-in is not held up); a failure shows as
        // an old "last good backup" in Settings and on the Today screen.
        let background = clinic.clone();
        std::thread::spawn(move || {
            if let Err(e) = background.daily_backup() {
                tracing::warn!("the automatic backup failed: {e}");
                eprintln!("Dermis: the automatic backup failed: {e}");
            }
        });
        tracing::info!("database opened");
        *guard = Some(clinic.clone());
        Ok(clinic)
    }

    /// The signed-in session, or `forbidden` when nobody is signed in, or
    /// `locked` while the app is locked.
    pub fn session(&self) -> Result<Session, ApiError> {
        if self.is_locked()? {
            return Err(ClinicError::Locked(
                "Dermis is locked. Enter your password to continue.".into(),
            )
            .into());
        }
        self.current()?.ok_or_else(|| {
            ClinicError::Forbidden("You are signed out. Sign in to continue.".into()).into()
        })
    }

    pub fn is_locked(&self) -> Result<bool, ApiError> {
        self.locked.lock().map(|l| *l).map_err(|_| poisoned())
    }

    pub fn set_locked(&self, locked: bool) -> Result<(), ApiError> {
        *self.locked.lock().map_err(|_| poisoned())? = locked;
        Ok(())
    }

    pub fn current(&self) -> Result<Option<Session>, ApiError> {
        self.session
            .lock()
            .map(|s| s.clone())
            .map_err(|_| poisoned())
    }

    /// Signs in or out; either way the lock is lifted.
    pub fn set_session(&self, session: Option<Session>) -> Result<(), ApiError> {
        *self.session.lock().map_err(|_| poisoned())? = session;
        self.set_locked(false)
    }
}
