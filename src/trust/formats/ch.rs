//! The Swiss list: `{kid: [{use, alg, crv, x, y, n, e}]}`, JWK-like, base64 (not base64url)
//! numbers. Its `alg` labels are not reliable, so the key type comes from the fields present:
//! `x`/`y` make an EC P-256 key, `n`/`e` an RSA key. `use` is `sig` (all types) or letters
//! `t`, `v`, `r`; `l` marks keys of the Swiss-only "light" certificate, which are not DCC keys.

use serde_json::{Map, Value};

use super::{decode_entry_base64, decode_kid, key_usage_from_letters, load_keys_by_kid};
use crate::error::{Error, Result};
use crate::trust::keys::{ec_p256_from_coordinates, rsa_from_components};
use crate::trust::{Dsc, KeyUsage, TrustList};

/// Loads the parsed JSON object of a Swiss list.
pub(super) fn load(map: &Map<String, Value>) -> Result<TrustList> {
    load_keys_by_kid(map, load_key)
}

fn load_key(kid: &str, jwk: &Value) -> Result<Dsc> {
    let text = |field: &str| jwk.get(field).and_then(Value::as_str);
    let key_usage = match text("use") {
        Some("sig") => KeyUsage::ALL,
        Some("l") => {
            return Err(Error::TrustEntry(
                "its use \"l\" marks a key for Swiss \"light\" certificates, not for DCCs"
                    .to_owned(),
            ))
        }
        Some(letters) if !letters.is_empty() => key_usage_from_letters(letters)?,
        _ => {
            return Err(Error::TrustEntry(
                "the key says nothing about its use".to_owned(),
            ))
        }
    };
    let key = match (text("x"), text("y"), text("n"), text("e")) {
        (Some(x), Some(y), _, _) => {
            if let Some(curve) = text("crv").filter(|crv| *crv != "P-256") {
                return Err(Error::TrustEntry(format!(
                    "unsupported key type EC {curve} (DCCs are signed only with EC P-256 or RSA)"
                )));
            }
            ec_p256_from_coordinates(
                &decode_entry_base64(x, "x coordinate")?,
                &decode_entry_base64(y, "y coordinate")?,
            )?
        }
        (_, _, Some(n), Some(e)) => rsa_from_components(
            &decode_entry_base64(n, "RSA modulus")?,
            &decode_entry_base64(e, "RSA exponent")?,
        )?,
        _ => {
            return Err(Error::TrustEntry(
                "the key has neither x/y (EC) nor n/e (RSA)".to_owned(),
            ))
        }
    };
    Ok(Dsc {
        kid: decode_kid(kid)?,
        country: None,
        subject: None,
        not_before: None,
        not_after: None,
        key_usage,
        key,
        demo: false,
    })
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::trust::keys::public_key_from_spki;
    use dcc_test_issuer::der::*;

    use crate::trust::formats::test_support::assert_skipped_reasons;
    use crate::trust::PublicKey;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    /// The JWK fields of a key, for tests: `(x, y)` of an EC key, or `(n, e)` of an RSA key.
    fn jwk_numbers(key: &PublicKey) -> (Vec<u8>, Vec<u8>) {
        use rsa::traits::PublicKeyParts;
        match key {
            PublicKey::EcP256(key) => {
                let point = key.verifying_key().to_sec1_point(false);
                let bytes = point.as_bytes();
                (bytes[1..33].to_vec(), bytes[33..65].to_vec())
            }
            PublicKey::Rsa(key) => (
                key.n().to_be_bytes().to_vec(),
                key.e().to_be_bytes().to_vec(),
            ),
            #[allow(unreachable_patterns)]
            other => panic!("no JWK numbers for {}", other.describe()),
        }
    }

    fn ec_jwk(use_: &str, alg: &str, seed: u8) -> String {
        let (x, y) = jwk_numbers(&public_key_from_spki(&ec_spki(seed)).expect("key"));
        format!(
            r#"{{"use":"{use_}","alg":"{alg}","n":null,"e":null,"crv":"P-256","x":"{}","y":"{}"}}"#,
            STANDARD.encode(x),
            STANDARD.encode(y)
        )
    }

    fn rsa_jwk(use_: &str, alg: &str) -> String {
        let (n, e) = jwk_numbers(&public_key_from_spki(&rsa_spki(2048)).expect("key"));
        format!(
            r#"{{"use":"{use_}","alg":"{alg}","n":"{}","e":"{}","crv":null,"x":null,"y":null}}"#,
            STANDARD.encode(n),
            STANDARD.encode(e)
        )
    }

    #[test]
    fn builds_keys_from_their_numbers_not_their_alg_label() {
        let input = format!(
            r#"{{
                "AAAAAAAAAAA=": [{}],
                "AQEBAQEBAQE=": [{}],
                "AgICAgICAgI=": [{}, {}]
            }}"#,
            ec_jwk("sig", "RS256", 1),
            rsa_jwk("tvr", "ES256"),
            ec_jwk("v", "ES256", 2),
            ec_jwk("t", "ES256", 3),
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert!(list.skipped().is_empty(), "{:?}", list.skipped());
        assert_eq!(list.len(), 4);
        let kid = |b64: &str| STANDARD.decode(b64).expect("b64");
        let ec_kid = kid("AAAAAAAAAAA=");
        let ec = list.find(&ec_kid).next().expect("ec");
        assert_eq!(ec.key, public_key_from_spki(&ec_spki(1)).expect("key"));
        assert_eq!(ec.key_usage, KeyUsage::ALL);
        let rsa_kid = kid("AQEBAQEBAQE=");
        let rsa = list.find(&rsa_kid).next().expect("rsa");
        assert_eq!(rsa.key, public_key_from_spki(&rsa_spki(2048)).expect("key"));
        let shared: Vec<KeyUsage> = list
            .find(&kid("AgICAgICAgI="))
            .map(|d| d.key_usage)
            .collect();
        assert_eq!(
            shared,
            vec![
                KeyUsage {
                    test: false,
                    vaccination: true,
                    recovery: false
                },
                KeyUsage {
                    test: true,
                    vaccination: false,
                    recovery: false
                }
            ]
        );
    }

    #[test]
    fn skips_light_keys_and_malformed_ones() {
        let input = format!(
            r#"{{
                "AAAAAAAAAAA=": [{}],
                "AQEBAQEBAQE=": [{{"use":"sig","crv":"P-384","x":"AAAA","y":"AAAA"}}],
                "AgICAgICAgI=": [{{"use":"sig","n":null,"e":null,"x":null,"y":null}}],
                "AwMDAwMDAwM=": [{{"use":"sig","crv":"P-256","x":"AQ==","y":"AQ=="}}],
                "BAQEBAQEBAQ=": [{}],
                "BQUFBQUFBQU=": {{"use":"sig"}},
                "BgYGBgYGBgY=": [{}]
            }}"#,
            rsa_jwk("l", "RS256"),
            ec_jwk("", "ES256", 1),
            ec_jwk("tq", "ES256", 1),
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert!(list.is_empty());
        let expected = [
            "light",
            "EC P-384",
            "neither x/y",
            "not a valid P-256 point",
            "nothing about its use",
            "not a list",
            "names no DCC",
        ];
        assert_skipped_reasons(&list, &expected);
    }
}
