//! Search beside other work in the same process (issue 23): what the app's
//! search box costs while another connection scans the file, and while the
//! daily backup copies and verifies it, on a demo database.
//!
//!   cargo bench -p dermis-clinic --bench beside                 # 100,000 patients
//!   DERMIS_BENCH_PATIENTS=1000000 cargo bench -p dermis-clinic --bench beside
//!
//! Phases, each timing every search alone (wall and CPU) and counting the
//! pages the app's connection had to read from the file for it
//! (`Store::take_cache_misses`, SQLite's `SQLITE_DBSTATUS_CACHE_MISS`):
//!
//! 1. `alone`: the app's connection (`Store::open`: WAL, its own 16 MB cache),
//!    warm, nothing else running;
//! 2. `beside a scanning connection`: another connection in this process reads
//!    every page of the search index and the patients table, over and over (a
//!    report, a second pool connection, the CLI linked in);
//! 3. `beside the backup`: `backup_file` (what the daily backup runs: its own
//!    connection, online copy, verification of the copy, row counts) on another
//!    thread, searches until it is done;
//! 4. through the clinic (`Clinic::search_patients` with the signed-in actor)
//!    alone, then beside `Clinic::backup` on another thread (copy, verification,
//!    the audit anchor and the last-backup record): the longest search there is
//!    the longest the app waited for the backup (the clinic's store lock and
//!    the CPU the backup took from it on this machine).
//!
//! Also timed: a copy alone (the online backup API, no verification), so the
//! backup splits into copy and verification.
//!
//! Which page cache the build has is printed: with
//! `SQLITE_ENABLE_MEMORY_MANAGEMENT` (rusqlite's default bundled build) every
//! connection in a process shares one pool and phase 2 shows page re-reads;
//! without it (.cargo/config.toml) each connection keeps its own. To measure
//! the old behaviour: `LIBSQLITE3_FLAGS= cargo bench ... --bench beside`.
//!
//! Results: target/bench-results/beside-N.{md,tsv}. Under `cargo test
//! --benches` every phase runs once on a small temporary database.

mod common;

use common::ms;
use dermis_clinic::core::search::parse;
use dermis_clinic::core::PatientSearch;
use dermis_clinic::Clinic;
use dermis_store::Store;
use rusqlite::{Connection, OpenFlags};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// A few as-you-type searches in the scripts the demo writes, a phone and a date.
const QUERIES: &[&str] = &[
    "mar",
    "mül",
    "παπ",
    "ива",
    "الخ",
    "王小",
    "612",
    "1990-05-17",
];

/// Every search of one phase: wall time, CPU time, pages read from the file.
#[derive(Default)]
struct Phase {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
    misses: Vec<i64>,
}

impl Phase {
    fn push(&mut self, wall: Duration, cpu: Duration, misses: i64) {
        self.wall.push(wall);
        self.cpu.push(cpu);
        self.misses.push(misses);
    }

    fn row(&self, name: &str, beside: &str) -> Vec<String> {
        let mut wall = self.wall.clone();
        let mut cpu = self.cpu.clone();
        wall.sort();
        cpu.sort();
        let at = |v: &[Duration], q: f64| {
            if v.is_empty() {
                return Duration::ZERO;
            }
            v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1]
        };
        let known: Vec<i64> = self.misses.iter().copied().filter(|m| *m >= 0).collect();
        let (mean, max) = if known.is_empty() {
            ("–".to_string(), "–".to_string())
        } else {
            (
                format!(
                    "{:.1}",
                    known.iter().sum::<i64>() as f64 / known.len() as f64
                ),
                known.iter().max().map_or(0, |m| *m).to_string(),
            )
        };
        vec![
            name.to_string(),
            wall.len().to_string(),
            ms(at(&wall, 0.5)),
            ms(at(&wall, 0.99)),
            ms(wall.last().copied().unwrap_or_default()),
            ms(at(&cpu, 0.99)),
            mean,
            max,
            beside.to_string(),
        ]
    }
}

/// One round of every query on the app's connection, each timed and its page reads counted.
fn store_round(store: &mut Store, phase: &mut Phase) {
    for q in QUERIES {
        let parsed = parse(q);
        store.take_cache_misses();
        let c = common::thread_cpu_time();
        let t = Instant::now();
        let page = store
            .read(|tx| tx.search_patients(&parsed, false, 0, 50))
            .expect("search");
        let wall = t.elapsed();
        let cpu = common::thread_cpu_time().saturating_sub(c);
        std::hint::black_box(page);
        phase.push(wall, cpu, store.take_cache_misses());
    }
}

/// One round through the clinic, as the app's search box calls it (no page counts there).
fn clinic_round(clinic: &Clinic, actor: &dermis_clinic::Actor, phase: &mut Phase) {
    for q in QUERIES {
        let c = common::thread_cpu_time();
        let t = Instant::now();
        let page = clinic
            .search_patients(actor, &PatientSearch::new(*q))
            .expect("search");
        let wall = t.elapsed();
        let cpu = common::thread_cpu_time().saturating_sub(c);
        std::hint::black_box(page);
        phase.push(wall, cpu, -1);
    }
}

/// Reads every page of the search index and of the patients table once.
fn scan(conn: &Connection) -> i64 {
    let terms: i64 = conn
        .query_row(
            "SELECT count(*) + sum(length(term)) FROM patient_search_terms NOT INDEXED",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    let rows: i64 = conn
        .query_row(
            "SELECT sum(length(first_name) + length(last_name) + length(phone)) FROM patients NOT INDEXED",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    terms + rows
}

/// Whether this build's SQLite shares one page-cache pool across connections.
fn shared_page_cache() -> bool {
    let Ok(conn) = Connection::open_in_memory() else {
        return false;
    };
    let opts: Vec<String> = conn
        .prepare("PRAGMA compile_options")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    opts.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT")
}

fn main() {
    let bench = common::bench_mode();
    let n = common::patients();
    let db = common::demo_db(n);
    let rounds = if bench { 100 } else { 1 };
    let load_before = common::load_average();
    let shared = shared_page_cache();
    let out_dir = tempfile::tempdir_in(db.path.parent().expect("a folder"))
        .expect("a folder for the backups");
    let bytes = std::fs::metadata(&db.path).map(|m| m.len()).unwrap_or(0);
    let dest = |name: &str| out_dir.path().join(name);

    let mut rows = Vec::new();
    let mut tsv = String::from(
        "phase\tpatients\tsearches\tmedian_ms\tp99_ms\tmax_ms\tcpu_p99_ms\tmisses_mean\tmisses_max\tbeside\n",
    );
    let mut add = |name: &str, phase: &Phase, beside: String| {
        let r = phase.row(name, &beside);
        tsv.push_str(&format!(
            "{}\t{n}\t{}\n",
            r[0],
            r[1..].join("\t").replace('|', "/")
        ));
        rows.push(r);
    };

    // 1. Alone.
    let mut app = Store::open(&db.path).expect("open the app's connection");
    for _ in 0..3 {
        store_round(&mut app, &mut Phase::default());
    }
    let mut alone = Phase::default();
    for _ in 0..rounds {
        store_round(&mut app, &mut alone);
    }
    add("alone", &alone, String::new());

    // 2. Beside a connection that scans the whole file, in this process.
    let stop = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = mpsc::channel();
    let scanner = {
        let stop = stop.clone();
        let path = db.path.clone();
        std::thread::spawn(move || {
            let conn = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .expect("open the scanning connection");
            let mut scans = 0u32;
            loop {
                std::hint::black_box(scan(&conn));
                scans += 1;
                if scans == 1 {
                    let _ = ready_tx.send(());
                }
                if stop.load(Ordering::Relaxed) {
                    return scans;
                }
            }
        })
    };
    let _ = ready_rx.recv();
    let mut beside_scan = Phase::default();
    for _ in 0..rounds {
        store_round(&mut app, &mut beside_scan);
    }
    stop.store(true, Ordering::Relaxed);
    let scans = scanner.join().expect("the scanning thread");
    add(
        "beside a scanning connection",
        &beside_scan,
        format!("{scans} full scans"),
    );

    // 3. Beside the backup (backup_file: its own connection, copy, verification).
    store_round(&mut app, &mut Phase::default());
    let backup = {
        let path = db.path.clone();
        let to = dest("store-backup.db");
        std::thread::spawn(move || {
            let t = Instant::now();
            dermis_store::backup_file(&path, &to).expect("backup");
            t.elapsed()
        })
    };
    let mut beside_backup = Phase::default();
    while !backup.is_finished() {
        store_round(&mut app, &mut beside_backup);
    }
    let backup_took = backup.join().expect("the backup thread");
    let _ = std::fs::remove_file(dest("store-backup.db"));
    add(
        "beside the backup (`backup_file`)",
        &beside_backup,
        format!("backup {:.2} s", backup_took.as_secs_f64()),
    );
    drop(app);

    // The copy alone (no verification), for the split.
    let copy_took = {
        let src = Connection::open_with_flags(
            &db.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .expect("open for the copy");
        let mut out = Connection::open(dest("copy-only.db")).expect("the copy");
        let t = Instant::now();
        rusqlite::backup::Backup::new(&src, &mut out)
            .and_then(|b| b.run_to_completion(1024, Duration::ZERO, None))
            .expect("copy");
        let took = t.elapsed();
        drop(out);
        let _ = std::fs::remove_file(dest("copy-only.db"));
        took
    };

    // 4. Through the clinic: alone, then beside Clinic::backup.
    let clinic = Arc::new(Clinic::open(&db.path).expect("open the clinic"));
    let actor = common::login(&clinic);
    for _ in 0..3 {
        clinic_round(&clinic, &actor, &mut Phase::default());
    }
    let mut clinic_alone = Phase::default();
    for _ in 0..rounds {
        clinic_round(&clinic, &actor, &mut clinic_alone);
    }
    add("clinic, alone", &clinic_alone, String::new());
    let clinic_backup = {
        let clinic = clinic.clone();
        let actor = actor.clone();
        let to = dest("clinic-backup.db");
        std::thread::spawn(move || {
            let t = Instant::now();
            clinic.backup(&actor, &to).expect("backup");
            t.elapsed()
        })
    };
    let mut clinic_beside = Phase::default();
    while !clinic_backup.is_finished() {
        clinic_round(&clinic, &actor, &mut clinic_beside);
    }
    let clinic_took = clinic_backup.join().expect("the backup thread");
    add(
        "clinic, beside `Clinic::backup`",
        &clinic_beside,
        format!("backup {:.2} s", clinic_took.as_secs_f64()),
    );

    let md = format!(
        "Search beside other work in the process, {n} patients ({:.1} MB file); SQLite {} \
         (page cache {}); 1-minute load average {load_before} before, {} after. \
         The backup's copy alone (online backup API, no verification): {:.2} s; \
         `backup_file` (copy + verification): {:.2} s. \"max ms\" beside the backup \
         is the longest the search box waited while it ran.\n\n{}",
        bytes as f64 / 1e6,
        rusqlite::version(),
        if shared {
            "shared by every connection: built with SQLITE_ENABLE_MEMORY_MANAGEMENT"
        } else {
            "per connection: built without SQLITE_ENABLE_MEMORY_MANAGEMENT"
        },
        common::load_average(),
        copy_took.as_secs_f64(),
        backup_took.as_secs_f64(),
        common::table(
            &[
                "search",
                "searches",
                "median ms",
                "p99 ms",
                "max ms",
                "p99 CPU ms",
                "pages read / search (mean)",
                "(max)",
                "beside"
            ],
            &rows
        )
    );
    println!("\n{md}");
    let tag = if shared { "-shared" } else { "" };
    common::write_result(&format!("beside-{n}{tag}.md"), &md);
    common::write_result(&format!("beside-{n}{tag}.tsv"), &tsv);
}
