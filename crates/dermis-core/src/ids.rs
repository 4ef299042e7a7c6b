//! Typed ids: a patient's id and a plan's id are both integers in the
//! database, but swapping them is a bug the compiler should catch
//! (`reschedule_session(patient.id, …)`). Each kind of record has its own id
//! type; on the wire and in TypeScript each is a plain number (serde writes a
//! newtype as what it wraps), so the contract's shape does not change.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub struct $name(#[ts(type = "number")] pub i64);

        impl $name {
            /// The id as the database stores it.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    /// A patient (not their patient number, `P-000042`, which people read).
    PatientId;
    /// A treatment plan.
    PlanId;
    /// One planned session of a plan (the appointment a session record fulfils).
    PlannedSessionId;
    /// What was done at a session.
    SessionRecordId;
    /// A scar assessment.
    AssessmentId;
    /// A screening.
    ScreeningId;
    /// A photo.
    PhotoId;
    /// An appointment outside a plan: a first consultation, a review or any other visit.
    AppointmentId;
    /// A user account.
    UserId;
    /// One adverse event of a healing report.
    AdverseEventId;
    /// A healing follow-up report.
    HealingReportId;
    /// A maintenance recall of a plan.
    RecallId;
    /// One call (or letter) logged against a recall.
    RecallContactId;
    /// One saved version of a consent template.
    ConsentTemplateId;
    /// A signed consent.
    ConsentId;
    /// A treatment room (Settings → Rooms).
    RoomId;
}
