//! Printed documents (PRODUCT.md 5): the use-cases gather what each document
//! shows from the clinic's records, dermis-docs draws it, and every print is
//! recorded on the patient's documents list and in the audit log.
//!
//! Receptionists print aftercare sheets and schedule cards; progress
//! summaries carry clinical content and need the clinical read permission.
//!
//! Languages (issue 20): a document is printed in the patient's preferred
//! language by default; the person printing may choose another (the print
//! menu, `--language` on the command line). When Dermis has no documents in
//! the language wanted, the clinic's default language is used and the
//! rendered document says so ([`RenderedDocument::language_note`]), so the
//! print dialog can tell the receptionist before the patient leaves with a
//! sheet they cannot read. The aftercare text is the clinic's own per
//! language when it has written or approved one, else Dermis's default text
//! for that language, which Settings marks "default text, not reviewed"
//! until a clinician approves it.

use crate::clinical::{not_found, require_patient};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use chrono::{NaiveDate, NaiveTime};
use dermis_core::ids;
use dermis_core::names::display_name;
use dermis_core::plan::{CalendarEntry, Plan, PlanStatus, SessionStatus};
use dermis_core::settings::PaperSize;
use dermis_docs as docs;
use dermis_store::Tx;
use ids::PatientId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
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
    /// The lot trace letter list (not stored per patient).
    LotTraceList,
    /// A maintenance recall letter.
    RecallLetter,
    /// A signed consent (its frozen PDF; listed from the consents, not the printed documents).
    Consent,
}

impl DocumentKind {
    fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Aftercare => "aftercare",
            DocumentKind::ProgressSummary => "progress_summary",
            DocumentKind::ScheduleCard => "schedule_card",
            DocumentKind::LotTraceList => "lot_trace_list",
            DocumentKind::RecallLetter => "recall_letter",
            DocumentKind::Consent => "consent",
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
    /// The language it is printed in (`fr`; a batch: the first sheet's).
    pub language: String,
    /// Empty, or a sentence for the print dialog when a sheet is not in the
    /// language wanted (Dermis has no documents in it).
    pub language_note: String,
}

/// Where a printed or saved document went and what it is (the print
/// dialog shows the language note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PrintedDocument {
    pub path: String,
    pub file_name: String,
    pub pages: u32,
    pub patients: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    /// The language it is printed in (`fr`).
    pub language: String,
    /// Empty, or why it is not in the language wanted.
    pub language_note: String,
    /// A PDF viewer opened it (printing goes on from there); false when it
    /// was only saved, or no viewer could open it.
    pub opened: bool,
    /// What happened, in a sentence for the person printing (the file's
    /// path when nothing opened it); the language note is apart.
    pub message: String,
}

impl PrintedDocument {
    pub(crate) fn of(doc: &RenderedDocument, path: &Path) -> Self {
        let mut printed = PrintedDocument {
            path: path.display().to_string(),
            file_name: doc.file_name.clone(),
            pages: doc.pages,
            patients: doc.patients,
            bytes: doc.bytes.len() as u64,
            language: doc.language.clone(),
            language_note: doc.language_note.clone(),
            opened: false,
            message: String::new(),
        };
        printed.message = format!("Saved as {}{}.", printed.path, printed.contents());
        printed
    }

    /// What the document holds, for a batch: " (3 aftercare sheets, 3 pages)".
    fn contents(&self) -> String {
        if self.patients <= 1 {
            return String::new();
        }
        format!(
            " ({} aftercare sheets, {} pages)",
            self.patients, self.pages
        )
    }

    /// Told whether the system's PDF viewer opened the file: says so
    /// honestly, with the file's path when nothing opened it.
    pub fn after_open(mut self, opened: std::result::Result<(), String>) -> Self {
        match opened {
            Ok(()) => {
                self.opened = true;
                self.message = format!(
                    "Opened {}{} in the PDF viewer: print it from there.",
                    self.file_name,
                    self.contents()
                );
            }
            Err(problem) => {
                self.opened = false;
                self.message = format!(
                    "Saved as {}{}, but no PDF viewer opened it: {problem}. Open the print folder and print the file from there, or ask for a PDF viewer to be installed.",
                    self.path,
                    self.contents()
                );
            }
        }
        self
    }
}

/// A language in the patient form's list and the print menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LanguageOption {
    /// The code stored on the patient: `fr`, `ar`, `zh`.
    pub code: String,
    /// The language's name in itself: "Français", "العربية".
    pub name: String,
    /// Whether Dermis prints documents in it (else the clinic's default language is used).
    pub documents: bool,
}

/// Languages a patient may prefer, named in themselves. The first seven
/// have documents; the others are common in clinics' patient lists and fall
/// back to the clinic's default language when printing.
const PATIENT_LANGUAGES: &[(&str, &str)] = &[
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("sv", "Svenska"),
    ("tr", "Türkçe"),
    ("el", "Ελληνικά"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("he", "עברית"),
    ("fa", "فارسی"),
    ("ur", "اردو"),
    ("hi", "हिन्दी"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
];

/// Every language a patient may choose, those with documents first.
pub fn languages() -> Vec<LanguageOption> {
    docs::Language::ALL
        .iter()
        .map(|l| LanguageOption {
            code: l.code().to_string(),
            name: l.native_name().to_string(),
            documents: true,
        })
        .chain(PATIENT_LANGUAGES.iter().map(|(code, name)| LanguageOption {
            code: code.to_string(),
            name: name.to_string(),
            documents: false,
        }))
        .collect()
}

/// The name of a language code in itself, or the code when it is not listed.
fn language_name(code: &str) -> String {
    let primary = code.trim().split(['-', '_']).next().unwrap_or_default();
    languages()
        .into_iter()
        .find(|l| l.code.eq_ignore_ascii_case(code) || l.code.eq_ignore_ascii_case(primary))
        .map(|l| l.name)
        .unwrap_or_else(|| code.to_string())
}

/// A clinic's aftercare text in one language, for Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AftercareTextView {
    pub language: String,
    /// The language's name in itself.
    pub name: String,
    /// The text the sheet uses now.
    pub text: String,
    /// Dermis's default text in this language (what "Back to the default" restores).
    pub default_text: String,
    /// False while the sheet uses Dermis's default text that no one at the
    /// clinic has reviewed: Settings marks it "default text".
    pub reviewed: bool,
    /// Who wrote or approved the text, and when (RFC 3339); empty when not reviewed.
    pub reviewed_by: String,
    pub reviewed_at: String,
}

/// The document language for a patient: the override when given, else the
/// patient's preferred language, else the clinic's default. Returns the
/// language and, when the language wanted has no documents, the sentence the
/// print dialog shows.
pub(crate) fn choose_language(
    wanted: &str,
    clinic_default: &str,
) -> (docs::Language, Option<String>) {
    let fallback = docs::Language::from_code(clinic_default).unwrap_or_default();
    let wanted = wanted.trim();
    if wanted.is_empty() {
        return (fallback, None);
    }
    match docs::Language::from_code(wanted) {
        Some(l) => (l, None),
        None => (
            fallback,
            Some(format!(
                "Dermis has no documents in {} ({wanted}): printed in {}, the clinic's default language.",
                language_name(wanted),
                fallback.native_name()
            )),
        ),
    }
}

/// Checks the clinic's default document language (Settings).
pub(crate) fn check_default_language(code: &str) -> Result<()> {
    if docs::Language::from_code(code).is_some() {
        return Ok(());
    }
    Err(ClinicError::validation(
        "default_language",
        format!(
            "The documents' default language must be one Dermis prints in: {}.",
            available_languages()
        ),
    ))
}

fn available_languages() -> String {
    docs::Language::ALL
        .iter()
        .map(|l| format!("{} ({})", l.native_name(), l.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a language the person printing chose: it must be one Dermis prints in.
pub(crate) fn chosen_language(code: &str) -> Result<docs::Language> {
    docs::Language::from_code(code).ok_or_else(|| {
        ClinicError::validation(
            "language",
            format!(
                "Dermis has no documents in \"{}\". Choose one of: {}.",
                code.trim(),
                available_languages()
            ),
        )
    })
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

pub(crate) fn docs_err(e: docs::DocsError) -> ClinicError {
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

/// The aftercare text a sheet in `lang` uses, and who reviewed it (`None`:
/// Dermis's default, not reviewed). English falls back to the text the
/// clinic wrote before languages existed (`settings.aftercare_template`).
fn aftercare_text_of(
    tx: &Tx,
    lang: docs::Language,
    legacy_english: &str,
) -> Result<(String, Option<dermis_store::AftercareText>)> {
    if let Some(t) = tx.aftercare_text(lang.code())? {
        return Ok((t.text.clone(), Some(t)));
    }
    if lang == docs::Language::En && !legacy_english.is_empty() {
        return Ok((
            legacy_english.to_string(),
            Some(dermis_store::AftercareText {
                text: legacy_english.to_string(),
                reviewed_by: String::new(),
                reviewed_at: String::new(),
            }),
        ));
    }
    Ok((lang.default_aftercare_text().to_string(), None))
}

fn text_view(
    lang: docs::Language,
    text: String,
    reviewed: Option<dermis_store::AftercareText>,
) -> AftercareTextView {
    AftercareTextView {
        language: lang.code().to_string(),
        name: lang.native_name().to_string(),
        text,
        default_text: lang.default_aftercare_text().to_string(),
        reviewed: reviewed.is_some(),
        reviewed_by: reviewed
            .as_ref()
            .map(|r| r.reviewed_by.clone())
            .unwrap_or_default(),
        reviewed_at: reviewed.map(|r| r.reviewed_at).unwrap_or_default(),
    }
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

pub(crate) fn safe_file_part(s: &str) -> String {
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
pub(crate) struct House {
    pub(crate) letterhead: docs::Letterhead,
    pub(crate) paper: docs::PaperSize,
    /// The clinic's default document language (code).
    default_language: String,
    /// The text the clinic wrote before languages existed (English).
    legacy_template: String,
    /// How the clinic writes dates: every document prints its dates this way.
    pub(crate) date_format: docs::DateFormat,
}

pub(crate) fn house(tx: &Tx) -> Result<House> {
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
        default_language: settings.default_language,
        legacy_template: settings.aftercare_template,
        date_format: crate::dates::format_in_use(settings.date_format).0,
    })
}

impl House {
    /// The language of a document for a patient who prefers `patient_language`.
    pub(crate) fn language(
        &self,
        override_language: Option<docs::Language>,
        patient_language: &str,
    ) -> (docs::Language, Option<String>) {
        match override_language {
            Some(l) => (l, None),
            None => choose_language(patient_language, &self.default_language),
        }
    }
}

/// The aftercare sheet for treatment `date` of `plan` (`plan` may be absent).
fn aftercare_input(
    tx: &Tx,
    h: &House,
    patient_id: PatientId,
    date: NaiveDate,
    plan: Option<&Plan>,
    today: NaiveDate,
    override_language: Option<docs::Language>,
) -> Result<(docs::AftercareInput, Option<String>)> {
    let p = tx
        .patient(patient_id.0)?
        .ok_or_else(|| not_found("Patient", patient_id.0))?;
    let (language, note) = h.language(override_language, &p.preferred_language);
    let (template, _) = aftercare_text_of(tx, language, &h.legacy_template)?;
    let next = plan.and_then(|pl| {
        pl.sessions
            .iter()
            .find(|s| s.date > date && s.status == SessionStatus::Planned)
            .map(|s| docs::Appointment {
                date: s.date,
                time: parse_time(&s.time),
            })
    });
    // The skin type alone: on the clinic server the desk's login may read
    // that one column of an assessment (pg.rs COLUMN_GRANTS), not the rest.
    let pih = match plan {
        Some(pl) => tx
            .assessment_fitzpatrick(pl.assessment_id.0)?
            .is_some_and(|f| f >= 4),
        None => false,
    };
    Ok((
        docs::AftercareInput {
            letterhead: h.letterhead.clone(),
            paper: h.paper,
            patient_name: display_name(&p.first_name, &p.last_name),
            patient_number: p.patient_number,
            treatment_date: date,
            next_appointment: next,
            template,
            pih_caution: pih,
            date_format: h.date_format,
            generated_on: today,
            language,
        },
        note,
    ))
}

/// One aftercare sheet, its file name, its patient and its title on the documents list.
fn one_sheet(
    tx: &Tx,
    h: &House,
    patient_id: PatientId,
    date: NaiveDate,
    plan: Option<&Plan>,
    today: NaiveDate,
    override_language: Option<docs::Language>,
) -> Result<(RenderedDocument, Vec<i64>, String)> {
    let (input, note) = aftercare_input(tx, h, patient_id, date, plan, today, override_language)?;
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
            language: input.language.code().to_string(),
            language_note: note.unwrap_or_default(),
        },
        vec![patient_id.0],
        format!("Aftercare sheet, treatment {date}"),
    ))
}

/// The patient's plan to print from: the one in progress, else the newest.
fn current_plan(tx: &Tx, patient_id: PatientId) -> Result<Option<Plan>> {
    let plans = tx.plans(patient_id.0)?;
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

fn depth_text(language: docs::Language, depths: &[dermis_core::session::ZoneDepth]) -> String {
    let (lo, hi) = depths.iter().fold((u32::MAX, 0), |(lo, hi), d| {
        (lo.min(d.depth_um), hi.max(d.depth_um))
    });
    match depths.len() {
        0 => String::new(),
        _ => docs::lang::depth_range(language, lo, hi),
    }
}

impl Clinic {
    /// Makes a document in each patient's preferred language and records the
    /// print on each patient's documents list.
    pub fn render_document(&self, actor: &Actor, req: &PrintRequest) -> Result<RenderedDocument> {
        self.render_document_in(actor, req, None)
    }

    /// Makes a document in `language` (a code such as `fr`; `None` or empty:
    /// the patient's preferred language) and records the print. A day's batch
    /// of aftercare sheets always follows each patient's own language.
    pub fn render_document_in(
        &self,
        actor: &Actor,
        req: &PrintRequest,
        language: Option<&str>,
    ) -> Result<RenderedDocument> {
        self.make_document(actor, req, language, |_| Ok(()))
    }

    /// Makes a document, writes it into the print folder `dir` (private;
    /// emptied of prints older than a day) and records the print: the file
    /// is whole on disk before the print is recorded. Returns where it is.
    pub fn print_document(
        &self,
        actor: &Actor,
        req: &PrintRequest,
        language: Option<&str>,
        dir: &Path,
    ) -> Result<PrintedDocument> {
        let mut written = PathBuf::new();
        let doc = self.make_document(actor, req, language, |doc| {
            written = crate::export::write_print(dir, &doc.file_name, &doc.bytes)?;
            Ok(())
        })?;
        Ok(PrintedDocument::of(&doc, &written))
    }

    /// Makes a document and writes it to `dest` (a "Save as…" choice),
    /// atomically (a temporary file renamed into place), before recording it.
    pub fn save_document(
        &self,
        actor: &Actor,
        req: &PrintRequest,
        language: Option<&str>,
        dest: &Path,
    ) -> Result<PrintedDocument> {
        let doc = self.make_document(actor, req, language, |doc| {
            crate::export::write_file(dest, &doc.bytes)
        })?;
        Ok(PrintedDocument::of(&doc, dest))
    }

    /// Renders, hands the document to `deliver` (writing it somewhere), and
    /// only then records the print and its audit entry.
    fn make_document(
        &self,
        actor: &Actor,
        req: &PrintRequest,
        language: Option<&str>,
        deliver: impl FnOnce(&RenderedDocument) -> Result<()>,
    ) -> Result<RenderedDocument> {
        let action = match req {
            PrintRequest::ProgressSummary { .. } => Action::ReadClinical,
            _ => Action::PrintHandouts,
        };
        self.allow(actor, action)?;
        let chosen = match language.map(str::trim).filter(|l| !l.is_empty()) {
            Some(code) => Some(chosen_language(code)?),
            None => None,
        };
        let today = self.today();
        let now = self.now();
        let mut store = self.store()?;
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
                        .find(|s| s.id == ids::PlannedSessionId(*session_id))
                        .ok_or_else(|| not_found("Session", *session_id))?;
                    one_sheet(tx, &h, plan.patient_id, s.date, Some(&plan), today, chosen)
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
                        None => current_plan(tx, ids::PatientId(*patient_id))?,
                    };
                    one_sheet(tx, &h, ids::PatientId(*patient_id), date, plan.as_ref(), today, chosen)
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
                    let mut fell_back = Vec::new();
                    for e in &entries {
                        let plan = tx.plan(e.plan_id.0)?;
                        let (input, note) =
                            aftercare_input(tx, &h, e.patient_id, day, plan.as_ref(), today, None)?;
                        if note.is_some() {
                            fell_back.push(input.patient_number.clone());
                        }
                        inputs.push(input);
                        patients.push(e.patient_id.0);
                    }
                    let fallback = docs::Language::from_code(&h.default_language).unwrap_or_default();
                    let language_note = if fell_back.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "{} printed in {}, the clinic's default language: Dermis has no documents in their language ({}).",
                            if fell_back.len() == 1 { "1 sheet".to_string() } else { format!("{} sheets", fell_back.len()) },
                            fallback.native_name(),
                            fell_back.join(", ")
                        )
                    };
                    let first_language = inputs
                        .first()
                        .map(|i| i.language.code().to_string())
                        .unwrap_or_default();
                    let bytes = docs::aftercare_batch(&inputs).map_err(docs_err)?;
                    let n = inputs.len() as u32;
                    Ok((
                        RenderedDocument {
                            kind: DocumentKind::Aftercare,
                            file_name: format!("aftercare-all-{day}.pdf"),
                            bytes,
                            pages: n,
                            patients: n,
                            language: first_language,
                            language_note,
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
                    let plan = current_plan(tx, ids::PatientId(*patient_id))?.ok_or_else(|| {
                        ClinicError::validation(
                            "patient_id",
                            "This patient has no plan yet: a progress summary follows a plan.",
                        )
                    })?;
                    let (language, note) = h.language(chosen, &p.preferred_language);
                    let mut records = tx.session_records(*patient_id)?;
                    records.reverse();
                    let sessions = records
                        .iter()
                        .map(|r| docs::SessionRow {
                            date: r.date,
                            zones: r
                                .depths
                                .iter()
                                .map(|d| {
                                    docs::lang::zone_name(language, d.zone.as_str())
                                        .unwrap_or_else(|| d.zone.label().to_string())
                                })
                                .collect::<Vec<_>>()
                                .join(", "),
                            depth: depth_text(language, &r.depths),
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
                    // Photo-use consent (issue 18): the summary is the patient's own
                    // document, the "record" use; without that consent no photo is
                    // printed in it.
                    let photos_allowed = crate::consents::photo_uses(tx, *patient_id)?
                        .allows(dermis_core::consent::PhotoUse::Record);
                    let pairs = if photos_allowed {
                        dermis_core::photo::before_after_pairs(&tx.photos(*patient_id)?)
                    } else {
                        Vec::new()
                    };
                    let photos = match pairs.first() {
                        Some(pair) => {
                            let read = |ph: &dermis_core::photo::Photo| -> Result<docs::Photo> {
                                let ext = if ph.mime == "image/png" { "png" } else { "jpg" };
                                // Files beside the database, or rows on the clinic server.
                                let bytes = tx.read_photo_file(&ph.sha256, ext, false).map_err(|e| {
                                    ClinicError::Io(format!("A photo of this summary cannot be read: {e}."))
                                })?;
                                Ok(docs::Photo {
                                    date: ph.taken_on,
                                    bytes,
                                })
                            };
                            Some(docs::PhotoPair {
                                area_label: docs::lang::photo_area_label(
                                    language,
                                    pair.area.as_str(),
                                    pair.angle.as_str(),
                                ),
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
                        date_format: h.date_format,
                        generated_on: today,
                        language,
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
                            language: language.code().to_string(),
                            language_note: note.unwrap_or_default(),
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
                    let plan = current_plan(tx, ids::PatientId(*patient_id))?.ok_or_else(|| {
                        ClinicError::validation(
                            "patient_id",
                            "This patient has no plan yet: there are no dates to print.",
                        )
                    })?;
                    let (language, note) = h.language(chosen, &p.preferred_language);
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
                        date_format: h.date_format,
                        generated_on: today,
                        language,
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
                            language: language.code().to_string(),
                            language_note: note.unwrap_or_default(),
                        },
                        vec![*patient_id],
                        "Schedule card".to_string(),
                    ))
                }
            }
        })?;
        deliver(&doc)?;
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
                    actor.user_id,
                    &now,
                )?;
                let detail =
                    serde_json::json!({ "kind": doc.kind, "pages": per_patient_pages, "language": doc.language })
                        .to_string();
                tx.append_audit(&actor.audit_entry(
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

    /// The aftercare text of every document language, for Settings.
    pub fn aftercare_texts(&self, actor: &Actor) -> Result<Vec<AftercareTextView>> {
        self.allow(actor, Action::ViewSettings)?;
        self.store()?.read(|tx| -> Result<_> {
            let legacy = tx.clinic_settings()?.aftercare_template;
            docs::Language::ALL
                .iter()
                .map(|&l| {
                    let (text, reviewed) = aftercare_text_of(tx, l, &legacy)?;
                    Ok(text_view(l, text, reviewed))
                })
                .collect()
        })
    }

    /// Saves the clinic's aftercare text in one language (admin only). The
    /// placeholders are checked as for the English text; the text counts as
    /// reviewed by whoever saves it. An empty text goes back to Dermis's
    /// default text, unreviewed.
    pub fn save_aftercare_text(
        &self,
        actor: &Actor,
        language: &str,
        text: &str,
    ) -> Result<AftercareTextView> {
        self.allow(actor, Action::EditSettings)?;
        let lang = chosen_language(language)?;
        let clean = dermis_core::validate::clean_multiline(text);
        let n = clean.chars().count();
        if n > dermis_core::settings::AFTERCARE_TEMPLATE_MAX_CHARS {
            return Err(ClinicError::validation(
                "aftercare_template",
                format!(
                    "The aftercare text is too long: {n} characters, the limit is {}.",
                    dermis_core::settings::AFTERCARE_TEMPLATE_MAX_CHARS
                ),
            ));
        }
        check_template(&clean)?;
        let now = self.now();
        let stored = (!clean.trim().is_empty()).then(|| dermis_store::AftercareText {
            text: clean.clone(),
            reviewed_by: actor.display_name.clone(),
            reviewed_at: now.clone(),
        });
        let detail = serde_json::json!({ "language": lang.code(), "default": stored.is_none() });
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.aftercare_text",
            detail,
            |tx| {
                tx.set_aftercare_text(lang.code(), stored.as_ref())?;
                if lang == docs::Language::En && stored.is_none() {
                    // Back to the default: the pre-language English text goes too.
                    let mut s = tx.clinic_settings()?;
                    s.aftercare_template.clear();
                    tx.set_clinic_settings(&s)?;
                }
                Ok(())
            },
        )?;
        self.aftercare_text_view(lang)
    }

    /// Marks the text a language uses now as reviewed, by the signed-in
    /// person (an admin or a practitioner: a clinician approves clinical
    /// instructions). The text approved is stored as it is, so a later
    /// Dermis with a reworded default text does not change what was approved.
    pub fn approve_aftercare_text(
        &self,
        actor: &Actor,
        language: &str,
    ) -> Result<AftercareTextView> {
        // A clinician may approve the text without managing the settings.
        let permission = if actor.require(Action::EditSettings).is_ok() {
            Action::EditSettings
        } else {
            Action::RecordClinical
        };
        self.allow(actor, permission)?;
        let lang = chosen_language(language)?;
        let now = self.now();
        let detail = serde_json::json!({ "language": lang.code() });
        self.change_settings(
            actor,
            permission,
            "settings.aftercare_text.approve",
            detail,
            |tx| {
                let legacy = tx.clinic_settings()?.aftercare_template;
                let (text, _) = aftercare_text_of(tx, lang, &legacy)?;
                tx.set_aftercare_text(
                    lang.code(),
                    Some(&dermis_store::AftercareText {
                        text,
                        reviewed_by: actor.display_name.clone(),
                        reviewed_at: now.clone(),
                    }),
                )?;
                Ok(())
            },
        )?;
        self.aftercare_text_view(lang)
    }

    fn aftercare_text_view(&self, lang: docs::Language) -> Result<AftercareTextView> {
        self.store()?.read(|tx| -> Result<_> {
            let legacy = tx.clinic_settings()?.aftercare_template;
            let (text, reviewed) = aftercare_text_of(tx, lang, &legacy)?;
            Ok(text_view(lang, text, reviewed))
        })
    }

    /// The documents printed for a patient, newest first.
    pub fn documents(&self, actor: &Actor, patient_id: PatientId) -> Result<Vec<DocumentInfo>> {
        self.allow(actor, Action::ViewPatient)?;
        self.store()?.read(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            Ok(tx
                .documents(patient_id.0)?
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

// ------------------------------------------------ printing while the server is away

/// One aftercare sheet of a session the Today screen showed while the
/// clinic server answered: only what the sheet prints, kept in this PC's
/// memory by the [`crate::Seat`] for the person signed in (issue 16, "a
/// print of an aftercare sheet already on screen still works" while the
/// server is unreachable). Never written anywhere; dropped at sign-out and
/// at the lock.
#[derive(Debug, Clone)]
pub struct KeptSheet {
    pub(crate) session_id: i64,
    pub(crate) patient_id: i64,
    pub(crate) input: docs::AftercareInput,
    pub(crate) language_note: String,
}

/// A print made from a [`KeptSheet`] while the server did not answer: its
/// documents-list row and audit entry, written when the server answers
/// again (at the instant it was really printed, saying so).
#[derive(Debug, Clone)]
pub struct PendingPrint {
    pub(crate) actor: Actor,
    pub(crate) patient_id: i64,
    pub(crate) title: String,
    pub(crate) sha256: String,
    pub(crate) bytes: u64,
    pub(crate) language: String,
    /// RFC 3339: when it was printed.
    pub(crate) at: String,
}

impl Clinic {
    /// The aftercare sheets of `session_ids` as they would print now, to
    /// keep for an outage (see [`KeptSheet`]). Nothing for a person who may
    /// not print handouts (asked without an audit row: nobody asked to print).
    pub(crate) fn aftercare_to_keep(
        &self,
        actor: &Actor,
        session_ids: &[i64],
    ) -> Result<Vec<KeptSheet>> {
        if actor.require(Action::PrintHandouts).is_err() || session_ids.is_empty() {
            return Ok(Vec::new());
        }
        let today = self.today();
        self.store()?.read(|tx| -> Result<_> {
            let h = house(tx)?;
            let mut kept = Vec::new();
            for &id in session_ids {
                let Some((plan, _)) = tx.plan_of_session(id)? else {
                    continue;
                };
                let Some(s) = plan
                    .sessions
                    .iter()
                    .find(|s| s.id == ids::PlannedSessionId(id))
                else {
                    continue;
                };
                let (input, note) =
                    aftercare_input(tx, &h, plan.patient_id, s.date, Some(&plan), today, None)?;
                kept.push(KeptSheet {
                    session_id: id,
                    patient_id: plan.patient_id.0,
                    input,
                    language_note: note.unwrap_or_default(),
                });
            }
            Ok(kept)
        })
    }

    /// Writes the documents-list rows and audit entries of prints made
    /// while the server was unreachable, at the instants they were made;
    /// the audit detail says `printed_while_unreachable` and when it was
    /// recorded.
    pub(crate) fn record_pending_prints(&self, pending: &[PendingPrint]) -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let recorded = self.now();
        self.store()?.write(|tx| -> Result<_> {
            for p in pending {
                tx.insert_document(
                    p.patient_id,
                    DocumentKind::Aftercare.as_str(),
                    &p.title,
                    &p.sha256,
                    1,
                    p.bytes,
                    p.actor.user_id,
                    &p.at,
                )?;
                let detail = serde_json::json!({
                    "kind": DocumentKind::Aftercare,
                    "pages": 1,
                    "language": p.language,
                    "printed_while_unreachable": true,
                    "recorded_at": recorded,
                })
                .to_string();
                tx.append_audit(&p.actor.audit_entry(
                    p.at.clone(),
                    "document.print",
                    "patient",
                    &p.patient_id.to_string(),
                    &detail,
                ))?;
            }
            Ok(())
        })
    }
}

/// Draws a kept sheet into the print folder `dir` (no store involved) and
/// says what to record once the server answers.
pub(crate) fn print_kept(
    actor: &Actor,
    sheet: &KeptSheet,
    at: String,
    dir: &Path,
) -> Result<(PrintedDocument, PendingPrint)> {
    let bytes = docs::aftercare_sheet(&sheet.input).map_err(docs_err)?;
    let date = sheet.input.treatment_date;
    let doc = RenderedDocument {
        kind: DocumentKind::Aftercare,
        file_name: format!(
            "aftercare-{}-{date}.pdf",
            safe_file_part(&sheet.input.patient_number)
        ),
        bytes,
        pages: 1,
        patients: 1,
        language: sheet.input.language.code().to_string(),
        language_note: sheet.language_note.clone(),
    };
    let written = crate::export::write_print(dir, &doc.file_name, &doc.bytes)?;
    let sha256: String = Sha256::digest(&doc.bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let pending = PendingPrint {
        actor: actor.clone(),
        patient_id: sheet.patient_id,
        title: format!("Aftercare sheet, treatment {date}"),
        sha256,
        bytes: doc.bytes.len() as u64,
        language: doc.language.clone(),
        at,
    };
    Ok((PrintedDocument::of(&doc, &written), pending))
}

#[cfg(test)]
mod tests {
    use super::safe_file_part;

    #[test]
    fn a_file_name_part_keeps_only_ascii_letters_digits_and_dashes() {
        // A lot or a patient number goes into a printed file's name: a
        // slash, a dot or a space must not make a path of it.
        assert_eq!(safe_file_part("LOT-2026-07"), "LOT-2026-07");
        assert_eq!(safe_file_part("../x/y z"), "---x-y-z");
        assert_eq!(safe_file_part("Ré\\b:c"), "R--b-c");
    }
}
