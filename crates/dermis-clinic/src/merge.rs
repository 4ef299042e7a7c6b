//! Merging two records of one person (admins only): the preview the app
//! shows side by side before asking to confirm, and the merge itself.
//!
//! What moves: everything recorded about the record merged away — its
//! screenings, assessments, plans with their planned sessions and recalls,
//! consultations, session records with their healing reports and adverse
//! events, photos and printed documents — all re-pointed at the kept record
//! in ONE write transaction with ONE audit entry (both patient numbers and
//! the counts moved; no names, no clinical text). The kept record's own
//! details win: only contact details it lacks (phone, e-mail, address,
//! preferred language, sex) are taken from the other, and the other's notes
//! are added to its notes marked "From P-…". Names and birth date are never
//! changed by a merge: if they differ, the administrator corrects the kept
//! record by hand, which is audited as an edit. (Dermis stores no separate
//! consent records: consent lives in the screening, which moves.)
//!
//! The record merged away is archived with `merged_into` pointing at the
//! kept one: opening it says where the person's record is now, searching
//! never lists it, and its old number finds the kept record.

use crate::usecase::{Event, Subject};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use dermis_core::ids::PatientId;
use dermis_core::{merge, Patient};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How many records of one kind move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeCount {
    /// What moves, in words ("screenings", "session records", …).
    pub what: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// Two records side by side before a merge, with what would move and
/// whether the merge is allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergePreview {
    pub keep: Patient,
    pub other: Patient,
    /// What moves from `other` to `keep` (kinds with nothing to move left out).
    pub moves: Vec<MergeCount>,
    /// Contact details `keep` lacks that `other` has (copied to `keep`).
    pub fills: Vec<String>,
    /// Why the merge cannot be done, for the administrator; `null` when it can.
    pub refusal: Option<String>,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeSummary {
    pub kept: PatientId,
    pub kept_number: String,
    pub merged: PatientId,
    pub merged_number: String,
    /// Records moved, by kind (kinds with nothing moved left out).
    pub moved: Vec<MergeCount>,
    /// Photos of an image the kept record already had (kept once).
    #[ts(type = "number")]
    pub duplicate_photos: i64,
    /// Contact details copied to the kept record.
    pub filled: Vec<String>,
    /// Whether the merged record's notes were added to the kept record's.
    pub notes_added: bool,
}

fn counts(raw: &[(&str, i64)]) -> Vec<MergeCount> {
    raw.iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, count)| MergeCount {
            what: what.to_string(),
            count: *count,
        })
        .collect()
}

/// The contact details `keep` lacks and `other` has.
fn fills(keep: &Patient, other: &Patient) -> Vec<String> {
    let mut out = Vec::new();
    for (name, k, o) in [
        ("phone", &keep.phone, &other.phone),
        ("email", &keep.email, &other.email),
        ("address", &keep.address, &other.address),
        (
            "preferred_language",
            &keep.preferred_language,
            &other.preferred_language,
        ),
    ] {
        if k.is_empty() && !o.is_empty() {
            out.push(name.to_string());
        }
    }
    if keep.sex.is_none() && other.sex.is_some() {
        out.push("sex".into());
    }
    out
}

fn not_found(id: PatientId) -> ClinicError {
    ClinicError::NotFound(format!(
        "Patient {id} was not found; it may have been erased."
    ))
}

/// Both records, read in `tx`.
fn pair(tx: &dermis_store::Tx, keep: PatientId, other: PatientId) -> Result<(Patient, Patient)> {
    let k = tx.patient(keep.0)?.ok_or_else(|| not_found(keep))?;
    let o = tx.patient(other.0)?.ok_or_else(|| not_found(other))?;
    Ok((k, o))
}

impl Clinic {
    /// The two records side by side, what a merge of `other` into `keep`
    /// would move, and why it cannot be done if it cannot (admins only;
    /// the read of both records is audited as opening them).
    pub fn merge_preview(
        &self,
        actor: &Actor,
        keep: PatientId,
        other: PatientId,
    ) -> Result<MergePreview> {
        let fmt = self.date_formatter()?;
        self.change(actor, Action::MergePatients, |tx, _| {
            let (k, o) = pair(tx, keep, other)?;
            let refusal =
                merge::refusal(&k, &o, tx.open_plan(keep.0)?, tx.open_plan(other.0)?, &fmt);
            let moves = counts(&tx.merge_counts(other.0)?);
            let fills = fills(&k, &o);
            let events = [keep, other]
                .iter()
                .map(|id| {
                    Event::new(
                        "patient.view",
                        Subject::Patient(id.0),
                        serde_json::Value::Null,
                    )
                })
                .collect();
            Ok((
                MergePreview {
                    keep: k,
                    other: o,
                    moves,
                    fills,
                    refusal,
                },
                events,
            ))
        })
    }

    /// Merges `other` into `keep` (see the module doc); refused as a
    /// conflict with the reason when [`merge::refusal`] says so.
    pub fn merge_patients(
        &self,
        actor: &Actor,
        keep: PatientId,
        other: PatientId,
    ) -> Result<MergeSummary> {
        let fmt = self.date_formatter()?;
        self.change(actor, Action::MergePatients, |tx, at| {
            let (k, o) = pair(tx, keep, other)?;
            if let Some(why) =
                merge::refusal(&k, &o, tx.open_plan(keep.0)?, tx.open_plan(other.0)?, &fmt)
            {
                return Err(ClinicError::Conflict(why));
            }
            let m = tx.merge_patients(keep.0, other.0, &at.now)?;
            let moved = counts(&m.moved);
            let filled: Vec<String> = m.filled.iter().map(|f| f.to_string()).collect();
            let detail = serde_json::json!({
                "kept": k.patient_number,
                "merged": o.patient_number,
                "merged_id": other.0,
                "moved": moved
                    .iter()
                    .map(|c| (c.what.clone(), serde_json::Value::from(c.count)))
                    .collect::<serde_json::Map<String, serde_json::Value>>(),
                "duplicate_photos": m.duplicate_photos,
                "filled": filled,
                "notes_added": m.notes_added,
            });
            let summary = MergeSummary {
                kept: keep,
                kept_number: k.patient_number,
                merged: other,
                merged_number: o.patient_number,
                moved,
                duplicate_photos: m.duplicate_photos,
                filled,
                notes_added: m.notes_added,
            };
            Ok((
                summary,
                vec![Event::new(
                    "patient.merge",
                    Subject::Patient(keep.0),
                    detail,
                )],
            ))
        })
    }
}
