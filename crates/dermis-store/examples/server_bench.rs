//! Patient search on the clinic server beside the SQLite file, on the same
//! generated clinic, through the store API (`Tx::search_patients`, what
//! dermis-clinic's search calls), over loopback TCP.
//!
//!   URL="$(scripts/pg-throwaway.sh start /tmp/dermis-pg)"
//!   DERMIS_BENCH_SERVER="$URL" cargo run --release -p dermis-store --example server_bench
//!   scripts/pg-throwaway.sh stop /tmp/dermis-pg
//!
//! `DERMIS_BENCH_PATIENTS` (default 100,000) patients with names in Latin,
//! accented Latin, Greek, Cyrillic, Arabic and CJK scripts, phone numbers and
//! dates of birth are written to an SQLite file, which is then copied onto a
//! fresh database of the server (`Store::copy_to_server`, what `dermis copy`
//! does). Each query kind of BENCHMARKS.md is then timed alone, 300 times per
//! backend after 10 warm-up calls, first page of 50. Printed: median and
//! 99th percentile per query and backend, the copy, and open-to-first-search.

use dermis_core::search::parse;
use dermis_core::{validate, PatientInput};
use dermis_store::{Store, StoreError};
use std::time::{Duration, Instant};

const FIRST: &[&str] = &[
    "Maria",
    "Mario",
    "Martin",
    "Marta",
    "Anna",
    "José",
    "Jürgen",
    "Zoë",
    "Chloé",
    "Søren",
    "Γιώργος",
    "Μαρία",
    "Ελένη",
    "Алёна",
    "Иван",
    "Мария",
    "محمد",
    "فاطمة",
    "小明",
    "さくら",
];
const LAST: &[&str] = &[
    "Martin",
    "Müller",
    "Núñez",
    "García",
    "O'Brien",
    "Rossi",
    "Dubois",
    "Schäfer",
    "Øster",
    "Παπαδόπουλος",
    "Παπάς",
    "Ιωάννου",
    "Иванов",
    "Фёдорова",
    "Петров",
    "الخطيب",
    "الحسن",
    "王",
    "佐藤",
    "김",
];

const QUERIES: &[&str] = &[
    "m",
    "ma",
    "mar",
    "martin",
    "ü",
    "mü",
    "mül",
    "müller",
    "π",
    "πα",
    "παπ",
    "παπαδό",
    "и",
    "ив",
    "ива",
    "иванов",
    "ا",
    "ال",
    "الخ",
    "الخطيب",
    "王",
    "王小",
    "王小明",
    "佐藤 さくら",
    "6",
    "61",
    "612",
    "612345",
    "1990-05-17",
    "17/05/1990",
    "",
    "P-000042",
    "zzzzzz",
];

fn lcg(x: &mut u64) -> u64 {
    *x = x
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *x >> 33
}

fn generate(s: &mut Store, n: usize) -> Result<(), StoreError> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
    let mut seed = 1u64;
    let mut done = 0;
    while done < n {
        let chunk = (n - done).min(10_000);
        let mut batch = Vec::with_capacity(chunk);
        for _ in 0..chunk {
            let f = FIRST[lcg(&mut seed) as usize % FIRST.len()];
            let l = LAST[lcg(&mut seed) as usize % LAST.len()];
            let dob = format!(
                "{}-{:02}-{:02}",
                1940 + lcg(&mut seed) % 66,
                1 + lcg(&mut seed) % 12,
                1 + lcg(&mut seed) % 28
            );
            let phone = format!(
                "+34 6{:02} {:03} {:03}",
                lcg(&mut seed) % 100,
                lcg(&mut seed) % 1000,
                lcg(&mut seed) % 1000
            );
            let input = PatientInput {
                first_name: f.into(),
                last_name: l.into(),
                date_of_birth: dob,
                phone,
                ..Default::default()
            };
            if let Ok(v) = validate::patient(&input, today) {
                batch.push(v);
            }
        }
        s.write(|tx| -> Result<(), StoreError> {
            for v in &batch {
                tx.insert_patient(v, "2026-11-24T12:00:00Z")?;
            }
            Ok(())
        })?;
        done += chunk;
    }
    Ok(())
}

fn time_search(s: &mut Store, q: &str) -> Result<(Duration, Duration, usize), StoreError> {
    let parsed = parse(q);
    let mut found = 0;
    for _ in 0..10 {
        found = s
            .read(|tx| tx.search_patients(&parsed, false, 0, 50))?
            .items
            .len();
    }
    let mut times = Vec::with_capacity(300);
    for _ in 0..300 {
        let t = Instant::now();
        let page = s.read(|tx| tx.search_patients(&parsed, false, 0, 50))?;
        times.push(t.elapsed());
        std::hint::black_box(page);
    }
    times.sort();
    Ok((times[times.len() / 2], times[times.len() * 99 / 100], found))
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::var("DERMIS_BENCH_PATIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let admin = std::env::var("DERMIS_BENCH_SERVER")
        .map_err(|_| "set DERMIS_BENCH_SERVER to a superuser URL of a throwaway cluster (scripts/pg-throwaway.sh start DIR)")?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let mut file = Store::open(&path)?;
    let t = Instant::now();
    generate(&mut file, n)?;
    eprintln!(
        "generated {n} patients in SQLite in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let db = format!("dermis_bench_{}", std::process::id());
    let mut su = postgres::Client::connect(&admin, postgres::NoTls)?;
    su.batch_execute(&format!("CREATE DATABASE {db}"))?;
    let base = admin.split('?').next().unwrap_or(&admin);
    let url = format!("{}/{db}", &base[..base.rfind('/').unwrap_or(base.len())]);
    let mut server = Store::open_pg(&url, None)?;
    let t = Instant::now();
    let report = server_copy(&mut file, &mut server)?;
    let copy = t.elapsed();
    assert!(report.matches(), "the copy differs: {report:?}");
    let rows: i64 = report.tables.iter().map(|r| r.2).sum();
    drop(server);
    let mut conn = postgres::Client::connect(&url, postgres::NoTls)?;
    conn.batch_execute("VACUUM ANALYZE")?;
    drop(conn);

    // Open to first search, each backend.
    drop(file);
    let t = Instant::now();
    let mut file = Store::open(&path)?;
    file.read(|tx| tx.search_patients(&parse("mar"), false, 0, 50))?;
    let open_file = t.elapsed();
    let t = Instant::now();
    let mut server = Store::open_pg(&url, None)?;
    server.read(|tx| tx.search_patients(&parse("mar"), false, 0, 50))?;
    let open_server = t.elapsed();

    println!("{n} patients; copy to the server: {:.1} s ({rows} rows); open to first search: SQLite {} ms, server {} ms\n", copy.as_secs_f64(), ms(open_file), ms(open_server));
    println!("| query | found | SQLite median (p99) ms | server median (p99) ms | server/SQLite median |");
    println!("|---|---|---|---|---|");
    let mut worst = Duration::ZERO;
    for q in QUERIES {
        let (fm, f99, ff) = time_search(&mut file, q)?;
        let (sm, s99, sf) = time_search(&mut server, q)?;
        assert_eq!(ff, sf, "both backends find the same page for {q:?}");
        worst = worst.max(s99);
        println!(
            "| `{q}` | {sf} | {} ({}) | {} ({}) | ×{:.1} |",
            ms(fm),
            ms(f99),
            ms(sm),
            ms(s99),
            sm.as_secs_f64() / fm.as_secs_f64().max(1e-9)
        );
    }
    println!("\nworst server p99: {} ms (budget 5 ms)", ms(worst));

    // Backup + verification, each backend: the SQLite online copy checked
    // (integrity, counts, audit head) and the server's pg_dump checked by a
    // scratch restore (counts, audit head), as `dermis backup` makes them.
    let out = tempfile::tempdir()?;
    drop(file);
    let t = Instant::now();
    dermis_store::backup_file(&path, &out.path().join("bench-backup.db"))?;
    let backup_file = t.elapsed();
    let t = Instant::now();
    let (_, public) = dermis_store::new_dump_key_pair();
    server.backup_server(&out.path().join("bench.dump"), None, &public)?;
    let backup_server = t.elapsed();
    println!(
        "backup + verification: SQLite {:.2} s, server {:.2} s (server/SQLite ×{:.1})",
        backup_file.as_secs_f64(),
        backup_server.as_secs_f64(),
        backup_server.as_secs_f64() / backup_file.as_secs_f64().max(1e-9)
    );
    drop(server);
    if std::env::var_os("DERMIS_BENCH_KEEP").is_none() {
        su.batch_execute(&format!("DROP DATABASE {db}"))?;
    } else {
        eprintln!("kept database {db}");
    }
    Ok(())
}

fn server_copy(
    file: &mut Store,
    server: &mut Store,
) -> Result<dermis_store::CopyReport, StoreError> {
    file.copy_to_server(server)
}
