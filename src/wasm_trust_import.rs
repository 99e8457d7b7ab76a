//! The trust-import module's JavaScript boundary (feature `trust-import-api`), a part of
//! `src/wasm.rs` kept in its own file. Its one job: a trust-list file in any format the crate
//! reads, turned into the compact list that the verifier module's `TrustList` reads. The page
//! loads it only when an operator's list is not compact already, so the verifier module that
//! loads at start carries none of the other formats' readers (X.509, DER, gateway JSON, FR, CH,
//! NL).

use wasm_bindgen::prelude::*;

use crate::trust;

/// A trust list read from a file, as the verifier module's input.
#[wasm_bindgen]
pub struct ConvertedTrustList {
    inner: trust::TrustList,
}

#[wasm_bindgen]
impl ConvertedTrustList {
    /// The list in the compact format: give it to the verifier's `new TrustList(...)`.
    #[wasm_bindgen(getter)]
    pub fn compact(&self) -> String {
        self.inner.to_compact_json_as_read()
    }

    /// The entries that could not be used: `[{ entry, kid, reason }]` (the compact list
    /// holds only the usable keys).
    #[wasm_bindgen(getter)]
    pub fn skipped(&self) -> Result<JsValue, JsError> {
        serde_wasm_bindgen::to_value(self.inner.skipped())
            .map_err(|error| JsError::new(&error.to_string()))
    }
}

/// Reads a trust-list file (`Uint8Array`) in any supported format, detected from its content:
/// gateway DSC-list JSON (a signature line is not checked here), X.509 DER or PEM, the French,
/// Swiss and Dutch lists, or the compact list. Throws an `Error` saying why it cannot be read.
#[wasm_bindgen(js_name = convertTrustList)]
pub fn convert_trust_list(bytes: &[u8]) -> Result<ConvertedTrustList, JsError> {
    Ok(ConvertedTrustList {
        inner: trust::TrustList::from_bytes(bytes)?,
    })
}
