//! The app commands (About box) through Tauri's IPC on the mock runtime.

use dermis_app::ipc::ShellDesktop;
use dermis_clinic::api::Workstation;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

fn desktop(logs: Option<std::path::PathBuf>) -> Box<ShellDesktop> {
    Box::new(ShellDesktop {
        name: "Dermis".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        prints: None,
        logs,
    })
}

fn call(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: "call".into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(json!({ "command": cmd, "args": args })),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| match b {
        // The answer comes back raw: JSON text (or a photo's bytes).
        InvokeResponseBody::Raw(bytes) => serde_json::from_slice(&bytes).unwrap(),
        InvokeResponseBody::Json(text) => serde_json::from_str(&text).unwrap(),
    })
}

#[test]
fn app_info_names_the_version_the_database_and_the_log_folder_before_sign_in() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("clinic.db");
    let logs = tmp.path().join("logs");
    let app = dermis_app::builder(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(Workstation::at(db.clone(), desktop(Some(logs.clone()))));
    let w = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();

    let info = call(&w, "app_info", json!({})).unwrap();
    assert_eq!(
        info["version"],
        json!(app.package_info().version.to_string())
    );
    assert_eq!(info["db_path"], json!(db.display().to_string()));
    assert_eq!(info["log_dir"], json!(logs.display().to_string()));
    assert!(
        !db.exists(),
        "the About box does not open (or create) the database"
    );
}

#[test]
fn show_logs_without_a_log_folder_is_an_io_error_with_a_sentence() {
    let app = dermis_app::builder(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(Workstation::at(
        std::path::PathBuf::from("/nonexistent/clinic.db"),
        desktop(None),
    ));
    let w = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let err = call(&w, "show_logs", json!({})).unwrap_err();
    assert_eq!(err["code"], json!("io"));
    assert_eq!(
        err["message"],
        json!("Dermis has no log folder on this computer.")
    );
}
