//! The progress of the Goodman & Baron score over time (PRODUCT.md 4.1): the
//! one home of the improvement percentage and "no clear change", used by the
//! Progress tab and the printed summary.

use crate::ids::AssessmentId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One assessment on the progress chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProgressPoint {
    pub assessment_id: AssessmentId,
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
