<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\EmptyIdentityException;
use Userhash\EmptySecretException;
use Userhash\InvalidInputException;
use Userhash\Library;
use Userhash\InvalidUtf8Exception;
use Userhash\Signer;
use Userhash\TooDeepException;
use Userhash\UnknownPresetException;
use Userhash\UserhashException;

enum Plan: string
{
    case Pro = 'pro';
}

enum Colour
{
    case Red;
}

final class Money implements \JsonSerializable
{
    public function __construct(private int $cents)
    {
    }

    public function jsonSerialize(): mixed
    {
        return ['cents' => $this->cents, 'currency' => 'EUR'];
    }
}

final class PlainUser
{
    public string $email = 'a@x.com';
}

/**
 * The public API. Expected hashes come from PHP's hash_hmac over canonical
 * strings written out by hand from the JS rules (or from Node itself), never
 * from userhash checking itself.
 */
final class SignerTest extends TestCase
{
    private const SECRET = 's3cr3t';
    private const LEAKY = 'sup3r-S3CRET-value-do-not-log';

    private static function hmac(string $canonical, string $secret = self::SECRET): string
    {
        return hash_hmac('sha256', $canonical, $secret);
    }

    /** @param array<string, mixed> $input */
    private static function assertSigns(Signer $signer, string $canonical, array $input, string $secret = self::SECRET): void
    {
        self::assertSame($canonical, $signer->canonical($input));
        $hash = self::hmac($canonical, $secret);
        self::assertSame($hash, $signer->sign($input));
        self::assertTrue($signer->verify($hash, $input));
    }

    /**
     * @param array<string, mixed> $input
     * @param class-string<UserhashException> $class
     */
    private static function assertRaises(string $class, string $code, Signer $signer, array $input, ?string $messagePart = null): void
    {
        foreach (['sign', 'canonical', 'verify'] as $method) {
            try {
                $method === 'verify' ? $signer->verify(str_repeat('a', 64), $input) : $signer->{$method}($input);
                self::fail("{$method} did not raise {$code}");
            } catch (UserhashException $e) {
                self::assertInstanceOf($class, $e, "{$method}: {$e->getMessage()}");
                self::assertSame($code, $e->getErrorCode());
                self::assertSame($code, $e->errorCode);
                self::assertSame(self::status($code), $e->getCode());
                if ($messagePart !== null) {
                    self::assertStringContainsString($messagePart, $e->getMessage());
                }
            }
        }
    }

    /** The C status number of `$code`, read from the header's #defines (not from the binding). */
    private static function status(string $code): int
    {
        $header = (string) file_get_contents(\dirname(__DIR__, 2) . '/bindings-c/include/userhash.h');
        self::assertSame(1, preg_match('~\* `' . $code . '`: .*?\*/\s*#define USERHASH_\w+ (\d+)~s', $header, $m), $code);

        return (int) $m[1];
    }

    public function testEnsorasCheckValue(): void
    {
        $signer = new Signer(self::SECRET, 'ensoras');
        $input = ['email' => 'Alice@Example.COM'];
        self::assertSame('ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995', $signer->sign($input));
        self::assertSame('alice@example.com', $signer->canonical($input));
    }

    public function testEveryPreset(): void
    {
        self::assertSigns(new Signer(self::SECRET, 'layerup'), 'Alice@Example.COM', ['email' => 'Alice@Example.COM']);
        self::assertSigns(new Signer(self::SECRET, 'inviaro'), 'usr_42', ['user_id' => 'usr_42']);
        self::assertSigns(new Signer(self::SECRET, 'inviaro'), '42', ['user_id' => 42]);
        self::assertSigns(new Signer(self::SECRET, 'inviaro'), '-9223372036854775808', ['userId' => \PHP_INT_MIN]);
        self::assertSigns(new Signer(self::SECRET, 'ensoras'), 'straße@x.de', ['email' => 'STRAẞE@X.DE']);
        $sw = new Signer(self::SECRET, 'supportwire');
        self::assertSigns($sw, 'alice@example.com', ['email' => "\u{FEFF} Alice@Example.COM\u{3000}"]);
        self::assertSigns($sw, 'usr_7', ['external_id' => ' USR_7 ', 'email' => 'x@y.z']);
        self::assertSigns($sw, 'x@y.z', ['externalId' => null, 'email' => 'X@Y.Z']);
        self::assertSigns(
            new Signer(self::SECRET, 'fluentbot'),
            '{"name":"Alice","email":"Alice@Example.COM","data":{"plan":"pro"}}',
            ['visitor' => ['email' => 'Alice@Example.COM', 'data' => ['plan' => 'pro'], 'name' => 'Alice']],
        );
        self::assertSigns(new Signer(self::SECRET, 'email:trim_lowercase'), 'a@b.c', ['email' => ' A@B.C ']);
    }

    public function testFastPathAgreesWithJsonPath(): void
    {
        foreach (['layerup' => 'email', 'ensoras' => 'email', 'inviaro' => 'user_id', 'supportwire' => 'external_id'] as $preset => $field) {
            $signer = new Signer(self::SECRET, $preset);
            foreach (["Ünïcode \u{2028} İ Σ@x", "nul\0inside", " pad ", '</script>&"\\'] as $value) {
                $input = [$field => $value];
                self::assertSame(self::hmac($signer->canonical($input)), $signer->sign($input), "{$preset} {$field}");
            }
        }
        $signer = new Signer(self::SECRET, 'inviaro');
        self::assertSame($signer->sign(['user_id' => 'u1']), $signer->sign(['userId' => 'u1']));
        // A visitor's JSON text, in JSON.stringify form or not (2.0 crosses as "2.0"), hand-written canonical.
        $fluentbot = new Signer(self::SECRET, 'fluentbot');
        self::assertSame(self::hmac('{"name":"Ann","data":{"n":2,"x":"é/","m":1.5}}'), $fluentbot->sign(['visitor' => ['name' => 'Ann', 'data' => ['n' => 2.0, 'x' => 'é/', 'm' => 1.5]]]));
        self::assertSame(self::hmac('{"name":"Ann","data":{"n":2}}'), $fluentbot->sign(['visitor' => ['data' => ['n' => 2], 'name' => 'Ann']]));
        // The batch field's short calls return a status only: on failure the full call names the error.
        foreach ([['ensoras', ['email' => ''], 'empty_identity', 'email'], ['inviaro', ['user_id' => 1.0], 'invalid_input', 'user_id'], ['fluentbot', ['visitor' => ['name' => '', 'email' => null]], 'empty_identity', 'visitor']] as [$preset, $input, $code, $part]) {
            try {
                (new Signer(self::SECRET, $preset))->sign($input);
                self::fail("{$preset}: no error");
            } catch (UserhashException $e) {
                self::assertSame([$code, true], [$e->getErrorCode(), str_contains($e->getMessage(), $part)], $e->getMessage());
            }
        }
    }

    public function testNulBytesAreData(): void
    {
        self::assertSigns(new Signer(self::SECRET, 'ensoras'), "a\0b@x.com", ['email' => "A\0B@X.com"]);
        self::assertSigns(new Signer("s\0t", 'layerup'), "a\0", ['email' => "a\0"], "s\0t");
        self::assertSigns(
            new Signer(self::SECRET, 'fluentbot'),
            '{"name":"a\\u0000b","data":{"k\\u0000":"\\u001f\\b"}}',
            ['visitor' => ['name' => "a\0b", 'data' => ["k\0" => "\x1f\x08"]]],
        );
    }

    public function testLongAndBinarySecrets(): void
    {
        $long = str_repeat('k', 200);
        self::assertSigns(new Signer($long, 'layerup'), 'a@b.c', ['email' => 'a@b.c'], $long);
        $binary = "\xff\xfe\x00\x80";
        self::assertSigns(new Signer($binary, 'layerup'), 'a@b.c', ['email' => 'a@b.c'], $binary);
    }

    public function testPreviousSecretsOnlyVerify(): void
    {
        $old = new Signer('old-secret', 'ensoras');
        $new = new Signer('new-secret', 'ensoras', previous: ['older', 'old-secret']);
        $input = ['email' => 'A@B.C'];
        self::assertSame(self::hmac('a@b.c', 'new-secret'), $new->sign($input));
        self::assertTrue($new->verify($old->sign($input), $input));
        self::assertTrue($new->verify(self::hmac('a@b.c', 'older'), $input));
        self::assertFalse($new->verify(self::hmac('a@b.c', 'unknown'), $input));
        self::assertFalse($old->verify($new->sign($input), $input));
        self::assertSame(2, $new->previousCount());
        self::assertSame('ensoras', $new->preset());
    }

    public function testMalformedHashesAreFalse(): void
    {
        $signer = new Signer(self::SECRET, 'ensoras');
        $input = ['email' => 'Alice@Example.COM'];
        $hash = $signer->sign($input);
        foreach (['', 'abc', strtoupper($hash), $hash . '0', substr($hash, 1), " {$hash}", str_repeat('g', 64), "{$hash}\0", "\xff" . substr($hash, 1)] as $bad) {
            self::assertFalse($signer->verify($bad, $input), var_export($bad, true));
        }
    }

    public function testConstructionErrors(): void
    {
        foreach ([
            [EmptySecretException::class, 'empty_secret', fn () => new Signer('', 'ensoras')],
            [EmptySecretException::class, 'empty_secret', fn () => new Signer('x', 'ensoras', previous: ['ok', ''])],
            [EmptySecretException::class, 'empty_secret', fn () => new Signer('', 'nope')],
            [UnknownPresetException::class, 'unknown_preset', fn () => new Signer('x', 'Ensoras')],
            [UnknownPresetException::class, 'unknown_preset', fn () => new Signer('x', "ensoras\0")],
            [UnknownPresetException::class, 'unknown_preset', fn () => new Signer('x', '')],
        ] as [$class, $code, $build]) {
            try {
                $build();
                self::fail("expected {$code}");
            } catch (UserhashException $e) {
                self::assertInstanceOf($class, $e);
                self::assertSame($code, $e->getErrorCode());
            }
        }
        $this->expectException(\TypeError::class);
        new Signer('x', 'ensoras', previous: [42]);
    }

    public function testInputErrors(): void
    {
        $ensoras = new Signer(self::SECRET, 'ensoras');
        self::assertRaises(InvalidInputException::class, 'invalid_input', $ensoras, [], 'missing field email');
        self::assertRaises(InvalidInputException::class, 'invalid_input', $ensoras, ['mail' => 'a@b.c'], 'unknown field');
        self::assertRaises(InvalidInputException::class, 'invalid_input', $ensoras, ['a@b.c']);
        self::assertRaises(InvalidInputException::class, 'invalid_input', $ensoras, ['email' => 42]);
        self::assertRaises(InvalidInputException::class, 'invalid_input', $ensoras, ['email' => 'a@b.c', 'user_id' => 'u']);
        self::assertRaises(EmptyIdentityException::class, 'empty_identity', $ensoras, ['email' => '']);
        $inviaro = new Signer(self::SECRET, 'inviaro');
        // PHP types map to JSON types: bool and float are not ids, even 1.0 or NAN.
        foreach ([true, false, 1.0, 1.5, \NAN, \INF, null, [], new \stdClass()] as $bad) {
            self::assertRaises(InvalidInputException::class, 'invalid_input', $inviaro, ['user_id' => $bad]);
        }
        $fluentbot = new Signer(self::SECRET, 'fluentbot');
        self::assertRaises(InvalidInputException::class, 'invalid_input', $fluentbot, ['visitor' => []]);
        self::assertRaises(InvalidInputException::class, 'invalid_input', $fluentbot, ['visitor' => 'a@b.c']);
        self::assertRaises(EmptyIdentityException::class, 'empty_identity', $fluentbot, ['visitor' => new \stdClass()]);
        self::assertRaises(EmptyIdentityException::class, 'empty_identity', $fluentbot, ['visitor' => ['name' => null, 'email' => '']]);
    }

    public function testInvalidUtf8IsNeverSubstituted(): void
    {
        $bad = ["\xff", "a\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xF0\x9F\x98"];
        $ensoras = new Signer(self::SECRET, 'ensoras');
        $fluentbot = new Signer(self::SECRET, 'fluentbot');
        foreach ($bad as $s) {
            self::assertRaises(InvalidUtf8Exception::class, 'invalid_utf8', $ensoras, ['email' => $s]);
            self::assertRaises(InvalidUtf8Exception::class, 'invalid_utf8', $fluentbot, ['visitor' => ['name' => $s]], 'visitor.name');
            self::assertRaises(InvalidUtf8Exception::class, 'invalid_utf8', $fluentbot, ['visitor' => ['data' => ['tags' => ['ok', $s]]]], 'visitor.data.tags[1]');
            self::assertRaises(InvalidUtf8Exception::class, 'invalid_utf8', $fluentbot, ['visitor' => ['data' => [$s => 1]]], 'visitor.data:');
        }
        self::assertRaises(InvalidUtf8Exception::class, 'invalid_utf8', $ensoras, ["\xff" => 'a@b.c']);
    }

    public function testEmptyObjectVersusEmptyArray(): void
    {
        $signer = new Signer(self::SECRET, 'fluentbot');
        $cases = [
            '{"name":"A","data":[]}' => [],
            '{"name":"A","data":{}}' => new \stdClass(),
            '{"name":"A","data":{"o":{},"a":[],"y":{}}}' => ['o' => (object) [], 'a' => [], 'y' => json_decode('{}')],
            '{"name":"A","data":{"0":"a","1":"b"}}' => (object) ['a', 'b'],
            '{"name":"A","data":["a","b"]}' => ['a', 'b'],
            '{"name":"A","data":{"1":"b","2":"c"}}' => [1 => 'b', 2 => 'c'],
        ];
        foreach ($cases as $canonical => $data) {
            self::assertSigns($signer, $canonical, ['visitor' => ['name' => 'A', 'data' => $data]]);
        }
        // The decoded-JSON style works too: stdClass all the way down, order kept.
        $visitor = json_decode('{"data":{"z":{},"b":[{}],"10":1,"2":2},"name":"A"}');
        self::assertSigns($signer, '{"name":"A","data":{"2":2,"10":1,"z":{},"b":[{}]}}', ['visitor' => $visitor]);
    }

    public function testJsPropertyOrderAndDuplicatesAreTheCoresJob(): void
    {
        $signer = new Signer(self::SECRET, 'fluentbot');
        self::assertSigns(
            $signer,
            '{"name":"A","data":{"2":4,"10":3,"4294967294":5,"b":1,"a":2,"01":6,"4294967295":7,"-1":8}}',
            ['visitor' => ['name' => 'A', 'data' => ['b' => 1, 'a' => 2, '10' => 3, '2' => 4, '4294967294' => 5, '01' => 6, '4294967295' => 7, '-1' => 8]]],
        );
    }

    public function testNumbersFollowJs(): void
    {
        $signer = new Signer(self::SECRET, 'fluentbot');
        self::assertSigns(
            $signer,
            '{"name":"A","data":[1,0.1,1e+21,1e-7,0.000001,0,5e-324,null,null,null,0.30000000000000004,9223372036854776000,-9223372036854776000,1.7976931348623157e+308]}',
            ['visitor' => ['name' => 'A', 'data' => [1.0, 0.1, 1e21, 1e-7, 0.000001, -0.0, 5e-324, \NAN, \INF, -\INF, 0.1 + 0.2, \PHP_INT_MAX, \PHP_INT_MIN, \PHP_FLOAT_MAX]]],
        );
        $old = ini_get('serialize_precision');
        ini_set('serialize_precision', '5');
        try {
            self::assertSame('{"name":"A","data":0.30000000000000004}', $signer->canonical(['visitor' => ['name' => 'A', 'data' => 0.1 + 0.2]]));
        } finally {
            ini_set('serialize_precision', (string) $old);
        }
    }

    /** Random doubles, formatted by Node's own JSON.stringify as the oracle. */
    public function testRandomDoublesMatchNode(): void
    {
        $node = trim((string) shell_exec('command -v node'));
        if ($node === '') {
            self::markTestSkipped('node is not installed');
        }
        $doubles = [];
        while (\count($doubles) < 300) {
            $d = unpack('e', random_bytes(8))[1];
            if (is_finite($d)) {
                $doubles[] = $d;
            }
            $doubles[] = mt_rand() / mt_getrandmax() * 10 ** mt_rand(-30, 30);
        }
        $hex = bin2hex(pack('e*', ...$doubles));
        $js = 'const b=Buffer.from(process.argv[1],"hex");const a=[];for(let i=0;i<b.length;i+=8)a.push(b.readDoubleLE(i));'
            . 'process.stdout.write(JSON.stringify({name:"n",data:a}))';
        $expected = shell_exec(escapeshellarg($node) . ' -e ' . escapeshellarg($js) . ' ' . escapeshellarg($hex));
        self::assertIsString($expected);
        self::assertSame($expected, (new Signer(self::SECRET, 'fluentbot'))->canonical(['visitor' => ['name' => 'n', 'data' => $doubles]]));
    }

    public function testStringsFollowJsonStringify(): void
    {
        // Only " \\ and U+0000-U+001F are escaped; / < > & U+2028 U+2029 DEL and non-ASCII stay raw.
        self::assertSigns(
            new Signer(self::SECRET, 'fluentbot'),
            '{"name":"</script>/&<>' . "\u{2028}\u{2029}é😀" . '\"\\\\\n\t' . "\x7f" . '","data":null}',
            ['visitor' => ['name' => "</script>/&<>\u{2028}\u{2029}é😀\"\\\n\t\x7f"]],
        );
    }

    /** Values with no faithful JSON.stringify form are refused with the core's message and their path. */
    public function testNonJsonValuesNameTheirPath(): void
    {
        $signer = new Signer(self::SECRET, 'fluentbot');
        $stream = fopen('php://memory', 'r');
        $cases = [
            'visitor.data.created_at: DateTimeImmutable is not a JSON value: a date/time' => ['created_at' => new \DateTimeImmutable()],
            'visitor.data.cb: Closure is not a JSON value: only plain data' => ['cb' => fn () => 1],
            'visitor.data.items[1]: resource (stream) is not a JSON value' => ['items' => [1, $stream]],
            'visitor.data.user: Userhash\\Tests\\PlainUser is not a JSON value' => ['user' => new PlainUser()],
            'visitor.data.colour: Userhash\\Tests\\Colour is not a JSON value: pass the member' => ['colour' => Colour::Red],
            'visitor.data.plan: Userhash\\Tests\\Plan is not a JSON value: pass the member' => ['plan' => Plan::Pro],
            'visitor.data.price: Userhash\\Tests\\Money is not a JSON value: userhash does not run serialization hooks' => ['price' => new Money(999)],
            'visitor.data.list: ArrayObject is not a JSON value' => ['list' => new \ArrayObject([1])],
            'visitor.data.n[0]: GMP is not a JSON value: JSON.stringify refuses big integers' => ['n' => [gmp_init('123456789012345678901234567890')]],
        ];
        foreach ($cases as $message => $data) {
            try {
                $signer->sign(['visitor' => ['name' => 'A', 'data' => $data]]);
                self::fail("accepted: {$message}");
            } catch (InvalidInputException $e) {
                self::assertStringStartsWith($message, $e->getMessage());
                self::assertSame(strstr($message, ':', true), $e->getPath());
                self::assertNull($e->getItem());
            }
        }
        fclose($stream);
        self::assertRaises(InvalidInputException::class, 'invalid_input', new Signer(self::SECRET, 'ensoras'), ['email' => new \DateTime()], 'email: DateTime');
        self::assertRaises(InvalidInputException::class, 'invalid_input', new Signer(self::SECRET, 'inviaro'), ['user_id' => gmp_init(7)], 'user_id: GMP');
        self::assertRaises(InvalidInputException::class, 'invalid_input', $signer, ['visitor' => ['data' => new Money(1)]], 'visitor.data: ');
        // A field the scheme does not read is reported first, as in every binding (the core's order).
        self::assertRaises(InvalidInputException::class, 'invalid_input', $signer, ['email' => 'a', 'visitor' => ['data' => new Money(1)]], 'fluentbot signs visitor; unexpected field email');
    }

    /** @return iterable<string, array{callable(int): mixed, int}> */
    public function nesters(): iterable
    {
        yield 'arrays' => [static fn (int $n) => array_reduce(range(1, $n), static fn ($a) => [$a], 'leaf'), 100000];
        yield 'objects' => [static fn (int $n) => array_reduce(range(1, $n), static fn ($a) => (object) ['a' => $a], 'leaf'), 20000];
        yield 'assoc arrays' => [static fn (int $n) => array_reduce(range(1, $n), static fn ($a) => ['a' => $a], 'leaf'), 100000];
    }

    /** @dataProvider nesters */
    public function testDepthLimit(callable $nest, int $deep): void
    {
        $signer = new Signer(self::SECRET, 'fluentbot');
        // The visitor object is level 1 and data level 2: data may nest 127 levels.
        $ok = $signer->canonical(['visitor' => ['data' => $nest(127)]]);
        self::assertSame(128, substr_count($ok, '[') + substr_count($ok, '{'));
        self::assertRaises(TooDeepException::class, 'too_deep', $signer, ['visitor' => ['data' => $nest(128)]]);
        // 100 000 levels are cut off at once. (Only 20 000 for stdClass: PHP itself
        // overflows its stack freeing 100 000 nested objects, with or without userhash.)
        self::assertRaises(TooDeepException::class, 'too_deep', $signer, ['visitor' => ['data' => $nest($deep)]]);
    }

    /** Versions, presets and fields come from the core (checked against the manifest and the documented schemes). */
    public function testTheCoreDescribesItself(): void
    {
        preg_match('~^version = "(.*)"~m', (string) file_get_contents(\dirname(__DIR__, 2) . '/Cargo.toml'), $m);
        self::assertSame($m[1], Signer::version());
        self::assertSame(Library::ffi()->userhash_max_depth(), 128);
        foreach (['layerup', 'inviaro', 'ensoras', 'supportwire', 'fluentbot'] as $preset) {
            self::assertContains($preset, Signer::presets());
            self::assertSame($preset, (new Signer(self::SECRET, $preset))->preset());
        }
        $supportwire = new Signer(self::SECRET, 'supportwire');
        self::assertSame(['external_id', 'email'], $supportwire->fields());
        self::assertNull($supportwire->batchField());
        self::assertSame('visitor', (new Signer(self::SECRET, 'fluentbot'))->batchField());
        $spec = new Signer(self::SECRET, 'user_id:lowercase');
        self::assertSame(['user_id:lowercase', ['user_id'], 'user_id'], [$spec->preset(), $spec->fields(), $spec->batchField()]);
        self::assertSame(0, $spec->previousCount());
    }

    /** Signer options cross as a JSON object and the core judges them. */
    public function testOptionsGoToTheCore(): void
    {
        self::assertSame(self::hmac('a@b.c'), (new Signer(self::SECRET, 'ensoras', [], []))->sign(['email' => 'A@B.C']));
        $hex = new Signer(bin2hex("\x00\xffk"), 'ensoras', [bin2hex('old')], ['secret_encoding' => 'hex']);
        self::assertSame(self::hmac('a@b.c', "\x00\xffk"), $hex->sign(['email' => 'A@B.C']));
        self::assertTrue($hex->verify(self::hmac('a@b.c', 'old'), ['email' => 'a@b.c']));
        foreach ([['x' => 1], ['a'], ['secret_encoding' => 'rot13']] as $options) {
            try {
                new Signer(self::SECRET, 'ensoras', [], $options);
                self::fail('options accepted: ' . json_encode($options));
            } catch (InvalidInputException $e) {
                self::assertStringContainsString((string) array_key_first($options), $e->getMessage());
            }
        }
        putenv('USERHASH_PHP_TEST_SECRET=' . self::SECRET);
        try {
            Signer::fromEnv('USERHASH_PHP_TEST_SECRET', 'ensoras', [], ['when' => new \DateTime()]);
            self::fail('options accepted');
        } catch (InvalidInputException $e) {
            self::assertSame('options.when', $e->getPath());
        } finally {
            putenv('USERHASH_PHP_TEST_SECRET');
        }
    }

    public function testSecretNeverShows(): void
    {
        $signer = new Signer(self::LEAKY, 'ensoras', previous: [self::LEAKY . '-old']);
        ob_start();
        var_dump($signer);
        print_r($signer);
        var_export($signer);
        echo json_encode($signer);
        print_r((array) $signer);
        $shown = ob_get_clean();
        self::assertStringNotContainsString(self::LEAKY, $shown);
        self::assertStringContainsString('ensoras', $shown);
        self::assertSame(['preset' => 'ensoras', 'previousSecrets' => 1], $signer->__debugInfo());

        $old = ini_set('zend.exception_ignore_args', '0');
        try {
            foreach ([
                fn () => new Signer(self::LEAKY, 'no-such-preset'),
                fn () => new Signer(self::LEAKY, 'ensoras', previous: ['']),
                fn () => (new Signer(self::LEAKY, 'ensoras'))->sign(['email' => '']),
                fn () => serialize($signer),
                fn () => clone $signer,
            ] as $fail) {
                try {
                    $fail();
                    self::fail('expected an exception');
                } catch (\Throwable $e) {
                    $text = $e->getMessage() . (string) $e;
                    foreach ($e->getTrace() as $frame) {
                        if (str_starts_with($frame['class'] ?? '', 'Userhash\\') && !str_starts_with($frame['class'], 'Userhash\\Tests')) {
                            $text .= print_r($frame['args'] ?? [], true);
                        }
                    }
                    self::assertStringNotContainsString(self::LEAKY, $text);
                }
            }
            // With arguments in traces switched on, the constructor's frame holds a
            // SensitiveParameterValue in place of the secret.
            try {
                new Signer(self::LEAKY, 'no-such-preset');
            } catch (UnknownPresetException $e) {
                $frame = array_values(array_filter($e->getTrace(), static fn ($f) => ($f['class'] ?? '') === Signer::class && $f['function'] === '__construct'))[0];
                self::assertInstanceOf(\SensitiveParameterValue::class, $frame['args'][0]);
                self::assertSame('no-such-preset', $frame['args'][1]);
            }
        } finally {
            ini_set('zend.exception_ignore_args', (string) $old);
        }
    }

    public function testFromEnv(): void
    {
        putenv('USERHASH_PHP_TEST_SECRET=' . self::LEAKY);
        putenv('USERHASH_PHP_TEST_OLD=old');
        putenv('USERHASH_PHP_TEST_EMPTY=');
        putenv('USERHASH_PHP_TEST_UNSET');
        try {
            $signer = Signer::fromEnv('USERHASH_PHP_TEST_SECRET', 'ensoras', ['USERHASH_PHP_TEST_OLD']);
            self::assertSame(self::hmac('a@b.c', self::LEAKY), $signer->sign(['email' => 'A@B.C']));
            self::assertTrue($signer->verify(self::hmac('a@b.c', 'old'), ['email' => 'a@b.c']));
            foreach ([
                'environment variable USERHASH_PHP_TEST_UNSET is not set' => ['USERHASH_PHP_TEST_UNSET', []],
                'environment variable USERHASH_PHP_TEST_EMPTY is empty' => ['USERHASH_PHP_TEST_EMPTY', []],
                'environment variable USERHASH_PHP_TEST_UNSET is not set ' => ['USERHASH_PHP_TEST_SECRET', ['USERHASH_PHP_TEST_UNSET']],
            ] as $message => [$var, $previous]) {
                try {
                    Signer::fromEnv($var, 'ensoras', $previous);
                    self::fail('expected empty_secret');
                } catch (EmptySecretException $e) {
                    self::assertSame(trim($message), $e->getMessage());
                }
            }
        } finally {
            putenv('USERHASH_PHP_TEST_SECRET');
            putenv('USERHASH_PHP_TEST_OLD');
            putenv('USERHASH_PHP_TEST_EMPTY');
        }
    }

    public function testExceptionHierarchy(): void
    {
        $e = UserhashException::of('too_deep', 'x', 6);
        self::assertInstanceOf(TooDeepException::class, $e);
        self::assertInstanceOf(\RuntimeException::class, $e);
        self::assertSame(6, $e->getCode());
        self::assertSame('too_deep', $e->getErrorCode());
        $unknown = UserhashException::of('something_new', 'x');
        self::assertSame(UserhashException::class, $unknown::class);
        self::assertSame('something_new', $unknown->getErrorCode());
    }

    private static function rss(): int
    {
        $statm = @file_get_contents('/proc/self/statm');

        return $statm === false ? 0 : (int) explode(' ', $statm)[1] * 4096;
    }

    /** Signers, canonical strings and error messages are freed (RSS stays flat). */
    public function testNothingLeaks(): void
    {
        if (self::rss() === 0) {
            self::markTestSkipped('no /proc/self/statm');
        }
        $round = static function (int $n): void {
            for ($i = 0; $i < $n; $i++) {
                $signer = new Signer(self::SECRET . $i, 'fluentbot', previous: ['a', 'b']);
                $signer->canonical(['visitor' => ['name' => str_repeat('A', 300)]]);
                try {
                    $signer->sign(['visitor' => ['name' => "\xff"]]);
                } catch (InvalidUtf8Exception) {
                }
                try {
                    new Signer('x', str_repeat('nope', 50));
                } catch (UnknownPresetException) {
                }
            }
        };
        $round(5000);
        $before = self::rss();
        $round(20000);
        self::assertLessThan(4 << 20, self::rss() - $before);
    }
}
