'use strict'
// signer.diagnose (docs/doctor.md): wrong hashes made here by Node's own stdlib — the
// code users really write (toLowerCase, trim, digest('base64'), JSON.stringify with
// indentation, a secret read with its newline, createHash instead of createHmac…) —
// must be named by their documented variant ids; then every case of the shared corpus
// tests/doctor/cases.json (made by real Python, Ruby, PHP, Go, Java and Node code).
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Signer } = require('..')

const SECRET = 'sk_node_doctor_4e1b'
const hmac = (key, msg) => crypto.createHmac('sha256', key).update(msg)
const hex = (key, msg) => hmac(key, msg).digest('hex')

// The variant ids docs/doctor.md documents (the first column of its tables).
const DOC = fs.readFileSync(path.join(__dirname, '../../docs/doctor.md'), 'utf8')
const DOCUMENTED = new Set([...DOC.matchAll(/^\| (`[a-z0-9_]+`(?:, `[a-z0-9_]+`)*) \|/gm)].flatMap((m) => m[1].split(', ').map((id) => id.slice(1, -1))))

const KEYS = ['matched', 'variant', 'explanation', 'expectedCanonical', 'expectedError', 'signedCanonical', 'firstDifference', 'mistakes', 'tried']

function diagnosed (signer, hash, input, variant, secrets) {
  const d = signer.diagnose(hash, input)
  assert.deepEqual(Object.keys(d).sort(), [...KEYS].sort())
  assert.equal(d.variant, variant, `${variant}: got ${d.variant} (${d.explanation})`)
  assert.equal(d.matched, true)
  assert.deepEqual(d.mistakes.map((m) => m.id).join('+'), variant)
  for (const s of secrets) assert.ok(!JSON.stringify(d).includes(s), 'the diagnosis shows the secret')
  return d
}

const visitor = { name: 'Zoë Martin', email: 'zoe@example.com', data: { plan: 'pro', seats: 3, tags: ['a', 'b'] } }
// The FluentBot snippet's message, and the visitor with more keys than it signs.
const fluent = (v) => JSON.stringify({ name: v.name, email: v.email, data: v.data ?? null })
const wholeVisitor = { id: 'v_1', ...visitor, locale: 'fr' }

// [variant, preset, input, the wrong hash (Node code), signer secret, signer options]
const HEX_SECRET = '6b1f9e2a0c4d8b7e3a5f1c2d9e0b4a67'
const B64_SECRET = Buffer.from('node doctor base64 key').toString('base64')
const email = 'Alice@Example.COM'
const spaced = '  Alice@Example.COM \t'
const CASES = [
  ['js_lowercase', 'layerup', { email }, hex(SECRET, email.toLowerCase())],
  ['js_trim', 'layerup', { email: spaced }, hex(SECRET, spaced.trim())],
  ['js_trim_lowercase', 'layerup', { email: spaced }, hex(SECRET, spaced.trim().toLowerCase())],
  ['as_is', 'ensoras', { email }, hex(SECRET, email)],
  ['signed_email', 'intercom', { user_id: 'usr_42', email: 'alice@example.com' }, hex(SECRET, 'alice@example.com')],
  ['base64', 'layerup', { email }, hmac(SECRET, email).digest('base64')],
  ['uppercase_hex', 'layerup', { email }, hex(SECRET, email).toUpperCase()],
  ['pretty_json', 'fluentbot', { visitor }, hex(SECRET, JSON.stringify({ name: visitor.name, email: visitor.email, data: visitor.data }, null, 2))],
  ['whole_visitor', 'fluentbot', { visitor: wholeVisitor }, hex(SECRET, JSON.stringify(wholeVisitor))],
  ['secret_trailing_newline', 'layerup', { email }, hex(SECRET + '\n', email)],
  ['secret_trailing_newline', 'fluentbot', { visitor }, hex(`${SECRET}\n`, fluent(visitor))],
  ['secret_trailing_crlf', 'inviaro', { user_id: 'usr_42' }, hex(SECRET + '\r\n', 'usr_42')],
  ['secret_quoted', 'layerup', { email }, hex(JSON.stringify(SECRET), email)],
  ['secret_trailing_newline+uppercase_hex', 'layerup', { email }, hex(SECRET + '\n', email).toUpperCase()],
  ['sha256_concat', 'layerup', { email }, crypto.createHash('sha256').update(SECRET + email).digest('hex')],
  ['sha256_concat_reversed', 'layerup', { email }, crypto.createHash('sha256').update(email + SECRET).digest('hex')],
  ['key_message_swapped', 'layerup', { email }, hex(email, SECRET)],
  ['secret_hex_decoded', 'layerup', { email }, hex(Buffer.from(HEX_SECRET, 'hex'), email), HEX_SECRET],
  ['secret_base64_decoded', 'layerup', { email }, hex(Buffer.from(B64_SECRET, 'base64'), email), B64_SECRET],
  ['id_leading_zeros', 'inviaro', { user_id: '00123' }, hex(SECRET, String(parseInt('00123', 10)))],
  ['id_json_quoted', 'inviaro', { user_id: 'usr_42' }, hex(SECRET, String(JSON.stringify('usr_42')))],
  ['id_float', 'inviaro', { user_id: 123 }, hex(SECRET, (123).toFixed(1))],
  ['previous_secret', 'layerup', { email }, hex('sk_node_old_secret', email), SECRET, { previous: ['sk_node_old_secret'] }]
]

test('the variants tested here are the documented ones', () => {
  assert.ok(DOCUMENTED.size > 30, `read ${DOCUMENTED.size} variant ids from docs/doctor.md`)
  for (const [variant] of CASES) for (const id of variant.split('+')) assert.ok(DOCUMENTED.has(id), id)
})

for (const [variant, preset, input, hash, secret = SECRET, options] of CASES) {
  test(`diagnose names ${variant} (${preset}, made by node:crypto)`, () => {
    const signer = new Signer(secret, preset, options)
    // The hash is really wrong: the right one is what the vendor snippet makes.
    assert.notEqual(hash, signer.sign(input))
    const d = diagnosed(signer, hash, input, variant, [secret, ...(options?.previous ?? [])])
    assert.equal(d.expectedCanonical, signer.canonical(input))
    // The first differing byte of the two canonical strings, as Buffer sees them.
    const [a, b] = [d.expectedCanonical, d.signedCanonical ?? d.expectedCanonical].map((s) => Buffer.from(s))
    const at = a.equals(b) ? null : [...a, null].findIndex((x, i) => x !== (i < b.length ? b[i] : null))
    assert.equal(d.firstDifference, at)
  })
}

test('what was signed and where it differs', () => {
  const signer = new Signer(SECRET, 'ensoras')
  const d = signer.diagnose(hex(SECRET, email), { email })
  assert.equal(d.expectedCanonical, 'alice@example.com')
  assert.equal(d.signedCanonical, email)
  assert.equal(d.firstDifference, 0)
  assert.equal(typeof d.explanation, 'string')
  assert.ok(d.tried >= 1)
})

test('a random hash matches nothing; the right hash is no mistake', () => {
  for (const [preset, input] of [['layerup', { email }], ['fluentbot', { visitor }], ['inviaro', { user_id: 7 }]]) {
    const signer = new Signer(SECRET, preset)
    const d = signer.diagnose(crypto.randomBytes(32).toString('hex'), input)
    assert.equal(d.matched, false)
    assert.equal(d.variant, 'none')
    assert.deepEqual(d.mistakes, [])
    assert.equal(d.signedCanonical, null)
    assert.ok(d.explanation.length > 20)
    assert.ok(!JSON.stringify(d).includes(SECRET))
  }
  throws(() => new Signer(SECRET, 'layerup').diagnose(42, { email }))
})

function throws (fn) {
  assert.throws(fn, (e) => e.code === 'invalid_input' && !e.message.includes(SECRET))
}

// The shared corpus (tests/doctor/README.md).
const CORPUS = path.join(__dirname, '../../tests/doctor/cases.json')
const corpus = fs.existsSync(CORPUS) ? JSON.parse(fs.readFileSync(CORPUS, 'utf8')) : null
test('the shared doctor corpus', { skip: corpus ? false : `${CORPUS} does not exist yet` }, (t) => {
  assert.equal(corpus.version, 1)
  assert.ok(corpus.cases.length > 0)
  const wrong = []
  for (const c of corpus.cases) {
    const signer = new Signer(c.secret, c.preset, { ...c.signer_options, previous: c.previous ?? [] })
    const d = signer.diagnose(c.hash, c.input)
    if (!d.matched || d.variant !== c.variant) wrong.push(`${c.id} (${c.made_by}): want ${c.variant}, got ${d.variant}`)
    for (const s of [c.secret, ...(c.previous ?? [])]) assert.ok(!JSON.stringify(d).includes(s), `${c.id}: the diagnosis shows the secret`)
  }
  assert.deepEqual(wrong, [])
  t.diagnostic(`${corpus.cases.length} corpus cases diagnosed`)
})
