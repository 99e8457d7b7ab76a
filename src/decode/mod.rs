//! Decoding, stage by stage: `HC1:` text → base45 → zlib → COSE_Sign1 → CWT claims → payload.
//!
//! Each stage is its own module and its own function, so that [`crate::verify`] can report each
//! one as a check, and so that a reader finds a stage by its file name.

pub mod base45;
mod cbor;
pub mod cose;
pub mod cwt;
pub mod inflate;
pub mod payload;
pub mod prefix;

pub use cose::{Algorithm, Sign1};
pub use cwt::Claims;
pub use inflate::Compression;
