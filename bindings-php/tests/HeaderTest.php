<?php

declare(strict_types=1);

namespace Userhash\Tests;

use PHPUnit\Framework\TestCase;
use Userhash\Library;

/**
 * Library::CDEF is a hand-kept copy of bindings-c/include/userhash.h (FFI::cdef
 * cannot read preprocessor lines). These tests fail when the generated header
 * changes and the copy does not.
 */
final class HeaderTest extends TestCase
{
    private const FUNCTIONS = [
        'userhash_signer_new', 'userhash_signer_free', 'userhash_sign', 'userhash_sign_field',
        'userhash_sign_many', 'userhash_sign_many_packed', 'userhash_verify', 'userhash_canonical',
        'userhash_embed', 'userhash_bytes_free', 'userhash_status_code',
    ];

    private static function header(): string
    {
        $path = \dirname(__DIR__, 2) . '/include/userhash.h';
        $text = file_get_contents($path);
        self::assertIsString($text, "cannot read {$path}");

        return $text;
    }

    /** Declarations only: no comments, no preprocessor lines, no extern "C" wrapper. */
    private static function declarations(string $c): string
    {
        $c = preg_replace('~/\*.*?\*/~s', '', $c);
        $c = preg_replace('~//[^\n]*~', '', $c);
        $c = preg_replace('~^\s*#.*$~m', '', $c);
        $c = preg_replace('~extern\s+"C"\s*\{|^\s*\}\s*$~m', '', $c);

        return $c;
    }

    /** One canonical spelling per declaration, mapping the deliberate ABI-identical differences. */
    private static function normalize(string $decl): string
    {
        $decl = preg_replace('~\b(struct|enum)\s+(?=\w+\s*[\*\w])~', '', $decl);
        $decl = preg_replace('~\s+~', ' ', $decl);
        $decl = preg_replace('~\s*([\*(),{};=\[\]])\s*~', '$1', $decl);
        $decl = str_replace(
            ['const uint8_t*', 'const size_t*lens', 'char out_hex[65]', ',}'],
            ['const char*', 'const char*lens', 'char*out_hex', '}'],
            $decl,
        );

        return trim($decl);
    }

    /** @return array<string, string> name => normalized declaration (functions and typedefs) */
    private static function parse(string $c): array
    {
        $c = self::declarations($c);
        $out = [];
        preg_match_all('~typedef\s+(?:enum|struct)\s+(\w+)\s*(\{[^}]*\})?\s*\w+\s*;~', $c, $m, \PREG_SET_ORDER);
        foreach ($m as [$decl, $name]) {
            $out[$name] = self::normalize($decl);
        }
        foreach (self::FUNCTIONS as $fn) {
            if (preg_match('~[\w\s\*]*?\b' . $fn . '\s*\([^)]*\)\s*;~', $c, $fm)) {
                $out[$fn] = self::normalize($fm[0]);
            }
        }
        ksort($out);

        return $out;
    }

    public function testCdefMatchesTheGeneratedHeader(): void
    {
        $header = self::parse(self::header());
        foreach (self::FUNCTIONS as $fn) {
            self::assertArrayHasKey($fn, $header, "{$fn} is not in userhash.h");
        }
        self::assertSame($header, self::parse(Library::CDEF));
    }

    public function testTheHeaderItselfLoadsInFfiOnceStripped(): void
    {
        $ffi = \FFI::cdef(self::declarations(self::header()), Library::path());
        self::assertSame('invalid_utf8', $ffi->userhash_status_code(5));
        self::assertSame(9, $ffi->USERHASH_PANIC);
    }

    public function testStatusCodesMatchTheExceptionCodes(): void
    {
        $ffi = Library::ffi();
        foreach (\Userhash\UserhashException::STATUS as $code => $status) {
            self::assertSame($code, $ffi->userhash_status_code($status));
        }
    }
}
