<?php

// Prints the FFI declarations of libuserhash with `FFI_SCOPE "userhash"` and the absolute
// `FFI_LIB` of the library this package finds (USERHASH_LIB, else the bundled one), for
// php.ini's `ffi.preload` — the way to preload when the server starts as root, where
// opcache.preload runs as opcache.preload_user and FFI::load refuses to work:
//
//   php vendor/userhash/userhash/bin/ffi-header.php > /etc/php/8.2/userhash.h
//   ffi.preload=/etc/php/8.2/userhash.h
declare(strict_types=1);

require_once \dirname(__DIR__) . '/src/Library.php';

echo Userhash\Library::header();
