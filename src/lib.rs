//! # dcc-verifier
//!
//! Offline verification of EU Digital COVID Certificates (the `HC1:` QR codes, Vietnam's
//! "hộ chiếu vaccine" among them): ES256 and PS256, native and in WebAssembly.
//!
//! ```
//! use dcc_verifier::{verify, Status, TrustList};
//!
//! let trust = TrustList::new();
//! let report = verify("https://example.com", &trust, 1_700_000_000);
//! assert_eq!(report.status, Status::NotADcc);
//! assert_eq!(report.checks.len(), 13);
//! ```
#![warn(missing_docs)]
// Library code returns errors; its own unit tests may unwrap (Cargo.toml [lints] has the rest).
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod checks;
pub mod crypto;
pub mod dcc;
pub mod decode;
mod error;
pub mod formats;
pub mod limits;
#[cfg(feature = "qr")]
pub mod qr;
mod report;
pub mod revocation;
#[cfg(feature = "rules")]
pub mod rules;
pub mod time;
pub mod trust;
mod verifier;
mod verify;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
pub use report::{Check, CheckId, Outcome, Report, SignerInfo, Status};
pub use revocation::RevocationList;
pub use trust::TrustList;
pub use verifier::Verifier;
pub use verify::{verify, verify_cose, verify_with_revocation};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
