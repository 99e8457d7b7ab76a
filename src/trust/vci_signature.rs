//! The VCI directory snapshot's own signature: the-commons-project/vci-directory publishes
//! `vci_snapshot.json` with `vci_snapshot.sig`, an ECDSA P-521 / SHA-512 signature (DER) over the
//! file's bytes, made with the key of `vci_snapshot.crt` (CN=vci.org, self-signed).
//!
//! A certificate beside the snapshot proves nothing by itself (whoever alters the snapshot can
//! replace it too), so the signing key is pinned: [`VciSigners::builtin`] holds the vci.org key
//! (its SubjectPublicKeyInfo below, from `vci_snapshot.crt`, valid 2022-03-17 to 2032-03-14); an
//! operator may pin another with [`VciSigners::pin_certificate`] (the CLI's `--vci-certificate`).
//! A snapshot whose signature does not verify with a pinned key is refused.

use super::csca::Certificate;
use super::keys::public_key_from_spki_any_curve;
use crate::crypto::ecdsa::{self, EcdsaEncoding, EcdsaHash};
use crate::crypto::PublicKey;
use crate::limits::MAX_TRUST_ENTRY_LEN;

/// The vci.org signing key (EC P-521), DER SubjectPublicKeyInfo, as in the VCI directory's
/// `vci_snapshot.crt` (SHA-256 of this SPKI:
/// 33f79a469f7d4fa3f9440912a373c0dbf2bd67f330dba2b8fa954bb39d0201db).
const VCI_ORG_SPKI: &[u8] = &[
    0x30, 0x81, 0x9b, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05,
    0x2b, 0x81, 0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00, 0x04, 0x01, 0x79, 0x9e, 0x53, 0x61, 0x58,
    0xf3, 0x9b, 0x90, 0x01, 0x3a, 0x90, 0x27, 0xcd, 0x9c, 0x5b, 0x81, 0x6b, 0xeb, 0xd3, 0x73, 0x22,
    0x60, 0xa7, 0x0c, 0x21, 0xf2, 0x05, 0x51, 0x9d, 0xe4, 0x29, 0x11, 0x5f, 0xe0, 0x29, 0xf7, 0x92,
    0x53, 0xf0, 0xa8, 0x50, 0x11, 0x1d, 0x2f, 0x15, 0x47, 0xeb, 0xa2, 0x78, 0x67, 0x96, 0x62, 0x12,
    0x7a, 0x12, 0x46, 0xad, 0xe6, 0x5d, 0x9c, 0xb6, 0x54, 0x97, 0x95, 0x6d, 0x01, 0x90, 0xc2, 0xe0,
    0x9f, 0xad, 0x1e, 0x66, 0x1c, 0xb4, 0x48, 0xd2, 0x33, 0xfd, 0x5f, 0xd4, 0xff, 0x86, 0x2c, 0x02,
    0xfc, 0x3d, 0xea, 0x77, 0x8f, 0x9a, 0xbd, 0x90, 0xf6, 0x82, 0x47, 0x8d, 0xfe, 0x09, 0xd6, 0xf1,
    0x11, 0xe6, 0xcc, 0xe9, 0xdc, 0xea, 0xf7, 0x2a, 0x8d, 0xff, 0x4c, 0x55, 0x45, 0xe5, 0x98, 0x74,
    0x7c, 0x18, 0xf3, 0xbd, 0xc7, 0xdd, 0x92, 0x64, 0x79, 0x7c, 0x3f, 0x12, 0xd9, 0x33,
];

/// Why a VCI directory snapshot's signature is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VciSignatureError {
    /// The signer certificate cannot be read (PEM or DER X.509), or its key cannot be used.
    Certificate(String),
    /// The signer certificate's key is not a pinned VCI directory signer (its SPKI SHA-256).
    SignerNotPinned(String),
    /// The signature file is not an ECDSA signature (DER, or base64 of DER).
    MalformedSignature,
    /// The signature does not verify with the pinned key: the snapshot or the signature was
    /// altered, or it was signed by someone else.
    BadSignature,
}

impl std::fmt::Display for VciSignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VciSignatureError::Certificate(why) => write!(
                f,
                "the VCI directory's signer certificate cannot be used: {why}"
            ),
            VciSignatureError::SignerNotPinned(fingerprint) => write!(
                f,
                "the certificate beside the VCI directory snapshot is not the directory's signer \
                 (its key, SHA-256 {fingerprint}, is not pinned): refused"
            ),
            VciSignatureError::MalformedSignature => write!(
                f,
                "the VCI directory snapshot's signature file is not an ECDSA signature: refused"
            ),
            VciSignatureError::BadSignature => write!(
                f,
                "the VCI directory snapshot's signature does not verify: the file was altered or \
                 not signed by the directory's signer; refused"
            ),
        }
    }
}

impl std::error::Error for VciSignatureError {}

/// The keys that may sign a VCI directory snapshot.
#[derive(Debug, Clone)]
pub struct VciSigners {
    keys: Vec<PublicKey>,
}

impl VciSigners {
    /// The directory's own signer, vci.org (EC P-521).
    pub fn builtin() -> VciSigners {
        let keys = public_key_from_spki_any_curve(VCI_ORG_SPKI)
            .into_iter()
            .collect();
        VciSigners { keys }
    }

    /// Pins one more signer: the key of an X.509 certificate (PEM or DER) that the operator
    /// names, e.g. after the directory's key changes.
    pub fn pin_certificate(&mut self, certificate: &[u8]) -> Result<(), VciSignatureError> {
        let key = certificate_key(certificate)?;
        self.keys.push(key);
        Ok(())
    }

    /// Checks `signature` (DER, or its base64) over the snapshot's bytes. When a `certificate` is
    /// given (the `.crt` found beside the snapshot), its key must be a pinned one; the
    /// signature must verify with a pinned key in any case.
    pub fn verify(
        &self,
        snapshot: &[u8],
        signature: &[u8],
        certificate: Option<&[u8]>,
    ) -> Result<(), VciSignatureError> {
        let candidates: Vec<&PublicKey> = match certificate {
            Some(certificate) => {
                let key = certificate_key(certificate)?;
                match self.keys.iter().find(|pinned| **pinned == key) {
                    Some(pinned) => vec![pinned],
                    None => {
                        return Err(VciSignatureError::SignerNotPinned(
                            super::demo::fingerprint_hex(&super::demo::fingerprint(&key)),
                        ))
                    }
                }
            }
            None => self.keys.iter().collect(),
        };
        let signature = signature_der(signature)?;
        if candidates.into_iter().any(|key| {
            ecdsa::verify(
                key,
                EcdsaHash::Sha512,
                snapshot,
                &signature,
                EcdsaEncoding::Der,
            )
        }) {
            Ok(())
        } else {
            Err(VciSignatureError::BadSignature)
        }
    }
}

/// The signature as DER: the file holds DER (as the directory publishes it) or its base64.
fn signature_der(bytes: &[u8]) -> Result<Vec<u8>, VciSignatureError> {
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| VciSignatureError::MalformedSignature)?;
    super::formats::decode_base64(text.trim()).ok_or(VciSignatureError::MalformedSignature)
}

/// An X.509 certificate's key (PEM or DER).
fn certificate_key(bytes: &[u8]) -> Result<PublicKey, VciSignatureError> {
    let bad = |why: String| VciSignatureError::Certificate(why);
    if bytes.len() > MAX_TRUST_ENTRY_LEN * 2 {
        return Err(bad("the file is far longer than a certificate".to_owned()));
    }
    let der = if bytes.starts_with(b"-----BEGIN") {
        let (label, der) =
            der::pem::decode_vec(bytes).map_err(|err| bad(format!("not readable PEM ({err})")))?;
        if label != "CERTIFICATE" {
            return Err(bad(format!("a PEM {label}, not a CERTIFICATE")));
        }
        der
    } else {
        bytes.to_vec()
    };
    Certificate::from_der(&der)
        .map_err(|err| bad(err.to_string()))?
        .key
        .map_err(bad)
}
