'use strict'
// API, error and JS-type tests for the Node binding. Expected hashes come from
// node:crypto running the vendors' snippets, never from userhash itself.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const util = require('node:util')
const userhash = require('..')
const { Signer, UserhashError, ERROR_CODES } = userhash

const hmac = (key, msg) => crypto.createHmac('sha256', key).update(msg, 'utf8').digest('hex')
// The FluentBot Node snippet's message.
const fluentbot = (v) => JSON.stringify({ name: v.name, email: v.email, data: v.data ?? null })

// The class of a code, by the documented rule: empty_identity → EmptyIdentityError.
const className = (code) => code.replace(/(?:^|_)(.)/g, (_, c) => c.toUpperCase()) + 'Error'

function throwsCode (fn, code, path) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof UserhashError, `expected a UserhashError, got ${e && e.stack}`)
    assert.ok(e instanceof Error)
    assert.equal(e.code, code, e.message)
    assert.equal(e.name, className(code))
    assert.ok(e instanceof userhash[className(code)])
    if (path !== undefined) assert.equal(e.path, path, e.message)
    return true
  })
}

const throwsType = (fn) => assert.throws(fn, TypeError)

test('Ensoras check value (secret s3cr3t, Alice@Example.COM)', () => {
  const s = new Signer('s3cr3t', 'ensoras')
  assert.equal(s.sign({ email: 'Alice@Example.COM' }), 'ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995')
  assert.equal(s.sign({ email: 'Alice@Example.COM' }), hmac('s3cr3t', 'Alice@Example.COM'.toLowerCase()))
  assert.equal(s.canonical({ email: 'Alice@Example.COM' }), 'alice@example.com')
})

test('every preset matches its vendor snippet', () => {
  const key = 'k3y'
  const email = ' Ünïcødé.İSTANBUL@Example.COM\u00a0'
  assert.equal(new Signer(key, 'layerup').sign({ email }), hmac(key, email))
  assert.equal(new Signer(key, 'ensoras').sign({ email }), hmac(key, email.toLowerCase()))
  assert.equal(new Signer(key, 'inviaro').sign({ user_id: 'usr_42' }), hmac(key, 'usr_42'))
  assert.equal(new Signer(key, 'inviaro').sign({ user_id: 42 }), hmac(key, String(42)))
  assert.equal(new Signer(key, 'supportwire').sign({ email }), hmac(key, email.trim().toLowerCase()))
  assert.equal(new Signer(key, 'supportwire').sign({ external_id: ' EXT-9 ', email }), hmac(key, 'ext-9'))
  assert.equal(new Signer(key, 'supportwire').sign({ external_id: null, email }), hmac(key, email.trim().toLowerCase()))
  const visitor = { name: 'Zoë', email: 'z@x.io', data: { plan: 'pro', seats: 3 } }
  assert.equal(new Signer(key, 'fluentbot').sign({ visitor }), hmac(key, fluentbot(visitor)))
})

test('camelCase aliases userId / externalId', () => {
  assert.equal(new Signer('k', 'inviaro').sign({ userId: 7 }), hmac('k', '7'))
  assert.equal(new Signer('k', 'supportwire').canonical({ externalId: 'X', email: 'a@b' }), 'x')
  throwsCode(() => new Signer('k', 'inviaro').sign({ userId: 7, user_id: 7 }), 'invalid_input')
})

test('custom scheme spec', () => {
  const s = new Signer('k', 'email:trim_lowercase')
  assert.equal(s.scheme, 'email:trim_lowercase')
  assert.equal(s.sign({ email: '  A@B.C\n' }), hmac('k', 'a@b.c'))
})

test('secret as string, Buffer, Uint8Array, non-UTF-8 bytes, > 64 bytes', () => {
  const want = hmac('s3cr3t', 'a@b.c')
  for (const secret of ['s3cr3t', Buffer.from('s3cr3t'), new TextEncoder().encode('s3cr3t')]) {
    assert.equal(new Signer(secret, 'layerup').sign({ email: 'a@b.c' }), want)
  }
  const raw = Buffer.from([0xff, 0x00, 0xfe])
  assert.equal(new Signer(raw, 'layerup').sign({ email: 'a@b.c' }), hmac(raw, 'a@b.c'))
  const long = 'x'.repeat(65) + 'ü'.repeat(40)
  assert.equal(new Signer(long, 'layerup').sign({ email: 'a@b.c' }), hmac(long, 'a@b.c'))
  const view = new Uint8Array(Buffer.from('..s3cr3t..').buffer, Buffer.from('..s3cr3t..').byteOffset + 2, 6)
  assert.equal(new Signer(Buffer.from('s3cr3t'), 'layerup').sign({ email: 'a' }), new Signer(view.slice(), 'layerup').sign({ email: 'a' }))
})

test('verify: current and previous secrets, malformed hashes are false', () => {
  const input = { email: 'a@b.c' }
  const old = new Signer('old', 'layerup')
  const s = new Signer('new', 'layerup', { previous: ['old', Buffer.from('older')] })
  assert.equal(s.previousCount, 2)
  assert.equal(s.sign(input), hmac('new', 'a@b.c'))
  assert.equal(s.verify(s.sign(input), input), true)
  assert.equal(s.verify(old.sign(input), input), true)
  assert.equal(s.verify(hmac('older', 'a@b.c'), input), true)
  assert.equal(old.verify(s.sign(input), input), false)
  const h = s.sign(input)
  for (const bad of [h.toUpperCase(), h.slice(1), h + '0', '', 'zz', null, undefined, 42, {}, h.replace(/.$/, 'g')]) {
    assert.equal(s.verify(bad, input), false, String(bad))
  }
  throwsCode(() => s.verify(h, { email: '' }), 'empty_identity')
})

test('fromEnv reads the secret and previous secrets, names an unset variable', () => {
  process.env.UH_NODE_TEST_SECRET = 's3cr3t'
  process.env.UH_NODE_TEST_OLD = 'old'
  const s = Signer.fromEnv('UH_NODE_TEST_SECRET', 'ensoras', { previousVars: ['UH_NODE_TEST_OLD'] })
  assert.equal(s.sign({ email: 'Alice@Example.COM' }), 'ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995')
  assert.equal(s.verify(hmac('old', 'alice@example.com'), { email: 'ALICE@example.com' }), true)
  assert.ok(s instanceof Signer)
  assert.throws(() => Signer.fromEnv('UH_NODE_TEST_UNSET', 'ensoras'), (e) => {
    assert.equal(e.code, 'empty_secret')
    assert.match(e.message, /UH_NODE_TEST_UNSET/)
    return true
  })
  process.env.UH_NODE_TEST_EMPTY = ''
  throwsCode(() => Signer.fromEnv('UH_NODE_TEST_EMPTY', 'ensoras'), 'empty_secret')
  throwsCode(() => Signer.fromEnv('UH_NODE_TEST_SECRET', 'ensoras', { previousVars: ['UH_NODE_TEST_UNSET'] }), 'empty_secret')
})

test('fromEnv takes the signer options too (secret_encoding), and refuses unknown ones', () => {
  process.env.UH_NODE_TEST_HEX = '00ff10'
  const s = Signer.fromEnv('UH_NODE_TEST_HEX', 'layerup', { secret_encoding: 'hex' })
  const want = crypto.createHmac('sha256', Buffer.from([0x00, 0xff, 0x10])).update('a@b.c').digest('hex')
  assert.equal(s.sign({ email: 'a@b.c' }), want)
  throwsCode(() => Signer.fromEnv('UH_NODE_TEST_HEX', 'layerup', { nope: 1 }), 'invalid_input')
})

test('a payload holding U+FFFD itself (not a lone surrogate) signs as JSON.stringify writes it', () => {
  const s = new Signer('k', 'fluentbot')
  for (const visitor of [{ name: 'a\ufffdb' }, { name: 'x', data: { k: '\ufffd'.repeat(300) } }]) {
    const want = crypto.createHmac('sha256', 'k').update(JSON.stringify({ name: visitor.name, data: visitor.data ?? null })).digest('hex')
    assert.equal(s.sign({ visitor }), want)
    assert.equal(s.sign({ visitor, email: undefined }), want)
  }
})

test('errors: codes, classes, instanceof, the core\'s message, path and item', () => {
  for (const code of ['empty_secret', 'empty_identity', 'invalid_input', 'invalid_json', 'invalid_utf8', 'too_deep', 'unknown_preset']) {
    assert.ok(ERROR_CODES.includes(code), code)
  }
  for (const code of ERROR_CODES) {
    const Class = userhash[className(code)]
    assert.equal(typeof Class, 'function', code)
    assert.equal(Class.code, code)
    assert.ok(new Class(code, 'm') instanceof UserhashError)
  }
  throwsCode(() => new Signer('', 'ensoras'), 'empty_secret')
  throwsCode(() => new Signer(Buffer.alloc(0), 'ensoras'), 'empty_secret')
  throwsCode(() => new Signer('k', 'ensoras', { previous: [''] }), 'empty_secret')
  throwsCode(() => new Signer('k', 'Ensoras'), 'unknown_preset')
  throwsCode(() => new Signer('k', 'nope'), 'unknown_preset')
  // The host API's own argument types are TypeErrors.
  throwsType(() => new Signer('k', 42))
  throwsType(() => new Signer(42, 'ensoras'))
  throwsType(() => new Signer(null, 'ensoras'))
  throwsType(() => new Signer('k', 'ensoras', { previous: 'old' }))
  throwsType(() => new Signer('k', 'ensoras', { previous: [1] }))
  const s = new Signer('k', 'ensoras')
  throwsCode(() => s.sign({ email: '' }), 'empty_identity')
  throwsCode(() => s.sign({}), 'invalid_input')
  throwsCode(() => s.sign(), 'invalid_input')
  throwsCode(() => s.sign('a@b.c'), 'invalid_input')
  throwsCode(() => s.sign({ email: 'a@b', user_id: 1 }), 'invalid_input')
  throwsCode(() => s.sign({ mail: 'a@b' }), 'invalid_input')
  throwsCode(() => s.sign({ email: 1, a: 1, b: 2 }), 'invalid_input')
  throwsCode(() => s.sign({ email: 42 }), 'invalid_input', 'email')
  throwsCode(() => s.sign({ email: null }), 'invalid_input', 'email')
  throwsCode(() => s.sign({ email: new Date() }), 'invalid_input', 'email')
  throwsCode(() => s.sign({ email: ['a'] }), 'invalid_input', 'email')
  throwsCode(() => s.canonical({ email: '' }), 'empty_identity')
  // The message is the core's Display: `path: message`.
  assert.throws(() => s.sign({ email: 42 }), (e) => e.path === 'email' && e.item === null && e.message.startsWith('email: '))
  const e = new UserhashError('too_deep', 'x')
  assert.equal(e.code, 'too_deep')
  assert.equal(e.path, null)
  assert.equal(e.item, null)
  assert.ok(e instanceof Error)
  assert.match(util.inspect(e), /UserhashError: x/)
  assert.match(util.inspect(e), /code: 'too_deep'/)
  // The stack starts at the caller's line, not inside userhash.
  assert.throws(() => s.sign({ email: '' }), (err) => err.stack.split('\n')[1].includes('api.test.js'))
})

test('signer options go to the core; unknown ones are its invalid_input', () => {
  const hex = Buffer.from('s3cr3t').toString('hex')
  assert.equal(new Signer(hex, 'layerup', { secret_encoding: 'hex' }).sign({ email: 'a' }), hmac('s3cr3t', 'a'))
  throwsCode(() => new Signer('k', 'layerup', { colour: 'red' }), 'invalid_input')
  throwsCode(() => new Signer('k', 'layerup', { secret_encoding: 7 }), 'invalid_input')
  assert.equal(new Signer('k', 'layerup', { previous: ['old'] }).previousCount, 1)
})

test('errors from getters propagate unchanged', () => {
  const boom = new Error('boom')
  const s = new Signer('k', 'ensoras')
  assert.throws(() => s.sign({ get email () { throw boom } }), (e) => e === boom)
  const f = new Signer('k', 'fluentbot')
  assert.throws(() => f.sign({ visitor: { name: 'a', data: { get x () { throw boom } } } }), (e) => e === boom)
  assert.throws(() => f.sign({ visitor: { name: 'a', data: { d: new Date(), get x () { throw boom } } } }), (e) => e === boom)
})

test('ids: safe integers sign as decimal text; other numbers are invalid_input; BigInt is exact', () => {
  const s = new Signer('k', 'inviaro')
  for (const n of [0, 42, -7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
    assert.equal(s.sign({ user_id: n }), hmac('k', String(n)))
  }
  assert.equal(s.canonical({ user_id: -0 }), '0')
  for (const n of [1.5, Number.MAX_SAFE_INTEGER + 1, 2 ** 64, 1e21, NaN, Infinity, -Infinity]) {
    throwsCode(() => s.sign({ user_id: n }), 'invalid_input')
  }
  assert.equal(s.canonical({ user_id: 12345678901234567890123456789012345678901234567890n }), '12345678901234567890123456789012345678901234567890')
  assert.equal(s.canonical({ user_id: -5n }), '-5')
  for (const bad of [true, null, [1], { id: 1 }, new Date()]) throwsCode(() => s.sign({ user_id: bad }), 'invalid_input', 'user_id')
  throwsCode(() => s.sign({ user_id: '' }), 'empty_identity')
  assert.equal(s.canonical({ user_id: ' 007 ' }), ' 007 ')
})

test('lone surrogates: refused in an email or id (never U+FFFD), signed as JSON.stringify writes them in a payload', () => {
  throwsCode(() => new Signer('k', 'layerup').sign({ email: 'a\ud800@b' }), 'invalid_input', 'email')
  throwsCode(() => new Signer('k', 'inviaro').sign({ user_id: '\udfff' }), 'invalid_input', 'user_id')
  throwsCode(() => new Signer('k', 'inviaro').sign({ user_id: 'x'.repeat(200) + '\udfff' }), 'invalid_input', 'user_id')
  const f = new Signer('k', 'fluentbot')
  for (const visitor of [{ name: 'x\udc00' }, { data: ['\ud83d'] }, { data: { k: 'a\ud800b', long: 'y'.repeat(300) + '\udbff' } }]) {
    assert.equal(f.canonical({ visitor }), fluentbot(visitor))
    assert.equal(f.sign({ visitor }), hmac('k', Buffer.from(fluentbot(visitor), 'utf8')))
  }
  // A key has no way to carry one: refused.
  throwsCode(() => f.sign({ visitor: { data: { ['k\ud83d']: 1 } } }), 'invalid_input')
  throwsCode(() => new Signer('\ud800', 'layerup'), 'invalid_input')
  // A proper pair is fine, and an escaped-looking literal is just text.
  assert.equal(f.canonical({ visitor: { name: '😀\\ud800' } }), fluentbot({ name: '😀\\ud800' }))
})

test('plain payload data is exactly JSON.stringify: undefined, order, numbers, strings, getters', () => {
  const f = new Signer('k', 'fluentbot')
  const visitor = {
    email: 'a@b',
    name: 'N',
    data: {
      b: 1,
      10: 'ten',
      2: 'two',
      '01': 'not an index',
      4294967295: 'not an index either',
      4294967294: 'last index',
      skipped: undefined,
      arr: [undefined, , NaN, -0, 1e21, 1e-7, 0.000001, 5e-324, 2 ** 53 + 2, -Infinity], // eslint-disable-line no-sparse-arrays
      nested: { deep: [{ x: null, y: true, z: 'ü\u2028</script>' }] },
      bare: Object.assign(Object.create(null), { k: 'no prototype' }),
      get computed () { return [1] },
      nul: 'a\u0000b\u001f\u007f'
    }
  }
  assert.equal(f.canonical({ visitor }), fluentbot(visitor))
  assert.equal(f.sign({ visitor }), hmac('k', fluentbot(visitor)))
  // Only name, email and data are signed; other visitor keys are ignored as the snippet does.
  assert.equal(f.canonical({ visitor: { ...visitor, extra: 1n, when: new Date() } }), fluentbot(visitor))
  // name/email undefined are omitted; data undefined or missing is null.
  assert.equal(f.canonical({ visitor: { name: 'A', email: undefined } }), '{"name":"A","data":null}')
  assert.equal(f.canonical({ visitor: { email: null, data: 0 } }), '{"email":null,"data":0}')
  const v2 = { get name () { return 'G' }, data: { get x () { return [1] } } }
  assert.equal(f.canonical({ visitor: v2 }), fluentbot(v2))
})

test('payload values that are not plain data are refused where they are', () => {
  const f = new Signer('k', 'fluentbot')
  class User { constructor () { this.id = 1 } }
  class Money { toJSON () { return '$1' } }
  const cases = [
    [new Date(0), 'Date'],
    [new Map([['a', 1]]), 'Map'],
    [new Set([1]), 'Set'],
    [10n, 'BigInt'],
    [Buffer.from('x'), 'Buffer'],
    [new Uint8Array(2), 'Uint8Array'],
    [new Float64Array(1), 'Float64Array'],
    [new ArrayBuffer(1), 'ArrayBuffer'],
    [new User(), 'User'],
    [new Money(), 'Money'],
    [{ toJSON () { return 1 } }, 'Object'],
    [Object('boxed'), 'String'],
    [() => 1, 'function'],
    [Symbol('s'), 'symbol']
  ]
  for (const [value, type] of cases) {
    for (const data of [{ v: value }, { v: [1, value] }]) {
      const path = Array.isArray(data.v) ? 'visitor.data.v[1]' : 'visitor.data.v'
      assert.throws(() => f.sign({ visitor: { name: 'Ann', data } }), (e) => {
        assert.equal(e.code, 'invalid_input', `${type}: ${e.message}`)
        assert.equal(e.path, path, `${type}: ${e.message}`)
        assert.ok(e.message.startsWith(`${path}: ${type} is not a JSON value: `), e.message)
        return true
      })
    }
  }
  // The first refused value in JS property order is the one reported.
  throwsCode(() => f.sign({ visitor: { data: { b: new Set(), a: new Map(), 1: new Date() } } }), 'invalid_input', 'visitor.data.1')
  // A visitor that is itself not plain data is refused whole (its toJSON is never called).
  throwsCode(() => f.sign({ visitor: new User() }), 'invalid_input', 'visitor')
  throwsCode(() => f.sign({ visitor: { name: 'D', toJSON () { return { name: 'other' } } } }), 'invalid_input', 'visitor')
})

test('visitor: BigInt is invalid_input, cycles too_deep at the container that holds itself', () => {
  const f = new Signer('k', 'fluentbot')
  throwsCode(() => f.sign({ visitor: { data: { n: 1n } } }), 'invalid_input', 'visitor.data.n')
  const cyc = { a: 1 }
  cyc.self = cyc
  throwsCode(() => f.sign({ visitor: { data: cyc } }), 'too_deep', 'visitor.data')
  const ring = [1, { x: null }]
  ring[1].x = ring
  throwsCode(() => f.sign({ visitor: { data: { r: ring } } }), 'too_deep', 'visitor.data.r')
  // The same object twice, not inside itself, is no cycle.
  const shared = { s: 1 }
  assert.equal(f.canonical({ visitor: { data: [shared, shared] } }), fluentbot({ data: [shared, shared] }))
  for (const v of ['x', 1, null, true, [1], new Date(0), 1n]) throwsCode(() => f.sign({ visitor: v }), 'invalid_input')
  throwsCode(() => f.sign({ visitor: {} }), 'empty_identity')
  throwsCode(() => f.sign({ visitor: { name: '', email: null } }), 'empty_identity')
  throwsCode(() => f.sign({ visitor: { name: 'a' }, email: 'x' }), 'invalid_input')
})

test('nesting: 100 000 levels is too_deep (objects, arrays), never a crash; 127 inside data is fine', () => {
  const f = new Signer('k', 'fluentbot')
  let obj = {}
  let arr = 1
  for (let i = 0; i < 100000; i++) {
    obj = { a: obj }
    arr = [arr]
  }
  throwsCode(() => f.sign({ visitor: { name: 'x', data: obj } }), 'too_deep')
  throwsCode(() => f.sign({ visitor: { name: 'x', data: arr } }), 'too_deep')
  throwsCode(() => f.verify('0'.repeat(64), { visitor: { name: 'x', data: arr } }), 'too_deep')
  let ok = 1
  for (let i = 0; i < 127; i++) ok = [ok]
  assert.equal(f.sign({ visitor: { data: ok } }), hmac('k', fluentbot({ data: ok })))
  throwsCode(() => f.sign({ visitor: { data: [ok] } }), 'too_deep')
})

test('random JSON-able values: canonical === JSON.stringify (seeded)', () => {
  let seed = 0x5eed
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)]
  const chars = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\u0001', '\u007f', 'é', 'Σ', 'İ', '\u2028', '😀', '字', '<', '&']
  const str = () => Array.from({ length: Math.floor(rnd() * 6) }, () => pick(chars)).join('')
  const num = () => pick([0, -0, 1, -1, 0.1, 1 / 3, 1e21, 1e-7, 123456789012, 2 ** 53 + 1, -1.5e-300, NaN, Infinity, rnd() * 1e6, Math.floor(rnd() * 100)])
  const key = () => pick(['a', 'b', '0', '1', '10', '2', '01', '-1', '4294967294', '4294967295', 'é', str()])
  function value (depth) {
    const r = rnd()
    if (depth > 4 || r < 0.35) return pick([null, true, false, undefined, str(), num()])
    if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1))
    const o = {}
    for (let i = Math.floor(rnd() * 5); i > 0; i--) o[key()] = value(depth + 1)
    return o
  }
  const f = new Signer('k', 'fluentbot')
  let checked = 0
  for (let i = 0; i < 3000; i++) {
    const visitor = { name: pick([undefined, null, str()]), email: pick([undefined, null, 'a@b', str()]), data: value(0) }
    const expected = fluentbot(visitor)
    let got
    try {
      got = f.canonical({ visitor })
    } catch (e) {
      assert.equal(e.code, 'empty_identity', `${expected}: ${e.message}`)
      continue
    }
    assert.equal(got, expected)
    checked++
  }
  assert.ok(checked > 2000)
})

test('the secret never shows: inspect, JSON, String, keys, errors', () => {
  const secret = 'TOP-SECRET-d2f9c1'
  const s = new Signer(secret, 'ensoras', { previous: ['OLD-SECRET-77aa'] })
  const views = [
    util.inspect(s),
    util.inspect(s, { showHidden: true, depth: Infinity, getters: true }),
    util.format('%o %O %j %s', s, s, s, s),
    JSON.stringify(s),
    JSON.stringify({ s }),
    String(s),
    `${s}`,
    Object.keys(s).join(),
    Object.getOwnPropertyNames(s).join()
  ]
  for (const v of views) {
    assert.ok(!v.includes('TOP-SECRET') && !v.includes('OLD-SECRET'), v)
  }
  assert.equal(util.inspect(s), "Signer { scheme: 'ensoras', previousSecrets: 1 }")
  assert.deepEqual(JSON.parse(JSON.stringify(s)), { scheme: 'ensoras', previousSecrets: 1 })
  const msgs = []
  for (const fn of [
    () => new Signer(secret, 'nope'),
    () => new Signer(secret, 'ensoras', { previous: [''] }),
    () => s.sign({ email: '' }),
    () => s.sign({ email: 5 }),
    () => s.sign({ mail: secret.slice(0, 3) })
  ]) {
    try {
      fn()
    } catch (e) {
      msgs.push(util.inspect(e))
    }
  }
  assert.equal(msgs.length, 5)
  for (const m of msgs) assert.ok(!m.includes('TOP-SECRET') && !m.includes('OLD-SECRET'), m)
})

test('signers are reusable and independent', () => {
  const a = new Signer('a', 'layerup')
  const b = new Signer('b', 'layerup')
  for (let i = 0; i < 1000; i++) {
    const email = `user${i}@x.io`
    assert.equal(a.sign({ email }), hmac('a', email))
    assert.equal(b.sign({ email }), hmac('b', email))
  }
})

test('ESM import of userhash and userhash/express (package "exports")', async () => {
  const esm = await import('userhash')
  const express = await import('userhash/express')
  assert.equal(esm.Signer, Signer)
  assert.equal(esm.UserhashError, UserhashError)
  assert.equal(typeof express.userhash, 'function')
  assert.equal(new esm.Signer('s3cr3t', 'ensoras').sign({ email: 'Alice@Example.COM' }), 'ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995')
})

test('userhash/express: per-widget hashes on res.locals, null when anonymous, errors to next or onError', () => {
  const { userhash } = require('userhash/express')
  const mw = userhash({
    widgets: {
      a: { preset: 'ensoras', secret: 'k' },
      b: { preset: 'inviaro', secret: 'k' },
      c: { signer: new Signer('k', 'fluentbot') },
      d: { preset: 'email:trim_lowercase', secret: Buffer.from('k'), identity: (u) => ({ email: u.email }) }
    }
  })
  const run = (req) => {
    const res = { locals: {} }
    let nextArg = 'not called'
    mw(req, res, (err) => { nextArg = err })
    return { locals: res.locals.userhash, nextArg }
  }
  const user = { id: 7, name: 'A', email: ' A@B.C ', data: { p: 1 } }
  const { locals, nextArg } = run({ user })
  assert.equal(nextArg, undefined)
  assert.equal(locals.a.hash, hmac('k', ' a@b.c '))
  assert.deepEqual(locals.a.input, { email: ' A@B.C ' })
  assert.equal(locals.a.snippet, null) // no embed options configured
  assert.match(locals.a.embed({ widget: 'w' }), /Ensoras\('identify', \{"email":" A@B.C ","hash":"[0-9a-f]{64}"\}\)/)
  assert.equal(locals.b.hash, hmac('k', '7'))
  assert.equal(locals.c.hash, hmac('k', fluentbot(user)))
  assert.equal(locals.d.hash, hmac('k', 'a@b.c'))
  assert.deepEqual(run({ user: null }).locals, { a: null, b: null, c: null, d: null })
  const bad = run({ user: { id: 1, email: '' } })
  assert.ok(bad.nextArg instanceof UserhashError)
  assert.equal(bad.nextArg.code, 'empty_identity')
  const seen = []
  const lenient = userhash({ widgets: { a: { preset: 'ensoras', secret: 'k' } }, onError: (err, ctx) => seen.push([err.code, ctx.widget]), local: 'uh' })
  const res = { locals: {} }
  lenient({ user: { email: '' } }, res, (err) => assert.equal(err, undefined))
  assert.deepEqual(res.locals.uh, { a: null })
  assert.deepEqual(seen, [['empty_identity', 'a']])
  throwsCode(() => userhash({ widgets: { a: { preset: 'nope', secret: 'k' } } }), 'unknown_preset')
  throwsCode(() => userhash({ widgets: { a: { preset: 'ensoras', secretEnv: 'UH_NODE_TEST_UNSET_2' } } }), 'empty_secret')
  // Without identity(), the input is each field the scheme reads, from the user: custom schemes too.
  const custom = userhash({ widgets: { a: { preset: 'email:trim_lowercase', secret: 'k' }, b: { preset: 'supportwire', secret: 'k' } } })
  const res2 = { locals: {} }
  custom({ user: { email: ' A@B.C ', externalId: 'X-1' } }, res2, (err) => assert.equal(err, undefined))
  assert.equal(res2.locals.userhash.a.hash, hmac('k', 'a@b.c'))
  assert.deepEqual(res2.locals.userhash.b.input, { external_id: 'X-1', email: ' A@B.C ' })
  assert.equal(res2.locals.userhash.b.hash, hmac('k', 'x-1'))
  assert.throws(() => userhash({}), TypeError)
})

test('userhash/express: a token preset renders its snippet, the token checked by jsonwebtoken; hash is made only when read', () => {
  const jwt = require('jsonwebtoken')
  const { userhash } = require('userhash/express')
  const mw = userhash({
    widgets: {
      zd: { preset: 'zendesk', secret: 'k', identity: (u) => ({ external_id: u.id }), embed: { widget: 'key', kid: 'app_1', ttl: 600 } },
      en: { preset: 'ensoras', secret: 'k', embed: { widget: 'w' } }
    }
  })
  const res = { locals: {} }
  let nextArg = 'not called'
  mw({ user: { id: 42, email: 'A@b.c' } }, res, (err) => { nextArg = err })
  assert.equal(nextArg, undefined)
  const { zd, en } = res.locals.userhash
  const token = /callback\("([^"]+)"\)/.exec(zd.snippet)[1]
  const { header, payload } = jwt.verify(token, 'k', { algorithms: ['HS256'], complete: true })
  assert.equal(header.kid, 'app_1')
  assert.equal(payload.external_id, '42')
  assert.equal(payload.exp - payload.iat, 600)
  throwsCode(() => zd.hash, 'invalid_input')
  assert.equal(en.hash, hmac('k', 'a@b.c'))
  assert.ok(en.snippet.includes(en.hash))
})
