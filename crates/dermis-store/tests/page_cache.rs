//! No other connection in the process can evict the app connection's page
//! cache: a search that was warm stays warm while another connection scans a
//! file several times larger than every cache together (what the daily backup
//! and its verification do beside the app).

use chrono::NaiveDate;
use dermis_core::search::parse;
use dermis_core::{validate, PatientInput};
use dermis_store::Store;
use rusqlite::Connection;

const NOW: &str = "2026-11-24T12:00:00Z";
const QUERIES: &[&str] = &["ma", "mar", "jo", "müll", "1941-02-02", "612"];

fn clinic_with_patients(path: &std::path::Path, n: usize) -> Store {
    let mut s = Store::open(path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let first = ["Maria", "José", "Jürgen", "Marta", "Joana", "Mario"];
    let last = [
        "Müller",
        "Garcia",
        "Martin",
        "Johansson",
        "Marquez",
        "Jones",
    ];
    s.write(|tx| -> Result<(), dermis_store::StoreError> {
        for i in 0..n {
            let v = validate::patient(
                &PatientInput {
                    first_name: format!("{}{}", first[i % 6], i % 97),
                    last_name: format!("{}{}", last[i % 6], i / 6),
                    date_of_birth: format!("{}-{:02}-{:02}", 1940 + i % 60, 1 + i % 12, 1 + i % 28),
                    phone: format!("+34 612 {:06}", i),
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
    s
}

fn run_searches(s: &mut Store) {
    for q in QUERIES {
        let page = s
            .read(|tx| tx.search_patients(&parse(q), false, 0, 50))
            .unwrap();
        assert!(!page.items.is_empty(), "{q:?} finds someone");
    }
}

#[test]
fn a_scanning_connection_in_the_same_process_does_not_evict_the_search_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = clinic_with_patients(&dir.path().join("dermis.db"), 4000);
    run_searches(&mut app);
    run_searches(&mut app);
    app.take_cache_misses();
    run_searches(&mut app);
    assert_eq!(app.take_cache_misses(), 0, "the searches are warm");

    // Another connection in this process reads a 40 MB file end to end:
    // more than the app's cache and its own together.
    let other = Connection::open(dir.path().join("scratch.db")).unwrap();
    other
        .execute_batch(
            "CREATE TABLE filler(b BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
             INSERT INTO filler SELECT zeroblob(4000) FROM n;",
        )
        .unwrap();
    for _ in 0..2 {
        let total: i64 = other
            .query_row("SELECT sum(length(b)) FROM filler", [], |r| r.get(0))
            .unwrap();
        assert_eq!(total, 40_000_000);
    }

    run_searches(&mut app);
    assert_eq!(
        app.take_cache_misses(),
        0,
        "the app connection re-read pages another connection had evicted: \
         SQLite's page cache is shared across connections again \
         (SQLITE_ENABLE_MEMORY_MANAGEMENT; see .cargo/config.toml)"
    );
}

/// The patient list (an empty search, the Patients screen's first view)
/// reads one page of patients in name order, not all of them: with the
/// index on `merged_into` that migration 0007 made, SQLite read every
/// patient through it and sorted them all (migration 0010 fixed it).
#[test]
fn the_patient_list_reads_a_page_of_patients_not_all_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dermis.db");
    drop(clinic_with_patients(&path, 4000));
    let mut s = Store::open(&path).unwrap();
    s.take_cache_misses();
    let page = s
        .read(|tx| tx.search_patients(&parse(""), false, 0, 50))
        .unwrap();
    assert_eq!(page.items.len(), 50);
    let pages_read = s.take_cache_misses();
    let all: i64 = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM dbstat WHERE name = 'patients'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    assert!(
        pages_read < 40,
        "the first page of the list read {pages_read} pages (the patients table has {all})"
    );
}
