//! The dates printed on the documents.
//!
//! The words come from ICU4X in the document's language ([`crate::lang`]);
//! the functions without a language print English (British: "Tuesday 24
//! November 2026"), as before languages existed.
//!
//! Aftercare dates are computed from the treatment date alone (PRODUCT.md 4.6:
//! 24–48 hours without makeup or sun, one week without exfoliation or retinol),
//! so a sheet printed again later says the same thing. A date in another year
//! than the treatment carries its year ("Saturday, 2 January 2027"), so a sheet
//! made on 31 December is never ambiguous.

use chrono::{Datelike, Days, NaiveDate, NaiveTime};

use crate::lang::{self, Language};

/// The dates an aftercare sheet fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AftercareDates {
    pub treatment: NaiveDate,
    /// End of the 48-hour rest: no makeup, direct sun or harsh products until this day.
    pub no_makeup_until: NaiveDate,
    /// One week after: no exfoliation and no retinol until this day.
    pub no_retinol_until: NaiveDate,
}

impl AftercareDates {
    /// Days after the treatment when makeup and normal skincare may resume (48 hours).
    pub const NO_MAKEUP_DAYS: u64 = 2;
    /// Days after the treatment when exfoliation and retinol may resume (one week).
    pub const NO_RETINOL_DAYS: u64 = 7;

    /// The aftercare dates for a treatment on `treatment`. Month and year ends
    /// roll over as on a calendar (chrono's date arithmetic); a date past the
    /// end of chrono's calendar stays at its last day rather than failing.
    pub fn from_treatment(treatment: NaiveDate) -> Self {
        let add = |days| {
            treatment
                .checked_add_days(Days::new(days))
                .unwrap_or(NaiveDate::MAX)
        };
        AftercareDates {
            treatment,
            no_makeup_until: add(Self::NO_MAKEUP_DAYS),
            no_retinol_until: add(Self::NO_RETINOL_DAYS),
        }
    }

    /// "Thursday 26 November", with the year when it is not the treatment's year.
    pub fn describe(&self, date: NaiveDate) -> String {
        self.describe_in(Language::En, date)
    }

    /// [`Self::describe`] in `lang`: "jeudi 26 novembre", "الخميس، ٢٦ نوفمبر".
    pub fn describe_in(&self, lang: Language, date: NaiveDate) -> String {
        date_in_context_in(lang, date, self.treatment.year())
    }
}

/// "Tuesday, 24 November 2026".
pub fn long_date(date: NaiveDate) -> String {
    lang::long_date(Language::En, date)
}

/// "Thursday 26 November" when `date` falls in `reference_year`, else with the year.
pub fn date_in_context(date: NaiveDate, reference_year: i32) -> String {
    date_in_context_in(Language::En, date, reference_year)
}

/// [`date_in_context`] in `lang`.
pub fn date_in_context_in(lang: Language, date: NaiveDate, reference_year: i32) -> String {
    if date.year() == reference_year {
        lang::day_month(lang, date)
    } else {
        lang::long_date(lang, date)
    }
}

/// "24 Nov 2026": for table cells.
pub fn short_date(date: NaiveDate) -> String {
    lang::short_date(Language::En, date)
}

/// "14:30".
pub fn clock(time: NaiveTime) -> String {
    lang::clock(Language::En, time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_issue_example() {
        let a = AftercareDates::from_treatment(d(2026, 11, 24));
        assert_eq!(a.describe(a.no_makeup_until), "Thursday 26 November");
        assert_eq!(a.describe(a.no_retinol_until), "Tuesday 1 December");
        assert_eq!(long_date(a.treatment), "Tuesday, 24 November 2026");
    }

    #[test]
    fn new_year_shows_the_year() {
        let a = AftercareDates::from_treatment(d(2026, 12, 31));
        assert_eq!(a.describe(a.no_makeup_until), "Saturday, 2 January 2027");
        assert_eq!(a.describe(a.no_retinol_until), "Thursday, 7 January 2027");
    }

    #[test]
    fn end_of_february_leap_and_common_years() {
        let leap = AftercareDates::from_treatment(d(2028, 2, 28));
        assert_eq!(leap.no_makeup_until, d(2028, 3, 1));
        assert_eq!(leap.describe(leap.no_makeup_until), "Wednesday 1 March");
        assert_eq!(leap.no_retinol_until, d(2028, 3, 6));
        let common = AftercareDates::from_treatment(d(2027, 2, 28));
        assert_eq!(common.no_makeup_until, d(2027, 3, 2));
        assert_eq!(common.no_retinol_until, d(2027, 3, 7));
        let leap_day = AftercareDates::from_treatment(d(2028, 2, 29));
        assert_eq!(leap_day.no_makeup_until, d(2028, 3, 2));
    }

    #[test]
    fn end_of_a_30_day_month() {
        let a = AftercareDates::from_treatment(d(2026, 4, 30));
        assert_eq!(a.describe(a.no_makeup_until), "Saturday 2 May");
        assert_eq!(a.describe(a.no_retinol_until), "Thursday 7 May");
    }

    #[test]
    fn the_end_of_the_calendar_does_not_panic() {
        let a = AftercareDates::from_treatment(NaiveDate::MAX);
        assert_eq!(a.no_retinol_until, NaiveDate::MAX);
    }

    #[test]
    fn short_and_clock_formats() {
        assert_eq!(short_date(d(2026, 1, 5)), "5 Jan 2026");
        assert_eq!(clock(NaiveTime::from_hms_opt(9, 5, 0).unwrap()), "09:05");
    }
}
