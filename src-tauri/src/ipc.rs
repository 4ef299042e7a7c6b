//! The shell's side of the one contract: a single Tauri command, `call`,
//! hands every message to dermis-clinic's command table
//! (`dermis_clinic::api`), and [`ShellDesktop`] does the few things only the
//! operating system does. Nothing else is written here: a command's logic
//! lives in dermis-clinic, its declaration in the table.

use dermis_clinic::api::{Desktop, Workstation};
use dermis_clinic::ApiError;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime};

/// Runs command `command` with `args` (an object; null when it takes none).
/// The answer goes back raw (an ArrayBuffer in the webview): JSON text for
/// most commands, the bytes themselves for photos and the logo.
///
/// The command runs on a blocking thread, not on the async runtime's worker:
/// the store's clients are synchronous (rusqlite, and the `postgres` crate,
/// which drives its own runtime and panics when asked to from inside
/// another's: every clinic-server command did, caught by the clinic-network
/// end-to-end test), and a slow call must not hold a worker the webview's
/// other messages need.
#[tauri::command]
pub async fn call<R: Runtime>(
    app: AppHandle<R>,
    command: String,
    args: Option<serde_json::Value>,
) -> Result<tauri::ipc::Response, ApiError> {
    let args = args.unwrap_or(serde_json::Value::Null);
    let reply = tauri::async_runtime::spawn_blocking(move || {
        app.state::<Workstation>().call(&command, &args)
    })
    .await
    .map_err(|e| {
        ApiError::from(dermis_clinic::ClinicError::Internal(format!(
            "the command stopped unexpectedly: {e}"
        )))
    })??;
    Ok(tauri::ipc::Response::new(reply.into_bytes()))
}

/// The operating system, for the desktop app.
pub struct ShellDesktop {
    pub name: String,
    pub version: String,
    pub prints: Option<PathBuf>,
    pub logs: Option<PathBuf>,
}

impl Desktop for ShellDesktop {
    /// `DERMIS_PRINT_NO_OPEN=1` leaves printed PDFs unopened (end-to-end tests).
    fn open(&self, path: &Path) -> Result<(), String> {
        let pdf = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        if pdf && std::env::var_os("DERMIS_PRINT_NO_OPEN").is_some() {
            return Ok(());
        }
        if pdf && !pdf_viewer_installed() {
            return Err("there is no program on this computer that opens PDF files".into());
        }
        tauri_plugin_opener::open_path(path, None::<&str>).map_err(|e| e.to_string())
    }
    fn prints_dir(&self) -> Option<PathBuf> {
        self.prints.clone()
    }
    fn log_dir(&self) -> Option<PathBuf> {
        self.logs.clone()
    }
    fn app_name_version(&self) -> (String, String) {
        (self.name.clone(), self.version.clone())
    }
}

/// Whether the desktop has a program for PDF files. On Linux `xdg-open`
/// "succeeds" with nothing to open the file, so ask `xdg-mime` first (when it
/// cannot be asked, assume there is one). Elsewhere the system says so itself.
fn pdf_viewer_installed() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    match std::process::Command::new("xdg-mime")
        .args(["query", "default", "application/pdf"])
        .output()
    {
        Ok(out) if out.status.success() => !String::from_utf8_lossy(&out.stdout).trim().is_empty(),
        _ => true,
    }
}

/// Opens the log folder (created first if missing) in the file manager: the
/// Help menu's "Show Logs" (the UI's goes through the table's `show_logs`).
pub fn open_log_folder(dir: Option<&Path>) -> Result<(), String> {
    let dir = dir.ok_or("Dermis has no log folder on this computer.")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    tauri_plugin_opener::open_path(dir, None::<&str>).map_err(|e| e.to_string())
}
