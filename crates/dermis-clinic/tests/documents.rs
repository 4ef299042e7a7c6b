//! Printing through the use-cases: the right data on each document, the
//! permissions (a receptionist prints aftercare sheets and schedule cards but
//! not progress summaries), the day's batch in appointment order, and every
//! print on the patient's documents list. PDFs are read back with pdftotext.

use chrono::NaiveDate;
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::dates::DateFormat;
use dermis_clinic::core::ids;
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::settings::ClinicSettings;
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, ApiError, Clinic, DocumentKind, ErrorCode, FixedClock, PrintRequest};
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
    admin: Actor,
    desk: Actor,
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
    (p.0, (plan.sessions[0].id).0)
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
    // No format chosen: the computer's locale's, as the screens show.
    let format = w.c.date_format(&w.desk).unwrap().format;
    assert!(
        text.contains(&format.format(d("2026-12-01"))),
        "computed dates: {text}"
    );
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
    let docs = w.c.documents(&w.desk, ids::PatientId(p)).unwrap();
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
        assert_eq!(w.c.documents(&w.desk, ids::PatientId(p)).unwrap().len(), 1);
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
    // The list names each print for what it is, newest first.
    let kinds: Vec<DocumentKind> =
        w.c.documents(&w.desk, ids::PatientId(p))
            .unwrap()
            .into_iter()
            .map(|d| d.kind)
            .collect();
    assert_eq!(
        kinds,
        [DocumentKind::ProgressSummary, DocumentKind::ScheduleCard],
        "refused prints are not on the list"
    );
}

/// A print for one patient is listed with its own page count (only a batch
/// counts one page per patient): a progress summary long enough to flow
/// over several pages says so on the patient's list.
#[test]
fn a_progress_summary_over_several_pages_is_listed_with_its_page_count() {
    let w = world();
    // Session 1 with notes of the longest length the form takes: its row
    // does not fit under page 1's chart and photos, so the table flows on.
    let (p, s1) = booked(&w, "Zoë", "Park", "09:00", 2);
    dermis_clinic::demo::sign_demo_consent(&w.c, &w.admin, ids::PatientId(p), 1).unwrap();
    let notes: String = "Even pinpoint bleeding on both cheeks; less at the temples. "
        .repeat(40)
        .chars()
        .take(2000)
        .collect();
    w.c.record_session(
        &w.admin,
        ids::PlannedSessionId(s1),
        &dermis_clinic::core::session::SessionRecordInput {
            device: "Pen".into(),
            cartridge_lot: "LOT-1".into(),
            depths: vec![dermis_clinic::core::session::ZoneDepthInput {
                zone: dermis_clinic::core::session::DepthZone::CheeksChin,
                depth_mm: "1.0".into(),
            }],
            notes,
            ..dermis_clinic::core::session::draft_record(
                None,
                NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            )
        },
    )
    .unwrap();
    let summary =
        w.c.render_document(&w.admin, &PrintRequest::ProgressSummary { patient_id: p })
            .unwrap();
    assert!(summary.pages >= 2, "{} pages", summary.pages);
    let listed: Vec<(DocumentKind, u32)> =
        w.c.documents(&w.desk, ids::PatientId(p))
            .unwrap()
            .into_iter()
            .map(|d| (d.kind, d.pages))
            .collect();
    assert_eq!(listed, [(DocumentKind::ProgressSummary, summary.pages)]);
}

#[test]
fn the_settings_offer_dermis_own_aftercare_text_to_start_from() {
    let w = world();
    let view = w.c.clinic_settings(&w.admin).unwrap();
    // The text "Reset to Dermis's text" puts back (PRODUCT.md 4.6), not a blank.
    assert_eq!(
        view.default_aftercare_template,
        dermis_docs::default_aftercare_template()
    );
    assert!(
        view.default_aftercare_template.contains("sun"),
        "{}",
        view.default_aftercare_template
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
    let format = w.c.date_format(&w.desk).unwrap().format;
    let want = format!(
        "Avoid the gym until Thursday {}",
        format.format(d("2026-11-26"))
    );
    assert!(text.contains(&want), "{want:?} not in {text}");
}

/// Fails when `text` holds a month in words or an ISO date.
fn assert_no_word_or_iso_date(text: &str) {
    for month in [
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ] {
        assert!(!text.contains(month), "{month} in words: {text}");
    }
    for iso in ["2026-11-24", "2026-11-26", "2026-12-01", "2026-12-29"] {
        assert!(!text.contains(iso), "{iso} as ISO: {text}");
    }
}

fn choose_format(w: &World, format: DateFormat) {
    w.c.update_clinic_settings(
        &w.admin,
        &ClinicSettings {
            date_format: Some(format),
            ..Default::default()
        },
    )
    .unwrap();
}

#[test]
fn paper_shows_the_dates_the_way_the_clinic_chose_for_its_screens() {
    let w = world();
    let (p, s1) = booked(&w, "Zoë", "Park", "09:00", 2);
    let print =
        |actor: &Actor, r: PrintRequest| text_of(&w.c.render_document(actor, &r).unwrap().bytes);
    for (format, treated, makeup, retinol) in [
        (
            DateFormat::DayMonthYearDots,
            "24.11.2026",
            "Thursday 26.11.2026",
            "Tuesday 01.12.2026",
        ),
        (
            DateFormat::MonthDayYear,
            "11/24/2026",
            "Thursday 11/26/2026",
            "Tuesday 12/01/2026",
        ),
    ] {
        choose_format(&w, format);
        assert_eq!(w.c.date_format(&w.desk).unwrap().format, format);

        let sheet = print(&w.desk, PrintRequest::Aftercare { session_id: s1 });
        for want in [treated, makeup, retinol] {
            assert!(sheet.contains(want), "{format:?}: no {want:?} in {sheet}");
        }
        assert!(sheet.contains(&format!("Printed {treated}")), "{sheet}");
        assert_no_word_or_iso_date(&sheet);

        let day = print(
            &w.desk,
            PrintRequest::Today {
                date: String::new(),
            },
        );
        assert!(day.contains(makeup), "{format:?}: {day}");
        assert_no_word_or_iso_date(&day);

        let card = print(&w.desk, PrintRequest::ScheduleCard { patient_id: p });
        assert!(
            card.contains(&format!("Tuesday {treated}")),
            "{format:?}: {card}"
        );
        assert_no_word_or_iso_date(&card);

        let summary = print(&w.admin, PrintRequest::ProgressSummary { patient_id: p });
        assert!(summary.contains(treated), "{format:?}: {summary}");
        assert_no_word_or_iso_date(&summary);
    }
}

#[test]
fn with_no_format_chosen_paper_follows_the_format_the_screens_take_from_the_locale() {
    let w = world();
    let (_, s1) = booked(&w, "Zoë", "Park", "09:00", 2);
    let info = w.c.date_format(&w.desk).unwrap();
    assert!(info.from_locale, "a new clinic has chosen no format");
    let sheet = text_of(
        &w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap()
            .bytes,
    );
    let treated = info.format.format(d("2026-11-24"));
    assert!(
        sheet.contains(&format!("Treatment date\n\n{treated}")) || sheet.contains(&treated),
        "{treated:?} not in {sheet}"
    );
}

/// Sets a patient's preferred language as the desk would in the patient form.
fn prefers(w: &World, patient: i64, language: &str) {
    let p = w.c.patient(&w.desk, ids::PatientId(patient)).unwrap();
    w.c.update_patient(
        &w.desk,
        ids::PatientId(patient),
        p.version,
        &PatientInput {
            first_name: p.first_name,
            last_name: p.last_name,
            date_of_birth: p.date_of_birth.to_string(),
            preferred_language: language.into(),
            ..Default::default()
        },
    )
    .unwrap();
}

#[test]
fn a_sheet_follows_the_patients_language_and_the_desk_can_choose_another() {
    let w = world();
    let (p, s1) = booked(&w, "Amélie", "Lefèvre", "09:00", 2);
    prefers(&w, p, "fr-CA");
    let doc =
        w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap();
    assert_eq!(
        (doc.language.as_str(), doc.language_note.as_str()),
        ("fr", "")
    );
    let text = text_of(&doc.bytes);
    assert!(text.contains("Soins après votre traitement"), "{text}");
    // The weekday in French, the date the clinic's way.
    let format = w.c.date_format(&w.desk).unwrap().format;
    let thursday = format!("jeudi {}", format.format(d("2026-11-26")));
    assert!(text.contains(&thursday), "{thursday:?} not in {text}");
    assert!(!text.contains("Aftercare after your treatment"), "{text}");

    // The person printing chooses Spanish for this print only.
    let es =
        w.c.render_document_in(
            &w.desk,
            &PrintRequest::ScheduleCard { patient_id: p },
            Some("es"),
        )
        .unwrap();
    assert_eq!(es.language, "es");
    assert!(text_of(&es.bytes).contains("Calendario de su tratamiento"));
    // A language Dermis has no documents in cannot be chosen.
    let e = ApiError::from(
        w.c.render_document_in(
            &w.desk,
            &PrintRequest::Aftercare { session_id: s1 },
            Some("xx"),
        )
        .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("language"));
    assert!(e.message.contains("Français (fr)"), "{}", e.message);
    // The audit entry records the language.
    let last = w.c.recent_audit(&w.admin, 1).unwrap();
    assert!(
        last[0].detail.contains("\"language\":\"es\""),
        "{:?}",
        last[0]
    );
}

#[test]
fn a_language_without_documents_falls_back_to_the_clinic_default_and_says_so() {
    let w = world();
    let (p, s1) = booked(&w, "花子", "山田", "09:00", 2);
    prefers(&w, p, "ja");
    let doc =
        w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap();
    assert_eq!(doc.language, "en");
    assert!(
        doc.language_note.contains("日本語"),
        "{}",
        doc.language_note
    );
    assert!(
        doc.language_note.contains("English"),
        "{}",
        doc.language_note
    );
    assert!(text_of(&doc.bytes).contains("Aftercare after your treatment"));

    // The clinic's default language decides the fall-back.
    let mut s = w.c.clinic_settings(&w.admin).unwrap().settings;
    s.default_language = "de".into();
    w.c.update_clinic_settings(&w.admin, &s).unwrap();
    let doc =
        w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap();
    assert_eq!(doc.language, "de");
    assert!(
        doc.language_note.contains("Deutsch"),
        "{}",
        doc.language_note
    );
    assert!(text_of(&doc.bytes).contains("Pflege nach Ihrer Behandlung"));
    s.default_language = "ja".into();
    let e = ApiError::from(w.c.update_clinic_settings(&w.admin, &s).unwrap_err());
    assert_eq!(e.field.as_deref(), Some("default_language"));

    // A patient with no preferred language gets the default, without a note.
    let (_, s2) = booked(&w, "Ana", "Lee", "10:00", 2);
    let doc =
        w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s2 })
            .unwrap();
    assert_eq!(
        (doc.language.as_str(), doc.language_note.as_str()),
        ("de", "")
    );
}

#[test]
fn the_days_batch_prints_each_sheet_in_its_patients_language() {
    let w = world();
    let (a, _) = booked(&w, "Anna", "Early", "09:00", 2);
    let (b, _) = booked(&w, "فاطمة", "الزهراء", "11:15", 2);
    let (c, _) = booked(&w, "Mei", "Late", "14:00", 2);
    prefers(&w, a, "it");
    prefers(&w, b, "ar");
    prefers(&w, c, "zh");
    let doc =
        w.c.render_document(
            &w.desk,
            &PrintRequest::Today {
                date: String::new(),
            },
        )
        .unwrap();
    assert_eq!(doc.pages, 3);
    let text = text_of(&doc.bytes);
    assert!(text.contains("Cure dopo il trattamento"), "{text}");
    assert!(text.contains("العناية بعد"), "{text}");
    assert!(text.contains("Aftercare after your treatment"), "{text}");
    assert!(
        doc.language_note.starts_with("1 sheet printed in English"),
        "{}",
        doc.language_note
    );
    assert!(
        doc.language_note.contains("P-000003"),
        "{}",
        doc.language_note
    );
}

#[test]
fn each_languages_aftercare_text_is_marked_default_until_a_clinician_reviews_it() {
    let w = world();
    let texts = w.c.aftercare_texts(&w.admin).unwrap();
    let codes: Vec<&str> = texts.iter().map(|t| t.language.as_str()).collect();
    assert_eq!(codes, ["en", "fr", "es", "de", "it", "pt", "ar"]);
    assert!(texts
        .iter()
        .all(|t| !t.reviewed && t.text == t.default_text));
    assert_eq!(texts[6].name, "العربية");

    // The clinic writes its own French text: placeholders checked as in English.
    let e = ApiError::from(
        w.c.save_aftercare_text(&w.admin, "fr", "Pas de sauna avant le {no_sauna_until}.")
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("aftercare_template"));
    assert!(e.message.contains("no_sauna_until"), "{}", e.message);
    let fr =
        w.c.save_aftercare_text(&w.admin, "fr", "Pas de sauna avant le {no_makeup_until}.")
            .unwrap();
    assert!(fr.reviewed && fr.reviewed_by == "Dr Owner", "{fr:?}");
    let (p, s1) = booked(&w, "Amélie", "Lefèvre", "09:00", 2);
    prefers(&w, p, "fr");
    let text = text_of(
        &w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap()
            .bytes,
    );
    let format = w.c.date_format(&w.desk).unwrap().format;
    let want = format!(
        "Pas de sauna avant le jeudi {}.",
        format.format(d("2026-11-26"))
    );
    assert!(text.contains(&want), "{want:?} not in {text}");
    // English is untouched and still unreviewed.
    let en = &w.c.aftercare_texts(&w.admin).unwrap()[0];
    assert!(!en.reviewed);

    // The desk can neither edit nor approve clinical instructions.
    assert_eq!(
        w.c.approve_aftercare_text(&w.desk, "ar")
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    assert_eq!(
        w.c.save_aftercare_text(&w.desk, "ar", "x")
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    // A practitioner approves the Arabic default text as it is.
    w.c.create_user(
        &w.admin,
        "doc",
        "Dr Haddad",
        "a long password",
        &[Role::Practitioner],
    )
    .unwrap();
    let doc =
        w.c.login(&LoginInput {
            username: "doc".into(),
            password: "a long password".into(),
        })
        .unwrap();
    let ar = w.c.approve_aftercare_text(&doc, "ar").unwrap();
    assert!(ar.reviewed && ar.reviewed_by == "Dr Haddad");
    assert_eq!(ar.text, ar.default_text);
    // Back to the default: unreviewed again.
    let fr = w.c.save_aftercare_text(&w.admin, "fr", "  ").unwrap();
    assert!(!fr.reviewed && fr.text == fr.default_text);
    let actions: Vec<String> =
        w.c.recent_audit(&w.admin, 10)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
    assert!(actions.contains(&"settings.aftercare_text.approve".to_string()));
}

#[test]
fn the_language_list_names_each_language_in_itself() {
    let list = dermis_clinic::languages();
    let name = |code: &str| {
        list.iter()
            .find(|l| l.code == code)
            .map(|l| (l.name.as_str(), l.documents))
    };
    assert_eq!(name("fr"), Some(("Français", true)));
    assert_eq!(name("ar"), Some(("العربية", true)));
    assert_eq!(name("ja"), Some(("日本語", false)));
    assert_eq!(list.iter().filter(|l| l.documents).count(), 7);
}

#[test]
fn a_regional_code_without_documents_is_named_by_its_language_in_the_note() {
    let w = world();
    let (p, s1) = booked(&w, "花子", "山田", "09:00", 2);
    prefers(&w, p, "ja-JP");
    let doc =
        w.c.render_document(&w.desk, &PrintRequest::Aftercare { session_id: s1 })
            .unwrap();
    assert_eq!(doc.language, "en");
    // "日本語 (ja-JP)", not the bare code twice.
    assert!(
        doc.language_note.contains("日本語 (ja-JP)"),
        "{}",
        doc.language_note
    );
}

#[test]
fn an_aftercare_text_of_exactly_the_longest_length_is_saved_and_one_character_more_refused() {
    let w = world();
    let max = dermis_clinic::core::settings::AFTERCARE_TEMPLATE_MAX_CHARS;
    let at_limit = "é".repeat(max);
    let saved = w.c.save_aftercare_text(&w.admin, "fr", &at_limit).unwrap();
    assert_eq!(saved.text.chars().count(), max);
    let e = ApiError::from(
        w.c.save_aftercare_text(&w.admin, "fr", &format!("{at_limit}e"))
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("aftercare_template"));
    assert!(e.message.contains(&format!("{}", max + 1)), "{}", e.message);
    // The text saved before is still the clinic's.
    let fr = w.c.aftercare_texts(&w.admin).unwrap();
    assert_eq!(fr[1].text, at_limit);
}

#[test]
fn the_progress_summary_names_the_next_maintenance_visit_not_one_already_past() {
    let mut w = world();
    let (p, _) = booked(&w, "Zoë", "Park", "09:00", 2);
    let plan = w.c.plans(&w.admin, ids::PatientId(p)).unwrap()[0].clone();
    assert!(plan.maintenance.len() >= 3, "{:?}", plan.maintenance);
    let visits = &plan.maintenance;
    // What the summary prints under "Next maintenance" on `day`.
    let mut next_on = |day: NaiveDate| {
        w.c.set_clock(Arc::new(FixedClock::on(day)));
        let summary =
            w.c.render_document(&w.admin, &PrintRequest::ProgressSummary { patient_id: p })
                .unwrap();
        let text = text_of(&summary.bytes);
        let after = text
            .split_once("Next maintenance")
            .unwrap_or_else(|| panic!("{text}"))
            .1;
        after
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
            .to_string()
    };
    // A day after the first visit: the second is the next one.
    assert_eq!(
        next_on(visits[0] + chrono::Duration::days(1)),
        visits[1].to_string()
    );
    // On the day of a visit, that visit is still the next one.
    assert_eq!(next_on(visits[1]), visits[1].to_string());
    // After the last one: none scheduled.
    assert_eq!(
        next_on(*visits.last().unwrap() + chrono::Duration::days(1)),
        "Not scheduled yet"
    );
}

#[test]
fn the_days_batch_says_how_many_sheets_and_pages_and_counts_one_page_per_patient() {
    let w = world();
    booked(&w, "Anna", "Early", "09:00", 2);
    booked(&w, "Bella", "Middle", "11:15", 2);
    booked(&w, "Carla", "Late", "14:00", 2);
    let dir = tempfile::tempdir().unwrap();
    let printed =
        w.c.print_document(
            &w.desk,
            &PrintRequest::Today {
                date: String::new(),
            },
            None,
            dir.path(),
        )
        .unwrap()
        .after_open(Err("no PDF viewer".into()));
    assert!(
        printed.message.contains("(3 aftercare sheets, 3 pages)"),
        "{}",
        printed.message
    );
    // Each patient's list has their own sheet: one page, not the batch's three.
    for p in 1..=3 {
        let docs = w.c.documents(&w.desk, ids::PatientId(p)).unwrap();
        assert_eq!(docs.iter().map(|d| d.pages).collect::<Vec<_>>(), [1]);
    }
    // One sheet alone: no count in the sentence.
    let (_, s) = booked(&w, "Dana", "Solo", "16:00", 2);
    let one =
        w.c.print_document(
            &w.desk,
            &PrintRequest::Aftercare { session_id: s },
            None,
            dir.path(),
        )
        .unwrap()
        .after_open(Err("no PDF viewer".into()));
    assert!(!one.message.contains("aftercare sheets"), "{}", one.message);
}

#[test]
fn putting_french_back_to_the_default_keeps_the_clinics_own_english_text() {
    let w = world();
    // The English text a clinic wrote before texts were kept per language.
    let mut s = w.c.clinic_settings(&w.admin).unwrap().settings;
    s.aftercare_template = "Our own aftercare: no make-up until {no_makeup_until}.".into();
    w.c.update_clinic_settings(&w.admin, &s).unwrap();
    let english = || {
        w.c.clinic_settings(&w.admin)
            .unwrap()
            .settings
            .aftercare_template
    };
    w.c.save_aftercare_text(
        &w.admin,
        "fr",
        "Pas de maquillage avant le {no_makeup_until}.",
    )
    .unwrap();
    w.c.save_aftercare_text(&w.admin, "fr", "").unwrap();
    assert_eq!(english(), s.aftercare_template);
    // English back to the default: that text goes too.
    w.c.save_aftercare_text(&w.admin, "en", "").unwrap();
    assert_eq!(english(), "");
}

#[test]
fn a_cancelled_plan_is_not_printed_as_the_patients_plan() {
    let w = world();
    let (p, _) = booked(&w, "Zoë", "Park", "09:00", 2);
    let summary = |w: &World| {
        w.c.render_document(&w.admin, &PrintRequest::ProgressSummary { patient_id: p })
    };
    assert!(summary(&w).is_ok());
    let plan = w.c.plans(&w.admin, ids::PatientId(p)).unwrap()[0].clone();
    w.c.set_plan_status(
        &w.admin,
        plan.id,
        dermis_clinic::core::plan::PlanStatus::Cancelled,
        "moved abroad",
    )
    .unwrap();
    // Its only plan cancelled, the patient has none to summarise.
    let e = summary(&w).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation, "{e}");
    assert!(e.to_string().contains("no plan"), "{e}");
}
