//! `dermis appointment …`, `dermis calendar`, `dermis rooms …`: the
//! scheduling use-cases for scripts. A practitioner is named by user name,
//! display name or id; a room by name or id; a patient by number or id.

use crate::{fail, print, resolve_patient_id};
use clap::Subcommand;
use dermis_clinic::core::ids::{AppointmentId, PatientId, PlannedSessionId, RoomId, UserId};
use dermis_clinic::core::schedule::{Booking, BookingKey, Room};
use dermis_clinic::{Actor, ApiError, BookingInput, Clinic, ErrorCode, MoveInput};

#[derive(Subcommand)]
pub enum AppointmentCommand {
    /// Book an appointment (consultation, review, or another of the clinic's kinds).
    Book {
        /// Patient number (P-000042) or id.
        #[arg(long)]
        patient: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        /// HH:MM
        #[arg(long)]
        time: String,
        /// Length in minutes (default: the kind's).
        #[arg(long)]
        minutes: Option<u32>,
        /// Numbing minutes at the start (default: the kind's).
        #[arg(long)]
        numbing: Option<u32>,
        /// User name, display name or id.
        #[arg(long)]
        practitioner: String,
        /// Room name or id.
        #[arg(long)]
        room: String,
        /// consultation, review, other, or a kind the clinic added.
        #[arg(long, default_value = "consultation")]
        kind: String,
    },
    /// Move or resize an appointment (--id) or a plan's session (--session).
    Move {
        #[command(flatten)]
        key: KeyArgs,
        #[arg(long, default_value = "")]
        date: String,
        #[arg(long, default_value = "")]
        time: String,
        #[arg(long)]
        minutes: Option<u32>,
        #[arg(long)]
        practitioner: Option<String>,
        #[arg(long)]
        room: Option<String>,
    },
    /// Cancel an appointment.
    Cancel {
        #[command(flatten)]
        key: KeyArgs,
    },
}

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct KeyArgs {
    /// The appointment's id.
    #[arg(long)]
    id: Option<i64>,
    /// A plan's session id.
    #[arg(long)]
    session: Option<i64>,
}

impl KeyArgs {
    fn key(&self) -> Result<BookingKey, ApiError> {
        match (self.id, self.session) {
            (Some(a), None) => Ok(BookingKey::Appointment(AppointmentId(a))),
            (None, Some(s)) => Ok(BookingKey::Session(PlannedSessionId(s))),
            _ => Err(fail(
                ErrorCode::Validation,
                Some("id"),
                "Give --id or --session.",
            )),
        }
    }
}

#[derive(Subcommand)]
pub enum RoomsCommand {
    /// Add a room (admin).
    Add { name: String },
    /// Every room, active first.
    List,
    /// Rename a room (admin).
    Rename {
        /// The room's name or id.
        room: String,
        name: String,
    },
    /// Retire a room: it keeps its past appointments, takes no new ones (admin).
    Retire { room: String },
}

fn practitioner(clinic: &Clinic, actor: &Actor, raw: &str) -> Result<UserId, ApiError> {
    let list = clinic.practitioners(actor)?;
    let raw = raw.trim();
    list.iter()
        .find(|p| {
            p.id.0.to_string() == raw
                || p.username.eq_ignore_ascii_case(raw)
                || p.name.eq_ignore_ascii_case(raw)
        })
        .map(|p| p.id)
        .ok_or_else(|| {
            let names: Vec<&str> = list.iter().map(|p| p.username.as_str()).collect();
            fail(
                ErrorCode::Validation,
                Some("practitioner"),
                format!(
                    "No practitioner is called \"{raw}\"; the practitioners are: {}.",
                    names.join(", ")
                ),
            )
        })
}

fn room(clinic: &Clinic, actor: &Actor, raw: &str) -> Result<RoomId, ApiError> {
    let list = clinic.rooms(actor)?;
    let raw = raw.trim();
    list.iter()
        .find(|r| r.id.0.to_string() == raw || r.name.eq_ignore_ascii_case(raw))
        .map(|r| r.id)
        .ok_or_else(|| {
            fail(
                ErrorCode::Validation,
                Some("room"),
                format!("No room is called \"{raw}\" (dermis rooms list)."),
            )
        })
}

/// One line per booking: date, time, length, kind, patient, practitioner, room.
pub fn booking_line(b: &Booking) -> String {
    let id = match b.key {
        BookingKey::Appointment(a) => format!("A{a}"),
        BookingKey::Session(s) => format!("S{s}"),
    };
    format!(
        "{}  {}  {:>3} min{}  {:<18}  {} {} {}  {}  {}{}  [{id}]",
        b.date,
        b.time.as_deref().unwrap_or("--:--"),
        b.minutes,
        if b.numbing_minutes > 0 {
            format!(" ({} numbing)", b.numbing_minutes)
        } else {
            String::new()
        },
        b.kind_label,
        b.patient_number,
        b.first_name,
        b.last_name,
        b.practitioner_name
            .as_deref()
            .unwrap_or("(no practitioner)"),
        b.room_name.as_deref().unwrap_or("(no room)"),
        if b.running_late { "  running late" } else { "" },
    )
}

pub fn appointment(
    clinic: &Clinic,
    actor: &Actor,
    cmd: &AppointmentCommand,
    json: bool,
) -> Result<(), ApiError> {
    match cmd {
        AppointmentCommand::Book {
            patient,
            date,
            time,
            minutes,
            numbing,
            practitioner: who,
            room: r,
            kind,
        } => {
            let input = BookingInput {
                patient_id: PatientId(resolve_patient_id(clinic, actor, patient)?),
                kind: kind.clone(),
                date: date.clone(),
                time: time.clone(),
                minutes: *minutes,
                numbing_minutes: *numbing,
                practitioner_id: practitioner(clinic, actor, who)?,
                room_id: room(clinic, actor, r)?,
            };
            let b = clinic.book_appointment(actor, &input)?;
            print(json, &b, |b| format!("Booked: {}", booking_line(b)))
        }
        AppointmentCommand::Move {
            key,
            date,
            time,
            minutes,
            practitioner: who,
            room: r,
        } => {
            let to = MoveInput {
                date: date.clone(),
                time: time.clone(),
                minutes: *minutes,
                numbing_minutes: None,
                practitioner_id: who
                    .as_deref()
                    .map(|w| practitioner(clinic, actor, w))
                    .transpose()?,
                room_id: r.as_deref().map(|r| room(clinic, actor, r)).transpose()?,
            };
            let b = clinic.move_booking(actor, key.key()?, None, &to)?;
            print(json, &b, |b| format!("Moved: {}", booking_line(b)))
        }
        AppointmentCommand::Cancel { key } => {
            clinic.cancel_booking(actor, key.key()?, None)?;
            print(json, &serde_json::json!({ "cancelled": true }), |_| {
                "Cancelled.".to_string()
            })
        }
    }
}

pub fn calendar(
    clinic: &Clinic,
    actor: &Actor,
    from: &str,
    to: &str,
    json: bool,
) -> Result<(), ApiError> {
    let rows = clinic.bookings(actor, from, to)?;
    print(json, &rows, |rows| {
        if rows.is_empty() {
            return format!("Nothing booked from {from} to {to}.");
        }
        rows.iter().map(booking_line).collect::<Vec<_>>().join("\n")
    })
}

fn room_line(r: &Room) -> String {
    format!(
        "{}  {}{}",
        r.id,
        r.name,
        if r.active { "" } else { "  (retired)" }
    )
}

pub fn rooms(
    clinic: &Clinic,
    actor: &Actor,
    cmd: &RoomsCommand,
    json: bool,
) -> Result<(), ApiError> {
    match cmd {
        RoomsCommand::Add { name } => {
            let r = clinic.add_room(actor, name)?;
            print(json, &r, |r| format!("Added room {}", room_line(r)))
        }
        RoomsCommand::List => {
            let list = clinic.rooms(actor)?;
            print(json, &list, |list| {
                if list.is_empty() {
                    return "No rooms yet (dermis rooms add NAME).".to_string();
                }
                list.iter().map(room_line).collect::<Vec<_>>().join("\n")
            })
        }
        RoomsCommand::Rename { room: r, name } => {
            let id = room(clinic, actor, r)?;
            let active = clinic.rooms(actor)?.iter().any(|x| x.id == id && x.active);
            let r = clinic.update_room(actor, id, name, active)?;
            print(json, &r, |r| format!("Renamed: {}", room_line(r)))
        }
        RoomsCommand::Retire { room: r } => {
            let id = room(clinic, actor, r)?;
            let name = clinic
                .rooms(actor)?
                .into_iter()
                .find(|x| x.id == id)
                .map(|x| x.name)
                .unwrap_or_default();
            let r = clinic.update_room(actor, id, &name, false)?;
            print(json, &r, |r| format!("Retired: {}", room_line(r)))
        }
    }
}
