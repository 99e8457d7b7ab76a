//! Trust lists in every format the verifier reads: the EU gateway's DSC list (plain and with a
//! signed first line), PEM bundles, the French, Swiss and Dutch republications.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use crate::dsc::Dsc;
use crate::keys::Key;
use crate::{b64, rfc3339};

/// The DSCs of a trust list, each under a kid (normally its own).
#[derive(Clone, Debug, Default)]
pub struct TrustListBuilder {
    entries: Vec<(Dsc, [u8; 8])>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GatewayEntry {
    certificate_type: &'static str,
    country: String,
    kid: String,
    raw_data: String,
    signature: &'static str,
    thumbprint: String,
    timestamp: String,
}

#[derive(Serialize)]
struct GatewayList {
    certificates: Vec<GatewayEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FrEntry {
    serial_number: String,
    subject: String,
    issuer: String,
    not_before: String,
    not_after: String,
    signature_algorithm: &'static str,
    public_key_algorithm: serde_json::Value,
    public_key_pem: String,
}

#[derive(Serialize)]
struct ChEntry {
    #[serde(rename = "use")]
    usage: String,
    alg: &'static str,
    n: Option<String>,
    e: Option<String>,
    crv: Option<&'static str>,
    x: Option<String>,
    y: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NlEntry {
    subject_pk: String,
    ian: String,
    san: &'static str,
    key_usage: Vec<&'static str>,
}

#[derive(Serialize)]
struct NlList {
    eu_keys: BTreeMap<String, Vec<NlEntry>>,
}

/// The French list's dates: milliseconds and `Z`.
fn fr_time(unix_seconds: i64) -> String {
    rfc3339(unix_seconds).replace('Z', ".000Z")
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("JSON of plain data")
}

impl TrustListBuilder {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a DSC under its own kid.
    pub fn add(&mut self, dsc: &Dsc) -> &mut Self {
        self.entries.push((dsc.clone(), dsc.kid()));
        self
    }

    /// Adds a DSC under another kid (two DSCs can then share a kid, as in real lists).
    pub fn add_with_kid(&mut self, dsc: &Dsc, kid: [u8; 8]) -> &mut Self {
        self.entries.push((dsc.clone(), kid));
        self
    }

    /// The DSCs, in order, with their listed kids.
    pub fn entries(&self) -> &[(Dsc, [u8; 8])] {
        &self.entries
    }

    /// The gateway DSC list: `{"certificates":[{certificateType, country, kid, rawData,
    /// signature, thumbprint, timestamp}]}` (compact JSON). The timestamp is the DSC's notBefore.
    pub fn dsc_list_json(&self) -> String {
        let certificates = self
            .entries
            .iter()
            .map(|(dsc, kid)| GatewayEntry {
                certificate_type: "DSC",
                country: dsc.country().to_owned(),
                kid: b64(kid),
                raw_data: b64(dsc.der()),
                signature: "",
                thumbprint: dsc.thumbprint(),
                timestamp: rfc3339(dsc.not_before()).replace('Z', "+00:00"),
            })
            .collect();
        to_json(&GatewayList { certificates })
    }

    /// The DSC list as the gateway serves it: a first line holding the base64 DER ECDSA-P256-
    /// SHA256 signature of everything after that line, then the JSON.
    pub fn signed_dsc_list(&self, signer: &Key) -> String {
        let body = self.dsc_list_json();
        format!("{}\n{body}", b64(&signer.sign_ecdsa_der(body.as_bytes())))
    }

    /// Every DSC as PEM, one after another.
    pub fn pem_bundle(&self) -> String {
        self.entries.iter().map(|(dsc, _)| dsc.pem()).collect()
    }

    /// The French format: `{kid: {serialNumber, subject, issuer, notBefore, notAfter,
    /// signatureAlgorithm, publicKeyAlgorithm, publicKeyPem (base64 SPKI)}}`. A map holds one
    /// entry per kid: of DSCs sharing a kid, the last one listed stays.
    pub fn fr_json(&self) -> String {
        let mut map = BTreeMap::new();
        for (dsc, kid) in &self.entries {
            let (signature_algorithm, public_key_algorithm) = match dsc.key().rsa_bits() {
                Some(bits) => (
                    "RSASSA-PKCS1-v1_5",
                    json!({
                        "hash": {"name": "SHA-256"},
                        "name": "RSASSA-PKCS1-v1_5",
                        "publicExponent": {"0": 1, "1": 0, "2": 1},
                        "modulusLength": bits,
                    }),
                ),
                None => (
                    "ECDSA",
                    json!({"hash": {"name": "SHA-256"}, "name": "ECDSA", "namedCurve": "P-256"}),
                ),
            };
            map.insert(
                b64(kid),
                FrEntry {
                    serial_number: dsc.serial_hex(),
                    subject: dsc.subject(),
                    issuer: dsc.subject(),
                    not_before: fr_time(dsc.not_before()),
                    not_after: fr_time(dsc.not_after()),
                    signature_algorithm,
                    public_key_algorithm,
                    public_key_pem: b64(&dsc.key().spki_der()),
                },
            );
        }
        to_json(&map)
    }

    /// The Swiss format: `{kid: [{use, alg, n, e, crv, x, y}]}` in standard base64 — `n` as a
    /// signed big-endian integer (a leading zero byte when the top bit is set), as the real list
    /// writes it; `use` is `sig` for all types, else the letters `t`, `v`, `r` allowed.
    pub fn ch_json(&self) -> String {
        let mut map: BTreeMap<String, Vec<ChEntry>> = BTreeMap::new();
        for (dsc, kid) in &self.entries {
            let letters = dsc.usage_letters();
            let usage = if letters.is_empty() || letters.len() == 3 {
                "sig".to_owned()
            } else {
                letters.concat()
            };
            let entry = if let Some((n, e)) = dsc.key().rsa_public() {
                let mut signed_n = n;
                if signed_n.first().is_some_and(|top| top & 0x80 != 0) {
                    signed_n.insert(0, 0);
                }
                ChEntry {
                    usage,
                    alg: "RS256",
                    n: Some(b64(&signed_n)),
                    e: Some(b64(&e)),
                    crv: None,
                    x: None,
                    y: None,
                }
            } else {
                let (x, y) = dsc.key().ec_point().expect("EC key");
                ChEntry {
                    usage,
                    alg: "ES256",
                    n: None,
                    e: None,
                    crv: Some("P-256"),
                    x: Some(b64(&x)),
                    y: Some(b64(&y)),
                }
            };
            map.entry(b64(kid)).or_default().push(entry);
        }
        to_json(&map)
    }

    /// The Dutch format: `{"eu_keys": {kid: [{subjectPk (base64 SPKI), ian, san, keyUsage}]}}`
    /// with `keyUsage` the letters `t`, `v`, `r` allowed (empty: all).
    pub fn nl_json(&self) -> String {
        let mut eu_keys: BTreeMap<String, Vec<NlEntry>> = BTreeMap::new();
        for (dsc, kid) in &self.entries {
            eu_keys.entry(b64(kid)).or_default().push(NlEntry {
                subject_pk: b64(&dsc.key().spki_der()),
                ian: dsc.country().to_owned(),
                san: "",
                key_usage: dsc.usage_letters(),
            });
        }
        to_json(&NlList { eu_keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsc::{EKU_TEST, EKU_VACCINATION};
    use p256::ecdsa::signature::Verifier;

    fn sample() -> (Dsc, Dsc, TrustListBuilder) {
        let ec = Dsc::builder(&Key::es256("trust-ec"))
            .key_usage(&[EKU_TEST, EKU_VACCINATION])
            .build();
        let rsa = Dsc::builder(&Key::ps256(1024, "trust-rsa"))
            .country("DE")
            .build();
        let mut list = TrustListBuilder::new();
        list.add(&ec).add_with_kid(&rsa, ec.kid());
        (ec, rsa, list)
    }

    #[test]
    fn gateway_list_has_the_gateway_fields() {
        let (ec, rsa, list) = sample();
        let parsed: serde_json::Value = serde_json::from_str(&list.dsc_list_json()).expect("JSON");
        let certs = parsed["certificates"].as_array().expect("array");
        assert_eq!(certs.len(), 2);
        assert_eq!(certs[0]["kid"], ec.kid_b64());
        assert_eq!(certs[1]["kid"], ec.kid_b64(), "shared kid");
        assert_eq!(certs[1]["country"], "DE");
        assert_eq!(certs[1]["rawData"], b64(rsa.der()));
        assert_eq!(certs[0]["certificateType"], "DSC");
        assert_eq!(certs[0]["timestamp"], "2025-01-01T00:00:00+00:00");
        assert_eq!(certs[0]["thumbprint"].as_str().map(str::len), Some(64));
    }

    #[test]
    fn signed_list_signature_covers_the_rest() {
        let (_, _, list) = sample();
        let signer = Key::es256("trust-signer");
        let signed = list.signed_dsc_list(&signer);
        let (first, rest) = signed.split_once('\n').expect("two parts");
        assert_eq!(rest, list.dsc_list_json());
        let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, first)
            .expect("base64");
        let signature = p256::ecdsa::DerSignature::try_from(der.as_slice()).expect("DER sig");
        let key = <p256::ecdsa::VerifyingKey as spki::DecodePublicKey>::from_public_key_pem(
            &signer.public_key_pem(),
        )
        .expect("PEM key");
        assert!(key.verify(rest.as_bytes(), &signature).is_ok());
        assert!(key.verify(b"{}", &signature).is_err());
    }

    #[test]
    fn ch_nl_fr_shapes() {
        let (ec, _, list) = sample();
        let ch: serde_json::Value = serde_json::from_str(&list.ch_json()).expect("CH");
        let entries = ch[ec.kid_b64()].as_array().expect("kid array");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["use"], "tv");
        assert_eq!(entries[0]["crv"], "P-256");
        assert_eq!(entries[1]["use"], "sig");
        assert_eq!(entries[1]["e"], "AQAB");
        let n = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            entries[1]["n"].as_str().expect("n"),
        )
        .expect("base64");
        assert!(n.len() == 128 || (n.len() == 129 && n[0] == 0 && n[1] & 0x80 != 0));

        let nl: serde_json::Value = serde_json::from_str(&list.nl_json()).expect("NL");
        let keys = &nl["eu_keys"][ec.kid_b64()];
        assert_eq!(keys[0]["keyUsage"], json!(["t", "v"]));
        assert_eq!(keys[1]["keyUsage"], json!([]));
        assert_eq!(keys[0]["subjectPk"], b64(&ec.key().spki_der()));

        let fr: serde_json::Value = serde_json::from_str(&list.fr_json()).expect("FR");
        let entry = &fr[ec.kid_b64()];
        assert_eq!(entry["notBefore"], "2025-01-01T00:00:00.000Z");
        assert_eq!(
            entry["publicKeyAlgorithm"]["modulusLength"], 1024,
            "last of the shared kid"
        );
        assert_eq!(list.pem_bundle().matches("BEGIN CERTIFICATE").count(), 2);
    }
}
