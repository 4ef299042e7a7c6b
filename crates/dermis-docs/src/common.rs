//! Pieces every document shares: margins, the letterhead, the footer, and
//! the measurements that turn font sizes into millimetres.

use crate::canvas::{mm, style, to_mm, Align, DocBuilder, Page};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::lang::Loc;
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
#[allow(clippy::too_many_arguments)]
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
    loc: &Loc,
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
        &loc.t(
            "letterhead-phone",
            &[("phone", lh.phone.trim().to_string().into())],
        ),
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

/// A table column: title, width in mm, alignment of its cells.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub title: String,
    pub width: f32,
    pub align: Align,
}

/// Padding inside table cells, mm.
const CELL_PAD_X: f32 = 1.8;
const CELL_PAD_Y: f32 = 1.4;

/// A table row laid out: each cell's lines and the row height (mm).
pub(crate) struct LaidRow {
    pub cells: Vec<Wrapped>,
    pub height: f32,
}

/// Lays out one row at `size` pt; no row is taller than `max_height` (cells
/// that would be are cut with an ellipsis: a row is never split across pages).
pub(crate) fn lay_row(
    cells: &[&str],
    columns: &[Column],
    size: f32,
    weight: Weight,
    max_height: f32,
) -> Result<LaidRow, DocsError> {
    let lh = line_height(size);
    let max_lines = (((max_height - 2.0 * CELL_PAD_Y) / lh).floor() as usize).max(1);
    let mut laid = Vec::with_capacity(cells.len());
    let mut lines = 1;
    for (text, col) in cells.iter().zip(columns) {
        let shaped = crate::text::Shaped::new(text, weight)?;
        let w = crate::text::wrap_text(&shaped, mm(col.width - 2.0 * CELL_PAD_X), size, max_lines);
        lines = lines.max(w.lines.len());
        laid.push(w);
    }
    Ok(LaidRow {
        cells: laid,
        height: lines as f32 * lh + 2.0 * CELL_PAD_Y,
    })
}

/// Draws a laid-out row at `top`, with an optional background; returns the y below.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_row(
    doc: &mut DocBuilder,
    page: &mut Page,
    x: f32,
    top: f32,
    columns: &[Column],
    row: &LaidRow,
    background: Option<crate::canvas::Rgb8>,
    color: crate::canvas::Rgb8,
) -> f32 {
    let total: f32 = columns.iter().map(|c| c.width).sum();
    if let Some(bg) = background {
        page.fill_rect(x, top, total, row.height, bg);
    }
    let mut cx = x;
    for (cell, col) in row.cells.iter().zip(columns) {
        draw_wrapped(
            doc,
            page,
            cell,
            cx + CELL_PAD_X,
            col.width - 2.0 * CELL_PAD_X,
            top + CELL_PAD_Y,
            color,
            col.align,
        );
        cx += col.width;
    }
    top + row.height
}

/// Section heading with a thin rule; returns the y below.
pub(crate) fn section_heading(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    top: f32,
    title: &str,
) -> Result<f32, DocsError> {
    let (line, size) = fit_line(title, Weight::Bold, mm(frame.width()), 11.5, 8.0)?;
    doc.text(
        page,
        &line,
        frame.left,
        frame.width(),
        top + baseline_offset(size),
        size,
        style::ACCENT,
        Align::Left,
    );
    let y = top + line_height(size) + 0.3;
    page.hline(frame.left, frame.right, y, style::RULE, 0.5);
    Ok(y + 2.0)
}

/// Label above a value; returns the y below.
#[allow(clippy::too_many_arguments)]
pub(crate) fn labelled(
    doc: &mut DocBuilder,
    page: &mut Page,
    label: &str,
    value: &Wrapped,
    x: f32,
    w: f32,
    top: f32,
    value_color: crate::canvas::Rgb8,
) -> Result<f32, DocsError> {
    let (l, ls) = fit_line(label, Weight::Regular, mm(w), LABEL_SIZE, 6.0)?;
    doc.text(
        page,
        &l,
        x,
        w,
        top + baseline_offset(ls),
        ls,
        style::MUTED,
        Align::Left,
    );
    let y = top + line_height(ls);
    Ok(draw_wrapped(
        doc,
        page,
        value,
        x,
        w,
        y,
        value_color,
        Align::Left,
    ))
}

pub(crate) const LABEL_SIZE: f32 = 7.5;

pub(crate) fn labelled_height(value: &Wrapped) -> f32 {
    line_height(LABEL_SIZE) + value.lines.len() as f32 * line_height(value.size)
}

/// The tinted panel under the title: the patient's name large on the left
/// (up to three lines, shrinking, then cut), labelled fields on the right.
pub(crate) fn patient_panel(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    top: f32,
    name: &str,
    fields: &[(String, String)],
    loc: &Loc,
) -> Result<f32, DocsError> {
    let pad = 4.0;
    let gap = 6.0;
    let inner = frame.width() - 2.0 * pad;
    let name_w = inner * 0.56;
    let right_w = inner - name_w - gap;
    // The name in a first-strong isolate (U+2068 … U+2069): whatever direction
    // marks it holds, it cannot reorder the text around it (issue 14).
    let name = fit_lines(
        &format!("\u{2068}{}\u{2069}", name.trim()),
        Weight::Bold,
        mm(name_w),
        3,
        14.0,
        8.0,
    )?;
    let mut values = Vec::with_capacity(fields.len());
    for (_, v) in fields {
        values.push(fit_lines(v, Weight::Bold, mm(right_w), 2, 11.0, 7.0)?);
    }
    let left_h = labelled_height(&name);
    let right_h: f32 = values.iter().map(labelled_height).sum::<f32>()
        + 1.5 * values.len().saturating_sub(1) as f32;
    let h = left_h.max(right_h) + 2.0 * pad;
    page.fill_rect(frame.left, top, frame.width(), h, style::ACCENT_LIGHT);
    page.fill_rect(frame.left, top, 1.2, h, style::ACCENT);
    let x = frame.left + pad;
    labelled(
        doc,
        page,
        &loc.s("patient"),
        &name,
        x,
        name_w,
        top + pad,
        style::INK,
    )?;
    let rx = x + name_w + gap;
    let mut y = top + pad;
    for ((label, _), value) in fields.iter().zip(&values) {
        y = labelled(doc, page, label, value, rx, right_w, y, style::INK)? + 1.5;
    }
    Ok(top + h)
}
