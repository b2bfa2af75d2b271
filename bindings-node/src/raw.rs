//! The raw N-API layer: every `unsafe` N-API call of the addon is in this module.
//!
//! [`Js`] is a JS value with its env and the few N-API calls the addon makes. Each
//! runs on the JS thread inside a callback whose handle scope keeps the value alive,
//! with out-pointers to locals: that is why each `unsafe` block here is sound.
//!
//! `sign` and `call` are plain N-API callbacks ([`CALLBACKS`]) instead of `#[napi]` functions: napi-rs wraps each generated call in a borrow-tracking
//! scope and converts every argument, which measured 35% slower for a `sign` (426 ns
//! against 576 ns per call on the bench machine; README, "Performance"). Everything
//! else is napi-rs. A core error goes back to JS as an `Error` *value* (userhash.js
//! throws it as a `UserhashError`); anything else is thrown, so a callback never
//! returns without a value or a pending exception.

use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

use napi::bindgen_prelude::Unknown;
use napi::{sys, JsValue};
use userhash::{host, Signer, Value};

/// A failure: a core error (handed to JS as an `Error` value), or an N-API one — an
/// exception already pending (a throwing getter) or a status to throw.
pub(crate) enum Fail {
    Core(userhash::Error),
    Napi(napi::Error),
}

pub(crate) type R<T> = Result<T, Fail>;

impl From<userhash::Error> for Fail {
    fn from(e: userhash::Error) -> Fail {
        Fail::Core(e)
    }
}

fn check(status: sys::napi_status) -> R<()> {
    match status {
        sys::Status::napi_ok => Ok(()),
        _ => Err(Fail::Napi(napi::Error::from_status(napi::Status::from(status)))),
    }
}

/// Runs an N-API call that writes its result through `f`'s pointer.
fn out<T>(init: T, f: impl FnOnce(*mut T) -> sys::napi_status) -> R<T> {
    let mut r = init;
    check(f(&mut r))?;
    Ok(r)
}

/// The UTF-8 bytes of a string read on the stack before it is read onto the heap.
const STACK: usize = 1024;

/// Room for one string: short ones on the stack (left uninitialized: zeroing it
/// cost more than reading an email), others on the heap.
pub(crate) struct StrBuf([MaybeUninit<u8>; STACK], Vec<u8>);

impl StrBuf {
    pub(crate) fn new() -> StrBuf {
        // SAFETY: an array of `MaybeUninit` needs no initialization (`[uninit; N]` is memset).
        StrBuf(unsafe { MaybeUninit::uninit().assume_init() }, Vec::new())
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Js {
    pub env: sys::napi_env,
    pub raw: sys::napi_value,
}

impl Js {
    /// All UTF-16 units of a string.
    pub(crate) fn utf16(self) -> R<Vec<u16>> {
        let len = out(0, |r| unsafe { sys::napi_get_value_string_utf16(self.env, self.raw, ptr::null_mut(), 0, r) })?;
        let mut units = vec![0u16; len + 1];
        let p = units.as_mut_ptr();
        units.truncate(out(0, |r| unsafe { sys::napi_get_value_string_utf16(self.env, self.raw, p, len + 1, r) })?);
        Ok(units)
    }

    /// The value as a core string, if it is a string: UTF-8 borrowed from `buf` (with a
    /// lone surrogate, `Value::from_utf16`), read by V8 onto the stack, or (when it may
    /// not have fit) onto the heap, sized by its UTF-16 length (at most 3 bytes a unit).
    /// N-API writes U+FFFD for a lone surrogate, so a U+FFFD sends the string to a UTF-16 check.
    pub(crate) fn text(self, buf: &mut StrBuf) -> R<Option<Value<'_>>> {
        let (env, raw, mut n) = (self.env, self.raw, 0);
        match unsafe { sys::napi_get_value_string_utf8(env, raw, buf.0.as_mut_ptr().cast(), STACK, &mut n) } {
            sys::Status::napi_string_expected => return Ok(None),
            status => check(status)?,
        }
        // V8 stops before a character that does not fit: with 4 bytes to spare, all of it did.
        let bytes = if n + 4 < STACK {
            // SAFETY: N-API wrote the first `n` bytes.
            unsafe { std::slice::from_raw_parts(buf.0.as_ptr().cast(), n) }
        } else {
            let units = out(0, |r| unsafe { sys::napi_get_value_string_utf16(env, raw, ptr::null_mut(), 0, r) })?;
            buf.1.clear();
            buf.1.reserve(units * 3 + 1);
            let p = buf.1.as_mut_ptr().cast();
            let n = out(0, |r| unsafe { sys::napi_get_value_string_utf8(env, raw, p, units * 3 + 1, r) })?;
            // SAFETY: N-API wrote `n` bytes (and a NUL) into the reserved capacity.
            unsafe { buf.1.set_len(n) };
            &buf.1
        };
        let text = std::str::from_utf8(bytes).map_err(|_| internal("N-API wrote bad UTF-8"))?;
        if bytes.contains(&0xEF) && text.contains('\u{FFFD}') {
            if let units @ Value::Utf16(_) = Value::from_utf16(&self.utf16()?) {
                return Ok(Some(units));
            }
        }
        Ok(Some(Value::str(text)))
    }
}

pub(crate) fn internal(message: &str) -> Fail {
    Fail::Napi(napi::Error::new(napi::Status::GenericFailure, format!("userhash: {message}")))
}

pub(crate) fn latin1(env: sys::napi_env, bytes: &[u8]) -> R<sys::napi_value> {
    out(ptr::null_mut(), |r| unsafe {
        sys::napi_create_string_latin1(env, bytes.as_ptr().cast(), bytes.len() as isize, r)
    })
}

pub(crate) fn utf8(env: sys::napi_env, text: &str) -> R<sys::napi_value> {
    out(ptr::null_mut(), |r| unsafe { sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, r) })
}

pub(crate) fn array(env: sys::napi_env, len: usize) -> R<sys::napi_value> {
    out(ptr::null_mut(), |r| unsafe { sys::napi_create_array_with_length(env, len, r) })
}

pub(crate) fn set_at(env: sys::napi_env, array: sys::napi_value, i: usize, v: sys::napi_value) -> R<()> {
    check(unsafe { sys::napi_set_element(env, array, i as u32, v) })
}

/// The core's error as a JS `Error`: its code, its `to_string()` as the message,
/// `.path` and `.item` (null when absent).
fn error_value(env: sys::napi_env, e: &userhash::Error) -> R<sys::napi_value> {
    let null = out(ptr::null_mut(), |r| unsafe { sys::napi_get_null(env, r) })?;
    let path = e.path().map_or(Ok(null), |p| utf8(env, p))?;
    let item = e.item().map_or(Ok(null), |i| out(null, |r| unsafe { sys::napi_create_double(env, i as f64, r) }))?;
    let (code, message) = (latin1(env, e.code().as_str().as_bytes())?, utf8(env, &e.to_string())?);
    let err = out(ptr::null_mut(), |r| unsafe { sys::napi_create_error(env, code, message, r) })?;
    check(unsafe { sys::napi_set_named_property(env, err, c"path".as_ptr(), path) })?;
    check(unsafe { sys::napi_set_named_property(env, err, c"item".as_ptr(), item) })?;
    Ok(err)
}

/// What a function hands back to JS: the value, or the core's error as a value; an
/// N-API failure propagates (napi-rs throws it, or leaves the pending exception).
pub(crate) fn reply(env: sys::napi_env, result: R<sys::napi_value>) -> napi::Result<Unknown<'static>> {
    match result.or_else(|f| if let Fail::Core(e) = f { error_value(env, &e) } else { Err(f) }) {
        // SAFETY: a value of this env, returned to JS by this very call.
        Ok(v) => Ok(unsafe { Unknown::from_raw_unchecked(env, v) }),
        Err(Fail::Napi(e)) => Err(e),
        Err(Fail::Core(e)) => Err(napi::Error::from_reason(e.to_string())),
    }
}

/// Tags the signer handle, an external owning an `Arc<Signer>`, so that a foreign
/// external is refused instead of dereferenced.
const TAG: sys::napi_type_tag = sys::napi_type_tag { lower: 0x7573_6572_6861_7368, upper: 0x5369_676e_6572_0002 };

unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the Box leaked in `new_handle`; N-API finalizes it once.
    drop(unsafe { Box::from_raw(data.cast::<Arc<Signer>>()) });
}

pub(crate) fn new_handle(env: sys::napi_env, signer: Signer) -> R<sys::napi_value> {
    let data = Box::into_raw(Box::new(Arc::new(signer)));
    // The external owns `data` from here, its finalizer frees it; if none was made, it is still ours.
    let handle = out(ptr::null_mut(), |r| unsafe {
        sys::napi_create_external(env, data.cast(), Some(finalize), ptr::null_mut(), r)
    })
    .inspect_err(|_| drop(unsafe { Box::from_raw(data) }))?;
    check(unsafe { sys::napi_type_tag_object(env, handle, &TAG) })?;
    Ok(handle)
}

/// The signer of a handle. The borrow is tied to the caller's handle `v`: the external
/// it names stays reachable (and its `Arc` alive) while `v` is in scope.
pub(crate) fn signer_of(env: sys::napi_env, v: &sys::napi_value) -> R<&Arc<Signer>> {
    if !out(false, |r| unsafe { sys::napi_check_object_type_tag(env, *v, &TAG, r) }).unwrap_or(false) {
        return Err(internal("not a signer handle"));
    }
    let data = out(ptr::null_mut(), |r| unsafe { sys::napi_get_value_external(env, *v, r) })?;
    // SAFETY: only `new_handle` tags objects with TAG, and its data is a live Box<Arc<Signer>>.
    Ok(unsafe { &*data.cast::<Arc<Signer>>() })
}

/// `sign(handle, _, _, key, value, text)` (the input as [`crate::input`] reads it) → the
/// hex hash; `call(handle, operation, args, key, value, text)` → the JSON text of what
/// `Signer::call` returns: any operation of the core by name (`verify`, `embed`, `token`…).
unsafe extern "C" fn per_identity<const CALL: bool>(
    env: sys::napi_env, info: sys::napi_callback_info,
) -> sys::napi_value {
    let (mut argc, mut a) = (6, [ptr::null_mut(); 6]);
    let args =
        check(unsafe { sys::napi_get_cb_info(env, info, &mut argc, a.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()) });
    let result = catch_unwind(AssertUnwindSafe(|| {
        args?;
        let (mut bufs, mut hex) = (std::array::from_fn(|_| StrBuf::new()), [0u8; 64]);
        let (input, signer) = (crate::input(env, &a[3..], &mut bufs)?, signer_of(env, &a[0])?);
        if !CALL {
            return signer.sign_hex(&input, &mut hex).map_err(Fail::from).and_then(|()| latin1(env, &hex));
        }
        let [mut op, mut args] = [StrBuf::new(), StrBuf::new()];
        let (Some(Value::Str(op)), Some(Value::Str(args))) =
            (Js { env, raw: a[1] }.text(&mut op)?, Js { env, raw: a[2] }.text(&mut args)?)
        else {
            return Err(internal("call takes an operation and JSON text"));
        };
        let args = userhash::host::parse(&args, userhash::MAX_DEPTH)?;
        utf8(env, &userhash::json::stringify(&signer.call(&op, &input, &args)?)?)
    }));
    let result = result.unwrap_or_else(|panic| Err(Fail::Napi(napi::Error::from_reason(host::panic_message(&*panic)))));
    match reply(env, result) {
        Ok(v) => v.raw(),
        Err(e) => {
            // Throws `e`, unless an exception is already pending: then that one propagates.
            unsafe { napi::JsError::from(e).throw_into(env) };
            ptr::null_mut()
        }
    }
}

/// The raw callbacks, by name.
pub(crate) const CALLBACKS: [(&str, napi::Callback); 2] =
    [("sign", per_identity::<false>), ("call", per_identity::<true>)];
