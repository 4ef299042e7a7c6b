//! What changed in the database, as it happens: the feed every PC's screens
//! reload from (issue 16, "Live").
//!
//! A change note says only WHAT KIND of thing changed (`patient`,
//! `appointment`, `session`, `plan`, `recall`, `settings`), how (`insert`,
//! `update`, `delete`) and the patient's id when there is one: ids only,
//! never a fact, so whoever may connect at all may receive it.
//! The kinds are coarse on purpose: every clinical table (screenings,
//! assessments, session records, healing reports, adverse events, photos,
//! consents) is `session`, so not even the table name tells a listener what
//! kind of clinical record a patient got.
//!
//! **On the clinic server** the notes come from the server itself: triggers
//! (PostgreSQL migration 0010) `pg_notify('dermis_changes', …)` at commit,
//! whichever PC wrote; [`Listener`] holds a connection of its own (the
//! person's own credentials) that LISTENs on a thread, and tells the sink
//! when the server stops answering and when it answers again (reconnecting
//! with a backoff of 1 s, 2 s, 4 s, 8 s, then every 10 s). A server that
//! answers but refuses the password (changed on another PC since this one
//! connected) is told apart ([`LiveEvent::Refused`]): it is not an outage,
//! and the app asks the person for their password again instead of showing
//! the "server is not answering" banner.
//!
//! **On an SQLite file** the same notes come from TEMP triggers on this
//! process's own connection (installed by [`Store::watch`], nothing in the
//! file changes): they collect into a TEMP table inside the write
//! transaction, read out just before commit and handed to the sink after it,
//! so a rolled-back write tells nobody anything. Writes by ANOTHER process on
//! the same file (a second app window, the command line) are not seen: one
//! PC runs one app, and its screens reload on their own when opened.
//!
//! Both lists of watched tables (below and in migrations-pg/0010) must name
//! the same tables with the same kinds; the store tests check both backends
//! deliver the same notes for the same writes.

use crate::{Result, Store, StoreError};
use postgres::fallible_iterator::FallibleIterator;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The NOTIFY channel of migration 0010.
pub const CHANNEL: &str = "dermis_changes";

/// One committed change: kind, operation, and the patient's id when any.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChangeNote {
    pub kind: String,
    pub op: String,
    pub patient_id: Option<i64>,
}

/// What a watched store tells its sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    Change(ChangeNote),
    /// The clinic server answers (again).
    Connected,
    /// The clinic server stopped answering (the reason, for the log only).
    Unreachable(String),
    /// The clinic server answers but refuses this store's password (it was
    /// changed, on another PC, since this one connected): not an outage.
    /// The listener tries again with the password [`Store::renew_password`]
    /// gives it.
    Refused(String),
}

/// Where a watched store's events go (called from the listener's thread on
/// the server, from the writing thread on a file).
pub type LiveSink = Arc<dyn Fn(LiveEvent) + Send + Sync>;

/// (table, kind, the patient's id as an SQL expression over `R`, the row).
const WATCHED: &[(&str, &str, &str)] = &[
    ("patients", "patient", "R.id"),
    ("documents", "patient", "R.patient_id"),
    ("appointments", "appointment", "R.patient_id"),
    ("plans", "plan", "R.patient_id"),
    (
        "planned_sessions",
        "plan",
        "(SELECT patient_id FROM main.plans WHERE id = R.plan_id)",
    ),
    ("recalls", "recall", "R.patient_id"),
    ("recall_contacts", "recall", "R.patient_id"),
    ("screenings", "session", "R.patient_id"),
    ("assessments", "session", "R.patient_id"),
    ("session_records", "session", "R.patient_id"),
    (
        "healing_reports",
        "session",
        "(SELECT patient_id FROM main.session_records WHERE id = R.session_record_id)",
    ),
    ("adverse_events", "session", "R.patient_id"),
    ("photos", "session", "R.patient_id"),
    ("consents", "session", "R.patient_id"),
    ("settings", "settings", "NULL"),
    ("clinic", "settings", "NULL"),
    ("rooms", "settings", "NULL"),
    ("users", "settings", "NULL"),
    ("consent_templates", "settings", "NULL"),
];

/// The TEMP table and triggers that collect an SQLite write's changes.
fn sqlite_triggers() -> String {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS dermis_changes \
         (kind TEXT NOT NULL, op TEXT NOT NULL, patient_id INTEGER);\n",
    );
    for (table, kind, patient) in WATCHED {
        for (op, event, row) in [
            ("insert", "INSERT", "NEW"),
            ("update", "UPDATE", "NEW"),
            ("delete", "DELETE", "OLD"),
        ] {
            let p = patient.replace("R.", &format!("{row}."));
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS dermis_live_{table}_{op} AFTER {event} ON main.{table} \
                 BEGIN INSERT INTO dermis_changes (kind, op, patient_id) VALUES ('{kind}', '{op}', {p}); END;\n"
            ));
        }
    }
    sql
}

impl Store {
    /// The person's password as they entered it again (it was changed on
    /// another PC): this store's next connection, its tools' and its
    /// listener's use it from now on. On a file: nothing to do.
    pub fn renew_password(&mut self, password: &str) {
        if let Some((_, p)) = self.tool_login.as_mut() {
            *p = Some(password.to_string());
        }
        if let Some(cell) = &self.listen_password {
            if let Ok(mut p) = cell.lock() {
                *p = Some(password.to_string());
            }
        }
    }

    /// Starts telling `sink` about every committed change (see the module
    /// doc). On the clinic server this opens the listening connection, with
    /// this store's own credentials, and returns it: the listening stops
    /// when it is dropped. On a file it returns `None`.
    pub fn watch(&mut self, sink: LiveSink) -> Result<Option<Listener>> {
        if let Some(url) = self.url.clone() {
            let (role, password) = self.tool_login.clone().unwrap_or((None, None));
            let password = Arc::new(std::sync::Mutex::new(password));
            self.listen_password = Some(password.clone());
            return Ok(Some(Listener::start(url, role, password, sink)));
        }
        self.conn.execute_batch(&sqlite_triggers())?;
        self.live = Some(sink);
        Ok(None)
    }

    /// Inside an SQLite write transaction, just before commit: the changes
    /// it made (deduplicated), and the TEMP table emptied for the next one.
    pub(crate) fn take_sqlite_changes(tx: &rusqlite::Transaction) -> Result<Vec<ChangeNote>> {
        let mut stmt = tx.prepare_cached(
            "SELECT DISTINCT kind, op, patient_id FROM temp.dermis_changes ORDER BY rowid",
        )?;
        let notes = stmt
            .query_map([], |r| {
                Ok(ChangeNote {
                    kind: r.get(0)?,
                    op: r.get(1)?,
                    patient_id: r.get(2)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        if !notes.is_empty() {
            tx.execute("DELETE FROM temp.dermis_changes", [])?;
        }
        Ok(notes)
    }
}

/// Parses one notification's payload (`{"k": kind, "op": op, "p": id}`);
/// anything else (a crafted NOTIFY on the channel) is dropped.
fn parse_payload(payload: &str) -> Option<ChangeNote> {
    if payload.len() > 200 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(payload).ok()?;
    let kind = v.get("k")?.as_str()?;
    let op = v.get("op")?.as_str()?;
    let known_kind = WATCHED.iter().any(|(_, k, _)| *k == kind);
    let known_op = matches!(op, "insert" | "update" | "delete");
    if !known_kind || !known_op {
        return None;
    }
    let patient_id = match v.get("p") {
        None | Some(serde_json::Value::Null) => None,
        Some(p) => Some(p.as_i64()?),
    };
    Some(ChangeNote {
        kind: kind.to_string(),
        op: op.to_string(),
        patient_id,
    })
}

/// The clinic server's listening connection, on a thread of its own; stops
/// (within a second) when dropped.
pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// How often the listener checks the server answers while nothing arrives.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// The longest wait between two reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

impl Listener {
    fn start(
        url: String,
        role: Option<String>,
        password: Arc<std::sync::Mutex<Option<String>>>,
        sink: LiveSink,
    ) -> Listener {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let told = sink.clone();
        let spawned = std::thread::Builder::new()
            .name("dermis-listener".into())
            .spawn(move || listen_loop(&url, role.as_deref(), &password, &sink, &flag));
        if let Err(e) = spawned {
            told(LiveEvent::Unreachable(format!(
                "the change listener could not start: {e}"
            )));
        }
        Listener { stop }
    }
}

/// Sleeps `d` in small steps, returning early (true) when told to stop.
fn sleep_unless_stopped(d: Duration, stop: &AtomicBool) -> bool {
    let until = Instant::now() + d;
    while Instant::now() < until {
        if stop.load(Ordering::SeqCst) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.load(Ordering::SeqCst)
}

/// What the listener last told its sink (each transition is told once).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Told {
    Up,
    Down,
    Refused,
}

fn listen_loop(
    url: &str,
    role: Option<&str>,
    password: &std::sync::Mutex<Option<String>>,
    sink: &LiveSink,
    stop: &AtomicBool,
) {
    let mut backoff = Duration::from_secs(1);
    let mut told: Option<Told> = None;
    let tell = |told: &mut Option<Told>, now: Told, e: &StoreError| {
        if *told != Some(now) {
            sink(match now {
                Told::Refused => LiveEvent::Refused(e.to_string()),
                _ => LiveEvent::Unreachable(e.to_string()),
            });
            *told = Some(now);
        }
    };
    while !stop.load(Ordering::SeqCst) {
        let current = password.lock().map(|p| p.clone()).unwrap_or(None);
        let connected =
            crate::pg::connect_as(url, role, current.as_deref()).and_then(|mut client| {
                client
                    .batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map_err(StoreError::from)?;
                Ok(client)
            });
        match connected {
            Ok(mut client) => {
                if told != Some(Told::Up) {
                    sink(LiveEvent::Connected);
                    told = Some(Told::Up);
                }
                backoff = Duration::from_secs(1);
                let _lost = serve(&mut client, sink, stop);
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                // The connection was lost: the next attempt says why (a
                // server that is gone, or a password changed meanwhile on
                // another PC, which is not an outage), after a short pause.
                if sleep_unless_stopped(Duration::from_millis(200), stop) {
                    return;
                }
                continue;
            }
            // The server answered and refused the password.
            Err(e @ StoreError::Denied(_)) => tell(&mut told, Told::Refused, &e),
            Err(e) => tell(&mut told, Told::Down, &e),
        }
        if sleep_unless_stopped(backoff, stop) {
            return;
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Hands notifications to the sink until the connection fails (or stop).
fn serve(client: &mut postgres::Client, sink: &LiveSink, stop: &AtomicBool) -> Result<()> {
    let mut last_check = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        {
            let mut notes = client.notifications();
            let mut it = notes.timeout_iter(Duration::from_millis(500));
            while let Some(n) = it.next().map_err(StoreError::from)? {
                if n.channel() == CHANNEL {
                    if let Some(note) = parse_payload(n.payload()) {
                        sink(LiveEvent::Change(note));
                    }
                }
            }
        }
        if client.is_closed() {
            return Err(StoreError::Unavailable(
                "the connection to the clinic server was closed".into(),
            ));
        }
        // A server that vanished without closing the connection (a cable
        // pulled) is found by asking it something.
        if last_check.elapsed() >= HEARTBEAT {
            client.simple_query("").map_err(StoreError::from)?;
            last_check = Instant::now();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crafted_notification_is_dropped() {
        assert_eq!(
            parse_payload(r#"{"k":"patient","op":"update","p":7}"#),
            Some(ChangeNote {
                kind: "patient".into(),
                op: "update".into(),
                patient_id: Some(7)
            })
        );
        assert_eq!(
            parse_payload(r#"{"k":"diagnosis: acne","op":"update","p":7}"#),
            None
        );
        assert_eq!(parse_payload(r#"{"k":"patient","op":"drop","p":7}"#), None);
        assert_eq!(
            parse_payload(r#"{"k":"patient","op":"update","p":"x"}"#),
            None
        );
        assert_eq!(parse_payload("not json"), None);
        assert_eq!(parse_payload(&"x".repeat(10_000)), None);
    }
}
