<?php
// Wrong hashes made by real PHP code (hash_hmac): strtolower, trim, mb_strtolower,
// json_encode, strtoupper, hash('sha256', ...). Prints a JSON array of doctor
// cases; tests/doctor/generate.py merges them into cases.json.
declare(strict_types=1);

const SECRET = 'sk_doctor_3f9a1c7e';
$cases = [];

function add(array &$cases, string $id, string $variant, string $madeBy, string $preset, array $input, string $hash): void
{
    $cases[] = ['id' => "php/$id", 'variant' => $variant, 'made_by' => $madeBy, 'preset' => $preset,
        'secret' => SECRET, 'input' => $input, 'hash' => $hash];
}

function mac(string $msg): string
{
    return hash_hmac('sha256', $msg, SECRET);
}

// strtolower lowercases ASCII letters only (PHP 8.2: locale-insensitive).
$e = 'Élodie@Example.COM';
foreach (['ensoras', 'layerup'] as $preset) {
    add($cases, "strtolower/$preset", 'ascii_lowercase', 'PHP hash_hmac(\'sha256\', strtolower($email), $secret)', $preset, ['email' => $e], mac(strtolower($e)));
}
add($cases, 'mb_strtolower/layerup', 'js_lowercase', 'PHP mb_strtolower($email) (same as JS toLowerCase here)', 'layerup', ['email' => $e], mac(mb_strtolower($e)));
// trim strips " \t\n\r\0\x0B" only: not U+00A0 (JS trim does).
$t = " Alice@Example.COM \u{A0}";
foreach (['layerup', 'supportwire', 'tawkto'] as $preset) {
    add($cases, "trim/$preset", 'php_trim', 'PHP trim($email)', $preset, ['email' => $t], mac(trim($t)));
}
$u = " ÉLODIE@Example.COM \u{A0}";
foreach (['supportwire', 'ensoras'] as $preset) {
    add($cases, "trim_strtolower/$preset", 'php_trim_strtolower', 'PHP strtolower(trim($email))', $preset, ['email' => $u], mac(strtolower(trim($u))));
    add($cases, "trim_mb_strtolower/$preset", 'php_trim_mb_strtolower', 'PHP mb_strtolower(trim($email))', $preset, ['email' => $u], mac(mb_strtolower(trim($u))));
}
// mb_strtolower has no final-sigma rule before PHP 8.3 (Σ at a word's end: JS ς, PHP 8.2 σ),
// so it writes what Ruby's downcase writes: the doctor names the first (docs/doctor.md).
$sigma = 'ΟΔΟΣ@Example.COM';
$finalSigma = PHP_VERSION_ID >= 80300;
add($cases, 'mb_strtolower-sigma/layerup', $finalSigma ? 'js_lowercase' : 'ruby_downcase', 'PHP ' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION . ' mb_strtolower($email)', 'layerup', ['email' => $sigma], mac(mb_strtolower($sigma)));
$sigmaSpaced = " ΟΔΟΣ@Example.COM \u{A0}";
add($cases, 'trim_mb_strtolower-sigma/supportwire', 'php_trim_mb_strtolower', 'PHP ' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION . ' mb_strtolower(trim($email))', 'supportwire', ['email' => $sigmaSpaced], mac(mb_strtolower(trim($sigmaSpaced))));
$x = ['external_id' => " EXT-42 \u{A0}", 'email' => 'alice@example.com'];
add($cases, 'trim_strtolower/supportwire-external_id', 'php_trim_strtolower', 'PHP strtolower(trim($externalId))', 'supportwire', $x, mac(strtolower(trim($x['external_id']))));

// fluentbot signs JSON.stringify({name, email, data}); json_encode escapes / and é.
$visitor = '{"name":"Zoë Martin","email":"zoe@example.com","data":{"plan":"pro","seats":3,"home":"https://example.com/zoe","ratio":1.5e-7}}';
$v = json_decode($visitor, true, 512, JSON_THROW_ON_ERROR);
$payload = ['name' => $v['name'], 'email' => $v['email'], 'data' => $v['data']];
add($cases, 'json_encode/fluentbot', 'php_json_encode', 'PHP json_encode([\'name\' => ..., \'email\' => ..., \'data\' => ...])', 'fluentbot', ['visitor' => $v], mac(json_encode($payload, JSON_THROW_ON_ERROR)));

add($cases, 'uppercase_hex/crisp', 'uppercase_hex', 'PHP strtoupper(hash_hmac(\'sha256\', $email, $secret))', 'crisp', ['email' => 'alice@example.com'], strtoupper(mac('alice@example.com')));
add($cases, 'sha256_concat/layerup', 'sha256_concat', 'PHP hash(\'sha256\', $secret . $email)', 'layerup', ['email' => 'alice@example.com'], hash('sha256', SECRET . 'alice@example.com'));
add($cases, 'key_message_swapped/front', 'key_message_swapped', 'PHP hash_hmac(\'sha256\', $secret, $email) (arguments swapped)', 'front', ['email' => 'alice@example.com'], hash_hmac('sha256', SECRET, 'alice@example.com'));

echo json_encode($cases, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
