//! RFC 8785 JSON Canonicalization Scheme (JCS): the bytes a VDS-NC signature covers.
//!
//! Objects with their members sorted by the UTF-16 code units of their names, no white space,
//! strings with the minimal escapes of ECMAScript's `JSON.stringify`, numbers in ECMAScript's
//! shortest form. Seals carry integers and strings; numbers outside the range where Rust's and
//! ECMAScript's shortest forms agree are refused rather than guessed.

use std::fmt::Write as _;

use serde_json::Value;

use crate::formats::FormatError;
use crate::limits::MAX_FORMAT_JSON_DEPTH;

/// The canonical form of `value`.
pub(crate) fn canonical(value: &Value) -> Result<String, FormatError> {
    let mut out = String::new();
    write_value(value, &mut out, 0)?;
    Ok(out)
}

fn write_value(value: &Value, out: &mut String, depth: usize) -> Result<(), FormatError> {
    if depth > MAX_FORMAT_JSON_DEPTH {
        return Err(FormatError::Canonical(format!(
            "it is nested more than {MAX_FORMAT_JSON_DEPTH} levels deep"
        )));
    }
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => write_number(number, out)?,
        Value::String(text) => write_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, (name, member)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write_value(member, out, depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Integers up to 2^53 exactly; other numbers in [1e-6, 1e21), where ECMAScript writes the
/// shortest round-trip digits without an exponent, as Rust's `Display` does.
fn write_number(number: &serde_json::Number, out: &mut String) -> Result<(), FormatError> {
    const EXACT: u64 = 1 << 53;
    if let Some(n) = number.as_u64().filter(|n| *n <= EXACT) {
        let _ = write!(out, "{n}");
        return Ok(());
    }
    if let Some(n) = number.as_i64().filter(|n| n.unsigned_abs() <= EXACT) {
        let _ = write!(out, "{n}");
        return Ok(());
    }
    match number.as_f64() {
        Some(0.0) => out.push('0'),
        Some(f) if f.is_finite() && (1e-6..1e21).contains(&f.abs()) => {
            let _ = write!(out, "{f}");
        }
        _ => {
            return Err(FormatError::Canonical(format!(
                "the number {number} has no canonical form this verifier writes"
            )))
        }
    }
    Ok(())
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(json: &str) -> String {
        canonical(&serde_json::from_str(json).expect("json")).expect("canonical")
    }

    #[test]
    fn sorts_members_and_drops_white_space() {
        assert_eq!(
            canon(r#"{ "b": [1, 2, {"z": true, "a": null}], "a": "x" }"#),
            r#"{"a":"x","b":[1,2,{"a":null,"z":true}]}"#
        );
    }

    #[test]
    fn sorts_by_utf16_code_units_as_rfc_8785_section_3_2_3() {
        // RFC 8785 §3.2.3's example names: "\r", "1", "\u0080", "ö", "€", "😀", "דּ".
        let json = "{\"\u{20ac}\":1,\"\\r\":2,\"\u{fb33}\":3,\"1\":4,\"\u{1f600}\":5,\"\u{80}\":6,\"\u{f6}\":7}";
        assert_eq!(
            canon(json),
            "{\"\\r\":2,\"1\":4,\"\u{80}\":6,\"\u{f6}\":7,\"\u{20ac}\":1,\"\u{1f600}\":5,\"\u{fb33}\":3}"
        );
    }

    #[test]
    fn escapes_strings_minimally() {
        assert_eq!(
            canon(r#""\u0041\u00e9\n\u001f\"\\/""#),
            "\"A\u{e9}\\n\\u001f\\\"\\\\/\""
        );
    }

    #[test]
    fn writes_numbers_in_their_shortest_form() {
        assert_eq!(
            canon("[1, -1, 0, 1.5, 1e2, 0.000001, 333333333.3333333]"),
            "[1,-1,0,1.5,100,0.000001,333333333.3333333]"
        );
        assert!(canonical(&serde_json::from_str("1e30").expect("json")).is_err());
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(canonical(&serde_json::from_str(&deep).expect("json")).is_err());
    }
}
