//! The only module that knows JavaScript: the `#[wasm_bindgen]` boundary.
//!
//! It converts arguments, calls the pure Rust core and converts results back. Reports cross as
//! plain JS objects with the JSON report's field names (serde-wasm-bindgen); errors cross as JS
//! `Error`s carrying the Rust message.
//!
//! Feature `verify-api` exports `Verifier` (the trust a verification needs, and `verify`),
//! `TrustList` and a thin `verify` without trust; feature `qr` exports `scanQr`. The page
//! builds one module with each (wasm-pack.toml), so that the QR decoder's module carries only
//! the decoder and is loaded only when the browser has no `BarcodeDetector`.

use wasm_bindgen::prelude::*;

#[cfg(feature = "verify-api")]
pub use verify_api::{verify, RevocationList, TrustList, Verifier, VerifyOptions};

#[cfg(feature = "rules-api")]
#[path = "wasm_rules.rs"]
pub mod rules_api;

#[cfg(feature = "trust-import-api")]
#[path = "wasm_trust_import.rs"]
pub mod trust_import_api;

#[cfg(feature = "formats-api")]
#[path = "wasm_formats.rs"]
pub mod formats_api;

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
    use js_sys::Date;
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    use crate::{revocation, trust};

    #[wasm_bindgen(typescript_custom_section)]
    const REPORT_TYPES: &str = r#"
/** What a verification concluded: `valid` only when every check passed. */
export type Status = "valid" | "invalid" | "revoked" | "expired" | "not_yet_valid" | "unknown_signer" | "not_a_dcc";
/** The 13 checks, in the order they run. */
export type CheckId = "prefix" | "base45" | "decompress" | "cose" | "cwt" | "payload" | "schema"
  | "signer" | "signature" | "revocation" | "signer_validity" | "key_usage" | "expiry";
/** What is odd in the payload but allowed (it never changes the verdict), and how it was read. */
export interface Warning {
  field: string;
  code: string;
  found: string;
  read_as?: string;
  detail: string;
}
/** One check's result and its sentence (English); `code` names the failure (stable, for translations). */
export interface Check {
  check: CheckId;
  result: "pass" | "fail" | "skip";
  detail: string;
  code?: string;
}
/** The trusted certificate that signed, when the signature verified. */
export interface SignerInfo {
  country: string | null;
  subject: string | null;
  not_before: string | null;
  not_after: string | null;
  demo: boolean;
}
/** The DCC payload as signed (JSON field names of the EU schema; unknown fields kept). */
export interface Certificate {
  ver?: string;
  nam?: { fn?: string; fnt?: string; gn?: string; gnt?: string; [field: string]: unknown };
  dob?: string;
  v?: Record<string, unknown>[];
  t?: Record<string, unknown>[];
  r?: Record<string, unknown>[];
  [field: string]: unknown;
}
/** The report of one verification: always the 13 checks, in order. Times are RFC 3339 (UTC). */
export interface Report {
  status: Status;
  checks: Check[];
  warnings: Warning[];
  issuer_country: string | null;
  issued_at: string | null;
  expires_at: string | null;
  alg: string | null;
  kid: string | null;
  signer: SignerInfo | null;
  cert_type: "vaccination" | "test" | "recovery" | null;
  certificate: Certificate | null;
  [field: string]: unknown;
}
/** An entry of a trust-list file that could not be used, and why. */
export interface SkippedEntry {
  entry: string;
  kid: string | null;
  reason: string;
}
/** Options of `verify`. */
export interface VerifyOptions {
  /** The validation time: a `Date` or epoch milliseconds (default: now). */
  now?: Date | number;
}
/** A trust-list file: text, or its bytes. */
export type TrustData = string | Uint8Array | ArrayBuffer;
"#;

    #[wasm_bindgen]
    extern "C" {
        /// `{ now? }`, read through its typed getter.
        #[wasm_bindgen(typescript_type = "VerifyOptions")]
        pub type VerifyOptions;

        #[wasm_bindgen(method, getter)]
        fn now(this: &VerifyOptions) -> JsValue;

        /// `trustList`, which the registry-based API took: read only to say what replaced it.
        #[wasm_bindgen(method, getter = trustList)]
        fn trust_list(this: &VerifyOptions) -> JsValue;

        /// `revocationList`, likewise.
        #[wasm_bindgen(method, getter = revocationList)]
        fn revocation_list(this: &VerifyOptions) -> JsValue;

        /// A trust-list file: `string`, `Uint8Array` or `ArrayBuffer`.
        #[wasm_bindgen(typescript_type = "TrustData")]
        pub type TrustData;
    }

    /// A set of trusted signing certificates (DSCs), loaded from the verifier's compact format;
    /// every other format (gateway DSC-list JSON, X.509, FR, CH, NL) when the crate's feature
    /// `trust-formats` is on. The page's verifier module is built without it and converts other
    /// files with the trust-import module's `convertTrustList` first. Give it to a `Verifier`
    /// with `addTrustList`.
    #[wasm_bindgen]
    pub struct TrustList {
        inner: trust::TrustList,
    }

    #[wasm_bindgen]
    impl TrustList {
        /// Loads a trust list from a file's bytes (`Uint8Array`) or text (`string`); the format is
        /// detected from the content. Throws an `Error` saying why when the file cannot be read;
        /// malformed entries are skipped and listed in `skipped`.
        #[wasm_bindgen(constructor)]
        pub fn new(data: TrustData) -> Result<TrustList, JsError> {
            let inner = trust::TrustList::from_bytes(&bytes_of(data.into(), "a trust list")?)?;
            Ok(TrustList { inner })
        }

        /// An empty trust list: every certificate checked against it has an unknown signer.
        pub fn empty() -> TrustList {
            TrustList {
                inner: trust::TrustList::new(),
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
        #[wasm_bindgen(getter, unchecked_return_type = "SkippedEntry[]")]
        pub fn skipped(&self) -> Result<JsValue, JsError> {
            to_js(self.inner.skipped())
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
            let mut merged = self.inner.clone();
            merged.merge(other.inner.clone());
            TrustList { inner: merged }
        }
    }

    /// Revocation batches (the compact form that `scripts/build-web` writes from the EU gateway's
    /// JSON): certificates their issuers withdrew, by signing key and hash. Give it to a
    /// `Verifier` with `addRevocationList`.
    #[wasm_bindgen]
    pub struct RevocationList {
        inner: revocation::RevocationList,
    }

    #[wasm_bindgen]
    impl RevocationList {
        /// Loads revocation batches in the compact form (`Uint8Array` or `ArrayBuffer`) that
        /// `scripts/build-web --revocation` writes from the gateway's JSON (the JSON reader stays
        /// out of the verifier's wasm budget). Throws an `Error` naming the malformed batch.
        #[wasm_bindgen(constructor)]
        pub fn new(data: TrustData) -> Result<RevocationList, JsError> {
            let bytes = bytes_of(data.into(), "a revocation list")?;
            let inner = revocation::RevocationList::from_compact(&bytes)?;
            Ok(RevocationList { inner })
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
    }

    /// Holds what a verification needs besides the certificate: the trusted signers and the
    /// revocation lists; later rule sets and other formats' trust, added the same way.
    ///
    /// ```js
    /// const verifier = new Verifier();
    /// verifier.addTrust(bytes);
    /// const report = verifier.verify(text, { now: new Date() });
    /// ```
    #[wasm_bindgen]
    pub struct Verifier {
        inner: crate::Verifier,
    }

    #[wasm_bindgen]
    impl Verifier {
        /// A verifier that trusts no one yet: every certificate has an unknown signer.
        #[wasm_bindgen(constructor)]
        #[allow(clippy::new_without_default)] // a JS constructor; Default means nothing there
        pub fn new() -> Verifier {
            Verifier {
                inner: crate::Verifier::new(),
            }
        }

        /// Trusts also the signers of a trust-list file (text, `Uint8Array` or `ArrayBuffer`; any
        /// supported format). Throws, and changes nothing, when the file cannot be read.
        #[wasm_bindgen(js_name = addTrust)]
        pub fn add_trust(&mut self, data: TrustData) -> Result<(), JsError> {
            Ok(self
                .inner
                .add_trust(&bytes_of(data.into(), "a trust list")?)?)
        }

        /// Trusts also the signers of `list` (copied: `list` stays usable, and may be freed).
        #[wasm_bindgen(js_name = addTrustList)]
        pub fn add_trust_list(&mut self, list: &TrustList) {
            self.inner.add_trust_list(list.inner.clone());
        }

        /// Looks certificates up in `list` too (copied: `list` stays usable, and may be freed).
        #[wasm_bindgen(js_name = addRevocationList)]
        pub fn add_revocation_list(&mut self, list: &RevocationList) {
            self.inner.add_revocation_list(&list.inner);
        }

        /// The number of signing keys this verifier trusts.
        #[wasm_bindgen(getter, js_name = trustSize)]
        pub fn trust_size(&self) -> usize {
            self.inner.trust().len()
        }

        /// Verifies the text of a QR code and returns the report as a plain object (`Report`).
        /// `options.now`: the validation time, a `Date` or epoch milliseconds (default: now).
        #[wasm_bindgen(unchecked_return_type = "Report")]
        pub fn verify(
            &self,
            text: &str,
            options: Option<VerifyOptions>,
        ) -> Result<JsValue, JsError> {
            let now = now_of(options.as_ref())?;
            to_js(&self.inner.verify(text, now))
        }
    }

    /// Verifies with no trust at all, so a genuine certificate's signer is `unknown_signer`:
    /// for reading a certificate. To check signers, use a `Verifier` with `addTrust`.
    /// `options.now`: the validation time, a `Date` or epoch milliseconds (default: now).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn verify(text: &str, options: Option<VerifyOptions>) -> Result<JsValue, JsError> {
        if let Some(options) = &options {
            if !options.trust_list().is_undefined() || !options.revocation_list().is_undefined() {
                return Err(JsError::new(
                    "verify() takes no trust or revocation list: use new Verifier(), verifier.addTrust(...), verifier.addRevocationList(...), verifier.verify(text, { now })",
                ));
            }
        }
        Verifier::new().verify(text, options)
    }

    /// Unix seconds of `options.now` (a `Date` or epoch milliseconds), or of the clock.
    fn now_of(options: Option<&VerifyOptions>) -> Result<i64, JsError> {
        let now = options.map_or(JsValue::UNDEFINED, VerifyOptions::now);
        let ms = if now.is_undefined() || now.is_null() {
            Date::now()
        } else if let Some(date) = now.dyn_ref::<Date>() {
            date.get_time()
        } else if let Some(ms) = now.as_f64() {
            ms
        } else {
            return Err(JsError::new(
                "options.now must be a Date or epoch milliseconds",
            ));
        };
        let seconds = (ms / 1000.0).floor();
        if !seconds.is_finite() {
            return Err(JsError::new("options.now is not a valid time"));
        }
        // Finite, so the conversion saturates at i64's bounds at worst: far from any real date.
        Ok(seconds as i64)
    }

    /// The bytes of a file given as text, `Uint8Array` or `ArrayBuffer`.
    fn bytes_of(data: JsValue, what: &str) -> Result<Vec<u8>, JsError> {
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
