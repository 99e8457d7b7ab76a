//! Converts trust lists (any supported format) to the compact form the web page loads:
//! `cargo run --release --example compact_trust_list -- [--demo] [--name NAME] [--generated RFC3339] --out FILE INPUT...`
//!
//! The German list of 832 keys is a 4 MB JSON of whole certificates; the page needs only kid,
//! country, public key, validity and key usage.

use std::process::ExitCode;

use dcc_verifier::TrustList;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut demo, mut name, mut generated, mut out, mut inputs) = (
        false,
        String::from("Trust list"),
        String::new(),
        None,
        Vec::new(),
    );
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--demo" => demo = true,
            "--name" => name = args.next().unwrap_or_default(),
            "--generated" => generated = args.next().unwrap_or_default(),
            "--out" => out = args.next(),
            _ => inputs.push(arg),
        }
    }
    let Some(out) = out.filter(|_| !inputs.is_empty()) else {
        eprintln!("usage: compact_trust_list [--demo] [--name NAME] [--generated RFC3339] --out FILE INPUT...");
        return ExitCode::from(2);
    };
    let mut merged = TrustList::new();
    for input in &inputs {
        let loaded = std::fs::read(input)
            .map_err(|error| error.to_string())
            .and_then(|bytes| TrustList::from_bytes(&bytes).map_err(|error| error.to_string()));
        match loaded {
            Ok(list) => {
                eprintln!(
                    "{input}: {} keys, {} entries skipped",
                    list.len(),
                    list.skipped().len()
                );
                for skipped in list.skipped().iter().take(5) {
                    eprintln!("  skipped {}: {}", skipped.entry, skipped.reason);
                }
                merged.merge(list);
            }
            Err(error) => {
                eprintln!("{input}: {error}");
                return ExitCode::from(1);
            }
        }
    }
    let compact = merged.to_compact_json(&name, &generated, demo);
    if let Err(error) = std::fs::write(&out, &compact) {
        eprintln!("{out}: {error}");
        return ExitCode::from(1);
    }
    eprintln!(
        "{out}: {} keys of {} countries, {} bytes",
        merged.len(),
        merged.countries().len(),
        compact.len()
    );
    ExitCode::SUCCESS
}
