//! Stage 1: the `HC1:` context identifier.

use crate::error::{Error, Result};
use crate::limits::MAX_QR_TEXT_LEN;

/// The context identifier of the EU DCC ("health certificate version 1").
pub const HC1: &str = "HC1:";

/// Trims surrounding whitespace (pasted text, a scanner's trailing newline) and strips `HC1:`,
/// returning the base45 text that follows.
pub fn strip(text: &str) -> Result<&str> {
    if text.len() > MAX_QR_TEXT_LEN {
        return Err(Error::InputTooLong {
            len: text.len(),
            max: MAX_QR_TEXT_LEN,
        });
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::EmptyInput);
    }
    text.strip_prefix(HC1).ok_or_else(|| Error::NotHc1 {
        found: text.chars().take(HC1.len()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_prefix_and_surrounding_whitespace() {
        assert_eq!(strip("HC1:ABC"), Ok("ABC"));
        assert_eq!(strip("  HC1:A B\r\n"), Ok("A B"));
        assert_eq!(strip("HC1:"), Ok(""));
    }

    #[test]
    fn rejects_what_is_not_hc1() {
        let cases: &[(&str, Error)] = &[
            ("", Error::EmptyInput),
            (" \n\t", Error::EmptyInput),
            (
                "HC2:ABC",
                Error::NotHc1 {
                    found: "HC2:".into(),
                },
            ),
            (
                "hc1:ABC",
                Error::NotHc1 {
                    found: "hc1:".into(),
                },
            ),
            (
                "HL0:X",
                Error::NotHc1 {
                    found: "HL0:".into(),
                },
            ),
            (
                "https://example.com",
                Error::NotHc1 {
                    found: "http".into(),
                },
            ),
            (
                "NCFG70",
                Error::NotHc1 {
                    found: "NCFG".into(),
                },
            ),
            (
                "Nguyễn",
                Error::NotHc1 {
                    found: "Nguy".into(),
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(strip(input).as_ref(), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn bounds_the_input_length() {
        let long = format!("HC1:{}", "A".repeat(MAX_QR_TEXT_LEN));
        assert!(matches!(strip(&long), Err(Error::InputTooLong { .. })));
    }
}
