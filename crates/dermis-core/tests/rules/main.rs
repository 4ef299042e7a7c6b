//! The clinical rules at their edges (issue 24): every boundary of PRODUCT.md
//! 4.3–4.5 "exactly at the limit" and "one past it", the settings a clinic can
//! edit, and every `as_str`/`parse` pair. Written against the mutants
//! cargo-mutants found surviving: each test is named after the behaviour it
//! pins, so a failure says what a clinic would notice.
//!
//! One test binary (several files), so a mutation run links it once per mutant.

mod assessment_rules;
mod common;
mod consent_limits;
mod consent_rules;
mod date_rules;
mod lot_rules;
mod plan_boundaries;
mod recall_rules;
mod schedule_limits;
mod schedule_rules;
mod screening_rules;
mod session_rules;
mod settings_rules;
mod text_rules;
mod validate_rules;
