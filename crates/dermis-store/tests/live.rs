//! The change feed's source on both backends (issue 16, "Live"): the same
//! writes give the same change notes (kind, operation, patient id) whether
//! the triggers are SQLite's TEMP ones or PostgreSQL migration 0010's, and a
//! rolled-back write gives none.

mod common;

use dermis_core::{validate, PatientInput};
use dermis_store::{ChangeNote, LiveEvent, Store, StoreError};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Heard = Arc<Mutex<Vec<LiveEvent>>>;

/// Watches `s`, waiting (on the server) until its listener is connected.
fn watch(s: &mut Store) -> (Heard, Option<dermis_store::Listener>) {
    let heard: Heard = Arc::default();
    let h = heard.clone();
    let listener = s
        .watch(Arc::new(move |e| h.lock().unwrap().push(e)))
        .unwrap();
    if listener.is_some() {
        let t = Instant::now();
        while !heard.lock().unwrap().contains(&LiveEvent::Connected) {
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "the listener never connected"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    (heard, listener)
}

/// The distinct notes heard, waiting up to a second for `at_least` of them.
fn notes(heard: &Heard, at_least: usize) -> BTreeSet<(String, String, Option<i64>)> {
    let t = Instant::now();
    loop {
        let set: BTreeSet<_> = heard
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                LiveEvent::Change(ChangeNote {
                    kind,
                    op,
                    patient_id,
                }) => Some((kind.clone(), op.clone(), *patient_id)),
                _ => None,
            })
            .collect();
        if set.len() >= at_least || t.elapsed() > Duration::from_secs(1) {
            return set;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn ann() -> dermis_core::patient::ValidPatient {
    validate::patient(
        &PatientInput {
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            date_of_birth: "1980-01-01".into(),
            ..Default::default()
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )
    .unwrap()
}

on_both_backends! {
    fn a_plan_gives_its_patient_clinical_and_plan_notes_with_the_patients_id(s) {
        let (heard, _listener) = watch(&mut s);
        let plan = common::a_plan(&mut s);
        let patient = s.read(|tx| tx.plan(plan)).unwrap().unwrap().patient_id.0;
        let p = Some(patient);
        let expected: BTreeSet<_> = [
            ("patient", "insert", p),
            ("session", "insert", p),
            ("plan", "insert", p),
            ("settings", "insert", None),
        ]
        .into_iter()
        .map(|(k, o, p)| (k.to_string(), o.to_string(), p))
        .collect();
        let got = notes(&heard, expected.len());
        // Whatever else a_plan touched, these are there, and every note
        // about a patient names this one.
        for e in &expected {
            assert!(got.contains(e), "{e:?} missing from {got:?}");
        }
        for (_, _, id) in &got {
            assert!(id.is_none() || *id == p, "{got:?}");
        }
    }

    fn a_rolled_back_write_tells_nothing(s) {
        let (heard, _listener) = watch(&mut s);
        let r = s.write(|tx| -> Result<(), StoreError> {
            tx.insert_patient(&ann(), "2026-11-24T12:00:00Z")?;
            Err(StoreError::Conflict("changed my mind".into()))
        });
        assert!(r.is_err());
        assert!(notes(&heard, 1).is_empty());
        // The next write is told alone (nothing of the rolled-back one lingers).
        let p = s
            .write(|tx| tx.insert_patient(&ann(), "2026-11-24T12:00:00Z"))
            .unwrap();
        let got = notes(&heard, 1);
        assert_eq!(
            got,
            BTreeSet::from([("patient".to_string(), "insert".to_string(), Some(p.id.0))])
        );
    }
}
