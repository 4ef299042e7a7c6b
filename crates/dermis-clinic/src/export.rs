//! CSV output shared by every export: UTF-8 with a byte-order mark (so
//! spreadsheet programs read accents right), and free-text cells that a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) prefixed
//! with `'`. Columns whose values were validated to a shape that cannot carry
//! a formula — phone numbers (digits and `+ ( ) - . /`), dates, instants — and
//! plain numbers are written as they are: `+44 20 7946 0000` stays dialable
//! and `-3` stays a number.

use crate::{ClinicError, Result};

pub(crate) struct CsvOut {
    w: csv::Writer<Vec<u8>>,
    /// Per column: free text that needs the formula guard.
    guarded: Vec<bool>,
}

/// Columns validated to a shape without formulas (see the module doc).
fn is_validated_column(name: &str) -> bool {
    matches!(name, "phone" | "date" | "start" | "date_of_birth")
        || name.ends_with("_on")
        || name.ends_with("_at")
}

fn csv_err(e: impl std::fmt::Display) -> ClinicError {
    ClinicError::Internal(format!("cannot write the CSV: {e}"))
}

/// Neutralises a cell a spreadsheet would evaluate.
pub(crate) fn safe_cell(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

impl CsvOut {
    pub(crate) fn new(header: &[&str]) -> Result<CsvOut> {
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        w.write_record(header).map_err(csv_err)?;
        Ok(CsvOut {
            w,
            guarded: header.iter().map(|h| !is_validated_column(h)).collect(),
        })
    }

    pub(crate) fn row(&mut self, cells: &[String]) -> Result<()> {
        let guarded = &self.guarded;
        self.w
            .write_record(cells.iter().enumerate().map(|(i, c)| {
                let number = c.parse::<f64>().is_ok();
                if guarded.get(i).copied().unwrap_or(true) && !number {
                    safe_cell(c).into_owned()
                } else {
                    c.clone()
                }
            }))
            .map_err(csv_err)
    }

    pub(crate) fn finish(self) -> Result<String> {
        let bytes = self.w.into_inner().map_err(csv_err)?;
        String::from_utf8(bytes).map_err(csv_err)
    }
}

/// Writes `bytes` to `dest` through a temporary file renamed into place, so a
/// failure never leaves half a file under the chosen name.
/// The file is private to the user (0600 on Unix), and its temporary name is
/// unique, so it never replaces a user's own `<name>.part`.
pub(crate) fn write_file(dest: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let fail =
        |e: std::io::Error| ClinicError::Io(format!("{} cannot be written: {e}.", dest.display()));
    let tmp = dermis_store::temp_name(dest, "part");
    let written = (|| -> Result<()> {
        let mut f = dermis_store::create_private_file(&tmp)?;
        f.write_all(bytes).map_err(fail)?;
        f.sync_all().map_err(fail)?;
        drop(f);
        std::fs::rename(&tmp, dest).map_err(fail)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// How long a printed PDF stays in the print folder.
pub const PRINTS_KEPT_HOURS: u64 = 24;

/// Writes a document to be printed into `dir` (the app's private print
/// folder, 0700), private to the user, after removing the PDFs there older
/// than a day (the viewer has long printed them; they hold patients' names).
pub fn write_print(
    dir: &std::path::Path,
    file_name: &str,
    bytes: &[u8],
) -> Result<std::path::PathBuf> {
    dermis_store::create_private_dir(dir)?;
    let _ = clean_prints(
        dir,
        std::time::Duration::from_secs(PRINTS_KEPT_HOURS * 3600),
    );
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == '\0' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let dest = dir.join(safe.trim_start_matches('.'));
    write_file(&dest, bytes)?;
    Ok(dest)
}

/// Removes the files in the print folder older than `age`; how many went.
pub fn clean_prints(dir: &std::path::Path, age: std::time::Duration) -> usize {
    let now = std::time::SystemTime::now();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|d| d > age)
        })
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_starts_with_a_bom_quotes_and_defuses_formulas() {
        let mut w = CsvOut::new(&["a", "b"]).unwrap();
        w.row(&["=cmd()".into(), "Zoë, \"Ñ\"".into()]).unwrap();
        let s = w.finish().unwrap();
        assert_eq!(s, "\u{FEFF}a,b\n'=cmd(),\"Zoë, \"\"Ñ\"\"\"\n");
    }

    #[test]
    fn phone_numbers_and_numbers_keep_their_sign_free_text_is_guarded() {
        let mut w = CsvOut::new(&["phone", "notes", "passes", "reported_on"]).unwrap();
        w.row(&[
            "+44 20 7946 0000".into(),
            "+cmd|' /C calc'!A0".into(),
            "-3".into(),
            "2026-11-24".into(),
        ])
        .unwrap();
        let s = w.finish().unwrap();
        assert_eq!(
            s,
            "\u{FEFF}phone,notes,passes,reported_on\n+44 20 7946 0000,'+cmd|' /C calc'!A0,-3,2026-11-24\n"
        );
    }
}
