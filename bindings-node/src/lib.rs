//! Node.js binding for userhash: the native half of the `userhash` npm package.
//!
//! userhash.js converts JS values by the native-value policy (docs/canonicalization.md)
//! into JSON text: V8's own `JSON.stringify` of plain data, or of a copy in which each
//! value the policy refuses is a marker string (marked JSON text, [`userhash::host`]). This
//! module hands that text to the core, which parses it only when it holds markers, and puts
//! the core's refusal where each marker is; it hands back the core's results and errors:
//! every rule, table and message is the core's. A string field skips JSON; the hot calls are raw N-API ([`raw`]).

use std::borrow::Cow;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Either, Env, Object, Uint8Array, Unknown};
use napi::{sys, JsValue};
use napi_derive::napi;
use userhash::{host, json, ErrorCode, Field, Input, Preset, Signer, Value, MAX_DEPTH, OPERATIONS, VERSION};
use zeroize::Zeroizing;

mod raw;

use raw::{array, internal, latin1, reply, set_at, signer_of, utf8, Js, StrBuf, R};

/// The sign-call input as userhash.js passes it, `a` = `[key, value, text]`: one field,
/// its value a string `value`, else the JSON text `text` of what it is; with `key`
/// undefined, `value` is the JSON text of the whole input. Text without markers goes to
/// the core as it is (`Input::set_host_json`, `Input::from_host_json`: a visitor in
/// `JSON.stringify` form is signed from its text). Every name goes to the core, which knows the fields.
pub(crate) fn input<'b>(env: sys::napi_env, a: &[sys::napi_value], [k, v, t]: &'b mut [StrBuf; 3]) -> R<Input<'b>> {
    let (js, mut input) = (|i: usize| Js { env, raw: a[i] }, Input::new());
    let name = match js(0).text(k)? {
        Some(Value::Str(name)) => name,
        Some(name) => Cow::Owned(json::stringify(&name)?),
        None => match js(1).text(v)? {
            Some(Value::Str(Cow::Borrowed(text))) => return Ok(Input::from_host_json(text)?),
            _ => return Err(internal("no input")),
        },
    };
    match js(1).text(v)? {
        Some(value) => input.set(&name, value)?,
        None => match js(2).text(t)? {
            Some(Value::Str(Cow::Borrowed(text))) => input.set_host_json(&name, text)?,
            Some(Value::Str(text)) => input.set(&name, host::parse(&text, MAX_DEPTH)?.into_owned())?,
            _ => return Err(internal("no field value")),
        },
    }
    Ok(input)
}

/// A secret: a Uint8Array's bytes, or a string's UTF-8 (a lone surrogate has none).
fn secret(env: &Env, v: &Either<Uint8Array, Unknown<'_>>, what: &str) -> R<Zeroizing<Vec<u8>>> {
    let units = match v {
        Either::A(bytes) => return Ok(Zeroizing::new(bytes.to_vec())),
        Either::B(s) => Zeroizing::new(Js { env: env.raw(), raw: s.raw() }.utf16()?),
    };
    let text = String::from_utf16(&units).map_err(|_| host::lone_surrogate_secret(what))?;
    Ok(Zeroizing::new(text.into_bytes()))
}

/// What userhash.js reads from the core when it loads: the presets, fields, error
/// codes and operations (`Signer::call`), then the version, depth limit, the refusal mark
/// ([`host::MARK`]) and [`BLOCK`].
#[napi]
pub fn core() -> Vec<Vec<String>> {
    let (depth, block) = (MAX_DEPTH.to_string(), BLOCK.to_string());
    let lists: [Vec<&str>; 5] = [
        Preset::ALL.iter().map(|p| p.name()).collect(),
        Field::ALL.map(Field::name).to_vec(),
        ErrorCode::ALL.map(ErrorCode::as_str).to_vec(),
        OPERATIONS.to_vec(),
        vec![VERSION, &depth, host::MARK, &block],
    ];
    lists.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect()
}

/// Builds a signer (`Signer::with_options`; with `fromEnv`, `secret` and `previous` name
/// environment variables: `Signer::from_env_with_options`); `options` (JSON text) go to
/// the core as they are. Returns `[handle, scheme, previous count, ...the scheme's fields]`.
#[napi(catch_unwind, ts_return_type = "[ExternalObject<'userhash::Signer'>, ...string[]] | Error")]
pub fn create_signer(
    env: Env, secret: Either<Uint8Array, Unknown<'_>>, scheme: String, previous: Vec<Either<Uint8Array, Unknown<'_>>>,
    options: String, from_env: bool,
) -> napi::Result<Unknown<'static>> {
    let (e, old) =
        (env.raw(), previous.iter().enumerate().map(|(i, p)| self::secret(&env, p, &format!("previous[{i}]"))));
    let make = || {
        let (key, old, options) =
            (self::secret(&env, &secret, "secret")?, old.collect::<R<Vec<_>>>()?, host::parse(&options, MAX_DEPTH)?);
        // A variable name is a string's UTF-8.
        let vars: Vec<&str> =
            [&key].into_iter().chain(&old).map(|v| std::str::from_utf8(v).unwrap_or_default()).collect();
        let s = match from_env {
            true => Signer::from_env_with_options(vars[0], &scheme, &vars[1..], &options),
            false => Signer::with_options(&key, &scheme, old.iter(), &options),
        }?;
        let fields = s.scheme().fields().iter().map(|f| f.name().to_owned());
        let info: Vec<_> = [s.scheme().to_string(), s.previous_count().to_string()].into_iter().chain(fields).collect();
        let out = array(e, info.len() + 1)?;
        set_at(e, out, 0, raw::new_handle(e, s)?)?;
        info.iter().enumerate().try_for_each(|(i, t)| set_at(e, out, i + 1, utf8(e, t)?))?;
        Ok(out)
    };
    reply(e, make())
}

/// Hashes per string of the result: 256 KiB strings of concatenated hex, which
/// userhash.js slices (one N-API call per hash would cost more than the HMACs).
const HEX_CHUNK: usize = 4096;
/// Items per block of a batch: userhash.js writes each block's values as one JSON text.
const BLOCK: usize = 16 * HEX_CHUNK;

/// The hashes into `out` as [`HEX_CHUNK`]-hash strings of concatenated hex, from item `start` on.
fn hex_strings(env: sys::napi_env, out: sys::napi_value, start: usize, hashes: &[[u8; 64]]) -> R<()> {
    for (j, chunk) in hashes.chunks(HEX_CHUNK).enumerate() {
        set_at(env, out, start / HEX_CHUNK + j, latin1(env, chunk.as_flattened())?)?;
    }
    Ok(())
}

/// `signMany` work on the libuv pool: the blocks parsed and signed there, the strings made
/// when the promise resolves.
pub struct SignMany(Arc<Signer>, Option<String>, Vec<String>);

impl napi::Task for SignMany {
    type Output = userhash::Result<Vec<[u8; 64]>>;
    type JsValue = Unknown<'static>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        // Every block parsed, then all signed on every core: on the libuv pool the
        // pipeline measured 7–26% slower.
        let sign = || host::sign_all_blocks(&self.0, self.1.as_deref(), &self.2);
        catch_unwind(AssertUnwindSafe(sign)).map_err(|panic| napi::Error::from_reason(host::panic_message(&*panic)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Unknown<'static>> {
        let e = env.raw();
        let out = output.map_err(Into::into).and_then(|h| array(e, h.len().div_ceil(HEX_CHUNK)).map(|out| (out, h)));
        reply(e, out.and_then(|(out, h)| hex_strings(e, out, 0, &h).map(|()| out)))
    }
}

/// `signMany(handle, field, n, blocks, pool)` → the `n` hashes as strings of concatenated
/// hex, or the core's error as a value; with `pool`, a promise of them, the blocks parsed
/// and signed on the libuv thread pool. Without, the strings of each block are made while
/// the next is signed.
#[napi(catch_unwind, ts_return_type = "string[] | Error | Promise<string[] | Error>")]
pub fn sign_many(
    env: Env, signer: Unknown<'_>, field: Option<String>, n: u32, blocks: Vec<String>, pool: bool,
) -> napi::Result<Either<Unknown<'static>, AsyncTask<SignMany>>> {
    let (e, handle, n) = (env.raw(), signer.raw(), n as usize);
    let signer = signer_of(e, &handle).map_err(|_| napi::Error::from_reason("userhash: not a signer"))?;
    if pool {
        return Ok(Either::B(AsyncTask::new(SignMany(Arc::clone(signer), field, blocks))));
    }
    // An N-API failure making a string stops the pipeline with a placeholder error.
    let failed = Cell::new(None);
    let made = array(e, n.div_ceil(HEX_CHUNK)).and_then(|out| {
        let emit = |at, h: &[[u8; 64]]| {
            hex_strings(e, out, at, h)
                .map_err(|f| failed.set(Some(f)))
                .map_err(|()| userhash::Error::new(ErrorCode::InvalidInput, ""))
        };
        match (host::sign_blocks(signer, field.as_deref(), n, BLOCK, &blocks, emit), failed.take()) {
            (Ok(()), _) => Ok(out),
            (Err(_), Some(f)) => Err(f),
            (Err(err), None) => Err(err.into()),
        }
    });
    Ok(Either::A(reply(e, made)?))
}

/// Adds the raw per-identity callbacks ([`raw`]) to the exports.
#[napi(module_exports)]
pub fn init(mut exports: Object<'_>, env: Env) -> napi::Result<()> {
    raw::CALLBACKS.into_iter().try_for_each(|(name, f)| exports.set(name, env.create_function::<(), Unknown>(name, f)?))
}
