//! The clinic server stops answering and comes back (issue 16, "When the
//! server is unreachable"): the feed says `unreachable` within seconds,
//! writes are refused with `unavailable` (nothing changed), and once the
//! server is back the same open clinic reconnects by itself, says
//! `connected`, and the next write lands. Its own test binary: it stops
//! the throwaway cluster every other test here would be using.

use dermis_clinic::core::PatientInput;
use dermis_clinic::{ApiError, ErrorCode};
use std::time::{Duration, Instant};

mod common;
use common::{clinic_on_server, cluster, signed_in, zoe_park, OnServer, DESK_PW};

fn ann(first: &str) -> PatientInput {
    PatientInput {
        first_name: first.into(),
        ..zoe_park()
    }
}

#[test]
fn stopping_the_server_shows_unreachable_refuses_writes_and_a_restart_recovers_without_reopening() {
    let Some(cl) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(cl);
    let (pc, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let first = pc.changes(&rita, 0).unwrap();
    assert_eq!(first.connection.state, "connected");
    pc.create_patient(&rita, &ann("Before")).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    cl.stop();
    let t = Instant::now();
    let mut state = String::new();
    while t.elapsed() < Duration::from_secs(10) {
        let f = pc.changes(&rita, first.seq).unwrap();
        state = f.connection.state.clone();
        if state == "unreachable" {
            assert!(f.connection.since.is_some());
            assert_eq!(f.connection.server, Some(format!("127.0.0.1:{}", cl.port)));
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let noticed = t.elapsed();
    eprintln!("server stopped -> feed says unreachable after {noticed:?}");
    assert_eq!(state, "unreachable", "not noticed within 10 s");
    assert!(noticed < Duration::from_secs(5), "{noticed:?}");

    let refused = pc.create_patient(&rita, &ann("During")).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Unavailable, "{refused}");
    let api = ApiError::from(refused);
    assert!(api.message.contains("nothing was saved"), "{}", api.message);
    // Reads are refused the same way (the screens keep what they show).
    assert_eq!(
        pc.today_list(&rita).unwrap_err().code(),
        ErrorCode::Unavailable
    );

    cl.start_again();
    let t = Instant::now();
    let mut back = false;
    while t.elapsed() < Duration::from_secs(20) {
        if pc.changes(&rita, first.seq).unwrap().connection.state == "connected" {
            back = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "server started -> feed says connected after {:?}",
        t.elapsed()
    );
    assert!(back, "the listener did not reconnect within 20 s");
    // The same open clinic writes again: its connection is reopened by itself.
    let p = pc.create_patient(&rita, &ann("After")).unwrap();
    let found = pc
        .search_patients(
            &rita,
            &dermis_clinic::core::PatientSearch {
                query: "Park".into(),
                include_archived: false,
                offset: 0,
                limit: 50,
            },
        )
        .unwrap();
    let names: Vec<String> = found.items.iter().map(|s| s.first_name.clone()).collect();
    assert!(names.contains(&"Before".to_string()), "{names:?}");
    assert!(names.contains(&"After".to_string()), "{names:?}");
    assert!(!names.contains(&"During".to_string()), "{names:?}");
    let _ = p;
}
