//! The `dcc-verify` command line: exit codes, output, input modes.
// Native only: the test issuer is a native dev-dependency (wasm-pack test builds every test).
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

fn text(path: &str) -> String {
    std::fs::read_to_string(fixture(path))
        .expect("fixture")
        .trim()
        .to_owned()
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dcc-verify"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dcc-verify starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("writes");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("dcc-verify ends")
}

const AT: &str = "2026-06-01T00:00:00Z";

#[test]
fn valid_certificate_exits_zero_with_a_summary() {
    let trust = fixture("trust/dsc_list.json");
    let out = run(
        &[
            "--trust",
            &trust,
            "--at",
            AT,
            &text("certs/ps256_2048_vietnam.txt"),
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("VALID"), "{stdout}");
    assert!(stdout.contains("Nguyễn Bảo Duy"), "{stdout}");
    assert!(stdout.contains("signature"), "{stdout}");
}

#[test]
fn other_verdicts_exit_one_and_json_is_the_report() {
    let trust = fixture("trust/dsc_list.json");
    let out = run(
        &[
            "--trust",
            &trust,
            "--at",
            AT,
            "--json",
            &text("certs/expired.txt"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(report["status"], "expired");
    assert_eq!(report["checks"].as_array().map(Vec::len), Some(13));
}

#[test]
fn reads_standard_input_and_several_trust_lists() {
    let fr = fixture("trust/trust_fr.json");
    let nl = fixture("trust/trust_nl.json");
    let input = format!("{}\n", text("certs/es256_vaccination.txt"));
    let out = run(
        &["--trust", &fr, "--trust", &nl, "--at", AT, "-"],
        Some(&input),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn without_a_trust_list_the_signer_is_unknown() {
    let out = run(&["--at", AT, &text("certs/es256_vaccination.txt")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("UNKNOWN SIGNER"));
}

#[test]
fn image_input_decodes_the_qr_code() {
    let out = run(
        &[
            "--image",
            &fixture("qr/es256_vaccination_transparent.png"),
            "--text-only",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        text("certs/es256_vaccination.txt")
    );
    let trust = fixture("trust/dsc_list.json");
    let out = run(
        &[
            "--trust",
            &trust,
            "--at",
            AT,
            "--image",
            &fixture("qr/es256_vaccination_inverted.png"),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn an_image_without_a_qr_code_exits_three() {
    let blank = std::env::temp_dir().join(format!("dcc-verify-blank-{}.png", std::process::id()));
    // The DSC's DER is not an image: that is an I/O-class error (2); a real blank PNG is 3.
    let out = run(&["--image", &fixture("trust/dsc/es256.der")], None);
    assert_eq!(out.status.code(), Some(2));
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, 64, 64);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().expect("header");
        writer.write_image_data(&[255; 64 * 64]).expect("pixels");
    }
    std::fs::write(&blank, &png).expect("temp file");
    let out = run(&["--image", blank.to_str().expect("UTF-8 path")], None);
    let _ = std::fs::remove_file(&blank);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no QR code"));
}

#[test]
fn usage_errors_exit_two_with_a_message() {
    for args in [
        &[][..],
        &["--at", "yesterday", "HC1:X"],
        &["--bogus"],
        &["--trust"],
        &["A", "B"],
        &["--text-only", "HC1:X"],
    ] {
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let out = run(&["--trust", "/nonexistent/list.json", "HC1:X"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/list.json"));
    let help = run(&["--help"], None);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage: dcc-verify"));
}

/// A temporary file holding `bytes`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("dcc-verify-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).expect("temp file");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("UTF-8 path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_demo_certificate_says_demo_in_json_and_text() {
    let trust = fixture("demo/dsc_list.json");
    let cert = text("demo/vaccination_es256.txt");
    let out = run(&["--json", "--trust", &trust, "--at", AT, &cert], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["status"], "valid");
    assert_eq!(json["demo"], true, "{json}");
    let out = run(&["--trust", &trust, "--at", AT, &cert], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .next()
            .is_some_and(|line| line.contains("DEMO")),
        "{stdout}"
    );
}

#[test]
fn a_signed_list_verifies_with_its_pinned_key() {
    let cert = text("certs/ps256_2048_vietnam.txt");
    let signed = fixture("trust/dsc_list.signed.json");
    let signer = fixture("trust/dsc_list.signer.pem");
    let out = run(
        &[
            "--trust",
            &signed,
            "--pinned-key",
            &signer,
            "--require-signed",
            "--at",
            AT,
            &cert,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_tampered_or_foreign_signed_list_is_refused() {
    let cert = text("certs/ps256_2048_vietnam.txt");
    let signed = std::fs::read_to_string(fixture("trust/dsc_list.signed.json")).expect("list");
    let signer = fixture("trust/dsc_list.signer.pem");
    // One key removed from the signed body: the signature no longer matches.
    let (head, rest) = signed.split_once("\"rawData\"").expect("an entry");
    let tampered = TempFile::new(
        "tampered.json",
        format!("{head}\"rawDatum\"{rest}").as_bytes(),
    );
    // A key generated now, never committed: the list is not signed by it.
    let stranger = dcc_test_issuer::Key::es256_random();
    let stranger = TempFile::new("stranger.pem", stranger.public_key_pem().as_bytes());
    let original = fixture("trust/dsc_list.signed.json");
    for (list, key) in [
        (tampered.path(), signer.as_str()),
        (original.as_str(), stranger.path()),
    ] {
        let out = run(
            &["--trust", list, "--pinned-key", key, "--at", AT, &cert],
            None,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{list}: {stderr}");
        assert!(stderr.contains("signature does not match"), "{stderr}");
        assert!(out.stdout.is_empty(), "no verdict with a refused list");
    }
}

#[test]
fn require_signed_refuses_unauthenticated_lists() {
    let cert = text("certs/ps256_2048_vietnam.txt");
    let signer = fixture("trust/dsc_list.signer.pem");
    let cases = [
        // Unsigned, with a pinned key.
        vec!["--trust", "UNSIGNED", "--pinned-key", &signer],
        // Signed, but nothing pinned to check it.
        vec!["--trust", "SIGNED"],
    ];
    let unsigned = fixture("trust/dsc_list.json");
    let signed = fixture("trust/dsc_list.signed.json");
    for case in cases {
        let mut args: Vec<&str> = case
            .iter()
            .map(|arg| match *arg {
                "UNSIGNED" => unsigned.as_str(),
                "SIGNED" => signed.as_str(),
                other => other,
            })
            .collect();
        // Without --require-signed the list loads, with a note that nothing vouches for it.
        args.extend(["--at", AT, &cert]);
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not authenticated"),
            "{args:?}"
        );
        args.insert(0, "--require-signed");
        let out = run(&args, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("not signed by a pinned key"), "{stderr}");
    }
    let bad_key = run(
        &["--pinned-key", &fixture("trust/dsc_list.json"), "HC1:X"],
        None,
    );
    assert_eq!(bad_key.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_key.stderr).contains("--pinned-key"));
}

#[test]
fn revocation_batches_revoke_a_listed_certificate_only() {
    let trust = fixture("trust/dsc_list.json");
    let batches = fixture("revocation/batches.json");
    let json = |cert: &str| {
        let out = run(
            &[
                "--json",
                "--trust",
                &trust,
                "--revocation",
                &batches,
                "--at",
                AT,
                &text(cert),
            ],
            None,
        );
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        (out.status.code(), report)
    };
    let (code, report) = json("revocation/revoked_ps256_signature.txt");
    assert_eq!(code, Some(1));
    assert_eq!(report["status"], "revoked");
    let revocation = &report["checks"][9];
    assert_eq!(revocation["check"], "revocation");
    assert_eq!(revocation["result"], "fail");
    assert_eq!(revocation["code"], "revoked");
    assert!(
        revocation["detail"]
            .as_str()
            .is_some_and(|d| d.contains("SIGNATURE")),
        "{revocation}"
    );
    // Same DSCs, not listed: the verdicts do not change.
    for cert in [
        "revocation/not_revoked_ps256.txt",
        "revocation/not_revoked_es256.txt",
        "certs/es256_vaccination.txt",
        "certs/ps256_2048_vietnam.txt",
    ] {
        let (code, report) = json(cert);
        assert_eq!(
            (code, report["status"].as_str()),
            (Some(0), Some("valid")),
            "{cert}"
        );
    }
    let (_, report) = json("certs/expired.txt");
    assert_eq!(report["status"], "expired");
}

#[test]
fn revocation_is_repeatable_and_printed() {
    let trust = fixture("trust/dsc_list.json");
    let batches = fixture("revocation/batches.json");
    let empty_dir = std::env::temp_dir().join(format!("dcc-verify-rev-{}", std::process::id()));
    std::fs::create_dir_all(&empty_dir).unwrap();
    let other = empty_dir.join("other.json");
    std::fs::write(
        &other,
        r#"[{"country":"DE","expires":"2030-01-01T00:00:00Z","kid":"AAAAAAAAAAA=","hashType":"UCI","entries":[]}]"#,
    )
    .unwrap();
    let out = run(
        &[
            "--trust",
            &trust,
            "--revocation",
            &other.display().to_string(),
            "--revocation",
            &batches,
            "--at",
            AT,
            &text("revocation/revoked_es256_uci.txt"),
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("REVOKED"), "{stdout}");
    assert!(stdout.contains("withdrawn by the issuer"), "{stdout}");

    // A malformed batch file is a usage error naming the file and the batch.
    std::fs::write(&other, r#"[{"country":"DE","hashType":"MD5"}]"#).unwrap();
    let out = run(
        &[
            "--revocation",
            &other.display().to_string(),
            &text("revocation/revoked_es256_uci.txt"),
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("revocation batch 1 (DE)"), "{stderr}");
    let _ = std::fs::remove_dir_all(&empty_dir);
}

#[test]
fn warnings_are_printed_and_the_verdict_stands() {
    let trust = fixture("trust/dsc_list.json");
    let odd = text("certs/oddity_date_with_offset.txt");
    let out = run(&["--trust", &trust, "--at", AT, &odd], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("VALID"), "{stdout}");
    assert!(
        stdout.contains("Warnings (allowed; the verdict stands):\n  v[0].dt has a time (2025-11-15T08:10:00+02:00); read as the date 2025-11-15"),
        "{stdout}"
    );
    let out = run(&["--json", "--trust", &trust, "--at", AT, &odd], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["warnings"][0]["code"], "date_with_time");
    assert_eq!(json["warnings"][0]["read_as"], "2025-11-15");

    let plain = run(
        &[
            "--trust",
            &trust,
            "--at",
            AT,
            &text("certs/es256_vaccination.txt"),
        ],
        None,
    );
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("Warnings"));
}
