//! Scheduling rules: when an appointment may sit on the calendar, and where the
//! next one fits (PRODUCT.md section 3, "Calendar"; issue 19).
//!
//! Why pure functions over a day's blocks rather than SQL: a clash is a
//! question about intervals (`[start, start + minutes)` of the same
//! practitioner or the same room), about the practitioner's hours and about
//! the clinic's open days. The store hands over the timed blocks of the days
//! concerned (a few dozen rows per day), and everything below decides on them,
//! so every boundary (exactly back-to-back, one minute of overlap, the last
//! slot before closing) is tested here without a database, and both store
//! backends share one rule.
//!
//! The walk of a booking:
//! 1. [`check`] answers `Ok` or the first [`Clash`] (closed day, outside the
//!    practitioner's hours, the practitioner busy, the room busy);
//! 2. [`next_free`] searches forward from a date and time for the first start
//!    where the same practitioner, room and length fit;
//! 3. [`conflict_message`] writes the sentence the desk reads: the other
//!    appointment's time, its patient NUMBER (never a name or a clinical fact:
//!    the sentence may reach anyone who books) and who or what is busy, and the
//!    next free slot.
//!
//! Times of day are minutes after midnight (`u32`); on the wire and in the
//! database they are `HH:MM` text.

use crate::error::{FieldError, ValidationErrors};
use crate::ids::{AppointmentId, PatientId, PlannedSessionId, RoomId, UserId};
use crate::settings::{ClinicCalendar, Weekday};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kind key of a plan's treatment session (always present).
pub const SESSION: &str = "session";
/// The kind key of a first consultation (always present).
pub const CONSULTATION: &str = "consultation";
/// The kind key of a review visit (always present).
pub const REVIEW: &str = "review";

/// The shortest and the longest appointment, in minutes.
pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 8 * 60;
/// How far ahead [`next_free`] looks, in days.
pub const SEARCH_DAYS: i64 = 60;
/// A practitioner's hours when the clinic has not set any: 09:00–17:00 on
/// every day the clinic is open.
pub const DEFAULT_START: u32 = 9 * 60;
pub const DEFAULT_END: u32 = 17 * 60;
/// Free slots are offered on this grid (and right after another appointment).
pub const GRID_MINUTES: u32 = 15;

/// One kind of visit the clinic books, with its default length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppointmentKind {
    /// Stable key (`session`, `consultation`, `review`, or the clinic's own).
    pub key: String,
    /// What the desk reads.
    pub label: String,
    pub minutes: u32,
    /// The numbing-cream part at the start of the block (shaded on the grid).
    pub numbing_minutes: u32,
    /// Retired kinds stay on old appointments but are not offered.
    pub active: bool,
}

/// One working day of a practitioner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayHours {
    pub weekday: Weekday,
    /// `HH:MM`
    pub start: String,
    /// `HH:MM`, after `start`.
    pub end: String,
}

/// A practitioner's working hours; weekdays not listed are days off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PractitionerHours {
    pub user_id: UserId,
    pub days: Vec<DayHours>,
}

/// The scheduling settings: kinds with their default lengths, and the
/// practitioners' hours that differ from the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleSettings {
    pub kinds: Vec<AppointmentKind>,
    #[serde(default)]
    pub hours: Vec<PractitionerHours>,
}

impl Default for ScheduleSettings {
    /// Session 60 minutes including 20 of numbing (the seed: "usually lasts
    /// about 30 to 60 minutes", numbing cream applied beforehand),
    /// consultation 30, review 15.
    fn default() -> Self {
        let kind = |key: &str, label: &str, minutes, numbing_minutes| AppointmentKind {
            key: key.into(),
            label: label.into(),
            minutes,
            numbing_minutes,
            active: true,
        };
        ScheduleSettings {
            kinds: vec![
                kind(SESSION, "Treatment session", 60, 20),
                kind(CONSULTATION, "First consultation", 30, 0),
                kind(REVIEW, "Review", 15, 0),
                kind("other", "Other visit", 30, 0),
            ],
            hours: vec![],
        }
    }
}

impl ScheduleSettings {
    pub fn kind(&self, key: &str) -> Option<&AppointmentKind> {
        self.kinds.iter().find(|k| k.key == key)
    }

    /// The hours a practitioner works on `date`: their own if set, else the
    /// default on the clinic's open weekdays. `None`: a day off, or closed.
    pub fn hours_on(
        &self,
        practitioner: UserId,
        date: NaiveDate,
        calendar: &ClinicCalendar,
    ) -> Option<(u32, u32)> {
        if !calendar.is_open(date) {
            return None;
        }
        let weekday = Weekday::from_chrono(date.weekday());
        match self.hours.iter().find(|h| h.user_id == practitioner) {
            Some(h) => h
                .days
                .iter()
                .find(|d| d.weekday == weekday)
                .and_then(|d| Some((minute_of(&d.start)?, minute_of(&d.end)?))),
            None => Some((DEFAULT_START, DEFAULT_END)),
        }
    }

    /// A practitioner's week as shown in Settings (the default when unset).
    pub fn week_of(&self, practitioner: UserId, open: &[Weekday]) -> Vec<DayHours> {
        match self.hours.iter().find(|h| h.user_id == practitioner) {
            Some(h) => h.days.clone(),
            None => open
                .iter()
                .map(|w| DayHours {
                    weekday: *w,
                    start: hhmm(DEFAULT_START),
                    end: hhmm(DEFAULT_END),
                })
                .collect(),
        }
    }
}

/// Which booking a command means: an appointment, or a plan's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BookingKey {
    Appointment(AppointmentId),
    Session(PlannedSessionId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BookingStatus {
    Booked,
    /// A plan session already recorded.
    Done,
}

/// One block of the day grid: who, where, when, how long. Carries the
/// patient's number and name (the desk needs them), never clinical facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Booking {
    pub key: BookingKey,
    pub kind: String,
    pub kind_label: String,
    /// For a plan's session: its number and the plan's session count.
    pub session_n: Option<u32>,
    pub session_of: Option<u32>,
    pub patient_id: PatientId,
    pub patient_number: String,
    pub first_name: String,
    pub last_name: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// `HH:MM`; none while a planned session has a date but no time yet.
    pub time: Option<String>,
    pub minutes: u32,
    pub numbing_minutes: u32,
    pub practitioner_id: Option<UserId>,
    pub practitioner_name: Option<String>,
    pub room_id: Option<RoomId>,
    pub room_name: Option<String>,
    pub status: BookingStatus,
    /// When the patient arrived (RFC 3339), if checked in.
    pub checked_in_at: Option<String>,
    /// The desk flagged this visit as running late.
    pub running_late: bool,
    /// How many changes the booking has been through (1 when booked): a
    /// move, resize, cancel or "running late" sends back the version it
    /// showed, and is refused as a conflict when another desk changed the
    /// booking since (issue 16).
    #[ts(type = "number")]
    pub version: i64,
}

/// A treatment room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    /// Retired rooms keep their past appointments but take no new ones.
    pub active: bool,
}

/// A column of the day grid: a practitioner and their hours that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PractitionerDay {
    pub id: UserId,
    pub name: String,
    /// `HH:MM` to `HH:MM`; none on a day off.
    pub start: Option<String>,
    pub end: Option<String>,
}

/// Everything the day grid draws for one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayView {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub open: bool,
    pub practitioners: Vec<PractitionerDay>,
    pub rooms: Vec<Room>,
    /// In time order; untimed planned sessions last.
    pub bookings: Vec<Booking>,
}

/// A free place on the calendar that fits the asked length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FreeSlot {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub time: String,
    pub minutes: u32,
    pub practitioner_id: UserId,
    pub practitioner_name: String,
    pub room_id: RoomId,
    pub room_name: String,
}

/// A planned session and the free slots around its planned date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionSlots {
    pub session_id: PlannedSessionId,
    pub n: u32,
    #[ts(type = "string")]
    pub planned: NaiveDate,
    pub slots: Vec<FreeSlot>,
    /// The session's booking version when the slots were found (see
    /// [`Booking::version`]): booking a slot sends it back, so a session
    /// another desk moved meanwhile is refused, not silently moved again.
    #[ts(type = "number")]
    pub version: i64,
}

/// A timed booking as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub key: BookingKey,
    pub date: NaiveDate,
    pub start: u32,
    pub minutes: u32,
    pub practitioner: Option<UserId>,
    pub practitioner_name: String,
    pub room: Option<RoomId>,
    pub room_name: String,
    pub patient_number: String,
}

impl Block {
    pub fn end(&self) -> u32 {
        self.start + self.minutes
    }
}

/// What is being booked (or where a booking is being moved to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Want {
    pub date: NaiveDate,
    pub start: u32,
    pub minutes: u32,
    pub practitioner: UserId,
    pub practitioner_name: String,
    pub room: RoomId,
    pub room_name: String,
    /// The booking being moved: it never clashes with itself.
    pub moving: Option<BookingKey>,
}

/// Why a booking cannot go where it was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    Closed,
    /// Outside the practitioner's hours that day (`None`: their day off).
    OutsideHours(Option<(u32, u32)>),
    Practitioner(Box<Block>),
    Room(Box<Block>),
}

/// Two half-open intervals `[a, a+m)` and `[b, b+n)` share a minute.
/// Back-to-back (one ends when the other starts) is not an overlap.
pub fn overlaps(a: u32, m: u32, b: u32, n: u32) -> bool {
    a < b + n && b < a + m
}

/// The first reason `want` cannot be booked, in the order the desk can act
/// on: the day, the hours, the practitioner, the room.
pub fn check(
    want: &Want,
    blocks: &[Block],
    open: bool,
    hours: Option<(u32, u32)>,
) -> Result<(), Clash> {
    if !open {
        return Err(Clash::Closed);
    }
    match hours {
        Some((s, e)) if want.start >= s && want.start + want.minutes <= e => {}
        other => return Err(Clash::OutsideHours(other)),
    }
    let others = || {
        blocks.iter().filter(|b| {
            b.date == want.date
                && Some(b.key) != want.moving
                && overlaps(want.start, want.minutes, b.start, b.minutes)
        })
    };
    if let Some(b) = others().find(|b| b.practitioner == Some(want.practitioner)) {
        return Err(Clash::Practitioner(Box::new(b.clone())));
    }
    if let Some(b) = others().find(|b| b.room == Some(want.room)) {
        return Err(Clash::Room(Box::new(b.clone())));
    }
    Ok(())
}

/// The first start, from `from_date` at `from_minute` on, where `want`'s
/// practitioner, room and length fit, within [`SEARCH_DAYS`]. `blocks` must
/// hold the timed bookings of the days searched; `hours_on` gives the
/// practitioner's hours per date (`None`: closed or a day off). Candidate
/// starts are the 15-minute grid and the end of every booking (so a slot
/// right after another appointment is found).
pub fn next_free(
    want: &Want,
    from_date: NaiveDate,
    from_minute: u32,
    blocks: &[Block],
    hours_on: impl Fn(NaiveDate) -> Option<(u32, u32)>,
) -> Option<(NaiveDate, u32)> {
    let mut date = from_date;
    for _ in 0..SEARCH_DAYS {
        if let Some((s, e)) = hours_on(date) {
            let day: Vec<Block> = blocks
                .iter()
                .filter(|b| b.date == date && Some(b.key) != want.moving)
                .filter(|b| b.practitioner == Some(want.practitioner) || b.room == Some(want.room))
                .cloned()
                .collect();
            let floor = if date == from_date {
                from_minute.max(s)
            } else {
                s
            };
            let mut starts: Vec<u32> = (s..e)
                .step_by(GRID_MINUTES as usize)
                .chain(day.iter().map(Block::end))
                .chain(std::iter::once(floor))
                .filter(|t| *t >= floor && t + want.minutes <= e)
                .collect();
            starts.sort_unstable();
            starts.dedup();
            let fits = |t: &u32| {
                !day.iter()
                    .any(|b| overlaps(*t, want.minutes, b.start, b.minutes))
            };
            if let Some(t) = starts.into_iter().find(fits) {
                return Some((date, t));
            }
        }
        date = date.succ_opt()?;
    }
    None
}

/// The sentence the desk reads when a booking is refused, with the next free
/// slot when there is one.
pub fn conflict_message(want: &Want, clash: &Clash, next: Option<(NaiveDate, u32)>) -> String {
    conflict_message_offering(
        want,
        clash,
        next.map(|(d, t)| {
            (
                d,
                t,
                want.practitioner_name.as_str(),
                want.room_name.as_str(),
            )
        }),
    )
}

/// [`conflict_message`] when the slot offered may be with another
/// practitioner or in another room (a booking that named neither takes the
/// clinic's first free pair): `next` is (date, start, practitioner, room).
pub fn conflict_message_offering(
    want: &Want,
    clash: &Clash,
    next: Option<(NaiveDate, u32, &str, &str)>,
) -> String {
    let day = want.date.format("%a %Y-%m-%d");
    let first = match clash {
        Clash::Closed => format!("The clinic is closed on {day}."),
        Clash::OutsideHours(Some((s, e))) => format!(
            "{} works from {} to {} on {day}; {} to {} is outside those hours.",
            want.practitioner_name,
            hhmm(*s),
            hhmm(*e),
            hhmm(want.start),
            hhmm(want.start + want.minutes),
        ),
        Clash::OutsideHours(None) => {
            format!("{} does not work on {day}.", want.practitioner_name)
        }
        Clash::Practitioner(b) => format!(
            "{} already has {} from {} to {} on {day}.",
            want.practitioner_name,
            b.patient_number,
            hhmm(b.start),
            hhmm(b.end()),
        ),
        Clash::Room(b) => format!(
            "{} is taken by {} from {} to {} on {day}.",
            want.room_name,
            b.patient_number,
            hhmm(b.start),
            hhmm(b.end()),
        ),
    };
    match next {
        Some((d, t, who, room)) => format!(
            "{first} The next free slot for {} minutes with {who} in {room} is {} at {}.",
            want.minutes,
            d.format("%a %Y-%m-%d"),
            hhmm(t)
        ),
        None => format!(
            "{first} No free slot for {} minutes with {} in {} in the next {SEARCH_DAYS} days.",
            want.minutes, want.practitioner_name, want.room_name
        ),
    }
}

/// `HH:MM` → minutes after midnight.
pub fn minute_of(hhmm: &str) -> Option<u32> {
    let t = chrono::NaiveTime::parse_from_str(hhmm.trim(), "%H:%M").ok()?;
    use chrono::Timelike;
    Some(t.hour() * 60 + t.minute())
}

/// Minutes after midnight → `HH:MM` (24:00 for the end of the day).
pub fn hhmm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A booking's length: [`MIN_MINUTES`]..=[`MAX_MINUTES`], with the numbing
/// part shorter than the whole, ending by midnight.
pub fn check_length(start: u32, minutes: u32, numbing: u32) -> Result<(), ValidationErrors> {
    let mut c = crate::error::Collector::default();
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        c.push(
            "minutes",
            format!("An appointment lasts {MIN_MINUTES} to {MAX_MINUTES} minutes; {minutes} is outside that."),
        );
    } else if start + minutes > 24 * 60 {
        c.push(
            "minutes",
            format!("An appointment starting at {} cannot last {minutes} minutes: it would end after midnight.", hhmm(start)),
        );
    }
    if numbing >= minutes.max(1) && numbing > 0 {
        c.push(
            "numbing_minutes",
            format!("The numbing time ({numbing} minutes) must be shorter than the appointment ({minutes} minutes)."),
        );
    }
    c.finish()
}

/// The clinic's kind list: the three built-in kinds present, keys unique and
/// short (`a-z`, digits, `-`, `_`), labels set, lengths sane.
pub fn validate_kinds(kinds: &[AppointmentKind]) -> Result<Vec<AppointmentKind>, ValidationErrors> {
    let mut c = crate::error::Collector::default();
    let mut out: Vec<AppointmentKind> = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        let key = k.key.trim().to_ascii_lowercase();
        let field = format!("kinds.{i}");
        if key.is_empty()
            || key.len() > 40
            || !key
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_')
        {
            c.push(
                &format!("{field}.key"),
                "A kind's key is 1 to 40 letters a-z, digits, - or _.",
            );
            continue;
        }
        if out.iter().any(|o| o.key == key) {
            c.push(
                &format!("{field}.key"),
                format!("The kind \"{key}\" is listed twice."),
            );
            continue;
        }
        let label =
            match crate::validate::name(&format!("{field}.label"), "The kind's name", &k.label) {
                Ok(l) => l,
                Err(e) => {
                    c.push(&e.field, e.message);
                    continue;
                }
            };
        if let Err(e) = check_length(0, k.minutes, k.numbing_minutes) {
            for f in e.0 {
                c.push(&format!("{field}.{}", f.field), f.message);
            }
            continue;
        }
        out.push(AppointmentKind {
            key,
            label,
            minutes: k.minutes,
            numbing_minutes: k.numbing_minutes,
            active: k.active,
        });
    }
    for built_in in [SESSION, CONSULTATION, REVIEW] {
        if !out.iter().any(|k| k.key == built_in) && !kinds.iter().any(|k| k.key.trim() == built_in)
        {
            c.push(
                "kinds",
                format!("The kind \"{built_in}\" cannot be removed (retire it instead)."),
            );
        }
    }
    c.finish()?;
    Ok(out)
}

/// A practitioner's week: each weekday once, `HH:MM` to a later `HH:MM`, at
/// least one working day (a practitioner who stops treating loses the role).
pub fn validate_hours(days: &[DayHours]) -> Result<Vec<DayHours>, ValidationErrors> {
    let mut c = crate::error::Collector::default();
    let mut out: Vec<DayHours> = Vec::new();
    if days.is_empty() {
        c.push("days", "Give at least one working day.");
    }
    for (i, d) in days.iter().enumerate() {
        let field = format!("days.{i}");
        let s = minute_of(&d.start);
        let e = minute_of(&d.end);
        match (s, e) {
            (None, _) => c.push(
                &format!("{field}.start"),
                format!("\"{}\" is not a time; use HH:MM.", d.start.trim()),
            ),
            (_, None) => c.push(
                &format!("{field}.end"),
                format!("\"{}\" is not a time; use HH:MM.", d.end.trim()),
            ),
            (Some(s), Some(e)) if e <= s => c.push(
                &format!("{field}.end"),
                format!(
                    "On {} the end ({}) must be after the start ({}).",
                    d.weekday.as_str(),
                    hhmm(e),
                    hhmm(s)
                ),
            ),
            (Some(s), Some(e)) => {
                if out.iter().any(|o| o.weekday == d.weekday) {
                    c.push(
                        &format!("{field}.weekday"),
                        format!("{} is listed twice.", d.weekday.as_str()),
                    );
                } else {
                    out.push(DayHours {
                        weekday: d.weekday,
                        start: hhmm(s),
                        end: hhmm(e),
                    });
                }
            }
        }
    }
    c.finish()?;
    out.sort_by_key(|d| d.weekday);
    Ok(out)
}

/// A room's name: like a person's name part (no invisible or control
/// characters), at most 60 characters.
pub fn room_name(raw: &str) -> Result<String, FieldError> {
    let v = crate::validate::name("name", "The room's name", raw)?;
    if v.chars().count() > 60 {
        return Err(FieldError::new(
            "name",
            "A room's name is at most 60 characters.",
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    // 2026-12-07 is a Monday.
    const MON: &str = "2026-12-07";

    fn block(id: i64, start: &str, minutes: u32, who: i64, room: i64) -> Block {
        Block {
            key: BookingKey::Appointment(AppointmentId(id)),
            date: d(MON),
            start: minute_of(start).unwrap(),
            minutes,
            practitioner: Some(UserId(who)),
            practitioner_name: format!("Dr {who}"),
            room: Some(RoomId(room)),
            room_name: format!("Room {room}"),
            patient_number: format!("P-{id:06}"),
        }
    }

    fn want(start: &str, minutes: u32, who: i64, room: i64) -> Want {
        Want {
            date: d(MON),
            start: minute_of(start).unwrap(),
            minutes,
            practitioner: UserId(who),
            practitioner_name: format!("Dr {who}"),
            room: RoomId(room),
            room_name: format!("Room {room}"),
            moving: None,
        }
    }

    const DAY: Option<(u32, u32)> = Some((DEFAULT_START, DEFAULT_END));

    #[test]
    fn back_to_back_with_the_same_practitioner_and_room_is_allowed() {
        let b = [block(1, "09:00", 60, 1, 1)];
        assert_eq!(check(&want("10:00", 60, 1, 1), &b, true, DAY), Ok(()));
        // and the one before, ending exactly when the other starts
        let b = [block(1, "10:00", 60, 1, 1)];
        assert_eq!(check(&want("09:00", 60, 1, 1), &b, true, DAY), Ok(()));
    }

    #[test]
    fn one_minute_of_overlap_with_the_same_practitioner_is_a_clash() {
        let b = [block(7, "09:00", 60, 1, 1)];
        let r = check(&want("09:59", 30, 1, 2), &b, true, DAY);
        assert_eq!(r, Err(Clash::Practitioner(Box::new(b[0].clone()))));
        let r = check(
            &want("08:30", 31, 1, 2),
            &[block(7, "09:00", 60, 1, 1)],
            true,
            Some((8 * 60, DEFAULT_END)),
        );
        assert!(matches!(r, Err(Clash::Practitioner(_))));
    }

    #[test]
    fn the_same_room_overlapping_is_a_clash_even_with_another_practitioner() {
        let b = [block(7, "09:00", 60, 1, 3)];
        let r = check(&want("09:30", 15, 2, 3), &b, true, DAY);
        assert_eq!(r, Err(Clash::Room(Box::new(b[0].clone()))));
    }

    #[test]
    fn another_practitioner_in_another_room_at_the_same_time_is_fine() {
        let b = [block(7, "09:00", 60, 1, 1)];
        assert_eq!(check(&want("09:00", 60, 2, 2), &b, true, DAY), Ok(()));
    }

    #[test]
    fn a_booking_being_moved_does_not_clash_with_itself() {
        let b = [block(7, "09:00", 60, 1, 1)];
        let mut w = want("09:30", 60, 1, 1);
        w.moving = Some(BookingKey::Appointment(AppointmentId(7)));
        assert_eq!(check(&w, &b, true, DAY), Ok(()));
        // but a session with the same number is another booking
        w.moving = Some(BookingKey::Session(PlannedSessionId(7)));
        assert!(check(&w, &b, true, DAY).is_err());
    }

    #[test]
    fn the_last_slot_before_closing_fits_and_one_minute_later_does_not() {
        assert_eq!(check(&want("16:00", 60, 1, 1), &[], true, DAY), Ok(()));
        assert_eq!(
            check(&want("16:01", 60, 1, 1), &[], true, DAY),
            Err(Clash::OutsideHours(DAY))
        );
        assert_eq!(check(&want("09:00", 15, 1, 1), &[], true, DAY), Ok(()));
        assert_eq!(
            check(&want("08:59", 15, 1, 1), &[], true, DAY),
            Err(Clash::OutsideHours(DAY))
        );
    }

    #[test]
    fn a_closed_day_and_a_day_off_are_refused() {
        assert_eq!(
            check(&want("10:00", 15, 1, 1), &[], false, DAY),
            Err(Clash::Closed)
        );
        assert_eq!(
            check(&want("10:00", 15, 1, 1), &[], true, None),
            Err(Clash::OutsideHours(None))
        );
    }

    #[test]
    fn the_sentence_names_the_time_the_patient_number_and_the_next_slot() {
        let b = block(42, "09:00", 60, 1, 1);
        let w = want("09:30", 60, 1, 2);
        let m = conflict_message(&w, &Clash::Practitioner(Box::new(b)), Some((d(MON), 600)));
        assert_eq!(
            m,
            "Dr 1 already has P-000042 from 09:00 to 10:00 on Mon 2026-12-07. The next free slot for 60 minutes with Dr 1 in Room 2 is Mon 2026-12-07 at 10:00."
        );
        let m = conflict_message(
            &w,
            &Clash::Room(Box::new(block(42, "09:00", 60, 3, 2))),
            None,
        );
        assert!(
            m.starts_with("Room 2 is taken by P-000042 from 09:00 to 10:00"),
            "{m}"
        );
        assert!(m.contains("No free slot"), "{m}");
    }

    #[test]
    fn next_free_finds_the_end_of_the_blocking_appointment() {
        let blocks = [block(1, "09:00", 50, 1, 1), block(2, "09:50", 30, 2, 1)];
        // practitioner 1 is free at 09:50 but room 1 is busy until 10:20
        let got = next_free(&want("09:00", 60, 1, 1), d(MON), 9 * 60, &blocks, |_| DAY);
        assert_eq!(got, Some((d(MON), 10 * 60 + 20)));
    }

    #[test]
    fn next_free_moves_to_the_next_working_day_when_the_day_is_full() {
        let blocks = [block(1, "09:00", 8 * 60, 1, 9)];
        let tue = d("2026-12-08");
        let got = next_free(&want("09:00", 30, 1, 1), d(MON), 0, &blocks, |day| {
            (day != d("2026-12-09")).then_some((DEFAULT_START, DEFAULT_END))
        });
        assert_eq!(got, Some((tue, DEFAULT_START)));
    }

    #[test]
    fn next_free_offers_the_last_slot_before_closing_and_no_later() {
        let blocks = [block(1, "09:00", 7 * 60, 1, 9)];
        let got = next_free(&want("09:00", 60, 1, 1), d(MON), 0, &blocks, |_| DAY);
        assert_eq!(got, Some((d(MON), 16 * 60)));
        // 61 minutes no longer fit that day
        let got = next_free(&want("09:00", 61, 1, 1), d(MON), 0, &blocks, |day| {
            (day == d(MON)).then_some((DEFAULT_START, DEFAULT_END))
        });
        assert_eq!(got, None);
    }

    #[test]
    fn next_free_starts_from_the_asked_minute() {
        let got = next_free(&want("09:00", 15, 1, 1), d(MON), 11 * 60 + 7, &[], |_| DAY);
        assert_eq!(got, Some((d(MON), 11 * 60 + 7)));
    }

    #[test]
    fn lengths_are_bounded_and_numbing_is_part_of_the_block() {
        assert!(check_length(540, 60, 20).is_ok());
        assert!(check_length(540, 4, 0).is_err());
        assert!(check_length(540, 481, 0).is_err());
        assert!(check_length(540, 30, 30).is_err());
        assert!(check_length(23 * 60, 61, 0).is_err());
        assert!(check_length(23 * 60, 60, 0).is_ok());
    }

    #[test]
    fn default_hours_follow_the_clinic_and_own_hours_replace_them() {
        let cal = ClinicCalendar::new(&[Weekday::Mon, Weekday::Tue], &[d("2026-12-08")]);
        let mut s = ScheduleSettings::default();
        assert_eq!(s.hours_on(UserId(1), d(MON), &cal), DAY);
        assert_eq!(
            s.hours_on(UserId(1), d("2026-12-08"), &cal),
            None,
            "closed date"
        );
        assert_eq!(
            s.hours_on(UserId(1), d("2026-12-09"), &cal),
            None,
            "closed weekday"
        );
        s.hours.push(PractitionerHours {
            user_id: UserId(1),
            days: vec![DayHours {
                weekday: Weekday::Tue,
                start: "10:00".into(),
                end: "14:00".into(),
            }],
        });
        assert_eq!(
            s.hours_on(UserId(1), d(MON), &cal),
            None,
            "Monday is their day off"
        );
        assert_eq!(
            s.hours_on(UserId(1), d("2026-12-15"), &cal),
            Some((600, 840))
        );
        assert_eq!(s.hours_on(UserId(2), d(MON), &cal), DAY);
    }

    #[test]
    fn hours_and_kinds_are_validated() {
        let day = |w, s: &str, e: &str| DayHours {
            weekday: w,
            start: s.into(),
            end: e.into(),
        };
        assert!(validate_hours(&[]).is_err());
        assert!(validate_hours(&[day(Weekday::Mon, "17:00", "09:00")]).is_err());
        assert!(validate_hours(&[
            day(Weekday::Mon, "9:00", "12:00"),
            day(Weekday::Mon, "13:00", "17:00")
        ])
        .is_err());
        let ok = validate_hours(&[
            day(Weekday::Tue, "9:00", "12:00"),
            day(Weekday::Mon, "13:00", "17:00"),
        ])
        .unwrap();
        assert_eq!(ok[0].weekday, Weekday::Mon);
        assert_eq!(ok[1].start, "09:00");
        let mut kinds = ScheduleSettings::default().kinds;
        assert!(validate_kinds(&kinds).is_ok());
        kinds.retain(|k| k.key != REVIEW);
        assert!(validate_kinds(&kinds).is_err());
        let mut kinds = ScheduleSettings::default().kinds;
        kinds.push(AppointmentKind {
            key: "Peel Check".into(),
            label: "Peel".into(),
            minutes: 20,
            numbing_minutes: 0,
            active: true,
        });
        assert!(validate_kinds(&kinds).is_err());
        kinds.last_mut().unwrap().key = "peel-check".into();
        assert_eq!(validate_kinds(&kinds).unwrap().len(), 5);
    }

    #[test]
    fn a_room_name_with_an_invisible_character_is_refused() {
        assert!(room_name("Room\u{200b} 1").is_err());
        assert!(room_name("   ").is_err());
        assert_eq!(room_name("  Room   1 ").unwrap(), "Room 1");
    }
}
