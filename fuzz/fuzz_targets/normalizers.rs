//! The string rules: `text::js_trim`, `js_lowercase`, `js_trim_lowercase`, and what the
//! email/id presets sign. Checked against independent restatements:
//! * trim strips exactly the JS WhiteSpace + LineTerminator set from both ends, and is
//!   idempotent; it never strips U+0085, U+180E, U+200B, U+2060;
//! * lowercase equals std `to_lowercase` (the ASCII fast path and the borrow included);
//! * trim_lowercase is trim then lowercase, and idempotent;
//! * layerup / inviaro sign the string as given, ensoras its lowercase, supportwire its
//!   trim + lowercase (email or external id); empty → `empty_identity`; the hash is the
//!   HMAC of exactly those bytes and `verify` accepts it.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use userhash::{text, ErrorCode, Input, Signer, Value};

/// ECMA-262 WhiteSpace + LineTerminator, restated (Unicode 17 Zs).
const JS_TRIM: &[char] = &[
    '\u{9}', '\u{A}', '\u{B}', '\u{C}', '\u{D}', '\u{20}', '\u{A0}', '\u{1680}', '\u{2000}',
    '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}',
    '\u{2009}', '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}', '\u{FEFF}',
];

fn reference_trim(s: &str) -> &str {
    let start = s
        .char_indices()
        .find(|(_, c)| !JS_TRIM.contains(c))
        .map_or(s.len(), |(i, _)| i);
    let end = s
        .char_indices()
        .rev()
        .find(|(_, c)| !JS_TRIM.contains(c))
        .map_or(start, |(i, c)| i + c.len_utf8());
    &s[start..end.max(start)]
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let trimmed = text::js_trim(s);
    assert_eq!(trimmed, reference_trim(s));
    assert_eq!(text::js_trim(trimmed), trimmed);
    for c in ['\u{85}', '\u{180E}', '\u{200B}', '\u{2060}'] {
        assert!(!s.starts_with(c) || trimmed.starts_with(c));
        assert!(!s.ends_with(c) || trimmed.ends_with(c));
    }

    let lower = text::js_lowercase(s);
    assert_eq!(lower, s.to_lowercase());
    assert_eq!(matches!(lower, Cow::Borrowed(_)), lower == s);

    let tl = text::js_trim_lowercase(s);
    assert_eq!(tl, trimmed.to_lowercase());
    assert_eq!(
        text::js_trim_lowercase(&tl),
        tl,
        "trim_lowercase not idempotent on {s:?}"
    );

    let secret = b"fuzz-secret";
    for (preset, field, want) in [
        ("layerup", "email", Cow::Borrowed(s)),
        ("inviaro", "user_id", Cow::Borrowed(s)),
        ("ensoras", "email", lower.clone()),
        ("supportwire", "email", tl.clone()),
        ("supportwire", "external_id", tl.clone()),
    ] {
        let signer = Signer::new(secret, preset).unwrap();
        let mut input = Input::new();
        input.set(field, Value::str(s)).unwrap();
        match signer.canonical(&input) {
            Ok(c) => {
                assert!(!want.is_empty());
                assert_eq!(c, want, "{preset}");
                let hash = signer.sign(&input).unwrap();
                let mut direct = [0u8; 64];
                signer.sign_bytes_hex(want.as_bytes(), &mut direct);
                assert_eq!(hash.as_bytes(), &direct[..]);
                assert!(signer.verify(&hash, &input).unwrap());
            }
            Err(e) => {
                assert!(want.is_empty(), "{preset} refused {s:?}: {e}");
                assert_eq!(e.code(), ErrorCode::EmptyIdentity);
            }
        }
    }
});
