//! The log file: `tracing` into `dermis.YYYY-MM-DD.log` in the OS log folder,
//! a new file each day, the newest few kept. What is logged is about the app
//! (start, the database file opened, backups, errors by code), never clinical
//! content, names or passwords.

use std::path::{Path, PathBuf};
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::filter::LevelFilter;

/// How many daily files are kept.
pub const KEEP_FILES: usize = 10;

/// Sends `tracing` events to a daily file in `dir` (created if missing).
/// Returns the folder on success; on failure the app runs on without a log
/// file and says why on stderr (a log must never stop the clinic working).
pub fn init(dir: Option<PathBuf>) -> Option<PathBuf> {
    let dir = dir?;
    match try_init(&dir) {
        Ok(()) => Some(dir),
        Err(e) => {
            eprintln!("Dermis: no log file in {}: {e}", dir.display());
            None
        }
    }
}

fn try_init(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("dermis")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(dir)
        .map_err(|e| e.to_string())?;
    tracing_subscriber::fmt()
        .with_writer(appender)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(LevelFilter::INFO)
        .try_init()
        .map_err(|e| e.to_string())?;
    // A panic is written to the log by place only: its message could quote data.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".into());
        tracing::error!("Dermis stopped on an internal error at {at}");
        default_hook(info);
    }));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_dated_file_in_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("logs");
        assert_eq!(init(Some(dir.clone())), Some(dir.clone()));
        tracing::info!("log test line");
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(
            files[0].starts_with("dermis.") && files[0].ends_with(".log"),
            "{files:?}"
        );
        let text = std::fs::read_to_string(dir.join(&files[0])).unwrap();
        assert!(text.contains("log test line"), "{text}");
    }
}
