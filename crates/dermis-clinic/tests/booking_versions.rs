//! Two desks moving the same booking (issue 16, "an edit that conflicts
//! with a newer version says who changed it and offers to reload"): every
//! booking carries a version; a move, resize, cancel or "running late" made
//! on the version a screen showed before someone else changed the booking
//! is refused as `conflict`, names who changed it and when, says where the
//! booking is now (time and room: nothing clinical), and changes nothing.

use chrono::NaiveDate;
use dermis_clinic::core::ids::{PatientId, RoomId, UserId};
use dermis_clinic::core::schedule::{Booking, BookingKey};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{
    Actor, ApiError, BookingInput, Clinic, ClinicError, ErrorCode, FixedClock, MoveInput,
};
use std::sync::Arc;

// Tuesday 24 November 2026; the booking is on Wednesday.
const WED: &str = "2026-11-25";

struct World {
    c: Clinic,
    /// Two people on two screens: Sam at the desk, Dr Bea in her room.
    sam: Actor,
    bea: Actor,
    bea_id: UserId,
    room1: RoomId,
    room2: RoomId,
    ann: PatientId,
}

fn world() -> World {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(today))).unwrap();
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
    let bea_id = c
        .create_user(
            &admin,
            "bea",
            "Dr Bea",
            "a long password",
            &[Role::Practitioner],
        )
        .unwrap()
        .user_id;
    c.create_user(
        &admin,
        "sam",
        "Sam",
        "a long password",
        &[Role::Receptionist],
    )
    .unwrap();
    let login = |u: &str| {
        c.login(&LoginInput {
            username: u.into(),
            password: "a long password".into(),
        })
        .unwrap()
    };
    let (sam, bea) = (login("sam"), login("bea"));
    let ann = c
        .create_patient(
            &admin,
            &PatientInput {
                first_name: "Ann".into(),
                last_name: "Lee".into(),
                date_of_birth: "1990-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    World {
        room1: c.add_room(&admin, "Room 1").unwrap().id,
        room2: c.add_room(&admin, "Room 2").unwrap().id,
        c,
        sam,
        bea,
        bea_id,
        ann,
    }
}

/// A review on Wednesday at 09:00 in room 1, as both screens show it.
fn a_review(w: &World) -> Booking {
    w.c.book_appointment(
        &w.sam,
        &BookingInput {
            patient_id: w.ann,
            kind: "review".into(),
            date: WED.into(),
            time: "09:00".into(),
            minutes: None,
            numbing_minutes: None,
            practitioner_id: w.bea_id,
            room_id: w.room1,
        },
    )
    .unwrap()
}

fn to(time: &str) -> MoveInput {
    MoveInput {
        time: time.into(),
        ..Default::default()
    }
}

/// The refusal as the UI receives it: `conflict` and the sentence.
fn stale(r: Result<impl std::fmt::Debug, ClinicError>) -> String {
    let e = match r {
        Err(e) => ApiError::from(e),
        Ok(v) => panic!("expected a conflict, got {v:?}"),
    };
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    e.message
}

/// The sentence with its `HH:MM` (this PC's local time) taken out.
fn without_time(m: &str, who: &str) -> String {
    let prefix = format!("{who} changed this booking at ");
    assert!(m.starts_with(&prefix), "{m}");
    let rest = &m[prefix.len()..];
    let (hhmm, tail) = rest.split_at(5);
    assert!(
        hhmm.chars().enumerate().all(|(i, ch)| if i == 2 {
            ch == ':'
        } else {
            ch.is_ascii_digit()
        }),
        "{m}"
    );
    format!("{prefix}HH:MM{tail}")
}

fn now(w: &World, b: &Booking) -> Booking {
    w.c.bookings(&w.sam, WED, WED)
        .unwrap()
        .into_iter()
        .find(|x| x.key == b.key)
        .unwrap()
}

#[test]
fn two_moves_from_the_same_seen_version_the_second_is_refused_naming_who_and_changing_nothing() {
    let w = world();
    let shown = a_review(&w);
    assert_eq!(shown.version, 1);
    // Dr Bea drags it to 10:00 on her screen; Sam, on the day as he loaded
    // it, drags the same booking to 14:00.
    let moved =
        w.c.move_booking(&w.bea, shown.key, Some(shown.version), &to("10:00"))
            .unwrap();
    assert_eq!((moved.time.as_deref(), moved.version), (Some("10:00"), 2));
    let m = stale(w.c.move_booking(&w.sam, shown.key, Some(shown.version), &to("14:00")));
    assert_eq!(
        without_time(&m, "bea"),
        "bea changed this booking at HH:MM, while you were editing. Reload to see their \
         change, then make yours again. It is now on 2026-11-25 at 10:00, Room 1."
    );
    // The last write did not win: the booking is where Dr Bea put it.
    let after = now(&w, &shown);
    assert_eq!((after.time.as_deref(), after.version), (Some("10:00"), 2));
    // After "Reload the day" Sam's screen shows version 2: his move goes through.
    let mine =
        w.c.move_booking(&w.sam, shown.key, Some(after.version), &to("14:00"))
            .unwrap();
    assert_eq!((mine.time.as_deref(), mine.version), (Some("14:00"), 3));
}

#[test]
fn a_stale_resize_cancel_or_running_late_is_refused_and_changes_nothing() {
    let w = world();
    let shown = a_review(&w);
    // Dr Bea moves it to room 2; every change Sam then makes from version 1 is refused.
    w.c.move_booking(
        &w.bea,
        shown.key,
        Some(1),
        &MoveInput {
            room_id: Some(w.room2),
            ..Default::default()
        },
    )
    .unwrap();
    for m in [
        stale(w.c.resize_booking(&w.sam, shown.key, Some(1), 45)),
        stale(w.c.cancel_booking(&w.sam, shown.key, Some(1))),
        stale(w.c.set_running_late(&w.sam, shown.key, Some(1), true)),
    ] {
        assert_eq!(
            without_time(&m, "bea"),
            "bea changed this booking at HH:MM, while you were editing. Reload to see their \
             change, then make yours again. It is now on 2026-11-25 at 09:00, Room 2."
        );
    }
    let after = now(&w, &shown);
    assert_eq!(
        (
            after.minutes,
            after.running_late,
            after.version,
            after.room_id
        ),
        (shown.minutes, false, 2, Some(w.room2))
    );
    // Each of them from the version shown after reloading goes through and bumps it.
    w.c.set_running_late(&w.sam, shown.key, Some(2), true)
        .unwrap();
    let resized = w.c.resize_booking(&w.sam, shown.key, Some(3), 45).unwrap();
    assert_eq!((resized.minutes, resized.version), (45, 4));
    w.c.cancel_booking(&w.sam, shown.key, Some(4)).unwrap();
    assert!(w.c.bookings(&w.sam, WED, WED).unwrap().is_empty());
}

#[test]
fn a_checked_in_patient_makes_an_older_screen_of_the_booking_stale() {
    let w = world();
    let shown = a_review(&w);
    let BookingKey::Appointment(a) = shown.key else {
        unreachable!()
    };
    w.c.check_in_consultation(&w.bea, a, true).unwrap();
    let m = stale(w.c.move_booking(&w.sam, shown.key, Some(1), &to("11:00")));
    assert!(m.starts_with("bea changed this booking at "), "{m}");
    assert_eq!(now(&w, &shown).time.as_deref(), Some("09:00"));
}

#[test]
fn without_a_version_the_command_line_moves_whatever_the_booking_is_now() {
    let w = world();
    let shown = a_review(&w);
    w.c.move_booking(&w.bea, shown.key, Some(1), &to("10:00"))
        .unwrap();
    let b =
        w.c.move_booking(&w.sam, shown.key, None, &to("11:00"))
            .unwrap();
    assert_eq!((b.time.as_deref(), b.version), (Some("11:00"), 3));
}

/// The sentence of a booking taken off the calendar, its `HH:MM` taken out.
fn gone_without_time(m: &str, who: &str) -> String {
    let prefix = format!("{who} took this booking off the calendar at ");
    assert!(m.starts_with(&prefix), "{m}");
    format!("{prefix}HH:MM{}", &m[prefix.len() + 5..])
}

#[test]
fn a_booking_cancelled_on_another_pc_is_refused_naming_who_not_as_not_found() {
    let w = world();
    let shown = a_review(&w);
    // Sam cancels it at the desk; Dr Bea's screen still shows it.
    w.c.cancel_booking(&w.sam, shown.key, Some(shown.version))
        .unwrap();
    let want = "sam took this booking off the calendar at HH:MM, while you were looking at \
                it. Reload to see the day as it is now.";
    let moved =
        w.c.move_booking(&w.bea, shown.key, Some(shown.version), &to("10:00"))
            .map(|_| ());
    let late =
        w.c.set_running_late(&w.bea, shown.key, Some(shown.version), true);
    let resized =
        w.c.resize_booking(&w.bea, shown.key, Some(shown.version), 45)
            .map(|_| ());
    for (what, r) in [("move", moved), ("late", late), ("resize", resized)] {
        assert_eq!(gone_without_time(&stale(r), "sam"), want, "{what}");
    }
    let again = w.c.cancel_booking(&w.sam, shown.key, Some(shown.version));
    assert_eq!(gone_without_time(&stale(again), "sam"), want, "cancel");
    // Nothing came back: the booking stays off the calendar.
    assert!(w
        .c
        .bookings(&w.sam, WED, WED)
        .unwrap()
        .iter()
        .all(|b| b.key != shown.key));
    // Without a version (the command line) it is simply not found, as before.
    let e = ApiError::from(
        w.c.move_booking(&w.sam, shown.key, None, &to("11:00"))
            .unwrap_err(),
    );
    assert_eq!(e.code, ErrorCode::NotFound, "{e:?}");
}
