'use strict'
// A small Express site with two chat widgets (Ensoras and FluentBot). Each page
// for a logged-in user carries the vendor's embed snippet with the identity and
// its userhash signature, rendered by `userhash/express` (signer.embed), which
// escapes every value for where it lands and puts the page's CSP nonce on every
// script tag.
const crypto = require('node:crypto')
const express = require('express')
const { Signer, PRESETS } = require('userhash')
const { userhash } = require('userhash/express')

// Stand-in for a real user store and session.
const USERS = {
  alice: { id: 1, name: 'Alice Liddell', email: 'Alice@Example.COM', plan: 'pro' },
  zoe: { id: 2, name: 'Zoë Ünïcødé', email: 'ZOË@Exämple.org', plan: 'free' },
  mallory: { id: 3, name: '</script><script>window.pwned=1</script>\u2028', email: '"><b>m@x.io', plan: "'; alert(1); //" }
}

// Text in HTML.
const html = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

// The page layout. `snippets` are already-safe HTML from signer.embed: inserted
// as they are (in a template engine: `<%- snippet %>`, `{{{ snippet }}}`).
function page ({ title, heading, snippets }) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${html(title)}</title></head>
<body>
<h1>${html(heading)}</h1>
${snippets.filter(Boolean).join('\n')}
</body></html>
`
}

// A fresh CSP nonce per response; only scripts carrying it run.
function csp (req, res, next) {
  res.locals.cspNonce = crypto.randomBytes(16).toString('base64')
  res.set('Content-Security-Policy', `script-src 'nonce-${res.locals.cspNonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'`)
  next()
}

function createApp (options = {}) {
  const app = express()

  if (options.embedTestRoute) embedTestRoute(app)

  // "Login": ?as=alice. A real app gets req.user from its session middleware.
  app.use((req, res, next) => {
    req.user = Object.hasOwn(USERS, req.query.as ?? '') ? USERS[req.query.as] : null
    next()
  })
  app.use(csp)

  // Signers are built once at startup; secrets come from the environment. The
  // helper reads the response's nonce from res.locals.cspNonce.
  app.use(userhash({
    widgets: {
      support: {
        preset: 'ensoras',
        secretEnv: 'ENSORAS_WIDGET_SECRET',
        embed: { widget: process.env.ENSORAS_WIDGET_SLUG ?? 'acme' }
      },
      chat: {
        signer: options.fluentbot ?? Signer.fromEnv('FLUENTBOT_WIDGET_SECRET', 'fluentbot'),
        identity: (user) => ({ visitor: { name: user.name, email: user.email, data: { plan: user.plan } } }),
        embed: { widget: process.env.FLUENTBOT_BOT_ID ?? 'BOT_ID' }
      }
    }
  }))

  app.get('/', (req, res) => {
    const { support, chat } = res.locals.userhash
    res.type('html').send(page({
      title: 'Example',
      heading: req.user ? `Hello, ${req.user.name}` : 'Hello, guest',
      snippets: [support?.snippet, chat?.snippet]
    }))
  })

  return app
}

// Test-only (tests/browser, docs/embed.md): POST {preset, input, options} renders
// that case through the same helper and page as the site. Mounted only when
// createApp({embedTestRoute: true}) — server.js does so for
// USERHASH_EMBED_TEST_ROUTE=1 — never in production: it signs whatever it is sent.
function embedTestRoute (app) {
  const helpers = {}
  for (const preset of PRESETS) {
    helpers[preset] = userhash({
      widgets: {
        widget: {
          preset,
          secretEnv: 'USERHASH_SECRET',
          identity: (c) => c.input,
          embed: (c) => c.options
        }
      },
      user: (req) => req.embedCase,
      local: 'embedCase'
    })
  }
  app.get('/userhash/embed', (req, res) => res.type('text').send('POST {preset, input, options}\n'))
  app.post('/userhash/embed', express.json({ limit: '4mb' }), (req, res, next) => {
    const { preset, input, options } = req.body ?? {}
    if (typeof preset !== 'string' || !Object.hasOwn(helpers, preset)) {
      return res.status(404).type('text').send(`no such preset: ${preset}\n`)
    }
    // The nonce is the response's (as csp() would set it); the helper puts it on
    // the script tags.
    const { nonce, ...rest } = options ?? {}
    res.locals.cspNonce = nonce
    req.embedCase = { input, options: rest }
    helpers[preset](req, res, (err) => {
      if (err) return next(err)
      const { snippet } = res.locals.embedCase.widget
      // A URL or a JS statement (a preset's identify form, asked for or its
      // default) is answered as is; a script snippet goes into the page.
      if (!snippet.startsWith('<')) return res.type('text').send(snippet)
      res.type('html').send(page({ title: `embed ${preset}`, heading: preset, snippets: [snippet] }))
    })
  }, (err, req, res, next) => {
    // The harness shows this; userhash messages never hold a secret.
    res.status(500).type('text').send(`${err.code ?? 'error'}: ${err.message}\n`)
  })
}

module.exports = { createApp, USERS }
