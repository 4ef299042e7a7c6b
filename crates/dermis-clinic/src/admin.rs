//! The clinic's administration: the idle lock, letterhead and logo, clinic
//! settings, accounts, and the audit log's viewer and export. (The reception
//! desk is in desk.rs.)

use crate::export::{write_file, CsvOut};
use crate::{Action, Actor, Clinic, ClinicError, Result};
use dermis_core::settings::{self, ClinicDetails, ClinicSettings};
use dermis_core::{LoginInput, Role};
use dermis_store::AuditQuery;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The largest logo accepted.
pub const LOGO_MAX_BYTES: usize = 2 * 1024 * 1024;

/// What the Settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClinicSettingsView {
    pub details: ClinicDetails,
    pub settings: ClinicSettings,
    pub has_logo: bool,
    /// The text the aftercare sheet uses while `settings.aftercare_template` is empty.
    pub default_aftercare_template: String,
    /// The placeholders the aftercare text may use, e.g. `{no_retinol_until}`.
    pub aftercare_placeholders: Vec<String>,
}

/// An account, as the accounts screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
}

/// The accounts screen's "new account" form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

/// The audit viewer's filter; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    pub username: String,
    /// An action or its start: `login` also finds `login.failed`.
    pub action: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD` (inclusive).
    pub to: String,
    /// Show entries older than this id (the next page).
    #[ts(type = "number | null")]
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditItem {
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// The patient's number (`P-000057`) when the entry is about a patient who
    /// still exists; what staff know a patient by, not the database id.
    pub patient_number: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditPage {
    pub items: Vec<AuditItem>,
    pub has_more: bool,
}

fn sniff_logo(bytes: &[u8]) -> Result<&'static str> {
    let mime = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else {
        return Err(ClinicError::validation(
            "logo",
            "The logo must be a PNG or JPEG image; this file is not one. The logo was not changed.",
        ));
    };
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(ClinicError::validation(
            "logo",
            format!(
                "The logo is too large ({} KB); the limit is {} KB.",
                bytes.len() / 1024,
                LOGO_MAX_BYTES / 1024
            ),
        ));
    }
    image::load_from_memory(bytes).map_err(|e| {
        ClinicError::validation(
            "logo",
            format!("The logo cannot be read as an image ({e}); it may be damaged. The logo was not changed."),
        )
    })?;
    Ok(mime)
}

/// Audit rows as CSV (UTF-8 with BOM) with each entry's hashes.
fn audit_rows_csv(rows: Vec<dermis_store::AuditRow>) -> Result<String> {
    let mut w = CsvOut::new(&[
        "id",
        "at",
        "user_id",
        "username",
        "action",
        "entity",
        "entity_id",
        "detail",
        "prev_hash",
        "hash",
    ])?;
    for r in rows {
        w.row(&[
            r.id.to_string(),
            r.entry.at,
            r.entry.user_id.map(|i| i.to_string()).unwrap_or_default(),
            r.entry.username,
            r.entry.action,
            r.entry.entity,
            r.entry.entity_id,
            r.entry.detail,
            r.prev_hash,
            r.hash,
        ])?;
    }
    w.finish()
}

impl Clinic {
    /// Unlocks the app for the signed-in user: the same user's password, with
    /// the sign-in rate limit and audit.
    pub fn unlock(&self, actor: &Actor, password: &str) -> Result<()> {
        let again = self.login(&LoginInput {
            username: actor.username.clone(),
            password: password.to_string(),
        })?;
        if again.user_id != actor.user_id {
            return Err(ClinicError::Forbidden(
                "Only the signed-in user can unlock.".into(),
            ));
        }
        Ok(())
    }

    /// Records that the app locked itself after the idle time.
    pub fn record_lock(&self, actor: &Actor) -> Result<()> {
        self.audit(actor, "app.lock", "user", &actor.user_id.to_string(), "")
    }

    /// The clinic's settings as stored (defaults until changed).
    pub(crate) fn stored_clinic_settings(&self) -> Result<ClinicSettings> {
        Ok(self.store()?.read(|tx| tx.clinic_settings())?)
    }

    pub fn clinic_settings(&self, actor: &Actor) -> Result<ClinicSettingsView> {
        self.allow(actor, Action::ViewSettings)?;
        let (details, settings) = self.store()?.read(|tx| -> Result<_> {
            let d = tx
                .clinic_details()?
                .ok_or_else(|| ClinicError::NotFound("The clinic is not set up yet.".into()))?;
            Ok((d, tx.clinic_settings()?))
        })?;
        Ok(ClinicSettingsView {
            details: ClinicDetails {
                name: details.name,
                address: details.address,
                phone: details.phone,
                email: details.email,
            },
            settings,
            has_logo: details.has_logo,
            default_aftercare_template: crate::documents::default_template(),
            aftercare_placeholders: crate::documents::placeholders(),
        })
    }

    /// Changes the letterhead (admin only).
    pub fn update_clinic_details(
        &self,
        actor: &Actor,
        details: &ClinicDetails,
    ) -> Result<ClinicSettingsView> {
        self.allow(actor, Action::EditSettings)?;
        let d = settings::validate_clinic_details(details)?;
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.clinic",
            serde_json::Value::Null,
            |tx| Ok(tx.set_clinic_details(&d.name, &d.address, &d.phone, &d.email)?),
        )?;
        self.clinic_settings(actor)
    }

    /// Changes paper size, aftercare text, idle lock and backup settings (admin only).
    pub fn update_clinic_settings(
        &self,
        actor: &Actor,
        s: &ClinicSettings,
    ) -> Result<ClinicSettingsView> {
        self.allow(actor, Action::EditSettings)?;
        let clean = settings::validate_clinic_settings(s)?;
        crate::documents::check_template(&clean.aftercare_template)?;
        crate::documents::check_default_language(&clean.default_language)?;
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.clinic",
            serde_json::Value::Null,
            |tx| Ok(tx.set_clinic_settings(&clean)?),
        )?;
        self.clinic_settings(actor)
    }

    /// Sets the letterhead logo from a PNG or JPEG file's bytes (admin only);
    /// anything else is refused and the old logo stays.
    pub fn set_logo(&self, actor: &Actor, bytes: &[u8]) -> Result<()> {
        self.allow(actor, Action::EditSettings)?;
        let mime = sniff_logo(bytes)?;
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.logo",
            serde_json::Value::Null,
            |tx| Ok(tx.set_logo(Some((bytes, mime)))?),
        )
    }

    /// Reads a logo file chosen in a dialog and sets it.
    pub fn set_logo_file(&self, actor: &Actor, path: &std::path::Path) -> Result<()> {
        self.allow(actor, Action::EditSettings)?;
        let meta = std::fs::metadata(path).map_err(|e| {
            ClinicError::validation("logo", format!("{} cannot be opened: {e}.", path.display()))
        })?;
        if meta.len() > LOGO_MAX_BYTES as u64 {
            return Err(ClinicError::validation(
                "logo",
                format!(
                    "The logo is too large ({} KB); the limit is {} KB.",
                    meta.len() / 1024,
                    LOGO_MAX_BYTES / 1024
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            ClinicError::validation("logo", format!("{} cannot be read: {e}.", path.display()))
        })?;
        self.set_logo(actor, &bytes)
    }

    pub fn clear_logo(&self, actor: &Actor) -> Result<()> {
        self.allow(actor, Action::EditSettings)?;
        self.change_settings(
            actor,
            Action::EditSettings,
            "settings.logo",
            serde_json::json!({ "removed": true }),
            |tx| Ok(tx.set_logo(None)?),
        )
    }

    /// The logo's bytes and MIME type, if one is set.
    pub fn logo(&self, actor: &Actor) -> Result<Option<(Vec<u8>, String)>> {
        self.allow(actor, Action::ViewSettings)?;
        Ok(self.store()?.read(|tx| tx.logo())?)
    }

    /// Every account, active ones first (admin only).
    pub fn users(&self, actor: &Actor) -> Result<Vec<UserInfo>> {
        self.allow(actor, Action::ManageUsers)?;
        Ok(self
            .store()?
            .read(|tx| tx.users())?
            .into_iter()
            .map(|u| UserInfo {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                roles: u.roles,
                active: u.active,
            })
            .collect())
    }

    /// One page of the audit log, newest first, filtered (admin only).
    pub fn audit_page(&self, actor: &Actor, f: &AuditFilter) -> Result<AuditPage> {
        self.allow(actor, Action::ReadAuditLog)?;
        let mut c = dermis_core::error::Collector::default();
        for (field, label, v) in [("from", "From", &f.from), ("to", "To", &f.to)] {
            if !v.trim().is_empty() {
                c.check(dermis_core::validate::date(field, label, v));
            }
        }
        c.finish()?;
        let q = AuditQuery {
            username: f.username.trim().to_string(),
            action: f.action.trim().to_string(),
            from: f.from.trim().to_string(),
            to: f.to.trim().to_string(),
            before_id: f.before_id,
            limit: if f.limit == 0 { 100 } else { f.limit },
        };
        let (rows, numbers, has_more) = self.store()?.read(|tx| -> Result<_> {
            let (rows, has_more) = tx.audit_page(&q)?;
            let mut numbers = Vec::with_capacity(rows.len());
            for r in &rows {
                let id = (r.entry.entity == "patient")
                    .then(|| r.entry.entity_id.parse::<i64>().ok())
                    .flatten();
                numbers.push(match id {
                    Some(id) => tx.patient(id)?.map(|p| p.patient_number),
                    None => None,
                });
            }
            Ok((rows, numbers, has_more))
        })?;
        Ok(AuditPage {
            items: rows
                .into_iter()
                .zip(numbers)
                .map(|(r, patient_number)| AuditItem {
                    id: r.id,
                    at: r.entry.at,
                    username: r.entry.username,
                    action: r.entry.action,
                    entity: r.entry.entity,
                    entity_id: r.entry.entity_id,
                    patient_number,
                    detail: r.entry.detail,
                })
                .collect(),
            has_more,
        })
    }

    /// The whole audit log as CSV (UTF-8 with BOM) with each entry's hashes (admin only).
    pub fn audit_csv(&self, actor: &Actor) -> Result<String> {
        audit_rows_csv(self.audit_log(actor)?)
    }

    /// Writes the audit log as CSV to `dest`; returns the number of entries.
    pub fn export_audit(&self, actor: &Actor, dest: &std::path::Path) -> Result<usize> {
        let rows = self.audit_log(actor)?;
        let n = rows.len();
        write_file(dest, audit_rows_csv(rows)?.as_bytes())?;
        Ok(n)
    }

    /// A verified backup into `folder` (a USB stick), named by the time (admin only).
    pub fn backup_to_folder(
        &self,
        actor: &Actor,
        folder: &std::path::Path,
    ) -> Result<crate::BackupSummary> {
        self.allow(actor, Action::Backup)?;
        if !folder.is_dir() {
            return Err(ClinicError::validation(
                "folder",
                format!(
                    "{} is not a folder that can be written to.",
                    folder.display()
                ),
            ));
        }
        let stamp = self.clock.now().format("%Y%m%d-%H%M%S");
        self.backup(actor, &folder.join(format!("dermis-{stamp}.db")))
    }
}
