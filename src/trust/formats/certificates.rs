//! X.509 certificate files: DER (one certificate, or several concatenated) or PEM (any number of
//! `CERTIFICATE` blocks). Each certificate's kid is computed from its DER.

use der::{Reader, SliceReader};

use super::{check_entry_count, record};
use crate::error::{Error, Result};
use crate::limits::MAX_TRUST_ENTRY_LEN;
use crate::trust::x509::dsc_from_der;
use crate::trust::TrustList;

/// Loads PEM text: every `-----BEGIN CERTIFICATE-----` block is one entry (a DSC, or a CSCA
/// when it is a CA), every `X509 CRL` block a CSCA's CRL; blocks of other kinds are recorded as
/// skipped.
pub(super) fn load_pem(text: &[u8]) -> Result<TrustList> {
    crate::trust::format_files::from_pem(text)
}

fn skip(list: &mut TrustList, count: usize, reason: String) {
    let entry = count.saturating_sub(1).to_string();
    // `record` only fails on TrustListTooLarge, which a TrustEntry error is not.
    let _ = record(list, entry, None, Err(Error::TrustEntry(reason)));
}

/// Loads DER: one certificate, or several back to back. Bytes after the last certificate that
/// are not one are recorded as a skipped entry (trailing whitespace is ignored).
pub(super) fn load_der(bytes: &[u8]) -> Result<TrustList> {
    let not_der = || {
        Error::TrustListFormat("it is neither a JSON trust list nor X.509 certificates".to_owned())
    };
    let mut reader = SliceReader::new(bytes).map_err(|_| not_der())?;
    let mut list = TrustList::new();
    let mut index = 0usize;
    while !reader.is_finished() {
        let position = usize::try_from(reader.position()).unwrap_or(bytes.len());
        let rest = bytes.get(position..).unwrap_or_default();
        let Ok(der) = reader.tlv_bytes() else {
            if index == 0 {
                return Err(not_der());
            }
            if !rest.iter().all(u8::is_ascii_whitespace) {
                skip(
                    &mut list,
                    index + 1,
                    format!("its last {} bytes are not a certificate", rest.len()),
                );
            }
            break;
        };
        index += 1;
        check_entry_count(index)?;
        if der.len() > MAX_TRUST_ENTRY_LEN {
            return Err(Error::TrustListTooLarge(format!(
                "certificate {index} is {} bytes long, more than any real one ({MAX_TRUST_ENTRY_LEN})",
                der.len()
            )));
        }
        record(&mut list, (index - 1).to_string(), None, dsc_from_der(der))?;
    }
    Ok(list)
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::trust::x509::kid_from_der;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use dcc_test_issuer::der::*;

    fn pem(label: &str, der: &[u8]) -> String {
        let b64 = STANDARD.encode(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect();
        format!(
            "-----BEGIN {label}-----\r\n{}\r\n-----END {label}-----\r\n",
            lines.join("\r\n")
        )
    }

    fn certs() -> Vec<Vec<u8>> {
        vec![
            certificate(&CertSpec::default()),
            certificate(&CertSpec {
                subject_country: Some("DE"),
                spki: rsa_spki(2048),
                ..CertSpec::default()
            }),
            certificate(&CertSpec {
                common_name: "third",
                spki: ec_spki(7),
                ..CertSpec::default()
            }),
        ]
    }

    #[test]
    fn loads_one_or_many_der_certificates() {
        let certs = certs();
        let one = TrustList::from_bytes(&certs[0]).expect("one");
        assert_eq!(one.len(), 1);
        assert_eq!(one.dscs()[0].kid, kid_from_der(&certs[0]));

        let mut all = certs.concat();
        all.extend_from_slice(b"\r\n");
        let list = TrustList::from_bytes(&all).expect("three");
        assert_eq!(list.len(), 3);
        assert!(list.skipped().is_empty());
        let kids: Vec<Vec<u8>> = certs.iter().map(|c| kid_from_der(c)).collect();
        assert_eq!(
            list.dscs()
                .iter()
                .map(|d| d.kid.clone())
                .collect::<Vec<_>>(),
            kids
        );
        assert_eq!(list.countries(), vec!["DE".to_owned(), "VN".to_owned()]);
    }

    #[test]
    fn der_with_a_bad_certificate_or_trailing_garbage_keeps_the_rest() {
        let certs = certs();
        let bad = certificate(&CertSpec {
            spki: p384_spki(),
            ..CertSpec::default()
        });
        let mut input = [certs[0].clone(), bad, certs[1].clone()].concat();
        input.extend_from_slice(&[0x30, 0x82, 0x7f]);
        let list = TrustList::from_bytes(&input).expect("loads");
        assert_eq!(list.len(), 2);
        assert_eq!(list.skipped().len(), 2);
        assert_eq!(list.skipped()[0].entry, "1");
        assert!(
            list.skipped()[0].reason.contains("P-384"),
            "{:?}",
            list.skipped()
        );
        assert!(list.skipped()[1].reason.contains("not a certificate"));
    }

    #[test]
    fn refuses_der_that_is_no_certificate_at_all() {
        assert_eq!(
            TrustList::from_bytes(&[0x30, 0x82, 0x01])
                .expect_err("refused")
                .code(),
            "trust_list_format"
        );
        // A well-formed SEQUENCE that is not a certificate is one skipped entry.
        let list = TrustList::from_bytes(&tlv(0x30, &[0x02, 0x01, 0x05])).expect("loads");
        assert_eq!((list.len(), list.skipped().len()), (0, 1));
    }

    #[test]
    fn der_certificate_over_the_entry_bound_fails_the_file() {
        let huge = tlv(0x30, &vec![0u8; MAX_TRUST_ENTRY_LEN + 1]);
        assert_eq!(
            TrustList::from_bytes(&huge).expect_err("too big").code(),
            "trust_list_too_large"
        );
    }

    #[test]
    fn loads_concatenated_pem_blocks_and_skips_other_kinds() {
        let certs = certs();
        let text = [
            pem("CERTIFICATE", &certs[0]),
            pem("PUBLIC KEY", &ec_spki(1)),
            pem("CERTIFICATE", &certs[1]),
            pem("CERTIFICATE", b"not der"),
            pem("CERTIFICATE", &certs[2]),
        ]
        .concat();
        let list = TrustList::from_bytes(text.as_bytes()).expect("loads");
        assert_eq!(list.len(), 3);
        let reasons: Vec<(&str, &str)> = list
            .skipped()
            .iter()
            .map(|s| (s.entry.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert_eq!(reasons[0].0, "1");
        assert!(reasons[0].1.contains("PUBLIC KEY"));
        assert_eq!(reasons[1].0, "3");
        assert!(
            reasons[1].1.contains("not a readable X.509 certificate"),
            "{}",
            reasons[1].1
        );
    }

    #[test]
    fn pem_with_an_unterminated_block_keeps_the_rest() {
        let certs = certs();
        let mut text = pem("CERTIFICATE", &certs[0]);
        text.push_str("-----BEGIN CERTIFICATE-----\nAAAA\n");
        let list = TrustList::from_bytes(text.as_bytes()).expect("loads");
        assert_eq!((list.len(), list.skipped().len()), (1, 1));
        assert!(list.skipped()[0].reason.contains("no END line"));
    }

    #[test]
    fn refuses_pem_without_blocks_or_not_text() {
        assert_eq!(
            TrustList::from_bytes(b"-----BEGIN nothing")
                .expect_err("refused")
                .code(),
            "trust_list_format"
        );
        assert_eq!(
            TrustList::from_bytes(b"-----BEGIN \xff")
                .expect_err("refused")
                .code(),
            "trust_list_format"
        );
    }
}
