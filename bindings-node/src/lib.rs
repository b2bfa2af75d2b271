//! Node.js binding for userhash: the native half of the `userhash` npm package.
//!
//! `userhash.js` wraps [`NativeSigner`] in the public `Signer` class (errors as
//! `UserhashError`, `util.inspect`/`toJSON` that never show a secret). This
//! crate only converts JS values to [`userhash::Value`] and maps errors; every
//! canonicalization rule lives in the core.
//!
//! The `visitor` field reaches us as the text V8's own `JSON.stringify`
//! produced (so `toJSON`, `Date`, `undefined`, property order… are exactly
//! JavaScript's), parsed by [`userhash::json::parse`]. The scalar fields
//! (`email`, `user_id`, `external_id`) are read directly through N-API.

use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::bindgen_prelude::{Env, External, Unknown};
use napi::sys;
use napi::JsValue;
use napi_derive::napi;
use userhash::{ErrorCode, Input, Value};
use zeroize::Zeroizing;

/// A JS exception: `.code` is the userhash error code (DESIGN §3).
type JsError = napi::Error<&'static str>;
type Result<T> = std::result::Result<T, JsError>;

/// `.code` of an error that is already pending in JS (a throwing getter…):
/// napi-rs then leaves that exception in place.
const PENDING: &str = "PendingException";

fn core_error(e: userhash::Error) -> JsError {
    JsError::new(e.code().as_str(), e.message().to_owned())
}

fn invalid_input(message: impl Into<String>) -> JsError {
    JsError::new(ErrorCode::InvalidInput.as_str(), message.into())
}

/// Runs `f`, turning a Rust panic into a JS error instead of an abort.
fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(JsError::new(
            "internal_error",
            "userhash: internal error (a bug; please report it)".to_owned(),
        ))
    })
}

/// One JS value with its env: the raw N-API calls this binding needs.
#[derive(Clone, Copy)]
struct Js {
    env: sys::napi_env,
    raw: sys::napi_value,
}

fn check(status: sys::napi_status) -> Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else if status == sys::Status::napi_pending_exception {
        Err(JsError::new(PENDING, "pending JS exception".to_owned()))
    } else {
        Err(JsError::new(
            "internal_error",
            format!("userhash: N-API call failed with status {status}"),
        ))
    }
}

/// What `typeof` says, plus the object kinds we tell apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Symbol,
    Object,
    Function,
    BigInt,
    Other,
}

impl Js {
    fn from_unknown(v: &Unknown<'_>, env: &Env) -> Js {
        Js {
            env: env.raw(),
            raw: v.raw(),
        }
    }

    fn kind(self) -> Result<Kind> {
        let mut t = 0;
        // SAFETY: env and value come from a live N-API callback.
        check(unsafe { sys::napi_typeof(self.env, self.raw, &mut t) })?;
        use sys::ValueType as T;
        Ok(match t {
            T::napi_undefined => Kind::Undefined,
            T::napi_null => Kind::Null,
            T::napi_boolean => Kind::Boolean,
            T::napi_number => Kind::Number,
            T::napi_string => Kind::String,
            T::napi_symbol => Kind::Symbol,
            T::napi_object => Kind::Object,
            T::napi_function => Kind::Function,
            T::napi_bigint => Kind::BigInt,
            _ => Kind::Other,
        })
    }

    fn is(
        self,
        f: unsafe extern "C" fn(sys::napi_env, sys::napi_value, *mut bool) -> sys::napi_status,
    ) -> Result<bool> {
        let mut r = false;
        // SAFETY: as above; `f` is one of the napi_is_* predicates.
        check(unsafe { f(self.env, self.raw, &mut r) })?;
        Ok(r)
    }

    fn f64(self) -> Result<f64> {
        let mut r = 0.0;
        // SAFETY: as above; the caller checked the value is a number.
        check(unsafe { sys::napi_get_value_double(self.env, self.raw, &mut r) })?;
        Ok(r)
    }

    fn bool(self) -> Result<bool> {
        let mut r = false;
        // SAFETY: as above; the caller checked the value is a boolean.
        check(unsafe { sys::napi_get_value_bool(self.env, self.raw, &mut r) })?;
        Ok(r)
    }

    /// The UTF-16 code units of a JS string.
    fn utf16(self) -> Result<Vec<u16>> {
        let mut len = 0usize;
        // SAFETY: as above; a null buffer asks for the length only.
        check(unsafe {
            sys::napi_get_value_string_utf16(self.env, self.raw, ptr::null_mut(), 0, &mut len)
        })?;
        let mut buf = vec![0u16; len + 1];
        let mut written = 0usize;
        // SAFETY: `buf` holds len + 1 units (N-API writes a terminating NUL).
        check(unsafe {
            sys::napi_get_value_string_utf16(
                self.env,
                self.raw,
                buf.as_mut_ptr(),
                buf.len(),
                &mut written,
            )
        })?;
        buf.truncate(written);
        Ok(buf)
    }

    /// A JS string as UTF-8, or `None` if it holds a lone surrogate
    /// (N-API's own UTF-8 conversion would silently write U+FFFD).
    fn string(self) -> Result<Option<String>> {
        Ok(String::from_utf16(&self.utf16()?).ok())
    }

    /// The decimal text of a BigInt (`String(b)`).
    fn bigint_text(self) -> Result<String> {
        let mut s = ptr::null_mut();
        // SAFETY: as above; ToString of a BigInt cannot run user code.
        check(unsafe { sys::napi_coerce_to_string(self.env, self.raw, &mut s) })?;
        let text = Js { raw: s, ..self }.string()?;
        Ok(text.unwrap_or_default())
    }

    /// A copy of the bytes of a Buffer / Uint8Array, if it is one.
    fn bytes(self) -> Result<Option<Zeroizing<Vec<u8>>>> {
        if !self.is(sys::napi_is_typedarray)? {
            return Ok(None);
        }
        let (mut ty, mut len, mut data) = (0, 0usize, ptr::null_mut());
        let (mut ab, mut off) = (ptr::null_mut(), 0usize);
        // SAFETY: the value is a typed array.
        check(unsafe {
            sys::napi_get_typedarray_info(
                self.env, self.raw, &mut ty, &mut len, &mut data, &mut ab, &mut off,
            )
        })?;
        if ty != sys::TypedarrayType::uint8_array {
            return Ok(None);
        }
        if len == 0 || data.is_null() {
            return Ok(Some(Zeroizing::new(Vec::new())));
        }
        // SAFETY: `data` points at `len` bytes owned by the typed array, alive
        // for this call; they are copied before returning to JS.
        let view = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) };
        Ok(Some(Zeroizing::new(view.to_vec())))
    }

    /// Own enumerable string-keyed properties in JS order, as `Object.keys`.
    fn own_keys(self) -> Result<Vec<Js>> {
        let mut names = ptr::null_mut();
        // SAFETY: the value is an object.
        check(unsafe {
            sys::napi_get_all_property_names(
                self.env,
                self.raw,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut names,
            )
        })?;
        let mut len = 0u32;
        // SAFETY: `names` is an array.
        check(unsafe { sys::napi_get_array_length(self.env, names, &mut len) })?;
        (0..len)
            .map(|i| {
                let mut key = ptr::null_mut();
                // SAFETY: index < length.
                check(unsafe { sys::napi_get_element(self.env, names, i, &mut key) })?;
                Ok(Js { raw: key, ..self })
            })
            .collect()
    }

    fn get(self, key: Js) -> Result<Js> {
        let mut v = ptr::null_mut();
        // SAFETY: the value is an object; a throwing getter leaves a pending
        // exception, reported by `check`.
        check(unsafe { sys::napi_get_property(self.env, self.raw, key.raw, &mut v) })?;
        Ok(Js { raw: v, ..self })
    }
}

/// Converts a scalar sign-call field (`email`, `user_id`, `external_id`, or a
/// non-object `visitor`). `None` = absent (`undefined`, a function or a
/// symbol, which `JSON.stringify` omits as well).
fn scalar(v: Js) -> Result<Option<Value<'static>>> {
    Ok(Some(match v.kind()? {
        Kind::Undefined | Kind::Function | Kind::Symbol => return Ok(None),
        Kind::Null => Value::Null,
        Kind::Boolean => Value::Bool(v.bool()?),
        Kind::Number => {
            let f = v.f64()?;
            // Number.isSafeInteger(f): an exact integer id; anything else is a
            // float, which the core rejects as an id.
            if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_991.0 {
                Value::Int(f as i128)
            } else {
                Value::Float(f)
            }
        }
        Kind::BigInt => {
            let text = v.bigint_text()?;
            match text.parse::<i128>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::BigInt(Cow::Owned(text)),
            }
        }
        Kind::String => match v.string()? {
            Some(s) => Value::Str(Cow::Owned(s)),
            None => Value::lone_surrogate(),
        },
        Kind::Object => {
            if v.is(sys::napi_is_array)? {
                Value::Array(Vec::new())
            } else if v.is(sys::napi_is_date)? {
                Value::unsupported("Date")
            } else {
                Value::Object(Vec::new())
            }
        }
        Kind::Other => Value::unsupported("external"),
    }))
}

/// The sign-call fields as userhash.js passes them: the input object, the
/// `JSON.stringify` text of its `visitor` (when that is an object), and —
/// read in JS with `Object.keys`, much cheaper than enumerating properties
/// through N-API — its first two keys and values. `k0` undefined means "not
/// read in JS" (no keys, more than two, or not an object): the object is then
/// enumerated here.
struct Fields {
    input: Js,
    visitor_json: Option<String>,
    pairs: [(Js, Js); 2],
}

impl Fields {
    #[allow(clippy::too_many_arguments)]
    fn new(
        env: &Env,
        input: &Unknown<'_>,
        visitor_json: Option<String>,
        k0: &Unknown<'_>,
        v0: &Unknown<'_>,
        k1: &Unknown<'_>,
        v1: &Unknown<'_>,
    ) -> Fields {
        let js = |u: &Unknown<'_>| Js::from_unknown(u, env);
        Fields {
            input: js(input),
            visitor_json,
            pairs: [(js(k0), js(v0)), (js(k1), js(v1))],
        }
    }

    /// Builds the core [`Input`]; field names and duplicates are the core's
    /// business (`Input::set`).
    fn input(&self) -> Result<Input<'static>> {
        let mut input = Input::new();
        if self.pairs[0].0.kind()? == Kind::String {
            for (key, value) in self.pairs {
                if key.kind()? != Kind::String {
                    break;
                }
                self.set(&mut input, key, || Ok(value))?;
            }
            return Ok(input);
        }
        let obj = self.input;
        match obj.kind()? {
            Kind::Object => {}
            k => {
                return Err(invalid_input(format!(
                    "input must be an object of fields ({{email}}, {{user_id}}, {{external_id, email}} or {{visitor}}), got {}",
                    kind_name(k)
                )))
            }
        }
        for key in obj.own_keys()? {
            self.set(&mut input, key, || obj.get(key))?;
        }
        Ok(input)
    }

    fn set(
        &self,
        input: &mut Input<'static>,
        key: Js,
        value: impl FnOnce() -> Result<Js>,
    ) -> Result<()> {
        let Some(name) = key.string()? else {
            return Err(invalid_input(
                "unknown field with a lone surrogate in its name",
            ));
        };
        let value = match (name.as_str(), &self.visitor_json) {
            ("visitor", Some(text)) => Some(parse_visitor(text)),
            _ => scalar(value()?)?,
        };
        match value {
            Some(value) => input.set(&name, value).map_err(core_error),
            None => Ok(()),
        }
    }
}

/// The visitor as `JSON.stringify` wrote it. V8 writes valid JSON except for a
/// lone surrogate, which it escapes as `\udXXX` and the core's parser rejects:
/// that is the caller's string having no UTF-8 form, not malformed JSON.
fn parse_visitor(text: &str) -> Value<'static> {
    match userhash::json::parse(text) {
        Ok(v) => v,
        Err(e) if e.code() == ErrorCode::InvalidJson => Value::lone_surrogate(),
        Err(e) if e.code() == ErrorCode::TooDeep => Value::too_deep(),
        Err(e) => Value::invalid(e.code(), e.message()),
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Undefined => "undefined",
        Kind::Null => "null",
        Kind::Boolean => "a boolean",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::Symbol => "a symbol",
        Kind::Object => "an object",
        Kind::Function => "a function",
        Kind::BigInt => "a bigint",
        Kind::Other => "an external value",
    }
}

/// A secret: a string (its UTF-8 bytes) or a Buffer / Uint8Array (raw bytes).
fn secret_bytes(v: Js, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    match v.kind()? {
        Kind::String => {
            let units = Zeroizing::new(v.utf16()?);
            let mut out = Zeroizing::new(Vec::with_capacity(units.len()));
            for c in char::decode_utf16(units.iter().copied()) {
                let Ok(c) = c else {
                    return Err(invalid_input(format!(
                        "{what} contains a lone surrogate and has no UTF-8 form"
                    )));
                };
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
            Ok(out)
        }
        Kind::Object => match v.bytes()? {
            Some(bytes) => Ok(bytes),
            None => Err(invalid_input(format!(
                "{what} must be a string, Buffer or Uint8Array"
            ))),
        },
        k => Err(invalid_input(format!(
            "{what} must be a string, Buffer or Uint8Array, got {}",
            kind_name(k)
        ))),
    }
}

fn plain_string(v: Js, what: &str) -> Result<String> {
    match v.kind()? {
        Kind::String => v
            .string()?
            .ok_or_else(|| invalid_input(format!("{what} contains a lone surrogate"))),
        k => Err(invalid_input(format!(
            "{what} must be a string, got {}",
            kind_name(k)
        ))),
    }
}

/// A prepared signer, held by the JS `Signer` (userhash.js).
type Handle = External<userhash::Signer>;

/// Builds a signer. `secret`: string or Buffer/Uint8Array; `scheme`: preset
/// name or `source[:transform]` spec; `previous`: older secrets `verify` accepts.
#[napi(ts_return_type = "ExternalObject<'userhash::Signer'>")]
pub fn create_signer(
    env: Env,
    secret: Unknown<'_>,
    scheme: Unknown<'_>,
    previous: Option<Vec<Unknown<'_>>>,
) -> Result<Handle> {
    guard(|| {
        let secret = secret_bytes(Js::from_unknown(&secret, &env), "secret")?;
        let scheme = plain_string(Js::from_unknown(&scheme, &env), "preset")?;
        let previous = previous
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                secret_bytes(
                    Js::from_unknown(p, &env),
                    &format!("previous secret #{}", i + 1),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        userhash::Signer::with_previous(&secret, &scheme, previous.iter())
            .map(External::new)
            .map_err(core_error)
    })
}

/// Builds a signer from the environment variable `name` (previous secrets
/// from `previous_vars`); unset or empty is `empty_secret`.
#[napi(ts_return_type = "ExternalObject<'userhash::Signer'>")]
pub fn create_signer_from_env(
    env: Env,
    name: Unknown<'_>,
    scheme: Unknown<'_>,
    previous_vars: Option<Vec<Unknown<'_>>>,
) -> Result<Handle> {
    guard(|| {
        let name = plain_string(Js::from_unknown(&name, &env), "variable name")?;
        let scheme = plain_string(Js::from_unknown(&scheme, &env), "preset")?;
        let vars = previous_vars
            .unwrap_or_default()
            .iter()
            .map(|v| plain_string(Js::from_unknown(v, &env), "variable name"))
            .collect::<Result<Vec<_>>>()?;
        let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
        userhash::Signer::from_env(&name, &scheme, &vars)
            .map(External::new)
            .map_err(core_error)
    })
}

/// The preset name or scheme spec of a signer.
#[napi(ts_args_type = "signer: ExternalObject<'userhash::Signer'>")]
pub fn signer_scheme(signer: &Handle) -> String {
    signer.scheme().to_string()
}

/// How many previous secrets `verify` also tries.
#[napi(ts_args_type = "signer: ExternalObject<'userhash::Signer'>")]
pub fn signer_previous_count(signer: &Handle) -> u32 {
    u32::try_from(signer.previous_count()).unwrap_or(u32::MAX)
}

/// The lowercase hex HMAC-SHA256 of the canonical identity (see [`Fields`]).
#[allow(clippy::too_many_arguments)]
#[napi(
    ts_args_type = "signer: ExternalObject<'userhash::Signer'>, input: unknown, visitorJson?: string, k0?: string, v0?: unknown, k1?: string, v1?: unknown"
)]
pub fn sign(
    env: Env,
    signer: &Handle,
    input: Unknown<'_>,
    visitor_json: Option<String>,
    k0: Unknown<'_>,
    v0: Unknown<'_>,
    k1: Unknown<'_>,
    v1: Unknown<'_>,
) -> Result<String> {
    guard(|| {
        let fields = Fields::new(&env, &input, visitor_json, &k0, &v0, &k1, &v1);
        let mut hex = [0u8; 64];
        signer
            .sign_hex(&fields.input()?, &mut hex)
            .map_err(core_error)?;
        Ok(hex.iter().map(|&b| b as char).collect())
    })
}

/// True when `hash` signs the input under the current or a previous secret;
/// a hash that is not a 64-hex-digit string is simply `false`.
#[allow(clippy::too_many_arguments)]
#[napi(
    ts_args_type = "signer: ExternalObject<'userhash::Signer'>, hash: unknown, input: unknown, visitorJson?: string, k0?: string, v0?: unknown, k1?: string, v1?: unknown"
)]
pub fn verify(
    env: Env,
    signer: &Handle,
    hash: Unknown<'_>,
    input: Unknown<'_>,
    visitor_json: Option<String>,
    k0: Unknown<'_>,
    v0: Unknown<'_>,
    k1: Unknown<'_>,
    v1: Unknown<'_>,
) -> Result<bool> {
    guard(|| {
        let fields = Fields::new(&env, &input, visitor_json, &k0, &v0, &k1, &v1);
        let input = fields.input()?;
        let hash = Js::from_unknown(&hash, &env);
        let hash = match hash.kind()? {
            Kind::String => hash.string()?.unwrap_or_default(),
            _ => String::new(),
        };
        signer.verify(&hash, &input).map_err(core_error)
    })
}

/// The canonical string that gets signed.
#[allow(clippy::too_many_arguments)]
#[napi(
    ts_args_type = "signer: ExternalObject<'userhash::Signer'>, input: unknown, visitorJson?: string, k0?: string, v0?: unknown, k1?: string, v1?: unknown"
)]
pub fn canonical(
    env: Env,
    signer: &Handle,
    input: Unknown<'_>,
    visitor_json: Option<String>,
    k0: Unknown<'_>,
    v0: Unknown<'_>,
    k1: Unknown<'_>,
    v1: Unknown<'_>,
) -> Result<String> {
    guard(|| {
        let fields = Fields::new(&env, &input, visitor_json, &k0, &v0, &k1, &v1);
        let input = fields.input()?;
        signer
            .canonical(&input)
            .map(|c| c.into_owned())
            .map_err(core_error)
    })
}
