<?php

declare(strict_types=1);

namespace Userhash;

/**
 * Loads `libuserhash.so` through FFI once per process and caches the handle.
 *
 * Library path, first match wins:
 *  1. {@see Library::load()} called by the application,
 *  2. the `USERHASH_LIB` environment variable,
 *  3. `<repo>/build/c/lib/libuserhash.so` (what `make c-lib` builds),
 *  4. `libuserhash.so` on the dynamic loader's search path (ldconfig, LD_LIBRARY_PATH).
 *
 * @internal Use {@see Signer}.
 */
final class Library
{
    /**
     * The declarations of bindings-c/include/userhash.h that PHP uses.
     *
     * FFI::cdef cannot parse the preprocessor lines of the generated header, so
     * this is a hand-kept copy; tests/HeaderTest.php checks it against the header.
     * Two deliberate differences, both the same ABI: byte-string inputs are
     * declared `const char *` instead of `const uint8_t *`, and the `lens`
     * array of userhash_sign_many_packed `const char *` instead of
     * `const size_t *`, so PHP strings (a pack()ed array of lengths included)
     * are passed without a copy — PHP FFI only passes a string to a char/void pointer.
     */
    public const CDEF = <<<'C'
        typedef enum userhash_status_t {
            USERHASH_OK = 0,
            USERHASH_EMPTY_SECRET = 1,
            USERHASH_EMPTY_IDENTITY = 2,
            USERHASH_INVALID_INPUT = 3,
            USERHASH_INVALID_JSON = 4,
            USERHASH_INVALID_UTF8 = 5,
            USERHASH_TOO_DEEP = 6,
            USERHASH_UNKNOWN_PRESET = 7,
            USERHASH_NULL_ARGUMENT = 8,
            USERHASH_PANIC = 9
        } userhash_status_t;
        typedef enum userhash_field_t {
            USERHASH_FIELD_EMAIL = 0,
            USERHASH_FIELD_USER_ID = 1,
            USERHASH_FIELD_EXTERNAL_ID = 2,
            USERHASH_FIELD_VISITOR = 3,
            USERHASH_FIELD_DEFAULT = 4
        } userhash_field_t;
        typedef struct userhash_signer_t userhash_signer_t;
        typedef struct userhash_bytes_t { uint8_t *ptr; size_t len; } userhash_bytes_t;
        typedef struct userhash_slice_t { const uint8_t *ptr; size_t len; } userhash_slice_t;
        userhash_status_t userhash_signer_new(const char *secret, size_t secret_len,
            const char *preset, size_t preset_len, const userhash_slice_t *previous, size_t previous_len,
            userhash_signer_t **out, userhash_bytes_t *error_out);
        void userhash_signer_free(userhash_signer_t *signer);
        userhash_status_t userhash_sign(const userhash_signer_t *signer, const char *input_json, size_t input_len,
            char *out_hex, userhash_bytes_t *error_out);
        userhash_status_t userhash_sign_field(const userhash_signer_t *signer, userhash_field_t field,
            const char *value, size_t value_len, char *out_hex, userhash_bytes_t *error_out);
        userhash_status_t userhash_sign_many(const userhash_signer_t *signer, userhash_field_t field,
            const userhash_slice_t *values, size_t n, char *out_hexes, userhash_bytes_t *error_out);
        userhash_status_t userhash_sign_many_packed(const userhash_signer_t *signer, userhash_field_t field,
            const char *data, size_t data_len, const char *lens, size_t n, char *out_hexes, userhash_bytes_t *error_out);
        userhash_status_t userhash_verify(const userhash_signer_t *signer, const char *hash, size_t hash_len,
            const char *input_json, size_t input_len, bool *out_match, userhash_bytes_t *error_out);
        userhash_status_t userhash_canonical(const userhash_signer_t *signer, const char *input_json, size_t input_len,
            userhash_bytes_t *out, userhash_bytes_t *error_out);
        userhash_status_t userhash_embed(const userhash_signer_t *signer, const char *input_json, size_t input_len,
            const char *options_json, size_t options_len, userhash_bytes_t *out, userhash_bytes_t *error_out);
        void userhash_bytes_free(userhash_bytes_t bytes);
        const char *userhash_status_code(userhash_status_t status);
        C;

    private static ?\FFI $ffi = null;
    private static ?string $explicitPath = null;

    private function __construct()
    {
    }

    /**
     * Uses the library at `$path` (call before the first Signer is built).
     * Throws if a different library is already loaded.
     */
    public static function load(string $path): void
    {
        if (self::$ffi !== null) {
            if ($path === self::path()) {
                return;
            }
            throw new \LogicException('userhash: libuserhash is already loaded from ' . self::path());
        }
        self::$explicitPath = $path;
        self::ffi();
    }

    /** The path the library is (or will be) loaded from. */
    public static function path(): string
    {
        if (self::$explicitPath !== null) {
            return self::$explicitPath;
        }
        $env = getenv('USERHASH_LIB');
        if (\is_string($env) && $env !== '') {
            return realpath($env) ?: $env;
        }
        $built = \dirname(__DIR__, 2) . '/build/c/lib/libuserhash.so';

        return is_file($built) ? $built : 'libuserhash.so';
    }

    /** The cached FFI handle, created on first use. */
    public static function ffi(): \FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        if (!\extension_loaded('ffi')) {
            throw new \RuntimeException('userhash needs the PHP FFI extension (ext-ffi, PHP >= 8.1)');
        }
        $path = self::path();
        try {
            self::$ffi = \FFI::cdef(self::CDEF, $path);
        } catch (\FFI\Exception $e) {
            throw new \RuntimeException(
                "userhash: cannot load libuserhash from {$path} ({$e->getMessage()}). "
                . 'Build it with `make c-lib`, set USERHASH_LIB to its path, and make sure '
                . 'ffi.enable is "preload" (CLI) or "true" (web SAPIs).',
                0,
                $e,
            );
        }

        return self::$ffi;
    }
}
