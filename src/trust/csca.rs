//! Country Signing CA certificates (CSCAs) and their revocation lists (CRLs), for the ICAO
//! VDS-NC seals; and [`Certificate`], the fields of any X.509 certificate a chain check needs
//! (the barcode signer certificate that a seal carries is read with it too).
//!
//! Data only: the chain and CRL signatures are checked by the VDS-NC format, at verification.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

use super::keys::chain_key_from_parts;
use super::x509::{name_attribute, name_to_text, unix_seconds, COUNTRY_NAME};
use crate::crypto::PublicKey;
use crate::error::{Error, Result};
use crate::limits::MAX_TRUST_ENTRY_LEN;

/// What a chain check needs of an X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The issuer's name, DER (compared with a CA's subject).
    pub issuer_der: Vec<u8>,
    /// The issuer's name, as text.
    pub issuer: String,
    /// The subject's name, DER.
    pub subject_der: Vec<u8>,
    /// The subject's name, as text.
    pub subject: String,
    /// The subject's country (C), else the issuer's.
    pub country: Option<String>,
    /// The serial number, big-endian bytes as encoded.
    pub serial: Vec<u8>,
    /// Start of validity, unix seconds.
    pub not_before: i64,
    /// End of validity, unix seconds.
    pub not_after: i64,
    /// The public key, when it is of a type this verifier uses (else why not).
    pub key: std::result::Result<PublicKey, String>,
    /// The signed part (tbsCertificate), as encoded in the file.
    pub tbs: Vec<u8>,
    /// The signature algorithm (the certificate's signatureAlgorithm).
    pub signature_algorithm: ObjectIdentifier,
    /// The issuer's signature.
    pub signature: Vec<u8>,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// keyUsage keyCertSign (absent keyUsage: false).
    pub key_cert_sign: bool,
    /// The extended key usages (empty when there is no such extension).
    pub extended_key_usage: Vec<ObjectIdentifier>,
}

impl Certificate {
    /// Reads a certificate from its DER encoding.
    pub fn from_der(der: &[u8]) -> Result<Certificate> {
        if der.len() > MAX_TRUST_ENTRY_LEN {
            return Err(entry_error(format!(
                "the certificate is {} bytes long, more than the {MAX_TRUST_ENTRY_LEN} a certificate needs",
                der.len()
            )));
        }
        let cert = x509_cert::Certificate::from_der(der)
            .map_err(|err| entry_error(format!("not a readable X.509 certificate ({err})")))?;
        let tbs = cert.tbs_certificate();
        let spki = tbs.subject_public_key_info();
        let key = match spki.subject_public_key.as_bytes() {
            Some(bits) => chain_key_from_parts(
                spki.algorithm.oid,
                spki.algorithm.parameters.as_ref().map(|p| p.to_ref()),
                bits,
            )
            .map_err(|err| err.to_string()),
            None => Err("the public key is malformed".to_owned()),
        };
        let bad_extension = |_| entry_error("an extension of the certificate is malformed".into());
        let is_ca = tbs
            .get_extension::<BasicConstraints>()
            .map_err(bad_extension)?
            .is_some_and(|(_, constraints)| constraints.ca);
        let key_cert_sign = tbs
            .get_extension::<KeyUsage>()
            .map_err(bad_extension)?
            .is_some_and(|(_, usage)| usage.key_cert_sign());
        let extended_key_usage = tbs
            .get_extension::<ExtendedKeyUsage>()
            .map_err(bad_extension)?
            .map(|(_, usage)| usage.0)
            .unwrap_or_default();
        let validity = tbs.validity();
        Ok(Certificate {
            issuer_der: name_der(tbs.issuer())?,
            issuer: name_to_text(tbs.issuer()),
            subject_der: name_der(tbs.subject())?,
            subject: name_to_text(tbs.subject()),
            country: name_attribute(tbs.subject(), COUNTRY_NAME)
                .or_else(|| name_attribute(tbs.issuer(), COUNTRY_NAME)),
            serial: tbs.serial_number().as_bytes().to_vec(),
            not_before: unix_seconds(validity.not_before)?,
            not_after: unix_seconds(validity.not_after)?,
            key,
            tbs: first_element(der)
                .ok_or_else(|| entry_error("the certificate's signed part is malformed".into()))?
                .to_vec(),
            signature_algorithm: cert.signature_algorithm().oid,
            signature: cert
                .signature()
                .as_bytes()
                .ok_or_else(|| entry_error("the certificate's signature is malformed".into()))?
                .to_vec(),
            is_ca,
            key_cert_sign,
            extended_key_usage,
        })
    }

    /// Whether it is a CA that may sign certificates (basicConstraints cA and keyUsage
    /// keyCertSign): a CSCA, when loaded as trust.
    pub fn is_certificate_authority(&self) -> bool {
        self.is_ca && self.key_cert_sign
    }
}

/// A CSCA's certificate revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl {
    /// The issuer's name, DER.
    pub issuer_der: Vec<u8>,
    /// The issuer's name, as text.
    pub issuer: String,
    /// thisUpdate, unix seconds.
    pub this_update: i64,
    /// nextUpdate, unix seconds, when given.
    pub next_update: Option<i64>,
    /// The revoked serial numbers, as encoded.
    pub revoked: Vec<Vec<u8>>,
    /// The signed part (tbsCertList), as encoded in the file.
    pub tbs: Vec<u8>,
    /// The signature algorithm.
    pub signature_algorithm: ObjectIdentifier,
    /// The issuer's signature.
    pub signature: Vec<u8>,
}

impl Crl {
    /// Reads a CRL from its DER encoding.
    pub fn from_der(der: &[u8]) -> Result<Crl> {
        let crl = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(der)
            .map_err(|err| entry_error(format!("not a readable X.509 CRL ({err})")))?;
        let tbs = &crl.tbs_cert_list;
        let revoked: Vec<Vec<u8>> = tbs
            .revoked_certificates
            .iter()
            .flatten()
            .map(|entry| entry.serial_number.as_bytes().to_vec())
            .collect();
        super::formats::check_entry_count(revoked.len())?;
        Ok(Crl {
            issuer_der: name_der(&tbs.issuer)?,
            issuer: name_to_text(&tbs.issuer),
            this_update: unix_seconds(tbs.this_update)?,
            next_update: tbs.next_update.map(unix_seconds).transpose()?,
            revoked,
            tbs: first_element(der)
                .ok_or_else(|| entry_error("the CRL's signed part is malformed".into()))?
                .to_vec(),
            signature_algorithm: crl.signature_algorithm.oid,
            signature: crl
                .signature
                .as_bytes()
                .ok_or_else(|| entry_error("the CRL's signature is malformed".into()))?
                .to_vec(),
        })
    }
}

/// The CSCAs and CRLs a trust list holds.
#[derive(Debug, Clone, Default)]
pub struct CscaStore {
    /// The CSCA certificates.
    pub cscas: Vec<Certificate>,
    /// Their revocation lists.
    pub crls: Vec<Crl>,
}

impl CscaStore {
    /// The CSCAs whose subject is `issuer_der`.
    pub fn issuers_of(&self, issuer_der: &[u8]) -> Vec<&Certificate> {
        self.cscas
            .iter()
            .filter(|ca| ca.subject_der == issuer_der)
            .collect()
    }

    /// The CRLs issued under the name `issuer_der`.
    pub fn crls_of(&self, issuer_der: &[u8]) -> Vec<&Crl> {
        self.crls
            .iter()
            .filter(|crl| crl.issuer_der == issuer_der)
            .collect()
    }

    /// Adds the other store's entries.
    pub fn merge(&mut self, other: CscaStore) {
        self.cscas.extend(other.cscas);
        self.crls.extend(other.crls);
    }
}

#[cfg(any(feature = "formats", feature = "trust-formats"))]
/// What a DER file holds, when it is a CSCA certificate or a CRL (`None`: something else, e.g.
/// a DSC, read as before).
pub(crate) fn read_der(der: &[u8]) -> Option<Result<CscaStore>> {
    let mut store = CscaStore::default();
    if let Ok(certificate) = Certificate::from_der(der) {
        if !certificate.is_certificate_authority() {
            return None;
        }
        if let Err(why) = &certificate.key {
            return Some(Err(entry_error(format!(
                "the CSCA's key cannot be used: {why}"
            ))));
        }
        store.cscas.push(certificate);
        return Some(Ok(store));
    }
    // A CRL's tbsCertList starts with an INTEGER version or an AlgorithmIdentifier; a
    // certificate's tbsCertificate with a [0] version: try it only when it is no certificate.
    match Crl::from_der(der) {
        Ok(crl) => {
            store.crls.push(crl);
            Some(Ok(store))
        }
        Err(_) => None,
    }
}

/// The first element inside a DER SEQUENCE (the signed part of a certificate or CRL), as
/// encoded.
fn first_element(der: &[u8]) -> Option<&[u8]> {
    let (outer_header, _) = tlv_lengths(der)?;
    let inner = der.get(outer_header..)?;
    let (header, content) = tlv_lengths(inner)?;
    inner.get(..header.checked_add(content)?)
}

/// A DER TLV's header length and content length.
fn tlv_lengths(bytes: &[u8]) -> Option<(usize, usize)> {
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some((2, usize::from(first)));
    }
    let count = usize::from(first & 0x7f);
    if count == 0 || count > 4 {
        return None;
    }
    let mut length = 0usize;
    for byte in bytes.get(2..2 + count)? {
        length = (length << 8) | usize::from(*byte);
    }
    Some((2 + count, length))
}

fn name_der(name: &x509_cert::name::Name) -> Result<Vec<u8>> {
    name.to_der()
        .map_err(|_| entry_error("a name in the certificate is malformed".to_owned()))
}

fn entry_error(why: String) -> Error {
    Error::TrustEntry(why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_element_reads_short_and_long_lengths() {
        let short = [0x30, 0x05, 0x30, 0x01, 0xaa, 0x02, 0x00];
        assert_eq!(first_element(&short), Some(&short[2..5]));
        let mut long = vec![0x30, 0x82, 0x01, 0x04, 0x30, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        long.extend([0u8; 0x84 - 0x83]);
        assert_eq!(first_element(&long).map(<[u8]>::len), Some(0x83));
        assert_eq!(first_element(&[0x30, 0x85, 1, 1, 1, 1, 1]), None);
        assert_eq!(first_element(&[0x30]), None);
    }
}
