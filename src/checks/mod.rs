//! The checks that run once the certificate is decoded, one module each: which key signed it,
//! whether the signature holds, whether the signer was allowed to sign it, and whether it is
//! valid now. Each returns a `Result` whose error is the failure a person reads.

pub mod expiry;
pub mod key_usage;
pub mod revocation;
pub mod signature;
pub mod signer;
pub mod signer_validity;
