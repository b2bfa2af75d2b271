<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\Signer;

/**
 * Signer::diagnose() on hashes made by real wrong PHP code (PHP's own
 * hash_hmac, strtolower, trim, mb_strtolower, json_encode, base64_encode): it
 * names the mistake's id of docs/doctor.md. Each input is chosen so that the
 * PHP function's output differs from every variant the doctor tries before it
 * (the first-match order of docs/doctor.md), so the name is the PHP one.
 */
final class DoctorTest extends TestCase
{
    private const SECRET = 'doctor-php-secret-5b1e';

    /** @return iterable<string, array{string, array<string, mixed>, string, string}> preset, input, wrong hash, variant */
    public static function wrongHashes(): iterable
    {
        $key = self::SECRET;
        // A preset that signs the email as given (the core says so: canonical == input).
        $asGiven = self::asGiven();
        $email = " \u{c9}LODIE@X.FR ";
        yield 'strtolower(trim()), É kept' => [$asGiven, ['email' => $email], hash_hmac('sha256', strtolower(trim($email)), $key), 'php_trim_strtolower'];
        yield 'mb_strtolower' => [$asGiven, ['email' => 'ÉLODIE@X.FR'], hash_hmac('sha256', mb_strtolower('ÉLODIE@X.FR'), $key), 'js_lowercase'];
        yield 'strtoupper(hash_hmac())' => [$asGiven, ['email' => 'ann@x.io'], strtoupper(hash_hmac('sha256', 'ann@x.io', $key)), 'uppercase_hex'];
        yield 'base64_encode(raw hash_hmac)' => [$asGiven, ['email' => 'ann@x.io'], base64_encode(hash_hmac('sha256', 'ann@x.io', $key, true)), 'base64'];
        yield 'secret with "\n"' => [$asGiven, ['email' => 'ann@x.io'], hash_hmac('sha256', 'ann@x.io', $key . "\n"), 'secret_trailing_newline'];
        // json_encode escapes "/" (no Python serializer does) and keeps the key order.
        $visitor = ['name' => 'Ann', 'email' => 'ann@x.io', 'data' => ['site' => 'https://x.io/a']];
        yield 'json_encode($visitor)' => ['fluentbot', ['visitor' => $visitor], hash_hmac('sha256', (string) json_encode($visitor), $key), 'php_json_encode'];
    }

    /** The first preset of the core's list whose email field is signed exactly as given. */
    private static function asGiven(): string
    {
        foreach (Signer::presets() as $preset) {
            try {
                $signer = new Signer(self::SECRET, $preset);
                if ($signer->fields() === ['email'] && $signer->canonical(['email' => ' A@B.C ']) === ' A@B.C ') {
                    return $preset;
                }
            } catch (\Userhash\UserhashException) {
            }
        }
        self::fail('no preset signs the email as given');
    }

    /**
     * @dataProvider wrongHashes
     * @param array<string, mixed> $input
     */
    public function testNamesThePhpMistake(string $preset, array $input, string $hash, string $variant): void
    {
        $signer = new Signer(self::SECRET, $preset);
        self::assertNotSame($signer->sign($input), $hash);
        $d = $signer->diagnose($hash, $input);
        self::assertTrue($d['matched'], json_encode($d, \JSON_UNESCAPED_UNICODE) ?: '');
        self::assertSame($variant, $d['variant']);
        foreach (['explanation', 'expected_canonical', 'signed_canonical', 'first_difference', 'mistakes', 'tried'] as $field) {
            self::assertArrayHasKey($field, $d);
        }
        self::assertSame($signer->canonical($input), $d['expected_canonical']);
        self::assertSame($variant, implode('+', array_column($d['mistakes'], 'id')));
        self::assertStringNotContainsString(self::SECRET, var_export($d, true));
    }

    public function testARandomHashMatchesNothing(): void
    {
        $signer = new Signer(self::SECRET, 'fluentbot');
        $d = $signer->diagnose(bin2hex(random_bytes(32)), ['visitor' => ['name' => 'Ann', 'email' => 'ann@x.io']]);
        self::assertFalse($d['matched']);
        self::assertSame([], $d['mistakes']);
        self::assertGreaterThan(1, $d['tried']);
        self::assertStringNotContainsString(self::SECRET, var_export($d, true));
    }
}
