//! # userhash C ABI
//!
//! `libuserhash.so` / `libuserhash.a` over the userhash core, described by the
//! cbindgen-generated `include/userhash.h` (regenerated and diffed by
//! `tests/header.rs`). PHP (FFI) and Go (cgo) load it; everything they need —
//! the preset and field lists, error codes and messages, the depth limit, the
//! version — comes from here, so they hold no tables of their own.
//!
//! Rules (docs/design.md, "The C ABI"): every input is `(ptr, len)` (NUL bytes
//! are data; a NULL pointer is allowed only with `len == 0`); every fallible
//! function returns a `userhash_status_t`; error details go to an optional
//! caller-provided `userhash_error_t` (no thread-local state); variable-length
//! outputs are `userhash_bytes_t` owned by the library and released with
//! `userhash_bytes_free`; every body runs under `catch_unwind`.
//!
//! JSON text in (`input_json`, `args_json`, `options_json`, a value with
//! `is_json`) may be *marked*: starting with `!`, its strings that start with
//! `userhash_refusal_mark()` stand for host values the native-value policy
//! refuses (`"<mark>datetime:DateTimeImmutable"`), and the core reports each
//! with its own code, message and path (docs/design.md, "Marked JSON text").
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{null, null_mut};
use std::sync::Mutex;

use userhash::{host, Error, ErrorCode, Field, Input, Preset, Signer, Value};

/// The result of every fallible userhash function: `USERHASH_OK` (0), one of
/// the core's error codes (1 and up, in the core's order), or one of the two
/// statuses only the C ABI has. `userhash_status_code` names any status with
/// the stable string shared by every userhash binding, so a code the core adds
/// later is reported by name even before this header gives it a constant.
pub type userhash_status_t = c_int;

/// Success.
pub const USERHASH_OK: userhash_status_t = 0;
/// `empty_secret`: the secret (or a previous secret) is empty.
pub const USERHASH_EMPTY_SECRET: userhash_status_t = 1;
/// `empty_identity`: the identity is empty after the preset's normalization.
pub const USERHASH_EMPTY_IDENTITY: userhash_status_t = 2;
/// `invalid_input`: a field is missing, unexpected, or of a type the preset does not sign.
pub const USERHASH_INVALID_INPUT: userhash_status_t = 3;
/// `invalid_json`: JSON text is malformed.
pub const USERHASH_INVALID_JSON: userhash_status_t = 4;
/// `invalid_utf8`: bytes that must be UTF-8 are not.
pub const USERHASH_INVALID_UTF8: userhash_status_t = 5;
/// `too_deep`: a JSON payload nests deeper than `userhash_max_depth()`.
pub const USERHASH_TOO_DEEP: userhash_status_t = 6;
/// `unknown_preset`: the preset name or scheme spec is not known.
pub const USERHASH_UNKNOWN_PRESET: userhash_status_t = 7;
/// `invalid_token`: an identity token is malformed, too large, not HS256, or lacks a claim.
pub const USERHASH_INVALID_TOKEN: userhash_status_t = 8;
/// `bad_signature`: an identity token's signature does not match the secret(s).
pub const USERHASH_BAD_SIGNATURE: userhash_status_t = 9;
/// `unknown_kid`: an identity token names a key id no secret has.
pub const USERHASH_UNKNOWN_KID: userhash_status_t = 10;
/// `token_expired`: an identity token has expired.
pub const USERHASH_TOKEN_EXPIRED: userhash_status_t = 11;
/// `token_not_yet_valid`: an identity token is not valid yet.
pub const USERHASH_TOKEN_NOT_YET_VALID: userhash_status_t = 12;
/// `invalid_secret`: a secret is not valid in its `secret_encoding` (hex, base64).
pub const USERHASH_INVALID_SECRET: userhash_status_t = 13;
/// `null_argument`: a required pointer was NULL (or NULL with a non-zero length).
pub const USERHASH_NULL_ARGUMENT: userhash_status_t = 100;
/// `panic`: an internal bug was caught at the boundary (please report it).
pub const USERHASH_PANIC: userhash_status_t = 101;

/// The size of the buffer `userhash_sign` and `userhash_sign_field` write:
/// 64 lowercase hex digits and a NUL. (Batches write 64 bytes per item, no NULs.)
pub const USERHASH_HEX_BUFFER_LEN: usize = 65;

/// A signer: a prepared secret (plus optional previous secrets) and a scheme.
/// Opaque; create with `userhash_signer_new` or `userhash_signer_from_env`,
/// release with `userhash_signer_free`. Immutable once created: one signer may
/// be used from many threads at once.
pub struct userhash_signer_t {
    inner: Signer,
}

/// Bytes the library allocated (an operation's JSON result, a scheme name, an
/// error message or path). Always followed by a NUL byte not counted in `len`, so
/// `ptr` is also a C string when the content has no NUL. Release with
/// `userhash_bytes_free`. `ptr` is NULL (and `len` 0) when nothing was written.
#[repr(C)]
#[derive(Debug)]
pub struct userhash_bytes_t {
    /// The first byte, or NULL.
    pub ptr: *mut u8,
    /// The number of bytes, without the trailing NUL.
    pub len: usize,
}

/// Borrowed input bytes (previous secrets, variable names).
/// `ptr` may be NULL only when `len` is 0.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct userhash_slice_t {
    /// The first byte (may be NULL when `len` is 0).
    pub ptr: *const u8,
    /// The number of bytes.
    pub len: usize,
}

/// What went wrong, filled by every fallible function when the caller passes
/// one (`error_out`; it may be NULL). On success it is zeroed (`status` 0,
/// empty bytes, `item` -1). Release its bytes with `userhash_error_free`.
#[repr(C)]
#[derive(Debug)]
pub struct userhash_error_t {
    /// The status the function returned.
    pub status: userhash_status_t,
    /// The whole message as every binding shows it: `item N: path: message`,
    /// each part only when present. Never contains a secret.
    pub message: userhash_bytes_t,
    /// The path into the input where the error happened
    /// (`visitor.data.created_at`), or empty.
    pub path: userhash_bytes_t,
    /// The index of the failing batch item (counted from the `first_index`
    /// the caller passed), or -1.
    pub item: i64,
}

const NO_BYTES: userhash_bytes_t = userhash_bytes_t { ptr: null_mut(), len: 0 };

/// What `error_out` holds after a success.
const NO_ERROR: userhash_error_t =
    userhash_error_t { status: USERHASH_OK, message: NO_BYTES, path: NO_BYTES, item: -1 };

/// An error on its way to `error_out`: the status, and the error whose
/// `Display`, path and item fill it (for the C-only statuses, an error with
/// the message only; its core code is not used).
struct Fail(userhash_status_t, Error);

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail(e.code() as c_int, e)
    }
}

fn fail(status: userhash_status_t, message: String) -> Fail {
    Fail(status, Error::new(ErrorCode::InvalidInput, message))
}

fn invalid(message: String) -> Fail {
    fail(USERHASH_INVALID_INPUT, message)
}

fn null_arg(what: &str) -> Fail {
    fail(USERHASH_NULL_ARGUMENT, format!("{what} is NULL"))
}

/// Runs `body` under `catch_unwind` and reports its outcome: the status, and
/// `error_out` (when not NULL) zeroed or filled.
fn guard(error_out: *mut userhash_error_t, body: impl FnOnce() -> Result<(), Fail>) -> userhash_status_t {
    let result = catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|panic| Err(fail(USERHASH_PANIC, host::panic_message(&*panic))));
    let status = result.as_ref().map_or_else(|f| f.0, |()| USERHASH_OK);
    if !error_out.is_null() {
        let filled = result.map_or_else(
            |Fail(status, e)| userhash_error_t {
                status,
                message: owned_bytes(e.to_string()),
                path: e.path().map_or(NO_BYTES, owned_bytes),
                item: e.item().and_then(|i| i64::try_from(i).ok()).unwrap_or(-1),
            },
            |()| NO_ERROR,
        );
        // SAFETY: the caller passes NULL or a writable userhash_error_t.
        unsafe { error_out.write(filled) };
    }
    status
}

fn owned_bytes(bytes: impl AsRef<[u8]>) -> userhash_bytes_t {
    let bytes = bytes.as_ref();
    let len = bytes.len();
    let ptr = Box::into_raw([bytes, &[0]].concat().into_boxed_slice()).cast();
    userhash_bytes_t { ptr, len }
}

/// A static NUL-terminated copy of a name from the core's tables, made once.
fn c_name(name: &'static str) -> *const c_char {
    static NAMES: Mutex<Vec<(&'static str, &'static CStr)>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, c)) = names.iter().find(|(n, _)| *n == name) {
        return c.as_ptr();
    }
    let c = CString::new(name).expect("core names have no NUL");
    let c: &'static CStr = Box::leak(c.into_boxed_c_str());
    names.push((name, c));
    c.as_ptr()
}

/// `c_name` of `names[index]`, or NULL past the end (and on a caught panic).
fn nth_name(mut names: impl Iterator<Item = &'static str>, index: usize) -> *const c_char {
    let name = catch_unwind(AssertUnwindSafe(|| names.nth(index).map(c_name)));
    name.ok().flatten().unwrap_or(null())
}

/// `n` items at `ptr` (`what` names them in errors); NULL only with `n == 0`.
unsafe fn array<'a, T>(ptr: *const T, n: usize, what: &str) -> Result<&'a [T], Fail> {
    if n == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        let message = format!("{what} is NULL but its length is {n}");
        return Err(fail(USERHASH_NULL_ARGUMENT, message));
    }
    if n > isize::MAX as usize / size_of::<T>().max(1) {
        return Err(invalid(format!("{what} length {n} is too large")));
    }
    // SAFETY: non-NULL, and the caller guarantees `n` readable items.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Fail> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let message = format!("{what} is not valid UTF-8 (bad byte at offset {at})");
        fail(USERHASH_INVALID_UTF8, message)
    })
}

unsafe fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, Fail> {
    // SAFETY: forwarded to the caller.
    utf8(unsafe { array(ptr, len, what) }?, what)
}

unsafe fn signer_ref<'a>(signer: *const userhash_signer_t) -> Result<&'a Signer, Fail> {
    // SAFETY: the caller guarantees a live signer or NULL.
    let signer = unsafe { signer.as_ref() };
    signer.map(|s| &s.inner).ok_or_else(|| null_arg("signer"))
}

/// JSON text of an object (`what`), or empty for none.
unsafe fn options<'a>(ptr: *const u8, len: usize, what: &'static str) -> Result<Value<'a>, Fail> {
    // SAFETY: forwarded to the caller.
    match unsafe { text(ptr, len, what) }? {
        "" => Ok(Value::Null),
        text => host::parse(text, userhash::MAX_DEPTH).map_err(|e| Fail::from(e.at(what))),
    }
}

/// The field named by `(ptr, len)`, matched on its bytes; empty (or NULL)
/// means the scheme's batch field. Only an unknown name costs more.
unsafe fn field(signer: &Signer, ptr: *const u8, len: usize) -> Result<Field, Fail> {
    // SAFETY: forwarded to the caller.
    let name = unsafe { array(ptr, len, "field") }?;
    match Field::from_bytes(name) {
        Some(field) => Ok(field),
        None if name.is_empty() => Ok(signer.batch_field(None)?),
        None => Ok(Field::parse(utf8(name, "field")?)?),
    }
}

/// One field value: its text, or with `is_json` its JSON text.
fn value(bytes: &[u8], is_json: bool) -> Value<'_> {
    match std::str::from_utf8(bytes) {
        Err(_) => Value::invalid_utf8(),
        Ok(text) if !is_json => Value::str(text),
        Ok(json) => host::parse(json, userhash::MAX_DEPTH).unwrap_or_else(|e| Value::invalid(e.code(), e.to_string())),
    }
}

/// Runs `make` under `guard`: `*out` (`what` names it) holds `empty` until
/// `make` succeeds, then what it made.
fn write_out<T>(
    (out, what): (*mut T, &str), empty: T, error_out: *mut userhash_error_t, make: impl FnOnce() -> Result<T, Fail>,
) -> userhash_status_t {
    guard(error_out, || {
        if out.is_null() {
            return Err(null_arg(what));
        }
        // SAFETY: the caller guarantees a writable `T` at `out`.
        unsafe { out.write(empty) };
        unsafe { out.write(make()?) };
        Ok(())
    })
}

/// The hash of `input`: 64 lowercase hex digits and a NUL, for `out_hex`.
fn hex(signer: &Signer, input: &Input) -> Result<[u8; 65], Fail> {
    let mut hex = [0u8; 65];
    signer.sign_hex(input, hex.first_chunk_mut().expect("65 > 64"))?;
    Ok(hex)
}

/// The library version (the core's), e.g. `"0.1.0"`. Static; never NULL.
#[no_mangle]
pub extern "C" fn userhash_version() -> *const c_char {
    c_name(userhash::VERSION)
}

/// The deepest nesting of arrays/objects a payload may have (the visitor
/// object itself is level 1).
#[no_mangle]
pub extern "C" fn userhash_max_depth() -> usize {
    userhash::MAX_DEPTH
}

/// The name of preset number `index` (0, 1, … in the core's order), or NULL
/// past the last one. Static strings. Iterate from 0 until NULL to list them.
#[no_mangle]
pub extern "C" fn userhash_preset_name(index: usize) -> *const c_char {
    nth_name(Preset::ALL.iter().map(|p| p.name()), index)
}

/// The canonical name of sign-call field number `index` (`email`,
/// `user_id`, …), or NULL past the last one. Static strings.
#[no_mangle]
pub extern "C" fn userhash_field_name(index: usize) -> *const c_char {
    nth_name(Field::ALL.into_iter().map(Field::name), index)
}

/// The canonical name of the field called `name` (an alias such as `userId`
/// gives `user_id`), or NULL when no field has that name. Static string.
///
/// # Safety
/// `name` valid for `len` bytes (NULL only with `len` 0).
#[no_mangle]
pub unsafe extern "C" fn userhash_field_by_name(name: *const u8, len: usize) -> *const c_char {
    // SAFETY: caller contract.
    let name = unsafe { array(name, len, "name") }.ok();
    let found = catch_unwind(|| Field::from_bytes(name?).map(|f| c_name(f.name())));
    found.ok().flatten().unwrap_or(null())
}

/// The stable string code of error number `index` (0 is the first error
/// code, `empty_secret`), or NULL past the last one: the codes every binding
/// exposes. Static strings.
#[no_mangle]
pub extern "C" fn userhash_error_code(index: usize) -> *const c_char {
    nth_name(ErrorCode::ALL.into_iter().map(ErrorCode::as_str), index)
}

/// The stable string code of a status: `"ok"`, a core code such as
/// `"empty_identity"`, `"null_argument"`, `"panic"`, or `"unknown"` for a
/// number that is none of these. Static; never NULL.
#[no_mangle]
pub extern "C" fn userhash_status_code(status: userhash_status_t) -> *const c_char {
    let code = ErrorCode::ALL.into_iter().find(|c| *c as c_int == status);
    let name = match status {
        USERHASH_OK => "ok",
        USERHASH_NULL_ARGUMENT => "null_argument",
        USERHASH_PANIC => "panic",
        _ => code.map_or("unknown", ErrorCode::as_str),
    };
    c_name(name)
}

/// The start of a marker string in marked JSON text (see the crate docs): a
/// host writes `"<mark>kind:type"` where a value it cannot convert was and
/// starts the text with `!`. `kind` is one of `datetime`, `decimal`,
/// `big_number`, `bytes`, `set`, `enum`, `json_hook`, `object`,
/// `non_string_key`, `invalid_utf8`, `lone_surrogate`, `too_deep`, `cycle`;
/// `type` the host's name for the value's type. The core reports each with
/// the code, message and path every binding reports (an unknown kind is
/// `USERHASH_INVALID_INPUT`). A static string.
#[no_mangle]
pub extern "C" fn userhash_refusal_mark() -> *const c_char {
    c_name(host::MARK)
}

/// The body of both constructors: `key` is the secret, or with `env`
/// the name of its variable, and `previous` the previous secrets or the names
/// of their variables; on failure `*out` is NULL.
unsafe fn new_signer(
    [key, preset, options]: [(*const u8, usize); 3], (previous, n): (*const userhash_slice_t, usize), env: bool,
    out: *mut *mut userhash_signer_t, error_out: *mut userhash_error_t,
) -> userhash_status_t {
    let what = if env { "previous_vars" } else { "previous" };
    write_out((out, "out"), null_mut(), error_out, || {
        // SAFETY: caller contract for every pointer below.
        let preset = unsafe { text(preset.0, preset.1, "preset") }?;
        let previous: Vec<&[u8]> = (unsafe { array(previous, n, what) }?.iter().enumerate())
            .map(|(i, s)| unsafe { array(s.ptr, s.len, &format!("{what}[{i}]")) })
            .collect::<Result<_, _>>()?;
        let options = unsafe { self::options(options.0, options.1, "options") }?;
        let inner = if env {
            let var = unsafe { text(key.0, key.1, "var") }?;
            let vars: Vec<&str> =
                (previous.into_iter()).map(|v| utf8(v, "a previous_vars name")).collect::<Result<_, _>>()?;
            Signer::from_env_with_options(var, preset, &vars, &options)?
        } else {
            let secret = unsafe { array(key.0, key.1, "secret") }?;
            Signer::with_options(secret, preset, previous, &options)?
        };
        Ok(Box::into_raw(Box::new(userhash_signer_t { inner })))
    })
}

/// Creates a signer from a secret (raw bytes), a preset name or scheme spec
/// (`"ensoras"`, `"email:trim_lowercase"`), `previous_len` previous secrets
/// that the `verify` operation also accepts (`previous` may be NULL when 0), and
/// signer options as UTF-8 JSON text of an object (empty for none). On
/// success `*out` is a signer you release with `userhash_signer_free`; on
/// failure `*out` is NULL. The secrets are copied into zeroized key state.
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_SECRET`, `USERHASH_UNKNOWN_PRESET`,
/// `USERHASH_INVALID_INPUT` (bad options), `USERHASH_INVALID_JSON`,
/// `USERHASH_INVALID_UTF8`, `USERHASH_INVALID_SECRET`, `USERHASH_NULL_ARGUMENT`,
/// `USERHASH_PANIC`.
///
/// # Safety
/// Each `(ptr, len)` valid for its length; `previous` valid for
/// `previous_len` entries; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_new(
    secret: *const u8, secret_len: usize, preset: *const u8, preset_len: usize, previous: *const userhash_slice_t,
    previous_len: usize, options_json: *const u8, options_len: usize, out: *mut *mut userhash_signer_t,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    let strings = [(secret, secret_len), (preset, preset_len), (options_json, options_len)];
    // SAFETY: caller contract, forwarded.
    unsafe { new_signer(strings, (previous, previous_len), false, out, error_out) }
}

/// Creates a signer whose secret is read from environment variable `var` and
/// whose previous secrets are read from the variables in `previous_vars`
/// (`previous_len` names; NULL when 0). An unset or empty variable is
/// `USERHASH_EMPTY_SECRET` naming the variable, never its value. Preset,
/// options, `out` and the other statuses as for `userhash_signer_new`.
///
/// # Safety
/// As for `userhash_signer_new`.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_from_env(
    var: *const u8, var_len: usize, preset: *const u8, preset_len: usize, previous_vars: *const userhash_slice_t,
    previous_len: usize, options_json: *const u8, options_len: usize, out: *mut *mut userhash_signer_t,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    let strings = [(var, var_len), (preset, preset_len), (options_json, options_len)];
    // SAFETY: caller contract, forwarded.
    unsafe { new_signer(strings, (previous_vars, previous_len), true, out, error_out) }
}

/// Releases a signer (its key material is zeroized). NULL is ignored. The
/// signer must not be in use by another thread and must not be used afterwards.
///
/// # Safety
/// `signer` must be NULL or a live signer from this library, freed once.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_free(signer: *mut userhash_signer_t) {
    if !signer.is_null() {
        // SAFETY: created by Box::into_raw in new_signer (caller contract).
        let boxed = unsafe { Box::from_raw(signer) };
        let _ = catch_unwind(AssertUnwindSafe(move || drop(boxed)));
    }
}

/// Writes the signer's scheme into `out`: its preset name (`"ensoras"`), or
/// `source:transform` for a custom spec. Release `out` with `userhash_bytes_free`.
/// Returns `USERHASH_OK`, `USERHASH_NULL_ARGUMENT`, `USERHASH_PANIC`.
///
/// # Safety
/// `signer` live; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_scheme(
    signer: *const userhash_signer_t, out: *mut userhash_bytes_t,
) -> userhash_status_t {
    // SAFETY: caller contract.
    write_out((out, "out"), NO_BYTES, null_mut(), || {
        let scheme = unsafe { signer_ref(signer) }?.scheme().to_string();
        Ok(owned_bytes(scheme))
    })
}

/// How many previous secrets the `verify` operation also tries (0 for NULL).
///
/// # Safety
/// `signer` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_previous_count(signer: *const userhash_signer_t) -> usize {
    // SAFETY: caller contract.
    unsafe { signer.as_ref() }.map_or(0, |s| s.inner.previous_count())
}

/// The name of input field number `index` that the signer's scheme reads
/// (`email`; `external_id` then `email` for a scheme that signs either), or
/// NULL past the last one (and for a NULL signer). Static strings.
///
/// # Safety
/// `signer` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_field(signer: *const userhash_signer_t, index: usize) -> *const c_char {
    // SAFETY: caller contract.
    let fields = unsafe { signer.as_ref() }.map_or(&[][..], |s| s.inner.scheme().fields());
    nth_name(fields.iter().map(|f| f.name()), index)
}

/// The field a batch (and an empty `field` argument) fills for this signer's
/// scheme, or NULL when the scheme signs one of several fields and the caller
/// must name it (and for a NULL signer). Static string.
///
/// # Safety
/// `signer` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_batch_field(signer: *const userhash_signer_t) -> *const c_char {
    // SAFETY: caller contract.
    let field = unsafe { signer.as_ref() }.and_then(|s| s.inner.scheme().batch_field());
    field.map_or(null(), |f| c_name(f.name()))
}

/// Signs the identity in `input_json`: UTF-8 JSON text of an object of
/// sign-call fields, e.g. `{"email":"a@b.c"}`, `{"user_id":42}` or
/// `{"visitor":{"name":"Ann","data":{}}}`, parsed as JavaScript's
/// `JSON.parse` would (key order kept). Writes the HMAC-SHA256 as 64
/// lowercase hex digits plus a NUL into `out_hex` (65 bytes); on failure
/// `out_hex` holds an empty string.
/// Returns `USERHASH_OK` or the status of the error (see `userhash_error_t`).
///
/// # Safety
/// `signer` live; `input_json` valid for `input_len` bytes; `out_hex`
/// writable for 65 bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign(
    signer: *const userhash_signer_t, input_json: *const u8, input_len: usize, out_hex: *mut c_char,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    write_out((out_hex.cast(), "out_hex"), [0; 65], error_out, || {
        // SAFETY: caller contract for both pointers.
        let signer = unsafe { signer_ref(signer) }?;
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        hex(signer, &Input::from_host_json(json)?)
    })
}

/// The fast path of `userhash_sign` for one field: signs `value` given as the
/// field named `field` (`email`, `user_id`, an alias; empty or NULL for the
/// scheme's batch field, see `userhash_signer_batch_field`). With `is_json`
/// false the value is the field's text (NUL bytes are data); with `is_json`
/// true it is the JSON text of the field's value (`42`, `{"name":"Ann"}`). So
/// `{"email": value}` through `userhash_sign` gives the same hash.
/// Output and errors as for `userhash_sign`.
///
/// # Safety
/// As for `userhash_sign`; `field` valid for `field_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_field(
    signer: *const userhash_signer_t, field: *const u8, field_len: usize, value: *const u8, value_len: usize,
    is_json: bool, out_hex: *mut c_char, error_out: *mut userhash_error_t,
) -> userhash_status_t {
    write_out((out_hex.cast(), "out_hex"), [0; 65], error_out, || {
        // SAFETY: caller contract for every pointer below.
        let signer = unsafe { signer_ref(signer) }?;
        let field = unsafe { self::field(signer, field, field_len) }?;
        let bytes = unsafe { array(value, value_len, "value") }?;
        let mut one = Input::new();
        match std::str::from_utf8(bytes) {
            Ok(json) if is_json => one.set_field_host_json(field, json)?,
            _ => one.set_field(field, self::value(bytes, is_json)),
        }
        hex(signer, &one)
    })
}

/// The shortest call for the commonest sign: `value` (`len` bytes; NULL
/// only with `len` 0) as the text of the scheme's batch field (see
/// `userhash_signer_batch_field`), exactly as `userhash_sign_field` with an
/// empty `field` and `is_json` false. Output as for `userhash_sign`. It takes
/// no `error_out`: on failure, call `userhash_sign_field` with the same
/// arguments and an `error_out` for the detail (signing is pure, so it fails
/// the same way). Returns `USERHASH_OK` or the status of the error.
///
/// # Safety
/// `signer` live; `value` valid for `len` bytes; `out_hex` writable for 65 bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_text(
    signer: *const userhash_signer_t, value: *const u8, len: usize, out_hex: *mut c_char,
) -> userhash_status_t {
    // SAFETY: caller contract, forwarded.
    unsafe { userhash_sign_field(signer, null(), 0, value, len, false, out_hex, null_mut()) }
}

/// `userhash_sign_text` for JSON: `json` (`len` bytes) is the JSON text of
/// the batch field's value (`{"name":"Ann","data":{}}` for a visitor, `42`
/// for an id), exactly as `userhash_sign_field` with an empty `field` and
/// `is_json` true (text already in `JSON.stringify` form is signed from the
/// text, in one pass). Status only, as for `userhash_sign_text`.
///
/// # Safety
/// `signer` live; `json` valid for `len` bytes; `out_hex` writable for 65 bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_json(
    signer: *const userhash_signer_t, json: *const u8, len: usize, out_hex: *mut c_char,
) -> userhash_status_t {
    // SAFETY: caller contract, forwarded.
    unsafe { userhash_sign_field(signer, null(), 0, json, len, true, out_hex, null_mut()) }
}

/// Items of a batch converted per block, so memory beyond the output stays bounded.
const BATCH_BLOCK: usize = 1 << 16;

/// Batch signing: signs `n` values, each given as the field named `field`
/// (empty: the scheme's batch field) exactly as `userhash_sign_field` would,
/// packed into one buffer: item `i` is the next `lens[i]` bytes of `data`
/// (the lengths must add up to `data_len` exactly, else
/// `USERHASH_INVALID_INPUT`). Writes their hashes one after the other into
/// `out_hexes`: `n * 64` bytes, hash `i` at `out_hexes + 64 * i`, lowercase
/// hex, no separators and no NUL. Large batches (8192 items or more) are
/// signed on every core. The first invalid item (in index order) fails the
/// whole call: its status is returned, `error_out->item` is
/// `first_index + i` (a caller feeding one batch in chunks passes each
/// chunk's offset, and the message says `item <that index>: `), and
/// `out_hexes` is zero-filled. `n` may be 0 (then `lens` and `out_hexes` may
/// be NULL); `data` may be NULL when `data_len` is 0.
///
/// # Safety
/// `signer` live; `field` valid for `field_len` bytes; `data` valid for
/// `data_len` bytes; `lens` valid for `n` entries; `out_hexes` writable for
/// `n * 64` bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_many_packed(
    signer: *const userhash_signer_t, field: *const u8, field_len: usize, data: *const u8, data_len: usize,
    lens: *const usize, n: usize, is_json: bool, first_index: usize, out_hexes: *mut c_char,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: caller contract for every pointer below (out_hexes: n * 64 bytes).
        unsafe { array(out_hexes.cast_const().cast::<[u8; 64]>(), n, "out_hexes") }?;
        let out: &mut [[u8; 64]] = match n {
            0 => &mut [],
            _ => unsafe { std::slice::from_raw_parts_mut(out_hexes.cast(), n) },
        };
        let result = (|| {
            let signer = unsafe { signer_ref(signer) }?;
            let field = unsafe { self::field(signer, field, field_len) }?;
            let mut data = unsafe { array(data, data_len, "data") }?;
            let lens = unsafe { array(lens, n, "lens") }?;
            let total = lens.iter().try_fold(0, |s: usize, &l| s.checked_add(l));
            if total != Some(data.len()) {
                let message = format!("the lens do not add up to data_len ({data_len})");
                return Err(invalid(message));
            }
            // Item indexes must fit userhash_error_t's int64 item (n fits: checked above).
            if first_index > i64::MAX as usize - n {
                let message = format!("first_index {first_index} + n {n} is too large");
                return Err(invalid(message));
            }
            let blocks = lens.chunks(BATCH_BLOCK).zip(out.chunks_mut(BATCH_BLOCK));
            for (k, (lens, out)) in blocks.enumerate() {
                // (The lens add up to the data's length: checked above.)
                let values: Vec<Value> =
                    (lens.iter()).map(|&len| value(data.split_off(..len).expect("lens add up"), is_json)).collect();
                signer.sign_many_into(Some(field), &values, out, first_index + k * BATCH_BLOCK)?;
            }
            Ok(())
        })();
        result.inspect_err(|_| out.fill([0; 64]))
    })
}

/// Runs the signer operation named `op` — `sign`, `canonical`, `verify`,
/// `embed`, `token`, `verify_token`, `diagnose`, or any the core adds (list
/// them with `userhash_operation_name`) — on the identity in `input_json` (as
/// for `userhash_sign`; empty or `{}` when the operation needs none) with
/// `args_json` (a JSON object such as `{"hash":"…"}` for `verify`,
/// `{"widget":"acme","nonce":"…"}` for `embed` or
/// `{"token":"…","now":1700000000}`; empty for none), and writes the result as
/// JSON text into `out`: a string (a hash, the canonical form, a snippet), a
/// boolean (`verify`: whether the hash is the identity's signature under the
/// current or a previous secret, compared in constant time; a malformed hash
/// is `false`), or an object such as a token's claims or a diagnosis.
/// Release `out` with `userhash_bytes_free`. Errors as for `userhash_sign`,
/// plus the token codes for `verify_token` and `USERHASH_INVALID_INPUT` for
/// an unknown operation or bad arguments.
///
/// # Safety
/// `signer` live; `op`, `input_json`, `args_json` valid for their lengths;
/// `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_call(
    signer: *const userhash_signer_t, op: *const u8, op_len: usize, input_json: *const u8, input_len: usize,
    args_json: *const u8, args_len: usize, out: *mut userhash_bytes_t, error_out: *mut userhash_error_t,
) -> userhash_status_t {
    write_out((out, "out"), NO_BYTES, error_out, || {
        // SAFETY: caller contract for every pointer below.
        let signer = unsafe { signer_ref(signer) }?;
        let op = unsafe { text(op, op_len, "op") }?;
        let input = match unsafe { text(input_json, input_len, "input_json") }? {
            "" => Input::new(),
            json => Input::from_host_json(json)?,
        };
        let args = unsafe { options(args_json, args_len, "args") }?;
        let result = userhash::json::stringify(&signer.call(op, &input, &args)?)?;
        Ok(owned_bytes(result))
    })
}

/// The name of signer operation number `index` for `userhash_call`, or NULL
/// past the last one. Static strings.
#[no_mangle]
pub extern "C" fn userhash_operation_name(index: usize) -> *const c_char {
    nth_name(userhash::OPERATIONS.iter().copied(), index)
}

/// Releases bytes the library wrote. Empty (NULL) bytes are ignored.
///
/// # Safety
/// `bytes` must come from this library and be freed once.
#[no_mangle]
pub unsafe extern "C" fn userhash_bytes_free(bytes: userhash_bytes_t) {
    if !bytes.ptr.is_null() {
        let all = std::ptr::slice_from_raw_parts_mut(bytes.ptr, bytes.len + 1);
        // SAFETY: allocated by owned_bytes as a boxed slice of len + 1 bytes.
        drop(unsafe { Box::from_raw(all) });
    }
}

/// Releases the message and path of an error the library filled and resets
/// it to the zeroed state (so freeing twice is harmless). NULL is ignored.
///
/// # Safety
/// `error` NULL or a `userhash_error_t` the library filled (or zeroed).
#[no_mangle]
pub unsafe extern "C" fn userhash_error_free(error: *mut userhash_error_t) {
    // SAFETY: caller contract.
    if let Some(error) = unsafe { error.as_mut() } {
        let filled = std::mem::replace(error, NO_ERROR);
        // SAFETY: both came from owned_bytes (or are empty).
        unsafe { userhash_bytes_free(filled.message) };
        unsafe { userhash_bytes_free(filled.path) };
    }
}

#[cfg(test)]
mod unit_tests;
