//! Loads the real trust lists of `../shared/trustlists` (skipped when `../shared` is absent).
//! Run with `--nocapture` to see the per-file counts, skip reasons and timings.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use dcc_verifier::trust::keys::public_key_to_spki;
use dcc_verifier::trust::x509::kid_from_der;
use dcc_verifier::trust::{Dsc, PublicKey, TrustList};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

/// Every shared list, with the number of entries (keys) its file holds.
const LISTS: [(&str, usize); 6] = [
    ("trustlist_de.json", 832),
    ("trustlist_se.json", 616),
    ("acceptance_dsc_list.json", 610),
    ("trustlist_fr.json", 670),
    ("trustlist_ch.json", 684),
    ("trustlist_nl.raw.keys.json", 806),
];

fn read_list(name: &str) -> Option<Vec<u8>> {
    if !std::path::Path::new(SHARED).is_dir() {
        println!("skipping: ../shared not found");
        return None;
    }
    Some(std::fs::read(format!("{SHARED}/trustlists/{name}")).expect("a shared trust list"))
}

fn load(name: &str) -> Option<TrustList> {
    let bytes = read_list(name)?;
    Some(TrustList::from_bytes(&bytes).unwrap_or_else(|err| panic!("{name}: {err}")))
}

fn kid(b64: &str) -> Vec<u8> {
    STANDARD.decode(b64).expect("base64 kid")
}

/// Skip reasons with their counts, most frequent first.
fn reason_counts(list: &TrustList) -> Vec<(usize, String)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for skipped in list.skipped() {
        *counts.entry(skipped.reason.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(usize, String)> =
        counts.into_iter().map(|(r, n)| (n, r.to_owned())).collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    counts
}

#[test]
fn loads_every_shared_list() {
    for (name, entries) in LISTS {
        let Some(bytes) = read_list(name) else { return };
        let start = Instant::now();
        let list = TrustList::from_bytes(&bytes).unwrap_or_else(|err| panic!("{name}: {err}"));
        let elapsed = start.elapsed();
        println!(
            "{name}: {} bytes, loaded {}, skipped {} ({} countries) in {:.1} ms",
            bytes.len(),
            list.len(),
            list.skipped().len(),
            list.countries().len(),
            elapsed.as_secs_f64() * 1000.0
        );
        for (count, reason) in reason_counts(&list) {
            println!("    {count} × {reason}");
        }
        assert_eq!(
            list.len() + list.skipped().len(),
            entries,
            "{name}: every entry is loaded or skipped"
        );
        // Real lists are overwhelmingly usable: at most 5% may be unsupported.
        assert!(
            list.skipped().len() * 20 <= entries,
            "{name}: {:?}",
            reason_counts(&list)
        );
        for dsc in list.dscs() {
            assert!(!dsc.kid.is_empty() && !dsc.demo, "{name}");
        }
    }
}

#[test]
fn the_german_list_holds_vietnams_production_dsc() {
    let Some(list) = load("trustlist_de.json") else {
        return;
    };
    assert_eq!(list.len() + list.skipped().len(), 832);
    assert!(list.countries().len() >= 70, "{:?}", list.countries());
    let vietnam_kid = kid("ZtJVElOdWm0=");
    let vietnam: Vec<&Dsc> = list.find(&vietnam_kid).collect();
    assert_eq!(vietnam.len(), 1);
    let dsc = vietnam[0];
    assert_eq!(dsc.country.as_deref(), Some("VN"));
    assert!(
        matches!(dsc.key, PublicKey::Rsa(_)),
        "{}",
        dsc.key.describe()
    );
    assert!(
        dsc.subject.as_deref().is_some_and(|s| s.contains("C=VN")),
        "{:?}",
        dsc.subject
    );
    let (not_before, not_after) = (
        dsc.not_before.expect("notBefore"),
        dsc.not_after.expect("notAfter"),
    );
    assert!(not_before < not_after);
    // Issued in the DCC era (after 2021-01-01) and valid past the 2022-04-14 sample.
    assert!(
        not_before > 1_609_459_200 && not_after > 1_649_894_400,
        "{not_before} {not_after}"
    );
}

#[test]
fn the_acceptance_list_holds_the_vietnamese_test_dsc() {
    let Some(list) = load("acceptance_dsc_list.json") else {
        return;
    };
    let test_kid = kid("8w2kZxb3iC0=");
    let found: Vec<&Dsc> = list.find(&test_kid).collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].country.as_deref(), Some("VN"));
    assert!(matches!(found[0].key, PublicKey::Rsa(_)));
}

/// The gateway lists' kids are the EU rule's SHA-256 prefix of each certificate.
#[test]
fn gateway_kids_match_the_certificates() {
    for name in [
        "trustlist_de.json",
        "acceptance_dsc_list.json",
        "trustlist_se.json",
    ] {
        let Some(bytes) = read_list(name) else { return };
        let json: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        let entries = json["certificates"].as_array().expect("certificates");
        let mismatched = entries
            .iter()
            .filter(|entry| {
                let der = STANDARD
                    .decode(entry["rawData"].as_str().expect("rawData"))
                    .expect("base64");
                kid_from_der(&der) != kid(entry["kid"].as_str().expect("kid"))
            })
            .count();
        println!(
            "{name}: {mismatched} of {} list kids differ from the computed kid",
            entries.len()
        );
        assert_eq!(mismatched, 0, "{name}");
    }
}

/// The same kid in two lists is the same key: checks the CH, NL, FR and SE readers against the
/// certificates of the German list.
#[test]
fn other_formats_agree_with_the_german_certificates() {
    let Some(german) = load("trustlist_de.json") else {
        return;
    };
    let by_kid: HashMap<&[u8], &Dsc> = german
        .dscs()
        .iter()
        .map(|dsc| (dsc.kid.as_slice(), dsc))
        .collect();
    for name in [
        "trustlist_se.json",
        "trustlist_fr.json",
        "trustlist_ch.json",
        "trustlist_nl.raw.keys.json",
    ] {
        let Some(list) = load(name) else { return };
        let (mut shared, mut same_key, mut same_country, mut same_usage) = (0, 0, 0, 0);
        for dsc in list.dscs() {
            let Some(de) = by_kid.get(dsc.kid.as_slice()) else {
                continue;
            };
            shared += 1;
            same_key += usize::from(de.key == dsc.key);
            same_country += usize::from(dsc.country.is_none() || de.country == dsc.country);
            same_usage += usize::from(de.key_usage == dsc.key_usage);
        }
        println!(
            "{name}: {shared} kids also in DE, {same_key} with the same key, {same_country} with the same country, \
             {same_usage} with the same key usage"
        );
        assert!(shared >= 300, "{name}: only {shared} kids shared with DE");
        assert_eq!(same_key, shared, "{name}: a kid with a different key");
        assert!(
            same_country * 100 >= shared * 98,
            "{name}: {same_country} of {shared} countries agree"
        );
    }
}

#[test]
fn the_compact_form_of_the_german_list_keeps_every_key() {
    let Some(bytes) = read_list("trustlist_de.json") else {
        return;
    };
    let list = TrustList::from_bytes(&bytes).expect("loads");
    let compact = list.to_compact_json(
        "DE production (test snapshot)",
        "2023-12-26T00:00:00Z",
        false,
    );
    let start = Instant::now();
    let reloaded = TrustList::from_bytes(compact.as_bytes()).expect("reloads");
    let elapsed = start.elapsed();
    println!(
        "compact DE: {} bytes vs {} original ({:.1}%), reloaded in {:.1} ms",
        compact.len(),
        bytes.len(),
        compact.len() as f64 * 100.0 / bytes.len() as f64,
        elapsed.as_secs_f64() * 1000.0
    );
    assert!(reloaded.skipped().is_empty(), "{:?}", reloaded.skipped());
    assert_eq!(reloaded.dscs(), list.dscs());
    assert_eq!(reloaded.name(), Some("DE production (test snapshot)"));
    assert_eq!(reloaded.generated(), Some("2023-12-26T00:00:00Z"));
    assert!(
        compact.len() * 4 < bytes.len(),
        "the compact list is not much smaller"
    );
}

#[test]
fn a_signed_german_list_verifies_with_its_pinned_key() {
    use p256::ecdsa::signature::Signer;
    let Some(bytes) = read_list("trustlist_de.json") else {
        return;
    };
    let signing_key = p256::ecdsa::SigningKey::from_slice(&[0x42; 32]).expect("a valid scalar");
    let signature: p256::ecdsa::Signature = signing_key.sign(&bytes);
    let mut signed = STANDARD.encode(signature.to_bytes()).into_bytes();
    signed.push(b'\n');
    signed.extend_from_slice(&bytes);
    let pinned = public_key_to_spki(&PublicKey::EcP256((*signing_key.verifying_key()).into()));

    let start = Instant::now();
    let list = TrustList::from_bytes_with_pinned_key(&signed, &pinned).expect("verifies");
    println!(
        "signed DE: verified and loaded in {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(list.len() + list.skipped().len(), 832);

    let last = signed.len() - 3;
    signed[last] ^= 1;
    let err = TrustList::from_bytes_with_pinned_key(&signed, &pinned).expect_err("altered");
    assert_eq!(err.code(), "trust_list_signature");
}
