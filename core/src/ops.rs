//! Every signer operation by name, with its arguments and result as values:
//! the one entry a binding needs to expose an operation the core adds, so
//! `diagnose`, `token` and `verify_token` cost each binding a one-line method.

use crate::error::{Error, Result};
use crate::input::Input;
use crate::signer::Signer;
use crate::value::Value;

/// The operations [`Signer::call`] takes, by name.
pub const OPERATIONS: &[&str] = &[
    "sign",
    "canonical",
    "verify",
    "embed",
    "token",
    "verify_token",
    "diagnose",
];

fn arg<'a>(args: &'a Value<'a>, name: &str) -> Option<&'a Value<'a>> {
    match args {
        Value::Object(entries) => entries
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v),
        _ => None,
    }
}

fn text_arg<'a>(args: &'a Value<'a>, name: &str, op: &str) -> Result<&'a str> {
    match arg(args, name) {
        Some(Value::Str(s)) => Ok(s),
        Some(other) => Err(Error::invalid_input(format!(
            "{op} needs {name} as a string, got {}",
            other.type_name()
        ))
        .at(name)),
        None => Err(Error::invalid_input(format!("{op} needs {name}")).at(name)),
    }
}

/// `args` without the entry `name` (the rest are the operation's options).
fn without<'a>(args: &'a Value<'a>, name: &str) -> Value<'a> {
    match args {
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .filter(|(k, _)| k != name)
                .map(|(k, v)| (std::borrow::Cow::Borrowed(k.as_ref()), v.reborrow()))
                .collect(),
        ),
        other => other.reborrow(),
    }
}

impl Signer {
    /// Runs operation `op` on `input` with `args` (an object, or null):
    ///
    /// | op | args | result |
    /// |---|---|---|
    /// | `sign` | — | the hex hash |
    /// | `canonical` | — | the canonical string |
    /// | `verify` | `hash` | a boolean |
    /// | `embed` | the embed options | the snippet |
    /// | `token` | the token options | the token |
    /// | `verify_token` | `token` and the verify options | the claims |
    /// | `diagnose` | `hash` | the diagnosis object ([`crate::Diagnosis::to_value`]) |
    ///
    /// ```
    /// use userhash::{Input, Signer, Value};
    /// let signer = Signer::new(b"s3cr3t", "ensoras").unwrap();
    /// let hash = signer.call("sign", &Input::email("A@b.c"), &Value::Null).unwrap();
    /// let args = Value::Object(vec![("hash".into(), hash)]);
    /// assert_eq!(signer.call("verify", &Input::email("a@b.c"), &args).unwrap(), Value::Bool(true));
    /// assert_eq!(signer.call("nope", &Input::new(), &Value::Null).unwrap_err().code().as_str(), "invalid_input");
    /// ```
    pub fn call(&self, op: &str, input: &Input<'_>, args: &Value<'_>) -> Result<Value<'static>> {
        // A value the binding could not convert is reported as such, wherever it is.
        crate::json::first_invalid(args, "options")?;
        Ok(match op {
            "sign" => Value::from(self.sign(input)?),
            "canonical" => Value::from(self.canonical(input)?.into_owned()),
            "verify" => Value::Bool(self.verify(text_arg(args, "hash", op)?, input)?),
            "embed" => Value::from(self.embed(input, args)?),
            "token" => Value::from(self.token(input, args)?),
            "verify_token" => {
                self.verify_token(text_arg(args, "token", op)?, &without(args, "token"))?
            }
            "diagnose" => self
                .diagnose(text_arg(args, "hash", op)?, input)?
                .to_value(),
            _ => {
                return Err(Error::invalid_input(format!(
                    "unknown operation {op:?}: expected one of {}",
                    OPERATIONS.join(", ")
                )))
            }
        })
    }
}
