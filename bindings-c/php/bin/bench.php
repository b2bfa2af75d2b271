<?php

// `make bench-php`: ns per call of Userhash\Signer next to the stdlib snippets it replaces.
declare(strict_types=1);

require \dirname(__DIR__) . '/autoload.php';

use Userhash\Signer;

function bench(string $label, callable $fn, int $n = 200_000): void
{
    $fn();
    $best = \PHP_INT_MAX;
    for ($round = 0; $round < 3; $round++) {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $fn();
        }
        $best = min($best, hrtime(true) - $t);
    }
    printf("%-44s %8.0f ns/call\n", $label, $best / $n);
}

$secret = 's3cr3t';
$email = 'Alice@Example.COM';
$visitor = ['name' => 'Alice', 'email' => $email, 'data' => ['plan' => 'pro', 'seats' => 5]];
$ensoras = new Signer($secret, 'ensoras');
$fluentbot = new Signer($secret, 'fluentbot');

echo "== php ==\n";
bench('hash_hmac(strtolower) (stdlib, ASCII-only)', static fn () => hash_hmac('sha256', strtolower($email), $secret));
bench('Signer ensoras sign (fast path)', static fn () => $ensoras->sign(['email' => $email]));
bench('Signer ensoras verify', static fn () => $ensoras->verify('0000000000000000000000000000000000000000000000000000000000000000', ['email' => $email]), 100_000);
bench('hash_hmac(json_encode) (stdlib, differs)', static fn () => hash_hmac('sha256', json_encode($visitor), $secret), 100_000);
bench('Signer fluentbot sign', static fn () => $fluentbot->sign(['visitor' => $visitor]), 100_000);
