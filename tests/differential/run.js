#!/usr/bin/env node
// Differential test: random inputs for every preset, canonical form + hash computed by
// the oracle (the vendors' own Node snippets + userhash's refusal policy, taken from
// tests/oracle/generate.js) and by the core (`userhash check-vectors --jsonl -`, one
// long-running child process). Every difference is shrunk to a minimal reproducer.
//
//   node tests/differential/run.js [--n 20000] [--seed 1] [--cli target/release/userhash]
//                                  [--batch 2000] [--case I] [--max-report 10] [--quiet]
//
// Prints `differential: N cases, D differences` last; exits 1 on any difference.
// Node 20, builtins only. See tests/differential/README.md.
'use strict';

const path = require('node:path');
const { ROOT, loadOracle, Core, vectorLine, rng } = require('./lib.js');

// ---------------------------------------------------------------------------
// Arguments.
// ---------------------------------------------------------------------------
const args = { n: 20000, seed: 1, cli: path.join(ROOT, 'target', 'release', 'userhash'), batch: 2000,
  case: null, maxReport: 10, quiet: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const val = () => process.argv[++i];
  if (a === '--n') args.n = Number(val());
  else if (a === '--seed') args.seed = Number(val());
  else if (a === '--cli') args.cli = path.resolve(val());
  else if (a === '--batch') args.batch = Number(val());
  else if (a === '--case') args.case = Number(val());
  else if (a === '--max-report') args.maxReport = Number(val());
  else if (a === '--quiet') args.quiet = true;
  else throw new Error(`unknown argument ${a}`);
}
if (!Number.isSafeInteger(args.n) || args.n < 0) throw new Error('--n: a non-negative integer');
if (!Number.isSafeInteger(args.seed) || args.seed < 0 || args.seed > 0xffffffff) throw new Error('--seed: 0 … 2^32-1');

const oracle = loadOracle();

// ---------------------------------------------------------------------------
// Code-point classes, from the running Node's Unicode tables (lone surrogates never).
// ---------------------------------------------------------------------------
const isSurrogate = (cp) => cp >= 0xd800 && cp <= 0xdfff;
const CLS = { upper: [], cased: [], ignorable: [], format: [], space: [], mark: [] };
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (isSurrogate(cp)) continue;
  const s = String.fromCodePoint(cp);
  if (s.toLowerCase() !== s) CLS.upper.push(cp);
  if (/\p{Cased}/u.test(s)) CLS.cased.push(cp);
  if (/\p{Case_Ignorable}/u.test(s)) CLS.ignorable.push(cp);
  if (/\p{Cf}/u.test(s)) CLS.format.push(cp);
  if (/[\p{White_Space}\p{Zs}]/u.test(s)) CLS.space.push(cp);
  if (/\p{M}/u.test(s)) CLS.mark.push(cp);
}
const TRIM_EDGE = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029,
  0x202f, 0x205f, 0x3000, 0xfeff, 0x85, 0x200b, 0x180e, 0x2060, 0x1c, 0x1d, 0x1e, 0x1f, 0x00];
const LINE_TERMINATORS = [0x0a, 0x0d, 0x2028, 0x2029, 0x85];
const CONTROLS = [...Array(32).keys(), ...Array.from({ length: 33 }, (_, i) => 0x7f + i)];
const SURROGATE_ADJACENT = [0xd7fe, 0xd7ff, 0xe000, 0xe001, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x10001,
  0x1ffff, 0xefffd, 0x10fffe, 0x10ffff, 0xfeff];
const SPECIAL = [0x130, 0x131, 0x49, 0x69, 0x1e9e, 0xdf, 0x212a, 0x2126, 0x212b, 0x1c5, 0x1c4, 0x1c6,
  0x1c8, 0x1cb, 0x1f2, 0x3a3, 0x3c2, 0x3c3, 0x345, 0x399, 0x10400, 0x10428, 0xff21, 0x1e900, 0x16e40,
  0x10c80, 0x118a0, 0x1e92b, 0x2c2f, 0xa7c0, 0xa7dc, 0x1c89, 0x10d50, 0x16ea0];
const ASCII_PRINT = Array.from({ length: 95 }, (_, i) => 0x20 + i);
const EMAIL_PUNCT = [...'@._-+\'"\\/<>&'].map((c) => c.codePointAt(0));
const SIGMA = 0x3a3;

// ---------------------------------------------------------------------------
// Generators. Each case draws from its own PRNG stream (seed, case index).
// ---------------------------------------------------------------------------
// Weighted tables are built once: [[weight, (r) => value], …].
function table(rows) {
  const t = rows.map(([w, f]) => [w, f]);
  t.total = rows.reduce((a, [w]) => a + w, 0);
  return t;
}
function draw(r, t) {
  let x = r.float() * t.total;
  for (let i = 0; i < t.length; i++) {
    if ((x -= t[i][0]) < 0) return t[i][1](r);
  }
  return t[t.length - 1][1](r);
}
const anyScalar = (r, lo, hi) => { let cp; do cp = r.range(lo, hi); while (isSurrogate(cp)); return cp; };
const CODE_POINTS = table([
  [14, (r) => r.range(0x41, 0x5a)],
  [10, (r) => r.range(0x61, 0x7a)],
  [6, (r) => r.pick(ASCII_PRINT)],
  [4, (r) => r.pick(EMAIL_PUNCT)],
  [14, (r) => r.pick(CLS.upper)],
  [6, (r) => r.pick(CLS.cased)],
  [6, (r) => r.pick(CLS.ignorable)],
  [4, () => SIGMA],
  [4, (r) => r.pick(SPECIAL)],
  [5, (r) => r.pick(CLS.space)],
  [3, (r) => r.pick(TRIM_EDGE)],
  [2, (r) => r.pick(LINE_TERMINATORS)],
  [3, (r) => r.pick(CLS.format)],
  [2, (r) => r.pick(CLS.mark)],
  [3, (r) => r.pick(CONTROLS)],
  [2, (r) => r.pick(SURROGATE_ADJACENT)],
  [4, (r) => r.range(0x10000, 0x10ffff)],
  [4, (r) => anyScalar(r, 0, 0x10ffff)],
  [3, (r) => r.range(0x80, 0x7ff)],
  [3, (r) => anyScalar(r, 0x800, 0xffff)],
]);
const genCodePoint = (r) => draw(r, CODE_POINTS);

// A Greek-sigma context: [cased|ignorable|other]* Σ [ignorable]* [cased|other|end].
function genSigmaContext(r) {
  const part = () => r.weighted([
    [4, () => r.pick(CLS.cased)], [4, () => r.pick(CLS.ignorable)], [2, () => r.pick(CLS.space)],
    [2, () => r.range(0x391, 0x3a9)], [1, () => SIGMA], [1, () => r.pick(CLS.format)], [1, () => genCodePoint(r)],
  ])();
  const cps = [];
  for (let i = r.int(4); i > 0; i--) cps.push(part());
  cps.push(SIGMA);
  for (let i = r.int(3); i > 0; i--) cps.push(r.chance(0.7) ? r.pick(CLS.ignorable) : SIGMA);
  for (let i = r.int(3); i > 0; i--) cps.push(part());
  return cps;
}

function genString(r, maxLen = 24) {
  const x = r.float() * 10.05;
  const len = x < 3 ? r.int(4) : x < 9 ? r.int(maxLen + 1) : x < 10 ? r.int(4 * maxLen + 1) : r.range(200, 2000);
  const cps = [];
  while (cps.length < len) {
    if (r.chance(0.06)) cps.push(...genSigmaContext(r));
    else if (r.chance(0.04)) { const c = r.pick(TRIM_EDGE); for (let k = r.range(1, 3); k > 0; k--) cps.push(c); }
    else cps.push(genCodePoint(r));
  }
  let s = String.fromCodePoint(...cps);
  // Whitespace at the ends (trim) and at the start of a word.
  if (r.chance(0.15)) s = String.fromCodePoint(r.pick(r.chance(0.5) ? TRIM_EDGE : CLS.space)) + s;
  if (r.chance(0.15)) s += String.fromCodePoint(r.pick(r.chance(0.5) ? TRIM_EDGE : CLS.space));
  return s;
}

// An email-looking string or any string.
function genEmail(r) {
  if (r.chance(0.3)) {
    const local = genString(r, 12);
    const domain = genString(r, 10);
    return `${local}@${domain}.${r.pick(['com', 'GR', 'Tr', 'ΕΛ', 'рф', 'de', ''])}`;
  }
  return genString(r);
}

// JSON number text: JSON.parse reads it as a double; ids use plain integers only.
const TWO53 = 2n ** 53n;
function genIntegerText(r) {
  return r.weighted([
    [4, () => String(r.range(-1000, 1000))],
    [3, () => String(BigInt(r.range(-20, 20)) + (r.chance(0.5) ? TWO53 : -TWO53))],
    [2, () => String(BigInt(r.u32()) * BigInt(r.u32()) * (r.chance(0.5) ? 1n : -1n))],
    [2, () => { const k = r.pick([31, 32, 52, 53, 54, 63, 64, 127, 128, 200, 1023, 1024, 1025]); return String((2n ** BigInt(k)) + BigInt(r.range(-3, 3)) * (r.chance(0.3) ? -1n : 1n)); }],
    [2, () => (r.chance(0.3) ? '-' : '') + String(r.range(1, 9)) + Array.from({ length: r.int(40) }, () => r.int(10)).join('')],
    [0.3, () => (r.chance(0.3) ? '-' : '') + '1' + '0'.repeat(r.range(300, 420))],
    [1, () => r.pick(['0', '-0', '9007199254740991', '-9007199254740991', '9007199254740992', '9007199254740993',
      '18446744073709551615', '18446744073709551616', '-9223372036854775808', '170141183460469231731687303715884105727',
      '170141183460469231731687303715884105728', '-170141183460469231731687303715884105729', '4294967295', '4294967294'])],
  ])();
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
function randomDouble(r, subnormal) {
  do {
    U32[0] = r.u32();
    U32[1] = subnormal ? (r.u32() & 0x800fffff) : r.u32();
  } while (!Number.isFinite(F64[0]));
  return F64[0];
}
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
function genNumberText(r) {
  const text = r.weighted([
    [3, () => genIntegerText(r)],
    [4, () => String(randomDouble(r, false))],
    [2, () => String(randomDouble(r, true))],
    [2, () => randomDouble(r, r.chance(0.2)).toExponential(r.int(25))],
    [2, () => randomDouble(r, false).toPrecision(r.range(1, 30))],
    [2, () => (r.float() * 10 ** r.range(-8, 22)).toFixed(r.int(12))],
    [2, () => String(r.range(-99, 99) * 10 ** r.range(-12, 25))],
    [1, () => r.pick(['-0', '-0.0', '0.0', '0e0', '-0E+00', '0.000001', '1e-7', '1e21', '1E21', '1e20', '999999999999999999999',
      '1e400', '-1e400', '1e-400', '-1e-400', '5e-324', '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324',
      '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '2.2250738585072011e-308',
      '2.2250738585072014e-308', '0.30000000000000004', '100.0', '1.0', '123e-20', '2.5e+3', '9007199254740993.0',
      '0.1' + '0'.repeat(500) + '1', '1' + '0'.repeat(30) + '.5e-30', '8.98846567431158e307'])],
    [1, () => { const d = Array.from({ length: r.range(17, 800) }, () => r.int(10)).join(''); return `${r.chance(0.5) ? '-' : ''}${r.range(1, 9)}.${d}e${r.range(-330, 310)}`; }],
  ])();
  let t = text;
  if (!JSON_NUMBER.test(t)) t = String(randomDouble(r, false));
  // Spellings JSON allows and JS never writes: E, e+, trailing fraction zeros.
  if (r.chance(0.1)) t = t.replace('e', 'E');
  if (r.chance(0.1)) t = t.replace('e+', 'e');
  if (r.chance(0.1) && /\.[0-9]+$/.test(t)) t += '0'.repeat(r.range(1, 5));
  if (!JSON_NUMBER.test(t)) throw new Error(`generated bad number ${t}`);
  return t;
}

// Trees: {k:'o', pairs}, {k:'a', items}, {k:'n', text}, string, true, false, null.
const KEYS = ['0', '1', '2', '9', '10', '01', '00', '-0', '-1', '+1', '1.5', '1e3', ' 1', '1 ', '4294967294',
  '4294967295', '4294967296', '4294967293', '2147483648', '99999999999', '', '__proto__', 'constructor',
  'toString', 'name', 'email', 'data', 'a', 'b', 'z', 'A', 'ünï', '😀', 'Σ', '\u2028', 'nul\u0000', 'a"b', 'b\\s'];
function genKey(r) {
  return r.weighted([
    [6, () => r.pick(KEYS)],
    [3, () => String(r.int(r.pick([10, 100, 100000, 4294967296])))],
    [4, () => genString(r, 8)],
  ])();
}

function genValue(r, depth) {
  const leaf = () => r.weighted([
    [1, () => null], [1, () => true], [1, () => false],
    [4, () => ({ k: 'n', text: genNumberText(r) })],
    [5, () => genString(r)],
  ])();
  if (depth <= 0 || r.chance(0.45)) return leaf();
  if (r.chance(0.45)) {
    const items = [];
    for (let i = r.int(5); i > 0; i--) items.push(genValue(r, depth - 1));
    return { k: 'a', items };
  }
  return { k: 'o', pairs: genPairs(r, r.int(6), () => genValue(r, depth - 1)) };
}
function genPairs(r, n, gen) {
  const pairs = [];
  for (let i = 0; i < n; i++) {
    // Duplicate keys now and then: JSON.parse keeps the first position, the last value.
    const key = pairs.length && r.chance(0.08) ? r.pick(pairs)[0] : genKey(r);
    pairs.push([key, gen()]);
  }
  return pairs;
}

// Nested arrays/objects around a leaf, for the depth limit (payload object = level 1).
function genDeep(r) {
  let node = r.chance(0.5) ? genValue(r, 0) : (r.chance(0.5) ? { k: 'a', items: [] } : { k: 'o', pairs: [] });
  for (let i = r.range(120, 132); i > 0; i--) {
    node = r.chance(0.5) ? { k: 'a', items: [node] } : { k: 'o', pairs: [[genKey(r), node]] };
  }
  return node;
}

// A JSON string literal; some characters escaped in ways JSON.stringify never uses.
function writeString(r, s) {
  if (!r || !r.chance(0.1)) return JSON.stringify(s);
  let out = '"';
  for (const ch of s) {
    if (r.chance(0.3)) {
      const hex = (u) => u.toString(16).padStart(4, '0');
      let esc = '';
      for (let i = 0; i < ch.length; i++) esc += '\\u' + hex(ch.charCodeAt(i));
      out += r.chance(0.5) ? esc.toUpperCase().replace(/\\U/g, '\\u') : esc;
    } else if (ch === '/' && r.chance(0.5)) {
      out += '\\/';
    } else {
      out += JSON.stringify(ch).slice(1, -1);
    }
  }
  return out + '"';
}
// The JSON text of a tree; `r` (optional) adds insignificant spaces and escapes.
function write(node, r) {
  const sp = () => (r && r.chance(0.05) ? r.pick([' ', '\t', '  ']) : '');
  if (node === null) return 'null';
  if (node === true) return 'true';
  if (node === false) return 'false';
  if (typeof node === 'string') return writeString(r, node);
  if (node.k === 'n') return node.text;
  if (node.k === 'a') return '[' + node.items.map((v) => sp() + write(v, r) + sp()).join(',') + ']';
  if (node.k === 'o') return '{' + node.pairs.map(([k, v]) => sp() + writeString(r, k) + sp() + ':' + sp() + write(v, r) + sp()).join(',') + '}';
  throw new Error('bad node');
}

// Ids: strings, or plain integer text inside ±(2^53−1) — the oracle's domain
// (tests/oracle/README.md: "Numeric ids are always written as plain integers inside
// ±(2^53−1)"); wrong types now and then.
function genId(r) {
  return r.weighted([
    [10, () => genString(r)],
    [1, () => String(r.range(0, 99999))],
    [2, () => ({ k: 'n', text: r.weighted([
      [3, () => String(r.range(-100000, 100000))],
      [1, () => String((9007199254740991 - r.int(10)) * (r.chance(0.5) ? 1 : -1))],
      [1, () => String(r.u32() * 2048 + r.int(2048))],
      [0.2, () => '-0'],
    ])() })],
    [0.6, () => genWrong(r)],
  ])();
}
function genWrong(r) {
  return r.weighted([
    [1, () => null], [1, () => true], [1, () => false], [1, () => ({ k: 'a', items: [] })],
    [1, () => ({ k: 'o', pairs: [] })], [1, () => ({ k: 'a', items: [genString(r, 4)] })],
    [2, () => ({ k: 'n', text: r.pick(['1.5', '-0.5', '0.1', '1e400', '-1e400', '3.14', '1e-7']) })],
  ])();
}
function genEmailValue(r) {
  return r.chance(0.95) ? genEmail(r) : genWrong(r);
}

function genVisitor(r) {
  const fields = [];
  if (r.chance(0.75)) fields.push(['name', r.chance(0.8) ? genString(r) : (r.chance(0.5) ? null : genValue(r, 2))]);
  if (r.chance(0.75)) fields.push(['email', r.chance(0.8) ? genEmail(r) : (r.chance(0.5) ? null : genValue(r, 2))]);
  if (r.chance(0.7)) {
    fields.push(['data', r.weighted([
      [10, () => genValue(r, 4)],
      [1, () => null],
      [1, () => ''],
      [0.4, () => genDeep(r)],
    ])()]);
  }
  for (let i = r.weighted([[6, 0], [2, 1], [1, 3]]); i > 0; i--) fields.push([genKey(r), genValue(r, 2)]);
  // Shuffle, and repeat a field now and then (the last value wins, as in JSON.parse).
  for (let i = fields.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [fields[i], fields[j]] = [fields[j], fields[i]];
  }
  if (fields.length && r.chance(0.05)) {
    const [k] = r.pick(fields);
    fields.push([k, k === 'data' ? genValue(r, 3) : genString(r)]);
  }
  if (r.chance(0.01)) return genWrong(r);
  return { k: 'o', pairs: fields };
}

function genInput(r, preset) {
  const pairs = [];
  switch (preset) {
    case 'layerup': case 'ensoras':
      if (r.chance(0.98)) pairs.push(['email', genEmailValue(r)]);
      break;
    case 'inviaro':
      if (r.chance(0.98)) pairs.push(['user_id', genId(r)]);
      break;
    case 'supportwire': {
      const ext = r.weighted([[5, 'id'], [1, 'null'], [4, 'absent']]);
      if (ext !== 'absent') pairs.push(['external_id', ext === 'id' ? genId(r) : null]);
      const em = r.weighted([[6, 'email'], [1, 'null'], [3, 'absent']]);
      if (em !== 'absent') pairs.push(['email', em === 'email' ? genEmailValue(r) : null]);
      if (r.chance(0.5)) pairs.reverse();
      break;
    }
    case 'fluentbot':
      pairs.push(['visitor', genVisitor(r)]);
      break;
    default: // unknown preset: any field
      pairs.push([r.pick(['email', 'user_id', 'visitor']), genString(r)]);
  }
  // A field the preset does not take, now and then.
  if (r.chance(0.01)) pairs.push([r.pick(['email', 'user_id', 'external_id', 'visitor', 'mail', 'Email', 'user-id']), genString(r, 4)]);
  // (No field twice at the top level: a binding's sign call cannot repeat a keyword.)
  const seen = new Set();
  return { k: 'o', pairs: pairs.filter(([k]) => !seen.has(k) && seen.add(k)) };
}

const SECRETS = ['s3cr3t', 'k', 'K'.repeat(64), 'K'.repeat(65), 'é'.repeat(32), 'é'.repeat(33), 'sec\u0000ret', ' '];
function genSecret(r) {
  return r.weighted([
    [6, () => r.pick(SECRETS)],
    [3, () => genString(r, 40) || 'k'],
    [1, () => genString(r, 200) || 'k'],
    [0.03, () => ''],
  ])();
}

function genCase(i) {
  const r = rng(args.seed, i);
  const preset = r.chance(0.003)
    ? r.pick(['Ensoras', 'intercom', '', 'fluentbot ', 'LAYERUP', ' ensoras'])
    : oracle.PRESETS[r.int(oracle.PRESETS.length)];
  const secret = genSecret(r);
  const input = genInput(r, preset);
  return { id: String(i), preset, secret, input, inputText: write(input, r) };
}

// ---------------------------------------------------------------------------
// Shrinking: drop characters, entries and levels while the core still disagrees.
// ---------------------------------------------------------------------------
function* smaller(node) {
  if (typeof node === 'string') {
    const cps = [...node];
    for (let size = Math.max(1, cps.length >> 1); size >= 1; size >>= 1) {
      for (let at = 0; at + size <= cps.length; at += size) {
        yield cps.slice(0, at).concat(cps.slice(at + size)).join('');
      }
    }
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (node.k === 'n') {
    if (node.text !== '0') yield { k: 'n', text: '0' };
    return;
  }
  const kids = node.k === 'a' ? node.items : node.pairs.map(([, v]) => v);
  for (let i = 0; i < kids.length; i++) {
    if (node.k === 'a') yield { k: 'a', items: node.items.filter((_, j) => j !== i) };
    else yield { k: 'o', pairs: node.pairs.filter((_, j) => j !== i) };
  }
  for (const kid of kids) if (kid !== null && typeof kid === 'object') yield kid; // drop a level
  for (let i = 0; i < kids.length; i++) {
    for (const s of smaller(kids[i])) {
      if (node.k === 'a') yield { k: 'a', items: node.items.map((v, j) => (j === i ? s : v)) };
      else yield { k: 'o', pairs: node.pairs.map(([k, v], j) => [k, j === i ? s : v]) };
    }
    if (node.k === 'o') {
      for (const s of smaller(node.pairs[i][0])) {
        yield { k: 'o', pairs: node.pairs.map(([k, v], j) => [j === i ? s : k, v]) };
      }
    }
  }
}

async function stillDiffers(core, c) {
  let built;
  try {
    built = vectorLine(oracle, 'shrink', c.preset, c.secret, write(c.input));
  } catch (e) {
    return false; // the oracle itself refused to evaluate this candidate
  }
  const [res] = await core.check([built.line]);
  return res.ok ? false : { built, res };
}

async function shrink(core, c) {
  let cur = { ...c };
  let last = await stillDiffers(core, cur);
  if (!last) return { c: cur, last: null, flaky: true };
  let budget = 20000;
  for (const secret of ['k']) {
    if (cur.secret !== secret) {
      const cand = { ...cur, secret };
      const d = await stillDiffers(core, cand);
      if (d) { cur = cand; last = d; }
    }
  }
  for (let s of smaller(cur.secret)) {
    if (s === '') continue;
    const d = await stillDiffers(core, { ...cur, secret: s });
    if (d) { cur = { ...cur, secret: s }; last = d; }
  }
  let progress = true;
  while (progress && budget > 0) {
    progress = false;
    for (const input of smaller(cur.input)) {
      if (--budget <= 0) break;
      if (input === null || typeof input !== 'object' || input.k !== 'o') continue; // input stays an object
      const d = await stillDiffers(core, { ...cur, input });
      if (d) { cur = { ...cur, input }; last = d; progress = true; break; }
    }
  }
  return { c: cur, last };
}

function describe(c, last) {
  const inputText = write(c.input);
  const want = last.built.want;
  const got = last.res;
  const esc = (s) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
  return [
    `  preset ${JSON.stringify(c.preset)}, secret ${esc(c.secret)}`,
    `  input  ${esc(inputText).slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\')}`,
    `  oracle ${want.error ? `error ${want.error}` : `canonical ${esc(want.canonical)}  hash ${want.hash}`}`,
    got.text_path
      ? `  core   from the parsed input agrees with the oracle; from the input's text: ${got.text_path.error ? `error ${got.text_path.error}: ${got.text_path.message}` : `canonical ${esc(got.text_path.canonical)}  hash ${got.text_path.hash}`}`
      : `  core   ${got.error ? `error ${got.error}: ${got.message}` : got.bad_line ? `bad line: ${got.bad_line}` : `canonical ${esc(got.canonical)}  hash ${got.hash}  verify ${got.verified}/${got.verified_flipped}`}`,
    `  vector ${last.built.line.replace('"id":"shrink"', '"id":"differential-shrunk"')}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Main loop: keep two batches in flight, so Node generates while the core checks.
// ---------------------------------------------------------------------------
async function main() {
  const started = Date.now();
  const core = new Core(args.cli);
  // The comparison must be able to fail: a wrong hash and a wrong error are differences.
  const probe = vectorLine(oracle, 'probe', 'ensoras', 'k', '{"email":"A"}').line;
  const [p1, p2] = await core.check([probe.replace(/"hash":"[0-9a-f]/, '"hash":"x'),
    probe.replace(/"canonical":.*/, '"error":"empty_identity"}')]);
  if (p1.ok || p2.ok || p1.hash !== oracle.hmacHex('k', 'a')) throw new Error(`core did not report planted differences: ${JSON.stringify([p1, p2])}`);
  const first = args.case ?? 0;
  const total = args.case === null ? args.n : 1;
  const failures = [];
  const stats = { hash: 0, error: {} };
  let sent = 0;
  let differences = 0;
  const inflight = [];

  const settle = async () => {
    const { cases, answers } = inflight.shift();
    const results = await answers;
    for (let j = 0; j < results.length; j++) {
      const res = results[j];
      if (res.id !== cases[j].id) throw new Error(`core answered ${res.id} for ${cases[j].id}`);
      if (!res.ok) {
        differences++;
        if (failures.length < args.maxReport) failures.push({ c: cases[j], res });
      }
    }
  };

  let lastReport = Date.now();
  while (sent < total) {
    const n = Math.min(args.batch, total - sent);
    const cases = [];
    const lines = [];
    for (let j = 0; j < n; j++) {
      const c = genCase(first + sent + j);
      const { line, want } = vectorLine(oracle, c.id, c.preset, c.secret, c.inputText);
      if (want.error) stats.error[want.error] = (stats.error[want.error] || 0) + 1;
      else stats.hash++;
      cases.push(c);
      lines.push(line);
    }
    sent += n;
    inflight.push({ cases, answers: core.check(lines) });
    if (inflight.length >= 2) await settle();
    if (!args.quiet && Date.now() - lastReport > 10000) {
      lastReport = Date.now();
      process.stderr.write(`differential: ${sent}/${total} cases sent, ${differences} differences, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  while (inflight.length) await settle();

  for (const f of failures) {
    const { c, last, flaky } = await shrink(core, f.c);
    console.log(`DIFFERENCE in case ${f.c.id} (reproduce: node tests/differential/run.js --seed ${args.seed} --case ${f.c.id})`);
    if (flaky) console.log(`  (did not reproduce alone; first answer: ${JSON.stringify(f.res)})`);
    else console.log(describe(c, last));
  }
  if (differences > failures.length) console.log(`(${differences - failures.length} more differences not shown)`);
  await core.close();

  const secs = (Date.now() - started) / 1000;
  const errs = Object.entries(stats.error).sort().map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`seed ${args.seed}, ${secs.toFixed(1)} s; oracle results: hash ${stats.hash}, ${errs}`);
  console.log(`differential: ${total} cases, ${differences} differences`);
  process.exitCode = differences ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
