// Vendor identity-hash snippets, one function per confirmed vendor (issue 14).
//
// Every function is either
//   * VERBATIM  - the vendor's own published Node.js snippet. The only changes are that
//                 literals ('secret', '<YOUR_SECRET>', process.env.X, user.email, ...)
//                 became parameters, `import` became `require` (this file is CommonJS),
//                 and `console.log(x)` / a bare expression became `return x`; or
//   * RENDERING - a faithful Node rendering of the snippet the vendor publishes in
//                 another language (quoted in the comment above the function), or of the
//                 rule it publishes in prose when no code was readable (userflow).
// Where and why each was read: SOURCE below, and SOURCES.md next to this file.
//
// Node builtins only. Nothing here validates input: userhash's refusal policy
// (empty secret, invalid hex, wrong types, ...) is applied by the caller BEFORE these
// run. In particular Node's Buffer.from(s, 'hex') (Pylon's own snippet) silently
// truncates at the first bad hex pair and accepts odd lengths, so an invalid or odd hex
// secret must never reach pylon() - userhash refuses it as `invalid_secret` instead.
//
// Node's hmac.update(string) encodes the string as UTF-8; a lone surrogate becomes
// U+FFFD (EF BF BD). Server-side peers (Ruby, PHP) never see lone surrogates, so vector
// inputs should be well-formed Unicode.
'use strict';

// ---------------------------------------------------------------------------------
// intercom - RENDERING of the selection rule + VERBATIM Node HMAC sample.
//
// Selection rule, intercom-rails lib/intercom-rails/script_tag.rb
// (commit b361369a88408d73d66a852b0f849dd7d67cd8a2):
//     def user_hash
//       OpenSSL::HMAC.hexdigest("sha256", secret, (user_details[:user_id] || user_details[:email]).to_s)
//     end
// Ruby `||` skips only nil/false, so user_id "" wins over the email (and then
// intercom-rails emits no user_hash at all, because `("" || email).present?` is false).
// Integer#to_s is decimal text; Float#to_s is "123.0" (JS has no such distinction).
// Intercom help 183: "If you choose to send both to Intercom, the User ID will take
// preference."
//
// HMAC, intercom/identity-verification-code-samples README.md, section "Node"
// (commit 1e45c3927d531ff71aacaa23cafc7b45c2971ffa):
//     const crypto = require('crypto');
//     const hmac = crypto.createHmac('sha256', 'secret');
//     hmac.update('Message');
//     console.log(hmac.digest('hex')); // aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597
function intercom(user_id, email, secret) {
  const chosen = user_id !== undefined && user_id !== null ? user_id : email;
  if (chosen === undefined || chosen === null) throw new Error('intercom: user_id or email required');
  const message = String(chosen); // Ruby .to_s (strings and safe integers)
  const crypto = require('crypto');
  const hmac = crypto.createHmac('sha256', secret);
  hmac.update(message);
  return hmac.digest('hex');
}

// ---------------------------------------------------------------------------------
// chatwoot - VERBATIM, chatwoot.com/docs/product/channels/live-chat/sdk/identity-validation
// "Javascript (Node.js)":
//     const crypto = require('crypto');
//     const key = '<webwidget-hmac-token>';
//     const message = '<identifier>';
//     const hash = crypto.createHmac('sha256', key).update(message).digest('hex');
// Server check, chatwoot/chatwoot app/controllers/api/v1/widget/contacts_controller.rb
// (commit 2d5aa446395b0812f6a4681655125ee70be3157f):
//     params[:identifier_hash] == OpenSSL::HMAC.hexdigest('sha256', @web_widget.hmac_token, params[:identifier].to_s)
// The snippet has a string literal; String() reproduces the server's `.to_s` for the
// string or integer identifier that window.$chatwoot.setUser accepts.
function chatwoot(identifier, key) {
  const crypto = require('crypto');
  const message = String(identifier);
  const hash = crypto.createHmac('sha256', key).update(message).digest('hex');
  return hash;
}

// ---------------------------------------------------------------------------------
// crisp - RENDERING of Crisp's own PHP (no Node snippet is published).
// crisp-im/crisp-plugin-wordpress crisp.php (commit 4c0581f1c713023e7fd71d257b65e89b6a963dc1),
// crisp_sync_wordpress_user(); the same line is in crisp-im/crisp-plugin-whmcs hooks.php:
//     $hmac = hash_hmac("sha256", $email, $website_verify);
//     $output .= '$crisp.push(["set", "user:email", ["' . $email . '", "' . $hmac . '"]]);';
// PHP hash_hmac(algo, data, key) returns lowercase hex of HMAC(key, data) over raw bytes.
function crisp(email, website_verify) {
  const crypto = require('crypto');
  return crypto.createHmac('sha256', website_verify).update(email).digest('hex');
}

// ---------------------------------------------------------------------------------
// front - VERBATIM, dev.frontapp.com/docs/identify-users "Computing the user hash":
//     // computing a user hash based on HMAC-SHA256
//     // Node.js example
//     const crypto = require('crypto');
//     const hmac = crypto.createHmac('sha256', verificationSecret);
//     const userHash = hmac.update(userEmail).digest('hex');
function front(userEmail, verificationSecret) {
  const crypto = require('crypto');
  const hmac = crypto.createHmac('sha256', verificationSecret);
  const userHash = hmac.update(userEmail).digest('hex');
  return userHash;
}

// ---------------------------------------------------------------------------------
// helpscout - VERBATIM (import -> require), developer.helpscout.com/beacon-2/secure-mode/
// "NodeJS":
//     import crypto from 'crypto';
//
//     // Generate the signature
//     const signature = crypto.createHmac('sha256', secretKey)
//       .update(user.email)
//       .digest('hex');
function helpscout(email, secretKey) {
  const crypto = require('crypto');
  const user = { email };
  // Generate the signature
  const signature = crypto.createHmac('sha256', secretKey)
    .update(user.email)
    .digest('hex');
  return signature;
}

// ---------------------------------------------------------------------------------
// tawkto - RENDERING of tawk.to's own PHP (help.tawk.to shows a CryptoJS example whose
// code is not in the stored copy). tawk/tawk-wordpress tawkto/tawkto.php
// (commit d7eeafbcc6f57a4914e132b23572ffdd780dc02b), TawkTo::get_visitor_hash($email):
//     $hash = hash_hmac( 'sha256', $email, $key );
// $key is the property's JavaScript API key (Secure Mode). The plugin trims the key when
// the admin saves it and requires 40 characters; the email is passed as-is.
function tawkto(email, key) {
  const crypto = require('crypto');
  return crypto.createHmac('sha256', key).update(email).digest('hex');
}

// ---------------------------------------------------------------------------------
// pylon - VERBATIM, docs.usepylon.com/pylon-docs/chat-widget/identity-verification
// "JavaScript (Node.js)" ("Note that the secret is a hex string and must be decoded"):
//     const { createHmac } = require("node:crypto");
//
//     const secret = "GENERATED_IDENTITY_SECRET";
//     const email = "CHAT_USER_EMAIL";
//
//     const secretBytes = Buffer.from(secret, "hex");
//     const verificationHash = createHmac("sha256", secretBytes)
//       .update(email)
//       .digest("hex");
// WARNING: Buffer.from(s, "hex") is lenient (stops at the first non-hex pair, drops a
// trailing odd nibble; "zz" gives an EMPTY key). Feed only valid, even-length hex.
function pylon(email, secret) {
  const { createHmac } = require('node:crypto');
  const secretBytes = Buffer.from(secret, 'hex');
  const verificationHash = createHmac('sha256', secretBytes)
    .update(email)
    .digest('hex');
  return verificationHash;
}

// ---------------------------------------------------------------------------------
// plain - VERBATIM (import -> require), plain.com/docs/chat/authentication
// "Manual email verification", step 2 "Calculate the email hash in your backend":
//     import * as crypto from 'node:crypto';
//
//     const secret = '<YOUR_SECRET>';
//     const email = 'johndoe@example.com';
//     const hmac = crypto.createHmac('sha256', secret);
//     hmac.update(email);
//     const hash = hmac.digest('hex');
function plain(email, secret) {
  const crypto = require('node:crypto');
  const hmac = crypto.createHmac('sha256', secret);
  hmac.update(email);
  const hash = hmac.digest('hex');
  return hash;
}

// ---------------------------------------------------------------------------------
// canny - VERBATIM (import/export -> require/inner function), developers.canny.io/install/security
// "1. Generate user hash on your server", Node.js tab:
//     import crypto from 'crypto';
//
//     const APIKey = 'YOUR_API_KEY';
//
//     export default function generateCannyHash(user) {
//       const hash = crypto.createHmac('sha256', APIKey)
//         .update(user.id)
//         .digest('hex');
//       return hash;
//     }
// update(user.id) throws ERR_INVALID_ARG_TYPE for a numeric id in Node, so the vendor's
// snippet implies a string id; integers are passed as String(n) (decimal text).
function canny(userId, APIKey) {
  const crypto = require('crypto');
  function generateCannyHash(user) {
    const hash = crypto.createHmac('sha256', APIKey)
      .update(user.id)
      .digest('hex');
    return hash;
  }
  return generateCannyHash({ id: String(userId) });
}

// ---------------------------------------------------------------------------------
// userflow - RENDERING of the rule Userflow publishes in prose (no code sample was
// readable). userflow.com/docs/dev/identity-verification, "Step 1: Compute the signature
// on your server":
//     "The signature is generated by computing a SHA-256 HMAC of the user's ID (the same
//      ID you later give to userflow.identify()) signed with your Userflow environment's
//      Secret Key."
// userflow/ai-skills-library skills/install-with-ai/SKILL.md: "Pass a `signature`
// (HMAC-SHA256 of the user ID, computed with the environment's Secret Key) as the third
// argument: `userflow.identify(userId, attrs, { signature })`".
// ASSUMPTION: lowercase hex output (the digest encoding is not stated in what was read).
function userflow(userId, secretKey) {
  const crypto = require('crypto');
  return crypto.createHmac('sha256', secretKey).update(String(userId)).digest('hex');
}

// ---------------------------------------------------------------------------------
// featurebase (legacy userHash) - VERBATIM + the documented precedence.
// help.featurebase.app/articles/4543540-set-up-identity-verification, "Example":
//     import crypto from "crypto";
//     // Your identity verification secret
//     const secretKey = "iv_your-secret-key";
//     // Use email or user identifier
//     const userIdentifier = currentUser.email;
//     // Generate HMAC hash
//     const userHash = crypto
//       .createHmac('sha256', secretKey)
//       .update(userIdentifier)
//       .digest('hex');
// Precedence, help.featurebase.app/articles/2113866-troubleshooting-identity-verification:
//     "If you send both userId and email, generate the userHash using userId."
// (Whether an empty-string userId counts as "sent" is not documented.)
function featurebase(userId, email, secretKey) {
  const crypto = require('crypto');
  const chosen = userId !== undefined && userId !== null ? userId : email;
  if (chosen === undefined || chosen === null) throw new Error('featurebase: userId or email required');
  // Use email or user identifier
  const userIdentifier = String(chosen);
  // Generate HMAC hash
  const userHash = crypto
    .createHmac('sha256', secretKey)
    .update(userIdentifier)
    .digest('hex');
  return userHash;
}

// ---------------------------------------------------------------------------------
// customerly - RENDERING of Customerly's PHP + its lowercase instruction.
// docs.customerly.io/en/live-chat/setting-up-identity-verification-for-web-and-mobile-on-customerly:
//     hash_hmac("sha256", $email, $secret);
//     "⚠️ Before creating the hash be sure to lower case the email."
// WHICH lowercase is not documented. The only published code is PHP, whose strtolower()
// (PHP >= 8.2, and the C locale before that) maps A-Z only, so that is what this does.
// JS toLowerCase()/mb_strtolower() differ for non-ASCII letters (e.g. 'À'); keep such
// emails out of the vectors (or refuse them) until Customerly says which it means.
function customerly(email, secret) {
  const crypto = require('crypto');
  const lowered = email.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
  return crypto.createHmac('sha256', secret).update(lowered).digest('hex');
}

// ---------------------------------------------------------------------------------
// What each vendor signs, as a canonical string (for the vectors' `canonical` field).
const MESSAGE = {
  intercom: (user_id, email) => String(user_id !== undefined && user_id !== null ? user_id : email),
  chatwoot: (identifier) => String(identifier),
  crisp: (email) => email,
  front: (email) => email,
  helpscout: (email) => email,
  tawkto: (email) => email,
  pylon: (email) => email,
  plain: (email) => email,
  canny: (userId) => String(userId),
  userflow: (userId) => String(userId),
  featurebase: (userId, email) => String(userId !== undefined && userId !== null ? userId : email),
  customerly: (email) => email.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32)),
};

// How the secret string becomes key bytes for each vendor.
const KEY_ENCODING = {
  intercom: 'raw', chatwoot: 'raw', crisp: 'raw', front: 'raw', helpscout: 'raw',
  tawkto: 'raw', pylon: 'hex', plain: 'raw', canny: 'raw', userflow: 'raw',
  featurebase: 'raw', customerly: 'raw',
};

const SOURCE = {
  intercom: 'VERBATIM Node: intercom/identity-verification-code-samples README.md "Node" @1e45c3927d531ff71aacaa23cafc7b45c2971ffa; rule: intercom-rails lib/intercom-rails/script_tag.rb ScriptTag#user_hash @b361369a88408d73d66a852b0f849dd7d67cd8a2; intercom.com/help/en/articles/183',
  chatwoot: 'VERBATIM Node: chatwoot.com/docs/product/channels/live-chat/sdk/identity-validation "Javascript (Node.js)"; server: chatwoot/chatwoot app/controllers/api/v1/widget/contacts_controller.rb valid_hmac? @2d5aa446395b0812f6a4681655125ee70be3157f',
  crisp: 'RENDERING of PHP: crisp-im/crisp-plugin-wordpress crisp.php crisp_sync_wordpress_user() @4c0581f1c713023e7fd71d257b65e89b6a963dc1 (same in crisp-im/crisp-plugin-whmcs hooks.php); embed: crisp-im/crisp-sdk-web src/user.ts setEmail(email, hmac)',
  front: 'VERBATIM Node: dev.frontapp.com/docs/identify-users "Computing the user hash"',
  helpscout: 'VERBATIM Node (import->require): developer.helpscout.com/beacon-2/secure-mode/ "NodeJS"',
  tawkto: 'RENDERING of PHP: tawk/tawk-wordpress tawkto/tawkto.php TawkTo::get_visitor_hash @d7eeafbcc6f57a4914e132b23572ffdd780dc02b',
  pylon: 'VERBATIM Node: docs.usepylon.com/pylon-docs/chat-widget/identity-verification "JavaScript (Node.js)" (secret hex-decoded)',
  plain: 'VERBATIM Node (import->require): plain.com/docs/chat/authentication "Calculate the email hash in your backend"',
  canny: 'VERBATIM Node (import/export->require): developers.canny.io/install/security "1. Generate user hash on your server"',
  userflow: 'RENDERING of prose: userflow.com/docs/dev/identity-verification "Step 1"; userflow/ai-skills-library skills/install-with-ai/SKILL.md; hex output ASSUMED',
  featurebase: 'VERBATIM Node: help.featurebase.app/articles/4543540-set-up-identity-verification "Example"; precedence: help.featurebase.app/articles/2113866-troubleshooting-identity-verification',
  customerly: 'RENDERING of PHP + prose: docs.customerly.io/en/live-chat/setting-up-identity-verification-for-web-and-mobile-on-customerly (lowercase function UNSPECIFIED; ASCII A-Z used)',
};

module.exports = {
  intercom, chatwoot, crisp, front, helpscout, tawkto, pylon, plain, canny, userflow,
  featurebase, customerly,
  SOURCE, MESSAGE, KEY_ENCODING,
};

// `node tests/oracle/vendors/snippets.js` checks every snippet against the one vector a
// vendor publishes: HMAC-SHA256(key 'secret', 'Message') = aa747c50... (Intercom's README).
if (require.main === module) {
  const want = 'aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597';
  const hexSecret = Buffer.from('secret', 'utf8').toString('hex');
  const got = {
    intercom: intercom('Message', undefined, 'secret'),
    chatwoot: chatwoot('Message', 'secret'),
    crisp: crisp('Message', 'secret'),
    front: front('Message', 'secret'),
    helpscout: helpscout('Message', 'secret'),
    tawkto: tawkto('Message', 'secret'),
    pylon: pylon('Message', hexSecret),
    plain: plain('Message', 'secret'),
    canny: canny('Message', 'secret'),
    userflow: userflow('Message', 'secret'),
    featurebase: featurebase('Message', 'x@y', 'secret'),
    customerly: customerly('message', 'secret') === customerly('MESSAGE', 'secret') ? 'ok-lower' : 'bad',
  };
  let bad = 0;
  for (const [k, v] of Object.entries(got)) {
    const ok = k === 'customerly' ? v === 'ok-lower' : v === want;
    if (!ok) bad++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${k}`);
  }
  process.exit(bad ? 1 : 0);
}
