//! The one command table: it writes the TypeScript command map and
//! docs/ipc.md (scripts/test.sh fails when they differ from the committed
//! ones), and its dispatcher answers as the app does, through a
//! `Workstation` on a temporary database.

use chrono::NaiveDate;
use dermis_clinic::api::{self, Desktop, Reply, Workstation};
use dermis_clinic::{Clinic, FixedClock};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_command_map_and_ipc_docs_are_written_from_the_table() {
    let ts = api::typescript_map();
    let md = api::ipc_markdown();
    std::fs::write(repo_root().join("ui/src/lib/bindings/commands.ts"), &ts).unwrap();
    std::fs::write(repo_root().join("docs/ipc.md"), &md).unwrap();
    let names = api::command_names();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "a command is declared twice");
    for n in &names {
        assert!(
            ts.contains(&format!("  {n}: {{ args:")),
            "{n} missing from commands.ts"
        );
        assert!(
            md.contains(&format!("| `{n}` |")),
            "{n} missing from ipc.md"
        );
    }
    // Types the UI relies on are spelled as the bindings spell them.
    assert!(
        ts.contains("get_patient: { args: { id: PatientId }; reply: Patient };"),
        "{ts}"
    );
    assert!(ts.contains(
        "photo_data: { args: { photo_id: PhotoId, thumb: boolean }; reply: ArrayBuffer };"
    ));
    assert!(ts.contains("language?: string | null"));
    assert!(ts.contains("import type { PatientPage } from \"./PatientPage\";"));
    assert!(ts
        .contains("BYTE_COMMANDS: ReadonlySet<string> = new Set([\"photo_data\", \"logo_data\"])"));
    // Who may call it comes from the permission table.
    assert!(
        md.contains("| `erase_patient` | `id: PatientId` | `ErasureSummary` | admin |"),
        "{md}"
    );
    assert!(md.contains("| `check_in` |"));
}

#[derive(Default)]
struct Recorder {
    opened: Mutex<Vec<PathBuf>>,
    prints: PathBuf,
}

struct Shared(Arc<Recorder>);

impl Desktop for Shared {
    fn open(&self, path: &Path) -> Result<(), String> {
        self.0.opened.lock().unwrap().push(path.to_path_buf());
        Ok(())
    }
    fn prints_dir(&self) -> Option<PathBuf> {
        Some(self.0.prints.clone())
    }
    fn log_dir(&self) -> Option<PathBuf> {
        None
    }
    fn app_name_version(&self) -> (String, String) {
        ("Dermis".into(), "test".into())
    }
}

fn station(dir: &tempfile::TempDir) -> (Workstation, Arc<Recorder>) {
    let mut clinic = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    clinic.set_clock(Arc::new(FixedClock::on(
        NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
    )));
    let rec = Arc::new(Recorder {
        prints: dir.path().join("prints"),
        ..Default::default()
    });
    (
        Workstation::with_clinic(clinic, Box::new(Shared(rec.clone()))),
        rec,
    )
}

fn json_of(r: Reply) -> Value {
    match r {
        Reply::Json(b) => serde_json::from_slice(&b).unwrap(),
        Reply::Bytes(_) => panic!("expected JSON"),
    }
}

fn call(w: &Workstation, name: &str, args: Value) -> Value {
    json_of(
        w.call(name, &args)
            .unwrap_or_else(|e| panic!("{name}: {e:?}")),
    )
}

fn patient(first: &str, last: &str, language: &str) -> Value {
    json!({ "first_name": first, "last_name": last, "date_of_birth": "1991-02-28", "sex": null, "phone": "",
            "email": "", "address": "", "preferred_language": language, "notes": "" })
}

fn setup(w: &Workstation) {
    call(
        w,
        "setup_clinic",
        json!({ "input": {
            "clinic_name": "Clearskin Clinic", "clinic_address": "1 High Street", "clinic_phone": "+44 20 7946 0000",
            "admin_username": "admin", "admin_display_name": "Dr Amira Haddad", "password": "correct horse battery"
        }}),
    );
}

#[test]
fn the_dispatcher_answers_as_the_use_cases_do_and_errors_keep_their_shape() {
    let dir = tempfile::tempdir().unwrap();
    let (w, _) = station(&dir);
    assert_eq!(
        call(&w, "app_status", Value::Null)["needs_setup"],
        json!(true)
    );
    // Before sign-in a clinical command is refused with the clinic's sentence.
    let e = w
        .call(
            "search_patients",
            &json!({"search": {"query": "", "include_archived": false, "offset": 0, "limit": 50}}),
        )
        .unwrap_err();
    assert_eq!(e.code, dermis_clinic::ErrorCode::Forbidden);
    setup(&w);
    let status = call(&w, "app_status", json!({}));
    assert_eq!(status["actor"]["username"], json!("admin"));
    let p = call(
        &w,
        "create_patient",
        json!({ "input": patient("Zoë", "Testová", "en") }),
    );
    let id = p["id"].as_i64().unwrap();
    let found = call(
        &w,
        "search_patients",
        json!({"search": {"query": "zoe testova", "include_archived": false, "offset": 0, "limit": 50}}),
    );
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        call(&w, "get_patient", json!({ "id": id }))["first_name"],
        json!("Zoë")
    );
    // A validation error carries the field, as the form needs it.
    let e = w
        .call(
            "create_patient",
            &json!({ "input": patient("", "X", "en") }),
        )
        .unwrap_err();
    assert_eq!(e.code, dermis_clinic::ErrorCode::Validation);
    assert_eq!(e.field.as_deref(), Some("first_name"));
    // Unknown commands and arguments the table does not declare are refused.
    let e = w.call("drop_everything", &Value::Null).unwrap_err();
    assert_eq!(e.code, dermis_clinic::ErrorCode::NotFound);
    let e = w
        .call("get_patient", &json!({"id": id, "extra": 1}))
        .unwrap_err();
    assert_eq!(e.code, dermis_clinic::ErrorCode::Internal);
    assert!(e.message.contains("get_patient"), "{}", e.message);
    let e = w
        .call("get_patient", &json!({"patient_id": id}))
        .unwrap_err();
    assert_eq!(e.code, dermis_clinic::ErrorCode::Internal);
}

#[test]
fn printing_writes_the_file_whole_before_it_is_recorded_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let (w, rec) = station(&dir);
    setup(&w);
    let p = call(
        &w,
        "create_patient",
        json!({ "input": patient("Ana", "Lima", "pt") }),
    );
    let id = p["id"].as_i64().unwrap();
    let printed = call(
        &w,
        "print_document",
        json!({"request": {"kind": "aftercare_on", "patient_id": id, "date": "2026-03-04"}}),
    );
    let path = PathBuf::from(printed["path"].as_str().unwrap());
    assert!(path.starts_with(dir.path().join("prints")), "{path:?}");
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"));
    assert_eq!(printed["language"], json!("pt"));
    assert_eq!(*rec.opened.lock().unwrap(), vec![path.clone()]);
    assert_eq!(
        call(&w, "list_documents", json!({"patient_id": id}))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A save that cannot be written records nothing.
    let blocked = dir.path().join("not-a-folder");
    std::fs::write(&blocked, b"x").unwrap();
    let e = w
        .call(
            "save_document",
            &json!({"request": {"kind": "aftercare_on", "patient_id": id, "date": "2026-03-04"},
                    "path": blocked.join("sheet.pdf").display().to_string()}),
        )
        .unwrap_err();
    assert_eq!(e.code, dermis_clinic::ErrorCode::Io, "{e:?}");
    assert_eq!(
        call(&w, "list_documents", json!({"patient_id": id}))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn photo_bytes_go_raw_not_as_json_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (w, _) = station(&dir);
    setup(&w);
    match w.call("logo_data", &Value::Null).unwrap() {
        Reply::Bytes(b) => assert!(b.is_empty()),
        Reply::Json(_) => panic!("logo_data must answer raw bytes"),
    }
}

#[test]
fn the_clinics_date_format_reaches_search_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let (w, _) = station(&dir);
    setup(&w);
    call(
        &w,
        "create_patient",
        json!({ "input": patient("Zoë", "Testová", "en") }),
    );
    let search = |q: &str| {
        call(
            &w,
            "search_patients",
            json!({"search": {"query": q, "include_archived": false, "offset": 0, "limit": 50}}),
        )["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let set = |f: &str| {
        let mut s = call(&w, "clinic_settings", json!({}))["settings"].clone();
        s["date_format"] = json!(f);
        call(&w, "update_clinic_settings", json!({ "settings": s }));
        assert_eq!(call(&w, "date_format", json!({}))["format"], json!(f));
    };
    // Born 28 February 1991, found as each format writes it.
    set("month_day_year");
    assert_eq!(
        call(&w, "date_format", json!({}))["pattern"],
        json!("MM/DD/YYYY")
    );
    assert_eq!(search("02/28/1991"), 1);
    assert_eq!(search("1991-02-28"), 1);
    set("day_month_year_dots");
    assert_eq!(search("28.02.1991"), 1);
    set("day_month_year");
    assert_eq!(search("28/02/1991"), 1);
    // A date the clinic's format reads as another day finds nobody (2 March 1991? no: 28/02 only).
    call(
        &w,
        "create_patient",
        json!({ "input": {
        "first_name": "Ann", "last_name": "Lee", "date_of_birth": "1991-03-02", "sex": null, "phone": "",
        "email": "", "address": "", "preferred_language": "en", "notes": "" } }),
    );
    assert_eq!(search("02/03/1991"), 1, "2 March, not 3 February");
    // Messages say dates the clinic's way, and date-field errors name its pattern.
    let e = w
        .call(
            "create_patient",
            &json!({ "input": { "first_name": "A", "last_name": "B", "date_of_birth": "31/02/1991", "sex": null,
                "phone": "", "email": "", "address": "", "preferred_language": "", "notes": "" } }),
        )
        .unwrap_err();
    assert!(
        e.message
            .contains("use the form DD/MM/YYYY, e.g. 17/05/1990"),
        "{}",
        e.message
    );
    assert!(e.fields[0].message.contains("DD/MM/YYYY"), "{:?}", e.fields);
    let e = w
        .call(
            "create_patient",
            &json!({ "input": { "first_name": "A", "last_name": "B", "date_of_birth": "2030-01-01", "sex": null,
                "phone": "", "email": "", "address": "", "preferred_language": "", "notes": "" } }),
        )
        .unwrap_err();
    assert!(!e.message.contains("2030-01-01"), "{}", e.message);
}

#[test]
fn the_about_box_and_the_app_status_name_the_clinics_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let rec = Arc::new(Recorder {
        prints: dir.path().join("prints"),
        ..Default::default()
    });
    let db = dir.path().join("dermis.db");
    let w = Workstation::at(db.clone(), Box::new(Shared(rec)));
    let shown = db.display().to_string();
    assert_eq!(call(&w, "app_info", json!({}))["db_path"], json!(shown));
    assert_eq!(call(&w, "app_status", json!({}))["db_path"], json!(shown));
}

#[test]
fn show_prints_makes_the_print_folder_if_needed_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let (w, rec) = station(&dir);
    setup(&w);
    assert!(!rec.prints.exists());
    assert_eq!(call(&w, "show_prints", Value::Null), Value::Null);
    assert!(rec.prints.is_dir(), "made before it is opened");
    assert_eq!(
        *rec.opened.lock().unwrap(),
        std::slice::from_ref(&rec.prints)
    );
    // A file standing where the folder should be: told, nothing opened.
    let other = tempfile::tempdir().unwrap();
    let (w2, rec2) = station(&other);
    setup(&w2);
    std::fs::write(&rec2.prints, b"a file").unwrap();
    let e = w2.call("show_prints", &Value::Null).unwrap_err();
    assert!(e.message.contains("print folder"), "{e:?}");
    assert!(rec2.opened.lock().unwrap().is_empty());
}

#[test]
fn a_workstation_with_no_file_chosen_has_no_path_and_one_with_a_file_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let rec = || Box::new(Shared(Arc::new(Recorder::default())));
    let none = Workstation::on(api::Target::File(PathBuf::new()), rec());
    assert_eq!(none.path(), None);
    let db = dir.path().join("dermis.db");
    let some = Workstation::on(api::Target::File(db.clone()), rec());
    assert_eq!(some.path(), Some(db));
}

#[test]
fn a_sign_out_this_pcs_file_cannot_record_is_reported_and_the_person_stays_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let (w, _) = station(&dir);
    setup(&w);
    // Another program makes the audit log refuse every new entry.
    rusqlite::Connection::open(dir.path().join("dermis.db"))
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
    assert!(w.call("logout", &Value::Null).is_err());
    // Still signed in: the sign-out was not recorded, so it did not happen.
    let status = call(&w, "app_status", Value::Null);
    assert_eq!(status["actor"]["username"], "admin", "{status}");
}
