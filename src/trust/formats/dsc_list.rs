//! The gateway / national DSC list: `{"certificates":[{"kid", "country", "rawData", ...}]}`, as
//! the EU gateway's mirrors (Germany's, Sweden's) and the acceptance list publish it.
//!
//! `rawData` is the base64 DER of the DSC. The list's `kid` is kept (it is what QR codes carry);
//! without one, the kid is computed from the certificate. The list's `country` (the uploading
//! country) takes precedence over the certificate's `C`.

use serde_json::{Map, Value};

use super::{check_entry_count, country_code, decode_entry_base64, decode_kid, record};
use crate::error::{Error, Result};
use crate::trust::x509::dsc_from_der;
use crate::trust::{Dsc, TrustList};

/// Loads the parsed JSON object of a DSC list.
pub(super) fn load(map: &Map<String, Value>) -> Result<TrustList> {
    let certificates = map
        .get("certificates")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::TrustListFormat("its \"certificates\" is not a list".to_owned()))?;
    check_entry_count(certificates.len())?;
    let mut list = TrustList::new();
    for (index, entry) in certificates.iter().enumerate() {
        let kid = entry.get("kid").and_then(Value::as_str);
        record(&mut list, index.to_string(), kid, load_entry(entry, kid))?;
    }
    Ok(list)
}

fn load_entry(entry: &Value, kid: Option<&str>) -> Result<Dsc> {
    if let Some(kind) = entry.get("certificateType").and_then(Value::as_str) {
        if kind != "DSC" {
            return Err(Error::TrustEntry(format!(
                "it is a {kind} certificate, not a DSC"
            )));
        }
    }
    let raw = entry
        .get("rawData")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::TrustEntry("the entry has no certificate (rawData)".to_owned()))?;
    let der = decode_entry_base64(raw, "certificate")?;
    let mut dsc = dsc_from_der(&der)?;
    if let Some(kid) = kid {
        dsc.kid = decode_kid(kid)?;
    }
    if let Some(country) = entry
        .get("country")
        .and_then(Value::as_str)
        .and_then(country_code)
    {
        dsc.country = Some(country);
    }
    Ok(dsc)
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::trust::x509::kid_from_der;
    use crate::trust::PublicKey;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use dcc_test_issuer::der::*;

    fn entry(kid: Option<&str>, country: Option<&str>, der: &[u8]) -> String {
        let mut fields = vec![format!(
            r#""certificateType":"DSC","rawData":"{}""#,
            STANDARD.encode(der)
        )];
        if let Some(kid) = kid {
            fields.push(format!(r#""kid":"{kid}""#));
        }
        if let Some(country) = country {
            fields.push(format!(r#""country":"{country}""#));
        }
        format!("{{{}}}", fields.join(","))
    }

    #[test]
    fn keeps_the_list_kid_and_country_and_computes_missing_kids() {
        let ec = certificate(&CertSpec::default());
        let rsa = certificate(&CertSpec {
            subject_country: Some("XX"),
            spki: rsa_spki(2048),
            ..CertSpec::default()
        });
        let input = format!(
            r#"{{"certificates":[{},{}]}}"#,
            entry(Some("ZtJVElOdWm0="), Some("vn"), &rsa),
            entry(None, None, &ec)
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert_eq!(list.len(), 2);
        let first = &list.dscs()[0];
        assert_eq!(first.kid, STANDARD.decode("ZtJVElOdWm0=").expect("b64"));
        assert_eq!(first.country.as_deref(), Some("VN"));
        assert!(matches!(first.key, PublicKey::Rsa(_)));
        let second = &list.dscs()[1];
        assert_eq!(second.kid, kid_from_der(&ec));
        assert_eq!(second.country.as_deref(), Some("VN"));
        assert_eq!(list.find(&kid_from_der(&ec)).count(), 1);
    }

    #[test]
    fn skips_bad_entries_with_reasons_and_keeps_the_rest() {
        let good = certificate(&CertSpec::default());
        let p384 = certificate(&CertSpec {
            spki: p384_spki(),
            ..CertSpec::default()
        });
        let input = format!(
            r#"{{"certificates":[
                {},
                {{"kid":"AAAAAAAAAAA=","rawData":"not base64!"}},
                {{"kid":"AQEBAQEBAQE="}},
                {},
                {{"certificateType":"CSCA","rawData":"{}"}},
                {},
                {},
                "just a string"
            ]}}"#,
            entry(Some("AgICAgICAgI="), None, &p384),
            entry(Some("AwMDAwMDAwM="), None, b"\x30\x03\x02\x01\x00"),
            STANDARD.encode(&good),
            entry(Some("***"), None, &good),
            entry(None, None, &good),
        );
        let list = TrustList::from_bytes(input.as_bytes()).expect("loads");
        assert_eq!(list.len(), 1);
        let expected: [(&str, Option<&str>, &str); 7] = [
            ("0", Some("AgICAgICAgI="), "unsupported key type EC P-384"),
            ("1", Some("AAAAAAAAAAA="), "not valid base64"),
            ("2", Some("AQEBAQEBAQE="), "no certificate (rawData)"),
            (
                "3",
                Some("AwMDAwMDAwM="),
                "not a readable X.509 certificate",
            ),
            ("4", None, "CSCA certificate, not a DSC"),
            ("5", Some("***"), "kid"),
            ("7", None, "no certificate"),
        ];
        assert_eq!(list.skipped().len(), expected.len(), "{:?}", list.skipped());
        for (skipped, (entry, kid, reason)) in list.skipped().iter().zip(expected) {
            assert_eq!(skipped.entry, entry);
            assert_eq!(skipped.kid.as_deref(), kid);
            assert!(
                skipped.reason.contains(reason),
                "{} should mention {reason}",
                skipped.reason
            );
        }
    }

    #[test]
    fn refuses_certificates_that_are_not_a_list() {
        let err = TrustList::from_bytes(br#"{"certificates": {}}"#).expect_err("refused");
        assert_eq!(err.code(), "trust_list_format");
        let empty = TrustList::from_bytes(br#"{"certificates": []}"#).expect("empty list");
        assert!(empty.is_empty());
    }
}
