//! The test host: dermis-clinic's command table over HTTP on 127.0.0.1.
//!
//! The UI tests (Vitest) and the UI in a plain browser (`npm run dev:mock`)
//! talk to this instead of a TypeScript imitation of the backend, so they
//! meet the same rules, sentences and audit rows as the desktop app. It
//! listens on loopback only and prints `listening on http://127.0.0.1:PORT`.
//!
//! - `POST /clinic` with options (JSON, all optional: `needs_setup`, `today`,
//!   `signed_in_as`, `patients`, `clinical_demo`, `no_pdf_viewer`) makes a fresh clinic in a
//!   temporary folder and answers `{ "id": "c7" }`. A clinic with setup done
//!   is a copy of one made at start-up (Clearskin Clinic; the admin `admin`,
//!   "correct horse battery"; the receptionist `desk`, "quiet otter marble
//!   lantern"), so a test pays for a file copy, not for hashing passwords.
//! - `POST /t/<id>/call/<command>` with the arguments as the body: the
//!   command's answer (JSON, or raw bytes for photos and the logo), or the
//!   `{ code, message, field, fields }` error with status 400.
//! - `POST /t/<id>/clock` `{ "today": "YYYY-MM-DD" }` moves that clinic's clock.
//! - `GET /t/<id>/opened`: the files the backend asked the OS to open.
//! - `DELETE /t/<id>`: forgets the clinic and removes its folder.

mod clock;
mod fixture;

use dermis_clinic::api::{Desktop, Reply, Workstation};
use dermis_clinic::{ApiError, ClinicError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tiny_http::{Header, Method, Response, Server};

/// One clinic of the host: its folder, its workstation, its clock.
pub struct Tenant {
    pub dir: tempfile::TempDir,
    pub station: Workstation,
    pub clock: Arc<clock::TestClock>,
    pub opened: Arc<Mutex<Vec<String>>>,
    /// An encrypted clinic's recovery key (for the recovery screen's tests).
    pub recovery_key: Option<String>,
}

/// The OS, for tests: opening a file is recorded, not done.
pub struct Recorder {
    pub opened: Arc<Mutex<Vec<String>>>,
    pub prints: PathBuf,
    /// This "computer" has no PDF viewer: opening a PDF fails as it would.
    pub no_pdf_viewer: bool,
}

impl Desktop for Recorder {
    fn open(&self, path: &Path) -> Result<(), String> {
        if self.no_pdf_viewer && path.extension().is_some_and(|e| e == "pdf") {
            return Err("there is no program on this computer that opens PDF files".into());
        }
        if let Ok(mut v) = self.opened.lock() {
            v.push(path.display().to_string());
        }
        Ok(())
    }
    fn prints_dir(&self) -> Option<PathBuf> {
        Some(self.prints.clone())
    }
    fn log_dir(&self) -> Option<PathBuf> {
        None
    }
    fn app_name_version(&self) -> (String, String) {
        ("Dermis".into(), env!("CARGO_PKG_VERSION").into())
    }
}

type Tenants = Arc<Mutex<HashMap<String, Arc<Tenant>>>>;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn json_response(status: u16, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
}

fn error_response(e: &ApiError) -> Response<std::io::Cursor<Vec<u8>>> {
    json_response(400, serde_json::to_vec(e).unwrap_or_default())
}

fn plain_error(status: u16, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let e: ApiError = ClinicError::Internal(message.to_string()).into();
    json_response(status, serde_json::to_vec(&e).unwrap_or_default())
}

fn handle(
    mut req: tiny_http::Request,
    tenants: &Tenants,
    template: &Path,
    next: &Mutex<u64>,
) -> std::io::Result<()> {
    let mut body = Vec::new();
    std::io::Read::read_to_end(req.as_reader(), &mut body)?;
    let url = req.url().to_string();
    let parts: Vec<&str> = url.trim_start_matches('/').split('/').collect();
    let method = req.method().clone();
    let response = match (&method, parts.as_slice()) {
        (Method::Post, ["clinic"]) => {
            let options: fixture::Options = if body.is_empty() {
                fixture::Options::default()
            } else {
                match serde_json::from_slice(&body) {
                    Ok(o) => o,
                    Err(e) => return req.respond(plain_error(400, &format!("bad options: {e}"))),
                }
            };
            let id = {
                let mut n = next.lock().map_err(|_| std::io::Error::other("poisoned"))?;
                *n += 1;
                format!("c{n}")
            };
            match fixture::make(template, &options) {
                Ok(t) => {
                    tenants
                        .lock()
                        .map_err(|_| std::io::Error::other("poisoned"))?
                        .insert(id.clone(), Arc::new(t));
                    json_response(200, serde_json::to_vec(&serde_json::json!({ "id": id }))?)
                }
                Err(e) => plain_error(500, &format!("cannot make the clinic: {e}")),
            }
        }
        (_, ["t", id, rest @ ..]) => {
            let tenant = tenants
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .get(*id)
                .cloned();
            let Some(t) = tenant else {
                return req.respond(plain_error(404, &format!("no test clinic {id}")));
            };
            match (&method, rest) {
                (Method::Post, ["call", command]) => {
                    let args: serde_json::Value = if body.is_empty() {
                        serde_json::Value::Null
                    } else {
                        match serde_json::from_slice(&body) {
                            Ok(v) => v,
                            Err(e) => {
                                return req.respond(plain_error(400, &format!("bad JSON: {e}")))
                            }
                        }
                    };
                    match t.station.call(command, &args) {
                        Ok(Reply::Json(b)) => json_response(200, b),
                        Ok(Reply::Bytes(b)) => Response::from_data(b)
                            .with_header(header("Content-Type", "application/octet-stream")),
                        Err(e) => error_response(&e),
                    }
                }
                (Method::Post, ["clock"]) => match t.clock.set_from_json(&body) {
                    Ok(()) => json_response(200, b"null".to_vec()),
                    Err(e) => plain_error(400, &e),
                },
                (Method::Get, ["opened"]) => {
                    let opened = t.opened.lock().map(|v| v.clone()).unwrap_or_default();
                    json_response(200, serde_json::to_vec(&opened)?)
                }
                (Method::Get, ["recovery-key"]) => {
                    json_response(200, serde_json::to_vec(&t.recovery_key)?)
                }
                (Method::Get, ["dir"]) => json_response(
                    200,
                    serde_json::to_vec(&t.dir.path().display().to_string())?,
                ),
                (Method::Delete, []) => {
                    tenants
                        .lock()
                        .map_err(|_| std::io::Error::other("poisoned"))?
                        .remove(*id);
                    json_response(200, b"null".to_vec())
                }
                _ => plain_error(404, "unknown test-host path"),
            }
        }
        (Method::Get, ["health"]) => json_response(200, b"\"ok\"".to_vec()),
        _ => plain_error(404, "unknown test-host path"),
    };
    req.respond(response)
}

fn main() {
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--port" {
            port = args.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        }
    }
    let root = match tempfile::Builder::new()
        .prefix("dermis-testhost-")
        .tempdir()
    {
        Ok(d) => d,
        Err(e) => {
            eprintln!("dermis-testhost: no temporary folder: {e}");
            std::process::exit(1);
        }
    };
    let template = root.path().join("template");
    if let Err(e) = fixture::make_template(&template) {
        eprintln!("dermis-testhost: cannot make the template clinic: {e}");
        std::process::exit(1);
    }
    // Loopback only: the host holds test clinics, and no other machine may talk to it.
    let server = match Server::http(("127.0.0.1", port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("dermis-testhost: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!("listening on http://{addr}");
    let tenants: Tenants = Arc::default();
    let next = Arc::new(Mutex::new(0u64));
    let template = Arc::new(template);
    for req in server.incoming_requests() {
        let (tenants, template, next) = (tenants.clone(), template.clone(), next.clone());
        std::thread::spawn(move || {
            if let Err(e) = handle(req, &tenants, &template, &next) {
                eprintln!("dermis-testhost: {e}");
            }
        });
    }
    drop(root);
}
