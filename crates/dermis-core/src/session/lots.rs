//! Lot trace: "every patient treated with lot X" (issue 18), for the day a
//! cartridge maker or a glide supplier recalls a lot.
//!
//! Why matching is by a KEY and not by the text as typed: a lot is copied
//! from a box label, a delivery note or an e-mail, and pasted text brings
//! invisible characters along (zero-width spaces, direction marks, a
//! byte-order mark). A lot stored as "LOT\u{200B}-77" must be found by
//! "lot-77", and a lot whose right-to-left override makes it LOOK like
//! "LOT-77" ("\u{202E}77-TOL") must not be found by it: the key drops the
//! invisible characters, so it is what the characters ARE, in order, not
//! what they look like. Then: compatibility forms folded (NFKC: a full-width
//! "ＬＯＴ" is "LOT"), spaces at the ends trimmed, case folded. Inside the
//! lot nothing else changes: "LOT-77" and "LOT 77" are different lots, and
//! "LOT-7" does not find "LOT-77" (a recall names exact lots; a partial
//! match would call patients who were never at risk).
//!
//! What is matched: the cartridge lot and the glide (serum) lot as recorded
//! on the session form, and the device and numbing cream as recorded (the
//! session form has no separate lot field for those two, so their recorded
//! text is the identifier a clinic types there).

use super::record::SHORT_TEXT;
use crate::error::{Collector, ValidationErrors};
use crate::ids::{PatientId, SessionRecordId};
use crate::validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

/// Which recorded product a lot was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LotField {
    Cartridge,
    Glide,
    Device,
    NumbingCream,
}

impl LotField {
    pub fn as_str(self) -> &'static str {
        match self {
            LotField::Cartridge => "cartridge",
            LotField::Glide => "glide",
            LotField::Device => "device",
            LotField::NumbingCream => "numbing_cream",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LotField::Cartridge => "Cartridge lot",
            LotField::Glide => "Glide or serum lot",
            LotField::Device => "Device",
            LotField::NumbingCream => "Numbing cream",
        }
    }
}

/// The lot trace form: a lot, and optionally the first and last session day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LotTraceFilter {
    pub lot: String,
    /// First session day, `YYYY-MM-DD` or empty (inclusive).
    pub from: String,
    /// Last session day, `YYYY-MM-DD` or empty (inclusive).
    pub to: String,
}

/// The lot trace form, checked: `key` is the lot's [`lot_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLotTrace {
    pub key: String,
    /// The lot as it is shown (invisible characters removed, trimmed).
    pub lot: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One session in which the lot was used, with the patient's contact details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LotTraceRow {
    pub session_record_id: SessionRecordId,
    #[ts(type = "string")]
    pub session_date: NaiveDate,
    pub patient_id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub preferred_language: String,
    /// Who recorded the session (the practitioner who treated).
    pub practitioner: String,
    /// Where the lot was found on the session form.
    pub matched: Vec<LotField>,
    /// Adverse events reported after this session.
    pub adverse_events: u32,
    pub archived: bool,
}

/// One session's recorded products, as the store reads them for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedProducts {
    pub cartridge_lot: String,
    pub glide_lot: String,
    pub device: String,
    pub numbing_cream: String,
}

/// Characters that are invisible in a lot: the direction and zero-width
/// marks names refuse ([`validate::is_invisible_format`]), and also the
/// joiners (U+200C, U+200D) and the soft hyphen, which a lot never needs.
fn invisible_in_lot(c: char) -> bool {
    validate::is_invisible_format(c) || matches!(c, '\u{200C}' | '\u{200D}' | '\u{00AD}')
}

/// The lot as shown: invisible characters removed, NFKC, trimmed.
pub fn lot_display(s: &str) -> String {
    let visible: String = s.chars().filter(|c| !invisible_in_lot(*c)).collect();
    visible.nfkc().collect::<String>().trim().to_string()
}

/// The matching key of a lot (see the module doc): what [`lot_display`]
/// shows, case-folded. Two lots are the same lot when their keys are equal.
pub fn lot_key(s: &str) -> String {
    lot_display(s).to_lowercase()
}

/// Where `key` (a [`lot_key`]) was used in one session's products.
pub fn lot_matches(key: &str, p: &RecordedProducts) -> Vec<LotField> {
    if key.is_empty() {
        return vec![];
    }
    [
        (LotField::Cartridge, &p.cartridge_lot),
        (LotField::Glide, &p.glide_lot),
        (LotField::Device, &p.device),
        (LotField::NumbingCream, &p.numbing_cream),
    ]
    .into_iter()
    .filter(|(_, v)| same_lot(key, v))
    .map(|(f, _)| f)
    .collect()
}

/// Whether stored text `v` is the lot whose key is `key`. Most lots are
/// plain ASCII, for which the key is the trimmed text in ASCII lower case
/// (ASCII has no invisible characters and NFKC leaves it as it is): they
/// are compared in place, without building a key (a trace reads every
/// session in the range).
fn same_lot(key: &str, v: &str) -> bool {
    if v.is_ascii() {
        v.trim().eq_ignore_ascii_case(key)
    } else {
        lot_key(v) == key
    }
}

pub fn validate_lot_trace(f: &LotTraceFilter) -> Result<ValidLotTrace, ValidationErrors> {
    let mut c = Collector::default();
    let opt_date = |c: &mut Collector, field: &str, label: &str, raw: &str| {
        if raw.trim().is_empty() {
            None
        } else {
            c.check(validate::date(field, label, raw))
        }
    };
    let lot = lot_display(&f.lot);
    if lot.is_empty() {
        c.push("lot", "Enter the lot to trace, as printed on the box.");
    } else if lot.chars().any(char::is_control) {
        c.push("lot", "The lot contains characters that cannot be printed.");
    } else if lot.chars().count() > SHORT_TEXT {
        c.push(
            "lot",
            format!(
                "The lot is too long: {} characters, the limit is {SHORT_TEXT}.",
                lot.chars().count()
            ),
        );
    }
    let from = opt_date(&mut c, "from", "From", &f.from);
    let to = opt_date(&mut c, "to", "To", &f.to);
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            c.push("to", "The last day is before the first day.");
        }
    }
    c.finish()?;
    Ok(ValidLotTrace {
        key: lot.to_lowercase(),
        lot,
        from,
        to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products(cartridge: &str) -> RecordedProducts {
        RecordedProducts {
            cartridge_lot: cartridge.into(),
            glide_lot: "G-1".into(),
            device: "Dermapen 4".into(),
            numbing_cream: "EMLA".into(),
        }
    }

    #[test]
    fn a_lot_is_found_whatever_its_case_and_surrounding_spaces() {
        let key = lot_key("  lot-77 ");
        assert_eq!(
            lot_matches(&key, &products("LOT-77")),
            vec![LotField::Cartridge]
        );
        assert_eq!(
            lot_matches(&lot_key("ｌｏｔ-77"), &products("LOT-77")),
            vec![LotField::Cartridge]
        );
    }

    #[test]
    fn pasted_invisible_characters_do_not_hide_a_lot() {
        for stored in [
            "LOT\u{200B}-77",
            "\u{FEFF}LOT-77",
            "LOT-77\u{200E}",
            "L\u{200D}OT-77",
            "\u{2066}LOT-77\u{2069}",
        ] {
            assert_eq!(
                lot_matches(&lot_key("lot-77"), &products(stored)),
                vec![LotField::Cartridge],
                "{stored:?}"
            );
        }
        // And typed into the search with them.
        assert_eq!(
            lot_matches(&lot_key("\u{200B}LOT-77\u{202C}"), &products("LOT-77")).len(),
            1
        );
    }

    #[test]
    fn a_lot_that_only_looks_like_another_is_not_that_lot() {
        // Displays as "LOT-77" with the override; its characters are "77-TOL".
        let poser = products("\u{202E}77-TOL");
        assert!(lot_matches(&lot_key("LOT-77"), &poser).is_empty());
        assert_eq!(
            lot_matches(&lot_key("77-tol"), &poser),
            vec![LotField::Cartridge]
        );
        assert_eq!(lot_display("\u{202E}77-TOL"), "77-TOL");
    }

    #[test]
    fn the_ascii_shortcut_agrees_with_the_key() {
        for (key, v) in [
            ("lot-77", " LOT-77\t"),
            ("lot-77", "LOT-77x"),
            ("é", "E"),
            ("ß", "SS"),
            ("", "  "),
        ] {
            assert_eq!(same_lot(key, v), lot_key(v) == key, "{key:?} {v:?}");
        }
    }

    #[test]
    fn a_partial_lot_is_a_different_lot() {
        assert!(lot_matches(&lot_key("LOT-7"), &products("LOT-77")).is_empty());
        assert!(lot_matches(&lot_key("LOT 77"), &products("LOT-77")).is_empty());
    }

    #[test]
    fn device_and_numbing_cream_are_traced_too() {
        let p = products("X");
        assert_eq!(
            lot_matches(&lot_key("dermapen 4"), &p),
            vec![LotField::Device]
        );
        assert_eq!(
            lot_matches(&lot_key("emla"), &p),
            vec![LotField::NumbingCream]
        );
        assert_eq!(lot_matches(&lot_key("g-1"), &p), vec![LotField::Glide]);
    }

    #[test]
    fn an_empty_or_invisible_lot_is_refused() {
        for lot in ["", "   ", "\u{200B}\u{202E}"] {
            let e = validate_lot_trace(&LotTraceFilter {
                lot: lot.into(),
                ..Default::default()
            })
            .unwrap_err();
            assert_eq!(e.0[0].field, "lot");
        }
        let e = validate_lot_trace(&LotTraceFilter {
            lot: "A".into(),
            from: "2026-05-02".into(),
            to: "2026-05-01".into(),
        })
        .unwrap_err();
        assert_eq!(e.0[0].field, "to");
    }
}
