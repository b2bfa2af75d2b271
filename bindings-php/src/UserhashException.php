<?php

declare(strict_types=1);

namespace Userhash;

/**
 * Every error userhash raises. The stable, language-independent error code
 * (DESIGN §3: `empty_secret`, `empty_identity`, `invalid_input`, `invalid_json`,
 * `invalid_utf8`, `too_deep`, `unknown_preset`) is {@see getErrorCode()} /
 * the readonly `$errorCode` property. `getCode()` stays PHP's integer code
 * (the C status number) because `Exception::$code` must be an int.
 *
 * Each code has its own subclass (`InvalidInputException`, …), so callers may
 * catch either `UserhashException` or one specific code. Messages never
 * contain a secret.
 */
class UserhashException extends \RuntimeException
{
    public const EMPTY_SECRET = 'empty_secret';
    public const EMPTY_IDENTITY = 'empty_identity';
    public const INVALID_INPUT = 'invalid_input';
    public const INVALID_JSON = 'invalid_json';
    public const INVALID_UTF8 = 'invalid_utf8';
    public const TOO_DEEP = 'too_deep';
    public const UNKNOWN_PRESET = 'unknown_preset';
    /** Not a DESIGN §3 code: a bug in userhash (a caught panic, a NULL passed by the binding). */
    public const INTERNAL = 'internal';

    /** Stable error code => C status number (`userhash_status_t`). */
    public const STATUS = [
        self::EMPTY_SECRET => 1,
        self::EMPTY_IDENTITY => 2,
        self::INVALID_INPUT => 3,
        self::INVALID_JSON => 4,
        self::INVALID_UTF8 => 5,
        self::TOO_DEEP => 6,
        self::UNKNOWN_PRESET => 7,
    ];

    private const CLASSES = [
        self::EMPTY_SECRET => EmptySecretException::class,
        self::EMPTY_IDENTITY => EmptyIdentityException::class,
        self::INVALID_INPUT => InvalidInputException::class,
        self::INVALID_JSON => InvalidJsonException::class,
        self::INVALID_UTF8 => InvalidUtf8Exception::class,
        self::TOO_DEEP => TooDeepException::class,
        self::UNKNOWN_PRESET => UnknownPresetException::class,
    ];

    /** The stable code, e.g. `invalid_input`. */
    public readonly string $errorCode;

    final public function __construct(string $errorCode, string $message, int $status = 0, ?\Throwable $previous = null)
    {
        parent::__construct($message, $status !== 0 ? $status : (self::STATUS[$errorCode] ?? 0), $previous);
        $this->errorCode = $errorCode;
    }

    /** Builds the subclass for `$errorCode` (or a plain UserhashException for an unknown code). */
    public static function fromCode(string $errorCode, string $message, int $status = 0): self
    {
        $class = self::CLASSES[$errorCode] ?? self::class;

        return new $class($errorCode, $message, $status);
    }

    /** The stable code, e.g. `invalid_input` (same string in every userhash language). */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }
}
