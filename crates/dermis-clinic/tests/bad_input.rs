//! PRODUCT.md section 8, as a table: each bad input gets its error code and
//! field, and nothing is written (no new row, no new audit entry).

use chrono::NaiveDate;
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids;
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::screening::{ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::{PatientInput, SetupInput};
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode, FixedClock};
use std::sync::Arc;

fn person() -> PatientInput {
    PatientInput {
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        date_of_birth: "1990-01-01".into(),
        ..Default::default()
    }
}

struct World {
    c: Clinic,
    s: Actor,
    patient: ids::PatientId,
    first_session: i64,
    second_session: i64,
    first_date: NaiveDate,
}

/// A session form with one forehead depth.
fn record(depth_mm: &str) -> dermis_clinic::core::session::SessionRecordInput {
    use dermis_clinic::core::session::{draft_record, DepthZone, ZoneDepthInput};
    dermis_clinic::core::session::SessionRecordInput {
        device: "Pen".into(),
        depths: vec![ZoneDepthInput {
            zone: DepthZone::Forehead,
            depth_mm: depth_mm.into(),
        }],
        ..draft_record(None, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap())
    }
}

fn world() -> World {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )))
    .unwrap();
    let s = c
        .setup(&SetupInput {
            clinic_name: "C".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "boss".into(),
            admin_display_name: "Boss".into(),
            password: "a long password".into(),
        })
        .unwrap();
    let patient = c.create_patient(&s, &person()).unwrap().id;
    dermis_clinic::demo::sign_demo_consent(&c, &s, patient, 1).unwrap();
    let answers = c
        .screening_questions(&s)
        .unwrap()
        .into_iter()
        .map(|q| ScreeningAnswer {
            condition: q.condition,
            present: false,
            last_date: None,
        })
        .collect();
    c.record_screening(
        &s,
        patient,
        &ScreeningInput {
            screened_on: "2026-11-24".into(),
            answers,
            notes: "".into(),
        },
    )
    .unwrap();
    let a = c
        .record_assessment(
            &s,
            patient,
            &AssessmentInput {
                assessed_on: "2026-11-24".into(),
                scar_types: vec![ScarType::Boxcar],
                grade: 2,
                counts: GbCounts::default(),
                fitzpatrick: 2,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 1,
                notes: "".into(),
            },
        )
        .unwrap();
    let plan = c
        .accept_plan(
            &s,
            &PlanRequest {
                patient_id: patient,
                assessment_id: a.id,
                start: "2026-12-01".into(),
                adjust: None,
            },
        )
        .unwrap();
    World {
        c,
        s,
        patient,
        first_session: (plan.sessions[0].id).0,
        second_session: (plan.sessions[1].id).0,
        first_date: plan.sessions[0].date,
    }
}

type Case = (
    &'static str,
    ErrorCode,
    &'static str,
    Box<dyn Fn(&World) -> Result<(), dermis_clinic::ClinicError>>,
);

fn photo_tags() -> dermis_clinic::core::photo::PhotoTags {
    dermis_clinic::core::photo::PhotoTags {
        taken_on: String::new(),
        area: TreatmentArea::Cheeks,
        angle: dermis_clinic::core::photo::PhotoAngle::Front,
        session_record_id: None,
        assessment_id: None,
    }
}

/// A PNG whose header claims `w` × `h` RGB pixels (its data is one empty
/// deflate block): the check must refuse it from the header alone.
fn png_header_claiming(w: u32, h: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    for (kind, data) in [
        (&b"IHDR"[..], ihdr),
        (
            &b"IDAT"[..],
            vec![0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        ),
        (&b"IEND"[..], vec![]),
    ] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(&data);
        png.extend_from_slice(&c);
        png.extend_from_slice(&crc32(&c).to_be_bytes());
    }
    png
}

fn patient_case(name: &'static str, field: &'static str, input: PatientInput) -> Case {
    (
        name,
        ErrorCode::Validation,
        field,
        Box::new(move |w: &World| w.c.create_patient(&w.s, &input).map(|_| ())),
    )
}

#[test]
fn every_bad_input_names_its_field_and_writes_nothing() {
    let long = "x".repeat(300);
    let cases: Vec<Case> = vec![
        patient_case(
            "empty first name",
            "first_name",
            PatientInput {
                first_name: "".into(),
                ..person()
            },
        ),
        patient_case(
            "whitespace last name",
            "last_name",
            PatientInput {
                last_name: " \t ".into(),
                ..person()
            },
        ),
        patient_case(
            "300-character name",
            "first_name",
            PatientInput {
                first_name: long.clone(),
                ..person()
            },
        ),
        patient_case(
            "born in the future",
            "date_of_birth",
            PatientInput {
                date_of_birth: "2027-01-01".into(),
                ..person()
            },
        ),
        patient_case(
            "born before 1900",
            "date_of_birth",
            PatientInput {
                date_of_birth: "1899-12-31".into(),
                ..person()
            },
        ),
        patient_case(
            "not a date",
            "date_of_birth",
            PatientInput {
                date_of_birth: "31/12/1990".into(),
                ..person()
            },
        ),
        patient_case(
            "phone with letters",
            "phone",
            PatientInput {
                phone: "0612 ABC 678".into(),
                ..person()
            },
        ),
        patient_case(
            "not an e-mail",
            "email",
            PatientInput {
                email: "ann at example".into(),
                ..person()
            },
        ),
        (
            "a session before the previous one",
            ErrorCode::Validation,
            "date",
            Box::new(|w: &World| {
                w.c.reschedule_session(
                    &w.s,
                    ids::PlannedSessionId(w.second_session),
                    &w.first_date.to_string(),
                )
                .map(|_| ())
            }),
        ),
        (
            "a session date that is not a date",
            ErrorCode::Validation,
            "date",
            Box::new(|w: &World| {
                w.c.reschedule_session(
                    &w.s,
                    ids::PlannedSessionId(w.second_session),
                    "next tuesday",
                )
                .map(|_| ())
            }),
        ),
        (
            "a time that is not a time",
            ErrorCode::Validation,
            "time",
            Box::new(|w: &World| {
                w.c.set_session_time(&w.s, ids::PlannedSessionId(w.second_session), "25:61")
                    .map(|_| ())
            }),
        ),
        (
            "two windows editing the same patient",
            ErrorCode::Conflict,
            "",
            Box::new(|w: &World| {
                let v = w.c.patient(&w.s, w.patient)?.version;
                w.c.update_patient(
                    &w.s,
                    w.patient,
                    v,
                    &PatientInput {
                        phone: "+44 20 7946 0001".into(),
                        ..person()
                    },
                )?;
                // The second window still holds version v.
                w.c.update_patient(
                    &w.s,
                    w.patient,
                    v,
                    &PatientInput {
                        email: "ann@example.com".into(),
                        ..person()
                    },
                )
                .map(|_| ())
            }),
        ),
        (
            "a needle depth of 0 mm",
            ErrorCode::Validation,
            "depth.forehead",
            Box::new(|w: &World| {
                w.c.record_session(&w.s, ids::PlannedSessionId(w.first_session), &record("0"))
                    .map(|_| ())
            }),
        ),
        (
            "a needle depth of 5 mm",
            ErrorCode::Validation,
            "depth.forehead",
            Box::new(|w: &World| {
                w.c.record_session(&w.s, ids::PlannedSessionId(w.first_session), &record("5"))
                    .map(|_| ())
            }),
        ),
        (
            "a depth that is not a number",
            ErrorCode::Validation,
            "depth.forehead",
            Box::new(|w: &World| {
                w.c.record_session(
                    &w.s,
                    ids::PlannedSessionId(w.first_session),
                    &record("deep"),
                )
                .map(|_| ())
            }),
        ),
        (
            "a session recorded in the future",
            ErrorCode::Validation,
            "date",
            Box::new(|w: &World| {
                let mut r = record("0.5");
                r.date = "2026-12-01".into();
                w.c.record_session(&w.s, ids::PlannedSessionId(w.first_session), &r)
                    .map(|_| ())
            }),
        ),
        (
            "a logo that is not an image",
            ErrorCode::Validation,
            "logo",
            Box::new(|w: &World| w.c.set_logo(&w.s, b"GIF89a-ish text, not a PNG or JPEG")),
        ),
        (
            "a photo that is not an image",
            ErrorCode::Validation,
            "file",
            Box::new(|w: &World| {
                w.c.import_photo(
                    &w.s,
                    w.patient,
                    "scan.pdf",
                    b"%PDF-1.7",
                    &dermis_clinic::core::photo::PhotoTags {
                        taken_on: String::new(),
                        area: TreatmentArea::Cheeks,
                        angle: dermis_clinic::core::photo::PhotoAngle::Front,
                        session_record_id: None,
                        assessment_id: None,
                    },
                )
                .map(|_| ())
            }),
        ),
        (
            "a truncated JPEG (an interrupted copy)",
            ErrorCode::Validation,
            "file",
            Box::new(|w: &World| {
                let mut jpeg = Vec::new();
                image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
                    200,
                    100,
                    image::Rgb([200, 100, 50]),
                ))
                .write_to(
                    &mut std::io::Cursor::new(&mut jpeg),
                    image::ImageFormat::Jpeg,
                )
                .unwrap();
                w.c.import_photo(
                    &w.s,
                    w.patient,
                    "cut.jpg",
                    &jpeg[..jpeg.len() / 2],
                    &photo_tags(),
                )
                .map(|_| ())
            }),
        ),
        (
            "a PNG claiming 16000 × 16000 pixels (a decompression bomb)",
            ErrorCode::Validation,
            "file",
            Box::new(|w: &World| {
                w.c.import_photo(
                    &w.s,
                    w.patient,
                    "bomb.png",
                    &png_header_claiming(16_000, 16_000),
                    &photo_tags(),
                )
                .map(|_| ())
            }),
        ),
        (
            "a restore into a clinic that has no database file",
            ErrorCode::Io,
            "",
            // Refused before the file is even read (the file checks are in dermis-store's backup tests).
            Box::new(|w: &World| {
                w.c.restore(&w.s, std::path::Path::new("/etc/hostname"))
                    .map(|_| ())
            }),
        ),
    ];
    for (name, code, field, run) in cases {
        let w = world();
        let patients_before = w.c.patient_count(&w.s).unwrap();
        let plans_before = w.c.plans(&w.s, w.patient).unwrap();
        let audit_mid = w.c.recent_audit(&w.s, 10_000).unwrap().len();
        let e = ApiError::from(run(&w).expect_err(name));
        assert_eq!(e.code, code, "{name}: {}", e.message);
        if !field.is_empty() {
            assert_eq!(e.field.as_deref(), Some(field), "{name}: {}", e.message);
        }
        assert!(!e.message.is_empty());
        assert_eq!(
            w.c.patient_count(&w.s).unwrap(),
            patients_before,
            "{name} wrote a patient"
        );
        // Nothing written: the plan is as it was and no change was audited
        // (reads are audited; the conflict case's first save is its own).
        let plans_after = w.c.plans(&w.s, w.patient).unwrap();
        assert_eq!(plans_after, plans_before, "{name} changed the plan");
        let after = w.c.recent_audit(&w.s, 10_000).unwrap();
        let changes: Vec<&str> = after[..after.len() - audit_mid]
            .iter()
            .map(|e| e.action.as_str())
            .filter(|a| !a.ends_with(".read") && *a != "patient.view" && *a != "patient.update")
            .collect();
        assert!(
            changes.is_empty(),
            "{name} left changes in the audit log: {changes:?}"
        );
    }
}

#[test]
fn names_in_any_script_with_emoji_are_accepted() {
    let w = world();
    for (first, last) in [
        ("Zoë 🌸", "Ō'Brien-Łukasiewicz"),
        ("محمد", "الحسن"),
        ("王", "小明"),
        ("Γιώργος", "Папа"),
    ] {
        let p =
            w.c.create_patient(
                &w.s,
                &PatientInput {
                    first_name: first.into(),
                    last_name: last.into(),
                    ..person()
                },
            )
            .unwrap();
        assert_eq!((p.first_name.as_str(), p.last_name.as_str()), (first, last));
    }
}

/// Section 8 for restore: a "backup" handed over on a USB stick that carries
/// code, paths or damage is refused with a message naming the problem, the
/// clinic's data is unchanged, and the refusal is in the clinic's audit log.
#[test]
fn every_bad_backup_is_refused_audited_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    let s = c
        .setup(&SetupInput {
            clinic_name: "C".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "boss".into(),
            admin_display_name: "Boss".into(),
            password: "a long password".into(),
        })
        .unwrap();
    let patient = c.create_patient(&s, &person()).unwrap().id;
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3])))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let photo = c
        .import_photo(&s, patient, "p.png", &png, &photo_tags())
        .unwrap();
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    // Each case: a backup (with its photo folder), then the tampering.
    let crafted = |name: &str, sql: &str| {
        let f = stick.join(name);
        c.backup(&s, &f).unwrap();
        let conn = rusqlite::Connection::open(&f).unwrap();
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
            false,
        )
        .unwrap();
        conn.execute_batch(sql).unwrap();
        f
    };
    let damaged_photo = {
        let f = crafted("damaged-photo.db", "");
        let p = dermis_store_photo(&f, &photo.sha256);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[40] ^= 1;
        std::fs::remove_file(&p).unwrap(); // it may be a hard link to the live file
        std::fs::write(&p, &bytes).unwrap();
        f
    };
    let cases = [
        (
            "a trigger that makes the desk an admin",
            crafted("trigger.db", "CREATE TRIGGER promote AFTER INSERT ON audit_log WHEN NEW.username = 'desk' BEGIN UPDATE users SET roles = 'admin'; END;"),
            "trigger named \"promote\"",
        ),
        (
            "the audit log's append-only trigger dropped",
            crafted("dropped.db", "DROP TRIGGER audit_log_no_update;"),
            "\"audit_log_no_update\" that Dermis needs is missing",
        ),
        (
            "an extra view",
            crafted("view.db", "CREATE VIEW everyone AS SELECT * FROM patients;"),
            "view named \"everyone\"",
        ),
        (
            "a looping view in place of a table",
            crafted("loop.db", "DROP TABLE recalls; CREATE VIEW recalls AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i AS id FROM n;"),
            "view named \"recalls\"",
        ),
        (
            "a photo name with ..",
            crafted("dotdot.db", "UPDATE photos SET sha256 = '../../../../x/evil';"),
            "not a photo's content address",
        ),
        (
            "a role Dermis does not know",
            crafted("role.db", "UPDATE users SET roles = 'root';"),
            "roles Dermis does not know",
        ),
        ("one changed byte in a photo", damaged_photo, "does not match"),
    ];
    for (name, file, says) in cases {
        let before = c.patient_count(&s).unwrap();
        let audit_before = c.recent_audit(&s, 10_000).unwrap().len();
        let started = std::time::Instant::now();
        let e = ApiError::from(c.restore(&s, &file).expect_err(name));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{name} took too long"
        );
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Validation, Some("file")),
            "{name}"
        );
        assert!(e.message.contains(says), "{name}: {}", e.message);
        assert!(
            !e.message.contains("SELECT") && !e.message.contains("CREATE"),
            "{name}: no SQL in {}",
            e.message
        );
        assert_eq!(
            c.patient_count(&s).unwrap(),
            before,
            "{name} changed the data"
        );
        let after = c.recent_audit(&s, 10_000).unwrap();
        let new: Vec<&str> = after[..after.len() - audit_before]
            .iter()
            .map(|e| e.action.as_str())
            .filter(|a| !a.ends_with(".read"))
            .collect();
        assert_eq!(
            new,
            ["restore.refused"],
            "{name}: the refusal is audited, nothing else"
        );
        assert!(after[0]
            .detail
            .contains(file.file_name().unwrap().to_str().unwrap()));
        // Checking the backup refuses it the same way.
        let i = ApiError::from(c.inspect_backup(&s, &file).expect_err(name));
        assert!(i.message.contains(says), "{name} (check): {}", i.message);
    }
    assert_eq!(c.verify_audit(&s).unwrap(), None);
}

fn dermis_store_photo(backup: &std::path::Path, sha: &str) -> std::path::PathBuf {
    let stem = backup.file_stem().unwrap().to_str().unwrap();
    backup
        .with_file_name(format!("{stem}-photos"))
        .join(&sha[..2])
        .join(format!("{sha}.png"))
}

/// The search box takes up to 200 characters (counted as characters, not
/// bytes): exactly 200 searches, 201 is refused on the query field.
#[test]
fn a_search_of_exactly_the_longest_length_is_run_and_one_character_more_refused() {
    use dermis_clinic::core::PatientSearch;
    let w = world();
    let longest = "é".repeat(PatientSearch::MAX_QUERY_CHARS);
    let page =
        w.c.search_patients(&w.s, &PatientSearch::new(longest.clone()))
            .unwrap();
    assert!(page.items.is_empty());
    let e = ApiError::from(
        w.c.search_patients(&w.s, &PatientSearch::new(format!("{longest}é")))
            .unwrap_err(),
    );
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some("query"))
    );
    assert!(e.message.contains("201 characters"), "{}", e.message);
}
