//! PRODUCT.md section 8's limits exactly at the limit and one past it (the
//! name rules themselves are pinned in tests/validation.rs).

use crate::common::*;
use dermis_core::validate;
use dermis_core::{FieldError, LoginInput, ValidationErrors};

#[test]
fn a_date_of_birth_on_1_january_1900_or_today_is_accepted_and_a_day_outside_refused() {
    assert_eq!(
        validate::date_of_birth("1900-01-01", today()).unwrap(),
        d("1900-01-01")
    );
    assert_eq!(
        validate::date_of_birth("2026-11-24", today()).unwrap(),
        today()
    );
    for bad in ["1899-12-31", "2026-11-25"] {
        assert_eq!(
            validate::date_of_birth(bad, today()).unwrap_err().field,
            "date_of_birth",
            "{bad}"
        );
    }
}

#[test]
fn an_event_dated_today_is_in_the_past_and_tomorrow_is_not() {
    assert_eq!(
        validate::past_date("x", "Visit", "2026-11-24", today()).unwrap(),
        today()
    );
    let e = validate::past_date("x", "Visit", "2026-11-25", today()).unwrap_err();
    assert_eq!(
        e.message,
        "The visit 2026-11-25 is in the future; today is 2026-11-24."
    );
}

#[test]
fn a_phone_number_has_six_to_fifteen_digits() {
    assert_eq!(
        validate::phone("phone", "12 34 56", true).unwrap(),
        "12 34 56"
    );
    assert!(validate::phone("phone", "123456789012345", true).is_ok());
    let e = validate::phone("phone", "12 345", true).unwrap_err();
    assert_eq!(
        e.message,
        "This phone number has 5 digits; a phone number has at least 6."
    );
    let e = validate::phone("phone", "1234567890123456", true).unwrap_err();
    assert_eq!(
        e.message,
        "This phone number has 16 digits; a phone number has at most 15."
    );
    assert_eq!(
        validate::phone("phone", " ", true).unwrap_err().message,
        "Enter a phone number."
    );
    assert_eq!(validate::phone("phone", " ", false).unwrap(), "");
    assert!(validate::phone("phone", "+44 20 7946 0958", true).is_ok());
    assert!(validate::phone("phone", "44 +20 7946 0958", true).is_err());
    assert!(validate::phone("phone", "020/7946.0958 (home)", true).is_err());
}

#[test]
fn an_email_address_of_254_characters_is_accepted_and_255_refused() {
    let at = |n: usize| format!("{}@example.com", "a".repeat(n - 12));
    assert_eq!(at(254).chars().count(), 254);
    assert!(validate::email(&at(254)).is_ok());
    assert!(validate::email(&at(255)).is_err());
    for bad in [
        "a b@example.com",
        "@example.com",
        "a@example",
        "a@.example.com",
        "a@example.com.",
        "a@exa..mple.com",
        "a@b@example.com",
    ] {
        assert!(validate::email(bad).is_err(), "{bad}");
    }
}

#[test]
fn free_text_keeps_tabs_and_line_breaks_but_refuses_other_control_characters() {
    assert_eq!(
        validate::text("notes", "Notes", "a\tb\r\nc", 100).unwrap(),
        "a b\nc"
    );
    assert!(validate::text("notes", "Notes", "a\u{0}b", 100).is_err());
    assert!(validate::text("notes", "Notes", "a\u{1b}b", 100).is_err());
    assert_eq!(
        validate::text("notes", "Notes", &"é".repeat(10), 10)
            .unwrap()
            .chars()
            .count(),
        10
    );
    let e = validate::text("notes", "Notes", &"é".repeat(11), 10).unwrap_err();
    assert_eq!(
        e.message,
        "Notes is too long: 11 characters, the limit is 10."
    );
}

#[test]
fn a_user_name_has_three_to_thirty_two_characters() {
    assert_eq!(validate::username("u", " ana ").unwrap(), "ana");
    assert!(validate::username("u", &"a".repeat(32)).is_ok());
    assert!(validate::username("u", "ab").is_err());
    assert!(validate::username("u", &"a".repeat(33)).is_err());
    assert!(validate::username("u", "ana.silva_2-x").is_ok());
    assert!(validate::username("u", "ana silva").is_err());
    assert_eq!(
        validate::username("u", "  ").unwrap_err().message,
        "Enter a user name."
    );
}

#[test]
fn a_password_has_twelve_to_256_characters() {
    assert!(validate::password("p", &"é".repeat(12)).is_ok());
    assert!(validate::password("p", &"é".repeat(256)).is_ok());
    assert!(validate::password("p", &"é".repeat(11)).is_err());
    assert!(validate::password("p", &"é".repeat(257)).is_err());
    assert_eq!(
        validate::password("p", "          ").unwrap_err().message,
        "Enter a password."
    );
    // Kept as typed, spaces included.
    assert_eq!(
        validate::password("p", " a long sentence ").unwrap(),
        " a long sentence "
    );
}

#[test]
fn a_clinic_name_has_at_most_200_characters() {
    assert!(validate::clinic_name(&"c".repeat(200)).is_ok());
    assert!(validate::clinic_name(&"c".repeat(201)).is_err());
    assert!(validate::clinic_name("Sol\u{7}").is_err());
    assert_eq!(
        validate::clinic_name("  Sol  Clinic ").unwrap(),
        "Sol Clinic"
    );
}

#[test]
fn a_time_of_day_is_hh_mm_on_the_24_hour_clock() {
    assert_eq!(validate::time_of_day("time", "").unwrap(), None);
    assert_eq!(
        validate::time_of_day("time", " 9:05 ").unwrap().as_deref(),
        Some("09:05")
    );
    assert_eq!(
        validate::time_of_day("time", "23:59").unwrap().as_deref(),
        Some("23:59")
    );
    for bad in ["24:00", "12:60", "noon", "9.30"] {
        assert_eq!(
            validate::time_of_day("time", bad).unwrap_err().field,
            "time",
            "{bad}"
        );
    }
}

#[test]
fn a_language_code_has_a_two_or_three_letter_primary_tag() {
    for ok in ["en", "haw", "pt-BR", "zh-Hant", "es-419", ""] {
        assert_eq!(validate::language(ok).unwrap(), ok, "{ok}");
    }
    for bad in ["e", "engl", "p1", "pt-", "pt-B", "pt-abcdefghi", "pt_BR"] {
        assert!(validate::language(bad).is_err(), "{bad}");
    }
}

#[test]
fn validation_errors_say_their_first_message() {
    let e = ValidationErrors::single("phone", "Enter a phone number.");
    assert_eq!(
        e.first(),
        Some(&FieldError::new("phone", "Enter a phone number."))
    );
    assert_eq!(e.fields().len(), 1);
    assert_eq!(e.to_string(), "Enter a phone number.");
    assert_eq!(
        ValidationErrors(vec![]).to_string(),
        "The input is not valid."
    );
}

#[test]
fn a_password_never_reaches_a_log_line() {
    let l = LoginInput {
        username: "ana".into(),
        password: "correct horse battery".into(),
    };
    let shown = format!("{l:?}");
    assert!(
        shown.contains("ana") && shown.contains("<redacted>"),
        "{shown}"
    );
    assert!(!shown.contains("horse"));
}
