//! The Windows and macOS bundle settings cannot be built here, so at least
//! check that each platform file, merged over tauri.conf.json the way the Tauri
//! CLI merges it, is a valid Tauri configuration (unknown keys are refused).

use serde_json::Value;
use tauri::utils::config::{BundleTarget, BundleType, Config};

fn read(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// JSON merge patch (RFC 7396), as the CLI applies platform files.
fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(k);
                } else {
                    merge(b.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

fn config_for(platform_file: Option<&str>) -> Config {
    let mut config = read("tauri.conf.json");
    if let Some(f) = platform_file {
        merge(&mut config, &read(f));
    }
    serde_json::from_value(config).unwrap_or_else(|e| panic!("{platform_file:?}: {e}"))
}

fn targets(c: &Config) -> Vec<BundleType> {
    match &c.bundle.targets {
        BundleTarget::List(l) => l.clone(),
        BundleTarget::One(t) => vec![t.clone()],
        BundleTarget::All => panic!("bundle targets should be named"),
    }
}

#[test]
fn linux_builds_a_deb() {
    let c = config_for(None);
    assert_eq!(targets(&c), vec![BundleType::Deb]);
    let csp = c.app.security.csp.unwrap().to_string();
    assert!(csp.contains("default-src 'self'"), "{csp}");
}

#[test]
fn windows_builds_msi_and_nsis_with_webview2_offline() {
    let c = config_for(Some("tauri.windows.conf.json"));
    assert_eq!(targets(&c), vec![BundleType::Msi, BundleType::Nsis]);
    let mode = serde_json::to_value(&c.bundle.windows.webview_install_mode).unwrap();
    assert_eq!(
        mode["type"], "offlineInstaller",
        "clinics may have no internet at install time"
    );
}

#[test]
fn macos_builds_an_app_and_a_dmg() {
    let c = config_for(Some("tauri.macos.conf.json"));
    assert_eq!(targets(&c), vec![BundleType::App, BundleType::Dmg]);
    assert_eq!(
        c.bundle.macos.minimum_system_version.as_deref(),
        Some("10.15")
    );
}

#[test]
fn an_unknown_key_is_refused() {
    let mut config = read("tauri.conf.json");
    merge(
        &mut config,
        &serde_json::json!({"bundle": {"windows": {"nsis": {"instalMode": "perMachine"}}}}),
    );
    assert!(serde_json::from_value::<Config>(config).is_err());
}
