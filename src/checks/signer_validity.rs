//! Check `signer_validity`: the certificate lies within its signer's validity.
//!
//! The DSC must be valid when the certificate is issued (notBefore ≤ iat), and the certificate's
//! expiry "MUST not exceed the validity time in the DSC" (exp ≤ notAfter). The EU reference
//! verifier apps answer INVALID otherwise (dgca-verifier-app-android #142, -ios #102).

use crate::error::{Error, Result};
use crate::trust::Dsc;

/// Compares the certificate's `iat`/`exp` with the DSC's validity. A bound the trust list does
/// not give (formats that carry only keys) is not checked.
pub fn check(dsc: &Dsc, iat: Option<i64>, exp: Option<i64>) -> Result<()> {
    if let (Some(issued_at), Some(not_before)) = (iat, dsc.not_before) {
        if issued_at < not_before {
            return Err(Error::SignerNotYetValid {
                issued_at,
                not_before,
            });
        }
    }
    if let (Some(expires_at), Some(not_after)) = (exp, dsc.not_after) {
        if expires_at > not_after {
            return Err(Error::SignerExpiresFirst {
                expires_at,
                not_after,
            });
        }
    }
    Ok(())
}
