//! Helpers shared by the command-line tests (`cli.rs`, `encryption.rs`,
//! `server.rs`, `server_backup_key.rs`): reading a command's JSON answer or
//! error, and for the clinic-server tests the throwaway PostgreSQL cluster
//! and the `dermis` binary run against it, so that how a test reaches the
//! server is written once. Each test binary uses part of it, hence the
//! `dead_code` allowance.
#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

#[path = "../../../dermis-store/tests/common/cluster.rs"]
pub mod cluster;

/// The command's stdout as one JSON document; fails the test when the command failed.
pub fn json_out(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

/// The error a failed command wrote: one JSON document on stderr, nothing on stdout.
pub fn json_err(o: &Output) -> Value {
    assert!(
        !o.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(o.stdout.is_empty(), "nothing on stdout on error");
    serde_json::from_slice(&o.stderr).unwrap_or_else(|e| {
        panic!(
            "stderr is not one JSON document ({e}): {}",
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// `dermis ARGS` with `env` and none of the caller's own DERMIS_* settings;
/// the audit keys of clinic servers go under `data` (the OS data folder,
/// XDG_DATA_HOME on Linux), as on one PC.
pub fn run(data: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dermis"));
    cmd.args(args)
        .env_remove("DERMIS_USER")
        .env_remove("DERMIS_DB")
        .env_remove("DERMIS_PASSWORD")
        .env_remove("DERMIS_SETUP_PASSWORD")
        .env_remove("DERMIS_RECOVERY_KEY")
        .env("XDG_DATA_HOME", data);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// The arguments of a command on the server as `user`:
/// `--db URL --user USER --json ARGS`.
pub fn on_server<'a>(url: &'a str, user: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [&["--db", url, "--user", user, "--json"][..], args].concat()
}

/// `dermis --db URL --user USER --json ARGS` with that user's password.
pub fn as_user(data: &Path, url: &str, user: &str, pw: &str, args: &[&str]) -> Output {
    run(
        data,
        &[("DERMIS_PASSWORD", pw)],
        &on_server(url, user, args),
    )
}

/// `dermis --db URL --json init --clinic CLINIC --admin boss` by the setup
/// user (the cluster's superuser), boss's password `admin_pw`.
pub fn init_on_server(data: &Path, url: &str, clinic: &str, admin_pw: &str) -> Output {
    run(
        data,
        &[
            ("DERMIS_SETUP_PASSWORD", cluster::SUPER_PASSWORD),
            ("DERMIS_PASSWORD", admin_pw),
        ],
        &[
            "--db", url, "--json", "init", "--clinic", clinic, "--admin", "boss",
        ],
    )
}
