//! Writes the seed corpus of every fuzz target into `<out>/<target>/` (default `fuzz/corpus`),
//! from the fixtures of the project's test issuer (`tests/fixtures`):
//!
//! - `verify_text`: each certificate's QR text;
//! - `verify_compressed`: what the base45 of each carries (zlib data, or bare COSE);
//! - `decode_cose`: each COSE_Sign1, and each CWT claims structure inside one;
//! - `trust_list`, `trust_list_pinned`: every trust-list file (the pinned target's selector byte
//!   first: 0 = the list, 1 = the pinned key);
//! - `dsc_der`: every DSC, DER;
//! - `qr_image_file`: every QR PNG, and the JPEGs of `fuzz/seeds/jpeg`;
//! - `qr_luma`: the small ones decoded to greyscale, in `qr_luma`'s input layout;
//! - `revocation_list`: the issuer's revocation batches, as JSON and in the compact form;
//! - `certlogic`: the CertLogic expression of every rule of the built-in policies.
//!
//! Seeds are named by content, so running it again adds nothing twice.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use dcc_verifier::decode::{base45, cose, inflate, prefix};
use dcc_verifier::qr::load_image_file;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fixtures = root.join("tests/fixtures");
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("fuzz/corpus"));
    let mut seeds = Seeds { out, written: 0 };

    for path in files(&fixtures.join("certs"), "txt")
        .into_iter()
        .chain(files(&fixtures.join("demo"), "txt"))
    {
        let text = fs::read_to_string(&path).expect("fixture text");
        seeds.add("verify_text", text.as_bytes());
        let Ok(compressed) = prefix::strip(&text).and_then(base45::decode) else {
            continue;
        };
        seeds.add("verify_compressed", &compressed);
        let Ok((cose_bytes, _)) = inflate::inflate(&compressed) else {
            continue;
        };
        seeds.add("decode_cose", &cose_bytes);
        if let Ok(sign1) = cose::parse(&cose_bytes) {
            seeds.add("decode_cose", &sign1.payload);
        }
    }

    let trust = fixtures.join("trust");
    for path in files(&trust, "json")
        .into_iter()
        .chain(files(&trust, "pem"))
        .chain(files(&fixtures.join("demo"), "json"))
    {
        let bytes = fs::read(&path).expect("fixture trust list");
        seeds.add("trust_list", &bytes);
        seeds.add("trust_list_pinned", &[&[0u8][..], &bytes].concat());
    }
    let pinned = fs::read(trust.join("dsc_list.signer.pem")).expect("pinned key");
    seeds.add("trust_list_pinned", &[&[1u8][..], &pinned].concat());

    for path in files(&fixtures.join("revocation"), "json") {
        let bytes = fs::read(&path).expect("fixture revocation batches");
        if let Ok(list) = dcc_verifier::RevocationList::from_bytes(&bytes) {
            seeds.add("revocation_list", &bytes);
            let compact = dcc_verifier::revocation::compact::write(&list.to_batches());
            seeds.add("revocation_list", &compact);
        }
    }

    for path in files(&trust.join("dsc"), "der") {
        let der = fs::read(&path).expect("fixture DSC");
        seeds.add("dsc_der", &der);
        seeds.add("trust_list", &der);
    }

    // The JPEGs in fuzz/seeds/jpeg were made from tests/fixtures/qr/es256_vaccination_small.png
    // (grey, progressive colour, tiny): the fixtures hold no JPEG.
    let jpegs = files(&root.join("fuzz/seeds/jpeg"), "jpg");
    for path in files(&fixtures.join("qr"), "png")
        .into_iter()
        .chain(files(&fixtures.join("demo"), "png"))
        .chain(jpegs)
    {
        let file = fs::read(&path).expect("fixture image");
        seeds.add("qr_image_file", &file);
        if let Ok(image) = load_image_file(&file) {
            // qr_luma's layout: width - 1 (u16, little-endian), then the pixels. Only small
            // images: one search of a 300-pixel image takes a tenth of a second under the
            // sanitizer, and the fuzzer would spend its time there.
            if let (Ok(width), true) = (
                u16::try_from(image.width - 1),
                image.pixels.len() <= QR_LUMA_MAX_PIXELS,
            ) {
                seeds.add(
                    "qr_luma",
                    &[&width.to_le_bytes()[..], &image.pixels].concat(),
                );
            }
        }
    }
    for policy in dcc_verifier::rules::policies::POLICIES {
        for rule in policy.rules().rules() {
            seeds.add("certlogic", rule.logic.to_string().as_bytes());
        }
    }
    println!("{} seed files in {}", seeds.written, seeds.out.display());
}

/// Largest image written as a `qr_luma` seed, in pixels (the 150×150 fixture fits).
const QR_LUMA_MAX_PIXELS: usize = 160 * 160;

struct Seeds {
    out: PathBuf,
    written: usize,
}

impl Seeds {
    fn add(&mut self, target: &str, bytes: &[u8]) {
        let dir = self.out.join(target);
        fs::create_dir_all(&dir).expect("corpus directory");
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        let path = dir.join(format!("seed-{:016x}", hasher.finish()));
        if !path.exists() {
            fs::write(&path, bytes).expect("seed written");
            self.written += 1;
        }
    }
}

/// The files of `dir` ending in `.ext`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    found.retain(|path| path.extension().is_some_and(|e| e == ext));
    found.sort();
    found
}
