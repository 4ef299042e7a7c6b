//! Thin adapters: each command is one call into dermis-clinic and a conversion.
//! `async` so they run off the UI thread.

use crate::state::AppState;
use dermis_clinic::core::{
    LoginInput, Patient, PatientInput, PatientPage, PatientSearch, SessionInfo, SetupInput,
};
use dermis_clinic::{ApiError, AppStatus};
use tauri::State;

type Res<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    Ok(state.clinic()?.status(state.current()?.as_ref())?)
}

#[tauri::command]
pub async fn setup_clinic(state: State<'_, AppState>, input: SetupInput) -> Res<SessionInfo> {
    let session = state.clinic()?.setup(&input)?;
    let info = session.info();
    state.set_session(Some(session))?;
    Ok(info)
}

#[tauri::command]
pub async fn login(state: State<'_, AppState>, input: LoginInput) -> Res<SessionInfo> {
    let session = state.clinic()?.login(&input)?;
    let info = session.info();
    state.set_session(Some(session))?;
    Ok(info)
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Res<()> {
    if let Some(s) = state.current()? {
        state.clinic()?.logout(&s)?;
    }
    state.set_session(None)
}

#[tauri::command]
pub async fn search_patients(
    state: State<'_, AppState>,
    search: PatientSearch,
) -> Res<PatientPage> {
    Ok(state
        .clinic()?
        .search_patients(&state.session()?, &search)?)
}

#[tauri::command]
pub async fn get_patient(state: State<'_, AppState>, id: i64) -> Res<Patient> {
    Ok(state.clinic()?.patient(&state.session()?, id)?)
}

#[tauri::command]
pub async fn create_patient(state: State<'_, AppState>, input: PatientInput) -> Res<Patient> {
    Ok(state.clinic()?.create_patient(&state.session()?, &input)?)
}

#[tauri::command]
pub async fn update_patient(
    state: State<'_, AppState>,
    id: i64,
    expected_version: i64,
    input: PatientInput,
) -> Res<Patient> {
    Ok(state
        .clinic()?
        .update_patient(&state.session()?, id, expected_version, &input)?)
}

#[tauri::command]
pub async fn set_patient_archived(
    state: State<'_, AppState>,
    id: i64,
    archived: bool,
) -> Res<Patient> {
    Ok(state
        .clinic()?
        .set_patient_archived(&state.session()?, id, archived)?)
}
