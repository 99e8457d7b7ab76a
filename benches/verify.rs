//! Native verification speed: `cargo bench --bench verify`.
//!
//! Median time per `verify()` (whole pipeline: base45, inflate, COSE, CWT, payload, schema,
//! signature, checks) for ES256 and PS256 certificates, and single-core throughput. Uses the
//! project's fixtures, and the real Vietnamese sample when ../shared is present; with it, also a
//! SMART Health Card and an ICAO VDS-NC seal (`verify()` on their QR text, as for a DCC).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use dcc_verifier::{time, verify, Status, TrustList};

const FIXTURE_TIME: &str = "2026-06-01T00:00:00Z";

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Median and spread of `runs` timed batches of `per_batch` calls.
fn measure(mut f: impl FnMut(), per_batch: u32, runs: usize) -> (Duration, Duration, Duration) {
    for _ in 0..per_batch {
        f(); // warm up
    }
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            start.elapsed() / per_batch
        })
        .collect();
    samples.sort();
    (samples[0], samples[runs / 2], samples[runs - 1])
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("tests/fixtures");
    let trust =
        TrustList::from_bytes(&read(&fixtures.join("trust/dsc_list.json"))).expect("fixture list");
    let at = time::parse_rfc3339(FIXTURE_TIME).expect("time");

    let mut cases: Vec<(String, String, TrustList, i64)> = Vec::new();
    for (label, file) in [
        ("ES256 (P-256)", "certs/es256_vaccination.txt"),
        ("PS256 RSA-2048", "certs/ps256_2048_vietnam.txt"),
        ("PS256 RSA-3072", "certs/ps256_3072.txt"),
        ("PS256 RSA-4096", "certs/ps256_4096.txt"),
    ] {
        let text = String::from_utf8(read(&fixtures.join(file))).expect("UTF-8");
        cases.push((label.to_owned(), text, trust.clone(), at));
    }
    // Cases from ../shared come after the first-use row, so that the rows README quotes by
    // position (docs/benchmarks.json `native`) are the same with or without ../shared.
    let mut shared_cases: Vec<(String, String, TrustList, i64)> = Vec::new();
    let shared = root.join("../shared");
    if shared.is_dir() {
        let text = String::from_utf8(read(&shared.join("samples/VN/VAC_VN.txt"))).expect("UTF-8");
        let list =
            TrustList::from_bytes(&read(&shared.join("trustlists/acceptance_dsc_list.json")))
                .expect("list");
        let may_2022 = time::parse_rfc3339("2022-05-01T00:00:00Z").expect("time");
        shared_cases.push((
            "real VN sample, PS256-2048, 610-key list".to_owned(),
            text,
            list,
            may_2022,
        ));
        shared_cases.extend(other_formats(&shared.join("formats")));
    } else {
        println!("(../shared not found: the real Vietnamese sample is skipped)");
    }

    println!(
        "{:<44} {:>10} {:>10} {:>10} {:>12}",
        "verify()", "min", "median", "max", "per second"
    );
    // `cargo bench --bench verify -- ES256` runs only the cases whose label contains "ES256".
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let run = |cases: &[(String, String, TrustList, i64)]| {
        for (label, text, list, at) in cases {
            if !filter.is_empty() && !filter.iter().any(|word| label.contains(word.as_str())) {
                continue;
            }
            let report = verify(text, list, *at);
            assert!(
                matches!(report.status, Status::Valid | Status::Invalid),
                "{label}: {:?}",
                report.status
            );
            let (min, median, max) = measure(
                || drop(black_box(verify(black_box(text), list, *at))),
                200,
                21,
            );
            print_row(label, min, median, max);
        }
    };
    run(&cases);

    // A key's first verification also builds its table of multiples (ES256,
    // src/crypto/es256.rs): a fresh trust list each call, less the list's own making.
    let label = "ES256, first use of the key";
    if filter.is_empty() || filter.iter().any(|word| label.contains(word.as_str())) {
        let list_bytes = read(&fixtures.join("trust/dsc_list.json"));
        let text = &cases[0].1;
        let fresh = || TrustList::from_bytes(&list_bytes).expect("fixture list");
        let with_first_use = measure(|| drop(black_box(verify(text, &fresh(), at))), 50, 21);
        let list_only = measure(|| drop(black_box(fresh())), 50, 21);
        print_row(
            label,
            with_first_use.0.saturating_sub(list_only.0),
            with_first_use.1.saturating_sub(list_only.1),
            with_first_use.2.saturating_sub(list_only.2),
        );
    }
    run(&shared_cases);
}

/// A SMART Health Card (the official example 00, ES256) with its issuer among the 651 of the VCI
/// directory snapshot, and the real Australian VDS-NC (ES256 seal, its signer under an RSA-4096
/// CSCA, the CSCA's CRL loaded): the whole pipeline of each, from the QR text.
fn other_formats(formats: &Path) -> Vec<(String, String, TrustList, i64)> {
    let jan_2024 = time::parse_rfc3339("2024-01-01T00:00:00Z").expect("time");
    let examples = formats.join("shc/examples");
    let text = String::from_utf8(read(
        &examples.join("example-00-f-qr-code-numeric-value-0.txt"),
    ))
    .expect("UTF-8");
    let jwks: serde_json::Value =
        serde_json::from_slice(&read(&examples.join("issuer/.well-known/jwks.json")))
            .expect("JSON");
    let issuer = serde_json::json!({
        "iss": "https://spec.smarthealth.cards/examples/issuer",
        "keys": jwks["keys"],
    });
    let mut shc_trust =
        TrustList::from_bytes(&read(&formats.join("shc/vci-directory/vci_snapshot.json")))
            .expect("VCI snapshot");
    shc_trust.merge(TrustList::from_bytes(issuer.to_string().as_bytes()).expect("issuer"));
    let vds = formats.join("vds-nc");
    let seal = String::from_utf8(read(&vds.join("au-valid.json"))).expect("UTF-8");
    let mut vds_trust = TrustList::from_bytes(&read(&vds.join("au-csca.der"))).expect("CSCA");
    vds_trust.merge(TrustList::from_bytes(&read(&vds.join("au-csca.crl"))).expect("CRL"));
    vec![
        (
            "SHC ES256 (example 00), 652-issuer directory".to_owned(),
            text.trim().to_owned(),
            shc_trust,
            jan_2024,
        ),
        (
            "VDS-NC ES256 (AU), RSA-4096 CSCA + CRL".to_owned(),
            seal,
            vds_trust,
            jan_2024,
        ),
    ]
}

fn print_row(label: &str, min: Duration, median: Duration, max: Duration) {
    println!(
        "{label:<44} {:>8.1}µs {:>8.1}µs {:>8.1}µs {:>12.0}",
        min.as_secs_f64() * 1e6,
        median.as_secs_f64() * 1e6,
        max.as_secs_f64() * 1e6,
        1.0 / median.as_secs_f64()
    );
}
