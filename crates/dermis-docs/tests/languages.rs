//! Every document language read back with poppler: the aftercare sheet of a
//! patient in each language is one page, keeps the patient's name, writes
//! the computed dates with that language's weekdays and months, and leaves
//! no English heading behind; Arabic pages are laid out right to left. The
//! byte-determinism and font-subsetting checks hold in every language.

// Shared with tests/documents.rs; this file uses part of it.
#[allow(dead_code)]
mod poppler;

use dermis_docs::{
    aftercare_sheet, lang::Language, progress_summary, samples, schedule_card, validate_template,
};
use poppler::{squash, write};

/// The sample sheet (treated Tuesday 24 November 2026, the clinic writes
/// DD/MM/YYYY): no makeup until Thursday 26/11/2026, no retinol until Tuesday
/// 01/12/2026. The weekday in each language with the date the clinic's way,
/// written out here by hand (not computed with the code under test).
fn expected_dates(lang: Language) -> [&'static str; 2] {
    match lang {
        Language::En => ["Thursday 26/11/2026", "Tuesday 01/12/2026"],
        Language::Fr => ["jeudi 26/11/2026", "mardi 01/12/2026"],
        Language::Es => ["jueves, 26/11/2026", "martes, 01/12/2026"],
        Language::De => ["Donnerstag, 26/11/2026", "Dienstag, 01/12/2026"],
        Language::It => ["giovedì 26/11/2026", "martedì 01/12/2026"],
        Language::Pt => ["quinta-feira, 26/11/2026", "terça-feira, 01/12/2026"],
        Language::Ar => ["الخميس، 26/11/2026", "الثلاثاء، 01/12/2026"],
    }
}

/// Headings and fixed sentences of the English sheet that must not survive
/// in another language.
const ENGLISH: &[&str] = &[
    "Aftercare after your treatment",
    "Patient number",
    "Treatment date",
    "Extra care for your skin type",
    "The first 48 hours",
    "What is normal",
    "Protect your results",
    "When to call us",
    "Your next appointment",
    "Questions or worries",
    "Printed",
    "Aftercare sheet",
    " at 14",
    "Thursday",
    "Tuesday",
];

/// Arabic as poppler gives it back, made comparable. pdftotext rebuilds
/// right-to-left lines itself and (a) writes a ligature's text in reverse
/// ("ال" for the lam-alef "لا", "عىل" for "على"), (b) moves neutral
/// punctuation and numbers around ("جلسات5" for "5 جلسات"), (c) puts a mark
/// drawn with an offset (the shadda) elsewhere on the line. The PDF itself
/// maps each glyph to its logical text (see the unit tests in `text.rs`).
/// So Arabic is compared word by word, each word without vowel marks and
/// without the letters of those ligatures (alef, lam, alef maksura).
fn arabic_key(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    *c,
                    '،' | ':' | '(' | ')' | '\u{64B}'
                        ..='\u{65F}' | '\u{670}' | 'ا' | 'أ' | 'إ' | 'آ' | 'ل' | 'ى'
                )
        })
        .collect()
}

/// Whether `text` (squashed pdftotext output) contains `want`.
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

fn sheet_in(lang: Language, name: &str) -> dermis_docs::AftercareInput {
    let mut input = samples::aftercare_in(lang, name, 42);
    input.pih_caution = true;
    input
}

#[test]
fn the_aftercare_sheet_in_every_language() {
    for &(lang, name) in samples::PATIENTS_BY_LANGUAGE {
        let bytes = aftercare_sheet(&sheet_in(lang, name)).unwrap();
        eprintln!(
            "aftercare sheet, {lang}: {} bytes ({:.1} KB)",
            bytes.len(),
            bytes.len() as f64 / 1024.0
        );
        assert!(bytes.len() <= 80 * 1024, "{lang}: {} bytes", bytes.len());
        let pdf = write(&bytes);
        assert_eq!(pdf.pages(), 1, "{lang}");
        pdf.assert_fonts_embedded_and_subset();
        let raw = pdf.text();
        let text = squash(&raw);
        assert!(
            raw.lines().any(|l| l.trim() == name) || text.contains(name),
            "{lang}: the name {name:?} is not intact in {raw}"
        );
        for date in expected_dates(lang) {
            assert!(shows(lang, &text, date), "{lang}: no {date:?} in {text}");
        }
        if lang != Language::En {
            for english in ENGLISH {
                assert!(
                    !text.contains(english),
                    "{lang}: English {english:?} left in {text}"
                );
            }
        }
        // The clinic's phone number and name are printed as given.
        assert!(text.contains("+33 1 23 45 67 89"), "{lang}: {text}");
        assert!(text.contains("Clinique Étoile"), "{lang}: {text}");
    }
}

#[test]
fn each_language_says_the_key_safety_sentence_in_its_own_words() {
    let retinol = [
        (Language::En, "no retinol until Tuesday 01/12/2026"),
        (Language::Fr, "ni de rétinol jusqu’au mardi 01/12/2026"),
        (Language::Es, "ni de retinol hasta el martes, 01/12/2026"),
        (Language::De, "kein Retinol bis Dienstag, 01/12/2026"),
        (Language::It, "niente retinolo fino a martedì 01/12/2026"),
        (Language::Pt, "sem retinol até terça-feira, 01/12/2026"),
        (Language::Ar, "لا تقشير ولا ريتينول حتى الثلاثاء، 01/12/2026"),
    ];
    for (lang, sentence) in retinol {
        let name = samples::PATIENTS_BY_LANGUAGE
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, n)| *n)
            .unwrap();
        let text = squash(&write(&aftercare_sheet(&sheet_in(lang, name)).unwrap()).text());
        assert!(
            shows(lang, &text, sentence),
            "{lang}: no {sentence:?} in {text}"
        );
    }
}

#[test]
fn the_next_appointment_uses_the_languages_clock() {
    // 29 December at 14:30: Arabic uses CLDR's 12-hour clock.
    let cases = [
        (Language::Fr, "mardi 29/12/2026 à 14:30"),
        (Language::De, "Dienstag, 29/12/2026 um 14:30 Uhr"),
        (Language::Ar, "2:30 م"),
    ];
    for (lang, want) in cases {
        let text = squash(&write(&aftercare_sheet(&sheet_in(lang, "A B")).unwrap()).text());
        assert!(shows(lang, &text, want), "{lang}: no {want:?} in {text}");
    }
}

#[test]
fn every_default_text_is_a_valid_template() {
    for lang in Language::ALL {
        validate_template(lang.default_aftercare_text()).unwrap();
    }
}

/// Where on the page (as a fraction of its width) a word starts and ends.
fn span_of(pdf: &poppler::Pdf, word: &str) -> (f32, f32) {
    let width = pdf.page_width();
    let words = pdf.words();
    let (_, x0, x1, _) = words
        .iter()
        // pdftotext -bbox gives right-to-left words in visual order.
        .find(|(w, ..)| w == word || w.chars().rev().collect::<String>() == word)
        .unwrap_or_else(|| panic!("no word {word:?} in {words:?}"));
    (x0 / width, x1 / width)
}

#[test]
fn the_arabic_page_is_mirrored() {
    let en = write(&aftercare_sheet(&sheet_in(Language::En, "Olivia Bennett")).unwrap());
    let ar = write(&aftercare_sheet(&sheet_in(Language::Ar, "فاطمة الزهراء")).unwrap());
    // The title starts at the left margin in English, ends at the right one in Arabic.
    let (x0, _) = span_of(&en, "Aftercare");
    assert!(x0 < 0.15, "English title at {x0}");
    let (_, x1) = span_of(&ar, "العناية");
    assert!(x1 > 0.85, "Arabic title ends at {x1}");
    // The patient's name: left half in English, right half in Arabic.
    let (x0, _) = span_of(&en, "Olivia");
    assert!(x0 < 0.2, "{x0}");
    let (_, x1) = span_of(&ar, "فاطمة");
    assert!(x1 > 0.8, "{x1}");
    // The "call us" box is on the right in English and on the left in Arabic.
    let (x0, _) = span_of(&en, "Questions");
    assert!(x0 > 0.5, "{x0}");
    let (_, x1) = span_of(&ar, "أسئلة");
    assert!(x1 < 0.5, "{x1}");
    // Instruction lines end at the right margin (right-aligned), bullets on the right.
    let (_, x1) = span_of(&ar, "طبيعي");
    assert!(x1 > 0.8, "heading 'ما هو طبيعي' ends at {x1}");
}

#[test]
fn schedule_card_and_progress_summary_in_every_language() {
    for &(lang, name) in samples::PATIENTS_BY_LANGUAGE {
        let mut card = samples::schedule(name);
        card.language = lang;
        let bytes = schedule_card(&card).unwrap();
        assert_eq!(bytes, schedule_card(&card).unwrap(), "{lang}");
        let pdf = write(&bytes);
        assert_eq!(pdf.pages(), 1, "{lang}");
        pdf.assert_fonts_embedded_and_subset();
        let text = squash(&pdf.text());
        if lang != Language::En {
            for english in [
                "Your treatment schedule",
                "Session 1",
                "Maintenance",
                "time to be confirmed",
                "Your appointments",
            ] {
                assert!(!text.contains(english), "{lang}: {english:?} in {text}");
            }
        }

        let mut progress = samples::progress(name, 5, Some(300));
        progress.language = lang;
        let bytes = progress_summary(&progress).unwrap();
        assert_eq!(bytes, progress_summary(&progress).unwrap(), "{lang}");
        let pdf = write(&bytes);
        pdf.assert_fonts_embedded_and_subset();
        let text = squash(&pdf.text());
        if lang != Language::En {
            for english in [
                "Treatment progress summary",
                "improvement",
                "Sessions",
                "Page 1 of",
                "Against baseline",
                "Generated on",
            ] {
                assert!(!text.contains(english), "{lang}: {english:?} in {text}");
            }
        }
    }
}

#[test]
fn percentages_and_plurals_follow_the_language() {
    let cases = [
        (Language::En, "54% improvement", "5 sessions, every 5 weeks"),
        (
            Language::Fr,
            "Amélioration de 54 %",
            "5 séances, toutes les 5 semaines",
        ),
        (
            Language::Es,
            "Mejora del 54 %",
            "5 sesiones, cada 5 semanas",
        ),
        (
            Language::De,
            "54 % Verbesserung",
            "5 Sitzungen, alle 5 Wochen",
        ),
        (
            Language::It,
            "Miglioramento del 54%",
            "5 sedute, ogni 5 settimane",
        ),
        (
            Language::Pt,
            "Melhora de 54%",
            "5 sessões, a cada 5 semanas",
        ),
        (Language::Ar, "تحسّن بنسبة", "5 جلسات، كل 5 أسابيع"),
    ];
    for (lang, headline, course) in cases {
        let mut progress = samples::progress("A B", 5, None);
        progress.language = lang;
        let text = squash(&write(&progress_summary(&progress).unwrap()).text());
        assert!(
            shows(lang, &text, headline),
            "{lang}: no {headline:?} in {text}"
        );
        assert!(
            shows(lang, &text, course),
            "{lang}: no {course:?} in {text}"
        );
    }
}

#[test]
fn the_same_sheet_gives_the_same_bytes_in_every_language() {
    for &(lang, name) in samples::PATIENTS_BY_LANGUAGE {
        let input = sheet_in(lang, name);
        assert_eq!(
            aftercare_sheet(&input).unwrap(),
            aftercare_sheet(&input).unwrap(),
            "{lang}"
        );
        // The language is part of the content: another language, other bytes.
        let mut other = input.clone();
        other.language = if lang == Language::En {
            Language::Fr
        } else {
            Language::En
        };
        assert_ne!(
            aftercare_sheet(&input).unwrap(),
            aftercare_sheet(&other).unwrap()
        );
    }
}

/// The progress summary's session table and photo heading in the patient's
/// language: depths with the language's decimal separator, photo areas and
/// angles translated (they were printed "1.0 mm" and "Cheeks, front" on a
/// French summary).
#[test]
fn depths_and_photo_areas_are_written_in_the_documents_language() {
    use dermis_docs::lang::{depth_range, millimetres, photo_area_label};
    let cases: &[(Language, &str, &str, &str)] = &[
        (Language::En, "1.0–1.5 mm", "0.25 mm", "Cheeks, front"),
        (Language::Fr, "1,0–1,5 mm", "0,25 mm", "Joues, de face"),
        (Language::Es, "1,0–1,5 mm", "0,25 mm", "Mejillas, de frente"),
        (Language::De, "1,0–1,5 mm", "0,25 mm", "Wangen, frontal"),
        (Language::It, "1,0–1,5 mm", "0,25 mm", "Guance, frontale"),
        (Language::Pt, "1,0–1,5 mm", "0,25 mm", "Bochechas, frontal"),
    ];
    // Fluent isolates the values it inserts; the page shows what is between.
    let plain = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
    for (lang, range, single, area) in cases {
        assert_eq!(plain(depth_range(*lang, 1000, 1500)), *range, "{lang}");
        assert_eq!(plain(depth_range(*lang, 250, 250)), *single, "{lang}");
        assert_eq!(
            plain(photo_area_label(*lang, "cheeks", "front")),
            *area,
            "{lang}"
        );
    }
    assert_eq!(millimetres(Language::En, 2000), "2.0");
    assert_eq!(millimetres(Language::En, 1250), "1.25");
    let ar = plain(depth_range(Language::Ar, 500, 500));
    assert!(ar.ends_with("مم"), "{ar}");
    assert!(!ar.contains("mm"), "{ar}");
    let ar_area = plain(photo_area_label(
        Language::Ar,
        "left_oblique",
        "right_oblique",
    ));
    assert!(!ar_area.is_ascii() && !ar_area.contains('_'), "{ar_area}");
    // Every language names every area and angle Dermis records.
    for lang in Language::ALL {
        for area in [
            "forehead",
            "temples",
            "nose",
            "around_eyes",
            "cheekbones",
            "cheeks",
            "chin",
            "upper_lip",
            "jawline",
            "neck",
            "chest",
            "back",
        ] {
            for angle in ["front", "left", "right", "left_oblique", "right_oblique"] {
                let label = plain(photo_area_label(lang, area, angle));
                assert!(!label.contains('_'), "{lang}: {label}");
                if lang != Language::En {
                    assert_ne!(
                        label,
                        plain(photo_area_label(Language::En, area, angle)),
                        "{lang} {area} {angle} is left in English"
                    );
                }
            }
        }
    }
}
