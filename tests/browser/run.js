#!/usr/bin/env node
// Browser test for the embed snippets (issue 9). Node 20, builtins only (the oracle also
// uses npm jsonwebtoken from tests/oracle/tokens, for the token presets).
//
// For every "source" of snippets (the CLI's `userhash embed`, and each framework
// example that plugs in, see docs/embed.md) and every case (a vendor, a form, a
// hostile identity), it:
//   1. renders the snippet through that source (with the production vendor URLs, which
//      it checks), then serves it from 127.0.0.1 with the vendor hosts rewritten to
//      local stubs of each vendor's widget script; the stubs record what they received
//      (data-* attributes, InviaroSettings, EnsorasQueue, SupportWireWidget and
//      injectWidget arguments, the webview URL's parameters, intercomSettings, the
//      $chatwoot.setUser call after chatwoot:ready, the $crisp queue, FrontChat('init'),
//      the Beacon queue, Tawk_API.visitor, window.pylon, Plain.init, the Canny queue,
//      userflow.identify, Featurebase('identify'); for the token presets
//      intercomSettings.intercom_user_jwt, the token Zendesk's zE('messenger',
//      'loginUser') callback is handed, drift.identify and Kustomer.login);
//   2. loads every case page in headless Chromium (one iframe each, one browser run
//      per batch) and reads the recordings from the dumped DOM;
//   3. asserts that no injected script ran (`window.pwned` unset, no script errors),
//      that the widget received exactly the intended identity, and that the vendor's
//      own Node snippet (tests/browser/oracle.js) re-signs what the browser received
//      to the hash on the page; a token must verify with npm jsonwebtoken and carry
//      exactly the intended identity and options (kid, iat, exp, extra claims).
// Prints `browser: N passed, M failed` and exits 1 on any failure.
//
// usage: node tests/browser/run.js [--cli PATH] [--no-cli] [--chromium PATH]
//          [--example NAME=COMMAND] [--example-url NAME=URL] [--source NAME=URL]
//          [--only SUBSTRING]... [--verbose]
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const oracle = require('./oracle.js');
const { buildCases, formOf, SECRET } = require('./cases.js');

const ROOT = path.resolve(__dirname, '..', '..');

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

function parseArgs(argv) {
  const args = {
    cli: path.join(ROOT, 'target', 'release', 'userhash'),
    useCli: true,
    chromium: process.env.CHROMIUM || 'chromium',
    examples: [], // {name, command, url}
    sources: [], // {name, url}
    only: [], // a case runs when its label contains any of these (all when empty)
    verbose: false,
    batch: 40,
  };
  const pair = (v, flag) => {
    const i = v.indexOf('=');
    if (i < 1) throw new Error(`${flag} expects NAME=VALUE, got ${JSON.stringify(v)}`);
    return [v.slice(0, i), v.slice(i + 1)];
  };
  const exampleUrls = {};
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--cli') args.cli = path.resolve(next());
    else if (a === '--no-cli') args.useCli = false;
    else if (a === '--chromium') args.chromium = next();
    else if (a === '--only') args.only.push(next());
    else if (a === '--verbose' || a === '-v') args.verbose = true;
    else if (a === '--batch') args.batch = Number(next());
    else if (a === '--example') {
      const [name, command] = pair(next(), a);
      args.examples.push({ name, command });
    } else if (a === '--example-url') {
      const [name, url] = pair(next(), a);
      exampleUrls[name] = url;
    } else if (a === '--source') {
      const [name, url] = pair(next(), a);
      args.sources.push({ name, url });
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const ex of args.examples) {
    ex.url = exampleUrls[ex.name] || 'http://127.0.0.1:{port}/userhash/embed';
  }
  return args;
}

// ---------------------------------------------------------------------------
// Sources: something that renders the snippet for a case.
//   render(case) -> Promise<{status: 'ok', body} | {status: 'skip', why} | {status: 'error', why}>
// ---------------------------------------------------------------------------

/** The CLI: `userhash embed --preset P --options-json J <identity flags>`. */
function cliSource(cliPath) {
  return {
    name: 'cli',
    async render(c) {
      const argv = ['embed', '--preset', c.preset, '--options-json', JSON.stringify(c.options)];
      for (const [field, value] of Object.entries(c.input)) {
        if (field === 'visitor') argv.push('--visitor-json', JSON.stringify(value));
        else if (typeof value === 'string') argv.push(`--${field.replace('_', '-')}`, value);
        else return { status: 'skip', why: `the CLI takes ${field} as text only` };
      }
      try {
        const out = execFileSync(cliPath, argv, {
          env: { ...process.env, USERHASH_SECRET: SECRET },
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        });
        return { status: 'ok', body: out.replace(/\n$/, '') };
      } catch (e) {
        return { status: 'error', why: `userhash embed failed: ${e.stderr || e.message}` };
      }
    },
  };
}

/** A framework example: POST the case as JSON to its URL, the response body is the snippet. */
function httpSource(name, url, log) {
  const where = log ? ` (server log: ${log})` : '';
  return {
    name,
    url,
    async render(c) {
      const body = JSON.stringify({ preset: c.preset, input: c.input, options: c.options });
      let res;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      } catch (e) {
        return { status: 'error', why: `POST ${url}: ${e.message}${where}` };
      }
      const text = await res.text();
      if (res.status === 404 || res.status === 501) {
        return { status: 'skip', why: `${name} does not render ${c.preset}/${formOf(c)} (HTTP ${res.status})` };
      }
      if (res.status !== 200) {
        return { status: 'error', why: `POST ${url}: HTTP ${res.status}: ${text.slice(0, 500)}${where}` };
      }
      return { status: 'ok', body: text };
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts an example's server (COMMAND with PORT and USERHASH_SECRET), waits for its URL. */
async function startExample(ex, children) {
  const port = await freePort();
  const command = ex.command.replaceAll('{port}', String(port));
  const url = ex.url.replaceAll('{port}', String(port));
  const log = path.join(os.tmpdir(), `userhash-browser-${ex.name}-${process.pid}.log`);
  const out = fs.openSync(log, 'w');
  const child = spawn('/bin/sh', ['-c', command], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), USERHASH_SECRET: SECRET },
    stdio: ['ignore', out, out],
    detached: true, // its own process group, so the whole tree is stopped at the end
  });
  children.push(child);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`example ${ex.name} exited (${child.exitCode}) before serving; log: ${log}\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
    }
    try {
      await fetch(url, { method: 'GET' });
      break; // any HTTP answer means the server is up
    } catch {
      if (Date.now() > deadline) throw new Error(`example ${ex.name} did not answer at ${url} within 120 s; log: ${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return httpSource(ex.name, url, log);
}

function stopChildren(children) {
  for (const child of children) {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

// ---------------------------------------------------------------------------
// The page server: case pages (vendor hosts rewritten) and the vendor stubs.
// ---------------------------------------------------------------------------

// Production vendor URL prefixes (as on the vendor pages) → local stub paths.
const VENDOR_HOSTS = [
  ['https://us.uselayerup.com/', '/vendor/layerup/'],
  ['https://widget.inviaro.com/', '/vendor/inviaro/'],
  ['https://app.ensoras.com/', '/vendor/ensoras/'],
  ['https://cdn.jsdelivr.net/gh/fluent-docai/chat-widget@latest/', '/vendor/fluentbot/'],
  ['https://widget.intercom.io/', '/vendor/intercom/'],
  // Chatwoot's BASE_URL has no trailing slash; the self-hosted one is the cases'.
  ['https://app.chatwoot.com', '/vendor/chatwoot'],
  ['https://chat.example.test', '/vendor/chatwoot-self'],
  ['https://client.crisp.chat/', '/vendor/crisp/'],
  ['https://chat-assets.frontapp.com/', '/vendor/front/'],
  ['https://beacon-v2.helpscout.net', '/vendor/helpscout/beacon.js'],
  ['https://embed.tawk.to/', '/vendor/tawkto/'],
  ['https://widget.usepylon.com/', '/vendor/pylon/'],
  ['https://chat.cdn-plain.com/', '/vendor/plain/'],
  ['https://canny.io/', '/vendor/canny/'],
  ['https://do.featurebase.app/', '/vendor/featurebase/'],
  ['https://static.zdassets.com/', '/vendor/zendesk/'],
];

const ZENDESK_LOADER = 'https://static.zdassets.com/ekr/snippet.js';

// Zendesk's zE: for ('messenger', 'loginUser', fn) the widget calls fn with a callback
// that takes the JWT; `seen` is what the stub knows of its own script tag.
const zendeskZE = (kind, seen) => `window.zE = function (target, command, jwtFn) {
  var seen = ${seen};
  jwtFn(function (token) {
    __uhRecord('${kind}', Object.assign({ args: [target, command, typeof jwtFn], argc: arguments.length, token: token }, seen));
  });
};`;

/** A production URL as the case page has it (vendor hosts rewritten). */
function localUrl(url) {
  for (const [from, to] of VENDOR_HOSTS) if (url.startsWith(from)) return to + url.slice(from.length);
  return url;
}

// What each case page runs first: a recorder, and what a vendor's SPA runtime would
// have defined already (for the identify form) or what SupportWire's loader defines.
const PRELUDE = `
window.__uh = { records: [], errors: [] };
window.addEventListener('error', function (e) { __uh.errors.push(String(e.message || e)); });
window.__uhRecord = function (kind, data) {
  // A JSON copy: what the widget would send on is what it received.
  __uh.records.push({ kind: kind, data: JSON.parse(JSON.stringify(data)) });
};
// Loaders that insert the widget script on 'load' record later: wait for a record
// (up to 4 s), then 50 ms more for anything else (a second record, an injection).
window.addEventListener('load', function () {
  var tries = 0;
  (function finish() {
    if (__uh.records.length === 0 && tries++ < 200) return setTimeout(finish, 20);
    setTimeout(function () {
      __uh.pwned = ('pwned' in window);
      __uh.done = true;
    }, 50);
  })();
});
`;

const STUBS = {
  // Layerup's loader reads its own script tag's data-* attributes.
  '/vendor/layerup/widget-loader.js': `
(function () {
  var s = document.currentScript;
  __uhRecord('layerup', {
    src: s.getAttribute('src'),
    widgetKey: s.dataset.widgetKey,
    userEmail: s.dataset.userEmail,
    userHash: s.dataset.userHash,
    nonce: s.nonce || null,
  });
})();`,
  // Inviaro's loader reads window.InviaroSettings.
  '/vendor/inviaro/v1.js': `
__uhRecord('inviaro', { settings: window.InviaroSettings, nonce: document.currentScript.nonce || null });`,
  // SupportWire's page shows no loader URL: this stands for the loader the site includes.
  '/vendor/supportwire/widget.js': `
window.SupportWireWidget = function SupportWireWidget(config) {
  var s = document.currentScript;
  __uhRecord('supportwire', { config: config, nonce: (s && s.nonce) || null });
};`,
  // FluentBot's Widget SDK module defines FluentBotChatWidget.injectWidget.
  '/vendor/fluentbot/chat-widget.js': `
window.FluentBotChatWidget = {
  injectWidget: function (botId, options) {
    var v = options.visitor;
    __uhRecord('fluentbot', {
      botId: botId,
      options: options,
      // The vendor's payload, computed from what the browser parsed.
      payload: JSON.stringify({ name: v.name, email: v.email, data: v.data ?? null }),
    });
  },
};`,
  // Crisp's l.js reads CRISP_WEBSITE_ID and drains the $crisp queue.
  '/vendor/crisp/l.js': `
(function () {
  var s = document.currentScript;
  __uhRecord('crisp', { src: s.getAttribute('src'), websiteId: window.CRISP_WEBSITE_ID, queue: window.$crisp, nonce: s.nonce || null });
})();`,
  // Front's chat.bundle.js defines FrontChat.
  '/vendor/front/v1/chat.bundle.js': `
(function () {
  var nonce = document.currentScript.nonce || null;
  window.FrontChat = function (command, options) {
    __uhRecord('front', { command: command, options: options, nonce: nonce });
  };
})();`,
  // The Beacon script drains Beacon.readyQueue (init, then identify).
  '/vendor/helpscout/beacon.js': `
(function () {
  var s = document.currentScript;
  __uhRecord('helpscout', { src: s.getAttribute('src'), queue: window.Beacon.readyQueue, nonce: s.nonce || null });
})();`,
  // Plain's index.js defines Plain; the snippet's onload calls Plain.init.
  '/vendor/plain/index.js': `
(function () {
  var s = document.currentScript;
  var seen = { src: s.getAttribute('src'), nonce: s.nonce || null };
  window.Plain = { init: function (options) { __uhRecord('plain', { src: seen.src, nonce: seen.nonce, options: options }); } };
})();`,
  // Canny's sdk.js drains Canny.q.
  '/vendor/canny/sdk.js': `
(function () {
  var s = document.currentScript;
  __uhRecord('canny', {
    src: s.getAttribute('src'),
    queue: window.Canny.q.map(function (a) { return Array.prototype.slice.call(a); }),
    nonce: s.nonce || null,
  });
})();`,
  // Featurebase's sdk.js (a blocking script tag) defines Featurebase.
  // Zendesk's snippet.js (a blocking tag keyed by ?key=) defines zE.
  '/vendor/zendesk/ekr/snippet.js': `
(function () {
  var s = document.currentScript;
  ${zendeskZE('zendesk', "{ src: s.getAttribute('src'), key: new URL(s.src).searchParams.get('key'), id: s.id, nonce: s.nonce || null }")}
})();`,
  '/vendor/featurebase/js/sdk.js': `
(function () {
  var s = document.currentScript;
  var seen = { src: s.getAttribute('src'), id: s.id, nonce: s.nonce || null };
  window.Featurebase = function (command, options) {
    __uhRecord('featurebase', { src: seen.src, id: seen.id, nonce: seen.nonce, command: command, options: options });
  };
})();`,
};

// Scripts served for any path under a prefix (the id is in the URL).
const PREFIX_STUBS = [
  // Intercom's widget reads intercomSettings (and the Intercom queue); intercom_jwt's too.
  ['/vendor/intercom/widget/', `
(function () {
  var s = document.currentScript;
  __uhRecord('intercom', {
    src: s.getAttribute('src'),
    settings: window.intercomSettings,
    queue: ((window.Intercom && window.Intercom.q) || []).map(function (a) { return Array.prototype.slice.call(a); }),
    nonce: s.nonce || null,
  });
})();`],
  // Chatwoot's SDK: run() makes $chatwoot and then fires chatwoot:ready, as the real one does.
  ...['/vendor/chatwoot/', '/vendor/chatwoot-self/'].map((p) => [`${p}packs/js/sdk.js`, `
(function () {
  var s = document.currentScript;
  var seen = { src: s.getAttribute('src'), nonce: s.nonce || null };
  window.chatwootSDK = {
    run: function (config) {
      seen.run = { websiteToken: config.websiteToken, baseUrl: config.baseUrl };
      window.$chatwoot = {
        setUser: function (identifier, user) {
          __uhRecord('chatwoot', { src: seen.src, nonce: seen.nonce, run: seen.run, identifier: identifier, user: user });
        },
      };
      setTimeout(function () { window.dispatchEvent(new CustomEvent('chatwoot:ready')); }, 0);
    },
  };
})();`]),
  // tawk.to's embed reads Tawk_API.visitor.
  ['/vendor/tawkto/', `
(function () {
  var s = document.currentScript;
  __uhRecord('tawkto', { src: s.getAttribute('src'), visitor: window.Tawk_API.visitor, nonce: s.nonce || null });
})();`],
  // Pylon's widget reads window.pylon.
  ['/vendor/pylon/widget/', `
(function () {
  var s = document.currentScript;
  __uhRecord('pylon', { src: s.getAttribute('src'), pylon: window.pylon, nonce: s.nonce || null });
})();`],
];

// Ensoras's loader (any slug) drains EnsorasQueue.
const ENSORAS_STUB = `
(function () {
  var src = document.currentScript.getAttribute('src');
  __uhRecord('ensoras', {
    src: src,
    queue: (window.EnsorasQueue || []).map(function (args) { return Array.prototype.slice.call(args); }),
    nonce: document.currentScript.nonce || null,
  });
})();`;

// Layerup's webview page (any widget id): what its server reads from the URL.
const LAYERUP_WEBVIEW_STUB = `
(function () {
  var p = new URLSearchParams(location.search);
  __uhRecord('layerup.url', {
    pathname: location.pathname,
    search: location.search,
    ue: p.get('ue'),
    uh: p.get('uh'),
  });
})();`;

// For the identify form, the SPA has loaded the vendor's runtime already.
const IDENTIFY_RUNTIME = {
  inviaro: `window.Inviaro = function (command, args) { __uhRecord('inviaro.identify', { command: command, args: args }); };`,
  ensoras: `window.EnsorasQueue = window.EnsorasQueue || [];
function Ensoras() { EnsorasQueue.push(arguments); }
window.addEventListener('load', function () {
  __uhRecord('ensoras.identify', { queue: EnsorasQueue.map(function (a) { return Array.prototype.slice.call(a); }) });
});`,
  chatwoot: `window.$chatwoot = { setUser: function (identifier, user) { __uhRecord('chatwoot.identify', { identifier: identifier, user: user }); } };`,
  crisp: `window.$crisp = [];
window.addEventListener('load', function () { __uhRecord('crisp.identify', { queue: window.$crisp }); });`,
  helpscout: `window.Beacon = function (method, options) { __uhRecord('helpscout.identify', { method: method, options: options }); };`,
  canny: `window.Canny = function () { __uhRecord('canny.identify', { args: Array.prototype.slice.call(arguments) }); };`,
  featurebase: `window.Featurebase = function () { __uhRecord('featurebase.identify', { args: Array.prototype.slice.call(arguments) }); };`,
  zendesk: zendeskZE('zendesk.identify', '{}'),
  drift: `window.drift = { identify: function () { __uhRecord('drift.identify', { args: Array.prototype.slice.call(arguments) }); } };`,
  kustomer: `window.Kustomer = { login: function () { __uhRecord('kustomer.identify', { args: Array.prototype.slice.call(arguments) }); } };`,
  userflow: `window.userflow = {
  init: function (token) { window.userflow.token = token; },
  identify: function (id, attributes, options) {
    __uhRecord('userflow.identify', { token: window.userflow.token, id: id, attributes: attributes, options: options });
  },
};`,
};

function script(code, nonce) {
  return `<script${nonce ? ` nonce="${nonce}"` : ''}>${code}</script>`;
}

/** The HTML page for one rendered case; null for the URL form (the URL is the page). */
function casePage(c, body) {
  const nonce = c.options.nonce || null;
  let head = script(PRELUDE, nonce);
  const form = formOf(c);
  if (c.preset === 'supportwire') head += `<script src="/vendor/supportwire/widget.js"${nonce ? ` nonce="${nonce}"` : ''}></script>`;
  if (form === 'identify') {
    head += script(IDENTIFY_RUNTIME[c.preset]);
    // The identify form is a JS statement; a page runs it from a script element.
    body = script(body);
  }
  let html = body;
  for (const [from, to] of VENDOR_HOSTS) html = html.split(from).join(to);
  // A full page from an example: put the prelude first in <head>; a fragment: wrap it.
  if (/<head[\s>]/i.test(html)) return html.replace(/<head([^>]*)>/i, (m) => m + head);
  if (/<html[\s>]/i.test(html)) return html.replace(/<html([^>]*)>/i, (m) => `${m}<head>${head}</head>`);
  return `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>\n${html}\n</body></html>`;
}

function indexPage(batch) {
  const frames = batch.map((c) => `<iframe id="f${c.index}" src="${c.frameUrl}"></iframe>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>
${frames}
<pre id="userhash-results"></pre>
<script>
function b64(s) {
  var bytes = new TextEncoder().encode(s), out = '';
  for (var i = 0; i < bytes.length; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return btoa(out);
}
function collect() {
  var results = {}, pending = 0;
  document.querySelectorAll('iframe').forEach(function (f) {
    var w = f.contentWindow, r = null;
    try { r = w.__uh || null; } catch (e) { r = { errors: ['cannot read frame: ' + e] }; }
    if (r && !r.done) pending++;
    results[f.id.slice(1)] = r;
  });
  if (pending && collect.tries++ < 100) return setTimeout(collect, 50);
  results.top = { pwned: ('pwned' in window) };
  document.getElementById('userhash-results').setAttribute('data-b64', b64(JSON.stringify(results)));
}
collect.tries = 0;
window.addEventListener('load', function () { setTimeout(collect, 100); });
</script>
</body></html>`;
}

function startServer(state) {
  // Request lines of the webview URL case exceed Node's default 16 KB header limit.
  const server = http.createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, text, headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(text);
    };
    const p = url.pathname;
    let m;
    if ((m = /^\/index\/(\d+)$/.exec(p))) return send(200, 'text/html; charset=utf-8', indexPage(state.batches[Number(m[1])]));
    if ((m = /^\/case\/(\d+)$/.exec(p))) {
      const c = state.cases[Number(m[1])];
      const headers = {};
      // With a nonce, a CSP that lets only nonce'd scripts run: the widget records
      // nothing unless every script tag of the snippet carries the nonce.
      if (c.options.nonce) headers['content-security-policy'] = `script-src 'nonce-${c.options.nonce}'`;
      return send(200, 'text/html; charset=utf-8', c.page, headers);
    }
    if (STUBS[p]) return send(200, 'text/javascript; charset=utf-8', STUBS[p]);
    for (const [prefix, code] of PREFIX_STUBS) {
      if (p.startsWith(prefix)) return send(200, 'text/javascript; charset=utf-8', code);
    }
    if (p.startsWith('/vendor/ensoras/cdn/v1/widget/') && p.endsWith('.js')) return send(200, 'text/javascript; charset=utf-8', ENSORAS_STUB);
    if (p.startsWith('/vendor/layerup/widget/')) {
      return send(200, 'text/html; charset=utf-8', `<!doctype html><html><head><meta charset="utf-8">${script(PRELUDE)}${script(LAYERUP_WEBVIEW_STUB)}</head><body></body></html>`);
    }
    send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------

/** Loads `url` in headless Chromium (async: this process serves the pages meanwhile). */
async function runChromium(chromium, url) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'userhash-chromium-'));
  const flags = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-default-apps', '--disable-extensions', '--mute-audio',
    `--user-data-dir=${profile}`, '--virtual-time-budget=30000', '--dump-dom', url,
  ];
  try {
    const out = await new Promise((resolve, reject) => {
      const child = spawn(chromium, flags, { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks = [];
      let stderr = '';
      child.stdout.on('data', (b) => chunks.push(b));
      child.stderr.on('data', (b) => { stderr = (stderr + b).slice(-4000); });
      const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new Error(`chromium exited with ${code ?? signal}: ${stderr.slice(-1000)}`));
      });
    });
    const m = /id="userhash-results" data-b64="([^"]*)"/.exec(out);
    if (!m) throw new Error(`no results in the dumped DOM (${out.length} bytes)`);
    return JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'));
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Checks: what the browser received vs the intended identity and the oracle.
// ---------------------------------------------------------------------------

function check(c, rendered, result) {
  const problems = [];
  const expect = (ok, what) => { if (!ok) problems.push(what); };
  const eq = (a, b, what) => expect(a === b, `${what}: got ${JSON.stringify(a)?.slice(0, 300)}, want ${JSON.stringify(b)?.slice(0, 300)}`);
  if (!result) return ['the page reported nothing'];
  if (result.pwned) problems.push('an injected script ran (window.pwned is set)');
  for (const e of result.errors || []) problems.push(`script error: ${e}`);
  const records = result.records || [];
  const form = formOf(c);
  const kind = form === 'identify' ? `${c.preset}.identify` : form === 'url' ? 'layerup.url' : c.preset;
  const recorded = RECORDED_AS[kind] || kind;
  const mine = records.filter((r) => r.kind === recorded);
  if (mine.length !== 1) return [...problems, `expected one ${recorded} record, got ${JSON.stringify(records).slice(0, 500)}`];
  const d = mine[0].data;
  const widget = c.options.widget;

  // The snippet references the vendor's production URLs exactly.
  const urls = {
    layerup: 'https://us.uselayerup.com/widget-loader.js',
    inviaro: 'https://widget.inviaro.com/v1.js',
    ensoras: `https://app.ensoras.com/cdn/v1/widget/${encodeURIComponent(widget)}.js`,
    fluentbot: 'https://cdn.jsdelivr.net/gh/fluent-docai/chat-widget@latest/chat-widget.js',
    front: 'https://chat-assets.frontapp.com/v1/chat.bundle.js',
    featurebase: 'https://do.featurebase.app/js/sdk.js',
    zendesk: `${ZENDESK_LOADER}?key=${encodeURIComponent(widget)}`,
  };
  if (form === 'script' && urls[c.preset]) {
    const attr = urls[c.preset].replaceAll('&', '&amp;').replaceAll("'", '&#39;');
    expect(rendered.includes(`src="${attr}"`), `snippet does not load ${urls[c.preset]}`);
  }
  // The loaders that make their script element: the URL is a JS string in the snippet.
  const loaded = loaderUrl(c);
  if (form === 'script' && loaded) {
    expect(rendered.includes(JSON.stringify(loaded)), `snippet does not load ${loaded}`);
  }

  try {
    checkRecord(kind, d, c, rendered, eq, expect, problems);
  } catch (e) {
    // e.g. the Inviaro snippet throws on the empty userId a broken page handed over
    problems.push(`the vendor snippet threw on what the browser received: ${e.message}`);
  }
  return problems;
}

// Presets whose script is the same vendor script (stub) as another preset's.
const RECORDED_AS = { intercom_jwt: 'intercom' };

/** The production URL a vendor's loader (or tag) fetches, for the new vendors. */
function loaderUrl(c) {
  const w = encodeURIComponent(c.options.widget);
  switch (c.preset) {
    case 'intercom':
    case 'intercom_jwt': return `https://widget.intercom.io/widget/${w}`;
    case 'chatwoot': return (c.options.base_url ?? 'https://app.chatwoot.com').replace(/\/+$/, '');
    case 'crisp': return 'https://client.crisp.chat/l.js';
    case 'helpscout': return 'https://beacon-v2.helpscout.net';
    case 'tawkto': return `https://embed.tawk.to/${w}/${encodeURIComponent(c.options.widget_id ?? 'default')}`;
    case 'pylon': return `https://widget.usepylon.com/widget/${w}`;
    case 'plain': return 'https://chat.cdn-plain.com/index.js';
    case 'canny': return 'https://canny.io/sdk.js';
    default: return null;
  }
}

/** An id as the token carries it: text (an integer id as its decimal text). */
const idText = (v) => (v === undefined || v === null ? undefined : String(v));

// The token presets' claims from the input, in docs/tokens.md's order (before the
// extra claims, iat and exp); an absent field is left out.
const TOKEN_CLAIMS = {
  intercom_jwt: (i) => ({ user_id: idText(i.user_id), email: i.email, name: i.name }),
  zendesk: (i) => ({ scope: 'user', external_id: idText(i.external_id), name: i.name, email: i.email }),
  drift: (i) => ({ sub: idText(i.user_id) }),
  kustomer: (i) => ({ externalId: idText(i.external_id), email: i.email }),
};

/**
 * The JWT the widget received, checked by npm jsonwebtoken (HS256 over the secret
 * text's UTF-8 bytes, at the case's `now`): its header's kid is the option's, and its
 * claims are exactly the intended identity, then the extra claims in code-point order,
 * `iat` (`now`) and `exp` (`now + ttl`).
 */
function checkToken(token, c, eq, expect, problems) {
  const { options } = c;
  if (typeof token !== 'string') return problems.push(`no token received: ${JSON.stringify(token)}`);
  let t;
  try {
    t = oracle.jwt.verify(token, SECRET, { algorithms: ['HS256'], clockTimestamp: options.now, complete: true });
  } catch (e) {
    return problems.push(`the token does not verify with jsonwebtoken: ${e.name}: ${e.message}`);
  }
  eq(JSON.stringify(t.header), JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: options.kid }), 'token header (kid: the option)');
  const want = TOKEN_CLAIMS[c.preset](c.input);
  const extra = options.claims || {};
  for (const k of Object.keys(extra).sort()) want[k] = extra[k];
  let now = options.now;
  if (now === undefined) {
    // No `now`: the clock (a few minutes' slack on this busy machine).
    now = t.payload.iat;
    expect(Math.abs(now - Date.now() / 1000) < 600, `iat ${now} is not the clock's time`);
  }
  want.iat = now;
  if (options.ttl !== undefined) want.exp = now + options.ttl;
  eq(JSON.stringify(t.payload), JSON.stringify(want), 'token claims (the identity as given, ids as text)');
  return undefined;
}

/** Own enumerable keys in order, as JSON (the documented key order). */
const keysOf = (o, order) => [JSON.stringify(Object.keys(o || {})), JSON.stringify(order.filter((k) => (o || {})[k] !== undefined))];

function checkRecord(kind, d, c, rendered, eq, expect, problems) {
  const { input, options } = c;
  const widget = options.widget;
  const nonce = options.nonce || null;
  const V = oracle.vendors;
  const opt = (k) => options[k] ?? undefined;
  const id = input.user_id === undefined || input.user_id === null ? undefined : String(input.user_id);
  const order = (o, keys, what) => { const [got, want] = keysOf(o, keys); eq(got, want, `${what} key order`); };
  switch (kind) {
    case 'intercom': {
      const s = d.settings || {};
      eq(s.app_id, widget, 'intercomSettings.app_id');
      eq(s.user_id, id, 'intercomSettings.user_id');
      eq(s.email, input.email ?? undefined, 'intercomSettings.email');
      eq(s.name, opt('name'), 'intercomSettings.name');
      eq(s.api_base, opt('api_base'), 'intercomSettings.api_base');
      eq(s.user_hash, V.intercom(s.user_id, s.email, SECRET), 'user_hash vs the Intercom snippet over user_id || email');
      order(s, ['api_base', 'app_id', 'user_id', 'email', 'name', 'user_hash'], 'intercomSettings');
      eq(d.src, localUrl(loaderUrl(c)), 'widget script URL');
      eq(JSON.stringify(d.queue), '[]', 'Intercom queue');
      eq(d.nonce, nonce, 'nonce of the loaded script');
      break;
    }
    case 'intercom_jwt': {
      const s = d.settings || {};
      eq(s.app_id, widget, 'intercomSettings.app_id');
      eq(s.api_base, opt('api_base'), 'intercomSettings.api_base');
      for (const k of ['user_id', 'email', 'name', 'user_hash']) eq(s[k], undefined, `intercomSettings.${k} (the identity travels in the token only)`);
      order(s, ['api_base', 'app_id', 'intercom_user_jwt'], 'intercomSettings');
      checkToken(s.intercom_user_jwt, c, eq, expect, problems);
      eq(d.src, localUrl(loaderUrl(c)), 'widget script URL');
      eq(JSON.stringify(d.queue), '[]', 'Intercom queue');
      eq(d.nonce, nonce, 'nonce of the loaded script');
      break;
    }
    case 'zendesk':
    case 'zendesk.identify':
      eq(JSON.stringify(d.args), '["messenger","loginUser","function"]', "zE('messenger', 'loginUser', function)");
      eq(d.argc, 1, 'arguments to the loginUser callback');
      checkToken(d.token, c, eq, expect, problems);
      if (kind === 'zendesk') {
        eq(d.src, localUrl(`${ZENDESK_LOADER}?key=${encodeURIComponent(widget)}`), 'snippet.js URL');
        eq(d.key, widget, 'snippet.js ?key=');
        eq(d.id, 'ze-snippet', 'snippet.js script id');
        eq(d.nonce, nonce, 'nonce of snippet.js');
      }
      break;
    case 'drift.identify': {
      const a = d.args || [];
      eq(a.length, 3, 'drift.identify arguments');
      eq(a[0], id, 'drift.identify id');
      eq(JSON.stringify(a[1]), '{}', 'drift.identify attributes');
      order(a[2], ['userJwt'], 'drift.identify options');
      checkToken((a[2] || {}).userJwt, c, eq, expect, problems);
      break;
    }
    case 'kustomer.identify': {
      const a = d.args || [];
      eq(a.length, 1, 'Kustomer.login arguments');
      order(a[0], ['jwtToken'], 'Kustomer.login options');
      checkToken((a[0] || {}).jwtToken, c, eq, expect, problems);
      break;
    }
    case 'chatwoot':
    case 'chatwoot.identify': {
      const u = d.user || {};
      eq(d.identifier, id, 'setUser identifier');
      eq(u.email, opt('email'), 'setUser email');
      eq(u.name, opt('name'), 'setUser name');
      eq(u.identifier_hash, V.chatwoot(d.identifier, SECRET), 'identifier_hash vs the Chatwoot snippet over the identifier');
      order(u, ['email', 'name', 'identifier_hash'], 'setUser user');
      if (kind === 'chatwoot') {
        const base = localUrl(loaderUrl(c));
        eq(JSON.stringify(d.run), JSON.stringify({ websiteToken: widget, baseUrl: base }), 'chatwootSDK.run');
        eq(d.src, `${base}/packs/js/sdk.js`, 'SDK URL');
        eq(d.nonce, nonce, 'nonce of the loaded script');
      }
      break;
    }
    case 'crisp':
    case 'crisp.identify': {
      const q = d.queue || [];
      eq(q.length, options.name == null ? 1 : 2, '$crisp queue length');
      const [command, key, pair] = q[0] || [];
      eq(command, 'set', '$crisp command');
      eq(key, 'user:email', '$crisp key');
      const [email, signature] = pair || [];
      eq(email, input.email, 'user:email email');
      eq(signature, V.crisp(email, SECRET), 'user:email signature vs the Crisp snippet over the email');
      if (options.name != null) eq(JSON.stringify(q[1]), JSON.stringify(['set', 'user:nickname', [options.name]]), 'user:nickname');
      if (kind === 'crisp') {
        eq(d.websiteId, widget, 'CRISP_WEBSITE_ID');
        eq(d.src, localUrl(loaderUrl(c)), 'loader URL');
        eq(d.nonce, nonce, 'nonce of the loaded script');
      }
      break;
    }
    case 'front': {
      const o = d.options || {};
      eq(d.command, 'init', 'FrontChat command');
      eq(o.chatId, widget, 'chatId');
      eq(o.useDefaultLauncher, true, 'useDefaultLauncher');
      eq(o.email, input.email, 'email');
      eq(o.name, opt('name'), 'name');
      eq(o.userHash, V.front(o.email, SECRET), 'userHash vs the Front snippet over the email');
      order(o, ['chatId', 'useDefaultLauncher', 'email', 'userHash', 'name'], 'init options');
      eq(d.nonce, nonce, 'nonce of the bundle');
      break;
    }
    case 'helpscout': {
      const q = d.queue || [];
      eq(q.length, 2, 'Beacon queue length');
      eq(JSON.stringify(q[0]), JSON.stringify({ method: 'init', options: widget }), "Beacon('init')");
      const [call = {}] = q.slice(1);
      eq(call.method, 'identify', 'Beacon method');
      checkBeaconIdentify(call.options || {}, c, eq, order, V);
      eq(d.src, localUrl(loaderUrl(c)), 'Beacon script URL');
      eq(d.nonce, nonce, 'nonce of the loaded script');
      break;
    }
    case 'helpscout.identify':
      eq(d.method, 'identify', 'Beacon method');
      checkBeaconIdentify(d.options || {}, c, eq, order, V);
      break;
    case 'tawkto': {
      const v = d.visitor || {};
      eq(v.email, input.email, 'Tawk_API.visitor.email');
      eq(v.name, opt('name'), 'Tawk_API.visitor.name');
      eq(v.hash, V.tawkto(v.email, SECRET), 'visitor.hash vs the tawk.to snippet over the email');
      order(v, ['name', 'email', 'hash'], 'Tawk_API.visitor');
      eq(d.src, localUrl(loaderUrl(c)), 'embed URL');
      eq(d.nonce, nonce, 'nonce of the loaded script');
      break;
    }
    case 'pylon': {
      const p = d.pylon || {};
      const cs = p.chat_settings || {};
      eq(JSON.stringify(Object.keys(p)), '["chat_settings"]', 'window.pylon keys');
      eq(cs.app_id, widget, 'chat_settings.app_id');
      eq(cs.email, input.email, 'chat_settings.email');
      eq(cs.name, opt('name'), 'chat_settings.name');
      eq(cs.avatar_url, opt('avatar_url'), 'chat_settings.avatar_url');
      eq(cs.email_hash, V.pylon(cs.email, SECRET), 'email_hash vs the Pylon snippet (hex-decoded secret) over the email');
      order(cs, ['app_id', 'email', 'name', 'avatar_url', 'email_hash'], 'chat_settings');
      eq(d.src, localUrl(loaderUrl(c)), 'widget script URL');
      eq(d.nonce, nonce, 'nonce of the loaded script');
      break;
    }
    case 'plain': {
      const o = d.options || {};
      const cd = o.customerDetails || {};
      eq(o.appId, widget, 'appId');
      eq(cd.email, input.email, 'customerDetails.email');
      eq(cd.fullName, opt('name'), 'customerDetails.fullName');
      eq(cd.emailHash, V.plain(cd.email, SECRET), 'emailHash vs the Plain snippet over the email');
      order(o, ['appId', 'customerDetails'], 'Plain.init options');
      order(cd, ['email', 'emailHash', 'fullName'], 'customerDetails');
      eq(d.src, localUrl(loaderUrl(c)), 'Plain script URL');
      eq(d.nonce, nonce, 'nonce of the loaded script');
      break;
    }
    case 'canny':
    case 'canny.identify': {
      let args;
      if (kind === 'canny') {
        const q = d.queue || [];
        eq(q.length, 1, 'Canny queue length');
        args = q[0] || [];
        eq(d.src, localUrl(loaderUrl(c)), 'SDK URL');
        eq(d.nonce, nonce, 'nonce of the loaded script');
      } else args = d.args || [];
      const [command, o = {}] = args;
      const u = o.user || {};
      eq(command, 'identify', 'Canny command');
      eq(o.appID, widget, 'appID');
      eq(u.id, id, 'user.id');
      eq(u.email, opt('email'), 'user.email');
      eq(u.name, opt('name'), 'user.name');
      eq(o.hash, V.canny(u.id, SECRET), 'hash vs the Canny snippet over user.id');
      order(o, ['appID', 'user', 'hash'], 'identify options');
      break;
    }
    case 'userflow.identify': {
      eq(d.token, widget, 'userflow.init token');
      eq(d.id, id, 'userflow.identify id');
      eq(JSON.stringify(d.attributes), JSON.stringify({ name: opt('name'), email: opt('email') }), 'identify attributes');
      eq(JSON.stringify(Object.keys(d.options || {})), '["signature"]', 'identify options');
      eq((d.options || {}).signature, V.userflow(d.id, SECRET), 'signature vs the Userflow rendering over the id');
      break;
    }
    case 'featurebase':
    case 'featurebase.identify': {
      const [command, o = {}] = kind === 'featurebase' ? [d.command, d.options] : d.args || [];
      eq(command, 'identify', 'Featurebase command');
      eq(o.organization, widget, 'organization');
      eq(o.userId, id, 'userId');
      eq(o.email, input.email ?? undefined, 'email');
      eq(o.name, opt('name'), 'name');
      eq(o.userHash, V.featurebase(o.userId, o.email, SECRET), 'userHash vs the Featurebase snippet over userId || email');
      order(o, ['organization', 'email', 'name', 'userId', 'userHash'], 'identify options');
      if (kind === 'featurebase') {
        eq(d.src, localUrl('https://do.featurebase.app/js/sdk.js'), 'SDK URL');
        eq(d.id, 'featurebase-sdk', 'SDK script id');
        eq(d.nonce, nonce, 'nonce of the SDK');
      }
      break;
    }
    case 'layerup':
      eq(d.widgetKey, widget, 'data-widget-key');
      eq(d.userEmail, input.email, 'data-user-email');
      eq(d.userHash, oracle.layerupSnippet(d.userEmail, SECRET), 'data-user-hash vs the Layerup snippet over data-user-email');
      eq(d.nonce, nonce, 'nonce');
      break;
    case 'layerup.url': {
      const want = `https://us.uselayerup.com/widget/${encodeURIComponent(widget)}?ue=${encodeURIComponent(input.email)}&uh=${oracle.layerupSnippet(input.email, SECRET)}`;
      eq(rendered.trim(), want, 'webview URL vs encodeURIComponent');
      eq(decodeURIComponent(d.pathname.slice('/vendor/layerup/widget/'.length)), widget, 'widget id from the URL path');
      eq(d.ue, input.email, 'ue');
      eq(d.uh, oracle.layerupSnippet(d.ue, SECRET), 'uh vs the Layerup snippet over ue');
      break;
    }
    case 'inviaro': {
      const s = d.settings || {};
      eq(s.key, widget, 'InviaroSettings.key');
      eq(s.userId, String(input.user_id), 'InviaroSettings.userId');
      eq(s.userHash, oracle.inviaroUserHash(s.userId, SECRET), 'userHash vs the Inviaro snippet over userId');
      eq(s.origin, options.origin ?? undefined, 'InviaroSettings.origin');
      eq(s.userEmail, options.email ?? undefined, 'InviaroSettings.userEmail');
      eq(s.userName, options.name ?? undefined, 'InviaroSettings.userName');
      eq(JSON.stringify(Object.keys(s)), JSON.stringify(['key', 'origin', 'userId', 'userHash', 'userEmail', 'userName'].filter((k) => s[k] !== undefined)), 'InviaroSettings key order');
      eq(d.nonce, nonce, 'nonce');
      break;
    }
    case 'inviaro.identify': {
      const a = d.args || {};
      eq(d.command, 'identify', 'Inviaro command');
      eq(a.userId, String(input.user_id), 'identify userId');
      eq(a.userHash, oracle.inviaroUserHash(a.userId, SECRET), 'identify userHash vs the Inviaro snippet');
      eq(a.email, options.email ?? undefined, 'identify email');
      eq(a.name, options.name ?? undefined, 'identify name');
      break;
    }
    case 'ensoras':
    case 'ensoras.identify': {
      const q = d.queue || [];
      eq(q.length, 1, 'EnsorasQueue length');
      const [command, args = {}] = q[0] || [];
      eq(command, 'identify', 'Ensoras command');
      eq(args.email, input.email, 'identify email');
      eq(args.hash, oracle.ensorasSnippet(args.email, SECRET), 'hash vs the Ensoras snippet over email');
      if (kind === 'ensoras') {
        eq(d.src, `/vendor/ensoras/cdn/v1/widget/${encodeURIComponent(widget)}.js`, 'loader path');
        eq(d.nonce, nonce, 'nonce');
      }
      break;
    }
    case 'supportwire': {
      const cfg = d.config || {};
      eq(cfg.widgetSlug, widget, 'widgetSlug');
      const ext = input.external_id;
      const identity = ext !== undefined && ext !== null ? String(ext) : input.email;
      if (ext !== undefined && ext !== null) {
        eq(cfg.userExternalUserId, identity, 'userExternalUserId');
        eq(cfg.userEmail, undefined, 'userEmail beside an external id');
      } else {
        eq(cfg.userEmail, identity, 'userEmail');
        eq(cfg.userExternalUserId, undefined, 'userExternalUserId');
      }
      eq(cfg.userSignature, oracle.widgetSignature(cfg.userExternalUserId ?? cfg.userEmail, SECRET), 'userSignature vs the SupportWire snippet');
      eq(JSON.stringify(cfg.userData), options.data == null ? undefined : JSON.stringify(options.data), 'userData');
      eq(d.nonce, nonce, 'nonce');
      break;
    }
    case 'fluentbot': {
      const v = (d.options || {}).visitor || {};
      eq(d.botId, widget, 'bot id');
      eq(JSON.stringify(Object.keys(d.options || {})), '["visitor"]', 'injectWidget options');
      // The payload the browser's JSON.stringify gives is the vendor's payload for the
      // intended visitor, and the vendor's snippet over the parsed visitor gives the signature.
      eq(d.payload, oracle.fluentbotMessage(input.visitor), 'browser payload vs the intended visitor');
      eq(v.signature, oracle.signVisitor(v, SECRET), 'signature vs the FluentBot snippet over the parsed visitor');
      break;
    }
    default:
      problems.push(`no check for ${kind}`);
  }
}

function checkBeaconIdentify(o, c, eq, order, V) {
  eq(o.email, c.input.email, 'identify email');
  eq(o.name, c.options.name ?? undefined, 'identify name');
  eq(o.signature, V.helpscout(o.email, SECRET), 'signature vs the Help Scout snippet over the email');
  order(o, ['name', 'email', 'signature'], 'identify options');
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv);
  const children = [];
  const cleanup = () => stopChildren(children);
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

  const sources = [];
  if (args.useCli) {
    if (!fs.existsSync(args.cli)) throw new Error(`no CLI at ${args.cli} (make cli)`);
    sources.push(cliSource(args.cli));
  }
  for (const s of args.sources) sources.push(httpSource(s.name, s.url));
  for (const ex of args.examples) sources.push(await startExample(ex, children));

  // Render every case through every source.
  const state = { cases: [], batches: [] };
  const outcomes = []; // {label, problems | skip}
  for (const source of sources) {
    for (const c0 of buildCases()) {
      const label = `${source.name}/${c0.id}`;
      if (args.only.length && !args.only.some((o) => label.includes(o))) continue;
      const r = await source.render(c0);
      if (r.status === 'skip') { outcomes.push({ label, skip: r.why }); continue; }
      if (r.status === 'error') { outcomes.push({ label, problems: [r.why] }); continue; }
      if (formOf(c0) === 'identify' && /<(html|body|script)[\s>]/i.test(r.body)) {
        // e.g. a source that picks the page wrapper from options.form, when the form is
        // the preset's default (userflow's only form is identify)
        outcomes.push({ label, problems: [`the identify form is a JS statement, got HTML: ${r.body.slice(0, 300)}`] });
        continue;
      }
      const c = { ...c0, label, index: state.cases.length, rendered: r.body };
      if (formOf(c) === 'url') {
        const url = r.body.trim();
        const local = VENDOR_HOSTS.reduce((u, [from, to]) => (u.startsWith(from) ? to + u.slice(from.length) : u), url);
        c.frameUrl = local === url ? '/not-a-vendor-url' : local;
      } else {
        c.page = casePage(c, r.body);
        c.frameUrl = `/case/${c.index}`;
      }
      state.cases.push(c);
    }
  }
  for (let i = 0; i < state.cases.length; i += args.batch) state.batches.push(state.cases.slice(i, i + args.batch));

  const server = await startServer(state);
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    for (let b = 0; b < state.batches.length; b++) {
      let results;
      try {
        results = await runChromium(args.chromium, `${base}/index/${b}`);
      } catch (e) {
        for (const c of state.batches[b]) outcomes.push({ label: c.label, problems: [`chromium: ${e.message}`] });
        continue;
      }
      for (const c of state.batches[b]) {
        const problems = check(c, c.rendered, results[c.index]);
        if (results.top && results.top.pwned) problems.push('an injected script ran in the top page');
        outcomes.push({ label: c.label, problems });
      }
    }
  } finally {
    server.close();
    cleanup();
  }

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const o of outcomes) {
    if (o.skip) {
      skipped++;
      if (args.verbose) console.log(`skip ${o.label}: ${o.skip}`);
    } else if (o.problems.length) {
      failed++;
      console.log(`FAIL ${o.label}`);
      for (const p of o.problems) console.log(`     ${p}`);
    } else {
      passed++;
      if (args.verbose) console.log(`ok   ${o.label}`);
    }
  }
  const bySource = {};
  for (const o of outcomes) {
    const s = o.label.split('/')[0];
    bySource[s] = bySource[s] || { p: 0, f: 0, s: 0 };
    if (o.skip) bySource[s].s++;
    else if (o.problems.length) bySource[s].f++;
    else bySource[s].p++;
  }
  for (const [s, n] of Object.entries(bySource)) {
    console.log(`  ${s}: ${n.p} passed, ${n.f} failed${n.s ? `, ${n.s} skipped` : ''}`);
  }
  console.log(`browser: ${passed} passed, ${failed} failed${skipped ? ` (${skipped} skipped)` : ''}`);
  process.exitCode = failed || passed === 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(`browser: ${e.stack || e}`);
  console.log('browser: 0 passed, 1 failed');
  process.exitCode = 1;
});
