//! Stage 2: base45 (RFC 9285), the alphabet a QR code's alphanumeric mode carries efficiently.

use crate::error::{Error, Result};

/// Decodes base45 text to bytes.
pub fn decode(text: &str) -> Result<Vec<u8>> {
    if text.is_empty() {
        return Err(Error::Base45);
    }
    ::base45::decode(text).map_err(|_| Error::Base45)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_rfc_9285_examples() {
        // RFC 9285 section 4.3.
        assert_eq!(decode("BB8").as_deref(), Ok(&b"AB"[..]));
        assert_eq!(decode("%69 VD92EX0").as_deref(), Ok(&b"Hello!!"[..]));
        assert_eq!(decode("UJCLQE7W581").as_deref(), Ok(&b"base-45"[..]));
    }

    #[test]
    fn rejects_bad_base45() {
        // Lower case, characters outside the alphabet, a dangling character, a value over 65535.
        for bad in ["", "bb8", "BB8\n", "A", "GGW", "BB8@", "ÄÖ"] {
            assert_eq!(decode(bad), Err(Error::Base45), "{bad:?}");
        }
    }
}
