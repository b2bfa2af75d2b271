<?php

declare(strict_types=1);

namespace Userhash;

/** Error code `empty_identity` (see {@see UserhashException}). */
final class EmptyIdentityException extends UserhashException
{
}
