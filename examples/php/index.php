<?php

/*
 * userhash example: a PHP page that embeds the FluentBot chat widget for the
 * logged-in visitor with a signed identity (FluentBot "Identity Verification").
 *
 * FluentBot signs JSON.stringify({name, email, data: data ?? null}) in Node.
 * PHP's json_encode writes 9.0 as "9.0", escapes U+2028 and U+2029, and
 * re-orders nothing — so the vendor's own PHP snippet (json_encode + hash_hmac)
 * silently turns some visitors anonymous. Userhash\Signer computes the exact
 * bytes FluentBot's Node snippet signs, and Signer::embed() writes the
 * widget snippet so that the browser receives exactly that visitor (a name
 * like "</script><script>…" or U+2028 can neither break out nor change it).
 *
 * Run:  FLUENTBOT_IDENTITY_SECRET=... php -d ffi.enable=1 -S 127.0.0.1:8080 examples/php/router.php
 * (web SAPIs need ffi.enable=1, or opcache.preload; see bindings-php/README.md)
 */

declare(strict_types=1);

require_once __DIR__ . '/app.php';

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
            'name' => "Zoë O'Brien </script><script>window.pwned=1</script>\u{2028}",
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

$visitor = current_visitor();
if ($visitor === null) {
    http_response_code(404);
    echo "no such user\n";

    return;
}

$nonce = csp_nonce();
header("Content-Security-Policy: script-src 'nonce-{$nonce}'");
$widget = userhash_widget(
    userhash_signer('fluentbot', 'FLUENTBOT_IDENTITY_SECRET'),
    ['visitor' => $visitor],
    ['widget' => getenv('FLUENTBOT_BOT_ID') ?: 'YOUR_BOT_ID', 'nonce' => $nonce],
);
?>
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Dashboard</title>
</head>
<body>
  <h1>Welcome back, <?= h((string) ($visitor['name'] ?? $visitor['email'])) ?></h1>
  <?= $widget ?>
</body>
</html>
