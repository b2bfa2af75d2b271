//! Presets (the five seed vendors) and the building blocks they are made of.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorCode};
use crate::input::Field;
use crate::token::TokenKind;

/// How a secret string becomes HMAC key bytes (signer option `secret_encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretEncoding {
    /// The UTF-8 bytes of the string (or the raw bytes given).
    Raw,
    /// Hex digits (either case) decoded to bytes, as Pylon's `Buffer.from(s, 'hex')`.
    Hex,
    /// Base64 (standard alphabet, padding optional) decoded to bytes.
    Base64,
}

impl SecretEncoding {
    /// Every encoding.
    pub const ALL: [SecretEncoding; 3] = [
        SecretEncoding::Raw,
        SecretEncoding::Hex,
        SecretEncoding::Base64,
    ];

    /// The option value (`"hex"`).
    pub const fn name(self) -> &'static str {
        match self {
            SecretEncoding::Raw => "raw",
            SecretEncoding::Hex => "hex",
            SecretEncoding::Base64 => "base64",
        }
    }

    /// Decodes `secret`; `what` names it in the error (`secret`, `previous secret #1`),
    /// which never shows the secret itself.
    pub fn decode<'s>(
        self,
        secret: &'s [u8],
        what: &str,
    ) -> Result<std::borrow::Cow<'s, [u8]>, Error> {
        use base64::Engine as _;
        let bad = |why: &str| {
            Error::new(
                ErrorCode::InvalidSecret,
                format!("{what} is not valid {}: {why}", self.name()),
            )
        };
        match self {
            SecretEncoding::Raw => Ok(std::borrow::Cow::Borrowed(secret)),
            SecretEncoding::Hex => {
                if secret.len() % 2 == 1 {
                    return Err(bad(&format!("an odd number of digits ({})", secret.len())));
                }
                hex::decode(secret)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|_| bad("a character that is not a hex digit"))
            }
            SecretEncoding::Base64 => {
                let engine = base64::engine::GeneralPurpose::new(
                    &base64::alphabet::STANDARD,
                    base64::engine::GeneralPurposeConfig::new()
                        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
                );
                engine
                    .decode(secret)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|_| bad("a character outside the base64 alphabet, or a bad length"))
            }
        }
    }
}

/// Which input field(s) a scheme signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The `email` field (a string).
    Email,
    /// The `user_id` field (a string, or an integer as decimal text).
    UserId,
    /// `external_id` when present and not null, else `email`.
    ExternalIdOrEmail,
    /// `user_id` when present and not null (an integer as decimal text), else
    /// `email` — Intercom's rule (`user_id || email`), also Featurebase's.
    UserIdOrEmail,
    /// The `visitor` object, signed as `JSON.stringify({name, email, data: data ?? null})`.
    VisitorJson,
    /// No hash: an identity token with this vendor's claims ([`crate::Signer::token`]).
    Token(TokenKind),
}

/// How the chosen string is normalized before signing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transform {
    /// Exactly as given.
    AsIs,
    /// JS `toLowerCase()`.
    Lowercase,
    /// JS `trim().toLowerCase()`.
    TrimLowercase,
}

/// A canonicalization scheme: a [`Source`] plus a [`Transform`].
///
/// Parsed from a preset name (`"ensoras"`) or a spec `source[:transform]`
/// with source `email`, `user_id`, `external_id_or_email` or `visitor_json`
/// and transform `as_is` (default), `lowercase` or `trim_lowercase`:
///
/// ```
/// use userhash::{Scheme, Source, Transform};
/// let s: Scheme = "email:trim_lowercase".parse().unwrap();
/// assert_eq!((s.source, s.transform), (Source::Email, Transform::TrimLowercase));
/// assert_eq!("ensoras".parse::<Scheme>().unwrap(), "email:lowercase".parse().unwrap());
/// assert_eq!("nope".parse::<Scheme>().unwrap_err().code().as_str(), "unknown_preset");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Scheme {
    /// The field(s) signed.
    pub source: Source,
    /// The normalization applied (always `AsIs` for `VisitorJson`).
    pub transform: Transform,
    /// The preset the scheme was named by, if any (several vendors share a
    /// rule; the preset decides the name, the embed and the key encoding).
    pub preset: Option<Preset>,
}

/// Two schemes are equal when they sign the same bytes, whatever their names.
impl PartialEq for Scheme {
    fn eq(&self, other: &Scheme) -> bool {
        (self.source, self.transform) == (other.source, other.transform)
    }
}

impl Eq for Scheme {}

/// The seed vendors' schemes, by preset name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Layerup: the email exactly as given.
    Layerup,
    /// Inviaro: the user id exactly as given (integers as decimal text).
    Inviaro,
    /// Ensoras: the email, lowercased.
    Ensoras,
    /// SupportWire: external id if given, else email; trimmed and lowercased.
    Supportwire,
    /// FluentBot: `JSON.stringify({name, email, data: data ?? null})` of the visitor.
    Fluentbot,
    /// Intercom: `user_id` when given, else `email` (intercom-rails `user_hash`).
    Intercom,
    /// Chatwoot: the contact identifier (`user_id`) as given (`valid_hmac?`).
    Chatwoot,
    /// Crisp: the email as given.
    Crisp,
    /// Front: the email as given.
    Front,
    /// Help Scout Beacon secure mode: the email as given.
    Helpscout,
    /// tawk.to: the email as given (`Tawk_API.visitor.hash`).
    Tawkto,
    /// Pylon: the email as given; the secret is hex-decoded to key bytes.
    Pylon,
    /// Plain: the email as given.
    Plain,
    /// Canny: the user id as given.
    Canny,
    /// Userflow: the user id as given.
    Userflow,
    /// Featurebase (legacy `userHash`): `user_id` when given, else `email`.
    Featurebase,
    /// Test builds only (feature `probe-preset`): a preset that exists in the
    /// core and nowhere else — the user id, JS-trimmed and lowercased — which
    /// every binding's suite signs to show that a preset needs no binding edit.
    #[cfg(feature = "probe-preset")]
    Probe,
    /// An identity-token (JWT) preset: `intercom_jwt`, `zendesk`, … (docs/tokens.md).
    Token(TokenKind),
}

impl Preset {
    /// Every preset.
    pub const ALL: &'static [Preset] = &[
        Preset::Layerup,
        Preset::Inviaro,
        Preset::Ensoras,
        Preset::Supportwire,
        Preset::Fluentbot,
        Preset::Intercom,
        Preset::Chatwoot,
        Preset::Crisp,
        Preset::Front,
        Preset::Helpscout,
        Preset::Tawkto,
        Preset::Pylon,
        Preset::Plain,
        Preset::Canny,
        Preset::Userflow,
        Preset::Featurebase,
        #[cfg(feature = "probe-preset")]
        Preset::Probe,
        Preset::Token(TokenKind::IntercomJwt),
        Preset::Token(TokenKind::Zendesk),
        Preset::Token(TokenKind::Drift),
        Preset::Token(TokenKind::Kustomer),
        Preset::Token(TokenKind::FeaturebaseJwt),
        Preset::Token(TokenKind::CannySso),
    ];

    /// The preset's name as used in every binding (`"ensoras"`).
    pub const fn name(self) -> &'static str {
        match self {
            Preset::Layerup => "layerup",
            Preset::Inviaro => "inviaro",
            Preset::Ensoras => "ensoras",
            Preset::Supportwire => "supportwire",
            Preset::Fluentbot => "fluentbot",
            Preset::Intercom => "intercom",
            Preset::Chatwoot => "chatwoot",
            Preset::Crisp => "crisp",
            Preset::Front => "front",
            Preset::Helpscout => "helpscout",
            Preset::Tawkto => "tawkto",
            Preset::Pylon => "pylon",
            Preset::Plain => "plain",
            Preset::Canny => "canny",
            Preset::Userflow => "userflow",
            Preset::Featurebase => "featurebase",
            #[cfg(feature = "probe-preset")]
            Preset::Probe => "zz_probe",
            Preset::Token(kind) => kind.name(),
        }
    }

    /// The scheme the preset stands for.
    ///
    /// ```
    /// use userhash::{Preset, Source};
    /// assert_eq!(Preset::Inviaro.scheme().source, Source::UserId);
    /// ```
    pub const fn scheme(self) -> Scheme {
        let (source, transform) = match self {
            Preset::Layerup => (Source::Email, Transform::AsIs),
            Preset::Inviaro => (Source::UserId, Transform::AsIs),
            Preset::Ensoras => (Source::Email, Transform::Lowercase),
            Preset::Supportwire => (Source::ExternalIdOrEmail, Transform::TrimLowercase),
            Preset::Fluentbot => (Source::VisitorJson, Transform::AsIs),
            Preset::Intercom | Preset::Featurebase => (Source::UserIdOrEmail, Transform::AsIs),
            Preset::Chatwoot | Preset::Canny | Preset::Userflow => {
                (Source::UserId, Transform::AsIs)
            }
            Preset::Crisp
            | Preset::Front
            | Preset::Helpscout
            | Preset::Tawkto
            | Preset::Pylon
            | Preset::Plain => (Source::Email, Transform::AsIs),
            #[cfg(feature = "probe-preset")]
            Preset::Probe => (Source::UserId, Transform::TrimLowercase),
            Preset::Token(kind) => (Source::Token(kind), Transform::AsIs),
        };
        Scheme {
            source,
            transform,
            preset: Some(self),
        }
    }

    /// How the preset's vendor turns the secret string into key bytes.
    pub const fn secret_encoding(self) -> SecretEncoding {
        match self {
            Preset::Pylon => SecretEncoding::Hex,
            _ => SecretEncoding::Raw,
        }
    }

    /// Looks a preset up by name (exact, lowercase).
    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.iter().copied().find(|p| p.name() == name)
    }
}

impl Scheme {
    /// The token preset, when the scheme makes identity tokens instead of hashes.
    pub const fn token_kind(self) -> Option<TokenKind> {
        match self.source {
            Source::Token(kind) => Some(kind),
            _ => None,
        }
    }

    /// The input fields the scheme reads, in the order bindings list them
    /// (any other field is `invalid_input`).
    ///
    /// ```
    /// use userhash::{Field, Preset};
    /// assert_eq!(Preset::Supportwire.scheme().fields(), &[Field::ExternalId, Field::Email]);
    /// ```
    pub const fn fields(self) -> &'static [Field] {
        match self.source {
            Source::Email => &[Field::Email],
            Source::UserId => &[Field::UserId],
            Source::ExternalIdOrEmail => &[Field::ExternalId, Field::Email],
            Source::UserIdOrEmail => &[Field::UserId, Field::Email],
            Source::VisitorJson => &[Field::Visitor],
            Source::Token(kind) => kind.fields(),
        }
    }

    /// The field a batch of plain values fills ([`crate::Signer::sign_many`]):
    /// `email`, `user_id` or `visitor`; `None` for `external_id_or_email`,
    /// where the caller must say which.
    ///
    /// ```
    /// use userhash::{Field, Preset};
    /// assert_eq!(Preset::Inviaro.scheme().batch_field(), Some(Field::UserId));
    /// assert_eq!(Preset::Supportwire.scheme().batch_field(), None);
    /// ```
    pub const fn batch_field(self) -> Option<Field> {
        match self.source {
            Source::Email => Some(Field::Email),
            Source::UserId => Some(Field::UserId),
            Source::ExternalIdOrEmail | Source::UserIdOrEmail => None,
            Source::VisitorJson => Some(Field::Visitor),
            Source::Token(_) => None,
        }
    }
}

impl Source {
    /// The spec name (`"external_id_or_email"`).
    pub const fn name(self) -> &'static str {
        match self {
            Source::Email => "email",
            Source::UserId => "user_id",
            Source::ExternalIdOrEmail => "external_id_or_email",
            Source::UserIdOrEmail => "user_id_or_email",
            Source::VisitorJson => "visitor_json",
            Source::Token(kind) => kind.name(),
        }
    }
}

impl Transform {
    /// The spec name (`"trim_lowercase"`).
    pub const fn name(self) -> &'static str {
        match self {
            Transform::AsIs => "as_is",
            Transform::Lowercase => "lowercase",
            Transform::TrimLowercase => "trim_lowercase",
        }
    }
}

impl fmt::Display for Scheme {
    /// The preset name when the scheme is a preset's, else `source:transform`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.preset {
            Some(p) => f.write_str(p.name()),
            None => write!(f, "{}:{}", self.source.name(), self.transform.name()),
        }
    }
}

impl FromStr for Scheme {
    type Err = Error;

    fn from_str(spec: &str) -> Result<Scheme, Error> {
        if let Some(p) = Preset::from_name(spec) {
            return Ok(p.scheme());
        }
        let unknown = || {
            let presets: Vec<&str> = Preset::ALL.iter().map(|p| p.name()).collect();
            Error::new(
                ErrorCode::UnknownPreset,
                format!(
                    "unknown preset or scheme {spec:?}: expected one of {} or source[:transform] \
                     (source: email, user_id, external_id_or_email, user_id_or_email, visitor_json; \
                     transform: as_is, lowercase, trim_lowercase)",
                    presets.join(", ")
                ),
            )
        };
        let (source, transform) = spec.split_once(':').unwrap_or((spec, "as_is"));
        let source = match source {
            "email" => Source::Email,
            "user_id" => Source::UserId,
            "external_id_or_email" => Source::ExternalIdOrEmail,
            "user_id_or_email" => Source::UserIdOrEmail,
            "visitor_json" => Source::VisitorJson,
            _ => return Err(unknown()),
        };
        let transform = match transform {
            "as_is" => Transform::AsIs,
            "lowercase" => Transform::Lowercase,
            "trim_lowercase" => Transform::TrimLowercase,
            _ => return Err(unknown()),
        };
        if source == Source::VisitorJson && transform != Transform::AsIs {
            return Err(Error::new(
                ErrorCode::UnknownPreset,
                format!("scheme {spec:?}: visitor_json takes no transform"),
            ));
        }
        Ok(Scheme {
            source,
            transform,
            preset: None,
        })
    }
}
