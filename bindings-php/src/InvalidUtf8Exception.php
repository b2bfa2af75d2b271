<?php

declare(strict_types=1);

namespace Userhash;

/** Error code `invalid_utf8` (see {@see UserhashException}). */
final class InvalidUtf8Exception extends UserhashException
{
}
