<?php

declare(strict_types=1);

namespace Userhash;

use FFI;
use FFI\CData;

/**
 * Loads `libuserhash.so` through FFI once per process, with the declarations of
 * `src/userhash.ffi.h` (generated from the C header by bin/generate.php), and
 * reads the library's lists, bytes and errors.
 *
 * Where the library comes from, first match wins:
 *  1. a path: {@see Library::load()} called by the application, or the `USERHASH_LIB`
 *     environment variable;
 *  2. the FFI scope `userhash` that preload.php loaded under `opcache.preload`
 *     (the way for web SAPIs, where the default `ffi.enable=preload` refuses FFI::cdef);
 *  3. the library bundled in the Composer package, `lib/<os>-<machine>/libuserhash.so`
 *     (`lib/linux-x86_64/libuserhash.so`);
 *  4. `<repo>/build/c/lib/libuserhash.so` in a checkout (what `make c-lib` builds),
 *     else `libuserhash.so` on the dynamic loader's search path.
 */
final class Library
{
    private static ?FFI $ffi = null;
    private static ?string $explicitPath = null;
    /**
     * The out-params of every call, made once (a PHP process runs one call at a time): the
     * `error_out` (a `userhash_error_t *`), the `char[65]` hex, the `userhash_bytes_t`.
     */
    public static CData $errorOut, $hex, $bytes;

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

    /** The path of the library file that is (or would be) loaded, the first of 1, 3, 4 above. */
    public static function path(): string
    {
        [$env, $bundled] = [getenv('USERHASH_LIB'), \dirname(__DIR__) . '/lib/' . strtolower(\PHP_OS_FAMILY) . '-' . php_uname('m') . '/libuserhash.so'];
        if (self::$explicitPath !== null || (\is_string($env) && $env !== '')) {
            return self::$explicitPath ?? (realpath($env) ?: $env);
        }

        return is_file($bundled) ? $bundled : (is_file($built = \dirname(__DIR__, 2) . '/build/c/lib/libuserhash.so') ? $built : 'libuserhash.so');
    }

    /** The cached FFI handle, made on first use: the preloaded scope unless a path is given, else FFI::cdef. */
    public static function ffi(): FFI
    {
        if (self::$ffi === null) {
            try {
                try {
                    self::$ffi = self::$explicitPath === null && (string) getenv('USERHASH_LIB') === '' ? FFI::scope('userhash') : null;
                } catch (FFI\Exception) { // not preloaded
                }
                self::$ffi ??= FFI::cdef((string) file_get_contents(__DIR__ . '/userhash.ffi.h'), self::path());
            } catch (\Error $e) { // FFI\Exception, or no FFI class at all without ext-ffi
                throw new \RuntimeException('userhash: cannot load libuserhash from ' . self::path() . " ({$e->getMessage()}). Set USERHASH_LIB to its path (or build it with `make c-lib`), enable ext-ffi (PHP >= 8.1), and in a web SAPI either preload it (opcache.preload=<package>/preload.php) or set ffi.enable=true.", 0, $e);
            }
            self::$errorOut = FFI::addr(self::$ffi->new('userhash_error_t', false)); // kept for the process
            [self::$hex, self::$bytes] = [self::$ffi->new('char[65]'), self::$ffi->new('userhash_bytes_t')];
        }

        return self::$ffi;
    }

    /**
     * Loads the library once for a whole server, as the FFI scope `userhash` that every
     * request then takes (preload.php calls this under `opcache.preload`).
     */
    public static function preload(): void
    {
        // FFI::load takes a file, and a relative FFI_LIB is taken from the current directory.
        file_put_contents($file = (string) tempnam(sys_get_temp_dir(), 'userhash-ffi-'), self::header());
        try {
            FFI::load($file) ?? throw new \RuntimeException('userhash: cannot preload libuserhash from ' . self::path());
        } finally {
            unlink($file);
        }
    }

    /** src/userhash.preload.h with its `FFI_LIB` set to {@see path()}: for FFI::load, or for `ffi.preload`. */
    public static function header(): string
    {
        return preg_replace('/^#define FFI_LIB .*$/m', '#define FFI_LIB "' . self::path() . '"', (string) file_get_contents(__DIR__ . '/userhash.preload.h'), 1);
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
