//! Writes every sample document to the folder given as argument:
//! `cargo run -p dermis-docs --example render_samples -- /tmp/docs`.
//! A second argument chooses the clinic's date format the samples print:
//! `dd.mm.yyyy`, `mm/dd/yyyy`, `yyyy-mm-dd` or `dd/mm/yyyy` (the default).

use std::path::PathBuf;

use dermis_docs::{samples, DateFormat};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: render_samples <folder>")?,
    );
    std::fs::create_dir_all(&dir)?;
    let format = match std::env::args().nth(2).as_deref() {
        None => None,
        Some(pattern) => Some(
            DateFormat::ALL
                .into_iter()
                .find(|f| f.pattern().eq_ignore_ascii_case(pattern))
                .ok_or(
                    "the date format is one of dd/mm/yyyy, mm/dd/yyyy, yyyy-mm-dd, dd.mm.yyyy",
                )?,
        ),
    };
    // Every date below is printed in the chosen format.
    let fmt = |f: DateFormat| format.unwrap_or(f);
    let write = |name: &str, bytes: Vec<u8>| -> std::io::Result<()> {
        println!("{name}: {} bytes", bytes.len());
        std::fs::write(dir.join(name), bytes)
    };

    let mut a4 = samples::aftercare("Zoë Ñúñez-Łukasiewicz", 42);
    a4.pih_caution = true;
    a4.date_format = fmt(a4.date_format);
    write("aftercare-a4.pdf", dermis_docs::aftercare_sheet(&a4)?)?;

    let mut letter = samples::aftercare("Ελένη Παπαδοπούλου", 43);
    letter.paper = dermis_docs::PaperSize::Letter;
    letter.next_appointment = None;
    letter.letterhead.logo = None;
    write(
        "aftercare-letter.pdf",
        dermis_docs::aftercare_sheet(&letter)?,
    )?;

    let mut arabic = samples::aftercare("فاطمة الزهراء", 44);
    arabic.pih_caution = true;
    arabic.date_format = fmt(arabic.date_format);
    write(
        "aftercare-arabic.pdf",
        dermis_docs::aftercare_sheet(&arabic)?,
    )?;
    write(
        "aftercare-hebrew.pdf",
        dermis_docs::aftercare_sheet(&samples::aftercare("דוד כהן", 45))?,
    )?;
    write(
        "aftercare-japanese.pdf",
        dermis_docs::aftercare_sheet(&samples::aftercare("山田 花子", 46))?,
    )?;

    let mut long = samples::aftercare(
        &"Maximiliana Anastasia Wolkenstein-Oberhausen ".repeat(7),
        47,
    );
    long.patient_name.truncate(300);
    long.letterhead.name =
        "Clinique Dermatologique et Esthétique de l'Étoile du Nord et du Sud".into();
    long.letterhead.address = "Bâtiment C, 3e étage, porte 12, Résidence des Grands Jardins, 140 Avenue du Général-de-Gaulle Prolongée, Zone d'Activités des Quatre Chemins, 92230 Gennevilliers-sur-Seine, Hauts-de-Seine, Île-de-France, France".into();
    write("aftercare-long.pdf", dermis_docs::aftercare_sheet(&long)?)?;

    let batch: Vec<_> = samples::NAMES
        .iter()
        .enumerate()
        .map(|(i, (_, name))| samples::aftercare(name, 100 + i as u32))
        .collect();
    write("batch.pdf", dermis_docs::aftercare_batch(&batch)?)?;

    let mut progress = samples::progress("Zoë Ñúñez-Łukasiewicz", 40, Some(900));
    progress.date_format = fmt(progress.date_format);
    match dermis_docs::progress_summary(&progress) {
        Ok(b) => write("progress-summary.pdf", b)?,
        Err(e) => eprintln!("progress summary: {e}"),
    }
    // One aftercare sheet per document language (PIH box on), and the
    // schedule card and progress summary in Spanish and Arabic.
    for &(lang, name) in samples::PATIENTS_BY_LANGUAGE {
        let mut sheet = samples::aftercare_in(lang, name, 60);
        sheet.pih_caution = true;
        sheet.date_format = fmt(sheet.date_format);
        write(
            &format!("aftercare-{lang}.pdf"),
            dermis_docs::aftercare_sheet(&sheet)?,
        )?;
    }
    for lang in [dermis_docs::Language::Es, dermis_docs::Language::Ar] {
        let name = samples::PATIENTS_BY_LANGUAGE
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or("", |(_, n)| *n);
        let mut card = samples::schedule(name);
        card.language = lang;
        card.date_format = fmt(card.date_format);
        write(
            &format!("schedule-card-{lang}.pdf"),
            dermis_docs::schedule_card(&card)?,
        )?;
        let mut progress = samples::progress(name, 8, Some(600));
        progress.language = lang;
        progress.date_format = fmt(progress.date_format);
        write(
            &format!("progress-summary-{lang}.pdf"),
            dermis_docs::progress_summary(&progress)?,
        )?;
    }

    let mut card = samples::schedule("山田 花子");
    card.date_format = fmt(card.date_format);
    match dermis_docs::schedule_card(&card) {
        Ok(b) => write("schedule-card.pdf", b)?,
        Err(e) => eprintln!("schedule card: {e}"),
    }

    let consent = dermis_docs::ConsentInput {
        letterhead: samples::letterhead(true),
        paper: dermis_docs::PaperSize::A4,
        title: "Consent to microneedling treatment".into(),
        text: "# Risks\n- Redness and swelling for a day or two.\n- Rarely, infection or darker patches.\n\nI have read this form and I consent to the treatment.".into(),
        template_key: "microneedling".into(),
        template_version: 1,
        patient_name: "Zoë Ñúñez-Łukasiewicz".into(),
        patient_number: "P-000042".into(),
        strokes: vec![vec![(20.0, 100.0), (60.0, 40.0), (100.0, 110.0), (140.0, 30.0)]],
        typed_name: String::new(),
        photo_uses: (true, false, false),
        signed_at: "2026-11-24T14:05:00Z".into(),
        recorded_by: "Sam Reyes".into(),
        confirmed_by: "Dr Amira Haddad".into(),
        confirmed_at: "2026-11-24T14:06:00Z".into(),
        date_format: fmt(DateFormat::DayMonthYear),
        content_sha256: "ab".repeat(32),
        generated_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
    };
    write("consent.pdf", dermis_docs::consent_document(&consent)?)?;
    Ok(())
}
