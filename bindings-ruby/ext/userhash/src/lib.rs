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
    function, method, ArgList, Error, Exception, Float, Integer, RArray, RHash, RModule, RString, Ruby, Symbol,
    TryConvert, Value,
};
use userhash::host::Nesting;
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
    ruby.class_object().const_get::<_, RModule>("Userhash")?.funcall(name, args)
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

/// Converts Ruby values for one call; `nesting` applies the core's cycle and
/// depth rule to the containers.
#[derive(Default)]
struct Conv {
    nesting: Nesting,
}

impl Conv {
    /// A String or a Symbol (its name) as text. UTF-8, US-ASCII and binary
    /// strings are read as UTF-8 bytes, other encodings transcoded by Ruby;
    /// `invalid_utf8` when that fails.
    fn string(v: Value) -> Option<CoreValue> {
        let (ruby, invalid) = (Ruby::get_with(v), CoreValue::invalid_utf8);
        let s = match Symbol::from_value(v) {
            // SAFETY: rb_sym2str returns the Symbol's frozen name; it does not raise.
            Some(sym) => {
                match (sym.name(), RString::from_value(unsafe { Value::from_raw(rb_sys::rb_sym2str(v.as_raw())) })?) {
                    // A static Symbol's name is borrowed for good (unless a NUL byte cut it short).
                    (Ok(name), full) if name.len() == full.len() => return Some(CoreValue::Str(name)),
                    (_, full) => full,
                }
            }
            None => RString::from_value(v)?,
        };
        // UTF-8, US-ASCII and binary as they are; other encodings transcoded by Ruby.
        let binary = ruby.ascii8bit_encindex();
        let utf8 = |t: &RString| t.is_utf8_compatible_encoding() || t.enc_get() == binary;
        let s = if utf8(&s) { Some(s) } else { s.conv_enc(ruby.utf8_encoding()).ok().filter(utf8) };
        // SAFETY: the bytes are copied before any Ruby code runs.
        let text = s.and_then(|s| String::from_utf8(unsafe { s.as_slice() }.to_vec()).ok());
        Some(text.map_or_else(invalid, CoreValue::from))
    }

    fn value(&mut self, v: Value) -> CoreValue {
        if let Some(text) = Conv::string(v) {
            text
        } else if let Some(f) = Float::from_value(v) {
            CoreValue::Float(f.to_f64())
        } else if let Some(i) = Integer::from_value(v) {
            // Beyond i128, the decimal text (Integer#to_s).
            i.to_i128().map_or_else(|_| CoreValue::BigInt(v.to_string().into()), CoreValue::Int)
        } else if v.is_nil() {
            CoreValue::Null
        } else if Qtrue::from_value(v).is_some() || Qfalse::from_value(v).is_some() {
            CoreValue::Bool(v.to_bool())
        } else if let Some(h) = RHash::from_value(v) {
            self.nested(v, |c| c.hash(h))
        } else if let Some(a) = RArray::from_value(v) {
            // Over a copy of the Array: a hook run meanwhile cannot change what is read.
            self.nested(v, |c| CoreValue::Array(a.into_iter().map(|item| c.value(item)).collect()))
        } else {
            // Not plain data: lib/userhash.rb names the core's kind of refusal.
            let name = class_name(v);
            let kind = helper::<String>(&Ruby::get_with(v), "refusal", (v,)).unwrap_or_default();
            CoreValue::failure(&kind, &name).unwrap_or_else(|| CoreValue::refused(Refused::Object, &name))
        }
    }

    fn nested(&mut self, v: Value, convert: impl FnOnce(&mut Self) -> CoreValue) -> CoreValue {
        if let Err(instead) = self.nesting.enter(v.as_raw() as usize) {
            return instead;
        }
        let out = convert(self);
        self.nesting.leave(out)
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

/// Runs `f` on the identity of a call: the entries of each Hash in `args`
/// (a positional Hash, the keywords; nil is none) go to the core's `Input::set`,
/// which knows the fields and their aliases. One field holding a UTF-8 String
/// (the common call) lends its bytes instead of a copy: from reading them until
/// `f` returns only Rust runs (no Ruby call, no allocation, the GVL held), so no
/// GC or thread can touch it.
fn with_input<T>(ruby: &Ruby, args: &[Value], f: impl FnOnce(&Input) -> Core<T>) -> R<T> {
    if args.len() > 2 {
        return Err(Error::new(ruby.exception_arg_error(), "an identity Hash and/or keywords"));
    }
    let hash = |h: &Value| RHash::from_value(*h).ok_or_else(|| ruby.exception_type_error());
    let hashes = args.iter().filter(|v| !v.is_nil()).map(hash).collect::<Result<Vec<_>, _>>();
    let hashes = hashes.map_err(|class| Error::new(class, "identity: a Hash or keywords"))?;
    let one = hashes.iter().map(|h| h.len()).sum::<usize>() == 1;
    let (mut input, mut conv, mut set) = (Input::new(), Conv::default(), Ok(()));
    for fields in hashes {
        fields.foreach(|k: Value, v: Value| {
            let name = Conv::key(k).unwrap_or_else(|_| k.inspect().into());
            // SAFETY: as above; the String stays reachable from `args`.
            let lent = RString::from_value(v).filter(|_| one).and_then(|s| unsafe { plain(s) });
            set = input.set(&name, lent.map_or_else(|| conv.value(v), userhash::Value::str));
            Ok(set.as_ref().map_or(ForEach::Stop, |()| ForEach::Continue))
        })?;
    }
    core(ruby, set.and_then(|()| f(&input)))
}

/// The text of a UTF-8 (or US-ASCII) String that is valid UTF-8, not copied.
///
/// # Safety
/// The caller keeps `s` reachable and runs no Ruby code (which could change or
/// free it) while it uses the text.
unsafe fn plain<'a>(s: RString) -> Option<&'a str> {
    // SAFETY: by the caller's contract the bytes outlive the borrow, unchanged.
    let bytes: &'a [u8] = unsafe { &*std::ptr::from_ref(s.as_slice()) };
    s.is_utf8_compatible_encoding().then(|| std::str::from_utf8(bytes).ok()).flatten()
}

impl Signer {
    /// `Userhash::Signer._new(secret, previous, scheme, options)` (see lib/userhash.rb).
    fn new(ruby: &Ruby, key: RString, old: RArray, scheme: String, opts: Value) -> R<Self> {
        // SAFETY: copied before any Ruby code runs, into memory zeroized on drop.
        let bytes = |s: RString| Zeroizing::new(unsafe { s.as_slice() }.to_vec());
        let old = old.into_iter().map(|p| RString::try_convert(p).map(bytes));
        let (key, old) = (bytes(key), old.collect::<R<Vec<_>>>()?);
        let (old, opts) = (old.iter().map(|p| p.as_slice()), Conv::default().value(opts));
        core(ruby, userhash::Signer::with_options(&key, &scheme, old, &opts)).map(Signer)
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

    /// `Userhash::Signer#_call(op, args, [input, fields])`: the core's
    /// operation `op` ([`userhash::Signer::call`]) with the options Hash `args`
    /// on the identity in the Hashes `input` and `fields` (nil: none); its
    /// result as Ruby data: a String or true/false as it is, claims or a
    /// diagnosis (an object) through the core's JSON text, read by `JSON.parse`.
    fn call(ruby: &Ruby, rb_self: &Self, op: String, args: Value, identity: RArray) -> R<Value> {
        let (input, args) = ([identity.entry(0)?, identity.entry(1)?], Conv::default().value(args));
        match with_input(ruby, &input, |i| rb_self.0.call(&op, i, &args))? {
            CoreValue::Bool(b) => Ok(ruby.into_value(b)),
            CoreValue::Str(s) => Ok(ruby.str_new(&s).as_value()),
            other => helper(ruby, "parse_json", (core(ruby, userhash::json::stringify(&other))?,)),
        }
    }

    /// `Userhash::Signer#_sign_many(values, field)`, through the core's pipeline:
    /// this thread converts block k+1 and makes the hex Strings of block k-1
    /// (with the GVL) while a core thread signs block k; the core reports a bad
    /// item by its index in the whole batch. Other Ruby threads get the GVL
    /// between blocks.
    fn sign_many(ruby: &Ruby, rb_self: &Self, values: RArray, field: Option<String>) -> R<RArray> {
        // The core checks the name (and its aliases).
        let field = core(ruby, field.as_deref().map(Field::parse).transpose())?;
        let (out, mut conv, mut failed) = (ruby.ary_new_capa(values.len()), Conv::default(), None);
        // A private copy of the Array: other threads may change `values` between blocks.
        let (n, mut items) = (values.len(), values.into_iter());
        // Each block's plain Strings are copied into one buffer (kept until the
        // batch ends) instead of one allocation per item.
        let texts = Vec::from_iter((0..n.div_ceil(BATCH_CHUNK)).map(|_| OnceLock::<String>::new()));
        let read = |range: std::ops::Range<usize>| {
            let (mut text, mut spans) = (String::new(), Vec::with_capacity(range.len()));
            for v in items.by_ref().take(range.len()) {
                // SAFETY: copied at once.
                let plain = RString::from_value(v).and_then(|s| unsafe { plain(s) });
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
        module.const_set("DIAGNOSIS_KEYS", userhash::Diagnosis::KEYS.to_vec())?;
        let class = module.define_class("Signer", ruby.class_object())?;
        class.undef_default_alloc_func();
        class.define_singleton_method("_new", function!(Signer::new, 4))?;
        class.define_singleton_method("_from_env", function!(Signer::from_env, 3))?;
        class.define_method("sign", method!(Signer::sign, -1))?;
        class.define_private_method("_sign_many", method!(Signer::sign_many, 2))?;
        class.define_private_method("_call", method!(Signer::call, 3))?;
        class.define_method("scheme", method!(|s: &Signer| s.0.scheme().to_string(), 0))?;
        let fields = method!(|s: &Signer| Vec::from_iter(s.0.scheme().fields().iter().map(|f| f.name())), 0);
        class.define_method("fields", fields)?;
        class.define_method("previous_count", method!(|s: &Signer| s.0.previous_count(), 0))
    }
}
