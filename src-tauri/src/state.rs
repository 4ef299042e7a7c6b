//! What the app holds: one open clinic and who is signed in.

use dermis_clinic::{ApiError, Clinic, ClinicError, Session};
use std::path::Path;
use std::sync::Mutex;

pub struct AppState {
    pub clinic: Clinic,
    session: Mutex<Option<Session>>,
}

impl AppState {
    pub fn open(path: &Path) -> Result<AppState, ClinicError> {
        Ok(AppState::new(Clinic::open(path)?))
    }

    pub fn new(clinic: Clinic) -> AppState {
        AppState {
            clinic,
            session: Mutex::new(None),
        }
    }

    /// The signed-in session, or `forbidden` when nobody is signed in.
    pub fn session(&self) -> Result<Session, ApiError> {
        self.current()?.ok_or_else(|| {
            ClinicError::Forbidden("You are signed out. Sign in to continue.".into()).into()
        })
    }

    pub fn current(&self) -> Result<Option<Session>, ApiError> {
        self.session.lock().map(|s| s.clone()).map_err(|_| {
            ClinicError::Internal("the session is unusable after an earlier failure".into()).into()
        })
    }

    pub fn set_session(&self, session: Option<Session>) -> Result<(), ApiError> {
        let mut guard = self.session.lock().map_err(|_| {
            ApiError::from(ClinicError::Internal(
                "the session is unusable after an earlier failure".into(),
            ))
        })?;
        *guard = session;
        Ok(())
    }
}
