'use strict'
// The conformance runner (docs/design.md, the vector format) for the Node binding: reads USERHASH_VECTORS
// (a vectors file or a directory of *.json; default <repo>/tests/vectors) and
// checks each vector through the public Signer API, plus node:crypto's own HMAC
// over the expected canonical bytes. Expected values come only from the vectors.

const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')
const { Signer, UserhashError } = require('..')

const REPO = path.resolve(__dirname, '..', '..')

function vectorFiles (target = process.env.USERHASH_VECTORS || path.join(REPO, 'tests', 'vectors')) {
  if (fs.statSync(target).isDirectory()) {
    return fs.readdirSync(target)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => path.join(target, f))
  }
  return [target]
}

// JSON.parse is what the vendor's Node server would do with this text, and the
// oracle computed the expected values from exactly that.
function loadVectors (file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
  if (doc.version !== 1 || !Array.isArray(doc.vectors)) throw new Error(`${file}: not a version 1 vectors file`)
  return doc.vectors
}

function flip (hash) {
  const last = hash[hash.length - 1]
  return hash.slice(0, -1) + (last === '0' ? '1' : '0')
}

function codeOf (fn) {
  try {
    fn()
  } catch (e) {
    if (!(e instanceof UserhashError)) return `non-UserhashError ${e && e.name}: ${e && e.message}`
    return e.code
  }
  return null
}

/** Returns a list of problems with one vector (empty = pass). */
function checkVector (v) {
  const problems = []
  if (v.error !== undefined) {
    let signer
    const built = codeOf(() => { signer = new Signer(v.secret, v.preset, v.signer_options) })
    if (built !== null) {
      if (built !== v.error) problems.push(`constructor: expected error ${v.error}, got ${built}`)
      return problems
    }
    const got = {
      sign: codeOf(() => signer.sign(v.input)),
      canonical: codeOf(() => signer.canonical(v.input)),
      verify: codeOf(() => signer.verify('0'.repeat(64), v.input))
    }
    for (const [op, code] of Object.entries(got)) {
      if (code !== v.error) problems.push(`${op}: expected error ${v.error}, got ${code === null ? 'no error' : code}`)
    }
    return problems
  }
  let signer
  try {
    signer = new Signer(v.secret, v.preset, v.signer_options)
  } catch (e) {
    return [`constructor threw ${e.code || e.name}: ${e.message}`]
  }
  const attempt = (op, fn) => {
    try {
      return fn()
    } catch (e) {
      problems.push(`${op} threw ${e.code || e.name}: ${e.message}`)
      return undefined
    }
  }
  const canonical = attempt('canonical', () => signer.canonical(v.input))
  if (canonical !== undefined && canonical !== v.canonical) {
    problems.push(`canonical: expected ${JSON.stringify(v.canonical).slice(0, 200)}, got ${JSON.stringify(canonical).slice(0, 200)}`)
  }
  const hash = attempt('sign', () => signer.sign(v.input))
  if (hash !== undefined && hash !== v.hash) problems.push(`hash: expected ${v.hash}, got ${hash}`)
  // The key is the secret's UTF-8 bytes, or (secret_encoding hex/base64) the decoded bytes the vector gives.
  const key = v.key_hex === undefined ? v.secret : Buffer.from(v.key_hex, 'hex')
  const stdlib = crypto.createHmac('sha256', key).update(v.canonical, 'utf8').digest('hex')
  if (stdlib !== v.hash) problems.push(`node:crypto HMAC over the canonical bytes gives ${stdlib}, vector says ${v.hash}`)
  if (attempt('verify', () => signer.verify(v.hash, v.input)) === false) problems.push('verify(hash) is false')
  if (attempt('verify', () => signer.verify(flip(v.hash), v.input)) === true) problems.push('verify(changed hash) is true')
  return problems
}

/** Runs every vector; returns { passed, failed, failures: [{file, id, problems}] }. */
function runAll (files = vectorFiles()) {
  const result = { passed: 0, failed: 0, failures: [] }
  for (const file of files) {
    for (const v of loadVectors(file)) {
      const problems = checkVector(v)
      if (problems.length === 0) {
        result.passed++
      } else {
        result.failed++
        result.failures.push({ file: path.basename(file), id: v.id, problems })
      }
    }
  }
  return result
}

module.exports = { vectorFiles, loadVectors, checkVector, runAll }

// `node test/vectors.js`: the `make conformance` line.
if (require.main === module) {
  let result
  try {
    result = runAll()
  } catch (e) {
    console.error(`node: cannot run vectors: ${e.message}`)
    console.log('node: 0 passed, 1 failed')
    process.exit(1)
  }
  for (const f of result.failures.slice(0, 20)) {
    console.error(`FAIL ${f.file} ${f.id}: ${f.problems.join('; ')}`)
  }
  if (result.failures.length > 20) console.error(`… and ${result.failures.length - 20} more`)
  console.log(`node: ${result.passed} passed, ${result.failed} failed`)
  process.exit(result.failed === 0 && result.passed > 0 ? 0 : 1)
}
