// Types for the `userhash` package (userhash.js). The native addon's own generated
// typings are in index.d.ts. The lists below (codes, presets, error classes) mirror the
// Rust core's; test/stubs.test.js fails when they drift from what the package exports.

/** The stable error codes, the same in every userhash language binding. */
export type ErrorCode =
  | 'empty_secret'
  | 'empty_identity'
  | 'invalid_input'
  | 'invalid_json'
  | 'invalid_utf8'
  | 'too_deep'
  | 'unknown_preset'
  | 'invalid_token'
  | 'bad_signature'
  | 'unknown_kid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'invalid_secret'

/** Every code, in the core's order. */
export declare const ERROR_CODES: readonly ErrorCode[]
/** Every preset name the core knows. */
export declare const PRESETS: readonly string[]
/** Every sign-call field name the core knows (aliases such as `userId` are accepted too). */
export declare const FIELDS: readonly string[]
/** The operations {@link Signer.call} runs. */
export declare const OPERATIONS: readonly string[]
/** The deepest nesting of a JSON payload the core signs (the payload object is level 1). */
export declare const MAX_DEPTH: number
/** The core's version. */
export declare const VERSION: string

/**
 * Every failure userhash reports (a wrong argument type is a `TypeError` instead). Test
 * `err.code` or the class, never the message; the message is the core's, `item N: path: …`.
 */
export declare class UserhashError extends Error {
  readonly code: ErrorCode
  /** Where in the input (`visitor.data.created_at`), or null. */
  readonly path: string | null
  /** The batch item index (signMany), or null. */
  readonly item: number | null
  name: string
  constructor(code: ErrorCode, message: string, path?: string | null, item?: number | null)
}

// One class per code, made from the core's list when the package loads.
/** `empty_secret` */ export declare class EmptySecretError extends UserhashError {}
/** `empty_identity` */ export declare class EmptyIdentityError extends UserhashError {}
/** `invalid_input` */ export declare class InvalidInputError extends UserhashError {}
/** `invalid_json` */ export declare class InvalidJsonError extends UserhashError {}
/** `invalid_utf8` */ export declare class InvalidUtf8Error extends UserhashError {}
/** `too_deep` */ export declare class TooDeepError extends UserhashError {}
/** `unknown_preset` */ export declare class UnknownPresetError extends UserhashError {}
/** `invalid_token` */ export declare class InvalidTokenError extends UserhashError {}
/** `bad_signature` */ export declare class BadSignatureError extends UserhashError {}
/** `unknown_kid` */ export declare class UnknownKidError extends UserhashError {}
/** `token_expired` */ export declare class TokenExpiredError extends UserhashError {}
/** `token_not_yet_valid` */ export declare class TokenNotYetValidError extends UserhashError {}
/** `invalid_secret` */ export declare class InvalidSecretError extends UserhashError {}

/** A widget secret: a string (its UTF-8 bytes, or its text per `secret_encoding`) or raw bytes. */
export type Secret = string | Uint8Array

/** The seed vendor presets; PRESETS lists every one the core knows. */
export type Preset = 'layerup' | 'inviaro' | 'ensoras' | 'supportwire' | 'fluentbot'

/**
 * A preset, or a custom scheme spec `source[:transform]`, e.g. `'email:trim_lowercase'`
 * (sources: email, user_id, external_id_or_email, user_id_or_email, visitor_json;
 * transforms: as_is, lowercase, trim_lowercase).
 */
export type Scheme = Preset | (string & {})

/**
 * An id: a string as given, or an integer signed as its decimal text. A number must
 * be a safe integer (Number.isSafeInteger); a bigint of any size is accepted.
 */
export type Id = string | number | bigint

/**
 * Plain data, as JSON.stringify writes it: strings, numbers, booleans, null, arrays and
 * plain objects (`undefined` members are dropped). A `Date`, `Map`, `Set`, `BigInt`,
 * bytes, an object with `toJSON`, a class instance, a function or a symbol is refused
 * (`invalid_input` naming its path); a cycle or nesting past MAX_DEPTH is `too_deep`.
 */
export type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json }

/** The `fluentbot` visitor, signed as `JSON.stringify({name, email, data: data ?? null})`. */
export interface Visitor {
  name?: string | null
  email?: string | null
  data?: Json
}

/** The fields of one sign call; which ones a preset reads is `signer.fields`. */
export interface Input {
  /** layerup, ensoras, supportwire */
  email?: string
  /** inviaro */
  user_id?: Id
  /** Alias of user_id. */
  userId?: Id
  /** supportwire: signed instead of email when present and not null. */
  external_id?: Id | null
  /** Alias of external_id. */
  externalId?: Id | null
  /** fluentbot */
  visitor?: Visitor
  /** Token presets: the user's name claim. */
  name?: string | null
}

/** One value of a signMany batch: an email, an id, or a visitor, per the field. */
export type BatchValue = string | number | bigint | Visitor

export interface SignManyOptions {
  /** The field every value fills (`userId`/`externalId` accepted). Default: the scheme's own. */
  field?: 'email' | 'user_id' | 'userId' | 'external_id' | 'externalId' | 'visitor'
}

/** `signer.embed` options (docs/embed.md). */
export interface EmbedOptions {
  /** Layerup data-widget-key, Inviaro key, Ensoras slug, SupportWire widgetSlug, FluentBot bot id. */
  widget: string
  /** `'script'` (default), `'url'` (Layerup webview), `'identify'` (Inviaro, Ensoras). */
  form?: 'script' | 'url' | 'identify' | null
  /** CSP nonce, written on every `<script>` tag (form `script`). */
  nonce?: string | null
  /** inviaro: InviaroSettings.origin. */
  origin?: string | null
  /** inviaro: userName / name. */
  name?: string | null
  /** inviaro: userEmail / email. */
  email?: string | null
  /** supportwire: userData, plain data (as a FluentBot data). */
  data?: { [key: string]: Json } | null
  /** The other vendors' options (docs/embed.md). */
  [option: string]: Json
}

/** `signer.token` options (docs/tokens.md). */
export interface TokenOptions {
  /** The header's key id (required by zendesk). */
  kid?: string | null
  /** Seconds until `exp` (> 0); without it the token has no `exp`. */
  ttl?: number | null
  /** `iat`, in unix seconds (default: the clock). */
  now?: number | null
  /** Extra claims the preset allows (`iat`, `exp`, `nbf`, `jti` are refused). */
  claims?: { [claim: string]: Json } | null
}

/** `signer.verifyToken` options (docs/tokens.md). */
export interface VerifyTokenOptions {
  /** The time checked against `exp`/`nbf`/`iat`, in unix seconds (default: the clock). */
  now?: number | null
  /** Seconds of clock skew allowed (default 60). */
  leeway?: number | null
  /** Key ids of the current and each previous secret, in order: a token's `kid` picks its secret. */
  kids?: readonly string[] | null
}

/** The claims of a verified token. */
export interface Claims {
  iat?: number
  exp?: number
  nbf?: number
  [claim: string]: Json | undefined
}

/** One mistake of a diagnosis. */
export interface Mistake {
  /** Its stable id (docs/doctor.md). */
  id: string
  /** One line naming the language or function responsible. */
  explanation: string
}

/** What `signer.diagnose` found (docs/doctor.md). Never contains the secret. */
export interface Diagnosis {
  /** True when a known mistake (or a combination) reproduces the hash. */
  matched: boolean
  /** The variant id (`python_strip_lower`, `secret_trailing_newline+uppercase_hex`…), `'none'` when unmatched. */
  variant: string
  /** What the mistake was, or what an unmatched hash usually means. */
  explanation: string
  /** The canonical string the preset signs (null when the input cannot be signed). */
  expectedCanonical: string | null
  /** Why the input cannot be signed as given, or null. */
  expectedError: string | null
  /** The bytes that were evidently signed, or null. */
  signedCanonical: string | null
  /** The first byte where the two differ, or null. */
  firstDifference: number | null
  /** The mistakes of the variant, in order. */
  mistakes: Mistake[]
  /** How many candidates were tried. */
  tried: number
}

export interface SignerOptions {
  /** Older secrets that verify() still accepts during a rotation (sign() never uses them). */
  previous?: readonly Secret[]
  /** How the secret string is read: `'raw'` (its UTF-8 bytes), `'hex'` or `'base64'`. */
  secret_encoding?: 'raw' | 'hex' | 'base64'
  /** Any other option goes to the core, which refuses the ones it does not know. */
  [option: string]: unknown
}

export interface FromEnvOptions {
  /** Environment variables holding older secrets that verify() still accepts. */
  previousVars?: readonly string[]
  /** How the secret is read: `'raw'` (its UTF-8 bytes), `'hex'` or `'base64'`. */
  secret_encoding?: 'raw' | 'hex' | 'base64'
  /** Any other option goes to the core, which refuses the ones it does not know. */
  [option: string]: unknown
}

/**
 * Signs identities for one widget. Build it once (at startup) and reuse it: the
 * HMAC key state is prepared once. The secret stays in native memory and never
 * appears in `util.inspect`, `JSON.stringify`, `String()` or error messages.
 *
 * @throws {UserhashError} `empty_secret`, `unknown_preset`, `invalid_secret`, `invalid_input`
 * @throws {TypeError} a secret that is not a string or bytes, a preset that is not a string
 */
export declare class Signer {
  constructor(secret: Secret, preset: Scheme, options?: SignerOptions)

  /**
   * A signer whose secret is read from the environment variable `name`.
   * @throws {UserhashError} `empty_secret` (unset or empty variable, named in the message)
   */
  static fromEnv(name: string, preset: Scheme, options?: FromEnvOptions): Signer

  /**
   * The lowercase hex HMAC-SHA256 (64 digits) of the canonical identity.
   * @throws {UserhashError} `invalid_input`, `empty_identity`, `too_deep`
   */
  sign(input: Input): string

  /**
   * True when `hash` is the signature of `input` under the current or a previous
   * secret (constant-time). A hash that is not 64 lowercase hex digits is `false`.
   * @throws {UserhashError} for a bad input, as sign()
   */
  verify(hash: string, input: Input): boolean

  /**
   * The exact string that gets signed, for debugging a mismatch with a vendor.
   * @throws {UserhashError} as sign()
   */
  canonical(input: Input): string

  /**
   * Signs many values of one field at once, in order: `values[i]` is put in
   * `options.field` (default: the scheme's own). Large batches use every core.
   * Synchronous: the event loop waits while it runs (see {@link signManyAsync}).
   * @throws {UserhashError} for the first bad item: `item` is its index
   */
  signMany(values: readonly BatchValue[], options?: SignManyOptions): string[]

  /**
   * {@link signMany} with the hashing on the libuv thread pool: the values are read
   * before it returns; the promise resolves to the hashes.
   * @throws {UserhashError} (as a rejection) as signMany throws
   */
  signManyAsync(values: readonly BatchValue[], options?: SignManyOptions): Promise<string[]>

  /**
   * The vendor's embed snippet for `input` (the input of sign()), with the identity
   * signed and every value escaped for the place it lands (docs/embed.md).
   * @throws {UserhashError} `invalid_input` (options; a custom scheme), and as sign()
   */
  embed(input: Input, options: EmbedOptions): string

  /**
   * An HS256 JWT for `input` (docs/tokens.md), the bytes `jsonwebtoken` writes; for the
   * token presets (`zendesk`, `drift`, `intercom_jwt`…).
   * @throws {UserhashError} `invalid_input` (a missing or mistyped claim, a bad option), `empty_identity`
   */
  token(input: Input, options?: TokenOptions): string

  /**
   * The claims of `token` when one of this signer's secrets signed it (HS256 only) and
   * it is valid at `now`.
   * @throws {UserhashError} `invalid_token`, `bad_signature`, `unknown_kid`, `token_expired`, `token_not_yet_valid`
   */
  verifyToken(token: string, options?: VerifyTokenOptions): Claims

  /**
   * Why `hash` does not match `input`: the known mistake (another field, another
   * language's lowercase or trim, a JSON serializer, a secret with a newline,
   * uppercase hex…) that reproduces it, or `matched: false` (docs/doctor.md).
   * @throws {UserhashError} `invalid_input` (a hash that is not a string)
   */
  diagnose(hash: string, input: Input): Diagnosis

  /**
   * Runs an operation of the core by name (one of {@link OPERATIONS}, e.g. `token`,
   * `verify_token`, `diagnose`) on `input` with `args`; returns its result as JSON data.
   */
  call(operation: string, input: Input | undefined, args?: { [key: string]: Json }): Json

  /** The preset name or scheme spec. */
  readonly scheme: string
  /** How many previous secrets verify() also tries. */
  readonly previousCount: number
  /** The input fields the scheme reads (from the core). */
  readonly fields: string[]

  /** `{scheme, previousSecrets}` — never the secret. */
  toJSON(): { scheme: string; previousSecrets: number }
}
