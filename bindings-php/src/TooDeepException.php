<?php

declare(strict_types=1);

namespace Userhash;

/** Error code `too_deep` (see {@see UserhashException}). */
final class TooDeepException extends UserhashException
{
}
