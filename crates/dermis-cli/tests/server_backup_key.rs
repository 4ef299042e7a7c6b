//! `dermis server-backup-key` is safe to run again (issue 21, session 9):
//! scripts/clinic-server.sh calls it on every `setup` instead of looking in
//! `dump_keys` with psql. On a server that has its key it says so, exits 0
//! and changes nothing, without asking an admin to sign in when the setup
//! user's password is at hand; without a key and without an admin it says
//! who makes it. On a throwaway PostgreSQL cluster.

mod common;
use common::{as_user, cluster, init_on_server, json_err, json_out, on_server, run};

const ADMIN_PW: &str = "plum kettle harbour velvet";
const PIET_PW: &str = "saffron orbit quarry thimble";

/// Every row of `dump_keys`, as the cluster's superuser reads them.
fn dump_keys(c: &cluster::Cluster, db: &str) -> Vec<(String, String, String, String)> {
    let mut config: postgres::Config = c.url("postgres", db).parse().unwrap();
    config.password(cluster::SUPER_PASSWORD);
    let mut client = config.connect(postgres::NoTls).unwrap();
    client
        .query(
            "SELECT kind, username, value, updated_at FROM dump_keys ORDER BY kind, username",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

#[test]
fn server_backup_key_run_again_says_it_is_there_and_changes_nothing() {
    let Some(c) = cluster::cluster() else { return };
    let data = tempfile::tempdir().unwrap();
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let setup = ("DERMIS_SETUP_PASSWORD", cluster::SUPER_PASSWORD);
    json_out(&init_on_server(data.path(), &url, "Étoile", ADMIN_PW));

    // No key yet, no admin named: refused, saying who makes it (no Rust text).
    let e = json_err(&run(
        data.path(),
        &[setup],
        &["--db", &url, "--json", "server-backup-key"],
    ));
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("no backup key yet") && msg.contains("--user NAME server-backup-key"),
        "{e}"
    );
    assert!(dump_keys(c, &db).is_empty());

    // As the script runs it: the setup password at hand and the admin named.
    // No key yet: the admin signs in and it is made, its recovery key shown.
    let script = |admin_pw: &str| {
        run(
            data.path(),
            &[setup, ("DERMIS_PASSWORD", admin_pw)],
            &on_server(&url, "boss", &["server-backup-key"]),
        )
    };
    let made = json_out(&script(ADMIN_PW));
    assert_eq!(made["made"], true, "{made}");
    let recovery = made["recovery_key"].as_str().unwrap().to_string();
    let rows = dump_keys(c, &db);
    assert_eq!(rows.len(), 3, "{rows:?}");

    // Again, as setup runs it a second time: it is there, said, nothing
    // changed, and nobody signed in (a wrong admin password is never tried,
    // so it cannot count toward the lockout).
    let again = json_out(&script("not the password at all"));
    assert_eq!(
        (&again["made"], &again["already"], &again["recovery_key"]),
        (
            &serde_json::json!(false),
            &serde_json::json!(true),
            &serde_json::Value::Null
        ),
        "{again}"
    );
    assert_eq!(again["fingerprint"], made["fingerprint"]);
    assert_eq!(dump_keys(c, &db), rows);
    // The plain text says so.
    let text = run(
        data.path(),
        &[setup, ("DERMIS_PASSWORD", "not the password at all")],
        &["--db", &url, "--user", "boss", "server-backup-key"],
    );
    assert!(text.status.success());
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(
        said.contains("already has its backup key") && said.contains("nothing was changed"),
        "{said}"
    );
    assert_eq!(dump_keys(c, &db), rows);

    // An admin alone (no setup password): signs in, same answer, nothing changed.
    let boss = as_user(data.path(), &url, "boss", ADMIN_PW, &["server-backup-key"]);
    let boss = json_out(&boss);
    assert_eq!(
        (&boss["made"], &boss["wrapped_for_you"]),
        (&serde_json::json!(false), &serde_json::json!(true)),
        "{boss}"
    );
    assert_eq!(dump_keys(c, &db), rows);

    // A second admin added from the command line gets a copy from boss in
    // the same command; with DERMIS_RECOVERY_KEY the command still signs the
    // admin in (it re-gives their copy), setup password or not.
    json_out(&run(
        data.path(),
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", PIET_PW),
        ],
        &on_server(
            &url,
            "boss",
            &["user", "add", "--name", "piet", "--role", "admin"],
        ),
    ));
    let piet_copy = |rows: &[(String, String, String, String)]| {
        rows.iter()
            .find(|r| r.0 == "admin" && r.1 == "piet")
            .map(|r| r.2.clone())
    };
    let first = piet_copy(&dump_keys(c, &db)).expect("piet got no copy from boss");
    let regiven = json_out(&run(
        data.path(),
        &[
            setup,
            ("DERMIS_PASSWORD", PIET_PW),
            ("DERMIS_RECOVERY_KEY", &recovery),
        ],
        &on_server(&url, "piet", &["server-backup-key"]),
    ));
    assert_eq!(regiven["wrapped_for_you"], true, "{regiven}");
    let second = piet_copy(&dump_keys(c, &db)).unwrap();
    assert_ne!(first, second, "the copy was wrapped again (fresh salt)");
}

/// Its refusals say what to do, in words (no library error text), and on a
/// clinic file it opens (or creates) nothing.
#[test]
fn server_backup_key_refusals_say_what_to_do_next() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("clinic.db");
    let e = json_err(&as_user(
        data.path(),
        file.to_str().unwrap(),
        "boss",
        ADMIN_PW,
        &["server-backup-key"],
    ));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("for the clinic server"),
        "{e}"
    );
    assert!(!file.exists(), "a clinic file was created");

    // Nothing listens on port 1.
    let e = json_err(&run(
        data.path(),
        &[("DERMIS_SETUP_PASSWORD", "whatever")],
        &[
            "--db",
            "postgresql://dermis_setup@127.0.0.1:1/dermis",
            "--json",
            "server-backup-key",
        ],
    ));
    assert_eq!(e["code"], "unavailable", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("is not answering"),
        "{e}"
    );

    let Some(c) = cluster::cluster() else { return };
    let db = c.new_database();
    let e = json_err(&run(
        data.path(),
        &[("DERMIS_SETUP_PASSWORD", "not the setup password")],
        &[
            "--db",
            &c.url("postgres", &db),
            "--json",
            "server-backup-key",
        ],
    ));
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("refused the setup user's password") && msg.contains("setup.env"),
        "{e}"
    );
}
