<?php

/*
 * userhash example: a PHP page that embeds the FluentBot chat widget for the
 * logged-in visitor with a signed identity (FluentBot "Identity Verification").
 *
 * FluentBot signs JSON.stringify({name, email, data: data ?? null}) in Node.
 * PHP's json_encode writes 9.0 as "9.0", escapes U+2028 and U+2029, and
 * re-orders nothing — so the vendor's own PHP snippet (json_encode + hash_hmac)
 * silently turns some visitors anonymous. Userhash\Signer computes the exact
 * bytes FluentBot's Node snippet signs.
 *
 * Run:  FLUENTBOT_IDENTITY_SECRET=... php -d ffi.enable=1 -S 127.0.0.1:8080 -t examples/php
 * (web SAPIs need ffi.enable=1, or opcache.preload; see bindings-c/php/README.md)
 */

declare(strict_types=1);

// In an application: require 'vendor/autoload.php' (composer.json maps Userhash\ to src/).
require __DIR__ . '/../../bindings-c/php/autoload.php';

use Userhash\Signer;
use Userhash\UserhashException;

/** Stand-in for your session/auth layer: the visitor who is logged in. */
function current_visitor(): ?array
{
    $users = [
        'alice' => [
            'email' => 'alice@example.com',
            'name' => 'Alice Liddell',
            'data' => ['plan' => 'enterprise', 'account_id' => 'ACME-1007'],
        ],
        // Values where PHP's json_encode and JS JSON.stringify disagree.
        'zoe' => [
            'email' => 'Zoë.OBrien@Example.COM',
            'name' => "Zoë O'Brien </script>\u{2028}",
            'data' => [
                'plan' => 'pro',
                'seats' => 5,
                'price' => 9.0,
                'ratio' => 0.1,
                'tags' => ['beta', 'eu/west'],
                'limits' => new stdClass(), // an empty object, not []
                '10' => 'ten',
                '2' => 'two',
            ],
        ],
        'bob' => ['email' => 'bob@example.com', 'name' => null],
    ];

    return $users[$_GET['user'] ?? 'alice'] ?? null;
}

/** One Signer per process (it keeps the HMAC key state ready). */
function signer(): Signer
{
    static $signer = null;

    return $signer ??= Signer::fromEnv('FLUENTBOT_IDENTITY_SECRET', 'fluentbot');
}

$visitor = current_visitor();
if ($visitor === null) {
    http_response_code(404);
    echo "no such user\n";

    return;
}

try {
    $visitor['signature'] = signer()->sign(['visitor' => $visitor]);
} catch (UserhashException $e) {
    // Never block the page: without a signature the widget chats anonymously.
    error_log("userhash: {$e->getErrorCode()}: {$e->getMessage()}");
}

// Script-safe JSON for a data block; the browser's JSON.parse gives back the same values.
$visitorJson = json_encode(
    $visitor,
    JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT | JSON_THROW_ON_ERROR,
);
$name = htmlspecialchars((string) ($visitor['name'] ?? $visitor['email']), ENT_QUOTES);
?>
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Dashboard</title>
</head>
<body>
  <h1>Welcome back, <?= $name ?></h1>
  <script id="fluentbot-visitor" type="application/json"><?= $visitorJson ?></script>
  <script type="module" src="https://cdn.jsdelivr.net/gh/fluent-docai/chat-widget@latest/chat-widget.js"></script>
  <script type="module">
    const visitor = JSON.parse(document.getElementById("fluentbot-visitor").textContent);
    FluentBotChatWidget.injectWidget("YOUR_BOT_ID", { visitor });
  </script>
</body>
</html>
