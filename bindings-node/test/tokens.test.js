'use strict'
// signer.token / signer.verifyToken (docs/tokens.md): every row of the shared token
// vectors (made by npm jsonwebtoken: tests/oracle/tokens/generate.js) byte for byte,
// and both directions against jsonwebtoken itself — it verifies our tokens, we verify
// the tokens it signs (and give its bad ones our stable codes).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const jwt = require('jsonwebtoken')
const userhash = require('..')
const { Signer, UserhashError } = userhash

const VECTORS = JSON.parse(fs.readFileSync(path.join(__dirname, '../../tests/tokens/vectors.json'), 'utf8'))
const NOW = 1700000000

function throwsCode (fn, code) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof UserhashError, `expected a UserhashError, got ${e && e.stack}`)
    assert.equal(e.code, code, e.message)
    assert.ok(e instanceof userhash[code.replace(/(?:^|_)(.)/g, (_, c) => c.toUpperCase()) + 'Error'])
    return true
  })
}

// The claims of a token, decoded here with Buffer (not by userhash).
const payload = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))

test('the vectors file has every kind of row', () => {
  assert.equal(VECTORS.version, 1)
  const kinds = new Set(VECTORS.tokens.map((r) => ('token' in r ? 'token' : 'verify' in r ? 'verify' : 'sign') + ('error' in r ? '-error' : '')))
  assert.deepEqual([...kinds].sort(), ['sign-error', 'token', 'verify', 'verify-error'])
})

for (const row of VECTORS.tokens) {
  test(`token vector ${row.id}`, () => {
    const signer = new Signer(row.secret, row.preset)
    if ('token' in row) {
      const token = signer.token(row.input, row.options)
      assert.equal(token, row.token)
      assert.deepEqual(payload(token), row.claims)
      assert.deepEqual(signer.verifyToken(token, { now: row.options.now }), row.claims)
    } else if ('verify' in row) {
      if ('error' in row) throwsCode(() => signer.verifyToken(row.verify, row.verify_options), row.error)
      else assert.deepEqual(signer.verifyToken(row.verify, row.verify_options), row.claims)
    } else {
      throwsCode(() => signer.token(row.input, row.options), row.error)
    }
  })
}

// One token per token preset, with what each needs.
const CASES = [
  ['zendesk', { external_id: 42, name: 'Ann', email: 'ann@example.com' }, { kid: 'app_1', ttl: 600, claims: { email_verified: true } }],
  ['drift', { user_id: 'usr_7' }, { ttl: 300 }],
  ['intercom_jwt', { user_id: 'usr_42', email: 'a@b.c', name: 'Zoë' }, { claims: { plan: 'pro' } }],
  ['kustomer', { external_id: 'x-1', email: 'k@x.io' }, {}],
  ['featurebase_jwt', { email: 'f@x.io' }, { claims: { locale: 'fr' } }],
  ['canny_sso', { user_id: 'u1', email: 'c@x.io', name: 'C' }, { claims: { avatarURL: 'https://x/y.png' } }]
]

test('jsonwebtoken.verify accepts our tokens (kid header where given)', () => {
  const secret = 's3cr3t-token-secret'
  for (const [preset, input, options] of CASES) {
    const token = new Signer(secret, preset).token(input, { ...options, now: NOW })
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'], clockTimestamp: NOW + 1 })
    assert.equal(claims.iat, NOW, preset)
    if (options.ttl) assert.equal(claims.exp, NOW + options.ttl, preset)
    const { header } = jwt.decode(token, { complete: true })
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) }, preset)
    // jsonwebtoken refuses it under another secret and once expired.
    assert.throws(() => jwt.verify(token, 'another', { algorithms: ['HS256'] }), jwt.JsonWebTokenError)
    if (options.ttl) assert.throws(() => jwt.verify(token, secret, { clockTimestamp: NOW + options.ttl + 1 }), jwt.TokenExpiredError)
  }
  // Ids are strings in the token: what jsonwebtoken reads back.
  assert.equal(jwt.decode(new Signer(secret, 'zendesk').token({ external_id: 42 }, { kid: 'k', now: NOW })).external_id, '42')
  // The clock: without `now`, iat is about now.
  const iat = jwt.verify(new Signer(secret, 'drift').token({ user_id: 'x' }), secret).iat
  assert.ok(Math.abs(iat - Date.now() / 1000) < 60)
})

test('we verify the tokens jsonwebtoken.sign makes', () => {
  const secret = 'jwt-lib-secret'
  const drift = new Signer(secret, 'drift')
  const token = jwt.sign({ sub: 'usr_9', plan: 'pro' }, secret, { algorithm: 'HS256', expiresIn: 600 })
  assert.deepEqual(drift.verifyToken(token), jwt.decode(token))
  const fixed = jwt.sign({ sub: 'usr_9', iat: NOW }, secret, { expiresIn: 60 })
  assert.deepEqual(drift.verifyToken(fixed, { now: NOW + 30 }), { sub: 'usr_9', iat: NOW, exp: NOW + 60 })
  // kid: picks the secret among the current and previous ones.
  const zendesk = new Signer('new-secret', 'zendesk', { previous: ['old-secret'] })
  const byKid = (key, kid) => jwt.sign({ scope: 'user', external_id: '42', iat: NOW }, key, { keyid: kid })
  assert.equal(zendesk.verifyToken(byKid('old-secret', 'app_old'), { now: NOW, kids: ['app_new', 'app_old'] }).external_id, '42')
  assert.equal(zendesk.verifyToken(byKid('new-secret', 'app_new'), { now: NOW, kids: ['app_new', 'app_old'] }).external_id, '42')
  throwsCode(() => zendesk.verifyToken(byKid('old-secret', 'app_new'), { now: NOW, kids: ['app_new', 'app_old'] }), 'bad_signature')
  throwsCode(() => zendesk.verifyToken(byKid('new-secret', 'app_x'), { now: NOW, kids: ['app_new', 'app_old'] }), 'unknown_kid')
})

test("jsonwebtoken's bad tokens get our stable codes", () => {
  const secret = 'jwt-lib-secret'
  const drift = new Signer(secret, 'drift')
  const expired = jwt.sign({ sub: 'x', iat: NOW - 7200, exp: NOW - 3600 }, secret)
  throwsCode(() => drift.verifyToken(expired, { now: NOW }), 'token_expired')
  assert.throws(() => jwt.verify(expired, secret, { clockTimestamp: NOW }), jwt.TokenExpiredError)
  // Within the leeway it is still good, for both.
  const justExpired = jwt.sign({ sub: 'x', iat: NOW - 100, exp: NOW - 10 }, secret)
  assert.equal(drift.verifyToken(justExpired, { now: NOW, leeway: 30 }).sub, 'x')
  assert.equal(jwt.verify(justExpired, secret, { clockTimestamp: NOW, clockTolerance: 30 }).sub, 'x')
  throwsCode(() => drift.verifyToken(justExpired, { now: NOW, leeway: 0 }), 'token_expired')
  const early = jwt.sign({ sub: 'x', iat: NOW, nbf: NOW + 3600 }, secret)
  throwsCode(() => drift.verifyToken(early, { now: NOW }), 'token_not_yet_valid')
  throwsCode(() => drift.verifyToken(jwt.sign({ sub: 'x', iat: NOW }, 'wrong'), { now: NOW }), 'bad_signature')
  throwsCode(() => drift.verifyToken(jwt.sign({ sub: 'x', iat: NOW }, undefined, { algorithm: 'none' }), { now: NOW }), 'invalid_token')
  throwsCode(() => drift.verifyToken(jwt.sign({ sub: 'x', iat: NOW }, secret, { algorithm: 'HS512' }), { now: NOW }), 'invalid_token')
  throwsCode(() => drift.verifyToken(jwt.sign({ sub: 'x', iat: NOW }, secret, { algorithm: 'HS384' }), { now: NOW }), 'invalid_token')
  const good = jwt.sign({ sub: 'x', iat: NOW }, secret)
  throwsCode(() => drift.verifyToken(good.slice(0, -3), { now: NOW }), 'bad_signature')
  throwsCode(() => drift.verifyToken(good.split('.').slice(0, 2).join('.'), { now: NOW }), 'invalid_token')
  throwsCode(() => drift.verifyToken(good + '.x', { now: NOW }), 'invalid_token')
  throwsCode(() => drift.verifyToken('x'.repeat(9000), { now: NOW }), 'invalid_token')
  throwsCode(() => drift.verifyToken(jwt.sign({ iat: NOW }, secret), { now: NOW }), 'invalid_token')
})

test('bad arguments name the bad value, never the secret', () => {
  const secret = 'never-shown-secret'
  const drift = new Signer(secret, 'drift')
  for (const [fn, code] of [
    [() => drift.verifyToken(42), 'invalid_input'],
    [() => drift.token({ user_id: true }, { now: NOW }), 'invalid_input'],
    [() => drift.token({ user_id: 'x' }, { ttl: 'soon' }), 'invalid_input'],
    [() => new Signer(secret, 'layerup').token({ email: 'a@b' }), 'invalid_input']
  ]) {
    throwsCode(fn, code)
    try { fn() } catch (e) { assert.ok(!String(e.message).includes(secret) && !String(e.stack).includes(secret)) }
  }
})
