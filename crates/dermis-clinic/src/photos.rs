//! Clinical photos. An imported file is checked to be a JPEG or PNG image,
//! turned upright by its EXIF orientation, and re-encoded without any of its
//! metadata (location, camera serial numbers, dates — the encoder writes none),
//! so the stored copy carries pixels only. The copy and a thumbnail are stored
//! beside the database under their SHA-256 (inside the database for an
//! encrypted clinic, and on the clinic server); the row records the tags.
//!
//! Re-encoding a JPEG costs a little quality (quality 92 is kept); it is the
//! only way to be sure no metadata survives and that every viewer shows the
//! picture the right way up.
//!
//! Memory is bounded before decoding: the header's width × height × bytes
//! per pixel must fit [`IMAGE_MAX_DECODED_BYTES`] (the same limit the printed
//! documents use), so a small file claiming a huge picture costs nothing. A
//! photo larger than [`PHOTO_MAX_SIDE_PX`] on a side is downscaled to it.
//! Imports run one at a time (several large photos decoded at once would
//! add up). A file cut short (an interrupted copy) is refused rather than
//! stored with its missing part grey.

use crate::clinical::{not_found, require_patient};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use chrono::NaiveDate;
use dermis_core::ids;
use dermis_core::photo::{
    self, BeforeAfter, Photo, PhotoTags, IMAGE_MAX_DECODED_BYTES, PHOTO_MAX_SIDE_PX,
};
use dermis_store::NewPhoto;
use ids::{PatientId, PhotoId};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::Path;
use ts_rs::TS;

/// The largest photo file accepted.
pub const PHOTO_MAX_BYTES: usize = 50 * 1024 * 1024;
/// The longest side of a thumbnail, in pixels.
pub const THUMB_SIZE: u32 = 320;

/// Held while a photo is decoded and re-encoded: one import at a time.
static IMPORTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Importing a photo from a file on this computer (file dialog or drag-and-drop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhotoImport {
    pub path: String,
    pub tags: PhotoTags,
}

pub(crate) struct Processed {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
    pub thumb: Vec<u8>,
    pub camera_date: Option<NaiveDate>,
    pub sha256: String,
}

fn refuse(message: String) -> ClinicError {
    ClinicError::validation("file", message)
}

fn sniff(raw: &[u8]) -> Option<ImageFormat> {
    if raw.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if raw.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else {
        None
    }
}

fn is_heic(raw: &[u8]) -> bool {
    raw.len() >= 12
        && &raw[4..8] == b"ftyp"
        && matches!(
            &raw[8..12],
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1"
        )
}

/// The camera's "date taken", if the file says.
fn camera_date(raw: &[u8]) -> Option<NaiveDate> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(raw))
        .ok()?;
    let f = exif
        .get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY)
        .or_else(|| exif.get_field(exif::Tag::DateTime, exif::In::PRIMARY))?;
    let exif::Value::Ascii(ref v) = f.value else {
        return None;
    };
    let s = std::str::from_utf8(v.first()?).ok()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y:%m:%d").ok()
}

/// True when the file holds the whole picture: a JPEG's last scan is
/// followed by its end marker (inside a scan a 0xFF byte is always followed
/// by 0x00 or a restart marker, so FF D9 there can only be the end); a PNG
/// has its closing IEND chunk.
fn is_complete(format: ImageFormat, raw: &[u8]) -> bool {
    let find_last = |pat: &[u8]| raw.windows(pat.len()).rposition(|w| w == pat);
    match format {
        ImageFormat::Png => find_last(b"IEND\xaeB`\x82").is_some(),
        _ => match find_last(&[0xFF, 0xDA]) {
            Some(sos) => raw[sos..].windows(2).any(|w| w == [0xFF, 0xD9]),
            None => false,
        },
    }
}

fn encode(img: &DynamicImage, format: ImageFormat, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let r = match (format, img) {
        (ImageFormat::Png, _) => img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png),
        // Already 8-bit RGB: encoded as it is, without a second copy in memory.
        (_, DynamicImage::ImageRgb8(_)) => img.write_with_encoder(
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality),
        ),
        _ => {
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            rgb.write_with_encoder(enc)
        }
    };
    r.map_err(|e| ClinicError::Internal(format!("cannot encode the photo: {e}")))?;
    Ok(out)
}

/// Checks and cleans one photo file; nothing is stored here.
pub(crate) fn process(file_name: &str, raw: &[u8]) -> Result<Processed> {
    let name = if file_name.trim().is_empty() {
        "The file"
    } else {
        file_name
    };
    if raw.len() > PHOTO_MAX_BYTES {
        return Err(refuse(format!(
            "{name} is too large ({} MB); the limit is {} MB.",
            raw.len() / (1024 * 1024),
            PHOTO_MAX_BYTES / (1024 * 1024)
        )));
    }
    let Some(format) = sniff(raw) else {
        return Err(refuse(if is_heic(raw) {
            format!("{name} is a HEIC photo, which Dermis cannot read yet: export it as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible) and import that. Nothing was imported.")
        } else {
            format!("{name} is not a JPEG or PNG image. Nothing was imported.")
        }));
    };
    let damaged = |e: image::ImageError| {
        refuse(format!(
            "{name} cannot be read as an image ({e}); it may be damaged. Nothing was imported."
        ))
    };
    if !is_complete(format, raw) {
        return Err(refuse(format!(
            "{name} cannot be imported: the file is incomplete (it ends before the picture does; was the copy interrupted?). Nothing was imported."
        )));
    }
    let mut reader = ImageReader::with_format(Cursor::new(raw), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(IMAGE_MAX_DECODED_BYTES + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    // Checked from the header, before a single pixel is decoded.
    let (w, h) = decoder.dimensions();
    if decoder.total_bytes() > IMAGE_MAX_DECODED_BYTES || w == 0 || h == 0 {
        return Err(refuse(format!(
            "{name} is too large a picture ({w} × {h} pixels); the limit is {} megapixels. Save it smaller and import that. Nothing was imported.",
            IMAGE_MAX_DECODED_BYTES / 3 / 1_000_000
        )));
    }
    let orientation = decoder.orientation().map_err(damaged)?;
    let _one_at_a_time = IMPORTING.lock().unwrap_or_else(|p| p.into_inner());
    let mut img = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    if img.width().max(img.height()) > PHOTO_MAX_SIDE_PX {
        img = img.thumbnail(PHOTO_MAX_SIDE_PX, PHOTO_MAX_SIDE_PX);
    }
    img.apply_orientation(orientation);
    let (ext, mime, quality) = match format {
        ImageFormat::Png => ("png", "image/png", 0),
        _ => ("jpg", "image/jpeg", 92),
    };
    let bytes = encode(&img, format, quality)?;
    let thumb = encode(
        &img.thumbnail(THUMB_SIZE, THUMB_SIZE),
        ImageFormat::Jpeg,
        80,
    )?;
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Processed {
        width: img.width(),
        height: img.height(),
        bytes,
        mime,
        ext,
        thumb,
        camera_date: camera_date(raw),
        sha256,
    })
}

fn ext_of(mime: &str) -> &'static str {
    if mime == "image/png" {
        "png"
    } else {
        "jpg"
    }
}

impl Clinic {
    /// Imports a photo for a patient: checked, turned upright, stripped of
    /// metadata, stored content-addressed with a thumbnail, and tagged. A file
    /// that is not an image is refused and nothing is stored.
    pub fn import_photo(
        &self,
        actor: &Actor,
        patient_id: PatientId,
        file_name: &str,
        raw: &[u8],
        tags: &PhotoTags,
    ) -> Result<Photo> {
        self.allow(actor, Action::RecordClinical)?;
        let today = self.today();
        let now = self.now();
        let p = process(file_name, raw)?;
        let taken_on = photo::validate_tags(tags, p.camera_date, today)?;
        let mut store = self.store()?;
        // Links must point into this patient's record before anything is written.
        store.read(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            crate::clinical::require_born_by(tx, patient_id.0, "taken_on", "Photo date", taken_on)?;
            if let Some(id) = tags.session_record_id {
                tx.session_record(id.0)?
                    .filter(|r| r.patient_id == patient_id)
                    .ok_or_else(|| {
                        ClinicError::validation(
                            "session_record_id",
                            "Choose one of this patient's sessions.",
                        )
                    })?;
            }
            if let Some(id) = tags.assessment_id {
                tx.assessment(id.0)?
                    .filter(|a| a.patient_id == patient_id)
                    .ok_or_else(|| {
                        ClinicError::validation(
                            "assessment_id",
                            "Choose one of this patient's assessments.",
                        )
                    })?;
            }
            Ok(())
        })?;
        // An encrypted clinic keeps the picture inside its database (see
        // dermis-store files.rs): the picture and its row in one transaction.
        // Files beside a plaintext database are written first (a file whose
        // row never lands is harmless: its name is its content).
        let in_db = store.is_encrypted();
        if !in_db {
            store.put_photo_files(&p.sha256, p.ext, &p.bytes, &p.thumb)?;
        }
        store.write(|tx| -> Result<_> {
            if in_db {
                tx.put_photo_files(&p.sha256, p.ext, &p.bytes, &p.thumb)?;
            }
            let id = tx.insert_photo(
                &NewPhoto {
                    patient_id: patient_id.0,
                    sha256: &p.sha256,
                    mime: p.mime,
                    width: p.width,
                    height: p.height,
                    bytes: p.bytes.len() as u64,
                    taken_on,
                    area: tags.area,
                    angle: tags.angle,
                    session_record_id: tags.session_record_id.map(|i| i.0),
                    assessment_id: tags.assessment_id.map(|i| i.0),
                },
                actor.user_id,
                &now,
            )?;
            let detail = serde_json::json!({ "photo": id, "sha256": p.sha256 }).to_string();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "photo.import",
                "patient",
                &patient_id.to_string(),
                &detail,
            ))?;
            tx.photo(id)?.ok_or_else(|| not_found("Photo", id))
        })
    }

    /// Imports a photo from a file on this computer.
    pub fn import_photo_file(
        &self,
        actor: &Actor,
        patient_id: PatientId,
        import: &PhotoImport,
    ) -> Result<Photo> {
        self.allow(actor, Action::RecordClinical)?;
        let path = Path::new(&import.path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let meta = std::fs::metadata(path)
            .map_err(|e| refuse(format!("{} cannot be opened: {e}.", import.path)))?;
        if !meta.is_file() {
            return Err(refuse(format!("{} is not a file.", import.path)));
        }
        if meta.len() > PHOTO_MAX_BYTES as u64 {
            return Err(refuse(format!(
                "{name} is too large ({} MB); the limit is {} MB.",
                meta.len() / (1024 * 1024),
                PHOTO_MAX_BYTES / (1024 * 1024)
            )));
        }
        let raw = std::fs::read(path)
            .map_err(|e| refuse(format!("{} cannot be read: {e}.", import.path)))?;
        self.import_photo(actor, patient_id, &name, &raw, &import.tags)
    }

    /// A patient's photos, newest first (the read is audited).
    pub fn photos(&self, actor: &Actor, patient_id: PatientId) -> Result<Vec<Photo>> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        self.store()?.write(|tx| -> Result<_> {
            require_patient(tx, patient_id.0)?;
            let list = tx.photos(patient_id.0)?;
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "photo.read",
                "patient",
                &patient_id.to_string(),
                "",
            ))?;
            Ok(list)
        })
    }

    /// The before/after pairs: the first and the latest photo of each area and angle.
    pub fn before_after(&self, actor: &Actor, patient_id: PatientId) -> Result<Vec<BeforeAfter>> {
        Ok(photo::before_after_pairs(&self.photos(actor, patient_id)?))
    }

    /// A stored photo's bytes (or its thumbnail's) and their MIME type.
    pub fn photo_bytes(
        &self,
        actor: &Actor,
        photo_id: PhotoId,
        thumb: bool,
    ) -> Result<(String, Vec<u8>)> {
        self.allow(actor, Action::ReadClinical)?;
        let now = self.now();
        let mut store = self.store()?;
        let p = store
            .read(|tx| tx.photo(photo_id.0))?
            .ok_or_else(|| not_found("Photo", photo_id.0))?;
        let bytes = store.read_photo_file(&p.sha256, ext_of(&p.mime), thumb)?;
        // Every view of a photo is a clinical read: audited by photo id.
        let detail = serde_json::json!({ "photo": photo_id, "thumb": thumb }).to_string();
        store.write(|tx| {
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "photo.view",
                "patient",
                &p.patient_id.to_string(),
                &detail,
            ))
        })?;
        let mime = if thumb {
            "image/jpeg".to_string()
        } else {
            p.mime
        };
        Ok((mime, bytes))
    }

    /// Removes a photo from the patient's record (admin or practitioner; audited).
    /// The file itself goes once no photo row refers to it (the same picture
    /// may be in another patient's record).
    pub fn delete_photo(&self, actor: &Actor, photo_id: PhotoId) -> Result<()> {
        self.allow(actor, Action::DeletePhoto)?;
        let now = self.now();
        let mut store = self.store()?;
        let (sha, mime, in_use) = store.write(|tx| -> Result<_> {
            let p = tx
                .photo(photo_id.0)?
                .ok_or_else(|| not_found("Photo", photo_id.0))?;
            let (sha, mime) = tx
                .delete_photo(photo_id.0)?
                .ok_or_else(|| not_found("Photo", photo_id.0))?;
            let detail = serde_json::json!({ "photo": photo_id, "sha256": sha }).to_string();
            tx.append_audit(&actor.audit_entry(
                now.clone(),
                "photo.delete",
                "patient",
                &p.patient_id.to_string(),
                &detail,
            ))?;
            let in_use = tx.photo_file_in_use(&sha)?;
            Ok((sha, mime, in_use))
        })?;
        if !in_use && (store.path().is_some() || store.is_server()) {
            store.remove_photo_files(&sha, ext_of(&mime))?;
        }
        Ok(())
    }
}
