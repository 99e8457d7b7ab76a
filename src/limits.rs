//! Every resource bound of the verifier, in one place.
//!
//! A verifier reads codes that strangers hand it: each input is bounded before any work that
//! grows with it. The numbers are generous for real data and small for a phone.

/// Longest QR text accepted, in bytes. A version-40 QR code holds at most 4,296 alphanumeric
/// characters; the margin allows pasted whitespace.
pub const MAX_QR_TEXT_LEN: usize = 8 * 1024;

/// Largest decompressed CWT, in bytes. Real certificates are under 2 KiB; 64 KiB leaves room
/// for long multi-entry payloads while a zlib bomb stops at a few dozen KiB.
pub const MAX_INFLATED_LEN: usize = 64 * 1024;

/// Deepest CBOR nesting accepted in the payload. A DCC payload nests four levels
/// (hcert → 1 → v → entry); 16 leaves room for unknown extensions.
pub const MAX_CBOR_DEPTH: usize = 16;

/// Most items (map entries plus array elements, summed over the whole payload). A DCC payload
/// has a few dozen.
pub const MAX_CBOR_ITEMS: usize = 4096;

/// Most broken schema rules reported for one payload. A real certificate breaks a handful at
/// most; past this the list is noise to a clerk, and a hostile payload could make it grow with
/// every entry it repeats.
pub const MAX_SCHEMA_MESSAGES: usize = 32;

/// Largest trust-list file, in bytes. The 832-key German list is about 4 MiB.
pub const MAX_TRUST_LIST_LEN: usize = 32 * 1024 * 1024;

/// Most entries in one trust list (the largest real list has under 1,000).
pub const MAX_TRUST_LIST_ENTRIES: usize = 20_000;

/// Largest single certificate or key in a trust list, in bytes (DER). Real DSCs are 0.5–2 KiB
/// (one with a 4096-bit RSA key about 1.4 KiB); 16 KiB leaves room for long extension lists.
pub const MAX_TRUST_ENTRY_LEN: usize = 16 * 1024;

/// Most P-256 signing keys that keep a table of their multiples at one time (about 19 KiB
/// each, so at most about 1.2 MiB). A key gets one on its second use, which makes its later
/// verifications 3–4 times faster; a venue sees a few dozen keys, while a 1,000-key list with a
/// table each would hold 19 MiB on a phone. Keys past the bound verify the plain way.
pub const MAX_KEY_TABLES: usize = 64;

/// Smallest RSA modulus accepted, in bits. 1024-bit keys are weak, but a few real issuers
/// signed with them, and their certificates must still be read.
pub const MIN_RSA_BITS: usize = 1024;

/// Largest RSA modulus accepted, in bits. Larger keys would let a hostile trust list make
/// every verification slow.
pub const MAX_RSA_BITS: usize = 4096;

/// Largest image accepted for QR decoding, in pixels (width × height): a 24-megapixel photo.
pub const MAX_IMAGE_PIXELS: u64 = 24_000_000;

/// Largest side of an image accepted for QR decoding, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// Larger frames are shrunk to at most this many pixels before the QR search, whose time grows
/// with the pixel count. About a 1920×1080 frame (2.07 MP): a phone photo of a certificate
/// shrinks by 2–3 and its code keeps modules several pixels wide.
pub const MAX_DECODE_PIXELS: u64 = 2_100_000;

/// Most finder patterns (the three nested squares in a QR code's corners) collected per QR
/// search. Real images show fewer than a dozen; each new candidate is compared with all found
/// so far, so an image tiled with thousands of them would make the search quadratic.
pub const MAX_QR_FINDER_PATTERNS: usize = 100;

/// Most finder-pattern triples tried per QR search. Real images yield fewer than ten (the code
/// is among the first eight); an image tiled with finder-like squares yields tens of
/// thousands, each costing a sampling and an error-correction pass.
pub const MAX_QR_FINDER_TRIPLES: usize = 64;

/// Most finder-pattern candidates for which the second QR detector (ZXing's) still runs: its
/// search is cubic in them. Real images show a few dozen (a blurred, noisy 1280×720 frame up
/// to 250); 500 keep the search within milliseconds, where a crafted image with 3,000 held it
/// for seconds.
pub const MAX_QR_ZXING_CANDIDATES: usize = 500;

/// Largest revocation file (gateway JSON or compact), in bytes. A gateway entry takes about 35
/// bytes of JSON, so a list at [`MAX_REVOCATION_ENTRIES`] fits; the compact form takes 8.
pub const MAX_REVOCATION_FILE_LEN: usize = 64 * 1024 * 1024;

/// Most revocation entries in one list, over all its batches. The EU gateway held a few hundred
/// thousand at its peak; the store keeps 12 bytes each in memory (12 MB at the bound), which a
/// phone can hold.
pub const MAX_REVOCATION_ENTRIES: usize = 1_000_000;

/// Most revocation batches in one list. The gateway cuts batches at 1,000 entries, so real
/// lists have a few hundred to a few thousand; a hostile one of empty batches stops here.
pub const MAX_REVOCATION_BATCHES: usize = 100_000;

/// Longest kid in a revocation batch, in bytes. DCC kids are 8 bytes.
pub const MAX_REVOCATION_KID_LEN: usize = 64;

/// Deepest nesting of a CertLogic expression evaluated or validated. Real rules nest about 12
/// levels; serde_json stops parsing at 128 anyway.
pub const MAX_RULE_DEPTH: usize = 64;

/// Most evaluation steps (operations and literals visited) for one rule on one certificate. The
/// largest published rule takes a few hundred; a `reduce` nested in a `reduce` over long lists
/// stops here instead of running for minutes.
pub const MAX_RULE_STEPS: usize = 100_000;

/// Longest array in a CertLogic expression or reduced over (real value sets hold a few hundred
/// codes).
pub const MAX_RULE_ARRAY_LEN: usize = 10_000;

/// Largest rules or value-set file, in bytes (the 292 rule versions of the 2023 gateway
/// snapshot take 1.6 MB as files).
pub const MAX_RULES_FILE_LEN: usize = 16 * 1024 * 1024;

/// Most rule versions in one rule set (the last gateway snapshot held 292).
pub const MAX_RULES: usize = 10_000;

/// Longest SMART Health Card text read (all its QR parts together), in bytes: a card fits one
/// QR code (1,195 JWS characters, 2,390 digits), or at most a few in the deprecated chunked form.
pub const MAX_SHC_TEXT_LEN: usize = 16 * 1024;

/// Most parts a chunked SMART Health Card may have.
pub const MAX_SHC_CHUNKS: usize = 8;

/// Most revocation ids read from one SMART Health Card revocation list.
pub const MAX_SHC_REVOKED_IDS: usize = 1_000_000;

/// Longest VDS-NC seal (its JSON text) read, in bytes: a seal must fit one QR code.
pub const MAX_VDS_NC_LEN: usize = 8 * 1024;

/// Deepest JSON nesting of a VDS-NC seal or a SMART Health Card payload (their real depth is
/// about 8): deeper input is refused before canonicalisation recurses into it.
pub const MAX_FORMAT_JSON_DEPTH: usize = 32;
