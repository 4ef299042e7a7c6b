//! PRODUCT.md 4.1–4.2: the assessment form's limits (grade 1–4, Fitzpatrick
//! I–VI, at most 1,000 lesions per category, scar age at most 100 years) and
//! the Goodman & Baron score.

use crate::common::*;
use dermis_core::assessment::{
    count_multiplier, gb_score, validate, AssessmentInput, GbCounts, ScarType, Sensitivity,
    TreatmentArea, MAX_COUNT,
};

fn good() -> AssessmentInput {
    AssessmentInput {
        assessed_on: "2026-11-24".into(),
        scar_types: vec![ScarType::Rolling, ScarType::Boxcar, ScarType::Rolling],
        grade: 3,
        counts: GbCounts {
            macular: 0,
            moderate: 12,
            severe: 3,
            papular: 0,
            keloidal: 0,
        },
        fitzpatrick: 3,
        sensitivity: Sensitivity::Normal,
        treatment_areas: vec![
            TreatmentArea::Cheeks,
            TreatmentArea::Forehead,
            TreatmentArea::Cheeks,
        ],
        scar_age_years: 8,
        notes: "  Since adolescence ".into(),
    }
}

fn fields(i: &AssessmentInput) -> Vec<String> {
    validate(i, today())
        .unwrap_err()
        .fields()
        .iter()
        .map(|f| f.field.clone())
        .collect()
}

#[test]
fn a_good_assessment_is_kept_sorted_deduplicated_and_scored() {
    let v = validate(&good(), today()).unwrap();
    assert_eq!(v.assessed_on, today());
    assert_eq!(v.scar_types, [ScarType::Boxcar, ScarType::Rolling]);
    assert_eq!(
        v.treatment_areas,
        [TreatmentArea::Forehead, TreatmentArea::Cheeks]
    );
    assert_eq!(v.grade, 3);
    assert_eq!(v.fitzpatrick, 3);
    assert_eq!(v.sensitivity, Sensitivity::Normal);
    assert_eq!(v.scar_age_years, 8);
    assert_eq!(v.counts, good().counts);
    // Moderate 12 → 2 × 2; severe 3 → 3 × 1.
    assert_eq!(v.score, 7);
    assert_eq!(v.notes, "Since adolescence");
}

#[test]
fn the_grade_is_one_to_four() {
    for ok in [1, 4] {
        let mut i = good();
        i.grade = ok;
        assert!(validate(&i, today()).is_ok(), "{ok}");
    }
    for bad in [0, 5] {
        let mut i = good();
        i.grade = bad;
        assert_eq!(fields(&i), ["grade"], "{bad}");
    }
}

#[test]
fn the_fitzpatrick_type_is_one_to_six() {
    for ok in [1, 6] {
        let mut i = good();
        i.fitzpatrick = ok;
        assert!(validate(&i, today()).is_ok(), "{ok}");
    }
    for bad in [0, 7] {
        let mut i = good();
        i.fitzpatrick = bad;
        assert_eq!(fields(&i), ["fitzpatrick"], "{bad}");
    }
}

#[test]
fn a_lesion_count_of_one_thousand_is_accepted_and_one_more_refused_in_every_category() {
    assert_eq!(MAX_COUNT, 1000);
    type Set = fn(&mut GbCounts, u32);
    let categories: [(&str, Set); 5] = [
        ("counts.macular", |c, n| c.macular = n),
        ("counts.moderate", |c, n| c.moderate = n),
        ("counts.severe", |c, n| c.severe = n),
        ("counts.papular", |c, n| c.papular = n),
        ("counts.keloidal", |c, n| c.keloidal = n),
    ];
    for (field, set) in categories {
        let mut i = good();
        set(&mut i.counts, 1000);
        assert!(validate(&i, today()).is_ok(), "{field}");
        set(&mut i.counts, 1001);
        let e = validate(&i, today()).unwrap_err();
        assert_eq!(e.fields().len(), 1);
        assert_eq!(e.fields()[0].field, field);
        assert_eq!(
            e.fields()[0].message,
            "1001 scars is more than can be counted here (at most 1000)."
        );
    }
}

#[test]
fn a_scar_age_of_one_hundred_years_is_accepted_and_one_hundred_and_one_refused() {
    let mut i = good();
    i.scar_age_years = 100;
    assert!(validate(&i, today()).is_ok());
    i.scar_age_years = 101;
    assert_eq!(fields(&i), ["scar_age_years"]);
    i.scar_age_years = 0;
    assert!(validate(&i, today()).is_ok());
}

#[test]
fn at_least_one_scar_type_and_one_area_are_required() {
    let mut i = good();
    i.scar_types.clear();
    i.treatment_areas.clear();
    assert_eq!(fields(&i), ["scar_types", "treatment_areas"]);
}

#[test]
fn an_assessment_dated_tomorrow_is_refused() {
    let mut i = good();
    i.assessed_on = "2026-11-25".into();
    assert_eq!(fields(&i), ["assessed_on"]);
    i.assessed_on = "24/11/2026".into();
    assert_eq!(fields(&i), ["assessed_on"]);
}

#[test]
fn every_invalid_field_is_reported_at_once_in_form_order() {
    let i = AssessmentInput {
        assessed_on: "".into(),
        scar_types: vec![],
        grade: 9,
        counts: GbCounts {
            keloidal: 5000,
            ..Default::default()
        },
        fitzpatrick: 0,
        sensitivity: Sensitivity::Sensitive,
        treatment_areas: vec![],
        scar_age_years: 500,
        notes: "bad\u{0007}".into(),
    };
    assert_eq!(
        fields(&i),
        [
            "assessed_on",
            "scar_types",
            "grade",
            "counts.keloidal",
            "fitzpatrick",
            "treatment_areas",
            "scar_age_years",
            "notes"
        ]
    );
}

#[test]
fn the_count_multiplier_changes_exactly_at_one_eleven_and_twenty_one() {
    assert_eq!(
        [0, 1, 10, 11, 20, 21, 1000].map(count_multiplier),
        [0, 1, 1, 2, 2, 3, 3]
    );
}

#[test]
fn each_category_scores_its_own_points() {
    let one = |f: fn(&mut GbCounts)| {
        let mut c = GbCounts::default();
        f(&mut c);
        gb_score(&c)
    };
    assert_eq!(one(|c| c.macular = 1), 1);
    assert_eq!(one(|c| c.moderate = 1), 2);
    assert_eq!(one(|c| c.severe = 1), 3);
    assert_eq!(one(|c| c.papular = 1), 2);
    assert_eq!(one(|c| c.keloidal = 1), 6);
    assert_eq!(one(|c| c.keloidal = 21), 18);
}

#[test]
fn sensitivities_and_areas_round_trip_through_their_stored_names() {
    for (s, name) in [
        (Sensitivity::Sensitive, "sensitive"),
        (Sensitivity::Normal, "normal"),
        (Sensitivity::Resilient, "resilient"),
    ] {
        assert_eq!(s.as_str(), name);
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{name}\""));
    }
    let names = [
        "forehead",
        "temples",
        "nose",
        "around_eyes",
        "cheekbones",
        "cheeks",
        "chin",
        "upper_lip",
        "jawline",
        "neck",
        "chest",
        "back",
    ];
    for (a, name) in TreatmentArea::ALL.into_iter().zip(names) {
        assert_eq!(a.as_str(), name);
        assert_eq!(TreatmentArea::parse(name), Some(a));
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{name}\""));
    }
    // As typed on the command line.
    assert_eq!(
        TreatmentArea::parse(" Upper-Lip "),
        Some(TreatmentArea::UpperLip)
    );
    assert_eq!(
        TreatmentArea::parse("around eyes"),
        Some(TreatmentArea::AroundEyes)
    );
    assert_eq!(TreatmentArea::parse("scalp"), None);
}
