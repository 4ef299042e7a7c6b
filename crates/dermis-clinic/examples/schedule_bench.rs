//! The day grid's data and the clash check on a busy clinic (issue 19):
//! 4 practitioners, 6 rooms, 200,000 past appointments and a full day today.
//!
//!   cargo run -p dermis-clinic --example schedule_bench                 # SQLite file
//!   cargo run -p dermis-clinic --example schedule_bench -- postgresql://…/db   # clinic server
//!
//! Prints p50/p99/max of: `day_view` for today (the grid's one call),
//! `day_view` for a past full day, `bookings` for a week, a refused clashing
//! move (the whole use-case: permission, one write transaction, the day's
//! rows, the rules, rollback), and the pure rule on one day's blocks; and the
//! load average, since two cores are shared.

use chrono::Duration;
use dermis_clinic::core::ids::{PatientId, RoomId, UserId};
use dermis_clinic::core::schedule::{self, Block, BookingKey, Want};
use dermis_clinic::core::{Role, SetupInput};
use dermis_clinic::{BookingInput, Clinic, MoveInput};
use std::sync::Arc;
use std::time::Instant;

fn figures(name: &str, mut t: Vec<f64>) {
    t.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<44} n={:<5} p50={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms",
        t.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let s = Instant::now();
            std::hint::black_box(f());
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = std::env::args().nth(1);
    let count: usize = std::env::var("DERMIS_BENCH_APPOINTMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir()?;
    let clinic = match &target {
        Some(url) => Clinic::with_store(
            dermis_store::Store::open_pg(url, None)?,
            Arc::new(dermis_clinic::SystemClock),
        )?,
        None => Clinic::open(&dir.path().join("bench.db"))?,
    };
    let backend = if target.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let admin = clinic.setup(&SetupInput {
        clinic_name: "Bench".into(),
        clinic_address: String::new(),
        clinic_phone: String::new(),
        admin_username: "owner".into(),
        admin_display_name: "Owner".into(),
        password: "plum kettle harbour velvet".into(),
    })?;
    for n in ["bea", "cal", "dee"] {
        clinic.create_user(
            &admin,
            n,
            &format!("Dr {n}"),
            "a long password",
            &[Role::Practitioner],
        )?;
    }
    clinic.create_user(
        &admin,
        "desk",
        "Desk",
        "a long password",
        &[Role::Receptionist],
    )?;
    let desk = clinic.login(&dermis_clinic::core::LoginInput {
        username: "desk".into(),
        password: "a long password".into(),
    })?;
    let rooms: Vec<RoomId> = (1..=6)
        .map(|i| clinic.add_room(&admin, &format!("Room {i}")).map(|r| r.id))
        .collect::<Result<_, _>>()?;
    let people: Vec<UserId> = clinic
        .practitioners(&admin)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(people.len(), 4);
    let today = clinic.today();
    let seed = Instant::now();
    clinic.create_patients_bulk(&admin, &dermis_clinic::demo::demo_patients(5_000, 1, today))?;
    dermis_clinic::demo::add_appointment_history(&clinic, &admin, count, 5_000)?;
    // A full day ahead: the next open day, every practitioner booked 09:00–17:00 in 30-minute visits.
    let mut day = today + Duration::days(1);
    while clinic
        .day_view(&desk, &day.to_string())?
        .practitioners
        .iter()
        .all(|p| p.start.is_none())
    {
        day += Duration::days(1);
    }
    let mut first = None;
    for (i, who) in people.iter().enumerate() {
        for slot in 0..16u32 {
            let b = clinic.book_appointment(
                &desk,
                &BookingInput {
                    patient_id: PatientId(1 + (i as i64) * 16 + i64::from(slot)),
                    kind: "consultation".into(),
                    date: day.to_string(),
                    time: schedule::hhmm(9 * 60 + slot * 30),
                    minutes: Some(30),
                    numbing_minutes: None,
                    practitioner_id: *who,
                    room_id: rooms[i],
                },
            )?;
            first.get_or_insert(b.key);
        }
    }
    println!(
        "{backend}: {count} past appointments, 4 practitioners, 6 rooms, 64 bookings on {day}; seeded in {:.1} s",
        seed.elapsed().as_secs_f64()
    );
    let past = day - Duration::days(14);
    let n = 500;
    figures(
        "day_view (the day grid, 64 bookings)",
        time(n, || {
            clinic
                .day_view(&desk, &day.to_string())
                .map(|d| d.bookings.len())
        }),
    );
    figures(
        "day_view (a past day)",
        time(n, || {
            clinic
                .day_view(&desk, &past.to_string())
                .map(|d| d.bookings.len())
        }),
    );
    let week = (day + Duration::days(6)).to_string();
    figures(
        "bookings (a week)",
        time(200, || {
            clinic
                .bookings(&desk, &day.to_string(), &week)
                .map(|b| b.len())
        }),
    );
    let key: BookingKey = first.ok_or("nothing booked")?;
    let clash = MoveInput {
        time: "09:45".into(),
        ..Default::default()
    };
    let refused = clinic.move_booking(&desk, key, None, &clash);
    assert!(
        matches!(&refused, Err(e) if e.code() == dermis_clinic::ErrorCode::Conflict),
        "{refused:?}"
    );
    figures(
        "clash check: a refused move (whole use-case)",
        time(n, || clinic.move_booking(&desk, key, None, &clash).is_err()),
    );
    // The rule alone on that day's blocks.
    let rows = clinic.bookings(&desk, &day.to_string(), &day.to_string())?;
    let blocks: Vec<Block> = rows
        .iter()
        .map(|b| Block {
            key: b.key,
            date: b.date,
            start: b.time.as_deref().and_then(schedule::minute_of).unwrap_or(0),
            minutes: b.minutes,
            practitioner: b.practitioner_id,
            practitioner_name: String::new(),
            room: b.room_id,
            room_name: String::new(),
            patient_number: b.patient_number.clone(),
        })
        .collect();
    let want = Want {
        date: day,
        start: 9 * 60 + 45,
        minutes: 30,
        practitioner: people[0],
        practitioner_name: String::new(),
        room: rooms[5],
        room_name: String::new(),
        moving: None,
    };
    figures(
        "clash check: the day's rows + the rule",
        time(n, || {
            clinic
                .bookings(&desk, &day.to_string(), &day.to_string())
                .map(|rows| {
                    rows.len()
                        + usize::from(
                            schedule::check(&want, &blocks, true, Some((540, 1020))).is_err(),
                        )
                })
        }),
    );
    figures(
        "clash check: the rule on the day's blocks",
        time(10_000, || {
            schedule::check(&want, &blocks, true, Some((540, 1020))).is_err()
        }),
    );
    println!(
        "load average: {}",
        std::fs::read_to_string("/proc/loadavg")?.trim()
    );
    Ok(())
}
