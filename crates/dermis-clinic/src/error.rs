//! One error type for every use-case, and its IPC shape `{code, message,
//! field, fields}` (plus `slot` when a booking was refused for a clash: the
//! next free slot as data, so the UI offers it without reading the sentence).

use dermis_core::schedule::FreeSlot;
use dermis_core::{FieldError, ValidationErrors};
use dermis_store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum ClinicError {
    #[error("{0}")]
    Validation(#[from] ValidationErrors),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// A booking refused because its time is taken (or outside the hours, or
    /// on a closed day): code `conflict`, the sentence, and the next free slot.
    #[error("{}", .0.message)]
    SlotTaken(Box<SlotTaken>),
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    Io(String),
    /// The clinic server does not answer: nothing was changed, and the form
    /// keeps what was typed (code `unavailable`).
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
}

impl ClinicError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        ClinicError::Validation(ValidationErrors::single(field, message))
    }

    /// A store conflict (a taken name, say) reported against one form field.
    pub(crate) fn from_store_in_field(e: StoreError, field: &str) -> Self {
        match e {
            StoreError::Conflict(m) => ClinicError::validation(field, m),
            other => other.into(),
        }
    }

    /// The sentence of any refusal for a conflict (a clash or another).
    pub fn conflict_message(&self) -> Option<&str> {
        match self {
            ClinicError::Conflict(m) => Some(m),
            ClinicError::SlotTaken(t) => Some(&t.message),
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ClinicError::Validation(_) => ErrorCode::Validation,
            ClinicError::NotFound(_) => ErrorCode::NotFound,
            ClinicError::Forbidden(_) => ErrorCode::Forbidden,
            ClinicError::Conflict(_) | ClinicError::SlotTaken(_) => ErrorCode::Conflict,
            ClinicError::Locked(_) => ErrorCode::Locked,
            ClinicError::Io(_) => ErrorCode::Io,
            ClinicError::Unavailable(_) => ErrorCode::Unavailable,
            ClinicError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<FieldError> for ClinicError {
    fn from(e: FieldError) -> Self {
        ClinicError::Validation(ValidationErrors(vec![e]))
    }
}

impl From<StoreError> for ClinicError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => {
                ClinicError::NotFound(format!("{what} was not found; it may have been removed."))
            }
            StoreError::Conflict(m) => ClinicError::Conflict(m),
            StoreError::Denied(m) => ClinicError::Forbidden(m),
            StoreError::Unavailable(_) => ClinicError::Unavailable(
                "The clinic server is not answering, so nothing was saved. What you typed is \
                 still here; save again when the server is back."
                    .into(),
            ),
            StoreError::Io { .. } => ClinicError::Io(e.to_string()),
            StoreError::BadBackup(m) => ClinicError::validation("file", m),
            StoreError::TooNew { .. } => ClinicError::Io(e.to_string()),
            StoreError::WrongKey => ClinicError::Forbidden(
                "The clinic's encrypted database does not open with this key.".into(),
            ),
            e if e.is_busy() => ClinicError::Locked(
                "The database is busy in another Dermis window or program; try again in a moment."
                    .into(),
            ),
            other => ClinicError::Internal(other.to_string()),
        }
    }
}

/// Why a booking was refused, and where it would fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotTaken {
    /// The sentence the desk reads (names the other booking by patient number).
    pub message: String,
    /// The next free slot that fits, when there is one within the search.
    pub slot: Option<FreeSlot>,
}

/// Stable error codes the UI and scripts can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Validation,
    NotFound,
    Forbidden,
    Conflict,
    Locked,
    Io,
    /// The clinic server does not answer (nothing was changed; try again later).
    Unavailable,
    Internal,
}

/// An error as it crosses IPC or leaves the CLI as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A sentence for a receptionist.
    pub message: String,
    /// The first form field at fault, if the error is about one.
    pub field: Option<String>,
    /// Every invalid field of the form (empty unless `code` is `validation`).
    pub fields: Vec<FieldError>,
    /// A booking refused for a clash: the next free slot that fits (absent
    /// otherwise, and when nothing is free within the search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub slot: Option<Box<FreeSlot>>,
}

impl From<ClinicError> for ApiError {
    fn from(e: ClinicError) -> Self {
        let code = e.code();
        match e {
            ClinicError::Validation(v) => ApiError {
                code,
                message: v.to_string(),
                field: v.first().map(|f| f.field.clone()),
                fields: v.0,
                slot: None,
            },
            ClinicError::SlotTaken(t) => ApiError {
                code,
                message: t.message,
                field: None,
                fields: vec![],
                slot: t.slot.map(Box::new),
            },
            other => ApiError {
                code,
                message: other.to_string(),
                field: None,
                fields: vec![],
                slot: None,
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({field})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clash_or_another_conflict_gives_its_sentence_and_nothing_else_does() {
        let clash = ClinicError::SlotTaken(Box::new(SlotTaken {
            message: "Room 1 is taken at 10:00.".into(),
            slot: None,
        }));
        assert_eq!(clash.conflict_message(), Some("Room 1 is taken at 10:00."));
        let conflict = ClinicError::Conflict("Sam moved it at 10:02.".into());
        assert_eq!(conflict.conflict_message(), Some("Sam moved it at 10:02."));
        for other in [
            ClinicError::validation("date", "Not a date."),
            ClinicError::Forbidden("No.".into()),
            ClinicError::Internal("x".into()),
        ] {
            assert_eq!(other.conflict_message(), None, "{other}");
        }
    }

    #[test]
    fn a_database_another_program_holds_is_reported_busy_not_as_an_internal_error() {
        // A real SQLITE_BUSY: another connection holds the write lock and
        // this one does not wait.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clinic.db");
        let holder = rusqlite::Connection::open(&path).unwrap();
        holder
            .execute_batch("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
            .unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let busy = other.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
        let e = ClinicError::from(StoreError::from(busy));
        assert_eq!(e.code(), ErrorCode::Locked, "{e}");
        assert!(
            e.to_string().contains("busy in another Dermis window"),
            "{e}"
        );
    }

    #[test]
    fn an_error_reads_as_its_sentence_with_the_field_it_is_about() {
        let e = ApiError::from(ClinicError::validation("date", "Not a date."));
        assert_eq!(e.to_string(), "Not a date. (date)");
        let e = ApiError::from(ClinicError::Forbidden("Admins only.".into()));
        assert_eq!(e.to_string(), "Admins only.");
    }
}
