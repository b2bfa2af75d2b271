#!/usr/bin/env node
// userhash golden-vector oracle.
//
// Runs each vendor's own Node.js snippet (copied from the vendor pages in the shared
// seeds/ folder, DESIGN §2 and §5) over a fixed list of inputs and (re)writes
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

// Plain HMAC over a canonical string; used only to cross-check that the *Message
// functions above are exactly what the snippets sign.
function hmacHex(secret, message) {
  return crypto.createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(message, 'utf8')).digest('hex');
}

// ---------------------------------------------------------------------------
// 2. userhash's policy on top of the snippets (DESIGN §2, §3).
// ---------------------------------------------------------------------------

const PRESETS = ['layerup', 'inviaro', 'ensoras', 'supportwire', 'fluentbot'];
const FIELDS = {
  layerup: ['email'],
  inviaro: ['user_id'],
  ensoras: ['email'],
  supportwire: ['external_id', 'email'],
  fluentbot: ['visitor'],
};
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

// Returns {canonical, hash} or {error}. `input` is JSON.parse of the input's file text.
function expected(preset, secret, input) {
  try {
    if (secret === '') fail('empty_secret');
    if (!PRESETS.includes(preset)) fail('unknown_preset');
    if (!isPlainObject(input)) fail('invalid_input');
    for (const k of Object.keys(input)) if (!FIELDS[preset].includes(k)) fail('invalid_input');

    let canonical, hash;
    switch (preset) {
      case 'layerup': {
        if (!has(input, 'email')) fail('invalid_input');
        const userEmail = emailText(input.email);
        canonical = layerupMessage(userEmail);
        if (canonical === '') fail('empty_identity');
        hash = layerupSnippet(userEmail, secret);
        break;
      }
      case 'inviaro': {
        if (!has(input, 'user_id')) fail('invalid_input');
        const userId = idText(input.user_id);
        canonical = inviaroMessage(userId);
        try {
          hash = inviaroUserHash(userId, secret);
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
        hash = ensorasSnippet(email, secret);
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
        hash = widgetSignature(identity, secret);
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
        hash = signVisitor(visitor, secret);
        break;
      }
      default:
        throw new Error('unreachable');
    }
    if (hash !== hmacHex(secret, canonical)) throw new Error(`${preset}: snippet and canonical disagree`);
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
function v(id, preset, secret, input, want) {
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
  ids.add(id);
  vectors.push({ id, preset, secret, input, want });
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
for (const p of PRESETS) {
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
for (const p of PRESETS) E('invalid_input', `${p}-no-fields`, p, S, O([]));
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
// 6. Compute, write, re-check.
// ---------------------------------------------------------------------------

const outDir = path.resolve(__dirname, '..', 'vectors');
const files = { layerup: [], inviaro: [], ensoras: [], supportwire: [], fluentbot: [], errors: [] };
for (const vec of vectors) {
  const inputText = write(vec.input);
  const result = expected(vec.preset, vec.secret, JSON.parse(inputText));
  if (result.error !== vec.want) {
    throw new Error(`${vec.id}: meant ${vec.want || 'a hash'}, got ${result.error || 'a hash'}`);
  }
  const pairs = [['id', vec.id], ['preset', vec.preset], ['secret', checkString(vec.secret)], ['input', vec.input]];
  let file;
  if (result.error) {
    pairs.push(['error', result.error]);
    file = 'errors';
  } else {
    pairs.push(['canonical', result.canonical], ['hash', result.hash]);
    file = vec.preset;
  }
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
    const again = expected(d.preset, d.secret, d.input);
    if (again.error !== d.error || again.canonical !== d.canonical || again.hash !== d.hash) {
      throw new Error(`${d.id}: re-check from file text failed`);
    }
  }
  fs.writeFileSync(path.join(outDir, `${name}.json`), text);
  total += lines.length;
  summary.push(`${name} ${lines.length}`);
}
console.log(`wrote ${total} vectors to tests/vectors/ (${summary.join(', ')})`);
