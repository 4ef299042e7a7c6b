//! Writes every sample document to the folder given as argument:
//! `cargo run -p dermis-docs --example render_samples -- /tmp/docs`.

use std::path::PathBuf;

use dermis_docs::samples;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: render_samples <folder>")?,
    );
    std::fs::create_dir_all(&dir)?;
    let write = |name: &str, bytes: Vec<u8>| -> std::io::Result<()> {
        println!("{name}: {} bytes", bytes.len());
        std::fs::write(dir.join(name), bytes)
    };

    let mut a4 = samples::aftercare("Zoë Ñúñez-Łukasiewicz", 42);
    a4.pih_caution = true;
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

    match dermis_docs::progress_summary(&samples::progress("Zoë Ñúñez-Łukasiewicz", 40, Some(900)))
    {
        Ok(b) => write("progress-summary.pdf", b)?,
        Err(e) => eprintln!("progress summary: {e}"),
    }
    // One aftercare sheet per document language (PIH box on), and the
    // schedule card and progress summary in Spanish and Arabic.
    for &(lang, name) in samples::PATIENTS_BY_LANGUAGE {
        let mut sheet = samples::aftercare_in(lang, name, 60);
        sheet.pih_caution = true;
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
        write(
            &format!("schedule-card-{lang}.pdf"),
            dermis_docs::schedule_card(&card)?,
        )?;
        let mut progress = samples::progress(name, 8, Some(600));
        progress.language = lang;
        write(
            &format!("progress-summary-{lang}.pdf"),
            dermis_docs::progress_summary(&progress)?,
        )?;
    }

    match dermis_docs::schedule_card(&samples::schedule("山田 花子")) {
        Ok(b) => write("schedule-card.pdf", b)?,
        Err(e) => eprintln!("schedule card: {e}"),
    }
    Ok(())
}
