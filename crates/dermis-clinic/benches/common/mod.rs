//! What the dermis-clinic benches share: the size, the demo database, a signed-in
//! actor, and a recorder that keeps every single call's time (criterion
//! reports means and medians of batches; the budgets are about the 99th
//! percentile of one call) and writes them for `scripts/bench.sh`.
//!
//! `cargo bench` (criterion's bench mode, `--bench` on the command line): the
//! size is `DERMIS_BENCH_PATIENTS` (default 100,000), the database is
//! `target/bench-data/demo-N.db` (made by `dermis demo` in `scripts/bench.sh`,
//! or here with the same generator if missing), and the figures go to
//! `target/bench-results/`. `cargo test --benches` (criterion's test mode:
//! every bench runs once): a fresh temporary database of
//! `DERMIS_BENCH_PATIENTS` (default 200) patients and no result files.

#![allow(dead_code)] // each bench uses its own part of this module

use dermis_clinic::core::{LoginInput, SetupInput};
use dermis_clinic::{Actor, Clinic};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const DEMO_USER: &str = "admin";
pub const DEMO_PASSWORD: &str = "violet tractor lantern";

/// True under `cargo bench`; false under `cargo test --benches` (criterion's test mode).
pub fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// How many demo patients the database holds.
pub fn patients() -> usize {
    std::env::var("DERMIS_BENCH_PATIENTS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(if bench_mode() { 100_000 } else { 200 })
}

/// The workspace's target folder (`CARGO_TARGET_DIR` if set).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// Where generated bench databases live (gitignored): `DERMIS_BENCH_DATA` or target/bench-data.
pub fn data_dir() -> PathBuf {
    std::env::var_os("DERMIS_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("bench-data"))
}

/// A demo database of `n` patients and the folder it is in (kept alive by the
/// returned guard in test mode, where it is a fresh temporary folder).
pub struct DemoDb {
    pub path: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

pub fn demo_db(n: usize) -> DemoDb {
    if !bench_mode() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let path = tmp.path().join("dermis.db");
        create_demo(&path, n);
        return DemoDb {
            path,
            _tmp: Some(tmp),
        };
    }
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("create the bench data folder");
    let path = dir.join(format!("demo-{n}.db"));
    if !path.exists() {
        eprintln!(
            "bench: creating {} ({n} demo patients; `dermis demo` does the same)",
            path.display()
        );
        let building = dir.join(format!("building-demo-{n}.db"));
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", building.display()));
        }
        create_demo(&building, n);
        std::fs::rename(&building, &path).expect("move the finished demo database in place");
    }
    DemoDb { path, _tmp: None }
}

/// What `dermis demo --patients n` does on an empty database: a demo clinic
/// and account, `n` generated patients (seed 1) in chunks of 10,000, and
/// clinical records for the first 60.
fn create_demo(path: &Path, n: usize) {
    let clinic = Clinic::open(path).expect("open the new database");
    let actor = clinic
        .setup(&SetupInput {
            clinic_name: "Dermis Demo Clinic".into(),
            clinic_address: "12 Example Street\nSpringfield".into(),
            clinic_phone: "+44 20 7946 0000".into(),
            admin_username: DEMO_USER.into(),
            admin_display_name: "Demo Practitioner".into(),
            password: DEMO_PASSWORD.into(),
        })
        .expect("set up the demo clinic");
    let today = chrono::Local::now().date_naive();
    let all = dermis_clinic::demo::demo_patients(n, 1, today);
    for chunk in all.chunks(10_000) {
        clinic
            .create_patients_bulk(&actor, chunk)
            .expect("add demo patients");
    }
    dermis_clinic::demo::add_clinical_demo(&clinic, &actor, (n as u32).min(60), 1)
        .expect("add demo clinical records");
}

/// Signs the demo admin in (`DERMIS_PASSWORD` overrides the demo password).
pub fn login(clinic: &Clinic) -> Actor {
    clinic
        .login(&LoginInput {
            username: std::env::var("DERMIS_USER").unwrap_or_else(|_| DEMO_USER.into()),
            password: std::env::var("DERMIS_PASSWORD").unwrap_or_else(|_| DEMO_PASSWORD.into()),
        })
        .expect("sign in to the bench database")
}

/// Every call's duration, per benchmark id, in the order measured.
#[derive(Default)]
pub struct Recorder {
    pub samples: RefCell<BTreeMap<String, Vec<(Duration, Duration)>>>,
}

impl Recorder {
    /// For criterion's `iter_custom`: runs `f` `iters` times, timing each call
    /// alone, by the wall clock (what criterion sees: the sum of exactly these)
    /// and by this thread's CPU time (the same call without the time the
    /// thread spent waiting for a core that other processes had).
    pub fn time<T>(&self, id: &str, iters: u64, mut f: impl FnMut() -> T) -> Duration {
        let mut total = Duration::ZERO;
        let mut mine = Vec::with_capacity(iters as usize);
        for _ in 0..iters {
            let c = thread_cpu_time();
            let t = Instant::now();
            let out = f();
            let e = t.elapsed();
            let ce = thread_cpu_time().saturating_sub(c);
            std::hint::black_box(out);
            total += e;
            mine.push((e, ce));
        }
        self.samples
            .borrow_mut()
            .entry(id.to_string())
            .or_default()
            .extend(mine);
        total
    }

    /// Median and 99th percentile (wall and CPU) and the number of calls for `id`.
    pub fn stats(&self, id: &str) -> Option<Stats> {
        let map = self.samples.borrow();
        let all = map.get(id)?;
        if all.is_empty() {
            return None;
        }
        let mut wall: Vec<Duration> = all.iter().map(|s| s.0).collect();
        let mut cpu: Vec<Duration> = all.iter().map(|s| s.1).collect();
        wall.sort();
        cpu.sort();
        let at = |v: &[Duration], q: f64| {
            v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1]
        };
        Some(Stats {
            median: at(&wall, 0.5),
            p99: at(&wall, 0.99),
            cpu_median: at(&cpu, 0.5),
            cpu_p99: at(&cpu, 0.99),
            calls: wall.len(),
        })
    }
}

/// This thread's CPU time so far.
pub fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `ts` is.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The 1-minute load average now (how busy the shared machine is).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// "met", or why not: a wall-clock p99 over budget whose CPU-time p99 is
/// within it was the machine's other load, not this code.
pub fn verdict(s: &Stats, budget: Duration) -> String {
    if s.p99 <= budget {
        "met".into()
    } else if s.cpu_p99 <= budget {
        "met on CPU time; wall p99 over (other load on the machine)".into()
    } else {
        "**missed**".into()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub median: Duration,
    pub p99: Duration,
    pub cpu_median: Duration,
    pub cpu_p99: Duration,
    pub calls: usize,
}

/// Milliseconds with three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

/// Writes `text` to target/bench-results/`name` (bench mode only) and says where.
pub fn write_result(name: &str, text: &str) {
    if !bench_mode() {
        return;
    }
    let dir = target_dir().join("bench-results");
    std::fs::create_dir_all(&dir).expect("create target/bench-results");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the bench results");
    eprintln!("bench: wrote {}", path.display());
}

/// A Markdown table from a header and rows.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "| {} |", header.join(" | "));
    let _ = writeln!(
        s,
        "|{}|",
        header
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---" } else { "---:" })
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in rows {
        let _ = writeln!(s, "| {} |", r.join(" | "));
    }
    s
}
