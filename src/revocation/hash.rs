//! The three revocation hashes of a certificate: the first 16 bytes of SHA-256 over
//!
//! - `UCI`: the certificate identifier `ci`, exactly as in the payload (UTF-8);
//! - `COUNTRYCODEUCI`: the **CWT issuer claim `iss`** (claim 1, the issuing country's code)
//!   followed by `ci`, UTF-8, with nothing between;
//! - `SIGNATURE`: the COSE_Sign1 signature; for ES256 only its first half (r, 32 bytes), for
//!   every other algorithm (PS256) the whole signature.
//!
//! Which country: the scheme's wording, as the reference apps quote it beside their code, is
//! "the SHA-256 of \[the\] concatenated string of iss and ci", and the EU gateway's
//! `RevocationHashTypeDto` (dgc-gateway) calls it "the CountryCode ... concatenated with the
//! UCI". Both reference apps hash the CWT header's issuer, not the entry's `co`:
//! Corona-Warn-App iOS (`HealthCertificateRevocationEntries.swift`:
//! `header.issuer + certificate.uniqueCertificateIdentifier`) and Android
//! (`RevocationCalculation.kt`: `header.issuer.plus(...uniqueCertificateIdentifier)`).
//! `co` (where the vaccination or test took place) may differ from the issuer, so it must not be
//! used. CWA's vectors (`../shared/revocation`) cannot tell, since their `iss` and `co` agree;
//! the project's issuer makes a certificate where they differ (`tests/revocation.rs`).

use super::HashType;
use crate::crypto::sha256;
use crate::decode::cose::Algorithm;

/// Bytes of a revocation hash, as the gateway publishes it.
pub const HASH_LEN: usize = 16;

/// A revocation hash: the first [`HASH_LEN`] bytes of SHA-256.
pub type RevocationHash = [u8; HASH_LEN];

fn truncated_sha256(bytes: &[u8]) -> RevocationHash {
    let digest = sha256(bytes);
    let mut hash = [0u8; HASH_LEN];
    hash.copy_from_slice(&digest[..HASH_LEN]);
    hash
}

/// The `UCI` hash of a certificate identifier.
pub fn uci(ci: &str) -> RevocationHash {
    truncated_sha256(ci.as_bytes())
}

/// The `COUNTRYCODEUCI` hash: the CWT `iss` claim, then `ci`.
pub fn country_code_uci(iss: &str, ci: &str) -> RevocationHash {
    truncated_sha256(format!("{iss}{ci}").as_bytes())
}

/// The `SIGNATURE` hash of a COSE signature made with `alg`.
pub fn signature(alg: Option<&Algorithm>, signature: &[u8]) -> RevocationHash {
    let signed = match alg {
        // r of (r, s): the half that an attacker cannot vary without the key (s can be negated).
        Some(Algorithm::Es256) => &signature[..signature.len() / 2],
        _ => signature,
    };
    truncated_sha256(signed)
}

/// The hash of one type, when the certificate has what it needs (`ci`, and `iss` for
/// COUNTRYCODEUCI).
pub fn of_type(
    hash_type: HashType,
    ci: Option<&str>,
    iss: Option<&str>,
    alg: Option<&Algorithm>,
    cose_signature: &[u8],
) -> Option<RevocationHash> {
    match hash_type {
        HashType::Uci => ci.map(uci),
        HashType::CountryCodeUci => Some(country_code_uci(iss?, ci?)),
        HashType::Signature => Some(signature(alg, cose_signature)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(hash: RevocationHash) -> String {
        hash.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn uci_and_country_code_differ_by_the_prefix() {
        // SHA-256("") starts e3b0c442 98fc1c14 9afbf4c8 996fb924.
        assert_eq!(hex(uci("")), "e3b0c44298fc1c149afbf4c8996fb924");
        assert_eq!(country_code_uci("DE", "X"), uci("DEX"));
    }

    #[test]
    fn es256_hashes_only_r() {
        let mut sig = [1u8; 64];
        let whole = signature(Some(&Algorithm::Ps256), &sig);
        let r_only = signature(Some(&Algorithm::Es256), &sig);
        assert_eq!(r_only, truncated_sha256(&sig[..32]));
        assert_ne!(whole, r_only);
        sig[40] = 9; // s changes, the ES256 hash does not
        assert_eq!(signature(Some(&Algorithm::Es256), &sig), r_only);
    }
}
