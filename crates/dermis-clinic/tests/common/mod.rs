//! What the clinic-server and Workstation tests share (server.rs, live*.rs,
//! backup_key_holders.rs, workstation.rs, encrypt_offer.rs, print_offline.rs):
//! the throwaway PostgreSQL cluster, the test accounts' passwords, a clinic
//! set up on a fresh database of it the way the setup user does it, a PC
//! opening it as one person, a desktop that opens nothing, and the command
//! table called as the app's window calls it. One place, so that a change to
//! how a clinic is set up on the server is made once. Each test binary uses
//! part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use dermis_clinic::api::{Desktop, Workstation};
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, ApiError, Clinic, ServerLogin};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[path = "../../../dermis-store/tests/common/cluster.rs"]
pub mod cluster;

pub const ADMIN_PW: &str = "plum kettle harbour velvet";
pub const DESK_PW: &str = "amber lantern meadow quartz";

/// A desktop that opens nothing and has no folders of its own.
pub struct NoOs;
impl Desktop for NoOs {
    fn open(&self, _: &Path) -> Result<(), String> {
        Ok(())
    }
    fn prints_dir(&self) -> Option<PathBuf> {
        None
    }
    fn log_dir(&self) -> Option<PathBuf> {
        None
    }
    fn app_name_version(&self) -> (String, String) {
        ("Dermis".into(), "test".into())
    }
}

/// One command through the command table; its reply as JSON.
pub fn call(w: &Workstation, name: &str, args: Value) -> Result<Value, ApiError> {
    w.call(name, &args)
        .map(|r| serde_json::from_slice(&r.into_bytes()).unwrap_or(Value::Null))
}

/// The sign-in command.
pub fn login(w: &Workstation, user: &str, password: &str) -> Result<Value, ApiError> {
    call(
        w,
        "login",
        json!({ "input": { "username": user, "password": password } }),
    )
}

/// The first admin as most tests set the clinic up: "owner", [`ADMIN_PW`].
pub fn setup_input() -> SetupInput {
    SetupInput {
        clinic_name: "Clinique Étoile".into(),
        clinic_address: String::new(),
        clinic_phone: String::new(),
        admin_username: "owner".into(),
        admin_display_name: "Owner".into(),
        password: ADMIN_PW.into(),
    }
}

/// The patient most tests make: Zoë Park, born 1980-01-01, nothing else.
pub fn zoe_park() -> PatientInput {
    PatientInput {
        first_name: "Zoë".into(),
        last_name: "Park".into(),
        date_of_birth: "1980-01-01".into(),
        ..Default::default()
    }
}

/// A clinic on one database of the clinic server: its address, the
/// database's name and the audit keys' folder (kept while this lives).
pub struct OnServer {
    pub url: String,
    pub db: String,
    pub keys: tempfile::TempDir,
}

/// Sets the clinic up at `url` as the setup user (the cluster's superuser)
/// does; the setup user's clinic and the first admin, for what the test adds.
pub fn set_up_at(url: &str, keys: &Path, input: &SetupInput) -> (Clinic, Actor) {
    let setup = Clinic::open_server_in(
        url,
        ServerLogin::Setup {
            password: Some(cluster::SUPER_PASSWORD),
        },
        keys,
    )
    .unwrap();
    let admin = setup.setup(input).unwrap();
    (setup, admin)
}

/// The receptionist "rita" ([`DESK_PW`]), made by `admin`.
pub fn add_rita(setup: &Clinic, admin: &Actor) {
    setup
        .create_user(admin, "rita", "Rita", DESK_PW, &[Role::Receptionist])
        .unwrap();
}

/// A fresh database of the cluster, no clinic on it yet.
pub fn fresh_database(c: &cluster::Cluster) -> OnServer {
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let keys = tempfile::tempdir().unwrap();
    OnServer { url, db, keys }
}

/// A clinic set up with `input` on a fresh database of the cluster, and
/// nobody else; with the setup user's clinic and the first admin.
pub fn new_clinic_on_server(c: &cluster::Cluster, input: &SetupInput) -> (OnServer, Clinic, Actor) {
    let server = fresh_database(c);
    let (setup, admin) = set_up_at(&server.url, server.keys.path(), input);
    (server, setup, admin)
}

/// The usual clinic on a fresh database of the cluster: the admin "owner"
/// ([`ADMIN_PW`]) and the receptionist "rita" ([`DESK_PW`]).
pub fn clinic_on_server(c: &cluster::Cluster) -> OnServer {
    let (server, setup, admin) = new_clinic_on_server(c, &setup_input());
    add_rita(&setup, &admin);
    server
}

/// A clinic on a fresh database of the cluster with its first admin "owner"
/// ([`ADMIN_PW`]) alone.
pub fn owner_only_on_server(c: &cluster::Cluster) -> OnServer {
    new_clinic_on_server(c, &setup_input()).0
}

/// A PC opening the clinic server as `user`, or the error it gets.
pub fn try_open_as(
    url: &str,
    keys: &Path,
    user: &str,
    password: &str,
) -> dermis_clinic::Result<Clinic> {
    Clinic::open_server_in(
        url,
        ServerLogin::User {
            username: user,
            password,
        },
        keys,
    )
}

/// A PC opening the clinic server as `user`.
pub fn open_as(url: &str, keys: &Path, user: &str, password: &str) -> Clinic {
    try_open_as(url, keys, user, password).unwrap()
}

/// `user` signing in on `c`.
pub fn sign_in(c: &Clinic, user: &str, password: &str) -> Actor {
    c.login(&LoginInput {
        username: user.into(),
        password: password.into(),
    })
    .unwrap()
}

/// A PC opened as `user`, with `user` signed in on it.
pub fn signed_in(url: &str, keys: &Path, user: &str, password: &str) -> (Clinic, Actor) {
    let c = open_as(url, keys, user, password);
    let a = sign_in(&c, user, password);
    (c, a)
}

/// A screening on `on` (`YYYY-MM-DD`) with every answer "no": nothing blocks a plan.
pub fn all_clear(on: &str) -> ScreeningInput {
    ScreeningInput {
        screened_on: on.into(),
        answers: Condition::ALL
            .into_iter()
            .map(|c| ScreeningAnswer {
                condition: c,
                present: false,
                last_date: None,
            })
            .collect(),
        notes: "".into(),
    }
}

/// An assessment on `on` of boxcar scars on the cheeks (Fitzpatrick 2,
/// normal skin) with `moderate` and `severe` scar counts at `grade`.
pub fn boxcar_scars(on: &str, grade: u8, moderate: u32, severe: u32) -> AssessmentInput {
    AssessmentInput {
        assessed_on: on.into(),
        scar_types: vec![ScarType::Boxcar],
        grade,
        counts: GbCounts {
            moderate,
            severe,
            ..Default::default()
        },
        fitzpatrick: 2,
        sensitivity: Sensitivity::Normal,
        treatment_areas: vec![TreatmentArea::Cheeks],
        scar_age_years: 2,
        notes: "".into(),
    }
}
