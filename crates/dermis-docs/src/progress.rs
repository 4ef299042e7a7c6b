//! The progress summary: where a patient's course stands, for the patient
//! file or to hand over.
//!
//! Page 1: letterhead, patient and plan, the Goodman & Baron score trend as a
//! vector chart (lines, points and axes are PDF path operators, so it prints
//! sharp at any size) beside the improvement against baseline, the first and
//! latest photo of one area side by side, then the session table. The table
//! flows onto as many pages as it needs; rows are laid out first, then
//! paginated, so a row (wrapped notes and all) is never split across pages
//! and every footer can say "Page N of M".

use chrono::NaiveDate;
use dermis_core::dates::DateFormat;
use dermis_core::ids;
use dermis_core::plan::PlanStatus;

use crate::canvas::{mm, style, Align, DocBuilder, Page, Rgb8};
use crate::common::{
    baseline_offset, draw_row, footer, lay_row, letterhead, line_height, patient_panel,
    section_heading, Column, Frame, LaidRow,
};
use crate::error::DocsError;
use crate::fonts::Weight;
use crate::lang::{Language, Loc};
use crate::model::{PlanSummary, ProgressSummaryInput, ScorePoint};
use crate::text::{fit_line, fit_lines};

/// A change of this many points or fewer is within inter-rater variation
/// (PRODUCT.md 4.1) and is reported as "no clear change": the rule's one
/// home is dermis-core, which the screen uses too.
pub use dermis_core::session::NO_CLEAR_CHANGE_POINTS;

/// How the latest Goodman & Baron score compares with the baseline (the
/// earliest score by date).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Improvement {
    /// No scores at all.
    NoScores,
    /// Only one score so far.
    BaselineOnly { baseline: u32 },
    /// Within ±4 points of the baseline.
    NoClearChange { baseline: u32, latest: u32 },
    /// Lower score: `percent` = (baseline − latest) / baseline × 100 in whole
    /// percent, as dermis-core rounds it for the screen.
    Improved {
        baseline: u32,
        latest: u32,
        percent: i32,
    },
    /// Higher score by more than 4 points.
    Worse { baseline: u32, latest: u32 },
}

impl Improvement {
    /// The headline: "54% improvement", "No clear change", ...
    pub fn headline(&self) -> String {
        self.headline_in(Language::En)
    }

    /// The headline in `lang`: "Amélioration de 54 %", "تحسّن بنسبة ٥٤٪".
    pub fn headline_in(&self, lang: Language) -> String {
        // A headline holds no date.
        let loc = Loc::new(lang, DateFormat::YearMonthDay);
        match *self {
            Improvement::NoScores => loc.s("headline-no-scores"),
            Improvement::BaselineOnly { .. } => loc.s("headline-baseline"),
            Improvement::NoClearChange { .. } => loc.s("headline-no-change"),
            Improvement::Improved { percent, .. } => loc.t(
                "headline-improved",
                &[("percent", crate::lang::Arg::N(f64::from(percent)))],
            ),
            Improvement::Worse { baseline, latest } => loc.t(
                "headline-worse",
                &[("points", latest.saturating_sub(baseline).into())],
            ),
        }
    }
}

/// Compares the latest score with the baseline (scores in any order), by
/// dermis-core's rule (`session::progress`): the printed summary and the
/// Progress tab cannot disagree on the verdict or the rounding.
pub fn improvement(scores: &[ScorePoint]) -> Improvement {
    use dermis_core::session::{progress, ProgressPoint, ProgressVerdict};
    let points: Vec<ProgressPoint> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| ProgressPoint {
            assessment_id: ids::AssessmentId(i as i64),
            date: s.date,
            score: s.score,
            grade: 0,
        })
        .collect();
    let p = progress(&points);
    let (Some(baseline), Some(latest)) = (p.baseline, p.latest) else {
        return Improvement::NoScores;
    };
    match p.verdict {
        ProgressVerdict::NotEnoughData => Improvement::BaselineOnly { baseline },
        ProgressVerdict::NoClearChange => Improvement::NoClearChange { baseline, latest },
        ProgressVerdict::Improved => Improvement::Improved {
            baseline,
            latest,
            percent: p.improvement_percent.unwrap_or(0),
        },
        ProgressVerdict::Worse => Improvement::Worse { baseline, latest },
    }
}

fn plan_text(loc: &Loc, plan: &PlanSummary) -> String {
    let status = loc.s(match plan.status {
        PlanStatus::Active => "status-active",
        PlanStatus::Paused => "status-paused",
        PlanStatus::Completed => "status-completed",
        PlanStatus::Cancelled => "status-cancelled",
    });
    loc.t(
        "plan-value",
        &[
            ("course", crate::schedule::course_text(loc, plan).into()),
            ("status", status.into()),
        ],
    )
}

const TABLE_SIZE: f32 = 8.5;

fn columns(loc: &Loc, width: f32) -> [Column; 5] {
    let fixed = 8.0 + 24.0 + 34.0 + 24.0;
    [
        Column {
            title: loc.s("column-number"),
            width: 8.0,
            align: Align::Right,
        },
        Column {
            title: loc.s("column-date"),
            width: 24.0,
            align: Align::Left,
        },
        Column {
            title: loc.s("column-zones"),
            width: 34.0,
            align: Align::Left,
        },
        Column {
            title: loc.s("column-depth"),
            width: 24.0,
            align: Align::Left,
        },
        Column {
            title: loc.s("column-notes"),
            width: (width - fixed).max(30.0),
            align: Align::Start,
        },
    ]
}

/// One progress summary as PDF bytes.
pub fn progress_summary(input: &ProgressSummaryInput) -> Result<Vec<u8>, DocsError> {
    let loc = Loc::new(input.language, input.date_format);
    let mut doc = DocBuilder::new();
    let mut page = doc.page_in(input.paper, loc.rtl());
    let frame = Frame::of(&page);
    let mut y = letterhead(&mut doc, &mut page, frame, &input.letterhead, &loc)?;

    y += 5.0;
    let (title, ts) = fit_line(
        &loc.s("progress-title"),
        Weight::Bold,
        mm(frame.width()),
        17.0,
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
        &mut doc,
        &mut page,
        frame,
        y,
        &input.patient_name,
        &[
            (
                loc.s("patient-number"),
                input.patient_number.trim().to_string(),
            ),
            (loc.s("plan"), plan_text(&loc, &input.plan)),
            (
                loc.s("next-maintenance"),
                input
                    .next_maintenance
                    .map(|d| loc.date(d))
                    .unwrap_or_else(|| loc.s("not-scheduled")),
            ),
        ],
        &loc,
    )? + 5.0;

    // Score trend and improvement.
    y = section_heading(&mut doc, &mut page, frame, y, &loc.s("scar-score"))?;
    let chart_h = 50.0;
    let stat_w = 52.0;
    let chart_w = frame.width() - stat_w - 6.0;
    chart(
        &mut doc,
        &mut page,
        &loc,
        frame.left,
        y,
        chart_w,
        chart_h,
        &input.scores,
    )?;
    improvement_box(
        &mut doc,
        &mut page,
        &loc,
        frame.right - stat_w,
        y,
        stat_w,
        chart_h,
        &input.scores,
    )?;
    y += chart_h + 5.0;

    // Photos.
    if let Some(pair) = &input.photos {
        let first = doc.photo("first", &pair.first.bytes)?;
        let latest = doc.photo("latest", &pair.latest.bytes)?;
        y = section_heading(
            &mut doc,
            &mut page,
            frame,
            y,
            &loc.t("photos-of", &[("area", pair.area_label.trim().into())]),
        )?;
        let gap = 6.0;
        let w = (frame.width() - gap) / 2.0;
        let h = 58.0;
        for (i, (img, label, date)) in [
            (&first, "photo-first", pair.first.date),
            (&latest, "photo-latest", pair.latest.date),
        ]
        .into_iter()
        .enumerate()
        {
            let x = frame.left + i as f32 * (w + gap);
            page.fill_rect(x, y, w, h, style::ZEBRA);
            page.image_fit(img, x, y, w, h);
            let (l, ls) = fit_line(
                &loc.t(label, &[("date", loc.date(date).into())]),
                Weight::Regular,
                mm(w),
                8.5,
                6.0,
            )?;
            doc.text(
                &mut page,
                &l,
                x,
                w,
                y + h + 1.0 + baseline_offset(ls),
                ls,
                style::MUTED,
                Align::Center,
            );
        }
        y += h + 1.0 + line_height(8.5) + 4.0;
    }

    // Session table: lay out every row, then paginate.
    let cols = columns(&loc, frame.width());
    let header_cells: Vec<&str> = cols.iter().map(|c| c.title.as_str()).collect();
    let header = lay_row(&header_cells, &cols, TABLE_SIZE, Weight::Bold, 20.0)?;
    let continuation_top = frame.top + 12.0;
    let page_room = frame.bottom - 3.0 - continuation_top - 10.0 - header.height;
    let mut rows: Vec<LaidRow> = Vec::with_capacity(input.sessions.len());
    for (i, s) in input.sessions.iter().enumerate() {
        let number = loc.number((i + 1) as f64);
        let date = loc.date(s.date);
        rows.push(lay_row(
            &[&number, &date, &s.zones, &s.depth, &s.notes],
            &cols,
            TABLE_SIZE,
            Weight::Regular,
            page_room,
        )?);
    }

    // Which rows go on which page: page 1 from y, later pages from the top.
    let bottom = frame.bottom - 3.0;
    let mut pages: Vec<(usize, usize)> = Vec::new(); // row ranges
    let mut start = 0;
    let mut cursor = y + 10.0 + header.height; // heading + header row
    let mut first_page_has_room = true;
    if !rows.is_empty() && cursor + rows[0].height > bottom {
        // Not even one row fits under the photos: the table starts on page 2.
        first_page_has_room = false;
    }
    let mut i = 0;
    if first_page_has_room {
        while i < rows.len() && cursor + rows[i].height <= bottom {
            cursor += rows[i].height;
            i += 1;
        }
        pages.push((start, i));
    } else {
        pages.push((0, 0));
    }
    start = i;
    while start < rows.len() {
        let mut cursor = continuation_top + 10.0 + header.height;
        let mut end = start;
        while end < rows.len() && (end == start || cursor + rows[end].height <= bottom) {
            cursor += rows[end].height;
            end += 1;
        }
        pages.push((start, end));
        start = end;
    }
    let total = pages.len();

    let footer_left = loc.t(
        "progress-footer",
        &[
            ("clinic", input.letterhead.name.trim().into()),
            ("number", input.patient_number.trim().into()),
            ("date", loc.date(input.generated_on).into()),
        ],
    );
    for (p, &(from, to)) in pages.iter().enumerate() {
        if p > 0 {
            page = doc.page_in(input.paper, loc.rtl());
            let (head, hs) = fit_line(
                &loc.t(
                    "progress-running-head",
                    &[
                        ("number", input.patient_number.trim().into()),
                        ("name", input.patient_name.trim().into()),
                    ],
                ),
                Weight::Regular,
                mm(frame.width()),
                8.5,
                6.0,
            )?;
            doc.text(
                &mut page,
                &head,
                frame.left,
                frame.width(),
                frame.top + baseline_offset(hs),
                hs,
                style::MUTED,
                Align::Left,
            );
            y = continuation_top;
        }
        if p == 0 || from < to {
            let title = loc.s(if p == 0 || from == 0 {
                "sessions-heading"
            } else {
                "sessions-continued"
            });
            if p == 0 && !first_page_has_room && !rows.is_empty() {
                // Table starts on the next page.
            } else {
                y = section_heading(&mut doc, &mut page, frame, y, &title)?;
                if rows.is_empty() {
                    let (l, ls) = fit_line(
                        &loc.s("no-sessions"),
                        Weight::Regular,
                        mm(frame.width()),
                        9.0,
                        7.0,
                    )?;
                    doc.text(
                        &mut page,
                        &l,
                        frame.left,
                        frame.width(),
                        y + baseline_offset(ls),
                        ls,
                        style::MUTED,
                        Align::Left,
                    );
                } else {
                    y = draw_row(
                        &mut doc,
                        &mut page,
                        frame.left,
                        y,
                        &cols,
                        &header,
                        Some(style::ACCENT_LIGHT),
                        style::INK,
                    );
                    for (k, row) in rows[from..to].iter().enumerate() {
                        let bg = ((from + k) % 2 == 1).then_some(style::ZEBRA);
                        y = draw_row(
                            &mut doc,
                            &mut page,
                            frame.left,
                            y,
                            &cols,
                            row,
                            bg,
                            style::INK,
                        );
                    }
                    page.hline(frame.left, frame.right, y, style::RULE, 0.5);
                }
            }
        }
        footer(
            &mut doc,
            &mut page,
            frame,
            &footer_left,
            &loc.t(
                "page-of",
                &[("page", (p + 1).into()), ("pages", total.into())],
            ),
        )?;
        doc.finish_page(page);
        page = doc.page_in(input.paper, loc.rtl());
    }

    doc.finish(
        &loc.t(
            "progress-doc-title",
            &[("number", input.patient_number.trim().into())],
        ),
        input.generated_on,
    )
}

#[allow(clippy::too_many_arguments)]
fn text_line(
    doc: &mut DocBuilder,
    page: &mut Page,
    text: &str,
    x: f32,
    w: f32,
    baseline: f32,
    size: f32,
    color: Rgb8,
    align: Align,
) -> Result<(), DocsError> {
    let (line, s) = fit_line(text, Weight::Regular, mm(w), size, size * 0.7)?;
    doc.text(page, &line, x, w, baseline, s, color, align);
    Ok(())
}

/// "Nice" upper bound for the score axis and the tick step.
fn axis(max: u32) -> (u32, u32) {
    let top = max.max(4) + max / 8 + 1;
    let step = match top {
        0..=10 => 2,
        11..=25 => 5,
        26..=60 => 10,
        61..=120 => 20,
        _ => 50,
    };
    (top.div_ceil(step) * step, step)
}

/// The score trend: time on x (proportional), score on y, a shaded band of
/// ±4 points around the baseline ("no clear change").
#[allow(clippy::too_many_arguments)]
fn chart(
    doc: &mut DocBuilder,
    page: &mut Page,
    loc: &Loc,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    scores: &[ScorePoint],
) -> Result<(), DocsError> {
    let mut pts: Vec<ScorePoint> = scores.to_vec();
    pts.sort_by_key(|s| s.date);
    if pts.is_empty() {
        page.stroke_rect(x, y, w, h, style::RULE, 0.5);
        return text_line(
            doc,
            page,
            &loc.s("no-scores"),
            x,
            w,
            y + h / 2.0,
            9.0,
            style::MUTED,
            Align::Center,
        );
    }
    let left = x + 9.0; // room for y labels
    let right = x + w - 3.0;
    let top = y + 3.0;
    let bottom = y + h - 7.0; // room for x labels
    let max = pts.iter().map(|p| p.score).max().unwrap_or(0);
    let (y_max, step) = axis(max);
    let sy = |score: f32| bottom - (score / y_max as f32) * (bottom - top);
    let first = pts[0].date;
    let last = pts[pts.len() - 1].date;
    let span = (last - first).num_days().max(1) as f32;
    let sx = |d: NaiveDate| {
        if first == last {
            (left + right) / 2.0
        } else {
            left + 4.0 + ((d - first).num_days() as f32 / span) * (right - left - 8.0)
        }
    };

    // Band: baseline ± 4.
    let base = pts[0].score as f32;
    let band = NO_CLEAR_CHANGE_POINTS as f32;
    let band_top = sy((base + band).min(y_max as f32));
    let band_bottom = sy((base - band).max(0.0));
    page.fill_rect(
        left,
        band_top,
        right - left,
        band_bottom - band_top,
        style::ACCENT_LIGHT,
    );

    // Grid and y labels.
    let mut v = 0;
    while v <= y_max {
        let gy = sy(v as f32);
        page.hline(
            left,
            right,
            gy,
            style::RULE,
            if v == 0 { 0.8 } else { 0.35 },
        );
        text_line(
            doc,
            page,
            &loc.number(f64::from(v)),
            x,
            left - x - 1.5,
            gy + 1.0,
            7.0,
            style::MUTED,
            Align::Right,
        )?;
        v += step;
    }
    page.polyline(&[(left, top), (left, bottom)], style::RULE, 0.8);

    // Line and points.
    let path: Vec<(f32, f32)> = pts
        .iter()
        .map(|p| (sx(p.date), sy(p.score as f32)))
        .collect();
    page.polyline(&path, style::ACCENT, 1.6);
    for (p, &(px, py)) in pts.iter().zip(&path) {
        page.disc(px, py, 1.1, style::ACCENT);
        page.disc(px, py, 0.5, style::WHITE);
        text_line(
            doc,
            page,
            &loc.number(f64::from(p.score)),
            px - 6.0,
            12.0,
            py - 2.0,
            7.5,
            style::INK,
            Align::Center,
        )?;
    }

    // x labels: first and last date always, others where they do not collide.
    let label_y = bottom + 4.5;
    let lw = 20.0;
    let mut order: Vec<usize> = vec![0];
    if pts.len() > 1 {
        order.push(pts.len() - 1);
    }
    order.extend(1..pts.len().saturating_sub(1));
    let mut placed: Vec<(f32, f32)> = Vec::new();
    for i in order {
        let p = &pts[i];
        let lx = (sx(p.date) - lw / 2.0).clamp(left - 2.0, right - lw + 2.0);
        if placed
            .iter()
            .any(|&(a, b)| lx < b + 1.0 && lx + lw > a - 1.0)
        {
            continue;
        }
        placed.push((lx, lx + lw));
        let label = loc.date(p.date);
        text_line(
            doc,
            page,
            &label,
            lx,
            lw,
            label_y,
            6.5,
            style::MUTED,
            Align::Center,
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn improvement_box(
    doc: &mut DocBuilder,
    page: &mut Page,
    loc: &Loc,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    scores: &[ScorePoint],
) -> Result<(), DocsError> {
    let imp = improvement(scores);
    page.fill_rect(x, y, w, h, style::ACCENT_LIGHT);
    let pad = 4.0;
    let inner = w - 2.0 * pad;
    let mut cy = y + pad;
    let (l, ls) = fit_line(
        &loc.s("against-baseline"),
        Weight::Regular,
        mm(inner),
        7.5,
        6.0,
    )?;
    doc.text(
        page,
        &l,
        x + pad,
        inner,
        cy + baseline_offset(ls),
        ls,
        style::MUTED,
        Align::Left,
    );
    cy += line_height(ls) + 0.5;
    let headline = fit_lines(
        &loc.directed(imp.headline_in(loc.lang)),
        Weight::Bold,
        mm(inner),
        2,
        15.0,
        9.0,
    )?;
    for line in &headline.lines {
        doc.text(
            page,
            line,
            x + pad,
            inner,
            cy + baseline_offset(headline.size),
            headline.size,
            style::ACCENT,
            Align::Left,
        );
        cy += line_height(headline.size);
    }
    cy += 1.0;
    let mut sorted = scores.to_vec();
    sorted.sort_by_key(|s| s.date);
    let detail = match (sorted.first(), sorted.last(), imp) {
        (_, _, Improvement::NoScores) => String::new(),
        (Some(b), _, Improvement::BaselineOnly { .. }) => loc.t(
            "baseline-on",
            &[("score", b.score.into()), ("date", loc.date(b.date).into())],
        ),
        (Some(b), Some(l), _) => loc.t(
            "baseline-and-latest",
            &[
                ("baseline", b.score.into()),
                ("baseline-date", loc.date(b.date).into()),
                ("latest", l.score.into()),
                ("latest-date", loc.date(l.date).into()),
            ],
        ),
        _ => String::new(),
    };
    let note = match imp {
        Improvement::NoClearChange { .. } => loc.s("note-no-change"),
        Improvement::NoScores => String::new(),
        _ => loc.s("note-band"),
    };
    let body = fit_lines(
        &loc.directed(format!("{detail} {note}").trim().to_string()),
        Weight::Regular,
        mm(inner),
        6,
        8.0,
        6.0,
    )?;
    for line in &body.lines {
        if cy + line_height(body.size) > y + h - 1.0 {
            break;
        }
        doc.text(
            page,
            line,
            x + pad,
            inner,
            cy + baseline_offset(body.size),
            body.size,
            style::INK,
            Align::Left,
        );
        cy += line_height(body.size);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(day: u32, score: u32) -> ScorePoint {
        ScorePoint {
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            score,
        }
    }

    #[test]
    fn improvement_against_the_earliest_score() {
        assert_eq!(improvement(&[]), Improvement::NoScores);
        assert_eq!(
            improvement(&[p(1, 20)]),
            Improvement::BaselineOnly { baseline: 20 }
        );
        // Out of order: the baseline is the earliest by date.
        match improvement(&[p(20, 10), p(1, 20)]) {
            Improvement::Improved { percent, .. } => assert_eq!(percent, 50),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            improvement(&[p(1, 20), p(9, 5)]).headline(),
            "75% improvement"
        );
    }

    #[test]
    fn four_points_or_less_is_no_clear_change() {
        assert_eq!(
            improvement(&[p(1, 20), p(9, 16)]),
            Improvement::NoClearChange {
                baseline: 20,
                latest: 16
            }
        );
        assert_eq!(
            improvement(&[p(1, 20), p(9, 24)]).headline(),
            "No clear change"
        );
        assert!(matches!(
            improvement(&[p(1, 20), p(9, 15)]),
            Improvement::Improved { .. }
        ));
        assert_eq!(
            improvement(&[p(1, 3), p(9, 9)]),
            Improvement::Worse {
                baseline: 3,
                latest: 9
            }
        );
    }

    #[test]
    fn the_printed_percentage_is_the_screens_scores_8_to_3_read_63() {
        // 62.5 %: dermis-core rounds half away from zero (the Progress tab);
        // the summary once printed 62 % (ties to even).
        let imp = improvement(&[p(1, 8), p(9, 3)]);
        assert_eq!(
            imp,
            Improvement::Improved {
                baseline: 8,
                latest: 3,
                percent: 63
            }
        );
        assert_eq!(imp.headline(), "63% improvement");
        let core = dermis_core::session::progress(&[
            dermis_core::session::ProgressPoint {
                assessment_id: ids::AssessmentId(1),
                date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                score: 8,
                grade: 2,
            },
            dermis_core::session::ProgressPoint {
                assessment_id: ids::AssessmentId(2),
                date: chrono::NaiveDate::from_ymd_opt(2026, 1, 9).unwrap(),
                score: 3,
                grade: 2,
            },
        ]);
        assert_eq!(core.improvement_percent, Some(63));
    }

    #[test]
    fn axis_is_round() {
        assert_eq!(axis(24), (30, 10));
        assert_eq!(axis(18), (25, 5));
        assert_eq!(axis(3), (6, 2));
        assert_eq!(axis(0), (6, 2));
    }
}
