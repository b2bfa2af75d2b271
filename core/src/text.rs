//! String rules that must match ECMAScript exactly: `String.prototype.trim`
//! and `String.prototype.toLowerCase`.

use std::borrow::Cow;

// Case mappings come from the toolchain's Unicode tables. Node 20 (ICU 78) uses
// Unicode 17; an older Rust would lowercase recently added letters differently.
// tests/differential pins Node's mappings and checks every code point.
const _: () = assert!(
    char::UNICODE_VERSION.0 >= 17,
    "userhash needs Rust's Unicode 17 tables to match Node's toLowerCase"
);

/// True for the characters JS `String.prototype.trim` strips: WhiteSpace
/// (TAB, VT, FF, SP, NBSP, ZWNBSP U+FEFF and every `Zs` character) and
/// LineTerminator (LF, CR, U+2028, U+2029).
///
/// This differs from Rust's `char::is_whitespace`: U+0085 (NEL) is *not*
/// stripped by JS, and U+FEFF *is*. U+180E and U+200B are not whitespace.
///
/// ```
/// use userhash::text::is_js_whitespace;
/// assert!(is_js_whitespace('\u{FEFF}'));
/// assert!(!is_js_whitespace('\u{0085}'));
/// ```
pub fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{0009}'..='\u{000D}'
            | '\u{0020}'
            | '\u{00A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{FEFF}'
    )
}

/// JS `s.trim()`: strips [`is_js_whitespace`] characters from both ends.
///
/// ```
/// assert_eq!(userhash::text::js_trim("\u{FEFF} a@b.c\u{3000}\n"), "a@b.c");
/// assert_eq!(userhash::text::js_trim("\u{0085}x"), "\u{0085}x");
/// ```
pub fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_whitespace)
}

/// JS `s.toLowerCase()`: the Unicode default full lowercase mapping,
/// locale-independent, with the Final_Sigma rule. Borrows when nothing changes.
///
/// ```
/// assert_eq!(userhash::text::js_lowercase("ΟΔΟΣ@X.GR"), "οδος@x.gr");
/// assert_eq!(userhash::text::js_lowercase("İ"), "i\u{307}");
/// ```
pub fn js_lowercase(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        // std implements the same mapping as ECMA-262 (UnicodeData + SpecialCasing
        // unconditional mappings + Final_Sigma); see docs/canonicalization.md.
        let lower = s.to_lowercase();
        if lower == s {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(lower)
        }
    }
}

/// JS `s.trim().toLowerCase()`.
///
/// ```
/// assert_eq!(userhash::text::js_trim_lowercase("  Bob@X.COM\t"), "bob@x.com");
/// ```
pub fn js_trim_lowercase(s: &str) -> Cow<'_, str> {
    js_lowercase(js_trim(s))
}
