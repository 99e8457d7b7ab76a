//! Stage 5: the CWT claims (RFC 8392) that carry the health certificate.
//!
//! Claims used: `iss` (1), `exp` (4), `iat` (6) and `hcert` (-260), whose key 1 holds the DCC.

use ciborium::Value;

use super::cbor;
use crate::error::{Error, Result};

const CLAIM_ISS: i64 = 1;
const CLAIM_EXP: i64 = 4;
const CLAIM_IAT: i64 = 6;
const CLAIM_HCERT: i64 = -260;
const HCERT_EU_DCC_V1: i64 = 1;

/// The claims of a health certificate CWT.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    /// Issuing country (ISO 3166-1 alpha-2), from `iss`.
    pub iss: Option<String>,
    /// Issue time, unix seconds, from `iat`.
    pub iat: Option<i64>,
    /// Expiry time, unix seconds, from `exp`.
    pub exp: Option<i64>,
    /// The health certificate (`hcert` → 1), still as CBOR.
    pub hcert: Value,
}

/// Parses the CWT claims from the COSE payload.
pub fn parse(payload: &[u8]) -> Result<Claims> {
    let value = cbor::parse(payload, "the claims").map_err(Error::Cwt)?;
    cbor::check_shape(&value).map_err(|error| match error {
        Error::Payload(why) => Error::Cwt(why),
        other => other,
    })?;
    let Value::Map(claims) = value else {
        return Err(Error::Cwt("the claims are not a map".into()));
    };
    let mut iss = None;
    let mut iat = None;
    let mut exp = None;
    let mut hcert = None;
    for (key, value) in claims {
        match cbor::as_i64(&key) {
            Some(CLAIM_ISS) => match value {
                Value::Text(text) => iss = Some(text),
                _ => return Err(Error::Cwt("the issuer (iss) is not text".into())),
            },
            Some(CLAIM_IAT) => iat = Some(timestamp(&value, "issue time (iat)")?),
            Some(CLAIM_EXP) => exp = Some(timestamp(&value, "expiry time (exp)")?),
            Some(CLAIM_HCERT) => hcert = Some(value),
            _ => {}
        }
    }
    let Some(Value::Map(hcert)) = hcert else {
        return Err(Error::MissingHcert);
    };
    let dcc = hcert
        .into_iter()
        .find_map(|(key, value)| (cbor::as_i64(&key) == Some(HCERT_EU_DCC_V1)).then_some(value))
        .ok_or(Error::MissingHcert)?;
    Ok(Claims {
        iss,
        iat,
        exp,
        hcert: dcc,
    })
}

/// A NumericDate: an integer or a floating-point number of seconds (RFC 8392 allows both; some
/// issuers write floats). Fractions are dropped.
fn timestamp(value: &Value, name: &str) -> Result<i64> {
    let value = match value {
        // Tag 1 (epoch-based date/time) around the number is tolerated.
        Value::Tag(1, inner) => inner.as_ref(),
        other => other,
    };
    match value {
        Value::Integer(_) => {
            cbor::as_i64(value).ok_or_else(|| Error::Cwt(format!("the {name} is out of range")))
        }
        // ±2^53 s is far beyond any real date and keeps the conversion exact.
        Value::Float(float) if float.is_finite() && float.abs() < 9_007_199_254_740_992.0 => {
            Ok(float.floor() as i64)
        }
        Value::Float(_) => Err(Error::Cwt(format!("the {name} is not a valid number"))),
        _ => Err(Error::Cwt(format!("the {name} is not a number"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &Value) -> Vec<u8> {
        let mut bytes = Vec::new();
        ciborium::ser::into_writer(value, &mut bytes).expect("encodes");
        bytes
    }

    fn claims(entries: Vec<(i64, Value)>) -> Vec<u8> {
        encode(&Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Value::from(k), v))
                .collect(),
        ))
    }

    fn hcert() -> Value {
        Value::Map(vec![(
            Value::from(1),
            Value::Map(vec![(Value::from("ver"), Value::from("1.3.0"))]),
        )])
    }

    #[test]
    fn reads_the_claims() {
        let bytes = claims(vec![
            (1, Value::from("VN")),
            (6, Value::from(1_649_950_687)),
            (4, Value::Float(1_738_195_200.75)),
            (-260, hcert()),
        ]);
        let parsed = parse(&bytes).expect("parses");
        assert_eq!(parsed.iss.as_deref(), Some("VN"));
        assert_eq!(parsed.iat, Some(1_649_950_687));
        assert_eq!(parsed.exp, Some(1_738_195_200));
        assert!(matches!(parsed.hcert, Value::Map(_)));
    }

    #[test]
    fn reports_malformed_claims() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (encode(&Value::from(5)), "not a map"),
            (claims(vec![(1, Value::from(5)), (-260, hcert())]), "iss"),
            (
                claims(vec![(4, Value::from("tomorrow")), (-260, hcert())]),
                "expiry time (exp) is not a number",
            ),
            (
                claims(vec![(6, Value::Float(f64::NAN)), (-260, hcert())]),
                "not a valid number",
            ),
            (
                claims(vec![(4, Value::Float(f64::INFINITY)), (-260, hcert())]),
                "not a valid number",
            ),
            (claims(vec![(1, Value::from("VN"))]), "-260"),
            (claims(vec![(-260, Value::Map(vec![]))]), "-260"),
            (
                claims(vec![
                    (1, Value::from("VN")),
                    (1, Value::from("DE")),
                    (-260, hcert()),
                ]),
                "appears twice",
            ),
            (vec![0xa1], "truncated"),
        ];
        for (bytes, expected) in cases {
            let error = parse(&bytes).expect_err("must fail").to_string();
            assert!(error.contains(expected), "{bytes:02x?}: {error}");
        }
    }
}
