//! Commands about the app itself rather than the clinic: the About box and
//! the log folder. Kept apart from `commands.rs` (the clinic's use-cases).

use crate::state::AppState;
use dermis_clinic::{ApiError, ClinicError};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

/// What the About box shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// "Dermis".
    pub name: String,
    /// The app's version, e.g. "0.1.0".
    pub version: String,
    /// The clinic database this window works on.
    pub db_path: String,
    /// The folder with Dermis' log files ("" when there is none).
    pub log_dir: String,
}

/// Where the app writes its log files (managed state; set up in `run`).
pub struct LogFolder(pub Option<PathBuf>);

fn io(message: impl Into<String>) -> ApiError {
    ClinicError::Io(message.into()).into()
}

#[tauri::command]
pub async fn app_info<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    logs: State<'_, LogFolder>,
) -> Result<AppInfo, ApiError> {
    let info = app.package_info();
    Ok(AppInfo {
        name: info.name.clone(),
        version: info.version.to_string(),
        db_path: state
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        log_dir: logs
            .0
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    })
}

/// Opens the log folder in the system's file manager.
#[tauri::command]
pub async fn show_logs(logs: State<'_, LogFolder>) -> Result<(), ApiError> {
    open_log_folder(logs.0.as_deref())
}

/// Opens `dir` (created first if missing) in the file manager; shared by the
/// command and the Help menu.
pub fn open_log_folder(dir: Option<&std::path::Path>) -> Result<(), ApiError> {
    let dir = dir.ok_or_else(|| io("Dermis has no log folder on this computer."))?;
    std::fs::create_dir_all(dir).map_err(|e| {
        io(format!(
            "The log folder {} cannot be created: {e}",
            dir.display()
        ))
    })?;
    tauri_plugin_opener::open_path(dir, None::<&str>).map_err(|e| {
        io(format!(
            "The log folder {} could not be opened: {e}",
            dir.display()
        ))
    })
}
