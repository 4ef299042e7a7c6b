//! Sample inputs for the demo, the tests, the benchmark and the example that
//! renders every document. All names, numbers and addresses are invented.

use chrono::{NaiveDate, NaiveTime};
use dermis_core::plan::PlanStatus;
use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

use crate::model::*;
use crate::template::default_aftercare_template;

/// One invented patient name per script the documents must print.
pub const NAMES: &[(&str, &str)] = &[
    ("latin", "Zoë Ñúñez-Łukasiewicz"),
    ("greek", "Ελένη Παπαδοπούλου"),
    ("cyrillic", "Анна Смирнова"),
    ("arabic", "فاطمة الزهراء"),
    ("hebrew", "דוד כהן"),
    ("chinese", "王小明"),
    ("japanese", "山田 花子"),
    ("korean", "김민준"),
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn time(h: u32, m: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, 0)
}

/// A small PNG logo (a teal disc with a white ring), drawn here so no binary
/// asset is needed.
pub fn logo_png() -> Vec<u8> {
    let (w, h) = (240u32, 240u32);
    let img = RgbaImage::from_fn(w, h, |x, y| {
        let dx = x as f32 - 119.5;
        let dy = y as f32 - 119.5;
        let r = (dx * dx + dy * dy).sqrt();
        if r > 118.0 {
            Rgba([0, 0, 0, 0])
        } else if (62.0..74.0).contains(&r)
            || (r < 30.0 && dx.abs() < 9.0)
            || (r < 30.0 && dy.abs() < 9.0)
        {
            Rgba([255, 255, 255, 255])
        } else {
            Rgba([15, 110, 110, 255])
        }
    });
    let mut out = Vec::new();
    let _ = image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png);
    out
}

/// An invented "skin" photo: a warm gradient with a few darker spots whose
/// number and depth stand for scars (`severity` 0–10).
pub fn photo_jpeg(width: u32, height: u32, severity: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        let mut r = 224.0 - 30.0 * fy + 8.0 * (fx * 9.0).sin();
        let mut g = 180.0 - 28.0 * fy + 6.0 * (fy * 7.0).cos();
        let mut b = 155.0 - 25.0 * fy;
        for k in 0..severity * 3 {
            let cx = ((k * 37 + 11) % 97) as f32 / 97.0;
            let cy = ((k * 53 + 29) % 89) as f32 / 89.0;
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            if d < 0.035 {
                let depth = 1.0 - d / 0.035;
                r -= 45.0 * depth;
                g -= 50.0 * depth;
                b -= 40.0 * depth;
            }
        }
        Rgb([r as u8, g as u8, b as u8])
    });
    let mut out = Vec::new();
    let _ = image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Jpeg);
    out
}

/// The sample clinic.
pub fn letterhead(with_logo: bool) -> Letterhead {
    Letterhead {
        name: "Clinique Étoile".to_string(),
        address: "14 Rue des Lilas\n75011 Paris, France".to_string(),
        phone: "+33 1 23 45 67 89".to_string(),
        logo: with_logo.then(logo_png),
    }
}

/// An invented patient for each document language (a name in the script the
/// language is written in), for the per-language tests and the benchmark.
pub const PATIENTS_BY_LANGUAGE: &[(Language, &str)] = &[
    (Language::En, "Olivia Bennett-Hughes"),
    (Language::Fr, "Amélie Lefèvre-Gauthier"),
    (Language::Es, "Lucía Fernández Ibáñez"),
    (Language::De, "Jürgen Weiß-Großmann"),
    (Language::It, "Niccolò Dell'Acqua"),
    (Language::Pt, "João Gonçalves Araújo"),
    (Language::Ar, "فاطمة الزهراء"),
];

/// The sample aftercare sheet in `lang`, with that language's default text.
pub fn aftercare_in(lang: Language, name: &str, number: u32) -> AftercareInput {
    let mut input = aftercare(name, number);
    input.language = lang;
    input.template = lang.default_aftercare_text().to_string();
    input
}

/// An aftercare sheet for `name`, treated on Tuesday 24 November 2026.
pub fn aftercare(name: &str, number: u32) -> AftercareInput {
    AftercareInput {
        letterhead: letterhead(true),
        paper: PaperSize::A4,
        patient_name: name.to_string(),
        patient_number: format!("P-{number:06}"),
        treatment_date: date(2026, 11, 24),
        next_appointment: Some(Appointment {
            date: date(2026, 12, 29),
            time: time(14, 30),
        }),
        template: default_aftercare_template().to_string(),
        pih_caution: false,
        date_format: DateFormat::DayMonthYear,
        generated_on: date(2026, 11, 24),
        language: Language::En,
    }
}

/// A progress summary with `sessions` rows (notes of varied length) and,
/// optionally, a pair of photos of `photo_px` pixels wide.
pub fn progress(name: &str, sessions: usize, photo_px: Option<u32>) -> ProgressSummaryInput {
    let notes = [
        "Tolerated well.",
        "Mild erythema for two days afterwards; no other reaction. Patient reports less texture on the left cheek.",
        "",
        "Pinpoint bleeding at 1.5 mm over the boxcar scars; depth reduced to 1.25 mm on the right side. Antiviral prophylaxis continued as before. Patient asked about combining with a chemical peel: advised to wait until the course is finished.",
        "Slight flaking reported at day 3.",
    ];
    let zones = [
        "cheeks",
        "cheeks, chin",
        "forehead, cheeks",
        "cheeks, temples, chin",
    ];
    let depths = ["1.0 mm", "1.0–1.25 mm", "1.25 mm", "0.5–1.5 mm"];
    let generated_on = date(2026, 11, 24);
    let step = 35u64;
    let start = generated_on - chrono::Days::new(step * sessions as u64 + 14);
    let rows = (0..sessions)
        .map(|i| SessionRow {
            date: start + chrono::Days::new(step * i as u64),
            zones: zones[i % zones.len()].to_string(),
            depth: depths[i % depths.len()].to_string(),
            notes: notes[i % notes.len()].to_string(),
        })
        .collect::<Vec<_>>();
    // Six assessments spread over the course.
    let last_index = sessions.max(1) as u64 - 1;
    let scores = (0..6u64)
        .map(|i| ScorePoint {
            date: start + chrono::Days::new(step * (i * last_index / 5)),
            score: [24, 21, 17, 14, 12, 11][i as usize],
        })
        .collect();
    let last_session = start + chrono::Days::new(step * (sessions.max(1) as u64 - 1));
    let photos = photo_px.map(|w| PhotoPair {
        area_label: "Left cheek".to_string(),
        first: Photo {
            date: start,
            bytes: photo_jpeg(w, w * 3 / 4, 8),
        },
        latest: Photo {
            date: last_session,
            bytes: photo_jpeg(w, w * 3 / 4, 3),
        },
    });
    ProgressSummaryInput {
        letterhead: letterhead(true),
        paper: PaperSize::A4,
        patient_name: name.to_string(),
        patient_number: "P-000042".to_string(),
        plan: PlanSummary {
            sessions: 5,
            interval_weeks: 5,
            status: PlanStatus::Active,
        },
        sessions: rows,
        scores,
        photos,
        next_maintenance: Some(last_session + chrono::Months::new(4)),
        date_format: DateFormat::DayMonthYear,
        generated_on,
        language: Language::En,
    }
}

/// A schedule card: five sessions five weeks apart and two recalls.
pub fn schedule(name: &str) -> ScheduleCardInput {
    let start = date(2026, 11, 24);
    ScheduleCardInput {
        letterhead: letterhead(true),
        paper: PaperSize::A4,
        patient_name: name.to_string(),
        patient_number: "P-000042".to_string(),
        plan: Some(PlanSummary {
            sessions: 5,
            interval_weeks: 5,
            status: PlanStatus::Active,
        }),
        sessions: (0..5)
            .map(|i| ScheduledSession {
                number: i + 1,
                date: start + chrono::Days::new(35 * u64::from(i)),
                time: if i < 3 { time(10 + i, 15) } else { None },
            })
            .collect(),
        recalls: vec![date(2027, 7, 26), date(2027, 11, 29)],
        date_format: DateFormat::DayMonthYear,
        generated_on: start,
        language: Language::En,
    }
}
