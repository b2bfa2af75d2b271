<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\EmptyIdentityException;
use Userhash\InvalidInputException;
use Userhash\InvalidUtf8Exception;
use Userhash\Signer;
use Userhash\UserhashException;

/**
 * Signer::embed: the core renders the snippets (docs/embed.md; the browser
 * test runs them); these check the PHP side — input and options cross as
 * PHP values ({} vs [], null options), the hash is sign()'s, errors map.
 */
final class EmbedTest extends TestCase
{
    private const SECRET = 's3cr3t';

    public function testLayerupScriptAndUrl(): void
    {
        $signer = new Signer(self::SECRET, 'layerup');
        $input = ['email' => 'Ann+1@Example.com'];
        $hash = $signer->sign($input);
        $html = $signer->embed($input, ['widget' => 'wk_"1', 'nonce' => 'n0nce']);
        self::assertStringContainsString('data-widget-key="wk_&quot;1"', $html);
        self::assertStringContainsString('data-user-email="Ann+1@Example.com"', $html);
        self::assertStringContainsString("data-user-hash=\"{$hash}\"", $html);
        self::assertStringContainsString('nonce="n0nce"', $html);
        self::assertSame(
            "https://us.uselayerup.com/widget/wk_1?ue=Ann%2B1%40Example.com&uh={$hash}",
            $signer->embed($input, ['widget' => 'wk_1', 'form' => 'url', 'nonce' => null]),
        );
    }

    public function testFluentBotVisitorReparsesToTheSignedBytes(): void
    {
        $signer = new Signer(self::SECRET, 'fluentbot');
        $visitor = [
            'name' => "Zoë </script><script>window.pwned=1</script>\u{2028}",
            'email' => 'z@x.com',
            'data' => ['price' => 9.0, 'limits' => new \stdClass(), 'tags' => [], '10' => 'ten', '2' => 'two'],
        ];
        $html = $signer->embed(['visitor' => $visitor], ['widget' => 'BOT']);
        self::assertStringNotContainsString('</script><script>', $html);
        self::assertSame(1, preg_match('~injectWidget\("BOT", (\{.*\})\);~', $html, $m));
        $args = json_decode($m[1]);
        self::assertSame($signer->sign(['visitor' => $visitor]), $args->visitor->signature);
        unset($args->visitor->signature);
        // What the browser parses is the canonical payload (JSON escapes aside).
        self::assertSame(
            $signer->canonical(['visitor' => $visitor]),
            json_encode($args->visitor, \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_LINE_TERMINATORS),
        );
    }

    public function testOptionsAreConvertedLikeValues(): void
    {
        $signer = new Signer(self::SECRET, 'supportwire');
        $html = $signer->embed(['external_id' => 'E-1'], ['widget' => 'W', 'data' => ['plan' => 'Pro', 'o' => new \stdClass(), 'a' => [], 'f' => 1.5]]);
        self::assertStringContainsString('"userExternalUserId":"E-1"', $html);
        self::assertStringContainsString('"userData":{"plan":"Pro","o":{},"a":[],"f":1.5}', $html);

        $inviaro = new Signer(self::SECRET, 'inviaro');
        $hash = $inviaro->sign(['user_id' => 42]);
        self::assertSame(
            "Inviaro('identify', {\"userId\":\"42\",\"userHash\":\"{$hash}\",\"name\":\"Ann\"});",
            $inviaro->embed(['user_id' => 42], ['widget' => 'wt', 'form' => 'identify', 'name' => 'Ann', 'email' => null]),
        );
        $ensoras = new Signer(self::SECRET, 'ensoras');
        self::assertStringContainsString('Ensoras(\'identify\', {"email":"Ann@X.com","hash":"' . $ensoras->sign(['email' => 'Ann@X.com']) . '"});', $ensoras->embed(['email' => 'Ann@X.com'], ['widget' => 'slug']));
    }

    public function testErrors(): void
    {
        $cases = [
            [InvalidInputException::class, 'widget', 'layerup', ['email' => 'a@x.com'], []],
            [InvalidInputException::class, 'bogus', 'layerup', ['email' => 'a@x.com'], ['widget' => 'w', 'bogus' => 1]],
            [InvalidInputException::class, 'form', 'ensoras', ['email' => 'a@x.com'], ['widget' => 'w', 'form' => 'url']],
            [InvalidInputException::class, 'options.data.when: DateTime is not a JSON value', 'supportwire', ['email' => 'a@x.com'], ['widget' => 'w', 'data' => ['when' => new \DateTime()]]],
            [InvalidUtf8Exception::class, 'options.widget', 'layerup', ['email' => 'a@x.com'], ['widget' => "\xff"]],
            [EmptyIdentityException::class, 'email', 'ensoras', ['email' => ''], ['widget' => 'w']],
            [InvalidInputException::class, 'custom scheme', 'email:trim_lowercase', ['email' => 'a@x.com'], ['widget' => 'w']],
        ];
        foreach ($cases as [$class, $part, $preset, $input, $options]) {
            try {
                (new Signer(self::SECRET, $preset))->embed($input, $options);
                self::fail("expected {$class} for {$part}");
            } catch (UserhashException $e) {
                self::assertInstanceOf($class, $e, $e->getMessage());
                self::assertStringContainsString($part, $e->getMessage());
            }
        }
    }
}
