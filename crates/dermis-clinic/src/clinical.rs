//! Clinical use-cases: screening, assessment, plans, the calendar, today's list
//! and the plan settings.

use crate::{Action, Actor, Clinic, ClinicError, Result};
use chrono::NaiveDate;
use dermis_core::assessment::{self, Assessment, AssessmentInput, GbCounts};
use dermis_core::ids;
use dermis_core::plan::{
    self, CalendarEntry, EngineInput, Plan, PlanProposal, PlanRequest, PlanSchedule, PlanStatus,
    SessionStatus, SkinFacts, Slot, TodayList,
};
use dermis_core::screening::{self, Screening, ScreeningInput, ScreeningQuestion};
use dermis_core::settings::{self, ClinicCalendar, PlanSettings};
use dermis_core::validate;
use dermis_store::{PlanRules, Tx};
use ids::{PatientId, PlanId, PlannedSessionId};

pub(crate) fn not_found(what: &str, id: i64) -> ClinicError {
    ClinicError::NotFound(format!(
        "{what} {id} was not found; it may have been removed."
    ))
}

pub(crate) fn require_patient(tx: &Tx, id: i64) -> Result<()> {
    tx.patient(id)?
        .map(|_| ())
        .ok_or_else(|| not_found("Patient", id))
}

/// A clinical date of patient `id` must not be before their date of birth.
pub(crate) fn require_born_by(
    tx: &Tx,
    id: i64,
    field: &str,
    label: &str,
    date: NaiveDate,
) -> Result<()> {
    let p = tx.patient(id)?.ok_or_else(|| not_found("Patient", id))?;
    validate::not_before_birth(field, label, date, p.date_of_birth)?;
    Ok(())
}

/// The longest calendar range one request may ask for.
pub const MAX_CALENDAR_DAYS: i64 = 62;

impl Clinic {
    /// The screening form's questions, from the clinic's rules.
    pub fn screening_questions(&self, actor: &Actor) -> Result<Vec<ScreeningQuestion>> {
        self.allow(actor, Action::RecordClinical)?;
        let rules = self.store()?.read(|tx| tx.contraindication_rules())?;
        Ok(screening::questions(&rules))
    }

    /// Records a dated screening and its result under the clinic's rules.
    pub fn record_screening(
        &self,
        actor: &Actor,
        patient_id: PatientId,
        input: &ScreeningInput,
    ) -> Result<Screening> {
        self.allow(actor, Action::RecordClinical)?;
        let today = self.today();
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let rules = tx.contraindication_rules()?;
            let validity = tx.plan_settings()?.defaults.screening_validity_months;
            let valid = screening::validate(input, &rules, today)?;
            require_born_by(
                tx,
                patient_id.0,
                "screened_on",
                "Screening date",
                valid.screened_on,
            )?;
            let result = screening::evaluate(&valid, &rules, validity);
            let s = tx.insert_screening(patient_id.0, &valid, &result, actor.user_id, &now)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "screening.create",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(s)
        })
    }

    /// A patient's screenings, newest first (the read is audited).
    pub fn screenings(&self, actor: &Actor, patient_id: PatientId) -> Result<Vec<Screening>> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let list = tx.screenings(patient_id.0)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "screening.read",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(list)
        })
    }

    /// The Goodman & Baron quantitative score of `counts` (for the live score on the form).
    pub fn score_assessment(&self, actor: &Actor, counts: &GbCounts) -> Result<u32> {
        self.allow(actor, Action::RecordClinical)?;
        Ok(assessment::gb_score(counts))
    }

    pub fn record_assessment(
        &self,
        actor: &Actor,
        patient_id: PatientId,
        input: &AssessmentInput,
    ) -> Result<Assessment> {
        self.allow(actor, Action::RecordClinical)?;
        let valid = assessment::validate(input, self.today())?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            require_born_by(
                tx,
                patient_id.0,
                "assessed_on",
                "Assessment date",
                valid.assessed_on,
            )?;
            let a = tx.insert_assessment(patient_id.0, &valid, actor.user_id, &now)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "assessment.create",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(a)
        })
    }

    /// A patient's assessments, newest first (the read is audited).
    pub fn assessments(&self, actor: &Actor, patient_id: PatientId) -> Result<Vec<Assessment>> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let list = tx.assessments(patient_id.0)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "assessment.read",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(list)
        })
    }

    fn run_engine(
        &self,
        tx: &Tx,
        req: &PlanRequest,
        today: NaiveDate,
    ) -> Result<(PlanProposal, PlanRules, NaiveDate)> {
        require_patient(tx, req.patient_id.0)?;
        let a = tx
            .assessment(req.assessment_id.0)?
            .filter(|a| a.patient_id == req.patient_id)
            .ok_or_else(|| {
                ClinicError::validation(
                    "assessment_id",
                    "Choose one of this patient's assessments.",
                )
            })?;
        let start = validate::date("start", "Start date", &req.start)?;
        if start < today {
            return Err(ClinicError::validation(
                "start",
                format!("The start date {start} is in the past; today is {today}."),
            ));
        }
        let settings = tx.plan_settings()?;
        let calendar = ClinicCalendar::from_settings(&settings);
        let screening = tx.screenings(req.patient_id.0)?.into_iter().next();
        let proposal = plan::propose(&EngineInput {
            facts: SkinFacts {
                grade: a.grade,
                fitzpatrick: a.fitzpatrick,
                sensitivity: a.sensitivity,
                scar_age_years: a.scar_age_years,
            },
            screening: screening.as_ref().map(|s| &s.result),
            start,
            today,
            calendar: &calendar,
            defaults: &settings.defaults,
            adjust: req.adjust.as_ref(),
        })?;
        let overridden_interval = req.adjust.as_ref().and_then(|o| o.interval_weeks);
        let rules = PlanRules {
            interval_weeks: proposal.interval_weeks,
            shortest_weeks: settings
                .defaults
                .shortest_interval_weeks
                .min(overridden_interval.unwrap_or(u32::MAX)),
            maintenance_months: plan::maintenance_months(&settings.defaults, a.sensitivity),
        };
        Ok((proposal, rules, start))
    }

    /// The plan the engine proposes; nothing is stored.
    pub fn propose_plan(&self, actor: &Actor, req: &PlanRequest) -> Result<PlanProposal> {
        self.allow(actor, Action::PlanTreatment)?;
        let today = self.today();
        let now = self.now();
        // A proposal carries the screening's warnings and the assessment's
        // facts: a clinical read, audited like any other.
        self.store()?.write(|tx| -> Result<_> {
            let (proposal, _, _) = self.run_engine(tx, req, today)?;
            let detail = serde_json::json!({ "assessment": req.assessment_id }).to_string();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "plan.propose",
                "patient",
                &req.patient_id.to_string(),
                &detail,
            ))?;
            Ok(proposal)
        })
    }

    /// Accepts the proposal (with the practitioner's overrides and their reason) as the patient's active plan.
    pub fn accept_plan(&self, actor: &Actor, req: &PlanRequest) -> Result<Plan> {
        self.allow(actor, Action::PlanTreatment)?;
        let today = self.today();
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let (proposal, rules, start) = self.run_engine(tx, req, today)?;
            if tx
                .plans(req.patient_id.0)?
                .iter()
                .any(|p| matches!(p.status, PlanStatus::Active | PlanStatus::Paused))
            {
                return Err(ClinicError::Conflict(
                    "This patient already has a plan in progress: complete or cancel it before accepting a new one.".into(),
                ));
            }
            let reason = req.adjust.as_ref().map(|o| o.reason.trim().to_string()).unwrap_or_default();
            let p = tx.insert_plan(req.patient_id.0, req.assessment_id.0, start, &proposal, &rules, &reason, actor.user_id, &now)?;
            let detail = serde_json::json!({ "plan": p.id, "sessions": p.session_count, "override": !reason.is_empty() }).to_string();
            tx.append_audit(&actor.audit_entry(now.clone(), "plan.accept", "patient", &req.patient_id.to_string(), &detail))?;
            Ok(p)
        })
    }

    /// A patient's plans, newest first.
    pub fn plans(&self, actor: &Actor, patient_id: PatientId) -> Result<Vec<Plan>> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let list = tx.plans(patient_id.0)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "plan.read",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(list)
        })
    }

    /// Moves a planned session; the later, not-done sessions follow by the plan
    /// rules and the maintenance recalls are recomputed. A move too close to the
    /// session before is refused with the earliest allowed date.
    pub fn reschedule_session(
        &self,
        actor: &Actor,
        session_id: PlannedSessionId,
        date: &str,
    ) -> Result<PlanSchedule> {
        self.allow(actor, Action::MoveAppointment)?;
        let to = validate::date("date", "The new date", date)?;
        let today = self.today();
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let (plan, n, from, moved) = replan_session(tx, session_id, to, today, &now)?;
            // A booked time must still fit on the new day, for every session that moved.
            crate::schedule::plan_still_fits(tx, plan.id.0, None, &now)?;
            let detail = serde_json::json!({ "plan": plan.id, "session": n, "from": from, "to": to, "moved": moved }).to_string();
            tx.append_audit(&actor.audit_entry(now.clone(), "session.move", "patient", &plan.patient_id.to_string(), &detail))?;
            let moved = tx.plan(plan.id.0)?.ok_or_else(|| not_found("Plan", plan.id.0))?;
            Ok(PlanSchedule::from(&moved))
        })
    }

    /// Books the time of a planned session (`HH:MM`; empty clears it). The date stays.
    pub fn set_session_time(
        &self,
        actor: &Actor,
        session_id: PlannedSessionId,
        time: &str,
    ) -> Result<PlanSchedule> {
        self.allow(actor, Action::MoveAppointment)?;
        let time = validate::time_of_day("time", time)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let (plan, _) = tx
                .plan_of_session(session_id.0)?
                .ok_or_else(|| not_found("Session", session_id.0))?;
            if matches!(plan.status, PlanStatus::Completed | PlanStatus::Cancelled) {
                return Err(ClinicError::Conflict(format!(
                    "This plan is {}; its sessions can no longer be booked.",
                    plan.status.as_str()
                )));
            }
            tx.set_session_time(session_id.0, time.as_deref(), &now)?;
            // The new time must not clash: with its practitioner and room, or
            // (none given yet) the clinic's first free ones, which it takes.
            crate::schedule::still_fits(
                tx,
                dermis_core::schedule::BookingKey::Session(session_id),
                &now,
            )?;
            let detail =
                serde_json::json!({ "plan": plan.id, "session": session_id, "time": time })
                    .to_string();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "session.time",
                "patient",
                &plan.patient_id.to_string(),
                &detail,
            ))?;
            let booked = tx
                .plan(plan.id.0)?
                .ok_or_else(|| not_found("Plan", plan.id.0))?;
            Ok(PlanSchedule::from(&booked))
        })
    }

    /// Pauses, resumes, completes or cancels a plan. Pausing and cancelling need a reason.
    pub fn set_plan_status(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        status: PlanStatus,
        reason: &str,
    ) -> Result<Plan> {
        self.allow(actor, Action::PlanTreatment)?;
        let reason = reason.trim();
        if matches!(status, PlanStatus::Paused | PlanStatus::Cancelled) && reason.is_empty() {
            return Err(ClinicError::validation(
                "reason",
                "Write the reason for this change.",
            ));
        }
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let plan = tx.plan(plan_id.0)?.ok_or_else(|| not_found("Plan", plan_id.0))?;
            if plan.status == status {
                return Ok(plan);
            }
            if !plan.status.can_become(status) {
                return Err(ClinicError::Conflict(format!(
                    "A {} plan cannot become {}.",
                    plan.status.as_str(),
                    status.as_str()
                )));
            }
            tx.set_plan_status(plan_id.0, status, &now)?;
            // The reason is clinical free text: it goes into the plan's
            // rationale (read only by clinical roles), never into the audit log.
            if !reason.is_empty() {
                tx.append_plan_rationale(
                    plan_id.0,
                    &format!("{}: plan {} — {reason}", now.get(..10).unwrap_or(&now), status.as_str()),
                    &now,
                )?;
            }
            let detail = serde_json::json!({ "plan": plan_id, "from": plan.status, "to": status, "reason_given": !reason.is_empty() }).to_string();
            tx.append_audit(&actor.audit_entry(now.clone(), "plan.status", "patient", &plan.patient_id.to_string(), &detail))?;
            tx.plan(plan_id.0)?.ok_or_else(|| not_found("Plan", plan_id.0))
        })
    }

    /// Booked sessions between two dates (inclusive), at most two months at a time.
    pub fn calendar(&self, actor: &Actor, from: &str, to: &str) -> Result<Vec<CalendarEntry>> {
        self.allow(actor, Action::ViewCalendar)?;
        let (from, to) = calendar_range(from, to)?;
        Ok(self.store()?.read(|tx| tx.calendar(from, to))?)
    }

    /// Today's sessions and the recalls due within a week (overdue ones included).
    pub fn today_list(&self, actor: &Actor) -> Result<TodayList> {
        self.allow(actor, Action::ViewCalendar)?;
        let today = self.today();
        self.store()?.read(|tx| -> Result<_> {
            Ok(TodayList {
                date: today,
                sessions: tx.calendar(today, today)?,
                recalls: tx.recalls_due(today, dermis_core::recall::week_end(today))?,
                consultations: tx.consultations_on(today)?,
                bookings: crate::schedule::today_bookings(tx, today)?,
            })
        })
    }

    /// The clinic's contraindication rules (kind and washout per condition).
    pub fn contraindication_rules(&self, actor: &Actor) -> Result<Vec<screening::Rule>> {
        self.allow(actor, Action::ViewSettings)?;
        Ok(self.store()?.read(|tx| tx.contraindication_rules())?)
    }

    /// Changes how each screening answer is treated (admin only). Screenings
    /// already recorded keep the result they were given.
    pub fn update_contraindication_rules(
        &self,
        actor: &Actor,
        rules: &[screening::Rule],
    ) -> Result<Vec<screening::Rule>> {
        self.allow(actor, Action::EditSettings)?;
        let rules = screening::validate_rules(rules)?;
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.rules",
            serde_json::Value::Null,
            |tx| Ok(tx.set_contraindication_rules(&rules)?),
        )?;
        Ok(rules)
    }

    pub fn plan_settings(&self, actor: &Actor) -> Result<PlanSettings> {
        self.allow(actor, Action::ViewSettings)?;
        Ok(self.store()?.read(|tx| tx.plan_settings())?)
    }

    pub fn update_plan_settings(&self, actor: &Actor, s: &PlanSettings) -> Result<PlanSettings> {
        self.allow(actor, Action::EditSettings)?;
        settings::validate(s)?;
        let mut clean = s.clone();
        clean.open_weekdays.sort();
        clean.open_weekdays.dedup();
        clean.closed_dates.sort();
        clean.closed_dates.dedup();
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.plan",
            serde_json::Value::Null,
            |tx| Ok(tx.set_plan_settings(&clean)?),
        )?;
        Ok(clean)
    }
}

/// Moves a planned session to `to` by the plan's rules (PRODUCT.md 4.4): the
/// later, not-done sessions follow and the recalls are recomputed. Answers
/// the plan as it was, the session's number, its old date and how many
/// sessions changed date. Shared by the plan's "move" and the calendar's.
pub(crate) fn replan_session(
    tx: &dermis_store::Tx,
    session_id: PlannedSessionId,
    to: NaiveDate,
    today: NaiveDate,
    now: &str,
) -> Result<(Plan, u32, NaiveDate, usize)> {
    let (plan, rules) = tx
        .plan_of_session(session_id.0)?
        .ok_or_else(|| not_found("Session", session_id.0))?;
    if matches!(plan.status, PlanStatus::Completed | PlanStatus::Cancelled) {
        return Err(ClinicError::Conflict(format!(
            "This plan is {}; its sessions can no longer move.",
            plan.status.as_str()
        )));
    }
    if to < today {
        return Err(ClinicError::validation(
            "date",
            format!("{to} is in the past; today is {today}."),
        ));
    }
    let moving = plan
        .sessions
        .iter()
        .find(|s| s.id == session_id)
        .ok_or_else(|| not_found("Session", session_id.0))?;
    let settings = tx.plan_settings()?;
    let calendar = ClinicCalendar::from_settings(&settings);
    let slots: Vec<Slot> = plan
        .sessions
        .iter()
        .map(|s| Slot {
            date: s.date,
            done: s.status != SessionStatus::Planned,
        })
        .collect();
    let dates = plan::reschedule(
        &slots,
        moving.n,
        to,
        plan.start,
        rules.interval_weeks,
        rules.shortest_weeks,
        &calendar,
    )?;
    let changed: Vec<(u32, NaiveDate)> = plan
        .sessions
        .iter()
        .zip(&dates)
        .filter(|(s, d)| s.date != **d)
        .map(|(s, d)| (s.n, *d))
        .collect();
    tx.set_session_dates(plan.id.0, &changed, now)?;
    if let Some(last) = dates.last() {
        let recalls = plan::recalls(
            &calendar,
            *last,
            rules.maintenance_months,
            settings.defaults.recall_horizon_months,
        )
        .map_err(|e| ClinicError::validation("date", e.message))?;
        tx.replace_recalls(plan.id.0, plan.patient_id.0, &recalls)?;
    }
    let (n, from) = (moving.n, moving.date);
    Ok((plan, n, from, changed.len()))
}

/// A calendar's first and last day (inclusive), at most [`MAX_CALENDAR_DAYS`] apart.
pub(crate) fn calendar_range(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let from = validate::date("from", "The first day", from)?;
    let to = validate::date("to", "The last day", to)?;
    if to < from {
        return Err(ClinicError::validation(
            "to",
            "The last day is before the first day.",
        ));
    }
    if (to - from).num_days() > MAX_CALENDAR_DAYS {
        return Err(ClinicError::validation(
            "to",
            format!("Ask for at most {MAX_CALENDAR_DAYS} days at a time."),
        ));
    }
    Ok((from, to))
}
