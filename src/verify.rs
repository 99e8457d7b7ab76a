//! Runs the stages in order and assembles the [`Report`].
//!
//! Decoding stops at the first stage that leaves nothing to check (the later checks are then
//! `skip`). Once the payload decodes, every remaining check runs and reports, even after another
//! has failed, so that a traveller sees everything that is wrong at once.

use base64::Engine as _;

use crate::checks;
use crate::dcc::schema;
use crate::decode::{self, Compression};
use crate::error::{codes, Error};
use crate::formats::{Format, Holder};
use crate::report::{Check, CheckId, Outcome, Report, SignerInfo, Status};
use crate::revocation::{RevocationList, Subject};
use crate::time::format_datetime;
use crate::trust::{Dsc, TrustList};

/// Verifies the text of a QR code against a trust list at time `now` (unix seconds).
///
/// Never panics, and always returns a complete [`Report`]: every check of [`CheckId::ALL`] is
/// listed, in order, with `pass`, `fail` or `skip` and a sentence.
pub fn verify(qr_text: &str, trust: &TrustList, now: i64) -> Report {
    verify_with_revocation(qr_text, trust, &NO_REVOCATION, now)
}

/// No revocation list: the `revocation` check is then `skip`.
static NO_REVOCATION: RevocationList = RevocationList::new();

/// [`verify`], also looking the certificate up in revocation batches (the `revocation` check):
/// a certificate that a live batch lists is [`Status::Revoked`].
pub fn verify_with_revocation(
    qr_text: &str,
    trust: &TrustList,
    revocation: &RevocationList,
    now: i64,
) -> Report {
    match crate::formats::detect(qr_text) {
        #[cfg(feature = "formats")]
        Format::Shc => return crate::formats::shc::verify(qr_text, trust, now),
        #[cfg(feature = "formats")]
        Format::VdsNc => return crate::formats::vds_nc::verify(qr_text, trust, now),
        #[cfg(not(feature = "formats"))]
        format @ (Format::Shc | Format::VdsNc) => {
            return crate::formats::verdict::not_in_this_build(format)
        }
        Format::Dcc => {}
    }
    let inputs = Inputs {
        trust,
        revocation,
        now,
    };
    finish(|report| run_text(qr_text, &inputs, report))
}

/// What a certificate is checked against.
struct Inputs<'a> {
    trust: &'a TrustList,
    revocation: &'a RevocationList,
    now: i64,
}

/// Verifies a COSE_Sign1 structure given directly (already base45-decoded and inflated), for
/// transports other than a QR code. The `prefix`, `base45` and `decompress` checks are `skip`.
pub fn verify_cose(cose: &[u8], trust: &TrustList, now: i64) -> Report {
    let inputs = Inputs {
        trust,
        revocation: &NO_REVOCATION,
        now,
    };
    finish(|report| {
        for id in [CheckId::Prefix, CheckId::Base45, CheckId::Decompress] {
            report.checks.push(Check::skip(
                id,
                "not applicable: the COSE structure was given directly",
            ));
        }
        run_cose(cose, &inputs, report)
    })
}

fn finish(run: impl FnOnce(&mut Report) -> Option<()>) -> Report {
    let mut report = crate::formats::verdict::new_report(Format::Dcc);
    let _ = run(&mut report);
    // Whatever stopped the run, the remaining checks are listed as skipped.
    for id in CheckId::ALL.into_iter().skip(report.checks.len()) {
        report.checks.push(Check::skip(
            id,
            "not checked: the code could not be read this far",
        ));
    }
    report.status = status_of(&report);
    report.demo = report.outcome(CheckId::Signature) == Outcome::Pass
        && report.signer.as_ref().is_some_and(|signer| signer.demo);
    report
}

fn run_text(qr_text: &str, inputs: &Inputs<'_>, report: &mut Report) -> Option<()> {
    let checks = &mut report.checks;

    let base45_text = record(
        checks,
        CheckId::Prefix,
        decode::prefix::strip(qr_text),
        |_| "the text starts with HC1:, the EU health certificate prefix".to_owned(),
    )?;
    let compressed = record(
        checks,
        CheckId::Base45,
        decode::base45::decode(base45_text),
        |bytes| format!("decoded {} bytes", bytes.len()),
    )?;
    let cose_bytes = match decode::inflate::inflate(&compressed) {
        Ok((bytes, Compression::Zlib)) => {
            checks.push(Check::pass(
                CheckId::Decompress,
                format!("inflated to {} bytes", bytes.len()),
            ));
            bytes
        }
        // Reported, and decoding goes on: see decode::inflate.
        Ok((bytes, Compression::None)) => {
            checks.push(Check::fail(CheckId::Decompress, &Error::NotCompressed));
            bytes
        }
        Err(error) => {
            checks.push(Check::fail(CheckId::Decompress, &error));
            return None;
        }
    };
    run_cose(&cose_bytes, inputs, report)
}

fn run_cose(cose_bytes: &[u8], inputs: &Inputs<'_>, report: &mut Report) -> Option<()> {
    let Inputs {
        trust,
        revocation,
        now,
    } = *inputs;
    let checks = &mut report.checks;
    let sign1 = record(
        checks,
        CheckId::Cose,
        decode::cose::parse(cose_bytes),
        |sign1| {
            let alg = sign1.alg.as_ref().map_or("no algorithm", |alg| alg.name());
            let tag = if sign1.tagged { "tagged" } else { "untagged" };
            format!("COSE_Sign1 ({tag}), {alg}")
        },
    )?;
    report.alg = sign1.alg.as_ref().map(|alg| alg.name().to_owned());
    report.kid = sign1
        .kid
        .as_ref()
        .map(|kid| base64::engine::general_purpose::STANDARD.encode(kid));

    let claims = record(
        checks,
        CheckId::Cwt,
        decode::cwt::parse(&sign1.payload),
        |claims| {
            let iss = claims.iss.as_deref().unwrap_or("an unnamed issuer");
            format!("issued by {iss}")
        },
    )?;
    report.issuer_country = claims.iss.clone();
    report.issued_at = claims.iat.map(format_datetime);
    report.expires_at = claims.exp.map(format_datetime);

    let (json, dcc) = record(
        checks,
        CheckId::Payload,
        decode::payload::read(&claims.hcert),
        |(_, dcc)| match dcc.cert_type() {
            Some(cert_type) => format!(
                "a {} certificate, schema version {}",
                cert_type.as_str(),
                dcc.ver.as_deref().unwrap_or("(none)")
            ),
            None => "a certificate with no vaccination, test or recovery entry".to_owned(),
        },
    )?;
    let cert_type = dcc.cert_type();
    let ci = checks::revocation::certificate_id(&dcc).map(str::to_owned);
    report.cert_type = cert_type;
    report.holder = Some(holder_of(&dcc));
    report.certificate = Some(dcc);

    // From here on every check runs, whatever the others found.
    let schema = schema::check(&json);
    report.warnings = schema.warnings;
    if schema.problems.is_empty() {
        checks.push(Check::pass(
            CheckId::Schema,
            "the certificate follows the EU format",
        ));
    } else {
        checks.push(Check::fail(
            CheckId::Schema,
            &Error::Schema(schema.problems),
        ));
    }

    let candidates = match checks::signer::candidates(trust, sign1.kid.as_deref()) {
        Ok(candidates) => {
            checks.push(Check::pass(
                CheckId::Signer,
                describe_signer_found(&candidates),
            ));
            candidates
        }
        Err(error) => {
            checks.push(Check::fail(CheckId::Signer, &error));
            Vec::new()
        }
    };

    // The DSC that the later checks compare with: the one whose key verified the signature, or
    // else the first with this kid (so that a bad signature still shows who was claimed).
    let signer: Option<&Dsc> = if candidates.is_empty() {
        checks.push(Check::skip(
            CheckId::Signature,
            "not checked: no signing key is known for this certificate",
        ));
        None
    } else {
        match checks::signature::verify_any(
            sign1.alg.as_ref(),
            &candidates,
            &sign1.to_be_signed,
            &sign1.signature,
        ) {
            Ok(dsc) => {
                let alg = sign1.alg.as_ref().map_or("", |alg| alg.name());
                checks.push(Check::pass(
                    CheckId::Signature,
                    format!("the {alg} signature is genuine"),
                ));
                Some(dsc)
            }
            Err(error) => {
                checks.push(Check::fail(CheckId::Signature, &error));
                candidates.first().copied()
            }
        }
    };
    report.signer = signer.map(signer_info);

    checks.push(checks::revocation::check(
        revocation,
        &Subject {
            kid: sign1.kid.as_deref(),
            ci: ci.as_deref(),
            iss: claims.iss.as_deref(),
            alg: sign1.alg.as_ref(),
            signature: &sign1.signature,
        },
        now,
    ));

    match signer {
        Some(dsc) => push_result(
            checks,
            CheckId::SignerValidity,
            checks::signer_validity::check(dsc, claims.iat, claims.exp),
            "the certificate lies within its signing certificate's validity",
        ),
        None => checks.push(Check::skip(
            CheckId::SignerValidity,
            "not checked: the signing certificate is unknown",
        )),
    }

    match (signer, cert_type) {
        (Some(dsc), Some(cert_type)) => push_result(
            checks,
            CheckId::KeyUsage,
            checks::key_usage::check(dsc, cert_type),
            &format!(
                "the signing key may sign {} certificates",
                cert_type.as_str()
            ),
        ),
        (None, _) => checks.push(Check::skip(
            CheckId::KeyUsage,
            "not checked: the signing certificate is unknown",
        )),
        (_, None) => checks.push(Check::skip(
            CheckId::KeyUsage,
            "not checked: the certificate has no entry",
        )),
    }

    push_result(
        checks,
        CheckId::Expiry,
        checks::expiry::check(claims.iat, claims.exp, now),
        &match claims.exp {
            Some(exp) => format!("valid until {}", crate::time::format_date(exp)),
            None => "valid".to_owned(),
        },
    );
    Some(())
}

/// Records a decoding stage's result; `None` (stop) on failure.
pub(crate) fn record<T>(
    checks: &mut Vec<Check>,
    id: CheckId,
    result: Result<T, Error>,
    describe: impl FnOnce(&T) -> String,
) -> Option<T> {
    match result {
        Ok(value) => {
            checks.push(Check::pass(id, describe(&value)));
            Some(value)
        }
        Err(error) => {
            checks.push(Check::fail(id, &error));
            None
        }
    }
}

fn push_result(checks: &mut Vec<Check>, id: CheckId, result: Result<(), Error>, pass_detail: &str) {
    checks.push(match result {
        Ok(()) => Check::pass(id, pass_detail),
        Err(error) => Check::fail(id, &error),
    });
}

fn describe_signer_found(candidates: &[&Dsc]) -> String {
    let first = candidates.first();
    let country = first
        .and_then(|dsc| dsc.country.as_deref())
        .unwrap_or("an unnamed country");
    let demo = if first.is_some_and(|dsc| dsc.demo) {
        " (DEMO key)"
    } else {
        ""
    };
    match candidates.len() {
        1 => format!("signing key found in the trust list: {country}{demo}"),
        n => format!("{n} signing keys with this kid in the trust list: {country}{demo}"),
    }
}

/// The DCC's holder in the form every format shares: given names, then family names (as
/// issued, else transliterated).
fn holder_of(dcc: &crate::dcc::Dcc) -> Holder {
    let name = dcc.nam.as_ref().and_then(|nam| {
        let given = nam.given.as_deref().or(nam.given_t.as_deref());
        let family = nam.family.as_deref().or(nam.family_t.as_deref());
        let parts: Vec<&str> = [given, family]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    Holder {
        name,
        dob: dcc.dob.clone().filter(|dob| !dob.is_empty()),
    }
}

fn signer_info(dsc: &Dsc) -> SignerInfo {
    SignerInfo {
        country: dsc.country.clone(),
        subject: dsc.subject.clone(),
        not_before: dsc.not_before.map(format_datetime),
        not_after: dsc.not_after.map(format_datetime),
        demo: dsc.demo,
    }
}

/// The verdict that the checks add up to.
fn status_of(report: &Report) -> Status {
    let failed = |id: CheckId| report.outcome(id) == Outcome::Fail;
    let decoded = report.outcome(CheckId::Payload) == Outcome::Pass;
    if !decoded {
        return Status::NotADcc;
    }
    if report.check(CheckId::Signer).and_then(|check| check.code) == Some(codes::UNKNOWN_SIGNER) {
        return Status::UnknownSigner;
    }
    let invalid = [
        CheckId::Decompress,
        CheckId::Schema,
        CheckId::Signer,
        CheckId::Signature,
        CheckId::SignerValidity,
        CheckId::KeyUsage,
    ];
    if invalid.into_iter().any(failed) {
        return Status::Invalid;
    }
    // Revoked even when also expired: the issuer's withdrawal is the stronger statement.
    if report
        .check(CheckId::Revocation)
        .and_then(|check| check.code)
        == Some(codes::REVOKED)
    {
        return Status::Revoked;
    }
    match report.check(CheckId::Expiry) {
        Some(check) if check.result == Outcome::Fail => match check.code {
            Some(codes::NOT_YET_VALID) => Status::NotYetValid,
            Some(codes::EXPIRED) => Status::Expired,
            _ => Status::Invalid,
        },
        _ => Status::Valid,
    }
}
