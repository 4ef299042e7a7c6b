//! The calendar's rows on both backends: rooms, bookings with length,
//! practitioner and room, and what an older database's rows become.

use chrono::NaiveDate;
use dermis_core::ids::{AppointmentId, PatientId, RoomId, UserId};
use dermis_core::schedule::{BookingKey, BookingStatus, ScheduleSettings};
use dermis_store::{Placement, Store, StoreError, SCHEMA_VERSION};

mod common;

const NOW: &str = "2026-11-24T12:00:00Z";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The plan of `common::a_plan` (sessions on 12-22, 01-19, 02-16), a room
/// and the practitioner's id.
fn world(s: &mut Store) -> (i64, i64, RoomId, UserId) {
    let plan = common::a_plan(s);
    s.write(|tx| -> Result<_, StoreError> {
        let p = tx.plan(plan)?.unwrap();
        let room = tx.insert_room("Room 1", NOW)?;
        let user = tx
            .users()?
            .into_iter()
            .find(|u| u.username == "anna")
            .unwrap();
        Ok((plan, p.patient_id.0, room, UserId(user.id)))
    })
    .unwrap()
}

fn at(date: &str, time: &str, minutes: u32, who: UserId, room: RoomId) -> Placement {
    Placement {
        date: d(date),
        time: time.into(),
        minutes,
        numbing_minutes: 0,
        practitioner: who,
        room,
    }
}

on_both_backends! {
    fn rooms_are_added_renamed_retired_and_unique_in_any_case(s) {
        let (_, _, room, _) = world(&mut s);
        let dup = s.write(|tx| tx.insert_room("ROOM 1", NOW));
        assert!(matches!(dup, Err(StoreError::Conflict(ref m)) if m.contains("already a room")), "{dup:?}");
        let b = s.write(|tx| tx.insert_room("Laser suite", NOW)).unwrap();
        s.write(|tx| tx.update_room(room, "Room One", false)).unwrap();
        let rooms = s.read(|tx| tx.rooms()).unwrap();
        assert_eq!(
            rooms.iter().map(|r| (r.id, r.name.as_str(), r.active)).collect::<Vec<_>>(),
            vec![(b, "Laser suite", true), (room, "Room One", false)]
        );
        let clash = s.write(|tx| tx.update_room(b, "room one", true));
        assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
        // a rename to its own name in another case is fine
        s.write(|tx| tx.update_room(b, "LASER suite", true)).unwrap();
    }

    fn the_calendar_holds_sessions_and_appointments_with_who_where_and_how_long(s) {
        let (plan, patient, room, who) = world(&mut s);
        let session = s.read(|tx| tx.plan(plan)).unwrap().unwrap().sessions[0].id;
        let day = "2026-12-22";
        let a = s
            .write(|tx| tx.insert_appointment(patient, "review", &at(day, "11:00", 15, who, room), who.0, NOW))
            .unwrap();
        s.write(|tx| tx.place_booking(BookingKey::Session(session), &Placement { numbing_minutes: 20, ..at(day, "09:00", 60, who, room) }, NOW))
            .unwrap();
        s.write(|tx| tx.set_running_late(BookingKey::Appointment(a), true)).unwrap();
        let rows = s.read(|tx| tx.bookings_between(d(day), d(day))).unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        let (first, second) = (&rows[0], &rows[1]);
        assert_eq!(first.key, BookingKey::Session(session));
        assert_eq!((first.kind.as_str(), first.time.as_deref(), first.minutes, first.numbing_minutes), ("session", Some("09:00"), 60, 20));
        assert_eq!((first.session_n, first.session_of), (Some(1), Some(3)));
        assert_eq!(first.practitioner_name.as_deref(), Some("Anna"));
        assert_eq!(first.room_name.as_deref(), Some("Room 1"));
        assert_eq!(first.status, BookingStatus::Booked);
        assert!(!first.running_late);
        assert_eq!(second.key, BookingKey::Appointment(a));
        assert_eq!((second.kind.as_str(), second.time.as_deref(), second.minutes), ("review", Some("11:00"), 15));
        assert!(second.running_late);
        assert_eq!(second.patient_number, "P-000001");
        // the plan's version went up with the session's booking
        assert_eq!(s.read(|tx| tx.plan_version(plan)).unwrap(), Some(2));
        // moving the appointment to another day
        s.write(|tx| tx.place_booking(BookingKey::Appointment(a), &at("2026-12-23", "10:00", 30, who, room), NOW)).unwrap();
        let moved = s.read(|tx| tx.booking(BookingKey::Appointment(a))).unwrap().unwrap();
        assert_eq!((moved.date, moved.time.as_deref(), moved.minutes), (d("2026-12-23"), Some("10:00"), 30));
        assert_eq!(s.read(|tx| tx.bookings_between(d(day), d(day))).unwrap().len(), 1);
    }

    fn an_archived_patients_bookings_leave_the_calendar_and_today(s) {
        let (_, patient, room, who) = world(&mut s);
        let day = "2026-12-22";
        s.write(|tx| tx.insert_appointment(patient, "consultation", &at(day, "10:00", 30, who, room), who.0, NOW)).unwrap();
        assert_eq!(s.read(|tx| tx.bookings_between(d(day), d(day))).unwrap().len(), 2);
        assert_eq!(s.read(|tx| tx.consultations_on(d(day))).unwrap().len(), 1);
        s.write(|tx| tx.set_patient_archived(patient, true, NOW)).unwrap();
        assert!(s.read(|tx| tx.bookings_between(d(day), d(day))).unwrap().is_empty());
        assert!(s.read(|tx| tx.consultations_on(d(day))).unwrap().is_empty());
        assert!(s.read(|tx| tx.calendar(d(day), d(day))).unwrap().is_empty());
    }

    fn a_cancelled_appointment_no_longer_holds_its_slot(s) {
        let (_, patient, room, who) = world(&mut s);
        let day = "2026-12-23";
        let a = s.write(|tx| tx.insert_appointment(patient, "other", &at(day, "10:00", 30, who, room), who.0, NOW)).unwrap();
        s.write(|tx| tx.update_consultation(a.0, true, None)).unwrap();
        assert!(s.read(|tx| tx.bookings_between(d(day), d(day))).unwrap().is_empty());
        assert!(s.read(|tx| tx.booking(BookingKey::Appointment(a))).unwrap().is_none());
        let again = s.write(|tx| tx.place_booking(BookingKey::Appointment(a), &at(day, "11:00", 30, who, room), NOW));
        assert!(matches!(again, Err(StoreError::NotFound(_))), "{again:?}");
    }

    fn a_booking_off_the_calendar_still_names_its_patient_and_one_on_it_or_none_does_not(s) {
        let (plan, patient, room, who) = world(&mut s);
        let day = "2026-12-23";
        let a = s.write(|tx| tx.insert_appointment(patient, "other", &at(day, "10:00", 30, who, room), who.0, NOW)).unwrap();
        let appt = BookingKey::Appointment(a);
        let session = BookingKey::Session(s.read(|tx| tx.plan(plan)).unwrap().unwrap().sessions[0].id);
        let off = |s: &mut Store, k: BookingKey| s.read(|tx| tx.booking_off_calendar(k)).unwrap();
        assert_eq!(off(&mut s, appt), None, "still booked");
        assert_eq!(off(&mut s, session), None, "still planned");
        assert_eq!(off(&mut s, BookingKey::Appointment(AppointmentId(a.0 + 1000))), None, "no such row");
        s.write(|tx| tx.update_consultation(a.0, true, None)).unwrap();
        assert_eq!(off(&mut s, appt), Some(PatientId(patient)), "cancelled");
        s.write(|tx| tx.set_patient_archived(patient, true, NOW)).unwrap();
        assert_eq!(off(&mut s, session), Some(PatientId(patient)), "its patient archived");
    }

    fn every_change_of_a_booking_bumps_its_version_and_only_its_own(s) {
        let (plan, patient, room, who) = world(&mut s);
        let session = BookingKey::Session(s.read(|tx| tx.plan(plan)).unwrap().unwrap().sessions[0].id);
        let day = "2026-12-22";
        let a = s.write(|tx| tx.insert_appointment(patient, "review", &at(day, "11:00", 15, who, room), who.0, NOW)).unwrap();
        let appt = BookingKey::Appointment(a);
        let version = |s: &mut Store, k: BookingKey| s.read(|tx| tx.booking(k)).unwrap().unwrap().version;
        // A new booking, and a session planned before any change: version 1.
        assert_eq!((version(&mut s, appt), version(&mut s, session)), (1, 1));
        s.write(|tx| tx.place_booking(appt, &at(day, "12:00", 15, who, room), NOW)).unwrap();
        assert_eq!((version(&mut s, appt), version(&mut s, session)), (2, 1), "a move bumps the moved booking only");
        s.write(|tx| tx.set_running_late(appt, true)).unwrap();
        assert_eq!(version(&mut s, appt), 3, "running late");
        s.write(|tx| tx.update_consultation(a.0, false, Some(Some(NOW)))).unwrap();
        assert_eq!(version(&mut s, appt), 4, "checked in");
        s.write(|tx| tx.place_booking(session, &at(day, "09:00", 60, who, room), NOW)).unwrap();
        s.write(|tx| tx.set_running_late(session, true)).unwrap();
        let BookingKey::Session(sid) = session else { unreachable!() };
        s.write(|tx| tx.set_checked_in(sid.0, Some(NOW))).unwrap();
        assert_eq!((version(&mut s, appt), version(&mut s, session)), (4, 4), "the session's own three changes");
        // The same value written again is still a change someone made.
        s.write(|tx| tx.place_booking(session, &at(day, "09:00", 60, who, room), NOW)).unwrap();
        assert_eq!(version(&mut s, session), 5);
        // The day's list carries the versions the grid sends back.
        let day_rows = s.read(|tx| tx.bookings_between(d(day), d(day))).unwrap();
        let mut got: Vec<_> = day_rows.iter().map(|b| (b.key, b.version)).collect();
        got.sort_by_key(|(k, _)| matches!(k, BookingKey::Appointment(_)));
        assert_eq!(got, vec![(session, 5), (appt, 4)]);
    }

    fn schedule_settings_are_the_defaults_until_changed(s) {
        assert_eq!(s.read(|tx| tx.schedule_settings()).unwrap(), ScheduleSettings::default());
        let mut changed = ScheduleSettings::default();
        changed.kinds[0].minutes = 75;
        s.write(|tx| tx.set_schedule_settings(&changed)).unwrap();
        assert_eq!(s.read(|tx| tx.schedule_settings()).unwrap().kinds[0].minutes, 75);
    }

    fn the_practitioners_are_the_active_accounts_with_that_role_read_without_their_hashes(s) {
        let (_, _, _, anna) = world(&mut s);
        let (desk, gone, both) = s
            .write(|tx| -> Result<_, StoreError> {
                let desk = tx.insert_user("sam", "Sam", "x", &[dermis_core::Role::Receptionist], NOW)?;
                let gone = tx.insert_user("old", "Dr Old", "x", &[dermis_core::Role::Practitioner], NOW)?;
                tx.set_user_active(gone.id, false)?;
                let both = tx.insert_user(
                    "own",
                    "Owner",
                    "x",
                    &[dermis_core::Role::Admin, dermis_core::Role::Practitioner],
                    NOW,
                )?;
                Ok((desk.id, gone.id, both.id))
            })
            .unwrap();
        let mut found = s.read(|tx| tx.practitioner_names()).unwrap();
        found.sort();
        assert_eq!(found, vec![(anna, "Anna".to_string()), (UserId(both), "Owner".to_string())]);
        assert!(!found.iter().any(|(id, _)| id.0 == desk || id.0 == gone));
    }

    fn the_schedule_and_plan_settings_come_in_one_read_with_their_defaults(s) {
        let (sched, plan) = s.read(|tx| tx.schedule_and_plan_settings()).unwrap();
        assert_eq!(sched, ScheduleSettings::default());
        assert_eq!(plan, s.read(|tx| tx.plan_settings()).unwrap());
        let mut changed = ScheduleSettings::default();
        changed.kinds.retain(|k| k.key != "other");
        let mut open = plan.clone();
        open.open_weekdays.retain(|d| *d != dermis_core::settings::Weekday::Mon);
        s.write(|tx| -> Result<_, StoreError> {
            tx.set_schedule_settings(&changed)?;
            tx.set_plan_settings(&open)
        })
        .unwrap();
        let (sched, plan) = s.read(|tx| tx.schedule_and_plan_settings()).unwrap();
        assert_eq!((sched, plan), (changed, open));
    }
}

#[test]
fn a_version_5_database_keeps_its_consultations_with_the_default_lengths() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in [
            include_str!("../migrations/0001_initial.sql"),
            include_str!("../migrations/0002_clinical.sql"),
            include_str!("../migrations/0003_sessions.sql"),
            include_str!("../migrations/0004_audit_keyed.sql"),
            include_str!("../migrations/0005_plan_version.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 5;
             INSERT INTO users (id, username, display_name, password_hash, roles, active, created_at)
             VALUES (1, 'dr', 'Dr', 'x', 'admin', 1, 'x');
             INSERT INTO patients (id, number_seq, first_name, last_name, date_of_birth, search_text, sort_key, created_at, updated_at)
             VALUES (1, 1, 'Zoë', 'Park', '1992-03-04', 'zoe park', 'park\x01zoe', 'x', 'x');
             INSERT INTO assessments (id, patient_id, assessed_on, scar_types, grade, counts, score, fitzpatrick, sensitivity,
                treatment_areas, scar_age_years, recorded_by, created_at)
             VALUES (1, 1, '2026-01-01', '[]', 2, '{}', 4, 2, 'normal', '[]', 1, 1, 'x');
             INSERT INTO plans (id, patient_id, assessment_id, status, start, session_count, interval_weeks, shortest_weeks,
                maintenance_months, rationale, warnings, created_by, created_at, updated_at)
             VALUES (1, 1, 1, 'active', '2026-12-07', 1, 5, 4, 4, '[]', '[]', 1, 'x', 'x');
             INSERT INTO planned_sessions (plan_id, n, date, time) VALUES (1, 1, '2026-12-07', '14:00');
             INSERT INTO appointments (id, patient_id, kind, date, time, created_by, created_at)
             VALUES (7, 1, 'consultation', '2026-12-07', '09:30', 1, 'x');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let rows = store
        .read(|tx| tx.bookings_between(d("2026-12-07"), d("2026-12-07")))
        .unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|b| {
            (
                b.kind.as_str(),
                b.time.as_deref(),
                b.minutes,
                b.numbing_minutes,
                b.practitioner_id,
                b.room_id,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("consultation", Some("09:30"), 30, 0, None, None),
            ("session", Some("14:00"), 60, 20, None, None),
        ]
    );
    // Bookings older than their version start at version 1 (migration 0012).
    assert!(rows.iter().all(|b| b.version == 1), "{rows:?}");
}
