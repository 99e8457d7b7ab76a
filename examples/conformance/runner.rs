//! The dgc-testdata conformance runner, shared by `examples/conformance` and
//! `tests/conformance.rs`.
//!
//! Each case is `<CC>/2DCode/raw/<name>.json` (`Raw` in some folders). For each case the runner
//! builds a one-certificate trust list from `TESTCTX.CERTIFICATE`, verifies `PREFIX` at
//! `TESTCTX.VALIDATIONCLOCK`, decodes `2DCODE` with the project's QR decoder, and compares every
//! `EXPECTED*` flag it knows with the corresponding checks. Flags are counted one by one.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use dcc_verifier::{qr, time, trust, verify, verify_cose, CheckId, Outcome, Report, TrustList};
use serde_json::Value;

/// A documented defect of the test data itself: the case, the flag, and why.
#[derive(Debug, Clone)]
pub struct Deviation {
    /// `<folder>/<case>`, or `<folder>/*` for a whole folder.
    pub case: String,
    /// The flag, e.g. `EXPECTEDSCHEMAVALIDATION`.
    pub flag: String,
    /// Why the data is wrong.
    pub reason: String,
}

/// Parses the deviations file: one `CASE FLAG reason...` per line, `#` comments.
pub fn parse_deviations(text: &str) -> Vec<Deviation> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let mut parts = line.splitn(3, char::is_whitespace);
            Some(Deviation {
                case: parts.next()?.to_owned(),
                flag: parts.next()?.to_owned(),
                reason: parts.next().unwrap_or("").trim().to_owned(),
            })
        })
        .collect()
}

/// The documented deviations, committed beside the runner.
pub const DEVIATIONS: &str = include_str!("deviations.txt");

/// What a run found.
#[derive(Debug, Default)]
pub struct Summary {
    /// Flags that matched.
    pub passed: usize,
    /// Flags that did not match (and are not documented deviations).
    pub failed: usize,
    /// Flags of documented data defects (never counted as passes).
    pub deviations: usize,
    /// Of those, how many agree with the verifier all the same (a folder-wide entry covers cases
    /// whose flag happens to be right).
    pub deviations_agreeing: usize,
    /// Cases read.
    pub cases: usize,
    /// One line per mismatch.
    pub mismatches: Vec<String>,
    /// One line per documented deviation met.
    pub deviation_lines: Vec<String>,
    /// Flags that cannot be evaluated because the case lacks the input they need.
    pub not_evaluable: Vec<String>,
}

/// Runs every case under `dir`.
pub fn run_dir(dir: &Path, deviations: &[Deviation]) -> Summary {
    let mut files = Vec::new();
    collect_cases(dir, &mut files);
    files.sort();
    let mut summary = Summary::default();
    for file in files {
        let id = case_id(dir, &file);
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(error) => {
                summary.failed += 1;
                summary
                    .mismatches
                    .push(format!("{id}: cannot read: {error}"));
                continue;
            }
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(case) => run_case(&id, &file, &case, deviations, &mut summary),
            Err(error) => {
                summary.failed += 1;
                summary.mismatches.push(format!("{id}: not JSON: {error}"));
            }
        }
    }
    summary
}

fn collect_cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_cases(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "json")
            && path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|name| name.eq_ignore_ascii_case("raw"))
        {
            out.push(path);
        }
    }
}

/// `<first folder under dir>/<file stem>`, e.g. `common/CO11` or `NL/12`.
fn case_id(dir: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(dir).unwrap_or(file);
    let folder = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{folder}/{stem}")
}

fn run_case(id: &str, file: &Path, case: &Value, deviations: &[Deviation], summary: &mut Summary) {
    summary.cases += 1;
    let context = &case["TESTCTX"];
    let mut trust_list = TrustList::new();
    if let Some(der) = context["CERTIFICATE"].as_str().and_then(|b64| {
        base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()
    }) {
        if let Ok(dsc) = trust::x509::dsc_from_der(&der) {
            trust_list.push(dsc);
        }
    }
    let now = context["VALIDATIONCLOCK"]
        .as_str()
        .and_then(time::parse_rfc3339)
        .unwrap_or_else(|| {
            i64::try_from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            )
            .unwrap_or(0)
        });
    let prefix = case["PREFIX"].as_str().unwrap_or("");
    let report = verify(prefix, &trust_list, now);
    // When the text does not decode as far as COSE, the later flags are judged on the case's
    // own COSE field, as dgc-testdata defines each flag on its own input.
    let cose_report = if report.outcome(CheckId::Cose) != Outcome::Pass {
        case["COSE"]
            .as_str()
            .and_then(hex)
            .map(|cose| verify_cose(&cose, &trust_list, now))
    } else {
        None
    };
    let late = cose_report.as_ref().unwrap_or(&report);

    let Some(expected) = case["EXPECTEDRESULTS"].as_object() else {
        return;
    };
    for (flag, expected) in expected {
        let Some(expected) = expected.as_bool() else {
            continue;
        };
        let actual = match flag.as_str() {
            "EXPECTEDUNPREFIX" => passed(&report, &[CheckId::Prefix]),
            "EXPECTEDB45DECODE" => passed(&report, &[CheckId::Base45]),
            "EXPECTEDCOMPRESSION" => passed(&report, &[CheckId::Decompress]),
            "EXPECTEDPICTUREDECODE" => match picture(case, file) {
                Some(png) => qr::decode_image_file(&png).is_ok_and(|text| text == prefix),
                None => {
                    summary.not_evaluable.push(format!(
                        "{id} {flag}: the case has no QR image (no 2DCODE, none in png/)"
                    ));
                    continue;
                }
            },
            "EXPECTEDDECODE" => passed(late, &[CheckId::Cose, CheckId::Cwt, CheckId::Payload]),
            "EXPECTEDVALIDJSON" => json_matches(late, &case["JSON"]),
            "EXPECTEDVERIFY" => passed(late, &[CheckId::Signer, CheckId::Signature]),
            "EXPECTEDEXPIRATIONCHECK" => {
                passed(late, &[CheckId::Expiry])
                    && late.outcome(CheckId::SignerValidity) != Outcome::Fail
            }
            "EXPECTEDKEYUSAGE" => passed(late, &[CheckId::KeyUsage]),
            "EXPECTEDSCHEMAVALIDATION" => passed(late, &[CheckId::Schema]),
            // Generation-side flags (EXPECTEDVALIDOBJECT, EXPECTEDENCODE) say nothing of a verifier.
            _ => continue,
        };
        let documented = deviations
            .iter()
            .find(|d| d.flag == *flag && case_matches(&d.case, id));
        if let Some(deviation) = documented {
            summary.deviations += 1;
            summary.deviations_agreeing += usize::from(actual == expected);
            summary.deviation_lines.push(format!(
                "{id} {flag}: expected {expected}, got {actual}: documented deviation: {}",
                deviation.reason
            ));
        } else if actual == expected {
            summary.passed += 1;
        } else {
            summary.failed += 1;
            let why = first_failure(late).unwrap_or_default();
            summary.mismatches.push(format!(
                "{id} {flag}: expected {expected}, got {actual}{why}"
            ));
        }
    }
}

fn case_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(folder) => id.split('/').next() == Some(folder),
        None => pattern == id,
    }
}

fn passed(report: &Report, ids: &[CheckId]) -> bool {
    ids.iter().all(|id| report.outcome(*id) == Outcome::Pass)
}

fn first_failure(report: &Report) -> Option<String> {
    report
        .checks
        .iter()
        .find(|check| check.result == Outcome::Fail)
        .map(|check| format!(" ({}: {})", check.check.as_str(), check.detail))
}

/// The case's QR image: its `2DCODE` field, or else the image of the same name in the country's
/// `png/` folder (FR keeps its images there: `DGC_QrCode_00001_Raw.json` → `DGC_QrCode_00001.png`,
/// `test_pcr_ok.json` → `test-pcr_ok.png`).
fn picture(case: &Value, file: &Path) -> Option<Vec<u8>> {
    if let Some(b64) = case["2DCODE"].as_str() {
        return base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok();
    }
    let country = file.parent()?.parent()?.parent()?;
    let stem = file.file_stem()?.to_string_lossy();
    let stem = stem.strip_suffix("_Raw").unwrap_or(&stem);
    [stem.to_owned(), stem.replacen('_', "-", 1)]
        .iter()
        .find_map(|name| std::fs::read(country.join("png").join(format!("{name}.png"))).ok())
}

fn json_matches(report: &Report, expected: &Value) -> bool {
    let Some(dcc) = &report.certificate else {
        return false;
    };
    serde_json::to_value(dcc).is_ok_and(|actual| actual == *expected)
}

fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}
