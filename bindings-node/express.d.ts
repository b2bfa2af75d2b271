// Types for `userhash/express`. Structural request/response types, so this file
// needs no @types/express; an Express app's (req, res, next) fits them.
import { Signer, Input, Scheme, Secret } from './userhash'

export { Signer }

/** One chat widget: either a ready Signer, or how to build one. */
export type Widget<User = any> = (
  | { signer: Signer }
  | { preset: Scheme; secret: Secret; previous?: readonly Secret[] }
  | { preset: Scheme; secretEnv: string; previousVars?: readonly string[] }
) & {
  /** The sign input for a user (defaults per preset; required for custom schemes). */
  identity?: (user: User, req: any) => Input
}

export interface UserhashOptions<User = any> {
  widgets: Record<string, Widget<User>>
  /** The logged-in user, or null/undefined when anonymous. Default: `req.user`. */
  user?: (req: any) => User | null | undefined
  /** The `res.locals` key to fill. Default: `'userhash'`. */
  local?: string
  /** Called for a signing error; the widget is then `null` for this request. Default: `next(err)`. */
  onError?: (err: unknown, context: { widget: string; req: any }) => void
}

/** What a template gets per widget (null when nobody is logged in). */
export interface SignedIdentity {
  /** 64 lowercase hex digits. */
  hash: string
  /** The identity that was signed (what the widget snippet is given). */
  input: Input
}

export type UserhashLocals = Record<string, SignedIdentity | null>

/** Express middleware filling `res.locals[local]` with a {@link SignedIdentity} per widget. */
export declare function userhash<User = any>(
  options: UserhashOptions<User>
): (req: any, res: { locals: Record<string, any> }, next: (err?: unknown) => void) => void
