//! # userhash C ABI
//!
//! `libuserhash.so` / `libuserhash.a` over the userhash core, described by the
//! cbindgen-generated `include/userhash.h` (regenerated and diffed by
//! `tests/header.rs`).
//!
//! Rules (DESIGN §6): every input is `(ptr, len)` (NUL bytes are data; a NULL
//! pointer is allowed only with `len == 0`); every function returns a
//! `userhash_status_t`; error details go to an optional caller-provided
//! out-parameter (no thread-local state); variable-length outputs are
//! `userhash_bytes_t` owned by the library and released with
//! `userhash_bytes_free`; every body runs under `catch_unwind`.
#![allow(non_camel_case_types)]

use std::borrow::Cow;
use std::ffi::{c_char, c_int, c_uint};
use std::panic::{catch_unwind, AssertUnwindSafe};

use userhash::{ErrorCode, Field, Input, Signer, Value};

/// The result of every userhash function. `USERHASH_OK` (0) is success; the
/// others name what went wrong (`userhash_status_code` gives the stable
/// string code shared with every other userhash binding).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum userhash_status_t {
    /// Success.
    USERHASH_OK = 0,
    /// `empty_secret`: the secret (or a previous secret) is empty.
    USERHASH_EMPTY_SECRET = 1,
    /// `empty_identity`: the identity is empty after the preset's normalization.
    USERHASH_EMPTY_IDENTITY = 2,
    /// `invalid_input`: a field is missing, unexpected, or of a type the preset does not sign.
    USERHASH_INVALID_INPUT = 3,
    /// `invalid_json`: the input JSON text is malformed.
    USERHASH_INVALID_JSON = 4,
    /// `invalid_utf8`: bytes that must be UTF-8 are not.
    USERHASH_INVALID_UTF8 = 5,
    /// `too_deep`: the visitor payload nests deeper than the documented limit (128).
    USERHASH_TOO_DEEP = 6,
    /// `unknown_preset`: the preset name or scheme spec is not known.
    USERHASH_UNKNOWN_PRESET = 7,
    /// `null_argument`: a required pointer was NULL (or a NULL input with a non-zero length).
    USERHASH_NULL_ARGUMENT = 8,
    /// `panic`: an internal bug was caught at the boundary (please report it).
    USERHASH_PANIC = 9,
}

use userhash_status_t::*;

/// The string fields `userhash_sign_field` can sign directly.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum userhash_field_t {
    /// `email`
    USERHASH_FIELD_EMAIL = 0,
    /// `user_id`
    USERHASH_FIELD_USER_ID = 1,
    /// `external_id`
    USERHASH_FIELD_EXTERNAL_ID = 2,
}

/// A `userhash_status_t` received from C, kept as a plain integer so that an
/// out-of-range value is handled rather than undefined behaviour. Appears as
/// `userhash_status_t` in the header.
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct StatusArg(c_int);

/// A `userhash_field_t` received from C (see [`StatusArg`]).
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct FieldArg(c_uint);

/// A signer: a prepared secret (plus optional previous secrets) and a scheme.
/// Opaque; create with `userhash_signer_new`, release with `userhash_signer_free`.
/// Immutable once created: one signer may be used from many threads at once.
pub struct userhash_signer_t {
    inner: Signer,
}

/// Bytes owned by the library (a canonical form or an error message).
/// `ptr[len]` is an extra NUL byte (not counted in `len`), so text without
/// inner NULs can be used as a C string. Release with `userhash_bytes_free`,
/// exactly once. `{NULL, 0}` means "nothing".
#[repr(C)]
#[derive(Debug)]
pub struct userhash_bytes_t {
    /// The first byte, or NULL.
    pub ptr: *mut u8,
    /// The number of bytes, excluding the trailing NUL.
    pub len: usize,
}

/// Borrowed input bytes (used for the list of previous secrets). `ptr` may be
/// NULL only when `len` is 0.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct userhash_slice_t {
    /// The first byte (may be NULL when `len` is 0).
    pub ptr: *const u8,
    /// The number of bytes.
    pub len: usize,
}

/// The size of the buffer `userhash_sign` and `userhash_sign_field` write:
/// 64 lowercase hex digits and a NUL.
pub const USERHASH_HEX_BUFFER_LEN: usize = 65;

const NO_BYTES: userhash_bytes_t = userhash_bytes_t {
    ptr: std::ptr::null_mut(),
    len: 0,
};

/// A failed call: its status and a message (never containing a secret).
struct Fail {
    status: userhash_status_t,
    message: Cow<'static, str>,
}

impl Fail {
    fn new(status: userhash_status_t, message: impl Into<Cow<'static, str>>) -> Fail {
        Fail {
            status,
            message: message.into(),
        }
    }

    fn null(what: &str) -> Fail {
        Fail::new(USERHASH_NULL_ARGUMENT, format!("{what} is NULL"))
    }
}

impl From<userhash::Error> for Fail {
    fn from(e: userhash::Error) -> Fail {
        let status = match e.code() {
            ErrorCode::EmptySecret => USERHASH_EMPTY_SECRET,
            ErrorCode::EmptyIdentity => USERHASH_EMPTY_IDENTITY,
            ErrorCode::InvalidInput => USERHASH_INVALID_INPUT,
            ErrorCode::InvalidJson => USERHASH_INVALID_JSON,
            ErrorCode::InvalidUtf8 => USERHASH_INVALID_UTF8,
            ErrorCode::TooDeep => USERHASH_TOO_DEEP,
            ErrorCode::UnknownPreset => USERHASH_UNKNOWN_PRESET,
        };
        Fail::new(status, e.message().to_owned())
    }
}

/// Runs `body` under `catch_unwind`, turning a panic into `USERHASH_PANIC`
/// and a failure's message into `*error_out` (when given).
fn guard(
    error_out: *mut userhash_bytes_t,
    body: impl FnOnce() -> Result<(), Fail>,
) -> userhash_status_t {
    if !error_out.is_null() {
        // SAFETY: the caller passes NULL or a writable userhash_bytes_t.
        unsafe { error_out.write(NO_BYTES) };
    }
    let result = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Err(Fail::new(
            USERHASH_PANIC,
            format!("internal error in userhash (please report): {what}"),
        ))
    });
    match result {
        Ok(()) => USERHASH_OK,
        Err(fail) => {
            if !error_out.is_null() {
                let bytes =
                    catch_unwind(|| owned_bytes(fail.message.as_bytes())).unwrap_or(NO_BYTES);
                // SAFETY: as above.
                unsafe { error_out.write(bytes) };
            }
            fail.status
        }
    }
}

/// Copies `bytes` into a library-owned, NUL-terminated allocation.
fn owned_bytes(bytes: &[u8]) -> userhash_bytes_t {
    let mut v = Vec::with_capacity(bytes.len() + 1);
    v.extend_from_slice(bytes);
    v.push(0);
    let boxed: Box<[u8]> = v.into_boxed_slice();
    let len = boxed.len() - 1;
    userhash_bytes_t {
        ptr: Box::into_raw(boxed).cast::<u8>(),
        len,
    }
}

/// Borrows `(ptr, len)` as a slice. NULL is accepted only with `len == 0`.
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable bytes that outlive `'a`.
unsafe fn input<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], Fail> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Fail::new(
            USERHASH_NULL_ARGUMENT,
            format!("{what} is NULL but its length is {len}"),
        ));
    }
    if len > isize::MAX as usize {
        return Err(Fail::new(
            USERHASH_INVALID_INPUT,
            format!("{what} length {len} is too large"),
        ));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows `(ptr, len)` as UTF-8 text.
///
/// # Safety
/// As for [`input`].
unsafe fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, Fail> {
    // SAFETY: forwarded to the caller.
    let bytes = unsafe { input(ptr, len, what) }?;
    std::str::from_utf8(bytes).map_err(|e| {
        Fail::new(
            USERHASH_INVALID_UTF8,
            format!(
                "{what} is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Borrows a signer. NULL is `USERHASH_NULL_ARGUMENT`.
///
/// # Safety
/// A non-NULL `signer` must come from `userhash_signer_new` and not be freed.
unsafe fn signer_ref<'a>(signer: *const userhash_signer_t) -> Result<&'a Signer, Fail> {
    // SAFETY: the caller guarantees a live signer or NULL.
    match unsafe { signer.as_ref() } {
        Some(s) => Ok(&s.inner),
        None => Err(Fail::null("signer")),
    }
}

/// Parses the JSON object of sign-call fields as `JSON.parse` would.
fn parse_input(text: &str) -> Result<Input<'static>, Fail> {
    Ok(Input::from_json(text)?)
}

/// Writes 64 hex digits and a NUL into `out_hex`.
///
/// # Safety
/// `out_hex` must point to at least 65 writable bytes.
unsafe fn write_hex(out_hex: *mut c_char, hex: &[u8; 64]) {
    // SAFETY: the caller guarantees 65 writable bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(hex.as_ptr(), out_hex.cast::<u8>(), 64);
        out_hex.add(64).write(0);
    }
}

/// Creates a signer from a secret, a preset name (`layerup`, `inviaro`,
/// `ensoras`, `supportwire`, `fluentbot`) or a scheme spec
/// (`source[:transform]`, e.g. `email:trim_lowercase`), and optional previous
/// secrets that `userhash_verify` also accepts (signing always uses `secret`).
///
/// Inputs are borrowed for the call only: `secret` is raw bytes (any bytes,
/// not necessarily UTF-8), `preset` UTF-8 text, `previous` an array of
/// `previous_len` slices (NULL allowed when `previous_len` is 0). Every
/// pointer may be NULL when its length is 0.
///
/// On success `*out` receives a new signer, owned by the caller and released
/// with `userhash_signer_free`. It is immutable, so it may be shared by many
/// threads at once. On failure `*out` is set to NULL.
///
/// `error_out` (optional, may be NULL) is set to `{NULL, 0}` on success and to
/// a message on failure (release it with `userhash_bytes_free`).
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_SECRET` (empty secret or previous
/// secret), `USERHASH_UNKNOWN_PRESET`, `USERHASH_INVALID_UTF8` (preset not
/// UTF-8), `USERHASH_NULL_ARGUMENT` (`out` NULL, or a NULL pointer with a
/// non-zero length), `USERHASH_PANIC`.
///
/// # Safety
/// Each non-NULL pointer must be valid for its length; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_new(
    secret: *const u8,
    secret_len: usize,
    preset: *const u8,
    preset_len: usize,
    previous: *const userhash_slice_t,
    previous_len: usize,
    out: *mut *mut userhash_signer_t,
    error_out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out.is_null() {
            return Err(Fail::null("out"));
        }
        // SAFETY: `out` is non-NULL and writable (caller contract).
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: pointers valid for their lengths (caller contract).
        let secret = unsafe { input(secret, secret_len, "secret") }?;
        // SAFETY: as above.
        let preset = unsafe { text(preset, preset_len, "preset") }?;
        if previous.is_null() && previous_len > 0 {
            return Err(Fail::new(
                USERHASH_NULL_ARGUMENT,
                format!("previous is NULL but previous_len is {previous_len}"),
            ));
        }
        let previous: &[userhash_slice_t] = if previous_len == 0 {
            &[]
        } else {
            // SAFETY: non-NULL and valid for `previous_len` entries (caller contract).
            unsafe { std::slice::from_raw_parts(previous, previous_len) }
        };
        let mut keys = Vec::with_capacity(previous.len());
        for (i, p) in previous.iter().enumerate() {
            // SAFETY: each slice is valid for its length (caller contract).
            keys.push(unsafe { input(p.ptr, p.len, &format!("previous[{i}]")) }?);
        }
        let inner = Signer::with_previous(secret, preset, keys)?;
        let boxed = Box::new(userhash_signer_t { inner });
        // SAFETY: as above.
        unsafe { out.write(Box::into_raw(boxed)) };
        Ok(())
    })
}

/// Releases a signer created by `userhash_signer_new` (its key material is
/// zeroized). NULL is accepted and ignored. The signer must not be in use by
/// another thread and must not be used afterwards.
///
/// # Safety
/// `signer` must be NULL or a live signer from `userhash_signer_new`, freed once.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_free(signer: *mut userhash_signer_t) {
    if signer.is_null() {
        return;
    }
    // SAFETY: created by Box::into_raw in userhash_signer_new (caller contract).
    let boxed = unsafe { Box::from_raw(signer) };
    let _ = catch_unwind(AssertUnwindSafe(move || drop(boxed)));
}

/// Signs the identity in `input_json`: UTF-8 JSON text of an object of
/// sign-call fields (`email`, `user_id`, `external_id`, `visitor`), e.g.
/// `{"email":"a@b.c"}`, `{"user_id":42}` or `{"visitor":{"name":"Ann","data":{}}}`,
/// parsed as JavaScript's `JSON.parse` would (key order of the visitor kept).
///
/// Writes the HMAC-SHA256 as 64 lowercase hex digits plus a NUL into the
/// caller's buffer `out_hex` (at least `USERHASH_HEX_BUFFER_LEN` = 65 bytes);
/// on failure `out_hex` holds an empty string. `input_json` is borrowed for
/// the call only. `error_out` as for `userhash_signer_new`.
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_IDENTITY`, `USERHASH_INVALID_INPUT`,
/// `USERHASH_INVALID_JSON`, `USERHASH_INVALID_UTF8`, `USERHASH_TOO_DEEP`,
/// `USERHASH_NULL_ARGUMENT` (`signer` or `out_hex` NULL, or `input_json` NULL
/// with a non-zero length), `USERHASH_PANIC`.
///
/// # Safety
/// `signer` must be live; `input_json` valid for `input_len` bytes; `out_hex`
/// writable for 65 bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign(
    signer: *const userhash_signer_t,
    input_json: *const u8,
    input_len: usize,
    out_hex: *mut c_char,
    error_out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out_hex.is_null() {
            return Err(Fail::null("out_hex"));
        }
        // SAFETY: out_hex is writable for 65 bytes (caller contract).
        unsafe { out_hex.write(0) };
        // SAFETY: caller contract.
        let signer = unsafe { signer_ref(signer) }?;
        // SAFETY: caller contract.
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let input = parse_input(json)?;
        let mut hex = [0u8; 64];
        signer.sign_hex(&input, &mut hex)?;
        // SAFETY: caller contract.
        unsafe { write_hex(out_hex, &hex) };
        Ok(())
    })
}

/// The fast path of `userhash_sign` for one string field: signs `value`
/// (UTF-8 text, NUL bytes are data) given as `field`, with no JSON involved.
/// `{"email": value}` through `userhash_sign` gives the same hash.
///
/// Output, ownership and `error_out` as for `userhash_sign`.
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_IDENTITY`, `USERHASH_INVALID_INPUT`
/// (the preset does not sign this field, or `field` is not a
/// `userhash_field_t` value), `USERHASH_INVALID_UTF8`,
/// `USERHASH_NULL_ARGUMENT`, `USERHASH_PANIC`.
///
/// # Safety
/// As for `userhash_sign`.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_field(
    signer: *const userhash_signer_t,
    field: FieldArg,
    value: *const u8,
    value_len: usize,
    out_hex: *mut c_char,
    error_out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out_hex.is_null() {
            return Err(Fail::null("out_hex"));
        }
        // SAFETY: out_hex is writable for 65 bytes (caller contract).
        unsafe { out_hex.write(0) };
        // SAFETY: caller contract.
        let signer = unsafe { signer_ref(signer) }?;
        let field = match field.0 {
            0 => Field::Email,
            1 => Field::UserId,
            2 => Field::ExternalId,
            n => {
                return Err(Fail::new(
                    USERHASH_INVALID_INPUT,
                    format!("field {n} is not a userhash_field_t value"),
                ))
            }
        };
        // SAFETY: caller contract.
        let value = unsafe { text(value, value_len, field.name()) }?;
        let mut input = Input::new();
        input.set_field(field, Value::str(value));
        let mut hex = [0u8; 64];
        signer.sign_hex(&input, &mut hex)?;
        // SAFETY: caller contract.
        unsafe { write_hex(out_hex, &hex) };
        Ok(())
    })
}

/// Checks `hash` against the identity in `input_json` (as for
/// `userhash_sign`) under the current secret, then each previous secret, in
/// constant time. `*out_match` is true on a match; a mismatch, or a `hash`
/// that is not exactly 64 lowercase hex digits, is `USERHASH_OK` with
/// `*out_match` false (never an error). Input errors are reported as for
/// `userhash_sign`, with `*out_match` false. Inputs are borrowed for the call.
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_IDENTITY`, `USERHASH_INVALID_INPUT`,
/// `USERHASH_INVALID_JSON`, `USERHASH_INVALID_UTF8` (of `input_json`; a
/// non-UTF-8 hash is just a mismatch), `USERHASH_TOO_DEEP`,
/// `USERHASH_NULL_ARGUMENT` (`signer` or `out_match` NULL, or an input NULL
/// with a non-zero length), `USERHASH_PANIC`.
///
/// # Safety
/// `signer` must be live; inputs valid for their lengths; `out_match` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_verify(
    signer: *const userhash_signer_t,
    hash: *const u8,
    hash_len: usize,
    input_json: *const u8,
    input_len: usize,
    out_match: *mut bool,
    error_out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out_match.is_null() {
            return Err(Fail::null("out_match"));
        }
        // SAFETY: out_match is writable (caller contract).
        unsafe { out_match.write(false) };
        // SAFETY: caller contract.
        let signer = unsafe { signer_ref(signer) }?;
        // SAFETY: caller contract.
        let hash = unsafe { input(hash, hash_len, "hash") }?;
        // SAFETY: caller contract.
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let input = parse_input(json)?;
        let canonical = signer.canonical(&input)?;
        let matched = match std::str::from_utf8(hash) {
            Ok(hash) => signer.verify_bytes(hash, canonical.as_bytes()),
            Err(_) => false,
        };
        // SAFETY: as above.
        unsafe { out_match.write(matched) };
        Ok(())
    })
}

/// The canonical string that gets signed for `input_json` (the "explain"
/// view; same input rules as `userhash_sign`).
///
/// On success `*out` receives the UTF-8 bytes, owned by the caller and
/// released with `userhash_bytes_free` (NUL-terminated for convenience, but
/// may contain NUL bytes: use `len`). On failure `*out` is `{NULL, 0}`.
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_IDENTITY`, `USERHASH_INVALID_INPUT`,
/// `USERHASH_INVALID_JSON`, `USERHASH_INVALID_UTF8`, `USERHASH_TOO_DEEP`,
/// `USERHASH_NULL_ARGUMENT` (`signer` or `out` NULL, or `input_json` NULL
/// with a non-zero length), `USERHASH_PANIC`.
///
/// # Safety
/// `signer` must be live; `input_json` valid for `input_len` bytes; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_canonical(
    signer: *const userhash_signer_t,
    input_json: *const u8,
    input_len: usize,
    out: *mut userhash_bytes_t,
    error_out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out.is_null() {
            return Err(Fail::null("out"));
        }
        // SAFETY: out is writable (caller contract).
        unsafe { out.write(NO_BYTES) };
        // SAFETY: caller contract.
        let signer = unsafe { signer_ref(signer) }?;
        // SAFETY: caller contract.
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let input = parse_input(json)?;
        let canonical = signer.canonical(&input)?;
        // SAFETY: as above.
        unsafe { out.write(owned_bytes(canonical.as_bytes())) };
        Ok(())
    })
}

/// Releases bytes returned by this library (`userhash_canonical`'s output or
/// an `error_out` message). `{NULL, 0}` is accepted and ignored. Each value
/// must be released exactly once, and only with this function.
///
/// # Safety
/// `bytes` must be `{NULL, 0}` or a value this library returned, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn userhash_bytes_free(bytes: userhash_bytes_t) {
    if bytes.ptr.is_null() {
        return;
    }
    // SAFETY: allocated by owned_bytes as a boxed slice of len + 1 bytes.
    let boxed =
        unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(bytes.ptr, bytes.len + 1)) };
    drop(boxed);
}

/// The stable string code of a status: `"ok"`, `"empty_secret"`,
/// `"empty_identity"`, `"invalid_input"`, `"invalid_json"`, `"invalid_utf8"`,
/// `"too_deep"`, `"unknown_preset"`, `"null_argument"`, `"panic"`, or
/// `"unknown"` for a value outside the enum. The error codes are the ones
/// every userhash binding uses. Returns a static NUL-terminated string: never
/// free it.
#[no_mangle]
pub extern "C" fn userhash_status_code(status: StatusArg) -> *const c_char {
    let code: &'static std::ffi::CStr = match status.0 {
        0 => c"ok",
        1 => c"empty_secret",
        2 => c"empty_identity",
        3 => c"invalid_input",
        4 => c"invalid_json",
        5 => c"invalid_utf8",
        6 => c"too_deep",
        7 => c"unknown_preset",
        8 => c"null_argument",
        9 => c"panic",
        _ => c"unknown",
    };
    code.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_a_status_and_a_message() {
        let mut err = NO_BYTES;
        let status = guard(&mut err, || panic!("boom"));
        assert_eq!(status, USERHASH_PANIC);
        // SAFETY: set by guard.
        let msg = unsafe { std::slice::from_raw_parts(err.ptr, err.len) };
        assert!(std::str::from_utf8(msg).unwrap().contains("boom"));
        // SAFETY: returned by guard, freed once.
        unsafe { userhash_bytes_free(err) };
        assert_eq!(guard(std::ptr::null_mut(), || panic!("x")), USERHASH_PANIC);
    }

    #[test]
    fn status_codes_match_the_core() {
        for code in ErrorCode::ALL {
            let status = Fail::from(userhash::Error::new(code, "m")).status;
            let s = userhash_status_code(StatusArg(status as c_int));
            // SAFETY: static NUL-terminated string.
            let s = unsafe { std::ffi::CStr::from_ptr(s) };
            assert_eq!(s.to_str().unwrap(), code.as_str());
            assert_eq!(status as c_int, code as c_int);
        }
    }

    #[test]
    fn visitor_at_the_depth_limit_is_accepted_from_json_text() {
        let nest = |n: usize| {
            format!(
                r#"{{"visitor":{{"email":"x","data":{}1{}}}}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        let signer = Signer::new(b"k", "fluentbot").unwrap();
        let ok = parse_input(&nest(userhash::MAX_DEPTH - 1)).ok().unwrap();
        assert!(signer.canonical(&ok).is_ok());
        let deep = parse_input(&nest(userhash::MAX_DEPTH)).err().unwrap();
        assert_eq!(deep.status, USERHASH_TOO_DEEP);
        let far = parse_input(&"[".repeat(100_000)).err().unwrap();
        assert_eq!(far.status, USERHASH_TOO_DEEP);
    }
}
