// The browser test's cases: every vendor × form × hostile identity.
//
// A case is {id, preset, input, options}: `input` holds the sign-call fields (email,
// user_id, external_id, visitor, name) and `options` the embed options (widget, form,
// nonce, origin, name, email, data, base_url, api_base, widget_id, avatar_url; for the
// token presets also kid, ttl, now, claims), exactly what a source passes to
// `signer.embed(input, options)`. Framework examples receive these as the JSON body of
// a POST.
'use strict';

// The secret every source signs with (sources get it as USERHASH_SECRET). It is hex
// text, because Pylon's signer hex-decodes its secret (the key is the bytes of
// "browser-test-secret"); every other preset uses the text's UTF-8 bytes.
const SECRET = '62726f777365722d746573742d736563726574';

// The form a case renders when it names none: the preset's only form, else script.
const DEFAULT_FORM = { userflow: 'identify', drift: 'identify', kustomer: 'identify' };

// The token presets' options: a fixed clock (the oracle verifies at it) and a lifetime.
const NOW = 1700000000;
const TOKEN = { now: NOW, ttl: 600 };
const formOf = (c) => c.options.form || DEFAULT_FORM[c.preset] || 'script';

// A 10 KB name mixing every hazard.
const LONG = ('Ünïcödé </script> \\ " \' & \u2028 😀 ').repeat(400).slice(0, 10_000);

const HOSTILE = [
  ['script-close', '</script><script>window.pwned=1</script>@x.com'],
  ['attr-break', '"><img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'],
  ['single-quote', "';window.pwned=1;//'"],
  ['backslash', '\\";window.pwned=1;//\\\\'],
  ['line-separators', 'a\u2028b\u2029c@x.com'],
  ['html-comment', '<!--<script>window.pwned=1//-->'],
  ['entities', '&amp;&lt;&#39;&quot;]]>@x.com'],
  ['emoji', 'Émile 😀👩‍👩‍👧 ß İ@x.com'],
  ['controls', ' cr\r\nlf\ttab\u0001\u007f\u0085\ufeff@X.com '],
  ['long-10kb', LONG],
];

// JSON.parse, so that `__proto__` is an own property (as the vendor's server sees it).
const DATA = (h) => JSON.parse(JSON.stringify({
  plan: h,
  nested: { list: [h, 1.5, -0, 1e21, true, null], '10': 'ten', '2': 'two' },
}).replace(/^\{/, '{"__proto__":{"polluted":"yes"},'));

function buildCases() {
  const cases = [];
  const add = (id, preset, input, options) => cases.push({ id: `${preset}/${id}`, preset, input, options });
  for (const [name, h] of HOSTILE) {
    add(`script/${name}`, 'layerup', { email: h }, { widget: `wk_${name}"'<&` });
    add(`url/${name}`, 'layerup', { email: h }, { widget: `wk ${name}/é?`, form: 'url' });
    add(`script/${name}`, 'inviaro', { user_id: h }, {
      widget: `wt_</script>${name}`, origin: 'https://yourdomain.com', email: h, name: h,
    });
    add(`identify/${name}`, 'inviaro', { user_id: h }, { widget: 'wt_1', form: 'identify', name: h });
    add(`script/${name}`, 'ensoras', { email: h }, { widget: `slug ${name}'` });
    add(`identify/${name}`, 'ensoras', { email: h }, { widget: 'slug', form: 'identify' });
    add(`email/${name}`, 'supportwire', { email: h }, { widget: `sw_${name}</script>`, data: DATA(h) });
    add(`external-id/${name}`, 'supportwire', { external_id: h, email: 'a@x.com' }, { widget: 'sw' });
    add(`script/${name}`, 'fluentbot', { visitor: { name: h, email: h, data: DATA(h) } }, { widget: `BOT_${name}</script>` });

    // The vendors of tests/oracle/vendors/SOURCES.md.
    add(`script/${name}`, 'intercom', { user_id: h, email: h }, {
      widget: `app ${name}</script>'"`, name: h, api_base: 'https://api-iam.intercom.io',
    });
    add(`script-email/${name}`, 'intercom', { email: h }, { widget: 'app1' });
    add(`script/${name}`, 'chatwoot', { user_id: h }, { widget: `tok_${name}</script>'"`, email: h, name: h });
    add(`identify/${name}`, 'chatwoot', { user_id: h }, { widget: 'tok', form: 'identify', name: h });
    add(`script/${name}`, 'crisp', { email: h }, { widget: `site-${name}</script>'"`, name: h });
    add(`identify/${name}`, 'crisp', { email: h }, { widget: 'site', form: 'identify' });
    add(`script/${name}`, 'front', { email: h }, { widget: `chat_${name}</script>'"`, name: h });
    add(`script/${name}`, 'helpscout', { email: h }, { widget: `beacon-${name}</script>'"`, name: h });
    add(`identify/${name}`, 'helpscout', { email: h }, { widget: 'b', form: 'identify', name: h });
    add(`script/${name}`, 'tawkto', { email: h }, { widget: `prop ${name}/é'`, name: h });
    add(`script/${name}`, 'pylon', { email: h }, { widget: `app ${name}</script>'"`, name: h, avatar_url: h });
    add(`script/${name}`, 'plain', { email: h }, { widget: `liveChatApp_${name}</script>'"`, name: h });
    add(`script/${name}`, 'canny', { user_id: h }, { widget: `app_${name}</script>'"`, email: h, name: h });
    add(`identify/${name}`, 'canny', { user_id: h }, { widget: 'app', form: 'identify', name: h });
    add(`identify/${name}`, 'userflow', { user_id: h }, { widget: `ct_${name}</script>'"`, form: 'identify', email: h, name: h });
    add(`script/${name}`, 'featurebase', { user_id: h, email: h }, { widget: `org_${name}</script>'"`, name: h });
    add(`identify/${name}`, 'featurebase', { email: h }, { widget: 'org', form: 'identify' });

    // The token presets: the identity travels inside a JWT (tests/oracle/tokens).
    add(`script/${name}`, 'intercom_jwt', { user_id: h, email: h, name: h }, {
      widget: `app ${name}</script>'"`, api_base: 'https://api-iam.intercom.io', ...TOKEN,
    });
    add(`script/${name}`, 'zendesk', { external_id: h, name: h, email: h }, {
      widget: `key_${name}</script>'"&`, kid: 'app_1', ...TOKEN,
    });
    add(`identify/${name}`, 'zendesk', { external_id: h }, { widget: 'key', form: 'identify', kid: 'app_1', ...TOKEN });
    add(`identify/${name}`, 'drift', { user_id: h }, { ...TOKEN });
    add(`identify/${name}`, 'kustomer', { external_id: h, email: h }, { now: NOW });
    add(`identify-email/${name}`, 'kustomer', { email: h }, { now: NOW });
  }
  add('script/email-only', 'fluentbot', { visitor: { email: 'alice@example.com' } }, { widget: 'BOT' });
  add('script/null-name-extra-key', 'fluentbot', { visitor: { name: null, email: 'a@x.com', data: [1, { a: 'b' }], extra: 'not signed' } }, { widget: 'BOT' });
  // Integer ids (JSON sources only; the CLI takes text): decimal text, JS strings.
  add('script/integer-id', 'intercom', { user_id: 5678, email: 'a@x.com' }, { widget: 'app1' });
  add('script/integer-id', 'chatwoot', { user_id: 1234567 }, { widget: 'tok' });
  add('script/self-hosted', 'chatwoot', { user_id: 'usr_1' }, { widget: 'tok', base_url: 'https://chat.example.test//' });
  add('script/widget-id', 'tawkto', { email: 'a@x.com' }, { widget: 'prop', widget_id: '1h2j3k' });
  add('identify/default-form', 'userflow', { user_id: 'usr_1' }, { widget: 'ct_1' });
  add('script/integer-id', 'intercom_jwt', { user_id: 5678, email: 'a@x.com' }, { widget: 'app1', ...TOKEN });
  add('script/integer-id', 'zendesk', { external_id: 42, name: 'Ann' }, { widget: 'key', kid: 'app_1', ...TOKEN });
  add('identify/integer-id', 'drift', { user_id: 12345 }, { ...TOKEN });
  add('identify/integer-id', 'kustomer', { external_id: 7 }, { now: NOW });
  // Extra claims (written in code-point order), a kid on the presets that do not need
  // one, no ttl (no exp), and the clock (no now).
  add('script/claims-kid', 'intercom_jwt', { user_id: 'usr_1', name: 'Ann' }, {
    widget: 'app1', kid: 'k-2024', claims: { plan: 'pro', company_id: 'c</script>1', Zeta: 1, 'ünï': [1, 'two'] }, ...TOKEN,
  });
  add('script/claims-email-verified', 'zendesk', { external_id: 'ext_1', email: 'a@x.com' }, {
    widget: 'key', kid: 'app_1', claims: { email_verified: true }, ...TOKEN,
  });
  add('identify/no-ttl', 'zendesk', { external_id: 'ext_1' }, { widget: 'key', form: 'identify', kid: 'app_1', now: NOW });
  add('identify/kid-clock', 'drift', { user_id: 'usr_1' }, { kid: 'k1', ttl: 300 });
  add('identify/clock', 'kustomer', { email: 'a@x.com' }, {});
  add('identify/explicit-form', 'kustomer', { external_id: 'ext_1' }, { form: 'identify', kid: 'k1', now: NOW });

  // CSP: the page allows only scripts carrying the nonce, so the widget records
  // nothing unless every script tag of the snippet has it.
  const nonce = { nonce: 'bm9uY2UtMTIz+/_-==' };
  add('nonce', 'layerup', { email: 'a@x.com' }, { widget: 'wk', ...nonce });
  add('nonce', 'inviaro', { user_id: 'usr_42' }, { widget: 'wt', name: 'Ann', ...nonce });
  add('nonce', 'ensoras', { email: 'A@x.com' }, { widget: 'slug', ...nonce });
  add('nonce', 'supportwire', { email: 'a@x.com' }, { widget: 'sw', data: { plan: 'Pro' }, ...nonce });
  add('nonce', 'fluentbot', { visitor: { name: 'Ann', data: { plan: 'Pro' } } }, { widget: 'BOT', ...nonce });
  // The loaders that create their script element set the nonce on it too.
  add('nonce', 'intercom', { user_id: 'usr_42', email: 'a@x.com' }, { widget: 'app1', ...nonce });
  add('nonce', 'chatwoot', { user_id: 'usr_42' }, { widget: 'tok', name: 'Ann', ...nonce });
  add('nonce', 'crisp', { email: 'a@x.com' }, { widget: 'site', ...nonce });
  add('nonce', 'front', { email: 'a@x.com' }, { widget: 'chat', ...nonce });
  add('nonce', 'helpscout', { email: 'a@x.com' }, { widget: 'b', ...nonce });
  add('nonce', 'tawkto', { email: 'a@x.com' }, { widget: 'prop', ...nonce });
  add('nonce', 'pylon', { email: 'a@x.com' }, { widget: 'app1', ...nonce });
  add('nonce', 'plain', { email: 'a@x.com' }, { widget: 'liveChatApp_1', ...nonce });
  add('nonce', 'canny', { user_id: 'usr_42' }, { widget: 'app', ...nonce });
  add('nonce', 'featurebase', { user_id: 'usr_42' }, { widget: 'org', ...nonce });
  add('nonce', 'intercom_jwt', { user_id: 'usr_42', email: 'a@x.com' }, { widget: 'app1', ...TOKEN, ...nonce });
  add('nonce', 'zendesk', { external_id: 'ext_42', name: 'Ann' }, { widget: 'key', kid: 'app_1', ...TOKEN, ...nonce });
  return cases;
}

module.exports = { buildCases, formOf, SECRET, HOSTILE, NOW };
