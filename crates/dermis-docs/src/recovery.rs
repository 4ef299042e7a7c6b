//! The recovery sheet (issue 21): one page the clinic prints when it turns
//! on encryption and keeps in its safe. It holds the clinic's name, the
//! date, the recovery key in large fixed-width groups, and in plain words
//! what the key is for, where to keep it and how to use it ("Forgot the
//! admin password?" on the sign-in screen, or `dermis recover`).
//!
//! Why fixed-width cells: the key is read back by a person typing it, so
//! each character sits centred in a cell of its own (none of the embedded
//! fonts is monospace; the cells make the groups line up as a monospace
//! face would, and a 0 can be told from an O by position in the group).
//! The key's alphabet (Crockford base32) has no I, L, O or U.
//!
//! The sheet is English like the other staff documents. It is made only at
//! the moment the key exists (set-up or `dermis encrypt`): Dermis never
//! stores the key, so it cannot print the sheet again later.

use crate::canvas::{mm, style, Align, DocBuilder};
use crate::common::{baseline_offset, draw_wrapped, footer, Frame};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::model::PaperSize;
use crate::text::{fit_line, fit_lines};
use chrono::NaiveDate;
use dermis_core::dates::DateFormat;
use serde::{Deserialize, Serialize};

/// What the recovery sheet shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoverySheetInput {
    pub clinic_name: String,
    /// As shown once at set-up: `ABCD-EFGH-…` (groups of four).
    pub recovery_key: String,
    pub generated_on: NaiveDate,
    /// The clinic's date format (issue 22), as on every other document.
    pub date_format: DateFormat,
    #[serde(default)]
    pub paper: PaperSize,
}

/// The recovery sheet as PDF bytes (one page).
pub fn recovery_sheet(input: &RecoverySheetInput) -> Result<Vec<u8>, DocsError> {
    let mut doc = DocBuilder::new();
    let mut page = doc.page_in(input.paper, false);
    let frame = Frame::of(&page);
    let w = frame.width();
    let mut y = frame.top + 2.0;
    let date = input.date_format.format(input.generated_on);

    // Title and the clinic.
    let title = fit_lines("Dermis recovery sheet", Weight::Bold, mm(w), 1, 22.0, 14.0)?;
    y = draw_wrapped(
        &mut doc,
        &mut page,
        &title,
        frame.left,
        w,
        y,
        style::ACCENT,
        Align::Left,
    );
    let clinic = fit_lines(
        &format!("\u{2068}{}\u{2069}", input.clinic_name.trim()),
        Weight::Bold,
        mm(w),
        2,
        15.0,
        9.0,
    )?;
    y = draw_wrapped(
        &mut doc,
        &mut page,
        &clinic,
        frame.left,
        w,
        y + 1.0,
        style::INK,
        Align::Left,
    );
    let made = fit_lines(
        &format!("Made on {date}, when this clinic's data was encrypted."),
        Weight::Regular,
        mm(w),
        1,
        10.0,
        8.0,
    )?;
    y = draw_wrapped(
        &mut doc,
        &mut page,
        &made,
        frame.left,
        w,
        y + 0.5,
        style::MUTED,
        Align::Left,
    );
    y += 3.0;
    page.hline(frame.left, frame.right, y, style::RULE, 0.6);
    y += 6.0;

    // The key, in a box: two rows of four groups, one cell per character.
    let label = fit_lines("Recovery key", Weight::Bold, mm(w), 1, 11.0, 9.0)?;
    y = draw_wrapped(
        &mut doc,
        &mut page,
        &label,
        frame.left,
        w,
        y,
        style::INK,
        Align::Left,
    );
    y += 2.0;
    let groups: Vec<&str> = input
        .recovery_key
        .split('-')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .collect();
    let rows: Vec<&[&str]> = groups.chunks(4).collect();
    let size = 24.0;
    let cell = 8.0;
    let gap = 7.0;
    let row_h = 13.0;
    let box_h = row_h * rows.len().max(1) as f32 + 8.0;
    page.fill_rect(frame.left, y, w, box_h, style::ACCENT_LIGHT);
    page.stroke_rect(frame.left, y, w, box_h, style::ACCENT, 1.0);
    let mut ry = y + 4.0;
    for row in &rows {
        let chars: usize = row.iter().map(|g| g.chars().count()).sum();
        let row_w = chars as f32 * cell + gap * (row.len().saturating_sub(1)) as f32;
        let mut x = frame.left + (w - row_w).max(0.0) / 2.0;
        for (i, g) in row.iter().enumerate() {
            if i > 0 {
                let (dash, ds) = fit_line("-", Weight::Regular, mm(gap), size * 0.7, 8.0)?;
                doc.text(
                    &mut page,
                    &dash,
                    x,
                    gap,
                    ry + baseline_offset(size) - 0.3,
                    ds,
                    style::MUTED,
                    Align::Center,
                );
                x += gap;
            }
            for ch in g.chars() {
                let (line, s) = fit_line(&ch.to_string(), Weight::Bold, mm(cell), size, 10.0)?;
                doc.text(
                    &mut page,
                    &line,
                    x,
                    cell,
                    ry + baseline_offset(size),
                    s,
                    style::INK,
                    Align::Center,
                );
                x += cell;
            }
        }
        ry += row_h;
    }
    y += box_h + 7.0;

    let sections: [(&str, String); 3] = [
        (
            "What it is for",
            "This clinic's data (patient records, photos, backups) is encrypted. It opens with a staff member's password, or with this key. If every administrator's password is forgotten, this key is the only way back in: without it and without a password, nobody (not even Dermis's makers) can read the data again. It also opens this clinic's encrypted backups on a new computer.".to_string(),
        ),
        (
            "Where to keep it",
            "In the clinic's safe or a locked drawer, away from the computer and from the backup stick. Do not photograph it, e-mail it or save it on the computer. Anyone holding this sheet and a copy of the clinic's data can read every patient's record: treat it like the key to the records room.".to_string(),
        ),
        (
            "How to use it",
            "Forgot the admin password? On the sign-in screen choose \"Forgot the admin password?\", type this key and a new password. From a terminal: dermis recover --user NAME --recovery-key KEY (the new password is asked for). To restore an encrypted backup on a new computer: dermis restore --from BACKUP with the key in DERMIS_RECOVERY_KEY. Type the key with or without the dashes; capitals or not.".to_string(),
        ),
    ];
    for (head, body) in &sections {
        let h = fit_lines(head, Weight::Bold, mm(w), 1, 12.0, 9.0)?;
        y = draw_wrapped(
            &mut doc,
            &mut page,
            &h,
            frame.left,
            w,
            y,
            style::ACCENT,
            Align::Left,
        );
        y += 1.0;
        let b = fit_lines(body, Weight::Regular, mm(w), 8, 10.5, 7.5)?;
        y = draw_wrapped(
            &mut doc,
            &mut page,
            &b,
            frame.left,
            w,
            y,
            style::INK,
            Align::Left,
        );
        y += 5.0;
    }

    // A warning band: the sheet is as sensitive as the records.
    let warn = fit_lines(
        "Dermis does not keep this key anywhere and cannot print this sheet again. Keep this one safe; a photocopy is as secret as the original.",
        Weight::Bold,
        mm(w - 8.0),
        3,
        9.5,
        7.0,
    )?;
    let warn_h = warn.lines.len() as f32 * crate::common::line_height(warn.size) + 5.0;
    page.fill_rect(frame.left, y, w, warn_h, style::WARN_BG);
    page.fill_rect(frame.left, y, 1.2, warn_h, style::WARN_EDGE);
    draw_wrapped(
        &mut doc,
        &mut page,
        &warn,
        frame.left + 4.0,
        w - 8.0,
        y + 2.5,
        style::INK,
        Align::Left,
    );

    footer(
        &mut doc,
        &mut page,
        frame,
        &format!(
            "\u{2068}{}\u{2069} · Recovery sheet",
            input.clinic_name.trim()
        ),
        &format!("Made {date} · keep in the safe"),
    )?;
    doc.finish_page(page);
    doc.finish("Dermis recovery sheet", input.generated_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_is_one_page() {
        let pdf = recovery_sheet(&RecoverySheetInput {
            clinic_name: "Skin Studio".into(),
            recovery_key: "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789".into(),
            generated_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            date_format: DateFormat::DayMonthYear,
            paper: PaperSize::A4,
        })
        .unwrap();
        assert_eq!(crate::page_count(&pdf), 1);
    }
}
