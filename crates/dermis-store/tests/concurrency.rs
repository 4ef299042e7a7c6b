//! Several PCs writing at once, on both backends: two connections to one
//! database (two processes' worth: each its own connection and transactions).
//! Every write lands or fails with a clear conflict; the audit chain never forks.

use chrono::NaiveDate;
use dermis_core::plan::PlanStatus;
use dermis_core::{validate, PatientInput};
use dermis_store::{AuditEntry, Store, StoreError};
use std::sync::{Arc, Barrier};

mod common;

const NOW: &str = "2026-11-24T12:00:00Z";
const KEY: &[u8] = b"the clinic key 0123456789";

fn entry(action: &str, who: &str) -> AuditEntry {
    AuditEntry {
        at: NOW.into(),
        user_id: None,
        username: who.into(),
        action: action.into(),
        entity: "patient".into(),
        entity_id: "".into(),
        detail: "".into(),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Registers `n` patients one write at a time, each with its audit entry.
fn register(mut s: Store, who: &'static str, n: usize, start: Arc<Barrier>) -> Store {
    s.set_audit_key(KEY.to_vec());
    start.wait();
    for i in 0..n {
        let v = validate::patient(
            &PatientInput {
                first_name: format!("{who}{i}"),
                last_name: "Concurrent".into(),
                date_of_birth: "1980-01-01".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        s.write(|tx| -> Result<(), StoreError> {
            tx.insert_patient(&v, NOW)?;
            tx.append_audit(&entry("patient.create", who))
        })
        .unwrap_or_else(|e| panic!("{who}'s patient {i} did not land: {e}"));
    }
    s
}

on_both_backends! {
    fn two_connections_writing_fifty_patients_each_all_land(s) {
        let other = common::reopen(&s);
        let start = Arc::new(Barrier::new(2));
        let (a, b) = (start.clone(), start);
        let one = std::thread::spawn(move || register(s, "desk", 50, a));
        let two = std::thread::spawn(move || register(other, "room", 50, b));
        let mut s = one.join().unwrap();
        two.join().unwrap();
        assert_eq!(s.read(|tx| tx.count_patients()).unwrap(), 100);
        let mut numbers: Vec<String> = s
            .read(|tx| tx.search_patients(&dermis_core::search::parse("concurrent"), true, 0, 200))
            .unwrap()
            .items
            .into_iter()
            .map(|p| p.patient_number)
            .collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 100, "every patient has a number of their own");
        assert_eq!(numbers.last().unwrap(), "P-000100");
        let check = s.read(|tx| tx.audit_chain_check()).unwrap();
        assert_eq!(
            (check.count, check.keyed, check.first_bad),
            (100, 100, None),
            "the chain holds every entry and did not fork"
        );
    }

    fn a_plan_changed_on_another_pc_is_a_conflict_here(s) {
        let plan = common::a_plan(&mut s);
        let mut room2 = common::reopen(&s);
        // Both PCs have the plan on screen at the same version.
        let v = s.read(|tx| tx.plan_version(plan)).unwrap().unwrap();
        assert_eq!(room2.read(|tx| tx.plan_version(plan)).unwrap(), Some(v));
        // Room 2 pauses it first.
        room2
            .write(|tx| -> Result<(), StoreError> {
                tx.check_plan_version(plan, v)?;
                tx.set_plan_status(plan, PlanStatus::Paused, NOW)
            })
            .unwrap();
        // The desk, still showing version v, moves a session: refused, and nothing changes.
        let session = s.read(|tx| tx.plan(plan)).unwrap().unwrap().sessions[0].id;
        let moved = s.write(|tx| -> Result<(), StoreError> {
            tx.check_plan_version(plan, v)?;
            tx.set_session_time(session.0, Some("10:30"), NOW)
        });
        match moved {
            Err(StoreError::Conflict(m)) => assert!(m.contains("Reload"), "{m}"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        let now = s.read(|tx| tx.plan(plan)).unwrap().unwrap();
        assert_eq!(now.status, PlanStatus::Paused);
        assert_eq!(now.sessions[0].time, None);
        // With the version it reloads, the desk's change lands.
        let v2 = s.read(|tx| tx.plan_version(plan)).unwrap().unwrap();
        assert_eq!(v2, v + 1);
        s.write(|tx| -> Result<(), StoreError> {
            tx.check_plan_version(plan, v2)?;
            tx.set_session_time(session.0, Some("10:30"), NOW)
        })
        .unwrap();
    }

    fn two_pcs_racing_on_one_plan_version_one_wins_one_is_told(s) {
        let plan = common::a_plan(&mut s);
        let v = s.read(|tx| tx.plan_version(plan)).unwrap().unwrap();
        let other = common::reopen(&s);
        let start = Arc::new(Barrier::new(2));
        let race = |mut s: Store, status: PlanStatus, start: Arc<Barrier>| {
            std::thread::spawn(move || {
                start.wait();
                let r = s.write(|tx| -> Result<(), StoreError> {
                    tx.check_plan_version(plan, v)?;
                    tx.set_plan_status(plan, status, NOW)
                });
                (s, r)
            })
        };
        let one = race(s, PlanStatus::Paused, start.clone());
        let two = race(other, PlanStatus::Cancelled, start);
        let (mut s, r1) = one.join().unwrap();
        let (_, r2) = two.join().unwrap();
        let conflicts = [&r1, &r2]
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Conflict(_))))
            .count();
        assert_eq!((conflicts, r1.is_ok() || r2.is_ok()), (1, true), "{r1:?} {r2:?}");
        assert_eq!(s.read(|tx| tx.plan_version(plan)).unwrap(), Some(v + 1));
    }
}
