//! The commands through Tauri's real IPC layer on the mock runtime (no display):
//! the one `call` command in front of the command table, argument names, raw
//! answers and the `{code, message, field}` error shape.

use dermis_app::ipc::ShellDesktop;
use dermis_clinic::api::Workstation;
use dermis_clinic::{Clinic, FixedClock};
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

fn app() -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let clock = Arc::new(FixedClock::on(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    ));
    let clinic = Clinic::open_in_memory(clock).unwrap();
    let app = dermis_app::builder(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(Workstation::with_clinic(clinic, desktop(None)));
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, webview)
}

fn desktop(logs: Option<std::path::PathBuf>) -> Box<ShellDesktop> {
    Box::new(ShellDesktop {
        name: "Dermis".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        prints: None,
        logs,
    })
}

fn call(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: "call".into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(json!({ "command": cmd, "args": args })),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| match b {
        // The answer comes back raw: JSON text (or a photo's bytes).
        InvokeResponseBody::Raw(bytes) => serde_json::from_slice(&bytes).unwrap(),
        InvokeResponseBody::Json(text) => serde_json::from_str(&text).unwrap(),
    })
}

#[test]
fn first_run_login_and_patients_over_ipc() {
    let (_app, w) = app();
    let status = call(&w, "app_status", json!({})).unwrap();
    assert_eq!(status["needs_setup"], json!(true));

    // Nobody signed in: patient commands are refused.
    let err = call(
        &w,
        "search_patients",
        json!({"search": {"query": "", "include_archived": false, "offset": 0, "limit": 10}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], json!("forbidden"));

    let bad = call(
        &w,
        "setup_clinic",
        json!({"input": {"clinic_name": " ", "clinic_address": "", "clinic_phone": "", "admin_username": "boss", "admin_display_name": "Dr Boss", "password": "long enough password"}}),
    )
    .unwrap_err();
    assert_eq!(bad["code"], json!("validation"));
    assert_eq!(bad["field"], json!("clinic_name"));

    let who = call(
        &w,
        "setup_clinic",
        json!({"input": {"clinic_name": "Clinique Étoile", "clinic_address": "", "clinic_phone": "+33 1 23 45 67 89", "admin_username": "boss", "admin_display_name": "Dr Boss", "password": "long enough password"}}),
    )
    .unwrap();
    assert_eq!(who["roles"], json!(["admin", "practitioner"]));

    let created = call(
        &w,
        "create_patient",
        json!({"input": {"first_name": "José", "last_name": "Núñez", "date_of_birth": "1990-05-17", "sex": null, "phone": "", "email": "", "address": "", "preferred_language": "es", "notes": ""}}),
    )
    .unwrap();
    assert_eq!(created["patient_number"], json!("P-000001"));

    // Arguments keep their Rust names: expected_version.
    let stale = call(
        &w,
        "update_patient",
        json!({"id": created["id"], "expected_version": 99, "input": {"first_name": "Josefa", "last_name": "Núñez", "date_of_birth": "1990-05-17", "sex": null, "phone": "", "email": "", "address": "", "preferred_language": "es", "notes": ""}}),
    )
    .unwrap_err();
    assert_eq!(stale["code"], json!("conflict"));

    let page = call(&w, "search_patients", json!({"search": {"query": "jose nunez", "include_archived": false, "offset": 0, "limit": 10}})).unwrap();
    assert_eq!(page["items"][0]["first_name"], json!("José"));

    call(&w, "logout", json!({})).unwrap();
    let wrong = call(
        &w,
        "login",
        json!({"input": {"username": "boss", "password": "not the password"}}),
    )
    .unwrap_err();
    assert_eq!(wrong["code"], json!("forbidden"));
    call(
        &w,
        "login",
        json!({"input": {"username": "BOSS", "password": "long enough password"}}),
    )
    .unwrap();
    let status = call(&w, "app_status", json!({})).unwrap();
    assert_eq!(status["actor"]["username"], json!("boss"));
    assert_eq!(status["clinic_name"], json!("Clinique Étoile"));
}

#[test]
fn a_database_that_cannot_be_opened_is_reported_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-database.db");
    std::fs::write(&path, b"this is a text file, not SQLite").unwrap();
    let app = dermis_app::builder(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(Workstation::at(path.clone(), desktop(None)));
    let w = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let err = call(&w, "app_status", json!({})).unwrap_err();
    assert_eq!(err["code"], json!("io"));
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("cannot be opened"),
        "{err}"
    );
    // The file is left as it was.
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is a text file, not SQLite"
    );
    // Replace it with nothing (a new database): "Try again" now works.
    std::fs::remove_file(&path).unwrap();
    let ok = call(&w, "app_status", json!({})).unwrap();
    assert_eq!(ok["needs_setup"], json!(true));
}

#[test]
fn a_session_is_recorded_followed_up_and_its_photo_refused_over_ipc() {
    let (_app, w) = app();
    call(
        &w,
        "setup_clinic",
        json!({"input": {"clinic_name": "C", "clinic_address": "", "clinic_phone": "", "admin_username": "boss", "admin_display_name": "Dr Boss", "password": "long enough password"}}),
    )
    .unwrap();
    let p = call(
        &w,
        "create_patient",
        json!({"input": {"first_name": "Ana", "last_name": "Lee", "date_of_birth": "1990-05-17", "sex": null, "phone": "", "email": "", "address": "", "preferred_language": "", "notes": ""}}),
    )
    .unwrap()["id"]
        .clone();
    let questions = call(&w, "screening_questions", json!({})).unwrap();
    let answers: Vec<Value> = questions
        .as_array()
        .unwrap()
        .iter()
        .map(|q| json!({"condition": q["condition"], "present": false, "last_date": null}))
        .collect();
    call(&w, "record_screening", json!({"patient_id": p, "input": {"screened_on": "2026-11-24", "answers": answers, "notes": ""}})).unwrap();
    let a = call(
        &w,
        "record_assessment",
        json!({"patient_id": p, "input": {"assessed_on": "2026-11-24", "scar_types": ["boxcar"], "grade": 2, "counts": {"macular": 0, "moderate": 6, "severe": 0, "papular": 0, "keloidal": 0}, "fitzpatrick": 2, "sensitivity": "normal", "treatment_areas": ["cheeks"], "scar_age_years": 1, "notes": ""}}),
    )
    .unwrap();
    let plan = call(&w, "accept_plan", json!({"input": {"patient_id": p, "assessment_id": a["id"], "start": "2026-11-24", "override": null}})).unwrap();
    let first = plan["sessions"][0]["id"].clone();
    // The session gate: the patient signs the consent on screen, confirmed at once.
    let consent = call(
        &w,
        "sign_consent",
        json!({"input": {"patient_id": p, "template": "microneedling", "template_version": null, "signature": {"strokes": [[[20.0, 100.0], [60.0, 40.0], [100.0, 110.0]], [[200.0, 75.0], [380.0, 75.0]]]}, "typed_name": "", "photo_uses": {"record": true, "teaching": false, "marketing": false}, "confirm": true}}),
    )
    .unwrap();
    assert_eq!(consent["status"], json!("signed"));
    let draft = call(&w, "session_draft", json!({"planned_session_id": first})).unwrap();
    assert_eq!(draft["copied_forward"], json!(false));
    assert_eq!(draft["depth_chart"].as_array().unwrap().len(), 7);
    let mut input = draft["input"].clone();
    input["device"] = json!("Pen A6");
    input["depths"] = json!([{"zone": "cheeks_chin", "depth_mm": "5"}]);
    let err = call(
        &w,
        "record_session",
        json!({"planned_session_id": first, "input": input}),
    )
    .unwrap_err();
    assert_eq!(
        (err["code"].clone(), err["field"].clone()),
        (json!("validation"), json!("depth.cheeks_chin"))
    );
    input["depths"] = json!([{"zone": "cheeks_chin", "depth_mm": "1.0"}]);
    let rec = call(
        &w,
        "record_session",
        json!({"planned_session_id": first, "input": input}),
    )
    .unwrap();
    let out = call(
        &w,
        "record_healing",
        json!({"session_record_id": rec["id"], "input": {"reported_on": "2026-11-24", "redness_days": 0, "flaking_days": 0, "events": [{"kind": "oedema", "description": ""}], "notes": ""}}),
    )
    .unwrap();
    assert_eq!(out["plan"]["status"], json!("paused"));
    let list = call(
        &w,
        "adverse_events",
        json!({"filter": {"kind": null, "from": "", "to": "", "lot": ""}}),
    )
    .unwrap();
    assert_eq!(list[0]["kind"], json!("oedema"));
    let progress = call(&w, "progress", json!({"patient_id": p})).unwrap();
    assert_eq!(progress["verdict"], json!("not_enough_data"));
    let bad = call(
        &w,
        "import_photo",
        json!({"patient_id": p, "import": {"path": "/nonexistent/photo.jpg", "tags": {"taken_on": "", "area": "cheeks", "angle": "front", "session_record_id": null, "assessment_id": null}}}),
    )
    .unwrap_err();
    assert_eq!(bad["field"], json!("file"));
    assert_eq!(
        call(&w, "list_photos", json!({"patient_id": p})).unwrap(),
        json!([])
    );
}

#[test]
fn the_idle_lock_refuses_everything_until_the_same_users_password() {
    let (_app, w) = app();
    call(
        &w,
        "setup_clinic",
        json!({"input": {"clinic_name": "C", "clinic_address": "", "clinic_phone": "", "admin_username": "boss", "admin_display_name": "Dr Boss", "password": "long enough password"}}),
    )
    .unwrap();
    let search =
        json!({"search": {"query": "", "include_archived": false, "offset": 0, "limit": 10}});
    call(&w, "search_patients", search.clone()).unwrap();
    assert_eq!(
        call(&w, "app_status", json!({})).unwrap()["idle_lock_minutes"],
        json!(10)
    );
    call(&w, "lock_app", json!({})).unwrap();
    let status = call(&w, "app_status", json!({})).unwrap();
    assert_eq!(status["locked"], json!(true));
    assert_eq!(
        status["actor"]["username"],
        json!("boss"),
        "the screen and session stay"
    );
    assert_eq!(
        call(&w, "search_patients", search.clone()).unwrap_err()["code"],
        json!("locked")
    );
    let wrong = call(&w, "unlock_app", json!({"password": "not it"})).unwrap_err();
    assert_eq!(wrong["code"], json!("forbidden"));
    assert_eq!(
        call(&w, "search_patients", search.clone()).unwrap_err()["code"],
        json!("locked")
    );
    call(
        &w,
        "unlock_app",
        json!({"password": "long enough password"}),
    )
    .unwrap();
    call(&w, "search_patients", search).unwrap();
    assert_eq!(
        call(&w, "app_status", json!({})).unwrap()["locked"],
        json!(false)
    );
}
