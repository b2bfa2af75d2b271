<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\BadSignatureException;
use Userhash\InvalidInputException;
use Userhash\Library;
use Userhash\Signer;

/**
 * Signer::call runs any operation of the core by name (the list is the
 * library's); results are checked against hash_hmac, not against userhash.
 */
final class CallTest extends TestCase
{
    private const SECRET = 's3cr3t';

    private static function b64url(string $bytes): string
    {
        return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    }

    public function testTheCoreListsItsOperations(): void
    {
        foreach (['sign', 'canonical', 'verify', 'embed', 'token', 'verify_token', 'diagnose'] as $op) {
            self::assertContains($op, Library::names('userhash_operation_name'));
        }
    }

    public function testSignVerifyAndCanonicalByName(): void
    {
        $signer = new Signer(self::SECRET, 'ensoras');
        $hash = hash_hmac('sha256', 'a@b.c', self::SECRET);
        self::assertSame($hash, $signer->call('sign', ['email' => 'A@B.C']));
        self::assertSame('a@b.c', $signer->call('canonical', ['email' => 'A@B.C']));
        self::assertTrue($signer->call('verify', ['email' => 'a@b.c'], ['hash' => $hash]));
        self::assertFalse($signer->call('verify', ['email' => 'a@b.c'], ['hash' => str_repeat('0', 64)]));
        try {
            $signer->call('no_such_operation', ['email' => 'a@b.c']);
            self::fail('an unknown operation ran');
        } catch (InvalidInputException $e) {
            self::assertStringContainsString('no_such_operation', $e->getMessage());
        }
    }

    /** An HS256 token: its signature is hash_hmac over header.payload, its claims what the core read back. */
    public function testTokensRoundTrip(): void
    {
        $signer = new Signer(self::SECRET, 'drift');
        $token = $signer->call('token', ['user_id' => 12345], ['now' => 1700000000, 'ttl' => 600]);
        self::assertIsString($token);
        [$header, $payload, $signature] = explode('.', $token);
        self::assertSame(self::b64url(hash_hmac('sha256', "{$header}.{$payload}", self::SECRET, true)), $signature);
        $claims = json_decode((string) base64_decode(strtr($payload, '-_', '+/')), false, 512, \JSON_THROW_ON_ERROR);
        self::assertSame([1700000000, 1700000600], [$claims->iat, $claims->exp]);
        self::assertEquals($claims, $signer->call('verify_token', [], ['token' => $token, 'now' => 1700000300]));

        $this->expectException(BadSignatureException::class);
        (new Signer('other', 'drift'))->call('verify_token', [], ['token' => $token, 'now' => 1700000300]);
    }
}
