//! The dates printed on the documents.
//!
//! Every date is written in the clinic's format ([`DateFormat`], passed in
//! with each input: issue 22, the desk saw 31.12.2026 on screen and "31
//! December 2026" on paper). Sentences a patient reads keep the weekday in
//! the document's language ("jeudi 26/11/2026"): it is the day they plan
//! around. The weekday words come from ICU4X ([`crate::lang`]).
//!
//! Aftercare dates are computed from the treatment date alone (PRODUCT.md 4.6:
//! 24–48 hours without makeup or sun, one week without exfoliation or retinol),
//! so a sheet printed again later says the same thing. A numeric date always
//! carries its year, so a sheet made on 31 December is never ambiguous.

use chrono::{Days, NaiveDate};
use dermis_core::dates::DateFormat;

use crate::lang::{Language, Loc};

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

    /// "Thursday 26/11/2026": the weekday in `lang`, the date in `format`.
    pub fn describe_in(&self, lang: Language, format: DateFormat, date: NaiveDate) -> String {
        Loc::new(lang, format).weekday_date(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_issue_example_in_the_clinics_format() {
        let a = AftercareDates::from_treatment(d(2026, 11, 24));
        let dots = DateFormat::DayMonthYearDots;
        assert_eq!(
            a.describe_in(Language::En, dots, a.no_makeup_until),
            "Thursday 26.11.2026"
        );
        assert_eq!(
            a.describe_in(Language::En, DateFormat::MonthDayYear, a.no_retinol_until),
            "Tuesday 12/01/2026"
        );
    }

    #[test]
    fn new_year_dates_carry_their_year() {
        let a = AftercareDates::from_treatment(d(2026, 12, 31));
        let f = DateFormat::DayMonthYear;
        assert_eq!(
            a.describe_in(Language::En, f, a.no_makeup_until),
            "Saturday 02/01/2027"
        );
        assert_eq!(
            a.describe_in(Language::En, f, a.no_retinol_until),
            "Thursday 07/01/2027"
        );
    }

    #[test]
    fn end_of_february_leap_and_common_years() {
        let leap = AftercareDates::from_treatment(d(2028, 2, 28));
        assert_eq!(leap.no_makeup_until, d(2028, 3, 1));
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
        assert_eq!(a.no_makeup_until, d(2026, 5, 2));
        assert_eq!(a.no_retinol_until, d(2026, 5, 7));
    }

    #[test]
    fn the_end_of_the_calendar_does_not_panic() {
        let a = AftercareDates::from_treatment(NaiveDate::MAX);
        assert_eq!(a.no_retinol_until, NaiveDate::MAX);
    }
}
