//! Consent forms (issue 18) at their edges: the renewal setting, a drawn
//! signature's limits and box, a template's key, title and text, the
//! withdrawal reason, and the session gate for other forms and at its day.

use chrono::NaiveDate;
use dermis_core::consent::{
    consent_gate, default_template, validate_key, validate_reason, validate_settings,
    validate_signature, validate_strokes, validate_template, ConsentSettings, ConsentStatus,
    ConsentSummary, ConsentTemplateInput, GateOutcome, SignatureMethod, Strokes, MAX_POINTS,
    MAX_POINTS_PER_STROKE, MAX_STROKES, MICRONEEDLING,
};
use dermis_core::ids::{ConsentId, PatientId};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A stroke of `n` points that moves (x 1, 2, 3... wrapping inside the box).
fn stroke(n: usize) -> Vec<(f64, f64)> {
    (0..n).map(|i| ((i % 300) as f64 + 1.0, 10.0)).collect()
}

fn drawn(strokes: Vec<Vec<(f64, f64)>>) -> Strokes {
    Strokes { strokes }
}

#[test]
fn a_consent_can_be_asked_again_after_at_most_120_months() {
    for months in [0, 1, 12, 120] {
        let s = ConsentSettings {
            require_for_session: false,
            renew_after_months: months,
        };
        assert_eq!(validate_settings(&s), Ok(s), "{months}");
    }
    let e = validate_settings(&ConsentSettings {
        require_for_session: true,
        renew_after_months: 121,
    })
    .unwrap_err();
    assert_eq!(e.field, "renew_after_months");
}

#[test]
fn a_signature_of_a_hundred_strokes_is_kept_and_one_more_refused() {
    let kept = validate_strokes(&drawn(vec![stroke(2); MAX_STROKES])).unwrap();
    assert_eq!(kept.strokes.len(), 100);
    let e = validate_strokes(&drawn(vec![stroke(2); MAX_STROKES + 1])).unwrap_err();
    assert_eq!(
        e.message,
        "The signature has 101 strokes; the limit is 100. Clear it and sign again."
    );
}

#[test]
fn a_stroke_of_two_thousand_points_is_kept_and_one_more_refused() {
    assert!(validate_strokes(&drawn(vec![stroke(MAX_POINTS_PER_STROKE)])).is_ok());
    let e = validate_strokes(&drawn(vec![stroke(MAX_POINTS_PER_STROKE + 1)])).unwrap_err();
    assert_eq!(
        e.message,
        "A stroke of the signature has 2001 points; the limit is 2000."
    );
}

#[test]
fn a_signature_of_ten_thousand_points_is_kept_and_one_more_refused() {
    let at_limit = drawn(vec![
        stroke(MAX_POINTS_PER_STROKE);
        MAX_POINTS / MAX_POINTS_PER_STROKE
    ]);
    assert_eq!(at_limit.point_count(), 10_000);
    assert!(validate_strokes(&at_limit).is_ok());
    let mut over = at_limit.clone();
    over.strokes.push(stroke(1));
    assert_eq!(over.point_count(), 10_001);
    let e = validate_strokes(&over).unwrap_err();
    assert_eq!(
        e.message,
        "The signature has 10001 points; the limit is 10000. Clear it and sign again."
    );
}

#[test]
fn a_signature_may_touch_every_edge_of_its_box_and_not_pass_it() {
    let corners = drawn(vec![vec![
        (0.0, 0.0),
        (400.0, 150.0),
        (0.0, 150.0),
        (400.0, 0.0),
    ]]);
    assert_eq!(validate_strokes(&corners).unwrap(), corners);
    for p in [(400.05, 1.0), (1.0, 150.05), (-0.05, 1.0), (1.0, -0.05)] {
        let e = validate_strokes(&drawn(vec![vec![(1.0, 1.0), p]])).unwrap_err();
        assert!(
            e.message.contains("outside its box"),
            "{p:?}: {}",
            e.message
        );
    }
    // Not a number in either coordinate alone.
    for p in [
        (f64::NAN, 1.0),
        (1.0, f64::NAN),
        (f64::INFINITY, 1.0),
        (1.0, f64::NEG_INFINITY),
    ] {
        let e = validate_strokes(&drawn(vec![vec![(1.0, 1.0), p]])).unwrap_err();
        assert!(e.message.contains("not a number"), "{p:?}: {}", e.message);
    }
}

#[test]
fn each_point_is_kept_to_the_nearest_tenth_of_a_point() {
    let s = validate_strokes(&drawn(vec![vec![(12.34, 56.78), (399.96, 0.04)], vec![]])).unwrap();
    // The empty stroke is dropped.
    assert_eq!(s.strokes, vec![vec![(12.3, 56.8), (400.0, 0.0)]]);
}

#[test]
fn a_typed_name_beside_a_drawn_signature_is_refused_and_an_empty_stroke_is_not_a_drawing() {
    let e = validate_signature(&drawn(vec![stroke(1)]), "Ana Ruiz").unwrap_err();
    assert_eq!(e.field, "typed_name");
    // An empty stroke (a tap that drew nothing) does not stop a typed name.
    let (m, _, name) = validate_signature(&drawn(vec![vec![]]), "Ana Ruiz").unwrap();
    assert_eq!((m, name.as_str()), (SignatureMethod::Typed, "Ana Ruiz"));
    // Without a typed name, the drawing is the signature, rounded.
    let (m, s, name) =
        validate_signature(&drawn(vec![vec![(1.04, 1.0), (2.0, 2.0)]]), "  ").unwrap();
    assert_eq!((m, name.as_str()), (SignatureMethod::Drawn, ""));
    assert_eq!(s.strokes, vec![vec![(1.0, 1.0), (2.0, 2.0)]]);
}

#[test]
fn a_form_key_is_one_to_forty_lower_case_letters_digits_or_underscores() {
    assert_eq!(validate_key("  microneedling ").unwrap(), "microneedling");
    assert_eq!(validate_key("photo_release_2").unwrap(), "photo_release_2");
    let forty = "k".repeat(40);
    assert_eq!(validate_key(&forty).unwrap(), forty);
    for bad in [
        "".to_string(),
        "   ".into(),
        "k".repeat(41),
        "Microneedling".into(),
        "micro-needling".into(),
        "micro needling".into(),
        "é".into(),
    ] {
        assert_eq!(validate_key(&bad).unwrap_err().field, "key", "{bad:?}");
    }
}

fn template(key: &str, title: &str, body: &str) -> ConsentTemplateInput {
    ConsentTemplateInput {
        key: key.into(),
        title: title.into(),
        body: body.into(),
    }
}

#[test]
fn a_form_title_of_100_characters_and_a_text_of_20000_are_kept_one_more_refused() {
    // The title is a name (validate::name: at most 100 characters).
    let t = validate_template(&template(" photo ", &"T".repeat(100), &"b".repeat(20_000))).unwrap();
    assert_eq!(
        (
            t.key.as_str(),
            t.title.chars().count(),
            t.body.chars().count()
        ),
        ("photo", 100, 20_000)
    );
    let e = validate_template(&template("photo", &"T".repeat(101), "Text")).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].field, "title");
    let e = validate_template(&template("photo", "Title", &"b".repeat(20_001))).unwrap_err();
    assert_eq!(e.0[0].field, "body");
    let e = validate_template(&template("photo", "Title", "\n \n")).unwrap_err();
    assert_eq!(e.0[0].message, "Write the consent text.");
    let e = validate_template(&template("Photo", "", "x")).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["key", "title"]);
}

#[test]
fn a_withdrawal_reason_is_required_kept_as_written_and_at_most_500_characters() {
    assert_eq!(validate_reason("  Moved abroad ").unwrap(), "Moved abroad");
    assert_eq!(validate_reason(&"r".repeat(500)).unwrap().len(), 500);
    assert_eq!(
        validate_reason(&"r".repeat(501)).unwrap_err().field,
        "reason"
    );
    assert_eq!(
        validate_reason(" ").unwrap_err().message,
        "Write why the consent is withdrawn."
    );
}

#[test]
fn dermis_s_own_form_is_the_microneedling_consent_version_1() {
    let t = default_template();
    assert_eq!((t.key.as_str(), t.version, t.id), (MICRONEEDLING, 1, None));
    assert_eq!(t.title, "Consent to microneedling treatment");
    assert_eq!(t.created_by, "Dermis");
}

fn summary(key: &str, status: ConsentStatus, signed_at: &str) -> ConsentSummary {
    ConsentSummary {
        id: ConsentId(1),
        patient_id: PatientId(1),
        template_key: key.into(),
        template_version: 1,
        title: "Consent".into(),
        signed_at: signed_at.into(),
        confirmed_by: None,
        confirmed_at: None,
        revoked_at: None,
        status,
    }
}

fn missing(g: GateOutcome) -> String {
    match g {
        GateOutcome::Missing(m) => m,
        GateOutcome::Pass => panic!("the gate passed"),
    }
}

#[test]
fn only_a_signed_microneedling_consent_opens_the_gate() {
    let s = ConsentSettings::default();
    let plan = d("2026-06-01");
    let at = "2026-05-01T10:00:00Z";
    // Another form, signed, does not count.
    let m = missing(consent_gate(
        &[summary("photo_release", ConsentStatus::Signed, at)],
        plan,
        &s,
    ));
    assert!(m.contains("has not signed"), "{m}");
    // Another form awaiting confirmation or withdrawn says nothing about microneedling.
    for status in [ConsentStatus::AwaitingConfirmation, ConsentStatus::Revoked] {
        let m = missing(consent_gate(
            &[summary("photo_release", status, at)],
            plan,
            &s,
        ));
        assert!(m.contains("has not signed"), "{status:?}: {m}");
    }
    assert_eq!(
        consent_gate(
            &[summary(MICRONEEDLING, ConsentStatus::Signed, at)],
            plan,
            &s
        ),
        GateOutcome::Pass
    );
}

#[test]
fn a_consent_signed_exactly_the_renewal_period_before_the_plan_still_counts() {
    let s = ConsentSettings {
        require_for_session: true,
        renew_after_months: 6,
    };
    let signed = [summary(
        MICRONEEDLING,
        ConsentStatus::Signed,
        "2026-01-15T23:59:00Z",
    )];
    assert_eq!(
        consent_gate(&signed, d("2026-07-15"), &s),
        GateOutcome::Pass
    );
    let m = missing(consent_gate(&signed, d("2026-07-16"), &s));
    assert_eq!(
        m,
        "The patient's microneedling consent was signed on 2026-01-15, more than 6 months before this plan: the patient must sign a new consent before the session."
    );
    // A plan made before the consent was signed is covered by it.
    assert_eq!(
        consent_gate(&signed, d("2025-12-01"), &s),
        GateOutcome::Pass
    );
}

#[test]
fn a_consent_whose_signing_day_cannot_be_read_does_not_open_a_renewing_gate() {
    let s = ConsentSettings::default();
    let garbled = [summary(MICRONEEDLING, ConsentStatus::Signed, "yesterday")];
    assert!(missing(consent_gate(&garbled, d("2026-06-01"), &s)).contains("more than 12 months"));
    let never = ConsentSettings {
        renew_after_months: 0,
        ..s
    };
    assert_eq!(
        consent_gate(&garbled, d("2026-06-01"), &never),
        GateOutcome::Pass
    );
}
