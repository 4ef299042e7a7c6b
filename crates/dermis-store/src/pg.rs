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
use postgres::{Client, GenericClient};
use std::collections::HashMap;

/// The key of the transaction advisory lock every write holds (ASCII "DERMISWR").
pub const WRITER_LOCK: i64 = 0x4445_524D_4953_5752;

/// PostgreSQL migrations, in order: (number, SQL).
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations-pg/0001_schema.sql")),
    (2, include_str!("../migrations-pg/0002_plan_version.sql")),
    (3, include_str!("../migrations-pg/0003_recall_contacts.sql")),
    (4, include_str!("../migrations-pg/0004_patient_merge.sql")),
    (5, include_str!("../migrations-pg/0005_consents.sql")),
    (
        6,
        include_str!("../migrations-pg/0006_photo_files_sign_in_failures.sql"),
    ),
    (7, include_str!("../migrations-pg/0007_scheduling.sql")),
    (8, include_str!("../migrations-pg/0008_key_wraps.sql")),
    (
        9,
        include_str!("../migrations-pg/0009_merged_index_partial.sql"),
    ),
    (10, include_str!("../migrations-pg/0010_change_feed.sql")),
    (11, include_str!("../migrations-pg/0011_dump_keys.sql")),
    (
        12,
        include_str!("../migrations-pg/0012_booking_version.sql"),
    ),
];

/// The PostgreSQL schema version this build creates and understands: the
/// last migration's number.
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

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
    let (_, pin) = crate::tls::split_pin(url)?;
    let mut config = parse(url)?;
    if let Some(u) = user {
        config.user(u);
    }
    if let Some(p) = password {
        config.password(p);
    }
    config.application_name("dermis");
    // A server PC switched off, or a cable pulled, must not hang the app on
    // a connection attempt or on a request whose packets nobody
    // acknowledges: the call fails as `Unavailable` within seconds instead
    // (issue 16; the URL may still set either).
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(5));
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(std::time::Duration::from_secs(10));
    }
    let mut client = crate::tls::connect(&mut config, pin)?;
    // The planner's default (4) prices a random page read as on a spinning
    // disk; a clinic server is a PC with an SSD, and its working set is in
    // memory. At 4 the day grid's bookings joined their patients by scanning
    // every patient (3 ms at 5,000 patients, growing with the clinic); at 1.1
    // (PostgreSQL's own advice for SSDs) it takes each by its key (0.2 ms).
    // Every statement is prepared once per connection (db.rs). After five
    // runs PostgreSQL may switch a prepared statement to a generic plan made
    // without the parameters' values; for the search's term scans (a range
    // of one prefix, a filter on another word) that plan does not know how
    // selective the prefix is. A custom plan per run costs a fraction of a
    // millisecond here and keeps each search on the plan its values need.
    client.batch_execute("SET random_page_cost = 1.1; SET plan_cache_mode = force_custom_plan")?;
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
        tx.batch_execute(sql).map_err(|e| {
            let why = e
                .as_db_error()
                .map_or(e.to_string(), |d| d.message().to_string());
            StoreError::Internal(format!("PostgreSQL migration {n} failed: {why}"))
        })?;
        tx.execute(
            "INSERT INTO dermis_migrations (version, applied_at) VALUES ($1, $2)",
            &[n, &chrono::Utc::now().to_rfc3339()],
        )?;
    }
    tx.commit()?;
    // A clinic set up by an earlier build: its groups get the new tables' grants.
    let db = database_name(client)?;
    let has_groups = client
        .query_opt(
            "SELECT 1 FROM pg_roles WHERE rolname = $1",
            &[&group_role(&db, dermis_core::Role::Admin)],
        )?
        .is_some();
    if found > 0 && has_groups {
        setup_roles(client)?;
    }
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
        // Staff read the accounts by column (see `COLUMN_GRANTS`): no hash.
        ("users", Full, None, None),
        ("settings", Full, Read, Read),
        ("audit_log", Append, Append, Append),
        ("patients", Full, Write, Write),
        ("patient_search_terms", Full, Full, Full),
        ("appointments", Full, Write, Write),
        ("rooms", Full, Read, Read),
        // The desk reads a plan's schedule, not its reasoning (`COLUMN_GRANTS`).
        ("plans", Full, Write, None),
        ("planned_sessions", Full, Write, Change),
        // The desk moves sessions, which re-plans the maintenance recalls
        // (dates only): found by the role matrix run on the server.
        ("recalls", Full, Full, Full),
        // The desk logs its calls (insert); a log entry is never changed.
        ("recall_contacts", Full, Append, Append),
        ("documents", Full, Write, Append),
        ("screenings", Full, Write, None),
        ("assessments", Full, Write, None),
        ("session_records", Full, Write, None),
        ("healing_reports", Full, Write, None),
        ("adverse_events", Full, Write, None),
        ("photos", Full, Full, None),
        // Consent forms: the receptionist reads the templates (she hands the
        // screen to the patient) and stores a patient's signature; what she
        // may read of a signed consent is granted column by column
        // (`COLUMN_GRANTS`).
        ("consent_templates", Full, Write, Read),
        ("consents", Full, Write, None),
        // The pictures' bytes (0006): whoever may delete a photo row may
        // delete its file; the desk prints nothing with a photo in it (the
        // progress summary is a clinical read).
        ("photo_files", Full, Full, None),
        // Wrong passwords the server refused (0006), written only through the
        // gate's functions; the admin reads them (and pg_dump, run with an
        // admin's login, must).
        ("sign_in_failures", Read, None, None),
        // Wrapped audit keys: staff only through the functions of migration
        // 0008; the admin reads the table too (pg_dump of a backup), which
        // opens nothing without each person's password.
        ("key_wraps", Read, None, None),
        // The backup key pair (0011): the admins make it, re-wrap it and
        // read their own wrap to restore; no other staff role sees it.
        ("dump_keys", Full, None, None),
    ]
};

/// Column-level grants, for tables a group may read only in part:
/// (table, group, privilege and columns).
const COLUMN_GRANTS: &[(&str, dermis_core::Role, &str)] =
    {
        use dermis_core::Role::*;
        &[
        // Everything of an account but its password hash (names on records,
        // roles for sign-in). One's own hash comes through
        // `dermis_password_hash()` (migration 0006).
        (
            "users",
            Practitioner,
            "SELECT (id, username, display_name, roles, active, created_at)",
        ),
        (
            "users",
            Receptionist,
            "SELECT (id, username, display_name, roles, active, created_at)",
        ),
        // The desk sees a plan's schedule (status, start, counts) to book,
        // move and print; a move bumps its version. Not its rationale,
        // warnings or override reason (clinical reasoning).
        (
            "plans",
            Receptionist,
            "SELECT (id, patient_id, assessment_id, status, start, session_count, interval_weeks, \
             shortest_weeks, maintenance_months, created_by, created_at, updated_at, version)",
        ),
        ("plans", Receptionist, "UPDATE (updated_at, version)"),
        // The aftercare sheet's PIH caution depends on the skin type: the desk
        // may read that one number of an assessment (Tx::assessment_fitzpatrick).
        ("assessments", Receptionist, "SELECT (id, patient_id, fitzpatrick)"),
        // The desk starts a signing (INSERT) and sees that a consent exists
        // and where it stands, never its text, signature, photo answers or PDF.
        ("consents", Receptionist, "INSERT"),
        (
            "consents",
            Receptionist,
            "SELECT (id, patient_id, template_key, template_version, title, signed_at, \
             recorded_by, confirmed_by, confirmed_at, revoked_at)",
        ),
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
    // The sign-in gate (see `SignInGate`): it may connect and run the two
    // lockout functions, nothing else. It cannot log in until a PC holding
    // the clinic's key sets its password (`set_gate`).
    let gate = gate_role(&db);
    if tx
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&gate])?
        .is_none()
    {
        sql.push_str(&format!("CREATE ROLE {} NOLOGIN;\n", ident(&gate)));
    }
    sql.push_str(&format!(
        "GRANT CONNECT ON DATABASE {d} TO {g};\n\
         GRANT USAGE ON SCHEMA public TO {g};\n\
         GRANT EXECUTE ON FUNCTION dermis_sign_in_failed(TEXT, TEXT) TO {g};\n\
         GRANT EXECUTE ON FUNCTION dermis_sign_in_failures(TEXT, TEXT) TO {g};\n",
        g = ident(&gate),
        d = ident(&db)
    ));
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
    for (table, role, _) in COLUMN_GRANTS {
        // Column privileges are not removed by REVOKE ... ON ALL TABLES:
        // revoke this table's first, so a rerun leaves exactly these.
        let g = ident(&group_role(&db, *role));
        sql.push_str(&format!("REVOKE ALL ON {} FROM {g};\n", ident(table)));
    }
    for (table, role, what) in COLUMN_GRANTS {
        sql.push_str(&format!(
            "GRANT {what} ON {} TO {};\n",
            ident(table),
            ident(&group_role(&db, *role))
        ));
    }
    for role in dermis_core::Role::ALL {
        sql.push_str(&format!(
            "GRANT EXECUTE ON FUNCTION dermis_password_hash(BIGINT) TO {g};\n\
             GRANT EXECUTE ON FUNCTION dermis_my_key_wrap() TO {g};\n\
             GRANT EXECUTE ON FUNCTION dermis_set_my_key_wrap(TEXT, TEXT) TO {g};\n",
            g = ident(&group_role(&db, role))
        ));
    }
    // Another account's wrap: only an admin writes it (creating the account,
    // resetting its password) or removes it (deactivating it).
    sql.push_str(&format!(
        "GRANT EXECUTE ON FUNCTION dermis_set_key_wrap(TEXT, TEXT, TEXT) TO {g};\n\
         GRANT EXECUTE ON FUNCTION dermis_drop_key_wrap(TEXT) TO {g};\n",
        g = ident(&group_role(&db, dermis_core::Role::Admin))
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

/// The clinic's sign-in gate role: `#` is in no Dermis user name, so it
/// can never be a user's login role.
pub fn gate_role(db: &str) -> String {
    format!("{db}#gate")
}

/// Lets the sign-in gate log in with `password` (derived from the clinic's
/// audit key by dermis-clinic, so only a PC that holds the key reaches it).
pub(crate) fn set_gate(client: &mut impl GenericClient, password: &str) -> Result<()> {
    let db = database_name(client)?;
    client.batch_execute(&format!(
        "ALTER ROLE {} LOGIN NOCREATEROLE NOCREATEDB PASSWORD {}",
        ident(&gate_role(&db)),
        verifier(password)
    ))?;
    Ok(())
}

/// A connection as the clinic's sign-in gate: it counts and records the
/// wrong passwords PostgreSQL refused, for the lockout every PC enforces
/// (see migration 0006). Its role can do nothing else.
pub struct SignInGate {
    client: Client,
}

impl SignInGate {
    /// Connects to the clinic server at `url` as its gate with `password`.
    pub fn open(url: &str, password: &str) -> Result<SignInGate> {
        let role = gate_role(&database_of(url)?);
        Ok(SignInGate {
            client: connect_as(url, Some(&role), Some(password))?,
        })
    }

    /// Wrong passwords recorded for `username` at or after `since` (RFC 3339).
    pub fn failures(&mut self, username: &str, since: &str) -> Result<i64> {
        Ok(self
            .client
            .query_one(
                "SELECT dermis_sign_in_failures($1, $2)",
                &[&username, &since],
            )?
            .get(0))
    }

    /// Records a wrong password for `username` at `at` (RFC 3339).
    pub fn failed(&mut self, username: &str, at: &str) -> Result<()> {
        self.client
            .execute("SELECT dermis_sign_in_failed($1, $2)", &[&username, &at])?;
        Ok(())
    }
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
        "{} PASSWORD {}",
        login_attributes(roles, active),
        verifier(password)
    );
    let mut sql = if exists {
        format!("ALTER ROLE {} {attrs};\n", ident(&login))
    } else {
        format!("CREATE ROLE {} {attrs};\n", ident(&login))
    };
    sql.push_str(&membership_sql(&db, &login, roles));
    client.batch_execute(&sql)?;
    Ok(login)
}

/// LOGIN while active; an admin also gets CREATEROLE (to manage the other
/// accounts' login roles) and CREATEDB (a backup is verified by restoring it
/// into a scratch database; CREATEROLE already lets an admin's role do more
/// than that on the cluster, so this adds nothing a cluster owner must fear).
fn login_attributes(roles: &[dermis_core::Role], active: bool) -> String {
    let admin = roles.contains(&dermis_core::Role::Admin);
    format!(
        "{} {}",
        if active { "LOGIN" } else { "NOLOGIN" },
        if admin {
            "CREATEROLE CREATEDB"
        } else {
            "NOCREATEROLE NOCREATEDB"
        }
    )
}

/// The SQL that makes `login` a member of exactly the groups of `roles`.
fn membership_sql(db: &str, login: &str, roles: &[dermis_core::Role]) -> String {
    let mut sql = String::new();
    for role in dermis_core::Role::ALL {
        let verb = if roles.contains(&role) {
            "GRANT {g} TO {l}"
        } else {
            "REVOKE {g} FROM {l}"
        };
        sql.push_str(
            &verb
                .replace("{g}", &ident(&group_role(db, role)))
                .replace("{l}", &ident(login)),
        );
        sql.push_str(";\n");
    }
    sql
}

/// A login role brought in line with an account (after a restore).
pub(crate) struct SyncedLogin {
    pub role: String,
    /// False when no such role existed (nothing was done).
    pub existed: bool,
}

/// Makes the existing login role of `username` match `roles` and `active`
/// (groups, LOGIN), its password untouched; nothing when it does not exist.
pub(crate) fn sync_login(
    client: &mut impl GenericClient,
    username: &str,
    roles: &[dermis_core::Role],
    active: bool,
) -> Result<SyncedLogin> {
    let db = database_name(client)?;
    let login = login_role(&db, username);
    let existed = client
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&login])?
        .is_some();
    if existed {
        let mut sql = format!(
            "ALTER ROLE {} {};\n",
            ident(&login),
            login_attributes(roles, active)
        );
        sql.push_str(&membership_sql(&db, &login, roles));
        client.batch_execute(&sql)?;
    }
    Ok(SyncedLogin {
        role: login,
        existed,
    })
}

/// Takes LOGIN away from every login role in this clinic's groups that is
/// not in `keep`; returns their names.
pub(crate) fn disable_other_logins(
    client: &mut impl GenericClient,
    keep: &[String],
) -> Result<Vec<String>> {
    let db = database_name(client)?;
    let groups: Vec<String> = dermis_core::Role::ALL
        .iter()
        .map(|r| group_role(&db, *r))
        .collect();
    let rows = client.query(
        "SELECT DISTINCT r.rolname::text FROM pg_roles r
           JOIN pg_auth_members m ON m.member = r.oid
           JOIN pg_roles g ON g.oid = m.roleid
          WHERE g.rolname = ANY($1) AND r.rolcanlogin AND NOT (r.rolname = ANY($2))
          ORDER BY 1",
        &[&groups, &keep],
    )?;
    let mut out = Vec::new();
    for r in rows {
        let name: String = r.get(0);
        client.batch_execute(&format!("ALTER ROLE {} NOLOGIN", ident(&name)))?;
        out.push(name);
    }
    Ok(out)
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

/// The server's host (and port when not 5432) in `url`, as the banner names it.
pub fn host_of_url(url: &str) -> String {
    let Ok(config) = parse(url) else {
        return "(unknown)".into();
    };
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    match config.get_ports().first().copied().unwrap_or(5432) {
        5432 => host,
        port => format!("{host}:{port}"),
    }
}

pub(crate) fn parse_url(url: &str) -> Result<postgres::Config> {
    parse(url)
}

/// `url` as PostgreSQL's own parser reads it (without Dermis's certificate
/// pin, see `tls`).
fn parse(url: &str) -> Result<postgres::Config> {
    let (url, _) = crate::tls::split_pin(url)?;
    url.parse().map_err(|e| {
        StoreError::Internal(format!(
            "the clinic server address {} is not a PostgreSQL URL ({e})",
            redact(&url)
        ))
    })
}
