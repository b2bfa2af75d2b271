//! Embed snippets: each preset vendor's widget code with the identity signed,
//! escaped for the context every value lands in.
//!
//! [`Signer::embed`] renders the snippet from the vendor's page for the signer's
//! preset. The value the browser ends up with (an attribute it reads, an object
//! literal it evaluates, a URL parameter it decodes) is exactly the value that
//! was signed:
//!
//! * **HTML attributes** ([`escape_html_attr`]): `& < > " '` become character
//!   references, and CR becomes `&#13;` (the HTML parser would turn a raw CR
//!   into LF). U+0000 cannot travel through HTML at all, so it is refused.
//! * **JSON inside `<script>`** ([`script_json`]): object literals are written
//!   by [`crate::json`] (the same strings and numbers that were signed), then
//!   `<`, `>`, `&`, U+2028, U+2029 become `\u003c`, `\u003e`, `\u0026`,
//!   `\u2028`, `\u2029`, and an object key `__proto__` becomes the computed
//!   key `["__proto__"]` (in a JS object literal a plain `"__proto__":` sets
//!   the prototype instead of adding a property). This is the page encoding,
//!   not the canonical form.
//! * **URLs** ([`encode_uri_component`]): JS `encodeURIComponent`.
//!
//! ```
//! use userhash::{Input, Signer, Value};
//! let signer = Signer::new(b"s3cr3t", "ensoras")?;
//! let options = Value::Object(vec![("widget".into(), Value::str("acme"))]);
//! let html = signer.embed(&Input::email("</script>@x.com"), &options)?;
//! assert!(html.contains(r#"Ensoras('identify', {"email":"\u003c/script\u003e@x.com","hash":""#));
//! assert!(html.ends_with(r#"<script src="https://app.ensoras.com/cdn/v1/widget/acme.js" async defer></script>"#));
//! # Ok::<(), userhash::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::input::{Field, Input};
use crate::json::{self, Path};
use crate::scheme::Preset;
use crate::signer::Signer;
use crate::token::TokenKind;
use crate::value::Value;

mod tokens;
mod widgets;

pub use tokens::ZENDESK_LOADER;

pub use widgets::{
    CANNY_LOADER, CHATWOOT_BASE_URL, CRISP_LOADER, FEATUREBASE_LOADER, FRONT_LOADER,
    HELPSCOUT_LOADER, INTERCOM_LOADER, PLAIN_LOADER, PYLON_LOADER, TAWKTO_LOADER,
};

/// Layerup's loader (`data-*` attributes), from the vendor page.
///
/// ```
/// # use userhash::{Input, Signer, Value};
/// let s = Signer::new(b"k", "layerup")?;
/// let html = s.embed(&Input::email("a@x.com"), &Value::Object(vec![("widget".into(), Value::str("w"))]))?;
/// assert!(html.contains(&format!("src=\"{}\"", userhash::embed::LAYERUP_LOADER)));
/// # Ok::<(), userhash::Error>(())
/// ```
pub const LAYERUP_LOADER: &str = "https://us.uselayerup.com/widget-loader.js";
/// Layerup's mobile webview URL prefix; the widget id follows, percent-encoded.
///
/// ```
/// assert_eq!(userhash::embed::LAYERUP_WEBVIEW, "https://us.uselayerup.com/widget/");
/// ```
pub const LAYERUP_WEBVIEW: &str = "https://us.uselayerup.com/widget/";
/// Inviaro's loader, from the vendor page.
///
/// ```
/// assert_eq!(userhash::embed::INVIARO_LOADER, "https://widget.inviaro.com/v1.js");
/// ```
pub const INVIARO_LOADER: &str = "https://widget.inviaro.com/v1.js";
/// Ensoras's loader prefix; `<slug>.js` follows, percent-encoded.
///
/// ```
/// assert!(userhash::embed::ENSORAS_LOADER.ends_with("/cdn/v1/widget/"));
/// ```
pub const ENSORAS_LOADER: &str = "https://app.ensoras.com/cdn/v1/widget/";
/// FluentBot's Widget SDK module, from the vendor page.
///
/// ```
/// assert!(userhash::embed::FLUENTBOT_SDK.starts_with("https://cdn.jsdelivr.net/"));
/// ```
pub const FLUENTBOT_SDK: &str =
    "https://cdn.jsdelivr.net/gh/fluent-docai/chat-widget@latest/chat-widget.js";

/// Which snippet [`Signer::embed`] renders (option `form`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// The page embed (`<script>` tags).
    Script,
    /// Layerup's mobile webview URL.
    Url,
    /// The single-page-app runtime call (Inviaro, Ensoras): a JS statement.
    Identify,
}

impl Form {
    fn name(self) -> &'static str {
        match self {
            Form::Script => "script",
            Form::Url => "url",
            Form::Identify => "identify",
        }
    }
}

/// The options one preset accepts, and the forms it renders.
fn allowed(preset: Preset) -> (&'static [&'static str], &'static [Form]) {
    match preset {
        Preset::Layerup => (&["widget", "form", "nonce"], &[Form::Script, Form::Url]),
        Preset::Inviaro => (
            &["widget", "form", "nonce", "origin", "name", "email"],
            &[Form::Script, Form::Identify],
        ),
        Preset::Ensoras => (
            &["widget", "form", "nonce"],
            &[Form::Script, Form::Identify],
        ),
        Preset::Supportwire => (&["widget", "form", "nonce", "data"], &[Form::Script]),
        Preset::Fluentbot => (&["widget", "form", "nonce"], &[Form::Script]),
        Preset::Intercom => (
            &["widget", "form", "nonce", "name", "api_base"],
            &[Form::Script],
        ),
        Preset::Chatwoot => (
            &["widget", "form", "nonce", "base_url", "email", "name"],
            &[Form::Script, Form::Identify],
        ),
        Preset::Crisp | Preset::Helpscout | Preset::Featurebase => (
            &["widget", "form", "nonce", "name"],
            &[Form::Script, Form::Identify],
        ),
        Preset::Front | Preset::Plain => (&["widget", "form", "nonce", "name"], &[Form::Script]),
        Preset::Tawkto => (
            &["widget", "form", "nonce", "widget_id", "name"],
            &[Form::Script],
        ),
        Preset::Pylon => (
            &["widget", "form", "nonce", "name", "avatar_url"],
            &[Form::Script],
        ),
        Preset::Canny => (
            &["widget", "form", "nonce", "email", "name"],
            &[Form::Script, Form::Identify],
        ),
        Preset::Userflow => (&["widget", "form", "email", "name"], &[Form::Identify]),
        Preset::Token(TokenKind::IntercomJwt) => (
            &[
                "widget", "form", "nonce", "api_base", "kid", "ttl", "now", "claims",
            ],
            &[Form::Script],
        ),
        Preset::Token(TokenKind::Zendesk) => (
            &["widget", "form", "nonce", "kid", "ttl", "now", "claims"],
            &[Form::Script, Form::Identify],
        ),
        // Identify-only forms for a page that already loads the vendor's widget: no widget key.
        Preset::Token(TokenKind::Drift | TokenKind::Kustomer) => {
            (&["form", "kid", "ttl", "now", "claims"], &[Form::Identify])
        }
        _ => (&[], &[]),
    }
}

/// The parsed, checked options.
struct Options<'o> {
    widget: &'o str,
    form: Form,
    nonce: Option<&'o str>,
    origin: Option<&'o str>,
    name: Option<&'o str>,
    email: Option<&'o str>,
    data: Option<&'o Value<'o>>,
    /// Chatwoot's `BASE_URL` (trailing slashes removed).
    base_url: Option<&'o str>,
    /// Intercom's `api_base`.
    api_base: Option<&'o str>,
    /// tawk.to's widget id (the second path segment).
    widget_id: Option<&'o str>,
    /// Pylon's `avatar_url`.
    avatar_url: Option<&'o str>,
    /// The token presets' [`Signer::token`] options (`kid`, `ttl`, `now`, `claims`).
    token: Value<'o>,
}

impl<'o> Options<'o> {
    fn parse(preset: Preset, options: &'o Value<'o>) -> Result<Options<'o>> {
        let entries = match options {
            Value::Object(entries) => entries,
            other => {
                return Err(Error::invalid_input(format!(
                    "embed options must be an object, got {}",
                    other.type_name()
                )))
            }
        };
        let (keys, forms) = allowed(preset);
        for (i, (key, _)) in entries.iter().enumerate() {
            if !keys.contains(&key.as_ref()) {
                return Err(Error::invalid_input(format!(
                    "unknown embed option {key:?} for {}: expected {}",
                    preset.name(),
                    keys.join(", ")
                )));
            }
            if entries[..i].iter().any(|(k, _)| k == key) {
                return Err(Error::invalid_input(format!(
                    "embed option {key} given twice"
                )));
            }
        }
        // A null optional option is the same as an absent one.
        let get = |key: &str| {
            entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .filter(|v| **v != Value::Null)
        };
        let string = |key: &str| -> Result<Option<&'o str>> {
            match get(key) {
                None => Ok(None),
                Some(Value::Str(s)) => Ok(Some(s.as_ref())),
                Some(other) => Err(Error::invalid_input(format!(
                    "embed option {key} must be a string, got {}",
                    other.type_name()
                ))),
            }
        };
        let form = match string("form")? {
            // The default: the page embed, or the preset's only form.
            None => forms[0],
            Some("script") => Form::Script,
            Some("url") => Form::Url,
            Some("identify") => Form::Identify,
            Some(other) => {
                return Err(Error::invalid_input(format!(
                    "embed option form {other:?} is not one of script, url, identify"
                )))
            }
        };
        if !forms.contains(&form) {
            let names: Vec<&str> = forms.iter().map(|f| f.name()).collect();
            return Err(Error::invalid_input(format!(
                "embed option form {:?} is not available for {}: expected {}",
                form.name(),
                preset.name(),
                names.join(" or ")
            )));
        }
        // An identify form for a page that already loads the widget takes no widget key,
        // unless its call names the app.
        let widget_unused = !keys.contains(&"widget")
            || (form == Form::Identify
                && !matches!(
                    preset,
                    Preset::Canny | Preset::Featurebase | Preset::Userflow
                ));
        let widget = match string("widget")? {
            Some("") => return Err(Error::invalid_input("embed option widget is empty")),
            Some(w) => w,
            None if widget_unused => "",
            None => {
                return Err(Error::invalid_input(format!(
                    "embed option widget is required ({})",
                    widget_meaning(preset)
                )))
            }
        };
        let nonce = string("nonce")?;
        if let Some(n) = nonce {
            if form != Form::Script {
                return Err(Error::invalid_input(format!(
                    "embed option nonce applies to form script only (form {} has no script tag)",
                    form.name()
                )));
            }
            if n.is_empty() {
                return Err(Error::invalid_input("embed option nonce is empty"));
            }
        }
        let origin = string("origin")?;
        if origin.is_some() && form != Form::Script {
            return Err(Error::invalid_input(
                "embed option origin applies to form script only (InviaroSettings)",
            ));
        }
        // Options of the loader only.
        for key in ["base_url", "api_base", "widget_id"] {
            if form != Form::Script && get(key).is_some() {
                return Err(Error::invalid_input(format!(
                    "embed option {key} applies to form script only (form {} has no loader)",
                    form.name()
                )));
            }
        }
        let url = |key: &str| -> Result<Option<&'o str>> {
            let Some(v) = string(key)? else {
                return Ok(None);
            };
            let rest = v
                .strip_prefix("https://")
                .or_else(|| v.strip_prefix("http://"))
                .unwrap_or("");
            if rest.trim_end_matches('/').is_empty() {
                return Err(Error::invalid_input(format!(
                    "embed option {key} must be an http:// or https:// URL"
                )));
            }
            Ok(Some(v))
        };
        let base_url = url("base_url")?.map(|v| v.trim_end_matches('/'));
        let api_base = url("api_base")?;
        let widget_id = string("widget_id")?;
        if widget_id == Some("") {
            return Err(Error::invalid_input("embed option widget_id is empty"));
        }
        let data = match get("data") {
            None => None,
            Some(v @ Value::Object(_)) => Some(v),
            Some(Value::Invalid(inv)) => {
                return Err(Path::new("options.data").error(inv.code, &inv.what))
            }
            Some(other) => {
                return Err(Error::invalid_input(format!(
                    "embed option data must be an object, got {}",
                    other.type_name()
                )))
            }
        };
        Ok(Options {
            widget,
            form,
            nonce,
            origin,
            name: string("name")?,
            email: string("email")?,
            data,
            base_url,
            api_base,
            widget_id,
            avatar_url: string("avatar_url")?,
            token: Value::Object(
                entries
                    .iter()
                    .filter(|(k, _)| ["kid", "ttl", "now", "claims"].contains(&k.as_ref()))
                    .cloned()
                    .collect(),
            ),
        })
    }
}

fn widget_meaning(preset: Preset) -> &'static str {
    match preset {
        Preset::Layerup => "the Layerup data-widget-key",
        Preset::Inviaro => "the Inviaro widget key, wt_…",
        Preset::Ensoras => "the Ensoras widget slug",
        Preset::Supportwire => "the SupportWire widgetSlug",
        Preset::Fluentbot => "the FluentBot bot id",
        Preset::Intercom => "the Intercom app_id",
        Preset::Chatwoot => "the Chatwoot websiteToken",
        Preset::Crisp => "the Crisp CRISP_WEBSITE_ID",
        Preset::Front => "the Front chatId",
        Preset::Helpscout => "the Help Scout Beacon id",
        Preset::Tawkto => "the tawk.to property id",
        Preset::Pylon => "the Pylon app_id",
        Preset::Plain => "the Plain appId",
        Preset::Canny => "the Canny appID",
        Preset::Userflow => "the Userflow token",
        Preset::Featurebase => "the Featurebase organization",
        Preset::Token(TokenKind::IntercomJwt) => "the Intercom app_id",
        Preset::Token(TokenKind::Zendesk) => "the Zendesk Web Widget key",
        #[cfg(feature = "probe-preset")]
        Preset::Probe => "nothing (zz_probe has no widget)",
        _ => "nothing (no snippet yet)",
    }
}

impl Signer {
    /// Renders the widget snippet of the signer's preset vendor for `input`,
    /// with the identity signed, every value escaped for where it lands.
    ///
    /// `options` is an object (bindings pass a native map):
    ///
    /// | option | presets | meaning |
    /// |---|---|---|
    /// | `widget` (required) | all | Layerup `data-widget-key`, Inviaro `key`, Ensoras slug, SupportWire `widgetSlug`, FluentBot bot id, Intercom `app_id`, Chatwoot `websiteToken`, Crisp `CRISP_WEBSITE_ID`, Front `chatId`, Help Scout Beacon id, tawk.to property id, Pylon `app_id`, Plain `appId`, Canny `appID`, Userflow token, Featurebase `organization` |
    /// | `form` | all | `"script"` (default, the page embed); `"url"` (layerup: mobile webview URL); `"identify"` (the single-page-app call, a JS statement: inviaro, ensoras, chatwoot, crisp, helpscout, canny, featurebase; userflow has only this form, its default) |
    /// | `nonce` | all but userflow, form `script` | CSP nonce, written as `nonce="…"` on every `<script>` tag, and set on the script element a vendor loader creates |
    /// | `origin` | inviaro, form `script` | `InviaroSettings.origin` |
    /// | `name` | inviaro, intercom, chatwoot, crisp, front, helpscout, tawkto, pylon, plain, canny, userflow, featurebase | the user's display name: Inviaro `userName` (`name` in `identify`), Crisp `user:nickname`, Plain `fullName`, else `name` |
    /// | `email` | inviaro, chatwoot, canny, userflow (presets that sign an id) | the user's email: Inviaro `userEmail` (`email` in `identify`), else `email` |
    /// | `data` | supportwire | `userData`, any JSON object |
    /// | `api_base` | intercom | `intercomSettings.api_base`, an `http(s)://` URL (regional workspaces) |
    /// | `base_url` | chatwoot, form `script` | the Chatwoot instance (`BASE_URL`), an `http(s)://` URL, trailing `/` removed; default `https://app.chatwoot.com` |
    /// | `widget_id` | tawkto | the widget of the property (the embed URL's second segment); default `default` |
    /// | `avatar_url` | pylon | `chat_settings.avatar_url` |
    ///
    /// The identity comes from `input` as given (ids as decimal text, always
    /// JS strings): the signed email, or the signed user id; Intercom and
    /// Featurebase pass each of `user_id` and `email` the input holds.
    ///
    /// A `null` optional option counts as absent. An unknown option, a wrong
    /// type, a missing or empty `widget` (or `widget_id`), a URL option that is
    /// not `http(s)://`, a loader option with a form that has no loader, a form
    /// the vendor does not have, or a
    /// signer whose scheme is not one of the vendor presets is `invalid_input`;
    /// input errors are those of [`Signer::sign`]. A value that must go into an
    /// HTML attribute and holds U+0000 is `invalid_input` (HTML cannot carry it).
    ///
    /// ```
    /// use userhash::{Input, Signer, Value};
    /// let signer = Signer::new(b"s3cr3t", "layerup")?;
    /// let input = Input::email("a+b@x.com");
    /// let hash = signer.sign(&input)?;
    /// let url = signer.embed(&input, &Value::Object(vec![
    ///     ("widget".into(), Value::str("w 1")),
    ///     ("form".into(), Value::str("url")),
    /// ]))?;
    /// assert_eq!(url, format!("https://us.uselayerup.com/widget/w%201?ue=a%2Bb%40x.com&uh={hash}"));
    ///
    /// let err = signer.embed(&input, &Value::Object(vec![("color".into(), Value::str("red"))])).unwrap_err();
    /// assert_eq!(err.code().as_str(), "invalid_input");
    /// assert!(err.message().starts_with("unknown embed option \"color\" for layerup"));
    /// # Ok::<(), userhash::Error>(())
    /// ```
    pub fn embed(&self, input: &Input<'_>, options: &Value<'_>) -> Result<String> {
        let scheme = self.scheme();
        let preset = scheme.preset.ok_or_else(|| {
            Error::invalid_input(format!(
                "embed needs a vendor preset; this signer uses the custom scheme {scheme}"
            ))
        })?;
        if allowed(preset).1.is_empty() {
            return Err(Error::invalid_input(format!(
                "{} has no widget embed yet",
                preset.name()
            )));
        }
        let opts = Options::parse(preset, options)?;
        if let Preset::Token(kind) = preset {
            let token = self.token(input, &opts.token)?;
            let mut out = String::with_capacity(512 + token.len());
            match kind {
                TokenKind::IntercomJwt => tokens::intercom_jwt(&mut out, &opts, &token)?,
                TokenKind::Zendesk => tokens::zendesk(&mut out, &opts, &token)?,
                TokenKind::Drift => tokens::drift(&mut out, input, &token)?,
                TokenKind::Kustomer => tokens::kustomer(&mut out, &token)?,
                _ => unreachable!("token presets without forms returned above"),
            }
            return Ok(out);
        }
        let canonical = self.canonical(input)?;
        let mut hex = [0u8; 64];
        self.sign_bytes_hex(canonical.as_bytes(), &mut hex);
        let hash = std::str::from_utf8(&hex).expect("hex digits are ASCII");
        let mut out = String::with_capacity(256 + canonical.len() * 2);
        match preset {
            Preset::Layerup => layerup(&mut out, &opts, &canonical, hash)?,
            Preset::Inviaro => inviaro(&mut out, &opts, &canonical, hash)?,
            Preset::Ensoras => ensoras(&mut out, &opts, input, hash)?,
            Preset::Supportwire => supportwire(&mut out, &opts, input, hash)?,
            Preset::Fluentbot => fluentbot(&mut out, &opts, &canonical, hash)?,
            Preset::Intercom => widgets::intercom(&mut out, &opts, input, hash)?,
            Preset::Chatwoot => widgets::chatwoot(&mut out, &opts, &canonical, hash)?,
            Preset::Crisp => widgets::crisp(&mut out, &opts, &canonical, hash)?,
            Preset::Front => widgets::front(&mut out, &opts, &canonical, hash)?,
            Preset::Helpscout => widgets::helpscout(&mut out, &opts, &canonical, hash)?,
            Preset::Tawkto => widgets::tawkto(&mut out, &opts, &canonical, hash)?,
            Preset::Pylon => widgets::pylon(&mut out, &opts, &canonical, hash)?,
            Preset::Plain => widgets::plain(&mut out, &opts, &canonical, hash)?,
            Preset::Canny => widgets::canny(&mut out, &opts, &canonical, hash)?,
            Preset::Userflow => widgets::userflow(&mut out, &opts, &canonical, hash)?,
            Preset::Featurebase => widgets::featurebase(&mut out, &opts, input, hash)?,
            _ => unreachable!("presets without forms returned above"),
        }
        Ok(out)
    }
}

/// `nonce="…"` with a leading space, or nothing.
fn nonce_attr(opts: &Options<'_>) -> Result<String> {
    match opts.nonce {
        Some(n) => Ok(format!(" nonce=\"{}\"", attr(n, "nonce")?)),
        None => Ok(String::new()),
    }
}

fn attr<'s>(value: &'s str, what: &str) -> Result<Cow<'s, str>> {
    escape_html_attr(value).ok_or_else(|| {
        Error::invalid_input(format!(
            "{what} contains U+0000, which an HTML attribute cannot carry"
        ))
    })
}

/// A JSON string literal, escaped for a `<script>` element.
fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    json::write_string(&mut out, s);
    script_json(&out)
}

fn layerup(out: &mut String, opts: &Options<'_>, email: &str, hash: &str) -> Result<()> {
    match opts.form {
        Form::Url => {
            let _ = write!(
                out,
                "{LAYERUP_WEBVIEW}{}?ue={}&uh={hash}",
                encode_uri_component(opts.widget),
                encode_uri_component(email)
            );
        }
        _ => {
            let _ = write!(
                out,
                "<script\n  src=\"{LAYERUP_LOADER}\"\n  data-widget-key=\"{}\"\n  \
                 data-user-email=\"{}\"\n  data-user-hash=\"{hash}\"",
                attr(opts.widget, "embed option widget")?,
                attr(email, "email")?,
            );
            if opts.nonce.is_some() {
                out.push_str("\n ");
                out.push_str(&nonce_attr(opts)?);
            }
            out.push_str(">\n</script>");
        }
    }
    Ok(())
}

/// Builds `{"k":v,…}` from already-serialized JSON values, escaped for a script.
fn object(fields: &[(&str, Option<String>)]) -> String {
    script_json(&raw_object(fields))
}

/// [`object`] before the script escaping (for an object nested in another).
fn raw_object(fields: &[(&str, Option<String>)]) -> String {
    let mut text = String::from("{");
    for (key, value) in fields {
        if let Some(v) = value {
            if text.len() > 1 {
                text.push(',');
            }
            json::write_string(&mut text, key);
            text.push(':');
            text.push_str(v);
        }
    }
    text.push('}');
    text
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    json::write_string(&mut out, s);
    out
}

fn inviaro(out: &mut String, opts: &Options<'_>, user_id: &str, hash: &str) -> Result<()> {
    let opt = |v: Option<&str>| v.map(json_str);
    if opts.form == Form::Identify {
        let call = object(&[
            ("userId", Some(json_str(user_id))),
            ("userHash", Some(json_str(hash))),
            ("email", opt(opts.email)),
            ("name", opt(opts.name)),
        ]);
        let _ = write!(out, "Inviaro('identify', {call});");
        return Ok(());
    }
    let settings = object(&[
        ("key", Some(json_str(opts.widget))),
        ("origin", opt(opts.origin)),
        ("userId", Some(json_str(user_id))),
        ("userHash", Some(json_str(hash))),
        ("userEmail", opt(opts.email)),
        ("userName", opt(opts.name)),
    ]);
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script{nonce}>\n  window.InviaroSettings = {settings};\n</script>\n\
         <script src=\"{INVIARO_LOADER}\" async{nonce}></script>"
    );
    Ok(())
}

/// The string the signed field holds as given (ids as decimal text).
fn given<'i>(input: &'i Input<'_>, field: Field) -> Cow<'i, str> {
    match input.get(field) {
        Some(Value::Str(s)) => Cow::Borrowed(s.as_ref()),
        Some(Value::Int(i)) => Cow::Owned(i.to_string()),
        Some(Value::BigInt(d)) => Cow::Borrowed(d.as_ref()),
        // Unreachable after a successful canonicalization.
        _ => Cow::Borrowed(""),
    }
}

fn ensoras(out: &mut String, opts: &Options<'_>, input: &Input<'_>, hash: &str) -> Result<()> {
    // The email as given: Ensoras lowercases it on its side before checking the hash.
    let call = object(&[
        ("email", Some(json_str(&given(input, Field::Email)))),
        ("hash", Some(json_str(hash))),
    ]);
    if opts.form == Form::Identify {
        let _ = write!(out, "Ensoras('identify', {call});");
        return Ok(());
    }
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script{nonce}>\n  window.EnsorasQueue = window.EnsorasQueue || [];\n  \
         function Ensoras() {{ EnsorasQueue.push(arguments); }}\n  \
         Ensoras('identify', {call});\n</script>\n\
         <script src=\"{ENSORAS_LOADER}{}.js\" async defer{nonce}></script>",
        // encodeURIComponent leaves only `'` of the HTML-special characters.
        encode_uri_component(opts.widget).replace('\'', "&#39;")
    );
    Ok(())
}

fn supportwire(out: &mut String, opts: &Options<'_>, input: &Input<'_>, hash: &str) -> Result<()> {
    // One identity key, as the vendor page asks: the external id wins when set.
    let (key, identity) = match input.get(Field::ExternalId) {
        Some(v) if *v != Value::Null => ("userExternalUserId", given(input, Field::ExternalId)),
        _ => ("userEmail", given(input, Field::Email)),
    };
    let data = match opts.data {
        Some(v) => {
            let mut text = String::new();
            json::write_value(&mut text, v, 1, &mut Path::new("options.data"))?;
            Some(text)
        }
        None => None,
    };
    let config = object(&[
        ("widgetSlug", Some(json_str(opts.widget))),
        (key, Some(json_str(&identity))),
        ("userSignature", Some(json_str(hash))),
        ("userData", data),
    ]);
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script{nonce}>\n  new SupportWireWidget({config});\n</script>"
    );
    Ok(())
}

fn fluentbot(out: &mut String, opts: &Options<'_>, payload: &str, hash: &str) -> Result<()> {
    // The signed payload is `{"name":…,"email":…,"data":…}`: the visitor is those
    // very bytes plus the signature, so what the browser parses re-stringifies to them.
    let body = payload
        .strip_suffix('}')
        .expect("the fluentbot payload is a JSON object");
    let visitor = format!("{body},\"signature\":\"{hash}\"}}");
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script type=\"module\" src=\"{FLUENTBOT_SDK}\"{nonce}></script>\n\
         <script type=\"module\"{nonce}>\n  FluentBotChatWidget.injectWidget({}, {});\n</script>",
        js_string(opts.widget),
        object(&[("visitor", Some(visitor))]),
    );
    Ok(())
}

/// Escapes a value for a double- or single-quoted HTML attribute: `&`, `<`,
/// `>`, `"`, `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, and CR
/// becomes `&#13;` (the HTML parser turns a raw CR into LF). Returns `None`
/// when the value holds U+0000, which the HTML parser replaces with U+FFFD
/// whether written raw or as a reference.
///
/// ```
/// use userhash::embed::escape_html_attr;
/// assert_eq!(escape_html_attr("a\"b'<&>\r\n").unwrap(), "a&quot;b&#39;&lt;&amp;&gt;&#13;\n");
/// assert_eq!(escape_html_attr("plain").unwrap(), "plain");
/// assert_eq!(escape_html_attr("a\0b"), None);
/// ```
pub fn escape_html_attr(value: &str) -> Option<Cow<'_, str>> {
    if value.contains('\0') {
        return None;
    }
    if !value.contains(['&', '<', '>', '"', '\'', '\r']) {
        return Some(Cow::Borrowed(value));
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

/// Makes JSON text (as written by [`crate::json`]) safe to embed in a
/// `<script>` element as a JavaScript expression that evaluates to the very
/// value `JSON.parse` would give:
///
/// * `<`, `>`, `&`, U+2028, U+2029 → `\u003c`, `\u003e`, `\u0026`, `\u2028`,
///   `\u2029` (these only occur inside strings, where the escapes mean the
///   same characters), so no `</script>` or `<!--` can appear;
/// * an object key `"__proto__"` → the computed key `["__proto__"]`, because
///   in an object literal `"__proto__": v` sets the prototype, while
///   `JSON.parse` makes an own property.
///
/// ```
/// use userhash::embed::script_json;
/// assert_eq!(
///     script_json("{\"a\":\"</script>&\u{2028}\",\"__proto__\":{\"x\":\"__proto__\"}}"),
///     r#"{"a":"\u003c/script\u003e\u0026\u2028",["__proto__"]:{"x":"__proto__"}}"#
/// );
/// ```
pub fn script_json(json_text: &str) -> String {
    const PROTO_KEY: &str = "\"__proto__\":";
    let mut out = String::with_capacity(json_text.len() + 16);
    let (mut in_string, mut escaped) = (false, false);
    let mut skip_to = 0;
    for (i, c) in json_text.char_indices() {
        if i < skip_to {
            continue;
        }
        if !in_string && c == '"' && json_text[i..].starts_with(PROTO_KEY) {
            // Outside strings, `"__proto__":` can only be an object key.
            out.push_str("[\"__proto__\"]");
            // Skip the quoted key; the colon is copied as usual.
            skip_to = i + PROTO_KEY.len() - 1;
            continue;
        }
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
        if escaped {
            escaped = false;
        } else if in_string && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = !in_string;
        }
    }
    out
}

/// JS `encodeURIComponent`: every UTF-8 byte except `A-Z a-z 0-9 - _ . ! ~ * ' ( )`
/// becomes `%XX` (uppercase hex).
///
/// ```
/// use userhash::embed::encode_uri_component;
/// assert_eq!(encode_uri_component("a b+c@d/é?&=#'()*!~"), "a%20b%2Bc%40d%2F%C3%A9%3F%26%3D%23'()*!~");
/// ```
pub fn encode_uri_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => out.push(b as char),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
    out
}
