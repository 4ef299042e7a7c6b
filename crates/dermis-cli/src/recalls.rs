//! `dermis lots trace …` and `dermis recalls …` (issue 18).

use crate::print;
use clap::Subcommand;
use dermis_clinic::core::ids;
use dermis_clinic::core::recall::{ContactOutcome, RecallContactInput, RecallUrgency};
use dermis_clinic::core::session::LotTraceFilter;
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum LotsCommand {
    /// Every patient treated with a lot (cartridge, glide, device or numbing
    /// cream), with contact details, session dates and the practitioner.
    Trace {
        /// The lot, as printed on the box (case and invisible characters do not matter).
        #[arg(long)]
        lot: String,
        /// First session day, YYYY-MM-DD (inclusive).
        #[arg(long, default_value = "")]
        from: String,
        /// Last session day, YYYY-MM-DD (inclusive).
        #[arg(long, default_value = "")]
        to: String,
        /// Write the trace as CSV to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the printable letter list (PDF) to this file.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum RecallsCommand {
    /// Log a call about a recall.
    Contact {
        #[arg(long)]
        recall: i64,
        /// called, no_answer, left_message, booked or declined.
        #[arg(long)]
        outcome: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Write a recall letter (PDF) in the patient's language.
    Letter {
        #[arg(long)]
        recall: i64,
        #[arg(long)]
        out: PathBuf,
        /// Print in this language (en, fr, es, de, it, pt, ar) instead of the patient's own.
        #[arg(long)]
        language: Option<String>,
    },
}

pub fn lots(clinic: &Clinic, s: &Actor, cmd: &LotsCommand, json: bool) -> Result<(), ApiError> {
    let LotsCommand::Trace {
        lot,
        from,
        to,
        out,
        pdf,
    } = cmd;
    let filter = LotTraceFilter {
        lot: lot.clone(),
        from: from.clone(),
        to: to.clone(),
    };
    if let Some(path) = pdf {
        let doc = clinic.print_lot_trace(s, &filter, path, false)?;
        return print(json, &doc, |d| {
            format!(
                "{} written: {} patient(s), {} page(s).",
                d.path, d.patients, d.pages
            )
        });
    }
    if let Some(path) = out {
        let n = clinic.export_lot_trace(s, &filter, path)?;
        let summary = serde_json::json!({ "path": path.display().to_string(), "sessions": n });
        return print(json, &summary, |_| {
            format!("{n} sessions written to {} (CSV, UTF-8).", path.display())
        });
    }
    let rows = clinic.lot_trace(s, &filter)?;
    print(json, &rows, |rows| {
        if rows.is_empty() {
            return "No session recorded this lot.".into();
        }
        rows.iter()
            .map(|r| {
                let found: Vec<&str> = r.matched.iter().map(|m| m.label()).collect();
                format!(
                    "{}  {} {} {}  {}  {}  by {}  ({}{})",
                    r.session_date,
                    r.patient_number,
                    r.first_name,
                    r.last_name,
                    if r.phone.is_empty() {
                        "no phone"
                    } else {
                        &r.phone
                    },
                    if r.email.is_empty() {
                        "no e-mail"
                    } else {
                        &r.email
                    },
                    r.practitioner,
                    found.join(", "),
                    if r.adverse_events > 0 {
                        format!("; {} adverse event(s)", r.adverse_events)
                    } else {
                        String::new()
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

pub fn recalls(
    clinic: &Clinic,
    s: &Actor,
    cmd: Option<&RecallsCommand>,
    json: bool,
) -> Result<(), ApiError> {
    match cmd {
        None => {
            let list = clinic.recall_calls(s)?;
            print(json, &list, |l| {
                if l.calls.is_empty() {
                    return format!("No recalls overdue or due by {}.", l.week_end);
                }
                l.calls
                    .iter()
                    .map(|c| {
                        let last = c
                            .contacts
                            .last()
                            .map(|x| {
                                format!(
                                    "  last call: {} by {} ({})",
                                    x.outcome.label(),
                                    x.by,
                                    &x.at[..x.at.len().min(10)]
                                )
                            })
                            .unwrap_or_default();
                        format!(
                            "recall {}  {}  {}  {} {} {}  {}  language {}{}",
                            c.recall_id,
                            c.due,
                            match c.urgency {
                                RecallUrgency::Overdue => "OVERDUE  ",
                                RecallUrgency::ThisWeek => "this week",
                                RecallUrgency::Later => "later    ",
                            },
                            c.patient_number,
                            c.first_name,
                            c.last_name,
                            if c.phone.is_empty() {
                                "no phone"
                            } else {
                                &c.phone
                            },
                            if c.preferred_language.is_empty() {
                                "-"
                            } else {
                                &c.preferred_language
                            },
                            last
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Some(RecallsCommand::Contact {
            recall,
            outcome,
            note,
        }) => {
            let outcome = ContactOutcome::parse(outcome).ok_or_else(|| {
                crate::fail(
                    ErrorCode::Validation,
                    Some("outcome"),
                    format!(
                        "\"{}\" is not an outcome: use called, no_answer, left_message, booked or declined.",
                        outcome.trim()
                    ),
                )
            })?;
            let logged = clinic.record_recall_contact(
                s,
                ids::RecallId(*recall),
                &RecallContactInput {
                    outcome,
                    note: note.clone(),
                },
            )?;
            print(json, &logged, |c| {
                format!("Logged: {} (call {}).", c.outcome.label(), c.id)
            })
        }
        Some(RecallsCommand::Letter {
            recall,
            out,
            language,
        }) => {
            let doc = clinic.print_recall_letter(
                s,
                ids::RecallId(*recall),
                language.as_deref(),
                out,
                false,
            )?;
            print(json, &doc, |d| {
                let mut line = format!(
                    "{} written: {} page(s), language {}.",
                    d.path, d.pages, d.language
                );
                if !d.language_note.is_empty() {
                    line.push(' ');
                    line.push_str(&d.language_note);
                }
                line
            })
        }
    }
}
