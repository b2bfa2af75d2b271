//! Presets (the five seed vendors) and the building blocks they are made of.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorCode};
use crate::input::Field;
use crate::token::TokenKind;

/// Which input field(s) a scheme signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The `email` field (a string).
    Email,
    /// The `user_id` field (a string, or an integer as decimal text).
    UserId,
    /// `external_id` when present and not null, else `email`.
    ExternalIdOrEmail,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheme {
    /// The field(s) signed.
    pub source: Source,
    /// The normalization applied (always `AsIs` for `VisitorJson`).
    pub transform: Transform,
}

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
            #[cfg(feature = "probe-preset")]
            Preset::Probe => (Source::UserId, Transform::TrimLowercase),
            Preset::Token(kind) => (Source::Token(kind), Transform::AsIs),
        };
        Scheme { source, transform }
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
            Source::ExternalIdOrEmail => None,
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
        match Preset::ALL.iter().find(|p| p.scheme() == *self) {
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
                     (source: email, user_id, external_id_or_email, visitor_json; \
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
        Ok(Scheme { source, transform })
    }
}
