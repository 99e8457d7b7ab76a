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
pub use verify_api::{verify, RevocationList, TrustList};

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

    use crate::{revocation, trust};

    /// Live objects of one class by handle, so that `verify(text, { trustList, revocationList })`
    /// can find the Rust value behind a JS object without taking it over from JavaScript.
    /// A page holds one or two of each at a time, so a vector beats a hash map (and its code).
    type Registry<T> = RefCell<Vec<(u32, Rc<T>)>>;

    thread_local! {
        static TRUST_LISTS: Registry<trust::TrustList> = const { RefCell::new(Vec::new()) };
        static REVOCATION_LISTS: Registry<revocation::RevocationList> = const { RefCell::new(Vec::new()) };
        static NEXT_HANDLE: RefCell<u32> = const { RefCell::new(1) };
    }

    type RegistryKey<T> = std::thread::LocalKey<Registry<T>>;

    /// Registers a value under a new handle.
    fn register<T>(registry: &'static RegistryKey<T>, value: T) -> (u32, Rc<T>) {
        let handle = NEXT_HANDLE.with(|next| {
            let mut next = next.borrow_mut();
            let handle = *next;
            *next = next.wrapping_add(1).max(1);
            handle
        });
        let inner = Rc::new(value);
        registry.with(|live| live.borrow_mut().push((handle, Rc::clone(&inner))));
        (handle, inner)
    }

    /// Forgets a handle (when JavaScript frees its object).
    fn unregister<T>(registry: &'static RegistryKey<T>, handle: u32) {
        let _ = registry.try_with(|live| live.borrow_mut().retain(|(h, _)| *h != handle));
    }

    /// The value behind `options[field]`, a JS object of the class `class`; `None` when absent.
    fn option_object<T>(
        registry: &'static RegistryKey<T>,
        options: &js_sys::Object,
        field: &str,
        class: &str,
    ) -> Result<Option<Rc<T>>, JsError> {
        let object = Reflect::get(options, &JsValue::from_str(field))
            .map_err(|_| JsError::new(&format!("options.{field} cannot be read")))?;
        if object.is_undefined() || object.is_null() {
            return Ok(None);
        }
        let handle = Reflect::get(&object, &JsValue::from_str("__handle"))
            .ok()
            .and_then(|handle| handle.as_f64())
            .ok_or_else(|| JsError::new(&format!("options.{field} must be a {class}")))?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let handle = handle as u32;
        registry
            .with(|live| {
                live.borrow()
                    .iter()
                    .find(|(h, _)| *h == handle)
                    .map(|(_, value)| Rc::clone(value))
            })
            .map(Some)
            .ok_or_else(|| JsError::new(&format!("options.{field} was freed")))
    }

    /// The bytes of a file given as a string, a `Uint8Array` or an `ArrayBuffer`.
    fn file_bytes(data: JsValue, what: &str) -> Result<Vec<u8>, JsError> {
        if let Some(text) = data.as_string() {
            Ok(text.into_bytes())
        } else if data.is_instance_of::<js_sys::Uint8Array>() {
            Ok(js_sys::Uint8Array::from(data).to_vec())
        } else if data.is_instance_of::<js_sys::ArrayBuffer>() {
            Ok(js_sys::Uint8Array::new(&data).to_vec())
        } else {
            Err(JsError::new(&format!(
                "{what} is given as a string, a Uint8Array or an ArrayBuffer"
            )))
        }
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

    #[wasm_bindgen]
    impl TrustList {
        /// Loads a trust list from a file's bytes (`Uint8Array`) or text (`string`); the format is
        /// detected from the content. Throws an `Error` saying why when the file cannot be read;
        /// malformed entries are skipped and listed in `skipped`.
        #[wasm_bindgen(constructor)]
        pub fn new(data: JsValue) -> Result<TrustList, JsError> {
            let bytes = file_bytes(data, "a trust list")?;
            Ok(Self::register(trust::TrustList::from_bytes(&bytes)?))
        }

        /// Loads a list an operator imports: a signed file must verify with one of
        /// `pinnedKeys` (base64 DER SubjectPublicKeyInfo, EC P-256) or loading throws; a compact
        /// list is refused (its fields are its own say). `authentication` then says whether a
        /// pinned key vouches for it; the page decides whether an unsigned one may be used.
        #[wasm_bindgen(js_name = forImport)]
        pub fn for_import(data: JsValue, pinned_keys: Vec<String>) -> Result<TrustList, JsError> {
            let bytes = file_bytes(data, "a trust list")?;
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
            let (handle, inner) = register(&TRUST_LISTS, list);
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
            unregister(&TRUST_LISTS, self.handle);
        }
    }

    /// Revocation batches (the EU gateway's JSON, or the compact form that `scripts/build-web`
    /// writes): certificates their issuers withdrew, by signing key and hash.
    #[wasm_bindgen]
    pub struct RevocationList {
        handle: u32,
        inner: Rc<revocation::RevocationList>,
    }

    #[wasm_bindgen]
    impl RevocationList {
        /// Loads revocation batches in the compact form (`Uint8Array` or `ArrayBuffer`) that
        /// `scripts/build-web --revocation` writes from the gateway's JSON (the JSON reader stays
        /// out of the verifier's wasm budget). Throws an `Error` naming the malformed batch.
        #[wasm_bindgen(constructor)]
        pub fn new(data: JsValue) -> Result<RevocationList, JsError> {
            let bytes = file_bytes(data, "a revocation list")?;
            let (handle, inner) = register(
                &REVOCATION_LISTS,
                revocation::RevocationList::from_compact(&bytes)?,
            );
            Ok(RevocationList { handle, inner })
        }

        /// The number of entries (distinct hashes per batch).
        #[wasm_bindgen(getter)]
        pub fn size(&self) -> usize {
            self.inner.len()
        }

        /// The number of batches.
        #[wasm_bindgen(getter)]
        pub fn batches(&self) -> usize {
            self.inner.batches().len()
        }

        /// The countries with at least one batch, sorted.
        #[wasm_bindgen(getter)]
        pub fn countries(&self) -> Vec<String> {
            self.inner.countries()
        }

        /// The latest publication date of its batches (RFC 3339), when the files give one.
        #[wasm_bindgen(getter)]
        pub fn date(&self) -> Option<String> {
            self.inner.latest_date().map(crate::time::format_datetime)
        }

        /// The earliest expiry of its batches (RFC 3339): later, those batches are ignored.
        #[wasm_bindgen(getter)]
        pub fn expires(&self) -> Option<String> {
            self.inner
                .earliest_expiry()
                .map(crate::time::format_datetime)
        }

        /// The handle by which `verify` finds this list (internal).
        #[wasm_bindgen(getter, js_name = __handle)]
        pub fn handle(&self) -> u32 {
            self.handle
        }
    }

    impl Drop for RevocationList {
        fn drop(&mut self) {
            unregister(&REVOCATION_LISTS, self.handle);
        }
    }

    /// Verifies the text of a QR code and returns the report as a plain object:
    /// `{ status, checks: [{ check, result, detail, code? }], issuer_country, issued_at, expires_at,
    /// alg, kid, signer, cert_type, certificate }`.
    ///
    /// `options.now`: the validation time, a `Date` or epoch milliseconds (default: now).
    /// `options.trustList`: the `TrustList` to check the signer against (default: an empty list, so
    /// the signer is unknown).
    /// `options.revocationList`: a `RevocationList` to look the certificate up in (default: none,
    /// so the `revocation` check is skipped).
    #[wasm_bindgen]
    pub fn verify(text: &str, options: Option<js_sys::Object>) -> Result<JsValue, JsError> {
        let (now_ms, list, revoked) = match &options {
            Some(options) => (
                option_now(options)?,
                option_object(&TRUST_LISTS, options, "trustList", "TrustList")?,
                option_object(
                    &REVOCATION_LISTS,
                    options,
                    "revocationList",
                    "RevocationList",
                )?,
            ),
            None => (Date::now(), None, None),
        };
        let now = (now_ms / 1000.0).floor();
        if !now.is_finite() {
            return Err(JsError::new("options.now is not a valid time"));
        }
        #[allow(clippy::cast_possible_truncation)]
        let now = now as i64;
        let empty = trust::TrustList::new();
        let no_revocation = revocation::RevocationList::new();
        let report = crate::verify_with_revocation(
            text,
            list.as_deref().unwrap_or(&empty),
            revoked.as_deref().unwrap_or(&no_revocation),
            now,
        );
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
