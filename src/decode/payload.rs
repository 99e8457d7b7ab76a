//! Stage 6: the health certificate payload, from CBOR to JSON and to the typed model.
//!
//! The JSON form is what the schema rules check and what a traveller sees; the typed form
//! ([`Dcc`]) is what the verifier reads. Both come from the same CBOR.

use ciborium::Value;
use serde_json::{Map, Number, Value as Json};

use super::cbor;
use crate::dcc::Dcc;
use crate::error::{Error, Result};

/// Converts the `hcert` CBOR value to JSON and to the typed model.
pub fn read(hcert: &Value) -> Result<(Json, Dcc)> {
    cbor::check_shape(hcert)?;
    let json = to_json(hcert, "")?;
    if !json.is_object() {
        return Err(Error::Payload("it is not a map of fields".into()));
    }
    let dcc = Dcc::from_json(&json)?;
    Ok((json, dcc))
}

/// CBOR → JSON. Only what JSON can say is accepted: text keys, no byte strings. Tags for dates
/// (0, 1004) and epoch times (1) are unwrapped: a few issuers tag their date strings.
fn to_json(value: &Value, path: &str) -> Result<Json> {
    Ok(match value {
        Value::Null => Json::Null,
        Value::Bool(flag) => Json::Bool(*flag),
        Value::Text(text) => Json::String(text.clone()),
        Value::Integer(int) => {
            let int = i128::from(*int);
            if let Ok(small) = i64::try_from(int) {
                Json::from(small)
            } else if let Ok(large) = u64::try_from(int) {
                Json::from(large)
            } else {
                return Err(Error::Payload(format!(
                    "{} holds a number out of range",
                    at(path)
                )));
            }
        }
        Value::Float(float) => Number::from_f64(*float)
            .map(Json::Number)
            .ok_or_else(|| Error::Payload(format!("{} holds an invalid number", at(path))))?,
        Value::Bytes(_) => {
            return Err(Error::Payload(format!(
                "{} holds binary data where text belongs",
                at(path)
            )))
        }
        Value::Tag(0 | 1 | 1004, inner) => to_json(inner, path)?,
        Value::Tag(tag, _) => {
            return Err(Error::Payload(format!(
                "{} holds an unexpected CBOR tag {tag}",
                at(path)
            )))
        }
        Value::Array(items) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| to_json(item, &format!("{path}[{index}]")))
                .collect::<Result<_>>()?,
        ),
        Value::Map(entries) => {
            let mut object = Map::new();
            for (key, item) in entries {
                let Value::Text(key) = key else {
                    return Err(Error::Payload(format!(
                        "{} has a field named {} instead of text",
                        at(path),
                        cbor::describe_key(key)
                    )));
                };
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                object.insert(key.clone(), to_json(item, &child)?);
            }
            Json::Object(object)
        }
        // ciborium's Value is #[non_exhaustive]; anything else is not DCC data.
        _ => {
            return Err(Error::Payload(format!(
                "{} holds an unexpected CBOR item",
                at(path)
            )))
        }
    })
}

fn at(path: &str) -> String {
    if path.is_empty() {
        "the certificate".to_owned()
    } else {
        format!("field {path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dcc::CertType;

    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    #[test]
    fn converts_a_payload() {
        let hcert = Value::Map(vec![
            (text("ver"), text("1.3.0")),
            (
                text("nam"),
                Value::Map(vec![
                    (text("fn"), text("Nguyễn")),
                    (text("fnt"), text("NGUYEN")),
                ]),
            ),
            (text("dob"), Value::Tag(1004, Box::new(text("1990-01-02")))),
            (
                text("v"),
                Value::Array(vec![Value::Map(vec![
                    (text("dn"), Value::from(2)),
                    (text("sd"), Value::from(2)),
                ])]),
            ),
        ]);
        let (json, dcc) = read(&hcert).expect("reads");
        assert_eq!(json["nam"]["fn"], "Nguyễn");
        assert_eq!(json["dob"], "1990-01-02");
        assert_eq!(dcc.cert_type(), Some(CertType::Vaccination));
        assert_eq!(dcc.dob.as_deref(), Some("1990-01-02"));
    }

    #[test]
    fn rejects_what_json_cannot_say() {
        let cases = [
            (Value::from(3), "not a map"),
            (
                Value::Map(vec![(Value::from(1), text("x"))]),
                "field named 1",
            ),
            (
                Value::Map(vec![(text("dob"), Value::Bytes(vec![1]))]),
                "field dob holds binary data",
            ),
            (
                Value::Map(vec![(
                    text("v"),
                    Value::Array(vec![Value::Tag(55, Box::new(text("x")))]),
                )]),
                "field v[0] holds an unexpected CBOR tag 55",
            ),
            (
                Value::Map(vec![(text("nam"), text("Nguyen"))]),
                "nam: expected a group of fields, found the text \"Nguyen\"",
            ),
            (
                Value::Map(vec![(text("a"), Value::Float(f64::NAN))]),
                "invalid number",
            ),
        ];
        for (value, expected) in cases {
            let error = read(&value).expect_err("must fail").to_string();
            assert!(error.contains(expected), "{value:?}: {error}");
        }
    }
}
