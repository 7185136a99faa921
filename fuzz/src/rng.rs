//! A small deterministic PRNG (SplitMix64): the same seed gives the same
//! programs on every machine, with no dependency.

/// SplitMix64: 64 bits of state, good enough statistics for choosing
/// grammar productions, and trivially reproducible.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The generator for function `index` of run `seed`: each function can
    /// be regenerated alone from the pair.
    pub fn for_function(seed: u64, index: u64) -> Rng {
        let mut mix = Rng::new(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        mix.next_u64();
        Rng::new(mix.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, chosen with probability proportional to its
    /// weight; `None` when every weight is zero.
    pub fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
        let total: u32 = weights.iter().sum();
        if total == 0 {
            return None;
        }
        let mut roll = self.below(total as usize) as u32;
        for (index, &weight) in weights.iter().enumerate() {
            if roll < weight {
                return Some(index);
            }
            roll -= weight;
        }
        unreachable!("roll is below the total")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let a: Vec<u64> = (0..8).map(|_| Rng::new(7).next_u64()).collect();
        let mut r = Rng::new(7);
        let first = r.next_u64();
        assert!(a.iter().all(|&x| x == first));
        assert_ne!(
            Rng::for_function(1, 0).next_u64(),
            Rng::for_function(1, 1).next_u64()
        );
    }

    #[test]
    fn weighted_never_picks_zero_weight() {
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            assert_ne!(r.weighted(&[1, 0, 5]), Some(1));
        }
        assert_eq!(r.weighted(&[0, 0]), None);
    }
}
