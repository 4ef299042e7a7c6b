//! PRODUCT.md 4.5: the needle-depth chart and its ceilings, the session form's
//! limits, the follow-up form, the adverse-event register's filter and the
//! progress of the Goodman & Baron score.

use crate::common::*;
use dermis_core::ids;
use dermis_core::session::{
    default_depth_chart, draft_record, format_mm, parse_mm, progress, validate_depth_chart,
    validate_event_filter, validate_healing, validate_record, AdverseEventFilter,
    AdverseEventInput, AdverseEventKind, DepthRange, DepthZone, Endpoint, HealingInput,
    ProgressPoint, ProgressVerdict, SessionRecordInput, SkinThickness, ZoneDepthChart,
    ZoneDepthInput, MAX_DEPTH_UM,
};

fn record(depths: &[(DepthZone, &str)]) -> SessionRecordInput {
    SessionRecordInput {
        depths: depths
            .iter()
            .map(|(z, mm)| ZoneDepthInput {
                zone: *z,
                depth_mm: mm.to_string(),
            })
            .collect(),
        device: "Pen A6".into(),
        ..draft_record(None, today())
    }
}

fn fields(i: &SessionRecordInput) -> Vec<String> {
    validate_record(i, &default_depth_chart(), today())
        .unwrap_err()
        .fields()
        .iter()
        .map(|f| f.field.clone())
        .collect()
}

fn ok(i: &SessionRecordInput) -> dermis_core::session::ValidSessionRecord {
    validate_record(i, &default_depth_chart(), today()).unwrap()
}

// ---- The chart.

#[test]
fn the_default_chart_is_the_manufacturers_chart_of_the_specification() {
    let r = |min_um, max_um| DepthRange { min_um, max_um };
    let want = [
        (DepthZone::Forehead, r(250, 500), r(500, 750)),
        (DepthZone::Nose, r(250, 250), r(500, 500)),
        (DepthZone::AroundEyes, r(250, 250), r(250, 500)),
        (DepthZone::Cheekbones, r(500, 500), r(500, 1000)),
        (DepthZone::CheeksChin, r(500, 1000), r(1000, 2000)),
        (DepthZone::UpperLip, r(250, 250), r(250, 750)),
        (DepthZone::ScarredAreas, r(1000, 1250), r(1500, 2000)),
    ];
    let chart = default_depth_chart();
    assert_eq!(chart.len(), 7);
    for (z, (zone, thin, thick)) in chart.iter().zip(want) {
        assert_eq!(z.zone, zone);
        assert_eq!(z.range(SkinThickness::Thin), thin, "{zone:?} thin");
        assert_eq!(z.range(SkinThickness::Thick), thick, "{zone:?} thick");
    }
}

fn chart_with(zone: DepthZone, thin: DepthRange) -> Vec<ZoneDepthChart> {
    let mut c = default_depth_chart();
    for z in &mut c {
        if z.zone == zone {
            z.thin = thin;
        }
    }
    c
}

#[test]
fn a_chart_range_from_0_05_to_3_mm_is_accepted_and_one_micrometre_past_either_end_refused() {
    let r = |min_um, max_um| DepthRange { min_um, max_um };
    assert!(validate_depth_chart(&chart_with(DepthZone::Nose, r(50, 3000))).is_ok());
    assert!(validate_depth_chart(&chart_with(DepthZone::Nose, r(700, 700))).is_ok());
    for bad in [r(49, 500), r(250, 3001)] {
        let e = validate_depth_chart(&chart_with(DepthZone::Nose, bad)).unwrap_err();
        assert_eq!(e.fields().len(), 1);
        assert_eq!(e.fields()[0].field, "depth_chart.nose.thin");
        assert_eq!(
            e.fields()[0].message,
            "Nose (thin skin): depths must be between 0.05 and 3.0 mm."
        );
    }
    let e = validate_depth_chart(&chart_with(DepthZone::Nose, r(501, 500))).unwrap_err();
    assert_eq!(
        e.fields()[0].message,
        "Nose (thin skin): the lowest depth is above the highest."
    );
    // The thick range is checked too.
    let mut c = default_depth_chart();
    c[6].thick = r(1500, 3500);
    let e = validate_depth_chart(&c).unwrap_err();
    assert_eq!(e.fields()[0].field, "depth_chart.scarred_areas.thick");
}

#[test]
fn a_chart_lists_each_zone_once_and_is_kept_in_zone_order() {
    let mut c = default_depth_chart();
    c.reverse();
    assert_eq!(validate_depth_chart(&c).unwrap(), default_depth_chart());
    c.push(c[0]);
    let e = validate_depth_chart(&c).unwrap_err();
    assert_eq!(e.fields()[0].field, "depth_chart.scarred_areas");
    assert_eq!(
        e.fields()[0].message,
        "Scarred areas must appear once in the depth chart."
    );
}

// ---- Depths as typed.

#[test]
fn a_seven_digit_depth_is_refused_not_overflowed() {
    for raw in ["1234567", "9999999.999", "4294968", "1000"] {
        assert_eq!(parse_mm(raw), None, "{raw}");
        let e = validate_record(
            &record(&[(DepthZone::Forehead, raw)]),
            &default_depth_chart(),
            today(),
        )
        .unwrap_err();
        assert_eq!(e.fields()[0].field, "depth.forehead", "{raw}");
        assert!(e.fields()[0].message.contains("is not a depth"), "{raw}");
    }
    // Three digits still parse (and are then out of range).
    assert_eq!(parse_mm("999"), Some(999_000));
    assert_eq!(parse_mm("999.999"), Some(999_999));
}

#[test]
fn depths_parse_in_the_forms_staff_type() {
    for (raw, um) in [
        ("0.05", 50),
        ("1", 1000),
        ("1.", 1000),
        ("1.250", 1250),
        (" 0,75 mm", 750),
        ("3mm", 3000),
        (".001", 1),
        ("000.5", 500),
    ] {
        assert_eq!(parse_mm(raw), Some(um), "{raw}");
    }
    // "1.+5" would read as 1.05 mm if only the whole part were checked for digits.
    for raw in [
        "mm", " ", "+1", "-0.5", "1e3", "0x1", "1.0001", "١٫٥", "1.+5", "1.-5", "+.5",
    ] {
        assert_eq!(parse_mm(raw), None, "{raw}");
    }
}

#[test]
fn depths_print_as_millimetres_without_trailing_zeros() {
    for (um, s) in [
        (0, "0.0"),
        (1, "0.001"),
        (50, "0.05"),
        (250, "0.25"),
        (1000, "1.0"),
        (1010, "1.01"),
        (3000, "3.0"),
        (12_345, "12.345"),
    ] {
        assert_eq!(format_mm(um), s, "{um}");
        assert_eq!(parse_mm(s), Some(um), "{s}");
    }
}

#[test]
fn a_depth_of_3_mm_is_possible_and_3_001_is_not() {
    assert_eq!(MAX_DEPTH_UM, 3000);
    let mut i = record(&[(DepthZone::ScarredAreas, "3.0")]);
    i.confirm_above_ceiling = true;
    assert_eq!(ok(&i).depths[0].depth_um, 3000);
    i.depths[0].depth_mm = "3.001".into();
    let e = validate_record(&i, &default_depth_chart(), today()).unwrap_err();
    assert_eq!(
        e.fields()[0].message,
        "Scarred areas: a depth of 3.001 mm is not possible; enter between 0.05 and 3.0 mm."
    );
}

#[test]
fn a_depth_of_0_05_mm_is_possible_and_less_is_not() {
    let i = record(&[(DepthZone::Nose, "0.05")]);
    assert_eq!(ok(&i).depths[0].depth_um, 50);
    for raw in ["0.049", "0.001", "0"] {
        let i = record(&[(DepthZone::Nose, raw)]);
        let e = validate_record(&i, &default_depth_chart(), today()).unwrap_err();
        assert_eq!(e.fields()[0].field, "depth.nose", "{raw}");
        assert!(e.fields()[0].message.contains("not possible"), "{raw}");
    }
}

#[test]
fn a_depth_exactly_at_the_ceiling_needs_no_confirmation_and_one_micrometre_more_does() {
    // Cheeks and chin, thin skin: ceiling 1.0 mm.
    let i = record(&[(DepthZone::CheeksChin, "1.0")]);
    let v = ok(&i);
    assert!(!v.depths[0].above_ceiling && !v.ceiling_confirmed);
    let i = record(&[(DepthZone::CheeksChin, "1.001")]);
    let e = validate_record(&i, &default_depth_chart(), today()).unwrap_err();
    assert_eq!(e.fields().len(), 1);
    assert_eq!(e.fields()[0].field, "depth.cheeks_chin");
    assert_eq!(
        e.fields()[0].message,
        "Cheeks and chin: 1.001 mm is above the 1.0 mm ceiling for thin skin; confirm the depth to go ahead."
    );
}

#[test]
fn the_ceiling_comes_from_the_clinics_chart_and_its_skin_thickness() {
    // The clinic lowered the nose's thin ceiling to 0.2 mm.
    let chart = chart_with(
        DepthZone::Nose,
        DepthRange {
            min_um: 100,
            max_um: 200,
        },
    );
    let i = record(&[(DepthZone::Nose, "0.25")]);
    let e = validate_record(&i, &chart, today()).unwrap_err();
    assert!(e.fields()[0]
        .message
        .contains("above the 0.2 mm ceiling for thin skin"));
    // Thick skin reads the thick column: 0.5 mm.
    let mut i = record(&[(DepthZone::Nose, "0.5")]);
    i.skin = SkinThickness::Thick;
    assert!(validate_record(&i, &chart, today()).is_ok());
    i.depths[0].depth_mm = "0.501".into();
    let e = validate_record(&i, &chart, today()).unwrap_err();
    assert!(e.fields()[0].message.contains("ceiling for thick skin"));
    // A zone the chart does not list has no ceiling.
    let without: Vec<ZoneDepthChart> = default_depth_chart()
        .into_iter()
        .filter(|z| z.zone != DepthZone::Nose)
        .collect();
    let i = record(&[(DepthZone::Nose, "2.5")]);
    let v = validate_record(&i, &without, today()).unwrap();
    assert!(!v.depths[0].above_ceiling);
}

#[test]
fn a_confirmation_without_a_depth_above_the_ceiling_records_nothing() {
    let mut i = record(&[(DepthZone::Forehead, "0.5")]);
    i.confirm_above_ceiling = true;
    assert!(!ok(&i).ceiling_confirmed);
}

#[test]
fn a_zone_entered_twice_is_an_error_on_that_zone() {
    let i = record(&[(DepthZone::Nose, "0.25"), (DepthZone::Nose, "0.25")]);
    let e = validate_record(&i, &default_depth_chart(), today()).unwrap_err();
    assert_eq!(e.fields().len(), 1);
    assert_eq!(e.fields()[0].field, "depth.nose");
    assert_eq!(e.fields()[0].message, "Nose is entered twice.");
}

// ---- The rest of the session form.

#[test]
fn numbing_of_180_minutes_is_accepted_and_181_refused() {
    let mut i = record(&[(DepthZone::Forehead, "0.5")]);
    i.numbing_minutes = Some(180);
    assert_eq!(ok(&i).numbing_minutes, Some(180));
    i.numbing_minutes = Some(181);
    assert_eq!(fields(&i), ["numbing_minutes"]);
    i.numbing_minutes = Some(0);
    assert!(validate_record(&i, &default_depth_chart(), today()).is_ok());
}

#[test]
fn one_to_twenty_passes_are_accepted_and_zero_or_twenty_one_refused() {
    for n in [1, 20] {
        let mut i = record(&[(DepthZone::Forehead, "0.5")]);
        i.passes = n;
        assert_eq!(ok(&i).passes, n);
    }
    for n in [0, 21] {
        let mut i = record(&[(DepthZone::Forehead, "0.5")]);
        i.passes = n;
        assert_eq!(fields(&i), ["passes"], "{n}");
    }
}

#[test]
fn a_duration_of_1_to_480_minutes_is_accepted_and_0_or_481_refused() {
    for m in [1, 480] {
        let mut i = record(&[(DepthZone::Forehead, "0.5")]);
        i.duration_minutes = Some(m);
        assert_eq!(ok(&i).duration_minutes, Some(m));
    }
    for m in [0, 481] {
        let mut i = record(&[(DepthZone::Forehead, "0.5")]);
        i.duration_minutes = Some(m);
        assert_eq!(fields(&i), ["duration_minutes"], "{m}");
    }
}

#[test]
fn a_session_dated_tomorrow_is_refused() {
    let mut i = record(&[(DepthZone::Forehead, "0.5")]);
    i.date = "2026-11-25".into();
    assert_eq!(fields(&i), ["date"]);
}

#[test]
fn short_fields_hold_200_characters_and_long_ones_2000() {
    let mut i = record(&[(DepthZone::Forehead, "0.5")]);
    i.numbing_cream = "n".repeat(200);
    i.device = "d".repeat(200);
    i.cartridge_lot = "c".repeat(200);
    i.glide_product = "g".repeat(200);
    i.glide_lot = "l".repeat(200);
    i.immediate_reaction = "r".repeat(2000);
    i.notes = "x".repeat(2000);
    i.screening_override_reason = "o".repeat(2000);
    let v = ok(&i);
    assert_eq!(v.cartridge_lot.len(), 200);
    assert_eq!(v.notes.len(), 2000);
    assert_eq!(v.screening_override_reason.len(), 2000);
    i.numbing_cream.push('n');
    i.cartridge_lot.push('c');
    i.glide_product.push('g');
    i.glide_lot.push('l');
    i.immediate_reaction.push('r');
    i.notes.push('x');
    i.screening_override_reason.push('o');
    assert_eq!(
        fields(&i),
        [
            "numbing_cream",
            "cartridge_lot",
            "glide_product",
            "glide_lot",
            "immediate_reaction",
            "notes",
            "screening_override_reason"
        ]
    );
}

#[test]
fn a_session_needs_a_device_of_at_most_200_characters() {
    let mut i = record(&[(DepthZone::Forehead, "0.5")]);
    i.device = "  ".into();
    assert_eq!(fields(&i), ["device"]);
    i.device = "d".repeat(201);
    assert!(fields(&i).contains(&"device".to_string()));
}

#[test]
fn a_checked_session_keeps_what_was_typed_cleaned() {
    let mut i = record(&[(DepthZone::CheeksChin, "1,25"), (DepthZone::Nose, ".25")]);
    i.skin = SkinThickness::Thick;
    i.numbing_cream = " Lidocaine 5% ".into();
    i.numbing_minutes = Some(30);
    i.cartridge_lot = "LOT-7".into();
    i.passes = 4;
    i.glide_product = "HA serum".into();
    i.glide_lot = "G-1".into();
    i.endpoint = Endpoint::PinpointBleeding;
    i.immediate_reaction = "Redness".into();
    i.duration_minutes = Some(45);
    i.notes = "Fine".into();
    i.screening_override_reason = "GP letter".into();
    let v = ok(&i);
    assert_eq!(v.date, today());
    assert_eq!(v.numbing_cream, "Lidocaine 5%");
    assert_eq!(v.device, "Pen A6");
    assert_eq!(v.cartridge_lot, "LOT-7");
    assert_eq!(v.skin, SkinThickness::Thick);
    assert_eq!(
        v.depths
            .iter()
            .map(|d| (d.zone, d.depth_um))
            .collect::<Vec<_>>(),
        [(DepthZone::CheeksChin, 1250), (DepthZone::Nose, 250)]
    );
    assert_eq!(v.passes, 4);
    assert_eq!(v.glide_product, "HA serum");
    assert_eq!(v.glide_lot, "G-1");
    assert_eq!(v.endpoint, Endpoint::PinpointBleeding);
    assert_eq!(v.immediate_reaction, "Redness");
    assert_eq!(v.duration_minutes, Some(45));
    assert_eq!(v.notes, "Fine");
    assert_eq!(v.screening_override_reason, "GP letter");
}

#[test]
fn a_first_session_starts_from_a_blank_form_dated_today() {
    let f = draft_record(None, today());
    assert_eq!(f.date, "2026-11-24");
    assert!(f.depths.is_empty() && f.device.is_empty() && f.numbing_cream.is_empty());
    assert_eq!(f.skin, SkinThickness::Thin);
    assert_eq!(f.passes, 3);
    assert_eq!(f.endpoint, Endpoint::Erythema);
    assert_eq!(f.numbing_minutes, None);
    assert!(!f.confirm_above_ceiling);
}

#[test]
fn the_next_session_copies_the_device_and_the_glide_product_forward() {
    let v = {
        let mut i = record(&[(DepthZone::Nose, "0.25")]);
        i.device = "Pen B2".into();
        i.glide_product = "Saline".into();
        ok(&i)
    };
    let previous = dermis_core::session::SessionRecord {
        id: ids::SessionRecordId(1),
        patient_id: ids::PatientId(1),
        plan_id: ids::PlanId(1),
        planned_session_id: ids::PlannedSessionId(1),
        n: 1,
        date: v.date,
        numbing_cream: v.numbing_cream,
        numbing_minutes: v.numbing_minutes,
        device: v.device,
        cartridge_lot: v.cartridge_lot,
        skin: v.skin,
        depths: v.depths,
        passes: v.passes,
        glide_product: v.glide_product,
        glide_lot: v.glide_lot,
        endpoint: v.endpoint,
        immediate_reaction: v.immediate_reaction,
        duration_minutes: v.duration_minutes,
        notes: v.notes,
        ceiling_confirmed: v.ceiling_confirmed,
        screening_override_reason: v.screening_override_reason,
        practitioner: "dr".into(),
        created_at: String::new(),
        warnings: vec![],
        healing: None,
    };
    let f = draft_record(Some(&previous), d("2026-12-29"));
    assert_eq!(f.date, "2026-12-29");
    assert_eq!(f.device, "Pen B2");
    assert_eq!(f.glide_product, "Saline");
    assert_eq!(f.depths[0].depth_mm, "0.25");
}

// ---- Follow-up and adverse events.

fn healing(reported_on: &str, redness: u32, flaking: u32) -> HealingInput {
    HealingInput {
        reported_on: reported_on.into(),
        redness_days: redness,
        flaking_days: flaking,
        events: vec![],
        notes: String::new(),
    }
}

#[test]
fn a_follow_up_on_the_session_day_is_accepted_and_the_day_before_refused() {
    let session = d("2026-11-20");
    let v = validate_healing(&healing("2026-11-20", 3, 2), session, today()).unwrap();
    assert_eq!(v.reported_on, session);
    assert_eq!((v.redness_days, v.flaking_days), (3, 2));
    let e = validate_healing(&healing("2026-11-19", 3, 2), session, today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "reported_on");
    assert_eq!(
        e.fields()[0].message,
        "The report date 2026-11-19 is before the session on 2026-11-20."
    );
    let e = validate_healing(&healing("2026-11-25", 3, 2), session, today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "reported_on");
}

#[test]
fn ninety_days_of_redness_or_flaking_are_accepted_and_ninety_one_refused() {
    let session = d("2026-11-20");
    assert!(validate_healing(&healing("2026-11-24", 90, 90), session, today()).is_ok());
    let e = validate_healing(&healing("2026-11-24", 91, 91), session, today()).unwrap_err();
    let f: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(f, ["redness_days", "flaking_days"]);
    assert_eq!(
        e.fields()[1].message,
        "91 days of flaking is more than 90; check the number."
    );
}

#[test]
fn an_other_adverse_event_needs_a_description_and_keeps_it() {
    let session = d("2026-11-20");
    let mut h = healing("2026-11-24", 1, 1);
    h.events = vec![
        AdverseEventInput {
            kind: AdverseEventKind::Other,
            description: "  Itching on the chin ".into(),
        },
        AdverseEventInput {
            kind: AdverseEventKind::Oedema,
            description: String::new(),
        },
    ];
    h.notes = " Called on day 2 ".into();
    let v = validate_healing(&h, session, today()).unwrap();
    assert_eq!(
        v.events,
        [
            AdverseEventInput {
                kind: AdverseEventKind::Other,
                description: "Itching on the chin".into()
            },
            AdverseEventInput {
                kind: AdverseEventKind::Oedema,
                description: String::new()
            }
        ]
    );
    assert_eq!(v.notes, "Called on day 2");
    h.events[0].description = "   ".into();
    let e = validate_healing(&h, session, today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "events.other");
    assert_eq!(e.fields()[0].message, "Describe the adverse event.");
    // Listing one kind twice.
    h.events = vec![
        AdverseEventInput {
            kind: AdverseEventKind::Pih,
            description: String::new(),
        },
        AdverseEventInput {
            kind: AdverseEventKind::Pih,
            description: String::new(),
        },
    ];
    let e = validate_healing(&h, session, today()).unwrap_err();
    assert_eq!(e.fields().len(), 1);
    assert_eq!(
        e.fields()[0].message,
        "Post-inflammatory hyperpigmentation is listed twice."
    );
}

#[test]
fn the_register_filter_allows_one_day_and_refuses_an_end_before_the_start() {
    let f = |from: &str, to: &str| AdverseEventFilter {
        kind: Some(AdverseEventKind::Infection),
        from: from.into(),
        to: to.into(),
        lot: " LOT-7 ".into(),
    };
    let v = validate_event_filter(&f("2026-11-01", "2026-11-01")).unwrap();
    assert_eq!(v.from, Some(d("2026-11-01")));
    assert_eq!(v.to, Some(d("2026-11-01")));
    assert_eq!(v.kind, Some(AdverseEventKind::Infection));
    assert_eq!(v.lot, "LOT-7");
    let e = validate_event_filter(&f("2026-11-02", "2026-11-01")).unwrap_err();
    assert_eq!(e.fields()[0].field, "to");
    let v = validate_event_filter(&f(" ", "")).unwrap();
    assert_eq!((v.from, v.to), (None, None));
    let e = validate_event_filter(&f("soon", "")).unwrap_err();
    assert_eq!(e.fields()[0].field, "from");
    let mut long = f("", "");
    long.lot = "l".repeat(201);
    assert_eq!(
        validate_event_filter(&long).unwrap_err().fields()[0].field,
        "lot"
    );
}

// ---- Progress (PRODUCT.md 4.1).

fn pt(id: i64, date: &str, score: u32) -> ProgressPoint {
    ProgressPoint {
        assessment_id: ids::AssessmentId(id),
        date: d(date),
        score,
        grade: 2,
    }
}

#[test]
fn progress_from_a_baseline_of_zero_is_worse_with_no_percentage_and_no_panic() {
    let p = progress(&[pt(1, "2026-01-01", 0), pt(2, "2026-05-01", 10)]);
    assert_eq!(p.change, Some(10));
    assert_eq!(p.verdict, ProgressVerdict::Worse);
    assert_eq!(p.improvement_percent, None);
    assert_eq!(
        p.summary,
        "Score 0 → 10: worse than the baseline by 10 points."
    );
    // Zero to zero: no change, no percentage.
    let p = progress(&[pt(1, "2026-01-01", 0), pt(2, "2026-05-01", 0)]);
    assert_eq!(p.verdict, ProgressVerdict::NoClearChange);
    assert_eq!(p.improvement_percent, None);
}

#[test]
fn a_change_of_four_points_is_no_clear_change_and_five_is() {
    for (l, verdict) in [
        (16, ProgressVerdict::NoClearChange),
        (24, ProgressVerdict::NoClearChange),
        (15, ProgressVerdict::Improved),
        (25, ProgressVerdict::Worse),
    ] {
        let p = progress(&[pt(1, "2026-01-01", 20), pt(2, "2026-05-01", l)]);
        assert_eq!(p.verdict, verdict, "20 → {l}");
    }
    let p = progress(&[pt(1, "2026-01-01", 20), pt(2, "2026-05-01", 15)]);
    assert_eq!(
        p.summary,
        "Score 20 → 15 (25% improvement) since the baseline."
    );
    let p = progress(&[pt(1, "2026-01-01", 20), pt(2, "2026-05-01", 16)]);
    assert_eq!(
        p.summary,
        "Score 20 → 16: no clear change (a change of 4 points or less is within the variation between assessors)."
    );
}

#[test]
fn the_improvement_percentage_rounds_half_away_from_zero() {
    // 8 → 7: 12.5 % → 13; 8 → 9: −12.5 % → −13; 3 → 2: 33.3 % → 33; 3 → 1: 66.7 % → 67.
    for (b, l, pct) in [
        (8, 7, 13),
        (8, 9, -13),
        (3, 2, 33),
        (3, 1, 67),
        (3, 4, -33),
        (3, 5, -67),
    ] {
        let p = progress(&[pt(1, "2026-01-01", b), pt(2, "2026-05-01", l)]);
        assert_eq!(p.improvement_percent, Some(pct), "{b} → {l}");
    }
}

#[test]
fn progress_compares_the_oldest_with_the_latest_whatever_the_order_given() {
    let p = progress(&[
        pt(3, "2026-09-01", 10),
        pt(1, "2026-01-01", 30),
        pt(2, "2026-05-01", 20),
    ]);
    assert_eq!(p.baseline, Some(30));
    assert_eq!(p.latest, Some(10));
    assert_eq!(p.change, Some(-20));
    assert_eq!(p.improvement_percent, Some(67));
    let ids: Vec<i64> = p.points.iter().map(|p| p.assessment_id.0).collect();
    assert_eq!(ids, [1, 2, 3]);
    // Same day: the later recorded (higher id) is the latest.
    let p = progress(&[pt(2, "2026-05-01", 12), pt(1, "2026-05-01", 30)]);
    assert_eq!((p.baseline, p.latest), (Some(30), Some(12)));
    // None at all.
    let p = progress(&[]);
    assert_eq!(p.verdict, ProgressVerdict::NotEnoughData);
    assert_eq!((p.baseline, p.latest, p.change), (None, None, None));
}

// ---- Stored names.

#[test]
fn zones_thicknesses_endpoints_and_events_round_trip_through_their_stored_names() {
    let zones = [
        "forehead",
        "nose",
        "around_eyes",
        "cheekbones",
        "cheeks_chin",
        "upper_lip",
        "scarred_areas",
    ];
    for (z, name) in DepthZone::ALL.into_iter().zip(zones) {
        assert_eq!(z.as_str(), name);
        assert_eq!(DepthZone::parse(name), Some(z));
        assert_eq!(serde_json::to_string(&z).unwrap(), format!("\"{name}\""));
    }
    assert_eq!(
        DepthZone::parse(" Cheeks-Chin "),
        Some(DepthZone::CheeksChin)
    );
    assert_eq!(DepthZone::parse("ears"), None);
    let labels: Vec<&str> = DepthZone::ALL.iter().map(|z| z.label()).collect();
    assert_eq!(
        labels,
        [
            "Forehead",
            "Nose",
            "Around the eyes",
            "Cheekbones",
            "Cheeks and chin",
            "Upper lip",
            "Scarred areas"
        ]
    );
    for (t, name) in [
        (SkinThickness::Thin, "thin"),
        (SkinThickness::Thick, "thick"),
    ] {
        assert_eq!(t.as_str(), name);
        assert_eq!(SkinThickness::parse(name), Some(t));
        assert_eq!(SkinThickness::parse(&format!(" {name} ")), Some(t));
    }
    assert_eq!(SkinThickness::parse("medium"), None);
    for (e, name) in [
        (Endpoint::Erythema, "erythema"),
        (Endpoint::PinpointBleeding, "pinpoint_bleeding"),
        (Endpoint::NotReached, "not_reached"),
    ] {
        assert_eq!(e.as_str(), name);
        assert_eq!(Endpoint::parse(name), Some(e));
        assert_eq!(Endpoint::parse(&format!("{name} ")), Some(e));
    }
    assert_eq!(Endpoint::parse("bleeding"), None);
    let events = [
        ("erythema", "Prolonged erythema"),
        ("oedema", "Oedema"),
        ("pih", "Post-inflammatory hyperpigmentation"),
        ("acne_flare", "Acne flare"),
        ("infection", "Infection"),
        ("herpes_reactivation", "Herpes reactivation"),
        ("tram_track_scarring", "Tram-track scarring"),
        ("granuloma", "Granuloma"),
        ("other", "Other"),
    ];
    for (k, (name, label)) in AdverseEventKind::ALL.into_iter().zip(events) {
        assert_eq!(k.as_str(), name);
        assert_eq!(k.label(), label);
        assert_eq!(AdverseEventKind::parse(name), Some(k));
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{name}\""));
    }
    assert_eq!(
        AdverseEventKind::parse("Tram track scarring"),
        Some(AdverseEventKind::TramTrackScarring)
    );
    assert_eq!(AdverseEventKind::parse("bruise"), None);
}
