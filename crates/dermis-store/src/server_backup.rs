//! Backups of the clinic server, with PostgreSQL's own tools.
//!
//! `pg_dump` in its custom format is the backup; it is not trusted until it
//! has been restored (`pg_restore`) into a scratch database beside the
//! clinic's and found to hold the same rows. To make "the same" exact while
//! the clinic keeps working, the counts and the audit head of the live
//! database are read in one REPEATABLE READ transaction whose snapshot is
//! exported to `pg_dump --snapshot`: the dump and the counts see the very
//! same moment. The file appears at its name only once verified.
//!
//! The dump is sealed (seal.rs) to the clinic's backup public key as it
//! streams out of `pg_dump`, and the same plaintext stream goes straight into
//! the check's `pg_restore`: no plaintext dump is ever on disk, and the
//! account writing it (the nightly setup user) needs no private key. The
//! sealed file is then read back without the private key (structure and
//! SHA-256). Restoring or inspecting a sealed file streams it back through
//! the private key into `pg_restore`; a plaintext dump from before sealing
//! is still read as a file.
//!
//! [`inspect_server_backup`] is the restore side's check of a file (the same
//! refusals as for an SQLite backup: not a dump, not Dermis's, from a newer
//! Dermis, damaged; with the clinic's keys, another clinic's chain), by
//! restoring it into a scratch database and reading it.
//! [`Store::restore_server`] then replaces the live database's rows with the
//! scratch database's, in one transaction, as the setup user.
//!
//! Backups and checks run with the store's own credentials (an admin's
//! login role may create the scratch database; `--enable-row-security`
//! because a login role is subject to the accounts' row-level security).
//!
//! The tools are found in `DERMIS_PG_BIN`, else the newest
//! `/usr/lib/postgresql/*/bin` (Debian), else on `PATH`. The password goes to
//! them in `PGPASSWORD`, never on the command line.

use crate::copy::SERVER_ONLY_TABLES;
use crate::{Result, Store, StoreError, COPIED_TABLES};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a verified server backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBackupInfo {
    pub path: PathBuf,
    /// The SQLite-equivalent schema version the dump's schema matches.
    pub schema_version: i64,
    /// (table, rows)
    pub tables: Vec<(String, i64)>,
    pub audit: (i64, String),
}

impl ServerBackupInfo {
    pub fn patients(&self) -> i64 {
        self.tables
            .iter()
            .find(|t| t.0 == "patients")
            .map_or(0, |t| t.1)
    }
}

fn pg_tool(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("DERMIS_PG_BIN") {
        return Path::new(&dir).join(name);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from(name))
}

fn run(mut cmd: Command, what: &str, password: Option<&str>) -> Result<()> {
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().map_err(|e| {
        StoreError::Internal(format!(
            "{what} could not be started ({e}); install PostgreSQL's client tools (Debian: postgresql-client)"
        ))
    })?;
    if !out.status.success() {
        return Err(StoreError::BadBackup(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let cut = base.rfind('/').unwrap_or(base.len());
    format!("{}/{db}{query}", &base[..cut])
}

/// Rows per copied table, and the audit log's (count, head).
type Facts = (Vec<(String, i64)>, (i64, String));

/// Row counts of the copied tables and the audit head, on `client` as it sees them now.
fn facts(client: &mut impl postgres::GenericClient) -> Result<Facts> {
    let mut tables = Vec::new();
    for t in COPIED_TABLES.iter().chain(SERVER_ONLY_TABLES) {
        // A dump from before a server-only table existed counts it as empty.
        let exists = client
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[t])?
            .get::<_, bool>(0);
        let n: i64 = if exists {
            client
                .query_one(&format!("SELECT count(*) FROM {t}"), &[])?
                .get(0)
        } else {
            0
        };
        tables.push((t.to_string(), n));
    }
    let head: Option<String> = client
        .query_opt("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", &[])?
        .map(|r| r.get(0));
    let count = tables
        .iter()
        .find(|t| t.0 == "audit_log")
        .map_or(0, |t| t.1);
    Ok((
        tables,
        (
            count,
            head.unwrap_or_else(|| crate::GENESIS_HASH.to_string()),
        ),
    ))
}

/// A scratch database on the cluster, dropped (connections and all) when
/// this goes out of scope.
struct Scratch {
    admin: postgres::Client,
    name: String,
    url: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// Where `pg_restore` reads the dump from.
enum Source<'a> {
    /// A plaintext custom-format dump file (a backup from before dumps were sealed).
    File(&'a Path),
    /// The plaintext written by the closure to `pg_restore`'s standard input
    /// (a sealed file being opened, or `pg_dump` being sealed: no plaintext
    /// file on disk).
    Stream(&'a mut dyn FnMut(&mut dyn Write) -> Result<()>),
}

/// Marks a feed's own refusal, so the caller reports it rather than the
/// `pg_restore` failure it causes.
const FEED: &str = "\u{1}feed:";

fn feed_error(message: String) -> StoreError {
    StoreError::BadBackup(format!("{FEED}{message}"))
}

/// Marks a feed stopped because the tool it writes to stopped reading.
const STOPPED: &str = "\u{2}stopped:";

fn stopped(e: std::io::Error) -> StoreError {
    StoreError::BadBackup(format!("{STOPPED}{e}"))
}

/// Runs `cmd` with its standard input fed by `feed`; the feed's own error
/// (other than the pipe closing because the tool stopped) wins over the tool's.
fn run_fed(
    mut cmd: Command,
    what: &str,
    password: Option<&str>,
    feed: &mut dyn FnMut(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| {
        StoreError::Internal(format!(
            "{what} could not be started ({e}); install PostgreSQL's client tools (Debian: postgresql-client)"
        ))
    })?;
    let errors = drain(child.stderr.take());
    let fed = match child.stdin.take() {
        Some(mut stdin) => feed(&mut stdin),
        None => Err(StoreError::Internal(format!(
            "{what} has no standard input"
        ))),
    };
    let status = child
        .wait()
        .map_err(|e| StoreError::Internal(format!("{what}: {e}")))?;
    let errors = errors.join().unwrap_or_default();
    match fed {
        // The tool stopped reading: its own error says why.
        Err(StoreError::BadBackup(m)) if m.starts_with(STOPPED) => {}
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    if !status.success() {
        return Err(StoreError::BadBackup(format!(
            "{what} failed: {}",
            errors.trim()
        )));
    }
    Ok(())
}

/// Reads a child's standard error on its own thread (so a full pipe never
/// stalls it while this one feeds or reads another pipe).
fn drain(from: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(f) = from {
            let _ = f.take(64 * 1024).read_to_string(&mut text);
        }
        text
    })
}

/// `pg_dump` of `url` at `snapshot`, its output sealed to `recipient` into
/// `partial` and copied to `restore` (the scratch restore that checks it);
/// returns the sealed file's SHA-256 and length as written.
fn dump_sealed(
    url: &str,
    snapshot: &str,
    password: Option<&str>,
    recipient: &[u8; 32],
    partial: &Path,
    restore: &mut dyn Write,
) -> Result<([u8; 32], u64)> {
    let io = |e: std::io::Error| StoreError::Io {
        path: partial.to_path_buf(),
        source: e,
    };
    let mut cmd = Command::new(pg_tool("pg_dump"));
    // A login role is not exempt from the accounts' row-level security:
    // without --enable-row-security pg_dump would refuse to dump `users`.
    cmd.arg("--format=custom")
        .arg("--enable-row-security")
        .arg(format!("--snapshot={snapshot}"))
        .arg(format!("--dbname={}", crate::tls::tool_url(url)?))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let mut child = cmd.spawn().map_err(|e| {
        StoreError::Internal(format!(
            "pg_dump could not be started ({e}); install PostgreSQL's client tools (Debian: postgresql-client)"
        ))
    })?;
    let errors = drain(child.stderr.take());
    let pumped = (|| -> Result<([u8; 32], u64)> {
        let mut out = child
            .stdout
            .take()
            .ok_or_else(|| StoreError::Internal("pg_dump has no standard output".into()))?;
        let file = private_file(partial).map_err(io)?;
        let mut sealer =
            crate::seal::Sealer::new(std::io::BufWriter::new(file), recipient).map_err(io)?;
        let mut buf = vec![0u8; crate::seal::FRAME];
        loop {
            let n = out.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            sealer.write_all(&buf[..n]).map_err(io)?;
            restore.write_all(&buf[..n]).map_err(stopped)?;
        }
        let (sha, len, w) = sealer.finish().map_err(io)?;
        let file = w.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        Ok((sha, len))
    })();
    if pumped.is_err() {
        let _ = child.kill();
    }
    let status = child
        .wait()
        .map_err(|e| StoreError::Internal(format!("pg_dump: {e}")))?;
    let errors = errors.join().unwrap_or_default();
    // A pump that stopped (the check's pg_restore gave up, the disk is full)
    // says why itself; pg_dump was killed for it.
    let written = pumped?;
    if !status.success() {
        return Err(feed_error(format!("pg_dump failed: {}", errors.trim())));
    }
    Ok(written)
}

/// Creates `path` for writing, readable by its owner only from the start.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Restores `file` (sealed, opened with `secret`; or a plaintext dump from
/// before dumps were sealed) into a scratch database: see [`restore_scratch`].
fn restore_file_scratch(
    admin_url: &str,
    password: Option<&str>,
    file: &Path,
    secret: Option<&[u8; 32]>,
    keys: Option<&[Vec<u8>]>,
) -> Result<(Scratch, ServerBackupInfo, Option<Vec<u8>>)> {
    let io = |e: std::io::Error| StoreError::Io {
        path: file.to_path_buf(),
        source: e,
    };
    let mut first = Vec::with_capacity(16);
    std::fs::File::open(file)
        .map_err(io)?
        .take(16)
        .read_to_end(&mut first)
        .map_err(io)?;
    if !crate::seal::is_sealed(&first) {
        return restore_scratch(admin_url, password, Source::File(file), file, keys);
    }
    let Some(secret) = secret else {
        return Err(StoreError::Denied(format!(
            "{} is a sealed clinic-server backup: an admin's password or the clinic's \
             backup recovery key opens it.",
            file.display()
        )));
    };
    let refused = |e: crate::seal::OpenError| {
        StoreError::BadBackup(match e {
            crate::seal::OpenError::OtherKey => format!(
                "{} is sealed to another backup key: a backup of another clinic server, \
                 or one whose backup key was replaced since.",
                file.display()
            ),
            crate::seal::OpenError::WrongKey => format!(
                "{} does not open with this clinic's backup key: it was altered or damaged.",
                file.display()
            ),
            crate::seal::OpenError::Damaged(why) => format!(
                "{} was altered or damaged ({why}); nothing was restored.",
                file.display()
            ),
        })
    };
    let reader = std::io::BufReader::new(std::fs::File::open(file).map_err(io)?);
    // The header is checked (and another key refused) before any scratch database.
    let mut opener = crate::seal::Opener::new(reader, secret).map_err(refused)?;
    let mut feed = |to: &mut dyn Write| -> Result<()> {
        match std::io::copy(&mut opener, to) {
            Ok(_) => Ok(()),
            Err(e) => match opener.failed.clone() {
                Some(why) => Err(match refused(why) {
                    StoreError::BadBackup(m) => feed_error(m),
                    other => other,
                }),
                None => Err(stopped(e)),
            },
        }
    };
    restore_scratch(admin_url, password, Source::Stream(&mut feed), file, keys)
}

/// Restores `file` into a new scratch database on the cluster of
/// `admin_url`, checks it is a Dermis clinic this build can read and (when
/// `keys` are given) that its audit chain verifies under one of them; returns
/// the scratch database (dropped when the value is), what it holds and the
/// key that verified its chain.
fn restore_scratch(
    admin_url: &str,
    password: Option<&str>,
    source: Source<'_>,
    file: &Path,
    keys: Option<&[Vec<u8>]>,
) -> Result<(Scratch, ServerBackupInfo, Option<Vec<u8>>)> {
    let name = format!("dermis_verify_{}_{}", std::process::id(), rand_suffix());
    let mut admin = crate::pg::connect(admin_url, password)?;
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .map_err(|e| {
            StoreError::Denied(format!(
                "A backup of the clinic server is checked by restoring it into a scratch database, \
                 which this account may not create ({}). Use an admin's account or the setup user.",
                StoreError::from(e)
            ))
        })?;
    let scratch = Scratch {
        admin,
        url: with_database(admin_url, &name),
        name,
    };
    let mut cmd = Command::new(pg_tool("pg_restore"));
    cmd.arg("--exit-on-error")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg(format!("--dbname={}", crate::tls::tool_url(&scratch.url)?));
    let restored = match source {
        Source::File(f) => {
            cmd.arg(f);
            run(cmd, "pg_restore", password)
        }
        Source::Stream(feed) => run_fed(cmd, "pg_restore", password, feed),
    };
    restored.map_err(|e| match e {
        // The feed's own refusal (a sealed file altered, pg_dump failing) says why.
        StoreError::BadBackup(m) if m.starts_with(FEED) => {
            StoreError::BadBackup(m[FEED.len()..].to_string())
        }
        // pg_restore refused what it was given.
        StoreError::BadBackup(m) => StoreError::BadBackup(format!(
            "{} is not a complete clinic-server backup ({m}).",
            file.display()
        )),
        // The disk, a tool that cannot start: as they are.
        other => other,
    })?;
    let mut c = crate::pg::connect(&scratch.url, password)?;
    let app: Option<String> = c
        .query_opt("SELECT value FROM app_meta WHERE key = 'application'", &[])
        .ok()
        .flatten()
        .map(|r| r.get(0));
    if app.as_deref() != Some("dermis") {
        return Err(StoreError::BadBackup(format!(
            "{} is a PostgreSQL dump, but not of a Dermis clinic.",
            file.display()
        )));
    }
    let version: i64 = c
        .query_one(
            "SELECT value FROM app_meta WHERE key = 'schema_version'",
            &[],
        )?
        .get::<_, String>(0)
        .parse()
        .unwrap_or(i64::MAX);
    if version > crate::SCHEMA_VERSION {
        return Err(StoreError::BadBackup(format!(
            "{} comes from a newer Dermis (schema {version}; this one knows up to {}). Update Dermis first.",
            file.display(),
            crate::SCHEMA_VERSION
        )));
    }
    let (tables, audit) = facts(&mut c)?;
    let info = ServerBackupInfo {
        path: file.to_path_buf(),
        schema_version: version,
        tables,
        audit,
    };
    let mut verified = None;
    if let Some(keys) = keys {
        // The scratch copy is brought to this build's schema (an older dump)
        // and its chain walked under each key the clinic may sign with.
        let mut store = Store::from_pg_client(&scratch.url, c).map_err(|e| match e {
            StoreError::TooNew { found, known } => StoreError::BadBackup(format!(
                "{} comes from a newer Dermis (server schema {found}; this one knows up to {known}). Update Dermis first.",
                file.display()
            )),
            other => other,
        })?;
        let mut first_bad = None;
        for key in keys {
            store.set_audit_key(key.clone());
            let check = store.read(|tx| tx.audit_chain_check())?;
            match check.first_bad {
                None => {
                    verified = Some(key.clone());
                    break;
                }
                Some(id) => first_bad = first_bad.or(Some(id)),
            }
        }
        if verified.is_none() {
            return Err(StoreError::BadBackup(format!(
                "{} is a backup of another clinic, or its audit log has been altered \
                 (entry {} does not match this clinic's chain).",
                file.display(),
                first_bad.unwrap_or(0)
            )));
        }
    }
    Ok((scratch, info, verified))
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

/// Checks a clinic-server backup file (see the module doc) on the cluster of
/// the clinic server `url`, connecting as its user with `password` (who needs
/// the right to create databases); a sealed one is opened with `secret`.
pub fn inspect_server_backup(
    url: &str,
    password: Option<&str>,
    file: &Path,
    secret: Option<&[u8; 32]>,
) -> Result<ServerBackupInfo> {
    restore_file_scratch(url, password, file, secret, None).map(|(_, info, _)| info)
}

/// `url` with its user replaced by `user` (percent-encoded) and no password.
fn with_user(url: &str, user: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let rest = match rest[..authority_end].rfind('@') {
        Some(at) => &rest[at + 1..],
        None => rest,
    };
    let encoded: String = user
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{scheme}://{encoded}@{rest}")
}

/// The backup key pair as a restore uses it: the private key that opens a
/// sealed backup (`None` for a plaintext dump from before sealing) and the
/// public key the copy of the data as it was is sealed to.
#[derive(Clone, Copy)]
pub struct SealKeys<'a> {
    pub open_with: Option<&'a [u8; 32]>,
    pub seal_to: &'a [u8; 32],
}

/// What restoring the clinic server did.
#[derive(Debug, Clone)]
pub struct ServerRestore {
    /// What the restored backup held (before the `restore` entry).
    pub info: ServerBackupInfo,
    /// The audit key the backup's chain verified under.
    pub key: Vec<u8>,
    /// The verified backup of the data as it was, taken first.
    pub kept: ServerBackupInfo,
    /// Active restored accounts that had no login role on the server: they
    /// get one that cannot log in until an admin resets their password.
    pub need_password_reset: Vec<String>,
    /// Login roles of accounts the backup does not hold: their LOGIN was taken away.
    pub disabled: Vec<String>,
}

impl Store {
    /// Writes a `pg_dump` (custom format) of the clinic server database,
    /// sealed to the clinic's backup public key `recipient`, to `dest`, and
    /// verifies it (see the module doc). `password` is this store's user's;
    /// the user needs the right to create databases (the scratch database
    /// of the check).
    ///
    /// Streamed: `pg_dump`'s output is sealed into the file and, in the same
    /// pass, restored into the scratch database, whose counts and audit head
    /// must equal the live database's at the dump's snapshot. Then the file
    /// is read back without the private key (which this account need not
    /// hold): addressed to `recipient`, every frame well-formed, ending
    /// exactly at its last frame, its SHA-256 the one computed while writing.
    /// No plaintext of the dump touches the disk.
    pub fn backup_server(
        &mut self,
        dest: &Path,
        password: Option<&str>,
        recipient: &[u8; 32],
    ) -> Result<ServerBackupInfo> {
        let (url, stored) = self.tool_login()?;
        let password = password.map(str::to_string).or(stored);
        let password = password.as_deref();
        let partial = crate::files::temp_name(dest, "partial");
        let result = (|| -> Result<ServerBackupInfo> {
            let pg = self.pg.as_ref().ok_or_else(|| {
                StoreError::Internal("a server backup needs a clinic server".into())
            })?;
            let mut pg = pg.borrow_mut();
            let mut tx = pg
                .client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let snapshot: String = tx.query_one("SELECT pg_export_snapshot()", &[])?.get(0);
            let live = facts(&mut tx)?;
            let mut written = None;
            let mut feed = |restore: &mut dyn Write| -> Result<()> {
                written = Some(dump_sealed(
                    &url, &snapshot, password, recipient, &partial, restore,
                )?);
                Ok(())
            };
            let checked =
                restore_scratch(&url, password, Source::Stream(&mut feed), &partial, None);
            tx.commit()?;
            let (_, info, _) = checked?;
            if (info.tables.clone(), info.audit.clone()) != live {
                return Err(StoreError::BadBackup(format!(
                    "the backup just written does not hold what the clinic server holds ({:?} against {:?}); it was removed",
                    info.tables, live.0
                )));
            }
            let (sha, len) =
                written.ok_or_else(|| StoreError::Internal("the dump was not written".into()))?;
            let file = std::fs::File::open(&partial).map_err(|e| StoreError::Io {
                path: partial.clone(),
                source: e,
            })?;
            let shape = crate::seal::check_structure(std::io::BufReader::new(file));
            match shape {
                Ok(s) if s.recipient == *recipient && s.sha256 == sha && s.bytes == len => {}
                Ok(_) => {
                    return Err(StoreError::BadBackup(
                        "the sealed backup read back is not the one written; it was removed".into(),
                    ))
                }
                Err(e) => {
                    return Err(StoreError::BadBackup(format!(
                        "the sealed backup read back is not whole ({e}); it was removed"
                    )))
                }
            }
            Ok(info)
        })();
        let info = match result {
            Ok(info) => info,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, dest).map_err(|e| StoreError::Io {
            path: dest.to_path_buf(),
            source: e,
        })?;
        Ok(ServerBackupInfo {
            path: dest.to_path_buf(),
            ..info
        })
    }

    /// The URL PostgreSQL's tools connect with (this store's own login role
    /// when it has one) and its password.
    fn tool_login(&self) -> Result<(String, Option<String>)> {
        let url = self.url.clone().ok_or_else(|| {
            StoreError::Internal(
                "a server backup needs a clinic server (a postgresql:// URL)".into(),
            )
        })?;
        let (user, password) = self.tool_login.clone().unwrap_or((None, None));
        let url = match user {
            Some(u) => with_user(&url, &u),
            None => url,
        };
        Ok((url, password))
    }

    /// Checks the clinic-server backup `file` with this store's own
    /// credentials (see the module doc): a dump of a Dermis clinic this
    /// build can read, whose audit chain verifies under one of `keys`
    /// (another clinic's does not). Returns what it holds.
    pub fn inspect_server_backup(
        &self,
        file: &Path,
        keys: &[Vec<u8>],
        secret: Option<&[u8; 32]>,
    ) -> Result<ServerBackupInfo> {
        let (url, password) = self.tool_login()?;
        restore_file_scratch(&url, password.as_deref(), file, secret, Some(keys))
            .map(|(_, info, _)| info)
    }

    /// Replaces everything on the clinic server with the backup `file`.
    ///
    /// Only the setup user may (the URL's own user, with `setup_password`):
    /// the audit log is replaced too, and no app role may delete from it.
    /// In order, nothing changing until the last step:
    /// 1. the file is restored into a scratch database and refused like on
    ///    SQLite (not a dump, damaged, not Dermis's, newer, another clinic's
    ///    chain: one of `keys` must verify it); brought to this build's schema;
    /// 2. the data as it is now is backed up to `keep` and verified;
    /// 3. in one transaction under the writer lock: every copied table is
    ///    emptied and refilled from the scratch database (binary `COPY`, ids
    ///    kept, sequences moved past them), the login roles follow the
    ///    restored accounts (their groups and LOGIN; an account without a
    ///    login role gets one that cannot log in until a password reset; a
    ///    login role of an account the backup lacks loses LOGIN), and
    ///    `entry` (made from what the backup held) is appended to the
    ///    restored chain under the key that verified it. A failure anywhere
    ///    leaves the server as it was.
    pub fn restore_server(
        &mut self,
        file: &Path,
        setup_password: Option<&str>,
        keys: &[Vec<u8>],
        seal: SealKeys<'_>,
        keep: &Path,
        entry: impl FnOnce(&ServerBackupInfo) -> crate::AuditEntry,
    ) -> Result<ServerRestore> {
        let url = self.url.clone().ok_or_else(|| {
            StoreError::Internal("restoring the clinic server needs a postgresql:// URL".into())
        })?;
        let named_user = crate::pg::parse_url(&url)?.get_user().is_some();
        if !named_user {
            return Err(StoreError::Denied(
                "Restoring the clinic server replaces everything, the audit log included, which only its \
                 setup user may do: name that user in the address (postgresql://SETUP-USER@host/database)."
                    .into(),
            ));
        }
        let (scratch, info, key) =
            restore_file_scratch(&url, setup_password, file, seal.open_with, Some(keys))?;
        let key =
            key.ok_or_else(|| StoreError::Internal("no audit key verified the backup".into()))?;
        let mut live = Store::open_pg(&url, setup_password)?;
        let kept = live.backup_server(keep, setup_password, seal.seal_to)?;
        live.set_audit_key(key.clone());
        let mut source = crate::pg::connect(&scratch.url, setup_password)?;
        let entry = entry(&info);
        let (need_password_reset, disabled) = live.write(|tx| -> Result<_> {
            tx.replace_all_from(&mut source)?;
            let logins = tx.follow_restored_accounts()?;
            tx.append_audit(&entry)?;
            Ok(logins)
        })?;
        drop(source);
        drop(scratch);
        Ok(ServerRestore {
            info,
            key,
            kept,
            need_password_reset,
            disabled,
        })
    }
}

impl crate::Tx<'_> {
    /// Empties every copied table and refills it from `source`, a clinic
    /// database at the same schema (see [`Store::restore_server`]).
    fn replace_all_from(&self, source: &mut postgres::Client) -> Result<()> {
        let crate::db::Db::Pg(p) = &self.conn else {
            return Err(StoreError::Internal(
                "a restore of the server on a file".into(),
            ));
        };
        let mut p = p.borrow_mut();
        let tx = &mut p.tx;
        // The log's append-only trigger is lifted for this one statement, in
        // this transaction, by the table's owner (the setup user): nobody
        // else ever sees the log without it.
        tx.batch_execute(&format!(
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate;\n\
             TRUNCATE {};\n\
             ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate;",
            COPIED_TABLES
                .iter()
                .chain(SERVER_ONLY_TABLES)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        for table in COPIED_TABLES.iter().chain(SERVER_ONLY_TABLES) {
            let cols: Vec<String> = tx
                .query(
                    "SELECT column_name::text FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                    &[table],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let list = cols.join(", ");
            let mut reader = source.copy_out(&format!(
                "COPY (SELECT {list} FROM {table}) TO STDOUT (FORMAT binary)"
            ))?;
            let mut writer =
                tx.copy_in(&format!("COPY {table} ({list}) FROM STDIN (FORMAT binary)"))?;
            std::io::copy(&mut reader, &mut writer).map_err(|e| {
                StoreError::Internal(format!("the rows of {table} could not be copied back: {e}"))
            })?;
            writer.finish()?;
            drop(reader);
            if cols.iter().any(|c| c == "id") && *table != "clinic" {
                tx.batch_execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                ))?;
            }
        }
        Ok(())
    }

    /// After a restore: the login roles follow the restored accounts.
    /// Returns (active accounts that need a password reset, login roles disabled).
    fn follow_restored_accounts(&self) -> Result<(Vec<String>, Vec<String>)> {
        let users = self.users()?;
        let crate::db::Db::Pg(p) = &self.conn else {
            return Err(StoreError::Internal(
                "a restore of the server on a file".into(),
            ));
        };
        let mut p = p.borrow_mut();
        let tx = &mut p.tx;
        let mut need_reset = Vec::new();
        let mut keep = Vec::new();
        for u in &users {
            let login = crate::pg::sync_login(tx, &u.username, &u.roles, u.active)?;
            if !login.existed {
                // A password nobody knows (the server's strong random), never
                // shown: no LOGIN until a reset sets a real one.
                let unknown: String = tx
                    .query_one(
                        "SELECT gen_random_uuid()::text || gen_random_uuid()::text",
                        &[],
                    )?
                    .get(0);
                crate::pg::set_login(tx, &u.username, &unknown, &u.roles, false)?;
                if u.active {
                    need_reset.push(u.username.clone());
                }
            }
            keep.push(login.role);
        }
        let disabled = crate::pg::disable_other_logins(tx, &keep)?;
        Ok((need_reset, disabled))
    }
}
