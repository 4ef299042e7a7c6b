//! Thin adapters for the reception desk (check-in), the idle lock, Settings
//! (clinic details, logo, clinic settings), accounts, the audit log, backups,
//! restore and exports: one dermis-clinic call and a conversion each.

use crate::state::AppState;
use dermis_clinic::core::settings::{ClinicDetails, ClinicSettings};
use dermis_clinic::core::SessionInfo;
use dermis_clinic::{
    ApiError, AuditFilter, AuditPage, BackupSummary, ClinicSettingsView, ExportFormat,
    ExportSummary, NewUserInput, UserInfo,
};
use std::path::Path;
use tauri::State;

type Res<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn check_in(state: State<'_, AppState>, session_id: i64, arrived: bool) -> Res<()> {
    Ok(state
        .clinic()?
        .check_in(&state.session()?, session_id, arrived)?)
}

/// Locks the app (the UI calls this after the clinic's idle time; the
/// clinic also locks by itself once the idle limit has passed).
#[tauri::command]
pub async fn lock_app(state: State<'_, AppState>) -> Res<()> {
    state.lock()
}

/// Unlocks with the signed-in user's own password (rate limited like sign-in).
#[tauri::command]
pub async fn unlock_app(state: State<'_, AppState>, password: String) -> Res<()> {
    state.unlock(&password)
}

#[tauri::command]
pub async fn clinic_settings(state: State<'_, AppState>) -> Res<ClinicSettingsView> {
    Ok(state.clinic()?.clinic_settings(&state.session()?)?)
}

#[tauri::command]
pub async fn update_clinic_details(
    state: State<'_, AppState>,
    details: ClinicDetails,
) -> Res<ClinicSettingsView> {
    Ok(state
        .clinic()?
        .update_clinic_details(&state.session()?, &details)?)
}

#[tauri::command]
pub async fn update_clinic_settings(
    state: State<'_, AppState>,
    settings: ClinicSettings,
) -> Res<ClinicSettingsView> {
    Ok(state
        .clinic()?
        .update_clinic_settings(&state.session()?, &settings)?)
}

/// Every language a patient may prefer, named in itself; `documents` says
/// which ones Dermis prints in.
#[tauri::command]
pub async fn languages() -> Res<Vec<dermis_clinic::LanguageOption>> {
    Ok(dermis_clinic::languages())
}

/// The aftercare text of each document language, reviewed or default.
#[tauri::command]
pub async fn aftercare_texts(
    state: State<'_, AppState>,
) -> Res<Vec<dermis_clinic::AftercareTextView>> {
    Ok(state.clinic()?.aftercare_texts(&state.session()?)?)
}

#[tauri::command]
pub async fn save_aftercare_text(
    state: State<'_, AppState>,
    language: String,
    text: String,
) -> Res<dermis_clinic::AftercareTextView> {
    Ok(state
        .clinic()?
        .save_aftercare_text(&state.session()?, &language, &text)?)
}

#[tauri::command]
pub async fn approve_aftercare_text(
    state: State<'_, AppState>,
    language: String,
) -> Res<dermis_clinic::AftercareTextView> {
    Ok(state
        .clinic()?
        .approve_aftercare_text(&state.session()?, &language)?)
}

/// Sets the logo from a file chosen in the open dialog.
#[tauri::command]
pub async fn set_logo(state: State<'_, AppState>, path: String) -> Res<()> {
    Ok(state
        .clinic()?
        .set_logo_file(&state.session()?, Path::new(&path))?)
}

#[tauri::command]
pub async fn clear_logo(state: State<'_, AppState>) -> Res<()> {
    Ok(state.clinic()?.clear_logo(&state.session()?)?)
}

/// The logo's bytes (an ArrayBuffer; empty when there is none).
#[tauri::command]
pub async fn logo_data(state: State<'_, AppState>) -> Res<tauri::ipc::Response> {
    let logo = state.clinic()?.logo(&state.session()?)?;
    Ok(tauri::ipc::Response::new(
        logo.map(|(b, _)| b).unwrap_or_default(),
    ))
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>) -> Res<Vec<UserInfo>> {
    Ok(state.clinic()?.users(&state.session()?)?)
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, input: NewUserInput) -> Res<SessionInfo> {
    Ok(state.clinic()?.create_user(
        &state.session()?,
        &input.username,
        &input.display_name,
        &input.password,
        &input.roles,
    )?)
}

#[tauri::command]
pub async fn deactivate_user(state: State<'_, AppState>, username: String) -> Res<()> {
    Ok(state
        .clinic()?
        .deactivate_user(&state.session()?, &username)?)
}

#[tauri::command]
pub async fn reset_password(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Res<()> {
    Ok(state
        .clinic()?
        .reset_password(&state.session()?, &username, &password)?)
}

#[tauri::command]
pub async fn audit_page(state: State<'_, AppState>, filter: AuditFilter) -> Res<AuditPage> {
    Ok(state.clinic()?.audit_page(&state.session()?, &filter)?)
}

/// The id of the first broken audit entry, or null when the chain is intact.
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Res<Option<i64>> {
    Ok(state.clinic()?.verify_audit(&state.session()?)?)
}

/// The current head and entry count, for the clinic to keep on paper (audited).
#[tauri::command]
pub async fn audit_checkpoint(state: State<'_, AppState>) -> Res<dermis_clinic::AuditVerdict> {
    Ok(state.clinic()?.audit_checkpoint(&state.session()?)?)
}

#[tauri::command]
pub async fn export_audit(state: State<'_, AppState>, path: String) -> Res<usize> {
    Ok(state
        .clinic()?
        .export_audit(&state.session()?, Path::new(&path))?)
}

/// A verified backup into a chosen folder (a USB stick).
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>, folder: String) -> Res<BackupSummary> {
    Ok(state
        .clinic()?
        .backup_to_folder(&state.session()?, Path::new(&folder))?)
}

/// What a backup file holds, checked; nothing changes.
#[tauri::command]
pub async fn inspect_backup(state: State<'_, AppState>, path: String) -> Res<BackupSummary> {
    Ok(state
        .clinic()?
        .inspect_backup(&state.session()?, Path::new(&path))?)
}

#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, path: String) -> Res<BackupSummary> {
    Ok(state
        .clinic()?
        .restore(&state.session()?, Path::new(&path))?)
}

#[tauri::command]
pub async fn export_data(
    state: State<'_, AppState>,
    format: ExportFormat,
    path: String,
) -> Res<ExportSummary> {
    Ok(state
        .clinic()?
        .export_data(&state.session()?, format, Path::new(&path))?)
}

/// One patient's full record as a JSON file (a data-access request).
#[tauri::command]
pub async fn export_patient(state: State<'_, AppState>, patient_id: i64, path: String) -> Res<()> {
    Ok(state
        .clinic()?
        .export_patient_record(&state.session()?, patient_id, Path::new(&path))?)
}

#[tauri::command]
pub async fn book_consultation(
    state: State<'_, AppState>,
    patient_id: i64,
    date: String,
    time: String,
) -> Res<i64> {
    Ok(state
        .clinic()?
        .book_consultation(&state.session()?, patient_id, &date, &time)?)
}

/// New patient + first consultation, both or neither.
#[tauri::command]
pub async fn register_with_consultation(
    state: State<'_, AppState>,
    input: dermis_clinic::core::PatientInput,
    date: String,
    time: String,
) -> Res<dermis_clinic::core::Patient> {
    Ok(state
        .clinic()?
        .register_with_consultation(&state.session()?, &input, &date, &time)?)
}

#[tauri::command]
pub async fn cancel_consultation(state: State<'_, AppState>, appointment_id: i64) -> Res<()> {
    Ok(state
        .clinic()?
        .cancel_consultation(&state.session()?, appointment_id)?)
}

#[tauri::command]
pub async fn check_in_consultation(
    state: State<'_, AppState>,
    appointment_id: i64,
    arrived: bool,
) -> Res<()> {
    Ok(state
        .clinic()?
        .check_in_consultation(&state.session()?, appointment_id, arrived)?)
}

/// A patient's printed documents, newest first.
#[tauri::command]
pub async fn list_documents(
    state: State<'_, AppState>,
    patient_id: i64,
) -> Res<Vec<dermis_clinic::DocumentInfo>> {
    Ok(state.clinic()?.documents(&state.session()?, patient_id)?)
}

/// Makes a document, writes it to the app's print folder and opens it in the
/// system's PDF viewer (its print dialog does the rest). `DERMIS_PRINT_NO_OPEN=1`
/// skips the viewer (end-to-end tests).
#[tauri::command]
pub async fn print_document<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    request: dermis_clinic::PrintRequest,
    language: Option<String>,
) -> Res<PrintedDocument> {
    use tauri::Manager;
    let doc =
        state
            .clinic()?
            .render_document_in(&state.session()?, &request, language.as_deref())?;
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| {
            ApiError::from(dermis_clinic::ClinicError::Io(format!(
                "There is no folder for prints: {e}."
            )))
        })?
        .join("prints");
    let path = dermis_clinic::write_print(&dir, &doc.file_name, &doc.bytes)?;
    if std::env::var_os("DERMIS_PRINT_NO_OPEN").is_none() {
        tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| {
            ApiError::from(dermis_clinic::ClinicError::Io(format!(
                "The PDF was saved as {} but no PDF viewer could open it: {e}.",
                path.display()
            )))
        })?;
    }
    Ok(PrintedDocument::of(&doc, path.display().to_string()))
}

/// Makes a document and writes it to `path` (a "Save as…" dialog's choice).
#[tauri::command]
pub async fn save_document(
    state: State<'_, AppState>,
    request: dermis_clinic::PrintRequest,
    path: String,
    language: Option<String>,
) -> Res<PrintedDocument> {
    let doc =
        state
            .clinic()?
            .render_document_in(&state.session()?, &request, language.as_deref())?;
    write_pdf(Path::new(&path), &doc.bytes)?;
    Ok(PrintedDocument::of(&doc, path))
}

/// Where a document went and what it is.
#[derive(serde::Serialize)]
pub struct PrintedDocument {
    pub path: String,
    pub file_name: String,
    pub pages: u32,
    pub patients: u32,
    pub bytes: usize,
    /// The language it is printed in (`fr`).
    pub language: String,
    /// Empty, or why it is not in the language wanted (the print dialog shows it).
    pub language_note: String,
}

impl PrintedDocument {
    pub fn of(doc: &dermis_clinic::RenderedDocument, path: String) -> Self {
        PrintedDocument {
            path,
            file_name: doc.file_name.clone(),
            pages: doc.pages,
            patients: doc.patients,
            bytes: doc.bytes.len(),
            language: doc.language.clone(),
            language_note: doc.language_note.clone(),
        }
    }
}

pub fn write_pdf(path: &Path, bytes: &[u8]) -> Res<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    dermis_clinic::ClinicError::Io(format!("{} cannot be written: {e}.", path.display())).into()
}
