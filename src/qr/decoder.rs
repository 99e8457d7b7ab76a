//! The QR decoder call. The choice of decoder lives here and nowhere else.
//!
//! The decoder is rxing (a Rust port of ZXing and zxing-cpp). On held-out real certificate
//! images it read 100 % at about 1 ms an image, where rqrr read 88 % (95 % with extra
//! preprocessing, at about 16 ms); `benches/qr.rs` keeps measuring it.
//!
//! rxing has two QR detectors, and both weigh every combination of the finder-pattern
//! candidates they find. An image tiled with finder-like squares gives thousands of them: a
//! 400×400 one kept rxing's stock readers busy for 38 s, a 1448×1448 one for minutes. So the
//! zxing-cpp detector is driven from here, with caps on the patterns collected and on the
//! triples tried, and the older ZXing detector — whose search is cubic in its candidates and
//! cannot be capped from outside — runs only when a count of those candidates shows that it
//! will be quick. Both detectors' sampled grids are read by [`super::symbol`], whose error
//! correction is ours.

use rxing::common::cpp_essentials::{
    ConcentricPattern, FindLeftGuardBy, FixedPattern, IsPattern, LocateConcentricPattern,
    PatternRow, PatternType, PatternView,
};
use rxing::common::{BitMatrix, DetectorRXingResult, GlobalHistogramBinarizer, HybridBinarizer};
use rxing::qrcode::cpp_port::detector::{FinderPatternSet, GenerateFinderPatternSets, SampleQR};
use rxing::qrcode::detector::Detector;
use rxing::qrcode::detector::FinderPatternFinder;
use rxing::{point, Binarizer, DecodeHints, Luma8Source, Point};

use super::binarizer::{glare_tolerant_matrix, local_matrix};
use super::finder_sets;
use super::luma::LumaImage;
use super::symbol;
use crate::limits::{MAX_QR_FINDER_PATTERNS, MAX_QR_FINDER_TRIPLES, MAX_QR_ZXING_CANDIDATES};

/// How grey pixels are split into black and white before the code is searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Threshold {
    /// A threshold per 8×8 block from its neighbourhood: copes with shadows and uneven light.
    Local,
    /// One threshold for the whole image from its histogram: copes with blur and with
    /// codes so small that a block holds several modules.
    Global,
    /// As `Local`, but blocks in bright surroundings keep a threshold of their own at a lower
    /// contrast: copes with glare ([`super::binarizer`]).
    Glare,
}

/// Which detectors look for the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detectors {
    /// zxing-cpp's (capped), then ZXing's when a count of its candidates shows it will be
    /// quick: the first search of a small image.
    Both,
    /// zxing-cpp's only. On the QR bench's frames ZXing's detector found one code of 432 that
    /// zxing-cpp's missed, while it took half the time of every search that found nothing:
    /// a frame's searches leave it out, but for its last one.
    Capped,
    /// ZXing's only: the last search of a frame, whose zxing-cpp search on the same pixels has
    /// already failed.
    Zxing,
}

/// Which shades of code a search looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Polarity {
    /// Dark modules on a light background (print, most screens).
    Dark,
    /// Dark first, then light modules on a dark background (dark-mode screens) in the same
    /// black-and-white image with every pixel flipped, as zxing-cpp's `tryInvert` does: no
    /// second conversion to black and white, which is the larger part of a search's time.
    Both,
}

/// Searches `image` for a QR code and returns its text.
pub(crate) fn decode(
    image: &LumaImage,
    threshold: Threshold,
    detectors: Detectors,
    polarity: Polarity,
) -> Option<String> {
    // rxing's binarizers' view of the pixels (borrowed), for the thresholds that are theirs.
    let source = Luma8Source::new_with_slice(&image.pixels, image.width, image.height).ok()?;
    let mut matrix = match threshold {
        Threshold::Local => match local_matrix(image) {
            Some(matrix) => matrix,
            // Smaller than 5×5 blocks: rxing falls back to the global histogram.
            None => HybridBinarizer::new(source)
                .get_black_matrix()
                .ok()?
                .clone(),
        },
        Threshold::Global => GlobalHistogramBinarizer::new(source)
            .get_black_matrix()
            .ok()?
            .clone(),
        Threshold::Glare => glare_tolerant_matrix(image)?,
    };
    if let Some(text) = read(&matrix, detectors) {
        return Some(text);
    }
    if polarity == Polarity::Dark {
        return None;
    }
    matrix.flip_self();
    read(&matrix, detectors)
}

fn read(matrix: &BitMatrix, detectors: Detectors) -> Option<String> {
    if detectors != Detectors::Zxing {
        if let Some(text) = read_with_capped_search(matrix) {
            return Some(text);
        }
    }
    if detectors == Detectors::Capped {
        return None;
    }
    if count_zxing_candidates(matrix, MAX_QR_ZXING_CANDIDATES) > MAX_QR_ZXING_CANDIDATES {
        return None;
    }
    // The older ZXing detector finds some small or noisy codes that the zxing-cpp one misses
    // (a sixth of the codes shrunk to 150 pixels).
    let hints = DecodeHints {
        // Scan every row for finder patterns: slower, finds small codes in large frames.
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let detected = Detector::new(matrix).detect_with_hints(&hints).ok()?;
    symbol::read(detected.getBits())
}

/// zxing-cpp's QR detection, trying at most [`MAX_QR_FINDER_TRIPLES`] triples of finder
/// patterns, most plausible first.
///
/// Then, when none of those read, the triples that only a steeply tilted code makes
/// ([`super::finder_sets`]): rxing's search rejects them, while zxing-wasm reads such codes.
fn read_with_capped_search(matrix: &BitMatrix) -> Option<String> {
    let mut patterns = find_finder_patterns(matrix);
    let mut stock = GenerateFinderPatternSets(&mut patterns);
    stock.truncate(MAX_QR_FINDER_TRIPLES);
    let read = |triple: &FinderPatternSet| {
        let detected = SampleQR(matrix, triple).ok()?;
        symbol::read(detected.getBits())
    };
    stock.iter().find_map(read).or_else(|| {
        finder_sets::tilted_sets(&patterns, &stock)
            .iter()
            .take(MAX_QR_FINDER_TRIPLES)
            .find_map(read)
    })
}

/// The 1:1:3:1:1 proportions of a finder pattern's cross-section.
const FINDER_PATTERN: FixedPattern<5, 7, false> = FixedPattern::new([1, 1, 3, 1, 1]);

/// rxing's `FindFinderPatterns` (a port of zxing-cpp; Apache-2.0) in its try-harder mode,
/// with one change: it stops at [`MAX_QR_FINDER_PATTERNS`]. Every candidate is compared with
/// every pattern found so far, so without the cap an image tiled with 25,600 finder patterns
/// took 2.4 s in this step alone.
fn find_finder_patterns(matrix: &BitMatrix) -> Vec<ConcentricPattern> {
    let mut found: Vec<ConcentricPattern> = Vec::new();
    // Every third row: a finder pattern's centre is at least three pixels tall.
    for y in (2..matrix.getHeight()).step_by(3) {
        let row = PatternRow::new(run_lengths(matrix, y));
        let mut next = PatternView::new(&row);
        while let Ok(view) = find_finder_like_bars(next) {
            next = view;
            if !next.isValid() {
                break;
            }
            let centre = point(
                f32::from(next.pixelsInFront())
                    + f32::from(next[0usize])
                    + f32::from(next[1usize])
                    + f32::from(next[2usize]) / 2.0,
                y as f32 + 0.5,
            );
            // Skip points inside a pattern already found.
            let is_new = !found
                .iter()
                .any(|old| Point::distance(centre, old.p) < old.size as f32 / 2.0);
            if is_new {
                let width: i32 = next.iter().map(i32::from).sum();
                // Three widths of range, for very skewed patterns.
                let located = LocateConcentricPattern::<true, 5, 7>(
                    matrix,
                    &FINDER_PATTERN.into(),
                    centre,
                    width * 3,
                );
                if let Some(pattern) = located {
                    found.push(pattern);
                    if found.len() >= MAX_QR_FINDER_PATTERNS {
                        return found;
                    }
                }
            }
            next.skipPair();
            next.skipPair();
            next.extend();
        }
    }
    found
}

/// The lengths of the runs of one colour along row `y` of `matrix`, white first (zero when the
/// row starts black) and last (zero when it ends black), as rxing's `GetPatternRowTP`, which
/// reads the row a pixel at a time: here a machine word at a time, skipping a run's pixels by
/// counting the bits that do not change. It runs on every third row of every search.
fn run_lengths(matrix: &BitMatrix, y: u32) -> Vec<PatternType> {
    let mut runs = Vec::new();
    let width = matrix.getWidth() as usize;
    let row = matrix.getRow(y);
    let words = row.getBitArray();
    let word_bits = usize::BITS as usize;
    // The first pixel from `from` on whose colour is not `black`, or `width`.
    let next_change = |from: usize, black: bool| -> usize {
        // Bits set at the pixels of the other colour.
        let other_colour = |word: usize| if black { !word } else { word };
        let mut index = from / word_bits;
        // Those before `from` masked off.
        let mut changes =
            other_colour(words.get(index).copied().unwrap_or(0)) & (!0usize << (from % word_bits));
        while changes == 0 {
            index += 1;
            match words.get(index) {
                Some(&word) => changes = other_colour(word),
                None => return width,
            }
        }
        (index * word_bits + changes.trailing_zeros() as usize).min(width)
    };
    let (mut start, mut black) = (0, false);
    loop {
        let end = next_change(start, black);
        // At most `MAX_IMAGE_SIDE` pixels, which fits a `PatternType`.
        runs.push(PatternType::try_from(end - start).unwrap_or(PatternType::MAX));
        if end >= width {
            break;
        }
        start = end;
        black = !black;
    }
    if black {
        runs.push(0);
    }
    runs
}

/// The next five bars of the row, from `view` on, in the proportions of a finder pattern.
fn find_finder_like_bars(view: PatternView<'_>) -> rxing::common::Result<PatternView<'_>> {
    FindLeftGuardBy::<5, _>(
        view,
        5,
        |bars: &PatternView, space_in_pixels: Option<f32>| {
            // A quick plausibility test before the exact one.
            let [outer_left, gap_left, centre, gap_right, outer_right] =
                [0usize, 1, 2, 3, 4].map(|i| bars[i]);
            if centre < 3
                || centre < 2 * outer_left.max(outer_right)
                || centre < gap_left.max(gap_right)
            {
                return false;
            }
            IsPattern::<true, 5, 7, false>(bars, &FINDER_PATTERN, space_in_pixels, 0.1, 0.0, 0.0)
                != 0.0
        },
    )
}

/// Counts, up to just past `limit`, the finder-pattern candidates that the ZXing detector
/// would weigh, by running its own candidate test along the rows. Its triple search is cubic in
/// this number, so a small count means a quick search.
fn count_zxing_candidates(matrix: &BitMatrix, limit: usize) -> usize {
    let (width, height) = (matrix.getWidth(), matrix.getHeight());
    let mut finder = FinderPatternFinder::new(matrix);
    // (length, end) of each run of one colour along the row; `end` is one past its last pixel.
    let mut runs: Vec<(u32, u32)> = Vec::with_capacity(width as usize);
    let mut lengths = [0u32; 5];
    // Every other row: a candidate's centre is at least three pixels tall, so none is missed.
    for y in (0..height).step_by(2) {
        runs.clear();
        let first_is_black = matrix.get(0, y);
        let mut colour = first_is_black;
        let mut length = 0;
        for x in 0..width {
            let pixel = matrix.get(x, y);
            if pixel == colour {
                length += 1;
            } else {
                runs.push((length, x));
                colour = pixel;
                length = 1;
            }
        }
        runs.push((length, width));
        // Windows of five runs (black, white, black, white, black) that start on a black run.
        let first_black_run = usize::from(!first_is_black);
        let windows = runs.get(first_black_run..).unwrap_or_default().windows(5);
        for window in windows.step_by(2) {
            for (slot, &(run, _)) in lengths.iter_mut().zip(window) {
                *slot = run;
            }
            let end = window.last().map_or(0, |&(_, end)| end);
            if FinderPatternFinder::foundPatternCross(&lengths, 0.0) {
                finder.handlePossibleCenter(&lengths, y, end);
                if finder.getPossibleCenters().len() > limit {
                    return finder.getPossibleCenters().len();
                }
            }
        }
    }
    finder.getPossibleCenters().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the search gives up on the bench's frames (see benches/qr.rs): how many finder
    /// patterns and triples each binarizer yields, and whether the best triples sample and
    /// decode. `QR_TRACE=target/qr-frames QR_TRACE_ONLY=perspective cargo test --lib
    /// qr::decoder::tests::trace -- --ignored --nocapture`
    #[test]
    #[ignore = "a diagnostic over the bench frames on disk, not a test"]
    fn trace() {
        use rxing::BinaryBitmap;
        let dir = std::path::PathBuf::from(std::env::var("QR_TRACE").unwrap_or_default());
        let only = std::env::var("QR_TRACE_ONLY").unwrap_or_default();
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        for frame in manifest["frames"].as_array().unwrap() {
            let id = frame["id"].as_str().unwrap();
            if !id.contains(&only) {
                continue;
            }
            let (w, h) = (
                frame["width"].as_u64().unwrap() as u32,
                frame["height"].as_u64().unwrap() as u32,
            );
            let Ok(pixels) = std::fs::read(dir.join(format!("{id}.gray"))) else {
                continue;
            };
            let image = LumaImage {
                width: w,
                height: h,
                pixels,
            };
            let mut line = format!(
                "{id:<34} zxing {:<5}",
                frame["zxing"].as_bool().unwrap_or(false)
            );
            for threshold in [Threshold::Local, Threshold::Global, Threshold::Glare] {
                let source = Luma8Source::new_with_slice(&image.pixels, w, h).unwrap();
                let trace = |matrix: &BitMatrix| {
                    let mut patterns = find_finder_patterns(matrix);
                    let found = patterns.len();
                    if found < 6 {
                        let list: Vec<String> = patterns
                            .iter()
                            .map(|p| format!("({:.0},{:.0}) {}", p.p.x, p.p.y, p.size))
                            .collect();
                        println!("    {threshold:?} patterns: {}", list.join("  "));
                    }
                    let sets = GenerateFinderPatternSets(&mut patterns);
                    let (mut sampled, mut decoded, mut valid) = (0, 0, 0);
                    let mut error = String::new();
                    for triple in sets.iter().take(MAX_QR_FINDER_TRIPLES) {
                        let Ok(detected) = SampleQR(matrix, triple) else {
                            continue;
                        };
                        sampled += 1;
                        match rxing::qrcode::cpp_port::decoder::Decode(detected.getBits()) {
                            Ok(d) if d.isValid() => valid += 1,
                            Ok(d) => {
                                decoded += 1;
                                error = format!("{:?}", d.error());
                            }
                            Err(e) => error = format!("{e:?}"),
                        }
                    }
                    let error: String = error.chars().take(40).collect();
                    format!(" | {threshold:?}: {found} fp, {} sets, {sampled} sampled, {decoded} bad, {valid} ok {error}", sets.len())
                };
                line += &match threshold {
                    Threshold::Local => {
                        trace(BinaryBitmap::new(HybridBinarizer::new(source)).get_black_matrix())
                    }
                    Threshold::Global => trace(
                        BinaryBitmap::new(GlobalHistogramBinarizer::new(source)).get_black_matrix(),
                    ),
                    Threshold::Glare => match glare_tolerant_matrix(&image) {
                        Some(matrix) => trace(&matrix),
                        None => String::new(),
                    },
                };
            }
            println!("{line}");
        }
    }

    /// A white matrix of `side` pixels with finder patterns (7×7 modules of `module` pixels)
    /// every `pitch` pixels, starting at (2, 2), while `count` lasts.
    fn finder_tiles(side: u32, module: u32, pitch: u32, count: usize) -> BitMatrix {
        let mut matrix = BitMatrix::new(side, side).unwrap();
        let positions = (0..)
            .map(|i| 2 + i * pitch)
            .take_while(|o| o + 7 * module < side);
        let corners: Vec<(u32, u32)> = positions
            .clone()
            .flat_map(|y| positions.clone().map(move |x| (x, y)))
            .take(count)
            .collect();
        for (ox, oy) in corners {
            for my in 0..7i32 {
                for mx in 0..7i32 {
                    // The ring one module inside the edge is white.
                    if (mx - 3).abs().max((my - 3).abs()) == 2 {
                        continue;
                    }
                    for y in 0..module {
                        for x in 0..module {
                            matrix.set(ox + mx as u32 * module + x, oy + my as u32 * module + y);
                        }
                    }
                }
            }
        }
        matrix
    }

    #[test]
    fn run_lengths_are_rxings_pattern_rows() {
        use rxing::common::cpp_essentials::GetPatternRowTP;
        // Rows of odd widths around machine-word sizes: random, all black, all white, runs
        // that cross words.
        let mut seed = 12345u32;
        let mut random = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for width in [1, 2, 31, 32, 33, 63, 64, 65, 100, 129, 640] {
            let mut matrix = BitMatrix::new(width, 6).unwrap();
            for x in 0..width {
                if random() % 3 == 0 {
                    matrix.set(x, 0);
                }
                matrix.set(x, 1);
                if (x / 37) % 2 == 1 {
                    matrix.set(x, 3);
                }
                if x == width - 1 {
                    matrix.set(x, 4);
                }
                if x == 0 {
                    matrix.set(x, 5);
                }
            }
            for y in 0..6 {
                let mut expected = PatternRow::default();
                GetPatternRowTP(&matrix, y, &mut expected, false);
                assert_eq!(
                    run_lengths(&matrix, y),
                    expected.into_iter().collect::<Vec<_>>(),
                    "width {width}, row {y}"
                );
            }
        }
    }

    #[test]
    fn zxing_candidates_are_counted() {
        // (side, module, pitch, patterns drawn, limit, expected count)
        let cases = [
            (100, 3, 40, 3, 50, 3),
            (100, 4, 40, 0, 50, 0),
            (200, 1, 8, usize::MAX, 50, 51), // a hostile tiling: counting stops past the limit
        ];
        for (side, module, pitch, drawn, limit, expected) in cases {
            let matrix = finder_tiles(side, module, pitch, drawn);
            assert_eq!(
                count_zxing_candidates(&matrix, limit),
                expected,
                "{side}px, module {module}, pitch {pitch}"
            );
        }
    }

    #[test]
    fn a_finder_tiled_image_is_searched_quickly() {
        // 576 finder patterns: rxing's stock readers took seconds on this image.
        let matrix = finder_tiles(400, 2, 16, usize::MAX);
        let mut pixels = vec![255u8; 400 * 400];
        for (i, pixel) in pixels.iter_mut().enumerate() {
            if matrix.get((i % 400) as u32, (i / 400) as u32) {
                *pixel = 0;
            }
        }
        let image = LumaImage {
            width: 400,
            height: 400,
            pixels,
        };
        let start = std::time::Instant::now();
        assert_eq!(
            decode(&image, Threshold::Local, Detectors::Both, Polarity::Dark),
            None
        );
        assert_eq!(
            decode(&image, Threshold::Global, Detectors::Both, Polarity::Dark),
            None
        );
        // Generous for an unoptimised build on a busy machine; the stock readers took 4 s.
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
}
