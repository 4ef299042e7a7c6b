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
pub(crate) fn write_file(dest: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let fail =
        |e: std::io::Error| ClinicError::Io(format!("{} cannot be written: {e}.", dest.display()));
    let mut tmp = dest.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, dest).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
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
