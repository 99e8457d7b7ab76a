//! What every fuzz target shares: the fixed trust list, the fixed time, and the invariants every
//! report must keep whatever the input.
#![allow(dead_code)]

use std::sync::LazyLock;

use dcc_verifier::{CheckId, Outcome, Report, Status, TrustList};

/// The test issuer's gateway list (ES256 and PS256 1024–4096 DSCs): genuine seeds verify
/// against it, so mutations reach every check.
pub static TRUST: LazyLock<TrustList> = LazyLock::new(|| {
    TrustList::from_bytes(include_bytes!("../../tests/fixtures/trust/dsc_list.json"))
        .expect("the fixture trust list loads")
});

/// 2026-06-01T00:00:00Z: inside the validity of the fixture certificates.
pub const NOW: i64 = 1_780_272_000;

/// How the input reached the verifier.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// QR text, through `verify`: every check runs.
    Text,
    /// COSE bytes, through `verify_cose`: prefix, base45 and decompress are `skip`.
    Cose,
}

/// Panics (a finding) when a report breaks a promise of `verify`: every check listed once, in
/// order, each explained; failures carry a code; `valid` only when every check that applies
/// passed.
pub fn check_report(report: &Report, entry: Entry) {
    let ids = CheckId::of_format(report.format);
    assert_eq!(report.checks.len(), ids.len());
    for (check, &id) in report.checks.iter().zip(ids) {
        assert_eq!(check.check, id);
        assert!(!check.detail.is_empty(), "{id:?} has no detail");
        assert_eq!(
            check.code.is_some(),
            check.result == Outcome::Fail,
            "{check:?}"
        );
    }
    if report.status == Status::Valid {
        let not_applicable = |id: CheckId| {
            entry == Entry::Cose
                && matches!(id, CheckId::Prefix | CheckId::Base45 | CheckId::Decompress)
        };
        assert!(
            report
                .checks
                .iter()
                .all(|check| check.result == Outcome::Pass || not_applicable(check.check)),
            "valid with a check that did not pass: {:?}",
            report.checks
        );
    }
    if report.outcome(CheckId::Payload) != Outcome::Pass {
        assert_eq!(report.status, Status::NotADcc);
    }
    assert!(!report.to_json().is_empty());
}
