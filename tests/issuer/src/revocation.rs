//! Revocation batches as an issuer publishes them to the EU gateway: per signing key (kid) and
//! hash type, the first 16 bytes of SHA-256 of what identifies each withdrawn certificate.
//!
//! Computed here from how each certificate was made (its `ci`, its CWT `iss`, its signature),
//! independently of the verifier:
//! - `UCI`: SHA-256 of `ci`;
//! - `COUNTRYCODEUCI`: SHA-256 of the CWT issuer `iss` followed by `ci` (the reference apps'
//!   reading of the scheme; the entry's `co` plays no part);
//! - `SIGNATURE`: SHA-256 of the COSE signature, for ES256 only its first half (r).

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::cert::Issued;
use crate::dsc::Dsc;
use crate::keys::ES256;
use crate::{b64, rfc3339};

/// What a batch's entries are hashes of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashType {
    /// `ci`.
    Uci,
    /// `iss` then `ci`.
    CountryCodeUci,
    /// The signature (r only for ES256).
    Signature,
}

impl HashType {
    /// The gateway's name.
    pub fn name(self) -> &'static str {
        match self {
            HashType::Uci => "UCI",
            HashType::CountryCodeUci => "COUNTRYCODEUCI",
            HashType::Signature => "SIGNATURE",
        }
    }
}

fn first16(data: &[u8]) -> [u8; 16] {
    let digest = Sha256::digest(data);
    let mut hash = [0u8; 16];
    hash.copy_from_slice(&digest[..16]);
    hash
}

/// A certificate's revocation hash of one type: `iss` and `ci` as it was issued with, `alg` the
/// COSE algorithm it was signed with.
pub fn revocation_hash(
    hash_type: HashType,
    issued: &Issued,
    alg: i64,
    iss: &str,
    ci: &str,
) -> [u8; 16] {
    match hash_type {
        HashType::Uci => first16(ci.as_bytes()),
        HashType::CountryCodeUci => first16(format!("{iss}{ci}").as_bytes()),
        HashType::Signature if alg == ES256 => {
            first16(&issued.signature[..issued.signature.len() / 2])
        }
        HashType::Signature => first16(&issued.signature),
    }
}

/// One gateway batch for a DSC.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The DSC whose certificates it withdraws.
    pub kid: [u8; 8],
    /// The issuing country.
    pub country: String,
    /// What the entries are hashes of.
    pub hash_type: HashType,
    /// When it stops applying (unix seconds).
    pub expires: i64,
    /// The hashes.
    pub entries: Vec<[u8; 16]>,
}

impl Batch {
    /// An empty batch for `dsc`.
    pub fn new(dsc: &Dsc, hash_type: HashType, expires: i64) -> Self {
        Batch {
            kid: dsc.kid(),
            country: dsc.country().to_owned(),
            hash_type,
            expires,
            entries: Vec::new(),
        }
    }

    /// Adds `count` hashes of no certificate (as real batches hold other people's entries),
    /// derived from `seed`.
    pub fn filler(mut self, seed: &str, count: usize) -> Self {
        for i in 0..count {
            self.entries.push(first16(format!("{seed}/{i}").as_bytes()));
        }
        self
    }

    /// The batch as the gateway serves it.
    pub fn json(&self) -> Value {
        let entries: Vec<Value> = self
            .entries
            .iter()
            .map(|hash| json!({ "hash": b64(hash) }))
            .collect();
        json!({
            "kid": b64(&self.kid),
            "country": self.country,
            "hashType": self.hash_type.name(),
            "expires": rfc3339(self.expires),
            "entries": entries,
        })
    }
}

/// A gateway file of batches: `{"batches": [...]}`.
pub fn batches_file(batches: &[Batch]) -> Vec<u8> {
    let batches: Vec<Value> = batches.iter().map(Batch::json).collect();
    let mut bytes =
        serde_json::to_vec_pretty(&json!({ "batches": batches })).expect("JSON of plain data");
    bytes.push(b'\n');
    bytes
}
