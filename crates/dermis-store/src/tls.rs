//! The wire to the clinic server: TLS, pinned to the certificate the
//! clinic's admin confirmed when the PC joined (issue 16).
//!
//! A clinic server is a PC on the clinic's LAN with a certificate the set-up
//! script made for it (`scripts/clinic-server.sh`): no public authority has
//! signed it, and none should be trusted to. So the trust is the
//! certificate's SHA-256 fingerprint, shown on the server when it is set up
//! and compared by the admin on each PC when it joins (as SSH compares host
//! keys). The fingerprint travels in the clinic server address as the
//! query parameter `fingerprint=` (64 hex digits, colons and case as you
//! like), which Dermis takes out before the address reaches PostgreSQL's own
//! parser or its tools.
//!
//! The rules:
//! - an address whose hosts are all loopback (`localhost`, `127.0.0.0/8`,
//!   `::1`) or a Unix socket may go without TLS: that traffic never leaves
//!   the PC (the server PC itself, the tests, the backups made on it);
//! - any other host needs TLS **and** a fingerprint: without one Dermis
//!   refuses to connect rather than send a password over the LAN to a
//!   server it cannot tell from an impostor (`sslmode=disable` is refused
//!   too);
//! - with a fingerprint, TLS is used whatever the host, and a server whose
//!   certificate has another fingerprint is refused with both fingerprints
//!   named. The handshake's signatures are still checked (rustls), so a
//!   copy of the public certificate without its private key does not pass.
//!
//! rustls (with *ring*) rather than OpenSSL: pure Rust apart from *ring*'s
//! own primitives, nothing to find on the system, and a custom certificate
//! check is a small trait. Channel binding (SCRAM-SHA-256-PLUS) comes with
//! tokio-postgres-rustls, so the password proof is tied to this TLS session.

use crate::{Result, StoreError};
use postgres::config::Host;
use postgres::{Client, Config, NoTls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

/// The query parameter of a clinic server address that carries the pin.
pub const PIN_PARAM: &str = "fingerprint";

/// A certificate's SHA-256 fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER certificate.
    pub fn of(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }

    /// Reads 64 hex digits; colons, spaces and case do not matter
    /// (`openssl x509 -fingerprint -sha256` prints `AB:CD:…`).
    pub fn parse(text: &str) -> Option<Fingerprint> {
        let hex: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b':' | b' ' | b'-'))
            .collect();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in hex.chunks(2).enumerate() {
            let s = std::str::from_utf8(pair).ok()?;
            out[i] = u8::from_str_radix(s, 16).ok()?;
        }
        Some(Fingerprint(out))
    }
}

impl std::fmt::Display for Fingerprint {
    /// `AB:CD:…`, as `openssl x509 -fingerprint -sha256` and the set-up script print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|b| format!("{b:02X}")).collect();
        f.write_str(&parts.join(":"))
    }
}

/// `url` without the pin, and the pin. A malformed pin is an error (never
/// silently dropped: that would turn a pinned address into an unpinned one).
pub fn split_pin(url: &str) -> Result<(String, Option<Fingerprint>)> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), None));
    };
    let mut pin = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some((k, v)) if k == PIN_PARAM => {
                if pin.is_some() {
                    return Err(bad_address("it names the fingerprint twice"));
                }
                pin = Some(Fingerprint::parse(v).ok_or_else(|| {
                    bad_address("its fingerprint is not 64 hexadecimal digits (SHA-256)")
                })?);
            }
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((rest, pin))
}

/// `url` with its pin set to `pin` (replacing any).
pub fn with_pin(url: &str, pin: Fingerprint) -> Result<String> {
    let (rest, _) = split_pin(url)?;
    let hex: String = pin.0.iter().map(|b| format!("{b:02x}")).collect();
    let sep = if rest.contains('?') { '&' } else { '?' };
    Ok(format!("{rest}{sep}{PIN_PARAM}={hex}"))
}

/// The address PostgreSQL's own tools (`pg_dump`, `pg_restore`, through
/// libpq) are given: without the pin, which libpq does not know. With a pin,
/// libpq is told to use TLS and to require SCRAM channel binding: a
/// man in the middle would have to end TLS with a certificate of its own,
/// which changes the binding, so it could neither sign in as the user nor
/// pass as the server (SCRAM makes the server prove it knows the password's
/// verifier). The certificate check itself stays Dermis's own connection's.
pub fn tool_url(url: &str) -> Result<String> {
    let (rest, pin) = split_pin(url)?;
    if pin.is_none() {
        return Ok(rest);
    }
    let sep = if rest.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{rest}{sep}sslmode=require&channel_binding=require"
    ))
}

fn bad_address(why: &str) -> StoreError {
    StoreError::Internal(format!("the clinic server address is not usable: {why}"))
}

/// True when every host of `config` is this PC (loopback or a Unix socket).
pub fn is_local(config: &Config) -> bool {
    let hosts = config.get_hosts();
    !hosts.is_empty()
        && hosts.iter().all(|h| match h {
            Host::Tcp(name) => is_loopback_name(name),
            #[cfg(unix)]
            Host::Unix(_) => true,
        })
}

fn is_loopback_name(name: &str) -> bool {
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The first host of `config`, for messages.
fn host_of(config: &Config) -> String {
    match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    }
}

/// What the server's certificate turned out to be during a handshake.
#[derive(Default)]
struct Seen {
    der: Option<Vec<u8>>,
}

/// Accepts the server's certificate when its fingerprint is `pin` (or any,
/// when probing) and remembers what it saw; the handshake signatures are
/// checked as usual.
#[derive(Debug)]
struct PinnedVerifier {
    pin: Option<Fingerprint>,
    seen: Arc<Mutex<Seen>>,
    provider: Arc<CryptoProvider>,
}

impl std::fmt::Debug for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seen")
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.der = Some(end_entity.as_ref().to_vec());
        }
        match self.pin {
            None => Ok(ServerCertVerified::assertion()),
            Some(pin) if Fingerprint::of(end_entity.as_ref()) == pin => {
                Ok(ServerCertVerified::assertion())
            }
            Some(_) => Err(rustls::Error::General(
                "the server's certificate is not the pinned one".into(),
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn make_tls(
    pin: Option<Fingerprint>,
) -> Result<(tokio_postgres_rustls::MakeRustlsConnect, Arc<Mutex<Seen>>)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let verifier = PinnedVerifier {
        pin,
        seen: seen.clone(),
        provider: provider.clone(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Internal(format!("TLS set-up failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok((tokio_postgres_rustls::MakeRustlsConnect::new(config), seen))
}

/// Connects with `config` (already without the pin) under the rules of the
/// module doc.
pub(crate) fn connect(config: &mut Config, pin: Option<Fingerprint>) -> Result<Client> {
    use postgres::config::SslMode;
    let local = is_local(config);
    let host = host_of(config);
    if pin.is_none() {
        if local {
            return Ok(config.connect(NoTls)?);
        }
        return Err(StoreError::Internal(format!(
            "Dermis connects to the clinic server at {host} only over TLS, checked against the \
             server's certificate fingerprint, and this address has none. Join the clinic server \
             from this PC (Settings → Clinic server) or add ?{PIN_PARAM}=… as shown on the server \
             when it was set up."
        )));
    }
    if config.get_ssl_mode() == SslMode::Disable {
        return Err(bad_address(
            "it asks for no TLS (sslmode=disable) but names a certificate fingerprint",
        ));
    }
    config.ssl_mode(SslMode::Require);
    let (tls, seen) = make_tls(pin)?;
    match config.connect(tls) {
        Ok(c) => Ok(c),
        Err(e) => {
            let seen = seen.lock().ok().and_then(|s| s.der.clone());
            match (seen, pin) {
                (Some(der), Some(pin)) if Fingerprint::of(&der) != pin => {
                    Err(StoreError::Internal(format!(
                        "The clinic server at {host} showed a certificate with the fingerprint {} \
                         but this PC trusts {pin}. Do not sign in: someone may be impersonating \
                         the server, or it was set up again. Ask the clinic's admin to compare \
                         the fingerprint on the server before this PC joins it again.",
                        Fingerprint::of(&der)
                    )))
                }
                _ => Err(e.into()),
            }
        }
    }
}

/// The certificate a clinic server presents (TLS handshake only: no sign-in
/// is attempted), for the admin to compare with the one shown on the server
/// before the PC joins. Any host, loopback included.
pub fn probe(url: &str) -> Result<Fingerprint> {
    let (rest, _) = split_pin(url)?;
    let mut config: Config = rest
        .parse()
        .map_err(|e| bad_address(&format!("it is not a PostgreSQL URL ({e})")))?;
    if config.get_user().is_none() {
        config.user("dermis_probe");
    }
    config.ssl_mode(postgres::config::SslMode::Require);
    config.connect_timeout(std::time::Duration::from_secs(5));
    let host = host_of(&config);
    let (tls, seen) = make_tls(None)?;
    // The sign-in after the handshake fails (no password): only the certificate matters here.
    let result = config.connect(tls);
    let der = seen.lock().ok().and_then(|s| s.der.clone());
    match (der, result) {
        (Some(der), _) => Ok(Fingerprint::of(&der)),
        (None, Err(e)) => Err(StoreError::Internal(format!(
            "No TLS certificate from the clinic server at {host}: {e}. Is the address right, \
             and was the server set up with scripts/clinic-server.sh (TLS on)?"
        ))),
        (None, Ok(_)) => Err(StoreError::Internal(format!(
            "the clinic server at {host} answered without TLS"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn a_fingerprint_reads_with_or_without_colons_and_prints_as_openssl_does() {
        let a = Fingerprint::parse(HEX).unwrap();
        let b = Fingerprint::parse(&a.to_string()).unwrap();
        assert_eq!(a, b);
        assert!(a.to_string().starts_with("00:11:22:33:"));
        assert_eq!(a.to_string().len(), 32 * 3 - 1);
        assert!(Fingerprint::parse(&HEX[..62]).is_none());
        assert!(Fingerprint::parse(&format!("{}zz", &HEX[..62])).is_none());
        assert!(Fingerprint::parse(&format!("{HEX}00")).is_none());
    }

    #[test]
    fn the_pin_is_taken_out_of_the_address_and_other_parameters_stay() {
        let url = format!("postgresql://h:5432/clinic?connect_timeout=3&{PIN_PARAM}={HEX}");
        let (rest, pin) = split_pin(&url).unwrap();
        assert_eq!(rest, "postgresql://h:5432/clinic?connect_timeout=3");
        assert_eq!(pin, Fingerprint::parse(HEX));
        assert!(rest.parse::<Config>().is_ok());
        let (rest, pin) = split_pin("postgresql://h/clinic").unwrap();
        assert_eq!((rest.as_str(), pin), ("postgresql://h/clinic", None));
        assert_eq!(
            split_pin(&with_pin("postgresql://h/clinic", pin_of(HEX)).unwrap())
                .unwrap()
                .1,
            Some(pin_of(HEX))
        );
    }

    fn pin_of(s: &str) -> Fingerprint {
        Fingerprint::parse(s).unwrap()
    }

    #[test]
    fn the_tools_get_the_address_without_the_pin_but_with_tls_and_channel_binding() {
        let pinned = format!("postgresql://u@h/c?{PIN_PARAM}={HEX}");
        assert_eq!(
            tool_url(&pinned).unwrap(),
            "postgresql://u@h/c?sslmode=require&channel_binding=require"
        );
        assert_eq!(
            tool_url("postgresql://u@127.0.0.1/c").unwrap(),
            "postgresql://u@127.0.0.1/c"
        );
    }

    #[test]
    fn a_malformed_or_doubled_pin_is_refused_not_dropped() {
        assert!(split_pin("postgresql://h/c?fingerprint=abc").is_err());
        assert!(split_pin(&format!(
            "postgresql://h/c?fingerprint={HEX}&fingerprint={HEX}"
        ))
        .is_err());
    }

    #[test]
    fn only_this_pc_counts_as_local() {
        let local = |u: &str| is_local(&u.parse::<Config>().unwrap());
        assert!(local("postgresql://u@127.0.0.1:5432/c"));
        assert!(local("postgresql://u@127.8.9.1/c"));
        assert!(local("postgresql://u@localhost/c"));
        assert!(local("postgresql://u@[::1]:5432/c"));
        assert!(!local("postgresql://u@192.168.1.10/c"));
        assert!(!local("postgresql://u@server.clinic.lan/c"));
        assert!(!local("postgresql://u@localhost,192.168.1.10/c"));
    }

    #[test]
    fn a_lan_address_without_a_pin_is_refused_before_any_connection() {
        // 192.0.2.0/24 is TEST-NET-1: nothing answers there, so a connection
        // attempt would hang until its timeout; the refusal is immediate.
        let mut config: Config = "postgresql://u@192.0.2.1/c".parse().unwrap();
        let started = std::time::Instant::now();
        let err = connect(&mut config, None).err().unwrap().to_string();
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(err.contains("only over TLS"), "{err}");
        assert!(err.contains("192.0.2.1"), "{err}");
    }

    #[test]
    fn a_pin_with_tls_turned_off_is_refused() {
        let mut config: Config = "postgresql://u@127.0.0.1/c?sslmode=disable"
            .parse()
            .unwrap();
        let err = connect(&mut config, Some(pin_of(HEX)))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("sslmode=disable"), "{err}");
    }
}
