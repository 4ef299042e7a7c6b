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
use crate::dates::AftercareDates;
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::lang::{Arg, Loc};
use crate::model::{AftercareInput, Appointment};
use crate::template::{blocks, fill_template, Block, TemplateValues};
use crate::text::{fit_line, fit_lines, wrap_text, Shaped, Wrapped};

/// One aftercare sheet as PDF bytes (exactly one page).
pub fn aftercare_sheet(input: &AftercareInput) -> Result<Vec<u8>, DocsError> {
    let mut doc = DocBuilder::new();
    draw_sheet(&mut doc, input)?;
    let loc = Loc::new(input.language, input.date_format);
    doc.finish(
        &loc.t(
            "aftercare-doc-title",
            &[("number", input.patient_number.trim().into())],
        ),
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
    let loc = Loc::new(first.language, first.date_format);
    doc.finish(
        &loc.t("aftercare-batch-title", &[("count", inputs.len().into())]),
        first.generated_on,
    )
}

/// "Tuesday 29/12/2026 at 14:30": the weekday and the words in the
/// document's language, the date in the clinic's format.
fn appointment_text(loc: &Loc, a: &Appointment) -> String {
    let date = loc.weekday_date(a.date);
    match a.time {
        Some(t) => loc.t(
            "date-at-time",
            &[("date", date.into()), ("time", loc.clock(t).into())],
        ),
        None => loc.directed(date),
    }
}

fn draw_sheet(doc: &mut DocBuilder, input: &AftercareInput) -> Result<(), DocsError> {
    let loc = Loc::new(input.language, input.date_format);
    let dates = AftercareDates::from_treatment(input.treatment_date);
    // Values put into the clinic's text keep their own direction in Arabic
    // (a Latin clinic name, a phone number); see `Loc::isolate`.
    let values = TemplateValues {
        treatment_date: loc.isolate(&loc.weekday_date(input.treatment_date)),
        no_makeup_until: loc.isolate(&loc.weekday_date(dates.no_makeup_until)),
        no_retinol_until: loc.isolate(&loc.weekday_date(dates.no_retinol_until)),
        next_appointment: loc.isolate(
            &input
                .next_appointment
                .as_ref()
                .map(|a| appointment_text(&loc, a))
                .unwrap_or_else(|| loc.s("not-booked-yet")),
        ),
        clinic_name: loc.isolate(input.letterhead.name.trim()),
        clinic_phone: loc.isolate(input.letterhead.phone.trim()),
    };
    let filled = fill_template(&input.template, &values)?;

    let mut page = doc.page_in(input.paper, loc.rtl());
    let frame = Frame::of(&page);
    let mut y = letterhead(doc, &mut page, frame, &input.letterhead, &loc)?;

    // Title.
    y += 5.0;
    let (title, ts) = fit_line(
        &loc.s("aftercare-title"),
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
            (
                loc.s("patient-number"),
                input.patient_number.trim().to_string(),
            ),
            (loc.s("treatment-date"), loc.date(input.treatment_date)),
        ],
        &loc,
    )? + 5.0;

    if input.pih_caution {
        y = pih_box(doc, &mut page, frame, y, &loc)? + 5.0;
    }

    // Bottom row, anchored above the footer.
    let row_h = 21.0;
    let row_top = frame.bottom - 4.0 - row_h;
    bottom_row(doc, &mut page, frame, row_top, row_h, input, &loc)?;

    instructions(
        doc,
        &mut page,
        &loc,
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
        &loc.t(
            "aftercare-footer",
            &[
                ("clinic", input.letterhead.name.trim().into()),
                ("number", input.patient_number.trim().into()),
            ],
        ),
        &loc.t(
            "printed-on",
            &[("date", Arg::S(loc.date(input.generated_on)))],
        ),
    )?;
    doc.finish_page(page);
    Ok(())
}

fn pih_box(
    doc: &mut DocBuilder,
    page: &mut Page,
    frame: Frame,
    top: f32,
    loc: &Loc,
) -> Result<f32, DocsError> {
    let pad = 3.5;
    let w = frame.width() - 2.0 * pad - 1.5;
    let x = frame.left + pad + 1.5;
    let heading = fit_lines(&loc.s("pih-heading"), Weight::Bold, mm(w), 1, 10.0, 8.0)?;
    let body = fit_lines(&loc.s("pih-body"), Weight::Regular, mm(w), 3, 9.0, 7.0)?;
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
    loc: &Loc,
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
            let text = appointment_text(loc, a);
            fit_lines(&text, Weight::Bold, mm(inner), 2, 13.0, 8.0)?
        }
        None => fit_lines(
            &loc.s("next-not-booked"),
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
        &loc.s("next-appointment"),
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
    let (l, ls) = fit_line(&loc.s("call-us"), Weight::Regular, mm(inner), 8.5, 6.0)?;
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

#[allow(clippy::too_many_arguments)]
fn instructions(
    doc: &mut DocBuilder,
    page: &mut Page,
    loc: &Loc,
    blocks: &[Block],
    x: f32,
    width: f32,
    top: f32,
    bottom: f32,
) -> Result<(), DocsError> {
    let mut shaped = Vec::with_capacity(blocks.len());
    for b in blocks {
        // Each block is a paragraph in the document's direction.
        let shape = |t: &str, w| Shaped::new(&loc.directed(t.to_string()), w);
        shaped.push(match b {
            Block::Heading(t) => (Kind::Heading, Some(shape(t, Weight::Bold)?)),
            Block::Bullet(t) => (Kind::Bullet, Some(shape(t, Weight::Regular)?)),
            Block::Paragraph(t) => (Kind::Paragraph, Some(shape(t, Weight::Regular)?)),
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
                    if cut.rtl {
                        // A right-to-left line ends on its left.
                        for g in &mut cut.glyphs {
                            g.x += e.adv;
                        }
                        e.x = 0.0;
                        cut.glyphs.insert(0, e.clone());
                    } else {
                        e.x = cut.width;
                        cut.glyphs.push(e.clone());
                    }
                    cut.width += e.adv;
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
