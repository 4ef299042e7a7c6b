//! What was done at each visit (PRODUCT.md 4.5): the session record, its
//! validation against the depth chart's ceilings, and copy-forward of the
//! last visit's settings.

use super::depth::{
    format_mm, parse_mm, DepthZone, SkinThickness, ZoneDepthChart, MAX_DEPTH_UM, MIN_DEPTH_UM,
};
use super::healing::HealingReport;
use crate::error::{Collector, ValidationErrors};
use crate::ids::{PatientId, PlanId, PlannedSessionId, SessionRecordId};
use crate::validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The endpoint reached at the end of the treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Endpoint {
    Erythema,
    PinpointBleeding,
    NotReached,
}

impl Endpoint {
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Erythema => "erythema",
            Endpoint::PinpointBleeding => "pinpoint_bleeding",
            Endpoint::NotReached => "not_reached",
        }
    }

    pub fn parse(s: &str) -> Option<Endpoint> {
        [
            Endpoint::Erythema,
            Endpoint::PinpointBleeding,
            Endpoint::NotReached,
        ]
        .into_iter()
        .find(|e| e.as_str() == s.trim())
    }
}

/// One zone's depth as typed on the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZoneDepthInput {
    pub zone: DepthZone,
    /// Millimetres, e.g. `"1.25"`.
    pub depth_mm: String,
}

/// The session form (PRODUCT.md 4.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionRecordInput {
    /// The day the session took place, `YYYY-MM-DD`.
    pub date: String,
    pub numbing_cream: String,
    pub numbing_minutes: Option<u32>,
    pub device: String,
    pub cartridge_lot: String,
    pub skin: SkinThickness,
    pub depths: Vec<ZoneDepthInput>,
    pub passes: u32,
    pub glide_product: String,
    pub glide_lot: String,
    pub endpoint: Endpoint,
    pub immediate_reaction: String,
    pub duration_minutes: Option<u32>,
    pub notes: String,
    /// The practitioner confirms depths above the chart's ceiling for this skin.
    pub confirm_above_ceiling: bool,
    /// Required when the patient's screening blocks treatment (PRODUCT.md 4.3).
    pub screening_override_reason: String,
}

/// A recorded depth; `above_ceiling` when it exceeded the chart (and was confirmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZoneDepth {
    pub zone: DepthZone,
    pub depth_um: u32,
    pub above_ceiling: bool,
}

/// A checked session form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSessionRecord {
    pub date: NaiveDate,
    pub numbing_cream: String,
    pub numbing_minutes: Option<u32>,
    pub device: String,
    pub cartridge_lot: String,
    pub skin: SkinThickness,
    pub depths: Vec<ZoneDepth>,
    pub passes: u32,
    pub glide_product: String,
    pub glide_lot: String,
    pub endpoint: Endpoint,
    pub immediate_reaction: String,
    pub duration_minutes: Option<u32>,
    pub notes: String,
    /// True when some depth was above its ceiling and the practitioner confirmed it.
    pub ceiling_confirmed: bool,
    pub screening_override_reason: String,
}

/// A recorded session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionRecord {
    pub id: SessionRecordId,
    pub patient_id: PatientId,
    pub plan_id: PlanId,
    pub planned_session_id: PlannedSessionId,
    /// The session's number in its plan.
    pub n: u32,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub numbing_cream: String,
    pub numbing_minutes: Option<u32>,
    pub device: String,
    pub cartridge_lot: String,
    pub skin: SkinThickness,
    pub depths: Vec<ZoneDepth>,
    pub passes: u32,
    pub glide_product: String,
    pub glide_lot: String,
    pub endpoint: Endpoint,
    pub immediate_reaction: String,
    pub duration_minutes: Option<u32>,
    pub notes: String,
    pub ceiling_confirmed: bool,
    pub screening_override_reason: String,
    /// Who recorded it (user name) — the practitioner who treated.
    pub practitioner: String,
    pub created_at: String,
    /// Warnings of the screening in force, shown at session start.
    pub warnings: Vec<String>,
    pub healing: Option<HealingReport>,
}

pub(super) const SHORT_TEXT: usize = 200;
pub(super) const LONG_TEXT: usize = 2000;

/// Checks the session form against the clinic's depth chart. Every invalid
/// field is reported at once; a depth above its ceiling without the
/// confirmation is an error on that zone's depth (`depth.<zone>`).
pub fn validate_record(
    input: &SessionRecordInput,
    chart: &[ZoneDepthChart],
    today: NaiveDate,
) -> Result<ValidSessionRecord, ValidationErrors> {
    let mut c = Collector::default();
    let date = c.check(validate::past_date(
        "date",
        "Session date",
        &input.date,
        today,
    ));
    let text = |c: &mut Collector, field: &str, label: &str, raw: &str, max: usize| {
        c.check(validate::text(field, label, raw, max))
            .unwrap_or_default()
    };
    let numbing_cream = text(
        &mut c,
        "numbing_cream",
        "Numbing cream",
        &input.numbing_cream,
        SHORT_TEXT,
    );
    if let Some(m) = input.numbing_minutes {
        if m > 180 {
            c.push(
                "numbing_minutes",
                format!("Numbing contact time of {m} minutes is too long; enter at most 180."),
            );
        }
    }
    let device = text(&mut c, "device", "Device", &input.device, SHORT_TEXT);
    if device.is_empty() {
        c.push("device", "Enter the device used.");
    }
    let cartridge_lot = text(
        &mut c,
        "cartridge_lot",
        "Cartridge lot",
        &input.cartridge_lot,
        SHORT_TEXT,
    );
    if input.depths.is_empty() {
        c.push("depths", "Enter the needle depth of at least one zone.");
    }
    let mut depths = Vec::new();
    let mut above = Vec::new();
    for (i, d) in input.depths.iter().enumerate() {
        let field = format!("depth.{}", d.zone.as_str());
        if input.depths[..i].iter().any(|e| e.zone == d.zone) {
            c.push(&field, format!("{} is entered twice.", d.zone.label()));
            continue;
        }
        let Some(um) = parse_mm(&d.depth_mm) else {
            c.push(
                &field,
                format!(
                    "{}: \"{}\" is not a depth; enter millimetres, e.g. 0.5.",
                    d.zone.label(),
                    d.depth_mm.trim()
                ),
            );
            continue;
        };
        if !(MIN_DEPTH_UM..=MAX_DEPTH_UM).contains(&um) {
            c.push(
                &field,
                format!(
                    "{}: a depth of {} mm is not possible; enter between {} and {} mm.",
                    d.zone.label(),
                    format_mm(um),
                    format_mm(MIN_DEPTH_UM),
                    format_mm(MAX_DEPTH_UM)
                ),
            );
            continue;
        }
        let ceiling = chart
            .iter()
            .find(|z| z.zone == d.zone)
            .map(|z| z.range(input.skin).max_um);
        let over = ceiling.is_some_and(|top| um > top);
        if over && !input.confirm_above_ceiling {
            above.push((field.clone(), d.zone, um, ceiling.unwrap_or(0)));
        }
        depths.push(ZoneDepth {
            zone: d.zone,
            depth_um: um,
            above_ceiling: over,
        });
    }
    for (field, zone, um, top) in above {
        c.push(
            &field,
            format!(
                "{}: {} mm is above the {} mm ceiling for {} skin; confirm the depth to go ahead.",
                zone.label(),
                format_mm(um),
                format_mm(top),
                input.skin.as_str()
            ),
        );
    }
    if !(1..=20).contains(&input.passes) {
        c.push("passes", "Enter the number of passes, from 1 to 20.");
    }
    let glide_product = text(
        &mut c,
        "glide_product",
        "Glide or serum",
        &input.glide_product,
        SHORT_TEXT,
    );
    let glide_lot = text(
        &mut c,
        "glide_lot",
        "Glide or serum lot",
        &input.glide_lot,
        SHORT_TEXT,
    );
    let immediate_reaction = text(
        &mut c,
        "immediate_reaction",
        "Immediate reaction",
        &input.immediate_reaction,
        LONG_TEXT,
    );
    if let Some(m) = input.duration_minutes {
        if !(1..=480).contains(&m) {
            c.push(
                "duration_minutes",
                "Enter the session's duration in minutes, from 1 to 480.",
            );
        }
    }
    let notes = text(&mut c, "notes", "Notes", &input.notes, LONG_TEXT);
    let screening_override_reason = text(
        &mut c,
        "screening_override_reason",
        "Override reason",
        &input.screening_override_reason,
        LONG_TEXT,
    );
    c.finish()?;
    let ceiling_confirmed = depths.iter().any(|d| d.above_ceiling);
    Ok(ValidSessionRecord {
        date: date.unwrap_or(today),
        numbing_cream,
        numbing_minutes: input.numbing_minutes,
        device,
        cartridge_lot,
        skin: input.skin,
        depths,
        passes: input.passes,
        glide_product,
        glide_lot,
        endpoint: input.endpoint,
        immediate_reaction,
        duration_minutes: input.duration_minutes,
        notes,
        ceiling_confirmed,
        screening_override_reason,
    })
}

/// A new session form: the previous session's settings copied forward
/// (numbing, device, cartridge lot, skin, depths, passes, glide and its lot,
/// endpoint), dated `today`. What belongs to one visit only — the reaction,
/// duration, notes, confirmations — starts empty.
pub fn draft_record(previous: Option<&SessionRecord>, today: NaiveDate) -> SessionRecordInput {
    let blank = SessionRecordInput {
        date: today.to_string(),
        numbing_cream: String::new(),
        numbing_minutes: None,
        device: String::new(),
        cartridge_lot: String::new(),
        skin: SkinThickness::Thin,
        depths: vec![],
        passes: 3,
        glide_product: String::new(),
        glide_lot: String::new(),
        endpoint: Endpoint::Erythema,
        immediate_reaction: String::new(),
        duration_minutes: None,
        notes: String::new(),
        confirm_above_ceiling: false,
        screening_override_reason: String::new(),
    };
    match previous {
        None => blank,
        Some(p) => SessionRecordInput {
            numbing_cream: p.numbing_cream.clone(),
            numbing_minutes: p.numbing_minutes,
            device: p.device.clone(),
            cartridge_lot: p.cartridge_lot.clone(),
            skin: p.skin,
            depths: p
                .depths
                .iter()
                .map(|d| ZoneDepthInput {
                    zone: d.zone,
                    depth_mm: format_mm(d.depth_um),
                })
                .collect(),
            passes: p.passes,
            glide_product: p.glide_product.clone(),
            glide_lot: p.glide_lot.clone(),
            endpoint: p.endpoint,
            ..blank
        },
    }
}
