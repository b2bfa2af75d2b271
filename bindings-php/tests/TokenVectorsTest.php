<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\Signer;
use Userhash\UserhashException;

/**
 * tests/tokens/vectors.json (docs/tokens.md), made by Node's jsonwebtoken
 * (tests/oracle/tokens/generate.js), through Signer::token() and
 * Signer::verifyToken(): the tokens byte for byte and verified back to their
 * claims, the refused inputs with their code, jsonwebtoken's own tokens
 * accepted or refused with the stated code. PHP's hash_hmac checks each
 * signature too. (Debian packages no PHP JWT library, and Packagist is not
 * reachable here, so no third-party PHP verifier is tested: see the README.)
 */
final class TokenVectorsTest extends TestCase
{
    /** @return iterable<string, array{array<string, mixed>}> */
    public static function vectors(): iterable
    {
        $doc = json_decode((string) file_get_contents(\dirname(__DIR__, 2) . '/tests/tokens/vectors.json'), true, 512, \JSON_THROW_ON_ERROR);
        self::assertSame(1, $doc['version']);
        foreach ($doc['tokens'] as $v) {
            yield $v['id'] => [$v];
        }
    }

    private static function b64url(string $bytes): string
    {
        return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    }

    /**
     * @dataProvider vectors
     * @param array<string, mixed> $v
     */
    public function testVector(array $v): void
    {
        $signer = new Signer($v['secret'], $v['preset']);
        try {
            if (isset($v['verify'])) {
                $claims = $signer->verifyToken($v['verify'], $v['verify_options']);
            } else {
                $token = $signer->token($v['input'], $v['options']);
                self::assertSame($v['token'] ?? null, $token, 'the token jsonwebtoken wrote');
                [$header, $payload, $mac] = explode('.', $token);
                self::assertSame(self::b64url(hash_hmac('sha256', "{$header}.{$payload}", $v['secret'], true)), $mac, 'hash_hmac over header.payload');
                $claims = $signer->verifyToken($token, ['now' => $v['options']['now'] + 1]);
            }
        } catch (UserhashException $e) {
            self::assertSame($v['error'] ?? null, $e->getErrorCode(), $e->getMessage());

            return;
        }
        self::assertArrayNotHasKey('error', $v, 'accepted: ' . json_encode($claims));
        // (jsonwebtoken's claims object of a foreign token is not in the token's key order)
        [$want, $got] = [$v['claims'], $claims];
        ksort($want);
        ksort($got);
        self::assertSame($want, $got);
    }

    public function testEveryKindOfVectorIsThere(): void
    {
        $kinds = array_count_values(array_map(static fn (array $a): string => isset($a[0]['verify']) ? (isset($a[0]['error']) ? 'refused' : 'accepted') : (isset($a[0]['error']) ? 'invalid' : 'made'), iterator_to_array(self::vectors())));
        self::assertGreaterThan(5, $kinds['made'] ?? 0);
        self::assertGreaterThan(5, $kinds['invalid'] ?? 0);
        self::assertGreaterThan(5, $kinds['refused'] ?? 0);
        self::assertGreaterThan(1, $kinds['accepted'] ?? 0);
    }
}
