//! [`Verifier`]: what a verification needs besides the certificate, held in one place.
//!
//! Today that is trust (the signing certificates, from any number of trust-list files) and
//! revocation lists. Rule sets and the trust of other certificate formats will be added to it the
//! same way (`add_…` methods), so code written against it keeps working as it grows.

use crate::report::Report;
use crate::revocation::RevocationList;
use crate::trust::TrustList;
use crate::Result;

/// A verifier: the trust (and later revocation lists and rules) certificates are checked against.
///
/// ```
/// use dcc_verifier::{Status, Verifier};
///
/// let mut verifier = Verifier::new();
/// let qr_text = include_str!("../tests/fixtures/certs/es256_vaccination.txt");
/// let june_2026 = 1_780_272_000;
/// assert_eq!(verifier.verify(qr_text, june_2026).status, Status::UnknownSigner);
///
/// // A trust-list file in any supported format (here the gateway's DSC list).
/// verifier.add_trust(include_bytes!("../tests/fixtures/trust/dsc_list.json"))?;
/// assert_eq!(verifier.verify(qr_text, june_2026).status, Status::Valid);
/// assert!(verifier.add_trust(b"not a trust list").is_err());
/// # Ok::<(), dcc_verifier::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    trust: TrustList,
    revocation: RevocationList,
}

impl Verifier {
    /// A verifier that trusts no one yet: every certificate has an unknown signer.
    pub fn new() -> Self {
        Self::default()
    }

    /// This verifier, trusting also the signers of `list`.
    #[must_use]
    pub fn with_trust_list(mut self, list: TrustList) -> Self {
        self.add_trust_list(list);
        self
    }

    /// Trusts also the signers of a trust-list file (any supported format, detected from the
    /// content). Fails, and changes nothing, when the file cannot be read; malformed entries are
    /// skipped and listed in [`TrustList::skipped`] of [`Verifier::trust`].
    pub fn add_trust(&mut self, bytes: &[u8]) -> Result<()> {
        self.add_trust_list(TrustList::from_bytes(bytes)?);
        Ok(())
    }

    /// Trusts also the signers of `list`.
    pub fn add_trust_list(&mut self, list: TrustList) {
        self.trust.merge(list);
    }

    /// This verifier, also looking certificates up in `list` (the `revocation` check).
    #[must_use]
    pub fn with_revocation_list(mut self, list: RevocationList) -> Self {
        self.add_revocation_list(&list);
        self
    }

    /// Looks certificates up in the batches of `list` too: a certificate a live batch lists is
    /// revoked.
    pub fn add_revocation_list(&mut self, list: &RevocationList) {
        self.revocation = if self.revocation.is_empty() {
            list.clone()
        } else {
            self.revocation.merged(list)
        };
    }

    /// The revocation batches this verifier looks certificates up in.
    pub fn revocation(&self) -> &RevocationList {
        &self.revocation
    }

    /// Everything this verifier trusts.
    pub fn trust(&self) -> &TrustList {
        &self.trust
    }

    /// Verifies the text of a QR code at time `now` (unix seconds):
    /// [`crate::verify_with_revocation`] with this verifier's trust and revocation lists.
    pub fn verify(&self, qr_text: &str, now: i64) -> Report {
        crate::verify_with_revocation(qr_text, &self.trust, &self.revocation, now)
    }

    /// Verifies a COSE_Sign1 structure given directly: [`crate::verify_cose`] with this
    /// verifier's trust (no revocation look-up: that function has none yet).
    pub fn verify_cose(&self, cose: &[u8], now: i64) -> Report {
        crate::verify_cose(cose, &self.trust, now)
    }
}
