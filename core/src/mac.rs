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
        // The key block already went in: 64 bytes precede `msg`.
        let inner = digest_bytes(&finish(self.inner, msg, 64));
        digest_bytes(&finish(self.outer, &inner, 64))
    }
}

/// Runs `msg` and SHA-256 padding through `state`, which has absorbed `prefix_len` bytes.
fn finish(mut state: [u32; 8], msg: &[u8], prefix_len: u64) -> [u32; 8] {
    let (blocks, rest) = msg.as_chunks::<64>();
    compress256(&mut state, blocks);
    let mut tail = [[0u8; 64]; 2];
    let flat = tail.as_flattened_mut();
    flat[..rest.len()].copy_from_slice(rest);
    flat[rest.len()] = 0x80;
    let used = if rest.len() < 56 { 1 } else { 2 };
    let bit_len = (prefix_len + msg.len() as u64) * 8;
    flat[used * 64 - 8..used * 64].copy_from_slice(&bit_len.to_be_bytes());
    compress256(&mut state, &tail[..used]);
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
