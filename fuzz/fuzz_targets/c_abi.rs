//! The C ABI entry points (bindings-c) with arbitrary bytes: `userhash_signer_new`,
//! `userhash_sign`, `userhash_canonical`, `userhash_verify`, `userhash_bytes_free`,
//! `userhash_status_code`. bindings-c builds only a cdylib and a staticlib, so its source
//! is compiled in here as a module and its `extern "C"` functions are called directly.
//!
//! Checked: no panic escapes (a caught panic would be `USERHASH_PANIC`, which fails
//! here), every status is a known one with a stable code, the C results equal the core's
//! (`Signer` + `Input::from_json`: same hash, same canonical bytes, same error code),
//! `verify` accepts the hash just signed and any other hash only if equal, and every
//! returned buffer is freed (run under ASan for leaks).
#![no_main]

#[rustfmt::skip] // (formatted by its owners, in bindings-c)
#[allow(dead_code, missing_docs, clippy::all)]
#[path = "../../bindings-c/src/lib.rs"]
mod cabi;

use std::ffi::{c_char, CStr};
use std::ptr;

use cabi::*;
use libfuzzer_sys::fuzz_target;
use userhash::{Input, Signer};

const PRESETS: [&[u8]; 8] = [
    b"layerup",
    b"inviaro",
    b"ensoras",
    b"supportwire",
    b"fluentbot",
    b"email:trim_lowercase",
    b"Ensoras",
    b"",
];

fn ptr_of(b: &[u8]) -> *const u8 {
    if b.is_empty() {
        ptr::null()
    } else {
        b.as_ptr()
    }
}

fn status_code(s: userhash_status_t) -> &'static str {
    assert_ne!(
        s,
        userhash_status_t::USERHASH_PANIC,
        "a panic reached the C boundary"
    );
    // SAFETY: a valid status; the function returns a static C string.
    let code = unsafe {
        CStr::from_ptr(userhash_status_code(std::mem::transmute::<i32, _>(
            s as i32,
        )))
    };
    code.to_str().unwrap()
}

/// Takes an error message out of `err` (freeing it); it must be UTF-8.
fn take(err: &mut userhash_bytes_t) -> Option<Vec<u8>> {
    if err.ptr.is_null() {
        return None;
    }
    // SAFETY: ptr/len as returned by the library.
    let v = unsafe { std::slice::from_raw_parts(err.ptr, err.len) }.to_vec();
    // SAFETY: returned by the library, freed once.
    unsafe {
        userhash_bytes_free(userhash_bytes_t {
            ptr: err.ptr,
            len: err.len,
        })
    };
    err.ptr = ptr::null_mut();
    err.len = 0;
    Some(v)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let preset = if data[0] < 248 {
        PRESETS[usize::from(data[0]) % PRESETS.len()]
    } else {
        &data[2..(2 + usize::from(data[0] - 247)).min(data.len())]
    };
    let rest = &data[2..];
    let (secret, rest) = rest.split_at(usize::from(data[1] % 40).min(rest.len()));
    let (input, hash) = match rest.iter().position(|&b| b == 0xff) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let previous = [userhash_slice_t {
        ptr: b"old".as_ptr(),
        len: 3,
    }];

    let mut err = userhash_bytes_t {
        ptr: ptr::null_mut(),
        len: 0,
    };
    let mut signer: *mut userhash_signer_t = ptr::null_mut();
    // SAFETY: valid (ptr, len) pairs and out-pointers.
    let s = unsafe {
        userhash_signer_new(
            ptr_of(secret),
            secret.len(),
            ptr_of(preset),
            preset.len(),
            previous.as_ptr(),
            previous.len(),
            &mut signer,
            &mut err,
        )
    };
    let msg = take(&mut err);
    let core_signer = std::str::from_utf8(preset)
        .ok()
        .map(|p| Signer::with_previous(secret, p, [b"old"]));
    if s != userhash_status_t::USERHASH_OK {
        assert!(signer.is_null());
        let code = status_code(s);
        match &core_signer {
            Some(Err(e)) => assert_eq!(code, e.code().as_str()),
            Some(Ok(_)) => panic!("C refused ({code}) what the core accepts"),
            None => assert_eq!(code, "invalid_utf8"),
        }
        assert!(msg.is_some_and(|m| std::str::from_utf8(&m).is_ok()));
        return;
    }
    let core_signer = core_signer.unwrap().unwrap();
    let core_result = std::str::from_utf8(input).map(|text| {
        Input::from_json(text).and_then(|i| {
            Ok((
                core_signer.canonical(&i)?.into_owned(),
                core_signer.sign(&i)?,
            ))
        })
    });

    let mut hex = [0 as c_char; 65];
    // SAFETY: live signer, valid input, 65-byte buffer.
    let s_sign = unsafe {
        userhash_sign(
            signer,
            ptr_of(input),
            input.len(),
            hex.as_mut_ptr(),
            &mut err,
        )
    };
    take(&mut err);
    let mut canon = userhash_bytes_t {
        ptr: ptr::null_mut(),
        len: 0,
    };
    // SAFETY: as above.
    let s_canon =
        unsafe { userhash_canonical(signer, ptr_of(input), input.len(), &mut canon, &mut err) };
    take(&mut err);
    let canonical = take(&mut canon);
    assert_eq!(s_sign, s_canon);

    match (&core_result, s_sign) {
        (Ok(Ok((c, h))), userhash_status_t::USERHASH_OK) => {
            // SAFETY: NUL-terminated by the library.
            let got = unsafe { CStr::from_ptr(hex.as_ptr()) }.to_str().unwrap();
            assert_eq!(got, h);
            assert_eq!(canonical.as_deref(), Some(c.as_bytes()));
            let mut matched = false;
            // SAFETY: live signer, valid inputs, writable bool.
            let s = unsafe {
                userhash_verify(
                    signer,
                    got.as_ptr(),
                    64,
                    ptr_of(input),
                    input.len(),
                    &mut matched,
                    &mut err,
                )
            };
            assert_eq!(s, userhash_status_t::USERHASH_OK);
            assert!(matched);
            // SAFETY: as above.
            let s = unsafe {
                userhash_verify(
                    signer,
                    ptr_of(hash),
                    hash.len(),
                    ptr_of(input),
                    input.len(),
                    &mut matched,
                    &mut err,
                )
            };
            assert_eq!(s, userhash_status_t::USERHASH_OK);
            take(&mut err);
            let old = Signer::new(b"old", std::str::from_utf8(preset).unwrap()).unwrap();
            let old_hash = Input::from_json(std::str::from_utf8(input).unwrap())
                .and_then(|i| old.sign(&i))
                .unwrap();
            assert_eq!(matched, hash == h.as_bytes() || hash == old_hash.as_bytes());
        }
        (Ok(Err(e)), s) => {
            assert_eq!(status_code(s), e.code().as_str());
            assert_eq!(hex[0], 0);
            assert!(canonical.is_none());
        }
        (Err(_), s) => assert_eq!(status_code(s), "invalid_utf8"),
        (Ok(Ok(_)), s) => panic!("C refused ({}) what the core signs", status_code(s)),
    }
    // SAFETY: created above, freed once.
    unsafe { userhash_signer_free(signer) };
});
