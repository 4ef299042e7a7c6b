//! Session records, healing follow-up, the adverse-event register, progress
//! and photos, through the use-cases.

use chrono::{Duration, NaiveDate};
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids;
use dermis_clinic::core::photo::{PhotoAngle, PhotoTags};
use dermis_clinic::core::plan::{PlanOverride, PlanRequest, PlanStatus, SessionStatus};
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::session::{
    AdverseEventFilter, AdverseEventInput, AdverseEventKind, DepthZone, HealingInput,
    ProgressVerdict, SessionRecordInput, ZoneDepthInput,
};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, Clinic, ErrorCode, FixedClock};
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const T0: &str = "2026-11-24";

struct World {
    _dir: tempfile::TempDir,
    clinic: Clinic,
    dr: Actor,
    desk: Actor,
    patient: ids::PatientId,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let clinic = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    let mut clinic = clinic;
    clinic.set_clock(Arc::new(FixedClock::on(d(T0))));
    let dr = clinic
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: "".into(),
            clinic_phone: "+33 1 23 45 67 89".into(),
            admin_username: "drlee".into(),
            admin_display_name: "Dr Lee".into(),
            password: "correct horse battery".into(),
        })
        .unwrap();
    clinic
        .create_user(
            &dr,
            "desk",
            "Desk",
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
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    // The session gate needs a signed consent (its own tests are in consents.rs).
    dermis_clinic::demo::sign_demo_consent(&clinic, &dr, patient, 1).unwrap();
    World {
        _dir: dir,
        clinic,
        dr,
        desk,
        patient,
    }
}

fn screening(on: &str, yes: &[Condition]) -> ScreeningInput {
    ScreeningInput {
        screened_on: on.into(),
        answers: Condition::ALL
            .into_iter()
            .map(|c| ScreeningAnswer {
                condition: c,
                present: yes.contains(&c),
                last_date: None,
            })
            .collect(),
        notes: "".into(),
    }
}

fn assessment(on: &str, moderate: u32, severe: u32) -> AssessmentInput {
    AssessmentInput {
        assessed_on: on.into(),
        scar_types: vec![ScarType::Boxcar],
        grade: 3,
        counts: GbCounts {
            moderate,
            severe,
            ..Default::default()
        },
        fitzpatrick: 2,
        sensitivity: Sensitivity::Normal,
        treatment_areas: vec![TreatmentArea::Cheeks],
        scar_age_years: 2,
        notes: "".into(),
    }
}

/// Screens, assesses and accepts a plan starting today; returns the plan id.
/// A plan (nothing blocks) whose session 1 is recorded on T0 (forehead 0.5 mm).
fn first_session_recorded(
    w: &World,
) -> (
    dermis_clinic::core::plan::Plan,
    dermis_clinic::core::session::SessionRecord,
) {
    planned(w, &[]);
    let plan = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let r = w
        .clinic
        .record_session(
            &w.dr,
            plan.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    (plan, r)
}

fn planned(w: &World, blocks: &[Condition]) -> ids::PlanId {
    let adjust = (!blocks.is_empty()).then(|| PlanOverride {
        sessions: None,
        interval_weeks: None,
        reason: "Reviewed with the patient's doctor".into(),
    });
    planned_as(w, blocks, adjust).id
}

/// Screening on T0 (`blocks` present), an assessment, and the plan from T0
/// with the practitioner's `adjust`.
fn planned_as(
    w: &World,
    blocks: &[Condition],
    adjust: Option<PlanOverride>,
) -> dermis_clinic::core::plan::Plan {
    let c = &w.clinic;
    c.record_screening(&w.dr, w.patient, &screening(T0, blocks))
        .unwrap();
    let a = c
        .record_assessment(&w.dr, w.patient, &assessment(T0, 12, 4))
        .unwrap();
    c.accept_plan(
        &w.dr,
        &PlanRequest {
            patient_id: w.patient,
            assessment_id: a.id,
            start: T0.into(),
            adjust,
        },
    )
    .unwrap()
}

fn record(date: &str, depths: &[(DepthZone, &str)]) -> SessionRecordInput {
    SessionRecordInput {
        date: date.into(),
        numbing_cream: "Lidocaine 5%".into(),
        numbing_minutes: Some(30),
        device: "Pen A6".into(),
        cartridge_lot: "CART-2211".into(),
        skin: dermis_clinic::core::session::SkinThickness::Thin,
        depths: depths
            .iter()
            .map(|(z, mm)| ZoneDepthInput {
                zone: *z,
                depth_mm: mm.to_string(),
            })
            .collect(),
        passes: 3,
        glide_product: "HA serum".into(),
        glide_lot: "HA-77".into(),
        endpoint: dermis_clinic::core::session::Endpoint::Erythema,
        immediate_reaction: "Even redness".into(),
        duration_minutes: Some(40),
        notes: "Tolerated well".into(),
        confirm_above_ceiling: false,
        screening_override_reason: "".into(),
    }
}

fn healing(on: &str, redness: u32, events: &[AdverseEventKind]) -> HealingInput {
    HealingInput {
        reported_on: on.into(),
        redness_days: redness,
        flaking_days: 2,
        events: events
            .iter()
            .map(|k| AdverseEventInput {
                kind: *k,
                description: "Seen at follow-up.\nPhoto taken.".into(),
            })
            .collect(),
        notes: "".into(),
    }
}

fn set_today(w: &mut World, day: &str) {
    w.clinic.set_clock(Arc::new(FixedClock::on(d(day))));
}

fn sessions_of(w: &World, plan: i64) -> Vec<(u32, NaiveDate, SessionStatus)> {
    let p = w.clinic.plans(&w.dr, w.patient).unwrap();
    let p = p.iter().find(|p| p.id == ids::PlanId(plan)).unwrap();
    p.sessions.iter().map(|s| (s.n, s.date, s.status)).collect()
}

fn audit_actions(w: &World) -> Vec<String> {
    w.clinic
        .recent_audit(&w.dr, 1000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[test]
fn a_recorded_session_is_done_and_the_next_form_copies_it_forward() {
    let mut w = world();
    let plan = planned(&w, &[]);
    let first = w.clinic.plans(&w.dr, w.patient).unwrap()[0].sessions[0].id;
    let draft = w.clinic.session_draft(&w.dr, first).unwrap();
    assert!(!draft.copied_forward);
    assert_eq!(draft.refused, None);
    let r = w
        .clinic
        .record_session(
            &w.dr,
            first,
            &record(
                T0,
                &[(DepthZone::CheeksChin, "1.0"), (DepthZone::Forehead, "0.5")],
            ),
        )
        .unwrap();
    assert_eq!((r.n, r.date, r.practitioner.as_str()), (1, d(T0), "Dr Lee"));
    assert!(!r.ceiling_confirmed);
    let s = sessions_of(&w, plan.0);
    assert_eq!(s[0].2, SessionStatus::Done);
    // The next visit's form starts from this one's settings.
    let second = w.clinic.plans(&w.dr, w.patient).unwrap()[0].sessions[1].clone();
    set_today(&mut w, &second.date.to_string());
    let draft = w.clinic.session_draft(&w.dr, second.id).unwrap();
    assert!(draft.copied_forward);
    assert_eq!(draft.input.date, second.date.to_string());
    assert_eq!(draft.input.device, "Pen A6");
    assert_eq!(draft.input.cartridge_lot, "CART-2211");
    assert_eq!(draft.input.glide_lot, "HA-77");
    assert_eq!(draft.input.numbing_minutes, Some(30));
    let depths: Vec<(DepthZone, &str)> = draft
        .input
        .depths
        .iter()
        .map(|z| (z.zone, z.depth_mm.as_str()))
        .collect();
    assert_eq!(
        depths,
        [(DepthZone::CheeksChin, "1.0"), (DepthZone::Forehead, "0.5")]
    );
    assert!(draft.input.notes.is_empty());
    // Recording the copied form as it is works.
    let r2 = w
        .clinic
        .record_session(&w.dr, second.id, &draft.input)
        .unwrap();
    assert_eq!(r2.n, 2);
    assert_eq!(w.clinic.session_records(&w.dr, w.patient).unwrap().len(), 2);
    assert!(audit_actions(&w).contains(&"session.record".to_string()));
}

#[test]
fn a_depth_above_the_ceiling_needs_a_confirmation_which_is_recorded() {
    let w = world();
    planned(&w, &[]);
    let first = w.clinic.plans(&w.dr, w.patient).unwrap()[0].sessions[0].id;
    let mut input = record(T0, &[(DepthZone::CheeksChin, "1.5")]);
    let e = w.clinic.record_session(&w.dr, first, &input).unwrap_err();
    let api = dermis_clinic::ApiError::from(e);
    assert_eq!(api.code, ErrorCode::Validation);
    assert_eq!(api.field.as_deref(), Some("depth.cheeks_chin"));
    assert!(
        api.message.contains("above the 1.0 mm ceiling"),
        "{}",
        api.message
    );
    assert!(w
        .clinic
        .session_records(&w.dr, w.patient)
        .unwrap()
        .is_empty());
    input.confirm_above_ceiling = true;
    let r = w.clinic.record_session(&w.dr, first, &input).unwrap();
    assert!(r.ceiling_confirmed);
    assert!(r.depths[0].above_ceiling);
    let audit = w.clinic.recent_audit(&w.dr, 5).unwrap();
    let entry = audit.iter().find(|e| e.action == "session.record").unwrap();
    assert!(
        entry.detail.contains("\"ceiling_confirmed\":true"),
        "{}",
        entry.detail
    );
}

#[test]
fn a_session_is_refused_on_a_blocking_expired_or_missing_screening() {
    // Blocking: refused with the reason until the practitioner overrides in writing.
    let w = world();
    planned(&w, &[Condition::PregnancyOrBreastfeeding]);
    let first = w.clinic.plans(&w.dr, w.patient).unwrap()[0].sessions[0].id;
    let draft = w.clinic.session_draft(&w.dr, first).unwrap();
    assert!(draft.blocked.is_some());
    let mut input = record(T0, &[(DepthZone::Forehead, "0.5")]);
    let api =
        dermis_clinic::ApiError::from(w.clinic.record_session(&w.dr, first, &input).unwrap_err());
    assert_eq!(api.field.as_deref(), Some("screening_override_reason"));
    assert!(
        api.message.contains("The screening blocks treatment"),
        "{}",
        api.message
    );
    input.screening_override_reason = "Not pregnant: test negative today".into();
    let r = w.clinic.record_session(&w.dr, first, &input).unwrap();
    assert_eq!(
        r.screening_override_reason,
        "Not pregnant: test negative today"
    );

    // Expired: the screening is older than the validity period at the session date.
    let mut w = world();
    let (plan, _) = first_session_recorded(&w);
    let late = d(T0) + Duration::days(200);
    set_today(&mut w, &late.to_string());
    let second = plan.sessions[1].id;
    let draft = w.clinic.session_draft(&w.dr, second).unwrap();
    assert!(
        draft.refused.as_deref().unwrap_or("").contains("expired"),
        "{:?}",
        draft.refused
    );
    let api = dermis_clinic::ApiError::from(
        w.clinic
            .record_session(
                &w.dr,
                second,
                &record(&late.to_string(), &[(DepthZone::Forehead, "0.5")]),
            )
            .unwrap_err(),
    );
    assert_eq!(api.field.as_deref(), Some("screening"));
    assert!(
        api.message.contains("renew the screening"),
        "{}",
        api.message
    );
    assert_eq!(w.clinic.session_records(&w.dr, w.patient).unwrap().len(), 1);
}

#[test]
fn session_dates_must_follow_the_previous_session_and_not_be_in_the_future() {
    let mut w = world();
    let plan = planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    // The future.
    let api = dermis_clinic::ApiError::from(
        w.clinic
            .record_session(
                &w.dr,
                p.sessions[0].id,
                &record("2026-11-25", &[(DepthZone::Forehead, "0.5")]),
            )
            .unwrap_err(),
    );
    assert_eq!(
        (api.field.as_deref(), api.code),
        (Some("date"), ErrorCode::Validation)
    );
    w.clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    set_today(&mut w, "2027-02-01");
    // Before (and on) the previous session.
    for day in ["2026-11-20", T0] {
        let api = dermis_clinic::ApiError::from(
            w.clinic
                .record_session(
                    &w.dr,
                    p.sessions[1].id,
                    &record(day, &[(DepthZone::Forehead, "0.5")]),
                )
                .unwrap_err(),
        );
        assert_eq!(api.field.as_deref(), Some("date"), "{day}");
        assert!(
            api.message.contains("not after the previous session"),
            "{}",
            api.message
        );
    }
    // Closer than the shortest interval: the message names the earliest date.
    let api = dermis_clinic::ApiError::from(
        w.clinic
            .record_session(
                &w.dr,
                p.sessions[1].id,
                &record("2026-12-08", &[(DepthZone::Forehead, "0.5")]),
            )
            .unwrap_err(),
    );
    assert!(
        api.message.contains("earliest allowed date is 2026-12-22"),
        "{}",
        api.message
    );
    // Out of order: session 3 before session 2.
    let e = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[2].id,
            &record("2027-01-26", &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert_eq!(sessions_of(&w, plan.0)[1].2, SessionStatus::Planned);
}

#[test]
fn a_session_done_late_moves_the_later_sessions_by_the_plan_rules() {
    let mut w = world();
    let plan = planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    w.clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    // Session 2 was planned for 2026-12-29 (5 weeks); it happened on 2027-01-05.
    assert_eq!(p.sessions[1].date, d("2026-12-29"));
    set_today(&mut w, "2027-01-05");
    w.clinic
        .record_session(
            &w.dr,
            p.sessions[1].id,
            &record("2027-01-05", &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    let s = sessions_of(&w, plan.0);
    assert_eq!(s[1].1, d("2027-01-05"));
    assert_eq!(s[2].1, d("2027-02-09"), "five weeks after the real date");
    // The audit entries say how many sessions each record moved: none for
    // session 1 on its day; session 2 and every later one for the late one.
    let moved: Vec<u64> = w
        .clinic
        .recent_audit(&w.dr, 1000)
        .unwrap()
        .into_iter()
        .rev()
        .filter(|e| e.action == "session.record")
        .map(|e| {
            serde_json::from_str::<serde_json::Value>(&e.detail).unwrap()["moved"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let later = p
        .sessions
        .iter()
        .zip(&s)
        .filter(|(before, after)| before.date != after.1)
        .count() as u64;
    assert_eq!(later, p.sessions.len() as u64 - 1, "{s:?}");
    assert_eq!(moved, [0, later]);
}

#[test]
fn slow_healing_lengthens_the_next_interval_and_the_plan_says_why() {
    let w = world();
    let plan = planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let r = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    let mut w = w;
    set_today(&mut w, "2026-11-30");
    // Three days of redness is normal healing: nothing changes.
    let before = sessions_of(&w, plan.0);
    let out = w
        .clinic
        .record_healing(&w.dr, r.id, &healing("2026-11-30", 5, &[]))
        .unwrap();
    let after = sessions_of(&w, plan.0);
    assert_eq!(before[1].1, d("2026-12-29"));
    assert_eq!(after[1].1, d("2027-01-05"), "six weeks instead of five");
    assert_eq!(
        after[2].1,
        d("2027-02-09"),
        "the ones after follow at the plan's interval"
    );
    let why = out.plan.rationale.last().unwrap();
    assert!(
        why.contains("redness lasted 5 days")
            && why.contains("session 2 moved from 2026-12-29 to 2027-01-05"),
        "{why}"
    );
    assert_eq!(out.record.healing.as_ref().unwrap().decision, *why);
    assert_eq!(out.plan.status, PlanStatus::Active);
    // A second report for the same session is refused.
    let e = w
        .clinic
        .record_healing(&w.dr, r.id, &healing("2026-11-30", 1, &[]))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
}

#[test]
fn slow_healing_that_moves_a_booked_session_onto_a_clash_records_the_healing_and_frees_the_time() {
    use dermis_clinic::core::schedule::BookingKey;
    let w = world();
    planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let room = w.clinic.add_room(&w.dr, "Room 1").unwrap().id;
    let lee = w
        .clinic
        .practitioners(&w.dr)
        .unwrap()
        .into_iter()
        .find(|x| x.name == "Dr Lee")
        .unwrap()
        .id;
    let s2 = p.sessions[1].clone();
    assert_eq!(s2.date, d("2026-12-29"));
    w.clinic
        .move_booking(
            &w.desk,
            BookingKey::Session(s2.id),
            None,
            &dermis_clinic::MoveInput {
                time: "10:00".into(),
                practitioner_id: Some(lee),
                room_id: Some(room),
                ..Default::default()
            },
        )
        .unwrap();
    // Another patient has Dr Lee in Room 1 where session 2 will land.
    let other = w
        .clinic
        .create_patient(
            &w.desk,
            &PatientInput {
                first_name: "Bo".into(),
                last_name: "Lind".into(),
                date_of_birth: "1990-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    w.clinic
        .book_appointment(
            &w.desk,
            &dermis_clinic::BookingInput {
                patient_id: other,
                kind: "review".into(),
                date: "2027-01-05".into(),
                time: "10:15".into(),
                minutes: None,
                numbing_minutes: None,
                practitioner_id: lee,
                room_id: room,
            },
        )
        .unwrap();
    let r = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    let mut w = w;
    set_today(&mut w, "2026-11-30");
    let out = w
        .clinic
        .record_healing(&w.dr, r.id, &healing("2026-11-30", 5, &[]))
        .expect("the healing is recorded whatever the calendar holds");
    let moved = out.plan.sessions[1].clone();
    assert_eq!(moved.date, d("2027-01-05"));
    assert_eq!(
        moved.time, None,
        "its 10:00 clashed there: the time is freed"
    );
    let day = w
        .clinic
        .bookings(&w.desk, "2027-01-05", "2027-01-05")
        .unwrap();
    let timed: Vec<_> = day.iter().filter(|b| b.time.is_some()).collect();
    assert_eq!(timed.len(), 1, "no two bookings overlap: {day:?}");
    assert!(
        out.plan
            .rationale
            .iter()
            .any(|l| l.contains("session 2 on 2027-01-05 gave up its 10:00 booking")),
        "{:?}",
        out.plan.rationale
    );
}

#[test]
fn slow_healing_reported_at_the_next_visit_lengthens_the_interval_after_it() {
    let mut w = world();
    let plan = planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let r = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    // The patient is here for session 2 and says session 1 healed slowly:
    // session 2 stays today, the interval after it becomes six weeks.
    set_today(&mut w, "2026-12-29");
    let out = w
        .clinic
        .record_healing(&w.dr, r.id, &healing("2026-12-29", 5, &[]))
        .unwrap();
    let s = sessions_of(&w, plan.0);
    assert_eq!(s[1].1, d("2026-12-29"));
    assert_eq!(s[2].1, d("2027-02-09"), "six weeks after session 2");
    assert!(out
        .plan
        .rationale
        .last()
        .unwrap()
        .contains("session 3 moved from 2027-02-02 to 2027-02-09"));
    // The longer interval is kept when session 2 is then recorded (and re-plans the rest).
    w.clinic
        .record_session(
            &w.dr,
            p.sessions[1].id,
            &record("2026-12-29", &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    let s = sessions_of(&w, plan.0);
    assert_eq!(s[2].1, d("2027-02-09"));
    assert_eq!(s[3].1, d("2027-03-16"), "then five weeks again");
}

#[test]
fn normal_healing_changes_nothing() {
    let mut w = world();
    let plan = planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let r = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    set_today(&mut w, "2026-11-30");
    let before = sessions_of(&w, plan.0);
    let out = w
        .clinic
        .record_healing(&w.dr, r.id, &healing("2026-11-30", 3, &[]))
        .unwrap();
    assert_eq!(sessions_of(&w, plan.0), before);
    assert_eq!(out.record.healing.unwrap().decision, "");
}

#[test]
fn an_adverse_event_pauses_the_plan_until_a_practitioner_resumes_it() {
    let mut w = world();
    let plan = planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let r = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    set_today(&mut w, "2026-11-28");
    let out = w
        .clinic
        .record_healing(
            &w.dr,
            r.id,
            &healing("2026-11-28", 2, &[AdverseEventKind::Infection]),
        )
        .unwrap();
    assert_eq!(out.plan.status, PlanStatus::Paused);
    let why = out.plan.rationale.last().unwrap();
    assert!(
        why.contains("plan paused after an adverse event (Infection)"),
        "{why}"
    );
    // No session while paused.
    set_today(&mut w, "2026-12-29");
    let e = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[1].id,
            &record("2026-12-29", &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert!(e.to_string().contains("paused"), "{e}");
    let draft = w.clinic.session_draft(&w.dr, p.sessions[1].id).unwrap();
    assert!(draft.refused.unwrap().contains("paused"));
    w.clinic
        .set_plan_status(&w.dr, plan, PlanStatus::Active, "")
        .unwrap();
    w.clinic
        .record_session(
            &w.dr,
            p.sessions[1].id,
            &record("2026-12-29", &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
}

#[test]
fn the_adverse_event_register_lists_filters_and_exports_csv() {
    let mut w = world();
    planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let r = w
        .clinic
        .record_session(
            &w.dr,
            p.sessions[0].id,
            &record(
                T0,
                &[(DepthZone::CheeksChin, "1.0"), (DepthZone::Forehead, "0.5")],
            ),
        )
        .unwrap();
    set_today(&mut w, "2026-11-28");
    w.clinic
        .record_healing(
            &w.dr,
            r.id,
            &healing(
                "2026-11-28",
                6,
                &[AdverseEventKind::Pih, AdverseEventKind::AcneFlare],
            ),
        )
        .unwrap();
    let all = w
        .clinic
        .adverse_events(&w.dr, &AdverseEventFilter::default())
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].cartridge_lot, "CART-2211");
    assert_eq!(all[0].glide_lot, "HA-77");
    assert_eq!(all[0].first_name, "Zoë");
    let by_kind = w
        .clinic
        .adverse_events(
            &w.dr,
            &AdverseEventFilter {
                kind: Some(AdverseEventKind::Pih),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(by_kind.len(), 1);
    let by_lot = |lot: &str| {
        w.clinic
            .adverse_events(
                &w.dr,
                &AdverseEventFilter {
                    lot: lot.into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .len()
    };
    assert_eq!(by_lot("ha-7"), 2);
    assert_eq!(by_lot("cart-22"), 2);
    assert_eq!(by_lot("nope"), 0);
    assert_eq!(by_lot("%"), 0, "a % is a character, not a wildcard");
    let later = AdverseEventFilter {
        from: "2026-12-01".into(),
        ..Default::default()
    };
    assert!(w.clinic.adverse_events(&w.dr, &later).unwrap().is_empty());
    let bad = AdverseEventFilter {
        from: "2026-12-01".into(),
        to: "2026-11-01".into(),
        ..Default::default()
    };
    assert_eq!(
        dermis_clinic::ApiError::from(w.clinic.adverse_events(&w.dr, &bad).unwrap_err())
            .field
            .as_deref(),
        Some("to")
    );

    let csv = w
        .clinic
        .adverse_events_csv(&w.dr, &AdverseEventFilter::default())
        .unwrap();
    assert!(
        csv.starts_with('\u{FEFF}'),
        "a BOM so spreadsheets read UTF-8"
    );
    let body = csv.trim_start_matches('\u{FEFF}');
    assert!(body.starts_with("reported_on,event,description,patient_number,last_name,first_name"));
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    let row = rows[0].iter().collect::<Vec<_>>().join("|");
    assert!(
        row.contains("Zoë") && row.contains("CART-2211") && row.contains("HA-77"),
        "{row}"
    );
    assert!(row.contains("cheeks_chin 1.0; forehead 0.5"), "{row}");
    assert_eq!(
        &rows[0][2], "Seen at follow-up.\nPhoto taken.",
        "a line break stays inside its cell"
    );
    // Written to a file: the count is of events, even when a description has line breaks.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.csv");
    assert_eq!(
        w.clinic
            .export_adverse_events(&w.dr, &AdverseEventFilter::default(), &out)
            .unwrap(),
        2
    );
    assert_eq!(
        all[0].practitioner, "Dr Lee",
        "the practitioner's name, not the login"
    );
    // The receptionist sees none of it.
    assert_eq!(
        w.clinic
            .adverse_events(&w.desk, &AdverseEventFilter::default())
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    assert_eq!(
        w.clinic
            .adverse_events_csv(&w.desk, &AdverseEventFilter::default())
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
}

#[test]
fn progress_over_three_assessments() {
    let mut w = world();
    let c = &w.clinic;
    c.record_assessment(&w.dr, w.patient, &assessment("2026-01-10", 12, 4))
        .unwrap(); // 2*2 + 3*1 = 7? see below
    set_today(&mut w, T0);
    let c = &w.clinic;
    c.record_assessment(&w.dr, w.patient, &assessment("2026-05-10", 8, 2))
        .unwrap();
    c.record_assessment(&w.dr, w.patient, &assessment("2026-09-10", 5, 1))
        .unwrap();
    let p = c.progress(&w.dr, w.patient).unwrap();
    assert_eq!(p.points.len(), 3);
    assert!(p.points.windows(2).all(|x| x[0].date < x[1].date));
    let (b, l) = (p.baseline.unwrap() as i32, p.latest.unwrap() as i32);
    assert_eq!(p.change, Some(l - b));
    assert!(b > l);
    assert_eq!(p.improvement_percent, Some(((b - l) * 100 + b / 2) / b));
    let expected = if (l - b).abs() <= 4 {
        ProgressVerdict::NoClearChange
    } else {
        ProgressVerdict::Improved
    };
    assert_eq!(p.verdict, expected);
    assert_eq!(
        c.progress(&w.desk, w.patient).unwrap_err().code(),
        ErrorCode::Forbidden
    );
}

// ---- Photos ---------------------------------------------------------------

/// A JPEG `w`×`h` whose EXIF says: rotate 90° clockwise to view (orientation
/// 6), taken 2026-10-01, at a GPS position.
fn phone_jpeg(w: u32, h: u32) -> Vec<u8> {
    use exif::{Field, In, Rational, Tag, Value};
    let img = image::RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            image::Rgb([200, 30, 30])
        } else {
            image::Rgb([30, 30, 200])
        }
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        Field {
            tag: Tag::DateTimeOriginal,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"2026:10:01 09:30:00".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![
                Rational { num: 48, denom: 1 },
                Rational { num: 51, denom: 1 },
                Rational { num: 24, denom: 1 },
            ]),
        },
    ];
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let tiff = tiff.into_inner();
    // APP1 "Exif\0\0" + TIFF, right after the SOI marker.
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A square PNG of one colour.
fn png_of(side: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut v = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(side, side, image::Rgb(rgb)))
        .write_to(&mut std::io::Cursor::new(&mut v), image::ImageFormat::Png)
        .unwrap();
    v
}

fn tags(area: TreatmentArea, taken_on: &str) -> PhotoTags {
    PhotoTags {
        taken_on: taken_on.into(),
        area,
        angle: PhotoAngle::Front,
        session_record_id: None,
        assessment_id: None,
    }
}

fn stored_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let root = dir.join("photos");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&p) {
            for e in rd.flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    out.push(e.path());
                }
            }
        }
    }
    out
}

#[test]
fn the_test_photo_really_carries_gps_and_orientation() {
    let raw = phone_jpeg(40, 20);
    let exif = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&raw))
        .unwrap();
    assert!(exif
        .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .is_some());
    assert!(exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .is_some());
}

#[test]
fn an_imported_photo_is_upright_without_location_or_any_metadata_and_content_addressed() {
    let w = world();
    let raw = phone_jpeg(40, 20);
    let p = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "IMG_0001.JPG",
            &raw,
            &tags(TreatmentArea::Cheeks, ""),
        )
        .unwrap();
    // Orientation 6 applied: a 40×20 sensor image is stored 20×40.
    assert_eq!((p.width, p.height), (20, 40));
    // The camera's date is used when none is typed.
    assert_eq!(p.taken_on, d("2026-10-01"));
    let (mime, stored) = w.clinic.photo_bytes(&w.dr, p.id, false).unwrap();
    assert_eq!(mime, "image/jpeg");
    // The stored file has no EXIF at all: no GPS, no orientation, no date.
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&stored));
    assert!(
        exif.is_err(),
        "EXIF left in the stored copy: {:?}",
        exif.map(|e| e.fields().map(|f| f.tag).collect::<Vec<_>>())
    );
    assert!(!stored.windows(4).any(|x| x == b"Exif"));
    // Upright: the red half (left of the sensor image) is now on top.
    let img = image::load_from_memory(&stored).unwrap().to_rgb8();
    let top = img.get_pixel(10, 5);
    let bottom = img.get_pixel(10, 35);
    assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
    // Named by the SHA-256 of its bytes, beside the database, with a thumbnail.
    let files = stored_files(w._dir.path());
    assert_eq!(files.len(), 2, "{files:?}");
    let name = format!("{}.jpg", p.sha256);
    let photo_file = files
        .iter()
        .find(|f| f.ends_with(format!("{}/{name}", &p.sha256[..2])))
        .expect("content-addressed file");
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(std::fs::read(photo_file).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(digest, p.sha256);
    let (_, thumb) = w.clinic.photo_bytes(&w.dr, p.id, true).unwrap();
    assert!(image::load_from_memory(&thumb).is_ok());
    // The same picture twice is refused.
    let e = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "IMG_0001.JPG",
            &raw,
            &tags(TreatmentArea::Cheeks, ""),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict);
}

#[test]
fn a_file_that_is_not_an_image_is_refused_and_nothing_is_stored() {
    let w = world();
    let dir = w._dir.path();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "notes.txt",
            b"Patient says hello".to_vec(),
            "notes.txt is not a JPEG or PNG image",
        ),
        (
            "IMG_0002.HEIC",
            [&[0, 0, 0, 24][..], b"ftypheic", &[0; 16]].concat(),
            "HEIC photo",
        ),
        (
            "broken.jpg",
            vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3],
            "the file is incomplete",
        ),
        ("empty.png", vec![], "is not a JPEG or PNG image"),
    ];
    for (name, bytes, says) in cases {
        let api = dermis_clinic::ApiError::from(
            w.clinic
                .import_photo(
                    &w.dr,
                    w.patient,
                    name,
                    &bytes,
                    &tags(TreatmentArea::Cheeks, ""),
                )
                .unwrap_err(),
        );
        assert_eq!(
            (api.code, api.field.as_deref()),
            (ErrorCode::Validation, Some("file")),
            "{name}"
        );
        assert!(
            api.message.contains(says) && api.message.contains("Nothing was imported"),
            "{name}: {}",
            api.message
        );
    }
    assert!(stored_files(dir).is_empty());
    assert!(w.clinic.photos(&w.dr, w.patient).unwrap().is_empty());
    // A path that is not a file, through the file import.
    let e = w
        .clinic
        .import_photo_file(
            &w.dr,
            w.patient,
            &dermis_clinic::PhotoImport {
                path: dir.display().to_string(),
                tags: tags(TreatmentArea::Cheeks, ""),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    // The receptionist may not import or see photos.
    let png = png_of(4, [0, 0, 0]);
    assert_eq!(
        w.clinic
            .import_photo(
                &w.desk,
                w.patient,
                "a.png",
                &png,
                &tags(TreatmentArea::Cheeks, "")
            )
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden
    );
    assert_eq!(
        w.clinic.photos(&w.desk, w.patient).unwrap_err().code(),
        ErrorCode::Forbidden
    );
    assert!(stored_files(dir).is_empty());
}

#[test]
fn before_and_after_pairs_the_first_and_latest_photo_of_an_area() {
    let w = world();
    let png = |shade: u8| png_of(8, [shade, shade, shade]);
    let first = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "a.png",
            &png(10),
            &tags(TreatmentArea::Cheeks, "2026-01-05"),
        )
        .unwrap();
    w.clinic
        .import_photo(
            &w.dr,
            w.patient,
            "b.png",
            &png(20),
            &tags(TreatmentArea::Cheeks, "2026-04-05"),
        )
        .unwrap();
    let latest = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "c.png",
            &png(30),
            &tags(TreatmentArea::Cheeks, "2026-09-05"),
        )
        .unwrap();
    w.clinic
        .import_photo(
            &w.dr,
            w.patient,
            "d.png",
            &png(40),
            &tags(TreatmentArea::Forehead, "2026-09-05"),
        )
        .unwrap();
    assert_eq!(first.mime, "image/png");
    let pairs = w.clinic.before_after(&w.dr, w.patient).unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (pairs[0].before.id, pairs[0].after.id),
        (first.id, latest.id)
    );
    // Linking to another patient's record is refused.
    let api = dermis_clinic::ApiError::from(
        w.clinic
            .import_photo(
                &w.dr,
                w.patient,
                "e.png",
                &png(50),
                &PhotoTags {
                    session_record_id: Some(ids::SessionRecordId(999)),
                    ..tags(TreatmentArea::Cheeks, "")
                },
            )
            .unwrap_err(),
    );
    assert_eq!(api.field.as_deref(), Some("session_record_id"));
}

#[test]
fn backups_carry_the_photos_and_a_restore_brings_them_back() {
    let w = world();
    let png = png_of(8, [90, 60, 40]);
    let p = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "a.png",
            &png,
            &tags(TreatmentArea::Cheeks, "2026-01-05"),
        )
        .unwrap();
    let usb = tempfile::tempdir().unwrap();
    let dest = usb.path().join("clinic-backup.db");
    let b = w.clinic.backup(&w.dr, &dest).unwrap();
    assert_eq!((b.photos, b.photos_missing), (1, 0));
    let copy = usb
        .path()
        .join("clinic-backup-photos")
        .join(&p.sha256[..2])
        .join(format!("{}.png", p.sha256));
    assert!(copy.is_file(), "{copy:?}");
    // The live photo disappears (a broken disk); restoring the backup brings it back.
    let live = w
        ._dir
        .path()
        .join("photos")
        .join(&p.sha256[..2])
        .join(format!("{}.png", p.sha256));
    std::fs::remove_file(&live).unwrap();
    let r = w.clinic.restore(&w.dr, &dest).unwrap();
    assert_eq!(r.photos_missing, 0);
    assert!(live.is_file());
    let (_, bytes) = w.clinic.photo_bytes(&w.dr, p.id, false).unwrap();
    assert!(image::load_from_memory(&bytes).is_ok());
    // A backup whose photo folder was lost says so when inspected.
    std::fs::remove_dir_all(usb.path().join("clinic-backup-photos")).unwrap();
    let i = w.clinic.inspect_backup(&w.dr, &dest).unwrap();
    assert_eq!((i.photos, i.photos_missing), (1, 1));
}

#[test]
fn a_truncated_jpeg_is_refused_as_incomplete_instead_of_stored_half_grey() {
    let w = world();
    let whole = phone_jpeg(400, 300);
    let cut = &whole[..whole.len() * 6 / 10];
    let api = dermis_clinic::ApiError::from(
        w.clinic
            .import_photo(
                &w.dr,
                w.patient,
                "cut.jpg",
                cut,
                &tags(TreatmentArea::Cheeks, ""),
            )
            .unwrap_err(),
    );
    assert_eq!(api.field.as_deref(), Some("file"));
    assert!(
        api.message.contains("the file is incomplete"),
        "{}",
        api.message
    );
    assert!(stored_files(w._dir.path()).is_empty());
    // The whole file imports.
    w.clinic
        .import_photo(
            &w.dr,
            w.patient,
            "whole.jpg",
            &whole,
            &tags(TreatmentArea::Cheeks, ""),
        )
        .unwrap();
}

#[test]
fn a_photo_wider_than_the_limit_is_downscaled_at_import() {
    let w = world();
    let side = dermis_clinic::core::photo::PHOTO_MAX_SIDE_PX;
    let mut wide = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        side + 1000,
        30,
        image::Rgb([9, 9, 9]),
    ))
    .write_to(
        &mut std::io::Cursor::new(&mut wide),
        image::ImageFormat::Png,
    )
    .unwrap();
    let p = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "wide.png",
            &wide,
            &tags(TreatmentArea::Cheeks, ""),
        )
        .unwrap();
    assert_eq!(p.width, side, "stored at the one limit documents accept");
    let (_, bytes) = w.clinic.photo_bytes(&w.dr, p.id, false).unwrap();
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), side);
}

#[test]
fn a_photo_can_be_deleted_by_a_practitioner_and_its_file_goes_when_unused() {
    let w = world();
    let other = w
        .clinic
        .create_patient(
            &w.desk,
            &PatientInput {
                first_name: "Bo".into(),
                last_name: "Kim".into(),
                date_of_birth: "1991-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let png = png_of(8, [1, 2, 3]);
    let a = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "a.png",
            &png,
            &tags(TreatmentArea::Cheeks, ""),
        )
        .unwrap();
    let b = w
        .clinic
        .import_photo(
            &w.dr,
            other,
            "a.png",
            &png,
            &tags(TreatmentArea::Cheeks, ""),
        )
        .unwrap();
    assert_eq!(a.sha256, b.sha256, "one file for both records");
    let e = w.clinic.delete_photo(&w.desk, a.id).unwrap_err();
    assert_eq!(dermis_clinic::ApiError::from(e).code, ErrorCode::Forbidden);
    w.clinic.delete_photo(&w.dr, a.id).unwrap();
    assert!(w.clinic.photos(&w.dr, w.patient).unwrap().is_empty());
    assert_eq!(
        stored_files(w._dir.path()).len(),
        2,
        "the other record still uses the file"
    );
    w.clinic.delete_photo(&w.dr, b.id).unwrap();
    assert!(
        stored_files(w._dir.path()).is_empty(),
        "no record refers to it: removed"
    );
    assert_eq!(
        audit_actions(&w)
            .iter()
            .filter(|a| *a == "photo.delete")
            .count(),
        2
    );
    let e = w.clinic.delete_photo(&w.dr, b.id).unwrap_err();
    assert_eq!(dermis_clinic::ApiError::from(e).code, ErrorCode::NotFound);
}

/// Erasure removes the patient's photo files, but not one another patient
/// also has (content-addressed: the same picture is one file), and audits
/// every view of a photo by id.
#[test]
fn erasing_a_patient_removes_their_photo_files_but_not_shared_ones() {
    let w = world();
    let other = w
        .clinic
        .create_patient(
            &w.dr,
            &PatientInput {
                first_name: "Bo".into(),
                last_name: "Lee".into(),
                date_of_birth: "1990-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let own = png_of(32, [200, 10, 10]);
    let shared = png_of(32, [10, 10, 200]);
    let mine = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "a.png",
            &own,
            &tags(TreatmentArea::Cheeks, T0),
        )
        .unwrap();
    w.clinic
        .import_photo(
            &w.dr,
            w.patient,
            "b.png",
            &shared,
            &tags(TreatmentArea::Cheeks, T0),
        )
        .unwrap();
    let theirs = w
        .clinic
        .import_photo(
            &w.dr,
            other,
            "b.png",
            &shared,
            &tags(TreatmentArea::Cheeks, T0),
        )
        .unwrap();
    w.clinic.photo_bytes(&w.dr, mine.id, false).unwrap();
    assert!(w
        .clinic
        .recent_audit(&w.dr, 1)
        .unwrap()
        .iter()
        .any(|e| e.action == "photo.view" && e.detail.contains(&format!("\"photo\":{}", mine.id))));
    let before = stored_files(w._dir.path()).len();
    let r = w.clinic.erase_patient(&w.dr, w.patient).unwrap();
    assert_eq!(r.photo_files, 2, "the own photo and its thumbnail");
    assert_eq!(stored_files(w._dir.path()).len(), before - 2);
    let (_, bytes) = w.clinic.photo_bytes(&w.dr, theirs.id, false).unwrap();
    assert!(
        !bytes.is_empty(),
        "the shared picture stays for the other patient"
    );
}

#[test]
fn a_session_recorded_exactly_the_shortest_interval_after_the_last_is_accepted() {
    // Session 1 on T0 (Tuesday 24 November); the shortest interval is 4 weeks: 22 December.
    let depths = [(DepthZone::CheeksChin, "1.0")];
    let mut w = world();
    planned(&w, &[]);
    let p = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    w.clinic
        .record_session(&w.dr, p.sessions[0].id, &record(T0, &depths))
        .unwrap();
    // A day short of it is refused, naming the earliest day.
    set_today(&mut w, "2026-12-21");
    let e = w
        .clinic
        .record_session(&w.dr, p.sessions[1].id, &record("2026-12-21", &depths))
        .unwrap_err();
    assert!(
        format!("{e:?}").contains("the earliest allowed date is 2026-12-22"),
        "{e:?}"
    );
    set_today(&mut w, "2026-12-22");
    let r = w
        .clinic
        .record_session(&w.dr, p.sessions[1].id, &record("2026-12-22", &depths))
        .unwrap();
    assert_eq!((r.n, r.date), (2, d("2026-12-22")));
}

#[test]
fn a_camera_sized_photo_of_megabytes_imports_and_one_past_50_mb_is_refused() {
    let w = world();
    // 900 × 900 pixels of noise: a PNG of over 2 MB, as a phone's photo is.
    let mut seed: u32 = 7;
    let noisy = image::RgbImage::from_fn(900, 900, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let b = seed.to_be_bytes();
        image::Rgb([b[0], b[1], b[2]])
    });
    let mut big = Vec::new();
    image::DynamicImage::ImageRgb8(noisy)
        .write_to(&mut std::io::Cursor::new(&mut big), image::ImageFormat::Png)
        .unwrap();
    assert!(big.len() > 2 * 1024 * 1024, "{}", big.len());
    let p = w
        .clinic
        .import_photo(
            &w.dr,
            w.patient,
            "phone.png",
            &big,
            &tags(TreatmentArea::Cheeks, ""),
        )
        .unwrap();
    assert_eq!((p.width, p.height), (900, 900));
    // A file one byte over 50 MB is refused before it is read, by its size.
    let huge = vec![0u8; 50 * 1024 * 1024 + 1];
    let e = dermis_clinic::ApiError::from(
        w.clinic
            .import_photo(
                &w.dr,
                w.patient,
                "huge.png",
                &huge,
                &tags(TreatmentArea::Cheeks, ""),
            )
            .unwrap_err(),
    );
    assert!(
        e.message.contains("too large") && e.message.contains("the limit is 50 MB"),
        "{}",
        e.message
    );
}

#[test]
fn a_session_on_the_last_day_of_the_screenings_validity_is_recorded_and_a_day_later_refused() {
    let mut w = world();
    let (plan, _) = first_session_recorded(&w);
    let until = w.clinic.screenings(&w.dr, w.patient).unwrap()[0]
        .result
        .valid_until;
    let second = plan.sessions[1].id;
    // The day after: expired.
    set_today(&mut w, &(until + Duration::days(1)).to_string());
    let draft = w.clinic.session_draft(&w.dr, second).unwrap();
    assert!(
        draft.refused.as_deref().unwrap_or("").contains("expired"),
        "{:?}",
        draft.refused
    );
    // On the last valid day itself: recorded.
    set_today(&mut w, &until.to_string());
    let draft = w.clinic.session_draft(&w.dr, second).unwrap();
    assert_eq!(draft.refused, None);
    w.clinic
        .record_session(
            &w.dr,
            second,
            &record(&until.to_string(), &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    assert_eq!(w.clinic.session_records(&w.dr, w.patient).unwrap().len(), 2);
}

#[test]
fn a_photo_is_linked_to_one_of_this_patients_sessions_and_no_other() {
    let w = world();
    let (_, r) = first_session_recorded(&w);
    let mut linked = tags(TreatmentArea::Cheeks, T0);
    linked.session_record_id = Some(r.id);
    let p = w
        .clinic
        .import_photo(&w.dr, w.patient, "s1.png", &png_of(40, [1, 2, 3]), &linked)
        .unwrap();
    assert_eq!(p.session_record_id, Some(r.id));
    // A session record that is not this patient's: refused, nothing stored.
    let mut wrong = linked.clone();
    wrong.session_record_id = Some(ids::SessionRecordId(r.id.0 + 999));
    let e = dermis_clinic::ApiError::from(
        w.clinic
            .import_photo(&w.dr, w.patient, "s2.png", &png_of(40, [3, 2, 1]), &wrong)
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("session_record_id"));
    assert_eq!(w.clinic.photos(&w.dr, w.patient).unwrap().len(), 1);
}

#[test]
fn a_session_inside_an_isotretinoin_washout_is_refused_and_on_the_first_eligible_day_recorded() {
    let mut w = world();
    let plan = planned(&w, &[]);
    let first = w.clinic.plans(&w.dr, w.patient).unwrap()[0].sessions[0].id;
    // A new screening: the last dose six months ago less three days, so the
    // washout runs until three days from now.
    let last_dose = d(T0) - chrono::Months::new(6) + Duration::days(3);
    let mut s = screening(T0, &[Condition::Isotretinoin]);
    for a in &mut s.answers {
        if a.condition == Condition::Isotretinoin {
            a.last_date = Some(last_dose.to_string());
        }
    }
    let r = w.clinic.record_screening(&w.dr, w.patient, &s).unwrap();
    let until = r.result.earliest_eligible.expect("a washout");
    assert_eq!(until, d(T0) + Duration::days(3));
    // Today and the day before it ends: refused, naming the date.
    for day in [d(T0), until - Duration::days(1)] {
        set_today(&mut w, &day.to_string());
        let e = dermis_clinic::ApiError::from(
            w.clinic
                .record_session(
                    &w.dr,
                    first,
                    &record(&day.to_string(), &[(DepthZone::Forehead, "0.5")]),
                )
                .unwrap_err(),
        );
        assert_eq!(e.field.as_deref(), Some("screening"), "{e:?}");
        assert!(e.message.contains(&until.to_string()), "{}", e.message);
    }
    assert!(w
        .clinic
        .session_records(&w.dr, w.patient)
        .unwrap()
        .is_empty());
    // The day it ends: recorded.
    set_today(&mut w, &until.to_string());
    w.clinic
        .record_session(
            &w.dr,
            first,
            &record(&until.to_string(), &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    assert_eq!(sessions_of(&w, plan.0)[0].2, SessionStatus::Done);
}

#[test]
fn a_photo_is_linked_to_one_of_this_patients_assessments_and_no_other() {
    let w = world();
    let mine = w
        .clinic
        .record_assessment(&w.dr, w.patient, &assessment(T0, 12, 4))
        .unwrap();
    let other = w
        .clinic
        .create_patient(
            &w.desk,
            &PatientInput {
                first_name: "Ann".into(),
                last_name: "Lee".into(),
                date_of_birth: "1988-05-06".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let theirs = w
        .clinic
        .record_assessment(&w.dr, other, &assessment(T0, 3, 0))
        .unwrap();
    let mut linked = tags(TreatmentArea::Cheeks, T0);
    linked.assessment_id = Some(mine.id);
    let p = w
        .clinic
        .import_photo(&w.dr, w.patient, "a1.png", &png_of(40, [1, 2, 3]), &linked)
        .unwrap();
    assert_eq!(p.assessment_id, Some(mine.id));
    // Another patient's assessment: refused, nothing stored.
    linked.assessment_id = Some(theirs.id);
    let e = dermis_clinic::ApiError::from(
        w.clinic
            .import_photo(&w.dr, w.patient, "a2.png", &png_of(40, [3, 2, 1]), &linked)
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("assessment_id"));
    assert_eq!(w.clinic.photos(&w.dr, w.patient).unwrap().len(), 1);
}

#[test]
fn the_depth_chart_gives_every_zone_its_thin_and_thick_limits_and_shows_an_edit() {
    // The chart is what the session form shows beside each depth and what the
    // "above the ceiling" confirmation is measured against: a practitioner
    // reading it must get every zone with the manufacturer's limits, and an
    // admin's edit must be what everyone reads afterwards.
    use dermis_clinic::core::session::{default_depth_chart, DepthRange};
    let w = world();
    let chart = w.clinic.depth_chart(&w.dr).unwrap();
    assert_eq!(chart, default_depth_chart());
    assert_eq!(chart.len(), DepthZone::ALL.len());
    let cheeks = chart
        .iter()
        .find(|z| z.zone == DepthZone::CheeksChin)
        .unwrap();
    assert_eq!(
        (cheeks.thin, cheeks.thick),
        (
            DepthRange {
                min_um: 500,
                max_um: 1000
            },
            DepthRange {
                min_um: 1000,
                max_um: 2000
            }
        )
    );

    let mut edited = chart.clone();
    for z in edited
        .iter_mut()
        .filter(|z| z.zone == DepthZone::CheeksChin)
    {
        z.thin.max_um = 1500;
    }
    assert_eq!(w.clinic.update_depth_chart(&w.dr, &edited).unwrap(), edited);
    assert_eq!(w.clinic.depth_chart(&w.dr).unwrap(), edited);

    // The edited ceiling is the one a session is checked against: 1.5 mm on
    // the cheeks no longer needs a confirmation.
    planned(&w, &[]);
    let first = w.clinic.plans(&w.dr, w.patient).unwrap()[0].sessions[0].id;
    let r = w
        .clinic
        .record_session(&w.dr, first, &record(T0, &[(DepthZone::CheeksChin, "1.5")]))
        .unwrap();
    assert!(!r.ceiling_confirmed);
    assert!(!r.depths[0].above_ceiling);
}

/// Slow healing reported on the day of a plan's last session (the patient
/// is here for it) has no later interval to lengthen: the report is kept,
/// the plan stays as it was and its rationale gains no sentence about a
/// session that does not exist.
#[test]
fn slow_healing_reported_at_the_last_session_adds_nothing_to_the_plan() {
    let w = world();
    let c = &w.clinic;
    let plan = planned_as(
        &w,
        &[],
        Some(PlanOverride {
            sessions: Some(2),
            interval_weeks: None,
            reason: "Two sessions, then review.".into(),
        }),
    );
    let r = c
        .record_session(
            &w.dr,
            plan.sessions[0].id,
            &record(T0, &[(DepthZone::Forehead, "0.5")]),
        )
        .unwrap();
    let last = plan.sessions[1].date;
    let mut w = w;
    set_today(&mut w, &last.to_string());
    let before = w.clinic.plans(&w.dr, w.patient).unwrap()[0].clone();
    let out = w
        .clinic
        .record_healing(&w.dr, r.id, &healing(&last.to_string(), 6, &[]))
        .unwrap();
    assert_eq!(out.record.healing.as_ref().unwrap().redness_days, 6);
    assert_eq!(out.plan.status, PlanStatus::Active);
    assert_eq!(out.plan.rationale, before.rationale);
    assert_eq!(out.plan.sessions, before.sessions);
}
