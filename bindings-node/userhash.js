'use strict'
// userhash for Node.js: the public API over the native addon (index.js, generated
// by napi-rs). This file only shapes arguments and errors; every canonicalization
// rule lives in the Rust core.

const native = require('./index.js')

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
function visitorJson (v, from) {
  if (v === null || typeof v !== 'object') return undefined
  const payload = Array.isArray(v) || v instanceof Date
    ? v
    : { name: v.name, email: v.email, data: v.data }
  let text
  try {
    text = JSON.stringify(payload)
  } catch (e) {
    // Only JSON.stringify's own complaints become userhash errors; anything a
    // getter or toJSON threw propagates unchanged.
    if (e instanceof TypeError && /BigInt/.test(e.message)) {
      fail('invalid_input', 'visitor: BigInt is not a JSON value', from)
    }
    if (e instanceof TypeError && /circular structure/i.test(e.message)) {
      fail('invalid_input', 'visitor: circular structure is not a JSON value', from)
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      fail('too_deep', 'visitor: nesting deeper than 128 levels', from)
    }
    throw e
  }
  if (text === undefined) fail('invalid_input', 'visitor: toJSON() returned no JSON value', from)
  return text
}

// Calls native sign/verify/canonical with the input's first two keys and values
// read here (Object.keys is far cheaper than enumerating properties from Rust).
// With no keys or more than two, Rust enumerates the object itself.
const SIGN = 0
const VERIFY = 1
const CANONICAL = 2
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
    default: return native.canonical(h, input, vj, k0, v0, k1, v1)
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
