<?php

declare(strict_types=1);

require \dirname(__DIR__, 3) . '/bindings-php/autoload.php';
