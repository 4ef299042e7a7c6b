//! Validation failures, named by field so the UI can show each beside its input.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One invalid field and what is wrong with it, in words a receptionist understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// The input field's name, as in the input struct (`first_name`, `date_of_birth`, ...).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Every invalid field of one form, in form order. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.first().map(|e| e.message.as_str()).unwrap_or("The input is not valid."))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        ValidationErrors(vec![FieldError::new(field, message)])
    }

    pub fn first(&self) -> Option<&FieldError> {
        self.0.first()
    }

    pub fn fields(&self) -> &[FieldError] {
        &self.0
    }
}

/// Collects field errors while a form is checked, so all of them are reported at once.
#[derive(Debug, Default)]
pub struct Collector(Vec<FieldError>);

impl Collector {
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Records the error of `r`, if any, and hands back its value.
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.0))
        }
    }
}
