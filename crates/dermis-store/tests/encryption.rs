//! Encryption at rest (issue 21): a database opened with a key is SQLCipher-
//! encrypted, its WAL and its backups too; one opened without a key is
//! plain SQLite exactly as before. SQLite only (the clinic server's data at
//! rest is the server's disk encryption).

use chrono::NaiveDate;
use dermis_core::{validate, PatientInput};
use dermis_store::{
    cipher_version, export_encrypted, file_looks_plaintext, inspect_encrypted, CipherKey, Store,
    StoreError,
};
use std::path::Path;

const NOW: &str = "2026-11-24T12:00:00Z";
/// A surname no page of SQLite's own would contain.
const NAME: &str = "Zqxwvandermeer";
const KEY: [u8; 32] = [7u8; 32];

fn add(s: &mut Store, first: &str) {
    let v = validate::patient(
        &PatientInput {
            first_name: first.into(),
            last_name: NAME.into(),
            date_of_birth: "1990-01-01".into(),
            ..Default::default()
        },
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )
    .unwrap();
    s.write(|tx| tx.insert_patient(&v, NOW)).unwrap();
}

fn count(s: &mut Store) -> usize {
    s.read(|tx| tx.search_patients(&dermis_core::search::parse(""), true, 0, 100))
        .unwrap()
        .items
        .len()
}

/// The bytes of `path`, if it exists.
fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Nothing in `path` reads as plaintext: no SQLite header, no patient name
/// (as UTF-8 or in any case), no schema text.
fn assert_unreadable(path: &Path) {
    let b = bytes(path);
    assert!(!b.is_empty(), "{} is empty", path.display());
    assert!(
        !contains(&b, b"SQLite format 3"),
        "{} has the SQLite header",
        path.display()
    );
    assert!(
        !contains(&b, NAME.as_bytes()),
        "{} holds the name",
        path.display()
    );
    assert!(
        !contains(&b, NAME.to_lowercase().as_bytes()),
        "{} holds the folded name",
        path.display()
    );
    assert!(
        !contains(&b, b"CREATE TABLE"),
        "{} holds the schema",
        path.display()
    );
}

#[test]
fn an_unkeyed_database_is_plain_sqlite_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let mut s = Store::open(&db).unwrap();
    add(&mut s, "Ana");
    assert!(!s.is_encrypted());
    drop(s);
    assert!(file_looks_plaintext(&db));
    assert!(contains(&bytes(&db), NAME.as_bytes()));
    // Any other SQLite reads it without a key.
    let c = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM patients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // And this build is SQLCipher (the key pragma exists).
    assert!(cipher_version(&c).is_some());
}

#[test]
fn nothing_in_an_encrypted_database_or_its_wal_reads_as_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let mut s = Store::open_encrypted(&db, &KEY).unwrap();
    assert!(s.is_encrypted());
    for first in ["Ana", "Bea", "Cyd"] {
        add(&mut s, first);
    }
    // While open: the WAL holds the newest pages, encrypted too.
    let wal = dir.path().join("dermis.db-wal");
    assert!(!bytes(&wal).is_empty(), "the WAL is in use");
    assert!(!contains(&bytes(&wal), NAME.as_bytes()));
    drop(s);
    assert_unreadable(&db);
    assert!(!file_looks_plaintext(&db));
    let mut again = Store::open_encrypted(&db, &KEY).unwrap();
    assert_eq!(count(&mut again), 3);
}

#[test]
fn a_wrong_key_or_no_key_opens_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let mut s = Store::open_encrypted(&db, &KEY).unwrap();
    add(&mut s, "Ana");
    drop(s);
    let before = bytes(&db);
    let mut wrong = KEY;
    wrong[31] ^= 1;
    assert!(matches!(
        Store::open_encrypted(&db, &wrong),
        Err(StoreError::WrongKey)
    ));
    // Without a key: an error, not a panic, not an empty database made over it.
    assert!(Store::open(&db).is_err());
    assert_eq!(bytes(&db), before, "a failed open changed nothing");
    // A plaintext database opened as an encrypted one is refused too.
    let plain = dir.path().join("plain.db");
    drop(Store::open(&plain).unwrap());
    assert!(matches!(
        Store::open_encrypted(&plain, &KEY),
        Err(StoreError::WrongKey)
    ));
    assert!(file_looks_plaintext(&plain));
}

#[test]
fn a_backup_of_an_encrypted_database_is_encrypted_with_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let mut s = Store::open_encrypted(&db, &KEY).unwrap();
    add(&mut s, "Ana");
    add(&mut s, "Bea");
    let out = dir.path().join("backups").join("b.db");
    let info = s.backup_to(&out).unwrap();
    assert_eq!(info.patients, 2);
    assert_unreadable(&out);
    // The daily backup's path (its own connection) too.
    let out2 = dir.path().join("backups").join("b2.db");
    let info2 = dermis_store::backup_file_keyed(&db, &out2, s.cipher_key()).unwrap();
    assert_eq!(info2.patients, 2);
    assert_unreadable(&out2);
    let r = inspect_encrypted(&out2, &CipherKey::new(&KEY)).unwrap();
    assert!(r.counts.contains(&("patients".to_string(), 2)));
    let mut wrong = KEY;
    wrong[0] ^= 1;
    assert!(inspect_encrypted(&out2, &CipherKey::new(&wrong)).is_err());
    let mut opened = Store::open_encrypted(&out, &KEY).unwrap();
    assert_eq!(count(&mut opened), 2);
}

#[test]
fn sqlcipher_export_copies_every_row_and_the_audit_head() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let mut s = Store::open(&db).unwrap();
    for first in ["Ana", "Bea", "Cyd", "Dot"] {
        add(&mut s, first);
    }
    s.write(|tx| {
        tx.append_audit(&dermis_store::AuditEntry {
            at: NOW.into(),
            user_id: None,
            username: "boss".into(),
            action: "test".into(),
            entity: "x".into(),
            entity_id: "1".into(),
            detail: String::new(),
        })
    })
    .unwrap();
    let head = s.audit_head().unwrap();
    drop(s);
    let enc = dir.path().join("dermis.db.encrypting");
    let key = CipherKey::new(&KEY);
    let r = export_encrypted(&db, &enc, &key).unwrap();
    assert_eq!(r.audit, head);
    assert!(r.counts.contains(&("patients".to_string(), 4)));
    assert_eq!(r.schema_version, dermis_store::SCHEMA_VERSION);
    assert_unreadable(&enc);
    // The plaintext source is untouched; the copy opens as a store, migrated already.
    assert!(file_looks_plaintext(&db));
    let mut opened = Store::open_encrypted(&enc, &KEY).unwrap();
    assert_eq!(count(&mut opened), 4);
    assert_eq!(opened.audit_head().unwrap(), head);
    drop(opened);
    // Exporting over an existing file is refused, the file untouched.
    let before = bytes(&enc);
    assert!(export_encrypted(&db, &enc, &key).is_err());
    assert_eq!(bytes(&enc), before);
}

/// A first figure, encrypted beside plaintext (debug build, so absolute
/// times are high; the ratio is the point): open, and search p50/p99 over
/// `DERMIS_BENCH_PATIENTS` (default 20,000) patients. Run with
/// `cargo test -p dermis-store --test encryption -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_open_and_search_encrypted_beside_plaintext() {
    let n: usize = std::env::var("DERMIS_BENCH_PATIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let firsts = [
        "Ana", "Bea", "Cyd", "Dot", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo",
    ];
    let lasts = [
        "Lee", "Ng", "Smith", "Garcia", "Novak", "Okafor", "Rossi", "Silva", "Kim", "Ward",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut report = vec![];
    for encrypted in [false, true] {
        let db = dir
            .path()
            .join(if encrypted { "enc.db" } else { "plain.db" });
        let open = |db: &Path| {
            if encrypted {
                Store::open_encrypted(db, &KEY).unwrap()
            } else {
                Store::open(db).unwrap()
            }
        };
        let mut s = open(&db);
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        s.write(|tx| -> Result<(), StoreError> {
            for i in 0..n {
                let v = validate::patient(
                    &PatientInput {
                        first_name: format!("{}{}", firsts[i % 10], i % 97),
                        last_name: format!("{}{}", lasts[(i / 10) % 10], i % 89),
                        date_of_birth: "1990-01-01".into(),
                        ..Default::default()
                    },
                    today,
                )
                .unwrap();
                tx.insert_patient(&v, NOW)?;
            }
            Ok(())
        })
        .unwrap();
        drop(s);
        let mut opens = vec![];
        for _ in 0..20 {
            let t = std::time::Instant::now();
            let s = open(&db);
            opens.push(t.elapsed());
            drop(s);
        }
        let mut s = open(&db);
        let mut times = vec![];
        for i in 0..300 {
            let q = format!("{} {}", lasts[i % 10], firsts[(i / 10) % 10]);
            let t = std::time::Instant::now();
            let _ = s
                .read(|tx| tx.search_patients(&dermis_core::search::parse(&q), true, 0, 50))
                .unwrap();
            times.push(t.elapsed());
        }
        drop(s);
        // Backup + verification (the copy checked as a restore would), through
        // its own connection as the daily backup does.
        let mut backups = vec![];
        for round in 0..3 {
            let dest = dir.path().join(format!(
                "b-{}-{round}.db",
                if encrypted { "enc" } else { "plain" }
            ));
            let key = dermis_store::CipherKey::new(&KEY);
            let t = std::time::Instant::now();
            dermis_store::backup_file_keyed(&db, &dest, encrypted.then_some(&key)).unwrap();
            backups.push(t.elapsed());
        }
        backups.sort();
        times.sort();
        opens.sort();
        let pct = |v: &[std::time::Duration], p: f64| {
            v[((v.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1e3
        };
        report.push((
            encrypted,
            pct(&opens, 0.5),
            pct(&times, 0.5),
            pct(&times, 0.99),
            pct(&backups, 0.5),
        ));
    }
    for (enc, open_p50, p50, p99, backup) in &report {
        eprintln!(
            "{} patients, {}: open p50 {open_p50:.2} ms, search p50 {p50:.3} ms, p99 {p99:.3} ms, backup + verification p50 {backup:.0} ms",
            n,
            if *enc { "encrypted" } else { "plaintext" }
        );
    }
}
