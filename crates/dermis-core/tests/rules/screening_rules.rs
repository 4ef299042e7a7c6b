//! PRODUCT.md 4.3: the default kinds, the washout months a clinic may set
//! (1 to 24), every answer kept, dates asked only where they count, and the
//! validity period.

use crate::common::*;
use dermis_core::screening::{
    add_months, default_rules, evaluate, questions, validate, validate_rules, Condition, Rule,
    RuleKind, ScreeningAnswer, ScreeningInput,
};

fn answers(yes: &[(Condition, Option<&str>)]) -> Vec<ScreeningAnswer> {
    Condition::ALL
        .into_iter()
        .map(|c| {
            let y = yes.iter().find(|(k, _)| *k == c);
            ScreeningAnswer {
                condition: c,
                present: y.is_some(),
                last_date: y.and_then(|(_, d)| d.map(str::to_string)),
            }
        })
        .collect()
}

fn form(yes: &[(Condition, Option<&str>)]) -> ScreeningInput {
    ScreeningInput {
        screened_on: "2026-11-24".into(),
        answers: answers(yes),
        notes: String::new(),
    }
}

fn with_washout(months: Option<u32>) -> Vec<Rule> {
    let mut rules = default_rules();
    for r in &mut rules {
        if r.condition == Condition::Isotretinoin {
            r.washout_months = months;
        }
    }
    rules
}

#[test]
fn the_default_rules_are_those_of_the_specification() {
    use Condition::*;
    let rules = default_rules();
    assert_eq!(rules.len(), 11);
    for r in &rules {
        let want = match r.condition {
            ActiveInfection
            | ActiveAcne
            | KeloidTendency
            | PregnancyOrBreastfeeding
            | CancerTreatment => (RuleKind::Block, None),
            Isotretinoin => (RuleKind::Washout, Some(6)),
            Anticoagulants | Diabetes | SkinCondition | HerpesSimplex | Allergy => {
                (RuleKind::Warn, None)
            }
        };
        assert_eq!((r.kind, r.washout_months), want, "{:?}", r.condition);
    }
    let order: Vec<Condition> = rules.iter().map(|r| r.condition).collect();
    assert_eq!(order, Condition::ALL);
}

#[test]
fn the_isotretinoin_washout_cannot_be_set_to_zero_or_twenty_five_months() {
    for bad in [Some(0), Some(25), None] {
        let e = validate_rules(&with_washout(bad)).unwrap_err();
        assert_eq!(e.fields().len(), 1, "{bad:?}");
        assert_eq!(e.fields()[0].field, "rules.isotretinoin");
        assert_eq!(
            e.fields()[0].message,
            "A waiting period is 1 to 24 months after the last date."
        );
    }
}

#[test]
fn a_washout_of_one_or_twenty_four_months_is_kept() {
    for ok in [1, 24] {
        let rules = validate_rules(&with_washout(Some(ok))).unwrap();
        let iso = rules
            .iter()
            .find(|r| r.condition == Condition::Isotretinoin)
            .unwrap();
        assert_eq!(iso.washout_months, Some(ok));
        assert_eq!(iso.kind, RuleKind::Washout);
    }
}

#[test]
fn rules_are_kept_in_form_order_and_each_condition_needs_exactly_one() {
    let mut reversed = default_rules();
    reversed.reverse();
    assert_eq!(validate_rules(&reversed).unwrap(), default_rules());
    let mut twice = default_rules();
    twice.push(twice[3].clone());
    let e = validate_rules(&twice).unwrap_err();
    assert_eq!(e.fields()[0].field, "rules.pregnancy_or_breastfeeding");
    assert_eq!(e.fields()[0].message, "This condition has two rules.");
    let mut missing = default_rules();
    missing.retain(|r| r.condition != Condition::Allergy);
    let e = validate_rules(&missing).unwrap_err();
    assert_eq!(e.fields()[0].field, "rules.allergy");
    assert!(e.fields()[0]
        .message
        .starts_with("Say how to treat: Allergy"));
}

#[test]
fn only_the_washout_question_asks_for_a_last_dose_date() {
    let qs = questions(&default_rules());
    assert_eq!(qs.len(), 11);
    for q in &qs {
        assert_eq!(
            q.asks_last_date,
            q.condition == Condition::Isotretinoin,
            "{:?}",
            q.condition
        );
        assert_eq!(q.question, q.condition.question());
        assert!(q.question.ends_with('?'));
    }
    let iso = qs
        .iter()
        .find(|q| q.condition == Condition::Isotretinoin)
        .unwrap();
    assert_eq!((iso.kind, iso.washout_months), (RuleKind::Washout, Some(6)));
    // A clinic that makes diabetes a washout of 3 months asks its date too.
    let mut rules = default_rules();
    rules[7] = Rule {
        condition: Condition::Diabetes,
        kind: RuleKind::Washout,
        washout_months: Some(3),
    };
    let qs = questions(&rules);
    assert!(qs[7].asks_last_date && qs[7].washout_months == Some(3));
}

#[test]
fn a_recorded_screening_keeps_every_answer() {
    let input = form(&[
        (Condition::Diabetes, None),
        (Condition::Isotretinoin, Some("2026-09-01")),
        (Condition::KeloidTendency, None),
    ]);
    let v = validate(&input, &default_rules(), today()).unwrap();
    assert_eq!(v.screened_on, today());
    assert_eq!(v.answers.len(), 11);
    for (c, present, last) in &v.answers {
        let yes = matches!(
            c,
            Condition::Diabetes | Condition::Isotretinoin | Condition::KeloidTendency
        );
        assert_eq!(*present, yes, "{c:?}");
        assert_eq!(
            *last,
            (*c == Condition::Isotretinoin).then(|| d("2026-09-01")),
            "{c:?}"
        );
    }
    // The form the store saves and the UI shows again: every answer, dates as typed.
    assert_eq!(v.answers_out(), input.answers);
}

#[test]
fn a_no_answer_drops_a_date_typed_by_mistake() {
    let mut input = form(&[]);
    input.answers[5].last_date = Some("2026-09-01".into());
    let v = validate(&input, &default_rules(), today()).unwrap();
    assert_eq!(v.answers[5], (Condition::Isotretinoin, false, None));
}

#[test]
fn a_yes_to_a_warn_question_needs_no_date() {
    let v = validate(
        &form(&[(Condition::Anticoagulants, None)]),
        &default_rules(),
        today(),
    )
    .unwrap();
    assert_eq!(v.answers[6], (Condition::Anticoagulants, true, None));
}

#[test]
fn a_last_dose_that_is_not_a_date_is_one_error_on_that_date() {
    let e = validate(
        &form(&[(Condition::Isotretinoin, Some("last spring"))]),
        &default_rules(),
        today(),
    )
    .unwrap_err();
    assert_eq!(e.fields().len(), 1, "{:?}", e.fields());
    assert_eq!(e.fields()[0].field, "answers.isotretinoin.last_date");
    assert!(e.fields()[0].message.contains("not a date"));
    // A blank date is the "give the date" error.
    let e = validate(
        &form(&[(Condition::Isotretinoin, Some("  "))]),
        &default_rules(),
        today(),
    )
    .unwrap_err();
    assert_eq!(e.fields().len(), 1);
    assert!(e.fields()[0]
        .message
        .starts_with("Give the date of the last dose"));
}

#[test]
fn a_screening_dated_tomorrow_is_refused_and_today_is_fine() {
    let mut input = form(&[]);
    input.screened_on = "2026-11-25".into();
    let e = validate(&input, &default_rules(), today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "screened_on");
    input.screened_on = "2026-11-24".into();
    assert!(validate(&input, &default_rules(), today()).is_ok());
}

#[test]
fn screening_notes_are_checked_and_cleaned() {
    let mut input = form(&[]);
    input.notes = "  Seen with her mother  ".into();
    let v = validate(&input, &default_rules(), today()).unwrap();
    assert_eq!(v.notes, "Seen with her mother");
    input.notes = "x".repeat(5001);
    let e = validate(&input, &default_rules(), today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "notes");
}

#[test]
fn an_unanswered_question_is_asked_again() {
    let mut input = form(&[]);
    input.answers.retain(|a| a.condition != Condition::Diabetes);
    let e = validate(&input, &default_rules(), today()).unwrap_err();
    assert_eq!(e.fields().len(), 1);
    assert_eq!(e.fields()[0].field, "answers.diabetes");
    assert_eq!(e.fields()[0].message, "Answer: Diabetes?");
}

#[test]
fn a_question_answered_twice_names_the_question() {
    let mut input = form(&[]);
    input.answers.push(input.answers[2].clone());
    let e = validate(&input, &default_rules(), today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "answers.keloid_tendency");
    assert_eq!(e.fields()[0].message, "This question is answered twice.");
}

fn result_of(
    yes: &[(Condition, Option<&str>)],
    rules: &[Rule],
) -> dermis_core::screening::ScreeningResult {
    let v = validate(&form(yes), rules, today()).unwrap();
    evaluate(&v, rules, 6)
}

#[test]
fn each_finding_names_its_condition() {
    use Condition::*;
    let rules = default_rules();
    for (c, text) in [
        (
            ActiveInfection,
            "Active infection or open wound in the area",
        ),
        (ActiveAcne, "Active inflammatory acne in the area"),
        (KeloidTendency, "Keloid tendency"),
        (PregnancyOrBreastfeeding, "Pregnancy or breastfeeding"),
        (
            CancerTreatment,
            "Cancer treatment (chemotherapy or radiotherapy)",
        ),
    ] {
        let r = result_of(&[(c, None)], &rules);
        assert!(!r.allowed);
        assert_eq!(
            r.blocks[0].message,
            format!("{text}: no treatment without a practitioner's override and a written reason.")
        );
    }
    for (c, text) in [
        (
            Anticoagulants,
            "Anticoagulants or a bleeding disorder: expect more bleeding.",
        ),
        (
            Diabetes,
            "Diabetes: slower healing and a higher infection risk.",
        ),
        (SkinCondition, "Eczema, psoriasis or rosacea in the area."),
        (
            HerpesSimplex,
            "Herpes simplex history: consider antiviral prophylaxis.",
        ),
        (
            Allergy,
            "Metal or anaesthetic allergy: check the needles and the numbing cream.",
        ),
    ] {
        let r = result_of(&[(c, None)], &rules);
        assert!(r.allowed);
        assert_eq!(r.warnings[0].message, text);
    }
    let r = result_of(&[(Isotretinoin, Some("2026-09-01"))], &rules);
    assert_eq!(
        r.warnings[0].message,
        "Isotretinoin stopped 2026-09-01 → eligible from 2027-03-01 (6 months after the last dose)."
    );
}

#[test]
fn the_later_of_two_washouts_decides_the_first_date() {
    let mut rules = default_rules();
    rules[7] = Rule {
        condition: Condition::Diabetes,
        kind: RuleKind::Washout,
        washout_months: Some(1),
    };
    let r = result_of(
        &[
            (Condition::Isotretinoin, Some("2026-09-01")),
            (Condition::Diabetes, Some("2026-11-01")),
        ],
        &rules,
    );
    assert!(r.allowed);
    assert_eq!(r.earliest_eligible, Some(d("2027-03-01")));
    assert_eq!(r.warnings.len(), 2);
}

#[test]
fn a_condition_the_rules_do_not_list_is_not_judged() {
    let rules = default_rules();
    let v = validate(
        &form(&[(Condition::CancerTreatment, None)]),
        &rules,
        today(),
    )
    .unwrap();
    let fewer: Vec<Rule> = rules
        .into_iter()
        .filter(|r| r.condition != Condition::CancerTreatment)
        .collect();
    let r = evaluate(&v, &fewer, 6);
    assert!(r.allowed && r.blocks.is_empty() && r.warnings.is_empty());
}

#[test]
fn a_washout_recorded_without_its_date_blocks() {
    // A stored screening from before the date was required: no date, so no count.
    let rules = default_rules();
    let mut v = validate(&form(&[]), &rules, today()).unwrap();
    v.answers[5] = (Condition::Isotretinoin, true, None);
    let r = evaluate(&v, &rules, 6);
    assert!(!r.allowed);
    assert_eq!(r.blocks[0].kind, RuleKind::Washout);
    assert!(r.blocks[0].message.contains("no date of the last dose"));
    assert_eq!(r.earliest_eligible, None);
}

#[test]
fn validity_is_counted_in_calendar_months_from_the_screening_date() {
    let rules = default_rules();
    let v = validate(&form(&[]), &rules, today()).unwrap();
    assert_eq!(evaluate(&v, &rules, 6).valid_until, d("2027-05-24"));
    assert_eq!(evaluate(&v, &rules, 1).valid_until, d("2026-12-24"));
    assert_eq!(evaluate(&v, &rules, 36).valid_until, d("2029-11-24"));
}

#[test]
fn adding_months_clamps_month_ends_and_never_overflows() {
    assert_eq!(add_months(d("2027-01-31"), 1), d("2027-02-28"));
    assert_eq!(add_months(d("2028-01-31"), 1), d("2028-02-29"));
    assert_eq!(add_months(d("2026-11-24"), 0), d("2026-11-24"));
    assert_eq!(
        add_months(chrono::NaiveDate::MAX, 1),
        chrono::NaiveDate::MAX
    );
}

#[test]
fn conditions_and_kinds_round_trip_through_their_stored_names() {
    let names = [
        "active_infection",
        "active_acne",
        "keloid_tendency",
        "pregnancy_or_breastfeeding",
        "cancer_treatment",
        "isotretinoin",
        "anticoagulants",
        "diabetes",
        "skin_condition",
        "herpes_simplex",
        "allergy",
    ];
    for (c, name) in Condition::ALL.into_iter().zip(names) {
        assert_eq!(c.as_str(), name);
        assert_eq!(Condition::parse(name), Some(c));
        // The stored name is the serde name the UI sends.
        assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{name}\""));
    }
    assert_eq!(Condition::parse("smoking"), None);
    for (k, name) in [
        (RuleKind::Block, "block"),
        (RuleKind::Warn, "warn"),
        (RuleKind::Washout, "washout"),
    ] {
        assert_eq!(k.as_str(), name);
        assert_eq!(RuleKind::parse(name), Some(k));
    }
    assert_eq!(RuleKind::parse("allow"), None);
}

#[test]
fn every_question_is_distinct() {
    let mut qs: Vec<&str> = Condition::ALL.iter().map(|c| c.question()).collect();
    qs.sort();
    qs.dedup();
    assert_eq!(qs.len(), 11);
}
