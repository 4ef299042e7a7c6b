//! Schedule card (placeholder while the card is built).
use crate::error::DocsError;
use crate::model::ScheduleCardInput;

pub fn schedule_card(_input: &ScheduleCardInput) -> Result<Vec<u8>, DocsError> {
    Err(DocsError::Pdf("todo".into()))
}
