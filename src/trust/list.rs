//! [`TrustList`] and its entries, [`Dsc`].

use crate::crypto::PublicKey;
use crate::dcc::CertType;

/// Which certificate types a DSC may sign (its extended key usage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyUsage {
    /// May sign test certificates.
    pub test: bool,
    /// May sign vaccination certificates.
    pub vaccination: bool,
    /// May sign recovery certificates.
    pub recovery: bool,
}

impl KeyUsage {
    /// A DSC without any DCC key-usage OID may sign all three types.
    pub const ALL: KeyUsage = KeyUsage {
        test: true,
        vaccination: true,
        recovery: true,
    };

    /// A key that may sign no certificate type at all.
    pub const NONE: KeyUsage = KeyUsage {
        test: false,
        vaccination: false,
        recovery: false,
    };

    /// The allowed types as letters, in the order `v`, `t`, `r` (the compact list's `ku`).
    pub fn letters(&self) -> String {
        [
            (self.vaccination, 'v'),
            (self.test, 't'),
            (self.recovery, 'r'),
        ]
        .into_iter()
        .filter_map(|(allowed, letter)| allowed.then_some(letter))
        .collect()
    }

    /// Allows certificates of this type too.
    pub fn allow(&mut self, cert_type: CertType) {
        match cert_type {
            CertType::Test => self.test = true,
            CertType::Vaccination => self.vaccination = true,
            CertType::Recovery => self.recovery = true,
        }
    }

    /// Whether a certificate of this type may be signed.
    pub fn allows(&self, cert_type: CertType) -> bool {
        match cert_type {
            CertType::Test => self.test,
            CertType::Vaccination => self.vaccination,
            CertType::Recovery => self.recovery,
        }
    }

    /// The allowed types in words, e.g. "test and recovery" (or "no").
    pub fn describe(&self) -> String {
        let names: Vec<&str> = [
            (self.vaccination, "vaccination"),
            (self.test, "test"),
            (self.recovery, "recovery"),
        ]
        .into_iter()
        .filter_map(|(allowed, name)| allowed.then_some(name))
        .collect();
        match names.as_slice() {
            [] => "no".to_owned(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }
}

/// One document signing certificate (DSC), or the key and metadata a trust list gives for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsc {
    /// Key identifier: the first 8 bytes of SHA-256 of the certificate's DER (or what the list says).
    pub kid: Vec<u8>,
    /// The issuing country (ISO 3166-1 alpha-2), when known.
    pub country: Option<String>,
    /// The certificate's subject, as text (e.g. "C=VN, O=Ministry of Health, CN=..."), when known.
    pub subject: Option<String>,
    /// Start of validity (unix seconds), when known.
    pub not_before: Option<i64>,
    /// End of validity (unix seconds), when known.
    pub not_after: Option<i64>,
    /// The certificate types this DSC may sign.
    pub key_usage: KeyUsage,
    /// The signing key.
    pub key: PublicKey,
    /// Whether this is a demo key: one of the project's test issuer ([`super::demo`]), or from
    /// a list that calls itself demo. A certificate it signs must be marked DEMO.
    pub demo: bool,
}

/// An entry of a trust-list file that could not be used, and why. Serialises as
/// `{ entry, kid, reason }`, the shape the JS API gives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SkippedEntry {
    /// Position of the entry in its file (0-based), or its key in a keyed format.
    pub entry: String,
    /// The kid the entry claimed, base64, when it had one.
    pub kid: Option<String>,
    /// Why it was skipped, in words.
    pub reason: String,
}

/// The signing certificates a verifier trusts. [`TrustList::find`] scans them for a kid: a list
/// holds hundreds of keys and a verification looks up one kid, so a scan costs microseconds.
#[derive(Debug, Clone, Default)]
pub struct TrustList {
    pub(crate) dscs: Vec<Dsc>,
    pub(crate) skipped: Vec<SkippedEntry>,
    /// The list's name, when its file gives one (compact format).
    pub(crate) name: Option<String>,
    /// When the list was generated (RFC 3339), when its file says (compact format).
    pub(crate) generated: Option<String>,
    /// SMART Health Card issuers and their revocation lists.
    pub(crate) shc: super::shc::ShcDirectory,
    /// CSCAs and their CRLs, for ICAO VDS-NC seals.
    pub(crate) csca: super::csca::CscaStore,
}

impl TrustList {
    /// An empty trust list: every certificate checked against it is from an unknown signer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one DSC. A key of the project's test issuer is marked demo whatever the list said
    /// ([`super::demo`]).
    pub fn push(&mut self, mut dsc: Dsc) {
        dsc.demo |= super::demo::is_demo_key(&dsc.key);
        self.dscs.push(dsc);
    }

    /// Records an entry that could not be used.
    pub fn push_skipped(&mut self, skipped: SkippedEntry) {
        self.skipped.push(skipped);
    }

    /// Adds every DSC (and skipped entry) of `other`. The name and generation time stay this
    /// list's, or become `other`'s where this list has none.
    pub fn merge(&mut self, other: TrustList) {
        self.dscs.extend(other.dscs);
        self.skipped.extend(other.skipped);
        self.name = self.name.take().or(other.name);
        self.generated = self.generated.take().or(other.generated);
        self.shc.merge(other.shc);
        self.csca.merge(other.csca);
    }

    /// The SMART Health Card issuers and revocation lists loaded.
    pub fn shc(&self) -> &super::shc::ShcDirectory {
        &self.shc
    }

    /// The CSCAs and CRLs loaded (for ICAO VDS-NC seals).
    pub fn csca(&self) -> &super::csca::CscaStore {
        &self.csca
    }

    /// The list's name, when its file gives one (the compact format does).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// When the list was generated (RFC 3339 text), when its file says (the compact format does).
    pub fn generated(&self) -> Option<&str> {
        self.generated.as_deref()
    }

    /// Every DSC whose kid is `kid`. Several DSCs may share a kid; each must be tried.
    pub fn find<'a>(&'a self, kid: &'a [u8]) -> impl Iterator<Item = &'a Dsc> + 'a {
        self.dscs.iter().filter(move |dsc| dsc.kid == kid)
    }

    /// All DSCs.
    pub fn dscs(&self) -> &[Dsc] {
        &self.dscs
    }

    /// The entries that were skipped while loading, with their reasons.
    pub fn skipped(&self) -> &[SkippedEntry] {
        &self.skipped
    }

    /// Number of usable DSCs.
    pub fn len(&self) -> usize {
        self.dscs.len()
    }

    /// Whether the list holds no usable DSC.
    pub fn is_empty(&self) -> bool {
        self.dscs.is_empty()
    }

    /// The countries with at least one DSC, sorted, without duplicates.
    pub fn countries(&self) -> Vec<String> {
        let mut countries: Vec<String> = self
            .dscs
            .iter()
            .filter_map(|dsc| dsc.country.clone())
            .collect();
        countries.sort();
        countries.dedup();
        countries
    }
}
