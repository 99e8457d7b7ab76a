//! The trust-import module's JavaScript boundary (feature `trust-import-api`), a part of
//! `src/wasm.rs` kept in its own file. Its one job: a trust-list file in any format the crate
//! reads, turned into the compact list that the verifier module's `TrustList` reads. The page
//! loads it only when an operator's list is not compact already, so the verifier module that
//! loads at start carries none of the other formats' readers (X.509, DER, gateway JSON, FR, CH,
//! NL). An operator's import goes through here too (`importTrustList`): the signature check
//! against the pinned keys, and the refusal of compact lists, stay out of the verifier module.

use wasm_bindgen::prelude::*;

use crate::trust;

/// A trust list read from a file, as the verifier module's input.
#[wasm_bindgen]
pub struct ConvertedTrustList {
    inner: trust::TrustList,
    authentication: Option<trust::Authentication>,
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

    /// How the list was authenticated, for a list read by `importTrustList`: `"signed"` (by a
    /// pinned key), `"signature_not_checked"` (no key pinned) or `"unsigned"`; else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn authentication(&self) -> Option<String> {
        self.authentication.map(|authentication| {
            match authentication {
                trust::Authentication::Signed => "signed",
                trust::Authentication::SignatureNotChecked => "signature_not_checked",
                trust::Authentication::Unsigned => "unsigned",
            }
            .to_owned()
        })
    }

    /// The number of its keys that are demo keys (the project's test issuer's, by fingerprint).
    #[wasm_bindgen(getter, js_name = demoKeys)]
    pub fn demo_keys(&self) -> usize {
        self.inner.dscs().iter().filter(|dsc| dsc.demo).count()
    }
}

/// Reads a trust-list file (`Uint8Array`) in any supported format, detected from its content:
/// gateway DSC-list JSON (a signature line is not checked here), X.509 DER or PEM, the French,
/// Swiss and Dutch lists, or the compact list. Throws an `Error` saying why it cannot be read.
#[wasm_bindgen(js_name = convertTrustList)]
pub fn convert_trust_list(bytes: &[u8]) -> Result<ConvertedTrustList, JsError> {
    Ok(ConvertedTrustList {
        inner: trust::TrustList::from_bytes(bytes)?,
        authentication: None,
    })
}

/// Reads a list an operator imports on the page: a signed file must verify with one of
/// `pinnedKeys` (base64 DER SubjectPublicKeyInfo, EC P-256) or this throws; a compact list is
/// refused (its fields are its own say). `authentication` then says whether a pinned key vouches
/// for it, and the page's policy decides whether an unauthenticated one may be used.
#[wasm_bindgen(js_name = importTrustList)]
pub fn import_trust_list(
    bytes: &[u8],
    pinned_keys: Vec<String>,
) -> Result<ConvertedTrustList, JsError> {
    if trust::TrustList::is_compact_file(bytes) {
        return Err(JsError::new(
            "this is a compact list (the page's own format): import the published list it was made from",
        ));
    }
    let mut pinned = trust::PinnedKeys::new();
    for key in &pinned_keys {
        let der = trust::formats::decode_base64(key)
            .ok_or_else(|| JsError::new("a pinned key is not base64"))?;
        pinned.add(&der)?;
    }
    let (inner, authentication) = trust::TrustList::from_bytes_authenticated(bytes, &pinned)?;
    Ok(ConvertedTrustList {
        inner,
        authentication: Some(authentication),
    })
}
