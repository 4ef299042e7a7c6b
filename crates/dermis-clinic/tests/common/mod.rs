//! What the Workstation tests share (workstation.rs, encrypt_offer.rs,
//! live_password.rs, print_offline.rs): the throwaway PostgreSQL cluster, the
//! test accounts' passwords, a desktop that opens nothing, and the command
//! table called as the app's window calls it. Each test binary uses part of
//! it, hence the `dead_code` allowance.
#![allow(dead_code)]

use dermis_clinic::api::{Desktop, Workstation};
use dermis_clinic::ApiError;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[path = "../../../dermis-store/tests/common/cluster.rs"]
pub mod cluster;

pub const ADMIN_PW: &str = "plum kettle harbour velvet";
pub const DESK_PW: &str = "amber lantern meadow quartz";

/// A desktop that opens nothing and has no folders of its own.
pub struct NoOs;
impl Desktop for NoOs {
    fn open(&self, _: &Path) -> Result<(), String> {
        Ok(())
    }
    fn prints_dir(&self) -> Option<PathBuf> {
        None
    }
    fn log_dir(&self) -> Option<PathBuf> {
        None
    }
    fn app_name_version(&self) -> (String, String) {
        ("Dermis".into(), "test".into())
    }
}

/// One command through the command table; its reply as JSON.
pub fn call(w: &Workstation, name: &str, args: Value) -> Result<Value, ApiError> {
    w.call(name, &args)
        .map(|r| serde_json::from_slice(&r.into_bytes()).unwrap_or(Value::Null))
}

/// The sign-in command.
pub fn login(w: &Workstation, user: &str, password: &str) -> Result<Value, ApiError> {
    call(
        w,
        "login",
        json!({ "input": { "username": user, "password": password } }),
    )
}
