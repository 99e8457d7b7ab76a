//! Revocation: the EU DCC revocation scheme (eHealth Network, 2022), offline.
//!
//! An issuer withdraws a certificate by publishing, per signing key (kid), batches of hashes
//! that identify it. A batch uses one of three hash types ([`HashType`]); each entry is the
//! first 16 bytes of a SHA-256 ([`hash`]). Batches come as the EU gateway's JSON ([`batch`]) or
//! as the compact form the page loads ([`compact`]); both load into a [`RevocationList`]
//! (`store`), keyed by (kid, hash type), with sorted hashes searched by bisection.
//!
//! The list is data, never a check: `checks::revocation` reads it.

pub mod batch;
pub mod compact;
pub mod hash;
mod store;

pub use batch::{read_batches, Batch};
pub use store::{BatchInfo, Finding, RevocationList, Subject};

/// What a batch's entries are hashes of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HashType {
    /// The certificate identifier `ci`, UTF-8.
    #[default]
    Uci,
    /// The issuing country (the CWT claim `iss`) followed by `ci`, UTF-8: see [`hash`].
    CountryCodeUci,
    /// The COSE signature: for ES256 its first half (r), for other algorithms all of it.
    Signature,
}

impl HashType {
    /// Every hash type, in the order a certificate is looked up.
    pub const ALL: [HashType; 3] = [HashType::Uci, HashType::CountryCodeUci, HashType::Signature];

    /// The gateway's name: `UCI`, `COUNTRYCODEUCI` or `SIGNATURE`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashType::Uci => "UCI",
            HashType::CountryCodeUci => "COUNTRYCODEUCI",
            HashType::Signature => "SIGNATURE",
        }
    }

    /// The hash type of a gateway name.
    pub fn from_name(name: &str) -> Option<HashType> {
        HashType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The number the compact form writes.
    pub(crate) fn to_byte(self) -> u8 {
        match self {
            HashType::Uci => 0,
            HashType::CountryCodeUci => 1,
            HashType::Signature => 2,
        }
    }

    /// The hash type of a number of the compact form.
    pub(crate) fn from_byte(byte: u8) -> Option<HashType> {
        HashType::ALL.into_iter().find(|t| t.to_byte() == byte)
    }
}

impl std::fmt::Display for HashType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
