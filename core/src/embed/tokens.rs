//! Snippets for the token presets: the widget gets a signed JWT ([`Signer::token`])
//! instead of a hash. Sources: `tests/oracle/tokens/SOURCES.md`.
//!
//! [`Signer::token`]: crate::Signer::token

use std::fmt::Write as _;

use super::widgets::{intercom_loader, opt};
use super::{json_str, nonce_attr, object, Form, Options};
use crate::error::Result;
use crate::input::{Field, Input};

/// Zendesk's Web Widget (messaging) loader; `?key=` and the widget key follow.
///
/// ```
/// assert_eq!(userhash::embed::ZENDESK_LOADER, "https://static.zdassets.com/ekr/snippet.js");
/// ```
pub const ZENDESK_LOADER: &str = "https://static.zdassets.com/ekr/snippet.js";

/// `window.intercomSettings = {app_id, intercom_user_jwt}` and Intercom's loader.
/// As in intercom-rails with JWT on, the plain settings carry no `user_id` and no
/// signed attribute: they travel inside the token only.
pub(super) fn intercom_jwt(out: &mut String, opts: &Options<'_>, token: &str) -> Result<()> {
    let settings = object(&[
        ("api_base", opt(opts.api_base)),
        ("app_id", Some(json_str(opts.widget))),
        ("intercom_user_jwt", Some(json_str(token))),
    ]);
    intercom_loader(out, opts, &settings)
}

/// Zendesk messaging: `zE('messenger', 'loginUser', callback => callback(token))`,
/// after the Web Widget loader (`id="ze-snippet"`, keyed by the widget key); or
/// (form `identify`) the call alone, for a page that already loads the widget.
pub(super) fn zendesk(out: &mut String, opts: &Options<'_>, token: &str) -> Result<()> {
    let call = format!(
        "zE('messenger', 'loginUser', function (callback) {{ callback({}); }});",
        json_str(token)
    );
    if opts.form == Form::Identify {
        out.push_str(&call);
        return Ok(());
    }
    let nonce = nonce_attr(opts)?;
    let _ = write!(
        out,
        "<script id=\"ze-snippet\" src=\"{ZENDESK_LOADER}?key={}\"{nonce}></script>\n\
         <script{nonce}>\n  {call}\n</script>",
        super::encode_uri_component(opts.widget).replace('\'', "&#39;")
    );
    Ok(())
}

/// Drift: `drift.identify(userId, {}, { userJwt })` — the id as a string (the
/// token's `sub`), no attributes (they are not signed), the token in the third
/// argument. Drift's page shows the `userJwt` field; the call's shape is issue 15's
/// and is not confirmed from Drift's own text.
pub(super) fn drift(out: &mut String, input: &Input<'_>, token: &str) -> Result<()> {
    let id = super::given(input, Field::UserId);
    let jwt = object(&[("userJwt", Some(json_str(token)))]);
    let _ = write!(
        out,
        "drift.identify({}, {{}}, {jwt});",
        super::js_string(&id)
    );
    Ok(())
}

/// Kustomer chat: `Kustomer.login({ jwtToken })` (developer.kustomer.com chat identity).
pub(super) fn kustomer(out: &mut String, token: &str) -> Result<()> {
    let login = object(&[("jwtToken", Some(json_str(token)))]);
    let _ = write!(out, "Kustomer.login({login});");
    Ok(())
}
