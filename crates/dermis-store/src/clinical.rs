//! Settings, screenings, assessments, plans, their sessions and recalls.

use crate::columns::{date_col, json_col, text_enum, ymd};
use crate::db::{params, OptionalExtension, Row};
use crate::{Result, StoreError, Tx};
use chrono::NaiveDate;
use dermis_core::assessment::{Assessment, Sensitivity, ValidAssessment};
use dermis_core::plan::{
    CalendarEntry, Plan, PlanProposal, PlanStatus, PlannedSession, RecallDue, SessionStatus,
};
use dermis_core::screening::{default_rules, Rule, Screening, ScreeningResult, ValidScreening};
use dermis_core::search::format_patient_number;
use dermis_core::settings::PlanSettings;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Internal(format!("cannot store a value: {e}")))
}

fn sensitivity(s: &str) -> Option<Sensitivity> {
    [
        Sensitivity::Sensitive,
        Sensitivity::Normal,
        Sensitivity::Resilient,
    ]
    .into_iter()
    .find(|x| x.as_str() == s)
}

const SCREENING_COLUMNS: &str =
    "s.id, s.patient_id, s.screened_on, s.answers, s.notes, s.result, u.username, s.created_at";
const ASSESSMENT_COLUMNS: &str = "a.id, a.patient_id, a.assessed_on, a.scar_types, a.grade, a.counts, a.score, \
     a.fitzpatrick, a.sensitivity, a.treatment_areas, a.scar_age_years, a.notes, u.username, a.created_at";

fn screening_from_row(r: &Row) -> Result<Screening> {
    Ok(Screening {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        screened_on: date_col(r, 2)?,
        answers: json_col(r, 3)?,
        notes: r.get(4)?,
        result: json_col(r, 5)?,
        recorded_by: r.get(6)?,
        created_at: r.get(7)?,
    })
}

fn assessment_from_row(r: &Row) -> Result<Assessment> {
    Ok(Assessment {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        assessed_on: date_col(r, 2)?,
        scar_types: json_col(r, 3)?,
        grade: r.get(4)?,
        counts: json_col(r, 5)?,
        score: r.get(6)?,
        fitzpatrick: r.get(7)?,
        sensitivity: text_enum(r, 8, sensitivity)?,
        treatment_areas: json_col(r, 9)?,
        scar_age_years: r.get(10)?,
        notes: r.get(11)?,
        recorded_by: r.get(12)?,
        created_at: r.get(13)?,
    })
}

/// A clinic's aftercare text in one language and who reviewed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AftercareText {
    /// The template, placeholders and all (checked before it is saved).
    pub text: String,
    /// The display name of who wrote or approved it.
    pub reviewed_by: String,
    /// RFC 3339, UTC.
    pub reviewed_at: String,
}

/// What the plan engine needs to re-plan a stored plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRules {
    pub interval_weeks: u32,
    pub shortest_weeks: u32,
    pub maintenance_months: u32,
}

impl Tx<'_> {
    pub(crate) fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        v.map(|s| {
            serde_json::from_str(&s)
                .map_err(|e| StoreError::Internal(format!("the setting {key} is unreadable: {e}")))
        })
        .transpose()
    }

    pub(crate) fn set_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, to_json(value)?],
        )?;
        Ok(())
    }

    /// The clinic's plan defaults and calendar (the product defaults until changed).
    pub fn plan_settings(&self) -> Result<PlanSettings> {
        Ok(self.setting("plan_settings")?.unwrap_or_default())
    }

    pub fn set_plan_settings(&self, s: &PlanSettings) -> Result<()> {
        self.set_setting("plan_settings", s)
    }

    /// Paper, aftercare text, idle lock and backup settings (defaults until changed).
    pub fn clinic_settings(&self) -> Result<dermis_core::settings::ClinicSettings> {
        Ok(self.setting("clinic_settings")?.unwrap_or_default())
    }

    pub fn set_clinic_settings(&self, s: &dermis_core::settings::ClinicSettings) -> Result<()> {
        self.set_setting("clinic_settings", s)
    }

    /// The clinic's own (or reviewed) aftercare text in one document
    /// language, e.g. `fr`; `None` while the sheet uses Dermis's default
    /// text for that language. Kept in the settings table, one key per
    /// language (`aftercare_text.fr`), so no schema change was needed.
    pub fn aftercare_text(&self, language: &str) -> Result<Option<AftercareText>> {
        self.setting(&format!("aftercare_text.{language}"))
    }

    /// Sets a language's aftercare text, or (`None`) goes back to the default.
    pub fn set_aftercare_text(&self, language: &str, text: Option<&AftercareText>) -> Result<()> {
        let key = format!("aftercare_text.{language}");
        match text {
            Some(t) => self.set_setting(&key, t),
            None => {
                self.conn
                    .execute("DELETE FROM settings WHERE key = ?1", [&key])?;
                Ok(())
            }
        }
    }

    /// The last backup that was written and verified, as recorded.
    pub fn last_backup(&self) -> Result<Option<serde_json::Value>> {
        self.setting("last_backup")
    }

    pub fn record_backup(&self, record: &serde_json::Value) -> Result<()> {
        self.set_setting("last_backup", record)
    }

    /// The clinic's contraindication rules (the product defaults until changed).
    pub fn contraindication_rules(&self) -> Result<Vec<Rule>> {
        Ok(self
            .setting("contraindication_rules")?
            .unwrap_or_else(default_rules))
    }

    pub fn set_contraindication_rules(&self, rules: &[Rule]) -> Result<()> {
        self.set_setting("contraindication_rules", &rules)
    }

    pub fn insert_screening(
        &self,
        patient_id: i64,
        s: &ValidScreening,
        result: &ScreeningResult,
        user_id: i64,
        now: &str,
    ) -> Result<Screening> {
        self.conn.execute(
            "INSERT INTO screenings (patient_id, screened_on, answers, notes, result, recorded_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                patient_id,
                ymd(s.screened_on),
                to_json(&s.answers_out())?,
                s.notes,
                to_json(result)?,
                user_id,
                now
            ],
        )?;
        let id = self.conn.last_insert_rowid()?;
        self.screening(id)?
            .ok_or_else(|| StoreError::NotFound(format!("Screening {id}")))
    }

    pub fn screening(&self, id: i64) -> Result<Option<Screening>> {
        self
            .conn
            .query_row(
                &format!("SELECT {SCREENING_COLUMNS} FROM screenings s JOIN users u ON u.id = s.recorded_by WHERE s.id = ?1"),
                [id],
                screening_from_row,
            )
            .optional()
    }

    /// A patient's screenings, newest first.
    pub fn screenings(&self, patient_id: i64) -> Result<Vec<Screening>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SCREENING_COLUMNS} FROM screenings s JOIN users u ON u.id = s.recorded_by
             WHERE s.patient_id = ?1 ORDER BY s.screened_on DESC, s.id DESC"
        ))?;
        let rows = st.query_map([patient_id], screening_from_row)?;
        rows.collect::<Result<_>>()
    }

    pub fn insert_assessment(
        &self,
        patient_id: i64,
        a: &ValidAssessment,
        user_id: i64,
        now: &str,
    ) -> Result<Assessment> {
        self.conn.execute(
            "INSERT INTO assessments (patient_id, assessed_on, scar_types, grade, counts, score, fitzpatrick,
                sensitivity, treatment_areas, scar_age_years, notes, recorded_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                patient_id,
                ymd(a.assessed_on),
                to_json(&a.scar_types)?,
                a.grade,
                to_json(&a.counts)?,
                a.score,
                a.fitzpatrick,
                a.sensitivity.as_str(),
                to_json(&a.treatment_areas)?,
                a.scar_age_years,
                a.notes,
                user_id,
                now
            ],
        )?;
        let id = self.conn.last_insert_rowid()?;
        self.assessment(id)?
            .ok_or_else(|| StoreError::NotFound(format!("Assessment {id}")))
    }

    pub fn assessment(&self, id: i64) -> Result<Option<Assessment>> {
        self
            .conn
            .query_row(
                &format!("SELECT {ASSESSMENT_COLUMNS} FROM assessments a JOIN users u ON u.id = a.recorded_by WHERE a.id = ?1"),
                [id],
                assessment_from_row,
            )
            .optional()
    }

    /// A patient's assessments, newest first.
    /// The Fitzpatrick skin type of an assessment, and nothing else of it:
    /// what an aftercare sheet's PIH caution needs. On the clinic server the
    /// desk may read this column and no other of `assessments`.
    pub fn assessment_fitzpatrick(&self, id: i64) -> Result<Option<u8>> {
        self.conn
            .query_row(
                "SELECT fitzpatrick FROM assessments WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
    }

    pub fn assessments(&self, patient_id: i64) -> Result<Vec<Assessment>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a JOIN users u ON u.id = a.recorded_by
             WHERE a.patient_id = ?1 ORDER BY a.assessed_on DESC, a.id DESC"
        ))?;
        let rows = st.query_map([patient_id], assessment_from_row)?;
        rows.collect::<Result<_>>()
    }

    /// Stores an accepted plan with its sessions and recalls.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_plan(
        &self,
        patient_id: i64,
        assessment_id: i64,
        start: NaiveDate,
        p: &PlanProposal,
        rules: &PlanRules,
        override_reason: &str,
        user_id: i64,
        now: &str,
    ) -> Result<Plan> {
        self.conn.execute(
            "INSERT INTO plans (patient_id, assessment_id, status, start, session_count, interval_weeks, shortest_weeks,
                maintenance_months, override_reason, rationale, warnings, created_by, created_at, updated_at)
             VALUES (?1, ?2, 'active', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                patient_id,
                assessment_id,
                ymd(start),
                p.session_count,
                rules.interval_weeks,
                rules.shortest_weeks,
                rules.maintenance_months,
                override_reason,
                to_json(&p.rationale)?,
                to_json(&p.warnings)?,
                user_id,
                now
            ],
        )?;
        let id = self.conn.last_insert_rowid()?;
        let mut st = self.conn.prepare_cached(
            "INSERT INTO planned_sessions (plan_id, n, date) VALUES (?1, ?2, ?3)",
        )?;
        for s in &p.sessions {
            st.execute(params![id, s.n, ymd(s.date)])?;
        }
        self.replace_recalls(id, patient_id, &p.maintenance)?;
        self.plan(id)?
            .ok_or_else(|| StoreError::NotFound(format!("Plan {id}")))
    }

    /// Replaces the plan's open recalls with `dates`.
    pub fn replace_recalls(
        &self,
        plan_id: i64,
        patient_id: i64,
        dates: &[NaiveDate],
    ) -> Result<()> {
        self.conn.execute(
            "DELETE FROM recalls WHERE plan_id = ?1 AND status = 'due'",
            [plan_id],
        )?;
        let mut st = self
            .conn
            .prepare_cached("INSERT INTO recalls (plan_id, patient_id, due) VALUES (?1, ?2, ?3)")?;
        for d in dates {
            st.execute(params![plan_id, patient_id, ymd(*d)])?;
        }
        Ok(())
    }

    pub fn plan(&self, id: i64) -> Result<Option<Plan>> {
        // On the clinic server the desk's login may read a plan's schedule
        // but not its reasoning (a column grant, pg.rs): for it those come
        // back empty, as dermis-clinic would blank them for the desk anyway.
        let reasoning = if self.conn.is_pg()
            && !self.conn.query_row(
                "SELECT has_column_privilege('plans', 'rationale', 'SELECT')",
                (),
                |r| r.get::<bool>(0),
            )? {
            "'' AS override_reason, '[]' AS rationale, '[]' AS warnings"
        } else {
            "override_reason, rationale, warnings"
        };
        let head = self
            .conn
            .query_row(
                &format!(
                    "SELECT id, patient_id, assessment_id, status, start, session_count, interval_weeks, {reasoning}, created_at
                     FROM plans WHERE id = ?1"
                ),
                [id],
                |r| {
                    Ok(Plan {
                        id: r.get(0)?,
                        patient_id: r.get(1)?,
                        assessment_id: r.get(2)?,
                        status: text_enum(r, 3, PlanStatus::parse)?,
                        start: date_col(r, 4)?,
                        session_count: r.get(5)?,
                        interval_weeks: r.get(6)?,
                        override_reason: r.get(7)?,
                        sessions: vec![],
                        maintenance: vec![],
                        rationale: json_col(r, 8)?,
                        warnings: json_col(r, 9)?,
                        created_at: r.get(10)?,
                    })
                },
            )
            .optional()?;
        let Some(mut plan) = head else {
            return Ok(None);
        };
        let mut st = self.conn.prepare_cached(
            "SELECT id, n, date, time, status FROM planned_sessions WHERE plan_id = ?1 ORDER BY n",
        )?;
        plan.sessions = st
            .query_map([id], |r| {
                Ok(PlannedSession {
                    id: r.get(0)?,
                    n: r.get(1)?,
                    date: date_col(r, 2)?,
                    time: r.get(3)?,
                    status: text_enum(r, 4, SessionStatus::parse)?,
                })
            })?
            .collect::<Result<_>>()?;
        let mut st = self.conn.prepare_cached(
            "SELECT due FROM recalls WHERE plan_id = ?1 AND status != 'cancelled' ORDER BY due",
        )?;
        plan.maintenance = st
            .query_map([id], |r| date_col(r, 0))?
            .collect::<Result<_>>()?;
        Ok(Some(plan))
    }

    /// A patient's plans, newest first.
    pub fn plans(&self, patient_id: i64) -> Result<Vec<Plan>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM plans WHERE patient_id = ?1 ORDER BY id DESC")?
            .query_map([patient_id], |r| r.get(0))?
            .collect::<Result<_>>()?;
        ids.into_iter()
            .filter_map(|id| self.plan(id).transpose())
            .collect()
    }

    /// The plan a session belongs to, and the engine's numbers for it.
    pub fn plan_of_session(&self, session_id: i64) -> Result<Option<(Plan, PlanRules)>> {
        let row: Option<(i64, u32, u32, u32)> = self
            .conn
            .query_row(
                "SELECT p.id, p.interval_weeks, p.shortest_weeks, p.maintenance_months
                 FROM planned_sessions s JOIN plans p ON p.id = s.plan_id WHERE s.id = ?1",
                [session_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((plan_id, interval_weeks, shortest_weeks, maintenance_months)) = row else {
            return Ok(None);
        };
        let plan = self
            .plan(plan_id)?
            .ok_or_else(|| StoreError::NotFound(format!("Plan {plan_id}")))?;
        Ok(Some((
            plan,
            PlanRules {
                interval_weeks,
                shortest_weeks,
                maintenance_months,
            },
        )))
    }

    /// The plan's version: one more after every change to it (its status, a
    /// session's date or time, a session recorded). `None`: no such plan.
    pub fn plan_version(&self, plan_id: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT version FROM plans WHERE id = ?1", [plan_id], |r| {
                r.get(0)
            })
            .optional()
    }

    /// Refuses, as a conflict, a change to plan `plan_id` made against
    /// `expected` when someone (another PC) has changed the plan since.
    pub fn check_plan_version(&self, plan_id: i64, expected: i64) -> Result<()> {
        let current = self
            .plan_version(plan_id)?
            .ok_or_else(|| StoreError::NotFound(format!("Plan {plan_id}")))?;
        if current != expected {
            return Err(StoreError::Conflict(format!(
                "Someone else changed this treatment plan while you were working on it (version {expected} is now {current}). Reload it and make your change again."
            )));
        }
        Ok(())
    }

    /// Books (or clears) the time of one planned session.
    pub fn set_session_time(&self, session_id: i64, time: Option<&str>, now: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE planned_sessions SET time = ?2, version = version + 1 WHERE id = ?1 AND status = 'planned'",
            params![session_id, time],
        )?;
        if n == 0 {
            return Err(StoreError::Conflict(
                "Only a planned session can be given a time.".into(),
            ));
        }
        self.conn.execute(
            "UPDATE plans SET updated_at = ?2, version = version + 1 WHERE id = (SELECT plan_id FROM planned_sessions WHERE id = ?1)",
            params![session_id, now],
        )?;
        Ok(())
    }

    /// Sets the dates of a plan's sessions (by number), leaving done sessions alone.
    pub fn set_session_dates(
        &self,
        plan_id: i64,
        dates: &[(u32, NaiveDate)],
        now: &str,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "UPDATE planned_sessions SET date = ?3, version = version + 1 WHERE plan_id = ?1 AND n = ?2 AND status = 'planned'",
        )?;
        for (n, d) in dates {
            st.execute(params![plan_id, n, ymd(*d)])?;
        }
        self.conn.execute(
            "UPDATE plans SET updated_at = ?2, version = version + 1 WHERE id = ?1",
            params![plan_id, now],
        )?;
        Ok(())
    }

    pub fn set_plan_status(&self, plan_id: i64, status: PlanStatus, now: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE plans SET status = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
            params![plan_id, status.as_str(), now],
        )?;
        if status == PlanStatus::Cancelled {
            self.conn.execute(
                "UPDATE planned_sessions SET status = 'cancelled', version = version + 1 WHERE plan_id = ?1 AND status = 'planned'",
                [plan_id],
            )?;
            self.conn.execute(
                "UPDATE recalls SET status = 'cancelled' WHERE plan_id = ?1 AND status = 'due'",
                [plan_id],
            )?;
        }
        Ok(())
    }

    /// Booked sessions from `from` to `to` inclusive of plans that are not
    /// cancelled, in date order, then by patient.
    pub fn calendar(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CalendarEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT s.id, p.id, pt.id, pt.number_seq, pt.first_name, pt.last_name, s.n, p.session_count, s.date, s.time, s.status, s.checked_in_at
             FROM planned_sessions s
             JOIN plans p ON p.id = s.plan_id
             JOIN patients pt ON pt.id = p.patient_id
             WHERE s.date BETWEEN ?1 AND ?2 AND s.status != 'cancelled' AND p.status != 'cancelled' AND pt.archived = 0
             ORDER BY s.date, s.time IS NULL, s.time, pt.sort_key, s.id",
        )?;
        let rows = st.query_map(params![ymd(from), ymd(to)], |r| {
            Ok(CalendarEntry {
                session_id: r.get(0)?,
                plan_id: r.get(1)?,
                patient_id: r.get(2)?,
                patient_number: format_patient_number(r.get(3)?),
                first_name: r.get(4)?,
                last_name: r.get(5)?,
                n: r.get(6)?,
                of: r.get(7)?,
                date: date_col(r, 8)?,
                time: r.get(9)?,
                status: text_enum(r, 10, SessionStatus::parse)?,
                checked_in_at: r.get(11)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    /// Open recalls due on or before `until`, oldest first; `overdue` when before `today`.
    pub fn recalls_due(&self, today: NaiveDate, until: NaiveDate) -> Result<Vec<RecallDue>> {
        let mut st = self.conn.prepare_cached(
            "SELECT pt.id, pt.number_seq, pt.first_name, pt.last_name, pt.phone, min(r.due)
             FROM recalls r
             JOIN plans p ON p.id = r.plan_id
             JOIN patients pt ON pt.id = r.patient_id
             WHERE r.status = 'due' AND r.due <= ?1 AND p.status IN ('active', 'completed') AND pt.archived = 0
             GROUP BY pt.id
             ORDER BY min(r.due), pt.sort_key",
        )?;
        let rows = st.query_map([ymd(until)], |r| {
            let due = date_col(r, 5)?;
            Ok(RecallDue {
                patient_id: r.get(0)?,
                patient_number: format_patient_number(r.get(1)?),
                first_name: r.get(2)?,
                last_name: r.get(3)?,
                phone: r.get(4)?,
                due,
                overdue: due < today,
            })
        })?;
        rows.collect::<Result<_>>()
    }
}
