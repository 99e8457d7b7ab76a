//! DCC payloads (schema 1.3.0) as JSON, and their conversion to CBOR.

use ciborium::Value as Cbor;
use serde_json::{json, Value};

/// The schema version the helpers write.
pub const SCHEMA_VERSION: &str = "1.3.0";

/// The certificate holder: names as printed and as transliterated (ICAO 9303), date of birth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// Surname as printed (`fn`).
    pub family_name: String,
    /// Forename as printed (`gn`).
    pub given_name: String,
    /// Standardised surname (`fnt`, `A-Z` and `<` only).
    pub family_name_std: String,
    /// Standardised forename (`gnt`).
    pub given_name_std: String,
    /// Date of birth (`dob`): `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty.
    pub dob: String,
}

impl Holder {
    /// A holder with these names and date of birth.
    pub fn new(family: &str, family_std: &str, given: &str, given_std: &str, dob: &str) -> Self {
        Holder {
            family_name: family.to_owned(),
            given_name: given.to_owned(),
            family_name_std: family_std.to_owned(),
            given_name_std: given_std.to_owned(),
            dob: dob.to_owned(),
        }
    }

    /// A Vietnamese holder, as on Vietnam's certificates: `Nguyễn` / `Bảo Duy` in NFC
    /// (precomposed letters), standardised `NGUYEN` / `BAO<DUY`.
    pub fn vietnamese() -> Self {
        // Escapes keep the text NFC whatever the editor does: U+1EC5 ễ, U+1EA3 ả.
        Holder::new(
            "Nguy\u{1ec5}n",
            "NGUYEN",
            "B\u{1ea3}o Duy",
            "BAO<DUY",
            "1990-05-17",
        )
    }

    /// A plain ASCII holder.
    pub fn example() -> Self {
        Holder::new("Tran", "TRAN", "Thi Mai", "THI<MAI", "1985-02-14")
    }

    /// A holder whose printed name is an HTML injection attempt (for XSS tests of front ends).
    pub fn hostile() -> Self {
        Holder::new(
            "<img src=x onerror=alert(1)>",
            "IMG<SRC<X<ONERROR<ALERT",
            "<script>alert(2)</script>",
            "SCRIPT<ALERT",
            "1970-01-01",
        )
    }

    /// The `nam` object.
    pub fn nam(&self) -> Value {
        json!({
            "fn": self.family_name,
            "fnt": self.family_name_std,
            "gn": self.given_name,
            "gnt": self.given_name_std,
        })
    }

    fn base(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("ver".into(), Value::from(SCHEMA_VERSION));
        map.insert("nam".into(), self.nam());
        map.insert("dob".into(), Value::from(self.dob.clone()));
        map
    }
}

fn issuer_name(country: &str) -> String {
    if country == "VN" {
        "Ministry of Health of Viet Nam (TEST)".to_owned()
    } else {
        format!("Test issuer {country}")
    }
}

fn uvci(country: &str, kind: char) -> String {
    format!("URN:UVCI:01:{country}:DCCTEST{kind}0000000000000000001")
}

/// A vaccination certificate: dose 2 of 2 of Comirnaty, 2025-11-15, in `country`.
pub fn vaccination(holder: &Holder, country: &str) -> Value {
    let mut map = holder.base();
    map.insert(
        "v".into(),
        json!([{
            "tg": "840539006",
            "vp": "J07BX03",
            "mp": "EU/1/20/1528",
            "ma": "ORG-100030215",
            "dn": 2,
            "sd": 2,
            "dt": "2025-11-15",
            "co": country,
            "is": issuer_name(country),
            "ci": uvci(country, 'V'),
        }]),
    );
    Value::Object(map)
}

/// A test certificate: a negative PCR test sampled 2025-12-31T08:00:00Z in `country`.
pub fn test(holder: &Holder, country: &str) -> Value {
    let mut map = holder.base();
    map.insert(
        "t".into(),
        json!([{
            "tg": "840539006",
            "tt": "LP6464-4",
            "nm": "Roche LightCycler qPCR",
            "sc": "2025-12-31T08:00:00Z",
            "tr": "260415000",
            "tc": "Test centre",
            "co": country,
            "is": issuer_name(country),
            "ci": uvci(country, 'T'),
        }]),
    );
    Value::Object(map)
}

/// A recovery certificate: first positive test 2025-11-01, valid 2025-11-12 to 2026-05-01.
pub fn recovery(holder: &Holder, country: &str) -> Value {
    let mut map = holder.base();
    map.insert(
        "r".into(),
        json!([{
            "tg": "840539006",
            "fr": "2025-11-01",
            "df": "2025-11-12",
            "du": "2026-05-01",
            "co": country,
            "is": issuer_name(country),
            "ci": uvci(country, 'R'),
        }]),
    );
    Value::Object(map)
}

/// Converts JSON to CBOR with map keys in canonical order (shorter first, then bytewise), as
/// real issuers' encoders do; integers stay integers, other numbers become floats.
pub fn to_cbor(value: &Value) -> Cbor {
    match value {
        Value::Null => Cbor::Null,
        Value::Bool(flag) => Cbor::Bool(*flag),
        Value::Number(number) => {
            if let Some(integer) = number.as_i64() {
                Cbor::Integer(integer.into())
            } else if let Some(integer) = number.as_u64() {
                Cbor::Integer(integer.into())
            } else {
                Cbor::Float(number.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(text) => Cbor::Text(text.clone()),
        Value::Array(items) => Cbor::Array(items.iter().map(to_cbor).collect()),
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|(a, _), (b, _)| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            Cbor::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| (Cbor::Text(key.clone()), to_cbor(value)))
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_are_nfc() {
        let holder = Holder::vietnamese();
        assert_eq!(holder.family_name.as_bytes(), "Nguyễn".as_bytes());
        assert_eq!(holder.family_name.as_bytes(), b"Nguy\xe1\xbb\x85n");
        assert_eq!(holder.given_name.as_bytes(), b"B\xe1\xba\xa3o Duy");
        // No combining marks (U+0300..U+036F): the precomposed form.
        let combining = |c: char| ('\u{300}'..='\u{36f}').contains(&c);
        assert!(!holder.family_name.chars().any(combining));
        assert!(!holder.given_name.chars().any(combining));
    }

    #[test]
    fn each_payload_has_exactly_one_group_and_required_fields() {
        type Maker = fn(&Holder, &str) -> Value;
        let required: [(&str, Maker, &[&str]); 3] = [
            (
                "v",
                vaccination,
                &["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"],
            ),
            ("t", test, &["tg", "tt", "sc", "tr", "co", "is", "ci"]),
            ("r", recovery, &["tg", "fr", "co", "is", "df", "du", "ci"]),
        ];
        for (group, make, fields) in required {
            let payload = make(&Holder::example(), "VN");
            let groups: Vec<&str> = ["v", "t", "r"]
                .into_iter()
                .filter(|g| payload.get(*g).is_some())
                .collect();
            assert_eq!(groups, [group]);
            for key in ["ver", "nam", "dob"] {
                assert!(payload.get(key).is_some(), "{group}: {key}");
            }
            let entry = &payload[group][0];
            for field in fields {
                assert!(entry.get(*field).is_some(), "{group}: {field}");
            }
            assert!(entry["ci"].as_str().is_some_and(|ci| ci.len() <= 80));
        }
    }

    #[test]
    fn cbor_keys_are_canonical() {
        let cbor = to_cbor(&vaccination(&Holder::example(), "VN"));
        let Cbor::Map(entries) = cbor else {
            panic!("map expected")
        };
        let keys: Vec<&str> = entries
            .iter()
            .filter_map(|(key, _)| key.as_text())
            .collect();
        assert_eq!(keys, ["v", "dob", "nam", "ver"]);
        let dn = entries
            .iter()
            .find(|(key, _)| key.as_text() == Some("v"))
            .and_then(|(_, v)| {
                v.as_array()?
                    .first()?
                    .as_map()?
                    .iter()
                    .find(|(k, _)| k.as_text() == Some("dn"))
            })
            .map(|(_, value)| value.clone());
        assert_eq!(dn, Some(Cbor::Integer(2.into())));
    }
}
