//! The French (sanipasse) list: `{kid: {subject, issuer, notBefore, notAfter,
//! publicKeyAlgorithm, publicKeyPem, ...}}`. `publicKeyPem` is the base64 SPKI (with or without
//! PEM lines). It gives no key usage, so every key may sign all three types.

use serde_json::{Map, Value};

use super::{check_entry_count, country_of_dn, decode_key_text, decode_kid, record};
use crate::error::{Error, Result};
use crate::time::parse_rfc3339;
use crate::trust::keys::public_key_from_spki;
use crate::trust::{Dsc, KeyUsage, TrustList};

/// Loads the parsed JSON object of a French list.
pub(super) fn load(map: &Map<String, Value>) -> Result<TrustList> {
    check_entry_count(map.len())?;
    let mut list = TrustList::new();
    for (kid, entry) in map {
        record(&mut list, kid.clone(), Some(kid), load_entry(kid, entry))?;
    }
    Ok(list)
}

fn load_entry(kid: &str, entry: &Value) -> Result<Dsc> {
    let text = |field: &str| entry.get(field).and_then(Value::as_str);
    let key_text = text("publicKeyPem").ok_or_else(|| {
        Error::TrustEntry("the entry has no public key (publicKeyPem)".to_owned())
    })?;
    let key = public_key_from_spki(&decode_key_text(key_text, "public key")?)?;
    let subject = text("subject").map(str::trim).filter(|s| !s.is_empty());
    Ok(Dsc {
        kid: decode_kid(kid)?,
        country: subject
            .and_then(country_of_dn)
            .or_else(|| text("issuer").and_then(country_of_dn)),
        subject: subject.map(str::to_owned),
        not_before: text("notBefore").and_then(parse_rfc3339),
        not_after: text("notAfter").and_then(parse_rfc3339),
        key_usage: KeyUsage::ALL,
        key,
        demo: false,
    })
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::time::days_from_civil;
    use dcc_test_issuer::der::*;

    use crate::trust::formats::test_support::assert_skipped_reasons;
    use crate::trust::PublicKey;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    #[test]
    fn loads_keys_with_subject_country_and_validity() {
        let ec = STANDARD.encode(ec_spki(1));
        let rsa = STANDARD.encode(rsa_spki(2048));
        let input = format!(
            r#"{{
                "alyJCgVIcWs=": {{"subject": "C=AD, ST=ANDORRA, CN=DSC03", "issuer": "CN=DGCG, C=AD",
                    "notBefore": "2022-08-25T09:50:06.000Z", "notAfter": "2024-08-24T09:50:06.000Z",
                    "publicKeyAlgorithm": {{"name": "ECDSA", "namedCurve": "P-256"}}, "publicKeyPem": "{ec}"}},
                "ZtJVElOdWm0=": {{"subject": "O=Ministry of Health, CN=VN DSC", "issuer": "C=VN, CN=CSCA",
                    "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n{rsa}\n-----END PUBLIC KEY-----"}}
            }}"#
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert!(list.skipped().is_empty(), "{:?}", list.skipped());
        assert_eq!(list.len(), 2);
        let andorra_kid = STANDARD.decode("alyJCgVIcWs=").expect("b64");
        let andorra = list.find(&andorra_kid).next().expect("found");
        assert_eq!(andorra.country.as_deref(), Some("AD"));
        assert_eq!(
            andorra.subject.as_deref(),
            Some("C=AD, ST=ANDORRA, CN=DSC03")
        );
        assert_eq!(
            andorra.not_before,
            Some(days_from_civil(2022, 8, 25) * 86_400 + 9 * 3600 + 50 * 60 + 6)
        );
        assert_eq!(
            andorra.not_after,
            Some(days_from_civil(2024, 8, 24) * 86_400 + 9 * 3600 + 50 * 60 + 6)
        );
        assert_eq!(andorra.key_usage, KeyUsage::ALL);
        assert!(matches!(andorra.key, PublicKey::EcP256(_)));
        let vietnam_kid = STANDARD.decode("ZtJVElOdWm0=").expect("b64");
        let vietnam = list.find(&vietnam_kid).next().expect("found");
        assert_eq!(
            vietnam.country.as_deref(),
            Some("VN"),
            "falls back to the issuer"
        );
        assert_eq!((vietnam.not_before, vietnam.not_after), (None, None));
        assert!(matches!(vietnam.key, PublicKey::Rsa(_)));
    }

    #[test]
    fn skips_bad_entries() {
        let p384 = STANDARD.encode(p384_spki());
        let ec = STANDARD.encode(ec_spki(1));
        let input = format!(
            r#"{{
                "AAAAAAAAAAA=": {{"publicKeyPem": "{p384}"}},
                "AQEBAQEBAQE=": {{"subject": "C=FR"}},
                "AgICAgICAgI=": {{"publicKeyPem": "%%%"}},
                "AwMDAwMDAwM=": "not an object",
                "***": {{"publicKeyPem": "{ec}"}},
                "BAQEBAQEBAQ=": {{"publicKeyPem": "{ec}", "notBefore": "yesterday"}}
            }}"#
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert_eq!(list.len(), 1);
        assert_eq!(
            list.dscs()[0].not_before,
            None,
            "an unreadable date is left out"
        );
        assert_skipped_reasons(
            &list,
            &[
                "kid",
                "P-384",
                "no public key",
                "not valid base64",
                "no public key",
            ],
        );
        assert_eq!(list.skipped()[1].kid.as_deref(), Some("AAAAAAAAAAA="));
    }
}
