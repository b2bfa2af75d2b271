'use strict'
// The shared native-value table (tests/native-values): every row that names node is
// built here as the JS value it describes and signed; ok rows must give node:crypto's
// own HMAC of the expected canonical bytes (the independent oracle) and the row's hash,
// error rows the row's code and path.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Signer, UserhashError } = require('..')

const doc = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'native-values', 'cases.json'), 'utf8'))
const table = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'native-values', 'table.json'), 'utf8'))

class Plan {
  constructor () {
    this.name = 'pro'
  }
}

// The JS value of each row (table.json says what, per language).
const BUILD = {
  'plain-record': () => ({ plan: 'pro', seats: 3, ok: true, none: null, tags: ['a', 'b'] }),
  set: () => new Set(['a']),
  'map-non-string-key': () => new Map([[1, 'a']]),
  datetime: () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
  'bigint-in-payload': () => 5n,
  nan: () => NaN,
  infinity: () => -Infinity,
  'negative-zero': () => -0,
  'integral-float': () => 3.0,
  bytes: () => Buffer.from('abc'),
  'json-hook': () => ({ toJSON: () => 'hooked' }),
  'class-instance': () => new Plan(),
  cycle: () => {
    const o = { a: 1 }
    o.self = o
    return o
  },
  'undefined-member': () => ({ a: undefined, b: 1 }),
  'lone-surrogate-in-payload': () => 'a\ud800b',
  'lone-surrogate-id': () => 'a\ud800',
  'bool-id': () => true,
  'fractional-float-id': () => 42.5,
  'big-integer-id': () => 2n ** 70n,
  'int64-id': () => 9223372036854775807n,
  'datetime-id': () => new Date(0)
}

const rows = doc.cases.filter((c) => c.langs.includes('node'))

test('native-value table: every node row has a builder, and the table names node', () => {
  assert.ok(rows.length >= 20)
  for (const row of rows) assert.equal(typeof BUILD[row.id], 'function', `no builder for ${row.id}`)
  for (const id of Object.keys(BUILD)) assert.ok(rows.some((r) => r.id === id), `${id} is not a node row`)
  assert.deepEqual(rows.map((r) => r.id), table.rows.filter((r) => r.langs.node).map((r) => r.id))
})

for (const row of rows) {
  test(`native value: ${row.id}`, () => {
    const signer = new Signer(doc.secret, row.preset)
    const value = BUILD[row.id]()
    const input = row.carrier === 'visitor' ? { visitor: { name: 'Ann', data: { v: value } } } : { user_id: value }
    const { expect } = row
    if (expect.error !== undefined) {
      assert.throws(() => signer.sign(input), (e) => {
        assert.ok(e instanceof UserhashError, String(e))
        assert.equal(e.code, expect.error, e.message)
        assert.equal(e.path, expect.path, e.message)
        return true
      })
      return
    }
    const oracle = crypto.createHmac('sha256', doc.secret).update(expect.canonical, 'utf8').digest('hex')
    assert.equal(signer.canonical(input), expect.canonical)
    assert.equal(signer.sign(input), oracle)
    assert.equal(oracle, expect.hash)
    // The batch path takes the same values the same way.
    assert.deepEqual(signer.signMany([row.carrier === 'visitor' ? input.visitor : value]), [oracle])
  })
}
