//! `dermis user …` and `dermis audit …`: accounts and the audit log (admin).

use crate::{fail, print};
use clap::Subcommand;
use dermis_clinic::core::Role;
use dermis_clinic::{Actor, ApiError, Clinic, ErrorCode};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Every account, active ones first; on the clinic server with each
    /// one's PostgreSQL login role (`db_role`).
    List,
    /// Add an account; its password comes from DERMIS_NEW_PASSWORD or a prompt.
    Add {
        #[arg(long)]
        name: String,
        /// One or more of admin, practitioner, receptionist, e.g. practitioner,admin.
        #[arg(long)]
        role: String,
        /// The person's full name (default: the user name).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Stop an account from signing in (it is never deleted).
    Deactivate {
        #[arg(long)]
        name: String,
    },
    /// Set a new password (from DERMIS_NEW_PASSWORD or a prompt).
    ResetPassword {
        #[arg(long)]
        name: String,
    },
    /// Change your own password (any role): --user is you, the sign-in
    /// password is the current one, the new one comes from
    /// DERMIS_NEW_PASSWORD, --new-password-fd or a prompt.
    Password,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the keyed chain and the anchor kept beside the database; names
    /// the first entry altered, or how many were cut off.
    Verify,
    /// Print the current head (hash and entry count) to keep on paper: a
    /// forged history cannot reproduce it.
    Checkpoint,
    /// Write the whole log as CSV (UTF-8 with BOM, so spreadsheet programs read accents right).
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

pub(crate) fn new_password(prompt: &str) -> Result<String, ApiError> {
    if let Some(fd) = crate::PASSWORD_FDS.get().and_then(|f| f.1) {
        return crate::read_fd(fd, "new_password");
    }
    if let Ok(p) = std::env::var("DERMIS_NEW_PASSWORD") {
        return Ok(p);
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        fail(
            ErrorCode::Validation,
            Some("password"),
            format!("No new password: set DERMIS_NEW_PASSWORD or run in a terminal ({e})."),
        )
    })
}

pub fn user(clinic: &Clinic, actor: &Actor, cmd: &UserCommand, json: bool) -> Result<(), ApiError> {
    match cmd {
        UserCommand::List => {
            let list: Vec<serde_json::Value> = clinic
                .users(actor)?
                .into_iter()
                .map(|u| {
                    let db_role = clinic.server_login_role(&u.username);
                    let mut v = serde_json::to_value(&u).unwrap_or_default();
                    v["db_role"] = serde_json::json!(db_role);
                    v
                })
                .collect();
            print(json, &list, |list| {
                list.iter()
                    .map(|u| {
                        format!(
                            "{}  {}  {}{}{}",
                            u["username"].as_str().unwrap_or_default(),
                            u["display_name"].as_str().unwrap_or_default(),
                            u["roles"]
                                .as_array()
                                .map(|r| r
                                    .iter()
                                    .filter_map(|r| r.as_str())
                                    .collect::<Vec<_>>()
                                    .join(","))
                                .unwrap_or_default(),
                            if u["active"] == true {
                                ""
                            } else {
                                "  [deactivated]"
                            },
                            u["db_role"]
                                .as_str()
                                .map(|r| format!("  (server role {r})"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        UserCommand::Add {
            name,
            role,
            display_name,
        } => {
            let roles = role
                .split(',')
                .filter(|r| !r.trim().is_empty())
                .map(|r| {
                    Role::parse(r).ok_or_else(|| {
                        fail(
                            ErrorCode::Validation,
                            Some("role"),
                            format!("\"{r}\" is not a role (admin, practitioner, receptionist)."),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let password = new_password(&format!("Password for the new account {name}: "))?;
            let info = clinic.create_user(
                actor,
                name,
                display_name.as_deref().unwrap_or(name),
                &password,
                &roles,
            )?;
            print(json, &info, |i| {
                let roles: Vec<&str> = i.roles.iter().map(|r| r.as_str()).collect();
                format!("Added the account {} ({}).", i.username, roles.join(", "))
            })
        }
        UserCommand::Deactivate { name } => {
            clinic.deactivate_user(actor, name)?;
            print(json, &serde_json::json!({ "deactivated": name }), |_| {
                format!("{name} can no longer sign in.")
            })
        }
        UserCommand::Password => Err(fail(
            ErrorCode::Internal,
            None,
            "own password change is handled before sign-in",
        )),
        UserCommand::ResetPassword { name } => {
            let password = new_password(&format!("New password for {name}: "))?;
            clinic.reset_password(actor, name, &password)?;
            print(json, &serde_json::json!({ "password_reset": name }), |_| {
                format!("{name}'s password was changed.")
            })
        }
    }
}

pub fn audit(
    clinic: &Clinic,
    actor: &Actor,
    cmd: &AuditCommand,
    json: bool,
) -> Result<(), ApiError> {
    match cmd {
        AuditCommand::Verify => {
            clinic.verify_audit(actor)?;
            let v = clinic.audit_verdict()?;
            print(json, &v, |v| match &v.problem {
                None => format!(
                    "The audit log is intact: {} entries, head {}.",
                    v.entries, v.head
                ),
                Some(p) => format!("The audit log was altered. {p}"),
            })?;
            match v.problem {
                None => Ok(()),
                Some(p) => Err(fail(ErrorCode::Conflict, None, p)),
            }
        }
        AuditCommand::Checkpoint => {
            let v = clinic.audit_checkpoint(actor)?;
            print(json, &v, |v| {
                format!(
                    "Audit checkpoint — keep this on paper, dated and signed:\n  entries: {}\n  head:    {}{}",
                    v.entries,
                    v.head,
                    v.problem
                        .as_ref()
                        .map(|p| format!("\nWarning: {p}"))
                        .unwrap_or_default()
                )
            })
        }
        AuditCommand::Export { out } => {
            // The clinic's own export: the same CSV (formula guard, BOM) as the app's.
            let entries = clinic.export_audit(actor, out)?;
            print(
                json,
                &serde_json::json!({ "entries": entries, "out": out }),
                |_| format!("Wrote {entries} audit entries to {}.", out.display()),
            )
        }
    }
}
