//! The clinic's date format (issue 22) at its edges: the choices the settings
//! screen offers, and messages whose date stands at the very start or end.

use chrono::NaiveDate;
use dermis_core::dates::DateFormat;

#[test]
fn the_settings_offer_four_formats_each_with_31_december_2026_as_its_example() {
    let offered: Vec<(DateFormat, String, String)> = DateFormat::choices()
        .into_iter()
        .map(|c| (c.format, c.pattern, c.example))
        .collect();
    let want = [
        (DateFormat::DayMonthYear, "DD/MM/YYYY", "31/12/2026"),
        (DateFormat::MonthDayYear, "MM/DD/YYYY", "12/31/2026"),
        (DateFormat::YearMonthDay, "YYYY-MM-DD", "2026-12-31"),
        (DateFormat::DayMonthYearDots, "DD.MM.YYYY", "31.12.2026"),
    ];
    assert_eq!(offered.len(), want.len());
    for ((f, p, e), (wf, wp, we)) in offered.iter().zip(want) {
        assert_eq!((*f, p.as_str(), e.as_str()), (wf, wp, we));
    }
}

#[test]
fn a_message_that_is_only_a_date_or_starts_or_ends_with_one_is_rewritten() {
    let f = DateFormat::DayMonthYearDots;
    assert_eq!(f.localize("2026-12-29"), "29.12.2026");
    assert_eq!(
        f.localize("2026-12-29 is closed; try 2027-01-04"),
        "29.12.2026 is closed; try 04.01.2027"
    );
    assert_eq!(
        DateFormat::DayMonthYear.localize("Use the form YYYY-MM-DD."),
        "Use the form DD/MM/YYYY."
    );
    // A date glued to letters or digits is not a date.
    assert_eq!(f.localize("x2026-12-29"), "x2026-12-29");
    assert_eq!(f.localize("2026-12-29x"), "2026-12-29x");
    assert_eq!(f.localize("2026-12-2"), "2026-12-2");
    // Text after a non-ASCII character keeps its place.
    assert_eq!(f.localize("été 2026-07-01 ü"), "été 01.07.2026 ü");
}

#[test]
fn a_date_typed_with_dots_or_slashes_needs_its_own_separator_and_a_four_digit_year() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
    assert_eq!(
        DateFormat::DayMonthYearDots.parse("1.2.2026"),
        d(2026, 2, 1)
    );
    assert_eq!(DateFormat::DayMonthYearDots.parse("1/2/2026"), None);
    assert_eq!(DateFormat::DayMonthYear.parse("1/2/026"), None);
    assert_eq!(DateFormat::DayMonthYear.parse("1/2/2O26"), None);
    assert_eq!(DateFormat::DayMonthYear.parse("001/2/2026"), None);
    // ISO: ten characters exactly, dashes in place.
    for bad in [
        "2026-1-01",
        "2026-01-1",
        "2026/01/01",
        "2026-01-01 x",
        "20260-1-01",
    ] {
        assert_eq!(DateFormat::YearMonthDay.parse(bad), None, "{bad:?}");
    }
}
