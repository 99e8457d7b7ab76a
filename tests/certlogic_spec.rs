//! The CertLogic specification's own test suites (../shared/rules/certlogic-spec): every
//! assertion of `testSuite/` through the evaluator, honouring `"directive": "skip"` on a file,
//! a case or an assertion; every case of `validation-testSuite/` through the validator.
//! Skips with one line when ../shared is absent.

use std::path::{Path, PathBuf};

use dcc_verifier::rules::{certlogic, validate};
use serde_json::Value;

fn spec_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/rules/certlogic-spec");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

fn json_files(dir: &Path) -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("a test suite folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable");
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            (name, serde_json::from_str(&text).expect("JSON"))
        })
        .collect()
}

fn skipped(value: &Value) -> bool {
    value.get("directive").and_then(Value::as_str) == Some("skip")
}

/// Deep equality as the reference suite's `assert.deepStrictEqual` sees it: 1 and 1.0 are
/// the same JavaScript number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn evaluator_passes_the_specification_test_suite() {
    let Some(dir) = spec_dir() else { return };
    let (mut ran, mut skipped_count) = (0, 0);
    let mut failures = Vec::new();
    for (file, suite) in json_files(&dir.join("testSuite")) {
        for case in suite["cases"].as_array().expect("cases") {
            for assertion in case["assertions"].as_array().expect("assertions") {
                if skipped(&suite) || skipped(case) || skipped(assertion) {
                    skipped_count += 1;
                    continue;
                }
                let expr = assertion
                    .get("certLogicExpression")
                    .or_else(|| case.get("certLogicExpression"))
                    .expect("an expression");
                let result = certlogic::evaluate(expr, &assertion["data"]);
                ran += 1;
                match &result {
                    Ok(value) if same(value, &assertion["expected"]) => {}
                    _ => failures.push(format!(
                        "{file} / {}: {expr} on {} gave {result:?}, expected {}",
                        case["name"], assertion["data"], assertion["expected"]
                    )),
                }
            }
        }
    }
    println!("CertLogic testSuite: {ran} assertions ran, {skipped_count} skipped by directive");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 232 assertions, 14 of them marked skip (patched-reduce.json and 4 in ins-with-nulls.json).
    assert_eq!(ran + skipped_count, 232);
}

#[test]
fn validator_passes_the_specification_validation_suite() {
    let Some(dir) = spec_dir() else { return };
    let mut ran = 0;
    let mut failures = Vec::new();
    for (file, suite) in json_files(&dir.join("validation-testSuite")) {
        for case in suite["cases"].as_array().expect("cases") {
            if skipped(&suite) || skipped(case) {
                continue;
            }
            let expr = &case["certLogicExpression"];
            let found: Vec<(Value, String)> = validate::validate(expr)
                .into_iter()
                .map(|issue| (issue.expr, issue.message))
                .collect();
            let expected: Vec<(Value, String)> = case["issues"]
                .as_array()
                .expect("issues")
                .iter()
                .map(|issue| {
                    let message = issue["message"].as_str().expect("a message").to_owned();
                    (issue["expr"].clone(), message)
                })
                .collect();
            ran += 1;
            let matches = found.len() == expected.len()
                && found
                    .iter()
                    .zip(&expected)
                    .all(|(f, e)| same(&f.0, &e.0) && f.1 == e.1);
            if !matches {
                failures.push(format!(
                    "{file}: {expr}: found {found:?}, expected {expected:?}"
                ));
            }
        }
    }
    println!("CertLogic validation-testSuite: {ran} cases ran");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
