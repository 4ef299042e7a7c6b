//! As-you-type patient search through dermis-clinic (`Clinic::search_patients`
//! with a signed-in actor, exactly what the app's search box calls) on a
//! demo database, beside a plain `LIKE '%q%'` scan of the same `patients`
//! table as the baseline. The baseline SQL lives here, in the bench, on its
//! own read-only rusqlite connection: it is not product code.
//!
//!   cargo bench -p dermis-clinic --bench search                 # 100,000 patients
//!   DERMIS_BENCH_PATIENTS=1000000 cargo bench -p dermis-clinic --bench search -- search/dermis
//!
//! `DERMIS_BENCH_BASELINE=0` leaves the baseline out.
//!
//! Besides criterion's report, every call is timed alone; the median and 99th
//! percentile per query go to target/bench-results/search-N.{md,tsv}.

mod common;

use common::{ms, Recorder};
use criterion::{BenchmarkId, Criterion, SamplingMode};
use dermis_clinic::core::PatientSearch;
use dermis_clinic::Clinic;
use rusqlite::{Connection, OpenFlags};
use std::time::Duration;

/// p99 budget for one search call.
const BUDGET: Duration = Duration::from_millis(5);

/// (kind, label, query): 1, 2, 3 and 6 characters in each script the demo
/// generator writes, phone digits, dates of birth, and a few others.
const QUERIES: &[(&str, &str, &str)] = &[
    ("Latin", "latin-1", "m"),
    ("Latin", "latin-2", "ma"),
    ("Latin", "latin-3", "mar"),
    ("Latin", "latin-6", "martin"),
    ("accented", "accented-1", "ü"),
    ("accented", "accented-2", "mü"),
    ("accented", "accented-3", "mül"),
    ("accented", "accented-6", "müller"),
    ("Greek", "greek-1", "π"),
    ("Greek", "greek-2", "πα"),
    ("Greek", "greek-3", "παπ"),
    ("Greek", "greek-6", "παπαδό"),
    ("Cyrillic", "cyrillic-1", "и"),
    ("Cyrillic", "cyrillic-2", "ив"),
    ("Cyrillic", "cyrillic-3", "ива"),
    ("Cyrillic", "cyrillic-6", "иванов"),
    ("Arabic", "arabic-1", "ا"),
    ("Arabic", "arabic-2", "ال"),
    ("Arabic", "arabic-3", "الخ"),
    ("Arabic", "arabic-6", "الخطيب"),
    ("CJK", "cjk-1", "王"),
    ("CJK", "cjk-2", "王小"),
    ("CJK", "cjk-3", "王小明"),
    ("CJK", "cjk-6", "佐藤 さくら"),
    ("phone digits", "phone-1", "6"),
    ("phone digits", "phone-2", "61"),
    ("phone digits", "phone-3", "612"),
    ("phone digits", "phone-6", "612345"),
    ("date of birth", "dob-iso", "1990-05-17"),
    ("date of birth", "dob-dmy", "17/05/1990"),
    ("other", "list", ""),
    ("other", "number", "P-000042"),
    ("other", "nomatch-6", "zzzzzz"),
];

/// The baseline: what a first version would do — `LIKE '%q%'` over the name,
/// phone and date-of-birth columns of `patients`, first page in list order
/// (the `sort_key` index lets it stop once it has a page).
const LIKE_SQL: &str =
    "SELECT id, number_seq, first_name, last_name, date_of_birth, phone, archived
     FROM patients
     WHERE archived = 0
       AND (first_name || ' ' || last_name LIKE ?1 OR phone LIKE ?1 OR date_of_birth LIKE ?1)
     ORDER BY sort_key, id
     LIMIT ?2";

fn like_scan(conn: &Connection, q: &str, limit: u32) -> usize {
    let pattern = format!(
        "%{}%",
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let sql = LIKE_SQL.replace("LIKE ?1", "LIKE ?1 ESCAPE '\\'");
    let mut st = conn
        .prepare_cached(&sql)
        .expect("prepare the LIKE baseline");
    let rows = st
        .query_map(rusqlite::params![pattern, limit + 1], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })
        .expect("run the LIKE baseline");
    rows.map(|r| r.expect("a row")).take(limit as usize).count()
}

fn main() {
    let n = common::patients();
    let db = common::demo_db(n);
    let clinic = Clinic::open(&db.path).expect("open the demo database");
    let actor = common::login(&clinic);
    let limit = PatientSearch::new("").limit;
    // DERMIS_BENCH_BASELINE=0 leaves the LIKE scan out (scale runs: seconds per call at 1,000,000).
    let baseline = !matches!(std::env::var("DERMIS_BENCH_BASELINE").as_deref(), Ok("0"));
    let rec = Recorder::default();
    let load_before = common::load_average();

    let at = |label: &str| QUERIES.iter().position(|(_, l, _)| *l == label).unwrap();

    // What each finds (one page at most), for the table and the smoke check.
    let mine: Vec<usize> = QUERIES
        .iter()
        .map(|(_, _, q)| {
            clinic
                .search_patients(&actor, &PatientSearch::new(*q))
                .expect("search")
                .items
                .len()
        })
        .collect();
    assert!(mine[at("latin-2")] > 0 && mine[at("list")] > 0, "{mine:?}");
    assert_eq!(mine[at("nomatch-6")], 0, "{mine:?}");

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
        .configure_from_args();
    {
        let mut g = c.benchmark_group("search");
        for (_, label, q) in QUERIES {
            let id = format!("search/dermis/{label}");
            g.bench_function(BenchmarkId::new("dermis", label), |b| {
                b.iter_custom(|iters| {
                    rec.time(&id, iters, || {
                        clinic
                            .search_patients(&actor, &PatientSearch::new(*q))
                            .expect("search")
                    })
                })
            });
        }
        g.finish();
    }
    // The baseline's connection is opened only now: while a second connection
    // that has read the file is open, the Clinic's searches run ~3× slower
    // (0.07 → 0.2 ms median on 100,000 patients; BENCHMARKS.md), and the app
    // has one connection.
    let mut theirs = vec![0; QUERIES.len()];
    if baseline {
        let like = Connection::open_with_flags(
            &db.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .expect("open the baseline connection");
        for (i, (_, _, q)) in QUERIES.iter().enumerate() {
            theirs[i] = like_scan(&like, q, limit);
        }
        assert!(theirs[at("latin-2")] > 0, "{theirs:?}");
        assert_eq!(theirs[at("nomatch-6")], 0, "{theirs:?}");
        let mut g = c.benchmark_group("search");
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
        for (_, label, q) in QUERIES {
            let id = format!("search/like/{label}");
            g.bench_function(BenchmarkId::new("like", label), |b| {
                b.iter_custom(|iters| rec.time(&id, iters, || like_scan(&like, q, limit)))
            });
        }
        g.finish();
    }
    c.final_summary();

    let dash = || "–".to_string();
    let mut rows = Vec::new();
    let mut tsv = String::from("kind\tlabel\tquery\tchars\tfound\tmedian_ms\tp99_ms\tcpu_p99_ms\tcalls\tlike_found\tlike_median_ms\tlike_p99_ms\n");
    for (((kind, label, q), mine), theirs) in QUERIES.iter().zip(&mine).zip(&theirs) {
        let d = rec.stats(&format!("search/dermis/{label}"));
        let l = rec.stats(&format!("search/like/{label}"));
        if d.is_none() && l.is_none() {
            continue;
        }
        let ratio = match (d, l) {
            (Some(d), Some(l)) => {
                let r = l.p99.as_secs_f64() / d.p99.as_secs_f64().max(1e-9);
                if r < 10.0 {
                    format!("{r:.1}×")
                } else {
                    format!("{r:.0}×")
                }
            }
            _ => dash(),
        };
        let verdict = d.map_or_else(dash, |d| common::verdict(&d, BUDGET));
        let shown = if q.is_empty() {
            "(empty: the list)".to_string()
        } else {
            format!("`{q}`")
        };
        rows.push(vec![
            kind.to_string(),
            shown,
            q.chars().count().to_string(),
            if *mine > limit as usize - 1 {
                format!("{mine}+")
            } else {
                mine.to_string()
            },
            d.map_or_else(dash, |s| ms(s.median)),
            d.map_or_else(dash, |s| ms(s.p99)),
            d.map_or_else(dash, |s| ms(s.cpu_p99)),
            if *theirs > limit as usize - 1 {
                format!("{theirs}+")
            } else {
                theirs.to_string()
            },
            l.map_or_else(dash, |s| ms(s.median)),
            l.map_or_else(dash, |s| ms(s.p99)),
            ratio,
            verdict,
        ]);
        let f = |s: Option<common::Stats>, m: fn(&common::Stats) -> Duration| {
            s.map_or_else(String::new, |s| ms(m(&s)))
        };
        tsv.push_str(&format!(
            "{kind}\t{label}\t{q}\t{}\t{mine}\t{}\t{}\t{}\t{}\t{theirs}\t{}\t{}\n",
            q.chars().count(),
            f(d, |s| s.median),
            f(d, |s| s.p99),
            f(d, |s| s.cpu_p99),
            d.map_or(0, |s| s.calls),
            f(l, |s| s.median),
            f(l, |s| s.p99),
        ));
    }
    let md = format!(
        "Search, {n} patients (page of {limit}; \"found\" counts the first page, `50+` = more pages; \
         1-minute load average {load_before} before, {} after, on {} cores):\n\n{}",
        common::load_average(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        common::table(
            &[
                "kind", "query", "chars", "found", "median ms", "p99 ms", "p99 CPU ms", "LIKE found",
                "LIKE median ms", "LIKE p99 ms", "LIKE/dermis p99", "p99 ≤ 5 ms",
            ],
            &rows,
        )
    );
    println!("\n{md}");
    common::write_result(&format!("search-{n}.md"), &md);
    common::write_result(&format!("search-{n}.tsv"), &tsv);
}
