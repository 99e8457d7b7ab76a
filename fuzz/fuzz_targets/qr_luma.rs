//! The QR decoder on arbitrary greyscale images. Input: width (2 bytes, little-endian, taken
//! modulo MAX_FUZZ_SIDE, plus one), then the pixels row by row; the height is what the pixels
//! fill, the last row padded with white.
#![no_main]

use dcc_verifier::qr::{decode_luma, LumaImage};
use libfuzzer_sys::fuzz_target;

/// Widest image built here: wide enough for the fixture QR codes (308 pixels), small enough that
/// one decode stays in milliseconds.
const MAX_FUZZ_SIDE: usize = 512;

fuzz_target!(|data: &[u8]| {
    let Some((header, pixels)) = data.split_first_chunk::<2>() else {
        return;
    };
    let width = usize::from(u16::from_le_bytes(*header)) % MAX_FUZZ_SIDE + 1;
    let height = pixels.len().div_ceil(width).max(1);
    let mut pixels = pixels.to_vec();
    pixels.resize(width * height, 255);
    let image = LumaImage {
        width: width as u32,
        height: height as u32,
        pixels,
    };
    // Any answer is fine; a panic, a hang or a runaway allocation is not.
    let _ = decode_luma(&image);
});
