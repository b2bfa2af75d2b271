// The browser test's oracle: the vendors' Node.js snippets, evaluated from
// tests/oracle/generate.js itself (the loader the differential test uses), so there
// is one copy of every snippet; the vendors of issue 14 come from
// tests/oracle/vendors/snippets.js (their VERBATIM or RENDERING Node snippets), as
// `vendors.<preset>`. Nothing here comes from the Rust core.
'use strict';

const { loadOracle } = require('../differential/lib.js');
const vendors = require('../oracle/vendors/snippets.js');

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
};
