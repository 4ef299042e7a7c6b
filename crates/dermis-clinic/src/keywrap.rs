//! A secret wrapped under a person's password: how the clinic server hands
//! its audit key to each PC that joins (see dermis-store's PostgreSQL
//! migration 0008, `key_wraps`).
//!
//! The key that wraps is derived from the password with Argon2id (its own
//! random salt per wrap), the secret is sealed with XChaCha20-Poly1305 (a
//! random 192-bit nonce), and the user name is the associated data, so a
//! wrap moved to another account's row does not open under that account's
//! password. The stored form is a small JSON text with the parameters, so
//! they can be raised later without breaking wraps already stored; the
//! parameters read back are capped, so a crafted row cannot make a PC spend
//! gigabytes or minutes on one sign-in.

use crate::audit_key::{self, hex};
use crate::keys::{derive_key, MAX_M_KIB, MAX_P, MAX_T, NEW_M_KIB, NEW_P, NEW_T};
use crate::{ClinicError, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Stored {
    v: u32,
    m: u32,
    t: u32,
    p: u32,
    salt: String,
    nonce: String,
    ct: String,
}

/// Hex of at most 256 bytes (a wrap's fields are far shorter; a crafted
/// row is refused before any work).
fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() > 512 {
        return None;
    }
    audit_key::unhex(s)
}

/// `secret` sealed under `password`, bound to `username` (folded).
pub(crate) fn wrap(secret: &[u8], username: &str, password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut nonce);
    let key = derive_key(password.as_bytes(), &salt, NEW_M_KIB, NEW_T, NEW_P)?;
    let ct = XChaCha20Poly1305::new(key.as_ref().into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: secret,
                aad: username.as_bytes(),
            },
        )
        .map_err(|_| ClinicError::Internal("the key could not be wrapped".into()))?;
    serde_json::to_string(&Stored {
        v: 1,
        m: NEW_M_KIB,
        t: NEW_T,
        p: NEW_P,
        salt: hex(&salt),
        nonce: hex(&nonce),
        ct: hex(&ct),
    })
    .map_err(|e| ClinicError::Internal(e.to_string()))
}

/// The secret in `stored` when `password` and `username` are the ones it
/// was wrapped with; `None` when they are not (or the wrap was altered). A
/// wrap that is not one (malformed, or asking for more work than allowed)
/// is an error.
pub(crate) fn unwrap(stored: &str, username: &str, password: &str) -> Result<Option<Vec<u8>>> {
    let bad = |why: &str| {
        ClinicError::Io(format!(
            "The stored key of {username} is not usable ({why})."
        ))
    };
    if stored.len() > 1024 {
        return Err(bad("too long"));
    }
    let s: Stored = serde_json::from_str(stored).map_err(|_| bad("not a key wrap"))?;
    if s.v != 1 {
        return Err(bad("a newer format"));
    }
    if s.m > MAX_M_KIB || s.t > MAX_T || s.p > MAX_P || s.t == 0 || s.p == 0 {
        return Err(bad("its key derivation asks for more than allowed"));
    }
    let (Some(salt), Some(nonce), Some(ct)) = (unhex(&s.salt), unhex(&s.nonce), unhex(&s.ct))
    else {
        return Err(bad("not hexadecimal"));
    };
    if nonce.len() != 24 || salt.len() < 16 {
        return Err(bad("a wrong nonce or salt length"));
    }
    let key = derive_key(password.as_bytes(), &salt, s.m, s.t, s.p)?;
    Ok(XChaCha20Poly1305::new(key.as_ref().into())
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &ct,
                aad: username.as_bytes(),
            },
        )
        .ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_field_of_256_bytes_is_read_and_one_byte_more_is_refused_unread() {
        assert_eq!(unhex(&"ab".repeat(256)).map(|v| v.len()), Some(256));
        assert_eq!(unhex(&"ab".repeat(257)), None);
        assert_eq!(unhex(&"ab".repeat(4096)), None);
    }

    #[test]
    fn the_right_password_opens_the_wrap_and_no_other_does() {
        let w = wrap(SECRET, "rita", "amber lantern meadow").unwrap();
        assert_eq!(
            unwrap(&w, "rita", "amber lantern meadow")
                .unwrap()
                .as_deref(),
            Some(SECRET)
        );
        assert_eq!(unwrap(&w, "rita", "amber lantern meadoW").unwrap(), None);
        assert!(
            !w.contains(&hex(SECRET)),
            "the secret never appears in clear"
        );
    }

    #[test]
    fn a_wrap_moved_to_another_account_does_not_open_there() {
        let w = wrap(SECRET, "rita", "same password for both").unwrap();
        assert_eq!(unwrap(&w, "piet", "same password for both").unwrap(), None);
    }

    #[test]
    fn each_wrap_has_its_own_salt_and_nonce() {
        let a = wrap(SECRET, "rita", "pw one two three").unwrap();
        let b = wrap(SECRET, "rita", "pw one two three").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn a_crafted_wrap_is_refused_without_the_work_it_asks_for() {
        let w = wrap(SECRET, "rita", "pw").unwrap();
        let mut s: Stored = serde_json::from_str(&w).unwrap();
        s.m = 4 * 1024 * 1024; // 4 GiB
        let crafted = serde_json::to_string(&s).unwrap();
        let started = std::time::Instant::now();
        assert!(unwrap(&crafted, "rita", "pw").is_err());
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
        // Each cost one past its limit, alone, is refused as crafted (an
        // error), not tried and found not to open.
        let over: [fn(&mut Stored); 5] = [
            |s| s.m = MAX_M_KIB + 1,
            |s| s.t = MAX_T + 1,
            |s| s.p = MAX_P + 1,
            |s| s.t = 0,
            |s| s.p = 0,
        ];
        for (i, set) in over.iter().enumerate() {
            let mut s: Stored = serde_json::from_str(&w).unwrap();
            set(&mut s);
            let crafted = serde_json::to_string(&s).unwrap();
            assert!(unwrap(&crafted, "rita", "pw").is_err(), "cost {i}");
        }
        for bad in ["", "{}", "not json", &"x".repeat(2000)] {
            assert!(unwrap(bad, "rita", "pw").is_err(), "{bad:.20}");
        }
        // A genuine wrap padded past 1,024 bytes is refused unread.
        let padded = format!("{w}{}", " ".repeat(1025 - w.len()));
        assert!(unwrap(&w, "rita", "pw").unwrap().is_some());
        assert!(unwrap(&padded, "rita", "pw").is_err());
        // A flipped byte of the sealed key: it simply does not open.
        let mut s: Stored = serde_json::from_str(&w).unwrap();
        let flipped = if s.ct.starts_with('0') { "1" } else { "0" };
        s.ct.replace_range(0..1, flipped);
        assert_eq!(
            unwrap(&serde_json::to_string(&s).unwrap(), "rita", "pw").unwrap(),
            None
        );
    }

    #[test]
    fn a_wrap_asking_for_exactly_the_most_memory_allowed_is_tried_not_refused() {
        let w = wrap(SECRET, "rita", "pw").unwrap();
        let mut s: Stored = serde_json::from_str(&w).unwrap();
        s.m = MAX_M_KIB;
        s.t = 1;
        // Tried: the key it derives is not the one sealed under, so it does
        // not open (None), which is not the refusal of a crafted wrap (Err).
        let at_limit = serde_json::to_string(&s).unwrap();
        assert_eq!(unwrap(&at_limit, "rita", "pw").unwrap(), None);
    }
}
