//! Document signing certificates (DSCs): X.509 certificates that carry a signing key, the
//! issuing country, a validity period and (optionally) the DCC extended key usages.

use std::str::FromStr;
use std::time::Duration;

use der::asn1::ObjectIdentifier;
use der::DateTime;
use der::Decode;
use sha2::{Digest, Sha256};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::CertificateBuilder;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::keys::Key;
use crate::{kid, unix};

/// Extended key usage OID: the DSC may sign test certificates.
pub const EKU_TEST: &str = "1.3.6.1.4.1.1847.2021.1.1";
/// Extended key usage OID: the DSC may sign vaccination certificates.
pub const EKU_VACCINATION: &str = "1.3.6.1.4.1.1847.2021.1.2";
/// Extended key usage OID: the DSC may sign recovery certificates.
pub const EKU_RECOVERY: &str = "1.3.6.1.4.1.1847.2021.1.3";
/// All three DCC extended key usages.
pub const EKU_ALL: [&str; 3] = [EKU_TEST, EKU_VACCINATION, EKU_RECOVERY];

/// A document signing certificate with the key that signs with it.
#[derive(Clone, Debug)]
pub struct Dsc {
    key: Key,
    der: Vec<u8>,
    serial: [u8; 8],
    country: String,
    organization: String,
    common_name: String,
    not_before: i64,
    not_after: i64,
    key_usage: Vec<String>,
}

impl Dsc {
    /// Starts a DSC for `key`: country VN, valid 2025-01-01 to 2030-01-01, no extended key usage.
    pub fn builder(key: &Key) -> DscBuilder {
        DscBuilder {
            key: key.clone(),
            country: "VN".to_owned(),
            organization: "dcc-verifier test issuer".to_owned(),
            common_name: format!("DSC {}", key.seed()),
            not_before: unix(2025, 1, 1),
            not_after: unix(2030, 1, 1),
            key_usage: Vec::new(),
            ca: false,
            issuer: None,
        }
    }

    /// The certificate, DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate, PEM (`CERTIFICATE`), LF line endings.
    pub fn pem(&self) -> String {
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &self.der)
            .expect("PEM encoding")
    }

    /// The key identifier: the first 8 bytes of SHA-256 of the DER.
    pub fn kid(&self) -> [u8; 8] {
        kid(&self.der)
    }

    /// The kid in standard base64, as trust lists write it.
    pub fn kid_b64(&self) -> String {
        crate::b64(&self.kid())
    }

    /// SHA-256 of the DER, lowercase hex (the gateway's `thumbprint`).
    pub fn thumbprint(&self) -> String {
        Sha256::digest(&self.der)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// The serial number, lowercase hex.
    pub fn serial_hex(&self) -> String {
        self.serial
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// The signing key.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The country (ISO 3166-1 alpha-2).
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The subject, most significant first, as trust lists print it: `C=VN, O=..., CN=...`.
    pub fn subject(&self) -> String {
        format!(
            "C={}, O={}, CN={}",
            self.country, self.organization, self.common_name
        )
    }

    /// Start of validity (unix seconds).
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// End of validity (unix seconds).
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// The extended key usage OIDs, as given to the builder.
    pub fn key_usage(&self) -> &[String] {
        &self.key_usage
    }

    /// Which DCC types the DSC may sign, as letters in the order `t`, `v`, `r` (empty when it
    /// has none of the DCC OIDs, which allows all three).
    pub fn usage_letters(&self) -> Vec<&'static str> {
        let has = |suffix: &str| {
            self.key_usage.iter().any(|oid| {
                oid.strip_prefix("1.3.6.1.4.1.1847.2021.1.")
                    .or_else(|| oid.strip_prefix("1.3.6.1.4.1.0.1847.2021.1."))
                    == Some(suffix)
            })
        };
        [("1", "t"), ("2", "v"), ("3", "r")]
            .into_iter()
            .filter_map(|(suffix, letter)| has(suffix).then_some(letter))
            .collect()
    }
}

/// Builds a [`Dsc`]; see [`Dsc::builder`].
#[derive(Clone, Debug)]
pub struct DscBuilder {
    key: Key,
    country: String,
    organization: String,
    common_name: String,
    not_before: i64,
    not_after: i64,
    key_usage: Vec<String>,
    ca: bool,
    issuer: Option<Box<Dsc>>,
}

impl DscBuilder {
    /// A certification authority (an ICAO CSCA): basicConstraints CA and keyCertSign instead
    /// of digitalSignature.
    pub fn ca(mut self) -> Self {
        self.ca = true;
        self
    }

    /// Issued (signed) by `issuer`'s key under its subject name, instead of self-signed: an
    /// ICAO barcode signer under its CSCA.
    pub fn issued_by(mut self, issuer: &Dsc) -> Self {
        self.issuer = Some(Box::new(issuer.clone()));
        self
    }

    /// The issuing country (ISO 3166-1 alpha-2).
    pub fn country(mut self, country: &str) -> Self {
        self.country = country.to_owned();
        self
    }

    /// The subject's organisation (plain ASCII, no `,` `+` `=` `\`).
    pub fn organization(mut self, organization: &str) -> Self {
        self.organization = organization.to_owned();
        self
    }

    /// The subject's common name (plain ASCII, no `,` `+` `=` `\`).
    pub fn subject_cn(mut self, common_name: &str) -> Self {
        self.common_name = common_name.to_owned();
        self
    }

    /// Start of validity (unix seconds).
    pub fn not_before(mut self, unix_seconds: i64) -> Self {
        self.not_before = unix_seconds;
        self
    }

    /// End of validity (unix seconds).
    pub fn not_after(mut self, unix_seconds: i64) -> Self {
        self.not_after = unix_seconds;
        self
    }

    /// The extended key usage OIDs (e.g. [`EKU_TEST`]); none means "may sign every type".
    pub fn key_usage(mut self, oids: &[&str]) -> Self {
        self.key_usage = oids.iter().map(|oid| (*oid).to_owned()).collect();
        self
    }

    /// Builds and self-signs the certificate.
    ///
    /// # Panics
    /// On a name or OID that does not parse, or times before 1970.
    pub fn build(self) -> Dsc {
        for part in [&self.country, &self.organization, &self.common_name] {
            assert!(
                !part.contains([',', '+', '=', '\\', '"', ';', '<', '>']),
                "DSC name parts must not need RFC 4514 escaping: {part:?}"
            );
        }
        // RFC 4514 strings list the most specific part first.
        let subject = Name::from_str(&format!(
            "CN={},O={},C={}",
            self.common_name, self.organization, self.country
        ))
        .expect("DSC subject");

        let usage = if self.ca {
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        } else {
            KeyUsages::DigitalSignature.into()
        };
        let mut extensions = vec![KeyUsage(usage)
            .to_extension(&subject, &[])
            .expect("key usage extension")];
        if self.ca {
            extensions.push(
                BasicConstraints {
                    ca: true,
                    path_len_constraint: Some(0),
                }
                .to_extension(&subject, &[])
                .expect("basic constraints extension"),
            );
        }
        if !self.key_usage.is_empty() {
            let oids = self
                .key_usage
                .iter()
                .map(|oid| ObjectIdentifier::new(oid).expect("extended key usage OID"))
                .collect();
            extensions.push(
                ExtendedKeyUsage(oids)
                    .to_extension(&subject, &[])
                    .expect("EKU extension"),
            );
        }

        // A positive 8-byte serial derived from the key and name: unique per DSC, yet fixed.
        let digest = Sha256::new()
            .chain_update(self.key.seed())
            .chain_update([0])
            .chain_update(&self.common_name)
            .finalize();
        let mut serial = [0u8; 8];
        serial.copy_from_slice(&digest[..8]);
        serial[0] = (serial[0] & 0x7f) | 0x01;

        let validity = Validity::new(time(self.not_before), time(self.not_after));
        let spki = SubjectPublicKeyInfoOwned::try_from(self.key.spki_der().as_slice())
            .expect("SPKI of our own key");
        let issuer_name = match &self.issuer {
            Some(issuer) => x509_cert::Certificate::from_der(issuer.der())
                .expect("issuer DER")
                .tbs_certificate()
                .subject()
                .clone(),
            None => subject.clone(),
        };
        let profile = DscProfile {
            issuer: issuer_name,
            subject,
            extensions,
        };
        let builder = CertificateBuilder::new(
            profile,
            SerialNumber::new(&serial).expect("serial"),
            validity,
            spki,
        )
        .expect("certificate builder");
        let signer = self
            .issuer
            .as_ref()
            .map_or(&self.key, |issuer| issuer.key());
        let certificate = signer.build_certificate(builder);
        let der = der::Encode::to_der(&certificate).expect("certificate DER");

        Dsc {
            key: self.key,
            der,
            serial,
            country: self.country,
            organization: self.organization,
            common_name: self.common_name,
            not_before: self.not_before,
            not_after: self.not_after,
            key_usage: self.key_usage,
        }
    }
}

fn time(unix_seconds: i64) -> Time {
    let seconds = u64::try_from(unix_seconds).expect("DSC times are after 1970");
    Time::from(DateTime::from_unix_duration(Duration::from_secs(seconds)).expect("DSC time"))
}

/// The subject, its issuer (itself when self-signed) and exactly the extensions we choose (no
/// automatic key identifiers, so the DER depends only on the builder's inputs).
struct DscProfile {
    issuer: Name,
    subject: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for DscProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: spki::SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: spki::SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dsc_parses_back_with_its_fields() {
        let key = Key::es256("dsc-test");
        let dsc = Dsc::builder(&key)
            .country("VN")
            .subject_cn("Test DSC")
            .not_before(unix(2025, 1, 1))
            .not_after(unix(2030, 1, 1))
            .key_usage(&[EKU_TEST, EKU_RECOVERY])
            .build();
        let parsed = x509_cert::Certificate::from_der(dsc.der()).expect("DER parses");
        let tbs = parsed.tbs_certificate();
        assert_eq!(
            tbs.subject().to_string(),
            "CN=Test DSC,O=dcc-verifier test issuer,C=VN"
        );
        assert_eq!(
            tbs.validity().not_before.to_unix_duration().as_secs() as i64,
            unix(2025, 1, 1)
        );
        assert_eq!(
            tbs.validity().not_after.to_unix_duration().as_secs() as i64,
            unix(2030, 1, 1)
        );
        let spki_der = der::Encode::to_der(tbs.subject_public_key_info()).expect("SPKI");
        assert_eq!(spki_der, key.spki_der());
        let (_, eku) = tbs
            .get_extension::<ExtendedKeyUsage>()
            .expect("ext")
            .expect("EKU present");
        let oids: Vec<String> = eku.0.iter().map(ToString::to_string).collect();
        assert_eq!(oids, [EKU_TEST, EKU_RECOVERY]);
        assert_eq!(dsc.usage_letters(), ["t", "r"]);
        assert_eq!(dsc.kid().to_vec(), Sha256::digest(dsc.der())[..8].to_vec());
    }

    #[test]
    fn dsc_without_eku_has_no_eku_extension_and_is_deterministic() {
        let key = Key::es256("dsc-no-eku");
        let dsc = Dsc::builder(&key).build();
        let parsed = x509_cert::Certificate::from_der(dsc.der()).expect("DER parses");
        assert!(parsed
            .tbs_certificate()
            .get_extension::<ExtendedKeyUsage>()
            .expect("ext")
            .is_none());
        assert!(dsc.usage_letters().is_empty());
        assert_eq!(Dsc::builder(&key).build().der(), dsc.der());
        assert!(dsc.pem().starts_with("-----BEGIN CERTIFICATE-----\n"));
    }
}
