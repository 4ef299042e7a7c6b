//! Times as-you-type patient searches through dermis-clinic on an existing
//! database (make one with `dermis demo --patients 100000`).
//!
//!   DERMIS_PASSWORD=dermis-demo cargo run --release -p dermis-clinic \
//!       --example search_timing -- PATH/TO/demo.db [USER]

use dermis_clinic::core::{LoginInput, PatientSearch};
use dermis_clinic::Clinic;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("give the database path")?;
    let user = args.get(2).cloned().unwrap_or_else(|| "admin".into());
    let password = std::env::var("DERMIS_PASSWORD").unwrap_or_else(|_| "dermis-demo".into());
    let t = Instant::now();
    let clinic = Clinic::open(std::path::Path::new(path))?;
    println!("open + migrate: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let session = clinic.login(&LoginInput {
        username: user,
        password,
    })?;
    println!("patients: {}", clinic.patient_count(&session)?);
    let queries = [
        "",
        "m",
        "ma",
        "mar",
        "maria",
        "garcia",
        "maria garcia",
        "ü",
        "mü",
        "muller",
        "γ",
        "γι",
        "παπ",
        "и",
        "ив",
        "иванов",
        "م",
        "مح",
        "محمد",
        "王",
        "王小",
        "小明",
        "김",
        "김민",
        "612",
        "0958",
        "1990-05-17",
        "17/05/1990",
        "P-000042",
        "zzzz",
    ];
    println!(
        "{:<14} {:>8} {:>10} {:>10}",
        "query", "results", "median ms", "p99 ms"
    );
    for q in queries {
        let mut times: Vec<Duration> = Vec::new();
        let mut n = 0;
        for _ in 0..200 {
            let t = Instant::now();
            let page = clinic.search_patients(&session, &PatientSearch::new(q))?;
            times.push(t.elapsed());
            n = page.items.len();
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:<14} {:>8} {:>10.3} {:>10.3}",
            format!("{q:?}"),
            n,
            ms(times[times.len() / 2]),
            ms(times[times.len() * 99 / 100])
        );
    }
    Ok(())
}
