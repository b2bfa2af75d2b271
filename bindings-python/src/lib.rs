//! `userhash._userhash`: the Python extension module behind the `userhash` package.
//!
//! Thin by design: it converts Python values into [`userhash::Value`] and maps
//! [`userhash::Error`] onto the exception classes defined in
//! `python/userhash/_errors.py`. Every canonicalization rule lives in the core.

use std::borrow::Cow;
use std::cell::RefCell;

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use userhash::{ErrorCode, Field, Input, Source, Value, MAX_DEPTH};
use zeroize::Zeroizing;

/// Inputs whose converted size passes this many bytes are hashed with the GIL
/// released. Below it, releasing costs more than it frees: a thread that gives
/// the GIL up may wait a whole switch interval to get it back.
const DETACH_BYTES: usize = 4096;

/// `sign_many` batches of at least this many items are hashed with the GIL released.
const DETACH_ITEMS: usize = 256;

/// `sign_many` converts, hashes and returns a batch this many items at a time,
/// so the memory beyond the output list stays bounded.
const BATCH_CHUNK: usize = 1 << 15;

/// The Python exception class for each error code, imported once from `userhash._errors`.
static ERROR_CLASSES: [PyOnceLock<Py<PyType>>; ErrorCode::ALL.len()] =
    [const { PyOnceLock::new() }; ErrorCode::ALL.len()];

fn class_name(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::EmptySecret => "EmptySecretError",
        ErrorCode::EmptyIdentity => "EmptyIdentityError",
        ErrorCode::InvalidInput => "InvalidInputError",
        ErrorCode::InvalidJson => "InvalidJsonError",
        ErrorCode::InvalidUtf8 => "InvalidUtf8Error",
        ErrorCode::TooDeep => "TooDeepError",
        ErrorCode::UnknownPreset => "UnknownPresetError",
    }
}

/// A `userhash.<Code>Error(message)`; the class carries `.code`.
fn py_error(py: Python<'_>, code: ErrorCode, message: &str) -> PyErr {
    let slot = ErrorCode::ALL
        .iter()
        .position(|c| *c == code)
        .unwrap_or_default();
    match ERROR_CLASSES[slot].import(py, "userhash._errors", class_name(code)) {
        Ok(cls) => PyErr::from_type(cls.clone(), (message.to_owned(),)),
        Err(import_error) => import_error,
    }
}

fn to_py_err(py: Python<'_>, e: userhash::Error) -> PyErr {
    py_error(py, e.code(), e.message())
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "object".to_owned())
}

/// Strong references to the `str` objects whose UTF-8 a [`Value`] borrows, so
/// strings nested in dicts and lists are never copied: each stays alive (and,
/// being immutable, unchanged) for as long as the `Keep` does, even while the
/// GIL is released and other threads mutate the containers they came from.
#[derive(Default)]
struct Keep<'py> {
    refs: RefCell<Vec<Bound<'py, PyAny>>>,
}

impl<'py> Keep<'py> {
    /// The UTF-8 text of `s`, borrowed for the life of `self`; `None` for a
    /// string with a lone surrogate (it has no UTF-8 form).
    fn text<'k>(&'k self, s: &Bound<'py, PyString>) -> Option<&'k str> {
        let text: *const str = s.to_str().ok()?;
        self.refs.borrow_mut().push(s.clone().into_any());
        // SAFETY: `text` points into the str object's own UTF-8 buffer (inline for
        // ASCII strings, the cached UTF-8 copy otherwise), which CPython frees only
        // with the object. `refs` now holds a strong reference to it and is never
        // shrunk, so the buffer outlives every `&'k self` borrow.
        Some(unsafe { &*text })
    }
}

/// Converts native Python values into core [`Value`]s, borrowing their strings,
/// never recursing past the core's depth limit, and tallying roughly how much
/// data it saw.
struct Converter<'k, 'py> {
    keep: &'k Keep<'py>,
    bytes: usize,
}

impl<'k, 'py> Converter<'k, 'py> {
    fn new(keep: &'k Keep<'py>) -> Self {
        Converter { keep, bytes: 0 }
    }

    /// A top-level field value, which the caller keeps alive for `'a`: a `str`
    /// is borrowed directly.
    fn field<'a>(&mut self, obj: &'a Bound<'py, PyAny>) -> Value<'a>
    where
        'k: 'a,
    {
        if let Ok(s) = obj.cast::<PyString>() {
            return match s.to_str() {
                Ok(text) => {
                    self.bytes += text.len();
                    Value::str(text)
                }
                Err(_) => Value::lone_surrogate(),
            };
        }
        self.convert(obj, 1)
    }

    /// An item of a batch, borrowed from a tuple that holds it for `'t`.
    fn item<'t>(&mut self, obj: Borrowed<'t, 'py, PyAny>) -> Value<'t>
    where
        'k: 't,
    {
        if obj.is_instance_of::<PyString>() {
            return match obj.extract::<&'t str>() {
                Ok(text) => {
                    self.bytes += text.len();
                    Value::str(text)
                }
                Err(_) => Value::lone_surrogate(),
            };
        }
        self.convert(&obj, 1)
    }

    /// `depth` is the nesting depth of `obj` itself (a top-level field value = 1).
    fn convert(&mut self, obj: &Bound<'py, PyAny>, depth: usize) -> Value<'k> {
        self.bytes += 8;
        if let Ok(s) = obj.cast::<PyString>() {
            return match self.keep.text(s) {
                Some(text) => {
                    self.bytes += text.len();
                    Value::Str(Cow::Borrowed(text))
                }
                // The only way a Python str has no UTF-8 form.
                None => Value::lone_surrogate(),
            };
        }
        // bool before int: Python's bool is an int subclass, but True is not 1 here.
        if obj.is_instance_of::<PyBool>() {
            return Value::Bool(obj.is_truthy().unwrap_or(false));
        }
        if obj.is_instance_of::<PyInt>() {
            return int_value(obj);
        }
        if obj.is_instance_of::<PyFloat>() {
            return match obj.extract::<f64>() {
                Ok(f) => Value::Float(f),
                Err(_) => Value::unsupported(&type_name(obj)),
            };
        }
        if obj.is_none() {
            return Value::Null;
        }
        let is_container = obj.is_instance_of::<PyDict>()
            || obj.is_instance_of::<PyList>()
            || obj.is_instance_of::<PyTuple>();
        if is_container && depth > MAX_DEPTH + 1 {
            // The core rejects this nesting anyway; stop before the stack suffers.
            return Value::too_deep();
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            let mut entries = Vec::with_capacity(dict.len());
            for (k, v) in dict.iter() {
                let key = match k.cast::<PyString>() {
                    Ok(ks) => match self.keep.text(ks) {
                        Some(text) => text,
                        // Reported at the dict itself: a lossy key could collide with a real one.
                        None => return Value::lone_surrogate(),
                    },
                    Err(_) => return Value::non_string_key(&type_name(&k)),
                };
                self.bytes += key.len();
                let value = self.convert(&v, depth + 1);
                entries.push((Cow::Borrowed(key), value));
            }
            return Value::Object(entries);
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return Value::Array(
                list.iter()
                    .map(|item| self.convert(&item, depth + 1))
                    .collect(),
            );
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return Value::Array(
                tuple
                    .iter()
                    .map(|item| self.convert(&item, depth + 1))
                    .collect(),
            );
        }
        Value::unsupported(&type_name(obj))
    }
}

fn int_value(obj: &Bound<'_, PyAny>) -> Value<'static> {
    if let Ok(i) = obj.extract::<i64>() {
        return Value::Int(i.into());
    }
    if let Ok(i) = obj.extract::<i128>() {
        return Value::Int(i);
    }
    // Beyond i128: decimal text of the exact int (not a subclass's __str__).
    let py = obj.py();
    let text = py
        .get_type::<PyInt>()
        .call1((obj,))
        .and_then(|exact| exact.str())
        .and_then(|s| s.to_cow().map(Cow::into_owned));
    match text {
        Ok(digits) => Value::BigInt(Cow::Owned(digits)),
        // Python refuses str() of ints with more than sys.get_int_max_str_digits() digits.
        Err(_) => Value::invalid(
            ErrorCode::InvalidInput,
            "int has too many digits to convert to decimal text",
        ),
    }
}

/// A sign-call keyword argument: absent (`Arg(None)`), or any value, `None` included
/// (`external_id=None` is meaningful, `email=None` is an error the core reports).
struct Arg<'py>(Option<Bound<'py, PyAny>>);

impl<'a, 'py> FromPyObject<'a, 'py> for Arg<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(Arg(Some(obj.to_owned())))
    }
}

/// The sign-call fields as a core [`Input`], plus whether hashing it is worth
/// releasing the GIL for. `fields` are the named keyword arguments; `other` any
/// further keywords (aliases such as `userId`, or unknown names, which the core
/// reports).
fn build_input<'a, 'py>(
    py: Python<'py>,
    conv: &mut Converter<'a, 'py>,
    fields: impl IntoIterator<Item = (Field, &'a Arg<'py>)>,
    other: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Input<'a>, bool)> {
    let mut input = Input::new();
    for (field, arg) in fields {
        if let Some(value) = &arg.0 {
            let value = conv.field(value);
            input
                .set(field.name(), value)
                .map_err(|e| to_py_err(py, e))?;
        }
    }
    if let Some(other) = other {
        for (k, v) in other.iter() {
            // Keyword names are always str.
            let key = k.cast::<PyString>()?;
            let name = key.to_string_lossy();
            let value = conv.convert(&v, 1);
            input.set(&name, value).map_err(|e| to_py_err(py, e))?;
        }
    }
    Ok((input, conv.bytes > DETACH_BYTES))
}

/// `signer.sign_many`: the core names the failing item's index within the chunk
/// it was given; report it within the whole batch.
fn offset_item_error(e: userhash::Error, offset: usize) -> userhash::Error {
    if offset == 0 {
        return e;
    }
    let renumbered = e
        .message()
        .strip_prefix("item ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(index, tail)| Some((index.parse::<usize>().ok()?, tail)))
        .map(|(index, tail)| format!("item {}: {tail}", index + offset));
    match renumbered {
        Some(message) => userhash::Error::new(e.code(), message),
        None => e,
    }
}

/// 64 hex digits as a Python `str`.
fn hex_str<'py>(py: Python<'py>, hex: &[u8; 64]) -> PyResult<Bound<'py, PyString>> {
    // SAFETY: a valid pointer and length; CPython decodes (and checks) the bytes itself.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyUnicode_FromStringAndSize(hex.as_ptr().cast(), 64),
        )
        .map(|s| s.cast_into_unchecked())
    }
}

fn push_hex<'py>(
    py: Python<'py>,
    out: &mut Vec<Bound<'py, PyString>>,
    hexes: &[[u8; 64]],
) -> PyResult<()> {
    for hex in hexes {
        out.push(hex_str(py, hex)?);
    }
    Ok(())
}

/// Items `start..end` of a batch as core values, borrowing from `items`.
fn convert_chunk<'t, 'py>(
    conv: &mut Converter<'t, 'py>,
    items: &'t Bound<'py, PyTuple>,
    start: usize,
    end: usize,
) -> PyResult<Vec<Value<'t>>> {
    let mut chunk = Vec::with_capacity(end - start);
    for i in start..end {
        chunk.push(conv.item(items.get_borrowed_item(i)?));
    }
    Ok(chunk)
}

/// A secret given as `str` (UTF-8 bytes) or `bytes`/`bytearray` (raw bytes).
fn secret_bytes(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(s) = obj.cast::<PyString>() {
        // The UnicodeEncodeError would hold the secret: drop it, report only the position-free fact.
        return match s.to_cow() {
            Ok(text) => {
                let bytes = Zeroizing::new(text.as_bytes().to_vec());
                if let Cow::Owned(owned) = text {
                    drop(Zeroizing::new(owned));
                }
                Ok(bytes)
            }
            Err(_) => Err(py_error(
                py,
                ErrorCode::InvalidInput,
                &format!("{what} contains a lone surrogate and has no UTF-8 form"),
            )),
        };
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Zeroizing::new(b.as_bytes().to_vec()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Zeroizing::new(b.to_vec()));
    }
    if obj.is_none() {
        return Err(py_error(
            py,
            ErrorCode::EmptySecret,
            &format!("{what} is None"),
        ));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be str or bytes, not {}",
        type_name(obj)
    )))
}

/// The keyword arguments of `sign`, `verify` and `canonical`: the fields, then
/// their camelCase aliases (the core reports a field given under both names).
/// Named parameters, not `**kwargs`, so pyo3 uses the vectorcall/fastcall
/// convention and no dict is built per call; an unknown keyword is Python's own
/// `TypeError`.
fn fields<'a, 'py>(args: [&'a Arg<'py>; 6]) -> [(Field, &'a Arg<'py>); 6] {
    let [email, user_id, external_id, visitor, user_id_alias, external_id_alias] = args;
    [
        (Field::Email, email),
        (Field::UserId, user_id),
        (Field::ExternalId, external_id),
        (Field::Visitor, visitor),
        (Field::UserId, user_id_alias),
        (Field::ExternalId, external_id_alias),
    ]
}

/// Signs identities for one widget: a secret, a preset (or scheme spec such as
/// `"email:trim_lowercase"`), and optional previous secrets accepted by `verify`.
#[pyclass(frozen, module = "userhash", name = "Signer")]
struct Signer {
    inner: userhash::Signer,
}

#[pymethods]
// userId / externalId: the camelCase aliases, as Python keywords; one parameter per field.
#[allow(non_snake_case, clippy::too_many_arguments)]
impl Signer {
    #[new]
    #[pyo3(signature = (secret, preset, *, previous = None))]
    fn new(
        py: Python<'_>,
        secret: &Bound<'_, PyAny>,
        preset: String,
        previous: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Signer> {
        let secret = secret_bytes(py, secret, "secret")?;
        let mut old = Vec::new();
        if let Some(previous) = previous {
            if previous.is_instance_of::<PyString>()
                || previous.is_instance_of::<PyBytes>()
                || previous.is_instance_of::<PyByteArray>()
            {
                return Err(PyTypeError::new_err(
                    "previous must be a list or tuple of secrets, not a single secret",
                ));
            }
            for (i, item) in previous.try_iter()?.enumerate() {
                old.push(secret_bytes(
                    py,
                    &item?,
                    &format!("previous secret #{}", i + 1),
                )?);
            }
        }
        let inner = userhash::Signer::with_previous(&secret, &preset, old.iter().map(|s| &s[..]))
            .map_err(|e| to_py_err(py, e))?;
        Ok(Signer { inner })
    }

    /// Builds a signer from the environment variable `var` (and `previous_vars`).
    #[staticmethod]
    #[pyo3(signature = (var, preset, *, previous_vars = Vec::new()))]
    fn from_env(
        py: Python<'_>,
        var: String,
        preset: String,
        previous_vars: Vec<String>,
    ) -> PyResult<Signer> {
        let names: Vec<&str> = previous_vars.iter().map(String::as_str).collect();
        let inner =
            userhash::Signer::from_env(&var, &preset, &names).map_err(|e| to_py_err(py, e))?;
        Ok(Signer { inner })
    }

    /// The lowercase hex HMAC-SHA256 of the canonical identity.
    #[pyo3(signature = (*, email = Arg(None), user_id = Arg(None), external_id = Arg(None), visitor = Arg(None), userId = Arg(None), externalId = Arg(None)))]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        email: Arg<'py>,
        user_id: Arg<'py>,
        external_id: Arg<'py>,
        visitor: Arg<'py>,
        userId: Arg<'py>,
        externalId: Arg<'py>,
    ) -> PyResult<Bound<'py, PyString>> {
        let keep = Keep::default();
        let mut conv = Converter::new(&keep);
        let fields = fields([
            &email,
            &user_id,
            &external_id,
            &visitor,
            &userId,
            &externalId,
        ]);
        let (input, heavy) = build_input(py, &mut conv, fields, None)?;
        let mut hex = [0u8; 64];
        let signer = &self.inner;
        let result = if heavy {
            py.detach(|| signer.sign_hex(&input, &mut hex))
        } else {
            signer.sign_hex(&input, &mut hex)
        };
        result.map_err(|e| to_py_err(py, e))?;
        hex_str(py, &hex)
    }

    /// Signs a batch: each item of `values` goes into `field` (default: the
    /// preset's batch field, email / user_id / visitor) and the result is the
    /// list of hex hashes, in order. Large batches are hashed on every core with
    /// the GIL released. The first bad item fails the call, naming its index.
    #[pyo3(signature = (values, *, field = None))]
    fn sign_many<'py>(
        &self,
        py: Python<'py>,
        values: &Bound<'py, PyAny>,
        field: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let field = match field {
            None => None,
            Some(f) if f.is_none() => None,
            Some(f) => {
                let name = f.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err(format!("field must be str or None, not {}", type_name(f)))
                })?;
                let name = name.to_string_lossy();
                Some(Field::from_name(&name).ok_or_else(|| {
                    py_error(
                        py,
                        ErrorCode::InvalidInput,
                        &format!(
                            "unknown field {name:?}: expected email, user_id, external_id or visitor"
                        ),
                    )
                })?)
            }
        };
        if values.is_instance_of::<PyString>()
            || values.is_instance_of::<PyBytes>()
            || values.is_instance_of::<PyByteArray>()
            || values.is_instance_of::<PyDict>()
        {
            return Err(PyTypeError::new_err(format!(
                "values must be a list (or another iterable) of values, not {}",
                type_name(values)
            )));
        }
        // A snapshot: the tuple holds every item (and so the strings borrowed
        // below) while the GIL is released, whatever happens to `values`.
        let items: Bound<'py, PyTuple> = if let Ok(tuple) = values.cast_exact::<PyTuple>() {
            tuple.clone()
        } else if let Ok(list) = values.cast::<PyList>() {
            list.to_tuple()
        } else {
            py.get_type::<PyTuple>()
                .call1((values,))?
                .cast_into::<PyTuple>()?
        };
        let n = items.len();
        let signer = &self.inner;
        if n == 0 {
            // Still reports a preset that needs a field.
            signer.sign_many(field, &[]).map_err(|e| to_py_err(py, e))?;
            return Ok(PyList::empty(py));
        }
        let mut hashes: Vec<Bound<'py, PyString>> = Vec::with_capacity(n);
        let keep = Keep::default();
        let mut conv = Converter::new(&keep);
        let ranges: Vec<(usize, usize)> = (0..n)
            .step_by(BATCH_CHUNK)
            .map(|start| (start, n.min(start + BATCH_CHUNK)))
            .collect();
        if let [(start, end)] = ranges[..] {
            let chunk = convert_chunk(&mut conv, &items, start, end)?;
            let result = if chunk.len() >= DETACH_ITEMS || conv.bytes > DETACH_BYTES {
                py.detach(|| signer.sign_many(field, &chunk))
            } else {
                signer.sign_many(field, &chunk)
            };
            let hexes = result.map_err(|e| to_py_err(py, e))?;
            push_hex(py, &mut hashes, &hexes)?;
            return PyList::new(py, hashes);
        }
        // A pipeline: while chunk k is hashed (on every core, by the core), this
        // thread, holding the GIL, turns chunk k-1's digests into str objects and
        // converts chunk k+1.
        std::thread::scope(|scope| -> PyResult<()> {
            let mut next = Some(convert_chunk(&mut conv, &items, ranges[0].0, ranges[0].1)?);
            let mut done: Option<Vec<[u8; 64]>> = None;
            for (k, &(start, _)) in ranges.iter().enumerate() {
                let Some(chunk) = next.take() else { break };
                let worker = scope.spawn(move || signer.sign_many(field, &chunk));
                if let Some(hexes) = done.take() {
                    push_hex(py, &mut hashes, &hexes)?;
                }
                if let Some(&(s, e)) = ranges.get(k + 1) {
                    next = Some(convert_chunk(&mut conv, &items, s, e)?);
                }
                let result = py
                    .detach(|| worker.join())
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                done = Some(result.map_err(|e| to_py_err(py, offset_item_error(e, start)))?);
            }
            if let Some(hexes) = done {
                push_hex(py, &mut hashes, &hexes)?;
            }
            Ok(())
        })?;
        PyList::new(py, hashes)
    }

    /// True when `hash` signs the input under the current or a previous secret.
    /// A malformed hash (or one that is not a str) is simply False.
    #[pyo3(signature = (hash, *, email = Arg(None), user_id = Arg(None), external_id = Arg(None), visitor = Arg(None), userId = Arg(None), externalId = Arg(None)))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        hash: &Bound<'py, PyAny>,
        email: Arg<'py>,
        user_id: Arg<'py>,
        external_id: Arg<'py>,
        visitor: Arg<'py>,
        userId: Arg<'py>,
        externalId: Arg<'py>,
    ) -> PyResult<bool> {
        let hash: &str = match hash.cast::<PyString>() {
            Ok(s) => s.to_str().unwrap_or_default(),
            Err(_) => "",
        };
        let keep = Keep::default();
        let mut conv = Converter::new(&keep);
        let fields = fields([
            &email,
            &user_id,
            &external_id,
            &visitor,
            &userId,
            &externalId,
        ]);
        let (input, heavy) = build_input(py, &mut conv, fields, None)?;
        let signer = &self.inner;
        let result = if heavy {
            py.detach(|| signer.verify(hash, &input))
        } else {
            signer.verify(hash, &input)
        };
        result.map_err(|e| to_py_err(py, e))
    }

    /// The exact string that gets signed for this input.
    #[pyo3(signature = (*, email = Arg(None), user_id = Arg(None), external_id = Arg(None), visitor = Arg(None), userId = Arg(None), externalId = Arg(None)))]
    fn canonical<'py>(
        &self,
        py: Python<'py>,
        email: Arg<'py>,
        user_id: Arg<'py>,
        external_id: Arg<'py>,
        visitor: Arg<'py>,
        userId: Arg<'py>,
        externalId: Arg<'py>,
    ) -> PyResult<Bound<'py, PyString>> {
        let keep = Keep::default();
        let mut conv = Converter::new(&keep);
        let fields = fields([
            &email,
            &user_id,
            &external_id,
            &visitor,
            &userId,
            &externalId,
        ]);
        let (input, _) = build_input(py, &mut conv, fields, None)?;
        let canonical = self.inner.canonical(&input).map_err(|e| to_py_err(py, e))?;
        Ok(PyString::new(py, &canonical))
    }

    /// The vendor's widget snippet for this signer's preset (docs/embed.md): the
    /// identity in `input` (a dict of sign-call fields) signed, and every value
    /// escaped for where it lands. `options` (a dict, and/or keywords): `widget`
    /// (required), `form`, `nonce`, and per preset `origin`, `name`, `email`, `data`.
    #[pyo3(signature = (input, options = None, /, **kw_options))]
    fn embed<'py>(
        &self,
        py: Python<'py>,
        input: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyAny>>,
        kw_options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyString>> {
        let fields = input.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!(
                "input must be a dict of sign-call fields (email, user_id, external_id, visitor), not {}",
                type_name(input)
            ))
        })?;
        let keep = Keep::default();
        let mut conv = Converter::new(&keep);
        let (input, _) = build_input(py, &mut conv, [], Some(fields))?;
        // The options object: the dict's entries, then the keywords; the core
        // reports an unknown option, a wrong type, or one given twice.
        let mut entries = Vec::new();
        let mut parts = Vec::new();
        match options {
            None => {}
            Some(o) if o.is_none() => {}
            Some(o) => {
                let dict = o.cast::<PyDict>().map_err(|_| {
                    PyTypeError::new_err(format!("options must be a dict, not {}", type_name(o)))
                })?;
                parts.push(conv.convert(dict.as_any(), 0));
            }
        }
        if let Some(kw) = kw_options {
            parts.push(conv.convert(kw.as_any(), 0));
        }
        for part in parts {
            match part {
                Value::Object(e) => entries.extend(e),
                Value::Invalid(inv) => {
                    return Err(py_error(py, inv.code, &format!("options: {}", inv.what)))
                }
                _ => {}
            }
        }
        let options = Value::Object(entries);
        let heavy = conv.bytes > DETACH_BYTES;
        let signer = &self.inner;
        let result = if heavy {
            py.detach(|| signer.embed(&input, &options))
        } else {
            signer.embed(&input, &options)
        };
        let snippet = result.map_err(|e| to_py_err(py, e))?;
        Ok(PyString::new(py, &snippet))
    }

    /// The preset name or scheme spec.
    #[getter]
    fn preset(&self) -> String {
        self.inner.scheme().to_string()
    }

    /// The sign-call fields this signer's scheme reads (for the Django tag, which
    /// routes its keywords between the input and the embed options).
    #[getter]
    fn _signed_fields(&self) -> Vec<&'static str> {
        let fields: &[Field] = match self.inner.scheme().source {
            Source::Email => &[Field::Email],
            Source::UserId => &[Field::UserId],
            Source::ExternalIdOrEmail => &[Field::ExternalId, Field::Email],
            Source::VisitorJson => &[Field::Visitor],
        };
        fields.iter().map(|f| f.name()).collect()
    }

    /// How many previous secrets `verify` also accepts.
    #[getter]
    fn previous_count(&self) -> usize {
        self.inner.previous_count()
    }

    fn __repr__(&self) -> String {
        format!("userhash.Signer(preset='{}')", self.inner.scheme())
    }
}

/// The native half of the `userhash` package.
#[pymodule]
fn _userhash(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Signer>()?;
    m.add("MAX_DEPTH", MAX_DEPTH)?;
    m.add(
        "ERROR_CODES",
        ErrorCode::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
