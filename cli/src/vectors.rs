//! `check-vectors`: golden vectors (docs/design.md, "Golden vectors") through the core.

use std::path::{Path, PathBuf};

use userhash::{Input, Signer, Value};

/// Runs every vector of every file; prints each failure; returns (passed, failed).
pub fn check_files(files: &[PathBuf]) -> (usize, usize) {
    let (mut passed, mut failed) = (0, 0);
    for file in files {
        match load(file) {
            Ok(vectors) => {
                for v in &vectors {
                    match check(v) {
                        Ok(()) => passed += 1,
                        Err(why) => {
                            failed += 1;
                            println!("FAIL {}: {}", id(v), why);
                        }
                    }
                }
            }
            Err(why) => {
                failed += 1;
                println!("FAIL {}: {}", file.display(), why);
            }
        }
    }
    (passed, failed)
}

/// The vectors of a file: hash vectors under `vectors`, token vectors under
/// `tokens` (tests/tokens/vectors.json).
fn load(file: &Path) -> Result<Vec<Value<'static>>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let doc = parse_document(&text).map_err(|e| e.to_string())?;
    match (get(&doc, "vectors"), get(&doc, "tokens")) {
        (Some(Value::Array(vectors)), _) | (_, Some(Value::Array(vectors))) => Ok(vectors.clone()),
        _ => Err("no \"vectors\" or \"tokens\" array".to_owned()),
    }
}

/// Vector files hold payloads nested past the signing limit on purpose (the
/// `too_deep` vectors) and lone surrogate escapes (as `JSON.parse` reads them),
/// so they are read by the core's JSON reader with a higher nesting limit.
pub fn parse_document(text: &str) -> userhash::Result<Value<'static>> {
    userhash::json::parse_with_limit(text, 4096).map(Value::into_owned)
}

/// The member `key` of a JSON object value.
pub fn get<'v>(v: &'v Value<'static>, key: &str) -> Option<&'v Value<'static>> {
    match v {
        Value::Object(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// The member `key` when it is a string.
pub fn field<'v>(v: &'v Value<'static>, key: &str) -> Option<&'v str> {
    match get(v, key) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

fn id<'v>(v: &'v Value<'static>) -> &'v str {
    field(v, "id").unwrap_or("<no id>")
}

/// What signing a vector's input gives through the public API, as a binding
/// would call it: (canonical, hash, verify(hash), verify(hash with its last
/// digit changed)).
pub fn sign(
    preset: &str,
    secret: &str,
    input: &Value<'static>,
) -> userhash::Result<(String, String, bool, bool)> {
    sign_with_options(preset, secret, &Value::Null, input)
}

/// [`sign`] with the vector's `signer_options` (`null` when it has none), passed
/// to [`Signer::with_options`] unchanged, as a binding passes its options.
pub fn sign_with_options(
    preset: &str,
    secret: &str,
    options: &Value<'static>,
    input: &Value<'static>,
) -> userhash::Result<(String, String, bool, bool)> {
    let signer = Signer::with_options(
        secret.as_bytes(),
        preset,
        std::iter::empty::<&[u8]>(),
        options,
    )?;
    let Value::Object(entries) = input else {
        return Err(userhash::Error::new(
            userhash::ErrorCode::InvalidInput,
            format!("input is {}", input.type_name()),
        ));
    };
    let mut fields = Input::new();
    for (k, v) in entries {
        fields.set(k, v.reborrow())?;
    }
    let canonical = signer.canonical(&fields)?.into_owned();
    let hash = signer.sign(&fields)?;
    let verified = signer.verify(&hash, &fields)?;
    let mut flipped = hash.clone().into_bytes();
    if let Some(last) = flipped.last_mut() {
        *last = if *last == b'0' { b'1' } else { b'0' };
    }
    let flipped = String::from_utf8(flipped).unwrap_or_default();
    let verified_flipped = signer.verify(&flipped, &fields)?;
    Ok((canonical, hash, verified, verified_flipped))
}

/// What signing an input given as JSON text (`Input::from_json`) gives:
/// (canonical, hash).
pub fn sign_text(preset: &str, secret: &str, input: &str) -> userhash::Result<(String, String)> {
    let signer = Signer::new(secret.as_bytes(), preset)?;
    let input = Input::from_json(input)?;
    Ok((signer.canonical(&input)?.into_owned(), signer.sign(&input)?))
}

/// JSON text with object keys sorted, for comparing claims whatever their order.
fn sorted_json(v: &Value<'_>) -> String {
    match v {
        Value::Object(entries) => {
            let mut parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        userhash::json::stringify(&Value::str(k)).unwrap_or_default(),
                        sorted_json(v)
                    )
                })
                .collect();
            parts.sort();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(sorted_json).collect::<Vec<_>>().join(",")
        ),
        other => userhash::json::stringify(other).unwrap_or_default(),
    }
}

/// One token vector: the token made byte for byte and verified back to its
/// claims, a refused input, or a foreign token accepted or refused.
fn check_token(v: &Value<'static>) -> Result<(), String> {
    let preset = field(v, "preset").ok_or("no preset")?;
    let secret = field(v, "secret").ok_or("no secret")?;
    let signer = Signer::new(secret.as_bytes(), preset).map_err(|e| e.to_string())?;
    let none = Value::Null;
    let result = match field(v, "verify") {
        Some(token) => signer
            .verify_token(token, get(v, "verify_options").unwrap_or(&none))
            .map(|c| (token.to_owned(), c)),
        None => {
            let options = get(v, "options").unwrap_or(&none);
            let Some(Value::Object(fields)) = get(v, "input") else {
                return Err("no input".into());
            };
            let mut input = Input::new();
            let made = fields
                .iter()
                .try_for_each(|(k, val)| input.set(k, val.reborrow()))
                .and_then(|()| signer.token(&input, options));
            made.and_then(|token| {
                let at = Value::Object(vec![(
                    "now".into(),
                    get(options, "now").cloned().unwrap_or(Value::Null),
                )]);
                let claims = signer.verify_token(&token, &at)?;
                Ok((token, claims))
            })
        }
    };
    match (field(v, "error"), result) {
        (Some(code), Err(e)) if e.code().as_str() == code => Ok(()),
        (Some(code), Err(e)) => Err(format!("expected error {code}, got {}: {e}", e.code())),
        (Some(code), Ok((t, _))) => Err(format!("expected error {code}, got token {t}")),
        (None, Err(e)) => Err(format!("unexpected error {}: {e}", e.code())),
        (None, Ok((token, claims))) => {
            if let Some(want) = field(v, "token") {
                if want != token {
                    return Err(format!("token: expected {want}, got {token}"));
                }
            }
            let want = get(v, "claims").ok_or("no claims")?;
            if sorted_json(want) != sorted_json(&claims) {
                return Err(format!(
                    "claims: expected {}, got {}",
                    sorted_json(want),
                    sorted_json(&claims)
                ));
            }
            Ok(())
        }
    }
}

/// One vector: canonical, hash, verify (and a one-bit-off hash), or the error code.
fn check(v: &Value<'static>) -> Result<(), String> {
    if get(v, "token").is_some()
        || get(v, "verify").is_some()
        || get(v, "options").is_some() && get(v, "canonical").is_none()
    {
        return check_token(v);
    }
    let preset = field(v, "preset").ok_or("no preset")?;
    let secret = field(v, "secret").ok_or("no secret")?;
    let input = get(v, "input").ok_or("no input")?;
    let options = get(v, "signer_options").unwrap_or(&Value::Null);
    match (
        field(v, "error"),
        sign_with_options(preset, secret, options, input),
    ) {
        (Some(code), Err(e)) if e.code().as_str() == code => Ok(()),
        (Some(code), Err(e)) => Err(format!("expected error {code}, got {}: {e}", e.code())),
        (Some(code), Ok((c, ..))) => Err(format!("expected error {code}, got canonical {c:?}")),
        (None, Err(e)) => Err(format!("unexpected error {}: {e}", e.code())),
        (None, Ok((canonical, hash, verified, flipped))) => {
            let want_c = field(v, "canonical").ok_or("no canonical")?;
            let want_h = field(v, "hash").ok_or("no hash")?;
            if canonical != want_c {
                return Err(format!("canonical: expected {want_c:?}, got {canonical:?}"));
            }
            if hash != want_h {
                return Err(format!("hash: expected {want_h}, got {hash}"));
            }
            if !verified || flipped {
                return Err("verify(hash) returned false, or verify(wrong hash) true".to_owned());
            }
            Ok(())
        }
    }
}
