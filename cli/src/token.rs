//! `userhash token` and `userhash verify-token` (docs/tokens.md).

use std::process::ExitCode;

use clap::Args;
use userhash::{Error, ErrorCode, Value};

use crate::Identity;

/// Options of `userhash token`; each maps to an option of `Signer::token`.
#[derive(Args)]
pub struct Token {
    /// The key id written in the header (required by zendesk).
    #[arg(long)]
    kid: Option<String>,
    /// Seconds until `exp`.
    #[arg(long, value_name = "SECONDS")]
    ttl: Option<i64>,
    /// The time to issue the token at, in unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
    /// An extra claim, `KEY=JSON` (repeatable), e.g. `--claim email_verified=true`.
    #[arg(long = "claim", value_name = "KEY=JSON")]
    claims: Vec<String>,
    #[command(flatten)]
    identity: Identity,
}

impl Token {
    /// The token.
    pub fn run(&self) -> Result<String, Error> {
        let mut claims = Vec::new();
        for c in &self.claims {
            let (key, json) = c.split_once('=').ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("--claim {c:?} is not KEY=JSON"),
                )
            })?;
            claims.push((
                key.to_owned().into(),
                userhash::json::parse(json).map_err(|e| e.at(key))?,
            ));
        }
        let mut options = vec![("claims".into(), Value::Object(claims))];
        if let Some(kid) = &self.kid {
            options.push(("kid".into(), Value::from(kid.clone())));
        }
        for (key, value) in [("ttl", self.ttl), ("now", self.now)] {
            if let Some(v) = value {
                options.push((key.into(), Value::from(v)));
            }
        }
        let signer = self.identity.signer(&[])?;
        signer.token(&self.identity.input()?, &Value::Object(options))
    }
}

/// Options of `userhash verify-token`.
#[derive(Args)]
pub struct VerifyToken {
    /// The token to check.
    #[arg(long)]
    token: String,
    /// The time to check at, in unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
    /// Seconds of clock skew allowed (default 60).
    #[arg(long, value_name = "SECONDS")]
    leeway: Option<i64>,
    /// Key ids of the current and then each previous secret (repeatable).
    #[arg(long = "kid", value_name = "KID")]
    kids: Vec<String>,
    /// Environment variables holding previous secrets (repeatable).
    #[arg(long = "previous-secret-env", value_name = "NAME")]
    previous: Vec<String>,
    /// Preset and secret (identity fields are ignored).
    #[command(flatten)]
    identity: Identity,
}

impl VerifyToken {
    /// Exit 0 valid (claims printed), 1 invalid (the reason printed), 2 bad input.
    pub fn run(&self) -> Result<ExitCode, Error> {
        let signer = self.identity.signer(&self.previous)?;
        let mut options = vec![(
            "kids".into(),
            Value::Array(self.kids.iter().map(|k| Value::from(k.clone())).collect()),
        )];
        for (key, value) in [("now", self.now), ("leeway", self.leeway)] {
            if let Some(v) = value {
                options.push((key.into(), Value::from(v)));
            }
        }
        match signer.verify_token(&self.token, &Value::Object(options)) {
            Ok(claims) => {
                println!("{}", userhash::json::stringify(&claims)?);
                Ok(ExitCode::SUCCESS)
            }
            Err(e) if is_invalid_token(e.code()) => {
                println!("invalid[{}]: {e}", e.code());
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(e),
        }
    }
}

/// The codes that say "this token is not valid" rather than "bad input".
fn is_invalid_token(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::InvalidToken
            | ErrorCode::BadSignature
            | ErrorCode::UnknownKid
            | ErrorCode::TokenExpired
            | ErrorCode::TokenNotYetValid
    )
}
