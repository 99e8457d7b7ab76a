//! Stages 1–2 of a SMART Health Card: the `shc:/` prefix, then the numeric QR content
//! (each pair of digits `dd` is the character `dd + 45`), reassembling the parts of a chunked
//! card (`shc:/i/n/…`, one text per QR code, in any order) into the JWS.

use crate::error::{Error, Result};
use crate::formats::FormatError;
use crate::limits::{MAX_SHC_CHUNKS, MAX_SHC_TEXT_LEN};

/// The parts of a card's text: each QR code's digits, in order of their part number.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Parts<'a> {
    /// How many parts the card has (1: not chunked).
    pub total: usize,
    /// The digits of each part, in order.
    pub digits: Vec<&'a str>,
}

/// Splits the text (one QR code's text, or several on lines of their own) into its parts.
/// Only line breaks separate parts: any other character around the digits (a space, a tab)
/// is no part of a numeric QR code, and makes the card malformed.
pub(crate) fn parts(text: &str) -> Result<Parts<'_>> {
    let text = text.trim_matches(['\n', '\r']);
    if text.len() > MAX_SHC_TEXT_LEN {
        return Err(FormatError::ShcTooLong {
            len: text.len(),
            max: MAX_SHC_TEXT_LEN,
        }
        .into());
    }
    let mut chunks: Vec<(usize, usize, &str)> = Vec::new();
    for qr in text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.is_empty())
    {
        if chunks.len() == MAX_SHC_CHUNKS {
            return Err(chunk_error(format!(
                "more than {MAX_SHC_CHUNKS} QR codes were given"
            )));
        }
        let body = strip_prefix(qr).ok_or_else(|| {
            Error::from(FormatError::ShcChunk(
                "every QR code of a card starts with shc:/".to_owned(),
            ))
        })?;
        chunks.push(chunk(body)?);
    }
    let total = match chunks.first() {
        Some((_, total, _)) => *total,
        None => return Err(FormatError::ShcNumeric("no digits after shc:/".to_owned()).into()),
    };
    if chunks.iter().any(|(_, n, _)| *n != total) {
        return Err(chunk_error(
            "the QR codes given belong to different cards (their part counts differ)".to_owned(),
        ));
    }
    let mut digits: Vec<Option<&str>> = vec![None; total];
    for (index, _, body) in chunks {
        let slot = &mut digits[index - 1];
        if slot.is_some() {
            return Err(chunk_error(format!("part {index} was given twice")));
        }
        *slot = Some(body);
    }
    let missing: Vec<usize> = (1..=total)
        .filter(|index| digits[index - 1].is_none())
        .collect();
    if !missing.is_empty() {
        return Err(FormatError::ShcChunksMissing { total, missing }.into());
    }
    Ok(Parts {
        total,
        digits: digits.into_iter().flatten().collect(),
    })
}

/// The text after `shc:/` (the prefix in any case, as QR alphanumeric mode upper-cases it).
fn strip_prefix(qr: &str) -> Option<&str> {
    let head = qr.get(..5)?;
    head.eq_ignore_ascii_case("shc:/").then(|| &qr[5..])
}

/// One QR code's body: `i/n/digits` (chunked) or `digits`.
fn chunk(body: &str) -> Result<(usize, usize, &str)> {
    let mut fields = body.splitn(3, '/');
    let first = fields.next().unwrap_or_default();
    let (Some(second), Some(digits)) = (fields.next(), fields.next()) else {
        if body.contains('/') {
            return Err(chunk_error(
                "a chunked card's QR code reads shc:/part/total/digits".to_owned(),
            ));
        }
        return Ok((1, 1, body));
    };
    let number = |field: &str| -> Option<usize> {
        (!field.is_empty() && field.len() <= 2 && field.bytes().all(|b| b.is_ascii_digit()))
            .then(|| field.parse().ok())
            .flatten()
    };
    let (Some(index), Some(total)) = (number(first), number(second)) else {
        return Err(chunk_error(format!(
            "\"{}/{}\" is not a part number and a part count",
            first.chars().take(4).collect::<String>(),
            second.chars().take(4).collect::<String>()
        )));
    };
    if !(2..=MAX_SHC_CHUNKS).contains(&total) || !(1..=total).contains(&index) {
        return Err(chunk_error(format!(
            "part {index} of {total} is impossible (a chunked card has 2 to {MAX_SHC_CHUNKS} parts)"
        )));
    }
    Ok((index, total, digits))
}

/// The JWS text from the digits of every part.
pub(crate) fn decode(parts: &Parts<'_>) -> Result<String> {
    let mut jws = String::with_capacity(parts.digits.iter().map(|d| d.len() / 2).sum());
    for (number, digits) in parts.digits.iter().enumerate() {
        let bytes = digits.as_bytes();
        if bytes.is_empty() {
            return Err(numeric_error(format!(
                "part {} holds no digits",
                number + 1
            )));
        }
        if bytes.len() % 2 != 0 {
            return Err(numeric_error("an odd number of digits".to_owned()));
        }
        for pair in bytes.chunks_exact(2) {
            let (Some(tens), Some(ones)) = (digit(pair[0]), digit(pair[1])) else {
                return Err(numeric_error("a character that is not a digit".to_owned()));
            };
            let value = tens * 10 + ones;
            if value > 77 {
                return Err(numeric_error(format!("the pair {value} is above 77")));
            }
            jws.push(char::from(value + 45));
        }
    }
    Ok(jws)
}

fn digit(byte: u8) -> Option<u8> {
    byte.is_ascii_digit().then(|| byte - b'0')
}

fn chunk_error(why: String) -> Error {
    FormatError::ShcChunk(why).into()
}

fn numeric_error(why: String) -> Error {
    FormatError::ShcNumeric(why).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(error: Error) -> &'static str {
        error.code()
    }

    #[test]
    fn decodes_pairs_of_digits() {
        // "ey" = 'e' (101 - 45 = 56), 'y' (121 - 45 = 76); '-' is 00, 'z' is 77.
        let parts = parts("shc:/56760077").expect("parts");
        assert_eq!(decode(&parts).expect("decodes"), "ey-z");
    }

    #[test]
    fn reassembles_chunks_in_any_order() {
        let parts = parts("shc:/2/2/5676\nSHC:/1/2/0077").expect("parts");
        assert_eq!(parts.total, 2);
        assert_eq!(decode(&parts).expect("decodes"), "-zey");
    }

    #[test]
    fn asks_for_the_missing_parts() {
        let error = parts("shc:/2/3/5676").expect_err("incomplete");
        assert_eq!(
            error,
            Error::Format(FormatError::ShcChunksMissing {
                total: 3,
                missing: vec![1, 3]
            })
        );
        assert!(error.to_string().contains("scan part 1, 3"));
    }

    #[test]
    fn refuses_malformed_digits_and_chunk_headers() {
        let cases = [
            ("shc:/567", "shc_numeric"),
            ("shc:/5678", "shc_numeric"),
            ("shc:/56a6", "shc_numeric"),
            ("shc:/", "shc_numeric"),
            ("shc:/1/1/5676", "shc_chunk"),
            ("shc:/0/2/5676", "shc_chunk"),
            ("shc:/3/2/5676", "shc_chunk"),
            ("shc:/1/99/5676", "shc_chunk"),
            ("shc:/x/2/5676", "shc_chunk"),
            ("shc:/1/2/5676\nshc:/1/2/5676", "shc_chunk"),
            ("shc:/1/2/5676\r\nshc:/2/3/5676", "shc_chunk"),
            ("shc:/1/2/5676\nHC1:xyz", "shc_chunk"),
            ("shc:/5676 \t", "shc_numeric"),
            (" shc:/5676", "shc_chunk"),
            ("shc:/12/5676", "shc_chunk"),
        ];
        for (text, expected) in cases {
            let result = parts(text).and_then(|parts| decode(&parts));
            assert_eq!(result.map_err(code), Err(expected), "{text}");
        }
    }

    #[test]
    fn bounds_the_text_and_the_number_of_parts() {
        let long = format!("shc:/{}", "0".repeat(MAX_SHC_TEXT_LEN));
        assert_eq!(parts(&long).map_err(code), Err("shc_too_long"));
        let many = ["shc:/1/2/00"; MAX_SHC_CHUNKS + 1].join("\n");
        assert_eq!(parts(&many).map_err(code), Err("shc_chunk"));
    }
}
