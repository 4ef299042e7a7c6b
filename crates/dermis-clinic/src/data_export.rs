//! Exports (PRODUCT.md 7): the whole clinic as CSV files (one per kind, UTF-8
//! with BOM) or as one JSON document, and one patient's full record as JSON
//! for a data-access request. Admin only; every export is audited.
//!
//! **An encrypted clinic's exports are sealed** (issue 21: nothing in an
//! export folder reads as plaintext). An export exists to leave Dermis: a
//! patient's data-access or portability request (GDPR Art. 15 and 20 ask for
//! a commonly used, readable format) or the clinic's move to another system,
//! so it is not sealed with the clinic's data key (only Dermis could read
//! it). It is written as one AES-256 encrypted ZIP under a one-time
//! passphrase shown once to the admin, who hands it over separately; ZIP
//! opens in 7-Zip, WinZip or macOS' Archive Utility (see
//! `protected_export.rs`). A plaintext clinic's exports stay readable files,
//! as before. Either way the files hold no photos (their details only, never
//! the pictures) and every export is audited.

use crate::clinical::{not_found, require_patient};
use crate::export::{write_file, CsvOut};
use crate::protected_export::{self, EncryptedZip};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use dermis_core::assessment::Assessment;
use dermis_core::ids;
use dermis_core::photo::Photo;
use dermis_core::plan::Plan;
use dermis_core::screening::Screening;
use dermis_core::session::{format_mm, AdverseEventFilter, SessionRecord};
use dermis_core::Patient;
use dermis_store::Tx;
use ids::PatientId;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use ts_rs::TS;

/// Everything the clinic holds about one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientRecord {
    pub patient: Patient,
    pub screenings: Vec<Screening>,
    pub assessments: Vec<Assessment>,
    pub plans: Vec<Plan>,
    pub sessions: Vec<SessionRecord>,
    /// Photo details; the pictures themselves are in the photos folder, named by `sha256`.
    pub photos: Vec<Photo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    pub format: ExportFormat,
    /// The folder (CSV) or file (JSON) written.
    pub path: String,
    pub files: Vec<String>,
    pub patients: u32,
    pub assessments: u32,
    pub plans: u32,
    pub sessions: u32,
    pub adverse_events: u32,
    /// An encrypted clinic only: `path` is an AES-256 encrypted ZIP holding
    /// `files`, and this is its one-time passphrase (shown once, handed over
    /// separately; Dermis keeps it nowhere).
    pub passphrase: Option<String>,
}

/// Where a patient's record was written, and (an encrypted clinic) the
/// one-time passphrase of its encrypted ZIP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatientExport {
    pub path: String,
    pub passphrase: Option<String>,
}

/// Name of the record inside an encrypted patient export (never the patient's name).
const RECORD_ENTRY: &str = "patient-record.json";

fn record_of(tx: &Tx, id: i64) -> Result<PatientRecord> {
    Ok(PatientRecord {
        patient: tx.patient(id)?.ok_or_else(|| not_found("Patient", id))?,
        screenings: tx.screenings(id)?,
        assessments: tx.assessments(id)?,
        plans: tx.plans(id)?,
        sessions: tx.session_records(id)?,
        photos: tx.photos(id)?,
    })
}

fn io(path: &Path, e: std::io::Error) -> ClinicError {
    ClinicError::Io(format!("{} cannot be written: {e}.", path.display()))
}

fn depths(r: &SessionRecord) -> String {
    r.depths
        .iter()
        .map(|d| format!("{} {}", d.zone.as_str(), format_mm(d.depth_um)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn words<T: Serialize>(items: &[T]) -> String {
    items
        .iter()
        .filter_map(|i| serde_json::to_value(i).ok())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The CSV files of a clinic export, filled one patient at a time.
struct CsvSet {
    patients: CsvOut,
    assessments: CsvOut,
    plans: CsvOut,
    sessions: CsvOut,
}

impl CsvSet {
    fn new() -> Result<CsvSet> {
        Ok(CsvSet {
            patients: CsvOut::new(&[
                "patient_number",
                "last_name",
                "first_name",
                "date_of_birth",
                "sex",
                "phone",
                "email",
                "address",
                "preferred_language",
                "notes",
                "archived",
                "created_at",
                "updated_at",
            ])?,
            assessments: CsvOut::new(&[
                "patient_number",
                "assessed_on",
                "grade",
                "score",
                "scar_types",
                "macular",
                "moderate",
                "severe",
                "papular",
                "keloidal",
                "fitzpatrick",
                "sensitivity",
                "treatment_areas",
                "scar_age_years",
                "notes",
                "recorded_by",
            ])?,
            plans: CsvOut::new(&[
                "patient_number",
                "plan_id",
                "status",
                "start",
                "session_count",
                "interval_weeks",
                "sessions",
                "maintenance",
                "override_reason",
                "rationale",
                "created_at",
            ])?,
            sessions: CsvOut::new(&[
                "patient_number",
                "plan_id",
                "session_number",
                "date",
                "device",
                "cartridge_lot",
                "skin",
                "depths_mm",
                "ceiling_confirmed",
                "passes",
                "numbing_cream",
                "numbing_minutes",
                "glide_product",
                "glide_lot",
                "endpoint",
                "immediate_reaction",
                "duration_minutes",
                "notes",
                "practitioner",
                "healing_reported_on",
                "redness_days",
                "flaking_days",
                "adverse_events",
            ])?,
        })
    }

    fn add(&mut self, r: &PatientRecord) -> Result<()> {
        let p = &r.patient;
        let num = &p.patient_number;
        self.patients.row(&[
            num.clone(),
            p.last_name.clone(),
            p.first_name.clone(),
            p.date_of_birth.to_string(),
            p.sex.map(|s| words(&[s])).unwrap_or_default(),
            p.phone.clone(),
            p.email.clone(),
            p.address.clone(),
            p.preferred_language.clone(),
            p.notes.clone(),
            p.archived.to_string(),
            p.created_at.clone(),
            p.updated_at.clone(),
        ])?;
        for a in &r.assessments {
            self.assessments.row(&[
                num.clone(),
                a.assessed_on.to_string(),
                a.grade.to_string(),
                a.score.to_string(),
                words(&a.scar_types),
                a.counts.macular.to_string(),
                a.counts.moderate.to_string(),
                a.counts.severe.to_string(),
                a.counts.papular.to_string(),
                a.counts.keloidal.to_string(),
                a.fitzpatrick.to_string(),
                a.sensitivity.as_str().to_string(),
                words(&a.treatment_areas),
                a.scar_age_years.to_string(),
                a.notes.clone(),
                a.recorded_by.clone(),
            ])?;
        }
        for pl in &r.plans {
            let sessions: Vec<String> = pl
                .sessions
                .iter()
                .map(|s| format!("{} {} {}", s.n, s.date, s.status.as_str()))
                .collect();
            let maintenance: Vec<String> = pl.maintenance.iter().map(|d| d.to_string()).collect();
            self.plans.row(&[
                num.clone(),
                pl.id.to_string(),
                pl.status.as_str().to_string(),
                pl.start.to_string(),
                pl.session_count.to_string(),
                pl.interval_weeks.to_string(),
                sessions.join("; "),
                maintenance.join("; "),
                pl.override_reason.clone(),
                pl.rationale.join(" "),
                pl.created_at.clone(),
            ])?;
        }
        for s in &r.sessions {
            let h = s.healing.as_ref();
            self.sessions.row(&[
                num.clone(),
                s.plan_id.to_string(),
                s.n.to_string(),
                s.date.to_string(),
                s.device.clone(),
                s.cartridge_lot.clone(),
                s.skin.as_str().to_string(),
                depths(s),
                s.ceiling_confirmed.to_string(),
                s.passes.to_string(),
                s.numbing_cream.clone(),
                s.numbing_minutes.map(|m| m.to_string()).unwrap_or_default(),
                s.glide_product.clone(),
                s.glide_lot.clone(),
                s.endpoint.as_str().to_string(),
                s.immediate_reaction.clone(),
                s.duration_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                s.notes.clone(),
                s.practitioner.clone(),
                h.map(|h| h.reported_on.to_string()).unwrap_or_default(),
                h.map(|h| h.redness_days.to_string()).unwrap_or_default(),
                h.map(|h| h.flaking_days.to_string()).unwrap_or_default(),
                h.map(|h| {
                    h.events
                        .iter()
                        .map(|e| e.kind.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default(),
            ])?;
        }
        Ok(())
    }
}

impl Clinic {
    /// One patient's full record (for a data-access request); the read is audited.
    pub fn patient_record(&self, actor: &Actor, patient_id: PatientId) -> Result<PatientRecord> {
        self.allow(actor, Action::ExportData)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let r = record_of(tx, patient_id.0)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "patient.export",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(r)
        })
    }

    /// Writes one patient's full record as pretty JSON to `dest`; on an
    /// encrypted clinic as an encrypted ZIP (`dest` with `.zip` added) with
    /// its one-time passphrase (see the module header).
    pub fn export_patient_record(
        &self,
        actor: &Actor,
        patient_id: PatientId,
        dest: &Path,
    ) -> Result<PatientExport> {
        let record = self.patient_record(actor, patient_id)?;
        let body = zeroize::Zeroizing::new(
            serde_json::to_vec_pretty(&record).map_err(|e| ClinicError::Internal(e.to_string()))?,
        );
        if !self.is_encrypted() {
            write_file(dest, &body)?;
            return Ok(PatientExport {
                path: dest.display().to_string(),
                passphrase: None,
            });
        }
        let passphrase = protected_export::new_passphrase();
        let mut zip = EncryptedZip::create(&protected_export::zip_path(dest), &passphrase)?;
        zip.add(RECORD_ENTRY, &body)?;
        let path = zip.finish()?;
        Ok(PatientExport {
            path: path.display().to_string(),
            passphrase: Some(passphrase.to_string()),
        })
    }

    /// Exports every patient with their assessments, plans, sessions and the
    /// adverse-event register: CSV files into the folder `dest` (created if
    /// needed), or one JSON document at `dest`. Each file appears whole or not
    /// at all.
    pub fn export_data(
        &self,
        actor: &Actor,
        format: ExportFormat,
        dest: &Path,
    ) -> Result<ExportSummary> {
        self.allow(actor, Action::ExportData)?;
        let events_csv = self.adverse_events_csv(actor, &AdverseEventFilter::default())?;
        let events = self.adverse_events(actor, &AdverseEventFilter::default())?;
        let now = self.now();
        let mut summary = ExportSummary {
            format,
            path: dest.display().to_string(),
            files: vec![],
            patients: 0,
            assessments: 0,
            plans: 0,
            sessions: 0,
            adverse_events: events.len() as u32,
            passphrase: None,
        };
        let passphrase = self.is_encrypted().then(protected_export::new_passphrase);
        let mut store = self.store()?;
        // One read transaction: a consistent snapshot even while others write.
        store.read(|tx| -> Result<()> {
            let ids = tx.all_patient_ids()?;
            match format {
                ExportFormat::Csv => {
                    dermis_store::create_private_dir(dest)?;
                    let mut zip = match &passphrase {
                        Some(p) => {
                            let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
                            let name = format!("dermis-export-{stamp}.zip");
                            Some(EncryptedZip::create(&dest.join(name), p)?)
                        }
                        None => None,
                    };
                    let mut set = CsvSet::new()?;
                    for id in ids {
                        let r = record_of(tx, id)?;
                        summary.patients += 1;
                        summary.assessments += r.assessments.len() as u32;
                        summary.plans += r.plans.len() as u32;
                        summary.sessions += r.sessions.len() as u32;
                        set.add(&r)?;
                    }
                    for (name, out) in [
                        ("patients.csv", set.patients.finish()?),
                        ("assessments.csv", set.assessments.finish()?),
                        ("plans.csv", set.plans.finish()?),
                        ("sessions.csv", set.sessions.finish()?),
                        ("adverse_events.csv", events_csv.clone()),
                    ] {
                        match zip.as_mut() {
                            Some(z) => z.add(name, out.as_bytes())?,
                            None => write_file(&dest.join(name), out.as_bytes())?,
                        }
                        summary.files.push(name.to_string());
                    }
                    if let Some(z) = zip {
                        summary.path = z.finish()?.display().to_string();
                    }
                }
                ExportFormat::Json => {
                    let clinic = tx.clinic()?.map(|c| c.name).unwrap_or_default();
                    let head = serde_json::json!({
                        "format": "dermis-export",
                        "version": 1,
                        "clinic": clinic,
                        "exported_at": now,
                        "schema_version": dermis_store::SCHEMA_VERSION,
                    });
                    let entry = dest
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if let Some(p) = &passphrase {
                        // The JSON document is the ZIP's one entry (named as chosen, without `.zip`).
                        let target = protected_export::zip_path(dest);
                        let inner = entry
                            .strip_suffix(".zip")
                            .or_else(|| entry.strip_suffix(".ZIP"))
                            .unwrap_or(&entry)
                            .to_string();
                        let inner = if inner.is_empty() {
                            "dermis-export.json".to_string()
                        } else {
                            inner
                        };
                        let mut zip = EncryptedZip::create(&target, p)?;
                        zip.start(&inner)?;
                        write_json(tx, ids, &head, &events, &mut summary, &mut zip, &target)?;
                        summary.path = zip.finish()?.display().to_string();
                        summary.files.push(inner);
                    } else {
                        let tmp = dermis_store::temp_name(dest, "part");
                        let file = dermis_store::create_private_file(&tmp)?;
                        let mut w = std::io::BufWriter::new(file);
                        let written =
                            write_json(tx, ids, &head, &events, &mut summary, &mut w, &tmp)
                                .and_then(|()| {
                                    let file =
                                        w.into_inner().map_err(|e| io(&tmp, e.into_error()))?;
                                    file.sync_all().map_err(|e| io(&tmp, e))?;
                                    std::fs::rename(&tmp, dest).map_err(|e| io(dest, e))
                                });
                        if written.is_err() {
                            let _ = std::fs::remove_file(&tmp);
                        }
                        written?;
                        summary.files.push(entry);
                    }
                }
            }
            Ok(())
        })?;
        summary.passphrase = passphrase.map(|p| p.to_string());
        let detail = serde_json::json!({
            "format": format,
            "patients": summary.patients,
            "encrypted_zip": summary.passphrase.is_some(),
        })
        .to_string();
        store.write(|tx| {
            tx.append_audit(&actor.audit_entry(now.clone(), "data.export", "clinic", "1", &detail))
        })?;
        Ok(summary)
    }
}

/// The JSON export document into `w`: the header's fields, then the
/// patients streamed one by one, then the adverse-event register.
fn write_json(
    tx: &Tx,
    ids: Vec<i64>,
    head: &serde_json::Value,
    events: &[dermis_core::session::AdverseEventEntry],
    summary: &mut ExportSummary,
    w: &mut impl Write,
    place: &Path,
) -> Result<()> {
    let head = head.to_string();
    let write = |w: &mut dyn Write, s: &[u8]| w.write_all(s).map_err(|e| io(place, e));
    write(w, &head.as_bytes()[..head.len() - 1])?;
    write(w, b",\"patients\":[")?;
    for (i, id) in ids.into_iter().enumerate() {
        let r = record_of(tx, id)?;
        summary.patients += 1;
        summary.assessments += r.assessments.len() as u32;
        summary.plans += r.plans.len() as u32;
        summary.sessions += r.sessions.len() as u32;
        if i > 0 {
            write(w, b",")?;
        }
        serde_json::to_writer(&mut *w, &r).map_err(|e| ClinicError::Internal(e.to_string()))?;
    }
    write(w, b"],\"adverse_events\":")?;
    serde_json::to_writer(&mut *w, events).map_err(|e| ClinicError::Internal(e.to_string()))?;
    write(w, b"}")
}
