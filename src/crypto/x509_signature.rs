//! The signatures of X.509 certificates and CRLs in the chains this verifier checks (a VDS-NC
//! barcode signer under its CSCA): RSA PKCS#1 v1.5 with SHA-256/384/512 and ECDSA with
//! SHA-256/384/512 (DER-encoded signature, as X.509 writes it) on P-256, and with feature
//! `ecdsa-p384-p521` on P-384 and P-521.

use der::asn1::ObjectIdentifier;
use sha2::{Sha256, Sha384, Sha512};

use super::ecdsa::{self, EcdsaEncoding, EcdsaHash};
use super::PublicKey;

const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");

/// Why an X.509 signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum X509SignatureError {
    /// The algorithm is not one this verifier checks (its OID).
    Unsupported(String),
    /// The algorithm does not fit the key (an RSA algorithm with an EC key, or the reverse).
    KeyMismatch,
    /// The signature is not genuine.
    Bad,
}

/// Whether `signature` is `key`'s signature of `message` with the algorithm `alg` (an OID of a
/// certificate's or CRL's signatureAlgorithm).
pub fn verify(
    alg: ObjectIdentifier,
    key: &PublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), X509SignatureError> {
    let ecdsa_hash = match alg {
        ECDSA_WITH_SHA256 => Some(EcdsaHash::Sha256),
        ECDSA_WITH_SHA384 => Some(EcdsaHash::Sha384),
        ECDSA_WITH_SHA512 => Some(EcdsaHash::Sha512),
        _ => None,
    };
    let genuine = match (key, alg, ecdsa_hash) {
        (PublicKey::Rsa(key), SHA256_WITH_RSA, _) => {
            key.pkcs1v15_verify::<Sha256>(message, signature).is_ok()
        }
        (PublicKey::Rsa(key), SHA384_WITH_RSA, _) => {
            key.pkcs1v15_verify::<Sha384>(message, signature).is_ok()
        }
        (PublicKey::Rsa(key), SHA512_WITH_RSA, _) => {
            key.pkcs1v15_verify::<Sha512>(message, signature).is_ok()
        }
        (PublicKey::Rsa(_), _, Some(_)) => return Err(X509SignatureError::KeyMismatch),
        (key, _, Some(hash)) => ecdsa::verify(key, hash, message, signature, EcdsaEncoding::Der),
        (key, SHA256_WITH_RSA | SHA384_WITH_RSA | SHA512_WITH_RSA, None)
            if ecdsa::is_ecdsa_key(key) =>
        {
            return Err(X509SignatureError::KeyMismatch)
        }
        (_, other, _) => return Err(X509SignatureError::Unsupported(other.to_string())),
    };
    if genuine {
        Ok(())
    } else {
        Err(X509SignatureError::Bad)
    }
}
