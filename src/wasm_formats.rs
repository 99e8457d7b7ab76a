//! The formats module's JavaScript boundary (feature `formats-api`), a part of `src/wasm.rs`
//! kept in its own file: SMART Health Cards and ICAO VDS-NC, with the trust they need (SMART
//! Health Card issuer directories and revocation lists, CSCA certificates and CRLs). The page
//! loads it only when a scanned code is in one of those formats (the verifier module that loads
//! at start reports such a code with `format` set and the code `format_not_in_build`), so the
//! start-up module carries none of it.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::formats::{self, Format};
use crate::trust::TrustList;

/// The trust of the formats: issuers' keys and revocation lists, CSCAs and CRLs.
#[wasm_bindgen]
pub struct FormatTrust {
    inner: TrustList,
}

#[wasm_bindgen]
impl FormatTrust {
    /// An empty trust: every issuer and every CSCA is unknown.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> FormatTrust {
        FormatTrust {
            inner: TrustList::new(),
        }
    }

    /// Adds a trust file (`Uint8Array`): the VCI directory snapshot, one issuer's
    /// `{"iss", "keys"}`, an issuer's revocation list, a CSCA certificate or its CRL (DER).
    /// Throws an `Error` saying why a file cannot be read.
    pub fn add(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.inner.merge(TrustList::from_format_bytes(bytes)?);
        Ok(())
    }

    /// How many SMART Health Card issuers are loaded.
    #[wasm_bindgen(getter)]
    pub fn issuers(&self) -> usize {
        self.inner.shc().issuers.len()
    }

    /// How many CSCAs are loaded.
    #[wasm_bindgen(getter)]
    pub fn cscas(&self) -> usize {
        self.inner.csca().cscas.len()
    }
}

/// Verifies a SMART Health Card (`shc:/` text, the parts of a chunked card one per line, or a
/// `.smart-health-card` file's JSON) or a VDS-NC seal at `now_ms` (epoch milliseconds). Returns
/// the Report, as the verifier module's `verify` does; a code in neither format is reported as
/// the verifier module would (`format: "dcc"`, `not_a_dcc`) without being checked here.
#[wasm_bindgen(js_name = verifyFormat, unchecked_return_type = "Report")]
pub fn verify_format(text: &str, trust: &FormatTrust, now_ms: f64) -> Result<JsValue, JsError> {
    let seconds = (now_ms / 1000.0).floor();
    if !seconds.is_finite() {
        return Err(JsError::new("now is not a valid time"));
    }
    let now = seconds as i64;
    let report = match formats::detect(text) {
        Format::Shc => formats::shc::verify(text, &trust.inner, now),
        Format::VdsNc => formats::vds_nc::verify(text, &trust.inner, now),
        Format::Dcc => return Err(JsError::new(
            "not a SMART Health Card or VDS-NC: verify EU certificates with the verifier module",
        )),
    };
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    report
        .serialize(&serializer)
        .map_err(|error| JsError::new(&error.to_string()))
}
