'use strict'
// Every ```js example of README.md that requires 'userhash' runs (its asserts are the
// checks), with `require('userhash')` resolving to this package.
const test = require('node:test')
const fs = require('node:fs')
const path = require('node:path')

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
const blocks = [...README.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1])
  .filter((code) => /^const .* = require\('userhash'\)$/m.test(code) && !/\b(user|app|req)\./.test(code))

test('README has runnable examples', (t) => t.assert.ok(blocks.length >= 2))
blocks.forEach((code, i) => {
  test(`README example ${i + 1}: ${code.split('\n').find((l) => l.includes('new Signer')) ?? ''}`, () => {
    const req = (name) => require(name === 'userhash' ? '..' : name)
    process.env.ENSORAS_WIDGET_SECRET ??= 'readme-secret'
    // eslint-disable-next-line no-new-func
    new Function('require', 'console', code)(req, { log () {} })
  })
})
