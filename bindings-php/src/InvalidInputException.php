<?php

declare(strict_types=1);

namespace Userhash;

/** Error code `invalid_input` (see {@see UserhashException}). */
final class InvalidInputException extends UserhashException
{
}
