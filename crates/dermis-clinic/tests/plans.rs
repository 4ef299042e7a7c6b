//! Screening → assessment → plan → calendar → reschedule, through the use-cases,
//! with the roles that may and may not do each step.

use chrono::NaiveDate;
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids;
use dermis_clinic::core::plan::{PlanOverride, PlanRequest, PlanSchedule, PlanStatus};
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode, FixedClock};
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct World {
    clinic: Clinic,
    admin: Actor,
    desk: Actor,
    patient: ids::PatientId,
}

fn world() -> World {
    let clinic = Clinic::open_in_memory(Arc::new(FixedClock::on(d("2026-11-24")))).unwrap();
    let admin = clinic
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: "".into(),
            clinic_phone: "+33 1 23 45 67 89".into(),
            admin_username: "boss".into(),
            admin_display_name: "Dr Boss".into(),
            password: "correct horse battery".into(),
        })
        .unwrap();
    clinic
        .create_user(
            &admin,
            "desk",
            "Front Desk",
            "reception password",
            &[Role::Receptionist],
        )
        .unwrap();
    let desk = clinic
        .login(&LoginInput {
            username: "desk".into(),
            password: "reception password".into(),
        })
        .unwrap();
    let patient = clinic
        .create_patient(
            &desk,
            &PatientInput {
                first_name: "Zoë".into(),
                last_name: "Park".into(),
                date_of_birth: "1992-03-04".into(),
                phone: "+44 20 7946 0958".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    World {
        clinic,
        admin,
        desk,
        patient,
    }
}

fn screening(yes: &[(Condition, Option<&str>)]) -> ScreeningInput {
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
        notes: "".into(),
    }
}

fn assessment(grade: u8, sensitivity: Sensitivity) -> AssessmentInput {
    AssessmentInput {
        assessed_on: "2026-11-24".into(),
        scar_types: vec![ScarType::Boxcar, ScarType::Rolling],
        grade,
        counts: GbCounts {
            moderate: 12,
            severe: 4,
            ..Default::default()
        },
        fitzpatrick: 2,
        sensitivity,
        treatment_areas: vec![TreatmentArea::Cheeks],
        scar_age_years: 3,
        notes: "".into(),
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, dermis_clinic::ClinicError>) {
    assert_eq!(r.unwrap_err().code(), ErrorCode::Forbidden);
}

#[test]
fn receptionists_cannot_read_or_record_clinical_data() {
    let w = world();
    forbidden(w.clinic.screening_questions(&w.desk));
    forbidden(
        w.clinic
            .record_screening(&w.desk, w.patient, &screening(&[])),
    );
    forbidden(w.clinic.screenings(&w.desk, w.patient));
    forbidden(
        w.clinic
            .record_assessment(&w.desk, w.patient, &assessment(2, Sensitivity::Normal)),
    );
    forbidden(w.clinic.assessments(&w.desk, w.patient));
    forbidden(w.clinic.plans(&w.desk, w.patient));
    forbidden(w.clinic.update_plan_settings(&w.desk, &Default::default()));
    // But the calendar, today's list and the settings are theirs to see.
    assert!(w.clinic.today_list(&w.desk).is_ok());
    assert!(w
        .clinic
        .calendar(&w.desk, "2026-11-23", "2026-11-29")
        .is_ok());
    assert!(w.clinic.plan_settings(&w.desk).is_ok());
}

#[test]
fn assess_plan_accept_and_move_the_second_session() {
    let w = world();
    let c = &w.clinic;
    let s = c
        .record_screening(
            &w.admin,
            w.patient,
            &screening(&[(Condition::Diabetes, None)]),
        )
        .unwrap();
    assert!(s.result.allowed);
    assert_eq!(s.result.warnings.len(), 1);
    let a = c
        .record_assessment(&w.admin, w.patient, &assessment(3, Sensitivity::Normal))
        .unwrap();
    assert_eq!(a.score, 2 * 2 + 3);
    let req = PlanRequest {
        patient_id: w.patient,
        assessment_id: a.id,
        start: "2026-12-01".into(),
        adjust: None,
    };
    let proposal = c.propose_plan(&w.admin, &req).unwrap();
    assert_eq!(proposal.session_count, 5);
    assert!(proposal.warnings.iter().any(|w| w.contains("Diabetes")));
    let plan = c.accept_plan(&w.admin, &req).unwrap();
    assert_eq!(plan.status, PlanStatus::Active);
    assert_eq!(
        plan.sessions.iter().map(|s| s.date).collect::<Vec<_>>(),
        proposal.sessions.iter().map(|s| s.date).collect::<Vec<_>>()
    );
    assert_eq!(plan.maintenance, proposal.maintenance);
    // A second plan while this one runs is refused.
    assert_eq!(
        c.accept_plan(&w.admin, &req).unwrap_err().code(),
        ErrorCode::Conflict
    );

    // The receptionist moves session 2 a week later; 3–5 follow.
    let s2 = &plan.sessions[1];
    let moved = c
        .reschedule_session(
            &w.desk,
            s2.id,
            &(s2.date + chrono::Duration::days(7)).to_string(),
        )
        .unwrap();
    for i in 1..plan.sessions.len() {
        assert!(
            moved.sessions[i].date > plan.sessions[i].date,
            "session {} follows",
            i + 1
        );
    }
    assert_eq!(moved.sessions[0].date, plan.sessions[0].date);
    assert!(
        moved.maintenance[0] > plan.maintenance[0],
        "recalls follow the course"
    );

    // Too close to session 1: refused, naming the earliest allowed date (1 Dec + 4 weeks = 29 Dec).
    let e = ApiError::from(
        c.reschedule_session(&w.desk, s2.id, "2026-12-15")
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("date"));
    assert!(e.message.contains("2026-12-29"), "{}", e.message);
    assert_eq!(
        PlanSchedule::from(&c.plans(&w.admin, w.patient).unwrap()[0]),
        moved,
        "nothing changed on refusal"
    );

    // The calendar shows the moved session on its new day.
    let week = c
        .calendar(
            &w.desk,
            &moved.sessions[1].date.to_string(),
            &moved.sessions[1].date.to_string(),
        )
        .unwrap();
    assert_eq!(week.len(), 1);
    assert_eq!((week[0].n, week[0].of), (2, 5));
}

#[test]
fn a_blocking_screening_needs_an_override_with_a_reason() {
    let w = world();
    let c = &w.clinic;
    c.record_screening(
        &w.admin,
        w.patient,
        &screening(&[(Condition::ActiveAcne, None)]),
    )
    .unwrap();
    let a = c
        .record_assessment(&w.admin, w.patient, &assessment(2, Sensitivity::Sensitive))
        .unwrap();
    let mut req = PlanRequest {
        patient_id: w.patient,
        assessment_id: a.id,
        start: "2026-12-01".into(),
        adjust: None,
    };
    let e = ApiError::from(c.propose_plan(&w.admin, &req).unwrap_err());
    assert_eq!(e.field.as_deref(), Some("reason"));
    req.adjust = Some(PlanOverride {
        sessions: None,
        interval_weeks: None,
        reason: "Acne is outside the treatment area (back only)".into(),
    });
    let plan = c.accept_plan(&w.admin, &req).unwrap();
    assert_eq!(
        plan.override_reason,
        "Acne is outside the treatment area (back only)"
    );
    assert!(plan.warnings.iter().any(|w| w.contains("overridden")));
}

#[test]
fn a_washout_moves_the_start_and_pause_needs_a_reason() {
    let w = world();
    let c = &w.clinic;
    let s = c
        .record_screening(
            &w.admin,
            w.patient,
            &screening(&[(Condition::Isotretinoin, Some("2026-09-01"))]),
        )
        .unwrap();
    assert_eq!(s.result.earliest_eligible, Some(d("2027-03-01")));
    let a = c
        .record_assessment(&w.admin, w.patient, &assessment(1, Sensitivity::Resilient))
        .unwrap();
    let plan = c
        .accept_plan(
            &w.admin,
            &PlanRequest {
                patient_id: w.patient,
                assessment_id: a.id,
                start: "2026-12-01".into(),
                adjust: None,
            },
        )
        .unwrap();
    assert_eq!(plan.sessions[0].date, d("2027-03-01"));
    let e = ApiError::from(
        c.set_plan_status(&w.admin, plan.id, PlanStatus::Paused, " ")
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("reason"));
    let paused = c
        .set_plan_status(&w.admin, plan.id, PlanStatus::Paused, "Patient unwell")
        .unwrap();
    assert_eq!(paused.status, PlanStatus::Paused);
    let active = c
        .set_plan_status(&w.admin, plan.id, PlanStatus::Active, "")
        .unwrap();
    assert_eq!(active.status, PlanStatus::Active);
    let cancelled = c
        .set_plan_status(&w.admin, plan.id, PlanStatus::Cancelled, "Moved away")
        .unwrap();
    assert!(c
        .set_plan_status(&w.admin, cancelled.id, PlanStatus::Active, "")
        .is_err());
    assert!(c
        .calendar(&w.admin, "2027-03-01", "2027-03-01")
        .unwrap()
        .is_empty());
}

#[test]
fn today_lists_todays_sessions_and_recalls_due() {
    let w = world();
    let c = &w.clinic;
    c.record_screening(&w.admin, w.patient, &screening(&[]))
        .unwrap();
    let a = c
        .record_assessment(&w.admin, w.patient, &assessment(1, Sensitivity::Normal))
        .unwrap();
    // Start today (Tue 24 Nov 2026, open).
    c.accept_plan(
        &w.admin,
        &PlanRequest {
            patient_id: w.patient,
            assessment_id: a.id,
            start: "2026-11-24".into(),
            adjust: None,
        },
    )
    .unwrap();
    // A second patient booked today at 09:15, before Zoë's 14:30.
    let other = c
        .create_patient(
            &w.desk,
            &PatientInput {
                first_name: "Ana".into(),
                last_name: "Abad".into(),
                date_of_birth: "1980-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    c.record_screening(&w.admin, other, &screening(&[]))
        .unwrap();
    let a2 = c
        .record_assessment(&w.admin, other, &assessment(1, Sensitivity::Normal))
        .unwrap();
    let p2 = c
        .accept_plan(
            &w.admin,
            &PlanRequest {
                patient_id: other,
                assessment_id: a2.id,
                start: "2026-11-24".into(),
                adjust: None,
            },
        )
        .unwrap();
    let zoe = c
        .today_list(&w.desk)
        .unwrap()
        .sessions
        .into_iter()
        .find(|s| s.last_name == "Park")
        .unwrap();
    c.set_session_time(&w.desk, zoe.session_id, "14:30")
        .unwrap();
    let booked = c
        .set_session_time(&w.desk, p2.sessions[0].id, " 9:15 ")
        .unwrap();
    assert_eq!(booked.sessions[0].time.as_deref(), Some("09:15"));
    let bad = ApiError::from(
        c.set_session_time(&w.desk, zoe.session_id, "25:00")
            .unwrap_err(),
    );
    assert_eq!(bad.field.as_deref(), Some("time"));
    let t = c.today_list(&w.desk).unwrap();
    assert_eq!(t.date, d("2026-11-24"));
    let order: Vec<(&str, Option<&str>)> = t
        .sessions
        .iter()
        .map(|s| (s.last_name.as_str(), s.time.as_deref()))
        .collect();
    assert_eq!(
        order,
        [("Abad", Some("09:15")), ("Park", Some("14:30"))],
        "time order"
    );
    assert!(t.recalls.is_empty(), "recalls are months away");
}

#[test]
fn settings_are_validated_and_used_by_the_engine() {
    let w = world();
    let c = &w.clinic;
    let mut s = c.plan_settings(&w.admin).unwrap();
    s.defaults.interval_weeks_normal = 0;
    let e = ApiError::from(c.update_plan_settings(&w.admin, &s).unwrap_err());
    assert!(e
        .fields
        .iter()
        .any(|f| f.field == "defaults.interval_weeks_normal"));
    let mut s = c.plan_settings(&w.admin).unwrap();
    s.defaults.sessions_by_grade = vec![2, 4, 5, 6];
    c.update_plan_settings(&w.admin, &s).unwrap();
    c.record_screening(&w.admin, w.patient, &screening(&[]))
        .unwrap();
    let a = c
        .record_assessment(&w.admin, w.patient, &assessment(1, Sensitivity::Normal))
        .unwrap();
    let p = c
        .propose_plan(
            &w.admin,
            &PlanRequest {
                patient_id: w.patient,
                assessment_id: a.id,
                start: "2026-12-01".into(),
                adjust: None,
            },
        )
        .unwrap();
    assert_eq!(p.session_count, 2);
}

#[test]
fn the_clinic_sets_the_kind_of_each_rule_and_screenings_follow() {
    let w = world();
    let c = &w.clinic;
    let mut rules = c.contraindication_rules(&w.desk).unwrap();
    let diabetes = rules
        .iter_mut()
        .find(|r| r.condition == Condition::Diabetes)
        .unwrap();
    diabetes.kind = dermis_clinic::core::screening::RuleKind::Block;
    forbidden(c.update_contraindication_rules(&w.desk, &rules));
    c.update_contraindication_rules(&w.admin, &rules).unwrap();
    let s = c
        .record_screening(
            &w.admin,
            w.patient,
            &screening(&[(Condition::Diabetes, None)]),
        )
        .unwrap();
    assert!(!s.result.allowed, "diabetes now blocks");
    let q = c.screening_questions(&w.admin).unwrap();
    assert_eq!(
        q.iter()
            .find(|q| q.condition == Condition::Diabetes)
            .unwrap()
            .kind,
        dermis_clinic::core::screening::RuleKind::Block
    );
}

// ------------------------------------------------------------------ merging

/// A second record of `w.patient`'s person, with a screening, an assessment
/// and (when `plan`) an accepted plan; returns its id.
fn duplicate(w: &World, plan: bool) -> ids::PatientId {
    let c = &w.clinic;
    let dup = c
        .create_patient(
            &w.admin,
            &PatientInput {
                first_name: "Zoe".into(),
                last_name: "Park".into(),
                date_of_birth: "1992-03-04".into(),
                email: "zoe@example.org".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    c.record_screening(&w.admin, dup, &screening(&[])).unwrap();
    let a = c
        .record_assessment(&w.admin, dup, &assessment(2, Sensitivity::Normal))
        .unwrap();
    if plan {
        c.accept_plan(
            &w.admin,
            &PlanRequest {
                patient_id: dup,
                assessment_id: a.id,
                start: "2027-03-15".into(),
                adjust: None,
            },
        )
        .unwrap();
    }
    dup
}

#[test]
fn a_merge_moves_the_records_and_writes_one_audit_entry_naming_both_numbers() {
    let w = world();
    let c = &w.clinic;
    let dup = duplicate(&w, true);
    let preview = c.merge_preview(&w.admin, w.patient, dup).unwrap();
    assert_eq!(preview.refusal, None);
    assert_eq!(preview.fills, ["email"]);
    let moves: Vec<(&str, i64)> = preview
        .moves
        .iter()
        .map(|m| (m.what.as_str(), m.count))
        .collect();
    assert_eq!(
        &moves[..3],
        [("screenings", 1), ("assessments", 1), ("plans", 1)]
    );
    // Only what there is to move is listed (no "0 photos").
    assert!(moves.iter().all(|(_, n)| *n > 0), "{moves:?}");

    let r = c.merge_patients(&w.admin, w.patient, dup).unwrap();
    assert_eq!(
        (r.kept_number.as_str(), r.merged_number.as_str()),
        ("P-000001", "P-000002")
    );
    assert_eq!(r.moved, preview.moves);
    assert_eq!(c.screenings(&w.admin, w.patient).unwrap().len(), 1);
    assert_eq!(c.assessments(&w.admin, w.patient).unwrap().len(), 1);
    assert_eq!(c.plans(&w.admin, w.patient).unwrap().len(), 1);
    assert!(c.plans(&w.admin, dup).unwrap().is_empty());
    let kept = c.patient(&w.admin, w.patient).unwrap();
    assert_eq!(kept.email, "zoe@example.org");
    assert_eq!(
        kept.phone, "+44 20 7946 0958",
        "the kept record's own details win"
    );
    let gone = c.patient(&w.admin, dup).unwrap();
    assert!(gone.archived);
    assert_eq!(gone.merged_into, Some(w.patient));
    assert_eq!(gone.merged_into_number.as_deref(), Some("P-000001"));

    let merges: Vec<_> = c
        .recent_audit(&w.admin, 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "patient.merge")
        .collect();
    assert_eq!(merges.len(), 1);
    let e = &merges[0];
    assert_eq!((e.entity.as_str(), e.entity_id.as_str()), ("patient", "1"));
    let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
    assert_eq!(detail["kept"], "P-000001");
    assert_eq!(detail["merged"], "P-000002");
    assert_eq!(detail["moved"]["screenings"], 1);
    assert_eq!(detail["moved"]["plans"], 1);
    assert!(
        !e.detail.contains("Zoe") && !e.detail.contains("Park"),
        "{}",
        e.detail
    );

    // Searching finds the person once, by name or by the merged record's number.
    for q in ["zoe park", "P-000002", "1992-03-04"] {
        let page = c
            .search_patients(
                &w.desk,
                &dermis_clinic::core::PatientSearch {
                    include_archived: true,
                    ..dermis_clinic::core::PatientSearch::new(q)
                },
            )
            .unwrap();
        let found: Vec<_> = page
            .items
            .iter()
            .map(|p| p.patient_number.as_str())
            .collect();
        assert_eq!(found, ["P-000001"], "{q}");
    }
}

#[test]
fn merges_that_would_leave_a_muddle_are_refused_and_change_nothing() {
    let w = world();
    let c = &w.clinic;
    // Both records with a plan under way: the one to cancel is named.
    let kept_plan_assessment = c
        .record_assessment(&w.admin, w.patient, &assessment(2, Sensitivity::Normal))
        .unwrap();
    c.record_screening(&w.admin, w.patient, &screening(&[]))
        .unwrap();
    c.accept_plan(
        &w.admin,
        &PlanRequest {
            patient_id: w.patient,
            assessment_id: kept_plan_assessment.id,
            start: "2026-12-01".into(),
            adjust: None,
        },
    )
    .unwrap();
    let dup = duplicate(&w, true);
    let dup_plan = c.plans(&w.admin, dup).unwrap()[0].id;
    let e = c.merge_patients(&w.admin, w.patient, dup).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
    let m = e.to_string();
    assert!(
        m.contains(&format!(
            "Cancel the plan of P-000002 that starts 2027-03-15 (plan {dup_plan})"
        )),
        "{m}"
    );
    assert_eq!(
        c.merge_preview(&w.admin, w.patient, dup).unwrap().refusal,
        Some(m.clone())
    );
    assert_eq!(c.plans(&w.admin, dup).unwrap().len(), 1, "nothing moved");

    // Into itself.
    let e = c.merge_patients(&w.admin, dup, dup).unwrap_err();
    assert!(e.to_string().contains("into itself"), "{e}");

    // Into an archived record.
    let third = duplicate(&w, false);
    c.set_patient_archived(&w.admin, w.patient, true).unwrap();
    let e = c.merge_patients(&w.admin, w.patient, third).unwrap_err();
    assert!(e.to_string().contains("P-000001 is archived"), "{e}");
    c.set_patient_archived(&w.admin, w.patient, false).unwrap();

    // Into, or from, a record merged already.
    c.merge_patients(&w.admin, w.patient, third).unwrap();
    let e = c.merge_patients(&w.admin, third, dup).unwrap_err();
    assert!(e.to_string().contains("merge into P-000001 instead"), "{e}");
    let e = c.merge_patients(&w.admin, dup, third).unwrap_err();
    assert!(
        e.to_string().contains("already merged into P-000001"),
        "{e}"
    );

    // Not by the desk (every role is checked in permissions.rs).
    forbidden(c.merge_patients(&w.desk, w.patient, dup));
    forbidden(c.merge_preview(&w.desk, w.patient, dup));
    assert!(!c.patient(&w.admin, dup).unwrap().archived);
    assert_eq!(
        c.recent_audit(&w.admin, 1000)
            .unwrap()
            .iter()
            .filter(|e| e.action == "patient.merge")
            .count(),
        1,
        "only the allowed merge is audited as one"
    );
}

#[test]
fn a_merged_record_cannot_be_restored_as_a_second_live_record() {
    let w = world();
    let dup = duplicate(&w, false);
    w.clinic.merge_patients(&w.admin, w.patient, dup).unwrap();
    let e = w
        .clinic
        .set_patient_archived(&w.desk, dup, false)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert!(e.to_string().contains("Open P-000001 instead"), "{e}");
    assert!(w.clinic.patient(&w.admin, dup).unwrap().archived);
}

#[test]
fn a_patient_who_does_not_exist_is_not_found_rather_than_shown_with_an_empty_record() {
    // A stale link or a patient merged away: the screen must say the
    // patient is gone, not show "no screening, no assessment" for them.
    let w = world();
    let gone = ids::PatientId(w.patient.0 + 1000);
    let codes = [
        w.clinic.screenings(&w.admin, gone).map(|_| ()),
        w.clinic.assessments(&w.admin, gone).map(|_| ()),
        w.clinic
            .record_screening(&w.admin, gone, &screening(&[]))
            .map(|_| ()),
    ]
    .into_iter()
    .map(|r| r.unwrap_err().code())
    .collect::<Vec<_>>();
    assert_eq!(codes, [ErrorCode::NotFound; 3]);
    // The real patient's lists are there (empty, not an error).
    assert!(w.clinic.screenings(&w.admin, w.patient).unwrap().is_empty());
}

#[test]
fn a_screening_dated_before_the_patients_birth_is_refused_and_not_recorded() {
    let w = world();
    // Zoë was born on 1992-03-04.
    let mut s = screening(&[]);
    s.screened_on = "1992-03-03".into();
    let e = ApiError::from(
        w.clinic
            .record_screening(&w.admin, w.patient, &s)
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("screened_on"), "{e:?}");
    assert!(w.clinic.screenings(&w.admin, w.patient).unwrap().is_empty());
    // On the day of birth itself: recorded.
    s.screened_on = "1992-03-04".into();
    w.clinic.record_screening(&w.admin, w.patient, &s).unwrap();
}

#[test]
fn a_session_moved_to_yesterday_is_refused_as_past_and_today_is_judged_by_the_plan_rules() {
    let w = world();
    let c = &w.clinic;
    c.record_screening(&w.admin, w.patient, &screening(&[]))
        .unwrap();
    let a = c
        .record_assessment(&w.admin, w.patient, &assessment(3, Sensitivity::Normal))
        .unwrap();
    let plan = c
        .accept_plan(
            &w.admin,
            &PlanRequest {
                patient_id: w.patient,
                assessment_id: a.id,
                start: "2026-12-01".into(),
                adjust: None,
            },
        )
        .unwrap();
    let s2 = plan.sessions[1].id;
    // Today is 2026-11-24.
    let e = ApiError::from(c.reschedule_session(&w.desk, s2, "2026-11-23").unwrap_err());
    assert_eq!(e.field.as_deref(), Some("date"));
    assert!(
        e.message
            .contains("2026-11-23 is in the past; today is 2026-11-24"),
        "{}",
        e.message
    );
    // Today is not the past: refused only by the interval after session 1.
    let e = ApiError::from(c.reschedule_session(&w.desk, s2, "2026-11-24").unwrap_err());
    assert!(!e.message.contains("in the past"), "{}", e.message);
    assert!(e.message.contains("2026-12-29"), "{}", e.message);
}

#[test]
fn the_calendar_shows_at_most_62_days_at_a_time() {
    let w = world();
    let from = d("2026-11-24");
    let to = |days: i64| (from + chrono::Duration::days(days)).to_string();
    w.clinic
        .calendar(&w.desk, &from.to_string(), &to(62))
        .unwrap();
    w.clinic
        .calendar(&w.desk, &from.to_string(), &from.to_string())
        .unwrap();
    for days in [63, 400] {
        let e = ApiError::from(
            w.clinic
                .calendar(&w.desk, &from.to_string(), &to(days))
                .unwrap_err(),
        );
        assert_eq!(e.field.as_deref(), Some("to"));
        assert!(e.message.contains("at most 62 days"), "{}", e.message);
    }
}
