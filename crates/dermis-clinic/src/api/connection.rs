//! What this PC opens: its clinic file (plain or encrypted) or the clinic
//! server, and the small file that remembers the choice (issue 16).
//!
//! **Why a file of its own.** The choice is made on the first-run screen
//! (or by an admin in Settings → Clinic server) before any database exists
//! on this PC, so it cannot live in a database. It is `connection.json` in
//! the app's data folder, `{"kind":"server","address":"postgresql://…?fingerprint=…"}`:
//! the address carries the certificate fingerprint the admin confirmed, so
//! the pin is part of the choice and a later different certificate is
//! refused. It holds no password (each person connects with their own). It
//! is written atomically and readable by the OS account only; `--db` and
//! `DERMIS_DB` still win over it (the shell decides, see src-tauri).
//!
//! **Why the address is built here from parts.** The join screen asks for a
//! host, a port and a database name, never a URL: a typed URL could carry a
//! user, a password, `sslmode=disable` or other options. Each part is
//! checked (no spaces, controls, `@`, `/`, `?`…), so what reaches PostgreSQL
//! is always `postgresql://HOST:PORT/DB` plus the pin.

use crate::{ClinicError, Result};
use dermis_store::tls;
pub use dermis_store::tls::Fingerprint;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The file in the app's data folder that remembers what this PC opens.
pub const CONNECTION_FILE: &str = "connection.json";
const CONNECTION_MAX_BYTES: u64 = 16 * 1024;

/// What this PC opens, as remembered in [`CONNECTION_FILE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Connection {
    /// The clinic file in the app's data folder ("This PC only").
    File,
    /// The clinic server at `address` (with its pinned fingerprint).
    Server { address: String },
}

/// What the app opens: a clinic file (plain or encrypted: decided by the
/// file itself at open) or the clinic server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// The server's pinned address, and the folder this PC keeps its audit
    /// key and anchor for it in.
    Server {
        url: String,
        keys_dir: PathBuf,
    },
}

impl Target {
    /// `--db`/`DERMIS_DB`/`connection.json` text: a `postgresql://` address
    /// is the clinic server (its keys under `data_dir/servers/<id>`, where
    /// the CLI keeps them too), anything else a file path.
    pub fn parse(text: &str, data_dir: Option<&Path>) -> Result<Target> {
        if !dermis_store::is_server_url(text) {
            return Ok(Target::File(PathBuf::from(text)));
        }
        let keys_dir = match data_dir {
            Some(d) => d.join("servers").join(dermis_store::server_id(text)?),
            None => crate::server_keys_dir(text)?.ok_or_else(|| {
                ClinicError::Io(
                    "There is no app-data folder on this computer to keep the clinic server's audit key in."
                        .into(),
                )
            })?,
        };
        Ok(Target::Server {
            url: text.to_string(),
            keys_dir,
        })
    }
}

/// What Settings and the sign-in screen show about where this PC works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionInfo {
    /// "file" (this PC only), "encrypted" (this PC only, encrypted) or "server".
    pub kind: String,
    /// The clinic file's path, or the server as `host:port/database`.
    pub place: String,
    /// The server certificate's pinned SHA-256 fingerprint (`AB:CD:…`); "" on a file.
    pub fingerprint: String,
    /// Connected to the server now (a person is signed in over it).
    pub connected: bool,
    /// Whether the signed-in person may change the server (admin), or this
    /// PC may still join one (first run, nobody signed in).
    pub can_change: bool,
}

/// What the join screen shows: the certificate's fingerprint only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServerProbe {
    /// SHA-256 of the server's TLS certificate, `AB:CD:…` (as the server's set-up printed it).
    pub fingerprint: String,
}

/// The remembered choice in `data_dir`, if any. A damaged file is refused
/// with a sentence (never silently taken as "this PC only": that would open
/// an empty clinic instead of the server).
pub fn read_connection(data_dir: &Path) -> Result<Option<Connection>> {
    let path = data_dir.join(CONNECTION_FILE);
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ClinicError::Io(format!("{}: {e}", path.display()))),
    };
    let mut text = Vec::new();
    file.take(CONNECTION_MAX_BYTES)
        .read_to_end(&mut text)
        .map_err(|e| ClinicError::Io(format!("{}: {e}", path.display())))?;
    serde_json::from_slice(&text).map(Some).map_err(|e| {
        ClinicError::Io(format!(
            "The file {} that says which clinic this PC opens is damaged ({e}). Delete it to choose again.",
            path.display()
        ))
    })
}

/// Writes the choice into `data_dir` atomically (temporary file, fsync,
/// rename), readable by this OS account only.
pub fn write_connection(data_dir: &Path, c: &Connection) -> Result<()> {
    dermis_store::create_private_dir(data_dir)?;
    let path = data_dir.join(CONNECTION_FILE);
    let text = serde_json::to_vec_pretty(c).map_err(|e| ClinicError::Internal(e.to_string()))?;
    crate::export::write_file(&path, &text)?;
    dermis_store::sync_dir(data_dir);
    Ok(())
}

/// The characters a host name or address may hold (letters, digits, `.`,
/// `-`, and `:` inside an IPv6 address).
fn host_ok(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
        && !h.starts_with('-')
}

/// The clinic server's address `postgresql://HOST:PORT/DB` from the join
/// screen's fields (see the module doc), or the fields at fault.
pub fn server_address(host: &str, port: u32, database: &str) -> Result<String> {
    let host = host.trim();
    let database = database.trim();
    let mut errors = Vec::new();
    if host.is_empty() {
        errors.push((
            "address",
            "Enter the clinic server's address (its name or IP address on the clinic's network).",
        ));
    } else if !host_ok(host) {
        errors.push(("address", "Enter only the server's name or IP address, such as 192.168.1.20 or clinic-server (no spaces, no postgresql://)."));
    }
    if !(1..=65535).contains(&port) {
        errors.push((
            "port",
            "The port is a number from 1 to 65535 (usually 5432).",
        ));
    }
    if database.is_empty()
        || database.len() > 63
        || !database
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push((
            "database",
            "Enter the database name the server's set-up printed (letters, digits, _ or -).",
        ));
    }
    if !errors.is_empty() {
        return Err(ClinicError::Validation(crate::core::ValidationErrors(
            errors
                .into_iter()
                .map(|(f, m)| crate::core::FieldError::new(f, m))
                .collect(),
        )));
    }
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    Ok(format!("postgresql://{host}:{port}/{database}"))
}

/// How the join screen reads a server's certificate (a TLS handshake, no
/// sign-in). The test host swaps in a fixed answer (it has no TLS server).
pub type Prober = fn(&str) -> Result<Fingerprint>;

/// The real probe (dermis-store's `tls::probe`): an unreachable server or
/// one without TLS is a sentence on the address field.
pub fn probe(url: &str) -> Result<Fingerprint> {
    tls::probe(url).map_err(|e| {
        ClinicError::validation(
            "address",
            format!(
                "Dermis could not read this server's certificate: {}",
                ClinicError::from(e)
            ),
        )
    })
}

/// The server part of `url` for people: `host:port/database`, no pin.
pub fn place_of(url: &str) -> String {
    let rest = tls::split_pin(url).map_or_else(|_| url.to_string(), |(r, _)| r);
    let redacted = dermis_store::redact_url(&rest);
    let no_scheme = redacted
        .split_once("://")
        .map_or(redacted.as_str(), |(_, r)| r);
    let no_user = no_scheme
        .rsplit_once('@')
        .map_or(no_scheme, |(_, r)| r)
        .to_string();
    no_user
        .split_once('?')
        .map_or(no_user.clone(), |(a, _)| a.to_string())
}

/// The pinned fingerprint of `url`, `AB:CD:…`; "" when it has none.
pub fn pin_of(url: &str) -> String {
    tls::split_pin(url)
        .ok()
        .and_then(|(_, p)| p)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

/// What a failure to open the clinic server becomes for the person at the
/// sign-in screen: the store reports TLS trouble as internal errors, so it
/// is diagnosed here. A certificate other than the pinned one is refused
/// with the warning (both fingerprints), an unreachable server says so, an
/// address without a pin that leaves this PC is a sentence on the address.
pub fn explain_server_error(url: &str, e: ClinicError, prober: Prober) -> ClinicError {
    // A server that does not answer is `unavailable` in the store (whose
    // sentence is written for a save: "nothing was saved…"); at sign-in it
    // is said as where the server is and what to check.
    if e.code() == crate::ErrorCode::Unavailable {
        return unreachable(&place_of(url));
    }
    if e.code() != crate::ErrorCode::Internal {
        return e;
    }
    let Ok((_, pin)) = tls::split_pin(url) else {
        return ClinicError::validation("address", e.to_string());
    };
    let Some(pin) = pin else {
        return ClinicError::validation("address", e.to_string());
    };
    let place = place_of(url);
    match prober(url) {
        Ok(seen) if seen != pin => ClinicError::Forbidden(format!(
            "Do not sign in: the clinic server at {place} showed a different certificate \
             (fingerprint {seen}) from the one this PC trusts ({pin}). Someone may be \
             impersonating the server, or it was set up again. Ask the clinic's admin to compare \
             the fingerprint on the server before this PC joins it again."
        )),
        Ok(_) => ClinicError::Io(format!(
            "Dermis could not connect to the clinic server at {place} ({e}). Check that the server \
             PC is on and connected to the clinic's network, then try again."
        )),
        Err(_) => unreachable(&place),
    }
}

fn unreachable(place: &str) -> ClinicError {
    ClinicError::Io(format!(
        "The clinic server at {place} cannot be reached. Check that the server PC is on and \
         connected to the clinic's network, then try again."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the person at the sign-in screen reads when the clinic server
    /// cannot be opened, for each kind of failure.
    #[test]
    fn a_server_failure_at_sign_in_is_explained_by_what_went_wrong() {
        let pin = "ab".repeat(32);
        let pinned = format!("postgresql://rita:secret@10.0.0.5:5432/dermis?fingerprint={pin}");
        let seen: Prober = |_| Ok(Fingerprint([0xCD; 32]));
        let same: Prober = |_| Ok(Fingerprint([0xAB; 32]));
        let down: Prober = |_| Err(ClinicError::Io("refused".into()));
        let internal = || ClinicError::Internal("tls handshake".into());
        // Not answering: where the server is and what to check, whatever
        // the probe would say (it is not asked).
        let e = explain_server_error(
            &pinned,
            ClinicError::Unavailable("nothing was saved".into()),
            seen,
        );
        assert_eq!(e.code(), crate::ErrorCode::Io);
        let text = e.to_string();
        assert!(
            text.contains("The clinic server at 10.0.0.5:5432/dermis cannot be reached"),
            "{text}"
        );
        assert!(
            !text.contains("secret") && !text.contains("saved"),
            "{text}"
        );
        // Any other answer than a failure to connect is passed on as it is.
        let e = explain_server_error(
            &pinned,
            ClinicError::Forbidden("wrong password".into()),
            seen,
        );
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            (crate::ErrorCode::Forbidden, "wrong password")
        );
        // TLS trouble on a pinned address: another certificate is a warning
        // with both fingerprints; the same one, a connection problem; no
        // answer to the probe, unreachable.
        let e = explain_server_error(&pinned, internal(), seen);
        assert_eq!(e.code(), crate::ErrorCode::Forbidden);
        let text = e.to_string();
        assert!(text.starts_with("Do not sign in"), "{text}");
        assert!(
            text.contains(&Fingerprint([0xCD; 32]).to_string()),
            "{text}"
        );
        assert!(
            text.contains(&Fingerprint([0xAB; 32]).to_string()),
            "{text}"
        );
        let e = explain_server_error(&pinned, internal(), same);
        assert_eq!(e.code(), crate::ErrorCode::Io);
        assert!(e.to_string().starts_with("Dermis could not connect"), "{e}");
        let e = explain_server_error(&pinned, internal(), down);
        assert!(e.to_string().contains("cannot be reached"), "{e}");
        // Without a pin: a sentence on the address field.
        let e = explain_server_error("postgresql://10.0.0.5/dermis", internal(), seen);
        assert_eq!(e.code(), crate::ErrorCode::Validation);
    }

    #[test]
    fn the_address_is_built_from_checked_parts_only() {
        assert_eq!(
            server_address(" 192.168.1.20 ", 5432, "dermis").unwrap(),
            "postgresql://192.168.1.20:5432/dermis"
        );
        assert_eq!(
            server_address("fe80::1", 5433, "clinic_db").unwrap(),
            "postgresql://[fe80::1]:5433/clinic_db"
        );
        for bad in [
            "",
            "user:pw@host",
            "postgresql://host",
            "host/db",
            "host?sslmode=disable",
            "ho st",
            "host\u{202e}",
            "host\u{200b}",
            "-oProxy",
        ] {
            let e = server_address(bad, 5432, "dermis").unwrap_err();
            assert_eq!(e.code(), crate::ErrorCode::Validation, "{bad:?}");
            assert_eq!(crate::ApiError::from(e).field.as_deref(), Some("address"));
        }
        let e = crate::ApiError::from(server_address("h", 0, "a b").unwrap_err());
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["port", "database"]);
    }

    #[test]
    fn the_connection_file_round_trips_privately_and_a_damaged_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_connection(dir.path()).unwrap(), None);
        let c = Connection::Server {
            address: "postgresql://h:5432/d?fingerprint=00".into(),
        };
        write_connection(dir.path(), &c).unwrap();
        assert_eq!(read_connection(dir.path()).unwrap(), Some(c));
        let text = std::fs::read_to_string(dir.path().join(CONNECTION_FILE)).unwrap();
        assert!(text.contains("\"kind\": \"server\""), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(CONNECTION_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join(CONNECTION_FILE), b"{\"kind\":\"cloud\"}").unwrap();
        let e = read_connection(dir.path()).unwrap_err();
        assert!(e.to_string().contains("damaged"), "{e}");
    }

    #[test]
    fn a_database_name_of_63_characters_is_kept_and_64_refused() {
        // PostgreSQL's longest name is 63 bytes.
        let at = "d".repeat(63);
        assert!(server_address("clinic-server", 5432, &at)
            .unwrap()
            .ends_with(&format!("/{at}")));
        let e = crate::ApiError::from(
            server_address("clinic-server", 5432, &"d".repeat(64)).unwrap_err(),
        );
        assert_eq!(e.field.as_deref(), Some("database"));
    }

    #[test]
    fn a_connection_file_padded_to_16_kb_reads_and_a_longer_one_is_damaged() {
        // Written by hand or by an older version with spaces: up to 16 KB is
        // read whole; past it the file is cut, so it reads as damaged.
        let dir = tempfile::tempdir().unwrap();
        let json = br#""kind":"server","address":"postgresql://h:5432/d?fingerprint=00"}"#;
        let mut text = b"{".to_vec();
        text.resize(16 * 1024 - json.len(), b' ');
        text.extend_from_slice(json);
        assert_eq!(text.len(), 16 * 1024);
        std::fs::write(dir.path().join(CONNECTION_FILE), &text).unwrap();
        assert!(matches!(
            read_connection(dir.path()).unwrap(),
            Some(Connection::Server { .. })
        ));
        let mut longer = b"{\"kind\":\"server\",".to_vec();
        longer.resize(16 * 1024 + 1, b' ');
        longer.extend_from_slice(br#""address":"postgresql://h:5432/d"}"#);
        std::fs::write(dir.path().join(CONNECTION_FILE), &longer).unwrap();
        let e = read_connection(dir.path()).unwrap_err();
        assert!(e.to_string().contains("damaged"), "{e}");
    }

    #[test]
    fn the_place_shows_no_pin_and_no_credentials() {
        let url = "postgresql://owner:secret@10.0.0.5:5432/dermis?fingerprint=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        assert_eq!(place_of(url), "10.0.0.5:5432/dermis");
        assert!(pin_of(url).starts_with("00:11:22"));
    }

    #[test]
    fn a_path_is_a_clinic_file_and_a_postgresql_address_the_clinic_server() {
        let data = tempfile::tempdir().unwrap();
        match Target::parse("/home/clinic/dermis.db", Some(data.path())).unwrap() {
            Target::File(p) => assert_eq!(p, PathBuf::from("/home/clinic/dermis.db")),
            other => panic!("{other:?}"),
        }
        let url = "postgresql://10.0.0.5:5432/dermis";
        match Target::parse(url, Some(data.path())).unwrap() {
            Target::Server { url: u, keys_dir } => {
                assert_eq!(u, url);
                assert!(
                    keys_dir.starts_with(data.path().join("servers")),
                    "{keys_dir:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
