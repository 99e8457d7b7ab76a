//! The DCC payload (`hcert` claim -260 → 1), versions 1.0.0 to 1.3.x, as typed data.
//!
//! Field names are the specification's (`ver`, `nam`, `dob`, `v`, `t`, `r`, ...), so the JSON a
//! front end receives reads like the specification. Unknown fields are kept in `extra`: an issuer
//! that adds a field is not rejected, and nothing it wrote is hidden. Every field is optional
//! here: what is required is the schema check's business ([`crate::dcc::schema`]), which then
//! reports *all* that is missing instead of failing on the first.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The type of a health certificate, which decides the key usage it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertType {
    /// Vaccination (`v`).
    Vaccination,
    /// Test (`t`).
    Test,
    /// Recovery (`r`).
    Recovery,
}

impl CertType {
    /// The lower-case English word: "vaccination", "test" or "recovery".
    pub fn as_str(self) -> &'static str {
        match self {
            CertType::Vaccination => "vaccination",
            CertType::Test => "test",
            CertType::Recovery => "recovery",
        }
    }
}

/// The health certificate payload.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dcc {
    /// Schema version, e.g. "1.3.0".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ver: Option<String>,
    /// The holder's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nam: Option<Name>,
    /// Date of birth: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    /// Vaccination entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub v: Option<Vec<Vaccination>>,
    /// Test entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub t: Option<Vec<Test>>,
    /// Recovery entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r: Option<Vec<Recovery>>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Dcc {
    /// The certificate's type: the first non-empty group of `v`, `t`, `r`. A payload with several
    /// groups is a schema failure, reported there; the type is still that of the first.
    pub fn cert_type(&self) -> Option<CertType> {
        let present = |len: Option<usize>| len.is_some_and(|n| n > 0);
        if present(self.v.as_ref().map(Vec::len)) {
            Some(CertType::Vaccination)
        } else if present(self.t.as_ref().map(Vec::len)) {
            Some(CertType::Test)
        } else if present(self.r.as_ref().map(Vec::len)) {
            Some(CertType::Recovery)
        } else {
            None
        }
    }
}

/// The holder's name, as issued and transliterated (ICAO 9303).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Name {
    /// Family name(s), as issued.
    #[serde(rename = "fn", skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Family name(s), transliterated (`A-Z<`).
    #[serde(rename = "fnt", skip_serializing_if = "Option::is_none")]
    pub family_t: Option<String>,
    /// Given name(s), as issued.
    #[serde(rename = "gn", skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Given name(s), transliterated (`A-Z<`).
    #[serde(rename = "gnt", skip_serializing_if = "Option::is_none")]
    pub given_t: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One vaccination entry (`v`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Vaccination {
    /// Disease or agent targeted (value set `disease-agent-targeted`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
    /// Vaccine or prophylaxis (value set `sct-vaccines-covid-19`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vp: Option<String>,
    /// Vaccine medicinal product (value set `vaccines-covid-19-names`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mp: Option<String>,
    /// Marketing authorisation holder or manufacturer (value set `vaccines-covid-19-auth-holders`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Dose number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dn: Option<Value>,
    /// Total doses in the series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sd: Option<Value>,
    /// Date of vaccination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dt: Option<String>,
    /// Country of vaccination (ISO 3166-1 alpha-2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(rename = "is", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Unique certificate identifier (UVCI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One test entry (`t`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Test {
    /// Disease or agent targeted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
    /// Type of test (value set `covid-19-lab-test-type`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tt: Option<String>,
    /// NAA test name (free text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// RAT test device identifier (value set `covid-19-lab-test-manufacturer-and-name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Date and time of sample collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sc: Option<String>,
    /// Date and time of the test result (schema 1.0.x only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dr: Option<String>,
    /// Test result (value set `covid-19-lab-result`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tr: Option<String>,
    /// Testing centre or facility.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tc: Option<String>,
    /// Country of test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(rename = "is", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Unique certificate identifier (UVCI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One recovery entry (`r`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recovery {
    /// Disease or agent the holder recovered from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
    /// Date of the first positive test result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    /// Country of test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(rename = "is", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Certificate valid from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df: Option<String>,
    /// Certificate valid until.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub du: Option<String>,
    /// Unique certificate identifier (UVCI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dcc::fields::{self, Holds, Place};

    #[test]
    fn keeps_unknown_fields_and_reads_the_type() {
        let json = serde_json::json!({
            "ver": "1.3.0",
            "nam": {"fn": "Nguyễn", "gn": "Bảo Duy", "fnt": "NGUYEN", "gnt": "BAO<DUY", "x": 1},
            "dob": "1990-01-01",
            "t": [{"tg": "840539006", "tt": "LP6464-4", "tr": "260415000", "zz": true}],
            "extension": {"a": 1}
        });
        let dcc = Dcc::from_json(&json).expect("valid payload");
        assert_eq!(dcc.cert_type(), Some(CertType::Test));
        assert_eq!(
            dcc.nam.as_ref().and_then(|n| n.family.as_deref()),
            Some("Nguyễn")
        );
        assert!(dcc.extra.contains_key("extension"));
        assert!(dcc
            .t
            .as_ref()
            .is_some_and(|t| t[0].extra.contains_key("zz")));
    }

    /// `t[].dr` is not a field since schema 1.2.0: whatever it holds is read, as an extra.
    #[test]
    fn a_test_result_date_that_is_not_text_is_an_extra() {
        let json = serde_json::json!({
            "ver": "1.3.0",
            "t": [{"tg": "840539006", "dr": 5}]
        });
        let dcc = Dcc::from_json(&json).expect("read");
        let test = &dcc.t.as_ref().expect("t")[0];
        assert_eq!(test.dr, None);
        assert_eq!(test.extra.get("dr"), Some(&serde_json::json!(5)));
        let text = serde_json::json!({"t": [{"dr": "2021-05-03T10:00:00Z"}]});
        let dcc = Dcc::from_json(&text).expect("read");
        assert_eq!(
            dcc.t.expect("t")[0].dr.as_deref(),
            Some("2021-05-03T10:00:00Z")
        );
    }

    /// The fields at `place` of the table ([`crate::dcc::fields`]), each with a value of its
    /// kind; a payload with every field when `place` is the top level.
    fn every_field(place: Place) -> Value {
        fields::at(place)
            .map(|field| {
                let value = match field.holds {
                    Holds::Dose => serde_json::json!(1),
                    Holds::NameGroup => every_field(Place::Name),
                    Holds::Entries => {
                        let group = Place::ALL.into_iter().find(|p| p.key() == field.key);
                        serde_json::json!([every_field(group.expect("a group"))])
                    }
                    _ => Value::String(format!("{}.{}", place.key(), field.key)),
                };
                (field.key.to_owned(), value)
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    }

    /// The model names every field of the table, and no other: read and written back, a
    /// payload with every field is the same, with no extras.
    #[test]
    fn the_model_reads_every_field_of_the_table() {
        let payload = every_field(Place::Top);
        let dcc = Dcc::from_json(&payload).expect("read");
        assert!(dcc.extra.is_empty());
        assert!(dcc.nam.as_ref().is_some_and(|nam| nam.extra.is_empty()));
        assert!(dcc.v.as_ref().is_some_and(|v| v[0].extra.is_empty()));
        assert!(dcc.t.as_ref().is_some_and(|t| t[0].extra.is_empty()));
        assert!(dcc.r.as_ref().is_some_and(|r| r[0].extra.is_empty()));
        assert_eq!(serde_json::to_value(&dcc).expect("write"), payload);
    }

    #[test]
    fn no_entries_means_no_type() {
        assert_eq!(Dcc::default().cert_type(), None);
        let empty = Dcc {
            v: Some(vec![]),
            ..Dcc::default()
        };
        assert_eq!(empty.cert_type(), None);
    }
}

/// Reading the model out of payload JSON, by hand: serde's derived `Deserialize` with
/// `#[serde(flatten)]` buffers every map through its generic `Content` type, which costs the
/// WebAssembly module several kilobytes for what is a lookup of known keys.
mod read {
    use std::collections::BTreeMap;

    use serde_json::{Map, Value};

    use super::{Dcc, Name, Recovery, Test, Vaccination};
    use crate::dcc::fields::{self, Place};
    use crate::dcc::schema::describe;
    use crate::error::{Error, Result};

    fn invalid(path: &str, value: &Value, expected: &str) -> Error {
        Error::Payload(format!(
            "{path}: expected {expected}, found {}",
            describe(value)
        ))
    }

    fn text(map: &Map<String, Value>, key: &str, path: &str) -> Result<Option<String>> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(invalid(&format!("{path}{key}"), other, "text")),
        }
    }

    fn any(map: &Map<String, Value>, key: &str) -> Option<Value> {
        map.get(key).filter(|value| !value.is_null()).cloned()
    }

    /// The fields of `map` that are not fields at `place`.
    fn extra(map: &Map<String, Value>, place: Place) -> BTreeMap<String, Value> {
        map.iter()
            .filter(|(key, _)| !fields::is_known(place, key))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
        value
            .as_object()
            .ok_or_else(|| invalid(path, value, "a group of fields"))
    }

    fn list<T>(
        map: &Map<String, Value>,
        key: &str,
        entry: impl Fn(&Map<String, Value>, &str) -> Result<T>,
    ) -> Result<Option<Vec<T>>> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let path = format!("{key}[{index}]");
                    entry(object(item, &path)?, &format!("{path}."))
                })
                .collect::<Result<Vec<T>>>()
                .map(Some),
            Some(other) => Err(invalid(key, other, "a list")),
        }
    }

    impl Dcc {
        /// Reads the typed model out of payload JSON. Every field is optional (the schema
        /// check reports what is missing); a field of the wrong JSON type is an error.
        pub fn from_json(json: &Value) -> Result<Dcc> {
            let map = object(json, "the certificate")?;
            let nam = match map.get("nam") {
                None | Some(Value::Null) => None,
                Some(value) => {
                    let nam = object(value, "nam")?;
                    Some(Name {
                        family: text(nam, "fn", "nam.")?,
                        family_t: text(nam, "fnt", "nam.")?,
                        given: text(nam, "gn", "nam.")?,
                        given_t: text(nam, "gnt", "nam.")?,
                        extra: extra(nam, Place::Name),
                    })
                }
            };
            Ok(Dcc {
                ver: text(map, "ver", "")?,
                nam,
                dob: text(map, "dob", "")?,
                v: list(map, "v", |e, p| {
                    Ok(Vaccination {
                        tg: text(e, "tg", p)?,
                        vp: text(e, "vp", p)?,
                        mp: text(e, "mp", p)?,
                        ma: text(e, "ma", p)?,
                        dn: any(e, "dn"),
                        sd: any(e, "sd"),
                        dt: text(e, "dt", p)?,
                        co: text(e, "co", p)?,
                        issuer: text(e, "is", p)?,
                        ci: text(e, "ci", p)?,
                        extra: extra(e, Place::Vaccination),
                    })
                })?,
                t: list(map, "t", |e, p| {
                    // `dr` is a date-time in 1.0.x-1.1.x and not a field since 1.2.0, where it
                    // may hold anything: a value that is not text is then one of the extras.
                    let dr_is_text =
                        matches!(e.get("dr"), None | Some(Value::Null | Value::String(_)));
                    Ok(Test {
                        tg: text(e, "tg", p)?,
                        tt: text(e, "tt", p)?,
                        nm: text(e, "nm", p)?,
                        ma: text(e, "ma", p)?,
                        sc: text(e, "sc", p)?,
                        dr: if dr_is_text { text(e, "dr", p)? } else { None },
                        tr: text(e, "tr", p)?,
                        tc: text(e, "tc", p)?,
                        co: text(e, "co", p)?,
                        issuer: text(e, "is", p)?,
                        ci: text(e, "ci", p)?,
                        extra: {
                            let mut extras = extra(e, Place::Test);
                            if !dr_is_text {
                                extras.extend(e.get("dr").map(|v| ("dr".to_owned(), v.clone())));
                            }
                            extras
                        },
                    })
                })?,
                r: list(map, "r", |e, p| {
                    Ok(Recovery {
                        tg: text(e, "tg", p)?,
                        fr: text(e, "fr", p)?,
                        co: text(e, "co", p)?,
                        issuer: text(e, "is", p)?,
                        df: text(e, "df", p)?,
                        du: text(e, "du", p)?,
                        ci: text(e, "ci", p)?,
                        extra: extra(e, Place::Recovery),
                    })
                })?,
                extra: extra(map, Place::Top),
            })
        }
    }
}
