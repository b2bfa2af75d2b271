// Types for the `userhash` package (userhash.js). The native addon's own
// generated typings are in index.d.ts.

/** The stable error codes, the same in every userhash language binding. */
export type ErrorCode =
  | 'empty_secret'
  | 'empty_identity'
  | 'invalid_input'
  | 'invalid_json'
  | 'invalid_utf8'
  | 'too_deep'
  | 'unknown_preset'

/** Every code, in declaration order. */
export declare const ERROR_CODES: readonly ErrorCode[]

/** Every failure userhash reports. Test `err.code`, never the message. */
export declare class UserhashError extends Error {
  readonly code: ErrorCode
  name: string
  constructor(code: ErrorCode, message: string)
}

/** A widget secret: a string (its UTF-8 bytes are the key) or raw bytes. */
export type Secret = string | Uint8Array

/** The built-in vendor presets. */
export type Preset = 'layerup' | 'inviaro' | 'ensoras' | 'supportwire' | 'fluentbot'

/**
 * A preset, or a custom scheme spec `source[:transform]`, e.g. `'email:trim_lowercase'`
 * (sources: email, user_id, external_id_or_email, visitor_json; transforms: as_is,
 * lowercase, trim_lowercase).
 */
export type Scheme = Preset | (string & {})

/**
 * An id: a string as given, or an integer signed as its decimal text. A number must
 * be a safe integer (Number.isSafeInteger); a bigint of any size is accepted.
 */
export type Id = string | number | bigint

/**
 * The `fluentbot` visitor. It is signed as exactly
 * `JSON.stringify({name, email, data: data ?? null})`, so `data` may hold anything
 * JSON.stringify accepts (Dates become ISO strings, `undefined` is omitted…), except
 * BigInt and cycles (`invalid_input`) and nesting deeper than 128 levels (`too_deep`).
 */
export interface Visitor {
  name?: string | null
  email?: string | null
  data?: unknown
}

/** The fields of one sign call; which ones a preset needs is in the README. */
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
}

export interface SignerOptions {
  /** Older secrets that verify() still accepts during a rotation (sign() never uses them). */
  previous?: readonly Secret[]
}

export interface FromEnvOptions {
  /** Environment variables holding older secrets that verify() still accepts. */
  previousVars?: readonly string[]
}

/**
 * Signs identities for one widget. Build it once (at startup) and reuse it: the
 * HMAC key state is prepared once. The secret stays in native memory and never
 * appears in `util.inspect`, `JSON.stringify`, `String()` or error messages.
 *
 * @throws {UserhashError} `empty_secret`, `unknown_preset`, `invalid_input`
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

  /** The preset name or scheme spec. */
  readonly scheme: string
  /** How many previous secrets verify() also tries. */
  readonly previousCount: number

  /** `{scheme, previousSecrets}` — never the secret. */
  toJSON(): { scheme: string; previousSecrets: number }
}
