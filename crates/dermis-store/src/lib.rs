//! Dermis persistence. The only crate that contains SQL.
//!
//! A [`Store`] is one open Dermis database, on one of two backends:
//!
//! - an SQLite file (the embedded default for a single PC) with the pragmas
//!   of ARCHITECTURE.md, opened by [`Store::open`];
//! - a PostgreSQL database (the clinic server, shared by every PC), opened by
//!   [`Store::open_pg`] (see `pg.rs` for what differs and why).
//!
//! Either way the schema is migrated to the latest version, and every read
//! and write goes through [`Store::read`] or [`Store::write`], which hand a
//! [`Tx`] to a closure inside one transaction: a multi-step change is all or
//! nothing. The repositories on [`Tx`] are written once over `db.rs`'s
//! surface and do not know which engine they run on.

mod audit;
mod backup;
mod cipher;
mod clinical;
mod columns;
mod consents;
mod copy;
mod db;
mod desk;
mod erase;
mod error;
mod files;
mod live;
mod merge;
mod migrations;
mod netfs;
mod patients;
mod pg;
mod recalls;
mod schedule;
mod seal;
mod server_backup;
mod sessions;
pub mod tls;
mod users;

pub use audit::{
    audit_head_of_file, audit_head_of_file_keyed, chain_head, verify_chain, verify_chain_of_file,
    AuditEntry, AuditRow, ChainCheck, GENESIS_HASH,
};
pub use backup::{
    backup_file, backup_file_keyed, backups_dir, finish_pending_restore, inspect as inspect_backup,
    last_backup_phases, photos_dir_of_backup, prune_auto_backups, BackupInfo, BackupPhases,
    RestoreFacts,
};
pub use cipher::{
    cipher_version, export_encrypted, file_looks_plaintext, inspect_encrypted, CipherKey,
    ExportReport,
};
pub use clinical::{AftercareText, PlanRules};
pub use consents::{Confirmation, NewConsent};
pub use copy::{CopyReport, COPIED_TABLES};
pub use desk::{AuditQuery, ClinicDetailsRow, DocumentRow};
pub use erase::{Erased, OrphanPhoto};
pub use error::StoreError;
pub use files::{
    clean_leftovers, create_private_dir, create_private_file, is_content_address, make_private,
    photo_path, photos_dir, put_atomic, sync_dir, temp_name, thumb_path,
};
pub use live::{ChangeNote, Listener, LiveEvent, LiveSink, CHANNEL as LIVE_CHANNEL};
pub use merge::Merged;
pub use migrations::SCHEMA_VERSION;
pub use pg::{
    database_of as server_database, gate_role, group_role, host_of_url as server_host,
    is_url as is_server_url, login_role, redact as redact_url, server_id, SignInGate,
    PG_SCHEMA_VERSION, WRITER_LOCK,
};
pub use recalls::RecallRow;
pub use schedule::Placement;
pub use seal::{
    check_structure as check_sealed, is_sealed, new_key_pair as new_dump_key_pair,
    public_of as dump_public_of, SealedShape,
};
pub use server_backup::{inspect_server_backup, SealKeys, ServerBackupInfo, ServerRestore};
pub use sessions::NewPhoto;
pub use users::{ClinicRow, UserRow};

use db::Db;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// Page-cache budget of one connection, in KiB (`PRAGMA cache_size=-N`).
pub const CACHE_KIB: i64 = 16_000;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One open Dermis database.
pub struct Store {
    /// The SQLite connection. On the clinic server this is an empty private
    /// database in memory that nothing reads (the SQLite-only operations in
    /// backup.rs refuse a server store first): the backend is `pg`.
    conn: Connection,
    /// The clinic server's connection, when this store is on PostgreSQL.
    pg: Option<RefCell<pg::PgConn>>,
    /// The clinic server's URL as given (it carries no password in normal use).
    url: Option<String>,
    path: Option<PathBuf>,
    /// The clinic's audit key (see `audit`); held by dermis-clinic, outside the file.
    audit_key: Option<Vec<u8>>,
    /// Told the log's (count, head) after every write that changed it, so the
    /// anchor kept outside the database follows the log.
    on_audit: Option<AuditHook>,
    last_head: Option<String>,
    /// On the clinic server: the login role this store connected as (`None`:
    /// the URL's own user) and its password, kept for PostgreSQL's own tools
    /// (`pg_dump`, `pg_restore`), which open connections of their own for a
    /// backup and its check. The connection is already authenticated with
    /// it, so it grants nothing more than the store already holds.
    tool_login: Option<(Option<String>, Option<String>)>,
    /// The password the change listener connects with (shared with its
    /// thread, so that a password changed on another PC and entered again
    /// here reaches it: see [`Store::renew_password`]).
    listen_password: Option<std::sync::Arc<std::sync::Mutex<Option<String>>>>,
    /// The SQLCipher key of an encrypted file (see `cipher.rs`); its copies
    /// (backups, the copy before a migration) are encrypted with it too.
    cipher: Option<cipher::CipherKey>,
    /// On a file: where committed changes are told (see `live.rs`; on the
    /// clinic server the listener's own connection tells them).
    live: Option<LiveSink>,
}

/// Called with the audit log's entry count and head hash after a write.
pub type AuditHook = Box<dyn Fn(i64, &str) + Send>;

/// Starts a transaction on the clinic server: a read sees one snapshot; a
/// write keeps the server's default isolation and queues on the writer lock.
fn start_pg(
    client: &mut postgres::Client,
    write: bool,
) -> Result<postgres::Transaction<'_>, postgres::Error> {
    let mut builder = client.build_transaction();
    if !write {
        builder = builder.isolation_level(postgres::IsolationLevel::RepeatableRead);
    }
    builder.start()
}

/// Runs `f` in the started server transaction `tx` and commits it.
fn run_pg<T, E>(
    tx: postgres::Transaction<'_>,
    stmts: &mut std::collections::HashMap<String, postgres::Statement>,
    audit_key: Option<&[u8]>,
    write: bool,
    f: impl FnOnce(&Tx) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let tx = Tx {
        conn: Db::Pg(RefCell::new(db::PgTx { tx, stmts })),
        audit_key,
        photos_root: None,
        // The clinic server keeps its photos in the database.
        photos_in_db: true,
    };
    if write {
        pg::take_writer_lock(&tx.conn)?;
    }
    let out = f(&tx)?;
    commit(tx.conn)?;
    Ok(out)
}

/// A transaction in progress: the repositories hang off this.
pub struct Tx<'c> {
    conn: Db<'c>,
    audit_key: Option<&'c [u8]>,
    /// The photo folder of an SQLite database on disk (see files.rs).
    photos_root: Option<PathBuf>,
    /// True for an encrypted SQLite file: its pictures are `photo_files`
    /// rows inside it, not files (see files.rs).
    photos_in_db: bool,
}

impl Tx<'_> {
    /// The photo folder this transaction's database keeps its pictures in.
    pub(crate) fn photos_root(&self) -> Result<PathBuf> {
        self.photos_root
            .clone()
            .ok_or_else(|| StoreError::Internal("a database in memory keeps no photos".into()))
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path`, sets the pragmas and
    /// migrates the schema to the latest version. A restore killed after it
    /// was decided is finished first (see [`finish_pending_restore`]). A
    /// folder made here is 0700 and the database file 0600 (SQLite gives its
    /// `-wal` and `-shm` the database file's mode).
    ///
    /// A file in a network folder (NFS, SMB/CIFS; a UNC path on Windows) is
    /// refused with a message that points to the clinic server (see `netfs.rs`).
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_file(path, None)
    }

    /// Opens the SQLCipher-encrypted database at `path` with the clinic's
    /// 256-bit data key (creating it encrypted if it does not exist), then
    /// as [`Store::open`]. The key is set before anything else reads the
    /// file; a wrong key (or a plaintext file) is refused with
    /// [`StoreError::WrongKey`], never opened half-way. See `cipher.rs`.
    pub fn open_encrypted(path: &Path, data_key: &[u8; 32]) -> Result<Store> {
        Self::open_file(path, Some(cipher::CipherKey::new(data_key)))
    }

    fn open_file(path: &Path, key: Option<cipher::CipherKey>) -> Result<Store> {
        if let Some(parent) = path.parent() {
            files::create_private_dir(parent)?;
        }
        netfs::refuse_network_folder(path)?;
        backup::finish_pending_restore(path)?;
        if !path.exists() {
            // Created here so that it is never readable by others, not even briefly.
            let _ = files::create_private_file(path);
        }
        let _ = files::make_private(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)?;
        if let Some(k) = &key {
            k.apply(&conn)?;
        }
        let mut store = Self::init_keyed(conn, Some(path.to_path_buf()), key.as_ref())?;
        store.cipher = key;
        Ok(store)
    }

    /// The SQLCipher key of an encrypted file (for its backups).
    pub fn cipher_key(&self) -> Option<&CipherKey> {
        self.cipher.as_ref()
    }

    /// True when this store's file is SQLCipher-encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.cipher.is_some()
    }

    /// A private database in memory, for tests.
    ///
    /// When `DERMIS_TEST_SERVER` holds a superuser URL of a throwaway
    /// PostgreSQL cluster (scripts/pg-throwaway.sh), each call makes a fresh
    /// database there instead: that is how the whole dermis-clinic suite (the
    /// use-case by role matrix included) runs on the clinic server without
    /// dermis-clinic knowing which backend it has.
    pub fn open_in_memory() -> Result<Store> {
        if let Ok(admin) = std::env::var("DERMIS_TEST_SERVER") {
            if pg::is_url(&admin) {
                return pg::fresh_test_database(&admin).and_then(|url| Store::open_pg(&url, None));
            }
        }
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        Self::init_keyed(conn, path, None)
    }

    fn init_keyed(
        mut conn: Connection,
        path: Option<PathBuf>,
        key: Option<&cipher::CipherKey>,
    ) -> Result<Store> {
        // busy_timeout first: the journal-mode switch itself can meet a lock.
        conn.busy_timeout(std::time::Duration::from_millis(5000))?;
        if path.is_some() {
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Internal(format!(
                    "the database could not switch to WAL mode (it reports {mode})"
                )));
            }
        }
        // FULL: a commit is on disk before it returns, even after a power cut
        // (NORMAL may lose the last commits). Measured in BENCHMARKS.md.
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        // The search index's working set on 100,000 patients is a few MB: the
        // 2 MB default cache re-read ~100 pages per search. Each connection has
        // its own cache (SQLite is built without SQLITE_ENABLE_MEMORY_MANAGEMENT,
        // see .cargo/config.toml), so this budget is this connection's alone.
        conn.execute_batch(&format!("PRAGMA cache_size=-{CACHE_KIB};"))?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if let Some(p) = &path {
            if found > 0 && found < SCHEMA_VERSION {
                // A copy of the data as it was, before the schema changes under it.
                let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
                let dest = backup::backups_dir(p)
                    .join(format!("dermis-before-migration-v{found}-{stamp}.db"));
                backup::copy_verified_keyed(&conn, &dest, found, Some(&files::photos_dir(p)), key)?;
            }
        }
        migrations::migrate(&mut conn)?;
        Ok(Store {
            conn,
            pg: None,
            url: None,
            path,
            audit_key: None,
            on_audit: None,
            last_head: None,
            tool_login: None,
            listen_password: None,
            cipher: None,
            live: None,
        })
    }

    /// Connects to the clinic server at `url` (`postgresql://user@host[:port]/db`)
    /// as its user, with `password` (the URL normally carries none), and
    /// migrates its schema to the latest version.
    pub fn open_pg(url: &str, password: Option<&str>) -> Result<Store> {
        let mut s = Self::from_pg_client(url, pg::connect(url, password)?)?;
        s.tool_login = Some((None, password.map(str::to_string)));
        Ok(s)
    }

    /// Connects to the clinic server at `url` as Dermis user `username`'s own
    /// login role (`<database>_<username>`, whatever user the URL names) with
    /// their `password`: every PC works with the signed-in person's
    /// credentials, so the engine's grants are theirs. A database not yet
    /// at the latest schema is refused by PostgreSQL for lack of rights (only
    /// the setup user migrates).
    pub fn open_pg_user(url: &str, username: &str, password: &str) -> Result<Store> {
        let role = pg::login_role(&pg::database_of(url)?, username);
        let mut s = Self::from_pg_client(url, pg::connect_as(url, Some(&role), Some(password))?)?;
        s.tool_login = Some((Some(role), Some(password.to_string())));
        Ok(s)
    }

    /// The password PostgreSQL's tools (pg_dump, pg_restore) use for this
    /// store's own login role, after that role's password was changed on this
    /// connection (the tools open connections of their own).
    pub fn set_tool_password(&mut self, password: &str) {
        if let Some((role @ Some(_), _)) = self.tool_login.take() {
            self.tool_login = Some((role, Some(password.to_string())));
        }
    }

    /// The password this store connected with, when it connects to the
    /// clinic server as Dermis user `username`'s own login role
    /// ([`Store::open_pg_user`]); `None` otherwise (SQLite, the setup user,
    /// another user's role). What lets an admin who creates another admin
    /// on the server hand them a copy of the backup key in the same command
    /// (the private key opens only with the creating admin's password).
    pub fn own_login_password(&self, username: &str) -> Option<zeroize::Zeroizing<String>> {
        let (Some(role), Some(password)) = self.tool_login.as_ref()? else {
            return None;
        };
        let db = pg::database_of(self.url.as_deref()?).ok()?;
        (*role == pg::login_role(&db, username)).then(|| zeroize::Zeroizing::new(password.clone()))
    }

    pub(crate) fn from_pg_client(url: &str, mut client: postgres::Client) -> Result<Store> {
        pg::migrate(&mut client)?;
        Ok(Store {
            conn: Connection::open_in_memory()?,
            pg: Some(RefCell::new(pg::PgConn {
                client,
                stmts: Default::default(),
            })),
            url: Some(url.to_string()),
            path: None,
            audit_key: None,
            on_audit: None,
            last_head: None,
            tool_login: None,
            listen_password: None,
            cipher: None,
            live: None,
        })
    }

    /// Opens `target`: a `postgresql://` URL (with `password`) or an SQLite file path.
    pub fn open_target(target: &str, password: Option<&str>) -> Result<Store> {
        if pg::is_url(target) {
            Store::open_pg(target, password)
        } else {
            Store::open(Path::new(target))
        }
    }

    /// On the clinic server: creates the group role of each Dermis role and
    /// grants it what permissions.rs allows, table by table (see `pg.rs`).
    /// Run once by the setup user at `init`; safe to run again. Nothing on SQLite.
    pub fn setup_server_roles(&self) -> Result<()> {
        match &self.pg {
            Some(pg) => pg::setup_roles(&mut pg.borrow_mut().client),
            None => Ok(()),
        }
    }

    /// On the clinic server: makes `username` a PostgreSQL login role with
    /// `password` in the groups of `roles` (LOGIN only while `active`);
    /// returns the role's name (`<database>_<username>`). `None` on SQLite.
    pub fn set_server_login(
        &self,
        username: &str,
        password: &str,
        roles: &[dermis_core::Role],
        active: bool,
    ) -> Result<Option<String>> {
        match &self.pg {
            Some(pg) => pg::set_login(
                &mut pg.borrow_mut().client,
                username,
                password,
                roles,
                active,
            )
            .map(Some),
            None => Ok(None),
        }
    }

    /// On the clinic server: lets its sign-in gate log in with `password`
    /// (see `pg::SignInGate`). Run by the setup user. Nothing on SQLite.
    pub fn set_server_gate(&self, password: &str) -> Result<()> {
        match &self.pg {
            Some(pg) => pg::set_gate(&mut pg.borrow_mut().client, password),
            None => Ok(()),
        }
    }

    /// True when this store is on the clinic server (PostgreSQL).
    pub fn is_server(&self) -> bool {
        self.pg.is_some()
    }

    /// Refuses an SQLite-only operation (file backup, restore) on the clinic server.
    pub(crate) fn refuse_on_server(&self, what: &str) -> Result<()> {
        if self.pg.is_some() {
            return Err(StoreError::Internal(format!(
                "{what} works on an SQLite clinic file; the clinic server is backed up with PostgreSQL's own tools"
            )));
        }
        Ok(())
    }

    /// The clinic server's URL, when this store is on PostgreSQL.
    pub fn server_url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// From now on audit entries are keyed with `key` (and checked with it).
    pub fn set_audit_key(&mut self, key: Vec<u8>) {
        self.audit_key = Some(key);
    }

    /// `hook` hears the log's (count, head) after each write that moved it.
    pub fn set_audit_hook(&mut self, hook: AuditHook) {
        self.on_audit = Some(hook);
        self.last_head = None;
    }

    /// The audit log's entry count and head, unchecked (see [`verify_chain`]).
    pub fn audit_head(&self) -> Result<(i64, String)> {
        match &self.pg {
            None => chain_head(&self.conn),
            Some(pg) => {
                let mut pg = pg.borrow_mut();
                let pg = &mut *pg;
                let tx = pg.client.transaction()?;
                let db = Db::Pg(RefCell::new(db::PgTx {
                    tx,
                    stmts: &mut pg.stmts,
                }));
                let out = audit::chain_head_db(&db)?;
                commit(db)?;
                Ok(out)
            }
        }
    }

    /// Runs `f` in a read transaction.
    pub fn read<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.transact(false, f)
    }

    /// One transaction on either backend: a read sees one snapshot
    /// (REPEATABLE READ on the server, DEFERRED on SQLite); a write is taken
    /// at once (the writer lock on the server, IMMEDIATE on SQLite), so two
    /// writers queue instead of failing half-way. Rolled back if `f` fails.
    fn transact<T, E>(&mut self, write: bool, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if let Some(pg) = &self.pg {
            let mut pg = pg.borrow_mut();
            let pg = &mut *pg;
            // A connection the server closed (it restarted, or was away) is
            // opened again with the same credentials before anything is
            // tried on it: the next call after the server is back works,
            // without reopening the clinic. A transaction that fails to
            // START on a dead connection (the server restarted since the
            // last call, unnoticed) is retried once on a new one: nothing
            // of it ran. One that fails half-way is not retried (its closure
            // may have had effects): it is refused as `Unavailable`.
            if pg.client.is_closed() {
                self.reopen_pg(pg)?;
            }
            let failed = match start_pg(&mut pg.client, write) {
                Ok(tx) => return run_pg(tx, &mut pg.stmts, self.audit_key.as_deref(), write, f),
                Err(e) => StoreError::from(e),
            };
            if !failed.is_unavailable() {
                return Err(failed.into());
            }
            self.reopen_pg(pg)?;
            let tx = start_pg(&mut pg.client, write).map_err(StoreError::from)?;
            return run_pg(tx, &mut pg.stmts, self.audit_key.as_deref(), write, f);
        }
        let behavior = if write {
            TransactionBehavior::Immediate
        } else {
            TransactionBehavior::Deferred
        };
        let tx = self
            .conn
            .transaction_with_behavior(behavior)
            .map_err(StoreError::from)?;
        let out = f(&Tx {
            conn: Db::Sqlite(&tx),
            audit_key: self.audit_key.as_deref(),
            photos_root: self.path.as_deref().map(files::photos_dir),
            photos_in_db: self.cipher.is_some(),
        })?;
        let notes = match (&self.live, write) {
            (Some(_), true) => Store::take_sqlite_changes(&tx)?,
            _ => Vec::new(),
        };
        tx.commit().map_err(StoreError::from)?;
        if let Some(sink) = &self.live {
            for n in notes {
                sink(live::LiveEvent::Change(n));
            }
        }
        Ok(out)
    }

    /// Opens the clinic server's connection again with the credentials it
    /// was opened with (see `transact`); its prepared statements go with
    /// the old one. Refused as `Unavailable` while the server does not answer.
    fn reopen_pg(&self, pg: &mut pg::PgConn) -> Result<()> {
        let url = self
            .url
            .as_deref()
            .ok_or_else(|| StoreError::Internal("a clinic server store without its URL".into()))?;
        let (role, password) = self.tool_login.clone().unwrap_or((None, None));
        let client = pg::connect_as(url, role.as_deref(), password.as_deref()).map_err(|e| {
            if e.is_unavailable() || matches!(e, StoreError::Postgres(_) | StoreError::Internal(_))
            {
                StoreError::Unavailable(format!(
                    "The clinic server {} is not answering.",
                    pg::host_of_url(url)
                ))
            } else {
                e
            }
        })?;
        pg.client = client;
        pg.stmts.clear();
        Ok(())
    }

    /// Runs `f` in a write transaction (taken at once, so two writers queue
    /// instead of failing half-way); rolled back if `f` fails.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let out = self.transact(true, f)?;
        if let Some(hook) = &self.on_audit {
            let (count, head) = self.audit_head()?;
            if self.last_head.as_deref() != Some(head.as_str()) {
                hook(count, &head);
                self.last_head = Some(head);
            }
        }
        Ok(out)
    }

    /// The pragma values in force, for tests and diagnostics.
    /// Empty on the clinic server (SQLite pragmas only).
    pub fn pragmas(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        if self.pg.is_some() {
            return Ok(out);
        }
        for p in [
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "busy_timeout",
            "cache_size",
        ] {
            let v: rusqlite::types::Value =
                self.conn
                    .query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))?;
            let v = match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            };
            out.push((p.to_string(), v));
        }
        Ok(out)
    }

    /// Pages this connection had to read from the file (page-cache misses)
    /// since the last call; for tests and benchmarks that prove no other
    /// connection in the process can evict this one's working set.
    /// -1 on the clinic server.
    pub fn take_cache_misses(&self) -> i64 {
        if self.pg.is_some() {
            return -1;
        }
        let (mut cur, mut high) = (0, 0);
        // SAFETY: the handle is this open connection's and is used only for
        // the duration of the call; sqlite3_db_status reads a counter.
        let rc = unsafe {
            rusqlite::ffi::sqlite3_db_status(
                self.conn.handle(),
                rusqlite::ffi::SQLITE_DBSTATUS_CACHE_MISS,
                &mut cur,
                &mut high,
                1,
            )
        };
        if rc == rusqlite::ffi::SQLITE_OK {
            i64::from(cur)
        } else {
            -1
        }
    }

    /// The schema version stored in the database (on the clinic server: the
    /// SQLite schema version its schema matches).
    pub fn schema_version(&self) -> Result<i64> {
        if let Some(pg) = &self.pg {
            let row = pg.borrow_mut().client.query_one(
                "SELECT value FROM app_meta WHERE key = 'schema_version'",
                &[],
            )?;
            let v: String = row.get(0);
            return v.parse().map_err(|_| {
                StoreError::Internal(format!(
                    "the clinic server's schema version {v:?} is not a number"
                ))
            });
        }
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// Login roles kept in step with the Dermis accounts, inside the store
/// transaction that changes the account (role changes are transactional on
/// PostgreSQL: both land or neither). Each does nothing on SQLite.
impl Tx<'_> {
    /// See [`Store::set_server_login`]; `None` on SQLite.
    pub fn set_server_login(
        &self,
        username: &str,
        password: &str,
        roles: &[dermis_core::Role],
        active: bool,
    ) -> Result<Option<String>> {
        match &self.conn {
            Db::Pg(p) => {
                pg::set_login(&mut p.borrow_mut().tx, username, password, roles, active).map(Some)
            }
            Db::Sqlite(_) => Ok(None),
        }
    }

    /// Changes only the password of `username`'s login role (a role may
    /// change its own without any other right).
    pub fn set_server_password(&self, username: &str, password: &str) -> Result<()> {
        match &self.conn {
            Db::Pg(p) => pg::set_password(&mut p.borrow_mut().tx, username, password),
            Db::Sqlite(_) => Ok(()),
        }
    }

    /// Takes away `username`'s right to connect (a deactivated account).
    pub fn disable_server_login(&self, username: &str) -> Result<()> {
        match &self.conn {
            Db::Pg(p) => pg::disable_login(&mut p.borrow_mut().tx, username),
            Db::Sqlite(_) => Ok(()),
        }
    }

    /// The connected person's own wrapped audit key on the clinic server
    /// (migration 0008); `None` when they have none, and always on SQLite
    /// (there the key lies beside the file).
    pub fn my_key_wrap(&self) -> Result<Option<String>> {
        match &self.conn {
            Db::Pg(p) => Ok(p
                .borrow_mut()
                .tx
                .query_one("SELECT dermis_my_key_wrap()", &[])?
                .get(0)),
            Db::Sqlite(_) => Ok(None),
        }
    }

    /// Stores the connected person's own wrapped audit key (nothing on SQLite).
    pub fn set_my_key_wrap(&self, wrap: &str, at: &str) -> Result<()> {
        match &self.conn {
            Db::Pg(p) => {
                p.borrow_mut()
                    .tx
                    .execute("SELECT dermis_set_my_key_wrap($1, $2)", &[&wrap, &at])?;
                Ok(())
            }
            Db::Sqlite(_) => Ok(()),
        }
    }

    /// Stores `username`'s wrapped audit key (an admin's right; nothing on SQLite).
    pub fn set_key_wrap(&self, username: &str, wrap: &str, at: &str) -> Result<()> {
        match &self.conn {
            Db::Pg(p) => {
                p.borrow_mut().tx.execute(
                    "SELECT dermis_set_key_wrap($1, $2, $3)",
                    &[&username, &wrap, &at],
                )?;
                Ok(())
            }
            Db::Sqlite(_) => Ok(()),
        }
    }

    /// A row of the clinic server's backup key pair (migration 0011):
    /// `kind` "public" (hex, `username` empty), "admin" (that admin's wrap)
    /// or "recovery" (the recovery key's wrap). `None` when there is none,
    /// and always on SQLite (a single PC's backups use its data key).
    pub fn dump_key(&self, kind: &str, username: &str) -> Result<Option<String>> {
        match &self.conn {
            Db::Pg(p) => Ok(p
                .borrow_mut()
                .tx
                .query_opt(
                    "SELECT value FROM dump_keys WHERE kind = $1 AND username = $2",
                    &[&kind, &username],
                )?
                .map(|r| r.get(0))),
            Db::Sqlite(_) => Ok(None),
        }
    }

    /// Stores a new backup key pair: the public key (hex) and the wraps
    /// (kind, username, wrap) of its private key. `false` (and nothing
    /// written) when the server already has a pair (another admin made it
    /// first), and always on SQLite.
    pub fn create_dump_keys(
        &self,
        public_hex: &str,
        wraps: &[(&str, &str, &str)],
        at: &str,
    ) -> Result<bool> {
        let Db::Pg(p) = &self.conn else {
            return Ok(false);
        };
        let mut p = p.borrow_mut();
        let made = p.tx.execute(
            "INSERT INTO dump_keys (kind, username, value, updated_at) VALUES ('public', '', $1, $2)
             ON CONFLICT (kind, username) DO NOTHING",
            &[&public_hex, &at],
        )?;
        if made == 0 {
            return Ok(false);
        }
        for (kind, username, wrap) in wraps {
            p.tx.execute(
                "INSERT INTO dump_keys (kind, username, value, updated_at) VALUES ($1, $2, $3, $4)",
                &[kind, username, wrap, &at],
            )?;
        }
        Ok(true)
    }

    /// Stores (or replaces) `username`'s wrap of the backup private key
    /// (an admin given it, or one who changed their password; nothing on SQLite).
    pub fn set_dump_key_wrap(&self, username: &str, wrap: &str, at: &str) -> Result<()> {
        if let Db::Pg(p) = &self.conn {
            p.borrow_mut().tx.execute(
                "INSERT INTO dump_keys (kind, username, value, updated_at) VALUES ('admin', $1, $2, $3)
                 ON CONFLICT (kind, username) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                &[&username, &wrap, &at],
            )?;
        }
        Ok(())
    }

    /// Removes `username`'s wrap of the backup private key (a deactivated
    /// account, or a password reset by another admin: the wrap under the old
    /// password must not keep opening the dumps; nothing on SQLite). True
    /// when there was one (the audit entry says so).
    pub fn drop_dump_key_wrap(&self, username: &str) -> Result<bool> {
        if let Db::Pg(p) = &self.conn {
            let gone = p.borrow_mut().tx.execute(
                "DELETE FROM dump_keys WHERE kind = 'admin' AND username = $1",
                &[&username],
            )?;
            return Ok(gone > 0);
        }
        Ok(false)
    }

    /// Removes `username`'s wrapped audit key (a deactivated account).
    pub fn drop_key_wrap(&self, username: &str) -> Result<()> {
        match &self.conn {
            Db::Pg(p) => {
                p.borrow_mut()
                    .tx
                    .execute("SELECT dermis_drop_key_wrap($1)", &[&username])?;
                Ok(())
            }
            Db::Sqlite(_) => Ok(()),
        }
    }
}

/// Commits a PostgreSQL transaction (an SQLite one commits where it began).
fn commit(db: Db<'_>) -> Result<()> {
    if let Db::Pg(p) = db {
        p.into_inner().tx.commit()?;
    }
    Ok(())
}
