//! Scheduling as the desk meets it (issue 19): bookings with a length, a
//! practitioner and a room; clashes refused with a sentence that names the
//! other booking by time and patient NUMBER and proposes the next free slot;
//! a refused move changes nothing; a plan's sessions booked into slots under
//! the plan's rules; first consultations as ordinary appointments.

use chrono::{Duration, NaiveDate};
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids::{PatientId, RoomId, UserId};
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::schedule::{BookingKey, BookingStatus, DayHours};
use dermis_clinic::core::screening::{ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::settings::Weekday;
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{
    Actor, ApiError, BookingInput, Clinic, ClinicError, ErrorCode, FixedClock, MoveInput, SlotQuery,
};
use std::sync::Arc;

// Tuesday 24 November 2026.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

struct World {
    c: Clinic,
    admin: Actor,
    desk: Actor,
    /// Dr Bea (practitioner) and Dr Cal (practitioner).
    bea: UserId,
    cal: UserId,
    room1: RoomId,
    room2: RoomId,
    ann: PatientId,
    bo: PatientId,
}

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
        ("cal", "Dr Cal", Role::Practitioner),
        ("desk", "Sam", Role::Receptionist),
    ] {
        c.create_user(&admin, name, display, "a long password", &[role])
            .unwrap();
    }
    let desk = c
        .login(&LoginInput {
            username: "desk".into(),
            password: "a long password".into(),
        })
        .unwrap();
    let id = |n: &str| {
        UserId(
            c.users(&admin)
                .unwrap()
                .into_iter()
                .find(|u| u.username == n)
                .unwrap()
                .id,
        )
    };
    let person = |first: &str| PatientInput {
        first_name: first.into(),
        last_name: "Lee".into(),
        date_of_birth: "1990-01-01".into(),
        ..Default::default()
    };
    World {
        bea: id("bea"),
        cal: id("cal"),
        room1: c.add_room(&admin, "Room 1").unwrap().id,
        room2: c.add_room(&admin, "Room 2").unwrap().id,
        ann: c.create_patient(&admin, &person("Ann")).unwrap().id,
        bo: c.create_patient(&admin, &person("Bo")).unwrap().id,
        c,
        admin,
        desk,
    }
}

fn booking(
    w: &World,
    patient: PatientId,
    kind: &str,
    date: &str,
    time: &str,
    who: UserId,
    room: RoomId,
) -> BookingInput {
    let _ = w;
    BookingInput {
        patient_id: patient,
        kind: kind.into(),
        date: date.into(),
        time: time.into(),
        minutes: None,
        numbing_minutes: None,
        practitioner_id: who,
        room_id: room,
    }
}

fn conflict(r: Result<impl std::fmt::Debug, ClinicError>) -> String {
    match r {
        Err(ClinicError::Conflict(m)) => m,
        Err(ClinicError::SlotTaken(t)) => t.message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// A clash as the UI receives it: `conflict`, the sentence, the slot as data.
fn refused(r: Result<impl std::fmt::Debug, ClinicError>) -> dermis_clinic::ApiError {
    let e = match r {
        Err(e) => ApiError::from(e),
        Ok(v) => panic!("expected a conflict, got {v:?}"),
    };
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    e
}

const WED: &str = "2026-11-25";

#[test]
fn the_desk_books_a_review_and_receives_who_where_and_how_long() {
    let w = world();
    let b =
        w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "review", WED, "9:30", w.bea, w.room1),
        )
        .unwrap();
    assert_eq!(b.kind, "review");
    assert_eq!(b.kind_label, "Review");
    assert_eq!(
        (b.time.as_deref(), b.minutes, b.numbing_minutes),
        (Some("09:30"), 15, 0)
    );
    assert_eq!(b.practitioner_name.as_deref(), Some("Dr Bea"));
    assert_eq!(b.room_name.as_deref(), Some("Room 1"));
    assert_eq!(b.patient_number, "P-000001");
    assert_eq!(
        (b.first_name.as_str(), b.last_name.as_str()),
        ("Ann", "Lee")
    );
    assert_eq!(b.status, BookingStatus::Booked);
    // and the calendar range shows it with the same values
    let rows = w.c.bookings(&w.desk, WED, WED).unwrap();
    assert_eq!(rows, vec![b]);
}

#[test]
fn the_same_practitioner_overlapping_is_refused_with_the_other_booking_and_the_next_slot() {
    let w = world();
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.ann, "consultation", WED, "09:00", w.bea, w.room1),
    )
    .unwrap();
    let m = conflict(w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", WED, "09:29", w.bea, w.room2),
    ));
    assert_eq!(
        m,
        "Dr Bea already has P-000001 from 09:00 to 09:30 on Wed 2026-11-25. The next free slot for 15 minutes with Dr Bea in Room 2 is Wed 2026-11-25 at 09:30."
    );
    assert!(
        !m.contains("Ann"),
        "the sentence names the patient by number only"
    );
    // exactly back-to-back is fine
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", WED, "09:30", w.bea, w.room2),
    )
    .unwrap();
}

#[test]
fn the_same_room_overlapping_is_refused_even_with_another_practitioner() {
    let w = world();
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.ann, "consultation", WED, "09:00", w.bea, w.room1),
    )
    .unwrap();
    let m = conflict(w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", WED, "09:15", w.cal, w.room1),
    ));
    assert!(
        m.starts_with("Room 1 is taken by P-000001 from 09:00 to 09:30 on Wed 2026-11-25."),
        "{m}"
    );
    assert!(m.ends_with("is Wed 2026-11-25 at 09:30."), "{m}");
    // another room at the same time is fine
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", WED, "09:15", w.cal, w.room2),
    )
    .unwrap();
}

#[test]
fn outside_the_practitioners_hours_and_on_a_closed_day_are_refused() {
    let w = world();
    let m = conflict(w.c.book_appointment(
        &w.desk,
        &booking(&w, w.ann, "consultation", WED, "16:31", w.bea, w.room1),
    ));
    assert!(m.starts_with("Dr Bea works from 09:00 to 17:00 on Wed 2026-11-25; 16:31 to 17:01 is outside those hours."), "{m}");
    assert!(m.contains("is Thu 2026-11-26 at 09:00."), "{m}");
    // the last slot before closing fits
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.ann, "consultation", WED, "16:30", w.bea, w.room1),
    )
    .unwrap();
    // Saturday: the clinic is closed
    let m = conflict(w.c.book_appointment(
        &w.desk,
        &booking(&w, w.ann, "review", "2026-11-28", "10:00", w.bea, w.room1),
    ));
    assert!(
        m.starts_with("The clinic is closed on Sat 2026-11-28."),
        "{m}"
    );
    assert!(m.contains("is Mon 2026-11-30 at 09:00."), "{m}");
    // a practitioner's own hours replace the default
    let days = [DayHours {
        weekday: Weekday::Wed,
        start: "12:00".into(),
        end: "18:00".into(),
    }];
    let info =
        w.c.set_practitioner_hours(&w.admin, w.cal, Some(&days))
            .unwrap();
    assert!(info.custom);
    let m = conflict(w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", WED, "10:00", w.cal, w.room2),
    ));
    assert!(m.starts_with("Dr Cal works from 12:00 to 18:00"), "{m}");
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", WED, "17:45", w.cal, w.room2),
    )
    .unwrap();
    let m = conflict(w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", "2026-11-26", "12:00", w.cal, w.room2),
    ));
    assert!(
        m.starts_with("Dr Cal does not work on Thu 2026-11-26."),
        "{m}"
    );
    assert!(m.contains("is Wed 2026-12-02 at 12:00."), "{m}");
}

#[test]
fn a_move_that_clashes_is_refused_and_changes_nothing() {
    let w = world();
    let a =
        w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "consultation", WED, "09:00", w.bea, w.room1),
        )
        .unwrap();
    let b =
        w.c.book_appointment(
            &w.desk,
            &booking(&w, w.bo, "consultation", WED, "10:00", w.bea, w.room1),
        )
        .unwrap();
    let before = w.c.bookings(&w.desk, WED, WED).unwrap();
    let audit_before = w.c.recent_audit(&w.admin, 1).unwrap();
    let m = conflict(w.c.move_booking(
        &w.desk,
        b.key,
        None,
        &MoveInput {
            time: "09:15".into(),
            ..Default::default()
        },
    ));
    assert!(
        m.starts_with("Dr Bea already has P-000001 from 09:00 to 09:30"),
        "{m}"
    );
    // resizing into the next one clashes too
    let m = conflict(w.c.resize_booking(&w.desk, a.key, None, 61));
    assert!(m.contains("P-000002 from 10:00 to 10:30"), "{m}");
    assert_eq!(w.c.bookings(&w.desk, WED, WED).unwrap(), before);
    assert_eq!(
        w.c.recent_audit(&w.admin, 1).unwrap()[0].action,
        audit_before[0].action
    );
    // a move to a free place lands; resizing up to back-to-back too
    let moved =
        w.c.move_booking(
            &w.desk,
            b.key,
            None,
            &MoveInput {
                date: "2026-11-26".into(),
                time: "11:00".into(),
                room_id: Some(w.room2),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (
            moved.date.to_string().as_str(),
            moved.time.as_deref(),
            moved.room_name.as_deref()
        ),
        ("2026-11-26", Some("11:00"), Some("Room 2"))
    );
    let longer = w.c.resize_booking(&w.desk, a.key, None, 90).unwrap();
    assert_eq!(
        (longer.time.as_deref(), longer.minutes),
        (Some("09:00"), 90)
    );
}

#[test]
fn a_first_consultation_for_an_existing_patient_is_an_ordinary_appointment() {
    let w = world();
    let a =
        w.c.book_appointment(
            &w.desk,
            &booking(
                &w,
                w.ann,
                "consultation",
                "2026-11-24",
                "14:00",
                w.bea,
                w.room1,
            ),
        )
        .unwrap();
    let today = w.c.today_list(&w.desk).unwrap();
    assert_eq!(today.bookings.len(), 1);
    assert_eq!(today.bookings[0].key, a.key);
    assert_eq!(
        today.bookings[0].practitioner_name.as_deref(),
        Some("Dr Bea")
    );
    assert_eq!(today.bookings[0].room_name.as_deref(), Some("Room 1"));
    assert_eq!(
        today.consultations.len(),
        1,
        "the older Today list still shows it"
    );
    // running late shows on the practitioner's view of the day
    w.c.set_running_late(&w.desk, a.key, None, true).unwrap();
    let bea =
        w.c.login(&LoginInput {
            username: "bea".into(),
            password: "a long password".into(),
        })
        .unwrap();
    let day = w.c.day_view(&bea, "2026-11-24").unwrap();
    assert!(day.bookings[0].running_late);
    assert_eq!(
        day.practitioners
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Dr Bea", "Dr Cal", "Owner"]
    );
    assert_eq!(day.rooms.len(), 2);
    // moved to tomorrow, then cancelled
    w.c.move_booking(
        &w.desk,
        a.key,
        None,
        &MoveInput {
            date: WED.into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(w.c.today_list(&w.desk).unwrap().bookings.is_empty());
    assert_eq!(w.c.bookings(&w.desk, WED, WED).unwrap().len(), 1);
    w.c.cancel_booking(&w.desk, a.key, None).unwrap();
    assert!(w.c.bookings(&w.desk, WED, WED).unwrap().is_empty());
    // a cancelled slot is free again
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "consultation", WED, "14:00", w.bea, w.room1),
    )
    .unwrap();
}

#[test]
fn an_archived_patient_leaves_today() {
    let w = world();
    w.c.book_appointment(
        &w.desk,
        &booking(
            &w,
            w.ann,
            "consultation",
            "2026-11-24",
            "14:00",
            w.bea,
            w.room1,
        ),
    )
    .unwrap();
    w.c.book_consultation(&w.desk, w.ann, "2026-11-24", "15:00")
        .unwrap();
    assert_eq!(w.c.today_list(&w.desk).unwrap().bookings.len(), 2);
    w.c.set_patient_archived(&w.desk, w.ann, true).unwrap();
    let today = w.c.today_list(&w.desk).unwrap();
    assert!(today.bookings.is_empty());
    assert!(today.consultations.is_empty());
}

#[test]
fn only_practitioners_active_rooms_and_the_clinics_kinds_can_be_booked() {
    let w = world();
    let desk_id = UserId(
        w.c.users(&w.admin)
            .unwrap()
            .into_iter()
            .find(|u| u.username == "desk")
            .unwrap()
            .id,
    );
    let field = |r: Result<_, ClinicError>| dermis_clinic::ApiError::from(r.unwrap_err()).field;
    assert_eq!(
        field(w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "review", WED, "10:00", desk_id, w.room1)
        ))
        .as_deref(),
        Some("practitioner_id")
    );
    assert_eq!(
        field(w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "facial", WED, "10:00", w.bea, w.room1)
        ))
        .as_deref(),
        Some("kind")
    );
    assert_eq!(
        field(w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "session", WED, "10:00", w.bea, w.room1)
        ))
        .as_deref(),
        Some("kind")
    );
    assert_eq!(
        field(w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "review", "2026-11-23", "10:00", w.bea, w.room1)
        ))
        .as_deref(),
        Some("date")
    );
    assert_eq!(
        field(w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "review", WED, "25:00", w.bea, w.room1)
        ))
        .as_deref(),
        Some("time")
    );
    assert_eq!(
        field(w.c.book_appointment(
            &w.desk,
            &BookingInput {
                minutes: Some(481),
                ..booking(&w, w.ann, "review", WED, "10:00", w.bea, w.room1)
            }
        ))
        .as_deref(),
        Some("minutes")
    );
    w.c.update_room(&w.admin, w.room2, "Room 2", false).unwrap();
    assert_eq!(
        field(w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "review", WED, "10:00", w.bea, w.room2)
        ))
        .as_deref(),
        Some("room_id")
    );
    // the clinic adds a kind; the desk books it at its default length
    let mut kinds = w.c.appointment_kinds(&w.admin).unwrap();
    kinds.push(dermis_clinic::core::schedule::AppointmentKind {
        key: "peel-check".into(),
        label: "Peel check".into(),
        minutes: 20,
        numbing_minutes: 0,
        active: true,
    });
    w.c.set_appointment_kinds(&w.admin, &kinds).unwrap();
    let b =
        w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "peel-check", WED, "10:00", w.bea, w.room1),
        )
        .unwrap();
    assert_eq!((b.kind_label.as_str(), b.minutes), ("Peel check", 20));
    // the desk cannot change the settings
    assert_eq!(
        w.c.add_room(&w.desk, "Room 9").unwrap_err().code(),
        ErrorCode::Forbidden
    );
    assert_eq!(
        w.c.set_appointment_kinds(&w.desk, &kinds)
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    // an invisible character in a room name is refused
    let room_field =
        |r: Result<_, ClinicError>| dermis_clinic::ApiError::from(r.unwrap_err()).field;
    assert_eq!(
        room_field(w.c.add_room(&w.admin, "Room\u{202e}3")).as_deref(),
        Some("name")
    );
    assert_eq!(
        room_field(w.c.add_room(&w.admin, "room 1")).as_deref(),
        Some("name")
    );
}

#[test]
fn the_next_free_slot_search_by_practitioner_room_and_length() {
    let w = world();
    w.c.book_appointment(
        &w.desk,
        &BookingInput {
            minutes: Some(60),
            ..booking(&w, w.ann, "consultation", WED, "09:00", w.bea, w.room1)
        },
    )
    .unwrap();
    w.c.book_appointment(
        &w.desk,
        &BookingInput {
            minutes: Some(60),
            ..booking(&w, w.bo, "consultation", WED, "09:00", w.cal, w.room2)
        },
    )
    .unwrap();
    let q = |who: Option<UserId>, room: Option<RoomId>, minutes: u32| SlotQuery {
        practitioner_id: who,
        room_id: room,
        minutes,
        from_date: WED.into(),
        from_time: "09:00".into(),
    };
    let s =
        w.c.next_free_slot(&w.desk, &q(Some(w.bea), Some(w.room2), 30))
            .unwrap()
            .unwrap();
    assert_eq!(
        (s.date.to_string(), s.time.as_str()),
        (WED.to_string(), "10:00")
    );
    // any practitioner: the owner (admin + practitioner) is free at 09:00 but no room is
    let s =
        w.c.next_free_slot(&w.desk, &q(None, None, 30))
            .unwrap()
            .unwrap();
    assert_eq!(s.time, "10:00");
    // a full day's length does not fit after 09:00 on Wednesday: Thursday
    let s =
        w.c.next_free_slot(&w.desk, &q(Some(w.bea), Some(w.room1), 480))
            .unwrap()
            .unwrap();
    assert_eq!(
        (s.date.to_string(), s.time.as_str()),
        ("2026-11-26".to_string(), "09:00")
    );
}

#[test]
fn a_plans_sessions_are_offered_free_slots_and_booked_under_the_plans_rules() {
    let w = world();
    let admin = &w.admin;
    let questions = w.c.screening_questions(admin).unwrap();
    w.c.record_screening(
        admin,
        w.ann,
        &ScreeningInput {
            screened_on: today().to_string(),
            answers: questions
                .into_iter()
                .map(|q| ScreeningAnswer {
                    condition: q.condition,
                    present: false,
                    last_date: None,
                })
                .collect(),
            notes: String::new(),
        },
    )
    .unwrap();
    let a =
        w.c.record_assessment(
            admin,
            w.ann,
            &AssessmentInput {
                assessed_on: today().to_string(),
                scar_types: vec![ScarType::Rolling],
                grade: 2,
                counts: GbCounts {
                    moderate: 5,
                    ..Default::default()
                },
                fitzpatrick: 2,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 2,
                notes: String::new(),
            },
        )
        .unwrap();
    let plan =
        w.c.accept_plan(
            admin,
            &PlanRequest {
                patient_id: w.ann,
                assessment_id: a.id,
                start: WED.into(),
                adjust: None,
            },
        )
        .unwrap();
    let offers =
        w.c.session_slots(&w.desk, plan.id, Some(w.bea), Some(w.room1))
            .unwrap();
    assert_eq!(offers.len(), plan.sessions.len());
    let first = &offers[0];
    assert_eq!(first.planned, plan.sessions[0].date);
    assert!(
        first
            .slots
            .iter()
            .any(|s| s.date == first.planned && s.time == "09:00"),
        "{first:?}"
    );
    assert!(first.slots.iter().all(|s| s.minutes == 60));
    // Session 1 is tomorrow: the two days before it are offered only from today on.
    assert!(
        offers
            .iter()
            .all(|o| o.slots.iter().all(|s| s.date >= today())),
        "{offers:?}"
    );
    assert_eq!(first.version, 1, "a session never moved is at version 1");
    // each session's offers run from the earliest day to the latest, as the
    // desk reads them (issue 24: a mutant listing them backwards lived)
    assert!(offers.iter().any(|o| o.slots.len() > 1), "{offers:?}");
    for o in &offers {
        assert!(o.slots.windows(2).all(|p| p[0].date < p[1].date), "{o:?}");
    }
    // book session 1 into the offered slot, with the version the offer showed
    let slot = &first.slots[0];
    let into = |slot: &dermis_clinic::core::schedule::FreeSlot| MoveInput {
        date: slot.date.to_string(),
        time: slot.time.clone(),
        practitioner_id: Some(slot.practitioner_id),
        room_id: Some(slot.room_id),
        ..Default::default()
    };
    let b =
        w.c.move_booking(
            &w.desk,
            BookingKey::Session(first.session_id),
            Some(first.version),
            &into(slot),
        )
        .unwrap();
    // a second desk still showing the same offers books another slot: refused
    // (the session moved since), and it stays where the first desk put it
    let stale = w.c.move_booking(
        &w.desk,
        BookingKey::Session(first.session_id),
        Some(first.version),
        &into(first.slots.last().unwrap()),
    );
    assert!(
        matches!(&stale, Err(e) if e.code() == dermis_clinic::ErrorCode::Conflict),
        "{stale:?}"
    );
    assert_eq!(
        (b.kind.as_str(), b.minutes, b.numbing_minutes, b.session_n),
        ("session", 60, 20, Some(1))
    );
    // the offers now skip the booked hour
    let again =
        w.c.session_slots(&w.desk, plan.id, Some(w.bea), Some(w.room1))
            .unwrap();
    let day_one: Vec<_> = again[0].slots.iter().filter(|s| s.date == b.date).collect();
    assert!(
        day_one.iter().all(|s| s.time.as_str() >= "10:00"),
        "{day_one:?}"
    );
    // session 2 moved too close to session 1 breaks the shortest interval: refused, nothing moves
    let second = plan.sessions[1].id;
    let before = w.c.bookings(&w.desk, "2026-11-24", "2027-01-23").unwrap();
    let r = w.c.move_booking(
        &w.desk,
        BookingKey::Session(second),
        None,
        &MoveInput {
            date: (b.date + chrono::Duration::days(7)).to_string(),
            time: "09:00".into(),
            practitioner_id: Some(w.bea),
            room_id: Some(w.room1),
            ..Default::default()
        },
    );
    assert!(r.is_err(), "{r:?}");
    assert_eq!(
        w.c.bookings(&w.desk, "2026-11-24", "2027-01-23").unwrap(),
        before
    );
}

#[test]
fn a_plan_move_that_lands_a_timed_session_on_a_clash_is_refused() {
    // The plan's own "move" (reschedule_session) also keeps a booked time clash-free.
    let w = world();
    let admin = &w.admin;
    let questions = w.c.screening_questions(admin).unwrap();
    w.c.record_screening(
        admin,
        w.ann,
        &ScreeningInput {
            screened_on: today().to_string(),
            answers: questions
                .into_iter()
                .map(|q| ScreeningAnswer {
                    condition: q.condition,
                    present: false,
                    last_date: None,
                })
                .collect(),
            notes: String::new(),
        },
    )
    .unwrap();
    let a =
        w.c.record_assessment(
            admin,
            w.ann,
            &AssessmentInput {
                assessed_on: today().to_string(),
                scar_types: vec![ScarType::Rolling],
                grade: 2,
                counts: GbCounts {
                    moderate: 5,
                    ..Default::default()
                },
                fitzpatrick: 2,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 2,
                notes: String::new(),
            },
        )
        .unwrap();
    let plan =
        w.c.accept_plan(
            admin,
            &PlanRequest {
                patient_id: w.ann,
                assessment_id: a.id,
                start: WED.into(),
                adjust: None,
            },
        )
        .unwrap();
    let s1 = plan.sessions[0].clone();
    w.c.move_booking(
        &w.desk,
        BookingKey::Session(s1.id),
        None,
        &MoveInput {
            time: "09:00".into(),
            practitioner_id: Some(w.bea),
            room_id: Some(w.room1),
            ..Default::default()
        },
    )
    .unwrap();
    let next_day = s1.date + chrono::Duration::days(1);
    w.c.book_appointment(
        &w.desk,
        &booking(
            &w,
            w.bo,
            "consultation",
            &next_day.to_string(),
            "09:30",
            w.bea,
            w.room2,
        ),
    )
    .unwrap();
    let m = conflict(w.c.reschedule_session(&w.desk, s1.id, &next_day.to_string()));
    assert!(
        m.contains("Dr Bea already has P-000002 from 09:30 to 10:00"),
        "{m}"
    );
    let after =
        w.c.bookings(&w.desk, &s1.date.to_string(), &s1.date.to_string())
            .unwrap();
    assert_eq!(after.len(), 1, "the session stayed on its day");
}

fn a_plan(w: &World) -> dermis_clinic::core::plan::Plan {
    let admin = &w.admin;
    let questions = w.c.screening_questions(admin).unwrap();
    w.c.record_screening(
        admin,
        w.ann,
        &ScreeningInput {
            screened_on: today().to_string(),
            answers: questions
                .into_iter()
                .map(|q| ScreeningAnswer {
                    condition: q.condition,
                    present: false,
                    last_date: None,
                })
                .collect(),
            notes: String::new(),
        },
    )
    .unwrap();
    let a =
        w.c.record_assessment(
            admin,
            w.ann,
            &AssessmentInput {
                assessed_on: today().to_string(),
                scar_types: vec![ScarType::Rolling],
                grade: 2,
                counts: GbCounts {
                    moderate: 5,
                    ..Default::default()
                },
                fitzpatrick: 2,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 2,
                notes: String::new(),
            },
        )
        .unwrap();
    w.c.accept_plan(
        admin,
        &PlanRequest {
            patient_id: w.ann,
            assessment_id: a.id,
            start: WED.into(),
            adjust: None,
        },
    )
    .unwrap()
}

#[test]
fn a_later_session_that_follows_a_move_onto_a_clash_refuses_the_move() {
    let w = world();
    let plan = a_plan(&w);
    let (s1, s2) = (plan.sessions[0].clone(), plan.sessions[1].clone());
    for s in [&s1, &s2] {
        w.c.move_booking(
            &w.desk,
            BookingKey::Session(s.id),
            None,
            &MoveInput {
                time: "09:00".into(),
                practitioner_id: Some(w.bea),
                room_id: Some(w.room1),
                ..Default::default()
            },
        )
        .unwrap();
    }
    // Bo sees Dr Bea where session 2 would land if session 1 moved a week later.
    let landing = s2.date + chrono::Duration::days(7);
    w.c.book_appointment(
        &w.desk,
        &booking(
            &w,
            w.bo,
            "consultation",
            &landing.to_string(),
            "09:30",
            w.bea,
            w.room2,
        ),
    )
    .unwrap();
    let before = w.c.bookings(&w.desk, "2026-11-24", "2027-01-23").unwrap();
    let to = (s1.date + chrono::Duration::days(7)).to_string();
    let m = conflict(w.c.move_booking(
        &w.desk,
        BookingKey::Session(s1.id),
        None,
        &MoveInput {
            date: to.clone(),
            ..Default::default()
        },
    ));
    assert!(
        m.contains("Dr Bea already has P-000002 from 09:30 to 10:00"),
        "{m}"
    );
    let m = conflict(w.c.reschedule_session(&w.desk, s1.id, &to));
    assert!(m.contains("P-000002"), "{m}");
    assert_eq!(
        w.c.bookings(&w.desk, "2026-11-24", "2027-01-23").unwrap(),
        before,
        "nothing moved"
    );
    // and a session's time set the old way is clash-checked once it has a practitioner and room
    w.c.book_appointment(
        &w.desk,
        &booking(
            &w,
            w.bo,
            "review",
            &s1.date.to_string(),
            "11:00",
            w.cal,
            w.room1,
        ),
    )
    .unwrap();
    let m = conflict(w.c.set_session_time(&w.desk, s1.id, "10:30"));
    assert!(
        m.starts_with("Room 1 is taken by P-000002 from 11:00 to 11:15"),
        "{m}"
    );
}

// ---- every way into the calendar is clash-checked (issue 19, follow-up) ----

fn one_more_patient(w: &World, first: &str) -> PatientId {
    w.c.create_patient(
        &w.admin,
        &PatientInput {
            first_name: first.into(),
            last_name: "Lee".into(),
            date_of_birth: "1990-01-01".into(),
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

fn who_where(w: &World, date: &str) -> Vec<(String, Option<String>, Option<String>)> {
    w.c.bookings(&w.desk, date, date)
        .unwrap()
        .into_iter()
        .map(|b| (b.time.unwrap_or_default(), b.practitioner_name, b.room_name))
        .collect()
}

#[test]
fn a_timed_first_consultation_takes_the_first_free_practitioner_and_room_and_is_refused_when_none_is_free(
) {
    let w = world();
    let cy = one_more_patient(&w, "Cy");
    w.c.book_consultation(&w.desk, w.ann, WED, "10:00").unwrap();
    w.c.book_consultation(&w.desk, w.bo, WED, "10:00").unwrap();
    assert_eq!(
        who_where(&w, WED),
        vec![
            ("10:00".into(), Some("Dr Bea".into()), Some("Room 1".into())),
            ("10:00".into(), Some("Dr Cal".into()), Some("Room 2".into())),
        ],
        "the first practitioner by name in the first room, then the next free pair"
    );
    // Both rooms are taken at 10:15: refused with the usual sentence and the slot as data.
    let e = refused(w.c.book_consultation(&w.desk, cy, WED, "10:15"));
    assert_eq!(
        e.message,
        "Dr Bea already has P-000001 from 10:00 to 10:30 on Wed 2026-11-25. The next free slot for 30 minutes with Dr Bea in Room 1 is Wed 2026-11-25 at 10:30."
    );
    let slot = e.slot.expect("the next free slot as data");
    assert_eq!(
        (
            slot.date.to_string(),
            slot.time.as_str(),
            slot.minutes,
            slot.practitioner_id,
            slot.room_id
        ),
        (WED.to_string(), "10:30", 30, w.bea, w.room1)
    );
    assert!(
        !e.message.contains("Ann") && !e.message.contains("Lee"),
        "{}",
        e.message
    );
    assert_eq!(who_where(&w, WED).len(), 2, "nothing was booked");
    // The slot offered is taken as offered.
    w.c.book_consultation(&w.desk, cy, &slot.date.to_string(), &slot.time)
        .unwrap();
    // An untimed consultation holds no slot: booked as before, unassigned.
    w.c.book_consultation(&w.desk, cy, WED, "").unwrap();
    assert!(who_where(&w, WED).contains(&(String::new(), None, None)));
}

#[test]
fn a_timed_first_consultation_on_a_day_nobody_works_is_refused_not_booked_without_a_place() {
    let w = world();
    // An open Wednesday on which neither practitioner works: the sentence
    // names the first practitioner, and nothing is booked.
    let mondays = [DayHours {
        weekday: Weekday::Mon,
        start: "09:00".into(),
        end: "17:00".into(),
    }];
    let everyone: Vec<UserId> =
        w.c.practitioners(&w.admin)
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
    assert!(everyone.len() >= 2);
    for who in everyone {
        w.c.set_practitioner_hours(&w.admin, who, Some(&mondays))
            .unwrap();
    }
    let e = refused(w.c.book_consultation(&w.desk, w.ann, WED, "10:00"));
    assert!(
        e.message
            .starts_with("Dr Bea does not work on Wed 2026-11-25. The next free slot for 30 minutes with Dr Bea in Room 1 is Mon 2026-11-30 at 09:00."),
        "{}",
        e.message
    );
    assert!(who_where(&w, WED).is_empty());
    // When only the second practitioner works that day and is busy, the
    // sentence is about them, not about the first one's day off.
    let wednesdays = [DayHours {
        weekday: Weekday::Wed,
        start: "09:00".into(),
        end: "17:00".into(),
    }];
    w.c.set_practitioner_hours(&w.admin, w.cal, Some(&wednesdays))
        .unwrap();
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "consultation", WED, "10:00", w.cal, w.room1),
    )
    .unwrap();
    let e = refused(w.c.book_consultation(&w.desk, w.ann, WED, "10:00"));
    assert!(
        e.message
            .starts_with("Dr Cal already has P-000002 from 10:00 to 10:30 on Wed 2026-11-25."),
        "{}",
        e.message
    );
}

#[test]
fn a_registration_with_a_clashing_consultation_registers_nobody() {
    let w = world();
    w.c.book_consultation(&w.desk, w.ann, WED, "10:00").unwrap();
    w.c.book_consultation(&w.desk, w.bo, WED, "10:00").unwrap();
    let before = w.c.patient_count(&w.admin).unwrap_or_default();
    let e = refused(w.c.register_with_consultation(
        &w.desk,
        &PatientInput {
            first_name: "Dee".into(),
            last_name: "Ray".into(),
            date_of_birth: "1991-02-03".into(),
            ..Default::default()
        },
        WED,
        "10:00",
    ));
    assert!(e.message.contains("P-000001"), "{}", e.message);
    assert!(e.slot.is_some());
    assert_eq!(
        w.c.patient_count(&w.admin).unwrap_or_default(),
        before,
        "both or neither"
    );
    // At a free time the new patient is booked with the first free pair.
    let p =
        w.c.register_with_consultation(
            &w.desk,
            &PatientInput {
                first_name: "Dee".into(),
                last_name: "Ray".into(),
                date_of_birth: "1991-02-03".into(),
                ..Default::default()
            },
            WED,
            "11:00",
        )
        .unwrap();
    let b = w.c.bookings(&w.desk, WED, WED).unwrap();
    let mine = b.iter().find(|b| b.patient_id == p.id).unwrap();
    assert_eq!(
        (mine.practitioner_id, mine.room_id, mine.minutes),
        (Some(w.bea), Some(w.room1), 30)
    );
}

#[test]
fn a_sessions_time_set_without_practitioner_or_room_is_clash_checked_and_takes_the_defaults() {
    let w = world();
    let plan = a_plan(&w);
    let s1 = plan.sessions[0].clone();
    let day = s1.date.to_string();
    let cy = one_more_patient(&w, "Cy");
    // Both rooms taken from 10:00 to 11:00.
    for (p, who, room) in [(w.bo, w.bea, w.room1), (cy, w.cal, w.room2)] {
        let mut b = booking(&w, p, "consultation", &day, "10:00", who, room);
        b.minutes = Some(60);
        w.c.book_appointment(&w.desk, &b).unwrap();
    }
    let before = w.c.bookings(&w.desk, &day, &day).unwrap();
    let e = refused(w.c.set_session_time(&w.desk, s1.id, "10:30"));
    assert!(
        e.message
            .starts_with("Dr Bea already has P-000002 from 10:00 to 11:00"),
        "{}",
        e.message
    );
    assert_eq!(e.slot.as_ref().map(|s| s.time.as_str()), Some("11:00"));
    assert_eq!(
        w.c.bookings(&w.desk, &day, &day).unwrap(),
        before,
        "nothing changed"
    );
    // At a free time it takes the first free practitioner and room.
    w.c.set_session_time(&w.desk, s1.id, "11:00").unwrap();
    let s =
        w.c.bookings(&w.desk, &day, &day)
            .unwrap()
            .into_iter()
            .find(|b| b.key == BookingKey::Session(s1.id))
            .unwrap();
    assert_eq!(
        (s.time.as_deref(), s.practitioner_id, s.room_id),
        (Some("11:00"), Some(w.bea), Some(w.room1))
    );
}

#[test]
fn moving_an_unassigned_booking_takes_the_first_free_practitioner_and_room() {
    let w = world();
    w.c.book_consultation(&w.desk, w.ann, WED, "").unwrap();
    let key = w.c.bookings(&w.desk, WED, WED).unwrap()[0].key;
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "consultation", WED, "09:00", w.bea, w.room1),
    )
    .unwrap();
    let moved =
        w.c.move_booking(
            &w.desk,
            key,
            None,
            &MoveInput {
                time: "09:00".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (moved.practitioner_id, moved.room_id),
        (Some(w.cal), Some(w.room2)),
        "Dr Bea and Room 1 are taken at 09:00"
    );
}

#[test]
fn a_clash_reaches_the_ui_with_its_slot_and_other_errors_carry_none() {
    let w = world();
    w.c.book_appointment(
        &w.desk,
        &booking(&w, w.ann, "consultation", WED, "09:00", w.bea, w.room1),
    )
    .unwrap();
    let e = refused(w.c.book_appointment(
        &w.desk,
        &booking(&w, w.bo, "review", WED, "09:15", w.bea, w.room2),
    ));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["code"], "conflict");
    assert_eq!(json["slot"]["time"], "09:30");
    assert_eq!(json["slot"]["date"], WED);
    assert_eq!(json["slot"]["room_name"], "Room 2");
    let other = ApiError::from(ClinicError::Conflict("Something else.".into()));
    let json = serde_json::to_value(&other).unwrap();
    assert!(json.get("slot").is_none(), "{json}");
}

#[test]
fn setting_one_practitioners_hours_keeps_the_other_practitioners_own_hours() {
    let w = world();
    let wed = [DayHours {
        weekday: Weekday::Wed,
        start: "12:00".into(),
        end: "18:00".into(),
    }];
    let mon = [DayHours {
        weekday: Weekday::Mon,
        start: "10:00".into(),
        end: "16:00".into(),
    }];
    w.c.set_practitioner_hours(&w.admin, w.cal, Some(&wed))
        .unwrap();
    w.c.set_practitioner_hours(&w.admin, w.bea, Some(&mon))
        .unwrap();
    let week = |id| {
        w.c.practitioners(&w.admin)
            .unwrap()
            .into_iter()
            .find(|p| p.id == id)
            .unwrap()
    };
    // Dr Cal's Wednesday afternoons survive Bea's new week.
    let cal = week(w.cal);
    assert!(cal.custom);
    assert_eq!(cal.days.len(), 1, "{:?}", cal.days);
    assert_eq!(
        (cal.days[0].weekday, cal.days[0].start.as_str()),
        (Weekday::Wed, "12:00")
    );
    let bea = week(w.bea);
    assert!(bea.custom);
    assert_eq!(bea.days.len(), 1, "{:?}", bea.days);
    assert_eq!(
        (bea.days[0].weekday, bea.days[0].start.as_str()),
        (Weekday::Mon, "10:00")
    );
    // Cal's week changed again replaces the old one, it is not added to it.
    w.c.set_practitioner_hours(&w.admin, w.cal, Some(&mon))
        .unwrap();
    let cal = week(w.cal);
    assert_eq!(cal.days.len(), 1, "{:?}", cal.days);
    assert_eq!(cal.days[0].weekday, Weekday::Mon);
    // Back to the clinic's default week: no longer custom, Bea unchanged.
    w.c.set_practitioner_hours(&w.admin, w.cal, None).unwrap();
    assert!(!week(w.cal).custom);
    assert!(week(w.bea).custom);
}

#[test]
fn the_next_free_slot_looks_60_days_ahead_and_no_further() {
    let w = world();
    let from = today();
    // The clinic is closed for the 60 days from today; day 60 is open.
    let mut s = w.c.plan_settings(&w.admin).unwrap();
    s.open_weekdays = Weekday::ALL.to_vec();
    s.closed_dates = (0..60).map(|k| from + Duration::days(k)).collect();
    w.c.update_plan_settings(&w.admin, &s).unwrap();
    let q = |from_date: NaiveDate| SlotQuery {
        practitioner_id: None,
        room_id: None,
        minutes: 30,
        from_date: from_date.to_string(),
        from_time: String::new(),
    };
    assert_eq!(w.c.next_free_slot(&w.desk, &q(from)).unwrap(), None);
    // From the next day on, day 60 is inside the 60 days searched.
    let found =
        w.c.next_free_slot(&w.desk, &q(from + Duration::days(1)))
            .unwrap()
            .expect("a slot on day 60");
    assert_eq!(found.date, from + Duration::days(60));
    // A booking refused for a closed day offers the next free slot within
    // the same 60 days: none from today, day 60 from tomorrow.
    let refused_on = |day: NaiveDate| match w.c.book_appointment(
        &w.desk,
        &booking(
            &w,
            w.ann,
            "consultation",
            &day.to_string(),
            "10:00",
            w.bea,
            w.room1,
        ),
    ) {
        Err(ClinicError::SlotTaken(t)) => t.slot.map(|s| s.date),
        other => panic!("expected a refusal with the next slot, got {other:?}"),
    };
    assert_eq!(refused_on(from), None);
    assert_eq!(
        refused_on(from + Duration::days(1)),
        Some(from + Duration::days(60))
    );
}

#[test]
fn a_booking_in_a_room_since_retired_can_still_be_resized_there_but_none_moves_in() {
    let w = world();
    let b =
        w.c.book_appointment(
            &w.desk,
            &booking(&w, w.ann, "consultation", WED, "09:00", w.bea, w.room1),
        )
        .unwrap();
    let other =
        w.c.book_appointment(
            &w.desk,
            &booking(&w, w.bo, "consultation", WED, "11:00", w.cal, w.room2),
        )
        .unwrap();
    // Cy is in Room 1 right after Ann, with the other practitioner.
    let cy = one_more_patient(&w, "Cy");
    w.c.book_appointment(
        &w.desk,
        &booking(&w, cy, "consultation", WED, "09:45", w.cal, w.room1),
    )
    .unwrap();
    let room1 =
        w.c.rooms(&w.admin)
            .unwrap()
            .into_iter()
            .find(|r| r.id == w.room1)
            .unwrap();
    w.c.update_room(&w.admin, w.room1, &room1.name, false)
        .unwrap();
    // Ann's consultation stays in the retired room and can be made longer there.
    let longer =
        w.c.move_booking(
            &w.desk,
            b.key,
            None,
            &MoveInput {
                minutes: Some(45),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((longer.room_id, longer.minutes), (Some(w.room1), 45));
    // Longer still runs into Cy: the refusal names the retired room it is in.
    let m = conflict(w.c.move_booking(
        &w.desk,
        b.key,
        None,
        &MoveInput {
            minutes: Some(60),
            ..Default::default()
        },
    ));
    assert!(
        m.starts_with("Room 1 is taken by P-000003 from 09:45 to 10:15 on Wed 2026-11-25."),
        "{m}"
    );
    // Bo's cannot be moved into it.
    let e = w.c.move_booking(
        &w.desk,
        other.key,
        None,
        &MoveInput {
            room_id: Some(w.room1),
            ..Default::default()
        },
    );
    match e {
        Err(e) => {
            let api = dermis_clinic::ApiError::from(e);
            assert_eq!(api.field.as_deref(), Some("room_id"), "{api:?}");
            assert!(api.message.contains("retired"), "{}", api.message);
        }
        Ok(b) => panic!("moved into a retired room: {b:?}"),
    }
}

#[test]
fn free_slots_for_a_session_due_today_are_never_offered_in_the_past() {
    let mut w = world();
    // Session 1 five weeks ago; session 2 is due today, and its allowed
    // window reaches back past today.
    let started = today() - Duration::days(35);
    w.c.set_clock(Arc::new(dermis_clinic::FixedClock::on(started)));
    dermis_clinic::demo::sign_demo_consent(&w.c, &w.admin, w.ann, 1).unwrap();
    dermis_clinic::demo::record_first_session(&w.c, &w.admin, w.ann, started).unwrap();
    let plan = w.c.plans(&w.admin, w.ann).unwrap()[0].clone();
    let due = plan.sessions[1].date;
    w.c.set_clock(Arc::new(dermis_clinic::FixedClock::on(due)));
    let offers =
        w.c.session_slots(&w.desk, plan.id, Some(w.bea), Some(w.room1))
            .unwrap();
    let second = offers
        .iter()
        .find(|o| o.session_id == plan.sessions[1].id)
        .expect("session 2's offers");
    assert!(!second.slots.is_empty(), "{second:?}");
    assert!(second.slots.iter().all(|s| s.date >= due), "{second:?}");
}
