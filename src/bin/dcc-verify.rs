//! `dcc-verify`: verify an EU Digital COVID Certificate from the command line.
//!
//! Argument parsing and printing only; the work is in the library.

use std::io::Read as _;
use std::process::ExitCode;

use dcc_verifier::trust::{Authentication, PinnedKeys};
use dcc_verifier::{qr, time, verify, Outcome, Report, Status, TrustList};

const USAGE: &str = "\
Usage: dcc-verify [--trust FILE]... [--pinned-key FILE]... [--require-signed] [--at RFC3339] [--json]
                  (TEXT | - | --image FILE [--text-only])

Verifies an EU Digital COVID Certificate (an HC1: QR code).

  TEXT            the QR code's text (HC1:...)
  -               read the text from standard input
  --image FILE    read the QR code from a PNG or JPEG image
  --text-only     with --image: print only the decoded QR text
  --trust FILE    a trust list (DSC-list JSON, X.509 DER/PEM, FR, CH, NL or compact format);
                  may be repeated; without one, every signer is unknown
  --pinned-key FILE  a key that signs trust lists (EC P-256 public key, PEM or DER); may be
                  repeated. A signed list (a signature line before the JSON) must then verify
                  with one of them, or it is refused
  --require-signed  refuse every trust list that is not signed by a pinned key
  --at TIME       validation time, RFC 3339 (e.g. 2022-05-01T00:00:00Z); default: now
  --json          print the full report as JSON
  -h, --help      print this help
  -V, --version   print the version

Exit codes: 0 valid, 1 any other verdict, 2 usage or I/O error, 3 no QR code found in the image.";

/// What the command line asked for.
struct Args {
    trust_files: Vec<String>,
    pinned_key_files: Vec<String>,
    require_signed: bool,
    at: Option<i64>,
    json: bool,
    text_only: bool,
    input: Input,
}

enum Input {
    Text(String),
    Stdin,
    Image(String),
}

/// Why the program stops early: a message and an exit code.
struct Exit(u8, String);

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        // --help and --version end "early" too, successfully, on standard output.
        Err(Exit(0, message)) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(Exit(code, message)) => {
            eprintln!("dcc-verify: {message}");
            ExitCode::from(code)
        }
    }
}

fn run() -> Result<u8, Exit> {
    let args = parse_args(std::env::args().skip(1))?;
    let text = match &args.input {
        Input::Text(text) => text.clone(),
        Input::Stdin => {
            let mut text = String::new();
            std::io::stdin()
                .take(dcc_verifier::limits::MAX_QR_TEXT_LEN as u64 + 1)
                .read_to_string(&mut text)
                .map_err(|error| Exit(2, format!("cannot read standard input: {error}")))?;
            text
        }
        Input::Image(path) => {
            let bytes = std::fs::read(path)
                .map_err(|error| Exit(2, format!("cannot read {path}: {error}")))?;
            match qr::decode_image_file(&bytes) {
                Ok(text) => text,
                Err(dcc_verifier::Error::NoQrCode) => {
                    return Err(Exit(3, format!("no QR code found in {path}")))
                }
                Err(error) => return Err(Exit(2, format!("{path}: {error}"))),
            }
        }
    };
    if args.text_only {
        println!("{text}");
        return Ok(0);
    }

    let mut pinned = PinnedKeys::new();
    for path in &args.pinned_key_files {
        let bytes =
            std::fs::read(path).map_err(|error| Exit(2, format!("cannot read {path}: {error}")))?;
        pinned
            .add(&bytes)
            .map_err(|error| Exit(2, format!("--pinned-key {path}: {error}")))?;
    }
    let mut trust = TrustList::new();
    for path in &args.trust_files {
        let bytes =
            std::fs::read(path).map_err(|error| Exit(2, format!("cannot read {path}: {error}")))?;
        let (list, authentication) = TrustList::from_bytes_authenticated(&bytes, &pinned)
            .map_err(|error| Exit(2, format!("{path}: {error}")))?;
        let unauthenticated = match authentication {
            Authentication::Signed => None,
            Authentication::SignatureNotChecked => {
                Some("it is signed, but no --pinned-key is given to check its signature")
            }
            Authentication::Unsigned => Some("it is not signed"),
        };
        if let Some(why) = unauthenticated {
            if args.require_signed {
                let error = dcc_verifier::Error::TrustListUnsigned;
                return Err(Exit(2, format!("{path}: {error} ({why})")));
            }
            if !pinned.is_empty() || authentication == Authentication::SignatureNotChecked {
                eprintln!("dcc-verify: {path}: not authenticated: {why}");
            }
        }
        if !list.skipped().is_empty() {
            eprintln!(
                "dcc-verify: {path}: {} usable keys, {} entries skipped",
                list.len(),
                list.skipped().len()
            );
        }
        trust.merge(list);
    }

    let now = match args.at {
        Some(at) => at,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| {
                i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
            }),
    };
    let report = verify(&text, &trust, now);
    if args.json {
        println!("{}", report.to_json_pretty());
    } else {
        print_summary(&report);
    }
    Ok(if report.status == Status::Valid { 0 } else { 1 })
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, Exit> {
    let usage_error = |message: String| Exit(2, format!("{message}\n\n{USAGE}"));
    let mut trust_files = Vec::new();
    let mut pinned_key_files = Vec::new();
    let mut require_signed = false;
    let mut at = None;
    let mut json = false;
    let mut text_only = false;
    let mut input = None;
    let set_input = |value: Input, input: &mut Option<Input>| {
        if input.replace(value).is_some() {
            Err(usage_error(
                "give one input: TEXT, - or --image FILE".into(),
            ))
        } else {
            Ok(())
        }
    };
    while let Some(arg) = args.next() {
        let mut value_of = |flag: &str| {
            args.next()
                .ok_or_else(|| usage_error(format!("{flag} needs a value")))
        };
        match arg.as_str() {
            "-h" | "--help" => return Err(Exit(0, USAGE.into())),
            "-V" | "--version" => {
                return Err(Exit(0, format!("dcc-verify {}", env!("CARGO_PKG_VERSION"))))
            }
            "--trust" => trust_files.push(value_of("--trust")?),
            "--pinned-key" => pinned_key_files.push(value_of("--pinned-key")?),
            "--require-signed" => require_signed = true,
            "--at" => {
                let value = value_of("--at")?;
                at = Some(time::parse_rfc3339(&value).ok_or_else(|| {
                    usage_error(format!("--at: \"{value}\" is not an RFC 3339 time"))
                })?);
            }
            "--json" => json = true,
            "--text-only" => text_only = true,
            "--image" => {
                let path = value_of("--image")?;
                set_input(Input::Image(path), &mut input)?;
            }
            "-" => set_input(Input::Stdin, &mut input)?,
            flag if flag.starts_with("--") => {
                return Err(usage_error(format!("unknown option {flag}")))
            }
            _ => set_input(Input::Text(arg), &mut input)?,
        }
    }
    let input = input.ok_or_else(|| usage_error("no input given".into()))?;
    if text_only && !matches!(input, Input::Image(_)) {
        return Err(usage_error("--text-only goes with --image".into()));
    }
    Ok(Args {
        trust_files,
        pinned_key_files,
        require_signed,
        at,
        json,
        text_only,
        input,
    })
}

fn print_summary(report: &Report) {
    let verdict = match report.status {
        Status::Valid => "VALID",
        Status::Invalid => "INVALID",
        Status::Expired => "EXPIRED",
        Status::NotYetValid => "NOT YET VALID",
        Status::UnknownSigner => "UNKNOWN SIGNER",
        Status::NotADcc => "NOT A CERTIFICATE",
    };
    if report.demo {
        println!("{verdict}  DEMO (signed with a demo key of the project's test issuer: not a real certificate)");
    } else {
        println!("{verdict}");
    }
    if let Some(dcc) = &report.certificate {
        if let Some(name) = &dcc.nam {
            let issued: Vec<&str> = [name.family.as_deref(), name.given.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let transliterated: Vec<&str> = [name.family_t.as_deref(), name.given_t.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            println!(
                "Holder:   {}  ({})",
                issued.join(" "),
                transliterated.join(" ")
            );
        }
        if let Some(dob) = &dcc.dob {
            println!("Born:     {dob}");
        }
    }
    if let Some(cert_type) = report.cert_type {
        println!("Type:     {}", cert_type.as_str());
    }
    if let Some(country) = &report.issuer_country {
        let issued = report.issued_at.as_deref().unwrap_or("?");
        let expires = report.expires_at.as_deref().unwrap_or("?");
        println!("Issuer:   {country}, issued {issued}, expires {expires}");
    }
    if let Some(signer) = &report.signer {
        let subject = signer.subject.as_deref().unwrap_or("(no subject)");
        println!("Signer:   {subject}");
    }
    println!("Checks:");
    for check in &report.checks {
        let result = match check.result {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "skip",
        };
        println!("  {result}  {:<16} {}", check.check.as_str(), check.detail);
    }
}
