//! SMART Health Cards and ICAO VDS-NC through the whole pipeline: the official SHC examples and
//! the official validator's malformed cases (`../shared/formats/shc`), the real Australian
//! VDS-NC (`../shared/formats/vds-nc`), and attacks on cards signed here with a key of this
//! test's own (wrong key, altered payload, kid confusion, alg none/HS256, zip missing,
//! oversize chunks), and the `dcc-verify` command line on both. Tests on `../shared` skip
//! with a message when it is absent.
// Native only: they read ../shared and run the command line.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use dcc_verifier::formats::{self, Format};
use dcc_verifier::{verify, CheckId, Outcome, Report, Status, TrustList};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};

/// 2024-01-01T00:00:00Z: after every example's nbf, before example 03's exp.
const AT: i64 = 1_704_067_200;

const EXAMPLE_ISSUER: &str = "https://spec.smarthealth.cards/examples/issuer";

fn shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/formats")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (see ../shared/README.md)",
            path.display()
        );
        None
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("readable")
}

fn load(bytes: &[u8]) -> TrustList {
    TrustList::from_bytes(bytes).expect("the trust file loads")
}

/// The example issuer's JWKS, named for its issuer as a `{iss, keys}` file.
fn example_issuer(examples: &Path) -> TrustList {
    let jwks: serde_json::Value =
        serde_json::from_str(&read(&examples.join("issuer/.well-known/jwks.json"))).expect("json");
    let file = serde_json::json!({"iss": EXAMPLE_ISSUER, "keys": jwks["keys"]});
    load(file.to_string().as_bytes())
}

fn example_crl(examples: &Path) -> TrustList {
    let path =
        examples.join("issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json");
    load(read(&path).as_bytes())
}

fn qr_text(examples: &Path, example: &str) -> String {
    let mut parts = Vec::new();
    for index in 0.. {
        let path = examples.join(format!(
            "example-{example}-f-qr-code-numeric-value-{index}.txt"
        ));
        if !path.exists() {
            break;
        }
        parts.push(read(&path).trim().to_owned());
    }
    parts.join("\n")
}

fn outcome(report: &Report, id: CheckId) -> Outcome {
    report.outcome(id)
}

#[test]
fn the_official_examples_verify_and_example_03_is_revoked_by_its_crl() {
    let Some(examples) = shared("shc/examples") else {
        return;
    };
    let mut trust = example_issuer(&examples);
    for example in ["00", "01", "02", "03"] {
        let report = verify(&qr_text(&examples, example), &trust, AT);
        assert_eq!(report.format, Format::Shc);
        assert_eq!(
            report.status,
            Status::Valid,
            "example {example}: {report:#?}"
        );
        // Example 02 is a lab report without a Patient resource.
        if example != "02" {
            let holder = report.holder.as_ref().expect("a holder");
            assert!(holder.name.is_some() && holder.dob.is_some(), "{holder:?}");
        }
        assert!(!report.card.as_ref().expect("a card").events.is_empty());
        let ids: Vec<CheckId> = report.checks.iter().map(|c| c.check).collect();
        assert_eq!(ids, CheckId::SHC);
    }
    trust.merge(example_crl(&examples));
    for (example, expected) in [
        ("00", Status::Valid),
        ("01", Status::Valid),
        ("02", Status::Valid),
        ("03", Status::Revoked),
    ] {
        let report = verify(&qr_text(&examples, example), &trust, AT);
        assert_eq!(report.status, expected, "example {example}");
    }
    let json = verify(&qr_text(&examples, "03"), &trust, AT).to_json();
    assert!(json.contains(r#""format":"shc""#) && json.contains(r#""holder":{"#));
}

#[test]
fn the_examples_jws_and_file_forms_verify_too() {
    let Some(examples) = shared("shc/examples") else {
        return;
    };
    let trust = example_issuer(&examples);
    for example in ["00", "01", "02", "03"] {
        let jws = read(&examples.join(format!("example-{example}-d-jws.txt")));
        assert_eq!(
            formats::shc::verify_jws(jws.trim(), &trust, AT).status,
            Status::Valid
        );
        let file = read(&examples.join(format!("example-{example}-e-file.smart-health-card")));
        assert_eq!(verify(&file, &trust, AT).status, Status::Valid, "{example}");
    }
}

#[test]
fn a_chunked_card_asks_for_its_other_parts() {
    let Some(examples) = shared("shc/examples") else {
        return;
    };
    let trust = example_issuer(&examples);
    let part = read(&examples.join("example-02-f-qr-code-numeric-value-1.txt"));
    let report = verify(part.trim(), &trust, AT);
    assert_eq!(report.status, Status::NotADcc);
    let check = report.check(CheckId::Prefix).expect("prefix");
    assert_eq!(check.code, Some("shc_chunks_missing"));
    assert!(check.detail.contains("scan part 1, 3"), "{}", check.detail);
}

#[test]
fn without_the_issuer_the_signer_is_unknown() {
    let Some(examples) = shared("shc/examples") else {
        return;
    };
    let report = verify(&qr_text(&examples, "00"), &TrustList::new(), AT);
    assert_eq!(report.status, Status::UnknownSigner);
    assert_eq!(outcome(&report, CheckId::Signature), Outcome::Skip);
}

#[test]
fn the_vci_directory_snapshot_loads_its_issuers() {
    let Some(path) = shared("shc/vci-directory/vci_snapshot.json") else {
        return;
    };
    let trust = load(&std::fs::read(path).expect("readable"));
    let directory = trust.shc();
    assert!(directory.issuers.len() > 600, "{}", directory.issuers.len());
    assert!(directory.key_count() > 600);
    assert!(directory
        .issuer("https://myvaccinerecord.cdph.ca.gov/creds")
        .next()
        .is_some());
    // The examples' issuer is not a real one: its cards are unknown_signer under the directory.
    if let Some(examples) = shared("shc/examples") {
        let report = verify(&qr_text(&examples, "00"), &trust, AT);
        assert_eq!(report.status, Status::UnknownSigner);
    }
}

/// The official validator's malformed cases that are QR or JWS text: with the examples' issuer
/// loaded, none may be valid, and each failure says why.
#[test]
fn the_dev_tools_malformed_cases_are_never_valid() {
    let (Some(examples), Some(cases)) = (shared("shc/examples"), shared("shc/dev-tools-testdata"))
    else {
        return;
    };
    let trust = example_issuer(&examples);
    let mut seen = 0;
    let mut names: Vec<_> = std::fs::read_dir(&cases)
        .expect("a folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .into_string()
                .expect("utf-8")
        })
        .filter(|name| {
            (name.contains("-d-jws-") || name.contains("-f-qr-code-numeric"))
                && name.ends_with(".txt")
        })
        .collect();
    names.sort();
    for name in names {
        let text = read(&cases.join(&name));
        let report = if name.contains("-d-jws-") {
            formats::shc::verify_jws(&text, &trust, AT)
        } else {
            verify(&text, &trust, AT)
        };
        seen += 1;
        // Cases that the validator only warns about (a card split into needlessly small QR
        // parts, given one part at a time here) are incomplete rather than malformed.
        assert_ne!(report.status, Status::Valid, "{name} is valid");
        // Unknown only when the card names another issuer than the loaded one (a card
        // claiming https://foo.smarthealth.cards with the example key is such a case).
        if report.status == Status::UnknownSigner {
            let issuer = report.card.as_ref().and_then(|card| card.issuer.as_deref());
            assert_ne!(
                issuer,
                Some(EXAMPLE_ISSUER),
                "{name} hides behind unknown_signer"
            );
        }
        let failed = report
            .checks
            .iter()
            .find(|check| check.result == Outcome::Fail)
            .unwrap_or_else(|| panic!("{name}: no failed check"));
        assert!(failed.code.is_some() && !failed.detail.is_empty(), "{name}");
        eprintln!(
            "{name}: {} ({}: {})",
            report.status.as_str(),
            failed.check.as_str(),
            failed.detail
        );
    }
    assert!(seen >= 20, "{seen} cases");
}

// --- Attacks on cards this test signs itself ---------------------------------------------

const ISSUER: &str = "https://issuer.example.org/shc";

fn signing_key(seed: u8) -> SigningKey {
    let mut secret = [7u8; 32];
    secret[31] = seed;
    SigningKey::from_slice(&secret).expect("a scalar")
}

/// The key's JWK members x, y (base64url) and its RFC 7638 thumbprint.
fn jwk(key: &SigningKey) -> serde_json::Value {
    let point = key.verifying_key().to_sec1_point(false);
    let bytes = point.as_bytes();
    let x = URL_SAFE_NO_PAD.encode(&bytes[1..33]);
    let y = URL_SAFE_NO_PAD.encode(&bytes[33..65]);
    let kid = dcc_verifier::trust::shc::jwk_thumbprint(&x, &y);
    serde_json::json!({"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256",
        "kid": kid, "x": x, "y": y})
}

fn issuer_trust(iss: &str, keys: &[&SigningKey]) -> TrustList {
    let keys: Vec<_> = keys.iter().map(|key| jwk(key)).collect();
    load(
        serde_json::json!({"iss": iss, "keys": keys})
            .to_string()
            .as_bytes(),
    )
}

fn payload(iss: &str, given: &str) -> String {
    serde_json::json!({
        "iss": iss, "nbf": 1_700_000_000,
        "vc": {"type": ["https://smarthealth.cards#health-card"],
            "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": {
                "resourceType": "Bundle", "type": "collection", "entry": [
                {"fullUrl": "resource:0", "resource": {"resourceType": "Patient",
                    "name": [{"family": "Nguyen", "given": [given]}], "birthDate": "1990-02-03"}},
                {"fullUrl": "resource:1", "resource": {"resourceType": "Immunization",
                    "status": "completed", "vaccineCode": {"coding": [
                        {"system": "http://hl7.org/fhir/sid/cvx", "code": "208"}]},
                    "patient": {"reference": "resource:0"}, "occurrenceDateTime": "2021-06-01",
                    "lotNumber": "AB123"}}]}}}
    })
    .to_string()
}

struct Card {
    header: String,
    payload: Vec<u8>,
}

impl Card {
    fn new(kid: &str, payload_json: &str) -> Card {
        Card {
            header: format!(r#"{{"alg":"ES256","zip":"DEF","kid":"{kid}"}}"#),
            payload: miniz_oxide::deflate::compress_to_vec(payload_json.as_bytes(), 9),
        }
    }

    fn signing_input(&self) -> String {
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&self.header),
            URL_SAFE_NO_PAD.encode(&self.payload)
        )
    }

    fn signed_by(&self, key: &SigningKey) -> String {
        let input = self.signing_input();
        let signature: Signature = key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

fn numeric(jws: &str) -> String {
    let digits: String = jws.bytes().map(|b| format!("{:02}", b - 45)).collect();
    format!("shc:/{digits}")
}

fn kid_of(key: &SigningKey) -> String {
    jwk(key)["kid"].as_str().expect("kid").to_owned()
}

#[test]
fn a_card_signed_here_is_valid_and_every_attack_on_it_fails() {
    let key = signing_key(1);
    let other = signing_key(2);
    let trust = issuer_trust(ISSUER, &[&key]);
    let kid = kid_of(&key);
    let good = Card::new(&kid, &payload(ISSUER, "An"));
    let report = verify(&numeric(&good.signed_by(&key)), &trust, AT);
    assert_eq!(report.status, Status::Valid, "{report:#?}");
    assert_eq!(
        report.holder.as_ref().and_then(|h| h.name.as_deref()),
        Some("An Nguyen")
    );

    // Signed by another key under the issuer's kid.
    let report = verify(&numeric(&good.signed_by(&other)), &trust, AT);
    assert_eq!(report.status, Status::Invalid);
    assert_eq!(
        report.check(CheckId::Signature).and_then(|c| c.code),
        Some("bad_signature")
    );

    // The payload altered after signing (the signature of the original kept).
    let signed = good.signed_by(&key);
    let signature = signed.rsplit('.').next().expect("signature");
    let altered = Card::new(&kid, &payload(ISSUER, "Binh"));
    let forged = format!("{}.{signature}", altered.signing_input());
    assert_eq!(
        verify(&numeric(&forged), &trust, AT).status,
        Status::Invalid
    );

    // alg none, HS256, missing: never checked as ES256, never valid.
    for header in [
        format!(r#"{{"alg":"none","zip":"DEF","kid":"{kid}"}}"#),
        format!(r#"{{"alg":"HS256","zip":"DEF","kid":"{kid}"}}"#),
        format!(r#"{{"zip":"DEF","kid":"{kid}"}}"#),
    ] {
        let card = Card {
            header: header.clone(),
            payload: good.payload.clone(),
        };
        let report = verify(&numeric(&card.signed_by(&key)), &trust, AT);
        assert_eq!(report.status, Status::Invalid, "{header}");
        assert_eq!(
            report.check(CheckId::Jws).and_then(|c| c.code),
            Some("jws_algorithm")
        );
        assert_eq!(outcome(&report, CheckId::Signature), Outcome::Skip);
        // An empty signature (alg none's) is not accepted either.
        let unsigned = format!("{}.", card.signing_input());
        assert_ne!(
            verify(&numeric(&unsigned), &trust, AT).status,
            Status::Valid
        );
    }

    // zip missing: the JSON is read (shown) but the card is invalid.
    let card = Card {
        header: format!(r#"{{"alg":"ES256","kid":"{kid}"}}"#),
        payload: payload(ISSUER, "An").into_bytes(),
    };
    let report = verify(&numeric(&card.signed_by(&key)), &trust, AT);
    assert_eq!(report.status, Status::Invalid);
    assert_eq!(
        report.check(CheckId::Decompress).and_then(|c| c.code),
        Some("jws_zip")
    );
    assert!(report.holder.is_some());
}

#[test]
fn a_key_vouches_only_for_the_issuer_it_is_listed_under() {
    // Kid confusion: an attacker's issuer lists its own key; its card claims the victim's iss
    // with the attacker's kid, or the attacker's iss with the victim's kid.
    let victim = signing_key(3);
    let attacker = signing_key(4);
    let mut trust = issuer_trust(ISSUER, &[&victim]);
    trust.merge(issuer_trust("https://attacker.example.net", &[&attacker]));

    let claims_victim = Card::new(&kid_of(&attacker), &payload(ISSUER, "An"));
    let report = verify(&numeric(&claims_victim.signed_by(&attacker)), &trust, AT);
    assert_eq!(report.status, Status::Invalid);
    assert_eq!(
        report.check(CheckId::Signer).and_then(|c| c.code),
        Some("shc_unknown_key")
    );

    let borrows_kid = Card::new(
        &kid_of(&victim),
        &payload("https://attacker.example.net", "An"),
    );
    let report = verify(&numeric(&borrows_kid.signed_by(&attacker)), &trust, AT);
    assert_eq!(report.status, Status::Invalid);

    // An issuer URL differing by a trailing slash is another issuer.
    let slash = Card::new(&kid_of(&victim), &payload(&format!("{ISSUER}/"), "An"));
    let report = verify(&numeric(&slash.signed_by(&victim)), &trust, AT);
    assert_eq!(report.status, Status::UnknownSigner);

    // A bare JWKS names no issuer and is refused.
    let bare = serde_json::json!({"keys": [jwk(&victim)]}).to_string();
    assert!(TrustList::from_bytes(bare.as_bytes()).is_err());
}

#[test]
fn dates_and_revocation_ids_are_checked() {
    let key = signing_key(5);
    let kid = kid_of(&key);
    let mut trust = issuer_trust(ISSUER, &[&key]);
    let mut claims: serde_json::Value = serde_json::from_str(&payload(ISSUER, "An")).expect("json");
    claims["exp"] = serde_json::json!(1_700_100_000);
    claims["vc"]["rid"] = serde_json::json!("rid-1");
    let card = Card::new(&kid, &claims.to_string()).signed_by(&key);
    assert_eq!(
        verify(&numeric(&card), &trust, 1_700_050_000).status,
        Status::Valid
    );
    assert_eq!(
        verify(&numeric(&card), &trust, 1_700_200_000).status,
        Status::Expired
    );
    assert_eq!(
        verify(&numeric(&card), &trust, 1_600_000_000).status,
        Status::NotYetValid
    );

    // Revoked only for cards issued before the listed time.
    let later =
        serde_json::json!({"kid": kid, "method": "rid", "ctr": 1, "rids": ["rid-1.1600000000"]});
    let mut before = trust.clone();
    before.merge(load(later.to_string().as_bytes()));
    assert_eq!(
        verify(&numeric(&card), &before, 1_700_050_000).status,
        Status::Valid
    );
    let all = serde_json::json!({"kid": kid, "method": "rid", "ctr": 2, "rids": ["rid-1"]});
    trust.merge(load(all.to_string().as_bytes()));
    assert_eq!(
        verify(&numeric(&card), &trust, 1_700_050_000).status,
        Status::Revoked
    );

    // nbf in milliseconds breaks the rules.
    claims["nbf"] = serde_json::json!(1_700_000_000_000u64);
    let card = Card::new(&kid, &claims.to_string()).signed_by(&key);
    let report = verify(&numeric(&card), &issuer_trust(ISSUER, &[&key]), AT);
    assert_eq!(report.status, Status::Invalid);
    assert_eq!(
        report.check(CheckId::Schema).and_then(|c| c.code),
        Some("shc_rules")
    );
}

#[test]
fn hostile_shc_texts_are_refused_without_panic() {
    let key = signing_key(6);
    let trust = issuer_trust(ISSUER, &[&key]);
    let huge = format!("shc:/{}", "56".repeat(40_000));
    let bomb_payload = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 10_000_000], 9);
    let bomb = Card {
        header: format!(r#"{{"alg":"ES256","zip":"DEF","kid":"{}"}}"#, kid_of(&key)),
        payload: bomb_payload,
    }
    .signed_by(&key);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_card = Card {
        header: format!(r#"{{"alg":"ES256","zip":"DEF","kid":"{}"}}"#, kid_of(&key)),
        payload: miniz_oxide::deflate::compress_to_vec(deep.as_bytes(), 9),
    }
    .signed_by(&key);
    let oversize_chunks = (1..=9)
        .map(|i| format!("shc:/{i}/9/5676"))
        .collect::<Vec<_>>()
        .join("\n");
    let report = formats::shc::verify_jws(&bomb, &trust, AT);
    assert_eq!(report.status, Status::NotADcc);
    assert_eq!(
        report.check(CheckId::Decompress).and_then(|c| c.code),
        Some("deflate")
    );
    for (text, code) in [
        (huge.as_str(), "shc_too_long"),
        (numeric(&deep_card).as_str(), "shc_payload"),
        (oversize_chunks.as_str(), "shc_chunk"),
        ("shc:/99/2/5676", "shc_chunk"),
        ("shc:/56767", "shc_numeric"),
        ("shc:/9999", "shc_numeric"),
    ] {
        let report = verify(text, &trust, AT);
        assert_eq!(report.status, Status::NotADcc, "{code}");
        assert!(
            report.checks.iter().any(|c| c.code == Some(code)),
            "{code}: {:?}",
            report.checks
        );
    }
}

// --- ICAO VDS-NC ----------------------------------------------------------------------------

fn vds(name: &str) -> Option<(String, Vec<u8>, Vec<u8>)> {
    let folder = shared("vds-nc")?;
    Some((
        read(&folder.join(name)),
        std::fs::read(folder.join("au-csca.der")).expect("csca"),
        std::fs::read(folder.join("au-csca.crl")).expect("crl"),
    ))
}

#[test]
fn the_australian_seal_is_valid_with_its_csca_and_unknown_without() {
    let Some((seal, csca, crl)) = vds("au-valid.json") else {
        return;
    };
    let mut trust = load(&csca);
    assert_eq!(trust.csca().cscas.len(), 1);
    let report = verify(&seal, &trust, AT);
    assert_eq!(report.format, Format::VdsNc);
    assert_eq!(report.status, Status::Valid, "{report:#?}");
    let ids: Vec<CheckId> = report.checks.iter().map(|c| c.check).collect();
    assert_eq!(ids, CheckId::VDS_NC);
    assert_eq!(outcome(&report, CheckId::Revocation), Outcome::Skip);
    let holder = report.holder.as_ref().expect("holder");
    assert_eq!(holder.name.as_deref(), Some("JANE CATHERINE CITIZEN"));
    assert_eq!(holder.dob.as_deref(), Some("1977-05-16"));
    assert_eq!(report.card.as_ref().expect("card").events.len(), 2);

    trust.merge(load(&crl));
    let report = verify(&seal, &trust, AT);
    assert_eq!(report.status, Status::Valid);
    let revocation = report.check(CheckId::Revocation).expect("revocation");
    assert_eq!(revocation.result, Outcome::Pass);
    // The CRL's nextUpdate (2021-11-17) is past: used, with a warning.
    assert!(
        revocation.detail.contains("due for renewal"),
        "{}",
        revocation.detail
    );

    assert_eq!(
        verify(&seal, &TrustList::new(), AT).status,
        Status::UnknownSigner
    );
    // A CRL alone is no CSCA.
    assert_eq!(verify(&seal, &load(&crl), AT).status, Status::UnknownSigner);
}

#[test]
fn the_tampered_seal_is_invalid() {
    let Some((seal, csca, _)) = vds("au-tampered-name.json") else {
        return;
    };
    let report = verify(&seal, &load(&csca), AT);
    assert_eq!(report.status, Status::Invalid);
    assert_eq!(
        report.check(CheckId::Signature).and_then(|c| c.code),
        Some("bad_signature")
    );
}

#[test]
fn attacks_on_the_seal_fail() {
    let Some((seal, csca, _)) = vds("au-valid.json") else {
        return;
    };
    let trust = load(&csca);
    let original: serde_json::Value = serde_json::from_str(&seal).expect("json");
    let variant = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value = original.clone();
        edit(&mut value);
        verify(&value.to_string(), &trust, AT)
    };
    // Reordered members and white space do not change the canonical form: still valid.
    let pretty = serde_json::to_string_pretty(&original).expect("json");
    assert_eq!(verify(&pretty, &trust, AT).status, Status::Valid);
    // An added member in data is signed data changed.
    let report = variant(&|v| v["data"]["msg"]["extra"] = serde_json::json!("x"));
    assert_eq!(report.status, Status::Invalid);
    // Another algorithm named.
    let report = variant(&|v| v["sig"]["alg"] = serde_json::json!("none"));
    assert_eq!(report.status, Status::Invalid);
    assert_eq!(
        report.check(CheckId::Signature).and_then(|c| c.code),
        Some("seal_algorithm")
    );
    // A broken signer certificate.
    let report = variant(&|v| v["sig"]["cer"] = serde_json::json!("AAAA"));
    assert_eq!(report.status, Status::Invalid);
    // The CSCA's own certificate as the signer: its issuer is itself, but its key is RSA.
    let csca_b64 = URL_SAFE_NO_PAD.encode(&csca);
    let report = variant(&|v| v["sig"]["cer"] = serde_json::json!(csca_b64));
    assert_ne!(report.status, Status::Valid);
    // A seal type the signer may not sign.
    let report = variant(&|v| v["data"]["hdr"]["t"] = serde_json::json!("icao.test"));
    assert_eq!(report.status, Status::Invalid);
    // Past the signer certificate's validity (2031-09-30).
    assert_eq!(verify(&seal, &trust, 2_000_000_000).status, Status::Invalid);
    // Hostile texts.
    let nested = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let deep = format!(
        r#"{{"data":{{"hdr":{{"t":"icao.vacc","v":1,"is":"AUS"}},"msg":{nested}}},"sig":{{}}}}"#
    );
    assert_eq!(verify(&deep, &trust, AT).status, Status::NotADcc);
    let long = format!(
        r#"{{"data":{{"hdr":{{"t":"icao.vacc"}}}},"pad":"{}"}}"#,
        "x".repeat(20_000)
    );
    let report = verify(&long, &trust, AT);
    assert_eq!(report.format, Format::VdsNc);
    assert_eq!(report.status, Status::NotADcc);
}

// --- The command line ---------------------------------------------------------------------

fn dcc_verify(args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dcc-verify"))
        .args(args)
        .output()
        .expect("dcc-verify runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_verifies_both_formats_with_their_trust() {
    let (Some(examples), Some(snapshot), Some(vds)) = (
        shared("shc/examples"),
        shared("shc/vci-directory/vci_snapshot.json"),
        shared("vds-nc"),
    ) else {
        return;
    };
    let text = qr_text(&examples, "00");
    let snapshot = snapshot.display().to_string();
    let (code, stdout, _) = dcc_verify(&[
        "--json",
        "--trust",
        &snapshot,
        "--at",
        "2024-01-01T00:00:00Z",
        &text,
    ]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["format"], "shc");
    assert_eq!(report["status"], "unknown_signer");
    assert_eq!(report["holder"]["name"], "John B. Anyperson");
    assert_eq!(report["holder"]["dob"], "1951-01-20");

    let csca = vds.join("au-csca.der").display().to_string();
    let crl = vds.join("au-csca.crl").display().to_string();
    let seal = read(&vds.join("au-valid.json"));
    let (code, stdout, _) = dcc_verify(&["--json", "--trust", &csca, "--trust", &crl, &seal]);
    assert_eq!(code, 0, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["format"], "vds-nc");
    assert_eq!(report["status"], "valid");
    assert_eq!(report["holder"]["name"], "JANE CATHERINE CITIZEN");
    let (code, stdout, _) = dcc_verify(&[&seal]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("UNKNOWN SIGNER") && stdout.contains("ICAO VDS-NC"),
        "{stdout}"
    );

    // A bare JWKS names no issuer: refused as trust.
    let jwks = examples
        .join("issuer/.well-known/jwks.json")
        .display()
        .to_string();
    let (code, _, stderr) = dcc_verify(&["--trust", &jwks, &text]);
    assert_eq!(code, 2);
    assert!(stderr.contains("names no issuer"), "{stderr}");

    // --help names the new trust sources.
    let (_, help, _) = dcc_verify(&["--help"]);
    assert!(
        help.contains("SMART Health Card") && help.contains("CSCA"),
        "{help}"
    );
}

#[test]
fn a_dcc_report_has_the_format_and_holder_too() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let trust = load(&std::fs::read(fixtures.join("trust/dsc_list.json")).expect("trust"));
    let text = read(&fixtures.join("certs/ps256_2048_vietnam.txt"));
    let report = verify(text.trim(), &trust, 1_780_272_000);
    assert_eq!(report.format, Format::Dcc);
    assert_eq!(report.status, Status::Valid);
    let holder = report.holder.as_ref().expect("holder");
    assert!(
        holder
            .name
            .as_deref()
            .is_some_and(|name| name.contains("Nguyễn")),
        "{holder:?}"
    );
    assert!(holder.dob.is_some());
    let json = report.to_json();
    assert!(json.contains(r#""format":"dcc""#) && json.contains(r#""holder":{"name":"#));
}

/// The demo samples in the other formats (`tests/fixtures/demo/formats.json`, made by the
/// project's test issuer) get the status the issuer made them for, with the demo trust the
/// page bundles (`shc_issuer.json`, `csca.der`), and the unknown ones `unknown_signer` without
/// it too.
#[test]
fn demo_format_samples_get_their_statuses_with_the_demo_trust() {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo");
    let mut trust = load(&std::fs::read(demo.join("shc_issuer.json")).expect("issuer"));
    trust.merge(load(&std::fs::read(demo.join("csca.der")).expect("csca")));
    let samples: serde_json::Value =
        serde_json::from_str(&read(&demo.join("formats.json"))).expect("json");
    // 2026-06-01: after the cards' nbf (2026-01-01), within the signers' validity (2025–2040).
    let at = 1_780_272_000;
    let mut seen = 0;
    for sample in samples.as_array().expect("array") {
        let text = read(&demo.join("..").join(sample["file"].as_str().expect("file")));
        let report = verify(&text, &trust, at);
        let format = serde_json::to_value(report.format).expect("format");
        assert_eq!(format, sample["format"], "{}", sample["name"]);
        let status = report.status.as_str();
        assert_eq!(
            status, sample["expect_status"],
            "{}: {report:#?}",
            sample["name"]
        );
        if status == "valid" {
            let holder = report.holder.as_ref().expect("holder");
            assert!(
                holder.name.is_some() && holder.dob.is_some(),
                "{}",
                sample["name"]
            );
            assert!(!report.card.as_ref().expect("card").events.is_empty());
        }
        let untrusted = verify(&text, &TrustList::new(), at);
        if !matches!(status, "invalid") {
            assert_eq!(
                untrusted.status,
                Status::UnknownSigner,
                "{}",
                sample["name"]
            );
        }
        seen += 1;
    }
    assert_eq!(seen, 8);
}
