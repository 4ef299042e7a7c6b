//! The signed consent: the clinic's consent text as the patient signed it,
//! the photo-use answers, the drawn signature as vector paths, the names and
//! instants, and on every page a footer with the SHA-256 of the signed content.
//!
//! Why the footer carries the hash of the *content* and not of the file: a
//! file cannot contain its own SHA-256 (writing the hash changes the bytes it
//! hashes). The footer therefore prints the SHA-256 of the canonical signed
//! content (dermis-core's `consent::canonical_content`: the text, the strokes
//! to 0.1 point, the names and the instants), computed before the PDF is
//! made; the SHA-256 of the PDF file itself goes into the audit log when the
//! consent is confirmed. The last page says both in words.
//!
//! Layout: letterhead on the first page; title; a panel with the patient,
//! their number and the form's version; the text (headings `# `, bullets
//! `- `), flowing over as many pages as it needs; the photo-use answers in a
//! box of their own; the signature box (400 × 150 points drawn at 100 × 37.5
//! mm), the names and instants; the verification paragraph. A block never
//! splits across a page: a line, the photo box or the signature block moves
//! whole to the next page. The labels are English (the consent text is the
//! clinic's own, in whatever language it wrote it). The instants of signing
//! and confirmation are written with the clinic's date format (issue 22:
//! "31.12.2026, 14:05 UTC", as the screens write the date), in UTC so the
//! paper says the same thing wherever it is read.

use crate::canvas::{mm, style, Align, DocBuilder, Page};
use crate::common::{baseline_offset, draw_wrapped, letterhead, line_height, patient_panel, Frame};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::lang::Loc;
use crate::model::{Language, Letterhead, PaperSize};
use crate::template::{blocks, Block};
use crate::text::{fit_line, wrap_text, Shaped};
use chrono::NaiveDate;
use dermis_core::dates::DateFormat;

/// Everything a signed consent prints.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentInput {
    pub letterhead: Letterhead,
    pub paper: PaperSize,
    pub title: String,
    /// The text as signed (`# ` headings and `- ` bullets as in the aftercare text).
    pub text: String,
    pub template_key: String,
    pub template_version: u32,
    pub patient_name: String,
    pub patient_number: String,
    /// Points in the 400 × 150 signature box, y downwards; empty when typed.
    pub strokes: Vec<Vec<(f64, f64)>>,
    /// The name typed instead of drawing (the keyboard alternative), else empty.
    pub typed_name: String,
    /// (record, teaching, marketing)
    pub photo_uses: (bool, bool, bool),
    /// When the patient signed, as stored (RFC 3339, e.g.
    /// `2026-11-30T14:05:00Z`); printed "30.11.2026, 14:05 UTC" in the
    /// clinic's format, or as given when it is not an RFC 3339 instant.
    pub signed_at: String,
    pub recorded_by: String,
    pub confirmed_by: String,
    /// When staff confirmed, as stored (RFC 3339), printed as `signed_at`.
    pub confirmed_at: String,
    /// How the clinic writes dates.
    pub date_format: DateFormat,
    /// SHA-256 (hex) of the canonical signed content.
    pub content_sha256: String,
    /// The day of signing: the PDF's dates (same input, same bytes).
    pub generated_on: NaiveDate,
}

const SIG_W: f32 = 100.0;
const SIG_H: f32 = 37.5;
const BODY: f32 = 10.0;

struct Flow {
    pages: Vec<Page>,
    page: Page,
    frame: Frame,
    y: f32,
    paper: PaperSize,
}

impl Flow {
    /// Moves to a new page when `h` mm do not fit below the cursor.
    fn room(&mut self, doc: &DocBuilder, h: f32) {
        if self.y + h > self.frame.bottom - 2.0 {
            let next = doc.page_in(self.paper, false);
            self.pages.push(std::mem::replace(&mut self.page, next));
            self.y = self.frame.top;
        }
    }
}

/// The signed consent as PDF bytes (one or more pages).
pub fn consent_document(input: &ConsentInput) -> Result<Vec<u8>, DocsError> {
    let loc = Loc::new(Language::En, input.date_format);
    let mut doc = DocBuilder::new();
    let mut page = doc.page_in(input.paper, false);
    let frame = Frame::of(&page);
    let y = letterhead(&mut doc, &mut page, frame, &input.letterhead, &loc)?;
    let mut f = Flow {
        pages: Vec::new(),
        page,
        frame,
        y: y + 4.0,
        paper: input.paper,
    };
    let w = frame.width();

    // Title.
    let (title, ts) = fit_line(&input.title, Weight::Bold, mm(w), 17.0, 11.0)?;
    doc.text(
        &mut f.page,
        &title,
        frame.left,
        w,
        f.y + baseline_offset(ts),
        ts,
        style::INK,
        Align::Left,
    );
    f.y += line_height(ts) + 2.0;
    f.y = patient_panel(
        &mut doc,
        &mut f.page,
        frame,
        f.y,
        &input.patient_name,
        &[
            ("Patient number".into(), input.patient_number.trim().into()),
            (
                "Consent form".into(),
                format!("{}, version {}", input.template_key, input.template_version),
            ),
        ],
        &loc,
    )? + 5.0;

    // The text as signed.
    let bullet = Shaped::new("•", Weight::Regular)?.single_line();
    for b in blocks(&input.text) {
        let (text, weight, indent, before, color, size) = match &b {
            Block::Heading(t) => (
                t.as_str(),
                Weight::Bold,
                0.0,
                2.5,
                style::ACCENT,
                BODY * 1.1,
            ),
            Block::Bullet(t) => (t.as_str(), Weight::Regular, 5.0, 0.6, style::INK, BODY),
            Block::Paragraph(t) => (t.as_str(), Weight::Regular, 0.0, 0.6, style::INK, BODY),
            Block::Gap => {
                f.y += 1.5;
                continue;
            }
        };
        let shaped = Shaped::new(text, weight)?;
        let wrapped = wrap_text(&shaped, mm(w - indent), size, usize::MAX);
        f.y += before;
        // A heading keeps at least its first following line with it.
        let keep = if matches!(b, Block::Heading(_)) {
            2.0
        } else {
            1.0
        };
        f.room(&doc, keep * line_height(size));
        for (i, line) in wrapped.lines.iter().enumerate() {
            f.room(&doc, line_height(size));
            let baseline = f.y + baseline_offset(size);
            if i == 0 && matches!(b, Block::Bullet(_)) {
                doc.text_at(
                    &mut f.page,
                    &bullet,
                    frame.left + 1.2,
                    baseline,
                    size,
                    style::ACCENT,
                );
            }
            doc.text(
                &mut f.page,
                line,
                frame.left + indent,
                w - indent,
                baseline,
                size,
                color,
                Align::Start,
            );
            f.y += line_height(size);
        }
    }

    // Photo use, asked apart.
    f.y += 5.0;
    let box_h = 6.0 + 4.0 * line_height(9.5);
    f.room(&doc, box_h);
    let top = f.y;
    f.page
        .fill_rect(frame.left, top, w, box_h, style::ACCENT_LIGHT);
    f.page.fill_rect(frame.left, top, 1.2, box_h, style::ACCENT);
    let (record, teaching, marketing) = input.photo_uses;
    let yes = |b: bool| if b { "Yes" } else { "No" };
    let lines = [
        (
            "Photo use (asked separately from the treatment consent)".to_string(),
            Weight::Bold,
        ),
        (
            format!(
                "Photos kept in my record and printed in my own documents: {}",
                yes(record)
            ),
            Weight::Regular,
        ),
        (
            format!(
                "Photos shown, without my name, to teach practitioners: {}",
                yes(teaching)
            ),
            Weight::Regular,
        ),
        (
            format!(
                "Photos used in the clinic's advertising: {}",
                yes(marketing)
            ),
            Weight::Regular,
        ),
    ];
    let mut ly = top + 3.0;
    for (text, weight) in &lines {
        let (l, s) = fit_line(text, *weight, mm(w - 8.0), 9.5, 7.0)?;
        doc.text(
            &mut f.page,
            &l,
            frame.left + 4.0,
            w - 8.0,
            ly + baseline_offset(s),
            s,
            style::INK,
            Align::Left,
        );
        ly += line_height(9.5);
    }
    f.y = top + box_h + 6.0;

    // The signature block: the box, then the names and instants.
    let block_h = 5.0 + SIG_H + 4.0 * line_height(9.0) + 2.0;
    f.room(&doc, block_h);
    let (l, s) = fit_line("Patient's signature", Weight::Bold, mm(w), 9.5, 8.0)?;
    doc.text(
        &mut f.page,
        &l,
        frame.left,
        w,
        f.y + baseline_offset(s),
        s,
        style::INK,
        Align::Left,
    );
    f.y += line_height(s) + 1.0;
    let (bx, by) = (frame.left, f.y);
    f.page.stroke_rect(bx, by, SIG_W, SIG_H, style::RULE, 0.6);
    let scale = SIG_W / BOX_W;
    for stroke in &input.strokes {
        let pts: Vec<(f32, f32)> = stroke
            .iter()
            .map(|&(x, y)| (bx + x as f32 * scale, by + y as f32 * scale))
            .collect();
        if pts.len() == 1 {
            f.page.disc(pts[0].0, pts[0].1, 0.35, style::INK);
        } else {
            f.page.polyline(&pts, style::INK, 1.1);
        }
    }
    if !input.typed_name.is_empty() {
        let (l, s) = fit_line(
            &input.typed_name,
            Weight::Regular,
            mm(SIG_W - 6.0),
            16.0,
            8.0,
        )?;
        doc.text(
            &mut f.page,
            &l,
            bx + 3.0,
            SIG_W - 6.0,
            by + SIG_H / 2.0 + 2.0,
            s,
            style::INK,
            Align::Left,
        );
    }
    f.y = by + SIG_H + 2.0;
    let method = if input.typed_name.is_empty() {
        "drawn on screen"
    } else {
        "name typed on the keyboard instead of drawn"
    };
    let details = [
        format!(
            "Signed by {} ({method}) on {}.",
            input.patient_name.trim(),
            instant_text(input.date_format, &input.signed_at)
        ),
        format!(
            "Confirmed by {} on {}; the screen was handed to the patient by {}.",
            input.confirmed_by.trim(),
            instant_text(input.date_format, &input.confirmed_at),
            input.recorded_by.trim()
        ),
    ];
    for d in &details {
        let wrapped = wrap_text(&Shaped::new(d, Weight::Regular)?, mm(w), 9.0, 2);
        f.y = draw_wrapped(
            &mut doc,
            &mut f.page,
            &wrapped,
            frame.left,
            w,
            f.y,
            style::INK,
            Align::Left,
        );
    }

    // What the footer's hash covers.
    f.y += 3.0;
    let verify = format!(
        "Verification: the SHA-256 printed at the foot of every page ({}) is computed over the signed content: the form's key and version, the title and text above, the patient's name and number, the signature strokes, the photo-use answers, and the names and instants of signing and confirmation. The SHA-256 of this PDF file itself cannot be printed inside it; it is kept in the clinic's audit log.",
        input.content_sha256
    );
    let wrapped = wrap_text(
        &Shaped::new(&verify, Weight::Regular)?,
        mm(w),
        8.0,
        usize::MAX,
    );
    f.room(&doc, wrapped.lines.len() as f32 * line_height(8.0));
    draw_wrapped(
        &mut doc,
        &mut f.page,
        &wrapped,
        frame.left,
        w,
        f.y,
        style::MUTED,
        Align::Left,
    );

    // Footers, now that the page count is known.
    let Flow {
        mut pages, page, ..
    } = f;
    pages.push(page);
    let n = pages.len();
    for (i, mut p) in pages.into_iter().enumerate() {
        footer(&mut doc, &mut p, frame, input, i + 1, n)?;
        doc.finish_page(p);
    }
    doc.finish(
        &format!("{} {}", input.title.trim(), input.patient_number.trim()),
        input.generated_on,
    )
}

/// An RFC 3339 instant as "31.12.2026, 14:05 UTC" (the date in `format`);
/// text that is not one is printed as given.
fn instant_text(format: DateFormat, rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339.trim()) {
        Ok(t) => {
            let utc = t.with_timezone(&chrono::Utc);
            format!(
                "{}, {} UTC",
                format.format(utc.date_naive()),
                utc.format("%H:%M")
            )
        }
        Err(_) => rfc3339.to_string(),
    }
}

/// The signature box's size in points (dermis-core's `SIGNATURE_WIDTH`).
const BOX_W: f32 = 400.0;

fn footer(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    input: &ConsentInput,
    n: usize,
    of: usize,
) -> Result<(), DocsError> {
    page.hline(frame.left, frame.right, frame.bottom, style::RULE, 0.5);
    let w = frame.width();
    let y = frame.bottom + 1.5;
    let (h, hs) = fit_line(
        &format!("Signed content SHA-256: {}", input.content_sha256),
        Weight::Regular,
        mm(w),
        7.0,
        5.0,
    )?;
    doc.text(
        page,
        &h,
        frame.left,
        w,
        y + baseline_offset(hs),
        hs,
        style::MUTED,
        Align::Left,
    );
    let y = y + line_height(7.0);
    let left = format!(
        "{} · {} · {} version {}",
        input.letterhead.name.trim(),
        input.patient_number.trim(),
        input.template_key,
        input.template_version
    );
    let (l, ls) = fit_line(&left, Weight::Regular, mm(w * 0.7), 7.0, 5.0)?;
    doc.text(
        page,
        &l,
        frame.left,
        w * 0.7,
        y + baseline_offset(ls),
        ls,
        style::MUTED,
        Align::Left,
    );
    let (r, rs) = fit_line(
        &format!("Page {n} of {of}"),
        Weight::Regular,
        mm(w * 0.28),
        7.0,
        5.0,
    )?;
    doc.text(
        page,
        &r,
        frame.right - w * 0.28,
        w * 0.28,
        y + baseline_offset(rs),
        rs,
        style::MUTED,
        Align::Right,
    );
    Ok(())
}
