//! A one-pass check that JSON text already is in `JSON.stringify` form: what
//! `JSON.stringify(JSON.parse(text))` would write back, byte for byte. Such
//! text (what `JSON.stringify`, PHP's `json_encode` and Go's encoders mostly
//! produce) is signed from its own bytes, with no value tree. Any doubt gives
//! `None`, and the caller takes the full parser, which also makes every error.
//!
//! A value is in that form when it has no whitespace; every string uses only
//! the escapes `JSON.stringify` writes (`\"`, `\\`, `\b \f \n \r \t`, else
//! `\u00xx` in lowercase for the other control characters); every number is
//! written as ECMAScript `Number::toString` writes its double; and no object
//! has a key given twice or one that starts with a digit (which an
//! array-index key would, and JS orders those first).

use super::write_number_js;

/// The deepest nesting followed (the top-level object is level 1); deeper
/// text takes the parser, which applies the real limit.
const DEPTH: usize = 64;

/// The most keys per object compared for duplicates.
const KEYS: usize = 64;

/// The entries of the JSON object `text`, as (key, value text), in order,
/// when every value is in `JSON.stringify` form and no key has an escape.
/// The object itself may repeat keys or use array-index keys: callers apply
/// their own rule to its entries.
pub(crate) fn object_entries(text: &str) -> Option<Vec<(&str, &str)>> {
    let mut scan = Scan {
        text: text.as_bytes(),
        at: 0,
        keys: Vec::with_capacity(16),
    };
    if !scan.eat(b'{') {
        return None;
    }
    let mut spans = Vec::with_capacity(4);
    if !scan.eat(b'}') {
        loop {
            let key = scan.key()?;
            if !scan.eat(b':') {
                return None;
            }
            let start = scan.at;
            scan.value(2)?;
            spans.push((key, start..scan.at));
            if scan.eat(b'}') {
                break;
            }
            if !scan.eat(b',') {
                return None;
            }
        }
    }
    if scan.at != text.len() {
        return None;
    }
    // Every span starts and ends at an ASCII delimiter, so it is a char boundary.
    Some(
        spans
            .into_iter()
            .map(|(k, v)| (&text[k], &text[v]))
            .collect(),
    )
}

/// True when `text` is one JSON value in `JSON.stringify` form.
pub(crate) fn is_stringified(text: &str) -> bool {
    let mut scan = Scan {
        text: text.as_bytes(),
        at: 0,
        keys: Vec::new(),
    };
    scan.value(1).is_some() && scan.at == text.len()
}

/// The bytes that end a run of plain string text: those `JSON.stringify` escapes
/// (`"`, `\\` and control characters), from the writer's own table.
static STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = super::ESCAPE[b] != 0;
        b += 1;
    }
    table
};

/// True for a decimal literal `Number::toString` writes as it is, known
/// without converting it: no exponent, no trailing zero, at most 15
/// significant digits (DBL_DIG: such a decimal is the shortest that
/// round-trips its double, so it is the digits JS picks), and at least
/// 0.000001 in magnitude (JS writes smaller numbers with an exponent).
fn short_decimal(literal: &[u8]) -> bool {
    let unsigned = literal.strip_prefix(b"-").unwrap_or(literal);
    let Some(point) = unsigned.iter().position(|&b| b == b'.') else {
        return false;
    };
    let (whole, fraction) = (&unsigned[..point], &unsigned[point + 1..]);
    if !fraction.iter().all(u8::is_ascii_digit) || fraction.last() == Some(&b'0') {
        return false;
    }
    let significant = if whole == b"0" {
        let zeros = fraction.iter().take_while(|&&b| b == b'0').count();
        if zeros > 5 {
            return false;
        }
        fraction.len() - zeros
    } else {
        whole.len() + fraction.len()
    };
    significant <= 15
}

struct Scan<'t> {
    text: &'t [u8],
    at: usize,
    /// The keys of the objects being scanned, innermost last.
    keys: Vec<&'t [u8]>,
}

impl<'t> Scan<'t> {
    fn eat(&mut self, b: u8) -> bool {
        let hit = self.text.get(self.at) == Some(&b);
        self.at += usize::from(hit);
        hit
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match *self.text.get(self.at)? {
            b'"' => self.string().map(drop),
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.text[self.at..]
            .starts_with(word)
            .then(|| self.at += word.len())
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        if depth > DEPTH {
            return None;
        }
        self.at += 1;
        if self.eat(b'}') {
            return Some(());
        }
        let first = self.keys.len();
        loop {
            let range = self.key()?;
            let key = &self.text[range];
            let earlier = &self.keys[first..];
            if key.first().is_some_and(u8::is_ascii_digit)
                || earlier.len() >= KEYS
                || earlier.contains(&key)
            {
                return None;
            }
            self.keys.push(key);
            if !self.eat(b':') {
                return None;
            }
            self.value(depth + 1)?;
            if self.eat(b'}') {
                break;
            }
            if !self.eat(b',') {
                return None;
            }
        }
        self.keys.truncate(first);
        Some(())
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > DEPTH {
            return None;
        }
        self.at += 1;
        if self.eat(b']') {
            return Some(());
        }
        loop {
            self.value(depth + 1)?;
            if self.eat(b']') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// A key without escapes: the range of its text between the quotes.
    fn key(&mut self) -> Option<std::ops::Range<usize>> {
        if self.text.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        self.string()?.then(|| start..self.at - 1)
    }

    /// A string with only the escapes `JSON.stringify` writes; `Some(true)`
    /// when it has none.
    fn string(&mut self) -> Option<bool> {
        self.at += 1;
        let mut plain = true;
        loop {
            while !STOP[usize::from(*self.text.get(self.at)?)] {
                self.at += 1;
            }
            self.at += 1;
            match self.text[self.at - 1] {
                b'"' => return Some(plain),
                b'\\' => {
                    plain = false;
                    let escape = *self.text.get(self.at)?;
                    self.at += 1;
                    match escape {
                        b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            let hex = self.text.get(self.at..self.at + 4)?;
                            // Only a control character without a short escape, in lowercase.
                            let control =
                                matches!(hex, [b'0', b'0', b'0', b'0'..=b'7' | b'b' | b'e' | b'f'])
                                    || matches!(hex, [b'0', b'0', b'1', b'0'..=b'9' | b'a'..=b'f']);
                            if !control {
                                return None;
                            }
                            self.at += 4;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// A number literal (JSON's grammar) that `Number::toString` writes back as it is.
    fn number(&mut self) -> Option<()> {
        let start = self.at;
        self.eat(b'-');
        let digits = self.digits();
        if digits == 0 || (digits > 1 && self.text[self.at - digits] == b'0') {
            return None;
        }
        let mut integer = true;
        if self.eat(b'.') {
            integer = false;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.text.get(self.at), Some(b'e' | b'E')) {
            integer = false;
            self.at += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let literal = &self.text[start..self.at];
        if integer && digits <= 15 && literal != b"-0" {
            return Some(());
        }
        if !integer && short_decimal(literal) {
            return Some(());
        }
        let literal = std::str::from_utf8(literal).ok()?;
        let mut written = String::with_capacity(literal.len());
        write_number_js(&mut written, literal.parse::<f64>().ok()?);
        (written == literal).then_some(())
    }

    fn digits(&mut self) -> usize {
        let n = self.text[self.at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        self.at += n;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// JSON text in many spellings: whitespace, every kind of escape, numbers
    /// written every way JSON allows, repeated and digit-led keys.
    fn text() -> impl Strategy<Value = String> {
        let number = prop_oneof![
            any::<i64>().prop_map(|i| i.to_string()),
            any::<f64>().prop_map(|f| if f.is_finite() {
                format!("{f}")
            } else {
                "0".into()
            }),
            any::<f64>().prop_map(|f| if f.is_finite() {
                format!("{f:e}")
            } else {
                "1E400".into()
            }),
            "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,3})?",
        ];
        let string = "\"([a-zé \u{2028}\u{7f}]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4})*\"";
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            number,
            string
        ];
        let key = prop_oneof!["\"[a-c]\"", "\"[0-9]{1,2}\"", "\"\\\\u006[1-3]\""];
        leaf.prop_recursive(4, 40, 5, move |inner| {
            let ws = prop_oneof![8 => Just(""), 1 => Just(" ")];
            prop_oneof![
                (prop::collection::vec(inner.clone(), 0..5), ws.clone())
                    .prop_map(|(items, ws)| format!("[{ws}{}]", items.join(","))),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|kv| {
                    let entries: Vec<String> =
                        kv.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                    format!("{{{}}}", entries.join(","))
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Text the check accepts is exactly what the parser and serializer write back.
        #[test]
        fn accepted_text_is_its_own_canonical_form(t in text()) {
            if is_stringified(&t) {
                let written = crate::json::canonicalize_text(&t);
                prop_assert_eq!(written.as_deref(), Ok(t.as_str()));
            }
        }

        /// The entries of an accepted object are its own texts.
        #[test]
        fn object_entries_split_accepted_objects(t in text()) {
            if let Some(entries) = object_entries(&t) {
                let joined: Vec<String> = entries.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                prop_assert_eq!(format!("{{{}}}", joined.join(",")), t);
            }
        }
    }

    proptest! {
        /// The shortcut for decimals agrees with converting them and writing them back.
        #[test]
        fn short_decimals_are_written_as_they_are(l in "-?(0|[1-9][0-9]{0,9})\\.0{0,7}[0-9]{1,9}") {
            if short_decimal(l.as_bytes()) {
                let mut written = String::new();
                write_number_js(&mut written, l.parse().unwrap());
                prop_assert_eq!(written, l);
            }
        }
    }

    #[test]
    fn accepts_what_json_stringify_writes() {
        for t in [
            r#"{"name":"Ann","email":"a@b.c","data":{"plan":"pro","mrr":1999.5,"n":-3,"t":[true,false,null],"o":{}}}"#,
            r#"["\"\\\b\f\n\r\t\u0000\u000b\u001f",[]]"#,
            "\"é\u{2028}\u{7f}\"",
            "0",
            "-1",
            "123456789012345",
            "0.1",
            "1e+21",
            "1.5e-7",
            "5e-324",
            "0.000001",
            "-0.5",
        ] {
            assert!(is_stringified(t), "{t}");
        }
    }

    #[test]
    fn refuses_every_other_spelling() {
        for t in [
            " 0",
            "[1 ]",
            "{\"a\" :1}",
            "1.0",
            "1.50",
            "1E+21",
            "1e21",
            "0.0000001",
            "-0",
            "01",
            "1234567890123456789",
            "9007199254740993",
            "1e400",
            "\"\\/\"",
            "\"\\u0041\"",
            "\"\\u000A\"",
            "\"\\u0008\"",
            "\"\\ud800\"",
            "{\"a\":1,\"a\":2}",
            "{\"1\":1}",
            "{\"\\u0061\":1}",
            "[1,]",
            "{\"a\":1,}",
            "tru",
            "nul",
            "\"\u{1}\"",
            "[",
            "1 2",
        ] {
            assert!(!is_stringified(t), "{t}");
        }
    }

    #[test]
    fn nesting_past_the_depth_takes_the_parser() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(is_stringified(&deep(DEPTH)));
        assert!(!is_stringified(&deep(DEPTH + 1)));
    }
}
