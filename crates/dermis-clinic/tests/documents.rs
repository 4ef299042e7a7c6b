//! Printing through the use-cases: the right data on each document, the
//! permissions (a receptionist prints aftercare sheets and schedule cards but
//! not progress summaries), the day's batch in appointment order, and every
//! print on the patient's documents list. PDFs are read back with pdftotext.

use chrono::NaiveDate;
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::settings::ClinicSettings;
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{ApiError, Clinic, DocumentKind, ErrorCode, FixedClock, PrintRequest, Session};
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.pdf");
    std::fs::write(&f, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([f.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct World {
    c: Clinic,
    admin: Session,
    desk: Session,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    c.set_clock(Arc::new(FixedClock::on(d("2026-11-24"))));
    let admin = c
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: "12 Rue de la Paix\n75002 Paris".into(),
            clinic_phone: "+33 1 23 45 67 89".into(),
            admin_username: "owner".into(),
            admin_display_name: "Dr Owner".into(),
            password: "plum kettle harbour velvet".into(),
        })
        .unwrap();
    c.create_user(
        &admin,
        "desk",
        "Desk",
        "a long password",
        &[Role::Receptionist],
    )
    .unwrap();
    let desk = c
        .login(&LoginInput {
            username: "desk".into(),
            password: "a long password".into(),
        })
        .unwrap();
    World {
        c,
        admin,
        desk,
        _dir: dir,
    }
}

/// A patient with a plan starting today, session 1 booked at `time`.
fn booked(w: &World, first: &str, last: &str, time: &str, fitzpatrick: u8) -> (i64, i64) {
    let c = &w.c;
    let p = c
        .create_patient(
            &w.desk,
            &PatientInput {
                first_name: first.into(),
                last_name: last.into(),
                date_of_birth: "1990-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    c.record_screening(
        &w.admin,
        p,
        &ScreeningInput {
            screened_on: "2026-11-24".into(),
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
    let a = c
        .record_assessment(
            &w.admin,
            p,
            &AssessmentInput {
                assessed_on: "2026-11-24".into(),
                scar_types: vec![ScarType::Boxcar],
                grade: 2,
                counts: GbCounts {
                    moderate: 8,
                    ..Default::default()
                },
                fitzpatrick,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 1,
                notes: "".into(),
            },
        )
        .unwrap();
    let plan = c
        .accept_plan(
            &w.admin,
            &PlanRequest {
                patient_id: p,
                assessment_id: a.id,
                start: "2026-11-24".into(),
                adjust: None,
            },
        )
        .unwrap();
    c.set_session_time(&w.desk, plan.sessions[0].id, time)
        .unwrap();
    c.set_session_time(&w.desk, plan.sessions[1].id, "10:30")
        .unwrap();
    (p, plan.sessions[0].id)
}

#[test]
fn the_desk_prints_an_aftercare_sheet_with_real_dates_and_the_next_appointment() {
    let w = world();
    let (p, s1) = booked(&w, "小明", "王", "09:00", 5);
    let doc =
        w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap();
    assert_eq!(
        (doc.kind, doc.pages, doc.patients),
        (DocumentKind::Aftercare, 1, 1)
    );
    assert!(doc.bytes.starts_with(b"%PDF"));
    assert_eq!(doc.file_name, "aftercare-P-000001-2026-11-24.pdf");
    let text = text_of(&doc.bytes);
    assert!(text.contains("王小明"), "the CJK name family-first: {text}");
    assert!(text.contains("P-000001"));
    assert!(text.contains("Clinique Étoile") && text.contains("+33 1 23 45 67 89"));
    assert!(text.contains("December"), "computed dates: {text}");
    assert!(
        text.contains("10:30"),
        "the next appointment's time: {text}"
    );
    assert!(
        text.to_lowercase().contains("pigment"),
        "Fitzpatrick V carries the PIH caution: {text}"
    );
    // Same input, same bytes.
    let again =
        w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap();
    assert_eq!(again.bytes, doc.bytes);
    // On the documents list, and audited.
    let docs = w.c.documents(&w.desk, p).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].kind, DocumentKind::Aftercare);
    assert_eq!(docs[0].printed_by, "Desk", "the person, not the login");
    let audit: Vec<String> =
        w.c.recent_audit(&w.admin, 3)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
    assert!(audit.contains(&"document.print".to_string()));
}

#[test]
fn all_of_todays_sheets_print_in_appointment_order() {
    let w = world();
    booked(&w, "Carla", "Late", "14:00", 2);
    booked(&w, "Anna", "Early", "09:00", 2);
    booked(&w, "Bella", "Middle", "11:15", 2);
    let doc =
        w.c.render_document(
            &w.desk,
            &PrintRequest::Today {
                date: String::new(),
            },
        )
        .unwrap();
    assert_eq!((doc.pages, doc.patients), (3, 3));
    assert_eq!(dermis_docs::page_count(&doc.bytes), 3);
    let text = text_of(&doc.bytes);
    let pos = |n: &str| {
        text.find(n)
            .unwrap_or_else(|| panic!("{n} missing: {text}"))
    };
    assert!(pos("Anna Early") < pos("Bella Middle") && pos("Bella Middle") < pos("Carla Late"));
    // Each patient's documents list has its sheet.
    for p in 1..=3 {
        assert_eq!(w.c.documents(&w.desk, p).unwrap().len(), 1);
    }
    let e = ApiError::from(
        w.c.render_document(
            &w.desk,
            &PrintRequest::Today {
                date: "2026-11-29".into(),
            },
        )
        .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("date"));
    assert!(e.message.contains("nothing to print"), "{}", e.message);
}

#[test]
fn a_receptionist_prints_schedule_cards_but_not_progress_summaries() {
    let w = world();
    let (p, _) = booked(&w, "Zoë", "Park", "09:00", 2);
    let card =
        w.c.render_document(&w.desk, &PrintRequest::ScheduleCard { patient_id: p })
            .unwrap();
    let text = text_of(&card.bytes);
    assert!(
        text.contains("Zoë Park") && text.contains("10:30"),
        "{text}"
    );
    assert_eq!(
        w.c.render_document(&w.desk, &PrintRequest::ProgressSummary { patient_id: p })
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    let summary =
        w.c.render_document(&w.admin, &PrintRequest::ProgressSummary { patient_id: p })
            .unwrap();
    assert!(summary.pages >= 1);
    assert!(text_of(&summary.bytes).contains("Zoë Park"));
    assert_eq!(
        w.c.documents(&w.desk, p).unwrap().len(),
        2,
        "refused prints are not on the list"
    );
}

#[test]
fn the_clinics_aftercare_text_is_used_and_an_unknown_placeholder_is_refused_by_name() {
    let w = world();
    let (_, s1) = booked(&w, "Ana", "Lee", "09:00", 2);
    let bad = ClinicSettings {
        aftercare_template: "No sauna until {no_sauna_until}.".into(),
        ..Default::default()
    };
    let e = ApiError::from(w.c.update_clinic_settings(&w.admin, &bad).unwrap_err());
    assert_eq!(e.field.as_deref(), Some("aftercare_template"));
    assert!(e.message.contains("no_sauna_until"), "{}", e.message);
    let view = w.c.clinic_settings(&w.admin).unwrap();
    assert!(view
        .aftercare_placeholders
        .iter()
        .any(|p| p.starts_with("{no_retinol_until}")));
    let good = ClinicSettings {
        aftercare_template:
            "Avoid the gym until {no_makeup_until}. Call {clinic_phone} with questions.".into(),
        ..Default::default()
    };
    w.c.update_clinic_settings(&w.admin, &good).unwrap();
    let text = text_of(
        &w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap()
            .bytes,
    );
    assert!(
        text.contains("Avoid the gym until Thursday 26 November"),
        "{text}"
    );
}
