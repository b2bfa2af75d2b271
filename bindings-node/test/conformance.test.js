'use strict'
// Golden vectors (docs/design.md, "Golden vectors") as node:test cases, one per vector.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { vectorFiles, loadVectors, checkVector } = require('./vectors.js')

for (const file of vectorFiles()) {
  test(`vectors ${path.basename(file)}`, async (t) => {
    const vectors = loadVectors(file)
    assert.ok(vectors.length > 0, 'file holds vectors')
    for (const v of vectors) {
      await t.test(v.id, () => {
        assert.deepEqual(checkVector(v), [])
      })
    }
  })
}
