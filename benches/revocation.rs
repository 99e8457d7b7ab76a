//! Revocation speed and size: `cargo bench --bench revocation`.
//!
//! For lists of 100,000 and 1,000,000 entries (gateway batches of 1,000, spread over 100
//! signing keys and the three hash types): the size of the gateway JSON and of the compact
//! form (bytes per entry), the time to load each, one lookup (a certificate on no list, the
//! common case, and one that is listed), and what the `revocation` check adds to `verify()`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use dcc_verifier::revocation::{compact, hash, Batch, HashType, Subject};
use dcc_verifier::{time, verify, verify_with_revocation, RevocationList, TrustList};
use sha2::{Digest, Sha256};

fn median(mut f: impl FnMut(), runs: usize, per_run: u32) -> Duration {
    f();
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_run {
                f();
            }
            start.elapsed() / per_run
        })
        .collect();
    samples.sort();
    samples[runs / 2]
}

/// `entries` hashes of nobody, in batches of 1,000 over 100 kids and the three hash types.
fn batches(entries: usize) -> Vec<Batch> {
    let types = HashType::ALL;
    (0..entries.div_ceil(1000))
        .map(|b| {
            let kid = Sha256::digest(format!("kid {}", b % 100))[..8].to_vec();
            let hashes = (0..1000.min(entries - b * 1000))
                .map(|i| {
                    let hash = hash::uci(&format!("URN:UVCI:01:XX:{b}/{i}"));
                    dcc_verifier::revocation::batch::prefix(&hash)
                })
                .collect();
            Batch {
                country: "XX".into(),
                expires: 2_000_000_000,
                date: None,
                kid,
                hash_type: types[b % 3],
                hashes,
            }
        })
        .collect()
}

fn gateway_json(batches: &[Batch]) -> Vec<u8> {
    // The gateway's 16-byte hashes: the 8 the store keeps, padded.
    let b64 = |bytes: &[u8]| dcc_verifier::revocation::batch::encode(bytes);
    let list: Vec<serde_json::Value> = batches
        .iter()
        .map(|batch| {
            let entries: Vec<serde_json::Value> = batch
                .hashes
                .iter()
                .map(|h| {
                    let mut full = h.to_be_bytes().to_vec();
                    full.extend_from_slice(&[7; 8]);
                    serde_json::json!({ "hash": b64(&full) })
                })
                .collect();
            serde_json::json!({
                "country": batch.country, "expires": "2033-05-18T03:33:20Z",
                "kid": b64(&batch.kid), "hashType": batch.hash_type.as_str(), "entries": entries,
            })
        })
        .collect();
    serde_json::to_vec(&list).expect("JSON")
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    println!(
        "{:<12} {:>10} {:>10} {:>9} {:>11} {:>11} {:>11} {:>11}",
        "entries", "JSON B", "compact B", "B/entry", "load JSON", "load cmpct", "lookup", "hit"
    );
    for entries in [100_000usize, 1_000_000] {
        if !filter.is_empty() && !filter.iter().any(|f| entries.to_string().contains(f)) {
            continue;
        }
        let batches = batches(entries);
        let json = gateway_json(&batches);
        let compact = compact::write(&batches);
        let runs = if entries > 100_000 { 3 } else { 7 };
        let load_json = median(
            || {
                black_box(RevocationList::from_bytes(&json).expect("loads"));
            },
            runs,
            1,
        );
        let load_compact = median(
            || {
                black_box(RevocationList::from_bytes(&compact).expect("loads"));
            },
            runs,
            1,
        );
        let list = RevocationList::from_bytes(&compact).expect("loads");
        let signature = [5u8; 64];
        let miss = Subject {
            kid: Some(&batches[0].kid),
            ci: Some("URN:UVCI:01:XX:not listed"),
            iss: Some("XX"),
            alg: None,
            signature: &signature,
        };
        let listed_ci = "URN:UVCI:01:XX:0/500"; // batch 0 is a UCI batch
        let hit = Subject {
            ci: Some(listed_ci),
            ..miss
        };
        assert!(matches!(
            list.check(&hit, 1_700_000_000),
            dcc_verifier::revocation::Finding::Revoked { .. }
        ));
        let lookup = median(
            || {
                black_box(list.check(black_box(&miss), 1_700_000_000));
            },
            9,
            10_000,
        );
        let lookup_hit = median(
            || {
                black_box(list.check(black_box(&hit), 1_700_000_000));
            },
            9,
            10_000,
        );
        // For benches/web/revocation.mjs (scripts/bench-revocation): the figures as JSON, and the
        // compact list the browser then loads.
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
        if entries == 100_000 && std::fs::create_dir_all(&target).is_ok() {
            let _ = std::fs::write(target.join("bench-revocation-100000.bin"), &compact);
        }
        println!(
            "revocation-json {}",
            serde_json::json!({
                "entries": entries,
                "gatewayJsonBytes": json.len(),
                "compactBytes": compact.len(),
                "bytesPerEntry": compact.len() as f64 / entries as f64,
                "loadJsonMs": load_json.as_secs_f64() * 1e3,
                "loadCompactMs": load_compact.as_secs_f64() * 1e3,
                "lookupUs": lookup.as_secs_f64() * 1e6,
                "lookupHitUs": lookup_hit.as_secs_f64() * 1e6,
            })
        );
        println!(
            "{:<12} {:>10} {:>10} {:>9.3} {:>9.2}ms {:>9.2}ms {:>9.2}µs {:>9.2}µs",
            entries,
            json.len(),
            compact.len(),
            compact.len() as f64 / entries as f64,
            load_json.as_secs_f64() * 1e3,
            load_compact.as_secs_f64() * 1e3,
            lookup.as_secs_f64() * 1e6,
            lookup_hit.as_secs_f64() * 1e6,
        );
    }

    // What the check adds to a whole verification (a certificate whose kid has batches).
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |path: &str| std::fs::read(fixtures.join(path)).expect("fixture");
    let trust = TrustList::from_bytes(&read("trust/dsc_list.json")).expect("trust");
    let mut all = batches(100_000);
    all.extend(
        RevocationList::from_bytes(&read("revocation/batches.json"))
            .expect("fixture batches")
            .to_batches(),
    );
    let list = RevocationList::from_batches(all);
    let text = String::from_utf8(read("revocation/not_revoked_es256.txt")).expect("UTF-8");
    let at = time::parse_rfc3339("2026-06-01T00:00:00Z").expect("time");
    let plain = median(|| drop(black_box(verify(&text, &trust, at))), 9, 200);
    let with = median(
        || drop(black_box(verify_with_revocation(&text, &trust, &list, at))),
        9,
        200,
    );
    println!(
        "revocation-json {}",
        serde_json::json!({
            "verifyWithoutUs": plain.as_secs_f64() * 1e6,
            "verifyWithUs": with.as_secs_f64() * 1e6,
        })
    );
    println!(
        "verify() ES256: {:.1} µs without a revocation list, {:.1} µs with 100,000 entries",
        plain.as_secs_f64() * 1e6,
        with.as_secs_f64() * 1e6
    );
}
