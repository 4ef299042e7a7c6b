//! The shape of a use-case that changes something: the permission is
//! checked (a refusal is itself audited), the change runs in ONE write
//! transaction, and the typed audit [`Event`]s it returns are appended in
//! that same transaction, so a change is never stored without its audit
//! entry and an audit entry never outlives a change that was rolled back.
//! New use-cases go through [`Clinic::change`]: they cannot forget one of
//! the three.

use crate::{Action, Actor, Clinic, Result};
use dermis_store::Tx;

/// What an audit entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    Patient(i64),
    User(i64),
    Clinic,
}

impl Subject {
    fn parts(self) -> (&'static str, String) {
        match self {
            Subject::Patient(id) => ("patient", id.to_string()),
            Subject::User(id) => ("user", id.to_string()),
            Subject::Clinic => ("clinic", "1".to_string()),
        }
    }
}

/// One audit entry: the action's stable name (`consultation.book`), what it
/// is about, and a JSON detail (never clinical free text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub action: &'static str,
    pub subject: Subject,
    pub detail: serde_json::Value,
}

impl Event {
    pub fn new(action: &'static str, subject: Subject, detail: serde_json::Value) -> Event {
        Event {
            action,
            subject,
            detail,
        }
    }
}

/// The instant a change happens at (one per request, from the clinic's clock).
pub(crate) struct Stamp {
    pub now: String,
}

impl Clinic {
    /// Runs `f` as `actor`'s change under `action`: refused (and the refusal
    /// audited) unless allowed; otherwise `f` runs in one write transaction
    /// and its events are appended to the audit log in it.
    pub(crate) fn change<T>(
        &self,
        actor: &Actor,
        action: Action,
        f: impl FnOnce(&Tx, &Stamp) -> Result<(T, Vec<Event>)>,
    ) -> Result<T> {
        self.allow(actor, action)?;
        let stamp = Stamp { now: self.now() };
        self.store()?.write(|tx| -> Result<T> {
            let (out, events) = f(tx, &stamp)?;
            for e in events {
                let (entity, id) = e.subject.parts();
                let detail = if e.detail.is_null() {
                    String::new()
                } else {
                    e.detail.to_string()
                };
                tx.append_audit(&actor.audit_entry(
                    stamp.now.clone(),
                    e.action,
                    entity,
                    &id,
                    &detail,
                ))?;
            }
            Ok(out)
        })
    }
}
