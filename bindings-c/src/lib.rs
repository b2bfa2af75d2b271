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

/// The field a value is signed as, for `userhash_sign_field` and
/// `userhash_sign_many`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum userhash_field_t {
    /// `email`: the value is the email text.
    USERHASH_FIELD_EMAIL = 0,
    /// `user_id`: the value is the id text (an integer id as its decimal digits, e.g. `42`).
    USERHASH_FIELD_USER_ID = 1,
    /// `external_id`: the value is the id text.
    USERHASH_FIELD_EXTERNAL_ID = 2,
    /// `visitor` (fluentbot): the value is the visitor object as JSON text,
    /// e.g. `{"name":"Ann","email":"ann@x.com","data":{"plan":"pro"}}`.
    USERHASH_FIELD_VISITOR = 3,
    /// The field the signer's scheme signs: email (layerup, ensoras, `email:…`
    /// specs), user_id (inviaro), visitor (fluentbot). supportwire signs
    /// external_id or email, so it has none: `USERHASH_INVALID_INPUT`.
    USERHASH_FIELD_DEFAULT = 4,
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

/// Bytes owned by the library (a canonical form, an embed snippet or an error message).
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
/// 64 lowercase hex digits and a NUL. (`userhash_sign_many` writes 64 bytes
/// per item, without NULs.)
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

    /// Names the batch item the failure is about: `item <i>: …`.
    fn item(mut self, i: usize) -> Fail {
        self.message = format!("item {i}: {}", self.message).into();
        self
    }

    /// A core batch error about `item k` of a chunk starting at `base`
    /// becomes one about `item base + k`.
    fn shift_item(mut self, base: usize) -> Fail {
        let shifted = self
            .message
            .strip_prefix("item ")
            .and_then(|rest| rest.split_once(": "))
            .and_then(|(k, tail)| Some((k.parse::<usize>().ok()?, tail)))
            .map(|(k, tail)| format!("item {}: {tail}", base + k));
        if let Some(message) = shifted {
            self.message = message.into();
        }
        self
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
fn parse_input(text: &str) -> Result<Input<'_>, Fail> {
    Ok(Input::from_json(text)?)
}

/// Resolves a `userhash_field_t` received from C against the signer's scheme.
fn resolve_field(signer: &Signer, field: FieldArg) -> Result<Field, Fail> {
    match field.0 {
        0 => Ok(Field::Email),
        1 => Ok(Field::UserId),
        2 => Ok(Field::ExternalId),
        3 => Ok(Field::Visitor),
        4 => signer.scheme().batch_field().ok_or_else(|| {
            Fail::new(
                USERHASH_INVALID_INPUT,
                format!(
                    "{} signs external_id or email: name the field \
                     (USERHASH_FIELD_EXTERNAL_ID or USERHASH_FIELD_EMAIL)",
                    signer.scheme()
                ),
            )
        }),
        n => Err(Fail::new(
            USERHASH_INVALID_INPUT,
            format!("field {n} is not a userhash_field_t value"),
        )),
    }
}

/// The value signed as `field` for the bytes a caller passed: UTF-8 text, or
/// for the visitor its JSON text (the visitor object is nesting level 1).
fn field_value(field: Field, bytes: &[u8]) -> Result<Value<'_>, Fail> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Fail::new(
            USERHASH_INVALID_UTF8,
            format!(
                "{} is not valid UTF-8 (bad byte at offset {})",
                field.name(),
                e.valid_up_to()
            ),
        )
    })?;
    match field {
        Field::Visitor => userhash::json::parse(text).map_err(|e| {
            let mut fail = Fail::from(e);
            fail.message = format!("visitor: {}", fail.message).into();
            fail
        }),
        _ => Ok(Value::str(text)),
    }
}

/// Like [`field_value`] for one batch item, but a conversion failure becomes a
/// [`Value::Invalid`] in place, so the core names the first bad item in index
/// order whatever kind of error it is.
fn batch_value(field: Field, bytes: &[u8]) -> Value<'_> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Value::invalid_utf8();
    };
    match field {
        Field::Visitor => userhash::json::parse(text)
            .unwrap_or_else(|e| Value::invalid(e.code(), e.message().to_owned())),
        _ => Value::str(text),
    }
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
/// `{"email": value}` through `userhash_sign` gives the same hash. With
/// `USERHASH_FIELD_VISITOR`, `value` is the visitor object's JSON text;
/// `USERHASH_FIELD_DEFAULT` picks the field the signer's scheme signs.
///
/// Output, ownership and `error_out` as for `userhash_sign`.
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_IDENTITY`, `USERHASH_INVALID_INPUT`
/// (the preset does not sign this field, `USERHASH_FIELD_DEFAULT` with
/// supportwire, or `field` is not a `userhash_field_t` value),
/// `USERHASH_INVALID_UTF8`, `USERHASH_INVALID_JSON` and `USERHASH_TOO_DEEP`
/// (visitor JSON text), `USERHASH_NULL_ARGUMENT`, `USERHASH_PANIC`.
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
        let field = resolve_field(signer, field)?;
        // SAFETY: caller contract.
        let value = unsafe { input(value, value_len, field.name()) }?;
        let mut input = Input::new();
        input.set_field(field, field_value(field, value)?);
        let mut hex = [0u8; 64];
        signer.sign_hex(&input, &mut hex)?;
        // SAFETY: caller contract.
        unsafe { write_hex(out_hex, &hex) };
        Ok(())
    })
}

/// Items converted and signed per call into the core by the batch functions:
/// bounds the memory beyond the caller's output buffer.
const BATCH_CHUNK: usize = 1 << 16;

/// Signs `n` items (each item's bytes from `items`, in order) as `field` into
/// `out` (`n * 64` bytes), chunk by chunk, through `Signer::sign_many`.
fn sign_many_into<'a>(
    signer: &Signer,
    field: Field,
    n: usize,
    mut items: impl Iterator<Item = Result<&'a [u8], Fail>>,
    out: &mut [u8],
) -> Result<(), Fail> {
    let mut values: Vec<Value<'a>> = Vec::with_capacity(n.min(BATCH_CHUNK));
    let mut base = 0;
    while base < n {
        let len = (n - base).min(BATCH_CHUNK);
        values.clear();
        for i in base..base + len {
            let bytes = items
                .next()
                .expect("one item per index")
                .map_err(|f| f.item(i))?;
            values.push(batch_value(field, bytes));
        }
        let hashes = signer
            .sign_many(Some(field), &values)
            .map_err(|e| Fail::from(e).shift_item(base))?;
        for (hex, dst) in hashes.iter().zip(out[base * 64..].chunks_exact_mut(64)) {
            dst.copy_from_slice(hex);
        }
        base += len;
    }
    Ok(())
}

/// Borrows the batch output buffer (`n * 64` bytes; NULL allowed when `n` is 0).
///
/// # Safety
/// A non-NULL `out_hexes` must be writable for `n * 64` bytes that outlive `'a`.
unsafe fn batch_output<'a>(n: usize, out_hexes: *mut c_char) -> Result<&'a mut [u8], Fail> {
    if n == 0 {
        return Ok(&mut []);
    }
    if out_hexes.is_null() {
        return Err(Fail::null("out_hexes"));
    }
    let size = n
        .checked_mul(64)
        .filter(|&size| size <= isize::MAX as usize)
        .ok_or_else(|| Fail::new(USERHASH_INVALID_INPUT, format!("n = {n} is too large")))?;
    // SAFETY: non-NULL and writable for n * 64 bytes (caller contract).
    Ok(unsafe { std::slice::from_raw_parts_mut(out_hexes.cast::<u8>(), size) })
}

/// Zero-fills the batch output when the batch failed: never a partial list of hashes.
fn clear_on_error(out: &mut [u8], result: Result<(), Fail>) -> Result<(), Fail> {
    if result.is_err() {
        out.fill(0);
    }
    result
}

/// Batch signing: signs `n` values, each given as `field` (or, with
/// `USERHASH_FIELD_DEFAULT`, the field the signer's scheme signs: email,
/// user_id or visitor), and writes their hashes one after the other into
/// `out_hexes`: `n * 64` bytes, hash `i` at `out_hexes + 64 * i`, lowercase
/// hex, no separators and no NUL. Each value is as for `userhash_sign_field`:
/// UTF-8 text (an integer id as its decimal digits), or for
/// `USERHASH_FIELD_VISITOR` the visitor object's JSON text.
///
/// Large batches (8192 items or more) are signed on every core; memory beyond
/// `out_hexes` is bounded (items are converted in chunks). `values` and the
/// bytes they point to are borrowed for the call only. `n` may be 0 (then
/// `values` and `out_hexes` may be NULL). The first invalid item (in index
/// order) fails the whole call: its status is returned, the message in
/// `error_out` starts with `item <index>: `, and `out_hexes` is zero-filled
/// (never a partial result). `error_out` as for `userhash_signer_new`.
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_IDENTITY`, `USERHASH_INVALID_INPUT`
/// (the scheme does not sign `field`, `USERHASH_FIELD_DEFAULT` with
/// supportwire, a `field` that is not a `userhash_field_t` value, `n` too
/// large), `USERHASH_INVALID_UTF8`, `USERHASH_INVALID_JSON` and
/// `USERHASH_TOO_DEEP` (visitor JSON text), `USERHASH_NULL_ARGUMENT`
/// (`signer` NULL, `values` or `out_hexes` NULL with `n` > 0, an item NULL
/// with a non-zero length), `USERHASH_PANIC`.
///
/// # Safety
/// `signer` must be live; `values` valid for `n` entries, each valid for its
/// length; `out_hexes` writable for `n * 64` bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_many(
    signer: *const userhash_signer_t,
    field: FieldArg,
    values: *const userhash_slice_t,
    n: usize,
    out_hexes: *mut c_char,
    error_out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: out_hexes writable for n * 64 bytes (caller contract).
        let out = unsafe { batch_output(n, out_hexes) }?;
        let result = (|| {
            // SAFETY: caller contract.
            let signer = unsafe { signer_ref(signer) }?;
            let field = resolve_field(signer, field)?;
            if n == 0 {
                return Ok(());
            }
            if values.is_null() {
                return Err(Fail::new(
                    USERHASH_NULL_ARGUMENT,
                    format!("values is NULL but n is {n}"),
                ));
            }
            // SAFETY: non-NULL and valid for n entries (caller contract).
            let values = unsafe { std::slice::from_raw_parts(values, n) };
            let items = values.iter().enumerate().map(|(i, v)| {
                // SAFETY: each slice is valid for its length (caller contract).
                unsafe { input(v.ptr, v.len, "value") }.map_err(|f| f.item(i))
            });
            sign_many_into(signer, field, n, items, out)
        })();
        clear_on_error(out, result)
    })
}

/// `userhash_sign_many` with the values packed into one buffer, for callers
/// that cannot cheaply build an array of pointers (Go, PHP FFI): item `i` is
/// the next `lens[i]` bytes of `data`, so the items are `data[0..lens[0]]`,
/// then the following `lens[1]` bytes, and so on; the lengths must add up to
/// `data_len` exactly (else `USERHASH_INVALID_INPUT`). Everything else (the
/// field, the values, `out_hexes`, errors, ownership) is as for
/// `userhash_sign_many`. `data` may be NULL when `data_len` is 0, `lens` when
/// `n` is 0.
///
/// Returns the statuses of `userhash_sign_many`.
///
/// # Safety
/// `signer` must be live; `data` valid for `data_len` bytes; `lens` valid for
/// `n` entries; `out_hexes` writable for `n * 64` bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_many_packed(
    signer: *const userhash_signer_t,
    field: FieldArg,
    data: *const u8,
    data_len: usize,
    lens: *const usize,
    n: usize,
    out_hexes: *mut c_char,
    error_out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: out_hexes writable for n * 64 bytes (caller contract).
        let out = unsafe { batch_output(n, out_hexes) }?;
        let result = (|| {
            // SAFETY: caller contract.
            let signer = unsafe { signer_ref(signer) }?;
            let field = resolve_field(signer, field)?;
            // SAFETY: caller contract.
            let data = unsafe { input(data, data_len, "data") }?;
            if n == 0 {
                return if data.is_empty() {
                    Ok(())
                } else {
                    Err(Fail::new(
                        USERHASH_INVALID_INPUT,
                        format!("n is 0 but data_len is {data_len}"),
                    ))
                };
            }
            if lens.is_null() {
                return Err(Fail::new(
                    USERHASH_NULL_ARGUMENT,
                    format!("lens is NULL but n is {n}"),
                ));
            }
            // SAFETY: non-NULL and valid for n entries (caller contract).
            let lens = unsafe { std::slice::from_raw_parts(lens, n) };
            let total = lens
                .iter()
                .try_fold(0usize, |sum, &len| sum.checked_add(len));
            if total != Some(data.len()) {
                return Err(Fail::new(
                    USERHASH_INVALID_INPUT,
                    format!("the lens do not add up to data_len ({data_len})"),
                ));
            }
            let mut at = 0;
            let items = lens.iter().map(|&len| {
                let item = &data[at..at + len];
                at += len;
                Ok(item)
            });
            sign_many_into(signer, field, n, items, out)
        })();
        clear_on_error(out, result)
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

/// Renders the widget snippet of the signer's vendor preset for the identity
/// in `input_json` (as for `userhash_sign`), with the hash filled in and every
/// value escaped for the context it lands in (HTML attribute, JSON inside
/// `<script>`, URL). `options_json` is UTF-8 JSON text of an object:
/// `widget` (required: Layerup widget key, Inviaro key, Ensoras slug,
/// SupportWire widgetSlug, FluentBot bot id), `form` (`"script"`, the default;
/// `"url"` for Layerup's webview URL; `"identify"` for the Inviaro/Ensoras
/// single-page-app call), `nonce` (CSP nonce for every `<script>` tag),
/// `origin`, `name`, `email` (Inviaro), `data` (SupportWire userData). See
/// docs/embed.md.
///
/// On success `*out` receives the UTF-8 HTML/JS/URL text, owned by the caller
/// and released with `userhash_bytes_free` (NUL-terminated). On failure `*out`
/// is `{NULL, 0}`. Inputs are borrowed for the call. `error_out` as for
/// `userhash_signer_new`.
///
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_IDENTITY`, `USERHASH_INVALID_INPUT`
/// (an unknown option, a wrong option type, a missing or empty `widget`, a
/// form the vendor does not have, a signer whose scheme is not a vendor
/// preset, U+0000 in a value bound for an HTML attribute, and the input errors
/// of `userhash_sign`), `USERHASH_INVALID_JSON`, `USERHASH_INVALID_UTF8`,
/// `USERHASH_TOO_DEEP`, `USERHASH_NULL_ARGUMENT` (`signer` or `out` NULL, or
/// an input NULL with a non-zero length), `USERHASH_PANIC`.
///
/// # Safety
/// `signer` must be live; inputs valid for their lengths; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_embed(
    signer: *const userhash_signer_t,
    input_json: *const u8,
    input_len: usize,
    options_json: *const u8,
    options_len: usize,
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
        // SAFETY: caller contract.
        let options = unsafe { text(options_json, options_len, "options_json") }?;
        let input = parse_input(json)?;
        let options = userhash::json::parse(options).map_err(|e| {
            let mut fail = Fail::from(e);
            fail.message = format!("options: {}", fail.message).into();
            fail
        })?;
        let html = signer.embed(&input, &options)?;
        // SAFETY: as above.
        unsafe { out.write(owned_bytes(html.as_bytes())) };
        Ok(())
    })
}

/// Releases bytes returned by this library (the output of
/// `userhash_canonical` or `userhash_embed`, or an `error_out` message).
/// `{NULL, 0}` is accepted and ignored. Each value must be released exactly
/// once, and only with this function.
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
    fn batches_name_the_first_bad_item_whatever_its_error() {
        let signer = Signer::new(b"k", "inviaro").unwrap();
        let items: [&[u8]; 3] = [b"a", b"", b"\xff"];
        let mut out = [0u8; 3 * 64];
        let err = sign_many_into(
            &signer,
            Field::UserId,
            3,
            items.iter().map(|b| Ok(*b)),
            &mut out,
        )
        .err()
        .unwrap();
        assert_eq!(err.status, USERHASH_EMPTY_IDENTITY);
        let items: [&[u8]; 3] = [b"a", b"\xff", b""];
        let err = sign_many_into(
            &signer,
            Field::UserId,
            3,
            items.iter().map(|b| Ok(*b)),
            &mut out,
        )
        .err()
        .unwrap();
        assert_eq!(err.status, USERHASH_INVALID_UTF8);
        assert!(err.message.starts_with("item 1: "), "{}", err.message);
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
        let text = nest(userhash::MAX_DEPTH - 1);
        let ok = parse_input(&text).ok().unwrap();
        assert!(signer.canonical(&ok).is_ok());
        let deep = parse_input(&nest(userhash::MAX_DEPTH)).err().unwrap();
        assert_eq!(deep.status, USERHASH_TOO_DEEP);
        let far = parse_input(&"[".repeat(100_000)).err().unwrap();
        assert_eq!(far.status, USERHASH_TOO_DEEP);
    }
}
