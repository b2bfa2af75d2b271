'use strict'
// `make bench`: ns per call, userhash vs the vendors' node:crypto snippets.
const crypto = require('node:crypto')
const { Signer } = require('.')

function bench (fn, ms = 400) {
  for (let i = 0; i < 20000; i++) fn()
  let n = 0
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(ms) * 1000000n
  let now = start
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) fn()
    n += 1000
    now = process.hrtime.bigint()
  }
  return Number(now - start) / n
}

const secret = 's3cr3t'
const email = 'Alice@Example.COM'
const visitor = { name: 'Alice', email, data: { plan: 'pro', seats: 12, tags: ['a', 'b'], since: new Date(0) } }
const ensoras = new Signer(secret, 'ensoras')
const fluentbot = new Signer(secret, 'fluentbot')
const rows = [
  ['ensoras   node:crypto snippet', () => crypto.createHmac('sha256', secret).update(email.toLowerCase()).digest('hex')],
  ['ensoras   userhash sign', () => ensoras.sign({ email })],
  ['ensoras   userhash verify', ((h) => () => ensoras.verify(h, { email }))(ensoras.sign({ email }))],
  ['fluentbot node:crypto snippet', () => crypto.createHmac('sha256', secret)
    .update(JSON.stringify({ name: visitor.name, email: visitor.email, data: visitor.data ?? null })).digest('hex')],
  ['fluentbot userhash sign', () => fluentbot.sign({ visitor })]
]
console.log('== node (ns per call) ==')
for (const [label, fn] of rows) console.log(`${label.padEnd(32)} ${bench(fn).toFixed(0).padStart(7)}`)
