//! `Signer::embed`: each vendor's snippet, escaping of hostile identities,
//! encodeURIComponent parity with Node, nonces, option errors.
//!
//! What a real browser makes of these snippets is checked by `tests/browser/`
//! (headless Chromium, the vendors' Node snippets as the oracle). Here the
//! JSON inside `<script>` is read back with the core's JSON parser after
//! undoing the one non-JSON construct the page encoding uses (`["__proto__"]`).

use userhash::embed::{encode_uri_component, escape_html_attr, script_json};
use userhash::{json, Input, Signer, Value};

const SECRET: &[u8] = b"embed-test-secret";

const HOSTILE: &[&str] = &[
    "</script><script>window.pwned=1</script>@x.com",
    "\"><script>window.pwned=1</script><img src=x onerror=\"window.pwned=1\">",
    "';window.pwned=1;//\"",
    "\\\";window.pwned=1;//\\",
    "a\u{2028}b\u{2029}c@x.com",
    "<!--<script>window.pwned=1//",
    "&amp;&lt;&#39;]]>",
    "😀👩‍👩‍👧 émoji@x.com",
    "tab\tcr\rlf\n\u{1}\u{7f}\u{85}\u{feff}@x.com",
    "__proto__",
];

fn signer(preset: &str) -> Signer {
    Signer::new(SECRET, preset).unwrap()
}

fn opts(pairs: &[(&str, Value<'static>)]) -> Value<'static> {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned().into(), v.clone()))
            .collect(),
    )
}

fn s(v: &str) -> Value<'static> {
    Value::Str(v.to_owned().into())
}

fn widget(w: &str) -> Value<'static> {
    opts(&[("widget", s(w))])
}

/// Undoes `escape_html_attr` (the only references it writes).
fn html_attr_decode(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

/// The value of attribute `name="…"` in `html`.
fn attr(html: &str, name: &str) -> String {
    let start = html.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let len = html[start..].find('"').unwrap();
    html_attr_decode(&html[start..start + len])
}

/// The JS object literal between `prefix` and the last `suffix`, as a Value.
fn literal(html: &str, prefix: &str, suffix: &str) -> Value<'static> {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {html}"))
        + prefix.len();
    let end = html.rfind(suffix).unwrap();
    let text = &html[start..end];
    json::parse(&text.replace("[\"__proto__\"]:", "\"__proto__\":")).unwrap()
}

fn field<'v>(obj: &'v Value<'static>, key: &str) -> Option<&'v Value<'static>> {
    match obj {
        Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn str_field(obj: &Value<'static>, key: &str) -> String {
    match field(obj, key) {
        Some(Value::Str(s)) => s.to_string(),
        other => panic!("{key}: {other:?}"),
    }
}

/// The snippet cannot break out of its script elements or attributes.
fn assert_contained(html: &str, script_tags: usize) {
    assert_eq!(html.matches("<script").count(), script_tags, "{html}");
    assert_eq!(html.matches("</script>").count(), script_tags, "{html}");
    assert_eq!(html.matches("</").count(), script_tags, "{html}");
    assert!(!html.contains("<!--"), "{html}");
    assert!(!html.contains("<img"), "{html}");
}

/// [`assert_contained`], and no raw line separators inside the script text.
fn assert_contained_js(html: &str, script_tags: usize) {
    assert_contained(html, script_tags);
    assert!(!html.contains(['\u{2028}', '\u{2029}']), "{html}");
}

#[test]
fn layerup_script_is_the_page_snippet() {
    let signer = signer("layerup");
    let input = Input::email("Alice@Example.COM");
    let html = signer.embed(&input, &widget("wk_123")).unwrap();
    let hash = signer.sign(&input).unwrap();
    assert_eq!(
        html,
        format!(
            "<script\n  src=\"https://us.uselayerup.com/widget-loader.js\"\n  \
             data-widget-key=\"wk_123\"\n  data-user-email=\"Alice@Example.COM\"\n  \
             data-user-hash=\"{hash}\">\n</script>"
        )
    );
}

#[test]
fn layerup_hostile_emails_stay_in_their_attribute() {
    let signer = signer("layerup");
    for email in HOSTILE {
        let input = Input::email(email);
        let html = signer.embed(&input, &widget("w\"k'<>&")).unwrap();
        assert_contained(&html, 1);
        assert_eq!(html.matches('"').count(), 8, "{html}");
        assert!(!html.contains('\''), "{html}");
        assert!(
            !html.contains('\r'),
            "a raw CR would reach the page as LF: {html}"
        );
        assert_eq!(attr(&html, "data-user-email"), *email);
        assert_eq!(attr(&html, "data-widget-key"), "w\"k'<>&");
        assert_eq!(attr(&html, "data-user-hash"), signer.sign(&input).unwrap());
    }
}

#[test]
fn layerup_refuses_nul_in_an_attribute() {
    let signer = signer("layerup");
    let err = signer
        .embed(&Input::email("a\0b@x.com"), &widget("w"))
        .unwrap_err();
    assert_eq!(err.code().as_str(), "invalid_input");
    assert_eq!(
        err.to_string(),
        "email contains U+0000, which an HTML attribute cannot carry"
    );
    // The URL form carries it fine (%00).
    let url = signer
        .embed(
            &Input::email("a\0b"),
            &opts(&[("widget", s("w")), ("form", s("url"))]),
        )
        .unwrap();
    assert!(url.contains("?ue=a%00b&uh="));
}

// Expected values generated ONCE with Node 20 (`node -e` over these inputs,
// printing JSON.stringify(encodeURIComponent(x))) and committed as literals.
const ENCODE_URI_COMPONENT: &[(&str, &str)] = &[
    ("", ""),
    ("plain", "plain"),
    ("a b+c@d.com", "a%20b%2Bc%40d.com"),
    ("-_.!~*'()", "-_.!~*'()"),
    (
        "/?#[]@:$&=,;%\"<>\\^`{|}",
        "%2F%3F%23%5B%5D%40%3A%24%26%3D%2C%3B%25%22%3C%3E%5C%5E%60%7B%7C%7D",
    ),
    ("é", "%C3%A9"),
    ("ñ\u{a0}\u{2028}\u{2029}", "%C3%B1%C2%A0%E2%80%A8%E2%80%A9"),
    (
        "😀👩‍👩‍👧",
        "%F0%9F%98%80%F0%9F%91%A9%E2%80%8D%F0%9F%91%A9%E2%80%8D%F0%9F%91%A7",
    ),
    ("\u{0}\u{1}\u{7f}\r\n\t", "%00%01%7F%0D%0A%09"),
    ("\u{feff}\u{ffff}", "%EF%BB%BF%EF%BF%BF"),
    ("𐐀İ", "%F0%90%90%80%C4%B0"),
    (
        "</script><script>window.pwned=1</script>",
        "%3C%2Fscript%3E%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E",
    ),
];

// Node 20: encodeURIComponent of the 128 ASCII characters U+0000..U+007F, in order.
const ENCODE_URI_COMPONENT_ASCII: &str = "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F%20!%22%23%24%25%26'()*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~%7F";

#[test]
fn encode_uri_component_matches_node() {
    for (input, expected) in ENCODE_URI_COMPONENT {
        assert_eq!(encode_uri_component(input), *expected, "{input:?}");
    }
    let ascii: String = (0u8..128).map(char::from).collect();
    assert_eq!(encode_uri_component(&ascii), ENCODE_URI_COMPONENT_ASCII);
}

#[test]
fn layerup_url_is_the_webview_url() {
    let signer = signer("layerup");
    for (email, encoded) in ENCODE_URI_COMPONENT.iter().filter(|(e, _)| !e.is_empty()) {
        let input = Input::email(email);
        let url = signer
            .embed(&input, &opts(&[("widget", s("w/1 é")), ("form", s("url"))]))
            .unwrap();
        let hash = signer.sign(&input).unwrap();
        assert_eq!(
            url,
            format!("https://us.uselayerup.com/widget/w%2F1%20%C3%A9?ue={encoded}&uh={hash}")
        );
    }
}

#[test]
fn inviaro_settings_and_identify() {
    let signer = signer("inviaro");
    for name in HOSTILE {
        let input = Input::user_id(name);
        let options = opts(&[
            ("widget", s("wt_</script>")),
            ("origin", s("https://yourdomain.com")),
            ("name", s(name)),
            ("email", s(name)),
        ]);
        let html = signer.embed(&input, &options).unwrap();
        assert_contained_js(&html, 2);
        assert!(html.ends_with(
            "};\n</script>\n<script src=\"https://widget.inviaro.com/v1.js\" async></script>"
        ));
        let settings = literal(&html, "window.InviaroSettings = ", ";\n</script>");
        let keys: Vec<&str> = match &settings {
            Value::Object(e) => e.iter().map(|(k, _)| k.as_ref()).collect(),
            _ => unreachable!(),
        };
        assert_eq!(
            keys,
            [
                "key",
                "origin",
                "userId",
                "userHash",
                "userEmail",
                "userName"
            ]
        );
        assert_eq!(str_field(&settings, "key"), "wt_</script>");
        assert_eq!(str_field(&settings, "userId"), *name);
        assert_eq!(str_field(&settings, "userName"), *name);
        assert_eq!(str_field(&settings, "userEmail"), *name);
        assert_eq!(
            str_field(&settings, "userHash"),
            signer.sign(&input).unwrap()
        );

        let call = signer
            .embed(
                &input,
                &opts(&[
                    ("widget", s("wt_1")),
                    ("form", s("identify")),
                    ("name", s(name)),
                ]),
            )
            .unwrap();
        assert!(call.starts_with("Inviaro('identify', {\"userId\":"));
        assert_contained_js(&call, 0);
        let args = literal(&call, "Inviaro('identify', ", ");");
        assert_eq!(str_field(&args, "userId"), *name);
        assert_eq!(str_field(&args, "name"), *name);
        assert_eq!(field(&args, "email"), None);
        assert_eq!(str_field(&args, "userHash"), signer.sign(&input).unwrap());
    }
}

#[test]
fn inviaro_integer_id_is_decimal_text() {
    let signer = signer("inviaro");
    let mut input = Input::new();
    input.set("user_id", Value::Int(42)).unwrap();
    let html = signer.embed(&input, &widget("wt_1")).unwrap();
    assert!(html.contains(&format!(
        "{{\"key\":\"wt_1\",\"userId\":\"42\",\"userHash\":\"{}\"}}",
        signer.sign(&Input::user_id("42")).unwrap()
    )));
}

#[test]
fn ensoras_queue_call_and_identify() {
    let signer = signer("ensoras");
    for email in HOSTILE {
        let input = Input::email(email);
        let html = signer.embed(&input, &widget("my slug'")).unwrap();
        assert_contained_js(&html, 2);
        assert!(html.starts_with(
            "<script>\n  window.EnsorasQueue = window.EnsorasQueue || [];\n  \
             function Ensoras() { EnsorasQueue.push(arguments); }\n  Ensoras('identify', {"
        ));
        assert!(html.ends_with(
            "});\n</script>\n<script src=\"https://app.ensoras.com/cdn/v1/widget/my%20slug&#39;.js\" async defer></script>"
        ));
        let args = literal(&html, "Ensoras('identify', ", ");\n</script>");
        // The email as given; Ensoras lowercases it before checking the hash.
        assert_eq!(str_field(&args, "email"), *email);
        assert_eq!(str_field(&args, "hash"), signer.sign(&input).unwrap());

        let call = signer
            .embed(
                &input,
                &opts(&[("widget", s("x")), ("form", s("identify"))]),
            )
            .unwrap();
        assert_contained_js(&call, 0);
        assert_eq!(literal(&call, "Ensoras('identify', ", ");"), args);
    }
}

#[test]
fn supportwire_one_identity_key_and_user_data() {
    let signer = signer("supportwire");
    let data = json::parse(
        r#"{"name":"</script>","plan":"Pro","account_created_at":1640995200,"b":1.0,"2":[1e21,-0],"__proto__":{"x":"\u2028"}}"#,
    )
    .unwrap();
    let mut input = Input::new();
    input.set("email", s(" Customer@Example.com ")).unwrap();
    let html = signer
        .embed(
            &input,
            &opts(&[("widget", s("slug")), ("data", data.clone())]),
        )
        .unwrap();
    assert_contained_js(&html, 1);
    let config = literal(&html, "new SupportWireWidget(", ");\n</script>");
    assert_eq!(str_field(&config, "widgetSlug"), "slug");
    assert_eq!(str_field(&config, "userEmail"), " Customer@Example.com ");
    assert_eq!(field(&config, "userExternalUserId"), None);
    assert_eq!(
        str_field(&config, "userSignature"),
        signer.sign(&input).unwrap()
    );
    assert_eq!(
        json::stringify(field(&config, "userData").unwrap()).unwrap(),
        json::stringify(&data).unwrap()
    );
    assert!(html.contains(r#""userData":{"2":[1e+21,0],"name":"\u003c/script\u003e","plan":"Pro","account_created_at":1640995200,"b":1,["__proto__"]:{"x":"\u2028"}}"#));

    // The external id wins, and is the only identity key passed.
    input.set("external_id", Value::Int(1007)).unwrap();
    let html = signer.embed(&input, &widget("slug")).unwrap();
    let config = literal(&html, "new SupportWireWidget(", ");\n</script>");
    assert_eq!(str_field(&config, "userExternalUserId"), "1007");
    assert_eq!(field(&config, "userEmail"), None);
    assert_eq!(field(&config, "userData"), None);
    assert_eq!(
        str_field(&config, "userSignature"),
        signer.sign(&input).unwrap()
    );
}

#[test]
fn fluentbot_visitor_restringifies_to_the_signed_payload() {
    let signer = signer("fluentbot");
    let long_name: String = "Ünïcödé \\ \" ' < > & \u{2028} 😀 ".repeat(400);
    assert!(long_name.len() > 10_000);
    let mut visitors: Vec<String> = HOSTILE
        .iter()
        .map(|h| {
            let h = json::stringify(&Value::str(h)).unwrap();
            format!(r#"{{"email":{h},"name":{h},"data":{{"plan":{h},"10":1.5e300,"1":-0.0,"__proto__":{{{h}:null}},"n":9007199254740993}}}}"#)
        })
        .collect();
    visitors.push(format!(
        r#"{{"name":{},"data":null,"extra":"ignored"}}"#,
        json::stringify(&Value::str(&long_name)).unwrap()
    ));
    visitors.push(r#"{"email":"a@x.com"}"#.to_owned());
    visitors.push(r#"{"name":null,"email":"a@x.com","data":[1,{"__proto__":[]}]}"#.to_owned());
    for text in &visitors {
        let visitor = json::parse(text).unwrap();
        let mut input = Input::new();
        input.set("visitor", visitor).unwrap();
        let html = signer.embed(&input, &widget("BOT_</script>")).unwrap();
        assert_contained_js(&html, 2);
        assert!(html.starts_with(
            "<script type=\"module\" src=\"https://cdn.jsdelivr.net/gh/fluent-docai/chat-widget@latest/chat-widget.js\"></script>\n\
             <script type=\"module\">\n  FluentBotChatWidget.injectWidget(\"BOT_\\u003c/script\\u003e\", {\"visitor\":{"
        ));
        let arg = literal(&html, "\"BOT_\\u003c/script\\u003e\", ", ");\n</script>");
        let parsed = field(&arg, "visitor").unwrap();
        // JSON.stringify({name, email, data: data ?? null}) of what the page holds.
        let mut payload = Vec::new();
        for key in ["name", "email"] {
            if let Some(v) = field(parsed, key) {
                payload.push((key.into(), v.clone()));
            }
        }
        payload.push((
            "data".into(),
            field(parsed, "data").cloned().unwrap_or(Value::Null),
        ));
        let restringified = json::stringify(&Value::Object(payload)).unwrap();
        assert_eq!(restringified, signer.canonical(&input).unwrap());
        assert_eq!(str_field(parsed, "signature"), signer.sign(&input).unwrap());
        assert_eq!(field(parsed, "extra"), None);
    }
}

#[test]
fn nonce_on_every_script_tag() {
    let nonce = "r4nd0m+/=\"&'<";
    let escaped = "r4nd0m+/=&quot;&amp;&#39;&lt;";
    let cases: [(&str, Input<'static>, usize); 5] = [
        ("layerup", Input::email("a@x.com"), 1),
        ("inviaro", Input::user_id("usr_1"), 2),
        ("ensoras", Input::email("a@x.com"), 2),
        ("supportwire", Input::email("a@x.com"), 1),
        (
            "fluentbot",
            {
                let mut i = Input::new();
                i.set("visitor", json::parse(r#"{"email":"a@x.com"}"#).unwrap())
                    .unwrap();
                i
            },
            2,
        ),
    ];
    for (preset, input, tags) in cases {
        let signer = signer(preset);
        let html = signer
            .embed(&input, &opts(&[("widget", s("w")), ("nonce", s(nonce))]))
            .unwrap();
        assert_eq!(html.matches("<script").count(), tags, "{html}");
        assert_eq!(
            html.matches(&format!(" nonce=\"{escaped}\"")).count(),
            tags,
            "{html}"
        );
        let plain = signer.embed(&input, &widget("w")).unwrap();
        assert!(!plain.contains("nonce"));
        // A null nonce is no nonce.
        let null = signer
            .embed(&input, &opts(&[("widget", s("w")), ("nonce", Value::Null)]))
            .unwrap();
        assert_eq!(null, plain);
    }
}

fn embed_err(preset: &str, input: &Input<'_>, options: &Value<'_>) -> (String, String) {
    let err = signer(preset).embed(input, options).unwrap_err();
    (err.code().as_str().to_owned(), err.to_string())
}

#[test]
fn option_errors_name_the_option() {
    let email = Input::email("a@x.com");
    let invalid = |preset: &str, input: &Input<'_>, options: Value<'static>, expected: &str| {
        let (code, message) = embed_err(preset, input, &options);
        assert_eq!(code, "invalid_input", "{message}");
        assert_eq!(message, expected);
    };
    invalid(
        "layerup",
        &email,
        s("w"),
        "embed options must be an object, got string",
    );
    invalid(
        "layerup",
        &email,
        opts(&[]),
        "embed option widget is required (the Layerup data-widget-key)",
    );
    invalid(
        "fluentbot",
        &email,
        opts(&[("widget", Value::Null)]),
        "embed option widget is required (the FluentBot bot id)",
    );
    invalid(
        "layerup",
        &email,
        widget(""),
        "embed option widget is empty",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", Value::Int(7))]),
        "embed option widget must be a string, got integer",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("colour", s("red"))]),
        "unknown embed option \"colour\" for layerup: expected widget, form, nonce",
    );
    invalid(
        "ensoras",
        &email,
        opts(&[("widget", s("w")), ("name", s("Ann"))]),
        "unknown embed option \"name\" for ensoras: expected widget, form, nonce",
    );
    invalid(
        "inviaro",
        &Input::user_id("1"),
        opts(&[("widget", s("w")), ("data", opts(&[]))]),
        "unknown embed option \"data\" for inviaro: expected widget, form, nonce, origin, name, email",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("widget", s("v"))]),
        "embed option widget given twice",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("form", s("iframe"))]),
        "embed option form \"iframe\" is not one of script, url, identify",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("form", s("identify"))]),
        "embed option form \"identify\" is not available for layerup: expected script or url",
    );
    invalid(
        "fluentbot",
        &email,
        opts(&[("widget", s("w")), ("form", s("url"))]),
        "embed option form \"url\" is not available for fluentbot: expected script",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("form", Value::Bool(true))]),
        "embed option form must be a string, got boolean",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("form", s("url")), ("nonce", s("n"))]),
        "embed option nonce applies to form script only (form url has no script tag)",
    );
    invalid(
        "ensoras",
        &email,
        opts(&[
            ("widget", s("w")),
            ("form", s("identify")),
            ("nonce", s("n")),
        ]),
        "embed option nonce applies to form script only (form identify has no script tag)",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("nonce", s(""))]),
        "embed option nonce is empty",
    );
    invalid(
        "layerup",
        &email,
        opts(&[("widget", s("w")), ("nonce", s("a\0b"))]),
        "nonce contains U+0000, which an HTML attribute cannot carry",
    );
    invalid(
        "inviaro",
        &Input::user_id("1"),
        opts(&[
            ("widget", s("w")),
            ("form", s("identify")),
            ("origin", s("o")),
        ]),
        "embed option origin applies to form script only (InviaroSettings)",
    );
    invalid(
        "inviaro",
        &Input::user_id("1"),
        opts(&[("widget", s("w")), ("name", Value::Float(1.5))]),
        "embed option name must be a string, got float",
    );
    invalid(
        "supportwire",
        &email,
        opts(&[("widget", s("w")), ("data", Value::Array(vec![]))]),
        "embed option data must be an object, got array",
    );
    invalid(
        "supportwire",
        &email,
        opts(&[
            ("widget", s("w")),
            ("data", opts(&[("at", Value::unsupported("datetime"))])),
        ]),
        "options.data.at: datetime is not a JSON value",
    );
    invalid(
        "supportwire",
        &email,
        opts(&[("widget", s("w")), ("data", Value::unsupported("set"))]),
        "options.data: set is not a JSON value",
    );
}

#[test]
fn custom_schemes_are_refused_and_preset_equal_schemes_are_presets() {
    let custom = Signer::new(SECRET, "email:trim_lowercase").unwrap();
    let err = custom
        .embed(&Input::email("a@x.com"), &widget("w"))
        .unwrap_err();
    assert_eq!(err.code().as_str(), "invalid_input");
    assert!(err.message().starts_with("embed needs a vendor preset"));
    // A spec names a rule, not a vendor (many vendors sign the email as given): no snippet.
    let same = Signer::new(SECRET, "email:lowercase").unwrap();
    let err = same
        .embed(&Input::email("A@x.com"), &widget("w"))
        .unwrap_err();
    assert!(err.message().starts_with("embed needs a vendor preset"));
}

#[test]
fn input_errors_are_those_of_sign() {
    let (code, _) = embed_err("ensoras", &Input::email(""), &widget("w"));
    assert_eq!(code, "empty_identity");
    let (code, message) = embed_err("ensoras", &Input::user_id("1"), &widget("w"));
    assert_eq!(code, "invalid_input");
    assert_eq!(message, "ensoras signs email; unexpected field user_id");
    let mut deep = Value::Null;
    for _ in 0..200 {
        deep = Value::Array(vec![deep]);
    }
    let mut input = Input::new();
    input.set("visitor", opts(&[("data", deep)])).unwrap();
    let (code, _) = embed_err("fluentbot", &input, &widget("w"));
    assert_eq!(code, "too_deep");
}

#[test]
fn escapers() {
    assert_eq!(
        escape_html_attr("<a href='x'>&\"\r\n</a>").unwrap(),
        "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&#13;\n&lt;/a&gt;"
    );
    assert_eq!(escape_html_attr("\u{2028}😀").unwrap(), "\u{2028}😀");
    assert_eq!(
        script_json(r#"{"a":"x\"__proto__\":<","b":["__proto__"],"__proto__":1}"#),
        r#"{"a":"x\"__proto__\":\u003c","b":["__proto__"],["__proto__"]:1}"#
    );
    assert_eq!(
        script_json("\"\\\\\",\"__proto__\":"),
        "\"\\\\\",[\"__proto__\"]:"
    );
}
