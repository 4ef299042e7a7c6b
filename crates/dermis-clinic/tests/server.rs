//! The clinic on the clinic server, on a throwaway PostgreSQL cluster: the
//! accounts made through the clinic are the server's login roles, so each
//! person connects with their own credentials and the engine enforces
//! their grants; password changes and deactivation reach the server.

use dermis_clinic::core::{PatientInput, PatientSearch, Role, SetupInput};
use dermis_clinic::{Actor, Clinic, DumpUnlock, ErrorCode};
use std::path::Path;

mod common;
use common::try_open_as as open_as;
use common::zoe_park as ann;
use common::{
    add_rita, all_clear, boxcar_scars, cluster, new_clinic_on_server, setup_input, sign_in,
    signed_in, OnServer, ADMIN_PW, DESK_PW,
};

/// The usual clinic on the server (common::clinic_on_server), its first
/// admin's name typed "Owner" at setup: the sign-ins use "owner".
fn clinic_on_server(c: &cluster::Cluster) -> OnServer {
    let owner = SetupInput {
        admin_username: "Owner".into(),
        ..setup_input()
    };
    let (server, setup, admin) = new_clinic_on_server(c, &owner);
    add_rita(&setup, &admin);
    server
}

#[test]
fn a_user_created_through_the_clinic_opens_it_with_their_own_credentials() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    // The first admin (made at setup) and the receptionist (made by the admin).
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let desk = open_as(&url, keys.path(), "Rita", DESK_PW).unwrap();
    let rita = sign_in(&desk, "rita", DESK_PW);
    let p = desk.create_patient(&rita, &ann()).unwrap();
    let found = owner
        .search_patients(
            &admin,
            &PatientSearch {
                query: "zoe".into(),
                include_archived: false,
                offset: 0,
                limit: 10,
            },
        )
        .unwrap();
    assert_eq!(
        found.items[0].id, p.id,
        "one clinic, seen from both connections"
    );
    // The log written through both connections is one intact chain.
    assert!(owner.audit_verdict().unwrap().intact);
    // A wrong password never reaches the clinic: the server refuses it.
    let e = open_as(&url, keys.path(), "rita", "not her password")
        .err()
        .unwrap();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
}

#[test]
fn a_receptionists_connection_cannot_read_clinical_tables() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let p = owner.create_patient(&admin, &ann()).unwrap();
    assert!(owner.screenings(&admin, p.id).unwrap().is_empty());
    let (desk, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let e = desk.screenings(&rita, p.id).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "the app refuses first: {e}");
    // Even if the accounts table said she were a practitioner (the app's
    // check passes), the engine refuses her connection: a clear error.
    let mut su = c.superuser(url.rsplit('/').next().unwrap());
    su.execute(
        "UPDATE users SET roles = 'receptionist,practitioner' WHERE username = 'rita'",
        &[],
    )
    .unwrap();
    let rita = sign_in(&desk, "rita", DESK_PW);
    let e = desk.screenings(&rita, p.id).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    assert!(e.to_string().contains("clinic server refused"), "{e}");
    assert!(e.to_string().contains("screenings"), "{e}");
    // What the desk may do still works on the same connection.
    desk.create_patient(
        &rita,
        &PatientInput {
            first_name: "Ann".into(),
            ..ann()
        },
    )
    .unwrap();
}

#[test]
fn after_a_password_change_the_old_password_no_longer_connects() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let (desk, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let new = "copper willow signal thunder";
    desk.change_password(&rita, DESK_PW, new).unwrap();
    drop(desk);
    let e = open_as(&url, keys.path(), "rita", DESK_PW).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    let desk = open_as(&url, keys.path(), "rita", new).unwrap();
    sign_in(&desk, "rita", new);
    // From psql, her credentials may change her own account's hash, no other.
    let db = url.rsplit('/').next().unwrap();
    let mut config: postgres::Config = c.url(&format!("{db}_rita"), db).parse().unwrap();
    config.password(new);
    let mut psql = config.connect(postgres::NoTls).unwrap();
    // (Her own hash as it is, read by the superuser: she may not read the column.)
    let hash: String = c
        .superuser(db)
        .query_one(
            "SELECT password_hash FROM users WHERE username = 'rita'",
            &[],
        )
        .unwrap()
        .get(0);
    let sql = "UPDATE users SET password_hash = $2 WHERE username = $1";
    assert_eq!(
        psql.execute(sql, &[&"owner", &hash]).unwrap(),
        0,
        "not the admin's row"
    );
    assert_eq!(psql.execute(sql, &[&"rita", &hash]).unwrap(), 1);
    assert!(psql
        .execute(
            "UPDATE users SET roles = 'admin' WHERE username = 'rita'",
            &[]
        )
        .is_err());

    // An admin's reset and a deactivation reach the server too.
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let reset = "granite puffin orchard violet";
    owner.reset_password(&admin, "rita", reset).unwrap();
    assert!(open_as(&url, keys.path(), "rita", new).is_err());
    open_as(&url, keys.path(), "rita", reset).unwrap();
    owner.deactivate_user(&admin, "rita").unwrap();
    let e = open_as(&url, keys.path(), "rita", reset).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
}

#[test]
fn a_pc_without_the_audit_key_is_refused_rather_than_given_a_new_one() {
    // Joining fetches the key wrapped under the person's own password; with
    // no wrap for them on the server, the PC is refused: it never makes a
    // key of its own (that would make the whole chain read as forged).
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let db = url.rsplit('/').next().unwrap().to_string();
    c.superuser(&db)
        .batch_execute("DELETE FROM key_wraps WHERE username = 'rita'")
        .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let e = open_as(&url, elsewhere.path(), "rita", DESK_PW)
        .err()
        .unwrap();
    assert!(e.to_string().contains("audit key"), "{e}");
    assert!(!elsewhere.path().join("audit-key").exists());

    // The owner's own wrap brings the very key of the PC that set it up.
    let joined = tempfile::tempdir().unwrap();
    let (owner, actor) = signed_in(&url, joined.path(), "owner", ADMIN_PW);
    assert_eq!(
        owner.verify_audit(&actor).unwrap(),
        None,
        "the chain verifies under the fetched key"
    );
    assert_eq!(
        std::fs::read(joined.path().join("audit-key")).unwrap(),
        std::fs::read(keys.path().join("audit-key")).unwrap()
    );
    // A wrap that is not hers (the owner's, copied onto her row) does not
    // open with her password: refused, nothing written.
    c.superuser(&db)
        .batch_execute(
            "INSERT INTO key_wraps (username, wrap, updated_at)
             SELECT 'rita', wrap, updated_at FROM key_wraps WHERE username = 'owner'",
        )
        .unwrap();
    let other = tempfile::tempdir().unwrap();
    let e = open_as(&url, other.path(), "rita", DESK_PW).err().unwrap();
    assert!(e.to_string().contains("does not open"), "{e}");
    assert!(!other.path().join("audit-key").exists());
}

#[test]
fn a_clinic_file_copied_to_the_server_keeps_its_chain_and_its_admin() {
    let Some(c) = cluster::cluster() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = Clinic::open(&dir.path().join("clinic.db")).unwrap();
    let admin = file.setup(&setup_input()).unwrap();
    file.create_user(&admin, "rita", "Rita", DESK_PW, &[Role::Receptionist])
        .unwrap();
    let p = file.create_patient(&admin, &ann()).unwrap();
    let photo = file
        .import_photo(
            &admin,
            p.id,
            "a.png",
            &png_of(16, [1, 2, 3]),
            &photo_tags("2026-01-05"),
        )
        .unwrap();
    let on_file = file.photo_bytes(&admin, photo.id, false).unwrap();
    let db = c.new_database();
    let url = c.url("postgres", &db);
    let keys = tempfile::tempdir().unwrap();
    let copy = file
        .copy_to_server(
            &admin,
            ADMIN_PW,
            &url,
            Some(cluster::SUPER_PASSWORD),
            keys.path(),
        )
        .unwrap();
    assert!(copy.counts_match && copy.chain_intact, "{copy:?}");
    assert!(
        copy.tables.contains(&("photo_files".to_string(), 1, 1)),
        "the picture's bytes come along: {copy:?}"
    );
    assert_eq!(copy.ready, ["owner"]);
    assert_eq!(copy.need_password_reset, ["rita"]);
    // The admin connects with their own password; rita only after a reset.
    assert!(open_as(&url, keys.path(), "rita", DESK_PW).is_err());
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    assert!(owner.audit_verdict().unwrap().intact);
    assert_eq!(owner.photo_bytes(&admin, photo.id, false).unwrap(), on_file);
    owner.reset_password(&admin, "rita", DESK_PW).unwrap();
    let desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    sign_in(&desk, "rita", DESK_PW);
    // A second copy onto the same database is refused.
    let e = file
        .copy_to_server(
            &admin,
            ADMIN_PW,
            &url,
            Some(cluster::SUPER_PASSWORD),
            keys.path(),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Conflict, "{e}");
}

fn search(c: &Clinic, actor: &Actor, query: &str) -> Vec<String> {
    c.search_patients(
        actor,
        &PatientSearch {
            query: query.into(),
            include_archived: false,
            offset: 0,
            limit: 10,
        },
    )
    .unwrap()
    .items
    .into_iter()
    .map(|p| p.first_name)
    .collect()
}

/// `backup` on the server is a pg_dump made with the admin's own login and
/// verified by a scratch restore; `restore_server` (the setup user named in
/// the URL) puts back exactly what it held, the audit chain intact with the
/// restore entry on top, keeps the data as it was, and refuses what SQLite
/// refuses: not a dump, damaged, another clinic's. Admin only, audited.
#[test]
fn a_server_backup_restores_the_clinic_as_it_was() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    owner.create_patient(&admin, &ann()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("clinic.dump");
    owner.ensure_dump_key(&admin, ADMIN_PW, None).unwrap();
    // The dump holds the log up to here (the `backup` entry comes after it).
    let head_at_backup = owner.audit_verdict().unwrap();
    let b = owner.backup(&admin, &dump).unwrap();
    assert_eq!((b.patients, b.sessions), (1, 0));
    assert!(b.bytes > 0 && dump.exists());

    // The desk may neither back up nor restore.
    let (desk, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let e = desk.backup(&rita, &dir.path().join("x.dump")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    let e = desk
        .restore_server(
            &rita,
            &dump,
            Some(cluster::SUPER_PASSWORD),
            &DumpUnlock::Password(DESK_PW),
        )
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    drop(desk);

    // Work after the backup, then the restore takes the clinic back.
    owner
        .create_patient(
            &admin,
            &PatientInput {
                first_name: "Ann".into(),
                last_name: "Later".into(),
                ..ann()
            },
        )
        .unwrap();
    let mine = DumpUnlock::Password(ADMIN_PW);
    assert_eq!(
        owner
            .inspect_server_dump(&admin, &dump, &mine)
            .unwrap()
            .patients,
        1
    );
    let r = owner
        .restore_server(&admin, &dump, Some(cluster::SUPER_PASSWORD), &mine)
        .unwrap();
    assert_eq!(r.restored.patients, 1);
    assert_eq!(r.kept.patients, 2, "the data as it was is kept first");
    assert!(Path::new(&r.kept.path).exists());
    assert!(
        r.need_password_reset.is_empty() && r.disabled_logins.is_empty(),
        "{r:?}"
    );
    assert_eq!(search(&owner, &admin, "zoe"), ["Zoë"]);
    assert!(search(&owner, &admin, "later").is_empty());
    let v = owner.audit_verdict().unwrap();
    assert!(v.intact, "{v:?}");
    // The restored log is the backup's, plus the restore entry (and the
    // sign-in above it was not part of the backup).
    let log = owner.recent_audit(&admin, 3).unwrap();
    let restore = log.iter().find(|e| e.action == "restore").unwrap();
    assert!(
        restore.detail.contains(&head_at_backup.head),
        "{}",
        restore.detail
    );
    // The receptionist still connects with her own credentials.
    let desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    sign_in(&desk, "rita", DESK_PW);

    // Refusals, each leaving the clinic as it is and a restore.refused entry.
    let refused = |file: &Path| -> String {
        let e = owner
            .restore_server(&admin, file, Some(cluster::SUPER_PASSWORD), &mine)
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{e}");
        assert_eq!(search(&owner, &admin, "zoe"), ["Zoë"]);
        e.to_string()
    };
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a dump").unwrap();
    assert!(refused(&text).contains("not a complete clinic-server backup"));
    let bytes = std::fs::read(&dump).unwrap();
    let cut = dir.path().join("cut.dump");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(refused(&cut).contains("altered or damaged"));
    // Another clinic's backup (its own backup key pair) is not this clinic's.
    let OnServer {
        url: other_url,
        keys: other_keys,
        ..
    } = clinic_on_server(c);
    let (other, other_admin) = signed_in(&other_url, other_keys.path(), "owner", ADMIN_PW);
    other.ensure_dump_key(&other_admin, ADMIN_PW, None).unwrap();
    let foreign = dir.path().join("other.dump");
    other.backup(&other_admin, &foreign).unwrap();
    assert!(refused(&foreign).contains("another backup key"));
    let e = owner
        .inspect_server_dump(&admin, &foreign, &mine)
        .unwrap_err();
    assert!(e.to_string().contains("another backup key"), "{e}");
    let log = owner.recent_audit(&admin, 10).unwrap();
    assert_eq!(
        log.iter().filter(|e| e.action == "restore.refused").count(),
        3
    );
    // The setup user's password is needed: the admin's own is not enough.
    let e = owner
        .restore_server(&admin, &dump, Some(ADMIN_PW), &mine)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    assert!(owner.audit_verdict().unwrap().intact);
}

/// The clinic server's dumps are sealed (issue 21): no backup at all before
/// the clinic has a backup key (never a plaintext dump); the admin who makes
/// it sees the recovery key once; the dump shows none of pg_dump's markers in
/// clear; it restores with the recovery key and with the admin's password
/// (the new one after a change, not the old), not with a wrong key; a
/// tampered dump is refused and changes nothing; the desk neither makes the
/// key nor reads its rows.
#[test]
fn a_sealed_server_dump_restores_with_the_recovery_key_or_an_admin_password() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    owner.create_patient(&admin, &ann()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("clinic.dump");
    let e = owner.backup(&admin, &dump).unwrap_err();
    assert!(e.to_string().contains("server-backup-key"), "{e}");
    assert!(!dump.exists());

    // What `dermis server-backup-key` reads first, as the setup user: no
    // key yet, then the fingerprint of the one made.
    let fingerprint =
        || Clinic::server_backup_key_fingerprint(&url, Some(cluster::SUPER_PASSWORD)).unwrap();
    assert_eq!(fingerprint(), None);
    let made = owner.ensure_dump_key(&admin, ADMIN_PW, None).unwrap();
    assert!(made.made && made.wrapped_for_you, "{made:?}");
    assert_eq!(fingerprint().as_deref(), Some(made.fingerprint.as_str()));
    let recovery = made.recovery_key.clone().unwrap();
    let again = owner.ensure_dump_key(&admin, ADMIN_PW, None).unwrap();
    assert!(!again.made && again.recovery_key.is_none(), "{again:?}");
    assert_eq!(again.fingerprint, made.fingerprint, "one pair per server");

    owner.backup(&admin, &dump).unwrap();
    let bytes = std::fs::read(&dump).unwrap();
    assert!(bytes.starts_with(b"DERMIS-SEALED-1\n"));
    for marker in [&b"PGDMP"[..], b"COPY", b"patients", b"Park"] {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker),
            "{:?} in clear",
            String::from_utf8_lossy(marker)
        );
    }

    // The desk: refused, and her own login cannot read the key's rows.
    let (desk, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let e = desk
        .ensure_dump_key(&rita, DESK_PW, Some(&recovery))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    let e = desk
        .restore_server(&rita, &dump, None, &DumpUnlock::Recovery(&recovery))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    drop(desk);
    let mut raw = dermis_store::Store::open_pg_user(&url, "rita", DESK_PW).unwrap();
    assert!(raw.read(|tx| tx.dump_key("recovery", "")).is_err());
    assert!(raw.read(|tx| tx.dump_key("admin", "owner")).is_err());
    drop(raw);

    // Wrong keys open nothing.
    let setup = Some(cluster::SUPER_PASSWORD);
    for wrong in [
        DumpUnlock::Recovery("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"),
        DumpUnlock::Recovery("not a key"),
        DumpUnlock::Password("not my password at all"),
    ] {
        let e = owner
            .restore_server(&admin, &dump, setup, &wrong)
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    }

    // Work after the backup; the recovery key (typed in lower case) restores.
    owner
        .create_patient(
            &admin,
            &PatientInput {
                first_name: "Ann".into(),
                last_name: "Later".into(),
                ..ann()
            },
        )
        .unwrap();
    let r = owner
        .restore_server(
            &admin,
            &dump,
            setup,
            &DumpUnlock::Recovery(&recovery.to_lowercase()),
        )
        .unwrap();
    assert_eq!((r.restored.patients, r.kept.patients), (1, 2));
    assert!(search(&owner, &admin, "later").is_empty());
    // The data as it was, kept first, is sealed too.
    let kept = std::fs::read(&r.kept.path).unwrap();
    assert!(kept.starts_with(b"DERMIS-SEALED-1\n"));

    // A password change re-wraps the admin's copy: the old one opens nothing.
    const NEW_PW: &str = "copper meadow lantern violet";
    owner.change_password(&admin, ADMIN_PW, NEW_PW).unwrap();
    let e = owner
        .inspect_server_dump(&admin, &dump, &DumpUnlock::Password(ADMIN_PW))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    let kept_info = owner
        .inspect_server_dump(
            &admin,
            Path::new(&r.kept.path),
            &DumpUnlock::Password(NEW_PW),
        )
        .unwrap();
    assert_eq!(kept_info.patients, 2);

    // A second admin: a copy from the admin who creates them (their own,
    // opened with the password they signed in with, now the new one); the
    // recovery key re-gives it; a reset of their password by another admin
    // takes it away again.
    const PIET_PW: &str = "saffron orbit quarry thimble";
    owner
        .create_user(&admin, "piet", "Piet", PIET_PW, &[Role::Admin])
        .unwrap();
    let (second, piet) = signed_in(&url, keys.path(), "piet", PIET_PW);
    assert_eq!(
        second
            .inspect_server_dump(&piet, &dump, &DumpUnlock::Password(PIET_PW))
            .unwrap()
            .patients,
        1
    );
    assert!(
        second
            .ensure_dump_key(&piet, PIET_PW, None)
            .unwrap()
            .wrapped_for_you
    );
    assert!(
        second
            .ensure_dump_key(&piet, PIET_PW, Some(&recovery))
            .unwrap()
            .wrapped_for_you
    );
    assert_eq!(
        second
            .inspect_server_dump(&piet, &dump, &DumpUnlock::Password(PIET_PW))
            .unwrap()
            .patients,
        1
    );
    drop(second);
    const PIET_NEW: &str = "walnut ember canyon ribbon";
    owner.reset_password(&admin, "piet", PIET_NEW).unwrap();
    let (second, piet) = signed_in(&url, keys.path(), "piet", PIET_NEW);
    let e = second
        .inspect_server_dump(&piet, &dump, &DumpUnlock::Password(PIET_NEW))
        .unwrap_err();
    assert!(e.to_string().contains("holds no copy"), "{e}");
    drop(second);

    // One flipped byte: refused, nothing changed.
    let mut bad = bytes.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 1;
    let tampered = dir.path().join("tampered.dump");
    std::fs::write(&tampered, &bad).unwrap();
    let e = owner
        .restore_server(&admin, &tampered, setup, &DumpUnlock::Password(NEW_PW))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation, "{e}");
    assert!(e.to_string().contains("altered or damaged"), "{e}");
    assert_eq!(search(&owner, &admin, "zoe"), ["Zoë"]);
    assert!(owner.audit_verdict().unwrap().intact);
}

fn png_of(side: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut v = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(side, side, image::Rgb(rgb)))
        .write_to(&mut std::io::Cursor::new(&mut v), image::ImageFormat::Png)
        .unwrap();
    v
}

fn photo_tags(taken_on: &str) -> dermis_clinic::core::photo::PhotoTags {
    dermis_clinic::core::photo::PhotoTags {
        taken_on: taken_on.into(),
        area: dermis_clinic::core::assessment::TreatmentArea::Cheeks,
        angle: dermis_clinic::core::photo::PhotoAngle::Front,
        session_record_id: None,
        assessment_id: None,
    }
}

/// On the server a photo's bytes are rows of the database (no photo folder
/// on any PC): imported from one connection, seen whole from another, in the
/// progress summary, in a backup, and gone when deleted. The desk's own
/// credentials cannot read them even from psql.
#[test]
fn photos_live_in_the_server_database() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let p = owner.create_patient(&admin, &ann()).unwrap();
    let before = owner
        .import_photo(
            &admin,
            p.id,
            "before.png",
            &png_of(32, [200, 10, 10]),
            &photo_tags("2026-01-05"),
        )
        .unwrap();
    owner
        .import_photo(
            &admin,
            p.id,
            "after.png",
            &png_of(32, [10, 200, 10]),
            &photo_tags("2026-03-05"),
        )
        .unwrap();
    // Another PC (another connection) reads the same bytes.
    let (room2, admin2) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let (mime, bytes) = room2.photo_bytes(&admin2, before.id, false).unwrap();
    assert_eq!(mime, "image/png");
    let decoded = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(decoded.get_pixel(0, 0).0, [200, 10, 10]);
    assert!(!room2
        .photo_bytes(&admin2, before.id, true)
        .unwrap()
        .1
        .is_empty());
    assert!(
        !keys.path().join("photos").exists(),
        "no photo folder on the PC"
    );
    // The progress summary draws the before/after pair from the server.
    dermis_clinic::demo::add_clinical_demo(&owner, &admin, 1, 7).unwrap();
    let doc = room2
        .render_document(
            &admin2,
            &dermis_clinic::PrintRequest::ProgressSummary { patient_id: p.id.0 },
        )
        .unwrap();
    assert!(doc.bytes.starts_with(b"%PDF"));
    // One backup covers them.
    owner.ensure_dump_key(&admin, ADMIN_PW, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let b = owner.backup(&admin, &dir.path().join("c.dump")).unwrap();
    assert_eq!(b.photos, 2);
    // The desk: refused by the app, and by the engine from psql.
    let db = url.rsplit('/').next().unwrap();
    let mut config: postgres::Config = c.url(&format!("{db}_rita"), db).parse().unwrap();
    config.password(DESK_PW);
    let mut psql = config.connect(postgres::NoTls).unwrap();
    let e = psql
        .query("SELECT photo FROM photo_files", &[])
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{e}"
    );
    // Deleting the photo deletes its bytes.
    owner.delete_photo(&admin, before.id).unwrap();
    let mut su = c.superuser(db);
    let left: i64 = su
        .query_one("SELECT count(*) FROM photo_files", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 1);
}

/// Copies the keys folder of one PC to another (what joining does by hand today).
fn second_pc(keys: &Path) -> tempfile::TempDir {
    let other = tempfile::tempdir().unwrap();
    for f in ["audit-key", "audit-anchor"] {
        std::fs::copy(keys.join(f), other.path().join(f)).unwrap();
    }
    other
}

/// Five wrong passwords on one PC lock the user name on every PC for 15
/// minutes, although PostgreSQL (not the app) refuses each one: the PCs
/// count them through the clinic's sign-in gate. Other users are not locked.
#[test]
fn the_sign_in_lockout_holds_across_pcs() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let front = keys.path();
    let room2 = second_pc(front);
    for _ in 0..5 {
        let e = open_as(&url, front, "rita", "not her password")
            .err()
            .unwrap();
        assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    }
    // The right password, on the other PC, is now refused as locked.
    let e = open_as(&url, room2.path(), "Rita", DESK_PW).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Locked, "{e}");
    assert!(e.to_string().contains("15 minutes"), "{e}");
    let e = open_as(&url, front, "rita", DESK_PW).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Locked, "{e}");
    // Someone else signs in as usual.
    let owner = open_as(&url, room2.path(), "owner", ADMIN_PW).unwrap();
    sign_in(&owner, "owner", ADMIN_PW);
    // Four wrong passwords do not lock (the fifth does, above).
    let db = url.rsplit('/').next().unwrap();
    let mut su = c.superuser(db);
    su.execute(
        "UPDATE sign_in_failures SET at = '2000-01-01T00:00:00Z' WHERE id IN (SELECT id FROM sign_in_failures ORDER BY id LIMIT 2)",
        &[],
    )
    .unwrap();
    let desk = open_as(&url, room2.path(), "rita", DESK_PW).unwrap();
    sign_in(&desk, "rita", DESK_PW);
    // Once 15 minutes have passed the name is free again.
    su.execute(
        "UPDATE sign_in_failures SET at = '2000-01-01T00:00:00Z'",
        &[],
    )
    .unwrap();
    open_as(&url, front, "rita", DESK_PW).unwrap();
}

/// The receptionist's own credentials from a plain PostgreSQL client (psql):
/// no password hash, not even her own, and none of a plan's clinical columns
/// (its rationale, warnings, override reason); what she needs for her work
/// (names, the schedule, a plan's dates and counts) reads fine.
#[test]
fn the_desks_own_login_reads_no_password_hash_and_no_plan_reasoning() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let db = url.rsplit('/').next().unwrap();
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    owner.create_patient(&admin, &ann()).unwrap();
    // A screening, an assessment and an accepted plan for her.
    dermis_clinic::demo::add_clinical_demo(&owner, &admin, 1, 7).unwrap();
    let mut config: postgres::Config = c.url(&format!("{db}_rita"), db).parse().unwrap();
    config.password(DESK_PW);
    let mut psql = config.connect(postgres::NoTls).unwrap();
    let denied = |psql: &mut postgres::Client, sql: &str| {
        let e = psql.query(sql, &[]).unwrap_err();
        assert_eq!(
            e.code(),
            Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{sql}: {e}"
        );
    };
    denied(&mut psql, "SELECT password_hash FROM users");
    denied(
        &mut psql,
        "SELECT password_hash FROM users WHERE username = 'rita'",
    );
    denied(&mut psql, "SELECT * FROM users");
    denied(&mut psql, "SELECT rationale FROM plans");
    denied(&mut psql, "SELECT warnings FROM plans");
    denied(&mut psql, "SELECT override_reason FROM plans");
    denied(&mut psql, "SELECT * FROM plans");
    denied(&mut psql, "SELECT grade FROM assessments");
    denied(&mut psql, "UPDATE plans SET status = 'cancelled'");
    // Another account's hash through the function: nothing.
    let other: Option<String> = psql
        .query_one(
            "SELECT dermis_password_hash(id) FROM users WHERE username = 'owner'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(other, None);
    // What her work needs.
    let names: i64 = psql
        .query_one("SELECT count(display_name) FROM users", &[])
        .unwrap()
        .get(0);
    assert_eq!(names, 2);
    let count: i64 = psql
        .query_one("SELECT session_count FROM plans", &[])
        .unwrap()
        .get(0);
    assert!(count >= 1);
    let skin: i64 = psql
        .query_one("SELECT fitzpatrick FROM assessments", &[])
        .unwrap()
        .get(0);
    assert!((1..=6).contains(&skin));
}

/// The recall call list on the server (issue 18): the receptionist's own
/// login logs a call (INSERT granted), a practitioner's later session
/// re-plans the recalls (their DELETE sets the call's recall to NULL through
/// the foreign key) and the call stays on the list.
#[test]
fn the_desk_logs_recall_calls_on_the_server_and_re_planning_keeps_them() {
    use chrono::{Duration, NaiveDate};
    use dermis_clinic::core::plan::PlanRequest;
    use dermis_clinic::core::recall::{ContactOutcome, RecallContactInput};
    use dermis_clinic::core::session::{DepthZone, SessionRecordInput, ZoneDepthInput};
    use dermis_clinic::FixedClock;
    use std::sync::Arc;

    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let t0 = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut owner = open_as(&url, keys.path(), "owner", ADMIN_PW).unwrap();
    owner.set_clock(Arc::new(FixedClock::on(t0)));
    let admin = sign_in(&owner, "owner", ADMIN_PW);
    owner
        .create_user(
            &admin,
            "amira",
            "Dr Amira Haddad",
            "otter river stone",
            &[Role::Practitioner],
        )
        .unwrap();
    let p = owner.create_patient(&admin, &ann()).unwrap().id;
    owner
        .record_screening(&admin, p, &all_clear(&t0.to_string()))
        .unwrap();
    let a = owner
        .record_assessment(&admin, p, &boxcar_scars(&t0.to_string(), 2, 5, 0))
        .unwrap();
    let plan = owner
        .accept_plan(
            &admin,
            &PlanRequest {
                patient_id: p,
                assessment_id: a.id,
                start: t0.to_string(),
                adjust: None,
            },
        )
        .unwrap();
    let due = plan.maintenance[0];

    let mut desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    desk.set_clock(Arc::new(FixedClock::on(due + Duration::days(1))));
    let rita = sign_in(&desk, "rita", DESK_PW);
    let call = desk.recall_calls(&rita).unwrap().calls.remove(0);
    desk.record_recall_contact(
        &rita,
        call.recall_id,
        &RecallContactInput {
            outcome: ContactOutcome::LeftMessage,
            note: "voicemail".into(),
        },
    )
    .unwrap();

    // The practitioner records the first session (late): the recalls are re-planned.
    let mut dr = open_as(&url, keys.path(), "amira", "otter river stone").unwrap();
    dr.set_clock(Arc::new(FixedClock::on(t0 + Duration::days(1))));
    let amira = sign_in(&dr, "amira", "otter river stone");
    dermis_clinic::demo::sign_demo_consent(&dr, &amira, p, 1).unwrap();
    dr.record_session(
        &amira,
        plan.sessions[0].id,
        &SessionRecordInput {
            date: (t0 + Duration::days(1)).to_string(),
            numbing_cream: "".into(),
            numbing_minutes: None,
            device: "Pen A6".into(),
            cartridge_lot: "CART-1".into(),
            skin: dermis_clinic::core::session::SkinThickness::Thin,
            depths: vec![ZoneDepthInput {
                zone: DepthZone::CheeksChin,
                depth_mm: "1.0".into(),
            }],
            passes: 2,
            glide_product: "".into(),
            glide_lot: "".into(),
            endpoint: dermis_clinic::core::session::Endpoint::Erythema,
            immediate_reaction: "".into(),
            duration_minutes: None,
            notes: "".into(),
            confirm_above_ceiling: false,
            screening_override_reason: "".into(),
        },
    )
    .unwrap();
    let plans = owner.plans(&admin, p).unwrap();
    let new_due = plans[0].maintenance[0];
    desk.set_clock(Arc::new(FixedClock::on(new_due)));
    let rita = sign_in(&desk, "rita", DESK_PW);
    let row = desk.recall_calls(&rita).unwrap().calls.remove(0);
    assert_eq!(row.contacts.len(), 1, "the call survives re-planning");
    assert_eq!(row.contacts[0].note, "voicemail");
    assert_eq!(row.contacts[0].by, "Rita");
    assert_eq!(
        row.contacts[0].recall_id, None,
        "its recall was replaced by re-planning"
    );
    assert_ne!(row.recall_id, call.recall_id);
}

/// Consent forms on the clinic server: the receptionist's own connection
/// takes the patient's signature and sees where it stands; the engine
/// refuses her the signed content; a practitioner's connection confirms it.
#[test]
fn the_desk_takes_a_signature_on_the_server_and_the_owner_confirms_it() {
    use dermis_clinic::core::consent::{ConsentSignInput, ConsentStatus, PhotoUses};
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    let p = owner.create_patient(&admin, &ann()).unwrap();
    let (desk, rita) = signed_in(&url, keys.path(), "rita", DESK_PW);
    let taken = desk
        .sign_consent(
            &rita,
            &ConsentSignInput {
                patient_id: p.id,
                template: "microneedling".into(),
                template_version: Some(1),
                signature: dermis_clinic::demo::demo_signature(5),
                typed_name: String::new(),
                photo_uses: PhotoUses::default(),
                confirm: false,
            },
        )
        .unwrap();
    assert_eq!(taken.status, ConsentStatus::AwaitingConfirmation);
    assert_eq!(desk.consents(&rita, p.id).unwrap().len(), 1);
    assert!(desk.consent(&rita, taken.id).is_err());
    let confirmed = owner.confirm_consent(&admin, taken.id).unwrap();
    assert_eq!(confirmed.status, ConsentStatus::Signed);
    assert_eq!(confirmed.recorded_by, "Rita");
    assert!(owner.audit_verdict().unwrap().intact);
}

#[test]
fn the_desks_own_login_books_timed_consultations_clash_checked_on_the_server() {
    use chrono::NaiveDate;
    use dermis_clinic::FixedClock;
    use std::sync::Arc;

    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = clinic_on_server(c);
    // Tuesday 24 November 2026; the consultations are on the Wednesday.
    let t0 = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    owner.add_room(&admin, "Room 1").unwrap();
    let mut desk = open_as(&url, keys.path(), "rita", DESK_PW).unwrap();
    desk.set_clock(Arc::new(FixedClock::on(t0)));
    let rita = sign_in(&desk, "rita", DESK_PW);
    let a = desk.create_patient(&rita, &ann()).unwrap().id;
    let b = desk
        .create_patient(
            &rita,
            &PatientInput {
                first_name: "Bo".into(),
                last_name: "Lind".into(),
                date_of_birth: "1990-01-01".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    desk.book_consultation(&rita, a, "2026-11-25", "10:00")
        .unwrap();
    let day = desk.bookings(&rita, "2026-11-25", "2026-11-25").unwrap();
    assert_eq!(
        (
            day[0].practitioner_name.as_deref(),
            day[0].room_name.as_deref()
        ),
        (Some("Owner"), Some("Room 1")),
        "the clinic's only practitioner and room"
    );
    let e = dermis_clinic::ApiError::from(
        desk.book_consultation(&rita, b, "2026-11-25", "10:15")
            .unwrap_err(),
    );
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        "Owner already has P-000001 from 10:00 to 10:30 on Wed 2026-11-25. The next free slot for 30 minutes with Owner in Room 1 is Wed 2026-11-25 at 10:30."
    );
    assert_eq!(e.slot.map(|s| s.time), Some("10:30".to_string()));
    assert_eq!(
        desk.bookings(&rita, "2026-11-25", "2026-11-25")
            .unwrap()
            .len(),
        1,
        "nothing booked"
    );
}

#[test]
fn a_file_path_given_where_a_server_could_be_opens_that_clinic_file() {
    // `--db` and the connection file take either; a path is never sent to
    // a server as an address.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dermis.db");
    let c = Clinic::open_target(db.to_str().unwrap(), None).unwrap();
    assert!(c.server_url().is_none());
    assert!(c.status(None).unwrap().needs_setup);
    drop(c);
    assert!(db.exists());
}

#[test]
fn a_new_pc_that_holds_no_audit_key_yet_locks_a_name_after_its_own_count_of_wrong_passwords() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, .. } = clinic_on_server(c);
    // A PC that never joined: the server's own count needs the audit key,
    // so this PC counts the wrong passwords typed on it.
    let new_pc = tempfile::tempdir().unwrap();
    for _ in 0..dermis_clinic::MAX_FAILED_LOGINS {
        let e = open_as(&url, new_pc.path(), "rita", "not her password")
            .err()
            .unwrap();
        assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    }
    // Now even her right password is refused there, as locked.
    let e = open_as(&url, new_pc.path(), "rita", DESK_PW).err().unwrap();
    assert_eq!(e.code(), ErrorCode::Locked, "{e}");
    assert!(!new_pc.path().join("audit-key").exists());
    // Another PC that holds the key is not locked by this one's count.
    let joined = tempfile::tempdir().unwrap();
    signed_in(&url, joined.path(), "owner", ADMIN_PW);
}

#[test]
fn a_server_that_does_not_answer_is_not_counted_as_wrong_passwords_on_a_new_pc() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, .. } = clinic_on_server(c);
    let new_pc = tempfile::tempdir().unwrap();
    // The same PC's key folder, the server not answering (nothing listens
    // at that address): more attempts than the lockout allows.
    let dead = "postgresql://127.0.0.1:1/dermis";
    for _ in 0..=dermis_clinic::MAX_FAILED_LOGINS {
        let e = open_as(dead, new_pc.path(), "rita", DESK_PW).err().unwrap();
        assert_eq!(e.code(), ErrorCode::Unavailable, "{e}");
    }
    // It answers again: her password opens it, she was never locked out.
    signed_in(&url, new_pc.path(), "rita", DESK_PW);
}
