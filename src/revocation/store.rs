//! [`RevocationList`]: the loaded batches, keyed by (kid, hash type), with sorted hashes.
//!
//! **Truncation.** The store keeps the first 8 bytes of each 16-byte hash. A certificate that
//! is not on a list of `n` entries matches one by chance with probability about `n / 2^64` per
//! hash type: for 10⁶ entries, 5.4 × 10⁻¹⁴ (1.6 × 10⁻¹³ over the three types). The compact form
//! the page loads ([`super::compact`]) writes the same 8 bytes, so the CLI and the page give the
//! same answers.

use super::batch::{prefix, Batch};
use super::{hash, HashType};
use crate::decode::cose::Algorithm;
use crate::error::Result;

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

/// The hashes of every batch for one (kid, hash type), sorted, with the batch of each.
#[derive(Debug, Clone, Default)]
struct Group {
    kid: Vec<u8>,
    hash_type: HashType,
    hashes: Vec<u64>,
    /// Index into [`RevocationList::batches`] of each hash, in the same order.
    batch_of: Vec<u32>,
    /// Indices of the group's batches.
    members: Vec<u32>,
}

/// Loaded revocation batches, searchable by a certificate's kid and hashes.
#[derive(Debug, Clone, Default)]
pub struct RevocationList {
    batches: Vec<BatchInfo>,
    /// Sorted by (kid, hash type).
    groups: Vec<Group>,
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

impl RevocationList {
    /// An empty list: every lookup answers [`Finding::NoList`].
    pub const fn new() -> Self {
        RevocationList {
            batches: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// Loads a file: the gateway's JSON batches or the compact form (detected from the content).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let batches = if super::compact::is_compact(bytes) {
            super::compact::read(bytes)?
        } else {
            super::batch::read_batches(bytes)?
        };
        Ok(Self::from_batches(batches))
    }

    /// Loads the compact form only (the page's: its reader is a few hundred bytes of wasm, where
    /// the gateway JSON reader would cost kilobytes of the verifier's budget).
    pub fn from_compact(bytes: &[u8]) -> Result<Self> {
        Ok(Self::from_batches(super::compact::read(bytes)?))
    }

    /// Builds the store: batches grouped by (kid, hash type), hashes sorted, duplicates dropped.
    pub fn from_batches(batches: Vec<Batch>) -> Self {
        let mut order: Vec<usize> = (0..batches.len()).collect();
        order.sort_by(|&a, &b| {
            (&batches[a].kid, batches[a].hash_type).cmp(&(&batches[b].kid, batches[b].hash_type))
        });
        let mut infos: Vec<BatchInfo> = Vec::with_capacity(batches.len());
        let mut groups: Vec<Group> = Vec::new();
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        let mut batches: Vec<Option<Batch>> = batches.into_iter().map(Some).collect();
        let flush = |pairs: &mut Vec<(u64, u32)>, group: Option<Group>, groups: &mut Vec<Group>| {
            if let Some(mut group) = group {
                pairs.sort_unstable();
                pairs.dedup();
                group.hashes = pairs.iter().map(|&(hash, _)| hash).collect();
                group.batch_of = pairs.iter().map(|&(_, batch)| batch).collect();
                groups.push(group);
            }
            pairs.clear();
        };
        let mut current: Option<Group> = None;
        for index in order {
            let Some(mut batch) = batches[index].take() else {
                continue;
            };
            let same = current
                .as_ref()
                .is_some_and(|g| g.kid == batch.kid && g.hash_type == batch.hash_type);
            if !same {
                flush(&mut pairs, current.take(), &mut groups);
                current = Some(Group {
                    kid: batch.kid.clone(),
                    hash_type: batch.hash_type,
                    ..Group::default()
                });
            }
            batch.hashes.sort_unstable();
            batch.hashes.dedup();
            // Batch counts are bounded far below u32::MAX (limits::MAX_REVOCATION_BATCHES).
            let batch_index = u32::try_from(infos.len()).unwrap_or(u32::MAX);
            pairs.extend(batch.hashes.iter().map(|&hash| (hash, batch_index)));
            if let Some(group) = current.as_mut() {
                group.members.push(batch_index);
            }
            infos.push(BatchInfo {
                country: batch.country,
                expires: batch.expires,
                date: batch.date,
                kid: batch.kid,
                hash_type: batch.hash_type,
                entries: batch.hashes.len(),
            });
        }
        flush(&mut pairs, current.take(), &mut groups);
        RevocationList {
            batches: infos,
            groups,
        }
    }

    /// The batches back, each with its sorted hashes (for the compact form and merging).
    pub fn to_batches(&self) -> Vec<Batch> {
        let mut batches: Vec<Batch> = self
            .batches
            .iter()
            .map(|info| Batch {
                country: info.country.clone(),
                expires: info.expires,
                date: info.date,
                kid: info.kid.clone(),
                hash_type: info.hash_type,
                hashes: Vec::with_capacity(info.entries),
            })
            .collect();
        for group in &self.groups {
            for (&hash, &batch) in group.hashes.iter().zip(&group.batch_of) {
                if let Some(batch) = batches.get_mut(batch as usize) {
                    batch.hashes.push(hash);
                }
            }
        }
        batches
    }

    /// A list holding the batches of both.
    pub fn merged(&self, other: &RevocationList) -> RevocationList {
        let mut batches = self.to_batches();
        batches.extend(other.to_batches());
        Self::from_batches(batches)
    }

    /// Every batch loaded.
    pub fn batches(&self) -> &[BatchInfo] {
        &self.batches
    }

    /// Distinct entries, over all batches.
    pub fn len(&self) -> usize {
        self.batches.iter().map(|batch| batch.entries).sum()
    }

    /// Whether no batch is loaded.
    pub fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }

    /// The countries with at least one batch, sorted.
    pub fn countries(&self) -> Vec<String> {
        let mut countries: Vec<String> = self.batches.iter().map(|b| b.country.clone()).collect();
        countries.sort_unstable();
        countries.dedup();
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
        let start = self.groups.partition_point(|g| g.kid.as_slice() < kid);
        let groups: Vec<&Group> = self.groups[start..]
            .iter()
            .take_while(|g| g.kid.as_slice() == kid)
            .collect();
        if groups.is_empty() {
            return Finding::NotCovered;
        }
        let info = |batch: u32| self.batches.get(batch as usize);
        let mut searched = 0;
        let mut ignored = 0;
        let mut latest_ignored = i64::MIN;
        let mut hash_types = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        for group in groups {
            let mut live = 0;
            for batch in group.members.iter().filter_map(|&b| info(b)) {
                if batch.expires < now {
                    ignored += 1;
                    latest_ignored = latest_ignored.max(batch.expires);
                } else {
                    live += 1;
                    if !countries.contains(&batch.country) {
                        countries.push(batch.country.clone());
                    }
                }
            }
            if live == 0 {
                continue;
            }
            let Some(wanted) = hash::of_type(
                group.hash_type,
                subject.ci,
                subject.iss,
                subject.alg,
                subject.signature,
            ) else {
                continue;
            };
            let wanted = prefix(&wanted);
            let first = group.hashes.partition_point(|&h| h < wanted);
            let matched = group.hashes[first..]
                .iter()
                .zip(&group.batch_of[first..])
                .take_while(|(&h, _)| h == wanted)
                .find_map(|(_, &batch)| info(batch).filter(|b| b.expires >= now));
            if let Some(batch) = matched {
                return Finding::Revoked {
                    hash_type: group.hash_type,
                    country: batch.country.clone(),
                    expires: batch.expires,
                };
            }
            searched += live;
            hash_types.push(group.hash_type);
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
