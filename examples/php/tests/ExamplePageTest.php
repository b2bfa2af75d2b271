<?php

declare(strict_types=1);

namespace Userhash\Examples\Tests;

use PHPUnit\Framework\TestCase;

/**
 * Serves examples/php with `php -S 127.0.0.1:<free port>`, fetches the page as
 * a browser would, and checks the signature with FluentBot's own Node snippet
 * (the oracle) — never with userhash.
 */
final class ExamplePageTest extends TestCase
{
    private const SECRET = 'fb-team-secret-for-the-example';

    /** @var resource|null */
    private static $server = null;
    private static string $base = '';
    private static string $log = '';

    public static function setUpBeforeClass(): void
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        self::assertNotFalse($probe, $errstr);
        $port = (int) substr(strrchr((string) stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);

        self::$log = tempnam(sys_get_temp_dir(), 'userhash-php-example-');
        $env = getenv();
        $env['FLUENTBOT_IDENTITY_SECRET'] = self::SECRET;
        // php -S runs requests in the document root: pin the library path first.
        $env['USERHASH_LIB'] = \Userhash\Library::path();
        if (is_file($env['USERHASH_LIB'])) {
            $env['USERHASH_LIB'] = (string) realpath($env['USERHASH_LIB']);
        }
        $cmd = [\PHP_BINARY, '-d', 'ffi.enable=1', '-S', "127.0.0.1:{$port}", '-t', \dirname(__DIR__)];
        self::$server = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', self::$log, 'a'], 2 => ['file', self::$log, 'a']], $pipes, null, $env);
        self::assertIsResource(self::$server);
        self::$base = "http://127.0.0.1:{$port}/";
        for ($i = 0; $i < 100; $i++) {
            $conn = @stream_socket_client("tcp://127.0.0.1:{$port}", $errno, $errstr, 0.1);
            if ($conn !== false) {
                fclose($conn);

                return;
            }
            usleep(100_000);
        }
        self::fail('php -S did not start: ' . file_get_contents(self::$log));
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$server !== null) {
            proc_terminate(self::$server);
            proc_close(self::$server);
            self::$server = null;
        }
        @unlink(self::$log);
    }

    /** @return array{int, string} status code and body */
    private static function get(string $query): array
    {
        $context = stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 10]]);
        $body = file_get_contents(self::$base . $query, false, $context);
        self::assertIsString($body, 'request failed; server log: ' . file_get_contents(self::$log));
        preg_match('~^HTTP/\S+ (\d+)~', $http_response_header[0] ?? '', $m);

        return [(int) ($m[1] ?? 0), $body];
    }

    /** FluentBot's Node snippet, verbatim, over the visitor as the browser parses it. */
    private static function oracle(string $visitorJson): string
    {
        $node = trim((string) shell_exec('command -v node'));
        if ($node === '') {
            self::markTestSkipped('node (the oracle) is not installed');
        }
        $js = <<<'JS'
            const crypto = require("node:crypto");
            function signVisitor(visitor, secret) { const payload = JSON.stringify({ name: visitor.name, email: visitor.email, data: visitor.data ?? null, });
            return crypto.createHmac("sha256", secret).update(payload).digest("hex");}
            const visitor = JSON.parse(process.argv[1]);
            process.stdout.write(signVisitor(visitor, process.env.FLUENTBOT_IDENTITY_SECRET));
            JS;
        $cmd = 'FLUENTBOT_IDENTITY_SECRET=' . escapeshellarg(self::SECRET) . ' ' . escapeshellarg($node)
            . ' -e ' . escapeshellarg($js) . ' ' . escapeshellarg($visitorJson);

        return (string) shell_exec($cmd);
    }

    /** @return array<string, array{string}> */
    public function users(): array
    {
        return ['alice' => ['alice'], 'zoe' => ['zoe'], 'bob' => ['bob']];
    }

    /** @dataProvider users */
    public function testPageSignsTheVisitorAsFluentBotDoes(string $user): void
    {
        [$status, $html] = self::get("?user={$user}");
        self::assertSame(200, $status, $html);
        self::assertMatchesRegularExpression('~<script id="fluentbot-visitor" type="application/json">(.*?)</script>~s', $html);
        preg_match('~<script id="fluentbot-visitor" type="application/json">(.*?)</script>~s', $html, $m);
        $visitor = json_decode($m[1], true, 512, \JSON_THROW_ON_ERROR);
        self::assertMatchesRegularExpression('~^[0-9a-f]{64}$~', $visitor['signature'] ?? '', 'no signature; server log: ' . file_get_contents(self::$log));
        self::assertSame(self::oracle($m[1]), $visitor['signature']);
        self::assertStringContainsString('FluentBotChatWidget.injectWidget(', $html);
        self::assertStringNotContainsString(self::SECRET, $html);
    }

    /** Why the example exists: the vendor's PHP snippet disagrees with its Node snippet here. */
    public function testTheVendorsPhpSnippetWouldHaveFailedForZoe(): void
    {
        [, $html] = self::get('?user=zoe');
        preg_match('~<script id="fluentbot-visitor" type="application/json">(.*?)</script>~s', $html, $m);
        $visitor = json_decode($m[1], false, 512, \JSON_THROW_ON_ERROR);
        // FluentBot's documented PHP snippet, verbatim (arrays decoded as the app holds them).
        $app = json_decode($m[1], true);
        $app['data']['price'] = 9.0;
        $app['data']['limits'] = new \stdClass();
        $payload = json_encode(['name' => $app['name'], 'email' => $app['email'], 'data' => $app['data'] ?? null], \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE);
        self::assertNotSame($visitor->signature, hash_hmac('sha256', $payload, self::SECRET));
        self::assertSame(self::oracle($m[1]), $visitor->signature);
    }

    public function testUnknownUserIs404(): void
    {
        [$status] = self::get('?user=mallory');
        self::assertSame(404, $status);
    }
}
