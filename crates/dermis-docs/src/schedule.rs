//! The schedule card: the plan's dates for the patient to take home.
//!
//! One page: letterhead, the patient, a table of course sessions (number,
//! date with weekday, time when booked) and the maintenance recalls, and the
//! number to call to move an appointment. Rows shrink (11 pt down to 7 pt)
//! when a long course needs it; past that the last row says how many dates
//! are left out, so the card stays one page.

use crate::canvas::{mm, style, Align, DocBuilder};
use crate::common::{
    baseline_offset, draw_row, footer, lay_row, letterhead, line_height, patient_panel,
    section_heading, Column, Frame, LaidRow,
};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::lang::Loc;
use crate::model::ScheduleCardInput;
use crate::text::fit_lines;

struct Row {
    cells: [String; 3],
    recall: bool,
}

/// One schedule card as PDF bytes (one page).
pub fn schedule_card(input: &ScheduleCardInput) -> Result<Vec<u8>, DocsError> {
    let loc = Loc::new(input.language, input.date_format);
    let mut doc = DocBuilder::new();
    let mut page = doc.page_in(input.paper, loc.rtl());
    let frame = Frame::of(&page);
    let mut y = letterhead(&mut doc, &mut page, frame, &input.letterhead, &loc)?;

    y += 5.0;
    let title = fit_lines(
        &loc.s("schedule-title"),
        Weight::Bold,
        mm(frame.width()),
        1,
        18.0,
        12.0,
    )?;
    y = crate::common::draw_wrapped(
        &mut doc,
        &mut page,
        &title,
        frame.left,
        frame.width(),
        y,
        style::INK,
        Align::Left,
    ) + 2.0;

    let mut fields = vec![(
        loc.s("patient-number"),
        input.patient_number.trim().to_string(),
    )];
    if let Some(plan) = &input.plan {
        fields.push((loc.s("course"), course_text(&loc, plan)));
    }
    y = patient_panel(
        &mut doc,
        &mut page,
        frame,
        y,
        &input.patient_name,
        &fields,
        &loc,
    )? + 6.0;

    let mut rows: Vec<Row> = input
        .sessions
        .iter()
        .map(|s| Row {
            cells: [
                loc.t("session-n", &[("n", s.number.into())]),
                loc.weekday_date(s.date),
                s.time
                    .map(|t| loc.directed(loc.clock(t)))
                    .unwrap_or_else(|| loc.s("time-to-confirm")),
            ],
            recall: false,
        })
        .collect();
    rows.extend(input.recalls.iter().enumerate().map(|(i, d)| Row {
        cells: [
            loc.t("maintenance-n", &[("n", (i + 1).into())]),
            loc.weekday_date(*d),
            loc.s("we-will-call"),
        ],
        recall: true,
    }));

    let w = frame.width();
    let columns = [
        Column {
            title: loc.s("column-visit"),
            width: w * 0.27,
            align: Align::Left,
        },
        Column {
            title: loc.s("column-date"),
            width: w * 0.45,
            align: Align::Left,
        },
        Column {
            title: loc.s("column-time"),
            width: w * 0.28,
            align: Align::Left,
        },
    ];

    // Bottom: whom to call, anchored above the footer.
    let call_h = 16.0;
    let call_top = frame.bottom - 4.0 - call_h;
    let table_bottom = call_top - 6.0;

    y = section_heading(&mut doc, &mut page, frame, y, &loc.s("your-appointments"))?;
    if rows.is_empty() {
        let note = fit_lines(&loc.s("no-dates"), Weight::Regular, mm(w), 2, 11.0, 8.0)?;
        crate::common::draw_wrapped(
            &mut doc,
            &mut page,
            &note,
            frame.left,
            w,
            y,
            style::MUTED,
            Align::Left,
        );
    } else {
        // Largest size at which every row fits; else cut and say so.
        let mut size = 11.0f32;
        let (header, laid, kept) = loop {
            let titles: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
            let header = lay_row(&titles, &columns, size, Weight::Bold, 30.0)?;
            let mut laid: Vec<LaidRow> = Vec::with_capacity(rows.len());
            for r in &rows {
                let cells: Vec<&str> = r.cells.iter().map(String::as_str).collect();
                let weight = if r.recall {
                    Weight::Regular
                } else {
                    Weight::Bold
                };
                laid.push(lay_row(&cells, &columns, size, weight, 30.0)?);
            }
            let total: f32 = header.height + laid.iter().map(|r| r.height).sum::<f32>();
            if y + total <= table_bottom {
                let n = laid.len();
                break (header, laid, n);
            }
            if size <= 7.0 {
                // Keep what fits and end with a row that says what is missing.
                let mut used = y + header.height;
                let mut kept = 0;
                for r in &laid {
                    if used + 2.0 * r.height > table_bottom {
                        break;
                    }
                    used += r.height;
                    kept += 1;
                }
                break (header, laid, kept);
            }
            size -= 0.5;
        };
        y = draw_row(
            &mut doc,
            &mut page,
            frame.left,
            y,
            &columns,
            &header,
            Some(style::ACCENT_LIGHT),
            style::INK,
        );
        for (i, (row, r)) in laid.iter().zip(&rows).take(kept).enumerate() {
            let bg = (i % 2 == 1).then_some(style::ZEBRA);
            let color = if r.recall { style::MUTED } else { style::INK };
            y = draw_row(&mut doc, &mut page, frame.left, y, &columns, row, bg, color);
        }
        if kept < rows.len() {
            let more = rows.len() - kept;
            let note = fit_lines(
                &loc.t("more-dates", &[("count", more.into())]),
                Weight::Regular,
                mm(w),
                1,
                header.cells.first().map_or(8.0, |c| c.size),
                6.0,
            )?;
            y = crate::common::draw_wrapped(
                &mut doc,
                &mut page,
                &note,
                frame.left + 1.8,
                w,
                y + 1.0,
                style::MUTED,
                Align::Left,
            );
        }
        page.hline(frame.left, frame.right, y, style::RULE, 0.5);
    }

    // Whom to call.
    page.fill_rect(frame.left, call_top, w, call_h, style::ACCENT);
    let pad = 4.0;
    let text = loc.t(
        "call-to-move",
        &[
            ("clinic", input.letterhead.name.trim().into()),
            ("phone", input.letterhead.phone.trim().into()),
        ],
    );
    let call = fit_lines(&text, Weight::Bold, mm(w - 2.0 * pad), 2, 12.0, 7.0)?;
    let text_h = call.lines.len() as f32 * line_height(call.size);
    let mut ty = call_top + (call_h - text_h) / 2.0;
    for line in &call.lines {
        doc.text(
            &mut page,
            line,
            frame.left + pad,
            w - 2.0 * pad,
            ty + baseline_offset(call.size),
            call.size,
            style::WHITE,
            Align::Left,
        );
        ty += line_height(call.size);
    }

    footer(
        &mut doc,
        &mut page,
        frame,
        &loc.t(
            "schedule-footer",
            &[
                ("clinic", input.letterhead.name.trim().into()),
                ("number", input.patient_number.trim().into()),
            ],
        ),
        &loc.t(
            "printed-on",
            &[("date", loc.date(input.generated_on).into())],
        ),
    )?;
    doc.finish_page(page);
    doc.finish(
        &loc.t(
            "schedule-doc-title",
            &[("number", input.patient_number.trim().into())],
        ),
        input.generated_on,
    )
}

/// "5 sessions, every 5 weeks" in the document's language.
pub(crate) fn course_text(loc: &Loc, plan: &crate::model::PlanSummary) -> String {
    let sessions = loc.t("sessions-count", &[("count", plan.sessions.into())]);
    let every = loc.t("every-weeks", &[("count", plan.interval_weeks.into())]);
    loc.t(
        "course-value",
        &[("sessions", sessions.into()), ("every", every.into())],
    )
}
