//! Dates as the clinic writes them (see `dermis_core::dates`): the clinic's
//! setting, or when none was chosen the format of this computer's locale.

use crate::{Action, Actor, Clinic, Result};
use chrono::NaiveDate;
use dermis_core::dates::{DateFormat, DateFormatInfo};

/// The format the locale of this process writes dates in (`LC_ALL`,
/// `LC_TIME`, then `LANG`, as POSIX orders them); ISO when none is set.
pub(crate) fn locale_format() -> DateFormat {
    ["LC_ALL", "LC_TIME", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .map_or(DateFormat::YearMonthDay, |v| DateFormat::from_locale(&v))
}

impl Clinic {
    /// The clinic's date format, and whether it follows the locale.
    pub(crate) fn date_format_in_use(&self) -> Result<(DateFormat, bool)> {
        let chosen = self.stored_clinic_settings()?.date_format;
        Ok(match chosen {
            Some(f) => (f, false),
            None => (locale_format(), true),
        })
    }

    /// How this clinic writes dates, with the choices (anyone signed in).
    pub fn date_format(&self, actor: &Actor) -> Result<DateFormatInfo> {
        self.allow(actor, Action::ViewSettings)?;
        let (format, from_locale) = self.date_format_in_use()?;
        Ok(DateFormatInfo {
            format,
            pattern: format.pattern().to_string(),
            from_locale,
            choices: DateFormat::choices(),
        })
    }

    /// Writes a calendar date the clinic's way (for messages).
    pub(crate) fn date_formatter(&self) -> Result<impl Fn(NaiveDate) -> String> {
        let (format, _) = self.date_format_in_use()?;
        Ok(move |d: NaiveDate| format.format(d))
    }

    /// `message` with its dates written the clinic's way (ISO if the setting cannot be read).
    pub fn localize_dates(&self, message: &str) -> String {
        match self.date_format_in_use() {
            Ok((f, _)) => f.localize(message),
            Err(_) => message.to_string(),
        }
    }
}
