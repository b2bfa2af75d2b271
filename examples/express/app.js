'use strict'
// A small Express site with two chat widgets (Ensoras and FluentBot). Each page
// for a logged-in user carries the identity and its userhash signature, the way
// the vendors' widget snippets expect them.
const express = require('express')
const { Signer } = require('userhash')
const { userhash } = require('userhash/express')

// Stand-in for a real user store and session.
const USERS = {
  alice: { id: 1, name: 'Alice Liddell', email: 'Alice@Example.COM', plan: 'pro' },
  zoe: { id: 2, name: 'Zoë Ünïcødé', email: 'ZOË@Exämple.org', plan: 'free' }
}

// JSON inside <script>: `<` escaped so a value cannot close the tag.
const scriptJson = (v) => JSON.stringify(v).replace(/</g, '\\u003c')
const html = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function createApp (options = {}) {
  const app = express()

  // "Login": ?as=alice. A real app gets req.user from its session middleware.
  app.use((req, res, next) => {
    req.user = USERS[req.query.as] ?? null
    next()
  })

  // Signers are built once at startup; secrets come from the environment.
  app.use(userhash({
    widgets: {
      support: { preset: 'ensoras', secretEnv: 'ENSORAS_WIDGET_SECRET' },
      chat: {
        signer: options.fluentbot ?? Signer.fromEnv('FLUENTBOT_WIDGET_SECRET', 'fluentbot'),
        identity: (user) => ({ visitor: { name: user.name, email: user.email, data: { plan: user.plan } } })
      }
    }
  }))

  app.get('/', (req, res) => {
    const { support, chat } = res.locals.userhash
    const widgets = []
    if (support) {
      widgets.push(`<script>window.ensorasSettings = ${scriptJson({ email: support.input.email, user_hash: support.hash })};</script>`)
    }
    if (chat) {
      widgets.push(`<script>window.fluentbotIdentify = ${scriptJson({ visitor: chat.input.visitor, hash: chat.hash })};</script>`)
    }
    res.type('html').send(`<!doctype html>
<html><head><meta charset="utf-8"><title>Example</title></head>
<body>
<h1>${req.user ? `Hello, ${html(req.user.name)}` : 'Hello, guest'}</h1>
${widgets.join('\n')}
</body></html>
`)
  })

  return app
}

module.exports = { createApp, USERS }
