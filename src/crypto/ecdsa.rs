//! ECDSA with a named hash over the NIST curves, for X.509 chains (DER signatures) and for
//! signatures written as raw `r‖s` (ES256/ES384/ES512 in JOSE, VDS-NC seals). P-256 with
//! SHA-256 goes through [`es256`] (its per-key tables); every other pair is
//! checked on the hash with the curve crate's own verifier (RustCrypto `p256`, `p384`, `p521`,
//! which take a hash of any length the standard allows: it is truncated to the curve's order).

use sha2::{Digest, Sha256, Sha384, Sha512};

use super::{es256, PublicKey};

/// The hash an ECDSA signature is made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcdsaHash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// How the signature is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcdsaEncoding {
    /// A DER `SEQUENCE { r INTEGER, s INTEGER }`, as X.509 writes it.
    Der,
    /// `r‖s`, each as wide as the curve's order (IEEE P1363), as JOSE and ICAO write it.
    Fixed,
}

/// Whether the key is an ECDSA key (of any curve this build reads).
pub fn is_ecdsa_key(key: &PublicKey) -> bool {
    !matches!(key, PublicKey::Rsa(_))
}

/// Whether `signature` is `key`'s ECDSA signature of `message` hashed with `hash`. An RSA key,
/// a malformed signature, or a hash shorter than half the curve's order: `false`.
pub fn verify(
    key: &PublicKey,
    hash: EcdsaHash,
    message: &[u8],
    signature: &[u8],
    encoding: EcdsaEncoding,
) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    match key {
        PublicKey::Rsa(_) => false,
        PublicKey::EcP256(key) => {
            let signature = match encoding {
                EcdsaEncoding::Der => p256::ecdsa::Signature::from_der(signature),
                EcdsaEncoding::Fixed => p256::ecdsa::Signature::from_slice(signature),
            };
            let Ok(signature) = signature else {
                return false;
            };
            if hash == EcdsaHash::Sha256 {
                es256::verify(key, message, &signature.to_bytes())
            } else {
                key.verifying_key()
                    .verify_prehash(&digest(hash, message), &signature)
                    .is_ok()
            }
        }
        #[cfg(feature = "ecdsa-p384-p521")]
        PublicKey::EcP384(key) => {
            let signature = match encoding {
                EcdsaEncoding::Der => p384::ecdsa::Signature::from_der(signature),
                EcdsaEncoding::Fixed => p384::ecdsa::Signature::from_slice(signature),
            };
            signature.is_ok_and(|signature| {
                key.verify_prehash(&digest(hash, message), &signature)
                    .is_ok()
            })
        }
        #[cfg(feature = "ecdsa-p384-p521")]
        PublicKey::EcP521(key) => {
            let signature = match encoding {
                EcdsaEncoding::Der => p521::ecdsa::Signature::from_der(signature),
                EcdsaEncoding::Fixed => p521::ecdsa::Signature::from_slice(signature),
            };
            signature.is_ok_and(|signature| {
                key.verify_prehash(&digest(hash, message), &signature)
                    .is_ok()
            })
        }
    }
}

fn digest(hash: EcdsaHash, message: &[u8]) -> Vec<u8> {
    match hash {
        EcdsaHash::Sha256 => Sha256::digest(message).to_vec(),
        EcdsaHash::Sha384 => Sha384::digest(message).to_vec(),
        EcdsaHash::Sha512 => Sha512::digest(message).to_vec(),
    }
}
