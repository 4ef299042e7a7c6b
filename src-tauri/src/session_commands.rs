//! Thin adapters for session records, healing follow-up, the adverse-event
//! register, progress, photos and the depth chart: one dermis-clinic call and
//! a conversion each.

use crate::state::AppState;
use dermis_clinic::core::photo::{BeforeAfter, Photo};
use dermis_clinic::core::session::{
    AdverseEventEntry, AdverseEventFilter, HealingInput, Progress, SessionRecord,
    SessionRecordInput, ZoneDepthChart,
};
use dermis_clinic::{ApiError, HealingOutcome, PhotoImport, SessionDraft};
use tauri::State;

type Res<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn session_draft(
    state: State<'_, AppState>,
    planned_session_id: i64,
) -> Res<SessionDraft> {
    Ok(state
        .clinic()?
        .session_draft(&state.session()?, planned_session_id)?)
}

#[tauri::command]
pub async fn record_session(
    state: State<'_, AppState>,
    planned_session_id: i64,
    input: SessionRecordInput,
) -> Res<SessionRecord> {
    Ok(state
        .clinic()?
        .record_session(&state.session()?, planned_session_id, &input)?)
}

#[tauri::command]
pub async fn list_session_records(
    state: State<'_, AppState>,
    patient_id: i64,
) -> Res<Vec<SessionRecord>> {
    Ok(state
        .clinic()?
        .session_records(&state.session()?, patient_id)?)
}

#[tauri::command]
pub async fn record_healing(
    state: State<'_, AppState>,
    session_record_id: i64,
    input: HealingInput,
) -> Res<HealingOutcome> {
    Ok(state
        .clinic()?
        .record_healing(&state.session()?, session_record_id, &input)?)
}

#[tauri::command]
pub async fn adverse_events(
    state: State<'_, AppState>,
    filter: AdverseEventFilter,
) -> Res<Vec<AdverseEventEntry>> {
    Ok(state.clinic()?.adverse_events(&state.session()?, &filter)?)
}

/// Writes the register as CSV to `path` (chosen in a save dialog); returns the row count.
#[tauri::command]
pub async fn export_adverse_events(
    state: State<'_, AppState>,
    filter: AdverseEventFilter,
    path: String,
) -> Res<usize> {
    Ok(state.clinic()?.export_adverse_events(
        &state.session()?,
        &filter,
        std::path::Path::new(&path),
    )?)
}

#[tauri::command]
pub async fn progress(state: State<'_, AppState>, patient_id: i64) -> Res<Progress> {
    Ok(state.clinic()?.progress(&state.session()?, patient_id)?)
}

#[tauri::command]
pub async fn list_photos(state: State<'_, AppState>, patient_id: i64) -> Res<Vec<Photo>> {
    Ok(state.clinic()?.photos(&state.session()?, patient_id)?)
}

#[tauri::command]
pub async fn before_after(state: State<'_, AppState>, patient_id: i64) -> Res<Vec<BeforeAfter>> {
    Ok(state
        .clinic()?
        .before_after(&state.session()?, patient_id)?)
}

#[tauri::command]
pub async fn import_photo(
    state: State<'_, AppState>,
    patient_id: i64,
    import: PhotoImport,
) -> Res<Photo> {
    Ok(state
        .clinic()?
        .import_photo_file(&state.session()?, patient_id, &import)?)
}

/// Deletes a photo (admin or practitioner; audited; its file goes when no
/// other photo row uses it).
#[tauri::command]
pub async fn delete_photo(state: State<'_, AppState>, photo_id: i64) -> Res<()> {
    Ok(state.clinic()?.delete_photo(&state.session()?, photo_id)?)
}

/// A photo's (or thumbnail's) bytes, sent raw (an ArrayBuffer in the UI), not as JSON numbers.
#[tauri::command]
pub async fn photo_data(
    state: State<'_, AppState>,
    photo_id: i64,
    thumb: bool,
) -> Res<tauri::ipc::Response> {
    let (_mime, bytes) = state
        .clinic()?
        .photo_bytes(&state.session()?, photo_id, thumb)?;
    Ok(tauri::ipc::Response::new(bytes))
}

#[tauri::command]
pub async fn depth_chart(state: State<'_, AppState>) -> Res<Vec<ZoneDepthChart>> {
    Ok(state.clinic()?.depth_chart(&state.session()?)?)
}

#[tauri::command]
pub async fn update_depth_chart(
    state: State<'_, AppState>,
    chart: Vec<ZoneDepthChart>,
) -> Res<Vec<ZoneDepthChart>> {
    Ok(state
        .clinic()?
        .update_depth_chart(&state.session()?, &chart)?)
}
