//! Stage 3: zlib decompression, bounded.
//!
//! The specification requires zlib, and dgc-testdata expects an uncompressed COSE structure to
//! fail this stage (case Z2). A few real issuers skipped compression all the same, so such data
//! is reported as a failed check and still decoded, so that a traveller sees what it holds.

use miniz_oxide::inflate::{decompress_to_vec_zlib_with_limit, TINFLStatus};

use crate::error::{Error, Result};
use crate::limits::MAX_INFLATED_LEN;

/// How the data behind the base45 was packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// zlib, as the specification requires.
    Zlib,
    /// Not compressed: a bare COSE structure (a specification violation, still readable).
    None,
}

/// Inflates zlib data to at most [`MAX_INFLATED_LEN`] bytes. Data that is not zlib but starts
/// like a COSE structure is returned as it is, with [`Compression::None`].
pub fn inflate(data: &[u8]) -> Result<(Vec<u8>, Compression)> {
    if !has_zlib_header(data) {
        return if looks_like_cose(data) {
            Ok((data.to_vec(), Compression::None))
        } else {
            Err(Error::Zlib)
        };
    }
    match decompress_to_vec_zlib_with_limit(data, MAX_INFLATED_LEN) {
        Ok(inflated) => Ok((inflated, Compression::Zlib)),
        Err(error) if error.status == TINFLStatus::HasMoreOutput => Err(Error::InflatedTooLarge {
            max: MAX_INFLATED_LEN,
        }),
        Err(_) => Err(Error::Zlib),
    }
}

/// RFC 1950: compression method 8 (deflate), window ≤ 32 KiB, and the header check bits.
fn has_zlib_header(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// Tag 18 (COSE_Sign1), tag 61 (CWT) or a bare 4-element array.
fn looks_like_cose(data: &[u8]) -> bool {
    matches!(data, [0xd2, ..] | [0xd8, 0x3d, ..] | [0x84, ..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniz_oxide::deflate::compress_to_vec_zlib;

    #[test]
    fn inflates_zlib() {
        let data = compress_to_vec_zlib(b"\xd2\x84hello", 9);
        assert_eq!(
            inflate(&data),
            Ok((b"\xd2\x84hello".to_vec(), Compression::Zlib))
        );
    }

    #[test]
    fn passes_uncompressed_cose_through() {
        assert_eq!(
            inflate(b"\xd2\x84\x43"),
            Ok((b"\xd2\x84\x43".to_vec(), Compression::None))
        );
        assert_eq!(
            inflate(b"\x84\x43"),
            Ok((b"\x84\x43".to_vec(), Compression::None))
        );
    }

    #[test]
    fn rejects_broken_streams() {
        let good = compress_to_vec_zlib(&[7u8; 300], 9);
        let truncated = &good[..good.len() / 2];
        let mut corrupt = good.clone();
        corrupt[3] ^= 0xff;
        for bad in [&b""[..], b"\x78", b"hello", truncated, &corrupt] {
            assert_eq!(inflate(bad), Err(Error::Zlib), "{bad:?}");
        }
    }

    #[test]
    fn stops_a_zlib_bomb() {
        let bomb = compress_to_vec_zlib(&vec![0u8; 10 * MAX_INFLATED_LEN], 10);
        assert!(bomb.len() < 2 * 1024, "a bomb is small: {}", bomb.len());
        assert_eq!(
            inflate(&bomb),
            Err(Error::InflatedTooLarge {
                max: MAX_INFLATED_LEN
            })
        );
    }
}
