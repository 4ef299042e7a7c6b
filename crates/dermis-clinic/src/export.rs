//! CSV output shared by every export: UTF-8 with a byte-order mark (so
//! spreadsheet programs read accents right), and cells that a spreadsheet
//! would run as a formula (`=`, `+`, `-`, `@` first) prefixed with `'`.

use crate::{ClinicError, Result};

pub(crate) struct CsvOut {
    w: csv::Writer<Vec<u8>>,
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
        Ok(CsvOut { w })
    }

    pub(crate) fn row(&mut self, cells: &[String]) -> Result<()> {
        self.w
            .write_record(cells.iter().map(|c| safe_cell(c).into_owned()))
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
}
