//! The plan engine (PRODUCT.md 4.4): from an assessment, a screening, a start
//! date, the clinic calendar and the clinic's defaults to a course of sessions
//! with dates, the maintenance recalls, one rationale sentence per decision,
//! and warnings. Pure: the same input always gives the same plan.

use crate::assessment::Sensitivity;
use crate::error::FieldError;
use crate::ids::{AppointmentId, AssessmentId, PatientId, PlanId, PlannedSessionId};
use crate::screening::{add_months, ScreeningResult};
use crate::settings::{ClinicCalendar, PlanDefaults};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A practitioner's change to the proposal; the reason is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanOverride {
    pub sessions: Option<u32>,
    pub interval_weeks: Option<u32>,
    pub reason: String,
}

/// What the plan screens send to propose or accept a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanRequest {
    pub patient_id: PatientId,
    pub assessment_id: AssessmentId,
    pub start: String,
    #[serde(rename = "override")]
    #[ts(rename = "override")]
    pub adjust: Option<PlanOverride>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProposedSession {
    pub n: u32,
    #[ts(type = "string")]
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanProposal {
    pub sessions: Vec<ProposedSession>,
    #[ts(type = "Array<string>")]
    pub maintenance: Vec<NaiveDate>,
    pub session_count: u32,
    pub interval_weeks: u32,
    pub rationale: Vec<String>,
    pub warnings: Vec<String>,
}

/// The facts of an assessment the engine uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkinFacts {
    pub grade: u8,
    pub fitzpatrick: u8,
    pub sensitivity: Sensitivity,
    pub scar_age_years: u32,
}

pub struct EngineInput<'a> {
    pub facts: SkinFacts,
    /// The latest screening's result, if there is one.
    pub screening: Option<&'a ScreeningResult>,
    pub start: NaiveDate,
    /// The clinic's "today" (for screening validity).
    pub today: NaiveDate,
    pub calendar: &'a ClinicCalendar,
    pub defaults: &'a PlanDefaults,
    pub adjust: Option<&'a PlanOverride>,
}

fn fmt(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

fn roman(n: u8) -> &'static str {
    ["?", "I", "II", "III", "IV", "V", "VI"]
        .get(n as usize)
        .copied()
        .unwrap_or("?")
}

/// Proposes a plan, or says which rule stops it (the field names the input at fault).
pub fn propose(input: &EngineInput) -> Result<PlanProposal, FieldError> {
    let d = input.defaults;
    let f = input.facts;
    let mut rationale = Vec::new();
    let mut warnings = Vec::new();
    let adjust = input
        .adjust
        .filter(|a| a.sessions.is_some() || a.interval_weeks.is_some());
    if let Some(a) = adjust {
        if a.reason.trim().is_empty() {
            return Err(FieldError::new(
                "reason",
                "Write the reason for changing the proposed plan.",
            ));
        }
    }
    if !(1..=4).contains(&f.grade) {
        return Err(FieldError::new(
            "assessment_id",
            "The assessment has no Goodman & Baron grade from 1 to 4.",
        ));
    }

    // Screening: required, in date, and not blocking (unless overridden with a reason).
    let mut start = input.start;
    match input.screening {
        None => {
            return Err(FieldError::new(
                "assessment_id",
                "This patient has no screening on record: record a screening before planning.",
            ))
        }
        Some(s) => {
            if s.valid_until < input.today {
                return Err(FieldError::new(
                    "assessment_id",
                    format!(
                        "The latest screening expired on {}: record a new screening before planning.",
                        s.valid_until
                    ),
                ));
            }
            if !s.allowed {
                let reasons: Vec<&str> = s.blocks.iter().map(|b| b.message.as_str()).collect();
                match input.adjust.filter(|a| !a.reason.trim().is_empty()) {
                    Some(a) => warnings.push(format!(
                        "Screening blocks treatment ({}); overridden by the practitioner: {}",
                        reasons.join(" "),
                        a.reason.trim()
                    )),
                    None => {
                        return Err(FieldError::new(
                            "reason",
                            format!(
                                "The screening blocks treatment: {} A plan needs a practitioner's override with a written reason.",
                                reasons.join(" ")
                            ),
                        ))
                    }
                }
            }
            for w in &s.warnings {
                warnings.push(w.message.clone());
            }
            if let Some(e) = s.earliest_eligible {
                if e > start {
                    rationale.push(format!(
                        "Start moved from {} to {}: the washout period ends then.",
                        start, e
                    ));
                    start = e;
                }
            }
        }
    }

    // Number of sessions.
    let by_grade = d
        .sessions_by_grade
        .get(f.grade as usize - 1)
        .copied()
        .unwrap_or(4);
    let mut n = by_grade;
    rationale.push(format!(
        "{n} sessions for Goodman & Baron grade {} ({}).",
        f.grade,
        ["macular", "mild", "moderate", "severe"][f.grade as usize - 1]
    ));
    if f.scar_age_years > d.old_scar_years && d.old_scar_extra_sessions > 0 {
        let extra = (n + d.old_scar_extra_sessions).min(d.max_sessions.max(n)) - n;
        if extra > 0 {
            n += extra;
            rationale.push(format!(
                "+{extra} session for scars older than {} years ({} years), {n} in all.",
                d.old_scar_years, f.scar_age_years
            ));
        } else {
            rationale.push(format!(
                "Scars older than {} years, but {n} sessions is already the most.",
                d.old_scar_years
            ));
        }
    }

    // Interval.
    let mut w = match f.sensitivity {
        Sensitivity::Resilient => d.interval_weeks_resilient,
        Sensitivity::Normal => d.interval_weeks_normal,
        Sensitivity::Sensitive => d.interval_weeks_sensitive,
    };
    rationale.push(format!(
        "{w} weeks between sessions for {} skin.",
        f.sensitivity.as_str()
    ));
    if f.fitzpatrick >= 4 {
        warnings.push(format!(
            "Fitzpatrick type {}: risk of post-inflammatory hyperpigmentation (PIH); strict sun protection.",
            roman(f.fitzpatrick)
        ));
        if w < d.dark_skin_min_interval_weeks {
            w = d.dark_skin_min_interval_weeks;
            rationale.push(format!(
                "Interval raised to {w} weeks for Fitzpatrick type {} (PIH risk).",
                roman(f.fitzpatrick)
            ));
        }
    }
    let mut shortest = d.shortest_interval_weeks;
    if w < shortest {
        w = shortest;
        rationale.push(format!(
            "Interval raised to the shortest the clinic allows, {w} weeks."
        ));
    }

    // The practitioner's adjustments.
    if let Some(a) = adjust {
        let reason = a.reason.trim();
        if let Some(s) = a.sessions {
            if !(1..=12).contains(&s) {
                return Err(FieldError::new(
                    "override.sessions",
                    "Choose between 1 and 12 sessions.",
                ));
            }
            rationale.push(format!(
                "{s} sessions set by the practitioner (proposed {n}): {reason}"
            ));
            n = s;
        }
        if let Some(iw) = a.interval_weeks {
            if !(1..=26).contains(&iw) {
                return Err(FieldError::new(
                    "override.interval_weeks",
                    "Choose an interval between 1 and 26 weeks.",
                ));
            }
            rationale.push(format!(
                "{iw} weeks between sessions set by the practitioner (proposed {w}): {reason}"
            ));
            if iw < shortest {
                warnings.push(format!(
                    "The interval of {iw} weeks is shorter than the clinic's shortest of {shortest} weeks (overridden)."
                ));
                shortest = iw;
            }
            w = iw;
        }
    }

    // Dates.
    let s1 = first_open_in(input.calendar, start, start + Duration::days(7)).ok_or_else(|| {
            FieldError::new(
                "start",
                format!(
                    "The clinic is not open on any day from {} to {}: choose another start date or open more days.",
                    fmt(start),
                    fmt(start + Duration::days(7))
                ),
            )
        })?;
    let mut dates = vec![s1];
    for k in 2..=n {
        let prev = dates[dates.len() - 1];
        dates.push(next_session(input.calendar, k, prev, w, shortest)?);
    }
    let last = dates[dates.len() - 1];
    let m = maintenance_months(d, f.sensitivity);
    let maintenance = recalls(input.calendar, last, m, d.recall_horizon_months)?;
    rationale.push(format!(
        "Maintenance every {m} months after the course for {} skin.",
        f.sensitivity.as_str()
    ));
    if let Some(s) = input.screening {
        if let Some(after) = dates.iter().find(|d| **d > s.valid_until) {
            warnings.push(format!(
                "The screening is valid until {}: renew it before the session on {}.",
                s.valid_until,
                fmt(*after)
            ));
        }
    }

    Ok(PlanProposal {
        sessions: dates
            .iter()
            .enumerate()
            .map(|(i, date)| ProposedSession {
                n: i as u32 + 1,
                date: *date,
            })
            .collect(),
        maintenance,
        session_count: n,
        interval_weeks: w,
        rationale,
        warnings,
    })
}

fn first_open_in(cal: &ClinicCalendar, lo: NaiveDate, hi: NaiveDate) -> Option<NaiveDate> {
    cal.first_open_from(lo).filter(|d| *d <= hi)
}

pub fn maintenance_months(d: &PlanDefaults, s: Sensitivity) -> u32 {
    match s {
        Sensitivity::Resilient => d.maintenance_months_resilient,
        Sensitivity::Normal => d.maintenance_months_normal,
        Sensitivity::Sensitive => d.maintenance_months_sensitive,
    }
}

/// Session `k` after one on `prev`: the open day nearest `prev + w weeks` in
/// `[prev + shortest weeks, prev + w weeks + 7 days]`, the earlier on a tie.
pub fn next_session(
    cal: &ClinicCalendar,
    k: u32,
    prev: NaiveDate,
    w: u32,
    shortest: u32,
) -> Result<NaiveDate, FieldError> {
    let target = prev + Duration::weeks(w as i64);
    let lo = prev + Duration::weeks(shortest.min(w) as i64);
    let hi = target + Duration::days(7);
    cal.nearest_open(target, lo, hi).ok_or_else(|| {
        FieldError::new(
            "start",
            format!(
                "Session {k} has no open day between {} and {}: the clinic is closed throughout; open more days or move the plan.",
                fmt(lo),
                fmt(hi)
            ),
        )
    })
}

/// Maintenance recalls after the last course session: targets every `m`
/// months (each from the previous target, month ends clamping) within
/// `horizon` months, each on the open day nearest its target within ±7 days.
pub fn recalls(
    cal: &ClinicCalendar,
    last: NaiveDate,
    m: u32,
    horizon: u32,
) -> Result<Vec<NaiveDate>, FieldError> {
    let limit = add_months(last, horizon);
    let mut out = Vec::new();
    let mut target = add_months(last, m);
    while target <= limit && m > 0 {
        let lo = target - Duration::days(7);
        let hi = target + Duration::days(7);
        let d = cal.nearest_open(target, lo, hi).ok_or_else(|| {
            FieldError::new(
                "start",
                format!(
                    "The maintenance recall due {} has no open day between {} and {}.",
                    target,
                    fmt(lo),
                    fmt(hi)
                ),
            )
        })?;
        out.push(d);
        target = add_months(target, m);
    }
    Ok(out)
}

/// A session of a stored plan, for rescheduling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub date: NaiveDate,
    pub done: bool,
}

/// Moves session `n` (1-based) to `to` and re-plans the later, not-done
/// sessions from it by the same rules. Done sessions never move; a move
/// closer than the shortest interval to the session before is refused with
/// the earliest allowed date. Returns every session's date.
pub fn reschedule(
    slots: &[Slot],
    n: u32,
    to: NaiveDate,
    plan_start: NaiveDate,
    interval_weeks: u32,
    shortest_weeks: u32,
    cal: &ClinicCalendar,
) -> Result<Vec<NaiveDate>, FieldError> {
    reschedule_with_gaps(
        slots,
        &[],
        n,
        to,
        plan_start,
        interval_weeks,
        shortest_weeks,
        cal,
    )
}

/// [`reschedule`] where some sessions keep a longer interval before them
/// (`gaps[k]` = the weeks before session k+1 that slow healing set; `None` or
/// missing = the plan's interval).
#[allow(clippy::too_many_arguments)]
pub fn reschedule_with_gaps(
    slots: &[Slot],
    gaps: &[Option<u32>],
    n: u32,
    to: NaiveDate,
    plan_start: NaiveDate,
    interval_weeks: u32,
    shortest_weeks: u32,
    cal: &ClinicCalendar,
) -> Result<Vec<NaiveDate>, FieldError> {
    let i = (n as usize)
        .checked_sub(1)
        .filter(|i| *i < slots.len())
        .ok_or_else(|| FieldError::new("session_id", format!("This plan has no session {n}.")))?;
    if slots[i].done {
        return Err(FieldError::new(
            "date",
            format!("Session {n} is done; a done session never moves."),
        ));
    }
    let earliest = match i {
        0 => plan_start,
        _ => slots[i - 1].date + Duration::weeks(shortest_weeks as i64),
    };
    if to < earliest {
        let first_ok = cal.first_open_from(earliest).unwrap_or(earliest);
        return Err(FieldError::new(
            "date",
            if i == 0 {
                format!(
                    "Session 1 cannot be before the plan's start; the earliest allowed date is {}.",
                    fmt(first_ok)
                )
            } else {
                format!(
                    "Session {n} must be at least {shortest_weeks} weeks after session {}; the earliest allowed date is {}.",
                    n - 1,
                    fmt(first_ok)
                )
            },
        ));
    }
    if !cal.is_open(to) {
        let suggestion = cal
            .first_open_from(to)
            .map(|d| format!(" The next open day is {}.", fmt(d)))
            .unwrap_or_default();
        return Err(FieldError::new(
            "date",
            format!("The clinic is closed on {}.{suggestion}", fmt(to)),
        ));
    }
    if let Some(later_done) = slots[i + 1..].iter().find(|s| s.done) {
        if to >= later_done.date {
            return Err(FieldError::new(
                "date",
                format!(
                    "A later session was already done on {}; this one must stay before it.",
                    fmt(later_done.date)
                ),
            ));
        }
    }
    let mut slots = slots.to_vec();
    slots[i].date = to;
    replan_after(&slots, gaps, i, interval_weeks, shortest_weeks, cal)
}

/// Every session's date after the sessions following index `i` (0-based) are
/// re-planned from it by the plan rules: each not-done session lands on the
/// open day nearest the previous date + its interval (`gaps[k]`, else the
/// plan's). Done sessions and those up to `i` keep their dates.
pub fn replan_after(
    slots: &[Slot],
    gaps: &[Option<u32>],
    i: usize,
    interval_weeks: u32,
    shortest_weeks: u32,
    cal: &ClinicCalendar,
) -> Result<Vec<NaiveDate>, FieldError> {
    let mut dates: Vec<NaiveDate> = slots.iter().map(|s| s.date).collect();
    for k in i + 1..slots.len() {
        if slots[k].done {
            continue;
        }
        let w = gaps.get(k).copied().flatten().unwrap_or(interval_weeks);
        dates[k] = next_session(cal, k as u32 + 1, dates[k - 1], w, shortest_weeks)?;
    }
    Ok(dates)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanStatus {
    Active,
    Paused,
    Completed,
    Cancelled,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Active => "active",
            PlanStatus::Paused => "paused",
            PlanStatus::Completed => "completed",
            PlanStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PlanStatus> {
        [
            PlanStatus::Active,
            PlanStatus::Paused,
            PlanStatus::Completed,
            PlanStatus::Cancelled,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }

    /// The moves a plan can make: pause/resume while it runs, and complete or
    /// cancel from either; completed and cancelled plans stay as they are.
    pub fn can_become(self, to: PlanStatus) -> bool {
        use PlanStatus::*;
        matches!(
            (self, to),
            (Active, Paused)
                | (Paused, Active)
                | (Active | Paused, Completed)
                | (Active | Paused, Cancelled)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SessionStatus {
    Planned,
    Done,
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Done => "done",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<SessionStatus> {
        [
            SessionStatus::Planned,
            SessionStatus::Done,
            SessionStatus::Cancelled,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedSession {
    pub id: PlannedSessionId,
    pub n: u32,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// `HH:MM` once the desk has booked a time.
    pub time: Option<String>,
    pub status: SessionStatus,
}

/// An accepted plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Plan {
    pub id: PlanId,
    pub patient_id: PatientId,
    pub assessment_id: AssessmentId,
    pub status: PlanStatus,
    #[ts(type = "string")]
    pub start: NaiveDate,
    pub session_count: u32,
    pub interval_weeks: u32,
    /// The practitioner's reason for any override (empty when none).
    pub override_reason: String,
    pub sessions: Vec<PlannedSession>,
    #[ts(type = "Array<string>")]
    pub maintenance: Vec<NaiveDate>,
    pub rationale: Vec<String>,
    pub warnings: Vec<String>,
    pub created_at: String,
}

/// What the desk may read of a plan after moving or booking one of its
/// sessions: ids, numbers, dates, times and statuses. It is a type of its own
/// (not a filtered [`Plan`]) so no rationale, warning, override reason or score
/// can reach a receptionist by a field someone forgets to blank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanSchedule {
    pub plan_id: PlanId,
    pub patient_id: PatientId,
    pub status: PlanStatus,
    pub session_count: u32,
    pub sessions: Vec<PlannedSession>,
    #[ts(type = "Array<string>")]
    pub maintenance: Vec<NaiveDate>,
}

impl From<&Plan> for PlanSchedule {
    fn from(p: &Plan) -> Self {
        PlanSchedule {
            plan_id: p.id,
            patient_id: p.patient_id,
            status: p.status,
            session_count: p.session_count,
            sessions: p.sessions.clone(),
            maintenance: p.maintenance.clone(),
        }
    }
}

/// A booked session on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarEntry {
    pub session_id: PlannedSessionId,
    pub plan_id: PlanId,
    pub patient_id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    pub n: u32,
    pub of: u32,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// `HH:MM` once booked.
    pub time: Option<String>,
    pub status: SessionStatus,
    /// When the desk checked the patient in (RFC 3339), if they have arrived.
    #[ts(optional)]
    pub checked_in_at: Option<String>,
}

/// A patient due (or overdue) for a maintenance recall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecallDue {
    pub patient_id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    #[ts(type = "string")]
    pub due: NaiveDate,
    pub overdue: bool,
}

/// The reception desk's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TodayList {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub sessions: Vec<CalendarEntry>,
    pub recalls: Vec<RecallDue>,
    /// First consultations booked for the day, in time order.
    #[serde(default)]
    pub consultations: Vec<ConsultationEntry>,
    /// Every booking of the day (sessions, consultations, reviews, other
    /// visits), in time order, each with its practitioner, room, length and
    /// "running late" flag; archived patients' bookings are left out.
    #[serde(default)]
    pub bookings: Vec<crate::schedule::Booking>,
}

/// A proposal for a skin profile alone, as if the patient's screening were
/// clear and current (the command line's `plan preview`, the benchmarks).
pub fn preview(
    facts: SkinFacts,
    start: NaiveDate,
    calendar: &ClinicCalendar,
    defaults: &PlanDefaults,
) -> Result<PlanProposal, FieldError> {
    let clear = ScreeningResult {
        allowed: true,
        blocks: vec![],
        warnings: vec![],
        earliest_eligible: None,
        valid_until: NaiveDate::MAX,
    };
    propose(&EngineInput {
        facts,
        screening: Some(&clear),
        start,
        today: start,
        calendar,
        defaults,
        adjust: None,
    })
}

/// What the healing at the last visit does to the next interval (PRODUCT.md
/// 4.4): slow healing (redness for more than 3 days) adds the clinic's extra
/// weeks, up to the longest interval; an adverse event pauses the plan until a
/// practitioner resumes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealingDecision {
    pub next_interval_weeks: u32,
    pub pause: bool,
    pub rationale: Option<String>,
}

/// Days of redness above which healing counts as slow.
pub const SLOW_HEALING_REDNESS_DAYS: u32 = 3;

pub fn after_healing(
    current_weeks: u32,
    redness_days: u32,
    adverse_event: bool,
    d: &PlanDefaults,
) -> HealingDecision {
    if adverse_event {
        return HealingDecision {
            next_interval_weeks: current_weeks,
            pause: true,
            rationale: Some(
                "Plan paused after an adverse event: a practitioner must review and resume it."
                    .into(),
            ),
        };
    }
    if redness_days > SLOW_HEALING_REDNESS_DAYS {
        let longer = (current_weeks + d.slow_healing_extra_weeks)
            .min(d.max_interval_weeks.max(current_weeks));
        return HealingDecision {
            next_interval_weeks: longer,
            pause: false,
            rationale: Some(if longer > current_weeks {
                format!(
                    "Next interval {longer} weeks (was {current_weeks}): redness lasted {redness_days} days, more than {SLOW_HEALING_REDNESS_DAYS}."
                )
            } else {
                format!("Redness lasted {redness_days} days, but {current_weeks} weeks is already the longest interval.")
            }),
        };
    }
    HealingDecision {
        next_interval_weeks: current_weeks,
        pause: false,
        rationale: None,
    }
}

/// A booked consultation (a visit outside any plan: the first screening and assessment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsultationEntry {
    pub appointment_id: AppointmentId,
    pub patient_id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// `HH:MM`, if booked to a time.
    pub time: Option<String>,
    /// When the patient arrived (RFC 3339), if checked in.
    pub checked_in_at: Option<String>,
}
