'use strict'
// The typings cannot drift from the package: every value userhash.d.ts exports exists at
// runtime and vice versa, and so does every member of the Signer class (read with the
// TypeScript compiler's own parser). The same for userhash/express.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const ts = require('typescript')

// Exported values (not types) of a .d.ts, and the members of each exported class.
function declared (file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const values = new Set()
  const classes = {}
  const exported = (node) => (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node) && node.exportClause) {
      for (const e of node.exportClause.elements) values.add(e.name.text)
    } else if (ts.isVariableStatement(node) && exported(node)) {
      for (const d of node.declarationList.declarations) values.add(d.name.text)
    } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && exported(node)) {
      values.add(node.name.text)
      if (ts.isClassDeclaration(node)) {
        const members = { instance: new Set(), static: new Set() }
        for (const m of node.members) {
          if (!m.name || ts.isConstructorDeclaration(m)) continue
          const isStatic = (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) !== 0
          members[isStatic ? 'static' : 'instance'].add(m.name.text)
        }
        classes[node.name.text] = members
      }
    }
  }
  return { values, classes }
}

// Own string-named members of a class at runtime (prototype and static).
function runtimeMembers (cls) {
  const skip = new Set(['constructor', 'length', 'name', 'prototype'])
  const names = (o) => Object.getOwnPropertyNames(o).filter((n) => !skip.has(n))
  return { instance: new Set(names(cls.prototype)), static: new Set(names(cls)) }
}

for (const [stub, module] of [['userhash.d.ts', '..'], ['express.d.ts', '../express.js']]) {
  test(`${stub} matches the runtime exports`, () => {
    const { values, classes } = declared(path.join(__dirname, '..', stub))
    const runtime = require(module)
    assert.deepEqual([...values].sort(), Object.keys(runtime).sort())
    for (const [name, members] of Object.entries(classes)) {
      if (!(name in runtime)) continue
      const got = runtimeMembers(runtime[name])
      // Data members of UserhashError (code, path, item, name) are set per instance.
      if (name.endsWith('Error')) continue
      assert.deepEqual([...members.instance].sort(), [...got.instance].sort(), `${name} members`)
      assert.deepEqual([...members.static].sort(), [...got.static].sort(), `${name} static members`)
    }
  })
}

test('every error class the core makes is declared, each extending UserhashError', () => {
  const src = fs.readFileSync(path.join(__dirname, '..', 'userhash.d.ts'), 'utf8')
  const runtime = require('..')
  for (const name of Object.keys(runtime).filter((n) => n.endsWith('Error') && n !== 'UserhashError')) {
    assert.match(src, new RegExp(`export declare class ${name} extends UserhashError`), name)
  }
})
