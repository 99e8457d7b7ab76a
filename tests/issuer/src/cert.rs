//! Signed health certificates: CWT claims → COSE_Sign1 → zlib → base45 → `HC1:` text, with
//! switches for every way a real or forged certificate can differ.

use ciborium::Value as Cbor;
use coset::{iana, AsCborValue, CoseSign1, Header, ProtectedHeader, RegisteredLabelWithPrivate};
use serde_json::Value;

use crate::dsc::Dsc;
use crate::keys::Key;
use crate::payload::{self, Holder};
use crate::unix;

/// CBOR tag of COSE_Sign1.
pub const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a CWT.
pub const TAG_CWT: u64 = 61;

/// Where the key identifier goes in the COSE headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KidPlacement {
    /// In the protected header only (what issuers do).
    Protected,
    /// In the unprotected header only.
    Unprotected,
    /// In both headers.
    Both,
    /// Nowhere.
    None,
}

/// A change made after signing, or a way of signing that breaks the signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// Nothing: an honest certificate.
    None,
    /// After signing, change one payload byte: the last digit of the date of birth (its lowest
    /// bit flipped, so the date stays well formed), or the last byte when there is no `dob`.
    Payload,
    /// After signing, flip the lowest bit of the signature's last byte.
    Signature,
}

/// Builds a signed certificate; see [`CertBuilder::new`].
#[derive(Clone, Debug)]
pub struct CertBuilder {
    signer: Key,
    kid: Vec<u8>,
    unprotected_kid: Option<Vec<u8>>,
    kid_placement: KidPlacement,
    alg: Option<i64>,
    alg_unprotected: bool,
    payload: Value,
    raw_claims: Option<Vec<u8>>,
    iss: Option<String>,
    iat: Option<i64>,
    exp: Option<i64>,
    float_timestamps: bool,
    tagged: bool,
    cwt_tag: bool,
    compress: bool,
    tamper: Tamper,
}

/// A signed certificate and every intermediate encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    /// The CWT claims, CBOR (the COSE payload, as sent, so after any payload tampering).
    pub cwt: Vec<u8>,
    /// The data that was signed: the COSE `Sig_structure` ("Signature1", protected header,
    /// empty external AAD, payload as signed).
    pub sig_structure: Vec<u8>,
    /// The signature as sent.
    pub signature: Vec<u8>,
    /// The COSE_Sign1, CBOR (with its tags, if any).
    pub cose: Vec<u8>,
    /// What base45 encodes: zlib of `cose`, or `cose` itself when not compressed.
    pub compressed: Vec<u8>,
    /// The QR text: `HC1:` + base45.
    pub text: String,
}

impl CertBuilder {
    /// A certificate signed by `dsc`'s key with its kid in the protected header, alg from the
    /// key, `iss` = the DSC's country, iat 2026-01-01, exp 2027-01-01, a vaccination payload
    /// for [`Holder::example`], tagged COSE_Sign1, compressed.
    pub fn new(dsc: &Dsc) -> Self {
        CertBuilder {
            signer: dsc.key().clone(),
            kid: dsc.kid().to_vec(),
            unprotected_kid: None,
            kid_placement: KidPlacement::Protected,
            alg: None,
            alg_unprotected: false,
            payload: payload::vaccination(&Holder::example(), dsc.country()),
            raw_claims: None,
            iss: Some(dsc.country().to_owned()),
            iat: Some(unix(2026, 1, 1)),
            exp: Some(unix(2027, 1, 1)),
            float_timestamps: false,
            tagged: true,
            cwt_tag: false,
            compress: true,
            tamper: Tamper::None,
        }
    }

    /// The DCC payload (the value of claim -260 → 1), as JSON.
    pub fn payload(mut self, payload: Value) -> Self {
        self.payload = payload;
        self
    }

    /// Signs these bytes as the COSE payload instead of building CWT claims (for broken CWTs).
    pub fn raw_claims(mut self, claims: Vec<u8>) -> Self {
        self.raw_claims = Some(claims);
        self
    }

    /// The `iss` claim (1); `None` leaves it out.
    pub fn iss(mut self, iss: Option<&str>) -> Self {
        self.iss = iss.map(str::to_owned);
        self
    }

    /// The `iat` claim (6), unix seconds; `None` leaves it out.
    pub fn iat(mut self, iat: Option<i64>) -> Self {
        self.iat = iat;
        self
    }

    /// The `exp` claim (4), unix seconds; `None` leaves it out.
    pub fn exp(mut self, exp: Option<i64>) -> Self {
        self.exp = exp;
        self
    }

    /// Writes `iat` and `exp` as CBOR floats (as a few issuers did) instead of integers.
    pub fn float_timestamps(mut self, float: bool) -> Self {
        self.float_timestamps = float;
        self
    }

    /// The kid bytes to write (default: the DSC's kid), e.g. a wrong or unknown kid.
    pub fn kid(mut self, kid: &[u8]) -> Self {
        self.kid = kid.to_vec();
        self
    }

    /// A different kid for the unprotected header, used with [`KidPlacement::Both`].
    pub fn unprotected_kid(mut self, kid: &[u8]) -> Self {
        self.unprotected_kid = Some(kid.to_vec());
        self
    }

    /// Where the kid goes.
    pub fn kid_placement(mut self, placement: KidPlacement) -> Self {
        self.kid_placement = placement;
        self
    }

    /// The COSE `alg` value written in the header (default: the signing key's: ES256 = -7,
    /// PS256 = -37). The signature is still made with the key's own algorithm.
    pub fn alg(mut self, alg: i64) -> Self {
        self.alg = Some(alg);
        self
    }

    /// Puts `alg` in the unprotected header instead of the protected one.
    pub fn alg_unprotected(mut self, unprotected: bool) -> Self {
        self.alg_unprotected = unprotected;
        self
    }

    /// Signs with `key` instead of the DSC's key (the kid still names the DSC).
    pub fn sign_with(mut self, key: &Key) -> Self {
        self.signer = key.clone();
        self
    }

    /// Whether the COSE_Sign1 carries its tag 18 (default true).
    pub fn tagged(mut self, tagged: bool) -> Self {
        self.tagged = tagged;
        self
    }

    /// Whether a CWT tag 61 wraps the COSE structure (default false).
    pub fn cwt_tag(mut self, cwt_tag: bool) -> Self {
        self.cwt_tag = cwt_tag;
        self
    }

    /// Whether the COSE is zlib-compressed before base45 (default true).
    pub fn compress(mut self, compress: bool) -> Self {
        self.compress = compress;
        self
    }

    /// A change after signing.
    pub fn tamper(mut self, tamper: Tamper) -> Self {
        self.tamper = tamper;
        self
    }

    /// The CWT claims as CBOR: 1 iss, 4 exp, 6 iat, -260 {1: payload} (canonical order).
    pub fn claims(&self) -> Vec<u8> {
        if let Some(raw) = &self.raw_claims {
            return raw.clone();
        }
        let time = |t: i64| {
            if self.float_timestamps {
                Cbor::Float(t as f64)
            } else {
                Cbor::Integer(t.into())
            }
        };
        let mut claims = Vec::new();
        if let Some(iss) = &self.iss {
            claims.push((Cbor::Integer(1.into()), Cbor::Text(iss.clone())));
        }
        if let Some(exp) = self.exp {
            claims.push((Cbor::Integer(4.into()), time(exp)));
        }
        if let Some(iat) = self.iat {
            claims.push((Cbor::Integer(6.into()), time(iat)));
        }
        let hcert = Cbor::Map(vec![(
            Cbor::Integer(1.into()),
            payload::to_cbor(&self.payload),
        )]);
        claims.push((Cbor::Integer((-260).into()), hcert));
        cbor_bytes(&Cbor::Map(claims))
    }

    /// Signs and encodes.
    pub fn build(&self) -> Issued {
        let alg = self.alg.unwrap_or_else(|| self.signer.alg());
        let mut protected = Header::default();
        let mut unprotected = Header::default();
        if self.alg_unprotected {
            unprotected.alg = Some(alg_label(alg));
        } else {
            protected.alg = Some(alg_label(alg));
        }
        let unprotected_kid = self
            .unprotected_kid
            .clone()
            .unwrap_or_else(|| self.kid.clone());
        match self.kid_placement {
            KidPlacement::Protected => protected.key_id = self.kid.clone(),
            KidPlacement::Unprotected => unprotected.key_id = unprotected_kid,
            KidPlacement::Both => {
                protected.key_id = self.kid.clone();
                unprotected.key_id = unprotected_kid;
            }
            KidPlacement::None => {}
        }

        let mut sign1 = CoseSign1 {
            protected: ProtectedHeader {
                original_data: None,
                header: protected,
            },
            unprotected,
            payload: Some(self.claims()),
            signature: Vec::new(),
        };
        let sig_structure = sign1.tbs_data(b"");
        sign1.signature = self.signer.sign(&sig_structure);

        match self.tamper {
            Tamper::None => {}
            Tamper::Payload => {
                if let Some(payload) = sign1.payload.as_mut() {
                    let index = dob_last_byte(payload).unwrap_or(payload.len().saturating_sub(1));
                    if let Some(byte) = payload.get_mut(index) {
                        *byte ^= 0x01;
                    }
                }
            }
            Tamper::Signature => {
                if let Some(byte) = sign1.signature.last_mut() {
                    *byte ^= 0x01;
                }
            }
        }

        let cwt = sign1.payload.clone().unwrap_or_default();
        let signature = sign1.signature.clone();
        let mut value = sign1.to_cbor_value().expect("COSE_Sign1 encoding");
        if self.tagged {
            value = Cbor::Tag(TAG_COSE_SIGN1, Box::new(value));
        }
        if self.cwt_tag {
            value = Cbor::Tag(TAG_CWT, Box::new(value));
        }
        let cose = cbor_bytes(&value);
        let compressed = if self.compress {
            zlib(&cose)
        } else {
            cose.clone()
        };
        let text = hc1_text(&compressed);
        Issued {
            cwt,
            sig_structure,
            signature,
            cose,
            compressed,
            text,
        }
    }
}

/// COSE's label for an algorithm number: a registered one by name, any other as a plain integer.
fn alg_label(alg: i64) -> coset::Algorithm {
    use coset::iana::EnumI64;
    match iana::Algorithm::from_i64(alg) {
        Some(known) => RegisteredLabelWithPrivate::Assigned(known),
        None => RegisteredLabelWithPrivate::PrivateUse(alg),
    }
}

/// Index of the last byte of the `dob` text value in CBOR claims, if there is one.
fn dob_last_byte(claims: &[u8]) -> Option<usize> {
    let key = [0x63, b'd', b'o', b'b'];
    let start = claims.windows(key.len()).position(|window| window == key)? + key.len();
    let header = *claims.get(start)?;
    // A short text string (major type 3, length < 24) holds any date of birth.
    if !(0x61..0x78).contains(&header) {
        return None;
    }
    let len = usize::from(header - 0x60);
    let last = start + len;
    (last < claims.len()).then_some(last)
}

/// CBOR-encodes a value.
pub fn cbor_bytes(value: &Cbor) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes).expect("CBOR to memory");
    bytes
}

/// zlib-compresses (level 9, as issuers do).
pub fn zlib(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 9)
}

/// `HC1:` + base45 of `data` (no compression: pass zlib output for a normal certificate).
pub fn hc1_text(data: &[u8]) -> String {
    format!("HC1:{}", base45::encode(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsc::Dsc;
    use coset::{CborSerializable, TaggedCborSerializable};
    use p256::ecdsa::signature::Verifier;

    fn decode(text: &str) -> Vec<u8> {
        let compressed =
            base45::decode(text.strip_prefix("HC1:").expect("prefix")).expect("base45");
        miniz_oxide::inflate::decompress_to_vec_zlib(&compressed).expect("zlib")
    }

    fn ec_verify(dsc: &Dsc, issued: &Issued) -> bool {
        let spki = dsc.key().spki_der();
        let key = <p256::ecdsa::VerifyingKey as spki::DecodePublicKey>::from_public_key_der(&spki)
            .expect("EC key");
        let Ok(signature) = p256::ecdsa::Signature::from_slice(&issued.signature) else {
            return false;
        };
        key.verify(&issued.sig_structure, &signature).is_ok()
    }

    #[test]
    fn es256_certificate_parses_with_coset_and_verifies_with_p256() {
        let dsc = Dsc::builder(&Key::es256("cert-test")).build();
        let issued = CertBuilder::new(&dsc).build();
        assert!(issued.text.starts_with("HC1:"));
        let cose = decode(&issued.text);
        assert_eq!(cose, issued.cose);
        let sign1 = CoseSign1::from_tagged_slice(&cose).expect("tagged COSE_Sign1");
        assert_eq!(sign1.protected.header.key_id, dsc.kid().to_vec());
        assert_eq!(sign1.protected.header.alg, Some(alg_label(-7)));
        assert!(sign1.unprotected.is_empty());
        assert_eq!(sign1.payload.as_deref(), Some(issued.cwt.as_slice()));
        assert_eq!(sign1.tbs_data(b""), issued.sig_structure);
        let key = <p256::ecdsa::VerifyingKey as spki::DecodePublicKey>::from_public_key_der(
            &dsc.key().spki_der(),
        )
        .expect("EC key");
        sign1
            .verify_signature(b"", |signature, data| {
                let signature = p256::ecdsa::Signature::from_slice(signature)?;
                key.verify(data, &signature)
            })
            .expect("signature verifies");
        // The claims: iss, exp, iat, hcert.
        let claims: Cbor = ciborium::from_reader(issued.cwt.as_slice()).expect("CWT");
        let entries = claims.as_map().expect("map");
        let keys: Vec<i128> = entries
            .iter()
            .filter_map(|(k, _)| k.as_integer().map(i128::from))
            .collect();
        assert_eq!(keys, [1, 4, 6, -260]);
        assert_eq!(entries[0].1, Cbor::Text("VN".into()));
        assert_eq!(entries[1].1, Cbor::Integer(unix(2027, 1, 1).into()));
    }

    #[test]
    fn switches_change_what_they_say() {
        let dsc = Dsc::builder(&Key::es256("cert-switches")).build();
        let honest = CertBuilder::new(&dsc);
        assert!(ec_verify(&dsc, &honest.build()));
        assert!(!ec_verify(
            &dsc,
            &honest.clone().tamper(Tamper::Signature).build()
        ));
        assert!(!ec_verify(
            &dsc,
            &honest.clone().sign_with(&Key::es256("other")).build()
        ));

        let tampered = honest.clone().tamper(Tamper::Payload).build();
        assert_ne!(tampered.cwt, honest.build().cwt);
        assert_eq!(tampered.cwt.len(), honest.build().cwt.len());
        let sign1 = CoseSign1::from_tagged_slice(&tampered.cose).expect("still COSE");
        assert_ne!(sign1.tbs_data(b""), tampered.sig_structure);

        let untagged = honest.clone().tagged(false).build();
        assert!(CoseSign1::from_slice(&untagged.cose).is_ok());
        assert_eq!(untagged.cose[0], 0x84);
        let cwt_tagged = honest.clone().cwt_tag(true).build();
        assert_eq!(&cwt_tagged.cose[..3], &[0xd8, 0x3d, 0xd2]);

        let unprotected = honest
            .clone()
            .kid_placement(KidPlacement::Unprotected)
            .build();
        let sign1 = CoseSign1::from_tagged_slice(&unprotected.cose).expect("COSE");
        assert!(sign1.protected.header.key_id.is_empty());
        assert_eq!(sign1.unprotected.key_id, dsc.kid().to_vec());

        let none = honest
            .clone()
            .kid_placement(KidPlacement::None)
            .alg(-70_000)
            .build();
        let sign1 = CoseSign1::from_tagged_slice(&none.cose).expect("COSE");
        assert!(sign1.protected.header.key_id.is_empty() && sign1.unprotected.key_id.is_empty());
        assert_eq!(
            sign1.protected.header.alg,
            Some(RegisteredLabelWithPrivate::PrivateUse(-70_000))
        );

        let raw = honest.clone().compress(false).build();
        assert_eq!(raw.compressed, raw.cose);

        let float = honest.float_timestamps(true).build();
        let claims: Cbor = ciborium::from_reader(float.cwt.as_slice()).expect("CWT");
        assert!(matches!(claims.as_map().expect("map")[1].1, Cbor::Float(_)));
    }

    #[test]
    fn vietnamese_ps256_certificate_decodes_to_nfc_names() {
        let key = Key::ps256(2048, "cert-vn");
        let dsc = Dsc::builder(&key).country("VN").build();
        let issued = CertBuilder::new(&dsc)
            .payload(payload::vaccination(&Holder::vietnamese(), "VN"))
            .build();
        let sign1 = CoseSign1::from_tagged_slice(&decode(&issued.text)).expect("COSE");
        assert_eq!(sign1.protected.header.alg, Some(alg_label(-37)));
        assert_eq!(sign1.signature.len(), 256);
        let (n, e) = key.rsa_public().expect("RSA");
        let public = rsa::PublicKey::new(
            rsa::BoxedUint::from_be_slice_vartime(&n),
            rsa::BoxedUint::from_be_slice_vartime(&e),
        )
        .expect("public key");
        let verifier = rsa::pss::VerifyingKey::<sha2::Sha256>::new(public);
        let signature = rsa::pss::Signature::try_from(sign1.signature.as_slice()).expect("sig");
        assert!(verifier.verify(&sign1.tbs_data(b""), &signature).is_ok());

        let claims: Cbor = ciborium::from_reader(issued.cwt.as_slice()).expect("CWT");
        let hcert = &claims.as_map().expect("map")[3].1;
        let dcc = &hcert.as_map().expect("hcert")[0].1;
        let nam = &dcc
            .as_map()
            .expect("dcc")
            .iter()
            .find(|(k, _)| k.as_text() == Some("nam"))
            .expect("nam")
            .1;
        let name = |field: &str| {
            nam.as_map()
                .and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some(field)))
                .and_then(|(_, v)| v.as_text())
                .map(str::to_owned)
        };
        assert_eq!(name("fn").as_deref(), Some("Nguy\u{1ec5}n"));
        assert_eq!(name("gn").as_deref(), Some("B\u{1ea3}o Duy"));
        assert_eq!(name("fnt").as_deref(), Some("NGUYEN"));
        assert_eq!(name("gnt").as_deref(), Some("BAO<DUY"));
    }
}
