//! Local binarizers: ZXing's, and one for codes partly washed out by glare.
//!
//! [`local_matrix`] is rxing's `HybridBinarizer` computed here, bit for bit (a test compares
//! them), eight pixels at a time instead of one: the blocks' sums, darkest and brightest pixels,
//! and the comparisons with the thresholds, each a few integer operations on eight bytes in one
//! 64-bit word (wasm32 has 64-bit integers; these steps touch every pixel of every frame, and
//! were the largest part of a search's time).
//!
//! rxing's `HybridBinarizer` (ZXing's; Apache-2.0) thresholds each 8×8 block at the mean of the
//! 5×5 blocks around it, but a block whose pixels span 24 grey levels or fewer counts as "all
//! light or all dark" and takes half its minimum as threshold: it turns white. Under a glare
//! spot the ink is lifted to within 20–30 levels of the paper, so the whole spot turns white
//! and the code loses the modules under it (the bench's glare frames; `qr::decoder`'s trace).
//! This binarizer keeps `HybridBinarizer`'s thresholds outside glare; a bright block (its
//! darkest pixel at least [`GLARE_FLOOR`]) is split instead at the mean of the bright blocks
//! around it that hold an edge of more than [`GLARE_MIN_RANGE`] levels, so that the modules
//! under the spot keep a threshold of their own, not one dragged down by the unlit code nearby.

use rxing::common::{BitArray, BitMatrix};

use super::luma::LumaImage;

/// Side of a threshold block, in pixels (as in `HybridBinarizer`).
const BLOCK: usize = 8;
/// Blocks on each side of a block whose black points are averaged for its threshold.
const REACH: usize = 2;
/// The smallest range of grey levels inside a block still taken for an edge between modules
/// (`HybridBinarizer` uses 24).
const GLARE_MIN_RANGE: u8 = 8;
/// Blocks whose darkest pixel is at least this bright count as (possibly) in glare; elsewhere
/// the stock thresholds hold, which keep noise out of dark or mid-grey areas.
const GLARE_FLOOR: u8 = 170;
/// `HybridBinarizer`'s contrast floor.
const STOCK_MIN_RANGE: u8 = 24;

/// Per 8×8 block of an image: what both local binarizers need.
struct Blocks {
    cols: usize,
    rows: usize,
    /// `HybridBinarizer`'s black point of each block.
    black_points: Vec<u32>,
    /// The mean of each bright block that holds an edge of more than [`GLARE_MIN_RANGE`]
    /// levels (glare-tolerant thresholds only).
    glare_means: Vec<Option<u32>>,
    /// Whether each block's darkest pixel is at least [`GLARE_FLOOR`].
    bright: Vec<bool>,
}

/// First pixel of block `index` along a side of `limit` pixels: partial blocks at the right and
/// bottom edges reuse the last whole block's pixels (as `HybridBinarizer` does).
fn block_origin(index: usize, limit: usize) -> usize {
    (index * BLOCK).min(limit - BLOCK)
}

/// The low byte of each 16-bit lane of a word.
const LOW_BYTES: u64 = 0x00FF_00FF_00FF_00FF;

/// The sum of the eight bytes of `eight`: pairs of bytes added in 16-bit lanes, then the lanes
/// added by one multiplication (the sum is at most 2040, so no lane overflows).
fn byte_sum(eight: u64) -> u32 {
    let pairs = (eight & LOW_BYTES) + ((eight >> 8) & LOW_BYTES);
    (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as u32
}

/// One bit per byte of `pixels` (lowest byte first): set where the byte is at most the byte of
/// `thresholds` at the same place. Eight comparisons in a few integer operations: each byte is
/// subtracted from its threshold plus 256 in a 16-bit lane, whose bit 8 stays set when the
/// pixel is not above the threshold; the eight bits are then gathered into one byte.
fn at_or_below(pixels: u64, thresholds: u64) -> u8 {
    const NINTH_BITS: u64 = 0x0100_0100_0100_0100;
    let lanes = |shift: u32| {
        ((((thresholds >> shift) & LOW_BYTES) | NINTH_BITS) - ((pixels >> shift) & LOW_BYTES))
            & NINTH_BITS
    };
    // Bytes 0, 1 at bits 0, 1; bytes 2, 3 at bits 16, 17; and so on.
    let pairs = (lanes(0) >> 8) | (lanes(8) >> 7);
    let quads = pairs | (pairs >> 14);
    ((quads | (quads >> 28)) & 0xFF) as u8
}

/// Per byte: `0xFF` where the byte of `a` is at least that of `b`, else 0. The low seven bits
/// are compared by a subtraction that cannot borrow across bytes; the top bits decide where
/// they differ (Hacker's Delight, 2-18).
fn at_least(a: u64, b: u64) -> u64 {
    const TOP_BITS: u64 = 0x8080_8080_8080_8080;
    let low_seven_at_least = (a | TOP_BITS) - (b & !TOP_BITS);
    let top = ((a & !b) | (!(a ^ b) & low_seven_at_least)) & TOP_BITS;
    (top >> 7) * 0xFF
}

/// The smaller of each pair of bytes of `a` and `b`.
fn byte_min(a: u64, b: u64) -> u64 {
    a ^ ((a ^ b) & at_least(a, b))
}

/// The larger of each pair of bytes of `a` and `b`.
fn byte_max(a: u64, b: u64) -> u64 {
    b ^ ((a ^ b) & at_least(a, b))
}

/// The smallest of the eight bytes.
fn lowest_byte(eight: u64) -> u8 {
    eight.to_le_bytes().into_iter().min().unwrap_or(u8::MAX)
}

/// The largest of the eight bytes.
fn highest_byte(eight: u64) -> u8 {
    eight.to_le_bytes().into_iter().max().unwrap_or(u8::MIN)
}

/// `glare`: also the glare-tolerant binarizer's figures (`glare_means`, `bright`).
/// `None` when the image is too small for 5×5 blocks (the other binarizers handle those).
fn blocks(image: &LumaImage, glare: bool) -> Option<Blocks> {
    let (width, height) = (image.width as usize, image.height as usize);
    if width < BLOCK * (2 * REACH + 1) || height < BLOCK * (2 * REACH + 1) {
        return None;
    }
    let (cols, rows) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let mut black_points = vec![0u32; cols * rows];
    let mut glare_means: Vec<Option<u32>> = vec![None; cols * rows];
    let mut bright = vec![false; cols * rows];
    // Per block of the current block row: the sum of its pixels, and the darkest and brightest
    // pixel so far of each of its eight pixel columns (a byte each). Gathered a pixel row at a
    // time, as the pixels lie in memory, eight pixels at once.
    let mut sums = vec![0u32; cols];
    let mut mins = vec![u64::MAX; cols];
    let mut maxs = vec![u64::MIN; cols];
    // A partial block at the right edge reuses the last whole block's pixels.
    let last_x0 = block_origin(cols - 1, width);
    for by in 0..rows {
        let y0 = block_origin(by, height);
        sums.fill(0);
        mins.fill(u64::MAX);
        maxs.fill(u64::MIN);
        for row in image.pixels[y0 * width..(y0 + BLOCK) * width].chunks_exact(width) {
            let whole = row.chunks_exact(BLOCK);
            let last = [&row[last_x0..last_x0 + BLOCK]];
            let blocks_of_row = whole.chain(last.into_iter().filter(|_| width % BLOCK != 0));
            for (((chunk, sum), min), max) in blocks_of_row
                .zip(sums.iter_mut())
                .zip(mins.iter_mut())
                .zip(maxs.iter_mut())
            {
                let eight = u64::from_le_bytes(chunk.try_into().unwrap_or([0; BLOCK]));
                *sum += byte_sum(eight);
                *min = byte_min(eight, *min);
                *max = byte_max(eight, *max);
            }
        }
        for bx in 0..cols {
            let (sum, min, max) = (sums[bx], lowest_byte(mins[bx]), highest_byte(maxs[bx]));
            let mean = sum / (BLOCK * BLOCK) as u32;
            if glare {
                bright[by * cols + bx] = min >= GLARE_FLOOR;
                if min >= GLARE_FLOOR && max - min > GLARE_MIN_RANGE {
                    glare_means[by * cols + bx] = Some(mean);
                }
            }
            let mut point = mean;
            if max - min <= STOCK_MIN_RANGE {
                // A flat block: light unless its neighbours say it is inside a dark area.
                point = u32::from(min) / 2;
                if by > 0 && bx > 0 {
                    let at = |y: usize, x: usize| black_points[y * cols + x];
                    let neighbours = (at(by - 1, bx) + 2 * at(by, bx - 1) + at(by - 1, bx - 1)) / 4;
                    if u32::from(min) < neighbours {
                        point = neighbours;
                    }
                }
            }
            black_points[by * cols + bx] = point;
        }
    }
    Some(Blocks {
        cols,
        rows,
        black_points,
        glare_means,
        bright,
    })
}

impl Blocks {
    /// `HybridBinarizer`'s threshold of block (`bx`, `by`): the mean black point of the 5×5
    /// blocks around it (moved inside the grid at its edges).
    fn stock_threshold(&self, bx: usize, by: usize) -> u32 {
        let top = by.clamp(REACH, self.rows - REACH - 1);
        let left = bx.clamp(REACH, self.cols - REACH - 1);
        let sum: u32 = (top - REACH..=top + REACH)
            .map(|y| {
                let start = y * self.cols + left - REACH;
                self.black_points[start..=start + 2 * REACH]
                    .iter()
                    .sum::<u32>()
            })
            .sum();
        sum / ((2 * REACH + 1) * (2 * REACH + 1)) as u32
    }

    /// The glare-tolerant threshold of block (`bx`, `by`): a bright block is split at the mean
    /// of the glare blocks around it only, since the black points of unlit blocks nearby are
    /// far below the faint ink of a glare spot.
    fn glare_threshold(&self, bx: usize, by: usize) -> u32 {
        let index = by * self.cols + bx;
        if self.bright[index] {
            let top = by.clamp(REACH, self.rows - REACH - 1);
            let left = bx.clamp(REACH, self.cols - REACH - 1);
            let (mut sum, mut count) = (0u32, 0u32);
            for y in top - REACH..=top + REACH {
                let start = y * self.cols + left - REACH;
                for mean in self.glare_means[start..=start + 2 * REACH].iter().flatten() {
                    sum += mean;
                    count += 1;
                }
            }
            if let Some(mean) = sum.checked_div(count) {
                return mean;
            }
        }
        self.stock_threshold(bx, by)
    }
}

/// The black (true) pixels of `image`: those at or below the threshold of their block.
/// A pixel that two blocks cover (the partial blocks at the right and bottom edges overlap the
/// last whole ones) is black when either block makes it black, as in `HybridBinarizer`, which
/// sets bits block by block and never clears one. Built a machine word of pixels at a time:
/// this is the step that touches every pixel of every frame.
fn threshold_pixels(
    image: &LumaImage,
    cols: usize,
    rows: usize,
    threshold: impl Fn(usize, usize) -> u32,
) -> Option<BitMatrix> {
    let (width, height) = (image.width as usize, image.height as usize);
    let mut matrix = BitMatrix::new(image.width, image.height).ok()?;
    // Per pixel column, the threshold of each block row (0..=255: a pixel is at most 255).
    let block_row_thresholds = |by: usize| -> Vec<u8> {
        let mut row = vec![0u8; width];
        for bx in 0..cols {
            let t = threshold(bx, by).min(255) as u8;
            let x0 = block_origin(bx, width);
            for slot in &mut row[x0..x0 + BLOCK] {
                *slot = (*slot).max(t);
            }
        }
        row
    };
    let word_bits = usize::BITS as usize;
    let mut row_bits = BitArray::with_size(width);
    // The rows from `last_row_start` on are also covered by the last block row; those of them
    // in the row of blocks above it take the larger of both thresholds.
    let last_row_start = block_origin(rows - 1, height);
    let last_thresholds = block_row_thresholds(rows - 1);
    let mut thresholds = Vec::new();
    let mut overlapping = Vec::new();
    let mut current_block_row = usize::MAX;
    for (y, pixel_row) in image.pixels.chunks_exact(width).enumerate() {
        let by = (y / BLOCK).min(rows - 1);
        if by != current_block_row {
            current_block_row = by;
            thresholds = block_row_thresholds(by);
            if by + 2 == rows {
                overlapping = thresholds
                    .iter()
                    .zip(&last_thresholds)
                    .map(|(&a, &b)| a.max(b))
                    .collect();
            }
        }
        let row_thresholds = if y >= last_row_start && by + 2 == rows {
            &overlapping
        } else {
            &thresholds
        };
        for (word, (pixels, limits)) in pixel_row
            .chunks(word_bits)
            .zip(row_thresholds.chunks(word_bits))
            .enumerate()
        {
            let mut bits = 0usize;
            let mut pixel_eights = pixels.chunks_exact(8);
            let mut limit_eights = limits.chunks_exact(8);
            for (i, (p, t)) in pixel_eights.by_ref().zip(limit_eights.by_ref()).enumerate() {
                let [p, t] =
                    [p, t].map(|eight| u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])));
                bits |= (at_or_below(p, t) as usize) << (8 * i);
            }
            let done = pixels.len() - pixel_eights.remainder().len();
            for (i, (&p, &t)) in pixel_eights
                .remainder()
                .iter()
                .zip(limit_eights.remainder())
                .enumerate()
            {
                bits |= usize::from(p <= t) << (done + i);
            }
            row_bits.setBulk(word * word_bits, bits);
        }
        matrix.setRow(y as u32, &row_bits);
    }
    Some(matrix)
}

/// `image` split into black (true) and white pixels exactly as rxing's `HybridBinarizer` does
/// (ZXing's local thresholds: see the module), several times faster: it was most of the time of
/// a search. `None` when the image is too small for blocks.
pub(crate) fn local_matrix(image: &LumaImage) -> Option<BitMatrix> {
    let blocks = blocks(image, false)?;
    threshold_pixels(image, blocks.cols, blocks.rows, |bx, by| {
        blocks.stock_threshold(bx, by)
    })
}

/// `image` split into black (true) and white pixels, glare-tolerant (see the module).
/// `None` when the image is too small for blocks (the other binarizers handle those).
pub(crate) fn glare_tolerant_matrix(image: &LumaImage) -> Option<BitMatrix> {
    let blocks = blocks(image, true)?;
    threshold_pixels(image, blocks.cols, blocks.rows, |bx, by| {
        blocks.glare_threshold(bx, by)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finder pattern (7×7 modules of 4 pixels) in ink lifted by glare to `ink`, on white
    /// paper, next to a black bar (so that the image is not all bright).
    fn washed_out_finder(ink: u8) -> LumaImage {
        let side = 96u32;
        let pixels = (0..side * side)
            .map(|i| {
                let (x, y) = (i % side, i / side);
                if x >= 80 {
                    return 0;
                }
                let (mx, my) = ((x as i32 - 16) / 4, (y as i32 - 16) / 4);
                let inside = (0..7).contains(&mx) && (0..7).contains(&my) && x >= 16 && y >= 16;
                let ring = (mx - 3).abs().max((my - 3).abs()) == 2;
                if inside && !ring {
                    ink
                } else {
                    255
                }
            })
            .collect();
        LumaImage {
            width: side,
            height: side,
            pixels,
        }
    }

    /// A pseudo-random image with what trips block binarizers: flat areas (light and dark),
    /// gradients, noise, and sides that are not multiples of the block size.
    fn test_image(width: u32, height: u32, seed: u32) -> LumaImage {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        let pixels = (0..width * height)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let (x, y) = (i % width, i / width);
                match (x / 23 + y / 17 + seed) % 5 {
                    0 => 250,
                    1 => 12,
                    2 => ((x * 3 + y) % 256) as u8,
                    3 => (state % 256) as u8,
                    _ => {
                        if (x / 3 + y / 3) % 2 == 0 {
                            40
                        } else {
                            200
                        }
                    }
                }
            })
            .collect();
        LumaImage {
            width,
            height,
            pixels,
        }
    }

    #[test]
    fn byte_minima_and_maxima_match_one_at_a_time() {
        // Every pair of bytes, in every byte position.
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for position in 0..8 {
                    let place = |byte: u8| u64::from(byte) << (8 * position);
                    // The other bytes hold a fixed pattern that must survive.
                    let others = 0x5A5A_5A5A_5A5A_5A5Au64 & !place(0xFF);
                    let (x, y) = (others | place(a), others | place(b));
                    assert_eq!(byte_min(x, y), others | place(a.min(b)), "{a} {b}");
                    assert_eq!(byte_max(x, y), others | place(a.max(b)), "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn eight_comparisons_at_once_match_one_at_a_time() {
        let mut random = crate::qr::test_random::XorShift64(0x9E37_79B9_7F4A_7C15);
        // Random bytes, and the edges: equal, 0 and 255 on either side.
        let mut cases: Vec<(u64, u64)> = (0..10_000)
            .map(|_| (random.next(), random.next()))
            .collect();
        for (p, t) in [
            (0u8, 0u8),
            (0, 255),
            (255, 0),
            (255, 255),
            (128, 127),
            (127, 128),
        ] {
            cases.push((u64::from_le_bytes([p; 8]), u64::from_le_bytes([t; 8])));
            cases.push((
                u64::from_le_bytes([p, t, p, t, p, t, p, t]),
                u64::from_le_bytes([t, p, t, p, t, p, t, p]),
            ));
        }
        for (pixels, thresholds) in cases {
            let expected = (0..8).fold(0u8, |bits, i| {
                let [p, t] = [pixels, thresholds].map(|word| word.to_le_bytes()[i]);
                bits | (u8::from(p <= t) << i)
            });
            assert_eq!(
                at_or_below(pixels, thresholds),
                expected,
                "{pixels:016x} {thresholds:016x}"
            );
        }
    }

    #[test]
    fn the_local_matrix_is_rxings_hybrid_binarizer() {
        use rxing::common::HybridBinarizer;
        use rxing::{Binarizer, Luma8Source};
        for (i, (width, height)) in [
            (40, 40),
            (41, 47),
            (64, 40),
            (100, 75),
            (333, 211),
            (640, 480),
        ]
        .into_iter()
        .enumerate()
        {
            let image = test_image(width, height, i as u32);
            let source = Luma8Source::new_with_slice(&image.pixels, width, height).unwrap();
            let stock = HybridBinarizer::new(source)
                .get_black_matrix()
                .unwrap()
                .clone();
            assert_eq!(
                local_matrix(&image).as_ref(),
                Some(&stock),
                "{width}×{height}"
            );
        }
        assert!(local_matrix(&test_image(39, 100, 0)).is_none());
    }

    #[test]
    fn faint_ink_in_a_bright_area_stays_black() {
        let image = washed_out_finder(235);
        let matrix = glare_tolerant_matrix(&image).unwrap();
        // The centre of the pattern, its white ring and its dark outer ring.
        assert!(matrix.get(30, 30));
        assert!(!matrix.get(30, 22));
        assert!(matrix.get(30, 18));
    }
}
