//! Runs the official business-rule tests (dgc-business-rules-testdata layout) through the
//! CertLogic evaluator, counting as the official tooling does.
//!
//! `cargo run --release --example rules_conformance -- DIR`
//!
//! Layout: `DIR/<CC>/<RuleID>/rule.json` and `DIR/<CC>/<RuleID>/tests/*.json`, each test
//! `{payload, external: {valueSets?, validationClock?}, expected}`; value sets in
//! `DIR/valuesets/valueSets.json` when a test has none of its own. A rule is evaluated on
//! `{payload, external}`. As in the official tooling, a test whose `validationClock` lies
//! outside the rule's `[ValidFrom, ValidTo)` is not run, and an evaluation error is a failure.
//! The last line is `N passed, M failed`, also recorded in `docs/conformance.json`
//! (`businessRules`); the exit code is 1 when any failed.

#[path = "conformance/record.rs"]
mod record;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dcc_verifier::rules::{certlogic, datetime, Rule};
use serde_json::Value;

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    not_run: usize,
    rules: usize,
}

fn run_rule(rule_dir: &Path, value_sets: Option<&Value>, tally: &mut Tally) -> Result<(), String> {
    let rule: Rule = serde_json::from_value(read_json(&rule_dir.join("rule.json"))?)
        .map_err(|e| format!("{}: not a rule: {e}", rule_dir.display()))?;
    tally.rules += 1;
    let (from, to) = (rule.valid_from_ms(), rule.valid_to_ms());
    for test_path in sorted_dirs(&rule_dir.join("tests")) {
        if test_path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let test = read_json(&test_path)?;
        let mut external = test.get("external").cloned().unwrap_or(Value::Null);
        if let Some(clock) = external.get("validationClock").and_then(Value::as_str) {
            let at = datetime::parse(clock).ok().flatten();
            let in_range =
                matches!((at, from, to), (Some(at), Some(from), Some(to)) if from <= at && at < to);
            if !in_range {
                tally.not_run += 1;
                continue;
            }
        }
        if let (Value::Object(map), Some(sets)) = (&mut external, value_sets) {
            map.entry("valueSets").or_insert_with(|| sets.clone());
        }
        let data = serde_json::json!({"payload": test["payload"], "external": external});
        let result = certlogic::evaluate(&rule.logic, &data);
        let name = test.get("name").and_then(Value::as_str).unwrap_or("");
        match result {
            Ok(value) if value == test["expected"] => tally.passed += 1,
            other => {
                tally.failed += 1;
                println!(
                    "FAIL {} {}: {name}: got {other:?}, expected {}",
                    rule.identifier,
                    test_path.file_name().unwrap_or_default().to_string_lossy(),
                    test["expected"]
                );
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: rules_conformance DIR");
        return ExitCode::from(2);
    };
    let value_sets = read_json(&dir.join("valuesets/valueSets.json")).ok();
    let mut tally = Tally::default();
    for country in sorted_dirs(&dir) {
        if !country.is_dir() || country.ends_with("valuesets") {
            continue;
        }
        for rule_dir in sorted_dirs(&country) {
            if !rule_dir.join("rule.json").is_file() {
                continue;
            }
            if let Err(error) = run_rule(&rule_dir, value_sets.as_ref(), &mut tally) {
                tally.failed += 1;
                println!("FAIL {error}");
            }
        }
    }
    println!(
        "{} rules; {} tests not run (validation clock outside the rule's validity)",
        tally.rules, tally.not_run
    );
    println!("{} passed, {} failed", tally.passed, tally.failed);
    record::record(
        "businessRules",
        serde_json::json!({
            "rules": tally.rules,
            "passed": tally.passed,
            "failed": tally.failed,
            "notRun": tally.not_run,
        }),
    );
    if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
