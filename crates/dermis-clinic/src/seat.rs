//! Who sits at this copy of Dermis: the signed-in user, the idle lock and the
//! time of the last command. It lives here, not in the desktop shell, so the
//! lock holds whatever the UI does: a window whose timer was stopped, or a
//! script calling commands directly, still meets `locked` after the clinic's
//! idle limit. And every command re-reads the account, so deactivating a user
//! or changing their roles takes effect on their open session at once.

use crate::documents::KeptSheet;
use crate::{Actor, Clinic, ClinicError, Result};
use chrono::{DateTime, Utc};
use std::sync::Mutex;

#[derive(Default)]
struct State {
    actor: Option<Actor>,
    locked: bool,
    last_activity: Option<DateTime<Utc>>,
    /// The aftercare sheets of the sessions Today last showed this person
    /// while the clinic server answered, for printing while it does not
    /// (see `documents::KeptSheet`). Memory only; emptied at sign-in,
    /// sign-out and the lock, so nothing kept outlives the person's session.
    sheets: Vec<KeptSheet>,
    /// The clinic's idle limit as last read, for the lock while the server
    /// (which keeps the setting) does not answer.
    idle_minutes: u32,
}

/// The signed-in user of one app window (or one test host).
#[derive(Default)]
pub struct Seat {
    state: Mutex<State>,
}

fn poisoned() -> ClinicError {
    ClinicError::Internal("Dermis hit an internal error earlier; restart it.".into())
}

impl Seat {
    pub fn new() -> Seat {
        Seat::default()
    }

    fn state(&self) -> Result<std::sync::MutexGuard<'_, State>> {
        self.state.lock().map_err(|_| poisoned())
    }

    /// Signs `session` in (or everyone out with `None`); either way unlocked.
    pub fn set(&self, clinic: &Clinic, actor: Option<Actor>) -> Result<()> {
        let mut s = self.state()?;
        s.last_activity = actor.as_ref().map(|_| clinic.clock_now());
        s.actor = actor;
        s.locked = false;
        s.sheets = Vec::new();
        Ok(())
    }

    /// Who is signed in, locked or not, without counting as activity.
    pub fn current(&self) -> Result<Option<Actor>> {
        Ok(self.state()?.actor.clone())
    }

    pub fn is_locked(&self) -> Result<bool> {
        Ok(self.state()?.locked)
    }

    /// The signed-in user for one command: refused with `locked` while the
    /// app is locked or once the idle limit has passed since the last command
    /// (the lock is then audited), with `forbidden` when nobody is signed in or
    /// the account was deactivated meanwhile. Roles are read afresh.
    pub fn active(&self, clinic: &Clinic) -> Result<Actor> {
        let mut s = self.state()?;
        let Some(actor) = s.actor.clone() else {
            return Err(ClinicError::Forbidden(
                "You are signed out. Sign in to continue.".into(),
            ));
        };
        let locked_message =
            || ClinicError::Locked("Dermis is locked. Enter your password to continue.".into());
        if s.locked {
            return Err(locked_message());
        }
        let now = clinic.clock_now();
        let minutes = clinic.idle_lock_minutes()?.max(1);
        s.idle_minutes = minutes;
        let limit = i64::from(minutes);
        if s.last_activity
            .is_some_and(|t| now - t >= chrono::Duration::minutes(limit))
        {
            s.locked = true;
            s.sheets = Vec::new();
            drop(s);
            clinic.record_lock(&actor)?;
            return Err(locked_message());
        }
        let fresh = clinic.reread(&actor)?;
        match fresh {
            Some(fresh) => {
                s.actor = Some(fresh.clone());
                s.last_activity = Some(now);
                Ok(fresh)
            }
            None => {
                s.actor = None;
                s.locked = false;
                Err(ClinicError::Forbidden(
                    "This account has been deactivated. Ask the clinic's administrator.".into(),
                ))
            }
        }
    }

    /// Whether the app is locked now, locking it first when the idle limit
    /// has passed; asking does not count as activity (the app polls it).
    pub fn locked_now(&self, clinic: &Clinic) -> Result<bool> {
        let s = self.state()?;
        if s.locked || s.actor.is_none() {
            return Ok(s.locked);
        }
        let limit = i64::from(clinic.idle_lock_minutes()?.max(1));
        let idle = s
            .last_activity
            .is_some_and(|t| clinic.clock_now() - t >= chrono::Duration::minutes(limit));
        drop(s);
        if idle {
            self.lock(clinic)?;
        }
        Ok(idle)
    }

    /// Locks now (the UI's timer or the user's own choice); audited once.
    pub fn lock(&self, clinic: &Clinic) -> Result<()> {
        let mut s = self.state()?;
        if s.locked {
            return Ok(());
        }
        if let Some(actor) = s.actor.clone() {
            s.locked = true;
            s.sheets = Vec::new();
            drop(s);
            clinic.record_lock(&actor)?;
        }
        Ok(())
    }

    /// Unlocks with the signed-in user's own password (rate limited like sign-in).
    pub fn unlock(&self, clinic: &Clinic, password: &str) -> Result<()> {
        let actor = self.current()?.ok_or_else(|| {
            ClinicError::Forbidden("You are signed out. Sign in to continue.".into())
        })?;
        clinic.unlock(&actor, password)?;
        let fresh = clinic.reread(&actor)?.ok_or_else(|| {
            ClinicError::Forbidden(
                "This account has been deactivated. Ask the clinic's administrator.".into(),
            )
        })?;
        let mut s = self.state()?;
        s.actor = Some(fresh);
        s.locked = false;
        s.last_activity = Some(clinic.clock_now());
        Ok(())
    }
}

impl Seat {
    /// Keeps `sheets` for `actor` (replacing what was kept), if they are
    /// still the one signed in and the app is not locked.
    pub(crate) fn keep_sheets(&self, actor: &Actor, sheets: Vec<KeptSheet>) -> Result<()> {
        let mut s = self.state()?;
        if !s.locked && s.actor.as_ref().is_some_and(|a| a.user_id == actor.user_id) {
            s.sheets = sheets;
        }
        Ok(())
    }

    /// While the clinic server does not answer: the signed-in person (as
    /// last read) and the kept sheet of `session_id`, if any. The lock
    /// holds as usual: locked, or idle past the limit last read (the app
    /// locks then; the lock's audit entry cannot reach the server), is
    /// `locked`. Counts as activity.
    pub(crate) fn kept_sheet(
        &self,
        now: DateTime<Utc>,
        session_id: i64,
    ) -> Result<Option<(Actor, KeptSheet)>> {
        let mut s = self.state()?;
        let Some(actor) = s.actor.clone() else {
            return Ok(None);
        };
        let locked =
            || ClinicError::Locked("Dermis is locked. Enter your password to continue.".into());
        if s.locked {
            return Err(locked());
        }
        let limit = i64::from(s.idle_minutes.max(1));
        if s.last_activity
            .is_some_and(|t| now - t >= chrono::Duration::minutes(limit))
        {
            s.locked = true;
            s.sheets = Vec::new();
            tracing::warn!("locked while the clinic server did not answer (not audited)");
            return Err(locked());
        }
        let Some(sheet) = s
            .sheets
            .iter()
            .find(|k| k.session_id == session_id)
            .cloned()
        else {
            return Ok(None);
        };
        s.last_activity = Some(now);
        Ok(Some((actor, sheet)))
    }

    /// How many sheets are kept now (tests: nothing after sign-out or the lock).
    pub fn kept_sheets(&self) -> Result<usize> {
        Ok(self.state()?.sheets.len())
    }
}

impl Clinic {
    /// The account behind `session` as it is now: `None` once deactivated.
    pub(crate) fn reread(&self, actor: &Actor) -> Result<Option<Actor>> {
        let user = self.store()?.read(|tx| tx.user(actor.user_id))?;
        Ok(user.filter(|u| u.active).map(|u| Actor::from_user(&u)))
    }

    pub(crate) fn clock_now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn idle_lock_minutes(&self) -> Result<u32> {
        Ok(self.stored_clinic_settings()?.idle_lock_minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dermis_core::{LoginInput, Role, SetupInput};

    fn sheet(session_id: i64) -> KeptSheet {
        KeptSheet {
            session_id,
            patient_id: 1,
            input: dermis_docs::samples::aftercare("Zoë Park", 1),
            language_note: String::new(),
        }
    }

    /// A Today list read just before the lock (or by someone since signed
    /// out) answers after it: its sheets are not kept.
    #[test]
    fn sheets_are_kept_only_for_the_person_signed_in_and_never_while_locked() {
        let c = Clinic::open_in_memory(std::sync::Arc::new(crate::FixedClock::on(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        )))
        .unwrap();
        let admin = c
            .setup(&SetupInput {
                clinic_name: "Clinique Étoile".into(),
                clinic_address: String::new(),
                clinic_phone: String::new(),
                admin_username: "owner".into(),
                admin_display_name: "Owner".into(),
                password: "plum kettle harbour velvet".into(),
            })
            .unwrap();
        c.create_user(
            &admin,
            "rita",
            "Rita",
            "amber lantern meadow quartz",
            &[Role::Receptionist],
        )
        .unwrap();
        let rita = c
            .login(&LoginInput {
                username: "rita".into(),
                password: "amber lantern meadow quartz".into(),
            })
            .unwrap();
        let seat = Seat::new();
        seat.set(&c, Some(rita.clone())).unwrap();
        // Someone else's sheets (a reply for the owner): not kept.
        seat.keep_sheets(&admin, vec![sheet(1)]).unwrap();
        assert_eq!(seat.kept_sheets().unwrap(), 0);
        seat.keep_sheets(&rita, vec![sheet(1), sheet(2)]).unwrap();
        assert_eq!(seat.kept_sheets().unwrap(), 2);
        // Locked: the lock dropped them, and a late reply keeps nothing.
        seat.lock(&c).unwrap();
        assert_eq!(seat.kept_sheets().unwrap(), 0);
        seat.keep_sheets(&rita, vec![sheet(3)]).unwrap();
        assert_eq!(seat.kept_sheets().unwrap(), 0);
    }
}
