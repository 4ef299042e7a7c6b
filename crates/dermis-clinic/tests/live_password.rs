//! A password changed on another PC (issue 16, "Sign-in on a server uses
//! the person's own account"): this PC's connections were made with the old
//! password. Once they are dropped (a server restart, a network blip), the
//! server answers but refuses it: that is not an outage, so no "server is
//! not answering" banner; the app locks and asks for the password, and the
//! new one reconnects everything (the change listener included).

use dermis_clinic::api::{Target, Workstation};
use dermis_clinic::ErrorCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

mod common;
use common::{call, clinic_on_server, cluster, login, signed_in, NoOs, OnServer, DESK_PW};

const NEW_PW: &str = "copper meadow lantern frost";

#[test]
fn a_password_changed_on_another_pc_locks_this_one_without_an_outage_and_the_new_one_reconnects() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, db, keys } = clinic_on_server(c);
    // The reception PC: Rita signed in, the feed connected.
    let desk = Workstation::on(
        Target::Server {
            url: url.clone(),
            keys_dir: keys.path().to_path_buf(),
        },
        Box::new(NoOs),
    );
    login(&desk, "rita", DESK_PW).unwrap();
    let first = call(&desk, "changes", json!({ "since": 0 })).unwrap();
    assert_eq!(first["connection"]["state"], "connected");

    // On the other PC Rita changes her password.
    {
        let (other, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
        other.change_password(&rita, DESK_PW, NEW_PW).unwrap();
    }
    // The reception PC's connections drop (a network blip): they reconnect
    // with the old password, which the server now refuses.
    let mut su = c.superuser("postgres");
    su.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        &[&db],
    )
    .unwrap();

    // The feed never says the server is down; it locks and asks for the password.
    let t = Instant::now();
    let locked = loop {
        match call(&desk, "changes", json!({ "since": first["seq"] })) {
            Ok(f) => {
                assert_ne!(
                    f["connection"]["state"], "unreachable",
                    "an outage banner for a changed password: {f}"
                );
            }
            Err(e) => {
                assert_ne!(e.code, ErrorCode::Unavailable, "{e:?}");
                if e.code == ErrorCode::Locked {
                    break e;
                }
            }
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "not locked within 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        locked
            .message
            .contains("password was changed on another PC"),
        "{}",
        locked.message
    );
    eprintln!(
        "password changed elsewhere -> locked after {:?}",
        t.elapsed()
    );
    // The PC itself is locked, not only the feed's answer: Settings' server
    // status (which reads no clinic data) is refused until the new password.
    let e = call(&desk, "clinic_server_status", Value::Null).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");
    // The old password does not unlock it.
    let e = call(&desk, "unlock_app", json!({ "password": DESK_PW })).unwrap_err();
    assert_ne!(e.code, ErrorCode::Unavailable, "{e:?}");
    // The new one does, and everything works again, the feed included.
    call(&desk, "unlock_app", json!({ "password": NEW_PW })).unwrap();
    let list = call(&desk, "today", Value::Null).unwrap();
    assert!(list["sessions"].is_array(), "{list}");
    let t = Instant::now();
    loop {
        let f = call(&desk, "changes", json!({ "since": first["seq"] })).unwrap();
        assert_eq!(f["connection"]["state"], "connected", "{f}");
        let listening: i64 = su
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'",
                &[&db],
            )
            .unwrap()
            .get(0);
        if listening > 0 {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the listener did not reconnect with the new password within 20 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("listener back after {:?}", t.elapsed());
}
