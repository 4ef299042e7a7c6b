//! A print of an aftercare sheet already on screen still works while the
//! clinic server is unreachable (issue 16, "When the server is
//! unreachable"): the receptionist's Today showed the session while the
//! server answered; the server stops; she prints the sheet and gets it
//! (the session's date, the next appointment), told that the print is
//! recorded when the server answers; the server starts again and the print
//! is on the patient's documents list and in the audit log at the instant
//! it was made, marked as printed while the server was unreachable. What
//! this PC kept is gone at the lock and at sign-out. Its own test binary:
//! it stops the throwaway cluster.

use dermis_clinic::api::{Desktop, Target, Workstation};
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::{LoginInput, PatientInput};
use dermis_clinic::{Clinic, ErrorCode, ServerLogin};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::{
    add_rita, all_clear, boxcar_scars, call, cluster, fresh_database, set_up_at, setup_input,
    OnServer, ADMIN_PW, DESK_PW,
};

/// One test at a time: the first stops the cluster the other uses.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct Prints(PathBuf);
impl Desktop for Prints {
    fn open(&self, _: &Path) -> Result<(), String> {
        Ok(())
    }
    fn prints_dir(&self) -> Option<PathBuf> {
        Some(self.0.clone())
    }
    fn log_dir(&self) -> Option<PathBuf> {
        None
    }
    fn app_name_version(&self) -> (String, String) {
        ("Dermis".into(), "test".into())
    }
}

fn text_of(path: &str) -> String {
    let out = std::process::Command::new("pdftotext")
        .args([path, "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The clinic on the server: an admin, the receptionist Rita, and two
/// patients whose courses start today (Ann Park's session 1 at 10:30, Bea
/// Lund's at 11:15; session 2 later). Returns Ann's session 1, the day,
/// Ann's session 2 date and Bea's session 1; then Ann's session 3 date.
fn clinic_with_a_session_today(url: &str, keys: &Path) -> (i64, String, String, i64, String) {
    let (setup, admin) = set_up_at(url, keys, &setup_input());
    add_rita(&setup, &admin);
    let today = setup.today().to_string();
    let mut made = Vec::new();
    for (first, last, time) in [("Ann", "Park", "10:30"), ("Bea", "Lund", "11:15")] {
        let p = setup
            .create_patient(
                &admin,
                &PatientInput {
                    first_name: first.into(),
                    last_name: last.into(),
                    date_of_birth: "1990-01-01".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        setup
            .record_screening(&admin, p, &all_clear(&today))
            .unwrap();
        let a = setup
            .record_assessment(&admin, p, &boxcar_scars(&today, 2, 8, 0))
            .unwrap();
        let plan = setup
            .accept_plan(
                &admin,
                &PlanRequest {
                    patient_id: p,
                    assessment_id: a.id,
                    start: today.clone(),
                    adjust: None,
                },
            )
            .unwrap();
        setup
            .set_session_time(&admin, plan.sessions[0].id, time)
            .unwrap();
        made.push(plan);
    }
    (
        made[0].sessions[0].id.0,
        today,
        made[0].sessions[1].date.to_string(),
        made[1].sessions[0].id.0,
        made[0].sessions[2].date.to_string(),
    )
}

#[test]
fn the_desk_prints_a_sheet_on_screen_while_the_server_is_down_and_the_print_is_recorded_on_its_return(
) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let Some(cl) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = fresh_database(cl);
    let (session_id, today, next, bea_session, third) =
        clinic_with_a_session_today(&url, keys.path());
    let prints = tempfile::tempdir().unwrap();
    let w = Workstation::on(
        Target::Server {
            url: url.clone(),
            keys_dir: keys.path().to_path_buf(),
        },
        Box::new(Prints(prints.path().to_path_buf())),
    );
    call(
        &w,
        "login",
        json!({ "input": { "username": "rita", "password": DESK_PW } }),
    )
    .unwrap();
    // Today's backup line speaks of the server's backups (none verified yet).
    let b = call(&w, "backup_status", Value::Null).unwrap();
    assert_eq!(b["on_server"], true, "{b}");
    assert_eq!(b["warning"], true, "{b}");
    // Nothing kept before Today showed anything.
    assert_eq!(w.seat().kept_sheets().unwrap(), 0);
    let list = call(&w, "today", Value::Null).unwrap();
    assert_eq!(
        list["sessions"][0]["session_id"],
        json!(session_id),
        "{list}"
    );
    assert_eq!(w.seat().kept_sheets().unwrap(), 2, "Ann's and Bea's");
    let feed = call(&w, "changes", json!({ "since": 0 })).unwrap();

    cl.stop();
    // The UI's poll learns it; the sheet then prints from what Today showed.
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        match call(&w, "changes", json!({ "since": feed["seq"] })) {
            Ok(f) if f["connection"]["state"] == "unreachable" => break,
            Err(e) if e.code == ErrorCode::Unavailable => break,
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let e = call(&w, "today", Value::Null).unwrap_err();
    assert_eq!(e.code, ErrorCode::Unavailable, "{e:?}");
    let printed_at = chrono::Utc::now();
    let doc = call(
        &w,
        "print_document",
        json!({ "request": { "kind": "aftercare", "session_id": session_id } }),
    )
    .unwrap();
    let text = text_of(doc["path"].as_str().unwrap());
    assert!(text.contains("Ann Park"), "{text}");
    let iso_or_local = |d: &str| {
        text.contains(d) || {
            let nd = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
            text.contains(&nd.format("%d/%m/%Y").to_string())
                || text.contains(&nd.format("%-d %B %Y").to_string())
        }
    };
    assert!(iso_or_local(&today), "the session's date {today}: {text}");
    assert!(iso_or_local(&next), "the next appointment {next}: {text}");
    // The sheet kept is this session's, not another of the plan's (whose
    // next appointment would be session 3).
    assert!(!iso_or_local(&third), "session 3 {third}: {text}");
    assert!(
        doc["message"]
            .as_str()
            .unwrap()
            .contains("clinic server is not answering"),
        "{doc}"
    );
    assert_eq!(w.pending_prints(), 1);
    // The other sheet Today showed is that patient's, not the first one kept.
    let bea = call(
        &w,
        "print_document",
        json!({ "request": { "kind": "aftercare", "session_id": bea_session } }),
    )
    .unwrap();
    let bea_text = text_of(bea["path"].as_str().unwrap());
    assert!(bea_text.contains("Bea Lund"), "{bea_text}");
    assert!(!bea_text.contains("Ann Park"), "{bea_text}");
    assert_eq!(w.pending_prints(), 2);
    // In another language than the patient's: not kept, so it needs the server.
    let e = call(
        &w,
        "print_document",
        json!({ "request": { "kind": "aftercare", "session_id": session_id }, "language": "fr" }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unavailable, "{e:?}");
    assert_eq!(w.pending_prints(), 2);
    // Only the sheet Today showed: another document still needs the server.
    let e = call(
        &w,
        "print_document",
        json!({ "request": { "kind": "schedule_card", "patient_id": list["sessions"][0]["patient_id"] } }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unavailable, "{e:?}");
    assert_eq!(w.pending_prints(), 2);

    cl.start_again();
    // The UI's next poll after the server is back records the print.
    let t = Instant::now();
    while w.pending_prints() > 0 && t.elapsed() < Duration::from_secs(20) {
        let _ = call(&w, "changes", json!({ "since": feed["seq"] }));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        w.pending_prints(),
        0,
        "not recorded within 20 s of the return"
    );
    let patient_id = list["sessions"][0]["patient_id"].clone();
    let docs = call(&w, "list_documents", json!({ "patient_id": patient_id })).unwrap();
    assert_eq!(docs.as_array().map(Vec::len), Some(1), "{docs}");
    assert_eq!(docs[0]["printed_by"], "Rita", "{docs}");

    // The audit entry: Rita's, at the instant of the print, saying so.
    let owner_pc = Clinic::open_server_in(
        &url,
        ServerLogin::User {
            username: "owner",
            password: ADMIN_PW,
        },
        keys.path(),
    )
    .unwrap();
    let owner = owner_pc
        .login(&LoginInput {
            username: "owner".into(),
            password: ADMIN_PW.into(),
        })
        .unwrap();
    let log = owner_pc.audit_log(&owner).unwrap();
    let print = log
        .iter()
        .find(|r| r.entry.action == "document.print")
        .expect("the print's audit entry");
    assert_eq!(print.entry.username, "rita");
    assert!(
        print
            .entry
            .detail
            .contains("\"printed_while_unreachable\":true"),
        "{}",
        print.entry.detail
    );
    let at = chrono::DateTime::parse_from_rfc3339(&print.entry.at).unwrap();
    assert!(
        (at.with_timezone(&chrono::Utc) - printed_at)
            .num_seconds()
            .abs()
            <= 2,
        "at the print's instant ({} vs {printed_at})",
        print.entry.at
    );
    // The audit chain still verifies with the entry written late.
    assert_eq!(
        owner_pc.verify_audit(&owner).unwrap(),
        None,
        "a broken chain"
    );
    call(&w, "logout", Value::Null).unwrap();
}

/// Nothing kept outlives the lock or the sign-out.
#[test]
fn kept_sheets_are_dropped_at_the_lock_and_at_sign_out() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let Some(cl) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = fresh_database(cl);
    clinic_with_a_session_today(&url, keys.path());
    let prints = tempfile::tempdir().unwrap();
    let w = Workstation::on(
        Target::Server {
            url,
            keys_dir: keys.path().to_path_buf(),
        },
        Box::new(Prints(prints.path().to_path_buf())),
    );
    let login = |who: &str, pw: &str| {
        call(
            &w,
            "login",
            json!({ "input": { "username": who, "password": pw } }),
        )
        .unwrap()
    };
    login("rita", DESK_PW);
    call(&w, "today", Value::Null).unwrap();
    assert_eq!(w.seat().kept_sheets().unwrap(), 2);
    call(&w, "lock_app", Value::Null).unwrap();
    assert_eq!(w.seat().kept_sheets().unwrap(), 0, "the lock drops them");
    call(&w, "unlock_app", json!({ "password": DESK_PW })).unwrap();
    assert_eq!(
        w.seat().kept_sheets().unwrap(),
        0,
        "unlocking brings nothing back"
    );
    call(&w, "today", Value::Null).unwrap();
    assert_eq!(w.seat().kept_sheets().unwrap(), 2);
    call(&w, "logout", Value::Null).unwrap();
    assert_eq!(w.seat().kept_sheets().unwrap(), 0, "sign-out drops them");
    // Signing out while the server does not answer: signed out all the same
    // (the entry cannot reach the server; staying signed in helps nobody).
    login("rita", DESK_PW);
    call(&w, "today", Value::Null).unwrap();
    cl.stop();
    call(&w, "logout", Value::Null).unwrap();
    assert_eq!(w.seat().kept_sheets().unwrap(), 0);
    cl.start_again();
    let status = call(&w, "app_status", Value::Null).unwrap();
    assert!(status["actor"].is_null(), "{status}");
}
