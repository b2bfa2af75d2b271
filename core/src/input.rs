//! The sign-call input (`email`, `user_id`, `external_id`, `visitor`) and the
//! rules that turn it into the canonical string for a [`Scheme`].

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Path};
use crate::scheme::{Scheme, Source, Transform};
use crate::text;
use crate::value::Value;

/// A sign-call field name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `email`
    Email,
    /// `user_id` (also accepted as `userId`)
    UserId,
    /// `external_id` (also accepted as `externalId`)
    ExternalId,
    /// `visitor`
    Visitor,
    /// `name` (identity tokens: the user's display name)
    Name,
}

impl Field {
    /// Every field, in canonical order.
    pub const ALL: [Field; 5] = [
        Field::Email,
        Field::UserId,
        Field::ExternalId,
        Field::Visitor,
        Field::Name,
    ];

    /// The canonical (snake_case) name.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::UserId => "user_id",
            Field::ExternalId => "external_id",
            Field::Visitor => "visitor",
            Field::Name => "name",
        }
    }

    /// [`Field::from_name`], or `invalid_input` naming the unknown field and
    /// listing the known ones.
    ///
    /// ```
    /// let e = userhash::Field::parse("mail").unwrap_err();
    /// assert_eq!(e.to_string(), "unknown field \"mail\": expected email, user_id, external_id, visitor or name");
    /// ```
    pub fn parse(name: &str) -> Result<Field> {
        Field::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
            let (last, rest) = names.split_last().expect("fields exist");
            Error::invalid_input(format!(
                "unknown field {name:?}: expected {} or {last}",
                rest.join(", ")
            ))
        })
    }

    /// Looks a field up by its snake_case name or its camelCase alias.
    ///
    /// ```
    /// use userhash::Field;
    /// assert_eq!(Field::from_name("userId"), Some(Field::UserId));
    /// assert_eq!(Field::from_name("mail"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Field> {
        Field::from_bytes(name.as_bytes())
    }

    /// [`Field::from_name`] on the name's bytes, for callers holding bytes
    /// (the C ABI): every name is ASCII, so no UTF-8 check is needed first.
    ///
    /// ```
    /// use userhash::Field;
    /// assert_eq!(Field::from_bytes(b"externalId"), Some(Field::ExternalId));
    /// assert_eq!(Field::from_bytes(b"email\0"), None);
    /// ```
    pub fn from_bytes(name: &[u8]) -> Option<Field> {
        match name {
            b"email" => Some(Field::Email),
            b"user_id" | b"userId" => Some(Field::UserId),
            b"external_id" | b"externalId" => Some(Field::ExternalId),
            b"visitor" => Some(Field::Visitor),
            b"name" => Some(Field::Name),
            _ => None,
        }
    }
}

/// The fields of one sign call. Absent fields are `None`.
///
/// ```
/// use userhash::{Input, Value};
/// let mut input = Input::new();
/// input.set("email", Value::str("Alice@Example.COM")).unwrap();
/// assert!(input.set("mail", Value::Null).is_err());
/// assert_eq!(Input::email("a@b.c").get(userhash::Field::Email), Some(&Value::str("a@b.c")));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Input<'a> {
    fields: [Option<Value<'a>>; Field::ALL.len()],
    /// The JSON text of each field given by [`Input::set_json`], parsed into
    /// `parsed` only when the value is read (a visitor already in
    /// `JSON.stringify` form is signed from its text, never parsed).
    texts: [Option<&'a str>; Field::ALL.len()],
    parsed: [OnceLock<Value<'a>>; Field::ALL.len()],
}

// An input may be shared across threads (bindings sign with their runtime's lock released).
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Input<'static>>();
};

impl<'a> Input<'a> {
    /// An input with no fields.
    pub fn new() -> Input<'a> {
        Input::default()
    }

    /// An input with only `email`.
    pub fn email(email: &'a str) -> Input<'a> {
        let mut input = Input::new();
        input.set_field(Field::Email, Value::str(email));
        input
    }

    /// An input with only `user_id` given as a string.
    pub fn user_id(id: &'a str) -> Input<'a> {
        let mut input = Input::new();
        input.set_field(Field::UserId, Value::str(id));
        input
    }

    /// Sets a field by name (`email`, `user_id`/`userId`, `external_id`/`externalId`,
    /// `visitor`). An unknown name, or a field given twice, is `invalid_input`.
    pub fn set(&mut self, name: &str, value: Value<'a>) -> Result<()> {
        let field = self.unset(name)?;
        self.set_field(field, value);
        Ok(())
    }

    /// Sets a field by name from the JSON text of its value, read as
    /// `JSON.parse` reads it (as if [`json::parse_borrowed`] made the value;
    /// malformed text is an `invalid_json` error at that field when it is
    /// signed). Prefer it to parsing in a binding: a visitor already in
    /// `JSON.stringify` form is then signed in one pass over its text.
    ///
    /// ```
    /// use userhash::{Input, Signer};
    /// let signer = Signer::new(b"secret", "fluentbot").unwrap();
    /// let mut input = Input::new();
    /// input.set_json("visitor", r#"{"email":"a@b.c","name":"Ann","data":{"plan":1.50}}"#).unwrap();
    /// assert_eq!(signer.canonical(&input).unwrap(), r#"{"name":"Ann","email":"a@b.c","data":{"plan":1.5}}"#);
    /// ```
    pub fn set_json(&mut self, name: &str, text: &'a str) -> Result<()> {
        let field = self.unset(name)?;
        self.set_field_json(field, text);
        Ok(())
    }

    /// The field named `name`, if no value is set for it yet.
    fn unset(&self, name: &str) -> Result<Field> {
        let field = Field::parse(name)?;
        if self.has(field) {
            return Err(Error::invalid_input(format!(
                "field {} given twice",
                field.name()
            )));
        }
        Ok(field)
    }

    /// Sets a field, replacing any previous value.
    pub fn set_field(&mut self, field: Field, value: Value<'a>) {
        let i = field as usize;
        (self.fields[i], self.texts[i]) = (Some(value), None);
        self.parsed[i].take();
    }

    /// [`Input::set_json`] for a field, replacing any previous value.
    pub fn set_field_json(&mut self, field: Field, text: &'a str) {
        let i = field as usize;
        (self.fields[i], self.texts[i]) = (None, Some(text));
        self.parsed[i].take();
    }

    /// True when the field is given (as a value or as JSON text).
    pub fn has(&self, field: Field) -> bool {
        self.texts[field as usize].is_some() || self.fields[field as usize].is_some()
    }

    /// The value of a field, if given (JSON text given by [`Input::set_json`]
    /// is parsed on the first read; malformed text reads as [`Value::Invalid`]).
    pub fn get(&self, field: Field) -> Option<&Value<'a>> {
        let i = field as usize;
        match self.texts[i] {
            Some(text) => Some(self.parsed[i].get_or_init(|| {
                json::parse_borrowed(text)
                    .unwrap_or_else(|e| Value::invalid(e.code(), e.to_string()))
            })),
            None => self.fields[i].as_ref(),
        }
    }

    /// The JSON text of a field given by [`Input::set_json`].
    pub(crate) fn json_text(&self, field: Field) -> Option<&'a str> {
        self.texts[field as usize]
    }

    /// Parses JSON text holding an object of fields, e.g.
    /// `{"email":"a@b.c"}` or `{"visitor":{"name":"Ann","data":null}}`.
    /// Key order inside `visitor` is kept as written.
    pub fn from_json(text: &'a str) -> Result<Input<'a>> {
        // Text in JSON.stringify form: each field keeps its value's text (set_json).
        if let Some(entries) = json::stringified::object_entries(text) {
            let mut input = Input::new();
            for (i, &(k, v)) in entries.iter().enumerate() {
                match Field::from_name(k) {
                    // The same key twice in JSON text: the last value wins, as in JSON.parse.
                    Some(field) if entries[..i].iter().any(|&(seen, _)| seen == k) => {
                        input.set_field_json(field, v)
                    }
                    _ => input.set_json(k, v)?,
                }
            }
            return Ok(input);
        }
        // The wrapping object of fields is not part of any payload: one more level.
        match json::parse_nested(text, json::MAX_DEPTH + 1)? {
            Value::Object(entries) => {
                let mut input = Input::new();
                let mut seen: Vec<Cow<'_, str>> = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    match Field::from_name(&k) {
                        // The same key twice in JSON text: the last value wins, as in JSON.parse.
                        Some(field) if seen.contains(&k) => input.set_field(field, v),
                        _ => input.set(&k, v)?,
                    }
                    seen.push(k);
                }
                Ok(input)
            }
            other => Err(Error::invalid_input(format!(
                "input must be a JSON object of fields, got {}",
                other.type_name()
            ))),
        }
    }
}

/// The canonical string `scheme` signs for `input`: the exact bytes the vendor hashes.
///
/// ```
/// use userhash::{canonicalize, Input, Preset};
/// let input = Input::email("  Bob@X.COM\n");
/// assert_eq!(canonicalize(Preset::Supportwire.scheme(), &input).unwrap(), "bob@x.com");
/// ```
pub fn canonicalize<'i>(scheme: Scheme, input: &'i Input<'_>) -> Result<Cow<'i, str>> {
    Ok(match canonical_form(scheme, input)? {
        Canonical::Text(text) => text,
        Canonical::AsciiLowercase(ascii) => text::js_lowercase(ascii),
    })
}

/// A canonical form as the signer hashes it: its text, or ASCII text whose
/// lowercasing is left to the hash (done on the bytes as they are copied into
/// the SHA-256 block, so lowercasing allocates nothing and copies nothing).
pub(crate) enum Canonical<'i> {
    /// The canonical text.
    Text(Cow<'i, str>),
    /// ASCII text; the canonical form is its ASCII lowercasing (which for
    /// ASCII text is exactly JS `toLowerCase`).
    AsciiLowercase(&'i str),
}

/// [`canonicalize`], with an ASCII identity's lowercasing left to the caller.
pub(crate) fn canonical_form<'i>(scheme: Scheme, input: &'i Input<'_>) -> Result<Canonical<'i>> {
    let allowed = scheme.fields();
    for field in Field::ALL {
        if input.has(field) && !allowed.contains(&field) {
            return Err(Error::invalid_input(format!(
                "{scheme} signs {}; unexpected field {}",
                names(allowed),
                field.name()
            )));
        }
    }
    let (field, raw) = match scheme.source {
        Source::Email => (Field::Email, email(input)?),
        Source::UserId => (Field::UserId, id(input, Field::UserId)?),
        Source::ExternalIdOrEmail => id_or_email(input, Field::ExternalId)?,
        Source::UserIdOrEmail => id_or_email(input, Field::UserId)?,
        Source::VisitorJson => return Ok(Canonical::Text(visitor_payload(input)?)),
        Source::Token(kind) => {
            return Err(Error::invalid_input(format!(
                "{} makes identity tokens, not hashes: call token() instead",
                kind.name()
            )))
        }
    };
    let canonical = apply(scheme.transform, raw);
    let empty = match &canonical {
        Canonical::Text(text) => text.is_empty(),
        Canonical::AsciiLowercase(ascii) => ascii.is_empty(),
    };
    if empty {
        let after = match scheme.transform {
            Transform::TrimLowercase => " after trimming",
            _ => "",
        };
        return Err(Error::new(
            ErrorCode::EmptyIdentity,
            format!(
                "{} is empty{after}: userhash never signs an empty identity",
                field.name()
            ),
        ));
    }
    Ok(canonical)
}

fn apply(transform: Transform, raw: Cow<'_, str>) -> Canonical<'_> {
    fn rule(transform: Transform, s: &str) -> Option<Cow<'_, str>> {
        match transform {
            Transform::AsIs => None,
            Transform::Lowercase => Some(text::js_lowercase(s)),
            Transform::TrimLowercase => Some(text::js_trim_lowercase(s)),
        }
    }
    Canonical::Text(match raw {
        Cow::Borrowed(r) => {
            let trimmed = match transform {
                Transform::AsIs => r,
                Transform::Lowercase => r,
                Transform::TrimLowercase => text::js_trim(r),
            };
            if transform != Transform::AsIs && trimmed.is_ascii() {
                // JS toLowerCase of ASCII text is its ASCII lowercasing.
                return Canonical::AsciiLowercase(trimmed);
            }
            rule(transform, r).unwrap_or(Cow::Borrowed(r))
        }
        Cow::Owned(s) => match rule(transform, &s) {
            Some(changed) => Cow::Owned(changed.into_owned()),
            None => Cow::Owned(s),
        },
    })
}

pub(crate) fn names(fields: &[Field]) -> String {
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    names.join(" or ")
}

fn required<'i, 'a>(input: &'i Input<'a>, field: Field) -> Result<&'i Value<'a>> {
    input
        .get(field)
        .ok_or_else(|| Error::invalid_input(format!("missing field {}", field.name())))
}

fn email<'i>(input: &'i Input<'_>) -> Result<Cow<'i, str>> {
    match required(input, Field::Email)? {
        Value::Str(s) => Ok(Cow::Borrowed(s.as_ref())),
        Value::Utf16(_) => Err(lone_surrogate(Field::Email)),
        Value::Invalid(inv) => Err(Path::new("email").error(inv.code, &inv.what)),
        other => Err(
            Error::invalid_input(format!("must be a string, got {}", describe(other))).at("email"),
        ),
    }
}

fn id<'i>(input: &'i Input<'_>, field: Field) -> Result<Cow<'i, str>> {
    match required(input, field)? {
        Value::Str(s) => Ok(Cow::Borrowed(s.as_ref())),
        Value::Utf16(_) => Err(lone_surrogate(field)),
        Value::Int(i) => Ok(Cow::Owned(i.to_string())),
        Value::BigInt(digits) => {
            let body = digits.strip_prefix('-').unwrap_or(digits);
            if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
                return Err(
                    Error::invalid_input(format!("{digits:?} is not a decimal integer"))
                        .at(field.name()),
                );
            }
            Ok(Cow::Borrowed(digits.as_ref()))
        }
        Value::Invalid(inv) => Err(Path::new(field.name()).error(inv.code, &inv.what)),
        other => Err(Error::invalid_input(format!(
            "must be a string or an integer, got {}",
            describe(other)
        ))
        .at(field.name())),
    }
}

/// `id_field` when present and not null, else the email.
fn id_or_email<'i>(input: &'i Input<'_>, id_field: Field) -> Result<(Field, Cow<'i, str>)> {
    match input.get(id_field) {
        Some(v) if *v != Value::Null => {
            // The email is not signed here, but a mistyped one is still a bug to report.
            if matches!(input.get(Field::Email), Some(e) if *e != Value::Null) {
                email(input)?;
            }
            Ok((id_field, id(input, id_field)?))
        }
        _ => Ok((Field::Email, email(input)?)),
    }
}

/// An email or id with an unpaired surrogate: the vendor's snippet would hash
/// U+FFFD in its place (TextEncoder), which is never what the caller meant.
fn lone_surrogate(field: Field) -> Error {
    Error::invalid_input(
        "contains a lone surrogate (an unpaired UTF-16 code unit), which has no UTF-8 form; \
         the vendor's snippet would sign U+FFFD in its place: pass well-formed text",
    )
    .at(field.name())
}

/// `JSON.stringify({name: v.name, email: v.email, data: v.data ?? null})`.
fn visitor_payload<'i>(input: &'i Input<'_>) -> Result<Cow<'i, str>> {
    if let Some(payload) = input
        .json_text(Field::Visitor)
        .and_then(visitor_payload_from_text)
    {
        return Ok(payload);
    }
    let entries = match required(input, Field::Visitor)? {
        Value::Object(entries) => entries,
        Value::Invalid(inv) => return Err(Path::new("visitor").error(inv.code, &inv.what)),
        other => {
            return Err(Error::invalid_input(format!(
                "must be an object with name, email and data, got {}",
                describe(other)
            ))
            .at("visitor"))
        }
    };
    // Last occurrence wins, as for a JS object built from these entries.
    let lookup = |key: &str| entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
    let (name, email, data) = (lookup("name"), lookup("email"), lookup("data"));
    let blank = |v: Option<&Value<'_>>| match v {
        None | Some(Value::Null) => true,
        Some(Value::Str(s)) => s.is_empty(),
        _ => false,
    };
    if blank(name) && blank(email) && blank(data) {
        return Err(Error::new(
            ErrorCode::EmptyIdentity,
            "visitor has no name, email or data: userhash never signs an empty identity",
        ));
    }
    let mut out = String::with_capacity(256);
    out.push('{');
    for (key, value) in [("name", name), ("email", email)] {
        if let Some(v) = value {
            json::write_string(&mut out, key);
            out.push(':');
            json::write_value(&mut out, v, 2, &mut Path::new_child("visitor", key))?;
            out.push(',');
        }
    }
    out.push_str("\"data\":");
    match data {
        Some(v) => json::write_value(&mut out, v, 2, &mut Path::new_child("visitor", "data"))?,
        None => out.push_str("null"),
    }
    out.push('}');
    Ok(Cow::Owned(out))
}

/// The visitor payload straight from the visitor's JSON text, in one pass,
/// when all of it is in `JSON.stringify` form (see [`json::stringified`]) and
/// the identity is not empty; `None` sends the caller to the parser.
fn visitor_payload_from_text(text: &str) -> Option<Cow<'_, str>> {
    let entries = json::stringified::object_entries(text)?;
    // Last occurrence wins, as for a JS object built from these entries.
    let lookup = |key: &str| {
        entries
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|&(_, v)| v)
    };
    let (name, email, data) = (lookup("name"), lookup("email"), lookup("data"));
    if [name, email, data]
        .iter()
        .all(|v| matches!(v, None | Some("null" | "\"\"")))
    {
        return None;
    }
    if let [("name", _), ("email", _), ("data", _)] = entries.as_slice() {
        return Some(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len() + 16);
    out.push('{');
    for (key, value) in [("\"name\":", name), ("\"email\":", email)] {
        if let Some(v) = value {
            out.push_str(key);
            out.push_str(v);
            out.push(',');
        }
    }
    out.push_str("\"data\":");
    out.push_str(data.unwrap_or("null"));
    out.push('}');
    Some(Cow::Owned(out))
}

/// A short description of a value for error messages (`a float (1.5)`).
fn describe(v: &Value<'_>) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Int(i) => format!("an integer ({i})"),
        Value::BigInt(d) => format!("an integer ({d})"),
        Value::Float(f) => format!("a float ({f:?})"),
        Value::Str(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("a string ({short:?}{more})")
        }
        Value::Utf16(_) => "a string with a lone surrogate".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Invalid(inv) => inv.what.clone(),
    }
}
