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
        unset($env['USERHASH_EMBED_TEST_ROUTE']);
        // php -S runs requests in the document root: pin the library path first.
        $env['USERHASH_LIB'] = \Userhash\Library::path();
        if (is_file($env['USERHASH_LIB'])) {
            $env['USERHASH_LIB'] = (string) realpath($env['USERHASH_LIB']);
        }
        $cmd = [\PHP_BINARY, '-d', 'ffi.enable=1', '-S', "127.0.0.1:{$port}", \dirname(__DIR__) . '/router.php'];
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

    /** @return array{int, string, list<string>} status code, body and headers */
    private static function get(string $query, string $method = 'GET'): array
    {
        $context = stream_context_create(['http' => ['method' => $method, 'ignore_errors' => true, 'timeout' => 10]]);
        $body = file_get_contents(self::$base . $query, false, $context);
        self::assertIsString($body, 'request failed; server log: ' . file_get_contents(self::$log));
        preg_match('~^HTTP/\S+ (\d+)~', $http_response_header[0] ?? '', $m);

        return [(int) ($m[1] ?? 0), $body, $http_response_header];
    }

    /**
     * The visitor object FluentBot's widget receives: the second argument of
     * injectWidget() in the page, as the browser's JS parses it (the snippet
     * is JSON with <, >, &, U+2028/9 as \u escapes, which JSON decoding undoes).
     *
     * @return array{string, string} the visitor JSON (without signature) and the signature
     */
    private static function widgetVisitor(string $html): array
    {
        self::assertSame(1, preg_match('~FluentBotChatWidget\.injectWidget\("YOUR_BOT_ID", (\{.*\})\);\n~', $html, $m), $html);
        self::assertStringNotContainsString('</script><script>', $m[1]);
        $args = json_decode($m[1], false, 512, \JSON_THROW_ON_ERROR);
        $signature = $args->visitor->signature;
        unset($args->visitor->signature);

        return [json_encode($args->visitor, \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES | \JSON_PRESERVE_ZERO_FRACTION), $signature];
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
        [$status, $html, $headers] = self::get("?user={$user}");
        self::assertSame(200, $status, $html);
        [$visitorJson, $signature] = self::widgetVisitor($html);
        self::assertMatchesRegularExpression('~^[0-9a-f]{64}$~', $signature, 'no signature; server log: ' . file_get_contents(self::$log));
        self::assertSame(self::oracle($visitorJson), $signature);
        self::assertStringNotContainsString(self::SECRET, $html);
        // Every script tag carries the response's CSP nonce.
        $csp = preg_grep('~^Content-Security-Policy:~i', $headers);
        self::assertCount(1, $csp);
        self::assertSame(1, preg_match("~script-src 'nonce-([A-Za-z0-9_-]+)'~", (string) reset($csp), $n));
        self::assertSame(substr_count($html, '<script'), substr_count($html, "nonce=\"{$n[1]}\""));
    }

    /** Why the example exists: the vendor's PHP snippet disagrees with its Node snippet here. */
    public function testTheVendorsPhpSnippetWouldHaveFailedForZoe(): void
    {
        [, $html] = self::get('?user=zoe');
        [$visitorJson, $signature] = self::widgetVisitor($html);
        // FluentBot's documented PHP snippet, verbatim (arrays decoded as the app holds them).
        $app = json_decode($visitorJson, true);
        $app['data']['price'] = 9.0;
        $app['data']['limits'] = new \stdClass();
        $payload = json_encode(['name' => $app['name'], 'email' => $app['email'], 'data' => $app['data'] ?? null], \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE);
        self::assertNotSame($signature, hash_hmac('sha256', $payload, self::SECRET));
        self::assertSame(self::oracle($visitorJson), $signature);
        self::assertStringContainsString('window.pwned=1', json_decode($visitorJson)->name);
    }

    public function testUnknownUserIs404(): void
    {
        [$status] = self::get('?user=mallory');
        self::assertSame(404, $status);
    }

    /** The browser test's route exists only with USERHASH_EMBED_TEST_ROUTE=1 (not set here). */
    public function testTheEmbedTestRouteIsOffByDefault(): void
    {
        [$status] = self::get('userhash/embed', 'POST');
        self::assertSame(404, $status);
    }
}
