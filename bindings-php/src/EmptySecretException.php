<?php

declare(strict_types=1);

namespace Userhash;

/** Error code `empty_secret` (see {@see UserhashException}). */
final class EmptySecretException extends UserhashException
{
}
