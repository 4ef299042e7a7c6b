//! Pieces every document shares: margins, the letterhead, the footer, and
//! the measurements that turn font sizes into millimetres.

use crate::canvas::{mm, style, to_mm, Align, DocBuilder, Page};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::model::Letterhead;
use crate::text::{fit_line, fit_lines, Wrapped};

/// The content box of a page, in mm from the top-left corner.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Frame {
    pub fn of(page: &Page) -> Frame {
        Frame {
            left: 18.0,
            right: page.width - 18.0,
            top: 15.0,
            bottom: page.height - 14.0,
        }
    }

    pub fn width(&self) -> f32 {
        self.right - self.left
    }
}

/// Line height in mm for a font size in pt.
pub(crate) fn line_height(size: f32) -> f32 {
    to_mm(size * 1.35)
}

/// Distance in mm from the top of a line box to its baseline.
pub(crate) fn baseline_offset(size: f32) -> f32 {
    to_mm(size * 1.02)
}

/// Draws wrapped lines from `top`; returns the y below them.
pub(crate) fn draw_wrapped(
    doc: &mut DocBuilder,
    page: &mut Page,
    wrapped: &Wrapped,
    x: f32,
    w: f32,
    top: f32,
    color: crate::canvas::Rgb8,
    align: Align,
) -> f32 {
    let mut y = top;
    for line in &wrapped.lines {
        doc.text(
            page,
            line,
            x,
            w,
            y + baseline_offset(wrapped.size),
            wrapped.size,
            color,
            align,
        );
        y += line_height(wrapped.size);
    }
    y
}

/// Single address line: the clinic may type it on several lines.
fn address_one_line(address: &str) -> String {
    address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Draws the letterhead (logo, clinic name, address, phone) and the rule
/// under it; returns the y below the rule.
pub(crate) fn letterhead(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    lh: &Letterhead,
) -> Result<f32, DocsError> {
    let top = frame.top;
    let mut text_x = frame.left;
    let mut logo_h = 0.0;
    if let Some(bytes) = &lh.logo {
        let img = doc.logo(bytes)?;
        let (_, _, w, h) = {
            // Fit in 42 x 20 mm, left-aligned.
            let iw = img.width.max(1) as f32;
            let ih = img.height.max(1) as f32;
            let scale = (42.0 / iw).min(20.0 / ih);
            page.image_fit(&img, frame.left, top, iw * scale, ih * scale)
        };
        text_x = frame.left + w + 6.0;
        logo_h = h;
    }
    let text_w = frame.right - text_x;

    let (name_line, name_size) = fit_line(&lh.name, Weight::Bold, mm(text_w), 16.0, 9.0)?;
    let mut y = top;
    doc.text(
        page,
        &name_line,
        text_x,
        text_w,
        y + baseline_offset(name_size) - 0.6,
        name_size,
        style::ACCENT,
        Align::Left,
    );
    y += line_height(name_size);

    let address = fit_lines(
        &address_one_line(&lh.address),
        Weight::Regular,
        mm(text_w),
        2,
        9.0,
        6.5,
    )?;
    y = draw_wrapped(
        doc,
        page,
        &address,
        text_x,
        text_w,
        y,
        style::MUTED,
        Align::Left,
    );

    let (phone, phone_size) = fit_line(
        &format!("Tel. {}", lh.phone.trim()),
        Weight::Regular,
        mm(text_w),
        9.0,
        6.5,
    )?;
    doc.text(
        page,
        &phone,
        text_x,
        text_w,
        y + baseline_offset(phone_size),
        phone_size,
        style::MUTED,
        Align::Left,
    );
    y += line_height(phone_size);

    let bottom = y.max(top + logo_h) + 3.0;
    page.hline(frame.left, frame.right, bottom, style::ACCENT, 1.2);
    Ok(bottom + 1.0)
}

/// The footer: clinic name on the left, a note in the middle, a page label
/// on the right; drawn below `frame.bottom`.
pub(crate) fn footer(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    left: &str,
    right: &str,
) -> Result<(), DocsError> {
    let y = frame.bottom + 3.0;
    page.hline(frame.left, frame.right, frame.bottom, style::RULE, 0.5);
    let third = frame.width() * 0.62;
    let (l, ls) = fit_line(left, Weight::Regular, mm(third), 7.5, 5.5)?;
    doc.text(
        page,
        &l,
        frame.left,
        third,
        y + baseline_offset(ls) - 1.0,
        ls,
        style::MUTED,
        Align::Left,
    );
    let rw = frame.width() - third - 2.0;
    let (r, rs) = fit_line(right, Weight::Regular, mm(rw), 7.5, 5.5)?;
    doc.text(
        page,
        &r,
        frame.right - rw,
        rw,
        y + baseline_offset(rs) - 1.0,
        rs,
        style::MUTED,
        Align::Right,
    );
    Ok(())
}
