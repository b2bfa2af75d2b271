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
    /** The core's depth limit, and how many markers the walk running now wrote. */
    private static int $maxDepth = 0, $refused = 0;
    /** The start of a marker string, `userhash_refusal_mark()`, read at the first refusal. */
    private static ?string $mark = null;

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
        [$opts, $handle] = [$options === [] ? '' : self::object($options), $ffi->new('userhash_signer_t *')];
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
                $text = \is_string($value) ? $value : (\is_int($value) ? (string) $value : self::encode($value));
                $status = $field === $this->batch && $this->ffi->{\is_string($value) ? 'userhash_sign_text' : 'userhash_sign_json'}($this->handle, $text, \strlen($text), $this->hex) === 0 ? 0 : $this->ffi->userhash_sign_field($this->handle, $field, \strlen($field), $text, \strlen($text), !\is_string($value), $this->hex, $this->error);

                return $status === 0 ? FFI::string($this->hex, 64) : Library::raise($status);
            }
        }
        $status = $this->ffi->userhash_sign($this->handle, $json = self::object($input), \strlen($json), $this->hex, $this->error);

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
            // A chunk of strings crosses as it is: back to back, and their lengths as size_t.
            [$chunk, $lens] = [\array_slice($values, $base, self::CHUNK), []];
            foreach ($chunk as $value) {
                if (!\is_string($value)) {
                    break;
                }
                $lens[] = \strlen($value);
            }
            // Any other item makes it JSON texts (integer ids as their digits).
            $json = \count($lens) < \count($chunk);
            foreach ($json ? $chunk : [] as $j => $value) {
                $chunk[$j] = \is_int($value) ? (string) $value : self::encode($value);
                $lens[$j] = \strlen($chunk[$j]);
            }
            // The core numbers the item that fails from `$base`.
            [$data, $lens] = [implode('', $chunk), pack(\PHP_INT_SIZE === 8 ? 'Q*' : 'L*', ...$lens)];
            $status = $this->ffi->userhash_sign_many_packed($this->handle, $field, \strlen($field), $data, \strlen($data), $lens, \count($chunk), $json, $base, $out, $this->error);
            $hashes[] = $status !== 0 ? Library::raise($status) : ($chunk === [] ? [] : str_split(FFI::string($out, 64 * \count($chunk)), 64));
        } while (($base += self::CHUNK) < \count($values));

        return array_merge(...$hashes);
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
        $status = $this->ffi->userhash_call($this->handle, $operation, \strlen($operation), $json = self::object($input), \strlen($json), $argv = self::object($args), \strlen($argv), FFI::addr($this->bytes), $this->error);

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
    // double to the core); nesting stops at `userhash_max_depth()`, which also
    // ends cycles. In place of a value the policy refuses (a date, an enum,
    // JsonSerializable, GMP, a resource or other object, invalid UTF-8, too deep)
    // the walk writes a marker, and the text starts with `!` (marked JSON text):
    // the core reports the refusal, with its path and batch item.
    //
    // Plain data takes one json_encode after a type scan; only when either fails
    // does the walk run, to write NAN/INF or the markers.

    /** Named values (sign-call fields, options) as a JSON object. */
    private static function object(array $fields): string
    {
        return self::encode($fields === [] || array_is_list($fields) ? (object) $fields : $fields, 0);
    }

    /** `$value` (a container there at nesting level `$depth`) as JSON text, marked when it holds a refused value. */
    private static function encode(mixed $value, int $depth = 1): string
    {
        // (The depth limit read once per call: a static property costs ~100 instructions a read.)
        $max = self::$maxDepth ?: (self::$maxDepth = Library::ffi()->userhash_max_depth());
        $plain = \is_array($value) || $value instanceof \stdClass ? $depth <= $max && self::plain($value, $max - $depth) : !\is_object($value);
        // (json_encode writes floats exactly only with the default serialize_precision, or >= 17.)
        if ($plain && (($precision = (int) ini_get('serialize_precision')) === -1 || $precision >= 17) && ($json = json_encode($value, self::FLAGS, $max + 2)) !== false) {
            return $json;
        }
        self::$refused = 0;
        $json = self::walk($value, $depth);

        return self::$refused ? "!{$json}" : $json;
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

    /** `$value` at nesting level `$depth` as JSON text, with a marker for each value refused. */
    private static function walk(mixed $value, int $depth): string
    {
        if (!\is_array($value) && !$value instanceof \stdClass || $depth > self::$maxDepth) {
            return match (true) {
                \is_array($value), $value instanceof \stdClass => self::refuse('too_deep'),
                \is_string($value) => json_encode($value, self::FLAGS) ?: self::refuse('invalid_utf8'),
                \is_float($value) => is_finite($value) ? sprintf('%.16e', $value) : ($value < 0 ? '-1e999' : '1e999'),
                \is_int($value), \is_bool($value), $value === null => json_encode($value),
                $value instanceof \DateTimeInterface => self::refuse('datetime', $value::class),
                $value instanceof \UnitEnum => self::refuse('enum', $value::class),
                $value instanceof \JsonSerializable => self::refuse('json_hook', $value::class),
                $value instanceof \GMP => self::refuse('big_number', 'GMP'),
                default => self::refuse('object', get_debug_type($value)),
            };
        }
        [$list, $parts] = [\is_array($value) && array_is_list($value), []];
        foreach ($value as $key => $item) {
            if (!$list && ($key = json_encode((string) $key, self::FLAGS)) === false) {
                // A key that is no UTF-8 refuses its container, unless a refusal came
                // before it (the core reports the first): then the rest is left out.
                return self::$refused ? '{' . implode(',', $parts) . '}' : self::refuse('invalid_utf8');
            }
            $parts[] = ($list ? '' : "{$key}:") . self::walk($item, $depth + 1);
        }

        return $list ? '[' . implode(',', $parts) . ']' : '{' . implode(',', $parts) . '}';
    }

    /** The marker string (as JSON) for a refused value of `$kind` and PHP type `$type`. */
    private static function refuse(string $kind, string $type = ''): string
    {
        self::$refused++;
        self::$mark ??= Library::ffi()->userhash_refusal_mark();

        return json_encode(self::$mark . "{$kind}:{$type}", self::FLAGS | \JSON_INVALID_UTF8_SUBSTITUTE);
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
