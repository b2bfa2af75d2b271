<?php

// Runs the golden vectors (USERHASH_VECTORS: a file or a directory) through the
// PHP binding. Prints failures, then exactly one line "php: N passed, M failed";
// exits 1 when anything failed.
declare(strict_types=1);

require \dirname(__DIR__) . '/autoload.php';
require \dirname(__DIR__) . '/tests/Conformance.php';

use Userhash\Tests\Conformance;

$passed = 0;
$failed = 0;
foreach (Conformance::vectors() as $id => $vector) {
    $problems = Conformance::check($vector);
    if ($problems === []) {
        $passed++;
        continue;
    }
    $failed++;
    foreach ($problems as $problem) {
        fwrite(\STDERR, "FAIL {$id}: {$problem}\n");
    }
}
if ($passed + $failed === 0) {
    fwrite(\STDERR, "no vectors found in " . implode(', ', Conformance::files()) . "\n");
    $failed = 1;
}
echo "php: {$passed} passed, {$failed} failed\n";
exit($failed === 0 ? 0 : 1);
