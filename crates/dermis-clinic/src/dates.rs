//! Dates as the clinic writes them (see `dermis_core::dates`): the clinic's
//! setting, or when none was chosen the format of this computer's locale.
//! The same format goes to the screens, the messages and every printed
//! document (`documents::house` hands it to dermis-docs, which never reads a
//! setting itself).

use crate::{Action, Actor, Clinic, Result};
use chrono::NaiveDate;
use dermis_core::dates::{DateFormat, DateFormatInfo};

/// The format the locale of this process writes dates in (`LC_ALL`,
/// `LC_TIME`, then `LANG`, as POSIX orders them); ISO when none is set.
pub(crate) fn locale_format() -> DateFormat {
    locale_format_from(|k| std::env::var(k).ok())
}

/// [`locale_format`] with the environment read through `var` (testable
/// without touching the process's environment).
fn locale_format_from(var: impl Fn(&str) -> Option<String>) -> DateFormat {
    ["LC_ALL", "LC_TIME", "LANG"]
        .iter()
        .filter_map(|k| var(k))
        .find(|v| !v.is_empty())
        .map_or(DateFormat::YearMonthDay, |v| DateFormat::from_locale(&v))
}

/// The format in use for a stored setting (`None`: not chosen), and whether
/// it follows the locale.
pub(crate) fn format_in_use(chosen: Option<DateFormat>) -> (DateFormat, bool) {
    match chosen {
        Some(f) => (f, false),
        None => (locale_format(), true),
    }
}

impl Clinic {
    /// The clinic's date format, and whether it follows the locale.
    pub(crate) fn date_format_in_use(&self) -> Result<(DateFormat, bool)> {
        Ok(format_in_use(self.stored_clinic_settings()?.date_format))
    }

    /// The date format this clinic's documents use (the recovery sheet made
    /// by `dermis init --encrypt`).
    pub fn documents_date_format(&self) -> Result<DateFormat> {
        Ok(self.date_format_in_use()?.0)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn with_no_setting_screens_and_paper_follow_the_computers_locale() {
        // A German PC writes 31.12.2026, an American one 12/31/2026.
        assert_eq!(
            locale_format_from(env(&[("LANG", "de_DE.UTF-8")])),
            DateFormat::DayMonthYearDots
        );
        assert_eq!(
            locale_format_from(env(&[("LANG", "en_US.UTF-8")])),
            DateFormat::MonthDayYear
        );
        // POSIX order: LC_ALL, then LC_TIME, then LANG; empty values skipped.
        assert_eq!(
            locale_format_from(env(&[("LANG", "de_DE.UTF-8"), ("LC_TIME", "fr_FR.UTF-8")])),
            DateFormat::DayMonthYear
        );
        assert_eq!(
            locale_format_from(env(&[
                ("LC_ALL", "en_US.UTF-8"),
                ("LC_TIME", "fr_FR.UTF-8"),
                ("LANG", "de_DE.UTF-8")
            ])),
            DateFormat::MonthDayYear
        );
        assert_eq!(
            locale_format_from(env(&[("LC_ALL", ""), ("LANG", "pl_PL.UTF-8")])),
            DateFormat::DayMonthYearDots
        );
        // Nothing set, or a locale that says nothing: ISO, never misread.
        assert_eq!(locale_format_from(env(&[])), DateFormat::YearMonthDay);
        assert_eq!(
            locale_format_from(env(&[("LANG", "C.UTF-8")])),
            DateFormat::YearMonthDay
        );
        // A chosen format wins over the locale.
        assert_eq!(
            format_in_use(Some(DateFormat::MonthDayYear)),
            (DateFormat::MonthDayYear, false)
        );
        assert!(format_in_use(None).1);
    }
}
