//! The only module that knows JavaScript: the `#[wasm_bindgen]` boundary.
//!
//! It converts arguments, calls the pure Rust core and converts results back. Reports cross as
//! plain JS objects with the JSON report's field names (serde-wasm-bindgen); errors cross as JS
//! `Error`s carrying the Rust message.
//!
//! Feature `verify-api` exports `verify` and `TrustList`; feature `qr` exports `scanQr`. The page
//! builds one module with each (wasm-pack.toml), so that the QR decoder's module carries only
//! the decoder and is loaded only when the browser has no `BarcodeDetector`.

use wasm_bindgen::prelude::*;

#[cfg(feature = "verify-api")]
pub use verify_api::{verify, TrustList};

#[cfg(feature = "rules-api")]
#[path = "wasm_rules.rs"]
pub mod rules_api;

/// Installs the panic hook, once, when the module is instantiated: a safety net, since no panic
/// is expected from any input.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The version of the verifier (the crate's version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(feature = "verify-api")]
mod verify_api {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Date, Reflect};
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    use crate::trust;

    thread_local! {
        /// Live trust lists by handle, so that `verify(text, { trustList })` can find the Rust list
        /// behind a JS `TrustList` object without taking it over from JavaScript.
        /// A page holds one or two lists at a time, so a vector beats a hash map (and its code).
        static TRUST_LISTS: RefCell<Vec<(u32, Rc<trust::TrustList>)>> = const { RefCell::new(Vec::new()) };
        static NEXT_HANDLE: RefCell<u32> = const { RefCell::new(1) };
    }

    /// A set of trusted signing certificates (DSCs), loaded from any supported trust-list format:
    /// gateway DSC-list JSON (signed or not), X.509 DER or PEM, the French, Swiss and Dutch formats,
    /// or the verifier's compact format.
    #[wasm_bindgen]
    pub struct TrustList {
        handle: u32,
        inner: Rc<trust::TrustList>,
        authentication: Option<trust::Authentication>,
    }

    /// Reads a file given as a string, a `Uint8Array` or an `ArrayBuffer`.
    fn file_bytes(data: &JsValue) -> Result<Vec<u8>, JsError> {
        if let Some(text) = data.as_string() {
            Ok(text.into_bytes())
        } else if data.is_instance_of::<js_sys::Uint8Array>() {
            Ok(js_sys::Uint8Array::new(data).to_vec())
        } else if data.is_instance_of::<js_sys::ArrayBuffer>() {
            Ok(js_sys::Uint8Array::new(data).to_vec())
        } else {
            Err(JsError::new(
                "a trust list is given as a string, a Uint8Array or an ArrayBuffer",
            ))
        }
    }

    #[wasm_bindgen]
    impl TrustList {
        /// Loads a trust list from a file's bytes (`Uint8Array`) or text (`string`); the format is
        /// detected from the content. Throws an `Error` saying why when the file cannot be read;
        /// malformed entries are skipped and listed in `skipped`.
        #[wasm_bindgen(constructor)]
        pub fn new(data: JsValue) -> Result<TrustList, JsError> {
            let bytes = file_bytes(&data)?;
            Ok(Self::register(trust::TrustList::from_bytes(&bytes)?))
        }

        /// Loads a list an operator imports: a signed file must verify with one of
        /// `pinnedKeys` (base64 DER SubjectPublicKeyInfo, EC P-256) or loading throws; a compact
        /// list is refused (its fields are its own say). `authentication` then says whether a
        /// pinned key vouches for it; the page decides whether an unsigned one may be used.
        #[wasm_bindgen(js_name = forImport)]
        pub fn for_import(data: JsValue, pinned_keys: Vec<String>) -> Result<TrustList, JsError> {
            let bytes = file_bytes(&data)?;
            if trust::TrustList::is_compact_file(&bytes) {
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
            let (list, authentication) =
                trust::TrustList::from_bytes_authenticated(&bytes, &pinned)?;
            let mut list = Self::register(list);
            list.authentication = Some(authentication);
            Ok(list)
        }

        /// How the list was authenticated, for a list loaded by `forImport`: `"signed"` (by a
        /// pinned key), `"signature_not_checked"` (no key pinned) or `"unsigned"`; else
        /// `undefined`.
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

        /// The number of keys that are demo keys (the project's test issuer's).
        #[wasm_bindgen(getter, js_name = demoKeys)]
        pub fn demo_keys(&self) -> usize {
            self.inner.dscs().iter().filter(|dsc| dsc.demo).count()
        }

        /// An empty trust list: every certificate checked against it has an unknown signer.
        pub fn empty() -> TrustList {
            Self::register(trust::TrustList::new())
        }

        fn register(list: trust::TrustList) -> TrustList {
            let handle = NEXT_HANDLE.with(|next| {
                let mut next = next.borrow_mut();
                let handle = *next;
                *next = next.wrapping_add(1).max(1);
                handle
            });
            let inner = Rc::new(list);
            TRUST_LISTS.with(|lists| lists.borrow_mut().push((handle, Rc::clone(&inner))));
            TrustList {
                handle,
                inner,
                authentication: None,
            }
        }

        /// The number of usable signing keys.
        #[wasm_bindgen(getter)]
        pub fn size(&self) -> usize {
            self.inner.len()
        }

        /// The countries with at least one key (ISO 3166-1 alpha-2), sorted.
        #[wasm_bindgen(getter)]
        pub fn countries(&self) -> Vec<String> {
            self.inner.countries()
        }

        /// The entries that could not be used: `[{ entry, kid, reason }]`.
        #[wasm_bindgen(getter)]
        pub fn skipped(&self) -> Result<JsValue, JsError> {
            #[derive(Serialize)]
            struct Skipped<'a> {
                entry: &'a str,
                kid: Option<&'a str>,
                reason: &'a str,
            }
            let skipped: Vec<Skipped<'_>> = self
                .inner
                .skipped()
                .iter()
                .map(|s| Skipped {
                    entry: &s.entry,
                    kid: s.kid.as_deref(),
                    reason: &s.reason,
                })
                .collect();
            to_js(&skipped)
        }

        /// The list's name, when its file gives one (the compact format does).
        #[wasm_bindgen(getter)]
        pub fn name(&self) -> Option<String> {
            self.inner.name().map(str::to_owned)
        }

        /// When the list was generated (RFC 3339), when its file says.
        #[wasm_bindgen(getter)]
        pub fn generated(&self) -> Option<String> {
            self.inner.generated().map(str::to_owned)
        }

        /// Whether every key of the list is a demo key (made by the project's test issuer).
        #[wasm_bindgen(getter)]
        pub fn demo(&self) -> bool {
            !self.inner.is_empty() && self.inner.dscs().iter().all(|dsc| dsc.demo)
        }

        /// A new list holding the keys of this list and of `other`.
        pub fn merge(&self, other: &TrustList) -> TrustList {
            let mut merged = (*self.inner).clone();
            merged.merge((*other.inner).clone());
            Self::register(merged)
        }

        /// The handle by which `verify` finds this list (internal).
        #[wasm_bindgen(getter, js_name = __handle)]
        pub fn handle(&self) -> u32 {
            self.handle
        }
    }

    impl Drop for TrustList {
        fn drop(&mut self) {
            let _ = TRUST_LISTS.try_with(|lists| {
                lists
                    .borrow_mut()
                    .retain(|(handle, _)| *handle != self.handle)
            });
        }
    }

    /// Verifies the text of a QR code and returns the report as a plain object:
    /// `{ status, checks: [{ check, result, detail, code? }], issuer_country, issued_at, expires_at,
    /// alg, kid, signer, cert_type, certificate }`.
    ///
    /// `options.now`: the validation time, a `Date` or epoch milliseconds (default: now).
    /// `options.trustList`: the `TrustList` to check the signer against (default: an empty list, so
    /// the signer is unknown).
    #[wasm_bindgen]
    pub fn verify(text: &str, options: Option<js_sys::Object>) -> Result<JsValue, JsError> {
        let (now_ms, list) = match &options {
            Some(options) => (option_now(options)?, option_trust_list(options)?),
            None => (Date::now(), None),
        };
        let now = (now_ms / 1000.0).floor();
        if !now.is_finite() {
            return Err(JsError::new("options.now is not a valid time"));
        }
        #[allow(clippy::cast_possible_truncation)]
        let now = now as i64;
        let empty = trust::TrustList::new();
        let report = crate::verify(text, list.as_deref().unwrap_or(&empty), now);
        to_js(&report)
    }

    fn option_now(options: &js_sys::Object) -> Result<f64, JsError> {
        let now = Reflect::get(options, &JsValue::from_str("now"))
            .map_err(|_| JsError::new("options.now cannot be read"))?;
        if now.is_undefined() || now.is_null() {
            Ok(Date::now())
        } else if let Some(date) = now.dyn_ref::<Date>() {
            Ok(date.get_time())
        } else if let Some(ms) = now.as_f64() {
            Ok(ms)
        } else {
            Err(JsError::new(
                "options.now must be a Date or epoch milliseconds",
            ))
        }
    }

    fn option_trust_list(
        options: &js_sys::Object,
    ) -> Result<Option<Rc<trust::TrustList>>, JsError> {
        let list = Reflect::get(options, &JsValue::from_str("trustList"))
            .map_err(|_| JsError::new("options.trustList cannot be read"))?;
        if list.is_undefined() || list.is_null() {
            return Ok(None);
        }
        let handle = Reflect::get(&list, &JsValue::from_str("__handle"))
            .ok()
            .and_then(|handle| handle.as_f64())
            .ok_or_else(|| JsError::new("options.trustList must be a TrustList"))?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let handle = handle as u32;
        TRUST_LISTS
            .with(|lists| {
                lists
                    .borrow()
                    .iter()
                    .find(|(h, _)| *h == handle)
                    .map(|(_, list)| Rc::clone(list))
            })
            .map(Some)
            .ok_or_else(|| JsError::new("options.trustList was freed"))
    }

    fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
        // Maps become plain objects (not `Map`s), so the shape matches the JSON report.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        value
            .serialize(&serializer)
            .map_err(|error| JsError::new(&error.to_string()))
    }
}

/// Finds and decodes a QR code in an RGBA frame (`ImageData.data`), trying the inverted image
/// too (dark-mode screenshots). Returns the text, or `null` when there is no readable QR code.
/// Luma is computed in Rust; very large frames are scaled down first.
#[cfg(feature = "qr")]
#[wasm_bindgen(js_name = scanQr)]
pub fn scan_qr(
    rgba: wasm_bindgen::Clamped<Vec<u8>>,
    width: u32,
    height: u32,
) -> Result<Option<String>, JsError> {
    match crate::qr::decode_rgba(&rgba, width, height) {
        Ok(text) => Ok(Some(text)),
        Err(crate::Error::NoQrCode) => Ok(None),
        Err(error) => Err(error.into()),
    }
}
