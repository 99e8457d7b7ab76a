//! QR decoding: pixels to text.
//!
//! ```text
//! RGBA ─luma─▶ LumaImage ─preprocess─▶ attempts ─decoder─▶ text
//! ```
//!
//! [`decode_luma`] tries a short list of variants of the image (as it is, inverted for
//! dark-mode screenshots, binarized for glare, ...) and returns the first code found. Which variants are tried,
//! and in what order, was chosen by measurement (`benches/qr.rs`).

mod binarizer;
mod decoder;
mod finder_sets;
#[cfg(feature = "image-files")]
mod image_file;
mod luma;
mod preprocess;

pub use luma::LumaImage;

use crate::{Error, Result};
use decoder::Threshold;

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
    // Dim or faded codes: stretched before any binarizer sees them (see the function).
    let stretched = preprocess::stretch_contrast(working.as_ref());
    let image = stretched.as_ref();
    // Cheapest and most often successful first; each later attempt rescued a few per cent of
    // a degraded test set (blurred, noisy, tiny, dark-mode) in `benches/qr.rs`, and costs time
    // only when everything before it failed.
    decoder::decode(image, Threshold::Local)
        .or_else(|| decoder::decode(&image.inverted(), Threshold::Local))
        .or_else(|| decoder::decode(image, Threshold::Global))
        .or_else(|| decoder::decode(image, Threshold::Glare))
        .or_else(|| small_image_attempts(image))
        .or_else(|| large_image_attempts(image))
        .ok_or(Error::NoQrCode)
}

/// Longest side (in pixels) up to which an image counts as a cropped code rather than a
/// camera frame: real certificate crops are 150–400 pixels wide.
const SMALL_IMAGE_SIDE: u32 = 400;

/// Shortest side (in pixels) from which a frame is worth searching again at half size.
const LARGE_IMAGE_SIDE: u32 = 600;

/// Cropped, small or blurred codes: a wider quiet zone, then twice the size.
fn small_image_attempts(image: &LumaImage) -> Option<String> {
    if image.width.max(image.height) > SMALL_IMAGE_SIDE {
        return None;
    }
    decoder::decode(&preprocess::pad(image, QUIET_ZONE), Threshold::Local)
        .or_else(|| decoder::decode(&preprocess::upscale(image, 2), Threshold::Local))
}

/// White border added around small images, in pixels: four of the binarizer's 8-pixel blocks.
const QUIET_ZONE: u32 = 32;

/// Out-of-focus camera frames: at half size the blur spans fewer pixels.
fn large_image_attempts(image: &LumaImage) -> Option<String> {
    if image.width.min(image.height) < LARGE_IMAGE_SIDE {
        return None;
    }
    let half = preprocess::downscale(image, 2);
    decoder::decode(&half, Threshold::Local).or_else(|| decoder::decode(&half, Threshold::Global))
}

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
