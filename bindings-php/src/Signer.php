<?php

declare(strict_types=1);

namespace Userhash;

use FFI;
use FFI\CData;

/**
 * Signs chat-widget identities for one widget: a secret plus a preset (one of
 * {@see Signer::presets()}) or a scheme spec (`email:trim_lowercase`),
 * computed by the userhash Rust core through FFI.
 *
 * ```php
 * $signer = new Userhash\Signer(getenv('WIDGET_SECRET'), 'ensoras');
 * $hash = $signer->sign(['email' => $user->email]);
 * ```
 *
 * The secret is handed to the core once and not kept by this object;
 * `var_dump`/`print_r`/`var_export` show only the scheme and the number of
 * previous secrets. A Signer cannot be cloned or serialized.
 */
final class Signer
{
    /** Items per userhash_sign_many_packed call (bounds the memory beyond the result). */
    private const CHUNK = 65536;
    /** json_encode flags: the core re-canonicalizes, these only keep floats floats (and the text short). */
    private const FLAGS = \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES | \JSON_PRESERVE_ZERO_FRACTION;
    /** The core's depth limit, and the batch item being converted (-1: none) for the error of a refused value. */
    private static int $maxDepth = 0, $item = -1;

    private readonly FFI $ffi;
    /** `userhash_signer_t *`, freed in __destruct */
    private readonly CData $handle;
    /** The `char[65]` and `userhash_bytes_t` out-params of every call, and its `error_out` (Library's) */
    private readonly CData $hex, $bytes, $error;
    /** The scheme's batch field (`email`), or '' when it has none: a string there takes userhash_sign_text */
    private readonly string $batch;

    /**
     * @param string $secret the widget secret (its bytes are the HMAC key)
     * @param string $preset a preset name or a scheme spec `source[:transform]`
     * @param list<string> $previous older secrets still accepted by {@see verify()}
     * @param array<string, mixed> $options signer options, handed to the core as a JSON object
     * @throws UserhashException empty_secret, unknown_preset, invalid_input (options)
     */
    public function __construct(#[\SensitiveParameter] string $secret, string $preset, #[\SensitiveParameter] array $previous = [], array $options = [])
    {
        $this->open('userhash_signer_new', $secret, $preset, $previous, $options);
    }

    /**
     * A signer whose secret (and previous secrets) the core reads from
     * environment variables. An unset or empty variable is `empty_secret`,
     * naming the variable, never its value.
     *
     * @param list<string> $previousVars
     * @param array<string, mixed> $options
     * @throws UserhashException empty_secret, unknown_preset, invalid_input (options)
     */
    public static function fromEnv(string $var, string $preset, array $previousVars = [], array $options = []): self
    {
        ($signer = (new \ReflectionClass(self::class))->newInstanceWithoutConstructor())->open('userhash_signer_from_env', $var, $preset, $previousVars, $options);

        return $signer;
    }

    /**
     * @param string $key the secret, or the name of its variable
     * @param list<string> $previous the previous secrets, or their variables
     * @param array<string, mixed> $options
     */
    private function open(string $function, #[\SensitiveParameter] string $key, string $preset, #[\SensitiveParameter] array $previous, array $options): void
    {
        // The out-params are the process's (PHP runs one call at a time); no options: empty text.
        [$ffi, $this->hex, $this->bytes, $this->error] = [$this->ffi = Library::ffi(), Library::$hex, Library::$bytes, Library::$errorOut];
        [$opts, $handle] = [$options === [] ? '' : self::object($options, 'options'), $ffi->new('userhash_signer_t *')];
        // Previous secrets (or variable names) cross as (ptr, len) slices over buffers we own.
        [$slices, $buffers] = [$previous === [] ? null : $ffi->new('userhash_slice_t[' . \count($previous) . ']'), []];
        foreach (array_values($previous) as $i => $old) {
            $buffers[] = $buf = $ffi->new('char[' . max(1, \strlen($old)) . ']');
            FFI::memcpy($buf, $old, \strlen($old));
            [$slices[$i]->ptr, $slices[$i]->len] = [$ffi->cast('const char *', $buf), \strlen($old)];
        }
        try {
            $status = $ffi->$function($key, \strlen($key), $preset, \strlen($preset), $slices, \count($buffers), $opts, \strlen($opts), FFI::addr($handle), $this->error);
        } finally {
            array_map(static fn (CData $buf) => FFI::memset($buf, 0, FFI::sizeof($buf)), $buffers);
        }
        $status === 0 ? $this->handle = $handle : Library::raise($status);
        $this->batch = (string) $ffi->userhash_signer_batch_field($handle);
    }

    public function __destruct()
    {
        isset($this->handle) && $this->ffi->userhash_signer_free($this->handle);
    }

    /**
     * The lowercase hex HMAC-SHA256 of the canonical identity.
     *
     * @param array<string, mixed> $input field name => value: `['email' => …]`,
     *        `['user_id' => 42]`, `['visitor' => [...]]`; the core checks the names
     * @throws UserhashException invalid_input, empty_identity, invalid_utf8, too_deep
     */
    public function sign(array $input): string
    {
        // One field: its value as text (a string) or as JSON (an integer's digits are its
        // JSON). In the scheme's batch field it takes the 4-argument userhash_sign_text or
        // _json (FFI's cost is per argument); another field, or a failure (the short calls
        // return the status only), takes userhash_sign_field, which reports the error.
        // (foreach reads the entry without reset()/key(), which would copy the array.)
        if (\count($input) === 1) {
            foreach ($input as $field => $value) {
                $field = (string) $field;
                $text = \is_string($value) ? $value : (\is_int($value) ? (string) $value : self::encode($value, $field));
                $status = $field === $this->batch && $this->ffi->{\is_string($value) ? 'userhash_sign_text' : 'userhash_sign_json'}($this->handle, $text, \strlen($text), $this->hex) === 0 ? 0 : $this->ffi->userhash_sign_field($this->handle, $field, \strlen($field), $text, \strlen($text), !\is_string($value), $this->hex, $this->error);

                return $status === 0 ? FFI::string($this->hex, 64) : Library::raise($status);
            }
        }
        $status = $this->ffi->userhash_sign($this->handle, $json = self::object($input, ''), \strlen($json), $this->hex, $this->error);

        return $status === 0 ? FFI::string($this->hex, 64) : Library::raise($status);
    }

    /**
     * Signs many identities in one call, in order: one hash per item of
     * `$values` (keys are ignored), each the value of `$field` — by default the
     * scheme's {@see batchField()}. Items are typed as in {@see sign()}:
     * `signMany([42, 'usr_7'])` equals `[sign(['user_id' => 42]), sign(['user_id' => 'usr_7'])]`.
     * Large batches are signed on every core. The first invalid item fails the
     * whole call, named by the core: `item 3: email is empty: …`.
     *
     * @param array<array-key, mixed> $values
     * @return list<string> 64 lowercase hex digits each
     * @throws UserhashException invalid_input, empty_identity, invalid_utf8, too_deep
     */
    public function signMany(array $values, ?string $field = null): array
    {
        [$field, $values, $hashes, $base] = [$field ?? '', array_values($values), [], 0];
        $out = $this->ffi->new('char[' . 64 * max(1, min(\count($values), self::CHUNK)) . ']');
        do {
            // A chunk of strings crosses as it is; any other item makes it JSON texts.
            [$chunk, $lens, $json] = [\array_slice($values, $base, self::CHUNK), [], false];
            foreach ($chunk as $value) {
                if ($json = !\is_string($value)) {
                    break;
                }
                $lens[] = \strlen($value);
            }
            // Else JSON texts (integer ids as their digits); a value PHP refuses is reported
            // once the items before it are signed, so an earlier bad item is named first.
            for ($j = 0, $lens = $json ? [] : $lens; $json && $j < \count($chunk); $j++) {
                try {
                    $root ??= $this->ffi->userhash_field_by_name($field, \strlen($field)) ?? (string) $this->batchField();
                    $chunk[$j] = \is_int($chunk[$j]) ? (string) $chunk[$j] : self::encode($chunk[$j], $root, 1, $base + $j);
                } catch (UserhashException $e) {
                    $this->batch($field, \array_slice($chunk, 0, $j), $lens, $base, true, $out);
                    throw $e;
                }
                $lens[] = \strlen($chunk[$j]);
            }
            $hashes[] = $this->batch($field, $chunk, $lens, $base, $json, $out);
        } while (($base += self::CHUNK) < \count($values));

        return array_merge(...$hashes);
    }

    /**
     * One userhash_sign_many_packed call: `$items` back to back in one string,
     * `$lens` packed as size_t, hashes into `$out`; the core numbers errors from `$base`.
     *
     * @param list<string> $items
     * @param list<int> $lens
     * @return list<string>
     */
    private function batch(string $field, array $items, array $lens, int $base, bool $json, CData $out): array
    {
        $status = $this->ffi->userhash_sign_many_packed($this->handle, $field, \strlen($field), $data = implode('', $items), \strlen($data), pack(\PHP_INT_SIZE === 8 ? 'Q*' : 'L*', ...$lens), \count($lens), $json, $base, $out, $this->error);

        return $status !== 0 ? Library::raise($status) : ($lens === [] ? [] : str_split(FFI::string($out, 64 * \count($lens)), 64));
    }

    /**
     * True when `$hash` signs `$input` under the current or a previous secret
     * (constant-time comparison). A malformed hash is simply false; invalid
     * input throws as for {@see sign()}.
     *
     * @param array<string, mixed> $input
     * @throws UserhashException invalid_input, empty_identity, invalid_utf8, too_deep
     */
    public function verify(string $hash, array $input): bool
    {
        // A hash that is not UTF-8 is no hex either: it crosses as '' (malformed, so false).
        return $this->call('verify', $input, ['hash' => preg_match('//u', $hash) ? $hash : '']);
    }

    /**
     * The exact string that gets signed for `$input` (to debug a mismatch with the vendor).
     *
     * @param array<string, mixed> $input
     * @throws UserhashException invalid_input, empty_identity, invalid_utf8, too_deep
     */
    public function canonical(array $input): string
    {
        return $this->call('canonical', $input);
    }

    /**
     * The vendor's widget snippet for `$input` (the input of {@see sign()}),
     * signed, with every value escaped for where it lands (HTML attribute,
     * JSON inside `<script>`, URL). Print it as it is: it is already HTML.
     * Options (docs/embed.md): `widget` (required), `form`, `nonce`, and per
     * vendor `origin`, `name`, `email`, `data`; the core checks them.
     *
     * ```php
     * echo $signer->embed(['email' => $user->email], ['widget' => 'wk_123', 'nonce' => $cspNonce]);
     * ```
     *
     * @param array<string, mixed> $input
     * @param array<string, mixed> $options
     * @throws UserhashException invalid_input (bad options, a custom scheme), and the errors of sign()
     */
    public function embed(array $input, array $options): string
    {
        return $this->call('embed', $input, $options);
    }

    /**
     * Runs the core's operation `$operation` — `token`, `verify_token`,
     * `diagnose`, any of `Library::names('userhash_operation_name')` — on `$input` (the input of
     * {@see sign()}; `[]` when it needs none) with `$args` (an object of named
     * arguments: `['hash' => …]`, `['token' => …, 'now' => 1700000000]`), and
     * returns its result as PHP values (JSON objects as stdClass, or as arrays
     * with `$assoc`, as json_decode()).
     *
     * ```php
     * $token = $signer->call('token', ['user_id' => 'u1'], ['ttl' => 600]);
     * $claims = $signer->call('verify_token', [], ['token' => $token]);
     * ```
     *
     * @param array<string, mixed> $input
     * @param array<string, mixed> $args
     * @throws UserhashException invalid_input (an unknown operation, bad arguments), the token codes, and the errors of sign()
     */
    public function call(string $operation, array $input = [], array $args = [], bool $assoc = false): mixed
    {
        $status = $this->ffi->userhash_call($this->handle, $operation, \strlen($operation), $json = self::object($input, ''), \strlen($json), $argv = self::object($args, 'options'), \strlen($argv), FFI::addr($this->bytes), $this->error);

        return $status === 0 ? json_decode(Library::take($this->bytes), $assoc, 512, \JSON_THROW_ON_ERROR) : Library::raise($status);
    }

    /**
     * An identity token (a JWT, HS256) for a token preset (docs/tokens.md):
     * `$input` as for {@see sign()}; options `kid`, `ttl`, `now`, `claims`.
     *
     * @param array<string, mixed> $input
     * @param array<string, mixed> $options
     * @throws UserhashException invalid_input, empty_identity (and the errors of sign())
     */
    public function token(array $input, array $options = []): string
    {
        return $this->call('token', $input, $options);
    }

    /**
     * The claims of `$token` when it is valid for this signer (options `now`,
     * `leeway`, `kids`); else throws the token's code.
     *
     * @param array<string, mixed> $options
     * @return array<string, mixed>
     * @throws UserhashException invalid_token, bad_signature, unknown_kid, token_expired, token_not_yet_valid
     */
    public function verifyToken(string $token, array $options = []): array
    {
        return $this->call('verify_token', [], ['token' => $token] + $options, true);
    }

    /**
     * Why `$hash` does not match `$input` (docs/doctor.md): `matched`, `variant`
     * (the mistake's id, `none` when none reproduces it), `explanation`,
     * `expected_canonical`, `signed_canonical`, `first_difference`, `mistakes`,
     * `tried`. Never contains a secret.
     *
     * @param array<string, mixed> $input
     * @return array<string, mixed>
     * @throws UserhashException the errors of sign()
     */
    public function diagnose(string $hash, array $input): array
    {
        return $this->call('diagnose', $input, ['hash' => $hash], true);
    }

    // PHP values as the JSON text the C ABI takes (the core parses it as
    // `JSON.parse` would and applies every rule itself, so PHP's escaping and
    // number spelling do not matter). The native-value policy
    // (docs/canonicalization.md, "Native values"): a list array is an array, any
    // other array or a stdClass an object (keys as strings); strings must be UTF-8;
    // floats stay floats (NAN/INF cross as an overflowing literal: a non-finite
    // double to the core); dates, enums, JsonSerializable, GMP, resources and
    // other objects are refused through `userhash_conversion_error`, naming their
    // path; nesting stops at `userhash_max_depth()`, which also ends cycles.
    //
    // Plain data takes one json_encode after a type scan; only when either fails
    // does the walk run, to write NAN/INF or to name the value it refuses.


    /** Named values (sign-call fields, options) as a JSON object, paths from `$root`. */
    private static function object(array $fields, string $root): string
    {
        return self::encode($fields === [] || array_is_list($fields) ? (object) $fields : $fields, $root, 0);
    }

    /** `$value`, found at `$path` (a container there at nesting level `$depth`), as JSON text. */
    private static function encode(mixed $value, string $path, int $depth = 1, int $item = -1): string
    {
        // (The depth limit read once per call: a static property costs ~100 instructions a read.)
        $max = self::$maxDepth ?: (self::$maxDepth = Library::ffi()->userhash_max_depth());
        $plain = \is_array($value) || $value instanceof \stdClass ? $depth <= $max && self::plain($value, $max - $depth) : !\is_object($value);
        // (json_encode writes floats exactly only with the default serialize_precision, or >= 17.)
        if ($plain && (($precision = (int) ini_get('serialize_precision')) === -1 || $precision >= 17) && ($json = json_encode($value, self::FLAGS, $max + 2)) !== false) {
            return $json;
        }
        self::$item = $item;

        return self::walk($value, $path, $depth);
    }

    /**
     * True when json_encode may write the items of `$value`: scalars, null, and arrays and
     * stdClass of such, `$levels` more levels deep at most. (Scalars are tested first and
     * containers only recurse: this scan runs before every JSON value is sent.)
     */
    private static function plain(array|\stdClass $value, int $levels): bool
    {
        foreach ($value as $item) {
            if (\is_scalar($item)) {
                continue;
            }
            if (\is_array($item) ? $levels === 0 || !self::plain($item, $levels - 1) : $item !== null && ($levels === 0 || !$item instanceof \stdClass || !self::plain($item, $levels - 1))) {
                return false;
            }
        }

        return true;
    }

    private static function walk(mixed $value, string $path, int $depth): string
    {
        if (\is_array($value) || $value instanceof \stdClass) {
            $depth > self::$maxDepth && self::refuse('too_deep', '', $path);
            [$list, $parts] = [\is_array($value) && array_is_list($value), []];
            foreach ($value as $key => $item) {
                $name = $list ? '' : (json_encode((string) $key, self::FLAGS) ?: self::refuse('invalid_utf8', '', $path)) . ':';
                $parts[] = $name . self::walk($item, $list ? "{$path}[{$key}]" : ($path === '' ? "{$key}" : "{$path}.{$key}"), $depth + 1);
            }

            return $list ? '[' . implode(',', $parts) . ']' : '{' . implode(',', $parts) . '}';
        }

        return match (true) {
            \is_string($value) => json_encode($value, self::FLAGS) ?: self::refuse('invalid_utf8', '', $path),
            \is_float($value) => is_finite($value) ? sprintf('%.16e', $value) : ($value < 0 ? '-1e999' : '1e999'),
            \is_int($value), \is_bool($value), $value === null => json_encode($value),
            $value instanceof \DateTimeInterface => self::refuse('datetime', $value::class, $path),
            $value instanceof \UnitEnum => self::refuse('enum', $value::class, $path),
            $value instanceof \JsonSerializable => self::refuse('json_hook', $value::class, $path),
            $value instanceof \GMP => self::refuse('big_number', 'GMP', $path),
            default => self::refuse('object', get_debug_type($value), $path),
        };
    }

    /** Throws the core's error for a value the walk cannot convert. */
    private static function refuse(string $kind, string $type, string $path): never
    {
        Library::raise(Library::ffi()->userhash_conversion_error($kind, \strlen($kind), $type, \strlen($type), $path, \strlen($path), self::$item, Library::$errorOut));
    }

    /** @return list<string> the preset names the core knows, in its order */
    public static function presets(): array
    {
        return Library::names('userhash_preset_name');
    }

    /** The library's (the core's) version, e.g. `0.1.0`. */
    public static function version(): string
    {
        return Library::ffi()->userhash_version();
    }

    /** The scheme: its preset name, or `source:transform` for a scheme spec that is no preset. */
    public function preset(): string
    {
        $this->ffi->userhash_signer_scheme($this->handle, FFI::addr($this->bytes));

        return Library::take($this->bytes);
    }

    /** @return list<string> the input fields the scheme reads (`email`; `external_id`, `email`) */
    public function fields(): array
    {
        return Library::names('userhash_signer_field', $this->handle);
    }

    /** The field {@see signMany()} fills by default, or null when the scheme needs it named. */
    public function batchField(): ?string
    {
        return $this->ffi->userhash_signer_batch_field($this->handle);
    }

    /** How many previous secrets {@see verify()} also tries. */
    public function previousCount(): int
    {
        return $this->ffi->userhash_signer_previous_count($this->handle);
    }

    /** @return array{preset: string, previousSecrets: int} */
    public function __debugInfo(): array
    {
        return ['preset' => $this->preset(), 'previousSecrets' => $this->previousCount()];
    }

    /**
     * Not clonable: the copy would share (and free twice) the native signer.
     * (Nor serializable: FFI data never is, and a Signer holds key material.)
     */
    private function __clone() {}
}
