//! Times the plan engine: proposing a plan and rescheduling inside a 6-session
//! plan, over a spread of skin profiles and start dates.
//!
//!   cargo run --release -p dermis-core --example plan_timing

use chrono::{Duration, NaiveDate};
use dermis_core::assessment::Sensitivity;
use dermis_core::plan::{preview, reschedule, SkinFacts, Slot};
use dermis_core::settings::{ClinicCalendar, PlanDefaults, Weekday};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let defaults = PlanDefaults::default();
    let holidays: Vec<NaiveDate> = (0..30)
        .map(|i| NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + Duration::days(i * 13))
        .collect();
    let cal = ClinicCalendar::new(
        &[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        &holidays,
    );
    let start = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let sens = [
        Sensitivity::Sensitive,
        Sensitivity::Normal,
        Sensitivity::Resilient,
    ];
    let mut times = Vec::new();
    for round in 0..20_000u32 {
        let facts = SkinFacts {
            grade: (round % 4) as u8 + 1,
            fitzpatrick: (round % 6) as u8 + 1,
            sensitivity: sens[(round % 3) as usize],
            scar_age_years: round % 10,
        };
        let s = start + Duration::days((round % 90) as i64);
        let t = Instant::now();
        let p = black_box(preview(facts, s, &cal, &defaults));
        times.push(t.elapsed());
        assert!(p.is_ok());
    }
    times.sort();
    println!(
        "propose: median {:.1} µs, p99 {:.1} µs over {} plans",
        times[times.len() / 2].as_secs_f64() * 1e6,
        times[times.len() * 99 / 100].as_secs_f64() * 1e6,
        times.len()
    );

    let six = preview(
        SkinFacts {
            grade: 4,
            fitzpatrick: 2,
            sensitivity: Sensitivity::Normal,
            scar_age_years: 1,
        },
        start,
        &cal,
        &defaults,
    )
    .unwrap();
    let slots: Vec<Slot> = six
        .sessions
        .iter()
        .map(|s| Slot {
            date: s.date,
            done: false,
        })
        .collect();
    let mut times = Vec::new();
    for round in 0..20_000i64 {
        let to = slots[1].date + Duration::days(round % 5);
        let t = Instant::now();
        let r = black_box(reschedule(
            &slots,
            2,
            to,
            start,
            six.interval_weeks,
            4,
            &cal,
        ));
        times.push(t.elapsed());
        black_box(r.ok());
    }
    times.sort();
    println!(
        "reschedule (6-session plan, session 2): median {:.1} µs, p99 {:.1} µs",
        times[times.len() / 2].as_secs_f64() * 1e6,
        times[times.len() * 99 / 100].as_secs_f64() * 1e6
    );
}
