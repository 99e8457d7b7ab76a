//! Trust lists: which signing certificates (DSCs) the verifier trusts, loaded from any of the
//! formats real issuers and gateways publish.

pub mod demo;
pub mod formats;
mod list;
pub mod x509;

pub use formats::{Authentication, PinnedKeys};
pub use list::{Dsc, EcP256Key, KeyUsage, PublicKey, SkippedEntry, TrustList};
