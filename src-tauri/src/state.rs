//! What the app holds: the clinic database (opened on first use, so a file
//! that cannot be opened is reported in the window, with "Try again", instead
//! of the app vanishing) and its [`Seat`]: who is signed in, the idle lock
//! and the last activity, all decided in dermis-clinic.

use dermis_clinic::{ApiError, Clinic, ClinicError, Seat, Session};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub struct AppState {
    path: Option<PathBuf>,
    clinic: Mutex<Option<Arc<Clinic>>>,
    /// Who is signed in; locked after the idle time (the session stays, but
    /// every command except unlocking is refused until the same user's
    /// password is given).
    seat: Seat,
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
            seat: Seat::new(),
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
            seat: Seat::new(),
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

    /// The signed-in session (read afresh), or `forbidden` when nobody is
    /// signed in or the account was deactivated, or `locked` while the app is
    /// locked or once the idle limit passed (the clinic decides).
    pub fn session(&self) -> Result<Session, ApiError> {
        Ok(self.seat.active(&*self.clinic()?)?)
    }

    /// Locked now (locking first if the idle limit has passed).
    pub fn is_locked(&self) -> Result<bool, ApiError> {
        Ok(self.seat.locked_now(&*self.clinic()?)?)
    }

    /// Locks now (audited once).
    pub fn lock(&self) -> Result<(), ApiError> {
        Ok(self.seat.lock(&*self.clinic()?)?)
    }

    /// Unlocks with the signed-in user's password.
    pub fn unlock(&self, password: &str) -> Result<(), ApiError> {
        Ok(self.seat.unlock(&*self.clinic()?, password)?)
    }

    pub fn current(&self) -> Result<Option<Session>, ApiError> {
        Ok(self.seat.current()?)
    }

    /// Signs in or out; either way the lock is lifted.
    pub fn set_session(&self, session: Option<Session>) -> Result<(), ApiError> {
        Ok(self.seat.set(&*self.clinic()?, session)?)
    }
}
