//! Clinical photos: what the record keeps about each picture, and the
//! before/after pairs (the first and the latest photo of one area and angle).

use crate::assessment::TreatmentArea;
use crate::error::{Collector, ValidationErrors};
use crate::ids::{AssessmentId, PatientId, PhotoId, SessionRecordId};
use crate::validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The one size limit for pictures, shared by photo import and the printed
/// documents: a stored photo is at most this many pixels on its longest side
/// (a larger one is downscaled at import), and documents decode up to it, so
/// every photo the record holds can be printed.
pub const PHOTO_MAX_SIDE_PX: u32 = 8000;

/// The most memory a picture's pixels may take once decoded (width × height ×
/// bytes per pixel, read from the file's header before anything is decoded):
/// 8000 × 8000 in 8-bit RGB. A "decompression bomb" (a small file that claims
/// huge dimensions) is refused before it costs any memory.
pub const IMAGE_MAX_DECODED_BYTES: u64 = 8000 * 8000 * 3;

/// The camera's angle to the face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PhotoAngle {
    Front,
    Left,
    Right,
    LeftOblique,
    RightOblique,
}

impl PhotoAngle {
    pub const ALL: [PhotoAngle; 5] = [
        PhotoAngle::Front,
        PhotoAngle::Left,
        PhotoAngle::Right,
        PhotoAngle::LeftOblique,
        PhotoAngle::RightOblique,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PhotoAngle::Front => "front",
            PhotoAngle::Left => "left",
            PhotoAngle::Right => "right",
            PhotoAngle::LeftOblique => "left_oblique",
            PhotoAngle::RightOblique => "right_oblique",
        }
    }

    pub fn parse(s: &str) -> Option<PhotoAngle> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        PhotoAngle::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What the import form says about a photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhotoTags {
    /// The day it was taken, `YYYY-MM-DD`; empty = the camera's date, else today.
    pub taken_on: String,
    pub area: TreatmentArea,
    pub angle: PhotoAngle,
    pub session_record_id: Option<SessionRecordId>,
    pub assessment_id: Option<AssessmentId>,
}

/// A stored photo (its pixels live beside the database, named by their SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Photo {
    pub id: PhotoId,
    pub patient_id: PatientId,
    pub sha256: String,
    /// `image/jpeg` or `image/png`.
    pub mime: String,
    pub width: u32,
    pub height: u32,
    #[ts(type = "string")]
    pub taken_on: NaiveDate,
    pub area: TreatmentArea,
    pub angle: PhotoAngle,
    pub session_record_id: Option<SessionRecordId>,
    pub assessment_id: Option<AssessmentId>,
    pub imported_by: String,
    pub imported_at: String,
}

/// The first and the latest photo of one area from one angle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BeforeAfter {
    pub area: TreatmentArea,
    pub angle: PhotoAngle,
    pub before: Photo,
    pub after: Photo,
}

/// Pairs of every area and angle with photos on two different days, in area
/// and angle order. `photos` may be in any order.
pub fn before_after_pairs(photos: &[Photo]) -> Vec<BeforeAfter> {
    let mut sorted: Vec<&Photo> = photos.iter().collect();
    sorted.sort_by_key(|p| (p.area, p.angle, p.taken_on, p.id));
    let mut out = Vec::new();
    for group in sorted.chunk_by(|a, b| a.area == b.area && a.angle == b.angle) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        if last.taken_on > first.taken_on {
            out.push(BeforeAfter {
                area: first.area,
                angle: first.angle,
                before: (*first).clone(),
                after: (*last).clone(),
            });
        }
    }
    out
}

/// The photo's date: typed (not in the future), else the camera's, else today.
pub fn validate_tags(
    tags: &PhotoTags,
    camera_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, ValidationErrors> {
    let mut c = Collector::default();
    let date = if tags.taken_on.trim().is_empty() {
        Some(camera_date.filter(|d| *d <= today).unwrap_or(today))
    } else {
        c.check(validate::past_date(
            "taken_on",
            "Photo date",
            &tags.taken_on,
            today,
        ))
    };
    c.finish()?;
    Ok(date.unwrap_or(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(id: i64, area: TreatmentArea, angle: PhotoAngle, date: &str) -> Photo {
        Photo {
            id: crate::ids::PhotoId(id),
            patient_id: crate::ids::PatientId(1),
            sha256: format!("{id:064}"),
            mime: "image/jpeg".into(),
            width: 10,
            height: 10,
            taken_on: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            area,
            angle,
            session_record_id: None,
            assessment_id: None,
            imported_by: "dr".into(),
            imported_at: String::new(),
        }
    }

    #[test]
    fn pairs_take_the_first_and_latest_of_the_same_area_and_angle() {
        use PhotoAngle::*;
        use TreatmentArea::*;
        let photos = vec![
            photo(3, Cheeks, Left, "2026-06-01"),
            photo(1, Cheeks, Left, "2026-01-01"),
            photo(2, Cheeks, Left, "2026-03-01"),
            photo(4, Cheeks, Front, "2026-01-01"), // one day only: no pair
            photo(5, Forehead, Front, "2026-01-01"),
            photo(6, Forehead, Front, "2026-02-01"),
        ];
        let pairs = before_after_pairs(&photos);
        let ids: Vec<(i64, i64)> = pairs
            .iter()
            .map(|p| (p.before.id.0, p.after.id.0))
            .collect();
        assert_eq!(ids, [(5, 6), (1, 3)]);
    }

    #[test]
    fn the_date_falls_back_to_the_camera_then_today() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let cam = NaiveDate::from_ymd_opt(2026, 4, 2);
        let mut t = PhotoTags {
            taken_on: String::new(),
            area: TreatmentArea::Cheeks,
            angle: PhotoAngle::Front,
            session_record_id: None,
            assessment_id: None,
        };
        assert_eq!(validate_tags(&t, cam, today).unwrap(), cam.unwrap());
        assert_eq!(validate_tags(&t, None, today).unwrap(), today);
        t.taken_on = "2026-06-01".into();
        assert_eq!(
            validate_tags(&t, cam, today).unwrap_err().fields()[0].field,
            "taken_on"
        );
    }
}
