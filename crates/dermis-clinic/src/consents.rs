//! Consent forms (PRODUCT.md 10, issue 18): templates edited in Settings
//! (each save a new version), the patient's signature on screen, the
//! practitioner's confirmation that freezes the consent into a PDF, its
//! revocation, and the gate a session passes.
//!
//! Who may do what, and why:
//! - **Anyone signed in may start a signing** ([`Action::TakeConsent`]): the
//!   receptionist hands the screen to the patient. What she stores is the
//!   patient's signature, *awaiting confirmation*; it does not open the gate.
//! - **Only a practitioner (or the owner) confirms or withdraws**
//!   ([`Action::ConfirmConsent`]): the confirmation is their word that they
//!   explained the treatment and saw the patient sign. It freezes the
//!   consent: the canonical content's SHA-256 and the PDF, whose own SHA-256
//!   goes into the audit entry.
//! - **The desk reads where a consent stands, not what it says**: a list of
//!   [`ConsentSummary`] (form, version, dates, status) for every role, so the
//!   desk knows whether the patient must sign before the session; the text
//!   as signed, the strokes, the photo-use answers and the PDF need the
//!   clinical read permission. A signed consent sits in the patient's
//!   medical record (it names the treatment and what the patient accepted
//!   about their own photos), and a drawn signature is the kind of personal
//!   mark a desk has no need to copy or print.

use crate::clinical::{not_found, require_patient};
use crate::documents::{house, PrintedDocument, RenderedDocument};
use crate::usecase::{Event, Subject};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use dermis_core::consent::{
    self, canonical_content, Consent, ConsentSettings, ConsentSignInput, ConsentStatus,
    ConsentSummary, ConsentTemplate, ConsentTemplateInput, GateOutcome, PhotoUses,
};
use dermis_core::ids::{ConsentId, PatientId};
use dermis_core::names::display_name;
use dermis_core::plan::Plan;
use dermis_docs as docs;
use dermis_store::Tx;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The template versions of one key, newest first, Dermis's default last.
fn versions(tx: &Tx, key: &str) -> Result<Vec<ConsentTemplate>> {
    let mut out: Vec<ConsentTemplate> = tx
        .consent_templates()?
        .into_iter()
        .filter(|t| t.key == key)
        .collect();
    if key == consent::MICRONEEDLING {
        out.push(consent::default_template());
    }
    Ok(out)
}

/// The version of template `key` a patient signs now.
fn current_template(tx: &Tx, key: &str) -> Result<ConsentTemplate> {
    versions(tx, key)?.into_iter().next().ok_or_else(|| {
        ClinicError::validation("template", format!("There is no consent form \"{key}\"."))
    })
}

/// What the gate says for a session of `plan`: `Ok(None)` passes,
/// `Ok(Some(warning))` passes with a warning (the clinic set the gate to
/// warn), an error refuses with the reason (field `consent`).
pub(crate) fn session_gate(tx: &Tx, plan: &Plan) -> Result<Option<String>> {
    let settings = tx.consent_settings()?;
    let made_on = plan
        .created_at
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or(plan.start);
    match consent::consent_gate(
        &tx.consent_summaries(plan.patient_id.0)?,
        made_on,
        &settings,
    ) {
        GateOutcome::Pass => Ok(None),
        GateOutcome::Missing(why) if settings.require_for_session => {
            Err(ClinicError::validation("consent", why))
        }
        GateOutcome::Missing(why) => Ok(Some(format!(
            "{why} (The clinic records the session anyway: its consent gate is set to warn.)"
        ))),
    }
}

/// The patient's photo-use answers: those of their newest signed,
/// unrevoked consent; all "no" when there is none.
pub(crate) fn photo_uses(tx: &Tx, patient_id: i64) -> Result<PhotoUses> {
    Ok(tx
        .consents(patient_id)?
        .into_iter()
        .find(|c| c.status == ConsentStatus::Signed)
        .map(|c| c.photo_uses)
        .unwrap_or_default())
}

/// Freezes consent `c` as confirmed by `actor` at `now`: canonical content,
/// its hash, the PDF and its hash, stored. Returns the events to audit.
fn confirm_in(tx: &Tx, actor: &Actor, mut c: Consent, now: &str) -> Result<(Consent, Vec<Event>)> {
    match c.status {
        ConsentStatus::AwaitingConfirmation => {}
        ConsentStatus::Signed => {
            return Err(ClinicError::Conflict(
                "This consent is already confirmed.".into(),
            ))
        }
        ConsentStatus::Revoked => {
            return Err(ClinicError::Conflict(
                "This consent was withdrawn: it cannot be confirmed. The patient signs a new one."
                    .into(),
            ))
        }
    }
    c.confirmed_by = Some(actor.display_name.clone());
    c.confirmed_at = Some(now.to_string());
    let content_sha = hex(canonical_content(&c).as_bytes());
    let h = house(tx)?;
    let input = docs::ConsentInput {
        letterhead: h.letterhead.clone(),
        paper: h.paper,
        title: c.title.clone(),
        text: c.text.clone(),
        template_key: c.template_key.clone(),
        template_version: c.template_version,
        patient_name: c.patient_name.clone(),
        patient_number: c.patient_number.clone(),
        strokes: c.signature.strokes.clone(),
        typed_name: c.typed_name.clone(),
        photo_uses: (
            c.photo_uses.record,
            c.photo_uses.teaching,
            c.photo_uses.marketing,
        ),
        signed_at: c.signed_at.clone(),
        recorded_by: c.recorded_by.clone(),
        confirmed_by: actor.display_name.clone(),
        confirmed_at: now.to_string(),
        date_format: h.date_format,
        content_sha256: content_sha.clone(),
        generated_on: c
            .signed_at
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or_default(),
    };
    let pdf = docs::consent_document(&input)
        .map_err(|e| ClinicError::Internal(format!("the consent PDF cannot be made: {e}")))?;
    let pdf_sha = hex(&pdf);
    tx.confirm_consent(
        c.id.0,
        &dermis_store::Confirmation {
            user_id: actor.user_id,
            at: now,
            content_sha256: &content_sha,
            pdf: &pdf,
            pdf_sha256: &pdf_sha,
        },
    )?;
    c.content_sha256 = Some(content_sha.clone());
    c.pdf_sha256 = Some(pdf_sha.clone());
    c.status = ConsentStatus::Signed;
    let event = Event::new(
        "consent.confirm",
        Subject::Patient(c.patient_id.0),
        json!({
            "consent": c.id.0,
            "template": c.template_key,
            "version": c.template_version,
            "pdf_sha256": pdf_sha,
            "content_sha256": content_sha,
            "pdf_bytes": pdf.len(),
        }),
    );
    Ok((c, vec![event]))
}

fn file_name(c: &Consent) -> String {
    let number: String = c
        .patient_number
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "consent-{}-{}-v{}-{}.pdf",
        number, c.template_key, c.template_version, c.id.0
    )
}

impl Clinic {
    /// Every version of every consent form, newest first (Dermis's own text is version 1).
    pub fn consent_templates(&self, actor: &Actor) -> Result<Vec<ConsentTemplate>> {
        self.allow(actor, Action::TakeConsent)?;
        self.store()?.read(|tx| -> Result<_> {
            let mut out = tx.consent_templates()?;
            if !out.iter().any(|t| t.key == consent::MICRONEEDLING) {
                out.insert(0, consent::default_template());
            } else {
                out.push(consent::default_template());
            }
            Ok(out)
        })
    }

    /// The version of form `key` a patient signs now.
    pub fn current_consent_template(&self, actor: &Actor, key: &str) -> Result<ConsentTemplate> {
        self.allow(actor, Action::TakeConsent)?;
        self.store()?.read(|tx| current_template(tx, key.trim()))
    }

    /// Saves a new version of a consent form (the earlier versions and every
    /// consent signed on them stay as they are).
    pub fn save_consent_template(
        &self,
        actor: &Actor,
        input: &ConsentTemplateInput,
    ) -> Result<ConsentTemplate> {
        let v = consent::validate_template(input)?;
        if v.key != consent::MICRONEEDLING {
            return Err(ClinicError::validation(
                "key",
                "Dermis has one consent form for now: microneedling (the one the session gate asks for).",
            ));
        }
        self.change(actor, Action::EditSettings, |tx, at| {
            let current = current_template(tx, &v.key).ok();
            if current
                .as_ref()
                .is_some_and(|c| c.title == v.title && c.body == v.body)
            {
                return Err(ClinicError::validation(
                    "body",
                    "Nothing changed: this is the text of the current version.",
                ));
            }
            let (_, version) =
                tx.insert_consent_template(&v.key, &v.title, &v.body, actor.user_id, &at.now)?;
            let saved = current_template(tx, &v.key)?;
            Ok((
                saved,
                vec![Event::new(
                    "consent_template.save",
                    Subject::Clinic,
                    json!({ "key": v.key, "version": version }),
                )],
            ))
        })
    }

    pub fn consent_settings(&self, actor: &Actor) -> Result<ConsentSettings> {
        self.allow(actor, Action::ViewSettings)?;
        self.store()?.read(|tx| Ok(tx.consent_settings()?))
    }

    pub fn set_consent_settings(
        &self,
        actor: &Actor,
        s: &ConsentSettings,
    ) -> Result<ConsentSettings> {
        let v = consent::validate_settings(s)
            .map_err(|e| ClinicError::Validation(dermis_core::ValidationErrors(vec![e])))?;
        self.change(actor, Action::EditSettings, |tx, _| {
            tx.set_consent_settings(&v)?;
            Ok((
                v,
                vec![Event::new(
                    "settings.consent",
                    Subject::Clinic,
                    json!({ "require_for_session": v.require_for_session, "renew_after_months": v.renew_after_months }),
                )],
            ))
        })
    }

    /// Stores the patient's signature on the current version of a form. With
    /// `confirm` the signed-in practitioner confirms it at once (a
    /// receptionist cannot: her signing awaits a practitioner).
    pub fn sign_consent(&self, actor: &Actor, input: &ConsentSignInput) -> Result<ConsentSummary> {
        let (method, strokes, typed_name) =
            consent::validate_signature(&input.signature, &input.typed_name)
                .map_err(|e| ClinicError::Validation(dermis_core::ValidationErrors(vec![e])))?;
        if input.confirm && actor.require(Action::ConfirmConsent).is_err() {
            return Err(ClinicError::validation(
                "confirm",
                "Only a practitioner can confirm a consent: save the patient's signature and ask the practitioner to confirm it.",
            ));
        }
        let key = input.template.trim().to_string();
        self.change(actor, Action::TakeConsent, |tx, at| {
            let p = tx
                .patient(input.patient_id.0)?
                .ok_or_else(|| not_found("Patient", input.patient_id.0))?;
            let t = current_template(tx, &key)?;
            if let Some(read) = input.template_version {
                if read != t.version {
                    return Err(ClinicError::Conflict(format!(
                        "The consent form changed while the patient was reading it (version {read}, now version {}): show the patient the new text and sign again.",
                        t.version
                    )));
                }
            }
            let id = tx.insert_consent(&dermis_store::NewConsent {
                patient_id: p.id.0,
                template_key: &t.key,
                template_version: t.version,
                title: &t.title,
                text: &t.body,
                patient_name: &display_name(&p.first_name, &p.last_name),
                patient_number: &p.patient_number,
                method,
                strokes: &strokes,
                typed_name: &typed_name,
                photo_uses: input.photo_uses,
                signed_at: &at.now,
                recorded_by: actor.user_id,
            })?;
            let mut events = vec![Event::new(
                "consent.sign",
                Subject::Patient(p.id.0),
                json!({
                    "consent": id, "template": t.key, "version": t.version,
                    "method": method.as_str(), "points": strokes.point_count(),
                }),
            )];
            let summary = if input.confirm {
                let stored = tx.consent(id)?.ok_or_else(|| not_found("Consent", id))?;
                let (c, more) = confirm_in(tx, actor, stored, &at.now)?;
                events.extend(more);
                c.summary()
            } else {
                // Only what the desk may read (on the clinic server her role
                // cannot read the rest of the row back).
                tx.consent_summaries(p.id.0)?
                    .into_iter()
                    .find(|c| c.id.0 == id)
                    .ok_or_else(|| not_found("Consent", id))?
            };
            Ok((summary, events))
        })
    }

    /// A practitioner confirms a signature the desk took.
    pub fn confirm_consent(&self, actor: &Actor, id: ConsentId) -> Result<Consent> {
        self.change(actor, Action::ConfirmConsent, |tx, at| {
            let c = tx
                .consent(id.0)?
                .ok_or_else(|| not_found("Consent", id.0))?;
            confirm_in(tx, actor, c, &at.now)
        })
    }

    /// Withdraws a consent (the patient's decision, with the reason); audited.
    pub fn revoke_consent(
        &self,
        actor: &Actor,
        id: ConsentId,
        reason: &str,
    ) -> Result<ConsentSummary> {
        let reason = consent::validate_reason(reason)
            .map_err(|e| ClinicError::Validation(dermis_core::ValidationErrors(vec![e])))?;
        self.change(actor, Action::ConfirmConsent, |tx, at| {
            tx.consent(id.0)?.ok_or_else(|| not_found("Consent", id.0))?;
            tx.revoke_consent(id.0, actor.user_id, &reason, &at.now)?;
            let c = tx.consent(id.0)?.ok_or_else(|| not_found("Consent", id.0))?;
            Ok((
                c.summary(),
                vec![Event::new(
                    "consent.revoke",
                    Subject::Patient(c.patient_id.0),
                    json!({ "consent": id.0, "template": c.template_key, "version": c.template_version }),
                )],
            ))
        })
    }

    /// Where each of a patient's consents stands (every role: the desk must
    /// know whether the patient has to sign before the session).
    pub fn consents(&self, actor: &Actor, patient_id: PatientId) -> Result<Vec<ConsentSummary>> {
        self.allow(actor, Action::ViewPatient)?;
        self.store()?.read(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            Ok(tx.consent_summaries(patient_id.0)?)
        })
    }

    /// A signed consent, whole: the text as signed, the strokes, the answers (audited read).
    pub fn consent(&self, actor: &Actor, id: ConsentId) -> Result<Consent> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let c = tx
                .consent(id.0)?
                .ok_or_else(|| not_found("Consent", id.0))?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "consent.read",
                "patient",
                &c.patient_id.to_string(),
                &json!({ "consent": id.0 }).to_string(),
            ))?;
            Ok(c)
        })
    }

    /// The patient's photo-use answers (from their newest signed, unrevoked consent).
    pub fn photo_consent(&self, actor: &Actor, patient_id: PatientId) -> Result<PhotoUses> {
        self.allow(actor, Action::ReadClinical)?;
        self.store()?.read(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            photo_uses(tx, patient_id.0)
        })
    }

    /// The stored PDF of a confirmed consent (the frozen bytes, never re-made); the print is audited.
    pub fn consent_document(&self, actor: &Actor, id: ConsentId) -> Result<RenderedDocument> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let c = tx.consent(id.0)?.ok_or_else(|| not_found("Consent", id.0))?;
            let bytes = tx.consent_pdf(id.0)?.ok_or_else(|| {
                ClinicError::validation(
                    "consent_id",
                    "This consent is waiting for a practitioner's confirmation: its PDF is made when it is confirmed.",
                )
            })?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "consent.print",
                "patient",
                &c.patient_id.to_string(),
                &json!({ "consent": id.0, "sha256": hex(&bytes) }).to_string(),
            ))?;
            Ok(RenderedDocument {
                kind: crate::DocumentKind::Consent,
                file_name: file_name(&c),
                pages: docs::page_count(&bytes) as u32,
                bytes,
                patients: 1,
                language: String::new(),
                language_note: String::new(),
            })
        })
    }

    /// Writes a consent's PDF into the print folder `dir`.
    pub fn print_consent(
        &self,
        actor: &Actor,
        id: ConsentId,
        dir: &Path,
    ) -> Result<PrintedDocument> {
        let doc = self.consent_document(actor, id)?;
        let path: PathBuf = crate::export::write_print(dir, &doc.file_name, &doc.bytes)?;
        Ok(PrintedDocument::of(&doc, &path))
    }

    /// Writes a consent's PDF to `dest` (Save as…, `dermis print consent --out`).
    pub fn save_consent(
        &self,
        actor: &Actor,
        id: ConsentId,
        dest: &Path,
    ) -> Result<PrintedDocument> {
        let doc = self.consent_document(actor, id)?;
        crate::export::write_file(dest, &doc.bytes)?;
        Ok(PrintedDocument::of(&doc, dest))
    }
}
