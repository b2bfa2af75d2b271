//! `check-vectors --jsonl`: one golden vector (DESIGN §5 format) per input line,
//! one result line per vector, for long-running drivers such as the differential
//! tester (`tests/differential/run.js`).
//!
//! Each input line is a vector object: `id`, `preset`, `secret`, `input`, and either
//! `canonical` + `hash` or `error`. Each output line is `{"id":…,"ok":true}` when the
//! core agrees, otherwise `{"id":…,"ok":false,…}` with what the core produced:
//! `canonical`, `hash` and `verified` (did `verify` accept that hash), or `error`
//! and `message`. A line that is not a vector gets `{"id":null,"ok":false,"bad_line":…}`.
//!
//! The vector's JSON text is parsed keeping its key order and without serde's depth
//! limit, exactly as `check-vectors` reads files. Output is flushed whenever the
//! input has no complete line buffered, so a driver may write a batch and then wait
//! for its answers.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use serde_json::{json, Value as Json};
use userhash::{Error, ErrorCode, Input, Signer, Value};

/// Reads vectors from `files` (`-` is stdin) and writes one result line each to
/// stdout. Returns (passed, failed).
pub fn run(files: &[PathBuf]) -> io::Result<(u64, u64)> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let (mut passed, mut failed) = (0, 0);
    for file in files {
        let reader: Box<dyn Read> = if file.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(std::fs::File::open(file)?)
        };
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut line = String::new();
        loop {
            // About to block on input: let the driver see every answer so far.
            if reader.buffer().is_empty() {
                out.flush()?;
            }
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            let text = line.trim_end_matches(['\n', '\r']);
            if text.is_empty() {
                continue;
            }
            let result = check_line(text);
            if result.get("ok") == Some(&Json::Bool(true)) {
                passed += 1;
            } else {
                failed += 1;
            }
            serde_json::to_writer(&mut out, &result)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok((passed, failed))
}

/// The result object for one line of vector text.
fn check_line(text: &str) -> Json {
    let vector = match crate::vectors::parse_unbounded(text) {
        Ok(v) => v,
        Err(e) => return json!({"id": null, "ok": false, "bad_line": e.to_string()}),
    };
    let id = vector.get("id").cloned().unwrap_or(Json::Null);
    let (Some(preset), Some(secret), Some(input)) = (
        vector.get("preset").and_then(Json::as_str),
        vector.get("secret").and_then(Json::as_str),
        vector.get("input"),
    ) else {
        return json!({"id": id, "ok": false, "bad_line": "needs preset, secret and input"});
    };
    let want_error = vector.get("error").and_then(Json::as_str);
    let want_canonical = vector.get("canonical").and_then(Json::as_str);
    let want_hash = vector.get("hash").and_then(Json::as_str);

    match sign(preset, secret, input) {
        Ok((canonical, hash, verified, verified_flipped)) => {
            let ok = want_error.is_none()
                && want_canonical == Some(canonical.as_str())
                && want_hash == Some(hash.as_str())
                && verified
                && !verified_flipped;
            if ok {
                json!({"id": id, "ok": true})
            } else {
                json!({"id": id, "ok": false, "canonical": canonical, "hash": hash,
                       "verified": verified, "verified_flipped": verified_flipped})
            }
        }
        Err(e) => {
            if want_error == Some(e.code().as_str()) {
                json!({"id": id, "ok": true})
            } else {
                json!({"id": id, "ok": false, "error": e.code().as_str(), "message": e.to_string()})
            }
        }
    }
}

/// Signs through the public API as a binding would: (canonical, hash, verify(hash),
/// verify(hash with its last digit changed)).
fn sign(preset: &str, secret: &str, input: &Json) -> Result<(String, String, bool, bool), Error> {
    let signer = Signer::new(secret.as_bytes(), preset)?;
    let input = match Value::from_json(input.clone()) {
        Value::Object(entries) => {
            let mut fields = Input::new();
            for (k, v) in entries {
                fields.set(&k, v)?;
            }
            fields
        }
        other => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("input is {}", other.type_name()),
            ))
        }
    };
    let canonical = signer.canonical(&input)?.into_owned();
    let hash = signer.sign(&input)?;
    let verified = signer.verify(&hash, &input)?;
    let mut flipped = hash.clone().into_bytes();
    if let Some(last) = flipped.last_mut() {
        *last = if *last == b'0' { b'1' } else { b'0' };
    }
    let flipped = String::from_utf8(flipped).unwrap_or_default();
    let verified_flipped = signer.verify(&flipped, &input)?;
    Ok((canonical, hash, verified, verified_flipped))
}
