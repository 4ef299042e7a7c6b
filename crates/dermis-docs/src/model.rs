//! The inputs of every document, as plain serde structs.
//!
//! They are deliberately independent of the database and of the IPC types: the
//! clinic use-cases fill them from whatever they read, and tests and the
//! benchmark build them by hand. Every string is printed as given (the caller
//! has already ordered CJK names family-first, see `dermis_core::names`), and
//! every date is a calendar date: nothing here reads a clock.
//!
//! Every input carries the clinic's [`DateFormat`] (issue 22): the clinic
//! reads its setting and passes it in, and the document writes every date
//! that way ("26.11.2026"), with the weekday in the document's language where
//! a sentence for the patient reads better with it ("Thursday 26/11/2026").
//! The documents never read a setting or the computer's locale themselves.

use chrono::{NaiveDate, NaiveTime};
pub use dermis_core::dates::DateFormat;
use dermis_core::plan::PlanStatus;
use serde::{Deserialize, Serialize};

pub use crate::lang::Language;

/// The clinic's details printed at the top of every document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letterhead {
    pub name: String,
    /// Free text; line breaks are kept where there is room.
    pub address: String,
    pub phone: String,
    /// PNG or JPEG bytes (check an upload with [`crate::validate_logo`]).
    #[serde(default)]
    pub logo: Option<Vec<u8>>,
}

/// The paper the clinic prints on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PaperSize {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in (215.9 × 279.4 mm).
    Letter,
}

impl PaperSize {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            PaperSize::A4 => (210.0, 297.0),
            PaperSize::Letter => (215.9, 279.4),
        }
    }
}

/// A booked appointment: a date and, when booked to the minute, a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub date: NaiveDate,
    #[serde(default)]
    pub time: Option<NaiveTime>,
}

/// Everything one aftercare sheet shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AftercareInput {
    pub letterhead: Letterhead,
    pub paper: PaperSize,
    /// The display name, already in the order the patient uses.
    pub patient_name: String,
    /// For example `P-000042`.
    pub patient_number: String,
    pub treatment_date: NaiveDate,
    #[serde(default)]
    pub next_appointment: Option<Appointment>,
    /// The clinic's aftercare text with placeholders, see [`crate::template`].
    pub template: String,
    /// Fitzpatrick IV–VI: print the post-inflammatory hyperpigmentation caution.
    #[serde(default)]
    pub pih_caution: bool,
    /// How the clinic writes dates (ISO `YYYY-MM-DD` when absent).
    #[serde(default = "iso")]
    pub date_format: DateFormat,
    /// The day the document is made; also its PDF creation date.
    pub generated_on: NaiveDate,
    /// The language it is printed in (English when absent).
    #[serde(default)]
    pub language: Language,
}

/// The plan a progress summary or schedule card belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    /// Number of course sessions.
    pub sessions: u32,
    /// Weeks between sessions.
    pub interval_weeks: u32,
    pub status: PlanStatus,
}

/// One row of the session table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub date: NaiveDate,
    /// For example "cheeks, chin".
    pub zones: String,
    /// For example "1.0–1.5 mm".
    pub depth: String,
    #[serde(default)]
    pub notes: String,
}

/// One Goodman & Baron quantitative score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorePoint {
    pub date: NaiveDate,
    pub score: u32,
}

/// A treatment photo (PNG or JPEG bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub date: NaiveDate,
    pub bytes: Vec<u8>,
}

/// The first and the latest photo of one area, shown side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoPair {
    /// For example "Left cheek".
    pub area_label: String,
    pub first: Photo,
    pub latest: Photo,
}

/// Everything a progress summary shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressSummaryInput {
    pub letterhead: Letterhead,
    pub paper: PaperSize,
    pub patient_name: String,
    pub patient_number: String,
    pub plan: PlanSummary,
    /// In the order to print (oldest first).
    pub sessions: Vec<SessionRow>,
    /// Scores in any order; the chart sorts them by date. The first by date is the baseline.
    pub scores: Vec<ScorePoint>,
    #[serde(default)]
    pub photos: Option<PhotoPair>,
    #[serde(default)]
    pub next_maintenance: Option<NaiveDate>,
    /// How the clinic writes dates (ISO `YYYY-MM-DD` when absent).
    #[serde(default = "iso")]
    pub date_format: DateFormat,
    pub generated_on: NaiveDate,
    /// The language it is printed in (English when absent).
    #[serde(default)]
    pub language: Language,
}

/// One course session on the schedule card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledSession {
    /// 1-based session number in the course.
    pub number: u32,
    pub date: NaiveDate,
    #[serde(default)]
    pub time: Option<NaiveTime>,
}

/// Everything a schedule card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleCardInput {
    pub letterhead: Letterhead,
    pub paper: PaperSize,
    pub patient_name: String,
    pub patient_number: String,
    #[serde(default)]
    pub plan: Option<PlanSummary>,
    pub sessions: Vec<ScheduledSession>,
    /// Maintenance recall dates (not booked to a time).
    #[serde(default)]
    pub recalls: Vec<NaiveDate>,
    /// How the clinic writes dates (ISO `YYYY-MM-DD` when absent).
    #[serde(default = "iso")]
    pub date_format: DateFormat,
    pub generated_on: NaiveDate,
    /// The language it is printed in (English when absent).
    #[serde(default)]
    pub language: Language,
}

/// One patient on the lot trace letter list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotTracePatient {
    pub patient_name: String,
    pub patient_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    /// Each session with the lot: its date and the practitioner.
    pub sessions: Vec<(NaiveDate, String)>,
}

/// The lot trace letter list (a staff document, English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotTraceListInput {
    pub letterhead: Letterhead,
    pub paper: PaperSize,
    pub lot: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub patients: Vec<LotTracePatient>,
    /// How the clinic writes dates (ISO `YYYY-MM-DD` when absent).
    #[serde(default = "iso")]
    pub date_format: DateFormat,
    pub generated_on: NaiveDate,
}

/// A maintenance recall letter, in the patient's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallLetterInput {
    pub letterhead: Letterhead,
    pub paper: PaperSize,
    pub patient_name: String,
    pub patient_number: String,
    /// The postal address as typed (one or more lines).
    pub address: String,
    /// The day the maintenance visit is due.
    pub due: NaiveDate,
    /// How the clinic writes dates (ISO `YYYY-MM-DD` when absent).
    #[serde(default = "iso")]
    pub date_format: DateFormat,
    pub generated_on: NaiveDate,
    pub language: Language,
}

/// The format an input without one is printed in: ISO, which no reader misreads.
fn iso() -> DateFormat {
    DateFormat::YearMonthDay
}
