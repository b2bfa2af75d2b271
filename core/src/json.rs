//! `JSON.stringify` and `JSON.parse`, exactly as Node runs them.
//!
//! * Object keys: array-index keys (`"0"` … `"4294967294"`, canonical decimal)
//!   first in ascending numeric order, then the rest in insertion order; a
//!   duplicate key keeps its first position and its last value.
//! * Numbers are doubles formatted by ECMAScript `Number::toString` (`ryu-js`);
//!   NaN and ±Infinity become `null`.
//! * Strings escape `"`, `\` and U+0000–U+001F only (`\b \f \n \r \t`, else
//!   `\u00xx`); everything else, U+2028/U+2029 included, is written raw.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::error::{Error, ErrorCode, Result};
use crate::value::Value;

mod lone;
pub(crate) mod stringified;

/// The deepest nesting of arrays/objects the core serializes.
///
/// For a `fluentbot` payload the outer `{name, email, data}` object is level 1,
/// so `data` may hold 127 more levels. Deeper input fails with `too_deep`.
pub const MAX_DEPTH: usize = 128;

/// One step of the path to a value, for error messages.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Seg<'p> {
    Key(&'p str),
    Index(usize),
}

/// A path like `visitor.data.items[3]`, rendered only when an error occurs.
pub(crate) struct Path<'p> {
    root: &'p str,
    segs: Vec<Seg<'p>>,
}

impl<'p> Path<'p> {
    pub(crate) fn new(root: &'p str) -> Self {
        Path {
            root,
            segs: Vec::new(),
        }
    }

    pub(crate) fn new_child(root: &'p str, key: &'p str) -> Self {
        Path {
            root,
            segs: vec![Seg::Key(key)],
        }
    }

    pub(crate) fn render(&self) -> String {
        let mut s = String::from(self.root);
        for seg in &self.segs {
            match seg {
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => {
                    let _ = write!(s, "[{i}]");
                }
            }
        }
        s
    }

    pub(crate) fn error(&self, code: ErrorCode, what: &str) -> Error {
        Error::new(code, what).at(self.render())
    }
}

/// `JSON.stringify(value)` for a value as it would be after crossing into JS.
///
/// ```
/// use userhash::{json, Value};
/// let v = Value::Object(vec![
///     ("b".into(), Value::Float(1.0)),
///     ("10".into(), Value::Float(1e21)),
///     ("2".into(), Value::str("</script>\u{2028}")),
/// ]);
/// assert_eq!(json::stringify(&v).unwrap(), "{\"2\":\"</script>\u{2028}\",\"10\":1e+21,\"b\":1}");
/// ```
pub fn stringify(value: &Value<'_>) -> Result<String> {
    let mut out = String::new();
    let mut path = Path::new("value");
    write_value(&mut out, value, 1, &mut path)?;
    Ok(out)
}

/// `JSON.stringify(JSON.parse(text))`: the canonical form of any JSON text.
///
/// ```
/// let s = userhash::json::canonicalize_text(r#"{"a":1.0,"1":[-0,5e-324],"a":2}"#).unwrap();
/// assert_eq!(s, r#"{"1":[0,5e-324],"a":2}"#);
/// ```
pub fn canonicalize_text(text: &str) -> Result<String> {
    stringify(&parse(text)?)
}

/// True when `text` already is `JSON.stringify(JSON.parse(text))`, decided in
/// one pass without parsing (see docs/canonicalization.md). `false` means
/// "not sure": [`canonicalize_text`] gives the answer either way.
///
/// ```
/// use userhash::json::is_stringified;
/// assert!(is_stringified(r#"{"a":[1,0.5,"x\n"]}"#));
/// assert!(!is_stringified(r#"{"a": 1}"#) && !is_stringified("1.0") && !is_stringified(r#""\/""#));
/// ```
pub fn is_stringified(text: &str) -> bool {
    stringified::is_stringified(text)
}

/// Parses JSON text as `JSON.parse` would: duplicate keys keep the first
/// position and the last value; numbers stay exact until serialized.
///
/// Errors: `invalid_json` for malformed text, `too_deep` past [`MAX_DEPTH`].
///
/// ```
/// let v = userhash::json::parse("[1, 2]").unwrap();
/// assert_eq!(v, userhash::Value::Array(vec![userhash::Value::Int(1), userhash::Value::Int(2)]));
/// assert_eq!(userhash::json::parse("{").unwrap_err().code().as_str(), "invalid_json");
/// ```
pub fn parse(text: &str) -> Result<Value<'static>> {
    parse_borrowed(text).map(Value::into_owned)
}

/// [`parse`] without copying: strings and keys without escapes borrow from `text`.
///
/// ```
/// let v = userhash::json::parse_borrowed(r#"{"k":"v"}"#).unwrap();
/// assert_eq!(userhash::json::stringify(&v).unwrap(), r#"{"k":"v"}"#);
/// ```
pub fn parse_borrowed(text: &str) -> Result<Value<'_>> {
    parse_nested(text, MAX_DEPTH)
}

/// [`parse_borrowed`] with a nesting limit of `limit` levels instead of
/// [`MAX_DEPTH`] (for documents that hold payloads, such as vector files).
pub fn parse_with_limit(text: &str, limit: usize) -> Result<Value<'_>> {
    parse_nested(text, limit)
}

/// [`parse`] with a nesting limit of `limit` levels (for texts that wrap a
/// payload in one more object, such as `{"visitor": …}`).
pub(crate) fn parse_nested(text: &str, limit: usize) -> Result<Value<'_>> {
    if let Some(depth) = nesting_exceeds(text, limit) {
        return Err(Error::new(
            ErrorCode::TooDeep,
            format!("JSON text nests deeper than {limit} levels (at least {depth})"),
        ));
    }
    if let Some((marked, marker)) = lone::mark(text)? {
        let value = parse_marked(&marked)?.into_owned();
        return lone::unmark(value, marker);
    }
    parse_marked(text)
}

/// The serde_json pass of [`parse_nested`] (lone surrogates already marked).
fn parse_marked(text: &str) -> Result<Value<'_>> {
    let mut de = serde_json::Deserializer::from_str(text);
    // The pre-scan in parse_nested bounds the depth, so serde's own recursion is safe.
    de.disable_recursion_limit();
    serde::Deserializer::deserialize_any(&mut de, ValueVisitor)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| Error::new(ErrorCode::InvalidJson, format!("invalid JSON: {e}")))
}

/// serde_json's `arbitrary_precision` hands a number to `visit_map` as a
/// one-entry map under this key, with the literal's text as the value.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Builds a [`Value`] straight from the parser (no intermediate tree),
/// borrowing strings and keys from the text where they have no escapes.
struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Self::Value, E> {
        Ok(Value::Int(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Self::Value, E> {
        Ok(Value::Int(u.into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Self::Value, E> {
        Ok(Value::Float(f))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Owned(s)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::NumberToken => return map.next_value_seed(NumberSeed),
                Key::Name(name) => entries.push((name, map.next_value_seed(ValueSeed)?)),
            }
        }
        // Duplicate keys stay; serialization merges them as JSON.parse does.
        Ok(Value::Object(entries))
    }
}

struct ValueSeed;

enum Key<'de> {
    NumberToken,
    Name(Cow<'de, str>),
}

/// An object key, recognizing serde_json's number token without allocating.
struct KeySeed;

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(if s == NUMBER_TOKEN {
            Key::NumberToken
        } else {
            Key::Name(Cow::Borrowed(s))
        })
    }

    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(if s == NUMBER_TOKEN {
            Key::NumberToken
        } else {
            Key::Name(Cow::Owned(s.to_owned()))
        })
    }
}

/// A number literal's text (from serde_json's `arbitrary_precision`), read in place.
struct NumberSeed;

impl<'de> serde::de::DeserializeSeed<'de> for NumberSeed {
    type Value = Value<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for NumberSeed {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number literal")
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(crate::value::number_from_json_text(text))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed {
    type Value = Value<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Returns the depth reached if the brackets outside strings nest past `limit`.
fn nesting_exceeds(text: &str, limit: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The first value inside `value` that a binding could not convert (a [`Value::Invalid`]),
/// as its error at its path below `root` (`options.nonce`).
pub(crate) fn first_invalid(value: &Value<'_>, root: &str) -> Result<()> {
    fn walk<'v>(value: &'v Value<'_>, path: &mut Path<'v>) -> Result<()> {
        let mut at = |seg, item| {
            path.segs.push(seg);
            walk(item, path).map(|()| path.segs.truncate(path.segs.len() - 1))
        };
        match value {
            Value::Invalid(inv) => Err(path.error(inv.code, &inv.what)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| at(Seg::Index(i), v)),
            Value::Object(entries) => entries.iter().try_for_each(|(k, v)| at(Seg::Key(k), v)),
            _ => Ok(()),
        }
    }
    walk(value, &mut Path::new(root))
}

pub(crate) fn write_value<'v>(
    out: &mut String,
    value: &'v Value<'_>,
    depth: usize,
    path: &mut Path<'v>,
) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => write_number(out, *i as f64),
        Value::BigInt(digits) => write_number(out, big_int_to_f64(digits, path)?),
        Value::Float(f) => write_number(out, *f),
        Value::Str(s) => write_string(out, s),
        Value::Utf16(units) => write_utf16(out, units),
        Value::Array(items) => {
            check_depth(depth, path)?;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                path.segs.push(Seg::Index(i));
                write_value(out, item, depth + 1, path)?;
                path.segs.pop();
            }
            out.push(']');
        }
        Value::Object(entries) => {
            check_depth(depth, path)?;
            out.push('{');
            if in_js_order(entries) {
                for (i, (key, item)) in entries.iter().enumerate() {
                    write_entry(out, i, key, item, depth, path)?;
                }
            } else {
                for (i, (key, item)) in js_property_order(entries).into_iter().enumerate() {
                    write_entry(out, i, key, item, depth, path)?;
                }
            }
            out.push('}');
        }
        Value::Invalid(inv) => return Err(path.error(inv.code, &inv.what)),
    }
    Ok(())
}

fn write_entry<'v>(
    out: &mut String,
    index: usize,
    key: &'v str,
    item: &'v Value<'_>,
    depth: usize,
    path: &mut Path<'v>,
) -> Result<()> {
    if index > 0 {
        out.push(',');
    }
    write_string(out, key);
    out.push(':');
    path.segs.push(Seg::Key(key));
    write_value(out, item, depth + 1, path)?;
    path.segs.pop();
    Ok(())
}

/// True when insertion order already is JS property order: no array-index
/// key (none starts with a digit) and no key given twice. The common case,
/// checked without allocating.
fn in_js_order(entries: &[(Cow<'_, str>, Value<'_>)]) -> bool {
    if entries
        .iter()
        .any(|(k, _)| k.as_bytes().first().is_some_and(u8::is_ascii_digit))
    {
        return false;
    }
    if entries.len() <= 16 {
        entries
            .iter()
            .enumerate()
            .all(|(i, (k, _))| entries[..i].iter().all(|(earlier, _)| earlier != k))
    } else {
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
        keys.sort_unstable();
        keys.windows(2).all(|w| w[0] != w[1])
    }
}

fn check_depth(depth: usize, path: &Path<'_>) -> Result<()> {
    if depth > MAX_DEPTH {
        Err(path.error(
            ErrorCode::TooDeep,
            &format!("nesting deeper than {MAX_DEPTH} levels"),
        ))
    } else {
        Ok(())
    }
}

fn big_int_to_f64(digits: &str, path: &Path<'_>) -> Result<f64> {
    let body = digits.strip_prefix('-').unwrap_or(digits);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(path.error(
            ErrorCode::InvalidInput,
            &format!("{digits:?} is not a decimal integer"),
        ));
    }
    // Rust's float parsing is correctly rounded, as JSON.parse is.
    Ok(digits.parse::<f64>().unwrap_or(f64::NAN))
}

/// ECMAScript `Number::toString`; NaN and ±Infinity serialize as `null`.
pub(crate) fn write_number_js(out: &mut String, f: f64) {
    write_number(out, f)
}

fn write_number(out: &mut String, f: f64) {
    if !f.is_finite() {
        out.push_str("null");
    } else if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        // Below 2^53 the shortest round-trip digits of an integral double are its
        // exact decimal digits (and -0 is "0"); above, JS pads shortest digits
        // with zeros (2^64 → "18446744073709552000"), which ryu-js does.
        out.push_str(itoa::Buffer::new().format(f as i64));
    } else {
        out.push_str(ryu_js::Buffer::new().format_finite(f));
    }
}

/// JSON.stringify's QuoteJSONString for UTF-16 code units: paired surrogates
/// as their character, a lone surrogate as a lowercase `\udXXX` escape.
fn write_utf16(out: &mut String, units: &[u16]) {
    out.push('"');
    for unit in char::decode_utf16(units.iter().copied()) {
        match unit {
            Ok(c) => {
                let mut buf = [0u8; 4];
                let quoted = {
                    let mut one = String::new();
                    write_string(&mut one, c.encode_utf8(&mut buf));
                    one
                };
                out.push_str(&quoted[1..quoted.len() - 1]);
            }
            Err(lone) => {
                let _ = write!(out, "\\u{:04x}", lone.unpaired_surrogate());
            }
        }
    }
    out.push('"');
}

/// JSON.stringify's QuoteJSONString for a well-formed (UTF-8) string.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[b as usize];
        if escape == 0 {
            continue;
        }
        out.push_str(&s[start..i]);
        match escape {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            short => {
                out.push('\\');
                out.push(short as char);
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// For each byte: 0 = written raw; else the escape letter (`u` = `\u00xx`).
pub(crate) static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// True for a canonical array index: the decimal text of an integer in
/// 0 ..= 2^32 − 2 with no sign and no leading zero.
///
/// ```
/// use userhash::json::is_array_index;
/// assert!(is_array_index("0") && is_array_index("4294967294"));
/// assert!(!is_array_index("01") && !is_array_index("-1") && !is_array_index("4294967295"));
/// ```
pub fn is_array_index(key: &str) -> bool {
    array_index(key).is_some()
}

fn array_index(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    if !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    (n < u64::from(u32::MAX)).then_some(n as u32)
}

/// The entries of an object in JS own-property order, duplicates merged
/// (first position, last value).
fn js_property_order<'v, 'a>(
    entries: &'v [(Cow<'a, str>, Value<'a>)],
) -> Vec<(&'v str, &'v Value<'a>)> {
    let mut merged: Vec<(&'v str, &'v Value<'a>)> = Vec::with_capacity(entries.len());
    let has_duplicates = {
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_ref()).collect();
        keys.sort_unstable();
        keys.windows(2).any(|w| w[0] == w[1])
    };
    if has_duplicates {
        let mut position = std::collections::HashMap::with_capacity(entries.len());
        for (k, v) in entries {
            match position.get(k.as_ref()) {
                Some(&at) => merged[at] = (k.as_ref(), v),
                None => {
                    position.insert(k.as_ref(), merged.len());
                    merged.push((k.as_ref(), v));
                }
            }
        }
    } else {
        merged.extend(entries.iter().map(|(k, v)| (k.as_ref(), v)));
    }
    // Stable sort: index keys first by numeric value, the rest keep insertion order.
    merged.sort_by_key(|(k, _)| array_index(k).map_or(u64::MAX, u64::from));
    merged
}
