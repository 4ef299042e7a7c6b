//! Verified backups and the checks a file must pass before it replaces the data.

use chrono::NaiveDate;
use dermis_core::{validate, PatientInput};
use dermis_store::{inspect_backup, Store, StoreError};
use std::path::Path;

const NOW: &str = "2026-11-24T12:00:00Z";

fn add(s: &mut Store, first: &str) {
    let v = validate::patient(
        &PatientInput {
            first_name: first.into(),
            last_name: "Lee".into(),
            date_of_birth: "1990-01-01".into(),
            ..Default::default()
        },
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )
    .unwrap();
    s.write(|tx| tx.insert_patient(&v, NOW)).unwrap();
}

fn names(s: &mut Store) -> Vec<String> {
    s.read(|tx| tx.search_patients(&dermis_core::search::parse(""), true, 0, 100))
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.first_name)
        .collect()
}

fn store_with(dir: &Path, people: &[&str]) -> Store {
    let mut s = Store::open(&dir.join("dermis.db")).unwrap();
    for p in people {
        add(&mut s, p);
    }
    s
}

#[test]
fn a_backup_is_verified_and_holds_every_committed_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with(dir.path(), &["Ann", "Zoë", "王"]);
    let info = s.backup_to(&dir.path().join("backups/one.db")).unwrap();
    assert_eq!(info.patients, 3);
    assert!(dir.path().join("backups/one.db").exists());
    assert!(!dir.path().join("backups/one.partial").exists());
    let beside: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        beside.len(),
        1,
        "one self-contained file, no -wal or -shm: {beside:?}"
    );
    let mut copy = Store::open(&dir.path().join("backups/one.db")).unwrap();
    assert_eq!(names(&mut copy), names(&mut s));
}

#[test]
fn a_backup_taken_during_another_writers_open_transaction_holds_only_committed_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with(dir.path(), &["Ann"]);
    // Another process (the CLI, say) is in the middle of a write.
    let other = rusqlite::Connection::open(dir.path().join("dermis.db")).unwrap();
    other
        .execute_batch(
            "BEGIN IMMEDIATE;
             INSERT INTO patients (number_seq, first_name, last_name, date_of_birth, search_text, sort_key, created_at, updated_at)
             VALUES (99, 'Uncommitted', 'X', '1990-01-01', 'uncommitted x', 'x', 'x', 'x');",
        )
        .unwrap();
    let info = s.backup_to(&dir.path().join("during.db")).unwrap();
    assert_eq!(
        info.patients, 1,
        "the open transaction is not in the backup"
    );
    // The same through a connection of its own (the app's daily backup).
    let info = dermis_store::backup_file(
        &dir.path().join("dermis.db"),
        &dir.path().join("during2.db"),
    )
    .unwrap();
    assert_eq!(info.patients, 1);
    assert_eq!(
        inspect_backup(&dir.path().join("during2.db"))
            .unwrap()
            .patients,
        1
    );
    other.execute_batch("COMMIT").unwrap();
    assert_eq!(s.read(|tx| tx.count_patients()).unwrap(), 2);
}

#[test]
fn verification_catches_a_damaged_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with(dir.path(), &["Ann", "Bo", "Cy"]);
    for i in 0..200 {
        add(&mut s, &format!("Person{i}"));
    }
    let path = dir.path().join("good.db");
    s.backup_to(&path).unwrap();
    // Scribble over a page that holds patients (a page in the middle of the
    // file may be a free page, whose content no check reads).
    let (page_size, root): (i64, i64) = {
        let c = rusqlite::Connection::open(&path).unwrap();
        (
            c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap(),
            c.query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'patients'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
        )
    };
    let mut bytes = std::fs::read(&path).unwrap();
    let at = (page_size * (root - 1)) as usize;
    for b in &mut bytes[at + 8..at + 2048] {
        *b = 0x5A;
    }
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, &bytes).unwrap();
    let e = inspect_backup(&damaged).unwrap_err();
    assert!(matches!(e, StoreError::BadBackup(_)), "{e}");
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn restore_refuses_bad_files_each_with_its_own_message_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with(dir.path(), &["Ann", "Zoë"]);
    let before = names(&mut s);
    let keep = dir.path().join("kept.db");

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "Dear clinic, this is a letter, not a database.").unwrap();

    let good = dir.path().join("good.db");
    s.backup_to(&good).unwrap();
    let truncated = dir.path().join("truncated.db");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    let newer = dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();

    let foreign = dir.path().join("other-app.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);")
        .unwrap();

    let mut messages = Vec::new();
    for (file, says) in [
        (&text, "not a database file"),
        (&truncated, "damaged or incomplete"),
        (&newer, "newer Dermis"),
        (&foreign, "not a Dermis one"),
    ] {
        let e = s.restore_from(file, &keep).unwrap_err();
        let m = e.to_string();
        assert!(m.contains(says), "{}: {m}", file.display());
        messages.push(m);
        assert_eq!(names(&mut s), before, "{} changed the data", file.display());
        assert!(!keep.exists(), "nothing is even copied for a refused file");
    }
    messages.sort();
    messages.dedup();
    assert_eq!(messages.len(), 4);
}

#[test]
fn restore_replaces_the_data_and_keeps_the_old_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with(dir.path(), &["Ann"]);
    let snapshot = dir.path().join("snap.db");
    s.backup_to(&snapshot).unwrap();
    add(&mut s, "Later");
    let keep = dir.path().join("before-restore.db");
    let info = s.restore_from(&snapshot, &keep).unwrap();
    assert_eq!(info.patients, 1);
    assert_eq!(names(&mut s), ["Ann"]);
    let mode = s
        .pragmas()
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == "journal_mode")
        .unwrap()
        .1;
    assert_eq!(mode, "wal", "the restored database stays in WAL mode");
    let mut kept = Store::open(&keep).unwrap();
    assert_eq!(
        names(&mut kept).len(),
        2,
        "the data before the restore is kept"
    );
}
