//! Pages, drawing and the deterministic PDF writer.
//!
//! Layout code works in millimetres from the top-left corner of the page (as
//! one reads a page); this module converts to PDF points from the bottom-left.
//!
//! Determinism: printpdf gives fonts, images and the trailer /ID random ids
//! (a process-wide counter). Here every resource id is fixed (fonts, see
//! [`crate::fonts`]) or numbered in insertion order (images); the document
//! /ID is the SHA-256 of the file written without it; the creation and
//! modification dates are the input's generated-on date at 00:00 UTC. So the
//! same input gives the same bytes, in one process or across runs.
//!
//! Right-to-left pages: a page made with `mirrored` set (an Arabic document)
//! flips every horizontal position here, in one place, so the layout code is
//! written once: a box at `x` from the left edge is drawn at `x` from the
//! right edge, "left" alignment becomes "right", the accent bar of a panel
//! moves to its right side, bullets hang on the right, table columns run
//! right to left and the chart's time axis runs right to left. Glyphs are not
//! mirrored: each line is already shaped and ordered by [`crate::text`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use printpdf::{
    Codepoint, Color, DictItem, ExternalStream, ExternalXObject, FontEmbeddingMode, FontId,
    Line as PdfLine, LinePoint, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, PrintpdfFontMeta, Pt, Px, Rect, Rgb, TextItem,
    TextMatrix, TextRenderingMode, WindingOrder, XObject, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};

use crate::error::DocsError;
use crate::fonts::{self, FontKey};
use crate::images;
use crate::model::PaperSize;
use crate::text::Line;

/// Points per millimetre.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

pub(crate) fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

pub(crate) fn to_mm(pt: f32) -> f32 {
    pt / PT_PER_MM
}

/// An RGB colour, 0–255 per channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb8(pub u8, pub u8, pub u8);

impl Rgb8 {
    fn color(self) -> Color {
        Color::Rgb(Rgb::new(
            f32::from(self.0) / 255.0,
            f32::from(self.1) / 255.0,
            f32::from(self.2) / 255.0,
            None,
        ))
    }
}

/// The house style.
pub(crate) mod style {
    use super::Rgb8;
    pub const INK: Rgb8 = Rgb8(0x1f, 0x29, 0x33);
    pub const MUTED: Rgb8 = Rgb8(0x5b, 0x67, 0x73);
    pub const ACCENT: Rgb8 = Rgb8(0x0f, 0x6e, 0x6e);
    pub const ACCENT_LIGHT: Rgb8 = Rgb8(0xe6, 0xf2, 0xf1);
    pub const RULE: Rgb8 = Rgb8(0xc9, 0xd1, 0xd6);
    pub const ZEBRA: Rgb8 = Rgb8(0xf4, 0xf6, 0xf7);
    pub const WARN_BG: Rgb8 = Rgb8(0xfd, 0xf3, 0xe1);
    pub const WARN_EDGE: Rgb8 = Rgb8(0xc7, 0x7c, 0x02);
    pub const WHITE: Rgb8 = Rgb8(0xff, 0xff, 0xff);
}

/// An image placed in the document, with its pixel size.
#[derive(Debug, Clone)]
pub(crate) struct ImageRef {
    pub id: XObjectId,
    pub width: u32,
    pub height: u32,
}

/// One page being drawn.
pub(crate) struct Page {
    /// Size in mm.
    pub width: f32,
    pub height: f32,
    /// Right to left: every horizontal position is measured from the right edge.
    pub mirrored: bool,
    ops: Vec<Op>,
}

impl Page {
    fn y(&self, top_mm: f32) -> f32 {
        mm(self.height - top_mm)
    }

    /// The left edge on paper of a box `w` wide at `x` in layout coordinates.
    fn bx(&self, x: f32, w: f32) -> f32 {
        if self.mirrored {
            self.width - x - w
        } else {
            x
        }
    }

    /// A point's x on paper.
    fn px(&self, x: f32) -> f32 {
        if self.mirrored {
            self.width - x
        } else {
            x
        }
    }

    /// Fills a rectangle (mm, top-left origin).
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb8) {
        let x = self.bx(x, w);
        self.ops.push(Op::SetFillColor { col: color.color() });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(mm(x)),
                y: Pt(self.y(y + h)),
                width: Pt(mm(w)),
                height: Pt(mm(h)),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// Strokes a rectangle outline.
    pub fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb8, width_pt: f32) {
        let x = self.bx(x, w);
        self.ops.push(Op::SetOutlineColor { col: color.color() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(mm(x)),
                y: Pt(self.y(y + h)),
                width: Pt(mm(w)),
                height: Pt(mm(h)),
                mode: Some(PaintMode::Stroke),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A straight line or polyline through `points` (mm).
    pub fn polyline(&mut self, points: &[(f32, f32)], color: Rgb8, width_pt: f32) {
        if points.len() < 2 {
            return;
        }
        self.ops.push(Op::SetOutlineColor { col: color.color() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
        let pts = points
            .iter()
            .map(|&(x, y)| LinePoint {
                p: Point {
                    x: Pt(mm(self.px(x))),
                    y: Pt(self.y(y)),
                },
                bezier: false,
            })
            .collect();
        self.ops.push(Op::DrawLine {
            line: PdfLine {
                points: pts,
                is_closed: false,
            },
        });
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, color: Rgb8, width_pt: f32) {
        self.polyline(&[(x1, y), (x2, y)], color, width_pt);
    }

    /// A filled disc (chart points), drawn as four Bézier arcs.
    pub fn disc(&mut self, cx: f32, cy: f32, r: f32, color: Rgb8) {
        const K: f32 = 0.552_284_8;
        let (cx, cy, r) = (mm(self.px(cx)), self.y(cy), mm(r));
        let p = |x: f32, y: f32, bezier: bool| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier,
        };
        let k = K * r;
        let points = vec![
            p(cx + r, cy, false),
            p(cx + r, cy + k, true),
            p(cx + k, cy + r, true),
            p(cx, cy + r, false),
            p(cx - k, cy + r, true),
            p(cx - r, cy + k, true),
            p(cx - r, cy, false),
            p(cx - r, cy - k, true),
            p(cx - k, cy - r, true),
            p(cx, cy - r, false),
            p(cx + k, cy - r, true),
            p(cx + r, cy - k, true),
            p(cx + r, cy, false),
        ];
        self.ops.push(Op::SetFillColor { col: color.color() });
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// Draws an image into the box (mm), keeping its aspect ratio, centred.
    /// Returns the drawn rectangle (x, y, w, h).
    pub fn image_fit(
        &mut self,
        img: &ImageRef,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    ) -> (f32, f32, f32, f32) {
        let iw = img.width.max(1) as f32;
        let ih = img.height.max(1) as f32;
        let scale = (w / iw).min(h / ih);
        let (dw, dh) = (iw * scale, ih * scale);
        let (dx, dy) = (x + (w - dw) / 2.0, y + (h - dh) / 2.0);
        let paper_x = self.bx(dx, dw);
        self.ops.push(Op::UseXobject {
            id: img.id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Pt(mm(paper_x))),
                translate_y: Some(Pt(self.y(dy + dh))),
                rotate: None,
                scale_x: Some(mm(dw)),
                scale_y: Some(mm(dh)),
                dpi: None,
                no_auto_scale: true,
            },
        });
        (dx, dy, dw, dh)
    }
}

/// How a line of text is aligned in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
    /// Right for right-to-left paragraphs (and on mirrored pages), left otherwise.
    Start,
}

/// A document being built: pages, the fonts and images they use.
#[derive(Default)]
pub(crate) struct DocBuilder {
    pages: Vec<PdfPage>,
    /// The glyphs drawn in each face (whole-face glyph ids).
    glyphs_used: BTreeMap<FontKey, BTreeSet<u16>>,
    /// The /ToUnicode text of each glyph, first meaning wins (printpdf keeps
    /// one string per glyph; a glyph that is the second part of a cluster
    /// must not erase the text another use gave it).
    glyph_text: HashMap<(FontKey, u16), String>,
    images: BTreeMap<String, XObject>,
    image_by_hash: HashMap<[u8; 32], ImageRef>,
}

impl DocBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new page; `mirrored` for a right-to-left language.
    pub fn page_in(&self, paper: PaperSize, mirrored: bool) -> Page {
        let (width, height) = paper.size_mm();
        Page {
            width,
            height,
            mirrored,
            ops: Vec::new(),
        }
    }

    pub fn finish_page(&mut self, page: Page) {
        self.pages.push(PdfPage::new(
            printpdf::Mm(page.width),
            printpdf::Mm(page.height),
            page.ops,
        ));
    }

    /// Adds (once per distinct bytes) the clinic logo.
    pub fn logo(&mut self, bytes: &[u8]) -> Result<ImageRef, DocsError> {
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        if let Some(r) = self.image_by_hash.get(&hash) {
            return Ok(r.clone());
        }
        let logo = images::prepare_logo(hash, bytes)?;
        let mut dict = image_dict(logo.width, logo.height, "DeviceRGB", "FlateDecode");
        if let Some(alpha) = &logo.alpha {
            dict.insert(
                "SMask".into(),
                DictItem::Stream {
                    stream: ExternalStream {
                        dict: image_dict(logo.width, logo.height, "DeviceGray", "FlateDecode"),
                        content: alpha.clone(),
                        compress: false,
                    },
                },
            );
        }
        Ok(self.add_image(hash, logo.width, logo.height, dict, logo.rgb.clone()))
    }

    /// Adds a treatment photo (JPEG, see [`crate::images`]).
    pub fn photo(&mut self, which: &str, bytes: &[u8]) -> Result<ImageRef, DocsError> {
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        if let Some(r) = self.image_by_hash.get(&hash) {
            return Ok(r.clone());
        }
        let p = images::prepare_photo(which, bytes)?;
        let space = if p.grey { "DeviceGray" } else { "DeviceRGB" };
        let dict = image_dict(p.width, p.height, space, "DCTDecode");
        Ok(self.add_image(hash, p.width, p.height, dict, p.jpeg))
    }

    fn add_image(
        &mut self,
        hash: [u8; 32],
        width: u32,
        height: u32,
        dict: BTreeMap<String, DictItem>,
        content: Vec<u8>,
    ) -> ImageRef {
        let r = ImageRef {
            id: XObjectId(format!("Im{}", self.images.len() + 1)),
            width,
            height,
        };
        let xobj = ExternalXObject {
            stream: ExternalStream {
                dict,
                content,
                compress: false,
            },
            width: Some(Px(width as usize)),
            height: Some(Px(height as usize)),
            dpi: None,
        };
        self.images.insert(r.id.0.clone(), XObject::External(xobj));
        self.image_by_hash.insert(hash, r.clone());
        r
    }

    /// Draws a shaped line with its start edge at `x` (mm: its left edge, or
    /// on a mirrored page its right edge at `x` from the right) and its
    /// baseline at `baseline` (mm from the top), at `size` pt.
    pub fn text_at(
        &mut self,
        page: &mut Page,
        line: &Line,
        x: f32,
        baseline: f32,
        size: f32,
        color: Rgb8,
    ) {
        let paper_x = page.bx(x, to_mm(line.width_at(size)));
        self.draw_line(page, line, paper_x, baseline, size, color);
    }

    /// Draws a line with its left edge at `x` mm from the paper's left edge.
    fn draw_line(
        &mut self,
        page: &mut Page,
        line: &Line,
        x: f32,
        baseline: f32,
        size: f32,
        color: Rgb8,
    ) {
        if line.glyphs.is_empty() {
            return;
        }
        let x0 = mm(x);
        let y0 = page.y(baseline);
        let ops = &mut page.ops;
        ops.push(Op::SetFillColor { col: color.color() });
        ops.push(Op::StartTextSection);
        let mut current_font: Option<FontKey> = None;
        let mut embolden = false;
        let mut run: Vec<Codepoint> = Vec::new();
        let mut run_start: Option<(f32, f32)> = None;

        let flush =
            |ops: &mut Vec<Op>, run: &mut Vec<Codepoint>, start: &mut Option<(f32, f32)>| {
                if let Some((sx, sy)) = start.take() {
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(sx), Pt(sy)),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::GlyphIds(std::mem::take(run))],
                    });
                }
            };

        for g in &line.glyphs {
            if current_font != Some(g.font) {
                flush(ops, &mut run, &mut run_start);
                // Synthetic bold for faces without a bold cut: fill and
                // stroke the outline in the text colour.
                let fake_bold = line.bold && !fonts::has_bold(g.font);
                if fake_bold != embolden {
                    if fake_bold {
                        ops.push(Op::SetOutlineColor { col: color.color() });
                        ops.push(Op::SetOutlineThickness {
                            pt: Pt(size * 0.035),
                        });
                    }
                    ops.push(Op::SetTextRenderingMode {
                        mode: if fake_bold {
                            TextRenderingMode::FillStroke
                        } else {
                            TextRenderingMode::Fill
                        },
                    });
                    embolden = fake_bold;
                }
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(fonts::font_id(g.font)),
                    size: Pt(size),
                });
                current_font = Some(g.font);
            }
            self.glyphs_used.entry(g.font).or_default().insert(g.gid);
            let text = {
                let entry = self.glyph_text.entry((g.font, g.gid));
                match entry {
                    std::collections::hash_map::Entry::Occupied(o) => o.get().clone(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        if g.text.is_empty() {
                            String::new()
                        } else {
                            v.insert(g.text.clone()).clone()
                        }
                    }
                }
            };
            // The advance the PDF viewer will apply (the /W width printpdf
            // writes: hmtx scaled to 1000/em and truncated), and the
            // correction that makes it the shaped advance.
            let pdf_width = fonts::shaper(g.font)
                .ok()
                .and_then(|s| {
                    s.face
                        .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(g.gid))
                        .map(|a| (f32::from(a) * 1000.0 / s.upm).trunc())
                })
                .unwrap_or(0.0);
            let offset = pdf_width - g.adv * 1000.0;
            let displaced = g.x_off != 0.0 || g.y_off != 0.0;
            if displaced {
                flush(ops, &mut run, &mut run_start);
                run_start = Some((x0 + (g.x + g.x_off) * size, y0 + g.y_off * size));
                run.push(Codepoint {
                    gid: g.gid,
                    offset: 0.0,
                    cid: Some(text),
                });
                flush(ops, &mut run, &mut run_start);
                continue;
            }
            if run_start.is_none() {
                run_start = Some((x0 + g.x * size, y0));
            }
            run.push(Codepoint {
                gid: g.gid,
                offset: if offset.abs() < 0.01 { 0.0 } else { offset },
                cid: Some(text),
            });
        }
        flush(ops, &mut run, &mut run_start);
        if embolden {
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
        ops.push(Op::EndTextSection);
    }

    /// Draws a line aligned in the box `[x, x + w]`.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        page: &mut Page,
        line: &Line,
        x: f32,
        w: f32,
        baseline: f32,
        size: f32,
        color: Rgb8,
        align: Align,
    ) {
        let lw = to_mm(line.width_at(size));
        // The box on paper, and the alignment on paper: on a mirrored page
        // the layout's "left" is the reader's start side, the right.
        let x = page.bx(x, w);
        let align = match (page.mirrored, align) {
            (true, Align::Left | Align::Start) => Align::Right,
            (true, Align::Right) => Align::Left,
            (_, a) => a,
        };
        let left = match align {
            Align::Left => x,
            Align::Right => x + w - lw,
            Align::Center => x + (w - lw) / 2.0,
            Align::Start if line.rtl => x + w - lw,
            Align::Start => x,
        };
        self.draw_line(page, line, left, baseline, size, color);
    }

    /// Writes the PDF.
    pub fn finish(self, title: &str, generated_on: NaiveDate) -> Result<Vec<u8>, DocsError> {
        let mut doc = PdfDocument::new(title);
        let stamp = generated_on
            .and_hms_opt(0, 0, 0)
            .map(|d| d.and_utc().timestamp())
            .unwrap_or(0);
        let date = printpdf::OffsetDateTime::from_unix_timestamp(stamp)
            .map_err(|e| DocsError::Pdf(e.to_string()))?;
        let info = &mut doc.metadata.info;
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
        info.creator = "Dermis".to_string();
        info.producer = "Dermis (printpdf 0.12.8)".to_string();

        // Each face is embedded as its subset for this document's glyphs
        // (cut or taken from the cache, see `fonts::subset`), handed to
        // printpdf as a font to embed whole, and the pages' glyph ids are
        // renumbered to the subset's: what printpdf does when it subsets,
        // without cutting the same subset again for every sheet.
        let mut subsets: Vec<(FontId, Arc<fonts::Subset>)> = Vec::new();
        for (key, gids) in &self.glyphs_used {
            let id = fonts::font_id(*key);
            let font = match fonts::subset(*key, gids) {
                Some(subset) => {
                    let meta = PrintpdfFontMeta {
                        embedding_mode: FontEmbeddingMode::Full,
                        requires_subsetting: false,
                        ..PrintpdfFontMeta::default()
                    };
                    let font = PdfFont::with_meta(subset.font.clone(), meta);
                    subsets.push((id.clone(), subset));
                    font
                }
                // A face allsorts cannot cut: printpdf tries again and
                // embeds it whole if it fails too.
                None => PdfFont::new(fonts::parsed(*key)?.clone()),
            };
            doc.resources.fonts.map.insert(id, font);
        }
        for (id, xobj) in self.images {
            doc.resources.xobjects.map.insert(XObjectId(id), xobj);
        }
        let mut pages = self.pages;
        for page in &mut pages {
            renumber_glyphs(&mut page.ops, &subsets);
        }
        doc.pages = pages;

        let opts = PdfSaveOptions {
            optimize: true,
            subset_fonts: true,
            secure: true,
            // Images are embedded pre-encoded (see `logo` and `photo`).
            image_optimization: None,
        };
        let mut warnings = Vec::new();
        let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
        compress_streams(&mut lo, &subsets);
        // The file identifier is the SHA-256 of the document written with a
        // zero identifier, patched in place: one serialisation, not two, and
        // the same bytes for the same input.
        let zero = lopdf::Object::String(vec![0; 16], lopdf::StringFormat::Hexadecimal);
        lo.trailer
            .set("ID", lopdf::Object::Array(vec![zero.clone(), zero]));
        let mut out = Vec::new();
        lo.save_to(&mut out)
            .map_err(|e| DocsError::Pdf(e.to_string()))?;
        let digest = Sha256::digest(&out);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
        let placeholder = format!("<{}>", "0".repeat(32));
        let patched = (|| {
            let at = out
                .windows(placeholder.len())
                .rposition(|w| w == placeholder.as_bytes())?;
            let first = out[..at]
                .windows(placeholder.len())
                .rposition(|w| w == placeholder.as_bytes())?;
            for start in [first, at] {
                out[start + 1..start + 33].copy_from_slice(hex.as_bytes());
            }
            Some(())
        })();
        patched.ok_or_else(|| DocsError::Pdf("the file identifier was not written".into()))?;
        Ok(out)
    }
}

/// Renumbers the glyph ids of text drawn in a subset face to the subset's.
fn renumber_glyphs(ops: &mut [Op], subsets: &[(FontId, Arc<fonts::Subset>)]) {
    let mut current: Option<&fonts::Subset> = None;
    for op in ops {
        match op {
            Op::SetFont { font, .. } => {
                current = match font {
                    PdfFontHandle::External(id) => subsets
                        .iter()
                        .find(|(sid, _)| sid == id)
                        .map(|(_, s)| s.as_ref()),
                    PdfFontHandle::Builtin(_) => None,
                };
            }
            Op::ShowText { items } => {
                let Some(subset) = current else { continue };
                for item in items {
                    if let TextItem::GlyphIds(glyphs) = item {
                        for g in glyphs {
                            // Every drawn glyph is in its face's subset; 0
                            // (.notdef) as printpdf does for one that is not.
                            g.gid = subset.gids.get(usize::from(g.gid)).copied().unwrap_or(0);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Flate-compresses every stream that is not compressed yet, at the default
/// level (lopdf's own `compress` uses the slowest level for ~3% less).
///
/// One compressor serves every stream, made when the first stream needs it
/// and reset between streams (a reset clears some 300 KB of tables, more
/// than compressing a small stream costs). The streams that come back the
/// same from one document to the next are compressed once: a subset font
/// program is kept compressed with its subset, and the /ToUnicode map of a
/// subset in a small process-wide cache keyed by its exact bytes (the same
/// bytes give the same compressed bytes, so the output does not change).
fn compress_streams(doc: &mut lopdf::Document, subsets: &[(FontId, Arc<fonts::Subset>)]) {
    let mut z: Option<flate2::Compress> = None;
    for object in doc.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            let program = subsets
                .iter()
                .find(|(_, s)| s.program == stream.content)
                .map(|(_, s)| s);
            let compressed = match program {
                Some(s) => s
                    .compressed
                    .get_or_init(|| zlib(&mut z, &s.program))
                    .clone(),
                None if stream.content.starts_with(TO_UNICODE_START) => {
                    to_unicode_compressed(&mut z, &stream.content)
                }
                None => zlib(&mut z, &stream.content),
            };
            if let Some(compressed) = compressed {
                if compressed.len() + 19 < stream.content.len() {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(compressed);
                }
            }
        }
    }
}

/// How every /ToUnicode CMap printpdf writes begins.
const TO_UNICODE_START: &[u8] = b"/CIDInit /ProcSet findresource begin";

/// /ToUnicode maps kept compressed: a few per face in use.
const TO_UNICODE_KEPT: usize = 16;

/// A /ToUnicode map compressed, from the cache or now (see [`compress_streams`]).
fn to_unicode_compressed(z: &mut Option<flate2::Compress>, cmap: &[u8]) -> Option<Vec<u8>> {
    type Kept = Vec<(Vec<u8>, Vec<u8>)>;
    static KEPT: std::sync::Mutex<Kept> = std::sync::Mutex::new(Vec::new());
    if let Ok(mut kept) = KEPT.lock() {
        if let Some(at) = kept.iter().position(|(raw, _)| raw.as_slice() == cmap) {
            let hit = kept.remove(at);
            let compressed = hit.1.clone();
            kept.insert(0, hit);
            return Some(compressed);
        }
    }
    let compressed = zlib(z, cmap)?;
    if let Ok(mut kept) = KEPT.lock() {
        kept.insert(0, (cmap.to_vec(), compressed.clone()));
        kept.truncate(TO_UNICODE_KEPT);
    }
    Some(compressed)
}

/// `input` as one zlib stream, with the compressor made or reset first.
fn zlib(z: &mut Option<flate2::Compress>, input: &[u8]) -> Option<Vec<u8>> {
    let z = match z {
        Some(z) => {
            z.reset();
            z
        }
        None => z.insert(flate2::Compress::new(flate2::Compression::fast(), true)),
    };
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    loop {
        let consumed = usize::try_from(z.total_in()).ok()?;
        let rest = input.get(consumed..)?;
        match z.compress_vec(rest, &mut out, flate2::FlushCompress::Finish) {
            Ok(flate2::Status::StreamEnd) => return Some(out),
            Ok(_) => out.reserve(out.capacity().max(1024)),
            Err(_) => return None,
        }
    }
}

/// The dictionary of an 8-bit image XObject.
fn image_dict(width: u32, height: u32, space: &str, filter: &str) -> BTreeMap<String, DictItem> {
    let mut dict = BTreeMap::new();
    dict.insert("Type".into(), DictItem::Name(b"XObject".to_vec()));
    dict.insert("Subtype".into(), DictItem::Name(b"Image".to_vec()));
    dict.insert("Width".into(), DictItem::Int(i64::from(width)));
    dict.insert("Height".into(), DictItem::Int(i64::from(height)));
    dict.insert(
        "ColorSpace".into(),
        DictItem::Name(space.as_bytes().to_vec()),
    );
    dict.insert("BitsPerComponent".into(), DictItem::Int(8));
    dict.insert("Filter".into(), DictItem::Name(filter.as_bytes().to_vec()));
    dict
}
