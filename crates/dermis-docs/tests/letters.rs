//! The recall letter in every language and the lot trace letter list, read
//! back with poppler (issue 18).

#[allow(dead_code)]
mod poppler;

use chrono::NaiveDate;
use dermis_docs::{
    lang::Language, lot_trace_list, recall_letter, samples, DateFormat, LotTraceListInput,
    LotTracePatient, PaperSize, RecallLetterInput,
};
use poppler::{squash, write};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 3 December 2026 in the clinic's format (DD/MM/YYYY here), whatever the
/// letter's language: the desk reads the same date on screen.
fn due_in(_lang: Language) -> &'static str {
    "03/12/2026"
}

fn letter(lang: Language, name: &str) -> RecallLetterInput {
    RecallLetterInput {
        letterhead: samples::letterhead(true),
        paper: PaperSize::A4,
        patient_name: name.into(),
        patient_number: "P-000042".into(),
        address: "7 Orchard Lane\nBristol BS1 4DJ".into(),
        due: d("2026-12-03"),
        date_format: DateFormat::DayMonthYear,
        generated_on: d("2026-11-30"),
        language: lang,
    }
}

/// Arabic as pdftotext gives it back is compared without the letters of
/// ligatures and marks (see tests/languages.rs, `arabic_key`).
fn arabic_key(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    *c,
                    '،' | ':' | '\u{64B}'..='\u{65F}' | 'ا' | 'أ' | 'ل' | 'ى'
                )
        })
        .collect()
}

fn shows(lang: Language, text: &str, want: &str) -> bool {
    let text = text.replace(['\u{a0}', '\u{202f}'], " ");
    if lang.is_rtl() {
        let have: Vec<String> = text.split_whitespace().map(arabic_key).collect();
        let have = have.join(" ");
        want.split_whitespace()
            .map(arabic_key)
            .filter(|w| !w.is_empty())
            .all(|w| have.contains(&w))
    } else {
        text.contains(want)
    }
}

#[test]
fn the_recall_letter_names_the_patient_and_the_due_date_in_their_language() {
    for &(lang, name) in samples::PATIENTS_BY_LANGUAGE {
        let bytes = recall_letter(&letter(lang, name)).unwrap();
        let pdf = write(&bytes);
        assert_eq!(pdf.pages(), 1, "{lang}");
        pdf.assert_fonts_embedded_and_subset();
        let text = squash(&pdf.text());
        assert!(shows(lang, &text, name), "{lang}: no {name:?} in {text}");
        assert!(
            shows(lang, &text, due_in(lang)),
            "{lang}: no {:?} in {text}",
            due_in(lang)
        );
        assert!(text.contains("+33 1 23 45 67 89"), "{lang}: {text}");
        if lang != Language::En {
            for english in ["maintenance", "Dear", "Please call", "kind regards"] {
                assert!(
                    !text.contains(english),
                    "{lang}: English {english:?} in {text}"
                );
            }
        }
    }
}

#[test]
fn every_language_has_the_recall_letters_sentences_translated() {
    let en: Vec<String> = dermis_docs::lang::message_ids()
        .into_iter()
        .filter(|id| id.starts_with("recall-"))
        .collect();
    assert_eq!(en.len(), 9);
    for lang in Language::ALL {
        for id in &en {
            assert!(
                dermis_docs::lang::has_message(lang, id),
                "{lang}: {id} missing"
            );
        }
    }
}

fn patient(i: usize) -> LotTracePatient {
    LotTracePatient {
        patient_name: format!("Patient Number{i}"),
        patient_number: format!("P-{i:06}"),
        phone: "+44 20 7946 0000".into(),
        email: format!("p{i}@example.org"),
        address: "1 High Street\nLondon".into(),
        sessions: vec![(d("2026-05-04"), "Dr Amira Haddad".into())],
    }
}

#[test]
fn the_lot_trace_list_lists_every_patient_across_pages() {
    let input = LotTraceListInput {
        letterhead: samples::letterhead(false),
        paper: PaperSize::A4,
        lot: "CART-91".into(),
        from: Some(d("2026-05-01")),
        to: Some(d("2026-06-30")),
        patients: (1..=40).map(patient).collect(),
        date_format: DateFormat::DayMonthYear,
        generated_on: d("2026-11-30"),
    };
    let bytes = lot_trace_list(&input).unwrap();
    let pdf = write(&bytes);
    assert!(pdf.pages() >= 2, "40 patients do not fit on one page");
    let text = squash(&pdf.text());
    for i in 1..=40 {
        assert!(
            text.contains(&format!("P-{i:06}")),
            "patient {i} missing in {text}"
        );
    }
    assert!(text.contains("CART-91"));
    assert!(text.contains("40 patients to contact"));
    assert!(
        text.contains(&format!("page {} of {}", pdf.pages(), pdf.pages())),
        "{text}"
    );

    let empty = LotTraceListInput {
        patients: vec![],
        ..input
    };
    let pdf = write(&lot_trace_list(&empty).unwrap());
    assert_eq!(pdf.pages(), 1);
    assert!(squash(&pdf.text()).contains("0 patients to contact"));
}
