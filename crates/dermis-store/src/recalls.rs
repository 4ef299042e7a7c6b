//! Lot trace and the recall call list (issue 18).
//!
//! Lot trace reads every session record in the date range and matches the
//! lots in Rust with dermis-core's `lot_matches`, not in SQL: the match is
//! on a key (invisible characters dropped, NFKC, Unicode case folding) that
//! neither SQLite's ASCII-only `lower()` nor an index on the raw column can
//! compute, and a stored key column would need every existing row re-keyed
//! by Rust at migration time. A scan reads four short text columns per
//! session; a clinic records a few thousand sessions a year.

use crate::columns::{date_col, text_enum, ymd};
use crate::db::{params, OptionalExtension};
use crate::{Result, Tx};
use chrono::NaiveDate;
use dermis_core::ids::{PatientId, PlanId, RecallContactId, RecallId};
use dermis_core::recall::{urgency, ContactOutcome, RecallCall, RecallContact, RecallUrgency};
use dermis_core::search::format_patient_number;
use dermis_core::session::{lot_matches, LotTraceRow, RecordedProducts, ValidLotTrace};

/// One recall as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecallRow {
    pub id: RecallId,
    pub plan_id: PlanId,
    pub patient_id: PatientId,
    pub due: NaiveDate,
    /// `due`, `done` or `cancelled`.
    pub status: String,
}

impl Tx<'_> {
    /// Every session in which the lot was used (session date, then patient),
    /// with the patient's contact details, archived patients included (a
    /// recall reaches them too).
    pub fn lot_trace(&self, f: &ValidLotTrace) -> Result<Vec<LotTraceRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.id, r.performed_on, pt.id, pt.number_seq, pt.first_name, pt.last_name,
                    pt.phone, pt.email, pt.address, pt.preferred_language, u.display_name,
                    r.cartridge_lot, r.glide_lot, r.device, r.numbing_cream, pt.archived,
                    (SELECT count(*) FROM adverse_events e WHERE e.session_record_id = r.id)
             FROM session_records r
             JOIN patients pt ON pt.id = r.patient_id
             JOIN users u ON u.id = r.recorded_by
             WHERE (CAST(?1 AS TEXT) IS NULL OR r.performed_on >= ?1)
               AND (CAST(?2 AS TEXT) IS NULL OR r.performed_on <= ?2)
             ORDER BY r.performed_on, pt.sort_key, r.id",
        )?;
        let rows = st.query_map(params![f.from.map(ymd), f.to.map(ymd)], |r| {
            let products = RecordedProducts {
                cartridge_lot: r.get(11)?,
                glide_lot: r.get(12)?,
                device: r.get(13)?,
                numbing_cream: r.get(14)?,
            };
            let matched = lot_matches(&f.key, &products);
            if matched.is_empty() {
                return Ok(None);
            }
            let events: i64 = r.get(16)?;
            Ok(Some(LotTraceRow {
                session_record_id: r.get(0)?,
                session_date: date_col(r, 1)?,
                patient_id: r.get(2)?,
                patient_number: format_patient_number(r.get(3)?),
                first_name: r.get(4)?,
                last_name: r.get(5)?,
                phone: r.get(6)?,
                email: r.get(7)?,
                address: r.get(8)?,
                preferred_language: r.get(9)?,
                practitioner: r.get(10)?,
                matched,
                adverse_events: u32::try_from(events).unwrap_or(u32::MAX),
                archived: r.get(15)?,
            }))
        })?;
        let mut out = Vec::new();
        for row in rows {
            if let Some(row) = row? {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// One recall.
    pub fn recall(&self, id: i64) -> Result<Option<RecallRow>> {
        self.conn
            .query_row(
                "SELECT id, plan_id, patient_id, due, status FROM recalls WHERE id = ?1",
                [id],
                |r| {
                    Ok(RecallRow {
                        id: r.get(0)?,
                        plan_id: r.get(1)?,
                        patient_id: r.get(2)?,
                        due: date_col(r, 3)?,
                        status: r.get(4)?,
                    })
                },
            )
            .optional()
    }

    /// The call list: each patient's earliest open recall due on or before
    /// `until` (active or completed plans, patients not archived), overdue
    /// first, with the calls logged about it (and the patient's calls left
    /// over from recalls re-planning replaced).
    pub fn recall_calls(&self, today: NaiveDate, until: NaiveDate) -> Result<Vec<RecallCall>> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.id, r.plan_id, pt.id, pt.number_seq, pt.first_name, pt.last_name, pt.phone,
                    pt.preferred_language, r.due
             FROM recalls r
             JOIN plans p ON p.id = r.plan_id
             JOIN patients pt ON pt.id = r.patient_id
             WHERE r.status = 'due' AND r.due <= ?1 AND p.status IN ('active', 'completed')
               AND pt.archived = 0
             ORDER BY r.due, pt.sort_key, r.id",
        )?;
        let rows = st.query_map([ymd(until)], |r| {
            let due = date_col(r, 8)?;
            Ok(RecallCall {
                recall_id: r.get(0)?,
                plan_id: r.get(1)?,
                patient_id: r.get(2)?,
                patient_number: format_patient_number(r.get(3)?),
                first_name: r.get(4)?,
                last_name: r.get(5)?,
                phone: r.get(6)?,
                preferred_language: r.get(7)?,
                due,
                urgency: urgency(due, today),
                contacts: vec![],
            })
        })?;
        let mut calls: Vec<RecallCall> = Vec::new();
        for row in rows {
            let row = row?;
            // One row per patient: the earliest recall is the one to call about.
            if calls.iter().any(|c| c.patient_id == row.patient_id) {
                continue;
            }
            calls.push(row);
        }
        for c in &mut calls {
            c.contacts = self.recall_contacts(c.patient_id, c.recall_id)?;
        }
        // Overdue before this week's, each by due date (the query's order).
        calls.sort_by_key(|c| c.urgency != RecallUrgency::Overdue);
        Ok(calls)
    }

    /// The calls logged about a recall, and the patient's calls whose recall
    /// was replaced by re-planning; oldest first.
    pub fn recall_contacts(
        &self,
        patient: PatientId,
        recall: RecallId,
    ) -> Result<Vec<RecallContact>> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.recall_id, c.due, c.outcome, c.note, u.display_name, c.at
             FROM recall_contacts c
             JOIN users u ON u.id = c.user_id
             WHERE c.patient_id = ?1 AND (c.recall_id = ?2 OR c.recall_id IS NULL)
             ORDER BY c.id",
        )?;
        let rows = st.query_map(params![patient, recall], |r| {
            Ok(RecallContact {
                id: r.get(0)?,
                recall_id: r.get(1)?,
                due: date_col(r, 2)?,
                outcome: text_enum(r, 3, ContactOutcome::parse)?,
                note: r.get(4)?,
                by: r.get(5)?,
                at: r.get(6)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// Logs a call about a recall; returns its id.
    pub fn insert_recall_contact(
        &self,
        recall: &RecallRow,
        outcome: ContactOutcome,
        note: &str,
        user_id: i64,
        now: &str,
    ) -> Result<RecallContactId> {
        self.conn.execute(
            "INSERT INTO recall_contacts (recall_id, patient_id, due, outcome, note, user_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                recall.id,
                recall.patient_id,
                ymd(recall.due),
                outcome.as_str(),
                note,
                user_id,
                now
            ],
        )?;
        Ok(RecallContactId(self.conn.last_insert_rowid()?))
    }
}
