'use strict'
// `make bench-node`: the Node binding against the vendors' node:crypto snippets,
// side by side in one process on the same inputs. One line per comparison:
//
//   node <case> sdk=<ns>ns stdlib=<ns>ns ratio=<sdk/stdlib>
//
// Times are per signature: the median over several rounds, each round running
// the SDK and then the snippet on the same inputs (ratio < 1: userhash is
// faster). Cases: inviaro (id), ensoras (email), fluentbot (a ~300-byte
// visitor), sign_many (1 000 000 ids through signMany vs a loop of the
// snippet), sign_many_async (the same through signManyAsync). The machine may
// be busy: compare ratios, and take the best of several runs.
// USERHASH_BENCH_SMOKE=1 runs every case once with tiny counts (make test).
const crypto = require('node:crypto')
const { Signer } = require('.')

const smoke = process.env.USERHASH_BENCH_SMOKE === '1'
const ROUNDS = smoke ? 1 : 9
const ITERS = smoke ? 200 : 200000
const BATCH = smoke ? 2000 : 1000000
const BATCH_ROUNDS = smoke ? 1 : 5

// The secret as the snippets read it (process.env in the vendors' code; read
// once here, so the snippet is not charged for the environment lookup).
const secret = 's3cr3t-widget-secret-0123456789'

// The vendors' Node snippets (seed pages), verbatim but for the secret's source.
function inviaroSnippet (userId) {
  if (!userId) throw new Error('userId required')
  return crypto.createHmac('sha256', secret).update(userId).digest('hex')
}
const ensorasSnippet = (email) => crypto.createHmac('sha256', secret).update(email.toLowerCase()).digest('hex')
function fluentbotSnippet (visitor) {
  const payload = JSON.stringify({ name: visitor.name, email: visitor.email, data: visitor.data ?? null })
  return crypto.createHmac('sha256', secret).update(payload).digest('hex')
}

let sink

// Median ns per op of sdk and stdlib over ROUNDS rounds of `iters` ops each.
function measure (rounds, iters, sdk, stdlib) {
  const a = []
  const b = []
  for (let r = 0; r < rounds; r++) {
    for (const [f, out] of [[sdk, a], [stdlib, b]]) {
      const start = process.hrtime.bigint()
      for (let i = 0; i < iters; i++) f(i)
      out.push(Number(process.hrtime.bigint() - start) / iters)
    }
  }
  return [median(a), median(b)]
}

// The same for async functions (one op per call).
async function measureAsync (rounds, sdk, stdlib) {
  const a = []
  const b = []
  for (let r = 0; r < rounds; r++) {
    for (const [f, out] of [[sdk, a], [stdlib, b]]) {
      const start = process.hrtime.bigint()
      await f()
      out.push(Number(process.hrtime.bigint() - start))
    }
  }
  return [median(a), median(b)]
}

function median (xs) {
  xs.sort((x, y) => x - y)
  return xs[xs.length >> 1]
}

function report (name, sdk, stdlib) {
  console.log(`node ${name} sdk=${sdk.toFixed(0)}ns stdlib=${stdlib.toFixed(0)}ns ratio=${(sdk / stdlib).toFixed(3)}`)
}

function check (what, got, want) {
  if (got !== want) {
    console.error(`bench: ${what}: sdk ${got} !== snippet ${want}`)
    process.exit(1)
  }
}

async function main () {
  const inviaro = new Signer(secret, 'inviaro')
  const ensoras = new Signer(secret, 'ensoras')
  const fluentbot = new Signer(secret, 'fluentbot')

  const ids = Array.from({ length: 1024 }, (_, i) => `usr_${100000 + i * 7919}`)
  const emails = Array.from({ length: 1024 }, (_, i) => `Customer.${i}@Example.COM`)
  check('inviaro', inviaro.sign({ user_id: ids[1] }), inviaroSnippet(ids[1]))
  check('ensoras', ensoras.sign({ email: emails[1] }), ensorasSnippet(emails[1]))

  report('inviaro', ...measure(ROUNDS, ITERS,
    (i) => { sink = inviaro.sign({ user_id: ids[i & 1023] }) },
    (i) => { sink = inviaroSnippet(ids[i & 1023]) }))

  report('ensoras', ...measure(ROUNDS, ITERS,
    (i) => { sink = ensoras.sign({ email: emails[i & 1023] }) },
    (i) => { sink = ensorasSnippet(emails[i & 1023]) }))

  // A realistic visitor: name, email and ten data fields, about 300 bytes of JSON.
  const visitor = {
    name: 'Alice Liddell',
    email: 'alice.liddell@example.com',
    data: {
      plan: 'enterprise',
      account_id: 'ACME-1007',
      seats: 42,
      mrr: 1299.5,
      trial: false,
      signup: '2024-03-14T09:26:53Z',
      country: 'GB',
      locale: 'en-GB',
      team: 'Support Ops',
      tags: ['vip', 'beta']
    }
  }
  check('fluentbot', fluentbot.sign({ visitor }), fluentbotSnippet(visitor))
  const size = Buffer.byteLength(fluentbot.canonical({ visitor }))
  if (size < 250 || size > 350) console.error(`bench: the visitor is ${size} bytes`)
  report('fluentbot', ...measure(ROUNDS, ITERS / 4,
    () => { sink = fluentbot.sign({ visitor }) },
    () => { sink = fluentbotSnippet(visitor) }))

  // Batch: 1 000 000 ids through signMany against a loop of the snippet.
  const many = Array.from({ length: BATCH }, (_, i) => String(1000000 + i))
  let hashes = inviaro.signMany(many)
  check('sign_many', hashes[BATCH - 1], inviaroSnippet(many[BATCH - 1]))
  let loop
  const [sdk, std] = measure(BATCH_ROUNDS, 1,
    () => { hashes = inviaro.signMany(many) },
    () => {
      loop = new Array(many.length)
      for (let i = 0; i < many.length; i++) loop[i] = inviaroSnippet(many[i])
    })
  check('sign_many', hashes[BATCH >> 1], loop[BATCH >> 1])
  report('sign_many', sdk / BATCH, std / BATCH)

  // The same batch without blocking the event loop for the hashing.
  const [sdkA, stdA] = await measureAsync(BATCH_ROUNDS,
    async () => { hashes = await inviaro.signManyAsync(many) },
    async () => {
      loop = new Array(many.length)
      for (let i = 0; i < many.length; i++) loop[i] = inviaroSnippet(many[i])
    })
  check('sign_many_async', hashes[BATCH >> 1], loop[BATCH >> 1])
  report('sign_many_async', sdkA / BATCH, stdA / BATCH)
  return sink
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
