//! The change feed (issue 16, "Live"): a write on one PC appears in another
//! PC's feed within two seconds (clinic server, LISTEN/NOTIFY), the desk's
//! feed says nothing clinical, and on one PC the feed follows this
//! process's own writes (SQLite).

use chrono::NaiveDate;
use dermis_clinic::core::screening::{Condition, ScreeningAnswer, ScreeningInput};
use dermis_clinic::{Actor, ChangeFeed, Clinic, ErrorCode, FixedClock};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;
use common::zoe_park as ann;
use common::{
    add_rita, clinic_on_server, cluster, setup_input, sign_in, signed_in, OnServer, ADMIN_PW,
    DESK_PW,
};

fn screening() -> ScreeningInput {
    ScreeningInput {
        screened_on: "2026-11-24".into(),
        answers: Condition::ALL
            .into_iter()
            .map(|c| ScreeningAnswer {
                condition: c,
                present: false,
                last_date: None,
            })
            .collect(),
        notes: "keloid history on the left cheek".into(),
    }
}

/// Polls `c`'s feed from `since` until `seen` holds or `within` passes.
fn wait_for(
    c: &Clinic,
    a: &Actor,
    since: u64,
    within: Duration,
    seen: impl Fn(&ChangeFeed) -> bool,
) -> Option<(ChangeFeed, Duration)> {
    let t = Instant::now();
    while t.elapsed() < within {
        let f = c.changes(a, since).unwrap();
        if seen(&f) {
            return Some((f, t.elapsed()));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    None
}

// ---------------------------------------------------------------- one PC (SQLite)

#[test]
fn on_one_pc_the_feed_follows_this_clinics_own_writes_and_not_a_rolled_back_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    c.set_clock(Arc::new(FixedClock::on(
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )));
    let admin = c.setup(&setup_input()).unwrap();
    let start = c.changes(&admin, 0).unwrap();
    assert!(start.changes.is_empty(), "0 means from now: {start:?}");
    assert_eq!(start.connection.state, "connected");
    assert_eq!(start.connection.server, None);

    let p = c.create_patient(&admin, &ann()).unwrap();
    let f = c.changes(&admin, start.seq).unwrap();
    assert!(
        f.changes
            .iter()
            .any(|ch| ch.kind == "patient" && ch.patient_id == Some(p.id)),
        "{f:?}"
    );
    // Nothing new: nothing told.
    assert!(c.changes(&admin, f.seq).unwrap().changes.is_empty());

    // A refused write (a stale version) tells nothing.
    let stale = c.update_patient(&admin, p.id, p.version - 1, &ann());
    assert!(stale.is_err());
    assert!(c.changes(&admin, f.seq).unwrap().changes.is_empty());

    // A UI asking from a number this clinic never gave (it was reopened) reloads everything.
    assert!(c.changes(&admin, f.seq + 100).unwrap().reset);
}

#[test]
fn on_one_pc_the_desk_hears_of_a_screening_as_a_patient_change_and_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    let admin = c.setup(&setup_input()).unwrap();
    add_rita(&c, &admin);
    let desk = sign_in(&c, "rita", DESK_PW);
    let p = c.create_patient(&admin, &ann()).unwrap();
    let since = c.changes(&desk, 0).unwrap().seq;
    c.record_screening(&admin, p.id, &screening()).unwrap();
    let seen_by_admin = c.changes(&admin, since).unwrap();
    assert!(seen_by_admin.changes.iter().any(|ch| ch.kind == "session"));
    let seen_by_desk = c.changes(&desk, since).unwrap();
    assert!(!seen_by_desk.changes.is_empty());
    for ch in &seen_by_desk.changes {
        assert_ne!(ch.kind, "session", "{seen_by_desk:?}");
    }
    let json = serde_json::to_string(&seen_by_desk).unwrap();
    assert!(!json.contains("keloid"), "{json}");
    let v: serde_json::Value = serde_json::to_value(&seen_by_desk).unwrap();
    for ch in v["changes"].as_array().unwrap() {
        let mut keys: Vec<&str> = ch.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["kind", "patient_id", "seq"]);
    }
}

// ---------------------------------------------------------------- two PCs (clinic server)

#[test]
fn a_write_on_one_pc_appears_in_the_other_pcs_feed_within_two_seconds() {
    let Some(cl) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(cl);
    // Two PCs: the treatment room (the owner) and the reception (Rita),
    // each with its own connection and its own listener.
    let (room, owner) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let (reception, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let mut since = reception.changes(&rita, 0).unwrap().seq;
    // The listener connects on the first poll; let it.
    std::thread::sleep(Duration::from_millis(500));
    let mut times = Vec::new();
    for i in 0..20 {
        let mut input = ann();
        input.first_name = format!("Zoë{i}");
        let t = Instant::now();
        let p = room.create_patient(&owner, &input).unwrap();
        let (f, _) = wait_for(&reception, &rita, since, Duration::from_secs(2), |f| {
            f.changes
                .iter()
                .any(|ch| ch.kind == "patient" && ch.patient_id == Some(p.id))
        })
        .unwrap_or_else(|| panic!("write {i} not seen by the other PC within 2 s"));
        times.push(t.elapsed());
        assert_eq!(f.connection.state, "connected");
        assert_eq!(
            f.connection.server.as_deref(),
            Some(format!("127.0.0.1:{}", cl.port).as_str())
        );
        since = f.seq;
    }
    times.sort();
    let median = (times[9] + times[10]) / 2;
    eprintln!(
        "write on one PC -> the other PC's feed: median {:?}, max {:?} (20 writes)",
        median, times[19]
    );
    assert!(median < Duration::from_secs(2));

    // The desk's feed on the server: a screening reaches her as a patient change, ids only.
    let p = room.create_patient(&owner, &ann()).unwrap();
    let (f, _) = wait_for(&reception, &rita, since, Duration::from_secs(2), |f| {
        f.changes.iter().any(|ch| ch.patient_id == Some(p.id))
    })
    .unwrap();
    since = f.seq;
    let practitioner_since = room.changes(&owner, 0).unwrap().seq;
    // That first poll started the room PC's listener; let it connect.
    std::thread::sleep(Duration::from_millis(500));
    room.record_screening(&owner, p.id, &screening()).unwrap();
    let (f, _) = wait_for(&reception, &rita, since, Duration::from_secs(2), |f| {
        !f.changes.is_empty()
    })
    .unwrap();
    assert!(f.changes.iter().all(|ch| ch.kind != "session"), "{f:?}");
    assert!(
        f.changes.iter().all(|ch| ch.patient_id == Some(p.id)),
        "{f:?}"
    );
    let json = serde_json::to_string(&f).unwrap();
    assert!(!json.contains("keloid"), "{json}");
    // The practitioner's PC hears it as a clinical change.
    let (g, _) = wait_for(
        &room,
        &owner,
        practitioner_since,
        Duration::from_secs(2),
        |g| g.changes.iter().any(|ch| ch.kind == "session"),
    )
    .expect("the practitioner's own PC hears its own screening through the server");
    assert!(g.changes.iter().all(|ch| ch.patient_id == Some(p.id)));
}

#[test]
fn a_notification_crafted_by_a_connected_role_is_not_passed_on() {
    let Some(cl) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(cl);
    let (reception, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let since = reception.changes(&rita, 0).unwrap().seq;
    std::thread::sleep(Duration::from_millis(500));
    let db = url.rsplit('/').next().unwrap().to_string();
    let mut su = cl.superuser(&db);
    su.batch_execute(
        "NOTIFY dermis_changes, '{\"k\":\"Diagnosis: rosacea\",\"op\":\"insert\",\"p\":1}'",
    )
    .unwrap();
    su.batch_execute("NOTIFY dermis_changes, '{\"k\":\"patient\",\"op\":\"insert\",\"p\":41}'")
        .unwrap();
    let (f, _) = wait_for(&reception, &rita, since, Duration::from_secs(2), |f| {
        !f.changes.is_empty()
    })
    .unwrap();
    assert_eq!(f.changes.len(), 1, "{f:?}");
    assert_eq!(f.changes[0].kind, "patient");
    let _ = ErrorCode::Unavailable;
}

#[test]
fn a_stale_save_names_who_changed_the_patient_and_not_who_only_opened_it() {
    let dir = tempfile::tempdir().unwrap();
    let c = Clinic::open(&dir.path().join("dermis.db")).unwrap();
    let admin = c.setup(&setup_input()).unwrap();
    add_rita(&c, &admin);
    let desk = sign_in(&c, "rita", DESK_PW);
    let p = c.create_patient(&admin, &ann()).unwrap();
    let mut theirs = ann();
    theirs.phone = "+44 7700 900123".into();
    c.update_patient(&desk, p.id, p.version, &theirs).unwrap();
    // The admin opens the record afterwards (a read, audited too).
    c.patient(&admin, p.id).unwrap();
    let refused = c
        .update_patient(&admin, p.id, p.version, &ann())
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Conflict);
    let message = refused.to_string();
    assert!(
        message.starts_with("rita changed this patient's details at "),
        "{message}"
    );
    assert!(message.contains("Reload"), "{message}");
}
