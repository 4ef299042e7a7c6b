//! Renders the sample aftercare sheet N times in one language, for counting
//! instructions per sheet with valgrind (a figure the machine's load does not
//! move, unlike the criterion timings):
//!
//! ```sh
//! cargo build --release -p dermis-docs --example render_language
//! for n in 1 11; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/render_language ar $n; done
//! ```
//! Instructions per sheet = (total at 11 − total at 1) / 10.
//!
//! The same sheet N times is a reprint; a day's printing is a sheet per
//! patient, each with another name and number, so fewer of the subset fonts
//! kept between sheets fit (see the `fonts` module). `--different-patients`
//! renders that: sheet i is for the i-th of 24 patients named in the
//! language's script.
//!
//! `--out FILE` writes the last sheet to FILE (to look at it, or to check
//! that a change to the writer left the output as it was).

use dermis_docs::{aftercare_sheet, lang::Language, samples};

const USAGE: &str = "usage: render_language CODE N [--different-patients] [--out FILE]";

/// Patients for `--different-patients`, in Latin script.
const LATIN: [&str; 24] = [
    "Olivia Bennett-Hughes",
    "Amélie Lefèvre",
    "Jürgen Weiß",
    "Lucía Fernández",
    "Niccolò Dell'Acqua",
    "João Araújo",
    "Quentin Vaxholm",
    "Ingrid Jönsson",
    "Chloé Dubois",
    "Xavier Pique",
    "Bob Kim",
    "Yasmin Zaki",
    "Hélène Fabre",
    "Mateo Ruiz",
    "Greta Vogel",
    "Paolo Conti",
    "Inês Costa",
    "Wendy Marsh",
    "Élodie Roux",
    "Karl Becker",
    "Sofía Navarro",
    "Dario Greco",
    "Rui Pinto",
    "Fiona Grant",
];

/// Patients for `--different-patients`, in Arabic script.
const ARABIC: [&str; 24] = [
    "فاطمة الزهراء",
    "محمد حسن",
    "يوسف علي",
    "مريم خالد",
    "أحمد سعيد",
    "نور الهدى",
    "سارة إبراهيم",
    "عمر فاروق",
    "زينب محمود",
    "خديجة ناصر",
    "حسين جابر",
    "رنا طارق",
    "هدى صالح",
    "كريم عادل",
    "دينا فؤاد",
    "ياسر منصور",
    "سلمى رشيد",
    "طارق زياد",
    "شيماء وليد",
    "بشير قاسم",
    "غادة سمير",
    "ثامر ظافر",
    "جميلة ضياء",
    "إياد شريف",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let code = args.next().ok_or(USAGE)?;
    let n: usize = args.next().ok_or(USAGE)?.parse()?;
    let mut different = false;
    let mut out = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--different-patients" => different = true,
            "--out" => out = Some(args.next().ok_or(USAGE)?),
            _ => return Err(USAGE.into()),
        }
    }
    let lang = Language::from_code(&code).ok_or("unknown language")?;
    let &(_, name) = samples::PATIENTS_BY_LANGUAGE
        .iter()
        .find(|(l, _)| *l == lang)
        .ok_or("no sample patient in that language")?;
    let names = if lang.is_rtl() { &ARABIC } else { &LATIN };
    let mut input = samples::aftercare_in(lang, name, 42);
    input.pih_caution = true;
    let mut bytes = 0;
    let mut last = Vec::new();
    for i in 0..n {
        if different {
            input.patient_name = names[i % names.len()].to_string();
            input.patient_number = format!("P-{:06}", 1000 + 37 * i);
        }
        last = aftercare_sheet(&input)?;
        bytes += last.len();
    }
    if let Some(path) = out {
        std::fs::write(path, &last)?;
    }
    println!("{code}: {n} sheets, {bytes} bytes");
    Ok(())
}
