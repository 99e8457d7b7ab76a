//! The schema rules against the EU conformance vectors (dgc-testdata in `../shared`): every case
//! that carries `EXPECTEDRESULTS.EXPECTEDSCHEMAVALIDATION` must get the same verdict from
//! [`validate`], except the cases whose flags are known to be wrong (listed below, as
//! `../shared/README.md` documents them).

use std::fs;
use std::path::{Path, PathBuf};

use dcc_verifier::dcc::schema::validate;
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/dgc-testdata");

/// NL's schema flags disagree with the schemas this many times (mostly `dob` "1963" or an empty
/// `co` under 1.0.0, flagged valid; and valid payloads flagged invalid). Pinned so that a rule
/// change that moves the NL verdicts shows up here.
const NL_DISAGREEMENTS: usize = 152;

/// Cases flagged valid that hold `v`, `t` and `r` at once (some as `null`).
const HOLD_V_T_AND_R: [&str; 2] = ["BG/1.json", "BG/2.json"];

/// One conformance case with a schema flag.
struct Case {
    /// `CC/file.json`.
    name: String,
    expected_valid: bool,
    payload: Value,
}

fn case_files(corpus: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut countries: Vec<PathBuf> = fs::read_dir(corpus)
        .expect("corpus readable")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.is_dir())
        .collect();
    countries.sort();
    for country in countries {
        for raw in ["2DCode/raw", "2DCode/Raw"] {
            let Ok(entries) = fs::read_dir(country.join(raw)) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .map(|entry| entry.expect("dir entry").path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                .collect();
            found.sort();
            files.extend(found);
        }
    }
    files
}

fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The case's payload: `JSON`, or, where that is null (common/DGC1), `CBOR` when it is the bare
/// payload map rather than a whole COSE message.
fn payload_of(case: &Value) -> Option<Value> {
    match case.get("JSON") {
        Some(Value::Null) | None => {
            let bytes = hex(case.get("CBOR")?.as_str()?)?;
            let payload: Value = ciborium::from_reader(bytes.as_slice()).ok()?;
            payload.get("ver").is_some().then_some(payload)
        }
        Some(json) => Some(json.clone()),
    }
}

fn load_cases(corpus: &Path) -> (Vec<Case>, usize) {
    let mut cases = Vec::new();
    let mut without_payload = 0;
    for file in case_files(corpus) {
        let text = fs::read_to_string(&file).expect("case readable");
        let case: Value = serde_json::from_str(&text).expect("case is JSON");
        let flag = case
            .pointer("/EXPECTEDRESULTS/EXPECTEDSCHEMAVALIDATION")
            .and_then(Value::as_bool);
        let Some(expected_valid) = flag else { continue };
        let country = file
            .ancestors()
            .nth(3)
            .and_then(Path::file_name)
            .and_then(|name| name.to_str())
            .expect("country folder");
        let name = format!(
            "{country}/{}",
            file.file_name()
                .and_then(|name| name.to_str())
                .expect("file name")
        );
        match payload_of(&case) {
            Some(payload) => cases.push(Case {
                name,
                expected_valid,
                payload,
            }),
            None => without_payload += 1,
        }
    }
    (cases, without_payload)
}

#[test]
fn schema_verdicts_match_the_conformance_flags() {
    let corpus = Path::new(CORPUS);
    if !corpus.is_dir() {
        println!("skipping: ../shared not found");
        return;
    }
    let (cases, without_payload) = load_cases(corpus);
    assert_eq!(
        without_payload, 0,
        "every flagged case should have a payload"
    );

    let (mut checked, mut nl_checked, mut nl_disagree, mut defects) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    for case in &cases {
        let verdict = validate(&case.payload);
        if case.name.starts_with("NL/") {
            nl_checked += 1;
            nl_disagree += usize::from(verdict.is_ok() != case.expected_valid);
        } else if HOLD_V_T_AND_R.contains(&case.name.as_str()) {
            defects += 1;
            let messages = verdict.expect_err("a payload with v, t and r must fail");
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains("more than one of vaccination (v)")),
                "{}: {messages:?}",
                case.name
            );
        } else {
            checked += 1;
            if verdict.is_ok() != case.expected_valid {
                disagreements.push(format!(
                    "{}: flag {}, verifier {:?}",
                    case.name, case.expected_valid, verdict
                ));
            }
        }
    }
    println!(
        "schema conformance: {} flagged cases; {checked} checked, {} agree; \
         excluded: NL {nl_checked} ({nl_disagree} disagree, documented), \
         {defects} holding v, t and r (documented)",
        cases.len(),
        checked - disagreements.len()
    );
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(checked >= 100, "too few cases found: {checked}");
    assert_eq!(defects, HOLD_V_T_AND_R.len());
    assert_eq!(nl_disagree, NL_DISAGREEMENTS, "NL disagreements moved");
}
