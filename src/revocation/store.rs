//! [`RevocationList`]: the loaded batches, ordered by (kid, hash type), each with sorted hashes.
//!
//! Batches with the same kid, hash type, country, expiry and date are merged on loading, so a
//! lookup bisects to the kid's batches and then bisects each one's hashes (a signer has one
//! batch per hash type and expiry, however many 1,000-entry batches the gateway cut). The
//! compact form is written in this order, so the page loads it without sorting: the wasm carries
//! no sort code for it.
//!
//! **Truncation.** The store keeps the first 8 bytes of each 16-byte hash. A certificate that
//! is not on a list of `n` entries matches one by chance with probability about `n / 2^64` per
//! hash type: for 10⁶ entries, 5.4 × 10⁻¹⁴ (1.6 × 10⁻¹³ over the three types). The compact form
//! the page loads ([`super::compact`]) writes the same 8 bytes, so the CLI and the page give the
//! same answers.

use super::batch::{prefix, Batch};
use super::{hash, HashType};
use crate::decode::cose::Algorithm;
use crate::error::{Error, Result};

/// What the list knows of one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchInfo {
    /// The issuing country, ISO 3166-1 alpha-2.
    pub country: String,
    /// When the batch stops applying (unix seconds).
    pub expires: i64,
    /// When it was published (unix seconds), when known.
    pub date: Option<i64>,
    /// The signing certificate's key identifier.
    pub kid: Vec<u8>,
    /// What its entries are hashes of.
    pub hash_type: HashType,
    /// Its number of distinct entries.
    pub entries: usize,
}

/// What a certificate offers to the lookup: its kid and what its hashes are made of.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The kid from the COSE header.
    pub kid: Option<&'a [u8]>,
    /// The certificate identifier `ci` of its entry.
    pub ci: Option<&'a str>,
    /// The CWT issuer claim `iss`.
    pub iss: Option<&'a str>,
    /// The signature algorithm.
    pub alg: Option<&'a Algorithm>,
    /// The COSE signature.
    pub signature: &'a [u8],
}

/// The answer of a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// No revocation list is loaded.
    NoList,
    /// The certificate carries no kid to look up.
    NoKid,
    /// No batch is for this certificate's signer.
    NotCovered,
    /// Batches are for this signer, but all expired before the validation time.
    AllExpired {
        /// How many were ignored.
        ignored: usize,
        /// The latest of their expiry times.
        latest: i64,
    },
    /// Batches are for this signer, but of hash types the certificate cannot give (no `ci`).
    Uncheckable,
    /// A live batch lists one of the certificate's hashes.
    Revoked {
        /// The hash type that matched.
        hash_type: HashType,
        /// The batch's country.
        country: String,
        /// The batch's expiry (unix seconds).
        expires: i64,
    },
    /// Live batches for this signer were searched and none lists the certificate.
    Clear {
        /// How many live batches were searched.
        batches: usize,
        /// Their hash types.
        hash_types: Vec<HashType>,
        /// Countries of the batches searched.
        countries: Vec<String>,
        /// Expired batches for this signer that were ignored.
        ignored: usize,
    },
}

/// Loaded revocation batches, searchable by a certificate's kid and hashes.
#[derive(Debug, Clone, Default)]
pub struct RevocationList {
    /// Sorted by (kid, hash type); one per (kid, hash type, country, expires, date).
    batches: Vec<BatchInfo>,
    /// Each batch's hashes, strictly ascending.
    hashes: Vec<Vec<u64>>,
}

/// The order of the store and of the compact form.
fn key(batch: &Batch) -> (&[u8], HashType, &str, i64, Option<i64>) {
    (
        &batch.kid,
        batch.hash_type,
        &batch.country,
        batch.expires,
        batch.date,
    )
}

impl RevocationList {
    /// An empty list: every lookup answers [`Finding::NoList`].
    pub const fn new() -> Self {
        RevocationList {
            batches: Vec::new(),
            hashes: Vec::new(),
        }
    }

    /// Loads a file: the gateway's JSON batches or the compact form (detected from the content).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if super::compact::is_compact(bytes) {
            Self::from_compact(bytes)
        } else {
            Ok(Self::from_batches(super::batch::read_batches(bytes)?))
        }
    }

    /// Loads the compact form only (the page's): it is already in the store's order, so loading
    /// checks that order instead of sorting, and the wasm carries neither a sort nor the JSON
    /// reader.
    pub fn from_compact(bytes: &[u8]) -> Result<Self> {
        Self::from_ordered(super::compact::read(bytes)?)
    }

    /// Builds the store from batches in any order: sorted, same-key batches merged, hashes
    /// sorted and deduplicated.
    pub fn from_batches(mut batches: Vec<Batch>) -> Self {
        batches.sort_by(|a, b| key(a).cmp(&key(b)));
        let mut merged: Vec<Batch> = Vec::with_capacity(batches.len());
        for batch in batches {
            match merged.last_mut() {
                Some(last) if key(last) == key(&batch) => last.hashes.extend(batch.hashes),
                _ => merged.push(batch),
            }
        }
        for batch in &mut merged {
            batch.hashes.sort_unstable();
            batch.hashes.dedup();
        }
        // In order by construction.
        Self::from_ordered(merged).unwrap_or_default()
    }

    /// Builds the store from batches already in its order, with strictly ascending hashes;
    /// anything else is an error naming the batch.
    fn from_ordered(batches: Vec<Batch>) -> Result<Self> {
        let mut list = RevocationList::new();
        for (index, batch) in batches.into_iter().enumerate() {
            let problem = |problem: &str| Error::RevocationBatch {
                batch: index + 1,
                country: Some(batch.country.clone()),
                problem: problem.to_owned(),
            };
            if !batch.hashes.windows(2).all(|pair| pair[0] < pair[1]) {
                return Err(problem("its hashes are not in ascending order"));
            }
            let info = BatchInfo {
                country: batch.country.clone(),
                expires: batch.expires,
                date: batch.date,
                kid: batch.kid.clone(),
                hash_type: batch.hash_type,
                entries: batch.hashes.len(),
            };
            if let Some(previous) = list.batches.last() {
                let previous_key = (
                    previous.kid.as_slice(),
                    previous.hash_type,
                    previous.country.as_str(),
                    previous.expires,
                    previous.date,
                );
                if previous_key >= key(&batch) {
                    return Err(problem("the batches are not in the compact form's order"));
                }
            }
            list.batches.push(info);
            list.hashes.push(batch.hashes);
        }
        Ok(list)
    }

    /// The batches back, each with its sorted hashes (for the compact form and merging).
    pub fn to_batches(&self) -> Vec<Batch> {
        self.batches
            .iter()
            .zip(&self.hashes)
            .map(|(info, hashes)| Batch {
                country: info.country.clone(),
                expires: info.expires,
                date: info.date,
                kid: info.kid.clone(),
                hash_type: info.hash_type,
                hashes: hashes.clone(),
            })
            .collect()
    }

    /// A list holding the batches of both.
    pub fn merged(&self, other: &RevocationList) -> RevocationList {
        let mut batches = self.to_batches();
        batches.extend(other.to_batches());
        Self::from_batches(batches)
    }

    /// Every batch loaded (same-key batches of a file merged).
    pub fn batches(&self) -> &[BatchInfo] {
        &self.batches
    }

    /// Distinct entries, over all batches.
    pub fn len(&self) -> usize {
        self.hashes.iter().map(Vec::len).sum()
    }

    /// Whether no batch is loaded.
    pub fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }

    /// The countries with at least one batch, sorted.
    pub fn countries(&self) -> Vec<String> {
        let mut countries: Vec<String> = Vec::new();
        for batch in &self.batches {
            // Kept sorted by insertion: a handful of countries, and no sort code in the wasm.
            if let Err(at) = countries.binary_search(&batch.country) {
                countries.insert(at, batch.country.clone());
            }
        }
        countries
    }

    /// The latest publication date of any batch (unix seconds), when the files give one.
    pub fn latest_date(&self) -> Option<i64> {
        self.batches.iter().filter_map(|batch| batch.date).max()
    }

    /// The earliest expiry of any batch (unix seconds): after it, part of the list is ignored.
    pub fn earliest_expiry(&self) -> Option<i64> {
        self.batches.iter().map(|batch| batch.expires).min()
    }

    /// Looks a certificate up at validation time `now`: batches that expired before `now` are
    /// ignored.
    pub fn check(&self, subject: &Subject<'_>, now: i64) -> Finding {
        if self.is_empty() {
            return Finding::NoList;
        }
        let Some(kid) = subject.kid else {
            return Finding::NoKid;
        };
        let start = self.batches.partition_point(|b| b.kid.as_slice() < kid);
        let end = start + self.batches[start..].partition_point(|b| b.kid.as_slice() == kid);
        if start == end {
            return Finding::NotCovered;
        }
        // Each hash type's hash, computed when a live batch of that type is met.
        let mut wanted: [Option<Option<u64>>; 3] = [None; 3];
        let mut searched = 0;
        let mut ignored = 0;
        let mut latest_ignored = i64::MIN;
        let mut hash_types: Vec<HashType> = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        for (batch, hashes) in self.batches[start..end]
            .iter()
            .zip(&self.hashes[start..end])
        {
            if batch.expires < now {
                ignored += 1;
                latest_ignored = latest_ignored.max(batch.expires);
                continue;
            }
            if !countries.contains(&batch.country) {
                countries.push(batch.country.clone());
            }
            let slot = &mut wanted[usize::from(batch.hash_type.to_byte())];
            let hash = *slot.get_or_insert_with(|| {
                hash::of_type(
                    batch.hash_type,
                    subject.ci,
                    subject.iss,
                    subject.alg,
                    subject.signature,
                )
                .map(|hash| prefix(&hash))
            });
            let Some(hash) = hash else {
                continue;
            };
            if hashes.binary_search(&hash).is_ok() {
                return Finding::Revoked {
                    hash_type: batch.hash_type,
                    country: batch.country.clone(),
                    expires: batch.expires,
                };
            }
            searched += 1;
            if !hash_types.contains(&batch.hash_type) {
                hash_types.push(batch.hash_type);
            }
        }
        if searched > 0 {
            Finding::Clear {
                batches: searched,
                hash_types,
                countries,
                ignored,
            }
        } else if ignored > 0 && countries.is_empty() {
            Finding::AllExpired {
                ignored,
                latest: latest_ignored,
            }
        } else {
            Finding::Uncheckable
        }
    }
}
