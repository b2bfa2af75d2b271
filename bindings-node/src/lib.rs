//! Node.js binding for userhash: the native half of the `userhash` npm package.
//!
//! `userhash.js` wraps the signer handle in the public `Signer` class (errors
//! as `UserhashError`, `util.inspect`/`toJSON` that never show a secret). This
//! crate only converts JS values to [`userhash::Value`] and maps errors; every
//! canonicalization rule lives in the core.
//!
//! The `visitor` field reaches us as the text V8's own `JSON.stringify`
//! produced (so `toJSON`, `Date`, `undefined`, property order… are exactly
//! JavaScript's), parsed by [`userhash::json::parse`]. The scalar fields
//! (`email`, `user_id`, `external_id`) are read directly through N-API.
//!
//! The per-call functions (`sign`, `verify`, `canonical`, `signMany`,
//! `embed`) are plain N-API callbacks registered in [`init`] rather than
//! `#[napi]` functions: napi-rs opens a borrow-tracking scope around every
//! generated call, which cost more than the HMAC itself. The signer handle is
//! our own type-tagged external (see [`Handle`]), strings are read into a stack
//! buffer and the hex result is created straight from the stack.

use std::borrow::Cow;
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

use napi::bindgen_prelude::{Env, Object, Unknown};
use napi::sys;
use napi::JsValue;
use napi_derive::napi;
use userhash::{ErrorCode, Field, Input, Value};
use zeroize::Zeroizing;

/// A JS exception: `.code` is the userhash error code (DESIGN §3).
type JsError = napi::Error<&'static str>;
type Result<T> = std::result::Result<T, JsError>;

/// `.code` of an error that is already pending in JS (a throwing getter…):
/// it is left in place and propagates unchanged.
const PENDING: &str = "PendingException";

fn core_error(e: userhash::Error) -> JsError {
    JsError::new(e.code().as_str(), e.message().to_owned())
}

fn invalid_input(message: impl Into<String>) -> JsError {
    JsError::new(ErrorCode::InvalidInput.as_str(), message.into())
}

fn internal_error(message: impl Into<String>) -> JsError {
    JsError::new("internal_error", message.into())
}

/// Runs `f`, turning a Rust panic into a JS error instead of an abort.
fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(internal_error(
            "userhash: internal error (a bug; please report it)",
        ))
    })
}

#[inline]
fn check(status: sys::napi_status) -> Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(status_error(status))
    }
}

#[cold]
fn status_error(status: sys::napi_status) -> JsError {
    if status == sys::Status::napi_pending_exception {
        JsError::new(PENDING, "pending JS exception".to_owned())
    } else {
        internal_error(format!("userhash: N-API call failed with status {status}"))
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

/// UTF-16 units of a string read on the stack before falling back to the heap.
const STACK_UNITS: usize = 128;
/// Their UTF-8 (at most 3 bytes per unit).
const STACK_STR: usize = STACK_UNITS * 3;

/// A place to read one JS string's UTF-8 into: the stack (left
/// uninitialized: zeroing it cost more than reading an email) or the heap.
struct StrBuf {
    stack: [MaybeUninit<u8>; STACK_STR],
    heap: Vec<u8>,
}

impl StrBuf {
    fn new() -> StrBuf {
        StrBuf {
            stack: [MaybeUninit::uninit(); STACK_STR],
            heap: Vec::new(),
        }
    }
}

/// What reading a JS value as a string found.
enum JsStr<'b> {
    NotString,
    LoneSurrogate,
    Str(&'b str),
}

/// One JS value with its env: the raw N-API calls this binding needs.
#[derive(Clone, Copy)]
struct Js {
    env: sys::napi_env,
    raw: sys::napi_value,
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

    /// Whether the string holds a lone surrogate (no UTF-8 form).
    fn has_lone_surrogate(self) -> Result<bool> {
        Ok(char::decode_utf16(self.utf16()?).any(|c| c.is_err()))
    }

    /// Appends the UTF-8 of a JS string to `out`; `false` (and `out`
    /// unchanged) if it holds a lone surrogate. N-API's UTF-8 conversion writes
    /// U+FFFD for one, so when U+FFFD shows up the UTF-16 is checked.
    fn append_utf8(self, out: &mut Vec<u8>) -> Result<bool> {
        let mut len = 0usize;
        // SAFETY: as above; a null buffer asks for the UTF-8 length only.
        check(unsafe {
            sys::napi_get_value_string_utf8(self.env, self.raw, ptr::null_mut(), 0, &mut len)
        })?;
        let start = out.len();
        out.reserve(len + 1);
        let mut written = 0usize;
        // SAFETY: `out` has room for len + 1 bytes after `start`; N-API writes
        // at most len bytes plus a NUL, and reports how many it wrote.
        check(unsafe {
            sys::napi_get_value_string_utf8(
                self.env,
                self.raw,
                out.as_mut_ptr().add(start).cast(),
                len + 1,
                &mut written,
            )
        })?;
        // SAFETY: those `written` bytes were just initialized.
        unsafe { out.set_len(start + written) };
        if has_replacement_char(&out[start..]) && self.has_lone_surrogate()? {
            out.truncate(start);
            return Ok(false);
        }
        Ok(true)
    }

    /// The value as UTF-8 borrowed from `buf` (the stack for short strings),
    /// if it is a string. Short strings are read as UTF-16 and transcoded
    /// here, in one pass that also finds lone surrogates (cheaper than V8's
    /// UTF-8 writer, and no `typeof` call first).
    fn read_str(self, buf: &mut StrBuf) -> Result<JsStr<'_>> {
        let mut units = [MaybeUninit::<u16>::uninit(); STACK_UNITS];
        let mut written = 0usize;
        // SAFETY: as above; N-API writes at most STACK_UNITS - 1 units plus a
        // NUL, or fails with napi_string_expected for a non-string.
        let status = unsafe {
            sys::napi_get_value_string_utf16(
                self.env,
                self.raw,
                units.as_mut_ptr().cast(),
                STACK_UNITS,
                &mut written,
            )
        };
        if status == sys::Status::napi_string_expected {
            return Ok(JsStr::NotString);
        }
        check(status)?;
        if written + 1 < STACK_UNITS {
            // SAFETY: N-API initialized the first `written` units.
            let units =
                unsafe { std::slice::from_raw_parts(units.as_ptr().cast::<u16>(), written) };
            return Ok(match utf16_to_utf8(units, &mut buf.stack) {
                // SAFETY: `utf16_to_utf8` initialized n bytes of valid UTF-8.
                Some(n) => JsStr::Str(unsafe {
                    std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                        buf.stack.as_ptr().cast::<u8>(),
                        n,
                    ))
                }),
                None => JsStr::LoneSurrogate,
            });
        }
        buf.heap.clear();
        if !self.append_utf8(&mut buf.heap)? {
            return Ok(JsStr::LoneSurrogate);
        }
        std::str::from_utf8(&buf.heap)
            .map(JsStr::Str)
            .map_err(|_| internal_error("userhash: N-API returned invalid UTF-8"))
    }

    /// A JS string as an owned UTF-8 `String`, or `None` with a lone surrogate.
    fn string(self) -> Result<Option<String>> {
        let mut out = Vec::new();
        if !self.append_utf8(&mut out)? {
            return Ok(None);
        }
        String::from_utf8(out)
            .map(Some)
            .map_err(|_| internal_error("userhash: N-API returned invalid UTF-8"))
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
        let names = Js { raw: names, ..self };
        (0..names.array_len()?).map(|i| names.element(i)).collect()
    }

    fn get(self, key: Js) -> Result<Js> {
        let mut v = ptr::null_mut();
        // SAFETY: the value is an object; a throwing getter leaves a pending
        // exception, reported by `check`.
        check(unsafe { sys::napi_get_property(self.env, self.raw, key.raw, &mut v) })?;
        Ok(Js { raw: v, ..self })
    }

    fn array_len(self) -> Result<u32> {
        let mut len = 0u32;
        // SAFETY: the caller checked the value is an array.
        check(unsafe { sys::napi_get_array_length(self.env, self.raw, &mut len) })?;
        Ok(len)
    }

    fn element(self, i: u32) -> Result<Js> {
        let mut v = ptr::null_mut();
        // SAFETY: an array; a getter on an index may throw (pending exception).
        check(unsafe { sys::napi_get_element(self.env, self.raw, i, &mut v) })?;
        Ok(Js { raw: v, ..self })
    }
}

/// Transcodes UTF-16 into `out` (room for 3 bytes per unit); `None` at a lone
/// surrogate. Returns the number of bytes written (all initialized).
#[inline]
fn utf16_to_utf8(units: &[u16], out: &mut [MaybeUninit<u8>; STACK_STR]) -> Option<usize> {
    debug_assert!(units.len() * 3 <= STACK_STR);
    let mut n = 0;
    let mut put = |b: u8| {
        out[n] = MaybeUninit::new(b);
        n += 1;
    };
    let mut i = 0;
    while i < units.len() {
        let u = u32::from(units[i]);
        i += 1;
        if u < 0x80 {
            put(u as u8);
        } else if u < 0x800 {
            put(0xC0 | (u >> 6) as u8);
            put(0x80 | (u & 0x3F) as u8);
        } else if (0xD800..0xDC00).contains(&u) {
            let lo = u32::from(*units.get(i)?);
            if !(0xDC00..0xE000).contains(&lo) {
                return None;
            }
            i += 1;
            let c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            put(0xF0 | (c >> 18) as u8);
            put(0x80 | ((c >> 12) & 0x3F) as u8);
            put(0x80 | ((c >> 6) & 0x3F) as u8);
            put(0x80 | (c & 0x3F) as u8);
        } else if (0xDC00..0xE000).contains(&u) {
            return None;
        } else {
            put(0xE0 | (u >> 12) as u8);
            put(0x80 | ((u >> 6) & 0x3F) as u8);
            put(0x80 | (u & 0x3F) as u8);
        }
    }
    Some(n)
}

/// Whether UTF-8 `bytes` contain U+FFFD (EF BF BD).
fn has_replacement_char(bytes: &[u8]) -> bool {
    bytes.contains(&0xEF) && bytes.windows(3).any(|w| w == [0xEF, 0xBF, 0xBD])
}

/// A JS number as the core sees it: `Number.isSafeInteger` → an exact integer
/// id; anything else a float, which the core rejects as an id.
fn number(f: f64) -> Value<'static> {
    if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_991.0 {
        Value::Int(f as i128)
    } else {
        Value::Float(f)
    }
}

fn bigint(v: Js) -> Result<Value<'static>> {
    let text = v.bigint_text()?;
    Ok(match text.parse::<i128>() {
        Ok(i) => Value::Int(i),
        Err(_) => Value::BigInt(Cow::Owned(text)),
    })
}

/// A non-string scalar field value. `None` = absent (`undefined`, a function
/// or a symbol, which `JSON.stringify` omits as well).
fn non_string(v: Js, kind: Kind) -> Result<Option<Value<'static>>> {
    Ok(Some(match kind {
        Kind::Undefined | Kind::Function | Kind::Symbol => return Ok(None),
        Kind::Null => Value::Null,
        Kind::Boolean => Value::Bool(v.bool()?),
        Kind::Number => number(v.f64()?),
        Kind::BigInt => bigint(v)?,
        Kind::String => unreachable!("strings are read by the caller"),
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

/// Converts a scalar sign-call field (`email`, `user_id`, `external_id`, or a
/// non-object `visitor`), borrowing a string from `buf`.
fn scalar(v: Js, buf: &mut StrBuf) -> Result<Option<Value<'_>>> {
    match v.read_str(buf)? {
        JsStr::Str(s) => Ok(Some(Value::Str(Cow::Borrowed(s)))),
        JsStr::LoneSurrogate => Ok(Some(Value::lone_surrogate())),
        JsStr::NotString => non_string(v, v.kind()?),
    }
}

/// The visitor as `JSON.stringify` wrote it. V8 writes valid JSON except for a
/// lone surrogate, which it escapes as `\udXXX` and the core's parser rejects:
/// that is the caller's string having no UTF-8 form, not malformed JSON.
fn parse_visitor(text: &str) -> Value<'_> {
    match userhash::json::parse_borrowed(text) {
        Ok(v) => v,
        Err(e) if e.code() == ErrorCode::InvalidJson => Value::lone_surrogate(),
        Err(e) if e.code() == ErrorCode::TooDeep => Value::too_deep(),
        Err(e) => Value::invalid(e.code(), e.message()),
    }
}

/// Reads the `JSON.stringify` text userhash.js made of a visitor (or of the
/// embed `data` option) into `buf`, if it passed one.
fn json_in(v: Js, buf: &mut StrBuf) -> Result<Option<Value<'_>>> {
    match v.read_str(buf)? {
        JsStr::Str(text) => Ok(Some(parse_visitor(text))),
        // JSON.stringify escapes lone surrogates, so its text never has one.
        JsStr::LoneSurrogate => Ok(Some(Value::lone_surrogate())),
        JsStr::NotString => Ok(None),
    }
}

/// The sign-call fields as userhash.js passes them: the input object, the
/// `JSON.stringify` text of its `visitor` (when that is an object), and —
/// read in JS with `Object.keys`, much cheaper than enumerating properties
/// through N-API — its first two keys and values. `k0` undefined means "not
/// read in JS" (no keys, more than two, or not an object): the object is then
/// enumerated here.
struct Fields {
    input: Js,
    visitor_json: Js,
    pairs: [(Js, Js); 2],
}

/// Scratch space for the strings of one call.
struct Bufs {
    key: StrBuf,
    values: [StrBuf; 2],
}

impl Bufs {
    fn new() -> Bufs {
        Bufs {
            key: StrBuf::new(),
            values: [StrBuf::new(), StrBuf::new()],
        }
    }
}

impl Fields {
    /// `args`: input, visitorJson, k0, v0, k1, v1.
    fn new(env: sys::napi_env, args: &[sys::napi_value]) -> Fields {
        let js = |raw| Js { env, raw };
        Fields {
            input: js(args[0]),
            visitor_json: js(args[1]),
            pairs: [(js(args[2]), js(args[3])), (js(args[4]), js(args[5]))],
        }
    }

    /// Builds the core [`Input`]; field names and duplicates are the core's
    /// business (`Input::set`).
    fn input<'b>(&self, bufs: &'b mut Bufs) -> Result<Input<'b>> {
        let mut input = Input::new();
        let Bufs { key, values } = bufs;
        let [(k0, v0), (k1, v1)] = self.pairs;
        let [b0, b1] = values;
        let name = match k0.read_str(key)? {
            JsStr::Str(name) => name,
            _ => return self.input_slow(input),
        };
        if let Some(value) = self.field(name, v0, b0)? {
            input.set(name, value).map_err(core_error)?;
        }
        match k1.read_str(key)? {
            JsStr::Str(name) => {
                if let Some(value) = self.field(name, v1, b1)? {
                    input.set(name, value).map_err(core_error)?;
                }
            }
            JsStr::NotString => {}
            JsStr::LoneSurrogate => return Err(lone_surrogate_key()),
        }
        Ok(input)
    }

    /// Not the common shape (no keys, or more than two): the object is
    /// enumerated here, into owned values.
    fn input_slow<'b>(&self, mut input: Input<'b>) -> Result<Input<'b>> {
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
        for k in obj.own_keys()? {
            let mut key = StrBuf::new();
            let mut buf = StrBuf::new();
            let JsStr::Str(name) = k.read_str(&mut key)? else {
                return Err(lone_surrogate_key());
            };
            if let Some(value) = self.field(name, obj.get(k)?, &mut buf)? {
                input.set(name, into_owned(value)).map_err(core_error)?;
            }
        }
        Ok(input)
    }

    /// The value of field `name` (`None` = absent).
    fn field<'v>(&self, name: &str, value: Js, buf: &'v mut StrBuf) -> Result<Option<Value<'v>>> {
        if name == "visitor" && self.visitor_json.kind()? == Kind::String {
            // The visitor's JSON text is read (and borrowed) in place of its value.
            return json_in(self.visitor_json, buf);
        }
        scalar(value, buf)
    }
}

fn lone_surrogate_key() -> JsError {
    invalid_input("unknown field with a lone surrogate in its name")
}

fn into_owned(v: Value<'_>) -> Value<'static> {
    match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(b),
        Value::Int(i) => Value::Int(i),
        Value::BigInt(s) => Value::BigInt(Cow::Owned(s.into_owned())),
        Value::Float(f) => Value::Float(f),
        Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
        Value::Array(a) => Value::Array(a.into_iter().map(into_owned).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), into_owned(v)))
                .collect(),
        ),
        Value::Invalid(i) => Value::Invalid(i),
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

// ---------------------------------------------------------------------------
// The signer handle: a type-tagged N-API external owning an Arc<Signer>.

/// Tags our externals, so a foreign external passed to these functions is
/// refused instead of dereferenced.
const HANDLE_TAG: sys::napi_type_tag = sys::napi_type_tag {
    lower: 0x7573_6572_6861_7368, // "userhash"
    upper: 0x5369_676e_6572_0001, // "Signer" v1
};

/// A prepared signer, held by the JS `Signer` (userhash.js) in a private field.
pub struct Handle(sys::napi_value);

impl napi::bindgen_prelude::TypeName for Handle {
    fn type_name() -> &'static str {
        "External"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::External
    }
}

impl napi::bindgen_prelude::ToNapiValue for Handle {
    unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        Ok(val.0)
    }
}

unsafe extern "C" fn finalize_signer(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the Box<Arc<Signer>> leaked in `new_handle`, finalized
    // once by N-API when the external is collected.
    drop(unsafe { Box::from_raw(data.cast::<Arc<userhash::Signer>>()) });
}

fn new_handle(env: &Env, signer: userhash::Signer) -> Result<Handle> {
    let data = Box::into_raw(Box::new(Arc::new(signer)));
    let mut out = ptr::null_mut();
    // SAFETY: ownership of `data` passes to the external, whose finalizer
    // frees it; on failure we free it here.
    let status = unsafe {
        sys::napi_create_external(
            env.raw(),
            data.cast(),
            Some(finalize_signer),
            ptr::null_mut(),
            &mut out,
        )
    };
    if let Err(e) = check(status) {
        // SAFETY: the external was not created, so `data` is still ours.
        drop(unsafe { Box::from_raw(data) });
        return Err(e);
    }
    // SAFETY: `out` is the external just created.
    check(unsafe { sys::napi_type_tag_object(env.raw(), out, &HANDLE_TAG) })?;
    Ok(Handle(out))
}

/// The signer behind a handle; anything but one of our externals is refused.
fn signer_of<'a>(env: sys::napi_env, v: sys::napi_value) -> Result<&'a Arc<userhash::Signer>> {
    let not_a_signer = || invalid_input("not a userhash signer handle");
    let mut tagged = false;
    // SAFETY: any value; a non-object fails with napi_object_expected.
    let status = unsafe { sys::napi_check_object_type_tag(env, v, &HANDLE_TAG, &mut tagged) };
    if status != sys::Status::napi_ok || !tagged {
        return Err(not_a_signer());
    }
    let mut data = ptr::null_mut();
    // SAFETY: an object tagged by `new_handle`, which only tags externals.
    let status = unsafe { sys::napi_get_value_external(env, v, &mut data) };
    if status != sys::Status::napi_ok || data.is_null() {
        return Err(not_a_signer());
    }
    // SAFETY: the external holds a live Box<Arc<Signer>> for as long as the JS
    // value is reachable, which it is during this call (it is an argument).
    Ok(unsafe { &*data.cast::<Arc<userhash::Signer>>() })
}

// ---------------------------------------------------------------------------
// napi-rs functions (called once per signer, not per identity).

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
        let signer = userhash::Signer::with_previous(&secret, &scheme, previous.iter())
            .map_err(core_error)?;
        new_handle(&env, signer)
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
        let signer = userhash::Signer::from_env(&name, &scheme, &vars).map_err(core_error)?;
        new_handle(&env, signer)
    })
}

/// The preset name or scheme spec of a signer.
#[napi(ts_args_type = "signer: ExternalObject<'userhash::Signer'>")]
pub fn signer_scheme(env: Env, signer: Unknown<'_>) -> Result<String> {
    let s = signer_of(env.raw(), signer.raw())?;
    Ok(s.scheme().to_string())
}

/// How many previous secrets `verify` also tries.
#[napi(ts_args_type = "signer: ExternalObject<'userhash::Signer'>")]
pub fn signer_previous_count(env: Env, signer: Unknown<'_>) -> Result<u32> {
    let s = signer_of(env.raw(), signer.raw())?;
    Ok(u32::try_from(s.previous_count()).unwrap_or(u32::MAX))
}

/// The field `signMany` fills when none is named (`null` for a scheme that
/// needs one: supportwire).
#[napi(ts_args_type = "signer: ExternalObject<'userhash::Signer'>")]
pub fn signer_batch_field(env: Env, signer: Unknown<'_>) -> Result<Option<&'static str>> {
    let s = signer_of(env.raw(), signer.raw())?;
    Ok(s.scheme().batch_field().map(Field::name))
}

/// Like `signMany` (same arguments), but the HMACs run on the libuv thread
/// pool (and every core for large batches): the values are read now; the
/// promise resolves to the hex chunks, or to a coded `Error` object the JS
/// wrapper throws.
#[napi(
    ts_args_type = "signer: ExternalObject<'userhash::Signer'>, field: string, kind: number, a: unknown, b: unknown",
    ts_return_type = "Promise<string[] | Error>"
)]
pub fn sign_many_async(
    env: Env,
    signer: Unknown<'_>,
    field: Unknown<'_>,
    kind: Unknown<'_>,
    a: Unknown<'_>,
    b: Unknown<'_>,
) -> Result<napi::bindgen_prelude::AsyncTask<SignManyTask>> {
    guard(|| {
        let e = env.raw();
        let js = |u: &Unknown<'_>| Js {
            env: e,
            raw: u.raw(),
        };
        let signer = Arc::clone(signer_of(e, signer.raw())?);
        let field = batch_field(js(&field))?;
        let batch = Source::read(js(&kind), js(&a), js(&b))?;
        Ok(napi::bindgen_prelude::AsyncTask::new(SignManyTask {
            signer,
            field,
            batch: Some(batch),
        }))
    })
}

// ---------------------------------------------------------------------------
// Batches.

/// The values of a batch. Strings are copied into one arena and borrowed by
/// `values`, so a million ids cost a handful of allocations.
struct Batch {
    // Declared before `arena`: dropped first, while what it borrows is alive.
    values: Vec<Value<'static>>,
    #[allow(dead_code)] // only borrowed, through `values`
    arena: String,
}

// How userhash.js hands a batch over (`kind` argument of signMany):
// BATCH_ANY = 0, the values array itself.
/// Every value a number: a Float64Array of them.
const BATCH_NUMBERS: u32 = 2;

/// A batch being read: values, the arena, and where each string of the
/// arena goes.
struct BatchBuilder {
    values: Vec<Value<'static>>,
    arena: Vec<u8>,
    // (index, end, is JSON text) of each string in `arena`; it starts where
    // the previous one ended.
    strings: Vec<(usize, usize, bool)>,
}

impl BatchBuilder {
    fn new(n: usize) -> BatchBuilder {
        BatchBuilder {
            values: Vec::with_capacity(n),
            arena: Vec::new(),
            strings: Vec::new(),
        }
    }

    /// Records that the arena's bytes since the last string are value `i`.
    fn push_str(&mut self, json: bool) {
        self.strings
            .push((self.values.len(), self.arena.len(), json));
        self.values.push(Value::Null); // placeholder, filled in by `finish`
    }

    fn finish(self) -> Result<Batch> {
        let BatchBuilder {
            mut values,
            arena,
            strings,
        } = self;
        let arena = String::from_utf8(arena)
            .map_err(|_| internal_error("userhash: N-API returned invalid UTF-8"))?;
        // SAFETY: `arena`'s heap buffer is final (no more pushes) and lives in
        // the returned Batch next to `values`, which is dropped first.
        let text: &'static str = unsafe { &*(arena.as_str() as *const str) };
        let mut from = 0;
        for (i, end, json) in strings {
            let s = &text[from..end];
            values[i] = if json {
                parse_visitor(s)
            } else {
                Value::Str(Cow::Borrowed(s))
            };
            from = end;
        }
        Ok(Batch { values, arena })
    }
}

/// A batch as read from JS on the main thread. Numbers are turned into
/// values later, per block, off the main thread.
enum Source {
    /// Values already converted (the generic path, and visitors).
    Values(Batch),
    Numbers(Vec<f64>),
}

/// Items per block of a pipelined [`sign_pipelined`] batch (a multiple of
/// [`HEX_CHUNK`], and large enough for the core to use every core on it).
const BLOCK: usize = 16 * HEX_CHUNK;

impl Source {
    /// Reads a batch as userhash.js passes it: `kind` 0 (`a` the values
    /// array; `b`, if an array, the `JSON.stringify` text of each visitor)
    /// or [`BATCH_NUMBERS`] (`a` a Float64Array).
    fn read(kind: Js, a: Js, b: Js) -> Result<Source> {
        let mut k = 0u32;
        // SAFETY: any value; a non-number fails with napi_number_expected.
        check(unsafe { sys::napi_get_value_uint32(kind.env, kind.raw, &mut k) })?;
        match k {
            BATCH_NUMBERS => Ok(Source::Numbers(typed_array::<f64>(
                a,
                sys::TypedarrayType::float64_array,
            )?)),
            _ => {
                let js = JsBatch::open(a, b)?;
                Ok(Source::Values(js.read(0..js.n)?))
            }
        }
    }

    fn len(&self) -> usize {
        match self {
            Source::Values(b) => b.values.len(),
            Source::Numbers(n) => n.len(),
        }
    }

    /// Signs items `range`; errors name indices relative to `range.start`.
    fn sign_block(
        &self,
        signer: &userhash::Signer,
        field: Option<Field>,
        range: std::ops::Range<usize>,
    ) -> std::result::Result<Vec<[u8; 64]>, userhash::Error> {
        match self {
            Source::Values(b) => signer.sign_many(field, &b.values[range]),
            Source::Numbers(n) => {
                let values: Vec<Value<'_>> = n[range].iter().map(|&f| number(f)).collect();
                signer.sign_many(field, &values)
            }
        }
    }

    /// Every item at once (the thread-pool path).
    fn sign_all(&self, signer: &userhash::Signer, field: Option<Field>) -> Result<Vec<[u8; 64]>> {
        self.sign_block(signer, field, 0..self.len())
            .map_err(core_error)
    }
}

/// The core names the bad item of a block relative to the block
/// (`item 12: …`); the caller's index is `offset` more.
fn offset_item_error(e: userhash::Error, offset: usize) -> userhash::Error {
    if offset == 0 {
        return e;
    }
    let renumbered = e
        .message()
        .strip_prefix("item ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(i, tail)| {
            Some(format!(
                "item {}: {tail}",
                i.parse::<usize>().ok()? + offset
            ))
        });
    match renumbered {
        Some(message) => userhash::Error::new(e.code(), message),
        None => e,
    }
}

/// What the pipeline's helper thread signs next: a block of values read on
/// the JS thread, or a block of a [`Source`] it converts itself.
enum Work {
    Read(usize, Batch),
    Block(usize),
}

/// `signMany` on the calling thread, pipelined: a helper thread signs block
/// after block (through the core's `sign_many`, on every core) while this
/// thread reads the next block's values through N-API (a `Float64Array` of
/// numbers is converted by the helper) and turns each finished block
/// into JS strings. The first bad item in index order fails the call.
fn sign_pipelined(
    env: sys::napi_env,
    signer: &userhash::Signer,
    field: Option<Field>,
    source: std::result::Result<JsBatch, Source>,
) -> Result<sys::napi_value> {
    let (js, data) = match source {
        Ok(js) => (Some(js), None),
        Err(data) => (None, Some(data)),
    };
    let n = js
        .as_ref()
        .map_or_else(|| data.as_ref().map_or(0, Source::len), |j| j.n);
    if n <= BLOCK {
        let data = match js {
            Some(js) => Source::Values(js.read(0..n)?),
            None => data.unwrap_or(Source::Numbers(Vec::new())),
        };
        let hashes = data.sign_all(signer, field)?;
        return hex_chunks(env, &hashes);
    }
    let mut arr = ptr::null_mut();
    // SAFETY: a live env on the JS thread.
    check(unsafe { sys::napi_create_array_with_length(env, n.div_ceil(HEX_CHUNK), &mut arr) })?;
    let data = data.as_ref();
    std::thread::scope(|scope| {
        let (work_tx, work_rx) = std::sync::mpsc::sync_channel::<Work>(1);
        // Unbounded, so the helper never waits on this thread while this
        // thread waits to hand it work (it holds at most a few blocks: the
        // helper only gets a block when it asks for the next one).
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        scope.spawn(move || {
            for work in work_rx {
                let (start, result) = match work {
                    Work::Read(start, batch) => (start, signer.sign_many(field, &batch.values)),
                    Work::Block(start) => {
                        let range = start..n.min(start + BLOCK);
                        let result = match data {
                            Some(d) => d.sign_block(signer, field, range),
                            None => Ok(Vec::new()),
                        };
                        (start, result)
                    }
                };
                let failed = result.is_err();
                if done_tx.send((start, result)).is_err() || failed {
                    break;
                }
            }
        });
        // Finished blocks, in order, into the result array. Returning early
        // drops the channels: the helper's next send or receive fails and it stops.
        let finish = |(start, result): (
            usize,
            std::result::Result<Vec<[u8; 64]>, userhash::Error>,
        )|
         -> Result<()> {
            let hashes = result.map_err(|e| core_error(offset_item_error(e, start)))?;
            for (j, chunk) in hashes.chunks(HEX_CHUNK).enumerate() {
                let _scope = HandleScope::open(env)?;
                let s = latin1(env, chunk.as_flattened())?;
                let i = (start / HEX_CHUNK + j) as u32;
                // SAFETY: `arr` is the array created above, `s` a string.
                check(unsafe { sys::napi_set_element(env, arr, i, s) })?;
            }
            Ok(())
        };
        for start in (0..n).step_by(BLOCK) {
            let work = match &js {
                Some(js) => Work::Read(start, js.read(start..n.min(start + BLOCK))?),
                None => Work::Block(start),
            };
            // While the helper is busy, finish what it has done.
            while let Ok(done) = done_rx.try_recv() {
                finish(done)?;
            }
            if work_tx.send(work).is_err() {
                // The helper stopped at a bad item: report it.
                break;
            }
        }
        drop(work_tx);
        for done in done_rx {
            finish(done)?;
        }
        Ok(arr)
    })
}

/// A batch's values array as JS passed it (the generic path), read through
/// N-API a range at a time, on the JS thread only.
struct JsBatch {
    values: Js,
    /// For visitors: the `JSON.stringify` text of each (made in userhash.js).
    texts: Option<Js>,
    n: usize,
}

impl JsBatch {
    fn open(values: Js, visitor_json: Js) -> Result<JsBatch> {
        if values.kind()? != Kind::Object || !values.is(sys::napi_is_array)? {
            return Err(invalid_input("signMany: values must be an array"));
        }
        let texts = if visitor_json.kind()? == Kind::Object {
            Some(visitor_json)
        } else {
            None
        };
        let n = values.array_len()? as usize;
        Ok(JsBatch { values, texts, n })
    }

    /// Converts the values in `range`.
    fn read(&self, range: std::ops::Range<usize>) -> Result<Batch> {
        let mut batch = BatchBuilder::new(range.len());
        let mut buf = StrBuf::new();
        for start in range.clone().step_by(1024) {
            let _scope = HandleScope::open(self.values.env)?;
            for i in start..range.end.min(start + 1024) {
                let mut json = false;
                let mut v = self.values;
                if let Some(texts) = self.texts {
                    v = texts.element(i as u32)?;
                    json = v.kind()? == Kind::String;
                }
                if !json {
                    v = self.values.element(i as u32)?;
                }
                let item = match v.read_str(&mut buf)? {
                    JsStr::Str(s) => {
                        batch.arena.extend_from_slice(s.as_bytes());
                        batch.push_str(json);
                        continue;
                    }
                    JsStr::LoneSurrogate => Some(Value::lone_surrogate()),
                    JsStr::NotString => non_string(v, v.kind()?)?,
                };
                // An absent item (undefined…) is a missing field for the core.
                batch
                    .values
                    .push(item.unwrap_or_else(|| Value::unsupported("undefined")));
            }
        }
        batch.finish()
    }
}

/// A copy of the elements of a typed array of type `ty`.
fn typed_array<T: Copy>(v: Js, ty: sys::napi_typedarray_type) -> Result<Vec<T>> {
    let bad = || internal_error("userhash: signMany expected a typed array");
    if !v.is(sys::napi_is_typedarray)? {
        return Err(bad());
    }
    let (mut t, mut len, mut data) = (0, 0usize, ptr::null_mut());
    let (mut ab, mut off) = (ptr::null_mut(), 0usize);
    // SAFETY: the value is a typed array.
    check(unsafe {
        sys::napi_get_typedarray_info(v.env, v.raw, &mut t, &mut len, &mut data, &mut ab, &mut off)
    })?;
    if t != ty {
        return Err(bad());
    }
    if len == 0 {
        return Ok(Vec::new());
    }
    if data.is_null() || data.align_offset(std::mem::align_of::<T>()) != 0 {
        return Err(bad());
    }
    // SAFETY: `data` points at `len` aligned elements of T owned by the typed
    // array, alive for this call; they are copied before returning to JS.
    Ok(unsafe { std::slice::from_raw_parts(data.cast::<T>(), len) }.to_vec())
}

/// `signMany`'s `field` option: a field name, or undefined for the scheme's own.
fn batch_field(v: Js) -> Result<Option<Field>> {
    match v.kind()? {
        Kind::Undefined | Kind::Null => Ok(None),
        Kind::String => {
            let name = v.string()?.unwrap_or_default();
            Field::from_name(&name).map(Some).ok_or_else(|| {
                invalid_input(format!(
                    "signMany: unknown field {name:?} (email, user_id, external_id or visitor)"
                ))
            })
        }
        k => Err(invalid_input(format!(
            "signMany: field must be a string, got {}",
            kind_name(k)
        ))),
    }
}

/// Handles created inside are released when it drops.
struct HandleScope {
    env: sys::napi_env,
    scope: sys::napi_handle_scope,
}

impl HandleScope {
    fn open(env: sys::napi_env) -> Result<HandleScope> {
        let mut scope = ptr::null_mut();
        // SAFETY: a live env on the JS thread.
        check(unsafe { sys::napi_open_handle_scope(env, &mut scope) })?;
        Ok(HandleScope { env, scope })
    }
}

impl Drop for HandleScope {
    fn drop(&mut self) {
        // SAFETY: opened by `open` on this env, closed once, innermost first.
        unsafe { sys::napi_close_handle_scope(self.env, self.scope) };
    }
}

/// Hashes per string in [`hex_chunks`]: 256 KiB strings, which V8 puts in
/// its large-object space (never copied by the young-generation GC).
const HEX_CHUNK: usize = 4096;

/// The hashes as an array of strings of up to [`HEX_CHUNK`] concatenated hex
/// digests; userhash.js slices them into one string per hash (creating a
/// million strings through N-API, one call each, cost more than the HMACs).
fn hex_chunks(env: sys::napi_env, hashes: &[[u8; 64]]) -> Result<sys::napi_value> {
    let mut arr = ptr::null_mut();
    let chunks = hashes.len().div_ceil(HEX_CHUNK);
    // SAFETY: a live env on the JS thread.
    check(unsafe { sys::napi_create_array_with_length(env, chunks, &mut arr) })?;
    for (i, chunk) in hashes.chunks(HEX_CHUNK).enumerate() {
        let _scope = HandleScope::open(env)?;
        let s = latin1(env, chunk.as_flattened())?;
        // SAFETY: `arr` is an array created above, `s` a string; i < 2^32
        // since the hashes came from a JS array.
        check(unsafe { sys::napi_set_element(env, arr, i as u32, s) })?;
    }
    Ok(arr)
}

fn latin1(env: sys::napi_env, bytes: &[u8]) -> Result<sys::napi_value> {
    let mut s = ptr::null_mut();
    // SAFETY: `bytes` is valid for its length; hex digits are Latin-1.
    check(unsafe {
        sys::napi_create_string_latin1(env, bytes.as_ptr().cast(), bytes.len() as isize, &mut s)
    })?;
    Ok(s)
}

/// The `signManyAsync` work: HMACs on the thread pool.
pub struct SignManyTask {
    signer: Arc<userhash::Signer>,
    field: Option<Field>,
    batch: Option<Source>,
}

/// What the worker produced, turned into JS on the main thread.
pub struct RawValue(sys::napi_value);

impl napi::bindgen_prelude::TypeName for RawValue {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::Unknown
    }
}

impl napi::bindgen_prelude::ToNapiValue for RawValue {
    unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        Ok(val.0)
    }
}

impl napi::Task for SignManyTask {
    type Output = std::result::Result<Vec<[u8; 64]>, JsError>;
    type JsValue = RawValue;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let batch = self.batch.take();
        Ok(guard(|| match &batch {
            Some(b) => b.sign_all(&self.signer, self.field),
            None => Err(internal_error("userhash: batch computed twice")),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<RawValue> {
        let e = env.raw();
        let value = match output.and_then(|hashes| hex_chunks(e, &hashes)) {
            Ok(v) => v,
            Err(err) => error_object(e, &err).map_err(|_| {
                napi::Error::new(napi::Status::GenericFailure, "userhash: signManyAsync")
            })?,
        };
        Ok(RawValue(value))
    }
}

// ---------------------------------------------------------------------------
// Raw N-API functions: the per-call path.

/// A JS `Error` with `.code` set.
fn error_object(env: sys::napi_env, err: &JsError) -> Result<sys::napi_value> {
    let code = latin1(env, err.status.as_bytes())?;
    let mut msg = ptr::null_mut();
    // SAFETY: `reason` is valid UTF-8 for its length.
    check(unsafe {
        sys::napi_create_string_utf8(
            env,
            err.reason.as_ptr().cast(),
            err.reason.len() as isize,
            &mut msg,
        )
    })?;
    let mut e = ptr::null_mut();
    // SAFETY: `code` and `msg` are strings.
    check(unsafe { sys::napi_create_error(env, code, msg, &mut e) })?;
    Ok(e)
}

/// Reads up to `N` arguments (missing ones are `undefined`), runs `f` and
/// turns its error into a thrown JS exception (a pending one stays as is).
///
/// # Safety
/// `env` and `info` are those of a live N-API callback.
unsafe fn raw_call<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    f: impl FnOnce(sys::napi_env, &[sys::napi_value; N]) -> Result<sys::napi_value>,
) -> sys::napi_value {
    let mut argc = N;
    let mut argv = [ptr::null_mut(); N];
    // SAFETY: `argv` has room for `argc` values.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            argv.as_mut_ptr(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    let result = check(status).and_then(|()| guard(|| f(env, &argv)));
    match result {
        Ok(v) => v,
        Err(e) if e.status == PENDING => ptr::null_mut(),
        Err(e) => {
            if let Ok(obj) = error_object(env, &e) {
                // SAFETY: `obj` is an Error created above.
                unsafe { sys::napi_throw(env, obj) };
            }
            ptr::null_mut()
        }
    }
}

/// `sign(signer, input, visitorJson, k0, v0, k1, v1)` → 64 hex digits.
unsafe extern "C" fn sign_cb(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    // SAFETY: called by N-API.
    unsafe {
        raw_call::<7>(env, info, |env, args| {
            let signer = signer_of(env, args[0])?;
            let mut bufs = Bufs::new();
            let input = Fields::new(env, &args[1..]).input(&mut bufs)?;
            let mut hex = [0u8; 64];
            signer.sign_hex(&input, &mut hex).map_err(core_error)?;
            latin1(env, &hex)
        })
    }
}

/// `verify(signer, hash, input, visitorJson, k0, v0, k1, v1)` → boolean; a
/// hash that is not a 64-hex-digit string is simply `false`.
unsafe extern "C" fn verify_cb(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // SAFETY: called by N-API.
    unsafe {
        raw_call::<8>(env, info, |env, args| {
            let signer = signer_of(env, args[0])?;
            let mut bufs = Bufs::new();
            let input = Fields::new(env, &args[2..]).input(&mut bufs)?;
            let mut hash_buf = StrBuf::new();
            let hash = match (Js { env, raw: args[1] }).read_str(&mut hash_buf)? {
                JsStr::Str(s) => s,
                _ => "",
            };
            let ok = signer.verify(hash, &input).map_err(core_error)?;
            let mut out = ptr::null_mut();
            check(sys::napi_get_boolean(env, ok, &mut out))?;
            Ok(out)
        })
    }
}

/// `canonical(signer, input, visitorJson, k0, v0, k1, v1)` → the signed string.
unsafe extern "C" fn canonical_cb(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // SAFETY: called by N-API.
    unsafe {
        raw_call::<7>(env, info, |env, args| {
            let signer = signer_of(env, args[0])?;
            let mut bufs = Bufs::new();
            let input = Fields::new(env, &args[1..]).input(&mut bufs)?;
            let text = signer.canonical(&input).map_err(core_error)?;
            let mut out = ptr::null_mut();
            check(sys::napi_create_string_utf8(
                env,
                text.as_ptr().cast(),
                text.len() as isize,
                &mut out,
            ))?;
            Ok(out)
        })
    }
}

/// `embed(signer, input, visitorJson, k0, v0, k1, v1, options, dataJson)` →
/// the vendor's snippet. `options` is read here key by key; its `data` comes
/// as the `JSON.stringify` text `dataJson` when it is an object.
unsafe extern "C" fn embed_cb(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // SAFETY: called by N-API.
    unsafe {
        raw_call::<9>(env, info, |env, args| {
            let signer = signer_of(env, args[0])?;
            let mut bufs = Bufs::new();
            let input = Fields::new(env, &args[1..7]).input(&mut bufs)?;
            let mut data_buf = StrBuf::new();
            let options = embed_options(
                Js { env, raw: args[7] },
                Js { env, raw: args[8] },
                &mut data_buf,
            )?;
            let html = signer.embed(&input, &options).map_err(core_error)?;
            let mut out = ptr::null_mut();
            check(sys::napi_create_string_utf8(
                env,
                html.as_ptr().cast(),
                html.len() as isize,
                &mut out,
            ))?;
            Ok(out)
        })
    }
}

/// The embed options object as a core `Value::Object`, in JS key order. Its
/// values are taken like sign-call fields (a `Date` is not a string); `data`
/// (SupportWire `userData`) is JSON, converted like a FluentBot `data`.
fn embed_options(options: Js, data_json: Js, data_buf: &mut StrBuf) -> Result<Value<'_>> {
    match options.kind()? {
        Kind::Object if !options.is(sys::napi_is_array)? => {}
        Kind::Undefined | Kind::Null => {
            return Err(invalid_input(
                "embed options are required: at least {widget}",
            ))
        }
        k => {
            return Err(invalid_input(format!(
                "embed options must be an object, got {}",
                if k == Kind::Object {
                    "an array"
                } else {
                    kind_name(k)
                }
            )))
        }
    }
    let mut entries = Vec::new();
    let mut data_buf = Some(data_buf);
    for key in options.own_keys()? {
        let Some(name) = key.string()? else {
            return Err(invalid_input(
                "unknown embed option with a lone surrogate in its name",
            ));
        };
        let parsed = match (name.as_str(), data_buf.take()) {
            ("data", Some(buf)) => json_in(data_json, buf)?,
            (_, buf) => {
                data_buf = buf;
                None
            }
        };
        let value = match parsed {
            Some(v) => Some(v),
            None => {
                let mut buf = StrBuf::new();
                scalar(options.get(key)?, &mut buf)?.map(into_owned)
            }
        };
        if let Some(value) = value {
            entries.push((Cow::Owned(name), value));
        }
    }
    Ok(Value::Object(entries))
}

/// `signMany(signer, field, kind, a, b)` (the batch as [`Source::read`] takes
/// it) → the hashes as [`hex_chunks`].
unsafe extern "C" fn sign_many_cb(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    // SAFETY: called by N-API.
    unsafe {
        raw_call::<5>(env, info, |env, args| {
            let js = |raw| Js { env, raw };
            let signer = signer_of(env, args[0])?;
            let field = batch_field(js(args[1]))?;
            let (kind, a, b) = (js(args[2]), js(args[3]), js(args[4]));
            let mut k = 0u32;
            // SAFETY: any value; a non-number fails with napi_number_expected.
            check(sys::napi_get_value_uint32(env, kind.raw, &mut k))?;
            let source = if k == BATCH_NUMBERS {
                Err(Source::read(kind, a, b)?)
            } else {
                Ok(JsBatch::open(a, b)?)
            };
            sign_pipelined(env, signer, field, source)
        })
    }
}

/// Adds the raw per-call functions to the module's exports.
#[napi(module_exports)]
pub fn init(exports: Object<'_>, env: Env) -> napi::Result<()> {
    type Cb = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;
    let fns: [(&str, Cb); 5] = [
        ("sign", sign_cb),
        ("verify", verify_cb),
        ("canonical", canonical_cb),
        ("embed", embed_cb),
        ("signMany", sign_many_cb),
    ];
    for (name, cb) in fns {
        let mut f = ptr::null_mut();
        // SAFETY: module initialization on the JS thread; `name` is valid for
        // its length.
        unsafe {
            napi::check_status!(sys::napi_create_function(
                env.raw(),
                name.as_ptr().cast(),
                name.len() as isize,
                Some(cb),
                ptr::null_mut(),
                &mut f,
            ))?;
            napi::check_status!(sys::napi_set_named_property(
                env.raw(),
                exports.raw(),
                format!("{name}\0").as_ptr().cast(),
                f,
            ))?;
        }
    }
    Ok(())
}
