//! Numbered, forward-only schema migrations (tracked in `PRAGMA user_version`).

use crate::{Result, StoreError};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../migrations/0001_initial.sql")),
    M::up(include_str!("../migrations/0002_clinical.sql")),
    M::up(include_str!("../migrations/0003_sessions.sql")),
    M::up(include_str!("../migrations/0004_audit_keyed.sql")),
    M::up(include_str!("../migrations/0005_plan_version.sql")),
    M::up(include_str!("../migrations/0006_recall_contacts.sql")),
    M::up(include_str!("../migrations/0007_patient_merge.sql")),
    M::up(include_str!("../migrations/0008_consents.sql")),
    M::up(include_str!("../migrations/0009_scheduling.sql")),
    M::up(include_str!("../migrations/0010_merged_index_partial.sql")),
    M::up(include_str!("../migrations/0011_photo_files.sql")),
    M::up(include_str!("../migrations/0012_booking_version.sql")),
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    migrations().to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
