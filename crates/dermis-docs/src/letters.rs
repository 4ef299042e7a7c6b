//! Two documents for reaching patients (issue 18): the lot trace letter
//! list and the maintenance recall letter.
//!
//! - **Lot trace list** (staff document, English like the other staff
//!   exports): the lot, the date range, then one row per patient treated
//!   with it — name and number, phone and e-mail, postal address, the
//!   session dates with the practitioner — so the clinic can write or call
//!   each one. Rows are never split; a list longer than a page continues on
//!   the next with the column titles repeated, and every page says "page n
//!   of m".
//! - **Recall letter** (patient document, in the patient's language like the
//!   aftercare sheet): the letterhead, the patient's name and address where a
//!   window envelope shows it, the date the maintenance visit is due, and the
//!   number to call to book. One page.

use crate::canvas::{mm, style, Align, DocBuilder};
use crate::common::{
    draw_row, draw_wrapped, footer, lay_row, letterhead, section_heading, Column, Frame, LaidRow,
};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::lang::Loc;
use crate::model::{Language, LotTraceListInput, RecallLetterInput};
use crate::text::fit_lines;

/// The lot trace letter list as PDF bytes (as many pages as it needs).
pub fn lot_trace_list(input: &LotTraceListInput) -> Result<Vec<u8>, DocsError> {
    let loc = Loc::new(Language::En, input.date_format);
    let mut doc = DocBuilder::new();

    let range = match (input.from, input.to) {
        (Some(a), Some(b)) => format!("sessions from {} to {}", loc.date(a), loc.date(b)),
        (Some(a), None) => format!("sessions from {}", loc.date(a)),
        (None, Some(b)) => format!("sessions up to {}", loc.date(b)),
        (None, None) => "all sessions".to_string(),
    };
    let count = input.patients.len();
    let summary = format!(
        "Lot \u{2068}{}\u{2069}, {range}: {} patient{} to contact.",
        input.lot.trim(),
        count,
        if count == 1 { "" } else { "s" }
    );

    // Lay every row once on a probe page to know the page count.
    // A page that is never finished, to measure the frame.
    let frame = Frame::of(&doc.page_in(input.paper, false));
    let w = frame.width();
    let columns = [
        Column {
            title: "Patient".into(),
            width: w * 0.25,
            align: Align::Left,
        },
        Column {
            title: "Phone and e-mail".into(),
            width: w * 0.25,
            align: Align::Left,
        },
        Column {
            title: "Address".into(),
            width: w * 0.25,
            align: Align::Left,
        },
        Column {
            title: "Sessions with this lot".into(),
            width: w * 0.25,
            align: Align::Left,
        },
    ];
    let size = 8.5;
    let titles: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
    let header = lay_row(&titles, &columns, size, Weight::Bold, 20.0)?;
    let mut laid: Vec<LaidRow> = Vec::with_capacity(count);
    for p in &input.patients {
        // Table cells wrap but do not break lines: parts are joined in one line.
        // The number first: it never wraps, a long name does.
        let name = format!(
            "{} \u{2068}{}\u{2069}",
            p.patient_number.trim(),
            p.patient_name.trim()
        );
        let contact = [p.phone.trim(), p.email.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let address = p
            .address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let sessions = p
            .sessions
            .iter()
            .map(|(d, who)| format!("{} ({})", loc.date(*d), who.trim()))
            .collect::<Vec<_>>()
            .join("; ");
        let cells = [
            name.as_str(),
            contact.as_str(),
            address.as_str(),
            sessions.as_str(),
        ];
        laid.push(lay_row(&cells, &columns, size, Weight::Regular, 60.0)?);
    }

    // Split into pages: the first page has the title block above the table.
    let first_top = 60.0;
    let next_top = frame.top + 4.0;
    let bottom = frame.bottom - 4.0;
    let mut pages: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut y = first_top + header.height;
    for (i, r) in laid.iter().enumerate() {
        if y + r.height > bottom && i > start {
            pages.push(start..i);
            start = i;
            y = next_top + header.height;
        }
        y += r.height;
    }
    pages.push(start..laid.len());
    let total = pages.len();

    for (n, range_rows) in pages.into_iter().enumerate() {
        let mut page = doc.page_in(input.paper, false);
        let mut y = if n == 0 {
            let mut y = letterhead(&mut doc, &mut page, frame, &input.letterhead, &loc)? + 5.0;
            let title = fit_lines(
                "Lot trace: patients to contact",
                Weight::Bold,
                mm(w),
                1,
                16.0,
                11.0,
            )?;
            y = draw_wrapped(
                &mut doc,
                &mut page,
                &title,
                frame.left,
                w,
                y,
                style::INK,
                Align::Left,
            ) + 1.0;
            let sub = fit_lines(&summary, Weight::Regular, mm(w), 3, 10.0, 7.0)?;
            y = draw_wrapped(
                &mut doc,
                &mut page,
                &sub,
                frame.left,
                w,
                y,
                style::MUTED,
                Align::Left,
            ) + 3.0;
            y.max(first_top - 8.0)
        } else {
            next_top
        };
        if count == 0 {
            y = section_heading(
                &mut doc,
                &mut page,
                frame,
                y,
                "No session recorded this lot.",
            )?;
            let _ = y;
        } else {
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
            for i in range_rows {
                let bg = (i % 2 == 1).then_some(style::ZEBRA);
                y = draw_row(
                    &mut doc,
                    &mut page,
                    frame.left,
                    y,
                    &columns,
                    &laid[i],
                    bg,
                    style::INK,
                );
            }
            page.hline(frame.left, frame.right, y, style::RULE, 0.5);
        }
        footer(
            &mut doc,
            &mut page,
            frame,
            &format!(
                "{} · Lot trace · \u{2068}{}\u{2069}",
                input.letterhead.name.trim(),
                input.lot.trim()
            ),
            &format!(
                "Printed {} · page {} of {}",
                loc.date(input.generated_on),
                n + 1,
                total
            ),
        )?;
        doc.finish_page(page);
    }
    doc.finish(
        &format!("Lot trace {}", input.lot.trim()),
        input.generated_on,
    )
}

/// One recall letter as PDF bytes (one page), in `input.language`.
pub fn recall_letter(input: &RecallLetterInput) -> Result<Vec<u8>, DocsError> {
    let loc = Loc::new(input.language, input.date_format);
    let mut doc = DocBuilder::new();
    let mut page = doc.page_in(input.paper, loc.rtl());
    let frame = Frame::of(&page);
    let w = frame.width();
    let mut y = letterhead(&mut doc, &mut page, frame, &input.letterhead, &loc)?;

    // The address block, where a window envelope shows it (about 45 mm down).
    y = y.max(45.0);
    // Each line of the address on its own line (the patient typed them so).
    let lines: Vec<String> =
        std::iter::once(format!("\u{2068}{}\u{2069}", input.patient_name.trim()))
            .chain(
                input
                    .address
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| loc.isolate(l)),
            )
            .take(7)
            .collect();
    for line in &lines {
        let wrapped = fit_lines(line, Weight::Regular, mm(w * 0.55), 1, 11.0, 8.0)?;
        y = draw_wrapped(
            &mut doc,
            &mut page,
            &wrapped,
            frame.left,
            w * 0.55,
            y,
            style::INK,
            Align::Left,
        );
    }
    y = y.max(85.0);

    let dated = fit_lines(
        &loc.t(
            "printed-on",
            &[("date", loc.date(input.generated_on).into())],
        ),
        Weight::Regular,
        mm(w),
        1,
        10.0,
        8.0,
    )?;
    y = draw_wrapped(
        &mut doc,
        &mut page,
        &dated,
        frame.left,
        w,
        y,
        style::MUTED,
        Align::Right,
    ) + 6.0;

    let title = fit_lines(&loc.s("recall-title"), Weight::Bold, mm(w), 2, 16.0, 11.0)?;
    y = draw_wrapped(
        &mut doc,
        &mut page,
        &title,
        frame.left,
        w,
        y,
        style::ACCENT,
        Align::Left,
    ) + 5.0;

    let paragraphs = [
        loc.t(
            "recall-greeting",
            &[("name", input.patient_name.trim().into())],
        ),
        loc.t("recall-body", &[("date", loc.date(input.due).into())]),
        if input.letterhead.phone.trim().is_empty() {
            loc.t(
                "recall-call-no-phone",
                &[("clinic", input.letterhead.name.trim().into())],
            )
        } else {
            loc.t(
                "recall-call",
                &[
                    ("clinic", input.letterhead.name.trim().into()),
                    ("phone", input.letterhead.phone.trim().into()),
                ],
            )
        },
        loc.s("recall-already-booked"),
        loc.s("recall-signoff"),
    ];
    for (i, p) in paragraphs.iter().enumerate() {
        // The due date's paragraph is the one the patient must not miss.
        let weight = if i == 1 {
            Weight::Bold
        } else {
            Weight::Regular
        };
        let wrapped = fit_lines(p, weight, mm(w), 6, 11.0, 8.0)?;
        y = draw_wrapped(
            &mut doc,
            &mut page,
            &wrapped,
            frame.left,
            w,
            y,
            style::INK,
            Align::Left,
        ) + 4.0;
    }
    let clinic = fit_lines(
        input.letterhead.name.trim(),
        Weight::Bold,
        mm(w),
        1,
        11.0,
        8.0,
    )?;
    draw_wrapped(
        &mut doc,
        &mut page,
        &clinic,
        frame.left,
        w,
        y,
        style::INK,
        Align::Left,
    );

    footer(
        &mut doc,
        &mut page,
        frame,
        &loc.t(
            "recall-footer",
            &[
                ("clinic", input.letterhead.name.trim().into()),
                ("number", input.patient_number.trim().into()),
            ],
        ),
        &loc.directed(loc.date(input.due)),
    )?;
    doc.finish_page(page);
    doc.finish(
        &loc.t(
            "recall-doc-title",
            &[("number", input.patient_number.trim().into())],
        ),
        input.generated_on,
    )
}
