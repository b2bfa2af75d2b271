//! `Signer::verify` with arbitrary hash strings: never panics, never errors on a bad
//! hash, and is true exactly when the hash is the real one (current or previous secret).
//! Half the inputs edit the real hash (change/insert/delete bytes, change case), so the
//! fuzzer explores near-misses rather than only random strings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use userhash::{Input, Signer};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let identity = "Alice@Example.COM";
    let input = Input::email(identity);
    let old = Signer::new(b"old-secret", "ensoras").unwrap();
    let signer = Signer::with_previous(b"new-secret", "ensoras", [b"old-secret"]).unwrap();
    let current = signer.sign(&input).unwrap();
    let previous = old.sign(&input).unwrap();
    let real = if mode & 2 == 0 { &current } else { &previous };

    let candidate: Vec<u8> = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        // Edits of the real hash: (op, position, byte) triples.
        let mut h = real.as_bytes().to_vec();
        for edit in rest.chunks_exact(3) {
            let at = usize::from(edit[1]) % (h.len() + 1);
            match edit[0] % 4 {
                0 if at < h.len() => h[at] = edit[2],
                1 => h.insert(at, edit[2]),
                2 if at < h.len() => {
                    h.remove(at);
                }
                3 if at < h.len() => h[at] = h[at].to_ascii_uppercase(),
                _ => {}
            }
        }
        h
    };
    let Ok(hash) = std::str::from_utf8(&candidate) else {
        return;
    };
    let ok = signer
        .verify(hash, &input)
        .expect("a valid input never errors in verify");
    assert_eq!(ok, hash == current || hash == previous, "verify({hash:?})");
    assert_eq!(signer.verify_bytes(hash, b"alice@example.com"), ok);
    // The old signer knows only the old secret.
    assert_eq!(old.verify(hash, &input).unwrap(), hash == previous);
});
