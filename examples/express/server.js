'use strict'
// ENSORAS_WIDGET_SECRET=... FLUENTBOT_WIDGET_SECRET=... node server.js
// then open http://127.0.0.1:3000/?as=alice
//
// USERHASH_EMBED_TEST_ROUTE=1 USERHASH_SECRET=... also mounts the test-only
// POST /userhash/embed route the browser test (tests/browser) drives; the
// site's own widgets then default to that secret.
const { createApp } = require('./app.js')

const testRoute = process.env.USERHASH_EMBED_TEST_ROUTE === '1'
if (testRoute) {
  process.env.ENSORAS_WIDGET_SECRET ||= process.env.USERHASH_SECRET
  process.env.FLUENTBOT_WIDGET_SECRET ||= process.env.USERHASH_SECRET
}
const port = Number(process.env.PORT ?? 3000)
createApp({ embedTestRoute: testRoute }).listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${port}/?as=alice`)
})
