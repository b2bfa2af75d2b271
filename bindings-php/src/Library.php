<?php

declare(strict_types=1);

namespace Userhash;

use FFI;
use FFI\CData;
use FFI\CType;

/**
 * Loads `libuserhash.so` through FFI once per process, with the declarations of
 * `src/userhash.ffi.h` (generated from the C header by bin/generate.php), and
 * reads the library's lists, bytes and errors.
 *
 * Library path, first match wins:
 *  1. {@see Library::load()} called by the application,
 *  2. the `USERHASH_LIB` environment variable,
 *  3. `<repo>/build/c/lib/libuserhash.so` (what `make c-lib` builds),
 *  4. `libuserhash.so` on the dynamic loader's search path (ldconfig, LD_LIBRARY_PATH).
 */
final class Library
{
    private static ?FFI $ffi = null;
    private static ?string $explicitPath = null;
    /**
     * The out-params of every call, made once (a PHP process runs one call at a time): the
     * `error_out` (a `userhash_error_t *`), the `char[65]` hex, the `userhash_bytes_t`; and the
     * type of a signer handle.
     */
    public static CData $errorOut, $hex, $bytes;
    public static CType $signerPtr;

    /**
     * Uses the library at `$path` (call before the first Signer is built).
     * Throws if a different library is already loaded.
     */
    public static function load(string $path): void
    {
        self::$ffi === null || $path === self::path() || throw new \LogicException('userhash: libuserhash is already loaded from ' . self::path());
        self::$explicitPath = $path;
        self::ffi();
    }

    /** The path the library is (or will be) loaded from. */
    public static function path(): string
    {
        $env = getenv('USERHASH_LIB');

        return self::$explicitPath ?? (\is_string($env) && $env !== '' ? (realpath($env) ?: $env) : (is_file($built = \dirname(__DIR__, 2) . '/build/c/lib/libuserhash.so') ? $built : 'libuserhash.so'));
    }

    /** The cached FFI handle, created on first use. */
    public static function ffi(): FFI
    {
        if (self::$ffi === null) {
            try {
                self::$ffi = FFI::cdef((string) file_get_contents(__DIR__ . '/userhash.ffi.h'), self::path());
            } catch (\Error $e) { // FFI\Exception, or no FFI class at all without ext-ffi
                throw new \RuntimeException('userhash: cannot load libuserhash from ' . self::path() . " ({$e->getMessage()}). Build it with `make c-lib`, set USERHASH_LIB to its path, and enable ext-ffi (PHP >= 8.1; ffi.enable is \"preload\" for the CLI, \"true\" for web SAPIs).", 0, $e);
            }
            self::$errorOut = FFI::addr(self::$ffi->new('userhash_error_t', false)); // kept for the process
            [self::$hex, self::$bytes, self::$signerPtr] = [self::$ffi->new('char[65]'), self::$ffi->new('userhash_bytes_t'), self::$ffi->type('userhash_signer_t *')];
        }

        return self::$ffi;
    }

    /**
     * A list of the library's, read through `$function` (`userhash_preset_name`,
     * or `userhash_signer_field` of `$signer`) from index 0 up to its NULL.
     *
     * @return list<string>
     */
    public static function names(string $function, CData ...$signer): array
    {
        for ($names = []; ($name = self::ffi()->$function(...[...$signer, \count($names)])) !== null;) {
            $names[] = $name;
        }

        return $names;
    }

    /** A library-owned `userhash_bytes_t` as a PHP string (the bytes are freed). */
    public static function take(CData $bytes): string
    {
        $text = FFI::isNull($bytes->ptr) ? '' : FFI::string($bytes->ptr, $bytes->len);
        self::$ffi->userhash_bytes_free($bytes);

        return $text;
    }

    /** Throws the error of status `$status` that the last call wrote to {@see $errorOut}. */
    public static function raise(int $status): never
    {
        [$e, $string] = [self::$errorOut[0], static fn (CData $b): ?string => FFI::isNull($b->ptr) ? null : FFI::string($b->ptr, $b->len)];
        $error = UserhashException::of(self::$ffi->userhash_status_code($status), (string) $string($e->message), $status, $string($e->path), $e->item < 0 ? null : $e->item);
        self::$ffi->userhash_error_free(self::$errorOut);
        throw $error;
    }
}
