//! The one error type, with the stable codes every binding exposes.

use std::fmt;

/// A stable, language-independent error code (docs/design.md, "Errors").
///
/// The string form ([`ErrorCode::as_str`]) is what bindings expose as `.code`
/// and what golden vectors name in their `"error"` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ErrorCode {
    /// The secret (current or previous) was empty, or its environment variable unset.
    EmptySecret = 1,
    /// The identity is empty after the preset's normalization.
    EmptyIdentity = 2,
    /// A field is missing, unexpected, or of a type the preset does not sign.
    InvalidInput = 3,
    /// JSON text could not be parsed.
    InvalidJson = 4,
    /// Bytes that must be UTF-8 are not.
    InvalidUtf8 = 5,
    /// A JSON payload nests deeper than [`crate::MAX_DEPTH`].
    TooDeep = 6,
    /// The preset or scheme name is not known.
    UnknownPreset = 7,
    /// An identity token is malformed, too large, not HS256, or lacks a claim.
    InvalidToken = 8,
    /// An identity token's signature does not match the secret(s).
    BadSignature = 9,
    /// An identity token names a key id (`kid`) no secret has.
    UnknownKid = 10,
    /// An identity token is past its `exp` (or older than its preset allows).
    TokenExpired = 11,
    /// An identity token's `nbf` or `iat` is in the future.
    TokenNotYetValid = 12,
    /// A secret is not valid in its declared encoding (bad hex or base64).
    InvalidSecret = 13,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::EmptySecret,
        ErrorCode::EmptyIdentity,
        ErrorCode::InvalidInput,
        ErrorCode::InvalidJson,
        ErrorCode::InvalidUtf8,
        ErrorCode::TooDeep,
        ErrorCode::UnknownPreset,
        ErrorCode::InvalidToken,
        ErrorCode::BadSignature,
        ErrorCode::UnknownKid,
        ErrorCode::TokenExpired,
        ErrorCode::TokenNotYetValid,
        ErrorCode::InvalidSecret,
    ];

    /// The stable snake_case name of the code.
    ///
    /// ```
    /// assert_eq!(userhash::ErrorCode::EmptyIdentity.as_str(), "empty_identity");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::EmptySecret => "empty_secret",
            ErrorCode::EmptyIdentity => "empty_identity",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidUtf8 => "invalid_utf8",
            ErrorCode::TooDeep => "too_deep",
            ErrorCode::UnknownPreset => "unknown_preset",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::UnknownKid => "unknown_kid",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::TokenNotYetValid => "token_not_yet_valid",
            ErrorCode::InvalidSecret => "invalid_secret",
        }
    }

    /// Looks a code up by its snake_case name.
    ///
    /// ```
    /// use userhash::ErrorCode;
    /// assert_eq!(ErrorCode::from_name("too_deep"), Some(ErrorCode::TooDeep));
    /// assert_eq!(ErrorCode::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// One line saying what the code means (what bindings put in their docs).
    pub const fn describe(self) -> &'static str {
        match self {
            ErrorCode::EmptySecret => "the secret (or a previous secret) is empty",
            ErrorCode::EmptyIdentity => "the identity is empty after the preset's normalization",
            ErrorCode::InvalidInput => {
                "a field is missing, unexpected, or of a type the preset does not sign"
            }
            ErrorCode::InvalidJson => "JSON text is malformed",
            ErrorCode::InvalidUtf8 => "bytes that must be UTF-8 are not",
            ErrorCode::TooDeep => "a JSON payload nests deeper than the depth limit",
            ErrorCode::UnknownPreset => "the preset name or scheme spec is not known",
            ErrorCode::InvalidToken => {
                "an identity token is malformed, too large, not HS256, or lacks a claim"
            }
            ErrorCode::BadSignature => "an identity token's signature does not match the secret(s)",
            ErrorCode::UnknownKid => "an identity token names a key id no secret has",
            ErrorCode::TokenExpired => "an identity token has expired",
            ErrorCode::TokenNotYetValid => "an identity token is not valid yet",
            ErrorCode::InvalidSecret => {
                "a secret is not valid hex or base64 for its secret_encoding"
            }
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from userhash: a stable [`ErrorCode`], a message, and where it
/// happened — the path into the input (`visitor.data.created_at`) and, in a
/// batch, the index of the item. Bindings translate these fields; they never
/// reword or renumber. Messages never contain a secret.
///
/// ```
/// use userhash::{Error, ErrorCode};
/// let e = Error::new(ErrorCode::InvalidInput, "is a datetime").at("visitor.data.at").in_item(7);
/// assert_eq!(e.to_string(), "item 7: visitor.data.at: is a datetime");
/// assert_eq!((e.item(), e.path(), e.message()), (Some(7), Some("visitor.data.at"), "is a datetime"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    path: Option<String>,
    item: Option<usize>,
}

impl Error {
    /// Builds an error from a code and a human-readable message.
    ///
    /// ```
    /// let e = userhash::Error::new(userhash::ErrorCode::InvalidInput, "email must be a string");
    /// assert_eq!(e.code().as_str(), "invalid_input");
    /// assert_eq!(e.to_string(), "email must be a string");
    /// ```
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            path: None,
            item: None,
        }
    }

    /// This error located at `path` in the input (`visitor.data[2]`).
    pub fn at(mut self, path: impl Into<String>) -> Error {
        self.path = Some(path.into());
        self
    }

    /// This error as the one of batch item `index` (a global index: a binding
    /// that feeds a batch in chunks passes each chunk's offset to the core).
    pub fn in_item(mut self, index: usize) -> Error {
        self.item = Some(index);
        self
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message, without the item index and the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The path into the input where the error happened, if it has one.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The batch item index, for errors from a batch.
    pub fn item(&self) -> Option<usize> {
        self.item
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::InvalidInput, message)
    }
}

impl fmt::Display for Error {
    /// `item N: path: message`, each part only when present.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(item) = self.item {
            write!(f, "item {item}: ")?;
        }
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// `Result` with userhash's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
