//! The trust files of the formats besides the EU DCC, read alone (feature `formats`, for the
//! formats module of the page, which carries none of the DSC-list readers): SMART Health Card
//! directories and revocation lists, CSCA certificates and CRLs (DER or PEM). With feature
//! `trust-formats`, [`TrustList::from_bytes`] reads them too, beside every DSC-list format.

use serde_json::{Map, Value};

use super::{csca, shc, TrustList};
use crate::error::{Error, Result};

impl TrustList {
    /// Reads a SMART Health Card or VDS-NC trust file: the VCI directory snapshot, one issuer's
    /// `{"iss", "keys"}`, an issuer's revocation list, CSCA certificates or their CRLs (DER; or
    /// PEM, any number of `CERTIFICATE` and `X509 CRL` blocks in one file).
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
            Some(b'-') if body.starts_with(b"-----BEGIN") => from_pem(body),
            Some(0x30) => from_der(body).unwrap_or_else(|| {
                Err(Error::TrustListFormat(
                    "it is DER, but neither a CA certificate (CSCA) nor a CRL".to_owned(),
                ))
            }),
            _ => Err(Error::TrustListFormat(
                "it is neither a SMART Health Card JSON file nor a DER or PEM certificate or CRL"
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

/// PEM text: each `CERTIFICATE` block a CSCA (a CA with keyCertSign), each `X509 CRL` block a
/// CRL. Any other certificate is a DSC with feature `trust-formats` (the DSC readers' PEM files),
/// else a skipped entry; blocks of other kinds and broken blocks are skipped entries too.
pub(crate) fn from_pem(text: &[u8]) -> Result<TrustList> {
    let mut list = TrustList::default();
    super::pem::for_each_block(text, |index, (label, body)| {
        let entry = index.to_string();
        let skip = |list: &mut TrustList, why: String| {
            super::formats::record(list, entry.clone(), None, Err(Error::TrustEntry(why)))
        };
        let body = match body {
            Ok(body) if matches!(label, "CERTIFICATE" | "X509 CRL") => body,
            Ok(_) => return skip(&mut list, format!("it is a {label}, not a CERTIFICATE")),
            Err(why) => return skip(&mut list, why),
        };
        let der = match super::formats::decode_entry_base64(&body, "certificate") {
            Ok(der) => der,
            Err(err @ Error::TrustListTooLarge(_)) => return Err(err),
            Err(err) => return skip(&mut list, err.to_string()),
        };
        match from_der(&der) {
            Some(Ok(found)) => {
                list.merge(found);
                Ok(())
            }
            Some(Err(err)) => skip(&mut list, err.to_string()),
            None if label == "X509 CRL" => skip(&mut list, "not a readable X.509 CRL".to_owned()),
            #[cfg(feature = "trust-formats")]
            None => super::formats::record(
                &mut list,
                entry.clone(),
                None,
                super::x509::dsc_from_der(&der),
            ),
            #[cfg(not(feature = "trust-formats"))]
            None => skip(
                &mut list,
                "a certificate that is no CA: a CSCA (basicConstraints cA, keyCertSign) is needed"
                    .to_owned(),
            ),
        }
    })?;
    Ok(list)
}
