<?php

// `make bench-php`: Userhash\Signer next to the vendor pages' PHP snippets, in one
// process, on the same inputs. One line per comparison on stdout:
//
//   php <case> sdk=<ns>ns stdlib=<ns>ns ratio=<sdk/stdlib>
//
// ns per call (per item for the batch cases), the median of 15 rounds (5 for the
// batches) in which the two sides alternate; ratio < 1 means userhash is faster.
// Wall clock (hrtime) by default: on a shared machine the numbers are noisy, take
// the best of a few runs. USERHASH_BENCH_CLOCK=cpu measures the process's CPU time
// (getrusage) instead — steadier under load for the single-threaded cases, but it
// counts every thread of signMany, so it hides its parallelism.
// USERHASH_BENCH_SMOKE=1 runs every case once with tiny counts (no timing value).
declare(strict_types=1);

require \dirname(__DIR__) . '/autoload.php';

use Userhash\Signer;

$smoke = getenv('USERHASH_BENCH_SMOKE') === '1';
$rounds = $smoke ? 1 : 15;
$calls = $smoke ? 50 : 40_000;        // per round, per-call cases
$batch = $smoke ? 20_000 : 1_000_000; // items, batch cases (smoke still crosses PARALLEL_BATCH)
$batchRounds = $smoke ? 1 : 5;

/** Nanoseconds now: wall clock, or this process's CPU time (USERHASH_BENCH_CLOCK=cpu). */
function now(): int|float
{
    static $cpu = null;
    $cpu ??= getenv('USERHASH_BENCH_CLOCK') === 'cpu';
    if (!$cpu) {
        return hrtime(true);
    }
    $r = getrusage();

    return (($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1_000_000 + $r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']) * 1000;
}

/**
 * Median ns per operation of `$sdk` and `$stdlib`, each run `$rounds` times
 * alternately (first one side, then the other, then swapped).
 *
 * @param callable(): mixed $sdk runs `$ops` operations
 * @param callable(): mixed $stdlib runs `$ops` operations
 * @return array{float, float}
 */
function compare(callable $sdk, callable $stdlib, int $ops, int $rounds): array
{
    $sdk();
    $stdlib(); // warm-up: caches, the library, the allocator
    $times = ['sdk' => [], 'stdlib' => []];
    for ($r = 0; $r < $rounds; $r++) {
        $order = $r % 2 === 0 ? ['sdk' => $sdk, 'stdlib' => $stdlib] : ['stdlib' => $stdlib, 'sdk' => $sdk];
        foreach ($order as $side => $fn) {
            $t = now();
            $result = $fn();
            $times[$side][] = (now() - $t) / $ops;
            unset($result);
        }
    }

    return [median($times['sdk']), median($times['stdlib'])];
}

/** @param list<float> $xs */
function median(array $xs): float
{
    sort($xs);
    $n = \count($xs);

    return $n % 2 === 1 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

function report(string $case, float $sdk, float $stdlib): void
{
    printf("php %s sdk=%.0fns stdlib=%.0fns ratio=%.3f\n", $case, $sdk, $stdlib, $sdk / $stdlib);
}

$secret = 'bench-widget-secret-0123456789abcdef';

// The CPU decides PHP's ratios more than any other language's: the core's SHA-256 uses the
// SHA extensions (SHA-NI) when the CPU has them, PHP 8.2's hash_hmac never does (portable C).
// Without them the core's compressions cost what hash_hmac's do and per-call signing is
// about as fast as hash_hmac (ratio ~1.0; ~0.55 with them), so every run names its CPU.
$cpuinfo = (string) @file_get_contents('/proc/cpuinfo');
fprintf(STDERR, "# cpu: %s, sha_ni: %s\n", preg_match('/^model name\s*:\s*(.+)$/m', $cpuinfo, $m) ? $m[1] : php_uname('m'), preg_match('/^flags\s*:.*\bsha_ni\b/m', $cpuinfo) ? 'yes' : 'no (or unknown)');

// Per-call: a prepared Signer against the snippet each vendor page shows.
$ids = [];
$emails = [];
for ($i = 0; $i < 1024; $i++) {
    $ids[] = 'usr_' . (100_000 + $i * 7919);
    $emails[] = 'Customer.' . $i . '@Example.COM';
}
$inviaro = new Signer($secret, 'inviaro');
$ensoras = new Signer($secret, 'ensoras');
$fluentbot = new Signer($secret, 'fluentbot');

[$sdk, $std] = compare(
    static function () use ($inviaro, $ids, $calls) {
        for ($i = 0; $i < $calls; $i++) {
            $inviaro->sign(['user_id' => $ids[$i & 1023]]);
        }
    },
    static function () use ($secret, $ids, $calls) {
        for ($i = 0; $i < $calls; $i++) {
            hash_hmac('sha256', $ids[$i & 1023], $secret);
        }
    },
    $calls,
    $rounds,
);
report('inviaro', $sdk, $std);

[$sdk, $std] = compare(
    static function () use ($ensoras, $emails, $calls) {
        for ($i = 0; $i < $calls; $i++) {
            $ensoras->sign(['email' => $emails[$i & 1023]]);
        }
    },
    static function () use ($secret, $emails, $calls) {
        for ($i = 0; $i < $calls; $i++) {
            hash_hmac('sha256', strtolower($emails[$i & 1023]), $secret);
        }
    },
    $calls,
    $rounds,
);
report('ensoras', $sdk, $std);

// Per request, as PHP serves one (share-nothing: no Signer outlives its request): a new Signer
// and one sign, the library already loaded (FFI::scope under opcache.preload, or a worker's
// second request in the CLI), against the snippet.
$reqCalls = intdiv($calls, 4);
[$sdk, $std] = compare(
    static function () use ($secret, $emails, $reqCalls) {
        for ($i = 0; $i < $reqCalls; $i++) {
            (new Signer($secret, 'ensoras'))->sign(['email' => $emails[$i & 1023]]);
        }
    },
    static function () use ($secret, $emails, $reqCalls) {
        for ($i = 0; $i < $reqCalls; $i++) {
            hash_hmac('sha256', strtolower($emails[$i & 1023]), $secret);
        }
    },
    $reqCalls,
    $rounds,
);
report('request', $sdk, $std);

// The same without preloading: each request also reads the declarations and runs FFI::cdef
// (what Library does when FFI::scope('userhash') is not there).
$coldCalls = $smoke ? 5 : 1000;
[$sdk, $std] = compare(
    static function () use ($secret, $emails, $coldCalls) {
        for ($i = 0; $i < $coldCalls; $i++) {
            FFI::cdef((string) file_get_contents(\dirname(__DIR__) . '/src/userhash.ffi.h'), Userhash\Library::path());
            (new Signer($secret, 'ensoras'))->sign(['email' => $emails[$i & 1023]]);
        }
    },
    static function () use ($secret, $emails, $coldCalls) {
        for ($i = 0; $i < $coldCalls; $i++) {
            hash_hmac('sha256', strtolower($emails[$i & 1023]), $secret);
        }
    },
    $coldCalls,
    $smoke ? 1 : 5,
);
report('request_no_preload', $sdk, $std);

// A realistic FluentBot visitor: name, email and ~10 data fields, ~300 bytes of JSON.
$visitors = [];
for ($i = 0; $i < 64; $i++) {
    $visitors[] = [
        'name' => "Alice Liddell {$i}",
        'email' => "alice.liddell+{$i}@wonderland-example.com",
        'data' => [
            'plan' => 'enterprise',
            'account_id' => 'ACME-' . (1000 + $i),
            'company' => 'Acme Corporation Ltd',
            'seats' => 25 + $i,
            'mrr' => 1299.5,
            'trial' => false,
            'signed_up_at' => '2024-03-11T09:12:44Z',
            'country' => 'GB',
            'role' => 'admin',
            'tags' => ['beta', 'sso', 'priority'],
        ],
    ];
}
$fbCalls = intdiv($calls, 2);
[$sdk, $std] = compare(
    static function () use ($fluentbot, $visitors, $fbCalls) {
        for ($i = 0; $i < $fbCalls; $i++) {
            $fluentbot->sign(['visitor' => $visitors[$i & 63]]);
        }
    },
    static function () use ($secret, $visitors, $fbCalls) {
        for ($i = 0; $i < $fbCalls; $i++) {
            $visitor = $visitors[$i & 63];
            $payload = json_encode([
                'name' => $visitor['name'],
                'email' => $visitor['email'],
                'data' => $visitor['data'] ?? null,
            ], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
            hash_hmac('sha256', $payload, $secret);
        }
    },
    $fbCalls,
    $rounds,
);
report('fluentbot', $sdk, $std);
fprintf(STDERR, "# fluentbot visitor JSON: %d bytes\n", \strlen(json_encode($visitors[0], JSON_UNESCAPED_SLASHES)));

// Batch: 1 000 000 ids through signMany against a hash_hmac loop building the same list.
$many = [];
for ($i = 0; $i < $batch; $i++) {
    $many[] = 'usr_' . (10_000_000 + $i);
}
$stdlibLoop = static function () use ($secret, $many) {
    $out = [];
    foreach ($many as $id) {
        $out[] = hash_hmac('sha256', $id, $secret);
    }

    return $out;
};
[$sdk, $std] = compare(static fn () => $inviaro->signMany($many), $stdlibLoop, $batch, $batchRounds);
report('sign_many', $sdk, $std);

// The same list signed one FFI call per id (what signMany saves).
[$sdk, $std] = compare(
    static function () use ($inviaro, $many) {
        $out = [];
        foreach ($many as $id) {
            $out[] = $inviaro->sign(['user_id' => $id]);
        }

        return $out;
    },
    $stdlibLoop,
    $batch,
    $smoke ? 1 : 5,
);
report('sign_loop', $sdk, $std);

if ($smoke) {
    // The batch must agree with the per-call API and the snippet it replaces.
    $hashes = $inviaro->signMany($many);
    $last = \count($many) - 1;
    if ($hashes[$last] !== hash_hmac('sha256', $many[$last], $secret) || $hashes[0] !== $inviaro->sign(['user_id' => $many[0]])) {
        fwrite(STDERR, "bench smoke: signMany disagrees with hash_hmac\n");
        exit(1);
    }
}
