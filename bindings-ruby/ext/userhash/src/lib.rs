//! Ruby bindings for userhash: `Userhash::Signer` over the Rust core.
//!
//! This crate only converts Ruby values into [`userhash::Value`] and maps
//! [`userhash::Error`] onto the Ruby exception classes that
//! `lib/userhash/error.rb` defines (one per stable code). Every
//! canonicalization rule lives in the core.
//!
//! Ruby → core value mapping:
//!
//! | Ruby | core |
//! |---|---|
//! | `Hash` (String/Symbol keys, subclasses too) | `Value::Object` (caller's order) |
//! | any other key type | `Value::non_string_key` → `InvalidInputError` |
//! | `Array` | `Value::Array` |
//! | `String` in UTF-8 / US-ASCII | `Value::Str` if the bytes are valid UTF-8, else `InvalidUtf8Error` |
//! | `String` in ASCII-8BIT (binary) | accepted only when all bytes are ASCII, else `InvalidUtf8Error` |
//! | `String` in another encoding (ISO-8859-1, Shift_JIS…) | transcoded to UTF-8 by Ruby; failure → `InvalidUtf8Error` |
//! | `Integer` | `Value::Int` (i128), beyond that `Value::BigInt` (decimal text) |
//! | `Float` | `Value::Float` |
//! | `true` / `false` / `nil` | `Value::Bool` / `Value::Null` |
//! | anything else (`Time`, `Symbol` values, `Set`, objects…) | `Value::unsupported(class name)` → `InvalidInputError` naming the path |
//!
//! # Borrowing Ruby strings
//!
//! A sign call first converts its input in [`Mode::borrow`]: `Value::Str`
//! borrows the bytes of the Ruby String instead of copying them. That is sound
//! only while no Ruby code runs and no Ruby object is allocated: then the GC
//! cannot run (so it can neither free nor move a string, embedded or not), and
//! no other Ruby thread runs (this thread holds the GVL and does not release it),
//! so nothing can mutate the string; every string is reachable from the call's
//! arguments. The converter therefore gives up ([`NeedsCopy`]) on anything that
//! would need Ruby (transcoding another encoding, a Bignum's digits, a non-String
//! key's `#inspect`, the class name of an unsupported value), and the call
//! converts again in [`Mode::COPY`], which copies every string and may call Ruby.
//! Between the conversion and the end of the core call (see [`with_input`])
//! only Rust runs; Ruby objects (the result String, exceptions) are created
//! after the borrowed input is dropped.

use std::borrow::Cow;
use std::ffi::c_void;
use std::marker::PhantomData;
use std::os::raw::c_char;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use magnus::encoding::EncodingCapable;
use magnus::prelude::*;
use magnus::r_hash::ForEach;
use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::value::{Opaque, Qfalse, Qtrue};
use magnus::{
    function, method, Error, ExceptionClass, Fixnum, Float, Integer, RArray, RHash, RModule,
    RString, Ruby, Symbol, Value,
};
use userhash::{ErrorCode, Field, Input, MAX_DEPTH};
use zeroize::Zeroizing;

type CoreValue<'a> = userhash::Value<'a>;

/// The Ruby exception class for each [`ErrorCode`], in `ErrorCode::ALL` order.
static ERROR_CLASSES: OnceLock<Vec<Opaque<ExceptionClass>>> = OnceLock::new();

/// Ruby class names of the error subclasses, in `ErrorCode::ALL` order.
const ERROR_CLASS_NAMES: [&str; 7] = [
    "EmptySecretError",
    "EmptyIdentityError",
    "InvalidInputError",
    "InvalidJsonError",
    "InvalidUtf8Error",
    "TooDeepError",
    "UnknownPresetError",
];

/// `sign_many` converts and signs this many items at a time, so the memory
/// beyond the result Array stays bounded (each chunk is still large enough for
/// the core to spread it over every CPU).
const BATCH_CHUNK: usize = 131_072;

/// `sign_many` releases the GVL while the core signs chunks at least this long.
const BATCH_WITHOUT_GVL: usize = 256;

/// A `userhash::Signer` owned by a Ruby object. The secret lives only in the
/// core's key state (zeroized on drop); nothing here can print it.
#[magnus::wrap(class = "Userhash::Signer", free_immediately, size)]
struct Signer(userhash::Signer);

/// Maps a core error onto `Userhash::<Code>Error` with the core's message.
/// Allocates no Ruby object (the exception is created when it is raised).
fn raise(ruby: &Ruby, err: userhash::Error) -> Error {
    let idx = ErrorCode::ALL
        .iter()
        .position(|c| *c == err.code())
        .unwrap_or(2);
    match ERROR_CLASSES.get() {
        Some(classes) => Error::new(ruby.get_inner(classes[idx]), err.message().to_owned()),
        None => Error::new(ruby.exception_runtime_error(), err.message().to_owned()),
    }
}

fn type_error(ruby: &Ruby, msg: &'static str) -> Error {
    Error::new(ruby.exception_type_error(), msg)
}

fn arg_error(ruby: &Ruby, msg: &'static str) -> Error {
    Error::new(ruby.exception_arg_error(), msg)
}

/// The class name of a Ruby value, for error messages (never its contents).
/// May allocate (anonymous classes): [`Mode::COPY`] only.
fn class_name(v: Value) -> String {
    // SAFETY: the name is copied before any Ruby code can run.
    unsafe { v.classname() }.into_owned()
}

/// How the converter treats Ruby strings (see the module docs). A
/// `Mode<'a>` lets conversions return values borrowing Ruby strings for `'a`.
#[derive(Clone, Copy)]
struct Mode<'a> {
    borrow: bool,
    _lifetime: PhantomData<&'a ()>,
}

impl Mode<'static> {
    /// Copy every string; Ruby may be called. Values own their text.
    const COPY: Mode<'static> = Mode {
        borrow: false,
        _lifetime: PhantomData,
    };
}

impl<'a> Mode<'a> {
    /// Borrow string bytes for `'a`; never call Ruby or allocate Ruby objects.
    ///
    /// # Safety
    /// For all of `'a`, no Ruby code may run and no Ruby object may be allocated,
    /// and the converted values must stay reachable from the caller's arguments.
    unsafe fn borrow() -> Mode<'a> {
        Mode {
            borrow: true,
            _lifetime: PhantomData,
        }
    }

    fn borrows(self) -> bool {
        self.borrow
    }

    /// Text read from a Ruby String: borrowed for `'a` when this mode
    /// borrows, else copied.
    fn text(self, t: &str) -> Cow<'a, str> {
        if self.borrow {
            // SAFETY: `Mode::borrow`'s contract keeps the String's bytes valid
            // and unchanged for 'a.
            Cow::Borrowed(unsafe { &*(t as *const str) })
        } else {
            Cow::Owned(t.to_owned())
        }
    }
}

/// [`Mode::borrow`] met a value that needs Ruby code: convert again in [`Mode::COPY`].
struct NeedsCopy;

/// Why building an input stopped.
enum Fail {
    /// A Ruby exception to raise (built without allocating a Ruby object).
    Raise(Error),
    /// Start over in [`Mode::COPY`].
    NeedsCopy,
}

impl From<NeedsCopy> for Fail {
    fn from(_: NeedsCopy) -> Fail {
        Fail::NeedsCopy
    }
}

/// A Ruby String read as UTF-8 text.
enum Text<'a> {
    Ok(Cow<'a, str>),
    /// Not text in any encoding we accept: `invalid_utf8`.
    Invalid,
}

/// The bytes of a Ruby String, to read before any Ruby code runs.
fn bytes_of(s: &RString) -> &[u8] {
    // SAFETY: the slice borrows `s`; callers read it (and copy it, or borrow it
    // under `Mode::borrow`'s contract) before any Ruby code runs.
    unsafe { s.as_slice() }
}

/// A Ruby String as UTF-8 text, by the rules in the module docs.
fn string_text<'a>(ruby: &Ruby, s: RString, mode: Mode<'a>) -> Result<Text<'a>, NeedsCopy> {
    let enc = s.enc_get();
    if enc == ruby.ascii8bit_encindex() {
        // Binary data: only pure ASCII means the same thing in every encoding.
        let bytes = bytes_of(&s);
        if !bytes.is_ascii() {
            return Ok(Text::Invalid);
        }
    } else if enc != ruby.utf8_encindex() && enc != ruby.usascii_encindex() {
        if mode.borrows() {
            return Err(NeedsCopy);
        }
        // Another encoding: let Ruby transcode it. rb_str_conv_enc returns the
        // string unchanged when it cannot convert, so check the result's encoding.
        return Ok(match s.conv_enc(ruby.utf8_encoding()) {
            Ok(t) if t.enc_get() == ruby.utf8_encindex() => match std::str::from_utf8(bytes_of(&t))
            {
                Ok(t) => Text::Ok(Cow::Owned(t.to_owned())),
                Err(_) => Text::Invalid,
            },
            _ => Text::Invalid,
        });
    }
    Ok(match std::str::from_utf8(bytes_of(&s)) {
        Ok(t) => Text::Ok(mode.text(t)),
        Err(_) => Text::Invalid,
    })
}

/// A Hash key: String or Symbol → its text; anything else → a label for the
/// error path and the invalid value to put there.
#[allow(clippy::type_complexity)]
fn key_text<'a>(
    ruby: &Ruby,
    key: Value,
    mode: Mode<'a>,
) -> Result<Result<Cow<'a, str>, (String, CoreValue<'a>)>, NeedsCopy> {
    let s = if let Some(s) = RString::from_value(key) {
        s
    } else if Symbol::from_value(key).is_some() {
        // The symbol's own frozen String: no allocation, and it keeps NUL bytes
        // (rb_id2name would cut the name at the first one).
        // SAFETY: rb_sym2str takes a Symbol and returns its String.
        match RString::from_value(unsafe { Value::from_raw(rb_sys::rb_sym2str(key.as_raw())) }) {
            Some(s) => s,
            None => return Ok(Err(("<symbol>".to_owned(), CoreValue::invalid_utf8()))),
        }
    } else {
        if mode.borrows() {
            return Err(NeedsCopy);
        }
        let label = key
            .funcall::<_, _, RString>("inspect", ())
            .ok()
            .and_then(|s| match string_text(ruby, s, Mode::COPY) {
                Ok(Text::Ok(t)) => Some(t.into_owned()),
                _ => None,
            })
            .unwrap_or_else(|| format!("<{}>", class_name(key)));
        return Ok(Err((label, CoreValue::non_string_key(&class_name(key)))));
    };
    Ok(match string_text(ruby, s, mode)? {
        Text::Ok(t) => Ok(t),
        Text::Invalid => Err((
            String::from_utf8_lossy(bytes_of(&s)).into_owned(),
            CoreValue::invalid_utf8(),
        )),
    })
}

/// Converts a Ruby value. `depth` counts containers: the value of a sign-call
/// field is at depth 1. Past `MAX_DEPTH + 1` the converter stops descending
/// (the core reports `too_deep` with the exact limit), so even a 100 000-deep
/// or self-referencing structure cannot exhaust the stack.
fn convert<'a>(
    ruby: &Ruby,
    v: Value,
    depth: usize,
    mode: Mode<'a>,
) -> Result<CoreValue<'a>, NeedsCopy> {
    if let Some(s) = RString::from_value(v) {
        return Ok(match string_text(ruby, s, mode)? {
            Text::Ok(t) => CoreValue::Str(t),
            Text::Invalid => CoreValue::invalid_utf8(),
        });
    }
    if let Some(n) = Fixnum::from_value(v) {
        return Ok(CoreValue::Int(n.to_i64().into()));
    }
    if v.is_nil() {
        return Ok(CoreValue::Null);
    }
    if Qtrue::from_value(v).is_some() {
        return Ok(CoreValue::Bool(true));
    }
    if Qfalse::from_value(v).is_some() {
        return Ok(CoreValue::Bool(false));
    }
    if let Some(f) = Float::from_value(v) {
        return Ok(CoreValue::Float(f.to_f64()));
    }
    if let Some(h) = RHash::from_value(v) {
        if depth > MAX_DEPTH + 1 {
            return Ok(CoreValue::too_deep());
        }
        let mut entries: Vec<(Cow<'a, str>, CoreValue<'a>)> = Vec::with_capacity(h.len());
        let mut needs_copy = false;
        let walked = h.foreach(|k: Value, val: Value| {
            let entry = key_text(ruby, k, mode).and_then(|key| {
                Ok(match key {
                    Ok(key) => (key, convert(ruby, val, depth + 1, mode)?),
                    Err((label, invalid)) => (Cow::Owned(label), invalid),
                })
            });
            match entry {
                Ok(entry) => {
                    entries.push(entry);
                    Ok(ForEach::Continue)
                }
                Err(NeedsCopy) => {
                    needs_copy = true;
                    Ok(ForEach::Stop)
                }
            }
        });
        if needs_copy {
            return Err(NeedsCopy);
        }
        return match walked {
            Ok(()) => Ok(CoreValue::Object(entries)),
            Err(_) if mode.borrows() => Err(NeedsCopy),
            Err(_) => Ok(CoreValue::unsupported(&class_name(v))),
        };
    }
    if let Some(a) = RArray::from_value(v) {
        if depth > MAX_DEPTH + 1 {
            return Ok(CoreValue::too_deep());
        }
        let mut items = Vec::with_capacity(a.len());
        let mut i = 0;
        // Re-read the length each time: nothing should change it, but never index past it.
        while i < a.len() {
            match a.entry::<Value>(i as isize) {
                Ok(item) => items.push(convert(ruby, item, depth + 1, mode)?),
                Err(_) if mode.borrows() => return Err(NeedsCopy),
                Err(_) => items.push(CoreValue::unsupported(&class_name(v))),
            }
            i += 1;
        }
        return Ok(CoreValue::Array(items));
    }
    if mode.borrows() {
        // A Bignum's digits, an unsupported value's class name: Ruby work.
        return Err(NeedsCopy);
    }
    if let Some(i) = Integer::from_value(v) {
        if let Ok(n) = i.to_i128() {
            return Ok(CoreValue::Int(n));
        }
        return Ok(
            match i
                .funcall::<_, _, RString>("to_s", ())
                .ok()
                .map(|s| string_text(ruby, s, Mode::COPY))
            {
                Some(Ok(Text::Ok(text))) => CoreValue::BigInt(Cow::Owned(text.into_owned())),
                _ => CoreValue::unsupported("Integer"),
            },
        );
    }
    Ok(CoreValue::unsupported(&class_name(v)))
}

const EXPECTED_FIELDS: &str =
    "expected keyword arguments (email:, user_id:, external_id:, visitor:)";

/// Builds the core input from a sign call's arguments: keyword arguments (or
/// one positional Hash) named `email`, `user_id`/`userId`,
/// `external_id`/`externalId`, `visitor`.
fn input_from_args<'a>(ruby: &Ruby, args: &[Value], mode: Mode<'a>) -> Result<Input<'a>, Fail> {
    let mut input = Input::new();
    let fields = match args {
        [] => return Ok(input),
        [h] => {
            RHash::from_value(*h).ok_or_else(|| Fail::Raise(arg_error(ruby, EXPECTED_FIELDS)))?
        }
        _ => return Err(Fail::Raise(arg_error(ruby, EXPECTED_FIELDS))),
    };
    let mut failure: Option<Fail> = None;
    let walked = fields.foreach(|k: Value, v: Value| {
        let name = match key_text(ruby, k, mode) {
            Ok(Ok(name)) => name,
            Ok(Err((label, _))) => {
                failure = Some(Fail::Raise(raise(
                    ruby,
                    userhash::Error::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "unknown field {label}: expected email, user_id, external_id or visitor"
                        ),
                    ),
                )));
                return Ok(ForEach::Stop);
            }
            Err(NeedsCopy) => {
                failure = Some(Fail::NeedsCopy);
                return Ok(ForEach::Stop);
            }
        };
        let value = match convert(ruby, v, 1, mode) {
            Ok(value) => value,
            Err(NeedsCopy) => {
                failure = Some(Fail::NeedsCopy);
                return Ok(ForEach::Stop);
            }
        };
        match input.set(&name, value) {
            Ok(()) => Ok(ForEach::Continue),
            Err(e) => {
                failure = Some(Fail::Raise(raise(ruby, e)));
                Ok(ForEach::Stop)
            }
        }
    });
    if let Some(fail) = failure {
        return Err(fail);
    }
    walked.map_err(Fail::Raise)?;
    Ok(input)
}

/// Converts a sign call's arguments and runs `f` on the input, borrowing the
/// Ruby strings when it can (see the module docs). `f` must not call Ruby or
/// allocate Ruby objects; the borrowed input cannot outlive it.
fn with_input<R>(ruby: &Ruby, args: &[Value], f: impl FnOnce(&Input<'_>) -> R) -> Result<R, Error> {
    // SAFETY: between here and the end of `f` only Rust runs (the converter
    // bails out with NeedsCopy instead of calling Ruby, and `f` is Rust-only);
    // the input, and with it every borrow, is dropped before this returns; every
    // borrowed String is reachable from `args`.
    let borrow = unsafe { Mode::borrow() };
    match input_from_args(ruby, args, borrow) {
        Ok(input) => return Ok(f(&input)),
        Err(Fail::Raise(e)) => return Err(e),
        Err(Fail::NeedsCopy) => {}
    }
    match input_from_args(ruby, args, Mode::COPY) {
        Ok(input) => Ok(f(&input)),
        Err(Fail::Raise(e)) => Err(e),
        Err(Fail::NeedsCopy) => Err(Error::new(
            ruby.exception_runtime_error(),
            "userhash: conversion failed",
        )),
    }
}

/// A Ruby value converted with copies (for calls that are not hot).
fn convert_copy(ruby: &Ruby, v: Value) -> CoreValue<'static> {
    // Mode::COPY never returns NeedsCopy.
    convert(ruby, v, 1, Mode::COPY).unwrap_or(CoreValue::Null)
}

/// A scheme given as a Symbol (`:ensoras`) or a String (`"email:trim_lowercase"`).
fn scheme_name(ruby: &Ruby, scheme: Value) -> Result<String, Error> {
    if let Some(sym) = Symbol::from_value(scheme) {
        return Ok(sym.name()?.into_owned());
    }
    if let Some(s) = RString::from_value(scheme) {
        return match string_text(ruby, s, Mode::COPY) {
            Ok(Text::Ok(t)) => Ok(t.into_owned()),
            _ => Err(raise(
                ruby,
                userhash::Error::new(ErrorCode::UnknownPreset, "scheme is not valid UTF-8"),
            )),
        };
    }
    Err(type_error(ruby, "scheme must be a Symbol or a String"))
}

/// A batch field given as `nil` (the scheme's batch field), a Symbol or a String.
fn batch_field(ruby: &Ruby, field: Value) -> Result<Option<Field>, Error> {
    if field.is_nil() {
        return Ok(None);
    }
    let name = if let Some(sym) = Symbol::from_value(field) {
        sym.name()?.into_owned()
    } else if let Some(s) = RString::from_value(field) {
        match string_text(ruby, s, Mode::COPY) {
            Ok(Text::Ok(t)) => t.into_owned(),
            _ => String::new(),
        }
    } else {
        return Err(type_error(ruby, "field must be nil, a Symbol or a String"));
    };
    Field::from_name(&name).map(Some).ok_or_else(|| {
        raise(
            ruby,
            userhash::Error::new(
                ErrorCode::InvalidInput,
                format!("unknown field {name:?}: expected email, user_id, external_id or visitor"),
            ),
        )
    })
}

/// The raw bytes of a Ruby String secret (any bytes), copied into memory that
/// is zeroized on drop.
fn secret_bytes(
    ruby: &Ruby,
    secret: Value,
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    RString::from_value(secret)
        // SAFETY: copied at once.
        .map(|s| Zeroizing::new(unsafe { s.as_slice() }.to_vec()))
        .ok_or_else(|| type_error(ruby, what))
}

/// A US-ASCII Ruby String of 64 hex digits.
fn hex_string(hex: &[u8; 64]) -> Value {
    // SAFETY: copies 64 bytes; the result is a new String.
    unsafe {
        Value::from_raw(rb_sys::rb_usascii_str_new(
            hex.as_ptr() as *const c_char,
            hex.len() as _,
        ))
    }
}

/// Runs `f` with the GVL released, so other Ruby threads run meanwhile. `f`
/// must not touch Ruby. An interrupt pending for this thread (Thread#raise,
/// Ctrl-C) is raised as usual, by Ruby, around the call.
fn without_gvl<F: FnOnce() -> R, R>(ruby: &Ruby, f: F) -> Result<R, Error> {
    struct Call<F, R> {
        f: Option<F>,
        result: Option<std::thread::Result<R>>,
    }
    unsafe extern "C" fn trampoline<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
        // SAFETY: `data` is the `Call` below, alive for the whole call.
        let call = unsafe { &mut *(data as *mut Call<F, R>) };
        if let Some(f) = call.f.take() {
            // Never unwind into Ruby's C frames.
            call.result = Some(catch_unwind(AssertUnwindSafe(f)));
        }
        std::ptr::null_mut()
    }
    let mut call = Call {
        f: Some(f),
        result: None,
    };
    let data = &mut call as *mut Call<F, R> as *mut c_void;
    // `rb_thread_call_without_gvl` checks interrupts, which may raise: protect
    // turns that into an Err instead of a longjmp through Rust frames.
    protect(|| {
        // SAFETY: the trampoline matches the callback signature and touches no Ruby.
        unsafe {
            rb_sys::rb_thread_call_without_gvl(
                Some(trampoline::<F, R>),
                data,
                None,
                std::ptr::null_mut(),
            );
        }
        ruby.qnil().as_raw()
    })?;
    match call.result {
        Some(Ok(r)) => Ok(r),
        Some(Err(panic)) => resume_unwind(panic),
        None => Err(Error::new(
            ruby.exception_runtime_error(),
            "userhash: the batch was interrupted",
        )),
    }
}

/// Re-bases the `item N:` index of a core batch error for a chunk starting at `offset`.
fn renumber(err: userhash::Error, offset: usize) -> userhash::Error {
    if offset == 0 {
        return err;
    }
    let rebased = err
        .message()
        .strip_prefix("item ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(n, tail)| Some((n.parse::<usize>().ok()?, tail)))
        .map(|(n, tail)| format!("item {}: {tail}", n + offset));
    match rebased {
        Some(message) => userhash::Error::new(err.code(), message),
        None => err,
    }
}

/// One `sign_many` item: a string copied into the chunk's text buffer, or a value.
enum Item {
    Text(usize, usize),
    Value(CoreValue<'static>),
}

/// Converts one batch item. Strings are appended to `text` (one buffer for a
/// whole chunk instead of one allocation per string).
fn batch_item(ruby: &Ruby, v: Value, text: &mut String) -> Item {
    if let Some(s) = RString::from_value(v) {
        let enc = s.enc_get();
        let simple = enc == ruby.utf8_encindex()
            || enc == ruby.usascii_encindex()
            || enc == ruby.ascii8bit_encindex();
        if simple {
            return match string_text(ruby, s, Mode::COPY) {
                Ok(Text::Ok(t)) => {
                    let start = text.len();
                    text.push_str(&t);
                    Item::Text(start, text.len())
                }
                _ => Item::Value(CoreValue::invalid_utf8()),
            };
        }
    } else if let Some(n) = Fixnum::from_value(v) {
        return Item::Value(CoreValue::Int(n.to_i64().into()));
    }
    Item::Value(convert_copy(ruby, v))
}

impl Signer {
    /// `Userhash::Signer._new(secret, scheme, previous_array)` (see lib/userhash.rb).
    fn new(ruby: &Ruby, secret: Value, scheme: Value, previous: RArray) -> Result<Self, Error> {
        let scheme = scheme_name(ruby, scheme)?;
        let secret = secret_bytes(ruby, secret, "secret must be a String")?;
        let mut old = Vec::with_capacity(previous.len());
        for i in 0..previous.len() {
            let item: Value = previous.entry(i as isize)?;
            old.push(secret_bytes(
                ruby,
                item,
                "previous secrets must be Strings",
            )?);
        }
        userhash::Signer::with_previous(&secret, &scheme, old.iter().map(|p| p.as_slice()))
            .map(Signer)
            .map_err(|e| raise(ruby, e))
    }

    /// `Userhash::Signer._from_env(var, scheme, previous_vars_array)`.
    fn from_env(
        ruby: &Ruby,
        var: String,
        scheme: Value,
        previous_vars: Vec<String>,
    ) -> Result<Self, Error> {
        let scheme = scheme_name(ruby, scheme)?;
        let vars: Vec<&str> = previous_vars.iter().map(String::as_str).collect();
        userhash::Signer::from_env(&var, &scheme, &vars)
            .map(Signer)
            .map_err(|e| raise(ruby, e))
    }

    fn sign(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<Value, Error> {
        let mut hex = [0u8; 64];
        with_input(ruby, args, |input| rb_self.0.sign_hex(input, &mut hex))?
            .map_err(|e| raise(ruby, e))?;
        Ok(hex_string(&hex))
    }

    fn verify(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<bool, Error> {
        let Some((hash, rest)) = args.split_first() else {
            return Err(arg_error(ruby, "verify(hash, **input): hash is missing"));
        };
        // A hash that is not a String of text is malformed: false, like any mismatch.
        let hash = RString::from_value(*hash);
        // Another encoding (UTF-16…) is transcoded now, before anything is borrowed.
        let transcoded = match hash {
            Some(s)
                if ![
                    ruby.utf8_encindex(),
                    ruby.usascii_encindex(),
                    ruby.ascii8bit_encindex(),
                ]
                .contains(&s.enc_get()) =>
            {
                match string_text(ruby, s, Mode::COPY) {
                    Ok(Text::Ok(t)) => Some(t.into_owned()),
                    _ => Some(String::new()),
                }
            }
            _ => None,
        };
        with_input(ruby, rest, |input| {
            let hash: &str = match (&transcoded, &hash) {
                (Some(t), _) => t,
                // Read inside with_input's Rust-only section, so no Ruby code
                // runs between reading the bytes and using them.
                (None, Some(s)) => match std::str::from_utf8(bytes_of(s)) {
                    Ok(t) if s.enc_get() != ruby.ascii8bit_encindex() || t.is_ascii() => t,
                    _ => "",
                },
                (None, None) => "",
            };
            rb_self.0.verify(hash, input)
        })?
        .map_err(|e| raise(ruby, e))
    }

    fn canonical(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<RString, Error> {
        let text = with_input(ruby, args, |input| {
            rb_self.0.canonical(input).map(Cow::into_owned)
        })?
        .map_err(|e| raise(ruby, e))?;
        Ok(ruby.str_new(&text))
    }

    /// `Userhash::Signer#_sign_many(values_array, field)` (see lib/userhash.rb).
    fn sign_many(
        ruby: &Ruby,
        rb_self: &Self,
        values: RArray,
        field: Value,
    ) -> Result<RArray, Error> {
        let field = batch_field(ruby, field)?;
        // A private snapshot: other threads run while the GVL is released and
        // may change `values`; the snapshot stays reachable from this frame.
        let snapshot = values.dup();
        let n = snapshot.len();
        let out = ruby.ary_new_capa(n);
        let mut items: Vec<Item> = Vec::with_capacity(n.min(BATCH_CHUNK));
        let mut text = String::new();
        let mut start = 0;
        loop {
            let end = n.min(start + BATCH_CHUNK);
            items.clear();
            text.clear();
            for i in start..end {
                // SAFETY: rb_ary_entry reads an element (nil past the end) and never raises.
                let v = unsafe { Value::from_raw(rb_sys::rb_ary_entry(snapshot.as_raw(), i as _)) };
                items.push(batch_item(ruby, v, &mut text));
            }
            let chunk: Vec<CoreValue<'_>> = items
                .drain(..)
                .map(|item| match item {
                    Item::Text(a, b) => CoreValue::Str(Cow::Borrowed(&text[a..b])),
                    Item::Value(v) => v,
                })
                .collect();
            let signer = &rb_self.0;
            let signed = if chunk.len() >= BATCH_WITHOUT_GVL {
                // The chunk and the signer are Rust data; `rb_self` is pinned by this frame.
                without_gvl(ruby, || signer.sign_many(field, &chunk))?
            } else {
                signer.sign_many(field, &chunk)
            };
            drop(chunk);
            let hexes = signed.map_err(|e| raise(ruby, renumber(e, start)))?;
            // Every String made here is kept (in `out`): a GC run in this loop
            // could free nothing and would only re-mark `out`, so hold it off
            // (the GVL stays with this thread, no other thread allocates meanwhile).
            // SAFETY: rb_gc_disable/rb_gc_enable only toggle the GC; `out` is a
            // new, unfrozen Array held by this frame, so rb_ary_push cannot raise.
            unsafe {
                let gc_was_disabled = rb_sys::rb_gc_disable() == ruby.qtrue().as_raw();
                for hex in &hexes {
                    rb_sys::rb_ary_push(out.as_raw(), hex_string(hex).as_raw());
                }
                if !gc_was_disabled {
                    rb_sys::rb_gc_enable();
                }
            }
            start = end;
            if start >= n {
                break;
            }
        }
        // Keep the snapshot alive (and so every item's String) until here.
        let _ = std::hint::black_box(snapshot);
        Ok(out)
    }

    /// `Userhash::Signer#_embed(input_hash, options)` (see lib/userhash.rb).
    fn embed(ruby: &Ruby, rb_self: &Self, input: Value, options: Value) -> Result<RString, Error> {
        if RHash::from_value(input).is_none() {
            return Err(type_error(
                ruby,
                "embed(input, options): input must be a Hash (email:, user_id:, external_id:, visitor:)",
            ));
        }
        let input = match input_from_args(ruby, &[input], Mode::COPY) {
            Ok(input) => input,
            Err(Fail::Raise(e)) => return Err(e),
            Err(Fail::NeedsCopy) => {
                return Err(Error::new(
                    ruby.exception_runtime_error(),
                    "userhash: conversion failed",
                ))
            }
        };
        let options = convert_copy(ruby, options);
        let html = rb_self
            .0
            .embed(&input, &options)
            .map_err(|e| raise(ruby, e))?;
        Ok(ruby.str_new(&html))
    }

    fn scheme(&self) -> String {
        self.0.scheme().to_string()
    }

    fn previous_count(&self) -> usize {
        self.0.previous_count()
    }

    fn inspect(&self) -> String {
        format!(
            "#<Userhash::Signer scheme={} previous_secrets={}>",
            self.0.scheme(),
            self.0.previous_count()
        )
    }
}

// `#[magnus::init]` expands to the exported `Init_userhash`, which cannot carry
// our doc comment; the module only scopes that allow.
#[allow(missing_docs)]
mod entry {
    use super::*;

    /// `Init_userhash`: defines `Userhash::Signer` when Ruby loads `userhash/userhash.so`.
    #[magnus::init(name = "userhash")]
    fn init(ruby: &Ruby) -> Result<(), Error> {
        let module: RModule = ruby.define_module("Userhash")?;

        // The error classes are Ruby code (lib/userhash/error.rb), loaded first.
        let mut classes = Vec::with_capacity(ERROR_CLASS_NAMES.len());
        for name in ERROR_CLASS_NAMES {
            let class: ExceptionClass = module.const_get(name).map_err(|_| {
                Error::new(
                    ruby.exception_load_error(),
                    "userhash: require \"userhash\" (lib/userhash/error.rb defines the error classes)",
                )
            })?;
            classes.push(Opaque::from(class));
        }
        let _ = ERROR_CLASSES.set(classes);

        let class = module.define_class("Signer", ruby.class_object())?;
        class.undef_default_alloc_func();
        class.define_singleton_method("_new", function!(Signer::new, 3))?;
        class.define_singleton_method("_from_env", function!(Signer::from_env, 3))?;
        class.define_method("sign", method!(Signer::sign, -1))?;
        class.define_method("verify", method!(Signer::verify, -1))?;
        class.define_method("canonical", method!(Signer::canonical, -1))?;
        class.define_private_method("_sign_many", method!(Signer::sign_many, 2))?;
        class.define_private_method("_embed", method!(Signer::embed, 2))?;
        class.define_method("scheme", method!(Signer::scheme, 0))?;
        class.define_method("previous_count", method!(Signer::previous_count, 0))?;
        class.define_method("inspect", method!(Signer::inspect, 0))?;
        class.define_method("to_s", method!(Signer::inspect, 0))?;
        module.const_set("MAX_DEPTH", MAX_DEPTH)?;
        module.const_set("NATIVE_VERSION", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
