//! The one error type of the crate: every way a certificate, a trust list or an image can fail.
//!
//! Messages are written for the person holding the phone (a venue clerk or a traveller), not for
//! a developer: they say what is wrong with the certificate in plain words. [`Error::code`] gives
//! a stable machine-readable identifier that front ends use to translate the message.

use std::fmt;

/// Result type used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while reading or checking a certificate, a trust list or an image.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input is empty (or only whitespace).
    EmptyInput,
    /// The input is longer than any QR code can hold.
    InputTooLong {
        /// Length of the input, in bytes.
        len: usize,
        /// The bound ([`crate::limits::MAX_QR_TEXT_LEN`]).
        max: usize,
    },
    /// The text does not start with the `HC1:` context identifier.
    NotHc1 {
        /// What the text starts with instead (at most a few characters), for the message.
        found: String,
    },
    /// The text after `HC1:` is not valid base45.
    Base45,
    /// The data is not zlib-compressed, as the specification requires.
    NotCompressed,
    /// The zlib stream is broken or truncated.
    Zlib,
    /// The decompressed data would exceed [`crate::limits::MAX_INFLATED_LEN`].
    InflatedTooLarge {
        /// The bound, in bytes.
        max: usize,
    },
    /// The data is not a COSE_Sign1 structure.
    NotCoseSign1(String),
    /// The COSE structure carries a CBOR tag other than 18 (COSE_Sign1) or 61 (CWT).
    WrongCoseTag(u64),
    /// The CWT claims are malformed (not a map, a claim of the wrong type, ...).
    Cwt(String),
    /// The CWT has no health certificate claim (-260 → 1).
    MissingHcert,
    /// A required CWT claim is missing.
    MissingClaim(&'static str),
    /// The health certificate payload cannot be read.
    Payload(String),
    /// CBOR nested deeper than [`crate::limits::MAX_CBOR_DEPTH`].
    TooDeep,
    /// The payload breaks the rules of the DCC schema; each entry is one broken rule.
    Schema(Vec<String>),
    /// The certificate carries no key identifier (kid).
    MissingKid,
    /// No signing certificate in the trust list has this key identifier.
    UnknownSigner {
        /// The kid, base64.
        kid: String,
    },
    /// The signature algorithm is neither ES256 nor PS256.
    UnsupportedAlgorithm(String),
    /// The certificate carries no signature algorithm.
    MissingAlgorithm,
    /// The algorithm in the certificate does not match the signer's key type.
    AlgorithmKeyMismatch {
        /// The algorithm named in the certificate.
        alg: String,
        /// The key type in the trust list.
        key: &'static str,
    },
    /// The signature does not verify with any signing key for this kid.
    BadSignature,
    /// The certificate was issued before the signing certificate became valid.
    SignerNotYetValid {
        /// Issue time of the health certificate (unix seconds).
        issued_at: i64,
        /// The signing certificate's notBefore (unix seconds).
        not_before: i64,
    },
    /// The certificate expires after the signing certificate does.
    SignerExpiresFirst {
        /// Expiry of the health certificate (unix seconds).
        expires_at: i64,
        /// The signing certificate's notAfter (unix seconds).
        not_after: i64,
    },
    /// The signing key is not allowed to sign this type of certificate.
    KeyUsage {
        /// The certificate's type ("vaccination", "test" or "recovery").
        cert_type: &'static str,
        /// What the key may sign, e.g. "test".
        allowed: String,
    },
    /// The certificate expired.
    Expired {
        /// Its expiry time (unix seconds).
        expires_at: i64,
    },
    /// The certificate is not valid yet: its issue time is in the future.
    NotYetValid {
        /// Its issue time (unix seconds).
        issued_at: i64,
    },
    /// A trust-list file is in no format this verifier reads.
    TrustListFormat(String),
    /// A trust list's signature does not verify with the pinned key.
    TrustListSignature,
    /// A trust list is not signed by a pinned key, where only signed lists are accepted.
    TrustListUnsigned,
    /// A trust-list file or its number of entries exceeds the bounds in [`crate::limits`].
    TrustListTooLarge(String),
    /// One trust-list entry cannot be used (it is skipped, the rest of the list still loads).
    TrustEntry(String),
    /// An image file is neither PNG nor JPEG, or is corrupt.
    Image(String),
    /// An image is larger than [`crate::limits::MAX_IMAGE_PIXELS`].
    ImageTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// No QR code was found in the image.
    NoQrCode,
    /// The issuer withdrew the certificate: one of its hashes is on a live revocation batch.
    Revoked {
        /// The hash type that matched ("UCI", "COUNTRYCODEUCI" or "SIGNATURE").
        hash_type: &'static str,
        /// The country of the batch that lists it.
        country: String,
        /// The batch's expiry (unix seconds).
        expires_at: i64,
    },
    /// A revocation file is in no format this verifier reads (gateway JSON or compact).
    RevocationListFormat(String),
    /// A revocation file, or its number of batches or entries, exceeds the bounds in
    /// [`crate::limits`].
    RevocationListTooLarge(String),
    /// One batch of a revocation file is malformed; the whole file is refused.
    RevocationBatch {
        /// The batch's number in the file, from 1.
        batch: usize,
        /// Its country, when read before the problem.
        country: Option<String>,
        /// What is wrong with it.
        problem: String,
    },
    /// A SMART Health Card or an ICAO VDS-NC is wrong in a way of its own format.
    Format(crate::formats::FormatError),
}

/// The failure codes the verdict is derived from (`status_of` in `verify.rs`), named once.
pub(crate) mod codes {
    /// [`super::Error::UnknownSigner`].
    pub const UNKNOWN_SIGNER: &str = "unknown_signer";
    /// [`super::Error::Expired`].
    pub const EXPIRED: &str = "expired";
    /// [`super::Error::NotYetValid`].
    pub const NOT_YET_VALID: &str = "not_yet_valid";
    /// [`super::Error::Revoked`].
    pub const REVOKED: &str = "revoked";
}

impl Error {
    /// A stable, machine-readable identifier for this kind of failure (snake_case), which front
    /// ends use to translate the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptyInput => "empty_input",
            Error::InputTooLong { .. } => "input_too_long",
            Error::NotHc1 { .. } => "not_hc1",
            Error::Base45 => "base45",
            Error::NotCompressed => "not_compressed",
            Error::Zlib => "zlib",
            Error::InflatedTooLarge { .. } => "inflated_too_large",
            Error::NotCoseSign1(_) => "not_cose_sign1",
            Error::WrongCoseTag(_) => "wrong_cose_tag",
            Error::Cwt(_) => "cwt",
            Error::MissingHcert => "missing_hcert",
            Error::MissingClaim(_) => "missing_claim",
            Error::Payload(_) => "payload",
            Error::TooDeep => "too_deep",
            Error::Schema(_) => "schema",
            Error::MissingKid => "missing_kid",
            Error::UnknownSigner { .. } => codes::UNKNOWN_SIGNER,
            Error::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Error::MissingAlgorithm => "missing_algorithm",
            Error::AlgorithmKeyMismatch { .. } => "algorithm_key_mismatch",
            Error::BadSignature => "bad_signature",
            Error::SignerNotYetValid { .. } => "signer_not_yet_valid",
            Error::SignerExpiresFirst { .. } => "signer_expires_first",
            Error::KeyUsage { .. } => "key_usage",
            Error::Expired { .. } => codes::EXPIRED,
            Error::NotYetValid { .. } => codes::NOT_YET_VALID,
            Error::TrustListFormat(_) => "trust_list_format",
            Error::TrustListSignature => "trust_list_signature",
            Error::TrustListUnsigned => "trust_list_unsigned",
            Error::TrustListTooLarge(_) => "trust_list_too_large",
            Error::TrustEntry(_) => "trust_entry",
            Error::Image(_) => "image",
            Error::ImageTooLarge { .. } => "image_too_large",
            Error::NoQrCode => "no_qr_code",
            Error::Revoked { .. } => codes::REVOKED,
            Error::RevocationListFormat(_) => "revocation_list_format",
            Error::RevocationListTooLarge(_) => "revocation_list_too_large",
            Error::RevocationBatch { .. } => "revocation_batch",
            Error::Format(error) => error.code(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::time::format_date;
        match self {
            Error::EmptyInput => write!(f, "nothing to check: the input is empty"),
            Error::InputTooLong { len, max } => write!(
                f,
                "this is not a vaccine certificate: the text is {len} characters long, more than a QR code holds ({max})"
            ),
            Error::NotHc1 { found } if found.is_empty() => write!(
                f,
                "this is not a vaccine certificate: it does not start with \"HC1:\""
            ),
            Error::NotHc1 { found } => write!(
                f,
                "this is not a vaccine certificate: it starts with \"{found}\" instead of \"HC1:\""
            ),
            Error::Base45 => write!(
                f,
                "the code is damaged: its text contains characters that are not allowed (base45)"
            ),
            Error::NotCompressed => write!(
                f,
                "the code's data is not compressed as the EU specification requires (zlib)"
            ),
            Error::Zlib => write!(f, "the code is damaged: its compressed data is broken"),
            Error::InflatedTooLarge { max } => write!(
                f,
                "the code's data unpacks to more than {max} bytes, far more than any real certificate"
            ),
            Error::NotCoseSign1(why) => write!(
                f,
                "the code does not hold a signed certificate (COSE_Sign1): {why}"
            ),
            Error::WrongCoseTag(tag) => write!(
                f,
                "the code does not hold a signed certificate: CBOR tag {tag} is not COSE_Sign1 (18)"
            ),
            Error::Cwt(why) => write!(f, "the certificate's envelope (CWT) is malformed: {why}"),
            Error::MissingHcert => write!(
                f,
                "the signed data holds no health certificate (claim -260 is missing)"
            ),
            Error::MissingClaim(claim) => {
                write!(f, "the certificate has no {claim}")
            }
            Error::Payload(why) => write!(f, "the health certificate cannot be read: {why}"),
            Error::TooDeep => write!(
                f,
                "the certificate's data is nested too deeply to be a real certificate"
            ),
            Error::Schema(problems) => {
                write!(f, "the certificate does not follow the EU format: ")?;
                for (i, problem) in problems.iter().enumerate() {
                    if i > 0 {
                        write!(f, "; ")?;
                    }
                    write!(f, "{problem}")?;
                }
                Ok(())
            }
            Error::MissingKid => write!(
                f,
                "the certificate does not say which key signed it (no kid)"
            ),
            Error::UnknownSigner { kid } => write!(
                f,
                "the signing key (kid {kid}) is not in the trust list: the issuer is unknown to this verifier"
            ),
            Error::UnsupportedAlgorithm(alg) => write!(
                f,
                "the certificate is signed with {alg}, which DCC does not allow (only ES256 and PS256)"
            ),
            Error::MissingAlgorithm => write!(
                f,
                "the certificate does not say how it was signed (no alg)"
            ),
            Error::AlgorithmKeyMismatch { alg, key } => write!(
                f,
                "the certificate claims {alg}, but the signer's key is {key}: the signature cannot be genuine"
            ),
            Error::BadSignature => write!(
                f,
                "the signature does not match: the certificate was altered or not signed by this issuer"
            ),
            Error::SignerNotYetValid { issued_at, not_before } => write!(
                f,
                "the certificate was issued on {}, before its signing certificate became valid on {}",
                format_date(*issued_at),
                format_date(*not_before)
            ),
            Error::SignerExpiresFirst { expires_at, not_after } => write!(
                f,
                "the certificate runs until {}, but its signing certificate ends on {}: a certificate may not outlive the key that signed it",
                format_date(*expires_at),
                format_date(*not_after)
            ),
            Error::KeyUsage { cert_type, allowed } => write!(
                f,
                "this is a {cert_type} certificate, but its signing key may only sign {allowed} certificates"
            ),
            Error::Expired { expires_at } => {
                write!(f, "certificate expired on {}", format_date(*expires_at))
            }
            Error::NotYetValid { issued_at } => write!(
                f,
                "certificate is not valid yet: it is issued for {}",
                crate::time::format_datetime(*issued_at)
            ),
            Error::TrustListFormat(why) => write!(f, "the trust list cannot be read: {why}"),
            Error::TrustListSignature => write!(
                f,
                "the trust list's signature does not match its pinned key: the list may have been altered"
            ),
            Error::TrustListUnsigned => write!(
                f,
                "the trust list is not signed by a pinned key, and only signed lists are accepted"
            ),
            Error::TrustListTooLarge(why) => write!(f, "the trust list is too large: {why}"),
            Error::TrustEntry(why) => write!(f, "{why}"),
            Error::Image(why) => write!(f, "the image cannot be read: {why}"),
            Error::ImageTooLarge { width, height } => write!(
                f,
                "the image is too large ({width}×{height} pixels)"
            ),
            Error::NoQrCode => write!(f, "no QR code was found in the image"),
            Error::Revoked {
                hash_type,
                country,
                expires_at,
            } => write!(
                f,
                "withdrawn by the issuer: do not accept. The certificate is on {country}'s revocation list (by its {hash_type} hash; the list applies until {})",
                format_date(*expires_at)
            ),
            Error::RevocationListFormat(why) => {
                write!(f, "the revocation list cannot be read: {why}")
            }
            Error::RevocationListTooLarge(why) => {
                write!(f, "the revocation list is too large: {why}")
            }
            Error::RevocationBatch {
                batch,
                country,
                problem,
            } => {
                write!(f, "revocation batch {batch}")?;
                if let Some(country) = country {
                    write!(f, " ({country})")?;
                }
                write!(f, " is malformed: {problem}")
            }
            Error::Format(error) => write!(f, "{error}"),
        }
    }
}

impl From<crate::formats::FormatError> for Error {
    fn from(error: crate::formats::FormatError) -> Self {
        Error::Format(error)
    }
}

impl std::error::Error for Error {}
