//! The languages the documents are printed in, and everything that changes
//! with the language: fixed sentences, dates, times, numbers, direction.
//!
//! Why it is built this way:
//! - **Sentences in Fluent files**, one per language
//!   (`locales/<code>/documents.ftl`, compiled in with `include_str!`), so a
//!   translator edits a text file and never Rust. Fluent chooses plural forms
//!   by the language's CLDR rules (Arabic has six: "جلستان" for two sessions,
//!   "3 جلسات" for three, "11 جلسة" for eleven).
//! - **Dates, times and numbers from ICU4X** (CLDR data compiled in): the
//!   weekday, month, word order, clock and digits are those of the language
//!   ("jeudi 26 novembre", "Donnerstag, 26. November", "الخميس، 26 نوفمبر";
//!   CLDR writes Arabic with Western digits and a 12-hour clock, "2:30 م").
//!   Numbers inside Fluent messages go through the same ICU decimal formatter
//!   (a formatter per bundle), so counts are grouped and written with the
//!   digits CLDR gives the language.
//!   Dates are Gregorian whatever the locale's default calendar: the clinic
//!   books in Gregorian dates.
//! - **French "1er".** French writes the first of a month as an ordinal,
//!   "mardi 1er décembre", and every other day as a cardinal ("mardi 2
//!   décembre"). CLDR's patterns have no ordinal day field (`d` is a number
//!   only) and ICU4X 2.4 formats what CLDR gives, "1 décembre"; so French
//!   dates are written part by part ([`writeable::Writeable::write_to_parts`])
//!   and "er" is put right after the part ICU marks as the day, when that day
//!   is 1. It touches French and day 1 only, whatever the pattern's word
//!   order, and never matches a "1" elsewhere (a year, a time).
//! - **The default aftercare text per language** (`locales/<code>/aftercare.txt`)
//!   is a clinic-editable template with `{placeholders}`, so it is a plain
//!   text file rather than a Fluent message (Fluent would need every brace
//!   escaped).
//! - **Direction.** Arabic pages are mirrored ([`crate::canvas`]); every
//!   sentence of a right-to-left language starts with a RIGHT-TO-LEFT MARK so
//!   its paragraph direction is right to left even when it begins with a
//!   Latin clinic name or a number, and values put into a sentence (names,
//!   phone numbers, dates) are wrapped in Unicode isolates (Fluent's own
//!   isolation, and [`Loc::isolate`] for the aftercare template), so "+33 1 23
//!   45 67 89" keeps its order inside Arabic text.
//!
//! Bundles are parsed once per process (`OnceLock`); ICU formatters are made
//! once per thread and language.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use dermis_core::dates::DateFormat;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_datetime::fieldsets::{E, MDE, T, YMD, YMDE};
use icu_datetime::input::{Date, Time};
use icu_datetime::{FixedCalendarDateTimeFormatter, NoCalendarFormatter};
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use serde::{Deserialize, Serialize};

/// A language the documents can be printed in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
    Es,
    De,
    It,
    Pt,
    Ar,
}

impl Language {
    /// Every language the documents exist in, in the order menus list them.
    pub const ALL: [Language; 7] = [
        Language::En,
        Language::Fr,
        Language::Es,
        Language::De,
        Language::It,
        Language::Pt,
        Language::Ar,
    ];

    /// The language code (BCP 47 primary subtag): "en", "fr", "ar"...
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::Es => "es",
            Language::De => "de",
            Language::It => "it",
            Language::Pt => "pt",
            Language::Ar => "ar",
        }
    }

    /// The language's name in itself: "Français", "العربية".
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
            Language::Es => "Español",
            Language::De => "Deutsch",
            Language::It => "Italiano",
            Language::Pt => "Português",
            Language::Ar => "العربية",
        }
    }

    /// The documents' language for a patient's language code: "fr", "FR",
    /// "fr-CA" and "pt-BR" all match by their first subtag; `None` when the
    /// documents do not exist in that language.
    pub fn from_code(code: &str) -> Option<Language> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// Whether the language is written right to left (its pages are mirrored).
    pub fn is_rtl(self) -> bool {
        self == Language::Ar
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The CLDR locale for dates and numbers. English is British English
    /// ("Tuesday, 24 November 2026", 24-hour clock), as the default text is.
    fn locale(self) -> Locale {
        let tag = match self {
            Language::En => "en-GB",
            Language::Fr => "fr",
            Language::Es => "es",
            Language::De => "de",
            Language::It => "it",
            Language::Pt => "pt",
            Language::Ar => "ar",
        };
        tag.parse().unwrap_or(Locale::UNKNOWN)
    }

    fn ftl(self) -> &'static str {
        match self {
            Language::En => include_str!("../locales/en/documents.ftl"),
            Language::Fr => include_str!("../locales/fr/documents.ftl"),
            Language::Es => include_str!("../locales/es/documents.ftl"),
            Language::De => include_str!("../locales/de/documents.ftl"),
            Language::It => include_str!("../locales/it/documents.ftl"),
            Language::Pt => include_str!("../locales/pt/documents.ftl"),
            Language::Ar => include_str!("../locales/ar/documents.ftl"),
        }
    }

    /// The default aftercare text in this language (a template, see
    /// [`crate::template`]).
    pub fn default_aftercare_text(self) -> &'static str {
        match self {
            Language::En => include_str!("../locales/en/aftercare.txt"),
            Language::Fr => include_str!("../locales/fr/aftercare.txt"),
            Language::Es => include_str!("../locales/es/aftercare.txt"),
            Language::De => include_str!("../locales/de/aftercare.txt"),
            Language::It => include_str!("../locales/it/aftercare.txt"),
            Language::Pt => include_str!("../locales/pt/aftercare.txt"),
            Language::Ar => include_str!("../locales/ar/aftercare.txt"),
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The number formatter a language's Fluent bundle uses for `{ $n }`.
fn fluent_number<const L: usize>(
    value: &FluentValue,
    _: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    match value {
        FluentValue::Number(n) => {
            let lang = Language::ALL.get(L).copied()?;
            Some(number(lang, n.value))
        }
        _ => None,
    }
}

type NumberFn = fn(&FluentValue, &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String>;

fn number_fn(lang: Language) -> NumberFn {
    match lang {
        Language::En => fluent_number::<0>,
        Language::Fr => fluent_number::<1>,
        Language::Es => fluent_number::<2>,
        Language::De => fluent_number::<3>,
        Language::It => fluent_number::<4>,
        Language::Pt => fluent_number::<5>,
        Language::Ar => fluent_number::<6>,
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Language) -> &'static Bundle {
    static BUNDLES: [OnceLock<Bundle>; 7] = [const { OnceLock::new() }; 7];
    BUNDLES[lang.index()].get_or_init(|| {
        let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let mut b = FluentBundle::new_concurrent(vec![id]);
        // Isolates only where direction can change inside a sentence.
        b.set_use_isolating(lang.is_rtl());
        b.set_formatter(Some(number_fn(lang)));
        // The files are compiled in and checked by the tests (every message
        // of English exists and formats in every language); a syntax error
        // would show there, so errors here are not expected. A resource with
        // errors still yields every message it could parse.
        let res = match FluentResource::try_new(lang.ftl().to_string()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let _ = b.add_resource(res);
        b
    })
}

struct Formatters {
    long: FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, YMDE>,
    day_month: FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, MDE>,
    short: FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, YMD>,
    weekday: FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, E>,
    clock: NoCalendarFormatter<T>,
    decimal: DecimalFormatter,
}

impl Formatters {
    fn new(lang: Language) -> Option<Formatters> {
        let locale = lang.locale();
        Some(Formatters {
            long: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMDE::long()).ok()?,
            day_month: FixedCalendarDateTimeFormatter::try_new((&locale).into(), MDE::long())
                .ok()?,
            short: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::medium()).ok()?,
            weekday: FixedCalendarDateTimeFormatter::try_new((&locale).into(), E::long()).ok()?,
            clock: NoCalendarFormatter::try_new((&locale).into(), T::hm()).ok()?,
            decimal: DecimalFormatter::try_new((&locale).into(), Default::default()).ok()?,
        })
    }
}

thread_local! {
    static FORMATTERS: RefCell<HashMap<Language, Option<Formatters>>> = RefCell::new(HashMap::new());
}

fn with_formatters<R>(lang: Language, f: impl FnOnce(&Formatters) -> R) -> Option<R> {
    FORMATTERS.with(|cell| {
        let mut map = cell.borrow_mut();
        map.entry(lang)
            .or_insert_with(|| Formatters::new(lang))
            .as_ref()
            .map(f)
    })
}

/// A sink for [`Writeable::write_to_parts`] that keeps where the day number ends.
struct DayEnd {
    text: String,
    day_end: Option<usize>,
}

impl std::fmt::Write for DayEnd {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl writeable::PartsWrite for DayEnd {
    type SubPartsWrite = DayEnd;

    fn with_part(
        &mut self,
        part: writeable::Part,
        mut f: impl FnMut(&mut DayEnd) -> std::fmt::Result,
    ) -> std::fmt::Result {
        f(self)?;
        if part == icu_datetime::parts::DAY {
            self.day_end = Some(self.text.len());
        }
        Ok(())
    }
}

/// A formatted date as text; in French, the first of a month as "1er"
/// (the module docs say why this is done here and not by ICU).
fn date_text(lang: Language, day: u32, formatted: &impl writeable::Writeable) -> String {
    if lang != Language::Fr || day != 1 {
        return formatted.write_to_string().into_owned();
    }
    let mut sink = DayEnd {
        text: String::new(),
        day_end: None,
    };
    if formatted.write_to_parts(&mut sink).is_err() {
        return formatted.write_to_string().into_owned();
    }
    if let Some(end) = sink.day_end {
        sink.text.insert_str(end, "er");
    }
    sink.text
}

fn gregorian(date: NaiveDate) -> Option<Date<icu_calendar::Gregorian>> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    Date::try_new_gregorian(date.year(), month, day).ok()
}

/// "Tuesday, 24 November 2026", "mardi 24 novembre 2026", "الثلاثاء، 24 نوفمبر 2026"
/// ("mardi 1er décembre 2026": see the module docs).
pub fn long_date(lang: Language, date: NaiveDate) -> String {
    gregorian(date)
        .and_then(|d| with_formatters(lang, |f| date_text(lang, date.day(), &f.long.format(&d))))
        .unwrap_or_else(|| date.to_string())
}

/// "Thursday 26 November": weekday, day and month without the year.
pub fn day_month(lang: Language, date: NaiveDate) -> String {
    gregorian(date)
        .and_then(|d| {
            with_formatters(lang, |f| {
                date_text(lang, date.day(), &f.day_month.format(&d))
            })
        })
        .unwrap_or_else(|| date.to_string())
}

/// "24 Nov 2026", for table cells.
pub fn short_date(lang: Language, date: NaiveDate) -> String {
    gregorian(date)
        .and_then(|d| with_formatters(lang, |f| date_text(lang, date.day(), &f.short.format(&d))))
        .unwrap_or_else(|| date.to_string())
}

/// "Thursday", "jeudi", "الخميس": the day of the week alone, in the language.
pub fn weekday(lang: Language, date: NaiveDate) -> String {
    gregorian(date)
        .and_then(|d| with_formatters(lang, |f| f.weekday.format(&d).to_string()))
        .unwrap_or_else(|| date.format("%A").to_string())
}

/// "14:30" (the language's own clock: Arabic uses a 12-hour clock).
pub fn clock(lang: Language, time: NaiveTime) -> String {
    let t = u8::try_from(time.hour())
        .ok()
        .zip(u8::try_from(time.minute()).ok())
        .and_then(|(h, m)| Time::try_new(h, m, 0, 0).ok());
    t.and_then(|t| with_formatters(lang, |f| f.clock.format(&t).to_string()))
        .unwrap_or_else(|| time.format("%H:%M").to_string())
}

/// A whole number in the language's digits and grouping ("1 234", "1.234").
pub fn number(lang: Language, n: f64) -> String {
    let rounded = n.round();
    if !rounded.is_finite() || rounded.abs() > 1e15 {
        return format!("{n}");
    }
    let d = Decimal::from(rounded as i64);
    with_formatters(lang, |f| f.decimal.format(&d).to_string()).unwrap_or_else(|| d.to_string())
}

/// A treatment zone's name in `lang`, from its key (`cheeks_chin`,
/// `forehead`... as `dermis_core::session::DepthZone::as_str` spells them);
/// `None` for a key the documents do not know.
pub fn zone_name(lang: Language, key: &str) -> Option<String> {
    keyed_word(lang, "zone", key)
}

/// The message `prefix-key` (a `dermis_core` key, `_` written `-`) in `lang`,
/// else in English; `None` for a key the documents do not know.
fn keyed_word(lang: Language, prefix: &str, key: &str) -> Option<String> {
    let id = format!("{prefix}-{}", key.trim().replace('_', "-"));
    let args = FluentArgs::new();
    format_message(lang, &id, &args).or_else(|| format_message(Language::En, &id, &args))
}

/// A photo's area and angle in `lang` ("Joues, de face"), from their keys
/// (`cheeks`, `left_oblique`... as `dermis_core` spells them); a key the
/// documents do not know is printed as it is.
pub fn photo_area_label(lang: Language, area: &str, angle: &str) -> String {
    let word = |prefix: &str, key: &str| {
        keyed_word(lang, prefix, key).unwrap_or_else(|| key.replace('_', " "))
    };
    let mut args = FluentArgs::new();
    args.set("area", FluentValue::from(word("area", area)));
    args.set("angle", FluentValue::from(word("angle", angle)));
    format_message(lang, "photo-area-angle", &args)
        .unwrap_or_else(|| format!("{}, {}", word("area", area), word("angle", angle)))
}

/// A length given in micrometres, in millimetres with the language's
/// decimal separator and as many decimals as it needs, at least one
/// ("1.25", "1,0"); the number alone.
pub fn millimetres(lang: Language, um: u32) -> String {
    let mut d = Decimal::from(i64::from(um));
    d.absolute.multiply_pow10(-3);
    d.absolute.trim_end();
    d.absolute.pad_end(-1);
    with_formatters(lang, |f| f.decimal.format(&d).to_string()).unwrap_or_else(|| d.to_string())
}

/// A needle depth, or a range of depths, in micrometres, written in `lang`
/// ("1,0–1,5 mm", "0.5 mm", "1٫0 مم" where a language writes it so).
pub fn depth_range(lang: Language, lo_um: u32, hi_um: u32) -> String {
    let value = if lo_um == hi_um {
        millimetres(lang, lo_um)
    } else {
        format!("{}–{}", millimetres(lang, lo_um), millimetres(lang, hi_um))
    };
    let mut args = FluentArgs::new();
    args.set("value", FluentValue::from(value.clone()));
    format_message(lang, "depth-mm", &args).unwrap_or_else(|| format!("{value} mm"))
}

/// The fixed sentences of one language, and the clinic's way of writing a
/// date, for one document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Loc {
    pub lang: Language,
    /// The clinic's date format (issue 22): every date a document prints is
    /// written this way, so the paper says what the screen says.
    pub dates: DateFormat,
}

/// U+200F RIGHT-TO-LEFT MARK: sets the paragraph direction of a sentence.
const RLM: char = '\u{200F}';
/// U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';
/// U+2066 LEFT-TO-RIGHT ISOLATE: a numeric date is always read left to right.
const LRI: char = '\u{2066}';
/// U+2067 RIGHT-TO-LEFT ISOLATE: a weekday and date in a right-to-left language.
const RLI: char = '\u{2067}';

impl Loc {
    pub fn new(lang: Language, dates: DateFormat) -> Loc {
        Loc { lang, dates }
    }

    pub fn rtl(&self) -> bool {
        self.lang.is_rtl()
    }

    /// A sentence with arguments; a message missing from this language's file
    /// falls back to English, then to its id (never an empty box).
    pub fn t(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            match v {
                Arg::S(s) => fargs.set(*k, FluentValue::from(s.as_str())),
                Arg::N(n) => fargs.set(*k, FluentValue::from(*n)),
            }
        }
        let text = format_message(self.lang, id, &fargs)
            .or_else(|| format_message(Language::En, id, &fargs))
            .unwrap_or_else(|| id.to_string());
        self.directed(text)
    }

    /// A sentence without arguments.
    pub fn s(&self, id: &str) -> String {
        self.t(id, &[])
    }

    /// Starts a right-to-left language's text with a RIGHT-TO-LEFT MARK.
    pub fn directed(&self, text: String) -> String {
        if self.rtl() && !text.is_empty() {
            let mut s = String::with_capacity(text.len() + 3);
            s.push(RLM);
            s.push_str(&text);
            s
        } else {
            text
        }
    }

    /// A value put into right-to-left text keeps its own direction.
    pub fn isolate(&self, value: &str) -> String {
        if self.rtl() {
            format!("{FSI}{value}{PDI}")
        } else {
            value.to_string()
        }
    }

    /// `d` in the clinic's format ("26.11.2026", "11/26/2026"). In a
    /// right-to-left document the date is one left-to-right isolate, so its
    /// parts keep their order inside Arabic text (as names are isolated).
    pub fn date(&self, d: NaiveDate) -> String {
        let text = self.dates.format(d);
        if self.rtl() {
            format!("{LRI}{text}{PDI}")
        } else {
            text
        }
    }

    /// The weekday in the document's language and the date in the clinic's
    /// format, for sentences a patient reads ("Thursday 26/11/2026",
    /// "Donnerstag, 26.11.2026", "الخميس، 26/11/2026").
    pub fn weekday_date(&self, d: NaiveDate) -> String {
        let text = self.t(
            "weekday-date",
            &[
                ("weekday", weekday(self.lang, d).into()),
                ("date", self.date(d).into()),
            ],
        );
        // `t` starts right-to-left text with a mark; the caller puts this
        // value inside a sentence, which has its own. In a right-to-left
        // language the value is one right-to-left isolate: its weekday is
        // itself isolated (Fluent), and a first-strong isolate around it
        // skips nested isolates, finds no strong letter and would lay it out
        // left to right, the date read before the weekday (seen on the
        // Arabic sheet: "حتى 26.11.2026 ،الخميس").
        let text = text.trim_start_matches(RLM);
        if self.rtl() {
            format!("{RLI}{text}{PDI}")
        } else {
            text.to_string()
        }
    }
    pub fn clock(&self, t: NaiveTime) -> String {
        clock(self.lang, t)
    }
    pub fn number(&self, n: f64) -> String {
        number(self.lang, n)
    }
}

/// A Fluent argument: text or a number (numbers select plural forms and are
/// written in the language's digits).
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    S(String),
    N(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::S(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::S(s)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::N(f64::from(n))
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::N(n as f64)
    }
}

fn format_message(lang: Language, id: &str, args: &FluentArgs) -> Option<String> {
    let b = bundle(lang);
    let pattern = b.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let s = b.format_pattern(pattern, Some(args), &mut errors);
    errors.is_empty().then(|| s.into_owned())
}

/// Every message id of the English file (the reference every language must match).
pub fn message_ids() -> Vec<String> {
    Language::En
        .ftl()
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
        .collect()
}

/// Whether `lang`'s file parses without error and has message `id`.
pub fn has_message(lang: Language, id: &str) -> bool {
    FluentResource::try_new(lang.ftl().to_string()).is_ok() && bundle(lang).has_message(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_each_language() {
        let thu = d(2026, 11, 26);
        assert_eq!(day_month(Language::En, thu), "Thursday 26 November");
        assert_eq!(day_month(Language::Fr, thu), "jeudi 26 novembre");
        assert_eq!(day_month(Language::De, thu), "Donnerstag, 26. November");
        assert!(day_month(Language::Es, thu).contains("jueves"));
        assert!(day_month(Language::It, thu).contains("giovedì"));
        assert!(day_month(Language::Pt, thu).contains("quinta-feira"));
        let ar = day_month(Language::Ar, thu);
        assert!(ar.contains("الخميس") && ar.contains("نوفمبر"), "{ar}");
        // CLDR's British English puts a comma after the weekday when the year follows.
        assert_eq!(
            long_date(Language::En, d(2026, 11, 24)),
            "Tuesday, 24 November 2026"
        );
        assert_eq!(
            clock(Language::Ar, NaiveTime::from_hms_opt(14, 30, 0).unwrap()),
            "2:30 م"
        );
        assert_eq!(number(Language::Fr, 1234.0), "1\u{202f}234");
    }

    #[test]
    fn french_writes_the_first_of_a_month_1er_and_other_days_plain() {
        let first = d(2026, 12, 1);
        assert_eq!(day_month(Language::Fr, first), "mardi 1er décembre");
        assert_eq!(long_date(Language::Fr, first), "mardi 1er décembre 2026");
        assert!(
            short_date(Language::Fr, first).starts_with("1er déc"),
            "{}",
            short_date(Language::Fr, first)
        );
        // Only the day: a 1 in the year, or the 11th, 21st and 31st, stay as they are.
        assert_eq!(
            day_month(Language::Fr, d(2026, 12, 2)),
            "mercredi 2 décembre"
        );
        assert_eq!(
            long_date(Language::Fr, d(2031, 1, 11)),
            "samedi 11 janvier 2031"
        );
        assert_eq!(
            day_month(Language::Fr, d(2026, 12, 31)),
            "jeudi 31 décembre"
        );
        // Only French: the other languages write the first as CLDR does.
        assert_eq!(day_month(Language::En, first), "Tuesday 1 December");
        assert_eq!(day_month(Language::De, first), "Dienstag, 1. Dezember");
        assert!(day_month(Language::Es, first).starts_with("martes, 1 de"));
    }

    #[test]
    fn a_date_is_written_the_clinics_way_with_the_weekday_in_the_language() {
        let thu = d(2026, 11, 26);
        let en = Loc::new(Language::En, DateFormat::MonthDayYear);
        assert_eq!(en.date(thu), "11/26/2026");
        assert_eq!(en.weekday_date(thu), "Thursday 11/26/2026");
        let de = Loc::new(Language::De, DateFormat::DayMonthYearDots);
        assert_eq!(de.weekday_date(thu), "Donnerstag, 26.11.2026");
        let fr = Loc::new(Language::Fr, DateFormat::DayMonthYear);
        assert_eq!(fr.weekday_date(d(2026, 12, 1)), "mardi 01/12/2026");
        // Arabic: the weekday in Arabic, the date one left-to-right isolate.
        let ar = Loc::new(Language::Ar, DateFormat::DayMonthYearDots);
        assert_eq!(ar.date(thu), "\u{2066}26.11.2026\u{2069}");
        let w = ar.weekday_date(thu);
        assert!(
            w.contains("الخميس") && w.contains("\u{2066}26.11.2026\u{2069}"),
            "{w:?}"
        );
        assert!(!w.contains("نوفمبر"), "{w:?}");
    }

    #[test]
    fn zone_names() {
        assert_eq!(
            zone_name(Language::Fr, "cheeks_chin").as_deref(),
            Some("Joues et menton")
        );
        assert_eq!(
            zone_name(Language::En, "around_eyes").as_deref(),
            Some("Around the eyes")
        );
        assert_eq!(zone_name(Language::De, "no_such_zone"), None);
    }

    #[test]
    fn codes_match_by_primary_subtag() {
        assert_eq!(Language::from_code("fr-CA"), Some(Language::Fr));
        assert_eq!(Language::from_code("PT_br"), Some(Language::Pt));
        assert_eq!(Language::from_code("ar"), Some(Language::Ar));
        assert_eq!(Language::from_code("zh-Hant"), None);
        assert_eq!(Language::from_code(""), None);
    }

    #[test]
    fn every_language_has_every_message() {
        let ids = message_ids();
        assert!(ids.len() > 40, "{}", ids.len());
        for lang in Language::ALL {
            assert!(
                FluentResource::try_new(lang.ftl().to_string()).is_ok(),
                "{lang}: the .ftl file has a syntax error"
            );
            for id in &ids {
                assert!(bundle(lang).has_message(id), "{lang}: no message {id}");
            }
        }
    }

    #[test]
    fn arabic_plurals_and_digits() {
        let l = Loc::new(Language::Ar, DateFormat::DayMonthYear);
        let two = l.t("sessions-count", &[("count", 2u32.into())]);
        assert!(two.contains("جلستان"), "{two}");
        let three = l.t("sessions-count", &[("count", 3u32.into())]);
        assert!(three.contains('3') && three.contains("جلسات"), "{three}");
        let eleven = l.t("sessions-count", &[("count", 11u32.into())]);
        assert!(
            eleven.contains("11") && eleven.ends_with(" جلسة"),
            "{eleven}"
        );
        let en = Loc::new(Language::En, DateFormat::DayMonthYear);
        assert_eq!(
            en.t("sessions-count", &[("count", 1u32.into())]),
            "1 session"
        );
        assert_eq!(
            en.t("sessions-count", &[("count", 5u32.into())]),
            "5 sessions"
        );
    }
}
