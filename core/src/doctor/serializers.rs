//! Other languages' JSON serializers with their default settings, for payload
//! presets: what `json.dumps`, `json_encode`, `encoding/json`, `to_json` and a
//! pretty printer write for the same visitor.

use std::fmt::Write as _;

use crate::value::Value;

/// The settings in which the serializers differ.
#[derive(Clone, Copy)]
pub(super) struct Style {
    /// Between items: `,` or `, `.
    pub item_sep: &'static str,
    /// Between key and value: `:` or `: `.
    pub key_sep: &'static str,
    /// Indent per level for pretty printing (0: none).
    pub indent: usize,
    /// Non-ASCII as `\uXXXX` escapes.
    pub ascii_only: bool,
    /// `/` as `\/` (PHP).
    pub escape_slash: bool,
    /// `<`, `>`, `&`, U+2028, U+2029 as `\u` escapes (Go).
    pub escape_html: bool,
    /// Object keys sorted by code point (Go maps, Python `sort_keys`).
    pub sort_keys: bool,
    /// How floats and big integers are written.
    pub numbers: Numbers,
}

/// Number formatting conventions.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Numbers {
    /// ECMAScript `Number::toString` (JS, Go's encoding/json agrees for common values).
    Js,
    /// Python `repr(float)`; integers exact.
    Python,
    /// PHP `json_encode` with `serialize_precision = -1`: no `.0` on integral
    /// floats (no `JSON_PRESERVE_ZERO_FRACTION`); integers exact.
    Php,
    /// Ruby `Float#to_s` (exponent form from 1e15 on); integers exact.
    Ruby,
}

impl Style {
    const COMPACT: Style = Style {
        item_sep: ",",
        key_sep: ":",
        indent: 0,
        ascii_only: false,
        escape_slash: false,
        escape_html: false,
        sort_keys: false,
        numbers: Numbers::Js,
    };
    /// Python `json.dumps(v)`.
    pub const PYTHON: Style = Style {
        item_sep: ", ",
        key_sep: ": ",
        ascii_only: true,
        numbers: Numbers::Python,
        ..Style::COMPACT
    };
    /// Python `json.dumps(v, separators=(",", ":"))`.
    pub const PYTHON_COMPACT: Style = Style {
        item_sep: ",",
        key_sep: ":",
        ..Style::PYTHON
    };
    /// Python `json.dumps(v, sort_keys=True)`.
    pub const PYTHON_SORTED: Style = Style {
        sort_keys: true,
        ..Style::PYTHON
    };
    /// PHP `json_encode($v)`.
    pub const PHP: Style = Style {
        ascii_only: true,
        escape_slash: true,
        numbers: Numbers::Php,
        ..Style::COMPACT
    };
    /// Go `json.Marshal(map[string]any{…})`.
    pub const GO: Style = Style {
        escape_html: true,
        sort_keys: true,
        ..Style::COMPACT
    };
    /// Ruby `hash.to_json`.
    pub const RUBY: Style = Style {
        numbers: Numbers::Ruby,
        ..Style::COMPACT
    };
    /// `JSON.stringify(v, null, 2)`.
    pub const PRETTY: Style = Style {
        indent: 2,
        key_sep: ": ",
        ..Style::COMPACT
    };
}

/// `value` written in `style`; `None` when the style cannot write it (a lone
/// surrogate, an invalid value).
pub(super) fn write(value: &Value<'_>, style: Style) -> Option<String> {
    let mut out = String::new();
    write_value(&mut out, value, style, 0)?;
    Some(out)
}

fn write_value(out: &mut String, value: &Value<'_>, style: Style, level: usize) -> Option<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) if style.numbers != Numbers::Js => {
            let _ = write!(out, "{i}");
        }
        Value::Int(i) => out.push_str(&number_js(*i as f64)),
        Value::BigInt(d) if style.numbers != Numbers::Js => out.push_str(d),
        Value::BigInt(d) => out.push_str(&number_js(d.parse().ok()?)),
        Value::Float(f) => out.push_str(&float(*f, style.numbers)),
        Value::Str(s) => string(out, s, style),
        Value::Utf16(_) | Value::Invalid(_) => return None,
        Value::Array(items) => {
            let parts = items
                .iter()
                .map(|v| {
                    let mut part = String::new();
                    write_value(&mut part, v, style, level + 1).map(|()| part)
                })
                .collect::<Option<Vec<_>>>()?;
            container(out, '[', ']', parts, style, level);
        }
        Value::Object(entries) => {
            let mut entries: Vec<_> = entries.iter().collect();
            if style.sort_keys {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
            let parts = entries
                .iter()
                .map(|(k, v)| {
                    let mut part = String::new();
                    string(&mut part, k, style);
                    part.push_str(style.key_sep);
                    write_value(&mut part, v, style, level + 1).map(|()| part)
                })
                .collect::<Option<Vec<_>>>()?;
            container(out, '{', '}', parts, style, level);
        }
    }
    Some(())
}

fn container(
    out: &mut String,
    open: char,
    close: char,
    parts: Vec<String>,
    style: Style,
    level: usize,
) {
    out.push(open);
    if parts.is_empty() {
        out.push(close);
        return;
    }
    if style.indent == 0 {
        out.push_str(&parts.join(style.item_sep));
    } else {
        let pad = |n: usize| " ".repeat(n * style.indent);
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "\n{}{part}", pad(level + 1));
        }
        let _ = write!(out, "\n{}", pad(level));
    }
    out.push(close);
}

fn string(out: &mut String, s: &str, style: Style) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{C}' => out.push_str("\\f"),
            '/' if style.escape_slash => out.push_str("\\/"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if style.escape_html => {
                unicode_escape(out, c)
            }
            c if (c as u32) < 0x20 => unicode_escape(out, c),
            c if style.ascii_only && !c.is_ascii() => unicode_escape(out, c),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn unicode_escape(out: &mut String, c: char) {
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        let _ = write!(out, "\\u{unit:04x}");
    }
}

fn number_js(f: f64) -> String {
    let mut out = String::new();
    crate::json::write_number_js(&mut out, f);
    out
}

/// Shortest round-trip digits and decimal exponent of a finite, non-zero `f`:
/// `f = 0.d1d2d3… × 10^exp`.
fn digits(f: f64) -> (String, i32) {
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exp.parse::<i32>().expect("exponent") + 1)
}

/// How `numbers` writes the finite or non-finite float `f` (checked against
/// Python 3.11 `json.dumps`, PHP 8.2 `json_encode`, Ruby 3.1 `to_json`).
fn float(f: f64, numbers: Numbers) -> String {
    if numbers == Numbers::Js {
        return number_js(f);
    }
    if !f.is_finite() {
        return match (numbers, f.is_nan(), f > 0.0) {
            (Numbers::Python, true, _) => "NaN".into(),
            (Numbers::Python, _, true) => "Infinity".into(),
            (Numbers::Python, _, false) => "-Infinity".into(),
            _ => "null".into(),
        };
    }
    // PHP writes integral floats as integers: 1.0 is `1`, -0.0 is `-0`.
    let zero_fraction = if numbers == Numbers::Php { "" } else { ".0" };
    if f == 0.0 {
        let sign = if f.is_sign_negative() { "-" } else { "" };
        return format!("{sign}0{zero_fraction}");
    }
    let sign = if f < 0.0 { "-" } else { "" };
    let (digits, exp) = digits(f);
    // All three use exponent form below 1e-4; Ruby's to_s from 1e15 on, Python's
    // repr from 1e16 on, PHP's php_gcvt (precision 17) from 1e17 on.
    let fixed_up_to = match numbers {
        Numbers::Ruby => 15,
        Numbers::Php => 17,
        _ => 16,
    };
    if (-3..=fixed_up_to).contains(&exp) {
        let body = if exp <= 0 {
            format!("0.{}{digits}", "0".repeat((-exp) as usize))
        } else if digits.len() as i32 <= exp {
            format!(
                "{digits}{}{zero_fraction}",
                "0".repeat((exp - digits.len() as i32) as usize)
            )
        } else {
            format!("{}.{}", &digits[..exp as usize], &digits[exp as usize..])
        };
        return format!("{sign}{body}");
    }
    let (head, tail) = digits.split_at(1);
    let tail = if tail.is_empty() {
        "0".to_owned()
    } else {
        tail.to_owned()
    };
    let e = exp - 1;
    let e_sign = if e < 0 { '-' } else { '+' };
    match numbers {
        Numbers::Python if tail == "0" => format!("{sign}{head}e{e_sign}{:02}", e.abs()),
        Numbers::Python => format!("{sign}{head}.{tail}e{e_sign}{:02}", e.abs()),
        Numbers::Ruby => format!("{sign}{head}.{tail}e{e_sign}{:02}", e.abs()),
        _ => format!("{sign}{head}.{tail}e{e_sign}{}", e.abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(entries: Vec<(&'static str, Value<'static>)>) -> Value<'static> {
        Value::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    #[test]
    fn each_style_writes_its_languages_text() {
        let v = obj(vec![
            ("name", Value::str("Zoë</b>")),
            (
                "data",
                obj(vec![("b", Value::Float(1.0)), ("a", Value::Int(2))]),
            ),
        ]);
        assert_eq!(
            write(&v, Style::PYTHON).unwrap(),
            r#"{"name": "Zo\u00eb</b>", "data": {"b": 1.0, "a": 2}}"#
        );
        assert_eq!(
            write(&v, Style::PHP).unwrap(),
            r#"{"name":"Zo\u00eb<\/b>","data":{"b":1,"a":2}}"#
        );
        assert_eq!(
            write(&v, Style::GO).unwrap(),
            r#"{"data":{"a":2,"b":1},"name":"Zoë\u003c/b\u003e"}"#
        );
        assert_eq!(
            write(&v, Style::RUBY).unwrap(),
            r#"{"name":"Zoë</b>","data":{"b":1.0,"a":2}}"#
        );
        assert_eq!(
            write(&v, Style::PRETTY).unwrap(),
            "{\n  \"name\": \"Zoë</b>\",\n  \"data\": {\n    \"b\": 1,\n    \"a\": 2\n  }\n}"
        );
    }

    #[test]
    fn floats_follow_each_language() {
        let f = |x: f64, n| float(x, n);
        assert_eq!(f(1e16, Numbers::Python), "1e+16");
        assert_eq!(f(1.5e-7, Numbers::Python), "1.5e-07");
        assert_eq!(f(0.0001, Numbers::Python), "0.0001");
        assert_eq!(f(123.25, Numbers::Ruby), "123.25");
        assert_eq!(f(1e20, Numbers::Ruby), "1.0e+20");
        assert_eq!(f(1e-5, Numbers::Ruby), "1.0e-05");
        assert_eq!(f(1e15, Numbers::Python), "1000000000000000.0");
        assert_eq!(f(0.1, Numbers::Php), "0.1");
        assert_eq!(f(1e-5, Numbers::Php), "1.0e-5");
    }

    /// What the real serializers wrote for these floats (Python 3.11
    /// `json.dumps(v, separators=(",", ":"))`, PHP 8.2 `json_encode`, Ruby 3.1
    /// `to_json`; tests/doctor/README.md): the integral ones cannot be in the
    /// shared corpus, since JavaScript has no `1.0`.
    #[test]
    fn floats_as_the_real_serializers_wrote_them() {
        let input = [
            0.1,
            1.5e-7,
            1e-5,
            0.0001,
            123.25,
            1e20,
            1e16,
            1e15,
            2.5e16,
            1.0,
            3.0,
            -0.5,
            1e-7,
            1.2345678901234567e-300,
            5e-324,
            1.7976931348623157e308,
            123456789012345680000.0,
            0.000123,
            12345678.9,
            -2.0,
            1e17,
            1.5e17,
            1e21,
            1.5e21,
            0.0,
            -0.0,
            1e14,
            1234567890123456.0,
        ];
        let python = "0.1,1.5e-07,1e-05,0.0001,123.25,1e+20,1e+16,1000000000000000.0,2.5e+16,1.0,3.0,-0.5,1e-07,1.2345678901234568e-300,5e-324,1.7976931348623157e+308,1.2345678901234568e+20,0.000123,12345678.9,-2.0,1e+17,1.5e+17,1e+21,1.5e+21,0.0,-0.0,100000000000000.0,1234567890123456.0";
        let php = "0.1,1.5e-7,1.0e-5,0.0001,123.25,1.0e+20,10000000000000000,1000000000000000,25000000000000000,1,3,-0.5,1.0e-7,1.2345678901234568e-300,5.0e-324,1.7976931348623157e+308,1.2345678901234568e+20,0.000123,12345678.9,-2,1.0e+17,1.5e+17,1.0e+21,1.5e+21,0,-0,100000000000000,1234567890123456";
        let ruby = "0.1,1.5e-07,1.0e-05,0.0001,123.25,1.0e+20,1.0e+16,1.0e+15,2.5e+16,1.0,3.0,-0.5,1.0e-07,1.2345678901234568e-300,5.0e-324,1.7976931348623157e+308,1.2345678901234568e+20,0.000123,12345678.9,-2.0,1.0e+17,1.5e+17,1.0e+21,1.5e+21,0.0,-0.0,100000000000000.0,1.234567890123456e+15";
        for (numbers, want) in [
            (Numbers::Python, python),
            (Numbers::Php, php),
            (Numbers::Ruby, ruby),
        ] {
            let got: Vec<String> = input.iter().map(|x| float(*x, numbers)).collect();
            assert_eq!(got.join(","), want);
        }
    }
}
