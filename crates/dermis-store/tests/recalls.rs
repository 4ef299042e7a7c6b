//! Lot trace and the recall call list's contact log, on both backends (issue 18).

mod common;

use chrono::NaiveDate;
use dermis_core::recall::{ContactOutcome, RecallUrgency};
use dermis_core::session::{
    validate_lot_trace, Endpoint, LotField, LotTraceFilter, SkinThickness, ValidSessionRecord,
};
use dermis_store::{Store, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn record(date: &str, cartridge: &str, glide: &str) -> ValidSessionRecord {
    ValidSessionRecord {
        date: d(date),
        numbing_cream: "EMLA 5%".into(),
        numbing_minutes: Some(30),
        device: "Dermapen 4".into(),
        cartridge_lot: cartridge.into(),
        skin: SkinThickness::Thin,
        depths: vec![],
        passes: 3,
        glide_product: "HA serum".into(),
        glide_lot: glide.into(),
        endpoint: Endpoint::Erythema,
        immediate_reaction: String::new(),
        duration_minutes: Some(40),
        notes: "clinical note".into(),
        ceiling_confirmed: false,
        screening_override_reason: String::new(),
    }
}

/// Records the plan's sessions 1 and 2 with these (date, cartridge lot, glide lot).
fn two_sessions(s: &mut Store, plan: i64, a: (&str, &str, &str), b: (&str, &str, &str)) {
    s.write(|tx| -> Result<(), StoreError> {
        let p = tx.plan(plan)?.unwrap();
        let user: i64 = 1;
        for (ps, (date, c, g)) in p.sessions.iter().zip([a, b]) {
            tx.insert_session_record(
                ps.id.0,
                p.patient_id.0,
                &record(date, c, g),
                &[],
                user,
                "2026-12-01T10:00:00Z",
            )?;
        }
        Ok(())
    })
    .unwrap();
}

fn trace(s: &mut Store, lot: &str, from: &str, to: &str) -> Vec<(NaiveDate, Vec<LotField>)> {
    let f = validate_lot_trace(&LotTraceFilter {
        lot: lot.into(),
        from: from.into(),
        to: to.into(),
    })
    .unwrap();
    s.read(|tx| tx.lot_trace(&f))
        .unwrap()
        .into_iter()
        .map(|r| (r.session_date, r.matched))
        .collect()
}

on_both_backends! {
    fn lot_trace_finds_every_session_with_the_lot_and_its_patient(s) {
        let plan = common::a_plan(&mut s);
        two_sessions(&mut s, plan, ("2026-05-04", "CART-9\u{200B}1", "G-1"), ("2026-06-01", "CART-92", "cart-91"));
        let found = trace(&mut s, " cart-91 ", "", "");
        assert_eq!(found, vec![
            (d("2026-05-04"), vec![LotField::Cartridge]),
            (d("2026-06-01"), vec![LotField::Glide]),
        ]);
        let f = validate_lot_trace(&LotTraceFilter { lot: "CART-92".into(), ..Default::default() }).unwrap();
        let rows = s.read(|tx| tx.lot_trace(&f)).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].first_name.as_str(), rows[0].last_name.as_str(), rows[0].practitioner.as_str()), ("Ann", "Lee", "Anna"));
        assert_eq!(rows[0].adverse_events, 0, "a patient without any adverse event is traced");
        assert!(trace(&mut s, "CART-9", "", "").is_empty(), "a partial lot is another lot");
    }

    fn lot_trace_dates_are_inclusive_at_both_ends(s) {
        let plan = common::a_plan(&mut s);
        two_sessions(&mut s, plan, ("2026-05-04", "L1", ""), ("2026-06-01", "L1", ""));
        assert_eq!(trace(&mut s, "L1", "2026-05-04", "2026-06-01").len(), 2);
        assert_eq!(trace(&mut s, "L1", "2026-05-05", "2026-06-01").len(), 1);
        assert_eq!(trace(&mut s, "L1", "2026-05-04", "2026-05-31").len(), 1);
        assert_eq!(trace(&mut s, "L1", "2026-06-01", "").len(), 1);
        assert_eq!(trace(&mut s, "L1", "", "2026-05-04").len(), 1);
        assert!(trace(&mut s, "L1", "2026-06-02", "").is_empty());
    }

    fn the_contact_log_is_kept_per_recall_and_survives_re_planning(s) {
        let plan = common::a_plan(&mut s);
        let p = s.read(|tx| tx.plan(plan)).unwrap().unwrap();
        s.write(|tx| tx.replace_recalls(plan, p.patient_id.0, &[d("2026-12-01"), d("2027-04-01")])).unwrap();
        // The plan is active: on 2 December, the 1 December recall is overdue.
        let calls = s.read(|tx| tx.recall_calls(d("2026-12-02"), d("2026-12-06"))).unwrap();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].urgency, RecallUrgency::Overdue);
        let recall = s.read(|tx| tx.recall(calls[0].recall_id.0)).unwrap().unwrap();
        s.write(|tx| tx.insert_recall_contact(&recall, ContactOutcome::NoAnswer, "", 1, "2026-12-02T09:00:00Z")).unwrap();
        s.write(|tx| tx.insert_recall_contact(&recall, ContactOutcome::LeftMessage, "voicemail", 1, "2026-12-02T15:00:00Z")).unwrap();
        let calls = s.read(|tx| tx.recall_calls(d("2026-12-02"), d("2026-12-06"))).unwrap();
        let log: Vec<_> = calls[0].contacts.iter().map(|c| (c.outcome, c.note.as_str(), c.by.as_str())).collect();
        assert_eq!(log, vec![(ContactOutcome::NoAnswer, "", "Anna"), (ContactOutcome::LeftMessage, "voicemail", "Anna")]);
        // Re-planning replaces the open recalls: the calls stay with the patient's new recall.
        s.write(|tx| tx.replace_recalls(plan, p.patient_id.0, &[d("2026-12-03")])).unwrap();
        let calls = s.read(|tx| tx.recall_calls(d("2026-12-02"), d("2026-12-06"))).unwrap();
        assert_eq!(calls[0].urgency, RecallUrgency::ThisWeek);
        assert_eq!(calls[0].contacts.len(), 2);
        assert_eq!(calls[0].contacts[0].recall_id, None);
        // Erasure takes the calls with the patient.
        s.write(|tx| tx.erase_patient(p.patient_id.0)).unwrap().unwrap();
        assert!(s.read(|tx| tx.recall_calls(d("2026-12-02"), d("2026-12-06"))).unwrap().is_empty());
    }

    fn the_call_list_holds_overdue_and_this_weeks_recalls_not_later_ones(s) {
        let plan = common::a_plan(&mut s);
        let p = s.read(|tx| tx.plan(plan)).unwrap().unwrap();
        s.write(|tx| tx.replace_recalls(plan, p.patient_id.0, &[d("2026-12-07")])).unwrap();
        // Up to 6 December: the 7th is not listed.
        assert!(s.read(|tx| tx.recall_calls(d("2026-12-02"), d("2026-12-06"))).unwrap().is_empty());
        let calls = s.read(|tx| tx.recall_calls(d("2026-12-07"), d("2026-12-13"))).unwrap();
        assert_eq!(calls[0].urgency, RecallUrgency::ThisWeek);
    }
}
