<?php

declare(strict_types=1);

namespace Userhash;

/** Error code `invalid_json` (see {@see UserhashException}). */
final class InvalidJsonException extends UserhashException
{
}
