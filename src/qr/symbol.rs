//! From a sampled grid of modules to the code's text: format information, codewords, error
//! correction, bit stream.
//!
//! As rxing's `qrcode::cpp_port::decoder::Decode` (a port of zxing-cpp; Apache-2.0), whose
//! codeword reading (`ReadFormatInformation`, `ReadQRCodewords`) is ported here because rxing
//! keeps it private, so that the blocks go through our own [`super::reed_solomon`] (see there
//! for why). Format information, the version's layout, the de-interleaving of the blocks and the
//! bit-stream decoding stay rxing's. Only QR Model 2 symbols, the ones every certificate
//! issuer prints, take this path; anything else (Model 1, Micro QR, rMQR) goes to rxing's
//! `Decode` as before.

use rxing::common::BitMatrix;
use rxing::qrcode::common::{FormatInformation, Version};
use rxing::qrcode::cpp_port::decoder::{Decode, DecodeBitStream};
use rxing::qrcode::cpp_port::Type;
use rxing::qrcode::decoder::DataBlock;

use super::reed_solomon;

/// The text of the QR code whose modules `grid` holds (one bit per module, black set), if it
/// reads and its error correction succeeds.
pub(crate) fn read(grid: &BitMatrix) -> Option<String> {
    let (width, height) = (grid.getWidth(), grid.getHeight());
    let is_model_2_size = width == height && (21..=177).contains(&width) && (width - 17) % 4 == 0;
    if !is_model_2_size {
        return read_with_rxing(grid);
    }
    let format = format_information(grid);
    if format.qr_type() != Type::Model2 {
        return read_with_rxing(grid);
    }
    let version = Version::Model2((width - 17) / 4).ok()?;
    let codewords = codewords(grid, version, &format)?;
    let level = format.error_correction_level;
    let blocks = DataBlock::getDataBlocks(&codewords, version, level).ok()?;
    let mut data = Vec::with_capacity(version.getTotalCodewords() as usize);
    for block in &blocks {
        let mut block_codewords = block.getCodewords().to_vec();
        let data_codewords = block.getNumDataCodewords() as usize;
        let ec_codewords = block_codewords.len().checked_sub(data_codewords)?;
        reed_solomon::correct(&mut block_codewords, ec_codewords).ok()?;
        data.extend_from_slice(block_codewords.get(..data_codewords)?);
    }
    let decoded = DecodeBitStream(&data, version, level).ok()?;
    decoded.isValid().then(|| decoded.text())
}

fn read_with_rxing(grid: &BitMatrix) -> Option<String> {
    let decoded = Decode(grid).ok()?;
    decoded.isValid().then(|| decoded.text())
}

/// The format information (error-correction level, mask, mirroring) from both of its copies,
/// as zxing-cpp's `ReadFormatInformation` for QR codes.
fn format_information(grid: &BitMatrix) -> FormatInformation {
    let mut near_top_left = 0;
    let append = |bits: &mut u32, x: u32, y: u32| *bits = (*bits << 1) | u32::from(grid.get(x, y));
    for x in 0..6 {
        append(&mut near_top_left, x, 8);
    }
    // The timing pattern's module at (6, 8) and (8, 6) is skipped.
    append(&mut near_top_left, 7, 8);
    append(&mut near_top_left, 8, 8);
    append(&mut near_top_left, 8, 7);
    for y in (0..=5).rev() {
        append(&mut near_top_left, 8, y);
    }
    // Top right and bottom left, with the dark module, which `DecodeQR` masks out.
    let dimension = grid.getHeight();
    let mut beside_other_finders = 0;
    for y in (dimension - 8..dimension).rev() {
        append(&mut beside_other_finders, 8, y);
    }
    for x in dimension - 8..dimension {
        append(&mut beside_other_finders, x, 8);
    }
    FormatInformation::DecodeQR(near_top_left, beside_other_finders)
}

/// The codewords in reading order (ISO/IEC 18004 §7.7.3: two-module columns from the right,
/// up and down in turn, skipping function patterns), unmasked: zxing-cpp's `ReadQRCodewords`.
fn codewords(grid: &BitMatrix, version: &Version, format: &FormatInformation) -> Option<Vec<u8>> {
    let function_pattern = version.buildFunctionPattern().ok()?;
    let total = version.getTotalCodewords() as usize;
    let mut codewords = Vec::with_capacity(total);
    let dimension = grid.getHeight();
    let mask = format.data_mask;
    let mut byte = 0u8;
    let mut bits = 0;
    let mut upwards = true;
    let mut right = dimension - 1;
    while right > 0 {
        // The vertical timing pattern's column is skipped as a whole.
        if right == 6 {
            right -= 1;
        }
        for row in 0..dimension {
            let y = if upwards { dimension - 1 - row } else { row };
            for x in [right, right - 1] {
                if function_pattern.get(x, y) {
                    continue;
                }
                let dark = if format.isMirrored {
                    grid.get(y, x)
                } else {
                    grid.get(x, y)
                };
                byte = (byte << 1) | u8::from(dark != is_masked(mask, x, y));
                bits += 1;
                if bits == 8 {
                    codewords.push(byte);
                    (byte, bits) = (0, 0);
                }
            }
        }
        upwards = !upwards;
        right = right.saturating_sub(2);
    }
    (codewords.len() == total).then_some(codewords)
}

/// Whether data mask `mask` (ISO/IEC 18004 Table 10) flips the module at column `x`, row `y`.
fn is_masked(mask: u8, x: u32, y: u32) -> bool {
    match mask {
        0 => (y + x).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (y + x).is_multiple_of(3),
        4 => (y / 2 + x / 3).is_multiple_of(2),
        5 => (y * x).is_multiple_of(6),
        6 => (y * x) % 6 < 3,
        _ => (y + x + (y * x) % 3).is_multiple_of(2),
    }
}

// rxing's encoder, which draws the test codes, is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::qr::test_random::XorShift64;
    use rxing::qrcode::QRCodeWriter;
    use rxing::{BarcodeFormat, EncodeHints, Writer};

    /// `text` as a grid of modules (no quiet zone), as the sampler hands it over.
    fn grid(text: &str, level: &str, version: u32, mask: u32) -> BitMatrix {
        let hints = EncodeHints {
            ErrorCorrection: Some(level.to_owned()),
            Margin: Some("0".to_owned()),
            QrVersion: Some(version.to_string()),
            QrMaskPattern: Some(mask.to_string()),
            ..EncodeHints::default()
        };
        QRCodeWriter
            .encode_with_hints(text, &BarcodeFormat::QR_CODE, 0, 0, &hints)
            .unwrap()
    }

    /// Its modules transposed: a code seen from the back (a mirrored camera, a transparency).
    fn mirrored(grid: &BitMatrix) -> BitMatrix {
        let side = grid.getWidth();
        let mut flipped = BitMatrix::with_single_dimension(side).unwrap();
        for y in 0..side {
            for x in 0..side {
                if grid.get(x, y) {
                    flipped.set(y, x);
                }
            }
        }
        flipped
    }

    /// A text that fills most of `version` at level H (byte mode), so that every level fits.
    fn text_of_version(version: u32) -> String {
        let length = match version {
            1 => 7,
            2 => 14,
            4 => 30,
            5 => 40,
            7 => 60,
            10 => 110,
            12 => 140,
            _ => 500,
        };
        "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N"
            .chars()
            .chain("abcdefghij".chars().cycle())
            .take(length)
            .collect()
    }

    /// Every mask, every error-correction level, versions with one block and with blocks of
    /// two lengths (5-Q, 10-M, 25-H), with its version-information area (7 and up), read
    /// upright and mirrored.
    #[test]
    fn reads_what_rxing_wrote() {
        for version in [1, 2, 5, 7, 10, 25] {
            let text = text_of_version(version);
            for level in ["L", "M", "Q", "H"] {
                for mask in 0..8 {
                    let bits = grid(&text, level, version, mask);
                    assert_eq!(
                        read(&bits).as_deref(),
                        Some(text.as_str()),
                        "{version}-{level} mask {mask}"
                    );
                    assert_eq!(
                        read(&mirrored(&bits)).as_deref(),
                        Some(text.as_str()),
                        "{version}-{level} mask {mask}, mirrored"
                    );
                }
            }
        }
    }

    /// Grids with modules flipped at random, from a few to far beyond what error correction
    /// corrects: the same outcome as rxing's `Decode`, which this replaces.
    #[test]
    fn damaged_grids_read_as_rxing_reads_them() {
        let mut random = XorShift64(0x2545_F491_4F6C_DD1D);
        let (mut read_by_both, mut read_by_neither) = (0, 0);
        for (version, level) in [(2, "L"), (4, "Q"), (7, "M"), (12, "H")] {
            let text = text_of_version(version);
            for mask in 0..8 {
                let clean = grid(&text, level, version, mask);
                let side = clean.getWidth();
                for flips in [1, 4, 10, 20, 35, 60, 100, 160] {
                    let mut damaged = clean.clone();
                    for _ in 0..flips {
                        damaged.flip_coords(
                            random.below(side.into()) as u32,
                            random.below(side.into()) as u32,
                        );
                    }
                    let reference = Decode(&damaged)
                        .ok()
                        .filter(|decoded| decoded.isValid())
                        .map(|decoded| decoded.text());
                    assert_eq!(
                        read(&damaged),
                        reference,
                        "{version}-{level} mask {mask}, {flips} flips"
                    );
                    if reference.is_some() {
                        read_by_both += 1;
                    } else {
                        read_by_neither += 1;
                    }
                }
            }
        }
        // Both outcomes were exercised.
        assert!(
            read_by_both > 40 && read_by_neither > 40,
            "{read_by_both} / {read_by_neither}"
        );
    }

    #[test]
    fn grids_of_no_model_2_size_go_to_rxing() {
        for side in [0, 11, 20, 22, 181] {
            let grid = BitMatrix::with_single_dimension(side.max(1)).unwrap();
            assert_eq!(read(&grid), None, "{side}");
        }
    }
}
