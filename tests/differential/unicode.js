#!/usr/bin/env node
// The Unicode pin: JS `toLowerCase` and `trim` as Node 20 runs them (Unicode 17, ICU 78),
// committed as tests/differential/lowercase-node20.txt, and checked on EVERY code point:
//
//   1. the running Node still gives exactly the committed table (if Node, and so the
//      oracle that writes the golden vectors, moved to another Unicode version, this
//      fails and names the code points that moved);
//   2. the core gives exactly what Node gives, through `userhash check-vectors --jsonl`:
//      - lowercase of every code point (ensoras, in chunks of 1024 code points; without
//        a Σ, toLowerCase is context-free, so a chunk is as good as single strings);
//      - the Final_Sigma rule around every code point c, in the four contexts
//        "AΣc ", " cΣ ", "AcΣ ", "AΣcB " (c cased, case-ignorable or neither);
//      - trim at both ends (supportwire, c + "A" + c) of every BMP code point, every
//        astral format character and every 61st astral code point (one vector each).
//
//   node tests/differential/unicode.js [--cli target/release/userhash]   check
//   node tests/differential/unicode.js --write                             rewrite the table
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, loadOracle, Core, vectorLine } = require('./lib.js');

const TABLE = path.join(__dirname, 'lowercase-node20.txt');
let cli = path.join(ROOT, 'target', 'release', 'userhash');
let writeTable = false;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--cli') cli = path.resolve(process.argv[++i]);
  else if (process.argv[i] === '--write') writeTable = true;
  else throw new Error(`unknown argument ${process.argv[i]}`);
}

const hex = (cp) => cp.toString(16).toUpperCase().padStart(4, '0');
const isSurrogate = (cp) => cp >= 0xd800 && cp <= 0xdfff;
const SCALARS = [];
for (let cp = 0; cp <= 0x10ffff; cp++) if (!isSurrogate(cp)) SCALARS.push(cp);

// The table's data lines, from the running Node.
function tableLines() {
  const lines = [];
  const ranges = (name, test) => {
    let start = -1;
    for (let cp = 0; cp <= 0x110000; cp++) {
      const inside = cp <= 0x10ffff && !isSurrogate(cp) && test(String.fromCodePoint(cp));
      if (inside && start < 0) start = cp;
      if (!inside && start >= 0 && !isSurrogate(cp)) {
        lines.push(`${name} ${hex(start)}${cp - 1 > start ? '..' + hex(cp - 1) : ''}`);
        start = -1;
      }
    }
  };
  for (const cp of SCALARS) {
    const s = String.fromCodePoint(cp);
    const lower = s.toLowerCase();
    if (lower !== s) lines.push(`lower ${hex(cp)} ${[...lower].map((c) => hex(c.codePointAt(0))).join(' ')}`);
  }
  ranges('cased', (s) => /\p{Cased}/u.test(s));
  ranges('case_ignorable', (s) => /\p{Case_Ignorable}/u.test(s));
  ranges('trim', (s) => (s + 'A' + s).trim() === 'A');
  return lines;
}

const HEADER = [
  '# userhash Unicode pin: what Node 20 does, which the core must do too.',
  `# Written by tests/differential/unicode.js --write with Node ${process.version},`,
  `# Unicode ${process.versions.unicode}, ICU ${process.versions.icu}. Checked by \`make unicode-pin\`.`,
  '#   lower CP LC...          String.fromCodePoint(CP).toLowerCase() where it differs from CP',
  '#   cased A..B              \\p{Cased}          (the Final_Sigma context, with case_ignorable)',
  '#   case_ignorable A..B     \\p{Case_Ignorable}',
  '#   trim A..B               code points String.prototype.trim strips',
];

async function main() {
  const now = tableLines();
  if (writeTable) {
    fs.writeFileSync(TABLE, HEADER.join('\n') + '\n' + now.join('\n') + '\n');
    console.log(`wrote ${path.relative(ROOT, TABLE)}: ${now.length} lines`);
    return;
  }
  let failed = 0;

  // 1. Node against the committed table.
  const pinned = fs.readFileSync(TABLE, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const pinnedSet = new Set(pinned);
  const nowSet = new Set(now);
  const moved = [...pinned.filter((l) => !nowSet.has(l)).map((l) => `- ${l}`),
    ...now.filter((l) => !pinnedSet.has(l)).map((l) => `+ ${l}`)];
  if (moved.length) {
    failed++;
    console.log(`unicode: Node ${process.version} (Unicode ${process.versions.unicode}, ICU ${process.versions.icu}) `
      + `differs from ${path.relative(ROOT, TABLE)} on ${moved.length} lines:`);
    for (const l of moved.slice(0, 40)) console.log(`  ${l}`);
  }

  // 2. The core against Node, on every code point.
  const oracle = loadOracle();
  const core = new Core(cli);
  const lines = [];
  const add = (id, preset, input) => lines.push(vectorLine(oracle, id, preset, 'k', JSON.stringify(input)).line);
  const noSigma = SCALARS.filter((cp) => cp !== 0x3a3);
  for (let i = 0; i < noSigma.length; i += 1024) {
    add(`lower-${hex(noSigma[i])}`, 'ensoras', { email: String.fromCodePoint(...noSigma.slice(i, i + 1024)) });
  }
  for (let i = 0; i < SCALARS.length; i += 1024) {
    const s = SCALARS.slice(i, i + 1024).map((cp) => {
      const c = String.fromCodePoint(cp);
      return `AΣ${c} ${' '}${c}Σ A${c}Σ AΣ${c}B `;
    }).join('');
    add(`sigma-${hex(SCALARS[i])}`, 'ensoras', { email: s });
  }
  // Trim cannot be chunked (only the ends count): every BMP code point, every astral
  // format character, and every 61st astral code point (the trim set is all BMP).
  for (const cp of SCALARS) {
    if (cp > 0xffff && (cp - 0x10000) % 61 !== 0 && !/\p{Cf}/u.test(String.fromCodePoint(cp))) continue;
    const c = String.fromCodePoint(cp);
    add(`trim-${hex(cp)}`, 'supportwire', { email: `${c}A${c}` });
  }
  const answers = [];
  for (let i = 0; i < lines.length; i += 20000) answers.push(...await core.check(lines.slice(i, i + 20000)));
  await core.close();
  const bad = answers.filter((a) => !a.ok);
  for (const a of bad.slice(0, 20)) console.log(`unicode: core differs from Node on ${a.id}: ${JSON.stringify(a).slice(0, 300)}`);
  if (bad.length) failed++;
  console.log(`unicode: ${now.length} pinned lines ${moved.length ? 'MOVED' : 'match Node'}; `
    + `${answers.length} core checks over ${SCALARS.length} code points, ${bad.length} differences`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
