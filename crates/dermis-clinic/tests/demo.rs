//! The demo-data generator as the README's first command, the benchmarks and
//! the crash harness meet it (issue 24): the clinical demo makes a plan per
//! patient and spreads the first sessions over the day's slots; the
//! appointment history is written on open days before today, clash free,
//! each practitioner in one room all day, and refused (with nothing written)
//! when the clinic has no room or no patients, or the caller is not the admin.
//! The living demo (the README's first command) as a clinician would look at
//! it: a past and a future with both practitioners and every room, records
//! complete and recorded by the practitioner booked, no past visit left
//! undone; the generated patients' languages and consent signatures.

use chrono::{Datelike, Duration, NaiveDate};
use dermis_clinic::core::ids::{PatientId, UserId};
use dermis_clinic::core::plan::{PlanStatus, SessionStatus};
use dermis_clinic::core::schedule::{Booking, BookingStatus};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::demo::{add_appointment_history, add_clinical_demo, demo_patients};
use dermis_clinic::{Actor, Clinic, ClinicError, FixedClock};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

// Tuesday 24 November 2026.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

const PASSWORD: &str = "a long password";

struct World {
    c: Clinic,
    /// The owner: admin and practitioner ("Owner").
    admin: Actor,
    /// Dr Bea, practitioner only.
    bea: Actor,
    /// Sam at the desk.
    desk: Actor,
}

/// A clinic with the owner and Dr Bea treating, a receptionist, no room and
/// no patient yet.
fn world() -> World {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(today()))).unwrap();
    let admin = c
        .setup(&SetupInput {
            clinic_name: "C".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "owner".into(),
            admin_display_name: "Owner".into(),
            password: "plum kettle harbour velvet".into(),
        })
        .unwrap();
    for (name, display, role) in [
        ("bea", "Dr Bea", Role::Practitioner),
        ("desk", "Sam", Role::Receptionist),
    ] {
        c.create_user(&admin, name, display, PASSWORD, &[role])
            .unwrap();
    }
    let sign_in = |u: &str| {
        c.login(&LoginInput {
            username: u.into(),
            password: PASSWORD.into(),
        })
        .unwrap()
    };
    let bea = sign_in("bea");
    let desk = sign_in("desk");
    World {
        c,
        admin,
        bea,
        desk,
    }
}

fn add_patients(w: &World, n: usize) -> Vec<PatientId> {
    (0..n)
        .map(|i| {
            w.c.create_patient(
                &w.admin,
                &PatientInput {
                    first_name: format!("Pat{i}"),
                    last_name: "Lee".into(),
                    date_of_birth: "1990-01-01".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        })
        .collect()
}

/// Every booking of the 60 days before today.
fn past(w: &World) -> Vec<Booking> {
    w.c.bookings(
        &w.admin,
        &(today() - Duration::days(60)).to_string(),
        &(today() - Duration::days(1)).to_string(),
    )
    .unwrap()
}

fn minutes(hhmm: &str) -> u32 {
    let (h, m) = hhmm.split_once(':').unwrap();
    h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
}

/// The details of the audit entries of `action`, oldest first.
fn audited(w: &World, action: &str) -> Vec<String> {
    w.c.audit_log(&w.admin)
        .unwrap()
        .into_iter()
        .filter(|r| r.entry.action == action)
        .map(|r| r.entry.detail)
        .collect()
}

#[test]
fn the_clinical_demo_plans_every_patient_it_screens_and_says_how_many() {
    let w = world();
    w.c.add_room(&w.admin, "Room 1").unwrap();
    w.c.add_room(&w.admin, "Room 2").unwrap();
    // Seed 11 gives a warning screening (herpes simplex) to some of them.
    let people = demo_patients(10, 11, today());
    w.c.create_patients_bulk(&w.admin, &people).unwrap();
    let made = add_clinical_demo(&w.c, &w.admin, 8, 11).unwrap();
    let planned: Vec<bool> = (1..=10)
        .map(|id| !w.c.plans(&w.admin, PatientId(id)).unwrap().is_empty())
        .collect();
    let screened = (1..=10)
        .filter(|id| !w.c.screenings(&w.admin, PatientId(*id)).unwrap().is_empty())
        .count();
    assert_eq!(screened, 8, "the first 8 patients are screened");
    assert_eq!(
        made,
        planned.iter().filter(|p| **p).count(),
        "the count returned is the plans made: {planned:?}"
    );
    assert_eq!(made, 8, "every screened patient gets a plan: {planned:?}");
    assert!(
        !planned[8] && !planned[9],
        "patients 9 and 10 are left alone"
    );
    // Some start today (the first and the eighth), the rest within four weeks.
    for id in 1..=8 {
        let plan = &w.c.plans(&w.admin, PatientId(id)).unwrap()[0];
        let first = plan.sessions[0].date;
        if id == 1 || id == 8 {
            assert_eq!(first, today(), "patient {id}");
        } else {
            assert!(
                first >= today() && first <= today() + Duration::days(30),
                "{first}"
            );
        }
    }
}

#[test]
fn the_crash_harness_records_a_first_session_today_and_returns_its_id() {
    let w = world();
    // Two patients, so that the ids returned are not all 1.
    for p in add_patients(&w, 2) {
        dermis_clinic::demo::sign_demo_consent(&w.c, &w.admin, p, 1).unwrap();
        let id = dermis_clinic::demo::record_first_session(&w.c, &w.admin, p, today()).unwrap();
        let records = w.c.session_records(&w.admin, p).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(
            (records[0].id.0, records[0].n, records[0].date),
            (id, 1, today())
        );
        // What a real first session writes (the crash harness checks that a
        // killed write leaves all of it or none): the device, the cartridge
        // lot (the lot trace) and the depth, after an assessment with scars.
        let r = &records[0];
        assert_eq!(
            (r.device.as_str(), r.cartridge_lot.as_str(), r.depths.len()),
            ("Demo pen", "DEMO-1", 1)
        );
        let a = w.c.assessments(&w.admin, p).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].counts.moderate, 8, "{:?}", a[0].counts);
        assert!(a[0].score > 0);
    }
}

#[test]
fn the_demo_first_sessions_are_spread_over_the_days_slots() {
    let w = world();
    w.c.add_room(&w.admin, "Room 1").unwrap();
    w.c.add_room(&w.admin, "Room 2").unwrap();
    let people = demo_patients(8, 11, today());
    w.c.create_patients_bulk(&w.admin, &people).unwrap();
    add_clinical_demo(&w.c, &w.admin, 8, 11).unwrap();
    let slots = [
        "09:00", "09:45", "10:30", "11:15", "13:30", "14:15", "15:00", "16:30",
    ];
    let mut timed = 0;
    for (i, id) in (1..=8).enumerate() {
        let plans = w.c.plans(&w.admin, PatientId(id)).unwrap();
        let Some(plan) = plans.first() else {
            panic!("patient {id} has no plan")
        };
        let first = &plan.sessions[0];
        // A time refused for a clash leaves the session on its day untimed.
        if let Some(t) = &first.time {
            assert_eq!(t, slots[i % 8], "patient {id}'s first session");
            timed += 1;
        }
    }
    assert!(timed >= 6, "{timed} of 8 first sessions got their slot");
}

/// The owner (admin and practitioner) in Room 1, Dr Bea in Room 2, a third
/// room nobody is given; Monday 23 November closed; `patients` patients.
fn history_world(patients: usize) -> (World, Vec<PatientId>, Vec<UserId>) {
    let w = world();
    let mut s = w.c.plan_settings(&w.admin).unwrap();
    s.closed_dates = vec![day(23)];
    w.c.update_plan_settings(&w.admin, &s).unwrap();
    for r in ["Room 1", "Room 2", "Room 3"] {
        w.c.add_room(&w.admin, r).unwrap();
    }
    let ids = add_patients(&w, patients);
    let who =
        w.c.practitioners(&w.admin)
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
    (w, ids, who)
}

#[test]
fn the_demo_history_is_clash_free_and_on_the_open_days_before_today() {
    let (w, ids, who) = history_world(5);
    assert_eq!(who.len(), 2);
    // Two practitioners: 32 half-hour appointments a day.
    let made = add_appointment_history(&w.c, &w.admin, 70, 3).unwrap();
    assert_eq!(made, 70);
    let past = past(&w);
    assert_eq!(past.len(), 70, "exactly the count asked for");
    // The most recent open days: Monday 23 is closed, the weekend too.
    let per_day: BTreeMap<NaiveDate, usize> = past.iter().fold(BTreeMap::new(), |mut m, b| {
        *m.entry(b.date).or_default() += 1;
        m
    });
    assert_eq!(
        per_day,
        BTreeMap::from([(day(18), 6), (day(19), 32), (day(20), 32)])
    );
    for b in &past {
        assert!(b.date < today());
        assert!(b.date.weekday().number_from_monday() <= 5, "{b:?}");
        assert_eq!(b.minutes, 30, "{b:?}");
        let t = minutes(b.time.as_deref().unwrap());
        assert!(t >= 9 * 60 && t + 30 <= 17 * 60, "{b:?}");
        assert_eq!((t - 9 * 60) % 30, 0, "on the half-hour grid: {b:?}");
        assert!(ids[..3].contains(&b.patient_id), "only the first 3: {b:?}");
    }
    // No practitioner and no room has two overlapping appointments.
    for (i, a) in past.iter().enumerate() {
        for b in &past[i + 1..] {
            if a.date != b.date {
                continue;
            }
            let (sa, sb) = (
                minutes(a.time.as_deref().unwrap()),
                minutes(b.time.as_deref().unwrap()),
            );
            let overlap = sa < sb + b.minutes && sb < sa + a.minutes;
            assert!(
                !(overlap && (a.practitioner_id == b.practitioner_id || a.room_id == b.room_id)),
                "clash: {a:?} and {b:?}"
            );
        }
    }
    // Each practitioner in one room all day, the two in different rooms.
    let mut rooms: BTreeMap<(NaiveDate, UserId), BTreeSet<_>> = BTreeMap::new();
    for b in &past {
        rooms
            .entry((b.date, b.practitioner_id.unwrap()))
            .or_default()
            .insert(b.room_id.unwrap());
    }
    assert_eq!(rooms.len(), 6, "both practitioners each day: {rooms:?}");
    assert!(rooms.values().all(|r| r.len() == 1), "{rooms:?}");
    // Every 30 minutes from 09:00: the full day is 09:00 to 16:30.
    let times: BTreeSet<&str> = past
        .iter()
        .filter(|b| b.date == day(19))
        .map(|b| b.time.as_deref().unwrap())
        .collect();
    assert_eq!(times.len(), 16);
    assert_eq!(times.first(), Some(&"09:00"));
    assert_eq!(times.last(), Some(&"16:30"));
    // The patients in turn: newest day first, then by time, then practitioner.
    let mut order = past.clone();
    let rank = |u: Option<UserId>| who.iter().position(|p| Some(*p) == u).unwrap();
    order.sort_by_key(|b| {
        (
            std::cmp::Reverse(b.date),
            b.time.clone(),
            rank(b.practitioner_id),
        )
    });
    let patients: Vec<PatientId> = order.iter().map(|b| b.patient_id).collect();
    let expected: Vec<PatientId> = (0..70).map(|j| ids[j % 3]).collect();
    assert_eq!(patients, expected);
    // ... and the kinds in turn.
    let kinds: Vec<&str> = order.iter().map(|b| b.kind.as_str()).collect();
    let expected: Vec<&str> = (0..70)
        .map(|j| ["review", "consultation", "other"][j % 3])
        .collect();
    assert_eq!(kinds, expected);
    // One audit entry for the lot.
    assert_eq!(
        audited(&w, "demo.appointments"),
        vec![r#"{"appointments":70}"#]
    );
}

#[test]
fn the_demo_history_needs_a_room_and_writes_nothing_without_one() {
    let w = world();
    add_patients(&w, 2);
    // Two practitioners, no room.
    let r = add_appointment_history(&w.c, &w.admin, 5, 2);
    match r {
        Err(ClinicError::Conflict(m)) => {
            assert!(m.contains("practitioner") && m.contains("room"), "{m}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(past(&w).is_empty());
    assert!(audited(&w, "demo.appointments").is_empty());
}

#[test]
fn the_demo_history_needs_patients_and_writes_nothing_without_them() {
    let (w, _, _) = history_world(0);
    match add_appointment_history(&w.c, &w.admin, 5, 3) {
        Err(ClinicError::Conflict(m)) => assert!(m.contains("patients"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(past(&w).is_empty());
    assert!(audited(&w, "demo.appointments").is_empty());
}

#[test]
fn only_the_admin_generates_demo_history_or_plans() {
    let (w, _, _) = history_world(3);
    for who in [&w.desk, &w.bea] {
        assert!(
            matches!(
                add_appointment_history(&w.c, who, 5, 3),
                Err(ClinicError::Forbidden(_))
            ),
            "{:?}",
            who.roles
        );
        assert!(matches!(
            add_clinical_demo(&w.c, who, 3, 1),
            Err(ClinicError::Forbidden(_))
        ));
    }
    assert!(past(&w).is_empty());
    assert!(w.c.plans(&w.admin, PatientId(1)).unwrap().is_empty());
    assert!(audited(&w, "demo.appointments").is_empty());
}

// ---- the demo's shape: what a first look at the demo clinic shows ----

/// The demo's patients speak the languages the handouts come in, in the
/// proportions the generator is weighted for (mostly English; every other
/// language present): with 20,400 patients each language's share is within
/// a quarter of its weight's.
#[test]
fn demo_patients_speak_every_language_in_proportion_to_its_weight() {
    let weights = [
        ("en", 30),
        ("es", 12),
        ("fr", 8),
        ("de", 8),
        ("pt", 5),
        ("pl", 4),
        ("el", 4),
        ("ru", 5),
        ("ar", 5),
        ("he", 3),
        ("zh", 6),
        ("ja", 4),
        ("ko", 3),
        ("tr", 3),
        ("vi", 2),
    ];
    let total: usize = weights.iter().map(|(_, w)| w).sum();
    let n = 200 * total;
    let people = demo_patients(n, 11, today());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in &people {
        *seen.entry(p.preferred_language.clone()).or_default() += 1;
    }
    assert_eq!(seen.len(), weights.len(), "{seen:?}");
    for (lang, w) in weights {
        let expected = 200 * w;
        let got = seen.get(lang).copied().unwrap_or(0);
        assert!(
            got * 4 >= expected * 3 && got * 4 <= expected * 5,
            "{lang}: {got} of {n}, expected about {expected}"
        );
    }
}

/// A demo consent's signature looks like a hand's: two or three strokes,
/// each 60 to 120 points wide, left to right without overlapping, moving up
/// and down smoothly (no jumps), inside the 400 × 150 signature box.
#[test]
fn a_demo_signature_is_a_few_smooth_wavy_strokes_inside_the_box() {
    for seed in 0..300u64 {
        let s = dermis_clinic::demo::demo_signature(seed);
        assert!((2..=3).contains(&s.strokes.len()), "seed {seed}");
        let mut right_of_last = 0.0f64;
        for stroke in &s.strokes {
            assert_eq!(stroke.len(), 25, "seed {seed}");
            let xs: Vec<f64> = stroke.iter().map(|p| p.0).collect();
            let ys: Vec<f64> = stroke.iter().map(|p| p.1).collect();
            let (x0, x1) = (xs[0], xs[xs.len() - 1]);
            assert!(x0 > right_of_last, "seed {seed}: strokes overlap");
            assert!(
                (60.0..=120.0).contains(&(x1 - x0)),
                "seed {seed}: a stroke {} wide",
                x1 - x0
            );
            right_of_last = x1;
            assert!(
                stroke
                    .iter()
                    .all(|&(x, y)| (0.0..=400.0).contains(&x) && (5.0..=145.0).contains(&y)),
                "seed {seed}"
            );
            let top = ys.iter().cloned().fold(f64::MAX, f64::min);
            let bottom = ys.iter().cloned().fold(f64::MIN, f64::max);
            assert!(
                (10.0..=110.0).contains(&(bottom - top)),
                "seed {seed}: {} high",
                bottom - top
            );
            assert!(
                ys.windows(2).all(|w| (w[1] - w[0]).abs() <= 25.0),
                "seed {seed}: a jump in {ys:?}"
            );
        }
    }
}

/// The living demo (what the README's first command opens) on a clinic
/// file (so its photos are stored), seed 3, today Tuesday 24 November 2026.
fn living_demo() -> (
    tempfile::TempDir,
    Clinic,
    Actor,
    dermis_clinic::demo::LivingClinic,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    c.set_clock(Arc::new(FixedClock::on(today())));
    let admin = c
        .setup(&SetupInput {
            clinic_name: "Demo".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "demo".into(),
            admin_display_name: "Demo Practitioner".into(),
            password: "plum kettle harbour velvet".into(),
        })
        .unwrap();
    let people = demo_patients(100, 3, today());
    c.create_patients_bulk(&admin, &people).unwrap();
    let plans = add_clinical_demo(&c, &admin, 60, 3).unwrap();
    assert_eq!(plans, 60, "a plan for each of the first 60 patients");
    let made = dermis_clinic::demo::add_living_clinic(
        &mut c,
        &admin,
        "a long demo password",
        3,
        Arc::new(FixedClock::on(today())),
    )
    .unwrap();
    (dir, c, admin, made)
}

#[test]
fn the_demo_is_a_living_clinic_with_a_past_and_a_future() {
    let (_dir, c, admin, made) = living_demo();
    assert_eq!(c.today(), today(), "the clock is back");
    assert_eq!(
        (made.practitioners, made.rooms, made.plans),
        (2, 3, 16),
        "{made:?}"
    );
    assert!(made.sessions_recorded >= 16, "{made:?}");
    assert!(made.healing_reports >= 10, "{made:?}");
    assert!((1..=5).contains(&made.adverse_events), "{made:?}");
    assert!(made.assessments > 16, "{made:?}");
    assert!(made.bookings_ahead >= 20, "{made:?}");
    assert!(made.recalls_due >= 1, "{made:?}");
    // the past is booked with both practitioners and several rooms
    let past = c
        .bookings(
            &admin,
            &(today() - chrono::Duration::days(60)).to_string(),
            &(today() - chrono::Duration::days(1)).to_string(),
        )
        .unwrap();
    let who: std::collections::BTreeSet<_> = past
        .iter()
        .filter_map(|b| b.practitioner_name.clone())
        .collect();
    let rooms: std::collections::BTreeSet<_> =
        past.iter().filter_map(|b| b.room_name.clone()).collect();
    assert_eq!(who.len(), 2, "{who:?}");
    assert_eq!(rooms.len(), 3, "{rooms:?}");
    assert!(past.iter().any(|b| b.status == BookingStatus::Done));
    // the second practitioner recorded their own sessions, with the passes made
    let records: Vec<_> = (61..=76)
        .flat_map(|id| c.session_records(&admin, PatientId(id)).unwrap())
        .collect();
    let by: std::collections::BTreeSet<_> =
        records.iter().map(|r| r.practitioner.as_str()).collect();
    assert!(by.contains("Dr Maja Lindqvist") && by.len() == 2, "{by:?}");
    assert!(records.iter().all(|r| (3..=4).contains(&r.passes)));
    // the next four weeks: ten first consultations, reviews of four courses,
    // booked with both practitioners
    let ahead = c
        .bookings(
            &admin,
            &today().to_string(),
            &(today() + chrono::Duration::days(28)).to_string(),
        )
        .unwrap();
    let kinds = |k: &str| ahead.iter().filter(|b| b.kind == k).count();
    assert_eq!((kinds("consultation"), kinds("review")), (10, 4));
    let who_ahead: std::collections::BTreeSet<_> = ahead
        .iter()
        .filter_map(|b| b.practitioner_name.clone())
        .collect();
    assert_eq!(who_ahead.len(), 2, "{who_ahead:?}");
    // the scores improve
    let desk = c.create_user(
        &admin,
        "desk2",
        "Desk",
        "a long password",
        &[Role::Receptionist],
    );
    assert!(desk.is_ok());
    let progress = (61..=76)
        .filter_map(|id| c.progress(&admin, PatientId(id)).ok())
        .filter(|p| p.points.len() >= 2 && p.latest < p.baseline)
        .count();
    assert!(progress >= 8, "{progress} patients improved; {made:?}");
}

/// The living demo (what the README's first command opens) as a clinician
/// would check it: every course has its sessions recorded by the
/// practitioner it was booked with, each record complete as a real one would
/// be, believable baseline scores, follow-up calls with believable healing,
/// a photo per session, and the coming four weeks' visits spread over many
/// days.
#[test]
fn the_living_demo_records_read_like_a_real_clinics() {
    let (_dir, c, admin, made) = living_demo();
    assert_eq!(made.photos, made.sessions_recorded, "{made:?}");

    // Who each session was booked with.
    let booked: BTreeMap<_, _> = (0..4)
        .flat_map(|k| {
            let from = today() - Duration::days(100) + Duration::days(50 * k);
            c.bookings(
                &admin,
                &from.to_string(),
                &(from + Duration::days(49)).to_string(),
            )
            .unwrap()
        })
        .filter_map(|b| match b.key {
            dermis_clinic::core::schedule::BookingKey::Session(s) => {
                Some((s.0, (b.practitioner_name, b.room_name)))
            }
            _ => None,
        })
        .collect();
    let mut rooms_used = BTreeSet::new();
    let mut passes = BTreeSet::new();
    let mut assessed = 0;
    let course: Vec<PatientId> = (61..=76).map(PatientId).collect();
    let mut healed = 0;
    for p in &course {
        let records = c.session_records(&admin, *p).unwrap();
        assert!(!records.is_empty(), "{p:?}: no session recorded");
        // No visit in the past silently left undone: each one before today
        // is recorded, unless an adverse event paused the plan.
        let plan = &c.plans(&admin, *p).unwrap()[0];
        let undone: Vec<_> = plan
            .sessions
            .iter()
            .filter(|s| s.date < today() && s.status != SessionStatus::Done)
            .map(|s| (s.n, s.date))
            .collect();
        assert!(
            undone.is_empty() || plan.status == PlanStatus::Paused,
            "{p:?}: {undone:?} in the past and not done ({:?})",
            plan.status
        );
        for r in &records {
            let (who, room) = booked
                .get(&r.planned_session_id.0)
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                who.as_deref(),
                Some(r.practitioner.as_str()),
                "{p:?}: recorded by someone other than the practitioner booked"
            );
            // Each course is treated in its own room, the courses spread
            // over the clinic's three rooms.
            rooms_used.insert((p.0, room.expect("a recorded session's room")));
            assert_eq!(r.numbing_cream, "Lidocaine 4% cream (demo)");
            assert_eq!(r.numbing_minutes, Some(20));
            // Marked as made up wherever it is read.
            assert!(r.notes.contains("synthetic"), "{}", r.notes);
            assert!((3..=4).contains(&r.passes), "{}", r.passes);
            passes.insert(r.passes);
            assert_eq!(r.device, "Dermapen 4 (demo)");
            assert!(r.cartridge_lot.starts_with("DP4-26"), "{}", r.cartridge_lot);
            assert_eq!(r.glide_product, "Hyaluronic glide serum (demo)");
            assert!(r.glide_lot.starts_with("HA-26"), "{}", r.glide_lot);
            assert!(
                r.duration_minutes.is_some_and(|m| (35..=54).contains(&m)),
                "{:?}",
                r.duration_minutes
            );
            if let Some(h) = &r.healing {
                healed += 1;
                assert!((1..=4).contains(&h.redness_days), "{h:?}");
                assert!((1..=3).contains(&h.flaking_days), "{h:?}");
                assert!(h.reported_on > r.date && h.reported_on < today(), "{h:?}");
            }
        }
        assert_eq!(c.photos(&admin, *p).unwrap().len(), records.len());
        // The baseline: believable counts for moderate acne scarring.
        let assessments = c.assessments(&admin, *p).unwrap();
        assessed += assessments.len();
        let baseline = assessments
            .into_iter()
            .min_by_key(|a| (a.assessed_on, a.id.0))
            .unwrap();
        let n = baseline.counts;
        assert!(
            (11..=18).contains(&n.macular)
                && (21..=30).contains(&n.moderate)
                && (3..=8).contains(&n.severe)
                && n.papular <= 2
                && n.keloidal == 0,
            "{p:?}: {n:?}"
        );
    }
    assert_eq!(healed, made.healing_reports);
    // What the demo says it made is what it made (the CLI prints it).
    assert_eq!(assessed, made.assessments);
    // Three passes or four, as each session went.
    assert_eq!(passes, BTreeSet::from([3, 4]));
    let per_course: BTreeMap<i64, usize> =
        rooms_used.iter().fold(BTreeMap::new(), |mut m, (p, _)| {
            *m.entry(*p).or_default() += 1;
            m
        });
    assert!(per_course.values().all(|n| *n == 1), "{rooms_used:?}");
    let rooms: BTreeSet<&String> = rooms_used.iter().map(|(_, r)| r).collect();
    assert_eq!(rooms.len(), 3, "{rooms:?}");
    // The coming four weeks: the visits are spread over many days.
    let ahead = c
        .bookings(
            &admin,
            &today().to_string(),
            &(today() + Duration::days(28)).to_string(),
        )
        .unwrap();
    let days: BTreeSet<NaiveDate> = ahead
        .iter()
        .filter(|b| b.kind == "consultation" || b.kind == "review")
        .map(|b| b.date)
        .collect();
    assert!(days.len() >= 7, "{days:?}");
}
