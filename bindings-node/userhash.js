'use strict'
// userhash for Node.js: the public API over the native addon (index.js, generated
// by napi-rs). This file only shapes arguments and errors; every canonicalization
// rule lives in the Rust core.

const native = require('./index.js')
// index.js (generated) exports the napi-rs functions; sign, verify, canonical,
// embed and signMany are plain N-API callbacks the addon adds itself (see the
// top of src/lib.rs): same shapes as in index.d.ts's style, e.g.
// sign(handle, input, visitorJson, k0, v0, k1, v1) -> string.

/** The stable error codes (DESIGN §3), the same in every language. */
const ERROR_CODES = Object.freeze([
  'empty_secret',
  'empty_identity',
  'invalid_input',
  'invalid_json',
  'invalid_utf8',
  'too_deep',
  'unknown_preset'
])
const CODES = new Set(ERROR_CODES)

/** Every userhash failure: `err.code` is one of ERROR_CODES. */
class UserhashError extends Error {
  constructor (code, message) {
    super(message)
    this.code = code
  }
}
Object.defineProperty(UserhashError.prototype, 'name', {
  value: 'UserhashError',
  writable: true,
  configurable: true
})

// Native errors carry the core's code; re-throw them as UserhashError. The
// stack starts at the public method, so it points at the caller's line.
function rethrow (e, from) {
  if (e instanceof Error && !(e instanceof UserhashError) && CODES.has(e.code)) {
    const err = new UserhashError(e.code, e.message)
    Error.captureStackTrace(err, from)
    throw err
  }
  throw e
}

function fail (code, message, from) {
  const err = new UserhashError(code, message)
  Error.captureStackTrace(err, from)
  throw err
}

// The visitor's canonical payload is exactly JSON.stringify({name, email, data})
// (the vendor's Node snippet), so V8's own JSON.stringify makes the text the core
// parses: toJSON/Date, undefined/functions/symbols, property order are JS's own.
// Like the snippet, only v.name, v.email and v.data are read (a toJSON on the
// visitor itself is not called). A non-object visitor is passed as a plain value,
// an array or a Date as its JSON text: the core refuses both.
function visitorJson (v, from, prefix = '') {
  if (v === null || typeof v !== 'object') return undefined
  const payload = Array.isArray(v) || v instanceof Date
    ? v
    : { name: v.name, email: v.email, data: v.data }
  return jsonText(payload, `${prefix}visitor`, from)
}

// JSON.stringify(value), with its own complaints as userhash errors naming `what`.
function jsonText (value, what, from) {
  let text
  try {
    text = JSON.stringify(value)
  } catch (e) {
    // Only JSON.stringify's own complaints become userhash errors; anything a
    // getter or toJSON threw propagates unchanged.
    if (e instanceof TypeError && /BigInt/.test(e.message)) {
      fail('invalid_input', `${what}: BigInt is not a JSON value`, from)
    }
    if (e instanceof TypeError && /circular structure/i.test(e.message)) {
      fail('invalid_input', `${what}: circular structure is not a JSON value`, from)
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      fail('too_deep', `${what}: nesting deeper than 128 levels`, from)
    }
    throw e
  }
  if (text === undefined) fail('invalid_input', `${what}: toJSON() returned no JSON value`, from)
  return text
}

// The field a signMany call fills: options.field, else the scheme's own.
function batchField (h, options, from) {
  if (options != null && typeof options !== 'object') {
    fail('invalid_input', 'signMany: options must be an object ({field})', from)
  }
  const field = options == null ? undefined : options.field
  if (field !== undefined && field !== null) {
    if (typeof field !== 'string') fail('invalid_input', 'signMany: options.field must be a string', from)
    return field
  }
  const own = native.signerBatchField(h)
  if (own === null) {
    fail('invalid_input', `${native.signerScheme(h)} signs external_id or email: name the field of the batch ({field: 'external_id'} or {field: 'email'})`, from)
  }
  return own
}

// The batch as the addon takes it: [kind, a, b] (see Source::read in
// src/lib.rs). All numbers: a Float64Array (converted off the JS thread);
// anything else: the array itself (the addon reads it a block at a time while
// a helper thread signs the previous block), plus for visitors each one's
// JSON.stringify text (undefined where the item is not an object: the core
// refuses the value). (Joining strings into one was measured no faster.)
const BATCH_ANY = 0
const BATCH_NUMBERS = 2
function batchArgs (values, field, from) {
  if (!Array.isArray(values)) fail('invalid_input', 'signMany: values must be an array', from)
  const n = values.length
  if (field === 'visitor') {
    const texts = new Array(n)
    for (let i = 0; i < n; i++) texts[i] = visitorJson(values[i], from, `item ${i}: `)
    return [BATCH_ANY, values, texts]
  }
  if (n !== 0 && typeof values[0] === 'number') {
    const nums = new Float64Array(n)
    let i = 0
    for (; i < n; i++) {
      const v = values[i]
      if (typeof v !== 'number') break
      nums[i] = v
    }
    if (i === n) return [BATCH_NUMBERS, nums, undefined]
  }
  return [BATCH_ANY, values, undefined]
}

// One string per hash, sliced from the addon's chunks of concatenated hex
// (V8 makes each slice a small view of its chunk: a kept hash keeps its
// 256 KiB chunk alive, not the whole batch).
function splitHex (chunks, n) {
  const out = new Array(n)
  let i = 0
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += 64) out[i++] = chunk.slice(at, at + 64)
  }
  return out
}

// Calls native sign/verify/canonical with the input's first two keys and values
// read here (Object.keys is far cheaper than enumerating properties from Rust).
// With no keys or more than two, Rust enumerates the object itself.
const SIGN = 0
const VERIFY = 1
const CANONICAL = 2
const EMBED = 3
function call (op, h, hash, input, from) {
  let vj, k0, v0, k1, v1
  if (input !== null && typeof input === 'object') {
    const keys = Object.keys(input)
    const n = keys.length
    if (n === 1 || n === 2) {
      k0 = keys[0]
      v0 = input[k0]
      if (n === 2) {
        k1 = keys[1]
        v1 = input[k1]
      }
      if (k0 === 'visitor') vj = visitorJson(v0, from)
      else if (k1 === 'visitor') vj = visitorJson(v1, from)
    } else if (keys.includes('visitor')) {
      vj = visitorJson(input.visitor, from)
    }
  }
  switch (op) {
    case SIGN: return native.sign(h, input, vj, k0, v0, k1, v1)
    case VERIFY: return native.verify(h, hash, input, vj, k0, v0, k1, v1)
    case CANONICAL: return native.canonical(h, input, vj, k0, v0, k1, v1)
    default: {
      // EMBED: `hash` carries the options; their `data` (SupportWire userData)
      // goes as JSON text, like a visitor.
      const options = hash
      let dataJson
      if (options !== null && typeof options === 'object' && options.data !== null && typeof options.data === 'object') {
        dataJson = jsonText(options.data, 'embed option data', from)
      }
      return native.embed(h, input, vj, k0, v0, k1, v1, options, dataJson)
    }
  }
}

const fromNative = Symbol('fromNative')
const inspectCustom = Symbol.for('nodejs.util.inspect.custom')

/**
 * Signs identities for one widget: a secret (string or Buffer/Uint8Array), a
 * preset (`layerup inviaro ensoras supportwire fluentbot`, or a
 * `source[:transform]` spec) and optional previous secrets accepted by verify().
 * The secret stays in native memory: never in inspect(), JSON or errors.
 */
class Signer {
  #h

  constructor (secret, preset, options) {
    if (secret === fromNative) {
      this.#h = preset
      return
    }
    const previous = options == null ? undefined : options.previous
    if (previous != null && !Array.isArray(previous)) {
      fail('invalid_input', 'options.previous must be an array of secrets', Signer)
    }
    try {
      this.#h = native.createSigner(secret, preset, previous)
    } catch (e) {
      rethrow(e, Signer)
    }
  }

  /** A signer whose secret is the environment variable `name`. */
  static fromEnv (name, preset, options) {
    const vars = options == null ? undefined : options.previousVars
    if (vars != null && !Array.isArray(vars)) {
      fail('invalid_input', 'options.previousVars must be an array of variable names', Signer.fromEnv)
    }
    try {
      return new Signer(fromNative, native.createSignerFromEnv(name, preset, vars))
    } catch (e) {
      rethrow(e, Signer.fromEnv)
    }
  }

  /** The lowercase hex HMAC-SHA256 of the canonical identity. */
  sign (input) {
    try {
      return call(SIGN, this.#h, undefined, input, this.sign)
    } catch (e) {
      rethrow(e, this.sign)
    }
  }

  /** True when `hash` signs `input` (current or a previous secret); never throws on a bad hash. */
  verify (hash, input) {
    try {
      return call(VERIFY, this.#h, hash, input, this.verify)
    } catch (e) {
      rethrow(e, this.verify)
    }
  }

  /** The canonical string that gets signed (the "explain" view). */
  canonical (input) {
    try {
      return call(CANONICAL, this.#h, undefined, input, this.canonical)
    } catch (e) {
      rethrow(e, this.canonical)
    }
  }

  /**
   * Signs many values of one field at once: `values[i]` is put in `options.field`
   * (default: the scheme's own — email, user_id or visitor; supportwire needs
   * `'external_id'` or `'email'`) and the result holds each hash, in order. Large
   * batches use every core. Synchronous: the event loop waits (about 0.2 s per
   * million ids on 2 cores); see signManyAsync. The first bad item fails the call,
   * naming its index.
   */
  signMany (values, options) {
    try {
      const field = batchField(this.#h, options, this.signMany)
      const [kind, a, b] = batchArgs(values, field, this.signMany)
      return splitHex(native.signMany(this.#h, field, kind, a, b), values.length)
    } catch (e) {
      rethrow(e, this.signMany)
    }
  }

  /**
   * signMany, with the HMACs on the libuv thread pool: the values are read (and
   * visitors serialized) now, on the calling thread; the hashing and hex encoding
   * no longer block the event loop. Resolves to the hashes; rejects with a
   * UserhashError as signMany throws.
   */
  async signManyAsync (values, options) {
    let result
    try {
      const field = batchField(this.#h, options, this.signManyAsync)
      const [kind, a, b] = batchArgs(values, field, this.signManyAsync)
      result = native.signManyAsync(this.#h, field, kind, a, b)
    } catch (e) {
      rethrow(e, this.signManyAsync)
    }
    const out = await result
    if (Array.isArray(out)) return splitHex(out, values.length)
    rethrow(out, this.signManyAsync)
  }

  /**
   * The vendor's embed snippet for `input` (the input of sign()), with the
   * identity signed and every value escaped for where it lands (docs/embed.md).
   * `options`: `widget` (required), `form` ('script' | 'url' | 'identify'),
   * `nonce`, and the vendor's extras (inviaro `origin`/`name`/`email`,
   * supportwire `data`).
   */
  embed (input, options) {
    try {
      return call(EMBED, this.#h, options, input, this.embed)
    } catch (e) {
      rethrow(e, this.embed)
    }
  }

  /** The preset name or scheme spec. */
  get scheme () {
    return native.signerScheme(this.#h)
  }

  /** How many previous secrets verify() also tries. */
  get previousCount () {
    return native.signerPreviousCount(this.#h)
  }

  get [Symbol.toStringTag] () {
    return 'Signer'
  }

  toJSON () {
    return { scheme: this.scheme, previousSecrets: this.previousCount }
  }

  [inspectCustom] (depth, options, inspect) {
    const body = { scheme: this.scheme, previousSecrets: this.previousCount }
    return `Signer ${inspect ? inspect(body, options) : JSON.stringify(body)}`
  }
}

module.exports = { Signer, UserhashError, ERROR_CODES }
