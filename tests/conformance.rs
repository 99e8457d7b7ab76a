//! Runs the EU dgc-testdata conformance vectors in ../shared, when present.

#[path = "../examples/conformance/runner.rs"]
#[allow(dead_code)]
mod runner;

use std::path::Path;

#[test]
fn dgc_testdata_subset_matches_apart_from_documented_data_defects() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/dgc-testdata"
    ));
    if !dir.is_dir() {
        println!("skipping: ../shared not found");
        return;
    }
    let summary = runner::run_dir(dir, &runner::parse_deviations(runner::DEVIATIONS));
    for line in &summary.mismatches {
        println!("MISMATCH {line}");
    }
    println!(
        "conformance: {} cases, {} passed, {} failed, {} documented deviations",
        summary.cases, summary.passed, summary.failed, summary.deviations
    );
    assert!(
        summary.cases >= 400,
        "expected the 448-case subset, read {}",
        summary.cases
    );
    assert_eq!(
        summary.failed,
        0,
        "mismatches:\n{}",
        summary.mismatches.join("\n")
    );
}

#[test]
fn deviations_file_names_a_reason_for_every_line() {
    let deviations = runner::parse_deviations(runner::DEVIATIONS);
    assert!(!deviations.is_empty());
    for deviation in deviations {
        assert!(deviation.flag.starts_with("EXPECTED"), "{deviation:?}");
        assert!(deviation.reason.len() > 10, "{deviation:?}");
    }
}
