//! `dermis plan …`, `dermis screening …`, `dermis assessment …`.

use crate::{fail, print};
use clap::{Args, Subcommand};
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids;
use dermis_clinic::core::plan::{self, PlanOverride, PlanRequest, SkinFacts};
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::settings::{ClinicCalendar, PlanDefaults, Weekday};
use dermis_clinic::core::validate;
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode};
use serde::de::DeserializeOwned;

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Print the plan the engine proposes for a skin profile (no database needed).
    Preview(PreviewArgs),
    /// Propose a plan for a patient from one of their assessments (nothing stored).
    Propose(RequestArgs),
    /// Accept the proposed plan (with overrides and their reason) as the patient's plan.
    Accept(RequestArgs),
    /// Move a planned session; the later ones follow.
    Reschedule {
        #[arg(long)]
        session: i64,
        #[arg(long)]
        date: String,
    },
}

#[derive(Args)]
pub struct PreviewArgs {
    /// Goodman & Baron grade, 1–4.
    #[arg(long)]
    grade: u8,
    /// sensitive, normal or resilient.
    #[arg(long)]
    sensitivity: String,
    /// Fitzpatrick type 1–6 (or I–VI).
    #[arg(long)]
    fitzpatrick: String,
    #[arg(long)]
    start: String,
    #[arg(long, default_value_t = 0)]
    scar_age_years: u32,
    /// Days the clinic is closed every week, e.g. sat,sun (default: sat,sun).
    #[arg(long, default_value = "sat,sun")]
    closed_weekdays: String,
    /// Closed dates, e.g. 2026-12-25,2027-01-01.
    #[arg(long, default_value = "")]
    closed_dates: String,
}

#[derive(Args)]
pub struct RequestArgs {
    #[arg(long)]
    patient: i64,
    #[arg(long)]
    assessment: i64,
    #[arg(long)]
    start: String,
    /// Override the number of sessions (needs --reason).
    #[arg(long)]
    sessions: Option<u32>,
    /// Override the interval in weeks (needs --reason).
    #[arg(long)]
    interval: Option<u32>,
    /// Why the proposal is changed (or why a blocking screening is overridden).
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Subcommand)]
pub enum ScreeningCommand {
    /// A patient's screenings, newest first (practitioners and admins).
    List {
        #[arg(long)]
        patient: i64,
    },
    /// Record a screening: every question is "no" unless named in --yes.
    Record {
        #[arg(long)]
        patient: i64,
        /// Conditions present, e.g. diabetes,isotretinoin:2026-09-01 (the date is the last dose).
        #[arg(long, default_value = "")]
        yes: String,
        /// The screening date (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
}

#[derive(Subcommand)]
pub enum AssessmentCommand {
    /// A patient's assessments, newest first.
    List {
        #[arg(long)]
        patient: i64,
    },
    /// Record an assessment.
    Record {
        #[arg(long)]
        patient: i64,
        #[arg(long)]
        grade: u8,
        #[arg(long)]
        fitzpatrick: String,
        #[arg(long)]
        sensitivity: String,
        /// e.g. boxcar,rolling
        #[arg(long)]
        scar_types: String,
        /// e.g. cheeks,forehead
        #[arg(long)]
        areas: String,
        /// Counts per kind, e.g. macular=5,moderate=12,severe=0,papular=0,keloidal=0
        #[arg(long, default_value = "")]
        counts: String,
        #[arg(long, default_value_t = 0)]
        scar_age_years: u32,
        /// The assessment date (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
}

/// Parses a snake_case word into one of Dermis' enums, naming the field when it is not one.
pub(crate) fn word<T: DeserializeOwned>(field: &str, raw: &str) -> Result<T, ApiError> {
    let w = raw.trim().to_lowercase().replace(['-', ' '], "_");
    serde_json::from_value(serde_json::Value::String(w.clone())).map_err(|_| {
        fail(
            ErrorCode::Validation,
            Some(field),
            format!("\"{raw}\" is not a known {}.", field.replace('_', " ")),
        )
    })
}

fn list<T: DeserializeOwned>(field: &str, raw: &str) -> Result<Vec<T>, ApiError> {
    raw.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| word(field, s))
        .collect()
}

fn fitzpatrick(raw: &str) -> Result<u8, ApiError> {
    let r = raw.trim().to_uppercase();
    let n = ["I", "II", "III", "IV", "V", "VI"]
        .iter()
        .position(|x| *x == r)
        .map(|i| i as u8 + 1)
        .or_else(|| r.parse().ok())
        .filter(|n| (1..=6).contains(n));
    n.ok_or_else(|| {
        fail(
            ErrorCode::Validation,
            Some("fitzpatrick"),
            format!("\"{raw}\" is not a Fitzpatrick type (1–6 or I–VI)."),
        )
    })
}

pub fn preview(a: &PreviewArgs, json: bool) -> Result<(), ApiError> {
    let start = validate::date("start", "Start date", &a.start).map_err(field_err)?;
    let sensitivity: Sensitivity = word("sensitivity", &a.sensitivity)?;
    let closed: Vec<Weekday> = a
        .closed_weekdays
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Weekday::parse(s).ok_or_else(|| {
                fail(
                    ErrorCode::Validation,
                    Some("closed_weekdays"),
                    format!("\"{s}\" is not a weekday (mon … sun)."),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let open: Vec<Weekday> = Weekday::ALL
        .into_iter()
        .filter(|w| !closed.contains(w))
        .collect();
    let dates = a
        .closed_dates
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| validate::date("closed_dates", "A closed date", s).map_err(field_err))
        .collect::<Result<Vec<_>, _>>()?;
    let facts = SkinFacts {
        grade: a.grade,
        fitzpatrick: fitzpatrick(&a.fitzpatrick)?,
        sensitivity,
        scar_age_years: a.scar_age_years,
    };
    let p = plan::preview(
        facts,
        start,
        &ClinicCalendar::new(&open, &dates),
        &PlanDefaults::default(),
    )
    .map_err(field_err)?;
    print(json, &p, |p| {
        let mut out: Vec<String> = p
            .sessions
            .iter()
            .map(|s| format!("session {}  {}", s.n, s.date.format("%a %Y-%m-%d")))
            .collect();
        out.extend(
            p.maintenance
                .iter()
                .map(|d| format!("recall     {}", d.format("%a %Y-%m-%d"))),
        );
        out.extend(p.rationale.iter().map(|r| format!("· {r}")));
        out.extend(p.warnings.iter().map(|w| format!("! {w}")));
        out.join("\n")
    })
}

fn field_err(e: dermis_clinic::core::FieldError) -> ApiError {
    ApiError {
        code: ErrorCode::Validation,
        message: e.message.clone(),
        field: Some(e.field.clone()),
        fields: vec![e],
        slot: None,
    }
}

fn request(a: &RequestArgs) -> PlanRequest {
    PlanRequest {
        patient_id: ids::PatientId(a.patient),
        assessment_id: ids::AssessmentId(a.assessment),
        start: a.start.clone(),
        adjust: if a.sessions.is_some() || a.interval.is_some() || !a.reason.trim().is_empty() {
            Some(PlanOverride {
                sessions: a.sessions,
                interval_weeks: a.interval,
                reason: a.reason.clone(),
            })
        } else {
            None
        },
    }
}

fn plan_lines(
    sessions: impl Iterator<Item = (u32, chrono::NaiveDate)>,
    maintenance: &[chrono::NaiveDate],
) -> Vec<String> {
    let mut out: Vec<String> = sessions
        .map(|(n, d)| format!("session {n}  {}", d.format("%a %Y-%m-%d")))
        .collect();
    out.extend(
        maintenance
            .iter()
            .map(|d| format!("recall     {}", d.format("%a %Y-%m-%d"))),
    );
    out
}

pub fn plan(clinic: &Clinic, actor: &Actor, cmd: &PlanCommand, json: bool) -> Result<(), ApiError> {
    match cmd {
        PlanCommand::Preview(a) => preview(a, json),
        PlanCommand::Propose(a) => {
            let p = clinic.propose_plan(actor, &request(a))?;
            print(json, &p, |p| {
                let mut out = plan_lines(p.sessions.iter().map(|s| (s.n, s.date)), &p.maintenance);
                out.extend(p.rationale.iter().map(|r| format!("· {r}")));
                out.extend(p.warnings.iter().map(|w| format!("! {w}")));
                out.join("\n")
            })
        }
        PlanCommand::Accept(a) => {
            let p = clinic.accept_plan(actor, &request(a))?;
            print(json, &p, |p| {
                let mut out = vec![format!(
                    "Plan {} accepted: {} sessions.",
                    p.id, p.session_count
                )];
                out.extend(plan_lines(
                    p.sessions.iter().map(|s| (s.n, s.date)),
                    &p.maintenance,
                ));
                out.join("\n")
            })
        }
        PlanCommand::Reschedule { session: id, date } => {
            let p = clinic.reschedule_session(actor, ids::PlannedSessionId(*id), date)?;
            print(json, &p, |p| {
                plan_lines(p.sessions.iter().map(|s| (s.n, s.date)), &p.maintenance).join("\n")
            })
        }
    }
}

pub fn screening(
    clinic: &Clinic,
    actor: &Actor,
    cmd: &ScreeningCommand,
    json: bool,
    today: &str,
) -> Result<(), ApiError> {
    let (patient, yes, date, notes) = match cmd {
        ScreeningCommand::List { patient } => {
            let list = clinic.screenings(actor, ids::PatientId(*patient))?;
            return print(json, &list, |list| {
                if list.is_empty() {
                    return "No screenings.".to_string();
                }
                list.iter()
                    .map(|s| format!("{}  {}  recorded by {}", s.id, s.screened_on, s.recorded_by))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ScreeningCommand::Record {
            patient,
            yes,
            date,
            notes,
        } => (patient, yes, date, notes),
    };
    let mut present: Vec<(Condition, Option<String>)> = Vec::new();
    for item in yes.split(',').filter(|s| !s.trim().is_empty()) {
        let (name, last) = match item.split_once(':') {
            Some((n, d)) => (n, Some(d.trim().to_string())),
            None => (item, None),
        };
        present.push((word("condition", name)?, last));
    }
    let input = ScreeningInput {
        screened_on: date.clone().unwrap_or_else(|| today.to_string()),
        answers: clinic
            .screening_questions(actor)?
            .into_iter()
            .map(|q| {
                let p = present.iter().find(|(c, _)| *c == q.condition);
                ScreeningAnswer {
                    condition: q.condition,
                    present: p.is_some(),
                    last_date: p.and_then(|(_, d)| d.clone()),
                }
            })
            .collect(),
        notes: notes.clone(),
    };
    let s = clinic.record_screening(actor, ids::PatientId(*patient), &input)?;
    print(json, &s, |s| {
        let r = &s.result;
        let mut out = vec![format!(
            "Screening {} recorded: {}.",
            s.id,
            if r.allowed {
                "treatment allowed"
            } else {
                "treatment BLOCKED"
            }
        )];
        out.extend(r.blocks.iter().map(|f| format!("✗ {}", f.message)));
        out.extend(r.warnings.iter().map(|f| format!("! {}", f.message)));
        if let Some(e) = r.earliest_eligible {
            out.push(format!("Eligible from {e}."));
        }
        out.push(format!("Valid until {}.", r.valid_until));
        out.join("\n")
    })
}

pub fn assessment(
    clinic: &Clinic,
    actor: &Actor,
    cmd: &AssessmentCommand,
    json: bool,
    today: &str,
) -> Result<(), ApiError> {
    if let AssessmentCommand::List { patient } = cmd {
        let list = clinic.assessments(actor, ids::PatientId(*patient))?;
        return print(json, &list, |list| {
            if list.is_empty() {
                return "No assessments.".to_string();
            }
            list.iter()
                .map(|a| {
                    format!(
                        "{}  {}  grade {}  score {}  Fitzpatrick {}  {}",
                        a.id,
                        a.assessed_on,
                        a.grade,
                        a.score,
                        a.fitzpatrick,
                        a.sensitivity.as_str()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
    }
    let AssessmentCommand::Record {
        patient,
        grade,
        fitzpatrick: fitz,
        sensitivity,
        scar_types,
        areas,
        counts,
        scar_age_years,
        date,
        notes,
    } = cmd
    else {
        unreachable!("the list command returned above")
    };
    let mut c = GbCounts::default();
    for item in counts.split(',').filter(|s| !s.trim().is_empty()) {
        let (k, v) = item.split_once('=').ok_or_else(|| {
            fail(
                ErrorCode::Validation,
                Some("counts"),
                format!("\"{item}\" is not kind=number."),
            )
        })?;
        let n: u32 = v.trim().parse().map_err(|_| {
            fail(
                ErrorCode::Validation,
                Some("counts"),
                format!("\"{v}\" is not a count."),
            )
        })?;
        match k.trim() {
            "macular" => c.macular = n,
            "moderate" => c.moderate = n,
            "severe" => c.severe = n,
            "papular" => c.papular = n,
            "keloidal" => c.keloidal = n,
            other => {
                return Err(fail(
                    ErrorCode::Validation,
                    Some("counts"),
                    format!(
                        "\"{other}\" is not one of macular, moderate, severe, papular, keloidal."
                    ),
                ))
            }
        }
    }
    let input = AssessmentInput {
        assessed_on: date.clone().unwrap_or_else(|| today.to_string()),
        scar_types: list::<ScarType>("scar_types", scar_types)?,
        grade: *grade,
        counts: c,
        fitzpatrick: fitzpatrick(fitz)?,
        sensitivity: word::<Sensitivity>("sensitivity", sensitivity)?,
        treatment_areas: list::<TreatmentArea>("treatment_areas", areas)?,
        scar_age_years: *scar_age_years,
        notes: notes.clone(),
    };
    let a = clinic.record_assessment(actor, ids::PatientId(*patient), &input)?;
    print(json, &a, |a| {
        format!(
            "Assessment {} recorded: grade {}, score {}.",
            a.id, a.grade, a.score
        )
    })
}
