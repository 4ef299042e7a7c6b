//! The one clock a request reads "now" and the clinic's "today" from; tests set it.

use chrono::{DateTime, Local, NaiveDate, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The clinic's calendar date (the PC's local time zone).
    fn today(&self) -> NaiveDate;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
    }
}

/// A clock stopped at one instant, for tests.
pub struct FixedClock {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

impl FixedClock {
    /// Noon UTC on `today`.
    pub fn on(today: NaiveDate) -> Self {
        FixedClock {
            now: today.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(),
            today,
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.now
    }
    fn today(&self) -> NaiveDate {
        self.today
    }
}
