<?php

declare(strict_types=1);

namespace Userhash;

/**
 * Every error userhash raises: the core's error as it is. The stable,
 * language-independent code (`empty_secret`, `invalid_input`, … — the core's
 * list, see `Library::names('userhash_error_code')`) is {@see getErrorCode()}
 * (also the readonly `$errorCode`); {@see getPath()} is where in the input it
 * happened (`visitor.data.created_at`, or null); {@see getItem()} is the
 * index of the failing batch item (or null). The message is the core's:
 * `item N: path: message`, each part only when present; it never contains
 * a secret. `getCode()` is the C ABI's status number.
 *
 * Each core code has its own subclass (`too_deep` → `TooDeepException`,
 * generated into src/Exceptions.php by bin/generate.php), so callers may catch
 * `UserhashException` or one code. A code the library reports that has no
 * subclass yet (a newer library, or the C ABI's own `null_argument` and
 * `panic`) is a plain UserhashException with that code.
 */
class UserhashException extends \RuntimeException
{
    final public function __construct(public readonly string $errorCode, string $message, int $status = 0, public readonly ?string $path = null, public readonly ?int $item = null)
    {
        parent::__construct($message, $status);
    }

    /** The subclass for `$errorCode` when there is one, else a UserhashException. */
    public static function of(string $errorCode, string $message, int $status = 0, ?string $path = null, ?int $item = null): self
    {
        // `too_deep` -> TooDeepException (bin/generate.php names the classes the same way).
        $class = is_subclass_of($class = __NAMESPACE__ . '\\' . str_replace('_', '', ucwords($errorCode, '_')) . 'Exception', self::class) ? $class : self::class;

        return new $class($errorCode, $message, $status, $path, $item);
    }

    /** The stable code, e.g. `invalid_input` (same string in every userhash language). */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** Where in the input the error happened (`visitor.data.created_at`), or null. */
    public function getPath(): ?string
    {
        return $this->path;
    }

    /** The index of the failing item of a batch, or null. */
    public function getItem(): ?int
    {
        return $this->item;
    }
}
