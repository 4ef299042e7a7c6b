//! The desktop finish: the app menu, one instance per database, the window's
//! size and position remembered between runs.

use crate::ipc::open_log_folder;
use crate::LogFolder;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Emitter, Manager, Runtime, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// The main window's label (tauri.conf.json).
pub const MAIN_WINDOW: &str = "main";

/// The event the UI listens to, to open its About box.
pub const ABOUT_EVENT: &str = "menu-about";

/// The webview's zoom level (View menu), 1.0 = 100 %.
pub struct Zoom(pub Mutex<f64>);

const ZOOM_STEPS: [f64; 9] = [0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0];

/// The next zoom level up (`dir` > 0) or down from `current`, within the steps.
pub fn next_zoom(current: f64, dir: i32) -> f64 {
    let pos = ZOOM_STEPS
        .iter()
        .position(|z| (z - current).abs() < 0.001)
        .unwrap_or(3);
    let next = if dir > 0 {
        (pos + 1).min(ZOOM_STEPS.len() - 1)
    } else {
        pos.saturating_sub(1)
    };
    ZOOM_STEPS[next]
}

/// The single-instance name: the identifier, plus a hash of the database path
/// when one was given with `--db`/`DERMIS_DB`, so the demo database (or a
/// test's) opens beside the clinic's own, while a second launch on the same
/// database brings the first window forward instead of opening another.
/// (On Linux this is a D-Bus name; Windows and macOS key on the identifier.)
pub fn instance_id(identifier: &str, db: Option<&Path>) -> String {
    match db {
        None => identifier.to_string(),
        Some(p) => {
            // The canonical path: `./x.db`, `x.db` and a symlink to it are one
            // database, so they must be one instance (a file not made yet:
            // its folder's canonical path and its name).
            let canonical = std::fs::canonicalize(p)
                .ok()
                .or_else(|| {
                    let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
                    let dir = dir.map_or_else(
                        || std::env::current_dir().ok(),
                        |d| std::fs::canonicalize(d).ok(),
                    )?;
                    Some(dir.join(p.file_name()?))
                })
                .unwrap_or_else(|| p.to_path_buf());
            // FNV-1a: stable across builds, so an upgraded app finds the older one.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in canonical.to_string_lossy().as_bytes() {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{identifier}.db{h:016x}")
        }
    }
}

/// A second launch hands over to the first: its window is shown, restored and focused.
pub fn single_instance<R: Runtime>(id: String) -> TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(id)
        .callback(|app, _args, _cwd| {
            tracing::info!("a second launch was handed to this window");
            if let Some(w) = app.get_webview_window(MAIN_WINDOW) {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        })
        .build()
}

const WINDOW_STATE: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// Size, position and maximised state (`.window-state.json` in the app's
/// config folder), restored when the window opens; a position that is no
/// longer on any screen is not restored. The plugin saves when Dermis exits;
/// [`save_window_state_when_settled`] also saves after each move or resize.
pub fn window_state<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(WINDOW_STATE)
        .build()
}

/// Saves the window state half a second after the last move or resize, so a
/// PC switched off (or an app killed) with Dermis open still reopens where it was.
pub fn save_window_state_when_settled<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    let generation = Arc::new(AtomicU64::new(0));
    let app = app.clone();
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
        let generation = generation.clone();
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            if generation.load(Ordering::SeqCst) == mine {
                if let Err(e) = app.save_window_state(WINDOW_STATE) {
                    tracing::warn!("the window's size and place could not be saved: {e}");
                }
            }
        });
    });
}

/// File, Edit, View, Help (and the app menu on macOS). Edit's items make the
/// usual keyboard shortcuts work in the macOS webview.
pub fn menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let about = MenuItemBuilder::with_id("about", "About Dermis").build(app)?;
    let show_logs = MenuItemBuilder::with_id("show-logs", "Show Logs").build(app)?;
    let quit = MenuItemBuilder::with_id("quit", "Quit")
        .accelerator("CmdOrCtrl+Q")
        .build(app)?;
    let zoom_in = MenuItemBuilder::with_id("zoom-in", "Zoom In")
        .accelerator("CmdOrCtrl+=")
        .build(app)?;
    let zoom_out = MenuItemBuilder::with_id("zoom-out", "Zoom Out")
        .accelerator("CmdOrCtrl+-")
        .build(app)?;
    let zoom_reset = MenuItemBuilder::with_id("zoom-reset", "Actual Size")
        .accelerator("CmdOrCtrl+0")
        .build(app)?;

    let mut menu = MenuBuilder::new(app);
    #[cfg(target_os = "macos")]
    {
        let app_menu = SubmenuBuilder::new(app, "Dermis")
            .item(&about)
            .separator()
            .services()
            .separator()
            .hide()
            .hide_others()
            .show_all()
            .separator()
            .item(&quit)
            .build()?;
        menu = menu.item(&app_menu);
    }
    let file = SubmenuBuilder::new(app, "File");
    #[cfg(not(target_os = "macos"))]
    let file = file.item(&quit);
    #[cfg(target_os = "macos")]
    let file = file.close_window();
    let edit = SubmenuBuilder::new(app, "Edit")
        .undo()
        .redo()
        .separator()
        .cut()
        .copy()
        .paste()
        .separator()
        .select_all()
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&zoom_in)
        .item(&zoom_out)
        .item(&zoom_reset)
        .build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&about)
        .item(&show_logs)
        .build()?;
    menu = menu
        .item(&file.build()?)
        .item(&edit)
        .item(&view)
        .item(&help);
    menu.build()
}

pub fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        "about" => {
            if let Err(e) = app.emit_to(MAIN_WINDOW, ABOUT_EVENT, ()) {
                tracing::warn!("the About box could not be opened: {e}");
            }
        }
        "show-logs" => {
            let dir = app.try_state::<LogFolder>().and_then(|l| l.0.clone());
            if let Err(e) = open_log_folder(dir.as_deref()) {
                tracing::warn!("Show Logs: {e}");
            }
        }
        "quit" => app.exit(0),
        id @ ("zoom-in" | "zoom-out" | "zoom-reset") => zoom(app, id),
        _ => {}
    }
}

fn zoom<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let (Some(window), Some(level)) =
        (app.get_webview_window(MAIN_WINDOW), app.try_state::<Zoom>())
    else {
        return;
    };
    let Ok(mut level) = level.0.lock() else {
        return;
    };
    let next = match id {
        "zoom-in" => next_zoom(*level, 1),
        "zoom-out" => next_zoom(*level, -1),
        _ => 1.0,
    };
    match window.set_zoom(next) {
        Ok(()) => *level = next,
        Err(e) => tracing::warn!("zoom: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_steps_stop_at_the_ends() {
        assert_eq!(next_zoom(1.0, 1), 1.1);
        assert_eq!(next_zoom(1.0, -1), 0.9);
        assert_eq!(next_zoom(2.0, 1), 2.0);
        assert_eq!(next_zoom(0.67, -1), 0.67);
        assert_eq!(
            next_zoom(1.234, 1),
            1.1,
            "an unknown level restarts from 100 %"
        );
    }

    #[test]
    fn instance_id_is_per_database_and_stable() {
        assert_eq!(instance_id("org.dermis.app", None), "org.dermis.app");
        let a = instance_id("org.dermis.app", Some(Path::new("/tmp/a.db")));
        let b = instance_id("org.dermis.app", Some(Path::new("/tmp/b.db")));
        assert_ne!(a, b);
        assert_eq!(
            a,
            instance_id("org.dermis.app", Some(Path::new("/tmp/a.db")))
        );
        // A D-Bus name element may not start with a digit.
        assert!(a.starts_with("org.dermis.app.db"), "{a}");
    }

    #[test]
    fn two_spellings_of_one_database_are_one_instance() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.db"), b"").unwrap();
        let plain = dir.path().join("x.db");
        let dotted = dir.path().join(".").join("sub").join("..").join("x.db");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(
            instance_id("org.dermis.app", Some(&plain)),
            instance_id("org.dermis.app", Some(&dotted))
        );
        // Not created yet: the folder's canonical path decides.
        assert_eq!(
            instance_id("org.dermis.app", Some(&dir.path().join("new.db"))),
            instance_id(
                "org.dermis.app",
                Some(&dir.path().join("sub").join("..").join("new.db"))
            )
        );
    }
}
