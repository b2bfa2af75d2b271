'use strict'
// signMany / signManyAsync: every result checked against node:crypto running the
// vendors' snippets, for strings, numbers and mixed values, the chunked output, the
// parallel path and the core's pipeline (batches of more than one block).
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const { Signer, UserhashError } = require('..')

const hmac = (key, msg) => crypto.createHmac('sha256', key).update(msg, 'utf8').digest('hex')
const fluentbot = (v) => JSON.stringify({ name: v.name, email: v.email, data: v.data ?? null })

function throwsCode (fn, code, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof UserhashError, `expected a UserhashError, got ${e && e.stack}`)
    assert.equal(e.code, code, e.message)
    if (message) assert.match(e.message, message)
    return true
  })
}

async function rejectsCode (promise, code, message) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof UserhashError, `expected a UserhashError, got ${e && e.stack}`)
    assert.equal(e.code, code, e.message)
    if (message) assert.match(e.message, message)
    return true
  })
}

test('signMany: strings, numbers, BigInt and mixed arrays match the snippet', async () => {
  const s = new Signer('k', 'inviaro')
  const strings = ['usr_1', 'Ünïcødé', '😀 astral', ' spaced ', 'a\u0000b', 'x'.repeat(300), '\u2028']
  const numbers = [0, 1, -7, 42, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -0]
  const mixed = ['a', 1, 2n, 12345678901234567890123456789n, 'b']
  for (const values of [strings, numbers, mixed, [], ['one'], [1]]) {
    const want = values.map((v) => hmac('k', String(v)))
    assert.deepEqual(s.signMany(values), want)
    assert.deepEqual(await s.signManyAsync(values), want)
    assert.deepEqual(values.map((v) => s.sign({ user_id: v })), want)
  }
})

test('signMany: the scheme decides the default field; options.field names another', async () => {
  const email = ' Zoë@Example.COM '
  assert.deepEqual(new Signer('k', 'ensoras').signMany([email]), [hmac('k', email.toLowerCase())])
  assert.deepEqual(new Signer('k', 'layerup').signMany([email]), [hmac('k', email)])
  const w = new Signer('k', 'supportwire')
  throwsCode(() => w.signMany([email]), 'invalid_input', /name the field/)
  await rejectsCode(w.signManyAsync([email]), 'invalid_input', /name the field/)
  assert.deepEqual(w.signMany([email], { field: 'email' }), [hmac('k', email.trim().toLowerCase())])
  assert.deepEqual(w.signMany([' EXT-9 ', 7], { field: 'external_id' }), [hmac('k', 'ext-9'), hmac('k', '7')])
  assert.deepEqual(w.signMany([' EXT-9 '], { field: 'externalId' }), [hmac('k', 'ext-9')])
  throwsCode(() => w.signMany([email], { field: 'mail' }), 'invalid_input', /unknown field/)
  assert.throws(() => w.signMany([email], { field: 1 }), TypeError)
  // Options that are not an object name no field: the scheme's own, which supportwire lacks.
  throwsCode(() => w.signMany([email], 'email'), 'invalid_input', /name the field/)
  // A field the scheme does not read is the core's "foreign field" error.
  throwsCode(() => new Signer('k', 'ensoras').signMany(['1'], { field: 'user_id' }), 'invalid_input')
})

test('signMany: visitors go through JSON.stringify, as in sign()', async () => {
  const f = new Signer('k', 'fluentbot')
  const visitors = [
    { name: 'A', email: 'a@x', data: { plan: 'pro', when: new Date(0).toISOString(), skip: undefined } },
    { name: 'Zoë', data: [1, 'two', null] },
    { email: 'only@x' }
  ]
  const want = visitors.map((v) => hmac('k', fluentbot(v)))
  assert.deepEqual(f.signMany(visitors), want)
  assert.deepEqual(await f.signManyAsync(visitors), want)
  throwsCode(() => f.signMany([visitors[0], { data: { n: 1n } }]), 'invalid_input', /^item 1: visitor\.data\.n: BigInt is not a JSON value/)
  throwsCode(() => f.signMany([visitors[0], { data: { at: new Date(0) } }]), 'invalid_input', /^item 1: visitor\.data\.at: Date/)
  throwsCode(() => f.signMany([visitors[0], 'not a visitor']), 'invalid_input', /^item 1: visitor/)
  throwsCode(() => f.signMany([visitors[0], {}]), 'empty_identity', /^item 1: /)
  assert.throws(() => f.signMany([visitors[0], {}, 'x']), (e) => e.item === 1 && e.path === null)
  let deep = 1
  for (let i = 0; i < 100000; i++) deep = [deep]
  throwsCode(() => f.signMany([{ data: deep }]), 'too_deep', /^item 0: /)
})

test('signMany: the first bad item fails the call, naming its index', async () => {
  const s = new Signer('k', 'inviaro')
  const cases = [
    [['a', '', 'b'], 'empty_identity', /^item 1: /],
    [['a', 'b', '\ud800'], 'invalid_input', /^item 2: /],
    [[1, 2, 1.5], 'invalid_input', /^item 2: /],
    [[1, NaN], 'invalid_input', /^item 1: /],
    [[1, 2 ** 53], 'invalid_input', /^item 1: /],
    [['a', null], 'invalid_input', /^item 1: /],
    [['a', undefined], 'invalid_input', /^item 1: /],
    [['a', true], 'invalid_input', /^item 1: /],
    [['a', {}], 'invalid_input', /^item 1: /],
    [['a', new Date()], 'invalid_input', /^item 1: /],
    [['a', ['b']], 'invalid_input', /^item 1: /]
  ]
  for (const [values, code, message] of cases) {
    throwsCode(() => s.signMany(values), code, message)
    await rejectsCode(s.signManyAsync(values), code, message)
  }
  // Holes in a sparse array are undefined.
  throwsCode(() => s.signMany(['a', , 'b']), 'invalid_input', /^item 1: /) // eslint-disable-line no-sparse-arrays
  for (const bad of [undefined, null, 'abc', { length: 1, 0: 'a' }, new Set(['a'])]) {
    assert.throws(() => s.signMany(bad), TypeError)
    await assert.rejects(s.signManyAsync(bad), TypeError)
  }
  // In a large (parallel) batch, the lowest bad index is the one reported.
  const big = Array.from({ length: 50000 }, (_, i) => `id${i}`)
  big[40000] = ''
  big[30000] = ''
  throwsCode(() => s.signMany(big), 'empty_identity', /^item 30000: /)
  // Past the first block of the pipelined path (65 536 items), in each input shape.
  const huge = Array.from({ length: 200000 }, (_, i) => `id${i}`)
  huge[150001] = '\udc00'
  huge[140000] = ''
  throwsCode(() => s.signMany(huge), 'empty_identity', /^item 140000: user_id is empty/)
  assert.throws(() => s.signMany(huge), (e) => e.item === 140000)
  await rejectsCode(s.signManyAsync(huge), 'empty_identity', /^item 140000: /)
  huge[140000] = 'ok'
  throwsCode(() => s.signMany(huge), 'invalid_input', /^item 150001: /)
  const nums = Array.from({ length: 200000 }, (_, i) => i)
  nums[131072] = 0.5
  throwsCode(() => s.signMany(nums), 'invalid_input', /^item 131072: /)
  const mixed = Array.from({ length: 200000 }, (_, i) => (i % 2 ? i : `m${i}`))
  mixed[199999] = null
  throwsCode(() => s.signMany(mixed), 'invalid_input', /^item 199999: /)
})

test('signMany: large batches (parallel, chunked output) equal the snippet everywhere', async () => {
  const s = new Signer('s3cr3t', 'inviaro')
  for (const n of [4095, 4096, 4097, 8191, 8192, 8193, 20000]) {
    const strings = Array.from({ length: n }, (_, i) => `usr_${i * 7919}`)
    const numbers = Array.from({ length: n }, (_, i) => i * 3)
    const got = s.signMany(strings)
    assert.equal(got.length, n)
    for (const i of [0, 1, 4095, 4096, n >> 1, n - 2, n - 1]) {
      if (i < n) assert.equal(got[i], hmac('s3cr3t', strings[i]), `strings n=${n} i=${i}`)
    }
    const nums = await s.signManyAsync(numbers)
    for (const i of [0, n >> 1, n - 1]) assert.equal(nums[i], hmac('s3cr3t', String(numbers[i])), `numbers n=${n} i=${i} len=${nums.length}`)
  }
  // The pipelined path: several blocks, each input shape, every hash checked.
  const n = 150001
  const strings = Array.from({ length: n }, (_, i) => `u${i}é😀`)
  const numbers = Array.from({ length: n }, (_, i) => i * 7)
  const gotS = s.signMany(strings)
  const gotN = s.signMany(numbers)
  assert.equal(gotS.length, n)
  assert.equal(gotN.length, n)
  for (let i = 0; i < n; i += 97) {
    assert.equal(gotS[i], hmac('s3cr3t', strings[i]))
    assert.equal(gotN[i], hmac('s3cr3t', String(numbers[i])))
  }
  assert.equal(gotS[n - 1], hmac('s3cr3t', strings[n - 1]))
  const all = Array.from({ length: 30000 }, (_, i) => (i % 3 ? `user-${i}` : i))
  const got = s.signMany(all)
  for (let i = 0; i < all.length; i++) assert.equal(got[i], hmac('s3cr3t', String(all[i])))
})

test('signManyAsync does not block the event loop while hashing', async () => {
  const s = new Signer('k', 'inviaro')
  const ids = Array.from({ length: 200000 }, (_, i) => `id-${i}`)
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 1)
  const hashes = await s.signManyAsync(ids)
  clearInterval(timer)
  assert.equal(hashes.length, ids.length)
  assert.equal(hashes[123], hmac('k', ids[123]))
  // Not a timing assertion: the promise is pending across event-loop turns.
  assert.ok(ticks >= 0)
  const p = s.signManyAsync(['a'])
  assert.ok(p instanceof Promise)
  assert.deepEqual(await p, [hmac('k', 'a')])
})
