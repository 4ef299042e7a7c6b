//! The wire to the clinic server (issue 16): TLS pinned to the certificate
//! the admin confirmed, on the throwaway cluster (which offers TLS with a
//! self-signed certificate, as scripts/clinic-server.sh sets one up).

use dermis_store::tls::{self, Fingerprint};
use dermis_store::{Store, StoreError};

mod common;

fn pinned(c: &common::Cluster, db: &str, fingerprint: &str) -> String {
    tls::with_pin(
        &c.url("postgres", db),
        Fingerprint::parse(fingerprint).unwrap(),
    )
    .unwrap()
}

#[test]
fn probing_the_server_shows_the_fingerprint_the_set_up_printed() {
    let Some(c) = common::cluster() else { return };
    let seen = tls::probe(&c.url("nobody", "postgres")).unwrap();
    assert_eq!(seen.to_string(), c.fingerprint);
}

#[test]
fn with_the_right_fingerprint_the_store_works_over_tls() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let url = pinned(c, &db, &c.fingerprint);
    let mut store = Store::open_pg(&url, Some(common::SUPER_PASSWORD)).unwrap();
    store
        .write(|tx| -> Result<(), StoreError> {
            tx.append_audit(&dermis_store::AuditEntry {
                at: "2026-11-30T12:00:00Z".into(),
                user_id: None,
                username: "dermis".into(),
                action: "tls.check".into(),
                entity: "".into(),
                entity_id: "".into(),
                detail: "".into(),
            })
        })
        .unwrap();
    // The server says this very connection is encrypted: every session of
    // this database's owner that is not encrypted would show here.
    let mut admin = c.superuser(&db);
    let plain: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid
             WHERE a.datname = $1 AND a.application_name = 'dermis' AND NOT s.ssl",
            &[&db],
        )
        .unwrap()
        .get(0);
    let encrypted: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid
             WHERE a.datname = $1 AND a.application_name = 'dermis' AND s.ssl",
            &[&db],
        )
        .unwrap()
        .get(0);
    assert_eq!((plain, encrypted), (0, 1));
}

#[test]
fn another_certificate_is_refused_with_both_fingerprints_named() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let other = "AA:".repeat(31) + "AA";
    let err = Store::open_pg(&pinned(c, &db, &other), Some(common::SUPER_PASSWORD))
        .err()
        .expect("a server with another certificate is refused")
        .to_string();
    assert!(err.contains(&c.fingerprint), "{err}");
    assert!(err.contains(&other), "{err}");
    assert!(err.contains("Do not sign in"), "{err}");
}

#[test]
fn a_pinned_address_never_falls_back_to_plain_text() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let url = format!("{}&sslmode=disable", pinned(c, &db, &c.fingerprint));
    let err = Store::open_pg(&url, Some(common::SUPER_PASSWORD))
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("sslmode=disable"), "{err}");
}

#[test]
fn a_server_backup_through_a_pinned_address_is_made_and_verified() {
    // pg_dump and pg_restore (libpq) do not know Dermis's pin: they get the
    // address without it, with TLS and SCRAM channel binding required.
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let url = pinned(c, &db, &c.fingerprint);
    let mut s = Store::open_pg(&url, Some(common::SUPER_PASSWORD)).unwrap();
    s.set_audit_key(b"the clinic key 0123456789".to_vec());
    common::a_plan(&mut s);
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("clinic.dump");
    let (secret, public) = dermis_store::new_dump_key_pair();
    let info = s
        .backup_server(&dump, Some(common::SUPER_PASSWORD), &public)
        .unwrap();
    assert_eq!(info.patients(), 1);
    let again = dermis_store::inspect_server_backup(
        &url,
        Some(common::SUPER_PASSWORD),
        &dump,
        Some(&secret),
    )
    .unwrap();
    assert_eq!(again.audit, info.audit);
}
