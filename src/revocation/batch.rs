//! The EU gateway's revocation batches, read from JSON with bounded memory.
//!
//! A batch is `{"country": "DE", "expires": RFC 3339, "kid": base64, "hashType": "UCI" |
//! "COUNTRYCODEUCI" | "SIGNATURE", "entries": [{"hash": base64 of 16 bytes}], "date"?: RFC 3339}`.
//! A file holds one batch, a JSON array of batches, or `{"batches": [...]}`. Entries are read
//! one at a time, counted against [`crate::limits::MAX_REVOCATION_ENTRIES`] as they come, so a
//! hostile file stops early instead of growing a document tree. A malformed batch is an
//! [`Error::RevocationBatch`] naming it (its number, from 1, and its country when known).

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use base64::engine::{general_purpose, DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::hash::HASH_LEN;
use super::HashType;
use crate::error::{Error, Result};
use crate::limits::{
    MAX_REVOCATION_BATCHES, MAX_REVOCATION_ENTRIES, MAX_REVOCATION_FILE_LEN, MAX_REVOCATION_KID_LEN,
};
use crate::time::parse_rfc3339;

/// One revocation batch: which signer, which hash type, until when, and the hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The issuing country, ISO 3166-1 alpha-2.
    pub country: String,
    /// When the batch stops applying (unix seconds): it is ignored at later validation times.
    pub expires: i64,
    /// When the batch was published (unix seconds), when the file says.
    pub date: Option<i64>,
    /// The signing certificate's key identifier.
    pub kid: Vec<u8>,
    /// What the entries are hashes of.
    pub hash_type: HashType,
    /// The first 8 bytes of each 16-byte entry, big-endian: see the store's note on truncation.
    pub hashes: Vec<u64>,
}

/// The first 8 bytes of a revocation hash, as the store keeps it.
pub fn prefix(hash: &[u8; HASH_LEN]) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    u64::from_be_bytes(first)
}

/// Standard base64, with or without padding (gateway exports differ).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Reads the batches of a gateway JSON file: one batch, an array of batches, or
/// `{"batches": [...]}`.
pub fn read_batches(bytes: &[u8]) -> Result<Vec<Batch>> {
    if bytes.len() > MAX_REVOCATION_FILE_LEN {
        return Err(Error::RevocationListTooLarge(format!(
            "the file is {} bytes, more than {MAX_REVOCATION_FILE_LEN}",
            bytes.len()
        )));
    }
    let state = RefCell::new(State::default());
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let outcome = FileSeed(&state)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    let state = state.into_inner();
    match (outcome, state.problem) {
        // A batch's own error says more than serde's wrapping of it.
        (_, Some(problem)) => Err(problem),
        (Err(error), None) => Err(Error::RevocationListFormat(error.to_string())),
        (Ok(()), None) if state.batches.is_empty() => Err(Error::RevocationListFormat(
            "the file holds no revocation batch".into(),
        )),
        (Ok(()), None) => Ok(state.batches),
    }
}

#[derive(Default)]
struct State {
    batches: Vec<Batch>,
    entries: usize,
    problem: Option<Error>,
}

impl State {
    /// Records why reading stopped and returns serde's error that unwinds the parser.
    fn fail<E: serde::de::Error>(&mut self, problem: Error) -> E {
        let message = problem.to_string();
        self.problem.get_or_insert(problem);
        E::custom(message)
    }
}

/// A batch's fields as they arrive, in any order.
#[derive(Default)]
struct PartialBatch {
    country: Option<String>,
    expires: Option<String>,
    date: Option<String>,
    kid: Option<String>,
    hash_type: Option<String>,
    hashes: Option<Vec<u64>>,
}

impl PartialBatch {
    /// Reads `key`'s value when it is a batch field; `false` when it is not one.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        state: &RefCell<State>,
        number: usize,
    ) -> std::result::Result<bool, A::Error> {
        match key {
            "country" => self.country = Some(map.next_value()?),
            "expires" => self.expires = Some(map.next_value()?),
            "date" => self.date = map.next_value()?,
            "kid" => self.kid = Some(map.next_value()?),
            "hashType" => self.hash_type = Some(map.next_value()?),
            "entries" => {
                self.hashes = Some(map.next_value_seed(EntriesSeed {
                    state,
                    number,
                    country: self.country.as_deref(),
                })?)
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn finish(self, number: usize) -> Result<Batch> {
        let country = self.country.clone();
        let problem = |problem: String| Error::RevocationBatch {
            batch: number,
            country: country.clone(),
            problem,
        };
        let missing = |field: &str| problem(format!("it has no \"{field}\""));
        let country = self.country.clone().ok_or_else(|| missing("country"))?;
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(problem(format!(
                "\"{}\" is not a two-letter country code",
                shorten(&country)
            )));
        }
        let expires_text = self.expires.ok_or_else(|| missing("expires"))?;
        let expires = parse_rfc3339(&expires_text).ok_or_else(|| {
            problem(format!(
                "its expiry \"{}\" is not an RFC 3339 time",
                shorten(&expires_text)
            ))
        })?;
        let date = match self.date {
            Some(text) => Some(parse_rfc3339(&text).ok_or_else(|| {
                problem(format!(
                    "its date \"{}\" is not an RFC 3339 time",
                    shorten(&text)
                ))
            })?),
            None => None,
        };
        let kid_text = self.kid.ok_or_else(|| missing("kid"))?;
        let kid = BASE64
            .decode(kid_text.as_bytes())
            .ok()
            .filter(|kid| !kid.is_empty() && kid.len() <= MAX_REVOCATION_KID_LEN)
            .ok_or_else(|| {
                problem(format!(
                    "its kid \"{}\" is not base64 of 1 to {MAX_REVOCATION_KID_LEN} bytes",
                    shorten(&kid_text)
                ))
            })?;
        let type_name = self.hash_type.ok_or_else(|| missing("hashType"))?;
        let hash_type = HashType::from_name(&type_name).ok_or_else(|| {
            problem(format!(
                "its hash type \"{}\" is none of UCI, COUNTRYCODEUCI, SIGNATURE",
                shorten(&type_name)
            ))
        })?;
        let hashes = self.hashes.ok_or_else(|| missing("entries"))?;
        Ok(Batch {
            country,
            expires,
            date,
            kid,
            hash_type,
            hashes,
        })
    }
}

/// At most a few dozen characters of a hostile value, for a message.
fn shorten(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(40) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// The whole file: a batch, an array of batches, or `{"batches": [...]}`.
struct FileSeed<'s>(&'s RefCell<State>);

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a revocation batch, an array of batches or {\"batches\": [...]}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        BatchesSeed(self.0).visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let number = 1;
        let mut single = PartialBatch::default();
        let mut is_batch = false;
        let mut has_batches = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "batches" {
                map.next_value_seed(BatchesSeed(self.0))?;
                has_batches = true;
            } else if single.read_field(&key, &mut map, self.0, number)? {
                is_batch = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if is_batch || !has_batches {
            push_batch(self.0, single, number)?;
        }
        Ok(())
    }
}

fn push_batch<E: serde::de::Error>(
    state: &RefCell<State>,
    batch: PartialBatch,
    number: usize,
) -> std::result::Result<(), E> {
    let mut state = state.borrow_mut();
    match batch.finish(number) {
        Ok(batch) => {
            state.batches.push(batch);
            Ok(())
        }
        Err(problem) => Err(state.fail(problem)),
    }
}

/// An array of batches.
struct BatchesSeed<'s>(&'s RefCell<State>);

impl<'de> DeserializeSeed<'de> for BatchesSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for BatchesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of revocation batches")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        loop {
            let number = self.0.borrow().batches.len() + 1;
            if number > MAX_REVOCATION_BATCHES {
                // Only when another batch follows.
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    return Ok(());
                }
                return Err(self
                    .0
                    .borrow_mut()
                    .fail(Error::RevocationListTooLarge(format!(
                        "more than {MAX_REVOCATION_BATCHES} batches"
                    ))));
            }
            if seq
                .next_element_seed(BatchSeed {
                    state: self.0,
                    number,
                })?
                .is_none()
            {
                return Ok(());
            }
        }
    }
}

/// One batch of an array.
struct BatchSeed<'s> {
    state: &'s RefCell<State>,
    number: usize,
}

impl<'de> DeserializeSeed<'de> for BatchSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BatchSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "revocation batch {} as an object", self.number)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut batch = PartialBatch::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if !batch.read_field(&key, &mut map, self.state, self.number)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        push_batch(self.state, batch, self.number)
    }
}

/// A batch's entries, decoded and counted one by one.
struct EntriesSeed<'s, 'c> {
    state: &'s RefCell<State>,
    number: usize,
    country: Option<&'c str>,
}

impl EntriesSeed<'_, '_> {
    fn fail<E: serde::de::Error>(&self, problem: String) -> E {
        self.state.borrow_mut().fail(Error::RevocationBatch {
            batch: self.number,
            country: self.country.map(str::to_owned),
            problem,
        })
    }
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_, '_> {
    type Value = Vec<u64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<u64>, D::Error> {
        d.deserialize_seq(self)
    }
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    hash: Cow<'a, str>,
}

impl<'de> Visitor<'de> for EntriesSeed<'_, '_> {
    type Value = Vec<u64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of entries {\"hash\": base64}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<u64>, A::Error> {
        let mut hashes = Vec::new();
        while let Some(entry) = seq.next_element::<Entry<'de>>()? {
            {
                let mut state = self.state.borrow_mut();
                if state.entries >= MAX_REVOCATION_ENTRIES {
                    return Err(state.fail(Error::RevocationListTooLarge(format!(
                        "more than {MAX_REVOCATION_ENTRIES} entries"
                    ))));
                }
                state.entries += 1;
            }
            // 16 bytes are 24 base64 characters; anything much longer is not a hash.
            let mut decoded = [0u8; 24];
            let len = (entry.hash.len() <= 32)
                .then(|| {
                    BASE64
                        .decode_slice(entry.hash.as_bytes(), &mut decoded)
                        .ok()
                })
                .flatten();
            match len {
                Some(HASH_LEN) => {
                    let mut hash = [0u8; HASH_LEN];
                    hash.copy_from_slice(&decoded[..HASH_LEN]);
                    hashes.push(prefix(&hash));
                }
                Some(len) => {
                    return Err(self.fail(format!(
                        "entry {} is {len} bytes, not a {HASH_LEN}-byte hash",
                        hashes.len() + 1
                    )))
                }
                None => {
                    return Err(self.fail(format!(
                        "entry {} (\"{}\") is not base64 of a {HASH_LEN}-byte hash",
                        hashes.len() + 1,
                        shorten(&entry.hash)
                    )))
                }
            }
        }
        Ok(hashes)
    }
}

/// Standard base64 of bytes, as the gateway writes kids and hashes.
pub fn encode(bytes: &[u8]) -> String {
    general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KID: &str = "AQIDBAUGBwg=";
    const HASH: &str = "AAECAwQFBgcICQoLDA0ODw==";

    fn batch(country: &str, hash_type: &str, entries: &str) -> String {
        format!(
            r#"{{"country":"{country}","expires":"2030-01-01T00:00:00Z","kid":"{KID}","hashType":"{hash_type}","entries":[{entries}]}}"#
        )
    }

    #[test]
    fn reads_the_three_shapes() {
        let one = batch("DE", "UCI", &format!(r#"{{"hash":"{HASH}"}}"#));
        for file in [
            one.clone(),
            format!("[{one},{one}]"),
            format!(r#"{{"more":false,"batches":[{one}]}}"#),
        ] {
            let batches = read_batches(file.as_bytes()).expect(&file);
            assert!(!batches.is_empty());
            assert_eq!(batches[0].kid, [1, 2, 3, 4, 5, 6, 7, 8]);
            assert_eq!(batches[0].hashes, [0x0001_0203_0405_0607]);
            assert_eq!(batches[0].hash_type, HashType::Uci);
        }
    }

    #[test]
    fn a_malformed_batch_is_named() {
        let good = batch("DE", "UCI", "");
        let bad = batch("FR", "CRC32", "");
        let error = read_batches(format!("[{good},{bad}]").as_bytes()).unwrap_err();
        assert!(
            matches!(&error, Error::RevocationBatch { batch: 2, country: Some(c), .. } if c == "FR"),
            "{error:?}"
        );
        assert!(error.to_string().contains("CRC32"), "{error}");
    }
}
