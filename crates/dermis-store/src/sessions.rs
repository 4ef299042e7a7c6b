//! Session records, healing reports with their adverse events, photos (rows
//! here, pixels in [`crate::files`]) and the depth chart setting.

use crate::columns::{date_col, json_col, text_enum, ymd};
use crate::db::{params, OptionalExtension, Row};
use crate::{Result, StoreError, Tx};
use chrono::NaiveDate;
use dermis_core::assessment::TreatmentArea;
use dermis_core::photo::{Photo, PhotoAngle};
use dermis_core::search::format_patient_number;
use dermis_core::session::{
    default_depth_chart, AdverseEvent, AdverseEventEntry, AdverseEventKind, Endpoint,
    HealingReport, SessionRecord, SkinThickness, ValidEventFilter, ValidHealing,
    ValidSessionRecord, ZoneDepthChart,
};

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Internal(format!("cannot store a value: {e}")))
}

const RECORD_COLUMNS: &str =
    "r.id, r.patient_id, s.plan_id, r.planned_session_id, s.n, r.performed_on, \
    r.numbing_cream, r.numbing_minutes, r.device, r.cartridge_lot, r.skin, r.depths, r.passes, \
    r.glide_product, r.glide_lot, r.endpoint, r.immediate_reaction, r.duration_minutes, r.notes, \
    r.ceiling_confirmed, r.screening_override_reason, u.display_name, r.created_at, r.warnings";

const RECORD_FROM: &str = "FROM session_records r
    JOIN planned_sessions s ON s.id = r.planned_session_id
    JOIN users u ON u.id = r.recorded_by";

fn record_from_row(r: &Row) -> Result<SessionRecord> {
    Ok(SessionRecord {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        plan_id: r.get(2)?,
        planned_session_id: r.get(3)?,
        n: r.get(4)?,
        date: date_col(r, 5)?,
        numbing_cream: r.get(6)?,
        numbing_minutes: r.get(7)?,
        device: r.get(8)?,
        cartridge_lot: r.get(9)?,
        skin: text_enum(r, 10, SkinThickness::parse)?,
        depths: json_col(r, 11)?,
        passes: r.get(12)?,
        glide_product: r.get(13)?,
        glide_lot: r.get(14)?,
        endpoint: text_enum(r, 15, Endpoint::parse)?,
        immediate_reaction: r.get(16)?,
        duration_minutes: r.get(17)?,
        notes: r.get(18)?,
        ceiling_confirmed: r.get(19)?,
        screening_override_reason: r.get(20)?,
        practitioner: r.get(21)?,
        created_at: r.get(22)?,
        warnings: json_col(r, 23)?,
        healing: None,
    })
}

const PHOTO_COLUMNS: &str =
    "p.id, p.patient_id, p.sha256, p.mime, p.width, p.height, p.taken_on, p.area, \
    p.angle, p.session_record_id, p.assessment_id, u.display_name, p.imported_at";

fn photo_from_row(r: &Row) -> Result<Photo> {
    Ok(Photo {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        sha256: r.get(2)?,
        mime: r.get(3)?,
        width: r.get(4)?,
        height: r.get(5)?,
        taken_on: date_col(r, 6)?,
        area: text_enum(r, 7, TreatmentArea::parse)?,
        angle: text_enum(r, 8, PhotoAngle::parse)?,
        session_record_id: r.get(9)?,
        assessment_id: r.get(10)?,
        imported_by: r.get(11)?,
        imported_at: r.get(12)?,
    })
}

/// A photo row about to be stored.
pub struct NewPhoto<'a> {
    pub patient_id: i64,
    pub sha256: &'a str,
    pub mime: &'a str,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub taken_on: NaiveDate,
    pub area: TreatmentArea,
    pub angle: PhotoAngle,
    pub session_record_id: Option<i64>,
    pub assessment_id: Option<i64>,
}

impl Tx<'_> {
    /// The clinic's needle-depth chart (the manufacturer's defaults until changed).
    pub fn depth_chart(&self) -> Result<Vec<ZoneDepthChart>> {
        Ok(self
            .setting("depth_chart")?
            .unwrap_or_else(default_depth_chart))
    }

    pub fn set_depth_chart(&self, chart: &[ZoneDepthChart]) -> Result<()> {
        self.set_setting("depth_chart", &chart)
    }

    /// Stores a session record; the planned session becomes done on the day it took place.
    pub fn insert_session_record(
        &self,
        planned_session_id: i64,
        patient_id: i64,
        v: &ValidSessionRecord,
        warnings: &[String],
        user_id: i64,
        now: &str,
    ) -> Result<i64> {
        let done = self.conn.execute(
            "UPDATE planned_sessions SET status = 'done', date = ?2, version = version + 1 WHERE id = ?1 AND status = 'planned'",
            params![planned_session_id, ymd(v.date)],
        )?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "This session is already recorded or was cancelled.".into(),
            ));
        }
        self.conn.execute(
            "UPDATE plans SET version = version + 1 WHERE id = (SELECT plan_id FROM planned_sessions WHERE id = ?1)",
            [planned_session_id],
        )?;
        self.conn.execute(
            "INSERT INTO session_records (planned_session_id, patient_id, performed_on, numbing_cream,
                numbing_minutes, device, cartridge_lot, skin, depths, passes, glide_product, glide_lot,
                endpoint, immediate_reaction, duration_minutes, notes, ceiling_confirmed,
                screening_override_reason, warnings, recorded_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
            params![
                planned_session_id,
                patient_id,
                ymd(v.date),
                v.numbing_cream,
                v.numbing_minutes,
                v.device,
                v.cartridge_lot,
                v.skin.as_str(),
                json(&v.depths)?,
                v.passes,
                v.glide_product,
                v.glide_lot,
                v.endpoint.as_str(),
                v.immediate_reaction,
                v.duration_minutes,
                v.notes,
                v.ceiling_confirmed,
                v.screening_override_reason,
                json(&warnings)?,
                user_id,
                now
            ],
        )?;
        self.conn.last_insert_rowid()
    }

    fn attach_healing(&self, mut r: SessionRecord) -> Result<SessionRecord> {
        r.healing = self.healing_of(r.id.0)?;
        Ok(r)
    }

    pub fn session_record(&self, id: i64) -> Result<Option<SessionRecord>> {
        let r = self
            .conn
            .query_row(
                &format!("SELECT {RECORD_COLUMNS} {RECORD_FROM} WHERE r.id = ?1"),
                [id],
                record_from_row,
            )
            .optional()?;
        r.map(|r| self.attach_healing(r)).transpose()
    }

    /// A patient's session records, newest first.
    pub fn session_records(&self, patient_id: i64) -> Result<Vec<SessionRecord>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} {RECORD_FROM} WHERE r.patient_id = ?1 ORDER BY r.performed_on DESC, r.id DESC"
        ))?;
        let rows: Vec<SessionRecord> = st
            .query_map([patient_id], record_from_row)?
            .collect::<Result<_>>()?;
        rows.into_iter().map(|r| self.attach_healing(r)).collect()
    }

    /// The weeks before each session of a plan that slow healing set (index = n − 1).
    pub fn session_gaps(&self, plan_id: i64) -> Result<Vec<Option<u32>>> {
        let mut st = self.conn.prepare_cached(
            "SELECT gap_weeks FROM planned_sessions WHERE plan_id = ?1 ORDER BY n",
        )?;
        let rows = st.query_map([plan_id], |r| r.get(0))?;
        rows.collect::<Result<_>>()
    }

    pub fn set_session_gap(&self, plan_id: i64, n: u32, weeks: u32) -> Result<()> {
        self.conn.execute(
            "UPDATE planned_sessions SET gap_weeks = ?3, version = version + 1 WHERE plan_id = ?1 AND n = ?2",
            params![plan_id, n, weeks],
        )?;
        Ok(())
    }

    /// Adds one sentence to a plan's rationale (why it changed after it was accepted).
    pub fn append_plan_rationale(&self, plan_id: i64, sentence: &str, now: &str) -> Result<()> {
        let current: String = self.conn.query_row(
            "SELECT rationale FROM plans WHERE id = ?1",
            [plan_id],
            |r| r.get(0),
        )?;
        let mut list: Vec<String> = serde_json::from_str(&current)
            .map_err(|e| StoreError::Internal(format!("a plan's rationale is unreadable: {e}")))?;
        list.push(sentence.to_string());
        self.conn.execute(
            "UPDATE plans SET rationale = ?2, updated_at = ?3 WHERE id = ?1",
            params![plan_id, json(&list)?, now],
        )?;
        Ok(())
    }

    /// Marks the due recalls of a patient up to `until` as done (a maintenance visit took place).
    pub fn close_recalls(&self, patient_id: i64, until: NaiveDate) -> Result<usize> {
        self.conn.execute(
            "UPDATE recalls SET status = 'done' WHERE patient_id = ?1 AND status = 'due' AND due <= ?2",
            params![patient_id, ymd(until)],
        )
    }

    pub fn insert_healing(
        &self,
        record: &SessionRecord,
        v: &ValidHealing,
        decision: &str,
        user_id: i64,
        now: &str,
    ) -> Result<i64> {
        let exists: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM healing_reports WHERE session_record_id = ?1",
            [record.id],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::Conflict(format!(
                "The healing after session {} is already recorded.",
                record.n
            )));
        }
        self.conn.execute(
            "INSERT INTO healing_reports (session_record_id, reported_on, redness_days, flaking_days, notes,
                decision, recorded_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                record.id,
                ymd(v.reported_on),
                v.redness_days,
                v.flaking_days,
                v.notes,
                decision,
                user_id,
                now
            ],
        )?;
        let report_id = self.conn.last_insert_rowid()?;
        let mut st = self.conn.prepare_cached(
            "INSERT INTO adverse_events (healing_report_id, session_record_id, patient_id, kind, description, reported_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for e in &v.events {
            st.execute(params![
                report_id,
                record.id,
                record.patient_id,
                e.kind.as_str(),
                e.description,
                ymd(v.reported_on)
            ])?;
        }
        Ok(report_id)
    }

    fn healing_of(&self, record_id: i64) -> Result<Option<HealingReport>> {
        let h = self
            .conn
            .query_row(
                "SELECT h.id, h.session_record_id, h.reported_on, h.redness_days, h.flaking_days, h.notes,
                        h.decision, u.display_name, h.created_at
                 FROM healing_reports h JOIN users u ON u.id = h.recorded_by
                 WHERE h.session_record_id = ?1",
                [record_id],
                |r| {
                    Ok(HealingReport {
                        id: r.get(0)?,
                        session_record_id: r.get(1)?,
                        reported_on: date_col(r, 2)?,
                        redness_days: r.get(3)?,
                        flaking_days: r.get(4)?,
                        events: vec![],
                        notes: r.get(5)?,
                        decision: r.get(6)?,
                        recorded_by: r.get(7)?,
                        created_at: r.get(8)?,
                    })
                },
            )
            .optional()?;
        let Some(mut h) = h else { return Ok(None) };
        let mut st = self.conn.prepare_cached(
            "SELECT id, kind, description FROM adverse_events WHERE healing_report_id = ?1 ORDER BY id",
        )?;
        h.events = st
            .query_map([h.id], |r| {
                Ok(AdverseEvent {
                    id: r.get(0)?,
                    kind: text_enum(r, 1, AdverseEventKind::parse)?,
                    description: r.get(2)?,
                })
            })?
            .collect::<Result<_>>()?;
        Ok(Some(h))
    }

    /// The adverse-event register, newest report first, filtered.
    pub fn adverse_events(&self, f: &ValidEventFilter) -> Result<Vec<AdverseEventEntry>> {
        let lot = format!(
            "%{}%",
            f.lot
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, e.kind, e.description, e.reported_on, pt.id, pt.number_seq, pt.first_name, pt.last_name,
                    r.id, r.performed_on, s.n, r.device, r.cartridge_lot, r.depths, r.passes, r.numbing_cream,
                    r.glide_product, r.glide_lot, u.display_name
             FROM adverse_events e
             JOIN session_records r ON r.id = e.session_record_id
             JOIN planned_sessions s ON s.id = r.planned_session_id
             JOIN patients pt ON pt.id = e.patient_id
             JOIN users u ON u.id = r.recorded_by
             WHERE (CAST(?1 AS TEXT) IS NULL OR e.kind = ?1)
               AND (CAST(?2 AS TEXT) IS NULL OR e.reported_on >= ?2)
               AND (CAST(?3 AS TEXT) IS NULL OR e.reported_on <= ?3)
               AND (?4 = '%%' OR lower(r.cartridge_lot) LIKE ?4 ESCAPE '\\' OR lower(r.glide_lot) LIKE ?4 ESCAPE '\\')
             ORDER BY e.reported_on DESC, e.id DESC",
        )?;
        let rows = st.query_map(
            params![
                f.kind.map(|k| k.as_str()),
                f.from.map(ymd),
                f.to.map(ymd),
                lot
            ],
            |r| {
                Ok(AdverseEventEntry {
                    event_id: r.get(0)?,
                    kind: text_enum(r, 1, AdverseEventKind::parse)?,
                    description: r.get(2)?,
                    reported_on: date_col(r, 3)?,
                    patient_id: r.get(4)?,
                    patient_number: format_patient_number(r.get(5)?),
                    first_name: r.get(6)?,
                    last_name: r.get(7)?,
                    session_record_id: r.get(8)?,
                    session_date: date_col(r, 9)?,
                    n: r.get(10)?,
                    device: r.get(11)?,
                    cartridge_lot: r.get(12)?,
                    depths: json_col(r, 13)?,
                    passes: r.get(14)?,
                    numbing_cream: r.get(15)?,
                    glide_product: r.get(16)?,
                    glide_lot: r.get(17)?,
                    practitioner: r.get(18)?,
                })
            },
        )?;
        rows.collect::<Result<_>>()
    }

    /// Stores a photo row; the same picture twice for one patient is a conflict.
    pub fn insert_photo(&self, p: &NewPhoto, user_id: i64, now: &str) -> Result<i64> {
        let dup: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM photos WHERE patient_id = ?1 AND sha256 = ?2",
                params![p.patient_id, p.sha256],
                |r| r.get(0),
            )
            .optional()?;
        if dup.is_some() {
            return Err(StoreError::Conflict(
                "This photo is already in the patient's record.".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO photos (patient_id, sha256, mime, width, height, bytes, taken_on, area, angle,
                session_record_id, assessment_id, imported_by, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                p.patient_id,
                p.sha256,
                p.mime,
                p.width,
                p.height,
                p.bytes as i64,
                ymd(p.taken_on),
                p.area.as_str(),
                p.angle.as_str(),
                p.session_record_id,
                p.assessment_id,
                user_id,
                now
            ],
        )?;
        self.conn.last_insert_rowid()
    }

    pub fn photo(&self, id: i64) -> Result<Option<Photo>> {
        self
            .conn
            .query_row(
                &format!(
                    "SELECT {PHOTO_COLUMNS} FROM photos p JOIN users u ON u.id = p.imported_by WHERE p.id = ?1"
                ),
                [id],
                photo_from_row,
            )
            .optional()
    }

    /// A patient's photos, newest first.
    pub fn photos(&self, patient_id: i64) -> Result<Vec<Photo>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos p JOIN users u ON u.id = p.imported_by
             WHERE p.patient_id = ?1 ORDER BY p.taken_on DESC, p.id DESC"
        ))?;
        let rows = st.query_map([patient_id], photo_from_row)?;
        rows.collect::<Result<_>>()
    }

    /// Removes a photo row; its (sha256, mime), or `None` when there is no such photo.
    pub fn delete_photo(&self, id: i64) -> Result<Option<(String, String)>> {
        let found: Option<(String, String)> = self
            .conn
            .query_row("SELECT sha256, mime FROM photos WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if found.is_some() {
            self.conn
                .execute("DELETE FROM photos WHERE id = ?1", [id])?;
        }
        Ok(found)
    }

    /// True while some photo row (any patient's) names this picture.
    pub fn photo_file_in_use(&self, sha256: &str) -> Result<bool> {
        self.conn.query_row(
            "SELECT count(*) > 0 FROM photos WHERE sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
    }
}
