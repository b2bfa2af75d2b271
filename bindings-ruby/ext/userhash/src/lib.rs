//! Ruby bindings for userhash: `Userhash::Signer` over the Rust core.
//!
//! This crate converts Ruby values into [`userhash::Value`] (the README's
//! "Ruby values" table) and hands [`userhash::Error`]s to lib/userhash.rb,
//! which builds the `Userhash::Error` subclass of the code (the classes are
//! made at load from `Userhash::ERROR_CODES`). Every rule, table and message
//! is the core's.
//!
//! Safety: the GC runs as usual. Strings are copied out of Ruby before the
//! core runs, except one plain String field, lent while only Rust runs (see
//! [`with_input`]). Ruby is only called through magnus's protected calls,
//! which return `Err` instead of unwinding, and magnus raises a returned error
//! after our frames are gone. `sign_many` goes through the core's pipeline:
//! Ruby values are read and hex Strings made on this thread, with the GVL.

use std::borrow::Cow;
use std::sync::OnceLock;

use magnus::encoding::EncodingCapable;
use magnus::prelude::*;
use magnus::r_hash::ForEach;
use magnus::rb_sys::{protect, AsRawValue, FromRawValue};
use magnus::value::{Qfalse, Qtrue};
use magnus::{
    function, method, ArgList, Error, Exception, Float, Integer, RArray, RHash, RModule, RString,
    Ruby, Symbol, TryConvert, Value,
};
use userhash::{ErrorCode, Field, Input, Preset, Refused, MAX_DEPTH};
use zeroize::Zeroizing;

type CoreValue = userhash::Value<'static>;
type R<T> = Result<T, Error>;
type Core<T> = userhash::Result<T>;

/// `sign_many` hands the core this many items at a time, so the memory beyond
/// the result Array stays bounded.
const BATCH_CHUNK: usize = 131_072;

/// A `userhash::Signer` owned by a Ruby object; nothing here can show the secret.
#[magnus::wrap(class = "Userhash::Signer", free_immediately, size)]
struct Signer(userhash::Signer);

/// Calls `Userhash.<name>` (a private helper in lib/userhash.rb).
fn helper<T: TryConvert>(ruby: &Ruby, name: &str, args: impl ArgList) -> R<T> {
    let module: RModule = ruby.class_object().const_get("Userhash")?;
    module.funcall(name, args)
}

/// A core result, its error as the `Userhash::Error` subclass of its code
/// with the core's message, path and item.
fn core<T>(ruby: &Ruby, result: Core<T>) -> R<T> {
    result.map_err(|e| {
        let args = (e.code().as_str(), e.to_string(), e.path(), e.item());
        helper::<Exception>(ruby, "error", args).map_or_else(|err| err, Error::from)
    })
}

fn class_name(v: Value) -> String {
    // SAFETY: copied at once.
    unsafe { v.classname() }.into_owned()
}

/// Converts Ruby values for one call. `stack` holds the containers being
/// converted: a container met again inside itself is a cycle, reported at the
/// outer one (`cycle` is its stack index); past [`MAX_DEPTH`] levels below a
/// field value the conversion stops with `too_deep`.
#[derive(Default)]
struct Conv {
    stack: Vec<rb_sys::VALUE>,
    cycle: Option<usize>,
}

impl Conv {
    /// A String or a Symbol (its name) as text. UTF-8, US-ASCII and binary
    /// strings are read as UTF-8 bytes, other encodings transcoded by Ruby;
    /// `invalid_utf8` when that fails.
    fn string(v: Value) -> Option<CoreValue> {
        let (ruby, invalid) = (Ruby::get_with(v), CoreValue::invalid_utf8);
        let s = match Symbol::from_value(v) {
            // SAFETY: rb_sym2str returns the Symbol's frozen name; it does not raise.
            Some(sym) => match (
                sym.name(),
                RString::from_value(unsafe { Value::from_raw(rb_sys::rb_sym2str(v.as_raw())) })?,
            ) {
                // A static Symbol's name is borrowed for good (unless a NUL byte cut it short).
                (Ok(name), full) if name.len() == full.len() => return Some(CoreValue::Str(name)),
                (_, full) => full,
            },
            None => RString::from_value(v)?,
        };
        let s = match s.is_utf8_compatible_encoding() || s.enc_get() == ruby.ascii8bit_encindex() {
            true => s,
            false => match s.conv_enc(ruby.utf8_encoding()) {
                Ok(t) if t.enc_get() == ruby.utf8_encindex() => t,
                _ => return Some(invalid()),
            },
        };
        // SAFETY: the bytes are copied before any Ruby code runs.
        Some(
            std::str::from_utf8(unsafe { s.as_slice() })
                .map_or_else(|_| invalid(), |t| t.to_owned().into()),
        )
    }

    fn value(&mut self, v: Value) -> CoreValue {
        if let Some(text) = Conv::string(v) {
            text
        } else if let Some(f) = Float::from_value(v) {
            CoreValue::Float(f.to_f64())
        } else if let Some(i) = Integer::from_value(v) {
            // Beyond i64, the decimal text (Integer#to_s).
            i.to_i64().map_or_else(
                |_| CoreValue::BigInt(v.to_string().into()),
                |n| CoreValue::Int(n.into()),
            )
        } else if v.is_nil() {
            CoreValue::Null
        } else if Qtrue::from_value(v).is_some() || Qfalse::from_value(v).is_some() {
            CoreValue::Bool(v.to_bool())
        } else if let Some(h) = RHash::from_value(v) {
            self.nested(v, |c| c.hash(h))
        } else if let Some(a) = RArray::from_value(v) {
            let item = |c: &mut Self, i| {
                c.value(a.entry(i as isize).unwrap_or_else(|_| Ruby::get_with(v).qnil().as_value()))
            };
            self.nested(v, |c| CoreValue::Array((0..a.len()).map(|i| item(c, i)).collect()))
        } else {
            // Not plain data: lib/userhash.rb names the core's kind of refusal.
            let (kind, name) =
                (helper::<String>(&Ruby::get_with(v), "refusal", (v,)), class_name(v));
            let refused = || CoreValue::refused(Refused::Object, &name);
            kind.ok().and_then(|kind| CoreValue::failure(&kind, &name)).unwrap_or_else(refused)
        }
    }

    fn nested(&mut self, v: Value, convert: impl FnOnce(&mut Self) -> CoreValue) -> CoreValue {
        if let Some(outer) = self.stack.iter().position(|&c| c == v.as_raw()) {
            self.cycle = Some(outer.min(self.cycle.unwrap_or(outer)));
            return CoreValue::Null;
        } else if self.stack.len() > MAX_DEPTH {
            return CoreValue::too_deep();
        }
        self.stack.push(v.as_raw());
        let out = convert(self);
        self.stack.pop();
        if self.cycle != Some(self.stack.len()) {
            return out;
        }
        self.cycle = None;
        CoreValue::cycle()
    }

    /// A Hash: a key that is not a String or a Symbol makes the whole Hash invalid.
    fn hash(&mut self, h: RHash) -> CoreValue {
        let (mut entries, mut bad) = (Vec::with_capacity(h.len()), None);
        let walked = h.foreach(|k: Value, v: Value| {
            match Conv::key(k) {
                Ok(key) => entries.push((key, self.value(v))),
                Err(invalid) => bad = Some(invalid),
            }
            Ok(bad.as_ref().map_or(ForEach::Continue, |_| ForEach::Stop))
        });
        match walked {
            Ok(()) => bad.unwrap_or(CoreValue::Object(entries)),
            Err(_) => CoreValue::refused(Refused::Object, &class_name(h.as_value())),
        }
    }

    fn key(k: Value) -> Result<Cow<'static, str>, CoreValue> {
        match Conv::string(k) {
            Some(CoreValue::Str(s)) => Ok(s),
            Some(invalid) => Err(invalid),
            None => Err(CoreValue::non_string_key(&class_name(k))),
        }
    }
}

/// Runs `f` on the identity of a sign call (keyword arguments or one Hash):
/// every key goes to the core's `Input::set`, which knows the fields and their
/// aliases. One field holding a UTF-8 String (the common call) lends its bytes
/// instead of a copy: from reading them until `f` returns only Rust runs (no
/// Ruby call, no allocation, the GVL held), so no GC or thread can touch it.
fn with_input<T>(ruby: &Ruby, args: &[Value], f: impl FnOnce(&Input) -> Core<T>) -> R<T> {
    let mut input = Input::new();
    let fields = match args {
        [] => return core(ruby, f(&input)),
        [h] => RHash::from_value(*h)
            .ok_or_else(|| Error::new(ruby.exception_type_error(), "identity: a Hash"))?,
        _ => return Err(Error::new(ruby.exception_arg_error(), "one identity Hash or keywords")),
    };
    let (one, mut conv, mut set, mut lent) = (fields.len() == 1, Conv::default(), Ok(()), None);
    fields.foreach(|k: Value, v: Value| {
        let name = Conv::key(k).unwrap_or_else(|_| k.inspect().into());
        match RString::from_value(v).filter(|s| one && s.is_utf8_compatible_encoding()) {
            Some(s) => lent = Some((name, s)),
            None => set = input.set(&name, conv.value(v)),
        }
        Ok(set.as_ref().map_or(ForEach::Stop, |()| ForEach::Continue))
    })?;
    let result = set.and_then(|()| match lent {
        Some((name, s)) => {
            let mut input = Input::new();
            // SAFETY: as above; the String stays reachable from `args`.
            let text = std::str::from_utf8(unsafe { s.as_slice() });
            let value = text.map_or_else(|_| CoreValue::invalid_utf8(), userhash::Value::str);
            input.set(&name, value).and_then(|()| f(&input))
        }
        None => f(&input),
    });
    core(ruby, result)
}

impl Signer {
    /// `Userhash::Signer._new([secret, *previous], scheme, options)` (see lib/userhash.rb).
    fn new(ruby: &Ruby, secrets: RArray, scheme: String, options: Value) -> R<Self> {
        let keys = secrets.into_iter().map(|s| -> Result<_, Error> {
            // SAFETY: copied before any Ruby code runs, into memory zeroized on drop.
            Ok(Zeroizing::new(unsafe { RString::try_convert(s)?.as_slice() }.to_vec()))
        });
        let keys = keys.collect::<Result<Vec<_>, _>>()?;
        let (secret, previous) =
            keys.split_first().map_or((&[][..], &[][..]), |(s, p)| (&s[..], p));
        let previous = previous.iter().map(|p| p.as_slice());
        let options = Conv::default().value(options);
        core(ruby, userhash::Signer::with_options(secret, &scheme, previous, &options)).map(Signer)
    }

    fn from_env(ruby: &Ruby, var: String, scheme: String, previous: Vec<String>) -> R<Self> {
        let previous: Vec<&str> = previous.iter().map(String::as_str).collect();
        core(ruby, userhash::Signer::from_env(&var, &scheme, &previous)).map(Signer)
    }

    fn sign(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> R<RString> {
        let mut hex = [0u8; 64];
        with_input(ruby, args, |input| rb_self.0.sign_hex(input, &mut hex))?;
        Ok(ruby.enc_str_new(hex, ruby.usascii_encindex()))
    }

    fn verify(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> R<bool> {
        let Some((hash, rest)) = args.split_first() else {
            return Err(Error::new(ruby.exception_arg_error(), "verify(hash, **identity)"));
        };
        // A hash that is not a String of text is malformed: false, like any mismatch.
        // SAFETY: copied at once.
        let hash = RString::from_value(*hash)
            .and_then(|s| String::from_utf8(unsafe { s.as_slice() }.to_vec()).ok());
        with_input(ruby, rest, |input| rb_self.0.verify(hash.as_deref().unwrap_or(""), input))
    }

    fn canonical(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> R<RString> {
        let canonical =
            with_input(ruby, args, |input| rb_self.0.canonical(input).map(Cow::into_owned))?;
        Ok(ruby.str_new(&canonical))
    }

    /// `Userhash::Signer#_sign_many(values, field)`, through the core's pipeline:
    /// this thread converts block k+1 and makes the hex Strings of block k-1
    /// (with the GVL) while a core thread signs block k; the core reports a bad
    /// item by its index in the whole batch. Other Ruby threads get the GVL
    /// between blocks.
    fn sign_many(ruby: &Ruby, rb_self: &Self, values: RArray, field: Option<String>) -> R<RArray> {
        // The core checks the name (and its aliases) through `Input::set`.
        let field = field
            .map(|name| Input::new().set(&name, CoreValue::Null).map(|()| Field::from_name(&name)));
        let field = core(ruby, field.transpose())?.flatten();
        let (out, mut conv, mut failed) = (ruby.ary_new_capa(values.len()), Conv::default(), None);
        // A private copy of the Array: other threads may change `values` between blocks.
        let (n, mut items) = (values.len(), values.into_iter());
        // Each block's plain Strings are copied into one buffer (kept until the
        // batch ends) instead of one allocation per item.
        let texts = Vec::from_iter((0..n.div_ceil(BATCH_CHUNK)).map(|_| OnceLock::<String>::new()));
        let read = |range: std::ops::Range<usize>| {
            let (mut text, mut spans) = (String::new(), Vec::with_capacity(range.len()));
            for v in items.by_ref().take(range.len()) {
                let plain = RString::from_value(v).filter(|s| s.is_utf8_compatible_encoding());
                // SAFETY: copied at once.
                let plain =
                    plain.as_ref().and_then(|s| std::str::from_utf8(unsafe { s.as_slice() }).ok());
                // Appends `t` to the block's buffer; its range there.
                let span = |t: &str| (text.push_str(t), text.len() - t.len()..text.len()).1;
                spans.push(plain.map(span).ok_or_else(|| conv.value(v)));
            }
            let text = texts[range.start / BATCH_CHUNK].get_or_init(|| text);
            Ok(spans.into_iter().map(|s| s.map_or_else(|v| v, |r| (&text[r]).into())).collect())
        };
        let emit = |_, hexes: &[[u8; 64]]| {
            let hex = |hex: &[u8; 64]| ruby.enc_str_new(hex, ruby.usascii_encindex());
            let strings = ruby.ary_from_iter(hexes.iter().map(hex));
            // Other Ruby threads may run here. SAFETY: rb_thread_schedule only
            // yields the GVL; what it raises comes back through protect.
            let yielded = protect(|| unsafe {
                rb_sys::rb_thread_schedule();
                ruby.qnil().as_raw()
            });
            // A Ruby exception (an interrupt) stops the batch; it is raised below.
            yielded.and_then(|_| out.concat(strings)).map_err(|e| {
                failed = Some(e);
                userhash::Error::new(ErrorCode::InvalidInput, "interrupted")
            })
        };
        let signed = rb_self.0.sign_pipelined(field, n, BATCH_CHUNK, read, emit);
        failed.map_or_else(|| core(ruby, signed).map(|()| out), Err)
    }

    /// `Userhash::Signer#_embed(identity, options)` (see lib/userhash.rb).
    fn embed(ruby: &Ruby, rb_self: &Self, input: Value, options: Value) -> R<RString> {
        let options = Conv::default().value(options);
        with_input(ruby, &[input], |input| rb_self.0.embed(input, &options))
            .map(|html| ruby.str_new(&html))
    }

    fn scheme(&self) -> String {
        self.0.scheme().to_string()
    }

    fn fields(&self) -> Vec<&'static str> {
        self.0.scheme().fields().iter().map(|f| f.name()).collect()
    }

    fn previous_count(&self) -> usize {
        self.0.previous_count()
    }
}

// `#[magnus::init]` expands to the exported `Init_userhash`, which cannot carry
// our doc comment; the module only scopes that allow.
#[allow(missing_docs)]
mod entry {
    use super::*;

    /// `Init_userhash`: the core's constants and `Userhash::Signer`'s natives.
    #[magnus::init(name = "userhash")]
    fn init(ruby: &Ruby) -> R<()> {
        let module = ruby.define_module("Userhash")?;
        module.const_set("VERSION", userhash::VERSION)?;
        module.const_set("MAX_DEPTH", MAX_DEPTH)?;
        module.const_set("PRESETS", Preset::ALL.iter().map(|p| p.name()).collect::<Vec<_>>())?;
        module.const_set("ERROR_CODES", ErrorCode::ALL.map(ErrorCode::as_str).to_vec())?;
        let class = module.define_class("Signer", ruby.class_object())?;
        class.undef_default_alloc_func();
        class.define_singleton_method("_new", function!(Signer::new, 3))?;
        class.define_singleton_method("_from_env", function!(Signer::from_env, 3))?;
        class.define_method("sign", method!(Signer::sign, -1))?;
        class.define_method("verify", method!(Signer::verify, -1))?;
        class.define_method("canonical", method!(Signer::canonical, -1))?;
        class.define_private_method("_sign_many", method!(Signer::sign_many, 2))?;
        class.define_private_method("_embed", method!(Signer::embed, 2))?;
        class.define_method("scheme", method!(Signer::scheme, 0))?;
        class.define_method("fields", method!(Signer::fields, 0))?;
        class.define_method("previous_count", method!(Signer::previous_count, 0))
    }
}
