//! Pixels to 8-bit luma: colour conversion, alpha compositing onto white, inversion.

use crate::limits::{MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE};
use crate::{Error, Result};

/// An 8-bit greyscale image, row-major, one byte per pixel (0 = black, 255 = white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LumaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height` luma values, row by row.
    pub pixels: Vec<u8>,
}

impl LumaImage {
    /// Checks that the size is within [`crate::limits`] and matches the pixel buffer.
    pub(crate) fn validate(&self) -> Result<()> {
        let pixel_count = checked_pixel_count(self.width, self.height)?;
        if self.pixels.len() != pixel_count {
            return Err(Error::Image(format!(
                "{} bytes of pixels do not make a {}×{} greyscale image",
                self.pixels.len(),
                self.width,
                self.height
            )));
        }
        Ok(())
    }

    /// The negative image: dark-mode screenshots show a light code on a dark background,
    /// which decoders only find once the image is inverted.
    pub(crate) fn inverted(&self) -> LumaImage {
        LumaImage {
            width: self.width,
            height: self.height,
            pixels: self.pixels.iter().map(|&p| 255 - p).collect(),
        }
    }
}

/// `width × height`, after checking both against [`MAX_IMAGE_SIDE`] and [`MAX_IMAGE_PIXELS`],
/// so that no buffer is ever sized from an unchecked header.
pub(crate) fn checked_pixel_count(width: u32, height: u32) -> Result<usize> {
    if width == 0 || height == 0 {
        return Err(Error::Image(format!(
            "the image has no pixels ({width}×{height})"
        )));
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || pixels > MAX_IMAGE_PIXELS {
        return Err(Error::ImageTooLarge { width, height });
    }
    usize::try_from(pixels).map_err(|_| Error::ImageTooLarge { width, height })
}

/// Luma of one sRGB pixel (ITU-R BT.601 weights in 8-bit fixed point; the weights sum to 256).
fn luma_of(r: u8, g: u8, b: u8) -> u8 {
    let weighted = 77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b);
    // At most 255 * 256 before the shift, so the result fits a byte.
    (weighted >> 8) as u8
}

/// `luma` seen through opacity `alpha`, over a white page. A transparent background must
/// read as paper: with its colour channels (usually black) taken as they are, a QR code on a
/// transparent PNG would be black on black.
pub(crate) fn over_white(luma: u8, alpha: u8) -> u8 {
    let (l, a) = (u32::from(luma), u32::from(alpha));
    // Rounded division by 255; the result is at most 255.
    ((l * a + 255 * (255 - a) + 127) / 255) as u8
}

/// Converts RGBA pixels (8 bits per channel, row-major, not premultiplied) to luma,
/// compositing partly transparent pixels onto white.
pub(crate) fn luma_from_rgba(rgba: &[u8], width: u32, height: u32) -> Result<LumaImage> {
    let pixel_count = checked_pixel_count(width, height)?;
    if pixel_count.checked_mul(4) != Some(rgba.len()) {
        return Err(Error::Image(format!(
            "{} bytes of pixels do not make a {width}×{height} RGBA image",
            rgba.len()
        )));
    }
    let pixels = rgba
        .chunks_exact(4)
        .map(|px| match *px {
            // Camera frames are opaque: no division per pixel (a third of this step's time).
            [r, g, b, 255] => luma_of(r, g, b),
            [r, g, b, a] => over_white(luma_of(r, g, b), a),
            _ => 255,
        })
        .collect();
    Ok(LumaImage {
        width,
        height,
        pixels,
    })
}

/// Converts packed 8-bit pixels with `channels` samples each (1 grey, 2 grey+alpha, 3 RGB,
/// 4 RGBA) to luma, compositing any alpha onto white. `samples.len()` must be a multiple of
/// `channels`; the caller has checked it against the image size.
#[cfg(feature = "image-files")]
pub(crate) fn luma_from_samples(samples: &[u8], channels: usize) -> Vec<u8> {
    match channels {
        1 => samples.to_vec(),
        2 => samples
            .chunks_exact(2)
            .map(|px| match *px {
                [l, a] => over_white(l, a),
                _ => 255,
            })
            .collect(),
        3 => samples
            .chunks_exact(3)
            .map(|px| match *px {
                [r, g, b] => luma_of(r, g, b),
                _ => 255,
            })
            .collect(),
        _ => samples
            .chunks_exact(4)
            .map(|px| match *px {
                [r, g, b, a] => over_white(luma_of(r, g, b), a),
                _ => 255,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgba_pixels_become_luma_over_white() {
        // (r, g, b, a) -> expected luma
        let cases: [([u8; 4], u8); 7] = [
            ([0, 0, 0, 255], 0),         // opaque black
            ([255, 255, 255, 255], 255), // opaque white
            ([0, 0, 0, 0], 255),         // transparent black reads as paper
            ([12, 200, 7, 0], 255),      // any transparent colour reads as paper
            ([0, 0, 0, 128], 127),       // half-transparent black is mid grey
            ([255, 0, 0, 255], 76),      // red
            ([0, 0, 255, 255], 28),      // blue is darker than red
        ];
        for (rgba, expected) in cases {
            let image = luma_from_rgba(&rgba, 1, 1).unwrap();
            assert_eq!(image.pixels, vec![expected], "rgba {rgba:?}");
        }
    }

    #[cfg(feature = "image-files")]
    #[test]
    fn samples_of_each_layout_agree_with_rgba() {
        assert_eq!(luma_from_samples(&[0, 0, 200, 255], 2), vec![255, 200]);
        assert_eq!(luma_from_samples(&[255, 0, 0], 3), vec![76]);
        assert_eq!(luma_from_samples(&[0, 0, 0, 0], 4), vec![255]);
        assert_eq!(luma_from_samples(&[9, 8], 1), vec![9, 8]);
    }

    #[test]
    fn inversion_swaps_black_and_white() {
        let image = LumaImage {
            width: 3,
            height: 1,
            pixels: vec![0, 100, 255],
        };
        let inverted = image.inverted();
        assert_eq!(inverted.pixels, vec![255, 155, 0]);
        assert_eq!(inverted.inverted(), image);
    }

    #[test]
    fn wrong_buffer_lengths_are_errors() {
        assert!(matches!(
            luma_from_rgba(&[0; 15], 2, 2),
            Err(Error::Image(_))
        ));
        assert!(matches!(luma_from_rgba(&[], 0, 0), Err(Error::Image(_))));
        let short = LumaImage {
            width: 4,
            height: 4,
            pixels: vec![0; 15],
        };
        assert!(matches!(short.validate(), Err(Error::Image(_))));
    }

    #[test]
    fn oversized_dimensions_are_refused_before_any_allocation() {
        let cases = [
            (MAX_IMAGE_SIDE + 1, 1),
            (1, MAX_IMAGE_SIDE + 1),
            (10_000, 10_000),
            (u32::MAX, u32::MAX),
        ];
        for (width, height) in cases {
            assert_eq!(
                luma_from_rgba(&[], width, height),
                Err(Error::ImageTooLarge { width, height }),
                "{width}×{height}"
            );
        }
    }
}
