//! Reed–Solomon error correction of a QR code's codeword blocks (ISO/IEC 18004 §7.5: GF(256)
//! with the primitive polynomial x⁸ + x⁴ + x³ + x² + 1, generator roots α⁰ … α²ᵗ⁻¹).
//!
//! Our own instead of rxing's `ReedSolomonDecoder`, for speed in wasm: rxing checks on every
//! polynomial operation that both operands use the same field by comparing the fields' 16 KB
//! tables byte by byte (`GenericGFPoly::addOrSubtract`), which in wasm is a byte loop; on the QR
//! bench's frames that was a tenth of all decoding time, a quarter of a glare frame's. Here the
//! tables are built at compile time and the decoder works in fixed-size arrays: syndromes,
//! Berlekamp–Massey for the error locator, Chien search for the positions, Forney for the
//! values. It corrects exactly what rxing's corrects (a test compares the two on random
//! blocks with up to, and beyond, the correctable number of errors).

/// Elements of GF(256) as bytes.
type Element = u8;

/// The field's primitive polynomial (0x11D), as QR codes use.
const PRIMITIVE: u16 = 0x11D;

/// `EXP[i]` = αⁱ, for i in 0..510: twice the period, so a product of two logarithms needs no
/// reduction modulo 255.
const EXP: [Element; 510] = {
    let mut table = [0; 510];
    let mut value: u16 = 1;
    let mut i = 0;
    while i < 510 {
        table[i] = value as Element;
        value <<= 1;
        if value & 0x100 != 0 {
            value ^= PRIMITIVE;
        }
        i += 1;
    }
    table
};

/// `LOG[x]` = i with αⁱ = x, for x ≠ 0 (`LOG[0]` is unused).
const LOG: [u8; 256] = {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 255 {
        table[EXP[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// The most error-correction codewords a QR block has (version 40-H has 30).
const MAX_EC_CODEWORDS: usize = 30;

/// The longest codeword block a GF(256) code can have.
const MAX_BLOCK_LENGTH: usize = 255;

fn multiply(a: Element, b: Element) -> Element {
    if a == 0 || b == 0 {
        return 0;
    }
    EXP[usize::from(LOG[usize::from(a)]) + usize::from(LOG[usize::from(b)])]
}

/// a / b, for b ≠ 0.
fn divide(a: Element, b: Element) -> Element {
    if a == 0 {
        return 0;
    }
    EXP[usize::from(LOG[usize::from(a)]) + 255 - usize::from(LOG[usize::from(b)])]
}

/// αⁱ for any i ≥ 0.
fn alpha_power(i: usize) -> Element {
    EXP[i % 255]
}

/// The polynomial `coefficients` (lowest degree first) at `x`.
fn evaluate(coefficients: &[Element], x: Element) -> Element {
    coefficients
        .iter()
        .rev()
        .fold(0, |sum, &coefficient| multiply(sum, x) ^ coefficient)
}

/// Why a block cannot be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Uncorrectable {
    /// More errors than the block's error-correction codewords can correct, or a block that
    /// is not a QR block at all (more than 255 codewords, or more than 30 for correction).
    TooManyErrors,
}

/// Corrects `block` in place: its data codewords followed by its `ec_codewords`
/// error-correction codewords, first codeword the highest power of x.
pub(crate) fn correct(block: &mut [u8], ec_codewords: usize) -> Result<(), Uncorrectable> {
    let length = block.len();
    if length > MAX_BLOCK_LENGTH || ec_codewords > MAX_EC_CODEWORDS || ec_codewords >= length {
        return Err(Uncorrectable::TooManyErrors);
    }
    // Syndromes: the received polynomial at the generator's roots α⁰ … α^(2t−1).
    let mut syndromes = [0 as Element; MAX_EC_CODEWORDS];
    let syndromes = &mut syndromes[..ec_codewords];
    for (j, syndrome) in syndromes.iter_mut().enumerate() {
        let x = alpha_power(j);
        *syndrome = block
            .iter()
            .fold(0, |sum, &codeword| multiply(sum, x) ^ codeword);
    }
    if syndromes.iter().all(|&s| s == 0) {
        return Ok(());
    }
    let (locator, errors) = error_locator(syndromes);
    if 2 * errors > ec_codewords {
        return Err(Uncorrectable::TooManyErrors);
    }
    let locator = &locator[..=errors];
    // Error evaluator Ω(x) = S(x)·Λ(x) mod x^2t.
    let mut evaluator = [0 as Element; MAX_EC_CODEWORDS];
    for (i, slot) in evaluator.iter_mut().enumerate().take(ec_codewords) {
        *slot = locator
            .iter()
            .enumerate()
            .take(i + 1)
            .fold(0, |sum, (k, &l)| sum ^ multiply(l, syndromes[i - k]));
    }
    let evaluator = &evaluator[..ec_codewords];
    // Formal derivative Λ'(x): the odd terms, each down one degree.
    let mut derivative = [0 as Element; MAX_EC_CODEWORDS];
    for i in (1..locator.len()).step_by(2) {
        derivative[i - 1] = locator[i];
    }
    let derivative = &derivative[..locator.len().saturating_sub(1)];
    // Chien search: an error at the power p of x (index length−1−p) makes Λ(α^−p) zero.
    let mut found = 0;
    for power in 0..length {
        let inverse = alpha_power(255 - power % 255);
        if evaluate(locator, inverse) != 0 {
            continue;
        }
        // Forney, for generator roots from α⁰: e = X·Ω(X⁻¹) / Λ'(X⁻¹) with X = α^p.
        let denominator = evaluate(derivative, inverse);
        if denominator == 0 {
            return Err(Uncorrectable::TooManyErrors);
        }
        let value = multiply(
            alpha_power(power),
            divide(evaluate(evaluator, inverse), denominator),
        );
        block[length - 1 - power] ^= value;
        found += 1;
    }
    // Fewer roots inside the block than the locator's degree: errors beyond correction.
    if found != errors {
        return Err(Uncorrectable::TooManyErrors);
    }
    Ok(())
}

/// Berlekamp–Massey: the error locator Λ(x) (lowest degree first) of the syndromes, and its
/// number of errors.
fn error_locator(syndromes: &[Element]) -> ([Element; MAX_EC_CODEWORDS + 1], usize) {
    let mut locator = [0 as Element; MAX_EC_CODEWORDS + 1];
    let mut previous = [0 as Element; MAX_EC_CODEWORDS + 1];
    locator[0] = 1;
    previous[0] = 1;
    let mut errors = 0;
    // Steps since `previous` was last replaced, and the discrepancy it was replaced at.
    let mut shift = 1;
    let mut previous_discrepancy: Element = 1;
    for n in 0..syndromes.len() {
        let discrepancy = (1..=errors).fold(syndromes[n], |sum, i| {
            sum ^ multiply(locator[i], syndromes[n - i])
        });
        if discrepancy == 0 {
            shift += 1;
            continue;
        }
        let scale = divide(discrepancy, previous_discrepancy);
        let before = locator;
        for i in shift..locator.len() {
            locator[i] ^= multiply(scale, previous[i - shift]);
        }
        if 2 * errors <= n {
            errors = n + 1 - errors;
            previous = before;
            previous_discrepancy = discrepancy;
            shift = 1;
        } else {
            shift += 1;
        }
    }
    (locator, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::test_random::XorShift64;
    use rxing::common::reedsolomon::{
        GenericGFRef, PredefinedGenericGF, ReedSolomonDecoder, ReedSolomonEncoder,
    };

    fn qr_field() -> GenericGFRef {
        PredefinedGenericGF::QrCodeField256.into()
    }

    #[test]
    fn field_tables_are_inverse() {
        for x in 1..=255u8 {
            assert_eq!(EXP[usize::from(LOG[usize::from(x)])], x);
            assert_eq!(multiply(x, divide(1, x)), 1, "{x}");
        }
        // α⁸ = α⁴ + α³ + α² + 1 (0x11D without x⁸).
        assert_eq!(EXP[8], 0x1D);
    }

    fn encoded(data: &[u8], ec_codewords: usize) -> Vec<u8> {
        let mut words: Vec<i32> = data.iter().map(|&b| i32::from(b)).collect();
        words.extend(std::iter::repeat_n(0, ec_codewords));
        ReedSolomonEncoder::new(qr_field())
            .unwrap()
            .encode(&mut words, ec_codewords)
            .unwrap();
        words.iter().map(|&w| w as u8).collect()
    }

    fn corrected_by_rxing(received: &[u8], ec_codewords: usize) -> Option<Vec<u8>> {
        let mut words = received.to_vec();
        ReedSolomonDecoder::new(qr_field())
            .decode(&mut words, ec_codewords as i32)
            .ok()?;
        Some(words)
    }

    /// Blocks of QR sizes with 0 to t + 3 errors: the codeword back up to t errors, and the
    /// same outcome as rxing's decoder (the reference this replaces) for every block.
    #[test]
    fn corrects_as_rxing_does() {
        let mut random = XorShift64(0x9E37_79B9_7F4A_7C15);
        // (data, error-correction) codewords of some QR blocks: 1-L, 1-H, 5-Q, 10-M, 40-H, and
        // the longest a block can be.
        for (data_length, ec_codewords) in
            [(19, 7), (9, 17), (15, 18), (43, 26), (15, 30), (225, 30)]
        {
            for errors in 0..=ec_codewords / 2 + 3 {
                for _ in 0..40 {
                    let data: Vec<u8> = (0..data_length).map(|_| random.next() as u8).collect();
                    let sent = encoded(&data, ec_codewords);
                    let mut received = sent.clone();
                    let mut hit = std::collections::HashSet::new();
                    while hit.len() < errors {
                        let at = random.below(received.len() as u64) as usize;
                        if hit.insert(at) {
                            received[at] ^= (1 + random.below(255)) as u8;
                        }
                    }
                    let reference = corrected_by_rxing(&received, ec_codewords);
                    let mut ours = received.clone();
                    let outcome = correct(&mut ours, ec_codewords);
                    assert_eq!(
                        outcome.is_ok().then_some(&ours),
                        reference.as_ref(),
                        "{data_length}+{ec_codewords}, {errors} errors"
                    );
                    if 2 * errors <= ec_codewords {
                        assert_eq!(ours, sent, "{data_length}+{ec_codewords}, {errors} errors");
                    }
                }
            }
        }
    }

    #[test]
    fn blocks_that_are_not_qr_blocks_are_refused() {
        assert!(correct(&mut [0; 256], 10).is_err());
        assert!(correct(&mut [0; 40], 31).is_err());
        assert!(correct(&mut [0; 10], 10).is_err());
        assert!(correct(&mut [], 0).is_err());
    }
}
