//! The language-neutral value every binding converts its native input into.

use std::borrow::Cow;

use crate::error::ErrorCode;

/// A value handed to the core: what a binding's native input (a Python dict,
/// a Ruby Hash, a JS object, a Go map…) becomes before canonicalization.
///
/// Strings may borrow from the caller. Objects keep the caller's key order;
/// the core applies JS property order when it serializes (see [`crate::json`]).
/// A binding that meets something it cannot convert (a date, a non-string key,
/// a string that is not UTF-8, nesting past [`crate::MAX_DEPTH`]) puts a
/// [`Value::Invalid`] at that place, so the core reports the error with its
/// path, the same way in every language.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// JSON `null` / Python `None` / Ruby `nil`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An exact integer (ids sign its decimal text; JSON payloads round it to a double).
    Int(i128),
    /// An integer too large for `i128`, as decimal text (`-?[0-9]+`).
    BigInt(Cow<'a, str>),
    /// A double.
    Float(f64),
    /// A UTF-8 string.
    Str(Cow<'a, str>),
    /// A string that is not well-formed Unicode: UTF-16 code units holding an
    /// unpaired surrogate (a Python `str` or JS string can). Inside a JSON
    /// payload it is written as `JSON.stringify` writes it, the lone surrogate
    /// as a `\udXXX` escape; as an email or id it is refused.
    Utf16(Vec<u16>),
    /// An array / list / tuple.
    Array(Vec<Value<'a>>),
    /// An object / dict / hash, entries in the caller's order.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
    /// A value the binding could not convert; the core reports it with its path.
    Invalid(Invalid),
}

/// The kinds of native value every binding refuses the same way in a JSON
/// payload (docs/canonicalization.md, "Native values"): each has no
/// JavaScript equivalent that `JSON.stringify` would write faithfully.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// A date or time (`datetime`, `Date`, `Time`, `DateTimeInterface`, `time.Time`).
    DateTime,
    /// An arbitrary-precision decimal (`Decimal`, `BigDecimal`, `big.Float`).
    Decimal,
    /// An arbitrary-precision integer object in a payload (`BigInt`, `GMP`, `big.Int`).
    BigNumber,
    /// Bytes (`bytes`, `Buffer`/`Uint8Array`, `[]byte`).
    Bytes,
    /// A set (`set`, `Set`).
    Set,
    /// An enum member (Python `Enum`, PHP `enum`).
    Enum,
    /// An object with its own serialization hook (`toJSON`, `JsonSerializable`, `MarshalJSON`, `as_json`).
    JsonHook,
    /// Any other object that is not plain data (a class instance, a `Map`, a function).
    Object,
}

impl Refused {
    /// Every kind, in declaration order.
    pub const ALL: [Refused; 8] = [
        Refused::DateTime,
        Refused::Decimal,
        Refused::BigNumber,
        Refused::Bytes,
        Refused::Set,
        Refused::Enum,
        Refused::JsonHook,
        Refused::Object,
    ];

    /// The stable snake_case name (what the C ABI takes).
    pub const fn name(self) -> &'static str {
        match self {
            Refused::DateTime => "datetime",
            Refused::Decimal => "decimal",
            Refused::BigNumber => "big_number",
            Refused::Bytes => "bytes",
            Refused::Set => "set",
            Refused::Enum => "enum",
            Refused::JsonHook => "json_hook",
            Refused::Object => "object",
        }
    }

    /// Looks a kind up by [`Refused::name`].
    pub fn from_name(name: &str) -> Option<Refused> {
        Refused::ALL.into_iter().find(|k| k.name() == name)
    }

    fn advice(self) -> &'static str {
        match self {
            Refused::DateTime => "a date/time has no single JSON form; pass the string the vendor expects (e.g. ISO 8601)",
            Refused::Decimal => "an arbitrary-precision decimal would be rounded; pass a float or a string",
            Refused::BigNumber => "JSON.stringify refuses big integers; pass a number or a string",
            Refused::Bytes => "bytes are not text; decode them to a string first",
            Refused::Set => "JSON.stringify writes a set as {}; pass a list",
            Refused::Enum => "pass the member's value",
            Refused::JsonHook => "userhash does not run serialization hooks; pass the plain data they return",
            Refused::Object => "only plain data (objects/maps with string keys, lists, strings, numbers, booleans, null) is signed",
        }
    }
}

/// Why a binding could not convert a native value (see [`Value::Invalid`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// The error code to report.
    pub code: ErrorCode,
    /// What was found, e.g. `"datetime is not a JSON value"`.
    pub what: String,
}

impl<'a> Value<'a> {
    /// A native value of a type that has no JSON form (`datetime`, `Time`, `set`…).
    ///
    /// ```
    /// let v = userhash::Value::unsupported("datetime");
    /// assert!(matches!(v, userhash::Value::Invalid(_)));
    /// ```
    pub fn unsupported(type_name: &str) -> Value<'a> {
        Value::invalid(
            ErrorCode::InvalidInput,
            format!("{type_name} is not a JSON value"),
        )
    }

    /// A native value of a kind every binding refuses ([`Refused`]); `type_name`
    /// is the host language's name for its type.
    ///
    /// ```
    /// use userhash::{Refused, Value};
    /// let v = Value::refused(Refused::Set, "set");
    /// let Value::Invalid(inv) = v else { unreachable!() };
    /// assert_eq!(inv.what, "set is not a JSON value: JSON.stringify writes a set as {}; pass a list");
    /// ```
    pub fn refused(kind: Refused, type_name: &str) -> Value<'a> {
        Value::invalid(
            ErrorCode::InvalidInput,
            format!("{type_name} is not a JSON value: {}", kind.advice()),
        )
    }

    /// Nesting that never ends: a container that contains itself. Reported as
    /// `too_deep`, where every binding stops converting.
    pub fn cycle() -> Value<'a> {
        Value::too_deep()
    }

    /// An object key that is not a string (nor a symbol, in Ruby).
    pub fn non_string_key(type_name: &str) -> Value<'a> {
        Value::invalid(
            ErrorCode::InvalidInput,
            format!("object keys must be strings, found a key of type {type_name}"),
        )
    }

    /// A string that is not valid UTF-8 (a Ruby binary string, PHP/Go bytes).
    pub fn invalid_utf8() -> Value<'a> {
        Value::invalid(ErrorCode::InvalidUtf8, "string is not valid UTF-8")
    }

    /// A string with an unpaired UTF-16 surrogate (Python `str`, JS string).
    pub fn lone_surrogate() -> Value<'a> {
        Value::invalid(
            ErrorCode::InvalidInput,
            "string contains a lone surrogate and has no UTF-8 form",
        )
    }

    /// Nesting deeper than [`crate::MAX_DEPTH`]; bindings stop converting there.
    pub fn too_deep() -> Value<'a> {
        Value::invalid(
            ErrorCode::TooDeep,
            format!("nesting deeper than {} levels", crate::MAX_DEPTH),
        )
    }

    /// The conversion failure named `kind` for a value of the host's type
    /// `type_name`, for bindings that report failures by name (the C ABI):
    /// a [`Refused::name`], or `non_string_key`, `invalid_utf8`, `lone_surrogate`,
    /// `too_deep`, `cycle`. `None` for an unknown kind.
    ///
    /// ```
    /// let v = userhash::Value::failure("cycle", "array").unwrap();
    /// assert!(matches!(v, userhash::Value::Invalid(ref inv) if inv.code.as_str() == "too_deep"));
    /// assert!(userhash::Value::failure("nope", "x").is_none());
    /// ```
    pub fn failure(kind: &str, type_name: &str) -> Option<Value<'a>> {
        Some(match kind {
            "non_string_key" => Value::non_string_key(type_name),
            "invalid_utf8" => Value::invalid_utf8(),
            "lone_surrogate" => Value::lone_surrogate(),
            "too_deep" => Value::too_deep(),
            "cycle" => Value::cycle(),
            _ => Value::refused(Refused::from_name(kind)?, type_name),
        })
    }

    /// A custom conversion failure.
    pub fn invalid(code: ErrorCode, what: impl Into<String>) -> Value<'a> {
        Value::Invalid(Invalid {
            code,
            what: what.into(),
        })
    }

    /// A string from UTF-16 code units: [`Value::Str`] when well-formed, else
    /// [`Value::Utf16`] (it holds an unpaired surrogate).
    pub fn from_utf16(units: &[u16]) -> Value<'a> {
        match String::from_utf16(units) {
            Ok(s) => Value::Str(Cow::Owned(s)),
            Err(_) => Value::Utf16(units.to_vec()),
        }
    }

    /// A string value borrowing `s`.
    pub fn str(s: &'a str) -> Value<'a> {
        Value::Str(Cow::Borrowed(s))
    }

    /// This value with every borrowed string copied, free of any lifetime.
    pub fn into_owned(self) -> Value<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::BigInt(d) => Value::BigInt(own(d)),
            Value::Float(f) => Value::Float(f),
            Value::Str(s) => Value::Str(own(s)),
            Value::Utf16(u) => Value::Utf16(u),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (own(k), v.into_owned()))
                    .collect(),
            ),
            Value::Invalid(inv) => Value::Invalid(inv),
        }
    }

    /// A copy that borrows this value's strings instead of cloning them.
    pub fn reborrow(&self) -> Value<'_> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(i) => Value::Int(*i),
            Value::BigInt(d) => Value::BigInt(Cow::Borrowed(d)),
            Value::Float(f) => Value::Float(*f),
            Value::Str(s) => Value::Str(Cow::Borrowed(s)),
            Value::Utf16(u) => Value::Utf16(u.clone()),
            Value::Array(items) => Value::Array(items.iter().map(Value::reborrow).collect()),
            Value::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_ref()), v.reborrow()))
                    .collect(),
            ),
            Value::Invalid(inv) => Value::Invalid(inv.clone()),
        }
    }

    /// The JSON-ish type name used in error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::BigInt(_) => "integer",
            Value::Float(_) => "float",
            Value::Str(_) | Value::Utf16(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Invalid(_) => "invalid value",
        }
    }

    /// Converts a parsed `serde_json` value (keys in document order).
    pub fn from_json(v: serde_json::Value) -> Value<'static> {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => number_from_json_text(&n.to_string()),
            serde_json::Value::String(s) => Value::Str(Cow::Owned(s)),
            serde_json::Value::Array(a) => {
                Value::Array(a.into_iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(o) => Value::Object(
                o.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Str(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }
}

impl From<i64> for Value<'_> {
    fn from(i: i64) -> Self {
        Value::Int(i.into())
    }
}

impl From<u64> for Value<'_> {
    fn from(i: u64) -> Self {
        Value::Int(i.into())
    }
}

impl From<f64> for Value<'_> {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// A JSON number literal as `JSON.parse` sees it: integers stay exact (ids sign
/// their decimal text; payloads round them to doubles later), other numbers
/// are correctly rounded to a double, overflowing to ±Infinity (→ `null`).
pub(crate) fn number_from_json_text<'a>(text: &str) -> Value<'a> {
    let is_integer = text.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if is_integer {
        match text.parse::<i128>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::BigInt(Cow::Owned(text.to_owned())),
        }
    } else {
        Value::Float(text.parse::<f64>().unwrap_or(f64::NAN))
    }
}
