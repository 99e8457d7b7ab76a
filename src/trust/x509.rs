//! X.509 signing certificates (DSCs) → [`Dsc`]: key, kid, validity, country, subject and the
//! DCC key usage.
//!
//! Parsing uses `x509-cert`; everything the verifier needs from a certificate is copied into a
//! [`Dsc`]. The key is read by [`keys`](super::keys), which the key-only trust-list formats share.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::keys::key_from_parts;
use super::{Dsc, KeyUsage};
use crate::crypto;
use crate::dcc::CertType;
use crate::error::{Error, Result};
use crate::limits::MAX_TRUST_ENTRY_LEN;
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
pub(crate) const COUNTRY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");

/// The DCC extended-key-usage OIDs and the certificate type each allows. The `.0.1847` variants
/// are a typo some issuers shipped; the EU reference verifiers accept both.
const DCC_KEY_USAGES: [(ObjectIdentifier, CertType); 6] = [
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.1"),
        CertType::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.2"),
        CertType::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.3"),
        CertType::Recovery,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.1"),
        CertType::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.2"),
        CertType::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.3"),
        CertType::Recovery,
    ),
];

/// Short names of the name attributes DSC subjects use, for [`Dsc::subject`].
const ATTRIBUTE_NAMES: [(&str, &str); 15] = [
    ("2.5.4.6", "C"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.3", "CN"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.17", "POSTALCODE"),
    ("2.5.4.15", "BUSINESSCATEGORY"),
    ("2.5.4.97", "ORGANIZATIONIDENTIFIER"),
    ("2.5.4.4", "SN"),
    ("2.5.4.42", "GIVENNAME"),
    ("1.2.840.113549.1.9.1", "E"),
    ("0.9.2342.19200300.100.1.25", "DC"),
];

/// The key identifier the EU specification derives from a DSC: the first 8 bytes of SHA-256 of
/// its DER encoding.
pub fn kid_from_der(der: &[u8]) -> Vec<u8> {
    crypto::sha256(der)[..8].to_vec()
}

/// Reads a DSC from its DER encoding: key, kid (computed), country, subject, validity and the
/// DCC key usage.
pub fn dsc_from_der(der: &[u8]) -> Result<Dsc> {
    if der.len() > MAX_TRUST_ENTRY_LEN {
        return Err(entry_error(format!(
            "the certificate is {} bytes long, more than the {MAX_TRUST_ENTRY_LEN} a signing certificate needs",
            der.len()
        )));
    }
    let cert = Certificate::from_der(der)
        .map_err(|err| entry_error(format!("not a readable X.509 certificate ({err})")))?;
    let tbs = cert.tbs_certificate();

    let spki = tbs.subject_public_key_info();
    let key_bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| entry_error("the certificate's public key is malformed".to_owned()))?;
    let key = key_from_parts(
        spki.algorithm.oid,
        spki.algorithm.parameters.as_ref().map(|p| p.to_ref()),
        key_bits,
    )?;

    let validity = tbs.validity();
    let not_before = unix_seconds(validity.not_before)?;
    let not_after = unix_seconds(validity.not_after)?;

    let country = name_attribute(tbs.subject(), COUNTRY_NAME)
        .or_else(|| name_attribute(tbs.issuer(), COUNTRY_NAME));
    let subject = name_to_text(tbs.subject());

    let mut key_usage = None;
    for extension in tbs.extensions().into_iter().flatten() {
        if extension.extn_id == EXTENDED_KEY_USAGE {
            key_usage = Some(key_usage_from_eku(extension.extn_value.as_bytes())?);
        }
    }

    Ok(Dsc {
        kid: kid_from_der(der),
        country: country
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty()),
        subject: (!subject.is_empty()).then_some(subject),
        not_before: Some(not_before),
        not_after: Some(not_after),
        key_usage: key_usage.unwrap_or(KeyUsage::ALL),
        key,
        demo: false,
    })
}

fn entry_error(why: String) -> Error {
    Error::TrustEntry(why)
}

pub(crate) fn unix_seconds(time: x509_cert::time::Time) -> Result<i64> {
    i64::try_from(time.to_unix_duration().as_secs())
        .map_err(|_| entry_error("the certificate's validity dates are out of range".to_owned()))
}

/// Reads the DCC key usage from the value of an extended-key-usage extension. Its OIDs are
/// compared as raw bytes, so an unrelated OID of unusual length does not make the DSC unusable.
fn key_usage_from_eku(extension_value: &[u8]) -> Result<KeyUsage> {
    let malformed =
        |_| entry_error("the certificate's extended key usage cannot be read".to_owned());
    let sequence = AnyRef::from_der(extension_value).map_err(malformed)?;
    if sequence.tag() != Tag::Sequence {
        return Err(entry_error(
            "the certificate's extended key usage cannot be read".to_owned(),
        ));
    }
    let mut reader = SliceReader::new(sequence.value()).map_err(malformed)?;
    let mut usage = KeyUsage::NONE;
    let mut any_dcc_oid = false;
    while !reader.is_finished() {
        let item: AnyRef<'_> = reader.decode().map_err(malformed)?;
        if item.tag() != Tag::ObjectIdentifier {
            continue;
        }
        for (oid, cert_type) in &DCC_KEY_USAGES {
            if item.value() == oid.as_bytes() {
                any_dcc_oid = true;
                usage.allow(*cert_type);
            }
        }
    }
    Ok(if any_dcc_oid { usage } else { KeyUsage::ALL })
}

/// The first value of attribute `oid` in `name`, as text.
pub(crate) fn name_attribute(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| attribute_text(atv.value.to_ref()))
}

/// `name` as "C=VN, O=..., CN=...", in the certificate's order.
pub(crate) fn name_to_text(name: &Name) -> String {
    let mut parts = Vec::new();
    for atv in name.iter() {
        let Some(value) = attribute_text(atv.value.to_ref()) else {
            continue;
        };
        let oid = atv.oid.to_string();
        let label = ATTRIBUTE_NAMES
            .iter()
            .find(|(dotted, _)| *dotted == oid)
            .map(|(_, short)| (*short).to_owned());
        parts.push(format!("{}={}", label.unwrap_or(oid), value.trim()));
    }
    parts.join(", ")
}

/// The text of a directory string; `None` for values that are not strings.
fn attribute_text(value: AnyRef<'_>) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::PrintableString | Tag::Utf8String | Tag::Ia5String | Tag::VisibleString => {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        // T.61 in practice holds Latin-1 text.
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            let units = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
            Some(
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect(),
            )
        }
        _ => None,
    }
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use dcc_test_issuer::der::{
        certificate, ec_signing_key, p384_spki, rsa_pss_spki, rsa_spki, CertSpec, TimeEncoding,
    };

    use super::*;
    use crate::crypto::PublicKey;
    use crate::limits::MIN_RSA_BITS;
    use crate::time::days_from_civil;

    const TEST: &str = "1.3.6.1.4.1.1847.2021.1.1";
    const VACCINATION: &str = "1.3.6.1.4.1.1847.2021.1.2";
    const RECOVERY: &str = "1.3.6.1.4.1.1847.2021.1.3";
    const TEST_VARIANT: &str = "1.3.6.1.4.1.0.1847.2021.1.1";
    const RECOVERY_VARIANT: &str = "1.3.6.1.4.1.0.1847.2021.1.3";
    const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";

    fn usage(test: bool, vaccination: bool, recovery: bool) -> KeyUsage {
        KeyUsage {
            test,
            vaccination,
            recovery,
        }
    }

    #[test]
    fn reads_every_field_of_an_ec_dsc() {
        let der = certificate(&CertSpec::default());
        let dsc = dsc_from_der(&der).expect("loads");
        assert_eq!(dsc.kid, crypto::sha256(&der)[..8].to_vec());
        assert_eq!(dsc.kid, kid_from_der(&der));
        assert_eq!(dsc.country.as_deref(), Some("VN"));
        assert_eq!(dsc.subject.as_deref(), Some("C=VN, O=Bộ Y tế, CN=Test DSC"));
        assert_eq!(dsc.not_before, Some(days_from_civil(2021, 6, 1) * 86_400));
        assert_eq!(dsc.not_after, Some(days_from_civil(2030, 6, 1) * 86_400));
        assert_eq!(dsc.key_usage, KeyUsage::ALL);
        assert_eq!(
            dsc.key,
            PublicKey::EcP256((*ec_signing_key(1).verifying_key()).into())
        );
        assert!(!dsc.demo);
    }

    #[test]
    fn key_usage_comes_from_the_dcc_eku_oids() {
        let cases: [(Option<Vec<&str>>, KeyUsage); 7] = [
            (None, KeyUsage::ALL),
            (Some(vec![SERVER_AUTH]), KeyUsage::ALL),
            (Some(vec![TEST]), usage(true, false, false)),
            (Some(vec![VACCINATION, RECOVERY]), usage(false, true, true)),
            (Some(vec![TEST_VARIANT]), usage(true, false, false)),
            (
                Some(vec![SERVER_AUTH, RECOVERY_VARIANT, VACCINATION]),
                usage(false, true, true),
            ),
            (Some(vec![TEST, VACCINATION, RECOVERY]), KeyUsage::ALL),
        ];
        for (eku, expected) in cases {
            let der = certificate(&CertSpec {
                eku: eku.clone(),
                ..CertSpec::default()
            });
            assert_eq!(
                dsc_from_der(&der).expect("loads").key_usage,
                expected,
                "EKU {eku:?}"
            );
        }
    }

    #[test]
    fn reads_generalized_times_and_falls_back_to_the_issuer_country() {
        let der = certificate(&CertSpec {
            subject_country: None,
            issuer_country: Some("DE"),
            not_before: (2049, 12, 31, TimeEncoding::Utc),
            not_after: (2051, 1, 2, TimeEncoding::Generalized),
            ..CertSpec::default()
        });
        let dsc = dsc_from_der(&der).expect("loads");
        assert_eq!(dsc.country.as_deref(), Some("DE"));
        assert_eq!(dsc.subject.as_deref(), Some("O=Bộ Y tế, CN=Test DSC"));
        assert_eq!(dsc.not_before, Some(days_from_civil(2049, 12, 31) * 86_400));
        assert_eq!(dsc.not_after, Some(days_from_civil(2051, 1, 2) * 86_400));
    }

    #[test]
    fn no_country_anywhere_gives_none() {
        let der = certificate(&CertSpec {
            subject_country: None,
            issuer_country: None,
            ..CertSpec::default()
        });
        assert_eq!(dsc_from_der(&der).expect("loads").country, None);
    }

    #[test]
    fn reads_the_key_through_the_spki_reader() {
        for (spki, ok) in [
            (rsa_spki(2048), true),
            (rsa_pss_spki(3072), true),
            (rsa_spki(MIN_RSA_BITS - 8), false),
            (p384_spki(), false),
        ] {
            let dsc = dsc_from_der(&certificate(&CertSpec {
                spki,
                ..CertSpec::default()
            }));
            assert_eq!(dsc.is_ok(), ok, "{dsc:?}");
        }
        let err = dsc_from_der(&certificate(&CertSpec {
            spki: p384_spki(),
            ..CertSpec::default()
        }))
        .expect_err("P-384");
        assert!(err.to_string().starts_with("unsupported key type"), "{err}");
    }

    #[test]
    fn refuses_what_is_not_a_certificate() {
        for input in [
            &b""[..],
            b"\x30\x00",
            b"hello",
            &[0x30, 0x82, 0xff, 0xff][..],
        ] {
            assert_eq!(
                dsc_from_der(input).expect_err("refused").code(),
                "trust_entry"
            );
        }
        let der = certificate(&CertSpec::default());
        for cut in [1, der.len() / 2, der.len() - 1] {
            assert!(dsc_from_der(&der[..cut]).is_err());
        }
    }
}
