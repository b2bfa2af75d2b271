<?php

/*
 * Test-only route for the browser test (tests/browser, docs/embed.md):
 * POST {"preset", "input", "options"} renders the snippet through the app's
 * own helper and layout, with the secret from USERHASH_SECRET. The router
 * serves it only when USERHASH_EMBED_TEST_ROUTE=1.
 */

declare(strict_types=1);

require_once __DIR__ . '/app.php';

use Userhash\UserhashException;

if (($_SERVER['REQUEST_METHOD'] ?? 'GET') !== 'POST') {
    header('Content-Type: text/plain');
    echo "userhash embed test route: POST {\"preset\", \"input\", \"options\"}\n";

    return;
}

// Objects stay stdClass below the top level, so {} and [] keep their meaning.
$request = json_decode((string) file_get_contents('php://input'), false, 512, JSON_THROW_ON_ERROR);
$input = get_object_vars($request->input);
$options = get_object_vars($request->options);

// Every preset the core lists (read at runtime, so a new one is served with no edit here).
if (!in_array((string) $request->preset, Userhash\Signer::presets(), true)) {
    http_response_code(404);
    echo "unknown preset\n";

    return;
}
try {
    $signer = userhash_signer((string) $request->preset, 'USERHASH_SECRET');
} catch (UserhashException $e) {
    http_response_code($e->getErrorCode() === 'unknown_preset' ? 404 : 500);
    echo "{$e->getErrorCode()}: {$e->getMessage()}\n";

    return;
}
$snippet = userhash_widget($signer, $input, $options);
if ($snippet === '') {
    http_response_code(500); // the helper logged why (the server log)
    echo "userhash_widget rendered nothing\n";

    return;
}

header('Content-Type: text/html; charset=utf-8');
// Wrap what was rendered, not what was asked for: without `form` the core renders the
// preset's first form, which may be a URL or a JS statement rather than HTML.
if (!str_starts_with(ltrim($snippet), '<')) {
    echo $snippet; // a webview URL, or an identify call

    return;
}
?>
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Dashboard</title>
</head>
<body>
  <h1>Welcome back</h1>
  <?= $snippet ?>
</body>
</html>
