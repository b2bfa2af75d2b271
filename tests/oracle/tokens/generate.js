// Writes tests/tokens/vectors.json: identity-token vectors made by Node's
// `jsonwebtoken` (the library every vendor's Node snippet uses; SOURCES.md),
// with the claims each vendor documents, at a fixed `now`. Every language's
// token runner must produce these tokens byte for byte, verify them, and
// refuse the bad ones with the stated code. `make test` reruns this and fails
// on a diff. Needs `npm ci` in this folder (jsonwebtoken 9).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const jwt = require('jsonwebtoken');

const NOW = 1700000000;
const S = 's3cr3t';
const vectors = [];

// Each vendor's claims, in the order userhash writes them (preset claims, then
// extra claims in code-point order, then iat and exp — jsonwebtoken appends
// iat/exp after the caller's keys, so passing this object in this order gives
// the same bytes). Ids are strings; integers become their decimal text.
const id = (v) => (typeof v === 'number' ? String(v) : v);
const VENDORS = {
  // intercom-rails generate_jwt; developers.intercom.com "Secure your Messenger".
  intercom_jwt: (i) => ({ user_id: id(i.user_id), email: i.email, name: i.name }),
  // developer.zendesk.com messaging authentication: scope, external_id, kid header.
  zendesk: (i) => ({ scope: 'user', external_id: id(i.external_id), name: i.name, email: i.email }),
  // devdocs.drift.com signed identities: sub.
  drift: (i) => ({ sub: id(i.user_id) }),
  // developer.kustomer.com chat identity: externalId and/or email, iat.
  kustomer: (i) => ({ externalId: id(i.external_id), email: i.email }),
  // help.featurebase.app: userId and/or email, name.
  featurebase_jwt: (i) => ({ userId: id(i.user_id), email: i.email, name: i.name }),
  // developers.canny.io install/widget/sso: id, email, name, avatarURL.
  canny_sso: (i) => ({ id: id(i.user_id), email: i.email, name: i.name }),
};
// Claims a vendor takes from the `claims` option in its own slot (not sorted).
const SLOTTED = { zendesk: ['email_verified'], featurebase_jwt: ['profilePicture', 'locale', 'companies'], canny_sso: ['avatarURL'] };

function payload(preset, input, claims = {}) {
  const own = VENDORS[preset](input);
  for (const k of SLOTTED[preset] || []) if (k in claims) own[k] = claims[k];
  const out = {};
  for (const [k, v] of Object.entries(own)) if (v !== undefined && v !== null) out[k] = v;
  for (const k of Object.keys(claims).filter((k) => !(SLOTTED[preset] || []).includes(k)).sort()) out[k] = claims[k];
  return out;
}

function sign(vid, preset, input, options = {}, secret = S) {
  const body = { ...payload(preset, input, options.claims), iat: options.now ?? NOW };
  const token = jwt.sign(body, secret, {
    algorithm: 'HS256',
    ...(options.kid ? { keyid: options.kid } : {}),
    ...(options.ttl ? { expiresIn: options.ttl } : {}),
  });
  const claims = jwt.verify(token, secret, { clockTimestamp: (options.now ?? NOW) + 1 });
  vectors.push({ id: vid, preset, secret, input, options: { now: NOW, ...options }, token, claims });
}

function refuse(vid, preset, input, options, error) {
  vectors.push({ id: vid, preset, secret: S, input, options: { now: NOW, ...options }, error });
}

function verify(vid, preset, token, options, want) {
  vectors.push({ id: vid, preset, secret: S, verify: token, verify_options: options, ...want });
}

// Tokens userhash must write byte for byte.
sign('intercom-jwt-id', 'intercom_jwt', { user_id: 'usr_42' });
sign('intercom-jwt-integer-id', 'intercom_jwt', { user_id: 42, email: 'ann@example.com', name: 'Ann Lee' }, { ttl: 3600 });
sign('intercom-jwt-attributes', 'intercom_jwt', { user_id: 'u1' }, { claims: { plan: 'pro', company_id: '7', zeta: 1, alpha: true } });
sign('intercom-jwt-unicode', 'intercom_jwt', { user_id: 'ü-1', name: 'Zoë </script>\u2028' });
sign('zendesk-basic', 'zendesk', { external_id: 'ext-1', name: 'Ann', email: 'ann@example.com' }, { kid: 'app_64f1', ttl: 600, claims: { email_verified: true } });
sign('zendesk-integer-external-id', 'zendesk', { external_id: 1234567 }, { kid: 'app_1' });
sign('drift-basic', 'drift', { user_id: 12345 }, { ttl: 300 });
sign('kustomer-external-id', 'kustomer', { external_id: 'k-9' });
sign('kustomer-both', 'kustomer', { external_id: 'k-9', email: 'k@example.com' });
sign('featurebase-email-only', 'featurebase_jwt', { email: 'f@example.com', name: 'Fé' }, { claims: { locale: 'fr', companies: [{ id: 'c1', name: 'Acme' }] } });
sign('canny-sso', 'canny_sso', { user_id: 99, email: 'c@example.com', name: 'Cat' }, { claims: { avatarURL: 'https://x/y.png' } });
sign('long-secret', 'drift', { user_id: 'u' }, {}, 'k'.repeat(200));

// Inputs every language must refuse with the same code.
refuse('zendesk-needs-kid', 'zendesk', { external_id: 'e' }, {}, 'invalid_input');
refuse('intercom-jwt-needs-user-id', 'intercom_jwt', { email: 'a@b.c' }, {}, 'invalid_input');
refuse('drift-boolean-id', 'drift', { user_id: true }, {}, 'invalid_input');
refuse('drift-float-id', 'drift', { user_id: 1.5 }, {}, 'invalid_input');
refuse('drift-empty-id', 'drift', { user_id: '' }, {}, 'empty_identity');
refuse('kustomer-needs-one-of', 'kustomer', {}, {}, 'invalid_input');
refuse('canny-needs-name', 'canny_sso', { user_id: '1', email: 'a@b.c' }, {}, 'invalid_input');
refuse('zendesk-unknown-claim', 'zendesk', { external_id: 'e' }, { kid: 'k', claims: { plan: 'x' } }, 'invalid_input');
refuse('reserved-claim', 'intercom_jwt', { user_id: 'u' }, { claims: { exp: 1 } }, 'invalid_input');
refuse('email-verified-not-boolean', 'zendesk', { external_id: 'e' }, { kid: 'k', claims: { email_verified: 'yes' } }, 'invalid_input');
refuse('negative-ttl', 'drift', { user_id: 'u' }, { ttl: -5 }, 'invalid_input');
refuse('hash-preset-has-no-token', 'layerup', { email: 'a@b.c' }, {}, 'invalid_input');

// Tokens made by jsonwebtoken that userhash must accept or refuse.
const at = (o) => ({ now: NOW + 10, ...o });
const made = (claims, opts = {}, secret = S) => jwt.sign({ iat: NOW, ...claims }, secret, { algorithm: 'HS256', ...opts });
verify('verify-foreign-key-order', 'drift', jwt.sign({ exp: NOW + 600, iat: NOW, sub: 'x' }, S), at({}), { claims: { exp: NOW + 600, iat: NOW, sub: 'x' } });
verify('verify-expired', 'drift', made({ sub: 'x' }, { expiresIn: 60 }), at({ now: NOW + 3600 }), { error: 'token_expired' });
verify('verify-leeway-keeps-it', 'drift', made({ sub: 'x' }, { expiresIn: 60 }), at({ now: NOW + 100, leeway: 60 }), { claims: { sub: 'x', iat: NOW, exp: NOW + 60 } });
verify('verify-not-yet-valid', 'drift', made({ sub: 'x' }, { notBefore: 3600 }), at({}), { error: 'token_not_yet_valid' });
verify('verify-issued-in-the-future', 'drift', made({ sub: 'x', iat: NOW + 3600 }), at({}), { error: 'token_not_yet_valid' });
verify('verify-wrong-secret', 'drift', made({ sub: 'x' }, {}, 'other'), at({}), { error: 'bad_signature' });
verify('verify-alg-none', 'drift', jwt.sign({ sub: 'x', iat: NOW }, null, { algorithm: 'none' }), at({}), { error: 'invalid_token' });
verify('verify-hs512', 'drift', jwt.sign({ sub: 'x', iat: NOW }, S, { algorithm: 'HS512' }), at({}), { error: 'invalid_token' });
const good = made({ sub: 'x' });
verify('verify-truncated', 'drift', good.slice(0, good.length - 5), at({}), { error: 'invalid_token' });
const flipped = good.slice(0, -2) + (good.slice(-2, -1) === 'A' ? 'B' : 'A') + good.slice(-1);
verify('verify-signature-altered', 'drift', flipped, at({}), { error: 'bad_signature' });
verify('verify-two-segments', 'drift', good.split('.').slice(0, 2).join('.'), at({}), { error: 'invalid_token' });
verify('verify-extra-segment', 'drift', `${good}.x`, at({}), { error: 'invalid_token' });
verify('verify-huge', 'drift', made({ sub: 'x', pad: 'p'.repeat(9000) }), at({}), { error: 'invalid_token' });
verify('verify-not-base64', 'drift', `${good.split('.')[0]}.!!!.${good.split('.')[2]}`, at({}), { error: 'invalid_token' });
verify('verify-unknown-kid', 'zendesk', made({ scope: 'user', external_id: 'e' }, { keyid: 'app_other' }), at({ kids: ['app_1'] }), { error: 'unknown_kid' });
verify('verify-kid-picks-secret', 'zendesk', made({ scope: 'user', external_id: 'e' }, { keyid: 'app_1' }), at({ kids: ['app_1'] }), { claims: { iat: NOW, scope: 'user', external_id: 'e' } });
verify('verify-kustomer-too-old', 'kustomer', made({ externalId: 'k' }), at({ now: NOW + 16 * 60 + 61 }), { error: 'token_expired' });
verify('verify-missing-required-claim', 'drift', made({ name: 'x' }), at({}), { error: 'invalid_token' });

const out = `{"version":1,"now":${NOW},"tokens":[\n${vectors.map((v) => JSON.stringify(v)).join(',\n')}\n]}\n`;
fs.writeFileSync(path.join(__dirname, '..', '..', 'tokens', 'vectors.json'), out);
console.log(`tokens: ${vectors.length} vectors written`);
