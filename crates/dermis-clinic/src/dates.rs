//! Dates as the clinic writes them.

use crate::{Clinic, Result};
use chrono::NaiveDate;

impl Clinic {
    /// Writes a calendar date the clinic's way (for messages).
    pub(crate) fn date_formatter(&self) -> Result<impl Fn(NaiveDate) -> String> {
        Ok(|d: NaiveDate| d.format("%Y-%m-%d").to_string())
    }
}
