//! The clinic-editable aftercare text.
//!
//! The clinic writes the instructions once (Settings → aftercare text); each
//! sheet fills in the real dates. The format is deliberately tiny so a
//! receptionist can edit it in a plain text box:
//!
//! - a line starting with `# ` is a heading;
//! - a line starting with `- ` is a bullet point;
//! - any other non-empty line is a paragraph; empty lines add a little space;
//! - `{name}` is replaced by a value, one of [`PLACEHOLDERS`];
//! - `{{` and `}}` print a literal `{` and `}`.
//!
//! [`validate_template`] refuses an unknown placeholder (naming it) and
//! unbalanced braces, so Settings can check the text before it is saved and a
//! sheet never prints a raw `{no_retinl_until}`.

use crate::error::TemplateError;
use crate::lang::Language;

/// The placeholders an aftercare template may use, with what each becomes.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "treatment_date",
        "the treatment date with its weekday, in the clinic's date format, e.g. \"Tuesday 24/11/2026\"",
    ),
    (
        "no_makeup_until",
        "the end of the 48-hour rest (treatment + 2 days), e.g. \"Thursday 26/11/2026\"",
    ),
    (
        "no_retinol_until",
        "one week after the treatment, e.g. \"Tuesday 01/12/2026\"",
    ),
    (
        "next_appointment",
        "the next booked appointment, e.g. \"Tuesday 29/12/2026 at 14:30\", or \"not booked yet\"",
    ),
    ("clinic_name", "the clinic's name from the letterhead"),
    ("clinic_phone", "the clinic's phone number"),
];

/// The default aftercare text in English, written from PRODUCT.md 4.6 (the
/// source article's aftercare advice). Clinics edit it in Settings.
pub fn default_aftercare_template() -> &'static str {
    Language::En.default_aftercare_text()
}

/// The default aftercare text in `lang` (`locales/<code>/aftercare.txt`):
/// the same instructions as the English text, translated, with the same
/// placeholders.
pub fn default_aftercare_template_in(lang: Language) -> &'static str {
    lang.default_aftercare_text()
}

/// The values a template is filled with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateValues {
    pub treatment_date: String,
    pub no_makeup_until: String,
    pub no_retinol_until: String,
    pub next_appointment: String,
    pub clinic_name: String,
    pub clinic_phone: String,
}

impl TemplateValues {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "treatment_date" => &self.treatment_date,
            "no_makeup_until" => &self.no_makeup_until,
            "no_retinol_until" => &self.no_retinol_until,
            "next_appointment" => &self.next_appointment,
            "clinic_name" => &self.clinic_name,
            "clinic_phone" => &self.clinic_phone,
            _ => return None,
        })
    }
}

enum Piece<'a> {
    Literal(&'a str),
    Brace(char),
    Placeholder(&'a str),
}

/// Splits a template into literal text, escaped braces and placeholders.
fn parse(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut literal_start = 0;
    let mut chars = text.char_indices().enumerate().peekable();
    while let Some((position, (i, c))) = chars.next() {
        match c {
            '{' | '}' if matches!(chars.peek(), Some((_, (_, n))) if *n == c) => {
                pieces.push(Piece::Literal(&text[literal_start..i]));
                pieces.push(Piece::Brace(c));
                chars.next();
                literal_start = i + 2;
            }
            '}' => {
                return Err(TemplateError::UnopenedBrace {
                    position: position + 1,
                })
            }
            '{' => {
                let rest = &text[i + 1..];
                let close = rest
                    .find(['}', '{', '\n'])
                    .filter(|&end| rest[end..].starts_with('}'))
                    .ok_or(TemplateError::UnclosedBrace {
                        position: position + 1,
                    })?;
                let name = &rest[..close];
                let trimmed = name.trim();
                if !PLACEHOLDERS.iter().any(|(known, _)| *known == trimmed) {
                    return Err(TemplateError::UnknownPlaceholder {
                        placeholder: trimmed.to_string(),
                        known: PLACEHOLDERS
                            .iter()
                            .map(|(n, _)| format!("{{{n}}}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
                pieces.push(Piece::Literal(&text[literal_start..i]));
                pieces.push(Piece::Placeholder(trimmed));
                // Skip the name and the closing brace.
                for _ in 0..name.chars().count() + 1 {
                    chars.next();
                }
                literal_start = i + 1 + close + 1;
            }
            _ => {}
        }
    }
    pieces.push(Piece::Literal(&text[literal_start..]));
    Ok(pieces)
}

/// Checks an aftercare template: every placeholder known, every brace balanced.
pub fn validate_template(text: &str) -> Result<(), TemplateError> {
    parse(text).map(|_| ())
}

/// Fills a template with `values`.
pub fn fill_template(text: &str, values: &TemplateValues) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len() + 64);
    for piece in parse(text)? {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Brace(c) => out.push(c),
            // parse() only lets known names through.
            Piece::Placeholder(name) => out.push_str(values.get(name).unwrap_or_default()),
        }
    }
    Ok(out)
}

/// One block of a filled template, as the sheet lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Heading(String),
    Bullet(String),
    Paragraph(String),
    Gap,
}

/// Splits filled text into headings, bullets, paragraphs and gaps.
pub(crate) fn blocks(filled: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for line in filled.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !matches!(out.last(), None | Some(Block::Gap)) {
                out.push(Block::Gap);
            }
        } else if let Some(h) = line.strip_prefix("# ") {
            out.push(Block::Heading(h.trim().to_string()));
        } else if let Some(b) = line.trim_start().strip_prefix("- ") {
            out.push(Block::Bullet(b.trim().to_string()));
        } else {
            out.push(Block::Paragraph(line.trim().to_string()));
        }
    }
    while matches!(out.last(), Some(Block::Gap)) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> TemplateValues {
        TemplateValues {
            treatment_date: "Tuesday, 24 November 2026".into(),
            no_makeup_until: "Thursday 26 November".into(),
            no_retinol_until: "Tuesday 1 December".into(),
            next_appointment: "not booked yet".into(),
            clinic_name: "Clinique Étoile".into(),
            clinic_phone: "+34 612 345 678".into(),
        }
    }

    #[test]
    fn the_default_template_is_valid_and_uses_the_dates() {
        let t = default_aftercare_template();
        validate_template(t).unwrap();
        let filled = fill_template(t, &values()).unwrap();
        assert!(filled.contains("Until Thursday 26 November: no makeup"));
        assert!(filled.contains("no retinol until Tuesday 1 December"));
        assert!(filled.contains("Call Clinique Étoile on +34 612 345 678"));
        assert!(!filled.contains('{'));
    }

    #[test]
    fn the_default_template_covers_product_4_6() {
        let t = default_aftercare_template().to_lowercase();
        for needle in [
            "direct sun",
            "makeup",
            "harsh",
            "cleanse gently",
            "hyaluronic acid",
            "light sunburn",
            "flaking",
            "broad-spectrum sunscreen",
            "exfoliation",
            "retinol",
            "infection",
            "severe pain",
            "blistering",
        ] {
            assert!(t.contains(needle), "{needle}");
        }
    }

    #[test]
    fn every_default_text_is_valid_and_uses_every_date_and_the_phone() {
        for lang in Language::ALL {
            let t = default_aftercare_template_in(lang);
            validate_template(t).unwrap_or_else(|e| panic!("{lang}: {e}"));
            for p in [
                "{no_makeup_until}",
                "{no_retinol_until}",
                "{clinic_name}",
                "{clinic_phone}",
            ] {
                assert!(t.contains(p), "{lang}: {p}");
            }
            // Same structure as the English text: four headings, seven bullets.
            let b = blocks(t);
            let headings = b.iter().filter(|b| matches!(b, Block::Heading(_))).count();
            let bullets = b.iter().filter(|b| matches!(b, Block::Bullet(_))).count();
            assert_eq!((headings, bullets), (4, 7), "{lang}");
        }
    }

    #[test]
    fn an_unknown_placeholder_is_named() {
        let err = validate_template("Avoid sun until {no_sun_until}.").unwrap_err();
        assert_eq!(err.placeholder(), Some("no_sun_until"));
        assert!(err.to_string().contains("{no_sun_until}"), "{err}");
        assert!(err.to_string().contains("{no_retinol_until}"), "{err}");
    }

    #[test]
    fn unbalanced_braces_are_refused_with_their_position() {
        assert_eq!(
            validate_template("until {treatment_date"),
            Err(TemplateError::UnclosedBrace { position: 7 })
        );
        assert_eq!(
            validate_template("a } b"),
            Err(TemplateError::UnopenedBrace { position: 3 })
        );
        assert_eq!(
            validate_template("{ {clinic_name}"),
            Err(TemplateError::UnclosedBrace { position: 1 })
        );
        assert!(matches!(
            validate_template("line {clinic_name\n}"),
            Err(TemplateError::UnclosedBrace { .. })
        ));
    }

    #[test]
    fn doubled_braces_are_literal() {
        let filled = fill_template("{{not a placeholder}} {clinic_phone}", &values()).unwrap();
        assert_eq!(filled, "{not a placeholder} +34 612 345 678");
    }

    #[test]
    fn placeholders_may_have_spaces_and_non_ascii_text_around_them() {
        let filled = fill_template("é { clinic_name } ü", &values()).unwrap();
        assert_eq!(filled, "é Clinique Étoile ü");
    }

    #[test]
    fn blocks_split_headings_bullets_and_paragraphs() {
        let b = blocks("# Title\n- one\n\n\nText\n");
        assert_eq!(
            b,
            vec![
                Block::Heading("Title".into()),
                Block::Bullet("one".into()),
                Block::Gap,
                Block::Paragraph("Text".into()),
            ]
        );
    }
}
