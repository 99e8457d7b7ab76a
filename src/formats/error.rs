//! [`FormatError`]: how a SMART Health Card or a VDS-NC fails, in words a clerk understands.
//! It reaches reports as [`Error::Format`](crate::Error::Format); [`FormatError::code`] is the
//! stable id front ends translate.

use std::fmt;

use crate::error::codes;

/// Everything specific to SMART Health Cards and VDS-NC that can be wrong with a code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormatError {
    /// A `shc:/` text whose chunk header (`shc:/i/n/`) is malformed or inconsistent.
    ShcChunk(String),
    /// Some parts of a chunked SMART Health Card are missing: scan them too.
    ShcChunksMissing {
        /// How many parts the card has.
        total: usize,
        /// The part numbers (1-based) not given yet.
        missing: Vec<usize>,
    },
    /// The numeric QR content is not pairs of digits 00–77.
    ShcNumeric(String),
    /// The SMART Health Card is longer than [`crate::limits::MAX_SHC_TEXT_LEN`].
    ShcTooLong {
        /// Its length, in characters.
        len: usize,
        /// The bound.
        max: usize,
    },
    /// The JWS is malformed (not three base64url parts, or a header that is not JSON).
    Jws(String),
    /// The JWS header names an algorithm other than ES256 (the only one SMART Health Cards use).
    JwsAlgorithm(String),
    /// The JWS header does not say `zip: DEF`: the payload is not compressed as required.
    JwsZip(String),
    /// The JWS header has no `kid`.
    JwsKid,
    /// The compressed payload (raw DEFLATE) is broken or too large.
    Deflate(String),
    /// The JWT payload cannot be read (not JSON, a claim missing or of the wrong type).
    ShcPayload(String),
    /// The card breaks the SMART Health Cards rules; one entry per broken rule.
    ShcRules(Vec<String>),
    /// The issuer (`iss`) is not in the loaded directories.
    UnknownIssuer {
        /// The issuer URL.
        iss: String,
    },
    /// The issuer is known, but none of its keys has this `kid`.
    UnknownIssuerKey {
        /// The issuer URL.
        iss: String,
        /// The key id the card names.
        kid: String,
    },
    /// The issuer's revocation list lists the card's `rid`.
    ShcRevoked {
        /// The card's revocation id.
        rid: String,
    },
    /// The text is not a readable VDS-NC seal (JSON structure, header).
    Seal(String),
    /// The seal's message cannot be read.
    SealMessage(String),
    /// The seal's message breaks the ICAO rules; one entry per broken rule.
    SealRules(Vec<String>),
    /// The seal names a signature algorithm this verifier does not check.
    SealAlgorithm(String),
    /// The barcode signer certificate in `sig.cer` cannot be read.
    SignerCertificate(String),
    /// No loaded CSCA issued the barcode signer certificate.
    UnknownCsca {
        /// The signer certificate's issuer, as text.
        issuer: String,
    },
    /// A CSCA with the signer's issuer name is loaded, but did not sign the signer certificate.
    Chain(String),
    /// The data cannot be put in canonical JSON form (RFC 8785) to check its signature.
    Canonical(String),
    /// The CSCA's revocation list lists the barcode signer certificate.
    SignerRevoked {
        /// The signer certificate's serial number, hex.
        serial: String,
    },
    /// A loaded revocation list for this CSCA is unreadable or not signed by it.
    Crl(String),
    /// This build of the verifier does not verify this format (the page's start-up module): the
    /// formats module does.
    NotInThisBuild {
        /// The format's name.
        format: &'static str,
    },
    /// The barcode signer certificate (or its CSCA) is outside its validity period now.
    SignerCertificateValidity(String),
    /// The barcode signer certificate may not sign this type of seal (extended key usage).
    SealKeyUsage(String),
}

impl FormatError {
    /// A stable, machine-readable id, for translation.
    pub fn code(&self) -> &'static str {
        match self {
            FormatError::ShcChunk(_) => "shc_chunk",
            FormatError::ShcChunksMissing { .. } => "shc_chunks_missing",
            FormatError::ShcNumeric(_) => "shc_numeric",
            FormatError::ShcTooLong { .. } => "shc_too_long",
            FormatError::Jws(_) => "jws",
            FormatError::JwsAlgorithm(_) => "jws_algorithm",
            FormatError::JwsZip(_) => "jws_zip",
            FormatError::JwsKid => "jws_kid",
            FormatError::Deflate(_) => "deflate",
            FormatError::ShcPayload(_) => "shc_payload",
            FormatError::ShcRules(_) => "shc_rules",
            FormatError::UnknownIssuer { .. } | FormatError::UnknownCsca { .. } => {
                codes::UNKNOWN_SIGNER
            }
            FormatError::UnknownIssuerKey { .. } => "shc_unknown_key",
            FormatError::ShcRevoked { .. } => codes::REVOKED,
            FormatError::Seal(_) => "seal",
            FormatError::SealMessage(_) => "seal_message",
            FormatError::SealRules(_) => "seal_rules",
            FormatError::SealAlgorithm(_) => "seal_algorithm",
            FormatError::SignerCertificate(_) => "signer_certificate",
            FormatError::Chain(_) => "chain",
            FormatError::Canonical(_) => "canonical",
            FormatError::SignerRevoked { .. } => "signer_revoked",
            FormatError::Crl(_) => "crl",
            FormatError::SignerCertificateValidity(_) => "signer_certificate_validity",
            FormatError::SealKeyUsage(_) => "seal_key_usage",
            FormatError::NotInThisBuild { .. } => "format_not_in_build",
        }
    }
}

fn list(f: &mut fmt::Formatter<'_>, items: &[String]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            write!(f, "; ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::ShcChunk(why) => {
                write!(f, "the SMART Health Card's part header is malformed: {why}")
            }
            FormatError::ShcChunksMissing { total, missing } => {
                let parts: Vec<String> = missing.iter().map(usize::to_string).collect();
                write!(
                    f,
                    "this SMART Health Card is split into {total} QR codes: scan part {} too",
                    parts.join(", ")
                )
            }
            FormatError::ShcNumeric(why) => {
                write!(f, "the code is damaged: its SMART Health Card digits are invalid ({why})")
            }
            FormatError::ShcTooLong { len, max } => write!(
                f,
                "the SMART Health Card is {len} characters long, more than any real card ({max})"
            ),
            FormatError::Jws(why) => write!(f, "the card's signed data (JWS) is malformed: {why}"),
            FormatError::JwsAlgorithm(alg) => write!(
                f,
                "the card says it is signed with {alg}; SMART Health Cards are signed with ES256 only"
            ),
            FormatError::JwsZip(found) => write!(
                f,
                "the card's data is not compressed as SMART Health Cards require (zip is {found}, not DEF)"
            ),
            FormatError::JwsKid => {
                write!(f, "the card does not say which key signed it (no kid)")
            }
            FormatError::Deflate(why) => write!(f, "the card's compressed data is broken: {why}"),
            FormatError::ShcPayload(why) => write!(f, "the card's content cannot be read: {why}"),
            FormatError::ShcRules(problems) => {
                write!(f, "the card does not follow the SMART Health Cards rules: ")?;
                list(f, problems)
            }
            FormatError::UnknownIssuer { iss } => write!(
                f,
                "the issuer {iss} is not in the loaded SMART Health Card directories: unknown to this verifier"
            ),
            FormatError::UnknownIssuerKey { iss, kid } => write!(
                f,
                "the issuer {iss} has no key {kid}: the card names a key its issuer never published"
            ),
            FormatError::ShcRevoked { rid } => write!(
                f,
                "the issuer has revoked this card (revocation id {rid})"
            ),
            FormatError::Seal(why) => write!(f, "the seal (VDS-NC) is malformed: {why}"),
            FormatError::SealMessage(why) => write!(f, "the seal's content cannot be read: {why}"),
            FormatError::SealRules(problems) => {
                write!(f, "the seal does not follow the ICAO VDS-NC rules: ")?;
                list(f, problems)
            }
            FormatError::SealAlgorithm(alg) => write!(
                f,
                "the seal is signed with {alg}, which this verifier does not check (ES256, and in builds with P-384/P-521 ES384 and ES512)"
            ),
            FormatError::SignerCertificate(why) => write!(
                f,
                "the seal's signing certificate cannot be read: {why}"
            ),
            FormatError::UnknownCsca { issuer } => write!(
                f,
                "the seal's signing certificate was issued by {issuer}, which is not among the loaded country authorities (CSCA)"
            ),
            FormatError::Chain(why) => write!(
                f,
                "the seal's signing certificate is not genuine: {why}"
            ),
            FormatError::Canonical(why) => write!(
                f,
                "the seal's data cannot be put in canonical form to check its signature: {why}"
            ),
            FormatError::SignerRevoked { serial } => write!(
                f,
                "the country authority has revoked the seal's signing certificate (serial {serial}): the seal is not valid"
            ),
            FormatError::Crl(why) => write!(
                f,
                "the country authority's revocation list cannot be used: {why}"
            ),
            FormatError::NotInThisBuild { format } => write!(
                f,
                "this is a {format}; this build of the verifier reads EU certificates only (the formats module verifies it)"
            ),
            FormatError::SignerCertificateValidity(why) => {
                write!(f, "the seal's signing certificate is not valid now: {why}")
            }
            FormatError::SealKeyUsage(why) => write!(
                f,
                "the seal's signing certificate may not sign this type of seal: {why}"
            ),
        }
    }
}
