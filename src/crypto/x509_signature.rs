//! The signatures of X.509 certificates and CRLs in the chains this verifier checks (a VDS-NC
//! barcode signer under its CSCA): RSA PKCS#1 v1.5 with SHA-256/384/512 and ECDSA P-256 with
//! SHA-256 (DER-encoded signature, as X.509 writes it).

use der::asn1::ObjectIdentifier;
use sha2::{Sha256, Sha384, Sha512};

use super::{es256, PublicKey};

const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

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
    let genuine = match (key, alg) {
        (PublicKey::Rsa(key), SHA256_WITH_RSA) => {
            key.pkcs1v15_verify::<Sha256>(message, signature).is_ok()
        }
        (PublicKey::Rsa(key), SHA384_WITH_RSA) => {
            key.pkcs1v15_verify::<Sha384>(message, signature).is_ok()
        }
        (PublicKey::Rsa(key), SHA512_WITH_RSA) => {
            key.pkcs1v15_verify::<Sha512>(message, signature).is_ok()
        }
        (PublicKey::EcP256(key), ECDSA_WITH_SHA256) => {
            match p256::ecdsa::Signature::from_der(signature) {
                Ok(signature) => es256::verify(key, message, &signature.to_bytes()),
                Err(_) => false,
            }
        }
        (PublicKey::Rsa(_), ECDSA_WITH_SHA256)
        | (PublicKey::EcP256(_), SHA256_WITH_RSA | SHA384_WITH_RSA | SHA512_WITH_RSA) => {
            return Err(X509SignatureError::KeyMismatch)
        }
        (_, other) => return Err(X509SignatureError::Unsupported(other.to_string())),
    };
    if genuine {
        Ok(())
    } else {
        Err(X509SignatureError::Bad)
    }
}
