//! The C ABI entry points (bindings-c) with arbitrary bytes: `userhash_signer_new`
//! (with signer options), `userhash_sign`, `userhash_call` (`canonical`, `verify`),
//! `userhash_sign_field` (a field by name, the value as text or as JSON text),
//! `userhash_sign_many_packed` (with a `first_index`),
//! `userhash_field_by_name`, `userhash_refusal_mark`, `userhash_error_free`,
//! `userhash_bytes_free`, `userhash_status_code`. bindings-c builds only a cdylib and a
//! staticlib, so its source is compiled in here as a module and its `extern "C"`
//! functions are called directly.
//!
//! Checked: no panic escapes (a caught panic would be `USERHASH_PANIC`, which fails
//! here), every status has a stable code, every `userhash_error_t` is zeroed on success
//! and on failure holds the returned status and a UTF-8 message; the C results equal
//! the core's (`Signer` + `Input::from_host_json`, so marked JSON text too: same hash, same canonical bytes, same
//! code, same message and path; `canonical` as a JSON string); `verify` accepts the
//! hash just signed and any other
//! hash only if equal; `sign_field` equals `sign` of the one-field object it stands
//! for; a batch equals its items signed one by one, or fails with the first bad
//! item's status at `first_index + i`; and every returned buffer is freed (run under
//! ASan for leaks).
#![no_main]

#[rustfmt::skip] // (formatted by its owners, in bindings-c)
#[allow(dead_code, missing_docs, clippy::all)]
#[path = "../../bindings-c/src/lib.rs"]
mod cabi;

use std::ffi::{c_char, c_int, CStr};
use std::ptr;

use cabi::*;
use libfuzzer_sys::fuzz_target;
use userhash::{Field, Input, Signer, Value};

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

/// Signer options, picked by `data[1] / 40` (mostly none).
const OPTIONS: [&[u8]; 7] = [b"", b"", b"", b"{}", b"null", b"{\"colour\":1}", b"{"];

/// Field names for `userhash_sign_field` and the batches ("" = the scheme's batch field).
const FIELDS: [&str; 8] = [
    "",
    "email",
    "user_id",
    "userId",
    "external_id",
    "visitor",
    "mail",
    "",
];

fn ptr_of(b: &[u8]) -> *const u8 {
    if b.is_empty() {
        ptr::null()
    } else {
        b.as_ptr()
    }
}

fn no_bytes() -> userhash_bytes_t {
    userhash_bytes_t {
        ptr: ptr::null_mut(),
        len: 0,
    }
}

fn new_error() -> userhash_error_t {
    // Garbage the library must overwrite on entry (never freed as is: see take_error).
    userhash_error_t {
        status: 77,
        message: no_bytes(),
        path: no_bytes(),
        item: 5,
    }
}

fn status_code(s: c_int) -> &'static str {
    assert_ne!(s, USERHASH_PANIC, "a panic reached the C boundary");
    // SAFETY: the function returns a static C string for any status.
    let code = unsafe { CStr::from_ptr(userhash_status_code(s)) }
        .to_str()
        .unwrap();
    assert_ne!(code, "unknown", "status {s} has no code");
    code
}

/// Takes bytes out of `b` (freeing them).
fn take(b: &mut userhash_bytes_t) -> Option<Vec<u8>> {
    if b.ptr.is_null() {
        assert_eq!(b.len, 0);
        return None;
    }
    // SAFETY: ptr/len (plus a NUL) as returned by the library.
    let v = unsafe { std::slice::from_raw_parts(b.ptr, b.len + 1) }.to_vec();
    assert_eq!(v.last(), Some(&0), "bytes are NUL-terminated");
    // SAFETY: returned by the library, freed once.
    unsafe { userhash_bytes_free(std::mem::replace(b, no_bytes())) };
    Some(v[..v.len() - 1].to_vec())
}

/// A failure the library reported: its code, whole message, path and item.
#[derive(Debug)]
struct Failure {
    code: &'static str,
    message: String,
    path: Option<String>,
    item: i64,
}

/// Checks `err` against the returned `status` and frees it (twice: harmless).
fn take_error(status: c_int, err: &mut userhash_error_t) -> Option<Failure> {
    let code = status_code(status);
    assert_eq!(err.status, status);
    let out = if status == USERHASH_OK {
        assert!(err.message.ptr.is_null() && err.path.ptr.is_null() && err.item == -1);
        None
    } else {
        let (message, path) = (&err.message, &err.path);
        // SAFETY: as returned by the library.
        let read = |b: &userhash_bytes_t| {
            (!b.ptr.is_null()).then(|| unsafe { std::slice::from_raw_parts(b.ptr, b.len) }.to_vec())
        };
        let message = String::from_utf8(read(message).expect("a failure has a message")).unwrap();
        assert!(!message.is_empty());
        let path = read(path).map(|p| String::from_utf8(p).unwrap());
        if let Some(p) = &path {
            assert!(
                message.contains(&format!("{p}: ")),
                "{message:?} lacks its path {p:?}"
            );
        }
        assert!(err.item >= -1);
        Some(Failure {
            code,
            message,
            path,
            item: err.item,
        })
    };
    // SAFETY: filled by the library; freeing twice is allowed.
    unsafe {
        userhash_error_free(err);
        userhash_error_free(err);
    }
    assert!(
        err.status == 0 && err.message.ptr.is_null() && err.path.ptr.is_null() && err.item == -1
    );
    out
}

/// The core's error as the C ABI must report it.
fn same_error(got: &Failure, want: &userhash::Error) {
    assert_eq!(got.code, want.code().as_str());
    assert_eq!(got.message, want.to_string());
    assert_eq!(got.path.as_deref(), want.path());
    assert_eq!(got.item, want.item().map_or(-1, |i| i as i64));
}

/// One `userhash_call`: the result (JSON text) or the failure; `out` empty on failure.
fn call(
    signer: *const userhash_signer_t,
    op: &str,
    input: &[u8],
    args: &[u8],
) -> Result<Vec<u8>, Failure> {
    let mut out = userhash_bytes_t {
        ptr: ptr::NonNull::dangling().as_ptr(),
        len: 1,
    };
    let mut err = new_error();
    // SAFETY: live signer, valid (ptr, len) pairs, writable out and error.
    let s = unsafe {
        userhash_call(
            signer,
            op.as_ptr(),
            op.len(),
            ptr_of(input),
            input.len(),
            ptr_of(args),
            args.len(),
            &mut out,
            &mut err,
        )
    };
    let failure = take_error(s, &mut err);
    let result = take(&mut out);
    match failure {
        Some(f) => {
            assert!(result.is_none(), "no result on failure");
            Err(f)
        }
        None => Ok(result.expect("a result on success")),
    }
}

/// The verify operation for `hash` (sent as a JSON string; None when it is not UTF-8).
fn verify(signer: *const userhash_signer_t, hash: &[u8], input: &[u8]) -> Option<bool> {
    let hash = std::str::from_utf8(hash).ok()?;
    let args = format!(
        "{{\"hash\":{}}}",
        userhash::json::stringify(&Value::str(hash)).unwrap()
    );
    match call(signer, "verify", input, args.as_bytes()) {
        Ok(r) if r == b"true" => Some(true),
        Ok(r) if r == b"false" => Some(false),
        other => panic!("verify gave {other:?}"),
    }
}

/// One `userhash_sign_field` call: the hash or the failure.
fn sign_field(
    signer: *const userhash_signer_t,
    field: &str,
    value: &[u8],
    is_json: bool,
) -> Result<String, Failure> {
    let mut hex = [0 as c_char; 65];
    let mut err = new_error();
    // SAFETY: live signer, valid (ptr, len) pairs, a 65-byte buffer.
    let s = unsafe {
        userhash_sign_field(
            signer,
            ptr_of(field.as_bytes()),
            field.len(),
            ptr_of(value),
            value.len(),
            is_json,
            hex.as_mut_ptr(),
            &mut err,
        )
    };
    match take_error(s, &mut err) {
        Some(f) => {
            assert_eq!(hex[0], 0);
            assert_eq!(f.item, -1);
            Err(f)
        }
        // SAFETY: NUL-terminated by the library.
        None => Ok(unsafe { CStr::from_ptr(hex.as_ptr()) }
            .to_str()
            .unwrap()
            .to_owned()),
    }
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
    let options = OPTIONS[usize::from(data[1] / 40)];
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

    // Names, and the conversion-error report, on arbitrary bytes: never a panic.
    // SAFETY: valid (ptr, len) pairs.
    let by_name = unsafe { userhash_field_by_name(ptr_of(input), input.len()) };
    let core_field = std::str::from_utf8(input).ok().and_then(Field::from_name);
    assert_eq!(by_name.is_null(), core_field.is_none());
    if let Some(f) = core_field {
        // SAFETY: a static C string.
        assert_eq!(
            unsafe { CStr::from_ptr(by_name) }.to_str().unwrap(),
            f.name()
        );
    }
    // SAFETY: a static C string.
    let mark = unsafe { CStr::from_ptr(userhash_refusal_mark()) };
    assert_eq!(mark.to_str().unwrap(), userhash::host::MARK);
    let mut err = new_error();

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
            ptr_of(options),
            options.len(),
            &mut signer,
            &mut err,
        )
    };
    let failure = take_error(s, &mut err);
    let core_signer = std::str::from_utf8(preset).ok().map(|p| {
        let opts = match std::str::from_utf8(options).unwrap() {
            "" => Value::Null,
            text => userhash::host::parse(text, userhash::MAX_DEPTH).map_err(|e| e.at("options"))?,
        };
        Signer::with_options(secret, p, [b"old"], &opts)
    });
    let Some(failure) = failure else {
        assert!(!signer.is_null());
        assert!(
            matches!(core_signer, Some(Ok(_))),
            "C accepted what the core refuses"
        );
        return check_signer(
            signer,
            core_signer.unwrap().unwrap(),
            preset,
            input,
            hash,
            data,
        );
    };
    assert!(signer.is_null());
    match &core_signer {
        Some(Err(e)) => same_error(&failure, e),
        Some(Ok(_)) => panic!("C refused ({}) what the core accepts", failure.code),
        None => assert_eq!(failure.code, "invalid_utf8"),
    }
});

fn check_signer(
    signer: *mut userhash_signer_t,
    core_signer: Signer,
    preset: &[u8],
    input: &[u8],
    hash: &[u8],
    data: &[u8],
) {
    let mut err = new_error();
    // SAFETY: a live signer.
    assert_eq!(unsafe { userhash_signer_previous_count(signer) }, 1);
    let core_result = std::str::from_utf8(input).map(|text| {
        Input::from_host_json(text).and_then(|i| {
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
    let sign_failure = take_error(s_sign, &mut err);
    let canonical = call(signer, "canonical", input, b"");
    let s_canon = canonical.as_ref().map_or_else(|f| f.code, |_| "ok");
    if input.is_empty() {
        // userhash_call reads an empty input_json as no fields (userhash_sign: not JSON).
        let want = core_signer.canonical(&Input::new()).unwrap_err();
        same_error(canonical.as_ref().unwrap_err(), &want);
    } else {
        assert_eq!(status_code(s_sign), s_canon);
    }

    match (&core_result, s_sign) {
        (Ok(Ok((c, h))), USERHASH_OK) => {
            // SAFETY: NUL-terminated by the library.
            let got = unsafe { CStr::from_ptr(hex.as_ptr()) }.to_str().unwrap();
            assert_eq!(got, h);
            let text = std::str::from_utf8(canonical.as_ref().unwrap()).unwrap();
            let parsed = userhash::json::parse(text).unwrap();
            assert_eq!(parsed, Value::str(c.as_str()), "canonical as a JSON string");
            assert_eq!(verify(signer, got.as_bytes(), input), Some(true));
            let matched = verify(signer, hash, input);
            let old = Signer::new(b"old", std::str::from_utf8(preset).unwrap()).unwrap();
            let old_hash = Input::from_host_json(std::str::from_utf8(input).unwrap())
                .and_then(|i| old.sign(&i))
                .unwrap();
            let want = hash == h.as_bytes() || hash == old_hash.as_bytes();
            assert_eq!(matched, std::str::from_utf8(hash).ok().map(|_| want));
        }
        (Ok(Err(e)), _) => {
            same_error(
                sign_failure
                    .as_ref()
                    .expect("C signed what the core refuses"),
                e,
            );
            assert_eq!(hex[0], 0);
            if !input.is_empty() {
                same_error(canonical.as_ref().unwrap_err(), e);
            }
        }
        (Err(_), s) => assert_eq!(status_code(s), "invalid_utf8"),
        (Ok(Ok(_)), s) => panic!("C refused ({}) what the core signs", status_code(s)),
    }

    // One field by name: input (and hash) as the field's text or JSON text.
    let field = FIELDS[data.len() % FIELDS.len()];
    let is_json = data.len() / FIELDS.len() % 2 == 1;
    let one = sign_field(signer, field, input, is_json);
    let two = sign_field(signer, field, hash, is_json);
    check_field_against_sign(signer, &core_signer, field, input, is_json, &one);

    // The two as a batch at an arbitrary first_index.
    let first = usize::from(data[0]) * 1000 + usize::from(data[1]);
    let packed: Vec<u8> = [input, hash].concat();
    let lens = [input.len(), hash.len()];
    {
        let mut out = [b'x'; 2 * 64];
        // SAFETY: live signer, valid (ptr, len) pairs, 128 writable bytes.
        let s = unsafe {
            userhash_sign_many_packed(
                signer,
                ptr_of(field.as_bytes()),
                field.len(),
                ptr_of(&packed),
                packed.len(),
                lens.as_ptr(),
                2,
                is_json,
                first,
                out.as_mut_ptr().cast(),
                &mut err,
            )
        };
        let failure = take_error(s, &mut err);
        match (&one, &two, failure) {
            (Ok(a), Ok(b), None) => {
                assert_eq!(&out[..64], a.as_bytes());
                assert_eq!(&out[64..], b.as_bytes());
            }
            (Err(e), _, Some(f)) | (Ok(_), Err(e), Some(f)) => {
                let i = if one.is_err() { 0 } else { 1 };
                assert_eq!(f.code, e.code);
                assert!(
                    out.iter().all(|&b| b == 0),
                    "a failed batch's output is zero-filled"
                );
                if f.item >= 0 {
                    // An item's error: the same error, at first_index + i.
                    assert_eq!(f.item, (first + i) as i64);
                    assert_eq!(f.message, format!("item {}: {}", first + i, e.message));
                    assert_eq!(f.path, e.path);
                } else {
                    // Not an item's: the field name itself (unknown, or no batch field).
                    assert_eq!(f.message, e.message);
                }
            }
            (a, b, f) => panic!("batch {f:?} disagrees with its items {a:?} {b:?}"),
        }
    }
    // SAFETY: created above, freed once.
    unsafe { userhash_signer_free(signer) };
}

/// `sign_field(field, value, is_json)` equals `sign` of `{"<field>": <value>}` whenever
/// that object is what the value stands for: the value is well-formed JSON text
/// (is_json), or any UTF-8 text written as a JSON string (not is_json).
fn check_field_against_sign(
    signer: *const userhash_signer_t,
    core_signer: &Signer,
    field: &str,
    value: &[u8],
    is_json: bool,
    got: &Result<String, Failure>,
) {
    // The field name is read first: unknown, or empty for a scheme with no batch field.
    let (name, known) = match field {
        "" => match core_signer.scheme().batch_field() {
            Some(f) => (f.name(), f),
            None => return assert_eq!(got.as_ref().unwrap_err().code, "invalid_input"),
        },
        f => match Field::from_name(f) {
            Some(known) => (f, known),
            None => return assert_eq!(got.as_ref().unwrap_err().code, "invalid_input"),
        },
    };
    let Ok(text) = std::str::from_utf8(value) else {
        // A field the scheme does not read is refused as such, whatever its value.
        let want = if core_signer.scheme().fields().contains(&known) {
            "invalid_utf8"
        } else {
            "invalid_input"
        };
        return assert_eq!(got.as_ref().unwrap_err().code, want);
    };
    let json_value = if is_json {
        if text.starts_with('!') {
            // Marked JSON text: the core's own reading of it.
            let mut one = Input::new();
            let want = one.set_field_host_json(known, text).and_then(|()| core_signer.sign(&one));
            return match (&got, want) {
                (Ok(h), Ok(w)) => assert_eq!(h, &w),
                (Err(f), Err(e)) => same_error(f, &e),
                (g, w) => panic!("sign_field {g:?} but the core {w:?}"),
            };
        }
        if userhash::json::parse_borrowed(text).is_err() {
            return assert!(got.is_err());
        }
        text.to_owned()
    } else {
        userhash::json::stringify(&Value::str(text)).unwrap()
    };
    let object = format!("{{\"{name}\":{json_value}}}");
    let mut hex = [0 as c_char; 65];
    let mut err = new_error();
    // SAFETY: live signer, valid input, 65-byte buffer.
    let s = unsafe {
        userhash_sign(
            signer,
            object.as_ptr(),
            object.len(),
            hex.as_mut_ptr(),
            &mut err,
        )
    };
    match (take_error(s, &mut err), got) {
        // SAFETY: NUL-terminated by the library.
        (None, Ok(h)) => assert_eq!(unsafe { CStr::from_ptr(hex.as_ptr()) }.to_str().unwrap(), h),
        (Some(a), Err(b)) => assert_eq!(a.code, b.code, "{object:?}: {a:?} vs {b:?}"),
        (a, b) => panic!("{object:?}: sign {a:?}, sign_field {b:?}"),
    }
}
