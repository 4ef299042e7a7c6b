//! The bundled fonts and the choice of font for each character.
//!
//! The app runs offline on Windows, macOS and Linux and cannot count on system
//! fonts, so every face is compiled in with `include_bytes!` (see
//! `fonts/OFL.txt` for the licence and `README.md` for the sizes and why the
//! CJK face is a subset). Each face is parsed at most once per process, on
//! first use, into two views kept in `OnceLock`s: a `rustybuzz::Face` for
//! shaping and measuring, and printpdf's `ParsedFont` for embedding (a
//! document in Latin script never pays for parsing the 9.6 MB CJK face).
//!
//! Fallback: a run of text takes the first face in [`FALLBACK`] order that has
//! a glyph for its letters; spaces, digits, punctuation and combining marks
//! stay in the face of the run they are in when it covers them, so "Ana 王"
//! becomes a Noto Sans run and a Noto Sans CJK run, and an Arabic name keeps
//! its spaces inside the Arabic run (shaping needs the whole run).
//!
//! Subsets: a document embeds each face cut down to the glyphs it draws
//! ([`subset`]). Cutting a face (allsorts, through printpdf), parsing the
//! result and compressing it was the largest single cost of a sheet, and most
//! of it is the same from one sheet to the next: an Arabic sheet's body text
//! and the clinic's letterhead give the same glyph sets for every patient.
//! So subsets are kept per face, keyed by the exact glyph set, a few per face
//! (the most recently used), for the process. The output does not depend on
//! the cache: a subset is a pure function of the face and the glyph set, so
//! a hit gives the same bytes as cutting again.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::{FontId, ParsedFont};

use crate::error::DocsError;

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One bundled face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum FontKey {
    Sans,
    SansBold,
    Arabic,
    ArabicBold,
    Hebrew,
    HebrewBold,
    /// Noto Sans CJK JP (subset): Han, Kana, Hangul. There is no bold CJK face
    /// bundled (it would add another 9.6 MB); bold CJK text prints regular.
    Cjk,
}

/// Fallback order for letters, by weight.
const FALLBACK_REGULAR: [FontKey; 4] = [
    FontKey::Sans,
    FontKey::Arabic,
    FontKey::Hebrew,
    FontKey::Cjk,
];
const FALLBACK_BOLD: [FontKey; 4] = [
    FontKey::SansBold,
    FontKey::ArabicBold,
    FontKey::HebrewBold,
    FontKey::Cjk,
];

pub(crate) fn fallback(weight: Weight) -> &'static [FontKey; 4] {
    match weight {
        Weight::Regular => &FALLBACK_REGULAR,
        Weight::Bold => &FALLBACK_BOLD,
    }
}

struct FontFile {
    name: &'static str,
    bytes: &'static [u8],
    /// The PDF resource name, whose first six letters are also the subset tag
    /// printpdf writes before the font name (`DRMSAA+NotoSans-Regular`). Fixed
    /// per face: tags must only differ between the subsets of one file, and a
    /// fixed tag keeps the output independent of printpdf's random ids.
    resource: &'static str,
}

fn file(key: FontKey) -> &'static FontFile {
    const SANS: FontFile = FontFile {
        name: "NotoSans-Regular.ttf",
        bytes: include_bytes!("../fonts/NotoSans-Regular.ttf"),
        resource: "DRMSAA",
    };
    const SANS_BOLD: FontFile = FontFile {
        name: "NotoSans-Bold.ttf",
        bytes: include_bytes!("../fonts/NotoSans-Bold.ttf"),
        resource: "DRMSAB",
    };
    const ARABIC: FontFile = FontFile {
        name: "NotoSansArabic-Regular.ttf",
        bytes: include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
        resource: "DRMSAC",
    };
    const ARABIC_BOLD: FontFile = FontFile {
        name: "NotoSansArabic-Bold.ttf",
        bytes: include_bytes!("../fonts/NotoSansArabic-Bold.ttf"),
        resource: "DRMSAD",
    };
    const HEBREW: FontFile = FontFile {
        name: "NotoSansHebrew-Regular.ttf",
        bytes: include_bytes!("../fonts/NotoSansHebrew-Regular.ttf"),
        resource: "DRMSAE",
    };
    const HEBREW_BOLD: FontFile = FontFile {
        name: "NotoSansHebrew-Bold.ttf",
        bytes: include_bytes!("../fonts/NotoSansHebrew-Bold.ttf"),
        resource: "DRMSAF",
    };
    const CJK: FontFile = FontFile {
        name: "NotoSansCJKjp-Regular-subset.otf",
        bytes: include_bytes!("../fonts/NotoSansCJKjp-Regular-subset.otf"),
        resource: "DRMSAG",
    };
    match key {
        FontKey::Sans => &SANS,
        FontKey::SansBold => &SANS_BOLD,
        FontKey::Arabic => &ARABIC,
        FontKey::ArabicBold => &ARABIC_BOLD,
        FontKey::Hebrew => &HEBREW,
        FontKey::HebrewBold => &HEBREW_BOLD,
        FontKey::Cjk => &CJK,
    }
}

fn slot(key: FontKey) -> usize {
    key as usize
}

/// A face ready for shaping.
pub(crate) struct Shaper {
    pub face: rustybuzz::Face<'static>,
    /// Font units per em, as f32 for scaling.
    pub upm: f32,
}

static SHAPERS: [OnceLock<Option<Shaper>>; 7] = [const { OnceLock::new() }; 7];
static PARSED: [OnceLock<Option<ParsedFont>>; 7] = [const { OnceLock::new() }; 7];

/// The shaping view of a face, parsed on first use.
pub(crate) fn shaper(key: FontKey) -> Result<&'static Shaper, DocsError> {
    SHAPERS[slot(key)]
        .get_or_init(|| {
            let face = rustybuzz::Face::from_slice(file(key).bytes, 0)?;
            let upm = f32::from(face.units_per_em() as u16).max(1.0);
            Some(Shaper { face, upm })
        })
        .as_ref()
        .ok_or(DocsError::Font {
            font: file(key).name,
        })
}

/// The embedding view of a face (printpdf), parsed on first use.
pub(crate) fn parsed(key: FontKey) -> Result<&'static ParsedFont, DocsError> {
    PARSED[slot(key)]
        .get_or_init(|| {
            let mut warnings = Vec::new();
            ParsedFont::from_bytes(file(key).bytes, 0, &mut warnings)
        })
        .as_ref()
        .ok_or(DocsError::Font {
            font: file(key).name,
        })
}

/// Whether the face is a real bold cut or has no bold sibling to stand for.
pub(crate) fn has_bold(key: FontKey) -> bool {
    key != FontKey::Cjk
}

/// The PDF resource id of a face (see [`FontFile::resource`]).
pub(crate) fn font_id(key: FontKey) -> FontId {
    FontId(file(key).resource.to_string())
}

/// Whether `key` has a glyph for `c`.
///
/// Every character of every paragraph is looked up here, several times
/// (cleaning, then the choice of face, in fallback order), and a cmap lookup
/// is a binary search; so the answers for characters below U+3000 (every
/// script but CJK, and the punctuation) are kept for the process, per face,
/// as they are found. A face is still only parsed when a character reaches it.
pub(crate) fn covers(key: FontKey, c: char) -> bool {
    let look_up = || shaper(key).is_ok_and(|s| s.face.glyph_index(c).is_some());
    let Some(cell) = COVERAGE.get(c as usize) else {
        return look_up();
    };
    let known = 1u16 << slot(key);
    let covered = known << 7;
    let bits = cell.load(Ordering::Relaxed);
    if bits & known != 0 {
        return bits & covered != 0;
    }
    let answer = look_up();
    cell.fetch_or(
        if answer { known | covered } else { known },
        Ordering::Relaxed,
    );
    answer
}

/// Per character below U+3000: bit `slot` set when face `slot` was looked
/// up, bit `slot + 7` when it has a glyph for the character.
static COVERAGE: [AtomicU16; 0x3000] = [const { AtomicU16::new(0) }; 0x3000];

/// A face cut down to the glyphs one document draws, ready to embed.
pub(crate) struct Subset {
    /// The subset font program, parsed, named with its subset tag
    /// (`DRMSAA+NotoSans-Regular`, see [`FontFile::resource`]).
    pub font: ParsedFont,
    /// Glyph id in the subset, indexed by glyph id in the whole face (0,
    /// .notdef, for a glyph not in the subset).
    pub gids: Vec<u16>,
    /// The font program as embedded.
    pub program: Vec<u8>,
    /// The program zlib-compressed, made by the first document that writes it.
    pub compressed: OnceLock<Option<Vec<u8>>>,
}

/// How many subsets are kept per face (the most recently used).
const SUBSETS_PER_FACE: usize = 8;

type SubsetCache = [Vec<(Vec<u16>, Arc<Subset>)>; 7];

static SUBSETS: Mutex<SubsetCache> = Mutex::new([const { Vec::new() }; 7]);

/// `key` cut down to `gids` (glyph 0, .notdef, is always kept), from the
/// cache or made now (module docs). `None` when the face cannot be subset;
/// the document then embeds it whole, as printpdf does.
pub(crate) fn subset(key: FontKey, gids: &BTreeSet<u16>) -> Option<Arc<Subset>> {
    let wanted: Vec<u16> = gids.iter().copied().collect();
    if let Ok(mut cache) = SUBSETS.lock() {
        let list = &mut cache[slot(key)];
        if let Some(at) = list.iter().position(|(g, _)| *g == wanted) {
            let hit = list.remove(at);
            let found = Arc::clone(&hit.1);
            list.insert(0, hit);
            return Some(found);
        }
    }
    let made = Arc::new(make_subset(key, gids)?);
    if let Ok(mut cache) = SUBSETS.lock() {
        let list = &mut cache[slot(key)];
        list.insert(0, (wanted, Arc::clone(&made)));
        list.truncate(SUBSETS_PER_FACE);
    }
    Some(made)
}

fn make_subset(key: FontKey, gids: &BTreeSet<u16>) -> Option<Subset> {
    let whole = parsed(key).ok()?;
    // printpdf's subsetter, as printpdf itself would call it when writing the
    // document (the texts are for its /ToUnicode, which printpdf still writes
    // from the page's glyphs; they play no part in the cut).
    let usage: BTreeMap<u16, String> = gids.iter().map(|g| (*g, String::new())).collect();
    let cut = printpdf::subset_font(whole, &usage).ok()?;
    let mut warnings = Vec::new();
    let mut font = ParsedFont::from_bytes(&cut.bytes, 0, &mut warnings)?;
    let resource = file(key).resource;
    let name = whole
        .font_name
        .clone()
        .unwrap_or_else(|| resource.to_string());
    font.font_name = Some(format!("{resource}+{name}"));
    // The descriptor's metrics that printpdf takes from the whole face when
    // it subsets (bounding box, weight for /StemV, slant, cap height): the
    // cut program has no OS/2 table to read them from.
    font.pdf_font_metrics = whole.pdf_font_metrics;
    font.font_metrics.cap_height = whole.font_metrics.cap_height;
    let len = cut
        .glyph_mapping
        .keys()
        .max()
        .map_or(0, |g| usize::from(*g) + 1);
    let mut gids = vec![0; len];
    for (old, (new, _)) in &cut.glyph_mapping {
        gids[usize::from(*old)] = *new;
    }
    Some(Subset {
        font,
        gids,
        program: cut.bytes,
        compressed: OnceLock::new(),
    })
}
