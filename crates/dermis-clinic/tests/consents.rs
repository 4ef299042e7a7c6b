//! Consent forms through the use-cases: the session gate (refused, allowed
//! after signing and confirming, refused after withdrawal, warning mode, a
//! new plan after 12 months), template versions, the PDF read back, the
//! audit entry's hash against the stored file, and what the desk receives.

use chrono::NaiveDate;
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::consent::{
    ConsentSettings, ConsentSignInput, ConsentStatus, ConsentTemplateInput, PhotoUses, Strokes,
};
use dermis_clinic::core::ids::{PatientId, PlannedSessionId};
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::screening::{ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::session::{DepthZone, SessionRecordInput, ZoneDepthInput};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, AuditFilter, Clinic, ErrorCode, FixedClock};
use sha2::{Digest, Sha256};
use std::process::Command;
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct World {
    dir: tempfile::TempDir,
    clinic: Clinic,
    dr: Actor,
    desk: Actor,
    patient: PatientId,
}

fn world_on(day: &str) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut clinic = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    clinic.set_clock(Arc::new(FixedClock::on(d(day))));
    let dr = clinic
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: "1 Rue Haute".into(),
            clinic_phone: "+33 1 23 45 67 89".into(),
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
                first_name: "Zoë".into(),
                last_name: "Παπαδοπούλου".into(),
                date_of_birth: "1992-03-04".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    World {
        dir,
        clinic,
        dr,
        desk,
        patient,
    }
}

fn world() -> World {
    world_on("2026-11-24")
}

/// Screens, assesses and plans the patient from the clinic's today; returns the first session.
fn plan(w: &World) -> PlannedSessionId {
    let c = &w.clinic;
    let today = c.today();
    let answers = c
        .screening_questions(&w.dr)
        .unwrap()
        .into_iter()
        .map(|q| ScreeningAnswer {
            condition: q.condition,
            present: false,
            last_date: None,
        })
        .collect();
    c.record_screening(
        &w.dr,
        w.patient,
        &ScreeningInput {
            screened_on: today.to_string(),
            answers,
            notes: "".into(),
        },
    )
    .unwrap();
    let a = c
        .record_assessment(
            &w.dr,
            w.patient,
            &AssessmentInput {
                assessed_on: today.to_string(),
                scar_types: vec![ScarType::Boxcar],
                grade: 2,
                counts: GbCounts {
                    moderate: 8,
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
    let p = c
        .accept_plan(
            &w.dr,
            &PlanRequest {
                patient_id: w.patient,
                assessment_id: a.id,
                start: today.to_string(),
                adjust: None,
            },
        )
        .unwrap();
    p.sessions[0].id
}

fn record(w: &World) -> SessionRecordInput {
    SessionRecordInput {
        device: "Pen".into(),
        cartridge_lot: "L1".into(),
        depths: vec![ZoneDepthInput {
            zone: DepthZone::CheeksChin,
            depth_mm: "1.0".into(),
        }],
        ..dermis_clinic::core::session::draft_record(None, w.clinic.today())
    }
}

fn strokes() -> Strokes {
    dermis_clinic::demo::demo_signature(7)
}

fn sign_input(w: &World, confirm: bool) -> ConsentSignInput {
    ConsentSignInput {
        patient_id: w.patient,
        template: "microneedling".into(),
        template_version: None,
        signature: strokes(),
        typed_name: String::new(),
        photo_uses: PhotoUses {
            record: true,
            teaching: false,
            marketing: false,
        },
        confirm,
    }
}

fn audit(w: &World, action: &str) -> Vec<serde_json::Value> {
    w.clinic
        .audit_page(
            &w.dr,
            &AuditFilter {
                action: action.into(),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .into_iter()
        .filter(|i| i.action == action)
        .map(|i| serde_json::from_str(&i.detail).unwrap())
        .collect()
}

#[test]
fn a_session_is_refused_without_consent_allowed_after_and_refused_after_withdrawal() {
    let mut w = world();
    let first = plan(&w);
    let e = w
        .clinic
        .record_session(&w.dr, first, &record(&w))
        .unwrap_err();
    let api = dermis_clinic::ApiError::from(e);
    assert_eq!(
        (api.code, api.field.as_deref()),
        (ErrorCode::Validation, Some("consent"))
    );
    assert!(
        api.message
            .contains("has not signed a microneedling consent"),
        "{}",
        api.message
    );
    let draft = w.clinic.session_draft(&w.dr, first).unwrap();
    assert!(draft.consent_needed);
    assert!(draft.refused.unwrap().contains("consent"));

    let signed = w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    assert_eq!(signed.status, ConsentStatus::Signed);
    assert!(!w.clinic.session_draft(&w.dr, first).unwrap().consent_needed);
    let r = w.clinic.record_session(&w.dr, first, &record(&w)).unwrap();
    assert!(r.warnings.iter().all(|m| !m.contains("consent")));

    w.clinic
        .revoke_consent(&w.dr, signed.id, "The patient changed her mind.")
        .unwrap();
    let revoked = audit(&w, "consent.revoke");
    assert_eq!(revoked[0]["consent"], signed.id.0);
    assert!(w.clinic.revoke_consent(&w.dr, signed.id, "again").is_err());
    let plan = w.clinic.plans(&w.dr, w.patient).unwrap().remove(0);
    let second = plan.sessions[1].id;
    w.clinic
        .set_clock(Arc::new(FixedClock::on(plan.sessions[1].date)));
    let e = dermis_clinic::ApiError::from(
        w.clinic
            .record_session(&w.dr, second, &record(&w))
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("consent"));
    assert!(e.message.contains("withdrew"), "{}", e.message);
}

#[test]
fn in_warning_mode_the_session_is_recorded_with_the_warning_on_it() {
    let w = world();
    let first = plan(&w);
    w.clinic
        .set_consent_settings(
            &w.dr,
            &ConsentSettings {
                require_for_session: false,
                renew_after_months: 12,
            },
        )
        .unwrap();
    let draft = w.clinic.session_draft(&w.dr, first).unwrap();
    assert!(draft.consent_needed && draft.refused.is_none());
    let r = w.clinic.record_session(&w.dr, first, &record(&w)).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|m| m.contains("has not signed") && m.contains("warn")),
        "{:?}",
        r.warnings
    );
    // Only the owner changes the setting.
    assert!(w
        .clinic
        .set_consent_settings(&w.desk, &ConsentSettings::default())
        .is_err());
}

#[test]
fn the_desk_takes_the_signature_a_practitioner_confirms_it() {
    let w = world();
    let first = plan(&w);
    let e = dermis_clinic::ApiError::from(
        w.clinic
            .sign_consent(&w.desk, &sign_input(&w, true))
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("confirm"));
    let taken = w
        .clinic
        .sign_consent(&w.desk, &sign_input(&w, false))
        .unwrap();
    assert_eq!(taken.status, ConsentStatus::AwaitingConfirmation);
    // Not yet enough for a session.
    let e = dermis_clinic::ApiError::from(
        w.clinic
            .record_session(&w.dr, first, &record(&w))
            .unwrap_err(),
    );
    assert!(
        e.message.contains("waiting for a practitioner"),
        "{}",
        e.message
    );
    // What the desk receives: where the consent stands, nothing of its content.
    let list = w.clinic.consents(&w.desk, w.patient).unwrap();
    let json = serde_json::to_string(&list).unwrap();
    for absent in [
        "strokes",
        "signature",
        "text",
        "photo",
        "sha256",
        "Microneedling (collagen",
    ] {
        assert!(!json.contains(absent), "the desk received {absent}: {json}");
    }
    assert!(matches!(
        dermis_clinic::ApiError::from(w.clinic.consent(&w.desk, taken.id).unwrap_err()).code,
        ErrorCode::Forbidden
    ));
    assert!(w.clinic.consent_document(&w.desk, taken.id).is_err());
    assert!(w.clinic.confirm_consent(&w.desk, taken.id).is_err());
    assert!(w.clinic.revoke_consent(&w.desk, taken.id, "no").is_err());
    let c = w.clinic.confirm_consent(&w.dr, taken.id).unwrap();
    assert_eq!(
        (c.status, c.recorded_by.as_str(), c.confirmed_by.as_deref()),
        (ConsentStatus::Signed, "Sam Desk", Some("Dr Lee"))
    );
    assert!(
        w.clinic.confirm_consent(&w.dr, taken.id).is_err(),
        "confirmed once"
    );
    w.clinic.record_session(&w.dr, first, &record(&w)).unwrap();
}

#[test]
fn an_old_signature_keeps_its_text_when_the_form_gets_a_new_version() {
    let w = world();
    let v1 = w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    assert_eq!(v1.template_version, 1);
    let saved = w
        .clinic
        .save_consent_template(
            &w.dr,
            &ConsentTemplateInput {
                key: "microneedling".into(),
                title: "Consent, revised".into(),
                body: "# New\nA new text.".into(),
            },
        )
        .unwrap();
    assert_eq!(saved.version, 2);
    assert!(w
        .clinic
        .save_consent_template(
            &w.desk,
            &ConsentTemplateInput {
                key: "microneedling".into(),
                title: "X".into(),
                body: "Y".into()
            }
        )
        .is_err());
    // A patient who read version 1 cannot sign it now.
    let mut stale = sign_input(&w, true);
    stale.template_version = Some(1);
    let e = dermis_clinic::ApiError::from(w.clinic.sign_consent(&w.dr, &stale).unwrap_err());
    assert_eq!(e.code, ErrorCode::Conflict);
    let v2 = w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    let old = w.clinic.consent(&w.dr, v1.id).unwrap();
    let new = w.clinic.consent(&w.dr, v2.id).unwrap();
    assert!(old.text.contains("light sunburn") && old.template_version == 1);
    assert_eq!(
        (new.text.as_str(), new.title.as_str(), new.template_version),
        ("# New\nA new text.", "Consent, revised", 2)
    );
    let versions: Vec<u32> = w
        .clinic
        .consent_templates(&w.desk)
        .unwrap()
        .iter()
        .map(|t| t.version)
        .collect();
    assert_eq!(versions, vec![2, 1]);
}

#[test]
fn a_new_plan_more_than_twelve_months_after_the_consent_asks_for_a_new_one() {
    let mut w = world_on("2025-10-01");
    w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    w.clinic
        .set_clock(Arc::new(FixedClock::on(d("2026-11-24"))));
    let first = plan(&w);
    let e = dermis_clinic::ApiError::from(
        w.clinic
            .record_session(&w.dr, first, &record(&w))
            .unwrap_err(),
    );
    assert!(e.message.contains("more than 12 months"), "{}", e.message);
    w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    w.clinic.record_session(&w.dr, first, &record(&w)).unwrap();
}

#[test]
fn the_signed_consent_dates_its_signature_the_way_the_clinic_writes_dates() {
    let w = world();
    w.clinic
        .update_clinic_settings(
            &w.dr,
            &dermis_clinic::core::settings::ClinicSettings {
                date_format: Some(dermis_clinic::core::dates::DateFormat::DayMonthYearDots),
                ..Default::default()
            },
        )
        .unwrap();
    let c = w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    let out = w.dir.path().join("consent.pdf");
    w.clinic.save_consent(&w.dr, c.id, &out).unwrap();
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("on 24.11.2026, "), "{text}");
    assert!(text.contains(" UTC"), "{text}");
    assert!(
        !text.contains("November") && !text.contains("2026-11-24"),
        "{text}"
    );
}

#[test]
fn the_signed_pdf_reads_back_and_the_audit_holds_the_stored_files_hash() {
    let w = world();
    let c = w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    let out = w.dir.path().join("consent.pdf");
    let printed = w.clinic.save_consent(&w.dr, c.id, &out).unwrap();
    assert!(printed.pages >= 1);
    let bytes = std::fs::read(&out).unwrap();
    let file_sha: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let confirmed = audit(&w, "consent.confirm");
    assert_eq!(
        confirmed[0]["pdf_sha256"],
        file_sha.as_str(),
        "the audit names the stored file"
    );
    let full = w.clinic.consent(&w.dr, c.id).unwrap();
    assert_eq!(full.pdf_sha256.as_deref(), Some(file_sha.as_str()));
    let content_sha = full.content_sha256.unwrap();
    // The frozen bytes: printing again gives the same file.
    let again = w.dir.path().join("again.pdf");
    w.clinic.save_consent(&w.dr, c.id, &again).unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), bytes);
    let text = Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        "Zoë Παπαδοπούλου",
        "microneedling, version 1",
        "Confirmed by Dr Lee",
        "Photos kept in my record and printed in my own documents: Yes",
        &format!("Signed content SHA-256: {content_sha}"),
        "tram-track scarring",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    assert_eq!(audit(&w, "consent.print").len(), 2);
}

#[test]
fn a_signature_that_is_empty_huge_or_not_a_number_is_refused_and_nothing_is_stored() {
    let w = world();
    let bad = [
        Strokes::default(),
        Strokes {
            strokes: vec![vec![(1.0, 1.0), (f64::NAN, 2.0)]],
        },
        Strokes {
            strokes: vec![vec![(1.0, 1.0), (5000.0, 2.0)]],
        },
        Strokes {
            strokes: vec![vec![(1.0, 1.0), (2.0, 2.0)]; 101],
        },
        Strokes {
            strokes: vec![vec![(1.0, 1.0); 2001]],
        },
    ];
    for s in bad {
        let mut i = sign_input(&w, true);
        i.signature = s;
        let e = dermis_clinic::ApiError::from(w.clinic.sign_consent(&w.dr, &i).unwrap_err());
        assert_eq!(e.field.as_deref(), Some("signature"), "{}", e.message);
    }
    assert!(w.clinic.consents(&w.dr, w.patient).unwrap().is_empty());
    // The keyboard alternative is recorded as typed.
    let mut typed = sign_input(&w, true);
    typed.signature = Strokes::default();
    typed.typed_name = "Zoë Παπαδοπούλου".into();
    let c = w.clinic.sign_consent(&w.dr, &typed).unwrap();
    let full = w.clinic.consent(&w.dr, c.id).unwrap();
    assert_eq!(
        full.method,
        dermis_clinic::core::consent::SignatureMethod::Typed
    );
}

fn png_of(rgb: [u8; 3]) -> Vec<u8> {
    let mut v = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(16, 16, image::Rgb(rgb)))
        .write_to(&mut std::io::Cursor::new(&mut v), image::ImageFormat::Png)
        .unwrap();
    v
}

fn images_in(w: &World, pdf: &[u8]) -> usize {
    let path = w.dir.path().join("summary.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .unwrap();
    // Two header lines, then one line per image.
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .count()
        .saturating_sub(2)
}

/// Photo-use consent: the progress summary is the patient's own document (the
/// "record" use); a patient who said no there gets a summary without photos.
#[test]
fn the_progress_summary_prints_photos_only_with_the_patients_consent_for_that_use() {
    use dermis_clinic::core::photo::{PhotoAngle, PhotoTags};
    let w = world();
    plan(&w);
    let mut no_photos = sign_input(&w, true);
    no_photos.photo_uses = PhotoUses {
        record: false,
        teaching: true,
        marketing: true,
    };
    w.clinic.sign_consent(&w.dr, &no_photos).unwrap();
    for (day, rgb) in [("2026-10-01", [200, 10, 10]), ("2026-11-20", [10, 200, 10])] {
        let tags = PhotoTags {
            taken_on: day.into(),
            area: TreatmentArea::Cheeks,
            angle: PhotoAngle::Front,
            session_record_id: None,
            assessment_id: None,
        };
        w.clinic
            .import_photo(&w.dr, w.patient, "p.png", &png_of(rgb), &tags)
            .unwrap();
    }
    let summary = |w: &World| {
        w.clinic
            .render_document(
                &w.dr,
                &dermis_clinic::PrintRequest::ProgressSummary {
                    patient_id: w.patient.0,
                },
            )
            .unwrap()
            .bytes
    };
    assert_eq!(
        images_in(&w, &summary(&w)),
        0,
        "no consent to photos in the record: none printed"
    );
    assert!(!w.clinic.photo_consent(&w.dr, w.patient).unwrap().record);
    // A new consent that says yes: the before/after pair prints.
    w.clinic.sign_consent(&w.dr, &sign_input(&w, true)).unwrap();
    assert_eq!(images_in(&w, &summary(&w)), 2);
}

#[test]
fn the_consent_settings_the_owner_saves_are_those_the_settings_page_shows_again() {
    let w = world();
    // A fresh clinic: consents required, asked again after 12 months.
    assert_eq!(
        w.clinic.consent_settings(&w.dr).unwrap(),
        ConsentSettings {
            require_for_session: true,
            renew_after_months: 12
        }
    );
    let saved = ConsentSettings {
        require_for_session: false,
        renew_after_months: 36,
    };
    w.clinic.set_consent_settings(&w.dr, &saved).unwrap();
    // Reopening the settings shows what was saved, not the defaults.
    assert_eq!(w.clinic.consent_settings(&w.dr).unwrap(), saved);
}
