//! The needle-depth chart (PRODUCT.md 4.5): zones, the clinic's ranges and
//! ceilings per zone, and depths as integer micrometres inside the program and
//! millimetre decimal text at the edges ("1.25"), so no float is ever compared
//! for equality.

use crate::error::{Collector, ValidationErrors};
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
