'use strict'
// userhash/express: signs the logged-in user's identity for each configured chat
// widget and puts the result on `res.locals`, for the page template — including
// the vendor's embed snippet, rendered by the core (signer.embed) with every value
// escaped for where it lands.
//
//   app.use(userhash({
//     widgets: {
//       support: { preset: 'ensoras', secretEnv: 'ENSORAS_WIDGET_SECRET', embed: { widget: 'acme' } },
//       chat: { signer: fluentbotSigner, identity: (user) => ({ visitor: {...} }), embed: { widget: BOT_ID } }
//     }
//   }))
//   // template: <%- userhash.support.snippet %>   (null when anonymous)

const { Signer } = require('./userhash.js')

// Where each sign-call field comes from on a user object, when a widget gives no
// `identity` function: the input is built from the fields the signer's scheme reads
// (`signer.fields`, from the core). Only the helper's convention: the rules stay in the core.
const FROM_USER = {
  email: (user) => user.email,
  user_id: (user) => user.id,
  external_id: (user) => user.externalId,
  visitor: (user) => ({ name: user.name, email: user.email, data: user.data ?? null })
}

function defaultIdentity (signer) {
  const fields = signer.fields
  if (!fields.every((f) => Object.hasOwn(FROM_USER, f))) return undefined
  return (user) => Object.fromEntries(fields.map((f) => [f, FROM_USER[f](user)]))
}

function buildSigner (name, w) {
  if (w.signer instanceof Signer) return w.signer
  if (w.signer !== undefined) throw new TypeError(`userhash/express: widget ${name}: signer must be a userhash Signer`)
  if (w.secretEnv !== undefined) return Signer.fromEnv(w.secretEnv, w.preset, { previousVars: w.previousVars })
  return new Signer(w.secret, w.preset, { previous: w.previous })
}

/**
 * Express middleware: for each widget, `res.locals[local][widget]` becomes
 * `{ hash, input, snippet, embed(options) }` for the current user (from
 * `options.user(req)`, default `req.user`), or `null` when nobody is logged in.
 *
 * A widget is `{ signer }` or `{ preset, secret | secretEnv, previous | previousVars }`,
 * plus an optional `identity(user, req)` returning the sign input (default: each field
 * the scheme reads, from the user: `email` ← `user.email`, `user_id` ← `user.id`,
 * `external_id` ← `user.externalId`, `visitor` ← `{name, email, data}`), and an
 * optional `embed`: the `signer.embed`
 * options (`{widget, form, origin, …}`), or a function `(user, req) => options`.
 * With `embed`, `snippet` is the rendered snippet (HTML for form `script`, to insert
 * unescaped: `<%- … %>`); `embed(options)` renders it with other options merged in
 * (e.g. `{form: 'identify'}`). The response's CSP nonce (`options.nonce(req, res)`,
 * default `res.locals.cspNonce`) goes on every script tag of form `script`.
 * Signers are built once, here: a bad secret or preset fails at startup, not on a
 * request.
 *
 * A signing error (e.g. a user without an email: `empty_identity`) goes to
 * `next(err)`, unless `options.onError(err, { widget, req })` is given: then that
 * widget is `null` for the request and the page still renders.
 */
function userhash (options) {
  if (options == null || typeof options.widgets !== 'object' || options.widgets === null) {
    throw new TypeError('userhash/express: options.widgets is required')
  }
  const getUser = options.user ?? ((req) => req.user)
  // The CSP nonce of the response: options.nonce(req, res), else res.locals.cspNonce
  // (where helmet-style middleware usually leaves it).
  const getNonce = options.nonce ?? ((req, res) => res.locals.cspNonce)
  const { local = 'userhash', onError } = options
  const widgets = Object.entries(options.widgets).map(([name, w]) => {
    const signer = buildSigner(name, w)
    const identity = w.identity ?? defaultIdentity(signer)
    if (typeof identity !== 'function') {
      throw new TypeError(`userhash/express: widget ${name}: scheme ${signer.scheme} needs an identity(user) function`)
    }
    const embed = w.embed
    if (embed !== undefined && (embed === null || (typeof embed !== 'object' && typeof embed !== 'function'))) {
      throw new TypeError(`userhash/express: widget ${name}: embed must be the embed options or a function returning them`)
    }
    return { name, signer, identity, embed }
  })

  return function userhashMiddleware (req, res, next) {
    const user = getUser(req)
    const out = {}
    let nonce // read once, for the first widget signed
    for (const { name, signer, identity, embed } of widgets) {
      out[name] = null
      if (user == null) continue
      try {
        const input = identity(user, req)
        if (nonce === undefined) nonce = getNonce(req, res) ?? null
        const render = (extra) => {
          const opts = { ...(typeof embed === 'function' ? embed(user, req) : embed), ...extra }
          if (nonce !== null && opts.nonce === undefined && (opts.form ?? 'script') === 'script') opts.nonce = nonce
          return signer.embed(input, opts)
        }
        // The snippet raises the identity's errors as sign would; a token preset's
        // snippet carries a token, so with an embed the hash is made only when read.
        const snippet = embed === undefined ? null : render()
        let hash = embed === undefined ? signer.sign(input) : undefined
        out[name] = { input, snippet, embed: render, get hash () { return (hash ??= signer.sign(input)) } }
      } catch (err) {
        if (typeof onError !== 'function') return next(err)
        onError(err, { widget: name, req })
      }
    }
    res.locals[local] = out
    next()
  }
}

module.exports = { userhash, Signer }
