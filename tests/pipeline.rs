//! The whole pipeline on the project's own fixtures (tests/fixtures, made by tests/issuer):
//! every verdict, and every check failing on its own. Expectations come from how each case was
//! constructed, recorded in tests/fixtures/certs.json.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dcc_verifier::{time, verify, CheckId, Outcome, Report, Status, TrustList};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    name: String,
    file: String,
    trust: String,
    at: String,
    expect_status: String,
    expect_checks: BTreeMap<String, String>,
    /// Field → warning code; every other fixture has no warning.
    #[serde(default)]
    expect_warnings: BTreeMap<String, String>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn cases() -> Vec<Case> {
    serde_json::from_slice(&read(&fixtures().join("certs.json"))).expect("certs.json parses")
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Skip => "skip",
    }
}

fn run(case: &Case) -> Report {
    let text = String::from_utf8(read(&fixtures().join(&case.file))).expect("UTF-8");
    let trust =
        TrustList::from_bytes(&read(&fixtures().join(&case.trust))).expect("trust list loads");
    let at = time::parse_rfc3339(&case.at).expect("valid time");
    verify(&text, &trust, at)
}

#[test]
fn every_fixture_gets_its_constructed_verdict() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let report = run(case);
        if report.status.as_str() != case.expect_status {
            failures.push(format!(
                "{}: status {} (expected {}): {:?}",
                case.name,
                report.status.as_str(),
                case.expect_status,
                report.checks
            ));
        }
        for (check, expected) in &case.expect_checks {
            let id = CheckId::ALL
                .into_iter()
                .find(|id| id.as_str() == check)
                .unwrap_or_else(|| panic!("unknown check {check}"));
            let actual = outcome_name(report.outcome(id));
            if actual != expected {
                failures.push(format!(
                    "{}: {check} {actual} (expected {expected}): {:?}",
                    case.name,
                    report.check(id)
                ));
            }
        }
        let warnings: BTreeMap<String, String> = report
            .warnings
            .iter()
            .map(|w| (w.field.clone(), w.code.as_str().to_owned()))
            .collect();
        if warnings != case.expect_warnings {
            failures.push(format!(
                "{}: warnings {warnings:?} (expected {:?})",
                case.name, case.expect_warnings
            ));
        }
        // Invariants of every report.
        assert_eq!(report.checks.len(), 13, "{}", case.name);
        assert!(
            report.checks.iter().map(|c| c.check).eq(CheckId::ALL),
            "{}: checks out of order",
            case.name
        );
        assert!(
            report.checks.iter().all(|c| !c.detail.is_empty()),
            "{}: a check without detail",
            case.name
        );
        if report.status == Status::Valid {
            assert!(
                // Without a revocation list, `revocation` is the one check that may be skipped.
                report.checks.iter().all(|c| c.result == Outcome::Pass
                    || (c.check == CheckId::Revocation && c.result == Outcome::Skip)),
                "{}: valid with a failed check",
                case.name
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_status_is_covered() {
    let statuses: Vec<String> = cases().into_iter().map(|case| case.expect_status).collect();
    for status in [
        "valid",
        "invalid",
        "expired",
        "not_yet_valid",
        "unknown_signer",
        "not_a_dcc",
    ] {
        assert!(
            statuses.iter().any(|s| s == status),
            "no fixture for {status}"
        );
    }
}

#[test]
fn vietnamese_ps256_fixture_keeps_its_names() {
    let case = cases()
        .into_iter()
        .find(|case| case.name == "ps256_2048_vietnam")
        .expect("fixture present");
    let report = run(&case);
    assert_eq!(report.status, Status::Valid);
    assert_eq!(report.alg.as_deref(), Some("PS256"));
    let name = report.certificate.and_then(|dcc| dcc.nam).expect("a name");
    assert_eq!(name.family.as_deref(), Some("Nguyễn"));
    assert_eq!(name.given.as_deref(), Some("Bảo Duy"));
}

#[test]
fn failures_are_explained_in_words() {
    let expected: &[(&str, CheckId, &str)] = &[
        ("expired", CheckId::Expiry, "expired on"),
        (
            "signer_expires_first",
            CheckId::SignerValidity,
            "may not outlive the key",
        ),
        (
            "key_usage_test_only",
            CheckId::KeyUsage,
            "may only sign test certificates",
        ),
        ("unknown_kid", CheckId::Signer, "not in the trust list"),
        ("tampered_payload", CheckId::Signature, "altered"),
        ("not_hc1_url", CheckId::Prefix, "not a vaccine certificate"),
    ];
    let cases = cases();
    for (name, id, fragment) in expected {
        let case = cases
            .iter()
            .find(|case| case.name == *name)
            .unwrap_or_else(|| panic!("fixture {name}"));
        let report = run(case);
        let detail = &report.check(*id).expect("listed").detail;
        assert!(detail.contains(fragment), "{name}: {detail}");
    }
}

#[test]
fn report_serialises_with_the_documented_shape() {
    let case = cases()
        .into_iter()
        .find(|case| case.name == "es256_vaccination")
        .expect("fixture present");
    let json: serde_json::Value = serde_json::from_str(&run(&case).to_json()).expect("JSON");
    assert_eq!(json["status"], "valid");
    assert_eq!(json["checks"][0]["check"], "prefix");
    assert_eq!(json["checks"][0]["result"], "pass");
    assert!(json["checks"][11]["detail"].is_string());
    assert_eq!(json["cert_type"], "vaccination");
    assert!(json["certificate"]["nam"]["fn"].is_string());
    assert!(json["certificate"]["v"][0]["mp"].is_string());
    assert!(json["signer"]["country"].is_string());
    assert_eq!(json["alg"], "ES256");
    assert_eq!(json["warnings"], serde_json::json!([]));
}

#[test]
fn every_trust_list_format_knows_the_same_signers() {
    let dir = fixtures().join("trust");
    let reference = TrustList::from_bytes(&read(&dir.join("dsc_list.json"))).expect("loads");
    let mut kids: Vec<Vec<u8>> = reference.dscs().iter().map(|dsc| dsc.kid.clone()).collect();
    kids.sort();
    kids.dedup();
    for file in ["dsc_list.signed.json", "trust_ch.json", "trust_nl.json"] {
        let list = TrustList::from_bytes(&read(&dir.join(file)))
            .unwrap_or_else(|error| panic!("{file}: {error}"));
        let mut these: Vec<Vec<u8>> = list.dscs().iter().map(|dsc| dsc.kid.clone()).collect();
        these.sort();
        these.dedup();
        assert_eq!(these, kids, "{file}");
        assert!(list.skipped().is_empty(), "{file}: {:?}", list.skipped());
    }
    // FR cannot hold two keys under one kid, so it lacks only the decoy of the shared kid.
    let fr = TrustList::from_bytes(&read(&dir.join("trust_fr.json"))).expect("loads");
    assert_eq!(fr.len() + 1, reference.len());
    let bundle = TrustList::from_bytes(&read(&dir.join("dsc_bundle.pem"))).expect("loads");
    assert!(bundle.len() >= 10);
}

#[test]
fn a_signed_list_verifies_only_with_its_pinned_key() {
    let dir = fixtures().join("trust");
    let signed = read(&dir.join("dsc_list.signed.json"));
    let pinned = read(&dir.join("dsc_list.signer.pem"));
    assert!(TrustList::from_bytes_with_pinned_key(&signed, &pinned).is_ok());
    let mut altered = signed.clone();
    let last = altered.len() - 3;
    altered[last] ^= 1;
    assert_eq!(
        TrustList::from_bytes_with_pinned_key(&altered, &pinned).err(),
        Some(dcc_verifier::Error::TrustListSignature)
    );
}

/// What real issuers write and the EU's validation accepts: dates with a time (offset, `Z`,
/// milliseconds, no zone), an impossible date, a field of the issuer's own. Each is VALID, and its
/// warning says what was found and how it was read.
#[test]
fn oddities_are_valid_with_a_warning_that_says_how_they_were_read() {
    let expected: &[(&str, &str, &str, Option<&str>)] = &[
        (
            "oddity_date_with_offset",
            "v[0].dt",
            "2025-11-15T08:10:00+02:00",
            Some("2025-11-15"),
        ),
        (
            "oddity_date_with_z",
            "v[0].dt",
            "2025-11-15T05:00:00Z",
            Some("2025-11-15"),
        ),
        (
            "oddity_date_without_zone",
            "v[0].dt",
            "2025-11-15T08:10:00",
            Some("2025-11-15"),
        ),
        (
            "oddity_date_with_milliseconds",
            "r[0].fr",
            "2025-11-01T00:00:00.000Z",
            Some("2025-11-01"),
        ),
        ("oddity_impossible_date", "v[0].dt", "2025-17-11", None),
        ("oddity_extra_field", "v[0].lot", "FK1234", None),
    ];
    let cases = cases();
    for (name, field, found, read_as) in expected {
        let case = cases
            .iter()
            .find(|case| case.name == *name)
            .unwrap_or_else(|| panic!("fixture {name}"));
        let report = run(case);
        assert_eq!(report.status, Status::Valid, "{name}: {:?}", report.checks);
        let [warning] = report.warnings.as_slice() else {
            panic!("{name}: {:?}", report.warnings)
        };
        assert_eq!(warning.field, *field, "{name}");
        assert_eq!(warning.found, *found, "{name}");
        assert_eq!(warning.read_as.as_deref(), *read_as, "{name}");
        assert!(
            warning.detail.starts_with(field),
            "{name}: {}",
            warning.detail
        );
        assert!(warning.detail.contains(found), "{name}: {}", warning.detail);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("JSON");
        assert_eq!(json["warnings"][0]["field"], *field, "{name}");
        assert!(json["warnings"][0]["code"].is_string(), "{name}");
    }
    let offset = cases
        .iter()
        .find(|case| case.name == "oddity_date_with_offset")
        .expect("fixture");
    assert_eq!(
        run(offset).warnings[0].detail,
        "v[0].dt has a time (2025-11-15T08:10:00+02:00); read as the date 2025-11-15"
    );
}
