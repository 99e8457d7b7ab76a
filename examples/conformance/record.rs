//! Records a conformance run's counts in `docs/conformance.json`, under the run's own key, so
//! that README.md and docs/ quote the last run (`scripts/figures` fills them in; a test in
//! `scripts/lib/figures.test.mjs` fails when they differ).

use std::path::Path;

use serde_json::{Map, Value};

/// Sets `key` of `docs/conformance.json` to `counts`, keeping the other runs' keys.
pub fn record(key: &str, counts: Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/conformance.json");
    let mut figures: Map<String, Value> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    figures.insert(key.to_owned(), counts);
    let text = serde_json::to_string_pretty(&figures).expect("JSON") + "\n";
    if let Err(error) = std::fs::write(&path, text) {
        eprintln!("{}: {error}", path.display());
    }
}
