//! The app's offer to encrypt a plaintext clinic (issue 21, "Existing
//! clinics"), step by step, for a signed-in administrator on a single-PC
//! clinic:
//!
//! 1. `encryption_state`: whether the offer applies (a plaintext clinic
//!    file on this PC; never the clinic server, never an encrypted clinic).
//! 2. `encrypt_clinic`: the administrator types their password again (it
//!    wraps the new data key); the open clinic is closed and the SAME
//!    use-case as `dermis encrypt` runs ([`Clinic::encrypt_existing`]: a
//!    verified backup first, `sqlcipher_export`, counts and audit head
//!    compared, one atomic rename); the encrypted clinic is opened again with
//!    the same password and the administrator stays signed in. The recovery
//!    key is in this one reply only.
//! 3. `save_recovery_sheet`: the recovery sheet PDF, to a path the
//!    administrator chooses, while the key is not yet confirmed.
//! 4. `confirm_recovery_key`: the administrator types the key's last group;
//!    only then is the key forgotten here and may the plaintext copy go.
//! 5. `remove_plaintext_copies`: the plaintext backup made first (and older
//!    plaintext automatic backups) overwritten and removed, as
//!    `dermis encrypt --remove-plaintext` does.
//!
//! Why the key is held in memory between steps 2 and 4: the sheet and the
//! confirmation must be of the key the clinic was just encrypted with, and
//! the plaintext copy must not be removed before someone has shown they
//! kept the key (a clinic with no password left and no key is lost). The
//! key lives only in this process, is wiped (zeroize) on confirmation, and
//! is never written anywhere but the sheet the administrator asked for.
//!
//! Other PCs: a single-PC clinic has no other PCs; the other accounts of
//! this clinic cannot sign in until the administrator resets their
//! passwords (their passwords are not known here to wrap the key), which the
//! outcome lists.

use super::{poisoned, Target, Workstation};
use crate::{Action, ApiError, Clinic, ClinicError};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use ts_rs::TS;
use zeroize::Zeroize;

/// Settings → Security's encryption part, and whether the app offers to encrypt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EncryptionState {
    /// "plain" (a plaintext clinic file on this PC), "encrypted", or "server".
    pub kind: String,
    /// True when the app offers to encrypt (a plaintext clinic on this PC).
    pub offer: bool,
    /// The recovery key was shown after encrypting and not yet confirmed.
    pub key_to_confirm: bool,
    /// Plaintext copies still in the backups folder of an encrypted clinic.
    pub plaintext_copies: Vec<String>,
}

/// What encrypting did, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EncryptOutcome {
    /// Shown once: the only way in when every password is forgotten.
    pub recovery_key: String,
    /// Rows and audit head, the same before and after (checked by the use-case).
    pub patients: u32,
    pub audit_entries: u32,
    pub audit_head: String,
    pub photos_moved: u32,
    pub photos_missing: u32,
    /// The verified plaintext backup made first (removed once the key is confirmed).
    pub plaintext_backup: String,
    /// Accounts whose password must be reset before they can sign in.
    pub accounts_needing_reset: Vec<String>,
}

/// The plaintext copies removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemovedCopies {
    pub removed: Vec<String>,
}

/// The recovery key between encrypting and its confirmation.
pub(super) struct PendingKey {
    key: String,
    clinic_name: String,
    date_format: crate::core::dates::DateFormat,
}

impl Drop for PendingKey {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The last group of a recovery key as typed (spaces, dashes and case ignored).
fn last_group(key: &str) -> String {
    key.trim()
        .rsplit(['-', ' '])
        .find(|g| !g.is_empty())
        .unwrap_or("")
        .to_ascii_uppercase()
}

impl Workstation {
    /// The signed-in administrator allowed to encrypt (refused for anyone else).
    fn encrypting_admin(&self) -> Result<(Arc<Clinic>, crate::Actor), ApiError> {
        let clinic = self.clinic()?;
        let actor = self.actor()?;
        clinic.allow(&actor, Action::EncryptClinic)?;
        Ok((clinic, actor))
    }

    fn pending(&self) -> Result<std::sync::MutexGuard<'_, Option<PendingKey>>, ApiError> {
        self.pending_key.lock().map_err(|_| poisoned())
    }

    /// Whether the app offers to encrypt, and the clinic's state (admins only).
    pub(super) fn encryption_state(&self) -> Result<EncryptionState, ApiError> {
        self.encrypting_admin()?;
        let key_to_confirm = self.pending()?.is_some();
        Ok(match self.target()? {
            Target::Server { .. } => EncryptionState {
                kind: "server".into(),
                offer: false,
                key_to_confirm: false,
                plaintext_copies: vec![],
            },
            Target::File(p) if crate::keys::is_encrypted(&p) => EncryptionState {
                kind: "encrypted".into(),
                offer: false,
                key_to_confirm,
                plaintext_copies: crate::encryption::plaintext_copies(&p)
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect(),
            },
            Target::File(_) => EncryptionState {
                kind: "plain".into(),
                offer: true,
                key_to_confirm: false,
                plaintext_copies: vec![],
            },
        })
    }

    /// Encrypts this PC's plaintext clinic (see the module header).
    pub(super) fn encrypt_clinic(&self, password: &str) -> Result<EncryptOutcome, ApiError> {
        let (clinic, actor) = self.encrypting_admin()?;
        let path = match self.target()? {
            Target::Server { .. } => {
                return Err(ClinicError::Conflict(
                    "The clinic server's data is protected on the server (see the README); this PC keeps nothing to encrypt."
                        .into(),
                )
                .into())
            }
            Target::File(p) if crate::keys::is_encrypted(&p) => {
                return Err(ClinicError::Conflict("This clinic is already encrypted.".into()).into())
            }
            Target::File(p) => p,
        };
        if password.is_empty() {
            return Err(ClinicError::validation("password", "Enter your password.").into());
        }
        // (The use-case signs the administrator in with `password` before it
        // changes anything: a wrong one is refused and counted as at sign-in.)
        // The open clinic must close before the encrypted file takes its
        // name (Windows refuses to rename over an open file; its -wal must
        // be checkpointed). Something else still holding it (the daily
        // backup running) means: try again shortly.
        // The clinic opened again keeps this one's clock: the seat's idle
        // time was measured on it (a second clock would lock the admin out
        // at the next command, or never).
        let clock = clinic.clock();
        drop(clinic);
        let mut slot = self.clinic.lock().map_err(|_| poisoned())?;
        let Some(open) = slot.take() else {
            return Err(super::signed_out().into());
        };
        match Arc::try_unwrap(open) {
            Ok(c) => drop(c),
            Err(still) => {
                *slot = Some(still);
                return Err(ClinicError::Conflict(
                    "Dermis is busy with the clinic's data (the daily backup may be running). Try again in a minute; nothing was changed."
                        .into(),
                )
                .into());
            }
        }
        let done = Clinic::encrypt_existing(&path, &actor.username, password, false);
        // Reopen whatever is there now: the encrypted clinic (with the same
        // password) or, when encrypting failed, the plaintext one as before.
        let reopened: Result<(Clinic, crate::Actor), ClinicError> =
            if crate::keys::is_encrypted(&path) {
                Clinic::open_encrypted(&path, &actor.username, password)
            } else {
                Clinic::open(&path).map(|c| (c, actor.clone()))
            }
            .map(|(mut c, a)| {
                c.set_clock(clock);
                (c, a)
            });
        let report = match (done, reopened) {
            (Ok(report), Ok((c, a))) => {
                let c = Arc::new(c);
                *slot = Some(c.clone());
                drop(slot);
                self.seat.set(&c, Some(a))?;
                report
            }
            (Err(e), Ok((c, _))) => {
                let c = Arc::new(c);
                *slot = Some(c.clone());
                drop(slot);
                tracing::warn!("encrypting the clinic failed: {e}");
                return Err(e.into());
            }
            (_, Err(e)) => {
                drop(slot);
                tracing::error!("the clinic could not be opened again after encrypting: {e}");
                return Err(e.into());
            }
        };
        tracing::info!("the clinic was encrypted from the app");
        *self.pending()? = Some(PendingKey {
            key: report.recovery_key.clone(),
            clinic_name: report.clinic_name.clone(),
            date_format: report.date_format,
        });
        Ok(EncryptOutcome {
            recovery_key: report.recovery_key.clone(),
            patients: count(report.patients),
            audit_entries: count(report.audit_entries),
            audit_head: report.audit_head.clone(),
            photos_moved: count(report.photos_moved),
            photos_missing: count(report.photos_missing),
            plaintext_backup: report.plaintext_backup.display().to_string(),
            accounts_needing_reset: report.accounts_needing_reset.clone(),
        })
    }

    /// The recovery sheet PDF of the key just shown, to `path` (chosen by the administrator).
    pub(super) fn save_recovery_sheet(&self, path: &str) -> Result<(), ApiError> {
        self.encrypting_admin()?;
        let pending = self.pending()?;
        let Some(k) = pending.as_ref() else {
            return Err(ClinicError::Conflict(
                "The recovery key is shown only once, right after encrypting; its sheet can no longer be made."
                    .into(),
            )
            .into());
        };
        if path.trim().is_empty() {
            return Err(ClinicError::validation(
                "path",
                "Choose where to save the recovery sheet.",
            )
            .into());
        }
        crate::encryption::write_recovery_sheet(
            &PathBuf::from(path),
            &k.clinic_name,
            &k.key,
            k.date_format,
        )?;
        Ok(())
    }

    /// The administrator shows they kept the key by typing its last group;
    /// the key is then forgotten here.
    pub(super) fn confirm_recovery_key(&self, last: &str) -> Result<(), ApiError> {
        self.encrypting_admin()?;
        let mut pending = self.pending()?;
        let Some(k) = pending.as_ref() else {
            return Err(ClinicError::Conflict(
                "There is no recovery key waiting to be confirmed.".into(),
            )
            .into());
        };
        let typed = last_group(last);
        if typed.is_empty() || typed != last_group(&k.key) {
            return Err(ClinicError::validation(
                "last_group",
                "That is not the last group of the recovery key. Check what you wrote down.",
            )
            .into());
        }
        *pending = None;
        Ok(())
    }

    /// Overwrites and removes the plaintext copies of this encrypted clinic,
    /// once the recovery key has been confirmed.
    pub(super) fn remove_plaintext_copies(&self) -> Result<RemovedCopies, ApiError> {
        let (clinic, actor) = self.encrypting_admin()?;
        if self.pending()?.is_some() {
            return Err(ClinicError::Conflict(
                "Confirm first that you kept the recovery key: the plaintext copy stays until then."
                    .into(),
            )
            .into());
        }
        let Target::File(path) = self.target()? else {
            return Ok(RemovedCopies { removed: vec![] });
        };
        let removed = crate::encryption::remove_plaintext_copies_of(&path);
        crate::encryption::first_encrypted_backup(&clinic, &removed);
        clinic.audit(
            &actor,
            "database.plaintext_removed",
            "database",
            "",
            &serde_json::json!({ "files": removed.len() }).to_string(),
        )?;
        Ok(RemovedCopies {
            removed: removed.iter().map(|p| p.display().to_string()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::last_group;

    #[test]
    fn the_last_group_ignores_case_spaces_and_dashes() {
        assert_eq!(last_group("ABCD-EFGH-JK12"), "JK12");
        assert_eq!(last_group(" jk12 "), "JK12");
        assert_eq!(last_group("abcd efgh jk12-"), "JK12");
        assert_eq!(last_group(""), "");
    }
}
