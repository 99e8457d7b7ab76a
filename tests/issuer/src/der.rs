//! A DER writer, and structures built with it byte by byte: the keys and certificates a test
//! needs in an encoding the `x509-cert` builder will not write (odd sizes, filler signatures,
//! curves a verifier refuses). The one DER writer of the project's tests.

use der::asn1::ObjectIdentifier;
use p256::ecdsa::SigningKey;

/// One DER TLV: `tag`, the definite length (short form below 128, long form above), `content`.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match u8::try_from(content.len()) {
        Ok(len) if len < 0x80 => out.push(len),
        _ => {
            let bytes = (content.len() as u64).to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | (bytes.len() - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
    }
    out.extend_from_slice(content);
    out
}

/// An OBJECT IDENTIFIER from its dotted form.
pub fn oid(dotted: &str) -> Vec<u8> {
    tlv(0x06, ObjectIdentifier::new_unwrap(dotted).as_bytes())
}

/// A non-negative INTEGER from big-endian bytes: leading zeros dropped, and one zero byte added
/// when the top bit is set (zero itself is one 0x00).
pub fn unsigned_integer(be_bytes: &[u8]) -> Vec<u8> {
    let zeros = be_bytes.iter().take_while(|&&b| b == 0).count();
    let digits = &be_bytes[zeros..];
    let mut content = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(digits);
    tlv(0x02, &content)
}

/// A SubjectPublicKeyInfo from its AlgorithmIdentifier (a whole SEQUENCE) and key bytes.
pub fn spki(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    let bit_string = tlv(0x03, &[&[0u8][..], key].concat());
    tlv(0x30, &[algorithm, &bit_string[..]].concat())
}

/// A deterministic P-256 signing key.
pub fn ec_signing_key(seed: u8) -> SigningKey {
    let mut scalar = [0x11u8; 32];
    scalar[31] = seed;
    SigningKey::from_slice(&scalar).expect("a valid scalar")
}

/// The SPKI (`id-ecPublicKey`, `prime256v1`, uncompressed point) of [`ec_signing_key`]`(seed)`.
pub fn ec_spki(seed: u8) -> Vec<u8> {
    let algorithm = tlv(
        0x30,
        &[oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7")].concat(),
    );
    let point = ec_signing_key(seed).verifying_key().to_sec1_point(false);
    spki(&algorithm, point.as_bytes())
}

/// PKCS#1 RSAPublicKey with a modulus exactly `bits` bits long (odd, not a product of primes:
/// loading a key does not factor it) and e = 65537.
pub fn rsa_pkcs1(bits: usize) -> Vec<u8> {
    let mut modulus = vec![0xa5u8; bits.div_ceil(8)];
    // The top two bits set, the highest at bit `bits - 1`.
    modulus[0] = 0xc0 >> ((8 - bits % 8) % 8);
    *modulus.last_mut().expect("not empty") |= 1;
    tlv(
        0x30,
        &[unsigned_integer(&modulus), unsigned_integer(&[1, 0, 1])].concat(),
    )
}

/// An `rsaEncryption` SPKI of [`rsa_pkcs1`]`(bits)`.
pub fn rsa_spki(bits: usize) -> Vec<u8> {
    let algorithm = tlv(
        0x30,
        &[oid("1.2.840.113549.1.1.1"), tlv(0x05, &[])].concat(),
    );
    spki(&algorithm, &rsa_pkcs1(bits))
}

/// An `id-RSASSA-PSS` SPKI (no parameters) of [`rsa_pkcs1`]`(bits)`.
pub fn rsa_pss_spki(bits: usize) -> Vec<u8> {
    let algorithm = tlv(0x30, &oid("1.2.840.113549.1.1.10"));
    spki(&algorithm, &rsa_pkcs1(bits))
}

/// A P-384 SPKI (the point is filler: a DCC verifier refuses the curve first).
pub fn p384_spki() -> Vec<u8> {
    let algorithm = tlv(
        0x30,
        &[oid("1.2.840.10045.2.1"), oid("1.3.132.0.34")].concat(),
    );
    let mut point = vec![0x04u8];
    point.extend([0x42u8; 96]);
    spki(&algorithm, &point)
}

/// How a validity time is encoded.
#[derive(Clone, Copy, Debug)]
pub enum TimeEncoding {
    /// UTCTime, two-digit year.
    Utc,
    /// GeneralizedTime, four-digit year.
    Generalized,
}

/// What goes into a hand-built certificate ([`certificate`]).
#[derive(Clone, Debug)]
pub struct CertSpec<'a> {
    /// The subject's C attribute, if any.
    pub subject_country: Option<&'a str>,
    /// The issuer's C attribute, if any.
    pub issuer_country: Option<&'a str>,
    /// The subject's CN (after C and O = "Bộ Y tế").
    pub common_name: &'a str,
    /// (year, month, day, encoding) of notBefore, at 00:00:00Z.
    pub not_before: (i64, u32, u32, TimeEncoding),
    /// (year, month, day, encoding) of notAfter, at 00:00:00Z.
    pub not_after: (i64, u32, u32, TimeEncoding),
    /// The SubjectPublicKeyInfo, whole.
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

/// A DER X.509 certificate built from `spec`; its signature is filler, since a DCC verifier does
/// not check the signatures of the DSCs a trust list gives it.
pub fn certificate(spec: &CertSpec<'_>) -> Vec<u8> {
    let signature_algorithm = tlv(0x30, &oid("1.2.840.10045.4.3.2"));
    let mut tbs = Vec::new();
    tbs.extend(tlv(0xa0, &tlv(0x02, &[2])));
    tbs.extend(tlv(0x02, &[0x01, 0x23]));
    tbs.extend(&signature_algorithm);
    tbs.extend(name(spec.issuer_country, "Test CSCA"));
    tbs.extend(tlv(
        0x30,
        &[time(spec.not_before), time(spec.not_after)].concat(),
    ));
    tbs.extend(name(spec.subject_country, spec.common_name));
    tbs.extend(&spec.spki);
    if let Some(eku) = &spec.eku {
        let oids: Vec<u8> = eku.iter().flat_map(|o| oid(o)).collect();
        let extension = tlv(
            0x30,
            &[oid("2.5.29.37"), tlv(0x04, &tlv(0x30, &oids))].concat(),
        );
        tbs.extend(tlv(0xa3, &tlv(0x30, &extension)));
    }
    let tbs = tlv(0x30, &tbs);
    let signature = tlv(0x03, &[0u8, 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]);
    tlv(0x30, &[tbs, signature_algorithm, signature].concat())
}

fn name(country: Option<&str>, common_name: &str) -> Vec<u8> {
    let attribute = |dotted: &str, tag: u8, value: &str| {
        tlv(
            0x31,
            &tlv(0x30, &[oid(dotted), tlv(tag, value.as_bytes())].concat()),
        )
    };
    let mut rdns = Vec::new();
    if let Some(country) = country {
        rdns.extend(attribute("2.5.4.6", 0x13, country));
    }
    rdns.extend(attribute("2.5.4.10", 0x0c, "Bộ Y tế"));
    rdns.extend(attribute("2.5.4.3", 0x0c, common_name));
    tlv(0x30, &rdns)
}

fn time((year, month, day, encoding): (i64, u32, u32, TimeEncoding)) -> Vec<u8> {
    match encoding {
        TimeEncoding::Utc => tlv(
            0x17,
            format!("{:02}{month:02}{day:02}000000Z", year % 100).as_bytes(),
        ),
        TimeEncoding::Generalized => tlv(
            0x18,
            format!("{year:04}{month:02}{day:02}000000Z").as_bytes(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_take_the_short_and_long_forms() {
        assert_eq!(tlv(0x04, &[7; 3]), vec![0x04, 3, 7, 7, 7]);
        assert_eq!(&tlv(0x04, &[0; 127])[..2], &[0x04, 0x7f]);
        assert_eq!(&tlv(0x04, &[0; 200])[..3], &[0x04, 0x81, 200]);
        assert_eq!(&tlv(0x04, &[0; 300])[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(unsigned_integer(&[0, 0, 0x80]), vec![0x02, 2, 0, 0x80]);
        assert_eq!(unsigned_integer(&[0]), vec![0x02, 1, 0]);
    }

    #[test]
    fn rsa_moduli_have_exactly_the_bits_asked_for() {
        for bits in [1016, 1024, 1025, 2047, 2048, 3072, 4095, 4104] {
            let modulus = rsa_modulus(&rsa_pkcs1(bits));
            let zeros = modulus.iter().take_while(|&&b| b == 0).count();
            let digits = &modulus[zeros..];
            let length = (digits.len() - 1) * 8 + (8 - digits[0].leading_zeros() as usize);
            assert_eq!(length, bits);
        }
    }

    /// The modulus bytes of a PKCS#1 key this module wrote.
    fn rsa_modulus(pkcs1: &[u8]) -> Vec<u8> {
        use der::{Decode, Reader, SliceReader};
        let sequence = der::asn1::AnyRef::from_der(pkcs1).expect("a SEQUENCE");
        let mut reader = SliceReader::new(sequence.value()).expect("content");
        let modulus: der::asn1::UintRef<'_> = reader.decode().expect("an INTEGER");
        modulus.as_bytes().to_vec()
    }

    #[test]
    fn certificates_parse_with_x509_cert() {
        use der::Decode;
        let der = certificate(&CertSpec {
            eku: Some(vec!["1.3.6.1.4.1.1847.2021.1.1"]),
            ..CertSpec::default()
        });
        let cert = x509_cert::Certificate::from_der(&der).expect("parses");
        // x509-cert writes names in RFC 4514 order, the last RDN first.
        assert_eq!(
            cert.tbs_certificate().subject().to_string(),
            "CN=Test DSC,O=Bộ Y tế,C=VN"
        );
    }
}
