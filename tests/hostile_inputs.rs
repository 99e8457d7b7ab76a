//! Hostile inputs, stage by stage: what a stranger can hand the verifier, and the verdict each
//! must get. Every case names the check that must fail and a piece of its sentence; none may
//! panic, and none may reach `valid`. Certificates that need a genuine signature are made by
//! the project's test issuer (`tests/issuer`), so that the failure is the hostile part and not
//! a missing signature.
//!
//! Also here: one test per resource bound of `dcc_verifier::limits` (just over it fails with the
//! right error, at it does not), and the regression tests of what fuzzing found (docs/fuzzing.md).
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ciborium::Value as Cbor;
use coset::{
    CoseSign1, Header, ProtectedHeader, RegisteredLabelWithPrivate, TaggedCborSerializable,
};
use dcc_test_issuer::cert::{cbor_bytes, hc1_text, zlib};
use dcc_test_issuer::der::rsa_spki;
use dcc_test_issuer::{
    payload, CertBuilder, Dsc as IssuerDsc, Holder, Issued, Key, KidPlacement, TrustListBuilder,
    EKU_TEST, ES256, PS256,
};
use dcc_verifier::decode::{cwt, inflate};
use dcc_verifier::limits::{
    MAX_CBOR_DEPTH, MAX_CBOR_ITEMS, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MAX_INFLATED_LEN,
    MAX_QR_TEXT_LEN, MAX_RSA_BITS, MAX_TRUST_ENTRY_LEN, MAX_TRUST_LIST_ENTRIES, MAX_TRUST_LIST_LEN,
    MIN_RSA_BITS,
};
use dcc_verifier::trust::keys::public_key_from_spki;
use dcc_verifier::trust::x509::dsc_from_der;
use dcc_verifier::trust::{Dsc, KeyUsage, PublicKey};
use dcc_verifier::{verify, verify_cose, CheckId, Error, Outcome, Report, Status, TrustList};
use serde_json::json;

/// 2026-06-01T00:00:00Z: inside the validity of everything the issuer makes by default
/// (certificates 2026-01-01 to 2027-01-01, DSCs 2025-01-01 to 2030-01-01).
const NOW: i64 = 1_780_272_000;

/// The signers every case uses, and the trust list that holds them.
struct Setup {
    es256: IssuerDsc,
    ps256: IssuerDsc,
    test_only: IssuerDsc,
    trust: TrustList,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let es256 = IssuerDsc::builder(&Key::es256("hostile-es256")).build();
        let ps256 = IssuerDsc::builder(&Key::ps256(2048, "hostile-ps256")).build();
        let test_only = IssuerDsc::builder(&Key::es256("hostile-test-only"))
            .key_usage(&[EKU_TEST])
            .build();
        let json = TrustListBuilder::new()
            .add(&es256)
            .add(&ps256)
            .add(&test_only)
            .dsc_list_json();
        let trust = TrustList::from_bytes(json.as_bytes()).expect("the test trust list loads");
        assert_eq!(trust.len(), 3);
        Setup {
            es256,
            ps256,
            test_only,
            trust,
        }
    })
}

/// A certificate from the ES256 signer, honest unless changed.
fn es256() -> CertBuilder {
    CertBuilder::new(&setup().es256)
}

/// `HC1:` + base45(zlib(cose)).
fn text_of(cose: &[u8]) -> String {
    hc1_text(&zlib(cose))
}

/// The issued COSE_Sign1 with `change` applied after signing, re-encoded with its tag.
fn altered(issued: &Issued, change: impl FnOnce(&mut CoseSign1)) -> Vec<u8> {
    let mut sign1 = CoseSign1::from_tagged_slice(&issued.cose).expect("the issuer's COSE parses");
    change(&mut sign1);
    sign1.to_tagged_vec().expect("COSE encodes")
}

/// Tag 18 around a COSE_Sign1 array built from raw parts.
fn raw_cose(
    protected: &[u8],
    unprotected: Cbor,
    payload: Option<&[u8]>,
    signature: &[u8],
) -> Vec<u8> {
    let payload = payload.map_or(Cbor::Null, |bytes| Cbor::Bytes(bytes.to_vec()));
    cbor_bytes(&Cbor::Tag(
        18,
        Box::new(Cbor::Array(vec![
            Cbor::Bytes(protected.to_vec()),
            unprotected,
            payload,
            Cbor::Bytes(signature.to_vec()),
        ])),
    ))
}

fn int(value: i64) -> Cbor {
    Cbor::Integer(value.into())
}

fn text(value: &str) -> Cbor {
    Cbor::Text(value.to_owned())
}

/// The issuer's default vaccination payload, as CBOR.
fn dcc() -> Cbor {
    payload::to_cbor(&payload::vaccination(&Holder::example(), "VN"))
}

/// `dcc` with top-level field `key` set to `value` (replaced where present, else added).
fn dcc_with(key: &str, value: Cbor) -> Cbor {
    let Cbor::Map(mut entries) = dcc() else {
        unreachable!("the payload is a map")
    };
    match entries.iter_mut().find(|(k, _)| k.as_text() == Some(key)) {
        Some(entry) => entry.1 = value,
        None => entries.push((text(key), value)),
    }
    Cbor::Map(entries)
}

/// CWT claims as the issuer writes them (iss, exp, iat, hcert), around `dcc`.
fn claims_entries(dcc: Cbor) -> Vec<(Cbor, Cbor)> {
    vec![
        (int(1), text("VN")),
        (int(4), int(1_798_761_600)),
        (int(6), int(1_767_225_600)),
        (int(-260), Cbor::Map(vec![(int(1), dcc)])),
    ]
}

/// Claims with the claim `key` set to `value`.
fn claims_with(key: i64, value: Cbor) -> Vec<u8> {
    let mut entries = claims_entries(dcc());
    match entries.iter_mut().find(|(k, _)| *k == int(key)) {
        Some(entry) => entry.1 = value,
        None => entries.push((int(key), value)),
    }
    cbor_bytes(&Cbor::Map(entries))
}

/// HC1 text of a genuine ES256 signature over these claims bytes.
fn signed(claims: Vec<u8>) -> String {
    es256().raw_claims(claims).build().text
}

/// `depth` nested one-element arrays around a 0.
fn nested_arrays(depth: usize) -> Vec<u8> {
    let mut bytes = vec![0x81; depth];
    bytes.push(0x00);
    bytes
}

/// What is fed to the verifier.
enum Input {
    /// QR text, through `verify`.
    Text(String),
    /// A COSE structure, through `verify_cose`.
    Cose(Vec<u8>),
}

/// One hostile input and the verdict it must get.
struct Case {
    name: &'static str,
    input: Input,
    /// The trust list, when not the standard one.
    trust: Option<TrustList>,
    status: Status,
    /// The check that must fail, and a piece of its sentence.
    check: CheckId,
    fragment: String,
}

fn case(name: &'static str, input: Input, status: Status, check: CheckId, fragment: &str) -> Case {
    Case {
        name,
        input,
        trust: None,
        status,
        check,
        fragment: fragment.to_owned(),
    }
}

fn text_case(
    name: &'static str,
    input: impl Into<String>,
    status: Status,
    check: CheckId,
    fragment: &str,
) -> Case {
    case(name, Input::Text(input.into()), status, check, fragment)
}

fn run(input: &Input, trust: &TrustList) -> Report {
    match input {
        Input::Text(text) => verify(text, trust, NOW),
        Input::Cose(cose) => verify_cose(cose, trust, NOW),
    }
}

/// Checks a report against its case; the problems, in words.
fn judge(case: &Case, report: &Report) -> Vec<String> {
    let mut problems = Vec::new();
    if report.status == Status::Valid {
        problems.push("reached VALID".to_owned());
    }
    if report.status != case.status {
        problems.push(format!(
            "status {:?}, expected {:?}",
            report.status, case.status
        ));
    }
    match report.check(case.check) {
        Some(check) if check.result == Outcome::Fail && check.detail.contains(&case.fragment) => {}
        Some(check) => problems.push(format!(
            "{:?} is {:?} with {:?}; expected a failure mentioning {:?}",
            case.check, check.result, check.detail, case.fragment
        )),
        None => problems.push(format!("{:?} is not listed", case.check)),
    }
    if report.checks.len() != CheckId::ALL.len()
        || !report.checks.iter().map(|c| c.check).eq(CheckId::ALL)
    {
        problems.push("the checks are not the twelve, in order".to_owned());
    }
    for check in &report.checks {
        if check.result == Outcome::Fail && check.code.is_none() {
            problems.push(format!("{:?} failed without a code", check.check));
        }
    }
    problems
}

/// The catalogue: every kind of hostile input, and its verdict.
fn catalogue() -> Vec<Case> {
    use CheckId::*;
    use Status::{Expired, Invalid, NotADcc, NotYetValid, UnknownSigner};
    let s = setup();
    let honest = es256().build();
    let honest_ps = CertBuilder::new(&s.ps256).build();
    let body = honest.text.strip_prefix("HC1:").expect("prefix");

    let mut cases = vec![
        // QR codes that are not vaccine certificates.
        text_case("url", "https://example.com/covid?id=123", NotADcc, Prefix, "starts with \"http\" instead of \"HC1:\""),
        text_case("wifi", "WIFI:S:CafeGuest;T:WPA;P:hunter2;;", NotADcc, Prefix, "starts with \"WIFI\""),
        text_case("vcard", "BEGIN:VCARD\nVERSION:3.0\nFN:Tran Thi Mai\nTEL:+84123456789\nEND:VCARD", NotADcc, Prefix, "starts with \"BEGI\""),
        text_case("empty", " \r\n\t", NotADcc, Prefix, "the input is empty"),
        text_case("huge_text", format!("HC1:{}", "A".repeat(1_000_000)), NotADcc, Prefix, "more than a QR code holds"),
        text_case("emoji", "😷 HC1:", NotADcc, Prefix, "starts with \"😷 HC\""),
        text_case("nul_before_prefix", format!("\0{}", honest.text), NotADcc, Prefix, "instead of \"HC1:\""),
        // HC1 text, damaged on the way.
        text_case("lowercase_text", honest.text.to_lowercase(), NotADcc, Prefix, "starts with \"hc1:\""),
        text_case("lowercase_body", format!("HC1:{}", body.to_lowercase()), NotADcc, Base45, "not allowed (base45)"),
        text_case("newline_inside", format!("HC1:{}\n{}", &body[..40], &body[40..]), NotADcc, Base45, "not allowed (base45)"),
        text_case("crlf_and_tab_inside", format!("HC1:{}\r\n\t{}", &body[..41], &body[41..]), NotADcc, Base45, "not allowed (base45)"),
        // A space is a base45 character: one or two of them leave a dangling character.
        text_case(
            "space_inside",
            format!("HC1:{}{}{}", &body[..42], if body.len().is_multiple_of(3) { " " } else { "  " }, &body[42..]),
            NotADcc,
            Base45,
            "not allowed (base45)",
        ),
        text_case("nul_inside", format!("HC1:{}\0{}", &body[..42], &body[42..]), NotADcc, Base45, "not allowed (base45)"),
        text_case("emoji_inside", format!("HC1:{}😷{}", &body[..42], &body[42..]), NotADcc, Base45, "not allowed (base45)"),
        text_case("base45_value_over_65535", "HC1:GGW", NotADcc, Base45, "not allowed (base45)"),
        text_case("nothing_after_prefix", "HC1:", NotADcc, Base45, "not allowed (base45)"),
        // Truncated at each stage.
        text_case("truncated_text", format!("HC1:{}", &body[..body.len() - body.len() % 3 - 2]), NotADcc, Base45, "not allowed"),
        text_case("truncated_zlib", hc1_text(&honest.compressed[..honest.compressed.len() / 2]), NotADcc, Decompress, "compressed data is broken"),
        text_case("truncated_cose", text_of(&honest.cose[..honest.cose.len() - 10]), NotADcc, Cose, "truncated"),
        text_case("truncated_cwt", signed(honest.cwt[..honest.cwt.len() - 5].to_vec()), NotADcc, Cwt, "truncated"),
        // Resource attacks.
        text_case("zlib_bomb", hc1_text(&zlib(&vec![0u8; 1024 * 1024])), NotADcc, Decompress, "unpacks to more than 65536 bytes"),
        text_case("nested_cbor_cose", text_of(&nested_arrays(10_000)), NotADcc, Cose, "nested too deeply"),
        text_case("nested_cbor_claims", signed(nested_arrays(10_000)), NotADcc, Cwt, "nested too deeply"),
        text_case(
            "nested_cbor_payload",
            es256()
                .payload({
                    let mut value = json!(0);
                    for _ in 0..40 {
                        value = json!([value]);
                    }
                    let mut payload = payload::vaccination(&Holder::example(), "VN");
                    payload["ext"] = value;
                    payload
                })
                .build()
                .text,
            NotADcc,
            Cwt,
            "nested too deeply",
        ),
        text_case("byte_string_claiming_4_GiB", text_of(&[0xd2, 0x84, 0x5a, 0xff, 0xff, 0xff, 0xff, 0x00]), NotADcc, Cose, "truncated"),
        text_case("array_claiming_2_pow_60_items", text_of(&[0xd2, 0x9b, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x00]), NotADcc, Cose, "truncated"),
        text_case("map_claiming_2_pow_60_entries", signed(vec![0xbb, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x02]), NotADcc, Cwt, "truncated"),
        text_case("text_claiming_2_pow_63_bytes", signed(vec![0xa1, 0x01, 0x7b, 0x80, 0, 0, 0, 0, 0, 0, 0, b'V', b'N']), NotADcc, Cwt, "truncated"),
        text_case(
            "ten_thousand_entries",
            es256()
                .payload({
                    let mut payload = payload::vaccination(&Holder::example(), "VN");
                    payload["v"] = json!(vec![json!({}); 10_000]);
                    payload
                })
                .build()
                .text,
            NotADcc,
            Cwt,
            "more than 4096 items",
        ),
        // The COSE envelope.
        text_case(
            "wrong_cose_tag_mac0",
            text_of(&[&[0xd1][..], &honest.cose[1..]].concat()),
            NotADcc,
            Cose,
            "CBOR tag 17 is not COSE_Sign1",
        ),
        text_case(
            "wrong_cose_tag_multi_signer",
            text_of(&[&[0xd8, 0x62][..], &honest.cose[1..]].concat()),
            NotADcc,
            Cose,
            "CBOR tag 98 is not COSE_Sign1",
        ),
        text_case("unsigned_cwt_tag_61_without_18", text_of(&cbor_bytes(&Cbor::Tag(61, Box::new(Cbor::Map(claims_entries(dcc())))))), NotADcc, Cose, "not an array of four items"),
        text_case("detached_payload", text_of(&altered(&honest, |sign1| sign1.payload = None)), NotADcc, Cose, "carries no payload"),
        text_case("trailing_bytes_after_cose", text_of(&[&honest.cose[..], &[0x00]].concat()), NotADcc, Cose, "1 unexpected bytes follow"),
        text_case(
            "duplicate_protected_header_label",
            text_of(&raw_cose(
                &[&[0xa3, 0x01, 0x26, 0x04, 0x48][..], &s.es256.kid(), &[0x01, 0x38, 0x24]].concat(),
                Cbor::Map(vec![]),
                Some(&honest.cwt),
                &honest.signature,
            )),
            NotADcc,
            Cose,
            "duplicate map key",
        ),
        text_case(
            "protected_header_nested_deeply",
            text_of(&raw_cose(&[&[0xa1, 0x01][..], &nested_arrays(200)].concat(), Cbor::Map(vec![]), Some(&honest.cwt), &honest.signature)),
            NotADcc,
            Cose,
            "the code does not hold a signed certificate",
        ),
        // Algorithms, keys and signatures.
        text_case("ps256_header_ec_key", es256().alg(PS256).build().text, Invalid, Signature, "claims PS256, but the signer's key is an EC P-256 key"),
        text_case("es256_header_rsa_key", CertBuilder::new(&s.ps256).alg(ES256).build().text, Invalid, Signature, "claims ES256, but the signer's key is an RSA key"),
        text_case("unsupported_alg_es384", es256().alg(-35).build().text, Invalid, Signature, "signed with ES384, which DCC does not allow"),
        text_case(
            "alg_text_none",
            text_of(&altered(&honest, |sign1| {
                sign1.protected = ProtectedHeader {
                    original_data: None,
                    header: Header { alg: Some(RegisteredLabelWithPrivate::Text("none".into())), ..sign1.protected.header.clone() },
                };
            })),
            Invalid,
            Signature,
            "signed with algorithm \"none\", which DCC does not allow",
        ),
        text_case(
            "missing_alg",
            text_of(&altered(&honest, |sign1| {
                sign1.protected = ProtectedHeader { original_data: None, header: Header { alg: None, ..sign1.protected.header.clone() } };
            })),
            Invalid,
            Signature,
            "does not say how it was signed",
        ),
        text_case("es256_signature_63_bytes", text_of(&altered(&honest, |sign1| sign1.signature.truncate(63))), Invalid, Signature, "signature does not match"),
        text_case("es256_signature_65_bytes", text_of(&altered(&honest, |sign1| sign1.signature.push(0))), Invalid, Signature, "signature does not match"),
        text_case("es256_signature_empty", text_of(&altered(&honest, |sign1| sign1.signature.clear())), Invalid, Signature, "signature does not match"),
        text_case(
            "es256_signature_der",
            text_of(&altered(&honest, |sign1| sign1.signature = s.es256.key().sign_ecdsa_der(&honest.sig_structure))),
            Invalid,
            Signature,
            "signature does not match",
        ),
        text_case("ps256_signature_255_bytes", text_of(&altered(&honest_ps, |sign1| sign1.signature.truncate(255))), Invalid, Signature, "signature does not match"),
        text_case("signed_by_another_key", es256().sign_with(&Key::es256("hostile-forger")).build().text, Invalid, Signature, "signature does not match"),
        // Key identifiers.
        text_case("kid_7_bytes", es256().kid(&s.es256.kid()[..7]).build().text, UnknownSigner, Signer, "is not in the trust list"),
        text_case("kid_1000_bytes", es256().kid(&[0x42; 1000]).build().text, UnknownSigner, Signer, "is not in the trust list"),
        text_case("kid_empty", es256().kid(&[]).build().text, Invalid, Signer, "does not say which key signed it"),
        text_case(
            "unprotected_kid_swap",
            es256()
                .kid(b"forged!!")
                .unprotected_kid(&s.es256.kid())
                .kid_placement(KidPlacement::Both)
                .sign_with(&Key::es256("hostile-forger"))
                .build()
                .text,
            UnknownSigner,
            Signer,
            "(kid Zm9yZ2VkISE=) is not in the trust list",
        ),
        // The CWT claims.
        text_case(
            "duplicate_claim",
            signed(cbor_bytes(&Cbor::Map([claims_entries(dcc()), vec![(int(1), text("DE"))]].concat()))),
            NotADcc,
            Cwt,
            "the key 1 appears twice",
        ),
        text_case(
            "duplicate_payload_key",
            signed(cbor_bytes(&Cbor::Map(claims_entries({
                let Cbor::Map(mut entries) = dcc() else { unreachable!() };
                entries.push((text("dob"), text("2001-01-01")));
                Cbor::Map(entries)
            })))),
            NotADcc,
            Cwt,
            "the key \"dob\" appears twice",
        ),
        text_case("missing_hcert", signed(cbor_bytes(&Cbor::Map(claims_entries(dcc())[..3].to_vec()))), NotADcc, Cwt, "claim -260 is missing"),
        text_case("float_nan_iat", signed(claims_with(6, Cbor::Float(f64::NAN))), NotADcc, Cwt, "issue time (iat) is not a valid number"),
        text_case("float_infinite_exp", signed(claims_with(4, Cbor::Float(f64::INFINITY))), NotADcc, Cwt, "expiry time (exp) is not a valid number"),
        text_case("float_1e300_exp", signed(claims_with(4, Cbor::Float(1e300))), NotADcc, Cwt, "expiry time (exp) is not a valid number"),
        text_case("exp_beyond_i64", signed(claims_with(4, Cbor::Integer(u64::MAX.into()))), NotADcc, Cwt, "expiry time (exp) is out of range"),
        text_case("exp_as_text", signed(claims_with(4, text("2099-01-01"))), NotADcc, Cwt, "expiry time (exp) is not a number"),
        text_case("negative_timestamps", es256().iat(Some(-86_400)).exp(Some(-1)).build().text, Invalid, Expiry, "certificate expired on 1969-12-31"),
        text_case("negative_float_timestamps", es256().iat(Some(-86_400)).exp(Some(-1)).float_timestamps(true).build().text, Invalid, SignerValidity, "issued on 1969-12-31, before its signing certificate"),
        text_case("exp_i64_min", es256().exp(Some(i64::MIN)).build().text, Expired, Expiry, "certificate expired on -292277022657-01-27"),
        text_case("iat_far_future", es256().iat(Some(32_503_680_000)).exp(Some(32_503_766_400)).build().text, Invalid, SignerValidity, "may not outlive the key"),
        text_case("iat_far_future_within_signer", es256().iat(Some(1_893_369_600)).exp(Some(1_893_456_000)).build().text, NotYetValid, Expiry, "not valid yet: it is issued for 2029-12-31"),
        text_case("exp_i64_max", es256().exp(Some(i64::MAX)).build().text, Invalid, SignerValidity, "may not outlive the key"),
        text_case("exp_missing", es256().exp(None).build().text, Invalid, Expiry, "has no expiry date (exp)"),
        // The payload.
        text_case(
            "name_invalid_utf8",
            {
                let claims = cbor_bytes(&Cbor::Map(claims_entries(dcc_with(
                    "nam",
                    Cbor::Map(vec![(text("fn"), text("Tr@@n")), (text("fnt"), text("TRAN"))]),
                ))));
                let at = claims.windows(5).position(|w| w == b"Tr@@n").expect("placeholder");
                let mut claims = claims;
                claims[at + 2..at + 4].copy_from_slice(&[0xff, 0xfe]);
                signed(claims)
            },
            NotADcc,
            Cwt,
            "not valid CBOR",
        ),
        text_case(
            "name_right_to_left_override",
            es256().payload(payload::vaccination(&Holder::new("Tran\u{202E}nimdA", "TRAN", "Mai", "MAI", "1985-02-14"), "VN")).build().text,
            Invalid,
            Schema,
            "nam.fn: \"Tran\\u{202e}nimdA\" holds the invisible control character U+202E",
        ),
        text_case(
            "name_bidi_isolate",
            es256().payload(payload::vaccination(&Holder::new("Tran", "TRAN", "\u{2067}Mai\u{2069}", "MAI", "1985-02-14"), "VN")).build().text,
            Invalid,
            Schema,
            "nam.gn: \"\\u{2067}Mai\\u{2069}\" holds the invisible control character U+2067",
        ),
        text_case(
            "name_with_nul",
            es256().payload(payload::vaccination(&Holder::new("Tran\0Admin", "TRAN", "Mai", "MAI", "1985-02-14"), "VN")).build().text,
            Invalid,
            Schema,
            "holds the invisible control character U+0000",
        ),
        text_case("simple_value_19", signed(simple_value_claims()), NotADcc, Cwt, "not valid CBOR"),
        text_case("dob_undefined", signed(undefined_dob_claims()), Invalid, Schema, "dob: expected text, found nothing (null)"),
        text_case("dob_as_bytes", signed(cbor_bytes(&Cbor::Map(claims_entries(dcc_with("dob", Cbor::Bytes(b"1985-02-14".to_vec())))))), NotADcc, Payload, "field dob holds binary data"),
        text_case("payload_integer_key", signed(cbor_bytes(&Cbor::Map(claims_entries(dcc_with("v", Cbor::Map(vec![(int(5), text("x"))])))))), NotADcc, Payload, "field v has a field named 5 instead of text"),
        text_case("payload_unknown_tag", signed(cbor_bytes(&Cbor::Map(claims_entries(dcc_with("dob", Cbor::Tag(55, Box::new(text("1985-02-14")))))))), NotADcc, Payload, "field dob holds an unexpected CBOR tag 55"),
        text_case("payload_number_below_i64", signed(cbor_bytes(&Cbor::Map(claims_entries(dcc_with("n", Cbor::Integer((-(1i128 << 64)).try_into().expect("fits"))))))), NotADcc, Payload, "field n holds a number out of range"),
        text_case("payload_not_a_map", signed(cbor_bytes(&Cbor::Map(claims_entries(text("vaccinated, trust me"))))), NotADcc, Payload, "it is not a map of fields"),
        text_case("hcert_not_a_map", signed(claims_with(-260, text("vaccinated"))), NotADcc, Cwt, "claim -260 is missing"),
        text_case(
            "vaccination_and_test_in_one",
            es256()
                .payload({
                    let mut payload = payload::vaccination(&Holder::example(), "VN");
                    payload["t"] = payload::test(&Holder::example(), "VN")["t"].clone();
                    payload
                })
                .build()
                .text,
            Invalid,
            Schema,
            "more than one of vaccination (v), test (t) and recovery (r)",
        ),
        // Misuse of a genuine signature.
        text_case("not_compressed", hc1_text(&honest.cose), Invalid, Decompress, "not compressed as the EU specification requires"),
        text_case("test_only_key_signs_vaccination", CertBuilder::new(&s.test_only).build().text, Invalid, KeyUsage, "this is a vaccination certificate, but its signing key may only sign test certificates"),
        // The same, given as COSE directly.
        case("cose_nested_deeply", Input::Cose(nested_arrays(1_000)), NotADcc, Cose, "nested too deeply"),
        case("cose_empty", Input::Cose(Vec::new()), NotADcc, Cose, "truncated"),
        case("cose_tampered_payload", Input::Cose(es256().tamper(dcc_test_issuer::Tamper::Payload).build().cose), Invalid, Signature, "signature does not match"),
    ];
    cases.extend(trust_list_cases());
    cases
}

/// Claims whose `dob` is the CBOR simple value `undefined` (0xf7).
fn undefined_dob_claims() -> Vec<u8> {
    replace_once(
        cbor_bytes(&Cbor::Map(claims_entries(dcc_with("dob", text("@@@@"))))),
        b"\x64@@@@",
        &[0xf7],
    )
}

/// Claims whose `dob` is the unassigned CBOR simple value 19 (0xf3).
fn simple_value_claims() -> Vec<u8> {
    replace_once(
        cbor_bytes(&Cbor::Map(claims_entries(dcc_with("dob", text("@@@@"))))),
        b"\x64@@@@",
        &[0xf3],
    )
}

fn replace_once(bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("placeholder present");
    [&bytes[..at], to, &bytes[at + from.len()..]].concat()
}

/// Hostile trust lists, each with a certificate checked against it.
fn trust_list_cases() -> Vec<Case> {
    let s = setup();
    let mut cases = Vec::new();
    let with = |name, trust: TrustList, text: String, status, check, fragment: &str| Case {
        name,
        input: Input::Text(text),
        trust: Some(trust),
        status,
        check,
        fragment: fragment.to_owned(),
    };

    let empty = TrustList::from_bytes(br#"{"certificates":[]}"#).expect("an empty list loads");
    assert!(empty.is_empty());
    cases.push(with(
        "empty_trust_list",
        empty,
        es256().build().text,
        Status::UnknownSigner,
        CheckId::Signer,
        "is not in the trust list",
    ));
    cases.push(with(
        "no_trust_list",
        TrustList::new(),
        es256().build().text,
        Status::UnknownSigner,
        CheckId::Signer,
        "is not in the trust list",
    ));

    // One malformed certificate among good ones: the good ones load, the bad one is reported.
    let mut list: serde_json::Value = serde_json::from_str(
        &TrustListBuilder::new()
            .add(&s.es256)
            .add(&s.ps256)
            .dsc_list_json(),
    )
    .expect("JSON");
    let entries = list["certificates"].as_array_mut().expect("a list");
    entries.insert(1, json!({"kid": BASE64.encode(b"broken!!"), "rawData": BASE64.encode(b"\x30\x82\x01\x00 not DER at all")}));
    entries.push(json!({"kid": BASE64.encode(b"notb64!!"), "rawData": "*** not base64 ***"}));
    let trust = TrustList::from_bytes(list.to_string().as_bytes())
        .expect("the list loads despite its bad entries");
    assert_eq!(trust.len(), 2, "both good DSCs load");
    let skipped: Vec<_> = trust
        .skipped()
        .iter()
        .map(|entry| (entry.entry.as_str(), entry.reason.as_str()))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped[0].0 == "1" && skipped[0].1.contains("not a readable X.509 certificate"),
        "{skipped:?}"
    );
    assert!(
        skipped[1].0 == "3" && skipped[1].1.contains("not valid base64"),
        "{skipped:?}"
    );
    assert_eq!(
        verify(&es256().build().text, &trust, NOW).status,
        Status::Valid,
        "a good DSC of the list still verifies"
    );
    cases.push(with(
        "malformed_dsc_among_good_ones",
        trust,
        es256().kid(b"broken!!").build().text,
        Status::UnknownSigner,
        CheckId::Signer,
        "(kid YnJva2VuISE=) is not in the trust list",
    ));

    // RSA keys outside the accepted sizes are skipped with their reason.
    for (name, bits, kid) in [
        ("rsa_8192_in_trust_list", 8192, b"rsa-8192"),
        ("rsa_512_in_trust_list", 512, b"rsa-512!"),
    ] {
        let list = json!({
            "format": "dcc-verifier-compact/1",
            "keys": [
                {"kid": BASE64.encode(kid), "k": BASE64.encode(rsa_spki(bits))},
                {"kid": BASE64.encode(s.ps256.kid()), "k": BASE64.encode(s.ps256.key().spki_der())},
            ],
        });
        let trust = TrustList::from_bytes(list.to_string().as_bytes()).expect("the list loads");
        assert_eq!(trust.len(), 1, "{name}: the 2048-bit key loads");
        let reason = &trust.skipped().first().expect("one skipped").reason;
        assert!(
            reason.contains(&format!("{bits}-bit modulus")),
            "{name}: {reason}"
        );
        cases.push(with(
            name,
            trust,
            CertBuilder::new(&s.ps256).kid(kid).build().text,
            Status::UnknownSigner,
            CheckId::Signer,
            "is not in the trust list",
        ));
    }
    cases
}

#[test]
fn every_hostile_input_gets_an_honest_verdict() {
    let cases = catalogue();
    let mut names: Vec<&str> = cases.iter().map(|case| case.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names repeat");
    assert!(cases.len() >= 30, "only {} kinds", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let trust = case.trust.as_ref().unwrap_or(&setup().trust);
        match catch_unwind(AssertUnwindSafe(|| run(&case.input, trust))) {
            Ok(report) => failures.extend(
                judge(case, &report)
                    .into_iter()
                    .map(|problem| format!("{}: {problem}", case.name)),
            ),
            Err(_) => failures.push(format!("{}: PANICKED", case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_honest_certificates_behind_the_catalogue_are_valid() {
    // Without this, a case could fail for a reason of its own making.
    let s = setup();
    for issued in [
        es256().build(),
        CertBuilder::new(&s.ps256).build(),
        es256().kid_placement(KidPlacement::Both).build(),
        // Tag 61 around an untagged COSE_Sign1 is read (the signature still has to verify);
        // tag 61 around what is not a COSE_Sign1 is in the catalogue.
        es256().tagged(false).cwt_tag(true).build(),
    ] {
        let report = verify(&issued.text, &s.trust, NOW);
        assert_eq!(report.status, Status::Valid, "{:?}", report.checks);
        assert_eq!(
            verify_cose(&issued.cose, &s.trust, NOW).status,
            Status::Valid
        );
    }
    // Signed raw claims as the catalogue builds them are genuine too.
    assert_eq!(
        verify(
            &signed(cbor_bytes(&Cbor::Map(claims_entries(dcc())))),
            &s.trust,
            NOW
        )
        .status,
        Status::Valid
    );
    let test_cert = CertBuilder::new(&s.test_only)
        .payload(payload::test(&Holder::example(), "VN"))
        .build();
    assert_eq!(verify(&test_cert.text, &s.trust, NOW).status, Status::Valid);
}

#[test]
fn truncation_at_every_length_is_never_valid() {
    let s = setup();
    let issued = es256().build();
    let mut seen = std::collections::BTreeSet::new();
    for cut in 0..issued.text.len() {
        let report = verify(&issued.text[..cut], &s.trust, NOW);
        assert_ne!(report.status, Status::Valid, "text cut at {cut}");
        seen.insert(
            report
                .checks
                .iter()
                .find(|c| c.result == Outcome::Fail)
                .map(|c| c.check.as_str()),
        );
    }
    for cut in 0..issued.cose.len() {
        assert_ne!(
            verify_cose(&issued.cose[..cut], &s.trust, NOW).status,
            Status::Valid,
            "COSE cut at {cut}"
        );
    }
    for cut in 0..issued.cwt.len() {
        let report = verify(&signed(issued.cwt[..cut].to_vec()), &s.trust, NOW);
        assert_eq!(report.status, Status::NotADcc, "CWT cut at {cut}");
        assert_eq!(
            report.outcome(CheckId::Cwt),
            Outcome::Fail,
            "CWT cut at {cut}"
        );
    }
    // Cuts of the text fail at the prefix, base45 and zlib stages.
    for stage in ["prefix", "base45", "decompress"] {
        assert!(seen.contains(&Some(stage)), "{seen:?}");
    }
}

#[test]
fn every_flipped_bit_of_a_signed_cose_is_caught() {
    let s = setup();
    for issued in [es256().build(), CertBuilder::new(&s.ps256).build()] {
        for index in 0..issued.cose.len() {
            for bit in [0x01u8, 0x80] {
                let mut cose = issued.cose.clone();
                cose[index] ^= bit;
                let report = verify_cose(&cose, &s.trust, NOW);
                assert_ne!(report.status, Status::Valid, "byte {index} ^ {bit:#04x}");
            }
        }
    }
}

/// A deterministic RNG for the RSA key below (SHA-256 in counter mode): tests only.
struct CounterRng {
    counter: u64,
}

impl rsa::rand_core::TryRng for CounterRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut bytes = [0u8; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut bytes = [0u8; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        use sha2::Digest as _;
        for chunk in dst.chunks_mut(32) {
            self.counter += 1;
            let block = sha2::Sha256::digest(self.counter.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for CounterRng {}

#[test]
fn ps256_with_another_salt_length_is_refused() {
    use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _};
    // The test issuer always signs with salt 32, so this key is made here.
    let mut rng = CounterRng { counter: 0 };
    let private = rsa::PrivateKey::new(&mut rng, 2048).expect("RSA key");
    let kid = *b"pss-salt";
    let mut trust = TrustList::new();
    trust.push(Dsc {
        kid: kid.to_vec(),
        country: Some("VN".into()),
        subject: None,
        not_before: None,
        not_after: None,
        key_usage: KeyUsage::ALL,
        key: PublicKey::Rsa(private.to_public_key()),
        demo: false,
    });
    let issued = CertBuilder::new(&setup().ps256).kid(&kid).build();
    for (salt, status) in [
        (32, Status::Valid),
        (0, Status::Invalid),
        (20, Status::Invalid),
        (64, Status::Invalid),
    ] {
        let signer = rsa::pss::SigningKey::<sha2::Sha256>::new_with_salt_len(private.clone(), salt);
        let signature = signer
            .try_sign_with_rng(&mut rng, &issued.sig_structure)
            .expect("signs")
            .to_vec();
        let report = verify(
            &text_of(&altered(&issued, |sign1| sign1.signature = signature)),
            &trust,
            NOW,
        );
        assert_eq!(
            report.status,
            status,
            "salt {salt}: {:?}",
            report.check(CheckId::Signature)
        );
        if status == Status::Invalid {
            let check = report.check(CheckId::Signature).expect("listed");
            assert!(
                check.detail.contains("signature does not match"),
                "salt {salt}: {}",
                check.detail
            );
        }
    }
}

// ---- Bounds: just over each one fails with the right error; at it, it does not. ----

#[test]
fn bound_qr_text_length() {
    let at_bound = format!("HC1:{}", "A".repeat(MAX_QR_TEXT_LEN - 4));
    let report = verify(&at_bound, &setup().trust, NOW);
    assert_eq!(report.outcome(CheckId::Prefix), Outcome::Pass);
    let over = format!("{at_bound}A");
    let report = verify(&over, &setup().trust, NOW);
    let check = report.check(CheckId::Prefix).expect("listed");
    assert_eq!(check.code, Some("input_too_long"));
    assert!(
        check.detail.contains(&format!(
            "is {} characters long, more than a QR code holds ({MAX_QR_TEXT_LEN})",
            MAX_QR_TEXT_LEN + 1
        )),
        "{}",
        check.detail
    );
}

#[test]
fn bound_inflated_size() {
    assert_eq!(
        inflate::inflate(&zlib(&vec![7u8; MAX_INFLATED_LEN])).map(|(bytes, _)| bytes.len()),
        Ok(MAX_INFLATED_LEN)
    );
    assert_eq!(
        inflate::inflate(&zlib(&vec![7u8; MAX_INFLATED_LEN + 1])),
        Err(Error::InflatedTooLarge {
            max: MAX_INFLATED_LEN
        })
    );
}

/// Claims whose payload holds `field`, wrapped in `depth` one-element arrays. The claims map,
/// the hcert map, the payload map and the arrays make `depth + 3` levels of containers.
fn claims_nested(depth: usize) -> Vec<u8> {
    let mut value = int(0);
    for _ in 0..depth {
        value = Cbor::Array(vec![value]);
    }
    cbor_bytes(&Cbor::Map(claims_entries(dcc_with("ext", value))))
}

#[test]
fn bound_cbor_depth() {
    let deepest = (0..MAX_CBOR_DEPTH + 8)
        .filter(|&depth| cwt::parse(&claims_nested(depth)).is_ok())
        .max()
        .expect("some depth parses");
    // The container levels: the claims map, the hcert map, the payload map, then the arrays.
    assert_eq!(
        deepest + 3,
        MAX_CBOR_DEPTH,
        "the bound is where the limit says"
    );
    let error = cwt::parse(&claims_nested(deepest + 1)).expect_err("one deeper fails");
    assert!(error.to_string().contains("nested too deeply"), "{error}");
    // Depth counts through tags too.
    let tagged = cbor_bytes(&Cbor::Map(claims_entries(dcc_with(
        "ext",
        Cbor::Tag(1004, Box::new(Cbor::Array(vec![]))),
    ))));
    assert!(cwt::parse(&tagged).is_ok());
}

/// Claims whose payload has `count` one-byte elements in a list. The claims map (4 entries),
/// the hcert map (1), the payload map and its fields, and the list's own elements are items.
fn claims_with_items(count: usize) -> Vec<u8> {
    cbor_bytes(&Cbor::Map(claims_entries(dcc_with(
        "ext",
        Cbor::Array(vec![int(0); count]),
    ))))
}

#[test]
fn bound_cbor_items() {
    let most = (MAX_CBOR_ITEMS - 64..=MAX_CBOR_ITEMS)
        .rev()
        .find(|&count| cwt::parse(&claims_with_items(count)).is_ok())
        .expect("some count parses");
    let error = cwt::parse(&claims_with_items(most + 1)).expect_err("one more fails");
    assert_eq!(
        error.to_string(),
        format!("the certificate's envelope (CWT) is malformed: more than {MAX_CBOR_ITEMS} items")
    );
}

#[test]
fn bound_trust_list_size() {
    let mut over = b"{\"certificates\":[]}".to_vec();
    over.resize(MAX_TRUST_LIST_LEN + 1, b' ');
    let error = TrustList::from_bytes(&over).expect_err("over the bound");
    assert_eq!(error.code(), "trust_list_too_large");
    assert!(
        error.to_string().contains(&format!(
            "{} bytes long, more than the {MAX_TRUST_LIST_LEN}",
            MAX_TRUST_LIST_LEN + 1
        )),
        "{error}"
    );
    over.pop();
    assert!(TrustList::from_bytes(&over)
        .expect("at the bound")
        .is_empty());
}

#[test]
fn bound_trust_list_entries() {
    let list = |count: usize| format!("{{\"certificates\":[{}]}}", vec!["{}"; count].join(","));
    let at = TrustList::from_bytes(list(MAX_TRUST_LIST_ENTRIES).as_bytes()).expect("at the bound");
    assert_eq!(at.skipped().len(), MAX_TRUST_LIST_ENTRIES);
    let error =
        TrustList::from_bytes(list(MAX_TRUST_LIST_ENTRIES + 1).as_bytes()).expect_err("over");
    assert_eq!(error.code(), "trust_list_too_large");
    assert!(
        error
            .to_string()
            .contains(&format!("{} entries", MAX_TRUST_LIST_ENTRIES + 1)),
        "{error}"
    );
}

#[test]
fn bound_trust_entry_size() {
    let error = dsc_from_der(&vec![0x30; MAX_TRUST_ENTRY_LEN + 1]).expect_err("over");
    assert!(
        error.to_string().contains(&format!(
            "{} bytes long, more than the {MAX_TRUST_ENTRY_LEN}",
            MAX_TRUST_ENTRY_LEN + 1
        )),
        "{error}"
    );
    // At the bound the size is accepted, and the content judged.
    let error = dsc_from_der(&vec![0x30; MAX_TRUST_ENTRY_LEN]).expect_err("not a certificate");
    assert!(
        error
            .to_string()
            .contains("not a readable X.509 certificate"),
        "{error}"
    );
}

#[test]
fn bound_rsa_modulus_sizes() {
    for bits in [MIN_RSA_BITS, 2048, 3072, MAX_RSA_BITS] {
        assert!(
            matches!(public_key_from_spki(&rsa_spki(bits)), Ok(PublicKey::Rsa(_))),
            "{bits} bits"
        );
    }
    for bits in [512, MIN_RSA_BITS - 1, MAX_RSA_BITS + 1, 8192, 16384] {
        let error = public_key_from_spki(&rsa_spki(bits)).expect_err("refused");
        assert!(
            error.to_string().contains(&format!(
                "RSA with a {bits}-bit modulus (only {MIN_RSA_BITS} to {MAX_RSA_BITS} bits"
            )),
            "{bits}: {error}"
        );
    }
}

#[cfg(feature = "qr")]
#[test]
fn bound_image_dimensions() {
    use dcc_verifier::qr::{decode_luma, luma_from_rgba, LumaImage};
    let over_pixels = (4_899u32, 4_899u32);
    assert!(u64::from(over_pixels.0) * u64::from(over_pixels.1) > MAX_IMAGE_PIXELS);
    for (width, height) in [
        (MAX_IMAGE_SIDE + 1, 1),
        (1, MAX_IMAGE_SIDE + 1),
        over_pixels,
        (u32::MAX, u32::MAX),
    ] {
        // Refused from the size alone, before the (missing) pixels are looked at.
        assert_eq!(
            luma_from_rgba(&[], width, height),
            Err(Error::ImageTooLarge { width, height })
        );
        let image = LumaImage {
            width,
            height,
            pixels: Vec::new(),
        };
        assert_eq!(
            decode_luma(&image),
            Err(Error::ImageTooLarge { width, height })
        );
    }
    // At the bounds: searched, and nothing found.
    for (width, height) in [(MAX_IMAGE_SIDE, 1), (1, MAX_IMAGE_SIDE), (6_000, 4_000)] {
        assert!(u64::from(width) * u64::from(height) <= MAX_IMAGE_PIXELS);
        let image = LumaImage {
            width,
            height,
            pixels: vec![255; (width * height) as usize],
        };
        assert_eq!(
            decode_luma(&image),
            Err(Error::NoQrCode),
            "{width}×{height}"
        );
    }
}

/// CRC-32 (ISO-HDLC), for hand-made PNG chunks.
#[cfg(feature = "image-files")]
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims `width`×`height` (8-bit grey) and whose one IDAT is `idat`.
#[cfg(feature = "image-files")]
fn png_claiming(width: u32, height: u32, idat: &[u8]) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let body = [kind, data].concat();
        [
            &(data.len() as u32).to_be_bytes()[..],
            &body,
            &crc32(&body).to_be_bytes(),
        ]
        .concat()
    };
    let ihdr = [
        &width.to_be_bytes()[..],
        &height.to_be_bytes(),
        &[8, 0, 0, 0, 0],
    ]
    .concat();
    [
        &b"\x89PNG\r\n\x1a\n"[..],
        &chunk(b"IHDR", &ihdr),
        &chunk(b"IDAT", idat),
        &chunk(b"IEND", &[]),
    ]
    .concat()
}

#[cfg(feature = "image-files")]
#[test]
fn bound_image_file_headers() {
    use dcc_verifier::qr::{decode_image_file, load_image_file};
    // A valid 2×2 image loads; the same stream under a forged header is refused before any
    // pixel buffer is made.
    let pixels = zlib(&[0, 0, 255, 0, 255, 0]);
    assert_eq!(
        load_image_file(&png_claiming(2, 2, &pixels)).map(|image| image.pixels),
        Ok(vec![0, 255, 255, 0])
    );
    for (width, height) in [
        (MAX_IMAGE_SIDE + 1, 1),
        (5_000, 5_000),
        (0x7fff_ffff, 0x7fff_ffff),
    ] {
        let started = Instant::now();
        let result = decode_image_file(&png_claiming(width, height, &pixels));
        assert!(
            matches!(
                result,
                Err(Error::ImageTooLarge { .. }) | Err(Error::Image(_))
            ),
            "{width}×{height}: {result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{width}×{height}"
        );
    }
    assert_eq!(
        decode_image_file(&png_claiming(MAX_IMAGE_SIDE + 1, 1, &pixels)),
        Err(Error::ImageTooLarge {
            width: MAX_IMAGE_SIDE + 1,
            height: 1
        })
    );
}

#[test]
fn huge_length_prefixes_fail_fast_without_allocating() {
    // Each header claims far more than the input holds; ciborium reads item by item and grows
    // buffers as bytes arrive, so each fails as truncated at once. (The fuzz targets run with
    // libFuzzer's -malloc_limit_mb=2048, which fails any single allocation over 2 GiB.)
    let headers: [&[u8]; 8] = [
        &[0x5a, 0xff, 0xff, 0xff, 0xff], // bytes, 2^32 - 1
        &[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // bytes, 2^64 - 1
        &[0x7b, 0x80, 0, 0, 0, 0, 0, 0, 0], // text, 2^63
        &[0x9b, 0x10, 0, 0, 0, 0, 0, 0, 0], // array, 2^60 items
        &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // array, 2^64 - 1 items
        &[0xbb, 0x10, 0, 0, 0, 0, 0, 0, 0], // map, 2^60 entries
        &[0x9f, 0x5a, 0xff, 0xff, 0xff, 0xff], // indefinite array of a 4 GiB string
        &[0x5f, 0x5a, 0xff, 0xff, 0xff, 0xff, 0x00], // indefinite bytes, a 4 GiB chunk
    ];
    let started = Instant::now();
    for header in headers {
        let mut cose = vec![0xd2];
        cose.extend_from_slice(header);
        cose.extend_from_slice(&[0u8; 64]);
        let report = verify_cose(&cose, &setup().trust, NOW);
        assert_eq!(report.status, Status::NotADcc, "{header:02x?}");
        assert!(
            report
                .check(CheckId::Cose)
                .is_some_and(|c| c.result == Outcome::Fail),
            "{header:02x?}"
        );
        let claims = [&[0xa1, 0x01][..], header, &[0u8; 64]].concat();
        assert!(cwt::parse(&claims).is_err(), "{header:02x?}");
        // Inside a protected header, which coset parses.
        let report = verify_cose(
            &raw_cose(
                &[&[0xa1, 0x01][..], header].concat(),
                Cbor::Map(vec![]),
                Some(b"x"),
                b"sig",
            ),
            &setup().trust,
            NOW,
        );
        assert_eq!(
            report.outcome(CheckId::Cose),
            Outcome::Fail,
            "{header:02x?}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn deep_protected_header_does_not_exhaust_a_small_stack() {
    // coset parses the protected header with ciborium's default limit (256 levels); a browser's
    // WebAssembly stack is about 1 MiB. A thread with a quarter of that must cope.
    let honest = es256().build();
    let cose = raw_cose(
        &[&[0xa1, 0x01][..], &nested_arrays(100_000)].concat(),
        Cbor::Map(vec![]),
        Some(&honest.cwt),
        &honest.signature,
    );
    let report = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || verify_cose(&cose, &setup().trust, NOW))
        .expect("thread starts")
        .join()
        .expect("no stack overflow");
    assert_eq!(report.outcome(CheckId::Cose), Outcome::Fail);
}

/// Hostile revocation batches: each is refused with an error that names the batch, or (for
/// duplicates) read without harm; none panics.
mod revocation_batches {
    use dcc_verifier::limits::{
        MAX_REVOCATION_BATCHES, MAX_REVOCATION_ENTRIES, MAX_REVOCATION_FILE_LEN,
    };
    use dcc_verifier::revocation::{compact, read_batches};
    use dcc_verifier::{Error, RevocationList};

    const HASH: &str = "AAECAwQFBgcICQoLDA0ODw==";

    fn batch(hash_type: &str, entries: &str) -> String {
        format!(
            r#"{{"country":"VN","expires":"2030-01-01T00:00:00Z","kid":"AQIDBAUGBwg=","hashType":"{hash_type}","entries":[{entries}]}}"#
        )
    }

    fn second_batch_error(bad: &str) -> Error {
        let good = batch("UCI", &format!(r#"{{"hash":"{HASH}"}}"#));
        let error = read_batches(format!("[{good},{bad}]").as_bytes())
            .expect_err("a malformed batch is refused");
        assert!(
            matches!(error, Error::RevocationBatch { batch: 2, .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().starts_with("revocation batch 2 ("),
            "{error}"
        );
        error
    }

    #[test]
    fn bad_base64_is_refused_naming_the_batch_and_entry() {
        let error = second_batch_error(&batch("UCI", r#"{"hash":"not*base64!"}"#));
        assert!(error.to_string().contains("entry 1"), "{error}");
    }

    #[test]
    fn a_hash_of_the_wrong_length_is_refused() {
        // 32 bytes: a whole SHA-256 where the scheme wants its first 16.
        let long = "AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8=";
        let error = second_batch_error(&batch(
            "SIGNATURE",
            &format!(r#"{{"hash":"{HASH}"}},{{"hash":"{long}"}}"#),
        ));
        assert!(error.to_string().contains("entry 2"), "{error}");
        let short = second_batch_error(&batch("SIGNATURE", r#"{"hash":"AAEC"}"#));
        assert!(short.to_string().contains("3 bytes"), "{short}");
    }

    #[test]
    fn an_unknown_hash_type_is_refused() {
        let error = second_batch_error(&batch("SHA1", ""));
        assert!(error.to_string().contains("\"SHA1\""), "{error}");
    }

    #[test]
    fn missing_fields_and_bad_dates_are_refused() {
        for bad in [
            r#"{"country":"VN","kid":"AQID","hashType":"UCI","entries":[]}"#.to_owned(),
            batch("UCI", "").replace("2030-01-01T00:00:00Z", "soon"),
            batch("UCI", "").replace("\"VN\"", "\"Vietnam\""),
            batch("UCI", "").replace("AQIDBAUGBwg=", "***"),
        ] {
            second_batch_error(&bad);
        }
        for not_a_list in ["", "42", "\"text\"", "{}", "[]", "[1]", "{\"batches\": 3}"] {
            assert!(read_batches(not_a_list.as_bytes()).is_err(), "{not_a_list}");
        }
    }

    #[test]
    fn duplicates_are_read_once() {
        let entry = format!(r#"{{"hash":"{HASH}"}}"#);
        let entries = vec![entry; 1000].join(",");
        let file = format!("[{},{}]", batch("UCI", &entries), batch("UCI", &entries));
        let list = RevocationList::from_bytes(file.as_bytes()).expect("duplicates are harmless");
        // Two identical batches of one distinct entry: one batch, one entry in memory.
        assert_eq!(list.batches().len(), 1);
        assert_eq!(list.len(), 1);
        assert_eq!(list.batches()[0].entries, 1);
    }

    /// The smallest JSON of `count` entries, in one batch.
    fn entries_file(count: usize) -> Vec<u8> {
        let entry = format!(r#"{{"hash":"{HASH}"}},"#);
        let mut file = batch("UCI", "").into_bytes();
        file.truncate(file.len() - 2); // drop "]}"
        file.reserve(entry.len() * count + 2);
        for _ in 0..count {
            file.extend_from_slice(entry.as_bytes());
        }
        if count > 0 {
            file.pop(); // the last comma
        }
        file.extend_from_slice(b"]}");
        file
    }

    #[test]
    fn bound_revocation_entries() {
        let at = entries_file(MAX_REVOCATION_ENTRIES);
        let over = entries_file(MAX_REVOCATION_ENTRIES + 1);
        assert!(
            over.len() <= MAX_REVOCATION_FILE_LEN,
            "within the file-size bound"
        );
        assert!(read_batches(&at).is_ok(), "at the bound");
        let error = read_batches(&over).expect_err("one entry over the bound");
        assert_eq!(error.code(), "revocation_list_too_large");
        assert!(error
            .to_string()
            .contains(&MAX_REVOCATION_ENTRIES.to_string()));
    }

    #[test]
    fn bound_revocation_batches() {
        let one = batch("UCI", "");
        let list = |count: usize| format!("[{}]", vec![one.as_str(); count].join(","));
        assert!(read_batches(list(MAX_REVOCATION_BATCHES).as_bytes()).is_ok());
        let error = read_batches(list(MAX_REVOCATION_BATCHES + 1).as_bytes()).unwrap_err();
        assert_eq!(error.code(), "revocation_list_too_large");
    }

    #[test]
    fn bound_revocation_file_size() {
        let mut over = batch("UCI", "").into_bytes();
        over.resize(MAX_REVOCATION_FILE_LEN + 1, b' ');
        assert_eq!(
            read_batches(&over).unwrap_err().code(),
            "revocation_list_too_large"
        );
        let mut compact_over = compact::MAGIC.to_vec();
        compact_over.resize(MAX_REVOCATION_FILE_LEN + 1, 0);
        assert_eq!(
            RevocationList::from_bytes(&compact_over)
                .unwrap_err()
                .code(),
            "revocation_list_too_large"
        );
    }

    #[test]
    fn a_compact_file_cannot_claim_more_than_it_holds() {
        let mut file = compact::MAGIC.to_vec();
        file.extend_from_slice(&1u32.to_le_bytes()); // one batch
        file.push(8);
        file.extend_from_slice(&[1; 8]); // kid
        file.push(0); // UCI
        file.extend_from_slice(b"VN");
        file.extend_from_slice(&0i64.to_le_bytes());
        file.extend_from_slice(&0i64.to_le_bytes());
        file.extend_from_slice(&u32::MAX.to_le_bytes()); // 4 billion entries, none present
        let error = RevocationList::from_bytes(&file).unwrap_err();
        assert_eq!(error.code(), "revocation_list_too_large");
        let mut unknown_type = file.clone();
        unknown_type[8 + 4 + 1 + 8] = 7;
        assert_eq!(
            RevocationList::from_bytes(&unknown_type)
                .unwrap_err()
                .code(),
            "revocation_batch"
        );
    }
}

/// Hostile business rules (a rules file is an input too: an operator's import, a bundled
/// snapshot): deep nesting, huge arrays, wrong types, work that explodes, oversized files. Each
/// is refused when read, or makes its rule `open` with a reason, quickly; none may panic, and
/// none may make a certificate meet the rules.
#[cfg(feature = "rules")]
mod hostile_rules {
    use super::*;
    use dcc_verifier::limits::{MAX_RULES, MAX_RULES_FILE_LEN, MAX_RULE_ARRAY_LEN, MAX_RULE_DEPTH};
    use dcc_verifier::rules::{self, Query, RuleOutcome, RuleSet, RulesVerdict};
    use serde_json::Value;

    /// One Acceptance rule of country XX for every certificate type, with `logic`.
    fn rule(id: &str, logic: Value) -> Value {
        json!({
            "Identifier": id, "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
            "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.0.0",
            "CertificateType": "General", "ValidFrom": "2026-01-01T00:00:00Z",
            "ValidTo": "2030-01-01T00:00:00Z", "AffectedFields": ["v.0.dt"],
            "Description": [{"lang": "en", "desc": id}], "Logic": logic,
        })
    }

    /// `depth` levels of `!`, written `{"!": x}` (one JSON level each, so that up to ~120
    /// stay within serde_json's 128 and reach the evaluator).
    fn nested_not(depth: usize) -> Value {
        (0..depth).fold(json!(true), |inner, _| json!({ "!": inner }))
    }

    /// Logic that is evaluated, with the outcome it must get: open (an error with a reason).
    fn open_cases() -> Vec<(&'static str, Value)> {
        let huge: Vec<Value> = (0..=MAX_RULE_ARRAY_LEN).map(|i| json!(i)).collect();
        // reduce over reduce over a long list: quadratic work, stopped by the step bound.
        let long: Vec<Value> = (0..MAX_RULE_ARRAY_LEN).map(|i| json!(i)).collect();
        let inner = json!({"reduce": [long.clone(), {"+": [{"var": "accumulator"}, 1]}, 0]});
        let exploding = json!({"reduce": [long, {"+": [{"var": "accumulator"}, inner]}, 0]});
        vec![
            (
                "deep nesting, past MAX_RULE_DEPTH",
                nested_not(MAX_RULE_DEPTH + 2),
            ),
            ("deep nesting, near serde_json's limit", nested_not(120)),
            (
                "array literals nested past MAX_RULE_DEPTH",
                json!({"in": ["x", (0..MAX_RULE_DEPTH + 10).fold(json!([]), |inner, _| json!([inner]))]}),
            ),
            ("JSON nested past serde_json's limit", nested_not(200)),
            ("huge array literal", json!({"in": ["x", huge.clone()]})),
            (
                "huge array as the input of reduce",
                json!({"reduce": [huge, {"var": "accumulator"}, 0]}),
            ),
            ("quadratic reduce, past MAX_RULE_STEPS", exploding),
            (
                "comparison of a string with an object",
                json!({"<": ["a", {"var": "v"}]}),
            ),
            (
                "plusTime with a number for a date",
                json!({"after": [{"plusTime": [1, 2, "day"]}, {"var": "external.validationClock"}]}),
            ),
            (
                "plusTime with an unknown unit",
                json!({"after": [{"plusTime": [{"var": "v.0.dt"}, 1, "fortnight"]}, {"var": "external.validationClock"}]}),
            ),
            ("var with an object path", json!({"var": {"x": 1}})),
            ("unknown operation", json!({"eval": ["rm -rf /"]})),
            ("if with one operand", json!({"if": [true]})),
            (
                "extractFromUVCI with a negative index",
                json!({"extractFromUVCI": [{"var": "v.0.ci"}, -1]}),
            ),
            (
                "in with an object for the list",
                json!({"in": ["x", {"var": "v.0"}]}),
            ),
            ("an object literal", json!({"a": 1, "b": 2})),
        ]
    }

    fn certificate() -> String {
        es256().build().text
    }

    fn query(at: i64) -> Query<'static> {
        Query {
            country: "XX",
            region: None,
            at,
            value_sets: None,
            lang: "vi",
        }
    }

    #[test]
    fn hostile_logic_makes_its_rule_open_never_a_pass() {
        let text = certificate();
        // The control: an honest rule passes, so the cases below fail for their hostile part.
        let honest =
            serde_json::to_vec(&json!([rule("GR-XX-0001", json!({"!": [{"!": [true]}]}))]))
                .expect("JSON");
        let report = rules::check_text(
            &RuleSet::from_json(&honest).expect("rules"),
            &text,
            &query(NOW),
        );
        assert_eq!(report.verdict, RulesVerdict::Meets, "{report:?}");
        let cases = open_cases();
        assert!(cases.len() >= 12);
        let mut failures = Vec::new();
        for (name, logic) in cases {
            let file = serde_json::to_vec(&json!([rule("GR-XX-0001", logic)])).expect("JSON");
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let set = RuleSet::from_json(&file).map_err(|error| error.to_string())?;
                Ok::<_, String>(rules::check_text(&set, &text, &query(NOW)))
            }));
            let elapsed = started.elapsed();
            match outcome {
                Err(_) => failures.push(format!("{name}: PANICKED")),
                // Refused when read is as good as open: nothing is evaluated.
                Ok(Err(_)) => {}
                Ok(Ok(report)) => {
                    if report.verdict == RulesVerdict::Meets {
                        failures.push(format!("{name}: meets"));
                    }
                    match report.rules.as_slice() {
                        [only]
                            if only.result == RuleOutcome::Open
                                && only.reason.as_deref().is_some_and(|r| !r.is_empty()) => {}
                        other => failures.push(format!("{name}: {other:?}")),
                    }
                }
            }
            if elapsed > Duration::from_secs(2) {
                failures.push(format!("{name}: took {elapsed:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn hostile_rule_files_are_refused_when_read() {
        let deep = format!("{}true{}", "[".repeat(100_000), "]".repeat(100_000));
        let too_many: Vec<Value> = (0..=MAX_RULES)
            .map(|i| rule(&format!("GR-XX-{i:05}"), json!(true)))
            .collect();
        let too_big = vec![b' '; MAX_RULES_FILE_LEN + 1];
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("JSON nested 100,000 deep", deep.into_bytes()),
            (
                "more than MAX_RULES rules",
                serde_json::to_vec(&too_many).expect("JSON"),
            ),
            ("a file over MAX_RULES_FILE_LEN", too_big),
            ("not JSON", b"\xff\xfe{".to_vec()),
            ("a number", b"42".to_vec()),
            (
                "Logic missing",
                serde_json::to_vec(&json!([{"Identifier": "GR-XX-0001"}])).expect("JSON"),
            ),
        ];
        for (name, bytes) in cases {
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                RuleSet::from_json(&bytes).map(|set| set.rules().len())
            }));
            assert!(matches!(outcome, Ok(Err(_))), "{name}: {outcome:?}");
            assert!(started.elapsed() < Duration::from_secs(5), "{name}: slow");
        }
    }

    #[test]
    fn wrong_types_in_the_rule_model_never_make_a_rule_apply_wrongly() {
        // Dates that are not dates, a type that is not a type, an engine version from the future:
        // the rule is skipped or open, and the certificate does not meet the rules through it.
        let text = certificate();
        let odd = |change: &dyn Fn(&mut Value)| {
            let mut value = rule("GR-XX-0001", json!(false));
            change(&mut value);
            value
        };
        for (name, value) in [
            (
                "ValidFrom not a date",
                odd(&|r| r["ValidFrom"] = json!("yesterday")),
            ),
            ("ValidTo a number", odd(&|r| r["ValidTo"] = json!(5))),
            (
                "CertificateType unknown",
                odd(&|r| r["CertificateType"] = json!("Everything")),
            ),
            (
                "EngineVersion from the future",
                odd(&|r| r["EngineVersion"] = json!("99.0.0")),
            ),
            ("Version not semver", odd(&|r| r["Version"] = json!("one"))),
            (
                "Description not a list",
                odd(&|r| r["Description"] = json!("x")),
            ),
        ] {
            let file = serde_json::to_vec(&json!([value])).expect("JSON");
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                RuleSet::from_json(&file).map(|set| rules::check_text(&set, &text, &query(NOW)))
            }));
            match outcome {
                Err(_) => panic!("{name}: PANICKED"),
                Ok(Err(_)) => {}
                Ok(Ok(report)) => {
                    assert_ne!(report.verdict, RulesVerdict::Meets, "{name}: {report:?}")
                }
            }
        }
    }
}
