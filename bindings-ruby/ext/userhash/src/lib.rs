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

use std::borrow::Cow;
use std::sync::OnceLock;

use magnus::encoding::EncodingCapable;
use magnus::prelude::*;
use magnus::r_hash::ForEach;
use magnus::value::{Opaque, Qfalse, Qtrue};
use magnus::{
    function, method, Error, ExceptionClass, Fixnum, Float, Integer, RArray, RHash, RModule,
    RString, Ruby, Symbol, Value,
};
use userhash::{ErrorCode, Input, MAX_DEPTH};
use zeroize::Zeroizing;

type CoreValue = userhash::Value<'static>;

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

/// A `userhash::Signer` owned by a Ruby object. The secret lives only in the
/// core's key state (zeroized on drop); nothing here can print it.
#[magnus::wrap(class = "Userhash::Signer", free_immediately, size)]
struct Signer(userhash::Signer);

/// Maps a core error onto `Userhash::<Code>Error` with the core's message.
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
fn class_name(v: Value) -> String {
    // SAFETY: the name is copied before any Ruby code can run.
    unsafe { v.classname() }.into_owned()
}

/// The raw bytes of a Ruby String (secrets may be any bytes).
fn string_bytes(s: RString) -> Vec<u8> {
    // SAFETY: copied at once; no Ruby code runs while the slice is alive.
    unsafe { s.as_slice() }.to_vec()
}

/// A Ruby String as UTF-8 text, by the rules in the module docs.
fn string_text(ruby: &Ruby, s: RString) -> Option<String> {
    let enc = s.enc_get();
    let utf8 = ruby.utf8_encindex();
    let s = if enc == utf8 || enc == ruby.usascii_encindex() {
        s
    } else if enc == ruby.ascii8bit_encindex() {
        // Binary data: only pure ASCII means the same thing in every encoding.
        // SAFETY: checked and copied at once.
        let bytes = unsafe { s.as_slice() };
        return bytes
            .is_ascii()
            .then(|| String::from_utf8_lossy(bytes).into_owned());
    } else {
        // Another encoding: let Ruby transcode it. rb_str_conv_enc returns the
        // string unchanged when it cannot convert, so check the result's encoding.
        match s.conv_enc(ruby.utf8_encoding()) {
            Ok(t) if t.enc_get() == utf8 => t,
            _ => return None,
        }
    };
    // SAFETY: validated and copied at once.
    std::str::from_utf8(unsafe { s.as_slice() })
        .ok()
        .map(str::to_owned)
}

/// A Hash key: String or Symbol → its text; anything else → `None` plus a
/// label for the error path.
fn key_text(ruby: &Ruby, key: Value) -> Result<Cow<'static, str>, (String, CoreValue)> {
    if let Some(s) = RString::from_value(key) {
        return string_text(ruby, s).map(Cow::Owned).ok_or_else(|| {
            // SAFETY: copied at once.
            let lossy = String::from_utf8_lossy(unsafe { s.as_slice() }).into_owned();
            (lossy, CoreValue::invalid_utf8())
        });
    }
    if let Some(sym) = Symbol::from_value(key) {
        return match sym.name() {
            Ok(name) => Ok(name),
            Err(_) => Err(("<symbol>".to_owned(), CoreValue::invalid_utf8())),
        };
    }
    let label = key
        .funcall::<_, _, RString>("inspect", ())
        .ok()
        .and_then(|s| string_text(ruby, s))
        .unwrap_or_else(|| format!("<{}>", class_name(key)));
    Err((label, CoreValue::non_string_key(&class_name(key))))
}

/// Converts a Ruby value. `depth` counts containers: the value of a sign-call
/// field is at depth 1. Past `MAX_DEPTH + 1` the converter stops descending
/// (the core reports `too_deep` with the exact limit), so even a 100 000-deep
/// or self-referencing structure cannot exhaust the stack.
fn convert(ruby: &Ruby, v: Value, depth: usize) -> CoreValue {
    if v.is_nil() {
        return CoreValue::Null;
    }
    if Qtrue::from_value(v).is_some() {
        return CoreValue::Bool(true);
    }
    if Qfalse::from_value(v).is_some() {
        return CoreValue::Bool(false);
    }
    if let Some(s) = RString::from_value(v) {
        return match string_text(ruby, s) {
            Some(t) => CoreValue::Str(Cow::Owned(t)),
            None => CoreValue::invalid_utf8(),
        };
    }
    if let Some(i) = Integer::from_value(v) {
        if let Some(n) = Fixnum::from_value(v) {
            return CoreValue::Int(n.to_i64().into());
        }
        if let Ok(n) = i.to_i128() {
            return CoreValue::Int(n);
        }
        return match i
            .funcall::<_, _, RString>("to_s", ())
            .ok()
            .and_then(|s| string_text(ruby, s))
        {
            Some(text) => CoreValue::BigInt(Cow::Owned(text)),
            None => CoreValue::unsupported("Integer"),
        };
    }
    if let Some(f) = Float::from_value(v) {
        return CoreValue::Float(f.to_f64());
    }
    if let Some(h) = RHash::from_value(v) {
        if depth > MAX_DEPTH + 1 {
            return CoreValue::too_deep();
        }
        let mut entries: Vec<(Cow<'static, str>, CoreValue)> = Vec::with_capacity(h.len());
        let walked = h.foreach(|k: Value, val: Value| {
            match key_text(ruby, k) {
                Ok(key) => entries.push((key, convert(ruby, val, depth + 1))),
                Err((label, invalid)) => entries.push((Cow::Owned(label), invalid)),
            }
            Ok(ForEach::Continue)
        });
        return match walked {
            Ok(()) => CoreValue::Object(entries),
            Err(_) => CoreValue::unsupported(&class_name(v)),
        };
    }
    if let Some(a) = RArray::from_value(v) {
        if depth > MAX_DEPTH + 1 {
            return CoreValue::too_deep();
        }
        let mut items = Vec::with_capacity(a.len());
        let mut i = 0;
        // Re-read the length each time: nothing should change it, but never index past it.
        while i < a.len() {
            match a.entry::<Value>(i as isize) {
                Ok(item) => items.push(convert(ruby, item, depth + 1)),
                Err(_) => items.push(CoreValue::unsupported(&class_name(v))),
            }
            i += 1;
        }
        return CoreValue::Array(items);
    }
    CoreValue::unsupported(&class_name(v))
}

/// Builds the core input from a sign call's arguments: keyword arguments (or
/// one positional Hash) named `email`, `user_id`/`userId`,
/// `external_id`/`externalId`, `visitor`.
fn input_from_args(ruby: &Ruby, args: &[Value]) -> Result<Input<'static>, Error> {
    let mut input = Input::new();
    let fields = match args {
        [] => return Ok(input),
        [h] => RHash::from_value(*h).ok_or_else(|| {
            arg_error(
                ruby,
                "expected keyword arguments (email:, user_id:, external_id:, visitor:)",
            )
        })?,
        _ => {
            return Err(arg_error(
                ruby,
                "expected keyword arguments (email:, user_id:, external_id:, visitor:)",
            ))
        }
    };
    let mut failure: Option<userhash::Error> = None;
    fields.foreach(|k: Value, v: Value| {
        let name = match key_text(ruby, k) {
            Ok(name) => name,
            Err((label, _)) => {
                failure = Some(userhash::Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "unknown field {label}: expected email, user_id, external_id or visitor"
                    ),
                ));
                return Ok(ForEach::Stop);
            }
        };
        match input.set(&name, convert(ruby, v, 1)) {
            Ok(()) => Ok(ForEach::Continue),
            Err(e) => {
                failure = Some(e);
                Ok(ForEach::Stop)
            }
        }
    })?;
    match failure {
        Some(e) => Err(raise(ruby, e)),
        None => Ok(input),
    }
}

/// A scheme given as a Symbol (`:ensoras`) or a String (`"email:trim_lowercase"`).
fn scheme_name(ruby: &Ruby, scheme: Value) -> Result<String, Error> {
    if let Some(sym) = Symbol::from_value(scheme) {
        return Ok(sym.name()?.into_owned());
    }
    if let Some(s) = RString::from_value(scheme) {
        return string_text(ruby, s).ok_or_else(|| {
            raise(
                ruby,
                userhash::Error::new(ErrorCode::UnknownPreset, "scheme is not valid UTF-8"),
            )
        });
    }
    Err(type_error(ruby, "scheme must be a Symbol or a String"))
}

fn secret_bytes(ruby: &Ruby, secret: Value, what: &'static str) -> Result<Vec<u8>, Error> {
    RString::from_value(secret)
        .map(string_bytes)
        .ok_or_else(|| type_error(ruby, what))
}

impl Signer {
    /// `Userhash::Signer._new(secret, scheme, previous_array)` (see lib/userhash.rb).
    fn new(ruby: &Ruby, secret: Value, scheme: Value, previous: RArray) -> Result<Self, Error> {
        let scheme = scheme_name(ruby, scheme)?;
        let secret = Zeroizing::new(secret_bytes(ruby, secret, "secret must be a String")?);
        let mut old = Vec::with_capacity(previous.len());
        for i in 0..previous.len() {
            let item: Value = previous.entry(i as isize)?;
            old.push(Zeroizing::new(secret_bytes(
                ruby,
                item,
                "previous secrets must be Strings",
            )?));
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

    fn sign(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<RString, Error> {
        let input = input_from_args(ruby, args)?;
        let mut hex = [0u8; 64];
        rb_self
            .0
            .sign_hex(&input, &mut hex)
            .map_err(|e| raise(ruby, e))?;
        Ok(ruby.str_from_slice(&hex))
    }

    fn verify(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<bool, Error> {
        let Some((hash, rest)) = args.split_first() else {
            return Err(arg_error(ruby, "verify(hash, **input): hash is missing"));
        };
        let input = input_from_args(ruby, rest)?;
        // A hash that is not a String of text is malformed: false, like any mismatch.
        let hash = RString::from_value(*hash)
            .and_then(|s| string_text(ruby, s))
            .unwrap_or_default();
        rb_self.0.verify(&hash, &input).map_err(|e| raise(ruby, e))
    }

    fn canonical(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<String, Error> {
        let input = input_from_args(ruby, args)?;
        rb_self
            .0
            .canonical(&input)
            .map(Cow::into_owned)
            .map_err(|e| raise(ruby, e))
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
        class.define_method("scheme", method!(Signer::scheme, 0))?;
        class.define_method("previous_count", method!(Signer::previous_count, 0))?;
        class.define_method("inspect", method!(Signer::inspect, 0))?;
        class.define_method("to_s", method!(Signer::inspect, 0))?;
        module.const_set("MAX_DEPTH", MAX_DEPTH)?;
        module.const_set("NATIVE_VERSION", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }
}
