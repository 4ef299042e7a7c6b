//! Thin adapters: each command is one call into dermis-clinic and a conversion.
//! `async` so they run off the UI thread.

use crate::state::AppState;
use dermis_clinic::core::assessment::{Assessment, AssessmentInput, GbCounts};
use dermis_clinic::core::plan::{
    CalendarEntry, Plan, PlanProposal, PlanRequest, PlanSchedule, PlanStatus, TodayList,
};
use dermis_clinic::core::screening::{Rule, Screening, ScreeningInput, ScreeningQuestion};
use dermis_clinic::core::settings::PlanSettings;
use dermis_clinic::core::{
    LoginInput, Patient, PatientInput, PatientPage, PatientSearch, SessionInfo, SetupInput,
};
use dermis_clinic::{ApiError, AppStatus, BackupStatus, ErasureSummary};
use tauri::State;

type Res<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    let mut status = state.clinic()?.status(state.current()?.as_ref())?;
    status.locked = state.is_locked()?;
    Ok(status)
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

/// Erases a patient and everything recorded about them (admin; right to erasure).
#[tauri::command]
pub async fn erase_patient(state: State<'_, AppState>, id: i64) -> Res<ErasureSummary> {
    Ok(state.clinic()?.erase_patient(&state.session()?, id)?)
}

/// Changes the signed-in user's own password.
#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current: String,
    new_password: String,
) -> Res<()> {
    Ok(state
        .clinic()?
        .change_password(&state.session()?, &current, &new_password)?)
}

#[tauri::command]
pub async fn screening_questions(state: State<'_, AppState>) -> Res<Vec<ScreeningQuestion>> {
    Ok(state.clinic()?.screening_questions(&state.session()?)?)
}

#[tauri::command]
pub async fn record_screening(
    state: State<'_, AppState>,
    patient_id: i64,
    input: ScreeningInput,
) -> Res<Screening> {
    Ok(state
        .clinic()?
        .record_screening(&state.session()?, patient_id, &input)?)
}

#[tauri::command]
pub async fn list_screenings(state: State<'_, AppState>, patient_id: i64) -> Res<Vec<Screening>> {
    Ok(state.clinic()?.screenings(&state.session()?, patient_id)?)
}

#[tauri::command]
pub async fn score_assessment(state: State<'_, AppState>, counts: GbCounts) -> Res<u32> {
    Ok(state
        .clinic()?
        .score_assessment(&state.session()?, &counts)?)
}

#[tauri::command]
pub async fn record_assessment(
    state: State<'_, AppState>,
    patient_id: i64,
    input: AssessmentInput,
) -> Res<Assessment> {
    Ok(state
        .clinic()?
        .record_assessment(&state.session()?, patient_id, &input)?)
}

#[tauri::command]
pub async fn list_assessments(state: State<'_, AppState>, patient_id: i64) -> Res<Vec<Assessment>> {
    Ok(state.clinic()?.assessments(&state.session()?, patient_id)?)
}

#[tauri::command]
pub async fn propose_plan(state: State<'_, AppState>, input: PlanRequest) -> Res<PlanProposal> {
    Ok(state.clinic()?.propose_plan(&state.session()?, &input)?)
}

#[tauri::command]
pub async fn accept_plan(state: State<'_, AppState>, input: PlanRequest) -> Res<Plan> {
    Ok(state.clinic()?.accept_plan(&state.session()?, &input)?)
}

#[tauri::command]
pub async fn list_plans(state: State<'_, AppState>, patient_id: i64) -> Res<Vec<Plan>> {
    Ok(state.clinic()?.plans(&state.session()?, patient_id)?)
}

#[tauri::command]
pub async fn reschedule_session(
    state: State<'_, AppState>,
    session_id: i64,
    date: String,
) -> Res<PlanSchedule> {
    Ok(state
        .clinic()?
        .reschedule_session(&state.session()?, session_id, &date)?)
}

#[tauri::command]
pub async fn set_plan_status(
    state: State<'_, AppState>,
    plan_id: i64,
    status: PlanStatus,
    reason: String,
) -> Res<Plan> {
    Ok(state
        .clinic()?
        .set_plan_status(&state.session()?, plan_id, status, &reason)?)
}

#[tauri::command]
pub async fn calendar(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Res<Vec<CalendarEntry>> {
    Ok(state.clinic()?.calendar(&state.session()?, &from, &to)?)
}

#[tauri::command]
pub async fn today(state: State<'_, AppState>) -> Res<TodayList> {
    Ok(state.clinic()?.today_list(&state.session()?)?)
}

#[tauri::command]
pub async fn plan_settings(state: State<'_, AppState>) -> Res<PlanSettings> {
    Ok(state.clinic()?.plan_settings(&state.session()?)?)
}

#[tauri::command]
pub async fn update_plan_settings(
    state: State<'_, AppState>,
    settings: PlanSettings,
) -> Res<PlanSettings> {
    Ok(state
        .clinic()?
        .update_plan_settings(&state.session()?, &settings)?)
}

#[tauri::command]
pub async fn contraindication_rules(state: State<'_, AppState>) -> Res<Vec<Rule>> {
    Ok(state.clinic()?.contraindication_rules(&state.session()?)?)
}

#[tauri::command]
pub async fn update_contraindication_rules(
    state: State<'_, AppState>,
    rules: Vec<Rule>,
) -> Res<Vec<Rule>> {
    Ok(state
        .clinic()?
        .update_contraindication_rules(&state.session()?, &rules)?)
}

#[tauri::command]
pub async fn set_session_time(
    state: State<'_, AppState>,
    session_id: i64,
    time: String,
) -> Res<PlanSchedule> {
    Ok(state
        .clinic()?
        .set_session_time(&state.session()?, session_id, &time)?)
}

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Res<BackupStatus> {
    Ok(state.clinic()?.backup_status(&state.session()?)?)
}
