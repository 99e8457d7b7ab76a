//! What the format tests share. The keys and certificates they load come from the test issuer
//! (`dcc_test_issuer::der`).

use crate::trust::TrustList;

/// Asserts that `list` skipped exactly `expected.len()` entries, in order, each with a reason
/// that mentions the matching word.
pub(crate) fn assert_skipped_reasons(list: &TrustList, expected: &[&str]) {
    let reasons: Vec<&str> = list.skipped().iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons.len(), expected.len(), "{reasons:?}");
    for (reason, expected) in reasons.iter().zip(expected) {
        assert!(
            reason.contains(expected),
            "{reason} should mention {expected}"
        );
    }
}
