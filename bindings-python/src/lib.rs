//! `userhash._userhash`: the Python extension module behind the `userhash` package.
//!
//! A thin layer over the core: it turns Python values into [`userhash::Value`]s,
//! hands every field name to [`Input::set`], and raises each [`userhash::Error`] as
//! the class `python/userhash/_errors.py` made for its code. Presets, fields,
//! error codes, the depth limit and the version are read from the core.
//!
//! Strings are not copied on the hot paths: a keyword argument or batch item is
//! borrowed while the call holds it, a nested string while a strong reference to
//! it is kept ([`Conv::keep`]) for the length of the call. `Signer.sign` is a
//! METH_FASTCALL method made here ([`sign`]), not by pyo3.

use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::PyTypeError;
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::{ffi, IntoPyObjectExt};
use userhash::host::{self, Nesting};
use userhash::{Error, ErrorCode, Field, Input, Preset, Refused, Result as Core, Value, MAX_DEPTH};
use zeroize::Zeroizing;

/// Inputs whose strings pass this many bytes are hashed with the GIL released.
/// Below it, releasing costs more than it frees: a thread that gives the GIL up
/// may wait a whole switch interval to get it back.
const DETACH_BYTES: usize = 4096;

/// `sign_many` batches of at least this many items are hashed with the GIL released.
const DETACH_ITEMS: usize = 256;

/// Longer `sign_many` batches go through the core's pipeline in blocks this long,
/// so the memory beyond the output list stays bounded.
const BLOCK: usize = 1 << 15;

/// The core error as the class `userhash._errors.ERROR_CLASSES` holds for its
/// code: the core's message, `.path` and `.item`.
fn py_err(py: Python<'_>, e: Error) -> PyErr {
    let classes = py.import("userhash._errors").and_then(|m| m.getattr("ERROR_CLASSES"));
    let class = classes.and_then(|c| c.get_item(e.code().as_str()));
    let err = class.and_then(|c| c.call1((e.to_string(), e.path(), e.item())));
    err.map_or_else(|failed| failed, PyErr::from_value)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map_or_else(|_| "object".into(), |n| n.to_string())
}

/// Converts Python values into core values, tallying how many bytes of text it
/// saw; `nesting` applies the core's cycle and depth rule to the containers.
#[derive(Default)]
struct Conv<'k> {
    /// Strong references to the strings values borrow; without it they are copied.
    keep: Option<&'k mut Vec<Py<PyString>>>,
    nesting: Nesting,
    bytes: usize,
}

impl<'k> Conv<'k> {
    /// A keyword argument or batch item, held by the caller for `'k`: a `str` is
    /// borrowed as it is (no reference kept, no error built for other types).
    fn held(&mut self, obj: Borrowed<'k, '_, PyAny>) -> Value<'k> {
        let text = if obj.is_instance_of::<PyString>() { obj.extract().ok() } else { None };
        text.inspect(|t: &&str| self.bytes += t.len()).map_or_else(|| self.value(&obj), Value::str)
    }

    fn value(&mut self, obj: &Bound<'_, PyAny>) -> Value<'k> {
        if let Ok(s) = obj.cast::<PyString>() {
            let Ok(text) = s.to_str() else { return utf16(s) };
            self.bytes += text.len();
            let Some(keep) = self.keep.as_mut() else { return Value::Str(text.to_owned().into()) };
            keep.push(s.clone().unbind());
            // SAFETY: `text` is the str object's own UTF-8 buffer, freed only with the
            // object; `keep` now holds a strong reference to it and is only appended
            // to while borrowed for `'k`, so the buffer outlives every `Value<'k>`.
            Value::str(unsafe { &*(text as *const str) })
        } else if let Ok(b) = obj.cast::<PyBool>() {
            Value::Bool(b.is_true())
        } else if obj.is_instance_of::<PyInt>() {
            int(obj)
        } else if let Ok(f) = obj.cast::<PyFloat>() {
            Value::Float(f.value())
        } else if obj.is_none() {
            Value::Null
        } else if let Ok(dict) = obj.cast::<PyDict>() {
            self.nested(obj, |c| c.object(dict))
        } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            let items = obj.try_iter().into_iter().flatten().flatten(); // a list or tuple: no errors
            self.nested(obj, |c| Value::Array(items.map(|v| c.value(&v)).collect()))
        } else {
            refused(obj)
        }
    }

    fn nested(&mut self, obj: &Bound<'_, PyAny>, f: impl FnOnce(&mut Self) -> Value<'k>) -> Value<'k> {
        if let Err(instead) = self.nesting.enter(obj.as_ptr() as usize) {
            return instead;
        }
        let value = f(self);
        self.nesting.leave(value)
    }

    fn object(&mut self, dict: &Bound<'_, PyDict>) -> Value<'k> {
        let mut entries = Vec::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            match k.cast::<PyString>().map(|k| self.value(k)) {
                Ok(Value::Str(key)) => entries.push((key, self.value(&v))),
                // A key has no UTF-16 form in the core: the dict is refused.
                Ok(_) => return Value::lone_surrogate(),
                Err(_) => return Value::non_string_key(&type_name(&k)),
            }
        }
        Value::Object(entries)
    }

    /// The fields of a call: the entries of a positional dict and of the
    /// `**fields` dict, then each keyword of a [`sign`] call, held by the
    /// caller; the core checks every name.
    fn input<'a: 'k, 'py>(
        &mut self, py: Python<'py>, dicts: [Obj; 2], keywords: impl Iterator<Item = Held<'a, 'py>>,
    ) -> PyResult<Input<'k>> {
        let mut input = Input::new();
        let mut set = |name: &str, value| input.set(name, value).map_err(|e| py_err(py, e));
        let not_a_dict = || PyTypeError::new_err("input must be a dict of field names");
        for dict in dicts.into_iter().flatten().filter(|d| !d.is_none()) {
            let Value::Object(entries) = self.value(dict) else { return Err(not_a_dict()) };
            entries.into_iter().try_for_each(|(k, v)| set(&k, v))?;
        }
        for (name, value) in keywords {
            set(name.extract()?, self.held(value))?;
        }
        Ok(input)
    }
}

/// A value that is not plain data: refused as the core's kind for its type
/// (`userhash._native.refusal` names the kind of each Python type).
fn refused(obj: &Bound<'_, PyAny>) -> Value<'static> {
    let k = obj.py().import("userhash._native").and_then(|m| m.getattr("refusal")?.call1((obj,)));
    let kind = k.ok().and_then(|k| Refused::from_name(k.extract().ok()?));
    Value::refused(kind.unwrap_or(Refused::Object), &type_name(obj))
}

/// A `str` holding a lone surrogate, as the UTF-16 code units JavaScript would hold.
fn utf16(s: &Bound<'_, PyString>) -> Value<'static> {
    let bytes = s.call_method1("encode", ("utf-16-le", "surrogatepass"));
    let units = |b: Vec<u8>| b.chunks_exact(2).map(|u| u16::from_le_bytes([u[0], u[1]])).collect();
    let units = bytes.and_then(|b| b.extract::<Vec<u8>>()).map(units);
    units.map_or_else(|_| Value::lone_surrogate(), |u: Vec<u16>| Value::from_utf16(&u))
}

fn int(obj: &Bound<'_, PyAny>) -> Value<'static> {
    // Past i64, the decimal text of the exact int (not a subclass's __str__); past
    // sys.get_int_max_str_digits() Python has no such text.
    let digits = || obj.py().get_type::<PyInt>().call1((obj,))?.str();
    let big = || digits().map(|d| Value::BigInt(d.to_string().into()));
    let int = obj.extract::<i64>().map(|i| Value::Int(i.into())).or_else(|_| big());
    int.unwrap_or(Value::refused(Refused::BigNumber, "int"))
}

/// An argument that may be absent or `None`, a `**kwargs` dict, a keyword
/// (its name, its value) held by the caller, and what a method returns.
type Obj<'a, 'py> = Option<&'a Bound<'py, PyAny>>;
type Kw<'a, 'py> = &'a Bound<'py, PyDict>;
type Held<'a, 'py> = (Borrowed<'a, 'py, PyAny>, Borrowed<'a, 'py, PyAny>);
type Out = PyResult<Py<PyAny>>;

/// Runs `f`, with the GIL released when `heavy`.
fn run<T: Send>(py: Python<'_>, heavy: bool, f: impl Send + FnOnce() -> Core<T>) -> PyResult<T> {
    let result = if heavy { py.detach(f) } else { f() };
    result.map_err(|e| py_err(py, e))
}

fn hex_str<'py>(py: Python<'py>, hex: &[u8; 64]) -> Bound<'py, PyString> {
    PyString::new(py, std::str::from_utf8(hex).unwrap_or_default())
}

/// A secret given as `str` (its UTF-8 bytes), `bytes` or `bytearray`; `None` is empty.
fn secret(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<Vec<u8>>> {
    if let Ok(s) = obj.cast::<PyString>() {
        // The UnicodeEncodeError would hold the secret: only the core's refusal is raised.
        let text = s.to_str().map_err(|_| py_err(obj.py(), host::lone_surrogate_secret(what)))?;
        return Ok(Zeroizing::new(text.as_bytes().to_vec()));
    }
    let Ok(bytes) = obj.extract::<Option<Cow<[u8]>>>() else {
        return Err(PyTypeError::new_err(format!("{what} must be str or bytes")));
    };
    Ok(Zeroizing::new(bytes.map(Cow::into_owned).unwrap_or_default()))
}

/// Signs identities for one widget: a secret, a preset (or scheme spec such as
/// `"email:trim_lowercase"`), optional previous secrets accepted by `verify`, and
/// signer options (checked by the core).
#[pyclass(frozen, module = "userhash", name = "Signer")]
struct Signer(userhash::Signer);

#[pymethods]
impl Signer {
    #[new]
    #[pyo3(signature = (secret, preset, *, previous = None, options = None))]
    fn new(
        py: Python<'_>, secret: &Bound<'_, PyAny>, preset: &str, previous: Option<Vec<Bound<'_, PyAny>>>, options: Obj,
    ) -> PyResult<Signer> {
        let key = self::secret(secret, "secret")?;
        let old = previous.iter().flatten().enumerate();
        let old = old.map(|(i, p)| self::secret(p, &format!("previous secret #{}", i + 1)));
        let old = old.collect::<PyResult<Vec<_>>>()?;
        let options = options.map_or(Value::Null, |o| Conv::default().value(o));
        run(py, false, || userhash::Signer::with_options(&key, preset, &old, &options)).map(Signer)
    }

    /// Builds a signer from the environment variable `var` (and `previous_vars`).
    #[staticmethod]
    #[pyo3(signature = (var, preset, *, previous_vars = None))]
    fn from_env(var: &str, preset: &str, previous_vars: Option<Vec<String>>) -> PyResult<Signer> {
        let names: Vec<&str> = previous_vars.iter().flatten().map(String::as_str).collect();
        let signer = userhash::Signer::from_env(var, preset, &names);
        Python::attach(|py| run(py, false, || signer)).map(Signer) // (the GIL is held)
    }

    /// True when `hash` signs the input under the current or a previous secret.
    /// A malformed hash (or one that is not a str) is simply False.
    #[pyo3(signature = (hash, input = None, /, **fields))]
    fn verify(&self, py: Python<'_>, hash: Obj, input: Obj, fields: Option<Kw>) -> Out {
        let hash = PyString::new(py, hash.and_then(|h| h.extract().ok()).unwrap_or_default());
        self.op(py, "verify", input, fields, opts([("hash", Some(&hash))]))
    }

    /// The exact string that gets signed for this input.
    #[pyo3(signature = (input = None, /, **fields))]
    fn canonical(&self, py: Python<'_>, input: Obj, fields: Option<Kw>) -> Out {
        self.op(py, "canonical", input, fields, Value::Null)
    }

    /// An HS256 JWT for this signer's token preset (docs/tokens.md): the identity
    /// from `input` and `fields`, the key id `kid`, `exp` = `now` + `ttl` seconds,
    /// `now` (default: the clock) and the preset's extra `claims`.
    #[pyo3(signature = (input = None, /, *, kid = None, ttl = None, now = None, claims = None, **fields))]
    fn token(&self, input: Obj, kid: Obj, ttl: Obj, now: Obj, claims: Obj, fields: Option<Kw>) -> Out {
        let args = opts([("kid", kid), ("ttl", ttl), ("now", now), ("claims", claims)]);
        // (The GIL is held: attach only hands out its token, one parameter fewer.)
        Python::attach(|py| self.op(py, "token", input, fields, args))
    }

    /// The claims of `token` (a dict) when it is valid for this signer's token
    /// preset at `now` (default: the clock) give or take `leeway` seconds; `kids`
    /// names the key id of the current and each previous secret.
    #[pyo3(signature = (token, *, now = None, leeway = None, kids = None))]
    fn verify_token(&self, py: Python<'_>, token: Obj, now: Obj, leeway: Obj, kids: Obj) -> Out {
        let args = [("token", token), ("now", now), ("leeway", leeway), ("kids", kids)];
        self.op(py, "verify_token", None, None, opts(args))
    }

    /// Why `hash` does not match this input (docs/doctor.md): a `userhash.Diagnosis`.
    #[pyo3(signature = (hash, input = None, /, **fields))]
    fn diagnose(&self, py: Python<'_>, hash: Obj, input: Obj, fields: Option<Kw>) -> Out {
        let found = self.op(py, "diagnose", input, fields, opts([("hash", hash)]))?;
        let diagnosis = py.import("userhash._native")?.getattr("Diagnosis")?;
        Ok(diagnosis.call((), Some(found.bind(py).cast()?))?.unbind())
    }

    /// Signs a batch: each item of `values` goes into `field` (default: the
    /// scheme's batch field) and the result is the list of hex hashes, in order.
    /// Long batches are hashed with the GIL released, through the core's pipeline.
    /// The first bad item fails the call; the error's `item` is its index.
    #[pyo3(signature = (values, *, field = None))]
    fn sign_many(&self, py: Python<'_>, values: &Bound<'_, PyAny>, field: Option<&str>) -> Out {
        let field = field.map(Field::parse).transpose().map_err(|e| py_err(py, e))?;
        let text = values.is_instance_of::<PyString>() || values.is_instance_of::<PyBytes>();
        if text || values.is_instance_of::<PyDict>() {
            return Err(PyTypeError::new_err("values must be a list of values"));
        }
        // A snapshot of the items, which holds each while it is signed.
        let items = values.try_iter()?.map(|v| Ok(v?.unbind())).collect::<PyResult<Vec<_>>>()?;
        let (n, mut keep, mut hashes) = (items.len(), Vec::new(), Vec::with_capacity(items.len()));
        let mut conv = Conv { keep: Some(&mut keep), ..Conv::default() };
        let read = |range: std::ops::Range<usize>| -> Core<Vec<_>> {
            Ok(Python::attach(|py| range.map(|i| conv.held(items[i].bind_borrowed(py))).collect()))
        };
        let emit = |_: usize, hexes: &[[u8; 64]]| -> Core<()> {
            Python::attach(|py| hashes.extend(hexes.iter().map(|h| hex_str(py, h).unbind())));
            Ok(())
        };
        run(py, n >= DETACH_ITEMS, || self.0.sign_pipelined(field, n, BLOCK, read, emit))?;
        Ok(PyList::new(py, hashes)?.into_any().unbind())
    }

    /// The vendor's widget snippet for this signer's preset (docs/embed.md): the
    /// identity in `input` (a dict of sign-call fields) signed, and every value
    /// escaped for where it lands. Options come as a dict and/or keywords.
    #[pyo3(signature = (input, options = None, /, **kw_options))]
    fn embed(&self, py: Python<'_>, input: Obj, options: Obj, kw_options: Option<Kw>) -> Out {
        // One options object: the dict's entries, then the keywords (the core
        // reports anything that is not an object, and an option given twice).
        let mut all = Vec::new();
        for part in [options, kw_options.map(|k| k.as_any())].into_iter().flatten() {
            match Conv::default().value(part) {
                Value::Object(more) => all.extend(more),
                other => return self.op(py, "embed", input, None, other),
            }
        }
        self.op(py, "embed", input, None, Value::Object(all))
    }

    /// The preset name or scheme spec.
    #[getter]
    fn preset(&self) -> String {
        self.0.scheme().to_string()
    }

    /// The sign-call fields this signer's scheme reads.
    #[getter]
    fn fields(&self) -> Vec<&'static str> {
        self.0.scheme().fields().iter().map(|f| f.name()).collect()
    }

    /// How many previous secrets `verify` also accepts.
    #[getter]
    fn previous_count(&self) -> usize {
        self.0.previous_count()
    }

    fn __repr__(&self) -> String {
        format!("userhash.Signer(preset='{}')", self.0.scheme())
    }
}

impl Signer {
    /// Runs the core's operation `op` ([`userhash::Signer::call`]) on the fields
    /// in the `input` dict and the `fields` keywords, with `args`; its result as
    /// Python data (the core's JSON text, read by the json module).
    fn op(&self, py: Python<'_>, op: &str, input: Obj, fields: Option<Kw>, args: Value<'_>) -> Out {
        let mut conv = Conv::default();
        let input = conv.input(py, [input, fields.map(|f| f.as_any())], std::iter::empty())?;
        let value = run(py, conv.bytes > DETACH_BYTES, move || self.0.call(op, &input, &args))?;
        // A str or bool as it is; a dict (claims, a diagnosis) through the core's JSON text.
        let text = match value {
            Value::Str(s) => return s.into_py_any(py),
            Value::Bool(b) => return b.into_py_any(py),
            other => run(py, false, || userhash::json::stringify(&other))?,
        };
        Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
    }
}

/// `Signer.sign(input=None, /, **fields)`: the lowercase hex HMAC-SHA256 of the
/// canonical identity, the fields as a dict, as keywords, or both; every name
/// goes to the core (aliases such as `userId`, fields the core adds later). A
/// METH_FASTCALL method pyo3 cannot make: its methods that take `**fields` are
/// called with a dict built per call, a sixth of a short sign.
unsafe extern "C" fn sign(
    slf: *mut ffi::PyObject, args: *const *mut ffi::PyObject, nargs: ffi::Py_ssize_t, kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls a method with the GIL held, `slf` a Signer (its
    // descriptor checks that), `args` (never NULL: the descriptor passes the
    // slots after `slf`) holding `nargs` values, then one per name in the tuple
    // `kwnames` (or NULL), all borrowed for the call.
    let py = unsafe { Python::assume_attached() };
    let names = unsafe { Borrowed::from_ptr_or_opt(py, kwnames) };
    let names = names.map(|n| unsafe { n.cast_unchecked::<PyTuple>() });
    let n = nargs as usize + names.as_ref().map_or(0, |n| n.len());
    let arg = |a: &*mut ffi::PyObject| unsafe { Borrowed::from_ptr(py, *a) };
    let (positional, values) = unsafe { std::slice::from_raw_parts(args, n) }.split_at(nargs as usize);
    let signed = catch_unwind(AssertUnwindSafe(|| {
        if positional.len() > 1 {
            return Err(PyTypeError::new_err("sign() takes at most 1 positional argument"));
        }
        let keywords = names.iter().flat_map(|n| n.iter_borrowed()).zip(values.iter().map(arg));
        let (mut keep, mut hex) = (Vec::new(), [0u8; 64]);
        let mut conv = Conv { keep: Some(&mut keep), ..Conv::default() };
        let input = conv.input(py, [positional.first().map(arg).as_deref(), None], keywords)?;
        let signer = unsafe { &Borrowed::from_ptr(py, slf).cast_unchecked::<Signer>().get().0 };
        let sign = move || signer.sign_hex(&input, &mut hex).map(|()| hex);
        let hex = run(py, conv.bytes > DETACH_BYTES, sign)?;
        // Released with the GIL's token (a `Py` dropped alone first looks the GIL up).
        keep.into_iter().for_each(|s| drop(s.into_bound(py)));
        Ok(hex_str(py, &hex))
    }));
    match signed.unwrap_or_else(|panic| Err(PanicException::new_err(host::panic_message(&*panic)))) {
        Ok(hex) => hex.into_ptr(),
        Err(e) => {
            e.restore(py);
            std::ptr::null_mut()
        }
    }
}

/// Named options as the core's object; `None` is null (the core's default).
fn opts<const N: usize>(pairs: [(&'static str, Obj); N]) -> Value<'static> {
    let value = |v: Obj| v.map_or(Value::Null, |v| Conv::default().value(v));
    Value::Object(pairs.into_iter().map(|(k, v)| (k.into(), value(v))).collect())
}

/// The native half of the `userhash` package.
#[pymodule]
fn _userhash(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Signer>()?;
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: c"sign".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunctionFastWithKeywords: sign },
        ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
        ml_doc: c"sign($self, input=None, /, **fields)\n--\n\nThe lowercase hex HMAC-SHA256 of the canonical identity; the fields as a dict and/or keywords.".as_ptr(),
    }));
    let class = m.py().get_type::<Signer>();
    // SAFETY: `def` lives as long as the process; a new reference, or NULL with the error set.
    let method = unsafe { ffi::PyDescr_NewMethod(class.as_type_ptr(), def) };
    class.setattr("sign", unsafe { Bound::from_owned_ptr_or_err(m.py(), method) }?)?;
    m.add("MAX_DEPTH", MAX_DEPTH)?;
    m.add("PRESETS", PyTuple::new(m.py(), Preset::ALL.iter().map(|p| p.name()))?)?;
    m.add("_DIAGNOSIS_KEYS", userhash::Diagnosis::KEYS.to_vec())?;
    m.add("_ERROR_CODES", ErrorCode::ALL.map(|c| (c.as_str(), c.describe())).to_vec())?;
    m.add("__version__", userhash::VERSION)
}
