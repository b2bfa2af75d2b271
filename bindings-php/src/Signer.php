<?php

declare(strict_types=1);

namespace Userhash;

use FFI;
use FFI\CData;

/**
 * Signs chat-widget identities for one widget: a secret plus a preset
 * (`layerup`, `inviaro`, `ensoras`, `supportwire`, `fluentbot`) or a scheme
 * spec (`email:trim_lowercase`), computed by the userhash Rust core through FFI.
 *
 * ```php
 * $signer = new Userhash\Signer(getenv('WIDGET_SECRET'), 'ensoras');
 * $hash = $signer->sign(['email' => $user->email]);
 * ```
 *
 * The secret is handed to the core once and not kept by this object;
 * `var_dump`/`print_r`/`var_export` show only the preset and the number of
 * previous secrets. A Signer cannot be cloned or serialized.
 */
final class Signer
{
    /** Sign-call fields that {@see sign()} can send without JSON (string values). */
    private const FIELDS = ['email' => 0, 'user_id' => 1, 'userId' => 1, 'external_id' => 2, 'externalId' => 2];
    /** `userhash_field_t` of each field name {@see signMany()} takes. */
    private const BATCH_FIELDS = self::FIELDS + ['visitor' => 3];
    private const FIELD_NAMES = ['email', 'user_id', 'external_id', 'visitor'];
    private const FIELD_DEFAULT = 4;
    /** Items per userhash_sign_many_packed call (the C library's own chunk size). */
    private const BATCH_CHUNK = 65536;
    /**
     * The field USERHASH_FIELD_DEFAULT stands for, per scheme source (as
     * documented in userhash.h; supportwire's `external_id_or_email` has none
     * and the C library reports it). Only used to convert non-string items.
     */
    private const DEFAULT_FIELDS = [
        'layerup' => 0, 'ensoras' => 0, 'inviaro' => 1, 'fluentbot' => 3,
        'email' => 0, 'user_id' => 1, 'visitor_json' => 3,
    ];

    private readonly FFI $ffi;
    /** `userhash_signer_t *`, freed in __destruct */
    private readonly CData $handle;
    /** `char[65]`, reused by every call */
    private readonly CData $hex;
    /** `userhash_bytes_t` error detail; kept zeroed between calls */
    private readonly CData $error;
    private readonly CData $errorPtr;
    /** `bool` out-param of verify, reused */
    private readonly CData $match;
    private readonly CData $matchPtr;
    /** `userhash_bytes_t` out-param of canonical/embed, reused (kept zeroed between calls) */
    private readonly CData $bytes;
    private readonly CData $bytesPtr;
    /** pack() format of the `lens` array (size_t*) */
    private static ?string $packLens = null;
    private readonly string $preset;
    private readonly int $previousCount;

    /**
     * @param string $secret the widget secret (its bytes are the HMAC key)
     * @param string $preset a preset name or a scheme spec `source[:transform]`
     * @param list<string> $previous older secrets still accepted by {@see verify()}
     * @throws UserhashException empty_secret, unknown_preset
     */
    public function __construct(
        #[\SensitiveParameter] string $secret,
        string $preset,
        #[\SensitiveParameter] array $previous = [],
    ) {
        $ffi = Library::ffi();
        $this->ffi = $ffi;
        $this->preset = $preset;
        $this->previousCount = \count($previous);
        $this->hex = $ffi->new('char[65]');
        $this->error = $ffi->new('userhash_bytes_t');
        $this->errorPtr = FFI::addr($this->error);
        $this->match = $ffi->new('bool');
        $this->matchPtr = FFI::addr($this->match);
        $this->bytes = $ffi->new('userhash_bytes_t');
        $this->bytesPtr = FFI::addr($this->bytes);

        // Previous secrets cross as an array of (ptr, len) slices over buffers we own.
        $count = \count($previous);
        $slices = $ffi->new('userhash_slice_t[' . max(1, $count) . ']');
        $buffers = [];
        $i = 0;
        foreach ($previous as $old) {
            if (!\is_string($old)) {
                throw new \TypeError('Userhash\Signer: previous secrets must be strings, got ' . get_debug_type($old));
            }
            $len = \strlen($old);
            $buf = $ffi->new('uint8_t[' . max(1, $len) . ']');
            FFI::memcpy($buf, $old, $len);
            $slices[$i]->ptr = $ffi->cast('const uint8_t *', FFI::addr($buf[0]));
            $slices[$i]->len = $len;
            $buffers[] = [$buf, $len];
            $i++;
        }

        $handle = $ffi->new('userhash_signer_t *');
        try {
            $status = $ffi->userhash_signer_new(
                $secret,
                \strlen($secret),
                $preset,
                \strlen($preset),
                $slices,
                $count,
                FFI::addr($handle),
                $this->errorPtr,
            );
        } finally {
            foreach ($buffers as [$buf, $len]) {
                FFI::memset($buf, 0, $len);
            }
        }
        if ($status !== 0) {
            $this->throwError($status);
        }
        $this->handle = $handle;
    }

    /**
     * A signer whose secret (and previous secrets) come from environment
     * variables. An unset or empty variable is `empty_secret`, naming the
     * variable, never its value.
     *
     * @param list<string> $previousVars
     * @throws UserhashException empty_secret, unknown_preset
     */
    public static function fromEnv(string $var, string $preset, array $previousVars = []): self
    {
        $read = static function (string $name): string {
            $value = getenv($name);
            if ($value === false) {
                $value = $_ENV[$name] ?? null;
            }
            if (!\is_string($value)) {
                throw UserhashException::fromCode(UserhashException::EMPTY_SECRET, "environment variable {$name} is not set");
            }
            if ($value === '') {
                throw UserhashException::fromCode(UserhashException::EMPTY_SECRET, "environment variable {$name} is empty");
            }

            return $value;
        };

        return new self($read($var), $preset, array_map($read, array_values($previousVars)));
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            $this->ffi->userhash_signer_free($this->handle);
        }
    }

    /**
     * The lowercase hex HMAC-SHA256 of the canonical identity.
     *
     * @param array<string, mixed> $input `['email' => …]`, `['user_id' => 42]`,
     *        `['external_id' => …, 'email' => …]` or `['visitor' => [...]]`
     * @throws UserhashException invalid_input, empty_identity, invalid_utf8, too_deep
     */
    public function sign(array $input): string
    {
        // One string field: straight to userhash_sign_field, no JSON. (foreach
        // reads the only entry without reset()/key(), which would separate the array.)
        if (\count($input) === 1) {
            foreach ($input as $key => $value) {
                if (\is_string($value) && isset(self::FIELDS[$key])) {
                    $status = $this->ffi->userhash_sign_field($this->handle, self::FIELDS[$key], $value, \strlen($value), $this->hex, $this->errorPtr);
                    if ($status !== 0) {
                        $this->throwError($status);
                    }

                    return FFI::string($this->hex, 64);
                }
            }
        }
        $json = JsonInput::encode($input);
        $status = $this->ffi->userhash_sign($this->handle, $json, \strlen($json), $this->hex, $this->errorPtr);
        if ($status !== 0) {
            $this->throwError($status);
        }

        return FFI::string($this->hex, 64);
    }

    /**
     * Signs many identities in one call, in order: one hash per item of
     * `$values` (keys are ignored; item `i` is the i-th value). Each item is
     * the value of `$field` — by default the field the preset signs (`email`
     * for layerup/ensoras, `user_id` for inviaro, `visitor` for fluentbot;
     * supportwire needs `'external_id'` or `'email'`). Items are typed as in
     * {@see sign()}: `signMany([42, 'usr_7'])` equals
     * `[sign(['user_id' => 42]), sign(['user_id' => 'usr_7'])]`.
     *
     * Strings (and integer ids) cross in one packed buffer and large batches
     * are signed on every core. The first invalid item fails the whole call
     * and the message names it: `item 3: email is empty: …`.
     *
     * @param array<array-key, mixed> $values
     * @param ?string $field `email`, `user_id`, `external_id`, `visitor` (or the camelCase aliases)
     * @return list<string> 64 lowercase hex digits each
     * @throws UserhashException invalid_input, empty_identity, invalid_utf8, too_deep
     */
    public function signMany(array $values, ?string $field = null): array
    {
        if ($field === null) {
            $code = self::FIELD_DEFAULT;
            $resolved = self::DEFAULT_FIELDS[strstr($this->preset, ':', true) ?: $this->preset] ?? null;
        } else {
            $code = self::BATCH_FIELDS[$field] ?? throw UserhashException::fromCode(
                UserhashException::INVALID_INPUT,
                "unknown field \"{$field}\": expected email, user_id, external_id or visitor",
            );
            $resolved = $code;
        }
        $n = \count($values);
        if ($n === 0 || $resolved === null) {
            // An empty batch still reports a field the scheme does not sign, and
            // supportwire's missing default field is reported by the library.
            try {
                $this->checkBatchField($code);
            } catch (InvalidInputException $e) {
                throw UserhashException::fromCode($e->errorCode, str_replace(
                    '(USERHASH_FIELD_EXTERNAL_ID or USERHASH_FIELD_EMAIL)',
                    "(\$field 'external_id' or 'email')",
                    $e->getMessage(),
                ), $e->getCode());
            }
            if ($n === 0) {
                return [];
            }
            throw new \LogicException("userhash: no default batch field known for {$this->preset}");
        }

        // Chunk by chunk (bounding the memory beyond the result list): the items
        // — strings as they are, integer ids as their decimal digits (what the
        // core signs for them), visitors as JSON text — and their lengths go
        // packed into two strings to one userhash_sign_many_packed call.
        if (!array_is_list($values)) {
            $values = array_values($values);
        }
        $ints = $resolved === 1;
        $out = null;
        $hashes = [];
        for ($base = 0; $base < $n; $base += self::BATCH_CHUNK) {
            $chunk = $n <= self::BATCH_CHUNK ? $values : \array_slice($values, $base, self::BATCH_CHUNK);
            $lens = [];
            if ($resolved === 3) {
                $parts = [];
                foreach ($chunk as $j => $value) {
                    try {
                        $json = JsonInput::encodeValue($value, 'visitor');
                    } catch (UserhashException $e) {
                        // An earlier bad item (found by the library) is reported first.
                        $this->signChunk($code, $parts, $lens, $base, $n, $out);
                        throw UserhashException::fromCode($e->errorCode, 'item ' . ($base + $j) . ": {$e->getMessage()}");
                    }
                    $parts[] = $json;
                    $lens[] = \strlen($json);
                }
                $chunk = $parts;
            } else {
                foreach ($chunk as $value) {
                    if (\is_string($value)) {
                        $lens[] = \strlen($value);
                    } elseif ($ints && \is_int($value)) {
                        $lens[] = \strlen((string) $value);
                    } else {
                        return $this->signEach($values, self::FIELD_NAMES[$resolved]);
                    }
                }
            }
            $hashes[] = $this->signChunk($code, $chunk, $lens, $base, $n, $out);
        }

        return \count($hashes) === 1 ? $hashes[0] : array_merge(...$hashes);
    }

    /**
     * One userhash_sign_many_packed call over `$items` (back to back in one
     * string) and `$lens` (packed size_t). Errors name the item's index in the
     * whole batch (`$base` + its index in the chunk).
     *
     * @param list<string|int> $items
     * @param list<int> $lens
     * @param ?CData $out the batch's output buffer, allocated by the first chunk
     * @return list<string>
     */
    private function signChunk(int $field, array $items, array $lens, int $base, int $n, ?CData &$out): array
    {
        $m = \count($lens);
        if ($m === 0) {
            return [];
        }
        self::$packLens ??= self::sizeTFormat($this->ffi) . '*';
        $data = implode('', $items);
        $out ??= $this->ffi->new('char[' . 64 * min($n, self::BATCH_CHUNK) . ']');
        $status = $this->ffi->userhash_sign_many_packed($this->handle, $field, $data, \strlen($data), pack(self::$packLens, ...$lens), $m, $out, $this->errorPtr);
        if ($status !== 0) {
            $message = $this->take($this->error);
            if ($base > 0) {
                $message = (string) preg_replace_callback('~^item (\d+): ~', static fn (array $x): string => 'item ' . ((int) $x[1] + $base) . ': ', $message);
            }
            $this->throwError($status, $message);
        }

        return str_split(FFI::string($out, 64 * $m), 64);
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
        $json = JsonInput::encode($input);
        $status = $this->ffi->userhash_verify(
            $this->handle,
            $hash,
            \strlen($hash),
            $json,
            \strlen($json),
            $this->matchPtr,
            $this->errorPtr,
        );
        if ($status !== 0) {
            $this->throwError($status);
        }

        return (bool) $this->match->cdata;
    }

    /**
     * The exact string that gets signed for `$input` (to debug a mismatch with
     * the vendor).
     *
     * @param array<string, mixed> $input
     * @throws UserhashException invalid_input, empty_identity, invalid_utf8, too_deep
     */
    public function canonical(array $input): string
    {
        $json = JsonInput::encode($input);
        $status = $this->ffi->userhash_canonical($this->handle, $json, \strlen($json), $this->bytesPtr, $this->errorPtr);
        if ($status !== 0) {
            $this->throwError($status);
        }

        return $this->take($this->bytes);
    }

    /**
     * The vendor's widget snippet for `$input` (the input of {@see sign()}),
     * signed, with every value escaped for where it lands (HTML attribute,
     * JSON inside `<script>`, URL). Print it into the page as it is: it is
     * already HTML. Options (docs/embed.md): `widget` (required), `form`
     * (`script`, `url` for Layerup's webview URL, `identify` for the
     * Inviaro/Ensoras single-page-app call), `nonce` (CSP), and per vendor
     * `origin`, `name`, `email` (Inviaro) and `data` (SupportWire userData).
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
        $json = JsonInput::encode($input);
        $opts = JsonInput::encode($options, 'options');
        $status = $this->ffi->userhash_embed($this->handle, $json, \strlen($json), $opts, \strlen($opts), $this->bytesPtr, $this->errorPtr);
        if ($status !== 0) {
            $this->throwError($status);
        }

        return $this->take($this->bytes);
    }

    /** The preset name or scheme spec this signer was built with. */
    public function preset(): string
    {
        return $this->preset;
    }

    /** How many previous secrets {@see verify()} also tries. */
    public function previousCount(): int
    {
        return $this->previousCount;
    }

    /** @return array{preset: string, previousSecrets: int} */
    public function __debugInfo(): array
    {
        return ['preset' => $this->preset, 'previousSecrets' => $this->previousCount];
    }

    /** Not clonable: the copy would share (and free twice) the native signer. Build another one. */
    private function __clone()
    {
    }

    /** @return never */
    public function __serialize(): array
    {
        throw new \LogicException('Userhash\Signer cannot be serialized: it holds key material');
    }

    /** @param array<mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('Userhash\Signer cannot be unserialized');
    }

    /** userhash_sign_many_packed of no items: reports a field the scheme cannot batch. */
    private function checkBatchField(int $field): void
    {
        $status = $this->ffi->userhash_sign_many_packed($this->handle, $field, '', 0, '', 0, null, $this->errorPtr);
        if ($status !== 0) {
            $this->throwError($status);
        }
    }

    /**
     * signMany() for items that are not all strings (or integer ids): each item
     * through sign(), so it is typed exactly as there; errors name the item.
     *
     * @param array<array-key, mixed> $values
     * @return list<string>
     */
    private function signEach(array $values, string $field): array
    {
        $out = [];
        $i = 0;
        foreach ($values as $value) {
            try {
                $out[] = $this->sign([$field => $value]);
            } catch (UserhashException $e) {
                throw UserhashException::fromCode($e->errorCode, "item {$i}: {$e->getMessage()}", $e->getCode());
            }
            $i++;
        }

        return $out;
    }

    /** pack() format of a size_t. */
    private static function sizeTFormat(FFI $ffi): string
    {
        return match (FFI::sizeof($ffi->type('size_t'))) {
            8 => 'Q',
            4 => 'L',
        };
    }

    /** Copies a library-owned `userhash_bytes_t` into a PHP string and frees it. */
    private function take(CData $bytes): string
    {
        if (FFI::isNull($bytes->ptr)) {
            return '';
        }
        $len = $bytes->len;
        $s = $len > 0 ? FFI::string($bytes->ptr, $len) : '';
        $this->ffi->userhash_bytes_free($bytes);
        $bytes->ptr = null;
        $bytes->len = 0;

        return $s;
    }

    private function throwError(int $status, ?string $message = null): never
    {
        $message ??= $this->take($this->error);
        $code = match ($status) {
            1 => UserhashException::EMPTY_SECRET,
            2 => UserhashException::EMPTY_IDENTITY,
            3 => UserhashException::INVALID_INPUT,
            4 => UserhashException::INVALID_JSON,
            5 => UserhashException::INVALID_UTF8,
            6 => UserhashException::TOO_DEEP,
            7 => UserhashException::UNKNOWN_PRESET,
            default => UserhashException::INTERNAL,
        };
        if ($message === '') {
            $message = (string) $this->ffi->userhash_status_code($status);
        }
        if ($code === UserhashException::INTERNAL) {
            $message = 'userhash internal error (' . $this->ffi->userhash_status_code($status) . "): {$message}";
        }
        throw UserhashException::fromCode($code, $message, $status);
    }
}
