//! The clinic on the clinic server (PostgreSQL): opening it with a person's
//! own credentials, and moving a single-PC clinic file onto it.
//!
//! **Who connects.** A PC connects as the signed-in Dermis user's own
//! PostgreSQL login role (`<database>_<user>`, see dermis-store's `pg.rs`),
//! with their Dermis password: the engine's grants are that person's, so no
//! PC keeps a credential that reads everything. Only `init` and `copy`
//! connect as the URL's own user (the setup user, who creates the schema,
//! the group roles and the grants). The Dermis sign-in ([`Clinic::login`])
//! still runs after the connection, so the app's permission checks and
//! audit entries are the same as on a file. A wrong password is refused by
//! the server before that; the lockout still counts it, through the clinic's
//! sign-in gate (see `connect_counted`), so it holds across PCs.
//!
//! **Login roles follow the accounts**, in the same transaction as the
//! account change (role changes are transactional on PostgreSQL): the first
//! admin at `setup` and every `create_user` get a login role with the same
//! password, `reset_password`/`change_password` change it, and
//! `deactivate_user` takes its LOGIN away.
//!
//! **The audit key and anchor** (see [`crate::audit_key`]) cannot sit beside
//! a file here. They live on each PC in the OS data folder, in
//! `<data dir>/org.dermis.app/servers/<host>_<port>_<database>/` as
//! `audit-key` and `audit-anchor` (0600, the folder 0700), named after the
//! server and database and not after the user, so every user of one PC
//! shares them. They are created when the clinic is set up on the server
//! (`init`: the log is still empty) and written by `copy` (the copied chain
//! is signed with the clinic file's key, which the server then keeps using).
//! A PC that reaches a server whose log is not empty without holding the key
//! is refused rather than given a new key (a new key would make the whole
//! existing chain read as forged). **Handing the key to the other PCs when
//! they join the server is issue 16's job**; until then the folder above must
//! be copied by hand from the PC that ran `init` or `copy`. Each PC's anchor
//! follows the log forward as it writes; entries other PCs added since are
//! not a break (the log only has to reach the anchor).

use crate::audit_key::{self, AnchorPlace};
use crate::dump_key::DumpUnlock;
use crate::{Action, Actor, BackupSummary, Clinic, ClinicError, Result, SystemClock};
use dermis_core::validate;
use dermis_store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whose credentials a PC connects to the clinic server with.
#[derive(Debug, Clone, Copy)]
pub enum ServerLogin<'a> {
    /// A Dermis user's own login role, with their Dermis password.
    User {
        username: &'a str,
        password: &'a str,
    },
    /// The URL's own user (the setup user: `init`, `copy`), with its
    /// password when the URL carries none.
    Setup { password: Option<&'a str> },
}

/// What a PC sees of a clinic server before joining it: the SHA-256
/// fingerprint of its TLS certificate (a handshake only, no sign-in), for
/// the admin to compare with the one the server's set-up printed, and the
/// address with that fingerprint pinned (see dermis-store's `tls`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServerCertificate {
    pub fingerprint: String,
    pub address: String,
}

/// Reads the certificate of the clinic server at `url` (see [`ServerCertificate`]).
pub fn server_certificate(url: &str) -> Result<ServerCertificate> {
    let fingerprint = dermis_store::tls::probe(url)?;
    Ok(ServerCertificate {
        fingerprint: fingerprint.to_string(),
        address: dermis_store::tls::with_pin(url, fingerprint)?,
    })
}

/// Where this PC keeps the audit key and anchor of the clinic server at
/// `url` (see the module doc); `None` when the OS has no data folder.
pub fn server_keys_dir(url: &str) -> Result<Option<PathBuf>> {
    let id = dermis_store::server_id(url)?;
    Ok(dirs::data_dir().map(|d| d.join(crate::APP_IDENTIFIER).join("servers").join(id)))
}

const KEY_FILE: &str = "audit-key";
const ANCHOR_FILE: &str = "audit-anchor";

/// What moving a clinic file onto the server did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerCopy {
    /// (table, rows in the file, rows on the server)
    pub tables: Vec<(String, i64, i64)>,
    pub source_audit_entries: i64,
    pub target_audit_entries: i64,
    pub source_audit_head: String,
    pub target_audit_head: String,
    /// Every table and the audit head agree.
    pub counts_match: bool,
    /// The copied audit chain verifies under the clinic's key on the server.
    pub chain_intact: bool,
    /// The signed-in admin who ran the copy: their login role has their password.
    pub ready: Vec<String>,
    /// Active accounts whose password the copy could not know: their login
    /// role exists without the right to log in until an admin resets their password.
    pub need_password_reset: Vec<String>,
}

impl Clinic {
    /// The clinic server's URL when this clinic is on one (as given: it
    /// carries no password in normal use).
    pub fn server_url(&self) -> Option<String> {
        self.store().ok()?.server_url().map(str::to_string)
    }

    /// On the clinic server: the PostgreSQL login role of Dermis user
    /// `username` (`<database>_<user>`); `None` on a file.
    pub fn server_login_role(&self, username: &str) -> Option<String> {
        let store = self.store().ok()?;
        let db = dermis_store::server_database(store.server_url()?).ok()?;
        Some(dermis_store::login_role(&db, username))
    }

    /// Opens `target`: a `postgresql://` or `postgres://` URL opens the
    /// clinic server, connecting as the Dermis user in `login` (their own
    /// login role; `None`: the URL's own user, the setup user); anything else
    /// is an SQLite file path, opened as [`Clinic::open`] does (`login` is
    /// then not used: the sign-in comes after).
    pub fn open_target(target: &str, login: Option<(&str, &str)>) -> Result<Clinic> {
        if !dermis_store::is_server_url(target) {
            return Clinic::open(Path::new(target));
        }
        let login = match login {
            Some((username, password)) => ServerLogin::User { username, password },
            None => ServerLogin::Setup { password: None },
        };
        Clinic::open_server(target, login)
    }

    /// Opens the clinic server at `url` with `login`, with this PC's audit
    /// key and anchor for it in the OS data folder (see the module doc).
    pub fn open_server(url: &str, login: ServerLogin) -> Result<Clinic> {
        let dir = server_keys_dir(url)?.ok_or_else(|| {
            ClinicError::Io(
                "There is no app-data folder on this computer to keep the clinic server's audit key in."
                    .into(),
            )
        })?;
        Clinic::open_server_in(url, login, &dir)
    }

    /// [`Clinic::open_server`] with the audit key and anchor in `keys_dir` (tests).
    pub fn open_server_in(url: &str, login: ServerLogin, keys_dir: &Path) -> Result<Clinic> {
        let mut store = match login {
            ServerLogin::User { username, .. } => {
                let known = audit_key::read_key(&keys_dir.join(KEY_FILE))?;
                // Until this PC holds the server's key, it counts wrong
                // passwords itself (the server's count needs the key): the
                // app's sign-in and every CLI command alike.
                let unkeyed = holds_no_key(keys_dir);
                if unkeyed {
                    check_unkeyed(keys_dir, username)?;
                }
                match connect_counted(
                    url,
                    login,
                    &validate::fold_username(username),
                    known.as_deref(),
                ) {
                    Ok(store) => store,
                    Err(e) => {
                        if unkeyed && e.code() == crate::ErrorCode::Forbidden {
                            count_unkeyed(keys_dir, username)?;
                        }
                        return Err(e);
                    }
                }
            }
            ServerLogin::Setup { .. } => connect(url, login)?,
        };
        dermis_store::create_private_dir(keys_dir)?;
        let key_file = keys_dir.join(KEY_FILE);
        let (key, existed) = match audit_key::read_key(&key_file)? {
            Some(k) => (k, true),
            None => {
                let (entries, _) = store.audit_head()?;
                if entries > 0 {
                    // Joining: the key comes wrapped under this person's own
                    // password (migration 0008); a PC that signs someone in
                    // keeps it from then on.
                    let k = match login {
                        ServerLogin::User { username, password } => {
                            unwrap_own_key(&mut store, username, password)?
                        }
                        ServerLogin::Setup { .. } => None,
                    };
                    let Some(k) = k else {
                        return Err(ClinicError::Io(format!(
                            "This computer does not hold the audit key of the clinic server {} ({entries} audit entries), \
                             and the server holds none for this account yet. Sign in once on a computer that already \
                             works with the server (or ask an admin to reset your password there), then try again.",
                            dermis_store::redact_url(url),
                        )));
                    };
                    audit_key::write_key(&key_file, &k)?;
                    // A PC that joins has no anchor yet: it anchors at the
                    // head it finds (the chain itself is checked under the key).
                    (k, false)
                } else {
                    let k = audit_key::new_key();
                    audit_key::write_key(&key_file, &k)?;
                    (k, false)
                }
            }
        };
        let anchor = AnchorPlace::File(keys_dir.join(ANCHOR_FILE));
        let setup = matches!(login, ServerLogin::Setup { .. });
        let clinic = Clinic::assemble(store, Arc::new(SystemClock), key, anchor, existed)?;
        // A person signing in on a PC that holds the key, without a wrapped
        // key of their own on the server yet (accounts copied from a file,
        // servers set up before migration 0008): they get one now, so any
        // other PC they sign in on can join.
        if let ServerLogin::User { username, password } = login {
            if clinic.store()?.read(|tx| tx.my_key_wrap())?.is_none() {
                if let Some(w) = clinic.key_wrap_for(username, password)? {
                    let now = clinic.now();
                    clinic.store()?.write(|tx| tx.set_my_key_wrap(&w, &now))?;
                }
            }
        }
        // A clinic set up by an earlier build gets its gate when its setup
        // user next opens it (the gate's password needs the key, held here).
        if setup && clinic.store()?.read(|tx| tx.clinic())?.is_some() {
            if let Err(e) = clinic.open_sign_in_gate() {
                tracing::warn!("the sign-in gate of the clinic server could not be set: {e}");
            }
        }
        Ok(clinic)
    }

    /// Another connection to this clinic's server as Dermis user `username`
    /// with their own `password` (their login role), sharing this one's audit
    /// key and anchor: another person at the same PC, whose grants are
    /// theirs. The role matrix test runs each role this way.
    pub fn reconnect_as(&self, username: &str, password: &str) -> Result<Clinic> {
        let url = self.server_url().ok_or_else(|| {
            ClinicError::validation("db", "This clinic is not on a clinic server.")
        })?;
        let store = connect(url.as_str(), ServerLogin::User { username, password })?;
        Clinic::assemble(
            store,
            self.clock.clone(),
            self.key()?,
            self.anchor.clone(),
            true,
        )
    }

    /// Lets the clinic server's sign-in gate log in, with the password this
    /// clinic's key gives it (see [`gate_password`]). Needs the setup user.
    pub(crate) fn open_sign_in_gate(&self) -> Result<()> {
        let Some(url) = self.server_url() else {
            return Ok(());
        };
        let password = gate_password(&self.key()?, &url)?;
        self.store()?.set_server_gate(&password)?;
        Ok(())
    }

    /// Moves this clinic (an SQLite file) onto the empty clinic server at
    /// `url`, connecting as the URL's setup user with `setup_password`
    /// (admin only). Creates the group roles and grants, copies every table
    /// (dermis-store refuses a target that already holds a clinic), gives
    /// the server this clinic's audit key and an anchor in `keys_dir`, then
    /// opens the server with them and walks the copied chain.
    ///
    /// Login roles: the passwords of the accounts are not in the file (only
    /// their hashes), so each account's login role is made without the
    /// right to log in, except the signed-in `actor`'s, whose password
    /// (`actor_password`, checked again here) is known. An admin then resets
    /// the others' passwords on the server (`user reset-password`), which
    /// gives them their login; [`ServerCopy::need_password_reset`] lists them.
    pub fn copy_to_server(
        &self,
        actor: &Actor,
        actor_password: &str,
        url: &str,
        setup_password: Option<&str>,
        keys_dir: &Path,
    ) -> Result<ServerCopy> {
        self.allow(actor, Action::Backup)?;
        if self.store()?.is_server() {
            return Err(ClinicError::validation(
                "from",
                "The clinic to copy must be an SQLite clinic file.",
            ));
        }
        // The password is stored on the server below: it must be the actor's.
        self.login(&dermis_core::LoginInput {
            username: actor.username.clone(),
            password: actor_password.to_string(),
        })?;
        let mut target = connect(
            url,
            ServerLogin::Setup {
                password: setup_password,
            },
        )?;
        let report = self.store()?.copy_to_server(&mut target)?;
        target.setup_server_roles()?;
        target.set_server_gate(&gate_password(&self.key()?, url)?)?;
        let users = target.read(|tx| tx.users())?;
        let mut ready = Vec::new();
        let mut need_password_reset = Vec::new();
        // The copying admin's wrapped key: any PC they join from opens with it.
        let wrap = crate::keywrap::wrap(
            &self.key()?,
            &validate::fold_username(&actor.username),
            actor_password,
        )?;
        let now = self.now();
        target.write(|tx| -> Result<()> {
            for u in &users {
                if u.id == actor.user_id {
                    tx.set_server_login(&u.username, actor_password, &u.roles, u.active)?;
                    tx.set_key_wrap(&u.username, &wrap, &now)?;
                    ready.push(u.username.clone());
                } else {
                    // A password nobody knows, never shown: the role cannot
                    // log in until a reset sets a real one.
                    let unknown = audit_key::hex(&audit_key::new_key());
                    tx.set_server_login(&u.username, &unknown, &u.roles, false)?;
                    if u.active {
                        need_password_reset.push(u.username.clone());
                    }
                }
            }
            Ok(())
        })?;
        drop(target);
        dermis_store::create_private_dir(keys_dir)?;
        let key = self.key()?;
        audit_key::write_key(&keys_dir.join(KEY_FILE), &key)?;
        AnchorPlace::File(keys_dir.join(ANCHOR_FILE)).write(audit_key::Anchor::new(
            &key,
            report.target_audit.0,
            &report.target_audit.1,
        ))?;
        let on_server = Clinic::open_server_in(
            url,
            ServerLogin::Setup {
                password: setup_password,
            },
            keys_dir,
        )?;
        let verdict = on_server.audit_verdict()?;
        Ok(ServerCopy {
            counts_match: report.matches(),
            chain_intact: verdict.intact && verdict.entries == report.source_audit.0,
            tables: report.tables,
            source_audit_entries: report.source_audit.0,
            target_audit_entries: report.target_audit.0,
            source_audit_head: report.source_audit.1,
            target_audit_head: report.target_audit.1,
            ready,
            need_password_reset,
        })
    }
}

/// What restoring the clinic server did (see [`Clinic::restore_server`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerRestoreSummary {
    /// What the restored backup held.
    pub restored: BackupSummary,
    /// The verified backup of the data as it was, taken first.
    pub kept: BackupSummary,
    /// Restored accounts with no login role on the server: an admin resets
    /// their password before they can sign in.
    pub need_password_reset: Vec<String>,
    /// Login roles of accounts the backup does not hold, now unable to log in.
    pub disabled_logins: Vec<String>,
}

/// A checked server backup as the app shows any backup.
pub(crate) fn summary(i: dermis_store::ServerBackupInfo) -> BackupSummary {
    let rows = |t: &str| i.tables.iter().find(|x| x.0 == t).map_or(0, |x| x.1);
    BackupSummary {
        path: i.path.display().to_string(),
        schema_version: i.schema_version,
        patients: rows("patients"),
        sessions: rows("session_records"),
        bytes: std::fs::metadata(&i.path).map_or(0, |m| m.len()),
        photos: rows("photos"),
        photos_missing: 0,
    }
}

impl Clinic {
    /// The server half of [`Clinic::backup`]: a `pg_dump` with this PC's
    /// connection's own credentials, verified by a scratch restore (an
    /// admin's login role may create the scratch database), recorded as the
    /// last good backup. No key file is written beside it: a server backup is
    /// restored onto the server whose key this PC holds.
    ///
    /// The dump is sealed to the server's backup public key (dump_key.rs):
    /// no key pair yet, no backup (never a plaintext dump).
    pub(crate) fn write_server_backup(&self, dest: &Path) -> Result<BackupSummary> {
        let recipient = self.dump_recipient()?;
        let info = self.store()?.backup_server(dest, None, &recipient)?;
        let (entries, head) = info.audit.clone();
        let summary = summary(info);
        let record = serde_json::json!({
            "at": self.now(), "path": summary.path, "patients": summary.patients,
            "audit_entries": entries, "audit_head": head,
        });
        self.store()?.write(|tx| tx.record_backup(&record))?;
        Ok(summary)
    }

    /// The clinic server's scheduled backup (issue 16), run on the server PC
    /// by the nightly timer `scripts/clinic-server.sh` installs, as the setup
    /// user: a verified dump into `dir` named `dermis-server-<stamp>.dump`,
    /// then only the newest `keep` such dumps are kept (a dump that failed
    /// its check never takes that name, so it never pushes out a good one).
    /// Recorded as the last good backup, so every PC's Settings shows when
    /// the server was last backed up, and audited as `backup.scheduled`.
    pub fn scheduled_server_backup(&self, dir: &Path, keep: usize) -> Result<BackupSummary> {
        if !self.store()?.is_server() {
            return Err(ClinicError::validation(
                "db",
                "The scheduled server backup runs on the clinic server; a single PC makes its \
                 own daily backup when the app starts.",
            ));
        }
        make_private_dir(dir)?;
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S");
        let dest = dir.join(format!("dermis-server-{stamp}.dump"));
        let summary = self.write_server_backup(&dest)?;
        make_private_file(&dest)?;
        prune_server_dumps(dir, keep.max(1))?;
        let detail =
            serde_json::json!({ "patients": summary.patients, "bytes": summary.bytes }).to_string();
        self.audit_unsigned(None, "dermis", "backup.scheduled", "database", &detail)?;
        Ok(summary)
    }

    /// Replaces everything on the clinic server with the backup `file`
    /// (admin only; the engine side needs the setup user, named in the
    /// clinic's URL, with `setup_password`: see dermis-store's
    /// `restore_server`). The file is refused like an SQLite backup (not a
    /// dump, damaged, not Dermis's, newer, another clinic's: its chain must
    /// verify under this clinic's key); the data as it was is first kept as
    /// a verified dump in this PC's folder for the server. The `restore`
    /// entry goes into the restored log in the same transaction; a refusal
    /// leaves a `restore.refused` entry.
    ///
    /// A sealed dump is opened with `unlock` (the admin's own password or
    /// the backup recovery key); the kept copy is sealed like any dump. A
    /// plaintext dump from before dumps were sealed still restores.
    pub fn restore_server(
        &self,
        actor: &Actor,
        file: &Path,
        setup_password: Option<&str>,
        unlock: &DumpUnlock,
    ) -> Result<ServerRestoreSummary> {
        self.allow(actor, Action::Backup)?;
        let url = self
            .store()?
            .server_url()
            .map(str::to_string)
            .ok_or_else(|| {
                ClinicError::validation("db", "This clinic is not on a clinic server.")
            })?;
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S");
        let keep_dir = match &self.anchor {
            AnchorPlace::File(p) => p.parent().map(Path::to_path_buf),
            AnchorPlace::Memory(_) => None,
        }
        .unwrap_or_else(std::env::temp_dir);
        let keep = keep_dir.join(format!("before-restore-{stamp}.dump"));
        let now = self.now();
        let key = self.key()?;
        let outcome = (|| -> Result<ServerRestoreSummary> {
            // A wrong password or recovery key is a refusal like any other (audited below).
            let recipient = self.dump_recipient()?;
            let secret = if sealed(file)? {
                Some(self.dump_secret(actor, unlock)?)
            } else {
                None
            };
            let mut target = Store::open_pg(&url, setup_password)?;
            let r = target.restore_server(
                file,
                setup_password,
                &[key],
                dermis_store::SealKeys {
                    open_with: secret.as_deref(),
                    seal_to: &recipient,
                },
                &keep,
                |facts| {
                dermis_store::AuditEntry {
                    at: now.clone(),
                    // The restored accounts are not necessarily today's: no user id.
                    user_id: None,
                    username: actor.username.clone(),
                    action: "restore".into(),
                    entity: "database".into(),
                    entity_id: String::new(),
                    detail: serde_json::json!({
                        "backup": file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                        "audit_head": facts.audit.1,
                        "audit_entries": facts.audit.0,
                        "patients": facts.patients(),
                        "kept": keep.display().to_string(),
                    })
                    .to_string(),
                }
            },
            )?;
            Ok(ServerRestoreSummary {
                restored: summary(r.info),
                kept: summary(r.kept),
                need_password_reset: r.need_password_reset,
                disabled_logins: r.disabled,
            })
        })();
        match outcome {
            Ok(s) => {
                // The anchor follows the restored log (its restore entry included).
                self.reanchor()?;
                Ok(s)
            }
            Err(err) => {
                let detail = serde_json::json!({
                    "backup": file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                    "reason": err.to_string(),
                })
                .to_string();
                self.audit(actor, "restore.refused", "database", "", &detail)?;
                Err(err)
            }
        }
    }
}

/// True when `file` is a sealed dump (its first bytes); a file that cannot
/// be read is reported as such.
fn sealed(file: &Path) -> Result<bool> {
    use std::io::Read;
    let mut first = Vec::with_capacity(16);
    std::fs::File::open(file)
        .and_then(|f| f.take(16).read_to_end(&mut first))
        .map_err(|e| ClinicError::Io(format!("{}: {e}", file.display())))?;
    Ok(dermis_store::is_sealed(&first))
}

impl Clinic {
    /// What a clinic-server backup holds, after restoring it into a scratch
    /// database (admin only): a sealed dump opened with `unlock`, its audit
    /// chain verified under this clinic's key.
    pub fn inspect_server_dump(
        &self,
        actor: &Actor,
        file: &Path,
        unlock: &DumpUnlock,
    ) -> Result<BackupSummary> {
        self.allow(actor, Action::Backup)?;
        let secret = if sealed(file)? {
            Some(self.dump_secret(actor, unlock)?)
        } else {
            None
        };
        let info = self
            .store()?
            .inspect_server_backup(file, &[self.key()?], secret.as_deref())?;
        Ok(summary(info))
    }
}

/// The sign-in gate's password for the clinic server at `url`: a keyed hash
/// of the database's name under the clinic's audit key, so every PC that
/// holds the key (and no other) reaches the gate, and nobody types or stores it.
fn gate_password(key: &[u8], url: &str) -> Result<String> {
    use hmac::Mac;
    let db = dermis_store::server_database(url)?;
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key)
        .map_err(|e| ClinicError::Internal(e.to_string()))?;
    m.update(b"dermis-sign-in-gate\n");
    m.update(db.as_bytes());
    Ok(audit_key::hex(&m.finalize().into_bytes()))
}

/// Connects as a Dermis user with the sign-in lockout held across PCs: a
/// user name with [`crate::MAX_FAILED_LOGINS`] wrong passwords in the last
/// [`crate::LOGIN_WINDOW_MINUTES`] minutes is refused before its password is
/// tried, and a password the server refuses is recorded, both through the
/// clinic's sign-in gate (dermis-store's `SignInGate`). A PC without the
/// key, or a server without a gate yet, connects as before.
fn connect_counted(
    url: &str,
    login: ServerLogin,
    folded: &str,
    key: Option<&[u8]>,
) -> Result<Store> {
    let mut gate = match key {
        Some(k) => dermis_store::SignInGate::open(url, &gate_password(k, url)?).ok(),
        None => None,
    };
    let now = chrono::Utc::now();
    if let Some(g) = gate.as_mut() {
        let since = (now - chrono::Duration::minutes(crate::LOGIN_WINDOW_MINUTES))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        if g.failures(folded, &since)? >= crate::MAX_FAILED_LOGINS {
            return Err(crate::locked_out());
        }
    }
    match connect(url, login) {
        Err(e) if e.code() == crate::ErrorCode::Forbidden => {
            if let Some(g) = gate.as_mut() {
                g.failed(
                    folded,
                    &now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                )?;
            }
            Err(e)
        }
        other => other,
    }
}

fn connect(url: &str, login: ServerLogin) -> Result<Store> {
    Ok(match login {
        ServerLogin::User { username, password } => {
            Store::open_pg_user(url, &validate::fold_username(username), password)?
        }
        ServerLogin::Setup { password } => Store::open_pg(url, password)?,
    })
}

/// Removes all but the newest `keep` scheduled dumps in `dir` (their names
/// carry a sortable timestamp; nothing else in the folder is touched).
fn prune_server_dumps(dir: &Path, keep: usize) -> Result<usize> {
    let mut dumps: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ClinicError::Io(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("dermis-server-") && n.ends_with(".dump"))
        })
        .collect();
    dumps.sort();
    let remove = dumps.len().saturating_sub(keep);
    for p in &dumps[..remove] {
        std::fs::remove_file(p).map_err(|e| ClinicError::Io(format!("{}: {e}", p.display())))?;
    }
    Ok(remove)
}

/// Creates `dir` if needed; a folder made here is readable by its owner
/// only (it will hold every patient's record).
fn make_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| {
        ClinicError::Io(format!(
            "The backup folder {} cannot be made: {e}.",
            dir.display()
        ))
    })
}

/// Makes the dump `file` readable by its owner only (pg_dump writes it with the umask's mode).
fn make_private_file(file: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| ClinicError::Io(format!("{}: {e}", file.display())))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// This person's audit key from their wrap on the server; `None` when the
/// server holds no wrap for them. A wrap their password does not open is
/// refused plainly (the server already accepted that password, so the wrap
/// is stale or not theirs).
fn unwrap_own_key(store: &mut Store, username: &str, password: &str) -> Result<Option<Vec<u8>>> {
    let Some(wrap) = store.read(|tx| tx.my_key_wrap())? else {
        return Ok(None);
    };
    match crate::keywrap::unwrap(&wrap, &validate::fold_username(username), password)? {
        Some(k) if k.len() == 32 => Ok(Some(k)),
        _ => Err(ClinicError::Io(
            "The audit key the clinic server holds for this account does not open with its \
             password. Ask an admin to reset your password on a computer that already works \
             with the server."
                .into(),
        )),
    }
}

/// Wrong passwords on a PC that has joined the server but does not hold
/// its audit key yet (nobody has signed in on it): the server's own count
/// (its sign-in gate) needs that key, so until then this PC counts them
/// itself, in its folder for the server, and refuses a name after
/// [`crate::MAX_FAILED_LOGINS`] in [`crate::LOGIN_WINDOW_MINUTES`] minutes as
/// the gate would. Names are kept only as a hash. Once the key is here the
/// gate counts (across PCs) and this file is no longer read.
const UNKEYED_FILE: &str = "sign-in-failures";
const UNKEYED_MAX_BYTES: u64 = 256 * 1024;
const UNKEYED_MAX_ENTRIES: usize = 1000;

#[derive(Debug, Default, Serialize, serde::Deserialize)]
struct Unkeyed {
    failures: Vec<(String, String)>,
}

fn unkeyed_name(folded: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(format!("dermis-unkeyed-sign-in\n{folded}").as_bytes());
    d.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn read_unkeyed(keys_dir: &Path) -> Unkeyed {
    let Ok(f) = std::fs::File::open(keys_dir.join(UNKEYED_FILE)) else {
        return Unkeyed::default();
    };
    let mut text = Vec::new();
    if std::io::Read::read_to_end(&mut std::io::Read::take(f, UNKEYED_MAX_BYTES), &mut text)
        .is_err()
    {
        return Unkeyed::default();
    }
    serde_json::from_slice(&text).unwrap_or_default()
}

/// True when this PC holds no audit key for the server yet (see [`UNKEYED_FILE`]).
fn holds_no_key(keys_dir: &Path) -> bool {
    !keys_dir.join(KEY_FILE).exists()
}

/// Refuses `username` while this PC's own count has it locked out.
fn check_unkeyed(keys_dir: &Path, username: &str) -> Result<()> {
    let name = unkeyed_name(&validate::fold_username(username));
    let since = (chrono::Utc::now() - chrono::Duration::minutes(crate::LOGIN_WINDOW_MINUTES))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let recent = read_unkeyed(keys_dir)
        .failures
        .iter()
        .filter(|(n, at)| *n == name && *at >= since)
        .count() as i64;
    if recent >= crate::MAX_FAILED_LOGINS {
        return Err(crate::locked_out());
    }
    Ok(())
}

/// Counts one wrong password for `username` on this PC (see [`UNKEYED_FILE`]).
fn count_unkeyed(keys_dir: &Path, username: &str) -> Result<()> {
    let mut all = read_unkeyed(keys_dir);
    all.failures.push((
        unkeyed_name(&validate::fold_username(username)),
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    ));
    let excess = all.failures.len().saturating_sub(UNKEYED_MAX_ENTRIES);
    all.failures.drain(..excess);
    dermis_store::create_private_dir(keys_dir)?;
    let path = keys_dir.join(UNKEYED_FILE);
    let text = serde_json::to_vec(&all).map_err(|e| ClinicError::Internal(e.to_string()))?;
    crate::export::write_file(&path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nightly run keeps the newest `keep` dumps (their names sort by
    /// time) and touches nothing else in the folder, however it is named.
    #[test]
    fn pruning_keeps_the_newest_dumps_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "dermis-server-20261128-020000.dump",
            "dermis-server-20261130-020000.dump",
            "dermis-server-20261129-020000.dump",
            "dermis-server-20261127-020000.dump",
            "dermis-server-notes.txt",
            "clinic.dump",
            "notes.txt",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), n).unwrap();
        }
        let left = || {
            let mut v: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            v.sort();
            v
        };
        assert_eq!(prune_server_dumps(dir.path(), 2).unwrap(), 2);
        assert_eq!(
            left(),
            [
                "clinic.dump",
                "dermis-server-20261129-020000.dump",
                "dermis-server-20261130-020000.dump",
                "dermis-server-notes.txt",
                "notes.txt",
            ]
        );
        // Fewer dumps than kept: nothing goes.
        assert_eq!(prune_server_dumps(dir.path(), 5).unwrap(), 0);
        assert_eq!(left().len(), 5);
    }

    #[test]
    fn a_dump_counts_as_sealed_only_when_it_starts_with_the_seal() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        // A dump made before sealing (pg_dump's custom format): restored as it is.
        assert!(!sealed(&write("old.dump", b"PGDMP\x01\x0e\x00\x04\x08\x01\x01")).unwrap());
        assert!(!sealed(&write("empty.dump", b"")).unwrap());
        let mut s = b"DERMIS-SEALED-1\n".to_vec();
        s.extend_from_slice(&[7; 40]);
        assert!(sealed(&write("new.dump", &s)).unwrap());
        // A file that cannot be read is named, not taken for either.
        let e = sealed(&dir.path().join("gone.dump")).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Io, "{e}");
        assert!(e.to_string().contains("gone.dump"), "{e}");
    }

    #[test]
    fn each_clinic_server_has_its_own_keys_folder_in_the_data_folder() {
        let a = server_keys_dir("postgresql://rita:pw@10.0.0.5:5432/dermis")
            .unwrap()
            .expect("a data folder");
        let base = dirs::data_dir()
            .unwrap()
            .join(crate::APP_IDENTIFIER)
            .join("servers");
        assert!(a.starts_with(&base), "{}", a.display());
        assert_ne!(a, base);
        // The same server whoever signs in; another server elsewhere.
        let same = server_keys_dir("postgresql://owner:other@10.0.0.5:5432/dermis").unwrap();
        assert_eq!(same, Some(a.clone()));
        let other = server_keys_dir("postgresql://rita:pw@10.0.0.6:5432/dermis").unwrap();
        assert_ne!(other, Some(a));
    }

    #[test]
    fn a_pc_without_the_audit_key_locks_a_name_after_its_own_count_of_wrong_passwords() {
        // Before the PC holds the key it cannot use the server's gate: its
        // own file counts, and it must count across sign-ins.
        let dir = tempfile::tempdir().unwrap();
        for _ in 1..crate::MAX_FAILED_LOGINS {
            count_unkeyed(dir.path(), "Rita").unwrap();
        }
        check_unkeyed(dir.path(), "rita").unwrap();
        count_unkeyed(dir.path(), "rita").unwrap();
        let e = check_unkeyed(dir.path(), "RITA").unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Locked, "{e}");
        // Another name is not locked by hers.
        check_unkeyed(dir.path(), "owner").unwrap();
    }
}
