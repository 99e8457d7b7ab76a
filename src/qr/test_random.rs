//! A deterministic pseudo-random stream for the QR unit tests (xorshift64, Marsaglia 2003):
//! the same seed gives the same test data on every machine.

/// xorshift64 from its seed (not zero).
pub(crate) struct XorShift64(pub(crate) u64);

impl XorShift64 {
    /// The next value of the stream.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// The next value of the stream, reduced to `0..bound`.
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}
