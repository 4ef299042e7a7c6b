//! What each role reads back of a patient's consents (issue 18), written
//! against the mutants cargo-mutants found missed by tests/consents.rs: the
//! desk's list of where each consent stands, and the photo-use answers the
//! photo screens obey.

use chrono::NaiveDate;
use dermis_clinic::core::consent::{ConsentSignInput, ConsentStatus, PhotoUses};
use dermis_clinic::core::ids::PatientId;
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, Clinic, ErrorCode, FixedClock};
use std::sync::Arc;

struct World {
    clinic: Clinic,
    dr: Actor,
    desk: Actor,
    patient: PatientId,
}

fn world() -> World {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let clinic = Clinic::open_in_memory(Arc::new(FixedClock::on(today))).unwrap();
    let dr = clinic
        .setup(&SetupInput {
            clinic_name: "C".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "drlee".into(),
            admin_display_name: "Dr Lee".into(),
            password: "correct horse battery".into(),
        })
        .unwrap();
    clinic
        .create_user(
            &dr,
            "desk",
            "Sam Desk",
            "reception password",
            &[Role::Receptionist],
        )
        .unwrap();
    let desk = clinic
        .login(&LoginInput {
            username: "desk".into(),
            password: "reception password".into(),
        })
        .unwrap();
    let patient = clinic
        .create_patient(
            &desk,
            &PatientInput {
                first_name: "Ana".into(),
                last_name: "Ruiz".into(),
                date_of_birth: "1992-03-04".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    World {
        clinic,
        dr,
        desk,
        patient,
    }
}

fn signing(w: &World, uses: PhotoUses, confirm: bool) -> ConsentSignInput {
    ConsentSignInput {
        patient_id: w.patient,
        template: "microneedling".into(),
        template_version: None,
        signature: dermis_clinic::demo::demo_signature(3),
        typed_name: String::new(),
        photo_uses: uses,
        confirm,
    }
}

#[test]
fn the_desk_sees_where_each_consent_stands() {
    let w = world();
    let c = &w.clinic;
    assert!(c.consents(&w.desk, w.patient).unwrap().is_empty());
    let signed = c
        .sign_consent(&w.desk, &signing(&w, PhotoUses::default(), false))
        .unwrap();
    let listed = c.consents(&w.desk, w.patient).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, signed.id);
    assert_eq!(listed[0].patient_id, w.patient);
    assert_eq!(listed[0].template_key, "microneedling");
    assert_eq!(listed[0].status, ConsentStatus::AwaitingConfirmation);
    c.confirm_consent(&w.dr, signed.id).unwrap();
    let listed = c.consents(&w.desk, w.patient).unwrap();
    assert_eq!(listed[0].status, ConsentStatus::Signed);
    assert_eq!(listed[0].confirmed_by.as_deref(), Some("Dr Lee"));
}

#[test]
fn the_photo_answers_are_those_the_patient_gave_until_the_consent_is_withdrawn() {
    let w = world();
    let c = &w.clinic;
    // No consent: every use is "no".
    assert_eq!(
        c.photo_consent(&w.dr, w.patient).unwrap(),
        PhotoUses::default()
    );
    let uses = PhotoUses {
        record: true,
        teaching: true,
        marketing: false,
    };
    let signed = c.sign_consent(&w.dr, &signing(&w, uses, true)).unwrap();
    assert_eq!(c.photo_consent(&w.dr, w.patient).unwrap(), uses);
    // The answers are clinical: the desk does not receive them.
    let e = c.photo_consent(&w.desk, w.patient).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    c.revoke_consent(&w.dr, signed.id, "Moved abroad").unwrap();
    assert_eq!(
        c.photo_consent(&w.dr, w.patient).unwrap(),
        PhotoUses::default()
    );
}
