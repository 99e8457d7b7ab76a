//! Check `signature`: ES256 or PS256 over the COSE `Sig_structure`.

use crate::crypto::{es256, ps256, PublicKey};
use crate::decode::Algorithm;
use crate::error::{Error, Result};
use crate::trust::Dsc;

/// Verifies `signature` over `to_be_signed` with `key`, for the algorithm the certificate names.
///
/// - ES256: ECDSA P-256 with SHA-256; the signature is raw `r‖s`, 64 bytes (RFC 9053 §2.1).
/// - PS256: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8230 §2), as the EU
///   reference verifiers require.
///
/// The arithmetic is the [`crypto`](crate::crypto) layer's; this check matches the algorithm to
/// the key and names the failure.
pub fn verify(
    alg: &Algorithm,
    key: &PublicKey,
    to_be_signed: &[u8],
    signature: &[u8],
) -> Result<()> {
    match (alg, key) {
        (Algorithm::Es256, PublicKey::EcP256(key)) => es256::verify(key, to_be_signed, signature)
            .then_some(())
            .ok_or(Error::BadSignature),
        (Algorithm::Ps256, PublicKey::Rsa(key)) => ps256::verify(key, to_be_signed, signature)
            .then_some(())
            .ok_or(Error::BadSignature),
        (Algorithm::Es256 | Algorithm::Ps256, key) => Err(Error::AlgorithmKeyMismatch {
            alg: alg.name().to_owned(),
            key: key.describe(),
        }),
        (Algorithm::Other(name), _) => Err(Error::UnsupportedAlgorithm(name.clone())),
    }
}

/// Tries every candidate DSC and returns the first whose key verifies the signature. When none
/// does, the error says why: a key of the wrong type only if *every* candidate had one.
pub fn verify_any<'a>(
    alg: Option<&Algorithm>,
    candidates: &[&'a Dsc],
    to_be_signed: &[u8],
    signature: &[u8],
) -> Result<&'a Dsc> {
    let alg = alg.ok_or(Error::MissingAlgorithm)?;
    let mut first_error = None;
    for dsc in candidates {
        match verify(alg, &dsc.key, to_be_signed, signature) {
            Ok(()) => return Ok(dsc),
            Err(error @ Error::UnsupportedAlgorithm(_)) => return Err(error),
            Err(Error::BadSignature) => first_error = Some(Error::BadSignature),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or(Error::BadSignature))
}
