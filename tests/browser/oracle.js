// The browser test's oracle: the vendors' Node.js snippets, evaluated from
// tests/oracle/generate.js itself (the loader the differential test uses), so there
// is one copy of every snippet; the vendors of issue 14 come from
// tests/oracle/vendors/snippets.js (their VERBATIM or RENDERING Node snippets), as
// `vendors.<preset>`. The token presets' JWTs are checked with npm `jsonwebtoken`, the
// library the vendors' Node snippets use, from tests/oracle/tokens (its package.json pins
// 9.0.2; `make test-vectors` or `make test-browser` runs `npm ci` there), as `jwt`.
// Nothing here comes from the Rust core.
'use strict';

const path = require('node:path');
const { loadOracle } = require('../differential/lib.js');
const vendors = require('../oracle/vendors/snippets.js');

const TOKEN_ORACLE = path.join(__dirname, '..', 'oracle', 'tokens');
let jwt;
try {
  jwt = require(require.resolve('jsonwebtoken', { paths: [TOKEN_ORACLE] }));
} catch (e) {
  throw new Error(`tests/browser needs jsonwebtoken from ${TOKEN_ORACLE} (cd tests/oracle/tokens && npm ci): ${e.message}`);
}

const { layerupSnippet, inviaroUserHash, ensorasSnippet, widgetSignature, signVisitor } = loadOracle();

// The payload the FluentBot snippet signs (its `JSON.stringify({...})` expression).
const fluentbotMessage = (visitor) => JSON.stringify({
  name: visitor.name,
  email: visitor.email,
  data: visitor.data ?? null,
});

module.exports = {
  layerupSnippet,
  inviaroUserHash,
  ensorasSnippet,
  widgetSignature,
  signVisitor,
  fluentbotMessage,
  vendors,
  jwt,
};
