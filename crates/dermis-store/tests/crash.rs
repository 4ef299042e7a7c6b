//! A writer killed at a random moment (SIGKILL: no cleanup of any kind), on
//! both backends: every commit it reported is there afterwards, nothing
//! half-written is, and the audit chain is intact.
//!
//! The writer is this test binary run again as a child (`writer_child`,
//! which does nothing unless `DERMIS_CRASH_TARGET` is set): it registers
//! patients one write at a time, each with its audit entry, and prints each
//! patient number once its commit has returned.

use chrono::NaiveDate;
use dermis_core::{validate, PatientInput};
use dermis_store::{AuditEntry, Store, StoreError};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

const KEY: &[u8] = b"the clinic key 0123456789";

fn open(target: &str) -> Store {
    let mut s = if dermis_store::is_server_url(target) {
        Store::open_pg(target, Some(common::SUPER_PASSWORD)).unwrap()
    } else {
        Store::open(std::path::Path::new(target)).unwrap()
    };
    s.set_audit_key(KEY.to_vec());
    s
}

/// The child: writes until it is killed.
#[test]
fn writer_child() {
    let Ok(target) = std::env::var("DERMIS_CRASH_TARGET") else {
        return;
    };
    let mut s = open(&target);
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let v = validate::patient(
            &PatientInput {
                first_name: format!("Crash{i}"),
                last_name: "Writer".into(),
                date_of_birth: "1980-01-01".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        let p = s
            .write(|tx| -> Result<_, StoreError> {
                let p = tx.insert_patient(&v, "2026-11-24T12:00:00Z")?;
                tx.append_audit(&AuditEntry {
                    at: "2026-11-24T12:00:00Z".into(),
                    user_id: None,
                    username: "writer".into(),
                    action: "patient.create".into(),
                    entity: "patient".into(),
                    entity_id: p.id.to_string(),
                    detail: String::new(),
                })?;
                Ok(p)
            })
            .unwrap();
        writeln!(out, "committed {}", p.patient_number).unwrap();
        out.flush().unwrap();
    }
}

/// Kills a writer on `target` three times at pseudo-random moments and checks after each.
fn kill_writers_at_random(target: &str) {
    let exe = std::env::current_exe().unwrap();
    let mut seed = Instant::now().elapsed().subsec_nanos() as u64 ^ std::process::id() as u64;
    let mut reported: Vec<String> = Vec::new();
    for round in 0..3 {
        let mut child = Command::new(&exe)
            .args(["--exact", "writer_child", "--nocapture", "--test-threads=1"])
            .env("DERMIS_CRASH_TARGET", target)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(|l| l.ok())
                .filter_map(|l| l.strip_prefix("committed ").map(str::to_string))
                .collect::<Vec<_>>()
        });
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let wait = Duration::from_millis(300 + (seed >> 33) % 700);
        std::thread::sleep(wait);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let got = lines.join().unwrap();
        assert!(
            !got.is_empty(),
            "round {round}: the writer committed nothing in {wait:?}"
        );
        reported.extend(got);

        let mut s = open(target);
        let check = s.read(|tx| tx.audit_chain_check()).unwrap();
        assert_eq!(check.first_bad, None, "round {round}: the chain is intact");
        let count = s.read(|tx| tx.count_patients()).unwrap();
        assert_eq!(
            check.count, count,
            "round {round}: one entry per patient, none half-written"
        );
        assert!(count as usize >= reported.len(), "round {round}");
        for number in &reported {
            let page = s
                .read(|tx| tx.search_patients(&dermis_core::search::parse(number), true, 0, 2))
                .unwrap();
            assert_eq!(
                page.items.len(),
                1,
                "round {round}: reported commit {number} is missing"
            );
        }
    }
}

#[test]
fn a_killed_writer_loses_nothing_it_reported_on_sqlite() {
    if std::env::var_os("DERMIS_CRASH_TARGET").is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    drop(Store::open(&path).unwrap());
    kill_writers_at_random(path.to_str().unwrap());
}

#[test]
fn a_killed_writer_loses_nothing_it_reported_on_the_server() {
    if std::env::var_os("DERMIS_CRASH_TARGET").is_some() {
        return;
    }
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let url = c.url("postgres", &db);
    drop(Store::open_pg(&url, Some(common::SUPER_PASSWORD)).unwrap());
    kill_writers_at_random(&url);
}
