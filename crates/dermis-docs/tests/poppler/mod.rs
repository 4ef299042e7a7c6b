//! Reads PDFs back with poppler-utils (pdftotext, pdffonts, pdfinfo), as a
//! viewer or a clinic's copy-paste would.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Pdf {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn write(bytes: &[u8]) -> Pdf {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    Pdf { _dir: dir, path }
}

fn run(cmd: &str, args: &[&str], path: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .arg(path)
        .args(if cmd == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{cmd} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Removes the bidi embedding controls pdftotext wraps right-to-left runs in.
pub fn strip_bidi_controls(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(*c as u32, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069))
        .collect()
}

impl Pdf {
    pub fn text(&self) -> String {
        strip_bidi_controls(&run("pdftotext", &[], &self.path))
    }

    pub fn page_text(&self, page: usize) -> String {
        let p = page.to_string();
        strip_bidi_controls(&run("pdftotext", &["-f", &p, "-l", &p], &self.path))
    }

    /// Every word with its box in points from the top-left corner
    /// (`pdftotext -bbox`): (text, x_min, x_max, y_min).
    pub fn words(&self) -> Vec<(String, f32, f32, f32)> {
        let html = run("pdftotext", &["-bbox"], &self.path);
        html.lines()
            .filter_map(|l| {
                let l = l.trim();
                let rest = l.strip_prefix("<word ")?;
                let attr = |name: &str| -> Option<f32> {
                    let start = rest.find(&format!("{name}=\""))? + name.len() + 2;
                    let end = rest[start..].find('"')? + start;
                    rest[start..end].parse().ok()
                };
                let text_start = rest.find('>')? + 1;
                let text_end = rest.rfind("</word>")?;
                let text = strip_bidi_controls(&rest[text_start..text_end])
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'");
                Some((text, attr("xMin")?, attr("xMax")?, attr("yMin")?))
            })
            .collect()
    }

    /// Page width in points.
    pub fn page_width(&self) -> f32 {
        let size = self.info("Page size");
        size.split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .expect("page width")
    }

    pub fn pages(&self) -> usize {
        self.info("Pages").parse().expect("page count")
    }

    pub fn info(&self, key: &str) -> String {
        let info = run("pdfinfo", &[], &self.path);
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .unwrap_or_else(|| panic!("pdfinfo has no {key}: {info}"))
            .trim()
            .to_string()
    }

    /// (name, embedded, subset) for every font, from pdffonts.
    pub fn fonts(&self) -> Vec<(String, bool, bool)> {
        let out = run("pdffonts", &[], &self.path);
        let mut lines = out.lines();
        let header = lines.next().expect("pdffonts header");
        let emb = header.find("emb").expect("emb column");
        lines
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let name = l.split_whitespace().next().unwrap_or_default().to_string();
                let cols: Vec<&str> = l[emb..].split_whitespace().collect();
                (name, cols[0] == "yes", cols[1] == "yes")
            })
            .collect()
    }

    /// Every font embedded and subset, and at least one font.
    pub fn assert_fonts_embedded_and_subset(&self) {
        let fonts = self.fonts();
        assert!(!fonts.is_empty(), "no fonts");
        for (name, emb, sub) in &fonts {
            assert!(*emb, "{name} is not embedded");
            assert!(*sub, "{name} is not subset");
            assert!(
                name.len() > 7 && name.as_bytes()[6] == b'+',
                "{name} has no subset tag"
            );
        }
    }
}

/// Collapses runs of whitespace (pdftotext breaks lines where the PDF does).
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
