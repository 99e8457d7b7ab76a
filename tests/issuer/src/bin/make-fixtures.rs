//! Writes the committed test fixtures: `make-fixtures [OUT_DIR]` (default `tests/fixtures` of
//! the workspace). Running it twice gives identical files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    // tests/issuer/../fixtures, written without the `..`.
    let default_dir = || {
        let issuer = Path::new(env!("CARGO_MANIFEST_DIR"));
        issuer.parent().unwrap_or(issuer).join("fixtures")
    };
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(default_dir);
    let set = dcc_test_issuer::fixtures::build();
    match set.write(&out) {
        Ok(()) => {
            println!(
                "wrote {} files ({} bytes) to {}",
                set.paths().count(),
                set.total_bytes(),
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("make-fixtures: cannot write {}: {error}", out.display());
            ExitCode::FAILURE
        }
    }
}
