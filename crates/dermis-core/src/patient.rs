//! Patients: the record, the form input, and search.

use crate::ids::PatientId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Sex {
    Female,
    Male,
    Other,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim().to_ascii_lowercase().as_str() {
            "female" | "f" => Some(Sex::Female),
            "male" | "m" => Some(Sex::Male),
            "other" | "o" => Some(Sex::Other),
            _ => None,
        }
    }
}

/// What the new/edit patient form sends. Text as typed: validation trims,
/// normalises and checks it (see [`crate::validate::patient`]); empty optional
/// fields are empty strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientInput {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    pub sex: Option<Sex>,
    pub phone: String,
    pub email: String,
    pub address: String,
    /// A language code such as `en`, `es`, `ar`, `zh-Hant`.
    pub preferred_language: String,
    pub notes: String,
}

/// A validated patient form, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPatient {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: Option<Sex>,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub preferred_language: String,
    pub notes: String,
}

/// A patient record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Patient {
    pub id: PatientId,
    /// Readable and unique, e.g. `P-000042`.
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    #[ts(type = "string")]
    pub date_of_birth: NaiveDate,
    pub sex: Option<Sex>,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub preferred_language: String,
    pub notes: String,
    pub archived: bool,
    /// Set when this record was merged into another (a duplicate of the same
    /// person): everything recorded moved there, and this record is archived.
    pub merged_into: Option<PatientId>,
    /// The patient number of `merged_into`, to show and to link ("Merged into P-000123").
    pub merged_into_number: Option<String>,
    /// Bumped by every change; an edit names the version it started from so a
    /// concurrent edit is reported instead of lost.
    #[ts(type = "number")]
    pub version: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// One row of the patient list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientSummary {
    pub id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    #[ts(type = "string")]
    pub date_of_birth: NaiveDate,
    pub phone: String,
    pub archived: bool,
}

/// An as-you-type search (an empty query lists everyone, alphabetically).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientSearch {
    pub query: String,
    pub include_archived: bool,
    pub offset: u32,
    pub limit: u32,
}

impl PatientSearch {
    pub const MAX_LIMIT: u32 = 200;
    pub const MAX_QUERY_CHARS: usize = 200;

    pub fn new(query: impl Into<String>) -> Self {
        PatientSearch {
            query: query.into(),
            include_archived: false,
            offset: 0,
            limit: 50,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientPage {
    pub items: Vec<PatientSummary>,
    pub offset: u32,
    pub has_more: bool,
}
