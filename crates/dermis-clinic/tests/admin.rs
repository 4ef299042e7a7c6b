//! The reception desk's check-in, the idle lock's unlock, Settings (letterhead,
//! logo, clinic settings), accounts, the audit viewer and backup retention.

use chrono::NaiveDate;
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids;
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::settings::{ClinicDetails, ClinicSettings, PaperSize};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, ApiError, AuditFilter, Clinic, ErrorCode, FixedClock};
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn setup(c: &Clinic) -> Actor {
    c.setup(&SetupInput {
        clinic_name: "Clinique Étoile".into(),
        clinic_address: "1 Rue A".into(),
        clinic_phone: "+33 1 23 45 67 89".into(),
        admin_username: "owner".into(),
        admin_display_name: "Owner".into(),
        password: "plum kettle harbour velvet".into(),
    })
    .unwrap()
}

fn user(c: &Clinic, admin: &Actor, name: &str, roles: &[Role]) -> Actor {
    c.create_user(admin, name, name, "a long password", roles)
        .unwrap();
    c.login(&LoginInput {
        username: name.into(),
        password: "a long password".into(),
    })
    .unwrap()
}

#[test]
fn the_desk_checks_a_patient_in_and_today_shows_it() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let desk = user(&c, &admin, "desk", &[Role::Receptionist]);
    let p = c
        .create_patient(
            &desk,
            &PatientInput {
                first_name: "Ana".into(),
                last_name: "Lee".into(),
                date_of_birth: "1990-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    c.record_screening(
        &admin,
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
            &admin,
            p,
            &AssessmentInput {
                assessed_on: "2026-11-24".into(),
                scar_types: vec![ScarType::Boxcar],
                grade: 2,
                counts: GbCounts {
                    moderate: 5,
                    ..Default::default()
                },
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
            &admin,
            &PlanRequest {
                patient_id: p,
                assessment_id: a.id,
                start: "2026-11-24".into(),
                adjust: None,
            },
        )
        .unwrap();
    let first = plan.sessions[0].id;
    assert_eq!(c.today_list(&desk).unwrap().sessions[0].checked_in_at, None);
    c.check_in(&desk, first, true).unwrap();
    let today = c.today_list(&desk).unwrap();
    assert!(today.sessions[0]
        .checked_in_at
        .as_deref()
        .unwrap()
        .starts_with("2026-11-24T"));
    c.check_in(&desk, first, false).unwrap();
    assert_eq!(c.today_list(&desk).unwrap().sessions[0].checked_in_at, None);
    assert_eq!(
        c.check_in(&desk, ids::PlannedSessionId(9999), true)
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
}

#[test]
fn unlocking_needs_the_same_users_password_and_is_rate_limited() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let desk = user(&c, &admin, "desk", &[Role::Receptionist]);
    assert_eq!(
        c.unlock(&desk, "plum kettle harbour velvet")
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    c.unlock(&desk, "a long password").unwrap();
    for _ in 0..5 {
        let _ = c.unlock(&desk, "wrong");
    }
    assert_eq!(
        c.unlock(&desk, "a long password").unwrap_err().code(),
        ErrorCode::Locked
    );
}

#[test]
fn settings_letterhead_and_logo_are_validated_and_kept() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let prac = user(&c, &admin, "prac", &[Role::Practitioner]);
    let v = c.clinic_settings(&prac).unwrap();
    assert_eq!(v.details.name, "Clinique Étoile");
    assert_eq!(v.settings, ClinicSettings::default());
    assert!(!v.has_logo);
    // Field errors, nothing saved.
    let bad = ClinicSettings {
        idle_lock_minutes: 0,
        backup_folder: "relative/dir".into(),
        ..Default::default()
    };
    let e = ApiError::from(c.update_clinic_settings(&admin, &bad).unwrap_err());
    assert_eq!(
        e.fields
            .iter()
            .map(|f| f.field.as_str())
            .collect::<Vec<_>>(),
        ["idle_lock_minutes", "backup_folder"]
    );
    let good = ClinicSettings {
        paper: PaperSize::Letter,
        idle_lock_minutes: 5,
        ..Default::default()
    };
    assert_eq!(
        c.update_clinic_settings(&admin, &good)
            .unwrap()
            .settings
            .paper,
        PaperSize::Letter
    );
    assert_eq!(c.status(None).unwrap().idle_lock_minutes, 5);
    assert_eq!(
        c.update_clinic_settings(&prac, &good).unwrap_err().code(),
        ErrorCode::Forbidden
    );
    let e = ApiError::from(
        c.update_clinic_details(
            &admin,
            &ClinicDetails {
                name: "".into(),
                address: "".into(),
                phone: "abc".into(),
                email: "".into(),
            },
        )
        .unwrap_err(),
    );
    assert_eq!(
        e.fields
            .iter()
            .map(|f| f.field.as_str())
            .collect::<Vec<_>>(),
        ["clinic_name", "phone"]
    );
    let v = c
        .update_clinic_details(
            &admin,
            &ClinicDetails {
                name: "Clinique Lumière".into(),
                address: "2 Rue B".into(),
                phone: "+33 1 00 00 00 00".into(),
                email: "desk@example.org".into(),
            },
        )
        .unwrap();
    assert_eq!(v.details.email, "desk@example.org");
    // A logo that is not an image is refused with a clear message and the old one stays.
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        20,
        10,
        image::Rgb([10, 80, 120]),
    ))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    c.set_logo(&admin, &png).unwrap();
    let e = ApiError::from(
        c.set_logo(&admin, b"<svg>not a raster logo</svg>")
            .unwrap_err(),
    );
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Validation, Some("logo"))
    );
    assert!(e.message.contains("PNG or JPEG"), "{}", e.message);
    let truncated = &png[..png.len() / 2];
    assert_eq!(
        ApiError::from(c.set_logo(&admin, truncated).unwrap_err())
            .field
            .as_deref(),
        Some("logo")
    );
    assert_eq!(c.logo(&admin).unwrap().unwrap().0, png);
    c.clear_logo(&admin).unwrap();
    assert!(c.logo(&admin).unwrap().is_none());
}

#[test]
fn accounts_are_listed_and_the_audit_viewer_filters_and_pages() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let desk = user(&c, &admin, "desk", &[Role::Receptionist]);
    user(
        &c,
        &admin,
        "solo",
        &[Role::Admin, Role::Practitioner, Role::Receptionist],
    );
    c.deactivate_user(&admin, "solo").unwrap();
    let users = c.users(&admin).unwrap();
    let names: Vec<(&str, bool)> = users
        .iter()
        .map(|u| (u.username.as_str(), u.active))
        .collect();
    assert_eq!(names, [("desk", true), ("owner", true), ("solo", false)]);
    assert_eq!(users[2].roles.len(), 3);
    assert_eq!(c.users(&desk).unwrap_err().code(), ErrorCode::Forbidden);
    let _ = c.login(&LoginInput {
        username: "desk".into(),
        password: "nope".into(),
    });
    let failed = c
        .audit_page(
            &admin,
            &AuditFilter {
                action: "login.failed".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(failed.items.len(), 1);
    assert_eq!(failed.items[0].username, "desk");
    let logins = c
        .audit_page(
            &admin,
            &AuditFilter {
                action: "login".into(),
                username: "DESK".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(logins.items.len(), 2, "login and login.failed");
    // Paging: newest first, then older than the last id.
    let p1 = c
        .audit_page(
            &admin,
            &AuditFilter {
                limit: 2,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(p1.has_more && p1.items[0].id > p1.items[1].id);
    let p2 = c
        .audit_page(
            &admin,
            &AuditFilter {
                limit: 2,
                before_id: Some(p1.items[1].id),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(p2.items[0].id < p1.items[1].id);
    assert!(c
        .audit_page(
            &admin,
            &AuditFilter {
                from: "2026-11-25".into(),
                ..Default::default()
            }
        )
        .unwrap()
        .items
        .is_empty());
    assert!(!c
        .audit_page(
            &admin,
            &AuditFilter {
                to: "2026-11-24".into(),
                ..Default::default()
            }
        )
        .unwrap()
        .items
        .is_empty());
    let e = ApiError::from(
        c.audit_page(
            &admin,
            &AuditFilter {
                from: "24/11".into(),
                ..Default::default()
            },
        )
        .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("from"));
    let csv = c.audit_csv(&admin).unwrap();
    assert!(csv.starts_with('\u{FEFF}') && csv.contains("login.failed"));
    assert_eq!(
        c.audit_page(&desk, &AuditFilter::default())
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
}

#[test]
fn the_daily_backup_keeps_as_many_as_the_setting_says_in_the_chosen_folder() {
    let dir = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let mut c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    c.set_clock(Arc::new(FixedClock::on(d("2026-11-01"))));
    let admin = setup(&c);
    c.update_clinic_settings(
        &admin,
        &ClinicSettings {
            backups_kept: 3,
            backup_folder: usb.path().display().to_string(),
            ..Default::default()
        },
    )
    .unwrap();
    for day in 1..=6 {
        c.set_clock(Arc::new(FixedClock::on(d(&format!("2026-11-{day:02}")))));
        c.daily_backup().unwrap().expect("a backup each new day");
    }
    let autos: Vec<String> = std::fs::read_dir(usb.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("dermis-auto-") && n.ends_with(".db"))
        .collect();
    assert_eq!(autos.len(), 3, "{autos:?}");
    assert!(
        !dir.path().join("backups").exists()
            || std::fs::read_dir(dir.path().join("backups"))
                .unwrap()
                .count()
                == 0
    );
}

#[test]
fn two_instances_on_one_database_report_a_conflicting_edit_and_lose_nothing() {
    use dermis_clinic::core::PatientInput;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dermis.db");
    // The app and the command line: two connections to one file, as two processes have.
    let app = Clinic::open(&path).unwrap();
    let admin = setup(&app);
    let cli = Clinic::open(&path).unwrap();
    let cli_admin = cli
        .login(&LoginInput {
            username: "owner".into(),
            password: "plum kettle harbour velvet".into(),
        })
        .unwrap();
    let input = PatientInput {
        first_name: "Ana".into(),
        last_name: "Lee".into(),
        date_of_birth: "1990-01-01".into(),
        ..Default::default()
    };
    let p = app.create_patient(&admin, &input).unwrap();
    // Both open the record at version 1; the command line saves first.
    let seen_by_app = app.patient(&admin, p.id).unwrap();
    let seen_by_cli = cli.patient(&cli_admin, p.id).unwrap();
    cli.update_patient(
        &cli_admin,
        p.id,
        seen_by_cli.version,
        &PatientInput {
            phone: "+44 20 7946 0000".into(),
            ..input.clone()
        },
    )
    .unwrap();
    let e = app
        .update_patient(
            &admin,
            p.id,
            seen_by_app.version,
            &PatientInput {
                email: "ana@example.org".into(),
                ..input.clone()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
    let now = app.patient(&admin, p.id).unwrap();
    assert_eq!(
        now.phone, "+44 20 7946 0000",
        "the first save is kept, not overwritten"
    );
    // Both write at once for a while: every write lands, the file stays whole.
    let app = Arc::new(app);
    let cli = Arc::new(cli);
    let writers: Vec<_> = [
        (app.clone(), admin.clone()),
        (cli.clone(), cli_admin.clone()),
    ]
    .into_iter()
    .enumerate()
    .map(|(k, (c, s))| {
        let input = input.clone();
        std::thread::spawn(move || {
            (0..60)
                .map(|i| {
                    c.create_patient(
                        &s,
                        &PatientInput {
                            first_name: format!("W{k}n{i}"),
                            ..input.clone()
                        },
                    )
                    .map(|p| p.id.0)
                })
                .collect::<Result<Vec<i64>, _>>()
        })
    })
    .collect();
    let mut ids: Vec<i64> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 120);
    assert_eq!(app.patient_count(&admin).unwrap(), 121);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    assert_eq!(
        app.verify_audit(&admin).unwrap(),
        None,
        "one unbroken audit chain from both writers"
    );
}

#[test]
fn a_new_patient_and_their_first_consultation_are_booked_together_or_not_at_all() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let desk = user(&c, &admin, "desk", &[Role::Receptionist]);
    let person = PatientInput {
        first_name: "Léa".into(),
        last_name: "Roux".into(),
        date_of_birth: "1995-05-05".into(),
        phone: "+33 6 12 34 56 78".into(),
        ..Default::default()
    };
    // Every invalid field at once; nothing written.
    let e = ApiError::from(
        c.register_with_consultation(
            &desk,
            &PatientInput {
                first_name: " ".into(),
                ..person.clone()
            },
            "2026-11-28",
            "25:00",
        )
        .unwrap_err(),
    );
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["first_name", "consultation_date", "consultation_time"],
        "{e:?}"
    );
    assert!(
        e.fields[1].message.contains("closed") && e.fields[1].message.contains("Mon 2026-11-30"),
        "{}",
        e.fields[1].message
    );
    assert_eq!(c.patient_count(&desk).unwrap(), 0);
    let p = c
        .register_with_consultation(&desk, &person, "2026-11-24", "15:30")
        .unwrap();
    let today = c.today_list(&desk).unwrap();
    assert_eq!(today.consultations.len(), 1);
    let k = &today.consultations[0];
    assert_eq!(
        (k.patient_id, k.time.as_deref(), k.phone.as_str()),
        (p.id, Some("15:30"), "+33 6 12 34 56 78")
    );
    c.check_in_consultation(&desk, k.appointment_id, true)
        .unwrap();
    assert!(c.today_list(&desk).unwrap().consultations[0]
        .checked_in_at
        .is_some());
    let second = c.book_consultation(&desk, p.id, "2026-11-24", "").unwrap();
    c.cancel_consultation(&desk, ids::AppointmentId(second))
        .unwrap();
    assert_eq!(c.today_list(&desk).unwrap().consultations.len(), 1);
    assert_eq!(
        c.cancel_consultation(&desk, ids::AppointmentId(second))
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
    assert_eq!(
        ApiError::from(
            c.book_consultation(&desk, p.id, "2026-11-23", "")
                .unwrap_err()
        )
        .field
        .as_deref(),
        Some("consultation_date")
    );
}

#[test]
fn the_audit_log_names_a_patient_by_number_and_an_erased_one_by_id_only() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let kept = c
        .create_patient(
            &admin,
            &PatientInput {
                first_name: "Ines".into(),
                last_name: "Costa".into(),
                date_of_birth: "1990-01-01".into(),
                phone: "+351 912 345 678".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let gone = c
        .create_patient(
            &admin,
            &PatientInput {
                first_name: "Olaf".into(),
                last_name: "Berg".into(),
                date_of_birth: "1980-02-02".into(),
                phone: "+47 912 34 567".into(),
                ..Default::default()
            },
        )
        .unwrap();
    c.erase_patient(&admin, gone.id).unwrap();
    let page = c
        .audit_page(
            &admin,
            &AuditFilter {
                action: "patient.create".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let by_id = |id: String| page.items.iter().find(|i| i.entity_id == id).unwrap();
    assert_eq!(
        by_id(kept.id.to_string()).patient_number.as_deref(),
        Some(kept.patient_number.as_str())
    );
    assert_eq!(by_id(gone.id.to_string()).patient_number, None);
    assert!(page.items.iter().all(|i| i.entity == "patient"));
}

/// A PNG of noise (it does not compress), padded after its end to `len`
/// bytes when asked (readers stop at the image's end).
fn noisy_png(side: u32, len: Option<usize>) -> Vec<u8> {
    let mut seed: u32 = 11;
    let img = image::RgbImage::from_fn(side, side, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let b = seed.to_be_bytes();
        image::Rgb([b[0], b[1], b[2]])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    if let Some(n) = len {
        assert!(png.len() <= n);
        png.resize(n, 0);
    }
    png
}

#[test]
fn a_logo_up_to_2_mb_is_kept_from_bytes_or_a_file_and_one_byte_more_is_refused() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let dir = tempfile::tempdir().unwrap();
    let limit = dermis_clinic::LOGO_MAX_BYTES;
    assert_eq!(limit, 2 * 1024 * 1024);
    // A scanned letterhead of over half a megabyte.
    let big = noisy_png(450, None);
    assert!(big.len() > 512 * 1024, "{}", big.len());
    c.set_logo(&admin, &big).unwrap();
    assert_eq!(c.logo(&admin).unwrap().unwrap().0, big);
    // Exactly 2 MB, from a file chosen in the dialog: kept.
    let at_limit = noisy_png(450, Some(limit));
    let file = dir.path().join("logo.png");
    std::fs::write(&file, &at_limit).unwrap();
    c.set_logo_file(&admin, &file).unwrap();
    assert_eq!(c.logo(&admin).unwrap().unwrap().0, at_limit);
    // One byte more: refused by size, from the file or as bytes; the logo stays.
    let over = noisy_png(450, Some(limit + 1));
    std::fs::write(&file, &over).unwrap();
    for e in [
        c.set_logo_file(&admin, &file).unwrap_err(),
        c.set_logo(&admin, &over).unwrap_err(),
    ] {
        let e = ApiError::from(e);
        assert_eq!(e.field.as_deref(), Some("logo"));
        assert!(e.message.contains("the limit is 2048 KB"), "{}", e.message);
    }
    assert_eq!(c.logo(&admin).unwrap().unwrap().0, at_limit);
}

#[test]
fn the_audit_export_says_how_many_entries_it_wrote() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    user(&c, &admin, "prac", &[Role::Practitioner]);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("audit.csv");
    let entries = c.audit_log(&admin).unwrap().len();
    assert!(entries > 1, "{entries}");
    // Reading the log is itself audited: one entry more by the export.
    let written = c.export_audit(&admin, &dest).unwrap();
    assert_eq!(written, entries + 1);
    // The file holds the header and that many entries.
    let text = std::fs::read_to_string(&dest).unwrap();
    assert_eq!(text.lines().count(), written + 1, "{text}");
}

#[test]
fn a_small_logo_file_chosen_in_the_dialog_is_kept_and_a_missing_one_is_named() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let dir = tempfile::tempdir().unwrap();
    // A logo of a few hundred bytes (the test above covers the 2 MB limit).
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        30,
        12,
        image::Rgb([200, 40, 90]),
    ))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    assert!(png.len() < 1024, "{}", png.len());
    let file = dir.path().join("logo.png");
    std::fs::write(&file, &png).unwrap();
    c.set_logo_file(&admin, &file).unwrap();
    assert_eq!(c.logo(&admin).unwrap().unwrap().0, png);
    // A file that is not there: a sentence naming it, the logo kept.
    let e = ApiError::from(
        c.set_logo_file(&admin, &dir.path().join("gone.png"))
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("logo"));
    assert!(e.message.contains("gone.png"), "{}", e.message);
    assert_eq!(c.logo(&admin).unwrap().unwrap().0, png);
}

#[test]
fn a_backup_to_a_usb_folder_is_named_by_the_time_and_a_path_that_is_no_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    c.set_clock(Arc::new(FixedClock::on(d("2026-11-24"))));
    let admin = setup(&c);
    let usb = tempfile::tempdir().unwrap();
    let made = c.backup_to_folder(&admin, usb.path()).unwrap();
    let expected = usb.path().join("dermis-20261124-120000.db");
    assert_eq!(made.path, expected.display().to_string());
    assert!(expected.is_file());
    // A folder that is not there, or a file: refused by field, nothing written.
    let file = usb.path().join("notes.txt");
    std::fs::write(&file, b"x").unwrap();
    for bad in [usb.path().join("gone"), file] {
        let e = ApiError::from(c.backup_to_folder(&admin, &bad).unwrap_err());
        assert_eq!(e.field.as_deref(), Some("folder"), "{e:?}");
        assert!(e.message.contains("not a folder"), "{}", e.message);
    }
    assert!(!usb.path().join("gone").exists());
}

#[test]
fn the_app_locking_itself_is_in_the_audit_log_under_the_person_signed_in() {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = setup(&c);
    let desk = user(&c, &admin, "desk", &[Role::Receptionist]);
    c.record_lock(&desk).unwrap();
    let log = c.recent_audit(&admin, 5).unwrap();
    let lock = log
        .iter()
        .find(|e| e.action == "app.lock")
        .expect("an app.lock entry");
    assert_eq!(lock.username, "desk");
}
