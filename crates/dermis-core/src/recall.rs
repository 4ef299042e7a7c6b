//! The recall call list (issue 18, PRODUCT.md 2 step 9): who the desk
//! should call this week for a maintenance visit, what came of each call.
//!
//! "This week" is the next seven days, as on the Today screen's recall list
//! (one rule for both screens): on Wednesday the list runs to next
//! Wednesday, so a recall due next Monday is called about now, not after the
//! weekend. Recalls due before today are overdue (they stay on the list
//! until a visit closes them or the plan is re-planned). Recalls due later
//! than the seven days are "later" and not listed.
//!
//! The list carries what the desk needs to make the call (the patient's
//! name, number, phone and preferred language, the due date) and the log of
//! earlier calls; nothing clinical (no plan details, scores or notes), since
//! the receptionist is the one who calls.

use crate::error::{Collector, ValidationErrors};
use crate::ids::{PatientId, PlanId, RecallContactId, RecallId};
use crate::validate;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What came of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContactOutcome {
    Called,
    NoAnswer,
    LeftMessage,
    Booked,
    Declined,
}

impl ContactOutcome {
    pub const ALL: [ContactOutcome; 5] = [
        ContactOutcome::Called,
        ContactOutcome::NoAnswer,
        ContactOutcome::LeftMessage,
        ContactOutcome::Booked,
        ContactOutcome::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactOutcome::Called => "called",
            ContactOutcome::NoAnswer => "no_answer",
            ContactOutcome::LeftMessage => "left_message",
            ContactOutcome::Booked => "booked",
            ContactOutcome::Declined => "declined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactOutcome::Called => "Called",
            ContactOutcome::NoAnswer => "No answer",
            ContactOutcome::LeftMessage => "Left a message",
            ContactOutcome::Booked => "Booked",
            ContactOutcome::Declined => "Declined",
        }
    }

    /// Parses `called`, `no_answer`, `no-answer`, `left message`...
    pub fn parse(s: &str) -> Option<ContactOutcome> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        ContactOutcome::ALL.into_iter().find(|o| o.as_str() == norm)
    }
}

/// How far a recall is: overdue (before today), due this week, or later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecallUrgency {
    Overdue,
    ThisWeek,
    Later,
}

/// The last day the call list (and the Today screen's recalls) reaches: a week on from `today`.
pub fn week_end(today: NaiveDate) -> NaiveDate {
    today + Duration::days(7)
}

/// Where a recall due on `due` stands on `today`.
pub fn urgency(due: NaiveDate, today: NaiveDate) -> RecallUrgency {
    if due < today {
        RecallUrgency::Overdue
    } else if due <= week_end(today) {
        RecallUrgency::ThisWeek
    } else {
        RecallUrgency::Later
    }
}

/// One logged call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallContact {
    pub id: RecallContactId,
    /// The recall called about; null once re-planning replaced that recall.
    pub recall_id: Option<RecallId>,
    /// The due date called about.
    #[ts(type = "string")]
    pub due: NaiveDate,
    pub outcome: ContactOutcome,
    pub note: String,
    /// Who logged it (display name).
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// One row of the call list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallCall {
    pub recall_id: RecallId,
    pub plan_id: PlanId,
    pub patient_id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    /// The patient's preferred language code (`fr`), or empty.
    pub preferred_language: String,
    #[ts(type = "string")]
    pub due: NaiveDate,
    pub urgency: RecallUrgency,
    /// Earlier calls about this recall, oldest first.
    pub contacts: Vec<RecallContact>,
}

/// The call list: overdue first, then this week's, by due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallCallList {
    #[ts(type = "string")]
    pub today: NaiveDate,
    /// The last day the list reaches (a week on from today).
    #[ts(type = "string")]
    pub week_end: NaiveDate,
    pub calls: Vec<RecallCall>,
}

/// The contact form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallContactInput {
    pub outcome: ContactOutcome,
    pub note: String,
}

/// Longest note on a call.
pub const CONTACT_NOTE_MAX: usize = 500;

/// Checks the contact form: the note is one short text, printable.
pub fn validate_contact(input: &RecallContactInput) -> Result<String, ValidationErrors> {
    let mut c = Collector::default();
    let note = c
        .check(validate::text(
            "note",
            "Note",
            &input.note,
            CONTACT_NOTE_MAX,
        ))
        .unwrap_or_default();
    if note.chars().any(validate::is_invisible_format) {
        c.push(
            "note",
            "The note contains an invisible character (a direction or zero-width mark, often pasted along): retype it.",
        );
    }
    c.finish()?;
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_week_reaches_a_week_on_over_the_weekend() {
        // Wednesday 2 December: to Wednesday 9 December (next Monday included).
        assert_eq!(week_end(d("2026-12-02")), d("2026-12-09"));
    }

    #[test]
    fn overdue_this_week_and_later() {
        let today = d("2026-12-02");
        assert_eq!(urgency(d("2026-12-01"), today), RecallUrgency::Overdue);
        assert_eq!(urgency(today, today), RecallUrgency::ThisWeek);
        assert_eq!(urgency(d("2026-12-09"), today), RecallUrgency::ThisWeek);
        assert_eq!(urgency(d("2026-12-10"), today), RecallUrgency::Later);
    }

    #[test]
    fn outcomes_parse_as_typed_on_the_command_line() {
        assert_eq!(
            ContactOutcome::parse("no-answer"),
            Some(ContactOutcome::NoAnswer)
        );
        assert_eq!(
            ContactOutcome::parse("Left message"),
            Some(ContactOutcome::LeftMessage)
        );
        assert_eq!(ContactOutcome::parse("maybe"), None);
    }

    #[test]
    fn a_note_with_a_direction_override_is_refused() {
        let e = validate_contact(&RecallContactInput {
            outcome: ContactOutcome::Called,
            note: "call back \u{202E}tomorrow".into(),
        })
        .unwrap_err();
        assert_eq!(e.0[0].field, "note");
    }
}
