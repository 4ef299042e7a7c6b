//! The red-team cases of issue 14, one test each, named after what broke:
//! the audit log cut, wiped or re-chained by someone holding the database
//! file; sign-in storing what was typed; weak and look-alike accounts; the
//! lock and deactivation living only in the UI; no erasure; invisible
//! characters in names; clinical dates before birth; clinical reads and
//! free text in the audit log.

use chrono::{DateTime, NaiveDate, Utc};
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::plan::{PlanRequest, PlanStatus};
use dermis_clinic::core::screening::{ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::{LoginInput, PatientInput, PatientSearch, Role, SetupInput};
use dermis_clinic::{Actor, Clinic, ClinicError, Clock, ErrorCode, Seat};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const OWNER_PASSWORD: &str = "plum kettle harbour velvet";
const STAFF_PASSWORD: &str = "quiet otter marble lantern";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A clock the test moves forward.
struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    fn new() -> Arc<TestClock> {
        Arc::new(TestClock(Mutex::new(
            today().and_hms_opt(9, 0, 0).unwrap().and_utc(),
        )))
    }
    fn advance_minutes(&self, m: i64) {
        *self.0.lock().unwrap() += chrono::Duration::minutes(m);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

fn setup(c: &Clinic) -> Actor {
    c.setup(&SetupInput {
        clinic_name: "C".into(),
        clinic_address: "".into(),
        clinic_phone: "".into(),
        admin_username: "owner".into(),
        admin_display_name: "Owner".into(),
        password: OWNER_PASSWORD.into(),
    })
    .unwrap()
}

fn staff(c: &Clinic, admin: &Actor, name: &str, role: Role) -> Actor {
    c.create_user(admin, name, name, STAFF_PASSWORD, &[role])
        .unwrap();
    c.login(&LoginInput {
        username: name.into(),
        password: STAFF_PASSWORD.into(),
    })
    .unwrap()
}

fn person(first: &str, last: &str) -> PatientInput {
    PatientInput {
        first_name: first.into(),
        last_name: last.into(),
        date_of_birth: "1985-06-01".into(),
        phone: "+44 20 7946 0000".into(),
        ..Default::default()
    }
}

/// A clinic on disk (so its audit key and anchor are files) with some history.
fn on_disk() -> (tempfile::TempDir, PathBuf, Clinic, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let c = Clinic::open(&db).unwrap();
    let admin = setup(&c);
    for name in ["Ann", "Bo", "Cy", "Di"] {
        c.create_patient(&admin, &person(name, "Lee")).unwrap();
    }
    (dir, db, c, admin)
}

/// Runs SQL on the database file as an attacker would: triggers dropped first.
fn tamper(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; {sql}"
    ))
    .unwrap();
}

fn count(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

fn reopen(db: &Path) -> (Clinic, Actor) {
    let c = Clinic::open(db).unwrap();
    let admin = c
        .login(&LoginInput {
            username: "owner".into(),
            password: OWNER_PASSWORD.into(),
        })
        .unwrap();
    (c, admin)
}

#[test]
fn deleting_the_newest_audit_entries_is_detected() {
    let (_dir, db, c, admin) = on_disk();
    assert!(c.audit_verdict().unwrap().intact);
    let before = count(&db);
    drop((c, admin));
    tamper(
        &db,
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 3);",
    );
    let (c, admin) = reopen(&db);
    let v = c.audit_verdict().unwrap();
    assert!(!v.intact, "{v:?}");
    assert!(
        v.problem.as_deref().unwrap().contains("3 were removed"),
        "{v:?}"
    );
    // The start-up check wrote down what it saw.
    let log = c.recent_audit(&admin, 1000).unwrap();
    let found = log
        .iter()
        .find(|e| e.action == "audit.break_detected")
        .expect("a break entry");
    assert!(
        found
            .detail
            .contains(&format!("\"anchored_entries\":{before}")),
        "{}",
        found.detail
    );
    assert!(c.verify_audit(&admin).unwrap().is_some());
}

#[test]
fn wiping_the_whole_audit_log_is_detected() {
    let (_dir, db, c, _admin) = on_disk();
    drop(c);
    tamper(&db, "DELETE FROM audit_log;");
    let (c, _admin) = reopen(&db);
    let v = c.audit_verdict().unwrap();
    assert!(!v.intact);
    assert_eq!(v.breaks.len(), 1, "{v:?}");
}

/// The pre-0004 formula: SHA-256 over length-prefixed fields and the previous hash.
fn unkeyed(prev: &str, fields: &[String]) -> String {
    let mut h = Sha256::new();
    h.update((prev.len() as u64).to_le_bytes());
    h.update(prev.as_bytes());
    for f in fields {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Rewrites every entry (one detail changed) and recomputes the chain with the
/// old unkeyed formula, as anyone with the file could before the key existed.
fn rechain_unkeyed(db: &Path, mark_keyed: bool) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;",
    )
    .unwrap();
    let rows: Vec<(i64, Vec<String>)> = conn
        .prepare("SELECT id, at, coalesce(user_id, ''), username, action, entity, entity_id, detail FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            let mut f = Vec::new();
            for i in 1..8 {
                f.push(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    v => v.as_str()?.to_string(),
                });
            }
            Ok((r.get(0)?, f))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = "0".repeat(64);
    for (i, (id, mut f)) in rows.into_iter().enumerate() {
        if i == 1 {
            f[3] = "patient.archive".into(); // the history now says something else
        }
        let h = unkeyed(&prev, &f);
        conn.execute(
            "UPDATE audit_log SET action = ?2, prev_hash = ?3, hash = ?4, chain = ?5 WHERE id = ?1",
            rusqlite::params![id, f[3], prev, h, if mark_keyed { 2 } else { 1 }],
        )
        .unwrap();
        prev = h;
    }
}

#[test]
fn rewriting_and_rechaining_with_the_old_unkeyed_formula_is_detected() {
    // Labelled as the old kind of entry: each hash checks out by the old
    // formula, but the log no longer reaches the anchor kept outside.
    let (_dir, db, c, admin) = on_disk();
    assert_eq!(c.verify_audit(&admin).unwrap(), None);
    drop((c, admin));
    rechain_unkeyed(&db, false);
    let (c, _admin) = reopen(&db);
    let v = c.audit_verdict().unwrap();
    assert!(!v.intact, "{v:?}");
    assert_eq!(v.first_bad, None, "every unkeyed hash is self-consistent");
    assert_eq!(v.breaks.len(), 1, "{v:?}");
    // As many entries as were written: the break recorded at start-up says
    // the log was replaced, not that none were removed.
    let problem = v.problem.as_deref().unwrap();
    assert!(problem.contains("replaced or rewritten"), "{v:?}");
    assert!(!problem.contains("were removed"), "{v:?}");

    // Labelled as keyed: the first entry's MAC is wrong without the key.
    let (_dir, db, c, admin) = on_disk();
    drop((c, admin));
    rechain_unkeyed(&db, true);
    let (c, _admin) = reopen(&db);
    let v = c.audit_verdict().unwrap();
    assert_eq!(v.first_bad, Some(1), "{v:?}");
}

#[test]
fn even_without_the_anchor_file_a_rechained_log_is_caught() {
    let (_dir, db, c, admin) = on_disk();
    drop((c, admin));
    rechain_unkeyed(&db, false);
    std::fs::remove_file(dermis_clinic::audit_key::anchor_path(&db)).unwrap();
    let (c, _admin) = reopen(&db);
    let v = c.audit_verdict().unwrap();
    assert!(
        !v.intact,
        "the key was there, so a missing anchor is itself a break: {v:?}"
    );
}

#[test]
fn an_untouched_log_stays_intact_across_restarts_and_the_checkpoint_names_its_head() {
    let (_dir, db, c, admin) = on_disk();
    let cp = c.audit_checkpoint(&admin).unwrap();
    assert!(cp.intact, "{cp:?}");
    assert_eq!(cp.head.len(), 64);
    assert_eq!(cp.entries, count(&db));
    drop((c, admin));
    let (c, _admin) = reopen(&db);
    let v = c.audit_verdict().unwrap();
    assert!(v.intact, "{v:?}");
    assert!(v.entries > cp.entries);
}

#[test]
fn restore_refuses_a_backup_whose_audit_chain_was_altered() {
    let (dir, db, c, admin) = on_disk();
    let backup = dir.path().join("b").join("copy.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    c.backup(&admin, &backup).unwrap();
    // The genuine backup restores.
    c.restore(&admin, &backup).unwrap();
    assert!(c.audit_verdict().unwrap().intact);
    // An altered one is refused, and nothing changes (its append-only
    // triggers put back as they were, so only the chain can tell).
    let triggers: Vec<String> = {
        let conn = rusqlite::Connection::open(&backup).unwrap();
        let mut st = conn
            .prepare(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit_log'",
            )
            .unwrap();
        let v = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        v
    };
    assert!(!triggers.is_empty());
    tamper(
        &backup,
        &format!(
            "UPDATE audit_log SET detail = '{{}}' WHERE id = 2; {};",
            triggers.join("; ")
        ),
    );
    let patients = c.patient_count(&admin).unwrap();
    let e = c.restore(&admin, &backup).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation, "{e}");
    assert!(
        e.to_string().contains("its audit log has been altered"),
        "{e}"
    );
    assert_eq!(c.patient_count(&admin).unwrap(), patients);
    let _ = db;
}

#[test]
fn a_backup_restored_on_a_new_pc_brings_its_key_and_stays_verifiable() {
    let (dir, _db, c, admin) = on_disk();
    let backup = dir.path().join("usb").join("copy.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    c.backup(&admin, &backup).unwrap();
    assert!(backup.with_file_name("dermis.audit-key").exists());
    // A new PC: a fresh clinic with a key of its own.
    let other = tempfile::tempdir().unwrap();
    let fresh = Clinic::open(&other.path().join("dermis.db")).unwrap();
    let new_admin = fresh
        .setup(&SetupInput {
            clinic_name: "C".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "owner".into(),
            admin_display_name: "Owner".into(),
            password: OWNER_PASSWORD.into(),
        })
        .unwrap();
    fresh.restore(&new_admin, &backup).unwrap();
    let v = fresh.audit_verdict().unwrap();
    assert!(v.intact, "{v:?}");
    assert_eq!(fresh.patient_count(&admin).unwrap(), 4);
}

#[test]
fn a_failed_sign_in_with_an_unknown_name_stores_a_marker_not_the_text() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    let typed = "=HYPERLINK(\"http://x\")\u{202e}plum kettle harbour velvet";
    for _ in 0..2 {
        let e = c
            .login(&LoginInput {
                username: typed.into(),
                password: "whatever it was".into(),
            })
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Forbidden);
    }
    let log = c.recent_audit(&admin, 100).unwrap();
    let failed: Vec<_> = log.iter().filter(|e| e.action == "login.failed").collect();
    assert_eq!(failed.len(), 2);
    for e in &failed {
        assert_eq!(e.username, dermis_clinic::UNKNOWN_USER);
        assert!(e.entity_id.starts_with("name:"), "{}", e.entity_id);
        assert!(!e.entity_id.contains("plum"));
    }
    assert_eq!(
        failed[0].entity_id, failed[1].entity_id,
        "the same name, the same token"
    );
    assert!(log.iter().all(|e| !e.username.contains("HYPERLINK")
        && !e.detail.contains("HYPERLINK")
        && !e.entity_id.contains("HYPERLINK")));
}

#[test]
fn a_120_kb_user_name_is_refused_before_it_reaches_the_log() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    let before = c.recent_audit(&admin, 1000).unwrap().len();
    let e = c
        .login(&LoginInput {
            username: "x".repeat(120_000),
            password: "p".into(),
        })
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    assert_eq!(c.recent_audit(&admin, 1000).unwrap().len(), before);
}

#[test]
fn repeated_wrong_names_lock_that_name_only() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let _admin = setup(&c);
    let try_as = |name: &str| {
        c.login(&LoginInput {
            username: name.into(),
            password: "wrong wrong wrong".into(),
        })
        .unwrap_err()
        .code()
    };
    for _ in 0..dermis_clinic::MAX_FAILED_LOGINS {
        assert_eq!(try_as("mallory"), ErrorCode::Forbidden);
    }
    assert_eq!(try_as("mallory"), ErrorCode::Locked);
    assert_eq!(try_as("someone-else"), ErrorCode::Forbidden);
    // The real account is not locked by someone else's typos.
    c.login(&LoginInput {
        username: "owner".into(),
        password: OWNER_PASSWORD.into(),
    })
    .unwrap();
}

#[test]
fn weak_admin_passwords_are_refused_and_a_passphrase_is_welcome() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    for weak in [
        "aaaaaaaaaaaa",
        "1234567890",
        "123456789012",
        "bossbossboss1",
    ] {
        let e = c
            .create_user(&admin, "boss", "Boss", weak, &[Role::Admin])
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{weak}");
    }
    c.create_user(
        &admin,
        "boss",
        "Boss",
        "amber falcon ribbon cactus",
        &[Role::Admin],
    )
    .unwrap();
}

#[test]
fn everyone_can_change_their_own_password() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    let desk = staff(&c, &admin, "desk", Role::Receptionist);
    let wrong = c
        .change_password(&desk, "not my password", "amber falcon ribbon cactus")
        .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::Validation);
    let weak = c
        .change_password(&desk, STAFF_PASSWORD, "aaaaaaaaaaaa")
        .unwrap_err();
    assert_eq!(weak.code(), ErrorCode::Validation);
    c.change_password(&desk, STAFF_PASSWORD, "amber falcon ribbon cactus")
        .unwrap();
    c.login(&LoginInput {
        username: "desk".into(),
        password: "amber falcon ribbon cactus".into(),
    })
    .unwrap();
    assert!(c
        .recent_audit(&admin, 100)
        .unwrap()
        .iter()
        .any(|e| e.action == "user.change_password" && e.username == "desk"));
}

#[test]
fn look_alike_and_case_variant_user_names_are_refused() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    c.create_user(&admin, "boss", "Boss", STAFF_PASSWORD, &[Role::Admin])
        .unwrap();
    // Cyrillic о in the middle.
    let e = c
        .create_user(
            &admin,
            "b\u{043e}ss",
            "Boss 2",
            STAFF_PASSWORD,
            &[Role::Admin],
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation, "{e}");
    assert!(e.to_string().contains("looks like"), "{e}");
    c.create_user(
        &admin,
        "Ölaf",
        "Olaf",
        STAFF_PASSWORD,
        &[Role::Receptionist],
    )
    .unwrap();
    let e = c
        .create_user(
            &admin,
            "ölaf",
            "Olaf 2",
            STAFF_PASSWORD,
            &[Role::Receptionist],
        )
        .unwrap_err();
    assert_ne!(e.code(), ErrorCode::Internal, "{e}");
    // Names are stored folded; signing in with either case works.
    c.login(&LoginInput {
        username: "ÖLAF".into(),
        password: STAFF_PASSWORD.into(),
    })
    .unwrap();
}

#[test]
fn the_backend_locks_after_the_idle_limit_whatever_the_ui_does() {
    let clock = TestClock::new();
    let c = Clinic::open_in_memory(clock.clone()).unwrap();
    let admin = setup(&c);
    let seat = Seat::new();
    seat.set(&c, Some(admin.clone())).unwrap();
    seat.active(&c).unwrap();
    clock.advance_minutes(9);
    seat.active(&c).unwrap(); // 9 minutes idle: still open, and the clock restarts
    clock.advance_minutes(10); // the default limit is 10 minutes
    let e = seat.active(&c).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Locked);
    assert!(seat.is_locked().unwrap());
    assert!(c
        .recent_audit(&admin, 10)
        .unwrap()
        .iter()
        .any(|e| e.action == "app.lock"));
    // Only the same user's password opens it again.
    assert!(seat.unlock(&c, "wrong wrong wrong").is_err());
    seat.unlock(&c, OWNER_PASSWORD).unwrap();
    seat.active(&c).unwrap();
}

/// The UI polls "is the app locked?" every few seconds: the answer is no
/// while the limit has not passed, asking never counts as activity (so a
/// poll cannot keep an unattended PC open), and once the limit passes the
/// poll itself locks, audited once.
#[test]
fn polling_the_lock_does_not_keep_the_app_open_and_locks_it_at_the_limit() {
    let clock = TestClock::new();
    let c = Clinic::open_in_memory(clock.clone()).unwrap();
    let admin = setup(&c);
    let seat = Seat::new();
    // Nobody signed in: nothing to lock.
    assert!(!seat.locked_now(&c).unwrap());
    seat.set(&c, Some(admin.clone())).unwrap();
    seat.active(&c).unwrap();
    for _ in 0..9 {
        clock.advance_minutes(1);
        assert!(!seat.locked_now(&c).unwrap());
    }
    assert!(!seat.is_locked().unwrap());
    clock.advance_minutes(1); // 10 minutes since the last command, polls or not
    assert!(seat.locked_now(&c).unwrap());
    assert!(seat.is_locked().unwrap());
    assert!(seat.locked_now(&c).unwrap(), "stays locked");
    let locks = c
        .recent_audit(&admin, 20)
        .unwrap()
        .iter()
        .filter(|e| e.action == "app.lock")
        .count();
    assert_eq!(locks, 1);
    seat.unlock(&c, OWNER_PASSWORD).unwrap();
    assert!(!seat.locked_now(&c).unwrap());
}

#[test]
fn a_deactivated_account_s_open_session_stops_working() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    let desk = staff(&c, &admin, "desk", Role::Receptionist);
    let seat = Seat::new();
    seat.set(&c, Some(desk)).unwrap();
    seat.active(&c).unwrap();
    c.deactivate_user(&admin, "desk").unwrap();
    let e = seat.active(&c).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert!(e.to_string().contains("deactivated"), "{e}");
    assert!(seat.current().unwrap().is_none());
}

fn screening_for(c: &Clinic, s: &Actor, on: &str) -> ScreeningInput {
    ScreeningInput {
        screened_on: on.into(),
        answers: c
            .screening_questions(s)
            .unwrap()
            .into_iter()
            .map(|q| ScreeningAnswer {
                condition: q.condition,
                present: false,
                last_date: None,
            })
            .collect(),
        notes: "Private clinical note".into(),
    }
}

fn assessment_on(on: &str) -> AssessmentInput {
    AssessmentInput {
        assessed_on: on.into(),
        scar_types: vec![ScarType::Rolling],
        grade: 2,
        counts: GbCounts {
            moderate: 5,
            ..Default::default()
        },
        fitzpatrick: 2,
        sensitivity: Sensitivity::Normal,
        treatment_areas: vec![TreatmentArea::Cheeks],
        scar_age_years: 2,
        notes: String::new(),
    }
}

#[test]
fn an_assessment_dated_before_birth_is_refused() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    let p = c.create_patient(&admin, &person("Ann", "Lee")).unwrap().id;
    for on in ["0000-01-01", "1985-05-31"] {
        let e = c
            .record_assessment(&admin, p, &assessment_on(on))
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{on}");
        assert!(
            e.to_string().contains("before the patient's date of birth"),
            "{e}"
        );
        let e = c
            .record_screening(&admin, p, &screening_for(&c, &admin, on))
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{on}");
    }
    c.record_assessment(&admin, p, &assessment_on("1985-06-01"))
        .unwrap();
    let future = c
        .record_assessment(&admin, p, &assessment_on("2026-11-25"))
        .unwrap_err();
    assert_eq!(future.code(), ErrorCode::Validation);
}

#[test]
fn names_with_bidi_or_zero_width_characters_are_refused_and_zwj_is_kept() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    for bad in [
        "John\u{202e}",
        "Jo\u{200b}hn",
        "\u{feff}John",
        "Jo\u{2066}hn\u{2069}",
        "Jo\u{2060}hn",
    ] {
        let e = c.create_patient(&admin, &person(bad, "Roe")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{bad:?}");
        let e = c
            .create_user(
                &admin,
                &format!("{bad}x"),
                "X",
                STAFF_PASSWORD,
                &[Role::Receptionist],
            )
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{bad:?}");
    }
    // Persian needs ZWNJ; emoji sequences need ZWJ.
    c.create_patient(&admin, &person("می\u{200c}خواهم", "Roe"))
        .unwrap();
    c.create_patient(&admin, &person("Ann 👩\u{200d}⚕️", "Roe"))
        .unwrap();
}

#[test]
fn erasing_a_patient_removes_everything_and_leaves_one_audit_entry_with_the_id() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    let desk = staff(&c, &admin, "desk", Role::Receptionist);
    let ann = c
        .create_patient(&admin, &person("Annabel", "Zyx"))
        .unwrap()
        .id;
    let other = c.create_patient(&admin, &person("Bo", "Lee")).unwrap().id;
    c.record_screening(&admin, ann, &screening_for(&c, &admin, "2026-11-24"))
        .unwrap();
    let a = c
        .record_assessment(&admin, ann, &assessment_on("2026-11-24"))
        .unwrap();
    c.accept_plan(
        &admin,
        &PlanRequest {
            patient_id: ann,
            assessment_id: a.id,
            start: "2026-11-24".into(),
            adjust: None,
        },
    )
    .unwrap();
    // The desk may not erase.
    assert_eq!(
        c.erase_patient(&desk, ann).unwrap_err().code(),
        ErrorCode::Forbidden
    );
    let r = c.erase_patient(&admin, ann).unwrap();
    assert!(r.rows >= 8, "{r:?}");
    assert_eq!(
        c.patient(&admin, ann).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert!(c
        .search_patients(&admin, &PatientSearch::new("zyx"))
        .unwrap()
        .items
        .is_empty());
    assert!(c
        .calendar(&admin, "2026-11-20", "2027-01-20")
        .unwrap()
        .iter()
        .all(|e| e.patient_id != ann));
    c.patient(&admin, other).unwrap();
    let log = c.recent_audit(&admin, 1000).unwrap();
    let erased: Vec<_> = log.iter().filter(|e| e.action == "patient.erase").collect();
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0].entity_id, ann.to_string());
    assert!(log
        .iter()
        .all(|e| !e.detail.contains("Zyx") && !e.detail.contains("Annabel")));
    assert!(c.audit_verdict().unwrap().intact);
    // Twice: not found, nothing half-done.
    assert_eq!(
        c.erase_patient(&admin, ann).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn proposals_are_audited_and_a_pause_reason_stays_out_of_the_audit_log() {
    let c = Clinic::open_in_memory(TestClock::new()).unwrap();
    let admin = setup(&c);
    let p = c.create_patient(&admin, &person("Ann", "Lee")).unwrap().id;
    c.record_screening(&admin, p, &screening_for(&c, &admin, "2026-11-24"))
        .unwrap();
    let a = c
        .record_assessment(&admin, p, &assessment_on("2026-11-24"))
        .unwrap();
    let req = PlanRequest {
        patient_id: p,
        assessment_id: a.id,
        start: "2026-11-24".into(),
        adjust: None,
    };
    c.propose_plan(&admin, &req).unwrap();
    let log = c.recent_audit(&admin, 5).unwrap();
    assert_eq!(log[0].action, "plan.propose");
    assert_eq!(log[0].entity_id, p.to_string());
    let plan = c.accept_plan(&admin, &req).unwrap();
    let paused = c
        .set_plan_status(
            &admin,
            plan.id,
            PlanStatus::Paused,
            "Pregnant since October",
        )
        .unwrap();
    assert!(paused
        .rationale
        .iter()
        .any(|r| r.contains("Pregnant since October")));
    let log = c.recent_audit(&admin, 1000).unwrap();
    assert!(
        log.iter().all(|e| !e.detail.contains("Pregnant")),
        "{log:?}"
    );
}

#[test]
fn clinic_errors_are_what_a_user_reads() {
    // A guard for this file's helpers: refusals carry sentences, not debug text.
    let e = ClinicError::validation("x", "Enter it.");
    assert_eq!(e.to_string(), "Enter it.");
}

/// A restore killed after its swap but before the new anchor was written:
/// the live log is the restored one, the anchor beside it still the old
/// clinic's. The anchor the restore wrote as `.pending` before the swap is
/// adopted at the next start, and no cut is reported.
#[test]
fn a_restore_killed_between_the_swap_and_the_new_anchor_is_not_a_cut_log() {
    let (dir, db, c, admin) = on_disk();
    let backup = dir.path().join("b").join("copy.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    c.backup(&admin, &backup).unwrap();
    for name in ["Ed", "Flo", "Gus"] {
        c.create_patient(&admin, &person(name, "Lee")).unwrap();
    }
    let anchor = dermis_clinic::audit_key::anchor_path(&db);
    let old_anchor = std::fs::read(&anchor).unwrap();
    c.restore(&admin, &backup).unwrap();
    drop((c, admin));
    // The state a kill leaves in that window.
    let pending = dermis_clinic::audit_key::pending_path(&anchor);
    std::fs::copy(&anchor, &pending).unwrap();
    std::fs::write(&anchor, &old_anchor).unwrap();
    let (c, admin) = reopen(&db);
    let v = c.audit_verdict().unwrap();
    assert!(v.intact, "{v:?}");
    assert_eq!(c.verify_audit(&admin).unwrap(), None);
    assert!(!pending.exists(), "the pending anchor was adopted");
    assert_eq!(c.patient_count(&admin).unwrap(), 4);
}

/// The other side of that window: killed before the swap, the old clinic is
/// live and the pending anchor (for a database that never went live) is
/// dropped without a word.
#[test]
fn a_restore_killed_before_the_swap_leaves_the_old_anchor_in_force() {
    let (dir, db, c, admin) = on_disk();
    let other = dir.path().join("other.db");
    c.backup(&admin, &other).unwrap();
    c.create_patient(&admin, &person("Ed", "Lee")).unwrap();
    let anchor = dermis_clinic::audit_key::anchor_path(&db);
    drop((c, admin));
    // A pending anchor for a log that is not the live one.
    let pending = dermis_clinic::audit_key::pending_path(&anchor);
    let (c2, admin2) = reopen(&other);
    let _ = admin2;
    drop(c2);
    std::fs::copy(dermis_clinic::audit_key::anchor_path(&other), &pending).unwrap();
    let (c, admin) = reopen(&db);
    assert!(c.audit_verdict().unwrap().intact);
    assert_eq!(c.verify_audit(&admin).unwrap(), None);
    assert!(!pending.exists());
    assert_eq!(c.patient_count(&admin).unwrap(), 5);
}

#[test]
fn entries_cut_while_the_clinic_is_open_are_reported_from_the_first_missing_one() {
    // No start-up has recorded the cut yet: the check names the entry just
    // past what is left (the first one removed), not the last intact one.
    let (_dir, db, c, admin) = on_disk();
    let before = count(&db);
    tamper(
        &db,
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 3);",
    );
    let v = c.audit_verdict().unwrap();
    assert!(v.breaks.is_empty(), "{v:?}");
    assert_eq!(v.entries, before - 3);
    assert_eq!(c.verify_audit(&admin).unwrap(), Some(before - 3 + 1));
}

#[test]
fn a_file_that_is_not_a_clinic_database_is_not_called_busy() {
    // "Busy, try again in a moment" would have the clinic wait for ever:
    // only a database another program holds is busy.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    std::fs::write(&db, vec![0x5Au8; 64 * 1024]).unwrap();
    let e = match Clinic::open(&db) {
        Ok(_) => panic!("a file of garbage opened as a clinic"),
        Err(e) => dermis_clinic::ApiError::from(e),
    };
    assert_ne!(e.code, ErrorCode::Locked, "{e:?}");
    assert!(!e.message.contains("busy"), "{}", e.message);
}

#[test]
fn entries_cut_from_the_log_while_the_clinic_is_open_are_counted_at_the_next_check() {
    let (_dir, db, c, admin) = on_disk();
    let before = count(&db);
    // Another program cuts the three newest entries under the running app.
    tamper(
        &db,
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 3);",
    );
    let v = c.audit_verdict().unwrap();
    assert!(!v.intact, "{v:?}");
    assert_eq!(v.anchored_entries, Some(before as _), "{v:?}");
    assert_eq!(
        v.problem.as_deref(),
        Some(
            format!(
                "The audit log has {} entries but held {before}: 3 were removed.",
                before - 3
            )
            .as_str()
        ),
        "{v:?}"
    );
    // Work goes on: the anchor does not follow the shorter log back, so the
    // cut is still reported after the next entries.
    c.create_patient(&admin, &person("Ed", "Lee")).unwrap();
    let v = c.audit_verdict().unwrap();
    assert!(!v.intact, "{v:?}");
    assert_eq!(v.anchored_entries, Some(before as _), "{v:?}");
}

#[test]
fn signing_out_is_in_the_audit_log_under_the_person_who_signed_out() {
    let (_dir, _db, c, admin) = on_disk();
    let desk = staff(&c, &admin, "desk", Role::Receptionist);
    c.logout(&desk).unwrap();
    let log = c.recent_audit(&admin, 5).unwrap();
    let out = log
        .iter()
        .find(|e| e.action == "logout")
        .expect("a logout entry");
    assert_eq!(out.username, "desk");
    assert_eq!(out.entity_id, desk.user_id.to_string());
}
