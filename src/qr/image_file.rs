//! PNG and JPEG files to luma, for the command-line tool and the conformance runner.
//!
//! The format is told by the file's first bytes, never by its name: real samples include
//! JPEGs saved as `.png`. EXIF orientation is not applied: a QR code reads the same at any
//! rotation, so turning the pixels would cost time and change nothing.

use std::io::Cursor;

use png::{BitDepth, ColorType, Transformations};
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use super::luma::{checked_pixel_count, luma_from_samples, LumaImage};
use crate::{Error, Result};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_SIGNATURE: &[u8] = &[0xFF, 0xD8, 0xFF];

/// Decodes a PNG or JPEG file to luma, compositing transparency onto white.
pub(crate) fn load_image_file(bytes: &[u8]) -> Result<LumaImage> {
    if bytes.starts_with(PNG_SIGNATURE) {
        load_png(bytes)
    } else if bytes.starts_with(JPEG_SIGNATURE) {
        load_jpeg(bytes)
    } else if bytes.is_empty() {
        Err(Error::Image("the file is empty".to_owned()))
    } else {
        Err(Error::Image(
            "the file is neither a PNG nor a JPEG image".to_owned(),
        ))
    }
}

fn load_png(bytes: &[u8]) -> Result<LumaImage> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Palette, low-bit-depth grey and tRNS transparency expand to 8-bit samples, and 16-bit
    // samples are cut to 8 bits, so only four 8-bit layouts remain below.
    decoder.set_transformations(Transformations::normalize_to_color8());
    let info = decoder.read_header_info().map_err(png_error)?;
    let (width, height) = (info.width, info.height);
    // Checked before the pixel buffer exists, so a forged header cannot make us allocate.
    checked_pixel_count(width, height)?;
    let mut reader = decoder.read_info().map_err(png_error)?;
    let buffer_len = reader
        .output_buffer_size()
        .ok_or(Error::ImageTooLarge { width, height })?;
    let mut buffer = vec![0; buffer_len];
    let frame = reader.next_frame(&mut buffer).map_err(png_error)?;
    let channels = match frame.color_type {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => {
            return Err(Error::Image("the PNG palette cannot be read".to_owned()));
        }
    };
    if frame.bit_depth != BitDepth::Eight {
        return Err(Error::Image(
            "the PNG's bit depth is not supported".to_owned(),
        ));
    }
    // The first frame of an animated PNG may be smaller than the canvas: read what it covers.
    let row_len = frame.width as usize * channels;
    let samples: Vec<u8> = buffer
        .chunks_exact(frame.line_size.max(1))
        .take(frame.height as usize)
        .flat_map(|line| line.get(..row_len).unwrap_or_default())
        .copied()
        .collect();
    let pixels = luma_from_samples(&samples, channels);
    let image = LumaImage {
        width: frame.width,
        height: frame.height,
        pixels,
    };
    image.validate()?;
    Ok(image)
}

fn png_error(error: png::DecodingError) -> Error {
    match error {
        png::DecodingError::LimitsExceeded => {
            Error::Image("the PNG needs more memory than allowed".to_owned())
        }
        other => Error::Image(format!("the PNG file is damaged ({other})")),
    }
}

fn load_jpeg(bytes: &[u8]) -> Result<LumaImage> {
    // The decoder keeps only the brightness channel: colour plays no part in finding a code.
    // Its own size limits are lifted so that our check below reports an oversized image as
    // such; a JPEG header cannot exceed 65,535 on a side anyway.
    let options = DecoderOptions::default()
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX))
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(jpeg_error)?;
    let (width, height) = decoder
        .info()
        .map(|info| (u32::from(info.width), u32::from(info.height)))
        .ok_or_else(|| Error::Image("the JPEG file has no image header".to_owned()))?;
    checked_pixel_count(width, height)?;
    let pixels = decoder.decode().map_err(jpeg_error)?;
    let image = LumaImage {
        width,
        height,
        pixels,
    };
    image.validate()?;
    Ok(image)
}

fn jpeg_error(error: zune_jpeg::errors::DecodeErrors) -> Error {
    Error::Image(format!("the JPEG file is damaged ({error})"))
}
