<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;

/** Golden vectors (USERHASH_VECTORS, default tests/vectors) through the public API. */
final class ConformanceTest extends TestCase
{
    /** @return iterable<string, array{\stdClass|string}> */
    public function vectors(): iterable
    {
        foreach (Conformance::vectors() as $id => $vector) {
            yield $id => [$vector];
        }
    }

    public function testThereAreVectors(): void
    {
        self::assertNotEmpty(Conformance::vectors(), 'no vectors in ' . implode(', ', Conformance::files()));
    }

    /** @dataProvider vectors */
    public function testVector(\stdClass|string $vector): void
    {
        self::assertSame([], Conformance::check($vector));
    }
}
