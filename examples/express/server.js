'use strict'
// ENSORAS_WIDGET_SECRET=... FLUENTBOT_WIDGET_SECRET=... node server.js
// then open http://127.0.0.1:3000/?as=alice
const { createApp } = require('./app.js')

const port = Number(process.env.PORT ?? 3000)
createApp().listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${port}/?as=alice`)
})
