//! One test per canonicalization rule. Expected strings were produced by Node 20
//! (`toLowerCase`, `trim`, `JSON.stringify`); expected MACs are RFC 4231 answers.

use userhash::{json, text, ErrorCode, Input, Signer, Value};

fn canonical(preset: &str, input: &Input<'_>) -> Result<String, ErrorCode> {
    let signer = Signer::new(b"k", preset).unwrap();
    signer
        .canonical(input)
        .map(|c| c.into_owned())
        .map_err(|e| e.code())
}

fn visitor(json_text: &str) -> Input<'static> {
    let mut input = Input::new();
    input
        .set("visitor", json::parse(json_text).unwrap())
        .unwrap();
    input
}

#[test]
fn lowercase_matches_js_on_special_mappings() {
    for (given, node) in [
        ("İ", "i\u{307}"),
        ("ΟΔΟΣ@x.gr", "οδος@x.gr"),
        ("ΣΑΣ", "σας"),
        ("Σ", "σ"),
        ("aΣb", "aσb"),
        ("ΑΣ.", "ας."),
        ("AΣ\u{301}", "aς\u{301}"),
        ("ẞ", "ß"),
        ("\u{212A}", "k"),
        ("𐐀", "𐐨"),
        ("ǅǈǋ", "ǆǉǌ"),
        ("ＡＢＣ", "ａｂｃ"),
        ("Ა", "ა"),
    ] {
        assert_eq!(text::js_lowercase(given), node, "lowercase of {given:?}");
    }
}

#[test]
fn trim_is_the_js_set_exactly() {
    // The full set Node 20 trims, found by scanning every code point.
    let node: Vec<u32> = vec![
        0x9, 0xa, 0xb, 0xc, 0xd, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
        0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
        0xfeff,
    ];
    let ours: Vec<u32> = (0..0x110000u32)
        .filter_map(char::from_u32)
        .filter(|&c| text::is_js_whitespace(c))
        .map(|c| c as u32)
        .collect();
    assert_eq!(ours, node);
    assert_eq!(text::js_trim("\u{85}x\u{200B}"), "\u{85}x\u{200B}");
    assert_eq!(text::js_trim("\u{180E}x"), "\u{180E}x");
}

#[test]
fn presets_canonicalize_their_field() {
    let e = Input::email(" Alice@Example.COM ");
    assert_eq!(canonical("layerup", &e).unwrap(), " Alice@Example.COM ");
    assert_eq!(canonical("ensoras", &e).unwrap(), " alice@example.com ");
    assert_eq!(canonical("supportwire", &e).unwrap(), "alice@example.com");
    assert_eq!(
        canonical("inviaro", &Input::user_id("usr_42")).unwrap(),
        "usr_42"
    );
}

#[test]
fn integer_ids_are_decimal_text() {
    for (v, want) in [
        (Value::Int(42), "42"),
        (Value::Int(-7), "-7"),
        (Value::Int(0), "0"),
    ] {
        let mut input = Input::new();
        input.set("user_id", v).unwrap();
        assert_eq!(canonical("inviaro", &input).unwrap(), want);
    }
    let mut big = Input::new();
    big.set(
        "user_id",
        Value::BigInt("123456789012345678901234567890123456789012".into()),
    )
    .unwrap();
    assert_eq!(
        canonical("inviaro", &big).unwrap(),
        "123456789012345678901234567890123456789012"
    );
}

#[test]
fn ids_of_other_types_are_invalid_input() {
    for v in [
        Value::Float(1.5),
        Value::Bool(true),
        Value::Null,
        Value::Array(vec![]),
    ] {
        let mut input = Input::new();
        input.set("user_id", v).unwrap();
        assert_eq!(canonical("inviaro", &input), Err(ErrorCode::InvalidInput));
    }
}

#[test]
fn supportwire_prefers_external_id_unless_null() {
    let mut both = Input::new();
    both.set("external_id", Value::str("  USR-9 ")).unwrap();
    both.set("email", Value::str("a@b.c")).unwrap();
    assert_eq!(canonical("supportwire", &both).unwrap(), "usr-9");
    let mut null_id = Input::new();
    null_id.set("external_id", Value::Null).unwrap();
    null_id.set("email", Value::str("A@B.C")).unwrap();
    assert_eq!(canonical("supportwire", &null_id).unwrap(), "a@b.c");
}

#[test]
fn empty_identities_are_refused() {
    assert_eq!(
        canonical("layerup", &Input::email("")),
        Err(ErrorCode::EmptyIdentity)
    );
    assert_eq!(
        canonical("supportwire", &Input::email("\u{FEFF} \u{3000}\n")),
        Err(ErrorCode::EmptyIdentity)
    );
    assert_eq!(
        canonical("inviaro", &Input::user_id("")),
        Err(ErrorCode::EmptyIdentity)
    );
    assert_eq!(
        canonical("fluentbot", &visitor(r#"{"name":null,"email":""}"#)),
        Err(ErrorCode::EmptyIdentity)
    );
    // Whitespace is content for presets that do not trim.
    assert_eq!(canonical("layerup", &Input::email(" ")).unwrap(), " ");
}

#[test]
fn fields_are_checked_against_the_preset() {
    assert_eq!(
        canonical("ensoras", &Input::user_id("1")),
        Err(ErrorCode::InvalidInput)
    );
    assert_eq!(
        canonical("ensoras", &Input::new()),
        Err(ErrorCode::InvalidInput)
    );
    let mut wrong_type = Input::new();
    wrong_type.set("email", Value::Int(42)).unwrap();
    let err = Signer::new(b"k", "layerup")
        .unwrap()
        .canonical(&wrong_type)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "email: must be a string, got an integer (42)"
    );
    let mut input = Input::new();
    assert_eq!(
        input.set("mail", Value::Null).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    input.set("userId", Value::Int(1)).unwrap();
    assert_eq!(
        input.set("user_id", Value::Int(2)).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
}

#[test]
fn fluentbot_payload_is_json_stringify() {
    // Node: JSON.stringify({name: v.name, email: v.email, data: v.data ?? null})
    let cases = [
        (r#"{"email":"a@b","name":"A","data":{"b":1.0,"10":[1e21,-0.0,5e-324,1e-7,0.000001,9007199254740993],"1":"\u2028<"}}"#,
         "{\"name\":\"A\",\"email\":\"a@b\",\"data\":{\"1\":\"\u{2028}<\",\"10\":[1e+21,0,5e-324,1e-7,0.000001,9007199254740992],\"b\":1}}"),
        (r#"{"email":"a@b"}"#, r#"{"email":"a@b","data":null}"#),
        (r#"{"name":null,"email":"a@b","data":false}"#, r#"{"name":null,"email":"a@b","data":false}"#),
        (r#"{"email":"x","data":{"01":1,"-1":2,"4294967295":3,"4294967294":4,"0":5}}"#,
         r#"{"email":"x","data":{"0":5,"4294967294":4,"01":1,"-1":2,"4294967295":3}}"#),
        (r#"{"email":"x","data":"\u0000\u001f\b\f\n\r\t\"\\/<>&é😀"}"#,
         "{\"email\":\"x\",\"data\":\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/<>&é😀\"}"),
        (r#"{"email":"x","data":[1e400,-1e-400,123456789012345678901234567890,0.1,100,-1.5e-10]}"#,
         r#"{"email":"x","data":[null,0,1.2345678901234568e+29,0.1,100,-1.5e-10]}"#),
        (r#"{"email":"x","signature":"ignored","data":{"a":1,"a":2,"b":3}}"#,
         r#"{"email":"x","data":{"a":2,"b":3}}"#),
    ];
    for (given, node) in cases {
        assert_eq!(
            canonical("fluentbot", &visitor(given)).unwrap(),
            node,
            "for {given}"
        );
    }
}

#[test]
fn nan_and_infinity_serialize_as_null() {
    let mut input = Input::new();
    let data = Value::Array(vec![
        Value::Float(f64::NAN),
        Value::Float(f64::NEG_INFINITY),
        Value::Float(-0.0),
    ]);
    input
        .set(
            "visitor",
            Value::Object(vec![
                ("email".into(), Value::str("x")),
                ("data".into(), data),
            ]),
        )
        .unwrap();
    assert_eq!(
        canonical("fluentbot", &input).unwrap(),
        r#"{"email":"x","data":[null,null,0]}"#
    );
}

#[test]
fn nesting_limit_is_128_levels_including_the_payload() {
    let nest = |levels: usize| {
        format!(
            "{{\"email\":\"x\",\"data\":{}1{}}}",
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    assert!(canonical("fluentbot", &visitor(&nest(127))).is_ok());
    let err = json::parse(&nest(128)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooDeep);
    // Built natively (not from text), the serializer enforces the same limit.
    let mut deep = Value::Int(1);
    for _ in 0..128 {
        deep = Value::Array(vec![deep]);
    }
    let mut input = Input::new();
    input
        .set(
            "visitor",
            Value::Object(vec![
                ("email".into(), Value::str("x")),
                ("data".into(), deep),
            ]),
        )
        .unwrap();
    assert_eq!(canonical("fluentbot", &input), Err(ErrorCode::TooDeep));
    assert_eq!(
        json::parse(&"[".repeat(100_000)).unwrap_err().code(),
        ErrorCode::TooDeep
    );
}

#[test]
fn invalid_values_are_reported_with_their_path() {
    let data = Value::Object(vec![
        ("ok".into(), Value::Int(1)),
        (
            "items".into(),
            Value::Array(vec![Value::Null, Value::unsupported("datetime")]),
        ),
    ]);
    let mut input = Input::new();
    input
        .set(
            "visitor",
            Value::Object(vec![
                ("email".into(), Value::str("x")),
                ("data".into(), data),
            ]),
        )
        .unwrap();
    let err = Signer::new(b"k", "fluentbot")
        .unwrap()
        .sign(&input)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "visitor.data.items[1]: datetime is not a JSON value"
    );
    let mut bad_email = Input::new();
    bad_email.set("email", Value::invalid_utf8()).unwrap();
    let err = Signer::new(b"k", "ensoras")
        .unwrap()
        .sign(&bad_email)
        .unwrap_err();
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        (ErrorCode::InvalidUtf8, "email: string is not valid UTF-8")
    );
}

#[test]
fn malformed_json_text_is_invalid_json() {
    for bad in [
        "{",
        "{\"a\":}",
        "[1,]",
        "'x'",
        "{\"a\":1} x",
        "\"\\ud800",
        "NaN",
    ] {
        assert_eq!(
            json::parse(bad).unwrap_err().code(),
            ErrorCode::InvalidJson,
            "{bad}"
        );
    }
}

/// `JSON.parse` accepts an unpaired surrogate escape and `JSON.stringify`
/// writes it back as the same escape (Node 20:
/// `JSON.stringify(JSON.parse('["\\ud800","\\uDC00x","\\\\ud800"]'))` is
/// `'["\\ud800","\\udc00x","\\\\ud800"]'`).
#[test]
fn lone_surrogate_escapes_parse_as_json_parse_does() {
    let text = r#"["\ud800","\uDC00x","\\ud800","\ud83d\ude00"]"#;
    assert_eq!(
        json::canonicalize_text(text).unwrap(),
        r#"["\ud800","\udc00x","\\ud800","😀"]"#
    );
    let err = Input::from_json(r#"{"email":"a\ud800"}"#)
        .and_then(|i| Signer::new(b"k", "layerup")?.sign(&i))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (ErrorCode::InvalidInput, Some("email"))
    );
    let key = json::parse(r#"{"\ud800":1}"#).unwrap_err();
    assert_eq!(key.code(), ErrorCode::InvalidInput);
}

#[test]
fn hmac_matches_rfc4231_including_long_keys() {
    let mut out = [0u8; 64];
    Signer::new(b"Jefe", "layerup")
        .unwrap()
        .sign_bytes_hex(b"what do ya want for nothing?", &mut out);
    assert_eq!(
        &out[..],
        b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    let long_key = [0xaau8; 131];
    Signer::new(&long_key, "layerup").unwrap().sign_bytes_hex(
        b"Test Using Larger Than Block-Size Key - Hash Key First",
        &mut out,
    );
    assert_eq!(
        &out[..],
        b"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

#[test]
fn secrets_and_presets_are_validated() {
    assert_eq!(
        Signer::new(b"", "ensoras").unwrap_err().code(),
        ErrorCode::EmptySecret
    );
    assert_eq!(
        Signer::new(b"k", "nosuchvendor").unwrap_err().code(),
        ErrorCode::UnknownPreset
    );
    assert_eq!(
        Signer::new(b"k", "Ensoras").unwrap_err().code(),
        ErrorCode::UnknownPreset
    );
    assert_eq!(
        Signer::with_previous(b"k", "ensoras", [b""])
            .unwrap_err()
            .code(),
        ErrorCode::EmptySecret
    );
    assert_eq!(
        Signer::new(b"k", "visitor_json:lowercase")
            .unwrap_err()
            .code(),
        ErrorCode::UnknownPreset
    );
    assert_eq!(
        Signer::new(b"k", "user_id:trim_lowercase")
            .unwrap()
            .scheme()
            .to_string(),
        "user_id:trim_lowercase"
    );
}

#[test]
fn verify_accepts_only_exact_lowercase_hex() {
    let signer = Signer::with_previous(b"new", "ensoras", [b"old"]).unwrap();
    let input = Input::email("a@b.c");
    let hash = signer.sign(&input).unwrap();
    assert!(signer.verify(&hash, &input).unwrap());
    let old = Signer::new(b"old", "ensoras")
        .unwrap()
        .sign(&input)
        .unwrap();
    assert!(signer.verify(&old, &input).unwrap());
    for bad in [
        hash.to_uppercase(),
        format!(" {hash}"),
        hash[..63].to_string(),
        format!("{hash}0"),
        "zz".repeat(32),
        String::new(),
    ] {
        assert!(!signer.verify(&bad, &input).unwrap(), "{bad:?}");
    }
    assert_eq!(
        signer.verify(&hash, &Input::email("")).unwrap_err().code(),
        ErrorCode::EmptyIdentity
    );
}

#[test]
fn secrets_never_show_in_debug_or_errors() {
    let marker = "MARKER-SECRET-7f3a";
    let signer = Signer::with_previous(marker.as_bytes(), "ensoras", [marker.as_bytes()]).unwrap();
    assert!(!format!("{signer:?}").contains(marker));
    let err = signer.sign(&Input::email("")).unwrap_err();
    assert!(!err.to_string().contains(marker));
    std::env::set_var("USERHASH_TEST_EMPTY", "");
    let err = Signer::from_env("USERHASH_TEST_EMPTY", "ensoras", &[]).unwrap_err();
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        (
            ErrorCode::EmptySecret,
            "environment variable USERHASH_TEST_EMPTY is empty"
        )
    );
}

#[test]
fn input_json_wrapper_does_not_count_as_a_level() {
    let nest = |levels: usize| {
        format!(
            "{{\"visitor\":{{\"email\":\"x\",\"data\":{}1{}}}}}",
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    let signer = Signer::new(b"k", "fluentbot").unwrap();
    assert!(signer
        .canonical(&Input::from_json(&nest(127)).unwrap())
        .is_ok());
    let too_deep = Input::from_json(&nest(128)).and_then(|i| signer.sign(&i).map(|_| ()));
    assert_eq!(too_deep.unwrap_err().code(), ErrorCode::TooDeep);
}

#[test]
fn json_text_keeps_js_semantics_for_duplicates_and_number_literals() {
    let input = Input::from_json(r#"{"email":"first","email":"A@B.C"}"#).unwrap();
    assert_eq!(canonical("ensoras", &input).unwrap(), "a@b.c");
    let aliased = Input::from_json(r#"{"user_id":"1","userId":"2"}"#);
    assert_eq!(aliased.unwrap_err().code(), ErrorCode::InvalidInput);
    // Node: JSON.stringify(JSON.parse('[1e400,-1e400,1E2,-0,0.5e-323,18446744073709551616]'))
    assert_eq!(
        json::canonicalize_text("[1e400,-1e400,1E2,-0,0.5e-323,18446744073709551616]").unwrap(),
        "[null,null,100,0,5e-324,18446744073709552000]"
    );
}
