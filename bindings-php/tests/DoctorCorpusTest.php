<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\Signer;

/**
 * The shared doctor corpus (tests/doctor/cases.json, issue 16): wrong hashes
 * made by real code in several languages, each with the variant the doctor must
 * name. Every case: build the signer (secret, preset, previous secrets, signer
 * options), diagnose(hash, input), and expect matched with that variant.
 */
final class DoctorCorpusTest extends TestCase
{
    private const CORPUS = __DIR__ . '/../../tests/doctor/cases.json';

    /** @return iterable<string, array{\stdClass}> */
    public static function cases(): iterable
    {
        if (!is_file(self::CORPUS)) {
            return; // testCorpusExists says why
        }
        // Objects stay stdClass (so `{}` stays an object, not a PHP list); numbers as PHP reads JSON's.
        $corpus = json_decode((string) file_get_contents(self::CORPUS), false, 512, \JSON_THROW_ON_ERROR);
        foreach ($corpus->cases as $case) {
            yield $case->id => [$case];
        }
    }

    public function testCorpusExists(): void
    {
        is_file(self::CORPUS) || self::markTestSkipped('tests/doctor/cases.json does not exist yet (the doctor corpus of issue 16)');
        $corpus = json_decode((string) file_get_contents(self::CORPUS), true, 512, \JSON_THROW_ON_ERROR);
        self::assertSame(1, $corpus['version']);
        self::assertNotEmpty($corpus['cases']);
    }

    /** @dataProvider cases */
    public function testTheDoctorNamesTheVariant(\stdClass $case): void
    {
        $signer = new Signer($case->secret, $case->preset, $case->previous ?? [], (array) ($case->signer_options ?? []));
        $input = (array) $case->input;
        $diagnosis = $signer->diagnose($case->hash, $input);
        self::assertTrue($diagnosis['matched'], "{$case->id} ({$case->made_by}): not matched, variant {$diagnosis['variant']}");
        self::assertSame($case->variant, $diagnosis['variant'], "{$case->id} ({$case->made_by})");
        self::assertStringNotContainsString($case->secret, json_encode($diagnosis, \JSON_THROW_ON_ERROR | \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES), "{$case->id}: the diagnosis shows the secret");
    }
}
