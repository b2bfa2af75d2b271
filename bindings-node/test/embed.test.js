'use strict'
// signer.embed: each vendor's snippet, with the hash checked against node:crypto
// running the vendor's snippet, and the option errors. (tests/browser runs these
// snippets in Chromium with hostile identities, through the Express example.)
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const vm = require('node:vm')
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

// The argument of the call `name(` … `);` in a snippet, evaluated as the browser
// would (a JS object literal: `["__proto__"]` keys are own properties), then
// brought into this realm through JSON.
function jsonArg (text, prefix) {
  const at = text.indexOf(prefix)
  assert.ok(at >= 0, `${prefix} in ${text}`)
  const rest = text.slice(at + prefix.length)
  return JSON.parse(JSON.stringify(vm.runInNewContext(`(${rest.slice(0, rest.indexOf(');'))})`)))
}

test('layerup: script tag (attributes) and webview URL (encodeURIComponent)', () => {
  const s = new Signer('k', 'layerup')
  const email = 'A+"b"<&>\'@x.com'
  const hash = hmac('k', email)
  const tag = s.embed({ email }, { widget: 'wk_1', nonce: 'n0' })
  assert.ok(tag.startsWith('<script nonce="n0"') || tag.includes(' nonce="n0"'), tag)
  assert.ok(tag.includes('data-user-email="A+&quot;b&quot;&lt;&amp;&gt;&#39;@x.com"'), tag)
  assert.ok(tag.includes(`data-user-hash="${hash}"`))
  assert.ok(tag.includes('data-widget-key="wk_1"'))
  assert.equal(s.embed({ email }, { widget: 'w/1', form: 'url' }),
    `https://us.uselayerup.com/widget/${encodeURIComponent('w/1')}?ue=${encodeURIComponent(email)}&uh=${hash}`)
})

test('inviaro, ensoras: settings object and identify call re-parse to the signed identity', () => {
  const inv = new Signer('k', 'inviaro')
  const settings = inv.embed({ user_id: 42 }, { widget: 'wt', origin: 'https://e.com', name: '</script>', email: 'a@b' })
  const start = settings.indexOf('window.InviaroSettings = ') + 'window.InviaroSettings = '.length
  const obj = JSON.parse(settings.slice(start, settings.indexOf(';\n', start)))
  assert.equal(obj.userId, '42')
  assert.equal(obj.userHash, hmac('k', '42'))
  assert.equal(obj.userName, '</script>')
  assert.ok(!settings.includes('</script>"'), 'no raw </script> inside the script')
  const identify = inv.embed({ userId: 'usr_1' }, { widget: 'wt', form: 'identify' })
  assert.deepEqual(jsonArg(identify, "Inviaro('identify', "), { userId: 'usr_1', userHash: hmac('k', 'usr_1') })

  const ens = new Signer('k', 'ensoras')
  const email = 'Ann\u2028@Example.com'
  const snippet = ens.embed({ email }, { widget: 'slug' })
  assert.ok(!snippet.includes('\u2028'))
  assert.deepEqual(jsonArg(snippet, "Ensoras('identify', "), { email, hash: hmac('k', email.toLowerCase()) })
  assert.ok(snippet.includes('https://app.ensoras.com/cdn/v1/widget/slug.js'))
})

test('supportwire: the identity key used, userData through JSON.stringify', () => {
  const s = new Signer('k', 'supportwire')
  const data = JSON.parse('{"__proto__":{"x":1},"plan":"Pro"}')
  data.when = new Date(0).toISOString()
  const byEmail = jsonArg(s.embed({ email: ' A@B ' }, { widget: 'sw', data }), 'new SupportWireWidget(')
  assert.equal(byEmail.userEmail, ' A@B ')
  assert.equal(byEmail.userSignature, hmac('k', 'a@b'))
  assert.deepEqual(byEmail.userData, JSON.parse(JSON.stringify(data)))
  assert.ok(Object.hasOwn(byEmail.userData, '__proto__'))
  const byId = jsonArg(s.embed({ external_id: 7, email: 'a@b' }, { widget: 'sw' }), 'new SupportWireWidget(')
  assert.equal(byId.userExternalUserId, '7')
  assert.equal(byId.userSignature, hmac('k', '7'))
  throwsCode(() => s.embed({ email: 'a' }, { widget: 'w', data: { n: 1n } }), 'invalid_input', /BigInt/)
  throwsCode(() => s.embed({ email: 'a' }, { widget: 'w', data: { at: new Date(0) } }), 'invalid_input', /Date is not a JSON value/)
})

test('fluentbot: the visitor the browser parses re-stringifies to the signed bytes', () => {
  const f = new Signer('k', 'fluentbot')
  const visitor = { name: 'Zoë </script>', email: 'z@x', data: { '10': 1, b: [1.5, -0, 1e21], '2': new Date(0).toISOString() }, extra: 'not sent' }
  const snippet = f.embed({ visitor }, { widget: 'BOT' })
  const arg = jsonArg(snippet, 'FluentBotChatWidget.injectWidget("BOT", ')
  const { signature, ...sent } = arg.visitor
  assert.equal(fluentbot(sent), fluentbot(visitor))
  assert.equal(signature, hmac('k', fluentbot(visitor)))
  assert.ok(!('extra' in sent))
})

test('embed errors: options, forms, custom schemes, input errors as sign()', () => {
  const s = new Signer('k', 'layerup')
  throwsCode(() => s.embed({ email: 'a' }), 'invalid_input', /options must be an object/)
  throwsCode(() => s.embed({ email: 'a' }, null), 'invalid_input')
  throwsCode(() => s.embed({ email: 'a' }, 'w'), 'invalid_input', /object/)
  throwsCode(() => s.embed({ email: 'a' }, ['w']), 'invalid_input', /object/)
  throwsCode(() => s.embed({ email: 'a' }, {}), 'invalid_input', /widget/)
  throwsCode(() => s.embed({ email: 'a' }, { widget: '' }), 'invalid_input')
  throwsCode(() => s.embed({ email: 'a' }, { widget: 5 }), 'invalid_input')
  throwsCode(() => s.embed({ email: 'a' }, { widget: new Date() }), 'invalid_input')
  throwsCode(() => s.embed({ email: 'a' }, { widget: 'w', color: 'red' }), 'invalid_input', /color/)
  throwsCode(() => s.embed({ email: 'a' }, { widget: 'w', form: 'identify' }), 'invalid_input')
  throwsCode(() => s.embed({ email: 'a' }, { widget: 'w', form: 'url', nonce: 'n' }), 'invalid_input')
  throwsCode(() => s.embed({ email: 'a' }, { widget: 'w\ud800' }), 'invalid_input')
  throwsCode(() => s.embed({ email: '' }, { widget: 'w' }), 'empty_identity')
  throwsCode(() => s.embed({ email: 'a\u0000' }, { widget: 'w' }), 'invalid_input', /U\+0000/)
  throwsCode(() => new Signer('k', 'email:trim_lowercase').embed({ email: 'a' }, { widget: 'w' }), 'invalid_input', /preset/)
  // null and undefined options are absent.
  assert.equal(s.embed({ email: 'a' }, { widget: 'w', nonce: null, form: undefined }), s.embed({ email: 'a' }, { widget: 'w' }))
})
