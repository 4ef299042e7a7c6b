//! What an as-you-type query means: a date of birth, a patient number, phone
//! digits, or words of a name. Pure, so the store only runs the lookups.

use crate::fold;
use chrono::NaiveDate;

/// A query broken into the keys it can match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// Folded name words; every one must occur in the name (in any order).
    pub words: Vec<String>,
    /// Dates of birth the query can mean (two when day and month are ambiguous).
    pub dates: Vec<NaiveDate>,
    /// Digits to find inside phone numbers (at least 3).
    pub phone_digits: Option<String>,
    /// The numeric part of a patient number (`P-000042`, `p42`, `42`).
    pub patient_number: Option<i64>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.dates.is_empty()
            && self.phone_digits.is_none()
            && self.patient_number.is_none()
    }
}

/// The readable patient number for a sequence value: `P-000042`.
pub fn format_patient_number(n: i64) -> String {
    format!("P-{n:06}")
}

/// Parses a search box's text.
pub fn parse(query: &str) -> ParsedQuery {
    let q = query.trim();
    let mut out = ParsedQuery::default();
    if q.is_empty() {
        return out;
    }
    out.dates = parse_dates(q);
    if !out.dates.is_empty() {
        return out;
    }
    // Patient number: "P-000042", "p42", "P 42".
    let lower = q.to_lowercase();
    if let Some(rest) = lower.strip_prefix('p') {
        let rest = rest.trim_start_matches(['-', ' ']);
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
            out.patient_number = rest.parse().ok();
            return out;
        }
    }
    // Digits with phone punctuation: phone digits, and a patient number when short.
    let phone_like = q
        .chars()
        .all(|c| c.is_numeric() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.' | '/'));
    let digits = fold::digits(q);
    if phone_like && !digits.is_empty() {
        if digits.len() <= 6 {
            out.patient_number = digits.parse().ok();
        }
        if digits.len() >= 3 {
            out.phone_digits = Some(fold::term_prefix(&digits));
        }
        return out;
    }
    out.words = fold::fold_words(q);
    out
}

/// Parses a search box's text in a clinic that writes dates as `format`: a
/// date typed that way (or ISO) means that one day only (`03/04/1990` is
/// 3 April where the clinic writes DD/MM/YYYY, 4 March where it writes
/// MM/DD/YYYY); anything else is read as [`parse`] reads it.
pub fn parse_with(query: &str, format: crate::dates::DateFormat) -> ParsedQuery {
    match format.parse(query) {
        Some(d) => ParsedQuery {
            dates: vec![d],
            ..Default::default()
        },
        None => parse(query),
    }
}

/// `1990-05-17`, `17/05/1990`, `05/17/1990`, `17.05.1990`, `17-05-1990`: every
/// real date the text can mean, earliest first.
fn parse_dates(q: &str) -> Vec<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(q, "%Y-%m-%d") {
        return vec![d];
    }
    let parts: Vec<&str> = q.split(['/', '.', '-']).collect();
    if parts.len() != 3 || parts[2].len() != 4 || parts.iter().any(|p| p.is_empty() || p.len() > 4)
    {
        return vec![];
    }
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    let Some(n) = nums else { return vec![] };
    let year = n[2] as i32;
    let mut dates: Vec<NaiveDate> = [(n[1], n[0]), (n[0], n[1])]
        .into_iter()
        .filter_map(|(month, day)| NaiveDate::from_ymd_opt(year, month, day))
        .collect();
    dates.sort();
    dates.dedup();
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_date_typed_in_the_clinics_format_means_that_day_only() {
        use crate::dates::DateFormat;
        assert_eq!(
            parse_with("03/04/1990", DateFormat::DayMonthYear).dates,
            vec![d("1990-04-03")]
        );
        assert_eq!(
            parse_with("03/04/1990", DateFormat::MonthDayYear).dates,
            vec![d("1990-03-04")]
        );
        assert_eq!(
            parse_with("17.03.1979", DateFormat::DayMonthYearDots).dates,
            vec![d("1979-03-17")]
        );
        assert_eq!(
            parse_with("1979-03-17", DateFormat::MonthDayYear).dates,
            vec![d("1979-03-17")]
        );
        // Anything else reads as before: names, numbers, other date forms.
        assert_eq!(
            parse_with("lee", DateFormat::DayMonthYear).words,
            vec!["lee"]
        );
        assert_eq!(
            parse_with("P-000042", DateFormat::DayMonthYear).patient_number,
            Some(42)
        );
        assert_eq!(
            parse_with("17.05.1990", DateFormat::DayMonthYear).dates,
            vec![d("1990-05-17")]
        );
    }

    #[test]
    fn dates_in_common_forms() {
        assert_eq!(parse("1990-05-17").dates, vec![d("1990-05-17")]);
        assert_eq!(parse("17/05/1990").dates, vec![d("1990-05-17")]);
        assert_eq!(parse("17.05.1990").dates, vec![d("1990-05-17")]);
        assert_eq!(
            parse("03/04/1990").dates,
            vec![d("1990-03-04"), d("1990-04-03")]
        );
        assert!(parse("31/31/1990").dates.is_empty());
    }

    #[test]
    fn patient_numbers() {
        assert_eq!(parse("P-000042").patient_number, Some(42));
        assert_eq!(parse("p42").patient_number, Some(42));
        assert_eq!(parse("42").patient_number, Some(42));
        assert_eq!(format_patient_number(42), "P-000042");
    }

    #[test]
    fn phone_digits_need_three() {
        assert_eq!(
            parse("+44 20 7946").phone_digits.as_deref(),
            Some("44207946")
        );
        assert_eq!(parse("12").phone_digits, None);
        assert_eq!(parse("0958").phone_digits.as_deref(), Some("0958"));
    }

    #[test]
    fn words_are_folded() {
        assert_eq!(parse("  José  MÜLLER ").words, vec!["jose", "muller"]);
        assert_eq!(parse("王").words, vec!["王"]);
        assert!(parse("   ").is_empty());
        assert!(parse("!!").is_empty());
    }
}
