//! The input rules of PRODUCT.md section 8. Each check names the field at fault
//! and says what is wrong in words a receptionist understands.

use crate::error::{Collector, FieldError, ValidationErrors};
use crate::patient::{PatientInput, ValidPatient};
use crate::user::SetupInput;
use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

pub const NAME_MAX_CHARS: usize = 100;
pub const ADDRESS_MAX_CHARS: usize = 500;
pub const NOTES_MAX_CHARS: usize = 5000;
pub const CLINIC_NAME_MAX_CHARS: usize = 200;
pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 256;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const PHONE_MIN_DIGITS: usize = 6;
pub const PHONE_MAX_DIGITS: usize = 15;

/// Trims, NFC-normalises and collapses runs of whitespace to one space.
pub fn clean_text(s: &str) -> String {
    let nfc: String = s.trim().nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Like [`clean_text`] but keeps line breaks (addresses, notes); trims each line.
pub fn clean_multiline(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    let lines: Vec<String> = nfc.lines().map(clean_text).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// Characters that change how a name LOOKS without being seen: bidi
/// embeddings, overrides and isolates (U+202A–202E, U+2066–2069, and the
/// marks U+200E/U+200F), zero-width spaces and joiners-that-are-not-needed
/// (U+200B, U+2060–2064, U+180E) and the byte-order mark U+FEFF. A first name
/// ending in U+202E followed by "roe" prints as a different name; "Ann\u{200b}"
/// is a duplicate no search finds. ZWJ and ZWNJ (U+200D, U+200C) are kept: Persian, the Indic scripts
/// and emoji sequences need them.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{180E}'
            | '\u{FEFF}'
    )
}

fn has_invisible(s: &str) -> bool {
    s.chars().any(is_invisible_format)
}

fn has_control(s: &str, allow_newline: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_newline && (c == '\n' || c == '\r' || c == '\t')))
}

/// A person's name part: required, at most [`NAME_MAX_CHARS`] characters, any
/// script and emoji allowed, no control characters.
pub fn name(field: &str, label: &str, raw: &str) -> Result<String, FieldError> {
    // Tabs and line breaks (pasted text) are whitespace and collapse to a space.
    if has_control(raw, true) {
        return Err(FieldError::new(
            field,
            format!("{label} contains characters that cannot be printed."),
        ));
    }
    if has_invisible(raw) {
        return Err(FieldError::new(
            field,
            format!("{label} contains an invisible character (a direction or zero-width mark, often pasted along): retype it."),
        ));
    }
    let v = clean_text(raw);
    if v.is_empty() {
        return Err(FieldError::new(
            field,
            format!("Enter the {}.", label.to_lowercase()),
        ));
    }
    let n = v.chars().count();
    if n > NAME_MAX_CHARS {
        return Err(FieldError::new(
            field,
            format!("{label} is too long: {n} characters, the limit is {NAME_MAX_CHARS}."),
        ));
    }
    Ok(v)
}

/// A date typed as `YYYY-MM-DD`.
pub fn date(field: &str, label: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(FieldError::new(
            field,
            format!("Enter the {}.", label.to_lowercase()),
        ));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            format!("{label} \"{v}\" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17."),
        )
    })
}

/// A clinical date (screening, assessment, photo, session) against the
/// patient's date of birth: nothing clinical happens before birth (a typo like
/// `0000-01-01` would otherwise become the baseline of a progress summary).
pub fn not_before_birth(
    field: &str,
    label: &str,
    d: NaiveDate,
    date_of_birth: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    if d < date_of_birth {
        return Err(FieldError::new(
            field,
            format!(
                "The {} {d} is before the patient's date of birth ({date_of_birth}).",
                label.to_lowercase()
            ),
        ));
    }
    Ok(d)
}

/// A date of an event that has happened (a screening, an assessment): not after `today`.
pub fn past_date(
    field: &str,
    label: &str,
    raw: &str,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let d = date(field, label, raw)?;
    if d > today {
        return Err(FieldError::new(
            field,
            format!(
                "The {} {d} is in the future; today is {today}.",
                label.to_lowercase()
            ),
        ));
    }
    Ok(d)
}

/// A date of birth: a real date, not in the future, not before 1900.
pub fn date_of_birth(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let d = date("date_of_birth", "Date of birth", raw)?;
    if d > today {
        return Err(FieldError::new(
            "date_of_birth",
            format!("Date of birth {d} is in the future; today is {today}."),
        ));
    }
    if d.year() < 1900 {
        return Err(FieldError::new(
            "date_of_birth",
            "Date of birth is before 1900; check the year.",
        ));
    }
    Ok(d)
}

/// An optional phone number: digits with spaces and `+ ( ) - . /`, 6–15 digits.
pub fn phone(field: &str, raw: &str, required: bool) -> Result<String, FieldError> {
    let v = clean_text(raw);
    if v.is_empty() {
        return if required {
            Err(FieldError::new(field, "Enter a phone number."))
        } else {
            Ok(v)
        };
    }
    if let Some(bad) = v
        .chars()
        .find(|c| !(c.is_numeric() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.' | '/')))
    {
        return Err(FieldError::new(
            field,
            format!(
                "A phone number can only contain digits, spaces and + ( ) - . / — \"{bad}\" is not allowed."
            ),
        ));
    }
    if v.chars().skip(1).any(|c| c == '+') {
        return Err(FieldError::new(
            field,
            "A \"+\" can only start a phone number.",
        ));
    }
    let n = crate::fold::digits(&v).len();
    if n < PHONE_MIN_DIGITS {
        return Err(FieldError::new(
            field,
            format!(
                "This phone number has {n} digits; a phone number has at least {PHONE_MIN_DIGITS}."
            ),
        ));
    }
    if n > PHONE_MAX_DIGITS {
        return Err(FieldError::new(
            field,
            format!(
                "This phone number has {n} digits; a phone number has at most {PHONE_MAX_DIGITS}."
            ),
        ));
    }
    Ok(v)
}

/// An optional e-mail address: one `@`, something before it, a dotted domain after it.
pub fn email(raw: &str) -> Result<String, FieldError> {
    let v = raw.trim().to_string();
    if v.is_empty() {
        return Ok(v);
    }
    let bad = || {
        FieldError::new(
            "email",
            format!("\"{v}\" is not an e-mail address (expected name@example.com)."),
        )
    };
    if v.chars().count() > EMAIL_MAX_CHARS || v.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    let Some((local, domain)) = v.split_once('@') else {
        return Err(bad());
    };
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(v)
}

/// Free text with a length limit; keeps line breaks.
pub fn text(field: &str, label: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    if has_control(raw, true) {
        return Err(FieldError::new(
            field,
            format!("{label} contains characters that cannot be printed."),
        ));
    }
    let v = clean_multiline(raw);
    let n = v.chars().count();
    if n > max {
        return Err(FieldError::new(
            field,
            format!("{label} is too long: {n} characters, the limit is {max}."),
        ));
    }
    Ok(v)
}

/// An optional language code: `en`, `es`, `pt-BR`, `zh-Hant` (BCP 47 shape).
pub fn language(raw: &str) -> Result<String, FieldError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let mut parts = v.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !(primary_ok && rest_ok) {
        return Err(FieldError::new(
            "preferred_language",
            format!("\"{v}\" is not a language code; choose a language from the list."),
        ));
    }
    Ok(v.to_string())
}

/// Checks a whole patient form; every invalid field is reported, in form order.
pub fn patient(input: &PatientInput, today: NaiveDate) -> Result<ValidPatient, ValidationErrors> {
    let mut c = Collector::default();
    let first_name = c.check(name("first_name", "First name", &input.first_name));
    let last_name = c.check(name("last_name", "Last name", &input.last_name));
    let date_of_birth = c.check(date_of_birth(&input.date_of_birth, today));
    let phone = c.check(phone("phone", &input.phone, false));
    let email = c.check(email(&input.email));
    let address = c.check(text(
        "address",
        "Address",
        &input.address,
        ADDRESS_MAX_CHARS,
    ));
    let preferred_language = c.check(language(&input.preferred_language));
    let notes = c.check(text("notes", "Notes", &input.notes, NOTES_MAX_CHARS));
    c.finish()?;
    Ok(ValidPatient {
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        date_of_birth: date_of_birth.unwrap_or_default(),
        sex: input.sex,
        phone: phone.unwrap_or_default(),
        email: email.unwrap_or_default(),
        address: address.unwrap_or_default(),
        preferred_language: preferred_language.unwrap_or_default(),
        notes: notes.unwrap_or_default(),
    })
}

/// A login name: 3–32 characters, letters, digits, `.`, `_` or `-`.
/// A user name as it is stored and looked up: NFKC, then case-folded, then
/// NFKC again (so `Ölaf`, `ölaf` and the full-width `ｏｌａｆ` forms meet).
pub fn fold_username(raw: &str) -> String {
    let nfkc: String = raw.trim().nfkc().collect();
    nfkc.to_lowercase().nfkc().collect()
}

/// A login name: 3 to 32 letters, digits, dots, dashes or underscores,
/// returned normalised by [`fold_username`].
pub fn username(field: &str, raw: &str) -> Result<String, FieldError> {
    if has_invisible(raw) {
        return Err(FieldError::new(
            field,
            "A user name cannot contain invisible characters (direction or zero-width marks).",
        ));
    }
    let folded = fold_username(raw);
    let v = folded.as_str();
    if v.is_empty() {
        return Err(FieldError::new(field, "Enter a user name."));
    }
    let n = v.chars().count();
    if !(3..=32).contains(&n) {
        return Err(FieldError::new(
            field,
            format!("A user name has 3 to 32 characters; this one has {n}."),
        ));
    }
    if !v
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(FieldError::new(
            field,
            "A user name can only contain letters, digits, dots, dashes and underscores.",
        ));
    }
    Ok(v.to_string())
}

/// A password's length (at least 12 characters, any characters); its
/// strength is rated in dermis-clinic (zxcvbn), which knows the user name.
pub fn password(field: &str, raw: &str) -> Result<String, FieldError> {
    let n = raw.chars().count();
    if raw.trim().is_empty() {
        return Err(FieldError::new(field, "Enter a password."));
    }
    if n < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            field,
            format!("A password needs at least {PASSWORD_MIN_CHARS} characters; a short sentence is easy to remember."),
        ));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(
            field,
            format!("A password can have at most {PASSWORD_MAX_CHARS} characters."),
        ));
    }
    Ok(raw.to_string())
}

/// A validated first-run form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSetup {
    pub clinic_name: String,
    pub clinic_address: String,
    pub clinic_phone: String,
    pub admin_username: String,
    pub admin_display_name: String,
    pub password: String,
}

pub fn setup(input: &SetupInput) -> Result<ValidSetup, ValidationErrors> {
    let mut c = Collector::default();
    let clinic_name = c.check(clinic_name(&input.clinic_name));
    let clinic_address = c.check(text(
        "clinic_address",
        "Address",
        &input.clinic_address,
        ADDRESS_MAX_CHARS,
    ));
    let clinic_phone = c.check(phone("clinic_phone", &input.clinic_phone, false));
    let admin_username = c.check(username("admin_username", &input.admin_username));
    let admin_display_name = c.check(name(
        "admin_display_name",
        "Your name",
        &input.admin_display_name,
    ));
    let password = c.check(password("password", &input.password));
    c.finish()?;
    Ok(ValidSetup {
        clinic_name: clinic_name.unwrap_or_default(),
        clinic_address: clinic_address.unwrap_or_default(),
        clinic_phone: clinic_phone.unwrap_or_default(),
        admin_username: admin_username.unwrap_or_default(),
        admin_display_name: admin_display_name.unwrap_or_default(),
        password: password.unwrap_or_default(),
    })
}

pub fn clinic_name(raw: &str) -> Result<String, FieldError> {
    if has_control(raw, true) {
        return Err(FieldError::new(
            "clinic_name",
            "The clinic name contains characters that cannot be printed.",
        ));
    }
    let v = clean_text(raw);
    if v.is_empty() {
        return Err(FieldError::new("clinic_name", "Enter the clinic's name."));
    }
    let n = v.chars().count();
    if n > CLINIC_NAME_MAX_CHARS {
        return Err(FieldError::new(
            "clinic_name",
            format!("The clinic name is too long: {n} characters, the limit is {CLINIC_NAME_MAX_CHARS}."),
        ));
    }
    Ok(v)
}

/// An appointment time, `HH:MM` (24-hour); empty means "no time booked".
pub fn time_of_day(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    chrono::NaiveTime::parse_from_str(v, "%H:%M")
        .map(|t| Some(t.format("%H:%M").to_string()))
        .map_err(|_| {
            FieldError::new(
                field,
                format!("\"{v}\" is not a time; use the 24-hour form HH:MM, e.g. 09:30 or 14:15."),
            )
        })
}
