//! The real Vietnamese sample certificate (../shared/samples/VN), PS256, against real trust lists.

use std::path::PathBuf;

use dcc_verifier::{time, verify, CheckId, Outcome, Status, TrustList};

fn shared(path: &str) -> Option<PathBuf> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/")).join(path);
    path.exists().then_some(path)
}

fn read(path: &PathBuf) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// 2022-05-01, inside the certificate's validity (iat 2022-04-14, exp 2025-01-30).
fn may_2022() -> i64 {
    time::parse_rfc3339("2022-05-01T00:00:00Z").expect("valid time")
}

#[test]
fn vietnamese_sample_verifies_ps256_but_outlives_its_test_dsc() {
    let (Some(text), Some(list)) = (
        shared("samples/VN/VAC_VN.txt"),
        shared("trustlists/acceptance_dsc_list.json"),
    ) else {
        println!("skipping: ../shared not found");
        return;
    };
    let text = String::from_utf8(read(&text)).expect("UTF-8");
    let trust = TrustList::from_bytes(&read(&list)).expect("acceptance list loads");
    let report = verify(&text, &trust, may_2022());

    for id in [
        CheckId::Signer,
        CheckId::Signature,
        CheckId::KeyUsage,
        CheckId::Schema,
        CheckId::Expiry,
    ] {
        assert_eq!(
            report.outcome(id),
            Outcome::Pass,
            "{id:?}: {:?}",
            report.check(id)
        );
    }
    assert_eq!(report.alg.as_deref(), Some("PS256"));
    assert_eq!(report.kid.as_deref(), Some("8w2kZxb3iC0="));
    assert_eq!(report.issuer_country.as_deref(), Some("VN"));
    let name = report
        .certificate
        .as_ref()
        .and_then(|dcc| dcc.nam.clone())
        .expect("a name");
    assert_eq!(name.family.as_deref(), Some("Nguyễn"));
    assert_eq!(name.given.as_deref(), Some("Bảo Duy"));

    // The test DSC ends 2024-04-12, before the certificate's exp of 2025-01-30: the EU
    // specification says exp "MUST not exceed the validity time in the DSC".
    let validity = report.check(CheckId::SignerValidity).expect("listed");
    assert_eq!(validity.result, Outcome::Fail);
    assert!(
        validity.detail.contains("2025-01-30") && validity.detail.contains("2024-04-12"),
        "{}",
        validity.detail
    );
    assert_eq!(report.status, Status::Invalid);
}

#[test]
fn vietnamese_sample_reads_from_its_png() {
    let (Some(png), Some(text)) = (
        shared("samples/VN/VAC_VN.png"),
        shared("samples/VN/VAC_VN.txt"),
    ) else {
        println!("skipping: ../shared not found");
        return;
    };
    let decoded = dcc_verifier::qr::decode_image_file(&read(&png)).expect("the QR decodes");
    assert_eq!(
        decoded.trim(),
        String::from_utf8(read(&text)).expect("UTF-8").trim()
    );
}

#[test]
fn vietnamese_sample_is_unknown_to_the_production_list() {
    let (Some(text), Some(list)) = (
        shared("samples/VN/VAC_VN.txt"),
        shared("trustlists/trustlist_de.json"),
    ) else {
        println!("skipping: ../shared not found");
        return;
    };
    let text = String::from_utf8(read(&text)).expect("UTF-8");
    let trust = TrustList::from_bytes(&read(&list)).expect("German list loads");
    let report = verify(&text, &trust, may_2022());
    assert_eq!(report.status, Status::UnknownSigner, "{:#?}", report.checks);
    assert_eq!(report.outcome(CheckId::Signer), Outcome::Fail);
    assert_eq!(report.outcome(CheckId::Schema), Outcome::Pass);
}
