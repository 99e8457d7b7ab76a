//! The health certificate itself: the typed payload, the schema rules, the value sets.

pub mod model;
pub mod schema;
pub mod warning;

pub use model::{CertType, Dcc};
pub use warning::{Warning, WarningCode};
