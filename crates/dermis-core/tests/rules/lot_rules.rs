//! Lot trace (issue 18) at its edges: the form's limits, the date range, and
//! the words and stored names of where a lot was found.

use dermis_core::session::{validate_lot_trace, LotField, LotTraceFilter};

fn form(lot: &str, from: &str, to: &str) -> LotTraceFilter {
    LotTraceFilter {
        lot: lot.into(),
        from: from.into(),
        to: to.into(),
    }
}

#[test]
fn a_lot_of_two_hundred_characters_is_traced_and_one_more_is_refused() {
    let at_limit = "L".repeat(200);
    let t = validate_lot_trace(&form(&at_limit, "", "")).unwrap();
    assert_eq!(t.lot, at_limit);
    let e = validate_lot_trace(&form(&"L".repeat(201), "", "")).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].field, "lot");
    assert_eq!(
        e.0[0].message,
        "The lot is too long: 201 characters, the limit is 200."
    );
    // Counted in characters, not bytes: 200 accented letters are fine.
    assert!(validate_lot_trace(&form(&"É".repeat(200), "", "")).is_ok());
}

#[test]
fn a_lot_with_a_control_character_is_refused_as_unprintable() {
    let e = validate_lot_trace(&form("LOT\u{7}77", "", "")).unwrap_err();
    assert_eq!(e.0[0].field, "lot");
    assert_eq!(
        e.0[0].message,
        "The lot contains characters that cannot be printed."
    );
}

#[test]
fn the_trace_is_shown_as_typed_and_matched_in_lower_case() {
    let t = validate_lot_trace(&form(" \u{200B}LOT-77 ", "", "")).unwrap();
    assert_eq!(t.lot, "LOT-77");
    assert_eq!(t.key, "lot-77");
    assert_eq!((t.from, t.to), (None, None));
}

#[test]
fn a_one_day_range_is_fine_and_a_range_ending_before_it_starts_is_refused() {
    let day = "2026-05-01";
    let t = validate_lot_trace(&form("A", day, day)).unwrap();
    assert_eq!(t.from, t.to);
    assert_eq!(t.from.unwrap().to_string(), day);
    assert!(validate_lot_trace(&form("A", "2026-05-01", "2026-05-02")).is_ok());
    let e = validate_lot_trace(&form("A", "2026-05-02", "2026-05-01")).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].field, "to");
    // Either end alone is fine.
    assert!(validate_lot_trace(&form("A", day, ""))
        .unwrap()
        .to
        .is_none());
    assert!(validate_lot_trace(&form("A", "", day))
        .unwrap()
        .from
        .is_none());
}

#[test]
fn a_date_that_is_not_a_date_is_an_error_on_its_own_field() {
    let e = validate_lot_trace(&form("A", "yesterday", "2026-13-01")).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["from", "to"]);
}

#[test]
fn where_a_lot_was_found_reads_as_the_session_form_names_it() {
    let all = [
        LotField::Cartridge,
        LotField::Glide,
        LotField::Device,
        LotField::NumbingCream,
    ];
    let labels: Vec<&str> = all.iter().map(|f| f.label()).collect();
    assert_eq!(
        labels,
        [
            "Cartridge lot",
            "Glide or serum lot",
            "Device",
            "Numbing cream"
        ]
    );
    let names: Vec<&str> = all.iter().map(|f| f.as_str()).collect();
    assert_eq!(names, ["cartridge", "glide", "device", "numbing_cream"]);
    // The stored name is the one the UI receives.
    for f in all {
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            format!("\"{}\"", f.as_str())
        );
    }
}
