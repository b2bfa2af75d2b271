//! What the bindings share when they turn host values into core values: JSON text
//! with refusal markers, the cycle and depth rule for containers, and batches given
//! as JSON text blocks. A binding calls these instead of writing the rule itself.
//!
//! **Marked JSON text.** A binding that writes host values as JSON text (Node's
//! `JSON.stringify`, Go's walker, PHP's `json_encode`) cannot write a value the
//! native-value policy refuses (a date, bytes, a cycle…). It writes a *marker* in
//! its place, the string [`MARK`]` + "kind:type"` (`kind` a [`Value::failure`]
//! kind, `type` the host's type name), and starts the text with `!`. The core
//! reads the marker as that refusal, so the error, its message and its path into
//! the input are the core's. Two kinds carry a value instead: `bigint:<digits>` (a
//! field's big integer, exact) and `double:<digits>` (an integral double that JSON
//! text would make an exact integer). Text without the `!` is plain JSON: a string
//! that happens to start with [`MARK`] is just a string there.
//!
//! ```
//! use userhash::{host, Input, Signer};
//! let signer = Signer::new(b"s3cr3t", "fluentbot").unwrap();
//! let text = format!(r#"!{{"name":"Ann","data":{{"at":"{}datetime:Date"}}}}"#, host::MARK);
//! let mut input = Input::new();
//! input.set_host_json("visitor", &text).unwrap();
//! let err = signer.sign(&input).unwrap_err();
//! assert_eq!((err.code().as_str(), err.path()), ("invalid_input", Some("visitor.data.at")));
//! ```

use crate::json::{self, MAX_DEPTH};
use crate::{Error, ErrorCode, Field, Input, Result, Signer, Value};

/// The start of a marker string in marked JSON text (see the module docs): a Unicode
/// noncharacter, so that it is no C string's end and no real string's start.
pub const MARK: &str = "\u{FDD0}userhash:refused:";

/// Parses JSON text from a binding with at most `limit` levels of nesting; text that
/// starts with `!` is marked, and each marker becomes the core's value for it.
pub fn parse(text: &str, limit: usize) -> Result<Value<'_>> {
    match text.strip_prefix('!') {
        Some(marked) => json::parse_with_limit(marked, limit).map(unmark),
        None => json::parse_with_limit(text, limit),
    }
}

/// `v` with the core's value where each marker is.
fn unmark(v: Value<'_>) -> Value<'_> {
    match v {
        Value::Str(s) if s.starts_with(MARK) => {
            match s[MARK.len()..].split_once(':').unwrap_or_default() {
                ("bigint", digits) if is_integer(digits) => Value::BigInt(digits.to_owned().into()),
                ("double", digits) => digits
                    .parse()
                    .map_or_else(|_| Value::unsupported("number"), Value::Float),
                (kind, ty) => Value::failure(kind, ty).unwrap_or_else(|| Value::unsupported(ty)),
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(unmark).collect()),
        Value::Object(entries) => {
            Value::Object(entries.into_iter().map(|(k, v)| (k, unmark(v))).collect())
        }
        v => v,
    }
}

/// True for the decimal text of an integer (what a `bigint` marker carries).
fn is_integer(digits: &str) -> bool {
    let unsigned = digits.strip_prefix('-').unwrap_or(digits);
    !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit())
}

impl<'a> Input<'a> {
    /// [`Input::set_json`] for JSON text from a binding, which may be marked.
    pub fn set_host_json(&mut self, name: &str, text: &'a str) -> Result<()> {
        match text.starts_with('!') {
            true => self.set(name, parse(text, MAX_DEPTH)?),
            false => self.set_json(name, text),
        }
    }

    /// [`Input::set_field_json`] for JSON text from a binding, which may be marked.
    pub fn set_field_host_json(&mut self, field: Field, text: &'a str) -> Result<()> {
        if text.starts_with('!') {
            self.set_field(field, parse(text, MAX_DEPTH)?);
        } else {
            self.set_field_json(field, text);
        }
        Ok(())
    }

    /// [`Input::from_json`] for JSON text from a binding, which may be marked.
    pub fn from_host_json(text: &'a str) -> Result<Input<'a>> {
        let Some(marked) = text.strip_prefix('!') else {
            return Input::from_json(text);
        };
        // The object of fields is one level more than any payload; not an object of
        // fields, it gets from_json's own complaint.
        let fields = match parse(text, MAX_DEPTH + 1)? {
            Value::Object(fields) => fields,
            // The object itself refused (a key that is not UTF-8): that refusal.
            Value::Invalid(inv) => return Err(Error::new(inv.code, inv.what)),
            _ => return Input::from_json(marked),
        };
        let mut input = Input::new();
        fields.into_iter().try_for_each(|(k, v)| input.set(&k, v))?;
        Ok(input)
    }
}

/// The error for a secret (`what` names it) given as a string holding a lone
/// surrogate, which has no UTF-8 bytes to key the HMAC with; it never holds the secret.
pub fn lone_surrogate_secret(what: &str) -> Error {
    let Value::Invalid(e) = Value::lone_surrogate() else {
        unreachable!("lone_surrogate is Invalid")
    };
    Error::new(e.code, e.what).at(what)
}

/// The message of a panic a binding caught at its boundary (a bug in userhash),
/// with the panic's own text when it has one; the same in every language.
///
/// ```
/// let caught = std::panic::catch_unwind(|| panic!("boom")).unwrap_err();
/// assert_eq!(userhash::host::panic_message(&*caught), "internal error in userhash (please report): boom");
/// ```
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = (payload.downcast_ref::<&str>().copied())
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
    format!(
        "internal error in userhash (please report): {}",
        what.unwrap_or("unknown panic")
    )
}

/// The containers a binding is converting, for the cycle and depth rule: a container
/// met again inside itself is a cycle, reported (as [`Value::cycle`]) at its outer
/// occurrence; a container below [`MAX_DEPTH`] levels is [`Value::too_deep`].
///
/// ```
/// use userhash::{host::Nesting, Value};
/// let mut nesting = Nesting::default();
/// nesting.enter(1).unwrap();
/// assert_eq!(nesting.enter(1).unwrap_err(), Value::Null); // the cycle, found inside
/// assert_eq!(nesting.leave(Value::Int(0)), Value::cycle()); // and reported at the outer one
/// ```
#[derive(Debug, Default)]
pub struct Nesting {
    stack: Vec<usize>,
    cycle: Option<usize>,
}

impl Nesting {
    /// Enters the container `id` (its address); `Err` holds what to put in its place
    /// instead of converting it: a placeholder inside a cycle, or `too_deep`.
    pub fn enter<'a>(&mut self, id: usize) -> std::result::Result<(), Value<'a>> {
        if let Some(outer) = self.stack.iter().position(|&c| c == id) {
            self.cycle = Some(self.cycle.map_or(outer, |c| c.min(outer)));
            return Err(Value::Null);
        } else if self.stack.len() > MAX_DEPTH {
            return Err(Value::too_deep());
        }
        self.stack.push(id);
        Ok(())
    }

    /// Leaves the container entered last, whose conversion is `value`: the cycle when
    /// it contains itself, else `value`.
    pub fn leave<'a>(&mut self, value: Value<'a>) -> Value<'a> {
        self.stack.pop();
        self.cycle
            .take_if(|c| *c == self.stack.len())
            .map_or(value, |_| Value::cycle())
    }
}

/// The values of one batch block: the (maybe marked) JSON text of an array, one level
/// more than its payloads.
pub fn block(text: &str) -> Result<Vec<Value<'_>>> {
    match parse(text, MAX_DEPTH + 1)? {
        Value::Array(values) => Ok(values),
        _ => Err(Error::new(
            ErrorCode::InvalidInput,
            "batch values must be an array",
        )),
    }
}

/// Signs a batch given as JSON text blocks of `block_len` values each (`n` in all)
/// as `field` (a name the core checks; `None`: the scheme's batch field), through
/// [`Signer::sign_pipelined`]: `emit` gets each run of hashes with the index of its
/// first item, and this thread parses block k+1 and emits block k−1 while a worker
/// signs block k.
pub fn sign_blocks<T: AsRef<str>>(
    signer: &Signer,
    field: Option<&str>,
    n: usize,
    block_len: usize,
    blocks: &[T],
    emit: impl FnMut(usize, &[[u8; 64]]) -> Result<()>,
) -> Result<()> {
    let field = field.map(Field::parse).transpose()?;
    signer.sign_pipelined(
        field,
        n,
        block_len,
        |r| block(blocks[r.start / block_len].as_ref()),
        emit,
    )
}

/// Every hash of a batch given as JSON text blocks (see [`sign_blocks`]), all
/// parsed first and then signed on every core.
pub fn sign_all_blocks<T: AsRef<str>>(
    signer: &Signer,
    field: Option<&str>,
    blocks: &[T],
) -> Result<Vec<[u8; 64]>> {
    let values: Vec<Vec<Value<'_>>> = blocks
        .iter()
        .map(|b| block(b.as_ref()))
        .collect::<Result<_>>()?;
    signer.sign_many(field.map(Field::parse).transpose()?, &values.concat())
}
