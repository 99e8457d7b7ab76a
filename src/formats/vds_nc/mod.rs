//! ICAO Visible Digital Seals for non-constrained environments (VDS-NC): a signed JSON
//! `{"data": {"hdr", "msg"}, "sig": {"alg", "cer", "sigvl"}}` in the QR code, as ICAO's
//! VDS-NC specification (and Doc 9303 part 13) defines it.
//!
//! The signature covers the RFC 8785 canonical form of `data` (`canonical.rs`); `sig.cer` is the
//! barcode signer certificate (BSC), which must chain to a loaded CSCA, stay off the CSCA's
//! loaded CRL, be valid now, and carry the extended key usage for the seal's type.

mod canonical;
mod message;

use serde_json::Value;

use super::verdict::{finish, new_report, push, record};
use super::{base64url, str_field, Format, FormatError, HealthCard, SEAL_TYPES};
use crate::crypto::ecdsa::{self, EcdsaEncoding, EcdsaHash};
use crate::crypto::{x509_signature, PublicKey};
use crate::error::{Error, Result};
use crate::limits::{MAX_FORMAT_JSON_DEPTH, MAX_VDS_NC_LEN};
use crate::report::{Check, CheckId, Report, SignerInfo};
use crate::time::{format_date, format_datetime};
use crate::trust::csca::Certificate;
use crate::trust::TrustList;

/// The extended key usages a barcode signer needs for each seal type (ICAO VDS-NC:
/// id-icao-vdsn 2.23.136.1.1.14; .1 proof of testing, .2 proof of vaccination).
const KEY_USAGE_TEST: &str = "2.23.136.1.1.14.1";
const KEY_USAGE_VACCINATION: &str = "2.23.136.1.1.14.2";

/// Verifies a VDS-NC seal's JSON text against the CSCAs and CRLs of `trust` at time `now`.
pub fn verify(text: &str, trust: &TrustList, now: i64) -> Report {
    let mut report = new_report(Format::VdsNc);
    let _ = run(text, trust, now, &mut report);
    finish(report)
}

/// The parts of a seal.
struct Seal {
    data: Value,
    seal_type: String,
    issuing_state: String,
    alg: String,
    cer: String,
    signature: String,
}

fn run(text: &str, trust: &TrustList, now: i64, report: &mut Report) -> Option<()> {
    let seal = record(report, CheckId::Seal, parse(text), |seal| {
        format!(
            "an ICAO VDS-NC {} seal issued by {}",
            if seal.seal_type == "icao.vacc" {
                "vaccination"
            } else {
                "test"
            },
            seal.issuing_state
        )
    })?;
    report.issuer_country = Some(seal.issuing_state.clone());
    report.alg = Some(seal.alg.clone());
    let msg = seal.data.get("msg").unwrap_or(&Value::Null);
    let read = record(
        report,
        CheckId::Payload,
        message::read(&seal.seal_type, msg),
        |read| {
            let events = read.events.len();
            format!(
                "a seal for {} with {} event{}",
                read.holder.name.as_deref().unwrap_or("an unnamed holder"),
                events,
                if events == 1 { "" } else { "s" }
            )
        },
    )?;
    report.holder = Some(read.holder.clone());
    report.card = Some(HealthCard {
        issuer: Some(seal.issuing_state.clone()),
        issuer_name: None,
        id: read.id.clone(),
        document_number: read.document_number.clone(),
        events: read.events.clone(),
    });

    // From here on every check runs, whatever the others found.
    push(
        report,
        CheckId::Schema,
        if read.problems.is_empty() {
            Ok("the seal follows the ICAO VDS-NC rules".to_owned())
        } else {
            Err(FormatError::SealRules(read.problems.clone()).into())
        },
    );

    let bsc = base64url(&seal.cer)
        .ok_or_else(|| FormatError::SignerCertificate("sig.cer is not base64url".to_owned()))
        .map_err(Error::from)
        .and_then(|der| {
            Certificate::from_der(&der)
                .map_err(|err| FormatError::SignerCertificate(err.to_string()).into())
        });
    let csca = bsc
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|bsc| issuing_csca(trust, bsc));
    push(
        report,
        CheckId::Signer,
        match (&bsc, &csca) {
            (Ok(bsc), Ok(csca)) => Ok(format!(
                "the signing certificate ({}) was issued by the loaded CSCA {}",
                bsc.subject, csca.subject
            )),
            (Err(error), _) | (_, Err(error)) => Err(error.clone()),
        },
    );
    if let Ok(bsc) = &bsc {
        report.signer = Some(SignerInfo {
            country: bsc.country.clone(),
            subject: Some(bsc.subject.clone()),
            not_before: Some(format_datetime(bsc.not_before)),
            not_after: Some(format_datetime(bsc.not_after)),
            demo: false,
        });
        report.kid = Some(hex(&bsc.serial));
    }

    match &bsc {
        Ok(bsc) => push(report, CheckId::Signature, signature(&seal, bsc)),
        Err(_) => report.checks.push(Check::skip(
            CheckId::Signature,
            "not checked: the signing certificate cannot be read",
        )),
    }

    match (&bsc, &csca) {
        (Ok(bsc), Ok(_)) => report.checks.push(revocation(trust, bsc, now)),
        _ => report.checks.push(Check::skip(
            CheckId::Revocation,
            "not checked: the signing certificate's authority is unknown",
        )),
    }

    match (&bsc, &csca) {
        (Ok(bsc), Ok(csca)) => push(report, CheckId::SignerValidity, validity(bsc, csca, now)),
        _ => report.checks.push(Check::skip(
            CheckId::SignerValidity,
            "not checked: the signing certificate or its authority is unknown",
        )),
    }

    match &bsc {
        Ok(bsc) => push(report, CheckId::KeyUsage, key_usage(bsc, &seal.seal_type)),
        Err(_) => report.checks.push(Check::skip(
            CheckId::KeyUsage,
            "not checked: the signing certificate cannot be read",
        )),
    }

    report.checks.push(Check::pass(
        CheckId::Expiry,
        "the seal sets no expiry (VDS-NC seals carry none)",
    ));
    Some(())
}

fn parse(text: &str) -> Result<Seal> {
    let seal_error = |why: &str| Error::from(FormatError::Seal(why.to_owned()));
    let text = text.trim();
    if text.len() > MAX_VDS_NC_LEN {
        return Err(seal_error(&format!(
            "it is {} bytes long, more than a seal's QR code holds ({MAX_VDS_NC_LEN})",
            text.len()
        )));
    }
    let value: Value = serde_json::from_str(text).map_err(|_| seal_error("it is not JSON"))?;
    if depth(&value) > MAX_FORMAT_JSON_DEPTH {
        return Err(seal_error("it is nested too deeply to be a real seal"));
    }
    let data = value
        .get("data")
        .filter(|data| data.is_object())
        .ok_or_else(|| seal_error("it has no data object"))?;
    let hdr = data
        .get("hdr")
        .ok_or_else(|| seal_error("it has no header (data.hdr)"))?;
    let seal_type = str_field(hdr, "t")
        .filter(|t| SEAL_TYPES.contains(t))
        .ok_or_else(|| seal_error("its type (hdr.t) is neither icao.vacc nor icao.test"))?;
    if hdr.get("v").and_then(Value::as_u64) != Some(1) {
        return Err(seal_error("its version (hdr.v) is not 1"));
    }
    let issuing_state = str_field(hdr, "is")
        .filter(|is| is.len() == 3 && is.bytes().all(|b| b.is_ascii_uppercase()))
        .ok_or_else(|| seal_error("its issuing state (hdr.is) is not a 3-letter code"))?;
    let sig = value
        .get("sig")
        .ok_or_else(|| seal_error("it carries no signature (sig)"))?;
    let field = |name: &str| {
        str_field(sig, name)
            .map(str::to_owned)
            .ok_or_else(|| seal_error(&format!("its signature lacks sig.{name}")))
    };
    Ok(Seal {
        data: data.clone(),
        seal_type: seal_type.to_owned(),
        issuing_state: issuing_state.to_owned(),
        alg: field("alg")?,
        cer: field("cer")?,
        signature: field("sigvl")?,
    })
}

fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The loaded CSCA that issued (and signed) the barcode signer certificate.
fn issuing_csca<'a>(trust: &'a TrustList, bsc: &Certificate) -> Result<&'a Certificate> {
    let candidates = trust.csca().issuers_of(&bsc.issuer_der);
    if candidates.is_empty() {
        return Err(FormatError::UnknownCsca {
            issuer: bsc.issuer.clone(),
        }
        .into());
    }
    let mut last = String::new();
    for csca in candidates {
        let Ok(key) = &csca.key else { continue };
        match x509_signature::verify(bsc.signature_algorithm, key, &bsc.tbs, &bsc.signature) {
            Ok(()) => return Ok(csca),
            Err(x509_signature::X509SignatureError::Bad) => {
                last = format!(
                    "its signature does not verify with the key of {}",
                    csca.subject
                );
            }
            Err(x509_signature::X509SignatureError::KeyMismatch) => {
                last = "its signature algorithm does not fit the CSCA's key".to_owned();
            }
            Err(x509_signature::X509SignatureError::Unsupported(oid)) => {
                last = format!(
                    "it is signed with algorithm {oid}, which this verifier does not check"
                );
            }
        }
    }
    Err(FormatError::Chain(last).into())
}

fn signature(seal: &Seal, bsc: &Certificate) -> Result<String> {
    // JOSE's ECDSA algorithms (RFC 7518 §3.4), as the seal names them: each fixes its curve and
    // hash; the signature is r‖s.
    let hash = match seal.alg.as_str() {
        "ES256" => EcdsaHash::Sha256,
        "ES384" if cfg!(feature = "ecdsa-p384-p521") => EcdsaHash::Sha384,
        "ES512" if cfg!(feature = "ecdsa-p384-p521") => EcdsaHash::Sha512,
        _ => return Err(FormatError::SealAlgorithm(seal.alg.chars().take(16).collect()).into()),
    };
    let key = match &bsc.key {
        Ok(key) if key_fits(key, hash) => key,
        Ok(other) => {
            return Err(Error::AlgorithmKeyMismatch {
                alg: seal.alg.clone(),
                key: other.describe(),
            })
        }
        Err(why) => return Err(FormatError::SignerCertificate(why.clone()).into()),
    };
    let signed = canonical::canonical(&seal.data)?;
    let signature = base64url(&seal.signature).ok_or(Error::BadSignature)?;
    if ecdsa::verify(
        key,
        hash,
        signed.as_bytes(),
        &signature,
        EcdsaEncoding::Fixed,
    ) {
        Ok(format!(
            "the {} signature over the seal's data is genuine",
            seal.alg
        ))
    } else {
        Err(Error::BadSignature)
    }
}

/// Whether the key is of the curve the algorithm fixes (ES256: P-256, ES384: P-384, ES512:
/// P-521).
fn key_fits(key: &PublicKey, hash: EcdsaHash) -> bool {
    match (key, hash) {
        (PublicKey::EcP256(_), EcdsaHash::Sha256) => true,
        #[cfg(feature = "ecdsa-p384-p521")]
        (PublicKey::EcP384(_), EcdsaHash::Sha384) | (PublicKey::EcP521(_), EcdsaHash::Sha512) => {
            true
        }
        _ => false,
    }
}

/// The CSCA's CRLs: each must be signed by a loaded CSCA of that name; the signer must not be
/// on any. A CRL past its nextUpdate is still used (a stale list still lists what it lists),
/// and the check says so.
fn revocation(trust: &TrustList, bsc: &Certificate, now: i64) -> Check {
    let id = CheckId::Revocation;
    let crls = trust.csca().crls_of(&bsc.issuer_der);
    if crls.is_empty() {
        return Check::skip(id, "not checked: no revocation list of the CSCA is loaded");
    }
    let mut stale = None;
    for crl in &crls {
        let signed = trust.csca().issuers_of(&crl.issuer_der).iter().any(|csca| {
            csca.key.as_ref().is_ok_and(|key| {
                x509_signature::verify(crl.signature_algorithm, key, &crl.tbs, &crl.signature)
                    .is_ok()
            })
        });
        if !signed {
            return Check::fail(
                id,
                &FormatError::Crl(format!(
                    "the list of {} is not signed by that CSCA",
                    crl.issuer
                ))
                .into(),
            );
        }
        if crl.revoked.contains(&bsc.serial) {
            return Check::fail(
                id,
                &FormatError::SignerRevoked {
                    serial: hex(&bsc.serial),
                }
                .into(),
            );
        }
        if let Some(next) = crl.next_update.filter(|next| *next < now) {
            stale = Some(next);
        }
    }
    match stale {
        Some(next) => Check::pass(
            id,
            format!(
                "not on the CSCA's revocation list; warning: that list was due for renewal on {} and a newer one may list more",
                format_date(next)
            ),
        ),
        None => Check::pass(id, "not on the CSCA's revocation list"),
    }
}

fn validity(bsc: &Certificate, csca: &Certificate, now: i64) -> Result<String> {
    for (name, cert) in [("signing certificate", bsc), ("CSCA certificate", csca)] {
        if now < cert.not_before {
            return Err(FormatError::SignerCertificateValidity(format!(
                "the {name} is valid from {}",
                format_date(cert.not_before)
            ))
            .into());
        }
        if now > cert.not_after {
            return Err(FormatError::SignerCertificateValidity(format!(
                "the {name} expired on {}",
                format_date(cert.not_after)
            ))
            .into());
        }
    }
    Ok(format!(
        "the signing certificate is valid until {}",
        format_date(bsc.not_after)
    ))
}

fn key_usage(bsc: &Certificate, seal_type: &str) -> Result<String> {
    let (needed, what) = if seal_type == "icao.vacc" {
        (KEY_USAGE_VACCINATION, "vaccination")
    } else {
        (KEY_USAGE_TEST, "test")
    };
    if bsc
        .extended_key_usage
        .iter()
        .any(|oid| oid.to_string() == needed)
    {
        Ok(format!("the signing certificate may sign {what} seals"))
    } else {
        Err(FormatError::SealKeyUsage(format!(
            "its extended key usage lacks {needed} ({what} seals)"
        ))
        .into())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
