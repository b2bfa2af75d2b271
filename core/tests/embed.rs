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
    if preset == "pylon" {
        return pylon_signer();
    }
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

// ---------------------------------------------------------------------------
// The vendors of tests/oracle/vendors/SOURCES.md. The expected snippets below
// are the vendors' documented embeds (SOURCES.md, "Embed") typed out by hand,
// with the values filled in; the hashes come from the `hmac` crate, not from
// the signer.
// ---------------------------------------------------------------------------

/// Lowercase hex HMAC-SHA256, computed without userhash.
fn hmac_hex(key: &[u8], message: &str) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Pylon's secret is hex text; its key is the decoded bytes.
const PYLON_SECRET: &[u8] = b"00ff7Fa0c3d4e5f60718293a4b5c6d7e";

fn pylon_signer() -> Signer {
    Signer::new(PYLON_SECRET, "pylon").unwrap()
}

fn both(user_id: &str, email: &str) -> Input<'static> {
    let mut input = Input::new();
    input.set("user_id", s(user_id)).unwrap();
    input.set("email", s(email)).unwrap();
    input
}

#[test]
fn intercom_settings_and_loader() {
    let html = signer("intercom")
        .embed(
            &both("usr_42", "Ann@Example.com"),
            &opts(&[
                ("widget", s("abc123")),
                ("name", s("Ann")),
                ("api_base", s("https://api-iam.eu.intercom.io")),
            ]),
        )
        .unwrap();
    // The id wins (intercom-rails `user_hash`); both are passed.
    let expected = r#"<script>
  window.intercomSettings = {"api_base":"https://api-iam.eu.intercom.io","app_id":"abc123","user_id":"usr_42","email":"Ann@Example.com","name":"Ann","user_hash":"HASH"};
  (function(){var w=window;var ic=w.Intercom;if(typeof ic==="function"){ic('update',intercomSettings);}else{var d=document;var i=function(){i.c(arguments)};i.q=[];i.c=function(args){i.q.push(args)};w.Intercom=i;function l(){var s=d.createElement('script');s.type='text/javascript';s.async=true;s.src="https://widget.intercom.io/widget/abc123";var x=d.getElementsByTagName('script')[0];x.parentNode.insertBefore(s,x);}if(document.readyState==='complete'){l();}else if(w.attachEvent){w.attachEvent('onload',l);}else{w.addEventListener('load',l,false);}};})();
</script>"#;
    assert_eq!(html, expected.replace("HASH", &hmac_hex(SECRET, "usr_42")));

    // Email only: no user_id key, the email is signed.
    let html = signer("intercom")
        .embed(&Input::email("Ann@Example.com"), &widget("abc123"))
        .unwrap();
    assert!(html.contains(&format!(
        "window.intercomSettings = {{\"app_id\":\"abc123\",\"email\":\"Ann@Example.com\",\"user_hash\":\"{}\"}};",
        hmac_hex(SECRET, "Ann@Example.com")
    )));
    // An integer id is its decimal text, a JS string.
    let mut input = Input::new();
    input.set("user_id", Value::Int(5678)).unwrap();
    let html = signer("intercom").embed(&input, &widget("a b/é")).unwrap();
    assert!(html.contains(&format!(
        "{{\"app_id\":\"a b/é\",\"user_id\":\"5678\",\"user_hash\":\"{}\"}}",
        hmac_hex(SECRET, "5678")
    )));
    assert!(html.contains("s.src=\"https://widget.intercom.io/widget/a%20b%2F%C3%A9\";"));
}

#[test]
fn chatwoot_set_user_after_ready_and_sdk_loader() {
    let signer = signer("chatwoot");
    let input = Input::user_id("usr_42");
    let html = signer
        .embed(
            &input,
            &opts(&[
                ("widget", s("tok3n")),
                ("email", s("ann@example.com")),
                ("name", s("Ann")),
            ]),
        )
        .unwrap();
    let expected = r#"<script>
  window.addEventListener('chatwoot:ready', function () {
    window.$chatwoot.setUser("usr_42", {"email":"ann@example.com","name":"Ann","identifier_hash":"HASH"});
  });
  (function(d,t) {
    var BASE_URL = "https://app.chatwoot.com";
    var g=d.createElement(t),s=d.getElementsByTagName(t)[0];
    g.src= BASE_URL + "/packs/js/sdk.js";
    s.parentNode.insertBefore(g,s);
    g.onload=function(){
      window.chatwootSDK.run({
        websiteToken: "tok3n",
        baseUrl: BASE_URL
      })
    }
  })(document,"script");
</script>"#;
    let hash = hmac_hex(SECRET, "usr_42");
    assert_eq!(html, expected.replace("HASH", &hash));

    // A self-hosted instance; trailing slashes go (the SDK path starts with one).
    let html = signer
        .embed(
            &input,
            &opts(&[
                ("widget", s("t")),
                ("base_url", s("https://chat.example.com/")),
            ]),
        )
        .unwrap();
    assert!(html.contains("    var BASE_URL = \"https://chat.example.com\";\n"));

    let call = signer
        .embed(
            &input,
            &opts(&[("widget", s("t")), ("form", s("identify"))]),
        )
        .unwrap();
    assert_eq!(
        call,
        format!("window.$chatwoot.setUser(\"usr_42\", {{\"identifier_hash\":\"{hash}\"}});")
    );
    // An integer identifier: a string, so ids past 2^53 arrive whole.
    let mut big = Input::new();
    big.set("user_id", Value::Int(9_007_199_254_740_993))
        .unwrap();
    let call = signer
        .embed(&big, &opts(&[("widget", s("t")), ("form", s("identify"))]))
        .unwrap();
    assert!(call.starts_with("window.$chatwoot.setUser(\"9007199254740993\", {"));
    assert!(call.contains(&hmac_hex(SECRET, "9007199254740993")));
}

#[test]
fn crisp_push_and_loader() {
    let signer = signer("crisp");
    let input = Input::email("Ann@Example.com");
    let hash = hmac_hex(SECRET, "Ann@Example.com");
    let html = signer
        .embed(
            &input,
            &opts(&[("widget", s("8d1c-site")), ("name", s("Ann"))]),
        )
        .unwrap();
    let expected = r#"<script>
  window.$crisp=[];window.CRISP_WEBSITE_ID="8d1c-site";(function(){d=document;s=d.createElement('script');s.src="https://client.crisp.chat/l.js";s.async=1;d.getElementsByTagName('head')[0].appendChild(s);})();
  $crisp.push(["set","user:email",["Ann@Example.com","HASH"]]);
  $crisp.push(["set","user:nickname",["Ann"]]);
</script>"#;
    assert_eq!(html, expected.replace("HASH", &hash));
    let call = signer
        .embed(
            &input,
            &opts(&[("widget", s("w")), ("form", s("identify"))]),
        )
        .unwrap();
    assert_eq!(
        call,
        format!("$crisp.push([\"set\",\"user:email\",[\"Ann@Example.com\",\"{hash}\"]]);")
    );
}

#[test]
fn front_bundle_and_init() {
    let html = signer("front")
        .embed(
            &Input::email("Ann@Example.com"),
            &opts(&[("widget", s("c0ffee")), ("name", s("Ann"))]),
        )
        .unwrap();
    let expected = r#"<script src="https://chat-assets.frontapp.com/v1/chat.bundle.js"></script>
<script>
  window.FrontChat('init', {"chatId":"c0ffee","useDefaultLauncher":true,"email":"Ann@Example.com","userHash":"HASH","name":"Ann"});
</script>"#;
    assert_eq!(
        html,
        expected.replace("HASH", &hmac_hex(SECRET, "Ann@Example.com"))
    );
}

#[test]
fn helpscout_beacon_init_and_identify() {
    let signer = signer("helpscout");
    let input = Input::email("steve@aoki.com");
    let hash = hmac_hex(SECRET, "steve@aoki.com");
    let html = signer
        .embed(&input, &opts(&[("widget", s("b-1")), ("name", s("Steve"))]))
        .unwrap();
    let expected = r#"<script type="text/javascript">!function(e,t,n){function a(){var e=t.getElementsByTagName("script")[0],n=t.createElement("script");n.type="text/javascript",n.async=!0,n.src="https://beacon-v2.helpscout.net",e.parentNode.insertBefore(n,e)}if(e.Beacon=n=function(t,n,a){e.Beacon.readyQueue.push({method:t,options:n,data:a})},n.readyQueue=[],"complete"===t.readyState)return a();e.attachEvent?e.attachEvent("onload",a):e.addEventListener("load",a,!1)}(window,document,window.Beacon||function(){});</script>
<script type="text/javascript">
  window.Beacon('init', "b-1");
  window.Beacon('identify', {"name":"Steve","email":"steve@aoki.com","signature":"HASH"});
</script>"#;
    assert_eq!(html, expected.replace("HASH", &hash));
    let call = signer
        .embed(
            &input,
            &opts(&[("widget", s("b-1")), ("form", s("identify"))]),
        )
        .unwrap();
    assert_eq!(
        call,
        format!(
            "window.Beacon('identify', {{\"email\":\"steve@aoki.com\",\"signature\":\"{hash}\"}});"
        )
    );
}

#[test]
fn tawkto_visitor_before_the_embed() {
    let signer = signer("tawkto");
    let input = Input::email("Ann@Example.com");
    let html = signer
        .embed(
            &input,
            &opts(&[
                ("widget", s("5f1e2d3c")),
                ("widget_id", s("1abc")),
                ("name", s("Ann")),
            ]),
        )
        .unwrap();
    let expected = r#"<script type="text/javascript">
  var Tawk_API = Tawk_API || {};
  Tawk_API.visitor = {"name":"Ann","email":"Ann@Example.com","hash":"HASH"};
  var Tawk_LoadStart=new Date();
  (function(){
    var s1 = document.createElement( 'script' ),s0=document.getElementsByTagName( 'script' )[0];
    s1.async = true;
    s1.src = "https://embed.tawk.to/5f1e2d3c/1abc";
    s1.charset = 'UTF-8';
    s1.setAttribute( 'crossorigin','*' );
    s0.parentNode.insertBefore( s1, s0 );
  })();
</script>"#;
    assert_eq!(
        html,
        expected.replace("HASH", &hmac_hex(SECRET, "Ann@Example.com"))
    );
    let html = signer.embed(&input, &widget("p/1")).unwrap();
    assert!(html.contains("s1.src = \"https://embed.tawk.to/p%2F1/default\";"));
}

#[test]
fn pylon_settings_and_loader_with_the_hex_key() {
    let html = pylon_signer()
        .embed(
            &Input::email("Ann@Example.com"),
            &opts(&[
                ("widget", s("app-1")),
                ("name", s("Ann")),
                ("avatar_url", s("https://example.com/a.png")),
            ]),
        )
        .unwrap();
    let expected = r#"<script>
  window.pylon = {"chat_settings":{"app_id":"app-1","email":"Ann@Example.com","name":"Ann","avatar_url":"https://example.com/a.png","email_hash":"HASH"}};
  (function(){var e=window;var t=document;var n=function(){n.e(arguments)};n.q=[];n.e=function(e){n.q.push(e)};e.Pylon=n;var r=function(){var e=t.createElement("script");e.setAttribute("type","text/javascript");e.setAttribute("async","true");e.setAttribute("src","https://widget.usepylon.com/widget/app-1");var n=t.getElementsByTagName("script")[0];n.parentNode.insertBefore(e,n)};if(t.readyState==="complete"){r()}else if(e.addEventListener){e.addEventListener("load",r,false)}})();
</script>"#;
    let key = hex::decode(PYLON_SECRET).unwrap();
    assert_eq!(
        html,
        expected.replace("HASH", &hmac_hex(&key, "Ann@Example.com"))
    );
}

#[test]
fn plain_init_on_load() {
    let html = signer("plain")
        .embed(
            &Input::email("Ann@Example.com"),
            &opts(&[("widget", s("liveChatApp_01")), ("name", s("Ann Lee"))]),
        )
        .unwrap();
    let expected = r#"<script>
  (function(d, script) {
    script = d.createElement('script');
    script.async = false;
    script.onload = function(){
      Plain.init({"appId":"liveChatApp_01","customerDetails":{"email":"Ann@Example.com","emailHash":"HASH","fullName":"Ann Lee"}});
    };
    script.src = "https://chat.cdn-plain.com/index.js";
    d.getElementsByTagName('head')[0].appendChild(script);
  }(document));
</script>"#;
    assert_eq!(
        html,
        expected.replace("HASH", &hmac_hex(SECRET, "Ann@Example.com"))
    );
}

#[test]
fn canny_loader_and_identify() {
    let signer = signer("canny");
    let input = Input::user_id("u-7");
    let hash = hmac_hex(SECRET, "u-7");
    let html = signer
        .embed(
            &input,
            &opts(&[
                ("widget", s("5ada60c8")),
                ("email", s("ann@example.com")),
                ("name", s("Ann")),
            ]),
        )
        .unwrap();
    let expected = r#"<script>!function(w,d,i,s){function l(){if(!d.getElementById(i)){var f=d.getElementsByTagName(s)[0],e=d.createElement(s);e.type="text/javascript",e.async=!0,e.src="https://canny.io/sdk.js",f.parentNode.insertBefore(e,f)}}if("function"!=typeof w.Canny){var c=function(){c.q.push(arguments)};c.q=[],w.Canny=c,"complete"===d.readyState?l():w.attachEvent?w.attachEvent("onload",l):w.addEventListener("load",l,!1)}}(window,document,"canny-jssdk","script");</script>
<script>
  Canny('identify', {"appID":"5ada60c8","user":{"email":"ann@example.com","id":"u-7","name":"Ann"},"hash":"HASH"});
</script>"#;
    assert_eq!(html, expected.replace("HASH", &hash));
    let call = signer
        .embed(
            &input,
            &opts(&[("widget", s("A")), ("form", s("identify"))]),
        )
        .unwrap();
    assert_eq!(
        call,
        format!("Canny('identify', {{\"appID\":\"A\",\"user\":{{\"id\":\"u-7\"}},\"hash\":\"{hash}\"}});")
    );
}

#[test]
fn userflow_init_and_identify() {
    let signer = signer("userflow");
    let input = Input::user_id("u-7");
    let expected = r#"userflow.init("ct_abc");
userflow.identify("u-7", {"name":"Ann","email":"ann@example.com"}, {"signature":"HASH"});"#;
    let options = opts(&[
        ("widget", s("ct_abc")),
        ("name", s("Ann")),
        ("email", s("ann@example.com")),
    ]);
    let call = signer.embed(&input, &options).unwrap();
    assert_eq!(call, expected.replace("HASH", &hmac_hex(SECRET, "u-7")));
    // identify is its only form, so also its default.
    let explicit = opts(&[
        ("widget", s("ct_abc")),
        ("form", s("identify")),
        ("name", s("Ann")),
        ("email", s("ann@example.com")),
    ]);
    assert_eq!(signer.embed(&input, &explicit).unwrap(), call);
}

#[test]
fn featurebase_sdk_and_identify() {
    let signer = signer("featurebase");
    let input = both("usr_42", "Ann@Example.com");
    let hash = hmac_hex(SECRET, "usr_42");
    let html = signer
        .embed(
            &input,
            &opts(&[("widget", s("yourorg")), ("name", s("Ann"))]),
        )
        .unwrap();
    let expected = r#"<script src="https://do.featurebase.app/js/sdk.js" id="featurebase-sdk"></script>
<script>
  Featurebase("identify", {"organization":"yourorg","email":"Ann@Example.com","name":"Ann","userId":"usr_42","userHash":"HASH"});
</script>"#;
    assert_eq!(html, expected.replace("HASH", &hash));
    // Email only: the email is signed.
    let call = signer
        .embed(
            &Input::email("Ann@Example.com"),
            &opts(&[("widget", s("yourorg")), ("form", s("identify"))]),
        )
        .unwrap();
    assert_eq!(
        call,
        format!(
            "Featurebase(\"identify\", {{\"organization\":\"yourorg\",\"email\":\"Ann@Example.com\",\"userHash\":\"{}\"}});",
            hmac_hex(SECRET, "Ann@Example.com")
        )
    );
}

/// One new vendor's rendering of a hostile identity: the preset, the input,
/// the options, the script tags, and where the identity object sits.
struct VendorCase {
    preset: &'static str,
    /// `<script` tags (0 for the identify form).
    tags: usize,
    /// The JS object literal between these (the last `suffix`).
    prefix: &'static str,
    suffix: &'static str,
}

const VENDOR_SCRIPTS: &[VendorCase] = &[
    VendorCase {
        preset: "intercom",
        tags: 1,
        prefix: "window.intercomSettings = ",
        suffix: ";\n  (function(){",
    },
    VendorCase {
        preset: "chatwoot",
        tags: 1,
        prefix: "window.$chatwoot.setUser(",
        suffix: ");\n  });",
    },
    VendorCase {
        preset: "crisp",
        tags: 1,
        prefix: "$crisp.push([\"set\",\"user:email\",",
        suffix: "]);\n  $crisp.push([\"set\",\"user:nickname\"",
    },
    VendorCase {
        preset: "front",
        tags: 2,
        prefix: "window.FrontChat('init', ",
        suffix: ");\n</script>",
    },
    VendorCase {
        preset: "helpscout",
        tags: 2,
        prefix: "window.Beacon('identify', ",
        suffix: ");\n</script>",
    },
    VendorCase {
        preset: "tawkto",
        tags: 1,
        prefix: "Tawk_API.visitor = ",
        suffix: ";\n  var Tawk_LoadStart",
    },
    VendorCase {
        preset: "pylon",
        tags: 1,
        prefix: "window.pylon = ",
        suffix: ";\n  (function(){",
    },
    VendorCase {
        preset: "plain",
        tags: 1,
        prefix: "Plain.init(",
        suffix: ");\n    };",
    },
    VendorCase {
        preset: "canny",
        tags: 2,
        prefix: "Canny('identify', ",
        suffix: ");\n</script>",
    },
    VendorCase {
        preset: "userflow",
        tags: 0,
        prefix: "userflow.identify(",
        suffix: ");",
    },
    VendorCase {
        preset: "featurebase",
        tags: 2,
        prefix: "Featurebase(\"identify\", ",
        suffix: ");\n</script>",
    },
];

fn array_item<'v>(v: &'v Value<'static>, i: usize) -> &'v Value<'static> {
    match v {
        Value::Array(items) => &items[i],
        other => panic!("not an array: {other:?}"),
    }
}

fn as_str(v: &Value<'static>) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn new_vendors_carry_hostile_identities_intact() {
    for case in VENDOR_SCRIPTS {
        let signer = signer(case.preset);
        let key = if case.preset == "pylon" {
            hex::decode(PYLON_SECRET).unwrap()
        } else {
            SECRET.to_vec()
        };
        let signs_id = matches!(case.preset, "chatwoot" | "canny" | "userflow");
        for h in HOSTILE {
            let input = match case.preset {
                "intercom" | "featurebase" => both(h, h),
                _ if signs_id => Input::user_id(h),
                _ => Input::email(h),
            };
            let mut options = vec![("widget", s(&format!("w</script>{h}"))), ("name", s(h))];
            if signs_id {
                options.push(("email", s(h)));
            }
            let html = signer.embed(&input, &opts(&options)).unwrap();
            let what = format!("{} {h:?}: {html}", case.preset);
            assert_contained_js(&html, case.tags);
            assert!(!html.contains('\r'), "{what}");
            let hash = hmac_hex(&key, h);
            // The call's arguments, as one JSON array.
            let start = html.rfind(case.prefix).unwrap() + case.prefix.len();
            let end = html.rfind(case.suffix).unwrap();
            let args = json::parse(&format!("[{}]", &html[start..end])).unwrap();
            let got = array_item(&args, 0);
            match case.preset {
                "intercom" => {
                    assert_eq!(str_field(got, "app_id"), format!("w</script>{h}"), "{what}");
                    for k in ["user_id", "email", "name"] {
                        assert_eq!(str_field(got, k), *h, "{what}");
                    }
                    assert_eq!(str_field(got, "user_hash"), hash, "{what}");
                    let url = format!(
                        "s.src=\"https://widget.intercom.io/widget/w%3C%2Fscript%3E{}\";",
                        encode_uri_component(h)
                    );
                    assert!(html.contains(&url), "{what}");
                }
                "chatwoot" | "userflow" => {
                    // The id string, then objects.
                    assert_eq!(as_str(array_item(&args, 0)), *h, "{what}");
                    let attrs = array_item(&args, 1);
                    assert_eq!(str_field(attrs, "name"), *h, "{what}");
                    assert_eq!(str_field(attrs, "email"), *h, "{what}");
                    let signed = if case.preset == "chatwoot" {
                        str_field(attrs, "identifier_hash")
                    } else {
                        str_field(array_item(&args, 2), "signature")
                    };
                    assert_eq!(signed, hash, "{what}");
                }
                "crisp" => {
                    assert_eq!(as_str(array_item(got, 0)), *h, "{what}");
                    assert_eq!(as_str(array_item(got, 1)), hash, "{what}");
                    let nick = literal(&html, "[\"set\",\"user:nickname\",[", "]]);\n</script>");
                    assert_eq!(as_str(&nick), *h, "{what}");
                    let site = literal(&html, "window.CRISP_WEBSITE_ID=", ";(function");
                    assert_eq!(as_str(&site), format!("w</script>{h}"), "{what}");
                }
                "front" => {
                    assert_eq!(str_field(got, "chatId"), format!("w</script>{h}"), "{what}");
                    assert_eq!(str_field(got, "email"), *h, "{what}");
                    assert_eq!(str_field(got, "name"), *h, "{what}");
                    assert_eq!(str_field(got, "userHash"), hash, "{what}");
                }
                "helpscout" => {
                    assert_eq!(str_field(got, "email"), *h, "{what}");
                    assert_eq!(str_field(got, "name"), *h, "{what}");
                    assert_eq!(str_field(got, "signature"), hash, "{what}");
                    let id = literal(
                        &html,
                        "window.Beacon('init', ",
                        ");\n  window.Beacon('identify'",
                    );
                    assert_eq!(as_str(&id), format!("w</script>{h}"), "{what}");
                }
                "tawkto" => {
                    assert_eq!(str_field(got, "email"), *h, "{what}");
                    assert_eq!(str_field(got, "name"), *h, "{what}");
                    assert_eq!(str_field(got, "hash"), hash, "{what}");
                    let src = literal(&html, "s1.src = ", ";\n    s1.charset");
                    assert_eq!(
                        as_str(&src),
                        format!(
                            "https://embed.tawk.to/w%3C%2Fscript%3E{}/default",
                            encode_uri_component(h)
                        ),
                        "{what}"
                    );
                }
                "pylon" => {
                    let settings = field(got, "chat_settings").unwrap();
                    assert_eq!(
                        str_field(settings, "app_id"),
                        format!("w</script>{h}"),
                        "{what}"
                    );
                    assert_eq!(str_field(settings, "email"), *h, "{what}");
                    assert_eq!(str_field(settings, "name"), *h, "{what}");
                    assert_eq!(str_field(settings, "email_hash"), hash, "{what}");
                }
                "plain" => {
                    assert_eq!(str_field(got, "appId"), format!("w</script>{h}"), "{what}");
                    let details = field(got, "customerDetails").unwrap();
                    assert_eq!(str_field(details, "email"), *h, "{what}");
                    assert_eq!(str_field(details, "fullName"), *h, "{what}");
                    assert_eq!(str_field(details, "emailHash"), hash, "{what}");
                }
                "canny" => {
                    assert_eq!(str_field(got, "appID"), format!("w</script>{h}"), "{what}");
                    let user = field(got, "user").unwrap();
                    for k in ["id", "email", "name"] {
                        assert_eq!(str_field(user, k), *h, "{what}");
                    }
                    assert_eq!(str_field(got, "hash"), hash, "{what}");
                }
                "featurebase" => {
                    assert_eq!(
                        str_field(got, "organization"),
                        format!("w</script>{h}"),
                        "{what}"
                    );
                    for k in ["userId", "email", "name"] {
                        assert_eq!(str_field(got, k), *h, "{what}");
                    }
                    assert_eq!(str_field(got, "userHash"), hash, "{what}");
                }
                other => panic!("no check for {other}"),
            }
        }
    }
}

#[test]
fn new_vendors_identify_forms_are_bare_statements() {
    for (preset, input) in [
        ("chatwoot", Input::user_id("</script>")),
        ("crisp", Input::email("</script>")),
        ("helpscout", Input::email("</script>")),
        ("canny", Input::user_id("</script>")),
        ("featurebase", Input::email("</script>")),
        ("userflow", Input::user_id("</script>")),
    ] {
        let call = signer(preset)
            .embed(
                &input,
                &opts(&[
                    ("widget", s("<!--w")),
                    ("form", s("identify")),
                    ("name", s("\u{2028}")),
                ]),
            )
            .unwrap();
        assert_contained_js(&call, 0);
        assert!(call.ends_with(");"), "{call}");
        assert!(call.contains("\\u003c/script\\u003e"), "{call}");
    }
}

#[test]
fn new_vendors_nonce_on_every_tag_and_on_the_loaded_script() {
    let nonce = "r4nd0m+/=\"&'<";
    let escaped_attr = " nonce=\"r4nd0m+/=&quot;&amp;&#39;&lt;\"";
    // The nonce as a JS string in a script: `"` and `\` escaped, `<` and `&` as \u.
    let js = "\"r4nd0m+/=\\\"\\u0026'\\u003c\"";
    // (preset, input, script tags, the element the loader creates, if any)
    let cases: [(&str, Input<'static>, usize, Option<&str>); 10] = [
        ("intercom", Input::email("a@x.com"), 1, Some("s.nonce=")),
        ("chatwoot", Input::user_id("1"), 1, Some("g.nonce=")),
        ("crisp", Input::email("a@x.com"), 1, Some("s.nonce=")),
        ("front", Input::email("a@x.com"), 2, None),
        ("helpscout", Input::email("a@x.com"), 2, Some(",n.nonce=")),
        ("tawkto", Input::email("a@x.com"), 1, Some("s1.nonce=")),
        ("pylon", Input::email("a@x.com"), 1, Some("e.nonce=")),
        ("plain", Input::email("a@x.com"), 1, Some("script.nonce=")),
        ("canny", Input::user_id("1"), 2, Some(",e.nonce=")),
        ("featurebase", Input::email("a@x.com"), 2, None),
    ];
    for (preset, input, tags, loader) in cases {
        let signer = signer(preset);
        let html = signer
            .embed(&input, &opts(&[("widget", s("w")), ("nonce", s(nonce))]))
            .unwrap();
        assert_contained_js(&html, tags);
        assert_eq!(html.matches(escaped_attr).count(), tags, "{html}");
        match loader {
            Some(set) => assert_eq!(html.matches(&format!("{set}{js}")).count(), 1, "{html}"),
            None => assert!(!html.contains(".nonce="), "{html}"),
        }
        let plain = signer.embed(&input, &widget("w")).unwrap();
        assert!(!plain.contains("nonce"), "{plain}");
        let null = signer
            .embed(&input, &opts(&[("widget", s("w")), ("nonce", Value::Null)]))
            .unwrap();
        assert_eq!(null, plain);
    }
    // Userflow's only form has no tag: no nonce option.
    let (code, message) = embed_err(
        "userflow",
        &Input::user_id("1"),
        &opts(&[("widget", s("w")), ("nonce", s("n"))]),
    );
    assert_eq!(code, "invalid_input");
    assert_eq!(
        message,
        "unknown embed option \"nonce\" for userflow: expected widget, form, email, name"
    );
}

#[test]
fn new_vendors_option_errors_name_the_option() {
    let email = Input::email("a@x.com");
    let id = Input::user_id("1");
    let invalid = |preset: &str, input: &Input<'_>, options: Value<'static>, expected: &str| {
        let (code, message) = embed_err(preset, input, &options);
        assert_eq!(code, "invalid_input", "{message}");
        assert_eq!(message, expected);
    };
    for (preset, input, meaning) in [
        ("intercom", &email, "the Intercom app_id"),
        ("chatwoot", &id, "the Chatwoot websiteToken"),
        ("crisp", &email, "the Crisp CRISP_WEBSITE_ID"),
        ("front", &email, "the Front chatId"),
        ("helpscout", &email, "the Help Scout Beacon id"),
        ("tawkto", &email, "the tawk.to property id"),
        ("plain", &email, "the Plain appId"),
        ("canny", &id, "the Canny appID"),
        ("userflow", &id, "the Userflow token"),
        ("featurebase", &email, "the Featurebase organization"),
    ] {
        invalid(
            preset,
            input,
            opts(&[("name", s("Ann"))]),
            &format!("embed option widget is required ({meaning})"),
        );
    }
    invalid(
        "intercom",
        &email,
        opts(&[("widget", s("w")), ("email", s("b@x.com"))]),
        "unknown embed option \"email\" for intercom: expected widget, form, nonce, name, api_base",
    );
    invalid(
        "crisp",
        &email,
        opts(&[("widget", s("w")), ("email", s("b@x.com"))]),
        "unknown embed option \"email\" for crisp: expected widget, form, nonce, name",
    );
    invalid(
        "chatwoot",
        &id,
        opts(&[("widget", s("w")), ("baseUrl", s("https://x"))]),
        "unknown embed option \"baseUrl\" for chatwoot: expected widget, form, nonce, base_url, email, name",
    );
    invalid(
        "tawkto",
        &email,
        opts(&[("widget", s("w")), ("avatar_url", s("https://x"))]),
        "unknown embed option \"avatar_url\" for tawkto: expected widget, form, nonce, widget_id, name",
    );
    invalid(
        "pylon",
        &email,
        opts(&[("widget", s("w")), ("widget_id", s("x"))]),
        "unknown embed option \"widget_id\" for pylon: expected widget, form, nonce, name, avatar_url",
    );
    invalid(
        "chatwoot",
        &id,
        opts(&[("widget", s("w")), ("base_url", s("javascript:alert(1)//"))]),
        "embed option base_url must be an http:// or https:// URL",
    );
    invalid(
        "chatwoot",
        &id,
        opts(&[("widget", s("w")), ("base_url", s("https:///"))]),
        "embed option base_url must be an http:// or https:// URL",
    );
    invalid(
        "intercom",
        &email,
        opts(&[("widget", s("w")), ("api_base", s("api-iam.intercom.io"))]),
        "embed option api_base must be an http:// or https:// URL",
    );
    invalid(
        "chatwoot",
        &id,
        opts(&[("widget", s("w")), ("base_url", Value::Int(1))]),
        "embed option base_url must be a string, got integer",
    );
    invalid(
        "chatwoot",
        &id,
        opts(&[
            ("widget", s("w")),
            ("form", s("identify")),
            ("base_url", s("https://x.com")),
        ]),
        "embed option base_url applies to form script only (form identify has no loader)",
    );
    invalid(
        "tawkto",
        &email,
        opts(&[("widget", s("w")), ("widget_id", s(""))]),
        "embed option widget_id is empty",
    );
    invalid(
        "front",
        &email,
        opts(&[("widget", s("w")), ("form", s("identify"))]),
        "embed option form \"identify\" is not available for front: expected script",
    );
    invalid(
        "userflow",
        &id,
        opts(&[("widget", s("w")), ("form", s("script"))]),
        "embed option form \"script\" is not available for userflow: expected identify",
    );
    invalid(
        "helpscout",
        &email,
        opts(&[
            ("widget", s("w")),
            ("form", s("identify")),
            ("nonce", s("n")),
        ]),
        "embed option nonce applies to form script only (form identify has no script tag)",
    );
    invalid(
        "canny",
        &id,
        opts(&[("widget", s("w")), ("name", Value::Bool(false))]),
        "embed option name must be a string, got boolean",
    );
    invalid(
        "front",
        &email,
        opts(&[("widget", s("w")), ("nonce", s("a\0b"))]),
        "nonce contains U+0000, which an HTML attribute cannot carry",
    );
    // Input errors are those of sign.
    let (code, message) = embed_err("crisp", &id, &widget("w"));
    assert_eq!(code, "invalid_input");
    assert_eq!(message, "crisp signs email; unexpected field user_id");
    let (code, _) = embed_err("chatwoot", &Input::user_id(""), &widget("w"));
    assert_eq!(code, "empty_identity");
    // Pylon's secret is hex: a signer with another secret never gets this far.
    let err = Signer::new(SECRET, "pylon").unwrap_err();
    assert_eq!(err.code().as_str(), "invalid_secret");
}

/// A row of tests/tokens/vectors.json (made by npm jsonwebtoken): signer, input,
/// token options as the embed options take them, and the token jsonwebtoken wrote.
fn token_vector(
    id: &str,
) -> (
    Signer,
    Input<'static>,
    Vec<(String, Value<'static>)>,
    String,
) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/tokens/vectors.json"
    ))
    .unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let row = file["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap();
    let signer = Signer::new(
        row["secret"].as_str().unwrap().as_bytes(),
        row["preset"].as_str().unwrap(),
    )
    .unwrap();
    let parse = |v: &serde_json::Value| json::parse(&v.to_string()).unwrap().into_owned();
    let mut input = Input::new();
    for (k, v) in row["input"].as_object().unwrap() {
        input.set(k, parse(v)).unwrap();
    }
    let options = row["options"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), parse(v)))
        .collect();
    (
        signer,
        input,
        options,
        row["token"].as_str().unwrap().to_owned(),
    )
}

fn with(options: &[(String, Value<'static>)], extra: &[(&str, Value<'static>)]) -> Value<'static> {
    let mut all: Vec<(&str, Value<'static>)> = options
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    all.extend(extra.iter().cloned());
    opts(&all)
}

#[test]
fn intercom_jwt_settings_carry_the_token_only() {
    let (signer, input, options, token) = token_vector("intercom-jwt-integer-id");
    let html = signer
        .embed(&input, &with(&options, &[("widget", s("abc123"))]))
        .unwrap();
    // intercom-rails with JWT on: no user_id, email or name beside the token.
    assert!(html.starts_with(&format!(
        "<script>\n  window.intercomSettings = {{\"app_id\":\"abc123\",\"intercom_user_jwt\":\"{token}\"}};\n  (function(){{var w=window;"
    )), "{html}");
    assert!(html.contains(r#"s.src="https://widget.intercom.io/widget/abc123";"#));
    let html = signer
        .embed(
            &input,
            &with(
                &options,
                &[
                    ("widget", s("a")),
                    ("api_base", s("https://api-iam.eu.intercom.io")),
                    ("nonce", s("n1")),
                ],
            ),
        )
        .unwrap();
    assert!(html.contains(&format!(r#"{{"api_base":"https://api-iam.eu.intercom.io","app_id":"a","intercom_user_jwt":"{token}"}}"#)));
    assert!(html.starts_with(r#"<script nonce="n1">"#) && html.contains(r#"s.nonce="n1";"#));
}

#[test]
fn zendesk_login_user_with_the_token() {
    let (signer, input, options, token) = token_vector("zendesk-basic");
    let call =
        format!("zE('messenger', 'loginUser', function (callback) {{ callback(\"{token}\"); }});");
    let html = signer
        .embed(&input, &with(&options, &[("widget", s("key 1'"))]))
        .unwrap();
    assert_eq!(
        html,
        format!("<script id=\"ze-snippet\" src=\"https://static.zdassets.com/ekr/snippet.js?key=key%201&#39;\"></script>\n<script>\n  {call}\n</script>")
    );
    let html = signer
        .embed(
            &input,
            &with(&options, &[("widget", s("k")), ("form", s("identify"))]),
        )
        .unwrap();
    assert_eq!(html, call);
    // The identify form names no widget: the key may be left out.
    let html = signer
        .embed(&input, &with(&options, &[("form", s("identify"))]))
        .unwrap();
    assert_eq!(html, call);
    // Zendesk needs the kid: the token's error, not an embed one.
    let no_kid: Vec<_> = options
        .iter()
        .filter(|(k, _)| k != "kid")
        .cloned()
        .collect();
    let err = signer
        .embed(&input, &with(&no_kid, &[("widget", s("k"))]))
        .unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.path()),
        ("invalid_input", Some("kid"))
    );
}

#[test]
fn drift_and_kustomer_identify_calls() {
    let (signer, input, options, token) = token_vector("drift-basic");
    let html = signer.embed(&input, &with(&options, &[])).unwrap();
    assert_eq!(
        html,
        format!(r#"drift.identify("12345", {{}}, {{"userJwt":"{token}"}});"#)
    );
    let (signer, input, options, token) = token_vector("kustomer-both");
    let html = signer.embed(&input, &with(&options, &[])).unwrap();
    assert_eq!(
        html,
        format!(r#"Kustomer.login({{"jwtToken":"{token}"}});"#)
    );
    // Identify-only: no loader, so no widget key and no nonce.
    let err = signer
        .embed(&input, &with(&options, &[("widget", s("w"))]))
        .unwrap_err();
    assert!(
        err.message()
            .starts_with("unknown embed option \"widget\" for kustomer"),
        "{}",
        err.message()
    );
}

#[test]
fn token_presets_without_a_widget_embed() {
    for preset in ["featurebase_jwt", "canny_sso"] {
        let err = Signer::new(SECRET, preset)
            .unwrap()
            .embed(&Input::email("a@x.com"), &widget("w"))
            .unwrap_err();
        assert_eq!(err.code().as_str(), "invalid_input");
        assert_eq!(err.message(), format!("{preset} has no widget embed yet"));
    }
}

#[test]
fn identify_forms_that_name_the_app_still_need_the_widget() {
    for preset in ["canny", "featurebase"] {
        let err = signer(preset)
            .embed(&Input::email("a@b.c"), &opts(&[("form", s("identify"))]))
            .unwrap_err();
        assert_eq!(err.code().as_str(), "invalid_input", "{preset}");
        assert!(
            err.to_string().contains("widget is required"),
            "{preset}: {err}"
        );
    }
}
