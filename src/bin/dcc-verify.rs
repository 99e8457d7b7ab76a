//! `dcc-verify`: verify an EU Digital COVID Certificate from the command line.
//!
//! Argument parsing and printing only; the work is in the library.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dcc_verifier::formats::Format;
use dcc_verifier::rules::{self, RuleOutcome, RuleSet, RulesVerdict};
use dcc_verifier::trust::vci_signature::VciSigners;
use dcc_verifier::trust::{Authentication, PinnedKeys};
use dcc_verifier::{
    qr, time, verify_with_revocation, Outcome, Report, RevocationList, Status, TrustList,
};

const USAGE: &str = "\
Usage: dcc-verify [--trust FILE]... [--pinned-key FILE]... [--require-signed] [--revocation FILE]...
                  [--vci-signature FILE] [--vci-certificate FILE] [--at RFC3339] [--json]
                  [--rules PATH... --country CC [--region R] [--value-sets PATH]... [--lang LL]]
                  (TEXT | - | --image FILE [--text-only] | --check-trust)

Verifies an EU Digital COVID Certificate (an HC1: QR code), a SMART Health Card (shc:/ QR
codes, or a .smart-health-card file) or an ICAO VDS-NC seal (a signed JSON QR code).

  TEXT            the QR code's text (HC1:..., shc:/..., {\"data\":...}); a SMART Health Card in
                  several QR codes: every part's text, one per line
  -               read the text from standard input
  --image FILE    read the QR code from a PNG or JPEG image
  --text-only     with --image: print only the decoded QR text
  --trust FILE    a trust list (DSC-list JSON, X.509 DER/PEM, FR, CH, NL or compact format);
                  for SMART Health Cards: the VCI directory snapshot, one issuer's
                  {\"iss\": URL, \"keys\": [JWK...]} (a bare JWKS is refused: it names no
                  issuer) or an issuer's revocation list (.well-known/crl/KID.json);
                  for VDS-NC: a CSCA certificate (DER; CA with keyCertSign) or its CRL (DER);
                  may be repeated; without one, every signer is unknown
  --pinned-key FILE  a key that signs trust lists (EC P-256 public key, PEM or DER); may be
                  repeated. A signed list (a signature line before the JSON) must then verify
                  with one of them, or it is refused
  --require-signed  refuse every trust list that is not signed by a pinned key
  --vci-signature FILE  the VCI directory snapshot's signature (.sig: ECDSA P-521/SHA-512),
                  when it is not beside the snapshot. Without it, NAME.sig or NAME.json.sig
                  beside a --trust NAME.json snapshot is used. A snapshot with a signature is
                  loaded only if it verifies with the directory's signer (vci.org's key, built
                  in; NAME.crt beside it, if present, must hold that key); a snapshot without
                  one loads as an unsigned list (refused with --require-signed)
  --vci-certificate FILE  pin another VCI directory signer: its certificate (PEM or DER)
  --check-trust   load the trust files, say how each is authenticated, and stop (exit 0)
  --revocation FILE
                  revocation batches (EU gateway JSON: one batch, an array of batches or
                  {\"batches\": [...]}; or the compact form); may be repeated; a certificate
                  they list is revoked
  --at TIME       validation time, RFC 3339 (e.g. 2022-05-01T00:00:00Z); default: now
  --json          print the full report as JSON
  --rules PATH    business rules: a JSON file (one rule or an array, as the EU gateway
                  publishes them) or a folder of them (e.g. one folder per country);
                  may be repeated. `--rules builtin:vn` is the built-in Vietnam policy
  --country CC    the arrival country whose rules apply (ISO 3166-1, e.g. FR)
  --region R      a region of that country with rules of its own (default: national rules)
  --value-sets PATH  EU value sets the rules may need (a compact map, ehn-dcc-valuesets
                  files, or a folder of them); rules needing one that is missing are open
  --lang LL       language of the rules' descriptions (default: en)
  -h, --help      print this help
  -V, --version   print the version

Exit codes: 0 valid (with --rules: valid and meets the rules), 1 any other verdict,
2 usage or I/O error, 3 no QR code found in the image.";

/// What the command line asked for.
struct Args {
    trust_files: Vec<String>,
    pinned_key_files: Vec<String>,
    require_signed: bool,
    vci_signature: Option<String>,
    vci_certificates: Vec<String>,
    check_trust: bool,
    revocation_files: Vec<String>,
    at: Option<i64>,
    json: bool,
    text_only: bool,
    input: Input,
    rules: RulesArgs,
}

/// What the command line asked of business rules.
#[derive(Default)]
struct RulesArgs {
    paths: Vec<String>,
    country: Option<String>,
    region: Option<String>,
    value_sets: Vec<String>,
    lang: Option<String>,
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
                .take(
                    dcc_verifier::limits::MAX_SHC_TEXT_LEN
                        .max(dcc_verifier::limits::MAX_QR_TEXT_LEN) as u64
                        + 1,
                )
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

    let trust = load_trust(&args)?;
    if args.check_trust {
        println!(
            "trust: {} DSCs, {} SMART Health Card issuers, {} CSCAs, {} CRLs",
            trust.len(),
            trust.shc().issuers.len(),
            trust.csca().cscas.len(),
            trust.csca().crls.len()
        );
        return Ok(0);
    }

    let mut batches = Vec::new();
    for path in &args.revocation_files {
        let bytes =
            std::fs::read(path).map_err(|error| Exit(2, format!("cannot read {path}: {error}")))?;
        let list = RevocationList::from_bytes(&bytes)
            .map_err(|error| Exit(2, format!("{path}: {error}")))?;
        batches.extend(list.to_batches());
    }
    let revocation = RevocationList::from_batches(batches);

    let now = match args.at {
        Some(at) => at,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| {
                i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
            }),
    };
    let mut report = verify_with_revocation(&text, &trust, &revocation, now);
    let with_rules = !args.rules.paths.is_empty();
    if with_rules {
        report.rules = Some(check_rules(&args.rules, &text, now)?);
    }
    if args.json {
        println!("{}", report.to_json_pretty());
    } else {
        print_summary(&report);
        if let Some(rules) = &report.rules {
            print_rules(rules, args.rules.lang.as_deref().unwrap_or("en"));
        }
    }
    let meets = report
        .rules
        .as_ref()
        .is_none_or(|rules| rules.verdict == RulesVerdict::Meets);
    Ok(if report.status == Status::Valid && meets {
        0
    } else {
        1
    })
}

/// Every `.json` file under `path` (or `path` itself), sorted.
fn json_files(path: &Path, found: &mut Vec<PathBuf>) -> Result<(), Exit> {
    if path.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|error| Exit(2, format!("cannot read {}: {error}", path.display())))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for child in paths {
            if child.is_dir() || child.extension().is_some_and(|ext| ext == "json") {
                json_files(&child, found)?;
            }
        }
    } else {
        found.push(path.to_path_buf());
    }
    Ok(())
}

fn check_rules(args: &RulesArgs, text: &str, now: i64) -> Result<rules::RulesReport, Exit> {
    let mut set = RuleSet::new();
    for path in &args.paths {
        if let Some(name) = path.strip_prefix("builtin:") {
            let policy = rules::policies::find(name).ok_or_else(|| {
                Exit(
                    2,
                    format!(
                        "--rules: no built-in policy \"{name}\" (there are: {})",
                        rules::policies::names().join(", ")
                    ),
                )
            })?;
            set.merge(policy.rules());
            continue;
        }
        let mut files = Vec::new();
        json_files(Path::new(path), &mut files)?;
        for file in files {
            let bytes = std::fs::read(&file)
                .map_err(|error| Exit(2, format!("cannot read {}: {error}", file.display())))?;
            set.add_json(&bytes)
                .map_err(|error| Exit(2, format!("{}: {error}", file.display())))?;
        }
    }
    let mut value_sets = serde_json::Map::new();
    for path in &args.value_sets {
        let mut files = Vec::new();
        json_files(Path::new(path), &mut files)?;
        for file in files {
            let bytes = std::fs::read(&file)
                .map_err(|error| Exit(2, format!("cannot read {}: {error}", file.display())))?;
            // A folder may hold schemas and other files beside the value sets.
            if let Err(error) = rules::add_value_sets(&mut value_sets, &bytes) {
                if !Path::new(path).is_dir() {
                    return Err(Exit(2, format!("{}: {error}", file.display())));
                }
            }
        }
    }
    let default_country = args.paths.iter().find_map(|p| {
        p.strip_prefix("builtin:")
            .and_then(rules::policies::find)
            .map(|policy| policy.country.to_owned())
    });
    let country = args.country.clone().or(default_country).ok_or_else(|| {
        Exit(
            2,
            format!("--rules needs --country CC (the arrival country)\n\n{USAGE}"),
        )
    })?;
    let query = rules::Query {
        country: &country,
        region: args.region.as_deref(),
        at: now,
        value_sets: (!args.value_sets.is_empty()).then_some(&value_sets),
        lang: args.lang.as_deref().unwrap_or("en"),
    };
    Ok(rules::check_text(&set, text, &query))
}

/// Loads every `--trust` file, checking signatures as the options say (see USAGE).
fn load_trust(args: &Args) -> Result<TrustList, Exit> {
    let read = |path: &str| {
        std::fs::read(path).map_err(|error| Exit(2, format!("cannot read {path}: {error}")))
    };
    let mut pinned = PinnedKeys::new();
    for path in &args.pinned_key_files {
        pinned
            .add(&read(path)?)
            .map_err(|error| Exit(2, format!("--pinned-key {path}: {error}")))?;
    }
    let mut vci_signers = VciSigners::builtin();
    for path in &args.vci_certificates {
        vci_signers
            .pin_certificate(&read(path)?)
            .map_err(|error| Exit(2, format!("--vci-certificate {path}: {error}")))?;
    }
    let mut trust = TrustList::new();
    for path in &args.trust_files {
        let bytes = read(path)?;
        let (list, mut authentication) = TrustList::from_bytes_authenticated(&bytes, &pinned)
            .map_err(|error| Exit(2, format!("{path}: {error}")))?;
        if is_vci_snapshot(&list) {
            if let Some(signature_path) = vci_signature_file(path, args) {
                let signature = read(&signature_path)?;
                let certificate = beside(path, "crt").map(|crt| read(&crt)).transpose()?;
                vci_signers
                    .verify(&bytes, &signature, certificate.as_deref())
                    .map_err(|error| Exit(2, format!("{path}: {error}")))?;
                eprintln!(
                    "dcc-verify: {path}: VCI directory signature verified ({signature_path})"
                );
                authentication = Authentication::Signed;
            }
        }
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
            if !pinned.is_empty()
                || authentication == Authentication::SignatureNotChecked
                || args.check_trust
            {
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
    Ok(trust)
}

/// Whether a loaded file is a SMART Health Card issuer directory (several issuers: the VCI
/// snapshot's shape), whose signature file is looked for.
fn is_vci_snapshot(list: &TrustList) -> bool {
    list.shc().issuers.len() > 1
}

/// The snapshot's signature: `--vci-signature`, else NAME.sig or NAME.json.sig beside it.
fn vci_signature_file(path: &str, args: &Args) -> Option<String> {
    args.vci_signature.clone().or_else(|| beside(path, "sig"))
}

/// An existing file beside `path` with the extension `extension`: `NAME.EXT` for `NAME.json`,
/// or `NAME.json.EXT`.
fn beside(path: &str, extension: &str) -> Option<String> {
    let path = Path::new(path);
    [
        path.with_extension(extension),
        PathBuf::from(format!("{}.{extension}", path.display())),
    ]
    .into_iter()
    .find(|candidate| candidate.is_file())
    .map(|candidate| candidate.display().to_string())
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, Exit> {
    let usage_error = |message: String| Exit(2, format!("{message}\n\n{USAGE}"));
    let mut trust_files = Vec::new();
    let mut pinned_key_files = Vec::new();
    let mut require_signed = false;
    let mut vci_signature = None;
    let mut vci_certificates = Vec::new();
    let mut check_trust = false;
    let mut revocation_files = Vec::new();
    let mut at = None;
    let mut json = false;
    let mut text_only = false;
    let mut input = None;
    let mut rules = RulesArgs::default();
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
            "--vci-signature" => vci_signature = Some(value_of("--vci-signature")?),
            "--vci-certificate" => vci_certificates.push(value_of("--vci-certificate")?),
            "--check-trust" => check_trust = true,
            "--revocation" => revocation_files.push(value_of("--revocation")?),
            "--at" => {
                let value = value_of("--at")?;
                at = Some(time::parse_rfc3339(&value).ok_or_else(|| {
                    usage_error(format!("--at: \"{value}\" is not an RFC 3339 time"))
                })?);
            }
            "--json" => json = true,
            "--rules" => rules.paths.push(value_of("--rules")?),
            "--value-sets" => rules.value_sets.push(value_of("--value-sets")?),
            "--country" => rules.country = Some(value_of("--country")?.to_ascii_uppercase()),
            "--region" => rules.region = Some(value_of("--region")?),
            "--lang" => rules.lang = Some(value_of("--lang")?),
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
    let input = match input {
        Some(input) => input,
        // --check-trust reads no certificate: an empty text is never verified.
        None if check_trust => Input::Text(String::new()),
        None => return Err(usage_error("no input given".into())),
    };
    if text_only && !matches!(input, Input::Image(_)) {
        return Err(usage_error("--text-only goes with --image".into()));
    }
    let asks_rules =
        rules.country.is_some() || rules.region.is_some() || !rules.value_sets.is_empty();
    if asks_rules && rules.paths.is_empty() {
        return Err(usage_error(
            "--country, --region and --value-sets go with --rules".into(),
        ));
    }
    Ok(Args {
        trust_files,
        pinned_key_files,
        require_signed,
        vci_signature,
        vci_certificates,
        check_trust,
        revocation_files,
        at,
        json,
        text_only,
        input,
        rules,
    })
}

fn print_summary(report: &Report) {
    let verdict = match report.status {
        Status::Valid => "VALID",
        Status::Invalid => "INVALID",
        Status::Revoked => "REVOKED (withdrawn by the issuer: do not accept)",
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
    if report.format != Format::Dcc {
        println!("Format:   {}", report.format.name());
        if let Some(holder) = &report.holder {
            println!("Holder:   {}", holder.name.as_deref().unwrap_or("?"));
            if let Some(dob) = &holder.dob {
                println!("Born:     {dob}");
            }
        }
        if let Some(card) = &report.card {
            if let Some(issuer) = &card.issuer {
                let name = card.issuer_name.as_deref().map(|name| format!(" ({name})"));
                println!("Issuer:   {issuer}{}", name.unwrap_or_default());
            }
            for event in &card.events {
                let what = event
                    .name
                    .as_deref()
                    .or(event.code.as_deref())
                    .unwrap_or("?");
                let mut line = format!("{}  {what}", event.date.as_deref().unwrap_or("?"));
                for (label, value) in [
                    ("dose", event.dose.map(|dose| dose.to_string())),
                    ("lot", event.lot.clone()),
                    ("result", event.result.clone()),
                    ("by", event.performer.clone()),
                    ("in", event.country.clone()),
                ] {
                    if let Some(value) = value {
                        line.push_str(&format!(", {label} {value}"));
                    }
                }
                println!("Event:    {line}");
            }
        }
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
            println!("Born:     {}", as_read(report, "dob", dob));
        }
    }
    if let Some(cert_type) = report.cert_type {
        println!("Type:     {}", cert_type.as_str());
    }
    if let (Some(country), Format::Dcc) = (&report.issuer_country, report.format) {
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
    if !report.warnings.is_empty() {
        println!("Warnings (allowed; the verdict stands):");
        for warning in &report.warnings {
            println!("  {}", warning.detail);
        }
    }
}

/// A field's value as the verifier read it (a warning's `read_as`, e.g. the date part of a
/// date with a time), with what was written when that differs.
fn as_read(report: &Report, field: &str, written: &str) -> String {
    let read = report
        .warnings
        .iter()
        .find(|warning| warning.field == field)
        .and_then(|warning| warning.read_as.as_deref());
    match read {
        Some(read) if read != written => format!("{read}  (written {written:?})"),
        _ => written.to_owned(),
    }
}

fn print_rules(report: &rules::RulesReport, lang: &str) {
    let verdict = match report.verdict {
        RulesVerdict::Meets => "MEETS THE RULES",
        RulesVerdict::DoesNotMeet => "DOES NOT MEET THE RULES",
        RulesVerdict::Open => "RULES OPEN",
    };
    let region = report
        .region
        .as_ref()
        .map_or(String::new(), |region| format!(" ({region})"));
    println!(
        "Rules of {}{region} on {}: {verdict}",
        report.country, report.validation_clock
    );
    println!("  {}", report.summary);
    for rule in &report.rules {
        let result = match rule.result {
            RuleOutcome::Pass => "pass",
            RuleOutcome::Fail => "FAIL",
            RuleOutcome::Open => "open",
        };
        let lang = if rule.description_fallback && !rule.description_lang.is_empty() {
            format!(" ({}: no {lang} description)", rule.description_lang)
        } else {
            String::new()
        };
        println!(
            "  {result}  {:<12} {:<7} {}{lang}",
            rule.identifier, rule.version, rule.description
        );
        if let Some(reason) = &rule.reason {
            println!("        why: {reason}");
        }
    }
    for rule in &report.not_applicable {
        let lang = if rule.description_fallback && !rule.description_lang.is_empty() {
            format!(" ({}: no {lang} description)", rule.description_lang)
        } else {
            String::new()
        };
        println!(
            "  n/a   {:<12} {:<7} {}{lang}",
            rule.identifier, rule.version, rule.description
        );
        println!(
            "        why: a rule for {} certificates",
            rule.certificate_type.to_ascii_lowercase()
        );
    }
}
