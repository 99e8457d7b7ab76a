//! The Dutch list: `{"eu_keys": {kid: [{subjectPk, ian, san, keyUsage}]}}`. `subjectPk` is the
//! base64 SPKI, `ian` the issuing country and `keyUsage` a list of letters `t`, `v`, `r` (empty:
//! all three). The domestic `nl_keys` / `cl_keys` are not DCC keys and are left out.

use serde_json::{Map, Value};

use super::{country_code, decode_key_text, decode_kid, key_usage_from_letters, load_keys_by_kid};
use crate::error::{Error, Result};
use crate::trust::keys::public_key_from_spki;
use crate::trust::{Dsc, KeyUsage, TrustList};

/// Loads the parsed JSON object of a Dutch list.
pub(super) fn load(map: &Map<String, Value>) -> Result<TrustList> {
    let eu_keys = map
        .get("eu_keys")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::TrustListFormat("its \"eu_keys\" is not an object".to_owned()))?;
    load_keys_by_kid(eu_keys, load_key)
}

fn load_key(kid: &str, entry: &Value) -> Result<Dsc> {
    let key_text = entry
        .get("subjectPk")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::TrustEntry("the entry has no public key (subjectPk)".to_owned()))?;
    let key = public_key_from_spki(&decode_key_text(key_text, "public key")?)?;
    let key_usage = match entry.get("keyUsage") {
        None | Some(Value::Null) => KeyUsage::ALL,
        Some(Value::Array(letters)) if letters.is_empty() => KeyUsage::ALL,
        Some(Value::Array(letters)) => {
            let mut usage = KeyUsage::NONE;
            for letters in letters {
                let letters = letters.as_str().ok_or_else(|| {
                    Error::TrustEntry("its keyUsage holds something other than letters".to_owned())
                })?;
                let more = key_usage_from_letters(letters)?;
                usage.test |= more.test;
                usage.vaccination |= more.vaccination;
                usage.recovery |= more.recovery;
            }
            usage
        }
        Some(_) => return Err(Error::TrustEntry("its keyUsage is not a list".to_owned())),
    };
    Ok(Dsc {
        kid: decode_kid(kid)?,
        country: entry
            .get("ian")
            .and_then(Value::as_str)
            .and_then(country_code),
        subject: None,
        not_before: None,
        not_after: None,
        key_usage,
        key,
        demo: false,
    })
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use dcc_test_issuer::der::*;

    use crate::trust::formats::test_support::assert_skipped_reasons;
    use crate::trust::PublicKey;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    #[test]
    fn loads_keys_with_country_and_usage() {
        let ec = STANDARD.encode(ec_spki(1));
        let rsa = STANDARD.encode(rsa_spki(2048));
        let input = format!(
            r#"{{"cl_keys": [], "nl_keys": {{}}, "eu_keys": {{
                "YgBnrpZDGXk=": [{{"subjectPk": "{rsa}", "ian": "RS", "san": "", "keyUsage": []}}],
                "+7gPaASOAJY=": [{{"subjectPk": "{ec}", "ian": "NL", "san": "NLD", "keyUsage": ["r", "t"]}},
                                 {{"subjectPk": "{ec}", "ian": "NL", "keyUsage": ["v"]}}]
            }}}}"#
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert!(list.skipped().is_empty(), "{:?}", list.skipped());
        assert_eq!(list.len(), 3);
        let serbia_kid = STANDARD.decode("YgBnrpZDGXk=").expect("b64");
        let serbia = list.find(&serbia_kid).next().expect("found");
        assert_eq!(serbia.country.as_deref(), Some("RS"));
        assert_eq!(serbia.key_usage, KeyUsage::ALL);
        assert!(matches!(serbia.key, PublicKey::Rsa(_)));
        let usages: Vec<KeyUsage> = list
            .find(&STANDARD.decode("+7gPaASOAJY=").expect("b64"))
            .map(|d| d.key_usage)
            .collect();
        assert_eq!(
            usages,
            vec![
                KeyUsage {
                    test: true,
                    vaccination: false,
                    recovery: true
                },
                KeyUsage {
                    test: false,
                    vaccination: true,
                    recovery: false
                }
            ]
        );
    }

    #[test]
    fn skips_bad_entries() {
        let ec = STANDARD.encode(ec_spki(1));
        let p384 = STANDARD.encode(p384_spki());
        let input = format!(
            r#"{{"eu_keys": {{
                "AAAAAAAAAAA=": [{{"subjectPk": "{p384}", "keyUsage": []}}],
                "AQEBAQEBAQE=": [{{"ian": "NL"}}],
                "AgICAgICAgI=": [{{"subjectPk": "{ec}", "keyUsage": ["x"]}}],
                "AwMDAwMDAwM=": [{{"subjectPk": "{ec}", "keyUsage": [1]}}],
                "BAQEBAQEBAQ=": {{"subjectPk": "{ec}"}},
                "BQUFBQUFBQU=": [{{"subjectPk": "{ec}", "keyUsage": "t"}}]
            }}}}"#
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert!(list.is_empty());
        let expected = [
            "P-384",
            "no public key",
            "names no DCC",
            "other than letters",
            "not a list of keys",
            "not a list",
        ];
        assert_skipped_reasons(&list, &expected);
    }

    #[test]
    fn refuses_eu_keys_that_are_not_an_object() {
        let err = TrustList::from_bytes(br#"{"eu_keys": []}"#).expect_err("refused");
        assert_eq!(err.code(), "trust_list_format");
    }
}
