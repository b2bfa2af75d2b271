//! Other languages' string functions, as users reach for them when they sign an
//! identity by hand — each reproduced exactly enough for the doctor to say
//! "this hash was made with Python's `str.strip()`".

/// Python `str.isspace()` characters (what `str.strip()` removes).
fn is_python_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1C}'..='\u{20}'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// Go `unicode.IsSpace` (what `strings.TrimSpace` removes).
fn is_go_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | ' ' | '\u{85}' | '\u{A0}') || (c as u32 > 0xFF && c.is_whitespace())
}

/// Python `str.strip()`.
pub(super) fn python_strip(s: &str) -> &str {
    s.trim_matches(is_python_space)
}

/// PHP `trim()` with its default characters: space, `\t \n \r \0 \x0B`.
pub(super) fn php_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\u{0B}'])
}

/// Ruby `String#strip`: ASCII whitespace and NUL.
pub(super) fn ruby_strip(s: &str) -> &str {
    s.trim_matches(['\0', '\t', '\n', '\u{0B}', '\u{0C}', '\r', ' '])
}

/// Go `strings.TrimSpace`.
pub(super) fn go_trim_space(s: &str) -> &str {
    s.trim_matches(is_go_space)
}

/// ASCII-only lowercasing: PHP 8 `strtolower`, Ruby `downcase(:ascii)`.
pub(super) fn ascii_lowercase(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Ruby `String#downcase`: the full mapping per character, with no final-sigma rule.
pub(super) fn ruby_downcase(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Go `strings.ToLower`: the simple mapping per character (İ → i, no final sigma).
pub(super) fn go_to_lower(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{130}' => 'i',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect()
}

/// Python `str.casefold()` for the characters where it differs from `lower()`
/// in real identities (ß, ẞ, final sigma, Latin ligatures, Cherokee is left out).
pub(super) fn python_casefold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().chars() {
        match c {
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

/// Java `toLowerCase()` with a Turkish or Azeri default locale (I → ı, İ → i).
pub(super) fn turkish_lowercase(s: &str) -> String {
    let dotless: String = s
        .chars()
        .map(|c| match c {
            'I' => 'ı',
            '\u{130}' => 'i',
            c => c,
        })
        .collect();
    dotless.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_differ_where_the_languages_do() {
        let s = "\u{85}\u{FEFF}\u{C} a \0";
        assert_eq!(python_strip(s), "\u{FEFF}\u{C} a \0");
        assert_eq!(go_trim_space(s), "\u{FEFF}\u{C} a \0");
        assert_eq!(php_trim(" \u{C}a\0"), "\u{C}a");
        assert_eq!(ruby_strip(" \u{C}a\0"), "a");
    }

    #[test]
    fn lowercases_differ_where_the_languages_do() {
        assert_eq!(go_to_lower("İΟΣ"), "iοσ");
        assert_eq!(ruby_downcase("İΟΣ"), "i\u{307}οσ");
        assert_eq!(python_casefold("Straße"), "strasse");
        assert_eq!(turkish_lowercase("DIYARBAKIR"), "dıyarbakır");
        assert_eq!(ascii_lowercase("ÀB"), "Àb");
    }
}
