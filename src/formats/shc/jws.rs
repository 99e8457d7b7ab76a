//! Stage 3 of a SMART Health Card: the JWS in compact serialisation
//! (`header.payload.signature`, each base64url without padding) and its header
//! (`alg`, `zip`, `kid`).

use serde_json::Value;

use crate::error::Result;
use crate::formats::{base64url, FormatError};

/// A JWS, split and decoded.
#[derive(Debug)]
pub(crate) struct Jws<'a> {
    /// The header's `alg`, when it is a string.
    pub alg: Option<String>,
    /// The header's `zip`, when it is a string.
    pub zip: Option<String>,
    /// The header's `kid`.
    pub kid: String,
    /// What the signature covers: `header.payload`, as transmitted.
    pub signing_input: &'a str,
    /// The payload, decoded (still compressed when `zip` is `DEF`).
    pub payload: Vec<u8>,
    /// The signature, decoded (raw `r‖s` for ES256).
    pub signature: Vec<u8>,
}

/// Splits and decodes a compact JWS. The header must be a JSON object with a `kid`; `alg` and
/// `zip` are read as found and judged by the caller, so that a card with a wrong algorithm is
/// still shown (and is invalid) rather than unreadable.
pub(crate) fn parse(text: &str) -> Result<Jws<'_>> {
    let mut parts = text.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(jws_error("it is not three parts separated by dots"));
    };
    // Padding is not part of a compact JWS; base64url() tolerates it, so refuse it here.
    if [header, payload, signature]
        .iter()
        .any(|part| part.contains('='))
    {
        return Err(jws_error(
            "a part carries base64 padding, which JWS does not allow",
        ));
    }
    let header_bytes = base64url(header).ok_or_else(|| jws_error("the header is not base64url"))?;
    let payload = base64url(payload).ok_or_else(|| jws_error("the payload is not base64url"))?;
    let signature =
        base64url(signature).ok_or_else(|| jws_error("the signature is not base64url"))?;
    let header: Value =
        serde_json::from_slice(&header_bytes).map_err(|_| jws_error("the header is not JSON"))?;
    if !header.is_object() {
        return Err(jws_error("the header is not a JSON object"));
    }
    let text_field = |name: &str| header.get(name).and_then(Value::as_str).map(str::to_owned);
    let kid = text_field("kid")
        .filter(|kid| !kid.is_empty())
        .ok_or(FormatError::JwsKid)?;
    let signing_input = text.rsplit_once('.').map_or(text, |(signed, _)| signed);
    Ok(Jws {
        alg: text_field("alg"),
        zip: text_field("zip"),
        kid,
        signing_input,
        payload,
        signature,
    })
}

fn jws_error(why: &str) -> crate::Error {
    FormatError::Jws(why.to_owned()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    fn jws(header: &str) -> String {
        format!("{}.cGF5bG9hZA.c2ln", URL_SAFE_NO_PAD.encode(header))
    }

    #[test]
    fn reads_the_header_and_the_signing_input() {
        let text = jws(r#"{"alg":"ES256","zip":"DEF","kid":"k1"}"#);
        let parsed = parse(&text).expect("parses");
        assert_eq!(parsed.alg.as_deref(), Some("ES256"));
        assert_eq!(parsed.zip.as_deref(), Some("DEF"));
        assert_eq!(parsed.kid, "k1");
        assert_eq!(parsed.payload, b"payload");
        assert_eq!(parsed.signature, b"sig");
        assert_eq!(parsed.signing_input, &text[..text.len() - 5]);
    }

    #[test]
    fn refuses_malformed_tokens() {
        let cases = [
            ("a.b".to_owned(), "jws"),
            ("a.b.c.d".to_owned(), "jws"),
            ("!!.cGF5bG9hZA.c2ln".to_owned(), "jws"),
            (format!("{}=", jws(r#"{"kid":"k"}"#)), "jws"),
            (jws("not json"), "jws"),
            (jws("[1]"), "jws"),
            (jws(r#"{"alg":"ES256","zip":"DEF"}"#), "jws_kid"),
            (jws(r#"{"alg":"ES256","zip":"DEF","kid":""}"#), "jws_kid"),
            (jws(r#"{"alg":"ES256","zip":"DEF","kid":7}"#), "jws_kid"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse(&text).map(|_| ()).map_err(|e| e.code()),
                Err(expected),
                "{text}"
            );
        }
    }
}
