<?php

declare(strict_types=1);

namespace Userhash\Tests;

use Userhash\Signer;
use Userhash\UserhashException;

/**
 * The conformance runner (docs/design.md, golden vectors), shared by ConformanceTest (PHPUnit) and
 * bin/conformance.php (`make conformance-php`).
 *
 * Vectors are decoded with `json_decode($text, false)`: objects become
 * stdClass (key order kept, `{}` stays an object, `[]` an array) and are
 * handed to the public Signer API as PHP values. Expected values come only
 * from the vector file and PHP's own hash_hmac — never from userhash itself.
 */
final class Conformance
{
    /** @return list<string> the vector files named by USERHASH_VECTORS (file or directory) */
    public static function files(): array
    {
        $where = getenv('USERHASH_VECTORS');
        if (!\is_string($where) || $where === '') {
            $where = \dirname(__DIR__, 2) . '/tests/vectors';
        }
        if (is_dir($where)) {
            $files = glob(rtrim($where, '/') . '/*.json') ?: [];
            sort($files);

            return $files;
        }

        return [$where];
    }

    /**
     * Every vector, keyed "file:id". A file that cannot be read or decoded
     * yields one entry holding the error (a string) so it counts as a failure.
     *
     * @return array<string, \stdClass|string>
     */
    public static function vectors(): array
    {
        $all = [];
        foreach (self::files() as $file) {
            $name = basename($file);
            $text = @file_get_contents($file);
            if ($text === false) {
                $all["{$name}:(unreadable)"] = "cannot read {$file}";
                continue;
            }
            try {
                $doc = json_decode($text, false, 1 << 20, \JSON_THROW_ON_ERROR);
            } catch (\JsonException $e) {
                $all["{$name}:(invalid JSON)"] = "cannot decode {$file}: {$e->getMessage()}";
                continue;
            }
            if (!$doc instanceof \stdClass || !isset($doc->vectors) || !\is_array($doc->vectors)) {
                $all["{$name}:(no vectors)"] = "{$file} has no \"vectors\" array";
                continue;
            }
            foreach ($doc->vectors as $i => $vector) {
                $id = \is_object($vector) && isset($vector->id) && \is_string($vector->id) ? $vector->id : "#{$i}";
                $all["{$name}:{$id}"] = $vector;
            }
        }

        return $all;
    }

    /**
     * Runs one vector through the public API.
     *
     * @return list<string> what went wrong (empty when the vector passes)
     */
    public static function check(\stdClass|string $vector): array
    {
        if (\is_string($vector)) {
            return [$vector];
        }
        $input = $vector->input instanceof \stdClass ? get_object_vars($vector->input) : null;
        if ($input === null || !\is_string($vector->secret ?? null) || !\is_string($vector->preset ?? null)) {
            return ['malformed vector (needs string secret and preset, object input)'];
        }
        if (isset($vector->error)) {
            return self::checkError($vector, $input);
        }
        $problems = [];
        try {
            $signer = self::signer($vector);
            $canonical = $signer->canonical($input);
            $hash = $signer->sign($input);
            if ($canonical !== $vector->canonical) {
                $problems[] = 'canonical ' . json_encode($canonical, \JSON_UNESCAPED_UNICODE | \JSON_INVALID_UTF8_SUBSTITUTE)
                    . ' != expected ' . json_encode($vector->canonical, \JSON_UNESCAPED_UNICODE);
            }
            if ($hash !== $vector->hash) {
                $problems[] = "hash {$hash} != expected {$vector->hash}";
            }
            // The HMAC key: the secret's bytes, or (hex/base64 secret_encoding) the decoded key the vector carries.
            $stdlib = hash_hmac('sha256', $vector->canonical, isset($vector->key_hex) ? (string) hex2bin($vector->key_hex) : $vector->secret);
            if ($stdlib !== $vector->hash) {
                $problems[] = "hash_hmac over the expected canonical gives {$stdlib}, vector says {$vector->hash}";
            }
            if ($signer->verify($vector->hash, $input) !== true) {
                $problems[] = 'verify(expected hash) is false';
            }
            $last = $vector->hash[63];
            $wrong = substr($vector->hash, 0, 63) . ($last === '0' ? '1' : '0');
            if ($signer->verify($wrong, $input) !== false) {
                $problems[] = 'verify(hash with one digit changed) is true';
            }
        } catch (UserhashException $e) {
            $problems[] = "unexpected {$e->getErrorCode()}: {$e->getMessage()}";
        }

        return $problems;
    }

    /** The vector's signer: its secret, preset and `signer_options` (as PHP values). */
    private static function signer(\stdClass $vector): Signer
    {
        return new Signer($vector->secret, $vector->preset, [], isset($vector->signer_options) ? get_object_vars($vector->signer_options) : []);
    }

    /**
     * @param array<string, mixed> $input
     * @return list<string>
     */
    private static function checkError(\stdClass $vector, array $input): array
    {
        $expected = $vector->error;
        try {
            $signer = self::signer($vector);
        } catch (UserhashException $e) {
            return $e->getErrorCode() === $expected ? [] : ["new Signer raised {$e->getErrorCode()} ({$e->getMessage()}), expected {$expected}"];
        }
        $problems = [];
        $calls = [
            'sign' => static fn () => $signer->sign($input),
            'canonical' => static fn () => $signer->canonical($input),
            'verify' => static fn () => $signer->verify(str_repeat('0', 64), $input),
        ];
        foreach ($calls as $name => $call) {
            try {
                $call();
                $problems[] = "{$name} succeeded, expected {$expected}";
            } catch (UserhashException $e) {
                if ($e->getErrorCode() !== $expected) {
                    $problems[] = "{$name} raised {$e->getErrorCode()} ({$e->getMessage()}), expected {$expected}";
                }
            }
        }

        return $problems;
    }
}
