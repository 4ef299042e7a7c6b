//! The use-cases end to end on a temporary database: first run, login,
//! patients, and the audit entries they leave.

use chrono::NaiveDate;
use dermis_clinic::core::ids;
use dermis_clinic::core::{LoginInput, PatientInput, PatientSearch, Role, SetupInput};
use dermis_clinic::{Actor, ApiError, Clinic, ClinicError, ErrorCode, FixedClock};
use std::sync::Arc;

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::on(
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    ))
}

fn setup_input() -> SetupInput {
    SetupInput {
        clinic_name: "Clinique Étoile".into(),
        clinic_address: "1 Rue de la Paix\nParis".into(),
        clinic_phone: "+33 1 23 45 67 89".into(),
        admin_username: "boss".into(),
        admin_display_name: "Dr Anne Boss".into(),
        password: "correct horse battery".into(),
    }
}

fn open(dir: &tempfile::TempDir) -> Clinic {
    let mut c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    c.set_clock(clock());
    c
}

fn ready() -> (tempfile::TempDir, Clinic, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let c = open(&dir);
    let s = c.setup(&setup_input()).unwrap();
    (dir, c, s)
}

fn jose() -> PatientInput {
    PatientInput {
        first_name: "José".into(),
        last_name: "Núñez".into(),
        date_of_birth: "1990-05-17".into(),
        phone: "+34 612 345 678".into(),
        preferred_language: "es".into(),
        ..Default::default()
    }
}

fn actions(c: &Clinic, s: &Actor) -> Vec<String> {
    c.recent_audit(s, 100)
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.action)
        .collect()
}

#[test]
fn first_run_creates_the_clinic_and_an_admin_practitioner() {
    let dir = tempfile::tempdir().unwrap();
    let c = open(&dir);
    assert!(c.status(None).unwrap().needs_setup);
    let s = c.setup(&setup_input()).unwrap();
    assert_eq!(s.roles, vec![Role::Admin, Role::Practitioner]);
    let st = c.status(Some(&s)).unwrap();
    assert!(!st.needs_setup);
    assert_eq!(st.clinic_name.as_deref(), Some("Clinique Étoile"));
    assert!(st.db_path.ends_with("dermis.db"));
    // A second first run is refused, and the first clinic is kept.
    let again = c.setup(&SetupInput {
        clinic_name: "Other".into(),
        ..setup_input()
    });
    assert!(matches!(again, Err(ClinicError::Conflict(_))));
    assert_eq!(
        c.status(None).unwrap().clinic_name.as_deref(),
        Some("Clinique Étoile")
    );
}

#[test]
fn passwords_are_stored_as_argon2id_hashes() {
    let (dir, c, _) = ready();
    drop(c);
    let conn = rusqlite_open(&dir);
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE username = 'boss'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("correct horse battery"));
}

/// A raw connection for checks no user could make (reading hashes, tampering).
fn rusqlite_open(dir: &tempfile::TempDir) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.path().join("dermis.db")).unwrap()
}

#[test]
fn a_wrong_password_or_unknown_user_is_refused_the_same_way_and_audited() {
    let (_dir, c, s) = ready();
    let wrong = c
        .login(&LoginInput {
            username: "boss".into(),
            password: "correct horse batterY".into(),
        })
        .unwrap_err();
    let unknown = c
        .login(&LoginInput {
            username: "nobody".into(),
            password: "correct horse battery".into(),
        })
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::Forbidden);
    assert_eq!(
        wrong.to_string(),
        unknown.to_string(),
        "must not reveal which part was wrong"
    );
    let ok = c
        .login(&LoginInput {
            username: " BOSS ".into(),
            password: "correct horse battery".into(),
        })
        .unwrap();
    assert_eq!(ok.username, "boss");
    assert_eq!(
        actions(&c, &s),
        ["clinic.setup", "login.failed", "login.failed", "login"]
    );
    let empty = c.login(&LoginInput {
        username: "boss".into(),
        password: "".into(),
    });
    let api = ApiError::from(empty.unwrap_err());
    assert_eq!(api.field.as_deref(), Some("password"));
}

#[test]
fn creating_a_patient_validates_and_writes_nothing_on_error() {
    let (_dir, c, s) = ready();
    let bad = c
        .create_patient(
            &s,
            &PatientInput {
                first_name: "   ".into(),
                phone: "12ab34".into(),
                ..jose()
            },
        )
        .unwrap_err();
    let api = ApiError::from(bad);
    assert_eq!(api.code, ErrorCode::Validation);
    assert_eq!(api.field.as_deref(), Some("first_name"));
    let fields: Vec<_> = api.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["first_name", "phone"]);
    assert_eq!(c.patient_count(&s).unwrap(), 0);
    assert_eq!(
        actions(&c, &s),
        ["clinic.setup"],
        "no audit entry for a refused form"
    );

    let p = c.create_patient(&s, &jose()).unwrap();
    assert_eq!(p.patient_number, "P-000001");
    assert_eq!(p.first_name, "José");
    assert_eq!(p.created_at, "2026-11-24T12:00:00Z");
    assert_eq!(c.patient_count(&s).unwrap(), 1);
}

#[test]
fn a_future_date_of_birth_is_judged_by_the_clinic_clock() {
    let (_dir, c, s) = ready();
    let tomorrow = c.create_patient(
        &s,
        &PatientInput {
            date_of_birth: "2026-11-25".into(),
            ..jose()
        },
    );
    assert_eq!(
        ApiError::from(tomorrow.unwrap_err()).field.as_deref(),
        Some("date_of_birth")
    );
    assert!(c
        .create_patient(
            &s,
            &PatientInput {
                date_of_birth: "2026-11-24".into(),
                ..jose()
            }
        )
        .is_ok());
}

#[test]
fn editing_reports_a_concurrent_change_instead_of_losing_it() {
    let (_dir, c, s) = ready();
    let p = c.create_patient(&s, &jose()).unwrap();
    // Two windows load version 1; the first saves.
    let first = c
        .update_patient(
            &s,
            p.id,
            p.version,
            &PatientInput {
                phone: "+34 600 000 001".into(),
                ..jose()
            },
        )
        .unwrap();
    assert_eq!(first.version, p.version + 1);
    let second = c.update_patient(
        &s,
        p.id,
        p.version,
        &PatientInput {
            email: "jose@example.com".into(),
            ..jose()
        },
    );
    assert_eq!(second.unwrap_err().code(), ErrorCode::Conflict);
    let now = c.patient(&s, p.id).unwrap();
    assert_eq!(now.phone, "+34 600 000 001", "the first save is kept");
    assert_eq!(now.email, "");
    let missing = c.update_patient(&s, ids::PatientId(999), 1, &jose());
    assert_eq!(missing.unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn archiving_hides_and_restoring_shows_and_nothing_is_deleted() {
    let (_dir, c, s) = ready();
    let p = c.create_patient(&s, &jose()).unwrap();
    let a = c.set_patient_archived(&s, p.id, true).unwrap();
    assert!(a.archived);
    let hidden = c.search_patients(&s, &PatientSearch::new("jose")).unwrap();
    assert!(hidden.items.is_empty());
    let shown = c
        .search_patients(
            &s,
            &PatientSearch {
                include_archived: true,
                ..PatientSearch::new("jose")
            },
        )
        .unwrap();
    assert_eq!(shown.items.len(), 1);
    assert_eq!(c.patient_count(&s).unwrap(), 1);
    c.set_patient_archived(&s, p.id, false).unwrap();
    assert_eq!(
        c.search_patients(&s, &PatientSearch::new("jose"))
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(
        actions(&c, &s),
        [
            "clinic.setup",
            "patient.create",
            "patient.archive",
            "patient.restore"
        ]
    );
}

#[test]
fn searching_checks_its_limits() {
    let (_dir, c, s) = ready();
    for limit in [0, 201] {
        let e = c
            .search_patients(
                &s,
                &PatientSearch {
                    limit,
                    ..PatientSearch::new("a")
                },
            )
            .unwrap_err();
        assert_eq!(ApiError::from(e).field.as_deref(), Some("limit"));
    }
    // The limits themselves are allowed.
    for limit in [1, PatientSearch::MAX_LIMIT] {
        c.search_patients(
            &s,
            &PatientSearch {
                limit,
                ..PatientSearch::new("a")
            },
        )
        .unwrap();
    }
    let long = c.search_patients(&s, &PatientSearch::new("x".repeat(300)));
    assert_eq!(
        ApiError::from(long.unwrap_err()).field.as_deref(),
        Some("query")
    );
}

#[test]
fn every_read_and_change_is_audited_in_a_verifiable_chain() {
    let (dir, c, s) = ready();
    let p = c.create_patient(&s, &jose()).unwrap();
    c.patient(&s, p.id).unwrap();
    c.update_patient(
        &s,
        p.id,
        p.version,
        &PatientInput {
            notes: "Prefers mornings.".into(),
            ..jose()
        },
    )
    .unwrap();
    let entries = c.recent_audit(&s, 10).unwrap();
    assert_eq!(entries[0].action, "patient.update");
    assert_eq!(
        entries[0].detail, r#"{"changed":["notes"]}"#,
        "names the fields, never their content"
    );
    assert_eq!(entries[1].action, "patient.view");
    assert_eq!(c.verify_audit_chain().unwrap(), None);
    drop(c);

    // Tampering with an entry (even with the guard triggers removed) is detected.
    let conn = rusqlite_open(&dir);
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'someone else' WHERE id = 2;",
    )
    .unwrap();
    let c = open(&dir);
    assert_eq!(c.verify_audit_chain().unwrap(), Some(2));
}

#[test]
fn the_audit_log_refuses_edits_and_deletes() {
    let (dir, c, _s) = ready();
    drop(c);
    let conn = rusqlite_open(&dir);
    assert!(conn
        .execute_batch("UPDATE audit_log SET action = 'x'")
        .is_err());
    assert!(conn.execute_batch("DELETE FROM audit_log").is_err());
}

#[test]
fn demo_data_is_admin_only_and_bulk() {
    let (_dir, c, s) = ready();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let n = c
        .create_patients_bulk(&s, &dermis_clinic::demo::demo_patients(300, 3, today))
        .unwrap();
    assert_eq!(n, 300);
    assert_eq!(c.patient_count(&s).unwrap(), 300);
}

#[test]
fn five_wrong_passwords_lock_the_name_for_fifteen_minutes() {
    let (dir, c, _) = ready();
    let wrong = LoginInput {
        username: "boss".into(),
        password: "not the password".into(),
    };
    let right = LoginInput {
        username: "Boss".into(),
        password: "correct horse battery".into(),
    };
    for _ in 0..5 {
        assert_eq!(c.login(&wrong).unwrap_err().code(), ErrorCode::Forbidden);
    }
    // Even the right password waits out the lock.
    let locked = c.login(&right).unwrap_err();
    assert_eq!(locked.code(), ErrorCode::Locked);
    assert!(locked.to_string().contains("15 minutes"), "{locked}");
    drop(c);
    let mut later = open(&dir);
    later.set_clock(Arc::new(FixedClock {
        now: chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(12, 16, 0)
            .unwrap()
            .and_utc(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    }));
    assert!(
        later.login(&right).is_ok(),
        "the lock ends after the window"
    );
}

#[test]
fn the_daily_backup_runs_once_a_day_keeps_fourteen_and_feeds_the_warning() {
    let (dir, mut c, s) = ready();
    let status = c.backup_status(&s).unwrap();
    assert!(status.warning, "no backup yet");
    assert_eq!(status.last_good_at, None);
    let first = c
        .daily_backup()
        .unwrap()
        .expect("the first backup of the day");
    assert!(first.path.contains("dermis-auto-20261124-"));
    assert!(c.daily_backup().unwrap().is_none(), "once a day");
    let status = c.backup_status(&s).unwrap();
    assert!(!status.warning);
    assert_eq!(status.days_since, Some(0));
    // Twenty days later: a new backup each day, and only fourteen are kept.
    for day in 1..=20 {
        let date =
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap() + chrono::Duration::days(day);
        c.set_clock(Arc::new(FixedClock::on(date)));
        assert!(c.daily_backup().unwrap().is_some());
    }
    // The backups (the folder also holds the clinic's audit key, one file for all).
    let autos = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".db"))
        })
        .count();
    assert_eq!(autos, dermis_clinic::AUTO_BACKUPS_KEPT);
    // A week after the last one, Today warns.
    c.set_clock(Arc::new(FixedClock::on(
        chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
    )));
    let status = c.backup_status(&s).unwrap();
    assert_eq!(status.days_since, Some(7));
    assert!(status.warning);
}

#[test]
fn a_killed_backups_leftover_does_not_count_as_the_days_backup() {
    let (dir, c, _s) = ready();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    // What a backup killed half-way leaves, old style and new.
    std::fs::write(backups.join("dermis-auto-20261124-010000.partial"), b"half").unwrap();
    std::fs::write(
        backups.join("dermis-auto-20261124-020000.db.dermis-tmp-7-0-1.partial"),
        b"half",
    )
    .unwrap();
    let made = c.daily_backup().unwrap();
    assert!(
        made.is_some(),
        "only a verified .db counts as today's backup"
    );
    assert!(
        c.daily_backup().unwrap().is_none(),
        "and once it is there, once a day"
    );
}

#[test]
fn a_backup_never_touches_a_users_file_of_the_same_name() {
    let (dir, c, s) = ready();
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    std::fs::write(usb.join("clinic.partial"), b"the user's own notes").unwrap();
    c.backup(&s, &usb.join("clinic.db")).unwrap();
    assert_eq!(
        std::fs::read(usb.join("clinic.partial")).unwrap(),
        b"the user's own notes"
    );
}

#[cfg(unix)]
#[test]
fn prints_go_to_a_private_folder_and_are_removed_after_a_day() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let prints = dir.path().join("cache/prints");
    let old = dermis_clinic::write_print(&prints, "old.pdf", b"%PDF-old").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(25 * 3600))
        .unwrap();
    let new = dermis_clinic::write_print(&prints, "../escape.pdf", b"%PDF-new").unwrap();
    assert!(new.starts_with(&prints), "{}", new.display());
    assert_eq!(new.file_name().unwrap(), "_escape.pdf");
    // Everything but a separator is kept: the name says whose print it is.
    let named =
        dermis_clinic::write_print(&prints, "aftercare-Zoë Park-2026-11-24.pdf", b"%PDF-named")
            .unwrap();
    assert_eq!(named, prints.join("aftercare-Zoë Park-2026-11-24.pdf"));
    assert!(!old.exists(), "a print older than a day is removed");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&prints), 0o700);
    assert_eq!(mode(&new), 0o600);
}

#[test]
fn possible_duplicates_match_the_folded_name_and_birth_date_or_the_phone() {
    let (_dir, c, admin) = ready();
    let zoe = c
        .create_patient(
            &admin,
            &PatientInput {
                first_name: "Zoë".into(),
                last_name: "Testová".into(),
                date_of_birth: "1991-02-28".into(),
                phone: "+44 7700 900123".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let ask = |first: &str, last: &str, dob: &str, phone: &str, except: Option<i64>| {
        c.possible_duplicates(
            &admin,
            &PatientInput {
                first_name: first.into(),
                last_name: last.into(),
                date_of_birth: dob.into(),
                phone: phone.into(),
                ..Default::default()
            },
            except.map(ids::PatientId),
        )
        .unwrap()
        .into_iter()
        .map(|s| s.patient_number)
        .collect::<Vec<_>>()
    };
    let p1 = vec![zoe.patient_number.clone()];
    assert_eq!(
        ask("Zoe", "Testova", "1991-02-28", "", None),
        p1,
        "accents and case aside"
    );
    assert_eq!(
        ask("TESTOVA", "zoe", "1991-02-28", "", None),
        p1,
        "names swapped"
    );
    assert!(
        ask("Zoe", "Testova", "1991-02-27", "", None).is_empty(),
        "another birth date"
    );
    assert!(
        ask("Zoe", "Testovani", "1991-02-28", "", None).is_empty(),
        "a longer surname is another person"
    );
    assert_eq!(
        ask("Sam", "Other", "1980-01-01", "+44 (7700) 900-123", None),
        p1,
        "the same phone"
    );
    assert!(
        ask("Sam", "Other", "1980-01-01", "7700", None).is_empty(),
        "a few digits are not a phone"
    );
    assert!(
        ask("Zoe", "Testova", "1991-02-28", "", Some(zoe.id.0)).is_empty(),
        "the record being edited"
    );
    c.set_patient_archived(&admin, zoe.id, true).unwrap();
    assert_eq!(
        ask("Zoe", "Testova", "1991-02-28", "", None),
        p1,
        "archived records count"
    );
    // A clinic larger than one search page: the name and the phone are
    // searched for, not looked for among the first patients of the alphabet.
    let many: Vec<PatientInput> = (0..250)
        .map(|i| PatientInput {
            first_name: format!("Anna{i}"),
            last_name: "Aalto".into(),
            date_of_birth: "1980-01-01".into(),
            ..Default::default()
        })
        .collect();
    c.create_patients_bulk(&admin, &many).unwrap();
    assert_eq!(
        ask("Zoe", "Testova", "1991-02-28", "", None),
        p1,
        "past the first page"
    );
    assert_eq!(
        ask("Sam", "Other", "1980-01-01", "+44 (7700) 900-123", None),
        p1,
        "the same phone, past the first page"
    );
}

#[test]
fn without_a_db_option_the_clinic_lives_in_the_app_data_folder() {
    // The CLI and the app open this file when no --db / DERMIS_DB is given.
    let p = dermis_clinic::default_db_path().expect("an app-data folder");
    assert!(
        p.ends_with(std::path::Path::new(dermis_clinic::APP_IDENTIFIER).join("dermis.db")),
        "{}",
        p.display()
    );
}

#[test]
fn each_audit_entry_names_what_it_is_about() {
    let (_dir, c, s) = ready();
    c.create_user(
        &s,
        "desk",
        "Sam Desk",
        "reception password",
        &[Role::Receptionist],
    )
    .unwrap();
    let desk = c
        .login(&LoginInput {
            username: "desk".into(),
            password: "reception password".into(),
        })
        .unwrap();
    c.deactivate_user(&s, "desk").unwrap();
    let mut settings = c.clinic_settings(&s).unwrap().settings;
    settings.idle_lock_minutes = 7;
    c.update_clinic_settings(&s, &settings).unwrap();
    let entries = c.recent_audit(&s, 20).unwrap();
    let find = |action: &str| {
        entries
            .iter()
            .find(|e| e.action == action)
            .unwrap_or_else(|| panic!("{action} in {entries:?}"))
    };
    // A change to an account names the account; a setting, the clinic.
    let off = find("user.deactivate");
    assert_eq!(
        (off.entity.as_str(), off.entity_id.as_str()),
        ("user", desk.user_id.to_string().as_str())
    );
    let set = find("settings.clinic");
    assert_eq!(
        (set.entity.as_str(), set.entity_id.as_str()),
        ("clinic", "1")
    );
}
