//! Image preparation before decoding: size bounds, downscaling, quiet zone, upscaling.

use std::borrow::Cow;

use super::luma::LumaImage;
use crate::limits::MAX_DECODE_PIXELS;

/// The image itself when it has at most [`MAX_DECODE_PIXELS`] pixels, otherwise a copy shrunk
/// by the smallest whole factor that brings it within. Searching a large frame costs time in
/// proportion to its pixels, while a code that fills a useful part of the frame keeps modules
/// several pixels wide after shrinking.
pub(crate) fn fit_for_decoding(image: &LumaImage) -> Cow<'_, LumaImage> {
    let pixels = u64::from(image.width) * u64::from(image.height);
    if pixels <= MAX_DECODE_PIXELS {
        return Cow::Borrowed(image);
    }
    let mut factor: u32 = 2;
    while pixels / u64::from(factor * factor) > MAX_DECODE_PIXELS {
        factor += 1;
    }
    Cow::Owned(downscale(image, factor))
}

/// Grey levels between the darkest and the lightest percent of the pixels below which an image
/// counts as low in contrast. The binarizers see no edge where neighbours differ by less than 24
/// levels (rxing's `HybridBinarizer`), which a code 20–30 levels from ink to paper (dim light,
/// a faded printout) never crosses.
const LOW_CONTRAST_RANGE: usize = 64;

/// How a dim image's grey levels are spread over the full range: those between the darkest and
/// the lightest percent of its pixels (so that a few extreme pixels do not hide the narrow
/// range of the rest) to 0..=255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ContrastStretch {
    /// The level that becomes 0.
    low: i32,
    /// How many levels become 0..=255.
    span: i32,
}

impl ContrastStretch {
    /// The stretch for `image` when its pixels span fewer than [`LOW_CONTRAST_RANGE`] levels;
    /// `None` for an image with contrast enough.
    pub(crate) fn of(image: &LumaImage) -> Option<Self> {
        // Every third pixel: the percentiles of a frame hardly move, and this runs on every frame.
        let mut histogram = [0usize; 256];
        for &p in image.pixels.iter().step_by(3) {
            histogram[usize::from(p)] += 1;
        }
        let tail = image.pixels.len().div_ceil(3) / 100;
        // The first level at which more than `tail` pixels have been counted, walking `levels`.
        let level_at = |levels: &mut dyn Iterator<Item = usize>| {
            let mut counted = 0;
            for level in levels {
                counted += histogram[level];
                if counted > tail {
                    return level;
                }
            }
            0
        };
        let (low, high) = (level_at(&mut (0..256)), level_at(&mut (0..256).rev()));
        if high <= low || high - low >= LOW_CONTRAST_RANGE {
            return None;
        }
        Some(Self {
            low: low as i32,
            span: (high - low) as i32,
        })
    }

    /// `image` stretched.
    pub(crate) fn apply(self, image: &LumaImage) -> LumaImage {
        let map = self.map();
        LumaImage {
            width: image.width,
            height: image.height,
            pixels: image.pixels.iter().map(|&p| map[usize::from(p)]).collect(),
        }
    }

    /// `image` stretched, then smoothed (each pixel the mean of the 3×3 around it), in one pass.
    /// Stretching a dim frame stretches its noise into speckle too, which the local thresholds
    /// cut into false edges: slow searches, and Reed–Solomon errors.
    pub(crate) fn apply_smoothed(self, image: &LumaImage) -> LumaImage {
        let map = self.map();
        box_filter::<1>(image, |p| i32::from(map[usize::from(p)]), |_, sum| sum / 9)
    }

    /// The stretched level of each level.
    fn map(self) -> [u8; 256] {
        std::array::from_fn(|p| ((p as i32 - self.low).max(0) * 255 / self.span).min(255) as u8)
    }
}

/// The image with its edges steepened (an unsharp mask): each pixel pushed away from the mean
/// of the `(2 × radius + 1)²` pixels around it by as much as it differs from that mean. Out of
/// focus, shaken or tiny codes have modules smeared into their neighbours, so that thresholds
/// cut through them at the wrong place; this undoes part of the smear. On the QR bench's frames
/// it read a fifth of the blurred, tiny, shaken and photographed-screen codes that no other
/// attempt read. The radius is 1 or 2 (a larger one counts as 2).
pub(crate) fn sharpen(image: &LumaImage, radius: u32) -> LumaImage {
    if radius <= 1 {
        box_filter::<1>(image, i32::from, |pixel, sum| 2 * pixel - sum / 9)
    } else {
        box_filter::<2>(image, i32::from, |pixel, sum| 2 * pixel - sum / 25)
    }
}

/// Each pixel replaced by the mean of the 3×3 pixels around it.
#[cfg(test)]
fn smooth(image: &LumaImage) -> LumaImage {
    box_filter::<1>(image, i32::from, |_, sum| sum / 9)
}

/// Each pixel replaced by `combine(pixel, sum of the (2 × R + 1)² pixels around it)`,
/// clamped to 0..=255. Box sums (kept per column, slid down the image; then slid along each
/// row) make it two passes over the pixels whatever the radius; the edges repeat the border
/// pixels. The radius is a constant, and the row loops run on slices without bounds checks:
/// it runs on every dim frame, where it was a fifth of the frame's time in wasm.
fn box_filter<const R: usize>(
    image: &LumaImage,
    level: impl Fn(u8) -> i32,
    combine: impl Fn(i32, i32) -> i32,
) -> LumaImage {
    let (width, height) = (image.width as usize, image.height as usize);
    let side = 2 * R + 1;
    if width == 0 || height == 0 {
        return image.clone();
    }
    let mut pixels = vec![0u8; width * height];
    let row = |y: usize| &image.pixels[y * width..(y + 1) * width];
    // Per column, the sum of the `side` rows around the current row (rows clamped at the
    // edges), with R columns repeated on each side so that the window never leaves it.
    let mut columns: Vec<i32> = vec![0; width + 2 * R];
    for dy in 0..side {
        let y = dy.saturating_sub(R).min(height - 1);
        for (sum, &p) in columns[R..].iter_mut().zip(row(y)) {
            *sum += level(p);
        }
    }
    for (y, out) in pixels.chunks_exact_mut(width).enumerate() {
        let (first, last) = (columns[R], columns[R + width - 1]);
        columns[..R].fill(first);
        columns[R + width..].fill(last);
        // The window holds the columns x − R ..= x + R: entering x + R, leaving x − R.
        let mut window: i32 = columns[..side - 1].iter().sum();
        let entering = &columns[side - 1..];
        for (((out, &p), &enter), &leave) in out.iter_mut().zip(row(y)).zip(entering).zip(&columns)
        {
            window += enter;
            *out = combine(level(p), window).clamp(0, 255) as u8;
            window -= leave;
        }
        // Slide the column sums down one row.
        let leaving = row(y.saturating_sub(R));
        let entering = row((y + R + 1).min(height - 1));
        for ((sum, &out), &inn) in columns[R..].iter_mut().zip(leaving).zip(entering) {
            *sum += level(inn) - level(out);
        }
    }
    LumaImage {
        width: image.width,
        height: image.height,
        pixels,
    }
}

/// Adds a white border `margin` pixels wide. QR codes need a light "quiet zone" around the
/// finder patterns; codes cropped flush to the image edge are only found with one.
pub(crate) fn pad(image: &LumaImage, margin: u32) -> LumaImage {
    let width = image.width.saturating_add(margin.saturating_mul(2));
    let height = image.height.saturating_add(margin.saturating_mul(2));
    let (new_w, old_w, m) = (width as usize, image.width as usize, margin as usize);
    let mut pixels = vec![255u8; new_w * height as usize];
    for (y, row) in image.pixels.chunks_exact(old_w.max(1)).enumerate() {
        let start = (y + m) * new_w + m;
        if let Some(dest) = pixels.get_mut(start..start + old_w) {
            dest.copy_from_slice(row);
        }
    }
    LumaImage {
        width,
        height,
        pixels,
    }
}

/// Shrinks by a whole `factor`, each output pixel the mean of a `factor × factor` block
/// (the averaging also smooths sensor noise). Edge pixels that do not fill a block are dropped.
pub(crate) fn downscale(image: &LumaImage, factor: u32) -> LumaImage {
    let factor = factor.max(1);
    if factor == 2 && image.width >= 2 && image.height >= 2 {
        return halve(image);
    }
    downscale_by_blocks(image, factor)
}

/// [`downscale`] for any factor.
fn downscale_by_blocks(image: &LumaImage, factor: u32) -> LumaImage {
    let width = (image.width / factor).max(1);
    let height = (image.height / factor).max(1);
    let (f, old_w) = (factor as usize, image.width as usize);
    let mut sums = vec![0u32; width as usize];
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for block_row in image.pixels.chunks_exact(old_w * f).take(height as usize) {
        sums.fill(0);
        for row in block_row.chunks_exact(old_w) {
            for (sum, block) in sums.iter_mut().zip(row.chunks_exact(f)) {
                *sum += block.iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        let area = (f * f) as u32;
        // A mean of bytes is a byte.
        pixels.extend(sums.iter().map(|&sum| (sum / area) as u8));
    }
    // Images narrower or shorter than one block: keep the original pixels.
    if pixels.len() != width as usize * height as usize {
        return image.clone();
    }
    LumaImage {
        width,
        height,
        pixels,
    }
}

/// [`downscale`] by 2, the factor of every camera frame's second search: the same means,
/// without the general case's per-block loops, which took as long as a search of the result.
fn halve(image: &LumaImage) -> LumaImage {
    let (width, height) = (image.width / 2, image.height / 2);
    let old_w = image.width as usize;
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for rows in image.pixels.chunks_exact(old_w * 2).take(height as usize) {
        let (top, bottom) = rows.split_at(old_w);
        pixels.extend(
            top.chunks_exact(2)
                .zip(bottom.chunks_exact(2))
                .take(width as usize)
                .map(|(t, b)| {
                    let sum = u16::from(t[0]) + u16::from(t[1]) + u16::from(b[0]) + u16::from(b[1]);
                    // A mean of bytes is a byte.
                    (sum / 4) as u8
                }),
        );
    }
    LumaImage {
        width,
        height,
        pixels,
    }
}

/// Enlarges by a whole `factor`, each pixel repeated `factor × factor` times. Codes whose
/// modules are one or two pixels wide are found more often at twice the size.
pub(crate) fn upscale(image: &LumaImage, factor: u32) -> LumaImage {
    let factor = factor.max(1);
    let (f, old_w) = (factor as usize, image.width as usize);
    let width = image.width.saturating_mul(factor);
    let height = image.height.saturating_mul(factor);
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for row in image.pixels.chunks_exact(old_w.max(1)) {
        let start = pixels.len();
        for &p in row {
            pixels.extend(std::iter::repeat_n(p, f));
        }
        for _ in 1..f {
            pixels.extend_from_within(start..start + old_w * f);
        }
    }
    LumaImage {
        width,
        height,
        pixels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: u32, height: u32, pixels: &[u8]) -> LumaImage {
        LumaImage {
            width,
            height,
            pixels: pixels.to_vec(),
        }
    }

    #[test]
    fn only_low_contrast_images_are_stretched() {
        // 100 pixels from 110 to 139: stretched to the full range.
        let dim: Vec<u8> = (0..100).map(|i| 110 + (i % 30) as u8).collect();
        let dim = image(10, 10, &dim);
        let stretch = ContrastStretch::of(&dim).unwrap();
        let stretched = stretch.apply(&dim);
        assert_eq!(stretched.pixels.iter().min(), Some(&0));
        assert_eq!(stretched.pixels.iter().max(), Some(&255));
        // Smoothed and stretched in one pass: as stretched, then smoothed.
        let reference = smooth(&stretched).pixels;
        assert_eq!(stretch.apply_smoothed(&dim).pixels, reference);
        // Black and white: left as it is.
        let sharp: Vec<u8> = (0..100).map(|i| if i % 2 == 0 { 0 } else { 255 }).collect();
        assert_eq!(ContrastStretch::of(&image(10, 10, &sharp)), None);
    }

    #[test]
    fn sharpening_and_smoothing_match_a_direct_reference() {
        // The reference: each pixel and the mean of its neighbourhood, edges repeated.
        fn reference(image: &LumaImage, r: i64, combine: fn(i64, i64) -> i64) -> Vec<u8> {
            let (w, h) = (i64::from(image.width), i64::from(image.height));
            let at = |x: i64, y: i64| {
                i64::from(image.pixels[(y.clamp(0, h - 1) * w + x.clamp(0, w - 1)) as usize])
            };
            let n = (2 * r + 1) * (2 * r + 1);
            (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .map(|(x, y)| {
                    let sum: i64 = (-r..=r)
                        .flat_map(|dy| (-r..=r).map(move |dx| (dx, dy)))
                        .map(|(dx, dy)| at(x + dx, y + dy))
                        .sum();
                    combine(at(x, y), sum / n).clamp(0, 255) as u8
                })
                .collect()
        }
        // Images narrower and shorter than the box too.
        for (width, height) in [(13, 9), (1, 1), (2, 3), (4, 1), (1, 6)] {
            let pixels: Vec<u8> = (0..width * height)
                .map(|i| ((i * 89) % 256) as u8)
                .collect();
            let noisy = image(width, height, &pixels);
            for radius in [1, 2] {
                assert_eq!(
                    sharpen(&noisy, radius).pixels,
                    reference(&noisy, i64::from(radius), |pixel, mean| 2 * pixel - mean),
                    "{width}×{height}, radius {radius}"
                );
            }
            let smoothed = reference(&noisy, 1, |_, mean| mean);
            assert_eq!(smooth(&noisy).pixels, smoothed, "{width}×{height}");
        }
        // A step from 100 to 200: darker before it, lighter after it, flat far from it.
        let step: Vec<u8> = (0..12).map(|i| if i < 6 { 100 } else { 200 }).collect();
        let sharpened = sharpen(&image(12, 1, &step), 1).pixels;
        assert_eq!(sharpened[0], 100);
        assert!(sharpened[5] < 100 && sharpened[6] > 200);
        assert_eq!(sharpened[11], 200);
    }

    #[test]
    fn padding_surrounds_the_image_with_white() {
        let padded = pad(&image(2, 1, &[0, 10]), 1);
        assert_eq!((padded.width, padded.height), (4, 3));
        #[rustfmt::skip]
        assert_eq!(padded.pixels, vec![
            255, 255, 255, 255,
            255,   0,  10, 255,
            255, 255, 255, 255,
        ]);
    }

    #[test]
    fn downscaling_averages_blocks() {
        #[rustfmt::skip]
        let source = image(4, 2, &[
            0, 100, 255, 255,
            0, 100, 255, 251,
        ]);
        let small = downscale(&source, 2);
        assert_eq!((small.width, small.height), (2, 1));
        assert_eq!(small.pixels, vec![50, 254]);
        // Partial blocks at the right and bottom edges are dropped.
        let odd = downscale(&image(3, 3, &[10; 9]), 2);
        assert_eq!(odd, image(1, 1, &[10]));
        // Halving (its own code) gives the general case's means.
        let pixels: Vec<u8> = (0..7 * 5).map(|i| (i * 37 % 256) as u8).collect();
        let odd = image(7, 5, &pixels);
        assert_eq!(halve(&odd), downscale_by_blocks(&odd, 2));
        assert_eq!(downscale(&odd, 2), downscale_by_blocks(&odd, 2));
        // An image smaller than one block is kept as it is.
        assert_eq!(downscale(&image(1, 1, &[7]), 4), image(1, 1, &[7]));
    }

    #[test]
    fn upscaling_repeats_pixels() {
        let big = upscale(&image(2, 1, &[1, 2]), 2);
        assert_eq!((big.width, big.height), (4, 2));
        assert_eq!(big.pixels, vec![1, 1, 2, 2, 1, 1, 2, 2]);
        assert_eq!(downscale(&big, 2), image(2, 1, &[1, 2]));
    }
}
