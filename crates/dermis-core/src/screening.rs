//! Screening and contraindications (PRODUCT.md 4.3): each rule has a kind —
//! block, warn, or washout until a computed date — and the clinic can change
//! the kinds; the defaults below cite the product specification.

use crate::error::{Collector, ValidationErrors};
use crate::ids::{PatientId, ScreeningId};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Condition {
    ActiveInfection,
    ActiveAcne,
    KeloidTendency,
    PregnancyOrBreastfeeding,
    CancerTreatment,
    Isotretinoin,
    Anticoagulants,
    Diabetes,
    SkinCondition,
    HerpesSimplex,
    Allergy,
}

impl Condition {
    pub const ALL: [Condition; 11] = [
        Condition::ActiveInfection,
        Condition::ActiveAcne,
        Condition::KeloidTendency,
        Condition::PregnancyOrBreastfeeding,
        Condition::CancerTreatment,
        Condition::Isotretinoin,
        Condition::Anticoagulants,
        Condition::Diabetes,
        Condition::SkinCondition,
        Condition::HerpesSimplex,
        Condition::Allergy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Condition::ActiveInfection => "active_infection",
            Condition::ActiveAcne => "active_acne",
            Condition::KeloidTendency => "keloid_tendency",
            Condition::PregnancyOrBreastfeeding => "pregnancy_or_breastfeeding",
            Condition::CancerTreatment => "cancer_treatment",
            Condition::Isotretinoin => "isotretinoin",
            Condition::Anticoagulants => "anticoagulants",
            Condition::Diabetes => "diabetes",
            Condition::SkinCondition => "skin_condition",
            Condition::HerpesSimplex => "herpes_simplex",
            Condition::Allergy => "allergy",
        }
    }

    pub fn parse(s: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The question as the form asks it.
    pub fn question(self) -> &'static str {
        match self {
            Condition::ActiveInfection => "Active infection or open wound in the treatment area?",
            Condition::ActiveAcne => "Active inflammatory acne in the treatment area?",
            Condition::KeloidTendency => "Tendency to form keloid scars?",
            Condition::PregnancyOrBreastfeeding => "Pregnant or breastfeeding?",
            Condition::CancerTreatment => "Having cancer treatment (chemotherapy or radiotherapy)?",
            Condition::Isotretinoin => "Taken isotretinoin (e.g. Roaccutane) in the last 6 months?",
            Condition::Anticoagulants => "Taking anticoagulants, or has a bleeding disorder?",
            Condition::Diabetes => "Diabetes?",
            Condition::SkinCondition => "Eczema, psoriasis or rosacea in the treatment area?",
            Condition::HerpesSimplex => "History of herpes simplex (cold sores)?",
            Condition::Allergy => "Allergy to metals (nickel) or to anaesthetics?",
        }
    }

    /// What the finding says when the answer is yes.
    fn finding(self) -> &'static str {
        match self {
            Condition::ActiveInfection => "Active infection or open wound in the area",
            Condition::ActiveAcne => "Active inflammatory acne in the area",
            Condition::KeloidTendency => "Keloid tendency",
            Condition::PregnancyOrBreastfeeding => "Pregnancy or breastfeeding",
            Condition::CancerTreatment => "Cancer treatment (chemotherapy or radiotherapy)",
            Condition::Isotretinoin => "Isotretinoin",
            Condition::Anticoagulants => {
                "Anticoagulants or a bleeding disorder: expect more bleeding"
            }
            Condition::Diabetes => "Diabetes: slower healing and a higher infection risk",
            Condition::SkinCondition => "Eczema, psoriasis or rosacea in the area",
            Condition::HerpesSimplex => "Herpes simplex history: consider antiviral prophylaxis",
            Condition::Allergy => {
                "Metal or anaesthetic allergy: check the needles and the numbing cream"
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleKind {
    /// No plan or session without a practitioner override and a written reason.
    Block,
    /// Shown at booking and at session start.
    Warn,
    /// Blocked until a date computed from the last date (e.g. the last dose).
    Washout,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Block => "block",
            RuleKind::Warn => "warn",
            RuleKind::Washout => "washout",
        }
    }

    pub fn parse(s: &str) -> Option<RuleKind> {
        [RuleKind::Block, RuleKind::Warn, RuleKind::Washout]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One contraindication rule as the clinic has set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "ContraindicationRule")]
pub struct Rule {
    pub condition: Condition,
    pub kind: RuleKind,
    /// For washouts: months after the last date.
    pub washout_months: Option<u32>,
}

/// The defaults of PRODUCT.md 4.3.
pub fn default_rules() -> Vec<Rule> {
    use Condition::*;
    Condition::ALL
        .into_iter()
        .map(|condition| {
            let (kind, washout_months) = match condition {
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
            Rule {
                condition,
                kind,
                washout_months,
            }
        })
        .collect()
}

/// Checks the rules a clinic set: every condition once, a washout with 1–24
/// months, no months on the other kinds. Returns them in form order.
pub fn validate_rules(rules: &[Rule]) -> Result<Vec<Rule>, ValidationErrors> {
    let mut c = Collector::default();
    let mut out = Vec::new();
    for condition in Condition::ALL {
        let field = format!("rules.{}", condition.as_str());
        let found: Vec<&Rule> = rules.iter().filter(|r| r.condition == condition).collect();
        match found.as_slice() {
            [r] => {
                let months = match (r.kind, r.washout_months) {
                    (RuleKind::Washout, Some(m)) if (1..=24).contains(&m) => Some(m),
                    (RuleKind::Washout, _) => {
                        c.push(
                            &field,
                            "A waiting period is 1 to 24 months after the last date.",
                        );
                        None
                    }
                    _ => None,
                };
                out.push(Rule {
                    condition,
                    kind: r.kind,
                    washout_months: months,
                });
            }
            [] => c.push(
                &field,
                format!("Say how to treat: {}", condition.question()),
            ),
            _ => c.push(&field, "This condition has two rules."),
        }
    }
    c.finish()?;
    Ok(out)
}

/// A question on the screening form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScreeningQuestion {
    pub condition: Condition,
    pub question: String,
    pub kind: RuleKind,
    pub washout_months: Option<u32>,
    /// A "yes" needs the date of the last dose (washout rules).
    pub asks_last_date: bool,
}

pub fn questions(rules: &[Rule]) -> Vec<ScreeningQuestion> {
    rules
        .iter()
        .map(|r| ScreeningQuestion {
            condition: r.condition,
            question: r.condition.question().to_string(),
            kind: r.kind,
            washout_months: r.washout_months,
            asks_last_date: r.kind == RuleKind::Washout,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScreeningAnswer {
    pub condition: Condition,
    pub present: bool,
    /// `YYYY-MM-DD`: the last dose or treatment, for washout rules.
    pub last_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScreeningInput {
    pub screened_on: String,
    pub answers: Vec<ScreeningAnswer>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Finding {
    pub condition: Condition,
    pub kind: RuleKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScreeningResult {
    /// No block applies (a washout only delays: see `earliest_eligible`).
    pub allowed: bool,
    pub blocks: Vec<Finding>,
    pub warnings: Vec<Finding>,
    #[ts(type = "string | null")]
    pub earliest_eligible: Option<NaiveDate>,
    /// After this date the screening must be renewed before a session.
    #[ts(type = "string")]
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Screening {
    pub id: ScreeningId,
    pub patient_id: PatientId,
    #[ts(type = "string")]
    pub screened_on: NaiveDate,
    pub answers: Vec<ScreeningAnswer>,
    pub notes: String,
    pub result: ScreeningResult,
    pub recorded_by: String,
    pub created_at: String,
}

/// A checked screening: one answer per condition, dates parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidScreening {
    pub screened_on: NaiveDate,
    /// (condition, present, last date), one per condition in rule order.
    pub answers: Vec<(Condition, bool, Option<NaiveDate>)>,
    pub notes: String,
}

impl ValidScreening {
    /// The answers in their IPC form.
    pub fn answers_out(&self) -> Vec<ScreeningAnswer> {
        self.answers
            .iter()
            .map(|(c, p, d)| ScreeningAnswer {
                condition: *c,
                present: *p,
                last_date: d.map(|d| d.format("%Y-%m-%d").to_string()),
            })
            .collect()
    }
}

/// Checks a screening form against the clinic's rules: every question
/// answered once, a last date for each "yes" to a washout question.
pub fn validate(
    input: &ScreeningInput,
    rules: &[Rule],
    today: NaiveDate,
) -> Result<ValidScreening, ValidationErrors> {
    let mut c = Collector::default();
    let screened_on = c.check(crate::validate::past_date(
        "screened_on",
        "Screening date",
        &input.screened_on,
        today,
    ));
    let mut answers = Vec::new();
    for rule in rules {
        let given: Vec<&ScreeningAnswer> = input
            .answers
            .iter()
            .filter(|a| a.condition == rule.condition)
            .collect();
        let field = format!("answers.{}", rule.condition.as_str());
        match given.as_slice() {
            [] => c.push(&field, format!("Answer: {}", rule.condition.question())),
            [a] => {
                let raw = a.last_date.as_deref().unwrap_or("").trim();
                let last = if raw.is_empty() {
                    None
                } else {
                    c.check(crate::validate::date(
                        &format!("{field}.last_date"),
                        "The last date",
                        raw,
                    ))
                };
                if a.present && rule.kind == RuleKind::Washout && last.is_none() && raw.is_empty() {
                    c.push(
                        &format!("{field}.last_date"),
                        "Give the date of the last dose: the waiting period counts from it.",
                    );
                }
                answers.push((
                    rule.condition,
                    a.present,
                    if a.present { last } else { None },
                ));
            }
            _ => c.push(&field, "This question is answered twice."),
        }
    }
    let notes = c.check(crate::validate::text(
        "notes",
        "Notes",
        &input.notes,
        crate::validate::NOTES_MAX_CHARS,
    ));
    c.finish()?;
    Ok(ValidScreening {
        screened_on: screened_on.unwrap_or_default(),
        answers,
        notes: notes.unwrap_or_default(),
    })
}

/// `date` + `months` calendar months, a month end clamping (31 Jan + 1 = 28/29 Feb).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Applies the rules to the answers.
pub fn evaluate(s: &ValidScreening, rules: &[Rule], validity_months: u32) -> ScreeningResult {
    let mut blocks = Vec::new();
    let mut warnings = Vec::new();
    let mut earliest: Option<NaiveDate> = None;
    for (condition, present, last) in &s.answers {
        if !present {
            continue;
        }
        let Some(rule) = rules.iter().find(|r| r.condition == *condition) else {
            continue;
        };
        let what = condition.finding();
        match rule.kind {
            RuleKind::Block => blocks.push(Finding {
                condition: *condition,
                kind: rule.kind,
                message: format!(
                    "{what}: no treatment without a practitioner's override and a written reason."
                ),
            }),
            RuleKind::Warn => warnings.push(Finding {
                condition: *condition,
                kind: rule.kind,
                message: format!("{what}."),
            }),
            RuleKind::Washout => {
                let months = rule.washout_months.unwrap_or(0);
                match last {
                    Some(last) => {
                        let from = add_months(*last, months);
                        earliest = Some(earliest.map_or(from, |e| e.max(from)));
                        warnings.push(Finding {
                            condition: *condition,
                            kind: rule.kind,
                            message: format!(
                                "{what} stopped {last} → eligible from {from} ({months} months after the last dose)."
                            ),
                        });
                    }
                    None => blocks.push(Finding {
                        condition: *condition,
                        kind: rule.kind,
                        message: format!("{what}: no date of the last dose, so the waiting period cannot be counted."),
                    }),
                }
            }
        }
    }
    ScreeningResult {
        allowed: blocks.is_empty(),
        blocks,
        warnings,
        earliest_eligible: earliest,
        valid_until: add_months(s.screened_on, validity_months),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(yes: &[(Condition, Option<&str>)]) -> ScreeningInput {
        ScreeningInput {
            screened_on: "2026-11-24".into(),
            answers: Condition::ALL
                .into_iter()
                .map(|c| {
                    let y = yes.iter().find(|(k, _)| *k == c);
                    ScreeningAnswer {
                        condition: c,
                        present: y.is_some(),
                        last_date: y.and_then(|(_, d)| d.map(str::to_string)),
                    }
                })
                .collect(),
            notes: String::new(),
        }
    }

    fn result(yes: &[(Condition, Option<&str>)]) -> ScreeningResult {
        let rules = default_rules();
        let v = validate(&input(yes), &rules, d("2026-11-24")).unwrap();
        evaluate(&v, &rules, 6)
    }

    #[test]
    fn nothing_present_is_allowed_and_valid_for_six_months() {
        let r = result(&[]);
        assert!(r.allowed);
        assert!(r.blocks.is_empty() && r.warnings.is_empty());
        assert_eq!(r.earliest_eligible, None);
        assert_eq!(r.valid_until, d("2027-05-24"));
    }

    #[test]
    fn each_block_rule_blocks() {
        for c in [
            Condition::ActiveInfection,
            Condition::ActiveAcne,
            Condition::KeloidTendency,
            Condition::PregnancyOrBreastfeeding,
            Condition::CancerTreatment,
        ] {
            let r = result(&[(c, None)]);
            assert!(!r.allowed, "{c:?}");
            assert_eq!(r.blocks.len(), 1);
            assert_eq!(r.blocks[0].condition, c);
            assert!(r.blocks[0].message.contains("override"));
        }
    }

    #[test]
    fn each_warn_rule_warns_and_allows() {
        for c in [
            Condition::Anticoagulants,
            Condition::Diabetes,
            Condition::SkinCondition,
            Condition::HerpesSimplex,
            Condition::Allergy,
        ] {
            let r = result(&[(c, None)]);
            assert!(r.allowed, "{c:?}");
            assert_eq!(r.warnings.len(), 1);
            assert_eq!(r.warnings[0].kind, RuleKind::Warn);
        }
        let herpes = result(&[(Condition::HerpesSimplex, None)]);
        assert!(herpes.warnings[0].message.contains("antiviral prophylaxis"));
    }

    #[test]
    fn isotretinoin_washout_gives_the_eligible_date() {
        let r = result(&[(Condition::Isotretinoin, Some("2026-09-01"))]);
        assert!(r.allowed);
        assert_eq!(r.earliest_eligible, Some(d("2027-03-01")));
        assert!(
            r.warnings[0].message.contains("eligible from 2027-03-01"),
            "{}",
            r.warnings[0].message
        );
        // A month end clamps.
        let r = result(&[(Condition::Isotretinoin, Some("2026-08-31"))]);
        assert_eq!(r.earliest_eligible, Some(d("2027-02-28")));
    }

    #[test]
    fn a_washout_without_its_date_is_an_error_on_that_field() {
        let rules = default_rules();
        let e = validate(
            &input(&[(Condition::Isotretinoin, None)]),
            &rules,
            d("2026-11-24"),
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "answers.isotretinoin.last_date");
    }

    #[test]
    fn every_question_must_be_answered_once() {
        let rules = default_rules();
        let mut i = input(&[]);
        i.answers.retain(|a| a.condition != Condition::Diabetes);
        let e = validate(&i, &rules, d("2026-11-24")).unwrap_err();
        assert_eq!(e.0[0].field, "answers.diabetes");
        let mut i = input(&[]);
        i.answers.push(i.answers[0].clone());
        assert!(validate(&i, &rules, d("2026-11-24")).is_err());
    }

    #[test]
    fn rules_are_checked_before_they_are_kept() {
        let mut rules = default_rules();
        assert_eq!(validate_rules(&rules).unwrap(), default_rules());
        rules[0].kind = RuleKind::Washout;
        rules[0].washout_months = None;
        let e = validate_rules(&rules).unwrap_err();
        assert_eq!(e.0[0].field, "rules.active_infection");
        rules.remove(0);
        assert!(validate_rules(&rules).is_err());
        // Months on a non-washout rule are dropped, not kept.
        let mut rules = default_rules();
        rules[1].washout_months = Some(3);
        assert_eq!(validate_rules(&rules).unwrap()[1].washout_months, None);
    }

    #[test]
    fn the_clinic_can_change_a_kind() {
        let mut rules = default_rules();
        rules
            .iter_mut()
            .find(|r| r.condition == Condition::Diabetes)
            .unwrap()
            .kind = RuleKind::Block;
        let v = validate(
            &input(&[(Condition::Diabetes, None)]),
            &rules,
            d("2026-11-24"),
        )
        .unwrap();
        assert!(!evaluate(&v, &rules, 6).allowed);
    }
}
