<?php

/*
 * Router for PHP's built-in server (`php -S host:port examples/php/router.php`):
 * the page, plus — only when USERHASH_EMBED_TEST_ROUTE=1, as the browser test
 * sets it — the test route of docs/embed.md. Never enable that in production.
 */

declare(strict_types=1);

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path === '/userhash/embed' && getenv('USERHASH_EMBED_TEST_ROUTE') === '1') {
    require __DIR__ . '/embed_route.php';

    return;
}
if ($path === '/' || $path === '/index.php') {
    require __DIR__ . '/index.php';

    return;
}
http_response_code(404);
echo "not found\n";
