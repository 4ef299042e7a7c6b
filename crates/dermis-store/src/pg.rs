//! The clinic server: a Dermis database on PostgreSQL.
//!
//! What differs from the SQLite file, and why:
//!
//! - **Schema** comes from `migrations-pg/`, a numbered, forward-only set of
//!   its own (tracked in `dermis_migrations`), that mirrors the SQLite schema
//!   table for table (see `0001_schema.sql`). The queries themselves are
//!   shared (see `db.rs`).
//! - **Writers queue.** SQLite takes its write lock when a write transaction
//!   begins (`BEGIN IMMEDIATE`), so a read-check-write such as "is this still
//!   version 3? then save version 4", "next patient number" or "append after
//!   the audit head" can never interleave with another writer. On PostgreSQL
//!   every write transaction takes the same guarantee from one transaction
//!   advisory lock ([`WRITER_LOCK`]), released at commit or rollback. A clinic
//!   has a handful of PCs, each writing a few rows a minute: queueing costs
//!   nothing measurable, and every optimistic version check in the store
//!   stays exactly as correct as on SQLite. Reads never wait for it.
//! - **Reads** run at REPEATABLE READ, so a multi-query read sees one snapshot.

use crate::db::Db;
use crate::{Result, StoreError};
use postgres::{Client, GenericClient, NoTls};
use std::collections::HashMap;

/// The key of the transaction advisory lock every write holds (ASCII "DERMISWR").
pub const WRITER_LOCK: i64 = 0x4445_524D_4953_5752;

/// PostgreSQL migrations, in order: (number, SQL).
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations-pg/0001_schema.sql")),
    (2, include_str!("../migrations-pg/0002_plan_version.sql")),
    // Numbered 0005 (PostgreSQL) / 0007 (SQLite) by the lead's plan; 0003,
    // 0004 and SQLite 0006 land from parallel branches, and the position here
    // is renumbered at merge.
    (3, include_str!("../migrations-pg/0005_scheduling.sql")),
];

/// The PostgreSQL schema version this build creates and understands.
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open connection to the clinic server, with its prepared statements.
pub(crate) struct PgConn {
    pub client: Client,
    pub stmts: HashMap<String, postgres::Statement>,
}

/// True when `target` names a PostgreSQL database rather than a file.
pub fn is_url(target: &str) -> bool {
    target.starts_with("postgresql://") || target.starts_with("postgres://")
}

/// Connects to `url` (libpq's URL form; `password`, when given, replaces any
/// in the URL, which normally carries none).
pub(crate) fn connect(url: &str, password: Option<&str>) -> Result<Client> {
    connect_as(url, None, password)
}

/// Connects to `url` as the PostgreSQL role `user` when given (instead of the URL's user).
pub(crate) fn connect_as(url: &str, user: Option<&str>, password: Option<&str>) -> Result<Client> {
    let mut config = parse(url)?;
    if let Some(u) = user {
        config.user(u);
    }
    if let Some(p) = password {
        config.password(p);
    }
    config.application_name("dermis");
    let mut client = config.connect(NoTls)?;
    // The planner's default (4) prices a random page read as on a spinning
    // disk; a clinic server is a PC with an SSD, and its working set is in
    // memory. At 4 the day grid's bookings joined their patients by scanning
    // every patient (3 ms at 5,000 patients, growing with the clinic); at 1.1
    // (PostgreSQL's own advice for SSDs) it takes each by its key (0.2 ms).
    client.batch_execute("SET random_page_cost = 1.1")?;
    Ok(client)
}

/// `url` with any password replaced, fit for a message.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Brings the schema to [`PG_SCHEMA_VERSION`]; refuses a newer one.
///
/// A database already at the latest version is only read: a user's own login
/// role (no CREATE right on the schema) opens it without touching the schema.
pub(crate) fn migrate(client: &mut Client) -> Result<()> {
    let current: Option<i64> = client
        .query_one(
            "SELECT CASE WHEN to_regclass('dermis_migrations') IS NULL THEN NULL
                    ELSE (SELECT coalesce(max(version), 0) FROM dermis_migrations) END",
            &[],
        )
        .map(|r| r.get(0))
        .ok()
        .flatten();
    match current {
        Some(v) if v == PG_SCHEMA_VERSION => return Ok(()),
        Some(found) if found > PG_SCHEMA_VERSION => {
            return Err(StoreError::TooNew {
                found,
                known: PG_SCHEMA_VERSION,
            })
        }
        _ => {}
    }
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS dermis_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let found: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM dermis_migrations",
            &[],
        )?
        .get(0);
    if found > PG_SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            known: PG_SCHEMA_VERSION,
        });
    }
    for (n, sql) in MIGRATIONS.iter().filter(|(n, _)| *n > found) {
        tx.batch_execute(sql)
            .map_err(|e| StoreError::Internal(format!("PostgreSQL migration {n} failed: {e}")))?;
        tx.execute(
            "INSERT INTO dermis_migrations (version, applied_at) VALUES ($1, $2)",
            &[n, &chrono::Utc::now().to_rfc3339()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Takes the writer lock for the rest of the transaction (see the module doc).
pub(crate) fn take_writer_lock(db: &Db) -> Result<()> {
    db.query_row(
        "SELECT pg_advisory_xact_lock(?1)::text",
        [WRITER_LOCK],
        |_| Ok(()),
    )
}

/// Creates an empty database named after this process and a counter on the
/// cluster at `admin_url` (a superuser's); returns its URL (see `Store::open_in_memory`).
pub(crate) fn fresh_test_database(admin_url: &str) -> Result<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "dermis_test_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut client = connect(admin_url, None)?;
    client.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    let cut = base.rfind('/').map_or(base.len(), |i| i);
    Ok(format!("{}/{name}", &base[..cut]))
}

// ---------------------------------------------------------------------------
// Permissions enforced by the engine.
//
// Each Dermis role is a PostgreSQL group role (NOLOGIN) per clinic database,
// each Dermis user a LOGIN role (SCRAM-SHA-256) in the groups of their roles.
// Roles are cluster-wide, so both are prefixed with the database's name:
// `<db>_admin`, `<db>_practitioner`, `<db>_receptionist`, and `<db>_<user>`.
// The grants below mirror dermis-clinic's permissions.rs table by table:
// a receptionist's own credentials, used from psql, cannot read screenings,
// assessments, session records, healing reports, adverse events or photos;
// nobody can UPDATE, DELETE or TRUNCATE the audit log (INSERT and SELECT only:
// appending needs the head). DELETE is the admin's (erasure) except where an
// everyday use-case deletes: search terms (re-indexing a patient), recalls
// (re-planning), photos (a practitioner deletes one).

/// What a group may do on one table.
#[derive(Clone, Copy)]
enum Access {
    None,
    Read,
    /// SELECT and INSERT (the audit log; printed documents at the desk).
    Append,
    /// SELECT and UPDATE.
    Change,
    /// SELECT, INSERT and UPDATE.
    Write,
    /// SELECT, INSERT, UPDATE and DELETE.
    Full,
}

impl Access {
    fn privileges(self) -> Option<&'static str> {
        match self {
            Access::None => None,
            Access::Read => Some("SELECT"),
            Access::Append => Some("SELECT, INSERT"),
            Access::Change => Some("SELECT, UPDATE"),
            Access::Write => Some("SELECT, INSERT, UPDATE"),
            Access::Full => Some("SELECT, INSERT, UPDATE, DELETE"),
        }
    }
}

/// (table, admin, practitioner, receptionist)
const GRANTS: &[(&str, Access, Access, Access)] = {
    use Access::*;
    &[
        ("app_meta", Read, Read, Read),
        ("dermis_migrations", Read, Read, Read),
        ("clinic", Full, Read, Read),
        ("users", Full, Read, Read),
        ("settings", Full, Read, Read),
        ("audit_log", Append, Append, Append),
        ("patients", Full, Write, Write),
        ("patient_search_terms", Full, Full, Full),
        ("appointments", Full, Write, Write),
        ("rooms", Full, Read, Read),
        ("plans", Full, Write, Change),
        ("planned_sessions", Full, Write, Change),
        ("recalls", Full, Full, Read),
        ("documents", Full, Write, Append),
        ("screenings", Full, Write, None),
        ("assessments", Full, Write, None),
        ("session_records", Full, Write, None),
        ("healing_reports", Full, Write, None),
        ("adverse_events", Full, Write, None),
        ("photos", Full, Full, None),
    ]
};

/// A double-quoted SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The name of the current database (the prefix of its roles).
fn database_name(client: &mut impl GenericClient) -> Result<String> {
    Ok(client
        .query_one("SELECT current_database()::text", &[])?
        .get(0))
}

/// The group role of Dermis role `role` in database `db`.
pub fn group_role(db: &str, role: dermis_core::Role) -> String {
    format!("{db}_{}", role.as_str())
}

/// The login role of Dermis user `username` in database `db`
/// (lower-cased: Dermis user names ignore case, PostgreSQL's do not).
pub fn login_role(db: &str, username: &str) -> String {
    format!("{db}_{}", username.to_lowercase())
}

/// Creates (or brings up to date) the three group roles and their grants.
/// Run by the setup user (a superuser or a CREATEROLE owner of the database).
pub(crate) fn setup_roles(client: &mut Client) -> Result<()> {
    let db = database_name(client)?;
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
    let mut sql = String::new();
    for role in dermis_core::Role::ALL {
        let g = group_role(&db, role);
        let exists = tx
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&g])?
            .is_some();
        if !exists {
            sql.push_str(&format!("CREATE ROLE {} NOLOGIN;\n", ident(&g)));
        }
        sql.push_str(&format!(
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {g};\n\
             GRANT CONNECT ON DATABASE {d} TO {g};\n\
             GRANT USAGE ON SCHEMA public TO {g};\n\
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {g};\n",
            g = ident(&g),
            d = ident(&db)
        ));
    }
    // Nobody else reaches this clinic's database or its tables.
    sql.push_str(&format!(
        "REVOKE ALL ON DATABASE {d} FROM PUBLIC;\n\
         REVOKE ALL ON SCHEMA public FROM PUBLIC;\n\
         REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;\n",
        d = ident(&db)
    ));
    for (table, admin, practitioner, receptionist) in GRANTS {
        for (role, access) in [
            (dermis_core::Role::Admin, admin),
            (dermis_core::Role::Practitioner, practitioner),
            (dermis_core::Role::Receptionist, receptionist),
        ] {
            if let Some(p) = access.privileges() {
                sql.push_str(&format!(
                    "GRANT {p} ON {} TO {};\n",
                    ident(table),
                    ident(&group_role(&db, role))
                ));
            }
        }
    }
    // The desk prints aftercare sheets, whose PIH caution depends on the skin
    // type: it may read that one number of an assessment, nothing else of it
    // (Tx::assessment_fitzpatrick).
    sql.push_str(&format!(
        "GRANT SELECT (id, patient_id, fitzpatrick) ON assessments TO {};\n",
        ident(&group_role(&db, dermis_core::Role::Receptionist))
    ));
    // Everyone changes their own password (Clinic::change_password): a
    // practitioner or receptionist may UPDATE the password hash of their own
    // account row and of no other (row-level security matches the row's user
    // name to the connected login role). Reading the accounts stays open to
    // every group (sign-in, names on records); the admin keeps full rights.
    // The table's owner (the setup user) is not subject to the policies.
    let own_row = "current_user = (current_database() || '_' || lower(username)) COLLATE \"C\"";
    let staff = format!(
        "{}, {}",
        ident(&group_role(&db, dermis_core::Role::Practitioner)),
        ident(&group_role(&db, dermis_core::Role::Receptionist))
    );
    sql.push_str(&format!(
        "GRANT UPDATE (password_hash) ON users TO {staff};\n\
         ALTER TABLE users ENABLE ROW LEVEL SECURITY;\n\
         DROP POLICY IF EXISTS dermis_read ON users;\n\
         DROP POLICY IF EXISTS dermis_admin ON users;\n\
         DROP POLICY IF EXISTS dermis_own_password ON users;\n\
         CREATE POLICY dermis_read ON users FOR SELECT USING (true);\n\
         CREATE POLICY dermis_admin ON users FOR ALL TO {admin} USING (true) WITH CHECK (true);\n\
         CREATE POLICY dermis_own_password ON users FOR UPDATE TO {staff} \
           USING ({own_row}) WITH CHECK ({own_row});\n",
        admin = ident(&group_role(&db, dermis_core::Role::Admin)),
    ));
    tx.batch_execute(&sql)?;
    tx.commit()?;
    Ok(())
}

/// Creates or updates the login role of `username` with `password` (sent as
/// a SCRAM-SHA-256 verifier, never in clear) and makes it a member of exactly
/// the groups of `roles`. An admin also gets CREATEROLE, to manage the others.
/// Runs on `client` as it is: inside a store transaction the role changes
/// with the Dermis account, or not at all (role DDL is transactional).
pub(crate) fn set_login(
    client: &mut impl GenericClient,
    username: &str,
    password: &str,
    roles: &[dermis_core::Role],
    active: bool,
) -> Result<String> {
    let db = database_name(client)?;
    let login = login_role(&db, username);
    let exists = client
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&login])?
        .is_some();
    let attrs = format!(
        "{} {} PASSWORD {}",
        if active { "LOGIN" } else { "NOLOGIN" },
        if roles.contains(&dermis_core::Role::Admin) {
            "CREATEROLE"
        } else {
            "NOCREATEROLE"
        },
        verifier(password)
    );
    let mut sql = if exists {
        format!("ALTER ROLE {} {attrs};\n", ident(&login))
    } else {
        format!("CREATE ROLE {} {attrs};\n", ident(&login))
    };
    for role in dermis_core::Role::ALL {
        let verb = if roles.contains(&role) {
            "GRANT {g} TO {l}"
        } else {
            "REVOKE {g} FROM {l}"
        };
        sql.push_str(
            &verb
                .replace("{g}", &ident(&group_role(&db, role)))
                .replace("{l}", &ident(&login)),
        );
        sql.push_str(";\n");
    }
    client.batch_execute(&sql)?;
    Ok(login)
}

/// A SCRAM-SHA-256 verifier of `password` as an SQL string literal.
fn verifier(password: &str) -> String {
    let v = postgres_protocol::password::scram_sha_256(password.as_bytes());
    format!("'{}'", v.replace('\'', "''"))
}

/// Changes only the password of `username`'s login role. Any role may change
/// its own (no CREATEROLE needed): this is how a receptionist's own password
/// change reaches the server.
pub(crate) fn set_password(
    client: &mut impl GenericClient,
    username: &str,
    password: &str,
) -> Result<()> {
    let db = database_name(client)?;
    let login = login_role(&db, username);
    client.batch_execute(&format!(
        "ALTER ROLE {} PASSWORD {}",
        ident(&login),
        verifier(password)
    ))?;
    Ok(())
}

/// Takes away `username`'s right to log in (a deactivated account), if the
/// login role exists. Sessions already open are not cut: the next connection is refused.
pub(crate) fn disable_login(client: &mut impl GenericClient, username: &str) -> Result<()> {
    let db = database_name(client)?;
    let login = login_role(&db, username);
    let exists = client
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&login])?
        .is_some();
    if exists {
        client.batch_execute(&format!("ALTER ROLE {} NOLOGIN", ident(&login)))?;
    }
    Ok(())
}

/// The database named by `url` (needed before connecting: it prefixes the login roles).
pub fn database_of(url: &str) -> Result<String> {
    let config = parse(url)?;
    config.get_dbname().map(str::to_string).ok_or_else(|| {
        StoreError::Internal(format!(
            "the clinic server address {} names no database (postgresql://host[:port]/DATABASE)",
            redact(url)
        ))
    })
}

/// A name for the clinic server at `url` that is safe as a folder name:
/// `<host>_<port>_<database>` (the user in the URL plays no part: every PC
/// and every user of one clinic database get the same name).
pub fn server_id(url: &str) -> Result<String> {
    let config = parse(url)?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = database_of(url)?;
    let raw = format!("{host}_{port}_{db}");
    Ok(raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect())
}

fn parse(url: &str) -> Result<postgres::Config> {
    url.parse().map_err(|e| {
        StoreError::Internal(format!(
            "the clinic server address {} is not a PostgreSQL URL ({e})",
            redact(url)
        ))
    })
}
