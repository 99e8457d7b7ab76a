//! Revocation on real data: the Corona-Warn-App vectors in `../shared/revocation` (three real
//! certificates with their UCI, COUNTRYCODEUCI and SIGNATURE hashes), each hash computed by the
//! verifier and each found through the whole pipeline.

use std::path::PathBuf;

use dcc_verifier::decode::{base45, cose, cwt, inflate, payload, prefix};
use dcc_verifier::revocation::{hash, Batch, HashType};
use dcc_verifier::{verify_with_revocation, CheckId, Outcome, RevocationList, TrustList};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vector {
    description: String,
    barcode_data: String,
    #[serde(rename = "expUCI")]
    exp_uci: String,
    #[serde(rename = "expCOUNTRYCODEUCI")]
    exp_countrycodeuci: String,
    #[serde(rename = "expSIGNATURE")]
    exp_signature: String,
}

fn vectors() -> Option<Vec<Vector>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/revocation/cwa-revocation-vectors.json");
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("the vectors parse")),
        Err(_) => {
            eprintln!(
                "skipped: {} is absent (see ../shared/README.md)",
                path.display()
            );
            None
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

/// Decodes a vector's QR text into what the hashes are made of.
struct Decoded {
    kid: Vec<u8>,
    iss: String,
    ci: String,
    alg: Option<cose::Algorithm>,
    signature: Vec<u8>,
}

fn decode(text: &str) -> Decoded {
    let compressed = base45::decode(prefix::strip(text).expect("HC1")).expect("base45");
    let (cose_bytes, _) = inflate::inflate(&compressed).expect("zlib");
    let sign1 = cose::parse(&cose_bytes).expect("COSE");
    let claims = cwt::parse(&sign1.payload).expect("CWT");
    let (_, dcc) = payload::read(&claims.hcert).expect("payload");
    let ci = dcc_verifier::checks::revocation::certificate_id(&dcc)
        .expect("ci")
        .to_owned();
    Decoded {
        kid: sign1.kid.expect("kid"),
        iss: claims.iss.expect("iss"),
        ci,
        alg: sign1.alg,
        signature: sign1.signature,
    }
}

#[test]
fn all_nine_cwa_hashes() {
    let Some(vectors) = vectors() else { return };
    assert_eq!(vectors.len(), 3);
    let mut checked = 0;
    for vector in &vectors {
        let decoded = decode(&vector.barcode_data);
        let name = &vector.description;
        assert_eq!(hex(&hash::uci(&decoded.ci)), vector.exp_uci, "{name} UCI");
        assert_eq!(
            hex(&hash::country_code_uci(&decoded.iss, &decoded.ci)),
            vector.exp_countrycodeuci,
            "{name} COUNTRYCODEUCI"
        );
        assert_eq!(
            hex(&hash::signature(decoded.alg.as_ref(), &decoded.signature)),
            vector.exp_signature,
            "{name} SIGNATURE"
        );
        checked += 3;
    }
    assert_eq!(checked, 9);
}

#[test]
fn each_cwa_hash_revokes_its_certificate_through_the_pipeline() {
    let Some(vectors) = vectors() else { return };
    let now = 1_650_000_000; // 2022-04-15
    for vector in &vectors {
        let decoded = decode(&vector.barcode_data);
        for (hash_type, expected) in [
            (HashType::Uci, &vector.exp_uci),
            (HashType::CountryCodeUci, &vector.exp_countrycodeuci),
            (HashType::Signature, &vector.exp_signature),
        ] {
            let list = RevocationList::from_batches(vec![Batch {
                country: decoded.iss.clone(),
                expires: now + 86_400,
                date: None,
                kid: decoded.kid.clone(),
                hash_type,
                hashes: vec![dcc_verifier::revocation::batch::prefix(&unhex(expected))],
            }]);
            let report =
                verify_with_revocation(&vector.barcode_data, &TrustList::new(), &list, now);
            let check = report.check(CheckId::Revocation).expect("listed");
            assert_eq!(
                check.result,
                Outcome::Fail,
                "{} {hash_type}",
                vector.description
            );
            assert!(
                check.detail.contains(hash_type.as_str()),
                "{}",
                check.detail
            );
        }
    }
}

/// The project's own issuer: certificates it withdrew in its own batches
/// (`tests/fixtures/revocation/`), every hash type, ES256 and PS256.
mod issuer_fixtures {
    use std::path::{Path, PathBuf};

    use dcc_verifier::{
        time, verify, verify_with_revocation, CheckId, Outcome, RevocationList, Status, TrustList,
    };
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Case {
        name: String,
        file: String,
        trust: String,
        revocation: String,
        at: String,
        expect_status: String,
        expect_revocation: String,
        hash_type: Option<String>,
    }

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
    }

    fn read(path: &str) -> Vec<u8> {
        let path = fixtures().join(path);
        std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    fn cases() -> Vec<Case> {
        serde_json::from_slice(&read("revocation/cases.json")).expect("cases.json parses")
    }

    fn outcome(name: &str) -> Outcome {
        match name {
            "pass" => Outcome::Pass,
            "fail" => Outcome::Fail,
            _ => Outcome::Skip,
        }
    }

    #[test]
    fn every_case_gets_its_constructed_verdict() {
        let cases = cases();
        assert!(cases.len() >= 12);
        let mut failures = Vec::new();
        for case in &cases {
            let text = String::from_utf8(read(&case.file)).expect("UTF-8");
            let trust = TrustList::from_bytes(&read(&case.trust)).expect("trust list");
            let list = RevocationList::from_bytes(&read(&case.revocation)).expect("batches");
            let at = time::parse_rfc3339(&case.at).expect("time");
            let report = verify_with_revocation(&text, &trust, &list, at);
            let check = report.check(CheckId::Revocation).expect("listed");
            if report.status.as_str() != case.expect_status
                || check.result != outcome(&case.expect_revocation)
            {
                failures.push(format!(
                    "{}: {} / revocation {:?}: {}",
                    case.name,
                    report.status.as_str(),
                    check.result,
                    check.detail
                ));
            }
            if let Some(hash_type) = &case.hash_type {
                assert!(
                    check.detail.contains(hash_type.as_str()),
                    "{}",
                    check.detail
                );
                assert!(check.detail.contains("VN"), "{}", check.detail);
            }
            // Without the list, nothing is revoked and the check says why.
            let plain = verify(&text, &trust, at);
            assert_ne!(plain.status, Status::Revoked, "{}", case.name);
            assert_eq!(plain.outcome(CheckId::Revocation), Outcome::Skip);
            assert_eq!(report.checks.len(), CheckId::ALL.len());
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn all_three_hash_types_and_both_algorithms_are_exercised() {
        let cases = cases();
        for wanted in ["revoked_es256_", "revoked_ps256_"] {
            for hash_type in ["UCI", "COUNTRYCODEUCI", "SIGNATURE"] {
                assert!(
                    cases.iter().any(|c| c.name.starts_with(wanted)
                        && c.hash_type.as_deref() == Some(hash_type)
                        && c.expect_status == "revoked"),
                    "{wanted}{hash_type}"
                );
            }
        }
    }

    #[test]
    fn an_expired_batch_is_ignored_and_the_report_says_so() {
        let text = String::from_utf8(read("revocation/listed_only_in_expired_batch.txt")).unwrap();
        let trust = TrustList::from_bytes(&read("trust/dsc_list.json")).unwrap();
        let list = RevocationList::from_bytes(&read("revocation/batches.json")).unwrap();
        let june = time::parse_rfc3339("2026-06-01T00:00:00Z").unwrap();
        let report = verify_with_revocation(&text, &trust, &list, june);
        let detail = &report.check(CheckId::Revocation).unwrap().detail;
        assert!(detail.contains("1 expired batch ignored"), "{detail}");
        // Before the batch expired, the same certificate is revoked.
        let april = time::parse_rfc3339("2026-04-01T00:00:00Z").unwrap();
        let report = verify_with_revocation(&text, &trust, &list, april);
        assert_eq!(report.status, Status::Revoked);
    }

    #[test]
    fn the_compact_form_gives_the_same_verdicts() {
        let list = RevocationList::from_bytes(&read("revocation/batches.json")).unwrap();
        let compact = dcc_verifier::revocation::compact::write(&list.to_batches());
        let back = RevocationList::from_bytes(&compact).expect("compact loads");
        assert_eq!(back.len(), list.len());
        let trust = TrustList::from_bytes(&read("trust/dsc_list.json")).unwrap();
        for case in cases() {
            let text = String::from_utf8(read(&case.file)).unwrap();
            let at = time::parse_rfc3339(&case.at).unwrap();
            assert_eq!(
                verify_with_revocation(&text, &trust, &back, at)
                    .status
                    .as_str(),
                case.expect_status,
                "{}",
                case.name
            );
        }
    }

    /// The demo build's bundled list (`demo/revocation.json`, what the page loads when
    /// `scripts/build-web` is given no `--revocation`): every demo sample gets the verdict
    /// `demo.json` states, the `revoked_*` ones by each hash type, ES256 and PS256.
    #[test]
    fn the_demo_list_withdraws_exactly_the_demo_samples_marked_revoked() {
        #[derive(Deserialize)]
        struct Sample {
            name: String,
            file: String,
            expect_status: String,
        }
        let samples: Vec<Sample> = serde_json::from_slice(&read("demo/demo.json")).unwrap();
        let trust = TrustList::from_bytes(&read("demo/dsc_list.json")).unwrap();
        let list = RevocationList::from_bytes(&read("demo/revocation.json")).unwrap();
        let now = time::parse_rfc3339("2026-12-01T00:00:00Z").unwrap();
        let mut revoked = Vec::new();
        for sample in &samples {
            let text = String::from_utf8(read(&sample.file)).unwrap();
            let report = verify_with_revocation(&text, &trust, &list, now);
            assert_eq!(
                report.status.as_str(),
                sample.expect_status,
                "{}",
                sample.name
            );
            if report.status == Status::Revoked {
                revoked.push(report.check(CheckId::Revocation).unwrap().detail.clone());
            }
        }
        for hash_type in [
            "by its UCI hash",
            "by its COUNTRYCODEUCI hash",
            "by its SIGNATURE hash",
        ] {
            assert!(
                revoked.iter().any(|detail| detail.contains(hash_type)),
                "{hash_type}: {revoked:?}"
            );
        }
    }
}

/// Lookup time on a 100,000-entry list, printed (`cargo test --release --test revocation --
/// --ignored --nocapture`); the figure in docs/benchmarks.md. Ignored by default: a timing.
#[test]
#[ignore]
fn lookup_time_on_100000_entries() {
    use dcc_verifier::revocation::{batch::prefix, Subject};
    let kid = vec![1u8; 8];
    let batches: Vec<Batch> = (0..100u32)
        .map(|b| Batch {
            country: "XX".into(),
            expires: 2_000_000_000,
            date: None,
            kid: if b < 3 {
                kid.clone()
            } else {
                b.to_be_bytes().repeat(2)
            },
            hash_type: HashType::ALL[(b % 3) as usize],
            hashes: (0..1000)
                .map(|i| prefix(&hash::uci(&format!("{b}/{i}"))))
                .collect(),
        })
        .collect();
    let list = RevocationList::from_batches(batches);
    let signature = [7u8; 64];
    let subject = Subject {
        kid: Some(&kid),
        ci: Some("URN:UVCI:01:XX:not listed"),
        iss: Some("XX"),
        alg: Some(&cose::Algorithm::Es256),
        signature: &signature,
    };
    let runs = 200_000u32;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(list.check(std::hint::black_box(&subject), 1_700_000_000));
    }
    let per = start.elapsed() / runs;
    println!("lookup (3 hash types, 3 batches of the kid, 100,000 entries): {per:?}");
}
