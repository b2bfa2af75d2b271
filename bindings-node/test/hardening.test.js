'use strict'
// Hardening (issue 8): flat memory over a million sign calls (RSS printed), worker
// threads and the thread pool signing at once, and a marker secret that never
// shows in any inspect/toString/JSON/error/stack of any public object.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const path = require('node:path')
const util = require('node:util')
const { execFileSync } = require('node:child_process')
const { Worker } = require('node:worker_threads')
const { Signer, UserhashError } = require('..')
const { userhash } = require('../express.js')

const ROOT = path.resolve(__dirname, '..')
const hmac = (key, msg) => crypto.createHmac('sha256', key).update(msg, 'utf8').digest('hex')

test('1 000 000 sign calls: flat memory (RSS before/after)', (t) => {
  // A child with --expose-gc, so garbage is collected before each reading.
  const script = `
    const { Signer } = require(${JSON.stringify(ROOT)})
    const s = new Signer('k', 'ensoras', { previous: ['old'] })
    const f = new Signer('k', 'fluentbot')
    const visitor = { name: 'N', email: 'a@b', data: { plan: 'pro', n: 1 } }
    const round = (n) => {
      for (let i = 0; i < n; i++) {
        const email = 'User' + (i & 1023) + '@Example.COM'
        const h = s.sign({ email })
        if ((i & 7) === 0) s.verify(h, { email })
        if ((i & 15) === 0) s.canonical({ email })
        if ((i & 63) === 0) f.sign({ visitor })
        if ((i & 4095) === 0) s.signMany([email, email])
        if ((i & 8191) === 0) { try { s.sign({ email: '' }) } catch {} }
      }
    }
    const rss = () => { gc(); gc(); return process.memoryUsage().rss }
    round(100000) // warm up: JIT, allocator arenas
    const before = rss()
    round(1000000)
    const after = rss()
    console.log(JSON.stringify({ before, after }))
  `
  const out = execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' })
  const { before, after } = JSON.parse(out)
  const mb = (b) => (b / 1048576).toFixed(1)
  t.diagnostic(`node 1M sign calls: RSS before ${mb(before)} MB, after ${mb(after)} MB, growth ${mb(after - before)} MB`)
  // A leak of even 16 bytes per call would be 16 MB.
  assert.ok(after - before < 12 * 1048576, `RSS grew from ${mb(before)} MB to ${mb(after)} MB`)
})

test('worker threads sign concurrently, each with its own signers', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Signer } = require(workerData.root)
    const s = new Signer(workerData.secret, 'inviaro')
    const out = []
    for (let i = 0; i < 20000; i++) out.push(s.sign({ user_id: workerData.base + i }))
    const many = s.signMany(Array.from({ length: 20000 }, (_, i) => workerData.base + i))
    s.signManyAsync(['x' + workerData.base]).then((h) => parentPort.postMessage({ out, many, async: h[0] }))
  `
  const runs = Array.from({ length: 4 }, (_, w) => new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { root: ROOT, secret: `k${w}`, base: w * 100000 } })
    worker.once('message', (m) => resolve({ w, ...m }))
    worker.once('error', reject)
  }))
  // The main thread signs too, meanwhile.
  const main = new Signer('main', 'layerup')
  for (let i = 0; i < 5000; i++) assert.equal(main.sign({ email: `m${i}@x` }), hmac('main', `m${i}@x`))
  for (const { w, out, many, async } of await Promise.all(runs)) {
    for (const i of [0, 1, 9999, 19999]) {
      assert.equal(out[i], hmac(`k${w}`, String(w * 100000 + i)))
      assert.equal(many[i], out[i])
    }
    assert.equal(async, hmac(`k${w}`, `x${w * 100000}`))
  }
})

test('many signManyAsync calls in flight share the thread pool', async () => {
  const s = new Signer('pool', 'inviaro')
  const batches = Array.from({ length: 12 }, (_, b) => Array.from({ length: 10000 }, (_, i) => `b${b}-${i}`))
  const results = await Promise.all(batches.map((ids) => s.signManyAsync(ids)))
  results.forEach((hashes, b) => {
    assert.equal(hashes.length, 10000)
    for (const i of [0, 5000, 9999]) assert.equal(hashes[i], hmac('pool', batches[b][i]))
  })
})

test('the marker secret never shows: every public object, error, stack and output', async () => {
  const MARK = 'MARKER-SECRET-7f3a9c'
  const OLD = 'MARKER-OLD-1b2d'
  process.env.UH_NODE_HYGIENE_SECRET = MARK
  const shown = []
  const look = (v) => {
    shown.push(util.inspect(v, { showHidden: true, depth: Infinity, getters: true }))
    shown.push(util.format('%s %o %O %j', v, v, v, v))
    try { shown.push(JSON.stringify(v) ?? '') } catch (e) { shown.push(String(e)) }
    try { shown.push(String(v)) } catch (e) { shown.push(String(e)) }
    if (v instanceof Error) shown.push(v.stack, v.message)
  }
  const signers = [
    new Signer(MARK, 'ensoras', { previous: [OLD] }),
    new Signer(Buffer.from(MARK), 'fluentbot', { previous: [Buffer.from(OLD)] }),
    Signer.fromEnv('UH_NODE_HYGIENE_SECRET', 'layerup'),
    new Signer(MARK, 'email:trim_lowercase')
  ]
  signers.forEach(look)
  look(Object.getOwnPropertyNames(signers[0]))
  look(Object.getOwnPropertySymbols(signers[0]).map(String))
  const errors = []
  const catching = async (fn) => {
    try {
      await fn()
    } catch (e) {
      errors.push(e)
    }
  }
  const [s, f, env, custom] = signers
  await catching(() => new Signer(MARK, 'nope'))
  await catching(() => new Signer(MARK, 'ensoras', { previous: [''] }))
  await catching(() => new Signer(MARK + '\ud800', 'ensoras'))
  await catching(() => s.sign({ email: '' }))
  await catching(() => s.sign({ mail: MARK.slice(0, 6) }))
  await catching(() => s.verify('x', { email: 5 }))
  await catching(() => s.canonical({}))
  await catching(() => f.sign({ visitor: { data: { n: 1n } } }))
  await catching(() => s.signMany(['a', '']))
  await catching(() => s.signManyAsync(['a', null]))
  await catching(() => env.embed({ email: 'a@b' }, { widget: 'w', color: 'red' }))
  await catching(() => custom.embed({ email: 'a@b' }, { widget: 'w' }))
  await catching(() => Signer.fromEnv('UH_NODE_HYGIENE_UNSET', 'ensoras'))
  await catching(() => userhash({ widgets: { a: { preset: 'bad', secret: MARK } } }))
  assert.equal(errors.length, 14)
  for (const e of errors) {
    assert.ok(e instanceof UserhashError, String(e))
    look(e)
  }
  // What the Express helper hands to templates, and the middleware itself.
  const mw = userhash({ widgets: { a: { preset: 'ensoras', secret: MARK, embed: { widget: 'w' } }, b: { signer: f } } })
  const res = { locals: {} }
  mw({ user: { email: 'a@b', name: 'N' } }, res, (err) => assert.equal(err, undefined))
  look(mw)
  look(res.locals)
  look(s.embed({ email: 'a@b' }, { widget: 'w' }))
  for (const text of shown) {
    assert.ok(!text.includes(MARK) && !text.includes(OLD), text.slice(0, 500))
  }
  assert.ok(shown.length > 50)
})
