//! `userhash::json::canonicalize_text` (JSON.stringify(JSON.parse(text))): never panics,
//! fails only with `invalid_json` / `too_deep` / `invalid_input` (a lone surrogate key), and its output is a fixed point:
//! canonical(canonical(x)) == canonical(x); `json::is_stringified` accepts only text
//! that is its own canonical form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use userhash::{json, ErrorCode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let stringified = json::is_stringified(text);
    match json::canonicalize_text(text) {
        Ok(once) => {
            // The one-pass check (the path that signs text as it is) never accepts
            // text that is not its own canonical form.
            assert!(
                !stringified || once == text,
                "is_stringified accepted {text:?}"
            );
            let twice = json::canonicalize_text(&once)
                .unwrap_or_else(|e| panic!("canonical text {once:?} refused: {e}"));
            assert_eq!(twice, once, "not a fixed point for input {text:?}");
            check_escapes(&once);
        }
        Err(e) => {
            assert!(
                !stringified,
                "is_stringified accepted {text:?}, which the parser refuses: {e}"
            );
            assert!(
                // invalid_input: an object key with a lone surrogate (docs/canonicalization.md).
                matches!(
                    e.code(),
                    ErrorCode::InvalidJson | ErrorCode::TooDeep | ErrorCode::InvalidInput
                ),
                "unexpected error {:?} for {text:?}: {e}",
                e.code()
            );
        }
    }
});

/// JSON.stringify escapes only `"`, `\\`, and U+0000–U+001F (`\b \f \n \r \t`, else
/// `\u00xx` in lowercase hex) and lone surrogates (`\udxxx`, from a lone escape in the
/// input); everything else, U+2028/2029 included, is raw.
fn check_escapes(out: &str) {
    let b = out.as_bytes();
    let mut i = 0;
    while i < b.len() {
        assert!(b[i] >= 0x20, "raw control character in {out:?}");
        if b[i] == b'\\' {
            match b[i + 1] {
                b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' => {
                    let h = &out[i + 2..i + 6];
                    let v = u32::from_str_radix(h, 16).unwrap();
                    assert!(
                        (v < 0x20 && !matches!(v, 8 | 9 | 10 | 12 | 13))
                            || (0xd800..0xe000).contains(&v),
                        "\\u{h} in {out:?}"
                    );
                    assert_eq!(h, h.to_ascii_lowercase());
                    i += 6;
                }
                other => panic!("escape \\{} in {out:?}", other as char),
            }
        } else {
            i += 1;
        }
    }
}
