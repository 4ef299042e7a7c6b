//! Helpers shared by the command-line tests (`cli.rs`, `server.rs`).
#![allow(dead_code)]

use serde_json::Value;
use std::process::Output;

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
