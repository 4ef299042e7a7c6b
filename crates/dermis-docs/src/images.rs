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
/// Largest image we agree to decode.
const MAX_DIMENSION: u32 = 12_000;

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
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| format!("it cannot be read ({e})"))?;
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
        img.resize(max_px, max_px, image::imageops::FilterType::Triangle)
    }
}

/// A logo ready for printpdf (lossless, alpha kept).
pub(crate) fn prepare_logo(bytes: &[u8]) -> Result<printpdf::RawImage, DocsError> {
    let (img, _) = decode(bytes).map_err(|reason| DocsError::InvalidLogo { reason })?;
    let img = downscale(img, LOGO_MAX_PX);
    let img = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    };
    printpdf::RawImage::from_dynamic_image(img).map_err(|reason| DocsError::InvalidLogo { reason })
}

/// A photo ready to embed: JPEG bytes and pixel size.
#[derive(Debug)]
pub(crate) struct JpegPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

pub(crate) fn prepare_photo(which: &str, bytes: &[u8]) -> Result<JpegPhoto, DocsError> {
    let invalid = |reason: String| DocsError::InvalidPhoto {
        which: which.to_string(),
        reason,
    };
    let (img, _) = decode(bytes).map_err(invalid)?;
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
