<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\EmptyIdentityException;
use Userhash\InvalidInputException;
use Userhash\InvalidUtf8Exception;
use Userhash\Signer;
use Userhash\TooDeepException;
use Userhash\UserhashException;

/**
 * Signer::signMany: the same hashes as sign() (and as hash_hmac over the
 * canonical text), in order, with the first bad item named by index.
 */
final class SignManyTest extends TestCase
{
    private const SECRET = 's3cr3t';

    /**
     * @param list<string> $hashes
     * @param array<array-key, mixed> $values
     */
    private static function assertSameAsSign(Signer $signer, string $field, array $values, array $hashes): void
    {
        self::assertTrue(array_is_list($hashes));
        self::assertCount(\count($values), $hashes);
        $i = 0;
        foreach ($values as $value) {
            self::assertSame($signer->sign([$field => $value]), $hashes[$i], "item {$i}");
            $i++;
        }
    }

    /**
     * @param array<array-key, mixed> $values
     * @param class-string<UserhashException> $class
     */
    private static function assertBatchFails(string $class, string $message, Signer $signer, array $values, ?string $field = null): void
    {
        try {
            $signer->signMany($values, $field);
            self::fail("expected {$class}");
        } catch (UserhashException $e) {
            self::assertInstanceOf($class, $e, $e->getMessage());
            self::assertStringStartsWith($message, $e->getMessage());
            // The core's item index and path, as its message shows them.
            preg_match('~^(?:item (\d+): )?(?:([\w.\[\]]+): )?~', $e->getMessage(), $m);
            self::assertSame(isset($m[1]) && $m[1] !== '' ? (int) $m[1] : null, $e->getItem());
        }
    }

    public function testDefaultFieldOfEachPreset(): void
    {
        $emails = ['Alice@Example.COM', ' Bob@X.com ', 'ÉLODIE@X.FR', "nul\0byte@x.com"];
        foreach (['layerup', 'ensoras', 'email:trim_lowercase'] as $preset) {
            $signer = new Signer(self::SECRET, $preset);
            self::assertSameAsSign($signer, 'email', $emails, $signer->signMany($emails));
        }
        self::assertSame('ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995', (new Signer(self::SECRET, 'ensoras'))->signMany(['Alice@Example.COM'])[0]);

        $ids = ['usr_42', 42, -7, \PHP_INT_MAX, '007', \PHP_INT_MIN];
        $inviaro = new Signer(self::SECRET, 'inviaro');
        self::assertSameAsSign($inviaro, 'user_id', $ids, $inviaro->signMany($ids));
        self::assertSame(hash_hmac('sha256', '42', self::SECRET), $inviaro->signMany([42])[0]);
        self::assertSame($inviaro->signMany(['42']), $inviaro->signMany([42]));

        $fluentbot = new Signer(self::SECRET, 'fluentbot');
        $visitors = [
            ['name' => 'Ann', 'email' => 'ann@x.com', 'data' => ['plan' => 'pro', 'price' => 9.0, 'limits' => new \stdClass()]],
            ['email' => 'b@x.com', 'name' => null, 'extra' => 'not signed'],
            json_decode('{"name":"C","data":{"10":"ten","2":"two","tags":[]}}'),
        ];
        self::assertSameAsSign($fluentbot, 'visitor', $visitors, $fluentbot->signMany($visitors));
    }

    public function testExplicitFields(): void
    {
        $supportwire = new Signer(self::SECRET, 'supportwire');
        $emails = [' Ann@X.com ', 'b@x.com'];
        self::assertSameAsSign($supportwire, 'email', $emails, $supportwire->signMany($emails, 'email'));
        self::assertSameAsSign($supportwire, 'external_id', ['E-1', 'e-2 '], $supportwire->signMany(['E-1', 'e-2 '], 'external_id'));
        self::assertSame($supportwire->signMany(['E-1'], 'external_id'), $supportwire->signMany(['E-1'], 'externalId'));
        $inviaro = new Signer(self::SECRET, 'inviaro');
        self::assertSame($inviaro->signMany([1, 'a']), $inviaro->signMany([1, 'a'], 'userId'));

        self::assertBatchFails(InvalidInputException::class, 'supportwire signs external_id or email', $supportwire, ['a@x.com']);
        self::assertBatchFails(InvalidInputException::class, 'supportwire signs external_id or email', $supportwire, []);
        self::assertBatchFails(InvalidInputException::class, 'unknown field "mail"', $supportwire, ['a'], 'mail');
        self::assertBatchFails(InvalidInputException::class, 'item 0: ensoras signs email', new Signer(self::SECRET, 'ensoras'), ['a'], 'user_id');
    }

    public function testKeysAreIgnoredAndEmptyBatches(): void
    {
        $signer = new Signer(self::SECRET, 'ensoras');
        $hashes = $signer->signMany(['z' => 'a@x.com', 7 => 'b@x.com']);
        self::assertSame([$signer->sign(['email' => 'a@x.com']), $signer->sign(['email' => 'b@x.com'])], $hashes);
        self::assertSame([], $signer->signMany([]));
        self::assertSame([], (new Signer(self::SECRET, 'fluentbot'))->signMany([]));
    }

    /** Past the core's parallel threshold (8192 items) and across the C side's chunks (65 536). */
    public function testLargeBatchesMatchHashHmac(): void
    {
        $signer = new Signer(self::SECRET, 'inviaro');
        $ids = [];
        for ($i = 0; $i < 150_000; $i++) {
            $ids[] = $i % 3 === 0 ? $i : "usr_{$i}";
        }
        for ($round = 0; $round < 3; $round++) {
            $hashes = $signer->signMany($ids);
            self::assertCount(150_000, $hashes);
            foreach ([0, 1, 8191, 8192, 65_535, 65_536, 100_001, 149_999] as $i) {
                self::assertSame(hash_hmac('sha256', (string) $ids[$i], self::SECRET), $hashes[$i], "item {$i}");
            }
        }
        $bad = $ids;
        $bad[131_072] = '';
        $bad[140_000] = '';
        self::assertBatchFails(EmptyIdentityException::class, 'item 131072: user_id is empty', $signer, $bad);
        $bad[131_072] = "\xff";
        self::assertBatchFails(InvalidUtf8Exception::class, 'item 131072: user_id: string is not valid UTF-8', $signer, $bad);
        // A value PHP refuses, in a later chunk: named by its index in the whole batch,
        // after a bad item the core finds before it in the same chunk.
        $bad = $ids;
        $bad[140_000] = new \DateTimeImmutable();
        self::assertBatchFails(InvalidInputException::class, 'item 140000: user_id: DateTimeImmutable is not a JSON value', $signer, $bad, 'userId');
        $bad[139_999] = 1.5;
        self::assertBatchFails(InvalidInputException::class, 'item 139999: user_id: must be a string or an integer', $signer, $bad);
    }

    public function testTheFirstBadItemIsNamed(): void
    {
        $ensoras = new Signer(self::SECRET, 'ensoras');
        // (Not mixed with invalid UTF-8 further on: the C library checks UTF-8 for
        // a whole chunk before signing it, so that later item would be named.)
        self::assertBatchFails(EmptyIdentityException::class, 'item 1: email is empty', $ensoras, ['a@x.com', '', ' ', '']);
        self::assertBatchFails(InvalidUtf8Exception::class, 'item 2: email: string is not valid UTF-8', $ensoras, ['a@x.com', 'b', "\xff", '']);
        self::assertBatchFails(InvalidInputException::class, 'item 1: email: must be a string', $ensoras, ['a@x.com', 42, '']);
        self::assertBatchFails(EmptyIdentityException::class, 'item 0: email is empty', $ensoras, ['', 42]);
        self::assertBatchFails(InvalidInputException::class, 'item 2: email', $ensoras, ['a', 'b', null]);

        $inviaro = new Signer(self::SECRET, 'inviaro');
        foreach ([1.5, 1.0, true, null, \NAN, ['x'], new \DateTime()] as $value) {
            self::assertBatchFails(InvalidInputException::class, 'item 1: user_id', $inviaro, ['ok', $value, '']);
        }

        $fluentbot = new Signer(self::SECRET, 'fluentbot');
        $ok = ['name' => 'A', 'email' => 'a@x.com'];
        self::assertBatchFails(InvalidInputException::class, 'item 1: visitor.data.when: DateTimeImmutable is not a JSON value', $fluentbot, [$ok, ['name' => 'B', 'data' => ['when' => new \DateTimeImmutable()]]]);
        self::assertBatchFails(InvalidUtf8Exception::class, 'item 2: visitor.name', $fluentbot, [$ok, $ok, ['name' => "\xc3"]]);
        // The library finds item 1, PHP's conversion item 2: item 1 is reported.
        self::assertBatchFails(InvalidInputException::class, 'item 1: visitor: must be an object', $fluentbot, [$ok, 'x', ['name' => 'b', 'data' => [new \DateTime()]]]);
        self::assertBatchFails(InvalidInputException::class, 'item 2: visitor.data[0]: DateTime is not a JSON value', $fluentbot, [$ok, $ok, ['name' => 'b', 'data' => [new \DateTime()]], 'x']);
        $deep = 1;
        for ($i = 0; $i < 200; $i++) {
            $deep = [$deep];
        }
        self::assertBatchFails(TooDeepException::class, 'item 1: ', $fluentbot, [$ok, ['name' => 'x', 'data' => $deep]]);
    }

    public function testSecretNeverInBatchErrors(): void
    {
        $leaky = 'sup3r-S3CRET-batch-marker';
        $signer = new Signer($leaky, 'inviaro');
        foreach ([['', 'a'], ["\xff"], [1.5], [new \stdClass()]] as $values) {
            try {
                $signer->signMany($values);
                self::fail('expected an error');
            } catch (UserhashException $e) {
                self::assertStringNotContainsString($leaky, $e->getMessage() . $e);
            }
        }
    }
}
