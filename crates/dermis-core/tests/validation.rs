//! Every input rule of PRODUCT.md section 8 that a patient or first-run form can break.

use chrono::NaiveDate;
use dermis_core::validate;
use dermis_core::{PatientInput, SetupInput};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn good() -> PatientInput {
    PatientInput {
        first_name: "José".into(),
        last_name: "Núñez".into(),
        date_of_birth: "1990-05-17".into(),
        sex: None,
        phone: "+34 612 345 678".into(),
        email: "jose@example.com".into(),
        address: "Calle Mayor 1\nMadrid".into(),
        preferred_language: "es".into(),
        notes: "".into(),
    }
}

/// The fields at fault, in order, and the first message.
fn errors(p: &PatientInput) -> (Vec<String>, String) {
    let e = validate::patient(p, today()).unwrap_err();
    (
        e.0.iter().map(|f| f.field.clone()).collect(),
        e.0[0].message.clone(),
    )
}

#[test]
fn a_good_form_passes_and_is_cleaned() {
    let mut p = good();
    p.first_name = "  José   María ".into();
    let v = validate::patient(&p, today()).unwrap();
    assert_eq!(v.first_name, "José María");
    assert_eq!(
        v.date_of_birth,
        NaiveDate::from_ymd_opt(1990, 5, 17).unwrap()
    );
}

#[test]
fn empty_and_whitespace_names_are_refused() {
    for blank in ["", "   ", "\u{3000}\t "] {
        let mut p = good();
        p.first_name = blank.into();
        let (fields, msg) = errors(&p);
        assert_eq!(fields, ["first_name"]);
        assert_eq!(msg, "Enter the first name.");
        let mut p = good();
        p.last_name = blank.into();
        assert_eq!(errors(&p).0, ["last_name"]);
    }
}

#[test]
fn a_300_character_name_is_refused_with_its_length() {
    let mut p = good();
    p.last_name = "a".repeat(300);
    let (fields, msg) = errors(&p);
    assert_eq!(fields, ["last_name"]);
    assert!(
        msg.contains("300 characters") && msg.contains("100"),
        "{msg}"
    );
    // Exactly at the limit is fine, counted in characters, not bytes.
    p.last_name = "ü".repeat(100);
    assert!(validate::patient(&p, today()).is_ok());
}

#[test]
fn names_in_any_script_and_with_emoji_are_accepted() {
    for (first, last) in [
        ("Γιώργος", "Παπαδόπουλος"),
        ("Алёна", "Фёдорова"),
        ("محمد", "الحسن"),
        ("נועה", "כהן"),
        ("小明", "王"),
        ("さくら", "佐藤"),
        ("민준", "김"),
        ("Ana 🌸", "O'Brien-Łukasiewicz"),
    ] {
        let mut p = good();
        p.first_name = first.into();
        p.last_name = last.into();
        assert!(validate::patient(&p, today()).is_ok(), "{first} {last}");
    }
}

#[test]
fn control_characters_in_names_are_refused() {
    let mut p = good();
    p.first_name = "Jo\u{0007}sé".into();
    assert_eq!(errors(&p).0, ["first_name"]);
}

#[test]
fn dates_of_birth_in_the_future_before_1900_or_malformed_are_refused() {
    for bad in [
        "2026-11-25",
        "2990-01-01",
        "1899-12-31",
        "17/05/1990",
        "1990-02-30",
        "yesterday",
        "",
    ] {
        let mut p = good();
        p.date_of_birth = bad.into();
        let (fields, msg) = errors(&p);
        assert_eq!(fields, ["date_of_birth"], "{bad}: {msg}");
    }
    let mut p = good();
    p.date_of_birth = "2026-11-24".into(); // born today: allowed
    assert!(validate::patient(&p, today()).is_ok());
    p.date_of_birth = "1900-01-01".into();
    assert!(validate::patient(&p, today()).is_ok());
}

#[test]
fn phone_numbers_with_letters_or_too_few_digits_are_refused() {
    for bad in [
        "0612 ABC 678",
        "call me",
        "12345",
        "+34 6+12 345 678",
        "1234567890123456",
    ] {
        let mut p = good();
        p.phone = bad.into();
        assert_eq!(errors(&p).0, ["phone"], "{bad}");
    }
    for ok in ["", "+44 (0)20 7946-0958", "020.7946.0958", "٠٥٠١٢٣٤٥٦٧"] {
        let mut p = good();
        p.phone = ok.into();
        assert!(validate::patient(&p, today()).is_ok(), "{ok}");
    }
}

#[test]
fn email_addresses_are_checked_when_given() {
    for bad in [
        "jose",
        "jose@",
        "@example.com",
        "jose@example",
        "jo se@example.com",
        "a@b@c.com",
        "jose@example..com",
    ] {
        let mut p = good();
        p.email = bad.into();
        assert_eq!(errors(&p).0, ["email"], "{bad}");
    }
    let mut p = good();
    p.email = "".into();
    assert!(validate::patient(&p, today()).is_ok());
}

#[test]
fn language_codes_have_a_shape() {
    for bad in ["english", "e", "es_ES", "zh-"] {
        let mut p = good();
        p.preferred_language = bad.into();
        assert_eq!(errors(&p).0, ["preferred_language"], "{bad}");
    }
    for ok in ["", "en", "pt-BR", "zh-Hant"] {
        let mut p = good();
        p.preferred_language = ok.into();
        assert!(validate::patient(&p, today()).is_ok(), "{ok}");
    }
}

#[test]
fn long_address_and_notes_are_refused() {
    let mut p = good();
    p.address = "x".repeat(501);
    assert_eq!(errors(&p).0, ["address"]);
    let mut p = good();
    p.notes = "x".repeat(5001);
    assert_eq!(errors(&p).0, ["notes"]);
}

#[test]
fn every_bad_field_is_reported_at_once_in_form_order() {
    let p = PatientInput {
        first_name: " ".into(),
        last_name: "".into(),
        date_of_birth: "2999-01-01".into(),
        phone: "abc".into(),
        email: "nope".into(),
        ..good()
    };
    assert_eq!(
        errors(&p).0,
        ["first_name", "last_name", "date_of_birth", "phone", "email"]
    );
}

fn setup() -> SetupInput {
    SetupInput {
        clinic_name: "Clinique Étoile".into(),
        clinic_address: "".into(),
        clinic_phone: "+33 1 23 45 67 89".into(),
        admin_username: "boss".into(),
        admin_display_name: "Dr Anne Boss".into(),
        password: "correct horse battery".into(),
    }
}

#[test]
fn first_run_form_rules() {
    assert!(validate::setup(&setup()).is_ok());
    let fields = |s: SetupInput| -> Vec<String> {
        validate::setup(&s)
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect()
    };
    assert_eq!(
        fields(SetupInput {
            clinic_name: "  ".into(),
            ..setup()
        }),
        ["clinic_name"]
    );
    assert_eq!(
        fields(SetupInput {
            clinic_phone: "phone".into(),
            ..setup()
        }),
        ["clinic_phone"]
    );
    assert_eq!(
        fields(SetupInput {
            admin_username: "a b".into(),
            ..setup()
        }),
        ["admin_username"]
    );
    assert_eq!(
        fields(SetupInput {
            admin_username: "ab".into(),
            ..setup()
        }),
        ["admin_username"]
    );
    assert_eq!(
        fields(SetupInput {
            admin_display_name: "".into(),
            ..setup()
        }),
        ["admin_display_name"]
    );
    assert_eq!(
        fields(SetupInput {
            password: "short".into(),
            ..setup()
        }),
        ["password"]
    );
    assert_eq!(
        fields(SetupInput {
            password: "          ".into(),
            ..setup()
        }),
        ["password"]
    );
    assert_eq!(
        fields(SetupInput {
            password: "p".repeat(257),
            ..setup()
        }),
        ["password"]
    );
}
