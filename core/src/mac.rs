//! HMAC-SHA256 (RFC 2104) over SHA-256's compression function, with the key's
//! inner and outer states computed once.
//!
//! Why not the `hmac` crate's `Hmac<Sha256>` on the hot path: its generic
//! block buffering cost about 2× the two compressions a short message needs
//! (measured in `core/benches/sign.rs`). The compression function itself — the
//! part worth a library — is `sha2`'s. Tests check this against the `hmac`
//! crate (proptest) and RFC 4231.

use sha2::block_api::compress256;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// SHA-256 initial hash value (FIPS 180-4 §5.3.3).
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// A key ready to MAC: SHA-256 states after the `K ^ ipad` and `K ^ opad`
/// blocks. Equivalent to the secret, so zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct PreparedKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl PreparedKey {
    /// Prepares `key`; keys longer than the 64-byte block are hashed first.
    pub(crate) fn new(key: &[u8]) -> PreparedKey {
        let mut block = Zeroizing::new([0u8; 64]);
        if key.len() > 64 {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let state_after = |pad: u8| {
            let mut padded = Zeroizing::new([0u8; 64]);
            for (p, k) in padded.iter_mut().zip(block.iter()) {
                *p = k ^ pad;
            }
            let mut state = IV;
            compress256(&mut state, &[*padded]);
            state
        };
        PreparedKey {
            inner: state_after(0x36),
            outer: state_after(0x5c),
        }
    }

    /// `HMAC-SHA256(key, msg)`.
    pub(crate) fn mac(&self, msg: &[u8]) -> [u8; 32] {
        self.mac_mapped(msg, None)
    }

    /// `HMAC-SHA256(key, msg.to_ascii_lowercase())`, lowercasing each block as
    /// it is copied for hashing (no buffer for the lowercased message).
    pub(crate) fn mac_ascii_lowercase(&self, msg: &[u8]) -> [u8; 32] {
        self.mac_mapped(msg, Some(<[u8]>::make_ascii_lowercase))
    }

    /// `HMAC-SHA256(key, msg)` with `map` applied to the message's bytes
    /// (a bytewise map: each block's bytes are mapped once, where they land).
    fn mac_mapped(&self, msg: &[u8], map: Option<fn(&mut [u8])>) -> [u8; 32] {
        // The key block already went in: 64 bytes precede `msg`.
        let inner = finish(self.inner, msg, 64, map);
        // The outer message is the 32-byte inner digest: one block, its padding fixed.
        let mut block = [0u8; 64];
        for (chunk, w) in block.chunks_exact_mut(4).zip(&inner) {
            chunk.copy_from_slice(&w.to_be_bytes());
        }
        block[32] = 0x80;
        block[56..].copy_from_slice(&((64 + 32) * 8u64).to_be_bytes());
        let mut outer = self.outer;
        compress256(&mut outer, &[block]);
        digest_bytes(&outer)
    }
}

/// Runs `msg` and SHA-256 padding through `state`, which has absorbed `prefix_len` bytes.
/// `map`, when given, is applied to each block's message bytes first.
fn finish(
    mut state: [u32; 8],
    msg: &[u8],
    prefix_len: u64,
    map: Option<fn(&mut [u8])>,
) -> [u32; 8] {
    let (blocks, rest) = msg.as_chunks::<64>();
    match map {
        None => compress256(&mut state, blocks),
        Some(map) => {
            for block in blocks {
                let mut mapped = *block;
                map(&mut mapped);
                compress256(&mut state, &[mapped]);
            }
        }
    }
    let map = |bytes: &mut [u8]| map.map_or((), |map| map(bytes));
    let bit_len = ((prefix_len + msg.len() as u64) * 8).to_be_bytes();
    if rest.len() < 56 {
        // The common case (a short identity): one padded block.
        let mut tail = [0u8; 64];
        tail[..rest.len()].copy_from_slice(rest);
        map(&mut tail[..rest.len()]);
        tail[rest.len()] = 0x80;
        tail[56..].copy_from_slice(&bit_len);
        compress256(&mut state, &[tail]);
    } else {
        let mut tail = [[0u8; 64]; 2];
        let flat = tail.as_flattened_mut();
        flat[..rest.len()].copy_from_slice(rest);
        map(&mut flat[..rest.len()]);
        flat[rest.len()] = 0x80;
        flat[120..].copy_from_slice(&bit_len);
        compress256(&mut state, &tail);
    }
    state
}

/// The big-endian bytes of a final SHA-256 state.
fn digest_bytes(words: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::PreparedKey;
    use hmac::{KeyInit, Mac};

    /// Every message length around the block and padding boundaries, with
    /// upper-case letters everywhere: `mac` equals the `hmac` crate, and
    /// `mac_ascii_lowercase` equals `mac` of the lowercased message.
    #[test]
    fn matches_the_hmac_crate_and_lowercases_while_hashing() {
        for key_len in [1usize, 24, 64, 65, 100] {
            let key: Vec<u8> = (0..key_len).map(|i| (i * 7 + 1) as u8).collect();
            let prepared = PreparedKey::new(&key);
            for len in 0..200 {
                let msg: Vec<u8> = (0..len)
                    .map(|i| b"AbC.xYz@EXAMPLE-com_09"[i % 22])
                    .collect();
                let mut reference = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
                reference.update(&msg);
                let want: [u8; 32] = reference.finalize().into_bytes().into();
                assert_eq!(prepared.mac(&msg), want, "key {key_len}, len {len}");
                let lower = msg.to_ascii_lowercase();
                assert_eq!(
                    prepared.mac_ascii_lowercase(&msg),
                    prepared.mac(&lower),
                    "len {len}"
                );
            }
        }
    }
}
