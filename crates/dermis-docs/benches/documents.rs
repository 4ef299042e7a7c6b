//! Time and size of the documents, beside the same aftercare sheet printed
//! from HTML by headless Chromium (the usual alternative).
//!
//! `cargo bench -p dermis-docs` measures (release); `cargo test -p
//! dermis-docs --benches` runs each benchmark once as a smoke test (the
//! Chromium baseline only runs under `cargo bench`, and only when
//! /usr/bin/chromium exists). Sizes and the Chromium figures go to stderr.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use dermis_docs::{aftercare_batch, aftercare_sheet, progress_summary, samples, AftercareInput};

fn batch_inputs(n: usize) -> Vec<AftercareInput> {
    (0..n)
        .map(|i| samples::aftercare(samples::NAMES[i % samples::NAMES.len()].1, i as u32 + 1))
        .collect()
}

fn documents(c: &mut Criterion) {
    let sheet = samples::aftercare("Zoë Ñúñez-Łukasiewicz", 42);
    let progress = samples::progress("Zoë Ñúñez-Łukasiewicz", 20, Some(1200));
    let batch = batch_inputs(100);

    let sizes = [
        ("aftercare sheet", aftercare_sheet(&sheet).map(|b| b.len())),
        (
            "progress summary (20 sessions, 2 photos)",
            progress_summary(&progress).map(|b| b.len()),
        ),
        (
            "batch of 100 sheets",
            aftercare_batch(&batch).map(|b| b.len()),
        ),
    ];
    for (name, size) in sizes {
        match size {
            Ok(n) => eprintln!("size: {name}: {n} bytes ({:.1} KB)", n as f64 / 1024.0),
            Err(e) => eprintln!("size: {name}: error {e}"),
        }
    }

    c.bench_function("aftercare_sheet", |b| {
        b.iter(|| aftercare_sheet(black_box(&sheet)))
    });

    // The same sheet in every document language (that language's default
    // text and a name in its script, PIH box on), to compare with English.
    let mut by_language = c.benchmark_group("aftercare_sheet_by_language");
    for &(lang, name) in samples::PATIENTS_BY_LANGUAGE {
        let mut input = samples::aftercare_in(lang, name, 42);
        input.pih_caution = true;
        match aftercare_sheet(&input) {
            Ok(b) => eprintln!(
                "size: aftercare sheet, {lang}: {} bytes ({:.1} KB)",
                b.len(),
                b.len() as f64 / 1024.0
            ),
            Err(e) => eprintln!("size: aftercare sheet, {lang}: error {e}"),
        }
        by_language.bench_function(lang.code(), |b| {
            b.iter(|| aftercare_sheet(black_box(&input)))
        });
    }
    by_language.finish();
    c.bench_function("progress_summary_20_sessions_2_photos", |b| {
        b.iter(|| progress_summary(black_box(&progress)))
    });
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.bench_function("aftercare_batch_100", |b| {
        b.iter(|| aftercare_batch(black_box(&batch)))
    });
    group.finish();

    // Chromium baseline: only under `cargo bench` (criterion gets --bench).
    if std::env::args().any(|a| a == "--bench") && Path::new("/usr/bin/chromium").exists() {
        chromium_baseline(&sheet);
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The same aftercare sheet as a self-contained HTML page.
fn sheet_html(input: &AftercareInput) -> String {
    let dates = dermis_docs::AftercareDates::from_treatment(input.treatment_date);
    let filled = dermis_docs::template::fill_template(
        &input.template,
        &dermis_docs::template::TemplateValues {
            treatment_date: input.date_format.format(input.treatment_date),
            no_makeup_until: dates.describe_in(
                input.language,
                input.date_format,
                dates.no_makeup_until,
            ),
            no_retinol_until: dates.describe_in(
                input.language,
                input.date_format,
                dates.no_retinol_until,
            ),
            next_appointment: String::new(),
            clinic_name: input.letterhead.name.clone(),
            clinic_phone: input.letterhead.phone.clone(),
        },
    )
    .unwrap_or_default();
    let mut body = String::new();
    let mut in_list = false;
    for line in filled.lines() {
        let (tag, text) = if let Some(h) = line.strip_prefix("# ") {
            ("h2", h)
        } else if let Some(b) = line.strip_prefix("- ") {
            ("li", b)
        } else {
            ("p", line)
        };
        if tag == "li" && !in_list {
            body.push_str("<ul>");
            in_list = true;
        }
        if tag != "li" && in_list {
            body.push_str("</ul>");
            in_list = false;
        }
        if !text.trim().is_empty() {
            body.push_str(&format!("<{tag}>{}</{tag}>", esc(text)));
        }
    }
    if in_list {
        body.push_str("</ul>");
    }
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm 18mm 14mm 18mm; }}
body {{ font-family: "Noto Sans", sans-serif; color: #1f2933; font-size: 11pt; }}
.head {{ border-bottom: 1.2pt solid #0f6e6e; padding-bottom: 3mm; }}
.clinic {{ color: #0f6e6e; font-weight: bold; font-size: 16pt; }}
.muted {{ color: #5b6773; font-size: 9pt; }}
.panel {{ background: #e6f2f1; border-left: 1.2mm solid #0f6e6e; padding: 4mm; display: flex; }}
.panel div {{ flex: 1; }} .big {{ font-weight: bold; font-size: 14pt; }}
h1 {{ font-size: 18pt; }} h2 {{ color: #0f6e6e; font-size: 12.5pt; margin: 4mm 0 1mm; }}
.bottom {{ display: flex; gap: 5mm; position: fixed; bottom: 10mm; left: 0; right: 0; }}
.next {{ border: 0.9pt solid #0f6e6e; padding: 4mm; flex: 1.4; }}
.call {{ background: #0f6e6e; color: white; padding: 4mm; flex: 1; }}
</style></head><body>
<div class="head"><div class="clinic">{clinic}</div><div class="muted">{address}</div><div class="muted">Tel. {phone}</div></div>
<h1>Aftercare after your treatment</h1>
<div class="panel"><div><div class="muted">Patient</div><div class="big">{name}</div></div>
<div><div class="muted">Patient number</div><b>{number}</b><div class="muted">Treatment date</div><b>{date}</b></div></div>
{body}
<div class="bottom"><div class="next"><div class="muted">Your next appointment</div><div class="big">Tuesday, 29 December 2026 at 14:30</div></div>
<div class="call">Questions or worries? Call us:<div class="big">{phone}</div></div></div>
</body></html>"#,
        clinic = esc(&input.letterhead.name),
        address = esc(&input.letterhead.address.replace('\n', ", ")),
        phone = esc(&input.letterhead.phone),
        name = esc(&input.patient_name),
        number = esc(&input.patient_number),
        date = input.date_format.format(input.treatment_date),
    )
}

fn chromium_baseline(input: &AftercareInput) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let html = dir.path().join("sheet.html");
    let pdf = dir.path().join("sheet.pdf");
    if std::fs::write(&html, sheet_html(input)).is_err() {
        return;
    }
    // scripts/bench-print.mjs prints the same HTML through a running Chromium.
    if let Some(keep) = std::env::var_os("DERMIS_BENCH_SHEET_HTML") {
        let _ = std::fs::copy(&html, keep);
    }
    let runs = 5;
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_file(&pdf);
        let start = Instant::now();
        let status = Command::new("/usr/bin/chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if !matches!(status, Ok(s) if s.success()) || !pdf.exists() {
            eprintln!("chromium: print failed; no baseline");
            return;
        }
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[runs / 2];
    let bytes = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    let started = Instant::now();
    let ours = aftercare_sheet(input).map(|b| b.len()).unwrap_or(0);
    let ours_time = started.elapsed();
    eprintln!(
        "chromium: same aftercare sheet from HTML: median {:.0} ms over {runs} runs, {bytes} bytes ({:.1} KB)",
        median.as_secs_f64() * 1000.0,
        bytes as f64 / 1024.0
    );
    eprintln!(
        "chromium vs dermis-docs (one unmeasured run here, see criterion for the real time): {:.2} ms, {ours} bytes",
        ours_time.as_secs_f64() * 1000.0
    );
}

criterion_group!(benches, documents);
criterion_main!(benches);
