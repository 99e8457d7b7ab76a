//! Runs the EU dgc-testdata conformance vectors:
//! `cargo run --release --example conformance -- DIR`.
//!
//! Prints one line per mismatch and per documented data defect, then `N passed, N failed`,
//! counted per flag compared, and records the counts in `docs/conformance.json`
//! (`dgcTestdata`). Exits 1 when anything failed.

mod record;
mod runner;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: conformance DIR   (e.g. ../shared/corpus/dgc-testdata)");
        return ExitCode::from(2);
    };
    if !dir.is_dir() {
        eprintln!("conformance: {} is not a folder", dir.display());
        return ExitCode::from(2);
    }
    let deviations = runner::parse_deviations(runner::DEVIATIONS);
    let summary = runner::run_dir(&dir, &deviations);
    for line in &summary.mismatches {
        println!("MISMATCH {line}");
    }
    for line in &summary.deviation_lines {
        println!("DEVIATION {line}");
    }
    for line in &summary.not_evaluable {
        println!("NOT EVALUABLE {line}");
    }
    println!(
        "{} cases; {} flags are documented data defects (examples/conformance/deviations.txt), not counted as passes ({} of them agree with the verifier all the same)",
        summary.cases, summary.deviations, summary.deviations_agreeing
    );
    if !summary.not_evaluable.is_empty() {
        println!(
            "{} flags cannot be evaluated: their case lacks the input",
            summary.not_evaluable.len()
        );
    }
    println!("{} passed, {} failed", summary.passed, summary.failed);
    record::record(
        "dgcTestdata",
        serde_json::json!({
            "cases": summary.cases,
            "passed": summary.passed,
            "failed": summary.failed,
            "dataDefects": summary.deviations,
            "notEvaluable": summary.not_evaluable.len(),
        }),
    );
    if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
