//! Scheduling (issue 19) at its edges: an appointment's length, the clinic's
//! kinds found by key, a practitioner's week, and the call outcomes' labels.

use dermis_core::ids::UserId;
use dermis_core::recall::ContactOutcome;
use dermis_core::schedule::{
    check_length, DayHours, PractitionerHours, ScheduleSettings, CONSULTATION, REVIEW, SESSION,
};
use dermis_core::settings::Weekday;

#[test]
fn an_appointment_lasts_five_minutes_to_eight_hours() {
    let nine = 9 * 60;
    assert!(check_length(nine, 5, 0).is_ok());
    assert!(check_length(nine, 8 * 60, 0).is_ok(), "a whole working day");
    assert!(check_length(nine, 4, 0).is_err());
    assert!(check_length(nine, 8 * 60 + 1, 0).is_err());
    // Ending at midnight is fine, a minute later is not.
    assert!(check_length(23 * 60, 60, 0).is_ok());
    assert!(check_length(23 * 60 + 1, 60, 0).is_err());
}

#[test]
fn each_kind_is_found_by_its_own_key_with_its_default_length() {
    let s = ScheduleSettings::default();
    let len = |key: &str| s.kind(key).map(|k| (k.minutes, k.numbing_minutes));
    assert_eq!(len(SESSION), Some((60, 20)));
    assert_eq!(len(CONSULTATION), Some((30, 0)));
    assert_eq!(len(REVIEW), Some((15, 0)));
    assert_eq!(len("laser"), None);
}

#[test]
fn a_practitioner_with_hours_gets_their_own_week_and_the_others_the_default() {
    let own = vec![DayHours {
        weekday: Weekday::Tue,
        start: "12:00".into(),
        end: "18:30".into(),
    }];
    let s = ScheduleSettings {
        hours: vec![PractitionerHours {
            user_id: UserId(7),
            days: own.clone(),
        }],
        ..ScheduleSettings::default()
    };
    let open = [Weekday::Mon, Weekday::Wed];
    assert_eq!(s.week_of(UserId(7), &open), own);
    let default = s.week_of(UserId(8), &open);
    let days: Vec<(Weekday, &str, &str)> = default
        .iter()
        .map(|d| (d.weekday, d.start.as_str(), d.end.as_str()))
        .collect();
    assert_eq!(
        days,
        [
            (Weekday::Mon, "09:00", "17:00"),
            (Weekday::Wed, "09:00", "17:00")
        ]
    );
}

#[test]
fn each_call_outcome_reads_as_words_of_its_own() {
    let labels: Vec<&str> = ContactOutcome::ALL.iter().map(|o| o.label()).collect();
    assert_eq!(
        labels,
        [
            "Called",
            "No answer",
            "Left a message",
            "Booked",
            "Declined"
        ]
    );
}
