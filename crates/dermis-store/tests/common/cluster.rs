//! A throwaway PostgreSQL 15 cluster per test binary, for the store, clinic
//! and command-line tests on the clinic server (the clinic and CLI tests
//! include this file by path: one fixture, three crates). Started on first use from Debian's
//! `postgresql` package (`initdb` + `pg_ctl`, as the `postgres` user when the
//! tests run as root, since `initdb` refuses root) on a random loopback port,
//! stopped and removed by a watchdog when the test binary exits. Skipped
//! loudly when the binaries are absent, a failure when `CI` is set.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The superuser's password in the throwaway cluster.
pub const SUPER_PASSWORD: &str = "dermis-test-superuser";

pub struct Cluster {
    pub port: u16,
    pub dir: PathBuf,
    pub bin: PathBuf,
    /// The SHA-256 fingerprint of the cluster's self-signed TLS certificate
    /// (`AB:CD:…`, as `openssl x509 -fingerprint -sha256` prints it): the
    /// cluster offers TLS like a clinic server made by scripts/clinic-server.sh.
    pub fingerprint: String,
    /// The server options it was started with (for [`Cluster::start_again`]).
    pub opts: String,
}

impl Cluster {
    /// A URL for `user` on `db` (no password: that is passed beside it).
    pub fn url(&self, user: &str, db: &str) -> String {
        format!("postgresql://{user}@127.0.0.1:{}/{db}", self.port)
    }

    /// Stops the server (`pg_ctl stop -m fast`: clients are disconnected),
    /// as when the clinic's server PC is shut down. Only for a test binary
    /// whose other tests do not use the cluster at the same time.
    pub fn stop(&self) {
        let out = as_cluster_owner(&self.bin, "pg_ctl", is_root())
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl stop failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the server again after [`Cluster::stop`] (same port, same data).
    pub fn start_again(&self) {
        let out = as_cluster_owner(&self.bin, "pg_ctl", is_root())
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-o", &self.opts, "-w", "-l"])
            .arg(self.dir.join("log"))
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A superuser client on `db`.
    pub fn superuser(&self, db: &str) -> postgres::Client {
        let mut config: postgres::Config = self.url("postgres", db).parse().unwrap();
        config.password(SUPER_PASSWORD);
        config.connect(postgres::NoTls).unwrap()
    }

    /// A fresh, empty database; returns its name.
    pub fn new_database(&self) -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        self.superuser("postgres")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        name
    }
}

fn pg_bin() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("DERMIS_PG_BIN") {
        let dir = PathBuf::from(dir);
        return dir.join("initdb").exists().then_some(dir);
    }
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `cmd` as the `postgres` user when we are root (initdb refuses root).
fn as_cluster_owner(bin: &Path, tool: &str, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn start() -> Option<Cluster> {
    let Some(bin) = pg_bin() else {
        // CI installs PostgreSQL (scripts/setup.sh): there a missing server is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no PostgreSQL server binaries were found (/usr/lib/postgresql/*/bin/initdb): \
             scripts/setup.sh installs Debian's `postgresql` package"
        );
        // Straight to the process's stderr: the test harness captures eprintln!.
        use std::io::Write;
        let _ = std::io::stderr().write_all(
            b"\n*** SKIPPING the PostgreSQL tests: no PostgreSQL server binaries \
              (/usr/lib/postgresql/*/bin/initdb). Install Debian's `postgresql` package \
              (scripts/setup.sh does) to run them. ***\n\n",
        );
        return None;
    };
    let root = is_root();
    let dir =
        std::env::temp_dir().join(format!("dermis-pg-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, SUPER_PASSWORD).unwrap();
    if root {
        let ok = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir)
            .status()
            .unwrap()
            .success();
        assert!(ok, "chown of the test cluster folder failed");
    }
    let data = dir.join("data");
    let out = as_cluster_owner(&bin, "initdb", root)
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "-A",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ])
        .arg(format!("--pwfile={}", pwfile.display()))
        .output()
        .unwrap();
    if !out.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (cert, key, fingerprint) = make_certificate(&dir, root);
    let port = free_port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off \
         -c synchronous_commit=off -c max_connections=60 -c ssl=on -c ssl_cert_file={} \
         -c ssl_key_file={}",
        dir.display(),
        cert.display(),
        key.display()
    );
    let out = as_cluster_owner(&bin, "pg_ctl", root)
        .arg("-D")
        .arg(&data)
        .args(["-o", &opts, "-w", "-l"])
        .arg(dir.join("log"))
        .arg("start")
        .output()
        .unwrap();
    if !out.status.success() {
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        panic!(
            "pg_ctl start failed: {} {log}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        out.status.success(),
        "pg_ctl start failed: {} {}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("log")).unwrap_or_default()
    );
    // The watchdog: when this test process is gone, stop the cluster and
    // remove it. It must outlive us, so it is never waited for.
    let stop = format!(
        "{} {} -D {} -m immediate stop",
        if root { "runuser -u postgres --" } else { "" },
        bin.join("pg_ctl").display(),
        data.display()
    );
    let watchdog = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.3; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            dir = dir.display()
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::mem::forget(watchdog);
    Some(Cluster {
        port,
        dir,
        bin,
        fingerprint,
        opts,
    })
}

/// A self-signed certificate for the cluster (with `openssl`, as the
/// clinic-server script makes one): (certificate, key, fingerprint).
fn make_certificate(dir: &Path, root: bool) -> (PathBuf, PathBuf, String) {
    let (cert, key) = (dir.join("server.crt"), dir.join("server.key"));
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args([
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=dermis-test-cluster",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl (Debian: openssl) makes the test cluster's TLS certificate");
    assert!(
        out.status.success(),
        "openssl req failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fp = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(&cert)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&fp.stdout);
    let fingerprint = text
        .trim()
        .rsplit('=')
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(fingerprint.len(), 95, "openssl fingerprint: {text}");
    if root {
        for f in [&cert, &key] {
            assert!(Command::new("chown")
                .arg("postgres:postgres")
                .arg(f)
                .status()
                .unwrap()
                .success());
        }
    }
    assert!(Command::new("chmod")
        .arg("600")
        .arg(&key)
        .status()
        .unwrap()
        .success());
    (cert, key, fingerprint)
}

/// The test binary's cluster, started on first use (`None`: binaries absent).
pub fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
    CLUSTER.get_or_init(start).as_ref()
}
