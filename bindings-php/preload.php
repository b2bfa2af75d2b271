<?php

// For web SAPIs (php-fpm, Apache's mod_php): in php.ini,
//
//   opcache.preload=/path/to/vendor/userhash/userhash/preload.php
//   opcache.preload_user=www-data   ; when the server starts as root
//
// loads libuserhash once when the server starts, as the FFI scope "userhash" that every
// request's Userhash\Library takes; ffi.enable can stay at its default, "preload". (That
// mode lets only preloaded code call FFI::new, FFI::string and the like: the classes that
// do are preloaded here too.)
declare(strict_types=1);

require_once __DIR__ . '/src/Library.php';
require_once __DIR__ . '/src/Signer.php';

try {
    FFI::scope('userhash'); // loaded already, by php.ini's ffi.preload (bin/ffi-header.php)
} catch (FFI\Exception) {
    Userhash\Library::preload();
}
