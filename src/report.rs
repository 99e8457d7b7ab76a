//! [`Report`]: the one shape every front end shows (CLI, JSON, JavaScript).

use serde::Serialize;

use crate::dcc::{CertType, Dcc, Warning};
use crate::error::Error;
use crate::formats::{Format, HealthCard, Holder};

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every check passed.
    Valid,
    /// A check failed: the certificate is forged, altered, malformed or misused.
    Invalid,
    /// Genuine, but withdrawn by its issuer: a live revocation batch lists it.
    Revoked,
    /// Genuine, but past its expiry time.
    Expired,
    /// Genuine, but its issue time is still in the future.
    NotYetValid,
    /// The signing key is not in the trust list: neither trusted nor known to be forged.
    UnknownSigner,
    /// The text is not a vaccine certificate, or does not decode.
    NotADcc,
}

impl Status {
    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Revoked => "revoked",
            Status::Expired => "expired",
            Status::NotYetValid => "not_yet_valid",
            Status::UnknownSigner => "unknown_signer",
            Status::NotADcc => "not_a_dcc",
        }
    }
}

/// The checks, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// The `HC1:` context identifier.
    Prefix,
    /// Base45 decoding.
    Base45,
    /// zlib decompression.
    Decompress,
    /// The COSE_Sign1 structure.
    Cose,
    /// The CWT claims.
    Cwt,
    /// The health certificate payload.
    Payload,
    /// The DCC schema rules.
    Schema,
    /// The kid is in the trust list.
    Signer,
    /// The signature.
    Signature,
    /// The certificate is not on a loaded revocation list.
    Revocation,
    /// The certificate lies within its signer's validity.
    SignerValidity,
    /// The signer may sign this type of certificate.
    KeyUsage,
    /// The certificate is valid now.
    Expiry,
    /// SMART Health Card: the numeric QR content (and its parts, when chunked).
    Numeric,
    /// SMART Health Card: the JWS (compact serialisation) and its header.
    Jws,
    /// VDS-NC: the seal's JSON structure and header.
    Seal,
}

impl CheckId {
    /// Every check, in order.
    pub const ALL: [CheckId; 13] = [
        CheckId::Prefix,
        CheckId::Base45,
        CheckId::Decompress,
        CheckId::Cose,
        CheckId::Cwt,
        CheckId::Payload,
        CheckId::Schema,
        CheckId::Signer,
        CheckId::Signature,
        CheckId::Revocation,
        CheckId::SignerValidity,
        CheckId::KeyUsage,
        CheckId::Expiry,
    ];

    /// A SMART Health Card's checks, in order.
    pub const SHC: [CheckId; 10] = [
        CheckId::Prefix,
        CheckId::Numeric,
        CheckId::Jws,
        CheckId::Decompress,
        CheckId::Payload,
        CheckId::Schema,
        CheckId::Signer,
        CheckId::Signature,
        CheckId::Revocation,
        CheckId::Expiry,
    ];

    /// An ICAO VDS-NC's checks, in order.
    pub const VDS_NC: [CheckId; 9] = [
        CheckId::Seal,
        CheckId::Payload,
        CheckId::Schema,
        CheckId::Signer,
        CheckId::Signature,
        CheckId::Revocation,
        CheckId::SignerValidity,
        CheckId::KeyUsage,
        CheckId::Expiry,
    ];

    /// The checks of a format, in order ([`CheckId::ALL`] for the EU DCC).
    pub fn of_format(format: Format) -> &'static [CheckId] {
        match format {
            Format::Dcc => &CheckId::ALL,
            Format::Shc => &CheckId::SHC,
            Format::VdsNc => &CheckId::VDS_NC,
        }
    }

    /// The snake_case id, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Numeric => "numeric",
            CheckId::Jws => "jws",
            CheckId::Seal => "seal",
            CheckId::Prefix => "prefix",
            CheckId::Base45 => "base45",
            CheckId::Decompress => "decompress",
            CheckId::Cose => "cose",
            CheckId::Cwt => "cwt",
            CheckId::Payload => "payload",
            CheckId::Schema => "schema",
            CheckId::Signer => "signer",
            CheckId::Signature => "signature",
            CheckId::Revocation => "revocation",
            CheckId::SignerValidity => "signer_validity",
            CheckId::KeyUsage => "key_usage",
            CheckId::Expiry => "expiry",
        }
    }
}

/// The result of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail,
    /// The check could not run, because an earlier stage left nothing to check.
    Skip,
}

/// One check, its result and a sentence a person understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Which check.
    pub check: CheckId,
    /// Its result.
    pub result: Outcome,
    /// What was found, in words.
    pub detail: String,
    /// For a failure, the machine-readable reason ([`Error::code`]), for translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

impl Check {
    /// A passed check.
    pub fn pass(check: CheckId, detail: impl Into<String>) -> Self {
        Check {
            check,
            result: Outcome::Pass,
            detail: detail.into(),
            code: None,
        }
    }

    /// A failed check, described by its error.
    pub fn fail(check: CheckId, error: &Error) -> Self {
        Check {
            check,
            result: Outcome::Fail,
            detail: error.to_string(),
            code: Some(error.code()),
        }
    }

    /// A skipped check.
    pub fn skip(check: CheckId, detail: impl Into<String>) -> Self {
        Check {
            check,
            result: Outcome::Skip,
            detail: detail.into(),
            code: None,
        }
    }
}

/// What the trust list says of the signing certificate that verified the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerInfo {
    /// Country of the DSC, when known.
    pub country: Option<String>,
    /// Subject of the DSC, when known.
    pub subject: Option<String>,
    /// Start of the DSC's validity, RFC 3339, when known.
    pub not_before: Option<String>,
    /// End of the DSC's validity, RFC 3339, when known.
    pub not_after: Option<String>,
    /// Whether the DSC is a demo key ([`crate::trust::Dsc::demo`]): the result must then be
    /// marked DEMO.
    pub demo: bool,
}

/// The complete answer for one QR text: the verdict, every check, and what was decoded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The format of the code: `dcc`, `shc` or `vds-nc` (text in no known format is `dcc`).
    pub format: Format,
    /// The verdict.
    pub status: Status,
    /// Every check, in order, each with a result.
    pub checks: Vec<Check>,
    /// What is odd about the certificate, though allowed, and how it was read (a date with a
    /// time, an impossible date, a field the schema does not define). Warnings never change the
    /// verdict.
    pub warnings: Vec<Warning>,
    /// The issuing country (CWT claim `iss`).
    pub issuer_country: Option<String>,
    /// Issue time (CWT claim `iat`), RFC 3339.
    pub issued_at: Option<String>,
    /// Expiry time (CWT claim `exp`), RFC 3339.
    pub expires_at: Option<String>,
    /// The signature algorithm, e.g. "ES256" or "PS256".
    pub alg: Option<String>,
    /// The key identifier, base64.
    pub kid: Option<String>,
    /// The signer, when the kid is in the trust list.
    pub signer: Option<SignerInfo>,
    /// Whether the signature verified with a demo key (one of the project's test issuer,
    /// [`crate::trust::demo`]): the verdict is then a demo's, never a real certificate's.
    pub demo: bool,
    /// The type of certificate.
    pub cert_type: Option<CertType>,
    /// The health certificate: holder, date of birth and entries.
    pub certificate: Option<Dcc>,
    /// The holder's name and date of birth, in every format.
    pub holder: Option<Holder>,
    /// A SMART Health Card's or a VDS-NC's issuer and events (absent for the EU DCC, whose
    /// content is [`Report::certificate`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<HealthCard>,
    /// The business rules' answer, when rules were asked for (beside the checks, which it
    /// never changes).
    #[cfg(feature = "rules")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<crate::rules::RulesReport>,
}

impl Report {
    /// The check with this id.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|check| check.check == id)
    }

    /// The result of the check with this id ([`Outcome::Skip`] if absent).
    pub fn outcome(&self, id: CheckId) -> Outcome {
        self.check(id).map_or(Outcome::Skip, |check| check.result)
    }

    /// The report as JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain strings, numbers and maps with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The report as indented JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
