//! Identity tokens: compact JWS with HS256 only, for the vendors that moved from
//! a bare HMAC to a JWT (docs/tokens.md). Header and claims are serialized in a
//! fixed order — the one Node's `jsonwebtoken` writes for the same call — so
//! every language produces the same token bytes.

use std::borrow::Cow;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorCode, Result};
use crate::input::{Field, Input};
use crate::signer::Signer;
use crate::value::Value;

/// The identity-token presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Intercom Messenger security: `user_id` (string) plus signed attributes.
    IntercomJwt,
    /// Zendesk messaging: `scope: "user"`, `external_id`, `kid` header.
    Zendesk,
    /// Drift signed identities: `sub`.
    Drift,
    /// Kustomer chat: `externalId` and/or `email`, `iat` under 15 minutes old.
    Kustomer,
    /// Featurebase: `userId` and/or `email`, optional `name` and attributes.
    FeaturebaseJwt,
    /// Canny SSO: `id`, `email`, `name`, optional `avatarURL`.
    CannySso,
}

/// The JSON type a claim must have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string; an integer given for an id becomes its decimal text.
    Id,
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// Any JSON value.
    Any,
}

/// Where a claim's value comes from.
#[derive(Clone, Copy)]
enum Origin {
    /// An input field.
    Field(Field),
    /// A fixed string.
    Fixed(&'static str),
    /// An extra claim the caller passes in the `claims` option.
    Extra,
}

#[derive(Clone, Copy)]
struct Claim {
    name: &'static str,
    origin: Origin,
    kind: Kind,
    required: bool,
}

const fn field(name: &'static str, field: Field, kind: Kind, required: bool) -> Claim {
    Claim {
        name,
        origin: Origin::Field(field),
        kind,
        required,
    }
}

const fn extra(name: &'static str, kind: Kind) -> Claim {
    Claim {
        name,
        origin: Origin::Extra,
        kind,
        required: false,
    }
}

/// One vendor's token rules.
struct Spec {
    claims: &'static [Claim],
    /// At least one of these claims must be present.
    one_of: &'static [&'static str],
    /// Extra claims beyond `claims` are allowed (signed attributes).
    open: bool,
    kid_required: bool,
    /// `iat` may be at most this many seconds old when verified.
    max_age: Option<u64>,
}

impl TokenKind {
    /// Every token preset.
    pub const ALL: [TokenKind; 6] = [
        TokenKind::IntercomJwt,
        TokenKind::Zendesk,
        TokenKind::Drift,
        TokenKind::Kustomer,
        TokenKind::FeaturebaseJwt,
        TokenKind::CannySso,
    ];

    /// The preset name (`"zendesk"`).
    pub const fn name(self) -> &'static str {
        match self {
            TokenKind::IntercomJwt => "intercom_jwt",
            TokenKind::Zendesk => "zendesk",
            TokenKind::Drift => "drift",
            TokenKind::Kustomer => "kustomer",
            TokenKind::FeaturebaseJwt => "featurebase_jwt",
            TokenKind::CannySso => "canny_sso",
        }
    }

    fn spec(self) -> Spec {
        use Field::{Email, ExternalId, Name, UserId};
        use Kind::{Any, Bool, Id, Str};
        match self {
            TokenKind::IntercomJwt => Spec {
                claims: const {
                    &[
                        field("user_id", UserId, Id, true),
                        field("email", Email, Str, false),
                        field("name", Name, Str, false),
                    ]
                },
                one_of: &[],
                open: true,
                kid_required: false,
                max_age: None,
            },
            TokenKind::Zendesk => Spec {
                claims: const {
                    &[
                        Claim {
                            name: "scope",
                            origin: Origin::Fixed("user"),
                            kind: Str,
                            required: true,
                        },
                        field("external_id", ExternalId, Id, true),
                        field("name", Name, Str, false),
                        field("email", Email, Str, false),
                        extra("email_verified", Bool),
                    ]
                },
                one_of: &[],
                open: false,
                kid_required: true,
                max_age: None,
            },
            TokenKind::Drift => Spec {
                claims: const { &[field("sub", UserId, Id, true)] },
                one_of: &[],
                open: false,
                kid_required: false,
                max_age: None,
            },
            TokenKind::Kustomer => Spec {
                claims: const {
                    &[
                        field("externalId", ExternalId, Id, false),
                        field("email", Email, Str, false),
                    ]
                },
                one_of: &["externalId", "email"],
                open: false,
                kid_required: false,
                max_age: Some(15 * 60),
            },
            TokenKind::FeaturebaseJwt => Spec {
                claims: const {
                    &[
                        field("userId", UserId, Id, false),
                        field("email", Email, Str, false),
                        field("name", Name, Str, false),
                        extra("profilePicture", Str),
                        extra("locale", Str),
                        extra("companies", Any),
                    ]
                },
                one_of: &["userId", "email"],
                open: true,
                kid_required: false,
                max_age: None,
            },
            TokenKind::CannySso => Spec {
                claims: const {
                    &[
                        field("id", UserId, Id, true),
                        field("email", Email, Str, true),
                        field("name", Name, Str, true),
                        extra("avatarURL", Str),
                    ]
                },
                one_of: &[],
                open: true,
                kid_required: false,
                max_age: None,
            },
        }
    }

    /// The input fields the preset reads.
    pub(crate) const fn fields(self) -> &'static [Field] {
        match self {
            TokenKind::IntercomJwt | TokenKind::FeaturebaseJwt | TokenKind::CannySso => {
                &[Field::UserId, Field::Email, Field::Name]
            }
            TokenKind::Zendesk => &[Field::ExternalId, Field::Email, Field::Name],
            TokenKind::Drift => &[Field::UserId],
            TokenKind::Kustomer => &[Field::ExternalId, Field::Email],
        }
    }
}

/// Tokens longer than this are refused by [`Signer::verify_token`].
pub const MAX_TOKEN_BYTES: usize = 8192;

/// The options of [`Signer::token`], read from a `Value` object.
struct TokenOptions<'o> {
    kid: Option<&'o str>,
    ttl: Option<i128>,
    now: Option<i128>,
    claims: &'o [(Cow<'o, str>, Value<'o>)],
}

fn object<'o>(options: &'o Value<'o>, what: &str) -> Result<&'o [(Cow<'o, str>, Value<'o>)]> {
    match options {
        Value::Null => Ok(&[]),
        Value::Object(entries) => Ok(entries),
        other => Err(Error::invalid_input(format!(
            "{what} must be an object, got {}",
            other.type_name()
        ))),
    }
}

fn integer(v: &Value<'_>, name: &str) -> Result<Option<i128>> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Ok(Some(*f as i128)),
        other => Err(Error::invalid_input(format!(
            "must be an integer number of seconds, got {}",
            other.type_name()
        ))
        .at(name)),
    }
}

fn known_options<'o>(
    options: &'o Value<'o>,
    known: &[&str],
    what: &str,
) -> Result<&'o [(Cow<'o, str>, Value<'o>)]> {
    let entries = object(options, what)?;
    if let Some((k, _)) = entries.iter().find(|(k, _)| !known.contains(&k.as_ref())) {
        return Err(Error::invalid_input(format!(
            "unknown {what} {k:?}: expected {}",
            known.join(", ")
        )));
    }
    Ok(entries)
}

impl<'o> TokenOptions<'o> {
    fn parse(options: &'o Value<'o>) -> Result<TokenOptions<'o>> {
        let mut out = TokenOptions {
            kid: None,
            ttl: None,
            now: None,
            claims: const { &[] },
        };
        for (k, v) in known_options(options, &["kid", "ttl", "now", "claims"], "token option")? {
            match (k.as_ref(), v) {
                ("kid", Value::Str(s)) if !s.is_empty() && s.is_ascii() => out.kid = Some(s),
                ("kid", Value::Null) => {}
                ("kid", _) => {
                    return Err(Error::invalid_input("must be a non-empty ASCII string").at("kid"))
                }
                ("ttl", v) => out.ttl = integer(v, "ttl")?,
                ("now", v) => out.now = integer(v, "now")?,
                (_, v) => out.claims = object(v, "claims")?,
            }
        }
        if out.ttl.is_some_and(|t| t <= 0) {
            return Err(Error::invalid_input("must be a positive number of seconds").at("ttl"));
        }
        Ok(out)
    }
}

fn now_or(now: Option<i128>) -> i128 {
    now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i128)
    })
}

fn typed<'v>(claim: &str, kind: Kind, v: &'v Value<'_>) -> Result<Value<'v>> {
    let wrong = |want: &str| {
        Error::invalid_input(format!("must be {want}, got {}", v.type_name())).at(claim)
    };
    match (kind, v) {
        // A value the binding could not convert keeps its own code (invalid_utf8, …).
        (_, Value::Invalid(inv)) => Err(Error::new(inv.code, inv.what.clone()).at(claim)),
        (Kind::Id, Value::Int(i)) => Ok(Value::from(i.to_string())),
        (Kind::Id, Value::BigInt(d)) => Ok(Value::from(d.to_string())),
        (Kind::Id | Kind::Str, Value::Str(s)) if s.is_empty() => Err(Error::new(
            ErrorCode::EmptyIdentity,
            "is empty: userhash never signs an empty identity",
        )
        .at(claim)),
        (Kind::Id | Kind::Str, Value::Str(s)) => Ok(Value::Str(Cow::Borrowed(s))),
        (Kind::Id, _) => Err(wrong(
            "a string or an integer (ids are always strings in the token)",
        )),
        (Kind::Str, _) => Err(wrong("a string")),
        (Kind::Bool, Value::Bool(b)) => Ok(Value::Bool(*b)),
        (Kind::Bool, _) => Err(wrong("a boolean")),
        (Kind::Any, v) => Ok(v.reborrow()),
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn invalid_token(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidToken, message)
}

impl Signer {
    fn token_kind(&self) -> Result<TokenKind> {
        self.scheme().token_kind().ok_or_else(|| {
            Error::invalid_input(format!(
                "{} signs a hash, not an identity token: use a token preset ({})",
                self.scheme(),
                TokenKind::ALL.map(TokenKind::name).join(", ")
            ))
        })
    }

    /// An HS256 identity token for `input` under the current secret, with the
    /// signer's token preset's claims (docs/tokens.md). `options`: `kid` (the
    /// key id, required by `zendesk`), `ttl` (seconds until `exp`), `now` (unix
    /// seconds, for tests; default the clock), `claims` (extra attributes the
    /// preset allows). `iat` is always set. A missing required claim or a
    /// wrong type is `invalid_input` with the claim as its path.
    ///
    /// ```
    /// use userhash::{Input, Signer, Value};
    /// let signer = Signer::new(b"s3cr3t", "drift").unwrap();
    /// let mut input = Input::new();
    /// input.set("user_id", Value::Int(12345)).unwrap();
    /// let opts = userhash::json::parse(r#"{"now":1700000000,"ttl":600}"#).unwrap();
    /// let token = signer.token(&input, &opts).unwrap();
    /// let now = userhash::json::parse(r#"{"now":1700000300}"#).unwrap();
    /// let claims = signer.verify_token(&token, &now).unwrap();
    /// assert_eq!(userhash::json::stringify(&claims).unwrap(), r#"{"sub":"12345","iat":1700000000,"exp":1700000600}"#);
    /// ```
    pub fn token(&self, input: &Input<'_>, options: &Value<'_>) -> Result<String> {
        let kind = self.token_kind()?;
        let spec = kind.spec();
        let opts = TokenOptions::parse(options)?;
        for field in Field::ALL {
            if input.has(field) && !kind.fields().contains(&field) {
                return Err(Error::invalid_input(format!(
                    "{} tokens take {}; unexpected field {}",
                    self.scheme(),
                    crate::input::names(kind.fields()),
                    field.name()
                )));
            }
        }
        if spec.kid_required && opts.kid.is_none() {
            return Err(Error::invalid_input(format!(
                "{} tokens need a key id (the kid option)",
                self.scheme()
            ))
            .at("kid"));
        }
        let mut claims: Vec<(Cow<'_, str>, Value<'_>)> = Vec::new();
        for claim in spec.claims {
            let value = match claim.origin {
                Origin::Fixed(s) => Some(Value::str(s)),
                Origin::Field(f) => input
                    .get(f)
                    .filter(|v| **v != Value::Null)
                    .map(|v| typed(claim.name, claim.kind, v))
                    .transpose()?,
                Origin::Extra => opts
                    .claims
                    .iter()
                    .rev()
                    .find(|(k, _)| k == claim.name)
                    .map(|(_, v)| typed(claim.name, claim.kind, v))
                    .transpose()?,
            };
            match value {
                Some(v) => claims.push((Cow::Borrowed(claim.name), v)),
                None if claim.required => {
                    let from = match claim.origin {
                        Origin::Field(f) => format!(" (from the {} field)", f.name()),
                        _ => String::new(),
                    };
                    return Err(Error::invalid_input(format!(
                        "is required by {} tokens{from}",
                        self.scheme()
                    ))
                    .at(claim.name));
                }
                None => {}
            }
        }
        if !spec.one_of.is_empty()
            && !claims
                .iter()
                .any(|(k, _)| spec.one_of.contains(&k.as_ref()))
        {
            return Err(Error::invalid_input(format!(
                "{} tokens need at least one of {}",
                self.scheme(),
                spec.one_of.join(", ")
            )));
        }
        let mut extras: Vec<&(Cow<'_, str>, Value<'_>)> = opts
            .claims
            .iter()
            .filter(|(k, _)| !spec.claims.iter().any(|c| c.name == k))
            .collect();
        if let Some((k, _)) = extras
            .iter()
            .find(|(k, _)| matches!(k.as_ref(), "iat" | "exp" | "nbf" | "jti"))
        {
            return Err(Error::invalid_input(format!(
                "claim {k:?} is set by userhash (use the now and ttl options)"
            ))
            .at(k.to_string()));
        }
        if !spec.open {
            if let Some((k, _)) = extras.first() {
                return Err(Error::invalid_input(format!(
                    "{} tokens do not take claim {k:?}",
                    self.scheme()
                ))
                .at(k.to_string()));
            }
        }
        // Extra claims in code-point order: a Go map or a PHP array has no order to keep.
        extras.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, v) in extras {
            claims.push((Cow::Borrowed(k.as_ref()), typed(k, Kind::Any, v)?));
        }
        let iat = now_or(opts.now);
        claims.push((Cow::Borrowed("iat"), Value::Int(iat)));
        if let Some(ttl) = opts.ttl {
            claims.push((Cow::Borrowed("exp"), Value::Int(iat + ttl)));
        }
        let mut header = vec![
            (Cow::Borrowed("alg"), Value::str("HS256")),
            (Cow::Borrowed("typ"), Value::str("JWT")),
        ];
        if let Some(kid) = opts.kid {
            header.push((Cow::Borrowed("kid"), Value::str(kid)));
        }
        let signing_input = format!(
            "{}.{}",
            b64(crate::json::stringify(&Value::Object(header))?.as_bytes()),
            b64(crate::json::stringify(&Value::Object(claims))?.as_bytes())
        );
        let mac = self.mac_with(0, signing_input.as_bytes());
        Ok(format!("{signing_input}.{}", b64(&mac)))
    }

    /// Checks an HS256 token made for this signer's token preset and returns its
    /// claims. `options`: `now` (unix seconds; default the clock), `leeway`
    /// (seconds of clock skew allowed, default 60), `kids` (the key ids of the
    /// current and previous secrets, in order: a token's `kid` then picks its
    /// secret). Errors: `invalid_token` (malformed, over [`MAX_TOKEN_BYTES`],
    /// an `alg` other than HS256 — `none` included —, a missing claim),
    /// `bad_signature`, `unknown_kid`, `token_expired`, `token_not_yet_valid`.
    /// MACs are compared in constant time.
    pub fn verify_token(&self, token: &str, options: &Value<'_>) -> Result<Value<'static>> {
        let kind = self.token_kind()?;
        let spec = kind.spec();
        let mut now = None;
        let mut leeway = 60;
        let mut kids: Vec<&str> = Vec::new();
        for (k, v) in known_options(options, &["now", "leeway", "kids"], "verify option")? {
            match (k.as_ref(), v) {
                ("now", v) => now = integer(v, "now")?,
                ("leeway", v) => leeway = integer(v, "leeway")?.unwrap_or(60),
                (_, Value::Array(items)) => {
                    kids = items
                        .iter()
                        .map(|i| match i {
                            Value::Str(s) => Ok(s.as_ref()),
                            _ => Err(Error::invalid_input("must be a list of strings").at("kids")),
                        })
                        .collect::<Result<_>>()?
                }
                (_, Value::Null) => {}
                _ => return Err(Error::invalid_input("must be a list of strings").at("kids")),
            }
        }
        if token.len() > MAX_TOKEN_BYTES {
            return Err(invalid_token(format!(
                "the token is {} bytes, more than {MAX_TOKEN_BYTES}",
                token.len()
            )));
        }
        let parts: Vec<&str> = token.split('.').collect();
        let [header, payload, signature] = parts[..] else {
            return Err(invalid_token(format!(
                "a JWS has 3 dot-separated parts, this token has {}",
                parts.len()
            )));
        };
        let decode = |part: &str, what: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| invalid_token(format!("the {what} is not base64url without padding")))
        };
        let json = |bytes: Vec<u8>, what: &str| -> Result<Value<'static>> {
            let text = String::from_utf8(bytes)
                .map_err(|_| invalid_token(format!("the {what} is not UTF-8")))?;
            match crate::json::parse(&text) {
                Ok(v @ Value::Object(_)) => Ok(v),
                _ => Err(invalid_token(format!("the {what} is not a JSON object"))),
            }
        };
        let head = json(decode(header, "header")?, "header")?;
        let get = |v: &'_ Value<'static>, key: &str| -> Option<Value<'static>> {
            match v {
                Value::Object(entries) => entries
                    .iter()
                    .rev()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone()),
                _ => None,
            }
        };
        match get(&head, "alg") {
            Some(Value::Str(a)) if a == "HS256" => {}
            Some(Value::Str(a)) => {
                return Err(invalid_token(format!(
                    "alg {a:?} is refused: only HS256 tokens are accepted"
                )))
            }
            _ => return Err(invalid_token("the header has no alg")),
        }
        let candidates: Vec<usize> = match (get(&head, "kid"), kids.is_empty()) {
            (Some(Value::Str(kid)), false) => match kids.iter().position(|k| *k == kid) {
                Some(i) if i < self.previous_count() + 1 => vec![i],
                _ => {
                    return Err(Error::new(
                        ErrorCode::UnknownKid,
                        format!("no secret has key id {kid:?}"),
                    ))
                }
            },
            (None, false) if spec.kid_required => {
                return Err(invalid_token("the header has no kid"))
            }
            _ => (0..=self.previous_count()).collect(),
        };
        let body = decode(payload, "payload")?;
        let mac = decode(signature, "signature")?;
        let signing_input = &token[..header.len() + 1 + payload.len()];
        let mut matched = subtle::Choice::from(0);
        for i in candidates {
            matched |= self
                .mac_with(i, signing_input.as_bytes())
                .as_slice()
                .ct_eq(&mac);
        }
        if !bool::from(matched) {
            return Err(Error::new(
                ErrorCode::BadSignature,
                "the signature does not match the secret(s)",
            ));
        }
        let claims = json(body, "payload")?;
        let now = now_or(now);
        let seconds = |name: &str| -> Result<Option<i128>> {
            match get(&claims, name) {
                None => Ok(None),
                Some(v) => integer(&v, name)
                    .map_err(|_| invalid_token(format!("claim {name} is not a number of seconds"))),
            }
        };
        if let Some(exp) = seconds("exp")? {
            if now > exp + leeway {
                return Err(Error::new(
                    ErrorCode::TokenExpired,
                    format!("the token expired at {exp} (now {now})"),
                ));
            }
        }
        if let Some(nbf) = seconds("nbf")? {
            if now + leeway < nbf {
                return Err(Error::new(
                    ErrorCode::TokenNotYetValid,
                    format!("the token is not valid before {nbf} (now {now})"),
                ));
            }
        }
        let iat = seconds("iat")?;
        if iat.is_some_and(|iat| now + leeway < iat) {
            return Err(Error::new(
                ErrorCode::TokenNotYetValid,
                format!("the token was issued in the future ({iat:?}, now {now})"),
            ));
        }
        if let Some(max) = spec.max_age {
            let iat = iat.ok_or_else(|| {
                invalid_token(format!("{} tokens need an iat claim", self.scheme()))
            })?;
            if now - iat > max as i128 + leeway {
                return Err(Error::new(
                    ErrorCode::TokenExpired,
                    format!("the token is older than {max} seconds (iat {iat}, now {now})"),
                ));
            }
        }
        for claim in spec.claims.iter().filter(|c| c.required) {
            match get(&claims, claim.name) {
                Some(Value::Str(_)) | Some(Value::Bool(_)) if claim.kind != Kind::Any => {}
                Some(_) if claim.kind == Kind::Any => {}
                _ => {
                    return Err(invalid_token(format!(
                        "claim {} is missing or not a string",
                        claim.name
                    ))
                    .at(claim.name))
                }
            }
        }
        Ok(claims)
    }
}
