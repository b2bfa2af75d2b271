// Writes tests/native-values/cases.json from table.json: for each row with a
// JavaScript equivalent, the canonical bytes and hash the vendor's own snippet
// gives it (FluentBot's signVisitor for payload rows, Inviaro's snippet for id
// rows); for the others, the error code and path every language must report.
// `make test` reruns this and fails on a diff.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { loadOracle } = require('../differential/lib.js');

const SECRET = 's3cr3t';
const oracle = loadOracle();
const table = JSON.parse(fs.readFileSync(path.join(__dirname, 'table.json'), 'utf8'));

function outcome(row) {
  if (row.error) {
    const where = row.carrier === 'visitor' ? 'visitor.data.v' : 'user_id';
    return { error: row.error, path: where };
  }
  // eslint-disable-next-line no-eval
  const value = (0, eval)(row.js);
  if (row.carrier === 'visitor') {
    const visitor = { name: 'Ann', data: { v: value } };
    const canonical = JSON.stringify({ name: visitor.name, email: visitor.email, data: visitor.data ?? null });
    return { canonical, hash: oracle.signVisitor(visitor, SECRET) };
  }
  return { canonical: value, hash: oracle.inviaroUserHash(value, SECRET) };
}

const cases = table.rows.map((row) => ({
  id: row.id,
  carrier: row.carrier,
  preset: row.carrier === 'visitor' ? 'fluentbot' : 'inviaro',
  langs: Object.keys(row.langs),
  expect: outcome(row),
}));
const out = `{"version":1,"secret":${JSON.stringify(SECRET)},"cases":[\n${
  cases.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`;
fs.writeFileSync(path.join(__dirname, 'cases.json'), out);
console.log(`native-values: ${cases.length} rows written`);
