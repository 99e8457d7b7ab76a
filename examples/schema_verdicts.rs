//! The schema check's verdicts for a batch of payloads, for `scripts/schema-oracle`, which
//! compares them with python-jsonschema's.
//!
//! Reads one payload JSON per line on stdin; writes one JSON line per payload:
//! `{"valid": bool, "schema_valid": bool, "own_rules": ["one_group", …], "warnings": ["date_with_time", …]}`.
//! `schema_valid` is the verdict of the schema's rules alone (what the EU's validation decides);
//! `valid` adds this verifier's own rules. A line that is not JSON gets `{"error": "…"}`.
//!
//! ```sh
//! echo '{"ver":"1.3.0","nam":{"fnt":"A"},"dob":"","v":[]}' | cargo run --example schema_verdicts
//! ```

use std::io::{self, BufRead, BufWriter, Write};

use dcc_verifier::dcc::schema;
use serde_json::{json, Value};

fn main() -> io::Result<()> {
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        let verdict = match serde_json::from_str::<Value>(&line) {
            Ok(payload) => {
                let found = schema::check(&payload);
                json!({
                    "valid": found.passed(),
                    "schema_valid": found.schema_failures == 0,
                    "own_rules": found.own_rules.iter().map(|rule| rule.as_str()).collect::<Vec<_>>(),
                    "warnings": found.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
                })
            }
            Err(error) => json!({ "error": error.to_string() }),
        };
        writeln!(out, "{verdict}")?;
    }
    out.flush()
}
