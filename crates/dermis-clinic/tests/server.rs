//! The clinic on the clinic server, on a throwaway PostgreSQL cluster: the
//! accounts made through the clinic are the server's login roles, so each
//! person connects with their own credentials and the engine enforces
//! their grants; password changes and deactivation reach the server.

use dermis_clinic::core::{LoginInput, PatientInput, PatientSearch, Role, SetupInput};
use dermis_clinic::{Actor, Clinic, ErrorCode, ServerLogin};
use std::path::Path;

#[path = "../../dermis-store/tests/common/cluster.rs"]
mod cluster;

const ADMIN_PW: &str = "plum kettle harbour velvet";
const DESK_PW: &str = "amber lantern meadow quartz";

fn open_as(url: &str, keys: &Path, user: &str, password: &str) -> dermis_clinic::Result<Clinic> {
    Clinic::open_server_in(
        url,
        ServerLogin::User {
            username: user,
            password,
        },
        keys,
    )
}

fn sign_in(c: &Clinic, user: &str, password: &str) -> Actor {
    c.login(&LoginInput {
        username: user.into(),
        password: password.into(),
    })
    .unwrap()
}

/// A clinic set up on a fresh database by the setup user (the cluster's
/// superuser), with a receptionist; returns the URL and the keys folder.
fn clinic_on_server(c: &cluster::Cluster) -> (String, tempfile::TempDir) {
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let keys = tempfile::tempdir().unwrap();
    let setup = Clinic::open_server_in(
        &url,
        ServerLogin::Setup {
            password: Some(cluster::SUPER_PASSWORD),
        },
        keys.path(),
    )
    .unwrap();
    let admin = setup
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: String::new(),
            clinic_phone: String::new(),
            admin_username: "Owner".into(),
            admin_display_name: "Owner".into(),
            password: ADMIN_PW.into(),
        })
        .unwrap();
    setup
        .create_user(&admin, "rita", "Rita", DESK_PW, &[Role::Receptionist])
        .unwrap();
    (url, keys)
}

fn ann() -> PatientInput {
    PatientInput {
        first_name: "Zoë".into(),
        last_name: "Park".into(),
        date_of_birth: "1980-01-01".into(),
        ..Default::default()
    }
}

#[test]
fn a_user_created_through_the_clinic_opens_it_with_their_own_credentials() {
    let Some(c) = cluster::cluster() else { return };
    let (url, keys) = clinic_on_server(c);
    // The first admin (made at setup) and the receptionist (made by the admin).
    let owner = open_as(&url, keys.path(), "owner", ADMIN_PW).unwrap();
    let admin = sign_in(&owner, "owner", ADMIN_PW);
    let desk = open_as(&url, keys.path(), "Rita", DESK_PW).unwrap();
    let rita = sign_in(&desk, "rita", DESK_PW);
    let p = desk.create_patient(&rita, &ann()).unwrap();
    let found = owner
        .search_patients(
            &admin,
            &PatientSearch {
                query: "zoe".into(),
                include_archived: false,
                offset: 0,
                limit: 10,
            },
        )
        .unwrap();
    assert_eq!(
        found.items[0].id, p.id,
        "one clinic, seen from both connections"
    );
    // The log written through both connections is one intact chain.
    assert!(owner.audit_verdict().unwrap().intact);
    // A wrong password never reaches the clinic: the server refuses it.
    let e = open_as(&url, keys.path(), "rita", "not her password")
        .err()
        .unwrap();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
}

#[test]
fn a_receptionists_connection_cannot_read_clinical_tables() {
    let Some(c) = cluster::cluster() else { return };
    let (url, keys) = clinic_on_server(c);
    let owner = open_as(&url, keys.path(), "owner", ADMIN_PW).unwrap();
    let admin = sign_in(&owner, "owner", ADMIN_PW);
    let p = owner.create_patient(&admin, &ann()).unwrap();
    assert!(owner.screenings(&admin, p.id).unwrap().is_empty());
    let desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    let rita = sign_in(&desk, "rita", DESK_PW);
    let e = desk.screenings(&rita, p.id).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "the app refuses first: {e}");
    // Even if the accounts table said she were a practitioner (the app's
    // check passes), the engine refuses her connection: a clear error.
    let mut su = c.superuser(url.rsplit('/').next().unwrap());
    su.execute(
        "UPDATE users SET roles = 'receptionist,practitioner' WHERE username = 'rita'",
        &[],
    )
    .unwrap();
    let rita = sign_in(&desk, "rita", DESK_PW);
    let e = desk.screenings(&rita, p.id).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    assert!(e.to_string().contains("clinic server refused"), "{e}");
    assert!(e.to_string().contains("screenings"), "{e}");
    // What the desk may do still works on the same connection.
    desk.create_patient(
        &rita,
        &PatientInput {
            first_name: "Ann".into(),
            ..ann()
        },
    )
    .unwrap();
}

#[test]
fn after_a_password_change_the_old_password_no_longer_connects() {
    let Some(c) = cluster::cluster() else { return };
    let (url, keys) = clinic_on_server(c);
    let desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    let rita = sign_in(&desk, "rita", DESK_PW);
    let new = "copper willow signal thunder";
    desk.change_password(&rita, DESK_PW, new).unwrap();
    drop(desk);
    let e = open_as(&url, keys.path(), "rita", DESK_PW).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    let desk = open_as(&url, keys.path(), "rita", new).unwrap();
    sign_in(&desk, "rita", new);
    // From psql, her credentials may change her own account's hash, no other.
    let db = url.rsplit('/').next().unwrap();
    let mut config: postgres::Config = c.url(&format!("{db}_rita"), db).parse().unwrap();
    config.password(new);
    let mut psql = config.connect(postgres::NoTls).unwrap();
    let sql = "UPDATE users SET password_hash = password_hash WHERE username = $1";
    assert_eq!(
        psql.execute(sql, &[&"owner"]).unwrap(),
        0,
        "not the admin's row"
    );
    assert_eq!(psql.execute(sql, &[&"rita"]).unwrap(), 1);
    assert!(psql
        .execute(
            "UPDATE users SET roles = 'admin' WHERE username = 'rita'",
            &[]
        )
        .is_err());

    // An admin's reset and a deactivation reach the server too.
    let owner = open_as(&url, keys.path(), "owner", ADMIN_PW).unwrap();
    let admin = sign_in(&owner, "owner", ADMIN_PW);
    let reset = "granite puffin orchard violet";
    owner.reset_password(&admin, "rita", reset).unwrap();
    assert!(open_as(&url, keys.path(), "rita", new).is_err());
    open_as(&url, keys.path(), "rita", reset).unwrap();
    owner.deactivate_user(&admin, "rita").unwrap();
    let e = open_as(&url, keys.path(), "rita", reset).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
}

#[test]
fn a_pc_without_the_audit_key_is_refused_rather_than_given_a_new_one() {
    let Some(c) = cluster::cluster() else { return };
    let (url, _keys) = clinic_on_server(c);
    let elsewhere = tempfile::tempdir().unwrap();
    let e = open_as(&url, elsewhere.path(), "rita", DESK_PW)
        .err()
        .unwrap();
    assert!(e.to_string().contains("audit key"), "{e}");
    assert!(!elsewhere.path().join("audit-key").exists());
}

#[test]
fn a_clinic_file_copied_to_the_server_keeps_its_chain_and_its_admin() {
    let Some(c) = cluster::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = Clinic::open(&dir.path().join("clinic.db")).unwrap();
    let admin = file
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: String::new(),
            clinic_phone: String::new(),
            admin_username: "owner".into(),
            admin_display_name: "Owner".into(),
            password: ADMIN_PW.into(),
        })
        .unwrap();
    file.create_user(&admin, "rita", "Rita", DESK_PW, &[Role::Receptionist])
        .unwrap();
    file.create_patient(&admin, &ann()).unwrap();
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let keys = tempfile::tempdir().unwrap();
    let copy = file
        .copy_to_server(
            &admin,
            ADMIN_PW,
            &url,
            Some(cluster::SUPER_PASSWORD),
            keys.path(),
        )
        .unwrap();
    assert!(copy.counts_match && copy.chain_intact, "{copy:?}");
    assert_eq!(copy.ready, ["owner"]);
    assert_eq!(copy.need_password_reset, ["rita"]);
    // The admin connects with their own password; rita only after a reset.
    assert!(open_as(&url, keys.path(), "rita", DESK_PW).is_err());
    let owner = open_as(&url, keys.path(), "owner", ADMIN_PW).unwrap();
    let admin = sign_in(&owner, "owner", ADMIN_PW);
    assert!(owner.audit_verdict().unwrap().intact);
    owner.reset_password(&admin, "rita", DESK_PW).unwrap();
    let desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    sign_in(&desk, "rita", DESK_PW);
    // A second copy onto the same database is refused.
    let e = file
        .copy_to_server(
            &admin,
            ADMIN_PW,
            &url,
            Some(cluster::SUPER_PASSWORD),
            keys.path(),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
}

/// The recall call list on the server (issue 18): the receptionist's own
/// login logs a call (INSERT granted), a practitioner's later session
/// re-plans the recalls (their DELETE sets the call's recall to NULL through
/// the foreign key) and the call stays on the list.
#[test]
fn the_desk_logs_recall_calls_on_the_server_and_re_planning_keeps_them() {
    use chrono::{Duration, NaiveDate};
    use dermis_clinic::core::assessment::{
        AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
    };
    use dermis_clinic::core::plan::PlanRequest;
    use dermis_clinic::core::recall::{ContactOutcome, RecallContactInput};
    use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
    use dermis_clinic::core::session::{DepthZone, SessionRecordInput, ZoneDepthInput};
    use dermis_clinic::FixedClock;
    use std::sync::Arc;

    let Some(c) = cluster::cluster() else { return };
    let (url, keys) = clinic_on_server(c);
    let t0 = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut owner = open_as(&url, keys.path(), "owner", ADMIN_PW).unwrap();
    owner.set_clock(Arc::new(FixedClock::on(t0)));
    let admin = sign_in(&owner, "owner", ADMIN_PW);
    owner
        .create_user(
            &admin,
            "amira",
            "Dr Amira Haddad",
            "otter river stone",
            &[Role::Practitioner],
        )
        .unwrap();
    let p = owner.create_patient(&admin, &ann()).unwrap().id;
    owner
        .record_screening(
            &admin,
            p,
            &ScreeningInput {
                screened_on: t0.to_string(),
                answers: Condition::ALL
                    .into_iter()
                    .map(|c| ScreeningAnswer {
                        condition: c,
                        present: false,
                        last_date: None,
                    })
                    .collect(),
                notes: "".into(),
            },
        )
        .unwrap();
    let a = owner
        .record_assessment(
            &admin,
            p,
            &AssessmentInput {
                assessed_on: t0.to_string(),
                scar_types: vec![ScarType::Boxcar],
                grade: 2,
                counts: GbCounts {
                    moderate: 5,
                    ..Default::default()
                },
                fitzpatrick: 2,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 2,
                notes: "".into(),
            },
        )
        .unwrap();
    let plan = owner
        .accept_plan(
            &admin,
            &PlanRequest {
                patient_id: p,
                assessment_id: a.id,
                start: t0.to_string(),
                adjust: None,
            },
        )
        .unwrap();
    let due = plan.maintenance[0];

    let mut desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    desk.set_clock(Arc::new(FixedClock::on(due + Duration::days(1))));
    let rita = sign_in(&desk, "rita", DESK_PW);
    let call = desk.recall_calls(&rita).unwrap().calls.remove(0);
    desk.record_recall_contact(
        &rita,
        call.recall_id,
        &RecallContactInput {
            outcome: ContactOutcome::LeftMessage,
            note: "voicemail".into(),
        },
    )
    .unwrap();

    // The practitioner records the first session (late): the recalls are re-planned.
    let mut dr = open_as(&url, keys.path(), "amira", "otter river stone").unwrap();
    dr.set_clock(Arc::new(FixedClock::on(t0 + Duration::days(1))));
    let amira = sign_in(&dr, "amira", "otter river stone");
    dr.record_session(
        &amira,
        plan.sessions[0].id,
        &SessionRecordInput {
            date: (t0 + Duration::days(1)).to_string(),
            numbing_cream: "".into(),
            numbing_minutes: None,
            device: "Pen A6".into(),
            cartridge_lot: "CART-1".into(),
            skin: dermis_clinic::core::session::SkinThickness::Thin,
            depths: vec![ZoneDepthInput {
                zone: DepthZone::CheeksChin,
                depth_mm: "1.0".into(),
            }],
            passes: 2,
            glide_product: "".into(),
            glide_lot: "".into(),
            endpoint: dermis_clinic::core::session::Endpoint::Erythema,
            immediate_reaction: "".into(),
            duration_minutes: None,
            notes: "".into(),
            confirm_above_ceiling: false,
            screening_override_reason: "".into(),
        },
    )
    .unwrap();
    let plans = owner.plans(&admin, p).unwrap();
    let new_due = plans[0].maintenance[0];
    desk.set_clock(Arc::new(FixedClock::on(new_due)));
    let rita = sign_in(&desk, "rita", DESK_PW);
    let row = desk.recall_calls(&rita).unwrap().calls.remove(0);
    assert_eq!(row.contacts.len(), 1, "the call survives re-planning");
    assert_eq!(row.contacts[0].note, "voicemail");
    assert_eq!(row.contacts[0].by, "Rita");
    assert_eq!(
        row.contacts[0].recall_id, None,
        "its recall was replaced by re-planning"
    );
    assert_ne!(row.recall_id, call.recall_id);
}

/// Consent forms on the clinic server: the receptionist's own connection
/// takes the patient's signature and sees where it stands; the engine
/// refuses her the signed content; a practitioner's connection confirms it.
#[test]
fn the_desk_takes_a_signature_on_the_server_and_the_owner_confirms_it() {
    use dermis_clinic::core::consent::{ConsentSignInput, ConsentStatus, PhotoUses};
    let Some(c) = cluster::cluster() else { return };
    let (url, keys) = clinic_on_server(c);
    let owner = open_as(&url, keys.path(), "owner", ADMIN_PW).unwrap();
    let admin = sign_in(&owner, "owner", ADMIN_PW);
    let p = owner.create_patient(&admin, &ann()).unwrap();
    let desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    let rita = sign_in(&desk, "rita", DESK_PW);
    let taken = desk
        .sign_consent(
            &rita,
            &ConsentSignInput {
                patient_id: p.id,
                template: "microneedling".into(),
                template_version: Some(1),
                signature: dermis_clinic::demo::demo_signature(5),
                typed_name: String::new(),
                photo_uses: PhotoUses::default(),
                confirm: false,
            },
        )
        .unwrap();
    assert_eq!(taken.status, ConsentStatus::AwaitingConfirmation);
    assert_eq!(desk.consents(&rita, p.id).unwrap().len(), 1);
    assert!(desk.consent(&rita, taken.id).is_err());
    let confirmed = owner.confirm_consent(&admin, taken.id).unwrap();
    assert_eq!(confirmed.status, ConsentStatus::Signed);
    assert_eq!(confirmed.recorded_by, "Rita");
    assert!(owner.audit_verdict().unwrap().intact);
}
