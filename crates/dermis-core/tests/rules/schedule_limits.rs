//! The scheduling settings an admin edits (issue 19) at their edges: a kind's
//! key and length, the built-in kinds, a room's name.

use dermis_core::schedule::{room_name, validate_kinds, AppointmentKind, ScheduleSettings};

fn kind(key: &str, minutes: u32, numbing: u32) -> AppointmentKind {
    AppointmentKind {
        key: key.into(),
        label: "Peel check".into(),
        minutes,
        numbing_minutes: numbing,
        active: true,
    }
}

fn with(extra: AppointmentKind) -> Vec<AppointmentKind> {
    let mut kinds = ScheduleSettings::default().kinds;
    kinds.push(extra);
    kinds
}

fn fields(kinds: &[AppointmentKind]) -> Vec<String> {
    validate_kinds(kinds)
        .unwrap_err()
        .0
        .into_iter()
        .map(|f| f.field)
        .collect()
}

#[test]
fn a_kind_key_of_forty_characters_is_kept_and_forty_one_refused() {
    let forty = "k".repeat(40);
    let kept = validate_kinds(&with(kind(&forty, 20, 0))).unwrap();
    assert_eq!(kept.last().unwrap().key, forty);
    assert_eq!(fields(&with(kind(&"k".repeat(41), 20, 0))), ["kinds.4.key"]);
    assert_eq!(fields(&with(kind("", 20, 0))), ["kinds.4.key"]);
}

#[test]
fn a_kind_key_is_lower_case_letters_digits_dash_and_underscore() {
    let kept = validate_kinds(&with(kind("  Peel_check-2 ", 20, 0))).unwrap();
    assert_eq!(kept.last().unwrap().key, "peel_check-2");
    for bad in ["peel check", "peel.check", "pèel", "peel/2"] {
        assert_eq!(fields(&with(kind(bad, 20, 0))), ["kinds.4.key"], "{bad:?}");
    }
}

#[test]
fn a_kind_listed_twice_is_named_in_the_error() {
    let e = validate_kinds(&with(kind("Review", 20, 0))).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].field, "kinds.4.key");
    assert_eq!(e.0[0].message, "The kind \"review\" is listed twice.");
}

#[test]
fn a_kind_lasts_five_minutes_to_eight_hours_and_its_error_names_its_row() {
    assert!(validate_kinds(&with(kind("a", 5, 0))).is_ok());
    assert!(validate_kinds(&with(kind("a", 480, 0))).is_ok());
    assert_eq!(fields(&with(kind("a", 4, 0))), ["kinds.4.minutes"]);
    assert_eq!(fields(&with(kind("a", 481, 0))), ["kinds.4.minutes"]);
    assert_eq!(
        fields(&with(kind("a", 30, 30))),
        ["kinds.4.numbing_minutes"]
    );
    assert!(validate_kinds(&with(kind("a", 30, 29))).is_ok());
}

#[test]
fn a_kind_without_a_name_is_refused_on_its_name() {
    let mut k = kind("a", 20, 0);
    k.label = "  ".into();
    assert_eq!(fields(&with(k)), ["kinds.4.label"]);
}

#[test]
fn a_built_in_kind_with_a_bad_length_is_that_error_and_not_a_removal() {
    // The session kind is still listed: only its length is wrong.
    let mut kinds = ScheduleSettings::default().kinds;
    kinds[0].minutes = 481;
    let e = validate_kinds(&kinds).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e:?}");
    assert_eq!(e.0[0].field, "kinds.0.minutes");
}

#[test]
fn removing_a_built_in_kind_is_refused_and_named() {
    for (i, built_in) in ["session", "consultation", "review"].iter().enumerate() {
        let mut kinds = ScheduleSettings::default().kinds;
        kinds.remove(i);
        let e = validate_kinds(&kinds).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "kinds");
        assert_eq!(
            e.0[0].message,
            format!("The kind \"{built_in}\" cannot be removed (retire it instead).")
        );
    }
    // "other" is the clinic's own: it may go.
    let mut kinds = ScheduleSettings::default().kinds;
    kinds.retain(|k| k.key != "other");
    assert_eq!(validate_kinds(&kinds).unwrap().len(), 3);
}

#[test]
fn a_kind_keeps_its_lengths_and_whether_it_is_offered() {
    let mut k = kind("peel", 25, 10);
    k.active = false;
    let kept = validate_kinds(&with(k)).unwrap();
    let last = kept.last().unwrap();
    assert_eq!(
        (last.minutes, last.numbing_minutes, last.active),
        (25, 10, false)
    );
    assert_eq!(last.label, "Peel check");
}

#[test]
fn a_room_name_of_sixty_characters_is_kept_and_sixty_one_refused() {
    let sixty = "R".repeat(60);
    assert_eq!(room_name(&sixty).unwrap(), sixty);
    let e = room_name(&"R".repeat(61)).unwrap_err();
    assert_eq!(e.field, "name");
    assert_eq!(e.message, "A room's name is at most 60 characters.");
    assert!(room_name(&"é".repeat(60)).is_ok(), "characters, not bytes");
}
