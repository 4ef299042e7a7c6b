//! The clinic server's backup key pair (issue 21): what seals its dumps.
//!
//! A server clinic has no SQLCipher data key, and its nightly dump is made
//! unattended on the server PC by the setup account, which must not hold
//! anything that reads the dumps. So dumps are sealed to a public key
//! (dermis-store's seal.rs): the public half lies on the server in the
//! clear (`dump_keys`, PostgreSQL migration 0011), the private half only
//! wrapped, as the audit key of migration 0008 is (keywrap.rs: Argon2id +
//! XChaCha20-Poly1305): once per admin under their password (the user name
//! bound in), and once under a **backup recovery key** shown exactly once
//! to the admin who made the pair.
//!
//! How a server clinic gets its pair: an admin runs `dermis server-backup-key`
//! (it signs them in; the pair is made if the server has none, and the
//! recovery key printed once). Until then every server backup is refused
//! with that sentence: no dump is ever written in plaintext. Another admin
//! gets their own wrap from the same command given the recovery key
//! (`DERMIS_RECOVERY_KEY`); an admin who changes their password has their
//! wrap re-made under the new one.
//!
//! Who holds a copy follows who is an admin (session 9):
//! - an admin creating another admin account on the server hands them a
//!   copy in the same transaction (the creator's own copy opened with the
//!   password their PC signed them in with); a creator without a copy
//!   creates an admin without one (see `dump_wrap_for_new_admin`);
//! - a deactivated account's copy, and the copy of an account whose password
//!   another admin resets, are removed in the transaction that does it, and
//!   its audit entry says `"backup_key_copy_removed": true`;
//! - the recovery key's copy is never removed, and an admin cannot
//!   deactivate themselves: the key never ends with nobody able to open it.
//! - Dermis has no way to change an account's roles (an account is created
//!   with its roles and only ever deactivated), so there is no demotion to
//!   handle; whoever adds one must drop the wrap there too.
//!
//! A restore (or an inspection) of a sealed dump opens the private key with
//! the signed-in admin's password or with the recovery key.

use crate::audit_key::{hex, unhex};
use crate::keys::{parse_recovery, RecoveryKey};
use crate::{keywrap, Action, Actor, Clinic, ClinicError, Result};
use dermis_core::validate;
use serde::Serialize;
use zeroize::Zeroizing;

/// What opens the backup private key.
pub enum DumpUnlock<'a> {
    /// The signed-in admin's own password (their wrap).
    Password(&'a str),
    /// The backup recovery key shown when the pair was made.
    Recovery(&'a str),
}

/// What [`Clinic::ensure_dump_key`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DumpKeyOutcome {
    /// True when the pair was made now.
    pub made: bool,
    /// The recovery key, shown this once (only when `made`).
    pub recovery_key: Option<String>,
    /// True when the signed-in admin now holds a wrap of the private key.
    pub wrapped_for_you: bool,
    /// The public key's fingerprint (first 8 bytes of its hex), to tell pairs apart.
    pub fingerprint: String,
}

const NO_PAIR: &str = "The clinic server has no backup key yet, and its backups are sealed to \
     one: an admin makes it once with `dermis server-backup-key` (which shows the backup \
     recovery key to keep in the clinic's safe).";

fn recovery_password(raw: &[u8]) -> String {
    hex(raw)
}

impl Clinic {
    /// The server's backup public key; refused plainly when it has none yet.
    pub(crate) fn dump_recipient(&self) -> Result<[u8; 32]> {
        let Some(public) = self.store()?.read(|tx| tx.dump_key("public", ""))? else {
            return Err(ClinicError::validation("backup", NO_PAIR));
        };
        unhex(&public)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                ClinicError::Io("The clinic server's backup public key is not a key.".into())
            })
    }

    /// The fingerprint of the backup public key of the clinic server at
    /// `url` (as [`DumpKeyOutcome::fingerprint`]), `None` while it has none,
    /// read as the server's setup user (who owns `dump_keys`; `password`
    /// as for [`crate::ServerLogin::Setup`]). Nothing secret and nothing
    /// written: what `dermis server-backup-key` checks first, so running it
    /// again on a server that has its key says so without an admin signing in.
    pub fn server_backup_key_fingerprint(
        url: &str,
        setup_password: Option<&str>,
    ) -> Result<Option<String>> {
        let mut store = dermis_store::Store::open_pg(url, setup_password)?;
        let public = store.read(|tx| tx.dump_key("public", ""))?;
        Ok(public.map(|p| p.chars().take(16).collect()))
    }

    /// Makes the clinic server's backup key pair if it has none (admin
    /// only; `password` is the signed-in admin's own, which wraps the
    /// private key for them). With `recovery` (the backup recovery key) on
    /// a server that has a pair, gives this admin their own wrap.
    pub fn ensure_dump_key(
        &self,
        actor: &Actor,
        password: &str,
        recovery: Option<&str>,
    ) -> Result<DumpKeyOutcome> {
        self.allow(actor, Action::Backup)?;
        if !self.store()?.is_server() {
            return Err(ClinicError::validation(
                "db",
                "The backup key pair is the clinic server's; a single PC's backups are \
                 encrypted with its own data key.",
            ));
        }
        let me = validate::fold_username(&actor.username);
        let now = self.now();
        if let Ok(public) = self.dump_recipient() {
            let mut wrapped = self
                .store()?
                .read(|tx| tx.dump_key("admin", &me))?
                .is_some();
            if let Some(typed) = recovery {
                let secret = self.dump_secret(actor, &DumpUnlock::Recovery(typed))?;
                let wrap = keywrap::wrap(secret.as_ref(), &me, password)?;
                self.store()?
                    .write(|tx| tx.set_dump_key_wrap(&me, &wrap, &now))?;
                self.audit(actor, "backup_key.wrapped", "database", "", "{}")?;
                wrapped = true;
            }
            return Ok(DumpKeyOutcome {
                made: false,
                recovery_key: None,
                wrapped_for_you: wrapped,
                fingerprint: hex(&public)[..16].to_string(),
            });
        }
        let (secret, public) = dermis_store::new_dump_key_pair();
        let (recovery_key, raw) = RecoveryKey::generate();
        let mine = keywrap::wrap(secret.as_ref(), &me, password)?;
        let theirs = keywrap::wrap(secret.as_ref(), "recovery", &recovery_password(&raw))?;
        let made = self.store()?.write(|tx| {
            tx.create_dump_keys(
                &hex(&public),
                &[("admin", &me, &mine), ("recovery", "", &theirs)],
                &now,
            )
        })?;
        if !made {
            // Another admin made one meanwhile: theirs stands.
            return Err(ClinicError::Conflict(
                "Another admin made the clinic server's backup key just now; ask them for \
                 its recovery key."
                    .into(),
            ));
        }
        self.audit(
            actor,
            "backup_key.created",
            "database",
            "",
            &serde_json::json!({ "fingerprint": hex(&public)[..16] }).to_string(),
        )?;
        Ok(DumpKeyOutcome {
            made: true,
            recovery_key: Some(recovery_key.as_str().to_string()),
            wrapped_for_you: true,
            fingerprint: hex(&public)[..16].to_string(),
        })
    }

    /// The backup private key, opened with `unlock`; checked against the
    /// server's public key.
    pub(crate) fn dump_secret(
        &self,
        actor: &Actor,
        unlock: &DumpUnlock,
    ) -> Result<Zeroizing<[u8; 32]>> {
        self.allow(actor, Action::Backup)?;
        let public = self.dump_recipient()?;
        let opened = match unlock {
            DumpUnlock::Password(password) => {
                let me = validate::fold_username(&actor.username);
                let Some(wrap) = self.store()?.read(|tx| tx.dump_key("admin", &me))? else {
                    return Err(ClinicError::Forbidden(format!(
                        "{} holds no copy of the clinic server's backup key: open the backup with \
                         its recovery key (DERMIS_RECOVERY_KEY), or run `dermis server-backup-key` \
                         with it once to get your own copy.",
                        actor.username
                    )));
                };
                keywrap::unwrap(&wrap, &me, password)?.ok_or_else(|| {
                    ClinicError::Forbidden(
                        "Your password does not open the clinic server's backup key.".into(),
                    )
                })?
            }
            DumpUnlock::Recovery(typed) => {
                let wrong = || {
                    ClinicError::Forbidden(
                        "That is not the clinic server's backup recovery key.".into(),
                    )
                };
                let raw = parse_recovery(typed).ok_or_else(wrong)?;
                let Some(wrap) = self.store()?.read(|tx| tx.dump_key("recovery", ""))? else {
                    return Err(wrong());
                };
                keywrap::unwrap(&wrap, "recovery", &recovery_password(&raw))?.ok_or_else(wrong)?
            }
        };
        let opened = Zeroizing::new(opened);
        let secret: [u8; 32] = opened
            .as_slice()
            .try_into()
            .map_err(|_| ClinicError::Io("The stored backup key is not a key.".into()))?;
        let secret = Zeroizing::new(secret);
        if dermis_store::dump_public_of(&secret) != public {
            return Err(ClinicError::Io(
                "The stored backup key does not match the server's public key.".into(),
            ));
        }
        Ok(secret)
    }

    /// The wrap of the backup private key for `username`, an admin being
    /// created now with `password`, when the creating admin can open it:
    /// on the clinic server, with a pair, the creating admin holding a copy
    /// under the password this PC signed them in with (the store keeps it
    /// for the server's tools). `None` otherwise: the new admin then has no
    /// copy, and restoring a sealed dump with their password is refused
    /// with "holds no copy … recovery key" until `dermis server-backup-key`
    /// with the recovery key gives them one.
    pub(crate) fn dump_wrap_for_new_admin(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
    ) -> Result<Option<String>> {
        // (Admins both manage users and back up; should the two ever part,
        // a creator who may not open the key hands out no copy, and no
        // refusal is audited for a step they did not ask for.)
        if actor.require(Action::Backup).is_err() {
            return Ok(None);
        }
        let store = self.store()?;
        if !store.is_server() {
            return Ok(None);
        }
        let Some(mine) = store.own_login_password(&actor.username) else {
            return Ok(None);
        };
        drop(store);
        if self.dump_recipient().is_err() {
            return Ok(None);
        }
        let me = validate::fold_username(&actor.username);
        if self
            .store()?
            .read(|tx| tx.dump_key("admin", &me))?
            .is_none()
        {
            return Ok(None);
        }
        let secret = match self.dump_secret(actor, &DumpUnlock::Password(&mine)) {
            Ok(secret) => secret,
            // Their copy does not open with that password (an older wrap):
            // the new admin goes without, as when the creator holds none.
            Err(ClinicError::Forbidden(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let them = validate::fold_username(username);
        Ok(Some(keywrap::wrap(secret.as_ref(), &them, password)?))
    }

    /// Re-wraps the signed-in admin's copy of the backup key under their
    /// new password (a password change on the server; nothing when they
    /// hold none or the server has no pair).
    pub(crate) fn rewrap_dump_key(&self, actor: &Actor, old: &str, new: &str) -> Result<()> {
        let me = validate::fold_username(&actor.username);
        let Some(wrap) = self.store()?.read(|tx| tx.dump_key("admin", &me))? else {
            return Ok(());
        };
        if let Some(secret) = keywrap::unwrap(&wrap, &me, old)? {
            let secret = Zeroizing::new(secret);
            let wrap = keywrap::wrap(&secret, &me, new)?;
            let now = self.now();
            self.store()?
                .write(|tx| tx.set_dump_key_wrap(&me, &wrap, &now))?;
        }
        Ok(())
    }
}
