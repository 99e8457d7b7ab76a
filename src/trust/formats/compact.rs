//! This project's compact trust list, for the web page (the 4 MB German list is too heavy for a
//! phone): only what verification needs, one short line per key.
//!
//! ```text
//! {"format":"dcc-verifier-compact/1","name":"...","generated":"2024-01-01T00:00:00Z","demo":false,
//!  "keys":[
//! {"kid":"ZtJVElOdWm0=","c":"VN","k":"<base64 SPKI DER>","nb":1639094400,"na":1796860800,"ku":"vtr","s":"C=VN, ..."}
//! ]}
//! ```
//!
//! `nb`/`na` are the signer's validity in unix seconds (or `null`); `ku` holds the letters
//! `v`, `t`, `r` of the allowed types and is left out when all three are; `c` and `s` are left out
//! when unknown. `demo: true` marks a list of the project's test issuer: every key of it is a
//! demo key ([`crate::trust::Dsc::demo`]).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    check_entry_count, country_code, decode_entry_base64, decode_kid, key_usage_from_letters,
    record,
};
use crate::error::{Error, Result};
use crate::trust::keys::{public_key_from_spki, public_key_to_spki};
use crate::trust::{Dsc, KeyUsage, TrustList};

/// The `format` value of the compact lists this verifier writes and reads.
pub const FORMAT: &str = "dcc-verifier-compact/1";

/// The family of the `format` value: a later version of it is refused with a clear message.
const FORMAT_FAMILY: &str = "dcc-verifier-compact/";

/// One key of a compact list, as it is in the file.
#[derive(Deserialize)]
struct CompactKey {
    kid: String,
    #[serde(default)]
    c: Option<String>,
    k: String,
    #[serde(default)]
    nb: Option<i64>,
    #[serde(default)]
    na: Option<i64>,
    #[serde(default)]
    ku: Option<String>,
    #[serde(default)]
    s: Option<String>,
}

/// Loads the parsed JSON object of a compact list.
pub(super) fn load(map: &Map<String, Value>) -> Result<TrustList> {
    match map.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) if other.starts_with(FORMAT_FAMILY) => {
            return Err(Error::TrustListFormat(format!(
                "it is a compact list of version \"{other}\", which this verifier does not read (it reads \"{FORMAT}\")"
            )))
        }
        _ => {
            return Err(Error::TrustListFormat(
                "it is JSON, but in no trust-list format this verifier knows".to_owned(),
            ))
        }
    }
    let demo = match map.get("demo") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(demo)) => *demo,
        // Whether keys are demo keys must never be guessed.
        Some(_) => {
            return Err(Error::TrustListFormat(
                "its \"demo\" flag is neither true nor false".to_owned(),
            ))
        }
    };
    let keys = map
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::TrustListFormat("its \"keys\" is not a list".to_owned()))?;
    check_entry_count(keys.len())?;
    let mut list = TrustList::new();
    list.name = map.get("name").and_then(Value::as_str).map(str::to_owned);
    list.generated = map
        .get("generated")
        .and_then(Value::as_str)
        .map(str::to_owned);
    for (index, key) in keys.iter().enumerate() {
        let kid = key.get("kid").and_then(Value::as_str);
        record(&mut list, index.to_string(), kid, load_key(key, demo))?;
    }
    Ok(list)
}

fn load_key(value: &Value, demo: bool) -> Result<Dsc> {
    let key = CompactKey::deserialize(value)
        .map_err(|err| Error::TrustEntry(format!("the key entry is malformed ({err})")))?;
    Ok(Dsc {
        kid: decode_kid(&key.kid)?,
        country: key.c.as_deref().and_then(country_code),
        subject: key.s.filter(|s| !s.is_empty()),
        not_before: key.nb,
        not_after: key.na,
        key_usage: match key.ku {
            None => KeyUsage::ALL,
            Some(letters) => key_usage_from_letters(&letters)?,
        },
        key: public_key_from_spki(&decode_entry_base64(&key.k, "key")?)?,
        demo,
    })
}

/// Writes `list` in the compact format.
/// `name` and `generated` are written as `null` when absent.
pub(super) fn write(
    list: &TrustList,
    name: Option<&str>,
    generated: Option<&str>,
    demo: bool,
) -> String {
    let optional = |text: Option<&str>| text.map_or_else(|| "null".to_owned(), json_string);
    let mut out = format!(
        "{{\"format\":{},\"name\":{},\"generated\":{},\"demo\":{demo},\"keys\":[",
        json_string(FORMAT),
        optional(name),
        optional(generated)
    );
    for (index, dsc) in list.dscs().iter().enumerate() {
        out.push_str(if index == 0 { "\n" } else { ",\n" });
        out.push_str(&format!(
            "{{\"kid\":{}",
            json_string(&STANDARD.encode(&dsc.kid))
        ));
        if let Some(country) = &dsc.country {
            out.push_str(&format!(",\"c\":{}", json_string(country)));
        }
        out.push_str(&format!(
            ",\"k\":{},\"nb\":{},\"na\":{}",
            json_string(&STANDARD.encode(public_key_to_spki(&dsc.key))),
            json_number(dsc.not_before),
            json_number(dsc.not_after)
        ));
        if dsc.key_usage != KeyUsage::ALL {
            out.push_str(&format!(
                ",\"ku\":{}",
                json_string(&dsc.key_usage.letters())
            ));
        }
        if let Some(subject) = &dsc.subject {
            out.push_str(&format!(",\"s\":{}", json_string(subject)));
        }
        out.push('}');
    }
    out.push_str("\n]}\n");
    out
}

fn json_string(text: &str) -> String {
    Value::from(text).to_string()
}

fn json_number(number: Option<i64>) -> String {
    number.map_or_else(|| "null".to_owned(), |n| n.to_string())
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use dcc_test_issuer::der::*;

    use crate::trust::formats::test_support::assert_skipped_reasons;
    use crate::trust::PublicKey;

    fn sample_list() -> TrustList {
        let mut list = TrustList::new();
        list.push(Dsc {
            kid: vec![0x66, 0xd2, 0x55, 0x12, 0x53, 0x9d, 0x5a, 0x6d],
            country: Some("VN".to_owned()),
            subject: Some("C=VN, O=Bộ Y tế, CN=\"quoted\" \\ name".to_owned()),
            not_before: Some(1_639_094_400),
            not_after: Some(1_796_860_800),
            key_usage: KeyUsage::ALL,
            key: public_key_from_spki(&rsa_spki(2048)).expect("key"),
            demo: false,
        });
        list.push(Dsc {
            kid: vec![1, 2, 3, 4, 5, 6, 7, 8],
            country: None,
            subject: None,
            not_before: None,
            not_after: None,
            key_usage: KeyUsage {
                test: true,
                vaccination: false,
                recovery: true,
            },
            key: public_key_from_spki(&ec_spki(1)).expect("key"),
            demo: false,
        });
        list.push(Dsc {
            kid: vec![9; 8],
            country: Some("DE".to_owned()),
            subject: None,
            not_before: Some(-5),
            not_after: None,
            key_usage: KeyUsage::NONE,
            key: public_key_from_spki(&ec_spki(2)).expect("key"),
            demo: false,
        });
        list
    }

    #[test]
    fn round_trips_every_field_and_the_metadata() {
        let list = sample_list();
        for demo in [false, true] {
            let json = list.to_compact_json("Test list", "2024-01-02T03:04:05Z", demo);
            let loaded = TrustList::from_bytes(json.as_bytes()).expect("loads");
            assert!(loaded.skipped().is_empty(), "{:?}", loaded.skipped());
            assert_eq!(loaded.name(), Some("Test list"));
            assert_eq!(loaded.generated(), Some("2024-01-02T03:04:05Z"));
            let expected: Vec<Dsc> = list
                .dscs()
                .iter()
                .cloned()
                .map(|dsc| Dsc { demo, ..dsc })
                .collect();
            assert_eq!(loaded.dscs(), expected.as_slice());
        }
    }

    #[test]
    fn writes_one_line_per_key_and_leaves_out_what_is_unknown() {
        let json = sample_list().to_compact_json("n", "g", false);
        let lines: Vec<&str> = json.lines().collect();
        assert_eq!(lines.len(), 5, "{json}");
        assert!(lines[0].starts_with(
            r#"{"format":"dcc-verifier-compact/1","name":"n","generated":"g","demo":false"#
        ));
        assert!(
            lines[1].starts_with(r#"{"kid":"ZtJVElOdWm0=","c":"VN","k":"MIIBIjAN"#),
            "{}",
            lines[1]
        );
        assert!(!lines[1].contains("\"ku\""));
        assert!(
            lines[2].ends_with(r#","nb":null,"na":null,"ku":"tr"},"#),
            "{}",
            lines[2]
        );
        assert!(lines[3].contains(r#""ku":"""#));
        assert_eq!(lines[4], "]}");
    }

    #[test]
    fn an_empty_list_round_trips() {
        let json = TrustList::new().to_compact_json("empty", "2024-01-01T00:00:00Z", true);
        let loaded = TrustList::from_bytes(json.as_bytes()).expect("loads");
        assert!(loaded.is_empty() && loaded.skipped().is_empty());
        assert_eq!(loaded.name(), Some("empty"));
    }

    #[test]
    fn missing_fields_take_their_defaults() {
        let k = base64::engine::general_purpose::STANDARD.encode(ec_spki(1));
        let json = format!(
            r#"{{"format":"dcc-verifier-compact/1","keys":[{{"kid":"AQIDBAUGBwg=","k":"{k}","nb":null}}]}}"#
        );
        let list = TrustList::from_bytes(json.as_bytes()).expect("loads");
        let dsc = &list.dscs()[0];
        assert_eq!(
            (
                dsc.key_usage,
                dsc.demo,
                dsc.not_before,
                dsc.country.as_deref()
            ),
            (KeyUsage::ALL, false, None, None)
        );
        assert!(matches!(dsc.key, PublicKey::EcP256(_)));
        assert_eq!((list.name(), list.generated()), (None, None));
    }

    #[test]
    fn skips_bad_keys_and_refuses_bad_headers() {
        let k = base64::engine::general_purpose::STANDARD.encode(ec_spki(1));
        let p384 = base64::engine::general_purpose::STANDARD.encode(p384_spki());
        let json = format!(
            r#"{{"format":"dcc-verifier-compact/1","demo":true,"keys":[
                {{"kid":"AQIDBAUGBwg=","k":"{k}","ku":"vx"}},
                {{"kid":"AQIDBAUGBwg=","k":"{p384}"}},
                {{"kid":"AQIDBAUGBwg=","k":"{k}","nb":"soon"}},
                {{"k":"{k}"}},
                {{"kid":"AQIDBAUGBwg=","k":"{k}"}}
            ]}}"#
        );
        let list = TrustList::from_bytes(json.as_bytes()).expect("loads");
        assert_eq!(list.len(), 1);
        assert!(list.dscs()[0].demo);
        let expected = ["names no DCC", "P-384", "malformed", "malformed"];
        assert_skipped_reasons(&list, &expected);

        for (header, code) in [
            (r#""format":"dcc-verifier-compact/2""#, "trust_list_format"),
            (r#""format":"something-else/1""#, "trust_list_format"),
            (
                r#""format":"dcc-verifier-compact/1","demo":"yes""#,
                "trust_list_format",
            ),
            (
                r#""format":"dcc-verifier-compact/1","keys":{}"#,
                "trust_list_format",
            ),
        ] {
            let json = if header.contains("keys") {
                format!("{{{header}}}")
            } else {
                format!(r#"{{{header},"keys":[]}}"#)
            };
            let err = TrustList::from_bytes(json.as_bytes()).expect_err("refused");
            assert_eq!(err.code(), code, "{header}: {err}");
        }
        let err = TrustList::from_bytes(br#"{"format":"dcc-verifier-compact/2","keys":[]}"#)
            .expect_err("refused");
        assert!(err.to_string().contains("does not read"), "{err}");
    }
}
