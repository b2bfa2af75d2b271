<?php

declare(strict_types=1);

namespace Userhash;

/** Error code `unknown_preset` (see {@see UserhashException}). */
final class UnknownPresetException extends UserhashException
{
}
