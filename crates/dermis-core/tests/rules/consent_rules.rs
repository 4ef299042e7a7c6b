//! Consent (issue 18): how a signature was made is stored by name and read
//! back, and each photo use is answered on its own.

use dermis_core::consent::{PhotoUse, PhotoUses, SignatureMethod};

#[test]
fn a_drawn_or_typed_signature_is_stored_by_its_name_and_read_back() {
    for (m, name) in [
        (SignatureMethod::Drawn, "drawn"),
        (SignatureMethod::Typed, "typed"),
    ] {
        assert_eq!(m.as_str(), name);
        assert_eq!(SignatureMethod::parse(name), Some(m));
        // The name stored is the one the JSON carries.
        assert_eq!(serde_json::to_value(m).unwrap(), name);
    }
    for unknown in ["", "Drawn", "signed", "typed "] {
        assert_eq!(SignatureMethod::parse(unknown), None, "{unknown:?}");
    }
}

#[test]
fn each_photo_use_is_allowed_only_by_its_own_answer() {
    let uses = [PhotoUse::Record, PhotoUse::Teaching, PhotoUse::Marketing];
    for (i, yes) in uses.iter().enumerate() {
        let answers = PhotoUses {
            record: i == 0,
            teaching: i == 1,
            marketing: i == 2,
        };
        for u in uses {
            assert_eq!(answers.allows(u), u == *yes, "{answers:?} for {u:?}");
        }
    }
    assert!(uses.iter().all(|u| !PhotoUses::default().allows(*u)));
}
