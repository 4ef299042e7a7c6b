//! The settings a clinic can edit (PRODUCT.md 4.4's defaults table, the
//! calendar, the clinic-wide settings): each number exactly at its limits is
//! kept and one past them is refused, naming the field.

use crate::common::*;
use dermis_core::settings::{
    validate, validate_clinic_details, validate_clinic_settings, ClinicCalendar, ClinicDetails,
    ClinicSettings, PlanDefaults, PlanSettings, Weekday, AFTERCARE_TEMPLATE_MAX_CHARS,
};

fn with(f: impl FnOnce(&mut PlanDefaults)) -> PlanSettings {
    let mut s = PlanSettings::default();
    f(&mut s.defaults);
    s
}

fn fields(s: &PlanSettings) -> Vec<String> {
    match validate(s) {
        Ok(()) => vec![],
        Err(e) => e.fields().iter().map(|f| f.field.clone()).collect(),
    }
}

type Set = fn(&mut PlanDefaults, u32);

/// Each plain range: (field, lowest, highest, setter). The cross-field rules
/// are kept satisfied by the values chosen in the test.
fn ranges() -> Vec<(&'static str, u32, u32, Set)> {
    vec![
        ("old_scar_years", 1, 50, |d, v| d.old_scar_years = v),
        ("old_scar_extra_sessions", 0, 4, |d, v| {
            d.old_scar_extra_sessions = v
        }),
        ("slow_healing_extra_weeks", 0, 8, |d, v| {
            d.slow_healing_extra_weeks = v
        }),
        ("maintenance_months_resilient", 1, 24, |d, v| {
            d.maintenance_months_resilient = v
        }),
        ("maintenance_months_normal", 1, 24, |d, v| {
            d.maintenance_months_normal = v
        }),
        ("maintenance_months_sensitive", 1, 24, |d, v| {
            d.maintenance_months_sensitive = v
        }),
        ("recall_horizon_months", 1, 36, |d, v| {
            d.recall_horizon_months = v
        }),
        ("screening_validity_months", 1, 36, |d, v| {
            d.screening_validity_months = v
        }),
        ("dark_skin_min_interval_weeks", 1, 26, |d, v| {
            d.dark_skin_min_interval_weeks = v
        }),
    ]
}

#[test]
fn every_setting_is_kept_at_its_limits_and_refused_one_past_them() {
    for (field, lo, hi, set) in ranges() {
        for v in [lo, hi] {
            assert_eq!(
                fields(&with(|d| set(d, v))),
                Vec::<String>::new(),
                "{field} = {v}"
            );
        }
        let mut past = vec![hi + 1];
        if lo > 0 {
            past.push(lo - 1);
        }
        for v in past {
            let s = with(|d| set(d, v));
            let e = validate(&s).unwrap_err();
            assert_eq!(e.fields().len(), 1, "{field} = {v}");
            assert_eq!(e.fields()[0].field, format!("defaults.{field}"));
            assert!(
                e.fields()[0]
                    .message
                    .starts_with(&format!("Between {lo} and {hi} ")),
                "{}",
                e.fields()[0].message
            );
            assert!(e.fields()[0].message.ends_with(&format!("not {v}.")));
        }
    }
}

#[test]
fn the_intervals_are_kept_from_one_to_twenty_six_weeks() {
    // All intervals at 1 (shortest 1) and at 26 (longest 26).
    let low = with(|d| {
        d.interval_weeks_resilient = 1;
        d.interval_weeks_normal = 1;
        d.interval_weeks_sensitive = 1;
        d.shortest_interval_weeks = 1;
        d.dark_skin_min_interval_weeks = 1;
    });
    assert_eq!(fields(&low), Vec::<String>::new());
    let high = with(|d| {
        d.interval_weeks_resilient = 26;
        d.interval_weeks_normal = 26;
        d.interval_weeks_sensitive = 26;
        d.max_interval_weeks = 26;
    });
    assert_eq!(fields(&high), Vec::<String>::new());
    for (field, set) in [
        (
            "interval_weeks_resilient",
            (|d, v| d.interval_weeks_resilient = v) as Set,
        ),
        ("interval_weeks_normal", |d, v| d.interval_weeks_normal = v),
        ("interval_weeks_sensitive", |d, v| {
            d.interval_weeks_sensitive = v
        }),
        ("shortest_interval_weeks", |d, v| {
            d.shortest_interval_weeks = v
        }),
        ("max_interval_weeks", |d, v| d.max_interval_weeks = v),
    ] {
        let mut s = high.clone();
        set(&mut s.defaults, 27);
        assert!(
            fields(&s).contains(&format!("defaults.{field}")),
            "{field} = 27"
        );
        let mut s = low.clone();
        set(&mut s.defaults, 0);
        assert!(
            fields(&s).contains(&format!("defaults.{field}")),
            "{field} = 0"
        );
    }
}

#[test]
fn sessions_per_grade_are_one_to_twelve_for_exactly_four_grades() {
    let s = with(|d| {
        d.sessions_by_grade = vec![1, 1, 1, 12];
        d.max_sessions = 12;
    });
    assert_eq!(fields(&s), Vec::<String>::new());
    let s = with(|d| {
        d.sessions_by_grade = vec![0, 4, 5, 13];
        d.max_sessions = 12;
    });
    let e = validate(&s).unwrap_err();
    let messages: Vec<&str> = e
        .fields()
        .iter()
        .filter(|f| f.field == "defaults.sessions_by_grade")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "Grade 1: between 1 and 12 sessions, not 0.",
            "Grade 4: between 1 and 12 sessions, not 13."
        ]
    );
    for wrong in [vec![3, 4, 5], vec![3, 4, 5, 6, 7]] {
        let s = with(|d| d.sessions_by_grade = wrong);
        assert_eq!(fields(&s), ["defaults.sessions_by_grade"]);
    }
}

#[test]
fn the_most_sessions_may_equal_the_grade_four_sessions_but_not_be_fewer() {
    assert_eq!(fields(&with(|d| d.max_sessions = 6)), Vec::<String>::new());
    assert_eq!(
        fields(&with(|d| d.max_sessions = 5)),
        ["defaults.max_sessions"]
    );
    // And 1–12 on its own.
    assert_eq!(
        fields(&with(|d| d.max_sessions = 13)),
        ["defaults.max_sessions"]
    );
}

#[test]
fn the_shortest_interval_may_equal_every_usual_interval_but_not_exceed_one() {
    // Shortest 4 = resilient 4: fine.
    assert_eq!(fields(&PlanSettings::default()), Vec::<String>::new());
    let s = with(|d| d.shortest_interval_weeks = 5);
    assert_eq!(fields(&s), ["defaults.shortest_interval_weeks"]);
    let s = with(|d| {
        d.interval_weeks_resilient = 6;
        d.shortest_interval_weeks = 6;
        d.max_interval_weeks = 8;
        d.interval_weeks_normal = 5;
    });
    assert_eq!(fields(&s), ["defaults.shortest_interval_weeks"]);
}

#[test]
fn the_settings_refuse_a_sensitive_skin_interval_below_the_shortest_interval() {
    // Three weeks for sensitive skin with a shortest of four.
    let s = with(|d| d.interval_weeks_sensitive = 3);
    let e = validate(&s).unwrap_err();
    assert_eq!(e.fields().len(), 1, "{:?}", e.fields());
    assert_eq!(e.fields()[0].field, "defaults.shortest_interval_weeks");
    assert_eq!(
        e.fields()[0].message,
        "The shortest interval cannot be longer than the usual intervals."
    );
    // Equal to it is fine.
    assert_eq!(
        fields(&with(|d| d.interval_weeks_sensitive = 4)),
        Vec::<String>::new()
    );
}

#[test]
fn the_longest_interval_may_equal_every_usual_interval_but_not_be_shorter_than_one() {
    assert_eq!(
        fields(&with(|d| d.max_interval_weeks = 6)),
        Vec::<String>::new()
    );
    assert_eq!(
        fields(&with(|d| d.max_interval_weeks = 5)),
        ["defaults.max_interval_weeks"]
    );
    // Normal above sensitive: the longest must still cover it.
    let s = with(|d| {
        d.interval_weeks_normal = 9;
        d.interval_weeks_sensitive = 6;
    });
    assert_eq!(fields(&s), ["defaults.max_interval_weeks"]);
    // A resilient interval above the longest is refused too.
    let s = with(|d| d.interval_weeks_resilient = 9);
    assert_eq!(fields(&s), ["defaults.max_interval_weeks"]);
}

#[test]
fn a_clinic_closed_every_day_of_the_week_is_refused() {
    let mut s = PlanSettings::default();
    s.open_weekdays.clear();
    assert_eq!(fields(&s), ["open_weekdays"]);
    s.open_weekdays = vec![Weekday::Sat];
    assert_eq!(fields(&s), Vec::<String>::new());
}

// ---- The calendar.

#[test]
fn a_closed_date_and_a_closed_weekday_are_both_closed() {
    let cal = ClinicCalendar::from_settings(&PlanSettings {
        closed_dates: vec![d("2026-12-25")],
        ..Default::default()
    });
    assert!(cal.is_open(d("2026-12-24")));
    assert!(!cal.is_open(d("2026-12-25")), "a closed date");
    assert!(!cal.is_open(d("2026-12-26")), "a Saturday");
    assert!(!cal.is_open(d("2026-12-27")), "a Sunday");
    assert!(cal.is_open(d("2026-12-28")));
    assert_eq!(cal.first_open_from(d("2026-12-25")), Some(d("2026-12-28")));
    assert_eq!(cal.first_open_from(d("2026-12-24")), Some(d("2026-12-24")));
}

#[test]
fn the_first_open_day_is_looked_for_a_year_ahead_and_no_further() {
    let from = d("2026-11-30");
    let day = |n: i64| from + chrono::Duration::days(n);
    // Open 366 days on: found. Open only 367 days on: not found.
    let cal = only_open(from, day(400), &[day(366)]);
    assert_eq!(cal.first_open_from(from), Some(day(366)));
    let cal = only_open(from, day(400), &[day(367)]);
    assert_eq!(cal.first_open_from(from), None);
    // The last day a date can be: no panic.
    let all = ClinicCalendar::new(
        &Weekday::ALL,
        &[chrono::NaiveDate::MAX - chrono::Duration::days(1)],
    );
    assert_eq!(
        all.first_open_from(chrono::NaiveDate::MAX - chrono::Duration::days(1)),
        Some(chrono::NaiveDate::MAX)
    );
}

#[test]
fn the_nearest_open_day_stays_inside_its_window() {
    let cal = ClinicCalendar::new(&[Weekday::Mon], &[]);
    // Target Wed 2 Dec; Mondays 30 Nov and 7 Dec.
    assert_eq!(
        cal.nearest_open(d("2026-12-02"), d("2026-12-01"), d("2026-12-07")),
        Some(d("2026-12-07"))
    );
    assert_eq!(
        cal.nearest_open(d("2026-12-02"), d("2026-11-30"), d("2026-12-06")),
        Some(d("2026-11-30"))
    );
    assert_eq!(
        cal.nearest_open(d("2026-12-02"), d("2026-12-01"), d("2026-12-06")),
        None
    );
    // The last day the calendar can hold ends the search without a panic.
    let all = ClinicCalendar::new(&Weekday::ALL, &[]);
    let max = chrono::NaiveDate::MAX;
    assert_eq!(all.nearest_open(max, max, max), Some(max));
}

#[test]
fn weekdays_round_trip_and_parse_from_their_full_names() {
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for (w, name) in Weekday::ALL.into_iter().zip(names) {
        assert_eq!(w.as_str(), name);
        assert_eq!(Weekday::parse(name), Some(w));
    }
    assert_eq!(Weekday::parse(" Saturday "), Some(Weekday::Sat));
    assert_eq!(Weekday::parse("THURS"), Some(Weekday::Thu));
    assert_eq!(Weekday::parse("holiday"), None);
    for (c, w) in [
        (chrono::Weekday::Mon, Weekday::Mon),
        (chrono::Weekday::Sun, Weekday::Sun),
        (chrono::Weekday::Wed, Weekday::Wed),
    ] {
        assert_eq!(Weekday::from_chrono(c), w);
    }
}

// ---- Clinic-wide settings.

#[test]
fn the_lock_is_one_to_240_minutes_and_backups_one_to_365() {
    let ok = |idle, kept| {
        validate_clinic_settings(&ClinicSettings {
            idle_lock_minutes: idle,
            backups_kept: kept,
            ..Default::default()
        })
    };
    for (idle, kept) in [(1, 1), (240, 365)] {
        let v = ok(idle, kept).unwrap();
        assert_eq!((v.idle_lock_minutes, v.backups_kept), (idle, kept));
    }
    let e = ok(241, 366).unwrap_err();
    let f: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(f, ["idle_lock_minutes", "backups_kept"]);
    let e = ok(0, 0).unwrap_err();
    assert_eq!(e.fields().len(), 2);
}

#[test]
fn a_backup_folder_must_be_a_full_path() {
    let folder = |p: &str| {
        validate_clinic_settings(&ClinicSettings {
            backup_folder: p.into(),
            ..Default::default()
        })
    };
    for good in [
        "/media/usb",
        "C:\\Backups",
        "d:/dermis",
        "\\\\nas\\share",
        "  /mnt/x  ",
        "",
    ] {
        let v = folder(good).unwrap();
        assert_eq!(v.backup_folder, good.trim());
    }
    for bad in [
        "backups",
        "C:",
        "C:backups",
        "1:\\x",
        "\\single",
        "~/backups",
        "CC:\\x",
    ] {
        let e = folder(bad).unwrap_err();
        assert_eq!(e.fields()[0].field, "backup_folder", "{bad}");
    }
}

#[test]
fn the_aftercare_text_holds_6000_characters_and_is_cleaned() {
    assert_eq!(AFTERCARE_TEMPLATE_MAX_CHARS, 6000);
    let s = |t: String| {
        validate_clinic_settings(&ClinicSettings {
            aftercare_template: t,
            ..Default::default()
        })
    };
    let v = s("é".repeat(6000)).unwrap();
    assert_eq!(v.aftercare_template.chars().count(), 6000);
    let e = s("é".repeat(6001)).unwrap_err();
    assert_eq!(e.fields()[0].field, "aftercare_template");
    assert_eq!(
        e.fields()[0].message,
        "The aftercare text is too long: 6001 characters, the limit is 6000."
    );
    let v = s("  Day 1:  rest \n\n Day 2 ".into()).unwrap();
    assert_eq!(v.aftercare_template, "Day 1: rest\n\nDay 2");
    assert_eq!(v.paper, ClinicSettings::default().paper);
}

#[test]
fn the_letterhead_keeps_its_cleaned_fields() {
    let v = validate_clinic_details(&ClinicDetails {
        name: "  Clínica  Sol ".into(),
        address: " Rua 1 \n Lisboa ".into(),
        phone: "+351 21 000 0000".into(),
        email: " info@sol.pt ".into(),
    })
    .unwrap();
    assert_eq!(v.name, "Clínica Sol");
    assert_eq!(v.address, "Rua 1\nLisboa");
    assert_eq!(v.phone, "+351 21 000 0000");
    assert_eq!(v.email, "info@sol.pt");
    let e = validate_clinic_details(&ClinicDetails {
        name: "Sol".into(),
        address: "a".repeat(501),
        phone: String::new(),
        email: String::new(),
    })
    .unwrap_err();
    assert_eq!(e.fields()[0].field, "address");
}
