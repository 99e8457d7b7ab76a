//! The DCC payload (`hcert` claim -260 → 1), versions 1.0.0 to 1.3.x, as typed data.
//!
//! Field names are the specification's (`ver`, `nam`, `dob`, `v`, `t`, `r`, ...), so the JSON a
//! front end receives reads like the specification. Unknown fields are kept in `extra`: an issuer
//! that adds a field is not rejected, and nothing it wrote is hidden. Every field is optional
//! here: what is required is the schema check's business ([`crate::dcc::schema`]), which then
//! reports *all* that is missing instead of failing on the first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The type of a health certificate, which decides the key usage it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dcc {
    /// Schema version, e.g. "1.3.0".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ver: Option<String>,
    /// The holder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nam: Option<Name>,
    /// Date of birth: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    /// Vaccination entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<Vec<Vaccination>>,
    /// Test entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<Vec<Test>>,
    /// Recovery entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Name {
    /// Family name(s), as issued.
    #[serde(default, rename = "fn", skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Family name(s), transliterated (`A-Z<`).
    #[serde(default, rename = "fnt", skip_serializing_if = "Option::is_none")]
    pub family_t: Option<String>,
    /// Given name(s), as issued.
    #[serde(default, rename = "gn", skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Given name(s), transliterated (`A-Z<`).
    #[serde(default, rename = "gnt", skip_serializing_if = "Option::is_none")]
    pub given_t: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One vaccination entry (`v`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vaccination {
    /// Disease or agent targeted (value set `disease-agent-targeted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
    /// Vaccine or prophylaxis (value set `sct-vaccines-covid-19`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vp: Option<String>,
    /// Vaccine medicinal product (value set `vaccines-covid-19-names`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mp: Option<String>,
    /// Marketing authorisation holder or manufacturer (value set `vaccines-covid-19-auth-holders`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Dose number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dn: Option<Value>,
    /// Total doses in the series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<Value>,
    /// Date of vaccination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dt: Option<String>,
    /// Country of vaccination (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(default, rename = "is", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Unique certificate identifier (UVCI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One test entry (`t`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Test {
    /// Disease or agent targeted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
    /// Type of test (value set `covid-19-lab-test-type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tt: Option<String>,
    /// NAA test name (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// RAT test device identifier (value set `covid-19-lab-test-manufacturer-and-name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Date and time of sample collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sc: Option<String>,
    /// Date and time of the test result (schema 1.0.x only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dr: Option<String>,
    /// Test result (value set `covid-19-lab-result`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tr: Option<String>,
    /// Testing centre or facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tc: Option<String>,
    /// Country of test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(default, rename = "is", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Unique certificate identifier (UVCI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One recovery entry (`r`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// Disease or agent the holder recovered from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tg: Option<String>,
    /// Date of the first positive test result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    /// Country of test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co: Option<String>,
    /// Certificate issuer.
    #[serde(default, rename = "is", skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Certificate valid from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub df: Option<String>,
    /// Certificate valid until.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub du: Option<String>,
    /// Unique certificate identifier (UVCI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<String>,
    /// Fields this version of the verifier does not know.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_fields_and_reads_the_type() {
        let json = serde_json::json!({
            "ver": "1.3.0",
            "nam": {"fn": "Nguyễn", "gn": "Bảo Duy", "fnt": "NGUYEN", "gnt": "BAO<DUY", "x": 1},
            "dob": "1990-01-01",
            "t": [{"tg": "840539006", "tt": "LP6464-4", "tr": "260415000", "zz": true}],
            "extension": {"a": 1}
        });
        let dcc: Dcc = serde_json::from_value(json).expect("valid payload");
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
