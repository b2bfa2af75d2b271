//! `userhash._userhash`: the Python extension module behind the `userhash` package.
//!
//! Thin by design: it converts Python values into [`userhash::Value`] and maps
//! [`userhash::Error`] onto the exception classes defined in
//! `python/userhash/_errors.py`. Every canonicalization rule lives in the core.

use std::borrow::Cow;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use userhash::{ErrorCode, Input, Value, MAX_DEPTH};
use zeroize::Zeroizing;

/// Inputs whose converted size passes this many bytes are hashed with the GIL released.
const DETACH_BYTES: usize = 1024;

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

/// Converts native Python values into core [`Value`]s, never recursing past the
/// core's depth limit, and tallies roughly how much data it saw.
#[derive(Default)]
struct Converter {
    bytes: usize,
}

impl Converter {
    /// `depth` is the nesting depth of `obj` itself (a top-level field value = 1).
    fn convert(&mut self, obj: &Bound<'_, PyAny>, depth: usize) -> Value<'static> {
        self.bytes += 8;
        if let Ok(s) = obj.cast::<PyString>() {
            return match s.to_cow() {
                Ok(text) => {
                    self.bytes += text.len();
                    Value::Str(Cow::Owned(text.into_owned()))
                }
                // The only way a Python str has no UTF-8 form.
                Err(_) => Value::lone_surrogate(),
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
                    Ok(ks) => match ks.to_cow() {
                        Ok(text) => text.into_owned(),
                        // Reported at the dict itself: a lossy key could collide with a real one.
                        Err(_) => return Value::lone_surrogate(),
                    },
                    Err(_) => return Value::non_string_key(&type_name(&k)),
                };
                self.bytes += key.len();
                let value = self.convert(&v, depth + 1);
                entries.push((Cow::Owned(key), value));
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

/// The sign-call keyword arguments as a core [`Input`], plus whether hashing it
/// is worth releasing the GIL for.
fn build_input(
    py: Python<'_>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<(Input<'static>, bool)> {
    let mut input = Input::new();
    let mut conv = Converter::default();
    let mut has_visitor = false;
    if let Some(kwargs) = kwargs {
        for (k, v) in kwargs.iter() {
            // Keyword names are always str, and never contain lone surrogates in practice.
            let name = k.cast::<PyString>()?.to_string_lossy().into_owned();
            has_visitor |= name == "visitor";
            let value = conv.convert(&v, 1);
            input.set(&name, value).map_err(|e| to_py_err(py, e))?;
        }
    }
    Ok((input, has_visitor || conv.bytes > DETACH_BYTES))
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

/// Signs identities for one widget: a secret, a preset (or scheme spec such as
/// `"email:trim_lowercase"`), and optional previous secrets accepted by `verify`.
#[pyclass(frozen, module = "userhash", name = "Signer")]
struct Signer {
    inner: userhash::Signer,
}

#[pymethods]
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
    #[pyo3(signature = (**input))]
    fn sign(&self, py: Python<'_>, input: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
        let (input, heavy) = build_input(py, input)?;
        let mut hex = [0u8; 64];
        let signer = &self.inner;
        let result = if heavy {
            py.detach(|| signer.sign_hex(&input, &mut hex))
        } else {
            signer.sign_hex(&input, &mut hex)
        };
        result.map_err(|e| to_py_err(py, e))?;
        Ok(hex.iter().map(|&b| b as char).collect())
    }

    /// True when `hash` signs the input under the current or a previous secret.
    /// A malformed hash (or one that is not a str) is simply False.
    #[pyo3(signature = (hash, **input))]
    fn verify(
        &self,
        py: Python<'_>,
        hash: &Bound<'_, PyAny>,
        input: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<bool> {
        let hash: String = match hash.cast::<PyString>() {
            Ok(s) => s.to_cow().map(Cow::into_owned).unwrap_or_default(),
            Err(_) => String::new(),
        };
        let (input, heavy) = build_input(py, input)?;
        let signer = &self.inner;
        let result = if heavy {
            py.detach(|| signer.verify(&hash, &input))
        } else {
            signer.verify(&hash, &input)
        };
        result.map_err(|e| to_py_err(py, e))
    }

    /// The exact string that gets signed for this input.
    #[pyo3(signature = (**input))]
    fn canonical(&self, py: Python<'_>, input: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
        let (input, _) = build_input(py, input)?;
        self.inner
            .canonical(&input)
            .map(Cow::into_owned)
            .map_err(|e| to_py_err(py, e))
    }

    /// The preset name or scheme spec.
    #[getter]
    fn preset(&self) -> String {
        self.inner.scheme().to_string()
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
