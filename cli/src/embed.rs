//! `userhash embed`: print a vendor's widget snippet with the identity signed
//! (the core's `Signer::embed`).

use clap::Args;
use userhash::{Error, Value};

use crate::Identity;

/// Options for `userhash embed`; every one maps to an option of `Signer::embed`.
#[derive(Args)]
pub struct Embed {
    /// Layerup data-widget-key / Inviaro key / Ensoras slug / SupportWire widgetSlug /
    /// FluentBot bot id.
    #[arg(long)]
    widget: Option<String>,
    /// script (default), url (layerup), identify (inviaro, ensoras).
    #[arg(long)]
    form: Option<String>,
    /// CSP nonce for every script tag.
    #[arg(long)]
    nonce: Option<String>,
    /// More options as a JSON object, e.g. '{"name":"Ann","origin":"https://x.com"}'
    /// (inviaro) or '{"data":{"plan":"pro"}}' (supportwire).
    #[arg(long, value_name = "JSON")]
    options_json: Option<String>,
    #[command(flatten)]
    identity: Identity,
}

impl Embed {
    /// Renders the snippet.
    pub fn run(&self) -> Result<String, Error> {
        let mut entries = match &self.options_json {
            None => Vec::new(),
            Some(text) => match userhash::json::parse(text)? {
                Value::Object(entries) => entries,
                other => {
                    return Err(Error::new(
                        userhash::ErrorCode::InvalidInput,
                        format!(
                            "--options-json must be an object, got {}",
                            other.type_name()
                        ),
                    ))
                }
            },
        };
        for (key, value) in [
            ("widget", &self.widget),
            ("form", &self.form),
            ("nonce", &self.nonce),
        ] {
            if let Some(v) = value {
                if entries.iter().any(|(k, _)| k == key) {
                    return Err(Error::new(
                        userhash::ErrorCode::InvalidInput,
                        format!("embed option {key} given both as --{key} and in --options-json"),
                    ));
                }
                entries.push((key.into(), Value::Str(v.clone().into())));
            }
        }
        let signer = self.identity.signer(&[])?;
        signer.embed(&self.identity.input()?, &Value::Object(entries))
    }
}
