//! Opening the clinic database (`Clinic::open`: open, pragmas, the migration
//! check; what the app and the command line do first) and the backup with
//! its verification (`Clinic::backup`: the file's bytes under the write lock,
//! integrity check and row counts of the copy, the audit entry), on a demo
//! database.
//!
//!   cargo bench -p dermis-clinic --bench database            # 100,000 patients
//!
//! With `DERMIS_BENCH_BACKUP_RUNS=k` the backup is timed over k plain calls
//! instead of criterion's samples (scale runs on 1,000,000 patients).
//!
//! Every call is timed alone; median and 99th percentile go to
//! target/bench-results/database-N.{md,tsv}.

mod common;

use common::{ms, Recorder};
use criterion::{Criterion, SamplingMode};
use dermis_clinic::Clinic;
use std::time::{Duration, Instant};

const OPEN_BUDGET: Duration = Duration::from_millis(100);
const BACKUP_BUDGET: Duration = Duration::from_secs(2);

fn main() {
    let n = common::patients();
    let db = common::demo_db(n);
    let out_dir = tempfile::tempdir_in(db.path.parent().expect("a folder"))
        .expect("a folder for the backups");
    let rec = Recorder::default();
    let load_before = common::load_average();

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10)
        .configure_from_args();
    let mut g = c.benchmark_group("database");
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("open", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // The connection is closed outside the timed part.
                let mut kept = None;
                total += rec.time("database/open", 1, || {
                    kept = Some(Clinic::open(&db.path).expect("open"));
                });
                drop(kept);
            }
            total
        })
    });
    let clinic = Clinic::open(&db.path).expect("open");
    let actor = common::login(&clinic);
    // Big databases (scripts/bench.sh's scale runs): a few plain calls instead
    // of criterion's ten samples, set by DERMIS_BENCH_BACKUP_RUNS.
    let plain_runs: Option<u64> = std::env::var("DERMIS_BENCH_BACKUP_RUNS")
        .ok()
        .and_then(|v| v.parse().ok());
    let backup_once = |k: u64| {
        let dest = out_dir.path().join(format!("backup-{k}.db"));
        let d = rec.time("database/backup", 1, || {
            clinic.backup(&actor, &dest).expect("backup")
        });
        let _ = std::fs::remove_file(&dest);
        d
    };
    let mut k = 0u64;
    match plain_runs {
        Some(runs) if common::bench_mode() => {
            for _ in 0..runs {
                k += 1;
                backup_once(k);
            }
        }
        _ => {
            g.bench_function("backup", |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        k += 1;
                        total += backup_once(k);
                    }
                    total
                })
            });
        }
    }
    g.finish();
    c.final_summary();

    // The phases of one open, for the notes (one cold-ish run after the others).
    let t = Instant::now();
    let probe = Clinic::open(&db.path).expect("open");
    let open_once = t.elapsed();
    drop(probe);
    let bytes = std::fs::metadata(&db.path).map(|m| m.len()).unwrap_or(0);

    let mut rows = Vec::new();
    let mut tsv =
        String::from("what\tpatients\tmedian_ms\tp99_ms\tcpu_p99_ms\tcalls\tbudget_ms\tdb_bytes\n");
    for (id, what, budget) in [
        (
            "database/open",
            "open + migrations (`Clinic::open`)",
            OPEN_BUDGET,
        ),
        (
            "database/backup",
            "backup + verification (`Clinic::backup`)",
            BACKUP_BUDGET,
        ),
    ] {
        let Some(s) = rec.stats(id) else { continue };
        rows.push(vec![
            what.to_string(),
            ms(s.median),
            ms(s.p99),
            ms(s.cpu_p99),
            s.calls.to_string(),
            format!("≤ {}", ms(budget)),
            common::verdict(&s, budget),
        ]);
        tsv.push_str(&format!(
            "{id}\t{n}\t{}\t{}\t{}\t{}\t{}\t{bytes}\n",
            ms(s.median),
            ms(s.p99),
            ms(s.cpu_p99),
            s.calls,
            ms(budget)
        ));
    }
    let md = format!(
        "Database, {n} patients ({:.1} MB file; one extra open took {} ms; \
         1-minute load average {load_before} before, {} after):\n\n{}",
        bytes as f64 / 1e6,
        ms(open_once),
        common::load_average(),
        common::table(
            &[
                "operation",
                "median ms",
                "p99 ms",
                "p99 CPU ms",
                "calls",
                "budget ms",
                "budget"
            ],
            &rows
        )
    );
    println!("\n{md}");
    common::write_result(&format!("database-{n}.md"), &md);
    common::write_result(&format!("database-{n}.tsv"), &tsv);
}
