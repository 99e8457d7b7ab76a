//! [`PublicKey`]: a signing key, of one of the types DCC issuers use.

use super::EcP256Key;

/// A signing key, as it is used to check a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An ECDSA P-256 key, for ES256.
    EcP256(EcP256Key),
    /// An RSA key, for PS256.
    Rsa(rsa::PublicKey),
}

impl PublicKey {
    /// A short name of the key type, for messages: "an EC P-256 key" or "an RSA key".
    pub fn describe(&self) -> &'static str {
        match self {
            PublicKey::EcP256(_) => "an EC P-256 key",
            PublicKey::Rsa(_) => "an RSA key",
        }
    }
}
