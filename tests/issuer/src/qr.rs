//! QR images of `HC1:` texts, as PNG, in the styles a QR decoder meets in the wild.

use qrcode::{Color, EcLevel, QrCode};

/// How to draw a QR code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QrStyle {
    /// Error correction: L or M are what issuers use (Vietnam's sample is L).
    pub ec_level: EcLevel,
    /// Pixels per module (when `size` is `None`).
    pub module_px: u32,
    /// Quiet zone, in modules, on each side (the standard asks for 4).
    pub quiet_zone: u32,
    /// Light modules on a dark background.
    pub inverted: bool,
    /// The light background is fully transparent (RGBA pixels 0,0,0,0, as a canvas reads them).
    pub transparent: bool,
    /// An exact image side in pixels, sampled nearest-neighbour (modules then have uneven
    /// sizes, like a photo of a small code).
    pub size: Option<u32>,
}

impl Default for QrStyle {
    /// Level L, 4 px per module, 4-module quiet zone, black on white.
    fn default() -> Self {
        QrStyle {
            ec_level: EcLevel::L,
            module_px: 4,
            quiet_zone: 4,
            inverted: false,
            transparent: false,
            size: None,
        }
    }
}

/// The QR modules of `text` (dark = `true`), row by row, and the side in modules.
///
/// # Panics
/// If the text does not fit in a QR code.
pub fn modules(text: &str, ec_level: EcLevel) -> (usize, Vec<bool>) {
    let code = QrCode::with_error_correction_level(text, ec_level).expect("text fits a QR code");
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|color| color == Color::Dark)
        .collect();
    (width, dark)
}

/// A PNG image of the QR code of `text`.
pub fn png(text: &str, style: &QrStyle) -> Vec<u8> {
    let (width, dark) = modules(text, style.ec_level);
    let quiet = style.quiet_zone as usize;
    let total_modules = width + 2 * quiet;
    let side = style
        .size
        .unwrap_or((total_modules as u32) * style.module_px) as usize;
    // Whether the pixel (x, y) falls on a dark module (quiet zone included).
    let is_dark = |x: usize, y: usize| {
        let mx = x * total_modules / side;
        let my = y * total_modules / side;
        mx >= quiet
            && my >= quiet
            && mx < quiet + width
            && my < quiet + width
            && dark
                .get((my - quiet) * width + (mx - quiet))
                .copied()
                .unwrap_or(false)
    };

    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_compression(png::Compression::High);
    let data: Vec<u8> = if style.transparent {
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut data = Vec::with_capacity(side * side * 4);
        for y in 0..side {
            for x in 0..side {
                let ink = is_dark(x, y) != style.inverted;
                data.extend_from_slice(if ink { &[0, 0, 0, 255] } else { &[0, 0, 0, 0] });
            }
        }
        data
    } else {
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let row_bytes = side.div_ceil(8);
        let mut data = vec![0u8; row_bytes * side];
        for y in 0..side {
            for x in 0..side {
                let black = is_dark(x, y) != style.inverted;
                if !black {
                    data[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        data
    };
    let mut writer = encoder.write_header().expect("PNG header to memory");
    writer.write_image_data(&data).expect("PNG data to memory");
    writer.finish().expect("PNG end");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (u32, u32, png::ColorType, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("PNG info");
        let mut buffer = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buffer).expect("frame");
        buffer.truncate(info.buffer_size());
        (info.width, info.height, info.color_type, buffer)
    }

    #[test]
    fn default_png_has_quiet_zone_and_finder_pattern() {
        let text = "HC1:NCFTEST";
        let (width, _) = modules(text, EcLevel::L);
        let (w, h, color, data) = decode(&png(text, &QrStyle::default()));
        assert_eq!((w, h), ((width as u32 + 8) * 4, (width as u32 + 8) * 4));
        assert_eq!(color, png::ColorType::Grayscale);
        let row_bytes = (w as usize).div_ceil(8);
        let pixel = |x: usize, y: usize| data[y * row_bytes + x / 8] & (0x80 >> (x % 8)) != 0;
        assert!(pixel(0, 0), "quiet zone is white");
        assert!(!pixel(16, 16), "finder pattern corner is black");
    }

    #[test]
    fn styles_change_the_pixels() {
        let text = "HC1:NCFTEST";
        let inverted = decode(&png(
            text,
            &QrStyle {
                inverted: true,
                ..QrStyle::default()
            },
        ));
        let row_bytes = (inverted.0 as usize).div_ceil(8);
        assert_eq!(inverted.3[0] & 0x80, 0, "inverted quiet zone is black");
        assert_ne!(
            inverted.3[16 * row_bytes + 2] & 0x80,
            0,
            "inverted finder is white"
        );

        let clear = decode(&png(
            text,
            &QrStyle {
                transparent: true,
                ..QrStyle::default()
            },
        ));
        assert_eq!(clear.2, png::ColorType::Rgba);
        assert_eq!(&clear.3[..4], &[0, 0, 0, 0]);

        let small = decode(&png(
            text,
            &QrStyle {
                size: Some(150),
                ..QrStyle::default()
            },
        ));
        assert_eq!((small.0, small.1), (150, 150));
    }
}
