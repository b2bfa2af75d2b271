//! Node.js binding for userhash: the native half of the `userhash` npm package.
//!
//! userhash.js converts JS values by the native-value policy (docs/canonicalization.md)
//! into JSON text: V8's own `JSON.stringify` of plain data, or of a copy in which each
//! value the policy refuses is a marker ([`MARK`]). This module parses that text with
//! the core's parser, puts the core's refusal where each marker is, and hands back the
//! core's results and errors: every rule, table and message is the core's. The fast
//! path of one or two string fields skips JSON; the hot calls are raw N-API ([`raw`]).

use std::borrow::Cow;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Either, Env, Object, Uint8Array, Unknown};
use napi::{sys, JsValue};
use napi_derive::napi;
use userhash::{json, ErrorCode, Field, Input, Signer, Value, MAX_DEPTH};
use zeroize::Zeroizing;

mod raw;

use raw::{array, internal, latin1, reply, set_at, signer_of, Fail, Js, StrBuf, R};

/// [`reply`] with what `f` makes.
fn answer(env: sys::napi_env, f: impl FnOnce() -> R<sys::napi_value>) -> napi::Result<Unknown<'static>> {
    reply(env, f())
}

/// The key of the marker userhash.js writes, `{MARK: [kind, type]}`, in place of a value
/// the native-value policy refuses: `kind` is a `Value::failure` kind (`datetime`,
/// `cycle`…) and `type` the JS type; kinds `bigint` and `double` carry a field's BigInt
/// or integral double (which JSON text would make an exact integer).
const MARK: &str = "\u{0}userhash:refused";

/// The core's value for the marker `m`, if it is one.
fn marker(m: &[(Cow<'_, str>, Value<'_>)]) -> Option<Value<'static>> {
    let [(key, Value::Array(m))] = m else { return None };
    match (key == MARK, m.as_slice()) {
        (true, [Value::Str(kind), Value::Str(s)]) if kind == "bigint" => Some(Value::BigInt(s.to_string().into())),
        (true, [Value::Str(kind), Value::Str(s)]) if kind == "double" => s.parse().ok().map(Value::Float),
        (true, [Value::Str(kind), Value::Str(ty)]) => Value::failure(kind, ty),
        _ => None,
    }
}

fn unmark(v: Value<'_>) -> Value<'_> {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(unmark).collect()),
        Value::Object(entries) => marker(&entries)
            .unwrap_or_else(|| Value::Object(entries.into_iter().map(|(k, v)| (k, unmark(v))).collect())),
        v => v,
    }
}

/// Parses JSON text from userhash.js, which starts with `!` when it holds markers.
pub(crate) fn parse(text: &str, limit: usize) -> userhash::Result<Value<'_>> {
    match text.strip_prefix('!') {
        Some(marked) => json::parse_with_limit(marked, limit).map(unmark),
        None => json::parse_with_limit(text, limit),
    }
}

/// The sign-call input as userhash.js passes it, `a` = `[k0, v0, t0, k1, v1, t1, json]`:
/// one or two fields, each value a string `v`, else the JSON text `t` of what it is
/// (neither: `undefined`, absent); with `k0` undefined, the JSON text of the whole
/// input. Every name goes to the core (`Input::set`), which knows the fields.
pub(crate) fn input<'b>(env: sys::napi_env, a: &[sys::napi_value], b: &'b mut [StrBuf; 7]) -> R<Input<'b>> {
    let ([k0, v0, t0, k1, v1, t1, whole], js, mut input) = (b, |i: usize| Js { env, raw: a[i] }, Input::new());
    for (i, (key, value, text)) in [(k0, v0, t0), (k1, v1, t1)].into_iter().enumerate() {
        let name = match js(3 * i).text(key)? {
            Some(Value::Str(name)) => name,
            Some(name) => Cow::Owned(json::stringify(&name)?),
            None if i == 0 => return whole_input(js(6), whole),
            None => break,
        };
        if let Some(value) = js(3 * i + 1).text(value)? {
            input.set(&name, value)?;
        } else if let Some(Value::Str(Cow::Borrowed(text))) = js(3 * i + 2).text(text)? {
            match text.starts_with('!') {
                true => input.set(&name, parse(text, MAX_DEPTH)?)?,
                false => input.set_json(&name, text)?,
            }
        }
    }
    Ok(input)
}

fn whole_input(v: Js, buf: &mut StrBuf) -> R<Input<'_>> {
    let (Some(Value::Str(Cow::Borrowed(text))), mut input) = (v.text(buf)?, Input::new()) else {
        return Err(internal("no input"));
    };
    if !text.starts_with('!') {
        return Ok(Input::from_json(text)?);
    }
    // The wrapping object of fields is one more level than any payload, as in `Input::from_json`.
    match parse(text, MAX_DEPTH + 1)? {
        Value::Object(entries) => entries.into_iter().try_for_each(|(k, v)| input.set(&k, v))?,
        // Not an object of fields: the core's own complaint.
        _ => drop(Input::from_json(text.trim_start_matches('!'))?),
    }
    Ok(input)
}

/// A secret: a Uint8Array's bytes, or a string's UTF-8 (a lone surrogate has none).
fn secret(env: &Env, v: &Either<Uint8Array, Unknown<'_>>, what: &str) -> R<Zeroizing<Vec<u8>>> {
    let units = match v {
        Either::A(bytes) => return Ok(Zeroizing::new(bytes.to_vec())),
        Either::B(s) => Zeroizing::new(Js { env: env.raw(), raw: s.raw() }.utf16()?),
    };
    match (String::from_utf16(&units), Value::lone_surrogate()) {
        (Ok(s), _) => Ok(Zeroizing::new(s.into_bytes())),
        (_, Value::Invalid(e)) => Err(userhash::Error::new(e.code, e.what).at(what).into()),
        _ => Err(internal("lone surrogate")),
    }
}

/// What userhash.js reads from the core when it loads: the presets, fields, error
/// codes and operations (`Signer::call`), then the version, depth limit, [`MARK`] and [`BLOCK`].
#[napi]
pub fn core() -> Vec<Vec<String>> {
    let (depth, block) = (MAX_DEPTH.to_string(), BLOCK.to_string());
    let lists: [Vec<&str>; 5] = [
        userhash::Preset::ALL.iter().map(|p| p.name()).collect(),
        Field::ALL.iter().map(|f| f.name()).collect(),
        ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
        userhash::OPERATIONS.to_vec(),
        vec![userhash::VERSION, &depth, MARK, &block],
    ];
    lists.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect()
}

/// Builds a signer; `options` (JSON text) go to the core as they are (`Signer::with_options`).
#[napi(catch_unwind, ts_return_type = "ExternalObject<'userhash::Signer'> | Error")]
pub fn create_signer(
    env: Env, secret: Either<Uint8Array, Unknown<'_>>, scheme: String, previous: Vec<Either<Uint8Array, Unknown<'_>>>,
    options: String,
) -> napi::Result<Unknown<'static>> {
    let old = previous.iter().enumerate().map(|(i, p)| self::secret(&env, p, &format!("previous[{i}]")));
    answer(env.raw(), || {
        let (key, old, options) =
            (self::secret(&env, &secret, "secret")?, old.collect::<R<Vec<_>>>()?, parse(&options, MAX_DEPTH)?);
        raw::new_handle(env.raw(), Signer::with_options(&key, &scheme, old.iter(), &options)?)
    })
}

/// Builds a signer whose secret is the environment variable `name` (`Signer::from_env`).
#[napi(catch_unwind, ts_return_type = "ExternalObject<'userhash::Signer'> | Error")]
pub fn create_signer_from_env(
    env: Env, name: String, scheme: String, vars: Vec<String>,
) -> napi::Result<Unknown<'static>> {
    let signer = Signer::from_env(&name, &scheme, &vars.iter().map(String::as_str).collect::<Vec<_>>());
    reply(env.raw(), signer.map_err(Fail::from).and_then(|s| raw::new_handle(env.raw(), s)))
}

/// What a signer signs, from the core: its scheme (preset name or spec), how many
/// previous secrets `verify` also tries, then the fields its scheme reads.
#[napi(catch_unwind, ts_args_type = "signer: ExternalObject<'userhash::Signer'>")]
pub fn signer_info(env: Env, signer: Unknown<'_>) -> napi::Result<Vec<String>> {
    let handle = signer.raw();
    let s = signer_of(env.raw(), &handle).map_err(|_| napi::Error::from_reason("userhash: not a signer"))?;
    let fields = s.scheme().fields().iter().map(|f| f.name().to_owned());
    Ok([s.scheme().to_string(), s.previous_count().to_string()].into_iter().chain(fields).collect())
}

/// Hashes per string of the result: 256 KiB strings of concatenated hex, which
/// userhash.js slices (one N-API call per hash would cost more than the HMACs).
const HEX_CHUNK: usize = 4096;
/// Items per block of a batch: userhash.js writes each block's values as one JSON text.
const BLOCK: usize = 16 * HEX_CHUNK;

/// The values of one block. Its nesting limit leaves room for the array and for a
/// marker's two levels past a payload's deepest: a payload too deep is its item's `too_deep`.
fn block(json: &str) -> userhash::Result<Vec<Value<'_>>> {
    match parse(json, MAX_DEPTH + 3)? {
        Value::Array(values) => Ok(values),
        _ => Err(userhash::Error::new(ErrorCode::InvalidInput, "signMany values must be an array")),
    }
}

/// The field a batch fills: the one named (the core knows the names), else the scheme's own.
fn batch_field(name: Option<&str>) -> userhash::Result<Option<Field>> {
    let field = |name| Field::from_name(name).ok_or_else(|| Input::new().set(name, Value::Null).unwrap_err());
    name.map(field).transpose()
}

/// The hashes into `out` as [`HEX_CHUNK`]-hash strings, from item `start` on.
fn emit(env: sys::napi_env, out: sys::napi_value, start: usize, hashes: &[[u8; 64]]) -> R<()> {
    for (j, chunk) in hashes.chunks(HEX_CHUNK).enumerate() {
        set_at(env, out, start / HEX_CHUNK + j, latin1(env, chunk.as_flattened())?)?;
    }
    Ok(())
}

/// `signMany(handle, field, n, blocks)` → the `n` hashes as strings of concatenated hex.
/// Past one block, through the core's pipeline: this thread parses block k+1 and makes
/// the strings of block k−1 while a worker signs block k.
#[napi(catch_unwind, ts_return_type = "string[] | Error")]
pub fn sign_many(
    env: Env, signer: Unknown<'_>, field: Option<String>, n: u32, blocks: Vec<String>,
) -> napi::Result<Unknown<'static>> {
    let (e, handle, n) = (env.raw(), signer.raw(), n as usize);
    answer(e, || {
        let (signer, field, out) =
            (signer_of(e, &handle)?, batch_field(field.as_deref())?, array(e, n.div_ceil(HEX_CHUNK))?);
        if let [one] = &blocks[..] {
            return emit(e, out, 0, &signer.sign_many(field, &block(one)?)?).map(|()| out);
        }
        // An N-API failure making a string stops the pipeline with a placeholder error.
        let failed = Cell::new(None);
        let emit = |at, h: &[[u8; 64]]| {
            emit(e, out, at, h)
                .map_err(|f| failed.set(Some(f)))
                .map_err(|()| userhash::Error::new(ErrorCode::InvalidInput, ""))
        };
        match (signer.sign_pipelined(field, n, BLOCK, |r| block(&blocks[r.start / BLOCK]), emit), failed.take()) {
            (Ok(()), _) => Ok(out),
            (Err(_), Some(f)) => Err(f),
            (Err(err), None) => Err(err.into()),
        }
    })
}

/// `signManyAsync` work: the blocks' JSON texts, parsed and signed on the libuv pool.
pub struct SignMany(Arc<Signer>, Option<String>, Vec<String>);

impl napi::Task for SignMany {
    type Output = userhash::Result<Vec<[u8; 64]>>;
    type JsValue = Unknown<'static>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let values = || self.2.iter().map(|b| block(b)).collect::<userhash::Result<Vec<_>>>().map(|v| v.concat());
        let sign = || self.0.sign_many(batch_field(self.1.as_deref())?, &values()?);
        catch_unwind(AssertUnwindSafe(sign)).map_err(|_| napi::Error::from_reason("userhash: internal error (a bug)"))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Unknown<'static>> {
        answer(env.raw(), || {
            let (hashes, out) = (output?, array(env.raw(), 0)?);
            emit(env.raw(), out, 0, &hashes).map(|()| out)
        })
    }
}

/// Like `signMany`, but the blocks are parsed and signed on the libuv thread pool; the
/// promise resolves to the strings of hex, or to the core's error as a value.
#[napi(catch_unwind, ts_return_type = "Promise<string[] | Error>")]
pub fn sign_many_async(
    env: Env, signer: Unknown<'_>, field: Option<String>, blocks: Vec<String>,
) -> napi::Result<AsyncTask<SignMany>> {
    let handle = signer.raw();
    let signer = signer_of(env.raw(), &handle).map_err(|_| napi::Error::from_reason("userhash: not a signer"))?;
    Ok(AsyncTask::new(SignMany(Arc::clone(signer), field, blocks)))
}

/// Adds the raw per-identity callbacks ([`raw`]) to the exports.
#[napi(module_exports)]
pub fn init(mut exports: Object<'_>, env: Env) -> napi::Result<()> {
    raw::CALLBACKS.into_iter().try_for_each(|(name, f)| exports.set(name, env.create_function::<(), Unknown>(name, f)?))
}
