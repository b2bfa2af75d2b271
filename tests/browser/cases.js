// The browser test's cases: every vendor × form × hostile identity.
//
// A case is {id, preset, input, options}: `input` holds the sign-call fields (email,
// user_id, external_id, visitor) and `options` the embed options (widget, form, nonce,
// origin, name, email, data), exactly what a source passes to `signer.embed(input,
// options)`. Framework examples receive these as the JSON body of a POST.
'use strict';

// The secret every source signs with (sources get it as USERHASH_SECRET).
const SECRET = 'browser-test-secret';

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
  }
  add('script/email-only', 'fluentbot', { visitor: { email: 'alice@example.com' } }, { widget: 'BOT' });
  add('script/null-name-extra-key', 'fluentbot', { visitor: { name: null, email: 'a@x.com', data: [1, { a: 'b' }], extra: 'not signed' } }, { widget: 'BOT' });

  // CSP: the page allows only scripts carrying the nonce, so the widget records
  // nothing unless every script tag of the snippet has it.
  const nonce = { nonce: 'bm9uY2UtMTIz+/_-==' };
  add('nonce', 'layerup', { email: 'a@x.com' }, { widget: 'wk', ...nonce });
  add('nonce', 'inviaro', { user_id: 'usr_42' }, { widget: 'wt', name: 'Ann', ...nonce });
  add('nonce', 'ensoras', { email: 'A@x.com' }, { widget: 'slug', ...nonce });
  add('nonce', 'supportwire', { email: 'a@x.com' }, { widget: 'sw', data: { plan: 'Pro' }, ...nonce });
  add('nonce', 'fluentbot', { visitor: { name: 'Ann', data: { plan: 'Pro' } } }, { widget: 'BOT', ...nonce });
  return cases;
}

module.exports = { buildCases, SECRET, HOSTILE };
