//! Converts business rules (gateway rule files, one rule or an array each, in folders) to the
//! compact form the web page loads, and the EU value sets they read to a compact map:
//! `cargo run --release --example compact_rules -- --out FILE [--value-sets DIR --value-sets-out FILE] INPUT...`
//!
//! The 2023 snapshot of the gateway (24 countries, 292 rule versions) is 1.6 MB of files; the
//! page needs each rule version that can still be selected, with its English and Vietnamese
//! descriptions, minified.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dcc_verifier::rules::{self, RuleSet};

fn json_files(path: &Path, found: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|e| e.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            if entry.is_dir() || entry.extension().is_some_and(|ext| ext == "json") {
                json_files(&entry, found);
            }
        }
    } else {
        found.push(path.to_path_buf());
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut out, mut sets_dir, mut sets_out, mut inputs) = (None, None, None, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next(),
            "--value-sets" => sets_dir = args.next(),
            "--value-sets-out" => sets_out = args.next(),
            _ => inputs.push(arg),
        }
    }
    let Some(out) = out.filter(|_| !inputs.is_empty()) else {
        eprintln!(
            "usage: compact_rules --out FILE [--value-sets DIR --value-sets-out FILE] INPUT..."
        );
        return ExitCode::from(2);
    };
    let mut set = RuleSet::new();
    let mut files = Vec::new();
    for input in &inputs {
        json_files(Path::new(input), &mut files);
    }
    for file in &files {
        let added = std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| set.add_json(&bytes).map_err(|e| e.to_string()));
        if let Err(error) = added {
            eprintln!("compact_rules: {}: {error}", file.display());
            return ExitCode::from(1);
        }
    }
    let compact = set.to_compact_json(&["vi"]);
    let kept = RuleSet::from_json(compact.as_bytes()).map_or(0, |kept| kept.rules().len());
    if let Err(error) = std::fs::write(&out, &compact) {
        eprintln!("compact_rules: {out}: {error}");
        return ExitCode::from(1);
    }
    eprintln!(
        "compact_rules: {out}: {kept} of {} rule versions (the others are overshadowed) of {} countries, {} bytes",
        set.rules().len(),
        set.countries().len(),
        compact.len()
    );
    if let (Some(dir), Some(sets_out)) = (sets_dir, sets_out) {
        // Only the value sets some rule reads.
        let needed = set.value_sets_read();
        let mut sets = serde_json::Map::new();
        let mut files = Vec::new();
        json_files(Path::new(&dir), &mut files);
        for file in files {
            if let Ok(bytes) = std::fs::read(&file) {
                let _ = rules::add_value_sets(&mut sets, &bytes);
            }
        }
        sets.retain(|id, _| needed.contains(id));
        let text = serde_json::Value::Object(sets).to_string();
        if let Err(error) = std::fs::write(&sets_out, &text) {
            eprintln!("compact_rules: {sets_out}: {error}");
            return ExitCode::from(1);
        }
        eprintln!(
            "compact_rules: {sets_out}: value sets {needed:?}, {} bytes",
            text.len()
        );
    }
    ExitCode::SUCCESS
}
