//! The store on real temporary files: migrations, pragmas, patients and search.

use chrono::NaiveDate;
use dermis_core::patient::ValidPatient;
use dermis_core::search::parse;
use dermis_core::{validate, PatientInput};
use dermis_store::{Store, StoreError, SCHEMA_VERSION};

mod common;

const NOW: &str = "2026-11-24T12:00:00Z";

fn valid(first: &str, last: &str, dob: &str, phone: &str) -> ValidPatient {
    validate::patient(
        &PatientInput {
            first_name: first.into(),
            last_name: last.into(),
            date_of_birth: dob.into(),
            phone: phone.into(),
            ..Default::default()
        },
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )
    .unwrap()
}

#[test]
fn migrates_an_empty_database_and_sets_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/dermis.db");
    let store = Store::open(&path).unwrap();
    assert!(path.exists());
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let pragmas = store.pragmas().unwrap();
    let get = |k: &str| pragmas.iter().find(|(n, _)| n == k).unwrap().1.clone();
    assert_eq!(get("journal_mode"), "wal");
    assert_eq!(get("synchronous"), "2"); // FULL: a commit survives a power cut
    assert_eq!(get("foreign_keys"), "1");
    assert_eq!(get("busy_timeout"), "5000");
    assert_eq!(
        get("cache_size"),
        format!("-{}", dermis_store::CACHE_KIB),
        "the search index's working set fits in this connection's own cache"
    );
    drop(store);
    // Opening again keeps the data and the version.
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(store.read(|tx| tx.clinic()).unwrap().is_none());
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    {
        let conn = rusqlite_for_test(&path);
        conn.execute_batch("PRAGMA user_version = 99; CREATE TABLE future (x);")
            .unwrap();
    }
    match Store::open(&path) {
        Err(StoreError::TooNew { found: 99, known }) => assert_eq!(known, SCHEMA_VERSION),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    let conn = rusqlite_for_test(&path);
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99);
}

fn rusqlite_for_test(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

on_both_backends! {
    fn patient_numbers_are_sequential_readable_and_unique(s) {
        let (a, b) = s
            .write(|tx| -> Result<_, StoreError> {
                Ok((
                    tx.insert_patient(&valid("Ann", "Lee", "1980-01-01", ""), NOW)?,
                    tx.insert_patient(&valid("Bo", "Lee", "1981-01-01", ""), NOW)?,
                ))
            })
            .unwrap();
        assert_eq!(a.patient_number, "P-000001");
        assert_eq!(b.patient_number, "P-000002");
        assert_eq!(a.version, 1);
    }

    fn a_failed_write_leaves_nothing_behind(s) {
        let r: Result<(), StoreError> = s.write(|tx| {
            tx.insert_patient(&valid("Ann", "Lee", "1980-01-01", "+1 555 123 4567"), NOW)?;
            Err(StoreError::Internal("boom after the insert".into()))
        });
        assert!(r.is_err());
        assert_eq!(s.read(|tx| tx.count_patients()).unwrap(), 0);
        let page = s
            .read(|tx| tx.search_patients(&parse("ann"), true, 0, 10))
            .unwrap();
        assert!(page.items.is_empty());
    }

    fn updates_need_the_current_version_and_reindex(s) {
        let p = s
            .write(|tx| tx.insert_patient(&valid("Ann", "Lee", "1980-01-01", ""), NOW))
            .unwrap();
        let stale = s.write(|tx| {
            tx.update_patient(
                p.id.0,
                p.version + 1,
                &valid("Anne", "Lee", "1980-01-01", ""),
                NOW,
            )
        });
        assert!(matches!(stale, Err(StoreError::Conflict(_))));
        let q = s
            .write(|tx| {
                tx.update_patient(
                    p.id.0,
                    p.version,
                    &valid("Zoë", "Park", "1980-01-01", ""),
                    NOW,
                )
            })
            .unwrap();
        assert_eq!(q.version, p.version + 1);
        let names = |s: &mut Store, q: &str| -> Vec<String> {
            s.read(|tx| tx.search_patients(&parse(q), true, 0, 10))
                .unwrap()
                .items
                .into_iter()
                .map(|p| p.first_name)
                .collect()
        };
        assert!(
            names(&mut s, "lee").is_empty(),
            "the old name must leave the index"
        );
        assert_eq!(names(&mut s, "zoe park"), ["Zoë"]);
    }

    fn the_keyed_chain_checks_across_connections(s) {
        keyed_chain_across_connections(s);
    }
}

#[test]
fn a_version_1_database_upgrades_with_its_patients_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = rusqlite_for_test(&path);
        conn.execute_batch(include_str!("../migrations/0001_initial.sql"))
            .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO patients (number_seq, first_name, last_name, date_of_birth, search_text, sort_key, created_at, updated_at)
             VALUES (1, 'Zoë', 'Park', '1992-03-04', 'zoe park', 'park\x01zoe', '2026-11-24T12:00:00Z', '2026-11-24T12:00:00Z');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 2) };
    let p = store.read(|tx| tx.patient(1)).unwrap().unwrap();
    assert_eq!(p.first_name, "Zoë");
    // A verified copy of the version-1 data was taken before the upgrade.
    let copies: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert!(
        copies[0].starts_with("dermis-before-migration-v1-"),
        "{copies:?}"
    );
    let info =
        dermis_store::inspect_backup(&dir.path().join("backups").join(&copies[0]), &[]).unwrap();
    assert_eq!((info.schema_version, info.patients), (1, 1));
    // The new tables are there and usable.
    assert_eq!(store.read(|tx| tx.assessments(1)).unwrap(), vec![]);
    assert_eq!(
        store.read(|tx| tx.plan_settings()).unwrap(),
        Default::default()
    );
}

#[test]
fn a_version_2_database_with_plans_upgrades_and_its_sessions_gain_no_gap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    {
        let conn = rusqlite_for_test(&path);
        conn.execute_batch(include_str!("../migrations/0001_initial.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../migrations/0002_clinical.sql"))
            .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 2;
             INSERT INTO users (id, username, display_name, password_hash, roles, active, created_at)
             VALUES (1, 'dr', 'Dr', 'x', '[\"admin\"]', 1, 'x');
             INSERT INTO patients (id, number_seq, first_name, last_name, date_of_birth, search_text, sort_key, created_at, updated_at)
             VALUES (1, 1, 'Zoë', 'Park', '1992-03-04', 'zoe park', 'park\x01zoe', 'x', 'x');
             INSERT INTO assessments (id, patient_id, assessed_on, scar_types, grade, counts, score, fitzpatrick, sensitivity,
                treatment_areas, scar_age_years, recorded_by, created_at)
             VALUES (1, 1, '2026-01-01', '[]', 2, '{}', 4, 2, 'normal', '[]', 1, 1, 'x');
             INSERT INTO plans (id, patient_id, assessment_id, status, start, session_count, interval_weeks, shortest_weeks,
                maintenance_months, rationale, warnings, created_by, created_at, updated_at)
             VALUES (1, 1, 1, 'active', '2026-01-05', 2, 5, 4, 4, '[]', '[]', 1, 'x', 'x');
             INSERT INTO planned_sessions (plan_id, n, date) VALUES (1, 1, '2026-01-05'), (1, 2, '2026-02-09');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 3) };
    assert_eq!(
        store.read(|tx| tx.session_gaps(1)).unwrap(),
        vec![None, None]
    );
    let plan = store.read(|tx| tx.plan(1)).unwrap().unwrap();
    assert_eq!(plan.sessions.len(), 2);
    assert!(store.read(|tx| tx.session_records(1)).unwrap().is_empty());
    assert!(store.read(|tx| tx.photos(1)).unwrap().is_empty());
}

fn entry(action: &str) -> dermis_store::AuditEntry {
    dermis_store::AuditEntry {
        at: "2026-11-24T12:00:00Z".into(),
        user_id: None,
        username: "dermis".into(),
        action: action.into(),
        entity: "".into(),
        entity_id: "".into(),
        detail: "".into(),
    }
}

/// The chain check other code (restore) runs on any connection: old unkeyed
/// entries then keyed ones pass with the right key only; an unkeyed entry
/// after a keyed one is a forgery.
#[test]
fn the_keyed_chain_checks_on_any_connection_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = Store::open(&path).unwrap();
    store.write(|tx| tx.append_audit(&entry("old"))).unwrap(); // before the key: unkeyed
    store.set_audit_key(b"the clinic key 0123456789".to_vec());
    store.write(|tx| tx.append_audit(&entry("new"))).unwrap();
    store.write(|tx| tx.append_audit(&entry("newer"))).unwrap();
    let conn = rusqlite_for_test(&path);
    let good = dermis_store::verify_chain(&conn, b"the clinic key 0123456789").unwrap();
    assert_eq!((good.count, good.keyed, good.first_bad), (3, 2, None));
    assert_eq!(
        (good.count, good.head.clone()),
        dermis_store::chain_head(&conn).unwrap()
    );
    let wrong = dermis_store::verify_chain(&conn, b"another key").unwrap();
    assert_eq!(wrong.first_bad, Some(2));
    // A keyless writer appending after keyed entries: refused as a forgery.
    drop(store);
    let mut keyless = Store::open(&path).unwrap();
    keyless
        .write(|tx| tx.append_audit(&entry("forged")))
        .unwrap();
    let forged = dermis_store::verify_chain(&conn, b"the clinic key 0123456789").unwrap();
    assert_eq!(forged.first_bad, Some(4));
}

/// The same chain rules through the store API on either backend: a second
/// connection (another PC) checks the chain with the key; a wrong key finds
/// the first keyed entry bad; a keyless writer's entry after keyed ones is a forgery.
fn keyed_chain_across_connections(mut store: Store) {
    const KEY: &[u8] = b"the clinic key 0123456789";
    store.write(|tx| tx.append_audit(&entry("old"))).unwrap(); // before the key: unkeyed
    store.set_audit_key(KEY.to_vec());
    store.write(|tx| tx.append_audit(&entry("new"))).unwrap();
    store.write(|tx| tx.append_audit(&entry("newer"))).unwrap();
    let check = store.read(|tx| tx.audit_chain_check()).unwrap();
    assert_eq!((check.count, check.keyed, check.first_bad), (3, 2, None));
    assert_eq!(
        (check.count, check.head.clone()),
        store.audit_head().unwrap()
    );
    let mut other = common::reopen(&store);
    other.set_audit_key(b"another key".to_vec());
    assert_eq!(
        other.read(|tx| tx.audit_chain_check()).unwrap().first_bad,
        Some(2)
    );
    let mut keyless = common::reopen(&store);
    keyless
        .write(|tx| tx.append_audit(&entry("forged")))
        .unwrap();
    let forged = store.read(|tx| tx.audit_chain_check()).unwrap();
    assert_eq!((forged.count, forged.first_bad), (4, Some(4)));
}

/// A photo's bytes go where the backend keeps them (files beside an SQLite
/// database, `photo_files` rows on the clinic server) behind one API: stored
/// once, read back whole, thumbnail apart, removed.
mod photo_bytes {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        use sha2::Digest;
        sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    on_both_backends! {
        fn a_photo_is_stored_read_back_and_removed(s) {
            let photo = b"\xff\xd8 a picture \x00\x01 with every byte".to_vec();
            let h = sha(&photo);
            s.put_photo_files(&h, "jpg", &photo, b"thumb").unwrap();
            s.put_photo_files(&h, "jpg", &photo, b"thumb").unwrap(); // once is enough
            assert_eq!(s.read_photo_file(&h, "jpg", false).unwrap(), photo);
            assert_eq!(s.read_photo_file(&h, "jpg", true).unwrap(), b"thumb");
            // Inside a transaction too (the progress summary reads it there).
            let read = s.read(|tx| tx.read_photo_file(&h, "jpg", false)).unwrap();
            assert_eq!(read, photo);
            // Not a content address: refused before any path or query.
            assert!(s.read_photo_file("../../etc/passwd", "jpg", false).is_err());
            assert_eq!(s.remove_photo_files(&h, "jpg").unwrap(), 2);
            assert!(s.read_photo_file(&h, "jpg", false).is_err());
            assert_eq!(s.remove_photo_files(&h, "jpg").unwrap(), 0);
        }
    }
}
