//! A clock a test can move: the clinic's "today" is what the test says; the
//! time of day runs on from 10:00 UTC of that day with the real clock, so
//! "now" still moves forward between two requests.

use chrono::{DateTime, Local, NaiveDate, Utc};
use dermis_clinic::Clock;
use std::sync::Mutex;
use std::time::Instant;

pub struct TestClock {
    state: Mutex<(NaiveDate, Instant)>,
}

impl TestClock {
    pub fn on(today: NaiveDate) -> Self {
        TestClock {
            state: Mutex::new((today, Instant::now())),
        }
    }

    /// `{ "today": "YYYY-MM-DD" }`.
    pub fn set_from_json(&self, body: &[u8]) -> Result<(), String> {
        #[derive(serde::Deserialize)]
        struct Set {
            today: String,
        }
        let set: Set = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let day = NaiveDate::parse_from_str(&set.today, "%Y-%m-%d").map_err(|e| e.to_string())?;
        let mut s = self.state.lock().map_err(|_| "poisoned".to_string())?;
        *s = (day, Instant::now());
        Ok(())
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        let (day, since) = self
            .state
            .lock()
            .map(|s| *s)
            .unwrap_or((Local::now().date_naive(), Instant::now()));
        let start = day.and_hms_opt(10, 0, 0).unwrap_or_default().and_utc();
        start + chrono::Duration::from_std(since.elapsed()).unwrap_or_default()
    }
    fn today(&self) -> NaiveDate {
        self.state
            .lock()
            .map(|s| s.0)
            .unwrap_or_else(|_| Local::now().date_naive())
    }
}
