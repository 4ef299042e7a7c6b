//! The calendar's rows: rooms, the scheduling settings, and every booking
//! (a plan's session or an appointment) with its length, practitioner and room.
//!
//! A booking lives in one of two tables: a plan's sessions stay in
//! `planned_sessions` (the plan engine moves them by its rules), every other
//! visit is an `appointments` row. The calendar reads both through one
//! `UNION ALL` ([`BOOKINGS`]), each half on its date index, so the day grid,
//! Today and the clash check see one list. Bookings of archived patients and
//! of cancelled plans are left out: they no longer hold a slot.
//!
//! No rule lives here: whether a booking clashes is decided by
//! `dermis_core::schedule` on the rows read here.

use crate::columns::date_col;
use crate::db::{params, OptionalExtension, Row};
use crate::{Result, StoreError, Tx};
use chrono::NaiveDate;
use dermis_core::ids::{AppointmentId, PatientId, PlannedSessionId, RoomId, UserId};
use dermis_core::schedule::{Booking, BookingKey, BookingStatus, Room, ScheduleSettings};
use dermis_core::search::format_patient_number;
use dermis_core::settings::PlanSettings;

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Both halves select the same 21 columns; `?1`..`?2` bound the dates.
const BOOKINGS: &str = "
SELECT 's', s.id, 'session', s.n, p.session_count, pt.id, pt.number_seq, pt.first_name, pt.last_name,
       s.date, s.time, s.minutes, s.numbing_minutes, s.practitioner_id, u.display_name, s.room_id, r.name,
       s.status, s.checked_in_at, s.running_late, s.version
  FROM planned_sessions s
  JOIN plans p ON p.id = s.plan_id
  JOIN patients pt ON pt.id = p.patient_id
  LEFT JOIN users u ON u.id = s.practitioner_id
  LEFT JOIN rooms r ON r.id = s.room_id
 WHERE s.date BETWEEN ?1 AND ?2 AND s.status != 'cancelled' AND p.status != 'cancelled' AND pt.archived = 0
UNION ALL
SELECT 'a', a.id, a.kind, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), pt.id, pt.number_seq, pt.first_name, pt.last_name,
       a.date, a.time, a.minutes, a.numbing_minutes, a.practitioner_id, u.display_name, a.room_id, r.name,
       'booked', a.checked_in_at, a.running_late, a.version
  FROM appointments a
  JOIN patients pt ON pt.id = a.patient_id
  LEFT JOIN users u ON u.id = a.practitioner_id
  LEFT JOIN rooms r ON r.id = a.room_id
 WHERE a.date BETWEEN ?1 AND ?2 AND a.status = 'booked' AND pt.archived = 0";

fn booking_row(r: &Row) -> Result<Booking> {
    let src: String = r.get(0)?;
    let id: i64 = r.get(1)?;
    let key = if src == "s" {
        BookingKey::Session(PlannedSessionId(id))
    } else {
        BookingKey::Appointment(AppointmentId(id))
    };
    let kind: String = r.get(2)?;
    let status: String = r.get(17)?;
    Ok(Booking {
        key,
        kind_label: kind.clone(),
        kind,
        session_n: r.get(3)?,
        session_of: r.get(4)?,
        patient_id: r.get(5)?,
        patient_number: format_patient_number(r.get(6)?),
        first_name: r.get(7)?,
        last_name: r.get(8)?,
        date: date_col(r, 9)?,
        time: r.get(10)?,
        minutes: r.get(11)?,
        numbing_minutes: r.get(12)?,
        practitioner_id: r.get::<Option<i64>>(13)?.map(UserId),
        practitioner_name: r.get(14)?,
        room_id: r.get::<Option<i64>>(15)?.map(RoomId),
        room_name: r.get(16)?,
        status: if status == "done" {
            BookingStatus::Done
        } else {
            BookingStatus::Booked
        },
        checked_in_at: r.get(18)?,
        running_late: r.get(19)?,
        version: r.get(20)?,
    })
}

/// Where a booking goes: date, time, length and who and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub date: NaiveDate,
    pub time: String,
    pub minutes: u32,
    pub numbing_minutes: u32,
    pub practitioner: UserId,
    pub room: RoomId,
}

impl Tx<'_> {
    /// Every booking from `from` to `to` (inclusive): by date, timed ones by
    /// time, untimed planned sessions last in their day.
    pub fn bookings_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Booking>> {
        let mut st = self.conn.prepare_cached(BOOKINGS)?;
        let mut rows: Vec<Booking> = st
            .query_map(params![ymd(from), ymd(to)], booking_row)?
            .collect::<Result<_>>()?;
        rows.sort_by(|a, b| {
            (a.date, a.time.is_none(), &a.time, &a.patient_number).cmp(&(
                b.date,
                b.time.is_none(),
                &b.time,
                &b.patient_number,
            ))
        });
        Ok(rows)
    }

    /// One booking, whatever its date (`None`: no such booking, cancelled,
    /// or its patient archived).
    pub fn booking(&self, key: BookingKey) -> Result<Option<Booking>> {
        Ok(self.booking_and_its_day(key)?.map(|(b, _)| b))
    }

    /// The patient of a booking that exists but is off the calendar (an
    /// appointment cancelled, a session of a stopped plan or cancelled, its
    /// patient archived: what [`Tx::booking`] no longer lists); `None` when
    /// there is no such row at all.
    pub fn booking_off_calendar(&self, key: BookingKey) -> Result<Option<PatientId>> {
        let sql = match key {
            BookingKey::Session(_) => {
                "SELECT p.patient_id FROM planned_sessions s JOIN plans p ON p.id = s.plan_id WHERE s.id = ?1"
            }
            BookingKey::Appointment(_) => "SELECT patient_id FROM appointments WHERE id = ?1",
        };
        let id = match key {
            BookingKey::Session(s) => s.0,
            BookingKey::Appointment(a) => a.0,
        };
        let found: Option<i64> = self.conn.query_row(sql, [id], |r| r.get(0)).optional()?;
        if found.is_some() && self.booking(key)?.is_some() {
            return Ok(None);
        }
        Ok(found.map(PatientId))
    }

    /// One booking and every booking of its day (itself included): a move
    /// within the day checks the clash on the rows it has already read.
    pub fn booking_and_its_day(&self, key: BookingKey) -> Result<Option<(Booking, Vec<Booking>)>> {
        let (table, id) = match key {
            BookingKey::Session(s) => ("planned_sessions", s.0),
            BookingKey::Appointment(a) => ("appointments", a.0),
        };
        let date: Option<String> = self
            .conn
            .query_row(
                &format!("SELECT date FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(date) = date.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()) else {
            return Ok(None);
        };
        let day = self.bookings_between(date, date)?;
        Ok(day.iter().find(|b| b.key == key).cloned().map(|b| (b, day)))
    }

    /// Books an appointment (any kind but a plan's session).
    #[allow(clippy::too_many_arguments)]
    pub fn insert_appointment(
        &self,
        patient_id: i64,
        kind: &str,
        at: &Placement,
        user_id: i64,
        now: &str,
    ) -> Result<AppointmentId> {
        self.conn.execute(
            "INSERT INTO appointments (patient_id, kind, date, time, minutes, numbing_minutes, practitioner_id, room_id, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                patient_id,
                kind,
                ymd(at.date),
                at.time,
                at.minutes,
                at.numbing_minutes,
                at.practitioner.0,
                at.room.0,
                user_id,
                now
            ],
        )?;
        Ok(AppointmentId(self.conn.last_insert_rowid()?))
    }

    /// Puts a booking at `at` (date, time, length, practitioner, room). For a
    /// plan's session the caller has already applied the plan's rules to the
    /// date; the plan's version goes up like any other change of its sessions.
    pub fn place_booking(&self, key: BookingKey, at: &Placement, now: &str) -> Result<()> {
        let n = match key {
            BookingKey::Appointment(a) => self.conn.execute(
                "UPDATE appointments SET date = ?2, time = ?3, minutes = ?4, numbing_minutes = ?5, practitioner_id = ?6, room_id = ?7, version = version + 1
                 WHERE id = ?1 AND status = 'booked'",
                params![a.0, ymd(at.date), at.time, at.minutes, at.numbing_minutes, at.practitioner.0, at.room.0],
            )?,
            BookingKey::Session(s) => {
                let n = self.conn.execute(
                    "UPDATE planned_sessions SET date = ?2, time = ?3, minutes = ?4, numbing_minutes = ?5, practitioner_id = ?6, room_id = ?7, version = version + 1
                     WHERE id = ?1 AND status = 'planned'",
                    params![s.0, ymd(at.date), at.time, at.minutes, at.numbing_minutes, at.practitioner.0, at.room.0],
                )?;
                if n > 0 {
                    self.conn.execute(
                        "UPDATE plans SET version = version + 1, updated_at = ?2 WHERE id = (SELECT plan_id FROM planned_sessions WHERE id = ?1)",
                        params![s.0, now],
                    )?;
                }
                n
            }
        };
        if n == 0 {
            return Err(StoreError::NotFound(format!("Booking {key:?}")));
        }
        Ok(())
    }

    /// Flags (or unflags) a booking as running late.
    pub fn set_running_late(&self, key: BookingKey, late: bool) -> Result<()> {
        let n = match key {
            BookingKey::Appointment(a) => self.conn.execute(
                "UPDATE appointments SET running_late = ?2, version = version + 1 WHERE id = ?1 AND status = 'booked'",
                params![a.0, late],
            )?,
            BookingKey::Session(s) => self.conn.execute(
                "UPDATE planned_sessions SET running_late = ?2, version = version + 1 WHERE id = ?1 AND status != 'cancelled'",
                params![s.0, late],
            )?,
        };
        if n == 0 {
            return Err(StoreError::NotFound(format!("Booking {key:?}")));
        }
        Ok(())
    }

    /// Every room, active first, by name.
    pub fn rooms(&self) -> Result<Vec<Room>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, name, active FROM rooms ORDER BY active DESC, name, id")?;
        let rows = st.query_map((), |r| {
            Ok(Room {
                id: RoomId(r.get(0)?),
                name: r.get(1)?,
                active: r.get(2)?,
            })
        })?;
        rows.collect::<Result<_>>()
    }

    fn room_name_taken(&self, name: &str, except: Option<i64>) -> Result<()> {
        let other: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM rooms WHERE name = ?1 COLLATE NOCASE AND (CAST(?2 AS BIGINT) IS NULL OR id != ?2)",
                params![name, except],
                |r| r.get(0),
            )
            .optional()?;
        if other.is_some() {
            return Err(StoreError::Conflict(format!(
                "There is already a room called \"{name}\"."
            )));
        }
        Ok(())
    }

    pub fn insert_room(&self, name: &str, now: &str) -> Result<RoomId> {
        self.room_name_taken(name, None)?;
        self.conn.execute(
            "INSERT INTO rooms (name, active, created_at) VALUES (?1, 1, ?2)",
            params![name, now],
        )?;
        Ok(RoomId(self.conn.last_insert_rowid()?))
    }

    /// Renames a room and/or retires or reactivates it.
    pub fn update_room(&self, id: RoomId, name: &str, active: bool) -> Result<()> {
        self.room_name_taken(name, Some(id.0))?;
        let n = self.conn.execute(
            "UPDATE rooms SET name = ?2, active = ?3 WHERE id = ?1",
            params![id.0, name, active],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!("Room {id}")));
        }
        Ok(())
    }

    /// The active accounts that hold the practitioner role, as (id, display
    /// name). Reads no password hash: on the clinic server the full account
    /// read (`users`) calls `dermis_password_hash()` per row, which cost the
    /// day grid and every booking about 2 ms of its 5 ms budget.
    pub fn practitioner_names(&self) -> Result<Vec<(UserId, String)>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, display_name, roles FROM users WHERE active = 1")?;
        let rows = st.query_map((), |r| {
            Ok((UserId(r.get(0)?), r.get::<String>(1)?, r.get::<String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, roles) = row?;
            if roles
                .split(',')
                .filter_map(dermis_core::Role::parse)
                .any(|r| r == dermis_core::Role::Practitioner)
            {
                out.push((id, name));
            }
        }
        Ok(out)
    }

    /// The scheduling settings and the plan settings (open days, closed
    /// dates) in one read: every booking decision needs both.
    pub fn schedule_and_plan_settings(&self) -> Result<(ScheduleSettings, PlanSettings)> {
        let mut st = self.conn.prepare_cached(
            "SELECT key, value FROM settings WHERE key IN ('schedule_settings', 'plan_settings')",
        )?;
        let rows = st.query_map((), |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
        let (mut schedule, mut plan) = (None, None);
        for row in rows {
            let (key, value) = row?;
            let unreadable = |e: serde_json::Error| {
                StoreError::Internal(format!("the setting {key} is unreadable: {e}"))
            };
            if key == "schedule_settings" {
                schedule = Some(serde_json::from_str(&value).map_err(unreadable)?);
            } else {
                plan = Some(serde_json::from_str(&value).map_err(unreadable)?);
            }
        }
        Ok((schedule.unwrap_or_default(), plan.unwrap_or_default()))
    }

    /// The appointment kinds and the practitioners' hours (the defaults until changed).
    pub fn schedule_settings(&self) -> Result<ScheduleSettings> {
        Ok(self.setting("schedule_settings")?.unwrap_or_default())
    }

    pub fn set_schedule_settings(&self, s: &ScheduleSettings) -> Result<()> {
        self.set_setting("schedule_settings", s)
    }
}
