//! `dermis consent …`: the consent forms, a signature taken from a strokes
//! file, a practitioner's confirmation and a withdrawal.
//!
//! `sign` reads the signature from a JSON file (`{"strokes": [[[x, y], …], …]}`,
//! points in the 400 × 150 box), refusing a file over 2 MB before parsing it.
//! A user who may confirm consents (a practitioner or the owner) confirms at
//! once unless `--no-confirm`; a receptionist's signing awaits confirmation.

use crate::{fail, print, resolve_patient_id};
use clap::Subcommand;
use dermis_clinic::core::consent::{ConsentSignInput, PhotoUses, Strokes};
use dermis_clinic::core::ids::{ConsentId, PatientId};
use dermis_clinic::{Action, Actor, ApiError, Clinic, ErrorCode};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest strokes file read (a signature at its limits is far smaller).
const STROKES_FILE_MAX: u64 = 2 * 1024 * 1024;

#[derive(Subcommand)]
pub enum ConsentCommand {
    /// Every version of every consent form (Dermis's own microneedling text is version 1).
    Templates,
    /// Store a patient's signature on the current version of a form.
    Sign {
        #[arg(long)]
        patient: String,
        #[arg(long, default_value = "microneedling")]
        template: String,
        /// A JSON file: {"strokes": [[[x, y], ...], ...]} in points of a 400 x 150 box.
        #[arg(long)]
        signature: PathBuf,
        /// Photo uses the patient agreed to, comma-separated: record, teaching, marketing
        /// (none when left out).
        #[arg(long, default_value = "")]
        photo_use: String,
        /// Leave the consent awaiting a practitioner's confirmation.
        #[arg(long)]
        no_confirm: bool,
    },
    /// A practitioner confirms a signature taken at the desk.
    Confirm {
        #[arg(long)]
        consent: i64,
    },
    /// Withdraw a consent (the reason is kept and the withdrawal audited).
    Revoke {
        #[arg(long)]
        consent: i64,
        #[arg(long)]
        reason: String,
    },
    /// Where a patient's consents stand.
    List {
        #[arg(long)]
        patient: String,
    },
}

fn read_strokes(path: &Path) -> Result<Strokes, ApiError> {
    let bad = |m: String| fail(ErrorCode::Validation, Some("signature"), m);
    let f = std::fs::File::open(path)
        .map_err(|e| bad(format!("{} cannot be read: {e}.", path.display())))?;
    let mut text = String::new();
    f.take(STROKES_FILE_MAX + 1)
        .read_to_string(&mut text)
        .map_err(|e| bad(format!("{} cannot be read as text: {e}.", path.display())))?;
    if text.len() as u64 > STROKES_FILE_MAX {
        return Err(bad(format!(
            "{} is larger than 2 MB: it is not a signature.",
            path.display()
        )));
    }
    serde_json::from_str(&text).map_err(|e| {
        bad(format!(
            "{} is not a signature ({{\"strokes\": [[[x, y], …], …]}}): {e}.",
            path.display()
        ))
    })
}

fn photo_uses(list: &str) -> Result<PhotoUses, ApiError> {
    let mut uses = PhotoUses::default();
    for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match word {
            "record" => uses.record = true,
            "teaching" => uses.teaching = true,
            "marketing" => uses.marketing = true,
            other => {
                return Err(fail(
                    ErrorCode::Validation,
                    Some("photo_use"),
                    format!("Unknown photo use \"{other}\": use record, teaching or marketing."),
                ))
            }
        }
    }
    Ok(uses)
}

pub fn consent(
    clinic: &Clinic,
    actor: &Actor,
    cmd: &ConsentCommand,
    json: bool,
) -> Result<(), ApiError> {
    match cmd {
        ConsentCommand::Templates => {
            let list = clinic.consent_templates(actor)?;
            print(json, &list, |l| {
                l.iter()
                    .map(|t| {
                        format!(
                            "{} version {}: {} ({}{})",
                            t.key,
                            t.version,
                            t.title,
                            t.created_by,
                            if t.created_at.is_empty() {
                                String::new()
                            } else {
                                format!(", {}", t.created_at)
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ConsentCommand::Sign {
            patient,
            template,
            signature,
            photo_use,
            no_confirm,
        } => {
            let input = ConsentSignInput {
                patient_id: PatientId(resolve_patient_id(clinic, actor, patient)?),
                template: template.clone(),
                template_version: None,
                signature: read_strokes(signature)?,
                typed_name: String::new(),
                photo_uses: photo_uses(photo_use)?,
                confirm: !no_confirm && actor.require(Action::ConfirmConsent).is_ok(),
            };
            let summary = clinic.sign_consent(actor, &input)?;
            // The whole consent for those who may read it; where it stands for the desk.
            if actor.require(Action::ReadClinical).is_ok() {
                let c = clinic.consent(actor, summary.id)?;
                print(json, &c, |c| {
                    format!(
                        "Consent {} signed ({} version {}), {}.",
                        c.id,
                        c.template_key,
                        c.template_version,
                        match &c.confirmed_by {
                            Some(by) => format!("confirmed by {by}"),
                            None => "awaiting a practitioner's confirmation".into(),
                        }
                    )
                })
            } else {
                print(json, &summary, |s| {
                    format!(
                        "Consent {} signed ({} version {}), awaiting a practitioner's confirmation.",
                        s.id, s.template_key, s.template_version
                    )
                })
            }
        }
        ConsentCommand::Confirm { consent } => {
            let c = clinic.confirm_consent(actor, ConsentId(*consent))?;
            print(json, &c, |c| {
                format!(
                    "Consent {} confirmed; PDF SHA-256 {}.",
                    c.id,
                    c.pdf_sha256.as_deref().unwrap_or("")
                )
            })
        }
        ConsentCommand::Revoke { consent, reason } => {
            let s = clinic.revoke_consent(actor, ConsentId(*consent), reason)?;
            print(json, &s, |s| format!("Consent {} withdrawn.", s.id))
        }
        ConsentCommand::List { patient } => {
            let id = PatientId(resolve_patient_id(clinic, actor, patient)?);
            let list = clinic.consents(actor, id)?;
            print(json, &list, |l| {
                if l.is_empty() {
                    return "No consents.".into();
                }
                l.iter()
                    .map(|c| {
                        format!(
                            "{}  {} version {}  signed {}  {:?}",
                            c.id, c.template_key, c.template_version, c.signed_at, c.status
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
