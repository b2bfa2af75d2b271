//! `Signer::diagnose`: why a hash does not match. Searches the mistakes people
//! make when they sign an identity by hand — another field, another language's
//! lowercase or trim, another JSON serializer, a secret with a newline, the
//! wrong output encoding — and reports the one that reproduces the hash.
//! Every variant has a stable id; `docs/doctor.md` lists them.

mod serializers;
mod stdlib;

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::input::{canonicalize, Field, Input};
use crate::mac::PreparedKey;
use crate::scheme::{Scheme, Source, Transform};
use crate::signer::Signer;
use crate::text;
use crate::value::Value;
use serializers::Style;

/// Candidates tried at most, so a diagnosis always finishes in milliseconds.
pub const MAX_CANDIDATES: usize = 20_000;

/// One mistake: a stable id and a one-line explanation naming the function
/// or language responsible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mistake {
    /// Stable id (`python_strip`, `uppercase_hex`, …).
    pub id: &'static str,
    /// One line, never containing the secret.
    pub explanation: String,
}

/// The result of [`Signer::diagnose`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// Whether some variant (or the correct rule) reproduces the hash.
    pub matched: bool,
    /// The mistakes that reproduce it (empty when the hash is correct).
    pub mistakes: Vec<Mistake>,
    /// What the preset signs for this input, or why it cannot sign it.
    pub expected_canonical: std::result::Result<String, String>,
    /// The message that was evidently signed (never the secret).
    pub signed_canonical: Option<String>,
    /// The first byte offset where `signed_canonical` differs from the expected one.
    pub first_difference: Option<usize>,
    /// How many candidates were hashed.
    pub tried: usize,
}

impl Diagnosis {
    /// The keys of [`Diagnosis::to_value`], in order: what bindings name the
    /// fields of their diagnosis type after (a key added here reaches them all).
    pub const KEYS: [&'static str; 9] = [
        "matched",
        "variant",
        "explanation",
        "expected_canonical",
        "expected_error",
        "signed_canonical",
        "first_difference",
        "mistakes",
        "tried",
    ];

    /// The variant id: the mistakes' ids joined by `+`, `correct` when the hash
    /// is right, `none` when nothing reproduces it.
    pub fn variant(&self) -> String {
        match (self.matched, self.mistakes.is_empty()) {
            (false, _) => "none".to_owned(),
            (true, true) => "correct".to_owned(),
            (true, false) => self
                .mistakes
                .iter()
                .map(|m| m.id)
                .collect::<Vec<_>>()
                .join("+"),
        }
    }

    /// One paragraph for people.
    pub fn explanation(&self) -> String {
        match (self.matched, self.mistakes.is_empty()) {
            (false, _) => "no known mistake reproduces this hash: it was most likely made with another secret \
                           (another widget or environment, or a rotated secret not passed as previous) or for \
                           another identity than the one given here"
                .to_owned(),
            (true, true) => "the hash is correct for this identity and secret: if the vendor still refuses it, \
                             the widget received a different identity, or the vendor holds another secret"
                .to_owned(),
            (true, false) => {
                let parts: Vec<&str> = self.mistakes.iter().map(|m| m.explanation.as_str()).collect();
                parts.join("; ")
            }
        }
    }

    /// The diagnosis as a JSON object: `matched`, `variant`, `explanation`,
    /// `expected_canonical` (null when the preset cannot sign the input, then
    /// `expected_error`), `signed_canonical`, `first_difference`, `mistakes`
    /// (`[{id, explanation}]`), `tried`.
    pub fn to_value(&self) -> Value<'static> {
        let opt = |s: &Option<String>| s.clone().map_or(Value::Null, Value::from);
        let mistakes = self
            .mistakes
            .iter()
            .map(|m| {
                Value::Object(vec![
                    ("id".into(), Value::from(m.id.to_owned())),
                    ("explanation".into(), Value::from(m.explanation.clone())),
                ])
            })
            .collect();
        let (expected, error) = match &self.expected_canonical {
            Ok(c) => (Value::from(c.clone()), Value::Null),
            Err(e) => (Value::Null, Value::from(e.clone())),
        };
        let values = [
            Value::Bool(self.matched),
            Value::from(self.variant()),
            Value::from(self.explanation()),
            expected,
            error,
            opt(&self.signed_canonical),
            self.first_difference
                .map_or(Value::Null, |d| Value::Int(d as i128)),
            Value::Array(mistakes),
            Value::Int(self.tried as i128),
        ];
        Value::Object(
            Diagnosis::KEYS
                .iter()
                .map(|k| (*k).into())
                .zip(values)
                .collect(),
        )
    }
}

type TextFn = fn(&str) -> Cow<'_, str>;

/// Each normalization users apply, with the transform it equals (if any).
const NORMALIZATIONS: &[(&str, TextFn, &str)] = &[
    (
        "as_is",
        |s| Cow::Borrowed(s),
        "signed as given, not normalized",
    ),
    (
        "js_lowercase",
        text::js_lowercase,
        "lowercased (JS toLowerCase, Python lower, PHP 8.3+ mb_strtolower)",
    ),
    (
        "js_trim_lowercase",
        text::js_trim_lowercase,
        "trimmed and lowercased (JS trim().toLowerCase())",
    ),
    (
        "js_trim",
        |s| Cow::Borrowed(text::js_trim(s)),
        "trimmed (JS trim) but not lowercased",
    ),
    (
        "ascii_lowercase",
        |s| Cow::Owned(stdlib::ascii_lowercase(s)),
        "only ASCII letters lowercased (PHP strtolower)",
    ),
    (
        "ruby_downcase",
        |s| Cow::Owned(stdlib::ruby_downcase(s)),
        "lowercased by Ruby downcase or PHP mb_strtolower before 8.3 (no final-sigma rule: Σ → σ)",
    ),
    (
        "go_to_lower",
        |s| Cow::Owned(stdlib::go_to_lower(s)),
        "lowercased by Go strings.ToLower (İ → i, no final sigma)",
    ),
    (
        "python_casefold",
        |s| Cow::Owned(stdlib::python_casefold(s)),
        "case-folded by Python str.casefold() (ß → ss)",
    ),
    (
        "turkish_lowercase",
        |s| Cow::Owned(stdlib::turkish_lowercase(s)),
        "lowercased in a Turkish locale (Java toLowerCase(): I → ı)",
    ),
    (
        "python_strip",
        |s| Cow::Borrowed(stdlib::python_strip(s)),
        "trimmed by Python str.strip() (strips U+0085 and U+001C–U+001F, keeps U+FEFF)",
    ),
    (
        "python_strip_lower",
        |s| text::js_lowercase(stdlib::python_strip(s)),
        "trimmed and lowercased by Python str.strip().lower()",
    ),
    (
        "php_trim",
        |s| Cow::Borrowed(stdlib::php_trim(s)),
        "trimmed by PHP trim() (ASCII space, \\t \\n \\r \\0 \\x0B only)",
    ),
    (
        "php_trim_strtolower",
        |s| Cow::Owned(stdlib::ascii_lowercase(stdlib::php_trim(s))),
        "trimmed and lowercased by PHP strtolower(trim())",
    ),
    (
        "php_trim_mb_strtolower",
        |s| text::js_lowercase(stdlib::php_trim(s)),
        "trimmed and lowercased by PHP 8.3+ mb_strtolower(trim())",
    ),
    (
        "php_trim_mb_strtolower",
        |s| Cow::Owned(stdlib::ruby_downcase(stdlib::php_trim(s))),
        "trimmed and lowercased by PHP mb_strtolower(trim()) before PHP 8.3 (no final-sigma rule)",
    ),
    (
        "ruby_strip",
        |s| Cow::Borrowed(stdlib::ruby_strip(s)),
        "trimmed by Ruby strip (ASCII whitespace and NUL only)",
    ),
    (
        "ruby_strip_downcase",
        |s| Cow::Owned(stdlib::ruby_downcase(stdlib::ruby_strip(s))),
        "trimmed and lowercased by Ruby strip.downcase",
    ),
    (
        "go_trim_space",
        |s| Cow::Borrowed(stdlib::go_trim_space(s)),
        "trimmed by Go strings.TrimSpace (strips U+0085, keeps U+FEFF)",
    ),
    (
        "go_trim_space_to_lower",
        |s| Cow::Owned(stdlib::go_to_lower(stdlib::go_trim_space(s))),
        "trimmed and lowercased by Go strings.ToLower(strings.TrimSpace())",
    ),
];

/// The normalization id a scheme's own transform corresponds to.
fn own_normalization(transform: Transform) -> &'static str {
    match transform {
        Transform::AsIs => "as_is",
        Transform::Lowercase => "js_lowercase",
        Transform::TrimLowercase => "js_trim_lowercase",
    }
}

/// Payload serializers: (id, style, explanation).
const SERIALIZERS: &[(&str, Style, &str)] = &[
    ("python_json_dumps", Style::PYTHON, "serialized by Python json.dumps() defaults (spaces after , and :, non-ASCII as \\u escapes)"),
    ("python_json_dumps_compact", Style::PYTHON_COMPACT, "serialized by Python json.dumps(separators=(',', ':')) (non-ASCII as \\u escapes, 1.0 kept)"),
    ("python_json_dumps_sort_keys", Style::PYTHON_SORTED, "serialized by Python json.dumps(sort_keys=True)"),
    ("php_json_encode", Style::PHP, "serialized by PHP json_encode() default flags (\\/ and \\u escapes, 1.0 written as 1)"),
    ("go_encoding_json", Style::GO, "serialized by Go encoding/json (keys sorted, < > & escaped)"),
    ("ruby_to_json", Style::RUBY, "serialized by Ruby to_json (1.0 kept, Float#to_s exponents)"),
    ("pretty_json", Style::PRETTY, "pretty-printed JSON (JSON.stringify(v, null, 2) or similar)"),
];

/// A message candidate: the text and the mistakes that produced it.
struct Message {
    text: String,
    mistakes: Vec<Mistake>,
}

fn mistake(id: &'static str, explanation: impl Into<String>) -> Mistake {
    Mistake {
        id,
        explanation: explanation.into(),
    }
}

/// The text of a string or integer field (what a hand-written snippet would sign).
fn field_text(input: &Input<'_>, field: Field) -> Option<String> {
    match input.get(field)? {
        Value::Str(s) => Some(s.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::BigInt(d) => Some(d.to_string()),
        _ => None,
    }
}

/// The field the scheme signs for this input (the one `canonicalize` picks).
fn signed_field(scheme: Scheme, input: &Input<'_>) -> Option<Field> {
    match scheme.source {
        Source::Email => Some(Field::Email),
        Source::UserId => Some(Field::UserId),
        Source::ExternalIdOrEmail | Source::UserIdOrEmail => {
            let id = if scheme.source == Source::UserIdOrEmail {
                Field::UserId
            } else {
                Field::ExternalId
            };
            match input.get(id) {
                Some(v) if *v != Value::Null => Some(id),
                _ => Some(Field::Email),
            }
        }
        Source::VisitorJson | Source::Token(_) => None,
    }
}

fn messages(scheme: Scheme, input: &Input<'_>, expected: Option<&str>) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::new();
    // One candidate per text, with the fewest mistakes that make it (the first
    // in the tables' order among equals): `signed_email` on an email that is
    // already normalized is not `signed_email+as_is`.
    let mut push =
        |text: String, mistakes: Vec<Mistake>| match out.iter_mut().find(|m| m.text == text) {
            Some(m) if m.mistakes.len() > mistakes.len() => m.mistakes = mistakes,
            Some(_) => {}
            None => out.push(Message { text, mistakes }),
        };
    if let Some(e) = expected {
        push(e.to_owned(), Vec::new());
    }
    let wanted = signed_field(scheme, input);
    let own = own_normalization(scheme.transform);
    for field in [Field::Email, Field::UserId, Field::ExternalId] {
        let Some(raw) = field_text(input, field) else {
            continue;
        };
        let mut field_mistakes = Vec::new();
        if wanted.is_some_and(|w| w != field) || wanted.is_none() {
            let signs = wanted.map_or("a JSON payload", |w| w.name());
            field_mistakes.push(mistake(
                match field {
                    Field::Email => "signed_email",
                    Field::UserId => "signed_user_id",
                    _ => "signed_external_id",
                },
                format!(
                    "signed the {} although {scheme} signs {signs} here",
                    field.name()
                ),
            ));
        }
        for (id, f, why) in NORMALIZATIONS {
            let mut ms = field_mistakes.clone();
            if *id != own {
                ms.push(mistake(id, format!("the {} was {why}", field.name())));
            }
            push(f(&raw).into_owned(), ms);
        }
        if matches!(field, Field::UserId | Field::ExternalId) {
            let digits = raw.strip_prefix('-').unwrap_or(&raw);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                let mut ms = field_mistakes.clone();
                ms.push(mistake("id_float", format!("the {} was written as a float ({raw}.0): Python str(float), PHP/JS number formatting", field.name())));
                push(format!("{raw}.0"), ms);
                let trimmed = digits.trim_start_matches('0');
                if trimmed.len() != digits.len() {
                    let mut ms = field_mistakes.clone();
                    ms.push(mistake(
                        "id_leading_zeros",
                        format!(
                            "the {}'s leading zeros were dropped (parsed as an integer)",
                            field.name()
                        ),
                    ));
                    push(
                        format!(
                            "{}{}",
                            if raw.starts_with('-') { "-" } else { "" },
                            if trimmed.is_empty() { "0" } else { trimmed }
                        ),
                        ms,
                    );
                }
            }
            let mut ms = field_mistakes.clone();
            ms.push(mistake(
                "id_json_quoted",
                format!(
                    "the {} was JSON-encoded with its quotes (\"{raw}\")",
                    field.name()
                ),
            ));
            push(format!("\"{raw}\""), ms);
        }
    }
    if let Some(Value::Object(entries)) = input.get(Field::Visitor) {
        let lookup = |key: &str| {
            entries
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.reborrow())
        };
        let mut payload = Vec::new();
        for key in ["name", "email"] {
            if let Some(v) = lookup(key) {
                payload.push((Cow::Borrowed(key), v));
            }
        }
        payload.push((Cow::Borrowed("data"), lookup("data").unwrap_or(Value::Null)));
        let payload = Value::Object(payload);
        for (id, style, why) in SERIALIZERS {
            if let Some(text) = serializers::write(&payload, *style) {
                push(
                    text,
                    vec![mistake(
                        id,
                        format!("the visitor was {why}, not JSON.stringify"),
                    )],
                );
            }
        }
        if let Ok(whole) = crate::json::stringify(input.get(Field::Visitor).expect("matched above"))
        {
            push(
                whole,
                vec![mistake(
                    "whole_visitor",
                    "signed JSON.stringify(visitor) with all its keys, not {name, email, data}",
                )],
            );
        }
    }
    out
}

/// Key candidates: (key bytes, mistakes). Never printed.
fn keys(signer: &Signer) -> Vec<(Vec<u8>, Vec<Mistake>)> {
    let secrets = signer.secrets();
    let current = secrets[0].as_slice();
    let mut out: Vec<(Vec<u8>, Vec<Mistake>)> = vec![(current.to_vec(), Vec::new())];
    for (i, p) in secrets[1..].iter().enumerate() {
        out.push((
            p.to_vec(),
            vec![mistake(
                "previous_secret",
                format!(
                    "made with previous secret #{} (a cached hash from before a rotation)",
                    i + 1
                ),
            )],
        ));
    }
    let mut push = |key: Vec<u8>, m: Mistake| {
        if !key.is_empty() && !out.iter().any(|(k, _)| *k == key) {
            out.push((key, vec![m]));
        }
    };
    push(
        [current, b"\n"].concat(),
        mistake(
            "secret_trailing_newline",
            "the secret had a trailing newline (read from a file or `echo` without -n)",
        ),
    );
    push(
        [current, b"\r\n"].concat(),
        mistake(
            "secret_trailing_crlf",
            "the secret had a trailing CRLF (a file saved on Windows)",
        ),
    );
    if let Ok(s) = std::str::from_utf8(current) {
        push(
            s.trim().as_bytes().to_vec(),
            mistake(
                "secret_whitespace",
                "the secret was trimmed of surrounding whitespace",
            ),
        );
        push(
            format!("\"{s}\"").into_bytes(),
            mistake(
                "secret_quoted",
                "the secret kept its surrounding quotes (a quoted .env value)",
            ),
        );
        let unquoted = s.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
        if let Some(u) = unquoted {
            push(
                u.as_bytes().to_vec(),
                mistake(
                    "secret_unquoted",
                    "the secret's surrounding quotes were removed",
                ),
            );
        }
        if let Ok(bytes) = hex::decode(s.trim()) {
            push(
                bytes,
                mistake(
                    "secret_hex_decoded",
                    "the secret was hex-decoded to bytes before use",
                ),
            );
        }
        if let Some(bytes) = base64_decode(s.trim()) {
            push(
                bytes,
                mistake(
                    "secret_base64_decoded",
                    "the secret was base64-decoded to bytes before use",
                ),
            );
        }
    }
    out
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    if s.len() < 8 {
        return None;
    }
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
    ];
    engines.iter().find_map(|e| e.decode(s).ok())
}

/// How the digest was made and written: (mistake id, explanation), when not
/// the correct hex HMAC; the text's form; the function of (key, message).
type Output = (
    Option<(&'static str, &'static str)>,
    Form,
    fn(&[u8], &[u8]) -> String,
);

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    PreparedKey::new(key).mac(msg)
}

/// The exact form of an output's text: 32 bytes as lowercase or uppercase hex,
/// or as padded standard base64.
#[derive(Clone, Copy)]
enum Form {
    LowerHex,
    UpperHex,
    Base64,
}

impl Form {
    /// Whether `hash` has this form, i.e. could be an output of it: candidates
    /// whose output cannot have the hash's form are not hashed at all.
    fn fits(self, hash: &str) -> bool {
        let b = hash.as_bytes();
        match self {
            Form::LowerHex => {
                b.len() == 64 && b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
            }
            Form::UpperHex => {
                b.len() == 64 && b.iter().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F'))
            }
            Form::Base64 => {
                b.len() == 44
                    && b[43] == b'='
                    && b[..43]
                        .iter()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/'))
            }
        }
    }
}

const OUTPUTS: &[Output] = &[
    (None, Form::LowerHex, |k, m| hex::encode(hmac(k, m))),
    (Some(("uppercase_hex", "the digest was written in uppercase hex (Java/C# toUpperCase, PHP strtoupper)")), Form::UpperHex, |k, m| hex::encode_upper(hmac(k, m))),
    (Some(("base64", "the digest was base64-encoded instead of hex (Node digest('base64'), Ruby Base64.encode64)")), Form::Base64, |k, m| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(hmac(k, m))
    }),
    (Some(("key_message_swapped", "the key and the message were swapped (HMAC(identity, secret))")), Form::LowerHex, |k, m| hex::encode(hmac(m, k))),
    (Some(("sha256_concat", "plain SHA-256 of secret + identity, not an HMAC")), Form::LowerHex, |k, m| hex::encode(Sha256::digest([k, m].concat()))),
    (Some(("sha256_concat_reversed", "plain SHA-256 of identity + secret, not an HMAC")), Form::LowerHex, |k, m| hex::encode(Sha256::digest([m, k].concat()))),
];

impl Signer {
    /// Why `hash` is not this signer's hash of `input`: searches the known
    /// mistakes (docs/doctor.md) and reports the fewest that reproduce it, or
    /// that none does. Fields the preset does not sign are used as candidates
    /// (was the email signed instead of the user id?). At most
    /// [`MAX_CANDIDATES`] hashes, counting only outputs that can have the
    /// hash's form (64 hex digits of one case, or 44 base64 characters), so a
    /// hash in neither form tries nothing; never shows the secret.
    ///
    /// ```
    /// use userhash::{Input, Signer};
    /// let signer = Signer::new(b"s3cr3t", "layerup").unwrap();
    /// let wrong = Signer::new(b"s3cr3t", "ensoras").unwrap().sign(&Input::email("Ann@X.com")).unwrap();
    /// let d = signer.diagnose(&wrong, &Input::email("Ann@X.com")).unwrap();
    /// assert_eq!((d.matched, d.variant().as_str()), (true, "js_lowercase"));
    /// assert_eq!(d.signed_canonical.as_deref(), Some("ann@x.com"));
    /// ```
    pub fn diagnose(&self, hash: &str, input: &Input<'_>) -> Result<Diagnosis> {
        let scheme = self.scheme();
        let mut own = Input::new();
        for field in scheme.fields() {
            if let Some(v) = input.get(*field) {
                own.set_field(*field, v.reborrow());
            }
        }
        let expected = canonicalize(scheme, &own)
            .map(Cow::into_owned)
            .map_err(|e| e.to_string());
        let candidates = messages(scheme, input, expected.as_ref().ok().map(String::as_str));
        let keys = keys(self);
        let hash = hash.trim();
        let mut combos: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (mi, m) in candidates.iter().enumerate() {
            for (ki, (_, km)) in keys.iter().enumerate() {
                for (oi, (om, form, _)) in OUTPUTS.iter().enumerate() {
                    if !form.fits(hash) {
                        continue;
                    }
                    combos.push((
                        m.mistakes.len() + km.len() + usize::from(om.is_some()),
                        mi,
                        ki,
                        oi,
                    ));
                }
            }
        }
        combos.sort();
        let mut tried = 0;
        for (_, mi, ki, oi) in combos.into_iter().take(MAX_CANDIDATES) {
            tried += 1;
            let (key, key_mistakes) = &keys[ki];
            let (out_mistake, _, make) = &OUTPUTS[oi];
            if make(key, candidates[mi].text.as_bytes()) != hash {
                continue;
            }
            let message = &candidates[mi];
            let mut mistakes = message.mistakes.clone();
            mistakes.extend(key_mistakes.iter().cloned());
            mistakes.extend(out_mistake.map(|(id, why)| mistake(id, why)));
            let first_difference = expected
                .as_ref()
                .ok()
                .and_then(|e| first_difference(e, &message.text));
            return Ok(Diagnosis {
                matched: true,
                mistakes,
                expected_canonical: expected,
                signed_canonical: Some(message.text.clone()),
                first_difference,
                tried,
            });
        }
        Ok(Diagnosis {
            matched: false,
            mistakes: Vec::new(),
            expected_canonical: expected,
            signed_canonical: None,
            first_difference: None,
            tried,
        })
    }
}

/// The byte offset of the first difference, or `None` when equal.
fn first_difference(a: &str, b: &str) -> Option<usize> {
    if a == b {
        return None;
    }
    let common = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map(|((i, _), _)| i);
    Some(common.unwrap_or_else(|| a.len().min(b.len())))
}
