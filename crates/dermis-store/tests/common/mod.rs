//! The store tests' shared fixture: a store on each backend.
//!
//! SQLite: a private database in memory (or a temporary file).
//! PostgreSQL: one throwaway cluster per test binary, started on first use
//! from Debian's `postgresql` package (`initdb` + `pg_ctl`, as the `postgres`
//! user when the tests run as root, since `initdb` refuses root), listening
//! on a random loopback port and a private socket folder; each test gets a
//! fresh database of its own in it. A small watchdog process stops the
//! cluster and removes its folder when the test binary exits, however it
//! exits. Only when the PostgreSQL binaries are absent are the PostgreSQL
//! tests skipped, loudly; CI installs them (scripts/setup.sh), so there they run
//! (with `CI` set, missing binaries fail the tests rather than skip them).
#![allow(dead_code)]

use chrono::NaiveDate;
use dermis_core::assessment::{GbCounts, Sensitivity, ValidAssessment};
use dermis_core::plan::{PlanProposal, ProposedSession};
use dermis_core::{validate, PatientInput, Role};
use dermis_store::{PlanRules, Store, StoreError};

mod cluster;
pub use cluster::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A store on a fresh PostgreSQL database, as the superuser (`None`: skipped).
pub fn pg_store() -> Option<Store> {
    let c = cluster()?;
    let db = c.new_database();
    Some(Store::open_pg(&c.url("postgres", &db), Some(SUPER_PASSWORD)).unwrap())
}

/// A second store on the same database as a `pg_store` (another PC).
pub fn pg_store_on(db: &str) -> Store {
    let c = cluster().unwrap();
    Store::open_pg(&c.url("postgres", db), Some(SUPER_PASSWORD)).unwrap()
}

/// An SQLite store on a file in a temporary folder kept until the test
/// binary ends (so that [`reopen`] can open it again).
pub fn sqlite_store() -> Store {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let path = dir
        .path()
        .join(format!("t{}.db", N.fetch_add(1, Ordering::SeqCst)));
    Store::open(&path).unwrap()
}

/// Another connection to the same database as `s` (another PC), without its audit key.
pub fn reopen(s: &Store) -> Store {
    match s.server_url() {
        Some(url) => Store::open_pg(url, Some(SUPER_PASSWORD)).unwrap(),
        None => Store::open(s.path().expect("a store on a file")).unwrap(),
    }
}

/// Generates each listed test twice: `sqlite::name` and `postgres::name`,
/// each given a fresh, empty store as `$s`.
#[macro_export]
macro_rules! on_both_backends {
    ($(fn $name:ident($s:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                #[allow(unused_mut)]
                fn $name() {
                    let mut $s = common::sqlite_store();
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                #[allow(unused_mut)]
                fn $name() {
                    let Some(mut $s) = common::pg_store() else { return };
                    $body
                }
            )*
        }
    };
}

/// A patient with an assessment and an accepted plan of three sessions; returns the plan's id.
pub fn a_plan(s: &mut Store) -> i64 {
    s.write(|tx| -> Result<i64, StoreError> {
        let user = tx.insert_user(
            "anna",
            "Anna",
            "x",
            &[Role::Practitioner],
            "2026-11-24T12:00:00Z",
        )?;
        let patient = tx.insert_patient(
            &validate::patient(
                &PatientInput {
                    first_name: "Ann".into(),
                    last_name: "Lee".into(),
                    date_of_birth: "1980-01-01".into(),
                    ..Default::default()
                },
                NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            )
            .unwrap(),
            "2026-11-24T12:00:00Z",
        )?;
        let a = tx.insert_assessment(
            patient.id.0,
            &ValidAssessment {
                assessed_on: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                scar_types: vec![],
                grade: 2,
                counts: GbCounts::default(),
                score: 0,
                fitzpatrick: 3,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![],
                scar_age_years: 2,
                notes: String::new(),
            },
            user.id,
            "2026-11-24T12:00:00Z",
        )?;
        let proposal = PlanProposal {
            sessions: (1..=3)
                .map(|n| ProposedSession {
                    n,
                    date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
                        + chrono::Duration::weeks(4 * i64::from(n)),
                })
                .collect(),
            maintenance: vec![],
            session_count: 3,
            interval_weeks: 4,
            rationale: vec![],
            warnings: vec![],
        };
        let rules = PlanRules {
            interval_weeks: 4,
            shortest_weeks: 4,
            maintenance_months: 6,
        };
        let plan = tx.insert_plan(
            patient.id.0,
            a.id.0,
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            &proposal,
            &rules,
            "",
            user.id,
            "2026-11-24T12:00:00Z",
        )?;
        Ok(plan.id.0)
    })
    .unwrap()
}
