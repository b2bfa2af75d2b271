//! [`Signer`]: a prepared HMAC-SHA256 key plus a scheme.

use std::borrow::Cow;
use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};
use crate::input::{canonical_form, canonicalize, Canonical, Field, Input};
use crate::mac::PreparedKey;
use crate::scheme::{Scheme, SecretEncoding};
use crate::value::Value;

/// Signs identities for one widget: a secret, optional previous secrets (for
/// rotation, used only by [`Signer::verify`]) and a [`Scheme`].
///
/// The HMAC inner and outer pads are hashed once at construction; each call
/// clones that state, so signing a short identity costs two SHA-256
/// compressions. Key state is zeroized on drop and never shown by `Debug`.
///
/// ```
/// use userhash::{Input, Signer};
/// let signer = Signer::new(b"s3cr3t", "ensoras").unwrap();
/// let input = Input::email("Alice@Example.COM");
/// assert_eq!(signer.canonical(&input).unwrap(), "alice@example.com");
/// let hash = signer.sign(&input).unwrap();
/// assert_eq!(hash.len(), 64);
/// assert!(signer.verify(&hash, &input).unwrap());
/// assert_eq!(format!("{signer:?}"), "Signer { scheme: \"ensoras\", previous_secrets: 0 }");
/// ```
#[derive(Clone)]
pub struct Signer {
    scheme: Scheme,
    /// `keys[0]` is the current secret; the rest are previous secrets.
    keys: Vec<PreparedKey>,
    /// The key bytes of `keys`, kept (zeroized on drop) for [`Signer::diagnose`],
    /// which tries the mistakes people make with a secret.
    secrets: Vec<Zeroizing<Vec<u8>>>,
}

impl Signer {
    /// Builds a signer from a secret and a preset name or scheme spec.
    ///
    /// Errors: `empty_secret`, `unknown_preset`.
    pub fn new(secret: &[u8], scheme: &str) -> Result<Signer> {
        Signer::with_previous(secret, scheme, std::iter::empty::<&[u8]>())
    }

    /// Builds a signer that also accepts hashes made with `previous` secrets in
    /// [`Signer::verify`]. Signing always uses `secret`.
    ///
    /// ```
    /// use userhash::{Input, Signer};
    /// let old = Signer::new(b"old", "layerup").unwrap();
    /// let new = Signer::with_previous(b"new", "layerup", [b"old"]).unwrap();
    /// let input = Input::email("a@b.c");
    /// assert!(new.verify(&old.sign(&input).unwrap(), &input).unwrap());
    /// ```
    pub fn with_previous<I, S>(secret: &[u8], scheme: &str, previous: I) -> Result<Signer>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        Signer::with_options(secret, scheme, previous, &Value::Null)
    }

    /// The options a signer takes, by name ([`Signer::with_options`]).
    pub const OPTIONS: &'static [&'static str] = &["secret_encoding"];

    /// [`Signer::with_previous`] plus signer options: `null` or an object whose
    /// keys are in [`Signer::OPTIONS`]. Bindings pass their options through
    /// unchanged, so a new option needs no binding edit. An unknown option or
    /// a mistyped value is `invalid_input` naming it.
    ///
    /// `secret_encoding`: how the secret strings become key bytes — `"raw"`
    /// (their UTF-8 bytes), `"hex"` or `"base64"`; the default is the preset's
    /// (`pylon` is hex, the others raw). A secret that is not valid in its
    /// encoding is `invalid_secret`, never a silent UTF-8 fallback.
    ///
    /// ```
    /// use userhash::{Signer, Value};
    /// let opts = Value::Object(vec![("colour".into(), Value::Null)]);
    /// let err = Signer::with_options(b"k", "layerup", [b"old"], &opts).unwrap_err();
    /// assert_eq!(err.code().as_str(), "invalid_input");
    /// assert!(err.to_string().starts_with("unknown signer option \"colour\""));
    /// let hex = Value::Object(vec![("secret_encoding".into(), Value::str("hex"))]);
    /// let err = Signer::with_options(b"abc", "layerup", [b"00"], &hex).unwrap_err();
    /// assert_eq!(err.to_string(), "secret is not valid hex: an odd number of digits (3)");
    /// ```
    pub fn with_options<I, S>(
        secret: &[u8],
        scheme: &str,
        previous: I,
        options: &Value<'_>,
    ) -> Result<Signer>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        // An empty secret is reported before anything else, as it always was.
        let previous: Vec<S> = previous.into_iter().collect();
        if secret.is_empty() {
            return Err(Error::new(ErrorCode::EmptySecret, "secret is empty"));
        }
        if let Some(i) = previous.iter().position(|p| p.as_ref().is_empty()) {
            return Err(Error::new(
                ErrorCode::EmptySecret,
                format!("previous secret #{} is empty", i + 1),
            ));
        }
        let scheme: Scheme = scheme.parse()?;
        crate::json::first_invalid(options, "options")?;
        let mut encoding = scheme
            .preset
            .map_or(SecretEncoding::Raw, |p| p.secret_encoding());
        match options {
            Value::Null => {}
            Value::Object(entries) => {
                for (key, value) in entries {
                    match (key.as_ref(), value) {
                        ("secret_encoding", Value::Null) => {}
                        ("secret_encoding", Value::Str(name)) => {
                            encoding = SecretEncoding::ALL
                                .into_iter()
                                .find(|e| e.name() == name)
                                .ok_or_else(|| {
                                Error::invalid_input(format!(
                                    "unknown secret_encoding {name:?}: expected raw, hex or base64"
                                ))
                                .at("secret_encoding")
                            })?;
                        }
                        ("secret_encoding", other) => {
                            return Err(Error::invalid_input(format!(
                                "must be a string (raw, hex or base64), got {}",
                                other.type_name()
                            ))
                            .at("secret_encoding"))
                        }
                        (key, _) => {
                            return Err(Error::invalid_input(format!(
                                "unknown signer option {key:?}: known options: {}",
                                Signer::OPTIONS.join(", ")
                            )))
                        }
                    }
                }
            }
            other => {
                return Err(Error::invalid_input(format!(
                    "signer options must be an object, got {}",
                    other.type_name()
                )))
            }
        }
        let decode = |bytes: &[u8], what: &str| -> Result<Zeroizing<Vec<u8>>> {
            if bytes.is_empty() {
                return Err(Error::new(
                    ErrorCode::EmptySecret,
                    format!("{what} is empty"),
                ));
            }
            Ok(Zeroizing::new(encoding.decode(bytes, what)?.into_owned()))
        };
        let mut secrets = vec![decode(secret, "secret")?];
        for (i, p) in previous.into_iter().enumerate() {
            secrets.push(decode(p.as_ref(), &format!("previous secret #{}", i + 1))?);
        }
        let keys = secrets
            .iter()
            .enumerate()
            .map(|(i, s)| {
                prepare_key(
                    s,
                    &if i == 0 {
                        "secret".to_owned()
                    } else {
                        format!("previous secret #{i}")
                    },
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Signer {
            scheme,
            keys,
            secrets,
        })
    }

    /// Builds a signer from environment variables: the secret from `var`, previous
    /// secrets from `previous_vars`. An unset or empty variable is `empty_secret`,
    /// naming the variable (never its value).
    ///
    /// ```
    /// std::env::set_var("DOC_WIDGET_SECRET", "s3cr3t");
    /// let s = userhash::Signer::from_env("DOC_WIDGET_SECRET", "ensoras", &[]).unwrap();
    /// let e = userhash::Signer::from_env("DOC_UNSET_VAR", "ensoras", &[]).unwrap_err();
    /// assert_eq!(e.to_string(), "environment variable DOC_UNSET_VAR is not set");
    /// ```
    pub fn from_env(var: &str, scheme: &str, previous_vars: &[&str]) -> Result<Signer> {
        Signer::from_env_with_options(var, scheme, previous_vars, &Value::Null)
    }

    /// [`Signer::from_env`] with signer options, as for [`Signer::with_options`].
    pub fn from_env_with_options(
        var: &str,
        scheme: &str,
        previous_vars: &[&str],
        options: &Value<'_>,
    ) -> Result<Signer> {
        let read = |name: &str| -> Result<Zeroizing<Vec<u8>>> {
            let value = std::env::var_os(name).ok_or_else(|| {
                Error::new(
                    ErrorCode::EmptySecret,
                    format!("environment variable {name} is not set"),
                )
            })?;
            if value.is_empty() {
                return Err(Error::new(
                    ErrorCode::EmptySecret,
                    format!("environment variable {name} is empty"),
                ));
            }
            Ok(Zeroizing::new(value.into_encoded_bytes()))
        };
        let secret = read(var)?;
        let previous = previous_vars
            .iter()
            .map(|v| read(v))
            .collect::<Result<Vec<_>>>()?;
        Signer::with_options(
            &secret,
            scheme,
            previous.iter().map(|p| p.as_slice()),
            options,
        )
    }

    /// The scheme this signer applies.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// `HMAC-SHA256` of `bytes` under key `index` (0: the current secret, then
    /// the previous ones).
    pub(crate) fn mac_with(&self, index: usize, bytes: &[u8]) -> [u8; 32] {
        self.keys[index].mac(bytes)
    }

    /// The key bytes: the current secret first, then the previous ones.
    pub(crate) fn secrets(&self) -> &[Zeroizing<Vec<u8>>] {
        &self.secrets
    }

    /// How many previous secrets `verify` also tries.
    pub fn previous_count(&self) -> usize {
        self.keys.len() - 1
    }

    /// The canonical string that gets signed for `input` (the "explain" view).
    ///
    /// Errors: `invalid_input`, `empty_identity`, `too_deep`, `invalid_utf8`.
    pub fn canonical<'i>(&self, input: &'i Input<'_>) -> Result<Cow<'i, str>> {
        canonicalize(self.scheme, input)
    }

    /// The lowercase hex HMAC-SHA256 of the canonical form of `input`.
    pub fn sign(&self, input: &Input<'_>) -> Result<String> {
        let mut hex = [0u8; 64];
        self.sign_hex(input, &mut hex)?;
        Ok(String::from_utf8_lossy(&hex).into_owned())
    }

    /// Like [`Signer::sign`], writing the 64 hex digits into `out` (no allocation
    /// for the hex).
    pub fn sign_hex(&self, input: &Input<'_>, out: &mut [u8; 64]) -> Result<()> {
        let mac = match canonical_form(self.scheme, input)? {
            Canonical::Text(text) => self.keys[0].mac(text.as_bytes()),
            // Lowercased as it is hashed: no allocation, no copy.
            Canonical::AsciiLowercase(ascii) => self.keys[0].mac_ascii_lowercase(ascii.as_bytes()),
        };
        hex_encode(&mac, out);
        Ok(())
    }

    /// HMACs `bytes` as given with the current secret (no canonicalization),
    /// writing lowercase hex into `out`. For vendors whose rule is not a scheme yet.
    pub fn sign_bytes_hex(&self, bytes: &[u8], out: &mut [u8; 64]) {
        hex_encode(&mac(&self.keys[0], bytes), out);
    }

    /// Signs a batch: each `values[i]` is put in `field` (or the scheme's
    /// [`Scheme::batch_field`] when `None`) and signed, and the result holds the
    /// 64 hex digits of each, in order. Batches of
    /// [`Signer::PARALLEL_BATCH`] items or more are split across every core.
    /// The first invalid item (in index order) fails the whole call; its error
    /// carries the item index ([`Error::item`]).
    ///
    /// ```
    /// use userhash::{Field, Signer, Value};
    /// let signer = Signer::new(b"s3cr3t", "inviaro").unwrap();
    /// let ids = [Value::Int(1), Value::str("usr_2")];
    /// let hashes = signer.sign_many(None, &ids).unwrap();
    /// assert_eq!(hashes[1], signer.sign(&userhash::Input::user_id("usr_2")).unwrap().as_bytes());
    /// let err = signer.sign_many(Some(Field::UserId), &[Value::str("a"), Value::str("")]).unwrap_err();
    /// assert_eq!(err.to_string(), "item 1: user_id is empty: userhash never signs an empty identity");
    /// ```
    pub fn sign_many(&self, field: Option<Field>, values: &[Value<'_>]) -> Result<Vec<[u8; 64]>> {
        let mut out = vec![[0u8; 64]; values.len()];
        self.sign_many_into(field, values, &mut out, 0)?;
        Ok(out)
    }

    /// The field a batch fills: `field` when given, else the scheme's
    /// [`Scheme::batch_field`]; an error for schemes that sign one of several
    /// fields (`supportwire`) when none is named.
    pub fn batch_field(&self, field: Option<Field>) -> Result<Field> {
        field.or(self.scheme.batch_field()).ok_or_else(|| {
            Error::invalid_input(format!(
                "{} signs {}: name the field of the batch",
                self.scheme,
                crate::input::names(self.scheme.fields())
            ))
        })
    }

    /// [`Signer::sign_many`] into the caller's buffer (`out.len()` must equal
    /// `values.len()`), for bindings that feed one batch in chunks: the chunk
    /// starting at item `first_index` reports errors with global item indexes,
    /// so nothing is renumbered outside the core. On error `out` is zero-filled.
    ///
    /// ```
    /// use userhash::{Signer, Value};
    /// let signer = Signer::new(b"s3cr3t", "layerup").unwrap();
    /// let mut out = [[0u8; 64]; 2];
    /// let err = signer.sign_many_into(None, &[Value::str("a@b"), Value::Int(3)], &mut out, 1000).unwrap_err();
    /// assert_eq!(err.item(), Some(1001));
    /// ```
    pub fn sign_many_into(
        &self,
        field: Option<Field>,
        values: &[Value<'_>],
        out: &mut [[u8; 64]],
        first_index: usize,
    ) -> Result<()> {
        let field = self.batch_field(field)?;
        assert_eq!(
            values.len(),
            out.len(),
            "sign_many_into: one output per value"
        );
        let threads = if values.len() < Signer::PARALLEL_BATCH {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        };
        let result = if threads <= 1 {
            self.sign_chunk(field, values, out, first_index)
        } else {
            let chunk = values.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let workers: Vec<_> = values
                    .chunks(chunk)
                    .zip(out.chunks_mut(chunk))
                    .enumerate()
                    .map(|(i, (vals, outs))| {
                        scope.spawn(move || {
                            self.sign_chunk(field, vals, outs, first_index + i * chunk)
                        })
                    })
                    .collect();
                // The scope joins every worker; the first error in index order is reported.
                workers.into_iter().try_for_each(|w| {
                    w.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            })
        };
        if result.is_err() {
            out.fill([0u8; 64]);
        }
        result
    }

    /// A batch the host hands over block by block, for bindings whose values
    /// must be read (and whose results must be written) on the host's own
    /// thread: `read(range)` converts items `range` into values, `emit(start,
    /// hexes)` stores the hashes of the block starting at `start`. Both run on
    /// the calling thread, in order, while a worker thread signs the previous
    /// block (reading block k+1 and emitting block k-1 overlap signing block k);
    /// a batch of one block is signed on the calling thread.
    /// The first error in index order stops the batch: a `read` or `emit` error
    /// is returned as is; signing errors carry global item indexes.
    ///
    /// ```
    /// use userhash::{Signer, Value};
    /// let signer = Signer::new(b"s3cr3t", "layerup").unwrap();
    /// let emails: Vec<String> = (0..10).map(|i| format!("u{i}@x.com")).collect();
    /// let mut hashes = Vec::new();
    /// signer.sign_pipelined(None, emails.len(), 4,
    ///     |r| Ok(emails[r].iter().map(|e| Value::str(e)).collect()),
    ///     |_, hexes| { hashes.extend_from_slice(hexes); Ok(()) }).unwrap();
    /// assert_eq!(hashes, signer.sign_many(None, &emails.iter().map(|e| Value::str(e)).collect::<Vec<_>>()).unwrap());
    /// ```
    pub fn sign_pipelined<'v, R, E>(
        &self,
        field: Option<Field>,
        total: usize,
        block: usize,
        mut read: R,
        mut emit: E,
    ) -> Result<()>
    where
        R: FnMut(std::ops::Range<usize>) -> Result<Vec<Value<'v>>>,
        E: FnMut(usize, &[[u8; 64]]) -> Result<()>,
    {
        use std::sync::mpsc::sync_channel;
        let field = self.batch_field(field)?;
        let block = block.max(1);
        if total <= block {
            // One block (or none): signed on this thread, without a worker to hand it to.
            if total == 0 {
                return Ok(());
            }
            let values = read(0..total)?;
            let mut out = vec![[0u8; 64]; values.len()];
            self.sign_many_into(Some(field), &values, &mut out, 0)?;
            return emit(0, &out);
        }
        type Signed = (usize, Result<Vec<[u8; 64]>>);
        std::thread::scope(|scope| {
            let (to_worker, work) = sync_channel::<(usize, Vec<Value<'v>>)>(1);
            let (to_host, done) = sync_channel::<Signed>(1);
            scope.spawn(move || {
                for (start, values) in work {
                    let mut out = vec![[0u8; 64]; values.len()];
                    let signed = self
                        .sign_many_into(Some(field), &values, &mut out, start)
                        .map(|()| out);
                    drop(values);
                    if to_host.send((start, signed)).is_err() {
                        break;
                    }
                }
            });
            let mut in_flight = 0usize;
            let mut finish = |done: &std::sync::mpsc::Receiver<Signed>| -> Result<()> {
                let (start, signed) = done.recv().expect("the signing thread answers every block");
                emit(start, &signed?)
            };
            let mut start = 0;
            while start < total {
                let end = total.min(start + block);
                let values = match read(start..end) {
                    Ok(values) => values,
                    Err(e) => {
                        // Earlier blocks hold earlier items: their errors come first.
                        drop(to_worker);
                        for _ in 0..in_flight {
                            finish(&done)?;
                        }
                        return Err(e);
                    }
                };
                to_worker
                    .send((start, values))
                    .expect("the signing thread takes every block");
                in_flight += 1;
                if in_flight == 2 {
                    finish(&done)?;
                    in_flight -= 1;
                }
                start = end;
            }
            drop(to_worker);
            for _ in 0..in_flight {
                finish(&done)?;
            }
            Ok(())
        })
    }

    /// Batches at least this long are signed on every core by [`Signer::sign_many`].
    pub const PARALLEL_BATCH: usize = 8192;

    fn sign_chunk(
        &self,
        field: Field,
        values: &[Value<'_>],
        out: &mut [[u8; 64]],
        first_index: usize,
    ) -> Result<()> {
        let mut input = Input::new();
        for (i, (value, hex)) in values.iter().zip(out.iter_mut()).enumerate() {
            input.set_field(field, value.reborrow());
            self.sign_hex(&input, hex)
                .map_err(|e| e.in_item(first_index + i))?;
        }
        Ok(())
    }

    /// True when `hash` is the signature of `input` under the current secret or
    /// any previous one. Compares MACs in constant time. A hash that is not
    /// exactly 64 lowercase hex digits is `Ok(false)`, never an error; input
    /// errors are reported as for [`Signer::sign`].
    pub fn verify(&self, hash: &str, input: &Input<'_>) -> Result<bool> {
        let canonical = self.canonical(input)?;
        Ok(self.verify_bytes(hash, canonical.as_bytes()))
    }

    /// [`Signer::verify`] over bytes that are already canonical.
    pub fn verify_bytes(&self, hash: &str, bytes: &[u8]) -> bool {
        let Some(expected) = parse_hex_digest(hash) else {
            return false;
        };
        let mut matched = subtle::Choice::from(0);
        for key in &self.keys {
            matched |= mac(key, bytes).ct_eq(&expected);
        }
        matched.into()
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("scheme", &self.scheme.to_string())
            .field("previous_secrets", &self.previous_count())
            .finish()
    }
}

fn prepare_key(secret: &[u8], what: &str) -> Result<PreparedKey> {
    if secret.is_empty() {
        return Err(Error::new(
            ErrorCode::EmptySecret,
            format!("{what} is empty"),
        ));
    }
    Ok(PreparedKey::new(secret))
}

/// 32 bytes as 64 lowercase hex digits (branch-free, no table: LLVM vectorizes it).
fn hex_encode(bytes: &[u8; 32], out: &mut [u8; 64]) {
    let digit = |n: u8| n + b'0' + u8::from(n > 9) * (b'a' - b'0' - 10);
    for (pair, &b) in out.as_chunks_mut::<2>().0.iter_mut().zip(bytes) {
        *pair = [digit(b >> 4), digit(b & 0x0f)];
    }
}

fn mac(key: &PreparedKey, bytes: &[u8]) -> [u8; 32] {
    key.mac(bytes)
}

/// 64 lowercase hex digits → 32 bytes; anything else → `None`.
fn parse_hex_digest(hash: &str) -> Option<[u8; 32]> {
    let bytes = hash.as_bytes();
    if bytes.len() != 64 || !bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(bytes, &mut out).ok()?;
    Some(out)
}
