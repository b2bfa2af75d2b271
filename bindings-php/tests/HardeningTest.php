<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\EmptySecretException;
use Userhash\Signer;
use Userhash\UserhashException;

/**
 * Issue 8 for PHP: a million calls with flat memory, concurrent use (forked
 * workers sharing a Signer, the library's own threads inside PHP), and a
 * marker secret that never shows anywhere.
 */
final class HardeningTest extends TestCase
{
    private const MARKER = 'MARKER-s3cret-7f3a9c-never-show';

    private static function rss(): int
    {
        $statm = @file_get_contents('/proc/self/statm');

        return $statm === false ? 0 : (int) explode(' ', $statm)[1] * 4096;
    }

    private static function say(string $line): void
    {
        fwrite(\STDERR, "\n[php hardening] {$line}\n");
    }

    public function testAMillionSignCallsKeepMemoryFlat(): void
    {
        if (self::rss() === 0) {
            self::markTestSkipped('no /proc/self/statm');
        }
        $ensoras = new Signer('s3cr3t', 'ensoras');
        $inviaro = new Signer('s3cr3t', 'inviaro');
        $fluentbot = new Signer('s3cr3t', 'fluentbot');
        $visitor = ['name' => 'Ann', 'email' => 'ann@x.com', 'data' => ['plan' => 'pro', 'n' => 1.5]];
        $expected = hash_hmac('sha256', 'customer.997@example.com', 's3cr3t'); // i = 999 997, the last email
        // 80% the string fast path, 10% integer ids and 10% visitors through JSON.
        $run = static function (int $n) use ($ensoras, $inviaro, $fluentbot, $visitor): string {
            $last = '';
            for ($i = 0; $i < $n; $i++) {
                $k = $i % 10;
                if ($k === 8) {
                    $inviaro->sign(['user_id' => $i]);
                } elseif ($k === 9) {
                    $visitor['data']['n'] = $i;
                    $fluentbot->sign(['visitor' => $visitor]);
                } else {
                    $last = $ensoras->sign(['email' => 'Customer.' . ($i % 1000) . '@Example.COM']);
                }
            }

            return $last;
        };
        $run(20_000); // warm up: the allocator's pools, the library's first allocations
        $before = self::rss();
        $t = hrtime(true);
        $last = $run(1_000_000);
        $seconds = (hrtime(true) - $t) / 1e9;
        $after = self::rss();
        self::assertSame($expected, $last);
        self::say(sprintf(
            '1000000 sign calls in %.1f s: RSS %.1f MiB before, %.1f MiB after (%+d KiB)',
            $seconds,
            $before / 1048576,
            $after / 1048576,
            intdiv($after - $before, 1024),
        ));
        self::assertLessThan(2 << 20, $after - $before, 'RSS grew by more than 2 MiB');
    }

    public function testBatchesKeepMemoryFlat(): void
    {
        if (self::rss() === 0) {
            self::markTestSkipped('no /proc/self/statm');
        }
        $signer = new Signer('s3cr3t', 'inviaro');
        $ids = range(1, 50_000);
        $bad = $ids;
        $bad[40_000] = '';
        $round = static function () use ($signer, $ids, $bad): void {
            $hashes = $signer->signMany($ids);
            self::assertSame(hash_hmac('sha256', '50000', 's3cr3t'), $hashes[49_999]);
            try {
                $signer->signMany($bad);
                self::fail('expected empty_identity');
            } catch (UserhashException) {
            }
        };
        for ($i = 0; $i < 5; $i++) {
            $round();
        }
        gc_collect_cycles();
        $before = self::rss();
        for ($i = 0; $i < 40; $i++) {
            $round();
        }
        gc_collect_cycles();
        $after = self::rss();
        self::say(sprintf('40 x signMany(50000) + 40 failed batches: RSS %.1f MiB before, %.1f MiB after', $before / 1048576, $after / 1048576));
        self::assertLessThan(8 << 20, $after - $before, 'RSS grew by more than 8 MiB');
    }

    /**
     * PHP has no threads in its standard builds; its concurrency is processes
     * (php-fpm workers forked from one master). A Signer built before fork() is
     * used by several workers at once, each also running batches on the
     * library's own threads (spawned inside the forked PHP process).
     */
    public function testForkedWorkersShareASigner(): void
    {
        if (!\function_exists('pcntl_fork') || !\function_exists('posix_kill')) {
            self::markTestSkipped('pcntl/posix not available');
        }
        $signer = new Signer('s3cr3t', 'inviaro');
        $ids = [];
        for ($i = 0; $i < 20_000; $i++) {
            $ids[] = "usr_{$i}";
        }
        $expected = array_map(static fn (string $id): string => hash_hmac('sha256', $id, 's3cr3t'), $ids);
        $work = static function (int $worker) use ($signer, $ids): string {
            $ctx = hash_init('sha256');
            for ($round = 0; $round < 3; $round++) {
                foreach ($signer->signMany($ids) as $hash) {
                    hash_update($ctx, $hash);
                }
                for ($i = $worker; $i < 20_000; $i += 7) {
                    hash_update($ctx, $signer->sign(['user_id' => $ids[$i]]));
                }
            }

            return hash_final($ctx);
        };
        $want = static function (int $worker) use ($expected): string {
            $ctx = hash_init('sha256');
            for ($round = 0; $round < 3; $round++) {
                foreach ($expected as $hash) {
                    hash_update($ctx, $hash);
                }
                for ($i = $worker; $i < 20_000; $i += 7) {
                    hash_update($ctx, $expected[$i]);
                }
            }

            return hash_final($ctx);
        };

        $children = [];
        for ($worker = 1; $worker <= 3; $worker++) {
            $file = (string) tempnam(sys_get_temp_dir(), 'userhash-php-fork-');
            $pid = pcntl_fork();
            self::assertNotSame(-1, $pid, 'fork failed');
            if ($pid === 0) {
                // The child: work, write the digest, and leave without running
                // PHPUnit's (the parent's) shutdown code.
                try {
                    file_put_contents($file, $work($worker));
                } catch (\Throwable $e) {
                    file_put_contents($file, 'error: ' . $e->getMessage());
                }
                posix_kill(posix_getpid(), \SIGKILL);
            }
            $children[$worker] = [$pid, $file];
        }
        self::assertSame($want(0), $work(0), 'the parent, while the workers run');
        foreach ($children as $worker => [$pid, $file]) {
            pcntl_waitpid($pid, $status);
            $got = (string) file_get_contents($file);
            unlink($file);
            self::assertSame($want($worker), $got, "worker {$worker}");
        }
    }

    /** Everything a user can print, dump, log or catch, for every public object. */
    public function testTheMarkerSecretNeverShows(): void
    {
        putenv('USERHASH_PHP_MARKER=' . self::MARKER);
        putenv('USERHASH_PHP_MARKER_OLD=' . self::MARKER . '-old');
        $old = ini_set('zend.exception_ignore_args', '0');
        try {
            $signers = [
                new Signer(self::MARKER, 'ensoras', [self::MARKER . '-old']),
                Signer::fromEnv('USERHASH_PHP_MARKER', 'fluentbot', ['USERHASH_PHP_MARKER_OLD']),
                new Signer(self::MARKER, 'supportwire'),
            ];
            $shown = '';
            foreach ($signers as $signer) {
                ob_start();
                var_dump($signer);
                print_r($signer);
                var_export($signer);
                debug_zval_dump($signer);
                var_dump((array) $signer);
                var_dump(get_object_vars($signer));
                echo json_encode($signer), json_encode((array) $signer, \JSON_PARTIAL_OUTPUT_ON_ERROR);
                foreach ((new \ReflectionObject($signer))->getProperties() as $property) {
                    var_dump($property->getValue($signer));
                }
                $shown .= (string) ob_get_clean();
            }
            self::assertStringContainsString('ensoras', $shown);
            self::assertStringNotContainsString(self::MARKER, $shown);

            [$ensoras, $fluentbot, $supportwire] = $signers;
            $failures = [
                static fn () => new Signer(self::MARKER, 'no-such-preset'),
                static fn () => new Signer(self::MARKER, 'ensoras', ['']),
                static fn () => new Signer('', 'ensoras', [self::MARKER]),
                static fn () => new Signer(self::MARKER, 'ensoras', [42]),
                static fn () => Signer::fromEnv('USERHASH_PHP_MARKER', 'nope'),
                static fn () => Signer::fromEnv('USERHASH_PHP_MARKER', 'ensoras', ['USERHASH_PHP_UNSET_VAR']),
                static fn () => $ensoras->sign(['email' => '']),
                static fn () => $ensoras->sign(['email' => "\xff"]),
                static fn () => $ensoras->sign(['user_id' => 1]),
                static fn () => $ensoras->verify(str_repeat('0', 64), ['email' => ' ']),
                static fn () => $ensoras->canonical(['visitor' => new \DateTime()]),
                static fn () => $ensoras->signMany(['a', '']),
                static fn () => $ensoras->signMany(['a'], 'nope'),
                static fn () => $supportwire->signMany(['a']),
                static fn () => $fluentbot->signMany([['name' => 'x', 'data' => [new \SplStack()]]]),
                static fn () => $fluentbot->embed(['visitor' => ['name' => 'x']], []),
                static fn () => $ensoras->embed(['email' => 'a@x.com'], ['widget' => 'w', 'bogus' => 1]),
                static fn () => serialize($ensoras),
                static fn () => clone $ensoras,
            ];
            foreach ($failures as $i => $fail) {
                try {
                    $fail();
                    self::fail("case {$i}: expected an exception");
                } catch (\Throwable $e) {
                    // The message, the string form with its trace, and the full
                    // arguments of every userhash frame (not PHPUnit's: huge).
                    $text = $e->getMessage() . "\n" . $e . "\n" . $e->getTraceAsString() . "\n";
                    for ($p = $e; $p !== null; $p = $p->getPrevious()) {
                        $text .= $p;
                        foreach ($p->getTrace() as $frame) {
                            if (str_starts_with($frame['class'] ?? '', 'Userhash\\') && !str_starts_with($frame['class'], 'Userhash\\Tests')) {
                                $text .= print_r($frame['args'] ?? [], true);
                            }
                        }
                    }
                    self::assertStringNotContainsString(self::MARKER, $text, "case {$i}");
                    if ($e instanceof UserhashException) {
                        self::assertStringNotContainsString(self::MARKER, $e->getErrorCode());
                    }
                }
            }
        } finally {
            ini_set('zend.exception_ignore_args', (string) $old);
            putenv('USERHASH_PHP_MARKER');
            putenv('USERHASH_PHP_MARKER_OLD');
        }
    }

    public function testEmptySecretsNameTheProblemNotTheValue(): void
    {
        try {
            new Signer('', 'ensoras');
            self::fail('expected empty_secret');
        } catch (EmptySecretException $e) {
            self::assertSame('empty_secret', $e->getErrorCode());
        }
    }
}
