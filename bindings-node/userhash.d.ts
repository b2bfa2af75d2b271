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
  /** supportwire: userData, any JSON object (converted like a FluentBot data). */
  data?: Record<string, unknown> | null
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

  /**
   * Signs many values of one field at once, in order: `values[i]` is put in
   * `options.field` (default: the scheme's own — `email`, `user_id` or `visitor`;
   * `supportwire` needs `'external_id'` or `'email'`). Large batches use every core.
   * Synchronous: the event loop waits while it runs (see {@link signManyAsync}).
   * @throws {UserhashError} for the first bad item, its message starting `item <index>: `
   */
  signMany(values: readonly BatchValue[], options?: SignManyOptions): string[]

  /**
   * {@link signMany} with the hashing on the libuv thread pool: the values are read
   * (and visitors serialized) before it returns; the promise resolves to the hashes.
   * @throws {UserhashError} (as a rejection) as signMany throws
   */
  signManyAsync(values: readonly BatchValue[], options?: SignManyOptions): Promise<string[]>

  /**
   * The vendor's embed snippet for `input` (the input of sign()), with the identity
   * signed and every value escaped for the place it lands (docs/embed.md): a
   * `<script>` tag (form `script`), the Layerup webview URL (form `url`) or the
   * single-page-app call (form `identify`).
   * @throws {UserhashError} `invalid_input` (options; a custom scheme), and as sign()
   */
  embed(input: Input, options: EmbedOptions): string

  /** The preset name or scheme spec. */
  readonly scheme: string
  /** How many previous secrets verify() also tries. */
  readonly previousCount: number

  /** `{scheme, previousSecrets}` — never the secret. */
  toJSON(): { scheme: string; previousSecrets: number }
}
