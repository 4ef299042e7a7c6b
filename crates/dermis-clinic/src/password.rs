//! Argon2id password hashes (PHC strings with their own salt and parameters)
//! and the password policy: at least 12 characters, not containing the user
//! name, and rated at least 3 of 4 by zxcvbn — an estimator built from real
//! password leaks, so `aaaaaaaaaaaa`, `123456789012` and `Password2024!` are
//! refused while a four-word passphrase is welcome. A home-made rule list
//! ("one digit, one symbol") would do the opposite.

use crate::{ClinicError, Result};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// The lowest zxcvbn score (0–4) a new password must reach.
pub const MIN_SCORE: u8 = 3;

/// Checks a NEW password (length already checked by dermis-core) for `username`.
pub fn check_policy(field: &str, username: &str, password: &str) -> Result<()> {
    let user = dermis_core::validate::fold_username(username);
    if !user.is_empty() && password.to_lowercase().contains(&user) {
        return Err(ClinicError::validation(
            field,
            "The password cannot contain the user name.",
        ));
    }
    let rated = zxcvbn::zxcvbn(password, &[user.as_str(), "dermis", "clinic"]);
    if u8::from(rated.score()) < MIN_SCORE {
        let hint = rated
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({})", w.to_string().trim_end_matches('.')))
            .unwrap_or_default();
        return Err(ClinicError::validation(
            field,
            format!("This password is too easy to guess{hint}. Four or five unrelated words make a strong one that is easy to remember."),
        ));
    }
    Ok(())
}

/// The Argon2id instance new hashes are made with: the crate's default cost
/// (19 MiB, 2 passes). A verification reads the cost from the stored hash.
///
/// Test-only hook: in a debug build, `DERMIS_TEST_CHEAP_ARGON2=1` makes new
/// hashes with the least cost Argon2id allows (8 KiB, 1 pass), so that a
/// mutation run of this crate (scripts/mutants.sh), which builds a clinic
/// with four accounts per permission case, does not spend half its time
/// hashing. It changes no answer a test checks: hashes are still Argon2id
/// and verify the same. Release builds ignore it (the cost never drops in
/// a shipped binary).
fn hasher() -> Argon2<'static> {
    if cfg!(debug_assertions) && std::env::var_os("DERMIS_TEST_CHEAP_ARGON2").is_some() {
        if let Ok(p) = argon2::Params::new(8, 1, 1, None) {
            return Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
        }
    }
    Argon2::default()
}

thread_local! {
    static ARGON2_RUNS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts one Argon2id computation on this thread (a hash, a verification,
/// a wrap's key derivation): what a sign-in costs is how many of these it
/// runs, so tests can pin that count without timing anything.
pub(crate) fn count_argon2() {
    ARGON2_RUNS.with(|c| c.set(c.get() + 1));
}

/// The Argon2id computations this thread has run (see [`count_argon2`]).
#[cfg(test)]
pub(crate) fn argon2_runs() -> u64 {
    ARGON2_RUNS.with(|c| c.get())
}

pub fn hash(password: &str) -> Result<String> {
    count_argon2();
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ClinicError::Internal(format!("the password could not be hashed: {e}")))
}

/// True when `password` matches the stored `hash`; false for any malformed hash.
pub fn verify(password: &str, hash: &str) -> bool {
    count_argon2();
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Does the work of one verification and throws it away.
pub fn burn(password: &str) {
    let _ = hash(password);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused_and_a_passphrase_is_welcome() {
        for weak in [
            "aaaaaaaaaaaa",
            "123456789012",
            "1234567890ab",
            "password1234",
            "owner-owner-owner",
        ] {
            assert!(check_policy("password", "owner", weak).is_err(), "{weak}");
        }
        check_policy("password", "owner", "violet tractor lantern biscuit").unwrap();
        let e = check_policy("password", "Boss", "my name is boss and I rule").unwrap_err();
        assert!(e.to_string().contains("user name"), "{e}");
    }

    #[test]
    fn same_password_gets_a_new_salt() {
        assert_ne!(
            hash("same password!").unwrap(),
            hash("same password!").unwrap()
        );
    }
}
