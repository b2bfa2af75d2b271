//! The snippets of the vendors confirmed in `tests/oracle/vendors/SOURCES.md`
//! (their section "Embed"): each vendor's documented loader and identity call,
//! with every value escaped for where it lands (see the parent module).
//!
//! The loaders are the vendors' own code. Two changes only: a value the vendor
//! splices into a quoted JS string (an app id in a URL, a website id) is written
//! as a JSON string literal (escaped for `<script>`, ids in URL paths through
//! `encodeURIComponent`), and with a CSP nonce, a loader that creates its
//! `<script>` element at run time also sets that element's `nonce`, so the
//! vendor's script passes the same `script-src 'nonce-…'` policy as the tags.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{
    encode_uri_component, given, js_string, json_str, nonce_attr, object, raw_object, Form, Options,
};
use crate::error::Result;
use crate::input::{Field, Input};
use crate::value::Value;

/// Intercom's widget script prefix; the app id follows, percent-encoded
/// (intercom-rails `intercom_javascript`).
///
/// ```
/// assert_eq!(userhash::embed::INTERCOM_LOADER, "https://widget.intercom.io/widget/");
/// ```
pub const INTERCOM_LOADER: &str = "https://widget.intercom.io/widget/";
/// Chatwoot Cloud's base URL, the default of option `base_url`; the SDK is
/// `BASE_URL + "/packs/js/sdk.js"` (Chatwoot's `web_widget_script`).
///
/// ```
/// assert_eq!(userhash::embed::CHATWOOT_BASE_URL, "https://app.chatwoot.com");
/// ```
pub const CHATWOOT_BASE_URL: &str = "https://app.chatwoot.com";
/// Crisp's loader (Crisp's WordPress plugin).
///
/// ```
/// assert_eq!(userhash::embed::CRISP_LOADER, "https://client.crisp.chat/l.js");
/// ```
pub const CRISP_LOADER: &str = "https://client.crisp.chat/l.js";
/// Front Chat's bundle (front-chat-sdk `boot`).
///
/// ```
/// assert_eq!(userhash::embed::FRONT_LOADER, "https://chat-assets.frontapp.com/v1/chat.bundle.js");
/// ```
pub const FRONT_LOADER: &str = "https://chat-assets.frontapp.com/v1/chat.bundle.js";
/// Help Scout Beacon 2's script (the standard Beacon embed).
///
/// ```
/// assert_eq!(userhash::embed::HELPSCOUT_LOADER, "https://beacon-v2.helpscout.net");
/// ```
pub const HELPSCOUT_LOADER: &str = "https://beacon-v2.helpscout.net";
/// tawk.to's embed prefix; `PROPERTY_ID/WIDGET_ID` follow, percent-encoded.
///
/// ```
/// assert_eq!(userhash::embed::TAWKTO_LOADER, "https://embed.tawk.to/");
/// ```
pub const TAWKTO_LOADER: &str = "https://embed.tawk.to/";
/// Pylon's widget script prefix; the app id follows, percent-encoded.
///
/// ```
/// assert_eq!(userhash::embed::PYLON_LOADER, "https://widget.usepylon.com/widget/");
/// ```
pub const PYLON_LOADER: &str = "https://widget.usepylon.com/widget/";
/// Plain's chat script.
///
/// ```
/// assert_eq!(userhash::embed::PLAIN_LOADER, "https://chat.cdn-plain.com/index.js");
/// ```
pub const PLAIN_LOADER: &str = "https://chat.cdn-plain.com/index.js";
/// Canny's SDK (the `canny-jssdk` loader).
///
/// ```
/// assert_eq!(userhash::embed::CANNY_LOADER, "https://canny.io/sdk.js");
/// ```
pub const CANNY_LOADER: &str = "https://canny.io/sdk.js";
/// Featurebase's SDK.
///
/// ```
/// assert_eq!(userhash::embed::FEATUREBASE_LOADER, "https://do.featurebase.app/js/sdk.js");
/// ```
pub const FEATUREBASE_LOADER: &str = "https://do.featurebase.app/js/sdk.js";

/// An optional string option as a JSON string literal.
pub(super) fn opt(v: Option<&str>) -> Option<String> {
    v.map(json_str)
}

/// The field as given when the input has it (and it is not `null`).
fn present<'i>(input: &'i Input<'_>, field: Field) -> Option<Cow<'i, str>> {
    match input.get(field) {
        None | Some(Value::Null) => None,
        Some(_) => Some(given(input, field)),
    }
}

/// `var.nonce="…";` (or `,var.nonce="…"` with `comma`) for a loader that makes
/// its script element at run time; nothing without a nonce.
fn set_nonce(opts: &Options<'_>, var: &str, comma: bool) -> String {
    match opts.nonce {
        Some(n) if comma => format!(",{var}.nonce={}", js_string(n)),
        Some(n) => format!("{var}.nonce={};", js_string(n)),
        None => String::new(),
    }
}

/// `window.intercomSettings = {…}` and Intercom's loader, one `<script>`.
pub(super) fn intercom(
    out: &mut String,
    opts: &Options<'_>,
    input: &Input<'_>,
    hash: &str,
) -> Result<()> {
    let settings = object(&[
        ("api_base", opt(opts.api_base)),
        ("app_id", Some(json_str(opts.widget))),
        (
            "user_id",
            present(input, Field::UserId).map(|v| json_str(&v)),
        ),
        ("email", present(input, Field::Email).map(|v| json_str(&v))),
        ("name", opt(opts.name)),
        ("user_hash", Some(json_str(hash))),
    ]);
    intercom_loader(out, opts, &settings)
}

/// `window.intercomSettings = settings` and Intercom's loader, in one `<script>`.
pub(super) fn intercom_loader(out: &mut String, opts: &Options<'_>, settings: &str) -> Result<()> {
    let nonce = nonce_attr(opts)?;
    let src = js_string(&format!(
        "{INTERCOM_LOADER}{}",
        encode_uri_component(opts.widget)
    ));
    let set_nonce = set_nonce(opts, "s", false);
    let _ = write!(
        out,
        "<script{nonce}>\n  window.intercomSettings = {settings};\n  \
         (function(){{var w=window;var ic=w.Intercom;if(typeof ic===\"function\"){{ic('update',intercomSettings);}}\
         else{{var d=document;var i=function(){{i.c(arguments)}};i.q=[];i.c=function(args){{i.q.push(args)}};w.Intercom=i;\
         function l(){{var s=d.createElement('script');s.type='text/javascript';s.async=true;s.src={src};{set_nonce}\
         var x=d.getElementsByTagName('script')[0];x.parentNode.insertBefore(s,x);}}\
         if(document.readyState==='complete'){{l();}}else if(w.attachEvent){{w.attachEvent('onload',l);}}\
         else{{w.addEventListener('load',l,false);}}}};}})();\n</script>"
    );
    Ok(())
}

/// `window.$chatwoot.setUser(identifier, {email, name, identifier_hash})` after
/// `chatwoot:ready`, and Chatwoot's SDK loader; or (form `identify`) the call alone.
pub(super) fn chatwoot(
    out: &mut String,
    opts: &Options<'_>,
    identifier: &str,
    hash: &str,
) -> Result<()> {
    // The identifier as a string: a JS number would round ids past 2^53.
    let user = object(&[
        ("email", opt(opts.email)),
        ("name", opt(opts.name)),
        ("identifier_hash", Some(json_str(hash))),
    ]);
    let call = format!(
        "window.$chatwoot.setUser({}, {user});",
        js_string(identifier)
    );
    if opts.form == Form::Identify {
        out.push_str(&call);
        return Ok(());
    }
    let base = opts.base_url.unwrap_or(CHATWOOT_BASE_URL);
    let nonce = nonce_attr(opts)?;
    let set_nonce = set_nonce(opts, "g", false);
    let _ = write!(
        out,
        "<script{nonce}>\n  window.addEventListener('chatwoot:ready', function () {{\n    {call}\n  }});\n  \
         (function(d,t) {{\n    var BASE_URL = {};\n    \
         var g=d.createElement(t),s=d.getElementsByTagName(t)[0];\n    \
         g.src= BASE_URL + \"/packs/js/sdk.js\";\n    {set_nonce}{}\
         s.parentNode.insertBefore(g,s);\n    g.onload=function(){{\n      \
         window.chatwootSDK.run({{\n        websiteToken: {},\n        baseUrl: BASE_URL\n      }})\n    \
         }}\n  }})(document,\"script\");\n</script>",
        js_string(base),
        if set_nonce.is_empty() { "" } else { "\n    " },
        js_string(opts.widget),
    );
    Ok(())
}

/// `$crisp.push(["set", "user:email", [email, signature]])` (and `user:nickname`)
/// after Crisp's loader; or (form `identify`) the pushes alone.
pub(super) fn crisp(out: &mut String, opts: &Options<'_>, email: &str, hash: &str) -> Result<()> {
    let mut calls = format!(
        "$crisp.push({});",
        super::script_json(&format!(
            "[\"set\",\"user:email\",[{},{}]]",
            json_str(email),
            json_str(hash)
        ))
    );
    if let Some(name) = opts.name {
        let _ = write!(
            calls,
            "\n{}$crisp.push({});",
            if opts.form == Form::Identify {
                ""
            } else {
                "  "
            },
            super::script_json(&format!("[\"set\",\"user:nickname\",[{}]]", json_str(name)))
        );
    }
    if opts.form == Form::Identify {
        out.push_str(&calls);
        return Ok(());
    }
    let nonce = nonce_attr(opts)?;
    let set_nonce = set_nonce(opts, "s", false);
    let _ = write!(
        out,
        "<script{nonce}>\n  window.$crisp=[];window.CRISP_WEBSITE_ID={};\
         (function(){{d=document;s=d.createElement('script');s.src={};s.async=1;{set_nonce}\
         d.getElementsByTagName('head')[0].appendChild(s);}})();\n  {calls}\n</script>",
        js_string(opts.widget),
        js_string(CRISP_LOADER),
    );
    Ok(())
}

/// Front Chat's bundle and `FrontChat('init', {chatId, useDefaultLauncher, email, userHash, name})`.
pub(super) fn front(out: &mut String, opts: &Options<'_>, email: &str, hash: &str) -> Result<()> {
    let init = object(&[
        ("chatId", Some(json_str(opts.widget))),
        ("useDefaultLauncher", Some("true".to_owned())),
        ("email", Some(json_str(email))),
        ("userHash", Some(json_str(hash))),
        ("name", opt(opts.name)),
    ]);
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script src=\"{FRONT_LOADER}\"{nonce}></script>\n\
         <script{nonce}>\n  window.FrontChat('init', {init});\n</script>"
    );
    Ok(())
}

/// The Beacon loader, `Beacon('init', id)` and `Beacon('identify', {name, email,
/// signature})`; or (form `identify`) the identify call alone.
pub(super) fn helpscout(
    out: &mut String,
    opts: &Options<'_>,
    email: &str,
    hash: &str,
) -> Result<()> {
    let identify = format!(
        "window.Beacon('identify', {});",
        object(&[
            ("name", opt(opts.name)),
            ("email", Some(json_str(email))),
            ("signature", Some(json_str(hash))),
        ])
    );
    if opts.form == Form::Identify {
        out.push_str(&identify);
        return Ok(());
    }
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script type=\"text/javascript\"{nonce}>!function(e,t,n){{function a(){{var e=t.getElementsByTagName(\"script\")[0],\
         n=t.createElement(\"script\");n.type=\"text/javascript\",n.async=!0,n.src={}{},e.parentNode.insertBefore(n,e)}}\
         if(e.Beacon=n=function(t,n,a){{e.Beacon.readyQueue.push({{method:t,options:n,data:a}})}},n.readyQueue=[],\
         \"complete\"===t.readyState)return a();e.attachEvent?e.attachEvent(\"onload\",a):e.addEventListener(\"load\",a,!1)}}\
         (window,document,window.Beacon||function(){{}});</script>\n\
         <script type=\"text/javascript\"{nonce}>\n  window.Beacon('init', {});\n  {identify}\n</script>",
        js_string(HELPSCOUT_LOADER),
        set_nonce(opts, "n", true),
        js_string(opts.widget),
    );
    Ok(())
}

/// `Tawk_API.visitor = {name, email, hash}` before tawk.to's embed script.
pub(super) fn tawkto(out: &mut String, opts: &Options<'_>, email: &str, hash: &str) -> Result<()> {
    let visitor = object(&[
        ("name", opt(opts.name)),
        ("email", Some(json_str(email))),
        ("hash", Some(json_str(hash))),
    ]);
    let src = js_string(&format!(
        "{TAWKTO_LOADER}{}/{}",
        encode_uri_component(opts.widget),
        encode_uri_component(opts.widget_id.unwrap_or("default"))
    ));
    let nonce = nonce_attr(opts)?;
    let set_nonce = match opts.nonce {
        Some(_) => format!("\n    {}", set_nonce(opts, "s1", false)),
        None => String::new(),
    };
    let _ = write!(
        out,
        "<script type=\"text/javascript\"{nonce}>\n  var Tawk_API = Tawk_API || {{}};\n  \
         Tawk_API.visitor = {visitor};\n  var Tawk_LoadStart=new Date();\n  (function(){{\n    \
         var s1 = document.createElement( 'script' ),s0=document.getElementsByTagName( 'script' )[0];\n    \
         s1.async = true;\n    s1.src = {src};\n    s1.charset = 'UTF-8';\n    \
         s1.setAttribute( 'crossorigin','*' );{set_nonce}\n    s0.parentNode.insertBefore( s1, s0 );\n  \
         }})();\n</script>"
    );
    Ok(())
}

/// `window.pylon = {chat_settings: {app_id, email, name, avatar_url, email_hash}}`
/// and Pylon's loader, one `<script>`.
pub(super) fn pylon(out: &mut String, opts: &Options<'_>, email: &str, hash: &str) -> Result<()> {
    let settings = raw_object(&[
        ("app_id", Some(json_str(opts.widget))),
        ("email", Some(json_str(email))),
        ("name", opt(opts.name)),
        ("avatar_url", opt(opts.avatar_url)),
        ("email_hash", Some(json_str(hash))),
    ]);
    let pylon = object(&[("chat_settings", Some(settings))]);
    let src = js_string(&format!(
        "{PYLON_LOADER}{}",
        encode_uri_component(opts.widget)
    ));
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script{nonce}>\n  window.pylon = {pylon};\n  \
         (function(){{var e=window;var t=document;var n=function(){{n.e(arguments)}};n.q=[];\
         n.e=function(e){{n.q.push(e)}};e.Pylon=n;var r=function(){{var e=t.createElement(\"script\");\
         e.setAttribute(\"type\",\"text/javascript\");e.setAttribute(\"async\",\"true\");\
         e.setAttribute(\"src\",{src});{}var n=t.getElementsByTagName(\"script\")[0];\
         n.parentNode.insertBefore(e,n)}};if(t.readyState===\"complete\"){{r()}}\
         else if(e.addEventListener){{e.addEventListener(\"load\",r,false)}}}})();\n</script>",
        set_nonce(opts, "e", false),
    );
    Ok(())
}

/// Plain's loader calling `Plain.init({appId, customerDetails: {email, emailHash, fullName}})`.
pub(super) fn plain(out: &mut String, opts: &Options<'_>, email: &str, hash: &str) -> Result<()> {
    let details = raw_object(&[
        ("email", Some(json_str(email))),
        ("emailHash", Some(json_str(hash))),
        ("fullName", opt(opts.name)),
    ]);
    let init = object(&[
        ("appId", Some(json_str(opts.widget))),
        ("customerDetails", Some(details)),
    ]);
    let nonce = nonce_attr(opts)?;
    let set_nonce = match opts.nonce {
        Some(_) => format!("\n    {}", set_nonce(opts, "script", false)),
        None => String::new(),
    };
    let _ = write!(
        out,
        "<script{nonce}>\n  (function(d, script) {{\n    script = d.createElement('script');\n    \
         script.async = false;\n    script.onload = function(){{\n      Plain.init({init});\n    }};\n    \
         script.src = {};{set_nonce}\n    d.getElementsByTagName('head')[0].appendChild(script);\n  \
         }}(document));\n</script>",
        js_string(PLAIN_LOADER),
    );
    Ok(())
}

/// Canny's `canny-jssdk` loader and `Canny('identify', {appID, user: {email, id,
/// name}, hash})`; or (form `identify`) the call alone.
pub(super) fn canny(out: &mut String, opts: &Options<'_>, id: &str, hash: &str) -> Result<()> {
    let user = raw_object(&[
        ("email", opt(opts.email)),
        ("id", Some(json_str(id))),
        ("name", opt(opts.name)),
    ]);
    let call = format!(
        "Canny('identify', {});",
        object(&[
            ("appID", Some(json_str(opts.widget))),
            ("user", Some(user)),
            ("hash", Some(json_str(hash))),
        ])
    );
    if opts.form == Form::Identify {
        out.push_str(&call);
        return Ok(());
    }
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script{nonce}>!function(w,d,i,s){{function l(){{if(!d.getElementById(i)){{var f=d.getElementsByTagName(s)[0],\
         e=d.createElement(s);e.type=\"text/javascript\",e.async=!0,e.src={}{},f.parentNode.insertBefore(e,f)}}}}\
         if(\"function\"!=typeof w.Canny){{var c=function(){{c.q.push(arguments)}};c.q=[],w.Canny=c,\
         \"complete\"===d.readyState?l():w.attachEvent?w.attachEvent(\"onload\",l):w.addEventListener(\"load\",l,!1)}}}}\
         (window,document,\"canny-jssdk\",\"script\");</script>\n<script{nonce}>\n  {call}\n</script>",
        js_string(CANNY_LOADER),
        set_nonce(opts, "e", true),
    );
    Ok(())
}

/// `userflow.init(token)` and `userflow.identify(id, {name, email}, {signature})`:
/// statements for an app that loads Userflow.js itself (`import userflow from
/// 'userflow.js'`); Userflow's HTML snippet is not in the sources read.
pub(super) fn userflow(out: &mut String, opts: &Options<'_>, id: &str, hash: &str) -> Result<()> {
    let attributes = object(&[("name", opt(opts.name)), ("email", opt(opts.email))]);
    let options = object(&[("signature", Some(json_str(hash)))]);
    let _ = write!(
        out,
        "userflow.init({});\nuserflow.identify({}, {attributes}, {options});",
        js_string(opts.widget),
        js_string(id),
    );
    Ok(())
}

/// Featurebase's SDK and `Featurebase("identify", {organization, email, name,
/// userId, userHash})`; or (form `identify`) the call alone.
pub(super) fn featurebase(
    out: &mut String,
    opts: &Options<'_>,
    input: &Input<'_>,
    hash: &str,
) -> Result<()> {
    let call = format!(
        "Featurebase(\"identify\", {});",
        object(&[
            ("organization", Some(json_str(opts.widget))),
            ("email", present(input, Field::Email).map(|v| json_str(&v))),
            ("name", opt(opts.name)),
            (
                "userId",
                present(input, Field::UserId).map(|v| json_str(&v))
            ),
            ("userHash", Some(json_str(hash))),
        ])
    );
    if opts.form == Form::Identify {
        out.push_str(&call);
        return Ok(());
    }
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script src=\"{FEATUREBASE_LOADER}\" id=\"featurebase-sdk\"{nonce}></script>\n\
         <script{nonce}>\n  {call}\n</script>"
    );
    Ok(())
}
