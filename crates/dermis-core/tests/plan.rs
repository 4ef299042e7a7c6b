//! The plan engine against PRODUCT.md 4.4: a table test per row of the
//! defaults, the date rules, rescheduling, and property tests of every
//! invariant over random assessments, calendars and start dates.

use chrono::{Datelike, Duration, NaiveDate};
use dermis_core::assessment::Sensitivity;
use dermis_core::plan::{
    propose, reschedule, EngineInput, PlanOverride, PlanProposal, SkinFacts, Slot,
};
use dermis_core::screening::{Condition, Finding, RuleKind, ScreeningResult};
use dermis_core::settings::{ClinicCalendar, PlanDefaults, Weekday};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn clear(today: NaiveDate) -> ScreeningResult {
    ScreeningResult {
        allowed: true,
        blocks: vec![],
        warnings: vec![],
        earliest_eligible: None,
        valid_until: today + Duration::days(180),
    }
}

fn weekdays() -> ClinicCalendar {
    ClinicCalendar::new(
        &[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        &[],
    )
}

fn facts(grade: u8, sensitivity: Sensitivity, fitzpatrick: u8, age: u32) -> SkinFacts {
    SkinFacts {
        grade,
        fitzpatrick,
        sensitivity,
        scar_age_years: age,
    }
}

fn run(
    f: SkinFacts,
    start: &str,
    cal: &ClinicCalendar,
    adjust: Option<&PlanOverride>,
) -> Result<PlanProposal, String> {
    let today = d("2026-11-24");
    let defaults = PlanDefaults::default();
    let s = clear(today);
    propose(&EngineInput {
        facts: f,
        screening: Some(&s),
        start: d(start),
        today,
        calendar: cal,
        defaults: &defaults,
        adjust,
    })
    .map_err(|e| format!("{}: {}", e.field, e.message))
}

fn gaps_in_days(p: &PlanProposal) -> Vec<i64> {
    p.sessions
        .windows(2)
        .map(|w| (w[1].date - w[0].date).num_days())
        .collect()
}

#[test]
fn sessions_by_grade_3_4_5_6() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    for (grade, n) in [(1, 3), (2, 4), (3, 5), (4, 6)] {
        let p = run(
            facts(grade, Sensitivity::Normal, 2, 1),
            "2026-12-01",
            &cal,
            None,
        )
        .unwrap();
        assert_eq!(p.session_count, n, "grade {grade}");
        assert_eq!(p.sessions.len(), n as usize);
        assert!(p.rationale[0].contains(&format!("{n} sessions for Goodman & Baron grade {grade}")));
    }
}

#[test]
fn scars_older_than_five_years_add_one_session_at_most_eight() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    assert_eq!(
        run(
            facts(2, Sensitivity::Normal, 2, 5),
            "2026-12-01",
            &cal,
            None
        )
        .unwrap()
        .session_count,
        4
    );
    let p = run(
        facts(2, Sensitivity::Normal, 2, 6),
        "2026-12-01",
        &cal,
        None,
    )
    .unwrap();
    assert_eq!(p.session_count, 5);
    assert!(p.rationale.iter().any(|r| r.contains("older than 5 years")));
    // The cap: with grade 4 at 8 sessions already, no more.
    let defaults = PlanDefaults {
        sessions_by_grade: vec![3, 4, 5, 8],
        ..Default::default()
    };
    let today = d("2026-11-24");
    let s = clear(today);
    let p = propose(&EngineInput {
        facts: facts(4, Sensitivity::Normal, 2, 20),
        screening: Some(&s),
        start: d("2026-12-01"),
        today,
        calendar: &cal,
        defaults: &defaults,
        adjust: None,
    })
    .unwrap();
    assert_eq!(p.session_count, 8);
}

#[test]
fn interval_by_sensitivity_4_5_6_weeks() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    for (s, w) in [
        (Sensitivity::Resilient, 4),
        (Sensitivity::Normal, 5),
        (Sensitivity::Sensitive, 6),
    ] {
        let p = run(facts(3, s, 2, 1), "2026-12-01", &cal, None).unwrap();
        assert_eq!(p.interval_weeks, w);
        // Every day open: every gap is exactly w weeks.
        assert!(
            gaps_in_days(&p).iter().all(|g| *g == w as i64 * 7),
            "{s:?}: {:?}",
            gaps_in_days(&p)
        );
    }
}

#[test]
fn fitzpatrick_four_to_six_means_at_least_five_weeks_and_a_pih_warning() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    for fitz in 4..=6 {
        let p = run(
            facts(2, Sensitivity::Resilient, fitz, 1),
            "2026-12-01",
            &cal,
            None,
        )
        .unwrap();
        assert_eq!(p.interval_weeks, 5, "type {fitz}");
        assert!(p.warnings.iter().any(|w| w.contains("PIH")));
        // A sensitive skin keeps its longer interval.
        assert_eq!(
            run(
                facts(2, Sensitivity::Sensitive, fitz, 1),
                "2026-12-01",
                &cal,
                None
            )
            .unwrap()
            .interval_weeks,
            6
        );
    }
    let p = run(
        facts(2, Sensitivity::Resilient, 3, 1),
        "2026-12-01",
        &cal,
        None,
    )
    .unwrap();
    assert_eq!(p.interval_weeks, 4);
    assert!(!p.warnings.iter().any(|w| w.contains("PIH")));
}

#[test]
fn maintenance_every_3_4_6_months_within_twelve_months() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    for (s, m, count) in [
        (Sensitivity::Resilient, 3, 4),
        (Sensitivity::Normal, 4, 3),
        (Sensitivity::Sensitive, 6, 2),
    ] {
        let p = run(facts(1, s, 2, 1), "2026-12-01", &cal, None).unwrap();
        let last = p.sessions.last().unwrap().date;
        assert_eq!(p.maintenance.len(), count, "{s:?}");
        assert_eq!(
            p.maintenance[0],
            last.checked_add_months(chrono::Months::new(m)).unwrap()
        );
    }
}

#[test]
fn maintenance_month_ends_clamp_and_chain_from_the_previous_target() {
    // Resilient skin, all days open; arrange the last session on 31 Jan 2027 with
    // a 4-week course: grade 1 = 3 sessions, 3 Jan, 31 Jan... start 3 Jan.
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    let defaults = PlanDefaults {
        sessions_by_grade: vec![1, 4, 5, 6],
        maintenance_months_resilient: 1,
        ..Default::default()
    };
    let today = d("2026-11-24");
    let s = clear(today);
    let p = propose(&EngineInput {
        facts: facts(1, Sensitivity::Resilient, 2, 1),
        screening: Some(&s),
        start: d("2027-01-31"),
        today,
        calendar: &cal,
        defaults: &defaults,
        adjust: None,
    })
    .unwrap();
    assert_eq!(p.sessions[0].date, d("2027-01-31"));
    assert_eq!(p.maintenance[0], d("2027-02-28"));
    assert_eq!(
        p.maintenance[1],
        d("2027-03-28"),
        "from the previous target, not from 31 Jan"
    );
    assert_eq!(p.maintenance.len(), 12);
}

#[test]
fn session_one_is_the_first_open_day_within_seven_days_or_an_error() {
    // Saturday start with weekdays open → Monday.
    let p = run(
        facts(1, Sensitivity::Normal, 2, 1),
        "2026-11-28",
        &weekdays(),
        None,
    )
    .unwrap();
    assert_eq!(p.sessions[0].date, d("2026-11-30"));
    // Closed for two weeks from the start → an error naming the window.
    let closed: Vec<NaiveDate> = (0..14)
        .map(|i| d("2026-12-01") + Duration::days(i))
        .collect();
    let cal = ClinicCalendar::new(&Weekday::ALL, &closed);
    let e = run(
        facts(1, Sensitivity::Normal, 2, 1),
        "2026-12-01",
        &cal,
        None,
    )
    .unwrap_err();
    assert!(
        e.starts_with("start:") && e.contains("2026-12-01") && e.contains("2026-12-08"),
        "{e}"
    );
}

#[test]
fn later_sessions_take_the_open_day_nearest_the_target_earlier_on_a_tie() {
    // Open Mon, Wed, Fri; start Wed 2 Dec 2026; 5 weeks → target Wed 6 Jan 2027, open.
    let cal = ClinicCalendar::new(
        &[Weekday::Mon, Weekday::Wed, Weekday::Fri],
        &[d("2027-01-06")],
    );
    let p = run(
        facts(1, Sensitivity::Normal, 2, 1),
        "2026-12-02",
        &cal,
        None,
    )
    .unwrap();
    // Target Wed 6 Jan is closed: Mon 4 and Fri 8 are both 2 days away → Monday.
    assert_eq!(p.sessions[1].date, d("2027-01-04"));
}

#[test]
fn a_window_without_open_days_is_an_error_that_names_it() {
    // Start 2 Dec; session 2 window [+4 weeks, +5 weeks + 7 days] all closed.
    let closed: Vec<NaiveDate> = (0..40)
        .map(|i| d("2026-12-28") + Duration::days(i))
        .collect();
    let cal = ClinicCalendar::new(&Weekday::ALL, &closed);
    let e = run(
        facts(1, Sensitivity::Normal, 2, 1),
        "2026-12-02",
        &cal,
        None,
    )
    .unwrap_err();
    assert!(
        e.contains("Session 2") && e.contains("2026-12-30") && e.contains("2027-01-13"),
        "{e}"
    );
}

#[test]
fn overrides_need_a_reason_and_may_go_below_the_shortest_interval() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    let no_reason = PlanOverride {
        sessions: Some(2),
        interval_weeks: None,
        reason: "  ".into(),
    };
    assert!(run(
        facts(2, Sensitivity::Normal, 2, 1),
        "2026-12-01",
        &cal,
        Some(&no_reason)
    )
    .unwrap_err()
    .starts_with("reason:"));
    let o = PlanOverride {
        sessions: Some(2),
        interval_weeks: Some(3),
        reason: "Patient travels abroad in February".into(),
    };
    let p = run(
        facts(2, Sensitivity::Normal, 2, 1),
        "2026-12-01",
        &cal,
        Some(&o),
    )
    .unwrap();
    assert_eq!(p.session_count, 2);
    assert_eq!(gaps_in_days(&p), vec![21]);
    assert!(p
        .rationale
        .iter()
        .any(|r| r.contains("Patient travels abroad")));
    assert!(p
        .warnings
        .iter()
        .any(|w| w.contains("shorter than the clinic's shortest")));
}

#[test]
fn screening_rules_reach_the_plan() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    let defaults = PlanDefaults::default();
    let today = d("2026-11-24");
    let input = |s: Option<&ScreeningResult>, adjust: Option<&PlanOverride>| {
        propose(&EngineInput {
            facts: facts(2, Sensitivity::Normal, 2, 1),
            screening: s,
            start: d("2026-12-01"),
            today,
            calendar: &cal,
            defaults: &defaults,
            adjust,
        })
    };
    assert!(input(None, None)
        .unwrap_err()
        .message
        .contains("no screening"));
    let expired = ScreeningResult {
        valid_until: d("2026-11-01"),
        ..clear(today)
    };
    assert!(input(Some(&expired), None)
        .unwrap_err()
        .message
        .contains("expired"));
    let blocked = ScreeningResult {
        allowed: false,
        blocks: vec![Finding {
            condition: Condition::PregnancyOrBreastfeeding,
            kind: RuleKind::Block,
            message: "Pregnancy or breastfeeding.".into(),
        }],
        ..clear(today)
    };
    let e = input(Some(&blocked), None).unwrap_err();
    assert_eq!(e.field, "reason");
    let o = PlanOverride {
        sessions: None,
        interval_weeks: None,
        reason: "Stopped breastfeeding last week; confirmed by GP".into(),
    };
    let p = input(Some(&blocked), Some(&o)).unwrap();
    assert!(p.warnings.iter().any(|w| w.contains("overridden")));
    let washout = ScreeningResult {
        earliest_eligible: Some(d("2027-03-01")),
        ..clear(today)
    };
    let p = input(Some(&washout), None).unwrap();
    assert_eq!(p.sessions[0].date, d("2027-03-01"));
    assert!(p.rationale[0].contains("washout"));
    // A screening that runs out mid-course is a warning naming the session.
    let short = ScreeningResult {
        valid_until: d("2027-01-10"),
        ..clear(today)
    };
    assert!(input(Some(&short), None)
        .unwrap()
        .warnings
        .iter()
        .any(|w| w.contains("renew it before")));
}

fn slots(dates: &[&str], done: usize) -> Vec<Slot> {
    dates
        .iter()
        .enumerate()
        .map(|(i, s)| Slot {
            date: d(s),
            done: i < done,
        })
        .collect()
}

#[test]
fn rescheduling_moves_the_later_sessions_and_keeps_done_ones() {
    let cal = ClinicCalendar::new(&Weekday::ALL, &[]);
    let s = slots(&["2026-12-01", "2027-01-05", "2027-02-09", "2027-03-16"], 1);
    let out = reschedule(&s, 2, d("2027-01-12"), d("2026-12-01"), 5, 4, &cal).unwrap();
    assert_eq!(
        out,
        vec![
            d("2026-12-01"),
            d("2027-01-12"),
            d("2027-02-16"),
            d("2027-03-23")
        ]
    );
    // The done session never moves.
    let e = reschedule(&s, 1, d("2026-12-02"), d("2026-12-01"), 5, 4, &cal).unwrap_err();
    assert!(e.message.contains("done"));
}

#[test]
fn a_move_too_close_to_the_previous_session_names_the_earliest_date() {
    let cal = weekdays();
    let s = slots(&["2026-12-01", "2027-01-05", "2027-02-09"], 1);
    let e = reschedule(&s, 2, d("2026-12-22"), d("2026-12-01"), 5, 4, &cal).unwrap_err();
    assert_eq!(e.field, "date");
    // 1 Dec + 4 weeks = Tue 29 Dec 2026, an open weekday.
    assert!(e.message.contains("2026-12-29"), "{}", e.message);
    // Exactly the earliest date is allowed.
    assert!(reschedule(&s, 2, d("2026-12-29"), d("2026-12-01"), 5, 4, &cal).is_ok());
    // A closed day is refused with the next open day.
    let e = reschedule(&s, 2, d("2027-01-09"), d("2026-12-01"), 5, 4, &cal).unwrap_err();
    assert!(
        e.message.contains("closed") && e.message.contains("2027-01-11"),
        "{}",
        e.message
    );
}

fn any_calendar() -> impl Strategy<Value = ClinicCalendar> {
    (
        prop::collection::vec(any::<bool>(), 7)
            .prop_filter("open at least one day", |v| v.iter().any(|b| *b)),
        prop::collection::vec(0i64..400, 0..40),
    )
        .prop_map(|(open, closed)| {
            let days: Vec<Weekday> = Weekday::ALL
                .into_iter()
                .zip(open)
                .filter(|(_, o)| *o)
                .map(|(w, _)| w)
                .collect();
            let closed: Vec<NaiveDate> = closed
                .iter()
                .map(|i| d("2026-11-01") + Duration::days(*i))
                .collect();
            ClinicCalendar::new(&days, &closed)
        })
}

fn any_sensitivity() -> impl Strategy<Value = Sensitivity> {
    prop_oneof![
        Just(Sensitivity::Sensitive),
        Just(Sensitivity::Normal),
        Just(Sensitivity::Resilient)
    ]
}

/// 2,000 cases per property, or `PROPTEST_CASES` when set (mutation runs use
/// a few: `scripts/mutants.sh`).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn every_plan_holds_the_invariants(
        grade in 1u8..=4,
        fitz in 1u8..=6,
        sens in any_sensitivity(),
        age in 0u32..30,
        start_offset in 0i64..200,
        cal in any_calendar(),
    ) {
        let start = d("2026-11-24") + Duration::days(start_offset);
        let defaults = PlanDefaults::default();
        let today = d("2026-11-24");
        let s = clear(today);
        let result = propose(&EngineInput {
            facts: facts(grade, sens, fitz, age),
            screening: Some(&s),
            start,
            today,
            calendar: &cal,
            defaults: &defaults,
            adjust: None,
        });
        match result {
            Ok(p) => {
                prop_assert_eq!(p.sessions.len() as u32, p.session_count);
                prop_assert!((3..=8).contains(&p.session_count));
                prop_assert!(p.sessions[0].date >= start, "no session before the start date");
                prop_assert!(p.sessions[0].date <= start + Duration::days(7));
                for w in p.sessions.windows(2) {
                    prop_assert!(w[1].date > w[0].date, "dates strictly increase");
                    prop_assert!(w[1].date - w[0].date >= Duration::weeks(4), "gap ≥ the shortest interval");
                    prop_assert!(w[1].date - w[0].date <= Duration::weeks(p.interval_weeks as i64) + Duration::days(7));
                }
                for s in &p.sessions {
                    prop_assert!(cal.is_open(s.date), "session on a closed day {}", s.date);
                }
                let last = p.sessions.last().unwrap().date;
                for (i, r) in p.maintenance.iter().enumerate() {
                    prop_assert!(*r > last, "recalls start after the course");
                    prop_assert!(cal.is_open(*r), "recall on a closed day");
                    if i > 0 { prop_assert!(*r > p.maintenance[i - 1]); }
                }
                prop_assert!(!p.rationale.is_empty());
                if fitz >= 4 { prop_assert!(p.interval_weeks >= 5); }
            }
            Err(e) => {
                // Only a calendar with no open day in a window may stop a plan.
                prop_assert_eq!(e.field.as_str(), "start");
                prop_assert!(e.message.contains("no open day") || e.message.contains("not open"), "{}", e.message);
            }
        }
    }

    #[test]
    fn rescheduling_holds_the_invariants(
        sens in any_sensitivity(),
        cal in any_calendar(),
        start_offset in 0i64..60,
        which in 0usize..6,
        shift in -30i64..60,
        done in 0usize..3,
    ) {
        let defaults = PlanDefaults::default();
        let today = d("2026-11-24");
        let s = clear(today);
        let start = today + Duration::days(start_offset);
        let Ok(p) = propose(&EngineInput {
            facts: facts(4, sens, 2, 1), screening: Some(&s), start, today,
            calendar: &cal, defaults: &defaults, adjust: None,
        }) else { return Ok(()); };
        let slots: Vec<Slot> = p.sessions.iter().enumerate().map(|(i, s)| Slot { date: s.date, done: i < done }).collect();
        let n = (which % slots.len()) as u32 + 1;
        let to = slots[n as usize - 1].date + Duration::days(shift);
        match reschedule(&slots, n, to, start, p.interval_weeks, 4, &cal) {
            Ok(dates) => {
                prop_assert_eq!(dates.len(), slots.len());
                for (i, s) in slots.iter().enumerate() {
                    if s.done { prop_assert_eq!(dates[i], s.date, "done sessions never move"); }
                    if i < n as usize - 1 { prop_assert_eq!(dates[i], s.date, "earlier sessions stay"); }
                }
                prop_assert_eq!(dates[n as usize - 1], to);
                prop_assert!(dates[0] >= start);
                for w in dates.windows(2) {
                    prop_assert!(w[1] > w[0]);
                    prop_assert!(w[1] - w[0] >= Duration::weeks(4));
                }
                for x in &dates { prop_assert!(cal.is_open(*x)); }
            }
            Err(e) => {
                prop_assert!(e.field == "date" || e.field == "start", "{}: {}", e.field, e.message);
                if e.message.contains("earliest allowed date") {
                    prop_assert!(to < (n as usize).checked_sub(2).and_then(|i| slots.get(i)).map_or(start, |p| p.date + Duration::weeks(4)));
                }
            }
        }
    }
}

#[test]
fn weekday_helper_matches_chrono() {
    assert_eq!(
        Weekday::from_chrono(d("2026-11-24").weekday()),
        Weekday::Tue
    );
}

#[test]
fn slow_healing_adds_a_week_up_to_eight_and_an_adverse_event_pauses() {
    use dermis_core::plan::after_healing;
    let d = PlanDefaults::default();
    // Redness of 3 days is normal; 4 is slow.
    assert_eq!(after_healing(5, 3, false, &d).next_interval_weeks, 5);
    assert!(after_healing(5, 3, false, &d).rationale.is_none());
    let slow = after_healing(5, 4, false, &d);
    assert_eq!(slow.next_interval_weeks, 6);
    assert!(slow.rationale.unwrap().contains("redness lasted 4 days"));
    assert_eq!(
        after_healing(8, 6, false, &d).next_interval_weeks,
        8,
        "at most 8 weeks"
    );
    assert_eq!(after_healing(7, 6, false, &d).next_interval_weeks, 8);
    let adverse = after_healing(5, 0, true, &d);
    assert!(adverse.pause);
    assert!(adverse.rationale.unwrap().contains("paused"));
}
