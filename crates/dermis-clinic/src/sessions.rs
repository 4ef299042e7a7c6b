//! Session records (PRODUCT.md 4.5), the healing follow-up that feeds the plan
//! (4.4), the adverse-event register and the progress of the scar score (4.1).

use crate::clinical::{not_found, require_patient};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use chrono::{Duration, NaiveDate};
use dermis_core::ids;
use dermis_core::plan::{self, Plan, PlanStatus, SessionStatus, Slot};
use dermis_core::session::{
    self, format_mm, AdverseEventEntry, AdverseEventFilter, HealingInput, Progress, ProgressPoint,
    SessionRecord, SessionRecordInput, ZoneDepthChart,
};
use dermis_core::settings::ClinicCalendar;
use dermis_store::Tx;
use ids::{PatientId, PlannedSessionId, SessionRecordId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The session form, ready to fill: the previous session's settings copied
/// forward, the depth chart, and what the screening says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionDraft {
    #[ts(type = "number")]
    pub planned_session_id: i64,
    #[ts(type = "number")]
    pub patient_id: i64,
    #[ts(type = "number")]
    pub plan_id: i64,
    pub n: u32,
    pub of: u32,
    #[ts(type = "string")]
    pub planned_date: NaiveDate,
    pub input: SessionRecordInput,
    /// True when the form was filled from an earlier session.
    pub copied_forward: bool,
    pub depth_chart: Vec<ZoneDepthChart>,
    /// The screening's warnings, shown at session start.
    pub warnings: Vec<String>,
    /// Why the screening blocks treatment (an override reason is then required).
    pub blocked: Option<String>,
    /// Why this session cannot be recorded at all today (expired screening, paused plan, no consent...).
    pub refused: Option<String>,
    /// True when the patient has no signed, unrevoked consent that covers
    /// this plan (refused or only warned, as the clinic set it): the form
    /// offers "Sign now".
    pub consent_needed: bool,
}

/// What recording a healing report did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HealingOutcome {
    pub record: SessionRecord,
    pub plan: Plan,
}

/// The screening in force for a session on `date`: its warnings, and the
/// block (if any) that needs a practitioner's override. An absent, expired or
/// still-washing-out screening refuses the session outright.
fn screening_gate(
    tx: &Tx,
    patient_id: PatientId,
    date: NaiveDate,
) -> Result<(Vec<String>, Option<String>)> {
    let Some(s) = tx.screenings(patient_id.0)?.into_iter().next() else {
        return Err(ClinicError::validation(
            "screening",
            "This patient has no screening on record: record a screening before the session.",
        ));
    };
    let r = &s.result;
    if r.valid_until < date {
        return Err(ClinicError::validation(
            "screening",
            format!(
                "The screening of {} expired on {}: renew the screening before the session.",
                s.screened_on, r.valid_until
            ),
        ));
    }
    if let Some(e) = r.earliest_eligible.filter(|e| *e > date) {
        return Err(ClinicError::validation(
            "screening",
            format!("The screening's washout period runs until {e}: no session before then."),
        ));
    }
    let warnings = r.warnings.iter().map(|w| w.message.clone()).collect();
    let block = (!r.allowed).then(|| {
        r.blocks
            .iter()
            .map(|b| b.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    });
    Ok((warnings, block))
}

fn slots(p: &Plan) -> Vec<Slot> {
    p.sessions
        .iter()
        .map(|s| Slot {
            date: s.date,
            done: s.status != SessionStatus::Planned,
        })
        .collect()
}

/// Writes the dates that differ from the plan's and recomputes its recalls from the last session.
fn apply_dates(
    tx: &Tx,
    p: &Plan,
    dates: &[NaiveDate],
    maintenance_months: u32,
    now: &str,
) -> Result<usize> {
    let changed: Vec<(u32, NaiveDate)> = p
        .sessions
        .iter()
        .zip(dates)
        .filter(|(s, d)| s.date != **d && s.status == SessionStatus::Planned)
        .map(|(s, d)| (s.n, *d))
        .collect();
    tx.set_session_dates(p.id.0, &changed, now)?;
    let settings = tx.plan_settings()?;
    if let Some(last) = dates.last() {
        let calendar = ClinicCalendar::from_settings(&settings);
        let recalls = plan::recalls(
            &calendar,
            *last,
            maintenance_months,
            settings.defaults.recall_horizon_months,
        )
        .map_err(|e| ClinicError::validation("date", e.message))?;
        tx.replace_recalls(p.id.0, p.patient_id.0, &recalls)?;
    }
    Ok(changed.len())
}

fn plan_state_refusal(p: &Plan) -> Option<String> {
    match p.status {
        PlanStatus::Active => None,
        PlanStatus::Paused => Some(
            "This plan is paused (see the plan's rationale): a practitioner must review and resume it before the next session."
                .into(),
        ),
        other => Some(format!(
            "This plan is {}; no more sessions can be recorded in it.",
            other.as_str()
        )),
    }
}

/// The register as CSV (UTF-8 with BOM), one row per event.
fn register_csv(list: &[AdverseEventEntry]) -> Result<String> {
    let mut w = crate::export::CsvOut::new(&[
        "reported_on",
        "event",
        "description",
        "patient_number",
        "last_name",
        "first_name",
        "session_date",
        "session_number",
        "device",
        "cartridge_lot",
        "depths_mm",
        "passes",
        "numbing_cream",
        "glide_product",
        "glide_lot",
        "practitioner",
    ])?;
    for e in list {
        let depths: Vec<String> = e
            .depths
            .iter()
            .map(|d| format!("{} {}", d.zone.as_str(), format_mm(d.depth_um)))
            .collect();
        w.row(&[
            e.reported_on.to_string(),
            e.kind.as_str().to_string(),
            e.description.clone(),
            e.patient_number.clone(),
            e.last_name.clone(),
            e.first_name.clone(),
            e.session_date.to_string(),
            e.n.to_string(),
            e.device.clone(),
            e.cartridge_lot.clone(),
            depths.join("; "),
            e.passes.to_string(),
            e.numbing_cream.clone(),
            e.glide_product.clone(),
            e.glide_lot.clone(),
            e.practitioner.clone(),
        ])?;
    }
    w.finish()
}

impl Clinic {
    /// The session form for a planned session, with the last session's settings copied forward.
    pub fn session_draft(
        &self,
        actor: &Actor,
        planned_session_id: PlannedSessionId,
    ) -> Result<SessionDraft> {
        self.allow(actor, Action::RecordClinical)?;
        let today = self.today();
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let (p, _) = tx
                .plan_of_session(planned_session_id.0)?
                .ok_or_else(|| not_found("Session", planned_session_id.0))?;
            let ps = p
                .sessions
                .iter()
                .find(|s| s.id == planned_session_id)
                .ok_or_else(|| not_found("Session", planned_session_id.0))?;
            let previous = tx.session_records(p.patient_id.0)?.into_iter().next();
            let input = session::draft_record(previous.as_ref(), today);
            let mut refused = plan_state_refusal(&p);
            if ps.status != SessionStatus::Planned {
                refused = Some(format!(
                    "Session {} is already {}.",
                    ps.n,
                    ps.status.as_str()
                ));
            }
            let (mut warnings, blocked) = match screening_gate(tx, p.patient_id, today) {
                Ok(g) => g,
                Err(e) => {
                    refused.get_or_insert_with(|| e.to_string());
                    (vec![], None)
                }
            };
            let consent_needed = match crate::consents::session_gate(tx, &p) {
                Ok(None) => false,
                Ok(Some(warning)) => {
                    warnings.push(warning);
                    true
                }
                Err(e) => {
                    refused.get_or_insert_with(|| e.to_string());
                    true
                }
            };
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "session.read",
                "patient",
                &p.patient_id.to_string(),
                "",
            ))?;
            Ok(SessionDraft {
                planned_session_id: planned_session_id.0,
                patient_id: p.patient_id.0,
                plan_id: p.id.0,
                n: ps.n,
                of: p.session_count,
                planned_date: ps.date,
                input,
                copied_forward: previous.is_some(),
                depth_chart: tx.depth_chart()?,
                warnings,
                blocked,
                refused,
                consent_needed,
            })
        })
    }

    /// Records what was done at a planned session. The screening must be in
    /// date and not blocking (or overridden with a reason); depths above the
    /// chart's ceiling need the confirmation. The session becomes done on the
    /// day it took place; the later sessions follow from that day by the plan
    /// rules, and the plan completes with its last session.
    pub fn record_session(
        &self,
        actor: &Actor,
        planned_session_id: PlannedSessionId,
        input: &SessionRecordInput,
    ) -> Result<SessionRecord> {
        self.allow(actor, Action::RecordClinical)?;
        let today = self.today();
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let (p, rules) = tx
                .plan_of_session(planned_session_id.0)?
                .ok_or_else(|| not_found("Session", planned_session_id.0))?;
            if let Some(why) = plan_state_refusal(&p) {
                // Paused, completed or cancelled meanwhile, perhaps on another PC: by whom, when.
                let by = crate::live::who_and_when(tx.last_change_of(
                    "patient",
                    &p.patient_id.to_string(),
                    &["plan.status"],
                )?);
                return Err(ClinicError::Conflict(match by {
                    Some((who, time)) => format!(
                        "{why} ({who} changed the plan's status at {time}; reload to see it.)"
                    ),
                    None => why,
                }));
            }
            let i = p
                .sessions
                .iter()
                .position(|s| s.id == planned_session_id)
                .ok_or_else(|| not_found("Session", planned_session_id.0))?;
            let ps = &p.sessions[i];
            if ps.status != SessionStatus::Planned {
                // Another practitioner (another PC) may have recorded it meanwhile.
                let by = if ps.status == SessionStatus::Done {
                    crate::live::who_and_when(tx.last_change_of(
                        "patient",
                        &p.patient_id.to_string(),
                        &["session.record"],
                    )?)
                } else {
                    None
                };
                return Err(ClinicError::Conflict(match by {
                    Some((who, time)) => format!(
                        "{who} recorded session {} at {time}, while you were editing. Reload to see \
                         their record; what you typed here was not saved.",
                        ps.n
                    ),
                    None => format!("Session {} is already {}.", ps.n, ps.status.as_str()),
                }));
            }
            if let Some(earlier) = p.sessions[..i].iter().find(|s| s.status == SessionStatus::Planned) {
                return Err(ClinicError::Conflict(format!(
                    "Session {} is not recorded yet: record the sessions in order.",
                    earlier.n
                )));
            }
            let chart = tx.depth_chart()?;
            let v = session::validate_record(input, &chart, today)?;
            crate::clinical::require_born_by(tx, p.patient_id.0, "date", "Session date", v.date)?;
            if let Some(last) = tx.session_records(p.patient_id.0)?.into_iter().next() {
                if v.date <= last.date {
                    return Err(ClinicError::validation(
                        "date",
                        format!(
                            "The session date {} is not after the previous session on {}.",
                            v.date, last.date
                        ),
                    ));
                }
            }
            if let Some(prev) = p.sessions[..i].iter().rev().find(|s| s.status == SessionStatus::Done) {
                let earliest = prev.date + Duration::weeks(rules.shortest_weeks as i64);
                if v.date < earliest {
                    return Err(ClinicError::validation(
                        "date",
                        format!(
                            "Session {} must be at least {} weeks after session {} ({}); the earliest allowed date is {}.",
                            ps.n, rules.shortest_weeks, prev.n, prev.date, earliest
                        ),
                    ));
                }
            }
            let (mut warnings, block) = screening_gate(tx, p.patient_id, v.date)?;
            // The consent gate (PRODUCT.md 10): refused, or a warning kept on the record.
            if let Some(w) = crate::consents::session_gate(tx, &p)? {
                warnings.push(w);
            }
            if let Some(b) = &block {
                if v.screening_override_reason.is_empty() {
                    return Err(ClinicError::validation(
                        "screening_override_reason",
                        format!(
                            "The screening blocks treatment: {b} A session needs the practitioner's override with a written reason."
                        ),
                    ));
                }
            }
            let id = tx.insert_session_record(planned_session_id.0, p.patient_id.0, &v, &warnings, actor.user_id, &now)?;
            // Later sessions follow from the day it really took place.
            let mut s = slots(&p);
            s[i] = Slot { date: v.date, done: true };
            let calendar = ClinicCalendar::from_settings(&tx.plan_settings()?);
            let gaps = tx.session_gaps(p.id.0)?;
            let dates = plan::replan_after(&s, &gaps, i, rules.interval_weeks, rules.shortest_weeks, &calendar)
                .map_err(|e| ClinicError::validation("date", e.message))?;
            let moved = apply_dates(tx, &p, &dates, rules.maintenance_months, &now)?;
            for why in crate::schedule::release_clashing(tx, p.id.0, &now)? {
                tx.append_plan_rationale(p.id.0, &format!("{}: {why}", v.date), &now)?;
            }
            let finished = s.iter().all(|x| x.done);
            if finished {
                tx.set_plan_status(p.id.0, PlanStatus::Completed, &now)?;
                tx.append_plan_rationale(
                    p.id.0,
                    &format!("{}: course completed with session {}.", v.date, ps.n),
                    &now,
                )?;
            }
            let detail = serde_json::json!({
                "plan": p.id, "session": ps.n, "date": v.date, "ceiling_confirmed": v.ceiling_confirmed,
                "screening_override": !v.screening_override_reason.is_empty(), "moved": moved, "completed": finished
            })
            .to_string();
            tx.append_audit(&actor.audit_entry(now.clone(), "session.record", "patient", &p.patient_id.to_string(), &detail))?;
            tx.session_record(id)?.ok_or_else(|| not_found("Session record", id))
        })
    }

    /// A patient's session records, newest first (the read is audited).
    pub fn session_records(
        &self,
        actor: &Actor,
        patient_id: PatientId,
    ) -> Result<Vec<SessionRecord>> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let list = tx.session_records(patient_id.0)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "session.read",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(list)
        })
    }

    /// Records how a session healed. Slow healing (redness for more than 3
    /// days) lengthens the next interval by the clinic's rule and moves the
    /// next session; an adverse event pauses the plan until a practitioner
    /// resumes it. The plan's rationale says why, and so does the report.
    pub fn record_healing(
        &self,
        actor: &Actor,
        session_record_id: SessionRecordId,
        input: &HealingInput,
    ) -> Result<HealingOutcome> {
        self.allow(actor, Action::RecordClinical)?;
        let today = self.today();
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let record = tx
                .session_record(session_record_id.0)?
                .ok_or_else(|| not_found("Session record", session_record_id.0))?;
            let v = session::validate_healing(input, record.date, today)?;
            let (p, rules) = tx
                .plan_of_session(record.planned_session_id.0)?
                .ok_or_else(|| not_found("Plan", record.plan_id.0))?;
            let settings = tx.plan_settings()?;
            let mut gaps = tx.session_gaps(p.id.0)?;
            gaps.resize(p.sessions.len(), None);
            let i = p
                .sessions
                .iter()
                .position(|s| s.id == record.planned_session_id)
                .ok_or_else(|| not_found("Session", record.planned_session_id.0))?;
            // The interval the healing changes: the one before the next session
            // still to come — or, when the patient is here for that session now
            // (reported on its day or later), the one after it.
            let upcoming = |from: usize| {
                (from..p.sessions.len()).find(|k| p.sessions[*k].status == SessionStatus::Planned)
            };
            let target = match upcoming(i + 1) {
                Some(k) if p.sessions[k].date <= v.reported_on => upcoming(k + 1),
                t => t,
            };
            let in_progress = matches!(p.status, PlanStatus::Active | PlanStatus::Paused);
            let current = target.and_then(|k| gaps[k]).unwrap_or(rules.interval_weeks);
            let decision = plan::after_healing(current, v.redness_days, !v.events.is_empty(), &settings.defaults);
            let mut sentence = String::new();
            let mut moved = 0;
            let mut released = Vec::new();
            if decision.pause && in_progress {
                let kinds: Vec<&str> = v.events.iter().map(|e| e.kind.label()).collect();
                if p.status == PlanStatus::Active {
                    tx.set_plan_status(p.id.0, PlanStatus::Paused, &now)?;
                }
                sentence = format!(
                    "{}: plan paused after an adverse event ({}) following session {} on {}; a practitioner must review and resume it.",
                    v.reported_on,
                    kinds.join(", "),
                    record.n,
                    record.date
                );
            } else if let (Some(k), true) = (target, decision.next_interval_weeks > current && in_progress) {
                gaps[k] = Some(decision.next_interval_weeks);
                tx.set_session_gap(p.id.0, p.sessions[k].n, decision.next_interval_weeks)?;
                let calendar = ClinicCalendar::from_settings(&settings);
                let dates = plan::replan_after(&slots(&p), &gaps, k - 1, rules.interval_weeks, rules.shortest_weeks, &calendar)
                    .map_err(|e| ClinicError::validation("redness_days", e.message))?;
                moved = apply_dates(tx, &p, &dates, rules.maintenance_months, &now)?;
                released = crate::schedule::release_clashing(tx, p.id.0, &now)?;
                sentence = format!(
                    "{}: redness lasted {} days after session {} (more than {}): session {} moved from {} to {}, {} weeks after session {} instead of {}.",
                    v.reported_on,
                    v.redness_days,
                    record.n,
                    plan::SLOW_HEALING_REDNESS_DAYS,
                    p.sessions[k].n,
                    p.sessions[k].date,
                    dates[k],
                    decision.next_interval_weeks,
                    p.sessions[k - 1].n,
                    current
                );
            } else if let (Some(r), true) = (decision.rationale.as_ref(), in_progress && target.is_some()) {
                sentence = format!("{}: {r}", v.reported_on);
            }
            if !sentence.is_empty() {
                tx.append_plan_rationale(p.id.0, &sentence, &now)?;
            }
            for why in released {
                tx.append_plan_rationale(p.id.0, &format!("{}: {why}", v.reported_on), &now)?;
            }
            tx.insert_healing(&record, &v, &sentence, actor.user_id, &now)?;
            let detail = serde_json::json!({
                "session_record": record.id, "redness_days": v.redness_days, "adverse_events": v.events.len(),
                "paused": decision.pause && in_progress, "moved": moved
            })
            .to_string();
            tx.append_audit(&actor.audit_entry(now.clone(), "session.healing", "patient", &record.patient_id.to_string(), &detail))?;
            Ok(HealingOutcome {
                record: tx.session_record(record.id.0)?.ok_or_else(|| not_found("Session record", record.id.0))?,
                plan: tx.plan(p.id.0)?.ok_or_else(|| not_found("Plan", p.id.0))?,
            })
        })
    }

    /// Every adverse event with its session's parameters and product lots, filtered (the read is audited).
    pub fn adverse_events(
        &self,
        actor: &Actor,
        filter: &AdverseEventFilter,
    ) -> Result<Vec<AdverseEventEntry>> {
        self.allow(actor, Action::ReadClinical)?;
        let f = session::validate_event_filter(filter)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let list = tx.adverse_events(&f)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "adverse_events.read",
                "clinic",
                "1",
                "",
            ))?;
            Ok(list)
        })
    }

    /// The adverse-event register as CSV (UTF-8 with a byte-order mark, so
    /// spreadsheet programs read accents right).
    pub fn adverse_events_csv(&self, actor: &Actor, filter: &AdverseEventFilter) -> Result<String> {
        register_csv(&self.adverse_events(actor, filter)?)
    }

    /// Writes the register as CSV to `dest` (whole or not at all); returns the number of events.
    pub fn export_adverse_events(
        &self,
        actor: &Actor,
        filter: &AdverseEventFilter,
        dest: &std::path::Path,
    ) -> Result<usize> {
        let list = self.adverse_events(actor, filter)?;
        let csv = register_csv(&list)?;
        crate::export::write_file(dest, csv.as_bytes())?;
        Ok(list.len())
    }

    /// The Goodman & Baron score over time, with the improvement against the baseline (the read is audited).
    pub fn progress(&self, actor: &Actor, patient_id: PatientId) -> Result<Progress> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let points: Vec<ProgressPoint> = tx
                .assessments(patient_id.0)?
                .into_iter()
                .map(|a| ProgressPoint {
                    assessment_id: a.id,
                    date: a.assessed_on,
                    score: a.score,
                    grade: a.grade,
                })
                .collect();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "progress.read",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(session::progress(&points))
        })
    }

    /// The clinic's needle-depth chart.
    pub fn depth_chart(&self, actor: &Actor) -> Result<Vec<ZoneDepthChart>> {
        self.allow(actor, Action::ViewSettings)?;
        Ok(self.store()?.read(|tx| tx.depth_chart())?)
    }

    /// Changes the depth chart (admin only).
    pub fn update_depth_chart(
        &self,
        actor: &Actor,
        chart: &[ZoneDepthChart],
    ) -> Result<Vec<ZoneDepthChart>> {
        self.allow(actor, Action::EditSettings)?;
        let chart = session::validate_depth_chart(chart)?;
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.depth_chart",
            serde_json::Value::Null,
            |tx| Ok(tx.set_depth_chart(&chart)?),
        )?;
        Ok(chart)
    }
}
