//! Check `key_usage`: the DSC's extended key usage allows this type of certificate.

use crate::dcc::CertType;
use crate::error::{Error, Result};
use crate::trust::Dsc;

/// A DSC without any DCC key-usage OID may sign every type ([`crate::trust::KeyUsage::ALL`]).
pub fn check(dsc: &Dsc, cert_type: CertType) -> Result<()> {
    if dsc.key_usage.allows(cert_type) {
        Ok(())
    } else {
        Err(Error::KeyUsage {
            cert_type: cert_type.as_str(),
            allowed: dsc.key_usage.describe(),
        })
    }
}
