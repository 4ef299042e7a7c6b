//! The `dermis` binary as a script would use it: one JSON document on stdout
//! with `--json`, errors on stderr in the `{code, message, field}` shape with a
//! non-zero exit code.

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

/// Screens (all clear) and assesses patient `pid` as the first account, and
/// accepts a plan starting `today`; the plan as JSON.
fn plan_starting_today(db: &Path, pid: &str, today: &str) -> Value {
    let boss = |args: &[&str]| dermis(db, &[&["--user", "boss", "--json"][..], args].concat());
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

fn json_out(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn json_err(o: &Output) -> Value {
    assert!(!o.status.success());
    assert!(o.stdout.is_empty(), "nothing on stdout on error");
    serde_json::from_slice(&o.stderr).unwrap()
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
    assert_eq!(report["password"], "dermis-demo");
    assert_eq!(
        report["plans_added"], 60,
        "the first 60 patients get a screening, an assessment and a plan"
    );
    // Signed in with the demo account, names in other scripts are there to find.
    for q in ["王", "م", "γ", "и"] {
        let found = run(
            &[("DERMIS_PASSWORD", Some("dermis-demo"))],
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
            ("DERMIS_NEW_PASSWORD", Some("front desk password")),
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
            &[("DERMIS_PASSWORD", Some("front desk password"))],
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
    assert_eq!(v["first_broken_entry"], 3);

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
        let reader = std::thread::spawn(move || {
            let (mut patients, mut sessions) = (Vec::new(), Vec::new());
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
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
        std::thread::sleep(std::time::Duration::from_millis(80 + seed % 250));
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
