//! Deterministic signing keys: the same seed always gives the same key, so fixtures made from
//! them are reproducible.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Mutex, OnceLock};

use chacha20::rand_core::SeedableRng;
use chacha20::ChaCha20Rng;
use p256::ecdsa::SigningKey as EcSigningKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use spki::EncodePublicKey;

/// COSE algorithm ES256 (ECDSA P-256 with SHA-256).
pub const ES256: i64 = -7;
/// COSE algorithm PS256 (RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32).
pub const PS256: i64 = -37;

/// A private signing key made from a seed: an ECDSA P-256 key or an RSA key.
#[derive(Clone)]
pub struct Key {
    seed: String,
    kind: KeyKind,
}

#[derive(Clone)]
enum KeyKind {
    Ec(EcSigningKey),
    Rsa(rsa::PrivateKey),
}

/// 32 bytes derived from a purpose and a seed: distinct purposes never share randomness.
fn derive_seed(purpose: &str, seed: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"dcc-test-issuer/");
    hasher.update(purpose.as_bytes());
    hasher.update(b"/");
    hasher.update(seed);
    hasher.finalize().into()
}

/// RSA keys already generated in this process: key generation is the slow part of every test
/// that uses one, and tests ask for the same few keys again and again.
fn rsa_cache() -> &'static Mutex<HashMap<(usize, String), rsa::PrivateKey>> {
    static CACHE: OnceLock<Mutex<HashMap<(usize, String), rsa::PrivateKey>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Every key made in this process, by kind and seed, with its public key (SPKI DER). Every such
/// key has a public seed, so the verifier must know it as a demo key: its test builds the
/// fixtures and checks that each key made on the way is in its list.
fn made() -> &'static Mutex<BTreeMap<String, Vec<u8>>> {
    static MADE: OnceLock<Mutex<BTreeMap<String, Vec<u8>>>> = OnceLock::new();
    MADE.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// The keys made in this process so far: `("es256:SEED" or "rsa-BITS:SEED", SPKI DER)`, sorted.
pub fn keys_made() -> Vec<(String, Vec<u8>)> {
    made()
        .lock()
        .map(|made| made.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

impl Key {
    fn recorded(self, kind: String) -> Key {
        if let Ok(mut made) = made().lock() {
            made.entry(format!("{kind}:{}", self.seed))
                .or_insert_with(|| self.spki_der());
        }
        self
    }

    /// An ECDSA P-256 key (for ES256) derived from `seed`.
    pub fn es256(seed: &str) -> Key {
        Key::es256_from(seed).recorded("es256".to_owned())
    }

    /// An ECDSA P-256 key from a random seed that never leaves this process: a stand-in for a
    /// production key in tests of production builds (it is no demo key, and never committed).
    pub fn es256_random() -> Key {
        use std::hash::{BuildHasher, Hasher};
        let random = |salt: u64| {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(salt);
            hasher.finish()
        };
        Key::es256_from(&format!("random/{:016x}{:016x}", random(1), random(2)))
    }

    fn es256_from(seed: &str) -> Key {
        // A SHA-256 output is a valid scalar with overwhelming probability; the counter makes the
        // rare miss deterministic too.
        let signing = (0u32..)
            .find_map(|counter| {
                let mut material = seed.as_bytes().to_vec();
                material.extend_from_slice(&counter.to_be_bytes());
                EcSigningKey::from_slice(&derive_seed("es256", &material)).ok()
            })
            .expect("some counter gives a valid P-256 scalar");
        Key {
            seed: seed.to_owned(),
            kind: KeyKind::Ec(signing),
        }
    }

    /// An RSA key of `bits` bits (1024, 2048, 3072 or 4096; for PS256) derived from `seed`.
    ///
    /// Generation runs a seeded ChaCha20 stream through `rsa`'s key generation, so the key is
    /// the same on every run with the same `rsa` version. Keys are cached per process.
    ///
    /// # Panics
    /// If `bits` is below 1024 (the `rsa` crate refuses smaller keys).
    pub fn ps256(bits: usize, seed: &str) -> Key {
        let cache_key = (bits, seed.to_owned());
        let cached = rsa_cache()
            .lock()
            .ok()
            .and_then(|cache| cache.get(&cache_key).cloned());
        let private = match cached {
            Some(private) => private,
            None => {
                let mut material = seed.as_bytes().to_vec();
                material.extend_from_slice(&(bits as u64).to_be_bytes());
                let mut rng = ChaCha20Rng::from_seed(derive_seed("rsa", &material));
                let private = rsa::PrivateKey::new(&mut rng, bits).expect("RSA key generation");
                if let Ok(mut cache) = rsa_cache().lock() {
                    cache.insert(cache_key, private.clone());
                }
                private
            }
        };
        Key {
            seed: seed.to_owned(),
            kind: KeyKind::Rsa(private),
        }
        .recorded(format!("rsa-{bits}"))
    }

    /// The seed this key was made from.
    pub fn seed(&self) -> &str {
        &self.seed
    }

    /// Whether this is an RSA key.
    pub fn is_rsa(&self) -> bool {
        matches!(self.kind, KeyKind::Rsa(_))
    }

    /// The RSA modulus size in bits, or `None` for an EC key.
    pub fn rsa_bits(&self) -> Option<usize> {
        match &self.kind {
            KeyKind::Rsa(private) => Some(private.n().bit_width() as usize),
            KeyKind::Ec(_) => None,
        }
    }

    /// The COSE algorithm this key signs with: ES256 (-7) or PS256 (-37).
    pub fn alg(&self) -> i64 {
        match self.kind {
            KeyKind::Ec(_) => ES256,
            KeyKind::Rsa(_) => PS256,
        }
    }

    /// The public key as DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Vec<u8> {
        let document = match &self.kind {
            KeyKind::Ec(signing) => signing.verifying_key().to_public_key_der(),
            KeyKind::Rsa(private) => private.to_public_key().to_public_key_der(),
        };
        document.expect("SPKI encoding").as_bytes().to_vec()
    }

    /// The public key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), LF line endings.
    pub fn public_key_pem(&self) -> String {
        der::pem::encode_string("PUBLIC KEY", der::pem::LineEnding::LF, &self.spki_der())
            .expect("PEM encoding")
    }

    /// The uncompressed EC point `(x, y)`, 32 bytes each, or `None` for an RSA key.
    pub fn ec_point(&self) -> Option<([u8; 32], [u8; 32])> {
        let KeyKind::Ec(signing) = &self.kind else {
            return None;
        };
        let sec1 = signing.verifying_key().to_sec1_bytes();
        // Uncompressed SEC1: 0x04 || x || y.
        let x: [u8; 32] = sec1.get(1..33)?.try_into().ok()?;
        let y: [u8; 32] = sec1.get(33..65)?.try_into().ok()?;
        Some((x, y))
    }

    /// The RSA modulus and public exponent, big-endian without leading zeros, or `None` for an
    /// EC key.
    pub fn rsa_public(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let KeyKind::Rsa(private) = &self.kind else {
            return None;
        };
        Some((private.n_bytes().to_vec(), private.e_bytes().to_vec()))
    }

    /// Signs `data` the way this key's algorithm does in COSE: ES256 gives the raw 64-byte
    /// `r || s`; PS256 gives an RSASSA-PSS signature (SHA-256, MGF1-SHA-256, salt 32) whose salt
    /// comes from a stream seeded by the key's seed and `data`, so it is reproducible.
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        match &self.kind {
            KeyKind::Ec(signing) => {
                // RFC 6979: deterministic nonces.
                let signature: p256::ecdsa::Signature = signing.sign(data);
                signature.to_bytes().to_vec()
            }
            KeyKind::Rsa(private) => {
                let mut material = self.seed.as_bytes().to_vec();
                material.push(0);
                material.extend_from_slice(data);
                let mut rng = ChaCha20Rng::from_seed(derive_seed("pss-salt", &material));
                let signer = rsa::pss::SigningKey::<Sha256>::new(private.clone());
                signer.sign_with_rng(&mut rng, data).to_vec()
            }
        }
    }

    /// An ECDSA P-256 / SHA-256 signature of `data` in DER (as trust-list signatures are).
    ///
    /// # Panics
    /// For an RSA key.
    pub fn sign_ecdsa_der(&self, data: &[u8]) -> Vec<u8> {
        let KeyKind::Ec(signing) = &self.kind else {
            panic!("sign_ecdsa_der needs an EC key, {} is RSA", self.seed)
        };
        let signature: p256::ecdsa::DerSignature = signing.sign(data);
        signature.to_vec()
    }

    /// Builds and self-signs a certificate: the certificate's own signature is ECDSA-SHA256 for
    /// an EC key and RSA PKCS#1 v1.5 SHA-256 for an RSA key, both deterministic.
    pub(crate) fn build_certificate<P>(
        &self,
        builder: x509_cert::builder::CertificateBuilder<P>,
    ) -> x509_cert::Certificate
    where
        P: x509_cert::builder::profile::BuilderProfile,
    {
        use x509_cert::builder::Builder;
        let built = match &self.kind {
            KeyKind::Ec(signing) => builder.build::<_, p256::ecdsa::DerSignature>(signing),
            KeyKind::Rsa(private) => {
                let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(private.clone());
                builder.build::<_, rsa::pkcs1v15::Signature>(&signer)
            }
        };
        built.expect("certificate signing")
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            KeyKind::Ec(_) => "EC P-256".to_owned(),
            KeyKind::Rsa(private) => format!("RSA-{}", private.n().bit_width()),
        };
        f.debug_struct("Key")
            .field("seed", &self.seed)
            .field("kind", &kind)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;

    #[test]
    fn es256_keys_are_deterministic_and_distinct() {
        assert_eq!(Key::es256("a").spki_der(), Key::es256("a").spki_der());
        assert_ne!(Key::es256("a").spki_der(), Key::es256("b").spki_der());
        assert_eq!(Key::es256("a").alg(), ES256);
    }

    #[test]
    fn es256_signature_is_raw_and_verifies() {
        let key = Key::es256("verify-me");
        let signature = key.sign(b"hello");
        assert_eq!(signature.len(), 64);
        let KeyKind::Ec(signing) = &key.kind else {
            panic!("EC key expected")
        };
        let parsed = p256::ecdsa::Signature::from_slice(&signature).expect("raw r||s");
        assert!(signing.verifying_key().verify(b"hello", &parsed).is_ok());
        assert!(signing.verifying_key().verify(b"hellO", &parsed).is_err());
    }

    #[test]
    fn ps256_key_is_deterministic_with_reproducible_pss_salt() {
        let key = Key::ps256(1024, "small");
        assert_eq!(key.rsa_bits(), Some(1024));
        assert_eq!(key.alg(), PS256);
        // A fresh generation (bypassing the cache) gives the same modulus.
        rsa_cache().lock().expect("cache").clear();
        assert_eq!(Key::ps256(1024, "small").rsa_public(), key.rsa_public());
        let first = key.sign(b"data");
        assert_eq!(first, key.sign(b"data"));
        assert_eq!(first.len(), 128);
        let KeyKind::Rsa(private) = &key.kind else {
            panic!("RSA key expected")
        };
        let verifier = rsa::pss::VerifyingKey::<Sha256>::new(private.to_public_key());
        let signature = rsa::pss::Signature::try_from(first.as_slice()).expect("signature");
        assert!(verifier.verify(b"data", &signature).is_ok());
        assert!(verifier.verify(b"dada", &signature).is_err());
    }
}
