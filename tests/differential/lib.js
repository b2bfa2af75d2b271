// Shared pieces of the differential tests: the oracle, the core as one long-running
// child process, and a seedable PRNG. Node 20, builtins only.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..', '..');
const ORACLE = path.join(ROOT, 'tests', 'oracle', 'generate.js');

// ---------------------------------------------------------------------------
// The oracle: sections 1 and 2 of tests/oracle/generate.js (the vendors' snippets and
// userhash's refusal policy), evaluated from that file's own text, so the differential
// test can never drift from the golden-vector oracle. generate.js itself is not
// changed or run (its later sections write tests/vectors/). If the section markers
// move, this fails loudly instead of testing something else.
// ---------------------------------------------------------------------------
function loadOracle() {
  const src = fs.readFileSync(ORACLE, 'utf8');
  const start = src.indexOf("'use strict';");
  const end = src.indexOf('// 3. Ordered JSON trees');
  if (start < 0 || end < 0 || !src.includes('// 1. The vendors\' Node.js snippets')
      || !src.includes('// 2. userhash\'s policy')) {
    throw new Error(`${ORACLE}: section markers not found; update tests/differential/lib.js`);
  }
  // Cut at the start of the line holding the section-3 marker.
  const body = src.slice(start, src.lastIndexOf('\n', end));
  const names = ['expected', 'PRESETS', 'FIELDS', 'MAX_DEPTH', 'hmacHex',
    'layerupSnippet', 'inviaroUserHash', 'ensorasSnippet', 'widgetSignature', 'signVisitor'];
  // eslint-disable-next-line no-new-func
  const make = new Function('require', `${body}\nreturn { ${names.join(', ')} };`);
  const oracle = make(require);
  for (const n of names) if (oracle[n] === undefined) throw new Error(`oracle: ${n} missing`);
  return oracle;
}

// ---------------------------------------------------------------------------
// The core: `userhash check-vectors --jsonl -`, one child for the whole run. Vectors
// are written a batch at a time; answers come back one line each, in order.
// ---------------------------------------------------------------------------
class Core {
  constructor(cli) {
    if (!fs.existsSync(cli)) throw new Error(`${cli} not found: run \`make cli\` first`);
    this.child = spawn(cli, ['check-vectors', '--jsonl', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.waiting = []; // {left, results, resolve}
    this.exited = new Promise((resolve) => this.child.on('exit', (code, sig) => resolve({ code, sig })));
    this.child.on('exit', (code, sig) => {
      const w = this.waiting.shift();
      if (w) w.reject(new Error(`core exited (code ${code}, signal ${sig}) with answers pending`));
    });
    this.child.stdin.on('error', () => {}); // reported through 'exit'
    const rl = readline.createInterface({ input: this.child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => {
      const w = this.waiting[0];
      if (!w) throw new Error(`unexpected core output: ${line}`);
      w.results.push(JSON.parse(line));
      if (--w.left === 0) {
        this.waiting.shift();
        w.resolve(w.results);
      }
    });
  }

  // Sends vector lines (strings without newlines); resolves to the answers, in order.
  check(lines) {
    if (lines.length === 0) return Promise.resolve([]);
    const p = new Promise((resolve, reject) => {
      this.waiting.push({ left: lines.length, results: [], resolve, reject });
    });
    this.child.stdin.write(lines.join('\n') + '\n');
    return p;
  }

  async close() {
    this.child.stdin.end();
    return this.exited;
  }
}

// The vector line for one case: the oracle's verdict on the input text as JSON.parse
// reads it. `inputText` is sent verbatim, so the core sees the key order we wrote.
function vectorLine(oracle, id, preset, secret, inputText) {
  const want = oracle.expected(preset, secret, JSON.parse(inputText));
  let line = `{"id":${JSON.stringify(id)},"preset":${JSON.stringify(preset)},`
    + `"secret":${JSON.stringify(secret)},"input":${inputText},`;
  line += want.error
    ? `"error":${JSON.stringify(want.error)}}`
    : `"canonical":${JSON.stringify(want.canonical)},"hash":"${want.hash}"}`;
  return { line, want };
}

// sfc32, seeded through splitmix32 from (seed, stream): every case has its own stream,
// so one case can be regenerated alone (`--case i`).
function splitmix32(a) {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}
function rng(seed, stream) {
  const sm = splitmix32((Math.imul(seed >>> 0, 0x85ebca6b) ^ Math.imul(stream >>> 0, 0xc2b2ae35) ^ (stream / 4294967296 >>> 0)) >>> 0);
  let a = sm(), b = sm(), c = sm(), d = sm();
  const u32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const r = {
    u32,
    float: () => u32() / 4294967296,
    int: (n) => Math.floor((u32() / 4294967296) * n), // 0 … n-1
    range: (lo, hi) => lo + Math.floor((u32() / 4294967296) * (hi - lo + 1)),
    chance: (p) => u32() / 4294967296 < p,
    pick: (arr) => arr[Math.floor((u32() / 4294967296) * arr.length)],
    // Weighted choice: [[weight, value], …].
    weighted: (table) => {
      let total = 0;
      for (const [w] of table) total += w;
      let x = (u32() / 4294967296) * total;
      for (const [w, v] of table) {
        if ((x -= w) < 0) return v;
      }
      return table[table.length - 1][1];
    },
  };
  return r;
}

module.exports = { ROOT, loadOracle, Core, vectorLine, rng };
