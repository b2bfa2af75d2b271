'use strict'
// Starts the example on 127.0.0.1 (ephemeral port), fetches pages and checks the
// identities and hashes in the vendors' embed snippets against the vendors' own
// Node snippets run with node:crypto. (tests/browser runs the same snippets in
// Chromium, through the test-only route checked at the end.)
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')

process.env.ENSORAS_WIDGET_SECRET = 'ensoras-test-secret'
process.env.FLUENTBOT_WIDGET_SECRET = 'fluentbot-test-secret'
// Hex text, as tests/browser's: Pylon's signer hex-decodes its secret (every other preset
// signs with the text's UTF-8 bytes).
const ROUTE_SECRET = Buffer.from('route-test-secret').toString('hex')
process.env.USERHASH_SECRET = ROUTE_SECRET
const { createApp, USERS } = require('../app.js')

// Ensoras snippet: HMAC-SHA256(secret, email.toLowerCase())
const ensoras = (secret, email) => crypto.createHmac('sha256', secret).update(email.toLowerCase()).digest('hex')
// FluentBot snippet: HMAC-SHA256(secret, JSON.stringify({ name, email, data: data ?? null }))
const fluentbot = (secret, { name, email, data }) =>
  crypto.createHmac('sha256', secret).update(JSON.stringify({ name, email, data: data ?? null })).digest('hex')

async function serve (options) {
  const server = createApp(options).listen(0, '127.0.0.1')
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject))
  return { server, base: `http://127.0.0.1:${server.address().port}` }
}

let site
test.before(async () => { site = await serve() })
test.after(() => new Promise((resolve) => site.server.close(resolve)))

// The JSON argument of a vendor call in the page (`Ensoras('identify', {…})`).
// The snippet escapes <, >, &, U+2028/9 as \uXXXX, which JSON.parse decodes.
function callArg (page, call) {
  const at = page.indexOf(call)
  assert.ok(at >= 0, `${call} in the page`)
  const line = page.slice(at + call.length, page.indexOf('\n', at))
  return JSON.parse(line.replace(/\);$/, ''))
}

const nonces = (page) => [...page.matchAll(/<script\b[^>]*?\snonce="([^"]*)"/g)].map((m) => m[1])
const scripts = (page) => page.match(/<script\b/g).length

for (const [login, user] of Object.entries(USERS)) {
  test(`page for ${login}: the vendors' snippets carry hashes equal to their Node snippets`, async () => {
    const res = await fetch(`${site.base}/?as=${login}`)
    assert.equal(res.status, 200)
    const page = await res.text()

    const support = callArg(page, "Ensoras('identify', ")
    assert.equal(support.email, user.email)
    assert.equal(support.hash, ensoras('ensoras-test-secret', user.email))
    assert.match(page, /src="https:\/\/app\.ensoras\.com\/cdn\/v1\/widget\/acme\.js"/)

    const chat = callArg(page, 'FluentBotChatWidget.injectWidget("BOT_ID", ')
    const { signature, ...visitor } = chat.visitor
    assert.deepEqual(visitor, { name: user.name, email: user.email, data: { plan: user.plan } })
    assert.equal(signature, fluentbot('fluentbot-test-secret', visitor))

    // Every script tag carries this response's CSP nonce.
    const csp = res.headers.get('content-security-policy')
    const nonce = csp.match(/'nonce-([^']+)'/)[1]
    assert.equal(nonces(page).length, scripts(page))
    assert.ok(nonces(page).every((n) => n === nonce))
  })
}

test('hostile identities cannot break out of the script', async () => {
  const page = await (await fetch(`${site.base}/?as=mallory`)).text()
  assert.ok(!page.includes('</script><script>window.pwned'))
  // No raw line separator inside a script (fine in the HTML text of the heading).
  for (const m of page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) assert.ok(!m[1].includes('\u2028'))
  assert.equal(scripts(page), 4) // two per vendor snippet, nothing injected
})

test('anonymous page has no identity and no hash', async () => {
  const res = await fetch(`${site.base}/`)
  assert.equal(res.status, 200)
  const page = await res.text()
  assert.match(page, /Hello, guest/)
  assert.doesNotMatch(page, /[0-9a-f]{64}/)
  assert.doesNotMatch(page, /<script/)
})

test('the secrets never reach the page', async () => {
  const page = await (await fetch(`${site.base}/?as=alice`)).text()
  assert.ok(!page.includes('ensoras-test-secret') && !page.includes('fluentbot-test-secret'))
})

test('the embed test route exists only when asked for', async () => {
  const post = (base, body) => fetch(`${base}/userhash/embed`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
  })
  assert.equal((await post(site.base, { preset: 'layerup', input: { email: 'a@x' }, options: { widget: 'w' } })).status, 404)

  const testing = await serve({ embedTestRoute: true })
  try {
    const email = '"><script>window.pwned=1</script>'
    const res = await post(testing.base, { preset: 'layerup', input: { email }, options: { widget: 'wk', nonce: 'n0nce' } })
    assert.equal(res.status, 200)
    const body = await res.text()
    assert.match(body, /data-user-email="&quot;&gt;&lt;script&gt;window.pwned=1&lt;\/script&gt;"/)
    assert.deepEqual(nonces(body), ['n0nce'])
    const hash = crypto.createHmac('sha256', ROUTE_SECRET).update(email).digest('hex')
    assert.ok(body.includes(`data-user-hash="${hash}"`))
    const url = await (await post(testing.base, { preset: 'layerup', input: { email: 'a+b@x' }, options: { widget: 'w 1', form: 'url' } })).text()
    assert.equal(url, `https://us.uselayerup.com/widget/w%201?ue=a%2Bb%40x&uh=${crypto.createHmac('sha256', ROUTE_SECRET).update('a+b@x').digest('hex')}`)
    assert.equal((await post(testing.base, { preset: 'nope', input: {}, options: {} })).status, 404)
    assert.equal((await post(testing.base, { preset: 'ensoras', input: { email: '' }, options: { widget: 'w' } })).status, 500)
  } finally {
    await new Promise((resolve) => testing.server.close(resolve))
  }
})
