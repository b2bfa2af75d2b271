<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\Signer;

/**
 * A preset defined in the core only (feature probe-preset, which make test-php
 * builds the library with) works with no binding edit: listed, its fields
 * known, signed by the core's rules.
 */
final class CoreOnlyPresetTest extends TestCase
{
    public function testTheProbePresetWorksThroughThePhpBinding(): void
    {
        self::assertContains('zz_probe', Signer::presets(), 'the library was not built with feature probe-preset');
        $signer = new Signer('s3cr3t', 'zz_probe');
        self::assertSame(['user_id'], $signer->fields());
        self::assertSame('zz_probe', $signer->preset());
        self::assertSame(hash_hmac('sha256', 'abc', 's3cr3t'), $signer->sign(['user_id' => '  AbC ']));
        self::assertSame([hash_hmac('sha256', 'abc', 's3cr3t')], $signer->signMany(['  AbC ']));
    }
}
