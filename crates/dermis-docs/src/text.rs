//! Text in any script: clean, split into runs by font and direction, shape,
//! measure, wrap and reorder for display.
//!
//! printpdf's plain text operators map each character to one glyph, left to
//! right: Arabic would print as isolated letters in the wrong order. So the
//! text is shaped here with rustybuzz (a port of HarfBuzz) and drawn by glyph
//! id; every glyph carries the text of its cluster, which printpdf writes into
//! the font's /ToUnicode map so the PDF can be searched and copied.
//!
//! The pipeline for one paragraph ([`Shaped::new`]):
//! 1. [`sanitize`]: control characters become spaces; emoji, which no bundled
//!    font has, are dropped; any other character no font covers becomes U+FFFD
//!    (so a missing letter shows instead of vanishing).
//! 2. Unicode bidi (UAX #9, `unicode-bidi`) gives each byte an embedding level;
//!    the paragraph direction comes from its first strong character.
//! 3. Itemize: a new run wherever the font (see [`crate::fonts`]) or the
//!    level changes; each run is shaped on its own.
//! 4. Measure: advances are kept in em, so a paragraph is shaped once and
//!    measured at any font size (shrink-to-fit tries many sizes).
//! 5. Wrap on logical text at break opportunities (after spaces, between CJK
//!    characters, after a hyphen), falling back to any cluster boundary for a
//!    word longer than the line; then reorder each line's runs visually (rule
//!    L2 of UAX #9). rustybuzz already returns right-to-left runs in visual order.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::OnceLock;

use unicode_bidi::{BidiInfo, Level};

use crate::error::DocsError;
use crate::fonts::{self, FontKey, Weight};

/// One shaped glyph; lengths in em (multiply by the font size).
#[derive(Debug, Clone)]
struct Glyph {
    gid: u16,
    /// Byte offset of its cluster in [`Shaped::text`].
    cluster: usize,
    adv: f32,
    x_off: f32,
    y_off: f32,
    /// The text this glyph stands for (the whole cluster for the first glyph
    /// of a cluster, empty for the others).
    text: Range<usize>,
    /// The cluster is only invisible format characters (a RIGHT-TO-LEFT MARK,
    /// an isolate): shaped, never drawn. HarfBuzz gives them the space glyph,
    /// and drawing it would give the face's space glyph their meaning in
    /// /ToUnicode, so copied text would lose its spaces.
    invisible: bool,
}

#[derive(Debug)]
struct Item {
    range: Range<usize>,
    font: FontKey,
    level: Level,
    /// In visual order (rustybuzz output order).
    glyphs: Vec<Glyph>,
}

/// A glyph placed on a line; lengths in em.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlacedGlyph {
    pub font: FontKey,
    pub gid: u16,
    /// Pen position from the line's left edge.
    pub x: f32,
    pub x_off: f32,
    pub y_off: f32,
    pub adv: f32,
    /// What the glyph means, for /ToUnicode.
    pub text: String,
}

/// One line, glyphs left to right.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Line {
    pub glyphs: Vec<PlacedGlyph>,
    /// Total advance in em.
    pub width: f32,
    /// Whether the paragraph runs right to left (align right where it matters).
    pub rtl: bool,
    /// Set in bold: runs in a face without a bold cut (CJK) are emboldened
    /// when drawn.
    pub bold: bool,
}

impl Line {
    pub fn width_at(&self, size: f32) -> f32 {
        self.width * size
    }
}

/// A shaped paragraph (one line of input, no line breaks inside).
pub(crate) struct Shaped {
    text: String,
    items: Vec<Item>,
    base_rtl: bool,
    weight: Weight,
    /// `cum[i]`: advance of every cluster that starts before byte `i`.
    cum: Vec<f32>,
    /// Byte offsets where a cluster starts (the text may be cut there).
    cluster_start: Vec<bool>,
    /// Byte offsets where a new line may start, ascending.
    breaks: Vec<usize>,
}

/// Emoji and pictographs: no bundled font has them; they are dropped.
fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xE0020..=0xE007F | 0x1FC00..=0x1FFFF)
}

/// Invisible format characters: kept (they matter for shaping and bidi) and
/// never replaced, whatever the font's coverage.
fn is_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

/// Combining marks in the scripts we print (they follow their base's font).
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

/// Han, Kana and CJK punctuation: a line may break between any two of them.
fn is_cjk_breakable(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// Spaces a line may break after: every space but the no-break ones (French
/// puts U+00A0 / U+202F before ":", "?" and "%": "54 %" must not be split).
fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2007}')
}

/// Characters a line must not start with (closing punctuation, small kana...).
fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | 'ー'
            | '・'
            | '：'
            | '；'
            | '！'
            | '？'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
    )
}

/// Characters a line must not end with (opening punctuation).
fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '〔' | '〈' | '《' | '(' | '[' | '{'
    )
}

/// Makes `s` printable with the bundled fonts (see the module docs).
pub(crate) fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.push(' ');
        } else if is_ignorable(c)
            || c == ' '
            || fonts::fallback(Weight::Regular)
                .iter()
                .any(|&f| fonts::covers(f, c))
        {
            out.push(c);
        } else if is_emoji(c) {
            // dropped
        } else {
            out.push('\u{FFFD}');
        }
    }
    out
}

/// `c.is_alphabetic()`, kept for the characters below U+3000 as they are met
/// (outside ASCII it is a table search, for every letter of an Arabic text).
fn is_letter(c: char) -> bool {
    use std::sync::atomic::{AtomicU8, Ordering};
    /// 0: not yet known; 1: not a letter; 2: a letter.
    static LETTER: [AtomicU8; 0x3000] = [const { AtomicU8::new(0) }; 0x3000];
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    let Some(cell) = LETTER.get(c as usize) else {
        return c.is_alphabetic();
    };
    match cell.load(Ordering::Relaxed) {
        0 => {
            let letter = c.is_alphabetic();
            cell.store(if letter { 2 } else { 1 }, Ordering::Relaxed);
            letter
        }
        known => known == 2,
    }
}

fn choose_font(c: char, current: Option<FontKey>, weight: Weight) -> FontKey {
    let strong = is_letter(c) && !is_mark(c);
    if let Some(f) = current {
        if is_ignorable(c) || (!strong && fonts::covers(f, c)) {
            return f;
        }
    }
    let order = fonts::fallback(weight);
    order
        .iter()
        .copied()
        .find(|&f| fonts::covers(f, c))
        .unwrap_or(order[0])
}

thread_local! {
    /// Shape plans by face, direction and script. Building a plan costs more
    /// than shaping a short run (rustybuzz's own advice is to reuse them), and
    /// most for Arabic, whose joining features were planned again for every
    /// run: a third of an Arabic sheet's shaping time.
    static PLANS: RefCell<HashMap<(FontKey, rustybuzz::Direction, rustybuzz::Script), Rc<rustybuzz::ShapePlan>>> =
        RefCell::new(HashMap::new());
}

/// `rustybuzz::shape` with the plan for the buffer's face, direction and
/// script made once per thread (a buffer with a language set is shaped as
/// before, with a plan of its own).
fn shape_with_cached_plan(
    font: FontKey,
    face: &rustybuzz::Face<'static>,
    buffer: rustybuzz::UnicodeBuffer,
) -> rustybuzz::GlyphBuffer {
    if buffer.language().is_some() {
        return rustybuzz::shape(face, &[], buffer);
    }
    let key = (font, buffer.direction(), buffer.script());
    let plan = PLANS.with(|plans| {
        plans
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| {
                let script = (key.2 != rustybuzz::script::UNKNOWN).then_some(key.2);
                Rc::new(rustybuzz::ShapePlan::new(face, key.1, script, None, &[]))
            })
            .clone()
    });
    rustybuzz::shape_with_plan(face, &plan, buffer)
}

impl Shaped {
    /// Cleans, itemizes and shapes one paragraph.
    pub fn new(text: &str, weight: Weight) -> Result<Shaped, DocsError> {
        let text = sanitize(text);
        let n = text.len();
        let (levels, base_rtl) = if text.is_empty() {
            (Vec::new(), false)
        } else {
            let bidi = BidiInfo::new(&text, None);
            let base = bidi.paragraphs.first().is_some_and(|p| p.level.is_rtl());
            (bidi.levels, base)
        };

        // Itemize by font and bidi level.
        let mut items: Vec<Item> = Vec::new();
        let mut current: Option<FontKey> = None;
        for (i, c) in text.char_indices() {
            let font = choose_font(c, current, weight);
            let level = levels.get(i).copied().unwrap_or_else(Level::ltr);
            match items.last_mut() {
                Some(item) if item.font == font && item.level == level => {
                    item.range.end = i + c.len_utf8();
                }
                _ => items.push(Item {
                    range: i..i + c.len_utf8(),
                    font,
                    level,
                    glyphs: Vec::new(),
                }),
            }
            current = Some(font);
        }

        // Shape each item.
        for item in &mut items {
            let shaper = fonts::shaper(item.font)?;
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(&text[item.range.clone()]);
            buffer.set_direction(if item.level.is_rtl() {
                rustybuzz::Direction::RightToLeft
            } else {
                rustybuzz::Direction::LeftToRight
            });
            buffer.guess_segment_properties();
            let out = shape_with_cached_plan(item.font, &shaper.face, buffer);
            let start = item.range.start;
            // Cluster ends: the next larger cluster start, or the item end.
            let mut starts: Vec<usize> = out
                .glyph_infos()
                .iter()
                .map(|g| start + g.cluster as usize)
                .collect();
            starts.sort_unstable();
            starts.dedup();
            let end_of = |c: usize| {
                let k = starts.partition_point(|&s| s <= c);
                starts.get(k).copied().unwrap_or(item.range.end)
            };
            // Which glyph of each cluster carries the cluster's text: the one
            // with the widest advance (the base letter, not a zero-width mark;
            // in right-to-left output a mark can come before its base, and
            // giving the mark the text made every later use of that mark
            // read as the first letter it sat on, "وّ").
            let infos = out.glyph_infos();
            let positions = out.glyph_positions();
            // By cluster offset in the item: (glyph index, advance) of the
            // first glyph with the widest advance.
            let mut carrier: Vec<Option<(usize, i32)>> = vec![None; item.range.len() + 1];
            for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
                let Some(slot) = carrier.get_mut(info.cluster as usize) else {
                    continue;
                };
                match slot {
                    Some(c) if pos.x_advance > c.1 => *c = (i, pos.x_advance),
                    Some(_) => {}
                    None => *slot = Some((i, pos.x_advance)),
                }
            }
            for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
                let cluster = start + info.cluster as usize;
                let carries = carrier
                    .get(info.cluster as usize)
                    .is_some_and(|c| c.is_some_and(|c| c.0 == i));
                let text_range = if carries {
                    cluster..end_of(cluster)
                } else {
                    cluster..cluster
                };
                let invisible = text[cluster..end_of(cluster)].chars().all(is_ignorable);
                item.glyphs.push(Glyph {
                    gid: u16::try_from(info.glyph_id).unwrap_or(0),
                    cluster,
                    adv: pos.x_advance as f32 / shaper.upm,
                    x_off: pos.x_offset as f32 / shaper.upm,
                    y_off: pos.y_offset as f32 / shaper.upm,
                    text: text_range,
                    invisible,
                });
            }
        }

        // Advances per byte, cluster starts.
        let mut adv_at = vec![0f32; n + 1];
        let mut cluster_start = vec![false; n + 1];
        cluster_start[n] = true;
        for g in items.iter().flat_map(|i| &i.glyphs) {
            adv_at[g.cluster] += g.adv;
            cluster_start[g.cluster] = true;
        }
        let mut cum = Vec::with_capacity(n + 1);
        let mut sum = 0f32;
        cum.push(0.0);
        for a in adv_at.iter().take(n) {
            sum += a;
            cum.push(sum);
        }

        // Break opportunities (where a line may start).
        let mut breaks = Vec::new();
        let mut prev: Option<char> = None;
        let mut prev2: Option<char> = None;
        for (i, c) in text.char_indices() {
            if let Some(p) = prev {
                let ok = cluster_start[i]
                    && !c.is_whitespace()
                    && (is_break_space(p)
                        || ((is_cjk_breakable(p) || is_cjk_breakable(c))
                            && !no_line_start(c)
                            && !no_line_end(p))
                        || (matches!(p, '-' | '/' | '–')
                            && c.is_alphanumeric()
                            && prev2.is_some_and(char::is_alphanumeric)));
                if ok {
                    breaks.push(i);
                }
            }
            prev2 = prev;
            prev = Some(c);
        }

        Ok(Shaped {
            text,
            items,
            base_rtl,
            weight,
            cum,
            cluster_start,
            breaks,
        })
    }

    /// The cleaned text that was shaped.
    #[cfg(test)]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Advance of the whole paragraph, in em.
    pub fn width(&self) -> f32 {
        self.range_width(0..self.text.len())
    }

    fn range_width(&self, r: Range<usize>) -> f32 {
        self.cum[r.end] - self.cum[r.start]
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while let Some(c) = self.text[i..].chars().next() {
            if !c.is_whitespace() {
                break;
            }
            i += c.len_utf8();
        }
        i
    }

    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start {
            match self.text[..end].chars().next_back() {
                Some(c) if c.is_whitespace() => end -= c.len_utf8(),
                _ => break,
            }
        }
        end
    }

    fn next_cluster(&self, i: usize) -> usize {
        let n = self.text.len();
        let mut j = i + 1;
        while j < n && !(self.cluster_start[j] && self.text.is_char_boundary(j)) {
            j += 1;
        }
        j.min(n)
    }

    /// Logical line ranges that fit `max` em, wrapping at break opportunities
    /// and cutting an over-long word at a cluster boundary.
    pub fn wrap(&self, max: f32) -> Vec<Range<usize>> {
        let n = self.text.len();
        let mut lines = Vec::new();
        let mut start = self.skip_spaces(0);
        let mut k = 0; // index into breaks
        while start < n {
            while k < self.breaks.len() && self.breaks[k] <= start {
                k += 1;
            }
            let mut best: Option<usize> = None;
            let mut j = k;
            loop {
                let b = if j < self.breaks.len() {
                    self.breaks[j]
                } else {
                    n
                };
                let end = self.trim_end(start, b);
                if self.range_width(start..end) <= max + 1e-4 {
                    best = Some(b);
                } else {
                    break;
                }
                if b == n {
                    break;
                }
                j += 1;
            }
            match best {
                Some(b) => {
                    lines.push(start..self.trim_end(start, b));
                    start = self.skip_spaces(b);
                }
                None => {
                    let mut cut = self.next_cluster(start);
                    loop {
                        let next = self.next_cluster(cut);
                        if cut >= n || self.range_width(start..next) > max {
                            break;
                        }
                        cut = next;
                    }
                    lines.push(start..cut);
                    start = self.skip_spaces(cut);
                }
            }
        }
        lines
    }

    /// The glyphs of a logical range, reordered for display.
    pub fn line(&self, range: Range<usize>) -> Line {
        self.build_line(range, false)
    }

    /// The whole paragraph as one line.
    pub fn single_line(&self) -> Line {
        self.line(0..self.text.len())
    }

    /// As much of `range` as fits `max` em, ending with an ellipsis when cut.
    pub fn truncated(&self, range: Range<usize>, max: f32) -> Line {
        if self.range_width(range.clone()) <= max + 1e-4 {
            return self.line(range);
        }
        let ell = ellipsis(self.weight).map(|e| e.adv).unwrap_or(0.0);
        let mut end = range.start;
        loop {
            let next = self.next_cluster(end);
            if next > range.end || self.range_width(range.start..next) + ell > max {
                break;
            }
            end = next;
            if end >= range.end {
                break;
            }
        }
        let end = self.trim_end(range.start, end);
        self.build_line(range.start..end, true)
    }

    fn build_line(&self, range: Range<usize>, with_ellipsis: bool) -> Line {
        // Pieces of items inside the range, in logical order.
        let mut pieces: Vec<(usize, Range<usize>, Level)> = Vec::new();
        for (idx, item) in self.items.iter().enumerate() {
            let lo = item.range.start.max(range.start);
            let hi = item.range.end.min(range.end);
            if lo < hi {
                pieces.push((idx, lo..hi, item.level));
            }
        }
        // UAX #9 L2: from the highest level down to the lowest odd level,
        // reverse every maximal sequence at that level or higher.
        if let Some(max) = pieces.iter().map(|p| p.2.number()).max() {
            let min_odd = pieces
                .iter()
                .map(|p| p.2.number())
                .filter(|l| l % 2 == 1)
                .min()
                .unwrap_or(max + 1);
            let mut level = max;
            while level >= min_odd && level > 0 {
                let mut i = 0;
                while i < pieces.len() {
                    if pieces[i].2.number() >= level {
                        let mut j = i;
                        while j < pieces.len() && pieces[j].2.number() >= level {
                            j += 1;
                        }
                        pieces[i..j].reverse();
                        i = j;
                    } else {
                        i += 1;
                    }
                }
                level -= 1;
            }
        }

        let mut line = Line {
            glyphs: Vec::new(),
            width: 0.0,
            rtl: self.base_rtl,
            bold: self.weight == Weight::Bold,
        };
        let ell = if with_ellipsis {
            ellipsis(self.weight)
        } else {
            None
        };
        let mut pen = 0f32;
        let push_ellipsis = |line: &mut Line, pen: &mut f32| {
            if let Some(e) = &ell {
                line.glyphs.push(PlacedGlyph {
                    font: e.font,
                    gid: e.gid,
                    x: *pen,
                    x_off: 0.0,
                    y_off: 0.0,
                    adv: e.adv,
                    text: "…".to_string(),
                });
                *pen += e.adv;
            }
        };
        if self.base_rtl {
            push_ellipsis(&mut line, &mut pen);
        }
        for (idx, r, _) in &pieces {
            let item = &self.items[*idx];
            for g in item.glyphs.iter().filter(|g| r.contains(&g.cluster)) {
                if g.invisible {
                    pen += g.adv;
                    continue;
                }
                line.glyphs.push(PlacedGlyph {
                    font: item.font,
                    gid: g.gid,
                    x: pen,
                    x_off: g.x_off,
                    y_off: g.y_off,
                    adv: g.adv,
                    text: self.text[g.text.clone()].to_string(),
                });
                pen += g.adv;
            }
        }
        if !self.base_rtl {
            push_ellipsis(&mut line, &mut pen);
        }
        line.width = pen;
        line
    }
}

#[derive(Debug, Clone)]
struct EllipsisGlyph {
    font: FontKey,
    gid: u16,
    adv: f32,
}

fn ellipsis(weight: Weight) -> Option<EllipsisGlyph> {
    static CACHE: [OnceLock<Option<EllipsisGlyph>>; 2] = [const { OnceLock::new() }; 2];
    let slot = match weight {
        Weight::Regular => 0,
        Weight::Bold => 1,
    };
    CACHE[slot]
        .get_or_init(|| {
            let font = fonts::fallback(weight)[0];
            let shaper = fonts::shaper(font).ok()?;
            let gid = shaper.face.glyph_index('…')?;
            let adv = f32::from(shaper.face.glyph_hor_advance(gid)?) / shaper.upm;
            Some(EllipsisGlyph {
                font,
                gid: gid.0,
                adv,
            })
        })
        .clone()
}

/// A paragraph laid out in lines at one size.
#[derive(Debug, Clone)]
pub(crate) struct Wrapped {
    pub lines: Vec<Line>,
    pub size: f32,
}

/// Wraps `text` into lines of at most `max_width` (pt) at `size`, keeping at
/// most `max_lines` (the last one ends with an ellipsis when text is cut).
pub(crate) fn wrap_text(shaped: &Shaped, max_width: f32, size: f32, max_lines: usize) -> Wrapped {
    let max_em = max_width / size;
    let ranges = shaped.wrap(max_em);
    let mut lines: Vec<Line> = Vec::new();
    for (i, r) in ranges.iter().enumerate() {
        if i + 1 == max_lines && ranges.len() > max_lines {
            // Last allowed line: everything left, cut with an ellipsis.
            let rest = r.start..shaped.text.len();
            lines.push(shaped.truncated(rest, max_em));
            break;
        }
        lines.push(shaped.line(r.clone()));
    }
    Wrapped { lines, size }
}

/// Fits `text` on one line of `max_width` pt: the preferred size if it fits,
/// else the size that fits (not below `min_size`), else cut with an ellipsis.
pub(crate) fn fit_line(
    text: &str,
    weight: Weight,
    max_width: f32,
    size: f32,
    min_size: f32,
) -> Result<(Line, f32), DocsError> {
    let shaped = Shaped::new(text, weight)?;
    Ok(fit_shaped_line(&shaped, max_width, size, min_size))
}

pub(crate) fn fit_shaped_line(
    shaped: &Shaped,
    max_width: f32,
    size: f32,
    min_size: f32,
) -> (Line, f32) {
    let w = shaped.width();
    if w * size <= max_width || w <= 0.0 {
        return (shaped.single_line(), size);
    }
    let fitting = (max_width / w * 0.999).max(min_size);
    if w * fitting <= max_width {
        return (shaped.single_line(), fitting);
    }
    (
        shaped.truncated(0..shaped.text.len(), max_width / min_size),
        min_size,
    )
}

/// Fits `text` in at most `max_lines` lines of `max_width` pt, shrinking from
/// `size` down to `min_size` before cutting the last line with an ellipsis.
pub(crate) fn fit_lines(
    text: &str,
    weight: Weight,
    max_width: f32,
    max_lines: usize,
    size: f32,
    min_size: f32,
) -> Result<Wrapped, DocsError> {
    let shaped = Shaped::new(text, weight)?;
    let mut s = size;
    loop {
        let count = shaped.wrap(max_width / s).len();
        if count <= max_lines || s <= min_size {
            return Ok(wrap_text(&shaped, max_width, s, max_lines.max(1)));
        }
        s = (s - 0.5).max(min_size);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph_text(line: &Line) -> String {
        line.glyphs.iter().map(|g| g.text.as_str()).collect()
    }

    #[test]
    fn latin_is_one_sans_run() {
        let s = Shaped::new("Zoë Ñúñez-Łukasiewicz", Weight::Regular).unwrap();
        let line = s.single_line();
        assert!(line.glyphs.iter().all(|g| g.font == FontKey::Sans));
        assert_eq!(glyph_text(&line), "Zoë Ñúñez-Łukasiewicz");
        assert!(line.width > 5.0);
    }

    #[test]
    fn mixed_name_uses_two_fonts() {
        let s = Shaped::new("Ana 王", Weight::Regular).unwrap();
        let fonts: Vec<FontKey> = s.single_line().glyphs.iter().map(|g| g.font).collect();
        assert_eq!(fonts.first(), Some(&FontKey::Sans));
        assert_eq!(fonts.last(), Some(&FontKey::Cjk));
    }

    #[test]
    fn arabic_is_shaped_and_right_to_left() {
        let text = "فاطمة الزهراء";
        let s = Shaped::new(text, Weight::Regular).unwrap();
        let line = s.single_line();
        assert!(line.rtl);
        assert!(line.glyphs.iter().all(|g| g.font == FontKey::Arabic));
        // Visual order is reversed: the first glyph drawn is the last letter.
        assert_eq!(line.glyphs.first().map(|g| g.text.as_str()), Some("ء"));
        // Joined forms differ from the isolated ones: "ف" at the start of a
        // word is not the same glyph as an isolated "ف".
        let isolated = Shaped::new("ف", Weight::Regular).unwrap().single_line();
        let first_letter = line.glyphs.iter().find(|g| g.text == "ف").unwrap();
        assert_ne!(first_letter.gid, isolated.glyphs[0].gid);
        // Reading the glyph texts backwards gives the name.
        let back: String = line.glyphs.iter().rev().map(|g| g.text.as_str()).collect();
        assert_eq!(back, text);
    }

    #[test]
    fn direction_marks_and_isolates_are_not_drawn() {
        // Regression: they were drawn with the space glyph, which then meant
        // U+200F in /ToUnicode, and copied Arabic text lost its spaces.
        let s = Shaped::new("\u{200F}حتى \u{2068}+33 1\u{2069} فورًا", Weight::Regular).unwrap();
        let line = s.single_line();
        assert!(line
            .glyphs
            .iter()
            .all(|g| !g.text.chars().any(is_ignorable)));
        assert!(line.glyphs.iter().any(|g| g.text == " "));
    }

    #[test]
    fn a_mark_does_not_carry_its_base_letters_text() {
        // "تطوّر": the shadda sits on the waw; the waw glyph carries "وّ" and
        // the shadda glyph no text of its own.
        let s = Shaped::new("تطوّر", Weight::Regular).unwrap();
        let line = s.single_line();
        let zero_width: Vec<&PlacedGlyph> = line.glyphs.iter().filter(|g| g.adv == 0.0).collect();
        assert!(!zero_width.is_empty());
        assert!(
            zero_width.iter().all(|g| g.text.is_empty()),
            "{zero_width:?}"
        );
        let back: String = line.glyphs.iter().rev().map(|g| g.text.as_str()).collect();
        assert_eq!(back, "تطوّر");
    }

    #[test]
    fn emoji_are_dropped_and_unknown_letters_replaced() {
        assert_eq!(sanitize("Ana 😊 Lee"), "Ana  Lee");
        assert_eq!(sanitize("ก"), "\u{FFFD}");
        assert_eq!(sanitize("a\nb\tc"), "a b c");
    }

    #[test]
    fn wrapping_respects_width_and_keeps_all_words() {
        let text = "The quick brown fox jumps over the lazy dog again and again";
        let s = Shaped::new(text, Weight::Regular).unwrap();
        let lines = s.wrap(8.0);
        assert!(lines.len() > 2);
        for r in &lines {
            assert!(s.range_width(r.clone()) <= 8.0 + 1e-3);
        }
        let joined: Vec<&str> = lines.iter().map(|r| &s.text()[r.clone()]).collect();
        assert_eq!(joined.join(" "), text);
    }

    #[test]
    fn no_break_spaces_do_not_break_a_line() {
        let text = "Une question, une inquiétude\u{00A0}? Appelez-nous\u{00A0}:";
        let s = Shaped::new(text, Weight::Regular).unwrap();
        for max in [4.0, 6.0, 8.0, 10.0] {
            for r in s.wrap(max) {
                let line = &s.text()[r];
                assert!(!line.starts_with(['?', ':']), "{line:?} at {max}");
            }
        }
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let s = Shaped::new(&"x".repeat(200), Weight::Regular).unwrap();
        let lines = s.wrap(10.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|r| !r.is_empty()));
    }

    #[test]
    fn japanese_wraps_between_characters() {
        let s = Shaped::new("山田花子山田花子山田花子山田花子", Weight::Regular).unwrap();
        let lines = s.wrap(5.0);
        assert!(lines.len() >= 3, "{lines:?}");
    }

    #[test]
    fn truncation_adds_an_ellipsis_and_fits() {
        let s = Shaped::new(&"Name ".repeat(60), Weight::Regular).unwrap();
        let line = s.truncated(0..s.text().len(), 20.0);
        assert!(line.width <= 20.0 + 1e-3);
        assert_eq!(line.glyphs.last().map(|g| g.text.as_str()), Some("…"));
    }

    #[test]
    fn fit_line_shrinks_then_truncates() {
        let (_, size) = fit_line("Short", Weight::Regular, 100.0, 12.0, 7.0).unwrap();
        assert_eq!(size, 12.0);
        let (line, size) = fit_line(&"W".repeat(20), Weight::Regular, 100.0, 12.0, 7.0).unwrap();
        assert!((7.0..12.0).contains(&size));
        assert!(line.width_at(size) <= 100.0);
        let (line, size) = fit_line(&"W".repeat(300), Weight::Regular, 100.0, 12.0, 7.0).unwrap();
        assert_eq!(size, 7.0);
        assert!(line.width_at(size) <= 100.01);
    }
}
