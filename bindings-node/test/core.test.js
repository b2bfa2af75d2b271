'use strict'
// What the binding reads from the core at load time, and the core-only preset: test
// builds compile the core with its `probe-preset` feature, which adds a preset that
// exists nowhere else (not in this binding's source); it must work with no binding edit.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const userhash = require('..')
const { Signer, PRESETS, FIELDS, ERROR_CODES, OPERATIONS, MAX_DEPTH, VERSION } = userhash

const PROBE = 'zz_probe'

test('the core-only preset: listed, its fields from the core, signs by its rule', () => {
  assert.ok(PRESETS.includes(PROBE), `${PROBE} in ${PRESETS}`)
  const signer = new Signer('s3cr3t', PROBE)
  assert.equal(signer.scheme, PROBE)
  assert.deepEqual(signer.fields, ['user_id'])
  const want = crypto.createHmac('sha256', 's3cr3t').update('abc').digest('hex')
  assert.equal(signer.sign({ user_id: '  AbC ' }), want)
  assert.equal(signer.canonical({ userId: '  AbC ' }), 'abc')
  assert.deepEqual(signer.signMany(['  AbC ']), [want])
  // No file of the binding names it.
  for (const file of ['userhash.js', 'express.js', 'src/lib.rs', 'src/raw.rs']) {
    assert.ok(!fs.readFileSync(path.join(__dirname, '..', file), 'utf8').includes(PROBE), file)
  }
})

test('lists, depth and version come from the core', () => {
  for (const preset of ['layerup', 'inviaro', 'ensoras', 'supportwire', 'fluentbot']) assert.ok(PRESETS.includes(preset), preset)
  for (const preset of PRESETS) assert.equal(new Signer('00', preset, { secret_encoding: 'hex' }).scheme, preset)
  assert.deepEqual(FIELDS.slice(0, 4), ['email', 'user_id', 'external_id', 'visitor'])
  assert.ok(ERROR_CODES.includes('empty_identity'))
  assert.ok(OPERATIONS.includes('sign') && OPERATIONS.includes('embed'))
  assert.equal(MAX_DEPTH, 128)
  const cargo = fs.readFileSync(path.join(__dirname, '..', '..', 'Cargo.toml'), 'utf8')
  assert.equal(VERSION, /^version = "([^"]+)"/m.exec(cargo)[1])
  for (const list of [PRESETS, FIELDS, ERROR_CODES, OPERATIONS]) assert.ok(Object.isFrozen(list))
})

test('signer.call runs a core operation by name', () => {
  const s = new Signer('s3cr3t', 'ensoras')
  const hash = s.sign({ email: 'Ann@X.com' })
  assert.equal(s.call('sign', { email: 'Ann@X.com' }), hash)
  assert.equal(s.call('canonical', { email: 'Ann@X.com' }), 'ann@x.com')
  assert.equal(s.call('verify', { email: 'ann@x.com' }, { hash }), true)
  const d = s.call('diagnose', { email: 'Ann@X.com' }, { hash: crypto.createHmac('sha256', 's3cr3t').update('Ann@X.com').digest('hex') })
  assert.equal(d.matched, true)
  assert.throws(() => s.call('nope', { email: 'a' }), (e) => e.code === 'invalid_input')
})
