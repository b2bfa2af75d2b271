<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;

use Userhash\Signer;

/**
 * Signer's conversion of PHP values to JSON text: the json_encode fast path
 * must hand the core the same JSON values as the walk (its general path).
 */
final class JsonTest extends TestCase
{
    /** Signer's private static `$method` (encode, object or walk). */
    private static function call(string $method, mixed ...$args): string
    {
        return (new \ReflectionMethod(Signer::class, $method))->invoke(null, ...$args);
    }

    private static function encode(mixed $value, int $depth = 1): string
    {
        return self::call('encode', $value, $depth);
    }

    /** The walk, as the fast path's fallback runs it. */
    private static function walk(mixed $value, int $depth = 1): string
    {
        self::encode(1); // reads the depth limit

        return self::call('walk', $value, $depth);
    }

    /** @return iterable<string, array{mixed}> */
    public function plainVisitors(): iterable
    {
        $floats = [0.1, 9.0, -0.0, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 2 ** 53 + 0.0, 123456789.125, -1.5e-300];
        yield 'floats' => [['name' => 'F', 'data' => ['xs' => $floats]]];
        yield 'ints' => [['name' => 'I', 'data' => [\PHP_INT_MAX, \PHP_INT_MIN, 0, -1, 2 ** 53 + 1]]];
        yield 'objects vs arrays' => [['name' => 'O', 'data' => ['a' => [], 'o' => new \stdClass(), 'n' => [1 => 'b', 2 => 'c'], 'l' => [1, [2, []]]]]];
        yield 'stdClass tree' => [json_decode('{"name":"S","data":{"10":"ten","2":"two","x":{"y":{}},"z":[{}]}}')];
        yield 'strings' => [['name' => "Zoë </script>\u{2028}\u{2029}\"\\/\x01\0😀", 'email' => 'a/b@x.com']];
        yield 'scalars' => [['name' => null, 'email' => true, 'data' => false]];
        $nested = 'leaf';
        for ($i = 0; $i < 120; $i++) {
            $nested = ['k' => $nested];
        }
        yield 'deep but allowed' => [['name' => 'D', 'data' => $nested]];
    }

    /** @dataProvider plainVisitors */
    public function testFastPathEqualsTheWalk(mixed $visitor): void
    {
        $fast = self::encode($visitor);
        $slow = self::walk($visitor);
        self::assertEquals(json_decode($slow), json_decode($fast));
        $signer = new Signer('k', 'fluentbot');
        self::assertSame($signer->canonical(['visitor' => json_decode($slow)]), $signer->canonical(['visitor' => json_decode($fast)]));
        self::assertEquals(json_decode(self::walk(['visitor' => $visitor], 0)), json_decode(self::call('object', ['visitor' => $visitor])));
    }

    public function testLowSerializePrecisionTakesTheWalk(): void
    {
        $old = ini_set('serialize_precision', '10');
        try {
            $visitor = ['name' => 'P', 'data' => [0.1 + 0.2, 1 / 3]];
            self::assertSame(self::walk($visitor), self::encode($visitor));
            self::assertStringContainsString('0.30000000000000004', (new Signer('k', 'fluentbot'))->canonical(['visitor' => $visitor]));
        } finally {
            ini_set('serialize_precision', (string) $old);
        }
    }

    public function testNonFiniteFloatsAndListsAsObjectsTakeTheWalk(): void
    {
        self::assertSame('{"name":"N","data":[1e999,-1e999,1e999]}', self::encode(['name' => 'N', 'data' => [\INF, -\INF, \NAN]]));
        self::assertSame('{"0":"a"}', self::call('object', ['a']));
        // A float stays a float on the fast path too (the core rejects float ids).
        self::assertSame('{"user_id":1.0}', self::encode(['user_id' => 1.0], 0));
    }
}
