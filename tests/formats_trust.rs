//! The trust of the formats beyond the EU DCC, attacked: the VCI directory snapshot's own
//! signature (ECDSA P-521/SHA-512 by vci.org; `../shared/formats/shc/vci-directory`), in the
//! library and the `dcc-verify` command line; VDS-NC chains with P-384 and P-521 CSCAs and
//! barcode signers (ES384, ES512), built here with this test's own keys around the real
//! Australian seal's message; CSCA certificates and CRLs as PEM. Tests on `../shared` skip with a
//! message when it is absent.
// Native only: they read ../shared and run the command line.
#![cfg(all(not(target_arch = "wasm32"), feature = "ecdsa-p384-p521"))]

use std::path::PathBuf;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use dcc_verifier::trust::vci_signature::{VciSignatureError, VciSigners};
use dcc_verifier::{verify, CheckId, Status, TrustList};

/// 2024-01-01, inside the test certificates' validity.
const AT: i64 = 1_704_067_200;

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

/// The snapshot, its signature and its certificate.
fn vci_files() -> Option<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let folder = shared("shc/vci-directory")?;
    let read = |name: &str| std::fs::read(folder.join(name)).expect("readable");
    Some((
        read("vci_snapshot.json"),
        read("vci_snapshot.sig"),
        read("vci_snapshot.crt"),
    ))
}

#[test]
fn the_vci_snapshot_signature_verifies_and_every_alteration_is_refused() {
    let Some((snapshot, signature, certificate)) = vci_files() else {
        return;
    };
    let signers = VciSigners::builtin();
    assert_eq!(
        signers.verify(&snapshot, &signature, Some(&certificate)),
        Ok(())
    );
    // Without the certificate: the built-in key alone.
    assert_eq!(signers.verify(&snapshot, &signature, None), Ok(()));
    // The signature as base64 text, as some mirrors store it.
    let base64 = STANDARD.encode(&signature);
    assert_eq!(signers.verify(&snapshot, base64.as_bytes(), None), Ok(()));

    // One issuer URL changed in the snapshot.
    let text = String::from_utf8(snapshot.clone()).expect("utf-8");
    let altered = text.replacen("https://", "https://evil.", 1);
    assert_eq!(
        signers.verify(altered.as_bytes(), &signature, Some(&certificate)),
        Err(VciSignatureError::BadSignature)
    );
    // One byte added at the end (a trailing newline is still a different file).
    let mut longer = snapshot.clone();
    longer.push(b'\n');
    assert_eq!(
        signers.verify(&longer, &signature, None),
        Err(VciSignatureError::BadSignature)
    );
    // A flipped bit in s.
    let mut flipped = signature.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert_eq!(
        signers.verify(&snapshot, &flipped, None),
        Err(VciSignatureError::BadSignature)
    );
    // Garbage, an empty file, a truncated signature.
    for bad in [&b"not a signature"[..], b"", &signature[..20]] {
        assert!(signers.verify(&snapshot, bad, None).is_err());
    }
}

#[test]
fn a_certificate_of_someone_else_beside_the_snapshot_is_refused() {
    let Some((snapshot, signature, _)) = vci_files() else {
        return;
    };
    // An attacker re-signs an altered snapshot with a P-521 key of their own and puts their
    // certificate beside it.
    let attacker = p521_key(9);
    let cert = self_signed_p521(&attacker);
    let altered = [&snapshot[..], b" "].concat();
    let forged = sign_der_p521(&attacker, &altered);
    let signers = VciSigners::builtin();
    assert!(matches!(
        signers.verify(&altered, &forged, Some(&cert)),
        Err(VciSignatureError::SignerNotPinned(_))
    ));
    // Without their certificate, the pinned key does not verify their signature.
    assert_eq!(
        signers.verify(&altered, &forged, None),
        Err(VciSignatureError::BadSignature)
    );
    // Pinned by the operator, their certificate is accepted (and vci.org's signature too).
    let mut pinned = VciSigners::builtin();
    pinned.pin_certificate(&cert).expect("a certificate");
    assert_eq!(pinned.verify(&altered, &forged, Some(&cert)), Ok(()));
    assert_eq!(pinned.verify(&snapshot, &signature, None), Ok(()));
    // A certificate that is not one.
    assert!(matches!(
        signers.verify(
            &snapshot,
            &signature,
            Some(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        ),
        Err(VciSignatureError::Certificate(_))
    ));
}

// --- The command line -----------------------------------------------------------------------

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

/// A fresh folder under the target directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn the_command_line_checks_the_snapshot_signature_beside_it() {
    let Some((snapshot, signature, certificate)) = vci_files() else {
        return;
    };
    let dir = scratch("vci-cli");
    let json = dir.join("vci_snapshot.json");
    std::fs::write(&json, &snapshot).expect("write");
    let json = json.display().to_string();

    // No signature beside it: loaded as an unsigned list, refused with --require-signed.
    let (code, stdout, stderr) = dcc_verify(&["--check-trust", "--trust", &json]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("SMART Health Card issuers"), "{stdout}");
    assert!(stderr.contains("not authenticated"), "{stderr}");
    let (code, _, stderr) = dcc_verify(&["--check-trust", "--require-signed", "--trust", &json]);
    assert_eq!(code, 2, "{stderr}");

    // With its .sig and .crt: verified, and accepted with --require-signed.
    std::fs::write(dir.join("vci_snapshot.sig"), &signature).expect("write");
    std::fs::write(dir.join("vci_snapshot.crt"), &certificate).expect("write");
    let (code, _, stderr) = dcc_verify(&["--check-trust", "--require-signed", "--trust", &json]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("signature verified"), "{stderr}");

    // Altered: refused, whatever the other options.
    let altered = String::from_utf8(snapshot.clone())
        .expect("utf-8")
        .replacen("https://", "https://evil.", 1);
    std::fs::write(dir.join("vci_snapshot.json"), altered).expect("write");
    let (code, _, stderr) = dcc_verify(&["--check-trust", "--trust", &json]);
    assert_eq!(code, 2);
    assert!(stderr.contains("signature does not verify"), "{stderr}");

    // The signature named explicitly, from elsewhere.
    std::fs::write(dir.join("vci_snapshot.json"), &snapshot).expect("write");
    std::fs::remove_file(dir.join("vci_snapshot.sig")).expect("remove");
    let elsewhere = scratch("vci-cli-sig").join("snapshot.sig");
    std::fs::write(&elsewhere, &signature).expect("write");
    let elsewhere = elsewhere.display().to_string();
    let (code, _, stderr) = dcc_verify(&[
        "--check-trust",
        "--require-signed",
        "--vci-signature",
        &elsewhere,
        "--trust",
        &json,
    ]);
    assert_eq!(code, 0, "{stderr}");
}

// --- VDS-NC chains on P-384 and P-521 ------------------------------------------------------

/// DER: one TLV.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(dotted: &str) -> Vec<u8> {
    let oid = der::asn1::ObjectIdentifier::new(dotted).expect("oid");
    tlv(0x06, oid.as_bytes())
}

fn name(country: &str, common_name: &str) -> Vec<u8> {
    let attribute = |kind: &str, tag: u8, value: &str| {
        tlv(0x31, &seq(&[oid(kind), tlv(tag, value.as_bytes())]))
    };
    seq(&[
        attribute("2.5.4.6", 0x13, country),
        attribute("2.5.4.3", 0x0c, common_name),
    ])
}

const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

fn spki(curve: &str, point: &[u8]) -> Vec<u8> {
    seq(&[
        seq(&[oid(EC_PUBLIC_KEY), oid(curve)]),
        tlv(0x03, &[&[0u8][..], point].concat()),
    ])
}

fn extension(id: &str, value: Vec<u8>) -> Vec<u8> {
    seq(&[oid(id), tlv(0x04, &value)])
}

/// What a test certificate is.
enum Role {
    /// A CSCA: CA, keyCertSign and cRLSign.
    Csca,
    /// A barcode signer for vaccination seals.
    Signer,
}

/// A certificate's tbsCertificate.
fn tbs(
    serial: u8,
    algorithm: &str,
    issuer: &[u8],
    subject: &[u8],
    spki: Vec<u8>,
    role: Role,
) -> Vec<u8> {
    let extensions = match role {
        Role::Csca => vec![
            extension("2.5.29.19", seq(&[tlv(0x01, &[0xff])])),
            extension("2.5.29.15", tlv(0x03, &[0x01, 0x06])),
        ],
        Role::Signer => vec![
            extension("2.5.29.15", tlv(0x03, &[0x07, 0x80])),
            extension("2.5.29.37", seq(&[oid("2.23.136.1.1.14.2")])),
        ],
    };
    seq(&[
        tlv(0xa0, &tlv(0x02, &[2])),
        tlv(0x02, &[serial]),
        seq(&[oid(algorithm)]),
        issuer.to_vec(),
        seq(&[tlv(0x17, b"200101000000Z"), tlv(0x17, b"350101000000Z")]),
        subject.to_vec(),
        spki,
        tlv(0xa3, &seq(&extensions)),
    ])
}

fn signed(tbs: Vec<u8>, algorithm: &str, signature_der: Vec<u8>) -> Vec<u8> {
    seq(&[
        tbs,
        seq(&[oid(algorithm)]),
        tlv(0x03, &[&[0u8][..], &signature_der].concat()),
    ])
}

fn p384_key(seed: u8) -> p384::ecdsa::SigningKey {
    let mut secret = [5u8; 48];
    secret[47] = seed;
    p384::ecdsa::SigningKey::from_slice(&secret).expect("a scalar")
}

fn p521_key(seed: u8) -> p521::ecdsa::SigningKey {
    let mut secret = [0u8; 66];
    secret[1..].fill(3);
    secret[65] = seed;
    p521::ecdsa::SigningKey::from_slice(&secret).expect("a scalar")
}

fn sign_der_p384(key: &p384::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    use p384::ecdsa::signature::Signer as _;
    let signature: p384::ecdsa::Signature = key.sign(message);
    signature.to_der().as_bytes().to_vec()
}

fn sign_der_p521(key: &p521::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    use p521::ecdsa::signature::Signer as _;
    let signature: p521::ecdsa::Signature = key.sign(message);
    signature.to_der().as_bytes().to_vec()
}

const ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";
const SECP384R1: &str = "1.3.132.0.34";
const SECP521R1: &str = "1.3.132.0.35";

fn self_signed_p521(key: &p521::ecdsa::SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_sec1_point(false);
    let subject = name("UT", "attacker");
    let tbs = tbs(
        1,
        ECDSA_SHA512,
        &subject,
        &subject,
        spki(SECP521R1, point.as_bytes()),
        Role::Signer,
    );
    let signature = sign_der_p521(key, &tbs);
    signed(tbs, ECDSA_SHA512, signature)
}

/// A P-384 CSCA and its barcode signer (P-384), both signed ecdsa-with-SHA384.
struct P384Chain {
    csca: Vec<u8>,
    bsc: Vec<u8>,
    bsc_key: p384::ecdsa::SigningKey,
    csca_key: p384::ecdsa::SigningKey,
    csca_name: Vec<u8>,
}

fn p384_chain() -> P384Chain {
    let csca_key = p384_key(1);
    let bsc_key = p384_key(2);
    let csca_name = name("AU", "Test CSCA P-384");
    let csca_point = csca_key.verifying_key().to_sec1_point(false);
    let csca_tbs = tbs(
        1,
        ECDSA_SHA384,
        &csca_name,
        &csca_name,
        spki(SECP384R1, csca_point.as_bytes()),
        Role::Csca,
    );
    let csca = signed(
        csca_tbs.clone(),
        ECDSA_SHA384,
        sign_der_p384(&csca_key, &csca_tbs),
    );
    let bsc_point = bsc_key.verifying_key().to_sec1_point(false);
    let bsc_tbs = tbs(
        7,
        ECDSA_SHA384,
        &csca_name,
        &name("AU", "Test barcode signer P-384"),
        spki(SECP384R1, bsc_point.as_bytes()),
        Role::Signer,
    );
    let bsc = signed(
        bsc_tbs.clone(),
        ECDSA_SHA384,
        sign_der_p384(&csca_key, &bsc_tbs),
    );
    P384Chain {
        csca,
        bsc,
        bsc_key,
        csca_key,
        csca_name,
    }
}

/// The Australian seal's data, signed with `sign` (r‖s over its canonical form: serde_json
/// writes the members sorted, and the data holds no number RFC 8785 writes otherwise).
fn seal(alg: &str, bsc: &[u8], sign: &dyn Fn(&[u8]) -> Vec<u8>) -> Option<String> {
    let folder = shared("vds-nc")?;
    let text = std::fs::read_to_string(folder.join("au-valid.json")).expect("readable");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    let canonical = serde_json::to_string(&value["data"]).expect("json");
    value["sig"] = serde_json::json!({
        "alg": alg,
        "cer": URL_SAFE_NO_PAD.encode(bsc),
        "sigvl": URL_SAFE_NO_PAD.encode(sign(canonical.as_bytes())),
    });
    Some(value.to_string())
}

fn sign_fixed_p384(key: &p384::ecdsa::SigningKey) -> impl Fn(&[u8]) -> Vec<u8> + '_ {
    move |message| {
        use p384::ecdsa::signature::Signer as _;
        let signature: p384::ecdsa::Signature = key.sign(message);
        signature.to_bytes().to_vec()
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        STANDARD.encode(der)
    )
}

#[test]
fn a_p384_chain_verifies_and_attacks_on_it_fail() {
    let chain = p384_chain();
    let Some(text) = seal("ES384", &chain.bsc, &sign_fixed_p384(&chain.bsc_key)) else {
        return;
    };
    let trust = TrustList::from_bytes(&chain.csca).expect("a CSCA");
    assert_eq!(trust.csca().cscas.len(), 1);
    let report = verify(&text, &trust, AT);
    assert_eq!(report.status, Status::Valid, "{report:#?}");
    assert!(report
        .check(CheckId::Signature)
        .is_some_and(|check| check.detail.contains("ES384")));

    // Without the CSCA: unknown signer.
    assert_eq!(
        verify(&text, &TrustList::new(), AT).status,
        Status::UnknownSigner
    );
    // The seal's data altered.
    let altered = text.replace("JANE CATHERINE", "JOHN CATHERINE");
    assert_eq!(verify(&altered, &trust, AT).status, Status::Invalid);
    // The same signature, named ES256 or ES512: the key does not fit.
    for alg in ["ES256", "ES512"] {
        let renamed = text.replace("\"ES384\"", &format!("\"{alg}\""));
        let report = verify(&renamed, &trust, AT);
        assert_eq!(report.status, Status::Invalid, "{alg}");
    }
    // A signer certificate signed by another P-384 key under the CSCA's name.
    let rogue_key = p384_key(3);
    let rogue_point = chain.bsc_key.verifying_key().to_sec1_point(false);
    let rogue_tbs = tbs(
        8,
        ECDSA_SHA384,
        &chain.csca_name,
        &name("AU", "Rogue signer"),
        spki(SECP384R1, rogue_point.as_bytes()),
        Role::Signer,
    );
    let rogue = signed(
        rogue_tbs.clone(),
        ECDSA_SHA384,
        sign_der_p384(&rogue_key, &rogue_tbs),
    );
    let text_rogue = seal("ES384", &rogue, &sign_fixed_p384(&chain.bsc_key)).expect("seal");
    assert_eq!(verify(&text_rogue, &trust, AT).status, Status::Invalid);
    // The CSCA's certificate relabelled ecdsa-with-SHA512 (its signature is SHA-384's).
    let relabelled = {
        let sha384 = der::asn1::ObjectIdentifier::new(ECDSA_SHA384).expect("oid");
        let sha512 = der::asn1::ObjectIdentifier::new(ECDSA_SHA512).expect("oid");
        let mut bsc = chain.bsc.clone();
        let at = bsc
            .windows(sha384.as_bytes().len())
            .rposition(|w| w == sha384.as_bytes())
            .expect("the outer algorithm");
        bsc[at..at + sha512.as_bytes().len()].copy_from_slice(sha512.as_bytes());
        bsc
    };
    let text_relabelled =
        seal("ES384", &relabelled, &sign_fixed_p384(&chain.bsc_key)).expect("seal");
    assert_eq!(verify(&text_relabelled, &trust, AT).status, Status::Invalid);
}

#[test]
fn a_p521_signer_signs_es512_seals() {
    let csca_key = p521_key(1);
    let bsc_key = p521_key(2);
    let csca_name = name("AU", "Test CSCA P-521");
    let csca_point = csca_key.verifying_key().to_sec1_point(false);
    let csca_tbs = tbs(
        1,
        ECDSA_SHA512,
        &csca_name,
        &csca_name,
        spki(SECP521R1, csca_point.as_bytes()),
        Role::Csca,
    );
    let csca = signed(
        csca_tbs.clone(),
        ECDSA_SHA512,
        sign_der_p521(&csca_key, &csca_tbs),
    );
    let bsc_point = bsc_key.verifying_key().to_sec1_point(false);
    let bsc_tbs = tbs(
        7,
        ECDSA_SHA512,
        &csca_name,
        &name("AU", "Test barcode signer P-521"),
        spki(SECP521R1, bsc_point.as_bytes()),
        Role::Signer,
    );
    let bsc = signed(
        bsc_tbs.clone(),
        ECDSA_SHA512,
        sign_der_p521(&csca_key, &bsc_tbs),
    );
    let sign = |message: &[u8]| {
        use p521::ecdsa::signature::Signer as _;
        let signature: p521::ecdsa::Signature = bsc_key.sign(message);
        signature.to_bytes().to_vec()
    };
    let Some(text) = seal("ES512", &bsc, &sign) else {
        return;
    };
    let trust = TrustList::from_bytes(&csca).expect("a CSCA");
    assert_eq!(verify(&text, &trust, AT).status, Status::Valid);
    let altered = text.replace("JANE CATHERINE", "JOHN CATHERINE");
    assert_eq!(verify(&altered, &trust, AT).status, Status::Invalid);
}

/// A CRL of the CSCA listing `serials`, signed with `key`.
fn crl(issuer: &[u8], serials: &[u8], key: &p384::ecdsa::SigningKey) -> Vec<u8> {
    let revoked: Vec<Vec<u8>> = serials
        .iter()
        .map(|serial| seq(&[tlv(0x02, &[*serial]), tlv(0x17, b"230101000000Z")]))
        .collect();
    let tbs = seq(&[
        tlv(0x02, &[1]),
        seq(&[oid(ECDSA_SHA384)]),
        issuer.to_vec(),
        tlv(0x17, b"230101000000Z"),
        tlv(0x17, b"340101000000Z"),
        seq(&revoked),
    ]);
    let signature = sign_der_p384(key, &tbs);
    signed(tbs, ECDSA_SHA384, signature)
}

#[test]
fn cscas_and_crls_load_from_one_pem_file() {
    let chain = p384_chain();
    let Some(text) = seal("ES384", &chain.bsc, &sign_fixed_p384(&chain.bsc_key)) else {
        return;
    };
    let other_csca = {
        let key = p384_key(4);
        let subject = name("NZ", "Other CSCA");
        let point = key.verifying_key().to_sec1_point(false);
        let tbs = tbs(
            2,
            ECDSA_SHA384,
            &subject,
            &subject,
            spki(SECP384R1, point.as_bytes()),
            Role::Csca,
        );
        let signature = sign_der_p384(&key, &tbs);
        signed(tbs, ECDSA_SHA384, signature)
    };
    let clean_crl = crl(&chain.csca_name, &[99], &chain.csca_key);
    let file = [
        pem("CERTIFICATE", &other_csca),
        pem("CERTIFICATE", &chain.csca),
        pem("X509 CRL", &clean_crl),
    ]
    .concat();
    // Both readers: the CLI's (every trust format) and the formats module's.
    for trust in [
        TrustList::from_bytes(file.as_bytes()).expect("PEM"),
        TrustList::from_format_bytes(file.as_bytes()).expect("PEM"),
    ] {
        assert_eq!(trust.csca().cscas.len(), 2);
        assert_eq!(trust.csca().crls.len(), 1);
        assert!(trust.skipped().is_empty(), "{:?}", trust.skipped());
        let report = verify(&text, &trust, AT);
        assert_eq!(report.status, Status::Valid, "{report:#?}");
    }

    // A CRL that lists the signer: revoked.
    let listing = crl(&chain.csca_name, &[7], &chain.csca_key);
    let file = [pem("CERTIFICATE", &chain.csca), pem("X509 CRL", &listing)].concat();
    let trust = TrustList::from_format_bytes(file.as_bytes()).expect("PEM");
    assert_ne!(verify(&text, &trust, AT).status, Status::Valid);
    // The same list signed by another key: refused, not trusted.
    let forged = crl(&chain.csca_name, &[], &p384_key(5));
    let file = [pem("CERTIFICATE", &chain.csca), pem("X509 CRL", &forged)].concat();
    let trust = TrustList::from_format_bytes(file.as_bytes()).expect("PEM");
    assert_ne!(verify(&text, &trust, AT).status, Status::Valid);
    // A PEM block that is no certificate, and a signer certificate, are skipped in the formats
    // reader (a CSCA is needed).
    let file = [
        pem("CERTIFICATE", &chain.csca),
        pem("PUBLIC KEY", b"xyz"),
        pem("X509 CRL", b"not der"),
    ]
    .concat();
    let trust = TrustList::from_format_bytes(file.as_bytes()).expect("PEM");
    assert_eq!(trust.csca().cscas.len(), 1);
    assert_eq!(trust.skipped().len(), 2);
}
