//! Session records and healing follow-up (PRODUCT.md 4.5 and 4.4): what was
//! done at each visit, the needle-depth chart with its ceilings, copy-forward
//! of the last visit's settings, how the skin healed, adverse events, and the
//! progress of the Goodman & Baron score over time (4.1).
//!
//! Depths are integer micrometres inside the program and millimetre decimal
//! text at the edges ("1.25"), so no float is ever compared for equality.

use crate::error::{Collector, FieldError, ValidationErrors};
use crate::validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The zones of the needle-depth chart (a manufacturer's chart, PRODUCT.md 4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DepthZone {
    Forehead,
    Nose,
    AroundEyes,
    Cheekbones,
    CheeksChin,
    UpperLip,
    ScarredAreas,
}

impl DepthZone {
    pub const ALL: [DepthZone; 7] = [
        DepthZone::Forehead,
        DepthZone::Nose,
        DepthZone::AroundEyes,
        DepthZone::Cheekbones,
        DepthZone::CheeksChin,
        DepthZone::UpperLip,
        DepthZone::ScarredAreas,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DepthZone::Forehead => "forehead",
            DepthZone::Nose => "nose",
            DepthZone::AroundEyes => "around_eyes",
            DepthZone::Cheekbones => "cheekbones",
            DepthZone::CheeksChin => "cheeks_chin",
            DepthZone::UpperLip => "upper_lip",
            DepthZone::ScarredAreas => "scarred_areas",
        }
    }

    pub fn parse(s: &str) -> Option<DepthZone> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        DepthZone::ALL.into_iter().find(|z| z.as_str() == s)
    }

    /// The zone's name as staff read it.
    pub fn label(self) -> &'static str {
        match self {
            DepthZone::Forehead => "Forehead",
            DepthZone::Nose => "Nose",
            DepthZone::AroundEyes => "Around the eyes",
            DepthZone::Cheekbones => "Cheekbones",
            DepthZone::CheeksChin => "Cheeks and chin",
            DepthZone::UpperLip => "Upper lip",
            DepthZone::ScarredAreas => "Scarred areas",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SkinThickness {
    Thin,
    Thick,
}

impl SkinThickness {
    pub fn as_str(self) -> &'static str {
        match self {
            SkinThickness::Thin => "thin",
            SkinThickness::Thick => "thick",
        }
    }

    pub fn parse(s: &str) -> Option<SkinThickness> {
        [SkinThickness::Thin, SkinThickness::Thick]
            .into_iter()
            .find(|t| t.as_str() == s.trim())
    }
}

/// A depth range in micrometres (1000 µm = 1 mm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DepthRange {
    pub min_um: u32,
    pub max_um: u32,
}

/// One zone of the clinic's depth chart: the usual range for thin and thick
/// skin; the top of the range is the ceiling above which a depth needs an
/// explicit confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZoneDepthChart {
    pub zone: DepthZone,
    pub thin: DepthRange,
    pub thick: DepthRange,
}

impl ZoneDepthChart {
    pub fn range(&self, skin: SkinThickness) -> DepthRange {
        match skin {
            SkinThickness::Thin => self.thin,
            SkinThickness::Thick => self.thick,
        }
    }
}

/// The deepest any device in a clinic goes; deeper is a typing mistake.
pub const MAX_DEPTH_UM: u32 = 3000;

/// The shallowest depth a needle is set to (0.05 mm); less is a typing mistake.
pub const MIN_DEPTH_UM: u32 = 50;

/// The manufacturer's chart of PRODUCT.md 4.5 (mm, thin / thick skin).
pub fn default_depth_chart() -> Vec<ZoneDepthChart> {
    let r = |min_um, max_um| DepthRange { min_um, max_um };
    vec![
        ZoneDepthChart {
            zone: DepthZone::Forehead,
            thin: r(250, 500),
            thick: r(500, 750),
        },
        ZoneDepthChart {
            zone: DepthZone::Nose,
            thin: r(250, 250),
            thick: r(500, 500),
        },
        ZoneDepthChart {
            zone: DepthZone::AroundEyes,
            thin: r(250, 250),
            thick: r(250, 500),
        },
        ZoneDepthChart {
            zone: DepthZone::Cheekbones,
            thin: r(500, 500),
            thick: r(500, 1000),
        },
        ZoneDepthChart {
            zone: DepthZone::CheeksChin,
            thin: r(500, 1000),
            thick: r(1000, 2000),
        },
        ZoneDepthChart {
            zone: DepthZone::UpperLip,
            thin: r(250, 250),
            thick: r(250, 750),
        },
        ZoneDepthChart {
            zone: DepthZone::ScarredAreas,
            thin: r(1000, 1250),
            thick: r(1500, 2000),
        },
    ]
}

/// Checks an edited depth chart: every zone exactly once, each range within
/// 0.05–3 mm with its lower end not above its upper end.
pub fn validate_depth_chart(
    chart: &[ZoneDepthChart],
) -> Result<Vec<ZoneDepthChart>, ValidationErrors> {
    let mut c = Collector::default();
    for zone in DepthZone::ALL {
        let n = chart.iter().filter(|z| z.zone == zone).count();
        if n != 1 {
            c.push(
                &format!("depth_chart.{}", zone.as_str()),
                format!("{} must appear once in the depth chart.", zone.label()),
            );
        }
    }
    for z in chart {
        for (skin, r) in [("thin", z.thin), ("thick", z.thick)] {
            let field = format!("depth_chart.{}.{skin}", z.zone.as_str());
            if r.min_um < MIN_DEPTH_UM || r.max_um > MAX_DEPTH_UM {
                c.push(
                    &field,
                    format!(
                        "{} ({skin} skin): depths must be between {} and {} mm.",
                        z.zone.label(),
                        format_mm(MIN_DEPTH_UM),
                        format_mm(MAX_DEPTH_UM)
                    ),
                );
            } else if r.min_um > r.max_um {
                c.push(
                    &field,
                    format!(
                        "{} ({skin} skin): the lowest depth is above the highest.",
                        z.zone.label()
                    ),
                );
            }
        }
    }
    c.finish()?;
    let mut out = chart.to_vec();
    out.sort_by_key(|z| z.zone);
    Ok(out)
}

/// `1250` → `"1.25"`, `500` → `"0.5"`, `1000` → `"1.0"`.
pub fn format_mm(um: u32) -> String {
    let whole = um / 1000;
    let frac = format!("{:03}", um % 1000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{whole}.0")
    } else {
        format!("{whole}.{frac}")
    }
}

/// A depth typed in millimetres (`1.25`, `1,25`, `.5`, `2`) → micrometres.
/// At most three decimals; the range check is the caller's.
pub fn parse_mm(raw: &str) -> Option<u32> {
    let s = raw.trim().trim_end_matches("mm").trim().replace(',', ".");
    if s.is_empty() || s.starts_with('-') || s.starts_with('+') {
        return None;
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 3
        || (whole.is_empty() && frac.is_empty())
        || whole.len() > 3
    {
        return None;
    }
    let w: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: u32 = format!("{frac:0<3}").parse().ok()?;
    Some(w * 1000 + f)
}

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
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub patient_id: i64,
    #[ts(type = "number")]
    pub plan_id: i64,
    #[ts(type = "number")]
    pub planned_session_id: i64,
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

const SHORT_TEXT: usize = 200;
const LONG_TEXT: usize = 2000;

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

/// Adverse events after a session (PRODUCT.md 4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AdverseEventKind {
    Erythema,
    Oedema,
    Pih,
    AcneFlare,
    Infection,
    HerpesReactivation,
    TramTrackScarring,
    Granuloma,
    Other,
}

impl AdverseEventKind {
    pub const ALL: [AdverseEventKind; 9] = [
        AdverseEventKind::Erythema,
        AdverseEventKind::Oedema,
        AdverseEventKind::Pih,
        AdverseEventKind::AcneFlare,
        AdverseEventKind::Infection,
        AdverseEventKind::HerpesReactivation,
        AdverseEventKind::TramTrackScarring,
        AdverseEventKind::Granuloma,
        AdverseEventKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdverseEventKind::Erythema => "erythema",
            AdverseEventKind::Oedema => "oedema",
            AdverseEventKind::Pih => "pih",
            AdverseEventKind::AcneFlare => "acne_flare",
            AdverseEventKind::Infection => "infection",
            AdverseEventKind::HerpesReactivation => "herpes_reactivation",
            AdverseEventKind::TramTrackScarring => "tram_track_scarring",
            AdverseEventKind::Granuloma => "granuloma",
            AdverseEventKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<AdverseEventKind> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        AdverseEventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AdverseEventKind::Erythema => "Prolonged erythema",
            AdverseEventKind::Oedema => "Oedema",
            AdverseEventKind::Pih => "Post-inflammatory hyperpigmentation",
            AdverseEventKind::AcneFlare => "Acne flare",
            AdverseEventKind::Infection => "Infection",
            AdverseEventKind::HerpesReactivation => "Herpes reactivation",
            AdverseEventKind::TramTrackScarring => "Tram-track scarring",
            AdverseEventKind::Granuloma => "Granuloma",
            AdverseEventKind::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEventInput {
    pub kind: AdverseEventKind,
    /// What happened; required for "other".
    pub description: String,
}

/// The follow-up form: how the last session healed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HealingInput {
    /// When the patient reported it (at the next visit or by phone), `YYYY-MM-DD`.
    pub reported_on: String,
    pub redness_days: u32,
    pub flaking_days: u32,
    pub events: Vec<AdverseEventInput>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: AdverseEventKind,
    pub description: String,
}

/// How a session healed, and what that did to the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HealingReport {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub session_record_id: i64,
    #[ts(type = "string")]
    pub reported_on: NaiveDate,
    pub redness_days: u32,
    pub flaking_days: u32,
    pub events: Vec<AdverseEvent>,
    pub notes: String,
    /// The plan change it caused, in one sentence (empty when none).
    pub decision: String,
    pub recorded_by: String,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHealing {
    pub reported_on: NaiveDate,
    pub redness_days: u32,
    pub flaking_days: u32,
    pub events: Vec<AdverseEventInput>,
    pub notes: String,
}

/// Checks the follow-up form: reported on or after the session, not in the
/// future; day counts up to 90; each event at most once, "other" described.
pub fn validate_healing(
    input: &HealingInput,
    session_date: NaiveDate,
    today: NaiveDate,
) -> Result<ValidHealing, ValidationErrors> {
    let mut c = Collector::default();
    let reported_on = c.check(
        validate::past_date("reported_on", "Report date", &input.reported_on, today).and_then(
            |d| {
                if d < session_date {
                    Err(FieldError::new(
                        "reported_on",
                        format!("The report date {d} is before the session on {session_date}."),
                    ))
                } else {
                    Ok(d)
                }
            },
        ),
    );
    for (field, v, label) in [
        ("redness_days", input.redness_days, "redness"),
        ("flaking_days", input.flaking_days, "flaking"),
    ] {
        if v > 90 {
            c.push(
                field,
                format!("{v} days of {label} is more than 90; check the number."),
            );
        }
    }
    let mut events = Vec::new();
    for (i, e) in input.events.iter().enumerate() {
        let field = format!("events.{}", e.kind.as_str());
        if input.events[..i].iter().any(|x| x.kind == e.kind) {
            c.push(&field, format!("{} is listed twice.", e.kind.label()));
            continue;
        }
        let description = c
            .check(validate::text(
                &field,
                "The description",
                &e.description,
                LONG_TEXT,
            ))
            .unwrap_or_default();
        if e.kind == AdverseEventKind::Other && description.is_empty() {
            c.push(&field, "Describe the adverse event.");
        }
        events.push(AdverseEventInput {
            kind: e.kind,
            description,
        });
    }
    let notes = c
        .check(validate::text("notes", "Notes", &input.notes, LONG_TEXT))
        .unwrap_or_default();
    c.finish()?;
    Ok(ValidHealing {
        reported_on: reported_on.unwrap_or(today),
        redness_days: input.redness_days,
        flaking_days: input.flaking_days,
        events,
        notes,
    })
}

/// One row of the adverse-event register: the event, the patient, and the
/// session's parameters and product lots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEventEntry {
    #[ts(type = "number")]
    pub event_id: i64,
    pub kind: AdverseEventKind,
    pub description: String,
    #[ts(type = "string")]
    pub reported_on: NaiveDate,
    #[ts(type = "number")]
    pub patient_id: i64,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    #[ts(type = "number")]
    pub session_record_id: i64,
    #[ts(type = "string")]
    pub session_date: NaiveDate,
    pub n: u32,
    pub device: String,
    pub cartridge_lot: String,
    pub depths: Vec<ZoneDepth>,
    pub passes: u32,
    pub numbing_cream: String,
    pub glide_product: String,
    pub glide_lot: String,
    pub practitioner: String,
}

/// Filters of the adverse-event register; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdverseEventFilter {
    pub kind: Option<AdverseEventKind>,
    /// First report date, `YYYY-MM-DD` or empty.
    pub from: String,
    /// Last report date, `YYYY-MM-DD` or empty.
    pub to: String,
    /// Matches the cartridge lot or the glide lot (part of it, any case).
    pub lot: String,
}

/// The register filter, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidEventFilter {
    pub kind: Option<AdverseEventKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub lot: String,
}

pub fn validate_event_filter(f: &AdverseEventFilter) -> Result<ValidEventFilter, ValidationErrors> {
    let mut c = Collector::default();
    let opt_date = |c: &mut Collector, field: &str, label: &str, raw: &str| {
        if raw.trim().is_empty() {
            None
        } else {
            c.check(validate::date(field, label, raw))
        }
    };
    let from = opt_date(&mut c, "from", "From", &f.from);
    let to = opt_date(&mut c, "to", "To", &f.to);
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            c.push("to", "The last day is before the first day.");
        }
    }
    let lot = c
        .check(validate::text("lot", "Lot", &f.lot, SHORT_TEXT))
        .unwrap_or_default();
    c.finish()?;
    Ok(ValidEventFilter {
        kind: f.kind,
        from,
        to,
        lot,
    })
}

/// One assessment on the progress chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProgressPoint {
    #[ts(type = "number")]
    pub assessment_id: i64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub score: u32,
    pub grade: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProgressVerdict {
    /// Fewer than two assessments.
    NotEnoughData,
    /// The change is within ±4 points: inter-rater variation (PRODUCT.md 4.1).
    NoClearChange,
    Improved,
    Worse,
}

/// The Goodman & Baron score over time (PRODUCT.md 4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Progress {
    /// Oldest first; the first is the baseline.
    pub points: Vec<ProgressPoint>,
    pub baseline: Option<u32>,
    pub latest: Option<u32>,
    /// Latest minus baseline (negative = fewer scar points = better).
    pub change: Option<i32>,
    /// (baseline − latest) / baseline in whole percent, rounded half away from zero.
    pub improvement_percent: Option<i32>,
    pub verdict: ProgressVerdict,
    /// One sentence for the record and the progress summary.
    pub summary: String,
}

/// A change of this many points or fewer is "no clear change".
pub const NO_CLEAR_CHANGE_POINTS: i32 = 4;

/// Builds the progress of a patient from their assessments (any order).
pub fn progress(points: &[ProgressPoint]) -> Progress {
    let mut points = points.to_vec();
    points.sort_by_key(|p| (p.date, p.assessment_id));
    let baseline = points.first().map(|p| p.score);
    let latest = points.last().map(|p| p.score);
    if points.len() < 2 {
        return Progress {
            points,
            baseline,
            latest,
            change: None,
            improvement_percent: None,
            verdict: ProgressVerdict::NotEnoughData,
            summary: "One assessment so far: progress shows from the second assessment on.".into(),
        };
    }
    let (b, l) = (baseline.unwrap_or(0) as i32, latest.unwrap_or(0) as i32);
    let change = l - b;
    let improvement_percent = (b > 0).then(|| {
        let num = (b - l) * 100;
        // Round half away from zero, in integers.
        if num >= 0 {
            (num + b / 2) / b
        } else {
            -((-num + b / 2) / b)
        }
    });
    let verdict = if change.abs() <= NO_CLEAR_CHANGE_POINTS {
        ProgressVerdict::NoClearChange
    } else if change < 0 {
        ProgressVerdict::Improved
    } else {
        ProgressVerdict::Worse
    };
    let pct = improvement_percent
        .map(|p| format!(" ({p}% improvement)"))
        .unwrap_or_default();
    let summary = match verdict {
        ProgressVerdict::NoClearChange => format!(
            "Score {b} → {l}: no clear change (a change of {NO_CLEAR_CHANGE_POINTS} points or less is within the variation between assessors)."
        ),
        ProgressVerdict::Improved => format!("Score {b} → {l}{pct} since the baseline."),
        ProgressVerdict::Worse => format!(
            "Score {b} → {l}: worse than the baseline by {change} points."
        ),
        ProgressVerdict::NotEnoughData => String::new(),
    };
    Progress {
        points,
        baseline,
        latest,
        change: Some(change),
        improvement_percent,
        verdict,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(depths: &[(DepthZone, &str)]) -> SessionRecordInput {
        SessionRecordInput {
            depths: depths
                .iter()
                .map(|(z, mm)| ZoneDepthInput {
                    zone: *z,
                    depth_mm: mm.to_string(),
                })
                .collect(),
            device: "Pen A6".into(),
            ..draft_record(None, d("2026-03-02"))
        }
    }

    #[test]
    fn millimetres_parse_to_micrometres_and_back() {
        assert_eq!(parse_mm("1.25"), Some(1250));
        assert_eq!(parse_mm("1,5"), Some(1500));
        assert_eq!(parse_mm(".5"), Some(500));
        assert_eq!(parse_mm("2"), Some(2000));
        assert_eq!(parse_mm("0.5 mm"), Some(500));
        for bad in ["", "abc", "-1", "1.2345", "1.2.3", "."] {
            assert_eq!(parse_mm(bad), None, "{bad}");
        }
        assert_eq!(format_mm(1250), "1.25");
        assert_eq!(format_mm(500), "0.5");
        assert_eq!(format_mm(1000), "1.0");
    }

    #[test]
    fn a_depth_of_zero_or_five_millimetres_is_refused() {
        let chart = default_depth_chart();
        for mm in ["0", "5", "3.5"] {
            let e = validate_record(
                &input(&[(DepthZone::Forehead, mm)]),
                &chart,
                d("2026-03-02"),
            )
            .unwrap_err();
            assert_eq!(e.fields()[0].field, "depth.forehead", "{mm}");
            assert!(e.fields()[0].message.contains("not possible"), "{mm}");
        }
    }

    #[test]
    fn a_depth_above_the_ceiling_needs_a_confirmation_which_is_recorded() {
        let chart = default_depth_chart();
        let today = d("2026-03-02");
        // Cheeks and chin on thin skin: ceiling 1.0 mm.
        let mut i = input(&[(DepthZone::CheeksChin, "1.5"), (DepthZone::Forehead, "0.5")]);
        let e = validate_record(&i, &chart, today).unwrap_err();
        assert_eq!(e.fields().len(), 1);
        assert_eq!(e.fields()[0].field, "depth.cheeks_chin");
        assert!(e.fields()[0]
            .message
            .contains("above the 1.0 mm ceiling for thin skin"));
        i.confirm_above_ceiling = true;
        let v = validate_record(&i, &chart, today).unwrap();
        assert!(v.ceiling_confirmed);
        assert!(v.depths[0].above_ceiling && !v.depths[1].above_ceiling);
        // The same depth on thick skin is within the chart: no confirmation.
        i.confirm_above_ceiling = false;
        i.skin = SkinThickness::Thick;
        let v = validate_record(&i, &chart, today).unwrap();
        assert!(!v.ceiling_confirmed);
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let mut i = input(&[]);
        i.device = "  ".into();
        i.passes = 0;
        i.date = "2026-03-09".into();
        let e = validate_record(&i, &default_depth_chart(), d("2026-03-02")).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["date", "device", "depths", "passes"]);
    }

    #[test]
    fn the_draft_copies_the_previous_settings_forward_but_not_the_visit() {
        let today = d("2026-04-06");
        let prev = SessionRecord {
            id: 1,
            patient_id: 1,
            plan_id: 1,
            planned_session_id: 1,
            n: 1,
            date: d("2026-03-02"),
            numbing_cream: "Lidocaine 5%".into(),
            numbing_minutes: Some(30),
            device: "Pen A6".into(),
            cartridge_lot: "LOT-77".into(),
            skin: SkinThickness::Thick,
            depths: vec![ZoneDepth {
                zone: DepthZone::CheeksChin,
                depth_um: 1250,
                above_ceiling: false,
            }],
            passes: 4,
            glide_product: "HA serum".into(),
            glide_lot: "G-1".into(),
            endpoint: Endpoint::PinpointBleeding,
            immediate_reaction: "Redness".into(),
            duration_minutes: Some(45),
            notes: "Tolerated well".into(),
            ceiling_confirmed: true,
            screening_override_reason: "x".into(),
            practitioner: "dr".into(),
            created_at: String::new(),
            warnings: vec![],
            healing: None,
        };
        let draft = draft_record(Some(&prev), today);
        assert_eq!(draft.date, "2026-04-06");
        assert_eq!(draft.numbing_cream, "Lidocaine 5%");
        assert_eq!(draft.numbing_minutes, Some(30));
        assert_eq!(draft.cartridge_lot, "LOT-77");
        assert_eq!(draft.skin, SkinThickness::Thick);
        assert_eq!(draft.depths[0].depth_mm, "1.25");
        assert_eq!(draft.passes, 4);
        assert_eq!(draft.glide_lot, "G-1");
        assert_eq!(draft.endpoint, Endpoint::PinpointBleeding);
        assert!(draft.notes.is_empty() && draft.immediate_reaction.is_empty());
        assert_eq!(draft.duration_minutes, None);
        assert!(!draft.confirm_above_ceiling);
        assert!(draft.screening_override_reason.is_empty());
    }

    #[test]
    fn the_default_chart_is_valid_and_edits_are_checked() {
        assert!(validate_depth_chart(&default_depth_chart()).is_ok());
        let mut c = default_depth_chart();
        c[0].thin = DepthRange {
            min_um: 600,
            max_um: 500,
        };
        c.pop();
        let e = validate_depth_chart(&c).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["depth_chart.scarred_areas", "depth_chart.forehead.thin"]
        );
    }

    #[test]
    fn healing_reports_are_dated_after_the_session_and_other_is_described() {
        let input = HealingInput {
            reported_on: "2026-03-01".into(),
            redness_days: 120,
            flaking_days: 2,
            events: vec![
                AdverseEventInput {
                    kind: AdverseEventKind::Other,
                    description: " ".into(),
                },
                AdverseEventInput {
                    kind: AdverseEventKind::Other,
                    description: "x".into(),
                },
            ],
            notes: String::new(),
        };
        let e = validate_healing(&input, d("2026-03-02"), d("2026-03-20")).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "reported_on",
                "redness_days",
                "events.other",
                "events.other"
            ]
        );
    }

    fn pt(id: i64, date: &str, score: u32) -> ProgressPoint {
        ProgressPoint {
            assessment_id: id,
            date: d(date),
            score,
            grade: 3,
        }
    }

    #[test]
    fn progress_labels_small_changes_as_no_clear_change() {
        let p = progress(&[pt(2, "2026-05-01", 16), pt(1, "2026-01-01", 20)]);
        assert_eq!(p.baseline, Some(20));
        assert_eq!(p.latest, Some(16));
        assert_eq!(p.change, Some(-4));
        assert_eq!(p.verdict, ProgressVerdict::NoClearChange);
        assert!(p.summary.contains("no clear change"));
        let p = progress(&[pt(1, "2026-01-01", 20), pt(2, "2026-05-01", 15)]);
        assert_eq!(p.verdict, ProgressVerdict::Improved);
        assert_eq!(p.improvement_percent, Some(25));
        let p = progress(&[pt(1, "2026-01-01", 12), pt(2, "2026-05-01", 20)]);
        assert_eq!(p.verdict, ProgressVerdict::Worse);
        assert_eq!(p.improvement_percent, Some(-67));
        let p = progress(&[pt(1, "2026-01-01", 12)]);
        assert_eq!(p.verdict, ProgressVerdict::NotEnoughData);
        let p = progress(&[pt(1, "2026-01-01", 3), pt(2, "2026-05-01", 0)]);
        assert_eq!(p.improvement_percent, Some(100));
        assert_eq!(p.verdict, ProgressVerdict::NoClearChange);
    }
}
