//! Bounded CBOR reading shared by the COSE and CWT stages.

use ciborium::Value;

use crate::error::{Error, Result};
use crate::limits::{MAX_CBOR_DEPTH, MAX_CBOR_ITEMS};

/// Parses exactly one CBOR item, with nesting bounded, and rejects trailing bytes.
/// `what` names the structure in the error message.
pub(crate) fn parse(bytes: &[u8], what: &str) -> Result<Value, String> {
    let mut rest = bytes;
    // ciborium's limit counts nested containers and tags; a DCC needs a handful.
    let value: Value = ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_CBOR_DEPTH)
        .map_err(|error| match error {
            ciborium::de::Error::RecursionLimitExceeded => format!("{what} is nested too deeply"),
            ciborium::de::Error::Io(_) => format!("{what} is truncated"),
            ciborium::de::Error::Syntax(offset) => {
                format!("{what} is not valid CBOR (at byte {offset})")
            }
            ciborium::de::Error::Semantic(_, message) => {
                format!("{what} is not valid CBOR: {message}")
            }
        })?;
    if !rest.is_empty() {
        return Err(format!("{} unexpected bytes follow the {what}", rest.len()));
    }
    Ok(value)
}

/// Checks that `value` nests at most [`MAX_CBOR_DEPTH`] deep and holds at most
/// [`MAX_CBOR_ITEMS`] items, and that no map repeats a key.
pub(crate) fn check_shape(value: &Value) -> Result<(), Error> {
    let mut items = 0usize;
    walk(value, 0, &mut items)
}

fn walk(value: &Value, depth: usize, items: &mut usize) -> Result<(), Error> {
    if depth > MAX_CBOR_DEPTH {
        return Err(Error::TooDeep);
    }
    match value {
        Value::Array(elements) => {
            *items += elements.len();
            if *items > MAX_CBOR_ITEMS {
                return Err(Error::Payload(format!("more than {MAX_CBOR_ITEMS} items")));
            }
            elements
                .iter()
                .try_for_each(|element| walk(element, depth + 1, items))
        }
        Value::Map(entries) => {
            *items += entries.len();
            if *items > MAX_CBOR_ITEMS {
                return Err(Error::Payload(format!("more than {MAX_CBOR_ITEMS} items")));
            }
            for (index, (key, _)) in entries.iter().enumerate() {
                if entries[..index].iter().any(|(earlier, _)| earlier == key) {
                    return Err(Error::Payload(format!(
                        "the key {} appears twice in one map",
                        describe_key(key)
                    )));
                }
            }
            entries.iter().try_for_each(|(key, element)| {
                walk(key, depth + 1, items)?;
                walk(element, depth + 1, items)
            })
        }
        Value::Tag(_, inner) => walk(inner, depth + 1, items),
        _ => Ok(()),
    }
}

/// A map key, for messages.
pub(crate) fn describe_key(key: &Value) -> String {
    match key {
        Value::Text(text) => format!("\"{}\"", text.chars().take(40).collect::<String>()),
        Value::Integer(int) => i128::from(*int).to_string(),
        _ => "(non-text key)".to_owned(),
    }
}

/// The integer value of a CBOR integer that fits in i64.
pub(crate) fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(int) => i64::try_from(i128::from(*int)).ok(),
        _ => None,
    }
}
