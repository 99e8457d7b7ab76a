//! X.509 signing certificates (DSCs): key, validity, country, subject and key usage.
//!
//! Parsing uses `x509-cert`; everything the verifier needs from a certificate is copied into a
//! [`Dsc`]. Keys are read from a SubjectPublicKeyInfo, which the key-only trust-list formats
//! (FR, NL, compact) also carry.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use rsa::traits::PublicKeyParts;
use rsa::BoxedUint;
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::{Dsc, KeyUsage, PublicKey};
use crate::crypto;
use crate::error::{Error, Result};
use crate::limits::{MAX_RSA_BITS, MAX_TRUST_ENTRY_LEN, MIN_RSA_BITS};

const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const ID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const COUNTRY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");

/// The DCC extended-key-usage OIDs and the certificate type each allows. The `.0.1847` variants
/// are a typo some issuers shipped; the EU reference verifiers accept both.
const DCC_KEY_USAGES: [(ObjectIdentifier, DccUsage); 6] = [
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.1"),
        DccUsage::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.2"),
        DccUsage::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.1847.2021.1.3"),
        DccUsage::Recovery,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.1"),
        DccUsage::Test,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.2"),
        DccUsage::Vaccination,
    ),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.4.1.0.1847.2021.1.3"),
        DccUsage::Recovery,
    ),
];

#[derive(Clone, Copy)]
enum DccUsage {
    Test,
    Vaccination,
    Recovery,
}

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

/// Reads a signing key from a DER SubjectPublicKeyInfo: EC P-256, or RSA
/// ([`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`] bits, `rsaEncryption` or `id-RSASSA-PSS`).
pub fn public_key_from_spki(der: &[u8]) -> Result<PublicKey> {
    if der.len() > MAX_TRUST_ENTRY_LEN {
        return Err(entry_error(format!(
            "the key is {} bytes long, far more than any signing key",
            der.len()
        )));
    }
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|err| {
        entry_error(format!(
            "not a readable public key (SubjectPublicKeyInfo: {err})"
        ))
    })?;
    let key_bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| entry_error("the public key is malformed".to_owned()))?;
    key_from_parts(spki.algorithm.oid, spki.algorithm.parameters, key_bits)
}

/// Encodes a key as a DER SubjectPublicKeyInfo (`id-ecPublicKey`/`prime256v1` or
/// `rsaEncryption`): the inverse of [`public_key_from_spki`].
pub fn public_key_to_spki(key: &PublicKey) -> Vec<u8> {
    match key {
        PublicKey::EcP256(key) => {
            let algorithm = der_tlv(
                0x30,
                &[oid_tlv(ID_EC_PUBLIC_KEY), oid_tlv(PRIME256V1)].concat(),
            );
            let point = key.verifying_key().to_sec1_point(false);
            spki_tlv(&algorithm, point.as_bytes())
        }
        PublicKey::Rsa(key) => {
            let algorithm = der_tlv(
                0x30,
                &[oid_tlv(RSA_ENCRYPTION), der_tlv(0x05, &[])].concat(),
            );
            let modulus = unsigned_integer_tlv(&key.n().to_be_bytes());
            let exponent = unsigned_integer_tlv(&key.e().to_be_bytes());
            spki_tlv(&algorithm, &der_tlv(0x30, &[modulus, exponent].concat()))
        }
    }
}

/// An EC P-256 key from its affine coordinates (big-endian, at most 32 bytes each; shorter ones
/// are left-padded, as JWK encoders that drop leading zeros produce).
pub fn ec_p256_from_coordinates(x: &[u8], y: &[u8]) -> Result<PublicKey> {
    let mut point = [0u8; 65];
    point[0] = 0x04;
    let (x_slot, y_slot) = point[1..].split_at_mut(32);
    for (coordinate, slot) in [(x, x_slot), (y, y_slot)] {
        let coordinate = strip_leading_zeros(coordinate);
        let start = slot.len().checked_sub(coordinate.len()).ok_or_else(|| {
            entry_error("an EC coordinate is longer than 32 bytes: not a P-256 key".to_owned())
        })?;
        slot.get_mut(start..)
            .ok_or_else(|| entry_error("an EC coordinate is malformed".to_owned()))?
            .copy_from_slice(coordinate);
    }
    ec_p256_from_sec1(&point)
}

/// An RSA key from its modulus and public exponent (big-endian), within
/// [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`] bits.
pub fn rsa_from_components(modulus: &[u8], exponent: &[u8]) -> Result<PublicKey> {
    let modulus = strip_leading_zeros(modulus);
    let exponent = strip_leading_zeros(exponent);
    let bits = match modulus.first() {
        Some(first) => (modulus.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    };
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(entry_error(format!(
            "unsupported key type: RSA with a {bits}-bit modulus (only {MIN_RSA_BITS} to {MAX_RSA_BITS} bits are accepted)"
        )));
    }
    // An exponent above 2^33 is refused by `rsa` anyway; checking the length first keeps a hostile
    // list from making it allocate a huge number.
    if exponent.is_empty() || exponent.len() > 8 {
        return Err(entry_error(
            "the RSA key's exponent is malformed".to_owned(),
        ));
    }
    let n = BoxedUint::from_be_slice_vartime(modulus);
    let e = BoxedUint::from_be_slice_vartime(exponent);
    rsa::PublicKey::new_with_size_limits(n, e, MIN_RSA_BITS..=MAX_RSA_BITS)
        .map(PublicKey::Rsa)
        .map_err(|err| entry_error(format!("the RSA key is malformed ({err})")))
}

fn key_from_parts(
    algorithm: ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
    key: &[u8],
) -> Result<PublicKey> {
    if algorithm == ID_EC_PUBLIC_KEY {
        let curve = parameters.and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        return match curve {
            Some(curve) if curve == PRIME256V1 => ec_p256_from_sec1(key),
            Some(curve) if curve == SECP384R1 => Err(unsupported("EC P-384")),
            Some(curve) if curve == SECP521R1 => Err(unsupported("EC P-521")),
            Some(curve) => Err(unsupported(&format!("EC on curve {curve}"))),
            None => Err(unsupported("EC without a named curve")),
        };
    }
    if algorithm == RSA_ENCRYPTION || algorithm == ID_RSASSA_PSS {
        let rsa = rsa::pkcs1::RsaPublicKeyRef::from_der(key)
            .map_err(|err| entry_error(format!("the RSA key is malformed ({err})")))?;
        return rsa_from_components(rsa.modulus.as_bytes(), rsa.public_exponent.as_bytes());
    }
    if algorithm == ID_ED25519 {
        return Err(unsupported("Ed25519"));
    }
    Err(unsupported(&format!("algorithm {algorithm}")))
}

fn ec_p256_from_sec1(point: &[u8]) -> Result<PublicKey> {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
        .map(|key| PublicKey::EcP256(key.into()))
        .map_err(|_| entry_error("the EC key is not a valid P-256 point".to_owned()))
}

fn unsupported(what: &str) -> Error {
    entry_error(format!(
        "unsupported key type {what} (DCCs are signed only with EC P-256 or RSA)"
    ))
}

fn entry_error(why: String) -> Error {
    Error::TrustEntry(why)
}

fn unix_seconds(time: x509_cert::time::Time) -> Result<i64> {
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
    let mut usage = KeyUsage {
        test: false,
        vaccination: false,
        recovery: false,
    };
    let mut any_dcc_oid = false;
    while !reader.is_finished() {
        let item: AnyRef<'_> = reader.decode().map_err(malformed)?;
        if item.tag() != Tag::ObjectIdentifier {
            continue;
        }
        for (oid, dcc_usage) in &DCC_KEY_USAGES {
            if item.value() == oid.as_bytes() {
                any_dcc_oid = true;
                match dcc_usage {
                    DccUsage::Test => usage.test = true,
                    DccUsage::Vaccination => usage.vaccination = true,
                    DccUsage::Recovery => usage.recovery = true,
                }
            }
        }
    }
    Ok(if any_dcc_oid { usage } else { KeyUsage::ALL })
}

/// The first value of attribute `oid` in `name`, as text.
fn name_attribute(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| attribute_text(atv.value.to_ref()))
}

/// `name` as "C=VN, O=..., CN=...", in the certificate's order.
fn name_to_text(name: &Name) -> String {
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

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

/// One DER TLV. Lengths up to 2^32 - 1, far beyond any key or certificate built here.
pub(crate) fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let len_bytes = (len as u64).to_be_bytes();
        let significant = strip_leading_zeros(&len_bytes);
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

fn oid_tlv(oid: ObjectIdentifier) -> Vec<u8> {
    der_tlv(0x06, oid.as_bytes())
}

fn unsigned_integer_tlv(be_bytes: &[u8]) -> Vec<u8> {
    let digits = strip_leading_zeros(be_bytes);
    let mut content = Vec::with_capacity(digits.len() + 1);
    // A positive INTEGER whose top bit is set needs a leading zero byte; zero itself is one 0x00.
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(digits);
    der_tlv(0x02, &content)
}

fn spki_tlv(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    let bit_string = der_tlv(0x03, &[&[0u8][..], key].concat());
    der_tlv(0x30, &[algorithm, &bit_string[..]].concat())
}

/// Hand-built DER certificates and keys for the tests of this module and of the formats.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// Asserts that `list` skipped exactly `expected.len()` entries, in order, each with a reason
    /// that mentions the matching word.
    pub fn assert_skipped_reasons(list: &crate::trust::TrustList, expected: &[&str]) {
        let reasons: Vec<&str> = list.skipped().iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), expected.len(), "{reasons:?}");
        for (reason, expected) in reasons.iter().zip(expected) {
            assert!(
                reason.contains(expected),
                "{reason} should mention {expected}"
            );
        }
    }

    /// How a validity time is encoded.
    #[derive(Clone, Copy)]
    pub enum TimeEncoding {
        Utc,
        Generalized,
    }

    /// What goes into a test certificate.
    pub struct CertSpec<'a> {
        pub subject_country: Option<&'a str>,
        pub issuer_country: Option<&'a str>,
        pub common_name: &'a str,
        /// (year, month, day) of notBefore and notAfter, at 00:00:00Z.
        pub not_before: (i64, u32, u32, TimeEncoding),
        pub not_after: (i64, u32, u32, TimeEncoding),
        pub spki: Vec<u8>,
        /// OIDs of the extended key usage extension; `None` leaves the extension out.
        pub eku: Option<Vec<&'a str>>,
    }

    impl Default for CertSpec<'_> {
        fn default() -> Self {
            CertSpec {
                subject_country: Some("VN"),
                issuer_country: Some("VN"),
                common_name: "Test DSC",
                not_before: (2021, 6, 1, TimeEncoding::Utc),
                not_after: (2030, 6, 1, TimeEncoding::Utc),
                spki: ec_spki(1),
                eku: None,
            }
        }
    }

    pub fn oid(dotted: &str) -> Vec<u8> {
        der_tlv(0x06, ObjectIdentifier::new_unwrap(dotted).as_bytes())
    }

    fn name(country: Option<&str>, common_name: &str) -> Vec<u8> {
        let mut rdns = Vec::new();
        if let Some(country) = country {
            let atv = der_tlv(
                0x30,
                &[oid("2.5.4.6"), der_tlv(0x13, country.as_bytes())].concat(),
            );
            rdns.extend(der_tlv(0x31, &atv));
        }
        let org = der_tlv(
            0x30,
            &[oid("2.5.4.10"), der_tlv(0x0c, "Bộ Y tế".as_bytes())].concat(),
        );
        rdns.extend(der_tlv(0x31, &org));
        let cn = der_tlv(
            0x30,
            &[oid("2.5.4.3"), der_tlv(0x0c, common_name.as_bytes())].concat(),
        );
        rdns.extend(der_tlv(0x31, &cn));
        der_tlv(0x30, &rdns)
    }

    fn time((year, month, day, encoding): (i64, u32, u32, TimeEncoding)) -> Vec<u8> {
        match encoding {
            TimeEncoding::Utc => der_tlv(
                0x17,
                format!("{:02}{month:02}{day:02}000000Z", year % 100).as_bytes(),
            ),
            TimeEncoding::Generalized => der_tlv(
                0x18,
                format!("{year:04}{month:02}{day:02}000000Z").as_bytes(),
            ),
        }
    }

    /// A DER certificate built from `spec`; its signature is filler (DSC signatures are not checked).
    pub fn make_cert(spec: &CertSpec<'_>) -> Vec<u8> {
        let signature_algorithm = der_tlv(0x30, &oid("1.2.840.10045.4.3.2"));
        let mut tbs = Vec::new();
        tbs.extend(der_tlv(0xa0, &der_tlv(0x02, &[2])));
        tbs.extend(der_tlv(0x02, &[0x01, 0x23]));
        tbs.extend(&signature_algorithm);
        tbs.extend(name(spec.issuer_country, "Test CSCA"));
        tbs.extend(der_tlv(
            0x30,
            &[time(spec.not_before), time(spec.not_after)].concat(),
        ));
        tbs.extend(name(spec.subject_country, spec.common_name));
        tbs.extend(&spec.spki);
        if let Some(eku) = &spec.eku {
            let oids: Vec<u8> = eku.iter().flat_map(|o| oid(o)).collect();
            let extension = der_tlv(
                0x30,
                &[oid("2.5.29.37"), der_tlv(0x04, &der_tlv(0x30, &oids))].concat(),
            );
            tbs.extend(der_tlv(0xa3, &der_tlv(0x30, &extension)));
        }
        let tbs = der_tlv(0x30, &tbs);
        let signature = der_tlv(0x03, &[0u8, 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]);
        der_tlv(0x30, &[tbs, signature_algorithm, signature].concat())
    }

    /// A deterministic P-256 signing key.
    pub fn ec_signing_key(seed: u8) -> p256::ecdsa::SigningKey {
        let mut scalar = [0x11u8; 32];
        scalar[31] = seed;
        p256::ecdsa::SigningKey::from_slice(&scalar).expect("a valid scalar")
    }

    /// The SPKI of [`ec_signing_key`]`(seed)`.
    pub fn ec_spki(seed: u8) -> Vec<u8> {
        public_key_to_spki(&PublicKey::EcP256(
            (*ec_signing_key(seed).verifying_key()).into(),
        ))
    }

    /// An RSA SPKI with a `bits`-bit odd modulus (not a product of primes: loading does not care).
    pub fn rsa_spki(bits: usize) -> Vec<u8> {
        let algorithm = der_tlv(
            0x30,
            &[oid("1.2.840.113549.1.1.1"), der_tlv(0x05, &[])].concat(),
        );
        spki_tlv(&algorithm, &rsa_pkcs1(bits))
    }

    /// PKCS#1 RSAPublicKey with a `bits`-bit odd modulus and e = 65537.
    pub fn rsa_pkcs1(bits: usize) -> Vec<u8> {
        let mut modulus = vec![0xa5u8; bits.div_ceil(8)];
        modulus[0] = 0xc0 >> ((8 - bits % 8) % 8);
        if let Some(last) = modulus.last_mut() {
            *last |= 1;
        }
        der_tlv(
            0x30,
            &[
                unsigned_integer_tlv(&modulus),
                unsigned_integer_tlv(&[1, 0, 1]),
            ]
            .concat(),
        )
    }

    /// A P-384 SPKI (the point is filler: the curve is refused first).
    pub fn p384_spki() -> Vec<u8> {
        let algorithm = der_tlv(
            0x30,
            &[oid("1.2.840.10045.2.1"), oid("1.3.132.0.34")].concat(),
        );
        let mut point = vec![0x04u8];
        point.extend([0x42u8; 96]);
        spki_tlv(&algorithm, &point)
    }

    /// An RSA-PSS SPKI (`id-RSASSA-PSS`, no parameters).
    pub fn rsa_pss_spki(bits: usize) -> Vec<u8> {
        let algorithm = der_tlv(0x30, &oid("1.2.840.113549.1.1.10"));
        spki_tlv(&algorithm, &rsa_pkcs1(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
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
        let der = make_cert(&CertSpec::default());
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
            let der = make_cert(&CertSpec {
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
        let der = make_cert(&CertSpec {
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
        let der = make_cert(&CertSpec {
            subject_country: None,
            issuer_country: None,
            ..CertSpec::default()
        });
        assert_eq!(dsc_from_der(&der).expect("loads").country, None);
    }

    #[test]
    fn rsa_keys_load_within_the_size_bounds() {
        for (spki, ok) in [
            (rsa_spki(2048), true),
            (rsa_spki(MIN_RSA_BITS), true),
            (rsa_spki(MAX_RSA_BITS), true),
            (rsa_pss_spki(3072), true),
            (rsa_spki(MIN_RSA_BITS - 8), false),
            (rsa_spki(MAX_RSA_BITS + 8), false),
        ] {
            let key = public_key_from_spki(&spki);
            assert_eq!(key.is_ok(), ok, "{key:?}");
            if let Ok(key) = key {
                assert!(matches!(key, PublicKey::Rsa(_)));
            }
            let dsc = dsc_from_der(&make_cert(&CertSpec {
                spki,
                ..CertSpec::default()
            }));
            assert_eq!(dsc.is_ok(), ok);
        }
    }

    #[test]
    fn refuses_unsupported_and_broken_keys() {
        let cases: [(Vec<u8>, &str); 4] = [
            (p384_spki(), "unsupported key type EC P-384"),
            (rsa_spki(512), "512-bit"),
            (
                vec![0x30, 0x03, 0x02, 0x01, 0x01],
                "not a readable public key",
            ),
            (
                {
                    let mut spki = ec_spki(2);
                    let last = spki.len() - 1;
                    spki[last] ^= 0xff; // no longer on the curve
                    spki
                },
                "not a valid P-256 point",
            ),
        ];
        for (spki, reason) in cases {
            let err = public_key_from_spki(&spki).expect_err("refused");
            assert_eq!(err.code(), "trust_entry");
            assert!(
                err.to_string().contains(reason),
                "{err} should mention {reason}"
            );
        }
        let err = dsc_from_der(&make_cert(&CertSpec {
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
        let der = make_cert(&CertSpec::default());
        for cut in [1, der.len() / 2, der.len() - 1] {
            assert!(dsc_from_der(&der[..cut]).is_err());
        }
    }

    #[test]
    fn spki_encoding_round_trips() {
        for spki in [ec_spki(3), rsa_spki(2048), rsa_spki(4096)] {
            let key = public_key_from_spki(&spki).expect("loads");
            assert_eq!(public_key_to_spki(&key), spki);
        }
        // A PSS SPKI is re-encoded as rsaEncryption, with the same key.
        let key = public_key_from_spki(&rsa_pss_spki(2048)).expect("loads");
        assert_eq!(public_key_to_spki(&key), rsa_spki(2048));
    }

    #[test]
    fn ec_keys_from_coordinates_accept_stripped_leading_zeros() {
        let spki = ec_spki(4);
        let point = &spki[spki.len() - 64..];
        let (x, y) = point.split_at(32);
        let key = ec_p256_from_coordinates(x, y).expect("loads");
        assert_eq!(public_key_to_spki(&key), spki);
        let mut padded_x = vec![0, 0];
        padded_x.extend_from_slice(x);
        assert_eq!(ec_p256_from_coordinates(&padded_x, y).expect("loads"), key);
        assert!(ec_p256_from_coordinates(&[1u8; 33], y).is_err());
        assert!(ec_p256_from_coordinates(&[], &[]).is_err());
    }

    #[test]
    fn der_tlv_encodes_long_lengths() {
        assert_eq!(der_tlv(0x04, &[7; 3]), vec![0x04, 3, 7, 7, 7]);
        assert_eq!(&der_tlv(0x04, &[0; 200])[..3], &[0x04, 0x81, 200]);
        assert_eq!(&der_tlv(0x04, &[0; 300])[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(unsigned_integer_tlv(&[0, 0, 0x80]), vec![0x02, 2, 0, 0x80]);
        assert_eq!(unsigned_integer_tlv(&[0]), vec![0x02, 1, 0]);
    }
}
