//! The health certificate itself: its fields, the typed payload and the schema rules.

pub mod fields;
pub mod model;
pub mod schema;
pub mod warning;

pub use model::{CertType, Dcc};
pub use warning::{Warning, WarningCode};
