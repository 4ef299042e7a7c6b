//! What changed, for the screens (issue 16, "Live"): the change feed every
//! PC's UI polls (`changes {since}`, about once a second over local IPC) to
//! reload what it shows when another PC (or this one) changed it, and the
//! state of the connection to the clinic server, for the "server is not
//! answering" banner.
//!
//! The feed is fed by dermis-store's watch (see its `live.rs`): on the
//! clinic server by a listening connection of its own (LISTEN/NOTIFY,
//! PostgreSQL migration 0010), on a file by this process's own writes.
//! Each change gets the next number of THIS PC's sequence (numbers are not
//! shared between PCs); the newest [`KEPT`] are kept, and a UI that asks
//! from further back than that (or from before this clinic was opened) is
//! told to reload everything (`reset`).
//!
//! **What a change says:** a kind (`patient`, `appointment`, `session`,
//! `plan`, `recall`, `settings`) and the patient's id; never a fact. A
//! receptionist, who may not read clinical records, is not even told that a
//! clinical record changed: `session` reaches her as `patient`.

use crate::{Action, Actor, Clinic, Result};
use dermis_core::ids::PatientId;
use dermis_store::{LiveEvent, LiveSink};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// How many changes the feed keeps for a UI that polls late.
pub const KEPT: usize = 1000;

/// One change another screen may need to reload for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Change {
    /// This PC's sequence number of the change.
    #[ts(type = "number")]
    pub seq: u64,
    /// `patient`, `appointment`, `session`, `plan`, `recall` or `settings`.
    pub kind: String,
    pub patient_id: Option<PatientId>,
}

/// Whether the clinic server answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionState {
    /// `connected` (always, on a single PC) or `unreachable`.
    pub state: String,
    /// The clinic server's host (and port), or null on a single PC.
    pub server: Option<String>,
    /// Since when the state holds (RFC 3339, UTC); null when connected from the start.
    pub since: Option<String>,
}

/// The reply to `changes {since}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeFeed {
    /// The newest sequence number: the next call's `since`.
    #[ts(type = "number")]
    pub seq: u64,
    /// The changes after `since`, oldest first.
    pub changes: Vec<Change>,
    /// `since` is older than the changes kept (or from before this clinic
    /// was opened): reload everything shown.
    pub reset: bool,
    pub connection: ConnectionState,
}

#[derive(Debug)]
struct Feed {
    seq: u64,
    changes: VecDeque<(u64, dermis_store::ChangeNote)>,
    up: bool,
    since: Option<String>,
    /// The server refuses this PC's password (changed on another PC): the
    /// person is asked for it again (see `Workstation::changes`).
    refused: bool,
}

/// The feed a clinic's watch writes into (shared with the listener's thread).
#[derive(Debug)]
pub(crate) struct Live {
    feed: Mutex<Feed>,
    server: Option<String>,
}

impl Live {
    pub(crate) fn new(server: Option<String>) -> Arc<Live> {
        Arc::new(Live {
            feed: Mutex::new(Feed {
                // 0 is the UI's "from now": never a position in the feed.
                seq: 1,
                changes: VecDeque::new(),
                up: true,
                since: None,
                refused: false,
            }),
            server,
        })
    }

    /// The sink dermis-store's watch tells.
    pub(crate) fn sink(self: &Arc<Self>) -> LiveSink {
        let me = self.clone();
        Arc::new(move |event| me.record(event))
    }

    fn record(&self, event: LiveEvent) {
        let Ok(mut feed) = self.feed.lock() else {
            return;
        };
        let now = || chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        match event {
            LiveEvent::Change(note) => {
                feed.seq += 1;
                let seq = feed.seq;
                feed.changes.push_back((seq, note));
                while feed.changes.len() > KEPT {
                    feed.changes.pop_front();
                }
            }
            LiveEvent::Connected => {
                feed.refused = false;
                if !feed.up {
                    feed.up = true;
                    feed.since = Some(now());
                    // What changed while away was not heard: a number the
                    // UI has not seen makes it reload everything.
                    feed.seq += 1;
                    feed.changes.clear();
                }
            }
            LiveEvent::Refused(why) => {
                tracing::warn!("the clinic server refuses this PC's password: {why}");
                feed.refused = true;
                // It answers: whatever was said about an outage is over.
                if !feed.up {
                    feed.up = true;
                    feed.since = Some(now());
                    feed.seq += 1;
                    feed.changes.clear();
                }
            }
            LiveEvent::Unreachable(why) => {
                if feed.up {
                    tracing::warn!("the clinic server stopped answering: {why}");
                    feed.up = false;
                    feed.since = Some(now());
                }
            }
        }
    }

    /// The server refuses the password this PC connected with.
    pub(crate) fn refused(&self) -> bool {
        self.feed.lock().is_ok_and(|f| f.refused)
    }

    fn accepted(&self) {
        if let Ok(mut f) = self.feed.lock() {
            f.refused = false;
        }
    }

    fn read(&self, since: u64, desk_only: bool) -> ChangeFeed {
        let feed = match self.feed.lock() {
            Ok(f) => f,
            Err(p) => p.into_inner(),
        };
        let oldest = feed.changes.front().map_or(feed.seq + 1, |(s, _)| *s);
        let reset = since > feed.seq || (since > 0 && since + 1 < oldest);
        let changes = if since == 0 || reset {
            Vec::new()
        } else {
            feed.changes
                .iter()
                .filter(|(s, _)| *s > since)
                .map(|(s, n)| Change {
                    seq: *s,
                    kind: if desk_only && n.kind == "session" {
                        "patient".into()
                    } else {
                        n.kind.clone()
                    },
                    patient_id: n.patient_id.map(PatientId),
                })
                .collect()
        };
        ChangeFeed {
            seq: feed.seq,
            changes,
            reset,
            connection: ConnectionState {
                state: if feed.up { "connected" } else { "unreachable" }.into(),
                server: self.server.clone(),
                since: feed.since.clone(),
            },
        }
    }
}

impl Clinic {
    /// What changed after `since` (this PC's sequence; 0: "from now", no
    /// changes), and whether the clinic server answers (see the module doc).
    pub fn changes(&self, actor: &Actor, since: u64) -> Result<ChangeFeed> {
        self.allow(actor, Action::WatchChanges)?;
        self.start_watching()?;
        let clinical = actor.require(Action::ReadClinical).is_ok();
        Ok(self.live.read(since, !clinical))
    }

    /// The clinic server answers but refuses the password this PC signed
    /// in with (it was changed on another PC since): see `Workstation::changes`.
    pub fn password_refused(&self) -> bool {
        self.live.refused()
    }

    /// The signed-in person's password as they entered it again (after
    /// [`Clinic::password_refused`]): the connections to the server use it
    /// from now on.
    pub(crate) fn renew_password(&self, password: &str) -> Result<()> {
        self.store()?.renew_password(password);
        Ok(())
    }

    /// The person entered their (new) password and the sign-in's check took it.
    pub(crate) fn password_accepted(&self) {
        self.live.accepted();
    }

    /// Starts the store's watch on the first call (a clinic nobody polls,
    /// such as the command line's, holds no listening connection).
    fn start_watching(&self) -> Result<()> {
        let mut watch = self.watch.lock().map_err(|_| {
            crate::ClinicError::Internal(
                "the change feed is unusable after an earlier failure".into(),
            )
        })?;
        if watch.is_none() {
            let listener = self.store()?.watch(self.live.sink())?;
            *watch = Some(listener);
        }
        Ok(())
    }
}

/// Who last did something and at what time (`HH:MM`, this PC's local
/// time), from the audit log's `(username, at)`: the name and the time
/// only, never the entry's detail (which may hold clinical facts).
pub(crate) fn who_and_when(last: Option<(String, String)>) -> Option<(String, String)> {
    last.map(|(who, at)| {
        let time = chrono::DateTime::parse_from_rfc3339(&at)
            .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
            .unwrap_or(at);
        (who, time)
    })
}

/// The sentence of a version conflict, naming who changed `what` last and
/// at what time (UTC as the audit log keeps it, `HH:MM`) when the audit
/// log says so (issue 16: "says who changed it and offers to reload").
pub(crate) fn changed_under_you(last: Option<(String, String)>, what: &str) -> String {
    match who_and_when(last) {
        Some((who, time)) => format!(
            "{who} changed {what} at {time}, while you were editing. Reload to see their \
             change, then make yours again."
        ),
        None => format!(
            "Someone else changed {what} while you were editing. Reload to see their change, \
             then make yours again."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_answers_again_but_refuses_the_password_ends_the_outage_banner() {
        let live = Live::new(Some("clinic-server:5432".into()));
        let sink = live.sink();
        sink(LiveEvent::Unreachable("timed out".into()));
        let down = live.read(1, false);
        assert_eq!(down.connection.state, "unreachable");
        // It answers, refusing this PC's password (changed on another PC):
        // not an outage any more, and what changed meanwhile was not heard,
        // so the screens reload.
        sink(LiveEvent::Refused("password authentication failed".into()));
        let back = live.read(down.seq, false);
        assert_eq!(back.connection.state, "connected");
        assert!(back.seq > down.seq, "{back:?}");
        assert!(live.refused());
        // Refused while connected: still connected, no reload.
        let again = back.seq;
        sink(LiveEvent::Refused("password authentication failed".into()));
        let same = live.read(again, false);
        assert_eq!(same.connection.state, "connected");
        assert_eq!(same.seq, again);
    }
    fn change(patient: i64) -> LiveEvent {
        LiveEvent::Change(dermis_store::ChangeNote {
            kind: "patient".into(),
            op: "update".into(),
            patient_id: Some(patient),
        })
    }

    #[test]
    fn a_screen_up_to_date_gets_only_what_is_new_and_one_left_behind_reloads() {
        let live = Live::new(Some("clinic-server:5432".into()));
        let sink = live.sink();
        sink(change(7));
        let now = live.read(0, false);
        // Up to date: nothing new, no reload.
        let same = live.read(now.seq, false);
        assert!(!same.reset && same.changes.is_empty(), "{same:?}");
        // One change later: exactly that one.
        sink(change(8));
        let next = live.read(now.seq, false);
        assert!(!next.reset, "{next:?}");
        assert_eq!(
            next.changes
                .iter()
                .map(|c| c.patient_id)
                .collect::<Vec<_>>(),
            [Some(PatientId(8))]
        );
        // A number from the future (this PC's feed began again): reload.
        assert!(live.read(next.seq + 1, false).reset);
        // Further behind than the changes kept: reload, not a partial list.
        for p in 0..KEPT as i64 + 5 {
            sink(change(p));
        }
        let behind = live.read(next.seq, false);
        assert!(
            behind.reset && behind.changes.is_empty(),
            "{:?}",
            behind.seq
        );
        // Having seen everything before the oldest change kept: the whole
        // list; one change further back: reload.
        let seq = live.read(0, false).seq;
        let edge = live.read(seq - KEPT as u64, false);
        assert!(!edge.reset);
        assert_eq!(edge.changes.len(), KEPT);
        assert!(live.read(seq - KEPT as u64 - 1, false).reset);
    }
}
