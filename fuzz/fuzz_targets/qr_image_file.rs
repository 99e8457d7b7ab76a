//! PNG and JPEG files to a QR text (`qr::decode_image_file`): the image decoders, the size
//! bounds, then the QR search.
#![no_main]

use dcc_verifier::qr::{decode_image_file, load_image_file};
use dcc_verifier::Error;
use libfuzzer_sys::fuzz_target;

/// Largest image whose QR search is run here, in pixels. The search of larger ones is
/// `qr_luma`'s business; here it would take most of the time and leave the image decoders,
/// the hostile part of a file, little of it.
const MAX_SEARCHED_PIXELS: usize = 200 * 200;

fuzz_target!(|data: &[u8]| {
    match load_image_file(data) {
        Ok(image) => {
            assert_eq!(
                image.pixels.len(),
                image.width as usize * image.height as usize
            );
            if image.pixels.len() <= MAX_SEARCHED_PIXELS {
                match decode_image_file(data) {
                    Ok(_) | Err(Error::NoQrCode) => {}
                    Err(other) => panic!("a readable image gave {other:?}"),
                }
            }
        }
        Err(Error::Image(_) | Error::ImageTooLarge { .. }) => {}
        Err(other) => panic!("an image gave an error of another kind: {other:?}"),
    }
});
