//! Stage 4: the COSE_Sign1 envelope (RFC 9052): headers, payload and signature.

use ciborium::Value;
use coset::iana::{self, EnumI64};
use coset::{AsCborValue, CoseSign1, Header, RegisteredLabelWithPrivate};

use super::cbor;
use crate::error::{Error, Result};

/// CBOR tag of COSE_Sign1.
const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a CWT, which some issuers wrap around the COSE_Sign1.
const TAG_CWT: u64 = 61;

/// The signature algorithm named in the COSE header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Algorithm {
    /// ECDSA P-256 with SHA-256 (COSE -7).
    Es256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 (COSE -37).
    Ps256,
    /// Any other algorithm, by its COSE name or number; never accepted for a DCC.
    Other(String),
}

impl Algorithm {
    /// The algorithm's name, e.g. "ES256".
    pub fn name(&self) -> &str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::Ps256 => "PS256",
            Algorithm::Other(name) => name,
        }
    }

    fn from_label(label: &RegisteredLabelWithPrivate<iana::Algorithm>) -> Self {
        match label {
            RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256) => Algorithm::Es256,
            RegisteredLabelWithPrivate::Assigned(iana::Algorithm::PS256) => Algorithm::Ps256,
            RegisteredLabelWithPrivate::Assigned(other) => {
                let name = match other {
                    iana::Algorithm::ES384 => "ES384".to_owned(),
                    iana::Algorithm::ES512 => "ES512".to_owned(),
                    iana::Algorithm::PS384 => "PS384".to_owned(),
                    iana::Algorithm::PS512 => "PS512".to_owned(),
                    iana::Algorithm::EdDSA => "EdDSA".to_owned(),
                    other => format!("algorithm {}", other.to_i64()),
                };
                Algorithm::Other(name)
            }
            RegisteredLabelWithPrivate::PrivateUse(number) => {
                Algorithm::Other(format!("algorithm {number}"))
            }
            RegisteredLabelWithPrivate::Text(text) => {
                Algorithm::Other(format!("algorithm \"{text}\""))
            }
        }
    }
}

/// Where the key identifier was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KidSource {
    /// The protected header (covered by the signature).
    Protected,
    /// The unprotected header, used only when the protected one has none.
    Unprotected,
}

/// A parsed COSE_Sign1, reduced to what verification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sign1 {
    /// The signature algorithm: protected header first, else unprotected.
    pub alg: Option<Algorithm>,
    /// The key identifier: protected header first, else unprotected.
    pub kid: Option<Vec<u8>>,
    /// Where `kid` came from.
    pub kid_source: Option<KidSource>,
    /// The bytes that were signed: the `Sig_structure` ("Signature1", protected, empty external
    /// aad, payload), built from the protected header's bytes exactly as received.
    pub to_be_signed: Vec<u8>,
    /// The signature.
    pub signature: Vec<u8>,
    /// The payload: the CWT claims, as CBOR.
    pub payload: Vec<u8>,
    /// Whether the structure carried tag 18.
    pub tagged: bool,
}

/// The bytes a COSE_Sign1 signature covers (RFC 9052 §4.4): the CBOR array
/// `["Signature1", protected, h'' (no external data), payload]`, with the protected header
/// exactly as it was received.
///
/// Written out here rather than with coset's `tbs_data`, which would link a CBOR serializer
/// into the page's wasm for these few bytes.
fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    const CONTEXT: &[u8] = b"Signature1";
    let mut out = Vec::with_capacity(protected.len() + payload.len() + 32);
    out.push(0x84); // array of 4 items
    out.push(0x60 | CONTEXT.len() as u8); // text string of 10 bytes
    out.extend_from_slice(CONTEXT);
    for bytes in [protected, &[], payload] {
        push_bstr_header(&mut out, bytes.len());
        out.extend_from_slice(bytes);
    }
    out
}

/// Appends the CBOR head of a byte string of `len` bytes (major type 2, shortest form).
fn push_bstr_header(out: &mut Vec<u8>, len: usize) {
    const BYTES: u8 = 0x40;
    let len = len as u64;
    match len {
        0..=23 => out.push(BYTES | len as u8),
        24..=0xff => out.extend_from_slice(&[BYTES | 24, len as u8]),
        0x100..=0xffff => {
            out.push(BYTES | 25);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(BYTES | 26);
            out.extend_from_slice(&(len as u32).to_be_bytes());
        }
        _ => {
            out.push(BYTES | 27);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
}

/// Parses a COSE_Sign1, tagged (18, possibly inside a CWT tag 61) or untagged.
pub fn parse(bytes: &[u8]) -> Result<Sign1> {
    let mut value = cbor::parse(bytes, "the COSE structure").map_err(Error::NotCoseSign1)?;
    let mut tagged = false;
    while let Value::Tag(tag, inner) = value {
        match tag {
            TAG_COSE_SIGN1 if !tagged => tagged = true,
            TAG_CWT if !tagged => {}
            other => return Err(Error::WrongCoseTag(other)),
        }
        value = *inner;
    }
    if !matches!(&value, Value::Array(items) if items.len() == 4) {
        return Err(Error::NotCoseSign1(
            "it is not an array of four items".into(),
        ));
    }
    let sign1 = CoseSign1::from_cbor_value(value)
        .map_err(|error| Error::NotCoseSign1(error.to_string()))?;
    let payload = sign1
        .payload
        .clone()
        .ok_or_else(|| Error::NotCoseSign1("it carries no payload".into()))?;
    let (kid, kid_source) = kid_of(&sign1.protected.header, &sign1.unprotected);
    let alg = sign1
        .protected
        .header
        .alg
        .as_ref()
        .or(sign1.unprotected.alg.as_ref())
        .map(Algorithm::from_label);
    Ok(Sign1 {
        alg,
        kid,
        kid_source,
        to_be_signed: sig_structure(
            sign1.protected.original_data.as_deref().unwrap_or_default(),
            &payload,
        ),
        signature: sign1.signature,
        payload,
        tagged,
    })
}

/// The protected kid wins whenever present: a kid in the unprotected header is not covered by
/// the signature, so it must not override (dgc-testdata CO21, CO22).
fn kid_of(protected: &Header, unprotected: &Header) -> (Option<Vec<u8>>, Option<KidSource>) {
    if !protected.key_id.is_empty() {
        (Some(protected.key_id.clone()), Some(KidSource::Protected))
    } else if !unprotected.key_id.is_empty() {
        (
            Some(unprotected.key_id.clone()),
            Some(KidSource::Unprotected),
        )
    } else {
        (None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coset::{CborSerializable, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable};

    #[test]
    fn sig_structure_matches_coset_for_every_length_form() {
        for protected_len in [0usize, 3, 23, 24, 255, 256] {
            for payload_len in [0usize, 23, 24, 255, 256, 65_535, 65_536] {
                let protected = if protected_len == 0 {
                    Header::default()
                } else {
                    HeaderBuilder::new().key_id(vec![7; protected_len]).build()
                };
                let sign1 = CoseSign1Builder::new()
                    .protected(protected)
                    .payload(vec![0xa5; payload_len])
                    .signature(vec![1; 64])
                    .build();
                let parsed =
                    CoseSign1::from_slice(&sign1.to_vec().expect("serializes")).expect("parses");
                let original = parsed.protected.original_data.clone().unwrap_or_default();
                assert_eq!(
                    sig_structure(&original, &vec![0xa5; payload_len]),
                    parsed.tbs_data(&[]),
                    "protected kid {protected_len} bytes, payload {payload_len} bytes"
                );
            }
        }
    }

    fn sample(protected: Header, unprotected: Header) -> CoseSign1 {
        CoseSign1Builder::new()
            .protected(protected)
            .unprotected(unprotected)
            .payload(b"claims".to_vec())
            .signature(vec![1; 64])
            .build()
    }

    #[test]
    fn reads_tagged_and_untagged_structures() {
        let protected = HeaderBuilder::new()
            .algorithm(iana::Algorithm::ES256)
            .key_id(b"kid12345".to_vec())
            .build();
        let cose = sample(protected, Header::default());
        let tagged = cose.clone().to_tagged_vec().expect("encodes");
        let untagged = cose.to_vec().expect("encodes");
        for (bytes, is_tagged) in [(tagged, true), (untagged, false)] {
            let parsed = parse(&bytes).expect("parses");
            assert_eq!(parsed.alg, Some(Algorithm::Es256));
            assert_eq!(parsed.kid.as_deref(), Some(&b"kid12345"[..]));
            assert_eq!(parsed.kid_source, Some(KidSource::Protected));
            assert_eq!(parsed.payload, b"claims");
            assert_eq!(parsed.tagged, is_tagged);
        }
    }

    #[test]
    fn falls_back_to_the_unprotected_header() {
        let protected = HeaderBuilder::new().build();
        let unprotected = HeaderBuilder::new()
            .algorithm(iana::Algorithm::PS256)
            .key_id(b"unprot".to_vec())
            .build();
        let parsed =
            parse(&sample(protected, unprotected).to_vec().expect("encodes")).expect("parses");
        assert_eq!(parsed.alg, Some(Algorithm::Ps256));
        assert_eq!(parsed.kid_source, Some(KidSource::Unprotected));
    }

    #[test]
    fn protected_kid_wins() {
        let protected = HeaderBuilder::new().key_id(b"inside".to_vec()).build();
        let unprotected = HeaderBuilder::new().key_id(b"outside".to_vec()).build();
        let parsed =
            parse(&sample(protected, unprotected).to_vec().expect("encodes")).expect("parses");
        assert_eq!(parsed.kid.as_deref(), Some(&b"inside"[..]));
    }

    #[test]
    fn rejects_what_is_not_cose_sign1() {
        let sign1 = sample(Header::default(), Header::default())
            .to_vec()
            .expect("encodes");
        let mut wrong_tag = vec![0xd1]; // tag 17: COSE_Mac0
        wrong_tag.extend_from_slice(&sign1);
        let mut trailing = sign1.clone();
        trailing.push(0);
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (vec![], "truncated"),
            (vec![0xa0], "four items"),
            (vec![0x83, 0x40, 0xa0, 0x40], "four items"),
            (sign1[..sign1.len() - 3].to_vec(), "truncated"),
            (wrong_tag, "tag 17"),
            (trailing, "unexpected bytes"),
            (vec![0x9f; 100], "nested too deeply"),
        ];
        for (bytes, expected) in cases {
            let error = parse(&bytes).expect_err("must fail").to_string();
            assert!(error.contains(expected), "{bytes:02x?}: {error}");
        }
    }

    #[test]
    fn rejects_a_detached_payload() {
        let mut cose = sample(Header::default(), Header::default());
        cose.payload = None;
        let error = parse(&cose.to_vec().expect("encodes")).expect_err("must fail");
        assert!(error.to_string().contains("no payload"));
    }
}
