//! `check-vectors --jsonl`: one golden vector (docs/design.md, "Golden vectors") per input line,
//! one result line per vector, for long-running drivers such as the differential
//! tester (`tests/differential/run.js`).
//!
//! Each input line is a vector object: `id`, `preset`, `secret`, `input`, and either
//! `canonical` + `hash` or `error`. Each output line is `{"id":…,"ok":true}` when the
//! core agrees, otherwise `{"id":…,"ok":false,…}` with what the core produced:
//! `canonical`, `hash` and `verified` (did `verify` accept that hash), or `error`
//! and `message`. A line that is not a vector gets `{"id":null,"ok":false,"bad_line":…}`.
//!
//! The vector's JSON text is parsed keeping its key order, with a nesting limit
//! above the signing limit, exactly as `check-vectors` reads files. Output is flushed whenever the
//! input has no complete line buffered, so a driver may write a batch and then wait
//! for its answers.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use crate::vectors;
use std::collections::HashMap;

use serde_json::value::RawValue;
use serde_json::{json, Value as Json};

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
    let vector = match vectors::parse_document(text) {
        Ok(v) => v,
        Err(e) => return json!({"id": null, "ok": false, "bad_line": e.to_string()}),
    };
    let id = vectors::field(&vector, "id").map_or(Json::Null, |s| Json::String(s.to_owned()));
    let (Some(preset), Some(secret), Some(input)) = (
        vectors::field(&vector, "preset"),
        vectors::field(&vector, "secret"),
        vectors::get(&vector, "input"),
    ) else {
        return json!({"id": id, "ok": false, "bad_line": "needs preset, secret and input"});
    };
    let want_error = vectors::field(&vector, "error");
    let want_canonical = vectors::field(&vector, "canonical");
    let want_hash = vectors::field(&vector, "hash");

    let signed = vectors::sign(preset, secret, input);
    // The same input from the text the driver wrote (the path the bindings that pass
    // JSON text take) must give the same result as the parsed value. Text nesting
    // past the parser's bound anywhere is refused as a whole (too_deep, even inside
    // an unknown field or a value a repeated key replaces): not compared.
    if let Some(from_text) = input_text(text).map(|t| vectors::sign_text(preset, secret, t)) {
        let same = match (&signed, &from_text) {
            (Ok((c, h, ..)), Ok((tc, th))) => c == tc && h == th,
            (Err(e), Err(te)) => e.code() == te.code(),
            (_, Err(te)) => te.code() == userhash::ErrorCode::TooDeep,
            _ => false,
        };
        if !same {
            let text_path = match from_text {
                Ok((canonical, hash)) => json!({"canonical": canonical, "hash": hash}),
                Err(e) => json!({"error": e.code().as_str(), "message": e.to_string()}),
            };
            return json!({"id": id, "ok": false, "text_path": text_path});
        }
    }
    match signed {
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

/// The text of the line's `input` member as written, when serde_json can read
/// the line (it refuses lone surrogate escapes and deep nesting: then `None`).
fn input_text(line: &str) -> Option<&str> {
    let members: HashMap<String, &RawValue> = serde_json::from_str(line).ok()?;
    members.get("input").map(|raw| raw.get())
}
