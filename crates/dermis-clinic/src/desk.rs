//! The reception desk: checking patients in, and first consultations
//! (booked for an existing patient, or with a new registration in one step;
//! moved, cancelled, checked in). Each change goes through
//! [`Clinic::change`](crate::usecase): permission, one transaction, typed
//! audit events.

use crate::usecase::{Event, Subject};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use dermis_core::ids;
use ids::{AppointmentId, PatientId, PlannedSessionId};
use serde_json::json;

impl Clinic {
    /// Marks a booked session as checked in (the patient has arrived), or undoes it.
    pub fn check_in(
        &self,
        actor: &Actor,
        session_id: PlannedSessionId,
        arrived: bool,
    ) -> Result<()> {
        self.change(actor, Action::CheckIn, |tx, at| {
            let (plan, _) = tx
                .plan_of_session(session_id.0)?
                .ok_or_else(|| crate::clinical::not_found("Session", session_id.0))?;
            tx.set_checked_in(session_id.0, arrived.then_some(at.now.as_str()))?;
            let event = Event::new(
                "session.check_in",
                Subject::Patient(plan.patient_id.0),
                json!({ "session": session_id, "arrived": arrived }),
            );
            Ok(((), vec![event]))
        })
    }

    /// Books a first consultation (`time` `HH:MM` or empty) for a patient.
    /// A timed one takes the clinic's first practitioner and room free then
    /// and is refused, like any clash, when none is.
    pub fn book_consultation(
        &self,
        actor: &Actor,
        patient_id: PatientId,
        date: &str,
        time: &str,
    ) -> Result<i64> {
        self.allow(actor, Action::MoveAppointment)?;
        let (date, time) = self.consultation_slot(date, time)?;
        self.change(actor, Action::MoveAppointment, |tx, at| {
            crate::clinical::require_patient(tx, patient_id.0)?;
            let id = crate::schedule::book_first_consultation(
                tx,
                patient_id.0,
                date,
                time.as_deref(),
                actor.user_id,
                &at.now,
            )?;
            let event = Event::new(
                "consultation.book",
                Subject::Patient(patient_id.0),
                json!({ "appointment": id, "date": date, "time": time }),
            );
            Ok((id, vec![event]))
        })
    }

    /// The reception desk's quick flow: registers a new patient and books the
    /// first consultation in one step (both or neither).
    pub fn register_with_consultation(
        &self,
        actor: &Actor,
        input: &dermis_core::PatientInput,
        date: &str,
        time: &str,
    ) -> Result<dermis_core::Patient> {
        // Both permissions, before any validation answers.
        self.allow(actor, Action::CreatePatient)?;
        self.allow(actor, Action::MoveAppointment)?;
        let today = self.today();
        let mut c = dermis_core::error::Collector::default();
        let valid = match dermis_core::validate::patient(input, today) {
            Ok(v) => Some(v),
            Err(e) => {
                for f in e.0 {
                    c.push(&f.field, f.message);
                }
                None
            }
        };
        let slot = match self.consultation_slot(date, time) {
            Ok(s) => Some(s),
            Err(ClinicError::Validation(e)) => {
                for f in e.0 {
                    c.push(&f.field, f.message);
                }
                None
            }
            Err(other) => return Err(other),
        };
        c.finish()?;
        let (Some(valid), Some((date, time))) = (valid, slot) else {
            return Err(ClinicError::Internal(
                "the form was checked but is incomplete".into(),
            ));
        };
        self.change(actor, Action::MoveAppointment, |tx, at| {
            let p = tx.insert_patient(&valid, &at.now)?;
            let id = crate::schedule::book_first_consultation(
                tx,
                p.id.0,
                date,
                time.as_deref(),
                actor.user_id,
                &at.now,
            )?;
            let events = vec![
                Event::new(
                    "patient.create",
                    Subject::Patient(p.id.0),
                    serde_json::Value::Null,
                ),
                Event::new(
                    "consultation.book",
                    Subject::Patient(p.id.0),
                    json!({ "appointment": id, "date": date, "time": time }),
                ),
            ];
            Ok((p, events))
        })
    }

    /// Cancels a booked consultation.
    pub fn cancel_consultation(&self, actor: &Actor, appointment_id: AppointmentId) -> Result<()> {
        self.change(actor, Action::MoveAppointment, |tx, _| {
            let patient = tx.update_consultation(appointment_id.0, true, None)?;
            let event = Event::new(
                "consultation.cancel",
                Subject::Patient(patient),
                json!({ "appointment": appointment_id }),
            );
            Ok(((), vec![event]))
        })
    }

    /// Checks a consultation's patient in (or undoes it).
    pub fn check_in_consultation(
        &self,
        actor: &Actor,
        appointment_id: AppointmentId,
        arrived: bool,
    ) -> Result<()> {
        self.change(actor, Action::CheckIn, |tx, at| {
            let patient = tx.update_consultation(
                appointment_id.0,
                false,
                Some(arrived.then_some(at.now.as_str())),
            )?;
            let event = Event::new(
                "consultation.check_in",
                Subject::Patient(patient),
                json!({ "appointment": appointment_id, "arrived": arrived }),
            );
            Ok(((), vec![event]))
        })
    }

    /// A consultation's date (today or later, on an open day) and optional time.
    fn consultation_slot(
        &self,
        date: &str,
        time: &str,
    ) -> Result<(chrono::NaiveDate, Option<String>)> {
        let mut c = dermis_core::error::Collector::default();
        let today = self.today();
        let d = c.check(dermis_core::validate::date(
            "consultation_date",
            "Consultation date",
            date,
        ));
        if let Some(d) = d {
            if d < today {
                c.push(
                    "consultation_date",
                    format!("{d} is in the past; today is {today}."),
                );
            } else {
                let settings = self.store()?.read(|tx| tx.plan_settings())?;
                let cal = dermis_core::settings::ClinicCalendar::from_settings(&settings);
                if !cal.is_open(d) {
                    let next = cal
                        .first_open_from(d)
                        .map(|n| format!(" The next open day is {}.", n.format("%a %Y-%m-%d")))
                        .unwrap_or_default();
                    c.push(
                        "consultation_date",
                        format!("The clinic is closed on {}.{next}", d.format("%a %Y-%m-%d")),
                    );
                }
            }
        }
        let t = c.check(dermis_core::validate::time_of_day(
            "consultation_time",
            time,
        ));
        c.finish()?;
        Ok((d.unwrap_or(today), t.flatten()))
    }
}
