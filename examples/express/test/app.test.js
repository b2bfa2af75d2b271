'use strict'
// Starts the example on 127.0.0.1 (ephemeral port), fetches pages and checks the
// hashes in the HTML against the vendors' own Node snippets run with node:crypto.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')

process.env.ENSORAS_WIDGET_SECRET = 'ensoras-test-secret'
process.env.FLUENTBOT_WIDGET_SECRET = 'fluentbot-test-secret'
const { createApp, USERS } = require('../app.js')

// Ensoras snippet: HMAC-SHA256(secret, email.toLowerCase())
const ensoras = (secret, email) => crypto.createHmac('sha256', secret).update(email.toLowerCase()).digest('hex')
// FluentBot snippet: HMAC-SHA256(secret, JSON.stringify({ name, email, data: data ?? null }))
const fluentbot = (secret, { name, email, data }) =>
  crypto.createHmac('sha256', secret).update(JSON.stringify({ name, email, data: data ?? null })).digest('hex')

let server
let base

test.before(async () => {
  server = createApp().listen(0, '127.0.0.1')
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject))
  base = `http://127.0.0.1:${server.address().port}`
})

test.after(() => new Promise((resolve) => server.close(resolve)))

// The JSON assigned to a window.* variable in the page.
function settings (page, name) {
  const m = page.match(new RegExp(`window\\.${name} = (\\{.*?\\});</script>`))
  assert.ok(m, `${name} in the page`)
  return JSON.parse(m[1])
}

for (const [login, user] of Object.entries(USERS)) {
  test(`page for ${login} carries hashes equal to the vendors' snippets`, async () => {
    const res = await fetch(`${base}/?as=${login}`)
    assert.equal(res.status, 200)
    const page = await res.text()

    const support = settings(page, 'ensorasSettings')
    assert.equal(support.email, user.email)
    assert.match(support.user_hash, /^[0-9a-f]{64}$/)
    assert.equal(support.user_hash, ensoras('ensoras-test-secret', user.email))

    const chat = settings(page, 'fluentbotIdentify')
    assert.deepEqual(chat.visitor, { name: user.name, email: user.email, data: { plan: user.plan } })
    assert.equal(chat.hash, fluentbot('fluentbot-test-secret', chat.visitor))
  })
}

test('anonymous page has no identity and no hash', async () => {
  const res = await fetch(`${base}/`)
  assert.equal(res.status, 200)
  const page = await res.text()
  assert.match(page, /Hello, guest/)
  assert.doesNotMatch(page, /[0-9a-f]{64}/)
  assert.doesNotMatch(page, /ensorasSettings|fluentbotIdentify/)
})

test('the secrets never reach the page', async () => {
  const page = await (await fetch(`${base}/?as=alice`)).text()
  assert.ok(!page.includes('ensoras-test-secret') && !page.includes('fluentbot-test-secret'))
})
