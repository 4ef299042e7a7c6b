//! The signed consent PDF read back with poppler-utils.

#[allow(dead_code)]
mod poppler;

use chrono::NaiveDate;
use dermis_docs::{consent_document, ConsentInput, DateFormat, Letterhead, PaperSize};
use poppler::{squash, write};

fn input(text: &str) -> ConsentInput {
    ConsentInput {
        letterhead: Letterhead {
            name: "Clinique Lumière".into(),
            address: "12 Rue des Lilas, Lyon".into(),
            phone: "+33 4 00 00 00 00".into(),
            logo: None,
        },
        paper: PaperSize::A4,
        title: "Consent to microneedling treatment".into(),
        text: text.into(),
        template_key: "microneedling".into(),
        template_version: 3,
        patient_name: "Zoë Παπαδοπούλου".into(),
        patient_number: "P-000042".into(),
        strokes: vec![
            vec![(20.0, 100.0), (60.0, 40.0), (100.0, 110.0), (140.0, 30.0)],
            vec![(200.0, 75.0), (380.0, 75.0)],
        ],
        typed_name: String::new(),
        photo_uses: (true, false, false),
        signed_at: "2026-11-30T14:05:00Z".into(),
        recorded_by: "Sam Reyes".into(),
        confirmed_by: "Dr Amira Haddad".into(),
        confirmed_at: "2026-11-30T14:06:10+00:00".into(),
        date_format: DateFormat::DayMonthYear,
        content_sha256: "ab".repeat(32),
        generated_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    }
}

#[test]
fn the_consent_prints_its_text_names_version_answers_and_content_hash() {
    let bytes =
        consent_document(&input("# Risks\n- infection\n- granuloma\n\nI consent.")).unwrap();
    let pdf = write(&bytes);
    let text = squash(&pdf.text());
    for needle in [
        "Consent to microneedling treatment",
        "Zoë Παπαδοπούλου",
        "P-000042",
        "microneedling, version 3",
        "granuloma",
        "Photos kept in my record and printed in my own documents: Yes",
        "Photos used in the clinic's advertising: No",
        "Confirmed by Dr Amira Haddad",
        &format!("Signed content SHA-256: {}", "ab".repeat(32)),
        "Page 1 of 1",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    assert!(pdf
        .fonts()
        .iter()
        .all(|(_, embedded, subset)| *embedded && *subset));
    // The same consent gives the same bytes.
    assert_eq!(
        bytes,
        consent_document(&input("# Risks\n- infection\n- granuloma\n\nI consent.")).unwrap()
    );
}

#[test]
fn the_signature_is_vector_paths_not_an_image() {
    let bytes = consent_document(&input("I consent.")).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
    // The first stroke's first point: the box's corner (18 mm, …) + 20 pt × 0.25 mm/pt.
    assert!(content.contains(" l"), "no line segments in the page");
    assert!(
        !content.contains(" Do"),
        "an image was drawn; the signature must be paths"
    );
}

#[test]
fn a_long_consent_flows_over_pages_with_the_hash_on_each() {
    let long = (0..120)
        .map(|i| {
            format!("- Paragraph {i}: the treatment, its risks and the aftercare are explained.")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let pdf = write(&consent_document(&input(&long)).unwrap());
    let pages = pdf.pages();
    assert!(pages >= 2, "{pages}");
    for p in 1..=pages {
        let t = squash(&pdf.page_text(p));
        assert!(t.contains(&"ab".repeat(32)), "page {p} has no hash");
        assert!(t.contains(&format!("Page {p} of {pages}")), "page {p}");
    }
    assert!(squash(&pdf.text()).contains("Paragraph 119"));
    let last = squash(&pdf.page_text(pages));
    assert!(last.contains("Patient's signature"));
}
