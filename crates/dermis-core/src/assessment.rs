//! Scar assessment (PRODUCT.md 4.1, 4.2): types present, Goodman & Baron grade
//! and quantitative score, skin profile, treatment areas.

use crate::error::{Collector, ValidationErrors};
use crate::ids::{AssessmentId, PatientId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ScarType {
    IcePick,
    Boxcar,
    Rolling,
    Hypertrophic,
    Keloidal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Sensitivity {
    Sensitive,
    Normal,
    Resilient,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Sensitive => "sensitive",
            Sensitivity::Normal => "normal",
            Sensitivity::Resilient => "resilient",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TreatmentArea {
    Forehead,
    Temples,
    Nose,
    AroundEyes,
    Cheekbones,
    Cheeks,
    Chin,
    UpperLip,
    Jawline,
    Neck,
    Chest,
    Back,
}

impl TreatmentArea {
    pub const ALL: [TreatmentArea; 12] = [
        TreatmentArea::Forehead,
        TreatmentArea::Temples,
        TreatmentArea::Nose,
        TreatmentArea::AroundEyes,
        TreatmentArea::Cheekbones,
        TreatmentArea::Cheeks,
        TreatmentArea::Chin,
        TreatmentArea::UpperLip,
        TreatmentArea::Jawline,
        TreatmentArea::Neck,
        TreatmentArea::Chest,
        TreatmentArea::Back,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TreatmentArea::Forehead => "forehead",
            TreatmentArea::Temples => "temples",
            TreatmentArea::Nose => "nose",
            TreatmentArea::AroundEyes => "around_eyes",
            TreatmentArea::Cheekbones => "cheekbones",
            TreatmentArea::Cheeks => "cheeks",
            TreatmentArea::Chin => "chin",
            TreatmentArea::UpperLip => "upper_lip",
            TreatmentArea::Jawline => "jawline",
            TreatmentArea::Neck => "neck",
            TreatmentArea::Chest => "chest",
            TreatmentArea::Back => "back",
        }
    }

    pub fn parse(s: &str) -> Option<TreatmentArea> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        TreatmentArea::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Lesion counts per Goodman & Baron quantitative category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GbCounts {
    /// Macular or mildly atrophic (1 point).
    pub macular: u32,
    /// Moderately atrophic (2 points).
    pub moderate: u32,
    /// Severely atrophic: punched-out, linear, deep (3 points).
    pub severe: u32,
    /// Papular hyperplastic (2 points).
    pub papular: u32,
    /// Keloidal (6 points).
    pub keloidal: u32,
}

/// The count multiplier: none 0, 1–10 ×1, 11–20 ×2, more than 20 ×3.
pub fn count_multiplier(count: u32) -> u32 {
    match count {
        0 => 0,
        1..=10 => 1,
        11..=20 => 2,
        _ => 3,
    }
}

/// Goodman & Baron quantitative score: points × count multiplier, summed.
pub fn gb_score(c: &GbCounts) -> u32 {
    [
        (c.macular, 1),
        (c.moderate, 2),
        (c.severe, 3),
        (c.papular, 2),
        (c.keloidal, 6),
    ]
    .iter()
    .map(|(count, points)| points * count_multiplier(*count))
    .sum()
}

/// A change of this many points or fewer is within inter-rater variation.
pub const NO_CLEAR_CHANGE_POINTS: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AssessmentInput {
    pub assessed_on: String,
    pub scar_types: Vec<ScarType>,
    /// Goodman & Baron qualitative grade 1 (macular) – 4 (severe).
    pub grade: u8,
    pub counts: GbCounts,
    /// Fitzpatrick skin type 1–6 (I–VI).
    pub fitzpatrick: u8,
    pub sensitivity: Sensitivity,
    pub treatment_areas: Vec<TreatmentArea>,
    pub scar_age_years: u32,
    pub notes: String,
}

/// A validated assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAssessment {
    pub assessed_on: NaiveDate,
    pub scar_types: Vec<ScarType>,
    pub grade: u8,
    pub counts: GbCounts,
    pub score: u32,
    pub fitzpatrick: u8,
    pub sensitivity: Sensitivity,
    pub treatment_areas: Vec<TreatmentArea>,
    pub scar_age_years: u32,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Assessment {
    pub id: AssessmentId,
    pub patient_id: PatientId,
    #[ts(type = "string")]
    pub assessed_on: NaiveDate,
    pub scar_types: Vec<ScarType>,
    pub grade: u8,
    pub counts: GbCounts,
    pub score: u32,
    pub fitzpatrick: u8,
    pub sensitivity: Sensitivity,
    pub treatment_areas: Vec<TreatmentArea>,
    pub scar_age_years: u32,
    pub notes: String,
    pub recorded_by: String,
    pub created_at: String,
}

/// The largest count a person can plausibly record for one category.
pub const MAX_COUNT: u32 = 1000;

pub fn validate(
    input: &AssessmentInput,
    today: NaiveDate,
) -> Result<ValidAssessment, ValidationErrors> {
    let mut c = Collector::default();
    let assessed_on = c.check(crate::validate::past_date(
        "assessed_on",
        "Assessment date",
        &input.assessed_on,
        today,
    ));
    if input.scar_types.is_empty() {
        c.push("scar_types", "Tick at least one scar type.");
    }
    if !(1..=4).contains(&input.grade) {
        c.push(
            "grade",
            "Choose a Goodman & Baron grade from 1 (macular) to 4 (severe).",
        );
    }
    for (field, n) in [
        ("counts.macular", input.counts.macular),
        ("counts.moderate", input.counts.moderate),
        ("counts.severe", input.counts.severe),
        ("counts.papular", input.counts.papular),
        ("counts.keloidal", input.counts.keloidal),
    ] {
        if n > MAX_COUNT {
            c.push(
                field,
                format!("{n} scars is more than can be counted here (at most {MAX_COUNT})."),
            );
        }
    }
    if !(1..=6).contains(&input.fitzpatrick) {
        c.push(
            "fitzpatrick",
            "Choose a Fitzpatrick skin type from I to VI.",
        );
    }
    if input.treatment_areas.is_empty() {
        c.push("treatment_areas", "Tick at least one treatment area.");
    }
    if input.scar_age_years > 100 {
        c.push("scar_age_years", "Scar age is in years, at most 100.");
    }
    let notes = c.check(crate::validate::text(
        "notes",
        "Notes",
        &input.notes,
        crate::validate::NOTES_MAX_CHARS,
    ));
    c.finish()?;
    let mut scar_types = input.scar_types.clone();
    scar_types.sort();
    scar_types.dedup();
    let mut treatment_areas = input.treatment_areas.clone();
    treatment_areas.sort();
    treatment_areas.dedup();
    Ok(ValidAssessment {
        assessed_on: assessed_on.unwrap_or_default(),
        scar_types,
        grade: input.grade,
        counts: input.counts,
        score: gb_score(&input.counts),
        fitzpatrick: input.fitzpatrick,
        sensitivity: input.sensitivity,
        treatment_areas,
        scar_age_years: input.scar_age_years,
        notes: notes.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplier_bands() {
        assert_eq!(
            [0, 1, 10, 11, 20, 21, 500].map(count_multiplier),
            [0, 1, 1, 2, 2, 3, 3]
        );
    }

    #[test]
    fn score_is_points_times_multiplier_summed() {
        assert_eq!(gb_score(&GbCounts::default()), 0);
        let c = GbCounts {
            macular: 5,   // 1 × 1
            moderate: 12, // 2 × 2
            severe: 25,   // 3 × 3
            papular: 1,   // 2 × 1
            keloidal: 11, // 6 × 2
        };
        assert_eq!(gb_score(&c), 1 + 4 + 9 + 2 + 12);
        // The maximum: every category above 20.
        let max = GbCounts {
            macular: 21,
            moderate: 21,
            severe: 21,
            papular: 21,
            keloidal: 21,
        };
        assert_eq!(gb_score(&max), 3 * (1 + 2 + 3 + 2 + 6));
    }
}
