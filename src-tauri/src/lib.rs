//! The Dermis desktop shell: opens the clinic database, holds the signed-in
//! session, and exposes dermis-clinic's use-cases as thin Tauri commands.

pub mod admin_commands;
pub mod app_commands;
pub mod commands;
pub mod desktop;
pub mod logging;
pub mod session_commands;
pub mod state;

use state::AppState;
use std::path::PathBuf;
use tauri::{Manager, Runtime};

/// Where the database is: `--db PATH`, else `DERMIS_DB`, else the OS app-data folder.
pub fn db_path_from(
    args: &[String],
    env: Option<String>,
    app_data_dir: Option<PathBuf>,
) -> Option<PathBuf> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--db" {
            if let Some(p) = it.next() {
                return Some(PathBuf::from(p));
            }
        } else if let Some(p) = a.strip_prefix("--db=") {
            return Some(PathBuf::from(p));
        }
    }
    if let Some(p) = env.filter(|p| !p.trim().is_empty()) {
        return Some(PathBuf::from(p));
    }
    app_data_dir.map(|d| d.join(dermis_clinic::DB_FILE_NAME))
}

/// Registers every command on `builder`; generic so tests can use the mock runtime.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        app_commands::app_info,
        app_commands::show_logs,
        commands::app_status,
        commands::setup_clinic,
        commands::login,
        commands::logout,
        commands::search_patients,
        commands::get_patient,
        commands::create_patient,
        commands::update_patient,
        commands::set_patient_archived,
        commands::erase_patient,
        commands::change_password,
        commands::screening_questions,
        commands::record_screening,
        commands::list_screenings,
        commands::score_assessment,
        commands::record_assessment,
        commands::list_assessments,
        commands::propose_plan,
        commands::accept_plan,
        commands::list_plans,
        commands::reschedule_session,
        commands::set_plan_status,
        commands::set_session_time,
        commands::calendar,
        commands::today,
        commands::plan_settings,
        commands::update_plan_settings,
        commands::contraindication_rules,
        commands::update_contraindication_rules,
        commands::backup_status,
        session_commands::session_draft,
        session_commands::record_session,
        session_commands::list_session_records,
        session_commands::record_healing,
        session_commands::adverse_events,
        session_commands::export_adverse_events,
        session_commands::progress,
        session_commands::list_photos,
        session_commands::before_after,
        session_commands::import_photo,
        session_commands::photo_data,
        session_commands::delete_photo,
        session_commands::depth_chart,
        session_commands::update_depth_chart,
        admin_commands::check_in,
        admin_commands::lock_app,
        admin_commands::unlock_app,
        admin_commands::clinic_settings,
        admin_commands::update_clinic_details,
        admin_commands::update_clinic_settings,
        admin_commands::set_logo,
        admin_commands::clear_logo,
        admin_commands::logo_data,
        admin_commands::list_users,
        admin_commands::create_user,
        admin_commands::deactivate_user,
        admin_commands::reset_password,
        admin_commands::audit_page,
        admin_commands::verify_audit,
        admin_commands::audit_checkpoint,
        admin_commands::export_audit,
        admin_commands::backup_now,
        admin_commands::inspect_backup,
        admin_commands::restore_backup,
        admin_commands::export_data,
        admin_commands::export_patient,
        admin_commands::book_consultation,
        admin_commands::register_with_consultation,
        admin_commands::cancel_consultation,
        admin_commands::check_in_consultation,
        admin_commands::list_documents,
        admin_commands::save_document,
        admin_commands::print_document,
        admin_commands::languages,
        admin_commands::aftercare_texts,
        admin_commands::save_aftercare_text,
        admin_commands::approve_aftercare_text,
    ])
}

pub fn run() {
    let args: Vec<String> = std::env::args().collect();
    let env_db = std::env::var("DERMIS_DB").ok();
    let context = tauri::generate_context!();
    let instance = desktop::instance_id(
        &context.config().identifier,
        db_path_from(&args, env_db.clone(), None).as_deref(),
    );
    let result = builder(tauri::Builder::default())
        // First, so a second launch hands over before anything else starts.
        .plugin(desktop::single_instance(instance))
        .plugin(desktop::window_state())
        // File dialogs: photo import, saving exports and documents.
        .plugin(tauri_plugin_dialog::init())
        .menu(desktop::menu)
        .on_menu_event(desktop::on_menu_event)
        .setup(move |app| {
            let logs = logging::init(app.path().app_log_dir().ok());
            app.manage(app_commands::LogFolder(logs));
            app.manage(desktop::Zoom(std::sync::Mutex::new(1.0)));
            desktop::save_window_state_when_settled(app.handle());
            let path = db_path_from(&args, env_db, app.path().app_data_dir().ok()).ok_or(
                "there is no app-data folder on this computer; start Dermis with --db PATH",
            )?;
            tracing::info!(
                "Dermis {} started; database {}",
                app.package_info().version,
                path.display()
            );
            app.manage(AppState::at(path));
            // Printed PDFs hold patients' names: none older than a day stays.
            if let Ok(cache) = app.path().app_cache_dir() {
                let hours = dermis_clinic::PRINTS_KEPT_HOURS;
                dermis_clinic::clean_prints(
                    &cache.join("prints"),
                    std::time::Duration::from_secs(hours * 3600),
                );
            }
            Ok(())
        })
        .build(context);
    match result {
        Ok(app) => app.run(|_, event| {
            if let tauri::RunEvent::Exit = event {
                tracing::info!("Dermis closed");
            }
        }),
        Err(e) => {
            tracing::error!("Dermis could not start: {e}");
            eprintln!("Dermis could not start: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_flag_wins_over_env_and_default() {
        let args = vec!["dermis-app".to_string(), "--db".into(), "/tmp/a.db".into()];
        assert_eq!(
            db_path_from(&args, Some("/tmp/b.db".into()), Some("/data".into())),
            Some(PathBuf::from("/tmp/a.db"))
        );
        let args = vec!["dermis-app".to_string(), "--db=/tmp/c.db".into()];
        assert_eq!(
            db_path_from(&args, None, None),
            Some(PathBuf::from("/tmp/c.db"))
        );
        assert_eq!(
            db_path_from(&[], Some("/tmp/b.db".into()), Some("/data".into())),
            Some(PathBuf::from("/tmp/b.db"))
        );
        assert_eq!(
            db_path_from(&[], Some(" ".into()), Some("/data".into())),
            Some(PathBuf::from("/data/dermis.db"))
        );
    }
}
