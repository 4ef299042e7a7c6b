//! The Dermis domain, pure: the types that cross every boundary, the validation
//! rules of PRODUCT.md section 8, and the text folding that makes patient search
//! accent- and case-insensitive in every script.
//!
//! Nothing here touches a disk, a database or a window, so every rule can be
//! tested directly and reused by the store, the clinic use-cases and the shells.

pub mod assessment;
pub mod consent;
pub mod dates;
pub mod error;
pub mod fold;
pub mod ids;
pub mod merge;
pub mod names;
pub mod patient;
pub mod photo;
pub mod plan;
pub mod recall;
pub mod schedule;
pub mod screening;
pub mod search;
pub mod session;
pub mod settings;
pub mod user;
pub mod validate;

pub use error::{FieldError, ValidationErrors};
pub use patient::{Patient, PatientInput, PatientPage, PatientSearch, PatientSummary, Sex};
pub use user::{ActorInfo, LoginInput, Role, SetupInput};
