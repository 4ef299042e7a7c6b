//! The clinic server's own guarantees, on the throwaway PostgreSQL cluster:
//! permissions the engine enforces for each role's own credentials, and
//! concurrent writers from several connections (PCs).

use chrono::NaiveDate;
use dermis_core::ids;
use dermis_core::patient::ValidPatient;
use dermis_core::{validate, PatientInput, Role};
use dermis_store::{AuditEntry, Store, StoreError};

mod common;

const NOW: &str = "2026-11-24T12:00:00Z";

fn valid(first: &str, last: &str) -> ValidPatient {
    validate::patient(
        &PatientInput {
            first_name: first.into(),
            last_name: last.into(),
            date_of_birth: "1980-01-01".into(),
            ..Default::default()
        },
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )
    .unwrap()
}

fn entry(action: &str) -> AuditEntry {
    AuditEntry {
        at: NOW.into(),
        user_id: None,
        username: "dermis".into(),
        action: action.into(),
        entity: "".into(),
        entity_id: "".into(),
        detail: "".into(),
    }
}

/// A plain PostgreSQL client (what `psql` is) logged in as `role` with `password`.
fn plain_client(c: &common::Cluster, db: &str, role: &str, password: &str) -> postgres::Client {
    let mut config: postgres::Config = c.url(role, db).parse().unwrap();
    config.password(password);
    config
        .connect(postgres::NoTls)
        .unwrap_or_else(|e| panic!("{role} could not log in: {e}"))
}

/// The SQLSTATE of a statement, or "ok".
fn outcome(client: &mut postgres::Client, sql: &str) -> String {
    match client.batch_execute(sql) {
        Ok(()) => "ok".into(),
        Err(e) => e
            .code()
            .map(|c| c.code().to_string())
            .unwrap_or_else(|| e.to_string()),
    }
}

const DENIED: &str = "42501"; // insufficient_privilege

#[test]
fn each_roles_own_credentials_get_exactly_their_grants() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let mut setup = common::pg_store_on(&db);
    setup.setup_server_roles().unwrap();
    setup.setup_server_roles().unwrap(); // a second run changes nothing
    let admin = setup
        .set_server_login("Anna", "anna-pass-1", &[Role::Admin], true)
        .unwrap()
        .unwrap();
    let practitioner = setup
        .set_server_login("piet", "piet-pass-1", &[Role::Practitioner], true)
        .unwrap()
        .unwrap();
    let desk = setup
        .set_server_login("rita", "rita-pass-1", &[Role::Receptionist], true)
        .unwrap()
        .unwrap();
    assert_eq!(admin, format!("{db}_anna"), "user names ignore case");
    // Some rows to be refused.
    setup
        .write(|tx| -> Result<(), StoreError> {
            tx.insert_patient(&valid("Ann", "Lee"), NOW)?;
            tx.append_audit(&entry("patient.create"))
        })
        .unwrap();
    c.superuser(&db)
        .batch_execute(
            "INSERT INTO users (username, display_name, password_hash, roles, created_at)
             VALUES ('anna', 'Anna', 'x', 'admin', '2026-11-24T12:00:00Z');
             INSERT INTO screenings (patient_id, screened_on, answers, result, recorded_by, created_at)
             VALUES (1, '2026-11-24', '[]', '{}', 1, '2026-11-24T12:00:00Z');",
        )
        .unwrap();

    // The sign-in gate counts and records wrong passwords, and reads nothing.
    setup.set_server_gate("gate-pass-1").unwrap();
    let mut gate = dermis_store::SignInGate::open(&c.url("x", &db), "gate-pass-1").unwrap();
    gate.failed("Rita", "2026-11-24T12:00:00Z").unwrap();
    assert_eq!(gate.failures("rita", "2026-11-24T11:45:00Z").unwrap(), 1);
    assert_eq!(gate.failures("rita", "2026-11-24T12:00:01Z").unwrap(), 0);
    let mut config: postgres::Config = c.url("x", &db).parse().unwrap();
    config
        .user(&dermis_store::gate_role(&db))
        .password("gate-pass-1");
    let mut gate_psql = config.connect(postgres::NoTls).unwrap();
    for sql in [
        "SELECT * FROM users",
        "SELECT * FROM patients",
        "SELECT * FROM sign_in_failures",
        "DELETE FROM sign_in_failures",
    ] {
        assert_eq!(outcome(&mut gate_psql, sql), DENIED, "the gate: {sql}");
    }

    let mut rita = plain_client(c, &db, &desk, "rita-pass-1");
    for table in [
        "screenings",
        "assessments",
        "session_records",
        "photos",
        "photo_files",
        "healing_reports",
        "adverse_events",
    ] {
        assert_eq!(
            outcome(&mut rita, &format!("SELECT * FROM {table}")),
            DENIED,
            "the desk must not read {table}"
        );
    }
    assert_eq!(outcome(&mut rita, "SELECT * FROM patients"), "ok");
    assert_eq!(outcome(&mut rita, "SELECT * FROM planned_sessions"), "ok");
    assert_eq!(
        outcome(&mut rita, "DELETE FROM patients"),
        DENIED,
        "erasure is the admin's"
    );
    assert_eq!(outcome(&mut rita, "UPDATE settings SET value = ''"), DENIED);

    let mut piet = plain_client(c, &db, &practitioner, "piet-pass-1");
    let mut n: i64 = piet
        .query_one("SELECT count(*) FROM screenings", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1, "a practitioner reads screenings");
    assert_eq!(outcome(&mut piet, "DELETE FROM screenings"), DENIED);

    let mut anna = plain_client(c, &db, &admin, "anna-pass-1");
    n = anna
        .query_one("SELECT count(*) FROM audit_log", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    for client in [&mut rita, &mut piet, &mut anna] {
        assert_eq!(outcome(client, "UPDATE audit_log SET detail = 'x'"), DENIED);
        assert_eq!(outcome(client, "DELETE FROM audit_log"), DENIED);
        assert_eq!(outcome(client, "TRUNCATE audit_log"), DENIED);
    }
    assert_eq!(
        outcome(&mut anna, "DELETE FROM patient_search_terms"),
        "ok",
        "the admin may erase"
    );

    // A wrong password is refused by the server itself.
    let mut config: postgres::Config = c.url(&desk, &db).parse().unwrap();
    config.password("not-ritas");
    assert!(config.connect(postgres::NoTls).is_err());
    // Someone with no Dermis role cannot even connect to the clinic's database.
    c.superuser(&db)
        .batch_execute("CREATE ROLE stranger LOGIN PASSWORD 'stranger-pass'")
        .unwrap();
    let mut config: postgres::Config = c.url("stranger", &db).parse().unwrap();
    config.password("stranger-pass");
    let refused = config.connect(postgres::NoTls).err().unwrap();
    assert_eq!(refused.code().map(|c| c.code()), Some(DENIED));
}

#[test]
fn the_desk_works_through_the_store_with_its_own_credentials() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let setup = common::pg_store_on(&db);
    setup.setup_server_roles().unwrap();
    let desk = setup
        .set_server_login("rita", "rita-pass-1", &[Role::Receptionist], true)
        .unwrap()
        .unwrap();
    drop(setup);
    let mut s = Store::open_pg(&c.url(&desk, &db), Some("rita-pass-1")).unwrap();
    let p = s
        .write(|tx| -> Result<_, StoreError> {
            let p = tx.insert_patient(&valid("Zoë", "Park"), NOW)?;
            tx.append_audit(&entry("patient.create"))?;
            Ok(p)
        })
        .unwrap();
    let found = s
        .read(|tx| tx.search_patients(&dermis_core::search::parse("zoe"), false, 0, 10))
        .unwrap();
    assert_eq!(found.items[0].id, p.id);
    // What the aftercare sheet needs of an assessment, and only that.
    let plan = common::a_plan(&mut common::pg_store_on(&db));
    let assessment = s.read(|tx| tx.plan(plan)).unwrap().unwrap().assessment_id;
    assert_eq!(
        s.read(|tx| tx.assessment_fitzpatrick(assessment.0))
            .unwrap(),
        Some(3)
    );
    assert!(s.read(|tx| tx.assessment(assessment.0)).is_err());
    let refused = s.read(|tx| tx.screenings(p.id.0)).unwrap_err();
    assert!(
        refused.to_string().contains("permission denied"),
        "{refused}"
    );
    // A login switched off can no longer sign in.
    let setup = common::pg_store_on(&db);
    setup
        .set_server_login("rita", "rita-pass-1", &[Role::Receptionist], false)
        .unwrap();
    assert!(Store::open_pg(&c.url(&desk, &db), Some("rita-pass-1")).is_err());
}

/// `dermis copy`'s store half: a clinic file with patients, a plan and a
/// keyed audit chain lands whole on an empty server, searchable, its chain
/// verifying there; the server then numbers on from the copied rows; a
/// second copy into the same database is refused and changes nothing.
#[test]
fn a_clinic_file_copies_onto_an_empty_server_whole() {
    const KEY: &[u8] = b"the clinic key 0123456789";
    let Some(c) = common::cluster() else { return };
    let mut file = common::sqlite_store();
    file.set_audit_key(KEY.to_vec());
    let plan = common::a_plan(&mut file);
    file.write(|tx| -> Result<(), StoreError> {
        for (f, l) in [
            ("José", "Núñez"),
            ("Γιώργος", "Παπαδόπουλος"),
            ("小明", "王"),
        ] {
            tx.insert_patient(&valid(f, l), NOW)?;
            tx.append_audit(&entry("patient.create"))?;
        }
        tx.set_plan_status(plan, dermis_core::plan::PlanStatus::Paused, NOW)
    })
    .unwrap();
    let db = c.new_database();
    let mut server = common::pg_store_on(&db);
    server.set_audit_key(KEY.to_vec());
    let report = file.copy_to_server(&mut server).unwrap();
    assert!(report.matches(), "{report:?}");
    let count = |t: &str| report.tables.iter().find(|r| r.0 == t).unwrap().2;
    assert_eq!(
        (
            count("patients"),
            count("plans"),
            count("planned_sessions"),
            count("audit_log")
        ),
        (4, 1, 3, 3)
    );
    assert!(count("patient_search_terms") > 20);
    let check = server.read(|tx| tx.audit_chain_check()).unwrap();
    assert_eq!((check.count, check.keyed, check.first_bad), (3, 3, None));
    let found = server
        .read(|tx| tx.search_patients(&dermis_core::search::parse("nunez"), false, 0, 10))
        .unwrap();
    assert_eq!(found.items[0].last_name, "Núñez");
    assert_eq!(
        server.read(|tx| tx.plan(plan)).unwrap().unwrap().status,
        dermis_core::plan::PlanStatus::Paused
    );
    assert_eq!(server.read(|tx| tx.plan_version(plan)).unwrap(), Some(2));
    // New rows on the server follow the copied ones.
    let next = server
        .write(|tx| tx.insert_patient(&valid("New", "Patient"), NOW))
        .unwrap();
    assert_eq!(next.patient_number, "P-000005");
    assert_eq!(next.id, ids::PatientId(5));
    server
        .write(|tx| tx.append_audit(&entry("after.copy")))
        .unwrap();
    assert_eq!(
        server.read(|tx| tx.audit_chain_check()).unwrap().first_bad,
        None
    );
    // A second copy is refused before it writes anything.
    match file.copy_to_server(&mut server) {
        Err(StoreError::Conflict(m)) => assert!(m.contains("already holds a clinic"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(server.read(|tx| tx.count_patients()).unwrap(), 5);
}

/// `pg_dump` of a working clinic, verified by a restore into a scratch
/// database; then the restore side's refusals: not a dump, damaged, not a
/// Dermis clinic, from a newer Dermis.
#[test]
fn a_server_backup_is_verified_and_bad_files_are_refused() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let mut s = common::pg_store_on(&db);
    s.set_audit_key(b"the clinic key 0123456789".to_vec());
    common::a_plan(&mut s);
    s.write(|tx| tx.append_audit(&entry("before.backup")))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("clinic.dump");
    let (secret, public) = dermis_store::new_dump_key_pair();
    let info = s
        .backup_server(&dump, Some(common::SUPER_PASSWORD), &public)
        .unwrap();
    assert_eq!((info.patients(), info.audit.0), (1, 1));
    assert_eq!(info.audit, s.audit_head().unwrap());
    let url = c.url("postgres", &db);
    let again = dermis_store::inspect_server_backup(
        &url,
        Some(common::SUPER_PASSWORD),
        &dump,
        Some(&secret),
    )
    .unwrap();
    assert_eq!((again.tables, again.audit), (info.tables, info.audit));

    let refused = |file: &std::path::Path| -> String {
        match dermis_store::inspect_server_backup(
            &url,
            Some(common::SUPER_PASSWORD),
            file,
            Some(&secret),
        ) {
            Err(StoreError::BadBackup(m)) => m,
            other => panic!("expected a refusal of {}, got {other:?}", file.display()),
        }
    };
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a dump").unwrap();
    assert!(refused(&text).contains("not a complete clinic-server backup"));
    let bytes = std::fs::read(&dump).unwrap();
    let cut = dir.path().join("cut.dump");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(refused(&cut).contains("altered or damaged"));

    let dump_of = |db: &str, file: &std::path::Path| {
        let ok = std::process::Command::new(c.bin.join("pg_dump"))
            .arg("--format=custom")
            .arg(format!("--file={}", file.display()))
            .arg(format!("--dbname={}", c.url("postgres", db)))
            .env("PGPASSWORD", common::SUPER_PASSWORD)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    let foreign = c.new_database();
    c.superuser(&foreign)
        .batch_execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY)")
        .unwrap();
    let foreign_dump = dir.path().join("foreign.dump");
    dump_of(&foreign, &foreign_dump);
    assert!(refused(&foreign_dump).contains("not of a Dermis clinic"));
    c.superuser(&db)
        .batch_execute("UPDATE app_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let newer = dir.path().join("newer.dump");
    dump_of(&db, &newer);
    assert!(refused(&newer).contains("newer Dermis"));
}

/// The server's dump is sealed to the clinic's backup public key (issue 21):
/// the file shows neither a patient's name nor pg_dump's own markers, opens
/// with the private key and no other, and any altered byte is refused;
/// without a key it is not opened at all. A plaintext dump from before
/// sealing still reads.
#[test]
fn a_server_dump_is_sealed_and_opens_with_its_key_only() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let mut s = common::pg_store_on(&db);
    s.set_audit_key(b"the clinic key 0123456789".to_vec());
    common::a_plan(&mut s);
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("clinic.dump");
    let (secret, public) = dermis_store::new_dump_key_pair();
    s.backup_server(&dump, Some(common::SUPER_PASSWORD), &public)
        .unwrap();
    let bytes = std::fs::read(&dump).unwrap();
    // (pg_dump compresses table data, so a name is not in clear even in a
    // plaintext dump; its table of contents is: see the old dump below.)
    let markers = [&b"PGDMP"[..], b"COPY", b"patients", b"audit_log", b"dermis"];
    for marker in markers {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker),
            "the dump shows {:?} in clear",
            String::from_utf8_lossy(marker)
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dump).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the dump is readable by others: {mode:o}");
    }
    // Nothing but the dump itself was left in the folder (no plaintext temp file).
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("clinic.dump")]);
    let shape = dermis_store::check_sealed(&bytes[..]).unwrap();
    assert_eq!(shape.recipient, public);

    let url = c.url("postgres", &db);
    let inspect = |file: &std::path::Path, secret: Option<&[u8; 32]>| {
        dermis_store::inspect_server_backup(&url, Some(common::SUPER_PASSWORD), file, secret)
    };
    assert_eq!(inspect(&dump, Some(&secret)).unwrap().patients(), 1);
    match inspect(&dump, None) {
        Err(StoreError::Denied(m)) => assert!(m.contains("sealed"), "{m}"),
        other => panic!("a sealed dump opened without a key: {other:?}"),
    }
    let (other, _) = dermis_store::new_dump_key_pair();
    match inspect(&dump, Some(&other)) {
        Err(StoreError::BadBackup(m)) => assert!(m.contains("another backup key"), "{m}"),
        other => panic!("another key opened the dump: {other:?}"),
    }
    for at in [40, 100, bytes.len() / 2, bytes.len() - 3] {
        let mut bad = bytes.clone();
        bad[at] ^= 0x20;
        let file = dir.path().join(format!("tampered-{at}.dump"));
        std::fs::write(&file, &bad).unwrap();
        match inspect(&file, Some(&secret)) {
            Err(StoreError::BadBackup(m)) => assert!(
                m.contains("altered or damaged") || m.contains("another backup key"),
                "byte {at}: {m}"
            ),
            other => panic!("a dump altered at byte {at} was accepted: {other:?}"),
        }
    }

    // A plaintext dump written before sealing (pg_dump's own file) still reads.
    let old = dir.path().join("old.dump");
    let ok = std::process::Command::new(c.bin.join("pg_dump"))
        .arg("--format=custom")
        .arg("--enable-row-security")
        .arg(format!("--file={}", old.display()))
        .arg(format!("--dbname={}", c.url("postgres", &db)))
        .env("PGPASSWORD", common::SUPER_PASSWORD)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let plain = std::fs::read(&old).unwrap();
    for marker in [&b"PGDMP"[..], b"COPY", b"patients"] {
        assert!(plain.windows(marker.len()).any(|w| w == marker));
    }
    assert_eq!(inspect(&old, None).unwrap().patients(), 1);
}

/// The backup key pair's rows (migration 0011): one pair per server (a
/// second is not made over the first), wraps read back by kind and name;
/// nothing on a single PC's SQLite file.
#[test]
fn the_backup_key_pair_is_made_once_per_server() {
    let mut sqlite = common::sqlite_store();
    assert!(!sqlite
        .write(|tx| tx.create_dump_keys("aa", &[], "2026-01-01"))
        .unwrap());
    assert_eq!(sqlite.read(|tx| tx.dump_key("public", "")).unwrap(), None);
    assert!(!sqlite.write(|tx| tx.drop_dump_key_wrap("rita")).unwrap());
    assert!(sqlite.own_login_password("rita").is_none());
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let mut s = common::pg_store_on(&db);
    let at = "2026-01-01T00:00:00Z";
    assert!(s
        .write(|tx| tx.create_dump_keys(
            "ab12",
            &[("admin", "rita", "w1"), ("recovery", "", "w2")],
            at
        ))
        .unwrap());
    assert!(!s
        .write(|tx| tx.create_dump_keys("ffff", &[("admin", "rita", "evil")], at))
        .unwrap());
    assert_eq!(
        s.read(|tx| tx.dump_key("public", "")).unwrap().as_deref(),
        Some("ab12")
    );
    assert_eq!(
        s.read(|tx| tx.dump_key("admin", "rita"))
            .unwrap()
            .as_deref(),
        Some("w1")
    );
    s.write(|tx| tx.set_dump_key_wrap("piet", "w3", at))
        .unwrap();
    assert_eq!(
        s.read(|tx| tx.dump_key("admin", "piet"))
            .unwrap()
            .as_deref(),
        Some("w3")
    );
    assert_eq!(
        s.read(|tx| tx.dump_key("recovery", "")).unwrap().as_deref(),
        Some("w2")
    );
    // An admin's copy removed (deactivated, or a reset password): true once,
    // then there is none; the recovery key's copy and the other admin's stay.
    assert!(s.write(|tx| tx.drop_dump_key_wrap("piet")).unwrap());
    assert!(!s.write(|tx| tx.drop_dump_key_wrap("piet")).unwrap());
    assert_eq!(s.read(|tx| tx.dump_key("admin", "piet")).unwrap(), None);
    assert!(!s.write(|tx| tx.drop_dump_key_wrap("")).unwrap());
    assert_eq!(
        s.read(|tx| tx.dump_key("recovery", "")).unwrap().as_deref(),
        Some("w2")
    );
    assert!(s.read(|tx| tx.dump_key("admin", "rita")).unwrap().is_some());
    // Connected as the setup user (no Dermis user's login role): no password to lend.
    assert!(s.own_login_password("rita").is_none());
}
