//! Merging two records of one person: every row that names the record
//! merged away ("other") is re-pointed at the kept one, in the caller's
//! transaction, and the emptied record is archived with a pointer to the
//! kept one (`merged_into`). Nothing is deleted except what would be a
//! second copy: a photo of the same image the kept record already holds
//! (the file is shared by content address, so nothing is lost), and the
//! merged record's search terms (so that searching never offers it as a
//! live patient; its number still finds the kept record, see
//! `ids_by_number`).
//!
//! Whether the merge may go ahead is decided before this runs
//! (`dermis_core::merge::refusal`); this only moves rows.

use crate::db::params;
use crate::{Result, StoreError, Tx};
use dermis_core::merge::OpenPlan;

/// What a merge moves, by kind, in the order shown to the administrator.
/// Each entry is (kind, SQL counting the rows of patient ?1).
const COUNTS: &[(&str, &str)] = &[
    ("screenings", "SELECT count(*) FROM screenings WHERE patient_id = ?1"),
    ("assessments", "SELECT count(*) FROM assessments WHERE patient_id = ?1"),
    ("plans", "SELECT count(*) FROM plans WHERE patient_id = ?1"),
    (
        "planned sessions",
        "SELECT count(*) FROM planned_sessions WHERE plan_id IN (SELECT id FROM plans WHERE patient_id = ?1)",
    ),
    ("recalls", "SELECT count(*) FROM recalls WHERE patient_id = ?1"),
    ("appointments", "SELECT count(*) FROM appointments WHERE patient_id = ?1"),
    ("session records", "SELECT count(*) FROM session_records WHERE patient_id = ?1"),
    (
        "healing reports",
        "SELECT count(*) FROM healing_reports WHERE session_record_id IN (SELECT id FROM session_records WHERE patient_id = ?1)",
    ),
    ("adverse events", "SELECT count(*) FROM adverse_events WHERE patient_id = ?1"),
    ("photos", "SELECT count(*) FROM photos WHERE patient_id = ?1"),
    ("documents", "SELECT count(*) FROM documents WHERE patient_id = ?1"),
    ("recall calls", "SELECT count(*) FROM recall_contacts WHERE patient_id = ?1"),
    ("consents", "SELECT count(*) FROM consents WHERE patient_id = ?1"),
    (
        "merged records",
        "SELECT count(*) FROM patients WHERE merged_into = ?1",
    ),
];

/// The tables whose `patient_id` moves (planned sessions and healing
/// reports hang off plans and session records, and move with them).
const MOVED_TABLES: &[&str] = &[
    "screenings",
    "assessments",
    "plans",
    "recalls",
    "appointments",
    "session_records",
    "adverse_events",
    "photos",
    "documents",
    // The recall call log is about the person: it follows them.
    "recall_contacts",
    // A consent is the person's signature: it stays valid for them.
    "consents",
];

/// The contact details copied to the kept record when it has none of its own.
const FILLED: &[&str] = &["phone", "email", "address", "preferred_language", "sex"];

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// (kind, rows now on the kept record), every kind of [`Tx::merge_counts`].
    pub moved: Vec<(&'static str, i64)>,
    /// Photos of the same image the kept record had already: their rows
    /// were dropped (the file stays, the kept record's row points at it).
    pub duplicate_photos: i64,
    /// Contact details the kept record lacked and took from the other.
    pub filled: Vec<&'static str>,
    /// Whether the other record's notes were added to the kept record's.
    pub notes_added: bool,
}

impl Tx<'_> {
    /// How many rows of each kind name patient `id` (what a merge would move).
    pub fn merge_counts(&self, id: i64) -> Result<Vec<(&'static str, i64)>> {
        COUNTS
            .iter()
            .map(|(what, sql)| Ok((*what, self.conn.query_row(sql, [id], |r| r.get(0))?)))
            .collect()
    }

    /// Patient `id`'s plan under way (active or paused), the newest if several.
    pub fn open_plan(&self, id: i64) -> Result<Option<OpenPlan>> {
        use crate::db::OptionalExtension;
        self.conn
            .query_row(
                "SELECT id, start FROM plans WHERE patient_id = ?1 AND status IN ('active', 'paused')
                 ORDER BY id DESC LIMIT 1",
                [id],
                |r| {
                    Ok(OpenPlan {
                        id: r.get(0)?,
                        start: crate::columns::date_col(r, 1)?,
                    })
                },
            )
            .optional()
    }

    /// Moves everything recorded about patient `other` to patient `keep` and
    /// archives `other` with a pointer to `keep` (see the module doc). The
    /// caller has checked that the merge is allowed.
    pub fn merge_patients(&self, keep: i64, other: i64, now: &str) -> Result<Merged> {
        if keep == other {
            return Err(StoreError::Conflict(
                "A patient cannot be merged into itself.".into(),
            ));
        }
        for id in [keep, other] {
            let n: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM patients WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("Patient {id}")));
            }
        }
        let moved = self.merge_counts(other)?;
        // A photo of an image the kept record already has would break
        // UNIQUE (patient_id, sha256): the kept row stays, this one goes.
        let duplicate_photos = self.conn.execute(
            "DELETE FROM photos WHERE patient_id = ?1 AND sha256 IN (SELECT sha256 FROM photos WHERE patient_id = ?2)",
            params![other, keep],
        )? as i64;
        for table in MOVED_TABLES {
            self.conn.execute(
                &format!("UPDATE {table} SET patient_id = ?1 WHERE patient_id = ?2"),
                params![keep, other],
            )?;
        }
        // Records merged into `other` before now lead to `keep`.
        self.conn.execute(
            "UPDATE patients SET merged_into = ?1 WHERE merged_into = ?2",
            params![keep, other],
        )?;
        let mut filled = Vec::new();
        for field in FILLED {
            let n = self.conn.execute(
                &format!(
                    "UPDATE patients SET {field} = (SELECT o.{field} FROM patients o WHERE o.id = ?2)
                     WHERE id = ?1 AND coalesce({field}, '') = ''
                     AND (SELECT coalesce(o.{field}, '') FROM patients o WHERE o.id = ?2) <> ''"
                ),
                params![keep, other],
            )?;
            if n > 0 {
                filled.push(*field);
            }
        }
        // The other record's notes are kept, marked with where they came from.
        let notes_added = self.conn.execute(
            "UPDATE patients SET notes = CASE WHEN notes = '' THEN '' ELSE notes || ?3 END
                 || ?4 || (SELECT o.notes FROM patients o WHERE o.id = ?2)
             WHERE id = ?1 AND (SELECT o.notes FROM patients o WHERE o.id = ?2) <> ''
             AND notes <> (SELECT o.notes FROM patients o WHERE o.id = ?2)",
            params![
                keep,
                other,
                "\n\n",
                format!(
                    "From {}: ",
                    dermis_core::search::format_patient_number(self.patient_number_seq(other)?)
                )
            ],
        )? > 0;
        self.conn.execute(
            "UPDATE patients SET updated_at = ?2, version = version + 1 WHERE id = ?1",
            params![keep, now],
        )?;
        self.conn.execute(
            "UPDATE patients SET archived = 1, merged_into = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
            params![other, keep, now],
        )?;
        self.conn.execute(
            "DELETE FROM patient_search_terms WHERE patient_id = ?1",
            [other],
        )?;
        let (text, phone): (String, String) = self.conn.query_row(
            "SELECT search_text, phone FROM patients WHERE id = ?1",
            [keep],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        self.index_terms(keep, &text, &phone)?;
        Ok(Merged {
            moved,
            duplicate_photos,
            filled,
            notes_added,
        })
    }

    fn patient_number_seq(&self, id: i64) -> Result<i64> {
        self.conn
            .query_row("SELECT number_seq FROM patients WHERE id = ?1", [id], |r| {
                r.get(0)
            })
    }
}
