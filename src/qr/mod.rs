//! QR decoding: pixels to text.
//!
//! ```text
//! RGBA ─luma─▶ LumaImage ─preprocess─▶ attempts ─decoder─▶ text
//! ```
//!
//! [`decode_luma`] tries a short list of variants of the image (at half size first for large
//! frames, as it is, sharpened for blur, binarized for glare, ...), each searched for dark
//! codes and, in the same black-and-white image flipped, for light ones (dark-mode screens),
//! and returns the first code found. Which variants are tried, and in what order,
//! was chosen by measurement (`benches/qr.rs`, on the browser bench's frames and on real
//! certificate pictures): each one read codes that none before it read, and the common cases
//! are read by the first.

mod binarizer;
mod decoder;
mod finder_sets;
#[cfg(feature = "image-files")]
mod image_file;
mod luma;
mod preprocess;
mod reed_solomon;
mod symbol;
#[cfg(test)]
mod test_random;

pub use luma::LumaImage;

use std::borrow::Cow;

use crate::{Error, Result};
use decoder::{Detectors, Polarity, Threshold};

/// Converts RGBA pixels (8 bits per channel, row-major, straight alpha, as a canvas'
/// `ImageData` holds them) to luma. Transparent pixels become white, as on paper.
///
/// # Errors
/// [`Error::ImageTooLarge`] beyond [`crate::limits::MAX_IMAGE_PIXELS`] or
/// [`crate::limits::MAX_IMAGE_SIDE`]; [`Error::Image`] when `rgba` is not `width × height × 4`
/// bytes long.
pub fn luma_from_rgba(rgba: &[u8], width: u32, height: u32) -> Result<LumaImage> {
    luma::luma_from_rgba(rgba, width, height)
}

/// Finds a QR code in a greyscale image and returns its text.
///
/// Dark-on-light and light-on-dark (inverted) codes are both found. Frames larger than
/// [`crate::limits::MAX_DECODE_PIXELS`] are shrunk before the search.
///
/// # Errors
/// [`Error::NoQrCode`] when no readable code is found; [`Error::ImageTooLarge`] or
/// [`Error::Image`] when the image is over the bounds or its buffer does not match its size.
pub fn decode_luma(image: &LumaImage) -> Result<String> {
    image.validate()?;
    let working = preprocess::fit_for_decoding(image);
    let shortest_side = working.width.min(working.height);
    let is_frame = shortest_side > SMALL_IMAGE_SIDE;
    let half_first = shortest_side >= LARGE_IMAGE_SIDE;
    // Dim or faded codes: stretched before any binarizer sees them (see `ContrastStretch`).
    // A stretched image has its noise stretched too, which the local thresholds turn into
    // speckle in flat areas: slow to search, and errors in the code. Searched first smoothed
    // (a 3×3 mean, in the same pass as the stretch), unless searched at half size first, which
    // averages 2×2 pixels; then as it is, since smoothing also erases modules of two pixels or
    // less.
    let stretch = preprocess::ContrastStretch::of(working.as_ref());
    // ZXing's detector finds some small crops that zxing-cpp's misses; in a camera frame it
    // found one code of the QR bench's 432 while it took half the time of every search that
    // failed (a dark-mode code's first search, say), so a frame gets it last.
    let first_detectors = if is_frame {
        Detectors::Capped
    } else {
        Detectors::Both
    };
    if let Some(stretch) = stretch.filter(|_| !half_first) {
        let smoothed = stretch.apply_smoothed(working.as_ref());
        let found = decoder::decode(&smoothed, Threshold::Local, first_detectors, Polarity::Both);
        if let Some(text) = found {
            return Ok(text);
        }
    }
    let stretched = match stretch {
        Some(stretch) => Cow::Owned(stretch.apply(working.as_ref())),
        None => working,
    };
    let image = stretched.as_ref();
    // Made once, when an attempt first needs it.
    let half = std::cell::OnceCell::new();
    let at_half = |threshold, polarity| {
        if !is_frame {
            return None;
        }
        let half = half.get_or_init(|| preprocess::downscale(image, 2));
        decoder::decode(half, threshold, Detectors::Capped, polarity)
    };
    // Cheapest and most often successful first; each later attempt rescued a few per cent of
    // a degraded test set (blurred, noisy, tiny, dark-mode, glare) in `benches/qr.rs`, and costs
    // time only when everything before it failed. Dark-mode codes are looked for in the same
    // black-and-white image as the others (`Polarity::Both`), as zxing-cpp does.
    let sharpened = |image: &LumaImage, radius| {
        decoder::decode(
            &preprocess::sharpen(image, radius),
            Threshold::Local,
            Detectors::Capped,
            Polarity::Dark,
        )
    };
    half_first
        .then(|| at_half(Threshold::Local, Polarity::Both))
        .flatten()
        .or_else(|| decoder::decode(image, Threshold::Local, first_detectors, Polarity::Both))
        .or_else(|| sharpened(image, 1))
        .or_else(|| decoder::decode(image, Threshold::Global, Detectors::Capped, Polarity::Dark))
        .or_else(|| decoder::decode(image, Threshold::Glare, Detectors::Capped, Polarity::Dark))
        .or_else(|| sharpened(image, 2))
        // Dark mode out of focus: the image inverted, not its black-and-white image flipped
        // (their flat areas differ, and a blurred code has wide ones).
        .or_else(|| sharpened(&image.inverted(), 2))
        .or_else(|| small_image_attempts(image))
        .or_else(|| {
            (!half_first)
                .then(|| at_half(Threshold::Local, Polarity::Both))
                .flatten()
        })
        .or_else(|| at_half(Threshold::Global, Polarity::Dark))
        .or_else(|| {
            is_frame
                .then(|| decoder::decode(image, Threshold::Local, Detectors::Zxing, Polarity::Dark))
                .flatten()
        })
        .ok_or(Error::NoQrCode)
}

/// Longest side (in pixels) up to which an image counts as a cropped code rather than a
/// camera frame: real certificate crops are 150–400 pixels wide. Beyond it, an image is also
/// searched at half size.
const SMALL_IMAGE_SIDE: u32 = 400;

/// Shortest side (in pixels) from which a frame is searched at half size first: at 1280×720
/// and above a code that fills a useful part of the frame keeps modules of two pixels or more
/// at half size, where the search takes a quarter of the time (and reads out-of-focus codes
/// better: the blur spans fewer pixels). On the QR bench's frames this halved the median time
/// per 720p and 1080p frame and lost no code.
const LARGE_IMAGE_SIDE: u32 = 600;

/// Cropped, small or blurred codes: a wider quiet zone, then twice the size.
fn small_image_attempts(image: &LumaImage) -> Option<String> {
    if image.width.max(image.height) > SMALL_IMAGE_SIDE {
        return None;
    }
    decoder::decode(
        &preprocess::pad(image, QUIET_ZONE),
        Threshold::Local,
        Detectors::Both,
        Polarity::Dark,
    )
    .or_else(|| {
        decoder::decode(
            &preprocess::upscale(image, 2),
            Threshold::Local,
            Detectors::Both,
            Polarity::Dark,
        )
    })
}

/// White border added around small images, in pixels: four of the binarizer's 8-pixel blocks.
const QUIET_ZONE: u32 = 32;

/// Finds a QR code in RGBA pixels (see [`luma_from_rgba`]) and returns its text.
///
/// # Errors
/// As [`luma_from_rgba`] and [`decode_luma`].
pub fn decode_rgba(rgba: &[u8], width: u32, height: u32) -> Result<String> {
    decode_luma(&luma_from_rgba(rgba, width, height)?)
}

/// Decodes a PNG or JPEG file (told apart by content, not by name) to luma.
///
/// # Errors
/// [`Error::Image`] when the bytes are neither a readable PNG nor a readable JPEG;
/// [`Error::ImageTooLarge`] beyond [`crate::limits::MAX_IMAGE_PIXELS`] or
/// [`crate::limits::MAX_IMAGE_SIDE`].
#[cfg(feature = "image-files")]
pub fn load_image_file(bytes: &[u8]) -> Result<LumaImage> {
    image_file::load_image_file(bytes)
}

/// Finds a QR code in a PNG or JPEG file and returns its text.
///
/// # Errors
/// As [`load_image_file`] and [`decode_luma`].
#[cfg(feature = "image-files")]
pub fn decode_image_file(bytes: &[u8]) -> Result<String> {
    decode_luma(&load_image_file(bytes)?)
}
