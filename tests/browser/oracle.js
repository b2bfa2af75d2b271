// The vendors' Node.js snippets, the browser test's oracle.
//
// Copied verbatim from tests/oracle/generate.js, section 1 (which copies them from
// the vendor pages in the shared seeds/ folder; the only change there is that the
// secret is a parameter instead of process.env.X). generate.js writes the vector
// files when loaded, so it cannot be required; keep this copy in sync with it.
// Nothing here comes from the Rust core.
'use strict';

const crypto = require('node:crypto');

// Layerup — seeds/000_3016f1e722ae2f5f.txt, "2. Compute the hash on your server".
function layerupSnippet(userEmail, LAYERUP_WIDGET_SECRET) {
  const hash = crypto
    .createHmac('sha256', LAYERUP_WIDGET_SECRET)
    .update(userEmail)
    .digest('hex');
  return hash;
}
// What it signs: `userEmail`.
const layerupMessage = (userEmail) => userEmail;

// Inviaro — seeds/001_1eb74fc559baaf1e.txt, "Server-side examples / Node".
function inviaroUserHash(userId, INVIARO_WIDGET_SECRET) {
  if (!userId) throw new Error('userId required');
  return crypto
    .createHmac('sha256', INVIARO_WIDGET_SECRET)
    .update(userId)
    .digest('hex');
}
// What it signs: `userId`.
const inviaroMessage = (userId) => userId;

// Ensoras — seeds/002_91035f9b7e124b63.txt, "Step 1 ... // Node.js".
function ensorasSnippet(email, widgetSecret) {
  const hash = crypto.createHmac('sha256', widgetSecret)
    .update(email.toLowerCase())
    .digest('hex');
  return hash;
}
// What it signs: `email.toLowerCase()`.
const ensorasMessage = (email) => email.toLowerCase();

// SupportWire — seeds/003_cb22bfbed18d72ff.txt, "Server (Node.js)".
function widgetSignature(identity, secret) {
  return crypto
    .createHmac('sha256', secret)
    .update(identity.trim().toLowerCase())
    .digest('hex');
}
// What it signs: `identity.trim().toLowerCase()`.
const supportwireMessage = (identity) => identity.trim().toLowerCase();

// FluentBot — seeds/004_247aefb7d5c365ef.txt, "Step 2: sign visitor identity server-side".
function signVisitor(visitor, secret) {
  const payload = JSON.stringify({
    name: visitor.name,
    email: visitor.email,
    data: visitor.data ?? null,
  });

  return crypto.createHmac("sha256", secret).update(payload).digest("hex");
}
// What it signs: the `payload` above.
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
};
