//! Session records and healing follow-up (PRODUCT.md 4.5 and 4.4): what was
//! done at each visit, the needle-depth chart with its ceilings, copy-forward
//! of the last visit's settings, how the skin healed, adverse events, and the
//! progress of the Goodman & Baron score over time (4.1).
//!
//! Depths are integer micrometres inside the program and millimetre decimal
//! text at the edges ("1.25"), so no float is ever compared for equality.
//!
//! One file per subject: [`depth`] (the depth chart), [`record`] (what was
//! done), [`healing`] (follow-up and adverse events), [`progress`] (the score
//! over time). Everything is re-exported here, so `session::X` names stay.

mod depth;
mod healing;
mod lots;
mod progress;
mod record;

pub use depth::*;
pub use healing::*;
pub use lots::*;
pub use progress::*;
pub use record::*;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(depths: &[(DepthZone, &str)]) -> SessionRecordInput {
        SessionRecordInput {
            depths: depths
                .iter()
                .map(|(z, mm)| ZoneDepthInput {
                    zone: *z,
                    depth_mm: mm.to_string(),
                })
                .collect(),
            device: "Pen A6".into(),
            ..draft_record(None, d("2026-03-02"))
        }
    }

    #[test]
    fn millimetres_parse_to_micrometres_and_back() {
        assert_eq!(parse_mm("1.25"), Some(1250));
        assert_eq!(parse_mm("1,5"), Some(1500));
        assert_eq!(parse_mm(".5"), Some(500));
        assert_eq!(parse_mm("2"), Some(2000));
        assert_eq!(parse_mm("0.5 mm"), Some(500));
        for bad in ["", "abc", "-1", "1.2345", "1.2.3", "."] {
            assert_eq!(parse_mm(bad), None, "{bad}");
        }
        assert_eq!(format_mm(1250), "1.25");
        assert_eq!(format_mm(500), "0.5");
        assert_eq!(format_mm(1000), "1.0");
    }

    #[test]
    fn a_depth_of_zero_or_five_millimetres_is_refused() {
        let chart = default_depth_chart();
        for mm in ["0", "5", "3.5"] {
            let e = validate_record(
                &input(&[(DepthZone::Forehead, mm)]),
                &chart,
                d("2026-03-02"),
            )
            .unwrap_err();
            assert_eq!(e.fields()[0].field, "depth.forehead", "{mm}");
            assert!(e.fields()[0].message.contains("not possible"), "{mm}");
        }
    }

    #[test]
    fn a_depth_above_the_ceiling_needs_a_confirmation_which_is_recorded() {
        let chart = default_depth_chart();
        let today = d("2026-03-02");
        // Cheeks and chin on thin skin: ceiling 1.0 mm.
        let mut i = input(&[(DepthZone::CheeksChin, "1.5"), (DepthZone::Forehead, "0.5")]);
        let e = validate_record(&i, &chart, today).unwrap_err();
        assert_eq!(e.fields().len(), 1);
        assert_eq!(e.fields()[0].field, "depth.cheeks_chin");
        assert!(e.fields()[0]
            .message
            .contains("above the 1.0 mm ceiling for thin skin"));
        i.confirm_above_ceiling = true;
        let v = validate_record(&i, &chart, today).unwrap();
        assert!(v.ceiling_confirmed);
        assert!(v.depths[0].above_ceiling && !v.depths[1].above_ceiling);
        // The same depth on thick skin is within the chart: no confirmation.
        i.confirm_above_ceiling = false;
        i.skin = SkinThickness::Thick;
        let v = validate_record(&i, &chart, today).unwrap();
        assert!(!v.ceiling_confirmed);
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let mut i = input(&[]);
        i.device = "  ".into();
        i.passes = 0;
        i.date = "2026-03-09".into();
        let e = validate_record(&i, &default_depth_chart(), d("2026-03-02")).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["date", "device", "depths", "passes"]);
    }

    #[test]
    fn the_draft_copies_the_previous_settings_forward_but_not_the_visit() {
        let today = d("2026-04-06");
        let prev = SessionRecord {
            id: crate::ids::SessionRecordId(1),
            patient_id: crate::ids::PatientId(1),
            plan_id: crate::ids::PlanId(1),
            planned_session_id: crate::ids::PlannedSessionId(1),
            n: 1,
            date: d("2026-03-02"),
            numbing_cream: "Lidocaine 5%".into(),
            numbing_minutes: Some(30),
            device: "Pen A6".into(),
            cartridge_lot: "LOT-77".into(),
            skin: SkinThickness::Thick,
            depths: vec![ZoneDepth {
                zone: DepthZone::CheeksChin,
                depth_um: 1250,
                above_ceiling: false,
            }],
            passes: 4,
            glide_product: "HA serum".into(),
            glide_lot: "G-1".into(),
            endpoint: Endpoint::PinpointBleeding,
            immediate_reaction: "Redness".into(),
            duration_minutes: Some(45),
            notes: "Tolerated well".into(),
            ceiling_confirmed: true,
            screening_override_reason: "x".into(),
            practitioner: "dr".into(),
            created_at: String::new(),
            warnings: vec![],
            healing: None,
        };
        let draft = draft_record(Some(&prev), today);
        assert_eq!(draft.date, "2026-04-06");
        assert_eq!(draft.numbing_cream, "Lidocaine 5%");
        assert_eq!(draft.numbing_minutes, Some(30));
        assert_eq!(draft.cartridge_lot, "LOT-77");
        assert_eq!(draft.skin, SkinThickness::Thick);
        assert_eq!(draft.depths[0].depth_mm, "1.25");
        assert_eq!(draft.passes, 4);
        assert_eq!(draft.glide_lot, "G-1");
        assert_eq!(draft.endpoint, Endpoint::PinpointBleeding);
        assert!(draft.notes.is_empty() && draft.immediate_reaction.is_empty());
        assert_eq!(draft.duration_minutes, None);
        assert!(!draft.confirm_above_ceiling);
        assert!(draft.screening_override_reason.is_empty());
    }

    #[test]
    fn the_default_chart_is_valid_and_edits_are_checked() {
        assert!(validate_depth_chart(&default_depth_chart()).is_ok());
        let mut c = default_depth_chart();
        c[0].thin = DepthRange {
            min_um: 600,
            max_um: 500,
        };
        c.pop();
        let e = validate_depth_chart(&c).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["depth_chart.scarred_areas", "depth_chart.forehead.thin"]
        );
    }

    #[test]
    fn healing_reports_are_dated_after_the_session_and_other_is_described() {
        let input = HealingInput {
            reported_on: "2026-03-01".into(),
            redness_days: 120,
            flaking_days: 2,
            events: vec![
                AdverseEventInput {
                    kind: AdverseEventKind::Other,
                    description: " ".into(),
                },
                AdverseEventInput {
                    kind: AdverseEventKind::Other,
                    description: "x".into(),
                },
            ],
            notes: String::new(),
        };
        let e = validate_healing(&input, d("2026-03-02"), d("2026-03-20")).unwrap_err();
        let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "reported_on",
                "redness_days",
                "events.other",
                "events.other"
            ]
        );
    }

    fn pt(id: i64, date: &str, score: u32) -> ProgressPoint {
        ProgressPoint {
            assessment_id: crate::ids::AssessmentId(id),
            date: d(date),
            score,
            grade: 3,
        }
    }

    #[test]
    fn progress_labels_small_changes_as_no_clear_change() {
        let p = progress(&[pt(2, "2026-05-01", 16), pt(1, "2026-01-01", 20)]);
        assert_eq!(p.baseline, Some(20));
        assert_eq!(p.latest, Some(16));
        assert_eq!(p.change, Some(-4));
        assert_eq!(p.verdict, ProgressVerdict::NoClearChange);
        assert!(p.summary.contains("no clear change"));
        let p = progress(&[pt(1, "2026-01-01", 20), pt(2, "2026-05-01", 15)]);
        assert_eq!(p.verdict, ProgressVerdict::Improved);
        assert_eq!(p.improvement_percent, Some(25));
        let p = progress(&[pt(1, "2026-01-01", 12), pt(2, "2026-05-01", 20)]);
        assert_eq!(p.verdict, ProgressVerdict::Worse);
        assert_eq!(p.improvement_percent, Some(-67));
        let p = progress(&[pt(1, "2026-01-01", 12)]);
        assert_eq!(p.verdict, ProgressVerdict::NotEnoughData);
        let p = progress(&[pt(1, "2026-01-01", 3), pt(2, "2026-05-01", 0)]);
        assert_eq!(p.improvement_percent, Some(100));
        assert_eq!(p.verdict, ProgressVerdict::NoClearChange);
    }
}
