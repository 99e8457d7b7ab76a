//! The cryptographic primitives, below both [`trust`](crate::trust) (which holds keys and checks
//! signed trust lists) and [`checks`](crate::checks) (which checks a certificate's signature):
//! the key types, ES256 with its per-key tables, ECDSA with other curves and hashes, PS256 and
//! SHA-256.
//!
//! Everything here works on public data (keys, signatures, messages); nothing here knows about
//! certificates, trust lists or reports.

pub mod ecdsa;
pub mod es256;
mod hash;
mod key;
pub mod ps256;

pub use es256::EcP256Key;
pub use hash::sha256;
pub use key::PublicKey;
pub mod x509_signature;
