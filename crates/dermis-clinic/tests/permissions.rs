//! Every use-case × every role: what the permission table allows succeeds;
//! what it refuses returns `forbidden`, writes one `permission.denied` audit
//! entry, and changes nothing else. And what each role RECEIVES: every answer
//! is serialised and the receptionist's must hold no clinical field or word
//! (the fixture plants recognisable clinical text so its absence means something).

use chrono::NaiveDate;
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids;
use dermis_clinic::core::photo::{PhotoAngle, PhotoTags};
use dermis_clinic::core::plan::{PlanOverride, PlanRequest, PlanStatus};
use dermis_clinic::core::schedule::{BookingKey, DayHours};
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::session::{
    AdverseEventFilter, DepthZone, HealingInput, SessionRecordInput, ZoneDepthInput,
};
use dermis_clinic::core::settings::Weekday;
use dermis_clinic::core::{LoginInput, PatientInput, PatientSearch, Role, SetupInput};
use dermis_clinic::{
    Action, Actor, BookingInput, Clinic, ClinicError, ErrorCode, FixedClock, MoveInput, SlotQuery,
};
use ids::{AssessmentId, PatientId, PlanId, PlannedSessionId, SessionRecordId};
use std::sync::Arc;

struct Fixture {
    patient: PatientId,
    spare: PatientId,
    unplanned: PatientId,
    unplanned_assessment: AssessmentId,
    assessment: AssessmentId,
    plan: PlanId,
    second_session: PlannedSessionId,
    second_date: NaiveDate,
    /// The patient's first session, recorded in the fixture.
    record: SessionRecordId,
    /// Another planned patient's first session (today), not yet recorded.
    recordable: PlannedSessionId,
    /// The patient's signed, confirmed consent.
    consent: ids::ConsentId,
    /// The spare patient's consent, signed at the desk, awaiting confirmation.
    awaiting: ids::ConsentId,
    /// A room, the practitioner's id, and a review booked for tomorrow.
    room: ids::RoomId,
    prac: ids::UserId,
    review: ids::AppointmentId,
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn person(first: &str) -> PatientInput {
    PatientInput {
        first_name: first.into(),
        last_name: "Lee".into(),
        date_of_birth: "1990-01-01".into(),
        ..Default::default()
    }
}

fn screening(c: &Clinic, s: &Actor) -> ScreeningInput {
    ScreeningInput {
        screened_on: today().to_string(),
        answers: c
            .screening_questions(s)
            .unwrap()
            .into_iter()
            .map(|q| ScreeningAnswer {
                // A warning (not a block): the plan then carries "Diabetes: …".
                present: q.condition == Condition::Diabetes,
                condition: q.condition,
                last_date: None,
            })
            .collect(),
        notes: "MARKER-SCREENING-NOTE".into(),
    }
}

fn assessment() -> AssessmentInput {
    AssessmentInput {
        assessed_on: today().to_string(),
        scar_types: vec![ScarType::Rolling],
        grade: 2,
        counts: GbCounts {
            moderate: 5,
            ..Default::default()
        },
        fitzpatrick: 2,
        sensitivity: Sensitivity::Normal,
        treatment_areas: vec![TreatmentArea::Cheeks],
        scar_age_years: 2,
        notes: "MARKER-ASSESSMENT-NOTE".into(),
    }
}

fn session_record() -> SessionRecordInput {
    SessionRecordInput {
        device: "Pen".into(),
        depths: vec![ZoneDepthInput {
            zone: DepthZone::Forehead,
            depth_mm: "0.5".into(),
        }],
        ..dermis_clinic::core::session::draft_record(None, today())
    }
}

fn signing(patient: PatientId, confirm: bool) -> dermis_clinic::core::consent::ConsentSignInput {
    dermis_clinic::core::consent::ConsentSignInput {
        patient_id: patient,
        template: "microneedling".into(),
        template_version: None,
        signature: dermis_clinic::demo::demo_signature(3),
        typed_name: String::new(),
        photo_uses: dermis_clinic::core::consent::PhotoUses {
            record: true,
            teaching: true,
            marketing: false,
        },
        confirm,
    }
}

/// A clinic with one user per role, a planned patient, a spare patient and an
/// assessed patient without a plan.
fn world() -> (Clinic, Actor, Vec<(Role, Actor)>, Fixture) {
    let c = Clinic::open_in_memory(Arc::new(FixedClock::on(today()))).unwrap();
    let admin = c
        .setup(&SetupInput {
            clinic_name: "C".into(),
            clinic_address: "".into(),
            clinic_phone: "".into(),
            admin_username: "owner".into(),
            admin_display_name: "Owner".into(),
            password: "plum kettle harbour velvet".into(),
        })
        .unwrap();
    // The server's dumps are sealed to its backup key: an admin makes it once.
    if c.server_url().is_some() {
        c.ensure_dump_key(&admin, "plum kettle harbour velvet", None)
            .unwrap();
    }
    let mut users = Vec::new();
    for (name, role) in [
        ("onlyadmin", Role::Admin),
        ("prac", Role::Practitioner),
        ("desk", Role::Receptionist),
    ] {
        c.create_user(&admin, name, name, "a long password", &[role])
            .unwrap();
        let s = c
            .login(&LoginInput {
                username: name.into(),
                password: "a long password".into(),
            })
            .unwrap();
        users.push((role, s));
    }
    let patient = c.create_patient(&admin, &person("Ann")).unwrap().id;
    let spare = c.create_patient(&admin, &person("Bo")).unwrap().id;
    let unplanned = c.create_patient(&admin, &person("Cy")).unwrap().id;
    let other = c.create_patient(&admin, &person("Di")).unwrap().id;
    for p in [patient, unplanned, other] {
        c.record_screening(&admin, p, &screening(&c, &admin))
            .unwrap();
    }
    // The two planned patients record sessions: the gate needs their consent
    // (each confirmation draws a PDF, so only theirs).
    let consents: Vec<ids::ConsentId> = [patient, other]
        .into_iter()
        .map(|p| {
            dermis_clinic::demo::sign_demo_consent(&c, &admin, p, 1)
                .unwrap()
                .id
        })
        .collect();
    let awaiting = c.sign_consent(&admin, &signing(spare, false)).unwrap().id;
    let a = c
        .record_assessment(&admin, patient, &assessment())
        .unwrap()
        .id;
    let ua = c
        .record_assessment(&admin, unplanned, &assessment())
        .unwrap()
        .id;
    let plan = c
        .accept_plan(
            &admin,
            &PlanRequest {
                patient_id: patient,
                assessment_id: a,
                start: today().to_string(),
                adjust: Some(PlanOverride {
                    sessions: Some(5),
                    interval_weeks: None,
                    reason: "MARKER-OVERRIDE-REASON".into(),
                }),
            },
        )
        .unwrap();
    let record = c
        .record_session(&admin, plan.sessions[0].id, &session_record())
        .unwrap()
        .id;
    let oa = c
        .record_assessment(&admin, other, &assessment())
        .unwrap()
        .id;
    let other_plan = c
        .accept_plan(
            &admin,
            &PlanRequest {
                patient_id: other,
                assessment_id: oa,
                start: today().to_string(),
                adjust: None,
            },
        )
        .unwrap();
    let room = c.add_room(&admin, "Room 1").unwrap().id;
    let prac = ids::UserId(
        c.users(&admin)
            .unwrap()
            .into_iter()
            .find(|u| u.username == "prac")
            .unwrap()
            .id,
    );
    let review = c
        .book_appointment(
            &admin,
            &BookingInput {
                patient_id: patient,
                kind: "review".into(),
                date: "2026-11-25".into(),
                time: "10:00".into(),
                minutes: None,
                numbing_minutes: None,
                practitioner_id: prac,
                room_id: room,
            },
        )
        .unwrap();
    let BookingKey::Appointment(review) = review.key else {
        panic!("a review is an appointment")
    };
    let fx = Fixture {
        room,
        prac,
        review,
        patient,
        spare,
        unplanned,
        unplanned_assessment: ua,
        assessment: a,
        plan: plan.id,
        second_session: plan.sessions[1].id,
        second_date: plan.sessions[1].date,
        record,
        recordable: other_plan.sessions[0].id,
        consent: consents[0],
        awaiting,
    };
    (c, admin, users, fx)
}

/// What a use-case returned, serialised as the app would receive it.
type Answer = serde_json::Value;

type UseCase =
    Box<dyn Fn(&Clinic, &Actor, &Fixture, &Actor) -> Result<Answer, ClinicError> + Send + Sync>;

fn ok<T: serde::Serialize>(r: Result<T, ClinicError>) -> Result<Answer, ClinicError> {
    r.map(|v| serde_json::to_value(v).expect("answers serialise"))
}

/// For answers that never cross to the app as JSON (the audit list, bytes).
fn done<T>(r: Result<T, ClinicError>) -> Result<Answer, ClinicError> {
    r.map(|_| Answer::Null)
}

/// Field names that only clinical roles may receive.
const CLINICAL_FIELDS: &[&str] = &[
    "rationale",
    "warnings",
    "override_reason",
    "blocked",
    "blocks",
    "grade",
    "fitzpatrick",
    "sensitivity",
    "scar_age_years",
    "score",
    "counts",
    "scar_types",
    "depths",
    "adverse_events",
    // A signed consent's content (the desk sees only where it stands).
    "signature",
    "photo_uses",
    "content_sha256",
    "pdf_sha256",
    "typed_name",
];

/// Clinical text planted in the fixture (and the engine's own warning words).
const CLINICAL_WORDS: &[&str] = &["MARKER-", "Diabetes", "Fitzpatrick", "grade "];

/// The clinical field names and words found anywhere in `answer`.
fn clinical_in(answer: &Answer) -> Vec<String> {
    let mut found = Vec::new();
    fn walk(v: &Answer, found: &mut Vec<String>) {
        match v {
            Answer::Object(m) => {
                for (k, v) in m {
                    if CLINICAL_FIELDS.contains(&k.as_str()) {
                        found.push(format!("field {k}"));
                    }
                    walk(v, found);
                }
            }
            Answer::Array(a) => a.iter().for_each(|v| walk(v, found)),
            Answer::String(s) => {
                for w in CLINICAL_WORDS {
                    if s.contains(w) {
                        found.push(format!("text {s:?}"));
                    }
                }
            }
            _ => {}
        }
    }
    walk(answer, &mut found);
    found
}

fn use_cases() -> Vec<(&'static str, Action, UseCase)> {
    vec![
        (
            "search patients",
            Action::FindPatients,
            Box::new(|c, s, _, _| ok(c.search_patients(s, &PatientSearch::new("lee")))),
        ),
        (
            "count patients",
            Action::FindPatients,
            Box::new(|c, s, _, _| ok(c.patient_count(s))),
        ),
        (
            "open a record",
            Action::ViewPatient,
            Box::new(|c, s, f, _| ok(c.patient(s, f.patient))),
        ),
        (
            "register a patient",
            Action::CreatePatient,
            Box::new(|c, s, _, _| ok(c.create_patient(s, &person("Dee")))),
        ),
        (
            "edit a patient",
            Action::EditPatient,
            Box::new(|c, s, f, admin| {
                let v = c.patient(admin, f.spare)?.version;
                ok(c.update_patient(
                    s,
                    f.spare,
                    v,
                    &PatientInput {
                        phone: "+44 20 7946 0000".into(),
                        ..person("Bo")
                    },
                ))
            }),
        ),
        (
            "archive a patient",
            Action::ArchivePatient,
            Box::new(|c, s, f, _| ok(c.set_patient_archived(s, f.spare, true))),
        ),
        (
            "erase a patient",
            Action::ErasePatient,
            Box::new(|c, s, f, _| ok(c.erase_patient(s, f.spare))),
        ),
        (
            "preview a merge",
            Action::MergePatients,
            Box::new(|c, s, f, _| ok(c.merge_preview(s, f.unplanned, f.spare))),
        ),
        (
            "merge two records",
            Action::MergePatients,
            Box::new(|c, s, f, _| ok(c.merge_patients(s, f.unplanned, f.spare))),
        ),
        (
            "demo patients",
            Action::GenerateDemoData,
            Box::new(|c, s, _, _| ok(c.create_patients_bulk(s, &[person("Eve")]))),
        ),
        (
            "read the audit log",
            Action::ReadAuditLog,
            Box::new(|c, s, _, _| done(c.recent_audit(s, 5))),
        ),
        (
            "add a user",
            Action::ManageUsers,
            Box::new(|c, s, _, _| {
                ok(c.create_user(s, "newbie", "New", "a long password", &[Role::Receptionist]))
            }),
        ),
        (
            "screening questions",
            Action::RecordClinical,
            Box::new(|c, s, _, _| ok(c.screening_questions(s))),
        ),
        (
            "record a screening",
            Action::RecordClinical,
            Box::new(|c, s, f, admin| ok(c.record_screening(s, f.patient, &screening(c, admin)))),
        ),
        (
            "read screenings",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.screenings(s, f.patient))),
        ),
        (
            "live score",
            Action::RecordClinical,
            Box::new(|c, s, _, _| ok(c.score_assessment(s, &GbCounts::default()))),
        ),
        (
            "record an assessment",
            Action::RecordClinical,
            Box::new(|c, s, f, _| ok(c.record_assessment(s, f.patient, &assessment()))),
        ),
        (
            "read assessments",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.assessments(s, f.patient))),
        ),
        (
            "propose a plan",
            Action::PlanTreatment,
            Box::new(|c, s, f, _| {
                ok(c.propose_plan(
                    s,
                    &PlanRequest {
                        patient_id: f.patient,
                        assessment_id: f.assessment,
                        start: "2026-12-01".into(),
                        adjust: None,
                    },
                ))
            }),
        ),
        (
            "accept a plan",
            Action::PlanTreatment,
            Box::new(|c, s, f, _| {
                ok(c.accept_plan(
                    s,
                    &PlanRequest {
                        patient_id: f.unplanned,
                        assessment_id: f.unplanned_assessment,
                        start: "2026-12-01".into(),
                        adjust: None,
                    },
                ))
            }),
        ),
        (
            "read plans",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.plans(s, f.patient))),
        ),
        (
            "move a session",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| {
                ok(c.reschedule_session(
                    s,
                    f.second_session,
                    &(f.second_date + chrono::Duration::days(7)).to_string(),
                ))
            }),
        ),
        (
            // The red-team probe: a "move" that changes nothing, to read the plan.
            "move a session to its own date",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| {
                ok(c.reschedule_session(s, f.second_session, &f.second_date.to_string()))
            }),
        ),
        (
            "book a time",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| ok(c.set_session_time(s, f.second_session, "10:00"))),
        ),
        (
            "pause a plan",
            Action::PlanTreatment,
            Box::new(|c, s, f, _| ok(c.set_plan_status(s, f.plan, PlanStatus::Paused, "unwell"))),
        ),
        (
            "see the calendar",
            Action::ViewCalendar,
            Box::new(|c, s, _, _| ok(c.calendar(s, "2026-11-23", "2026-11-29"))),
        ),
        (
            "see today",
            Action::ViewCalendar,
            Box::new(|c, s, _, _| ok(c.today_list(s))),
        ),
        (
            "see plan settings",
            Action::ViewSettings,
            Box::new(|c, s, _, _| ok(c.plan_settings(s))),
        ),
        (
            "change plan settings",
            Action::EditSettings,
            Box::new(|c, s, _, admin| ok(c.update_plan_settings(s, &c.plan_settings(admin)?))),
        ),
        (
            "see screening rules",
            Action::ViewSettings,
            Box::new(|c, s, _, _| ok(c.contraindication_rules(s))),
        ),
        (
            "change screening rules",
            Action::EditSettings,
            Box::new(|c, s, _, admin| {
                ok(c.update_contraindication_rules(s, &c.contraindication_rules(admin)?))
            }),
        ),
        (
            "list the consent forms",
            Action::TakeConsent,
            Box::new(|c, s, _, _| ok(c.consent_templates(s))),
        ),
        (
            "take a patient's signature",
            Action::TakeConsent,
            Box::new(|c, s, f, _| ok(c.sign_consent(s, &signing(f.spare, false)))),
        ),
        (
            "see where a patient's consents stand",
            Action::ViewPatient,
            Box::new(|c, s, f, _| ok(c.consents(s, f.patient))),
        ),
        (
            "read a signed consent",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.consent(s, f.consent))),
        ),
        (
            "read the photo-use answers",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.photo_consent(s, f.patient))),
        ),
        (
            "print a signed consent",
            Action::ReadClinical,
            Box::new(|c, s, f, _| done(c.consent_document(s, f.consent))),
        ),
        (
            "confirm a consent",
            Action::ConfirmConsent,
            Box::new(|c, s, f, _| ok(c.confirm_consent(s, f.awaiting))),
        ),
        (
            "withdraw a consent",
            Action::ConfirmConsent,
            Box::new(|c, s, f, _| ok(c.revoke_consent(s, f.consent, "The patient withdrew."))),
        ),
        (
            "save a consent form version",
            Action::EditSettings,
            Box::new(|c, s, _, _| {
                ok(c.save_consent_template(
                    s,
                    &dermis_clinic::core::consent::ConsentTemplateInput {
                        key: "microneedling".into(),
                        title: "Consent".into(),
                        body: "A new text.".into(),
                    },
                ))
            }),
        ),
        (
            "see the consent rules",
            Action::ViewSettings,
            Box::new(|c, s, _, _| ok(c.consent_settings(s))),
        ),
        (
            "change the consent rules",
            Action::EditSettings,
            Box::new(|c, s, _, admin| ok(c.set_consent_settings(s, &c.consent_settings(admin)?))),
        ),
        (
            "open the session form",
            Action::RecordClinical,
            Box::new(|c, s, f, _| ok(c.session_draft(s, f.recordable))),
        ),
        (
            "record a session",
            Action::RecordClinical,
            Box::new(|c, s, f, _| ok(c.record_session(s, f.recordable, &session_record()))),
        ),
        (
            "read session records",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.session_records(s, f.patient))),
        ),
        (
            "record healing",
            Action::RecordClinical,
            Box::new(|c, s, f, _| {
                ok(c.record_healing(
                    s,
                    f.record,
                    &HealingInput {
                        reported_on: today().to_string(),
                        redness_days: 5,
                        flaking_days: 1,
                        events: vec![],
                        notes: String::new(),
                    },
                ))
            }),
        ),
        (
            "read the adverse-event register",
            Action::ReadClinical,
            Box::new(|c, s, _, _| ok(c.adverse_events(s, &AdverseEventFilter::default()))),
        ),
        (
            "export the adverse-event register",
            Action::ReadClinical,
            Box::new(|c, s, _, _| ok(c.adverse_events_csv(s, &AdverseEventFilter::default()))),
        ),
        (
            "read progress",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.progress(s, f.patient))),
        ),
        (
            "list photos",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.photos(s, f.patient))),
        ),
        (
            "before and after photos",
            Action::ReadClinical,
            Box::new(|c, s, f, _| ok(c.before_after(s, f.patient))),
        ),
        (
            // A database in memory keeps no photo files: the refusal must come first.
            "import a photo (refusal only)",
            Action::RecordClinical,
            Box::new(|c, s, f, _| {
                let tags = PhotoTags {
                    taken_on: String::new(),
                    area: TreatmentArea::Cheeks,
                    angle: PhotoAngle::Front,
                    session_record_id: None,
                    assessment_id: None,
                };
                match c.import_photo(s, f.patient, "x.txt", b"not an image", &tags) {
                    Err(ClinicError::Validation(_)) => Ok(Answer::Null),
                    other => ok(other),
                }
            }),
        ),
        (
            // A database in memory holds no photos: allowed roles meet "not found".
            "delete a photo",
            Action::DeletePhoto,
            Box::new(
                |c, s, _, _| match c.delete_photo(s, ids::PhotoId(999_999)) {
                    Err(ClinicError::NotFound(_)) => Ok(Answer::Null),
                    other => ok(other),
                },
            ),
        ),
        (
            "see the depth chart",
            Action::ViewSettings,
            Box::new(|c, s, _, _| ok(c.depth_chart(s))),
        ),
        (
            "change the depth chart",
            Action::EditSettings,
            Box::new(|c, s, _, admin| ok(c.update_depth_chart(s, &c.depth_chart(admin)?))),
        ),
        (
            "export all data",
            Action::ExportData,
            Box::new(|c, s, _, _| {
                let dir = tempfile::tempdir().map_err(|e| ClinicError::Io(e.to_string()))?;
                ok(c.export_data(
                    s,
                    dermis_clinic::ExportFormat::Json,
                    &dir.path().join("x.json"),
                ))
            }),
        ),
        (
            "export a patient's record",
            Action::ExportData,
            Box::new(|c, s, f, _| ok(c.patient_record(s, f.patient))),
        ),
        (
            "check a patient in",
            Action::CheckIn,
            Box::new(|c, s, f, _| ok(c.check_in(s, f.second_session, true))),
        ),
        (
            "see the clinic settings",
            Action::ViewSettings,
            Box::new(|c, s, _, _| ok(c.clinic_settings(s))),
        ),
        (
            "change the clinic settings",
            Action::EditSettings,
            Box::new(|c, s, _, admin| {
                ok(c.update_clinic_settings(s, &c.clinic_settings(admin)?.settings))
            }),
        ),
        (
            "change the letterhead",
            Action::EditSettings,
            Box::new(|c, s, _, admin| {
                ok(c.update_clinic_details(s, &c.clinic_settings(admin)?.details))
            }),
        ),
        (
            "remove the logo",
            Action::EditSettings,
            Box::new(|c, s, _, _| ok(c.clear_logo(s))),
        ),
        (
            "list accounts",
            Action::ManageUsers,
            Box::new(|c, s, _, _| ok(c.users(s))),
        ),
        (
            "browse the audit log",
            Action::ReadAuditLog,
            Box::new(|c, s, _, _| ok(c.audit_page(s, &dermis_clinic::AuditFilter::default()))),
        ),
        (
            "back up to a folder",
            Action::Backup,
            Box::new(|c, s, _, _| {
                let dir = tempfile::tempdir().map_err(|e| ClinicError::Io(e.to_string()))?;
                ok(c.backup_to_folder(s, dir.path()))
            }),
        ),
        (
            "print an aftercare sheet",
            Action::PrintHandouts,
            Box::new(|c, s, f, _| {
                done(c.render_document(
                    s,
                    &dermis_clinic::PrintRequest::Aftercare {
                        session_id: f.second_session.0,
                    },
                ))
            }),
        ),
        (
            "print today's aftercare sheets",
            Action::PrintHandouts,
            Box::new(|c, s, _, _| {
                done(c.render_document(
                    s,
                    &dermis_clinic::PrintRequest::Today {
                        date: String::new(),
                    },
                ))
            }),
        ),
        (
            "print a schedule card",
            Action::PrintHandouts,
            Box::new(|c, s, f, _| {
                done(c.render_document(
                    s,
                    &dermis_clinic::PrintRequest::ScheduleCard {
                        patient_id: f.patient.0,
                    },
                ))
            }),
        ),
        (
            "print a progress summary",
            Action::ReadClinical,
            Box::new(|c, s, f, _| {
                done(c.render_document(
                    s,
                    &dermis_clinic::PrintRequest::ProgressSummary {
                        patient_id: f.patient.0,
                    },
                ))
            }),
        ),
        (
            "list a patient's documents",
            Action::ViewPatient,
            Box::new(|c, s, f, _| ok(c.documents(s, f.patient))),
        ),
        (
            "book an appointment",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| {
                ok(c.book_appointment(
                    s,
                    &BookingInput {
                        patient_id: f.spare,
                        kind: "consultation".into(),
                        date: "2026-11-26".into(),
                        time: "11:00".into(),
                        minutes: None,
                        numbing_minutes: None,
                        practitioner_id: f.prac,
                        room_id: f.room,
                    },
                ))
            }),
        ),
        (
            "move a booking",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| {
                ok(c.move_booking(
                    s,
                    BookingKey::Appointment(f.review),
                    None,
                    &MoveInput {
                        time: "14:00".into(),
                        ..Default::default()
                    },
                ))
            }),
        ),
        (
            "book a planned session into a slot",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| {
                ok(c.move_booking(
                    s,
                    BookingKey::Session(f.second_session),
                    None,
                    &MoveInput {
                        time: "09:00".into(),
                        practitioner_id: Some(f.prac),
                        room_id: Some(f.room),
                        ..Default::default()
                    },
                ))
            }),
        ),
        (
            "resize a booking",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| {
                ok(c.resize_booking(s, BookingKey::Appointment(f.review), None, 30))
            }),
        ),
        (
            "cancel a booking",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| ok(c.cancel_booking(s, BookingKey::Appointment(f.review), None))),
        ),
        (
            "flag running late",
            Action::CheckIn,
            Box::new(|c, s, f, _| {
                ok(c.set_running_late(s, BookingKey::Appointment(f.review), None, true))
            }),
        ),
        (
            "see the bookings",
            Action::ViewCalendar,
            Box::new(|c, s, _, _| ok(c.bookings(s, "2026-11-23", "2026-12-31"))),
        ),
        (
            "see the day grid",
            Action::ViewCalendar,
            Box::new(|c, s, _, _| ok(c.day_view(s, "2026-11-24"))),
        ),
        (
            "find the next free slot",
            Action::ViewCalendar,
            Box::new(|c, s, f, _| {
                ok(c.next_free_slot(
                    s,
                    &SlotQuery {
                        practitioner_id: Some(f.prac),
                        room_id: None,
                        minutes: 60,
                        from_date: "2026-11-25".into(),
                        from_time: "09:30".into(),
                    },
                ))
            }),
        ),
        (
            "free slots for a plan's sessions",
            Action::MoveAppointment,
            Box::new(|c, s, f, _| ok(c.session_slots(s, f.plan, None, None))),
        ),
        (
            "list rooms",
            Action::ViewCalendar,
            Box::new(|c, s, _, _| ok(c.rooms(s))),
        ),
        (
            "add a room",
            Action::EditSettings,
            Box::new(|c, s, _, _| ok(c.add_room(s, "Room 2"))),
        ),
        (
            "rename or retire a room",
            Action::EditSettings,
            Box::new(|c, s, f, _| ok(c.update_room(s, f.room, "Room A", false))),
        ),
        (
            "list practitioners and hours",
            Action::ViewCalendar,
            Box::new(|c, s, _, _| ok(c.practitioners(s))),
        ),
        (
            "set a practitioner's hours",
            Action::EditSettings,
            Box::new(|c, s, f, _| {
                let days = [DayHours {
                    weekday: Weekday::Mon,
                    start: "08:00".into(),
                    end: "12:00".into(),
                }];
                ok(c.set_practitioner_hours(s, f.prac, Some(&days)))
            }),
        ),
        (
            "list appointment kinds",
            Action::ViewCalendar,
            Box::new(|c, s, _, _| ok(c.appointment_kinds(s))),
        ),
        (
            "change appointment kinds",
            Action::EditSettings,
            Box::new(|c, s, _, admin| ok(c.set_appointment_kinds(s, &c.appointment_kinds(admin)?))),
        ),
        (
            "clinical demo data",
            Action::GenerateDemoData,
            Box::new(|c, s, _, _| ok(dermis_clinic::demo::add_clinical_demo(c, s, 0, 1))),
        ),
    ]
}

/// One use-case as one role, in a fresh clinic (so one role's change cannot
/// decide another's result); panics with the case's name when it misbehaves.
fn check_case(i: usize, name: &str, action: Action, run: &UseCase, role: Role) {
    let (c, admin, users, fx) = world();
    let session = &users.iter().find(|(r, _)| *r == role).unwrap().1;
    let before = c.recent_audit(&admin, 10_000).unwrap().len();
    // On the clinic server (DERMIS_TEST_SERVER) each role works through its
    // own login role, so the engine's grants (column grants included) are
    // proved to let every allowed use-case through.
    let own = c.server_url().map(|_| {
        c.reconnect_as(&session.username, "a long password")
            .unwrap()
    });
    let result = run(own.as_ref().unwrap_or(&c), session, &fx, &admin);
    drop(own);
    let after = c.recent_audit(&admin, 10_000).unwrap();
    // What the role did (the fixture's own reads as the owner are left out).
    let added: Vec<&str> = after[..after.len() - before]
        .iter()
        .filter(|e| e.username != admin.username)
        .map(|e| e.action.as_str())
        .collect();
    if action.allowed_roles().contains(&role) {
        assert!(
            result.is_ok(),
            "#{i} {name} as {role:?} should be allowed: {:?}",
            result.err()
        );
        assert!(
            !added.contains(&"permission.denied"),
            "{name} as {role:?}: {added:?}"
        );
        // What the desk receives: schedule and contact facts only. The clinic's
        // own settings (its screening rules) name conditions but no patient.
        let answer = result.unwrap();
        if role == Role::Receptionist && !matches!(action, Action::ViewSettings) {
            let found = clinical_in(&answer);
            assert!(
                found.is_empty(),
                "#{i} {name}: the receptionist received clinical content: {found:?}"
            );
        }
    } else {
        let e = result.expect_err(&format!("#{i} {name} as {role:?} should be refused"));
        assert_eq!(e.code(), ErrorCode::Forbidden, "{name} as {role:?}");
        // Exactly one new entry besides the admin's own read: the refusal.
        assert_eq!(
            added,
            ["permission.denied"],
            "{name} as {role:?} changed something"
        );
        assert_eq!(after[0].username, session.username);
    }
}

#[test]
fn every_use_case_for_every_role() {
    // CI runs this file a second time with DERMIS_TEST_SERVER: make sure that
    // run really is on the server, not silently on SQLite again.
    if std::env::var_os("DERMIS_TEST_SERVER").is_some() {
        let c = Clinic::open_in_memory(Arc::new(FixedClock::on(today()))).unwrap();
        assert!(
            c.server_url().is_some(),
            "DERMIS_TEST_SERVER is set, yet the test clinic is not on the server"
        );
    }
    let cases = use_cases();
    let jobs: Vec<(usize, Role)> = (0..cases.len())
        .flat_map(|i| Role::ALL.into_iter().map(move |r| (i, r)))
        .collect();
    // Each case builds its own clinic (Argon2 for every account): spread them over the cores.
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(i, role)) = jobs.get(k) else { break };
                let (name, action, run) = &cases[i];
                check_case(i, name, *action, run, role);
            });
        }
    });
    assert!(jobs.len() >= 80, "{}", jobs.len());
}

#[test]
fn receptionists_are_refused_clinical_reads_by_name() {
    let (c, _admin, users, fx) = world();
    let desk = &users
        .iter()
        .find(|(r, _)| *r == Role::Receptionist)
        .unwrap()
        .1;
    let e = c.assessments(desk, fx.patient).unwrap_err();
    assert!(
        e.to_string()
            .contains("not allowed to read screenings, assessments"),
        "{e}"
    );
}

fn role_session(users: &[(Role, Actor)], role: Role) -> &Actor {
    &users.iter().find(|(r, _)| *r == role).unwrap().1
}

/// The control for the value matrix: the planted clinical text does reach a
/// practitioner reading the plan, so its absence from the desk's answers means
/// the desk was not given it (not that the fixture had none).
#[test]
fn the_planted_clinical_text_reaches_the_practitioner() {
    let (c, _admin, users, fx) = world();
    let prac = role_session(&users, Role::Practitioner);
    let found = clinical_in(&ok(c.plans(prac, fx.patient)).unwrap());
    for want in ["field rationale", "MARKER-OVERRIDE-REASON", "Diabetes"] {
        assert!(found.iter().any(|f| f.contains(want)), "{want}: {found:?}");
    }
}

#[test]
fn a_move_to_the_same_date_no_longer_shows_the_desk_the_plan() {
    let (c, _admin, users, fx) = world();
    let desk = role_session(&users, Role::Receptionist);
    let schedule = c
        .reschedule_session(desk, fx.second_session, &fx.second_date.to_string())
        .unwrap();
    let answer = ok::<_>(Ok(schedule.clone())).unwrap();
    assert_eq!(clinical_in(&answer), Vec::<String>::new());
    // The schedule itself is all there: the session, its date and the recalls.
    assert!(schedule
        .sessions
        .iter()
        .any(|s| s.id == fx.second_session && s.date == fx.second_date));
    assert!(!schedule.maintenance.is_empty());
    let booked = c
        .set_session_time(desk, fx.second_session, "10:00")
        .unwrap();
    assert_eq!(
        clinical_in(&ok::<_>(Ok(booked)).unwrap()),
        Vec::<String>::new()
    );
}

/// Audit details hold ids, counts and flags: never the clinical text a
/// practitioner typed (notes, override and pause reasons) nor names.
#[test]
fn the_audit_log_holds_no_clinical_text_or_names() {
    let (c, admin, users, fx) = world();
    let prac = role_session(&users, Role::Practitioner);
    c.set_plan_status(prac, fx.plan, PlanStatus::Paused, "MARKER-PAUSE-REASON")
        .unwrap();
    c.plans(prac, fx.patient).unwrap();
    c.erase_patient(&admin, fx.spare).unwrap();
    for e in c.recent_audit(&admin, 10_000).unwrap() {
        for bad in ["MARKER", "Diabetes", "Lee", "Ann"] {
            assert!(
                !e.detail.contains(bad) && !e.entity_id.contains(bad),
                "{} holds {bad}: {}",
                e.action,
                e.detail
            );
        }
    }
}
