<?php

// `make demo-php`: signs the same sample identities as `make demo-cli`, one line per preset.
declare(strict_types=1);

require \dirname(__DIR__) . '/autoload.php';

use Userhash\Signer;

$samples = [
    'layerup' => ['email' => 'Alice@Example.COM'],
    'inviaro' => ['user_id' => 'usr_42'],
    'ensoras' => ['email' => 'Alice@Example.COM'],
    'supportwire' => ['email' => ' Alice@Example.COM '],
    'fluentbot' => ['visitor' => ['name' => 'Alice', 'email' => 'Alice@Example.COM', 'data' => ['plan' => 'pro']]],
];
foreach ($samples as $preset => $input) {
    printf("%-12s %s\n", $preset, Signer::fromEnv('USERHASH_SECRET', $preset)->sign($input));
}
