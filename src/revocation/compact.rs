//! The compact form of a revocation list, which `scripts/build-web` writes for the page.
//!
//! Little-endian, after the 8-byte magic `DCCREV1\n`: the number of batches (u32), then per
//! batch a 32-byte header and its entries:
//!
//! ```text
//! kid length (u8) · kid · hash type (u8: 0 UCI, 1 COUNTRYCODEUCI, 2 SIGNATURE) · country (2 ASCII)
//! · expires (i64, unix s) · date (i64, unix s; i64::MIN when unknown) · entries (u32)
//! · entries × 8 bytes: the first 8 bytes of each hash, sorted ascending
//! ```
//!
//! 8 bytes per entry plus a header of 24 bytes and the kid (8 bytes) per batch: 8.03 bytes per
//! entry for the gateway's batches of 1,000. Why 8 bytes of the 16 are enough: the store's note
//! on truncation ([`super::RevocationList`]).

use super::batch::Batch;
use super::HashType;
use crate::error::{Error, Result};
use crate::limits::{MAX_REVOCATION_BATCHES, MAX_REVOCATION_ENTRIES, MAX_REVOCATION_FILE_LEN};

/// The first bytes of every compact revocation list.
pub const MAGIC: &[u8; 8] = b"DCCREV1\n";

/// Whether the bytes are (or claim to be) the compact form.
pub fn is_compact(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Writes batches in the compact form (hashes sorted, duplicates dropped).
pub fn write(batches: &[Batch]) -> Vec<u8> {
    let entries: usize = batches.iter().map(|b| b.hashes.len()).sum();
    let mut out = Vec::with_capacity(12 + batches.len() * 40 + entries * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(
        &u32::try_from(batches.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    for batch in batches {
        let mut hashes = batch.hashes.clone();
        hashes.sort_unstable();
        hashes.dedup();
        let kid = &batch.kid[..batch.kid.len().min(255)];
        out.push(kid.len() as u8);
        out.extend_from_slice(kid);
        out.push(batch.hash_type.to_byte());
        let country = batch.country.as_bytes();
        out.extend_from_slice(&[
            country.first().copied().unwrap_or(b'?'),
            country.get(1).copied().unwrap_or(b'?'),
        ]);
        out.extend_from_slice(&batch.expires.to_le_bytes());
        out.extend_from_slice(&batch.date.unwrap_or(i64::MIN).to_le_bytes());
        out.extend_from_slice(
            &u32::try_from(hashes.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        for hash in hashes {
            out.extend_from_slice(&hash.to_be_bytes());
        }
    }
    out
}

/// A cursor over the bytes that fails with a message naming what was cut short.
struct Reader<'a> {
    bytes: &'a [u8],
    batch: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        if self.bytes.len() < len {
            return Err(Error::RevocationBatch {
                batch: self.batch,
                country: None,
                problem: "the compact file ends inside it".into(),
            });
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }
}

/// Reads the compact form back into batches.
pub fn read(bytes: &[u8]) -> Result<Vec<Batch>> {
    if bytes.len() > MAX_REVOCATION_FILE_LEN {
        return Err(Error::RevocationListTooLarge(format!(
            "the file is {} bytes, more than {MAX_REVOCATION_FILE_LEN}",
            bytes.len()
        )));
    }
    let Some(body) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return Err(Error::RevocationListFormat(
            "not a compact revocation list".into(),
        ));
    };
    let mut reader = Reader {
        bytes: body,
        batch: 0,
    };
    let count = u32::from_le_bytes(reader.array()?) as usize;
    if count > MAX_REVOCATION_BATCHES {
        return Err(Error::RevocationListTooLarge(format!(
            "{count} batches, more than {MAX_REVOCATION_BATCHES}"
        )));
    }
    let mut batches = Vec::with_capacity(count);
    let mut total = 0usize;
    for number in 1..=count {
        reader.batch = number;
        let kid_len = usize::from(reader.array::<1>()?[0]);
        let kid = reader.take(kid_len)?.to_vec();
        let type_byte = reader.array::<1>()?[0];
        let country = reader.array::<2>()?;
        let country = String::from_utf8_lossy(&country).into_owned();
        let problem = |problem: String| Error::RevocationBatch {
            batch: number,
            country: Some(country.clone()),
            problem,
        };
        let hash_type = HashType::from_byte(type_byte)
            .ok_or_else(|| problem(format!("unknown hash type {type_byte}")))?;
        let expires = i64::from_le_bytes(reader.array()?);
        let date = Some(i64::from_le_bytes(reader.array()?)).filter(|&d| d != i64::MIN);
        let entries = u32::from_le_bytes(reader.array()?) as usize;
        total = total.saturating_add(entries);
        if total > MAX_REVOCATION_ENTRIES {
            return Err(Error::RevocationListTooLarge(format!(
                "more than {MAX_REVOCATION_ENTRIES} entries"
            )));
        }
        // Checked against the bytes left before anything is allocated.
        let raw = reader.take(entries.saturating_mul(8))?;
        let hashes = raw
            .chunks_exact(8)
            .map(|chunk| {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(chunk);
                u64::from_be_bytes(bytes)
            })
            .collect();
        batches.push(Batch {
            country,
            expires,
            date,
            kid,
            hash_type,
            hashes,
        });
    }
    if !reader.bytes.is_empty() {
        return Err(Error::RevocationListFormat(format!(
            "{} bytes follow the last batch",
            reader.bytes.len()
        )));
    }
    Ok(batches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_sorts() {
        let batch = Batch {
            country: "VN".into(),
            expires: 2_000_000_000,
            date: None,
            kid: vec![9; 8],
            hash_type: HashType::Signature,
            hashes: vec![3, 1, 2, 1],
        };
        let bytes = write(std::slice::from_ref(&batch));
        assert_eq!(bytes.len(), 8 + 4 + 1 + 8 + 1 + 2 + 8 + 8 + 4 + 3 * 8);
        let back = read(&bytes).unwrap();
        assert_eq!(back[0].hashes, [1, 2, 3]);
        assert_eq!(back[0].kid, batch.kid);
        // Every cut is an error, never a panic.
        for len in 0..bytes.len() {
            assert!(read(&bytes[..len]).is_err(), "{len}");
        }
    }
}
