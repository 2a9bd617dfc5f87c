//! FNV-1a, 64 bits: a small hash that is the same on every platform and in
//! every run, for ids, fingerprints and ETags (never for security).

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// Hashes the parts in order, each followed by a 0 byte so that
/// ("ab", "c") and ("a", "bc") differ.
pub fn fnv1a<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h = OFFSET;
    for part in parts {
        for b in part.iter().chain(std::iter::once(&0)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    #[test]
    fn parts_are_separated() {
        assert_ne!(
            fnv1a([b"ab".as_slice(), b"c"]),
            fnv1a([b"a".as_slice(), b"bc"])
        );
        assert_eq!(fnv1a([b"x".as_slice()]), fnv1a([b"x".as_slice()]));
    }
}
