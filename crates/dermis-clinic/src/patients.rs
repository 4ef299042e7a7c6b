//! Patient use-cases: register, edit, archive, open, search.

use crate::{Action, Actor, Clinic, ClinicError, Result};
use dermis_core::fold::{digits, fold_words};
use dermis_core::ids;
use dermis_core::patient::ValidPatient;
use dermis_core::{
    search, validate, Patient, PatientInput, PatientPage, PatientSearch, PatientSummary,
};
use ids::PatientId;

/// The fields whose values differ between a stored patient and a new form.
fn changed_fields(old: &Patient, new: &ValidPatient) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut cmp = |name: &'static str, changed: bool| {
        if changed {
            out.push(name);
        }
    };
    cmp("first_name", old.first_name != new.first_name);
    cmp("last_name", old.last_name != new.last_name);
    cmp("date_of_birth", old.date_of_birth != new.date_of_birth);
    cmp("sex", old.sex != new.sex);
    cmp("phone", old.phone != new.phone);
    cmp("email", old.email != new.email);
    cmp("address", old.address != new.address);
    cmp(
        "preferred_language",
        old.preferred_language != new.preferred_language,
    );
    cmp("notes", old.notes != new.notes);
    out
}

impl Clinic {
    /// Registers a patient; they get the next patient number.
    pub fn create_patient(&self, actor: &Actor, input: &PatientInput) -> Result<Patient> {
        self.allow(actor, Action::CreatePatient)?;
        let valid = validate::patient(input, self.today())?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let p = tx.insert_patient(&valid, &now)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "patient.create",
                "patient",
                &p.id.to_string(),
                "",
            ))?;
            Ok(p)
        })
    }

    /// Changes a patient's details. `expected_version` is the version the form
    /// was loaded at: if someone saved in between, this is refused as a conflict
    /// instead of silently overwriting their change.
    pub fn update_patient(
        &self,
        actor: &Actor,
        id: PatientId,
        expected_version: i64,
        input: &PatientInput,
    ) -> Result<Patient> {
        self.allow(actor, Action::EditPatient)?;
        let valid = validate::patient(input, self.today())?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let old = tx.patient(id.0)?.ok_or_else(|| {
                ClinicError::NotFound(format!(
                    "Patient {id} was not found; it may have been removed."
                ))
            })?;
            let changed = changed_fields(&old, &valid);
            let p = match tx.update_patient(id.0, expected_version, &valid, &now) {
                Err(dermis_store::StoreError::Conflict(_)) => {
                    return Err(ClinicError::Conflict(crate::live::changed_under_you(
                        tx.last_change_of(
                            "patient",
                            &id.to_string(),
                            &[
                                "patient.update",
                                "patient.archive",
                                "patient.restore",
                                "patient.merge",
                            ],
                        )?,
                        "this patient's details",
                    )))
                }
                other => other?,
            };
            let detail = serde_json::json!({ "changed": changed }).to_string();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "patient.update",
                "patient",
                &id.to_string(),
                &detail,
            ))?;
            Ok(p)
        })
    }

    /// Archives (hides from the list) or restores a patient. Nothing is deleted.
    pub fn set_patient_archived(
        &self,
        actor: &Actor,
        id: PatientId,
        archived: bool,
    ) -> Result<Patient> {
        self.allow(actor, Action::ArchivePatient)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            if let Some(p) = tx.patient(id.0)? {
                if let (false, Some(n)) = (archived, &p.merged_into_number) {
                    // Restoring would bring back an empty second record of the person.
                    return Err(ClinicError::Conflict(format!(
                        "{} was merged into {n}: everything recorded about this person is there. Open {n} instead.",
                        p.patient_number
                    )));
                }
            }
            let p = tx.set_patient_archived(id.0, archived, &now)?;
            let action = if archived {
                "patient.archive"
            } else {
                "patient.restore"
            };
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                action,
                "patient",
                &id.to_string(),
                "",
            ))?;
            Ok(p)
        })
    }

    /// Erases a patient (admin only; PRODUCT.md §7, the right to erasure):
    /// the patient and every record, photo row, document, search term,
    /// recall and appointment of theirs go in ONE transaction, with ONE audit
    /// entry that names only the id. Photo files no other patient uses are
    /// removed after the commit. Backups made before keep the patient until
    /// they age out of the rotation (the newest 14 daily backups by default),
    /// or until an administrator deletes them.
    pub fn erase_patient(&self, actor: &Actor, id: PatientId) -> Result<ErasureSummary> {
        self.allow(actor, Action::ErasePatient)?;
        let now = self.now();
        let mut store = self.store()?;
        let erased = store.write(|tx| -> Result<_> {
            let erased = tx.erase_patient(id.0)?.ok_or_else(|| {
                ClinicError::NotFound(format!(
                    "Patient {id} was not found; it may have been erased already."
                ))
            })?;
            let rows: usize = erased.rows.iter().map(|(_, n)| n).sum();
            let detail = serde_json::json!({ "rows": rows }).to_string();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "patient.erase",
                "patient",
                &id.to_string(),
                &detail,
            ))?;
            Ok(erased)
        })?;
        let files = match store.remove_orphan_photo_files(&erased.orphan_photos) {
            Ok(n) => n,
            Err(e) => {
                // The rows are gone; a file left behind is reported, not fatal.
                tracing::warn!("photo files of an erased patient could not be removed: {e}");
                0
            }
        };
        Ok(ErasureSummary {
            patient_id: id.0,
            rows: erased.rows.iter().map(|(_, n)| *n as u32).sum(),
            photo_files: files as u32,
        })
    }

    /// Opens a patient's record (the read is audited).
    pub fn patient(&self, actor: &Actor, id: PatientId) -> Result<Patient> {
        self.allow(actor, Action::ViewPatient)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            let p = tx.patient(id.0)?.ok_or_else(|| {
                ClinicError::NotFound(format!(
                    "Patient {id} was not found; it may have been removed."
                ))
            })?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "patient.view",
                "patient",
                &id.to_string(),
                "",
            ))?;
            Ok(p)
        })
    }

    /// As-you-type search by name (any part, any script, accents ignored),
    /// phone digits, date of birth or patient number.
    pub fn search_patients(&self, actor: &Actor, q: &PatientSearch) -> Result<PatientPage> {
        self.allow(actor, Action::FindPatients)?;
        if q.limit == 0 || q.limit > PatientSearch::MAX_LIMIT {
            return Err(ClinicError::validation(
                "limit",
                format!(
                    "Ask for between 1 and {} patients at a time.",
                    PatientSearch::MAX_LIMIT
                ),
            ));
        }
        let n = q.query.chars().count();
        if n > PatientSearch::MAX_QUERY_CHARS {
            return Err(ClinicError::validation(
                "query",
                format!(
                    "The search is too long: {n} characters, the limit is {}.",
                    PatientSearch::MAX_QUERY_CHARS
                ),
            ));
        }
        // A date typed as the clinic writes them means that one day.
        let (format, _) = self.date_format_in_use()?;
        let parsed = search::parse_with(&q.query, format);
        let mut store = self.store()?;
        Ok(store.read(|tx| tx.search_patients(&parsed, q.include_archived, q.offset, q.limit))?)
    }

    /// Patients who may be the person in `input` already (archived ones
    /// too): the same name, accents, case and word order aside, and the same
    /// date of birth; or the same phone number. `except` leaves out the record
    /// being edited. Asked before a new patient is saved.
    pub fn possible_duplicates(
        &self,
        actor: &Actor,
        input: &PatientInput,
        except: Option<PatientId>,
    ) -> Result<Vec<PatientSummary>> {
        self.allow(actor, Action::FindPatients)?;
        let name_key = |first: &str, last: &str| {
            let mut words = fold_words(&format!("{first} {last}"));
            words.sort();
            words
        };
        let wanted = name_key(&input.first_name, &input.last_name);
        let born = chrono::NaiveDate::parse_from_str(input.date_of_birth.trim(), "%Y-%m-%d").ok();
        let phone = digits(&input.phone);
        let mut found: Vec<PatientSummary> = Vec::new();
        self.store()?.read(|tx| -> Result<()> {
            if let (Some(born), false) = (born, wanted.is_empty()) {
                let q = search::ParsedQuery {
                    words: wanted.clone(),
                    ..Default::default()
                };
                for s in tx
                    .search_patients(&q, true, 0, PatientSearch::MAX_LIMIT)?
                    .items
                {
                    if s.date_of_birth == born && name_key(&s.first_name, &s.last_name) == wanted {
                        found.push(s);
                    }
                }
            }
            // A phone number long enough to be one person's, not a shared prefix.
            if phone.len() >= 6 {
                let q = search::ParsedQuery {
                    phone_digits: Some(phone.clone()),
                    ..Default::default()
                };
                for s in tx
                    .search_patients(&q, true, 0, PatientSearch::MAX_LIMIT)?
                    .items
                {
                    if digits(&s.phone) == phone {
                        found.push(s);
                    }
                }
            }
            Ok(())
        })?;
        found.sort_by_key(|s| s.id);
        found.dedup_by_key(|s| s.id);
        found.retain(|s| Some(s.id) != except);
        Ok(found)
    }

    /// The patient whose number is exactly `number` (`P-000042`), merged and
    /// archived records included (scripts name records by number).
    pub fn patient_id_by_number(&self, actor: &Actor, number: &str) -> Result<Option<PatientId>> {
        self.allow(actor, Action::FindPatients)?;
        let Some(n) = search::parse(number).patient_number else {
            return Ok(None);
        };
        Ok(self
            .store()?
            .read(|tx| tx.patient_id_by_number(n))?
            .map(PatientId))
    }

    /// How many patients the clinic has, archived ones included.
    pub fn patient_count(&self, actor: &Actor) -> Result<i64> {
        self.allow(actor, Action::FindPatients)?;
        Ok(self.store()?.read(|tx| tx.count_patients())?)
    }

    /// Registers many patients in one transaction (demo data, imports).
    pub fn create_patients_bulk(&self, actor: &Actor, inputs: &[PatientInput]) -> Result<usize> {
        self.allow(actor, Action::GenerateDemoData)?;
        let today = self.today();
        let valid = inputs
            .iter()
            .map(|i| validate::patient(i, today))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            for v in &valid {
                tx.insert_patient(v, &now)?;
            }
            let detail = serde_json::json!({ "patients": valid.len() }).to_string();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "demo.generate",
                "patient",
                "",
                &detail,
            ))?;
            Ok(valid.len())
        })
    }
}

/// What erasing a patient removed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ErasureSummary {
    #[ts(type = "number")]
    pub patient_id: i64,
    /// Rows deleted, the patient's own included.
    pub rows: u32,
    /// Photo files (and thumbnails) removed from disk.
    pub photo_files: u32,
}
