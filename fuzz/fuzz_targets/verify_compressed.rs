//! The whole pipeline from text, with the `HC1:` + base45 wrapping done here: mutations then land
//! in the zlib stream and the COSE structure behind it, which random text rarely reaches.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = format!("HC1:{}", base45_encode(data));
    let report = dcc_verifier::verify(&text, &common::TRUST, common::NOW);
    common::check_report(&report, common::Entry::Text);
});

/// RFC 9285 base45 (a few lines; the verifier only decodes it).
fn base45_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let digit = |value: usize| char::from(ALPHABET[value % 45]);
    let mut out = String::with_capacity(data.len() * 3 / 2 + 2);
    for pair in data.chunks(2) {
        match *pair {
            [a, b] => {
                let value = usize::from(a) * 256 + usize::from(b);
                out.extend([digit(value), digit(value / 45), digit(value / 2025)]);
            }
            [a] => {
                let value = usize::from(a);
                out.extend([digit(value), digit(value / 45)]);
            }
            _ => {}
        }
    }
    out
}
