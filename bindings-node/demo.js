'use strict'
// `make demo`: the demo-cli identities signed with every preset (secret from
// USERHASH_SECRET, default s3cr3t), one "preset  hash" line each.
const { Signer } = require('.')

if (!process.env.USERHASH_SECRET) process.env.USERHASH_SECRET = 's3cr3t'
const samples = [
  ['layerup', { email: 'Alice@Example.COM' }],
  ['inviaro', { user_id: 'usr_42' }],
  ['ensoras', { email: 'Alice@Example.COM' }],
  ['supportwire', { email: ' Alice@Example.COM ' }],
  ['fluentbot', { visitor: { name: 'Alice', email: 'Alice@Example.COM', data: { plan: 'pro' } } }]
]
for (const [preset, input] of samples) {
  const signer = Signer.fromEnv('USERHASH_SECRET', preset)
  console.log(`${preset.padEnd(12)} ${signer.sign(input)}`)
}
