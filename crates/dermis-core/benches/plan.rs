//! The plan engine: proposing one plan (`plan::propose`, through `preview`,
//! which calls it with a clear screening) over a spread of skin profiles and
//! start dates on a calendar with weekends and 30 closed dates, and
//! rescheduling the second session of a 6-session plan (`plan::reschedule`).
//!
//!   cargo bench -p dermis-core --bench plan
//!
//! Every call is timed alone; median and 99th percentile go to
//! target/bench-results/plan.{md,tsv} (bench mode only).

use chrono::{Duration as Days, NaiveDate};
use criterion::Criterion;
use dermis_core::assessment::Sensitivity;
use dermis_core::plan::{preview, reschedule, SkinFacts, Slot};
use dermis_core::settings::{ClinicCalendar, PlanDefaults, Weekday};
use std::cell::{Cell, RefCell};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const BUDGET: Duration = Duration::from_micros(100);

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn time_each<T>(into: &RefCell<Vec<Duration>>, iters: u64, mut f: impl FnMut() -> T) -> Duration {
    let mut total = Duration::ZERO;
    let mut v = into.borrow_mut();
    for _ in 0..iters {
        let t = Instant::now();
        let out = f();
        let e = t.elapsed();
        black_box(out);
        total += e;
        v.push(e);
    }
    total
}

fn stats(v: &RefCell<Vec<Duration>>) -> Option<(Duration, Duration, usize)> {
    let mut v = v.borrow().clone();
    if v.is_empty() {
        return None;
    }
    v.sort();
    let at = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    Some((at(0.5), at(0.99), v.len()))
}

fn main() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("a date");
    let defaults = PlanDefaults::default();
    let holidays: Vec<NaiveDate> = (0..30)
        .map(|i| d(2026, 12, 1) + Days::days(i * 13))
        .collect();
    use Weekday::*;
    let cal = ClinicCalendar::new(&[Mon, Tue, Wed, Thu, Fri], &holidays);
    let start = d(2026, 11, 24);
    let sens = [
        Sensitivity::Sensitive,
        Sensitivity::Normal,
        Sensitivity::Resilient,
    ];
    let profile = |round: u32| {
        (
            SkinFacts {
                grade: (round % 4) as u8 + 1,
                fitzpatrick: (round % 6) as u8 + 1,
                sensitivity: sens[(round % 3) as usize],
                scar_age_years: round % 10,
            },
            start + Days::days((round % 90) as i64),
        )
    };
    for round in 0..360 {
        let (facts, s) = profile(round);
        assert!(
            preview(facts, s, &cal, &defaults).is_ok(),
            "profile {round} proposes a plan"
        );
    }
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
    .expect("a plan");
    assert_eq!(
        six.sessions.len(),
        6,
        "the reschedule bench needs a 6-session plan"
    );
    let slots: Vec<Slot> = six
        .sessions
        .iter()
        .map(|s| Slot {
            date: s.date,
            done: false,
        })
        .collect();

    let proposed = RefCell::new(Vec::new());
    let moved = RefCell::new(Vec::new());
    let round = Cell::new(0u32);
    let mut c = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .configure_from_args();
    c.bench_function("plan/propose", |b| {
        b.iter_custom(|iters| {
            time_each(&proposed, iters, || {
                let r = round.get().wrapping_add(1);
                round.set(r);
                let (facts, s) = profile(r);
                preview(black_box(facts), black_box(s), &cal, &defaults)
            })
        })
    });
    c.bench_function("plan/reschedule-6", |b| {
        b.iter_custom(|iters| {
            time_each(&moved, iters, || {
                let r = round.get().wrapping_add(1);
                round.set(r);
                let to = slots[1].date + Days::days((r % 5) as i64);
                reschedule(black_box(&slots), 2, to, start, six.interval_weeks, 4, &cal)
            })
        })
    });
    c.final_summary();

    let mut rows = String::new();
    let mut tsv = String::from("what\tmedian_us\tp99_us\tcalls\tbudget_us\n");
    for (id, what, v) in [
        (
            "plan/propose",
            "propose one plan (`plan::propose`)",
            &proposed,
        ),
        (
            "plan/reschedule-6",
            "reschedule session 2 of 6 (`plan::reschedule`)",
            &moved,
        ),
    ] {
        let Some((med, p99, n)) = stats(v) else {
            continue;
        };
        let us = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1e6);
        let verdict = if p99 <= BUDGET { "met" } else { "**missed**" };
        rows.push_str(&format!(
            "| {what} | {} | {} | {n} | ≤ 100 | {verdict} |\n",
            us(med),
            us(p99)
        ));
        tsv.push_str(&format!("{id}\t{}\t{}\t{n}\t100\n", us(med), us(p99)));
    }
    let md = format!(
        "Plan engine:\n\n| operation | median µs | p99 µs | calls | budget µs | budget |\n|---|---:|---:|---:|---:|---|\n{rows}"
    );
    println!("\n{md}");
    if bench_mode() {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
        let dir = target.join("bench-results");
        std::fs::create_dir_all(&dir).expect("create target/bench-results");
        std::fs::write(dir.join("plan.md"), md).expect("write plan.md");
        std::fs::write(dir.join("plan.tsv"), tsv).expect("write plan.tsv");
        eprintln!("bench: wrote {}", dir.join("plan.md").display());
    }
}
