//! The aftercare sheet: one page the patient takes home after a session.
//!
//! Top to bottom: letterhead; title; a panel with the patient's name, number
//! and treatment date; the PIH caution for Fitzpatrick IV–VI; the clinic's
//! instructions with the real dates filled in; the next appointment and the
//! number to call; a footer. The bottom row is anchored to the page bottom and
//! the instructions get the space between, shrinking from 10.5 pt to 7 pt
//! when the clinic's text is long; every field has a box it cannot leave
//! (wrap, shrink, then an ellipsis), so the sheet is always exactly one page.

use crate::canvas::{mm, style, to_mm, Align, DocBuilder, Page};
use crate::common::{
    baseline_offset, draw_wrapped, footer, labelled, letterhead, line_height, patient_panel, Frame,
};
use crate::dates::{clock, date_in_context, long_date, AftercareDates};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::model::{AftercareInput, Appointment};
use crate::template::{blocks, fill_template, Block, TemplateValues};
use crate::text::{fit_line, fit_lines, wrap_text, Shaped, Wrapped};

/// One aftercare sheet as PDF bytes (exactly one page).
pub fn aftercare_sheet(input: &AftercareInput) -> Result<Vec<u8>, DocsError> {
    let mut doc = DocBuilder::new();
    draw_sheet(&mut doc, input)?;
    doc.finish(
        &format!("Aftercare sheet {}", input.patient_number.trim()),
        input.generated_on,
    )
}

/// Many aftercare sheets in one PDF, one page each, in the order given (the
/// caller sorts by appointment time). Fonts and identical logos are embedded
/// once for the whole batch.
pub fn aftercare_batch(inputs: &[AftercareInput]) -> Result<Vec<u8>, DocsError> {
    let first = inputs.first().ok_or(DocsError::EmptyBatch)?;
    let mut doc = DocBuilder::new();
    for input in inputs {
        draw_sheet(&mut doc, input)?;
    }
    doc.finish(
        &format!("Aftercare sheets ({})", inputs.len()),
        first.generated_on,
    )
}

fn appointment_text(a: &Appointment, reference_year: i32) -> String {
    let date = date_in_context(a.date, reference_year);
    match a.time {
        Some(t) => format!("{date} at {}", clock(t)),
        None => date,
    }
}

fn draw_sheet(doc: &mut DocBuilder, input: &AftercareInput) -> Result<(), DocsError> {
    let dates = AftercareDates::from_treatment(input.treatment_date);
    let treatment_year = chrono::Datelike::year(&input.treatment_date);
    let values = TemplateValues {
        treatment_date: long_date(input.treatment_date),
        no_makeup_until: dates.describe(dates.no_makeup_until),
        no_retinol_until: dates.describe(dates.no_retinol_until),
        next_appointment: input
            .next_appointment
            .as_ref()
            .map(|a| appointment_text(a, treatment_year))
            .unwrap_or_else(|| "not booked yet".to_string()),
        clinic_name: input.letterhead.name.trim().to_string(),
        clinic_phone: input.letterhead.phone.trim().to_string(),
    };
    let filled = fill_template(&input.template, &values)?;

    let mut page = doc.page(input.paper);
    let frame = Frame::of(&page);
    let mut y = letterhead(doc, &mut page, frame, &input.letterhead)?;

    // Title.
    y += 5.0;
    let (title, ts) = fit_line(
        "Aftercare after your treatment",
        Weight::Bold,
        mm(frame.width()),
        18.0,
        12.0,
    )?;
    doc.text(
        &mut page,
        &title,
        frame.left,
        frame.width(),
        y + baseline_offset(ts),
        ts,
        style::INK,
        Align::Left,
    );
    y += line_height(ts) + 2.0;

    y = patient_panel(
        doc,
        &mut page,
        frame,
        y,
        &input.patient_name,
        &[
            ("Patient number", input.patient_number.trim().to_string()),
            ("Treatment date", long_date(input.treatment_date)),
        ],
    )? + 5.0;

    if input.pih_caution {
        y = pih_box(doc, &mut page, frame, y)? + 5.0;
    }

    // Bottom row, anchored above the footer.
    let row_h = 21.0;
    let row_top = frame.bottom - 4.0 - row_h;
    bottom_row(doc, &mut page, frame, row_top, row_h, input)?;

    instructions(
        doc,
        &mut page,
        &blocks(&filled),
        frame.left,
        frame.width(),
        y,
        row_top - 5.0,
    )?;

    footer(
        doc,
        &mut page,
        frame,
        &format!(
            "{} · Aftercare sheet · {}",
            input.letterhead.name.trim(),
            input.patient_number.trim()
        ),
        &format!("Printed {}", long_date(input.generated_on)),
    )?;
    doc.finish_page(page);
    Ok(())
}

fn pih_box(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    top: f32,
) -> Result<f32, DocsError> {
    let pad = 3.5;
    let w = frame.width() - 2.0 * pad - 1.5;
    let x = frame.left + pad + 1.5;
    let heading = fit_lines(
        "Extra care for your skin type",
        Weight::Bold,
        mm(w),
        1,
        10.0,
        8.0,
    )?;
    let body = fit_lines(
        "Your skin can develop dark marks after treatment (post-inflammatory \
         hyperpigmentation). Keep out of the sun, use sunscreen every day, and call us \
         if patches of skin turn darker.",
        Weight::Regular,
        mm(w),
        3,
        9.0,
        7.0,
    )?;
    let h = 2.0 * pad
        + heading.lines.len() as f32 * line_height(heading.size)
        + body.lines.len() as f32 * line_height(body.size);
    page.fill_rect(frame.left, top, frame.width(), h, style::WARN_BG);
    page.fill_rect(frame.left, top, 1.2, h, style::WARN_EDGE);
    let y = draw_wrapped(
        doc,
        page,
        &heading,
        x,
        w,
        top + pad,
        style::INK,
        Align::Left,
    );
    draw_wrapped(doc, page, &body, x, w, y, style::INK, Align::Left);
    Ok(top + h)
}

fn bottom_row(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    top: f32,
    h: f32,
    input: &AftercareInput,
) -> Result<(), DocsError> {
    let gap = 5.0;
    let pad = 4.0;
    let left_w = (frame.width() - gap) * 0.58;
    let right_w = frame.width() - gap - left_w;

    // Next appointment.
    page.stroke_rect(frame.left, top, left_w, h, style::ACCENT, 0.9);
    let inner = left_w - 2.0 * pad;
    let x = frame.left + pad;
    let value = match &input.next_appointment {
        Some(a) => {
            let date = long_date(a.date);
            let text = match a.time {
                Some(t) => format!("{date} at {}", clock(t)),
                None => date,
            };
            fit_lines(&text, Weight::Bold, mm(inner), 2, 13.0, 8.0)?
        }
        None => fit_lines(
            "Not booked yet. Call us to book your next session.",
            Weight::Regular,
            mm(inner),
            2,
            10.0,
            7.5,
        )?,
    };
    labelled(
        doc,
        page,
        "Your next appointment",
        &value,
        x,
        inner,
        top + pad,
        style::INK,
    )?;

    // Whom to call.
    let rx = frame.left + left_w + gap;
    page.fill_rect(rx, top, right_w, h, style::ACCENT);
    let inner = right_w - 2.0 * pad;
    let (l, ls) = fit_line(
        "Questions or worries? Call us:",
        Weight::Regular,
        mm(inner),
        8.5,
        6.0,
    )?;
    doc.text(
        page,
        &l,
        rx + pad,
        inner,
        top + pad + baseline_offset(ls),
        ls,
        style::WHITE,
        Align::Left,
    );
    let phone = fit_lines(
        input.letterhead.phone.trim(),
        Weight::Bold,
        mm(inner),
        2,
        14.0,
        8.0,
    )?;
    draw_wrapped(
        doc,
        page,
        &phone,
        rx + pad,
        inner,
        top + pad + line_height(ls) + 0.5,
        style::WHITE,
        Align::Left,
    );
    Ok(())
}

/// A block of the instructions laid out at one size.
struct Laid {
    kind: Kind,
    wrapped: Wrapped,
    space_before: f32,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Heading,
    Bullet,
    Paragraph,
    Gap,
}

const BULLET_INDENT: f32 = 5.0;

fn lay_out(shaped: &[(Kind, Option<Shaped>)], width: f32, size: f32) -> (Vec<Laid>, f32) {
    let mut out = Vec::with_capacity(shaped.len());
    let mut total = 0.0;
    for (i, (kind, s)) in shaped.iter().enumerate() {
        let (block_size, w, space_before) = match kind {
            Kind::Heading => (
                size * 1.1,
                width,
                if i == 0 { 0.0 } else { to_mm(size * 0.7) },
            ),
            Kind::Bullet => (size, width - BULLET_INDENT, to_mm(size * 0.2)),
            Kind::Paragraph => (size, width, to_mm(size * 0.12)),
            Kind::Gap => (size, width, to_mm(size * 0.3)),
        };
        let wrapped = match s {
            Some(s) => wrap_text(s, mm(w), block_size, usize::MAX),
            None => Wrapped {
                lines: Vec::new(),
                size: block_size,
            },
        };
        total += space_before + wrapped.lines.len() as f32 * line_height(block_size);
        out.push(Laid {
            kind: *kind,
            wrapped,
            space_before,
        });
    }
    (out, total)
}

fn instructions(
    doc: &mut DocBuilder,
    page: &mut Page,
    blocks: &[Block],
    x: f32,
    width: f32,
    top: f32,
    bottom: f32,
) -> Result<(), DocsError> {
    let mut shaped = Vec::with_capacity(blocks.len());
    for b in blocks {
        shaped.push(match b {
            Block::Heading(t) => (Kind::Heading, Some(Shaped::new(t, Weight::Bold)?)),
            Block::Bullet(t) => (Kind::Bullet, Some(Shaped::new(t, Weight::Regular)?)),
            Block::Paragraph(t) => (Kind::Paragraph, Some(Shaped::new(t, Weight::Regular)?)),
            Block::Gap => (Kind::Gap, None),
        });
    }
    let available = (bottom - top).max(0.0);
    let mut size = 11.5f32;
    let (laid, _) = loop {
        let (laid, h) = lay_out(&shaped, width, size);
        if h <= available || size <= 7.0 {
            break (laid, h);
        }
        size = (size - 0.25).max(7.0);
    };
    let bullet = Shaped::new("•", Weight::Regular)?.single_line();

    // Draw, stopping (with an ellipsis) at the first line that would not fit.
    let mut y = top;
    for (bi, block) in laid.iter().enumerate() {
        y += block.space_before;
        let s = block.wrapped.size;
        let (lx, lw) = match block.kind {
            Kind::Bullet => (x + BULLET_INDENT, width - BULLET_INDENT),
            _ => (x, width),
        };
        let color = match block.kind {
            Kind::Heading => style::ACCENT,
            _ => style::INK,
        };
        for (li, line) in block.wrapped.lines.iter().enumerate() {
            let fits_next = y + 2.0 * line_height(s) <= bottom;
            let more_after = li + 1 < block.wrapped.lines.len()
                || laid[bi + 1..].iter().any(|b| !b.wrapped.lines.is_empty());
            if y + line_height(s) > bottom {
                return Ok(());
            }
            let baseline = y + baseline_offset(s);
            if block.kind == Kind::Bullet && li == 0 {
                doc.text_at(page, &bullet, x + 1.2, baseline, s, style::ACCENT);
            }
            if !fits_next && more_after {
                // Last line that fits: mark the cut.
                let mut cut = line.clone();
                if let Some(e) = Shaped::new("…", Weight::Regular)?
                    .single_line()
                    .glyphs
                    .first()
                {
                    let mut e = e.clone();
                    e.x = cut.width;
                    cut.width += e.adv;
                    cut.glyphs.push(e);
                }
                doc.text(page, &cut, lx, lw, baseline, s, color, Align::Start);
                return Ok(());
            }
            doc.text(page, line, lx, lw, baseline, s, color, Align::Start);
            y += line_height(s);
        }
    }
    Ok(())
}
