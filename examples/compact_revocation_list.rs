//! Converts revocation batches (gateway JSON or compact) to the compact form the web page
//! loads: `cargo run --release --example compact_revocation_list -- --out FILE [INPUT...]`
//! (`scripts/build-web --revocation` runs it). Without an input it writes an empty list.
//!
//! Gateway JSON spends about 35 bytes on an entry; the compact form 8 (the first 8 bytes of
//! each hash, which is enough: `dcc_verifier::revocation`'s note on truncation).

use std::process::ExitCode;

use dcc_verifier::revocation::compact;
use dcc_verifier::RevocationList;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut out, mut inputs) = (None, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next(),
            _ => inputs.push(arg),
        }
    }
    let Some(out) = out else {
        eprintln!("usage: compact_revocation_list --out FILE [INPUT...]");
        return ExitCode::from(2);
    };
    let mut batches = Vec::new();
    for input in &inputs {
        let loaded = std::fs::read(input)
            .map_err(|error| error.to_string())
            .and_then(|bytes| RevocationList::from_bytes(&bytes).map_err(|e| e.to_string()));
        match loaded {
            Ok(list) => {
                eprintln!(
                    "{input}: {} batches, {} entries, countries {}",
                    list.batches().len(),
                    list.len(),
                    list.countries().join(" ")
                );
                batches.extend(list.to_batches());
            }
            Err(error) => {
                eprintln!("{input}: {error}");
                return ExitCode::from(1);
            }
        }
    }
    let merged = RevocationList::from_batches(batches);
    let bytes = compact::write(&merged.to_batches());
    if let Err(error) = std::fs::write(&out, &bytes) {
        eprintln!("{out}: {error}");
        return ExitCode::from(1);
    }
    eprintln!(
        "{out}: {} bytes, {} entries ({:.2} bytes per entry)",
        bytes.len(),
        merged.len(),
        bytes.len() as f64 / merged.len().max(1) as f64
    );
    ExitCode::SUCCESS
}
