'use strict'
// userhash/express: signs the logged-in user's identity for each configured chat
// widget and puts the result on `res.locals`, for the page template.
//
//   app.use(userhash({
//     widgets: {
//       support: { preset: 'ensoras', secretEnv: 'ENSORAS_WIDGET_SECRET' },
//       chat: { signer: fluentbotSigner, identity: (user) => ({ visitor: {...} }) }
//     }
//   }))
//   // template: res.locals.userhash.support → { hash, input } or null (anonymous)

const { Signer } = require('./userhash.js')

// What each preset signs, taken from a user object, when a widget gives no
// `identity` function. Only field selection: the rules stay in the core.
const DEFAULT_IDENTITY = {
  layerup: (user) => ({ email: user.email }),
  ensoras: (user) => ({ email: user.email }),
  inviaro: (user) => ({ user_id: user.id }),
  supportwire: (user) => ({ external_id: user.externalId, email: user.email }),
  fluentbot: (user) => ({ visitor: { name: user.name, email: user.email, data: user.data ?? null } })
}

function buildSigner (name, w) {
  if (w.signer instanceof Signer) return w.signer
  if (w.signer !== undefined) throw new TypeError(`userhash/express: widget ${name}: signer must be a userhash Signer`)
  if (w.secretEnv !== undefined) {
    return Signer.fromEnv(w.secretEnv, w.preset, { previousVars: w.previousVars })
  }
  return new Signer(w.secret, w.preset, { previous: w.previous })
}

/**
 * Express middleware: for each widget, `res.locals[local][widget]` becomes
 * `{ hash, input }` for the current user (from `options.user(req)`, default
 * `req.user`), or `null` when nobody is logged in.
 *
 * A widget is `{ signer }` or `{ preset, secret | secretEnv, previous | previousVars }`,
 * plus an optional `identity(user, req)` returning the sign input (defaults per
 * preset: `{email}`, `{user_id: user.id}`, `{external_id: user.externalId, email}`,
 * `{visitor: {name, email, data}}`). Signers are built once, here: a bad secret or
 * preset fails at startup, not on a request.
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
  const local = options.local ?? 'userhash'
  const onError = options.onError
  const widgets = Object.entries(options.widgets).map(([name, w]) => {
    const signer = buildSigner(name, w)
    const identity = w.identity ?? DEFAULT_IDENTITY[signer.scheme]
    if (typeof identity !== 'function') {
      throw new TypeError(`userhash/express: widget ${name}: scheme ${signer.scheme} needs an identity(user) function`)
    }
    return { name, signer, identity }
  })

  return function userhashMiddleware (req, res, next) {
    const user = getUser(req)
    const out = {}
    for (const { name, signer, identity } of widgets) {
      if (user == null) {
        out[name] = null
        continue
      }
      try {
        const input = identity(user, req)
        out[name] = { hash: signer.sign(input), input }
      } catch (err) {
        if (typeof onError !== 'function') return next(err)
        onError(err, { widget: name, req })
        out[name] = null
      }
    }
    res.locals[local] = out
    next()
  }
}

module.exports = { userhash, Signer }
