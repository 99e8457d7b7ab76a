//! The verifier in a real browser, through its JavaScript boundary (`src/wasm.rs`):
//! `wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" --mode no-install -- --test web`.
//!
//! Fixtures are the test issuer's (tests/fixtures), compiled in: a browser has no file system.
#![cfg(target_arch = "wasm32")]

use dcc_verifier::wasm::{scan_qr, verify, version, TrustList, Verifier, VerifyOptions};
use js_sys::{Object, Reflect};
use wasm_bindgen::{Clamped, JsCast as _, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// 2026-06-01T00:00:00Z, the fixtures' validation time, in epoch milliseconds.
const FIXTURE_TIME_MS: f64 = 1_780_272_000_000.0;

const DSC_LIST: &str = include_str!("fixtures/trust/dsc_list.json");

fn trust_list() -> TrustList {
    TrustList::new(JsValue::from_str(DSC_LIST).into()).expect("the fixture list loads")
}

/// A verifier trusting the fixture list, as a page keeps one.
fn verifier() -> Verifier {
    let mut verifier = Verifier::new();
    verifier
        .add_trust(JsValue::from_str(DSC_LIST).into())
        .expect("the fixture list loads");
    verifier
}

/// `{ now }` as JavaScript passes it.
fn options(now: JsValue) -> VerifyOptions {
    let options = Object::new();
    Reflect::set(&options, &"now".into(), &now).expect("settable");
    options.unchecked_into()
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |value, key| {
        if let Ok(index) = key.parse::<u32>() {
            Reflect::get_u32(&value, index).unwrap_or(JsValue::UNDEFINED)
        } else {
            Reflect::get(&value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        }
    })
}

fn status_of(text: &str) -> String {
    let report = verifier()
        .verify(text, Some(options(JsValue::from_f64(FIXTURE_TIME_MS))))
        .expect("a report");
    get(&report, &["status"])
        .as_string()
        .expect("status is a string")
}

#[wasm_bindgen_test]
fn every_verdict_kind_in_the_browser() {
    let cases: &[(&str, &str)] = &[
        (
            include_str!("fixtures/certs/es256_vaccination.txt"),
            "valid",
        ),
        (
            include_str!("fixtures/certs/ps256_2048_vietnam.txt"),
            "valid",
        ),
        (include_str!("fixtures/certs/ps256_4096.txt"), "valid"),
        (
            include_str!("fixtures/certs/tampered_signature.txt"),
            "invalid",
        ),
        (
            include_str!("fixtures/certs/key_usage_test_only.txt"),
            "invalid",
        ),
        (include_str!("fixtures/certs/expired.txt"), "expired"),
        (
            include_str!("fixtures/certs/not_yet_valid.txt"),
            "not_yet_valid",
        ),
        (
            include_str!("fixtures/certs/unknown_kid.txt"),
            "unknown_signer",
        ),
        (include_str!("fixtures/certs/not_hc1_url.txt"), "not_a_dcc"),
        (include_str!("fixtures/certs/zlib_bomb.txt"), "not_a_dcc"),
    ];
    for (text, expected) in cases {
        assert_eq!(
            status_of(text),
            *expected,
            "{}",
            &text[..text.len().min(40)]
        );
    }
}

/// One verifier kept across calls, as the page keeps it: an ES256 key's second verification
/// builds its table of multiples (src/crypto/es256.rs), and later ones use it, in wasm too.
#[wasm_bindgen_test]
fn es256_keys_verify_the_same_before_and_after_their_table_is_built() {
    let verifier = verifier();
    let status = |text: &str| {
        let options = options(JsValue::from_f64(FIXTURE_TIME_MS));
        let report = verifier.verify(text, Some(options)).expect("a report");
        get(&report, &["status"]).as_string().expect("a string")
    };
    for round in 0..4 {
        for (text, expected) in [
            (
                include_str!("fixtures/certs/es256_vaccination.txt"),
                "valid",
            ),
            (include_str!("fixtures/certs/es256_recovery.txt"), "valid"),
            (
                include_str!("fixtures/certs/tampered_signature.txt"),
                "invalid",
            ),
            (
                include_str!("fixtures/certs/tampered_payload.txt"),
                "invalid",
            ),
        ] {
            assert_eq!(status(text), expected, "round {round}: {}", &text[..40]);
        }
    }
}

#[wasm_bindgen_test]
fn report_crosses_as_a_plain_object_with_the_json_field_names() {
    let text = include_str!("fixtures/certs/ps256_2048_vietnam.txt");
    let report = verifier()
        .verify(text, Some(options(JsValue::from_f64(FIXTURE_TIME_MS))))
        .expect("a report");
    assert_eq!(get(&report, &["alg"]).as_string().as_deref(), Some("PS256"));
    assert_eq!(
        get(&report, &["certificate", "nam", "fn"])
            .as_string()
            .as_deref(),
        Some("Nguyễn")
    );
    assert_eq!(
        get(&report, &["checks", "0", "check"])
            .as_string()
            .as_deref(),
        Some("prefix")
    );
    assert_eq!(
        get(&report, &["checks", "8", "check"])
            .as_string()
            .as_deref(),
        Some("signature")
    );
    assert_eq!(
        get(&report, &["checks", "12", "check"])
            .as_string()
            .as_deref(),
        Some("expiry")
    );
    assert_eq!(
        get(&report, &["checks", "8", "result"])
            .as_string()
            .as_deref(),
        Some("pass")
    );
    assert!(
        get(&report, &["certificate"]).is_object(),
        "a plain object, not a Map"
    );
}

#[wasm_bindgen_test]
fn now_accepts_a_date_and_defaults_to_the_clock() {
    let text = include_str!("fixtures/certs/es256_vaccination.txt");
    let date = js_sys::Date::new(&JsValue::from_f64(FIXTURE_TIME_MS));
    let with_date = verifier()
        .verify(text, Some(options(date.into())))
        .expect("a report");
    assert_eq!(
        get(&with_date, &["status"]).as_string().as_deref(),
        Some("valid")
    );
    // Without trust every signer is unknown, whatever the time.
    let without = verify(text, None).expect("a report");
    assert_eq!(
        get(&without, &["status"]).as_string().as_deref(),
        Some("unknown_signer")
    );
    let bad_time = verifier().verify(text, Some(options(JsValue::from_str("tomorrow"))));
    assert!(bad_time.is_err());
}

/// A `TrustList` given to a verifier is copied: the list may be freed, and the verifier keeps
/// trusting its keys. Trust from several files adds up.
#[wasm_bindgen_test]
fn verifiers_borrow_trust_lists_and_add_trust_up() {
    let text = include_str!("fixtures/certs/es256_vaccination.txt");
    let now = || Some(options(JsValue::from_f64(FIXTURE_TIME_MS)));
    let mut verifier = Verifier::new();
    let list = trust_list();
    verifier.add_trust_list(&list);
    assert_eq!(verifier.trust_size(), list.size());
    drop(list);
    let report = verifier.verify(text, now()).expect("a report");
    assert_eq!(
        get(&report, &["status"]).as_string().as_deref(),
        Some("valid")
    );
    let der = js_sys::Uint8Array::from(&include_bytes!("fixtures/trust/dsc/es256.der")[..]);
    let before = verifier.trust_size();
    verifier
        .add_trust(JsValue::from(der).into())
        .expect("DER loads");
    assert_eq!(verifier.trust_size(), before + 1);
    assert!(verifier
        .add_trust(JsValue::from_str("not a trust list").into())
        .is_err());
    assert_eq!(
        verifier.trust_size(),
        before + 1,
        "a failed file changes nothing"
    );
    // The old options shape is refused with the way to the new one, not silently ignored.
    let old = Object::new();
    Reflect::set(&old, &"trustList".into(), &JsValue::TRUE).expect("settable");
    let error = verify(text, Some(old.unchecked_into())).expect_err("refused");
    let message = JsValue::from(error);
    let message = get(&message, &["message"]).as_string().unwrap_or_default();
    assert!(message.contains("Verifier"), "{message}");
}

#[wasm_bindgen_test]
fn garbage_returns_errors_or_verdicts_never_panics() {
    for garbage in [
        "",
        "HC1:",
        "HC1:%%%%",
        "hc1:abc",
        "\u{0}\u{1}",
        "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH",
    ] {
        assert_eq!(status_of(garbage), "not_a_dcc", "{garbage:?}");
    }
    assert!(TrustList::new(JsValue::from_str("not a trust list").into()).is_err());
    assert!(TrustList::new(JsValue::from_f64(3.0).into()).is_err());
    assert!(
        scan_qr(Clamped(vec![0; 7]), 2, 2).is_err(),
        "RGBA length must match the size"
    );
    assert_eq!(
        scan_qr(Clamped(vec![255; 64 * 64 * 4]), 64, 64).ok(),
        Some(None),
        "a blank frame has no QR"
    );
    assert!(!version().is_empty());
}

#[wasm_bindgen_test]
fn trust_list_loads_every_format_and_merges() {
    let formats: &[(&str, &str)] = &[
        ("dsc_list.json", DSC_LIST),
        (
            "dsc_list.signed.json",
            include_str!("fixtures/trust/dsc_list.signed.json"),
        ),
        (
            "trust_fr.json",
            include_str!("fixtures/trust/trust_fr.json"),
        ),
        (
            "trust_ch.json",
            include_str!("fixtures/trust/trust_ch.json"),
        ),
        (
            "trust_nl.json",
            include_str!("fixtures/trust/trust_nl.json"),
        ),
        (
            "dsc_bundle.pem",
            include_str!("fixtures/trust/dsc_bundle.pem"),
        ),
    ];
    for (name, text) in formats {
        let list = TrustList::new(JsValue::from_str(text).into())
            .unwrap_or_else(|_| panic!("{name} loads"));
        assert!(list.size() >= 10, "{name}: {}", list.size());
        // The Swiss format carries keys without countries.
        assert_eq!(
            list.countries().is_empty(),
            *name == "trust_ch.json",
            "{name}"
        );
    }
    let der = js_sys::Uint8Array::from(&include_bytes!("fixtures/trust/dsc/es256.der")[..]);
    let one = TrustList::new(JsValue::from(der).into()).expect("DER loads");
    assert_eq!(one.size(), 1);
    let merged = one.merge(&trust_list());
    assert_eq!(merged.size(), 1 + trust_list().size());
    // Every fixture key is the test issuer's: a demo key, whatever the format.
    assert!(merged.demo());
}

fn fixture_rgba(png: &[u8], invert: bool) -> (Vec<u8>, u32, u32) {
    let luma = dcc_verifier::qr::load_image_file(png).expect("fixture PNG decodes");
    let rgba = luma
        .pixels
        .iter()
        .flat_map(|&l| {
            let l = if invert { 255 - l } else { l };
            [l, l, l, 255]
        })
        .collect();
    (rgba, luma.width, luma.height)
}

#[wasm_bindgen_test]
fn scan_qr_reads_generated_images_normal_and_inverted() {
    let expected = include_str!("fixtures/certs/es256_vaccination.txt").trim();
    for invert in [false, true] {
        let (rgba, width, height) =
            fixture_rgba(include_bytes!("fixtures/qr/es256_vaccination.png"), invert);
        let text = scan_qr(Clamped(rgba), width, height).expect("no error");
        assert_eq!(text.as_deref(), Some(expected), "inverted: {invert}");
    }
}

mod revocation {
    use super::*;
    use dcc_verifier::revocation::{compact, Batch, HashType, Subject};
    use dcc_verifier::wasm::RevocationList;

    const BATCHES: &str = include_str!("fixtures/revocation/batches.json");

    /// The fixture batches in the compact form, as `scripts/build-web --revocation` writes them.
    fn compact_fixture() -> JsValue {
        let list = dcc_verifier::RevocationList::from_bytes(BATCHES.as_bytes()).expect("loads");
        js_sys::Uint8Array::from(compact::write(&list.to_batches()).as_slice()).into()
    }

    /// The fixture verifier, also looking certificates up in `list` (which it copies).
    fn with_revocation(list: RevocationList) -> Verifier {
        let mut verifier = verifier();
        verifier.add_revocation_list(&list);
        verifier
    }

    #[wasm_bindgen_test]
    fn a_listed_certificate_is_revoked_and_others_are_not() {
        let list = || RevocationList::new(compact_fixture().into()).expect("batches load");
        assert_eq!(list().countries(), ["VN"]);
        for (text, status) in [
            (
                include_str!("fixtures/revocation/revoked_ps256_signature.txt"),
                "revoked",
            ),
            (
                include_str!("fixtures/revocation/revoked_es256_uci.txt"),
                "revoked",
            ),
            (
                include_str!("fixtures/revocation/not_revoked_ps256.txt"),
                "valid",
            ),
        ] {
            let report = with_revocation(list())
                .verify(text, Some(options(JsValue::from_f64(FIXTURE_TIME_MS))))
                .expect("a report");
            assert_eq!(
                get(&report, &["status"]).as_string().as_deref(),
                Some(status)
            );
            assert_eq!(
                get(&report, &["checks", "9", "check"])
                    .as_string()
                    .as_deref(),
                Some("revocation")
            );
        }
        // The page loads the compact form only; JSON and damaged files are refused.
        assert!(RevocationList::new(JsValue::from_str(BATCHES).into()).is_err());
        let cut = js_sys::Uint8Array::new(&compact_fixture()).subarray(0, 40);
        assert!(RevocationList::new(JsValue::from(cut).into()).is_err());
    }

    /// 100,000 entries in gateway batches of 1,000 over 100 kids, in the compact form.
    fn compact_list(entries: u64) -> (Vec<u8>, Vec<u8>) {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            // splitmix64: spread-out hashes without hashing 100,000 strings in the test.
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let batches: Vec<Batch> = (0..entries / 1000)
            .map(|b| Batch {
                country: "XX".into(),
                expires: 2_000_000_000,
                date: None,
                kid: (b % 100).to_be_bytes().to_vec(),
                hash_type: HashType::ALL[(b % 3) as usize],
                hashes: (0..1000).map(|_| next()).collect(),
            })
            .collect();
        (compact::write(&batches), batches[0].kid.clone())
    }

    /// Load and lookup times of the compact form; the figures in docs/benchmarks.md come from
    /// `wasm-pack test --release --headless --chrome ... -- --test web revocation` (this prints
    /// them); the bounds here are loose enough for a debug build.
    #[wasm_bindgen_test]
    fn compact_list_of_100000_entries_loads_and_looks_up_fast() {
        let (bytes, kid) = compact_list(100_000);
        let array = js_sys::Uint8Array::from(bytes.as_slice());
        let start = js_sys::Date::now();
        let runs = 5;
        for _ in 0..runs {
            drop(RevocationList::new(JsValue::from(array.clone()).into()).expect("loads"));
        }
        let load_ms = (js_sys::Date::now() - start) / f64::from(runs);

        let list = dcc_verifier::RevocationList::from_bytes(&bytes).expect("loads");
        assert_eq!(list.len(), 100_000);
        let signature = [7u8; 64];
        let lookups = 100_000;
        let start = js_sys::Date::now();
        for i in 0..lookups {
            let ci = if i % 2 == 0 {
                "URN:UVCI:01:XX:A"
            } else {
                "URN:UVCI:01:XX:B"
            };
            let subject = Subject {
                kid: Some(&kid),
                ci: Some(ci),
                iss: Some("XX"),
                alg: None,
                signature: &signature,
            };
            std::hint::black_box(list.check(std::hint::black_box(&subject), 1_700_000_000));
        }
        let lookup_us = (js_sys::Date::now() - start) * 1000.0 / f64::from(lookups);
        wasm_bindgen_test::console_log!(
            "revocation, 100,000 entries ({} bytes compact, {:.2} B/entry): load {load_ms:.1} ms, lookup {lookup_us:.2} µs",
            bytes.len(),
            bytes.len() as f64 / 100_000.0
        );
        assert!(load_ms < 500.0, "load {load_ms} ms");
        assert!(lookup_us < 50.0, "lookup {lookup_us} µs");
    }
}
