#!/usr/bin/env node
// userhash golden-vector oracle.
//
// Runs each vendor's own Node.js snippet (copied from the vendor pages in the shared
// seeds/ folder, docs/canonicalization.md and docs/design.md) over a fixed list of inputs and (re)writes
// tests/vectors/*.json. Node 20, builtins only, no randomness except a fixed-seed
// PRNG, no timestamps: every run writes byte-identical files.
//
// It deliberately shares no code with the Rust core: the expected canonical strings
// come from String.prototype.toLowerCase / trim and JSON.stringify as Node runs them,
// the hashes from crypto.createHmac.
//
// Inputs are written as ordered trees (O / N below), not JS objects, so that the key
// order of the FILE TEXT is exactly what we wrote (JS objects would move integer-like
// keys first before we ever serialized them). The expected value is computed from
// JSON.parse(text of that input), i.e. what the vendor's Node server would see.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// ---------------------------------------------------------------------------
// 1. The vendors' Node.js snippets, as published. The only change in each is that
//    the secret is a parameter instead of process.env.X.
// ---------------------------------------------------------------------------

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

// The real vendors (issue 14): Intercom, Chatwoot, Crisp, Front, Help Scout, tawk.to,
// Pylon, Plain, Canny, Userflow, Featurebase. Their snippets live in ONE place,
// vendors/snippets.js: one function per vendor, marked VERBATIM (the vendor's own Node
// snippet) or RENDERING (a faithful Node version of the PHP or prose it publishes),
// with the source read for each in its SOURCE map (and in full in vendors/SOURCES.md):
//   intercom     VERBATIM Node (identity-verification-code-samples) + intercom-rails user_hash rule
//   chatwoot     VERBATIM Node (docs identity-validation) + server valid_hmac?
//   crisp        RENDERING of Crisp's own PHP (crisp-plugin-wordpress)
//   front        VERBATIM Node (dev.frontapp.com identify-users)
//   helpscout    VERBATIM Node (developer.helpscout.com beacon-2 secure-mode)
//   tawkto       RENDERING of tawk.to's own PHP (tawk-wordpress get_visitor_hash)
//   pylon        VERBATIM Node (docs.usepylon.com identity-verification; secret hex-decoded)
//   plain        VERBATIM Node (plain.com docs chat authentication)
//   canny        VERBATIM Node (developers.canny.io install/security)
//   userflow     RENDERING of prose (userflow.com identity-verification; hex output ASSUMED)
//   featurebase  VERBATIM Node (help.featurebase.app set-up-identity-verification) + its precedence
// KEY_ENCODING there says how each vendor's snippet turns its secret into key bytes
// (pylon: hex), and MESSAGE what each signs (the vectors' `canonical`).
// The path climbs out and back into oracle/ on purpose: tests/differential/lib.js
// evaluates sections 1 and 2 with its own `require` (from tests/differential/), and
// '../oracle/vendors/snippets.js' names the same file from both directories.
const VENDORS = require('../oracle/vendors/snippets.js');

// Plain HMAC over a canonical string; used only to cross-check that the *Message
// functions above are exactly what the snippets sign.
function hmacHex(secret, message) {
  return crypto.createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(message, 'utf8')).digest('hex');
}
// The same over key bytes (a secret decoded by its secret_encoding).
function hmacHexKey(key, message) {
  return crypto.createHmac('sha256', key).update(Buffer.from(message, 'utf8')).digest('hex');
}

// ---------------------------------------------------------------------------
// 2. userhash's policy on top of the snippets (docs/canonicalization.md; error codes: docs/design.md).
// ---------------------------------------------------------------------------

const SEED_PRESETS = ['layerup', 'inviaro', 'ensoras', 'supportwire', 'fluentbot'];
// The real vendors' presets, grouped by the building block they share: the id when
// given (not null) else the email (Intercom's `user_id || email`, Featurebase's
// "userId if sent"); the id alone; the email alone. None trims or lowercases.
const ID_OR_EMAIL_PRESETS = ['intercom', 'featurebase'];
const ID_PRESETS = ['chatwoot', 'canny', 'userflow'];
const EMAIL_PRESETS = ['crisp', 'front', 'helpscout', 'tawkto', 'pylon', 'plain'];
const VENDOR_PRESETS = [...ID_OR_EMAIL_PRESETS, ...ID_PRESETS, ...EMAIL_PRESETS];
const PRESETS = [...SEED_PRESETS, ...VENDOR_PRESETS];
const FIELDS = {
  layerup: ['email'],
  inviaro: ['user_id'],
  ensoras: ['email'],
  supportwire: ['external_id', 'email'],
  fluentbot: ['visitor'],
};
for (const p of ID_OR_EMAIL_PRESETS) FIELDS[p] = ['user_id', 'email'];
for (const p of ID_PRESETS) FIELDS[p] = ['user_id'];
for (const p of EMAIL_PRESETS) FIELDS[p] = ['email'];
for (const p of VENDOR_PRESETS) {
  if (typeof VENDORS[p] !== 'function' || !VENDORS.MESSAGE[p] || !VENDORS.KEY_ENCODING[p] || !VENDORS.SOURCE[p]) {
    throw new Error(`vendors/snippets.js has no snippet, MESSAGE, KEY_ENCODING or SOURCE for ${p}`);
  }
}

// Signer options (the vectors' optional `signer_options` object). The only one is
// `secret_encoding`: how the secret string becomes key bytes. The default is the
// vendor's own (KEY_ENCODING: pylon hex, the others raw); null means the default.
const OPTIONS = ['secret_encoding'];
const SECRET_ENCODINGS = ['raw', 'hex', 'base64'];
const defaultEncoding = (preset) => VENDORS.KEY_ENCODING[preset] || 'raw';
function secretEncoding(preset, options) {
  if (options === undefined || options === null) return defaultEncoding(preset);
  if (!isPlainObject(options)) fail('invalid_input');
  for (const k of Object.keys(options)) if (!OPTIONS.includes(k)) fail('invalid_input');
  const e = options.secret_encoding;
  if (e === undefined || e === null) return defaultEncoding(preset);
  if (typeof e !== 'string' || !SECRET_ENCODINGS.includes(e)) fail('invalid_input'); // exact, lowercase
  return e;
}
// The key bytes, or invalid_secret: never a fallback to the string's UTF-8 bytes.
// hex: pairs of hex digits, either case, nothing else (no 0x, no spaces, no odd
// trailing digit). Node's Buffer.from(s, 'hex') (Pylon's snippet) is lenient -- it
// stops at the first bad pair and drops an odd last digit -- so the snippet only ever
// sees hex that passed this check.
// base64: the standard alphabet (+ /), no whitespace, either no padding or exactly the
// padding an encoder writes, and zero unused bits (the text an encoder would write).
// Node's Buffer.from(s, 'base64') accepts all of those mistakes and more.
const HEX_RE = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
function decodeSecret(secret, encoding) {
  switch (encoding) {
    case 'raw': return Buffer.from(secret, 'utf8');
    case 'hex':
      if (!HEX_RE.test(secret)) fail('invalid_secret');
      return Buffer.from(secret, 'hex');
    case 'base64': {
      if (!BASE64_RE.test(secret)) fail('invalid_secret');
      const key = Buffer.from(secret, 'base64');
      if (key.toString('base64').replace(/=+$/, '') !== secret.replace(/=+$/, '')) fail('invalid_secret');
      return key;
    }
    default: throw new Error(`unreachable encoding ${encoding}`);
  }
}
// What a vendor's snippet is handed as its secret: the string itself when the key is
// that vendor's own encoding of it (the common case), else the key bytes re-expressed
// in the vendor's encoding (raw: a Buffer, which createHmac takes as is; hex: Pylon's
// snippet hex-decodes it back to the same bytes).
function snippetSecret(preset, secret, encoding, key) {
  const vendor = defaultEncoding(preset);
  if (encoding === vendor) return secret;
  if (vendor === 'raw') return key;
  if (vendor === 'hex') return key.toString('hex');
  throw new Error(`no way to hand ${preset}'s snippet a ${encoding} key`);
}
const MAX_DEPTH = 128; // payload object itself is level 1

class PolicyError extends Error {
  constructor(code) { super(code); this.code = code; }
}
const fail = (code) => { throw new PolicyError(code); };
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

// A string id as given; an integer (safe range) as its decimal text; else invalid_input.
function idText(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return fail('invalid_input');
}
function emailText(v) {
  return typeof v === 'string' ? v : fail('invalid_input');
}
function depth(v) {
  if (typeof v !== 'object' || v === null) return 0;
  let max = 0;
  for (const child of Object.values(v)) max = Math.max(max, depth(child));
  return 1 + max;
}
const isEmptyField = (v) => v === undefined || v === null || v === '';

// Returns {canonical, hash} or {error}. `input` is JSON.parse of the input's file text;
// `options`, the vector's `signer_options` (undefined when it has none).
// Order: empty_secret, unknown_preset, a bad option (invalid_input), invalid_secret
// (all refused when the signer is built), then the input's invalid_input, too_deep
// and empty_identity.
function expected(preset, secret, input, options) {
  try {
    if (secret === '') fail('empty_secret');
    if (!PRESETS.includes(preset)) fail('unknown_preset');
    const encoding = secretEncoding(preset, options);
    const key = decodeSecret(secret, encoding);
    // What the vendor's snippet is given as its secret (the string itself, for raw).
    const snippetKey = snippetSecret(preset, secret, encoding, key);
    if (!isPlainObject(input)) fail('invalid_input');
    for (const k of Object.keys(input)) if (!FIELDS[preset].includes(k)) fail('invalid_input');

    let canonical, hash;
    switch (preset) {
      case 'layerup': {
        if (!has(input, 'email')) fail('invalid_input');
        const userEmail = emailText(input.email);
        canonical = layerupMessage(userEmail);
        if (canonical === '') fail('empty_identity');
        hash = layerupSnippet(userEmail, snippetKey);
        break;
      }
      case 'inviaro': {
        if (!has(input, 'user_id')) fail('invalid_input');
        const userId = idText(input.user_id);
        canonical = inviaroMessage(userId);
        try {
          hash = inviaroUserHash(userId, snippetKey);
        } catch (e) {
          if (canonical !== '') throw new Error(`inviaro snippet threw on ${JSON.stringify(userId)}`);
          fail('empty_identity');
        }
        if (canonical === '') throw new Error('inviaro snippet signed an empty id');
        break;
      }
      case 'ensoras': {
        if (!has(input, 'email')) fail('invalid_input');
        const email = emailText(input.email);
        canonical = ensorasMessage(email);
        if (canonical === '') fail('empty_identity');
        hash = ensorasSnippet(email, snippetKey);
        break;
      }
      case 'supportwire': {
        let identity;
        // With an external_id the email is not signed; null there means "no email"
        // (a user without one), but a non-null, non-string email is still refused.
        if (has(input, 'external_id') && input.external_id !== null) {
          if (has(input, 'email') && input.email !== null) emailText(input.email);
          identity = idText(input.external_id);
        } else {
          if (!has(input, 'email')) fail('invalid_input');
          identity = emailText(input.email);
        }
        canonical = supportwireMessage(identity);
        if (canonical === '') fail('empty_identity');
        hash = widgetSignature(identity, snippetKey);
        break;
      }
      case 'fluentbot': {
        if (!has(input, 'visitor')) fail('invalid_input');
        const visitor = input.visitor;
        if (!isPlainObject(visitor)) fail('invalid_input');
        if (isEmptyField(visitor.name) && isEmptyField(visitor.email) && isEmptyField(visitor.data)) {
          fail('empty_identity');
        }
        const payloadDepth = depth({ name: visitor.name, email: visitor.email, data: visitor.data ?? null });
        if (payloadDepth > MAX_DEPTH) fail('too_deep');
        canonical = fluentbotMessage(visitor);
        hash = signVisitor(visitor, snippetKey);
        break;
      }
      // The real vendors: the snippet from vendors/snippets.js, its MESSAGE as canonical.
      case 'intercom':
      case 'featurebase': {
        // The id when present and not null (an integer as its decimal text), else the
        // email. An empty id is still the id: no fallback to the email, empty_identity.
        // With an id the email is not signed, but a non-null, non-string one is refused.
        const userId = has(input, 'user_id') ? input.user_id : undefined;
        const email = has(input, 'email') ? input.email : undefined;
        if (userId !== undefined && userId !== null) {
          if (email !== undefined && email !== null) emailText(email);
          idText(userId);
        } else {
          if (email === undefined) fail('invalid_input');
          emailText(email);
        }
        canonical = VENDORS.MESSAGE[preset](userId, email);
        if (canonical === '') fail('empty_identity');
        hash = VENDORS[preset](userId, email, snippetKey);
        break;
      }
      case 'chatwoot':
      case 'canny':
      case 'userflow': {
        if (!has(input, 'user_id')) fail('invalid_input');
        idText(input.user_id);
        canonical = VENDORS.MESSAGE[preset](input.user_id);
        if (canonical === '') fail('empty_identity');
        hash = VENDORS[preset](input.user_id, snippetKey);
        break;
      }
      case 'crisp':
      case 'front':
      case 'helpscout':
      case 'tawkto':
      case 'pylon':
      case 'plain': {
        if (!has(input, 'email')) fail('invalid_input');
        const email = emailText(input.email);
        canonical = VENDORS.MESSAGE[preset](email);
        if (canonical === '') fail('empty_identity');
        hash = VENDORS[preset](email, snippetKey);
        break;
      }
      default:
        throw new Error('unreachable');
    }
    if (hash !== hmacHexKey(key, canonical)) throw new Error(`${preset}: snippet and canonical disagree`);
    if (encoding === 'raw' && hash !== hmacHex(secret, canonical)) throw new Error(`${preset}: raw key is not the UTF-8 secret`);
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('bad hash');
    return { canonical, hash };
  } catch (e) {
    if (e instanceof PolicyError) return { error: e.code };
    throw e;
  }
}

// ---------------------------------------------------------------------------
// 3. Ordered JSON trees and their writer.
// ---------------------------------------------------------------------------

class Obj {
  constructor(pairs) {
    const seen = new Set();
    for (const [k] of pairs) {
      if (typeof k !== 'string') throw new Error(`non-string key ${k}`);
      if (seen.has(k)) throw new Error(`duplicate key ${JSON.stringify(k)}`);
      seen.add(k);
    }
    this.pairs = pairs;
  }
}
class Num {
  constructor(text) {
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) throw new Error(`bad number ${text}`);
    this.text = text;
  }
}
const O = (pairs) => new Obj(pairs);
const N = (text) => new Num(text);

function checkString(s) {
  if (!s.isWellFormed()) throw new Error(`lone surrogate in ${JSON.stringify(s)}`);
  return s;
}

// A JSON string literal: JSON.stringify, plus \uXXXX for characters that are
// invisible or confusable in a diff (C1 controls, non-ASCII spaces, format characters,
// line/paragraph separators, combining accents). Any JSON parser reads back the same
// string; other non-ASCII stays raw UTF-8.
const INVISIBLE = /[\u007f-\u00a0\u00ad\u0300-\u036f\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g;
function jsonString(s) {
  return JSON.stringify(checkString(s)).replace(INVISIBLE, (c) => '\\u' + hex4(c.charCodeAt(0)));
}

// File text of a tree.
function write(node) {
  if (node === null) return 'null';
  if (node === true) return 'true';
  if (node === false) return 'false';
  if (typeof node === 'string') return jsonString(node);
  if (typeof node === 'number') {
    if (!Number.isSafeInteger(node) || Object.is(node, -0)) throw new Error(`use N() for ${node}`);
    return String(node);
  }
  if (node instanceof Num) return node.text;
  if (Array.isArray(node)) return '[' + node.map(write).join(',') + ']';
  if (node instanceof Obj) {
    return '{' + node.pairs.map(([k, v]) => jsonString(k) + ':' + write(v)).join(',') + '}';
  }
  throw new Error(`cannot write ${typeof node}`);
}

// ---------------------------------------------------------------------------
// 4. Deterministic helpers.
// ---------------------------------------------------------------------------

// mulberry32, fixed seeds only.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A string of exactly `bytes` UTF-8 bytes: mixed ASCII upper/lower case, Greek (incl.
// Σ at word ends), accents, CJK, emoji, spaces; starts with 'X' and ends with 'Z'.
function longString(seed, bytes) {
  const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@._-+ ',
    'É', 'é', 'Σ', 'Σ', 'Ω', 'İ', 'ẞ', 'Ж', '字', '😀', '𐐀', '\u212A', 'ǅ', ' ', ' '];
  const rnd = prng(seed);
  const parts = ['X'];
  let n = 1;
  while (n < bytes - 1) {
    let c = alphabet[Math.floor(rnd() * alphabet.length)];
    if (n + Buffer.byteLength(c, 'utf8') > bytes - 1) c = 'x';
    parts.push(c);
    n += Buffer.byteLength(c, 'utf8');
  }
  parts.push('Z'); // non-space ends, so trim() keeps the full length
  const out = parts.join('');
  if (Buffer.byteLength(out, 'utf8') !== bytes) throw new Error('longString length');
  return out;
}

// `levels` nested arrays/objects around `leaf`; kind 'array' | 'object' | 'mixed'.
function nest(levels, kind, leaf) {
  let node = leaf;
  for (let i = levels; i >= 1; i--) {
    const useArray = kind === 'array' || (kind === 'mixed' && i % 2 === 1);
    node = useArray ? [node] : O([[kind === 'mixed' ? `l${i}` : 'a', node]]);
  }
  return node;
}

const hex4 = (cp) => cp.toString(16).padStart(4, '0');

// ---------------------------------------------------------------------------
// 5. The vectors.
// ---------------------------------------------------------------------------

const vectors = [];
const ids = new Set();
// `want`: the error code this vector is meant to produce (undefined: a hash).
// `extra.options`: the vector's `signer_options` (an O([...]) object); `extra.file`:
// the file it goes to (default: errors.json for a refusal, else the preset's file).
function v(id, preset, secret, input, want, extra = {}) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new Error(`id not kebab-case: ${id}`);
  if (ids.has(id)) throw new Error(`duplicate id ${id}`);
  if (!(input instanceof Obj)) throw new Error(`${id}: input must be O([...])`);
  // Numeric ids must be written as plain integers (languages disagree on 1.0 / 1e3).
  for (const [k, val] of input.pairs) {
    if ((k === 'user_id' || k === 'external_id') && val instanceof Num
        && /[.eE]/.test(val.text) && Number.isInteger(Number(val.text))) {
      throw new Error(`${id}: integral ${k} written as ${val.text}`);
    }
  }
  if (extra.options !== undefined && !(extra.options instanceof Obj)) throw new Error(`${id}: signer_options must be O([...])`);
  ids.add(id);
  vectors.push({ id, preset, secret, input, want, options: extra.options, file: extra.file });
}

const S = 's3cr3t';

const SECRETS = [
  ['secret-one-byte', 'k'],
  ['secret-64-bytes', 'K'.repeat(64)],
  ['secret-65-bytes', 'K'.repeat(65)],
  ['secret-200-bytes', 'abcdefghij'.repeat(20)],
  ['secret-64-bytes-multibyte', 'é'.repeat(32)], // 32 chars, 64 UTF-8 bytes
  ['secret-66-bytes-multibyte', 'é'.repeat(33)], // 33 chars, 66 UTF-8 bytes → hashed first
  ['secret-non-ascii', 'sécret-ключ-🔑'],
  ['secret-with-nul', 'sec\u0000ret'],
  ['secret-space', ' '],
];

// Case-mapping probes (what toLowerCase does to them; layerup/inviaro keep them as is).
const CASES = [
  ['ascii', 'alice@example.com'],
  ['mixed-case', 'Alice@Example.COM'],
  ['upper-case', 'ALICE.SMITH+TAG@EXAMPLE.CO.UK'],
  ['dotted-capital-i', 'İstanbul@Example.com'],
  ['dotted-capital-i-alone', 'İ'],
  ['dotless-i-mix', 'ıIiİ@x.tr'],
  ['turkish-word-no-locale', 'DIYARBAKIR@X.TR'],
  ['final-sigma', 'ΟΔΟΣ@x.gr'],
  ['sigma-mid-word', 'ΑΣΑ@x.gr'],
  ['sigma-alone', 'Σ'],
  ['sigma-alone-before-at', 'Σ@x.gr'],
  ['sigma-word-end-space', 'ΟΔΟΣ ΟΔΟΣ'],
  ['sigma-before-ignorable-then-letter', 'ΑΣ.Β@x.gr'],
  ['sigma-after-ignorable', 'Α.Σ@x.gr'],
  ['capital-sharp-s', 'STRAẞE@x.de'],
  ['kelvin-sign', '\u212AELVIN@x.com'],
  ['ohm-and-angstrom-signs', '\u2126\u212B@x.com'],
  ['deseret', '𐐀𐐁@x.com'],
  ['titlecase-digraphs', 'ǅǈǋ@x.com'],
  ['digraph-capitals', 'ǄǇǊ@x.com'],
  ['fullwidth', 'ＡＬＩＣＥ@ＥＸＡＭＰＬＥ.ＣＯＭ'],
  ['greek', 'ΑΛΦΑ@ΠΑΡΑΔΕΙΓΜΑ.ΕΛ'],
  ['cyrillic', 'ИВАН@ПРИМЕР.РФ'],
  ['armenian', 'ԱՐՄԵՆ@x.am'],
  ['georgian-mtavruli', 'ᲐᲑᲒ@x.ge'],
  ['cherokee', 'ᎠᎡᎢ@x.com'],
  ['roman-numeral-and-circled', 'ⅫⒶ@x.com'],
  ['already-lower-sharp-s', 'straße@x.de'],
  ['emoji', 'Ünïcödé😀@x.com'],
  ['nfc-e-acute', 'Café@x.fr'],
  ['nfd-e-acute', 'Cafe\u0301@x.fr'],
  ['nul-inside', 'a\u0000b@x.com'],
  ['control-chars-inside', 'a\u0001\u0007\u001b\u001fB@x.com'],
  ['quote-backslash', 'A"B\\C@x.com'],
];

// JS trim: WhiteSpace + LineTerminator.
const TRIM_CHARS = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
const NOT_TRIMMED = [0x85, 0x200b, 0x180e, 0x2060];
const ALL_TRIM = String.fromCodePoint(...TRIM_CHARS);

const LONG = longString(20240601, 100 * 1024);

// ---- layerup: the email, exactly as given ----
for (const [name, s] of CASES) v(`layerup-${name}`, 'layerup', S, O([['email', s]]));
for (const cp of [...TRIM_CHARS, ...NOT_TRIMMED]) {
  const c = String.fromCodePoint(cp);
  v(`layerup-kept-u${hex4(cp)}`, 'layerup', S, O([['email', `${c}Alice@Example.COM${c}`]]));
}
v('layerup-leading-trailing-space-kept', 'layerup', S, O([['email', ' alice@example.com\t']]));
v('layerup-nbsp-bom-kept', 'layerup', S, O([['email', '\u00a0alice@example.com\ufeff']]));
v('layerup-whitespace-only-kept', 'layerup', S, O([['email', ' ']]));
v('layerup-long-100kb', 'layerup', S, O([['email', LONG]]));
for (const [name, sec] of SECRETS) v(`layerup-${name}`, 'layerup', sec, O([['email', 'alice@example.com']]));

// ---- inviaro: the user id as given; integers as decimal text ----
for (const [name, s] of [
  ['string-id', 'usr_42'],
  ['numeric-string', '42'],
  ['string-zero', '0'],
  ['string-leading-zeros', '007'],
  ['string-spaces-kept', ' 42 '],
  ['mixed-case-kept', 'USR_Mixed'],
  ['uuid', '3F2504E0-4F89-11D3-9A0C-0305E82C3301'],
  ['whitespace-only', ' '],
  ['key-emoji', '🔑'],
  ['long-100kb', LONG],
  ...CASES,
]) v(`inviaro-${name}`, 'inviaro', S, O([['user_id', s]]));
for (const [name, n] of [
  ['int-zero', 0],
  ['int-one', 1],
  ['int-42', 42],
  ['int-negative', -42],
  ['int-max-safe', 9007199254740991],
  ['int-min-safe', -9007199254740991],
  ['int-2-pow-32', 4294967296],
]) v(`inviaro-${name}`, 'inviaro', S, O([['user_id', n]]));
for (const cp of [...TRIM_CHARS, ...NOT_TRIMMED]) {
  const c = String.fromCodePoint(cp);
  v(`inviaro-kept-u${hex4(cp)}`, 'inviaro', S, O([['user_id', `${c}USR_42${c}`]]));
}
for (const [name, sec] of SECRETS) v(`inviaro-${name}`, 'inviaro', sec, O([['user_id', 'usr_42']]));

// ---- ensoras: email.toLowerCase() ----
for (const [name, s] of CASES) v(`ensoras-${name}`, 'ensoras', S, O([['email', s]]));
for (const cp of [...TRIM_CHARS, ...NOT_TRIMMED]) {
  const c = String.fromCodePoint(cp);
  v(`ensoras-kept-u${hex4(cp)}`, 'ensoras', S, O([['email', `${c}Alice@Example.COM${c}`]]));
}
v('ensoras-spaces-not-trimmed', 'ensoras', S, O([['email', '  Alice@Example.COM\n']]));
v('ensoras-whitespace-only-kept', 'ensoras', S, O([['email', '\t']]));
v('ensoras-long-100kb', 'ensoras', S, O([['email', LONG]]));
for (const [name, sec] of SECRETS) v(`ensoras-${name}`, 'ensoras', sec, O([['email', 'Alice@Example.COM']]));

// ---- supportwire: (external_id ?? email).trim().toLowerCase() ----
for (const [name, s] of CASES) v(`supportwire-email-${name}`, 'supportwire', S, O([['email', s]]));
for (const cp of TRIM_CHARS) {
  const c = String.fromCodePoint(cp);
  v(`supportwire-trim-u${hex4(cp)}`, 'supportwire', S, O([['email', `${c}Alice@Example.COM${c}`]]));
}
v('supportwire-trim-all-js-whitespace', 'supportwire', S,
  O([['email', `${ALL_TRIM}Alice@Example.COM${ALL_TRIM}`]]));
v('supportwire-trim-all-js-whitespace-external-id', 'supportwire', S,
  O([['external_id', `${ALL_TRIM}USR_42${ALL_TRIM}`]]));
for (const cp of NOT_TRIMMED) {
  const c = String.fromCodePoint(cp);
  v(`supportwire-not-trimmed-u${hex4(cp)}`, 'supportwire', S, O([['email', `${c}Alice@Example.COM${c}`]]));
}
v('supportwire-not-trimmed-inside-whitespace', 'supportwire', S, O([['email', ' Alice \u00a0 Smith@x.com ']]));
v('supportwire-trim-then-not-trimmed', 'supportwire', S,
  O([['email', `\u00a0\u200bAlice@x.com\u2060\u3000`]]));
v('supportwire-external-id-string', 'supportwire', S, O([['external_id', 'USR_42']]));
v('supportwire-external-id-wins', 'supportwire', S,
  O([['external_id', 'USR_42'], ['email', 'alice@example.com']]));
v('supportwire-external-id-wins-email-first', 'supportwire', S,
  O([['email', 'alice@example.com'], ['external_id', ' Usr_42 ']]));
v('supportwire-external-id-null-uses-email', 'supportwire', S,
  O([['external_id', null], ['email', ' Alice@Example.COM ']]));
v('supportwire-external-id-wins-email-null-ignored', 'supportwire', S, O([['external_id', 'U1'], ['email', null]]));
v('supportwire-external-id-int', 'supportwire', S, O([['external_id', 42]]));
v('supportwire-external-id-int-zero', 'supportwire', S, O([['external_id', 0]]));
v('supportwire-external-id-int-negative', 'supportwire', S, O([['external_id', -7]]));
v('supportwire-external-id-int-max-safe', 'supportwire', S,
  O([['external_id', 9007199254740991], ['email', 'ignored@x.com']]));
v('supportwire-external-id-final-sigma', 'supportwire', S, O([['external_id', ' ΟΔΟΣ ']]));
v('supportwire-external-id-dotted-capital-i', 'supportwire', S, O([['external_id', '\tİD-7\n']]));
v('supportwire-external-id-nfd', 'supportwire', S, O([['external_id', 'CAFE\u0301']]));
v('supportwire-long-100kb', 'supportwire', S, O([['email', LONG]]));
for (const [name, sec] of SECRETS) v(`supportwire-${name}`, 'supportwire', sec, O([['email', ' Alice@Example.COM ']]));

// ---- fluentbot: JSON.stringify({name, email, data: data ?? null}) ----
const F = (id, visitor, secret = S, want) => v(`fluentbot-${id}`, 'fluentbot', secret, O([['visitor', visitor]]), want);
const ALICE = [['name', 'Alice Liddell'], ['email', 'alice@example.com']];

F('seed-page-example', O([['email', 'alice@example.com'], ['name', 'Alice Liddell'],
  ['data', O([['plan', 'enterprise'], ['account_id', 'ACME-1007']])]]));
F('name-email-data-missing', O(ALICE));
F('data-null', O([...ALICE, ['data', null]]));
F('name-missing', O([['email', 'alice@example.com'], ['data', O([['plan', 'pro']])]]));
F('name-null', O([['name', null], ['email', 'alice@example.com']]));
F('email-missing', O([['name', 'Alice Liddell'], ['data', O([['plan', 'pro']])]]));
F('email-null', O([['name', 'Alice Liddell'], ['email', null]]));
F('only-email', O([['email', 'alice@example.com']]));
F('only-name', O([['name', 'Alice']]));
F('email-empty-name-set', O([['name', 'Alice'], ['email', '']]));
F('keys-in-reverse-order', O([['data', O([['z', 1], ['a', 2]])], ['email', 'alice@example.com'], ['name', 'Alice']]));
F('extra-key-signature-ignored', O([...ALICE, ['data', O([['plan', 'pro']])], ['signature', 'deadbeef']]));
F('extra-keys-ignored', O([['id', 7], ...ALICE, ['phone', '+1 555'], ['meta', O([['x', [1, 2]]])]]));
F('only-data-empty-object', O([['data', O([])]]));
F('only-name-space', O([['name', ' ']]));
F('no-case-or-trim', O([['name', ' ALICE '], ['email', ' Alice@Example.COM ']]));
for (const [name, data] of [
  ['array', [1, 'two', null, true, O([['k', 'v']])]],
  ['string', 'gold'],
  ['empty-string-with-name', ''],
  ['number', 42],
  ['zero', 0],
  ['false', false],
  ['true', true],
  ['empty-object', O([])],
  ['empty-array', []],
]) F(`data-${name}`, O([...ALICE, ['data', data]]));

// Property order: array-index keys first, ascending numerically; then insertion order.
F('data-index-keys-mixed', O([...ALICE, ['data', O([['b', 1], ['10', 2], ['a', 3], ['2', 4]])]]));
F('data-index-keys-and-look-alikes', O([...ALICE, ['data', O([
  ['01', 'leading zero'], ['1', 'one'], ['-1', 'minus one'], ['0', 'zero'],
  ['4294967295', 'not an index'], ['4294967294', 'max index'], ['1.5', 'decimal'],
  [' 1', 'space one'], ['1 ', 'one space'], ['+1', 'plus one'], ['1e3', 'exp'],
  ['00', 'double zero'], ['9', 'nine'], ['10', 'ten'], ['4294967296', 'too big'],
  ['-0', 'minus zero'], ['z', 'last letter'], ['a', 'first letter'],
])]]));
F('data-index-keys-nested', O([...ALICE, ['data', O([
  ['list', [O([['b', 1], ['1', 2]]), O([['x', O([['3', 'c'], ['y', 'd'], ['0', 'e']])]])]],
  ['5', O([['k', 1], ['20', 2], ['3', 3]])],
])]]));
F('data-index-keys-in-name-and-email', O([['name', O([['x', 1], ['0', 2]])], ['email', O([['b', 1], ['7', 2]])]]));
F('data-only-non-index-keys-insertion-order', O([...ALICE, ['data', O([
  ['zebra', 1], ['apple', 2], ['Mango', 3], ['_id', 4], ['', 5], ['ünïcode', 6], ['😀', 7],
])]]));
{
  // 200 keys in a fixed pseudo-random order, a third of them array indices.
  const rnd = prng(7);
  const keys = [];
  for (let i = 0; i < 200; i++) {
    const r = rnd();
    if (r < 0.33) keys.push(String(Math.floor(rnd() * 100000)));
    else if (r < 0.4) keys.push('0' + String(Math.floor(rnd() * 1000)));
    else keys.push('k' + Math.floor(rnd() * 1e6).toString(36));
  }
  const uniq = [...new Set(keys)];
  F('data-200-keys-shuffled', O([...ALICE, ['data', O(uniq.map((k, i) => [k, i]))]]));
}
F('data-special-keys', O([...ALICE, ['data', O([
  // (a NUL inside a key, not first: PHP's json_decode to objects rejects a key that
  // starts with NUL, and would refuse the whole file)
  ['a"b', 1], ['back\\slash', 2], ['nul\u0000inside', 3], ['line\nbreak', 4], ['\u2028', 5],
  ['__proto__', 6], ['constructor', 7], ['toString', 8], ['</script>', 9],
])]]));

// Numbers: JSON.parse to a double, then ECMAScript Number::toString.
const NUMBERS = [
  ['one-point-zero', '1.0'], ['1e21', '1e21'], ['1e21-upper-e', '1E21'], ['1e-7', '1e-7'],
  ['0-000001', '0.000001'], ['minus-zero', '-0'], ['minus-zero-float', '-0.0'],
  ['min-subnormal', '5e-324'], ['max-double', '1.7976931348623157e308'],
  ['2-pow-53-plus-1', '9007199254740993'], ['30-digit-int', '123456789012345678901234567890'],
  ['0-1', '0.1'], ['100', '100'], ['neg-1-5e-10', '-1.5e-10'], ['1e20', '1e20'],
  ['u64-max', '18446744073709551615'], ['i64-min', '-9223372036854775808'],
  ['max-safe', '9007199254740991'], ['1e-6-exp', '1e-6'], ['1-25e-7', '1.25e-7'],
  ['100-point-0', '100.0'], ['0-30000000000000004', '0.30000000000000004'],
  ['many-digits-rounds', '3.14159265358979323846264338327950288'], ['exp-plus', '2.5e+3'],
  ['123e-20', '123e-20'], ['1-5e300', '1.5e300'], ['neg-int', '-42'],
];
for (const [name, text] of NUMBERS) F(`number-${name}`, O([...ALICE, ['data', N(text)]]));
F('numbers-all-in-array', O([...ALICE, ['data', NUMBERS.map(([, t]) => N(t))]]));
F('numbers-in-object', O([...ALICE, ['data', O(NUMBERS.map(([n, t]) => [n, N(t)]))]]));

// Strings: JSON.stringify escaping.
const ALL_CONTROLS = String.fromCodePoint(...Array.from({ length: 32 }, (_, i) => i));
F('string-all-control-chars', O([...ALICE, ['data', `<${ALL_CONTROLS}>`]]));
F('string-all-control-chars-in-name', O([['name', ALL_CONTROLS], ['email', 'alice@example.com']]));
F('string-quote-backslash', O([['name', 'Al "the Cat" \\ Liddell'], ['email', 'a\\b"c@x.com']]));
F('string-u2028-u2029-raw', O([...ALICE, ['data', 'line\u2028para\u2029end']]));
F('string-slash-lt-gt-amp', O([...ALICE, ['data', '</script><b>&amp;</b> a/b']]));
F('string-del-and-c1-controls', O([...ALICE, ['data', '\u007f\u0080\u0085\u009f']]));
F('string-non-ascii', O([['name', 'Zoë Ünïcödé Łukasz 李小龍 Ελένη Иван'], ['email', 'zoë@exämple.com']]));
F('string-emoji-astral', O([...ALICE, ['data', '😀 👩‍👩‍👧‍👦 🇫🇷 𐐀 𝄞 🔑']]));
F('string-nfc', O([['name', 'Ren\u00e9e'], ['email', 'alice@example.com']]));
F('string-nfd', O([['name', 'Rene\u0301e'], ['email', 'alice@example.com']]));
F('string-bom-and-nbsp', O([['name', '\ufeff\u00a0Alice\u3000'], ['email', 'alice@example.com']]));
F('string-long-100kb', O([...ALICE, ['data', LONG]]));

// Case and whitespace are never touched inside the payload.
for (const [name, s] of CASES) F(`email-${name}`, O([['name', 'Alice'], ['email', s]]));
for (const cp of [...TRIM_CHARS, ...NOT_TRIMMED]) {
  const c = String.fromCodePoint(cp);
  F(`kept-u${hex4(cp)}`, O([['name', `${c}Alice${c}`], ['email', `${c}Alice@Example.COM${c}`]]));
}

// name / email may be any JSON value.
F('name-number', O([['name', 42], ['email', 'alice@example.com']]));
F('name-float-1-0', O([['name', N('1.0')], ['email', 'alice@example.com']]));
F('name-true', O([['name', true], ['email', 'alice@example.com']]));
F('name-false', O([['name', false]]));
F('name-zero', O([['name', 0]]));
F('name-object', O([['name', O([['first', 'Alice'], ['last', 'Liddell']])], ['email', 'alice@example.com']]));
F('email-array', O([['name', 'Alice'], ['email', ['a@x.com', 'b@x.com']]]));
F('name-empty-object', O([['name', O([])]]));
F('name-empty-array', O([['name', []]]));

// Nested values (no duplicate keys anywhere).
F('data-nested', O([...ALICE, ['data', O([
  ['org', O([['id', 'ACME-1007'], ['plan', O([['tier', 'enterprise'], ['seats', 250], ['trial', false]])]])],
  ['roles', ['admin', 'billing']],
  ['history', [O([['at', 1640995200], ['event', 'signup']]), O([['at', 1641081600], ['event', 'upgrade'], ['price', N('49.90')]])]],
  ['flags', O([])],
  ['tags', []],
  ['note', null],
])]]));
F('depth-60-mixed', O([...ALICE, ['data', nest(59, 'mixed', 'bottom')]]));
F('depth-128-data-arrays-at-limit', O([...ALICE, ['data', nest(127, 'array', 1)]]));
F('depth-128-data-objects-at-limit', O([...ALICE, ['data', nest(127, 'object', 'leaf')]]));
F('depth-128-name-at-limit', O([['name', nest(127, 'array', 'x')], ['email', 'alice@example.com']]));
F('depth-128-data-empty-leaf-at-limit', O([...ALICE, ['data', nest(126, 'array', [])]]));

for (const [name, sec] of SECRETS) F(name, O([...ALICE, ['data', O([['plan', 'pro']])]]), sec);

// ---- errors (all go to errors.json) ----
const E = (code, id, preset, secret, input) => v(id, preset, secret, input, code);
// empty_secret is checked first.
for (const p of SEED_PRESETS) {
  const input = { layerup: O([['email', 'a@x.com']]), inviaro: O([['user_id', 'u1']]),
    ensoras: O([['email', 'a@x.com']]), supportwire: O([['email', 'a@x.com']]),
    fluentbot: O([['visitor', O([['email', 'a@x.com']])]]) }[p];
  E('empty_secret', `${p}-empty-secret`, p, '', input);
}
E('empty_secret', 'empty-secret-before-unknown-preset', 'nosuchvendor', '', O([['email', 'a@x.com']]));
E('empty_secret', 'empty-secret-before-invalid-input', 'ensoras', '', O([['email', 42]]));
E('empty_secret', 'empty-secret-before-empty-identity', 'inviaro', '', O([['user_id', '']]));

// unknown_preset (names are exact and case-sensitive).
for (const [name, p] of [
  ['unlisted-vendor', 'nosuchvendor'], ['empty-name', ''], ['capitalized', 'Ensoras'], ['upper-case', 'LAYERUP'],
  ['leading-space', ' ensoras'], ['trailing-space', 'fluentbot '], ['hyphenated', 'fluent-bot'],
  ['underscored', 'support_wire'],
]) E('unknown_preset', `unknown-preset-${name}`, p, S, O([['email', 'a@x.com']]));
E('unknown_preset', 'unknown-preset-before-invalid-input', 'nosuchvendor', S, O([['visitor', 42]]));

// invalid_input: missing required field / field the preset does not take.
for (const p of SEED_PRESETS) E('invalid_input', `${p}-no-fields`, p, S, O([]));
E('invalid_input', 'layerup-user-id-given', 'layerup', S, O([['user_id', 'u1']]));
E('invalid_input', 'layerup-extra-external-id', 'layerup', S, O([['email', 'a@x.com'], ['external_id', 'u1']]));
E('invalid_input', 'ensoras-user-id-given', 'ensoras', S, O([['user_id', 'u1']]));
E('invalid_input', 'ensoras-extra-visitor', 'ensoras', S, O([['email', 'a@x.com'], ['visitor', O([['email', 'a@x.com']])]]));
E('invalid_input', 'ensoras-extra-field-before-empty-identity', 'ensoras', S, O([['email', ''], ['user_id', 'u1']]));
E('invalid_input', 'inviaro-email-given', 'inviaro', S, O([['email', 'a@x.com']]));
E('invalid_input', 'inviaro-extra-email', 'inviaro', S, O([['user_id', 'u1'], ['email', 'a@x.com']]));
E('invalid_input', 'supportwire-user-id-given', 'supportwire', S, O([['user_id', 'u1']]));
E('invalid_input', 'supportwire-extra-visitor', 'supportwire', S, O([['email', 'a@x.com'], ['visitor', O([])]]));
E('invalid_input', 'supportwire-external-id-null-no-email', 'supportwire', S, O([['external_id', null]]));
E('invalid_input', 'fluentbot-email-given', 'fluentbot', S, O([['email', 'a@x.com']]));
E('invalid_input', 'fluentbot-extra-email', 'fluentbot', S, O([['visitor', O([['email', 'a@x.com']])], ['email', 'a@x.com']]));

// invalid_input: email must be a string.
const BAD_EMAILS = [['null', null], ['number', 42], ['true', true], ['false', false],
  ['object', O([['address', 'a@x.com']])], ['array', ['a@x.com']], ['float', N('1.5')]];
for (const p of ['layerup', 'ensoras', 'supportwire']) {
  for (const [name, bad] of BAD_EMAILS) E('invalid_input', `${p}-email-${name}`, p, S, O([['email', bad]]));
}
E('invalid_input', 'supportwire-external-id-with-email-number', 'supportwire', S, O([['external_id', 'u1'], ['email', 42]]));
E('invalid_input', 'supportwire-external-id-with-email-object', 'supportwire', S, O([['external_id', 'u1'], ['email', O([])]]));
E('invalid_input', 'supportwire-external-id-null-email-number', 'supportwire', S, O([['external_id', null], ['email', 42]]));

// invalid_input: ids must be strings or integers.
const BAD_IDS = [['float', N('1.5')], ['negative-float', N('-0.5')], ['float-0-1', N('0.1')],
  ['true', true], ['false', false], ['array', ['42']], ['empty-array', []], ['object', O([['id', 42]])]];
for (const [name, bad] of [['null', null], ...BAD_IDS]) E('invalid_input', `inviaro-user-id-${name}`, 'inviaro', S, O([['user_id', bad]]));
for (const [name, bad] of BAD_IDS) {
  E('invalid_input', `supportwire-external-id-${name}`, 'supportwire', S, O([['external_id', bad], ['email', 'a@x.com']]));
}

// invalid_input: visitor must be an object.
for (const [name, bad] of [['null', null], ['string', 'alice@example.com'], ['array', [O([['email', 'a@x.com']])]],
  ['empty-array', []], ['number', 42], ['true', true]]) {
  E('invalid_input', `fluentbot-visitor-${name}`, 'fluentbot', S, O([['visitor', bad]]));
}

// empty_identity.
E('empty_identity', 'layerup-empty-email', 'layerup', S, O([['email', '']]));
E('empty_identity', 'ensoras-empty-email', 'ensoras', S, O([['email', '']]));
E('empty_identity', 'inviaro-empty', 'inviaro', S, O([['user_id', '']]));
E('empty_identity', 'supportwire-empty-email', 'supportwire', S, O([['email', '']]));
E('empty_identity', 'supportwire-whitespace-only-email', 'supportwire', S, O([['email', '  \t\u00a0\ufeff']]));
E('empty_identity', 'supportwire-all-js-whitespace-email', 'supportwire', S, O([['email', ALL_TRIM]]));
E('empty_identity', 'supportwire-whitespace-only-external-id', 'supportwire', S, O([['external_id', '\u3000\n'], ['email', 'a@x.com']]));
E('empty_identity', 'supportwire-empty-external-id-does-not-fall-back', 'supportwire', S, O([['external_id', ''], ['email', 'a@x.com']]));
E('empty_identity', 'fluentbot-empty-visitor', 'fluentbot', S, O([['visitor', O([])]]));
E('empty_identity', 'fluentbot-name-null-email-empty', 'fluentbot', S, O([['visitor', O([['name', null], ['email', '']])]]));
E('empty_identity', 'fluentbot-all-null', 'fluentbot', S, O([['visitor', O([['name', null], ['email', null], ['data', null]])]]));
E('empty_identity', 'fluentbot-all-empty-strings', 'fluentbot', S, O([['visitor', O([['name', ''], ['email', ''], ['data', '']])]]));
E('empty_identity', 'fluentbot-only-ignored-keys', 'fluentbot', S, O([['visitor', O([['signature', 'deadbeef'], ['id', 7]])]]));

// too_deep: more than 128 nested arrays/objects, the payload object being level 1.
const D = (id, visitor) => F(id, visitor, S, 'too_deep');
D('depth-129-data-arrays-too-deep', O([...ALICE, ['data', nest(128, 'array', 1)]]));
D('depth-129-data-objects-too-deep', O([...ALICE, ['data', nest(128, 'object', 'leaf')]]));
D('depth-129-data-empty-leaf-too-deep', O([...ALICE, ['data', nest(127, 'array', [])]]));
D('depth-129-name-too-deep', O([['name', nest(128, 'array', 'x')], ['email', 'alice@example.com']]));
D('depth-129-email-too-deep', O([['name', 'Alice'], ['email', nest(128, 'object', 'x')]]));
D('depth-400-data-too-deep', O([...ALICE, ['data', nest(399, 'mixed', 0)]]));

// ---------------------------------------------------------------------------
// 5b. The real vendors' vectors (issue 14), one file per preset. Each file holds all of
//     its preset's vectors, hashes and refusals alike, so `make conformance
//     VECTORS=tests/vectors/pylon.json` covers every rule of that preset; the seed
//     files and errors.json are unchanged. Snippets: vendors/snippets.js.
// ---------------------------------------------------------------------------

// Pylon's secrets are hex text; this one stands for the 32-byte secret Pylon generates.
const PYLON_S = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const secretFor = (p) => (defaultEncoding(p) === 'hex' ? PYLON_S : S);
// X(preset, id, input, {secret, want, options}): a vector in preset's own file.
function X(p, id, input, { secret = secretFor(p), want, options } = {}) {
  v(`${p}-${id}`, p, secret, input, want, { file: p, options });
}
const XE = (code, p, id, input, opts = {}) => X(p, id, input, { ...opts, want: code });
const OPT = (encoding) => O([['secret_encoding', encoding]]);

// `n` pseudo-random bytes (fixed seed).
function bytes(seed, n) {
  const rnd = prng(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
}

// Raw secrets: the seed list plus a 63-byte one (just under the HMAC block), a secret
// with a trailing newline (kept: a secret is never trimmed, although tawk.to's plugin
// trims the key it stores), and secrets that look like hex or base64 but are used raw
// because the preset's key encoding is raw.
const RAW_SECRETS = [
  ...SECRETS,
  ['secret-63-bytes', 'K'.repeat(63)],
  ['secret-trailing-newline-kept', 'Kx9-secret\n'],
  ['secret-looks-like-hex-used-raw', 'deadbeef'],
  ['secret-looks-like-base64-used-raw', 'c2VjcmV0'],
];
// Hex secrets (Pylon): decoded lengths 1, 63, 64, 65 and 200 bytes, both cases.
const HEX_SECRETS = [
  ['secret-hex-1-byte', 'ab'],
  ['secret-hex-1-byte-upper', 'AB'],
  ['secret-hex-one-nul-byte', '00'],
  ['secret-hex-32-bytes-upper', PYLON_S.toUpperCase()],
  ['secret-hex-32-bytes-mixed-case', PYLON_S.replace(/[a-f]/g, (c, i) => (i % 3 ? c : c.toUpperCase()))],
  ['secret-hex-63-bytes', bytes(63, 63).toString('hex')],
  ['secret-hex-64-bytes', bytes(64, 64).toString('hex')],
  ['secret-hex-64-bytes-upper', bytes(64, 64).toString('hex').toUpperCase()],
  ['secret-hex-65-bytes', bytes(65, 65).toString('hex')],
  ['secret-hex-200-bytes', bytes(200, 200).toString('hex')],
  ['secret-hex-all-ff', 'ff'.repeat(32)],
  ['secret-hex-digits-only', '0123456789'.repeat(4)],
];
// Not hex: each is invalid_secret (Node's Buffer.from(s, 'hex') would silently
// truncate most of them to a shorter, or EMPTY, key).
const BAD_HEX = [
  ['odd-one-digit', 'a'],
  ['odd-three-digits', 'abc'],
  ['odd-63-digits', PYLON_S.slice(0, 63)],
  ['odd-65-digits', PYLON_S + 'a'],
  ['non-hex-pair', 'zz'],
  ['non-hex-after-valid', PYLON_S + 'zz'],
  ['non-hex-first', 'zz' + PYLON_S],
  ['g-digit', '0g'],
  ['docs-placeholder', 'GENERATED_IDENTITY_SECRET'],
  ['0x-prefix', '0x' + PYLON_S],
  ['spaces-between-bytes', 'de ad be ef'],
  ['leading-space', ' ' + PYLON_S.slice(1)],
  ['trailing-newline', PYLON_S + '\n'],
  ['trailing-space-odd', PYLON_S + ' '],
  ['colons', 'de:ad:be:ef'],
  ['base64-text', 'c2VjcmV0'],
  ['fullwidth-digits', '\uff10\uff11\uff12\uff13'],
  ['non-ascii-two-bytes', '\u00e9\u00e9'],
  ['nul-pair', '\u0000\u0000'],
];
// Base64 secrets (option secret_encoding: "base64").
const B64 = (buf) => buf.toString('base64');
const B64_SECRETS = [
  ['base64-of-secret', 'c2VjcmV0'], // "secret": the same hash as the raw secret "secret"
  ['base64-1-byte-padded', 'QQ=='],
  ['base64-1-byte-unpadded', 'QQ'],
  ['base64-2-bytes-padded', 'QUI='],
  ['base64-2-bytes-unpadded', 'QUI'],
  ['base64-plus-slash', '+/+/'],
  ['base64-32-bytes', B64(bytes(32, 32))],
  ['base64-64-bytes', B64(bytes(6464, 64))],
  ['base64-65-bytes-unpadded', B64(bytes(65, 65)).replace(/=+$/, '')],
  ['base64-200-bytes', B64(bytes(200, 200))],
];
// Not base64: each is invalid_secret. (Padding that is neither absent nor complete,
// e.g. "QQ=", is left out: see tests/oracle/README.md.)
const BAD_B64 = [
  ['one-char', 'Q'],
  ['five-chars', 'QUJDR'],
  ['unused-bits-set', 'QR'],
  ['unused-bits-set-3', 'QUJ'],
  ['url-safe-alphabet', 'ab-_'],
  ['space-inside', 'QUJD RA=='],
  ['trailing-newline', 'QUJDRA==\n'],
  ['only-padding', '===='],
  ['padding-in-the-middle', 'QQ==QQ=='],
  ['too-much-padding', 'QQ==='],
  ['star', 'QUJD*A=='],
  ['hex-text', 'zz'],
];

const TAKES_EMAIL = (p) => FIELDS[p].includes('email');
const TAKES_ID = (p) => FIELDS[p].includes('user_id');
// A valid input for each preset (for secret, option and order vectors).
const okInput = (p) => (TAKES_ID(p) ? O([['user_id', 'usr_42']]) : O([['email', 'alice@example.com']]));

const ID_STRINGS = [
  ['string-id', 'usr_42'],
  ['numeric-string', '42'],
  ['string-zero', '0'],
  ['string-leading-zeros', '007'],
  ['string-decimal-text', '1.0'],
  ['string-spaces-kept', ' 42 '],
  ['mixed-case-kept', 'USR_Mixed'],
  ['uuid-upper-kept', '3F2504E0-4F89-11D3-9A0C-0305E82C3301'],
  ['whitespace-only-kept', ' '],
  ['newline-kept', 'usr_42\n'],
  ['key-emoji', '🔑'],
  ['non-ascii', 'Zoë-李-Ελένη'],
  ['nfd-kept', 'Rene\u0301e'],
  ['looks-like-an-email', 'Alice@Example.COM'],
  ['long-100kb', LONG],
];
const ID_INTS = [
  ['int-zero', 0],
  ['int-one', 1],
  ['int-42', 42],
  ['int-negative', -42],
  ['int-max-safe', 9007199254740991],
  ['int-min-safe', -9007199254740991],
  ['int-2-pow-32', 4294967296],
];
const EMAIL_EXTRA = [
  ['leading-trailing-space-kept', ' alice@example.com\t'],
  ['nbsp-bom-kept', '\u00a0alice@example.com\ufeff'],
  ['whitespace-only-kept', ' '],
  ['trailing-newline-kept', 'alice@example.com\n'],
  ['display-name-form-kept', 'Alice <alice@example.com>'],
  ['long-100kb', LONG],
];
// Spellings that are not the preset's name (names are exact and case-sensitive).
const NOT_NAMES = {
  intercom: [['capitalized', 'Intercom'], ['upper-case', 'INTERCOM'], ['trailing-space', 'intercom ']],
  featurebase: [['capitalized', 'Featurebase'], ['underscored', 'feature_base']],
  chatwoot: [['capitalized', 'Chatwoot'], ['underscored', 'chat_woot']],
  canny: [['capitalized', 'Canny']],
  userflow: [['capitalized', 'Userflow'], ['underscored', 'user_flow']],
  crisp: [['capitalized', 'Crisp']],
  front: [['capitalized', 'Front'], ['underscored', 'front_chat']],
  helpscout: [['camel-case', 'HelpScout'], ['underscored', 'help_scout'], ['hyphenated', 'help-scout']],
  tawkto: [['dotted', 'tawk.to'], ['underscored', 'tawk_to'], ['capitalized', 'Tawkto']],
  pylon: [['capitalized', 'Pylon'], ['leading-space', ' pylon']],
  plain: [['capitalized', 'Plain']],
};
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'blank';

const BAD_ID_VALUES = [['null', null], ...BAD_IDS];

for (const p of VENDOR_PRESETS) {
  // ---- what is signed, exactly as given ----
  if (TAKES_EMAIL(p)) {
    const emailOnly = (s) => O([['email', s]]);
    const pre = TAKES_ID(p) ? 'email-only-' : '';
    for (const [name, s] of CASES) X(p, `${pre}${name}`, emailOnly(s));
    for (const cp of [...TRIM_CHARS, ...NOT_TRIMMED]) {
      const c = String.fromCodePoint(cp);
      X(p, `${pre}kept-u${hex4(cp)}`, emailOnly(`${c}Alice@Example.COM${c}`));
    }
    for (const [name, s] of EMAIL_EXTRA) X(p, `${pre}${name}`, emailOnly(s));
  }
  if (TAKES_ID(p)) {
    const pre = TAKES_EMAIL(p) ? 'id-only-' : '';
    for (const [name, s] of [...ID_STRINGS, ...ID_INTS]) X(p, `${pre}${name}`, O([['user_id', s]]));
    for (const cp of [...TRIM_CHARS, ...NOT_TRIMMED]) {
      const c = String.fromCodePoint(cp);
      X(p, `${pre}kept-u${hex4(cp)}`, O([['user_id', `${c}USR_42${c}`]]));
    }
    if (!TAKES_EMAIL(p)) for (const [name, s] of CASES) X(p, `case-${name}`, O([['user_id', s]]));
  }

  // ---- the id wins over the email (intercom, featurebase) ----
  if (TAKES_ID(p) && TAKES_EMAIL(p)) {
    const M = 'alice@example.com';
    X(p, 'id-wins-over-email', O([['user_id', 'usr_42'], ['email', M]]));
    X(p, 'id-wins-email-first', O([['email', M], ['user_id', 'usr_42']]));
    X(p, 'id-wins-int', O([['user_id', 5678], ['email', M]]));
    X(p, 'id-wins-int-zero', O([['user_id', 0], ['email', M]])); // JS `user_id || email` gets this wrong
    X(p, 'id-wins-string-zero', O([['user_id', '0'], ['email', M]]));
    X(p, 'id-wins-int-negative', O([['email', M], ['user_id', -7]]));
    X(p, 'id-wins-int-max-safe', O([['user_id', 9007199254740991], ['email', M]]));
    X(p, 'id-wins-whitespace-only', O([['user_id', ' '], ['email', M]]));
    X(p, 'id-wins-spaces-kept', O([['user_id', ' Usr_42 '], ['email', ' Alice@Example.COM ']]));
    X(p, 'id-wins-same-as-email', O([['user_id', M], ['email', M]]));
    X(p, 'id-wins-email-null-ignored', O([['user_id', 'usr_42'], ['email', null]]));
    X(p, 'id-wins-email-null-first', O([['email', null], ['user_id', 42]]));
    X(p, 'id-null-uses-email', O([['user_id', null], ['email', 'Alice@Example.COM']]));
    X(p, 'id-null-uses-email-email-first', O([['email', ' Alice@Example.COM '], ['user_id', null]]));
    X(p, 'id-null-uses-email-long-100kb', O([['user_id', null], ['email', LONG]]));
    X(p, 'id-wins-long-100kb', O([['user_id', LONG], ['email', M]]));
    X(p, 'id-wins-non-ascii', O([['user_id', 'İD-Σ-😀'], ['email', M]]));
  }

  // ---- secrets ----
  if (defaultEncoding(p) === 'hex') {
    for (const [name, sec] of HEX_SECRETS) X(p, name, okInput(p), { secret: sec });
  } else {
    for (const [name, sec] of RAW_SECRETS) X(p, name, okInput(p), { secret: sec });
  }

  // ---- refusals ----
  XE('empty_secret', p, 'empty-secret', okInput(p), { secret: '' });
  XE('empty_secret', p, 'empty-secret-before-invalid-input', O([['visitor', 42]]), { secret: '' });
  XE('empty_secret', p, 'empty-secret-before-empty-identity',
    TAKES_ID(p) ? O([['user_id', '']]) : O([['email', '']]), { secret: '' });
  for (const [label, name] of NOT_NAMES[p]) {
    v(`${p}-unknown-preset-${label}`, name, secretFor(p), okInput(p), 'unknown_preset', { file: p });
  }
  XE('invalid_input', p, 'no-fields', O([]));
  for (const f of ['external_id', 'visitor', ...(TAKES_ID(p) ? [] : ['user_id']), ...(TAKES_EMAIL(p) ? [] : ['email'])]) {
    const val = f === 'visitor' ? O([['email', 'alice@example.com']]) : 'usr_42';
    XE('invalid_input', p, `${slug(f)}-given`, O([[f, val]]));
    const base = okInput(p).pairs;
    XE('invalid_input', p, `extra-${slug(f)}`, O([...base, [f, val]]));
  }
  XE('invalid_input', p, 'extra-field-before-empty-identity',
    O([[TAKES_ID(p) ? 'user_id' : 'email', ''], ['external_id', 'usr_42']]));
  if (TAKES_EMAIL(p) && !TAKES_ID(p)) {
    for (const [name, bad] of BAD_EMAILS) XE('invalid_input', p, `email-${name}`, O([['email', bad]]));
    XE('empty_identity', p, 'empty-email', O([['email', '']]));
  }
  if (TAKES_ID(p) && !TAKES_EMAIL(p)) {
    for (const [name, bad] of BAD_ID_VALUES) XE('invalid_input', p, `user-id-${name}`, O([['user_id', bad]]));
    XE('empty_identity', p, 'empty-id', O([['user_id', '']]));
  }
  if (TAKES_ID(p) && TAKES_EMAIL(p)) {
    XE('invalid_input', p, 'id-null-no-email', O([['user_id', null]]));
    XE('invalid_input', p, 'id-null-email-null', O([['user_id', null], ['email', null]]));
    for (const [name, bad] of BAD_EMAILS) XE('invalid_input', p, `email-only-${name}`, O([['email', bad]]));
    XE('invalid_input', p, 'id-null-email-number', O([['user_id', null], ['email', 42]]));
    for (const [name, bad] of BAD_IDS) {
      XE('invalid_input', p, `user-id-${name}`, O([['user_id', bad]]));
      XE('invalid_input', p, `user-id-${name}-with-email`, O([['user_id', bad], ['email', 'alice@example.com']]));
    }
    // The email is not signed beside an id, but a mistyped one is still reported.
    XE('invalid_input', p, 'id-with-email-number', O([['user_id', 'usr_42'], ['email', 42]]));
    XE('invalid_input', p, 'id-with-email-object', O([['user_id', 'usr_42'], ['email', O([])]]));
    XE('invalid_input', p, 'id-with-email-false', O([['user_id', 'usr_42'], ['email', false]]));
    // An empty id is the id: no fallback to the email.
    XE('empty_identity', p, 'empty-id-does-not-fall-back', O([['user_id', ''], ['email', 'alice@example.com']]));
    XE('empty_identity', p, 'empty-id-does-not-fall-back-email-first', O([['email', 'alice@example.com'], ['user_id', '']]));
    XE('empty_identity', p, 'empty-id-alone', O([['user_id', '']]));
    XE('empty_identity', p, 'empty-email-alone', O([['email', '']]));
    XE('empty_identity', p, 'id-null-empty-email', O([['user_id', null], ['email', '']]));
    XE('empty_identity', p, 'empty-id-empty-email', O([['user_id', ''], ['email', '']]));
  }
}

// ---- pylon: the secret is hex text, decoded to the key ----
for (const [name, sec] of BAD_HEX) XE('invalid_secret', 'pylon', `secret-not-hex-${name}`, okInput('pylon'), { secret: sec });
// Refused when the signer is built, so before anything about the input.
XE('invalid_secret', 'pylon', 'invalid-secret-before-invalid-input', O([['email', 42]]), { secret: 'zz' });
XE('invalid_secret', 'pylon', 'invalid-secret-before-empty-identity', O([['email', '']]), { secret: 'abc' });
XE('invalid_secret', 'pylon', 'invalid-secret-before-extra-field', O([['email', 'a@x.com'], ['user_id', 'u1']]), { secret: 'zz' });
v('pylon-unknown-preset-before-invalid-secret', 'Pylon', 'zz', okInput('pylon'), 'unknown_preset', { file: 'pylon' });
// The mistake lightdash/lightdash#19437 fixed: the hex secret's UTF-8 bytes as the key.
// (secret_encoding "raw" does exactly that, on purpose; its hash differs from the default.)
X('pylon', 'option-raw-uses-the-hex-text-as-key', okInput('pylon'), { options: OPT('raw') });
X('pylon', 'option-raw-non-hex-secret', okInput('pylon'), { secret: 's3cr3t', options: OPT('raw') });
X('pylon', 'option-hex-explicit', okInput('pylon'), { options: OPT('hex') });
X('pylon', 'option-encoding-null-is-default-hex', okInput('pylon'), { options: O([['secret_encoding', null]]) });
X('pylon', 'options-empty-object-is-default-hex', okInput('pylon'), { options: O([]) });
X('pylon', 'option-base64', okInput('pylon'), { secret: B64(Buffer.from(PYLON_S, 'hex')), options: OPT('base64') });
XE('invalid_secret', 'pylon', 'option-hex-explicit-not-hex', okInput('pylon'), { secret: 'GENERATED_IDENTITY_SECRET', options: OPT('hex') });
XE('invalid_secret', 'pylon', 'option-base64-not-base64', okInput('pylon'), { secret: PYLON_S + '\n', options: OPT('base64') });
XE('empty_secret', 'pylon', 'option-raw-empty-secret', okInput('pylon'), { secret: '', options: OPT('raw') });

// ---- secret_encoding on the raw-key presets ----
// base64 on crisp and helpscout, hex on intercom and canny, raw (the default) spelled out.
for (const [name, sec] of B64_SECRETS) X('crisp', `option-${name}`, okInput('crisp'), { secret: sec, options: OPT('base64') });
X('helpscout', 'option-base64-of-secret', okInput('helpscout'), { secret: 'c2VjcmV0', options: OPT('base64') });
X('helpscout', 'option-base64-200-bytes-unpadded', okInput('helpscout'),
  { secret: B64(bytes(200, 200)).replace(/=+$/, ''), options: OPT('base64') });
X('front', 'option-raw-explicit', okInput('front'), { options: OPT('raw') });
X('front', 'option-raw-hex-looking-secret', okInput('front'), { secret: PYLON_S, options: OPT('raw') });
X('front', 'option-encoding-null-is-default-raw', okInput('front'), { options: O([['secret_encoding', null]]) });
X('front', 'options-empty-object-is-default-raw', okInput('front'), { options: O([]) });
for (const [name, sec] of HEX_SECRETS) X('intercom', `option-hex-${name.replace(/^secret-hex-/, '')}`, okInput('intercom'), { secret: sec, options: OPT('hex') });
X('intercom', 'option-hex-id-wins', O([['email', 'alice@example.com'], ['user_id', 42]]), { secret: PYLON_S, options: OPT('hex') });
X('canny', 'option-hex-upper', okInput('canny'), { secret: PYLON_S.toUpperCase(), options: OPT('hex') });
X('canny', 'option-hex-same-key-as-raw-secret', okInput('canny'), { secret: Buffer.from(S).toString('hex'), options: OPT('hex') });
for (const [name, sec] of BAD_B64) XE('invalid_secret', 'crisp', `option-base64-invalid-${name}`, okInput('crisp'), { secret: sec, options: OPT('base64') });
for (const [name, sec] of BAD_HEX.slice(0, 8)) XE('invalid_secret', 'canny', `option-hex-invalid-${name}`, okInput('canny'), { secret: sec, options: OPT('hex') });
XE('invalid_secret', 'intercom', 'option-hex-invalid-secret-before-empty-identity', O([['user_id', '']]), { secret: 'xyz', options: OPT('hex') });
XE('invalid_secret', 'helpscout', 'option-base64-invalid-before-invalid-input', O([['email', 42]]), { secret: 'Q', options: OPT('base64') });
XE('empty_secret', 'crisp', 'option-base64-empty-secret', okInput('crisp'), { secret: '', options: OPT('base64') });
// A bad option is invalid_input, found when the signer is built: after empty_secret and
// unknown_preset, before the secret is decoded and before the input.
for (const [name, opts] of [
  ['encoding-upper-case', OPT('HEX')],
  ['encoding-capitalized', OPT('Base64')],
  ['encoding-utf8', OPT('utf8')],
  ['encoding-utf-8', OPT('utf-8')],
  ['encoding-base64url', OPT('base64url')],
  ['encoding-empty', OPT('')],
  ['encoding-spaced', OPT(' hex')],
  ['encoding-number', O([['secret_encoding', 1]])],
  ['encoding-true', O([['secret_encoding', true]])],
  ['encoding-array', O([['secret_encoding', ['hex']]])],
  ['encoding-object', O([['secret_encoding', O([['name', 'hex']])]])],
  ['unknown-option', O([['colour', 'red']])],
  ['unknown-option-beside-encoding', O([['secret_encoding', 'raw'], ['trim', true]])],
  ['unknown-option-null', O([['encoding', null]])],
]) {
  XE('invalid_input', 'plain', `signer-option-${name}`, okInput('plain'), { options: opts });
}
XE('invalid_input', 'userflow', 'signer-option-before-invalid-secret', okInput('userflow'), { secret: 'zz', options: OPT('HEX') });
XE('invalid_input', 'pylon', 'signer-option-before-invalid-secret', okInput('pylon'), { secret: 'zz', options: O([['colour', 'red']]) });
XE('empty_secret', 'tawkto', 'empty-secret-before-signer-option', okInput('tawkto'), { secret: '', options: OPT('HEX') });
v('tawkto-unknown-preset-before-signer-option', 'tawk.to', S, okInput('tawkto'), 'unknown_preset', { file: 'tawkto', options: OPT('HEX') });

// ---- a few vendor-specific shapes ----
// tawk.to keys are 40 characters; its plugin trims the stored key, userhash never does.
X('tawkto', 'secret-40-char-js-api-key', okInput('tawkto'), { secret: '0123456789abcdef0123456789abcdef01234567' });
X('tawkto', 'secret-40-char-key-with-newline-kept', okInput('tawkto'), { secret: '0123456789abcdef0123456789abcdef01234567\n' });
// Help Scout's docs sample key (its printed signature is illustrative, not a vector).
X('helpscout', 'docs-sample-key', O([['email', 'steve@aoki.com']]), { secret: 'JNbSzXIEonCFiiOepXyMtcXlTMVjtWX7wFZbiME4' });
// Intercom's README vector: HMAC('secret', 'Message') = aa747c50...
X('intercom', 'readme-vector', O([['user_id', 'Message']]), { secret: 'secret' });
X('intercom', 'readme-vector-as-email', O([['email', 'Message']]), { secret: 'secret' });
X('intercom', 'spec-integer-id-5678', O([['user_id', 5678], ['email', 'ciaran@intercom.io']]));
// Featurebase's `iv_` secrets are used raw, prefix included.
X('featurebase', 'secret-iv-prefix-kept', O([['email', 'alice@example.com']]), { secret: 'iv_your-secret-key' });

// ---------------------------------------------------------------------------
// 6. Compute, write, re-check.
// ---------------------------------------------------------------------------

const outDir = path.resolve(__dirname, '..', 'vectors');
const files = { layerup: [], inviaro: [], ensoras: [], supportwire: [], fluentbot: [], errors: [] };
for (const p of VENDOR_PRESETS) files[p] = [];
for (const vec of vectors) {
  const inputText = write(vec.input);
  const options = vec.options === undefined ? undefined : JSON.parse(write(vec.options));
  const result = expected(vec.preset, vec.secret, JSON.parse(inputText), options);
  if (result.error !== vec.want) {
    throw new Error(`${vec.id}: meant ${vec.want || 'a hash'}, got ${result.error || 'a hash'}`);
  }
  const pairs = [['id', vec.id], ['preset', vec.preset], ['secret', checkString(vec.secret)]];
  if (vec.options !== undefined) pairs.push(['signer_options', vec.options]);
  pairs.push(['input', vec.input]);
  if (result.error) {
    pairs.push(['error', result.error]);
  } else {
    pairs.push(['canonical', result.canonical], ['hash', result.hash]);
    // For the runners' own stdlib HMAC check: the key bytes, when they are not the
    // secret's UTF-8 (a hex or base64 secret_encoding).
    const encoding = secretEncoding(vec.preset, options);
    if (encoding !== 'raw') pairs.push(['key_hex', decodeSecret(vec.secret, encoding).toString('hex')]);
  }
  const file = vec.file || (result.error ? 'errors' : vec.preset);
  if (!files[file]) throw new Error(`${vec.id}: no file ${file}`);
  files[file].push(write(O(pairs)));
}

fs.mkdirSync(outDir, { recursive: true });
let total = 0;
const summary = [];
for (const [name, lines] of Object.entries(files)) {
  const text = '{"version":1,"vectors":[\n' + lines.join(',\n') + '\n]}\n';
  // Sanity: the file parses, and re-deriving every vector from the parsed file agrees.
  const doc = JSON.parse(text);
  if (doc.version !== 1 || doc.vectors.length !== lines.length) throw new Error(`${name}: bad document`);
  for (const d of doc.vectors) {
    const again = expected(d.preset, d.secret, d.input, d.signer_options);
    if (again.error !== d.error || again.canonical !== d.canonical || again.hash !== d.hash) {
      throw new Error(`${d.id}: re-check from file text failed`);
    }
  }
  fs.writeFileSync(path.join(outDir, `${name}.json`), text);
  total += lines.length;
  summary.push(`${name} ${lines.length}`);
}
console.log(`wrote ${total} vectors to tests/vectors/ (${summary.join(', ')})`);
