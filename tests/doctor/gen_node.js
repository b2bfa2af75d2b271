// Wrong hashes made by real Node code (node:crypto): JS lowercase/trim, the wrong
// field, JSON.stringify variants, secret and output mistakes. Prints a JSON array
// of doctor cases (tests/doctor/README.md); tests/doctor/generate.py merges them.
'use strict';
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SECRET = 'sk_doctor_3f9a1c7e';
const PREVIOUS = 'sk_doctor_previous_81b2';
const PYLON_SECRET = '9d2c4e6f8a0b1c3d5e7f9a1b3c5d7e9f'; // pylon secrets are hex text
const PYLON_PREVIOUS = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

const hmac = (key, msg) => crypto.createHmac('sha256', key).update(msg);
const hex = (key, msg) => hmac(key, msg).digest('hex');
const cases = [];
const add = (c) => cases.push({ ...c, id: `node/${c.id}` });

// A secret read back the way the mistake reads it: `echo` prints a newline, a
// file saved on Windows ends in CRLF, a naive .env parser keeps the quotes.
const echoed = (s) => execFileSync('sh', ['-c', 'echo "$S"'], { env: { S: s } }).toString();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
const windowsFile = (s) => {
  const f = path.join(dir, 'secret.txt');
  fs.writeFileSync(f, `${s}\r\n`);
  return fs.readFileSync(f, 'utf8');
};
const naiveEnv = (line) => line.slice(line.indexOf('=') + 1);
const dotenvUnquote = (v) => v.replace(/^"(.*)"$/, '$1');

// --- which field ---
for (const [preset, input, note] of [
  ['intercom', { user_id: 'usr_42', email: 'alice@example.com' }, 'user_id given'],
  ['featurebase', { user_id: 'usr_42', email: 'alice@example.com' }, 'user_id given'],
  ['inviaro', { user_id: 'usr_42', email: 'alice@example.com' }, 'the preset signs user_id'],
  ['supportwire', { external_id: 'ext-42', email: 'alice@example.com' }, 'external_id given'],
]) {
  add({ id: `signed_email/${preset}`, variant: 'signed_email', made_by: `Node createHmac('sha256', secret).update(email) (${note})`, preset, secret: SECRET, input, hash: hex(SECRET, input.email) });
}
for (const preset of ['layerup', 'crisp']) {
  const input = { email: 'alice@example.com', user_id: 'usr_42' };
  add({ id: `signed_user_id/${preset}`, variant: 'signed_user_id', made_by: "Node createHmac('sha256', secret).update(user_id) (the preset signs the email)", preset, secret: SECRET, input, hash: hex(SECRET, input.user_id) });
}
for (const [preset, input] of [
  ['layerup', { email: 'alice@example.com', external_id: 'ext-42' }],
  ['chatwoot', { user_id: 'usr_42', external_id: 'ext-42' }],
]) {
  add({ id: `signed_external_id/${preset}`, variant: 'signed_external_id', made_by: "Node createHmac('sha256', secret).update(external_id)", preset, secret: SECRET, input, hash: hex(SECRET, input.external_id) });
}
{
  const input = { user_id: 'usr_42', email: 'Alice@Example.COM' };
  add({ id: 'signed_email+js_lowercase/intercom', variant: 'signed_email+js_lowercase', made_by: "Node createHmac('sha256', secret).update(email.toLowerCase()) (user_id given)", preset: 'intercom', secret: SECRET, input, hash: hex(SECRET, input.email.toLowerCase()) });
}

// --- JS normalizations ---
const E = 'Alice@Example.COM';
const SPACED = '  Alice@Example.COM  ';
for (const [preset, email] of [['layerup', E], ['helpscout', E], ['supportwire', SPACED]]) {
  add({ id: `js_lowercase/${preset}`, variant: 'js_lowercase', made_by: "Node email.toLowerCase()", preset, secret: SECRET, input: { email }, hash: hex(SECRET, email.toLowerCase()) });
}
{
  const input = { user_id: 'USR_42Ab' };
  add({ id: 'js_lowercase/canny', variant: 'js_lowercase', made_by: 'Node userId.toLowerCase()', preset: 'canny', secret: SECRET, input, hash: hex(SECRET, input.user_id.toLowerCase()) });
}
for (const preset of ['layerup', 'ensoras', 'tawkto']) {
  add({ id: `js_trim_lowercase/${preset}`, variant: 'js_trim_lowercase', made_by: 'Node email.trim().toLowerCase()', preset, secret: SECRET, input: { email: SPACED }, hash: hex(SECRET, SPACED.trim().toLowerCase()) });
}
for (const preset of ['layerup', 'supportwire', 'plain']) {
  add({ id: `js_trim/${preset}`, variant: 'js_trim', made_by: 'Node email.trim()', preset, secret: SECRET, input: { email: SPACED }, hash: hex(SECRET, SPACED.trim()) });
}
{
  const input = { external_id: '  EXT-42 ', email: 'alice@example.com' };
  add({ id: 'js_trim/supportwire-external_id', variant: 'js_trim', made_by: 'Node externalId.trim()', preset: 'supportwire', secret: SECRET, input, hash: hex(SECRET, input.external_id.trim()) });
}
for (const [preset, email] of [['ensoras', E], ['supportwire', SPACED]]) {
  add({ id: `as_is/${preset}`, variant: 'as_is', made_by: "Node createHmac('sha256', secret).update(email) (not normalized)", preset, secret: SECRET, input: { email }, hash: hex(SECRET, email) });
}

// --- JSON payloads (fluentbot signs JSON.stringify({name, email, data})) ---
const VISITOR = '{"name":"Zoë Martin","email":"zoe@example.com","data":{"plan":"pro","seats":3,"home":"https://example.com/zoe","ratio":1.5e-7}}';
const WHOLE = '{"id":"v_1","name":"Zoë Martin","email":"zoe@example.com","data":{"plan":"pro"},"locale":"fr"}';
{
  const v = JSON.parse(VISITOR);
  const payload = { name: v.name, email: v.email, data: v.data };
  add({ id: 'pretty_json/fluentbot', variant: 'pretty_json', made_by: 'Node JSON.stringify({name, email, data}, null, 2)', preset: 'fluentbot', secret: SECRET, input: { visitor: v }, hash: hex(SECRET, JSON.stringify(payload, null, 2)) });
  const w = JSON.parse(WHOLE);
  add({ id: 'whole_visitor/fluentbot', variant: 'whole_visitor', made_by: 'Node JSON.stringify(visitor) with all its keys', preset: 'fluentbot', secret: SECRET, input: { visitor: w }, hash: hex(SECRET, JSON.stringify(w)) });
}

// --- secrets ---
const LAYERUP = { email: 'alice@example.com' };
const FLUENT = JSON.parse(VISITOR);
const fluentText = JSON.stringify({ name: FLUENT.name, email: FLUENT.email, data: FLUENT.data });
add({ id: 'previous_secret/layerup', variant: 'previous_secret', made_by: "Node createHmac('sha256', oldSecret) (a hash cached before the rotation)", preset: 'layerup', secret: SECRET, previous: [PREVIOUS], input: LAYERUP, hash: hex(PREVIOUS, LAYERUP.email) });
add({ id: 'previous_secret/fluentbot', variant: 'previous_secret', made_by: "Node createHmac('sha256', oldSecret).update(JSON.stringify(payload))", preset: 'fluentbot', secret: SECRET, previous: [PREVIOUS], input: { visitor: FLUENT }, hash: hex(PREVIOUS, fluentText) });
add({ id: 'previous_secret/pylon', variant: 'previous_secret', made_by: "Node createHmac('sha256', Buffer.from(oldSecret, 'hex'))", preset: 'pylon', secret: PYLON_SECRET, previous: [PYLON_PREVIOUS], input: LAYERUP, hash: hex(Buffer.from(PYLON_PREVIOUS, 'hex'), LAYERUP.email) });
for (const [preset, input, msg] of [['layerup', LAYERUP, LAYERUP.email], ['ensoras', { email: E }, E.toLowerCase()], ['fluentbot', { visitor: FLUENT }, fluentText]]) {
  add({ id: `secret_trailing_newline/${preset}`, variant: 'secret_trailing_newline', made_by: 'Node createHmac with the secret as `echo "$SECRET"` printed it (execFileSync)', preset, secret: SECRET, input, hash: hex(echoed(SECRET), msg) });
}
for (const [preset, input, msg] of [['inviaro', { user_id: 'usr_42' }, 'usr_42'], ['front', LAYERUP, LAYERUP.email]]) {
  add({ id: `secret_trailing_crlf/${preset}`, variant: 'secret_trailing_crlf', made_by: "Node createHmac with fs.readFileSync(file, 'utf8') of a secret saved with CRLF", preset, secret: SECRET, input, hash: hex(windowsFile(SECRET), msg) });
}
const PADDED = ' sk_doctor_padded_5d0e ';
for (const preset of ['layerup', 'intercom']) {
  add({ id: `secret_whitespace/${preset}`, variant: 'secret_whitespace', made_by: 'Node createHmac(secret.trim()) (the real secret has surrounding spaces)', preset, secret: PADDED, input: LAYERUP, hash: hex(PADDED.trim(), LAYERUP.email) });
}
for (const preset of ['intercom', 'layerup']) {
  const key = naiveEnv(`USERHASH_SECRET="${SECRET}"`);
  add({ id: `secret_quoted/${preset}`, variant: 'secret_quoted', made_by: "Node createHmac with a .env value read by line.slice(line.indexOf('=') + 1) (quotes kept)", preset, secret: SECRET, input: LAYERUP, hash: hex(key, LAYERUP.email) });
}
const QUOTED = '"sk_doctor_quoted_77aa"';
for (const preset of ['layerup', 'crisp']) {
  add({ id: `secret_unquoted/${preset}`, variant: 'secret_unquoted', made_by: 'Node createHmac(secret.replace(/^"(.*)"$/, "$1")) (the real secret has quotes)', preset, secret: QUOTED, input: LAYERUP, hash: hex(dotenvUnquote(QUOTED), LAYERUP.email) });
}
const HEX_SECRET = '6b1f9e2a0c4d8b7e3a5f1c2d9e0b4a67';
for (const preset of ['layerup', 'crisp']) {
  add({ id: `secret_hex_decoded/${preset}`, variant: 'secret_hex_decoded', made_by: "Node createHmac('sha256', Buffer.from(secret, 'hex'))", preset, secret: HEX_SECRET, input: LAYERUP, hash: hex(Buffer.from(HEX_SECRET, 'hex'), LAYERUP.email) });
}
const B64_SECRET = 'c2tfZG9jdG9yX2Jhc2U2NF9rZXk=';
for (const [preset, input, msg] of [['layerup', LAYERUP, LAYERUP.email], ['tawkto', LAYERUP, LAYERUP.email], ['inviaro', { user_id: 'usr_42' }, 'usr_42']]) {
  add({ id: `secret_base64_decoded/${preset}`, variant: 'secret_base64_decoded', made_by: "Node createHmac('sha256', Buffer.from(secret, 'base64'))", preset, secret: B64_SECRET, input, hash: hex(Buffer.from(B64_SECRET, 'base64'), msg) });
}
add({ id: 'secret_trailing_newline+uppercase_hex/layerup', variant: 'secret_trailing_newline+uppercase_hex', made_by: 'Node createHmac with an `echo`ed secret, digest("hex").toUpperCase()', preset: 'layerup', secret: SECRET, input: LAYERUP, hash: hex(echoed(SECRET), LAYERUP.email).toUpperCase() });

// --- output ---
for (const [preset, input, msg] of [['layerup', LAYERUP, LAYERUP.email], ['inviaro', { user_id: 'usr_42' }, 'usr_42']]) {
  add({ id: `uppercase_hex/${preset}`, variant: 'uppercase_hex', made_by: "Node digest('hex').toUpperCase()", preset, secret: SECRET, input, hash: hex(SECRET, msg).toUpperCase() });
}
add({ id: 'uppercase_hex/pylon', variant: 'uppercase_hex', made_by: "Node createHmac('sha256', Buffer.from(secret, 'hex')).digest('hex').toUpperCase()", preset: 'pylon', secret: PYLON_SECRET, input: LAYERUP, hash: hex(Buffer.from(PYLON_SECRET, 'hex'), LAYERUP.email).toUpperCase() });
add({ id: 'uppercase_hex/crisp-base64-secret', variant: 'uppercase_hex', made_by: "Node createHmac('sha256', Buffer.from(secret, 'base64')).digest('hex').toUpperCase()", preset: 'crisp', secret: B64_SECRET, signer_options: { secret_encoding: 'base64' }, input: LAYERUP, hash: hex(Buffer.from(B64_SECRET, 'base64'), LAYERUP.email).toUpperCase() });
for (const [preset, input, msg] of [['crisp', LAYERUP, LAYERUP.email], ['supportwire', { email: SPACED }, SPACED.trim().toLowerCase()], ['fluentbot', { visitor: FLUENT }, fluentText]]) {
  add({ id: `base64/${preset}`, variant: 'base64', made_by: "Node digest('base64')", preset, secret: SECRET, input, hash: hmac(SECRET, msg).digest('base64') });
}
for (const [preset, input, msg] of [['layerup', LAYERUP, LAYERUP.email], ['inviaro', { user_id: 'usr_42' }, 'usr_42']]) {
  add({ id: `key_message_swapped/${preset}`, variant: 'key_message_swapped', made_by: "Node createHmac('sha256', identity).update(secret)", preset, secret: SECRET, input, hash: hex(msg, SECRET) });
}
for (const [preset, input, msg] of [['layerup', LAYERUP, LAYERUP.email], ['plain', LAYERUP, LAYERUP.email]]) {
  add({ id: `sha256_concat/${preset}`, variant: 'sha256_concat', made_by: "Node createHash('sha256').update(secret + email)", preset, secret: SECRET, input, hash: crypto.createHash('sha256').update(SECRET + msg).digest('hex') });
}
for (const [preset, input, msg] of [['layerup', LAYERUP, LAYERUP.email], ['canny', { user_id: 'usr_42' }, 'usr_42']]) {
  add({ id: `sha256_concat_reversed/${preset}`, variant: 'sha256_concat_reversed', made_by: "Node createHash('sha256').update(identity + secret)", preset, secret: SECRET, input, hash: crypto.createHash('sha256').update(msg + SECRET).digest('hex') });
}

fs.rmSync(dir, { recursive: true });
process.stdout.write(JSON.stringify(cases));
