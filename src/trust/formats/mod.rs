//! Trust-list file formats: detection, and one module per format.
//!
//! [`TrustList::from_bytes`] looks at a file's content (never its name) and reads:
//!
//! - the gateway / national DSC list, `{"certificates":[{kid, country, rawData}]}`, optionally
//!   preceded by a signature line ([`dsc_list`], [`signed`]);
//! - X.509 certificates, DER or PEM, one or several ([`certificates`]);
//! - the French (sanipasse) list, `{kid: {subject, notBefore, publicKeyPem}}` ([`fr`]);
//! - the Swiss JWK-like list, `{kid: [{use, x, y, n, e}]}` ([`ch`]);
//! - the Dutch list, `{"eu_keys": {kid: [{subjectPk, ian, keyUsage}]}}` ([`nl`]);
//! - this project's compact list, `{"format":"dcc-verifier-compact/1", "keys":[...]}` ([`compact`]).
//!
//! An entry that cannot be used is recorded in [`TrustList::skipped`] and the rest still loads;
//! only a file in no known format, or one beyond the bounds of [`crate::limits`], fails whole.

#[cfg(feature = "trust-formats")]
pub mod certificates;
#[cfg(feature = "trust-formats")]
pub mod ch;
pub mod compact;
#[cfg(feature = "trust-formats")]
pub mod dsc_list;
#[cfg(feature = "trust-formats")]
pub mod fr;
#[cfg(feature = "trust-formats")]
pub mod nl;
#[cfg(feature = "trust-formats")]
pub mod signed;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod test_support;

#[cfg(feature = "trust-formats")]
pub use signed::{Authentication, PinnedKeys};

use base64::alphabet;
use base64::engine::{DecodePaddingMode, Engine, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};

use super::{Dsc, KeyUsage, SkippedEntry, TrustList};
use crate::error::{Error, Result};
use crate::limits::{MAX_TRUST_ENTRY_LEN, MAX_TRUST_LIST_ENTRIES, MAX_TRUST_LIST_LEN};

impl TrustList {
    /// Loads a trust list from a file's bytes, detecting its format from the content.
    ///
    /// A DSC list preceded by a signature line loads too, but the signature is not checked:
    /// use [`TrustList::from_bytes_with_pinned_key`] for that.
    pub fn from_bytes(bytes: &[u8]) -> Result<TrustList> {
        check_file_len(bytes)?;
        let body = trim_start(bytes);
        match body.first() {
            None => Err(Error::TrustListFormat("the file is empty".to_owned())),
            Some(b'{') => load_json(body),
            #[cfg(not(feature = "trust-formats"))]
            _ => Err(only_compact()),
            #[cfg(feature = "trust-formats")]
            Some(b'-') if body.starts_with(b"-----BEGIN") => certificates::load_pem(body),
            #[cfg(feature = "trust-formats")]
            Some(0x30) => match crate::trust::format_files::from_der(body) {
                Some(list) => list,
                None => certificates::load_der(body),
            },
            #[cfg(feature = "trust-formats")]
            _ => match signed::split(body) {
                Some((_, rest)) if trim_start(rest).first() == Some(&b'{') => {
                    load_json(trim_start(rest))
                }
                _ => Err(Error::TrustListFormat(
                    "it is neither a JSON trust list nor X.509 certificates".to_owned(),
                )),
            },
        }
    }

    /// Loads a trust list whose first line is a base64 ECDSA P-256 / SHA-256 signature (DER or
    /// raw `r‖s`) over the rest of the file, and checks that signature with `pinned_key` (a
    /// SubjectPublicKeyInfo, DER or PEM). A missing or wrong signature is
    /// [`Error::TrustListSignature`].
    #[cfg(feature = "trust-formats")]
    pub fn from_bytes_with_pinned_key(bytes: &[u8], pinned_key: &[u8]) -> Result<TrustList> {
        check_file_len(bytes)?;
        let key = signed::pinned_key(pinned_key)?;
        let (signature_line, body) =
            signed::split(trim_start(bytes)).ok_or(Error::TrustListSignature)?;
        signed::verify(&key, signature_line, body)?;
        TrustList::from_bytes(body)
    }

    /// Loads a trust list and authenticates it with the pinned keys. A list whose file carries
    /// a signature (the signature line of the gateway / national DSC lists, the only signed
    /// envelope this verifier reads) must verify with one of `pinned`, or loading fails with
    /// [`Error::TrustListSignature`]: never a silent load. When no key is pinned the signature
    /// cannot be checked, and the list comes back as
    /// [`Authentication::SignatureNotChecked`]; a list without a signature comes back as
    /// [`Authentication::Unsigned`]. The caller decides whether an unauthenticated list may be
    /// used ([`Error::TrustListUnsigned`] says it may not).
    #[cfg(feature = "trust-formats")]
    pub fn from_bytes_authenticated(
        bytes: &[u8],
        pinned: &PinnedKeys,
    ) -> Result<(TrustList, Authentication)> {
        check_file_len(bytes)?;
        let body = trim_start(bytes);
        // A file that opens with JSON, PEM or DER has no signature line.
        let split = match body.first() {
            Some(b'{' | b'-' | 0x30) | None => None,
            Some(_) => signed::split(body),
        };
        match split {
            None => Ok((TrustList::from_bytes(body)?, Authentication::Unsigned)),
            Some(_) if pinned.is_empty() => Ok((
                TrustList::from_bytes(body)?,
                Authentication::SignatureNotChecked,
            )),
            Some((signature_line, signed_body)) => {
                pinned.verify(signature_line, signed_body)?;
                Ok((TrustList::from_bytes(signed_body)?, Authentication::Signed))
            }
        }
    }

    /// Whether the file is this project's compact list (signed or not). Its fields (country,
    /// key usage, validity, the demo flag) are the list's own say, so the page never imports one.
    #[cfg(feature = "trust-formats")]
    pub fn is_compact_file(bytes: &[u8]) -> bool {
        let body = trim_start(bytes);
        let body = match signed::split(body) {
            Some((_, rest)) if body.first() != Some(&b'{') => trim_start(rest),
            _ => body,
        };
        #[derive(serde::Deserialize)]
        struct Probe {
            format: Option<serde::de::IgnoredAny>,
        }
        serde_json::from_slice::<Probe>(body).is_ok_and(|probe| probe.format.is_some())
    }

    /// This list in the compact format ([`compact`]), for the web page: one short line per key.
    /// `generated` is an RFC 3339 time; `demo` marks a list of the project's test issuer.
    pub fn to_compact_json(&self, name: &str, generated: &str, demo: bool) -> String {
        compact::write(self, Some(name), Some(generated), demo)
    }

    /// This list in the compact format, with the name and generation time its file gave (or
    /// `null`): what the page's trust-import module hands to its verifier module, which reads
    /// the compact format only. Its keys are demo keys only when every key of this list is one.
    /// Skipped entries are not written.
    pub fn to_compact_json_as_read(&self) -> String {
        let demo = !self.is_empty() && self.dscs.iter().all(|dsc| dsc.demo);
        compact::write(self, self.name(), self.generated(), demo)
    }
}

pub(crate) fn check_file_len(bytes: &[u8]) -> Result<()> {
    if bytes.len() > MAX_TRUST_LIST_LEN {
        return Err(Error::TrustListTooLarge(format!(
            "the file is {} bytes long, more than the {MAX_TRUST_LIST_LEN} this verifier reads",
            bytes.len()
        )));
    }
    Ok(())
}

pub(crate) fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let blanks = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    bytes.get(blanks..).unwrap_or_default()
}

/// Parses a JSON trust list and hands it to the module of its shape.
fn load_json(body: &[u8]) -> Result<TrustList> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| Error::TrustListFormat(format!("it is not valid JSON ({err})")))?;
    let Value::Object(map) = value else {
        return Err(Error::TrustListFormat(
            "it is JSON, but not an object".to_owned(),
        ));
    };
    if map.contains_key("format") {
        compact::load(&map)
    } else {
        load_other_json(&map)
    }
}

/// Without feature `trust-formats` (the page's verifier module), only the compact list is read.
#[cfg(not(feature = "trust-formats"))]
fn only_compact() -> Error {
    Error::TrustListFormat(
        "this build reads only the compact trust-list format (other formats need the trust-import module)"
            .to_owned(),
    )
}

#[cfg(not(feature = "trust-formats"))]
fn load_other_json(_: &Map<String, Value>) -> Result<TrustList> {
    Err(only_compact())
}

#[cfg(feature = "trust-formats")]
fn load_other_json(map: &Map<String, Value>) -> Result<TrustList> {
    if crate::trust::shc::is_shc_json(map) {
        crate::trust::format_files::from_shc_json(map)
    } else if map.contains_key("certificates") {
        dsc_list::load(map)
    } else if map.contains_key("eu_keys") {
        nl::load(map)
    } else {
        match map.values().next() {
            Some(Value::Object(_)) => fr::load(map),
            Some(Value::Array(_)) => ch::load(map),
            _ => Err(Error::TrustListFormat(
                "it is JSON, but in no trust-list format this verifier knows".to_owned(),
            )),
        }
    }
}

/// Fails when a file holds more entries than [`MAX_TRUST_LIST_ENTRIES`].
pub(crate) fn check_entry_count(count: usize) -> Result<()> {
    if count > MAX_TRUST_LIST_ENTRIES {
        return Err(Error::TrustListTooLarge(format!(
            "it has {count} entries, more than the {MAX_TRUST_LIST_ENTRIES} this verifier reads"
        )));
    }
    Ok(())
}

#[cfg(feature = "trust-formats")]
/// Counts the keys of a keyed format whose values are lists of keys (CH, NL).
pub(crate) fn count_nested_entries(map: &Map<String, Value>) -> usize {
    map.values()
        .map(|keys| keys.as_array().map_or(1, Vec::len))
        .sum()
}

/// Adds a loaded entry, or records why it was skipped. A file-wide error ends the loading.
pub(crate) fn record(
    list: &mut TrustList,
    entry: String,
    kid: Option<&str>,
    result: Result<Dsc>,
) -> Result<()> {
    match result {
        Ok(dsc) => list.push(dsc),
        Err(err @ Error::TrustListTooLarge(_)) => return Err(err),
        Err(err) => list.push_skipped(SkippedEntry {
            entry,
            kid: kid.map(str::to_owned),
            reason: err.to_string(),
        }),
    }
    Ok(())
}

/// Standard or URL-safe base64, with or without padding: lists differ.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const BASE64_STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const BASE64_URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Decodes base64 in either alphabet, ignoring ASCII whitespace (line breaks of PEM bodies).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String;
    let text = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        compact = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        &compact
    } else {
        text
    };
    BASE64_STANDARD
        .decode(text)
        .or_else(|_| BASE64_URL_SAFE.decode(text))
        .ok()
}

/// Decodes the base64 of one certificate or key. Longer than [`MAX_TRUST_ENTRY_LEN`] once
/// decoded fails the whole file; not base64 skips the entry.
pub(crate) fn decode_entry_base64(text: &str, what: &str) -> Result<Vec<u8>> {
    // Four characters per three bytes, plus slack for padding and line breaks.
    let max_text_len = MAX_TRUST_ENTRY_LEN / 3 * 4 + MAX_TRUST_ENTRY_LEN / 32 + 8;
    if text.len() > max_text_len {
        return Err(Error::TrustListTooLarge(format!(
            "one {what} is {} characters long, more than any real one ({max_text_len})",
            text.len()
        )));
    }
    decode_base64(text).ok_or_else(|| Error::TrustEntry(format!("its {what} is not valid base64")))
}

#[cfg(feature = "trust-formats")]
/// Decodes a key given as base64 DER or as PEM (the `-----` lines are dropped).
pub(crate) fn decode_key_text(text: &str, what: &str) -> Result<Vec<u8>> {
    if text.contains("-----") {
        let body: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("-----"))
            .collect();
        decode_entry_base64(&body, what)
    } else {
        decode_entry_base64(text, what)
    }
}

/// Decodes a kid given as base64.
pub(crate) fn decode_kid(text: &str) -> Result<Vec<u8>> {
    // Real kids are 8 bytes; anything far longer is not a kid.
    const MAX_KID_TEXT_LEN: usize = 128;
    if text.is_empty() || text.len() > MAX_KID_TEXT_LEN {
        return Err(Error::TrustEntry(format!(
            "its kid {text:?} is empty or far too long"
        )));
    }
    decode_base64(text)
        .filter(|kid| !kid.is_empty())
        .ok_or_else(|| Error::TrustEntry(format!("its kid {text:?} is not valid base64")))
}

/// A country code (two or three ASCII letters), upper-cased; `None` for anything else.
pub(crate) fn country_code(text: &str) -> Option<String> {
    let text = text.trim();
    ((2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| text.to_ascii_uppercase())
}

#[cfg(feature = "trust-formats")]
/// The country (`C=`) of a distinguished name written as text, "C=AD, O=..., CN=...".
pub(crate) fn country_of_dn(dn: &str) -> Option<String> {
    dn.split([',', '+'])
        .filter_map(|part| {
            let (name, value) = part.split_once('=')?;
            name.trim().eq_ignore_ascii_case("C").then_some(value)
        })
        .find_map(country_code)
}

/// Key usage from letters `t` (test), `v` (vaccination), `r` (recovery), in any order and
/// case; the empty string allows nothing.
pub(crate) fn key_usage_from_letters(letters: &str) -> Result<KeyUsage> {
    let mut usage = KeyUsage::NONE;
    for letter in letters.chars() {
        match letter.to_ascii_lowercase() {
            't' => usage.test = true,
            'v' => usage.vaccination = true,
            'r' => usage.recovery = true,
            _ => {
                return Err(Error::TrustEntry(format!(
                    "its key usage {letters:?} names no DCC certificate type (only t, v and r do)"
                )))
            }
        }
    }
    Ok(usage)
}

#[cfg(feature = "trust-formats")]
/// Loads a `{kid: [key, ...]}` map (the Swiss and Dutch formats): each key through `load_key`,
/// a malformed one recorded as skipped.
pub(super) fn load_keys_by_kid(
    map: &serde_json::Map<String, serde_json::Value>,
    load_key: impl Fn(&str, &serde_json::Value) -> Result<crate::trust::Dsc>,
) -> Result<TrustList> {
    check_entry_count(count_nested_entries(map))?;
    let mut list = TrustList::new();
    for (kid, keys) in map {
        let Some(keys) = keys.as_array() else {
            let result = Err(crate::Error::TrustEntry(
                "the entry is not a list of keys".to_owned(),
            ));
            record(&mut list, kid.clone(), Some(kid), result)?;
            continue;
        };
        for (index, key) in keys.iter().enumerate() {
            let entry = if keys.len() == 1 {
                kid.clone()
            } else {
                format!("{kid}[{index}]")
            };
            record(&mut list, entry, Some(kid), load_key(kid, key))?;
        }
    }
    Ok(list)
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, feature = "trust-formats", not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use dcc_test_issuer::der::*;

    #[test]
    fn detects_each_format_from_content() {
        let der = certificate(&CertSpec::default());
        let spki = STANDARD.encode(ec_spki(1));
        let (x, y) = {
            let raw = ec_spki(1);
            (
                STANDARD.encode(&raw[raw.len() - 64..raw.len() - 32]),
                STANDARD.encode(&raw[raw.len() - 32..]),
            )
        };
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            STANDARD.encode(&der)
        );
        let inputs: Vec<(&str, Vec<u8>)> = vec![
            ("der", der.clone()),
            ("pem", pem.into_bytes()),
            ("dsc list", format!(r#"{{"certificates":[{{"kid":"AAECAwQFBgc=","rawData":"{}"}}]}}"#, STANDARD.encode(&der)).into_bytes()),
            ("signed dsc list", format!("MEUCIQ==\n{{\"certificates\":[{{\"rawData\":\"{}\"}}]}}", STANDARD.encode(&der)).into_bytes()),
            ("fr", format!(r#"{{"AAECAwQFBgc=":{{"subject":"C=FR","publicKeyPem":"{spki}"}}}}"#).into_bytes()),
            ("ch", format!(r#"{{"AAECAwQFBgc=":[{{"use":"sig","crv":"P-256","x":"{x}","y":"{y}"}}]}}"#).into_bytes()),
            ("nl", format!(r#"{{"eu_keys":{{"AAECAwQFBgc=":[{{"subjectPk":"{spki}","ian":"NL","keyUsage":[]}}]}}}}"#).into_bytes()),
            ("compact", format!(r#"{{"format":"dcc-verifier-compact/1","keys":[{{"kid":"AAECAwQFBgc=","k":"{spki}"}}]}}"#).into_bytes()),
        ];
        for (name, input) in inputs {
            let list = TrustList::from_bytes(&input).unwrap_or_else(|err| panic!("{name}: {err}"));
            assert_eq!(list.len(), 1, "{name}: {:?}", list.skipped());
            assert!(list.skipped().is_empty(), "{name}");
            // Leading whitespace and a UTF-8 byte order mark do not matter.
            let mut padded = b"\xef\xbb\xbf \n".to_vec();
            padded.extend_from_slice(&input);
            assert_eq!(
                TrustList::from_bytes(&padded).expect("padded").len(),
                1,
                "{name} padded"
            );
        }
    }

    #[test]
    fn every_format_converts_to_a_compact_list_with_the_same_keys() {
        // What the trust-import module hands to the page's verifier module (compact only).
        let der = certificate(&CertSpec::default());
        let dsc_list = format!(
            r#"{{"certificates":[{{"kid":"AAECAwQFBgc=","rawData":"{}"}},{{"rawData":"***"}}]}}"#,
            STANDARD.encode(&der)
        );
        for input in [der.clone(), dsc_list.into_bytes()] {
            let list = TrustList::from_bytes(&input).expect("read");
            let compact = list.to_compact_json_as_read();
            assert!(
                compact.contains(r#""name":null,"generated":null,"demo":false"#),
                "{compact}"
            );
            let read = TrustList::from_bytes(compact.as_bytes()).expect("compact");
            assert_eq!(read.dscs(), list.dscs());
            assert_eq!((read.name(), read.generated()), (None, None));
            assert!(read.skipped().is_empty());
        }
    }

    #[test]
    fn refuses_files_in_no_known_format() {
        let cases: [(&[u8], &str); 7] = [
            (b"", "trust_list_format"),
            (b"   \n", "trust_list_format"),
            (b"hello world", "trust_list_format"),
            (b"[1, 2, 3]", "trust_list_format"),
            (b"{\"a\": 1}", "trust_list_format"),
            (b"{}", "trust_list_format"),
            (b"{\"certificates\": ", "trust_list_format"),
        ];
        for (input, code) in cases {
            let err = TrustList::from_bytes(input).expect_err("refused");
            assert_eq!(
                err.code(),
                code,
                "{:?}: {err}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn refuses_a_file_over_the_size_bound() {
        let mut big = b"{\"certificates\":[".to_vec();
        big.resize(MAX_TRUST_LIST_LEN + 1, b' ');
        assert_eq!(
            TrustList::from_bytes(&big).expect_err("too big").code(),
            "trust_list_too_large"
        );
    }

    #[test]
    fn refuses_too_many_entries() {
        let entries = vec![r#"{"rawData":"AA=="}"#; MAX_TRUST_LIST_ENTRIES + 1].join(",");
        let input = format!(r#"{{"certificates":[{entries}]}}"#);
        assert_eq!(
            TrustList::from_bytes(input.as_bytes())
                .expect_err("too many")
                .code(),
            "trust_list_too_large"
        );
        let entries = vec![r#"{"rawData":"AA=="}"#; MAX_TRUST_LIST_ENTRIES].join(",");
        let input = format!(r#"{{"certificates":[{entries}]}}"#);
        let list = TrustList::from_bytes(input.as_bytes()).expect("at the bound");
        assert_eq!(list.skipped().len(), MAX_TRUST_LIST_ENTRIES);
    }

    #[test]
    fn refuses_an_entry_over_the_size_bound() {
        let huge = "A".repeat(MAX_TRUST_ENTRY_LEN * 2);
        let input = format!(r#"{{"certificates":[{{"rawData":"{huge}"}}]}}"#);
        assert_eq!(
            TrustList::from_bytes(input.as_bytes())
                .expect_err("too big")
                .code(),
            "trust_list_too_large"
        );
    }

    #[test]
    fn base64_in_either_alphabet_with_or_without_padding() {
        for text in ["+/8=", "+/8", "-_8=", "-_8", "+/\n8="] {
            assert_eq!(decode_base64(text), Some(vec![0xfb, 0xff]), "{text}");
        }
        assert_eq!(decode_base64("*"), None);
    }

    #[test]
    fn kids_must_be_short_base64() {
        assert_eq!(decode_kid("ZtJVElOdWm0=").expect("kid").len(), 8);
        for bad in ["", "***", &"A".repeat(200)] {
            assert_eq!(decode_kid(bad).expect_err("bad kid").code(), "trust_entry");
        }
    }

    #[test]
    fn country_codes_and_distinguished_names() {
        assert_eq!(country_code(" vn "), Some("VN".to_owned()));
        assert_eq!(country_code("V1"), None);
        assert_eq!(country_code("VIET"), None);
        assert_eq!(
            country_of_dn("C=AD, ST=ANDORRA, CN=DSC03"),
            Some("AD".to_owned())
        );
        assert_eq!(
            country_of_dn("2.5.4.97=NRTAD-U129638U, O=SAAS, CN=DGCG, C=AD"),
            Some("AD".to_owned())
        );
        assert_eq!(country_of_dn("CN=C=no, O=x"), None);
        assert_eq!(country_of_dn(""), None);
    }

    #[test]
    fn key_usage_letters() {
        let cases = [
            ("", Some(KeyUsage::NONE)),
            ("vtr", Some(KeyUsage::ALL)),
            ("RTV", Some(KeyUsage::ALL)),
            (
                "t",
                Some(KeyUsage {
                    test: true,
                    vaccination: false,
                    recovery: false,
                }),
            ),
            (
                "tv",
                Some(KeyUsage {
                    test: true,
                    vaccination: true,
                    recovery: false,
                }),
            ),
            ("l", None),
            ("sig", None),
        ];
        for (letters, expected) in cases {
            assert_eq!(key_usage_from_letters(letters).ok(), expected, "{letters}");
            if let Some(usage) = expected {
                assert_eq!(key_usage_from_letters(&usage.letters()).ok(), Some(usage));
            }
        }
    }
}
