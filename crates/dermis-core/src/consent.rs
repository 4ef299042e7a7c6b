//! Consent forms (PRODUCT.md 10): versioned templates, the patient's drawn
//! signature, the photo-use answers, and the gate a session passes.
//!
//! Why it is shaped this way:
//! - **Frozen.** A signed consent keeps the template's key and version, the
//!   title and text exactly as the patient read them, the strokes, the names
//!   and the instants. Editing a template makes a new version; nothing ever
//!   rewrites a signed consent (only its revocation is added to it).
//! - **Vectors, not pixels.** The signature is the strokes the patient drew,
//!   as points in a 400 × 150 box ([`SIGNATURE_WIDTH`] × [`SIGNATURE_HEIGHT`]),
//!   so the PDF can draw it as paths at any size. The points are checked
//!   (finite, inside the box, bounded in number) and rounded to 0.1 point, so
//!   the canonical content ([`canonical_content`]) is the same bytes wherever
//!   it is computed.
//! - **Photo use asked separately** ([`PhotoUses`]): yes or no for each use
//!   (the patient's own record, teaching, marketing), never folded into the
//!   treatment consent.
//! - **The gate is a rule** ([`consent_gate`]): pure, so it is tested here and
//!   applied the same way by the session form and by recording a session.
//! - **Dermis's own text is version 1** of the microneedling template
//!   ([`default_template`]); the clinic's first edit saves version 2.

use crate::error::FieldError;
use crate::ids::{ConsentId, ConsentTemplateId, PatientId};
use crate::validate;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The signature box, in points (the canvas on screen has this aspect ratio).
pub const SIGNATURE_WIDTH: f64 = 400.0;
pub const SIGNATURE_HEIGHT: f64 = 150.0;
/// A signature has at most this many strokes...
pub const MAX_STROKES: usize = 100;
/// ...of at most this many points each...
pub const MAX_POINTS_PER_STROKE: usize = 2000;
/// ...and at most this many points in all (a hand signature has a few hundred).
pub const MAX_POINTS: usize = 10_000;
/// The template key the session gate requires.
pub const MICRONEEDLING: &str = "microneedling";
/// The longest template text a clinic may write (a title is a name:
/// `validate::name`'s 100 characters).
pub const BODY_MAX_CHARS: usize = 20_000;
pub const REASON_MAX_CHARS: usize = 500;

/// A signature as drawn: strokes of `[x, y]` points in the 400 × 150 box,
/// y downwards (as on screen).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Strokes {
    pub strokes: Vec<Vec<(f64, f64)>>,
}

impl Strokes {
    pub fn point_count(&self) -> usize {
        self.strokes.iter().map(Vec::len).sum()
    }
}

/// How the patient signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SignatureMethod {
    /// Drawn with a mouse, pen or finger.
    Drawn,
    /// Typed with the keyboard (a patient who cannot draw): recorded as such.
    Typed,
}

impl SignatureMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::Drawn => "drawn",
            SignatureMethod::Typed => "typed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "drawn" => Some(SignatureMethod::Drawn),
            "typed" => Some(SignatureMethod::Typed),
            _ => None,
        }
    }
}

/// The patient's answers on photo use, one per use (asked apart from the treatment consent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhotoUses {
    /// Photos kept in the patient's record and printed in their own documents
    /// (the progress summary's before/after pair).
    pub record: bool,
    /// Shown, without the name, to train practitioners.
    pub teaching: bool,
    /// Used in the clinic's advertising.
    pub marketing: bool,
}

/// One use of a photo (what [`PhotoUses`] answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PhotoUse {
    Record,
    Teaching,
    Marketing,
}

impl PhotoUses {
    pub fn allows(&self, u: PhotoUse) -> bool {
        match u {
            PhotoUse::Record => self.record,
            PhotoUse::Teaching => self.teaching,
            PhotoUse::Marketing => self.marketing,
        }
    }
}

/// One version of a consent template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentTemplate {
    /// `None` for Dermis's own text (version 1, never stored).
    pub id: Option<ConsentTemplateId>,
    /// What it is a consent to: `microneedling`.
    pub key: String,
    pub version: u32,
    pub title: String,
    pub body: String,
    /// Who saved this version ("Dermis" for the default), and when (RFC 3339; empty for the default).
    pub created_by: String,
    pub created_at: String,
}

/// A new version of a template, as the clinic writes it in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentTemplateInput {
    pub key: String,
    pub title: String,
    pub body: String,
}

/// Dermis's microneedling consent, written from PRODUCT.md (2, 4.5, 4.6).
pub fn default_template() -> ConsentTemplate {
    ConsentTemplate {
        id: None,
        key: MICRONEEDLING.into(),
        version: 1,
        title: "Consent to microneedling treatment".into(),
        body: DEFAULT_MICRONEEDLING_BODY.into(),
        created_by: "Dermis".into(),
        created_at: String::new(),
    }
}

const DEFAULT_MICRONEEDLING_BODY: &str = "\
# What the treatment is
Microneedling (collagen induction therapy) treats acne scars. A device with fine, sterile needles makes many tiny, controlled punctures in the skin, to a depth the practitioner chooses for each area of the face (from 0.25 mm to 2 mm). The skin's healing response builds new collagen, which softens scars gradually over a course of treatments: usually 3 to 6 sessions, 4 to 6 weeks apart, then a maintenance session every few months. A numbing cream is applied before each session. Results differ from person to person and cannot be guaranteed.

# What to expect afterwards
Redness or swelling like a light sunburn for a day or two is expected. Flaking or dryness within a few days is normal. Pinpoint bleeding during the treatment is normal.

# Risks
Although uncommon, the following can occur:
- redness that lasts longer than expected (erythema) or swelling (oedema);
- darker patches of skin (post-inflammatory hyperpigmentation), more likely on darker skin;
- a flare of acne;
- infection;
- a return of cold sores (herpes simplex reactivation); antiviral medicine may be advised beforehand;
- track-like marks left by the needles (tram-track scarring);
- small firm lumps under the skin (granuloma), a reaction to a product used on the skin;
- other reactions, such as an allergy to the numbing cream or to a product used during the treatment.

# My duties after each session
- For the first 24 to 48 hours: no direct sun, no makeup, no harsh skincare products.
- Cleanse gently; keep the skin hydrated with a mild moisturiser or a hyaluronic acid serum.
- Protect the skin from the sun with a broad-spectrum sunscreen.
- No exfoliation and no retinol for one week.
- Call the clinic at once if there are signs of infection, severe pain or blistering.
- Tell the clinic before each session about any change in my health or medicines, a pregnancy, or a new skin problem.

# My consent
I have answered the screening questions truthfully. The treatment, what to expect, its risks and the aftercare have been explained to me, and I have been able to ask questions. I consent to microneedling treatment for my acne scars. I may withdraw this consent at any time before a session.";

/// What the signing screen sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentSignInput {
    pub patient_id: PatientId,
    /// The template's key (`microneedling`).
    pub template: String,
    /// The version the patient read; when given and no longer the current
    /// one, the signing is refused (the text changed under their eyes).
    pub template_version: Option<u32>,
    /// The drawn signature (empty when typed).
    pub signature: Strokes,
    /// The patient's typed name, only when they could not draw (keyboard).
    #[serde(default)]
    pub typed_name: String,
    pub photo_uses: PhotoUses,
    /// The practitioner confirms they explained the treatment and saw the
    /// patient sign (only a practitioner's or admin's confirmation counts).
    #[serde(default)]
    pub confirm: bool,
}

/// Where a signed consent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConsentStatus {
    /// The patient signed; a practitioner has not confirmed yet.
    AwaitingConfirmation,
    /// Signed and confirmed: the session gate passes.
    Signed,
    Revoked,
}

/// A signed consent, whole (for practitioners and admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Consent {
    pub id: ConsentId,
    pub patient_id: PatientId,
    pub template_key: String,
    pub template_version: u32,
    pub title: String,
    /// The text as signed.
    pub text: String,
    /// The patient's name and number as printed when they signed.
    pub patient_name: String,
    pub patient_number: String,
    pub method: SignatureMethod,
    pub signature: Strokes,
    pub typed_name: String,
    pub photo_uses: PhotoUses,
    /// RFC 3339.
    pub signed_at: String,
    /// Who handed the screen to the patient.
    pub recorded_by: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
    /// SHA-256 of the canonical signed content (printed in the PDF's footer).
    pub content_sha256: Option<String>,
    /// SHA-256 of the stored PDF file (in the audit entry).
    pub pdf_sha256: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    pub revoke_reason: String,
    pub status: ConsentStatus,
}

/// What anyone at the desk may know of a consent: that it exists and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentSummary {
    pub id: ConsentId,
    pub patient_id: PatientId,
    pub template_key: String,
    pub template_version: u32,
    pub title: String,
    pub signed_at: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
    pub revoked_at: Option<String>,
    pub status: ConsentStatus,
}

impl Consent {
    pub fn summary(&self) -> ConsentSummary {
        ConsentSummary {
            id: self.id,
            patient_id: self.patient_id,
            template_key: self.template_key.clone(),
            template_version: self.template_version,
            title: self.title.clone(),
            signed_at: self.signed_at.clone(),
            confirmed_by: self.confirmed_by.clone(),
            confirmed_at: self.confirmed_at.clone(),
            revoked_at: self.revoked_at.clone(),
            status: self.status,
        }
    }
}

/// The clinic's consent rules (Settings → Consent forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentSettings {
    /// True: a session without a signed consent is refused; false: it is
    /// recorded with a warning.
    pub require_for_session: bool,
    /// A plan made more than this many months after the consent was signed
    /// needs a new consent (0: a consent never runs out).
    pub renew_after_months: u32,
}

impl Default for ConsentSettings {
    fn default() -> Self {
        ConsentSettings {
            require_for_session: true,
            renew_after_months: 12,
        }
    }
}

pub fn validate_settings(s: &ConsentSettings) -> Result<ConsentSettings, FieldError> {
    if s.renew_after_months > 120 {
        return Err(FieldError::new(
            "renew_after_months",
            "A consent can be asked again after at most 120 months (0: never).",
        ));
    }
    Ok(*s)
}

fn signature_err(message: impl Into<String>) -> FieldError {
    FieldError::new("signature", message)
}

/// Checks a drawn signature and rounds its points to 0.1 point.
pub fn validate_strokes(s: &Strokes) -> Result<Strokes, FieldError> {
    if s.strokes.len() > MAX_STROKES {
        return Err(signature_err(format!(
            "The signature has {} strokes; the limit is {MAX_STROKES}. Clear it and sign again.",
            s.strokes.len()
        )));
    }
    let total = s.point_count();
    if total > MAX_POINTS {
        return Err(signature_err(format!(
            "The signature has {total} points; the limit is {MAX_POINTS}. Clear it and sign again."
        )));
    }
    let mut out = Vec::with_capacity(s.strokes.len());
    for stroke in &s.strokes {
        if stroke.len() > MAX_POINTS_PER_STROKE {
            return Err(signature_err(format!(
                "A stroke of the signature has {} points; the limit is {MAX_POINTS_PER_STROKE}.",
                stroke.len()
            )));
        }
        if stroke.is_empty() {
            continue;
        }
        let mut pts = Vec::with_capacity(stroke.len());
        for &(x, y) in stroke {
            if !x.is_finite() || !y.is_finite() {
                return Err(signature_err(
                    "The signature holds a point that is not a number. Clear it and sign again.",
                ));
            }
            if !(0.0..=SIGNATURE_WIDTH).contains(&x) || !(0.0..=SIGNATURE_HEIGHT).contains(&y) {
                return Err(signature_err(format!(
                    "The signature goes outside its box ({SIGNATURE_WIDTH} × {SIGNATURE_HEIGHT} points): point ({x}, {y})."
                )));
            }
            pts.push(((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0));
        }
        out.push(pts);
    }
    let first = out.iter().flatten().next().copied();
    let moved = first.is_some_and(|f| out.iter().flatten().any(|p| *p != f));
    if !moved {
        return Err(signature_err(
            "The patient has not signed yet: draw the signature in the box.",
        ));
    }
    Ok(Strokes { strokes: out })
}

/// The signature of a signing: drawn strokes, or (only when none are drawn) a typed name.
pub fn validate_signature(
    strokes: &Strokes,
    typed_name: &str,
) -> Result<(SignatureMethod, Strokes, String), FieldError> {
    if !typed_name.trim().is_empty() {
        if strokes.point_count() > 0 {
            return Err(FieldError::new(
                "typed_name",
                "Either draw the signature or type the name, not both.",
            ));
        }
        let name = validate::name("typed_name", "Typed name", typed_name)?;
        return Ok((SignatureMethod::Typed, Strokes::default(), name));
    }
    Ok((
        SignatureMethod::Drawn,
        validate_strokes(strokes)?,
        String::new(),
    ))
}

/// A template key: lower-case letters, digits and `_`, 1 to 40 characters.
pub fn validate_key(raw: &str) -> Result<String, FieldError> {
    let k = raw.trim();
    if k.is_empty()
        || k.len() > 40
        || !k
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(FieldError::new(
            "key",
            "A consent form's key is 1 to 40 lower-case letters, digits or _ (microneedling).",
        ));
    }
    Ok(k.to_string())
}

/// Checks a template version the clinic wrote. Invisible direction marks are
/// refused: in a legal text they could make what is printed differ from what
/// is read.
pub fn validate_template(
    input: &ConsentTemplateInput,
) -> Result<ConsentTemplateInput, crate::ValidationErrors> {
    let mut c = crate::error::Collector::default();
    let key = c.check(validate_key(&input.key));
    let title = c.check(validate::name("title", "Title", &input.title));
    let body = c.check(
        validate::text("body", "The consent text", &input.body, BODY_MAX_CHARS).and_then(|b| {
            if b.chars().any(validate::is_invisible_format) {
                Err(FieldError::new("body", "The consent text contains an invisible character (a direction or zero-width mark, often pasted along): retype that part."))
            } else if b.trim().is_empty() {
                Err(FieldError::new("body", "Write the consent text."))
            } else {
                Ok(b)
            }
        }),
    );
    c.finish()?;
    match (key, title, body) {
        (Some(key), Some(title), Some(body)) => Ok(ConsentTemplateInput { key, title, body }),
        _ => Err(crate::ValidationErrors::single(
            "body",
            "The consent form is not valid.",
        )),
    }
}

/// A revocation's reason: required, at most [`REASON_MAX_CHARS`].
pub fn validate_reason(raw: &str) -> Result<String, FieldError> {
    let r = validate::text("reason", "The reason", raw, REASON_MAX_CHARS)?;
    if r.is_empty() {
        return Err(FieldError::new(
            "reason",
            "Write why the consent is withdrawn.",
        ));
    }
    Ok(r)
}

/// What the gate says about a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateOutcome {
    /// A signed, unrevoked, recent enough consent is on file.
    Pass,
    /// No such consent: this sentence says why (refused, or a warning when
    /// the clinic set the gate to warn).
    Missing(String),
}

/// The consent gate for a session of a plan made on `plan_made_on`: the
/// patient needs a signed (confirmed), unrevoked microneedling consent; when
/// `renew_after_months` is set, one signed no more than that many months
/// before the plan was made (or after it).
pub fn consent_gate(
    consents: &[ConsentSummary],
    plan_made_on: NaiveDate,
    settings: &ConsentSettings,
) -> GateOutcome {
    let signed: Vec<&ConsentSummary> = consents
        .iter()
        .filter(|c| c.template_key == MICRONEEDLING && c.status == ConsentStatus::Signed)
        .collect();
    let fresh = |c: &&ConsentSummary| {
        if settings.renew_after_months == 0 {
            return true;
        }
        let Some(day) = signed_day(&c.signed_at) else {
            return false;
        };
        day.checked_add_months(Months::new(settings.renew_after_months))
            .is_some_and(|until| until >= plan_made_on)
    };
    if signed.iter().any(fresh) {
        return GateOutcome::Pass;
    }
    let awaiting = consents.iter().any(|c| {
        c.template_key == MICRONEEDLING && c.status == ConsentStatus::AwaitingConfirmation
    });
    let revoked = consents
        .iter()
        .any(|c| c.template_key == MICRONEEDLING && c.status == ConsentStatus::Revoked);
    GateOutcome::Missing(if let Some(old) = signed.first() {
        format!(
            "The patient's microneedling consent was signed on {}, more than {} months before this plan: the patient must sign a new consent before the session.",
            signed_day(&old.signed_at).map(|d| d.to_string()).unwrap_or_default(),
            settings.renew_after_months
        )
    } else if awaiting {
        "The patient's microneedling consent is waiting for a practitioner's confirmation: confirm it before the session.".into()
    } else if revoked {
        "The patient withdrew their microneedling consent: the patient must sign a new consent before the session.".into()
    } else {
        "The patient has not signed a microneedling consent: the patient must sign the consent before the session.".into()
    })
}

fn signed_day(rfc3339: &str) -> Option<NaiveDate> {
    rfc3339
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The content a signature covers, in one canonical text: the template's key
/// and version, the title and text, the patient's name and number, the
/// signature (method, typed name, every point to 0.1 point), the photo-use
/// answers, who confirmed and the instants. Its SHA-256 is printed in the
/// PDF's footer: a hash of a file cannot be printed inside that same file,
/// so the footer vouches for the content, and the audit log keeps the file's
/// own SHA-256.
pub fn canonical_content(c: &Consent) -> String {
    let mut s = String::new();
    let mut field = |name: &str, value: &str| {
        s.push_str(name);
        s.push('=');
        s.push_str(&value.len().to_string());
        s.push(':');
        s.push_str(value);
        s.push('\n');
    };
    field("dermis-consent", "1");
    field("template", &c.template_key);
    field("version", &c.template_version.to_string());
    field("title", &c.title);
    field("text", &c.text);
    field("patient", &c.patient_name);
    field("patient_number", &c.patient_number);
    field("method", c.method.as_str());
    field("typed_name", &c.typed_name);
    let strokes: Vec<String> = c
        .signature
        .strokes
        .iter()
        .map(|st| {
            st.iter()
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    field("strokes", &strokes.join(";"));
    field(
        "photo_uses",
        &format!(
            "record={} teaching={} marketing={}",
            c.photo_uses.record, c.photo_uses.teaching, c.photo_uses.marketing
        ),
    );
    field("signed_at", &c.signed_at);
    field("confirmed_by", c.confirmed_by.as_deref().unwrap_or(""));
    field("confirmed_at", c.confirmed_at.as_deref().unwrap_or(""));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> Strokes {
        Strokes {
            strokes: vec![vec![(10.0, 20.0), (30.04, 40.06), (50.0, 60.0)]],
        }
    }

    #[test]
    fn a_drawn_signature_is_kept_rounded_to_a_tenth_of_a_point() {
        let v = validate_strokes(&line()).unwrap();
        assert_eq!(v.strokes[0][1], (30.0, 40.1));
    }

    #[test]
    fn an_empty_or_dot_signature_is_not_a_signature() {
        assert_eq!(
            validate_strokes(&Strokes::default()).unwrap_err().field,
            "signature"
        );
        let dot = Strokes {
            strokes: vec![vec![(5.0, 5.0)], vec![], vec![(5.0, 5.0)]],
        };
        assert!(validate_strokes(&dot)
            .unwrap_err()
            .message
            .contains("not signed"));
    }

    #[test]
    fn nan_infinite_and_out_of_box_points_are_refused() {
        for p in [
            (f64::NAN, 1.0),
            (1.0, f64::INFINITY),
            (401.0, 1.0),
            (1.0, -0.5),
            (1e300, 1.0),
        ] {
            let s = Strokes {
                strokes: vec![vec![(1.0, 1.0), p]],
            };
            assert_eq!(
                validate_strokes(&s).unwrap_err().field,
                "signature",
                "{p:?}"
            );
        }
    }

    #[test]
    fn huge_signatures_are_refused() {
        let many = Strokes {
            strokes: vec![vec![(1.0, 1.0), (2.0, 2.0)]; MAX_STROKES + 1],
        };
        assert!(validate_strokes(&many)
            .unwrap_err()
            .message
            .contains("strokes"));
        let long = Strokes {
            strokes: vec![vec![(1.0, 1.0); MAX_POINTS_PER_STROKE + 1]],
        };
        assert!(validate_strokes(&long).is_err());
        let total = Strokes {
            strokes: vec![vec![(1.0, 1.0); MAX_POINTS_PER_STROKE]; 6],
        };
        assert!(validate_strokes(&total)
            .unwrap_err()
            .message
            .contains("points"));
    }

    #[test]
    fn a_typed_name_is_recorded_as_typed_and_never_with_strokes() {
        let (m, s, n) = validate_signature(&Strokes::default(), " Ana  Ruiz ").unwrap();
        assert_eq!(
            (m, s.point_count(), n.as_str()),
            (SignatureMethod::Typed, 0, "Ana Ruiz")
        );
        assert_eq!(
            validate_signature(&line(), "Ana").unwrap_err().field,
            "typed_name"
        );
        assert!(validate_signature(&Strokes::default(), "Ana\u{202e}").is_err());
    }

    #[test]
    fn template_text_with_a_direction_override_is_refused() {
        let e = validate_template(&ConsentTemplateInput {
            key: "microneedling".into(),
            title: "Consent".into(),
            body: "I do not\u{202e} consent".into(),
        })
        .unwrap_err();
        assert_eq!(e.first().unwrap().field, "body");
    }

    #[test]
    fn the_default_text_covers_the_treatment_the_risks_and_the_aftercare() {
        let t = default_template();
        for needle in [
            "light sunburn",
            "Flaking",
            "hyperpigmentation",
            "acne",
            "infection",
            "herpes",
            "tram-track",
            "granuloma",
            "erythema",
            "oedema",
            "retinol",
            "sunscreen",
        ] {
            assert!(t.body.contains(needle), "{needle}");
        }
        assert!(validate_template(&ConsentTemplateInput {
            key: t.key,
            title: t.title,
            body: t.body
        })
        .is_ok());
    }

    fn summary(status: ConsentStatus, signed_at: &str) -> ConsentSummary {
        ConsentSummary {
            id: ConsentId(1),
            patient_id: PatientId(1),
            template_key: MICRONEEDLING.into(),
            template_version: 1,
            title: "Consent".into(),
            signed_at: signed_at.into(),
            confirmed_by: None,
            confirmed_at: None,
            revoked_at: None,
            status,
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_gate_needs_a_signed_unrevoked_consent_recent_enough_for_the_plan() {
        let s = ConsentSettings::default();
        let plan = d("2026-06-01");
        assert!(
            matches!(consent_gate(&[], plan, &s), GateOutcome::Missing(m) if m.contains("has not signed"))
        );
        let ok = summary(ConsentStatus::Signed, "2025-06-01T10:00:00Z");
        assert_eq!(consent_gate(&[ok], plan, &s), GateOutcome::Pass);
        let old = summary(ConsentStatus::Signed, "2025-05-31T10:00:00Z");
        assert!(
            matches!(consent_gate(std::slice::from_ref(&old), plan, &s), GateOutcome::Missing(m) if m.contains("more than 12 months"))
        );
        let never = ConsentSettings {
            renew_after_months: 0,
            ..s
        };
        assert_eq!(consent_gate(&[old], plan, &never), GateOutcome::Pass);
        let revoked = summary(ConsentStatus::Revoked, "2026-05-01T10:00:00Z");
        assert!(
            matches!(consent_gate(&[revoked], plan, &s), GateOutcome::Missing(m) if m.contains("withdrew"))
        );
        let waiting = summary(ConsentStatus::AwaitingConfirmation, "2026-05-01T10:00:00Z");
        assert!(
            matches!(consent_gate(&[waiting], plan, &s), GateOutcome::Missing(m) if m.contains("confirmation"))
        );
    }

    #[test]
    fn the_canonical_content_changes_with_any_point_of_the_signature() {
        let mut c = Consent {
            id: ConsentId(1),
            patient_id: PatientId(1),
            template_key: MICRONEEDLING.into(),
            template_version: 1,
            title: "T".into(),
            text: "X".into(),
            patient_name: "Ana".into(),
            patient_number: "P-000001".into(),
            method: SignatureMethod::Drawn,
            signature: line(),
            typed_name: String::new(),
            photo_uses: PhotoUses::default(),
            signed_at: "2026-01-01T00:00:00Z".into(),
            recorded_by: "Sam".into(),
            confirmed_by: Some("Amira".into()),
            confirmed_at: Some("2026-01-01T00:00:00Z".into()),
            content_sha256: None,
            pdf_sha256: None,
            revoked_at: None,
            revoked_by: None,
            revoke_reason: String::new(),
            status: ConsentStatus::Signed,
        };
        let a = canonical_content(&c);
        c.signature.strokes[0][0].0 = 10.1;
        assert_ne!(a, canonical_content(&c));
    }
}
