//! Exports: CSV files and one JSON document round-trip names in every script;
//! one patient's full record for a data-access request; admin only.

use chrono::NaiveDate;
use dermis_clinic::core::ids;
use dermis_clinic::core::{PatientInput, Role, SetupInput};
use dermis_clinic::{Clinic, ErrorCode, ExportFormat, FixedClock};
use std::sync::Arc;

const NAMES: &[(&str, &str)] = &[
    ("Zoë", "Ñúñez-Łukasiewicz"),
    ("Αλέξανδρος", "Παπαδόπουλος"),
    ("Анастасия", "Кузнецова"),
    ("فاطمة", "الزهراء"),
    ("דוד", "כהן"),
    ("小明", "王"),
    ("花子", "山田"),
    ("지민", "박"),
    ("Emoji 😀", "O'Brien, \"Jr\""),
    ("=HYPERLINK(\"x\")", "+Formula"),
];

fn clinic() -> (Clinic, dermis_clinic::Actor) {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )))
    .unwrap();
    let admin = c
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "owner".into(),
            admin_display_name: "Owner".into(),
            password: "plum kettle harbour velvet".into(),
        })
        .unwrap();
    for (first, last) in NAMES {
        c.create_patient(
            &admin,
            &PatientInput {
                first_name: first.to_string(),
                last_name: last.to_string(),
                date_of_birth: "1990-01-01".into(),
                address: "1 Rue de l'Été\nParis".into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    (c, admin)
}

#[test]
fn csv_export_round_trips_names_in_every_script() {
    let (c, admin) = clinic();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let s = c.export_data(&admin, ExportFormat::Csv, &out).unwrap();
    assert_eq!(s.patients as usize, NAMES.len());
    assert_eq!(
        s.files,
        [
            "patients.csv",
            "assessments.csv",
            "plans.csv",
            "sessions.csv",
            "adverse_events.csv"
        ]
    );
    for f in &s.files {
        let bytes = std::fs::read(out.join(f)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{f} starts with a BOM");
    }
    let text = std::fs::read_to_string(out.join("patients.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), NAMES.len());
    for (row, (first, last)) in rows.iter().zip(NAMES) {
        // Cells a spreadsheet would run as a formula are defused with a leading '.
        let unguard = |s: &str| s.strip_prefix('\'').unwrap_or(s).to_string();
        assert_eq!(unguard(&row[2]), *first);
        assert_eq!(unguard(&row[1]), *last);
        assert_eq!(&row[7], "1 Rue de l'Été\nParis");
    }
    assert!(text.contains("'=HYPERLINK"), "formula defused");
}

#[test]
fn json_export_round_trips_and_a_patient_record_is_complete() {
    let (c, admin) = clinic();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export.json");
    let s = c.export_data(&admin, ExportFormat::Json, &out).unwrap();
    assert_eq!(s.patients as usize, NAMES.len());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["format"], "dermis-export");
    assert_eq!(v["clinic"], "Clinique Étoile");
    let names: Vec<(String, String)> = v["patients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["patient"]["first_name"].as_str().unwrap().to_string(),
                p["patient"]["last_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = NAMES
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(names, want);
    assert!(!dir.path().join("export.json.part").exists());
    let record = c.patient_record(&admin, ids::PatientId(1)).unwrap();
    assert_eq!(record.patient.first_name, "Zoë");
    let json = serde_json::to_value(&record).unwrap();
    for key in [
        "patient",
        "screenings",
        "assessments",
        "plans",
        "sessions",
        "photos",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let audit: Vec<String> = c
        .recent_audit(&admin, 5)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        audit.contains(&"patient.export".to_string()) && audit.contains(&"data.export".to_string()),
        "{audit:?}"
    );
}

#[test]
fn only_an_admin_exports_and_a_refused_export_writes_nothing() {
    let (c, admin) = clinic();
    c.create_user(
        &admin,
        "prac",
        "Prac",
        "a long password",
        &[Role::Practitioner],
    )
    .unwrap();
    let prac = c
        .login(&dermis_clinic::core::LoginInput {
            username: "prac".into(),
            password: "a long password".into(),
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    assert_eq!(
        c.export_data(&prac, ExportFormat::Csv, &out)
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    assert_eq!(
        c.patient_record(&prac, ids::PatientId(1))
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    assert!(!out.exists());
}

/// What an export's summary says it wrote: patients, assessments, plans, sessions.
fn counted(s: &dermis_clinic::ExportSummary) -> (usize, u32, u32, u32) {
    (s.patients as usize, s.assessments, s.plans, s.sessions)
}

#[test]
fn the_csv_export_keeps_phone_numbers_as_typed_and_each_sessions_depths() {
    let (c, admin) = clinic();
    let p = c
        .create_patient(
            &admin,
            &PatientInput {
                first_name: "Zoë".into(),
                last_name: "Park".into(),
                date_of_birth: "1992-03-04".into(),
                phone: "+44 20 7946 0000".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    dermis_clinic::demo::sign_demo_consent(&c, &admin, p, 1).unwrap();
    dermis_clinic::demo::record_first_session(&c, &admin, p, c.today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let summary = c.export_data(&admin, ExportFormat::Csv, &out).unwrap();
    // What the export says it holds: every patient, and Zoë's records.
    assert_eq!(counted(&summary), (NAMES.len() + 1, 1, 1, 1));
    let read = |f: &str| {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
        let head = r.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        (head, rows)
    };
    // A phone is validated to digits, spaces and a leading +: no formula
    // guard, so it reads back exactly as typed.
    let (head, rows) = read("patients.csv");
    let phone = head.iter().position(|h| h == "phone").unwrap();
    assert!(
        rows.iter().any(|r| &r[phone] == "+44 20 7946 0000"),
        "{rows:?}"
    );
    // The session's depths: zone and millimetres.
    let (head, rows) = read("sessions.csv");
    let depths = head.iter().position(|h| h == "depths_mm").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][depths], "cheeks_chin 1.0");
    // The assessment's scar types and treated areas, in the words the JSON uses.
    let record = c.patient_record(&admin, p).unwrap();
    let a = &record.assessments[0];
    let words = |v: serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let (head, rows) = read("assessments.csv");
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][col("scar_types")], "boxcar");
    let areas = words(serde_json::to_value(&a.treatment_areas).unwrap());
    assert!(!areas.is_empty());
    assert_eq!(&rows[0][col("treatment_areas")], areas);

    // The JSON export's summary counts the same.
    let json = dir.path().join("export.json");
    let summary = c.export_data(&admin, ExportFormat::Json, &json).unwrap();
    assert_eq!(counted(&summary), (NAMES.len() + 1, 1, 1, 1));
}
