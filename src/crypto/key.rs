//! [`PublicKey`]: a signing key, of one of the types DCC issuers use.

use super::EcP256Key;

/// A signing key, as it is used to check a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An ECDSA P-256 key, for ES256.
    EcP256(EcP256Key),
    /// An RSA key, for PS256.
    Rsa(rsa::PublicKey),
    /// An ECDSA P-384 key: a VDS-NC CSCA or barcode signer only (DCC trust lists refuse it).
    #[cfg(feature = "ecdsa-p384-p521")]
    EcP384(p384::ecdsa::VerifyingKey),
    /// An ECDSA P-521 key: a VDS-NC CSCA or barcode signer, or the VCI directory's signer.
    #[cfg(feature = "ecdsa-p384-p521")]
    EcP521(p521::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// A short name of the key type, for messages: "an EC P-256 key" or "an RSA key".
    pub fn describe(&self) -> &'static str {
        match self {
            PublicKey::EcP256(_) => "an EC P-256 key",
            PublicKey::Rsa(_) => "an RSA key",
            #[cfg(feature = "ecdsa-p384-p521")]
            PublicKey::EcP384(_) => "an EC P-384 key",
            #[cfg(feature = "ecdsa-p384-p521")]
            PublicKey::EcP521(_) => "an EC P-521 key",
        }
    }
}
