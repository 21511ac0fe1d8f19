//! The catalog's hasher (see [`Seeded`]).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};

/// A hash map with the catalog's hasher.
pub(super) type Map<K, V> = HashMap<K, V, Seeded>;

/// The catalog's hasher: a folded multiply over 8-byte words, seeded at
/// random per catalog. Several times faster than SipHash on the short keys
/// here (repositories, tracks, aliases), which the build benchmark shows
/// dominating; the random seed keeps collisions from being chosen in
/// advance by whoever names the tags.
#[derive(Clone, Debug)]
pub(super) struct Seeded(u64);

impl Default for Seeded {
    fn default() -> Self {
        Seeded(RandomState::new().hash_one(0x5EED_u64) | 1)
    }
}

impl BuildHasher for Seeded {
    type Hasher = Fold;

    fn build_hasher(&self) -> Fold {
        Fold(self.0)
    }
}

#[derive(Debug)]
pub(super) struct Fold(u64);

/// The high and low halves of a 128-bit product, folded together.
fn fold(x: u64, y: u64) -> u64 {
    let m = u128::from(x).wrapping_mul(u128::from(y));
    (m as u64) ^ ((m >> 64) as u64)
}

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            h = fold(h ^ u64::from_le_bytes(b), MUL);
        }
        let rest = words.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        // The length keeps "a" and "a\0" apart.
        self.0 = fold(h ^ u64::from_le_bytes(b), MUL ^ (bytes.len() as u64));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = fold(self.0 ^ n, MUL);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn finish(&self) -> u64 {
        fold(self.0, MUL)
    }
}
