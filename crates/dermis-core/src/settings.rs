//! Clinic settings the plan engine reads: the defaults table of PRODUCT.md 4.4
//! and the opening calendar. Stored in the database, edited in Settings.

use crate::error::{Collector, ValidationErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use ts_rs::TS;

/// The plan defaults, each from the source article ("3–6 sessions, spaced 4–6
/// weeks apart"; "for mild scars three to four sessions may suffice; for deeper
/// scars or long-standing damage up to six or more"; "sensitive skin may need
/// longer recovery intervals"; "maintenance every 3–6 months").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanDefaults {
    /// Sessions for G&B grade 1, 2, 3, 4.
    pub sessions_by_grade: Vec<u32>,
    /// Scars older than this many years get extra sessions.
    pub old_scar_years: u32,
    pub old_scar_extra_sessions: u32,
    pub max_sessions: u32,
    pub interval_weeks_resilient: u32,
    pub interval_weeks_normal: u32,
    pub interval_weeks_sensitive: u32,
    /// Fitzpatrick IV–VI: the interval is at least this.
    pub dark_skin_min_interval_weeks: u32,
    pub slow_healing_extra_weeks: u32,
    pub max_interval_weeks: u32,
    pub maintenance_months_resilient: u32,
    pub maintenance_months_normal: u32,
    pub maintenance_months_sensitive: u32,
    /// The shortest interval the engine ever proposes (an override may go lower, with a reason).
    pub shortest_interval_weeks: u32,
    /// Maintenance recalls are listed this far after the last course session.
    pub recall_horizon_months: u32,
    pub screening_validity_months: u32,
}

impl Default for PlanDefaults {
    fn default() -> Self {
        PlanDefaults {
            sessions_by_grade: vec![3, 4, 5, 6],
            old_scar_years: 5,
            old_scar_extra_sessions: 1,
            max_sessions: 8,
            interval_weeks_resilient: 4,
            interval_weeks_normal: 5,
            interval_weeks_sensitive: 6,
            dark_skin_min_interval_weeks: 5,
            slow_healing_extra_weeks: 1,
            max_interval_weeks: 8,
            maintenance_months_resilient: 3,
            maintenance_months_normal: 4,
            maintenance_months_sensitive: 6,
            shortest_interval_weeks: 4,
            recall_horizon_months: 12,
            screening_validity_months: 6,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn from_chrono(w: chrono::Weekday) -> Weekday {
        Weekday::ALL[w.num_days_from_monday() as usize]
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    pub fn parse(s: &str) -> Option<Weekday> {
        let s = s.trim().to_ascii_lowercase();
        Weekday::ALL.into_iter().find(|w| s.starts_with(w.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanSettings {
    pub defaults: PlanDefaults,
    pub open_weekdays: Vec<Weekday>,
    #[ts(type = "Array<string>")]
    pub closed_dates: Vec<NaiveDate>,
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            defaults: PlanDefaults::default(),
            open_weekdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            closed_dates: vec![],
        }
    }
}

/// Which days the clinic is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicCalendar {
    open: [bool; 7],
    closed: BTreeSet<NaiveDate>,
}

impl ClinicCalendar {
    pub fn new(open_weekdays: &[Weekday], closed_dates: &[NaiveDate]) -> Self {
        let mut open = [false; 7];
        for w in open_weekdays {
            open[*w as usize] = true;
        }
        ClinicCalendar {
            open,
            closed: closed_dates.iter().copied().collect(),
        }
    }

    pub fn from_settings(s: &PlanSettings) -> Self {
        Self::new(&s.open_weekdays, &s.closed_dates)
    }

    pub fn is_open(&self, d: NaiveDate) -> bool {
        use chrono::Datelike;
        self.open[d.weekday().num_days_from_monday() as usize] && !self.closed.contains(&d)
    }

    /// The open day in `[lo, hi]` nearest to `target`, the earlier on a tie.
    pub fn nearest_open(
        &self,
        target: NaiveDate,
        lo: NaiveDate,
        hi: NaiveDate,
    ) -> Option<NaiveDate> {
        let mut best: Option<(i64, NaiveDate)> = None;
        let mut d = lo;
        while d <= hi {
            if self.is_open(d) {
                let dist = (d - target).num_days().abs();
                if best.is_none_or(|(b, _)| dist < b) {
                    best = Some((dist, d));
                }
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        best.map(|(_, d)| d)
    }

    /// The first open day on or after `from` (looking at most a year ahead).
    pub fn first_open_from(&self, from: NaiveDate) -> Option<NaiveDate> {
        let mut d = from;
        for _ in 0..=366 {
            if self.is_open(d) {
                return Some(d);
            }
            d = d.succ_opt()?;
        }
        None
    }
}

/// Checks settings a clinic typed: every number in a sensible range.
pub fn validate(s: &PlanSettings) -> Result<(), ValidationErrors> {
    let mut c = Collector::default();
    let d = &s.defaults;
    if d.sessions_by_grade.len() != 4 {
        c.push(
            "defaults.sessions_by_grade",
            "Give the number of sessions for each of the four grades.",
        );
    }
    for (i, n) in d.sessions_by_grade.iter().enumerate() {
        if !(1..=12).contains(n) {
            c.push(
                "defaults.sessions_by_grade",
                format!("Grade {}: between 1 and 12 sessions, not {n}.", i + 1),
            );
        }
    }
    let mut range = |field: &str, v: u32, lo: u32, hi: u32, unit: &str| {
        if !(lo..=hi).contains(&v) {
            c.push(
                &format!("defaults.{field}"),
                format!("Between {lo} and {hi} {unit}, not {v}."),
            );
        }
    };
    range("old_scar_years", d.old_scar_years, 1, 50, "years");
    range(
        "old_scar_extra_sessions",
        d.old_scar_extra_sessions,
        0,
        4,
        "sessions",
    );
    range("max_sessions", d.max_sessions, 1, 12, "sessions");
    range(
        "interval_weeks_resilient",
        d.interval_weeks_resilient,
        1,
        26,
        "weeks",
    );
    range(
        "interval_weeks_normal",
        d.interval_weeks_normal,
        1,
        26,
        "weeks",
    );
    range(
        "interval_weeks_sensitive",
        d.interval_weeks_sensitive,
        1,
        26,
        "weeks",
    );
    range(
        "dark_skin_min_interval_weeks",
        d.dark_skin_min_interval_weeks,
        1,
        26,
        "weeks",
    );
    range(
        "slow_healing_extra_weeks",
        d.slow_healing_extra_weeks,
        0,
        8,
        "weeks",
    );
    range("max_interval_weeks", d.max_interval_weeks, 1, 26, "weeks");
    range(
        "maintenance_months_resilient",
        d.maintenance_months_resilient,
        1,
        24,
        "months",
    );
    range(
        "maintenance_months_normal",
        d.maintenance_months_normal,
        1,
        24,
        "months",
    );
    range(
        "maintenance_months_sensitive",
        d.maintenance_months_sensitive,
        1,
        24,
        "months",
    );
    range(
        "shortest_interval_weeks",
        d.shortest_interval_weeks,
        1,
        26,
        "weeks",
    );
    range(
        "recall_horizon_months",
        d.recall_horizon_months,
        1,
        36,
        "months",
    );
    range(
        "screening_validity_months",
        d.screening_validity_months,
        1,
        36,
        "months",
    );
    if d.max_sessions < d.sessions_by_grade.iter().copied().max().unwrap_or(0) {
        c.push(
            "defaults.max_sessions",
            "The most sessions must be at least the sessions for grade 4.",
        );
    }
    // Every usual interval, sensitive skin's included: the engine never proposes
    // less than the shortest, so a usual interval below it would never be used.
    let usual = [
        d.interval_weeks_resilient,
        d.interval_weeks_normal,
        d.interval_weeks_sensitive,
    ];
    if usual.iter().any(|w| d.shortest_interval_weeks > *w) {
        c.push(
            "defaults.shortest_interval_weeks",
            "The shortest interval cannot be longer than the usual intervals.",
        );
    }
    if usual.iter().any(|w| d.max_interval_weeks < *w) {
        c.push(
            "defaults.max_interval_weeks",
            "The longest interval must be at least the usual intervals.",
        );
    }
    if s.open_weekdays.is_empty() {
        c.push(
            "open_weekdays",
            "The clinic must be open on at least one day of the week.",
        );
    }
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn nearest_open_day_prefers_the_earlier_on_a_tie() {
        // Weekdays only; 2026-11-28 is a Saturday: Fri 27 and Mon 30 are 1 and 2 days away.
        let cal = ClinicCalendar::new(&PlanSettings::default().open_weekdays, &[]);
        assert_eq!(
            cal.nearest_open(d("2026-11-28"), d("2026-11-20"), d("2026-12-05")),
            Some(d("2026-11-27"))
        );
        // Only Saturday closed: Fri and Sun tie → Friday.
        let cal = ClinicCalendar::new(
            &[
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sun,
            ],
            &[],
        );
        assert_eq!(
            cal.nearest_open(d("2026-11-28"), d("2026-11-20"), d("2026-12-05")),
            Some(d("2026-11-27"))
        );
        // A closed date counts as closed.
        let cal = ClinicCalendar::new(&Weekday::ALL, &[d("2026-12-25")]);
        assert_eq!(
            cal.nearest_open(d("2026-12-25"), d("2026-12-25"), d("2026-12-31")),
            Some(d("2026-12-26"))
        );
        assert_eq!(
            cal.nearest_open(d("2026-12-25"), d("2026-12-25"), d("2026-12-25")),
            None
        );
    }

    #[test]
    fn default_settings_are_valid_and_bad_ones_name_the_field() {
        assert!(validate(&PlanSettings::default()).is_ok());
        let mut s = PlanSettings::default();
        s.defaults.interval_weeks_normal = 0;
        s.open_weekdays.clear();
        let e = validate(&s).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert!(
            fields.contains(&"defaults.interval_weeks_normal"),
            "{fields:?}"
        );
        assert!(fields.contains(&"open_weekdays"));
    }
}

/// Paper for printed documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaperSize {
    A4,
    Letter,
}

/// The clinic's letterhead: what every printed document shows at the top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClinicDetails {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

/// The clinic-wide settings besides the plan defaults (Settings screen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClinicSettings {
    pub paper: PaperSize,
    /// The aftercare sheet's instructions with date placeholders; empty = the
    /// default text (PRODUCT.md 4.6).
    pub aftercare_template: String,
    /// The app locks after this many idle minutes.
    pub idle_lock_minutes: u32,
    /// Automatic daily backups kept.
    pub backups_kept: u32,
    /// Where the automatic daily backups go; empty = `backups/` beside the database.
    pub backup_folder: String,
    /// The language documents are printed in when a patient's preferred
    /// language has no documents (a code such as `en`; checked by the clinic
    /// crate, which knows the document languages). Settings saved before
    /// languages existed read as English.
    #[serde(default = "default_document_language")]
    pub default_language: String,
    /// How dates are written on screens and in messages and typed into date
    /// fields and the search box; `null` = as the computer's locale writes
    /// them (ISO when it says nothing). Settings saved before read as `null`.
    #[serde(default)]
    pub date_format: Option<crate::dates::DateFormat>,
}

fn default_document_language() -> String {
    "en".to_string()
}

impl Default for ClinicSettings {
    fn default() -> Self {
        ClinicSettings {
            paper: PaperSize::A4,
            aftercare_template: String::new(),
            idle_lock_minutes: 10,
            backups_kept: 14,
            backup_folder: String::new(),
            default_language: default_document_language(),
            date_format: None,
        }
    }
}

pub const AFTERCARE_TEMPLATE_MAX_CHARS: usize = 6000;

fn absolute_path(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/')
        || p.starts_with("\\\\")
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && (b[2] == b'\\' || b[2] == b'/'))
}

/// Checks the clinic settings (the template's placeholders are checked by the
/// documents crate, which knows them).
pub fn validate_clinic_settings(s: &ClinicSettings) -> Result<ClinicSettings, ValidationErrors> {
    let mut c = Collector::default();
    if !(1..=240).contains(&s.idle_lock_minutes) {
        c.push(
            "idle_lock_minutes",
            "Lock after 1 to 240 minutes without use.",
        );
    }
    if !(1..=365).contains(&s.backups_kept) {
        c.push("backups_kept", "Keep from 1 to 365 daily backups.");
    }
    let folder = s.backup_folder.trim();
    if !folder.is_empty() && !absolute_path(folder) {
        c.push(
            "backup_folder",
            format!("\"{folder}\" is not a full folder path; choose the folder with Browse…"),
        );
    }
    let template = crate::validate::clean_multiline(&s.aftercare_template);
    let n = template.chars().count();
    if n > AFTERCARE_TEMPLATE_MAX_CHARS {
        c.push(
            "aftercare_template",
            format!("The aftercare text is too long: {n} characters, the limit is {AFTERCARE_TEMPLATE_MAX_CHARS}."),
        );
    }
    c.finish()?;
    Ok(ClinicSettings {
        paper: s.paper,
        aftercare_template: template,
        idle_lock_minutes: s.idle_lock_minutes,
        backups_kept: s.backups_kept,
        backup_folder: folder.to_string(),
        default_language: match s.default_language.trim() {
            "" => default_document_language(),
            code => code.to_string(),
        },
        date_format: s.date_format,
    })
}

/// Checks the letterhead: a name is required; phone and e-mail as on patients.
pub fn validate_clinic_details(d: &ClinicDetails) -> Result<ClinicDetails, ValidationErrors> {
    use crate::validate;
    let mut c = Collector::default();
    let name = c.check(validate::clinic_name(&d.name)).unwrap_or_default();
    let address = c
        .check(validate::text(
            "address",
            "Address",
            &d.address,
            validate::ADDRESS_MAX_CHARS,
        ))
        .unwrap_or_default();
    let phone = c
        .check(validate::phone("phone", &d.phone, false))
        .unwrap_or_default();
    let email = c
        .check(validate::email(&d.email).map_err(|e| crate::FieldError::new("email", e.message)))
        .unwrap_or_default();
    c.finish()?;
    Ok(ClinicDetails {
        name,
        address,
        phone,
        email,
    })
}

#[cfg(test)]
mod clinic_settings_tests {
    use super::*;

    #[test]
    fn clinic_settings_are_checked_field_by_field() {
        assert!(validate_clinic_settings(&ClinicSettings::default()).is_ok());
        let bad = ClinicSettings {
            idle_lock_minutes: 0,
            backups_kept: 0,
            backup_folder: "backups".into(),
            ..Default::default()
        };
        let e = validate_clinic_settings(&bad).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["idle_lock_minutes", "backups_kept", "backup_folder"]
        );
        for ok in ["/media/usb", "E:\\Dermis", "\\\\server\\share"] {
            let s = ClinicSettings {
                backup_folder: ok.into(),
                ..Default::default()
            };
            assert!(validate_clinic_settings(&s).is_ok(), "{ok}");
        }
        let e = validate_clinic_details(&ClinicDetails {
            name: " ".into(),
            address: "".into(),
            phone: "call me".into(),
            email: "nope".into(),
        })
        .unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["clinic_name", "phone", "email"]);
    }
}
