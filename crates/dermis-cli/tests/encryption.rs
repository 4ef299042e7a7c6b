//! Encrypted clinics from the command line (issue 21): `init --encrypt`,
//! every command with `--user` and the password, the lockout before the
//! database can be read, accounts' wraps following the accounts, `recover`,
//! encrypted backups restored on a new PC, and `dermis encrypt` of a
//! plaintext clinic surviving a SIGKILL at any point.

mod common;
use common::{json_err, json_out};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ADMIN_PW: &str = "correct horse battery";
const DESK_PW: &str = "quiet otter marble lantern";
/// A surname no SQLite page holds by chance.
const NAME: &str = "Quillfeatherby";

fn run(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dermis"));
    cmd.args(args)
        .env_remove("DERMIS_USER")
        .env_remove("DERMIS_DB")
        .env_remove("DERMIS_PASSWORD")
        .env_remove("DERMIS_NEW_PASSWORD")
        .env_remove("DERMIS_RECOVERY_KEY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// `dermis --db DB --user USER --json ARGS` with `password`.
fn as_user(db: &Path, user: &str, password: &str, args: &[&str]) -> Output {
    run(
        &[("DERMIS_PASSWORD", password)],
        &[
            &["--db", db.to_str().unwrap(), "--user", user, "--json"][..],
            args,
        ]
        .concat(),
    )
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_default()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_unreadable(p: &Path) {
    let b = bytes(p);
    assert!(!b.is_empty(), "{} is empty", p.display());
    assert!(
        !contains(&b, b"SQLite format 3"),
        "{} has the SQLite header",
        p.display()
    );
    assert!(
        !contains(&b, NAME.as_bytes()),
        "{} holds a patient's name",
        p.display()
    );
}

/// A new encrypted clinic with one patient; returns the recovery key.
fn encrypted_clinic(db: &Path) -> String {
    let out = json_out(&run(
        &[("DERMIS_PASSWORD", ADMIN_PW)],
        &[
            "--db",
            db.to_str().unwrap(),
            "--json",
            "init",
            "--encrypt",
            "--clinic",
            "Skin Studio",
            "--admin",
            "admin",
        ],
    ));
    assert_eq!(out["encrypted"], true);
    let key = out["recovery_key"].as_str().unwrap().to_string();
    json_out(&as_user(
        db,
        "admin",
        ADMIN_PW,
        &[
            "patient",
            "add",
            "--first",
            "Zora",
            "--last",
            NAME,
            "--dob",
            "1980-02-03",
        ],
    ));
    key
}

fn search(db: &Path, user: &str, pw: &str) -> Output {
    as_user(db, user, pw, &["patient", "search", NAME])
}

fn found(o: &Output) -> usize {
    let v = json_out(o);
    v["items"]
        .as_array()
        .or_else(|| v.as_array())
        .map_or(0, Vec::len)
}

#[test]
fn an_encrypted_clinic_works_with_the_password_and_its_file_reads_as_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let key = encrypted_clinic(&db);
    // Shown once as 8 groups of 4 base32 characters; stored nowhere in the clear.
    assert_eq!(key.split('-').count(), 8, "{key}");
    for f in std::fs::read_dir(dir.path()).unwrap() {
        let b = bytes(&f.unwrap().path());
        assert!(!contains(&b, key.as_bytes()));
        assert!(!contains(&b, key.replace('-', "").as_bytes()));
    }
    assert_eq!(found(&search(&db, "admin", ADMIN_PW)), 1);
    assert_unreadable(&db);
    assert!(dir.path().join("dermis.db.keys").is_file());
    // A wrong password opens nothing and says so in the usual shape.
    let e = json_err(&search(&db, "admin", "correct horse batterY"));
    assert_eq!(e["code"], "forbidden");
    // A plaintext open of the file is refused with a sentence, not a crash.
    let plain = run(
        &[],
        &[
            "--db",
            db.to_str().unwrap(),
            "--json",
            "init",
            "--clinic",
            "X",
            "--admin",
            "x",
        ],
    );
    assert!(!plain.status.success());
    assert_eq!(bytes(&db).len() % 4096, 0);
    // A damaged key file: a sentence naming it, not a panic; nothing opens.
    let keys = dir.path().join("dermis.db.keys");
    let good = bytes(&keys);
    std::fs::write(&keys, &good[..good.len() / 2]).unwrap();
    let e = json_err(&search(&db, "admin", ADMIN_PW));
    assert_eq!(e["code"], "io");
    assert!(e["message"].as_str().unwrap().contains("key file"), "{e}");
    // Missing altogether: the file no longer looks encrypted to Dermis, and
    // a plaintext open of it fails instead of making a new clinic over it.
    std::fs::remove_file(&keys).unwrap();
    assert!(!search(&db, "admin", ADMIN_PW).status.success());
    std::fs::write(&keys, &good).unwrap();
    assert_eq!(found(&search(&db, "admin", ADMIN_PW)), 1);
}

#[test]
fn wrong_passwords_count_toward_the_lockout_before_the_database_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    encrypted_clinic(&db);
    for _ in 0..5 {
        let e = json_err(&search(&db, "admin", "wrong wrong wrong"));
        assert_eq!(e["code"], "forbidden");
    }
    // The right password is refused now too, for the lockout window.
    let o = search(&db, "admin", ADMIN_PW);
    assert_eq!(
        o.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json_err(&o)["code"], "locked");
    // A name that is no account: counted under a keyed hash, never its text.
    for _ in 0..2 {
        json_err(&search(&db, "my-secret-typo", "wrong wrong wrong"));
    }
    let signin = bytes(&dir.path().join("dermis.db.signin"));
    assert!(!contains(&signin, b"my-secret-typo"));
    assert!(contains(&signin, b"name:"));
}

#[test]
fn failed_unlocks_reach_the_audit_log_at_the_next_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    encrypted_clinic(&db);
    for _ in 0..2 {
        json_err(&search(&db, "admin", "wrong wrong wrong"));
    }
    assert_eq!(found(&search(&db, "admin", ADMIN_PW)), 1);
    assert!(!dir.path().join("dermis.db.signin").exists());
    let csv = dir.path().join("audit.csv");
    json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["audit", "export", "--out", csv.to_str().unwrap()],
    ));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.matches("login.failed").count(), 2, "{text}");
    assert!(text.contains("before_unlock"));
}

#[test]
fn each_account_unwraps_the_same_key_and_the_wraps_follow_the_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    encrypted_clinic(&db);
    json_out(&run(
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", DESK_PW),
        ],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "admin",
            "--json",
            "user",
            "add",
            "--name",
            "desk",
            "--role",
            "receptionist",
        ],
    ));
    assert_eq!(found(&search(&db, "desk", DESK_PW)), 1);
    // The admin resets desk's password: the old one opens nothing now.
    let new_pw = "violet kettle pine harbour";
    json_out(&run(
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_NEW_PASSWORD", new_pw),
        ],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "admin",
            "--json",
            "user",
            "reset-password",
            "--name",
            "desk",
        ],
    ));
    json_err(&search(&db, "desk", DESK_PW));
    assert_eq!(found(&search(&db, "desk", new_pw)), 1);
    // Desk changes their own password: re-wrapped again.
    let own = "amber socket willow ferry";
    json_out(&run(
        &[("DERMIS_PASSWORD", new_pw), ("DERMIS_NEW_PASSWORD", own)],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "desk",
            "--json",
            "user",
            "password",
        ],
    ));
    json_err(&search(&db, "desk", new_pw));
    assert_eq!(found(&search(&db, "desk", own)), 1);
    // Deactivated: their wrap is gone from the key file.
    json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["user", "deactivate", "--name", "desk"],
    ));
    let keys: Value = serde_json::from_slice(&bytes(&dir.path().join("dermis.db.keys"))).unwrap();
    let names: Vec<&str> = keys["wraps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["username"].as_str())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(names, vec!["admin"]);
    assert_eq!(json_err(&search(&db, "desk", own))["code"], "forbidden");
}

#[test]
fn the_recovery_key_sets_a_new_password_and_the_old_one_then_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let key = encrypted_clinic(&db);
    let new_pw = "violet kettle pine harbour";
    let recover = |k: &str| {
        run(
            &[("DERMIS_NEW_PASSWORD", new_pw)],
            &[
                "--db",
                db.to_str().unwrap(),
                "--user",
                "admin",
                "--json",
                "recover",
                "--recovery-key",
                k,
            ],
        )
    };
    // A wrong key changes nothing.
    let mut wrong = key.clone();
    let last = if wrong.ends_with('0') { "1" } else { "0" };
    wrong.replace_range(wrong.len() - 1.., last);
    assert_eq!(json_err(&recover(&wrong))["code"], "forbidden");
    assert_eq!(found(&search(&db, "admin", ADMIN_PW)), 1);
    // Typed in lower case with spaces, it works.
    let typed = key.to_lowercase().replace('-', " ");
    assert_eq!(json_out(&recover(&typed))["recovered"], "admin");
    assert_eq!(
        json_err(&search(&db, "admin", ADMIN_PW))["code"],
        "forbidden"
    );
    assert_eq!(found(&search(&db, "admin", new_pw)), 1);
}

#[test]
fn an_encrypted_backup_restores_on_a_new_pc_with_a_password_or_the_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic").join("dermis.db");
    let key = encrypted_clinic(&db);
    let backup = dir.path().join("stick").join("b.db");
    json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    assert_unreadable(&backup);
    assert!(dir.path().join("stick").join("b.db.keys").is_file());
    // Restoring over the encrypted clinic itself is refused (it would leave
    // a plaintext database): the clinic stays encrypted, its data as it was.
    let e = json_err(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["restore", "--from", backup.to_str().unwrap(), "--yes"],
    ));
    assert_eq!(e["code"], "validation", "{e}");
    assert_unreadable(&db);
    assert!(dermis_clinic::keys::is_encrypted(&db));
    assert_eq!(found(&search(&db, "admin", ADMIN_PW)), 1);
    // A new PC, the admin's password.
    let pc1 = dir.path().join("pc1").join("dermis.db");
    let r = json_out(&as_user(
        &pc1,
        "admin",
        ADMIN_PW,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert_eq!(r["patients"], 1);
    assert_unreadable(&pc1);
    assert_eq!(found(&search(&pc1, "admin", ADMIN_PW)), 1);
    let v = json_out(&as_user(&pc1, "admin", ADMIN_PW, &["audit", "verify"]));
    assert_eq!(v["intact"], true, "{v}");
    // A wrong password restores nothing.
    let pc2 = dir.path().join("pc2").join("dermis.db");
    json_err(&as_user(
        &pc2,
        "admin",
        "wrong wrong wrong",
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(!pc2.exists() || bytes(&pc2).is_empty());
    // Another new PC, the recovery key (and a new password for the admin).
    let new_pw = "violet kettle pine harbour";
    json_out(&run(
        &[
            ("DERMIS_RECOVERY_KEY", &key),
            ("DERMIS_NEW_PASSWORD", new_pw),
        ],
        &[
            "--db",
            pc2.to_str().unwrap(),
            "--user",
            "admin",
            "--json",
            "restore",
            "--from",
            backup.to_str().unwrap(),
        ],
    ));
    assert_eq!(found(&search(&pc2, "admin", new_pw)), 1);
    json_err(&search(&pc2, "admin", ADMIN_PW));
}

/// A plaintext clinic with `n` patients and a second account.
fn plaintext_clinic(db: &Path, n: usize) {
    json_out(&run(
        &[("DERMIS_PASSWORD", ADMIN_PW)],
        &[
            "--db",
            db.to_str().unwrap(),
            "--json",
            "init",
            "--clinic",
            "Plain",
            "--admin",
            "admin",
        ],
    ));
    for i in 0..n {
        json_out(&as_user(
            db,
            "admin",
            ADMIN_PW,
            &[
                "patient",
                "add",
                "--first",
                &format!("Zora{i}"),
                "--last",
                NAME,
                "--dob",
                "1980-02-03",
            ],
        ));
    }
}

#[test]
fn dermis_encrypt_converts_a_plaintext_clinic_and_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    plaintext_clinic(&db, 3);
    assert!(contains(&bytes(&db), NAME.as_bytes()) || dir.path().join("dermis.db-wal").exists());
    let before = json_out(&as_user(&db, "admin", ADMIN_PW, &["audit", "verify"]));
    let r = json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["encrypt", "--remove-plaintext", "--yes"],
    ));
    assert_eq!(r["patients"], 3);
    assert!(r["recovery_key"].as_str().unwrap().len() >= 39);
    assert_unreadable(&db);
    // The plaintext backup made first was removed on request.
    assert_eq!(r["removed"].as_array().unwrap().len(), 1, "{r}");
    assert!(!Path::new(r["plaintext_backup"].as_str().unwrap()).exists());
    for f in std::fs::read_dir(dir.path().join("backups")).unwrap() {
        let p = f.unwrap().path();
        assert!(!contains(&bytes(&p), NAME.as_bytes()), "{}", p.display());
    }
    assert_eq!(found(&search(&db, "admin", ADMIN_PW)), 3);
    let after = json_out(&as_user(&db, "admin", ADMIN_PW, &["audit", "verify"]));
    assert_eq!(after["intact"], true, "{after}");
    assert!(after["entries"].as_i64().unwrap() > before["entries"].as_i64().unwrap());
    // Twice is refused.
    json_err(&as_user(&db, "admin", ADMIN_PW, &["encrypt"]));
    // Without --yes (no terminal) removing plaintext is not confirmed: nothing changes.
    let dir2 = tempfile::tempdir().unwrap();
    let db2 = dir2.path().join("dermis.db");
    plaintext_clinic(&db2, 1);
    assert_eq!(
        json_err(&as_user(
            &db2,
            "admin",
            ADMIN_PW,
            &["encrypt", "--remove-plaintext"]
        ))["code"],
        "conflict"
    );
    assert!(!dir2.path().join("dermis.db.keys").exists());
}

/// What is at `db` after a kill: the old plaintext clinic or the new
/// encrypted one, with every patient, never neither.
fn survivor(db: &Path, patients: usize) -> &'static str {
    let encrypted = dermis_clinic::keys::is_encrypted(db);
    let o = search(db, "admin", ADMIN_PW);
    assert!(
        o.status.success(),
        "neither clinic opens (encrypted={encrypted}): {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let n = v["items"]
        .as_array()
        .or_else(|| v.as_array())
        .map_or(0, Vec::len);
    // Search finds at most a page; all of ours fit.
    assert_eq!(n, patients);
    if encrypted {
        assert!(!contains(&bytes(db), b"SQLite format 3"));
        "encrypted"
    } else {
        assert!(bytes(db).starts_with(b"SQLite format 3"));
        "plaintext"
    }
}

#[test]
fn dermis_encrypt_killed_at_random_points_leaves_the_old_or_the_new_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let seed_db = dir.path().join("seed").join("dermis.db");
    plaintext_clinic(&seed_db, 2);
    let (photo, stored) = add_photo(&seed_db);
    let seed = seed_db.parent().unwrap().to_path_buf();
    // A cheap pseudo-random sequence of kill times (no extra crate).
    let mut x = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    // How long a whole run takes here, so the kills land anywhere in it.
    let timed = dir.path().join("timed");
    copy_dir(&seed, &timed);
    let started = std::time::Instant::now();
    json_out(&run(
        &[
            ("DERMIS_PASSWORD", ADMIN_PW),
            ("DERMIS_TEST_ENCRYPT_PAUSE_MS", "60"),
        ],
        &[
            "--db",
            timed.join("dermis.db").to_str().unwrap(),
            "--user",
            "admin",
            "--json",
            "encrypt",
        ],
    ));
    let whole = started.elapsed().as_millis() as u64;
    let mut seen = std::collections::BTreeSet::new();
    for round in 0..12 {
        let here = dir.path().join(format!("r{round}"));
        copy_dir(&seed, &here);
        let db = here.join("dermis.db");
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Anywhere from the start to just past the end of a whole run.
        let delay = x % (whole + whole / 10);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dermis"))
            .args([
                "--db",
                db.to_str().unwrap(),
                "--user",
                "admin",
                "--json",
                "encrypt",
            ])
            .env("DERMIS_PASSWORD", ADMIN_PW)
            .env("DERMIS_TEST_ENCRYPT_PAUSE_MS", "60")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        // SIGKILL: no destructor, no cleanup.
        let _ = child.kill();
        let _ = child.wait();
        seen.insert(survivor(&db, 2));
        // The photo survives with its clinic, a file or a row.
        {
            let (c, a) = open_admin(&db);
            assert_eq!(c.photo_bytes(&a, photo, false).unwrap().1, stored);
        }
        // And the conversion can then be run (again) to the end.
        if !dermis_clinic::keys::is_encrypted(&db) {
            json_out(&as_user(&db, "admin", ADMIN_PW, &["encrypt"]));
        }
        assert_eq!(survivor(&db, 2), "encrypted");
        // Opened once encrypted, no plaintext picture is left in the folder.
        let (c, a) = open_admin(&db);
        assert_eq!(c.photo_bytes(&a, photo, false).unwrap().1, stored);
        drop(c);
        assert_eq!(files_under(&here.join("photos")), Vec::<PathBuf>::new());
    }
    eprintln!("a whole run: {whole} ms; states seen after kills: {seen:?}");
}

fn copy_dir(from: &Path, to: &PathBuf) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

// ---- Photos (issue 21, item 2) ---------------------------------------------
//
// An encrypted clinic keeps its pictures inside its SQLCipher file (see
// dermis-store files.rs): no photo file exists, and the database, its
// backups and a restored copy show none of a picture's bytes.

use dermis_clinic::core::assessment::TreatmentArea;
use dermis_clinic::core::ids::{PatientId, PhotoId};
use dermis_clinic::core::photo::{PhotoAngle, PhotoTags};
use dermis_clinic::Clinic;

/// A small JPEG whose re-encoded copy is a few kB of real picture data.
fn face_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(96, 64, |x, y| {
        image::Rgb([(x * 2) as u8, (y * 3) as u8, ((x + y) % 255) as u8])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    jpeg
}

fn photo_tags() -> PhotoTags {
    PhotoTags {
        taken_on: String::new(),
        area: TreatmentArea::Cheeks,
        angle: PhotoAngle::Front,
        session_record_id: None,
        assessment_id: None,
    }
}

/// The id of the first patient `search` finds.
fn first_patient(db: &Path) -> i64 {
    let v = json_out(&search(db, "admin", ADMIN_PW));
    v["items"].as_array().or_else(|| v.as_array()).unwrap()[0]["id"]
        .as_i64()
        .unwrap()
}

/// The clinic at `db` signed in as the admin, encrypted or not.
fn open_admin(db: &Path) -> (Clinic, dermis_clinic::Actor) {
    if dermis_clinic::keys::is_encrypted(db) {
        Clinic::open_encrypted(db, "admin", ADMIN_PW).unwrap()
    } else {
        let c = Clinic::open(db).unwrap();
        let a = c
            .login(&dermis_clinic::core::LoginInput {
                username: "admin".into(),
                password: ADMIN_PW.into(),
            })
            .unwrap();
        (c, a)
    }
}

/// Imports a photo for the first patient; returns its id and the stored bytes.
fn add_photo(db: &Path) -> (PhotoId, Vec<u8>) {
    let pid = PatientId(first_patient(db));
    let (c, a) = open_admin(db);
    let p = c
        .import_photo(&a, pid, "face.jpg", &face_jpeg(), &photo_tags())
        .unwrap();
    let (_, stored) = c.photo_bytes(&a, p.id, false).unwrap();
    assert!(stored.starts_with(&[0xFF, 0xD8, 0xFF]));
    (p.id, stored)
}

/// Every file under `dir` (recursively).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// No picture bytes in `p`: neither the stored JPEG's first 24 bytes (its
/// FF D8 FF marker and header) nor a 32-byte run from its middle. (A bare
/// three-byte FF D8 FF turns up by chance in a megabyte of ciphertext
/// about once in sixteen files, so the longer runs are what is checked.)
fn assert_no_picture(p: &Path, stored: &[u8]) {
    let b = bytes(p);
    let mid = stored.len() / 2;
    assert!(
        !contains(&b, &stored[..24]),
        "{} holds the JPEG header",
        p.display()
    );
    assert!(
        !contains(&b, &stored[mid..mid + 32]),
        "{} holds the picture's bytes",
        p.display()
    );
}

#[test]
fn an_encrypted_clinic_keeps_no_photo_file_and_its_backups_show_no_picture() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic").join("dermis.db");
    encrypted_clinic(&db);
    let (photo, stored) = add_photo(&db);
    // No file in the photo folder: the picture is inside the encrypted file.
    let photos = dir.path().join("clinic").join("photos");
    assert_eq!(files_under(&photos), Vec::<PathBuf>::new());
    for f in files_under(&dir.path().join("clinic")) {
        assert_no_picture(&f, &stored);
    }
    assert_unreadable(&db);
    // A backup: one encrypted file, no photo folder beside it.
    let backup = dir.path().join("stick").join("b.db");
    json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    for f in files_under(&dir.path().join("stick")) {
        assert_no_picture(&f, &stored);
        assert!(!contains(&bytes(&f), NAME.as_bytes()), "{}", f.display());
    }
    assert_unreadable(&backup);
    // Restored on a new PC, the picture is there and the same.
    let pc = dir.path().join("pc").join("dermis.db");
    json_out(&as_user(
        &pc,
        "admin",
        ADMIN_PW,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    let (c, a) = open_admin(&pc);
    assert_eq!(c.photo_bytes(&a, photo, false).unwrap().1, stored);
    assert!(!c.photo_bytes(&a, photo, true).unwrap().1.is_empty());
    // Deleting it removes the picture from the file too.
    c.delete_photo(&a, photo).unwrap();
    assert!(c.photo_bytes(&a, photo, false).is_err());
    drop(c);
    for f in files_under(&dir.path().join("pc")) {
        assert_no_picture(&f, &stored);
    }
}

#[test]
fn a_damaged_encrypted_file_is_refused_never_shown_or_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    encrypted_clinic(&db);
    let (photo, stored) = add_photo(&db);
    // The picture's pages are the last ones written; damage one of them.
    let mut b = bytes(&db);
    assert!(b.len() > 4 * 4096);
    let at = b.len() - 4096 - 1000;
    b[at] ^= 0x55;
    std::fs::write(&db, &b).unwrap();
    let shown = Clinic::open_encrypted(&db, "admin", ADMIN_PW)
        .and_then(|(c, a)| c.photo_bytes(&a, photo, false));
    // SQLCipher authenticates each page: the damaged one is refused.
    match shown {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok((_, got)) => panic!(
            "a damaged page was read without complaint (same picture: {})",
            got == stored
        ),
    }
}

#[test]
fn dermis_encrypt_moves_the_photos_inside_and_leaves_no_plaintext_picture() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    plaintext_clinic(&db, 1);
    let (photo, stored) = add_photo(&db);
    let photos = dir.path().join("photos");
    // Before: a plaintext JPEG file.
    assert!(files_under(&photos)
        .iter()
        .any(|f| bytes(f).starts_with(&[0xFF, 0xD8, 0xFF])));
    let r = json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["encrypt", "--remove-plaintext", "--yes"],
    ));
    assert_eq!(r["photos_moved"], 1, "{r}");
    assert_eq!(r["photos_missing"], 0, "{r}");
    assert_eq!(files_under(&photos), Vec::<PathBuf>::new());
    for f in files_under(dir.path()) {
        assert_no_picture(&f, &stored);
    }
    let (c, a) = open_admin(&db);
    assert_eq!(c.photo_bytes(&a, photo, false).unwrap().1, stored);
}

// ---- The recovery sheet (issue 21) ----------------------------------------

/// The text of a PDF as pdftotext reads it (None when the tool is missing).
fn pdf_text(pdf: &Path) -> Option<String> {
    let o = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .ok()?;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The sheet holds the key (as typed back: groups may be spaced) and the clinic.
fn assert_sheet(pdf: &Path, key: &str, clinic: &str) {
    let b = bytes(pdf);
    assert!(b.starts_with(b"%PDF"), "{} is not a PDF", pdf.display());
    let Some(text) = pdf_text(pdf) else {
        eprintln!("pdftotext is not installed: the sheet's text was not read back");
        return;
    };
    let squeezed: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let key_chars: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    assert!(
        squeezed.contains(&key_chars),
        "the key is not on the sheet:\n{text}"
    );
    assert!(
        text.contains(clinic),
        "the clinic's name is not on the sheet:\n{text}"
    );
    assert!(text.contains("Forgot the admin password?"), "{text}");
    assert!(text.contains("dermis recover"), "{text}");
}

#[test]
fn init_encrypt_and_encrypt_write_the_recovery_sheet_with_the_key_and_the_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let sheet = dir.path().join("sheet.pdf");
    let out = json_out(&run(
        &[("DERMIS_PASSWORD", ADMIN_PW)],
        &[
            "--db",
            db.to_str().unwrap(),
            "--json",
            "init",
            "--encrypt",
            "--recovery-sheet",
            sheet.to_str().unwrap(),
            "--clinic",
            "Skin Studio Amsterdam",
            "--admin",
            "admin",
        ],
    ));
    let key = out["recovery_key"].as_str().unwrap().to_string();
    assert_eq!(out["recovery_sheet"], sheet.to_str().unwrap());
    assert_sheet(&sheet, &key, "Skin Studio Amsterdam");
    // The key on the sheet opens the clinic.
    let new_pw = "violet kettle pine harbour";
    json_out(&run(
        &[
            ("DERMIS_RECOVERY_KEY", &key),
            ("DERMIS_NEW_PASSWORD", new_pw),
        ],
        &[
            "--db",
            db.to_str().unwrap(),
            "--user",
            "admin",
            "--json",
            "recover",
        ],
    ));
    // An existing file is never overwritten: refused before anything is made.
    let db2 = dir.path().join("two").join("dermis.db");
    let e = json_err(&run(
        &[("DERMIS_PASSWORD", ADMIN_PW)],
        &[
            "--db",
            db2.to_str().unwrap(),
            "--json",
            "init",
            "--encrypt",
            "--recovery-sheet",
            sheet.to_str().unwrap(),
            "--clinic",
            "Other",
            "--admin",
            "admin",
        ],
    ));
    assert_eq!(e["code"], "conflict", "{e}");
    assert!(!db2.exists() || bytes(&db2).is_empty());
    // `dermis encrypt` of a plaintext clinic.
    let plain = dir.path().join("plain").join("dermis.db");
    plaintext_clinic(&plain, 1);
    let sheet2 = dir.path().join("plain-sheet.pdf");
    let r = json_out(&as_user(
        &plain,
        "admin",
        ADMIN_PW,
        &["encrypt", "--recovery-sheet", sheet2.to_str().unwrap()],
    ));
    assert_sheet(&sheet2, r["recovery_key"].as_str().unwrap(), "Plain");
}

#[test]
fn backup_inspect_checks_an_encrypted_backup_with_a_password_or_the_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic").join("dermis.db");
    let key = encrypted_clinic(&db);
    let backup = dir.path().join("stick").join("b.db");
    json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    // On the clinic's PC, with the admin's password.
    let i = json_out(&as_user(
        &db,
        "admin",
        ADMIN_PW,
        &["backup", "inspect", "--file", backup.to_str().unwrap()],
    ));
    assert_eq!(i["patients"], 1, "{i}");
    assert!(i["schema_version"].as_i64().unwrap() > 0, "{i}");
    assert!(i["audit_entries"].as_i64().unwrap() > 0);
    // On a new PC with no clinic, with the recovery key alone.
    let pc = dir.path().join("pc").join("dermis.db");
    let r = json_out(&run(
        &[("DERMIS_RECOVERY_KEY", &key)],
        &[
            "--db",
            pc.to_str().unwrap(),
            "--json",
            "backup",
            "inspect",
            "--file",
            backup.to_str().unwrap(),
        ],
    ));
    assert_eq!(r["patients"], 1, "{r}");
    assert_eq!(r["audit_head"], i["audit_head"]);
    // Nothing was written on the new PC.
    assert!(!pc.exists() || bytes(&pc).is_empty());
    // A wrong password or key shows nothing.
    let e = json_err(&as_user(
        &pc,
        "admin",
        "wrong wrong wrong",
        &["backup", "inspect", "--file", backup.to_str().unwrap()],
    ));
    assert_eq!(e["code"], "forbidden", "{e}");
    assert!(!e.to_string().contains("patients"));
    let e = json_err(&run(
        &[(
            "DERMIS_RECOVERY_KEY",
            "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA",
        )],
        &[
            "--db",
            pc.to_str().unwrap(),
            "--json",
            "backup",
            "inspect",
            "--file",
            backup.to_str().unwrap(),
        ],
    ));
    assert_eq!(e["code"], "forbidden", "{e}");
    // `backup` without --out nor inspect is a sentence, not a crash.
    json_err(&as_user(&db, "admin", ADMIN_PW, &["backup"]));
}

/// A clinic encrypted by the first version of this feature kept its photos
/// as plaintext files beside the encrypted database. Opening it now moves
/// each picture inside and removes the file; the photo still shows.
#[test]
fn photo_files_left_beside_an_encrypted_clinic_move_inside_at_the_next_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    encrypted_clinic(&db);
    let (photo, stored) = add_photo(&db);
    // Back to the old layout: the picture out of the database, as files.
    let key = dermis_clinic::keys::KeyFile::read(&dermis_clinic::keys::key_file_path(&db))
        .unwrap()
        .unwrap()
        .unwrap_user("admin", ADMIN_PW)
        .unwrap()
        .unwrap();
    let hex: String = key.bytes().iter().map(|b| format!("{b:02x}")).collect();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{hex}'\";"))
        .unwrap();
    let (sha, thumb): (String, Vec<u8>) = conn
        .query_row("SELECT sha256, thumb FROM photo_files", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    conn.execute("DELETE FROM photo_files", []).unwrap();
    drop(conn);
    let photos = dir.path().join("photos");
    std::fs::create_dir_all(photos.join(&sha[..2])).unwrap();
    std::fs::create_dir_all(photos.join("thumbs")).unwrap();
    std::fs::write(photos.join(&sha[..2]).join(format!("{sha}.jpg")), &stored).unwrap();
    std::fs::write(photos.join("thumbs").join(format!("{sha}.jpg")), &thumb).unwrap();
    let (c, a) = open_admin(&db);
    assert_eq!(c.photo_bytes(&a, photo, false).unwrap().1, stored);
    assert_eq!(c.photo_bytes(&a, photo, true).unwrap().1, thumb);
    drop(c);
    assert_eq!(files_under(&photos), Vec::<PathBuf>::new());
    for f in files_under(dir.path()) {
        assert_no_picture(&f, &stored);
    }
}
