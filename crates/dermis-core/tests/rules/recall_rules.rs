//! Recall calls (issue 18) at their edges: what a logged call keeps, the
//! note's limit, and each outcome's stored name.

use dermis_core::recall::{validate_contact, ContactOutcome, RecallContactInput, CONTACT_NOTE_MAX};

fn note(text: &str) -> RecallContactInput {
    RecallContactInput {
        outcome: ContactOutcome::LeftMessage,
        note: text.into(),
    }
}

#[test]
fn a_call_note_is_kept_as_typed_without_the_spaces_around_it() {
    assert_eq!(
        validate_contact(&note("  Call back after 5 pm ")).unwrap(),
        "Call back after 5 pm"
    );
    assert_eq!(
        validate_contact(&note("")).unwrap(),
        "",
        "a note is optional"
    );
}

#[test]
fn a_call_note_of_five_hundred_characters_is_kept_and_one_more_refused() {
    assert_eq!(CONTACT_NOTE_MAX, 500);
    let at_limit = "n".repeat(500);
    assert_eq!(validate_contact(&note(&at_limit)).unwrap(), at_limit);
    let e = validate_contact(&note(&"n".repeat(501))).unwrap_err();
    assert_eq!(e.0[0].field, "note");
}

#[test]
fn each_call_outcome_is_stored_by_its_own_name_and_read_back() {
    let names: Vec<&str> = ContactOutcome::ALL.iter().map(|o| o.as_str()).collect();
    assert_eq!(
        names,
        ["called", "no_answer", "left_message", "booked", "declined"]
    );
    for o in ContactOutcome::ALL {
        assert_eq!(ContactOutcome::parse(o.as_str()), Some(o));
        assert_eq!(
            serde_json::to_string(&o).unwrap(),
            format!("\"{}\"", o.as_str())
        );
    }
    assert_eq!(ContactOutcome::parse(""), None);
}
