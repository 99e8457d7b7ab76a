//! PS256: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8230 §2), as the EU
//! reference verifiers require.

use sha2::Sha256;

/// Whether `signature` is `key`'s PS256 signature of `message`.
pub fn verify(key: &rsa::PublicKey, message: &[u8], signature: &[u8]) -> bool {
    key.pss_verify::<Sha256>(message, signature).is_ok()
}
