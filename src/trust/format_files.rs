//! The trust files of the formats besides the EU DCC, read alone (feature `formats`, for the
//! formats module of the page, which carries none of the DSC-list readers): SMART Health Card
//! directories and revocation lists, CSCA certificates and CRLs (DER). With feature
//! `trust-formats`, [`TrustList::from_bytes`] reads them too, beside every DSC-list format.

use serde_json::{Map, Value};

use super::{csca, shc, TrustList};
use crate::error::{Error, Result};

impl TrustList {
    /// Reads a SMART Health Card or VDS-NC trust file: the VCI directory snapshot, one issuer's
    /// `{"iss", "keys"}`, an issuer's revocation list, a CSCA certificate or its CRL (DER).
    pub fn from_format_bytes(bytes: &[u8]) -> Result<TrustList> {
        super::formats::check_file_len(bytes)?;
        let body = super::formats::trim_start(bytes);
        match body.first() {
            Some(b'{') => {
                let map: Map<String, Value> = serde_json::from_slice(body).map_err(|err| {
                    Error::TrustListFormat(format!("it is not a JSON object ({err})"))
                })?;
                if !shc::is_shc_json(&map) {
                    return Err(Error::TrustListFormat(
                        "it is JSON, but not a SMART Health Card directory, issuer or revocation list"
                            .to_owned(),
                    ));
                }
                from_shc_json(&map)
            }
            Some(0x30) => from_der(body).unwrap_or_else(|| {
                Err(Error::TrustListFormat(
                    "it is DER, but neither a CA certificate (CSCA) nor a CRL".to_owned(),
                ))
            }),
            _ => Err(Error::TrustListFormat(
                "it is neither a SMART Health Card JSON file nor a DER certificate or CRL"
                    .to_owned(),
            )),
        }
    }
}

/// A SMART Health Card trust file ([`shc::is_shc_json`]).
pub(crate) fn from_shc_json(map: &Map<String, Value>) -> Result<TrustList> {
    let (shc, skipped) = shc::load(map)?;
    Ok(TrustList {
        shc,
        skipped,
        ..TrustList::default()
    })
}

/// A CSCA certificate or CRL; `None` for any other DER (a DSC, read by the DSC readers).
pub(crate) fn from_der(der: &[u8]) -> Option<Result<TrustList>> {
    let store = csca::read_der(der)?;
    Some(store.map(|csca| TrustList {
        csca,
        ..TrustList::default()
    }))
}
