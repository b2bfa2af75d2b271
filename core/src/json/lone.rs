//! Unpaired `\uD800`-style escapes, which `JSON.parse` accepts (the string then
//! holds a lone UTF-16 surrogate) and `JSON.stringify` writes back as the same
//! six ASCII characters. serde_json refuses them in strings, so a text that has
//! one is parsed in two steps: each lone escape is replaced by a marker — a
//! private-use character the text does not contain, then the surrogate's four
//! hex digits — and every string holding the marker becomes [`Value::Utf16`].
//! Object keys cannot hold a lone surrogate (a `Cow<str>`): they are refused.

use crate::error::{Error, ErrorCode, Result};
use crate::value::Value;

/// The text with every lone surrogate escape marked, and the marker; `None`
/// when the text has no lone surrogate escape (the common case: no copy).
pub(super) fn mark(text: &str) -> Result<Option<(String, char)>> {
    let lone = lone_escapes(text);
    if lone.is_empty() {
        return Ok(None);
    }
    let marker = ('\u{E000}'..='\u{F8FF}')
        .find(|c| !text.contains(*c) && !contains_escape_of(text, *c))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidJson,
                "invalid JSON: too many distinct characters to carry a lone surrogate",
            )
        })?;
    let mut out = String::with_capacity(text.len() + lone.len() * 2);
    let mut at = 0;
    for (start, unit) in lone {
        out.push_str(&text[at..start]);
        out.push(marker);
        out.push_str(&format!("{unit:04x}"));
        at = start + 6;
    }
    out.push_str(&text[at..]);
    Ok(Some((out, marker)))
}

/// Turns marked strings back into [`Value::Utf16`]; a marked key is refused.
pub(super) fn unmark(value: Value<'static>, marker: char) -> Result<Value<'static>> {
    Ok(match value {
        Value::Str(s) if s.contains(marker) => Value::Utf16(units(&s, marker)),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| unmark(v, marker)).collect::<Result<_>>()?),
        Value::Object(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| {
                    if k.contains(marker) {
                        return Err(Error::new(
                            ErrorCode::InvalidInput,
                            "an object key holds a lone surrogate escape, which userhash cannot carry",
                        ));
                    }
                    Ok((k, unmark(v, marker)?))
                })
                .collect::<Result<_>>()?,
        ),
        other => other,
    })
}

fn units(s: &str, marker: char) -> Vec<u16> {
    let mut out = Vec::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == marker {
            let hex: String = chars.by_ref().take(4).collect();
            out.push(u16::from_str_radix(&hex, 16).expect("mark writes four hex digits"));
        } else {
            out.extend_from_slice(c.encode_utf16(&mut [0u16; 2]));
        }
    }
    out
}

/// The byte offset and value of each `\uXXXX` escape of a surrogate that is
/// not half of a high-low pair.
fn lone_escapes(text: &str) -> Vec<(usize, u16)> {
    let bytes = text.as_bytes();
    let escape_at = |i: usize| -> Option<u16> {
        let hex = bytes.get(i..i + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut lone = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr_backslash(&bytes[i..]) {
        i += found;
        match escape_at(i) {
            Some(high @ 0xD800..=0xDBFF) => match escape_at(i + 6) {
                Some(0xDC00..=0xDFFF) => i += 12,
                _ => {
                    lone.push((i, high));
                    i += 6;
                }
            },
            Some(low @ 0xDC00..=0xDFFF) => {
                lone.push((i, low));
                i += 6;
            }
            Some(_) => i += 6,
            // `\\`, `\"`, `\n`…: skip the escaped character.
            None => i += 2,
        }
        if i >= bytes.len() {
            break;
        }
    }
    lone
}

fn memchr_backslash(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\\')
}

fn contains_escape_of(text: &str, c: char) -> bool {
    let needle = format!("{:04x}", c as u32);
    text.match_indices("\\u").any(|(i, _)| {
        text.get(i + 2..i + 6)
            .is_some_and(|h| h.eq_ignore_ascii_case(&needle))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_unpaired_escapes() {
        assert_eq!(lone_escapes(r#""\ud83d\ude00""#), vec![]);
        assert_eq!(lone_escapes(r#""a\uD800b""#), vec![(2, 0xD800)]);
        assert_eq!(
            lone_escapes(r#""\udc00\ud800""#),
            vec![(1, 0xDC00), (7, 0xD800)]
        );
        assert_eq!(lone_escapes(r#""\\ud800""#), vec![]);
        assert_eq!(lone_escapes(r#""\ud800\n""#), vec![(1, 0xD800)]);
    }

    #[test]
    fn the_marker_is_absent_from_the_text() {
        let (marked, marker) = mark("\"\u{E000}\\ue001\\ud800\"").unwrap().unwrap();
        assert_eq!(marker, '\u{E002}');
        assert_eq!(marked, "\"\u{E000}\\ue001\u{E002}d800\"");
    }
}
