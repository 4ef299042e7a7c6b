//! The text rules around the clinical ones: search folding, the stored names
//! of roles, sexes and photo angles, before/after photo pairs and the search
//! box's reading of a query.

use crate::common::*;
use dermis_core::assessment::TreatmentArea;
use dermis_core::fold::{
    digit_suffix_terms, digits, fold, fold_words, name_search_text, suffix_terms, term_prefix,
    TermKind, TERM_MAX_CHARS,
};
use dermis_core::ids;
use dermis_core::photo::{before_after_pairs, validate_tags, Photo, PhotoAngle, PhotoTags};
use dermis_core::search::{format_patient_number, parse};
use dermis_core::{Role, Sex};

#[test]
fn letters_that_do_not_decompose_fold_to_plain_latin() {
    for (typed, folded) in [
        ("Straße", "strasse"),
        ("Æsa", "aesa"),
        ("Cœur", "coeur"),
        ("Søren", "soren"),
        ("Đorđe", "dorde"),
        ("Guðrún", "gudrun"),
        ("Łucja", "lucja"),
        ("Þór", "thor"),
        ("Işık", "isik"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
        ("Οδυσσεύς", "οδυσσευσ"),
        ("D’Angelo", "dangelo"),
        ("Ma`ila", "maila"),
        ("Kaʻiulani", "kaiulani"),
        ("Naʼomi", "naomi"),
        ("محـــمد", "محمد"),
    ] {
        assert_eq!(fold(typed), folded, "{typed}");
    }
}

#[test]
fn separators_become_one_space_between_words_only() {
    assert_eq!(fold("--Ana--María--"), "ana maria");
    assert_eq!(fold("Ana-ß"), "ana ss");
    assert_eq!(fold("ß-Ana"), "ss ana");
    assert_eq!(fold("Ana ’ Lu"), "ana lu");
    assert_eq!(fold("  "), "");
    // A leading separator before a letter that is mapped adds no space.
    assert_eq!(fold(" ßa"), "ssa");
    assert_eq!(fold("-æ"), "ae");
    assert_eq!(fold_words(" Ana  María "), ["ana", "maria"]);
    assert!(fold_words("!!").is_empty());
}

#[test]
fn phone_digits_are_read_in_every_script_staff_type() {
    assert_eq!(digits("０１２３４５６７８９"), "0123456789");
    assert_eq!(digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
    assert_eq!(digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
    assert_eq!(digits("०१२३४५६७८९"), "0123456789");
    assert_eq!(digits("+1 (555) 010-9999"), "15550109999");
    assert_eq!(digits("Ⅻ ½ x"), "");
}

#[test]
fn search_terms_are_every_suffix_cut_to_the_indexed_length() {
    assert_eq!(TERM_MAX_CHARS, 24);
    let t = suffix_terms("Ana");
    let want: Vec<(TermKind, String)> = vec![
        (TermKind::WordStart, "ana".into()),
        (TermKind::Inner, "a".into()),
        (TermKind::Inner, "na".into()),
    ];
    assert_eq!(t.into_iter().collect::<Vec<_>>(), want);
    let long = "b".repeat(30);
    let t = suffix_terms(&long);
    assert!(t.contains(&(TermKind::WordStart, "b".repeat(24))));
    assert!(t.contains(&(TermKind::Inner, "b".repeat(24))));
    assert!(t.contains(&(TermKind::Inner, "b".into())));
    let d = digit_suffix_terms("12345");
    assert_eq!(
        d.into_iter().collect::<Vec<_>>(),
        ["12345", "2345", "345", "45", "5"]
    );
    let d = digit_suffix_terms(&"7".repeat(30));
    assert_eq!(
        d.len(),
        24,
        "30 suffixes, the first 7 cut to the same 24 digits"
    );
    assert!(d.iter().all(|s| s.len() <= 24));
    assert_eq!(term_prefix(&"é".repeat(30)).chars().count(), 24);
    assert_eq!(term_prefix("ana"), "ana");
}

#[test]
fn cjk_names_are_also_indexed_family_name_first_without_a_space() {
    assert_eq!(name_search_text("花子", "山田"), "花子 山田 山田花子");
    assert_eq!(
        name_search_text("ハナコ", "ヤマモト"),
        "ハナコ ヤマモト ヤマモトハナコ"
    );
    assert_eq!(name_search_text("Ana", "王"), "ana 王");
    assert_eq!(name_search_text("", "王"), "王");
    assert_eq!(name_search_text("小 明", "王"), "小 明 王 王小明");
    assert_eq!(name_search_text("", ""), "");
}

#[test]
fn roles_sexes_and_angles_round_trip_through_their_stored_names() {
    for (r, name) in [
        (Role::Admin, "admin"),
        (Role::Practitioner, "practitioner"),
        (Role::Receptionist, "receptionist"),
    ] {
        assert_eq!(r.as_str(), name);
        assert_eq!(Role::parse(name), Some(r));
        assert_eq!(Role::parse(&format!(" {name} ")), Some(r));
    }
    assert_eq!(Role::parse("owner"), None);
    for (s, name, short) in [
        (Sex::Female, "female", "F"),
        (Sex::Male, "male", "m"),
        (Sex::Other, "other", "O"),
    ] {
        assert_eq!(s.as_str(), name);
        assert_eq!(Sex::parse(name), Some(s));
        assert_eq!(Sex::parse(short), Some(s));
        assert_eq!(Sex::parse(&name.to_uppercase()), Some(s));
    }
    assert_eq!(Sex::parse("x"), None);
    let names = ["front", "left", "right", "left_oblique", "right_oblique"];
    for (a, name) in PhotoAngle::ALL.into_iter().zip(names) {
        assert_eq!(a.as_str(), name);
        assert_eq!(PhotoAngle::parse(name), Some(a));
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{name}\""));
    }
    assert_eq!(
        PhotoAngle::parse("Left Oblique"),
        Some(PhotoAngle::LeftOblique)
    );
    assert_eq!(PhotoAngle::parse("top"), None);
}

fn photo(id: i64, area: TreatmentArea, angle: PhotoAngle, date: &str) -> Photo {
    Photo {
        id: ids::PhotoId(id),
        patient_id: ids::PatientId(1),
        sha256: String::new(),
        mime: "image/jpeg".into(),
        width: 1,
        height: 1,
        taken_on: d(date),
        area,
        angle,
        session_record_id: None,
        assessment_id: None,
        imported_by: String::new(),
        imported_at: String::new(),
    }
}

#[test]
fn a_before_after_pair_needs_two_different_days() {
    use PhotoAngle::*;
    use TreatmentArea::*;
    // Two photos the same day: no pair.
    assert!(before_after_pairs(&[
        photo(1, Chin, Front, "2026-01-01"),
        photo(2, Chin, Front, "2026-01-01"),
    ])
    .is_empty());
    // A day apart: a pair, oldest before.
    let p = before_after_pairs(&[
        photo(2, Chin, Front, "2026-01-02"),
        photo(1, Chin, Front, "2026-01-01"),
    ]);
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].area, p[0].angle), (Chin, Front));
    assert_eq!((p[0].before.id.0, p[0].after.id.0), (1, 2));
    // Same area, another angle: kept apart.
    assert!(before_after_pairs(&[
        photo(1, Chin, Front, "2026-01-01"),
        photo(2, Chin, Left, "2026-02-01"),
    ])
    .is_empty());
}

#[test]
fn a_camera_date_in_the_future_falls_back_to_today() {
    let today = d("2026-05-01");
    let t = PhotoTags {
        taken_on: String::new(),
        area: TreatmentArea::Chin,
        angle: PhotoAngle::Front,
        session_record_id: None,
        assessment_id: None,
    };
    assert_eq!(
        validate_tags(&t, Some(d("2026-05-02")), today).unwrap(),
        today
    );
    assert_eq!(validate_tags(&t, Some(today), today).unwrap(), today);
    let typed = PhotoTags {
        taken_on: "2026-04-30".into(),
        ..t
    };
    assert_eq!(
        validate_tags(&typed, Some(d("2026-01-01")), today).unwrap(),
        d("2026-04-30")
    );
}

#[test]
fn the_search_box_reads_numbers_phones_and_dates_at_their_edges() {
    // Six digits can be a patient number; seven cannot.
    assert_eq!(parse("123456").patient_number, Some(123_456));
    assert_eq!(parse("1234567").patient_number, None);
    assert_eq!(parse("1234567").phone_digits.as_deref(), Some("1234567"));
    // Three digits are phone digits; two are only a patient number.
    assert_eq!(parse("123").phone_digits.as_deref(), Some("123"));
    assert_eq!(parse("12").patient_number, Some(12));
    assert!(!parse("12").is_empty());
    assert_eq!(parse("P 7").patient_number, Some(7));
    assert!(parse("p").patient_number.is_none());
    assert_eq!(parse("pia").words, ["pia"]);
    assert_eq!(format_patient_number(1_234_567), "P-1234567");
    // A date needs a four-digit year.
    assert!(parse("17/05/90").dates.is_empty());
    assert!(parse("17/05/12345").dates.is_empty());
    assert!(parse("00017/05/1990").dates.is_empty());
    assert!(parse("17/05").dates.is_empty());
    assert!(parse("1/2/3/1990").dates.is_empty());
    // Words with a digit are words, not a patient number.
    let q = parse("ana 2");
    assert_eq!(q.words, ["ana", "2"]);
    assert_eq!(q.patient_number, None);
    assert_eq!(parse("17-05-1990").dates, [d("1990-05-17")]);
    assert_eq!(parse("05/05/1990").dates, [d("1990-05-05")]);
    let q = parse("17/05/1990");
    assert!(q.words.is_empty() && q.phone_digits.is_none() && q.patient_number.is_none());
    assert!(!q.is_empty());
}
