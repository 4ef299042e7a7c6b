//! Who holds a copy of the clinic server's backup key (issue 21, session 9):
//! the copies follow who is an admin. A deactivated admin's copy goes in the
//! same transaction (their password then opens no sealed dump, as a wrong
//! key), the other admins' copies and the recovery key keep opening them,
//! and the audit entry says a copy was removed. A new admin gets a copy from
//! the admin who creates them, when that admin holds one; otherwise they
//! hold none and are told how to get one. On a throwaway PostgreSQL cluster.

use dermis_clinic::core::Role;
use dermis_clinic::{Actor, Clinic, DumpUnlock, ErrorCode};

mod common;
use common::zoe_park as patient;
use common::{cluster, owner_only_on_server, signed_in, OnServer, ADMIN_PW};

const PIET_PW: &str = "saffron orbit quarry thimble";
const LENA_PW: &str = "juniper cobalt meadow anchor";
const EARLY_PW: &str = "thistle garnet harbour mosaic";
const LATE_PW: &str = "pebble saffron willow quartz";

/// The stored copy of `user`, read with the setup user's rights (the
/// table's owner): what a deactivated admin who kept their password would
/// need to open a dump.
fn copy_of(url: &str, user: &str) -> Option<String> {
    let mut raw = dermis_store::Store::open_pg(url, Some(cluster::SUPER_PASSWORD)).unwrap();
    raw.read(|tx| tx.dump_key("admin", user)).unwrap()
}

/// The detail of the newest audit entry `action`.
fn last_detail(c: &Clinic, admin: &Actor, action: &str) -> String {
    c.audit_log(admin)
        .unwrap()
        .into_iter()
        .rev()
        .find(|r| r.entry.action == action)
        .map(|r| r.entry.detail)
        .unwrap_or_else(|| panic!("no {action} entry"))
}

#[test]
fn a_deactivated_admins_password_no_longer_opens_the_server_dumps() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = owner_only_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    owner.create_patient(&admin, &patient()).unwrap();
    let recovery = owner
        .ensure_dump_key(&admin, ADMIN_PW, None)
        .unwrap()
        .recovery_key
        .unwrap();

    // Two new admins: each gets a copy from the owner in the same command.
    for (name, pw) in [("piet", PIET_PW), ("lena", LENA_PW)] {
        owner
            .create_user(&admin, name, name, pw, &[Role::Admin])
            .unwrap();
        assert!(copy_of(&url, name).is_some(), "{name} got no copy");
        assert_eq!(
            last_detail(&owner, &admin, "user.create"),
            r#"{"backup_key_copy_given":true}"#
        );
    }
    // A receptionist gets none.
    owner
        .create_user(&admin, "rita", "Rita", EARLY_PW, &[Role::Receptionist])
        .unwrap();
    assert_eq!(copy_of(&url, "rita"), None);
    assert_eq!(last_detail(&owner, &admin, "user.create"), "");

    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("clinic.dump");
    owner.backup(&admin, &dump).unwrap();

    // Piet opens it with his own password, signed in on his own PC.
    let (his, piet) = signed_in(&url, keys.path(), "piet", PIET_PW);
    let seen = his
        .inspect_server_dump(&piet, &dump, &DumpUnlock::Password(PIET_PW))
        .unwrap();
    assert_eq!(seen.patients, 1);

    // Deactivated: his copy is gone in that transaction, and the entry says so.
    owner.deactivate_user(&admin, "piet").unwrap();
    assert_eq!(copy_of(&url, "piet"), None);
    assert_eq!(
        last_detail(&owner, &admin, "user.deactivate"),
        r#"{"backup_key_copy_removed":true}"#
    );
    // His session still open on his PC: his password opens nothing now,
    // refused as a wrong key would be.
    let e = his
        .inspect_server_dump(&piet, &dump, &DumpUnlock::Password(PIET_PW))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    drop(his);

    // Lena's copy and the recovery key still open the same dump.
    let (hers, lena) = signed_in(&url, keys.path(), "lena", LENA_PW);
    assert_eq!(
        hers.inspect_server_dump(&lena, &dump, &DumpUnlock::Password(LENA_PW))
            .unwrap()
            .patients,
        1
    );
    assert_eq!(
        hers.inspect_server_dump(&lena, &dump, &DumpUnlock::Recovery(&recovery))
            .unwrap()
            .patients,
        1
    );
    drop(hers);

    // Lena deactivated too: the owner, the last admin, keeps their copy, and
    // the recovery key's copy is never removed. An admin cannot deactivate
    // themselves, so the key never ends up with nobody able to open it.
    owner.deactivate_user(&admin, "lena").unwrap();
    assert_eq!(copy_of(&url, "lena"), None);
    let e = owner.deactivate_user(&admin, "owner").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation, "{e}");
    assert!(copy_of(&url, "owner").is_some());
    for unlock in [
        DumpUnlock::Password(ADMIN_PW),
        DumpUnlock::Recovery(&recovery),
    ] {
        assert_eq!(
            owner
                .inspect_server_dump(&admin, &dump, &unlock)
                .unwrap()
                .patients,
            1
        );
    }

    // A receptionist deactivated held no copy: the entry says nothing of one.
    owner.deactivate_user(&admin, "rita").unwrap();
    assert_eq!(last_detail(&owner, &admin, "user.deactivate"), "");
    assert!(owner.audit_verdict().unwrap().intact);
}

/// A password reset by another admin takes the copy away (it was wrapped
/// under the old password) and the entry says so.
#[test]
fn a_reset_password_takes_the_copy_away_and_the_audit_says_so() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = owner_only_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    owner.ensure_dump_key(&admin, ADMIN_PW, None).unwrap();
    owner
        .create_user(&admin, "piet", "Piet", PIET_PW, &[Role::Admin])
        .unwrap();
    assert!(copy_of(&url, "piet").is_some());
    owner.reset_password(&admin, "piet", LENA_PW).unwrap();
    assert_eq!(copy_of(&url, "piet"), None);
    assert_eq!(
        last_detail(&owner, &admin, "user.reset_password"),
        r#"{"backup_key_copy_removed":true}"#
    );
    // Reset again: no copy left to remove, nothing said.
    owner.reset_password(&admin, "piet", PIET_PW).unwrap();
    assert_eq!(last_detail(&owner, &admin, "user.reset_password"), "");
}

/// An admin made before the key exists, or by an admin who holds no copy,
/// has none: restoring with their password is refused with the way to get
/// one (the recovery key), which then works.
#[test]
fn a_new_admin_made_by_an_admin_without_a_copy_is_told_how_to_get_one() {
    let Some(c) = cluster::cluster() else { return };
    let OnServer { url, keys, .. } = owner_only_on_server(c);
    let (owner, admin) = signed_in(&url, keys.path(), "owner", ADMIN_PW);
    owner
        .create_user(&admin, "early", "Early", EARLY_PW, &[Role::Admin])
        .unwrap();
    let recovery = owner
        .ensure_dump_key(&admin, ADMIN_PW, None)
        .unwrap()
        .recovery_key
        .unwrap();
    owner.create_patient(&admin, &patient()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("clinic.dump");
    owner.backup(&admin, &dump).unwrap();

    let (theirs, early) = signed_in(&url, keys.path(), "early", EARLY_PW);
    theirs
        .create_user(&early, "late", "Late", LATE_PW, &[Role::Admin])
        .unwrap();
    assert_eq!(copy_of(&url, "early"), None);
    assert_eq!(copy_of(&url, "late"), None);
    let (later, late) = signed_in(&url, keys.path(), "late", LATE_PW);
    let e = later
        .inspect_server_dump(&late, &dump, &DumpUnlock::Password(LATE_PW))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    assert!(
        e.to_string().contains("holds no copy") && e.to_string().contains("recovery key"),
        "{e}"
    );
    let got = later
        .ensure_dump_key(&late, LATE_PW, Some(&recovery))
        .unwrap();
    assert!(got.wrapped_for_you && !got.made, "{got:?}");
    assert_eq!(
        later
            .inspect_server_dump(&late, &dump, &DumpUnlock::Password(LATE_PW))
            .unwrap()
            .patients,
        1
    );
}
