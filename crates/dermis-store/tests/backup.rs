//! Verified backups and the checks a file must pass before it replaces the data.

use chrono::NaiveDate;
use dermis_core::{validate, PatientInput};
use dermis_store::{inspect_backup, AuditEntry, RestoreFacts, Store, StoreError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

/// The `restore` entry the clinic would write.
fn entry(f: &RestoreFacts) -> AuditEntry {
    AuditEntry {
        at: NOW.into(),
        user_id: None,
        username: "boss".into(),
        action: "restore".into(),
        entity: "database".into(),
        entity_id: String::new(),
        detail: format!(
            "{{\"backup\":\"{}\",\"audit_head\":\"{}\",\"audit_entries\":{}}}",
            f.backup_name, f.audit_head, f.audit_entries
        ),
    }
}

fn restore(
    s: &mut Store,
    from: &Path,
    keep: &Path,
) -> Result<dermis_store::BackupInfo, StoreError> {
    s.restore_from(from, keep, &[], entry, |_, _| Ok(()))
        .map(|(info, _)| info)
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
    assert!(
        !dermis_store::last_backup_phases().unwrap().as_bytes,
        "the lock is held elsewhere: the backup API on a snapshot, no wait"
    );
    // The same through a connection of its own (the app's daily backup).
    let info = dermis_store::backup_file(
        &dir.path().join("dermis.db"),
        &dir.path().join("during2.db"),
    )
    .unwrap();
    assert_eq!(info.patients, 1);
    assert_eq!(
        inspect_backup(&dir.path().join("during2.db"), &[])
            .unwrap()
            .patients,
        1
    );
    other.execute_batch("COMMIT").unwrap();
    assert_eq!(s.read(|tx| tx.count_patients()).unwrap(), 2);
}

/// The copy is the database's bytes taken under the write lock (backup.rs,
/// `copy_verified_keyed`): what only the `-wal` holds must be in it, folded
/// into one file.
#[test]
fn a_backup_holds_what_is_still_only_in_the_wal_as_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let mut s = store_with(dir.path(), &["Ann"]);
    // 50 small commits stay in the WAL (SQLite checkpoints at 1,000 pages).
    for i in 0..50 {
        add(&mut s, &format!("Wal{i}"));
    }
    let wal = std::fs::metadata(dir.path().join("dermis.db-wal")).map(|m| m.len());
    assert!(wal.unwrap_or(0) > 0, "the test needs frames in the WAL");
    for (name, info) in [
        (
            "store.db",
            s.backup_to(&dir.path().join("store.db")).unwrap(),
        ),
        (
            "file.db",
            dermis_store::backup_file(&db, &dir.path().join("file.db")).unwrap(),
        ),
    ] {
        assert_eq!(info.patients, 51, "{name}");
        let beside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(name))
            .collect();
        assert_eq!(
            beside,
            vec![name.to_string()],
            "no -wal or -shm beside {name}"
        );
        let mut copy = Store::open(&dir.path().join(name)).unwrap();
        assert_eq!(names(&mut copy).len(), 51, "{name}");
    }
}

/// Backups taken while another connection commits a patient at a time and a
/// third checkpoints the WAL into the file in a loop: each copy is one
/// consistent state (its own check compares it with the counts read under
/// the same lock, and a torn page fails the integrity check).
#[test]
fn backups_taken_while_others_write_and_checkpoint_are_each_one_consistent_state() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let mut s = store_with(dir.path(), &["Ann"]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut w = Store::open(&db).unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 2000 {
                add(&mut w, &format!("Busy{n}"));
                n += 1;
                // A clinic's writes come with gaps: the backup's lock comes.
                std::thread::sleep(Duration::from_millis(2));
            }
            n
        })
    };
    let checkpointer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let c = rusqlite::Connection::open(&db).unwrap();
            c.busy_timeout(Duration::from_millis(5000)).unwrap();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let mut seen = Vec::new();
    for i in 0..8 {
        let path = dir.path().join(format!("busy-{i}.db"));
        let info = if i % 2 == 0 {
            s.backup_to(&path).unwrap()
        } else {
            dermis_store::backup_file(&db, &path).unwrap()
        };
        let phases = dermis_store::last_backup_phases().unwrap();
        assert!(
            phases.as_bytes,
            "backup {i} copied the bytes under the lock"
        );
        let again = inspect_backup(&path, &[]).unwrap();
        assert_eq!(again.patients, info.patients, "backup {i}");
        seen.push(info.patients);
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    checkpointer.join().unwrap();
    assert!(written > 0);
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "each backup at least as new as the one before: {seen:?}"
    );
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
    let e = inspect_backup(&damaged, &[]).unwrap_err();
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
        let e = restore(&mut s, file, &keep).unwrap_err();
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
    let info = restore(&mut s, &snapshot, &keep).unwrap();
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

// ---- A file to restore is hostile: it may carry code, paths or loops. ----

/// A sound backup of a clinic with two patients, an account and an audit
/// entry, then changed by `tamper` through a raw connection.
fn tampered(dir: &Path, name: &str, tamper: &str) -> PathBuf {
    let src = dir.join("source");
    std::fs::create_dir_all(&src).unwrap();
    let mut s = Store::open(&src.join("dermis.db")).unwrap();
    if s.read(|tx| tx.count_patients()).unwrap() == 0 {
        add(&mut s, "Bad");
        add(&mut s, "Backup");
        s.write(|tx| {
            tx.insert_user("desk", "Desk", "x", &[dermis_core::Role::Receptionist], NOW)?;
            tx.append_audit(&AuditEntry {
                at: NOW.into(),
                user_id: None,
                username: "boss".into(),
                action: "clinic.setup".into(),
                entity: "clinic".into(),
                entity_id: "1".into(),
                detail: String::new(),
            })
        })
        .unwrap();
    }
    let path = dir.join(name);
    s.backup_to(&path).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    c.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
        false,
    )
    .unwrap();
    c.execute_batch(tamper).unwrap();
    path
}

fn live(dir: &Path) -> Store {
    let d = dir.join("clinic");
    std::fs::create_dir_all(&d).unwrap();
    store_with(&d, &["Ann", "Zoë"])
}

fn schema_names(s: &mut Store) -> Vec<String> {
    s.read(|tx| tx.schema_entries()).unwrap()
}

fn assert_refused(s: &mut Store, file: &Path, says: &[&str]) {
    let before = names(s);
    let schema = schema_names(s);
    let keep = file.with_extension("kept");
    let e = restore(s, file, &keep).expect_err("a tampered file must be refused");
    let m = e.to_string();
    assert!(matches!(e, StoreError::BadBackup(_)), "{m}");
    for w in says {
        assert!(m.contains(w), "the message names the problem ({w}): {m}");
    }
    assert_eq!(names(s), before, "the live data is unchanged");
    assert_eq!(schema_names(s), schema, "the live schema is unchanged");
    assert!(!keep.exists(), "nothing is swapped for a refused file");
    let e = inspect_backup(file, &[]).expect_err("checking the backup refuses it too");
    assert_eq!(e.to_string(), m, "check and restore say the same");
}

#[test]
fn a_backup_with_an_extra_trigger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = live(dir.path());
    let file = tampered(
        dir.path(),
        "trigger.db",
        "CREATE TRIGGER promote AFTER INSERT ON audit_log WHEN NEW.username = 'desk'
         BEGIN UPDATE users SET roles = 'admin' WHERE username = 'desk'; END;",
    );
    assert_refused(&mut s, &file, &["trigger", "\"promote\"", "tampered"]);
}

#[test]
fn a_backup_whose_append_only_trigger_was_dropped_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = live(dir.path());
    let file = tampered(
        dir.path(),
        "dropped.db",
        "DROP TRIGGER audit_log_no_delete;",
    );
    assert_refused(&mut s, &file, &["\"audit_log_no_delete\"", "missing"]);
}

#[test]
fn a_backup_with_an_extra_view_or_index_or_table_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = live(dir.path());
    for (name, sql, says) in [
        (
            "view.db",
            "CREATE VIEW everyone AS SELECT * FROM patients;",
            "view",
        ),
        (
            "index.db",
            "CREATE INDEX sneaky ON patients (phone);",
            "index",
        ),
        ("table.db", "CREATE TABLE extra (x);", "table"),
        (
            "changed.db",
            "DROP INDEX recalls_by_plan; CREATE INDEX recalls_by_plan ON recalls (due);",
            "changed",
        ),
    ] {
        let file = tampered(dir.path(), name, sql);
        assert_refused(&mut s, &file, &[says]);
    }
}

#[test]
fn a_backup_with_a_looping_view_is_refused_within_5_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = live(dir.path());
    let file = tampered(
        dir.path(),
        "loop.db",
        "DROP TABLE recalls;
         CREATE VIEW recalls AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
         SELECT i AS id, i AS plan_id, i AS patient_id, '' AS due, 'due' AS status FROM n;",
    );
    // A check that spins would hang the test: run it aside and wait 5 s.
    let (tx, rx) = std::sync::mpsc::channel();
    let f = file.clone();
    std::thread::spawn(move || {
        let _ = tx.send(
            inspect_backup(&f, &[])
                .map(|_| ())
                .map_err(|e| e.to_string()),
        );
    });
    let started = Instant::now();
    let checked = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the check of a looping view must end within 5 s");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(checked.unwrap_err().contains("\"recalls\""));
    assert_refused(&mut s, &file, &["\"recalls\""]);
}

#[test]
fn a_trigger_hidden_in_a_wal_beside_the_backup_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = live(dir.path());
    let clean = tampered(dir.path(), "clean.db", "");
    // The same file in WAL mode, with a trigger added in its -wal only.
    let work = dir.path().join("work.db");
    std::fs::copy(&clean, &work).unwrap();
    let c = rusqlite::Connection::open(&work).unwrap();
    c.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )
    .unwrap();
    let _: String = c
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    c.execute_batch(
        "PRAGMA wal_autocheckpoint=0;
         CREATE TRIGGER promote AFTER INSERT ON audit_log
         BEGIN UPDATE users SET roles = 'admin'; END;",
    )
    .unwrap();
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    std::fs::copy(&work, stick.join("b.db")).unwrap();
    std::fs::copy(dir.path().join("work.db-wal"), stick.join("b.db-wal")).unwrap();
    drop(c);
    let keep = dir.path().join("kept.db");
    let info = restore(&mut s, &stick.join("b.db"), &keep).unwrap();
    assert_eq!(info.patients, 2);
    assert_eq!(names(&mut s), ["Backup", "Bad"]);
    let schema = schema_names(&mut s);
    assert!(
        !schema.iter().any(|n| n.contains("promote")),
        "the -wal's trigger was adopted: {schema:?}"
    );
}

#[test]
fn a_photo_name_with_dot_dot_is_refused_and_nothing_is_written_outside_photos() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a/b/c");
    std::fs::create_dir_all(&deep).unwrap();
    let mut s = store_with(&deep, &["Ann"]);
    let stick = dir.path().join("stick/s1/s2");
    std::fs::create_dir_all(&stick).unwrap();
    let file = tampered(
        &stick,
        "backup.db",
        "INSERT INTO photos (patient_id, sha256, mime, width, height, bytes, taken_on, area, angle, imported_by, imported_at)
         VALUES (1, '../../escaped', 'image/jpeg', 1, 1, 1, '2026-11-24', 'cheeks', 'front', 1, '2026-11-24T12:00:00Z');",
    );
    // Where the unchecked name leads from the backup's photo folder.
    std::fs::write(dir.path().join("stick/escaped.jpg"), b"attacker bytes").unwrap();
    let before = names(&mut s);
    let e = restore(&mut s, &file, &dir.path().join("kept.db")).unwrap_err();
    assert!(e.to_string().contains("content address"), "{e}");
    assert!(
        !dir.path().join("a/escaped.jpg").exists(),
        "a file was written outside photos/"
    );
    assert_eq!(names(&mut s), before);
}

fn jpeg_bytes() -> Vec<u8> {
    // The smallest valid picture will do: the store only checks its hash.
    b"\xFF\xD8\xFF photo bytes".to_vec()
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_damaged_photo_in_the_backup_is_refused_before_the_data_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    let mut other = store_with(&src, &["Photo", "Owner"]);
    let bytes = jpeg_bytes();
    let h = sha(&bytes);
    other.put_photo_files(&h, "jpg", &bytes, b"thumb").unwrap();
    other
        .write(|tx| {
            let u = tx.insert_user("pr", "Pr", "x", &[dermis_core::Role::Practitioner], NOW)?;
            tx.insert_photo(
                &dermis_store::NewPhoto {
                    patient_id: 1,
                    sha256: &h,
                    mime: "image/jpeg",
                    width: 1,
                    height: 1,
                    bytes: bytes.len() as u64,
                    taken_on: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                    area: dermis_core::assessment::TreatmentArea::Cheeks,
                    angle: dermis_core::photo::PhotoAngle::Front,
                    session_record_id: None,
                    assessment_id: None,
                },
                u.id,
                NOW,
            )
        })
        .unwrap();
    let stick = dir.path().join("stick");
    let file = stick.join("b.db");
    other.backup_to(&file).unwrap();
    // One changed byte in the photo on the stick (a new file: the copy may be a hard link).
    let on_stick = dermis_store::photo_path(&dermis_store::photos_dir_of_backup(&file), &h, "jpg");
    let mut changed = bytes.clone();
    changed[5] ^= 1;
    std::fs::remove_file(&on_stick).unwrap();
    std::fs::write(&on_stick, &changed).unwrap();

    let mut s = live(dir.path());
    let keep = dir.path().join("kept.db");
    let before = names(&mut s);
    let e = restore(&mut s, &file, &keep).unwrap_err();
    assert!(e.to_string().contains("does not match"), "{e}");
    assert_eq!(names(&mut s), before, "the live data is unchanged");
    let accounts = s.read(|tx| tx.users()).unwrap();
    assert!(
        accounts.iter().all(|u| u.username != "pr"),
        "the backup's accounts are not live"
    );
    assert!(!keep.exists());
    // And the sound photo restores.
    std::fs::remove_file(&on_stick).unwrap();
    std::fs::write(&on_stick, &bytes).unwrap();
    restore(&mut s, &file, &keep).unwrap();
    assert_eq!(s.read_photo_file(&h, "jpg", false).unwrap(), bytes);
}

#[test]
fn a_backup_with_an_altered_audit_log_unknown_roles_or_bad_dates_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = live(dir.path());
    for (name, sql, says) in [
        ("audit.db", "UPDATE audit_log SET username = 'someone else';", "audit log has been altered"),
        ("roles.db", "UPDATE users SET roles = 'admin,owner' WHERE username = 'desk';", "roles Dermis does not know"),
        ("dates.db", "UPDATE patients SET date_of_birth = '1990-02-30' WHERE id = 1;", "not a date"),
        ("fk.db", "PRAGMA foreign_keys=OFF; INSERT INTO screenings (patient_id, screened_on, answers, result, recorded_by, created_at) VALUES (1, '2026-11-24', '[]', '{}', 42, '2026-11-24T12:00:00Z');", "refer to rows"),
    ] {
        let file = tampered(dir.path(), name, sql);
        assert_refused(&mut s, &file, &[says]);
    }
}

#[test]
fn the_restore_entry_is_in_the_restored_database_with_the_backups_audit_head() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = live(dir.path());
    let file = tampered(dir.path(), "good.db", "");
    let head: String = rusqlite::Connection::open(&file)
        .unwrap()
        .query_row(
            "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    restore(&mut s, &file, &dir.path().join("kept.db")).unwrap();
    let log = s.read(|tx| tx.recent_audit(10)).unwrap();
    assert_eq!(log[0].action, "restore");
    assert!(log[0].detail.contains(&head), "{}", log[0].detail);
    assert!(
        log[0].detail.contains("\"audit_entries\":1"),
        "{}",
        log[0].detail
    );
    assert!(log[0].detail.contains("good.db"));
    assert_eq!(
        s.read(|tx| tx.verify_audit_chain()).unwrap(),
        None,
        "the chain goes on unbroken"
    );
}

#[test]
fn a_swap_killed_after_its_journal_is_finished_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    {
        let mut s = store_with(dir.path(), &["Old"]);
        let new = dir.path().join("new.db");
        let mut n = Store::open(&new).unwrap();
        add(&mut n, "New");
        drop(n);
        let fresh = dir.path().join("dermis.db.dermis-tmp-1-2-3.restore");
        std::fs::rename(&new, &fresh).unwrap();
        let _ = std::fs::remove_file(dir.path().join("new.db-wal"));
        let _ = std::fs::remove_file(dir.path().join("new.db-shm"));
        std::fs::write(
            dir.path().join("dermis.db.restore-journal"),
            "dermis.db.dermis-tmp-1-2-3.restore",
        )
        .unwrap();
        add(&mut s, "Old2");
        // Killed here: the old connection never closed cleanly.
        std::mem::forget(s);
    }
    let mut s = Store::open(&db).unwrap();
    assert_eq!(names(&mut s), ["New"]);
    assert!(!dir.path().join("dermis.db.restore-journal").exists());
    // A journal naming something that is not ours is ignored (and removed).
    std::fs::write(
        dir.path().join("dermis.db.restore-journal"),
        "../../etc/passwd",
    )
    .unwrap();
    drop(s);
    let mut s = Store::open(&db).unwrap();
    assert_eq!(names(&mut s), ["New"]);
}

#[cfg(unix)]
#[test]
fn everything_dermis_writes_is_private_to_its_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("app-data");
    let mut s = store_with(&data, &["Ann"]);
    s.put_photo_files(&sha(b"p"), "jpg", b"p", b"t").unwrap();
    let backup = dermis_store::backups_dir(&data.join("dermis.db")).join("b.db");
    s.backup_to(&backup).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut seen = 0;
    let mut walk = vec![data.clone()];
    while let Some(d) = walk.pop() {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk.push(p);
            } else {
                assert_eq!(mode(&p), 0o600, "{}", p.display());
                seen += 1;
            }
        }
    }
    assert!(
        seen >= 5,
        "the database, its -wal, photo, thumbnail, backup: {seen}"
    );
}

#[test]
fn leftovers_of_killed_runs_are_cleaned_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    drop(store_with(dir.path(), &["Ann"]));
    let old = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    let ancient = std::time::SystemTime::now() - Duration::from_secs(8 * 24 * 3600);
    let touch = |p: &Path, t: std::time::SystemTime| {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"x").unwrap();
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(t)
            .unwrap();
    };
    let d = dir.path();
    let gone = [
        d.join("backups/dermis-auto-20261124-010000.db.dermis-tmp-9-0-1.partial"),
        d.join("backups/dermis-auto-20261123-010000.partial"),
        d.join("photos/ab/abcd.jpg.dermis-tmp-9-0-2.part"),
        d.join("photos/thumbs/abcd.jpg.part"),
        d.join("dermis.db.dermis-tmp-9-0-3.restore"),
        d.join("dermis.before-restore-20261101-000000.db"),
        d.join("dermis.before-restore-20261102-000000.db"),
    ];
    for p in &gone {
        touch(p, old);
    }
    let kept = [
        d.join("backups/dermis-auto-20261124-020000.db.dermis-tmp-9-0-4.partial"), // fresh: maybe running
        d.join("notes.partial"), // the user's own file beside the database
        d.join("dermis.before-restore-20261120-000000.db"), // the newest, within 7 days
    ];
    touch(&kept[0], std::time::SystemTime::now());
    touch(&kept[1], old);
    touch(&kept[2], old);
    assert_eq!(dermis_store::clean_leftovers(&db), gone.len());
    for p in &gone {
        assert!(!p.exists(), "{} was left", p.display());
    }
    for p in &kept {
        assert!(p.exists(), "{} was removed", p.display());
    }
    std::fs::File::options()
        .write(true)
        .open(&kept[2])
        .unwrap()
        .set_modified(ancient)
        .unwrap();
    assert_eq!(
        dermis_store::clean_leftovers(&db),
        1,
        "the newest copy goes after 7 days"
    );
}

#[test]
fn pruning_an_old_automatic_backup_removes_its_key_file_too() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "dermis-auto-20260101-000000.db",
        "dermis-auto-20260102-000000.db",
        "dermis-auto-20260103-000000.db",
    ];
    for n in names {
        std::fs::write(dir.path().join(n), b"x").unwrap();
        std::fs::write(dir.path().join(format!("{n}.keys")), b"{}").unwrap();
    }
    assert_eq!(dermis_store::prune_auto_backups(dir.path(), 2).unwrap(), 1);
    assert!(!dir.path().join(names[0]).exists());
    assert!(!dir.path().join(format!("{}.keys", names[0])).exists());
    for n in &names[1..] {
        assert!(dir.path().join(n).exists());
        assert!(dir.path().join(format!("{n}.keys")).exists());
    }
}
