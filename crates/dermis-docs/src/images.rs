//! Logos and photos: checked, downscaled, and made ready to embed.
//!
//! Only PNG and JPEG are accepted (what the app lets a clinic upload). Images
//! are decoded with limits (no decompression bombs) and scaled down to what
//! the printed box needs at about 300 dpi, so a 12-megapixel phone photo does
//! not make a 30 MB PDF. Logos keep lossless pixels (Flate, with their alpha
//! channel); photos are re-encoded as JPEG and embedded as a DCT stream.

use std::io::Cursor;

use image::{DynamicImage, GenericImageView, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};

use crate::error::DocsError;

/// What [`validate_logo`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    pub width: u32,
    pub height: u32,
    /// "PNG" or "JPEG".
    pub format: &'static str,
}

/// Longest side of an embedded logo, in pixels (a 45 mm wide box at ~300 dpi).
const LOGO_MAX_PX: u32 = 600;
/// Longest side of an embedded photo, in pixels (an ~80 mm box at ~300 dpi).
const PHOTO_MAX_PX: u32 = 1000;
/// Largest image we agree to decode: the same limit as photo import
/// (dermis-core's one constant), so every stored photo can be printed.
const MAX_DIMENSION: u32 = dermis_core::photo::PHOTO_MAX_SIDE_PX;

fn describe_non_image(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "the file is empty".to_string();
    }
    let head = &bytes[..bytes.len().min(512)];
    let textual = head
        .iter()
        .all(|&b| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80);
    if textual && std::str::from_utf8(head).is_ok() {
        "the file is text, not a picture".to_string()
    } else {
        "the file is not a PNG or JPEG picture".to_string()
    }
}

/// Decodes PNG or JPEG bytes with limits; the error is a sentence fragment.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, ImageFormat), String> {
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        Ok(other) => {
            return Err(format!(
                "it is a {other:?} picture; only PNG and JPEG are supported"
            ))
        }
        Err(_) => return Err(describe_non_image(bytes)),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(dermis_core::photo::IMAGE_MAX_DECODED_BYTES + 64 * 1024 * 1024);
    reader.limits(limits);
    let decoder = reader
        .into_decoder()
        .map_err(|e| format!("it cannot be read ({e})"))?;
    // The pixels' memory, from the header, before decoding.
    if image::ImageDecoder::total_bytes(&decoder) > dermis_core::photo::IMAGE_MAX_DECODED_BYTES {
        let (w, h) = image::ImageDecoder::dimensions(&decoder);
        return Err(format!("it is too large a picture ({w} × {h} pixels)"));
    }
    let img =
        DynamicImage::from_decoder(decoder).map_err(|e| format!("it cannot be read ({e})"))?;
    if img.width() == 0 || img.height() == 0 {
        return Err("it has no pixels".to_string());
    }
    Ok((img, format))
}

fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Png => "PNG",
        _ => "JPEG",
    }
}

/// Checks a logo before Settings stores it: a PNG or JPEG that decodes.
pub fn validate_logo(bytes: &[u8]) -> Result<ImageInfo, DocsError> {
    let (img, format) = decode(bytes).map_err(|reason| DocsError::InvalidLogo { reason })?;
    Ok(ImageInfo {
        width: img.width(),
        height: img.height(),
        format: format_name(format),
    })
}

fn downscale(img: DynamicImage, max_px: u32) -> DynamicImage {
    let (w, h) = img.dimensions();
    if w.max(h) <= max_px {
        img
    } else {
        // `thumbnail` is a fast area-averaging downscale, good for photos
        // shrunk by 1.5x or more.
        img.thumbnail(max_px, max_px)
    }
}

/// A logo ready to embed: Flate-compressed 8-bit RGB pixels and, when the
/// logo has transparency, a Flate-compressed alpha mask.
#[derive(Debug)]
pub(crate) struct PreparedLogo {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

fn prepare_logo_uncached(bytes: &[u8]) -> Result<PreparedLogo, DocsError> {
    let invalid = |reason: String| DocsError::InvalidLogo { reason };
    let (img, _) = decode(bytes).map_err(invalid)?;
    let img = downscale(img, LOGO_MAX_PX);
    let (width, height) = img.dimensions();
    let rgba = img.to_rgba8();
    let opaque = rgba.pixels().all(|p| p.0[3] == 255);
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    let mut alpha = Vec::with_capacity((width * height) as usize);
    for p in rgba.pixels() {
        rgb.extend_from_slice(&p.0[..3]);
        alpha.push(p.0[3]);
    }
    Ok(PreparedLogo {
        width,
        height,
        rgb: deflate(&rgb).map_err(invalid)?,
        alpha: if opaque {
            None
        } else {
            Some(deflate(&alpha).map_err(invalid)?)
        },
    })
}

/// The prepared logo, from a small process-wide cache: a clinic prints
/// every sheet with the same logo, so it is decoded and compressed once.
pub(crate) fn prepare_logo(
    hash: [u8; 32],
    bytes: &[u8],
) -> Result<std::sync::Arc<PreparedLogo>, DocsError> {
    use std::sync::{Arc, Mutex, OnceLock};
    type Cache = Mutex<Vec<([u8; 32], Arc<PreparedLogo>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(entries) = cache.lock() {
        if let Some((_, logo)) = entries.iter().find(|(h, _)| *h == hash) {
            return Ok(logo.clone());
        }
    }
    let logo = Arc::new(prepare_logo_uncached(bytes)?);
    if let Ok(mut entries) = cache.lock() {
        if entries.len() >= 4 {
            entries.remove(0);
        }
        entries.push((hash, logo.clone()));
    }
    Ok(logo)
}

/// A photo ready to embed: JPEG bytes and pixel size.
#[derive(Debug)]
pub(crate) struct JpegPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub grey: bool,
}

/// A JPEG that can go into the PDF as it is: baseline or progressive RGB or
/// grey, not rotated by EXIF, not much larger than the box needs.
fn jpeg_as_is(bytes: &[u8]) -> Option<JpegPhoto> {
    use image::ImageDecoder;
    if image::guess_format(bytes).ok()? != ImageFormat::Jpeg {
        return None;
    }
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes)).ok()?;
    let (width, height) = decoder.dimensions();
    let plain_colour = matches!(
        decoder.color_type(),
        image::ColorType::Rgb8 | image::ColorType::L8
    );
    let upright = matches!(
        decoder.orientation(),
        Ok(image::metadata::Orientation::NoTransforms)
    );
    (plain_colour
        && upright
        && complete_jpeg(bytes)
        && width.max(height) <= PHOTO_MAX_PX * 3 / 2
        && width > 0
        && height > 0)
        .then(|| JpegPhoto {
            jpeg: bytes.to_vec(),
            width,
            height,
            grey: decoder.color_type() == image::ColorType::L8,
        })
}

/// Whether the image data ends: an end-of-image marker (FF D9) after the
/// last start-of-scan (FF DA). Inside scan data every FF is followed by 00 or
/// a restart marker, so a truncated file has none. (A decoder would accept
/// it and fill the missing part with grey.)
fn complete_jpeg(bytes: &[u8]) -> bool {
    let Some(sos) = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9])
}

pub(crate) fn prepare_photo(which: &str, bytes: &[u8]) -> Result<JpegPhoto, DocsError> {
    let invalid = |reason: String| DocsError::InvalidPhoto {
        which: which.to_string(),
        reason,
    };
    if let Some(photo) = jpeg_as_is(bytes) {
        return Ok(photo);
    }
    let orientation = image::guess_format(bytes)
        .ok()
        .filter(|f| *f == ImageFormat::Jpeg)
        .and_then(|_| {
            use image::ImageDecoder;
            image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes))
                .ok()
                .and_then(|mut d| d.orientation().ok())
        });
    let (mut img, _) = decode(bytes).map_err(invalid)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let rgb = downscale(img, PHOTO_MAX_PX).to_rgb8();
    let (width, height) = rgb.dimensions();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&rgb)
        .map_err(|e| invalid(format!("it cannot be re-encoded ({e})")))?;
    Ok(JpegPhoto {
        jpeg,
        width,
        height,
        grey: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 40, 90, 255]));
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_png_logo_is_accepted() {
        let info = validate_logo(&png(40, 20)).unwrap();
        assert_eq!((info.width, info.height, info.format), (40, 20, "PNG"));
    }

    #[test]
    fn text_is_refused_as_a_logo_with_a_clear_reason() {
        let err = validate_logo(b"hello, I am not a picture").unwrap_err();
        assert!(matches!(err, DocsError::InvalidLogo { .. }));
        let msg = err.to_string();
        assert!(msg.contains("logo"), "{msg}");
        assert!(msg.contains("text"), "{msg}");
    }

    #[test]
    fn empty_and_truncated_files_are_refused() {
        assert!(validate_logo(b"")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        let mut half = png(40, 20);
        half.truncate(half.len() / 2);
        assert!(matches!(
            validate_logo(&half),
            Err(DocsError::InvalidLogo { .. })
        ));
    }

    #[test]
    fn a_small_upright_jpeg_is_embedded_as_it_is() {
        let jpeg = crate::samples::photo_jpeg(400, 300, 2);
        let p = prepare_photo("first", &jpeg).unwrap();
        assert_eq!(p.jpeg, jpeg);
        assert_eq!((p.width, p.height), (400, 300));
        // A truncated file is not passed through (it is decoded, which
        // either fails or re-encodes what is there).
        let mut cut = jpeg.clone();
        cut.truncate(jpeg.len() / 3);
        assert!(!complete_jpeg(&cut));
        assert!(prepare_photo("first", &cut).map_or(true, |p| p.jpeg != cut));
    }

    #[test]
    fn logos_are_cached_and_keep_transparency() {
        let bytes = crate::samples::logo_png();
        let hash = [7u8; 32];
        let a = prepare_logo(hash, &bytes).unwrap();
        let b = prepare_logo(hash, &bytes).unwrap();
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        assert!(a.alpha.is_some());
    }

    #[test]
    fn big_photos_are_scaled_down() {
        let p = prepare_photo("first", &png(2400, 1200)).unwrap();
        assert_eq!((p.width, p.height), (1000, 500));
        assert_eq!(&p.jpeg[..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn a_bad_photo_names_which_one() {
        let err = prepare_photo("latest", b"GIF89a....").unwrap_err();
        assert!(err.to_string().contains("latest"), "{err}");
    }
}
