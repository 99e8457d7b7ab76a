//! Demo keys: every signing key whose private half anyone can derive, because the project's test
//! issuer (`tests/issuer`) makes it from a public seed. A certificate signed by one is a demo,
//! never a real certificate, whatever list or format carried the key: the verifier knows them by
//! the SHA-256 of their SubjectPublicKeyInfo, and [`crate::TrustList::push`] marks them.
//!
//! `tests/demo_keys.rs` builds the issuer's fixtures and fails when a key it made is missing
//! here, so a new issuer key cannot be forgotten.

use super::keys::public_key_to_spki;
use crate::crypto::{sha256, PublicKey};

/// SHA-256 of the DER SubjectPublicKeyInfo of every key the test issuer derives for the committed
/// fixtures and the demo set, sorted. Regenerate with
/// `cargo test --test demo_keys -- --nocapture` (it prints the list when it differs).
pub const DEMO_KEY_FINGERPRINTS: [[u8; 32]; 23] = [
    hex32("0ef573853c53049fed248a4cc7da8f3dc7cb97235e4420a92cb780ae22cffdf0"),
    hex32("164b4e5bd0326a1e4cd0470d87e49d1f35b8818a6eaa134e8153295d95ef70bc"),
    hex32("1ea1630fe2a29c95a388f1d3c5c3d3836ca0ba6c37ad4cf06cb6733e91aaee05"),
    hex32("27e861d079a5dc3e9a0ba7fb14ed46008bed51a57097e4a30483ca0ca19f3cb2"),
    hex32("3cbde79a327dda6512cd5c50f4316ae4776930f7b03bdc0e9c41cef0b50750fb"),
    hex32("51f7099a6496988ad20bbfedc4c84ef842ae1ff8a6fb87d223884d31dd4921fd"),
    hex32("527dcc38d80dd5cc5e77f37f6db34321dc1196192d7b313a9c3087d50f91f94e"),
    hex32("6722a6434e236c3ddcc0f38f370e9cc741b02f0b7d44a0bbd92874fd7ad5c1fd"),
    hex32("75d08d877ecc0e93b307a2166c66fc7b2f5d0f5fcd6804d57b58d97b3ba78aba"),
    hex32("a27b5189686dcb630433c6d2a1c3b574d86244332697cbfda7e92538810f7a55"),
    hex32("a75a6b4a7c9bcad0933cf86611c3e5218fbe6d227ab6a342ba62156bba819568"),
    hex32("b154b2e8a074f3de7b63b1b821c06a6dfabc0d6e0ca8578e019af09e164a35bc"),
    hex32("b32288684ac26f050024f5228269c2361e8b9c825ae7c0b64347f78b0d661b26"),
    hex32("b5567a6771d2b5805b8d19eb02d6ddba58821f293cdbef81b1824279da01bbe6"),
    hex32("b5b3b26024d87d46008ca2379392809a699b4cc84cc58f4ed291309cd2c248e7"),
    hex32("d8d3659ae6f055cb6edc5ec888069bd2736922b46c86fe4d2591186e265bcbda"),
    hex32("da70a069518c16c4d831835d0ad6d900b42558d0432b578d1966d4c26e7f394b"),
    hex32("e4da6b3ec78cf07c3997cb87283a4199dd3dc4fcc5aaffa6523860a1c78cf914"),
    hex32("e6e917de65f99f927650230e8771c724e82f9787af0af2e113c710f5d1a9217c"),
    hex32("e81705578cf1054afe6a09ca9937bb10bd345578afd81707ca74f58bacccf27f"),
    hex32("f0aa8cfc4fbbee115cd895b9027e1958320347b8f8f2cbdf032964dbec12132a"),
    hex32("f83ecf9f0d5152d6ce6c8abdc99abb0a1893bdd6c01d623bacab95cb5bc23fb0"),
    hex32("fe31cca1b869cab2585233d69d2d08e5ca0b15ba20a0ca8e28b711cc83d04eb7"),
];

/// 64 hex digits as 32 bytes, at compile time (a bad digit fails the build).
const fn hex32(text: &str) -> [u8; 32] {
    const fn digit(byte: u8) -> u8 {
        match byte {
            b'0'..=b'9' => byte - b'0',
            b'a'..=b'f' => byte - b'a' + 10,
            _ => panic!("a demo key fingerprint is lower-case hex"),
        }
    }
    let text = text.as_bytes();
    assert!(text.len() == 64, "a demo key fingerprint has 64 hex digits");
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = digit(text[2 * i]) << 4 | digit(text[2 * i + 1]);
        i += 1;
    }
    out
}

/// SHA-256 of the key's DER SubjectPublicKeyInfo, in the canonical encoding (uncompressed EC
/// point, `rsaEncryption` with NULL parameters), whatever form the list gave the key in.
pub fn fingerprint(key: &PublicKey) -> [u8; 32] {
    sha256(&public_key_to_spki(key))
}

/// Whether `key` is one of the test issuer's keys ([`DEMO_KEY_FINGERPRINTS`]).
pub fn is_demo_key(key: &PublicKey) -> bool {
    DEMO_KEY_FINGERPRINTS
        .binary_search(&fingerprint(key))
        .is_ok()
}

/// Hex digits of a fingerprint, for messages.
pub fn fingerprint_hex(fingerprint: &[u8; 32]) -> String {
    fingerprint
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_without_duplicates() {
        assert!(DEMO_KEY_FINGERPRINTS.windows(2).all(|w| w[0] < w[1]));
    }
}
