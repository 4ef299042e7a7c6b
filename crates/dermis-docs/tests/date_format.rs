//! Issue 22: every date a document prints is written the clinic's way (the
//! desk saw 31.12.2026 on screen and "31 December 2026" on paper). Each
//! document kind is made with the format set to DD.MM.YYYY and to
//! MM/DD/YYYY and read back with pdftotext: the dates show that way, and no
//! month written in words and no ISO date is left anywhere on the page.

#[allow(dead_code)]
mod poppler;

use chrono::{NaiveDate, NaiveTime};
use dermis_docs::{
    aftercare_batch, aftercare_sheet, consent_document, lang::Language, lot_trace_list,
    progress_summary, recall_letter, samples, schedule_card, Appointment, ConsentInput, DateFormat,
    LotTraceListInput, LotTracePatient, PaperSize, RecallLetterInput, ScorePoint, SessionRow,
};
use poppler::{squash, write};

const DOTS: DateFormat = DateFormat::DayMonthYearDots;
const US: DateFormat = DateFormat::MonthDayYear;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The month names (and English abbreviations) of every document language.
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "janvier",
    "février",
    "avril",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "Januar",
    "Februar",
    "März",
    "Juni",
    "Juli",
    "Oktober",
    "Dezember",
    "gennaio",
    "febbraio",
    "aprile",
    "giugno",
    "luglio",
    "settembre",
    "ottobre",
    "dicembre",
    "janeiro",
    "fevereiro",
    "março",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// Fails when `text` holds a month in words or an ISO date (`2026-11-24`).
fn assert_no_word_or_iso_date(what: &str, text: &str) {
    for word in text.split(|c: char| !c.is_alphabetic()) {
        assert!(
            !MONTHS.contains(&word),
            "{what}: the month {word:?} is written in words in {text}"
        );
    }
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(9) {
        let w = &b[i..i + 10];
        let iso = w.iter().enumerate().all(|(k, c)| match k {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        assert!(
            !iso,
            "{what}: an ISO date {:?} in {text}",
            String::from_utf8_lossy(w)
        );
    }
}

/// Fails unless every one of `wanted` shows in the document's text, and no
/// date remains in words or ISO.
fn assert_dates(what: &str, pdf_bytes: &[u8], wanted: &[&str]) -> String {
    let text = squash(&write(pdf_bytes).text());
    for w in wanted {
        assert!(text.contains(w), "{what}: no {w:?} in {text}");
    }
    assert_no_word_or_iso_date(what, &text);
    text
}

fn sheet(format: DateFormat) -> dermis_docs::AftercareInput {
    let mut input = samples::aftercare("Zoë Testová", 42);
    input.date_format = format;
    input
}

#[test]
fn the_aftercare_sheet_prints_every_date_as_the_desk_sees_it() {
    // Treated Tuesday 24 November 2026; next appointment 29 December at 14:30.
    assert_dates(
        "DD.MM.YYYY",
        &aftercare_sheet(&sheet(DOTS)).unwrap(),
        &[
            "Treatment date 24.11.2026",
            "Until Thursday 26.11.2026: no makeup",
            "no retinol until Tuesday 01.12.2026.",
            "Tuesday 29.12.2026 at 14:30",
            "Printed 24.11.2026",
        ],
    );
    let text = assert_dates(
        "MM/DD/YYYY",
        &aftercare_sheet(&sheet(US)).unwrap(),
        &[
            "Treatment date 11/24/2026",
            "Until Thursday 11/26/2026: no makeup",
            "no retinol until Tuesday 12/01/2026.",
            "Tuesday 12/29/2026 at 14:30",
            "Printed 11/24/2026",
        ],
    );
    assert!(!text.contains("24.11.2026") && !text.contains("24/11/2026"));
}

#[test]
fn the_print_all_day_sheet_writes_each_patients_dates_the_clinics_way() {
    let mut second = sheet(US);
    second.patient_name = "Sam Other".into();
    second.treatment_date = d(2026, 12, 31);
    second.next_appointment = None;
    assert_dates(
        "batch",
        &aftercare_batch(&[sheet(US), second]).unwrap(),
        &[
            "Treatment date 11/24/2026",
            "Treatment date 12/31/2026",
            // A rest that ends in the next year carries that year.
            "Until Saturday 01/02/2027: no makeup",
        ],
    );
}

#[test]
fn aftercare_in_french_and_arabic_keeps_the_weekday_in_words_and_the_date_in_numbers() {
    let mut fr = samples::aftercare_in(Language::Fr, "Amélie Lefèvre", 42);
    fr.date_format = DOTS;
    assert_dates(
        "fr",
        &aftercare_sheet(&fr).unwrap(),
        &[
            "Jusqu’au jeudi 26.11.2026",
            "jusqu’au mardi 01.12.2026",
            "mardi 29.12.2026 à 14:30",
            "Imprimé le 24.11.2026",
        ],
    );
    let mut ar = samples::aftercare_in(Language::Ar, "فاطمة الزهراء", 42);
    ar.date_format = US;
    // The date is one left-to-right run inside Arabic text: pdftotext gives
    // it back whole and in order, beside the weekday in Arabic.
    let text = assert_dates(
        "ar",
        &aftercare_sheet(&ar).unwrap(),
        &["11/24/2026", "11/26/2026", "12/01/2026", "12/29/2026"],
    );
    assert!(text.contains("الخميس"), "{text}");
}

#[test]
fn the_progress_summary_writes_sessions_scores_photos_and_maintenance_the_clinics_way() {
    let mut input = samples::progress("Zoë Testová", 2, Some(200));
    input.sessions = vec![
        SessionRow {
            date: d(2026, 3, 5),
            zones: "cheeks".into(),
            depth: "1.0 mm".into(),
            notes: String::new(),
        },
        SessionRow {
            date: d(2026, 4, 9),
            zones: "cheeks".into(),
            depth: "1.25 mm".into(),
            notes: String::new(),
        },
    ];
    input.scores = vec![
        ScorePoint {
            date: d(2026, 3, 5),
            score: 20,
        },
        ScorePoint {
            date: d(2026, 4, 9),
            score: 12,
        },
    ];
    if let Some(p) = input.photos.as_mut() {
        p.first.date = d(2026, 3, 5);
        p.latest.date = d(2026, 4, 9);
    }
    input.next_maintenance = Some(d(2026, 12, 7));
    input.date_format = DOTS;
    assert_dates(
        "DD.MM.YYYY",
        &progress_summary(&input).unwrap(),
        &[
            "1 05.03.2026 cheeks 1.0 mm",
            "2 09.04.2026",
            "First · 05.03.2026",
            "Latest · 09.04.2026",
            "07.12.2026",
            "Baseline 20 (05.03.2026), latest 12 (09.04.2026).",
            "Generated on 24.11.2026",
        ],
    );
    input.date_format = US;
    assert_dates(
        "MM/DD/YYYY",
        &progress_summary(&input).unwrap(),
        &[
            "03/05/2026",
            "04/09/2026",
            "First · 03/05/2026",
            "12/07/2026",
            "Baseline 20 (03/05/2026), latest 12 (04/09/2026).",
            "Generated on 11/24/2026",
        ],
    );
}

#[test]
fn the_schedule_card_lists_each_visit_with_its_weekday_and_the_clinics_date() {
    let mut card = samples::schedule("Zoë Testová");
    card.date_format = DOTS;
    assert_dates(
        "DD.MM.YYYY",
        &schedule_card(&card).unwrap(),
        &[
            "Session 1 Tuesday 24.11.2026 10:15",
            "Session 5 Tuesday 13.04.2027 time to be confirmed",
            "Maintenance 2 Monday 29.11.2027",
            "Printed 24.11.2026",
        ],
    );
    card.date_format = US;
    assert_dates(
        "MM/DD/YYYY",
        &schedule_card(&card).unwrap(),
        &[
            "Session 1 Tuesday 11/24/2026 10:15",
            "Maintenance 1 Monday 07/26/2027",
            "Printed 11/24/2026",
        ],
    );
}

fn consent(format: DateFormat) -> ConsentInput {
    ConsentInput {
        letterhead: samples::letterhead(false),
        paper: PaperSize::A4,
        title: "Consent to microneedling treatment".into(),
        text: "# Risks\n- infection\n\nI consent.".into(),
        template_key: "microneedling".into(),
        template_version: 3,
        patient_name: "Zoë Testová".into(),
        patient_number: "P-000042".into(),
        strokes: vec![vec![(20.0, 100.0), (60.0, 40.0)]],
        typed_name: String::new(),
        photo_uses: (true, false, false),
        signed_at: "2026-03-05T14:05:09Z".into(),
        recorded_by: "Sam Reyes".into(),
        confirmed_by: "Dr Amira Haddad".into(),
        // Another offset: printed in UTC, like the signing.
        confirmed_at: "2026-03-05T15:06:00+01:00".into(),
        date_format: format,
        content_sha256: "ab".repeat(32),
        generated_on: d(2026, 3, 5),
    }
}

#[test]
fn the_signed_consent_dates_the_signature_and_the_confirmation_the_clinics_way() {
    assert_dates(
        "DD.MM.YYYY",
        &consent_document(&consent(DOTS)).unwrap(),
        &["on 05.03.2026, 14:05 UTC.", "on 05.03.2026, 14:06 UTC;"],
    );
    assert_dates(
        "MM/DD/YYYY",
        &consent_document(&consent(US)).unwrap(),
        &["on 03/05/2026, 14:05 UTC.", "on 03/05/2026, 14:06 UTC;"],
    );
}

#[test]
fn a_consent_instant_that_is_not_rfc3339_is_printed_as_given_not_dropped() {
    let mut c = consent(DOTS);
    c.signed_at = "at the desk".into();
    let text = squash(&write(&consent_document(&c).unwrap()).text());
    assert!(text.contains("on at the desk."), "{text}");
}

fn recall(lang: Language, format: DateFormat) -> RecallLetterInput {
    RecallLetterInput {
        letterhead: samples::letterhead(false),
        paper: PaperSize::A4,
        patient_name: "Zoë Testová".into(),
        patient_number: "P-000042".into(),
        address: "7 Orchard Lane\nBristol".into(),
        due: d(2027, 3, 5),
        date_format: format,
        generated_on: d(2026, 11, 30),
        language: lang,
    }
}

#[test]
fn the_recall_letter_gives_the_due_date_the_clinics_way() {
    assert_dates(
        "DD.MM.YYYY",
        &recall_letter(&recall(Language::En, DOTS)).unwrap(),
        &["is due on 05.03.2027.", "Printed 30.11.2026"],
    );
    assert_dates(
        "MM/DD/YYYY",
        &recall_letter(&recall(Language::En, US)).unwrap(),
        &["is due on 03/05/2027.", "Printed 11/30/2026"],
    );
    for lang in Language::ALL {
        assert_dates(
            &format!("{lang}"),
            &recall_letter(&recall(lang, DOTS)).unwrap(),
            &["05.03.2027", "30.11.2026"],
        );
    }
}

#[test]
fn the_lot_trace_list_gives_the_range_and_each_session_the_clinics_way() {
    let input = |format| LotTraceListInput {
        letterhead: samples::letterhead(false),
        paper: PaperSize::A4,
        lot: "CART-91".into(),
        from: Some(d(2026, 5, 1)),
        to: Some(d(2026, 6, 30)),
        patients: vec![LotTracePatient {
            patient_name: "Zoë Testová".into(),
            patient_number: "P-000042".into(),
            phone: "+44 20 7946 0000".into(),
            email: "z@example.org".into(),
            address: "1 High Street".into(),
            sessions: vec![(d(2026, 5, 4), "Dr Amira Haddad".into())],
        }],
        date_format: format,
        generated_on: d(2026, 11, 30),
    };
    assert_dates(
        "DD.MM.YYYY",
        &lot_trace_list(&input(DOTS)).unwrap(),
        &[
            "sessions from 01.05.2026 to 30.06.2026",
            "04.05.2026 (Dr Amira Haddad)",
            "Printed 30.11.2026",
        ],
    );
    assert_dates(
        "MM/DD/YYYY",
        &lot_trace_list(&input(US)).unwrap(),
        &[
            "sessions from 05/01/2026 to 06/30/2026",
            "05/04/2026 (Dr Amira Haddad)",
            "Printed 11/30/2026",
        ],
    );
}

#[test]
fn an_input_without_a_format_prints_iso_not_words() {
    let mut json = serde_json::to_value(sheet(DOTS)).unwrap();
    json.as_object_mut().unwrap().remove("date_format");
    let input: dermis_docs::AftercareInput = serde_json::from_value(json).unwrap();
    assert_eq!(input.date_format, DateFormat::YearMonthDay);
    let text = squash(&write(&aftercare_sheet(&input).unwrap()).text());
    assert!(text.contains("Treatment date 2026-11-24"), "{text}");
}

#[test]
fn the_next_appointment_time_is_unchanged_by_the_date_format() {
    let mut input = sheet(US);
    input.next_appointment = Some(Appointment {
        date: d(2027, 1, 5),
        time: NaiveTime::from_hms_opt(9, 5, 0),
    });
    let text = squash(&write(&aftercare_sheet(&input).unwrap()).text());
    assert!(text.contains("Tuesday 01/05/2027 at 09:05"), "{text}");
}

#[test]
fn on_the_arabic_sheet_the_weekday_is_read_before_the_date() {
    // Right to left: "حتى الخميس، 26.11.2026" has the weekday to the right
    // of the date on the line. It was printed the other way round (the
    // weekday and date laid out left to right inside the Arabic sentence).
    let mut ar = samples::aftercare_in(Language::Ar, "فاطمة الزهراء", 42);
    ar.date_format = DOTS;
    let pdf = write(&aftercare_sheet(&ar).unwrap());
    let words = pdf.words();
    // pdftotext -bbox gives an Arabic word's letters in drawing order
    // (reversed), and the Arabic face sits a little higher than the digits.
    let is = |t: &str, weekday: &str| {
        t.contains(weekday) || t.contains(&weekday.chars().rev().collect::<String>())
    };
    let mut pairs = 0;
    for (date, weekday) in [
        ("26.11.2026", "خميس"),
        // Part of الثلاثاء without its lam-alef ligature, which pdftotext
        // spells out of order.
        ("01.12.2026", "ثاء"),
        ("29.12.2026", "ثاء"),
    ] {
        for (_, dx0, _, dy) in words.iter().filter(|(t, ..)| t.contains(date)) {
            let same_line: Vec<_> = words
                .iter()
                .filter(|(t, _, _, y)| (y - dy).abs() < 5.0 && is(t, weekday))
                .collect();
            for (t, _, wx1, _) in &same_line {
                pairs += 1;
                assert!(
                    *wx1 > *dx0,
                    "{t:?} (the weekday) is left of {date}: read after it"
                );
            }
            assert!(!same_line.is_empty(), "no {weekday} beside {date}");
            let (_, wx0, _, _) = same_line[0];
            assert!(
                *wx0 > *dx0,
                "the weekday starts left of the date {date}: {same_line:?}"
            );
        }
    }
    assert!(pairs >= 2, "{words:?}");
}

/// Issue 21 review: the recovery sheet said "30 November 2026" while every
/// other document used the clinic's format.
#[test]
fn the_recovery_sheet_writes_its_date_the_clinics_way() {
    for (format, shown) in [(DOTS, "30.11.2026"), (US, "11/30/2026")] {
        let pdf = dermis_docs::recovery_sheet(&dermis_docs::RecoverySheetInput {
            clinic_name: "Skin Studio".into(),
            recovery_key: "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789".into(),
            generated_on: d(2026, 11, 30),
            date_format: format,
            paper: PaperSize::A4,
        })
        .unwrap();
        let text = assert_dates("recovery sheet", &pdf, &[&format!("Made on {shown}")]);
        assert!(text.contains(&format!("Made {shown}")), "{text}");
    }
}
