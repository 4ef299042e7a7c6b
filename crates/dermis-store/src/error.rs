use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the database file {path} could not be used: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The clinic server refused or failed a request (message from PostgreSQL).
    #[error("clinic server error: {0}")]
    Postgres(String),
    #[error("the database schema could not be upgraded: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("the database is from a newer version of Dermis (schema {found}, this build knows up to {known}); update Dermis")]
    TooNew { found: i64, known: i64 },
    /// A backup that failed its checks, or a file that cannot be restored.
    #[error("{0}")]
    BadBackup(String),
    /// The clinic server refused the request for the connected account: a
    /// permission the engine enforces, or a user name or password it does not
    /// accept (already a sentence for the user).
    #[error("{0}")]
    Denied(String),
    /// An encrypted clinic's file did not open with the key given (or a
    /// plaintext file was opened as an encrypted one).
    #[error("the clinic's database does not open with this key")]
    WrongKey,
    /// The clinic server does not answer (stopped, restarting, unreachable
    /// on the network): nothing was changed; already a sentence for the user.
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    /// True when SQLite reports the database busy or locked by another process.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

impl StoreError {
    /// True when the clinic server did not answer (see [`StoreError::Unavailable`]).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

/// A failure of the connection itself rather than of the request: closed,
/// a socket error, or the server shutting down or still starting
/// (SQLSTATE class 08, and 57P01-57P03).
fn is_connection_failure(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    if e.is_closed() {
        return true;
    }
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        return code.code().starts_with("08")
            || *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::CRASH_SHUTDOWN
            || *code == SqlState::CANNOT_CONNECT_NOW;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

impl From<postgres::Error> for StoreError {
    /// Keeps the server's own message and SQLSTATE (`postgres::Error` shows
    /// only "db error"); a version check that lost a race is a conflict.
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        if is_connection_failure(&e) {
            return StoreError::Unavailable(
                "The clinic server is not answering; nothing was changed. Try again when it is back."
                    .into(),
            );
        }
        match e.as_db_error() {
            Some(db) if *db.code() == SqlState::INSUFFICIENT_PRIVILEGE => StoreError::Denied(format!(
                "The clinic server refused this for your account ({}).",
                db.message()
            )),
            Some(db)
                if *db.code() == SqlState::INVALID_PASSWORD
                    || *db.code() == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
            {
                StoreError::Denied(
                    "The clinic server refused the user name or password (or the account is deactivated).".into(),
                )
            }
            Some(db) => StoreError::Postgres(format!(
                "{} ({}){}",
                db.message(),
                db.code().code(),
                db.detail().map(|d| format!(": {d}")).unwrap_or_default()
            )),
            None => StoreError::Postgres(e.to_string()),
        }
    }
}
