//! `dermis session …`, `dermis photo …`, `dermis adverse-events`.

use crate::clinical::word;
use crate::{fail, print};
use clap::Subcommand;
use dermis_clinic::core::ids;
use dermis_clinic::core::photo::{Photo, PhotoTags};
use dermis_clinic::core::session::{
    format_mm, AdverseEventFilter, AdverseEventInput, HealingInput, SessionRecord, ZoneDepthInput,
};
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode, PhotoImport};
use std::path::PathBuf;

// Parsed once per run: the size of the biggest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum SessionCommand {
    /// Record a planned session. Settings you leave out are copied from the
    /// patient's last session (as the app's form does).
    Record {
        /// The planned session's id (see `dermis plan` output or the app).
        #[arg(long)]
        planned: i64,
        #[arg(long)]
        date: String,
        /// Needle depth of one zone in mm, e.g. --depth cheeks_chin=1.0 (repeat per zone;
        /// zones: forehead, nose, around_eyes, cheekbones, cheeks_chin, upper_lip, scarred_areas).
        #[arg(long = "depth", value_name = "ZONE=MM")]
        depths: Vec<String>,
        #[arg(long)]
        device: Option<String>,
        #[arg(long)]
        cartridge_lot: Option<String>,
        /// thin or thick
        #[arg(long)]
        skin: Option<String>,
        #[arg(long)]
        passes: Option<u32>,
        #[arg(long)]
        numbing_cream: Option<String>,
        #[arg(long)]
        numbing_minutes: Option<u32>,
        #[arg(long)]
        glide_product: Option<String>,
        #[arg(long)]
        glide_lot: Option<String>,
        /// erythema, pinpoint_bleeding or not_reached
        #[arg(long)]
        endpoint: Option<String>,
        #[arg(long)]
        duration_minutes: Option<u32>,
        #[arg(long, default_value = "")]
        reaction: String,
        #[arg(long, default_value = "")]
        notes: String,
        /// Confirm depths above the clinic's depth chart for this skin.
        #[arg(long)]
        confirm_above_ceiling: bool,
        /// The practitioner's reason for treating despite a blocking screening.
        #[arg(long, default_value = "")]
        override_reason: String,
    },
    /// Record how a session healed (at the next visit or by phone).
    Healing {
        /// The session record's id.
        #[arg(long)]
        session: i64,
        #[arg(long)]
        redness_days: u32,
        #[arg(long, default_value_t = 0)]
        flaking_days: u32,
        /// An adverse event, e.g. --event infection or --event "other:rash on the chin" (repeatable).
        #[arg(long = "event", value_name = "KIND[:DESCRIPTION]")]
        events: Vec<String>,
        /// When the patient reported it (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// A patient's session records, newest first.
    List {
        #[arg(long)]
        patient: i64,
    },
}

#[derive(Subcommand)]
pub enum PhotoCommand {
    /// Import a JPEG or PNG photo: turned upright, stripped of location and
    /// other metadata, stored beside the database.
    Import {
        #[arg(long)]
        patient: i64,
        file: PathBuf,
        /// The treatment area shown, e.g. cheeks, forehead.
        #[arg(long, default_value = "cheeks")]
        area: String,
        /// front, left, right, left_oblique or right_oblique.
        #[arg(long, default_value = "front")]
        angle: String,
        /// The day it was taken (default: the camera's date, else today).
        #[arg(long, default_value = "")]
        date: String,
        /// Link to a session record.
        #[arg(long)]
        session: Option<i64>,
        /// Link to an assessment.
        #[arg(long)]
        assessment: Option<i64>,
    },
    /// A patient's photos, newest first.
    List {
        #[arg(long)]
        patient: i64,
    },
    /// Remove a photo from the record (admin or practitioner; audited). Its
    /// file goes once no record refers to it.
    Delete {
        /// The photo's id (`dermis photo list`).
        id: i64,
    },
}

fn record_line(r: &SessionRecord) -> String {
    let depths: Vec<String> = r
        .depths
        .iter()
        .map(|d| {
            format!(
                "{} {} mm{}",
                d.zone.as_str(),
                format_mm(d.depth_um),
                if d.above_ceiling {
                    " (confirmed above chart)"
                } else {
                    ""
                }
            )
        })
        .collect();
    let mut s = format!(
        "record {}  session {}  {}  {}  cartridge {}  {}  by {}",
        r.id,
        r.n,
        r.date.format("%a %Y-%m-%d"),
        r.device,
        if r.cartridge_lot.is_empty() {
            "-"
        } else {
            &r.cartridge_lot
        },
        depths.join(", "),
        r.practitioner
    );
    if let Some(h) = &r.healing {
        s.push_str(&format!(
            "\n  healing: {} days redness, {} days flaking",
            h.redness_days, h.flaking_days
        ));
        for e in &h.events {
            s.push_str(&format!("\n  adverse event: {}", e.kind.label()));
        }
        if !h.decision.is_empty() {
            s.push_str(&format!("\n  → {}", h.decision));
        }
    }
    s
}

pub fn session(
    clinic: &Clinic,
    s: &Actor,
    cmd: &SessionCommand,
    json: bool,
    today: &str,
) -> Result<(), ApiError> {
    match cmd {
        SessionCommand::Record {
            planned,
            date,
            depths,
            device,
            cartridge_lot,
            skin,
            passes,
            numbing_cream,
            numbing_minutes,
            glide_product,
            glide_lot,
            endpoint,
            duration_minutes,
            reaction,
            notes,
            confirm_above_ceiling,
            override_reason,
        } => {
            let draft = clinic.session_draft(s, ids::PlannedSessionId(*planned))?;
            let mut input = draft.input;
            input.date = date.clone();
            if !depths.is_empty() {
                input.depths = depths
                    .iter()
                    .map(|d| {
                        let (zone, mm) = d.split_once('=').ok_or_else(|| {
                            fail(
                                ErrorCode::Validation,
                                Some("depths"),
                                format!("\"{d}\" is not ZONE=MM, e.g. cheeks_chin=1.0."),
                            )
                        })?;
                        Ok(ZoneDepthInput {
                            zone: word("depth_zone", zone)?,
                            depth_mm: mm.to_string(),
                        })
                    })
                    .collect::<Result<_, ApiError>>()?;
            }
            let set = |target: &mut String, v: &Option<String>| {
                if let Some(v) = v {
                    *target = v.clone();
                }
            };
            set(&mut input.device, device);
            set(&mut input.cartridge_lot, cartridge_lot);
            set(&mut input.numbing_cream, numbing_cream);
            set(&mut input.glide_product, glide_product);
            set(&mut input.glide_lot, glide_lot);
            if let Some(v) = skin {
                input.skin = word("skin", v)?;
            }
            if let Some(v) = endpoint {
                input.endpoint = word("endpoint", v)?;
            }
            input.passes = passes.unwrap_or(input.passes);
            input.numbing_minutes = numbing_minutes.or(input.numbing_minutes);
            input.duration_minutes = *duration_minutes;
            input.immediate_reaction = reaction.clone();
            input.notes = notes.clone();
            input.confirm_above_ceiling = *confirm_above_ceiling;
            input.screening_override_reason = override_reason.clone();
            let r = clinic.record_session(s, ids::PlannedSessionId(*planned), &input)?;
            print(json, &r, |r| {
                let mut out = format!("Session {} recorded.\n{}", r.n, record_line(r));
                for w in &r.warnings {
                    out.push_str(&format!("\n! {w}"));
                }
                out
            })
        }
        SessionCommand::Healing {
            session: id,
            redness_days,
            flaking_days,
            events,
            date,
            notes,
        } => {
            let events = events
                .iter()
                .map(|e| {
                    let (kind, description) = e.split_once(':').unwrap_or((e.as_str(), ""));
                    Ok(AdverseEventInput {
                        kind: word("event", kind)?,
                        description: description.trim().to_string(),
                    })
                })
                .collect::<Result<_, ApiError>>()?;
            let out = clinic.record_healing(
                s,
                ids::SessionRecordId(*id),
                &HealingInput {
                    reported_on: date.clone().unwrap_or_else(|| today.to_string()),
                    redness_days: *redness_days,
                    flaking_days: *flaking_days,
                    events,
                    notes: notes.clone(),
                },
            )?;
            print(json, &out, |o| {
                let mut lines = vec![format!("Healing after session {} recorded.", o.record.n)];
                match o.record.healing.as_ref().map(|h| h.decision.as_str()) {
                    Some(d) if !d.is_empty() => lines.push(format!("→ {d}")),
                    _ => lines.push("The plan is unchanged.".into()),
                }
                lines.push(format!("Plan {}: {}", o.plan.id, o.plan.status.as_str()));
                for p in &o.plan.sessions {
                    lines.push(format!(
                        "session {}  {}  {}",
                        p.n,
                        p.date.format("%a %Y-%m-%d"),
                        p.status.as_str()
                    ));
                }
                lines.join("\n")
            })
        }
        SessionCommand::List { patient } => {
            let list = clinic.session_records(s, ids::PatientId(*patient))?;
            print(json, &list, |l| {
                if l.is_empty() {
                    "No sessions recorded.".into()
                } else {
                    l.iter().map(record_line).collect::<Vec<_>>().join("\n")
                }
            })
        }
    }
}

fn photo_line(p: &Photo) -> String {
    format!(
        "photo {}  {}  {} {}  {}×{}  {}",
        p.id,
        p.taken_on,
        p.area.as_str(),
        p.angle.as_str(),
        p.width,
        p.height,
        &p.sha256[..12.min(p.sha256.len())]
    )
}

pub fn photo(clinic: &Clinic, s: &Actor, cmd: &PhotoCommand, json: bool) -> Result<(), ApiError> {
    match cmd {
        PhotoCommand::Import {
            patient,
            file,
            area,
            angle,
            date,
            session,
            assessment,
        } => {
            let p = clinic.import_photo_file(
                s,
                ids::PatientId(*patient),
                &PhotoImport {
                    path: file.display().to_string(),
                    tags: PhotoTags {
                        taken_on: date.clone(),
                        area: word("area", area)?,
                        angle: word("angle", angle)?,
                        session_record_id: session.map(ids::SessionRecordId),
                        assessment_id: assessment.map(ids::AssessmentId),
                    },
                },
            )?;
            print(json, &p, |p| {
                format!("Imported (metadata removed).\n{}", photo_line(p))
            })
        }
        PhotoCommand::Delete { id } => {
            clinic.delete_photo(s, ids::PhotoId(*id))?;
            print(json, &serde_json::json!({ "deleted": id }), |_| {
                format!("Photo {id} deleted.")
            })
        }
        PhotoCommand::List { patient } => {
            let list = clinic.photos(s, ids::PatientId(*patient))?;
            print(json, &list, |l| {
                if l.is_empty() {
                    "No photos.".into()
                } else {
                    l.iter().map(photo_line).collect::<Vec<_>>().join("\n")
                }
            })
        }
    }
}

/// `dermis adverse-events [--kind K] [--from D] [--to D] [--lot L] [--out FILE]`.
pub fn adverse_events(
    clinic: &Clinic,
    s: &Actor,
    filter: &AdverseEventFilter,
    out: Option<&std::path::Path>,
    json: bool,
) -> Result<(), ApiError> {
    if let Some(path) = out {
        let n = clinic.export_adverse_events(s, filter, path)?;
        let summary = serde_json::json!({ "path": path.display().to_string(), "events": n });
        return print(json, &summary, |_| {
            format!(
                "{n} adverse events written to {} (CSV, UTF-8).",
                path.display()
            )
        });
    }
    let list = clinic.adverse_events(s, filter)?;
    print(json, &list, |l| {
        if l.is_empty() {
            return "No adverse events.".into();
        }
        l.iter()
            .map(|e| {
                format!(
                    "{}  {}  {} {} {}  session {} on {}  cartridge {}  glide lot {}",
                    e.reported_on,
                    e.kind.label(),
                    e.patient_number,
                    e.first_name,
                    e.last_name,
                    e.n,
                    e.session_date,
                    e.cartridge_lot,
                    e.glide_lot
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}
