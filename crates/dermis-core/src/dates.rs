//! The clinic's date format: how calendar dates are written on screens, in
//! messages and in the search box (issue 22: screens showed "Mar 17, 1979",
//! messages ISO, and a birth date typed as the list showed it found nothing).
//!
//! One setting, four numeric forms a clinic uses. Dates still travel and are
//! stored as ISO `YYYY-MM-DD` (ARCHITECTURE.md); the format is applied where
//! a person reads or types one: the UI's date field and lists (which take the
//! pattern from here), the search box ([`crate::search::parse_with`]), and the
//! backend's messages, whose ISO dates are rewritten once at the command
//! boundary ([`DateFormat::localize`]) so that every rule can keep writing
//! plain ISO and stay testable. Printed documents write their dates this
//! way too (dermis-clinic passes the format to dermis-docs), so the paper
//! says what the screen says; a sentence for the patient keeps the weekday
//! in the document's language ("Thursday 26/11/2026").

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How the clinic writes a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DateFormat {
    /// 31/12/2026 (most of Europe, Latin America, Australia…).
    DayMonthYear,
    /// 12/31/2026 (the United States).
    MonthDayYear,
    /// 2026-12-31 (ISO 8601; Scandinavia, East Asia).
    YearMonthDay,
    /// 31.12.2026 (Germany, Central and Eastern Europe).
    DayMonthYearDots,
}

/// One format as a settings screen offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DateFormatChoice {
    pub format: DateFormat,
    /// What to type, e.g. `DD/MM/YYYY`.
    pub pattern: String,
    /// 31 December 2026 written this way.
    pub example: String,
}

/// The clinic's format and the choices, for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DateFormatInfo {
    /// The format in use.
    pub format: DateFormat,
    /// Its pattern, e.g. `DD/MM/YYYY`.
    pub pattern: String,
    /// True when no format was chosen and this one follows the computer's locale.
    pub from_locale: bool,
    pub choices: Vec<DateFormatChoice>,
}

impl DateFormat {
    pub const ALL: [DateFormat; 4] = [
        DateFormat::DayMonthYear,
        DateFormat::MonthDayYear,
        DateFormat::YearMonthDay,
        DateFormat::DayMonthYearDots,
    ];

    /// What to type: `DD/MM/YYYY`, `MM/DD/YYYY`, `YYYY-MM-DD`, `DD.MM.YYYY`.
    pub fn pattern(self) -> &'static str {
        match self {
            DateFormat::DayMonthYear => "DD/MM/YYYY",
            DateFormat::MonthDayYear => "MM/DD/YYYY",
            DateFormat::YearMonthDay => "YYYY-MM-DD",
            DateFormat::DayMonthYearDots => "DD.MM.YYYY",
        }
    }

    /// `date` written this way, day and month with two digits.
    pub fn format(self, date: NaiveDate) -> String {
        let (y, m, d) = (date.year(), date.month(), date.day());
        match self {
            DateFormat::DayMonthYear => format!("{d:02}/{m:02}/{y:04}"),
            DateFormat::MonthDayYear => format!("{m:02}/{d:02}/{y:04}"),
            DateFormat::YearMonthDay => format!("{y:04}-{m:02}-{d:02}"),
            DateFormat::DayMonthYearDots => format!("{d:02}.{m:02}.{y:04}"),
        }
    }

    /// A date typed this way (day and month may have one digit, the year
    /// has four; spaces around are ignored), or ISO `YYYY-MM-DD`, which is
    /// always understood. `None` for anything else or a day that does not
    /// exist (31/02/2026).
    pub fn parse(self, text: &str) -> Option<NaiveDate> {
        let t = text.trim();
        if let Some(d) = iso(t) {
            return Some(d);
        }
        let sep = match self {
            DateFormat::DayMonthYear | DateFormat::MonthDayYear => '/',
            DateFormat::DayMonthYearDots => '.',
            DateFormat::YearMonthDay => return None,
        };
        let parts: Vec<&str> = t.split(sep).collect();
        let [a, b, y] = parts.as_slice() else {
            return None;
        };
        let small = |s: &str| -> Option<u32> {
            (matches!(s.len(), 1 | 2) && s.bytes().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        if y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let (day, month) = match self {
            DateFormat::MonthDayYear => (small(b)?, small(a)?),
            _ => (small(a)?, small(b)?),
        };
        NaiveDate::from_ymd_opt(year, month, day)
    }

    /// The format a computer's locale (`LC_TIME`/`LANG` value such as
    /// `en_US.UTF-8`, or a BCP 47 tag such as `de-AT`) writes dates in;
    /// ISO when the locale says nothing Dermis knows.
    pub fn from_locale(locale: &str) -> DateFormat {
        let tag = locale
            .split(['.', '@'])
            .next()
            .unwrap_or("")
            .replace('-', "_")
            .to_ascii_lowercase();
        let mut it = tag.split('_');
        let lang = it.next().unwrap_or("");
        let region = it.next().unwrap_or("");
        if matches!(
            region,
            "us" | "ph" | "pr" | "as" | "gu" | "um" | "vi" | "fm" | "mh"
        ) {
            return DateFormat::MonthDayYear;
        }
        match lang {
            "de" | "ru" | "pl" | "cs" | "sk" | "fi" | "nb" | "nn" | "no" | "da" | "tr" | "uk"
            | "ro" | "hr" | "sl" | "sr" | "bg" | "et" | "lv" | "az" | "ka" | "kk" | "be" | "is"
            | "mk" | "bs" => DateFormat::DayMonthYearDots,
            "en" | "fr" | "es" | "it" | "pt" | "el" | "nl" | "ga" | "cy" | "ca" | "gl" | "eu"
            | "ar" | "he" | "hi" | "id" | "ms" | "vi" | "th" | "ur" | "fa" | "bn" | "ta" | "te"
            | "mt" | "sw" => DateFormat::DayMonthYear,
            _ => DateFormat::YearMonthDay,
        }
    }

    /// `message` with every ISO date in it (`2026-12-31`) written this way,
    /// and the ISO pattern and example of the date-field messages
    /// ("use the form YYYY-MM-DD, e.g. 1990-05-17") replaced by this format's.
    pub fn localize(self, message: &str) -> String {
        if self == DateFormat::YearMonthDay {
            return message.to_string();
        }
        let message = message.replace("YYYY-MM-DD", self.pattern());
        let mut out = String::with_capacity(message.len());
        let mut i = 0;
        while i < message.len() {
            let boundary_before = message[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if boundary_before && i + 10 <= message.len() && message.is_char_boundary(i + 10) {
                let cand = &message[i..i + 10];
                let boundary_after = message[i + 10..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if boundary_after {
                    if let Some(d) = iso(cand) {
                        out.push_str(&self.format(d));
                        i += 10;
                        continue;
                    }
                }
            }
            let ch = message[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }

    /// The choices a settings screen offers, with 31 December 2026 as the example.
    pub fn choices() -> Vec<DateFormatChoice> {
        let example = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        DateFormat::ALL
            .iter()
            .map(|f| DateFormatChoice {
                format: *f,
                pattern: f.pattern().to_string(),
                example: f.format(example),
            })
            .collect()
    }
}

/// Strict `YYYY-MM-DD` (ten characters, a real day).
fn iso(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use DateFormat::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_format_writes_the_issue_examples() {
        let last = d(2026, 12, 31);
        assert_eq!(DayMonthYear.format(last), "31/12/2026");
        assert_eq!(MonthDayYear.format(last), "12/31/2026");
        assert_eq!(YearMonthDay.format(last), "2026-12-31");
        assert_eq!(DayMonthYearDots.format(last), "31.12.2026");
    }

    #[test]
    fn every_date_of_four_years_round_trips_in_every_format() {
        let mut day = d(2027, 1, 1);
        while day < d(2031, 1, 1) {
            for f in DateFormat::ALL {
                assert_eq!(f.parse(&f.format(day)), Some(day), "{f:?} {day}");
            }
            day = day.succ_opt().unwrap();
        }
        // Years before 1000 and the leap day of a century leap year too.
        for f in DateFormat::ALL {
            for x in [d(999, 3, 4), d(2000, 2, 29), d(1900, 2, 28)] {
                assert_eq!(f.parse(&f.format(x)), Some(x), "{f:?} {x}");
            }
        }
    }

    #[test]
    fn typing_is_forgiving_about_digits_but_not_about_the_order() {
        assert_eq!(DayMonthYear.parse(" 3/4/1990 "), Some(d(1990, 4, 3)));
        assert_eq!(MonthDayYear.parse("3/4/1990"), Some(d(1990, 3, 4)));
        assert_eq!(DayMonthYearDots.parse("17.5.1990"), Some(d(1990, 5, 17)));
        // ISO is understood whatever the clinic's format.
        for f in DateFormat::ALL {
            assert_eq!(f.parse("1990-05-17"), Some(d(1990, 5, 17)));
        }
        // Not a date, the wrong separator, a two-digit year, a day that does not exist.
        for bad in [
            "",
            "31/02/2026",
            "13/13/2026",
            "17.05.1990",
            "17/05/90",
            "1990/05/17",
            "x1/01/2026",
            "1/1/2026/1",
            "١٧/٠٥/١٩٩٠",
        ] {
            assert_eq!(DayMonthYear.parse(bad), None, "{bad:?}");
        }
        assert_eq!(MonthDayYear.parse("12/31/2026"), Some(d(2026, 12, 31)));
        assert_eq!(MonthDayYear.parse("31/12/2026"), None);
        assert_eq!(YearMonthDay.parse("31/12/2026"), None);
    }

    #[test]
    fn the_locale_picks_the_format_and_iso_is_the_fallback() {
        assert_eq!(DateFormat::from_locale("en_US.UTF-8"), MonthDayYear);
        assert_eq!(DateFormat::from_locale("en_GB.UTF-8"), DayMonthYear);
        assert_eq!(DateFormat::from_locale("fr-FR"), DayMonthYear);
        assert_eq!(
            DateFormat::from_locale("de_AT.UTF-8@euro"),
            DayMonthYearDots
        );
        assert_eq!(DateFormat::from_locale("sv_SE.UTF-8"), YearMonthDay);
        assert_eq!(DateFormat::from_locale("C.UTF-8"), YearMonthDay);
        assert_eq!(DateFormat::from_locale(""), YearMonthDay);
    }

    #[test]
    fn messages_are_rewritten_date_by_date() {
        assert_eq!(
            DayMonthYear.localize("Too close to session 1: the earliest is 2026-12-29."),
            "Too close to session 1: the earliest is 29/12/2026."
        );
        assert_eq!(
            MonthDayYear.localize(
                "Date of birth \"x\" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17."
            ),
            "Date of birth \"x\" is not a date; use the form MM/DD/YYYY, e.g. 05/17/1990."
        );
        // Not dates: a longer number, a patient number, an impossible day, non-ASCII around.
        let keep = "Lot 12026-12-291 and P-000042, 2026-02-30 — é2026-01-01";
        assert_eq!(DayMonthYear.localize(keep), keep);
        assert_eq!(YearMonthDay.localize("2026-12-29"), "2026-12-29");
    }
}
