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
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use userhash::{ErrorCode, Field, Input, Preset, Signer, Value};

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

/// Bytes the library allocated (a canonical form, an embed snippet, an error
/// message or path). Always followed by a NUL byte not counted in `len`, so
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

/// Borrowed input bytes (previous secrets, batch items, variable names).
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

const NO_BYTES: userhash_bytes_t = userhash_bytes_t {
    ptr: std::ptr::null_mut(),
    len: 0,
};

/// An error on its way to `error_out`.
struct Fail {
    status: userhash_status_t,
    message: String,
    path: Option<String>,
    item: Option<usize>,
}

impl Fail {
    fn new(status: userhash_status_t, message: impl Into<String>) -> Fail {
        Fail {
            status,
            message: message.into(),
            path: None,
            item: None,
        }
    }

    fn null(what: &str) -> Fail {
        Fail::new(USERHASH_NULL_ARGUMENT, format!("{what} is NULL"))
    }

    fn invalid(message: impl Into<String>) -> Fail {
        Fail::new(USERHASH_INVALID_INPUT, message)
    }
}

impl From<userhash::Error> for Fail {
    fn from(e: userhash::Error) -> Fail {
        Fail {
            status: e.code() as c_int,
            message: e.to_string(),
            path: e.path().map(str::to_owned),
            item: e.item(),
        }
    }
}

fn guard(
    error_out: *mut userhash_error_t,
    body: impl FnOnce() -> Result<(), Fail>,
) -> userhash_status_t {
    let cleared = || userhash_error_t {
        status: USERHASH_OK,
        message: NO_BYTES,
        path: NO_BYTES,
        item: -1,
    };
    if !error_out.is_null() {
        // SAFETY: the caller passes NULL or a writable userhash_error_t.
        unsafe { error_out.write(cleared()) };
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
    let Err(fail) = result else {
        return USERHASH_OK;
    };
    if !error_out.is_null() {
        let filled = catch_unwind(|| userhash_error_t {
            status: fail.status,
            message: owned_bytes(fail.message.as_bytes()),
            path: fail
                .path
                .as_deref()
                .map_or(NO_BYTES, |p| owned_bytes(p.as_bytes())),
            item: fail.item.and_then(|i| i64::try_from(i).ok()).unwrap_or(-1),
        })
        .unwrap_or_else(|_| userhash_error_t {
            status: fail.status,
            ..cleared()
        });
        // SAFETY: as above.
        unsafe { error_out.write(filled) };
    }
    fail.status
}

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

/// A static NUL-terminated copy of a name from the core's tables, made once.
fn c_name(name: &'static str) -> *const c_char {
    static NAMES: Mutex<Vec<(&'static str, &'static CStr)>> = Mutex::new(Vec::new());
    let mut names = NAMES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, c)) = names.iter().find(|(n, _)| *n == name) {
        return c.as_ptr();
    }
    let c: &'static CStr = Box::leak(
        CString::new(name)
            .expect("core names have no NUL")
            .into_boxed_c_str(),
    );
    names.push((name, c));
    c.as_ptr()
}

/// `c_name` of `names[index]`, or NULL past the end (and on a caught panic).
fn nth_name(names: impl Iterator<Item = &'static str>, index: usize) -> *const c_char {
    catch_unwind(AssertUnwindSafe(|| {
        names
            .into_iter()
            .nth(index)
            .map_or(std::ptr::null(), c_name)
    }))
    .unwrap_or(std::ptr::null())
}

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
        return Err(Fail::invalid(format!("{what} length {len} is too large")));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

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

unsafe fn slices<'a>(
    ptr: *const userhash_slice_t,
    n: usize,
    what: &str,
) -> Result<Vec<&'a [u8]>, Fail> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(Fail::new(
            USERHASH_NULL_ARGUMENT,
            format!("{what} is NULL but its count is {n}"),
        ));
    }
    // SAFETY: non-NULL and valid for n entries (caller contract).
    let items = unsafe { std::slice::from_raw_parts(ptr, n) };
    items
        .iter()
        .enumerate()
        // SAFETY: each slice is valid for its length (caller contract).
        .map(|(i, s)| unsafe { input(s.ptr, s.len, &format!("{what}[{i}]")) })
        .collect()
}

unsafe fn signer_ref<'a>(signer: *const userhash_signer_t) -> Result<&'a Signer, Fail> {
    // SAFETY: the caller guarantees a live signer or NULL.
    match unsafe { signer.as_ref() } {
        Some(s) => Ok(&s.inner),
        None => Err(Fail::null("signer")),
    }
}

unsafe fn options<'a>(ptr: *const u8, len: usize, what: &'static str) -> Result<Value<'a>, Fail> {
    // SAFETY: forwarded to the caller.
    let text = unsafe { text(ptr, len, what) }?;
    if text.is_empty() {
        return Ok(Value::Null);
    }
    userhash::json::parse_borrowed(text).map_err(|e| Fail::from(e.at(what)))
}

/// The field named by `(ptr, len)`; empty means the scheme's batch field.
unsafe fn field(signer: &Signer, ptr: *const u8, len: usize) -> Result<Field, Fail> {
    // SAFETY: forwarded to the caller.
    let name = unsafe { text(ptr, len, "field") }?;
    if name.is_empty() {
        return Ok(signer.batch_field(None)?);
    }
    Ok(Field::parse(name)?)
}

/// One field value: its text, or with `is_json` its JSON text.
fn value(bytes: &[u8], is_json: bool) -> Value<'_> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Value::invalid_utf8();
    };
    if !is_json {
        return Value::str(text);
    }
    userhash::json::parse_borrowed(text).unwrap_or_else(|e| Value::invalid(e.code(), e.to_string()))
}

unsafe fn write_hex(out_hex: *mut c_char, hex: &[u8; 64]) {
    // SAFETY: the caller guarantees 65 writable bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(hex.as_ptr(), out_hex.cast::<u8>(), 64);
        out_hex.add(64).write(0);
    }
}

unsafe fn hex_out(out_hex: *mut c_char) -> Result<(), Fail> {
    if out_hex.is_null() {
        return Err(Fail::null("out_hex"));
    }
    // SAFETY: writable for 65 bytes (caller contract).
    unsafe { out_hex.write(0) };
    Ok(())
}

unsafe fn bytes_out(out: *mut userhash_bytes_t) -> Result<(), Fail> {
    if out.is_null() {
        return Err(Fail::null("out"));
    }
    // SAFETY: writable (caller contract).
    unsafe { out.write(NO_BYTES) };
    Ok(())
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
    catch_unwind(|| {
        // SAFETY: caller contract.
        let name = unsafe { text(name, len, "name") }.ok()?;
        Field::from_name(name).map(|f| c_name(f.name()))
    })
    .ok()
    .flatten()
    .unwrap_or(std::ptr::null())
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
    let name = match status {
        USERHASH_OK => "ok",
        USERHASH_NULL_ARGUMENT => "null_argument",
        USERHASH_PANIC => "panic",
        n => ErrorCode::ALL
            .into_iter()
            .find(|c| *c as c_int == n)
            .map_or("unknown", ErrorCode::as_str),
    };
    c_name(name)
}

/// Fills `error_out` with the core's error for a native value a host could
/// not convert, and returns its status: `kind` is one of `datetime`,
/// `decimal`, `big_number`, `bytes`, `set`, `enum`, `json_hook`, `object`,
/// `non_string_key`, `invalid_utf8`, `lone_surrogate`, `too_deep`, `cycle`;
/// `type_name` is the host's name for the value's type; `path` is where it was
/// (`visitor.data.when`; empty for none); `item` is the index of the batch
/// item it belongs to, or -1 (a host that converts a batch's items itself
/// reports the item as `userhash_sign_many` would, `item N: path: message`).
/// So hosts that convert to JSON text themselves (PHP, Go) report these
/// failures with the same codes and messages as every other binding. An
/// unknown `kind` is `USERHASH_INVALID_INPUT` saying so.
///
/// # Safety
/// Each `(ptr, len)` valid for its length (NULL only with length 0).
#[no_mangle]
pub unsafe extern "C" fn userhash_conversion_error(
    kind: *const u8,
    kind_len: usize,
    type_name: *const u8,
    type_len: usize,
    path: *const u8,
    path_len: usize,
    item: i64,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: caller contract (all three).
        let (kind, type_name, path) = unsafe {
            (
                text(kind, kind_len, "kind")?,
                text(type_name, type_len, "type_name")?,
                text(path, path_len, "path")?,
            )
        };
        match Value::failure(kind, type_name) {
            Some(Value::Invalid(inv)) => {
                let mut e = userhash::Error::new(inv.code, inv.what);
                if !path.is_empty() {
                    e = e.at(path);
                }
                if let Ok(i) = usize::try_from(item) {
                    e = e.in_item(i);
                }
                Err(Fail::from(e))
            }
            _ => Err(Fail::invalid(format!(
                "unknown conversion failure kind {kind:?}"
            ))),
        }
    })
}

/// Creates a signer from a secret (raw bytes), a preset name or scheme spec
/// (`"ensoras"`, `"email:trim_lowercase"`), `previous_len` previous secrets
/// that `userhash_verify` also accepts (`previous` may be NULL when 0), and
/// signer options as UTF-8 JSON text of an object (empty for none). On
/// success `*out` is a signer you release with `userhash_signer_free`; on
/// failure `*out` is NULL. The secrets are copied into zeroized key state.
/// Returns `USERHASH_OK`, `USERHASH_EMPTY_SECRET`, `USERHASH_UNKNOWN_PRESET`,
/// `USERHASH_INVALID_INPUT` (bad options), `USERHASH_INVALID_JSON`,
/// `USERHASH_INVALID_UTF8`, `USERHASH_NULL_ARGUMENT`, `USERHASH_PANIC`.
///
/// # Safety
/// Each `(ptr, len)` valid for its length; `previous` valid for
/// `previous_len` entries; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_new(
    secret: *const u8,
    secret_len: usize,
    preset: *const u8,
    preset_len: usize,
    previous: *const userhash_slice_t,
    previous_len: usize,
    options_json: *const u8,
    options_len: usize,
    out: *mut *mut userhash_signer_t,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out.is_null() {
            return Err(Fail::null("out"));
        }
        // SAFETY: out is writable (caller contract).
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: caller contract for every pointer below.
        let (secret, preset, previous, options) = unsafe {
            (
                input(secret, secret_len, "secret")?,
                text(preset, preset_len, "preset")?,
                slices(previous, previous_len, "previous")?,
                options(options_json, options_len, "options")?,
            )
        };
        let inner = Signer::with_options(secret, preset, previous, &options)?;
        // SAFETY: as above.
        unsafe { out.write(Box::into_raw(Box::new(userhash_signer_t { inner }))) };
        Ok(())
    })
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
    var: *const u8,
    var_len: usize,
    preset: *const u8,
    preset_len: usize,
    previous_vars: *const userhash_slice_t,
    previous_len: usize,
    options_json: *const u8,
    options_len: usize,
    out: *mut *mut userhash_signer_t,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out.is_null() {
            return Err(Fail::null("out"));
        }
        // SAFETY: out is writable (caller contract).
        unsafe { out.write(std::ptr::null_mut()) };
        // SAFETY: caller contract for every pointer below.
        let (var, preset, vars, options) = unsafe {
            (
                text(var, var_len, "var")?,
                text(preset, preset_len, "preset")?,
                slices(previous_vars, previous_len, "previous_vars")?,
                options(options_json, options_len, "options")?,
            )
        };
        let vars = vars
            .into_iter()
            .map(|v| {
                std::str::from_utf8(v).map_err(|_| {
                    Fail::new(USERHASH_INVALID_UTF8, "a previous_vars name is not UTF-8")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let inner = Signer::from_env_with_options(var, preset, &vars, &options)?;
        // SAFETY: as above.
        unsafe { out.write(Box::into_raw(Box::new(userhash_signer_t { inner }))) };
        Ok(())
    })
}

/// Releases a signer (its key material is zeroized). NULL is ignored. The
/// signer must not be in use by another thread and must not be used afterwards.
///
/// # Safety
/// `signer` must be NULL or a live signer from this library, freed once.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_free(signer: *mut userhash_signer_t) {
    if signer.is_null() {
        return;
    }
    // SAFETY: created by Box::into_raw in userhash_signer_new (caller contract).
    let boxed = unsafe { Box::from_raw(signer) };
    let _ = catch_unwind(AssertUnwindSafe(move || drop(boxed)));
}

/// Writes the signer's scheme into `out`: its preset name (`"ensoras"`), or
/// `source:transform` for a custom spec. Release `out` with `userhash_bytes_free`.
/// Returns `USERHASH_OK`, `USERHASH_NULL_ARGUMENT`, `USERHASH_PANIC`.
///
/// # Safety
/// `signer` live; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_scheme(
    signer: *const userhash_signer_t,
    out: *mut userhash_bytes_t,
) -> userhash_status_t {
    guard(std::ptr::null_mut(), || {
        // SAFETY: caller contract.
        unsafe { bytes_out(out)? };
        // SAFETY: caller contract.
        let name = unsafe { signer_ref(signer) }?.scheme().to_string();
        // SAFETY: as above.
        unsafe { out.write(owned_bytes(name.as_bytes())) };
        Ok(())
    })
}

/// How many previous secrets `userhash_verify` also tries (0 for NULL).
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
pub unsafe extern "C" fn userhash_signer_field(
    signer: *const userhash_signer_t,
    index: usize,
) -> *const c_char {
    // SAFETY: caller contract.
    match unsafe { signer.as_ref() } {
        Some(s) => nth_name(s.inner.scheme().fields().iter().map(|f| f.name()), index),
        None => std::ptr::null(),
    }
}

/// The field a batch (and an empty `field` argument) fills for this signer's
/// scheme, or NULL when the scheme signs one of several fields and the caller
/// must name it (and for a NULL signer). Static string.
///
/// # Safety
/// `signer` NULL or live.
#[no_mangle]
pub unsafe extern "C" fn userhash_signer_batch_field(
    signer: *const userhash_signer_t,
) -> *const c_char {
    // SAFETY: caller contract.
    match unsafe { signer.as_ref() }.and_then(|s| s.inner.scheme().batch_field()) {
        Some(f) => c_name(f.name()),
        None => std::ptr::null(),
    }
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
    signer: *const userhash_signer_t,
    input_json: *const u8,
    input_len: usize,
    out_hex: *mut c_char,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: caller contract for every pointer below.
        unsafe { hex_out(out_hex)? };
        let signer = unsafe { signer_ref(signer) }?;
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let mut hex = [0u8; 64];
        signer.sign_hex(&Input::from_json(json)?, &mut hex)?;
        unsafe { write_hex(out_hex, &hex) };
        Ok(())
    })
}

/// The fast path of `userhash_sign` for one field: signs `value` given as the
/// field named `field` (`email`, `user_id`, an alias; empty for the scheme's
/// batch field, see `userhash_signer_batch_field`). With `is_json` false the
/// value is the field's text (NUL bytes are data); with `is_json` true it is
/// the JSON text of the field's value (`42`, `{"name":"Ann"}`). So
/// `{"email": value}` through `userhash_sign` gives the same hash.
/// Output and errors as for `userhash_sign`.
///
/// # Safety
/// As for `userhash_sign`; `field` valid for `field_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_field(
    signer: *const userhash_signer_t,
    field: *const u8,
    field_len: usize,
    value: *const u8,
    value_len: usize,
    is_json: bool,
    out_hex: *mut c_char,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: caller contract for every pointer below.
        unsafe { hex_out(out_hex)? };
        let signer = unsafe { signer_ref(signer) }?;
        let field = unsafe { self::field(signer, field, field_len) }?;
        let bytes = unsafe { input(value, value_len, "value") }?;
        let mut one = Input::new();
        one.set_field(field, self::value(bytes, is_json));
        let mut hex = [0u8; 64];
        signer.sign_hex(&one, &mut hex)?;
        unsafe { write_hex(out_hex, &hex) };
        Ok(())
    })
}

/// Items of a batch converted per block, so memory beyond the output stays bounded.
const BATCH_BLOCK: usize = 1 << 16;

fn sign_batch<'a>(
    signer: &Signer,
    field: Field,
    items: &[&'a [u8]],
    is_json: bool,
    first_index: usize,
    out: &mut [u8],
) -> Result<(), Fail> {
    // Item indexes must fit userhash_error_t's int64 item.
    if first_index
        .checked_add(items.len())
        .is_none_or(|end| end > i64::MAX as usize)
    {
        return Err(Fail::invalid(format!(
            "first_index {first_index} + n {} is past the largest item index",
            items.len()
        )));
    }
    for (k, block) in items.chunks(BATCH_BLOCK).enumerate() {
        let values: Vec<Value<'a>> = block.iter().map(|b| value(b, is_json)).collect();
        let start = k * BATCH_BLOCK;
        let mut hexes = vec![[0u8; 64]; values.len()];
        signer.sign_many_into(Some(field), &values, &mut hexes, first_index + start)?;
        for (hex, dst) in hexes.iter().zip(out[start * 64..].chunks_exact_mut(64)) {
            dst.copy_from_slice(hex);
        }
    }
    Ok(())
}

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
        .ok_or_else(|| Fail::invalid(format!("n = {n} is too large")))?;
    // SAFETY: non-NULL and writable for n * 64 bytes (caller contract).
    Ok(unsafe { std::slice::from_raw_parts_mut(out_hexes.cast::<u8>(), size) })
}

/// Runs a batch body and zero-fills the output when it fails (never a partial result).
fn batch(
    n: usize,
    out_hexes: *mut c_char,
    body: impl FnOnce(&mut [u8]) -> Result<(), Fail>,
) -> Result<(), Fail> {
    // SAFETY: out_hexes writable for n * 64 bytes (caller contract).
    let out = unsafe { batch_output(n, out_hexes) }?;
    let result = body(out);
    if result.is_err() {
        out.fill(0);
    }
    result
}

/// Batch signing: signs `n` values, each given as the field named `field`
/// (empty: the scheme's batch field) exactly as `userhash_sign_field` with
/// `is_json` would, and writes their hashes one after the other into
/// `out_hexes`: `n * 64` bytes, hash `i` at `out_hexes + 64 * i`, lowercase
/// hex, no separators and no NUL. Large batches (8192 items or more) are
/// signed on every core. The first invalid item (in index order) fails the
/// whole call: its status is returned, `error_out->item` is
/// `first_index + i` (a caller feeding one batch in chunks passes each
/// chunk's offset, and the message says `item <that index>: `), and
/// `out_hexes` is zero-filled. `n` may be 0 (then `values` and `out_hexes`
/// may be NULL).
///
/// # Safety
/// `signer` live; `field` valid for `field_len` bytes; `values` valid for `n`
/// entries, each valid for its length; `out_hexes` writable for `n * 64` bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_many(
    signer: *const userhash_signer_t,
    field: *const u8,
    field_len: usize,
    values: *const userhash_slice_t,
    n: usize,
    is_json: bool,
    first_index: usize,
    out_hexes: *mut c_char,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        batch(n, out_hexes, |out| {
            // SAFETY: caller contract for every pointer below.
            let signer = unsafe { signer_ref(signer) }?;
            let field = unsafe { self::field(signer, field, field_len) }?;
            let items = unsafe { slices(values, n, "values") }?;
            sign_batch(signer, field, &items, is_json, first_index, out)
        })
    })
}

/// `userhash_sign_many` with the values packed into one buffer, for callers
/// that cannot cheaply build an array of pointers (Go, PHP FFI): item `i` is
/// the next `lens[i]` bytes of `data`; the lengths must add up to `data_len`
/// exactly (else `USERHASH_INVALID_INPUT`). Everything else as for
/// `userhash_sign_many`. `data` may be NULL when `data_len` is 0, `lens`
/// when `n` is 0.
///
/// # Safety
/// `signer` live; `field` valid for `field_len` bytes; `data` valid for
/// `data_len` bytes; `lens` valid for `n` entries; `out_hexes` writable for
/// `n * 64` bytes.
#[no_mangle]
pub unsafe extern "C" fn userhash_sign_many_packed(
    signer: *const userhash_signer_t,
    field: *const u8,
    field_len: usize,
    data: *const u8,
    data_len: usize,
    lens: *const usize,
    n: usize,
    is_json: bool,
    first_index: usize,
    out_hexes: *mut c_char,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        batch(n, out_hexes, |out| {
            // SAFETY: caller contract for every pointer below.
            let signer = unsafe { signer_ref(signer) }?;
            let field = unsafe { self::field(signer, field, field_len) }?;
            let data = unsafe { input(data, data_len, "data") }?;
            let lens: &[usize] = match (n, lens.is_null()) {
                (0, _) => &[],
                (_, true) => {
                    return Err(Fail::new(
                        USERHASH_NULL_ARGUMENT,
                        format!("lens is NULL but n is {n}"),
                    ))
                }
                // SAFETY: non-NULL and valid for n entries (caller contract).
                _ => unsafe { std::slice::from_raw_parts(lens, n) },
            };
            if lens
                .iter()
                .try_fold(0usize, |sum, &len| sum.checked_add(len))
                != Some(data.len())
            {
                return Err(Fail::invalid(format!(
                    "the lens do not add up to data_len ({data_len})"
                )));
            }
            let mut at = 0;
            let items: Vec<&[u8]> = lens
                .iter()
                .map(|&len| {
                    at += len;
                    &data[at - len..at]
                })
                .collect();
            sign_batch(signer, field, &items, is_json, first_index, out)
        })
    })
}

/// Sets `*out_match` to whether `hash` (64 lowercase hex digits) is the
/// signature of the identity in `input_json` (as for `userhash_sign`) under
/// the current or a previous secret, compared in constant time. A malformed
/// hash is a mismatch, not an error. Input errors as for `userhash_sign`.
///
/// # Safety
/// `signer` live; `hash`, `input_json` valid for their lengths; `out_match` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_verify(
    signer: *const userhash_signer_t,
    hash: *const u8,
    hash_len: usize,
    input_json: *const u8,
    input_len: usize,
    out_match: *mut bool,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        if out_match.is_null() {
            return Err(Fail::null("out_match"));
        }
        // SAFETY: caller contract for every pointer below.
        unsafe { out_match.write(false) };
        let signer = unsafe { signer_ref(signer) }?;
        let hash = unsafe { input(hash, hash_len, "hash") }?;
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let canonical = signer.canonical(&Input::from_json(json)?)?.into_owned();
        let matched =
            std::str::from_utf8(hash).is_ok_and(|h| signer.verify_bytes(h, canonical.as_bytes()));
        unsafe { out_match.write(matched) };
        Ok(())
    })
}

/// Writes the canonical string the identity in `input_json` signs (the exact
/// bytes the vendor hashes) into `out`. Release it with `userhash_bytes_free`.
/// Input errors as for `userhash_sign`.
///
/// # Safety
/// `signer` live; `input_json` valid for `input_len` bytes; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_canonical(
    signer: *const userhash_signer_t,
    input_json: *const u8,
    input_len: usize,
    out: *mut userhash_bytes_t,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: caller contract for every pointer below.
        unsafe { bytes_out(out)? };
        let signer = unsafe { signer_ref(signer) }?;
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let canonical = signer.canonical(&Input::from_json(json)?)?.into_owned();
        unsafe { out.write(owned_bytes(canonical.as_bytes())) };
        Ok(())
    })
}

/// Renders the widget snippet of the signer's preset (docs/embed.md) for the
/// identity in `input_json`, with `options_json` (a JSON object, e.g.
/// `{"widget":"wk_1","nonce":"abc"}`), every value escaped for where it
/// lands. Writes it into `out`; release with `userhash_bytes_free`. Errors
/// as for `userhash_sign`, plus `USERHASH_INVALID_INPUT` for bad options.
///
/// # Safety
/// `signer` live; both JSON texts valid for their lengths; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_embed(
    signer: *const userhash_signer_t,
    input_json: *const u8,
    input_len: usize,
    options_json: *const u8,
    options_len: usize,
    out: *mut userhash_bytes_t,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: caller contract for every pointer below.
        unsafe { bytes_out(out)? };
        let signer = unsafe { signer_ref(signer) }?;
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let options = unsafe { options(options_json, options_len, "options") }?;
        let html = signer.embed(&Input::from_json(json)?, &options)?;
        unsafe { out.write(owned_bytes(html.as_bytes())) };
        Ok(())
    })
}

/// Runs the signer operation named `op` — `sign`, `canonical`, `verify`,
/// `embed`, `token`, `verify_token`, `diagnose`, or any the core adds (list
/// them with `userhash_operation_name`) — on the identity in `input_json` (as
/// for `userhash_sign`; `{}` when the operation needs none) with `args_json`
/// (a JSON object such as `{"hash":"…"}` or `{"token":"…","now":1700000000}`;
/// empty for none), and writes the result as JSON text into `out` (a string,
/// a boolean, or an object such as a token's claims or a diagnosis). Release
/// `out` with `userhash_bytes_free`. Errors as for `userhash_sign`, plus the
/// token codes for `verify_token` and `USERHASH_INVALID_INPUT` for an unknown
/// operation or bad arguments.
///
/// # Safety
/// `signer` live; `op`, `input_json`, `args_json` valid for their lengths;
/// `out` writable.
#[no_mangle]
pub unsafe extern "C" fn userhash_call(
    signer: *const userhash_signer_t,
    op: *const u8,
    op_len: usize,
    input_json: *const u8,
    input_len: usize,
    args_json: *const u8,
    args_len: usize,
    out: *mut userhash_bytes_t,
    error_out: *mut userhash_error_t,
) -> userhash_status_t {
    guard(error_out, || {
        // SAFETY: caller contract for every pointer below.
        unsafe { bytes_out(out)? };
        let signer = unsafe { signer_ref(signer) }?;
        let op = unsafe { text(op, op_len, "op") }?;
        let json = unsafe { text(input_json, input_len, "input_json") }?;
        let args = unsafe { options(args_json, args_len, "args") }?;
        let input = if json.is_empty() {
            Input::new()
        } else {
            Input::from_json(json)?
        };
        let result = userhash::json::stringify(&signer.call(op, &input, &args)?)?;
        unsafe { out.write(owned_bytes(result.as_bytes())) };
        Ok(())
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
    if bytes.ptr.is_null() {
        return;
    }
    // SAFETY: allocated by owned_bytes as a boxed slice of len + 1 bytes.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(bytes.ptr, bytes.len + 1)) });
}

/// Releases the message and path of an error the library filled and resets
/// it to the zeroed state (so freeing twice is harmless). NULL is ignored.
///
/// # Safety
/// `error` NULL or a `userhash_error_t` the library filled (or zeroed).
#[no_mangle]
pub unsafe extern "C" fn userhash_error_free(error: *mut userhash_error_t) {
    // SAFETY: caller contract.
    let Some(error) = (unsafe { error.as_mut() }) else {
        return;
    };
    let message = std::mem::replace(&mut error.message, NO_BYTES);
    let path = std::mem::replace(&mut error.path, NO_BYTES);
    // SAFETY: both came from owned_bytes (or are empty).
    unsafe {
        userhash_bytes_free(message);
        userhash_bytes_free(path);
    }
    error.status = USERHASH_OK;
    error.item = -1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_a_status_and_a_message() {
        let mut err = userhash_error_t {
            status: 0,
            message: NO_BYTES,
            path: NO_BYTES,
            item: 0,
        };
        let status = guard(&mut err, || panic!("boom"));
        assert_eq!((status, err.status), (USERHASH_PANIC, USERHASH_PANIC));
        // SAFETY: set by guard.
        let msg = unsafe { std::slice::from_raw_parts(err.message.ptr, err.message.len) };
        assert!(std::str::from_utf8(msg).unwrap().contains("boom"));
        // SAFETY: filled by guard; freeing twice is allowed.
        unsafe { userhash_error_free(&mut err) };
        unsafe { userhash_error_free(&mut err) };
        assert_eq!(guard(std::ptr::null_mut(), || panic!("x")), USERHASH_PANIC);
    }

    #[test]
    fn every_core_code_has_its_status_and_name() {
        let named = [
            USERHASH_EMPTY_SECRET,
            USERHASH_EMPTY_IDENTITY,
            USERHASH_INVALID_INPUT,
            USERHASH_INVALID_JSON,
            USERHASH_INVALID_UTF8,
            USERHASH_TOO_DEEP,
            USERHASH_UNKNOWN_PRESET,
            USERHASH_INVALID_TOKEN,
            USERHASH_BAD_SIGNATURE,
            USERHASH_UNKNOWN_KID,
            USERHASH_TOKEN_EXPIRED,
            USERHASH_TOKEN_NOT_YET_VALID,
            USERHASH_INVALID_SECRET,
        ];
        // A new core code must get its constant above (and in the header).
        assert_eq!(named.len(), ErrorCode::ALL.len());
        for (i, code) in ErrorCode::ALL.into_iter().enumerate() {
            let status = Fail::from(userhash::Error::new(code, "m")).status;
            assert_eq!(status, named[i]);
            assert!(status > USERHASH_OK && status < USERHASH_NULL_ARGUMENT);
            // SAFETY: static NUL-terminated strings.
            let (by_status, by_index) = unsafe {
                (
                    CStr::from_ptr(userhash_status_code(status)),
                    CStr::from_ptr(userhash_error_code(i)),
                )
            };
            assert_eq!(by_status.to_str().unwrap(), code.as_str());
            assert_eq!(by_index, by_status);
        }
        assert!(userhash_error_code(ErrorCode::ALL.len()).is_null());
    }

    #[test]
    fn batches_name_the_first_bad_item_with_the_callers_offset() {
        let signer = Signer::new(b"k", "inviaro").unwrap();
        let mut out = [0u8; 3 * 64];
        let items: [&[u8]; 3] = [b"a", b"\xff", b""];
        let err = sign_batch(&signer, Field::UserId, &items, false, 500, &mut out)
            .err()
            .unwrap();
        assert_eq!((err.status, err.item), (USERHASH_INVALID_UTF8, Some(501)));
        assert!(err.message.starts_with("item 501: "), "{}", err.message);
    }
}
