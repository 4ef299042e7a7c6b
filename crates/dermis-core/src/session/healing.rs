//! How the skin healed after a session (PRODUCT.md 4.4) and adverse events:
//! the follow-up report and the adverse-event register's filter.

use super::record::{ZoneDepth, LONG_TEXT, SHORT_TEXT};
use crate::error::{Collector, FieldError, ValidationErrors};
use crate::ids::{AdverseEventId, HealingReportId, PatientId, SessionRecordId};
use crate::validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Adverse events after a session (PRODUCT.md 4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AdverseEventKind {
    Erythema,
    Oedema,
    Pih,
    AcneFlare,
    Infection,
    HerpesReactivation,
    TramTrackScarring,
    Granuloma,
    Other,
}

impl AdverseEventKind {
    pub const ALL: [AdverseEventKind; 9] = [
        AdverseEventKind::Erythema,
        AdverseEventKind::Oedema,
        AdverseEventKind::Pih,
        AdverseEventKind::AcneFlare,
        AdverseEventKind::Infection,
        AdverseEventKind::HerpesReactivation,
        AdverseEventKind::TramTrackScarring,
        AdverseEventKind::Granuloma,
        AdverseEventKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdverseEventKind::Erythema => "erythema",
            AdverseEventKind::Oedema => "oedema",
            AdverseEventKind::Pih => "pih",
            AdverseEventKind::AcneFlare => "acne_flare",
            AdverseEventKind::Infection => "infection",
            AdverseEventKind::HerpesReactivation => "herpes_reactivation",
            AdverseEventKind::TramTrackScarring => "tram_track_scarring",
            AdverseEventKind::Granuloma => "granuloma",
            AdverseEventKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<AdverseEventKind> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        AdverseEventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AdverseEventKind::Erythema => "Prolonged erythema",
            AdverseEventKind::Oedema => "Oedema",
            AdverseEventKind::Pih => "Post-inflammatory hyperpigmentation",
            AdverseEventKind::AcneFlare => "Acne flare",
            AdverseEventKind::Infection => "Infection",
            AdverseEventKind::HerpesReactivation => "Herpes reactivation",
            AdverseEventKind::TramTrackScarring => "Tram-track scarring",
            AdverseEventKind::Granuloma => "Granuloma",
            AdverseEventKind::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEventInput {
    pub kind: AdverseEventKind,
    /// What happened; required for "other".
    pub description: String,
}

/// The follow-up form: how the last session healed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HealingInput {
    /// When the patient reported it (at the next visit or by phone), `YYYY-MM-DD`.
    pub reported_on: String,
    pub redness_days: u32,
    pub flaking_days: u32,
    pub events: Vec<AdverseEventInput>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEvent {
    pub id: AdverseEventId,
    pub kind: AdverseEventKind,
    pub description: String,
}

/// How a session healed, and what that did to the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HealingReport {
    pub id: HealingReportId,
    pub session_record_id: SessionRecordId,
    #[ts(type = "string")]
    pub reported_on: NaiveDate,
    pub redness_days: u32,
    pub flaking_days: u32,
    pub events: Vec<AdverseEvent>,
    pub notes: String,
    /// The plan change it caused, in one sentence (empty when none).
    pub decision: String,
    pub recorded_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHealing {
    pub reported_on: NaiveDate,
    pub redness_days: u32,
    pub flaking_days: u32,
    pub events: Vec<AdverseEventInput>,
    pub notes: String,
}

/// Checks the follow-up form: reported on or after the session, not in the
/// future; day counts up to 90; each event at most once, "other" described.
pub fn validate_healing(
    input: &HealingInput,
    session_date: NaiveDate,
    today: NaiveDate,
) -> Result<ValidHealing, ValidationErrors> {
    let mut c = Collector::default();
    let reported_on = c.check(
        validate::past_date("reported_on", "Report date", &input.reported_on, today).and_then(
            |d| {
                if d < session_date {
                    Err(FieldError::new(
                        "reported_on",
                        format!("The report date {d} is before the session on {session_date}."),
                    ))
                } else {
                    Ok(d)
                }
            },
        ),
    );
    for (field, v, label) in [
        ("redness_days", input.redness_days, "redness"),
        ("flaking_days", input.flaking_days, "flaking"),
    ] {
        if v > 90 {
            c.push(
                field,
                format!("{v} days of {label} is more than 90; check the number."),
            );
        }
    }
    let mut events = Vec::new();
    for (i, e) in input.events.iter().enumerate() {
        let field = format!("events.{}", e.kind.as_str());
        if input.events[..i].iter().any(|x| x.kind == e.kind) {
            c.push(&field, format!("{} is listed twice.", e.kind.label()));
            continue;
        }
        let description = c
            .check(validate::text(
                &field,
                "The description",
                &e.description,
                LONG_TEXT,
            ))
            .unwrap_or_default();
        if e.kind == AdverseEventKind::Other && description.is_empty() {
            c.push(&field, "Describe the adverse event.");
        }
        events.push(AdverseEventInput {
            kind: e.kind,
            description,
        });
    }
    let notes = c
        .check(validate::text("notes", "Notes", &input.notes, LONG_TEXT))
        .unwrap_or_default();
    c.finish()?;
    Ok(ValidHealing {
        reported_on: reported_on.unwrap_or(today),
        redness_days: input.redness_days,
        flaking_days: input.flaking_days,
        events,
        notes,
    })
}

/// One row of the adverse-event register: the event, the patient, and the
/// session's parameters and product lots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEventEntry {
    pub event_id: AdverseEventId,
    pub kind: AdverseEventKind,
    pub description: String,
    #[ts(type = "string")]
    pub reported_on: NaiveDate,
    pub patient_id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    pub session_record_id: SessionRecordId,
    #[ts(type = "string")]
    pub session_date: NaiveDate,
    pub n: u32,
    pub device: String,
    pub cartridge_lot: String,
    pub depths: Vec<ZoneDepth>,
    pub passes: u32,
    pub numbing_cream: String,
    pub glide_product: String,
    pub glide_lot: String,
    pub practitioner: String,
}

/// Filters of the adverse-event register; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEventFilter {
    pub kind: Option<AdverseEventKind>,
    /// First report date, `YYYY-MM-DD` or empty.
    pub from: String,
    /// Last report date, `YYYY-MM-DD` or empty.
    pub to: String,
    /// Matches the cartridge lot or the glide lot (part of it, any case).
    pub lot: String,
}

/// The register filter, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidEventFilter {
    pub kind: Option<AdverseEventKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub lot: String,
}

pub fn validate_event_filter(f: &AdverseEventFilter) -> Result<ValidEventFilter, ValidationErrors> {
    let mut c = Collector::default();
    let opt_date = |c: &mut Collector, field: &str, label: &str, raw: &str| {
        if raw.trim().is_empty() {
            None
        } else {
            c.check(validate::date(field, label, raw))
        }
    };
    let from = opt_date(&mut c, "from", "From", &f.from);
    let to = opt_date(&mut c, "to", "To", &f.to);
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            c.push("to", "The last day is before the first day.");
        }
    }
    let lot = c
        .check(validate::text("lot", "Lot", &f.lot, SHORT_TEXT))
        .unwrap_or_default();
    c.finish()?;
    Ok(ValidEventFilter {
        kind: f.kind,
        from,
        to,
        lot,
    })
}
