//! Trust lists: which signing certificates (DSCs) the verifier trusts, loaded from any of the
//! formats real issuers and gateways publish.

pub mod csca;
pub mod demo;
#[cfg(any(feature = "formats", feature = "trust-formats"))]
mod format_files;
pub mod formats;
pub mod keys;
mod list;
#[cfg(any(feature = "formats", feature = "trust-formats"))]
mod pem;
pub mod shc;
#[cfg(feature = "ecdsa-p384-p521")]
pub mod vci_signature;
pub mod x509;

#[cfg(feature = "trust-formats")]
pub use formats::{Authentication, PinnedKeys};
pub use list::{Dsc, KeyUsage, SkippedEntry, TrustList};
// The key types live in the crypto layer; trust lists hold them.
pub use crate::crypto::{EcP256Key, PublicKey};
