//! The calendar as a clinic runs it (issue 19): bookings with a length, a
//! practitioner and a room; the day grid's data; the next free slot; rooms,
//! appointment kinds and the practitioners' hours in Settings.
//!
//! Every booking change reads the day's blocks, asks
//! `dermis_core::schedule::check` and writes in the SAME write transaction,
//! so two desks booking the last slot at once cannot both succeed, and a
//! refused move (a clash, a plan rule) rolls back whole: nothing changes.
//!
//! Practitioners are the active users who hold the practitioner role. A
//! clinic owner who treats holds that role too (a person may hold several);
//! an account with only the admin role is never offered as a practitioner.
//!
//! What the desk receives: times, lengths, kinds, who and where, the
//! patient's number and name. Never a clinical fact (a clash sentence names
//! the other patient by NUMBER only).

use crate::clinical::{not_found, require_patient};
use crate::usecase::{Event, Subject};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use chrono::{Duration, NaiveDate};
use dermis_core::ids::{PatientId, PlanId, RoomId, UserId};
use dermis_core::plan::SessionStatus;
use dermis_core::schedule::{
    self as rules, AppointmentKind, Block, Booking, BookingKey, DayHours, DayView, FreeSlot,
    PractitionerDay, Room, ScheduleSettings, SessionSlots, Want,
};
use dermis_core::settings::ClinicCalendar;
use dermis_core::validate;
use dermis_store::{Placement, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// A new appointment, as the desk fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BookingInput {
    pub patient_id: PatientId,
    /// A kind key from the clinic's list (not `session`: a plan's sessions
    /// are booked with `move_booking`).
    pub kind: String,
    /// `YYYY-MM-DD`
    pub date: String,
    /// `HH:MM`
    pub time: String,
    /// None: the kind's default length.
    pub minutes: Option<u32>,
    pub numbing_minutes: Option<u32>,
    pub practitioner_id: UserId,
    pub room_id: RoomId,
}

/// Where a booking goes; a field left out keeps the booking's own value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoveInput {
    /// `YYYY-MM-DD`; empty keeps the date.
    #[serde(default)]
    pub date: String,
    /// `HH:MM`; empty keeps the time.
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub numbing_minutes: Option<u32>,
    #[serde(default)]
    pub practitioner_id: Option<UserId>,
    #[serde(default)]
    pub room_id: Option<RoomId>,
}

/// A "find the next free slot" question: any practitioner or room when left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SlotQuery {
    #[serde(default)]
    pub practitioner_id: Option<UserId>,
    #[serde(default)]
    pub room_id: Option<RoomId>,
    pub minutes: u32,
    /// `YYYY-MM-DD`; empty: today.
    #[serde(default)]
    pub from_date: String,
    /// `HH:MM`; empty: the start of the day (today: now is not known to the
    /// rules, so the desk passes the time it wants to start from).
    #[serde(default)]
    pub from_time: String,
}

/// A practitioner and their working week (Settings → Practitioners' hours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PractitionerInfo {
    pub id: UserId,
    /// The sign-in name (scripts name a practitioner by it).
    pub username: String,
    pub name: String,
    pub days: Vec<DayHours>,
    /// False while they work the default (the clinic's open days, 09:00–17:00).
    pub custom: bool,
}

/// The facts a booking decision needs, read once per transaction.
struct Frame {
    settings: ScheduleSettings,
    calendar: ClinicCalendar,
}

fn frame(tx: &Tx) -> Result<Frame> {
    let (settings, plan) = tx.schedule_and_plan_settings()?;
    Ok(Frame {
        settings,
        calendar: ClinicCalendar::from_settings(&plan),
    })
}

fn label(mut rows: Vec<Booking>, s: &ScheduleSettings) -> Vec<Booking> {
    for b in &mut rows {
        if let Some(k) = s.kind(&b.kind) {
            b.kind_label = k.label.clone();
        }
    }
    rows
}

fn blocks(rows: &[Booking]) -> Vec<Block> {
    rows.iter()
        .filter_map(|b| {
            Some(Block {
                key: b.key,
                date: b.date,
                start: rules::minute_of(b.time.as_deref()?)?,
                minutes: b.minutes,
                practitioner: b.practitioner_id,
                practitioner_name: b.practitioner_name.clone().unwrap_or_default(),
                room: b.room_id,
                room_name: b.room_name.clone().unwrap_or_default(),
                patient_number: b.patient_number.clone(),
            })
        })
        .collect()
}

/// The active practitioners, by name.
fn practitioners(tx: &Tx) -> Result<Vec<(UserId, String)>> {
    let mut out = tx.practitioner_names()?;
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(out)
}

fn practitioner(tx: &Tx, id: UserId) -> Result<String> {
    practitioners(tx)?
        .into_iter()
        .find(|p| p.0 == id)
        .map(|p| p.1)
        .ok_or_else(|| {
            ClinicError::validation(
                "practitioner_id",
                "Choose a practitioner: this account does not treat patients (or is deactivated).",
            )
        })
}

fn active_room(tx: &Tx, id: RoomId) -> Result<String> {
    match tx.rooms()?.into_iter().find(|r| r.id == id) {
        Some(r) if r.active => Ok(r.name),
        Some(r) => Err(ClinicError::validation(
            "room_id",
            format!("{} is retired; choose another room.", r.name),
        )),
        None => Err(ClinicError::validation("room_id", "Choose a room.")),
    }
}

/// Refuses `want` when it clashes, with the sentence and the next free slot
/// (as data too: [`ClinicError::SlotTaken`]).
fn ensure_free(tx: &Tx, f: &Frame, want: &Want) -> Result<()> {
    let day = blocks(&tx.bookings_between(want.date, want.date)?);
    ensure_free_among(tx, f, want, &day)
}

/// [`ensure_free`] with the day's blocks already read.
fn ensure_free_among(tx: &Tx, f: &Frame, want: &Want, day: &[Block]) -> Result<()> {
    let hours = f
        .settings
        .hours_on(want.practitioner, want.date, &f.calendar);
    let open = f.calendar.is_open(want.date);
    if let Err(clash) = rules::check(want, day, open, hours) {
        let next = next_free_from(tx, f, want, day)?;
        return Err(taken(
            rules::conflict_message(want, &clash, next),
            next.map(|(date, t)| FreeSlot {
                date,
                time: rules::hhmm(t),
                minutes: want.minutes,
                practitioner_id: want.practitioner,
                practitioner_name: want.practitioner_name.clone(),
                room_id: want.room,
                room_name: want.room_name.clone(),
            }),
        ));
    }
    Ok(())
}

/// The next free slot for `want` from its own start on: the day already
/// read first, then the rest of its week, then the rest of the search —
/// each read only when the one before found nothing, so a refusal costs one
/// small read, not [`rules::SEARCH_DAYS`] days of a full calendar.
fn next_free_from(
    tx: &Tx,
    f: &Frame,
    want: &Want,
    day: &[Block],
) -> Result<Option<(NaiveDate, u32)>> {
    let hours = |d: NaiveDate| f.settings.hours_on(want.practitioner, d, &f.calendar);
    if let Some(found) = rules::next_free(want, want.date, want.start, day, |d| {
        (d == want.date).then(|| hours(d)).flatten()
    }) {
        return Ok(Some(found));
    }
    for (first, last) in [(1, 7), (8, rules::SEARCH_DAYS - 1)] {
        let (from, to) = (
            want.date + Duration::days(first),
            want.date + Duration::days(last),
        );
        let ahead = blocks(&tx.bookings_between(from, to)?);
        let found = rules::next_free(want, from, 0, &ahead, |d| {
            (d <= to).then(|| hours(d)).flatten()
        });
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

fn taken(message: String, slot: Option<FreeSlot>) -> ClinicError {
    ClinicError::SlotTaken(Box::new(crate::SlotTaken { message, slot }))
}

/// Where a booking that does not name its practitioner and/or room goes:
/// the clinic's defaults, as a desk would pick them — the first practitioner
/// (by name) who works then and the first active room, both free for the
/// whole length; a named practitioner or room is kept and only the other one
/// chosen. Refused, with the same `conflict` sentence as any clash (for the
/// first practitioner who works that day) and the clinic's next free slot
/// with anyone anywhere, when no pair is free.
///
/// `Ok(None)`: the clinic has no practitioner or no active room yet, so
/// there is no column to clash in; the booking stays unassigned (as every
/// booking made before rooms existed).
#[allow(clippy::too_many_arguments)]
fn default_place(
    tx: &Tx,
    f: &Frame,
    date: NaiveDate,
    start: u32,
    minutes: u32,
    who: Option<UserId>,
    room: Option<RoomId>,
    moving: Option<BookingKey>,
) -> Result<Option<(UserId, RoomId)>> {
    let (people, rooms) = candidates(tx, who, room)?;
    if people.is_empty() || rooms.is_empty() {
        return Ok(None);
    }
    let day = blocks(&tx.bookings_between(date, date)?);
    let open = f.calendar.is_open(date);
    let mut refused: Option<(Want, rules::Clash)> = None;
    for (pid, pname) in &people {
        let hours = f.settings.hours_on(*pid, date, &f.calendar);
        for (rid, rname) in &rooms {
            let want = Want {
                date,
                start,
                minutes,
                practitioner: *pid,
                practitioner_name: pname.clone(),
                room: *rid,
                room_name: rname.clone(),
                moving,
            };
            match rules::check(&want, &day, open, hours) {
                Ok(()) => return Ok(Some((*pid, *rid))),
                Err(clash) => {
                    // The sentence names the first practitioner who works that day.
                    let better = hours.is_some()
                        && refused.as_ref().is_none_or(|(w, _)| {
                            f.settings
                                .hours_on(w.practitioner, date, &f.calendar)
                                .is_none()
                        });
                    if refused.is_none() || better {
                        refused = Some((want, clash));
                    }
                }
            }
        }
    }
    let Some((want, clash)) = refused else {
        return Ok(None);
    };
    let next = first_free(tx, f, who, room, minutes, date, start)?;
    let message = rules::conflict_message_offering(
        &want,
        &clash,
        next.as_ref().map(|s| {
            (
                s.date,
                rules::minute_of(&s.time).unwrap_or(0),
                s.practitioner_name.as_str(),
                s.room_name.as_str(),
            )
        }),
    );
    Err(taken(message, next))
}

/// A first consultation at `date` `time` (no time: a day-only booking that
/// holds no slot), placed with the clinic's defaults and clash-checked, for
/// the desk's consultation flows. Answers the appointment's id.
pub(crate) fn book_first_consultation(
    tx: &Tx,
    patient_id: i64,
    date: NaiveDate,
    time: Option<&str>,
    user_id: i64,
    now: &str,
) -> Result<i64> {
    let start = time.and_then(rules::minute_of);
    if let Some(start) = start {
        let f = frame(tx)?;
        let (minutes, numbing) = f
            .settings
            .kind("consultation")
            .map_or((30, 0), |k| (k.minutes, k.numbing_minutes));
        rules::check_length(start, minutes, numbing)?;
        if let Some((who, room)) = default_place(tx, &f, date, start, minutes, None, None, None)? {
            let place = Placement {
                date,
                time: rules::hhmm(start),
                minutes,
                numbing_minutes: numbing,
                practitioner: who,
                room,
            };
            let id = tx.insert_appointment(patient_id, "consultation", &place, user_id, now)?;
            return Ok(id.0);
        }
    }
    Ok(tx.insert_consultation(patient_id, date, time, user_id, now)?)
}

fn parse_time(field: &str, raw: &str) -> Result<u32> {
    validate::time_of_day(field, raw)?
        .as_deref()
        .and_then(rules::minute_of)
        .ok_or_else(|| ClinicError::validation(field, "Enter a time, e.g. 09:30."))
}

impl Clinic {
    /// Books an appointment (a consultation, a review, any kind of the
    /// clinic's list but a plan's session) for an existing patient.
    pub fn book_appointment(&self, actor: &Actor, input: &BookingInput) -> Result<Booking> {
        self.allow(actor, Action::MoveAppointment)?;
        let today = self.today();
        let date = validate::date("date", "The date", &input.date)?;
        if date < today {
            return Err(ClinicError::validation(
                "date",
                format!("{date} is in the past; today is {today}."),
            ));
        }
        let start = parse_time("time", &input.time)?;
        self.change(actor, Action::MoveAppointment, |tx, at| {
            require_patient(tx, input.patient_id.0)?;
            let f = frame(tx)?;
            let kind = input.kind.trim();
            let k = f
                .settings
                .kind(kind)
                .filter(|k| k.active && k.key != rules::SESSION)
                .ok_or_else(|| {
                    ClinicError::validation(
                        "kind",
                        if kind == rules::SESSION {
                            "A plan's sessions are booked from the plan (move the planned session to a time).".to_string()
                        } else {
                            format!("\"{kind}\" is not one of the clinic's appointment kinds.")
                        },
                    )
                })?;
            let minutes = input.minutes.unwrap_or(k.minutes);
            let numbing = input.numbing_minutes.unwrap_or(k.numbing_minutes);
            rules::check_length(start, minutes, numbing)?;
            let want = Want {
                date,
                start,
                minutes,
                practitioner: input.practitioner_id,
                practitioner_name: practitioner(tx, input.practitioner_id)?,
                room: input.room_id,
                room_name: active_room(tx, input.room_id)?,
                moving: None,
            };
            ensure_free(tx, &f, &want)?;
            let place = Placement {
                date,
                time: rules::hhmm(start),
                minutes,
                numbing_minutes: numbing,
                practitioner: want.practitioner,
                room: want.room,
            };
            let id = tx.insert_appointment(input.patient_id.0, &k.key, &place, actor.user_id, &at.now)?;
            let key = BookingKey::Appointment(id);
            let booked = tx.booking(key)?.ok_or_else(|| not_found("Appointment", id.0))?;
            let event = Event::new(
                "appointment.book",
                Subject::Patient(input.patient_id.0),
                json!({ "appointment": id, "kind": k.key, "date": date, "time": place.time, "minutes": minutes, "practitioner": want.practitioner, "room": want.room }),
            );
            Ok((label(vec![booked], &f.settings).remove(0), vec![event]))
        })
    }

    /// Moves and/or resizes a booking (an appointment or a plan's session):
    /// refused, changing nothing, when it clashes; a plan's session moved to
    /// another day obeys the plan's rules (the later sessions follow).
    ///
    /// `seen` is the booking's version as the person's screen showed it
    /// (`Booking::version`): when another desk changed the booking since,
    /// the move is refused as a conflict naming who and when (see
    /// [`ensure_seen`]). `None` (the command line, scripts) moves whatever
    /// the booking is now.
    pub fn move_booking(
        &self,
        actor: &Actor,
        key: BookingKey,
        seen: Option<i64>,
        to: &MoveInput,
    ) -> Result<Booking> {
        self.allow(actor, Action::MoveAppointment)?;
        let today = self.today();
        let date = match to.date.trim() {
            "" => None,
            d => Some(validate::date("date", "The new date", d)?),
        };
        let start = match to.time.trim() {
            "" => None,
            t => Some(parse_time("time", t)?),
        };
        self.change(actor, Action::MoveAppointment, |tx, at| {
            let f = frame(tx)?;
            let (was, was_day) = tx
                .booking_and_its_day(key)?
                .ok_or_else(|| booking_gone(tx, key, seen))?;
            if was.status == dermis_core::schedule::BookingStatus::Done {
                // Who recorded it and when, nothing of what was recorded:
                // the desk moves bookings and may not read clinical records.
                let by = crate::live::who_and_when(tx.last_change_of(
                    "patient",
                    &was.patient_id.to_string(),
                    &["session.record"],
                )?);
                return Err(ClinicError::Conflict(match by {
                    Some((who, time)) => format!(
                        "{who} recorded this session at {time}; it can no longer move. Reload to \
                         see the day as it is now."
                    ),
                    None => "This session has been recorded; it can no longer move.".into(),
                }));
            }
            ensure_seen(tx, &was, seen)?;
            let date = date.unwrap_or(was.date);
            if date < today {
                return Err(ClinicError::validation(
                    "date",
                    format!("{date} is in the past; today is {today}."),
                ));
            }
            let start = start
                .or_else(|| was.time.as_deref().and_then(rules::minute_of))
                .ok_or_else(|| ClinicError::validation("time", "Enter a time, e.g. 09:30."))?;
            let minutes = to.minutes.unwrap_or(was.minutes);
            let numbing = to.numbing_minutes.unwrap_or(was.numbing_minutes.min(minutes.saturating_sub(1)));
            rules::check_length(start, minutes, numbing)?;
            let mut moved_later = 0;
            let mut replanned = None;
            if let (BookingKey::Session(s), true) = (key, date != was.date) {
                // The plan's rules first (shortest interval, open days).
                let (plan, _, _, n) = crate::clinical::replan_session(tx, s, date, today, &at.now)?;
                moved_later = n.saturating_sub(1);
                replanned = Some(plan.id.0);
            }
            // Neither named nor held yet: the clinic's defaults, free at that time.
            let (who, room) = match (to.practitioner_id.or(was.practitioner_id), to.room_id.or(was.room_id)) {
                (Some(p), Some(r)) => (p, r),
                (p, r) => default_place(tx, &f, date, start, minutes, p, r, Some(key))?.ok_or_else(|| {
                    ClinicError::validation(
                        if p.is_none() { "practitioner_id" } else { "room_id" },
                        "Add a practitioner and a room (Settings) before booking a time.",
                    )
                })?,
            };
            let want = Want {
                date,
                start,
                minutes,
                practitioner: who,
                practitioner_name: practitioner(tx, who)?,
                room,
                room_name: if Some(room) == was.room_id {
                    // A booking already in a room since retired may still be resized there.
                    tx.rooms()?.into_iter().find(|r| r.id == room).map(|r| r.name).unwrap_or_default()
                } else {
                    active_room(tx, room)?
                },
                moving: Some(key),
            };
            if date == was.date {
                // Nothing was written yet: the day read with the booking is current.
                ensure_free_among(tx, &f, &want, &blocks(&was_day))?;
            } else {
                ensure_free(tx, &f, &want)?;
            }
            let place = Placement {
                date,
                time: rules::hhmm(start),
                minutes,
                numbing_minutes: numbing,
                practitioner: who,
                room,
            };
            tx.place_booking(key, &place, &at.now)?;
            if let Some(plan) = replanned {
                // The later sessions that followed must fit where they landed too.
                plan_still_fits(tx, plan, Some(key), &at.now)?;
            }
            let now = tx.booking(key)?.ok_or_else(|| booking_not_found(key))?;
            let event = Event::new(
                "appointment.move",
                Subject::Patient(was.patient_id.0),
                json!({ "booking": key, "from": { "date": was.date, "time": was.time, "minutes": was.minutes },
                        "to": { "date": date, "time": place.time, "minutes": minutes, "practitioner": who, "room": room },
                        "later_sessions_moved": moved_later }),
            );
            Ok((label(vec![now], &f.settings).remove(0), vec![event]))
        })
    }

    /// Changes a booking's length, keeping its start (`seen`: as for
    /// [`Clinic::move_booking`]).
    pub fn resize_booking(
        &self,
        actor: &Actor,
        key: BookingKey,
        seen: Option<i64>,
        minutes: u32,
    ) -> Result<Booking> {
        let to = MoveInput {
            minutes: Some(minutes),
            ..MoveInput::default()
        };
        self.move_booking(actor, key, seen, &to)
    }

    /// Cancels an appointment (`seen`: as for [`Clinic::move_booking`]). A
    /// plan's session is not cancelled from the calendar (it is moved, or
    /// the plan changed).
    pub fn cancel_booking(&self, actor: &Actor, key: BookingKey, seen: Option<i64>) -> Result<()> {
        match key {
            BookingKey::Appointment(a) => self.change(actor, Action::MoveAppointment, |tx, _| {
                let was = tx
                    .booking(key)?
                    .ok_or_else(|| booking_gone(tx, key, seen))?;
                ensure_seen(tx, &was, seen)?;
                let patient = tx.update_consultation(a.0, true, None)?;
                let event = Event::new(
                    "consultation.cancel",
                    Subject::Patient(patient),
                    json!({ "appointment": a }),
                );
                Ok(((), vec![event]))
            }),
            BookingKey::Session(_) => {
                self.allow(actor, Action::MoveAppointment)?;
                Err(ClinicError::Conflict(
                    "A plan's session is not cancelled from the calendar: move it, or change the plan.".into(),
                ))
            }
        }
    }

    /// Flags a booking as running late (or clears the flag); the
    /// practitioner's view shows it (`seen`: as for [`Clinic::move_booking`]).
    pub fn set_running_late(
        &self,
        actor: &Actor,
        key: BookingKey,
        seen: Option<i64>,
        late: bool,
    ) -> Result<()> {
        self.change(actor, Action::CheckIn, |tx, _| {
            let b = tx
                .booking(key)?
                .ok_or_else(|| booking_gone(tx, key, seen))?;
            ensure_seen(tx, &b, seen)?;
            tx.set_running_late(key, late)?;
            let event = Event::new(
                "appointment.running_late",
                Subject::Patient(b.patient_id.0),
                json!({ "booking": key, "late": late }),
            );
            Ok(((), vec![event]))
        })
    }

    /// Every booking from `from` to `to` (inclusive, at most the calendar's
    /// limit), each with its practitioner, room, start, length and kind.
    pub fn bookings(&self, actor: &Actor, from: &str, to: &str) -> Result<Vec<Booking>> {
        self.allow(actor, Action::ViewCalendar)?;
        let (from, to) = crate::clinical::calendar_range(from, to)?;
        self.store()?.read(|tx| -> Result<_> {
            let s = tx.schedule_settings()?;
            Ok(label(tx.bookings_between(from, to)?, &s))
        })
    }

    /// The day grid's data: the practitioners (with that day's hours), the
    /// rooms and the bookings.
    pub fn day_view(&self, actor: &Actor, date: &str) -> Result<DayView> {
        self.allow(actor, Action::ViewCalendar)?;
        let date = validate::date("date", "The day", date)?;
        self.store()?.read(|tx| -> Result<_> {
            let f = frame(tx)?;
            let practitioners = practitioners(tx)?
                .into_iter()
                .map(|(id, name)| {
                    let h = f.settings.hours_on(id, date, &f.calendar);
                    PractitionerDay {
                        id,
                        name,
                        start: h.map(|h| rules::hhmm(h.0)),
                        end: h.map(|h| rules::hhmm(h.1)),
                    }
                })
                .collect();
            Ok(DayView {
                date,
                open: f.calendar.is_open(date),
                practitioners,
                rooms: tx.rooms()?,
                bookings: label(tx.bookings_between(date, date)?, &f.settings),
            })
        })
    }

    /// The first free slot that fits `q.minutes`, with the practitioner and
    /// room asked for (or any), from a date and time on.
    pub fn next_free_slot(&self, actor: &Actor, q: &SlotQuery) -> Result<Option<FreeSlot>> {
        self.allow(actor, Action::ViewCalendar)?;
        let today = self.today();
        let from = match q.from_date.trim() {
            "" => today,
            d => validate::date("from_date", "The first day", d)?,
        };
        let minute = match q.from_time.trim() {
            "" => 0,
            t => parse_time("from_time", t)?,
        };
        rules::check_length(minute, q.minutes, 0)?;
        self.store()?.read(|tx| -> Result<_> {
            let f = frame(tx)?;
            first_free(
                tx,
                &f,
                q.practitioner_id,
                q.room_id,
                q.minutes,
                from.max(today),
                minute,
            )
        })
    }

    /// For each not-yet-done session of a plan: free slots around its planned
    /// date (the planned day and up to two open days either side), so the
    /// desk books a course in a few clicks. Booking one is `move_booking`.
    pub fn session_slots(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        practitioner_id: Option<UserId>,
        room_id: Option<RoomId>,
    ) -> Result<Vec<SessionSlots>> {
        self.allow(actor, Action::MoveAppointment)?;
        let today = self.today();
        self.store()?.read(|tx| -> Result<_> {
            let plan = tx
                .plan(plan_id.0)?
                .ok_or_else(|| not_found("Plan", plan_id.0))?;
            let Some(first) = plan.sessions.first() else {
                return Ok(vec![]);
            };
            let (_, plan_rules) = tx
                .plan_of_session(first.id.0)?
                .ok_or_else(|| not_found("Plan", plan_id.0))?;
            let f = frame(tx)?;
            let course: Vec<dermis_core::plan::Slot> = plan
                .sessions
                .iter()
                .map(|s| dermis_core::plan::Slot {
                    date: s.date,
                    done: s.status != SessionStatus::Planned,
                })
                .collect();
            // A day the plan's rules accept for session `n` (shortest interval, open days).
            let allowed = |n: u32, day: NaiveDate| {
                dermis_core::plan::reschedule(
                    &course,
                    n,
                    day,
                    plan.start,
                    plan_rules.interval_weeks,
                    plan_rules.shortest_weeks,
                    &f.calendar,
                )
                .is_ok()
            };
            let minutes = f.settings.kind(rules::SESSION).map_or(60, |k| k.minutes);
            let mut out = Vec::new();
            for s in plan
                .sessions
                .iter()
                .filter(|s| s.status == SessionStatus::Planned)
            {
                let mut slots = Vec::new();
                for offset in -2..=2i64 {
                    let day = s.date + Duration::days(offset);
                    if day < today
                        || !f.calendar.is_open(day)
                        || (day != s.date && !allowed(s.n, day))
                    {
                        continue;
                    }
                    if let Some(slot) =
                        first_free(tx, &f, practitioner_id, room_id, minutes, day, 0)?
                    {
                        if slot.date == day {
                            slots.push(slot);
                        }
                    }
                }
                let version = tx
                    .booking(BookingKey::Session(s.id))?
                    .map_or(1, |b| b.version);
                out.push(SessionSlots {
                    session_id: s.id,
                    n: s.n,
                    planned: s.date,
                    slots,
                    version,
                });
            }
            Ok(out)
        })
    }

    /// The active rooms first, then the retired ones.
    pub fn rooms(&self, actor: &Actor) -> Result<Vec<Room>> {
        self.allow(actor, Action::ViewCalendar)?;
        Ok(self.store()?.read(|tx| tx.rooms())?)
    }

    pub fn add_room(&self, actor: &Actor, name: &str) -> Result<Room> {
        self.allow(actor, Action::EditSettings)?;
        let name = rules::room_name(name)?;
        self.change(actor, Action::EditSettings, |tx, at| {
            let id = tx
                .insert_room(&name, &at.now)
                .map_err(|e| ClinicError::from_store_in_field(e, "name"))?;
            let event = Event::new("settings.room.add", Subject::Clinic, json!({ "room": id }));
            Ok((
                Room {
                    id,
                    name: name.clone(),
                    active: true,
                },
                vec![event],
            ))
        })
    }

    /// Renames a room and/or retires it (`active` false) or brings it back.
    pub fn update_room(&self, actor: &Actor, id: RoomId, name: &str, active: bool) -> Result<Room> {
        self.allow(actor, Action::EditSettings)?;
        let name = rules::room_name(name)?;
        self.change(actor, Action::EditSettings, |tx, _| {
            tx.update_room(id, &name, active)
                .map_err(|e| ClinicError::from_store_in_field(e, "name"))?;
            let event = Event::new(
                "settings.room.update",
                Subject::Clinic,
                json!({ "room": id, "active": active }),
            );
            Ok((
                Room {
                    id,
                    name: name.clone(),
                    active,
                },
                vec![event],
            ))
        })
    }

    /// Every practitioner and their working week.
    pub fn practitioners(&self, actor: &Actor) -> Result<Vec<PractitionerInfo>> {
        self.allow(actor, Action::ViewCalendar)?;
        self.store()?.read(|tx| -> Result<_> {
            let s = tx.schedule_settings()?;
            let open = tx.plan_settings()?.open_weekdays;
            let users = tx.users()?;
            Ok(practitioners(tx)?
                .into_iter()
                .map(|(id, name)| PractitionerInfo {
                    id,
                    username: username_of(&users, id),
                    days: s.week_of(id, &open),
                    custom: s.hours.iter().any(|h| h.user_id == id),
                    name,
                })
                .collect())
        })
    }

    /// Sets a practitioner's working week (`None`: back to the default).
    /// Appointments already booked stay; new ones follow the new hours.
    pub fn set_practitioner_hours(
        &self,
        actor: &Actor,
        user_id: UserId,
        days: Option<&[DayHours]>,
    ) -> Result<PractitionerInfo> {
        self.allow(actor, Action::EditSettings)?;
        let days = days.map(rules::validate_hours).transpose()?;
        self.change(actor, Action::EditSettings, |tx, _| {
            let name = practitioner(tx, user_id)?;
            let mut s = tx.schedule_settings()?;
            s.hours.retain(|h| h.user_id != user_id);
            if let Some(days) = &days {
                s.hours.push(dermis_core::schedule::PractitionerHours {
                    user_id,
                    days: days.clone(),
                });
            }
            tx.set_schedule_settings(&s)?;
            let open = tx.plan_settings()?.open_weekdays;
            let event = Event::new(
                "settings.hours",
                Subject::User(user_id.0),
                json!({ "custom": days.is_some() }),
            );
            let username = username_of(&tx.users()?, user_id);
            Ok((
                PractitionerInfo {
                    id: user_id,
                    username,
                    name,
                    days: s.week_of(user_id, &open),
                    custom: days.is_some(),
                },
                vec![event],
            ))
        })
    }

    /// The clinic's appointment kinds with their default lengths.
    pub fn appointment_kinds(&self, actor: &Actor) -> Result<Vec<AppointmentKind>> {
        self.allow(actor, Action::ViewCalendar)?;
        Ok(self.store()?.read(|tx| tx.schedule_settings())?.kinds)
    }

    /// Replaces the kind list (admin): the built-in kinds stay (they may be
    /// retired), new kinds may be added, lengths changed.
    pub fn set_appointment_kinds(
        &self,
        actor: &Actor,
        kinds: &[AppointmentKind],
    ) -> Result<Vec<AppointmentKind>> {
        self.allow(actor, Action::EditSettings)?;
        let kinds = rules::validate_kinds(kinds)?;
        self.change(actor, Action::EditSettings, |tx, _| {
            let mut s = tx.schedule_settings()?;
            s.kinds = kinds.clone();
            tx.set_schedule_settings(&s)?;
            let event = Event::new(
                "settings.kinds",
                Subject::Clinic,
                json!({ "kinds": kinds.len() }),
            );
            Ok((kinds.clone(), vec![event]))
        })
    }
}

/// After a plan's session moved by the plan's rules, or was given a time:
/// if it has a time it must fit there (else the change is refused). A timed
/// booking without a practitioner or room takes the clinic's defaults
/// ([`default_place`]), so no timed booking escapes the clash check.
pub(crate) fn still_fits(tx: &Tx, key: BookingKey, now: &str) -> Result<()> {
    let Some(b) = tx.booking(key)? else {
        return Ok(());
    };
    let Some(start) = b.time.as_deref().and_then(rules::minute_of) else {
        return Ok(());
    };
    let f = frame(tx)?;
    let (who, room) = match (b.practitioner_id, b.room_id) {
        (Some(p), Some(r)) => (p, r),
        (p, r) => {
            if let Some((p, r)) = default_place(tx, &f, b.date, start, b.minutes, p, r, Some(key))?
            {
                let place = Placement {
                    date: b.date,
                    time: rules::hhmm(start),
                    minutes: b.minutes,
                    numbing_minutes: b.numbing_minutes,
                    practitioner: p,
                    room: r,
                };
                tx.place_booking(key, &place, now)?;
            }
            return Ok(());
        }
    };
    let want = Want {
        date: b.date,
        start,
        minutes: b.minutes,
        practitioner: who,
        practitioner_name: b.practitioner_name.unwrap_or_default(),
        room,
        room_name: b.room_name.unwrap_or_default(),
        moving: Some(key),
    };
    ensure_free(tx, &f, &want)
}

/// After a session was recorded or its healing reported, the later sessions
/// follow by the plan's rules; one whose booked time clashes on its new day
/// gives its time up (it stays on its day, untimed, for the desk to book)
/// rather than refusing the clinical record. Answers one sentence per
/// session released, for the plan's rationale.
pub(crate) fn release_clashing(tx: &Tx, plan_id: i64, now: &str) -> Result<Vec<String>> {
    let Some(plan) = tx.plan(plan_id)? else {
        return Ok(vec![]);
    };
    let mut released = Vec::new();
    for s in plan
        .sessions
        .iter()
        .filter(|s| s.status == SessionStatus::Planned)
    {
        let Some(time) = s.time.clone() else { continue };
        match still_fits(tx, BookingKey::Session(s.id), now) {
            Ok(()) => {}
            Err(e) if e.conflict_message().is_some() => {
                tx.set_session_time(s.id.0, None, now)?;
                released.push(format!(
                    "session {} on {} gave up its {time} booking (taken on its new day); the desk books it a new time.",
                    s.n, s.date
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(released)
}

/// Today's bookings for the Today list, kinds labelled.
pub(crate) fn today_bookings(tx: &Tx, today: NaiveDate) -> Result<Vec<Booking>> {
    let s = tx.schedule_settings()?;
    Ok(label(tx.bookings_between(today, today)?, &s))
}

/// After a plan's dates moved (the later sessions follow the moved one):
/// every planned session with a time, a practitioner and a room must still
/// fit where it landed; `except` is the booking the caller checks itself.
pub(crate) fn plan_still_fits(
    tx: &Tx,
    plan_id: i64,
    except: Option<BookingKey>,
    now: &str,
) -> Result<()> {
    let Some(plan) = tx.plan(plan_id)? else {
        return Ok(());
    };
    for s in plan
        .sessions
        .iter()
        .filter(|s| s.status == SessionStatus::Planned)
    {
        let key = BookingKey::Session(s.id);
        if Some(key) != except {
            still_fits(tx, key, now)?;
        }
    }
    Ok(())
}

fn username_of(users: &[dermis_store::UserRow], id: UserId) -> String {
    users
        .iter()
        .find(|u| u.id == id.0)
        .map(|u| u.username.clone())
        .unwrap_or_default()
}

/// What the audit log calls the changes of a booking (all keyed by its
/// patient): the last of them names who changed it under a stale screen.
const BOOKING_CHANGES: &[&str] = &[
    "appointment.move",
    "appointment.running_late",
    "consultation.cancel",
    "consultation.check_in",
    "session.check_in",
    "session.move",
    "session.time",
    "session.record",
    "plan.status",
];

/// Refuses a change made on a booking as it was at version `seen` when it
/// has changed since (another desk moved it, flagged it late, checked the
/// patient in...): the last write must not silently win (issue 16). The
/// sentence names who changed it last and when (from the audit log: the
/// name and the time, never an entry's detail) and where the booking is
/// now: its time and room, nothing clinical, so the desk may read it.
///
/// The audit log keys a booking's changes by its patient, so when one
/// patient's two bookings change at once the name may be that of the
/// other's change; the refusal itself only depends on the version.
fn ensure_seen(tx: &Tx, now: &Booking, seen: Option<i64>) -> Result<()> {
    let Some(seen) = seen else {
        return Ok(());
    };
    if seen == now.version {
        return Ok(());
    }
    let last = tx.last_change_of("patient", &now.patient_id.to_string(), BOOKING_CHANGES)?;
    let mut message = crate::live::changed_under_you(last, "this booking");
    if let Some(time) = &now.time {
        message.push_str(&format!(" It is now on {} at {time}", now.date));
        if let Some(room) = &now.room_name {
            message.push_str(&format!(", {room}"));
        }
        message.push('.');
    }
    Err(ClinicError::Conflict(message))
}

/// A booking a screen showed (`seen`: its version) that is no longer on the
/// calendar: refused as a conflict naming who took it off and when (the
/// last booking change of its patient, or the archiving of the patient),
/// like [`ensure_seen`], never why in clinical terms: the desk reads it.
/// Without a version (the command line), or when there is no such booking
/// at all, "not found".
fn booking_gone(tx: &Tx, key: BookingKey, seen: Option<i64>) -> ClinicError {
    if seen.is_none() {
        return booking_not_found(key);
    }
    let patient = match tx.booking_off_calendar(key) {
        Ok(Some(p)) => p,
        Ok(None) => return booking_not_found(key),
        Err(e) => return e.into(),
    };
    let mut changes = BOOKING_CHANGES.to_vec();
    changes.push("patient.archive");
    let last = match tx.last_change_of("patient", &patient.to_string(), &changes) {
        Ok(last) => last,
        Err(e) => return e.into(),
    };
    ClinicError::Conflict(match crate::live::who_and_when(last) {
        Some((who, time)) => format!(
            "{who} took this booking off the calendar at {time}, while you were looking at it. \
             Reload to see the day as it is now."
        ),
        None => {
            "This booking is no longer on the calendar. Reload to see the day as it is now.".into()
        }
    })
}

fn booking_not_found(key: BookingKey) -> ClinicError {
    match key {
        BookingKey::Appointment(a) => not_found("Appointment", a.0),
        BookingKey::Session(s) => not_found("Session", s.0),
    }
}

/// The earliest free slot over the practitioners and rooms asked for (all
/// active ones when `None`).
fn first_free(
    tx: &Tx,
    f: &Frame,
    who: Option<UserId>,
    room: Option<RoomId>,
    minutes: u32,
    from: NaiveDate,
    minute: u32,
) -> Result<Option<FreeSlot>> {
    let (people, rooms) = candidates(tx, who, room)?;
    let ahead = blocks(&tx.bookings_between(from, from + Duration::days(rules::SEARCH_DAYS))?);
    let mut best: Option<FreeSlot> = None;
    for (pid, pname) in &people {
        for (rid, rname) in &rooms {
            let want = Want {
                date: from,
                start: minute,
                minutes,
                practitioner: *pid,
                practitioner_name: pname.clone(),
                room: *rid,
                room_name: rname.clone(),
                moving: None,
            };
            let found = rules::next_free(&want, from, minute, &ahead, |d| {
                f.settings.hours_on(*pid, d, &f.calendar)
            });
            if let Some((d, t)) = found {
                if best
                    .as_ref()
                    .is_none_or(|b| (d, rules::hhmm(t)) < (b.date, b.time.clone()))
                {
                    best = Some(FreeSlot {
                        date: d,
                        time: rules::hhmm(t),
                        minutes,
                        practitioner_id: *pid,
                        practitioner_name: pname.clone(),
                        room_id: *rid,
                        room_name: rname.clone(),
                    });
                }
            }
        }
    }
    Ok(best)
}

/// Who and where a booking may go: the practitioner and room it names, or
/// every practitioner and every active room when it names none.
#[allow(clippy::type_complexity)]
fn candidates(
    tx: &Tx,
    who: Option<UserId>,
    room: Option<RoomId>,
) -> Result<(Vec<(UserId, String)>, Vec<(RoomId, String)>)> {
    let people = match who {
        Some(id) => vec![(id, practitioner(tx, id)?)],
        None => practitioners(tx)?,
    };
    let rooms = match room {
        Some(id) => vec![(id, active_room(tx, id)?)],
        None => tx
            .rooms()?
            .into_iter()
            .filter(|r| r.active)
            .map(|r| (r.id, r.name))
            .collect(),
    };
    Ok((people, rooms))
}
