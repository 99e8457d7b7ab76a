//! ES256 (ECDSA P-256 with SHA-256) verification, fast for the keys a verifier sees again.
//!
//! An ECDSA check computes `u1·G + u2·Q` for the curve's generator `G` and the signer's key
//! `Q`. The `ecdsa` crate does it with a joint wNAF that rebuilds small tables for both points
//! and pays 256 point doublings on every call. A venue sees the same few dozen signing keys over
//! and over, so this module keeps, per point, a table of its multiples at every second radix-16
//! position (the layout of `primeorder`'s basepoint table): a multiplication is then about 65
//! point additions and 4 doublings, and a verification 3–4 times faster than the `ecdsa` crate's.
//!
//! The table for `G` is built once per process. A key's first verification is the `ecdsa`
//! crate's (a key seen once never pays for a table); its second builds the key's table (about
//! 1.5 plain verifications) and keeps it with the key, at most [`MAX_KEY_TABLES`] at a time;
//! past that, keys verify the plain way.
//! Everything here works on public data (keys, signatures, messages), so variable-time
//! arithmetic is safe.
//!
//! The verification equation is that of `ecdsa::hazmat::verify_prehashed`, and the tests below
//! check this module against `p256`'s own verifier.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::bigint::U256;
use p256::elliptic_curve::group::{Curve as _, Group as _};
use p256::elliptic_curve::ops::Reduce;
use p256::elliptic_curve::point::AffineCoordinates as _;
use p256::{AffinePoint, NistP256, ProjectivePoint, Scalar};
use primeorder::{Radix16Decomposition, Radix16Digits};
use sha2::{Digest as _, Sha256};

use crate::limits::MAX_KEY_TABLES;

/// Radix-16 digits of a scalar (64 nibbles and a carry), and so the table rows: one row per
/// pair of digits.
const ROWS: usize = 33;

/// Odd and even multiples kept per row: `1·P … 8·P` (signed digits reach ±8).
const MULTIPLES: usize = 8;

/// `rows[i][j] = (j + 1) · 256^i · P` in affine form, so that each addition is a cheaper
/// mixed (projective + affine) one.
struct PointTable {
    rows: Box<[[AffinePoint; MULTIPLES]; ROWS]>,
}

/// How many key tables exist now, over every trust list of the process.
static LIVE_KEY_TABLES: AtomicUsize = AtomicUsize::new(0);

impl PointTable {
    fn new(point: ProjectivePoint) -> Self {
        let mut projective = Vec::with_capacity(ROWS * MULTIPLES);
        let mut base = point;
        for _ in 0..ROWS {
            let mut multiple = base;
            for _ in 0..MULTIPLES {
                projective.push(multiple);
                multiple += base;
            }
            for _ in 0..8 {
                base = base.double();
            }
        }
        // One field inversion for all 264 points instead of one each.
        let mut affine = vec![AffinePoint::IDENTITY; projective.len()];
        ProjectivePoint::batch_normalize(&projective, &mut affine);
        let mut rows = Box::new([[AffinePoint::IDENTITY; MULTIPLES]; ROWS]);
        for (row, chunk) in rows.iter_mut().zip(affine.chunks_exact(MULTIPLES)) {
            row.copy_from_slice(chunk);
        }
        PointTable { rows }
    }

    /// `k · P`, in variable time.
    fn mul_vartime(&self, k: &Scalar) -> ProjectivePoint {
        let digits = Radix16Decomposition::<Radix16Digits<NistP256>>::new(k);
        let add = |sum: &mut ProjectivePoint, row: &[AffinePoint; MULTIPLES], digit: i8| {
            let index = usize::from(digit.unsigned_abs());
            if index > 0 {
                let multiple = &row[index - 1];
                if digit > 0 {
                    *sum += multiple;
                } else {
                    *sum -= multiple;
                }
            }
        };
        // Even digits straight from the rows; odd ones summed apart, then shifted by 16.
        let mut even = ProjectivePoint::IDENTITY;
        let mut odd = ProjectivePoint::IDENTITY;
        add(&mut even, &self.rows[ROWS - 1], digits[2 * (ROWS - 1)]);
        for (i, row) in self.rows[..ROWS - 1].iter().enumerate() {
            add(&mut odd, row, digits[2 * i + 1]);
            add(&mut even, row, digits[2 * i]);
        }
        for _ in 0..4 {
            odd = odd.double();
        }
        even + odd
    }
}

/// A signing key's table, counted in [`LIVE_KEY_TABLES`] while it exists.
struct KeyTable(PointTable);

impl KeyTable {
    /// Builds the table, unless [`MAX_KEY_TABLES`] exist already.
    fn build(point: ProjectivePoint) -> Option<KeyTable> {
        if LIVE_KEY_TABLES.fetch_add(1, Ordering::Relaxed) >= MAX_KEY_TABLES {
            LIVE_KEY_TABLES.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(KeyTable(PointTable::new(point)))
    }
}

impl Drop for KeyTable {
    fn drop(&mut self) {
        LIVE_KEY_TABLES.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The generator's table, built on first use.
fn generator_table() -> &'static PointTable {
    static TABLE: OnceLock<PointTable> = OnceLock::new();
    TABLE.get_or_init(|| PointTable::new(ProjectivePoint::GENERATOR))
}

/// An ECDSA P-256 signing key, with the table of its multiples once it has been used twice.
pub struct EcP256Key {
    key: VerifyingKey,
    uses: AtomicU32,
    table: OnceLock<Arc<KeyTable>>,
}

impl EcP256Key {
    /// Wraps a key; its table is built when it verifies its second signature.
    pub fn new(key: VerifyingKey) -> Self {
        EcP256Key {
            key,
            uses: AtomicU32::new(0),
            table: OnceLock::new(),
        }
    }

    /// The key itself.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// Whether the table of the key's multiples has been built (its second verification builds
    /// it); tests check both paths with it.
    pub fn has_table(&self) -> bool {
        self.table.get().is_some()
    }

    /// The key's table: `None` on the key's first use (a key seen once never pays for one),
    /// and when [`MAX_KEY_TABLES`] exist.
    fn table(&self) -> Option<&PointTable> {
        if let Some(table) = self.table.get() {
            return Some(&table.0);
        }
        if self.uses.fetch_add(1, Ordering::Relaxed) == 0 {
            return None;
        }
        let table = KeyTable::build(ProjectivePoint::from(*self.key.as_affine()))?;
        // Another thread may have won the race: its table is kept, this one dropped.
        Some(&self.table.get_or_init(|| Arc::new(table)).0)
    }
}

impl Clone for EcP256Key {
    /// A clone shares the table, if one was built.
    fn clone(&self) -> Self {
        let table = OnceLock::new();
        if let Some(built) = self.table.get() {
            let _ = table.set(Arc::clone(built));
        }
        EcP256Key {
            key: self.key,
            uses: AtomicU32::new(self.uses.load(Ordering::Relaxed)),
            table,
        }
    }
}

impl std::fmt::Debug for EcP256Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("EcP256Key").field(&self.key).finish()
    }
}

impl PartialEq for EcP256Key {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for EcP256Key {}

impl From<VerifyingKey> for EcP256Key {
    fn from(key: VerifyingKey) -> Self {
        EcP256Key::new(key)
    }
}

/// Whether `signature` (raw `r‖s`, 64 bytes) is `key`'s ES256 signature of `message`.
pub fn verify(key: &EcP256Key, message: &[u8], signature: &[u8]) -> bool {
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    let Some(table) = key.table() else {
        return key.key.verify(message, &signature).is_ok();
    };
    // ecdsa::hazmat::verify_prehashed, with both multiplications from tables. P-256 does not
    // ask for low-s, so none is required here either.
    let (r, s) = signature.split_scalars();
    let digest = Sha256::digest(message);
    let z = <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(&digest));
    // s is non-zero, so it always has an inverse.
    let Some(s_inv) = Option::<Scalar>::from(s.invert_vartime()) else {
        return false;
    };
    let u1 = z * s_inv;
    let u2 = *r * s_inv;
    let point = generator_table().mul_vartime(&u1) + table.mul_vartime(&u2);
    // The point at infinity has x = 0 here, which never equals the non-zero r.
    let x = point.to_affine().x();
    *r == <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(&x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Signer as _;
    use p256::ecdsa::SigningKey;

    /// A deterministic signing key from a seed (RFC 6979 signing needs no randomness).
    fn signing_key(seed: u8) -> SigningKey {
        let mut secret = [0u8; 32];
        secret[0] = 0x10;
        secret[31] = seed;
        secret[15] = seed.wrapping_mul(7);
        SigningKey::from_slice(&secret).expect("a valid scalar")
    }

    #[test]
    fn table_multiplication_matches_plain_scalar_multiplication() {
        let point = ProjectivePoint::GENERATOR * Scalar::from(12345u64);
        let table = PointTable::new(point);
        let mut scalars = vec![
            Scalar::ZERO,
            Scalar::ONE,
            -Scalar::ONE,
            Scalar::from(8u64),
            Scalar::from(0x0f0f_0f0f_0f0f_0f0fu64),
        ];
        let mut x = Scalar::from(0x1234_5678_9abc_def1u64);
        for _ in 0..40 {
            x = x.square() + Scalar::from(3u64);
            scalars.push(x);
        }
        for k in scalars {
            assert_eq!(table.mul_vartime(&k), point * k, "k = {k:?}");
        }
    }

    #[test]
    fn agrees_with_the_p256_verifier() {
        for seed in 1..=6u8 {
            let signer = signing_key(seed);
            let key = EcP256Key::new(*signer.verifying_key());
            let other = EcP256Key::new(*signing_key(seed + 100).verifying_key());
            for round in 0..4u8 {
                let message = [b"Signature1 round ".as_slice(), &[seed, round]].concat();
                let signature: Signature = signer.sign(&message);
                let bytes = signature.to_bytes();
                assert!(verify(&key, &message, &bytes), "seed {seed} round {round}");
                assert!(!verify(&other, &message, &bytes));
                let mut tampered = message.clone();
                tampered[0] ^= 1;
                assert!(!verify(&key, &tampered, &bytes));
                let mut flipped = bytes;
                flipped[40] ^= 0x20;
                let expected = signer.verifying_key().verify(&message, &{
                    Signature::from_slice(&flipped).expect("still in range")
                });
                assert_eq!(verify(&key, &message, &flipped), expected.is_ok());
            }
            assert!(
                key.table.get().is_some(),
                "a key used repeatedly keeps a table"
            );
        }
    }

    #[test]
    fn high_s_signatures_are_accepted_as_p256_accepts_them() {
        let signer = signing_key(9);
        let key = EcP256Key::new(*signer.verifying_key());
        let message = b"low or high s";
        let signature: Signature = signer.sign(message);
        let (r, s) = signature.split_scalars();
        let high = Signature::from_scalars(*r, -*s).expect("valid scalars");
        for _ in 0..3 {
            assert_eq!(
                verify(&key, message, &high.to_bytes()),
                signer.verifying_key().verify(message, &high).is_ok()
            );
        }
    }

    #[test]
    fn malformed_signatures_fail() {
        let key = EcP256Key::new(*signing_key(3).verifying_key());
        for _ in 0..3 {
            assert!(!verify(&key, b"m", &[0u8; 64]), "r = s = 0");
            assert!(!verify(&key, b"m", &[0xffu8; 64]), "r, s above the order");
            assert!(!verify(&key, b"m", &[1u8; 63]), "63 bytes");
        }
    }

    #[test]
    fn clones_share_the_table_and_compare_by_key() {
        let key = EcP256Key::new(*signing_key(4).verifying_key());
        let signature: Signature = signing_key(4).sign(b"x");
        for _ in 0..2 {
            assert!(verify(&key, b"x", &signature.to_bytes()));
        }
        let clone = key.clone();
        let (Some(a), Some(b)) = (key.table.get(), clone.table.get()) else {
            panic!("both have the table");
        };
        assert!(Arc::ptr_eq(a, b));
        assert_eq!(key, clone);
        assert_ne!(key, EcP256Key::new(*signing_key(5).verifying_key()));
    }

    #[test]
    fn tables_stop_at_the_bound() {
        let signer = signing_key(77);
        let signature: Signature = signer.sign(b"bound");
        // Many copies of one key, each fresh: every copy would build its own table.
        let keys: Vec<EcP256Key> = (0..MAX_KEY_TABLES + 5)
            .map(|_| EcP256Key::new(*signer.verifying_key()))
            .collect();
        for key in &keys {
            for _ in 0..2 {
                // Past the bound a key verifies the plain way.
                assert!(verify(key, b"bound", &signature.to_bytes()));
                assert!(!verify(key, b"bounds", &signature.to_bytes()));
            }
            assert!(LIVE_KEY_TABLES.load(Ordering::Relaxed) <= MAX_KEY_TABLES);
        }
        let without = keys.iter().filter(|key| key.table.get().is_none()).count();
        assert!(without >= 5, "{without} keys without a table");
        let with = keys.len() - without;
        let live = LIVE_KEY_TABLES.load(Ordering::Relaxed);
        drop(keys);
        // Other tests may build or drop tables meanwhile, but these keys' tables are gone.
        assert!(LIVE_KEY_TABLES.load(Ordering::Relaxed) <= live.saturating_sub(with) + 16);
    }
}
