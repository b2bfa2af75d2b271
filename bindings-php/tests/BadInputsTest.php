<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\Signer;
use Userhash\UserhashException;

/**
 * The shared bad-input matrix (tests/bad-inputs/cases.json, see its README):
 * every case built from native PHP values, expected hashes from hash_hmac.
 */
final class BadInputsTest extends TestCase
{
    /** @return iterable<string, array{\stdClass}> */
    public function cases(): iterable
    {
        $file = \dirname(__DIR__, 2) . '/tests/bad-inputs/cases.json';
        $doc = json_decode((string) file_get_contents($file), false, 512, \JSON_THROW_ON_ERROR);
        foreach ($doc->cases as $case) {
            if (!isset($case->only) || \in_array('php', $case->only, true)) {
                yield $case->id => [$case];
            }
        }
    }

    /** A case value as a native PHP value: tagged objects become what they describe. */
    private static function native(mixed $v): mixed
    {
        if (\is_array($v)) {
            return array_map(self::native(...), $v);
        }
        if (!$v instanceof \stdClass) {
            return $v;
        }
        $props = get_object_vars($v);
        if (\count($props) === 1 && str_starts_with((string) array_key_first($props), '$')) {
            $arg = reset($props);
            switch (array_key_first($props)) {
                case '$bytes':
                    return hex2bin($arg);
                case '$float':
                    return ['nan' => \NAN, 'inf' => \INF, '-inf' => -\INF][$arg];
                case '$repeat':
                    return str_repeat($arg->text, $arg->count);
                case '$array':
                    return array_fill(0, $arg->count, self::native($arg->item));
                case '$nest':
                    $value = 1;
                    for ($i = 0; $i < $arg->depth; $i++) {
                        $value = [$value];
                    }

                    return $value;
            }
            self::fail('unknown marker ' . array_key_first($props));
        }
        $out = new \stdClass();
        foreach ($props as $key => $item) {
            $out->{$key} = self::native($item);
        }

        return $out;
    }

    /**
     * A one-field input also goes through signMany (as a batch of one, and as
     * item 2 of three): the same hash, or the same error code naming item 2.
     *
     * @param array<string, mixed> $input
     */
    private static function assertBatchAgrees(Signer $signer, array $input, \stdClass $expect): void
    {
        if (\count($input) !== 1) {
            return;
        }
        $field = (string) array_key_first($input);
        $value = $input[$field];
        $good = $field === 'visitor' ? ['name' => 'ok'] : 'ok@x.com';
        try {
            $hashes = $signer->signMany([$good, $good, $value], $field);
        } catch (UserhashException $e) {
            self::assertTrue(isset($expect->error), "the batch failed where sign() signs: {$e->getMessage()}");
            self::assertSame($expect->error, $e->getErrorCode(), $e->getMessage());
            // A field the preset does not sign fails every item, so item 0 is named.
            self::assertMatchesRegularExpression('~^(item 2: |item 0: .*unexpected field)~', $e->getMessage());

            return;
        }
        self::assertFalse(isset($expect->error), 'batch signed; expected ' . ($expect->error ?? ''));
        self::assertSame($signer->sign($input), $hashes[2]);
    }

    /** @dataProvider cases */
    public function testCase(\stdClass $case): void
    {
        $secret = self::native($case->secret);
        $input = get_object_vars(self::native($case->input));
        $expect = $case->expect;
        try {
            $signer = new Signer($secret, $case->preset, self::native($case->previous ?? []));
            if (isset($expect->verify)) {
                self::assertSame($expect->verify, $signer->verify($case->hash, $input));

                return;
            }
            self::assertBatchAgrees($signer, $input, $expect);
            $canonical = $signer->canonical($input);
            $hash = $signer->sign($input);
        } catch (UserhashException $e) {
            self::assertSame($expect->error ?? '(no error)', $e->getErrorCode(), $e->getMessage());

            return;
        }
        self::assertFalse(isset($expect->error), 'signed; expected ' . ($expect->error ?? ''));
        if (isset($expect->canonical)) {
            self::assertTrue(self::native($expect->canonical) === $canonical, 'canonical differs');
        }
        self::assertSame(hash_hmac('sha256', $canonical, $secret), $hash);
        self::assertTrue($signer->verify($hash, $input));
    }
}
