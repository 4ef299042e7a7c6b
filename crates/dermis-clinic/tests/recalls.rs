//! Lot trace and the recall call list through the use-cases (issue 18): who
//! may do what, what each role receives, CSV safety, the call log, letters.

use chrono::{Duration, NaiveDate};
use dermis_clinic::core::assessment::{
    AssessmentInput, GbCounts, ScarType, Sensitivity, TreatmentArea,
};
use dermis_clinic::core::ids;
use dermis_clinic::core::plan::PlanRequest;
use dermis_clinic::core::recall::{ContactOutcome, RecallCall, RecallContactInput, RecallUrgency};
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::core::session::{
    AdverseEventInput, AdverseEventKind, DepthZone, HealingInput, LotField, LotTraceFilter,
    SessionRecordInput, ZoneDepthInput,
};
use dermis_clinic::core::{LoginInput, PatientInput, Role, SetupInput};
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode, FixedClock};
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const T0: &str = "2026-11-24";

struct World {
    dir: tempfile::TempDir,
    clinic: Clinic,
    admin: Actor,
    dr: Actor,
    desk: Actor,
}

fn login(c: &Clinic, user: &str, pw: &str) -> Actor {
    c.login(&LoginInput {
        username: user.into(),
        password: pw.into(),
    })
    .unwrap()
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut clinic = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    clinic.set_clock(Arc::new(FixedClock::on(d(T0))));
    let owner = clinic
        .setup(&SetupInput {
            clinic_name: "Clinique Étoile".into(),
            clinic_address: "14 Rue des Lilas\n75011 Paris".into(),
            clinic_phone: "+33 1 23 45 67 89".into(),
            admin_username: "owner".into(),
            admin_display_name: "Owner".into(),
            password: "correct horse battery".into(),
        })
        .unwrap();
    clinic
        .create_user(
            &owner,
            "admin",
            "Ada Admin",
            "lantern quiet marble",
            &[Role::Admin],
        )
        .unwrap();
    clinic
        .create_user(
            &owner,
            "amira",
            "Dr Amira Haddad",
            "otter river stone",
            &[Role::Practitioner],
        )
        .unwrap();
    clinic
        .create_user(
            &owner,
            "desk",
            "Sam Reyes",
            "reception password",
            &[Role::Receptionist],
        )
        .unwrap();
    let admin = login(&clinic, "admin", "lantern quiet marble");
    let dr = login(&clinic, "amira", "otter river stone");
    let desk = login(&clinic, "desk", "reception password");
    World {
        dir,
        clinic,
        admin,
        dr,
        desk,
    }
}

fn set_today(w: &mut World, day: NaiveDate) {
    w.clinic.set_clock(Arc::new(FixedClock::on(day)));
}

fn patient(w: &World, first: &str, last: &str, language: &str, address: &str) -> ids::PatientId {
    w.clinic
        .create_patient(
            &w.desk,
            &PatientInput {
                first_name: first.into(),
                last_name: last.into(),
                date_of_birth: "1990-01-02".into(),
                phone: "+44 20 7946 0001".into(),
                email: format!("{}@example.org", last.to_lowercase()),
                address: address.into(),
                preferred_language: language.into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
}

/// Screening, assessment and an accepted plan starting `on`; returns the plan.
fn planned(w: &World, p: ids::PatientId, on: &str) -> dermis_clinic::core::plan::Plan {
    let c = &w.clinic;
    // The session gate: a signed, confirmed consent first.
    dermis_clinic::demo::sign_demo_consent(c, &w.dr, p, p.0 as u64).unwrap();
    c.record_screening(
        &w.dr,
        p,
        &ScreeningInput {
            screened_on: on.into(),
            answers: Condition::ALL
                .into_iter()
                .map(|c| ScreeningAnswer {
                    condition: c,
                    present: false,
                    last_date: None,
                })
                .collect(),
            notes: "".into(),
        },
    )
    .unwrap();
    let a = c
        .record_assessment(
            &w.dr,
            p,
            &AssessmentInput {
                assessed_on: on.into(),
                scar_types: vec![ScarType::Boxcar],
                grade: 2,
                counts: GbCounts {
                    moderate: 5,
                    ..Default::default()
                },
                fitzpatrick: 2,
                sensitivity: Sensitivity::Normal,
                treatment_areas: vec![TreatmentArea::Cheeks],
                scar_age_years: 2,
                notes: "".into(),
            },
        )
        .unwrap();
    c.accept_plan(
        &w.dr,
        &PlanRequest {
            patient_id: p,
            assessment_id: a.id,
            start: on.into(),
            adjust: None,
        },
    )
    .unwrap()
}

fn session(date: &str, cartridge: &str, glide: &str) -> SessionRecordInput {
    SessionRecordInput {
        date: date.into(),
        numbing_cream: "Lidocaine 5%".into(),
        numbing_minutes: Some(30),
        device: "Pen A6".into(),
        cartridge_lot: cartridge.into(),
        skin: dermis_clinic::core::session::SkinThickness::Thin,
        depths: vec![ZoneDepthInput {
            zone: DepthZone::CheeksChin,
            depth_mm: "1.0".into(),
        }],
        passes: 3,
        glide_product: "HA serum".into(),
        glide_lot: glide.into(),
        endpoint: dermis_clinic::core::session::Endpoint::Erythema,
        immediate_reaction: "Even redness".into(),
        duration_minutes: Some(40),
        notes: "Tolerated well".into(),
        confirm_above_ceiling: false,
        screening_override_reason: "".into(),
    }
}

fn filter(lot: &str, from: &str, to: &str) -> LotTraceFilter {
    LotTraceFilter {
        lot: lot.into(),
        from: from.into(),
        to: to.into(),
    }
}

fn code(e: dermis_clinic::ClinicError) -> ErrorCode {
    ApiError::from(e).code
}

/// Zoë treated on 24 November with CART-2211 (no adverse event); Omar
/// treated on 25 November with CART-2211 typed with a zero-width space, then
/// reports an infection.
fn two_treated(w: &mut World) -> (ids::PatientId, ids::PatientId) {
    let zoe = patient(w, "Zoë", "Park", "fr", "7 Orchard Lane\nBristol");
    let omar = patient(w, "Omar", "Haddad", "ar", "=HYPERLINK(\"http://x\")");
    let p1 = planned(w, zoe, T0);
    w.clinic
        .record_session(&w.dr, p1.sessions[0].id, &session(T0, "CART-2211", "HA-77"))
        .unwrap();
    let p2 = planned(w, omar, T0);
    set_today(w, d("2026-11-25"));
    let r = w
        .clinic
        .record_session(
            &w.dr,
            p2.sessions[0].id,
            &session("2026-11-25", "cart-\u{200B}2211 ", "HA-80"),
        )
        .unwrap();
    set_today(w, d("2026-11-28"));
    w.clinic
        .record_healing(
            &w.dr,
            r.id,
            &HealingInput {
                reported_on: "2026-11-28".into(),
                redness_days: 2,
                flaking_days: 2,
                events: vec![AdverseEventInput {
                    kind: AdverseEventKind::Infection,
                    description: "Pustules".into(),
                }],
                notes: "".into(),
            },
        )
        .unwrap();
    (zoe, omar)
}

#[test]
fn lot_trace_finds_patients_with_and_without_adverse_events_between_inclusive_dates() {
    let mut w = world();
    let (zoe, omar) = two_treated(&mut w);
    let rows = w
        .clinic
        .lot_trace(&w.dr, &filter("CART-2211", "", ""))
        .unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.patient_id,
                r.session_date,
                r.adverse_events,
                r.practitioner.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (zoe, d(T0), 0, "Dr Amira Haddad"),
            (omar, d("2026-11-25"), 1, "Dr Amira Haddad")
        ],
        "the patient without an adverse event is traced too"
    );
    assert_eq!(rows[0].matched, vec![LotField::Cartridge]);
    assert_eq!(
        (rows[0].phone.as_str(), rows[0].email.as_str()),
        ("+44 20 7946 0001", "park@example.org")
    );
    let between = |from: &str, to: &str| -> Vec<ids::PatientId> {
        w.clinic
            .lot_trace(&w.dr, &filter("cart-2211", from, to))
            .unwrap()
            .iter()
            .map(|r| r.patient_id)
            .collect()
    };
    assert_eq!(between(T0, T0), vec![zoe], "both ends are inclusive");
    assert_eq!(between("2026-11-25", "2026-11-25"), vec![omar]);
    assert_eq!(between(T0, "2026-11-25"), vec![zoe, omar]);
    assert_eq!(between("2026-11-26", ""), vec![]);
    // Glide lots are traced, a partial lot is another lot.
    assert_eq!(
        w.clinic.lot_trace(&w.dr, &filter("ha-80", "", "")).unwrap()[0].matched,
        vec![LotField::Glide]
    );
    assert!(w
        .clinic
        .lot_trace(&w.dr, &filter("CART-221", "", ""))
        .unwrap()
        .is_empty());
    // A lot that only looks like CART-2211 (a right-to-left override) is not it.
    assert!(w
        .clinic
        .lot_trace(&w.dr, &filter("\u{202E}1122-TRAC", "", ""))
        .unwrap()
        .is_empty());
    // Bad dates are a field error.
    let e = ApiError::from(
        w.clinic
            .lot_trace(&w.dr, &filter("X", "2026-12-01", "2026-11-01"))
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("to"));
    let e = ApiError::from(
        w.clinic
            .lot_trace(&w.dr, &filter("\u{200B}", "", ""))
            .unwrap_err(),
    );
    assert_eq!(e.field.as_deref(), Some("lot"));
}

#[test]
fn only_the_clinical_team_traces_lots_and_each_trace_is_audited() {
    let mut w = world();
    two_treated(&mut w);
    let out = w.dir.path().join("trace.csv");
    let prints = w.dir.path().join("prints");
    for (who, allowed) in [(&w.admin, true), (&w.dr, true), (&w.desk, false)] {
        let trace = w.clinic.lot_trace(who, &filter("CART-2211", "", ""));
        let export = w
            .clinic
            .export_lot_trace(who, &filter("CART-2211", "", ""), &out);
        let print = w
            .clinic
            .print_lot_trace(who, &filter("CART-2211", "", ""), &prints, true);
        if allowed {
            assert_eq!(trace.unwrap().len(), 2, "{}", who.username);
            assert_eq!(export.unwrap(), 2);
            assert_eq!(print.unwrap().patients, 2);
        } else {
            assert_eq!(code(trace.unwrap_err()), ErrorCode::Forbidden);
            assert_eq!(code(export.unwrap_err()), ErrorCode::Forbidden);
            assert_eq!(code(print.unwrap_err()), ErrorCode::Forbidden);
        }
    }
    let audit = w.clinic.recent_audit(&w.admin, 200).unwrap();
    let traces: Vec<_> = audit
        .iter()
        .filter(|e| e.action.starts_with("lots."))
        .collect();
    assert_eq!(
        traces.len(),
        6,
        "trace, export and print, by admin and practitioner"
    );
    assert!(traces
        .iter()
        .all(|e| e.detail.contains("CART-2211") && e.detail.contains("\"sessions\":2")));
}

#[test]
fn the_lot_trace_csv_cannot_run_a_formula() {
    let mut w = world();
    two_treated(&mut w);
    let csv = w
        .clinic
        .lot_trace_csv(&w.dr, &filter("CART-2211", "", ""))
        .unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
    assert!(
        csv.contains("+44 20 7946 0001"),
        "a phone stays dialable: {csv}"
    );
}

/// The pdf's text (pdftotext).
fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_lot_trace_letter_list_names_every_patient_once() {
    let mut w = world();
    two_treated(&mut w);
    let printed = w
        .clinic
        .print_lot_trace(
            &w.dr,
            &filter("cart-2211", "", ""),
            &w.dir.path().join("p"),
            true,
        )
        .unwrap();
    let text = pdf_text(std::path::Path::new(&printed.path));
    assert!(
        text.contains("Zoë Park") && text.contains("Omar Haddad"),
        "{text}"
    );
    assert!(text.contains("2 patients to contact"), "{text}");
    assert!(
        text.contains("cart-2211") || text.contains("CART-2211"),
        "{text}"
    );
}

#[test]
fn the_lot_trace_list_and_the_recall_letter_print_dates_the_clinics_way() {
    let mut w = world();
    let (zoe, _) = two_treated(&mut w);
    for (format, zoe_session, omar_session) in [
        (
            dermis_clinic::core::dates::DateFormat::DayMonthYearDots,
            "24.11.2026",
            "25.11.2026",
        ),
        (
            dermis_clinic::core::dates::DateFormat::MonthDayYear,
            "11/24/2026",
            "11/25/2026",
        ),
    ] {
        w.clinic
            .update_clinic_settings(
                &w.admin,
                &dermis_clinic::core::settings::ClinicSettings {
                    date_format: Some(format),
                    ..Default::default()
                },
            )
            .unwrap();
        let printed = w
            .clinic
            .print_lot_trace(
                &w.dr,
                &filter("CART-2211", "2026-11-01", "2026-11-30"),
                &w.dir.path().join("p"),
                true,
            )
            .unwrap();
        let text = pdf_text(std::path::Path::new(&printed.path)).replace('\n', " ");
        let from = format.format(d("2026-11-01"));
        let to = format.format(d("2026-11-30"));
        for want in [zoe_session, omar_session, &from, &to] {
            assert!(text.contains(want), "{format:?}: no {want:?} in {text}");
        }
        for wrong in ["November", "2026-11-24", "2026-11-25", "24 Nov"] {
            assert!(!text.contains(wrong), "{format:?}: {wrong:?} in {text}");
        }
    }

    let due = first_recall(&w, zoe);
    set_today(&mut w, due);
    let recall = desk_call(&w, zoe);
    let printed = w
        .clinic
        .print_recall_letter(
            &w.desk,
            recall.recall_id,
            None,
            &w.dir.path().join("prints"),
            true,
        )
        .unwrap();
    let text = pdf_text(std::path::Path::new(&printed.path));
    // US format chosen last: the French letter gives the due date that way.
    let want = dermis_clinic::core::dates::DateFormat::MonthDayYear.format(due);
    assert!(text.contains(&want), "no {want:?} in {text}");
    assert!(!text.contains(&due.to_string()), "ISO in {text}");
}

/// Zoë's plan's first maintenance recall date.
fn first_recall(w: &World, p: ids::PatientId) -> NaiveDate {
    w.clinic.plans(&w.dr, p).unwrap()[0].maintenance[0]
}

/// The desk's call-list row of patient `p` (it must be on the list today).
fn desk_call(w: &World, p: ids::PatientId) -> RecallCall {
    w.clinic
        .recall_calls(&w.desk)
        .unwrap()
        .calls
        .into_iter()
        .find(|c| c.patient_id == p)
        .unwrap()
}

#[test]
fn the_call_list_holds_overdue_and_this_weeks_recalls_with_nothing_clinical() {
    let mut w = world();
    let (zoe, _) = two_treated(&mut w);
    let due = first_recall(&w, zoe);
    // Eight days before: later, not on the list.
    set_today(&mut w, due - Duration::days(8));
    assert!(w
        .clinic
        .recall_calls(&w.desk)
        .unwrap()
        .calls
        .iter()
        .all(|c| c.patient_id != zoe));
    // On the Monday of its week: due this week.
    let monday = due
        - Duration::days(i64::from(
            chrono::Datelike::weekday(&due).num_days_from_monday(),
        ));
    set_today(&mut w, monday);
    let list = w.clinic.recall_calls(&w.desk).unwrap();
    let row = list.calls.iter().find(|c| c.patient_id == zoe).unwrap();
    assert_eq!((row.due, row.urgency), (due, RecallUrgency::ThisWeek));
    assert_eq!(
        (row.phone.as_str(), row.preferred_language.as_str()),
        ("+44 20 7946 0001", "fr")
    );
    // The day after: overdue.
    set_today(&mut w, due + Duration::days(1));
    let list = w.clinic.recall_calls(&w.desk).unwrap();
    let row = list.calls.iter().find(|c| c.patient_id == zoe).unwrap();
    assert_eq!(row.urgency, RecallUrgency::Overdue);

    // The receptionist's rows carry no clinical fact: exactly these fields.
    let json = serde_json::to_value(&list).unwrap();
    for call in json["calls"].as_array().unwrap() {
        let mut keys: Vec<&str> = call
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            vec![
                "contacts",
                "due",
                "first_name",
                "last_name",
                "patient_id",
                "patient_number",
                "phone",
                "plan_id",
                "preferred_language",
                "recall_id",
                "urgency"
            ]
        );
    }
    let text = json.to_string();
    for clinical in [
        "CART-2211",
        "Tolerated",
        "Infection",
        "infection",
        "Pustules",
        "Boxcar",
        "Lidocaine",
    ] {
        assert!(!text.contains(clinical), "{clinical} in {text}");
    }
    // Every role sees the same list.
    assert_eq!(w.clinic.recall_calls(&w.dr).unwrap(), list);
    assert_eq!(w.clinic.recall_calls(&w.admin).unwrap(), list);
}

#[test]
fn the_desk_logs_calls_and_the_log_shows_who_and_when() {
    let mut w = world();
    let (zoe, _) = two_treated(&mut w);
    let due = first_recall(&w, zoe);
    set_today(&mut w, due + Duration::days(2));
    let recall = desk_call(&w, zoe);
    let log = |outcome, note: &str| {
        w.clinic.record_recall_contact(
            &w.desk,
            recall.recall_id,
            &RecallContactInput {
                outcome,
                note: note.into(),
            },
        )
    };
    log(ContactOutcome::NoAnswer, "").unwrap();
    let second = log(ContactOutcome::Booked, "Booked for Tuesday 10:00").unwrap();
    assert_eq!(second.by, "Sam Reyes");
    assert!(
        second
            .at
            .starts_with(&(due + Duration::days(2)).to_string()),
        "{}",
        second.at
    );
    let row = desk_call(&w, zoe);
    let got: Vec<_> = row
        .contacts
        .iter()
        .map(|c| (c.outcome, c.note.as_str(), c.by.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (ContactOutcome::NoAnswer, "", "Sam Reyes"),
            (
                ContactOutcome::Booked,
                "Booked for Tuesday 10:00",
                "Sam Reyes"
            )
        ]
    );
    // A pasted direction override in the note is refused, and nothing is logged.
    let e = ApiError::from(log(ContactOutcome::Called, "call \u{202E}back").unwrap_err());
    assert_eq!(e.field.as_deref(), Some("note"));
    // An unknown recall is not found.
    let e = w.clinic.record_recall_contact(
        &w.desk,
        ids::RecallId(999_999),
        &RecallContactInput {
            outcome: ContactOutcome::Called,
            note: "".into(),
        },
    );
    assert_eq!(code(e.unwrap_err()), ErrorCode::NotFound);
    let audit = w.clinic.recent_audit(&w.admin, 100).unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "recall.contact" && e.username == "desk")
            .count(),
        2
    );
}

#[test]
fn the_desk_prints_a_recall_letter_in_the_patients_language() {
    let mut w = world();
    let (zoe, _) = two_treated(&mut w);
    let due = first_recall(&w, zoe);
    set_today(&mut w, due);
    let recall = desk_call(&w, zoe);
    let printed = w
        .clinic
        .print_recall_letter(
            &w.desk,
            recall.recall_id,
            None,
            &w.dir.path().join("prints"),
            true,
        )
        .unwrap();
    assert_eq!((printed.language.as_str(), printed.pages), ("fr", 1));
    let text = pdf_text(std::path::Path::new(&printed.path));
    assert!(text.contains("Zoë Park"), "{text}");
    // The due date the clinic's way (the same as on its screens), in a
    // French sentence.
    let format = w.clinic.date_format(&w.desk).unwrap().format;
    let want = format.format(due);
    assert!(text.contains(&want), "no {want:?} in {text}");
    assert!(
        text.contains("Rappel d’entretien") || text.contains("séance d’entretien"),
        "{text}"
    );
    let audit = w.clinic.recent_audit(&w.admin, 100).unwrap();
    assert!(audit.iter().any(|e| e.action == "document.print"
        && e.username == "desk"
        && e.detail.contains("recall_letter")));
}

#[test]
fn a_recall_letter_in_the_language_the_desk_picks_and_a_blank_pick_means_the_patients() {
    let mut w = world();
    let (zoe, _) = two_treated(&mut w);
    let due = first_recall(&w, zoe);
    set_today(&mut w, due);
    let recall = desk_call(&w, zoe);
    let letter = |language: Option<&str>| {
        w.clinic
            .render_recall_letter(&w.desk, recall.recall_id, language)
            .unwrap()
            .0
            .language
    };
    // Zoë reads French; the desk may print it in Spanish for her carer.
    assert_eq!(letter(Some("es")), "es");
    assert_eq!(letter(Some(" es ")), "es");
    // No choice, or a blank one: her own language.
    assert_eq!(letter(None), "fr");
    assert_eq!(letter(Some("  ")), "fr");
}

#[test]
fn a_merge_brings_the_duplicates_recall_calls_to_the_kept_record() {
    let mut w = world();
    let (zoe, _) = two_treated(&mut w);
    let due = first_recall(&w, zoe);
    set_today(&mut w, due + Duration::days(1));
    let recall = desk_call(&w, zoe);
    w.clinic
        .record_recall_contact(
            &w.desk,
            recall.recall_id,
            &RecallContactInput {
                outcome: ContactOutcome::LeftMessage,
                note: "Voicemail".into(),
            },
        )
        .unwrap();
    // The same person registered again, without a plan: the record to keep.
    let keep = patient(&w, "Zoe", "Park", "fr", "");
    w.clinic.merge_patients(&w.admin, keep, zoe).unwrap();
    let row = w
        .clinic
        .recall_calls(&w.desk)
        .unwrap()
        .calls
        .into_iter()
        .find(|c| c.patient_id == keep)
        .expect("the recall is the kept record's now");
    let got: Vec<_> = row
        .contacts
        .iter()
        .map(|c| (c.outcome, c.note.as_str()))
        .collect();
    assert_eq!(got, vec![(ContactOutcome::LeftMessage, "Voicemail")]);
}
