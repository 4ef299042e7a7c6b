//! Consent templates and signed consents on both backends; what the desk's
//! own PostgreSQL login may read of a signed consent.

use dermis_core::consent::{ConsentStatus, PhotoUses, SignatureMethod, Strokes};
use dermis_core::Role;
use dermis_store::{Confirmation, NewConsent, Store, StoreError};

mod common;

const NOW: &str = "2026-11-24T12:00:00Z";

fn strokes() -> Strokes {
    Strokes {
        strokes: vec![
            vec![(10.0, 20.0), (30.5, 40.0)],
            vec![(50.0, 60.0), (70.0, 80.0)],
        ],
    }
}

/// A patient (via `a_plan`) and a consent signed for them; (patient, user, consent).
fn signed(s: &mut Store) -> (i64, i64, i64) {
    let plan = common::a_plan(s);
    s.write(|tx| -> Result<_, StoreError> {
        let p = tx.plan(plan)?.unwrap().patient_id.0;
        let user = tx.users()?[0].id;
        let sig = strokes();
        let id = tx.insert_consent(&NewConsent {
            patient_id: p,
            template_key: "microneedling",
            template_version: 1,
            title: "Consent to microneedling treatment",
            text: "The text as read.",
            patient_name: "Ann Lee",
            patient_number: "P-000001",
            method: SignatureMethod::Drawn,
            strokes: &sig,
            typed_name: "",
            photo_uses: PhotoUses {
                record: true,
                teaching: false,
                marketing: true,
            },
            signed_at: NOW,
            recorded_by: user,
        })?;
        Ok((p, user, id))
    })
    .unwrap()
}

on_both_backends! {
    fn template_versions_start_after_the_default_and_count_up(s) {
        common::a_plan(&mut s);
        let user = s.read(|tx| tx.users()).unwrap()[0].id;
        assert_eq!(s.read(|tx| tx.current_consent_template("microneedling")).unwrap(), None);
        let (_, v2) = s.write(|tx| tx.insert_consent_template("microneedling", "T2", "Body two", user, NOW)).unwrap();
        let (_, v3) = s.write(|tx| tx.insert_consent_template("microneedling", "T3", "Body three", user, NOW)).unwrap();
        assert_eq!((v2, v3), (2, 3));
        let current = s.read(|tx| tx.current_consent_template("microneedling")).unwrap().unwrap();
        assert_eq!((current.version, current.body.as_str(), current.created_by.as_str()), (3, "Body three", "Anna"));
        let all = s.read(|tx| tx.consent_templates()).unwrap();
        assert_eq!(all.iter().map(|t| t.version).collect::<Vec<_>>(), vec![3, 2]);
    }

    fn a_signed_consent_is_frozen_then_confirmed_once_then_revoked_once(s) {
        let (p, user, id) = signed(&mut s);
        let c = s.read(|tx| tx.consent(id)).unwrap().unwrap();
        assert_eq!(c.status, ConsentStatus::AwaitingConfirmation);
        assert_eq!(c.signature, strokes());
        assert_eq!(c.photo_uses, PhotoUses { record: true, teaching: false, marketing: true });
        assert_eq!(c.text, "The text as read.");
        let pdf = b"%PDF-1.7 fake".to_vec();
        let conf = Confirmation { user_id: user, at: NOW, content_sha256: "abc", pdf: &pdf, pdf_sha256: "def" };
        s.write(|tx| tx.confirm_consent(id, &conf)).unwrap();
        let again = s.write(|tx| tx.confirm_consent(id, &conf)).unwrap_err();
        assert!(matches!(again, StoreError::Conflict(_)), "{again}");
        assert_eq!(s.read(|tx| tx.consent_pdf(id)).unwrap(), Some(pdf.clone()));
        let c = s.read(|tx| tx.consent(id)).unwrap().unwrap();
        assert_eq!((c.status, c.confirmed_by.as_deref(), c.pdf_sha256.as_deref()), (ConsentStatus::Signed, Some("Anna"), Some("def")));
        s.write(|tx| tx.revoke_consent(id, user, "Changed her mind", NOW)).unwrap();
        assert!(s.write(|tx| tx.revoke_consent(id, user, "again", NOW)).is_err());
        let list = s.read(|tx| tx.consent_summaries(p)).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].status, ConsentStatus::Revoked);
        let full = s.read(|tx| tx.consents(p)).unwrap();
        assert_eq!(full[0].revoke_reason, "Changed her mind");
        assert!(s.write(|tx| tx.confirm_consent(id, &conf)).is_err(), "a withdrawn consent is never confirmed");
    }

    fn erasing_a_patient_erases_their_consents(s) {
        let (p, _, _) = signed(&mut s);
        s.write(|tx| tx.erase_patient(p)).unwrap().unwrap();
        assert!(s.read(|tx| tx.consents(p)).unwrap().is_empty());
    }
}

#[test]
fn the_desk_login_stores_a_signature_and_reads_only_where_a_consent_stands() {
    let Some(c) = common::cluster() else { return };
    let db = c.new_database();
    let mut setup = common::pg_store_on(&db);
    setup.setup_server_roles().unwrap();
    let desk = setup
        .set_server_login("rita", "rita-pass-1", &[Role::Receptionist], true)
        .unwrap()
        .unwrap();
    let (p, _, id) = signed(&mut setup);
    drop(setup);
    let mut s = Store::open_pg(&c.url(&desk, &db), Some("rita-pass-1")).unwrap();
    let list = s.read(|tx| tx.consent_summaries(p)).unwrap();
    assert_eq!(list[0].id.0, id);
    let refused = s.read(|tx| tx.consent(id)).unwrap_err();
    assert!(
        refused.to_string().contains("permission denied"),
        "{refused}"
    );
    assert!(s.read(|tx| tx.consent_pdf(id)).is_err());
    assert!(s.write(|tx| tx.revoke_consent(id, 1, "x", NOW)).is_err());
}
