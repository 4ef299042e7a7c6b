//! The `dermis` binary as a script would use it: one JSON document on stdout
//! with `--json`, errors on stderr in the `{code, message, field}` shape with a
//! non-zero exit code.

mod common;
use common::{json_err, json_out};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `dermis` with `env` (`None` removes a variable); DERMIS_USER and
/// DERMIS_DB from the test's own environment never leak in.
fn run(env: &[(&str, Option<&str>)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dermis"));
    cmd.args(args)
        .env_remove("DERMIS_USER")
        .env_remove("DERMIS_DB");
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.output().unwrap()
}

/// `dermis --db DB ARGS` with the first account's password.
fn dermis(db: &Path, args: &[&str]) -> Output {
    let db = db.to_str().unwrap();
    run(
        &[("DERMIS_PASSWORD", Some("correct horse battery"))],
        &[&["--db", db][..], args].concat(),
    )
}

/// Opens the clinic every day of the week (a settings row, as the Settings
/// screen writes it), so a plan starting today has its first session today
/// whatever the weekday the test runs on.
fn open_every_day(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut s: Value =
        serde_json::to_value(dermis_clinic::core::settings::PlanSettings::default()).unwrap();
    s["open_weekdays"] = serde_json::json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('plan_settings', ?1)",
        [s.to_string()],
    )
    .unwrap();
}

/// Signs (and, as the owner, confirms) the patient's microneedling consent
/// from a strokes file, as the session gate requires; returns the consent.
fn sign_consent(db: &Path, pid: &str) -> Value {
    let strokes = db.with_file_name(format!("strokes-{pid}.json"));
    std::fs::write(
        &strokes,
        r#"{"strokes": [[[20, 100], [60, 40], [100, 110], [140, 30]], [[200, 75], [380, 75]]]}"#,
    )
    .unwrap();
    json_out(&dermis(
        db,
        &[
            "--user",
            "boss",
            "--json",
            "consent",
            "sign",
            "--patient",
            pid,
            "--template",
            "microneedling",
            "--signature",
            strokes.to_str().unwrap(),
            "--photo-use",
            "record",
        ],
    ))
}

/// Screens (all clear) and assesses patient `pid` as the first account, and
/// accepts a plan starting `today`; the plan as JSON.
fn plan_starting_today(db: &Path, pid: &str, today: &str) -> Value {
    let boss = |args: &[&str]| dermis(db, &[&["--user", "boss", "--json"][..], args].concat());
    sign_consent(db, pid);
    json_out(&boss(&["screening", "record", "--patient", pid]));
    let aid = json_out(&boss(&[
        "assessment",
        "record",
        "--patient",
        pid,
        "--grade",
        "2",
        "--fitzpatrick",
        "2",
        "--sensitivity",
        "normal",
        "--scar-types",
        "boxcar",
        "--areas",
        "cheeks",
        "--counts",
        "moderate=6",
    ]))["id"]
        .to_string();
    json_out(&boss(&[
        "plan",
        "accept",
        "--patient",
        pid,
        "--assessment",
        &aid,
        "--start",
        today,
    ]))
}

#[test]
fn init_add_search_show_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let who = json_out(&dermis(
        &db,
        &[
            "init",
            "--clinic",
            "Clinique Étoile",
            "--admin",
            "boss",
            "--json",
        ],
    ));
    assert_eq!(who["username"], "boss");

    let added = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "patient",
            "add",
            "--first",
            "José",
            "--last",
            "Núñez",
            "--dob",
            "1990-05-17",
            "--phone",
            "+34 612 345 678",
        ],
    ));
    assert_eq!(added["patient_number"], "P-000001");

    let found = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "patient",
            "search",
            "jose nunez",
            "--json",
        ],
    ));
    assert_eq!(found["items"][0]["last_name"], "Núñez");
    let by_phone = json_out(&dermis(
        &db,
        &["--user", "boss", "patient", "search", "612345", "--json"],
    ));
    assert_eq!(by_phone["items"].as_array().unwrap().len(), 1);

    let shown = json_out(&dermis(
        &db,
        &["--user", "boss", "patient", "show", "P-000001", "--json"],
    ));
    assert_eq!(shown["first_name"], "José");

    // Human output names the patient too.
    let human = dermis(&db, &["--user", "boss", "patient", "search", "NUNEZ"]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("Núñez, José"));

    // The same person again (no accents, same birth date) is a conflict that names the record…
    let again = [
        "--user",
        "boss",
        "--json",
        "patient",
        "add",
        "--first",
        "Jose",
        "--last",
        "NUNEZ",
        "--dob",
        "1990-05-17",
    ];
    let o = dermis(&db, &again);
    assert_eq!(o.status.code(), Some(5), "conflict");
    let err = json_err(&o);
    assert_eq!(err["code"], "conflict");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("P-000001 José Núñez"),
        "{err}"
    );
    // … unless the desk says it is someone else.
    let mut other = again.to_vec();
    other.push("--not-duplicate");
    assert_eq!(json_out(&dermis(&db, &other))["patient_number"], "P-000002");
}

#[test]
fn errors_are_json_on_stderr_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));

    let bad = dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "patient",
            "add",
            "--first",
            " ",
            "--last",
            "Lee",
            "--dob",
            "2999-01-01",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let e = json_err(&bad);
    assert_eq!(e["code"], "validation");
    assert_eq!(e["field"], "first_name");
    let fields: Vec<&str> = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["first_name", "date_of_birth"]);

    let no_user = dermis(&db, &["--json", "patient", "search", "lee"]);
    assert_eq!(json_err(&no_user)["field"], "user");

    let wrong = run(
        &[("DERMIS_PASSWORD", Some("not the password"))],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "boss",
            "--json",
            "patient",
            "search",
            "lee",
        ],
    );
    assert_eq!(wrong.status.code(), Some(3));
    assert_eq!(json_err(&wrong)["code"], "forbidden");

    let missing = dermis(
        &db,
        &["--user", "boss", "--json", "patient", "show", "P-000777"],
    );
    assert_eq!(missing.status.code(), Some(4));
    assert_eq!(json_err(&missing)["code"], "not_found");

    let twice = dermis(
        &db,
        &["init", "--clinic", "Again", "--admin", "boss2", "--json"],
    );
    assert_eq!(json_err(&twice)["code"], "conflict");
}

#[test]
fn demo_fills_an_empty_database_with_patients_in_many_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = run(
        &[("DERMIS_PASSWORD", None), ("DERMIS_USER", None)],
        &[
            "--db",
            db.to_str().unwrap(),
            "demo",
            "--patients",
            "500",
            "--json",
        ],
    );
    let report = json_out(&out);
    assert_eq!(report["patients_added"], 500);
    assert_eq!(report["patients_total"], 500);
    assert_eq!(report["username"], "admin");
    assert_eq!(report["password"], "violet tractor lantern");
    assert_eq!(
        report["plans_added"], 60,
        "the first 60 patients get a screening, an assessment and a plan"
    );
    // Signed in with the demo account, names in other scripts are there to find.
    for q in ["王", "م", "γ", "и"] {
        let found = run(
            &[("DERMIS_PASSWORD", Some("violet tractor lantern"))],
            &[
                "--db",
                db.to_str().unwrap(),
                "--user",
                "admin",
                "--json",
                "patient",
                "search",
                q,
            ],
        );
        assert!(
            !json_out(&found)["items"].as_array().unwrap().is_empty(),
            "{q}"
        );
    }
}

#[test]
fn plan_preview_needs_no_database() {
    let out = run(
        &[("DERMIS_DB", Some("/nonexistent/folder/never-created.db"))],
        &[
            "plan",
            "preview",
            "--grade",
            "2",
            "--sensitivity",
            "resilient",
            "--fitzpatrick",
            "IV",
            "--start",
            "2026-12-24",
            "--closed-weekdays",
            "sat,sun",
            "--closed-dates",
            "2026-12-24,2026-12-25",
            "--json",
        ],
    );
    let p = json_out(&out);
    let dates: Vec<&str> = p["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    // Thu 24 and Fri 25 closed, weekend closed: the first open day is Mon 28 Dec.
    assert_eq!(dates[0], "2026-12-28");
    assert_eq!(dates.len(), 4);
    assert_eq!(p["sessions"][0]["n"], 1);
    assert!(p["maintenance"].as_array().unwrap().len() >= 3);
    assert!(p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("PIH")));
    assert!(!p["rationale"].as_array().unwrap().is_empty());
    assert!(!Path::new("/nonexistent/folder").exists());
}

#[test]
fn screening_assessment_plan_and_reschedule_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let p = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "patient",
            "add",
            "--first",
            "Zoë",
            "--last",
            "Park",
            "--dob",
            "1992-03-04",
        ],
    ));
    let pid = p["id"].to_string();
    let s = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "screening",
            "record",
            "--patient",
            &pid,
            "--yes",
            "isotretinoin:2026-01-10,diabetes",
        ],
    ));
    assert_eq!(s["result"]["earliest_eligible"], "2026-07-10");
    let a = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "assessment",
            "record",
            "--patient",
            &pid,
            "--grade",
            "2",
            "--fitzpatrick",
            "3",
            "--sensitivity",
            "normal",
            "--scar-types",
            "boxcar,ice-pick",
            "--areas",
            "cheeks",
            "--counts",
            "moderate=12,severe=3",
        ],
    ));
    assert_eq!(a["score"], 2 * 2 + 3);
    let aid = a["id"].to_string();
    let start = "2099-03-02"; // a Monday, far enough ahead for any clock
    let plan = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "plan",
            "accept",
            "--patient",
            &pid,
            "--assessment",
            &aid,
            "--start",
            start,
        ],
    ));
    assert_eq!(plan["sessions"].as_array().unwrap().len(), 4);
    let s2 = plan["sessions"][1]["id"].to_string();
    let too_early = dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "plan",
            "reschedule",
            "--session",
            &s2,
            "--date",
            "2099-03-03",
        ],
    );
    let e = json_err(&too_early);
    assert_eq!(e["field"], "date");
    assert!(e["message"].as_str().unwrap().contains("2099-03-30"), "{e}");
}

#[test]
fn accounts_and_the_audit_log_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let add = run(
        &[
            ("DERMIS_PASSWORD", Some("correct horse battery")),
            ("DERMIS_NEW_PASSWORD", Some("quiet otter marble lantern")),
        ],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "boss",
            "--json",
            "user",
            "add",
            "--name",
            "desk",
            "--role",
            "receptionist",
        ],
    );
    assert_eq!(json_out(&add)["roles"], serde_json::json!(["receptionist"]));
    let as_desk = |args: &[&str]| {
        let base = ["--db", db.to_str().unwrap(), "--user", "desk", "--json"];
        run(
            &[("DERMIS_PASSWORD", Some("quiet otter marble lantern"))],
            &[&base[..], args].concat(),
        )
    };
    // The receptionist is refused clinical reads and the audit log, the same way the app refuses them.
    let p = json_out(&as_desk(&[
        "patient",
        "add",
        "--first",
        "Ann",
        "--last",
        "Lee",
        "--dob",
        "1990-01-01",
    ]));
    let refused = as_desk(&["assessment", "list", "--patient", &p["id"].to_string()]);
    assert_eq!(refused.status.code(), Some(3));
    assert_eq!(json_err(&refused)["code"], "forbidden");
    assert_eq!(
        json_err(&as_desk(&["audit", "verify"]))["code"],
        "forbidden"
    );

    // The log is intact, exports as CSV with a BOM, and records the refusals.
    let v = json_out(&dermis(
        &db,
        &["--user", "boss", "--json", "audit", "verify"],
    ));
    assert_eq!(v["intact"], true);
    let out = dir.path().join("audit.csv");
    json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "audit",
            "export",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("\u{feff}id,at,user_id,username,action"));
    assert!(csv.contains("permission.denied"));

    // Someone edits an entry in the database file: verify names that entry.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'login' WHERE id = 3;",
    )
    .unwrap();
    drop(conn);
    let broken = dermis(&db, &["--user", "boss", "--json", "audit", "verify"]);
    assert!(!broken.status.success());
    let v: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_eq!(v["first_bad"], 3);
    assert_eq!(v["intact"], false);

    // Deactivated accounts cannot sign in; a reset password works.
    json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "user",
            "deactivate",
            "--name",
            "desk",
        ],
    ));
    assert_eq!(
        json_err(&as_desk(&["patient", "search", "lee"]))["code"],
        "forbidden"
    );
    let reset = run(
        &[
            ("DERMIS_PASSWORD", Some("correct horse battery")),
            ("DERMIS_NEW_PASSWORD", Some("a brand new password")),
        ],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "boss",
            "--json",
            "user",
            "reset-password",
            "--name",
            "boss",
        ],
    );
    json_out(&reset);
    let with_new = run(
        &[("DERMIS_PASSWORD", Some("a brand new password"))],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "boss",
            "--json",
            "patient",
            "search",
            "lee",
        ],
    );
    assert_eq!(json_out(&with_new)["items"][0]["last_name"], "Lee");
}

#[test]
fn backup_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "patient",
            "add",
            "--first",
            "Ann",
            "--last",
            "Lee",
            "--dob",
            "1990-01-01",
        ],
    ));
    let bak = dir.path().join("usb/backup.db");
    let b = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "backup",
            "--out",
            bak.to_str().unwrap(),
        ],
    ));
    assert_eq!(b["patients"], 1);
    json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "patient",
            "add",
            "--first",
            "Bo",
            "--last",
            "Lee",
            "--dob",
            "1990-01-01",
        ],
    ));
    // Without --yes and without a terminal, nothing is restored.
    let unconfirmed = dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "restore",
            "--from",
            bak.to_str().unwrap(),
        ],
    );
    assert_eq!(json_err(&unconfirmed)["field"], "yes");
    // A text file is refused with its own message.
    let txt = dir.path().join("notes.txt");
    std::fs::write(&txt, "not a database").unwrap();
    let bad = dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "restore",
            "--from",
            txt.to_str().unwrap(),
            "--yes",
        ],
    );
    assert!(json_err(&bad)["message"]
        .as_str()
        .unwrap()
        .contains("not a database file"));
    let r = json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "restore",
            "--from",
            bak.to_str().unwrap(),
            "--yes",
        ],
    ));
    assert_eq!(r["patients"], 1);
    let found = json_out(&dermis(
        &db,
        &["--user", "boss", "--json", "patient", "search", "lee"],
    ));
    assert_eq!(
        found["items"].as_array().unwrap().len(),
        1,
        "Bo was added after the backup"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("before-restore")));
}

/// A writer killed with SIGKILL at random moments, many times: after each kill
/// the database passes its integrity check and holds every write the writer
/// reported committed.
#[cfg(unix)]
#[test]
fn the_database_survives_being_killed_mid_write() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let mut committed: Vec<i64> = Vec::new();
    let mut sessions: Vec<i64> = Vec::new();
    let mut seed: u64 = 0x5EED;
    let kills = 25;
    for round in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dermis"))
            .args(["--db", db.to_str().unwrap(), "--user", "boss", "write-loop"])
            .env("DERMIS_PASSWORD", "correct horse battery")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (started_tx, started) = std::sync::mpsc::channel::<()>();
        let reader = std::thread::spawn(move || {
            let (mut patients, mut sessions) = (Vec::new(), Vec::new());
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = started_tx.send(());
                if let Some(n) = l.strip_prefix("committed session ") {
                    sessions.extend(n.parse::<i64>().ok());
                } else if let Some(n) = l.strip_prefix("committed ") {
                    patients.extend(n.parse::<i64>().ok());
                }
            }
            (patients, sessions)
        });
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // The kill lands while it writes, not while it signs in (Argon2 and
        // the audit check take a while on a loaded machine).
        let _ = started.recv_timeout(std::time::Duration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_millis(seed % 250));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let (ids, records) = reader.join().unwrap();
        committed.extend(ids);
        sessions.extend(records);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "after kill {round}");
        let missing: Vec<i64> = committed
            .iter()
            .copied()
            .filter(|id| {
                conn.query_row("SELECT count(*) FROM patients WHERE id = ?1", [id], |r| {
                    r.get::<_, i64>(0)
                })
                .unwrap()
                    == 0
            })
            .collect();
        assert!(
            missing.is_empty(),
            "after kill {round}, committed patients are gone: {missing:?}"
        );
        let lost: Vec<i64> = sessions
            .iter()
            .copied()
            .filter(|id| {
                conn.query_row(
                    "SELECT count(*) FROM session_records r JOIN planned_sessions s ON s.id = r.planned_session_id
                     WHERE r.id = ?1 AND s.status = 'done'",
                    [id],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap()
                    == 0
            })
            .collect();
        assert!(
            lost.is_empty(),
            "after kill {round}, committed session records are gone: {lost:?}"
        );
    }
    assert!(!sessions.is_empty(), "the writer recorded sessions too");
    assert!(
        committed.len() > kills,
        "the writer got some work done ({} writes)",
        committed.len()
    );
    println!(
        "survived {kills} kills with {} committed patients and {} committed session records intact",
        committed.len(),
        sessions.len()
    );
}

#[test]
fn sessions_healing_photos_and_the_register_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let today = chrono::Local::now().date_naive().to_string();
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    open_every_day(&db);
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    let pid = json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Zoë",
        "--last",
        "Park",
        "--dob",
        "1992-03-04",
    ]))["id"]
        .to_string();
    let plan = plan_starting_today(&db, &pid, &today);
    let s1 = plan["sessions"][0]["id"].to_string();
    assert_eq!(plan["sessions"][0]["date"], today.as_str());

    // 5 mm is refused, naming the zone's field; nothing recorded.
    let e = json_err(&boss(&[
        "session",
        "record",
        "--planned",
        &s1,
        "--date",
        &today,
        "--depth",
        "cheeks_chin=5",
        "--device",
        "Pen A6",
    ]));
    assert_eq!(e["field"], "depth.cheeks_chin");
    // Above the ceiling needs --confirm-above-ceiling.
    let e = json_err(&boss(&[
        "session",
        "record",
        "--planned",
        &s1,
        "--date",
        &today,
        "--depth",
        "cheeks_chin=1.5",
        "--device",
        "Pen A6",
    ]));
    assert!(e["message"].as_str().unwrap().contains("confirm"), "{e}");
    let r = json_out(&boss(&[
        "session",
        "record",
        "--planned",
        &s1,
        "--date",
        &today,
        "--depth",
        "cheeks_chin=1.5",
        "--depth",
        "forehead=0.5",
        "--device",
        "Pen A6",
        "--cartridge-lot",
        "CART-9",
        "--glide-lot",
        "HA-1",
        "--confirm-above-ceiling",
        "--notes",
        "Fine",
    ]));
    assert_eq!(r["n"], 1);
    assert_eq!(r["ceiling_confirmed"], true);
    assert_eq!(r["depths"][0]["depth_um"], 1500);
    let rid = r["id"].to_string();

    // An adverse event pauses the plan and says why.
    let h = json_out(&boss(&[
        "session",
        "healing",
        "--session",
        &rid,
        "--redness-days",
        "5",
        "--event",
        "pih",
    ]));
    assert_eq!(
        h["plan"]["status"], "paused",
        "an adverse event pauses the plan"
    );
    assert!(h["record"]["healing"]["decision"]
        .as_str()
        .unwrap()
        .contains("paused"));
    let text = dermis(
        &db,
        &["--user", "boss", "session", "list", "--patient", &pid],
    );
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(
        text.contains("cheeks_chin 1.5 mm (confirmed above chart)")
            && text.contains("Post-inflammatory hyperpigmentation"),
        "{text}"
    );

    // The register as CSV.
    let csv = dir.path().join("events.csv");
    let out = json_out(&boss(&[
        "adverse-events",
        "--kind",
        "pih",
        "--out",
        csv.to_str().unwrap(),
    ]));
    assert_eq!(out["events"], 1);
    let body = std::fs::read_to_string(&csv).unwrap();
    assert!(
        body.starts_with('\u{FEFF}') && body.contains("Zoë") && body.contains("CART-9"),
        "{body}"
    );

    // Photos: a text file is refused and nothing is stored; a PNG is imported.
    let txt = dir.path().join("notes.txt");
    std::fs::write(&txt, "hello").unwrap();
    let e = json_err(&boss(&[
        "photo",
        "import",
        "--patient",
        &pid,
        txt.to_str().unwrap(),
    ]));
    assert_eq!(e["field"], "file");
    assert!(!dir.path().join("photos").exists());
    let png = dir.path().join("face.png");
    image::RgbImage::from_pixel(6, 4, image::Rgb([180, 120, 100]))
        .save(&png)
        .unwrap();
    let p = json_out(&boss(&[
        "photo",
        "import",
        "--patient",
        &pid,
        png.to_str().unwrap(),
        "--area",
        "cheeks",
        "--angle",
        "left",
    ]));
    assert_eq!(
        (p["width"].as_u64(), p["angle"].as_str()),
        (Some(6), Some("left"))
    );
    assert_eq!(
        json_out(&boss(&["photo", "list", "--patient", &pid]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn slow_healing_from_the_command_line_moves_the_next_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let today = chrono::Local::now().date_naive().to_string();
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    open_every_day(&db);
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    let pid = json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Ana",
        "--last",
        "Lee",
        "--dob",
        "1990-01-01",
    ]))["id"]
        .to_string();
    let plan = plan_starting_today(&db, &pid, &today);
    let s1 = plan["sessions"][0]["id"].to_string();
    let before = chrono::NaiveDate::parse_from_str(
        plan["sessions"][1]["date"].as_str().unwrap(),
        "%Y-%m-%d",
    )
    .unwrap();
    let rid = json_out(&boss(&[
        "session",
        "record",
        "--planned",
        &s1,
        "--date",
        &today,
        "--depth",
        "forehead=0.5",
        "--device",
        "Pen",
    ]))["id"]
        .to_string();
    let h = json_out(&boss(&[
        "session",
        "healing",
        "--session",
        &rid,
        "--redness-days",
        "5",
    ]));
    let after = chrono::NaiveDate::parse_from_str(
        h["plan"]["sessions"][1]["date"].as_str().unwrap(),
        "%Y-%m-%d",
    )
    .unwrap();
    assert_eq!(
        after - before,
        chrono::Duration::weeks(1),
        "{before} → {after}"
    );
    assert_eq!(h["plan"]["status"], "active");
    assert!(h["plan"]["rationale"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .contains("redness lasted 5 days"));
}

#[test]
fn export_as_csv_and_json_and_one_patients_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "فاطمة",
        "--last",
        "الزهراء",
        "--dob",
        "1990-01-01",
    ]));
    let folder = dir.path().join("csv");
    let s = json_out(&boss(&[
        "export",
        "--format",
        "csv",
        "--out",
        folder.to_str().unwrap(),
    ]));
    assert_eq!(s["patients"], 1);
    assert!(std::fs::read_to_string(folder.join("patients.csv"))
        .unwrap()
        .contains("فاطمة"));
    let file = dir.path().join("all.json");
    json_out(&boss(&[
        "export",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]));
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["patients"][0]["patient"]["last_name"], "الزهراء");
    let one = dir.path().join("p1.json");
    json_out(&boss(&[
        "patient",
        "export",
        "P-000001",
        "--out",
        one.to_str().unwrap(),
    ]));
    let v: Value = serde_json::from_slice(&std::fs::read(&one).unwrap()).unwrap();
    assert_eq!(v["patient"]["first_name"], "فاطمة");
    let e = json_err(&boss(&["export", "--format", "xml", "--out", "x"]));
    assert_eq!(e["field"], "format");
}

#[test]
fn print_documents_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let today = chrono::Local::now().date_naive().to_string();
    json_out(&dermis(
        &db,
        &[
            "init",
            "--clinic",
            "Clinique Étoile",
            "--admin",
            "boss",
            "--phone",
            "+33 1 23 45 67 89",
            "--json",
        ],
    ));
    open_every_day(&db);
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    let pid = json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "花子",
        "--last",
        "山田",
        "--dob",
        "1990-01-01",
    ]))["id"]
        .to_string();
    let plan = plan_starting_today(&db, &pid, &today);
    let s1 = plan["sessions"][0]["id"].to_string();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let a = json_out(&boss(&[
        "print",
        "aftercare",
        "--session",
        &s1,
        "--out",
        &out("a.pdf"),
    ]));
    assert_eq!(a["pages"], 1);
    let b = json_out(&boss(&[
        "print",
        "aftercare",
        "--patient",
        "P-000001",
        "--date",
        &today,
        "--out",
        &out("b.pdf"),
    ]));
    assert_eq!(b["pages"], 1);
    assert_eq!(
        std::fs::read(out("a.pdf")).unwrap(),
        std::fs::read(out("b.pdf")).unwrap(),
        "the same sheet either way"
    );
    json_out(&boss(&[
        "print",
        "schedule",
        "--patient",
        &pid,
        "--out",
        &out("s.pdf"),
    ]));
    json_out(&boss(&[
        "print",
        "summary",
        "--patient",
        &pid,
        "--out",
        &out("p.pdf"),
    ]));
    let t = json_out(&boss(&["print", "today", "--out", &out("t.pdf")]));
    assert_eq!(t["patients"], 1);
    let text = std::process::Command::new("pdftotext")
        .args([&out("t.pdf"), "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("山田花子"));
    let e = json_err(&boss(&[
        "print",
        "today",
        "--date",
        "2001-01-01",
        "--out",
        &out("x.pdf"),
    ]));
    assert_eq!(e["field"], "date");
    assert!(!dir.path().join("x.pdf").exists());
}

/// `dermis … | head` used to panic ("failed printing to stdout") once the
/// reader had gone: the output now ends quietly.
#[test]
fn a_closed_pipe_ends_the_output_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let mut child = Command::new(env!("CARGO_BIN_EXE_dermis"))
        .args(["--db", db.to_str().unwrap(), "--user", "boss", "--json"])
        .args(["patient", "search", "lee"])
        .env("DERMIS_PASSWORD", "correct horse battery")
        .env_remove("DERMIS_USER")
        .env_remove("DERMIS_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before anything is written (sign-in takes a while).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// The sign-in password can come from a file descriptor (nothing in the
/// environment or the process list), and the own-password change works.
#[cfg(unix)]
#[test]
fn passwords_from_a_file_descriptor_and_changing_your_own() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let current = dir.path().join("current");
    let new = dir.path().join("new");
    std::fs::write(&current, "correct horse battery\n").unwrap();
    std::fs::write(&new, "amber falcon ribbon cactus\n").unwrap();
    let sh = |script: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("DB", &db)
            .env("BIN", env!("CARGO_BIN_EXE_dermis"))
            .env("CUR", &current)
            .env("NEW", &new)
            .env_remove("DERMIS_PASSWORD")
            .env_remove("DERMIS_NEW_PASSWORD")
            .env_remove("DERMIS_USER")
            .output()
            .unwrap()
    };
    let changed = sh(
        "\"$BIN\" --db \"$DB\" --user boss --json --password-fd 3 --new-password-fd 4 user password 3<\"$CUR\" 4<\"$NEW\"",
    );
    assert_eq!(json_out(&changed)["password_changed"], "boss");
    let with_new = sh(
        "\"$BIN\" --db \"$DB\" --user boss --json --password-fd 3 patient search lee 3<\"$NEW\"",
    );
    json_out(&with_new);
    let with_old = sh(
        "\"$BIN\" --db \"$DB\" --user boss --json --password-fd 3 patient search lee 3<\"$CUR\"",
    );
    assert_eq!(json_err(&with_old)["code"], "forbidden");
}

/// A PNG that claims `w` × `h` RGB pixels, all zero, compressed by hand (a
/// fixed-Huffman deflate stream of 258-byte repeats): a few megabytes that
/// decode to gigabytes, the "decompression bomb".
fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, v: u32, len: u32) {
            self.acc |= (v as u64) << self.n;
            self.n += len;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code goes most significant bit first.
        fn code(&mut self, v: u32, len: u32) {
            let mut r = 0;
            for i in 0..len {
                r |= ((v >> i) & 1) << (len - 1 - i);
            }
            self.put(r, len);
        }
    }
    let total = h as u64 * (1 + w as u64 * 3);
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0
    let mut left = total - 1;
    while left >= 258 {
        b.code(0b1100_0101, 8); // length 258
        b.code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block
    if b.n > 0 {
        b.out.push(b.acc as u8);
    }
    let adler = (((total % 65521) as u32) << 16) | 1;
    b.out.extend_from_slice(&adler.to_be_bytes());
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(data);
        out.extend_from_slice(&c);
        out.extend_from_slice(&crc32(&c).to_be_bytes());
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &b.out);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Runs `dermis ARGS` on `db` as boss and waits for exactly that child with
/// `wait4`, which reports its own peak resident memory (KiB on Linux).
#[cfg(unix)]
// The child is reaped by `wait4` itself, which `Child::wait` cannot report on.
#[allow(clippy::zombie_processes)]
fn run_measuring_memory(db: &Path, args: &[&str]) -> (i32, u64, String) {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dermis"))
        .args([&["--db", db.to_str().unwrap(), "--user", "boss"][..], args].concat())
        .env("DERMIS_PASSWORD", "correct horse battery")
        .env_remove("DERMIS_USER")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).unwrap();
        s
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    (
        libc::WEXITSTATUS(status),
        usage.ru_maxrss as u64,
        reader.join().unwrap(),
    )
}

#[cfg(unix)]
#[test]
fn a_decompression_bomb_is_refused_with_memory_under_300_mb() {
    let small = png_bomb(64, 32);
    let img = image::load_from_memory(&small).unwrap();
    assert_eq!(
        (img.width(), img.height()),
        (64, 32),
        "the generator makes real PNGs"
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    json_out(&dermis(
        &db,
        &[
            "--user",
            "boss",
            "--json",
            "patient",
            "add",
            "--first",
            "Ann",
            "--last",
            "Lee",
            "--dob",
            "1990-01-01",
        ],
    ));
    // 16000 × 16000 RGB: 768 MB of pixels in a file of a few MB.
    let bomb = dir.path().join("bomb.png");
    std::fs::write(&bomb, png_bomb(16_000, 16_000)).unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 10_000_000);
    let (code, max_kib, err) = run_measuring_memory(
        &db,
        &["photo", "import", "--patient", "1", bomb.to_str().unwrap()],
    );
    assert_ne!(code, 0, "the bomb was imported");
    assert!(err.contains("too large a picture"), "{err}");
    let mb = max_kib / 1024;
    println!("peak memory of the refused import: {mb} MB");
    assert!(mb < 300, "the import took {mb} MB");
}

/// A restore killed with SIGKILL at random moments of a 10,000-patient clinic
/// with photos: after each kill, the next start leaves either the old clinic
/// or the new one, whole (integrity, audit chain), and the new one always
/// carries its `restore` audit entry.
#[cfg(unix)]
#[test]
fn a_restore_killed_at_random_moments_leaves_the_old_or_the_new_clinic_whole() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let live_dir = dir.path().join("live");
    let db = live_dir.join("clinic.db");
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    json_out(&boss(&["demo", "--patients", "10000"]));
    for (i, rgb) in [[200u8, 10, 10], [10, 200, 10]].into_iter().enumerate() {
        let f = dir.path().join(format!("p{i}.png"));
        image::RgbImage::from_pixel(32, 24, image::Rgb(rgb))
            .save(&f)
            .unwrap();
        json_out(&boss(&[
            "photo",
            "import",
            "--patient",
            &(i + 1).to_string(),
            f.to_str().unwrap(),
        ]));
    }
    let backup = dir.path().join("usb/b.db");
    json_out(&boss(&["backup", "--out", backup.to_str().unwrap()]));
    // The old clinic: one patient more than the backup.
    json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Only",
        "--last",
        "Old",
        "--dob",
        "1990-01-01",
    ]));
    // The old clinic as it is on disk: the database with its audit key and
    // anchor beside it (the files of the data folder, photos aside).
    let pristine = dir.path().join("pristine");
    std::fs::create_dir_all(&pristine).unwrap();
    for e in std::fs::read_dir(&live_dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file()
            && !p.to_string_lossy().ends_with("-wal")
            && !p.to_string_lossy().ends_with("-shm")
        {
            std::fs::copy(&p, pristine.join(p.file_name().unwrap())).unwrap();
        }
    }
    let reset = || {
        for e in std::fs::read_dir(&live_dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::remove_file(&p).unwrap();
            }
        }
        for e in std::fs::read_dir(&pristine).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, live_dir.join(p.file_name().unwrap())).unwrap();
        }
    };
    let restore = || {
        Command::new(env!("CARGO_BIN_EXE_dermis"))
            .args([
                "--db",
                db.to_str().unwrap(),
                "--user",
                "boss",
                "restore",
                "--yes",
                "--from",
            ])
            .arg(&backup)
            .env("DERMIS_PASSWORD", "correct horse battery")
            .env_remove("DERMIS_USER")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole restore takes here; kills land anywhere in it.
    let t0 = std::time::Instant::now();
    assert!(restore().wait().unwrap().success());
    let full = t0.elapsed().as_millis() as u64;
    let (mut old, mut new) = (0, 0);
    let mut seed: u64 = 0xC0FFEE;
    for round in 0..12 {
        reset();
        let mut child = restore();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Every other kill in the last third, where the swap happens.
        let at = if round % 2 == 0 {
            seed % (full + 1)
        } else {
            full * 2 / 3 + seed % (full / 3 + full / 10 + 1)
        };
        std::thread::sleep(std::time::Duration::from_millis(at));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        // The next start finishes or forgets the swap.
        let verify = boss(&["audit", "verify"]);
        assert!(
            verify.status.success(),
            "after kill {round}: {}",
            String::from_utf8_lossy(&verify.stderr)
        );
        let conn = rusqlite::Connection::open(&db).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "after kill {round}");
        let patients: i64 = conn
            .query_row("SELECT count(*) FROM patients", [], |r| r.get(0))
            .unwrap();
        let restores: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = 'restore' AND detail LIKE '%b.db%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let photos: i64 = conn
            .query_row("SELECT count(*) FROM photos", [], |r| r.get(0))
            .unwrap();
        assert_eq!(photos, 2, "after kill {round}");
        match patients {
            10_001 => {
                assert_eq!(
                    restores, 0,
                    "after kill {round}: the old clinic with a restore entry"
                );
                old += 1;
            }
            10_000 => {
                assert_eq!(
                    restores, 1,
                    "after kill {round}: a restore without its audit entry"
                );
                new += 1;
            }
            n => panic!("after kill {round}: neither the old nor the new clinic ({n} patients)"),
        }
        assert!(
            !live_dir.join("clinic.db.restore-journal").exists(),
            "after kill {round}: the swap was left pending"
        );
    }
    println!("12 kills over a {full} ms restore: {old} left the old clinic, {new} the new one");
}

#[test]
fn print_in_the_patients_language_or_the_one_given_with_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let today = chrono::Local::now().date_naive().to_string();
    json_out(&dermis(
        &db,
        &[
            "init",
            "--clinic",
            "Clinique Étoile",
            "--admin",
            "boss",
            "--json",
        ],
    ));
    open_every_day(&db);
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    let pid = json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Amélie",
        "--last",
        "Lefèvre",
        "--dob",
        "1990-01-01",
        "--language",
        "fr",
    ]))["id"]
        .to_string();
    plan_starting_today(&db, &pid, &today);
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let text = |name: &str| {
        let o = std::process::Command::new("pdftotext")
            .args([&out(name), "-"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let fr = json_out(&boss(&[
        "print",
        "schedule",
        "--patient",
        &pid,
        "--out",
        &out("fr.pdf"),
    ]));
    assert_eq!(fr["language"], "fr");
    assert!(text("fr.pdf").contains("Le calendrier de votre traitement"));
    let ar = json_out(&boss(&[
        "print",
        "aftercare",
        "--patient",
        &pid,
        "--date",
        &today,
        "--out",
        &out("ar.pdf"),
        "--language",
        "ar",
    ]));
    assert_eq!(ar["language"], "ar");
    assert!(text("ar.pdf").contains("العناية بعد"));
    let e = json_err(&boss(&[
        "print",
        "summary",
        "--patient",
        &pid,
        "--out",
        &out("x.pdf"),
        "--language",
        "tlh",
    ]));
    assert_eq!(e["field"], "language");
    assert!(!dir.path().join("x.pdf").exists());

    // patient edit --language: a language without documents falls back, and says so.
    let p = json_out(&boss(&["patient", "edit", &pid, "--language", "ko"]));
    assert_eq!(p["preferred_language"], "ko");
    assert_eq!(p["first_name"], "Amélie", "other fields kept");
    let ko = json_out(&boss(&[
        "print",
        "schedule",
        "--patient",
        &pid,
        "--out",
        &out("ko.pdf"),
    ]));
    assert_eq!(ko["language"], "en");
    assert!(
        ko["language_note"].as_str().unwrap().contains("한국어"),
        "{ko}"
    );
}

#[test]
fn lots_trace_and_recalls_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let today = chrono::Local::now().date_naive().to_string();
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    open_every_day(&db);
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    let pid = json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Zoë",
        "--last",
        "Park",
        "--dob",
        "1992-03-04",
        "--phone",
        "+44 20 7946 0001",
    ]))["id"]
        .to_string();
    let plan = plan_starting_today(&db, &pid, &today);
    let s1 = plan["sessions"][0]["id"].to_string();
    json_out(&boss(&[
        "session",
        "record",
        "--planned",
        &s1,
        "--date",
        &today,
        "--depth",
        "cheeks_chin=1.0",
        "--device",
        "Pen A6",
        "--cartridge-lot",
        "CART-9",
        "--glide-lot",
        "HA-1",
    ]));

    let rows = json_out(&boss(&["lots", "trace", "--lot", " cart-9 "]));
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["first_name"], "Zoë");
    assert_eq!(rows[0]["phone"], "+44 20 7946 0001");
    assert_eq!(rows[0]["session_date"], today.as_str());
    assert_eq!(rows[0]["matched"], serde_json::json!(["cartridge"]));
    // Both ends of the range are inclusive; a range without the day finds nothing.
    let inside = json_out(&boss(&[
        "lots", "trace", "--lot", "CART-9", "--from", &today, "--to", &today,
    ]));
    assert_eq!(inside.as_array().unwrap().len(), 1);
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).to_string();
    let after = json_out(&boss(&[
        "lots", "trace", "--lot", "CART-9", "--from", &tomorrow,
    ]));
    assert!(after.as_array().unwrap().is_empty());

    let csv = dir.path().join("trace.csv");
    let w = json_out(&boss(&[
        "lots",
        "trace",
        "--lot",
        "CART-9",
        "--out",
        csv.to_str().unwrap(),
    ]));
    assert_eq!(w["sessions"], 1);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("Park,Zoë,+44 20 7946 0001"), "{text}");
    let pdf = dir.path().join("letters.pdf");
    let p = json_out(&boss(&[
        "lots",
        "trace",
        "--lot",
        "CART-9",
        "--pdf",
        pdf.to_str().unwrap(),
    ]));
    assert_eq!(p["patients"], 1);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    let e = json_err(&boss(&["lots", "trace", "--lot", "\u{200B}"]));
    assert_eq!(e["field"], "lot");

    // The recall list (the plan's recalls are months away: none due this week).
    let list = json_out(&boss(&["recalls"]));
    assert!(list["calls"].as_array().unwrap().is_empty(), "{list}");
    assert!(list["week_end"].as_str().unwrap() >= today.as_str());
    let e = json_err(&boss(&[
        "recalls",
        "contact",
        "--recall",
        "1",
        "--outcome",
        "maybe",
    ]));
    assert_eq!(e["field"], "outcome");
    let e = json_err(&boss(&[
        "recalls",
        "contact",
        "--recall",
        "999999",
        "--outcome",
        "no-answer",
    ]));
    assert_eq!(e["code"], "not_found");
}

#[test]
fn patient_merge_moves_the_duplicate_and_refuses_what_it_must() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    let add = |first: &str, extra: &[&str]| {
        let base = [
            "patient",
            "add",
            "--first",
            first,
            "--last",
            "Testova",
            "--dob",
            "1991-02-28",
            "--not-duplicate",
        ];
        json_out(&boss(&[&base[..], extra].concat()))
    };
    add("Zoë", &[]);
    add("Zoe", &["--phone", "+420 601 234 567"]);
    json_out(&boss(&["screening", "record", "--patient", "2"]));

    // Without --yes and no terminal to ask: nothing happens.
    let o = boss(&["patient", "merge", "P-000001", "P-000002"]);
    assert_eq!(json_err(&o)["field"], "yes");
    let r = json_out(&boss(&[
        "patient", "merge", "P-000001", "P-000002", "--yes",
    ]));
    assert_eq!(r["kept_number"], "P-000001");
    assert_eq!(r["merged_number"], "P-000002");
    assert_eq!(
        r["moved"],
        serde_json::json!([{"what": "screenings", "count": 1}])
    );
    assert_eq!(r["filled"], serde_json::json!(["phone"]));

    let shown = json_out(&boss(&["patient", "show", "P-000002"]));
    assert_eq!(shown["merged_into_number"], "P-000001");
    assert_eq!(shown["archived"], true);
    let found = json_out(&boss(&["patient", "search", "testova", "--archived"]));
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["patient_number"], "P-000001");

    // Again: the duplicate is merged already. Into itself: refused.
    let again = boss(&["patient", "merge", "P-000001", "P-000002", "--yes"]);
    assert_eq!(again.status.code(), Some(5), "conflict");
    assert!(json_err(&again)["message"]
        .as_str()
        .unwrap()
        .contains("already merged into P-000001"));
    let itself = json_err(&boss(&[
        "patient", "merge", "P-000001", "P-000001", "--yes",
    ]));
    assert!(itself["message"].as_str().unwrap().contains("into itself"));

    // Human output says what moved.
    add("Zoey", &[]);
    let human = dermis(
        &db,
        &[
            "--user", "boss", "patient", "merge", "1", "P-000003", "--yes",
        ],
    );
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("P-000003 was merged into P-000001. Moved: nothing recorded."),
        "{text}"
    );
}

#[test]
fn consent_templates_sign_print_and_revoke_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    let templates = json_out(&boss(&["consent", "templates"]));
    assert_eq!(templates[0]["key"], "microneedling");
    assert_eq!(templates[0]["version"], 1);
    let pid = json_out(&boss(&[
        "patient",
        "add",
        "--first",
        "Zoë",
        "--last",
        "Park",
        "--dob",
        "1992-03-04",
    ]))["id"]
        .to_string();
    let c = sign_consent(&db, &pid);
    let id = c["id"].to_string();
    assert_eq!(c["status"], "signed");
    assert_eq!(c["photo_uses"]["record"], true);
    assert_eq!(c["photo_uses"]["marketing"], false);
    assert_eq!(c["signature"]["strokes"][1][1][0], 380.0);
    let out = dir.path().join("consent.pdf");
    let printed = json_out(&boss(&[
        "print",
        "consent",
        "--consent",
        &id,
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(printed["pages"].as_u64().unwrap() >= 1);
    let text = std::process::Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Zoë Park") && text.contains("microneedling, version 1"),
        "{text}"
    );
    // A signature file that is not one is refused, naming the field.
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, r#"{"strokes": [[[1e999, 2]]]}"#).unwrap();
    let e = json_err(&boss(&[
        "consent",
        "sign",
        "--patient",
        &pid,
        "--signature",
        junk.to_str().unwrap(),
    ]));
    assert_eq!(e["field"], "signature");
    std::fs::write(&junk, r#"{"strokes": []}"#).unwrap();
    let e = json_err(&boss(&[
        "consent",
        "sign",
        "--patient",
        &pid,
        "--signature",
        junk.to_str().unwrap(),
    ]));
    assert_eq!(e["field"], "signature");
    let revoked = json_out(&boss(&[
        "consent",
        "revoke",
        "--consent",
        &id,
        "--reason",
        "Changed her mind",
    ]));
    assert_eq!(revoked["status"], "revoked");
    let list = json_out(&boss(&["consent", "list", "--patient", &pid]));
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn appointments_rooms_and_the_calendar_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    json_out(&dermis(
        &db,
        &["init", "--clinic", "C", "--admin", "boss", "--json"],
    ));
    open_every_day(&db);
    let boss = |args: &[&str]| dermis(&db, &[&["--user", "boss", "--json"][..], args].concat());
    assert_eq!(
        json_out(&boss(&["rooms", "add", "Room 1"]))["name"],
        "Room 1"
    );
    json_out(&boss(&["rooms", "add", "Laser suite"]));
    let dup = json_err(&boss(&["rooms", "add", "room 1"]));
    assert_eq!(dup["field"], "name");
    let rooms = json_out(&boss(&["rooms", "list"]));
    assert_eq!(rooms.as_array().unwrap().len(), 2);
    for (first, dob) in [("Ann", "1990-01-01"), ("Bo", "1985-02-02")] {
        json_out(&boss(&[
            "patient", "add", "--first", first, "--last", "Lee", "--dob", dob,
        ]));
    }
    // tomorrow, whatever day the test runs (the clinic is open every day)
    let day = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).to_string();
    let booked = json_out(&boss(&[
        "appointment",
        "book",
        "--patient",
        "P-000001",
        "--date",
        &day,
        "--time",
        "10:00",
        "--minutes",
        "30",
        "--practitioner",
        "boss",
        "--room",
        "Room 1",
        "--kind",
        "consultation",
    ]));
    assert_eq!(booked["time"], "10:00");
    assert_eq!(booked["minutes"], 30);
    assert_eq!(booked["kind"], "consultation");
    assert_eq!(booked["patient_number"], "P-000001");
    assert_eq!(booked["room_name"], "Room 1");
    let id = booked["key"]["appointment"].as_i64().unwrap().to_string();
    // the same practitioner at 10:15 in another room: refused, naming the other booking by number
    let clash = json_err(&boss(&[
        "appointment",
        "book",
        "--patient",
        "P-000002",
        "--date",
        &day,
        "--time",
        "10:15",
        "--practitioner",
        "boss",
        "--room",
        "laser suite",
        "--kind",
        "review",
    ]));
    assert_eq!(clash["code"], "conflict");
    let m = clash["message"].as_str().unwrap();
    assert!(
        m.contains("already has P-000001 from 10:00 to 10:30"),
        "{m}"
    );
    assert!(m.contains("at 10:30."), "{m}");
    assert!(!m.contains("Ann"), "{m}");
    // an unknown practitioner or room is named
    let nobody = json_err(&boss(&[
        "appointment",
        "book",
        "--patient",
        "P-000002",
        "--date",
        &day,
        "--time",
        "12:00",
        "--practitioner",
        "zed",
        "--room",
        "Room 1",
    ]));
    assert_eq!(nobody["field"], "practitioner");
    // move it, then read the calendar
    let moved = json_out(&boss(&[
        "appointment",
        "move",
        "--id",
        &id,
        "--time",
        "11:00",
        "--room",
        "Laser suite",
    ]));
    assert_eq!(
        (moved["time"].as_str(), moved["room_name"].as_str()),
        (Some("11:00"), Some("Laser suite"))
    );
    let cal = json_out(&boss(&["calendar", "--from", &day, "--to", &day]));
    let rows = cal.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["practitioner_name"], "boss");
    assert_eq!(rows[0]["minutes"], 30);
    let human = dermis(
        &db,
        &["--user", "boss", "calendar", "--from", &day, "--to", &day],
    );
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("11:00") && text.contains("P-000001") && text.contains("Laser suite"),
        "{text}"
    );
    // cancel: the calendar is empty and the slot is free again
    json_out(&boss(&["appointment", "cancel", "--id", &id]));
    assert_eq!(
        json_out(&boss(&["calendar", "--from", &day, "--to", &day])),
        serde_json::json!([])
    );
    json_out(&boss(&[
        "appointment",
        "book",
        "--patient",
        "P-000002",
        "--date",
        &day,
        "--time",
        "11:00",
        "--practitioner",
        "boss",
        "--room",
        "Laser suite",
        "--kind",
        "review",
    ]));
    // retiring a room keeps it listed as retired
    let retired = json_out(&boss(&["rooms", "retire", "Room 1"]));
    assert_eq!(retired["active"], false);
}
