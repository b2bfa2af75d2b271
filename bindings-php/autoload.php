<?php

// PSR-4 autoloader for Userhash\ when Composer is not used (composer.json declares the same
// mapping); the per-code exception classes all live in the generated src/Exceptions.php.

spl_autoload_register(static function (string $class): void {
    $file = __DIR__ . '/src/' . substr($class, 9) . '.php';
    if (str_starts_with($class, 'Userhash\\') && (is_file($file) || is_file($file = __DIR__ . '/src/Exceptions.php'))) {
        require_once $file;
    }
});
