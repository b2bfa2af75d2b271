<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\Signer;
use Userhash\UserhashException;

enum Tier: string
{
    case Gold = 'gold';
}

final class Hooked implements \JsonSerializable
{
    public function jsonSerialize(): mixed
    {
        return ['x' => 1];
    }
}

final class Account
{
    public string $plan = 'pro';
}

/**
 * The native-value table (tests/native-values): every row naming PHP, built
 * as a PHP value, signed; ok rows must give hash_hmac over the oracle's
 * canonical text (and its hash), error rows the code and path.
 */
final class NativeValuesTest extends TestCase
{
    /** @return array<string, \Closure(): mixed> the PHP value of each row id */
    private static function builders(): array
    {
        return [
            'plain-record' => static fn () => (object) ['plan' => 'pro', 'seats' => 3, 'ok' => true, 'none' => null, 'tags' => ['a', 'b']],
            'php-integer-keys' => static fn () => [5 => 'a', 'x' => 'b'],
            'datetime' => static fn () => new \DateTimeImmutable('2024-01-02T03:04:05Z'),
            'int64-max' => static fn () => \PHP_INT_MAX,
            'nan' => static fn () => \NAN,
            'infinity' => static fn () => -\INF,
            'negative-zero' => static fn () => -0.0,
            'integral-float' => static fn () => 3.0,
            'invalid-utf8' => static fn () => "\xFF",
            'enum' => static fn () => Tier::Gold,
            'json-hook' => static fn () => new Hooked(),
            'class-instance' => static fn () => new Account(),
            'cycle' => static function () {
                $o = new \stdClass();
                $o->self = $o;

                return $o;
            },
            'bool-id' => static fn () => true,
            'integral-float-id' => static fn () => 42.0,
            'fractional-float-id' => static fn () => 42.5,
            'int64-id' => static fn () => \PHP_INT_MAX,
            'datetime-id' => static fn () => new \DateTimeImmutable('2024-01-02T03:04:05Z'),
        ];
    }

    /** @return iterable<string, array{\stdClass, string}> */
    public function rows(): iterable
    {
        $doc = json_decode((string) file_get_contents(\dirname(__DIR__, 2) . '/tests/native-values/cases.json'), false, 512, \JSON_THROW_ON_ERROR);
        foreach ($doc->cases as $row) {
            if (\in_array('php', $row->langs, true)) {
                yield $row->id => [$row, $doc->secret];
            }
        }
    }

    public function testEveryPhpRowHasABuilder(): void
    {
        $ids = array_keys(iterator_to_array($this->rows()));
        self::assertNotEmpty($ids);
        self::assertSame([], array_values(array_diff($ids, array_keys(self::builders()))), 'rows without a PHP builder');
    }

    /** @dataProvider rows */
    public function testRow(\stdClass $row, string $secret): void
    {
        $build = self::builders()[$row->id] ?? null;
        self::assertNotNull($build, "no PHP builder for row {$row->id}");
        $value = $build();
        $input = $row->carrier === 'visitor' ? ['visitor' => ['name' => 'Ann', 'data' => ['v' => $value]]] : ['user_id' => $value];
        $signer = new Signer($secret, $row->preset);
        try {
            $hash = $signer->sign($input);
        } catch (UserhashException $e) {
            self::assertTrue(isset($row->expect->error), "refused: {$e->getMessage()}");
            self::assertSame($row->expect->error, $e->getErrorCode(), $e->getMessage());
            if ($row->expect->error === 'too_deep') {
                // Conversion stops at the depth limit, inside the cycle that starts there.
                self::assertStringStartsWith($row->expect->path . '.', (string) $e->getPath());
            } else {
                self::assertSame($row->expect->path, $e->getPath());
            }
            self::assertStringStartsWith("{$e->getPath()}: ", $e->getMessage());

            return;
        }
        self::assertFalse(isset($row->expect->error), "signed; expected {$row->id} to fail");
        self::assertSame(hash_hmac('sha256', $row->expect->canonical, $secret), $hash);
        self::assertSame($row->expect->hash, $hash);
        self::assertSame($row->expect->canonical, $signer->canonical($input));
    }
}
