//! SMART Health Cards and ICAO VDS-NC seals, made the way their issuers make them: an SHC
//! issuer's key and its directory entry (`{"iss", "keys"}`), a signed card (JWS compact, raw
//! DEFLATE, ES256) as `shc:/` numeric text whole or in chunks; a CSCA, a barcode signer it
//! issues, and a signed seal (`{"data", "sig"}`, ES256 over RFC 8785 canonical JSON of `data`).

use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::dsc::Dsc;
use crate::keys::Key;

/// Extended key usage OID of a barcode signer that may sign VDS-NC test seals.
pub const EKU_VDS_NC_TEST: &str = "2.23.136.1.1.14.1";
/// Extended key usage OID of a barcode signer that may sign VDS-NC vaccination seals.
pub const EKU_VDS_NC_VACCINATION: &str = "2.23.136.1.1.14.2";

const HEALTH_CARD_TYPE: &str = "https://smarthealth.cards#health-card";

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A SMART Health Card issuer: its `iss` URL and ES256 key.
#[derive(Clone, Debug)]
pub struct ShcIssuer {
    iss: String,
    key: Key,
}

impl ShcIssuer {
    /// An issuer at `iss` (an `https://` URL) signing with `key` (ES256).
    pub fn new(iss: &str, key: &Key) -> Self {
        ShcIssuer {
            iss: iss.to_owned(),
            key: key.clone(),
        }
    }

    fn coordinates(&self) -> (String, String) {
        let (x, y) = self
            .key
            .ec_point()
            .expect("SMART Health Card keys are EC P-256");
        (b64url(&x), b64url(&y))
    }

    /// The key's `kid`: its RFC 7638 JWK thumbprint (SHA-256 of the canonical public JWK).
    pub fn kid(&self) -> String {
        let (x, y) = self.coordinates();
        let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        b64url(&Sha256::digest(canonical.as_bytes()))
    }

    /// The public key as a JWK, as the issuer publishes it in `.well-known/jwks.json`.
    pub fn jwk(&self) -> Value {
        let (x, y) = self.coordinates();
        json!({"kty": "EC", "kid": self.kid(), "use": "sig", "alg": "ES256", "crv": "P-256", "x": x, "y": y})
    }

    /// The directory entry a verifier trusts: `{"iss", "keys": [JWK]}`.
    pub fn directory_entry(&self) -> Value {
        json!({"iss": self.iss, "keys": [self.jwk()]})
    }

    /// A signed card holding `bundle` (a FHIR Bundle), valid from `nbf` (unix seconds).
    pub fn card(&self, bundle: Value, nbf: i64) -> ShcCard {
        let payload = json!({
            "iss": self.iss,
            "nbf": nbf,
            "vc": {
                "type": [HEALTH_CARD_TYPE],
                "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": bundle},
            },
        });
        let header = json!({"alg": "ES256", "kid": self.kid(), "zip": "DEF"});
        let header = b64url(header.to_string().as_bytes());
        let body = b64url(&deflate(payload.to_string().as_bytes()));
        let signature = b64url(&self.key.sign(format!("{header}.{body}").as_bytes()));
        ShcCard {
            jws: format!("{header}.{body}.{signature}"),
        }
    }
}

/// Raw DEFLATE (RFC 1951, no zlib header), as SMART Health Cards compress their payload.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(data, 9)
}

/// A signed SMART Health Card.
#[derive(Clone, Debug)]
pub struct ShcCard {
    jws: String,
}

impl ShcCard {
    /// The JWS compact serialisation.
    pub fn jws(&self) -> &str {
        &self.jws
    }

    /// The QR text: `shc:/` and two digits per JWS character (its code minus 45).
    pub fn numeric(&self) -> String {
        format!("shc:/{}", numeric(&self.jws))
    }

    /// The QR texts of the card split in `parts` chunks (`shc:/i/n/…`), in order.
    pub fn chunks(&self, parts: usize) -> Vec<String> {
        let size = self.jws.len().div_ceil(parts);
        self.jws
            .as_bytes()
            .chunks(size)
            .enumerate()
            .map(|(index, piece)| {
                let piece = std::str::from_utf8(piece).expect("a JWS is ASCII");
                format!("shc:/{}/{}/{}", index + 1, parts, numeric(piece))
            })
            .collect()
    }

    /// The same card with its payload replaced by `other`'s (signature kept): altered after
    /// signing.
    pub fn with_payload_of(&self, other: &ShcCard) -> ShcCard {
        let mine: Vec<&str> = self.jws.split('.').collect();
        let theirs: Vec<&str> = other.jws.split('.').collect();
        ShcCard {
            jws: format!("{}.{}.{}", mine[0], theirs[1], mine[2]),
        }
    }
}

fn numeric(text: &str) -> String {
    text.bytes()
        .map(|byte| format!("{:02}", byte - 45))
        .collect()
}

/// A FHIR Bundle: the patient, then one Immunization per `(date, CVX code, lot, performer)`.
pub fn fhir_immunizations(
    family: &str,
    given: &[&str],
    birth_date: &str,
    doses: &[(&str, &str, &str, &str)],
) -> Value {
    let mut entries = vec![json!({
        "fullUrl": "resource:0",
        "resource": {
            "resourceType": "Patient",
            "name": [{"family": family, "given": given}],
            "birthDate": birth_date,
        },
    })];
    for (index, (date, cvx, lot, performer)) in doses.iter().enumerate() {
        entries.push(json!({
            "fullUrl": format!("resource:{}", index + 1),
            "resource": {
                "resourceType": "Immunization",
                "status": "completed",
                "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": cvx}]},
                "patient": {"reference": "resource:0"},
                "occurrenceDateTime": date,
                "performer": [{"actor": {"display": performer}}],
                "lotNumber": lot,
            },
        }));
    }
    json!({"resourceType": "Bundle", "type": "collection", "entry": entries})
}

/// A VDS-NC barcode signer: its certificate (issued by a CSCA) and key.
#[derive(Clone, Debug)]
pub struct SealSigner {
    bsc: Dsc,
}

impl SealSigner {
    /// Signs with `bsc`'s key; `bsc` goes into every seal as `sig.cer`.
    pub fn new(bsc: &Dsc) -> Self {
        SealSigner { bsc: bsc.clone() }
    }

    /// A signed seal of type `seal_type` (`icao.vacc`, `icao.test`) by issuing state `state`
    /// (ICAO three-letter code) with message `msg`, as the QR's JSON text.
    pub fn seal(&self, seal_type: &str, state: &str, msg: Value) -> String {
        let data = json!({"hdr": {"t": seal_type, "v": 1, "is": state}, "msg": msg});
        let signature = self.bsc.key().sign(canonical(&data).as_bytes());
        let seal = json!({
            "data": data,
            "sig": {"alg": "ES256", "cer": b64url(self.bsc.der()), "sigvl": b64url(&signature)},
        });
        canonical(&seal)
    }
}

/// RFC 8785 canonical JSON for the values seals hold (strings, small integers, arrays,
/// objects): members sorted by name, no white space.
pub fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            let members: Vec<String> = keys
                .into_iter()
                .map(|key| format!("{}:{}", Value::from(key.as_str()), canonical(&map[key])))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// A seal's JSON text with one member of `data.msg` changed after signing.
pub fn tamper_seal(seal: &str, edit: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut value: Value = serde_json::from_str(seal).expect("a seal is JSON");
    let msg = value["data"]["msg"].as_object_mut().expect("seal message");
    edit(msg);
    canonical(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sorts_members_and_drops_white_space() {
        let value = json!({"b": [1, {"z": "é", "a": true}], "a": "x"});
        assert_eq!(canonical(&value), r#"{"a":"x","b":[1,{"a":true,"z":"é"}]}"#);
    }

    #[test]
    fn numeric_encoding_is_two_digits_per_character() {
        // '-' (45) is 00, 'e' (101) is 56, '.' (46) is 01.
        assert_eq!(numeric("-e."), "005601");
    }

    #[test]
    fn chunks_cover_the_jws_in_order() {
        let issuer = ShcIssuer::new("https://example.org/issuer", &Key::es256("formats-test"));
        let card = issuer.card(fhir_immunizations("A", &["B"], "2000-01-01", &[]), 0);
        let chunks = card.chunks(3);
        assert_eq!(chunks.len(), 3);
        assert!(chunks[0].starts_with("shc:/1/3/"));
        let digits: String = chunks
            .iter()
            .map(|chunk| chunk.splitn(4, '/').nth(3).expect("digits").to_owned())
            .collect();
        assert_eq!(format!("shc:/{digits}"), card.numeric());
    }
}
