//! One error type for the crate, as ARCHITECTURE.md asks: every variant says
//! what is wrong in words a receptionist can act on, and names the input at
//! fault (the logo, which photo, which placeholder).

use thiserror::Error;

/// What can go wrong while making a document.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DocsError {
    /// The clinic logo is not a PNG or JPEG image we can read.
    #[error("The clinic logo is not a usable image: {reason}. Upload a PNG or JPEG file.")]
    InvalidLogo { reason: String },
    /// A treatment photo is not a PNG or JPEG image we can read.
    #[error("The {which} photo is not a usable image: {reason}. Use a PNG or JPEG file.")]
    InvalidPhoto { which: String, reason: String },
    /// The aftercare text cannot be filled in.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A batch needs at least one sheet.
    #[error("There are no aftercare sheets to print.")]
    EmptyBatch,
    /// An input field is unusable (for example a date too far in the future to compute with).
    #[error("The {field} cannot be used: {reason}.")]
    InvalidInput { field: String, reason: String },
    /// A bundled font could not be read. This is a build defect, not a user error.
    #[error("The bundled font {font} could not be loaded.")]
    Font { font: &'static str },
    /// Writing the PDF failed.
    #[error("The PDF could not be written: {0}.")]
    Pdf(String),
}

/// Why an aftercare text template is refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{something}` where `something` is not one of [`crate::PLACEHOLDERS`].
    #[error("The aftercare text uses an unknown placeholder {{{placeholder}}}. Known placeholders: {known}.")]
    UnknownPlaceholder { placeholder: String, known: String },
    /// A `{` that is never closed.
    #[error("The aftercare text has a '{{' at character {position} that is never closed. Write '{{{{' for a literal brace.")]
    UnclosedBrace { position: usize },
    /// A `}` with no `{` before it.
    #[error("The aftercare text has a '}}' at character {position} with no '{{' before it. Write '}}}}' for a literal brace.")]
    UnopenedBrace { position: usize },
}

impl TemplateError {
    /// The placeholder at fault, when there is one.
    pub fn placeholder(&self) -> Option<&str> {
        match self {
            TemplateError::UnknownPlaceholder { placeholder, .. } => Some(placeholder),
            _ => None,
        }
    }
}
