//! Renders the sample aftercare sheet N times in one language, for counting
//! instructions per sheet with valgrind (a figure the machine's load does not
//! move, unlike the criterion timings):
//!
//! ```sh
//! cargo build --release -p dermis-docs --example render_language
//! for n in 1 21; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/render_language ar $n; done
//! ```
//! Instructions per sheet = (total at 21 − total at 1) / 20.
//!
//! A third argument writes the sheet to that file (to look at it, or to
//! check that a change to the writer left the output as it was).

use dermis_docs::{aftercare_sheet, lang::Language, samples};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let code = args.next().ok_or("usage: render_language CODE N")?;
    let n: u32 = args
        .next()
        .ok_or("usage: render_language CODE N")?
        .parse()?;
    let lang = Language::from_code(&code).ok_or("unknown language")?;
    let &(_, name) = samples::PATIENTS_BY_LANGUAGE
        .iter()
        .find(|(l, _)| *l == lang)
        .ok_or("no sample patient in that language")?;
    let mut input = samples::aftercare_in(lang, name, 42);
    input.pih_caution = true;
    let out = args.next();
    let mut bytes = 0;
    let mut last = Vec::new();
    for _ in 0..n {
        last = aftercare_sheet(&input)?;
        bytes += last.len();
    }
    if let Some(path) = out {
        std::fs::write(path, &last)?;
    }
    println!("{code}: {n} sheets, {bytes} bytes");
    Ok(())
}
