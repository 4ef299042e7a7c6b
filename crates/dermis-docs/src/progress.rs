//! Progress summary (placeholder while the sheet is built).
use crate::error::DocsError;
use crate::model::ProgressSummaryInput;

/// Improvement against the baseline score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Improvement {
    NoScores,
}

pub fn improvement(_scores: &[crate::model::ScorePoint]) -> Improvement {
    Improvement::NoScores
}

pub fn progress_summary(_input: &ProgressSummaryInput) -> Result<Vec<u8>, DocsError> {
    Err(DocsError::Pdf("todo".into()))
}
