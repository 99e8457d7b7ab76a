//! The health certificate itself: the typed payload and the schema rules.

pub mod model;
pub mod schema;
pub mod warning;

pub use model::{CertType, Dcc};
pub use warning::{Warning, WarningCode};
