//! The Dermis desktop shell: a window, menus, dialogs, and one Tauri command
//! (`call`) in front of dermis-clinic's command table. The clinic database,
//! who is signed in and the idle lock live in dermis-clinic's `Workstation`.

pub mod desktop;
pub mod ipc;
pub mod logging;
pub mod memory;

use dermis_clinic::api::{connection, Target, Workstation};
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

/// What this PC opens: `--db`/`DERMIS_DB` (a file path or a clinic server
/// address) win; else the choice remembered in the app's data folder
/// (`connection.json`, written when the PC joined a clinic server); else the
/// clinic file in the app's data folder ("This PC only").
pub fn target_from(
    args: &[String],
    env: Option<String>,
    app_data_dir: Option<&std::path::Path>,
) -> Result<Target, String> {
    let given = db_path_from(args, env, None);
    if let Some(p) = given {
        return Target::parse(&p.to_string_lossy(), app_data_dir).map_err(|e| e.to_string());
    }
    let dir = app_data_dir
        .ok_or("there is no app-data folder on this computer; start Dermis with --db PATH")?;
    match connection::read_connection(dir).map_err(|e| e.to_string())? {
        Some(connection::Connection::Server { address }) => {
            Target::parse(&address, Some(dir)).map_err(|e| e.to_string())
        }
        Some(connection::Connection::File) | None => {
            Ok(Target::File(dir.join(dermis_clinic::DB_FILE_NAME)))
        }
    }
}

/// Registers the one command, `call`; generic so tests can use the mock runtime.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![ipc::call])
}

/// Where the app keeps its log files (managed state; read by the Help menu).
pub struct LogFolder(pub Option<PathBuf>);

/// The daily automatic backup, in the background once the database is open
/// (it copies through a connection of its own, so sign-in is not held up); a
/// failure shows as an old "last good backup" in Settings and on Today.
/// The copy and its check read the whole database through their own page
/// cache: once done, the freed memory goes back to the system ([`memory`]).
fn daily_backup(clinic: std::sync::Arc<dermis_clinic::Clinic>) {
    if let Err(e) = clinic.daily_backup() {
        tracing::warn!("the automatic backup failed: {e}");
        eprintln!("Dermis: the automatic backup failed: {e}");
    }
    memory::give_back_freed_memory();
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
            app.manage(LogFolder(logs.clone()));
            app.manage(desktop::Zoom(std::sync::Mutex::new(1.0)));
            desktop::save_window_state_when_settled(app.handle());
            let data_dir = app.path().app_data_dir().ok();
            let target = target_from(&args, env_db, data_dir.as_deref())?;
            tracing::info!(
                "Dermis {} started; {}",
                app.package_info().version,
                match &target {
                    Target::File(p) => format!("database {}", p.display()),
                    Target::Server { url, .. } => format!(
                        "clinic server {}",
                        dermis_clinic::api::connection::place_of(url)
                    ),
                }
            );
            let prints = app.path().app_cache_dir().ok().map(|c| c.join("prints"));
            // Printed PDFs hold patients' names: none older than a day stays.
            if let Some(dir) = &prints {
                let hours = dermis_clinic::PRINTS_KEPT_HOURS;
                dermis_clinic::clean_prints(dir, std::time::Duration::from_secs(hours * 3600));
            }
            let desktop = ipc::ShellDesktop {
                name: app.package_info().name.clone(),
                version: app.package_info().version.to_string(),
                prints,
                logs,
            };
            let mut station = Workstation::on(target, Box::new(desktop)).on_open(daily_backup);
            if let Some(dir) = data_dir {
                station = station.data_dir(dir);
            }
            app.manage(station);
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

    #[test]
    fn a_joined_clinic_server_is_opened_unless_db_says_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            target_from(&[], None, Some(dir.path())).unwrap(),
            Target::File(dir.path().join("dermis.db"))
        );
        let address = format!(
            "postgresql://10.0.0.5:5432/dermis?fingerprint={}",
            "ab".repeat(32)
        );
        connection::write_connection(
            dir.path(),
            &connection::Connection::Server {
                address: address.clone(),
            },
        )
        .unwrap();
        match target_from(&[], None, Some(dir.path())).unwrap() {
            Target::Server { url, keys_dir } => {
                assert_eq!(url, address);
                assert!(keys_dir.starts_with(dir.path().join("servers")));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            target_from(&[], Some("/tmp/b.db".into()), Some(dir.path())).unwrap(),
            Target::File(PathBuf::from("/tmp/b.db"))
        );
    }
}
