//! Business rules speed: `cargo bench --bench rules`.
//!
//! One country's rules against one certificate, per call of `rules::check_text` (the payload
//! decoded again, the rules in force selected, each evaluated): the built-in Vietnam policy on
//! the test issuer's vaccination certificate, and, when ../shared is present, the French rules
//! of 1 May 2022 (with the EU value sets) on the real Vietnamese sample.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use dcc_verifier::rules::{self, policies, Query, RuleSet};
use dcc_verifier::time::parse_rfc3339;

fn median(mut f: impl FnMut(), per_batch: u32, runs: usize) -> Duration {
    for _ in 0..per_batch {
        f();
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            start.elapsed() / per_batch
        })
        .collect();
    samples.sort();
    samples[runs / 2]
}

fn row(label: &str, set: &RuleSet, text: &str, query: &Query<'_>) {
    let report = rules::check_text(set, text, query);
    let time = median(
        || drop(black_box(rules::check_text(set, black_box(text), query))),
        500,
        21,
    );
    println!(
        "{label:<52} {:>3} rules  {:>8.1}µs  ({})",
        report.rules.len(),
        time.as_secs_f64() * 1e6,
        report.verdict.as_str()
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/certs/es256_vaccination.txt"))
        .expect("fixture");
    let policy = policies::find("vn").expect("policy");
    let query = Query {
        country: policy.country,
        region: None,
        at: parse_rfc3339("2026-06-01T00:00:00Z").expect("time"),
        value_sets: None,
        lang: "en",
    };
    println!("rules::check_text (median, one core)");
    row(
        "Vietnam policy, test issuer's vaccination",
        &policy.rules(),
        text.trim(),
        &query,
    );

    let shared = root.join("../shared");
    if !shared.is_dir() {
        println!("(../shared not found: the French rules are skipped)");
        return;
    }
    let mut set = RuleSet::new();
    for entry in std::fs::read_dir(shared.join("rules/national-rules-2023-07/FR")).expect("FR") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("rule file");
        set.add_json(&bytes).expect("rules");
    }
    let mut value_sets = serde_json::Map::new();
    for entry in std::fs::read_dir(shared.join("valuesets")).expect("value sets") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let _ = rules::add_value_sets(&mut value_sets, &std::fs::read(&path).expect("read"));
        }
    }
    let sample = std::fs::read_to_string(shared.join("samples/VN/VAC_VN.txt")).expect("sample");
    let query = Query {
        country: "FR",
        at: parse_rfc3339("2022-05-01T00:00:00Z").expect("time"),
        value_sets: Some(&value_sets),
        ..query
    };
    row(
        "France 2022-05-01, real VN sample",
        &set,
        sample.trim(),
        &query,
    );
}
