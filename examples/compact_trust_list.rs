//! Converts trust lists (any supported format) to the compact form the web page loads, and writes
//! the page's trust policy (what `scripts/build-web` runs):
//!
//! ```text
//! cargo run --release --example compact_trust_list -- [--demo] [--name NAME] [--generated RFC3339]
//!     [--pinned-key FILE]... [--require-signed] [--allow-import] [--allow-unsigned-import]
//!     [--allow-policy-change] [--policy-out FILE] --out FILE INPUT...
//! ```
//!
//! The German list of 832 keys is a 4 MB JSON of whole certificates; the page needs only kid,
//! country, public key, validity and key usage.
//!
//! Without `--demo` this is a production build: a signed input must verify with a pinned key,
//! and a demo key (one of the project's test issuer, [`dcc_verifier::trust::demo`]) anywhere, in
//! the lists or among the pinned keys, stops the build with an error naming it.

use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use dcc_verifier::trust::demo::{fingerprint, fingerprint_hex};
use dcc_verifier::trust::{Authentication, PinnedKeys};
use dcc_verifier::TrustList;

#[derive(Default)]
struct Options {
    demo: bool,
    name: Option<String>,
    generated: String,
    out: Option<String>,
    policy_out: Option<String>,
    pinned_key_files: Vec<String>,
    require_signed: bool,
    allow_import: bool,
    allow_unsigned_import: bool,
    allow_policy_change: bool,
    inputs: Vec<String>,
}

const USAGE: &str = "usage: compact_trust_list [--demo] [--name NAME] [--generated RFC3339] \
    [--pinned-key FILE]... [--require-signed] [--allow-import] [--allow-unsigned-import] \
    [--allow-policy-change] [--policy-out FILE] --out FILE INPUT...";

fn parse(mut args: impl Iterator<Item = String>) -> Option<Options> {
    let mut options = Options::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--demo" => options.demo = true,
            "--name" => options.name = Some(args.next()?),
            "--generated" => options.generated = args.next()?,
            "--out" => options.out = Some(args.next()?),
            "--policy-out" => options.policy_out = Some(args.next()?),
            "--pinned-key" => options.pinned_key_files.push(args.next()?),
            "--require-signed" => options.require_signed = true,
            "--allow-import" => options.allow_import = true,
            "--allow-unsigned-import" => options.allow_unsigned_import = true,
            "--allow-policy-change" => options.allow_policy_change = true,
            flag if flag.starts_with("--") => return None,
            _ => options.inputs.push(arg),
        }
    }
    (options.out.is_some() && !options.inputs.is_empty()).then_some(options)
}

fn main() -> ExitCode {
    let Some(options) = parse(std::env::args().skip(1)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let production = !options.demo;
    let mut pinned = PinnedKeys::new();
    for path in &options.pinned_key_files {
        let bytes = std::fs::read(path).map_err(|error| format!("{path}: {error}"))?;
        pinned
            .add(&bytes)
            .map_err(|error| format!("--pinned-key {path}: {error}"))?;
    }
    if production {
        let demo = pinned.demo_fingerprints();
        if !demo.is_empty() {
            let named: Vec<String> = demo.iter().map(fingerprint_hex).collect();
            return Err(format!(
                "a production build refuses demo keys: the pinned keys with SHA-256 {} belong to \
                 the project's test issuer, whose private keys are public",
                named.join(", ")
            ));
        }
    }
    if options.require_signed && pinned.is_empty() {
        return Err("--require-signed needs at least one --pinned-key".to_owned());
    }

    let mut merged = TrustList::new();
    for input in &options.inputs {
        let bytes = std::fs::read(input).map_err(|error| format!("{input}: {error}"))?;
        let (list, authentication) = TrustList::from_bytes_authenticated(&bytes, &pinned)
            .map_err(|error| format!("{input}: {error}"))?;
        let how = match authentication {
            Authentication::Signed => "signed by a pinned key",
            Authentication::SignatureNotChecked => "signed, but no pinned key checks it",
            Authentication::Unsigned => "not signed",
        };
        if options.require_signed && !authentication.is_signed() {
            return Err(format!(
                "{input}: {} ({how})",
                dcc_verifier::Error::TrustListUnsigned
            ));
        }
        eprintln!(
            "{input}: {} keys, {} entries skipped; {how}",
            list.len(),
            list.skipped().len()
        );
        for skipped in list.skipped().iter().take(5) {
            eprintln!("  skipped {}: {}", skipped.entry, skipped.reason);
        }
        merged.merge(list);
    }
    if production {
        refuse_demo_keys(&merged)?;
    }

    let name = options
        .name
        .clone()
        .unwrap_or_else(|| "Trust list".to_owned());
    let compact = merged.to_compact_json(&name, &options.generated, options.demo);
    let out = options.out.as_deref().unwrap_or_default();
    std::fs::write(out, &compact).map_err(|error| format!("{out}: {error}"))?;
    eprintln!(
        "{out}: {} keys of {} countries, {} bytes",
        merged.len(),
        merged.countries().len(),
        compact.len()
    );
    if let Some(policy_out) = &options.policy_out {
        let policy = policy_json(options, &pinned);
        std::fs::write(policy_out, policy).map_err(|error| format!("{policy_out}: {error}"))?;
        eprintln!("{policy_out}: the page's trust policy");
    }
    Ok(())
}

/// Stops a production build that would trust a key of the project's test issuer, naming each.
fn refuse_demo_keys(list: &TrustList) -> Result<(), String> {
    let demo: Vec<String> = list
        .dscs()
        .iter()
        .filter(|dsc| dsc.demo)
        .map(|dsc| {
            format!(
                "  kid {} ({}; key SHA-256 {})",
                STANDARD.encode(&dsc.kid),
                dsc.subject.as_deref().unwrap_or("no subject"),
                fingerprint_hex(&fingerprint(&dsc.key))
            )
        })
        .collect();
    if demo.is_empty() {
        return Ok(());
    }
    Err(format!(
        "a production build refuses demo keys: {} of the keys are the project's test issuer's \
         (their private keys are public, anyone can sign with them):\n{}\n\
         Build without --trust for the demo page, or remove these keys from the list.",
        demo.len(),
        demo.join("\n")
    ))
}

/// The page's trust policy (`www/trust/policy.json`): whether this is a production build, which
/// operator actions it allows (`www/js/policy.js` `operatorAllowed`), the pinned keys (base64
/// SPKI DER) and the build time. A demo build allows every action; a production build only those
/// its flags name. Revocation import follows unsigned import: a revocation file carries no
/// signature the page checks.
fn policy_json(options: &Options, pinned: &PinnedKeys) -> String {
    let keys: Vec<String> = pinned
        .spki_ders()
        .iter()
        .map(|der| STANDARD.encode(der))
        .collect();
    let built = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(0));
    let policy = serde_json::json!({
        "production": !options.demo,
        "allowImport": options.demo || options.allow_import,
        "allowUnsignedImport": options.demo || options.allow_unsigned_import,
        "allowPolicyChange": options.demo || options.allow_policy_change,
        "allowRevocationImport": options.demo
            || (options.allow_import && options.allow_unsigned_import),
        "pinnedKeys": keys,
        "built": dcc_verifier::time::format_datetime(built),
    });
    format!("{policy:#}\n")
}
