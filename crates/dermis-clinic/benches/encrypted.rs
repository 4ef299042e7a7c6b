//! The cost of encryption at rest (issue 21): the same demo clinic as a
//! plaintext database and as an encrypted one (`Clinic::encrypt_existing`
//! of a copy: same rows, same pages, SQLCipher), measured side by side for
//! what a user waits for:
//! - open: the database opened, the user signed in, the first search
//!   answered (`Clinic::open` + `login` against `Clinic::open_encrypted`,
//!   whose password also unwraps the data key: both run Argon2 once);
//! - search: `Clinic::search_patients` on a few queries of the search bench;
//! - one aftercare sheet: `Clinic::render_document` (the PDF of one session);
//! - backup + verification: `Clinic::backup`, and its two phases (the copy
//!   of the file's bytes under the write lock, the check of the copy), from
//!   `dermis_store::last_backup_phases`.
//!
//!   cargo bench -p dermis-clinic --bench encrypted          # 100,000 patients
//!
//! The two clinics are measured in alternation (plaintext, encrypted,
//! plaintext, ...) so that the shared machine's load falls on both alike,
//! and every call also by this thread's CPU time, which other processes'
//! load barely moves. The ratio is encrypted / plaintext: median for open,
//! the sheet and the backup, p99 for search (its budget is a p99). The
//! encrypted copy is made once beside the demo database
//! (`target/bench-data/encrypted-N/`). Results go to
//! target/bench-results/encrypted-N.{md,tsv}.

mod common;

use common::{ms, Recorder, Stats, DEMO_PASSWORD, DEMO_USER};
use dermis_clinic::core::{LoginInput, PatientSearch};
use dermis_clinic::{Actor, Clinic, PrintRequest};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The ratio the issue allows: encrypted within 1.3x of plaintext.
const RATIO_BUDGET: f64 = 1.3;

/// A few queries of the search bench: short prefixes (many matches) and longer ones.
const QUERIES: &[&str] = &["m", "ma", "martin", "ив", "王小", "612", "1990-05-17", ""];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Encrypted,
}

impl Kind {
    fn id(self, what: &str) -> String {
        match self {
            Kind::Plain => format!("plain/{what}"),
            Kind::Encrypted => format!("encrypted/{what}"),
        }
    }
}

fn sign_in(kind: Kind, path: &Path) -> (Clinic, Actor) {
    match kind {
        Kind::Plain => {
            let clinic = Clinic::open(path).expect("open the plaintext clinic");
            let actor = clinic
                .login(&LoginInput {
                    username: DEMO_USER.into(),
                    password: DEMO_PASSWORD.into(),
                })
                .expect("sign in");
            (clinic, actor)
        }
        Kind::Encrypted => Clinic::open_encrypted(path, DEMO_USER, DEMO_PASSWORD)
            .expect("open the encrypted clinic"),
    }
}

/// The encrypted twin of the demo database at `plain`: a copy of it (and of
/// its audit key, anchor and photos) converted with `Clinic::encrypt_existing`,
/// made once in `dir` (or a fresh temporary folder in test mode).
fn encrypted_twin(plain: &Path, n: usize) -> (PathBuf, Option<tempfile::TempDir>) {
    let (dir, tmp) = if common::bench_mode() {
        (common::data_dir().join(format!("encrypted-{n}")), None)
    } else {
        let t = tempfile::tempdir().expect("a temporary folder");
        (t.path().join("encrypted"), Some(t))
    };
    let name = plain.file_name().expect("a file name");
    let path = dir.join(name);
    if path.exists() {
        return (path, tmp);
    }
    let building = dir.with_file_name(format!(
        "building-{}",
        dir.file_name().expect("a name").to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&building);
    std::fs::create_dir_all(&building).expect("a folder for the encrypted twin");
    eprintln!("bench: making the encrypted twin of {}", plain.display());
    for ext in ["db", "db-wal", "audit-key", "audit-anchor"] {
        let from = plain.with_extension(ext);
        if from.exists() {
            std::fs::copy(&from, building.join(name).with_extension(ext))
                .expect("copy the demo database");
        }
    }
    let photos = plain.parent().expect("a folder").join("photos");
    if photos.is_dir() {
        copy_dir(&photos, &building.join("photos"));
    }
    Clinic::encrypt_existing(&building.join(name), DEMO_USER, DEMO_PASSWORD, true)
        .expect("encrypt the copy of the demo clinic");
    std::fs::rename(&building, &dir).expect("move the encrypted twin in place");
    (path, tmp)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for e in std::fs::read_dir(from).expect("read a folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy a photo");
        }
    }
}

/// A session whose aftercare sheet renders (the demo's clinical records).
fn a_sheet(clinic: &Clinic, actor: &Actor) -> Option<PrintRequest> {
    (1..=2000)
        .map(|id| PrintRequest::Aftercare { session_id: id })
        .find(|r| clinic.render_document(actor, r).is_ok())
}

fn main() {
    let n = common::patients();
    let plain = common::demo_db(n);
    let (enc_path, _enc_tmp) = encrypted_twin(&plain.path, n);
    let paths = [
        (Kind::Plain, plain.path.clone()),
        (Kind::Encrypted, enc_path),
    ];
    let out_dir = tempfile::tempdir_in(plain.path.parent().expect("a folder"))
        .expect("a folder for the backups");
    let rec = Recorder::default();
    let load_before = common::load_average();
    let bench = common::bench_mode();
    let env_runs = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(if bench { default } else { 1 })
    };
    let open_runs = env_runs("DERMIS_BENCH_OPEN_RUNS", 10);
    let search_rounds = env_runs("DERMIS_BENCH_SEARCH_ROUNDS", 40);
    let sheet_runs = env_runs("DERMIS_BENCH_SHEET_RUNS", 30);
    let backup_runs = env_runs("DERMIS_BENCH_BACKUP_RUNS", 6);

    // Open: sign-in to the first search answered; the clinic is closed untimed.
    for _ in 0..open_runs {
        for (kind, path) in &paths {
            let mut kept = None;
            rec.time(&kind.id("open"), 1, || {
                let (c, a) = sign_in(*kind, path);
                let found = c
                    .search_patients(&a, &PatientSearch::new(""))
                    .expect("the first search");
                kept = Some(c);
                found
            });
            drop(kept);
        }
    }

    let open: Vec<(Kind, Clinic, Actor)> = paths
        .iter()
        .map(|(k, p)| {
            let (c, a) = sign_in(*k, p);
            (*k, c, a)
        })
        .collect();

    // Search: every query once per round on each clinic, after one warm-up round.
    for round in 0..=search_rounds {
        for q in QUERIES {
            for (kind, c, a) in &open {
                let search = PatientSearch::new(*q);
                if round == 0 {
                    c.search_patients(a, &search).expect("search");
                    continue;
                }
                rec.time(&kind.id("search"), 1, || {
                    c.search_patients(a, &search).expect("search")
                });
            }
        }
    }

    // One aftercare sheet (the PDF of one session).
    let sheet = a_sheet(&open[0].1, &open[0].2);
    if let Some(req) = &sheet {
        for _ in 0..sheet_runs {
            for (kind, c, a) in &open {
                rec.time(&kind.id("sheet"), 1, || {
                    c.render_document(a, req).expect("the aftercare sheet")
                });
            }
        }
    }

    // Backup + verification, and its phases.
    let mut k = 0;
    for _ in 0..backup_runs {
        for (kind, c, a) in &open {
            k += 1;
            let dest = out_dir.path().join(format!("backup-{k}.db"));
            rec.time(&kind.id("backup"), 1, || {
                c.backup(a, &dest).expect("backup")
            });
            if let Some(p) = dermis_store::last_backup_phases() {
                rec.samples
                    .borrow_mut()
                    .entry(kind.id("backup-copy"))
                    .or_default()
                    .push((p.copy, Duration::ZERO));
                rec.samples
                    .borrow_mut()
                    .entry(kind.id("backup-check"))
                    .or_default()
                    .push((p.check, Duration::ZERO));
                rec.samples
                    .borrow_mut()
                    .entry(kind.id("backup-locked"))
                    .or_default()
                    .push((p.locked, Duration::ZERO));
            }
            let _ = std::fs::remove_file(&dest);
        }
    }
    drop(open);

    let pick = |s: &Stats, p99: bool| {
        if p99 {
            (s.p99, s.cpu_p99)
        } else {
            (s.median, s.cpu_median)
        }
    };
    let ratio = |e: Duration, p: Duration| {
        if p.is_zero() {
            None
        } else {
            Some(e.as_secs_f64() / p.as_secs_f64())
        }
    };
    let show = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{r:.2}"));
    let mut rows = Vec::new();
    let mut tsv = String::from(
        "what\tpatients\tstatistic\tplain_ms\tencrypted_ms\tratio\tplain_cpu_ms\tencrypted_cpu_ms\tcpu_ratio\tcalls\n",
    );
    for (id, what, p99) in [
        ("open", "open: sign-in to the first search", false),
        ("search", "search (8 queries)", true),
        ("sheet", "one aftercare sheet (PDF)", false),
        ("backup", "backup + verification", false),
        ("backup-copy", "— the copy (the file's bytes)", false),
        ("backup-check", "— the check of the copy", false),
        (
            "backup-locked",
            "— of the copy, under the write lock (saving waits)",
            false,
        ),
    ] {
        let (Some(ps), Some(es)) = (
            rec.stats(&format!("plain/{id}")),
            rec.stats(&format!("encrypted/{id}")),
        ) else {
            continue;
        };
        let (pw, pc) = pick(&ps, p99);
        let (ew, ec) = pick(&es, p99);
        let r = ratio(ew, pw);
        let rc = ratio(ec, pc);
        let verdict = match (r, rc) {
            (Some(r), _) if r <= RATIO_BUDGET => "within 1.3×".to_string(),
            (Some(_), Some(c)) if c <= RATIO_BUDGET => {
                "within 1.3× on CPU time; wall over (other load)".to_string()
            }
            (Some(_), _) => "**over 1.3×**".to_string(),
            _ => "-".to_string(),
        };
        let stat = if p99 { "p99" } else { "median" };
        rows.push(vec![
            what.to_string(),
            stat.to_string(),
            ms(pw),
            ms(ew),
            show(r),
            if pc.is_zero() { "-".into() } else { show(rc) },
            ps.calls.min(es.calls).to_string(),
            verdict,
        ]);
        tsv.push_str(&format!(
            "{id}\t{n}\t{stat}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            ms(pw),
            ms(ew),
            show(r),
            ms(pc),
            ms(ec),
            show(rc),
            ps.calls.min(es.calls)
        ));
    }
    let bytes = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let md = format!(
        "Encrypted beside plaintext, {n} patients (the same clinic: {:.1} MB plaintext file, \
         {:.1} MB encrypted; measured in alternation; 1-minute load average {load_before} \
         before, {} after{}):\n\n{}",
        bytes(&paths[0].1),
        bytes(&paths[1].1),
        common::load_average(),
        if sheet.is_none() {
            "; no session with an aftercare sheet found"
        } else {
            ""
        },
        common::table(
            &[
                "operation",
                "statistic",
                "plaintext ms",
                "encrypted ms",
                "ratio",
                "CPU-time ratio",
                "calls each",
                "budget"
            ],
            &rows
        )
    );
    println!("\n{md}");
    common::write_result(&format!("encrypted-{n}.md"), &md);
    common::write_result(&format!("encrypted-{n}.tsv"), &tsv);
}
