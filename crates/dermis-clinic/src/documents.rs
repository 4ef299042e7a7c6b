//! Printed documents (PRODUCT.md 5): the use-cases gather what each document
//! shows from the clinic's records, dermis-docs draws it, and every print is
//! recorded on the patient's documents list and in the audit log.
//!
//! Receptionists print aftercare sheets and schedule cards; progress
//! summaries carry clinical content and need the clinical read permission.

use crate::clinical::{not_found, require_patient};
use crate::{Action, Clinic, ClinicError, Result, Session};
use chrono::{NaiveDate, NaiveTime};
use dermis_core::names::display_name;
use dermis_core::plan::{CalendarEntry, Plan, PlanStatus, SessionStatus};
use dermis_core::session::format_mm;
use dermis_core::settings::PaperSize;
use dermis_docs as docs;
use dermis_store::Tx;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// What to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum PrintRequest {
    /// The aftercare sheet of one planned (or done) session.
    Aftercare {
        #[ts(type = "number")]
        session_id: i64,
    },
    /// The aftercare sheet for a patient treated on a date (`YYYY-MM-DD`).
    AftercareOn {
        #[ts(type = "number")]
        patient_id: i64,
        date: String,
    },
    /// Every aftercare sheet of a day, in appointment order (empty date = today).
    Today { date: String },
    ProgressSummary {
        #[ts(type = "number")]
        patient_id: i64,
    },
    ScheduleCard {
        #[ts(type = "number")]
        patient_id: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentKind {
    Aftercare,
    ProgressSummary,
    ScheduleCard,
}

impl DocumentKind {
    fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Aftercare => "aftercare",
            DocumentKind::ProgressSummary => "progress_summary",
            DocumentKind::ScheduleCard => "schedule_card",
        }
    }
}

/// A made document: its PDF bytes and a file name to save or open it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedDocument {
    pub kind: DocumentKind,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub pages: u32,
    /// How many patients it is for (a batch: one per sheet).
    pub patients: u32,
}

/// A printed document on a patient's documents list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: DocumentKind,
    pub title: String,
    pub pages: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    pub printed_by: String,
    pub printed_at: String,
}

fn docs_err(e: docs::DocsError) -> ClinicError {
    match e {
        docs::DocsError::InvalidLogo { .. } => ClinicError::validation("logo", e.to_string()),
        docs::DocsError::Template(t) => {
            ClinicError::validation("aftercare_template", t.to_string())
        }
        docs::DocsError::EmptyBatch => ClinicError::validation("date", e.to_string()),
        other => ClinicError::Internal(other.to_string()),
    }
}

/// The default aftercare text (PRODUCT.md 4.6), shown in Settings.
pub(crate) fn default_template() -> String {
    docs::default_aftercare_template().to_string()
}

/// The aftercare text's placeholders with what each becomes, for Settings.
pub(crate) fn placeholders() -> Vec<String> {
    docs::PLACEHOLDERS
        .iter()
        .map(|(name, what)| format!("{{{name}}}: {what}"))
        .collect()
}

/// Checks a clinic's aftercare text: an unknown placeholder is an error that names it.
pub(crate) fn check_template(text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    docs::validate_template(text)
        .map_err(|e| ClinicError::validation("aftercare_template", e.to_string()))
}

fn parse_time(t: &Option<String>) -> Option<NaiveTime> {
    t.as_deref()
        .and_then(|s| NaiveTime::parse_from_str(s, "%H:%M").ok())
}

fn paper(p: PaperSize) -> docs::PaperSize {
    match p {
        PaperSize::A4 => docs::PaperSize::A4,
        PaperSize::Letter => docs::PaperSize::Letter,
    }
}

fn safe_file_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// What every document of this clinic shares.
struct House {
    letterhead: docs::Letterhead,
    paper: docs::PaperSize,
    template: String,
}

fn house(tx: &Tx) -> Result<House> {
    let d = tx
        .clinic_details()?
        .ok_or_else(|| ClinicError::NotFound("The clinic is not set up yet.".into()))?;
    let settings = tx.clinic_settings()?;
    Ok(House {
        letterhead: docs::Letterhead {
            name: d.name,
            address: d.address,
            phone: d.phone,
            logo: tx.logo()?.map(|(bytes, _)| bytes),
        },
        paper: paper(settings.paper),
        template: if settings.aftercare_template.is_empty() {
            default_template()
        } else {
            settings.aftercare_template
        },
    })
}

/// The aftercare sheet for treatment `date` of `plan` (`plan` may be absent).
fn aftercare_input(
    tx: &Tx,
    h: &House,
    patient_id: i64,
    date: NaiveDate,
    plan: Option<&Plan>,
    today: NaiveDate,
) -> Result<docs::AftercareInput> {
    let p = tx
        .patient(patient_id)?
        .ok_or_else(|| not_found("Patient", patient_id))?;
    let next = plan.and_then(|pl| {
        pl.sessions
            .iter()
            .find(|s| s.date > date && s.status == SessionStatus::Planned)
            .map(|s| docs::Appointment {
                date: s.date,
                time: parse_time(&s.time),
            })
    });
    let pih = match plan {
        Some(pl) => tx
            .assessment(pl.assessment_id)?
            .is_some_and(|a| a.fitzpatrick >= 4),
        None => false,
    };
    Ok(docs::AftercareInput {
        letterhead: h.letterhead.clone(),
        paper: h.paper,
        patient_name: display_name(&p.first_name, &p.last_name),
        patient_number: p.patient_number,
        treatment_date: date,
        next_appointment: next,
        template: h.template.clone(),
        pih_caution: pih,
        generated_on: today,
    })
}

/// One aftercare sheet, its file name, its patient and its title on the documents list.
fn one_sheet(
    tx: &Tx,
    h: &House,
    patient_id: i64,
    date: NaiveDate,
    plan: Option<&Plan>,
    today: NaiveDate,
) -> Result<(RenderedDocument, Vec<i64>, String)> {
    let input = aftercare_input(tx, h, patient_id, date, plan, today)?;
    let bytes = docs::aftercare_sheet(&input).map_err(docs_err)?;
    let file_name = format!(
        "aftercare-{}-{date}.pdf",
        safe_file_part(&input.patient_number)
    );
    Ok((
        RenderedDocument {
            kind: DocumentKind::Aftercare,
            file_name,
            bytes,
            pages: 1,
            patients: 1,
        },
        vec![patient_id],
        format!("Aftercare sheet, treatment {date}"),
    ))
}

/// The patient's plan to print from: the one in progress, else the newest.
fn current_plan(tx: &Tx, patient_id: i64) -> Result<Option<Plan>> {
    let plans = tx.plans(patient_id)?;
    Ok(plans
        .iter()
        .find(|p| matches!(p.status, PlanStatus::Active | PlanStatus::Paused))
        .or_else(|| plans.iter().find(|p| p.status != PlanStatus::Cancelled))
        .cloned())
}

fn plan_summary(p: &Plan) -> docs::PlanSummary {
    docs::PlanSummary {
        sessions: p.session_count,
        interval_weeks: p.interval_weeks,
        status: p.status,
    }
}

fn depth_text(depths: &[dermis_core::session::ZoneDepth]) -> String {
    let (lo, hi) = depths.iter().fold((u32::MAX, 0), |(lo, hi), d| {
        (lo.min(d.depth_um), hi.max(d.depth_um))
    });
    match depths.len() {
        0 => String::new(),
        _ if lo == hi => format!("{} mm", format_mm(lo)),
        _ => format!("{}–{} mm", format_mm(lo), format_mm(hi)),
    }
}

fn area_label(
    a: dermis_core::assessment::TreatmentArea,
    angle: dermis_core::photo::PhotoAngle,
) -> String {
    let area = a.as_str().replace('_', " ");
    let angle = angle.as_str().replace('_', " ");
    let mut s = format!("{area}, {angle}");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}

impl Clinic {
    /// Makes a document and records the print on each patient's documents list.
    pub fn render_document(
        &self,
        session: &Session,
        req: &PrintRequest,
    ) -> Result<RenderedDocument> {
        let action = match req {
            PrintRequest::ProgressSummary { .. } => Action::ReadClinical,
            _ => Action::PrintHandouts,
        };
        self.allow(session, action)?;
        let today = self.today();
        let now = self.now();
        let mut store = self.store()?;
        let photos_root = store.photos_dir().ok();
        // One read transaction: what is printed is one consistent state (a
        // sheet takes milliseconds to draw).
        let (doc, for_patients, title) = store.read(|tx| -> Result<_> {
            let h = house(tx)?;
            match req {
                PrintRequest::Aftercare { session_id } => {
                    let (plan, _) = tx
                        .plan_of_session(*session_id)?
                        .ok_or_else(|| not_found("Session", *session_id))?;
                    let s = plan
                        .sessions
                        .iter()
                        .find(|s| s.id == *session_id)
                        .ok_or_else(|| not_found("Session", *session_id))?;
                    one_sheet(tx, &h, plan.patient_id, s.date, Some(&plan), today)
                }
                PrintRequest::AftercareOn { patient_id, date } => {
                    require_patient(tx, *patient_id)?;
                    let date = dermis_core::validate::date("date", "Treatment date", date)?;
                    let plan = tx.plans(*patient_id)?.into_iter().find(|p| {
                        p.status != PlanStatus::Cancelled
                            && p.sessions.iter().any(|s| s.date == date)
                    });
                    let plan = match plan {
                        Some(p) => Some(p),
                        None => current_plan(tx, *patient_id)?,
                    };
                    one_sheet(tx, &h, *patient_id, date, plan.as_ref(), today)
                }
                PrintRequest::Today { date } => {
                    let day = if date.trim().is_empty() {
                        today
                    } else {
                        dermis_core::validate::date("date", "Day", date)?
                    };
                    let entries: Vec<CalendarEntry> = tx.calendar(day, day)?;
                    if entries.is_empty() {
                        return Err(ClinicError::validation(
                            "date",
                            format!("There are no sessions booked on {day}: nothing to print."),
                        ));
                    }
                    let mut inputs = Vec::new();
                    let mut patients = Vec::new();
                    for e in &entries {
                        let plan = tx.plan(e.plan_id)?;
                        inputs.push(aftercare_input(
                            tx,
                            &h,
                            e.patient_id,
                            day,
                            plan.as_ref(),
                            today,
                        )?);
                        patients.push(e.patient_id);
                    }
                    let bytes = docs::aftercare_batch(&inputs).map_err(docs_err)?;
                    let n = inputs.len() as u32;
                    Ok((
                        RenderedDocument {
                            kind: DocumentKind::Aftercare,
                            file_name: format!("aftercare-all-{day}.pdf"),
                            bytes,
                            pages: n,
                            patients: n,
                        },
                        patients,
                        format!("Aftercare sheet, treatment {day} (day's batch)"),
                    ))
                }
                PrintRequest::ProgressSummary { patient_id } => {
                    require_patient(tx, *patient_id)?;
                    let p = tx
                        .patient(*patient_id)?
                        .ok_or_else(|| not_found("Patient", *patient_id))?;
                    let plan = current_plan(tx, *patient_id)?.ok_or_else(|| {
                        ClinicError::validation(
                            "patient_id",
                            "This patient has no plan yet: a progress summary follows a plan.",
                        )
                    })?;
                    let mut records = tx.session_records(*patient_id)?;
                    records.reverse();
                    let sessions = records
                        .iter()
                        .map(|r| docs::SessionRow {
                            date: r.date,
                            zones: r
                                .depths
                                .iter()
                                .map(|d| d.zone.label())
                                .collect::<Vec<_>>()
                                .join(", "),
                            depth: depth_text(&r.depths),
                            notes: r.notes.clone(),
                        })
                        .collect();
                    let scores = tx
                        .assessments(*patient_id)?
                        .iter()
                        .map(|a| docs::ScorePoint {
                            date: a.assessed_on,
                            score: a.score,
                        })
                        .collect();
                    let pairs = dermis_core::photo::before_after_pairs(&tx.photos(*patient_id)?);
                    let photos = match pairs.first() {
                        Some(pair) => {
                            let read = |ph: &dermis_core::photo::Photo| -> Result<docs::Photo> {
                                let ext = if ph.mime == "image/png" { "png" } else { "jpg" };
                                let root = photos_root.as_deref().ok_or_else(|| {
                                    ClinicError::Io("This clinic keeps no photo files.".into())
                                })?;
                                let path = dermis_store::photo_path(root, &ph.sha256, ext);
                                let bytes = std::fs::read(&path).map_err(|e| {
                                    ClinicError::Io(format!(
                                        "The photo file {} cannot be read: {e}.",
                                        path.display()
                                    ))
                                })?;
                                Ok(docs::Photo {
                                    date: ph.taken_on,
                                    bytes,
                                })
                            };
                            Some(docs::PhotoPair {
                                area_label: area_label(pair.area, pair.angle),
                                first: read(&pair.before)?,
                                latest: read(&pair.after)?,
                            })
                        }
                        None => None,
                    };
                    let input = docs::ProgressSummaryInput {
                        letterhead: h.letterhead.clone(),
                        paper: h.paper,
                        patient_name: display_name(&p.first_name, &p.last_name),
                        patient_number: p.patient_number.clone(),
                        plan: plan_summary(&plan),
                        sessions,
                        scores,
                        photos,
                        next_maintenance: plan.maintenance.iter().copied().find(|d| *d >= today),
                        generated_on: today,
                    };
                    let bytes = docs::progress_summary(&input).map_err(docs_err)?;
                    let pages = docs::page_count(&bytes) as u32;
                    Ok((
                        RenderedDocument {
                            kind: DocumentKind::ProgressSummary,
                            file_name: format!(
                                "progress-{}-{today}.pdf",
                                safe_file_part(&p.patient_number)
                            ),
                            bytes,
                            pages,
                            patients: 1,
                        },
                        vec![*patient_id],
                        "Progress summary".to_string(),
                    ))
                }
                PrintRequest::ScheduleCard { patient_id } => {
                    require_patient(tx, *patient_id)?;
                    let p = tx
                        .patient(*patient_id)?
                        .ok_or_else(|| not_found("Patient", *patient_id))?;
                    let plan = current_plan(tx, *patient_id)?.ok_or_else(|| {
                        ClinicError::validation(
                            "patient_id",
                            "This patient has no plan yet: there are no dates to print.",
                        )
                    })?;
                    let input = docs::ScheduleCardInput {
                        letterhead: h.letterhead.clone(),
                        paper: h.paper,
                        patient_name: display_name(&p.first_name, &p.last_name),
                        patient_number: p.patient_number.clone(),
                        plan: Some(plan_summary(&plan)),
                        sessions: plan
                            .sessions
                            .iter()
                            .filter(|s| s.status != SessionStatus::Cancelled)
                            .map(|s| docs::ScheduledSession {
                                number: s.n,
                                date: s.date,
                                time: parse_time(&s.time),
                            })
                            .collect(),
                        recalls: plan.maintenance.clone(),
                        generated_on: today,
                    };
                    let bytes = docs::schedule_card(&input).map_err(docs_err)?;
                    let pages = docs::page_count(&bytes) as u32;
                    Ok((
                        RenderedDocument {
                            kind: DocumentKind::ScheduleCard,
                            file_name: format!(
                                "schedule-{}.pdf",
                                safe_file_part(&p.patient_number)
                            ),
                            bytes,
                            pages,
                            patients: 1,
                        },
                        vec![*patient_id],
                        "Schedule card".to_string(),
                    ))
                }
            }
        })?;
        let sha: String = Sha256::digest(&doc.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        store.write(|tx| -> Result<_> {
            let per_patient_pages = if for_patients.len() > 1 { 1 } else { doc.pages };
            for pid in &for_patients {
                tx.insert_document(
                    *pid,
                    doc.kind.as_str(),
                    &title,
                    &sha,
                    per_patient_pages,
                    doc.bytes.len() as u64,
                    session.user_id,
                    &now,
                )?;
                let detail =
                    serde_json::json!({ "kind": doc.kind, "pages": per_patient_pages }).to_string();
                tx.append_audit(&session.audit_entry(
                    now.clone(),
                    "document.print",
                    "patient",
                    &pid.to_string(),
                    &detail,
                ))?;
            }
            Ok(())
        })?;
        Ok(doc)
    }

    /// The documents printed for a patient, newest first.
    pub fn documents(&self, session: &Session, patient_id: i64) -> Result<Vec<DocumentInfo>> {
        self.allow(session, Action::ViewPatient)?;
        self.store()?.read(|tx| -> Result<_> {
            require_patient(tx, patient_id)?;
            Ok(tx
                .documents(patient_id)?
                .into_iter()
                .map(|d| DocumentInfo {
                    id: d.id,
                    kind: match d.kind.as_str() {
                        "progress_summary" => DocumentKind::ProgressSummary,
                        "schedule_card" => DocumentKind::ScheduleCard,
                        _ => DocumentKind::Aftercare,
                    },
                    title: d.title,
                    pages: d.pages,
                    bytes: d.bytes,
                    printed_by: d.printed_by,
                    printed_at: d.printed_at,
                })
                .collect())
        })
    }
}
