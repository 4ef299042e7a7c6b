//! The app's Workstation on each thing a PC can open (issue 16 items 2–3,
//! issue 21's sign-in): a plain clinic file, an encrypted one (opened at
//! sign-in with the person's password) and the clinic server (opened at
//! sign-in with the person's own login, after the PC joined it by
//! confirming the server's certificate fingerprint). Everything goes
//! through the command table, as the app's window does.

use dermis_clinic::api::{Target, Workstation};
use dermis_clinic::{Clinic, ErrorCode};
use serde_json::{json, Value};

mod common;
use common::{
    add_rita, call, clinic_on_server, cluster, login, setup_input, zoe_park, NoOs, OnServer,
    ADMIN_PW, DESK_PW,
};

fn new_patient() -> Value {
    let input = zoe_park();
    json!({ "input": input })
}

fn search(query: &str) -> Value {
    json!({ "search": { "query": query, "include_archived": false, "offset": 0, "limit": 20 } })
}

#[test]
fn a_plain_clinic_file_opens_at_first_use_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dermis.db");
    let w = Workstation::at(path.clone(), Box::new(NoOs));
    let s = call(&w, "app_status", Value::Null).unwrap();
    assert_eq!(s["needs_setup"], true);
    assert_eq!(s["db_path"], path.display().to_string());
    let info = call(&w, "connection_info", Value::Null).unwrap();
    assert_eq!(info["kind"], "file");
    assert_eq!(
        info["can_change"], true,
        "first run may still join a server"
    );
    call(&w, "setup_clinic", json!({ "input": setup_input() })).unwrap();
    call(&w, "logout", Value::Null).unwrap();
    // The file stays open after sign-out, as always: the status reads it.
    let s = call(&w, "app_status", Value::Null).unwrap();
    assert_eq!(s["clinic_name"], "Clinique Étoile");
    // Once the clinic exists, the sign-in screen cannot point this PC elsewhere.
    let e = call(
        &w,
        "server_probe",
        json!({ "host": "127.0.0.1", "port": 5432, "database": "x" }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
    assert_eq!(
        call(&w, "connection_info", Value::Null).unwrap()["can_change"],
        false
    );
    login(&w, "owner", ADMIN_PW).unwrap();
    // Signed in, even the admin of a single-PC clinic does not point it at
    // a server from the app (its records would stay behind: `dermis copy`).
    let e = call(
        &w,
        "server_probe",
        json!({ "host": "127.0.0.1", "port": 5432, "database": "x" }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
    let s = call(&w, "clinic_server_status", Value::Null).unwrap();
    assert_eq!(s["connection"]["kind"], "file");
    assert_eq!(s["connection"]["can_change"], false);
    assert_eq!(s["reachable"], true);
}

#[test]
fn an_encrypted_clinic_opens_at_sign_in_and_a_wrong_password_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dermis.db");
    let (clinic, admin, _recovery) = Clinic::create_encrypted(&path, &setup_input()).unwrap();
    add_rita(&clinic, &admin);
    drop(clinic);

    let w = Workstation::at(path.clone(), Box::new(NoOs));
    // Before sign-in: the sign-in screen, nothing of the clinic.
    let s = call(&w, "app_status", Value::Null).unwrap();
    assert_eq!(s["needs_setup"], false);
    assert_eq!(s["actor"], Value::Null);
    assert_eq!(s["clinic_name"], Value::Null);
    assert_eq!(
        call(&w, "connection_info", Value::Null).unwrap()["kind"],
        "encrypted"
    );
    let e = call(&w, "search_patients", search("")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    // About and lock work before sign-in too.
    call(&w, "app_info", Value::Null).unwrap();
    call(&w, "lock_app", Value::Null).unwrap();

    // Wrong passwords are refused and counted before the file can be read.
    for _ in 0..5 {
        let e = login(&w, "rita", "not her password").unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
    }
    let e = login(&w, "rita", DESK_PW).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");

    // Another account signs in: the data key unwraps, the clinic opens.
    let me = login(&w, "owner", ADMIN_PW).unwrap();
    assert_eq!(me["username"], "owner");
    let s = call(&w, "app_status", Value::Null).unwrap();
    assert_eq!(s["clinic_name"], "Clinique Étoile");
    assert_eq!(s["actor"]["username"], "owner");
    call(&w, "create_patient", new_patient()).unwrap();
    // The idle lock keeps the clinic open; the password unlocks it.
    call(&w, "lock_app", Value::Null).unwrap();
    let e = call(&w, "search_patients", search("")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked);
    call(&w, "unlock_app", json!({ "password": ADMIN_PW })).unwrap();
    let page = call(&w, "search_patients", search("Park")).unwrap();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1), "{page}");
    // Sign-out closes it: nothing readable until the next password.
    call(&w, "logout", Value::Null).unwrap();
    assert_eq!(
        call(&w, "app_status", Value::Null).unwrap()["clinic_name"],
        Value::Null
    );
    let e = login(&w, "owner", "wrong wrong wrong wrong").unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    login(&w, "owner", ADMIN_PW).unwrap();
}

/// "Forgot the admin password?": the recovery key sets a new password
/// before sign-in; a wrong key counts toward the lockout like a wrong
/// password (and a locked name is refused even with the right key).
#[test]
fn the_recovery_key_replaces_a_forgotten_password_and_wrong_keys_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dermis.db");
    let (clinic, admin, recovery) = Clinic::create_encrypted(&path, &setup_input()).unwrap();
    add_rita(&clinic, &admin);
    drop(clinic);
    let w = Workstation::at(path.clone(), Box::new(NoOs));
    let recover = |user: &str, key: &str, new: &str| {
        call(
            &w,
            "recover_password",
            json!({ "username": user, "recovery_key": key, "new_password": new }),
        )
    };
    let fake = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH";
    for _ in 0..4 {
        let e = recover("rita", fake, "a brand new passphrase here").unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
        assert!(e.message.contains("recovery key"), "{}", e.message);
    }
    // The fifth failure is a wrong password: they count together.
    assert_eq!(
        login(&w, "rita", "not her password").unwrap_err().code,
        ErrorCode::Forbidden
    );
    let e = recover("rita", recovery.as_str(), "a brand new passphrase here").unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");
    // The recovery key is in no file beside the clinic.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(recovery.as_str()));
    }
    // A name of the longest length is looked up (there is no such account);
    // one character more is refused before anything is read.
    let longest = "n".repeat(dermis_clinic::LOGIN_NAME_MAX_CHARS);
    let e = recover(&longest, recovery.as_str(), "a brand new passphrase here").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("username"), "{e:?}");
    let e = recover(
        &format!("{longest}n"),
        recovery.as_str(),
        "a brand new passphrase here",
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
    assert_eq!(e.field.as_deref(), Some("recovery_key"));
    // The owner's: a weak new password is refused beside the field, nothing
    // changes, and it is not counted as a wrong key (the right key with a
    // weak password, as often as the lockout allows, locks nothing).
    for _ in 0..dermis_clinic::MAX_FAILED_LOGINS {
        let e = recover("owner", recovery.as_str(), "short").unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
        assert_eq!(e.field.as_deref(), Some("new_password"));
    }
    recover("owner", recovery.as_str(), "a brand new passphrase here").unwrap();
    assert_eq!(
        login(&w, "owner", ADMIN_PW).unwrap_err().code,
        ErrorCode::Forbidden
    );
    let me = login(&w, "owner", "a brand new passphrase here").unwrap();
    assert_eq!(me["username"], "owner");
    // Signed in, the sign-in screen's recovery is not offered.
    let e = recover("owner", recovery.as_str(), "another new passphrase").unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
}

#[test]
fn a_plain_clinic_has_no_recovery_key_to_use() {
    let dir = tempfile::tempdir().unwrap();
    let w = Workstation::at(dir.path().join("dermis.db"), Box::new(NoOs));
    call(&w, "setup_clinic", json!({ "input": setup_input() })).unwrap();
    call(&w, "logout", Value::Null).unwrap();
    let e = call(
        &w,
        "recover_password",
        json!({ "username": "owner", "recovery_key": "x", "new_password": "a brand new passphrase here" }),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
    login(&w, "owner", ADMIN_PW).unwrap();
}

/// A PC joins the server at first run the way the join screen does it:
/// probe (the fingerprint only), confirm, then each person signs in with
/// their own login and gets their own role.
#[test]
fn a_pc_joins_the_clinic_server_and_each_person_signs_in_as_themselves() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { db, .. } = clinic_on_server(c);
    let pc = tempfile::tempdir().unwrap();
    let data = pc.path().join("app");
    let w = Workstation::at(data.join("dermis.db"), Box::new(NoOs)).data_dir(data.clone());
    let where_ = json!({ "host": "127.0.0.1", "port": c.port, "database": db });

    // The probe answers the fingerprint and nothing else.
    let probe = call(&w, "server_probe", where_.clone()).unwrap();
    assert_eq!(
        probe,
        json!({ "fingerprint": c.fingerprint }),
        "only the fingerprint"
    );
    // A fingerprint other than the server's is not saved.
    let mut wrong = where_.clone();
    wrong["fingerprint"] = json!("00".repeat(32));
    let e = call(&w, "server_join", wrong).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
    assert!(!data.join("connection.json").exists());

    let mut join = where_.clone();
    join["fingerprint"] = json!(c.fingerprint);
    let info = call(&w, "server_join", join).unwrap();
    assert_eq!(info["kind"], "server");
    assert_eq!(info["fingerprint"], json!(c.fingerprint));
    assert_eq!(info["connected"], false);
    let saved = std::fs::read_to_string(data.join("connection.json")).unwrap();
    assert!(
        saved.contains("\"server\"") && saved.contains("fingerprint="),
        "{saved}"
    );
    assert!(!saved.to_lowercase().contains("password"), "{saved}");

    // Before anyone signs in: the sign-in screen, no first run, nothing read.
    let s = call(&w, "app_status", Value::Null).unwrap();
    assert_eq!(s["needs_setup"], false);
    assert_eq!(s["actor"], Value::Null);
    // Nobody at the sign-in screen may point the PC at another server now.
    let e = call(&w, "server_probe", where_.clone()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);

    // The receptionist signs in with her own login and gets her own role.
    let rita = login(&w, "Rita", DESK_PW).unwrap();
    assert_eq!(rita["roles"], json!(["receptionist"]));
    let s = call(&w, "app_status", Value::Null).unwrap();
    assert_eq!(s["actor"]["username"], "rita");
    assert_eq!(s["clinic_name"], "Clinique Étoile");
    assert_eq!(
        call(&w, "connection_info", Value::Null).unwrap()["connected"],
        true
    );
    let id = call(&w, "create_patient", new_patient()).unwrap()["id"].clone();
    // A clinical read is refused to her, by the app and by her connection.
    let e = call(&w, "list_screenings", json!({ "patient_id": id })).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
    // She may not change the server.
    let e = call(&w, "server_probe", where_.clone()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    let s = call(&w, "clinic_server_status", Value::Null).unwrap();
    assert_eq!(s["connection"]["can_change"], false);
    assert_eq!(
        s["connection"]["place"],
        format!("127.0.0.1:{}/{db}", c.port)
    );
    // The lock keeps her connection; sign-out closes it.
    call(&w, "lock_app", Value::Null).unwrap();
    call(&w, "unlock_app", json!({ "password": DESK_PW })).unwrap();
    call(&w, "logout", Value::Null).unwrap();
    assert_eq!(
        call(&w, "connection_info", Value::Null).unwrap()["connected"],
        false
    );

    // Wrong passwords count toward the lockout, across the server.
    for _ in 0..5 {
        let e = login(&w, "rita", "not her password").unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
    }
    let e = login(&w, "rita", DESK_PW).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");

    // The admin may, and sees the patient the desk registered.
    let owner = login(&w, "owner", ADMIN_PW).unwrap();
    assert!(owner["roles"].to_string().contains("admin"));
    let page = call(&w, "search_patients", search("Park")).unwrap();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1), "{page}");
    call(&w, "server_probe", where_).unwrap();
    let s = call(&w, "clinic_server_status", Value::Null).unwrap();
    assert_eq!(s["connection"]["kind"], "server");
    assert_eq!(s["connection"]["connected"], true);
    assert_eq!(s["connection"]["can_change"], true);
    assert_eq!(s["reachable"], true);
    assert_eq!(s["unreachable_since"], Value::Null);

    // The server drops this PC's connection and takes no new ones: Settings
    // says since when it has not answered (a dropped connection alone is
    // reopened before the next read: below); sign-out still signs out and
    // closes it.
    let mut su = c.superuser("postgres");
    su.batch_execute(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS false"))
        .unwrap();
    su.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
        &[&db],
    )
    .unwrap();
    let s = call(&w, "clinic_server_status", Value::Null).unwrap();
    assert_eq!(s["reachable"], false, "{s}");
    let since = s["unreachable_since"].as_str().unwrap().to_string();
    assert!(since.ends_with('Z'), "{since}");
    let again = call(&w, "clinic_server_status", Value::Null).unwrap();
    assert_eq!(
        again["unreachable_since"],
        json!(since),
        "the time it was first seen"
    );
    // The server takes connections again: the next check reconnects by itself.
    su.batch_execute(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true"))
        .unwrap();
    let back = call(&w, "clinic_server_status", Value::Null).unwrap();
    assert_eq!(back["reachable"], true, "{back}");
    assert_eq!(back["unreachable_since"], Value::Null);
    su.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
        &[&db],
    )
    .unwrap();
    call(&w, "logout", Value::Null).unwrap();
    assert_eq!(
        call(&w, "connection_info", Value::Null).unwrap()["connected"],
        false
    );
    // A fresh sign-in connects again.
    login(&w, "owner", ADMIN_PW).unwrap();
    let s = call(&w, "clinic_server_status", Value::Null).unwrap();
    assert_eq!(s["reachable"], true, "{s}");

    // Settings → Change server… (the admin): the same probe and compare;
    // everyone on this PC is signed out and signs in again on the server.
    let mut change = json!({ "host": "localhost", "port": c.port, "database": db });
    change["fingerprint"] =
        call(&w, "server_probe", change.clone()).unwrap()["fingerprint"].clone();
    let info = call(&w, "server_join", change).unwrap();
    assert_eq!(info["place"], format!("localhost:{}/{db}", c.port));
    assert_eq!(info["connected"], false);
    assert_eq!(
        call(&w, "app_status", Value::Null).unwrap()["actor"],
        Value::Null
    );
    let saved = std::fs::read_to_string(data.join("connection.json")).unwrap();
    assert!(saved.contains("postgresql://localhost:"), "{saved}");
    login(&w, "owner", ADMIN_PW).unwrap();
}

/// An address that leaves this PC without a pinned certificate (say, given
/// with --db) is refused before any password is sent, as a sentence on the
/// address, not an internal error.
#[test]
fn an_unpinned_address_off_this_pc_is_refused_on_the_address() {
    let pc = tempfile::tempdir().unwrap();
    let w = Workstation::on(
        Target::parse("postgresql://10.255.255.1:5432/dermis", Some(pc.path())).unwrap(),
        Box::new(NoOs),
    );
    let e = login(&w, "owner", ADMIN_PW).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
    assert_eq!(e.field.as_deref(), Some("address"));
    assert!(e.message.contains("only over TLS"), "{}", e.message);
}

/// A PC that has just joined holds no audit key yet, so the server's own
/// count of wrong passwords (its sign-in gate) cannot be used from it: the
/// PC counts them itself, and five lock the name there too.
#[test]
fn wrong_passwords_count_on_a_pc_that_just_joined() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { db, .. } = clinic_on_server(c);
    let pc = tempfile::tempdir().unwrap();
    let pinned = format!(
        "postgresql://127.0.0.1:{}/{db}?fingerprint={}",
        c.port,
        c.fingerprint.replace(':', "")
    );
    let target = Target::parse(&pinned, Some(pc.path())).unwrap();
    let Target::Server { keys_dir, .. } = &target else {
        panic!()
    };
    let keys_dir = keys_dir.clone();
    let w = Workstation::on(target, Box::new(NoOs));
    for _ in 0..5 {
        let e = login(&w, "Rita", "not her password").unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
    }
    let e = login(&w, "rita", DESK_PW).unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");
    // The count holds no user name in the clear.
    let text = std::fs::read_to_string(keys_dir.join("sign-in-failures")).unwrap();
    assert!(!text.to_lowercase().contains("rita"), "{text}");
    // Someone else signs in; the PC now holds the key and the server counts.
    login(&w, "owner", ADMIN_PW).unwrap();
    assert!(keys_dir.join("audit-key").exists());
}

/// A server whose certificate is not the pinned one is refused at sign-in
/// with the warning (both fingerprints), not an internal error, and no
/// password is sent; an unreachable server says so.
#[test]
fn a_different_certificate_or_a_missing_server_is_said_plainly_at_sign_in() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { db, .. } = clinic_on_server(c);
    let pc = tempfile::tempdir().unwrap();
    let other = "00".repeat(32);
    let pinned = format!("postgresql://127.0.0.1:{}/{db}?fingerprint={other}", c.port);
    let w = Workstation::on(
        Target::parse(&pinned, Some(pc.path())).unwrap(),
        Box::new(NoOs),
    );
    let e = login(&w, "rita", DESK_PW).unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden, "{e:?}");
    assert!(e.message.starts_with("Do not sign in"), "{}", e.message);
    assert!(e.message.contains(&c.fingerprint), "{}", e.message);

    // Nothing listens on this port.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let gone = format!(
        "postgresql://127.0.0.1:{port}/{db}?fingerprint={}",
        c.fingerprint.replace(':', "")
    );
    let w = Workstation::on(
        Target::parse(&gone, Some(pc.path())).unwrap(),
        Box::new(NoOs),
    );
    let e = login(&w, "rita", DESK_PW).unwrap_err();
    assert_eq!(e.code, ErrorCode::Io, "{e:?}");
    assert!(e.message.contains("cannot be reached"), "{}", e.message);
}

/// Only a clinic server that stopped answering is forgiven an unrecorded
/// sign-out. An encrypted clinic file is also closed at sign-out, but a
/// sign-out its own file refuses to record is reported and the person
/// stays signed in, as on a plain file (`tests/contract.rs`).
#[test]
fn a_sign_out_an_encrypted_file_cannot_record_is_reported_and_the_person_stays_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dermis.db");
    let (clinic, _admin, _recovery) = Clinic::create_encrypted(&path, &setup_input()).unwrap();
    drop(clinic);
    let w = Workstation::at(path.clone(), Box::new(NoOs));
    login(&w, "owner", ADMIN_PW).unwrap();

    // Another program holding the key makes the audit log refuse every new entry.
    let key_file = dermis_clinic::keys::KeyFile::read(&dermis_clinic::keys::key_file_path(&path))
        .unwrap()
        .unwrap();
    let key = key_file.unwrap_user("owner", ADMIN_PW).unwrap().unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    dermis_store::CipherKey::new(key.bytes())
        .apply(&conn)
        .unwrap();
    conn.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
    )
    .unwrap();
    drop(conn);

    assert!(w.call("logout", &Value::Null).is_err());
    let status = call(&w, "app_status", Value::Null).unwrap();
    assert_eq!(status["actor"]["username"], "owner", "{status}");
}
