<?php

declare(strict_types=1);

namespace Userhash;

/**
 * Turns PHP sign-call input into the JSON text the C ABI takes.
 *
 * Type mapping only — every canonicalization rule lives in the Rust core,
 * which parses this text as `JSON.parse` would and re-serializes it, so PHP's
 * own escaping choices do not matter. What this class guarantees:
 *
 *  - strings and keys must be valid UTF-8, else `invalid_utf8` naming the path
 *    (never substituted or dropped);
 *  - floats cross with 17 significant digits (exact round trip, independent of
 *    `serialize_precision`) and always as floats (`1.0` stays a float, so a
 *    float user id is rejected by the core); NaN/±INF cross as an overflowing
 *    literal, which `JSON.parse` — and the core — read as a non-finite double;
 *  - a list array (`array_is_list`, including `[]`) is a JSON array, any other
 *    array is an object; `stdClass`, `ArrayObject`/`ArrayIterator` are always
 *    objects; `JsonSerializable` and backed enums are replaced by their JSON value;
 *  - any other value (DateTime, closures, resources, custom objects) is
 *    `invalid_input` naming its type and path (`visitor.data.created_at`);
 *  - nesting is cut off just past the core's limit with `too_deep`, so a
 *    100 000-deep value costs nothing and never exhausts the stack.
 *
 * Plain data (no objects but stdClass, finite floats, valid UTF-8) is encoded
 * by json_encode in one C call; the PHP walk below is the general path.
 *
 * @internal Used by {@see Signer}.
 */
final class JsonInput
{
    /** The core's `userhash::MAX_DEPTH`; the visitor object is level 1. */
    public const MAX_DEPTH = 128;

    private const STRING_FLAGS = \JSON_UNESCAPED_UNICODE | \JSON_UNESCAPED_SLASHES;
    /** Floats stay floats (`1.0`, so a float id is still rejected by the core). */
    private const FAST_FLAGS = self::STRING_FLAGS | \JSON_PRESERVE_ZERO_FRACTION;
    private const MAX_JSON_SERIALIZE_CHAIN = 64;

    /** @var list<string|int> the path of the value being converted, for error messages */
    private array $path = [];

    private function __construct()
    {
    }

    /**
     * Encodes the fields of one sign call (`['email' => …]`, `['visitor' => […]]`)
     * — or any other object of named values, like embed options (`$root`
     * then prefixes the paths in error messages: `options.data.x`).
     *
     * @param array<array-key, mixed> $input
     * @throws UserhashException invalid_utf8, invalid_input, too_deep
     */
    public static function encode(array $input, string $root = ''): string
    {
        // Fast path: for plain data (strings, ints, bools, null, finite floats,
        // arrays, stdClass) json_encode writes, in C, the same JSON values as
        // the slow path (floats in shortest round-trip form rather than 17
        // digits: the same doubles). Anything else, and every error, takes the
        // slow path, which names the offending path.
        if ($input !== [] && !array_is_list($input) && self::plain($input, 0)) {
            $json = json_encode($input, self::FAST_FLAGS, self::MAX_DEPTH + 1);
            if ($json !== false) {
                return $json;
            }
        }

        return self::encodeSlowly($input, $root);
    }

    /**
     * {@see encode()} value by value in PHP: every type, and errors that name the path.
     *
     * @param array<array-key, mixed> $input
     */
    private static function encodeSlowly(array $input, string $root = ''): string
    {
        $encoder = new self();
        $out = '{';
        $first = true;
        foreach ($input as $field => $value) {
            $name = self::stringOrNull((string) $field);
            if ($name === null) {
                throw UserhashException::fromCode(UserhashException::INVALID_UTF8, ($root === '' ? 'field' : "{$root} key") . ' name is not valid UTF-8');
            }
            $encoder->path = $root === '' ? [(string) $field] : [$root, (string) $field];
            $out .= ($first ? '' : ',') . $name . ':' . $encoder->value($value, 1);
            $first = false;
        }

        return $out . '}';
    }

    /**
     * Encodes one field value on its own (a visitor item of a batch). Errors
     * name the path from `$root`, e.g. `visitor.data.created_at: …`.
     *
     * @throws UserhashException invalid_utf8, invalid_input, too_deep
     */
    public static function encodeValue(mixed $value, string $root): string
    {
        if (self::plain([$value], 0)) {
            $json = json_encode($value, self::FAST_FLAGS, self::MAX_DEPTH);
            if ($json !== false) {
                return $json;
            }
        }
        $encoder = new self();
        $encoder->path = [$root];

        return $encoder->value($value, 1);
    }

    /**
     * True when json_encode writes `$value` as the slow path would: only
     * strings, ints, bools, nulls, floats (when `serialize_precision` keeps
     * them exact), arrays and stdClass, at most MAX_DEPTH + 1 levels deep.
     * Invalid UTF-8, NaN/INF and over-deep values make json_encode fail, so
     * they fall back to the slow path too.
     *
     * @param array<array-key, mixed> $value
     */
    private static function plain(array $value, int $depth): bool
    {
        if ($depth > self::MAX_DEPTH) {
            return false;
        }
        foreach ($value as $item) {
            if (\is_array($item)) {
                if (!self::plain($item, $depth + 1)) {
                    return false;
                }
            } elseif (\is_object($item)) {
                if (!($item instanceof \stdClass) || !self::plain(get_object_vars($item), $depth + 1)) {
                    return false;
                }
            } elseif (\is_float($item)) {
                $precision = (int) ini_get('serialize_precision');
                if ($precision !== -1 && $precision < 17) {
                    return false;
                }
            }
        }

        return true;
    }

    /** `json_encode` of a string, or null when it is not valid UTF-8. */
    private static function stringOrNull(string $s): ?string
    {
        $json = json_encode($s, self::STRING_FLAGS);

        return $json === false ? null : $json;
    }

    /** Exact text of a double that JSON.parse reads back to the same double. */
    private static function float(float $f): string
    {
        if (is_nan($f) || is_infinite($f)) {
            // No JSON literal for NaN/Infinity: 1e999 parses to Infinity, which the
            // core handles as JS does (JSON.stringify writes null; ids reject it).
            return $f < 0 ? '-1e999' : '1e999';
        }

        return sprintf('%.16e', $f);
    }

    /** @param int $depth nesting level of $value (a top-level field value is 1) */
    private function value(mixed $value, int $depth): string
    {
        switch (true) {
            case \is_string($value):
                return self::stringOrNull($value) ?? $this->fail(UserhashException::INVALID_UTF8, 'string is not valid UTF-8');
            case \is_int($value):
                return (string) $value;
            case $value === null:
                return 'null';
            case \is_bool($value):
                return $value ? 'true' : 'false';
            case \is_float($value):
                return self::float($value);
            case \is_array($value):
                return array_is_list($value) ? $this->list($value, $depth) : $this->object($value, $depth);
            case $value instanceof \stdClass:
                return $this->object(get_object_vars($value), $depth);
            case $value instanceof \ArrayObject || $value instanceof \ArrayIterator:
                return $this->object($value->getArrayCopy(), $depth);
            case $value instanceof \GMP:
                return gmp_strval($value); // an exact integer of any size
            case $value instanceof \JsonSerializable || $value instanceof \BackedEnum:
                return $this->value(self::jsonValue($value), $depth);
            default:
                return $this->fail(UserhashException::INVALID_INPUT, get_debug_type($value) . ' is not a JSON value');
        }
    }

    /** The plain value of a JsonSerializable/BackedEnum (chains resolved, bounded). */
    private static function jsonValue(\JsonSerializable|\BackedEnum $value): mixed
    {
        for ($i = 0; $i < self::MAX_JSON_SERIALIZE_CHAIN; $i++) {
            $value = $value instanceof \BackedEnum ? $value->value : $value->jsonSerialize();
            if (!($value instanceof \JsonSerializable || $value instanceof \BackedEnum)) {
                return $value;
            }
        }

        return new class () {
        }; // reported as "class@anonymous is not a JSON value"
    }

    /** @param list<mixed> $items */
    private function list(array $items, int $depth): string
    {
        if ($depth > self::MAX_DEPTH + 1) {
            $this->tooDeep();
        }
        $out = '[';
        foreach ($items as $i => $item) {
            $this->path[] = $i;
            $out .= ($i === 0 ? '' : ',') . $this->value($item, $depth + 1);
            array_pop($this->path);
        }

        return $out . ']';
    }

    /** @param array<array-key, mixed> $entries */
    private function object(array $entries, int $depth): string
    {
        if ($depth > self::MAX_DEPTH + 1) {
            $this->tooDeep();
        }
        $out = '{';
        $first = true;
        foreach ($entries as $key => $item) {
            $key = (string) $key;
            $name = self::stringOrNull($key) ?? $this->fail(UserhashException::INVALID_UTF8, 'object key is not valid UTF-8');
            $this->path[] = $key;
            $out .= ($first ? '' : ',') . $name . ':' . $this->value($item, $depth + 1);
            array_pop($this->path);
            $first = false;
        }

        return $out . '}';
    }

    private function tooDeep(): never
    {
        $this->fail(UserhashException::TOO_DEEP, 'nesting deeper than ' . self::MAX_DEPTH . ' levels');
    }

    /** Throws `$code` for the current path, formatted as the core formats paths. */
    private function fail(string $code, string $what): never
    {
        $path = '';
        foreach ($this->path as $seg) {
            $path .= \is_int($seg) ? "[{$seg}]" : ($path === '' ? $seg : ".{$seg}");
        }
        throw UserhashException::fromCode($code, "{$path}: {$what}");
    }
}
