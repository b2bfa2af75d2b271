// Types for `userhash/express`. Structural request/response types, so this file
// needs no @types/express; an Express app's (req, res, next) fits them.
import { Signer, Input, Scheme, Secret, EmbedOptions } from './userhash'

export { Signer }

/** One chat widget: either a ready Signer, or how to build one. */
export type Widget<User = any> = (
  | { signer: Signer }
  | { preset: Scheme; secret: Secret; previous?: readonly Secret[] }
  | { preset: Scheme; secretEnv: string; previousVars?: readonly string[] }
) & {
  /** The sign input for a user (default: each field the scheme reads, taken from the user). */
  identity?: (user: User, req: any) => Input
  /**
   * `signer.embed` options for this widget's snippet (`{widget, form, origin, …}`), or a
   * function returning them per request. Without it, `snippet` is null.
   */
  embed?: EmbedOptions | ((user: User, req: any) => EmbedOptions)
}

export interface UserhashOptions<User = any> {
  widgets: Record<string, Widget<User>>
  /** The logged-in user, or null/undefined when anonymous. Default: `req.user`. */
  user?: (req: any) => User | null | undefined
  /** The `res.locals` key to fill. Default: `'userhash'`. */
  local?: string
  /** The response's CSP nonce, put on the snippets' script tags. Default: `res.locals.cspNonce`. */
  nonce?: (req: any, res: { locals: Record<string, any> }) => string | null | undefined
  /** Called for a signing error; the widget is then `null` for this request. Default: `next(err)`. */
  onError?: (err: unknown, context: { widget: string; req: any }) => void
}

/** What a template gets per widget (null when nobody is logged in). */
export interface SignedIdentity {
  /**
   * 64 lowercase hex digits. With `embed`, made when first read (a token preset's
   * snippet carries its token, and reading `hash` throws: call `signer.token`).
   */
  readonly hash: string
  /** The identity that was signed (what the widget snippet is given). */
  input: Input
  /**
   * The vendor's snippet (`signer.embed(input, options)` with the widget's `embed`
   * options and the response's nonce): HTML to insert unescaped. Null without `embed`.
   */
  snippet: string | null
  /** Renders the snippet with more options merged in, e.g. `{ form: 'identify' }`. */
  embed(options?: Partial<EmbedOptions>): string
}

export type UserhashLocals = Record<string, SignedIdentity | null>

/** Express middleware filling `res.locals[local]` with a {@link SignedIdentity} per widget. */
export declare function userhash<User = any>(
  options: UserhashOptions<User>
): (req: any, res: { locals: Record<string, any> }, next: (err?: unknown) => void) => void
