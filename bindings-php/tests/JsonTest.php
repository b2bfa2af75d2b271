<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\JsonInput;
use Userhash\Library;

/**
 * JsonInput's json_encode fast path must hand the core the same JSON values
 * as the PHP walk (its general path): both texts canonicalize identically.
 */
final class JsonInputTest extends TestCase
{
    private static function slow(array $input): string
    {
        return (new \ReflectionMethod(JsonInput::class, 'encodeSlowly'))->invoke(null, $input);
    }

    private static function canonical(string $json): string
    {
        $ffi = Library::ffi();
        $signer = $ffi->new('userhash_signer_t *');
        self::assertSame(0, $ffi->userhash_signer_new('k', 1, 'fluentbot', 9, null, 0, \FFI::addr($signer), null));
        $out = $ffi->new('userhash_bytes_t');
        try {
            $status = $ffi->userhash_canonical($signer, $json, \strlen($json), \FFI::addr($out), null);
            self::assertSame(0, $status, $json);

            return \FFI::string($out->ptr, $out->len);
        } finally {
            $ffi->userhash_bytes_free($out);
            $ffi->userhash_signer_free($signer);
        }
    }

    /** @return iterable<string, array{array<string, mixed>}> */
    public function plainInputs(): iterable
    {
        $floats = [0.1, 9.0, -0.0, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 2 ** 53 + 0.0, 123456789.125, -1.5e-300];
        yield 'floats' => [['visitor' => ['name' => 'F', 'data' => ['xs' => $floats]]]];
        yield 'ints' => [['visitor' => ['name' => 'I', 'data' => [\PHP_INT_MAX, \PHP_INT_MIN, 0, -1, 2 ** 53 + 1]]]];
        yield 'objects vs arrays' => [['visitor' => ['name' => 'O', 'data' => ['a' => [], 'o' => new \stdClass(), 'n' => [1 => 'b', 2 => 'c'], 'l' => [1, [2, []]]]]]];
        yield 'stdClass tree' => [['visitor' => json_decode('{"name":"S","data":{"10":"ten","2":"two","x":{"y":{}},"z":[{}]}}')]];
        yield 'strings' => [['visitor' => ['name' => "Zoë </script>\u{2028}\u{2029}\"\\/\x01\0😀", 'email' => 'a/b@x.com']]];
        yield 'scalars' => [['visitor' => ['name' => null, 'email' => true, 'data' => false]]];
        $nested = 'leaf';
        for ($i = 0; $i < 120; $i++) {
            $nested = ['k' => $nested];
        }
        yield 'deep but allowed' => [['visitor' => ['name' => 'D', 'data' => $nested]]];
        yield 'email field' => [['email' => 'Ann@X.COM']];
        yield 'two fields' => [['external_id' => 'E1', 'email' => 'a@x.com']];
    }

    /**
     * @dataProvider plainInputs
     * @param array<string, mixed> $input
     */
    public function testFastPathEqualsTheWalk(array $input): void
    {
        $fast = JsonInput::encode($input);
        $slow = self::slow($input);
        self::assertEquals(json_decode($slow), json_decode($fast));
        if (isset($input['visitor'])) {
            self::assertSame(self::canonical($slow), self::canonical($fast));
        }
    }

    public function testLowSerializePrecisionTakesTheWalk(): void
    {
        $old = ini_set('serialize_precision', '10');
        try {
            $input = ['visitor' => ['name' => 'P', 'data' => [0.1 + 0.2, 1 / 3]]];
            self::assertSame(self::slow($input), JsonInput::encode($input));
            self::assertStringContainsString('0.30000000000000004', self::canonical(JsonInput::encode($input)));
        } finally {
            ini_set('serialize_precision', (string) $old);
        }
    }

    public function testEverythingElseTakesTheWalk(): void
    {
        $cases = [
            ['visitor' => ['name' => 'N', 'data' => [\NAN, \INF]]],
            ['visitor' => ['name' => 'A', 'data' => new \ArrayObject(['a' => 1])]],
            ['visitor' => ['name' => 'E', 'data' => [Plan::Pro, new Money(5)]]],
            ['visitor' => ['name' => 'G', 'data' => [gmp_init('123456789012345678901234567890')]]],
            ['visitor' => ['name' => 'O', 'data' => (object) ['inner' => new Money(1)]]],
        ];
        foreach ($cases as $input) {
            self::assertSame(self::slow($input), JsonInput::encode($input));
        }
        // A float stays a float on the fast path too (the core rejects float ids).
        self::assertSame('{"user_id":1.0}', JsonInput::encode(['user_id' => 1.0]));
    }
}
