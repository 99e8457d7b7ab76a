//! The report skeleton and the verdict, shared by the SMART Health Card and VDS-NC pipelines
//! (the EU DCC's are in `verify.rs`): the same statuses, derived from the checks alone.

use crate::error::{codes, Error};
use crate::report::{Check, CheckId, Outcome, Report, Status};

use super::Format;

/// An empty report of `format`, before any check.
pub(crate) fn new_report(format: Format) -> Report {
    Report {
        format,
        status: Status::NotADcc,
        checks: Vec::with_capacity(CheckId::of_format(format).len()),
        warnings: Vec::new(),
        issuer_country: None,
        issued_at: None,
        expires_at: None,
        alg: None,
        kid: None,
        signer: None,
        demo: false,
        cert_type: None,
        certificate: None,
        holder: None,
        card: None,
        #[cfg(feature = "rules")]
        rules: None,
    }
}

/// Lists every check of the format in order (those not run as skipped) and derives the status.
pub(crate) fn finish(mut report: Report) -> Report {
    let mut run = std::mem::take(&mut report.checks);
    report.checks = CheckId::of_format(report.format)
        .iter()
        .map(|&id| match run.iter().position(|check| check.check == id) {
            Some(index) => run.swap_remove(index),
            None => Check::skip(id, "not checked: the code could not be read this far"),
        })
        .collect();
    report.status = status_of(&report);
    report
}

/// The verdict the checks add up to: not readable → `not_a_dcc`; signer not in the loaded
/// trust → `unknown_signer`; any other failure but revocation and expiry → `invalid`; then
/// `revoked`, `not_yet_valid`, `expired`; `valid` only with a genuine signature.
fn status_of(report: &Report) -> Status {
    let code = |id: CheckId| report.check(id).and_then(|check| check.code);
    if report.outcome(CheckId::Payload) != Outcome::Pass {
        return Status::NotADcc;
    }
    if code(CheckId::Signer) == Some(codes::UNKNOWN_SIGNER) {
        return Status::UnknownSigner;
    }
    let failed_before_the_dates = report.checks.iter().any(|check| {
        check.result == Outcome::Fail
            && !(check.check == CheckId::Expiry
                || (check.check == CheckId::Revocation && check.code == Some(codes::REVOKED)))
    });
    if failed_before_the_dates || report.outcome(CheckId::Signature) != Outcome::Pass {
        return Status::Invalid;
    }
    if code(CheckId::Revocation) == Some(codes::REVOKED) {
        return Status::Revoked;
    }
    match (report.outcome(CheckId::Expiry), code(CheckId::Expiry)) {
        (Outcome::Fail, Some(codes::NOT_YET_VALID)) => Status::NotYetValid,
        (Outcome::Fail, Some(codes::EXPIRED)) => Status::Expired,
        (Outcome::Fail, _) => Status::Invalid,
        _ => Status::Valid,
    }
}

/// Records a stage's result; `None` (stop) on failure.
#[cfg(feature = "formats")]
pub(crate) fn record<T>(
    report: &mut Report,
    id: CheckId,
    result: Result<T, Error>,
    describe: impl FnOnce(&T) -> String,
) -> Option<T> {
    crate::verify::record(&mut report.checks, id, result, describe)
}

/// Records a check's result.
#[cfg(feature = "formats")]
pub(crate) fn push(report: &mut Report, id: CheckId, result: Result<String, Error>) {
    report.checks.push(match result {
        Ok(detail) => Check::pass(id, detail),
        Err(error) => Check::fail(id, &error),
    });
}

/// The report for a code in a format this build does not verify: its format named, its first
/// check failed with [`FormatError::NotInThisBuild`](super::FormatError::NotInThisBuild).
#[cfg(not(feature = "formats"))]
pub(crate) fn not_in_this_build(format: Format) -> Report {
    let mut report = new_report(format);
    let first = CheckId::of_format(format)[0];
    let error = Error::from(super::FormatError::NotInThisBuild {
        format: format.name(),
    });
    report.checks.push(Check::fail(first, &error));
    finish(report)
}
