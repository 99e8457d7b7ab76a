//! Check `signer`: the kid names at least one signing certificate (DSC) in the trust list.

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::trust::{Dsc, TrustList};

/// The DSCs the trust list holds for `kid`. Several DSCs may share a kid (kids are truncated
/// hashes, and some issuers reuse them); the signature check tries each.
pub fn candidates<'a>(trust: &'a TrustList, kid: Option<&'a [u8]>) -> Result<Vec<&'a Dsc>> {
    let kid = kid.ok_or(Error::MissingKid)?;
    let found: Vec<&Dsc> = trust.find(kid).collect();
    if found.is_empty() {
        return Err(Error::UnknownSigner {
            kid: base64::engine::general_purpose::STANDARD.encode(kid),
        });
    }
    Ok(found)
}
