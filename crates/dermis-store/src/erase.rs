//! The right to erasure (PRODUCT.md §7): a patient and everything that hangs
//! off them, deleted in the caller's transaction, children first (the
//! foreign keys have no cascades, on purpose: nothing clinical disappears by
//! accident). The audit log is not touched — it is append-only and its
//! entries name patients by id only, so the id that stays there identifies
//! no one once the row is gone.

use crate::{Result, Store, Tx};

/// A photo file the erased patient's rows pointed at and no other row uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanPhoto {
    pub sha256: String,
    pub ext: String,
}

/// What an erasure removed, by kind (for the confirmation and the test).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    pub rows: Vec<(&'static str, usize)>,
    pub orphan_photos: Vec<OrphanPhoto>,
}

fn ext_of(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        _ => "jpg",
    }
}

impl Tx<'_> {
    /// Deletes patient `id` and every row that depends on them. `None` when
    /// there is no such patient.
    pub fn erase_patient(&self, id: i64) -> Result<Option<Erased>> {
        let exists: i64 =
            self.conn
                .query_row("SELECT count(*) FROM patients WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        if exists == 0 {
            return Ok(None);
        }
        let mut photos = Vec::new();
        {
            let mut st = self.conn.prepare(
                "SELECT DISTINCT sha256, mime FROM photos p WHERE patient_id = ?1
                 AND NOT EXISTS (SELECT 1 FROM photos o WHERE o.sha256 = p.sha256 AND o.patient_id <> ?1)",
            )?;
            let rows = st.query_map([id], |r| {
                Ok(OrphanPhoto {
                    sha256: r.get(0)?,
                    ext: ext_of(&r.get::<String>(1)?).to_string(),
                })
            })?;
            for r in rows {
                photos.push(r?);
            }
        }
        let steps: [(&'static str, &str); 15] = [
            ("consents", "DELETE FROM consents WHERE patient_id = ?1"),
            ("adverse events", "DELETE FROM adverse_events WHERE patient_id = ?1"),
            (
                "healing reports",
                "DELETE FROM healing_reports WHERE session_record_id IN (SELECT id FROM session_records WHERE patient_id = ?1)",
            ),
            ("photos", "DELETE FROM photos WHERE patient_id = ?1"),
            ("session records", "DELETE FROM session_records WHERE patient_id = ?1"),
            ("documents", "DELETE FROM documents WHERE patient_id = ?1"),
            ("appointments", "DELETE FROM appointments WHERE patient_id = ?1"),
            ("recall calls", "DELETE FROM recall_contacts WHERE patient_id = ?1"),
            ("recalls", "DELETE FROM recalls WHERE patient_id = ?1 OR plan_id IN (SELECT id FROM plans WHERE patient_id = ?1)"),
            (
                "planned sessions",
                "DELETE FROM planned_sessions WHERE plan_id IN (SELECT id FROM plans WHERE patient_id = ?1)",
            ),
            ("plans", "DELETE FROM plans WHERE patient_id = ?1"),
            ("assessments", "DELETE FROM assessments WHERE patient_id = ?1"),
            ("screenings", "DELETE FROM screenings WHERE patient_id = ?1"),
            ("search terms", "DELETE FROM patient_search_terms WHERE patient_id = ?1"),
            ("patient", "DELETE FROM patients WHERE id = ?1"),
        ];
        let mut rows = Vec::new();
        for (what, sql) in steps {
            rows.push((what, self.conn.execute(sql, [id])?));
        }
        Ok(Some(Erased {
            rows,
            orphan_photos: photos,
        }))
    }
}

impl Store {
    /// Removes the files (and thumbnails) of photos no row uses any more;
    /// a file already gone is fine. Returns how many files were removed.
    pub fn remove_orphan_photo_files(&mut self, photos: &[OrphanPhoto]) -> Result<usize> {
        if self.path().is_none() && !self.is_server() {
            return Ok(0);
        }
        let mut removed = 0;
        for p in photos {
            removed += self.remove_photo_files(&p.sha256, &p.ext)?;
        }
        Ok(removed)
    }
}
