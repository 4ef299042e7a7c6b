//! The documents parsed back with poppler-utils: what a patient, a clinic or
//! a PDF viewer would see.

// Shared with tests/languages.rs; this file uses part of it.
#[allow(dead_code)]
mod poppler;

use chrono::{NaiveDate, NaiveTime};
use dermis_docs::{
    aftercare_batch, aftercare_sheet, progress_summary, samples, schedule_card, Appointment,
    DocsError, PaperSize, ScorePoint, SessionRow,
};
use poppler::{squash, write};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// How pdftotext gives back a name. Right-to-left runs come back in logical
/// order (wrapped in bidi embedding controls, which `poppler` strips), but
/// poppler's right-to-left line builder drops the space between Hebrew words
/// (the PDF has it: a U+0020 glyph mapped in /ToUnicode, at its shaped
/// position); so for Hebrew the words are compared without spaces.
fn expected_extraction(script: &str, name: &str) -> String {
    match script {
        "hebrew" => name.split_whitespace().collect(),
        _ => name.to_string(),
    }
}

#[test]
fn every_script_prints_and_extracts_back() {
    for (script, name) in samples::NAMES {
        let pdf = write(&aftercare_sheet(&samples::aftercare(name, 42)).unwrap());
        let text = pdf.text();
        let wanted = expected_extraction(script, name);
        let found = if *script == "hebrew" {
            text.replace(' ', "").contains(&wanted)
        } else {
            text.contains(&wanted)
        };
        assert!(found, "{script}: {name:?} not in {text}");
        assert_eq!(pdf.pages(), 1, "{script}");
        pdf.assert_fonts_embedded_and_subset();
    }
}

#[test]
fn the_arabic_name_is_one_logical_string_with_its_space() {
    let pdf = write(&aftercare_sheet(&samples::aftercare("فاطمة الزهراء", 7)).unwrap());
    let text = pdf.text();
    assert!(text.lines().any(|l| l.trim() == "فاطمة الزهراء"), "{text}");
    // Shaped: the Arabic face is embedded (not drawn with Latin fallbacks).
    assert!(pdf
        .fonts()
        .iter()
        .any(|(n, _, _)| n.contains("NotoSansArabic")));
}

#[test]
fn a_mixed_script_name_uses_two_fonts() {
    let pdf = write(&aftercare_sheet(&samples::aftercare("Ana 王", 8)).unwrap());
    assert!(pdf.text().contains("Ana 王"), "{}", pdf.text());
    let fonts = pdf.fonts();
    assert!(
        fonts.iter().any(|(n, _, _)| n.contains("NotoSansCJK")),
        "{fonts:?}"
    );
    assert!(
        fonts.iter().any(|(n, _, _)| n.contains("NotoSans-Bold")),
        "{fonts:?}"
    );
}

#[test]
fn emoji_and_unsupported_characters_do_not_crash() {
    let pdf = write(&aftercare_sheet(&samples::aftercare("Ana 😊👍🏽 Lee 🇫🇷", 9)).unwrap());
    assert!(squash(&pdf.text()).contains("Ana Lee"), "{}", pdf.text());
    assert_eq!(pdf.pages(), 1);
    pdf.assert_fonts_embedded_and_subset();
    // A script no bundled font covers (Thai) prints a replacement character.
    let pdf = write(&aftercare_sheet(&samples::aftercare("สมชาย", 10)).unwrap());
    assert!(pdf.text().contains('\u{FFFD}'));
}

#[test]
fn one_page_with_a_300_character_name_and_a_long_address() {
    let name: String = "Maximiliana Anastasia Wolkenstein-Oberhausen "
        .repeat(8)
        .chars()
        .take(300)
        .collect();
    assert_eq!(name.chars().count(), 300);
    for paper in [PaperSize::A4, PaperSize::Letter] {
        let mut input = samples::aftercare(&name, 11);
        input.paper = paper;
        input.pih_caution = true;
        input.letterhead.name =
            "Clinique Dermatologique et Esthétique de l'Étoile du Nord ".repeat(3);
        input.letterhead.address = "Bâtiment C, 3e étage, Résidence des Grands Jardins, 140 Avenue du Général-de-Gaulle Prolongée, 92230 Gennevilliers, France ".repeat(4);
        input.letterhead.phone = "+33 1 23 45 67 89 / +33 6 12 34 56 78 (urgences)".into();
        input.template = format!(
            "{}\n{}",
            dermis_docs::default_aftercare_template(),
            "- A very long extra instruction the clinic added. ".repeat(40)
        );
        let pdf = write(&aftercare_sheet(&input).unwrap());
        assert_eq!(pdf.pages(), 1, "{paper:?}");
        let text = squash(&pdf.text());
        assert!(text.contains("Maximiliana Anastasia"), "{text}");
        assert!(text.contains('…'), "cut text ends with an ellipsis: {text}");
        // The bottom boxes are still there, not pushed off the page.
        assert!(text.contains("Your next appointment"), "{text}");
        assert!(text.contains("Questions or worries?"), "{text}");
        assert!(text.contains("Extra care for your skin type"), "{text}");
        pdf.assert_fonts_embedded_and_subset();
    }
}

#[test]
fn computed_dates_around_month_and_year_ends() {
    let cases = [
        (
            d(2026, 11, 24),
            "Until Thursday 26/11/2026: no makeup",
            "no retinol until Tuesday 01/12/2026.",
        ),
        (
            d(2026, 12, 31),
            "Until Saturday 02/01/2027: no makeup",
            "no retinol until Thursday 07/01/2027.",
        ),
        (
            d(2028, 2, 28),
            "Until Wednesday 01/03/2028: no makeup",
            "no retinol until Monday 06/03/2028.",
        ),
        (
            d(2027, 2, 28),
            "Until Tuesday 02/03/2027: no makeup",
            "no retinol until Sunday 07/03/2027.",
        ),
    ];
    for (treated, makeup, retinol) in cases {
        let mut input = samples::aftercare("Zoë Ñúñez-Łukasiewicz", 12);
        input.treatment_date = treated;
        let text = squash(&write(&aftercare_sheet(&input).unwrap()).text());
        assert!(text.contains(makeup), "{treated}: {text}");
        assert!(text.contains(retinol), "{treated}: {text}");
    }
}

#[test]
fn the_sheet_shows_the_next_appointment_the_phone_and_the_pih_caution_when_asked() {
    let mut input = samples::aftercare("Анна Смирнова", 13);
    input.next_appointment = Some(Appointment {
        date: d(2027, 1, 5),
        time: NaiveTime::from_hms_opt(9, 5, 0),
    });
    let text = squash(&write(&aftercare_sheet(&input).unwrap()).text());
    assert!(text.contains("Tuesday 05/01/2027 at 09:05"), "{text}");
    assert!(text.contains("+33 1 23 45 67 89"), "{text}");
    assert!(text.contains("P-000013"), "{text}");
    assert!(text.contains("Treatment date 24/11/2026"), "{text}");
    assert!(
        !text.contains("hyperpigmentation"),
        "no PIH line unless asked"
    );

    input.next_appointment = None;
    input.pih_caution = true;
    let text = squash(&write(&aftercare_sheet(&input).unwrap()).text());
    assert!(text.contains("Not booked yet"), "{text}");
    assert!(
        text.contains("post-inflammatory hyperpigmentation"),
        "{text}"
    );
}

#[test]
fn an_unknown_placeholder_is_refused_by_name() {
    let mut input = samples::aftercare("Zoë", 14);
    input.template = "Avoid the sun until {no_sun_until}.".into();
    match aftercare_sheet(&input) {
        Err(DocsError::Template(e)) => assert_eq!(e.placeholder(), Some("no_sun_until")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_logo_that_is_not_an_image_is_refused() {
    let mut input = samples::aftercare("Zoë", 15);
    input.letterhead.logo = Some(b"Clinique Etoile logo, pasted as text".to_vec());
    let err = aftercare_sheet(&input).unwrap_err();
    assert!(matches!(err, DocsError::InvalidLogo { .. }), "{err:?}");
    assert!(err.to_string().contains("logo"), "{err}");
    assert!(dermis_docs::validate_logo(b"not a picture").is_err());
    assert!(dermis_docs::validate_logo(&samples::logo_png()).is_ok());
}

#[test]
fn a_photo_that_is_not_an_image_is_refused_by_name() {
    let mut input = samples::progress("Zoë", 3, Some(200));
    if let Some(p) = input.photos.as_mut() {
        p.latest.bytes = b"%PDF-1.7 not a photo".to_vec();
    }
    let err = progress_summary(&input).unwrap_err();
    assert!(
        matches!(&err, DocsError::InvalidPhoto { which, .. } if which == "latest"),
        "{err:?}"
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let sheet = samples::aftercare("فاطمة الزهراء", 16);
    assert_eq!(
        aftercare_sheet(&sheet).unwrap(),
        aftercare_sheet(&sheet).unwrap()
    );
    let progress = samples::progress("山田 花子", 12, Some(300));
    assert_eq!(
        progress_summary(&progress).unwrap(),
        progress_summary(&progress).unwrap()
    );
    let card = samples::schedule("김민준");
    assert_eq!(schedule_card(&card).unwrap(), schedule_card(&card).unwrap());
    let batch: Vec<_> = samples::NAMES
        .iter()
        .map(|(_, n)| samples::aftercare(n, 1))
        .collect();
    assert_eq!(
        aftercare_batch(&batch).unwrap(),
        aftercare_batch(&batch).unwrap()
    );

    // The dates inside come from the input, never the clock.
    let pdf = write(&aftercare_sheet(&sheet).unwrap());
    let created = pdf.info("CreationDate");
    assert!(
        created.contains("Nov 24") && created.contains("2026"),
        "{created}"
    );
    let mut other_day = sheet.clone();
    other_day.generated_on = d(2026, 11, 25);
    assert_ne!(
        aftercare_sheet(&sheet).unwrap(),
        aftercare_sheet(&other_day).unwrap()
    );
}

/// Subset fonts are kept between documents (a few per face); a sheet must
/// not borrow another sheet's glyph numbering, whichever sheets came before.
#[test]
fn sheets_for_many_patients_in_turn_each_print_their_own_name_and_keep_their_bytes() {
    let first = samples::aftercare("فاطمة الزهراء", 1);
    let first_bytes = aftercare_sheet(&first).unwrap();
    // More different names than the kept subsets per face, in Latin and
    // Arabic, so kept subsets are both reused and pushed out.
    let names = [
        "Olivia Bennett-Hughes",
        "Amélie Lefèvre",
        "Jürgen Weiß",
        "Zoë Ñúñez-Łukasiewicz",
        "Quentin Vaxholm",
        "Yusuf Al-Khwarizmi",
        "Bob Kim",
        "Xavier Pique",
        "Ingrid Jönsson",
        "Chloé Dubois",
        "فاطمة الزهراء",
        "محمد بن سلمان",
        "يوسف حسن",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut sheet = samples::aftercare(name, 100 + i as u32);
        sheet.patient_number = format!("P-{:06}", 100 + i * 7);
        let pdf = write(&aftercare_sheet(&sheet).unwrap());
        let text = pdf.text();
        assert!(text.contains(name), "{name} not in {text}");
        assert!(text.contains(&sheet.patient_number), "{text}");
        pdf.assert_fonts_embedded_and_subset();
    }
    assert_eq!(aftercare_sheet(&first).unwrap(), first_bytes);
}

#[test]
fn one_aftercare_sheet_is_small() {
    let bytes = aftercare_sheet(&samples::aftercare("Zoë Ñúñez-Łukasiewicz", 17)).unwrap();
    assert!(bytes.len() <= 80 * 1024, "{} bytes", bytes.len());
}

#[test]
fn a_batch_of_n_sheets_has_n_pages_in_the_given_order() {
    let inputs: Vec<_> = samples::NAMES
        .iter()
        .enumerate()
        .map(|(i, (_, n))| samples::aftercare(n, 500 + i as u32))
        .collect();
    let bytes = aftercare_batch(&inputs).unwrap();
    let pdf = write(&bytes);
    assert_eq!(pdf.pages(), inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let page = pdf.page_text(i + 1);
        assert!(
            page.contains(&input.patient_number),
            "page {}: {page}",
            i + 1
        );
    }
    pdf.assert_fonts_embedded_and_subset();
    // Fonts are shared: one Noto Sans for all eight pages, and the batch is
    // far smaller than eight single sheets.
    let sans = pdf
        .fonts()
        .iter()
        .filter(|(n, _, _)| n.ends_with("+NotoSans-Regular"))
        .count();
    assert_eq!(sans, 1);
    let singles: usize = inputs
        .iter()
        .map(|i| aftercare_sheet(i).unwrap().len())
        .sum();
    assert!(bytes.len() * 2 < singles, "{} vs {singles}", bytes.len());
    assert_eq!(aftercare_batch(&[]), Err(DocsError::EmptyBatch));
}

#[test]
fn forty_sessions_flow_onto_numbered_pages_without_cutting_a_row() {
    let mut input = samples::progress("Zoë Ñúñez-Łukasiewicz", 40, Some(400));
    for (i, row) in input.sessions.iter_mut().enumerate() {
        let filler =
            "and a longer note that wraps over several lines of the notes column ".repeat(i % 4);
        row.notes = format!("begin{i:02} {filler}end{i:02}");
    }
    let pdf = write(&progress_summary(&input).unwrap());
    let pages = pdf.pages();
    assert!(pages >= 3, "{pages} pages");
    let texts: Vec<String> = (1..=pages).map(|p| squash(&pdf.page_text(p))).collect();
    for (p, text) in texts.iter().enumerate() {
        assert!(
            text.contains(&format!("Page {} of {pages}", p + 1)),
            "page {}: {text}",
            p + 1
        );
        assert!(text.contains("Clinique Étoile"), "footer on page {}", p + 1);
        assert!(text.contains("Generated on 24/11/2026"));
    }
    for i in 0..40 {
        let begin = format!("begin{i:02}");
        let end = format!("end{i:02}");
        let on: Vec<usize> = texts
            .iter()
            .enumerate()
            .filter(|(_, t)| t.contains(&begin))
            .map(|(p, _)| p)
            .collect();
        assert_eq!(on.len(), 1, "row {i} printed once: {on:?}");
        assert!(texts[on[0]].contains(&end), "row {i} is cut across pages");
    }
    pdf.assert_fonts_embedded_and_subset();
}

#[test]
fn the_progress_summary_reports_improvement_and_no_clear_change() {
    let mut input = samples::progress("Ελένη Παπαδοπούλου", 5, None);
    let text = squash(&write(&progress_summary(&input).unwrap()).text());
    assert!(text.contains("54% improvement"), "{text}");
    assert!(
        text.contains("5 sessions, every 5 weeks (in progress)"),
        "{text}"
    );
    assert!(text.contains("Scar score"), "{text}");
    input.scores = vec![
        ScorePoint {
            date: d(2026, 1, 5),
            score: 18,
        },
        ScorePoint {
            date: d(2026, 6, 5),
            score: 14,
        },
    ];
    input.sessions = vec![SessionRow {
        date: d(2026, 1, 5),
        zones: "cheeks".into(),
        depth: "1.0 mm".into(),
        notes: String::new(),
    }];
    let text = squash(&write(&progress_summary(&input).unwrap()).text());
    assert!(text.contains("No clear change"), "{text}");
    assert!(text.contains("Page 1 of 1"), "{text}");
}

#[test]
fn the_progress_summary_shows_the_photo_pair_and_next_maintenance() {
    let input = samples::progress("Zoë Ñúñez-Łukasiewicz", 6, Some(600));
    let pdf = write(&progress_summary(&input).unwrap());
    let text = squash(&pdf.text());
    assert!(text.contains("Photos: Left cheek"), "{text}");
    assert!(
        text.contains("First ·") && text.contains("Latest ·"),
        "{text}"
    );
    assert!(text.contains("Next maintenance"), "{text}");
    // Two photos embedded (pdfimages is not needed: the file holds two DCT streams).
    let bytes = std::fs::read(&pdf.path).unwrap();
    let dct = bytes.windows(9).filter(|w| w == b"DCTDecode").count();
    assert_eq!(dct, 2);
}

#[test]
fn the_schedule_card_lists_every_date_with_its_weekday() {
    let input = samples::schedule("山田 花子");
    let pdf = write(&schedule_card(&input).unwrap());
    assert_eq!(pdf.pages(), 1);
    let text = squash(&pdf.text());
    assert!(text.contains("山田 花子"), "{text}");
    assert!(
        text.contains("Session 1 Tuesday 24/11/2026 10:15"),
        "{text}"
    );
    assert!(
        text.contains("Session 5 Tuesday 13/04/2027 time to be confirmed"),
        "{text}"
    );
    assert!(text.contains("Maintenance 2 Monday 29/11/2027"), "{text}");
    assert!(text.contains("+33 1 23 45 67 89"), "{text}");
    pdf.assert_fonts_embedded_and_subset();

    // A very long course still fits one page.
    let mut long = input.clone();
    long.sessions = (0..60)
        .map(|i| dermis_docs::ScheduledSession {
            number: i + 1,
            date: d(2027, 1, 4) + chrono::Days::new(7 * u64::from(i)),
            time: None,
        })
        .collect();
    let pdf = write(&schedule_card(&long).unwrap());
    assert_eq!(pdf.pages(), 1);
    assert!(squash(&pdf.text()).contains("more dates"));
}
