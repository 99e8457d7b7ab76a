//! The QR decoder call. The choice of decoder lives here and nowhere else.
//!
//! The decoder is rxing (a Rust port of ZXing and zxing-cpp). On held-out real certificate
//! images it read 100 % at about 1 ms an image, where rqrr read 88 % (95 % with extra
//! preprocessing, at about 16 ms); `benches/qr.rs` keeps measuring it.
//!
//! rxing's own readers try every candidate finder-pattern triple they find. An image tiled
//! with finder-like squares yields tens of thousands of triples (a 400×400 one took 38 s), so
//! the zxing-cpp detector is driven here with a cap on the triples tried, and the older ZXing
//! detector — whose triple search is cubic and cannot be capped from outside — only runs when
//! the image holds few candidate patterns.

use std::collections::HashSet;

use rxing::common::{BitMatrix, DetectorRXingResult, GlobalHistogramBinarizer, HybridBinarizer};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{
    FindFinderPatterns, GenerateFinderPatternSets, SampleQR,
};
use rxing::qrcode::QRCodeReader;
use rxing::{BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, Reader};

use super::luma::LumaImage;
use crate::limits::{MAX_QR_FINDER_PATTERNS, MAX_QR_FINDER_TRIPLES};

/// How grey pixels are split into black and white before the code is searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Threshold {
    /// A threshold per 8×8 block from its neighbourhood: copes with shadows and uneven light.
    Local,
    /// One threshold for the whole image from its histogram: copes with blur and with
    /// codes so small that a block holds several modules.
    Global,
}

/// Which way round the code may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Polarity {
    /// Dark modules on a light background, as printed.
    DarkOnLight,
    /// Dark-on-light first, then light-on-dark (dark-mode screenshots), from one thresholding.
    Either,
}

/// Searches `image` for a QR code and returns its text.
pub(crate) fn decode(image: &LumaImage, threshold: Threshold, polarity: Polarity) -> Option<String> {
    let source = Luma8Source::new_with_slice(&image.pixels, image.width, image.height).ok()?;
    match threshold {
        Threshold::Local => read(BinaryBitmap::new(HybridBinarizer::new(source)), polarity),
        Threshold::Global => {
            read(BinaryBitmap::new(GlobalHistogramBinarizer::new(source)), polarity)
        }
    }
}

fn read<B: Binarizer>(mut bitmap: BinaryBitmap<B>, polarity: Polarity) -> Option<String> {
    if let Some(text) = read_thresholded(&mut bitmap) {
        return Some(text);
    }
    if polarity == Polarity::Either {
        // Flipping the black-and-white matrix equals thresholding the negative image.
        bitmap.invert();
        return read_thresholded(&mut bitmap);
    }
    None
}

fn read_thresholded<B: Binarizer>(bitmap: &mut BinaryBitmap<B>) -> Option<String> {
    let (text, patterns) = read_with_capped_search(bitmap.get_black_matrix());
    if text.is_some() {
        return text;
    }
    if patterns > MAX_QR_FINDER_PATTERNS {
        return None;
    }
    // The older ZXing detector finds a few codes (small, noisy) that the zxing-cpp one misses.
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        // Scan every row for finder patterns: slower, finds small codes in large frames.
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    QRCodeReader
        .decode_with_hints(bitmap, &hints)
        .ok()
        .map(|result| result.getText().to_owned())
}

/// zxing-cpp's QR detection, trying at most [`MAX_QR_FINDER_TRIPLES`] triples of finder
/// patterns, most plausible first. Returns the text and the number of finder patterns seen.
fn read_with_capped_search(matrix: &BitMatrix) -> (Option<String>, usize) {
    // Every row scanned (`true`), no minimum module size (`0`).
    let mut patterns = FindFinderPatterns(matrix, true, 0);
    let seen = patterns.len();
    let text = GenerateFinderPatternSets(&mut patterns)
        .iter()
        .take(MAX_QR_FINDER_TRIPLES)
        .find_map(|triple| {
            let detected = SampleQR(matrix, triple).ok()?;
            let decoded = Decode(detected.getBits()).ok()?;
            decoded.isValid().then(|| decoded.text())
        });
    (text, seen)
}
