//! Shared fixtures of the rule tests.

use chrono::{Duration, NaiveDate};
use dermis_core::assessment::Sensitivity;
use dermis_core::plan::{propose, EngineInput, PlanOverride, PlanProposal, SkinFacts};
use dermis_core::screening::ScreeningResult;
use dermis_core::settings::{ClinicCalendar, PlanDefaults, Weekday};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The clinic's "today" in these tests (a Tuesday).
pub fn today() -> NaiveDate {
    d("2026-11-24")
}

pub fn clear() -> ScreeningResult {
    ScreeningResult {
        allowed: true,
        blocks: vec![],
        warnings: vec![],
        earliest_eligible: None,
        valid_until: today() + Duration::days(365),
    }
}

pub fn every_day() -> ClinicCalendar {
    ClinicCalendar::new(&Weekday::ALL, &[])
}

/// Every day open except `closed`.
pub fn open_except(closed: &[NaiveDate]) -> ClinicCalendar {
    ClinicCalendar::new(&Weekday::ALL, closed)
}

/// Open only on the days of `open` between `from` and `to` (inclusive); every other day
/// of that span is closed (outside it every day is open).
pub fn only_open(from: NaiveDate, to: NaiveDate, open: &[NaiveDate]) -> ClinicCalendar {
    let mut closed = Vec::new();
    let mut x = from;
    while x <= to {
        if !open.contains(&x) {
            closed.push(x);
        }
        x = x.succ_opt().unwrap();
    }
    open_except(&closed)
}

pub fn facts(grade: u8, sensitivity: Sensitivity, fitzpatrick: u8, age: u32) -> SkinFacts {
    SkinFacts {
        grade,
        fitzpatrick,
        sensitivity,
        scar_age_years: age,
    }
}

pub fn normal() -> SkinFacts {
    facts(2, Sensitivity::Normal, 2, 1)
}

pub struct Run<'a> {
    pub facts: SkinFacts,
    pub screening: Option<&'a ScreeningResult>,
    pub start: NaiveDate,
    pub calendar: &'a ClinicCalendar,
    pub defaults: &'a PlanDefaults,
    pub adjust: Option<&'a PlanOverride>,
}

pub fn plan(r: Run) -> Result<PlanProposal, dermis_core::FieldError> {
    propose(&EngineInput {
        facts: r.facts,
        screening: r.screening,
        start: r.start,
        today: today(),
        calendar: r.calendar,
        defaults: r.defaults,
        adjust: r.adjust,
    })
}

/// A plan with the default settings, a clear screening and the given facts, start and calendar.
pub fn simple(
    f: SkinFacts,
    start: &str,
    cal: &ClinicCalendar,
) -> Result<PlanProposal, dermis_core::FieldError> {
    let defaults = PlanDefaults::default();
    let s = clear();
    plan(Run {
        facts: f,
        screening: Some(&s),
        start: d(start),
        calendar: cal,
        defaults: &defaults,
        adjust: None,
    })
}

pub fn dates(p: &PlanProposal) -> Vec<NaiveDate> {
    p.sessions.iter().map(|s| s.date).collect()
}
