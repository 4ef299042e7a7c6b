//! The reception desk and the clinic's administration: check-in, the clinic
//! details and logo, the user list, the audit log's filtered pages, and the
//! record of printed documents.

use crate::audit::AuditRow;
use crate::db::{params, OptionalExtension};
use crate::{Result, StoreError, Tx};

/// The clinic's letterhead details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicDetailsRow {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub has_logo: bool,
}

/// A filter over the audit log; empty strings match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// User name, exact (any case).
    pub username: String,
    /// Action, or the start of one (`login` matches `login.failed`).
    pub action: String,
    /// Instants (RFC 3339 prefixes are fine: `2026-11-24`).
    pub from: String,
    pub to: String,
    /// Entries older than this id (paging backwards), or none.
    pub before_id: Option<i64>,
    pub limit: u32,
}

/// One printed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: i64,
    pub patient_id: i64,
    pub kind: String,
    pub title: String,
    pub sha256: String,
    pub pages: u32,
    pub bytes: u64,
    pub printed_by: String,
    pub printed_at: String,
}

impl Tx<'_> {
    pub fn insert_consultation(
        &self,
        patient_id: i64,
        date: chrono::NaiveDate,
        time: Option<&str>,
        user_id: i64,
        now: &str,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO appointments (patient_id, kind, date, time, created_by, created_at)
             VALUES (?1, 'consultation', ?2, ?3, ?4, ?5)",
            params![
                patient_id,
                date.format("%Y-%m-%d").to_string(),
                time,
                user_id,
                now
            ],
        )?;
        self.conn.last_insert_rowid()
    }

    /// Cancels a booked consultation, or checks its patient in / out.
    pub fn update_consultation(
        &self,
        id: i64,
        cancel: bool,
        checked_in_at: Option<Option<&str>>,
    ) -> Result<i64> {
        let patient: Option<i64> = self
            .conn
            .query_row(
                "SELECT patient_id FROM appointments WHERE id = ?1 AND status = 'booked'",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let patient = patient.ok_or_else(|| StoreError::NotFound(format!("Appointment {id}")))?;
        if cancel {
            self.conn.execute(
                "UPDATE appointments SET status = 'cancelled', version = version + 1 WHERE id = ?1",
                [id],
            )?;
        }
        if let Some(at) = checked_in_at {
            self.conn.execute(
                "UPDATE appointments SET checked_in_at = ?2, version = version + 1 WHERE id = ?1",
                params![id, at],
            )?;
        }
        Ok(patient)
    }

    /// Booked consultations on `date`, in time order.
    pub fn consultations_on(
        &self,
        date: chrono::NaiveDate,
    ) -> Result<Vec<dermis_core::plan::ConsultationEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, pt.id, pt.number_seq, pt.first_name, pt.last_name, pt.phone, a.date, a.time, a.checked_in_at
             FROM appointments a JOIN patients pt ON pt.id = a.patient_id
             WHERE a.date = ?1 AND a.status = 'booked' AND pt.archived = 0
             ORDER BY a.time IS NULL, a.time, pt.sort_key, a.id",
        )?;
        let rows = st.query_map([date.format("%Y-%m-%d").to_string()], |r| {
            Ok(dermis_core::plan::ConsultationEntry {
                appointment_id: r.get(0)?,
                patient_id: r.get(1)?,
                patient_number: dermis_core::search::format_patient_number(r.get(2)?),
                first_name: r.get(3)?,
                last_name: r.get(4)?,
                phone: r.get(5)?,
                date: crate::columns::date_col(r, 6)?,
                time: r.get(7)?,
                checked_in_at: r.get(8)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// Marks a planned session as checked in (`Some(now)`) or clears it.
    pub fn set_checked_in(&self, session_id: i64, at: Option<&str>) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE planned_sessions SET checked_in_at = ?2, version = version + 1 WHERE id = ?1 AND status != 'cancelled'",
            params![session_id, at],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("Session {session_id}")));
        }
        Ok(())
    }

    pub fn clinic_details(&self) -> Result<Option<ClinicDetailsRow>> {
        self.conn
            .query_row(
                "SELECT name, address, phone, email, logo IS NOT NULL FROM clinic WHERE id = 1",
                (),
                |r| {
                    Ok(ClinicDetailsRow {
                        name: r.get(0)?,
                        address: r.get(1)?,
                        phone: r.get(2)?,
                        email: r.get(3)?,
                        has_logo: r.get(4)?,
                    })
                },
            )
            .optional()
    }

    pub fn set_clinic_details(
        &self,
        name: &str,
        address: &str,
        phone: &str,
        email: &str,
    ) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE clinic SET name = ?1, address = ?2, phone = ?3, email = ?4 WHERE id = 1",
            params![name, address, phone, email],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound("the clinic".into()));
        }
        Ok(())
    }

    /// The logo's bytes and MIME type, if one is set.
    pub fn logo(&self) -> Result<Option<(Vec<u8>, String)>> {
        self.conn
            .query_row(
                "SELECT logo, logo_mime FROM clinic WHERE id = 1 AND logo IS NOT NULL",
                (),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    /// Sets (or with `None` removes) the logo.
    pub fn set_logo(&self, logo: Option<(&[u8], &str)>) -> Result<()> {
        self.conn.execute(
            "UPDATE clinic SET logo = ?1, logo_mime = ?2 WHERE id = 1",
            params![logo.map(|l| l.0), logo.map(|l| l.1)],
        )?;
        Ok(())
    }

    /// Every account, active first, by user name.
    pub fn users(&self) -> Result<Vec<crate::UserRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {} FROM users ORDER BY active DESC, username COLLATE NOCASE",
            crate::users::user_columns(&self.conn)
        ))?;
        let rows = st.query_map((), |r| {
            Ok(crate::UserRow {
                id: r.get(0)?,
                username: r.get(1)?,
                display_name: r.get(2)?,
                password_hash: r.get(3)?,
                roles: r
                    .get::<String>(4)?
                    .split(',')
                    .filter_map(dermis_core::Role::parse)
                    .collect(),
                active: r.get(5)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// One page of the audit log, newest first, and whether older entries match too.
    pub fn audit_page(&self, q: &AuditQuery) -> Result<(Vec<AuditRow>, bool)> {
        let limit = q.limit.clamp(1, 500);
        let action_like = format!(
            "{}%",
            q.action
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        // "to" is inclusive of the whole day or instant typed: compare with a high suffix.
        let to = if q.to.is_empty() {
            String::new()
        } else {
            format!("{}\u{10FFFF}", q.to)
        };
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {} FROM audit_log
             WHERE (?1 = '' OR username = ?1 COLLATE NOCASE)
               AND action LIKE ?2 ESCAPE '\\'
               AND (?3 = '' OR at >= ?3)
               AND (?4 = '' OR at <= ?4)
               AND (CAST(?5 AS BIGINT) IS NULL OR id < ?5)
             ORDER BY id DESC LIMIT ?6",
            crate::audit::AUDIT_ROW_COLUMNS
        ))?;
        let mut rows: Vec<AuditRow> = st
            .query_map(
                params![q.username, action_like, q.from, to, q.before_id, limit + 1],
                crate::audit::audit_row,
            )?
            .collect::<Result<_>>()?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        Ok((rows, more))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn insert_document(
        &self,
        patient_id: i64,
        kind: &str,
        title: &str,
        sha256: &str,
        pages: u32,
        bytes: u64,
        user_id: i64,
        now: &str,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO documents (patient_id, kind, title, sha256, pages, bytes, printed_by, printed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![patient_id, kind, title, sha256, pages, bytes as i64, user_id, now],
        )?;
        self.conn.last_insert_rowid()
    }

    /// A patient's printed documents, newest first.
    pub fn documents(&self, patient_id: i64) -> Result<Vec<DocumentRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT d.id, d.patient_id, d.kind, d.title, d.sha256, d.pages, d.bytes, u.display_name, d.printed_at
             FROM documents d JOIN users u ON u.id = d.printed_by
             WHERE d.patient_id = ?1 ORDER BY d.id DESC",
        )?;
        let rows = st.query_map([patient_id], |r| {
            Ok(DocumentRow {
                id: r.get(0)?,
                patient_id: r.get(1)?,
                kind: r.get(2)?,
                title: r.get(3)?,
                sha256: r.get(4)?,
                pages: r.get(5)?,
                bytes: r.get::<i64>(6)? as u64,
                printed_by: r.get(7)?,
                printed_at: r.get(8)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }
}
