//! Test clinics: the start-up template and each test's own copy of it.

use crate::clock::TestClock;
use crate::{Recorder, Tenant};
use chrono::{Local, NaiveDate};
use dermis_clinic::api::{Desktop, Workstation};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::Clinic;
use serde::Deserialize;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The accounts every clinic with setup done starts with.
pub const ADMIN: (&str, &str, &str) = ("admin", "correct horse battery", "Dr Amira Haddad");
pub const DESK: (&str, &str, &str) = ("desk", "quiet otter marble lantern", "Sam Reyes");
pub const CLINIC_NAME: &str = "Clearskin Clinic";

/// What a test asks for; everything is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// No clinic yet: the first-run screen is due.
    pub needs_setup: bool,
    /// The clinic's today (`YYYY-MM-DD`); default the real date.
    pub today: Option<String>,
    /// `admin` or `receptionist`: signed in already.
    pub signed_in_as: Option<String>,
    /// Patients to register (as the admin), in order; any PatientInput
    /// field may be given, plus `archived: true`.
    pub patients: Vec<serde_json::Value>,
    /// Screenings, assessments and plans for the first patients (the
    /// clinic's own demo generator, seeded, so the same every run).
    pub clinical_demo: bool,
    /// Opening a PDF fails, as on a computer without a PDF viewer.
    pub no_pdf_viewer: bool,
    /// An encrypted clinic (issue 21) with the usual two accounts, opened at
    /// sign-in; its recovery key is answered by `GET /t/<id>/recovery-key`.
    pub encrypted: bool,
}

type Res<T> = Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The clinic every test with setup done starts from.
pub fn make_template(dir: &Path) -> Res<()> {
    std::fs::create_dir_all(dir).map_err(err)?;
    let clinic = Clinic::open(&dir.join(dermis_clinic::DB_FILE_NAME)).map_err(err)?;
    let admin = clinic
        .setup(&SetupInput {
            clinic_name: CLINIC_NAME.into(),
            clinic_address: "12 Harley Street\nLondon".into(),
            clinic_phone: "+44 20 7946 0000".into(),
            admin_username: ADMIN.0.into(),
            admin_display_name: ADMIN.2.into(),
            password: ADMIN.1.into(),
        })
        .map_err(err)?;
    clinic
        .create_user(&admin, DESK.0, DESK.2, DESK.1, &[Role::Receptionist])
        .map_err(err)?;
    clinic.logout(&admin).map_err(err)?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Res<()> {
    std::fs::create_dir_all(to).map_err(err)?;
    for entry in std::fs::read_dir(from).map_err(err)? {
        let entry = entry.map_err(err)?;
        if entry.file_type().map_err(err)?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).map_err(err)?;
        }
    }
    Ok(())
}

/// A fresh clinic for one test.
pub fn make(template: &Path, o: &Options) -> Res<Tenant> {
    let dir = tempfile::Builder::new()
        .prefix("clinic-")
        .tempdir_in(template.parent().unwrap_or(template))
        .map_err(err)?;
    let db_dir = dir.path().join("data");
    if o.needs_setup || o.encrypted {
        std::fs::create_dir_all(&db_dir).map_err(err)?;
    } else {
        copy_dir(template, &db_dir)?;
    }
    if o.encrypted {
        return make_encrypted(dir, &db_dir, o);
    }
    let today = match &o.today {
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(err)?,
        None => Local::now().date_naive(),
    };
    let clock = Arc::new(TestClock::on(today));
    let mut clinic = Clinic::open(&db_dir.join(dermis_clinic::DB_FILE_NAME)).map_err(err)?;
    clinic.set_clock(clock.clone());
    if !o.needs_setup && (!o.patients.is_empty() || o.clinical_demo) {
        seed(&clinic, o)?;
    }
    let opened = Arc::new(Mutex::new(Vec::new()));
    let desktop: Box<dyn Desktop> = Box::new(Recorder {
        opened: opened.clone(),
        prints: dir.path().join("prints"),
        no_pdf_viewer: o.no_pdf_viewer,
    });
    let station = Workstation::with_clinic(clinic, desktop)
        .data_dir(dir.path().join("app"))
        .prober(fake_probe);
    if let Some(who) = &o.signed_in_as {
        let (user, password) = match who.as_str() {
            "admin" => (ADMIN.0, ADMIN.1),
            "receptionist" => (DESK.0, DESK.1),
            other => return Err(format!("no test account for {other:?}")),
        };
        let input = LoginInput {
            username: user.into(),
            password: password.into(),
        };
        station
            .call("login", &serde_json::json!({ "input": input }))
            .map_err(|e| e.message)?;
    }
    Ok(Tenant {
        dir,
        station,
        clock,
        opened,
        recovery_key: None,
    })
}

/// An encrypted clinic with the test accounts (no patients: its data key
/// is only unwrapped by a sign-in, as in the app).
fn make_encrypted(dir: tempfile::TempDir, db_dir: &Path, o: &Options) -> Res<Tenant> {
    if o.needs_setup || o.signed_in_as.is_some() || !o.patients.is_empty() || o.clinical_demo {
        return Err("an encrypted test clinic takes no other options".into());
    }
    let path = db_dir.join(dermis_clinic::DB_FILE_NAME);
    let (clinic, admin, recovery) = Clinic::create_encrypted(
        &path,
        &SetupInput {
            clinic_name: CLINIC_NAME.into(),
            clinic_address: String::new(),
            clinic_phone: String::new(),
            admin_username: ADMIN.0.into(),
            admin_display_name: ADMIN.2.into(),
            password: ADMIN.1.into(),
        },
    )
    .map_err(err)?;
    clinic
        .create_user(&admin, DESK.0, DESK.2, DESK.1, &[Role::Receptionist])
        .map_err(err)?;
    clinic.logout(&admin).map_err(err)?;
    drop(clinic);
    let opened = Arc::new(Mutex::new(Vec::new()));
    let desktop: Box<dyn Desktop> = Box::new(Recorder {
        opened: opened.clone(),
        prints: dir.path().join("prints"),
        no_pdf_viewer: o.no_pdf_viewer,
    });
    let station = Workstation::at(path, desktop)
        .data_dir(dir.path().join("app"))
        .prober(fake_probe);
    Ok(Tenant {
        dir,
        station,
        clock: Arc::new(TestClock::on(Local::now().date_naive())),
        opened,
        recovery_key: Some(recovery.as_str().to_string()),
    })
}

fn seed(clinic: &Clinic, o: &Options) -> Res<()> {
    let admin = clinic
        .login(&LoginInput {
            username: ADMIN.0.into(),
            password: ADMIN.1.into(),
        })
        .map_err(err)?;
    for p in &o.patients {
        let mut full = serde_json::json!({
            "first_name": "", "last_name": "", "date_of_birth": "1990-01-01", "sex": null,
            "phone": "", "email": "", "address": "", "preferred_language": "en", "notes": ""
        });
        let mut archived = false;
        if let (Some(full), Some(given)) = (full.as_object_mut(), p.as_object()) {
            for (k, v) in given {
                if k == "archived" {
                    archived = v.as_bool().unwrap_or(false);
                } else {
                    full.insert(k.clone(), v.clone());
                }
            }
        }
        let input: PatientInput = serde_json::from_value(full).map_err(err)?;
        let created = clinic.create_patient(&admin, &input).map_err(err)?;
        if archived {
            clinic
                .set_patient_archived(&admin, created.id, true)
                .map_err(err)?;
        }
    }
    if o.clinical_demo {
        dermis_clinic::demo::add_clinical_demo(clinic, &admin, 7, 1).map_err(err)?;
    }
    clinic.logout(&admin).map_err(err)?;
    Ok(())
}

/// The test host has no clinic server: the join screen's probe answers a
/// fixed fingerprint for `clinic-server.test` (ONLY here, never in the app)
/// and "cannot be reached" for any other address.
fn fake_probe(url: &str) -> dermis_clinic::Result<dermis_clinic::api::connection::Fingerprint> {
    if url.starts_with("postgresql://clinic-server.test:") {
        let mut fp = [0u8; 32];
        for (i, b) in fp.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(0x5a);
        }
        return Ok(dermis_clinic::api::connection::Fingerprint(fp));
    }
    Err(dermis_clinic::ClinicError::validation(
        "address",
        "Dermis could not read this server's certificate: no clinic server answers at this address.",
    ))
}
