//! # userhash
//!
//! Identity-verification hashes for chat and support widgets, computed once,
//! byte-identically, for every language that binds this crate.
//!
//! A backend signs `HMAC-SHA256(widget_secret, canonical_identity)`; each vendor
//! canonicalizes the identity differently (raw email, lowercased email, trimmed
//! id, a JSON payload). The rules here reproduce each vendor's Node.js snippet
//! exactly: JS `toLowerCase`, JS `trim`, JS `JSON.stringify`.
//!
//! ```
//! use userhash::{Input, Signer};
//! let signer = Signer::new(b"s3cr3t", "supportwire")?;
//! assert_eq!(signer.canonical(&Input::email(" Bob@Example.COM\u{FEFF}"))?, "bob@example.com");
//! # Ok::<(), userhash::Error>(())
//! ```
//!
//! Modules: [`text`] (JS string rules), [`json`] (JS JSON rules), [`Scheme`]
//! and [`Preset`] (what gets signed), [`Input`] and [`Value`] (what bindings
//! hand in), [`Signer`] (the keyed HMAC), [`Error`] (stable codes).

pub mod doctor;
pub mod embed;
mod error;
pub mod host;
mod input;
pub mod json;
mod mac;
mod ops;
mod scheme;
mod signer;
pub mod text;
pub mod token;
mod value;

/// The library version (the workspace version), as every binding reports it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use doctor::{Diagnosis, Mistake};
pub use error::{Error, ErrorCode, Result};
pub use input::{canonicalize, Field, Input};
pub use json::MAX_DEPTH;
pub use ops::OPERATIONS;
pub use scheme::{Preset, Scheme, SecretEncoding, Source, Transform};
pub use signer::Signer;
pub use token::TokenKind;
pub use value::{Invalid, Refused, Value};
