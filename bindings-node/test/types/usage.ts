// Compiled with `tsc --noEmit -p test/types`: proves the published typings
// (userhash.d.ts, express.d.ts) accept real usage and reject mistakes.
import { Signer, UserhashError, EmptyIdentityError, ERROR_CODES, PRESETS, FIELDS, OPERATIONS, MAX_DEPTH, VERSION, type ErrorCode, type Input } from 'userhash'
import { userhash, type SignedIdentity, type UserhashLocals } from 'userhash/express'

const signer = new Signer('s3cr3t', 'ensoras')
const fromBytes = new Signer(Buffer.from('s3cr3t'), 'layerup', { previous: ['old', new Uint8Array([1])] })
const custom = new Signer('s3cr3t', 'email:trim_lowercase')
const fromEnv: Signer = Signer.fromEnv('ENSORAS_WIDGET_SECRET', 'ensoras', { previousVars: ['OLD'] })

const hash: string = signer.sign({ email: 'Alice@Example.COM' })
const ok: boolean = signer.verify(hash, { email: 'Alice@Example.COM' })
const canonical: string = custom.canonical({ email: ' a@b ' })
const scheme: string = fromEnv.scheme
const n: number = fromBytes.previousCount
const json: { scheme: string; previousSecrets: number } = signer.toJSON()

new Signer('k', 'inviaro').sign({ user_id: 42 })
new Signer('k', 'inviaro').sign({ userId: 12345678901234567890n })
new Signer('k', 'supportwire').sign({ external_id: null, email: 'a@b' })
new Signer('k', 'fluentbot').sign({ visitor: { name: 'A', email: null, data: { at: new Date().toISOString(), tags: ['x'], n: null } } })
// @ts-expect-error: a Date is not plain data (the core refuses it)
new Signer('k', 'fluentbot').sign({ visitor: { data: { at: new Date() } } })
new Signer('00ff', 'layerup', { secret_encoding: 'hex', previous: ['ab'] })
const fields: string[] = new Signer('k', 'inviaro').fields
const lists: readonly string[][] = [[...PRESETS], [...FIELDS], [...OPERATIONS]]
const depth: number = MAX_DEPTH
const version: string = VERSION
const diagnosis = new Signer('k', 'ensoras').call('diagnose', { email: 'a@b' }, { hash: '0'.repeat(64) })

const input: Input = { email: 'a@b' }
signer.sign(input)

try {
  signer.sign({ email: '' })
} catch (e) {
  if (e instanceof UserhashError) {
    const code: ErrorCode = e.code
    const message: string = e.message
    const where: string | null = e.path
    const item: number | null = e.item
    if (code === 'empty_identity') console.log(message, where, item)
  }
  if (e instanceof EmptyIdentityError) console.log(e.code)
}
const codes: readonly ErrorCode[] = ERROR_CODES

// @ts-expect-error: unknown field
signer.sign({ mail: 'a@b' })
// @ts-expect-error: email must be a string
signer.sign({ email: 42 })
// @ts-expect-error: a secret is a string or bytes
new Signer(42, 'ensoras')
// @ts-expect-error: verify takes the hash first
signer.verify({ email: 'a@b' })
// @ts-expect-error: error codes are a closed set
const wrong: ErrorCode = 'bad_code'

// Express: structural types, usable with any (req, res, next).
type User = { email: string; name: string; id: number }
const middleware = userhash<User>({
  widgets: {
    support: { preset: 'ensoras', secretEnv: 'ENSORAS_WIDGET_SECRET' },
    chat: { signer: new Signer('k', 'fluentbot'), identity: (u) => ({ visitor: { name: u.name, email: u.email } }) },
    tickets: { preset: 'inviaro', secret: 'k', identity: (u) => ({ user_id: u.id }) }
  },
  user: (req) => req.user,
  onError: (err, { widget }) => console.error(widget, err)
})
const locals: { locals: Record<string, any> } = { locals: {} }
middleware({}, locals, () => {})
const support: SignedIdentity | null = (locals.locals.userhash as UserhashLocals).support
if (support) console.log(support.hash, support.input.email)

// @ts-expect-error: a widget needs a signer or a preset + secret
userhash({ widgets: { x: { identity: () => ({ email: 'a' }) } } })

// Batches and embeds.
const many: string[] = new Signer('k', 'inviaro').signMany([1, 'usr_2', 3n])
const sw: string[] = new Signer('k', 'supportwire').signMany(['a@b'], { field: 'email' })
const later: Promise<string[]> = new Signer('k', 'fluentbot').signManyAsync([{ name: 'A', data: { x: 1 } }])
const snippet: string = signer.embed({ email: 'a@b' }, { widget: 'acme', nonce: 'n0nce' })
new Signer('k', 'inviaro').embed({ user_id: 7 }, { widget: 'w', form: 'identify', name: 'Ann', origin: null })
new Signer('k', 'supportwire').embed({ email: 'a@b' }, { widget: 'w', data: { plan: 'Pro' } })
// @ts-expect-error: widget is required
signer.embed({ email: 'a@b' }, { form: 'script' })
// @ts-expect-error: not a form
signer.embed({ email: 'a@b' }, { widget: 'w', form: 'iframe' })
// @ts-expect-error: not a field
signer.signMany(['a'], { field: 'mail' })
userhash<User>({
  widgets: { s: { preset: 'ensoras', secret: 'k', embed: { widget: 'acme' } }, t: { preset: 'layerup', secret: 'k', embed: (u) => ({ widget: String(u.id), form: 'url' }) } },
  nonce: (req, res) => res.locals.cspNonce
})
if (support) {
  const html: string | null = support.snippet
  const identify: string = support.embed({ form: 'identify' })
  console.log(html, identify)
}

export { hash, ok, canonical, scheme, n, json, codes, wrong, many, sw, later, snippet, fields, lists, depth, version, diagnosis }

// Tokens and the doctor (docs/tokens.md, docs/doctor.md).
const zendesk = new Signer('s3cr3t', 'zendesk')
const jwt: string = zendesk.token({ external_id: 42, name: 'Ann' }, { kid: 'app_1', ttl: 600, now: 1700000000, claims: { email_verified: true } })
const claims = zendesk.verifyToken(jwt, { now: 1700000100, leeway: 5, kids: ['app_1'] })
const exp: number | undefined = claims.exp
const d = signer.diagnose('0'.repeat(64), { email: 'a@b' })
const matched: boolean = d.matched
const variant: string = d.variant
const at: number | null = d.firstDifference
const ids: string[] = d.mistakes.map((m) => m.id)
// @ts-expect-error: ttl is a number of seconds
zendesk.token({ external_id: 1 }, { ttl: '10m' })
// @ts-expect-error: kids is a list of key ids
zendesk.verifyToken(jwt, { kids: 'app_1' })
