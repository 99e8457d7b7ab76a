//! A local binarizer for codes partly washed out by glare.
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

use std::borrow::Cow;

use rxing::common::{BitArray, BitMatrix, GlobalHistogramBinarizer, LineOrientation};
use rxing::{Binarizer, Luma8Source, LuminanceSource};

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

/// `image` split into black (true) and white pixels, glare-tolerant (see the module).
/// `None` when the image is too small for blocks (the other binarizers handle those).
pub(crate) fn glare_tolerant_matrix(image: &LumaImage) -> Option<BitMatrix> {
    let (width, height) = (image.width as usize, image.height as usize);
    if width < BLOCK * (2 * REACH + 1) || height < BLOCK * (2 * REACH + 1) {
        return None;
    }
    let pixels = &image.pixels;
    let (cols, rows) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    // Partial blocks at the right and bottom edges reuse the last whole block's pixels.
    let origin = |index: usize, limit: usize| (index * BLOCK).min(limit - BLOCK);
    // Per block: `HybridBinarizer`'s black point, and the mean when the block is bright and
    // holds an edge of at least GLARE_MIN_RANGE levels (None otherwise).
    let mut black_points = vec![0u32; cols * rows];
    let mut glare_means: Vec<Option<u32>> = vec![None; cols * rows];
    let mut bright = vec![false; cols * rows];
    for by in 0..rows {
        let y0 = origin(by, height);
        for bx in 0..cols {
            let x0 = origin(bx, width);
            let (mut sum, mut min, mut max) = (0u32, u8::MAX, u8::MIN);
            for row in pixels[y0 * width..].chunks(width).take(BLOCK) {
                for &p in &row[x0..x0 + BLOCK] {
                    sum += u32::from(p);
                    min = min.min(p);
                    max = max.max(p);
                }
            }
            let mean = sum / (BLOCK * BLOCK) as u32;
            bright[by * cols + bx] = min >= GLARE_FLOOR;
            if min >= GLARE_FLOOR && max - min > GLARE_MIN_RANGE {
                glare_means[by * cols + bx] = Some(mean);
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
    let mut matrix = BitMatrix::new(image.width, image.height).ok()?;
    for by in 0..rows {
        let y0 = origin(by, height);
        let top = by.clamp(REACH, rows - REACH - 1);
        for bx in 0..cols {
            let x0 = origin(bx, width);
            let left = bx.clamp(REACH, cols - REACH - 1);
            let (mut sum, mut glare_sum, mut glare_count) = (0, 0, 0);
            for y in top - REACH..=top + REACH {
                let span = y * cols + left - REACH..=y * cols + left + REACH;
                sum += black_points[span.clone()].iter().sum::<u32>();
                for mean in glare_means[span].iter().flatten() {
                    glare_sum += mean;
                    glare_count += 1;
                }
            }
            // A bright block is split at the mean of the glare blocks around it only: the black
            // points of unlit blocks nearby are far below the faint ink of a glare spot.
            let threshold = if bright[by * cols + bx] && glare_count > 0 {
                glare_sum / glare_count
            } else {
                sum / ((2 * REACH + 1) * (2 * REACH + 1)) as u32
            };
            for (dy, row) in pixels[y0 * width..].chunks(width).take(BLOCK).enumerate() {
                for (dx, &p) in row[x0..x0 + BLOCK].iter().enumerate() {
                    if u32::from(p) <= threshold {
                        matrix.set((x0 + dx) as u32, (y0 + dy) as u32);
                    }
                }
            }
        }
    }
    Some(matrix)
}

/// A [`Binarizer`] whose matrix was computed beforehand (by [`glare_tolerant_matrix`]); rows
/// for one-dimensional readers, which the QR reader does not ask for, come from the global
/// histogram.
pub(crate) struct Prebinarized<'a> {
    rows: GlobalHistogramBinarizer<Luma8Source<'a>>,
    matrix: BitMatrix,
}

impl<'a> Prebinarized<'a> {
    pub(crate) fn new(source: Luma8Source<'a>, matrix: BitMatrix) -> Self {
        Self {
            rows: GlobalHistogramBinarizer::new(source),
            matrix,
        }
    }
}

impl<'a> Binarizer for Prebinarized<'a> {
    type Source = Luma8Source<'a>;

    fn get_luminance_source(&self) -> &Luma8Source<'a> {
        self.rows.get_luminance_source()
    }

    fn get_black_row(&self, y: usize) -> rxing::common::Result<Cow<'_, BitArray>> {
        self.rows.get_black_row(y)
    }

    fn get_black_row_from_matrix(&self, y: usize) -> rxing::common::Result<Cow<'_, BitArray>> {
        Ok(Cow::Owned(self.matrix.getRow(y as u32)))
    }

    fn get_black_matrix(&self) -> rxing::common::Result<&BitMatrix> {
        Ok(&self.matrix)
    }

    fn get_black_line(
        &self,
        l: usize,
        lt: LineOrientation,
    ) -> rxing::common::Result<Cow<'_, BitArray>> {
        self.rows.get_black_line(l, lt)
    }

    fn create_binarizer(&self, source: Luma8Source<'a>) -> Self {
        let image = LumaImage {
            width: source.get_width() as u32,
            height: source.get_height() as u32,
            pixels: source.get_matrix().into_owned(),
        };
        let matrix = glare_tolerant_matrix(&image).unwrap_or_else(|| self.matrix.clone());
        Self::new(source, matrix)
    }

    fn get_width(&self) -> usize {
        self.matrix.getWidth() as usize
    }

    fn get_height(&self) -> usize {
        self.matrix.getHeight() as usize
    }
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
