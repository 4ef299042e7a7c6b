//! "Who changed it" beyond the patient's details (issue 16, "Live": an
//! edit that conflicts with a newer version says who changed it and offers
//! to reload), with two PCs on one clinic server: a session recorded on the
//! other PC, a plan paused on the other PC, and a booking the desk tries to
//! move after the practitioner recorded it. The desk is told who and when,
//! and nothing of what was recorded.

use dermis_clinic::core::ids::PlannedSessionId;
use dermis_clinic::core::plan::{PlanRequest, PlanStatus};
use dermis_clinic::core::schedule::BookingKey;
use dermis_clinic::core::session::{DepthZone, SessionRecordInput, ZoneDepthInput};
use dermis_clinic::core::{PatientInput, Role, SetupInput};
use dermis_clinic::{ErrorCode, MoveInput};

mod common;
use common::{
    add_rita, all_clear, boxcar_scars, cluster, new_clinic_on_server, setup_input, signed_in,
    OnServer, ADMIN_PW, DESK_PW,
};

const DR2_PW: &str = "juniper quarry violet ember";

fn record(date: &str, notes: &str) -> SessionRecordInput {
    SessionRecordInput {
        date: date.into(),
        numbing_cream: "Lidocaine 5%".into(),
        numbing_minutes: Some(30),
        device: "Pen A6".into(),
        cartridge_lot: "CART-2211".into(),
        skin: dermis_clinic::core::session::SkinThickness::Thin,
        depths: vec![ZoneDepthInput {
            zone: DepthZone::CheeksChin,
            depth_mm: "1.0".into(),
        }],
        passes: 3,
        glide_product: "HA serum".into(),
        glide_lot: "HA-77".into(),
        endpoint: dermis_clinic::core::session::Endpoint::Erythema,
        immediate_reaction: "Even redness".into(),
        duration_minutes: Some(40),
        notes: notes.into(),
        confirm_above_ceiling: false,
        screening_override_reason: "".into(),
    }
}

/// A clinic on the server (owner: admin + practitioner; lena: practitioner;
/// rita: desk) with a consented, screened patient whose plan starts today.
/// Returns the url, the keys' folder, the first session and the plan.
fn clinic_with_a_plan(
    c: &cluster::Cluster,
) -> (
    String,
    tempfile::TempDir,
    PlannedSessionId,
    dermis_clinic::core::ids::PlanId,
) {
    let owner = SetupInput {
        admin_display_name: "Dr Owner".into(),
        ..setup_input()
    };
    let (OnServer { url, keys, .. }, setup, owner) = new_clinic_on_server(c, &owner);
    setup
        .create_user(&owner, "lena", "Dr Lena", DR2_PW, &[Role::Practitioner])
        .unwrap();
    add_rita(&setup, &owner);
    let today = setup.today().to_string();
    let p = setup
        .create_patient(
            &owner,
            &PatientInput {
                first_name: "Zoë".into(),
                last_name: "Park".into(),
                date_of_birth: "1992-03-04".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    dermis_clinic::demo::sign_demo_consent(&setup, &owner, p, 1).unwrap();
    setup
        .record_screening(&owner, p, &all_clear(&today))
        .unwrap();
    let a = setup
        .record_assessment(&owner, p, &boxcar_scars(&today, 3, 12, 4))
        .unwrap();
    let plan = setup
        .accept_plan(
            &owner,
            &PlanRequest {
                patient_id: p,
                assessment_id: a.id,
                start: today,
                adjust: None,
            },
        )
        .unwrap();
    (url, keys, plan.sessions[0].id, plan.id)
}

const SECRET_NOTE: &str = "Scar tissue near the left ear reacted strongly";

#[test]
fn a_session_recorded_on_the_other_pc_names_who_recorded_it_to_the_second_practitioner_and_to_the_desk(
) {
    let Some(c) = cluster::cluster() else { return };
    let (url, keys, session, _plan) = clinic_with_a_plan(c);
    let (room1, owner) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let (room2, lena) = signed_in(&url, keys.path(), "lena", DR2_PW);
    let (desk, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let today = room1.today().to_string();

    // Both rooms opened the session form; room 1 saves first.
    room1
        .record_session(&owner, session, &record(&today, SECRET_NOTE))
        .unwrap();
    let e = room2
        .record_session(&lena, session, &record(&today, "mine"))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with("owner recorded session 1 at ") && msg.contains("Reload"),
        "{msg}"
    );
    assert!(msg.contains("not saved"), "{msg}");

    // The desk drags the booking to another time: who recorded it, when, and
    // nothing of the record (no depth, no device, no note).
    let e = desk
        .move_booking(
            &rita,
            BookingKey::Session(session),
            None,
            &MoveInput {
                time: "16:00".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with("owner recorded this session at ") && msg.contains("Reload"),
        "{msg}"
    );
    for clinical in [
        SECRET_NOTE,
        "1.0",
        "mm",
        "Pen",
        "Lidocaine",
        "HA",
        "Erythema",
        "redness",
    ] {
        assert!(
            !msg.contains(clinical),
            "{clinical:?} leaked to the desk: {msg}"
        );
    }
}

#[test]
fn a_plan_paused_on_the_other_pc_names_who_changed_its_status() {
    let Some(c) = cluster::cluster() else { return };
    let (url, keys, session, plan) = clinic_with_a_plan(c);
    let (room1, owner) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let (room2, lena) = signed_in(&url, keys.path(), "lena", DR2_PW);
    let today = room1.today().to_string();
    room1
        .set_plan_status(
            &owner,
            plan,
            PlanStatus::Paused,
            "Patient asked for a break",
        )
        .unwrap();
    let e = room2
        .record_session(&lena, session, &record(&today, "mine"))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    let msg = e.to_string();
    assert!(msg.starts_with("This plan is paused"), "{msg}");
    assert!(
        msg.contains("(owner changed the plan's status at ") && msg.contains("reload"),
        "{msg}"
    );
}

#[test]
fn two_pcs_moving_the_same_booking_on_the_server_the_stale_one_is_refused_naming_who() {
    let Some(c) = cluster::cluster() else { return };
    let (url, keys, session, _plan) = clinic_with_a_plan(c);
    let (room1, owner) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    room1.add_room(&owner, "Room 2").unwrap();
    let (room2, lena) = signed_in(&url, keys.path(), "lena", DR2_PW);
    let (desk, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let today = desk.today().to_string();
    let key = BookingKey::Session(session);
    // Both PCs show the day with the session at the same version.
    let shown = desk
        .bookings(&rita, &today, &today)
        .unwrap()
        .into_iter()
        .find(|b| b.key == key)
        .unwrap();
    let at = |time: &str| MoveInput {
        time: time.into(),
        ..Default::default()
    };
    let moved = room2
        .move_booking(&lena, key, Some(shown.version), &at("15:00"))
        .unwrap();
    assert_eq!(moved.version, shown.version + 1);
    let e = desk
        .move_booking(&rita, key, Some(shown.version), &at("16:00"))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with("lena changed this booking at ") && msg.contains("Reload"),
        "{msg}"
    );
    assert!(
        msg.ends_with(&format!("It is now on {today} at 15:00, Room 2.")),
        "{msg}"
    );
    // Nothing changed: the session stays where the practitioner put it.
    let now = desk
        .bookings(&rita, &today, &today)
        .unwrap()
        .into_iter()
        .find(|b| b.key == key)
        .unwrap();
    assert_eq!(
        (now.time.as_deref(), now.version),
        (Some("15:00"), moved.version)
    );
}
