//! PRODUCT.md 4.4 at its edges: each date rule exactly at its limit and one day
//! past it, the defaults table's thresholds, overrides, rescheduling, plan
//! states and the healing rule ("more than 3 days of redness").

use crate::common::*;
use chrono::Duration;
use dermis_core::assessment::Sensitivity;
use dermis_core::plan::{
    after_healing, next_session, preview, recalls, replan_after, reschedule, reschedule_with_gaps,
    PlanOverride, PlanStatus, SessionStatus, Slot,
};
use dermis_core::screening::{Condition, Finding, RuleKind, ScreeningResult};
use dermis_core::settings::{ClinicCalendar, PlanDefaults};

// ---- Session 1: the first open day on or after the start, at most 7 days after it.

#[test]
fn session_one_may_be_exactly_seven_days_after_the_start() {
    // Closed from Tue 1 Dec to Mon 7 Dec; open on Tue 8 Dec (start + 7 days).
    let cal = only_open(d("2026-12-01"), d("2026-12-08"), &[d("2026-12-08")]);
    let p = simple(normal(), "2026-12-01", &cal).unwrap();
    assert_eq!(p.sessions[0].date, d("2026-12-08"));
}

#[test]
fn session_one_eight_days_after_the_start_is_an_error_naming_the_week() {
    // Closed 1–8 Dec, open again on Wed 9 Dec (start + 8 days): too late.
    let cal = only_open(d("2026-12-01"), d("2026-12-08"), &[]);
    let e = simple(normal(), "2026-12-01", &cal).unwrap_err();
    assert_eq!(e.field, "start");
    assert!(
        e.message.contains("Tue 2026-12-01") && e.message.contains("Tue 2026-12-08"),
        "{}",
        e.message
    );
}

#[test]
fn session_one_is_the_start_date_itself_when_the_clinic_is_open() {
    let p = simple(normal(), "2026-12-01", &every_day()).unwrap();
    assert_eq!(p.sessions[0].date, d("2026-12-01"));
    let numbers: Vec<u32> = p.sessions.iter().map(|s| s.n).collect();
    assert_eq!(numbers, [1, 2, 3, 4], "sessions are numbered from 1");
}

// ---- Session k: nearest open day to prev + w weeks in [prev + s weeks, target + 7 days].

#[test]
fn session_two_may_land_exactly_on_the_shortest_interval() {
    // Normal skin: w = 5, s = 4. Session 1 on Tue 1 Dec; the only open day of
    // the window is Tue 29 Dec (1 Dec + 4 weeks).
    let cal = only_open(d("2026-12-02"), d("2027-01-12"), &[d("2026-12-29")]);
    let p = simple(normal(), "2026-12-01", &cal).unwrap();
    assert_eq!(p.sessions[1].date, d("2026-12-29"));
}

#[test]
fn session_two_may_land_exactly_seven_days_after_its_target() {
    // Target Tue 5 Jan; the only open day is Tue 12 Jan (target + 7 days).
    let cal = only_open(d("2026-12-02"), d("2027-01-12"), &[d("2027-01-12")]);
    let p = simple(normal(), "2026-12-01", &cal).unwrap();
    assert_eq!(p.sessions[1].date, d("2027-01-12"));
}

#[test]
fn one_day_outside_the_window_on_either_side_is_never_proposed() {
    // Open only on Mon 28 Dec (a day short of 4 weeks) and, outside the closed
    // span, from Wed 13 Jan (a day past target + 7): no session 2.
    let cal = only_open(d("2026-12-02"), d("2027-01-12"), &[d("2026-12-28")]);
    let e = simple(normal(), "2026-12-01", &cal).unwrap_err();
    assert_eq!(e.field, "start");
    assert!(
        e.message.contains("Session 2")
            && e.message.contains("Tue 2026-12-29")
            && e.message.contains("Tue 2027-01-12"),
        "{}",
        e.message
    );
}

#[test]
fn the_nearest_open_day_wins_and_a_tie_goes_to_the_earlier() {
    // Target Tue 5 Jan closed. Mon 4 and Wed 6 open: a tie → Monday.
    let cal = only_open(
        d("2026-12-02"),
        d("2027-01-12"),
        &[d("2027-01-04"), d("2027-01-06")],
    );
    assert_eq!(
        simple(normal(), "2026-12-01", &cal).unwrap().sessions[1].date,
        d("2027-01-04")
    );
    // Sun 3 and Wed 6 open: Wednesday is nearer (1 day against 2).
    let cal = only_open(
        d("2026-12-02"),
        d("2027-01-12"),
        &[d("2027-01-03"), d("2027-01-06")],
    );
    assert_eq!(
        simple(normal(), "2026-12-01", &cal).unwrap().sessions[1].date,
        d("2027-01-06")
    );
}

#[test]
fn the_window_starts_at_the_interval_when_it_is_below_the_shortest() {
    // An interval of 3 weeks under a shortest of 4 (an override's plan): the
    // window opens at the interval, not at the shortest.
    let cal = every_day();
    assert_eq!(
        next_session(&cal, 2, d("2026-12-01"), 3, 4).unwrap(),
        d("2026-12-22")
    );
    let e = next_session(
        &only_open(d("2026-12-02"), d("2026-12-29"), &[]),
        7,
        d("2026-12-01"),
        3,
        4,
    )
    .unwrap_err();
    assert!(
        e.message.contains("Session 7")
            && e.message.contains("2026-12-22")
            && e.message.contains("2026-12-29"),
        "{}",
        e.message
    );
}

// ---- Maintenance recalls: every m months from the previous target, within 12
// months, each on the open day nearest its target within ±7 days.

#[test]
fn a_recall_may_land_seven_days_before_or_after_its_target() {
    // Last session Mon 1 Mar 2027, 12-month recall → target Wed 1 Mar 2028.
    let last = d("2027-03-01");
    let target = d("2028-03-01");
    let cal = only_open(
        target - Duration::days(10),
        target + Duration::days(10),
        &[target - Duration::days(7)],
    );
    assert_eq!(
        recalls(&cal, last, 12, 12).unwrap(),
        [target - Duration::days(7)]
    );
    let cal = only_open(
        target - Duration::days(10),
        target + Duration::days(10),
        &[target + Duration::days(7)],
    );
    assert_eq!(
        recalls(&cal, last, 12, 12).unwrap(),
        [target + Duration::days(7)]
    );
}

#[test]
fn a_recall_with_no_open_day_within_seven_days_is_an_error() {
    let last = d("2027-03-01");
    let target = d("2028-03-01");
    // Open 8 days before and 8 days after, nothing in between.
    let cal = only_open(target - Duration::days(7), target + Duration::days(7), &[]);
    let e = recalls(&cal, last, 12, 12).unwrap_err();
    assert_eq!(e.field, "start");
    assert!(
        e.message.contains("due 2028-03-01")
            && e.message.contains("2028-02-23")
            && e.message.contains("2028-03-08"),
        "{}",
        e.message
    );
}

#[test]
fn a_recall_targeting_exactly_twelve_months_is_listed_and_thirteen_is_not() {
    let cal = every_day();
    let last = d("2027-03-01");
    assert_eq!(recalls(&cal, last, 12, 12).unwrap(), [d("2028-03-01")]);
    assert_eq!(recalls(&cal, last, 13, 12).unwrap(), []);
    // Every 6 months: 6 and 12, both listed.
    assert_eq!(
        recalls(&cal, last, 6, 12).unwrap(),
        [d("2027-09-01"), d("2028-03-01")]
    );
    // No maintenance interval: no recalls (and no endless loop).
    assert_eq!(recalls(&cal, last, 0, 12).unwrap(), []);
}

// ---- The screening in the plan (PRODUCT.md 4.3).

fn with_screening(s: &ScreeningResult, start: &str) -> Result<Vec<chrono::NaiveDate>, String> {
    let defaults = PlanDefaults::default();
    plan(Run {
        facts: normal(),
        screening: Some(s),
        start: d(start),
        calendar: &every_day(),
        defaults: &defaults,
        adjust: None,
    })
    .map(|p| dates(&p))
    .map_err(|e| e.message)
}

#[test]
fn a_screening_valid_until_today_still_allows_planning_today() {
    let s = ScreeningResult {
        valid_until: today(),
        ..clear()
    };
    assert!(with_screening(&s, "2026-11-24").is_ok());
    let s = ScreeningResult {
        valid_until: today() - Duration::days(1),
        ..clear()
    };
    let e = with_screening(&s, "2026-11-24").unwrap_err();
    assert!(e.contains("expired on 2026-11-23"), "{e}");
}

#[test]
fn no_renew_warning_while_every_session_is_inside_the_validity() {
    let p = simple(normal(), "2026-12-01", &every_day()).unwrap();
    let last = p.sessions.last().unwrap().date;
    let s = ScreeningResult {
        valid_until: last,
        ..clear()
    };
    let defaults = PlanDefaults::default();
    let p = plan(Run {
        facts: normal(),
        screening: Some(&s),
        start: d("2026-12-01"),
        calendar: &every_day(),
        defaults: &defaults,
        adjust: None,
    })
    .unwrap();
    assert!(
        !p.warnings.iter().any(|w| w.contains("renew")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn when_the_screening_lapses_mid_course_the_warning_names_the_first_session_after_it() {
    // Every day open, normal skin: 1 Dec, 5 Jan, 9 Feb, 16 Mar. Valid until
    // exactly the second session: the third is the first after it.
    let s = ScreeningResult {
        valid_until: d("2027-01-05"),
        ..clear()
    };
    let defaults = PlanDefaults::default();
    let p = plan(Run {
        facts: normal(),
        screening: Some(&s),
        start: d("2026-12-01"),
        calendar: &every_day(),
        defaults: &defaults,
        adjust: None,
    })
    .unwrap();
    assert_eq!(
        dates(&p),
        [
            d("2026-12-01"),
            d("2027-01-05"),
            d("2027-02-09"),
            d("2027-03-16")
        ]
    );
    let renew: Vec<&String> = p.warnings.iter().filter(|w| w.contains("renew")).collect();
    assert_eq!(renew.len(), 1, "{:?}", p.warnings);
    assert!(
        renew[0].contains("valid until 2027-01-05") && renew[0].contains("Tue 2027-02-09"),
        "{}",
        renew[0]
    );
}

#[test]
fn a_washout_ending_on_the_start_date_does_not_move_it() {
    let s = ScreeningResult {
        earliest_eligible: Some(d("2026-12-01")),
        ..clear()
    };
    let defaults = PlanDefaults::default();
    let run = |s: &ScreeningResult| {
        plan(Run {
            facts: normal(),
            screening: Some(s),
            start: d("2026-12-01"),
            calendar: &every_day(),
            defaults: &defaults,
            adjust: None,
        })
        .unwrap()
    };
    let p = run(&s);
    assert_eq!(p.sessions[0].date, d("2026-12-01"));
    assert!(!p.rationale.iter().any(|r| r.contains("washout")));
    // Ending a day later moves the start by a day, and says so.
    let s = ScreeningResult {
        earliest_eligible: Some(d("2026-12-02")),
        ..clear()
    };
    let p = run(&s);
    assert_eq!(p.sessions[0].date, d("2026-12-02"));
    assert_eq!(
        p.rationale[0],
        "Start moved from 2026-12-01 to 2026-12-02: the washout period ends then."
    );
    // A washout that ended before the start changes nothing.
    let s = ScreeningResult {
        earliest_eligible: Some(d("2026-11-01")),
        ..clear()
    };
    assert_eq!(run(&s).sessions[0].date, d("2026-12-01"));
}

#[test]
fn a_blocking_screening_needs_a_written_reason_and_its_warnings_reach_the_plan() {
    let blocked = ScreeningResult {
        allowed: false,
        blocks: vec![Finding {
            condition: Condition::KeloidTendency,
            kind: RuleKind::Block,
            message: "Keloid tendency: no treatment.".into(),
        }],
        warnings: vec![Finding {
            condition: Condition::Diabetes,
            kind: RuleKind::Warn,
            message: "Diabetes: slower healing.".into(),
        }],
        ..clear()
    };
    let defaults = PlanDefaults::default();
    let run = |adjust: Option<&PlanOverride>| {
        plan(Run {
            facts: normal(),
            screening: Some(&blocked),
            start: d("2026-12-01"),
            calendar: &every_day(),
            defaults: &defaults,
            adjust,
        })
    };
    let blank = PlanOverride {
        sessions: None,
        interval_weeks: None,
        reason: "   ".into(),
    };
    let e = run(Some(&blank)).unwrap_err();
    assert_eq!(e.field, "reason");
    assert!(e.message.contains("Keloid tendency"), "{}", e.message);
    let reason = PlanOverride {
        reason: "Seen by the dermatologist".into(),
        ..blank
    };
    let p = run(Some(&reason)).unwrap();
    assert!(p
        .warnings
        .iter()
        .any(|w| w.contains("Keloid tendency") && w.contains("Seen by the dermatologist")));
    assert!(p.warnings.iter().any(|w| w == "Diabetes: slower healing."));
}

// ---- The defaults table.

#[test]
fn a_grade_outside_one_to_four_is_refused_and_one_and_four_plan() {
    for g in [0, 5] {
        let e = simple(
            facts(g, Sensitivity::Normal, 2, 1),
            "2026-12-01",
            &every_day(),
        )
        .unwrap_err();
        assert_eq!(e.field, "assessment_id", "grade {g}");
    }
    for (g, n) in [(1, 3), (4, 6)] {
        let p = simple(
            facts(g, Sensitivity::Normal, 2, 1),
            "2026-12-01",
            &every_day(),
        )
        .unwrap();
        assert_eq!(p.session_count, n);
    }
}

fn with_defaults(
    f: dermis_core::plan::SkinFacts,
    defaults: &PlanDefaults,
) -> dermis_core::plan::PlanProposal {
    let s = clear();
    plan(Run {
        facts: f,
        screening: Some(&s),
        start: d("2026-12-01"),
        calendar: &every_day(),
        defaults,
        adjust: None,
    })
    .unwrap()
}

#[test]
fn old_scars_add_nothing_when_the_clinic_sets_no_extra_sessions() {
    let defaults = PlanDefaults {
        old_scar_extra_sessions: 0,
        ..Default::default()
    };
    let p = with_defaults(facts(2, Sensitivity::Normal, 2, 20), &defaults);
    assert_eq!(p.session_count, 4);
    assert!(
        !p.rationale.iter().any(|r| r.contains("older than")),
        "{:?}",
        p.rationale
    );
}

#[test]
fn old_scars_add_the_clinics_extra_sessions_up_to_the_most() {
    let defaults = PlanDefaults {
        old_scar_extra_sessions: 2,
        ..Default::default()
    };
    let p = with_defaults(facts(2, Sensitivity::Normal, 2, 6), &defaults);
    assert_eq!(p.session_count, 6);
    assert!(p
        .rationale
        .contains(&"+2 session for scars older than 5 years (6 years), 6 in all.".to_string()));
    // Grade 4 (6) + 3 would be 9: capped at the most, 8.
    let defaults = PlanDefaults {
        old_scar_extra_sessions: 3,
        ..Default::default()
    };
    let p = with_defaults(facts(4, Sensitivity::Normal, 2, 6), &defaults);
    assert_eq!(p.session_count, 8);
    assert_eq!(p.sessions.len(), 8);
    // Already at the most: one sentence says so, no session added.
    let defaults = PlanDefaults {
        sessions_by_grade: vec![3, 4, 5, 8],
        ..Default::default()
    };
    let p = with_defaults(facts(4, Sensitivity::Normal, 2, 6), &defaults);
    assert_eq!(p.session_count, 8);
    assert!(p
        .rationale
        .contains(&"Scars older than 5 years, but 8 sessions is already the most.".to_string()));
}

#[test]
fn a_normal_skin_of_type_four_keeps_five_weeks_without_a_raise() {
    let p = simple(
        facts(2, Sensitivity::Normal, 4, 1),
        "2026-12-01",
        &every_day(),
    )
    .unwrap();
    assert_eq!(p.interval_weeks, 5);
    assert!(!p.rationale.iter().any(|r| r.contains("Interval raised")));
    let p = simple(
        facts(2, Sensitivity::Resilient, 4, 1),
        "2026-12-01",
        &every_day(),
    )
    .unwrap();
    assert!(p
        .rationale
        .contains(&"Interval raised to 5 weeks for Fitzpatrick type IV (PIH risk).".to_string()));
}

#[test]
fn the_pih_warning_names_the_fitzpatrick_type_in_roman_numerals() {
    for (t, roman) in [(4, "IV"), (5, "V"), (6, "VI")] {
        let p = simple(
            facts(2, Sensitivity::Normal, t, 1),
            "2026-12-01",
            &every_day(),
        )
        .unwrap();
        assert!(
            p.warnings.iter().any(|w| w.starts_with(&format!(
                "Fitzpatrick type {roman}: risk of post-inflammatory"
            ))),
            "{:?}",
            p.warnings
        );
    }
}

#[test]
fn an_interval_below_the_shortest_is_raised_to_it_and_one_equal_is_kept() {
    let defaults = PlanDefaults {
        interval_weeks_resilient: 3,
        ..Default::default()
    };
    let p = with_defaults(facts(2, Sensitivity::Resilient, 2, 1), &defaults);
    assert_eq!(p.interval_weeks, 4);
    assert!(p
        .rationale
        .contains(&"Interval raised to the shortest the clinic allows, 4 weeks.".to_string()));
    let p = with_defaults(
        facts(2, Sensitivity::Resilient, 2, 1),
        &PlanDefaults::default(),
    );
    assert_eq!(p.interval_weeks, 4);
    assert!(!p.rationale.iter().any(|r| r.contains("Interval raised")));
}

// ---- Overrides.

fn overridden(
    o: &PlanOverride,
) -> Result<dermis_core::plan::PlanProposal, dermis_core::FieldError> {
    let defaults = PlanDefaults::default();
    let s = clear();
    plan(Run {
        facts: normal(),
        screening: Some(&s),
        start: d("2026-12-01"),
        calendar: &every_day(),
        defaults: &defaults,
        adjust: Some(o),
    })
}

fn o(sessions: Option<u32>, interval_weeks: Option<u32>) -> PlanOverride {
    PlanOverride {
        sessions,
        interval_weeks,
        reason: "Agreed with the patient".into(),
    }
}

#[test]
fn an_override_of_one_or_twelve_sessions_is_accepted_and_zero_or_thirteen_refused() {
    for n in [1, 12] {
        let p = overridden(&o(Some(n), None)).unwrap();
        assert_eq!(p.session_count, n);
        assert_eq!(p.sessions.len(), n as usize);
    }
    for n in [0, 13] {
        assert_eq!(
            overridden(&o(Some(n), None)).unwrap_err().field,
            "override.sessions",
            "{n}"
        );
    }
}

#[test]
fn an_override_of_one_or_twenty_six_weeks_is_accepted_and_zero_or_twenty_seven_refused() {
    for w in [1, 26] {
        let p = overridden(&o(Some(2), Some(w))).unwrap();
        assert_eq!(p.interval_weeks, w);
        assert_eq!(
            (p.sessions[1].date - p.sessions[0].date).num_days(),
            w as i64 * 7
        );
    }
    for w in [0, 27] {
        assert_eq!(
            overridden(&o(Some(2), Some(w))).unwrap_err().field,
            "override.interval_weeks",
            "{w}"
        );
    }
}

#[test]
fn an_override_interval_equal_to_the_shortest_has_no_warning_and_one_below_has() {
    let p = overridden(&o(None, Some(4))).unwrap();
    assert!(!p.warnings.iter().any(|w| w.contains("shorter than")));
    assert!(p.rationale.contains(
        &"4 weeks between sessions set by the practitioner (proposed 5): Agreed with the patient"
            .to_string()
    ));
    let p = overridden(&o(None, Some(3))).unwrap();
    assert!(p.warnings.contains(
        &"The interval of 3 weeks is shorter than the clinic's shortest of 4 weeks (overridden)."
            .to_string()
    ));
}

#[test]
fn an_override_that_changes_nothing_needs_no_reason() {
    let p = overridden(&PlanOverride {
        sessions: None,
        interval_weeks: None,
        reason: String::new(),
    })
    .unwrap();
    assert_eq!(p.session_count, 4);
    assert_eq!(p.interval_weeks, 5);
    // Changing only the interval needs one.
    let e = overridden(&PlanOverride {
        sessions: None,
        interval_weeks: Some(6),
        reason: " ".into(),
    })
    .unwrap_err();
    assert_eq!(e.field, "reason");
}

#[test]
fn the_preview_is_the_plan_of_a_clear_current_screening() {
    let defaults = PlanDefaults::default();
    let f = facts(3, Sensitivity::Sensitive, 5, 7);
    let a = preview(f, d("2026-12-01"), &every_day(), &defaults).unwrap();
    let b = simple(f, "2026-12-01", &every_day()).unwrap();
    assert_eq!(a, b);
    // Far in the future the preview never asks for a new screening.
    let far = preview(f, d("2040-01-02"), &every_day(), &defaults).unwrap();
    assert!(!far.warnings.iter().any(|w| w.contains("renew")));
}

// ---- Rescheduling.

fn slots(list: &[(&str, bool)]) -> Vec<Slot> {
    list.iter()
        .map(|(s, done)| Slot {
            date: d(s),
            done: *done,
        })
        .collect()
}

fn four() -> Vec<Slot> {
    slots(&[
        ("2026-12-01", true),
        ("2027-01-05", false),
        ("2027-02-09", false),
        ("2027-03-16", false),
    ])
}

#[test]
fn session_five_of_a_four_session_plan_is_an_error_not_a_panic() {
    let cal = every_day();
    for n in [0, 5, 99] {
        let e = reschedule(&four(), n, d("2027-01-12"), d("2026-12-01"), 5, 4, &cal).unwrap_err();
        assert_eq!(e.field, "session_id");
        assert_eq!(e.message, format!("This plan has no session {n}."));
    }
    // The last one exists.
    let out = reschedule(&four(), 4, d("2027-03-23"), d("2026-12-01"), 5, 4, &cal).unwrap();
    assert_eq!(out[3], d("2027-03-23"));
}

#[test]
fn session_one_may_move_to_the_plan_start_but_not_a_day_before() {
    let cal = every_day();
    let s = slots(&[("2026-12-03", false), ("2027-01-07", false)]);
    let out = reschedule(&s, 1, d("2026-12-01"), d("2026-12-01"), 5, 4, &cal).unwrap();
    assert_eq!(out, [d("2026-12-01"), d("2027-01-05")]);
    let e = reschedule(&s, 1, d("2026-11-30"), d("2026-12-01"), 5, 4, &cal).unwrap_err();
    assert_eq!(e.field, "date");
    assert_eq!(
        e.message,
        "Session 1 cannot be before the plan's start; the earliest allowed date is Tue 2026-12-01."
    );
}

#[test]
fn a_move_a_day_short_of_the_shortest_interval_names_the_earliest_date() {
    let cal = every_day();
    let e = reschedule(&four(), 2, d("2026-12-28"), d("2026-12-01"), 5, 4, &cal).unwrap_err();
    assert_eq!(
        e.message,
        "Session 2 must be at least 4 weeks after session 1; the earliest allowed date is Tue 2026-12-29."
    );
    assert!(reschedule(&four(), 2, d("2026-12-29"), d("2026-12-01"), 5, 4, &cal).is_ok());
}

#[test]
fn a_session_cannot_move_on_or_after_a_later_session_already_done() {
    let cal = every_day();
    let s = slots(&[
        ("2026-12-01", true),
        ("2027-01-05", false),
        ("2027-02-09", true),
        ("2027-03-16", false),
    ]);
    for to in ["2027-02-09", "2027-02-10"] {
        let e = reschedule(&s, 2, d(to), d("2026-12-01"), 5, 4, &cal).unwrap_err();
        assert_eq!(e.field, "date");
        assert_eq!(
            e.message,
            "A later session was already done on Tue 2027-02-09; this one must stay before it."
        );
    }
    // The day before is fine; the done session stays, the one after it is re-planned from it.
    let out = reschedule(&s, 2, d("2027-02-08"), d("2026-12-01"), 5, 4, &cal).unwrap();
    assert_eq!(
        out,
        [
            d("2026-12-01"),
            d("2027-02-08"),
            d("2027-02-09"),
            d("2027-03-16")
        ]
    );
}

#[test]
fn a_move_to_a_closed_day_names_the_next_open_day() {
    let cal = open_except(&[d("2027-01-12"), d("2027-01-13")]);
    let e = reschedule(&four(), 2, d("2027-01-12"), d("2026-12-01"), 5, 4, &cal).unwrap_err();
    assert_eq!(
        e.message,
        "The clinic is closed on Tue 2027-01-12. The next open day is Thu 2027-01-14."
    );
}

#[test]
fn a_longer_gap_set_by_slow_healing_survives_a_reschedule() {
    let cal = every_day();
    // Session 3 keeps 7 weeks before it (slow healing after session 2).
    let gaps = [None, None, Some(7), None];
    let out = reschedule_with_gaps(
        &four(),
        &gaps,
        2,
        d("2027-01-12"),
        d("2026-12-01"),
        5,
        4,
        &cal,
    )
    .unwrap();
    assert_eq!(
        out,
        [
            d("2026-12-01"),
            d("2027-01-12"),
            d("2027-03-02"),
            d("2027-04-06")
        ]
    );
}

#[test]
fn replanning_keeps_done_sessions_and_names_the_session_that_cannot_fit() {
    let s = slots(&[
        ("2026-12-01", true),
        ("2027-01-05", true),
        ("2027-02-09", false),
        ("2027-03-16", false),
    ]);
    // From session 2 on: session 3 = 5 Jan + 6 weeks (its gap), session 4 = + 5 weeks.
    let out = replan_after(&s, &[None, None, Some(6)], 1, 5, 4, &every_day()).unwrap();
    assert_eq!(
        out,
        [
            d("2026-12-01"),
            d("2027-01-05"),
            d("2027-02-16"),
            d("2027-03-23")
        ]
    );
    // A done later session is skipped, not moved.
    let s2 = slots(&[
        ("2026-12-01", false),
        ("2027-01-05", true),
        ("2027-02-09", false),
    ]);
    let out = replan_after(&s2, &[], 0, 5, 4, &every_day()).unwrap();
    assert_eq!(out, [d("2026-12-01"), d("2027-01-05"), d("2027-02-09")]);
    // Session 3's window closed throughout: the error names session 3.
    let cal = only_open(d("2027-02-02"), d("2027-02-16"), &[]);
    let e = replan_after(&s, &[], 1, 5, 4, &cal).unwrap_err();
    assert!(
        e.message.starts_with("Session 3 has no open day"),
        "{}",
        e.message
    );
}

// ---- Plan and session states.

#[test]
fn plan_states_move_only_as_the_desk_expects() {
    use PlanStatus::*;
    let all = [Active, Paused, Completed, Cancelled];
    let allowed = [
        (Active, Paused),
        (Paused, Active),
        (Active, Completed),
        (Paused, Completed),
        (Active, Cancelled),
        (Paused, Cancelled),
    ];
    for from in all {
        for to in all {
            assert_eq!(
                from.can_become(to),
                allowed.contains(&(from, to)),
                "{from:?} → {to:?}"
            );
        }
    }
}

#[test]
fn plan_and_session_states_round_trip_through_their_stored_names() {
    for (s, name) in [
        (PlanStatus::Active, "active"),
        (PlanStatus::Paused, "paused"),
        (PlanStatus::Completed, "completed"),
        (PlanStatus::Cancelled, "cancelled"),
    ] {
        assert_eq!(s.as_str(), name);
        assert_eq!(PlanStatus::parse(name), Some(s));
    }
    for (s, name) in [
        (SessionStatus::Planned, "planned"),
        (SessionStatus::Done, "done"),
        (SessionStatus::Cancelled, "cancelled"),
    ] {
        assert_eq!(s.as_str(), name);
        assert_eq!(SessionStatus::parse(name), Some(s));
    }
    assert_eq!(PlanStatus::parse("finished"), None);
    assert_eq!(SessionStatus::parse(""), None);
}

// ---- Healing: "more than 3 days of redness" adds a week, up to the longest.

#[test]
fn redness_for_exactly_three_days_does_not_move_the_next_session() {
    let d = PlanDefaults::default();
    let h = after_healing(5, 3, false, &d);
    assert_eq!(h.next_interval_weeks, 5);
    assert!(!h.pause);
    assert_eq!(h.rationale, None);
}

#[test]
fn redness_for_four_days_adds_the_clinics_extra_week() {
    let d = PlanDefaults::default();
    let h = after_healing(5, 4, false, &d);
    assert_eq!(h.next_interval_weeks, 6);
    assert!(!h.pause);
    assert_eq!(
        h.rationale.as_deref(),
        Some("Next interval 6 weeks (was 5): redness lasted 4 days, more than 3.")
    );
    let two = PlanDefaults {
        slow_healing_extra_weeks: 2,
        ..Default::default()
    };
    assert_eq!(after_healing(5, 4, false, &two).next_interval_weeks, 7);
}

#[test]
fn slow_healing_at_the_longest_interval_keeps_it_and_says_so() {
    let d = PlanDefaults::default();
    let h = after_healing(8, 10, false, &d);
    assert_eq!(h.next_interval_weeks, 8);
    assert_eq!(
        h.rationale.as_deref(),
        Some("Redness lasted 10 days, but 8 weeks is already the longest interval.")
    );
    // An interval already above the longest (an override) is not shortened.
    assert_eq!(after_healing(10, 10, false, &d).next_interval_weeks, 10);
    // No extra weeks set: slow healing changes nothing.
    let none = PlanDefaults {
        slow_healing_extra_weeks: 0,
        ..Default::default()
    };
    assert_eq!(after_healing(5, 10, false, &none).next_interval_weeks, 5);
}

#[test]
fn an_adverse_event_pauses_the_plan_whatever_the_redness() {
    let d = PlanDefaults::default();
    for redness in [0, 3, 10] {
        let h = after_healing(5, redness, true, &d);
        assert!(h.pause);
        assert_eq!(h.next_interval_weeks, 5);
        assert!(h.rationale.unwrap().contains("practitioner must review"));
    }
}

#[test]
fn weeks_from_a_calendar_with_one_open_weekday_still_plan() {
    // A clinic open on Tuesdays only: every session on a Tuesday.
    let cal = ClinicCalendar::new(&[dermis_core::settings::Weekday::Tue], &[]);
    let p = simple(normal(), "2026-11-25", &cal).unwrap();
    use chrono::Datelike;
    assert!(p
        .sessions
        .iter()
        .all(|s| s.date.weekday() == chrono::Weekday::Tue));
    assert_eq!(p.sessions[0].date, d("2026-12-01"));
}
