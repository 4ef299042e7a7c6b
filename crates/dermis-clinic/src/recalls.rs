//! Lot trace and the recall call list (issue 18).
//!
//! Who may do what, and why (permissions.rs):
//! - **Lot trace** is `TraceLots`: admin and practitioner. Its answer joins
//!   who was treated with which product (clinical) to the patient's contact
//!   details; a product recall is a clinical-safety task the clinical team
//!   runs, and the receptionist does not see session records anywhere else.
//!   Every trace, export and print is audited with the lot and the count.
//! - **The call list** is `CallRecalls`: every role, the desk first. Its rows
//!   hold the patient's name, number, phone, preferred language, the due
//!   date and the call log: nothing clinical (no plan, no session, no note
//!   written by a practitioner), so the same answer goes to every role.
//!   Logging a call and printing a recall letter are audited.

use crate::clinical::not_found;
use crate::documents::{
    chosen_language, docs_err, house, safe_file_part, DocumentKind, PrintedDocument,
    RenderedDocument,
};
use crate::usecase::{Event, Subject};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use dermis_core::ids::RecallId;
use dermis_core::names::display_name;
use dermis_core::recall::{self, RecallCallList, RecallContact, RecallContactInput};
use dermis_core::session::{self, LotTraceFilter, LotTraceRow};
use dermis_docs as docs;
use std::path::Path;

/// The lot trace as CSV (formula-safe, see export.rs).
fn lot_trace_csv(rows: &[LotTraceRow]) -> Result<String> {
    let mut w = crate::export::CsvOut::new(&[
        "session_date",
        "patient_number",
        "last_name",
        "first_name",
        "phone",
        "email",
        "address",
        "preferred_language",
        "practitioner",
        "lot_found_in",
        "adverse_events",
    ])?;
    for r in rows {
        w.row(&[
            r.session_date.to_string(),
            r.patient_number.clone(),
            r.last_name.clone(),
            r.first_name.clone(),
            r.phone.clone(),
            r.email.clone(),
            r.address.clone(),
            r.preferred_language.clone(),
            r.practitioner.clone(),
            r.matched
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            r.adverse_events.to_string(),
        ])?;
    }
    w.finish()
}

impl Clinic {
    /// Every session in which a lot was used, with the patient's contact
    /// details and the practitioner (the trace is audited).
    pub fn lot_trace(&self, actor: &Actor, filter: &LotTraceFilter) -> Result<Vec<LotTraceRow>> {
        self.traced(actor, filter, "lots.trace")
    }

    fn traced(
        &self,
        actor: &Actor,
        filter: &LotTraceFilter,
        what: &'static str,
    ) -> Result<Vec<LotTraceRow>> {
        self.allow(actor, Action::TraceLots)?;
        let f = session::validate_lot_trace(filter)?;
        self.change(actor, Action::TraceLots, |tx, _| {
            let rows = tx.lot_trace(&f)?;
            let detail = serde_json::json!({
                "lot": f.lot, "from": f.from, "to": f.to, "sessions": rows.len()
            });
            Ok((rows, vec![Event::new(what, Subject::Clinic, detail)]))
        })
    }

    /// The lot trace as CSV text.
    pub fn lot_trace_csv(&self, actor: &Actor, filter: &LotTraceFilter) -> Result<String> {
        lot_trace_csv(&self.traced(actor, filter, "lots.export")?)
    }

    /// Writes the lot trace as CSV to `dest` (whole or not at all); returns the number of sessions.
    pub fn export_lot_trace(
        &self,
        actor: &Actor,
        filter: &LotTraceFilter,
        dest: &Path,
    ) -> Result<usize> {
        let rows = self.traced(actor, filter, "lots.export")?;
        crate::export::write_file(dest, lot_trace_csv(&rows)?.as_bytes())?;
        Ok(rows.len())
    }

    /// The lot trace letter list as a PDF (one row per patient).
    pub fn render_lot_trace(
        &self,
        actor: &Actor,
        filter: &LotTraceFilter,
    ) -> Result<RenderedDocument> {
        let rows = self.traced(actor, filter, "lots.print")?;
        let f = session::validate_lot_trace(filter)?;
        let today = self.today();
        let h = self.store()?.read(house)?;
        let mut patients: Vec<(dermis_core::ids::PatientId, docs::LotTracePatient)> = Vec::new();
        for r in &rows {
            let session = (r.session_date, r.practitioner.clone());
            match patients.iter_mut().find(|(id, _)| *id == r.patient_id) {
                Some((_, p)) => p.sessions.push(session),
                None => patients.push((
                    r.patient_id,
                    docs::LotTracePatient {
                        patient_name: display_name(&r.first_name, &r.last_name),
                        patient_number: r.patient_number.clone(),
                        phone: r.phone.clone(),
                        email: r.email.clone(),
                        address: r.address.clone(),
                        sessions: vec![session],
                    },
                )),
            }
        }
        let n = patients.len() as u32;
        let bytes = docs::lot_trace_list(&docs::LotTraceListInput {
            letterhead: h.letterhead,
            paper: h.paper,
            lot: f.lot.clone(),
            from: f.from,
            to: f.to,
            patients: patients.into_iter().map(|(_, p)| p).collect(),
            date_format: h.date_format,
            generated_on: today,
        })
        .map_err(docs_err)?;
        Ok(RenderedDocument {
            kind: DocumentKind::LotTraceList,
            file_name: format!("lot-trace-{}-{today}.pdf", safe_file_part(&f.lot)),
            pages: docs::page_count(&bytes) as u32,
            bytes,
            patients: n,
            language: "en".into(),
            language_note: String::new(),
        })
    }

    /// Writes the lot trace letter list into `dir` (the print folder) or to `dest`.
    pub fn print_lot_trace(
        &self,
        actor: &Actor,
        filter: &LotTraceFilter,
        dest: &Path,
        is_dir: bool,
    ) -> Result<PrintedDocument> {
        let doc = self.render_lot_trace(actor, filter)?;
        let path = if is_dir {
            crate::export::write_print(dest, &doc.file_name, &doc.bytes)?
        } else {
            crate::export::write_file(dest, &doc.bytes)?;
            dest.to_path_buf()
        };
        Ok(PrintedDocument::of(&doc, &path))
    }

    /// The recall call list: overdue recalls and those due within a week
    /// (as on Today), each with the patient's phone, language and the call log.
    pub fn recall_calls(&self, actor: &Actor) -> Result<RecallCallList> {
        self.allow(actor, Action::CallRecalls)?;
        let today = self.today();
        let week_end = recall::week_end(today);
        let calls = self.store()?.read(|tx| tx.recall_calls(today, week_end))?;
        Ok(RecallCallList {
            today,
            week_end,
            calls,
        })
    }

    /// Logs a call about a recall (audited); answers the call as logged.
    pub fn record_recall_contact(
        &self,
        actor: &Actor,
        recall_id: RecallId,
        input: &RecallContactInput,
    ) -> Result<RecallContact> {
        self.allow(actor, Action::CallRecalls)?;
        let note = recall::validate_contact(input)?;
        self.change(actor, Action::CallRecalls, |tx, stamp| {
            let r = tx
                .recall(recall_id.0)?
                .ok_or_else(|| not_found("Recall", recall_id.0))?;
            if r.status != "due" {
                return Err(ClinicError::Conflict(
                    "This recall is closed (the visit took place or the plan changed): reload the list.".into(),
                ));
            }
            let id = tx.insert_recall_contact(&r, input.outcome, &note, actor.user_id, &stamp.now)?;
            let logged = tx
                .recall_contacts(r.patient_id, r.id)?
                .into_iter()
                .find(|c| c.id == id)
                .ok_or_else(|| not_found("Call", id.0))?;
            let detail = serde_json::json!({ "recall": r.id, "outcome": input.outcome.as_str() });
            Ok((logged, vec![Event::new("recall.contact", Subject::Patient(r.patient_id.0), detail)]))
        })
    }

    /// A recall letter in the patient's language (or `language`); not yet recorded as printed.
    pub fn render_recall_letter(
        &self,
        actor: &Actor,
        recall_id: RecallId,
        language: Option<&str>,
    ) -> Result<(RenderedDocument, dermis_core::ids::PatientId)> {
        self.allow(actor, Action::CallRecalls)?;
        let chosen = match language.map(str::trim).filter(|l| !l.is_empty()) {
            Some(code) => Some(chosen_language(code)?),
            None => None,
        };
        let today = self.today();
        self.store()?.read(|tx| -> Result<_> {
            let r = tx
                .recall(recall_id.0)?
                .ok_or_else(|| not_found("Recall", recall_id.0))?;
            let p = tx
                .patient(r.patient_id.0)?
                .ok_or_else(|| not_found("Patient", r.patient_id.0))?;
            let h = house(tx)?;
            let (lang, note) = h.language(chosen, &p.preferred_language);
            let bytes = docs::recall_letter(&docs::RecallLetterInput {
                letterhead: h.letterhead.clone(),
                paper: h.paper,
                patient_name: display_name(&p.first_name, &p.last_name),
                patient_number: p.patient_number.clone(),
                address: p.address.clone(),
                due: r.due,
                date_format: h.date_format,
                generated_on: today,
                language: lang,
            })
            .map_err(docs_err)?;
            Ok((
                RenderedDocument {
                    kind: DocumentKind::RecallLetter,
                    file_name: format!(
                        "recall-{}-{}.pdf",
                        safe_file_part(&p.patient_number),
                        r.due
                    ),
                    pages: docs::page_count(&bytes) as u32,
                    bytes,
                    patients: 1,
                    language: lang.code().to_string(),
                    language_note: note.unwrap_or_default(),
                },
                r.patient_id,
            ))
        })
    }

    /// Makes a recall letter, writes it into `dir` (the print folder) or to
    /// `dest`, and only then records the print in the audit log.
    pub fn print_recall_letter(
        &self,
        actor: &Actor,
        recall_id: RecallId,
        language: Option<&str>,
        dest: &Path,
        is_dir: bool,
    ) -> Result<PrintedDocument> {
        let (doc, patient) = self.render_recall_letter(actor, recall_id, language)?;
        let path = if is_dir {
            crate::export::write_print(dest, &doc.file_name, &doc.bytes)?
        } else {
            crate::export::write_file(dest, &doc.bytes)?;
            dest.to_path_buf()
        };
        self.change(actor, Action::CallRecalls, |_, _| {
            let detail = serde_json::json!({ "kind": "recall_letter", "recall": recall_id, "pages": doc.pages, "language": doc.language });
            Ok(((), vec![Event::new("document.print", Subject::Patient(patient.0), detail)]))
        })?;
        Ok(PrintedDocument::of(&doc, &path))
    }
}
