//! SMART Health Cards (`shc:/` QR codes), verified stage by stage as the specification
//! (spec.smarthealth.cards) asks: numeric QR content (parts reassembled), JWS compact
//! serialisation (ES256, `zip: DEF`, `kid`), raw DEFLATE, the JWT claims and the FHIR bundle,
//! the issuer's key from the loaded directories (by `iss`, then `kid`), the signature,
//! revocation by `rid`, and `nbf`/`exp`.
//!
//! Stages: `numeric.rs` → `jws.rs` → inflate → claims → `fhir.rs` → checks.

mod fhir;
mod jws;
mod numeric;

use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};
use serde_json::Value;

use super::verdict::{finish, new_report, push, record};
use super::{Format, FormatError, HealthCard};
use crate::crypto::es256;
use crate::error::{Error, Result};
use crate::limits::MAX_INFLATED_LEN;
use crate::report::{Check, CheckId, Report, SignerInfo};
use crate::time::{format_date, format_datetime};
use crate::trust::shc::{ShcIssuer, ShcKey};
use crate::trust::TrustList;

/// The credential type every SMART Health Card carries.
const HEALTH_CARD_TYPE: &str = "https://smarthealth.cards#health-card";

/// Verifies a SMART Health Card's text (one QR code's, or all the parts of a chunked card
/// separated by white space) against the issuers of `trust` at time `now` (unix seconds).
///
/// A `.smart-health-card` file's JSON (`{"verifiableCredential": [JWS]}`) is read too: its
/// first card is verified.
pub fn verify(qr_text: &str, trust: &TrustList, now: i64) -> Report {
    let mut report = new_report(Format::Shc);
    if qr_text.trim_start().starts_with('{') {
        if let Some(jws) = record(&mut report, CheckId::Prefix, file_jws(qr_text), |_| {
            "a SMART Health Card file".to_owned()
        }) {
            report.checks.push(Check::skip(
                CheckId::Numeric,
                "not applicable: the card was given as a file",
            ));
            let _ = run_jws(&jws, trust, now, &mut report);
        }
    } else {
        let _ = run(qr_text, trust, now, &mut report);
    }
    finish(report)
}

/// Verifies a card's JWS given directly (from a file or an API rather than a QR code): the
/// `prefix` and `numeric` checks are `skip`.
pub fn verify_jws(jws: &str, trust: &TrustList, now: i64) -> Report {
    let mut report = new_report(Format::Shc);
    for id in [CheckId::Prefix, CheckId::Numeric] {
        report.checks.push(Check::skip(
            id,
            "not applicable: the JWS was given directly",
        ));
    }
    let _ = run_jws(jws, trust, now, &mut report);
    finish(report)
}

/// The first JWS of a `.smart-health-card` file.
fn file_jws(text: &str) -> Result<String> {
    let file_error = |why: &str| Error::from(FormatError::Jws(why.to_owned()));
    if text.len() > crate::limits::MAX_SHC_TEXT_LEN {
        return Err(FormatError::ShcTooLong {
            len: text.len(),
            max: crate::limits::MAX_SHC_TEXT_LEN,
        }
        .into());
    }
    let value: Value =
        serde_json::from_str(text).map_err(|_| file_error("the file is not JSON"))?;
    value
        .get("verifiableCredential")
        .and_then(Value::as_array)
        .and_then(|cards| cards.first())
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| file_error("the file holds no verifiableCredential"))
}

/// The JWT claims a card's checks need.
struct Claims {
    iss: String,
    nbf: f64,
    exp: Option<f64>,
    rid: Option<String>,
    types: Vec<String>,
    bundle: Value,
}

fn run(qr_text: &str, trust: &TrustList, now: i64, report: &mut Report) -> Option<()> {
    let parts = record(
        report,
        CheckId::Prefix,
        numeric::parts(qr_text),
        |parts| match parts.total {
            1 => "the text starts with shc:/, a SMART Health Card".to_owned(),
            n => format!("a SMART Health Card in {n} QR codes, all given"),
        },
    )?;
    let jws_text = record(report, CheckId::Numeric, numeric::decode(&parts), |jws| {
        format!("decoded {} characters", jws.len())
    })?;
    run_jws(&jws_text, trust, now, report)
}

fn run_jws(jws_text: &str, trust: &TrustList, now: i64, report: &mut Report) -> Option<()> {
    let jws = record(report, CheckId::Jws, jws::parse(jws_text), |jws| {
        format!("a JWS signed with key {}", jws.kid)
    })?;
    report.kid = Some(jws.kid.clone());
    report.alg = jws.alg.clone();
    let alg_is_es256 = jws.alg.as_deref() == Some("ES256");
    if !alg_is_es256 {
        // The header is read on, so that the card is shown; it can never be valid.
        let alg = jws.alg.clone().unwrap_or_else(|| "no algorithm".to_owned());
        report.checks.pop();
        report.checks.push(Check::fail(
            CheckId::Jws,
            &FormatError::JwsAlgorithm(alg).into(),
        ));
    }

    let json = match jws.zip.as_deref() {
        Some("DEF") => record(
            report,
            CheckId::Decompress,
            inflate_raw(&jws.payload),
            |json| format!("inflated to {} bytes", json.len()),
        )?,
        other => {
            let found = other.map_or_else(|| "missing".to_owned(), |zip| format!("\"{zip}\""));
            report.checks.push(Check::fail(
                CheckId::Decompress,
                &FormatError::JwsZip(found).into(),
            ));
            // Read on as uncompressed, so that the traveller sees what the card holds.
            jws.payload.clone()
        }
    };

    let claims = record(report, CheckId::Payload, claims(&json), |claims| {
        format!("a card issued by {}", claims.iss)
    })?;
    let bundle = fhir::read(&claims.bundle);
    report.holder = bundle.holder.clone();
    report.issued_at = Some(format_datetime(claims.nbf.floor() as i64));
    report.expires_at = claims.exp.map(|exp| format_datetime(exp.floor() as i64));
    let issuers: Vec<&ShcIssuer> = trust.shc().issuer(&claims.iss).collect();
    report.card = Some(HealthCard {
        issuer: Some(claims.iss.clone()),
        issuer_name: issuers.iter().find_map(|issuer| issuer.name.clone()),
        id: claims.rid.clone(),
        document_number: None,
        events: bundle.events,
    });

    // From here on every check runs, whatever the others found.
    let mut problems = rule_problems(&claims);
    problems.extend(bundle.problems);
    push(
        report,
        CheckId::Schema,
        if problems.is_empty() {
            Ok("the card follows the SMART Health Cards rules".to_owned())
        } else {
            Err(FormatError::ShcRules(problems).into())
        },
    );

    let key = issuer_key(&issuers, &claims.iss, &jws.kid);
    push(
        report,
        CheckId::Signer,
        key.as_ref()
            .map(|_| {
                let name = issuers.iter().find_map(|issuer| issuer.name.as_deref());
                format!(
                    "the issuer's key is in the loaded directory: {}",
                    name.unwrap_or(&claims.iss)
                )
            })
            .map_err(Clone::clone),
    );
    if key.is_ok() {
        report.signer = Some(SignerInfo {
            country: None,
            subject: Some(
                issuers
                    .iter()
                    .find_map(|issuer| issuer.name.clone())
                    .unwrap_or_else(|| claims.iss.clone()),
            ),
            not_before: None,
            not_after: None,
            demo: false,
        });
    }
    match (&key, alg_is_es256) {
        (Ok(key), true) => push(
            report,
            CheckId::Signature,
            if es256::verify(&key.key, jws.signing_input.as_bytes(), &jws.signature) {
                Ok("the ES256 signature is genuine".to_owned())
            } else {
                Err(Error::BadSignature)
            },
        ),
        (Ok(_), false) => report.checks.push(Check::skip(
            CheckId::Signature,
            "not checked: the card is not signed with ES256",
        )),
        (Err(_), _) => report.checks.push(Check::skip(
            CheckId::Signature,
            "not checked: no key of the issuer is known for this card",
        )),
    }

    report.checks.push(revocation(
        trust,
        key.as_ref().ok().copied(),
        &jws.kid,
        &claims,
    ));
    push(report, CheckId::Expiry, expiry(&claims, now));
    Some(())
}

/// Raw DEFLATE (RFC 1951), bounded.
fn inflate_raw(data: &[u8]) -> Result<Vec<u8>> {
    decompress_to_vec_with_limit(data, MAX_INFLATED_LEN).map_err(|error| {
        let why = if error.status == TINFLStatus::HasMoreOutput {
            format!("it unpacks to more than {MAX_INFLATED_LEN} bytes")
        } else {
            "it is not raw DEFLATE data".to_owned()
        };
        FormatError::Deflate(why).into()
    })
}

fn claims(json: &[u8]) -> Result<Claims> {
    let payload_error = |why: &str| Error::from(FormatError::ShcPayload(why.to_owned()));
    let value: Value = serde_json::from_slice(json).map_err(|_| payload_error("it is not JSON"))?;
    let iss = value
        .get("iss")
        .and_then(Value::as_str)
        .ok_or_else(|| payload_error("it names no issuer (iss)"))?;
    let nbf = value
        .get("nbf")
        .and_then(Value::as_f64)
        .ok_or_else(|| payload_error("it has no issue time (nbf)"))?;
    let exp = match value.get("exp") {
        None => None,
        Some(exp) => Some(
            exp.as_f64()
                .ok_or_else(|| payload_error("its expiry (exp) is not a number"))?,
        ),
    };
    let vc = value
        .get("vc")
        .ok_or_else(|| payload_error("it holds no credential (vc)"))?;
    let bundle = vc
        .pointer("/credentialSubject/fhirBundle")
        .ok_or_else(|| payload_error("it holds no FHIR bundle"))?;
    let types = vc
        .get("type")
        .and_then(Value::as_array)
        .map(|types| {
            types
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Claims {
        iss: iss.chars().take(512).collect(),
        nbf,
        exp,
        rid: vc.get("rid").and_then(Value::as_str).map(str::to_owned),
        types,
        bundle: bundle.clone(),
    })
}

/// The rules of the claims themselves (the bundle's are in [`fhir`]).
fn rule_problems(claims: &Claims) -> Vec<String> {
    let mut problems = Vec::new();
    if !claims.types.iter().any(|t| t == HEALTH_CARD_TYPE) {
        problems.push(format!("its type does not include {HEALTH_CARD_TYPE}"));
    }
    // Seconds since 1970 stay below 10^11 until the year 5138; a larger value is milliseconds.
    if claims.nbf > 1e11 {
        problems.push("its issue time (nbf) is in milliseconds, not seconds".to_owned());
    }
    if claims.exp.is_some_and(|exp| exp > 1e11) {
        problems.push("its expiry (exp) is in milliseconds, not seconds".to_owned());
    }
    if let Some(rid) = &claims.rid {
        let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if rid.is_empty() || rid.len() > 24 || !rid.chars().all(base64url) {
            problems
                .push("its revocation id (rid) is not up to 24 base64url characters".to_owned());
        }
    }
    problems
}

/// The key the card names: the issuer must be loaded (else the signer is unknown), and the key
/// one of the issuer's own (else the card names a key its issuer never published).
fn issuer_key<'a>(issuers: &[&'a ShcIssuer], iss: &str, kid: &str) -> Result<&'a ShcKey> {
    if issuers.is_empty() {
        return Err(FormatError::UnknownIssuer {
            iss: iss.to_owned(),
        }
        .into());
    }
    issuers
        .iter()
        .flat_map(|issuer| issuer.keys.iter())
        .find(|key| key.kid == kid)
        .ok_or_else(|| {
            FormatError::UnknownIssuerKey {
                iss: iss.to_owned(),
                kid: kid.to_owned(),
            }
            .into()
        })
}

/// Revocation by `rid` (spec: "Revocation"): a card is revoked when its key's list names its
/// rid, and, for an entry with a time suffix, the card was issued (`nbf`) before that time.
fn revocation(trust: &TrustList, key: Option<&ShcKey>, kid: &str, claims: &Claims) -> Check {
    let id = CheckId::Revocation;
    let Some(key) = key else {
        return Check::skip(id, "not checked: the issuer's key is unknown");
    };
    let lists: Vec<_> = trust.shc().revocation_lists(kid).collect();
    if lists.is_empty() {
        return Check::skip(
            id,
            match key.crl_version {
                Some(_) => "not checked: the issuer publishes a revocation list for this key, and none is loaded",
                None => "not checked: the issuer publishes no revocation list for this key",
            },
        );
    }
    let Some(rid) = &claims.rid else {
        return Check::skip(id, "not checked: the card carries no revocation id (rid)");
    };
    let revoked = lists
        .iter()
        .flat_map(|list| list.rids.iter())
        .any(|(listed, before)| {
            listed == rid && before.is_none_or(|before| claims.nbf < before as f64)
        });
    if revoked {
        Check::fail(id, &FormatError::ShcRevoked { rid: rid.clone() }.into())
    } else {
        Check::pass(id, "not on the issuer's loaded revocation list")
    }
}

fn expiry(claims: &Claims, now: i64) -> Result<String> {
    let issued_at = claims.nbf.floor() as i64;
    if (now as f64) < claims.nbf.floor() {
        return Err(Error::NotYetValid { issued_at });
    }
    match claims.exp {
        Some(exp) if (now as f64) > exp => Err(Error::Expired {
            expires_at: exp.floor() as i64,
        }),
        Some(exp) => Ok(format!("valid until {}", format_date(exp.floor() as i64))),
        None => Ok("issued in the past; the card sets no expiry".to_owned()),
    }
}
