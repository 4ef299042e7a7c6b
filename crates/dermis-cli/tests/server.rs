//! The `dermis` binary pointed at the clinic server (`--db postgresql://…`),
//! on a throwaway PostgreSQL cluster: `init` by the setup user, everyday
//! commands as each person's own login role, and `copy` of a clinic file.

mod common;
use common::{as_user, cluster, init_on_server, json_err, json_out, on_server, run};
use std::path::Path;

const ADMIN_PW: &str = "plum kettle harbour velvet";
const DESK_PW: &str = "amber lantern meadow quartz";

#[test]
fn init_then_the_admin_and_a_receptionist_work_as_themselves() {
    let Some(c) = cluster::cluster() else { return };
    let data = tempfile::tempdir().unwrap();
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let out = init_on_server(data.path(), &url, "Clinique Étoile", ADMIN_PW);
    assert_eq!(json_out(&out)["username"], "boss");
    // The URL names the setup user; every other command connects as --user.
    let boss = |args: &[&str]| as_user(data.path(), &url, "boss", ADMIN_PW, args);
    json_out(&run(
        data.path(),
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", DESK_PW),
        ],
        &on_server(
            &url,
            "boss",
            &["user", "add", "--name", "rita", "--role", "receptionist"],
        ),
    ));
    let users = json_out(&boss(&["user", "list"]));
    let rita = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "rita")
        .unwrap();
    assert_eq!(rita["db_role"], format!("{db}_rita"));
    let p = json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Zoë",
        "--last",
        "Núñez",
        "--dob",
        "1980-01-01",
    ]));
    let pid = p["id"].as_i64().unwrap().to_string();
    let found = json_out(&boss(&["patient", "search", "nunez"]));
    assert_eq!(found["items"][0]["id"].as_i64().unwrap().to_string(), pid);

    let desk = |args: &[&str]| as_user(data.path(), &url, "rita", DESK_PW, args);
    json_out(&desk(&[
        "patient",
        "add",
        "--first",
        "Ann",
        "--last",
        "Lee",
        "--dob",
        "1975-05-05",
    ]));
    let found = json_out(&desk(&["patient", "search", "lee"]));
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    // The desk is refused clinical records.
    let refused = desk(&["screening", "list", "--patient", &pid]);
    assert_eq!(refused.status.code(), Some(3));
    assert_eq!(json_err(&refused)["code"], "forbidden");
    // The admin reads them (none yet).
    assert_eq!(
        json_out(&boss(&["screening", "list", "--patient", &pid])),
        serde_json::json!([])
    );
    // A wrong password is refused by the server itself.
    let wrong = as_user(
        data.path(),
        &url,
        "rita",
        "not her password",
        &["patient", "search", "lee"],
    );
    assert_eq!(json_err(&wrong)["code"], "forbidden");
    // No password was put in the URL and none is stored beside the key.
    let keys: Vec<_> = std::fs::read_dir(data.path().join("org.dermis.app/servers"))
        .unwrap()
        .collect();
    assert_eq!(keys.len(), 1, "one folder for this server and database");
}

#[test]
fn copy_moves_a_clinic_file_onto_the_server_and_refuses_to_do_it_twice() {
    let Some(c) = cluster::cluster() else { return };
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clinic.db");
    let file = file.to_str().unwrap();
    let on_file = |env: &[(&str, &str)], args: &[&str]| {
        run(
            data.path(),
            env,
            &[&["--db", file, "--json"][..], args].concat(),
        )
    };
    json_out(&on_file(
        &[("DERMIS_PASSWORD", ADMIN_PW)],
        &["init", "--clinic", "Clinique Étoile", "--admin", "boss"],
    ));
    json_out(&on_file(
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", DESK_PW),
        ],
        &[
            "--user",
            "boss",
            "user",
            "add",
            "--name",
            "rita",
            "--role",
            "receptionist",
        ],
    ));
    for (first, last) in [("Zoë", "Park"), ("Ann", "Lee")] {
        json_out(&on_file(
            &[("DERMIS_PASSWORD", ADMIN_PW)],
            &[
                "--user",
                "boss",
                "patient",
                "add",
                "--first",
                first,
                "--last",
                last,
                "--dob",
                "1980-01-01",
            ],
        ));
    }
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let copy_env = [
        ("DERMIS_PASSWORD", ADMIN_PW),
        ("DERMIS_SETUP_PASSWORD", cluster::SUPER_PASSWORD),
    ];
    let copy_args = [
        "--user", "boss", "--json", "copy", "--from", file, "--to", &url,
    ];
    let report = json_out(&run(data.path(), &copy_env, &copy_args));
    assert_eq!(report["counts_match"], true, "{report}");
    assert_eq!(report["chain_intact"], true, "{report}");
    let patients = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t[0] == "patients")
        .unwrap();
    assert_eq!(patients, &serde_json::json!(["patients", 2, 2]));
    assert_eq!(report["need_password_reset"], serde_json::json!(["rita"]));
    // The human report names both sides' counts and who needs a reset.
    let human = run(
        data.path(),
        &copy_env,
        &["--user", "boss", "copy", "--from", file, "--to", &url],
    );
    assert_eq!(human.status.code(), Some(5), "a second copy is refused");
    assert!(
        String::from_utf8_lossy(&human.stderr).contains("already holds a clinic"),
        "{}",
        String::from_utf8_lossy(&human.stderr)
    );
    // On the server: the admin as themselves; rita after a reset.
    let found = json_out(&as_user(
        data.path(),
        &url,
        "boss",
        ADMIN_PW,
        &["patient", "search", "park"],
    ));
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert!(!as_user(
        data.path(),
        &url,
        "rita",
        DESK_PW,
        &["patient", "search", "lee"]
    )
    .status
    .success());
    json_out(&run(
        data.path(),
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", DESK_PW),
        ],
        &on_server(&url, "boss", &["user", "reset-password", "--name", "rita"]),
    ));
    let found = json_out(&as_user(
        data.path(),
        &url,
        "rita",
        DESK_PW,
        &["patient", "search", "lee"],
    ));
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let verdict = json_out(&as_user(
        data.path(),
        &url,
        "boss",
        ADMIN_PW,
        &["audit", "verify"],
    ));
    assert_eq!(verdict["intact"], true, "{verdict}");
}

/// `dermis backup` and `restore` on the clinic server: a verified pg_dump
/// with the admin's own login; the restore (the setup user named in the URL)
/// brings the clinic back to it and keeps the data as it was; a text file is
/// refused with a validation error; the desk may do neither.
#[test]
fn backup_and_restore_on_the_server() {
    let Some(c) = cluster::cluster() else { return };
    let data = tempfile::tempdir().unwrap();
    let db = c.new_database();
    let url = c.url("postgres", &db);
    json_out(&init_on_server(data.path(), &url, "Étoile", ADMIN_PW));
    let boss = |args: &[&str]| as_user(data.path(), &url, "boss", ADMIN_PW, args);
    let add = |first: &str| {
        json_out(&boss(&[
            "patient",
            "add",
            "--first",
            first,
            "--last",
            "Núñez",
            "--dob",
            "1980-01-01",
        ]))
    };
    add("Zoë");
    let files = tempfile::tempdir().unwrap();
    let dump = files.path().join("clinic.dump");
    let dump_arg = dump.to_str().unwrap();
    // No backup key yet: no backup (never a plaintext dump), and the reason.
    let e = json_err(&boss(&["backup", "--out", dump_arg]));
    assert!(
        e["message"].as_str().unwrap().contains("server-backup-key"),
        "{e}"
    );
    assert!(!dump.exists());
    let made = json_out(&boss(&["server-backup-key"]));
    assert_eq!(made["made"], true, "{made}");
    let recovery = made["recovery_key"].as_str().unwrap().to_string();
    assert_eq!(recovery.len(), 39, "{recovery}");
    let again = json_out(&boss(&["server-backup-key"]));
    assert_eq!(
        (&again["made"], &again["recovery_key"]),
        (&serde_json::json!(false), &serde_json::Value::Null)
    );
    let b = json_out(&boss(&["backup", "--out", dump_arg]));
    assert_eq!(b["patients"], 1);
    assert!(std::fs::read(&dump)
        .unwrap()
        .starts_with(b"DERMIS-SEALED-1\n"));
    let seen = json_out(&boss(&["backup", "inspect", "--file", dump_arg]));
    assert_eq!(seen["patients"], 1);
    add("Ann");
    assert_eq!(
        json_out(&boss(&["patient", "search", "nunez"]))["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The restore opens the sealed dump with the backup recovery key.
    let restore = |from: &str| {
        run(
            data.path(),
            &[
                ("DERMIS_SETUP_PASSWORD", cluster::SUPER_PASSWORD),
                ("DERMIS_PASSWORD", ADMIN_PW),
                ("DERMIS_RECOVERY_KEY", recovery.as_str()),
            ],
            &on_server(&url, "boss", &["restore", "--from", from, "--yes"]),
        )
    };
    let r = json_out(&restore(dump_arg));
    assert_eq!(r["restored"]["patients"], 1);
    assert_eq!(r["kept"]["patients"], 2);
    let found = json_out(&boss(&["patient", "search", "nunez"]));
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["first_name"], "Zoë");
    let verify = json_out(&boss(&["audit", "verify"]));
    assert_eq!(verify["intact"], true, "{verify}");

    let text = files.path().join("notes.txt");
    std::fs::write(&text, "not a dump").unwrap();
    let e = json_err(&restore(text.to_str().unwrap()));
    assert_eq!(e["code"], "validation", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("not a complete"),
        "{e}"
    );
}

/// Joining a server from the command line: the fingerprint is read without
/// signing in, and the address it prints (the fingerprint pinned) is then
/// used for everything, over TLS; the same address with another
/// fingerprint is refused before anyone signs in.
#[test]
fn the_fingerprint_is_read_then_the_pinned_address_works_and_another_is_refused() {
    let Some(c) = cluster::cluster() else { return };
    let data = tempfile::tempdir().unwrap();
    let db = c.new_database();
    let plain = c.url("postgres", &db);
    let seen = json_out(&run(
        data.path(),
        &[],
        &["--json", "server-fingerprint", &plain],
    ));
    assert_eq!(seen["fingerprint"], c.fingerprint.as_str());
    let url = seen["address"].as_str().unwrap().to_string();
    assert!(url.contains("fingerprint="), "{url}");
    let out = init_on_server(data.path(), &url, "Clinique", ADMIN_PW);
    assert_eq!(json_out(&out)["username"], "boss");
    let found = json_out(&as_user(
        data.path(),
        &url,
        "boss",
        ADMIN_PW,
        &["patient", "search", ""],
    ));
    assert_eq!(found["items"], serde_json::json!([]));

    let (base, _) = url.split_once("fingerprint=").unwrap();
    let forged = format!("{base}fingerprint={}", "ab".repeat(32));
    let refused = as_user(
        data.path(),
        &forged,
        "boss",
        ADMIN_PW,
        &["patient", "search", ""],
    );
    let err = json_err(&refused);
    assert!(
        err["message"].as_str().unwrap().contains("Do not sign in"),
        "{err}"
    );
}

/// The nightly backup on the server PC (scripts/clinic-server.sh's timer):
/// as the setup user, a verified dump into the folder, only the newest kept,
/// readable by its owner only, audited.
#[test]
fn the_scheduled_server_backup_keeps_the_newest_private_and_audited() {
    let Some(c) = cluster::cluster() else { return };
    let data = tempfile::tempdir().unwrap();
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let setup = [
        ("DERMIS_SETUP_PASSWORD", cluster::SUPER_PASSWORD),
        ("DERMIS_PASSWORD", ADMIN_PW),
    ];
    json_out(&run(
        data.path(),
        &setup,
        &[
            "--db", &url, "--json", "init", "--clinic", "Étoile", "--admin", "boss",
        ],
    ));
    let boss = |args: &[&str]| as_user(data.path(), &url, "boss", ADMIN_PW, args);
    json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Zoë",
        "--last",
        "Núñez",
        "--dob",
        "1980-01-01",
    ]));
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().to_str().unwrap();
    let nightly = || {
        run(
            data.path(),
            &setup,
            &[
                "--db",
                &url,
                "--json",
                "server-backup",
                "--dir",
                dir,
                "--keep",
                "2",
            ],
        )
    };
    // Before an admin made the backup key the nightly run fails, loudly, and writes nothing.
    let e = json_err(&nightly());
    assert!(
        e["message"].as_str().unwrap().contains("server-backup-key"),
        "{e}"
    );
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
    json_out(&boss(&["server-backup-key"]));
    // A file that is not one of ours stays, whatever --keep says.
    std::fs::write(folder.path().join("notes.txt"), "keep me").unwrap();
    for n in 0..3 {
        let b = json_out(&nightly());
        assert_eq!(b["patients"], 1, "run {n}");
        // The names carry the second: let the next run get a new one.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let mut names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[..2]
        .iter()
        .all(|n| n.starts_with("dermis-server-") && n.ends_with(".dump")));
    assert_eq!(names[2], "notes.txt");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(folder.path().join(&names[1]))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "a dump of every record is the owner's alone"
        );
    }
    // The audit log says each scheduled backup ran, by Dermis itself.
    let csv = folder.path().join("audit.csv");
    json_out(&boss(&["audit", "export", "--out", csv.to_str().unwrap()]));
    let log = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(log.matches("backup.scheduled").count(), 3, "{log}");
    std::fs::remove_file(&csv).unwrap();

    // On a clinic file it is refused with the reason, before any sign-in.
    let file = data.path().join("clinic.db");
    let refused = run(
        data.path(),
        &[],
        &[
            "--db",
            file.to_str().unwrap(),
            "--json",
            "server-backup",
            "--dir",
            dir,
        ],
    );
    assert!(json_err(&refused)["message"]
        .as_str()
        .unwrap()
        .contains("clinic server"));
}

/// Joining from a new PC needs no folder copied by hand (issue 16): the
/// server holds the clinic's audit key wrapped under each person's own
/// password, each connection reads only its own, and the key follows
/// account creation, password resets and deactivation.
#[test]
fn a_new_pc_gets_the_audit_key_from_the_signed_in_persons_own_wrap() {
    let Some(c) = cluster::cluster() else { return };
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let pc = |n: usize| {
        let d = tempfile::tempdir().unwrap();
        let _ = n;
        d
    };
    let (server_pc, desk_pc, room_pc, new_pc) = (pc(1), pc(2), pc(3), pc(4));
    json_out(&init_on_server(server_pc.path(), &url, "Étoile", ADMIN_PW));
    // The admin on the reception PC: nothing copied there, the key comes
    // from the server, and the chain verifies.
    let boss_at = |data: &Path, args: &[&str]| as_user(data, &url, "boss", ADMIN_PW, args);
    json_out(&boss_at(
        desk_pc.path(),
        &[
            "patient",
            "add",
            "--first",
            "Zoë",
            "--last",
            "Núñez",
            "--dob",
            "1980-01-01",
        ],
    ));
    json_out(&boss_at(desk_pc.path(), &["audit", "verify"]));
    // The admin creates the receptionist from that PC; she joins from another.
    json_out(&run(
        desk_pc.path(),
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", DESK_PW),
        ],
        &on_server(
            &url,
            "boss",
            &["user", "add", "--name", "rita", "--role", "receptionist"],
        ),
    ));
    json_out(&as_user(
        room_pc.path(),
        &url,
        "rita",
        DESK_PW,
        &[
            "patient",
            "add",
            "--first",
            "Ann",
            "--last",
            "Lee",
            "--dob",
            "1975-05-05",
        ],
    ));
    json_out(&boss_at(server_pc.path(), &["audit", "verify"]));
    // Every PC holds the same key.
    let key_of = |data: &Path| {
        let dir = data.join("org.dermis.app/servers");
        let server = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        std::fs::read(server.join("audit-key")).unwrap()
    };
    assert_eq!(key_of(desk_pc.path()), key_of(server_pc.path()));
    assert_eq!(key_of(room_pc.path()), key_of(server_pc.path()));

    // Her own credentials, used from a plain client, read no wrap but her own.
    let mut config: postgres::Config = c.url(&format!("{db}_rita"), &db).parse().unwrap();
    config.password(DESK_PW);
    let mut rita = config.connect(postgres::NoTls).unwrap();
    assert!(rita.query("SELECT * FROM key_wraps", &[]).is_err());
    assert!(rita
        .query("SELECT dermis_set_key_wrap('boss', 'x', 'now')", &[])
        .is_err());
    let own: Option<String> = rita
        .query_one("SELECT dermis_my_key_wrap()", &[])
        .unwrap()
        .get(0);
    assert!(own.is_some_and(|w| !w.contains("boss")));

    // A reset password re-wraps: the new one opens on a fresh PC, the old one nowhere.
    let new_pw = "copper violin orchard meadow";
    json_out(&run(
        desk_pc.path(),
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", new_pw),
        ],
        &on_server(&url, "boss", &["user", "reset-password", "--name", "rita"]),
    ));
    let old = as_user(
        new_pc.path(),
        &url,
        "rita",
        DESK_PW,
        &["patient", "search", ""],
    );
    assert_eq!(json_err(&old)["code"], "forbidden");
    json_out(&as_user(
        new_pc.path(),
        &url,
        "rita",
        new_pw,
        &["patient", "search", ""],
    ));
    assert_eq!(key_of(new_pc.path()), key_of(server_pc.path()));

    // Deactivated: her wrap is gone from the server.
    json_out(&boss_at(
        desk_pc.path(),
        &["user", "deactivate", "--name", "rita"],
    ));
    let wraps: i64 = c
        .superuser(&db)
        .query_one(
            "SELECT count(*) FROM key_wraps WHERE username = 'rita'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(wraps, 0);
}

/// A PC that has just joined holds no audit key, so the server's own count
/// of wrong passwords (its sign-in gate needs the key) cannot run there: the
/// CLI on such a PC let anyone guess a password without a lockout (the app
/// counted on its own). Now the PC counts them itself and refuses the name
/// after five, even with the right password.
#[test]
fn wrong_passwords_on_a_pc_without_the_audit_key_lock_the_name() {
    let Some(c) = cluster::cluster() else { return };
    let server_pc = tempfile::tempdir().unwrap();
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let out = init_on_server(server_pc.path(), &url, "C", ADMIN_PW);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new_pc = tempfile::tempdir().unwrap();
    for _ in 0..5 {
        let out = as_user(
            new_pc.path(),
            &url,
            "boss",
            "wrong horse battery staple",
            &["patient", "search", "x"],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("forbidden"), "{err}");
    }
    let out = as_user(
        new_pc.path(),
        &url,
        "boss",
        ADMIN_PW,
        &["patient", "search", "x"],
    );
    assert!(
        !out.status.success(),
        "the sixth try, right password, was let in"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("locked"), "{err}");
    // The server PC (which holds the key) is not locked by the new PC's count.
    let out = as_user(
        server_pc.path(),
        &url,
        "boss",
        ADMIN_PW,
        &["patient", "search", "x"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
