//! The shared bad-input matrix (`tests/bad-inputs/cases.json`) through the core.
//! Hashes are checked against a plain HMAC built here from SHA-256 (RFC 2104),
//! independent of the `hmac` crate the core uses.

use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use userhash::{ErrorCode, Input, Signer, Value};

const LANGUAGE: &str = "rust";

fn rfc2104_hmac_hex(key: &[u8], msg: &[u8]) -> String {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| block.iter().map(|k| k ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    hex::encode(
        Sha256::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize(),
    )
}

/// Bytes for a secret: a string, `$repeat` or `$bytes`.
fn secret_bytes(j: &Json) -> Vec<u8> {
    match j {
        Json::String(s) => s.as_bytes().to_vec(),
        Json::Object(m) if m.contains_key("$bytes") => {
            hex::decode(m["$bytes"].as_str().unwrap()).unwrap()
        }
        other => match native(other) {
            Value::Str(s) => s.into_owned().into_bytes(),
            v => panic!("secret {v:?}"),
        },
    }
}

/// The marker syntax of tests/bad-inputs/README.md, as Rust core values.
fn native(j: &Json) -> Value<'static> {
    if let Json::Object(m) = j {
        if let Some(b) = m.get("$bytes") {
            let bytes = hex::decode(b.as_str().unwrap()).unwrap();
            return match String::from_utf8(bytes) {
                Ok(s) => Value::from(s),
                Err(_) => Value::invalid_utf8(),
            };
        }
        if let Some(f) = m.get("$float") {
            return Value::Float(match f.as_str().unwrap() {
                "nan" => f64::NAN,
                "inf" => f64::INFINITY,
                _ => f64::NEG_INFINITY,
            });
        }
        if let Some(r) = m.get("$repeat") {
            let n = r["count"].as_u64().unwrap() as usize;
            return Value::from(r["text"].as_str().unwrap().repeat(n));
        }
        if let Some(a) = m.get("$array") {
            let n = a["count"].as_u64().unwrap() as usize;
            return Value::Array(vec![native(&a["item"]); n]);
        }
        if let Some(d) = m.get("$nest") {
            // Built like a binding's converter: past MAX_DEPTH + 1 it stops descending.
            let depth = d["depth"].as_u64().unwrap() as usize;
            let mut v = if depth > userhash::MAX_DEPTH + 1 {
                Value::too_deep()
            } else {
                Value::Int(1)
            };
            for _ in 0..depth.min(userhash::MAX_DEPTH + 1) {
                v = Value::Array(vec![v]);
            }
            return v;
        }
    }
    match j {
        Json::Array(items) => Value::Array(items.iter().map(native).collect()),
        Json::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone().into(), native(v)))
                .collect(),
        ),
        other => Value::from_json(other.clone()),
    }
}

#[test]
fn bad_input_matrix() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/bad-inputs/cases.json"
    );
    let doc: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        if let Some(only) = case.get("only").and_then(Json::as_array) {
            if !only.iter().any(|l| l == LANGUAGE) {
                continue;
            }
        }
        ran += 1;
        let id = case["id"].as_str().unwrap();
        let secret = secret_bytes(&case["secret"]);
        let previous: Vec<Vec<u8>> = case
            .get("previous")
            .and_then(Json::as_array)
            .map_or(vec![], |p| p.iter().map(secret_bytes).collect());
        let expect = &case["expect"];
        let result = Signer::with_previous(&secret, case["preset"].as_str().unwrap(), &previous)
            .and_then(|signer| {
                let mut input = Input::new();
                for (k, v) in case["input"].as_object().unwrap() {
                    input.set(k, native(v))?;
                }
                if let Some(hash) = case.get("hash") {
                    return Ok((None, Some(signer.verify(hash.as_str().unwrap(), &input)?)));
                }
                let canonical = signer.canonical(&input)?.into_owned();
                let hash = signer.sign(&input)?;
                assert_eq!(
                    hash,
                    rfc2104_hmac_hex(&secret, canonical.as_bytes()),
                    "{id}: hash"
                );
                Ok((Some(canonical), None))
            });
        match result {
            Err(e) => assert_eq!(
                Some(e.code()),
                expect
                    .get("error")
                    .and_then(Json::as_str)
                    .and_then(ErrorCode::from_name),
                "{id}: {e}"
            ),
            Ok((_, Some(verified))) => {
                assert_eq!(Some(verified), expect["verify"].as_bool(), "{id}")
            }
            Ok((Some(canonical), None)) => {
                assert!(
                    expect.get("error").is_none(),
                    "{id}: expected an error, signed {} bytes",
                    canonical.len()
                );
                if let Some(want) = expect.get("canonical") {
                    let Value::Str(want) = native(want) else {
                        panic!("{id}: canonical marker")
                    };
                    assert!(canonical == want, "{id}: canonical differs");
                }
            }
            Ok((None, None)) => unreachable!(),
        }
    }
    assert!(ran >= 50, "only {ran} cases ran");
}

/// A token claim the binding could not convert keeps that value's own code and names
/// the claim (a Ruby String that is not UTF-8 is `invalid_utf8`, not a type error).
#[test]
fn token_claim_keeps_the_conversion_code() {
    let signer = userhash::Signer::new(b"s3cr3t", "drift").unwrap();
    let mut input = userhash::Input::new();
    input
        .set("user_id", userhash::Value::invalid_utf8())
        .unwrap();
    let options = userhash::json::parse(r#"{"now":1700000000}"#).unwrap();
    let err = signer.token(&input, &options).unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.path()),
        ("invalid_utf8", Some("sub"))
    );
}
