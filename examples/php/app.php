<?php

/*
 * The example app's userhash glue: one Signer per preset and process, and the
 * template helper that renders a vendor's widget snippet (Signer::embed).
 */

declare(strict_types=1);

// In an application: require 'vendor/autoload.php' (composer.json maps Userhash\ to src/).
require_once __DIR__ . '/../../bindings-php/autoload.php';

use Userhash\Signer;
use Userhash\UserhashException;

/** One Signer per preset and process (it keeps the HMAC key state ready). */
function userhash_signer(string $preset, string $secretVar): Signer
{
    static $signers = [];

    return $signers["{$preset}\0{$secretVar}"] ??= Signer::fromEnv($secretVar, $preset);
}

/**
 * The template helper: the vendor's widget snippet for this identity, signed
 * and escaped for where each value lands (HTML attribute, JSON in <script>,
 * URL). Echo it as it is — it is HTML already; escaping it again would break it.
 *
 * On a userhash error the page still renders, without the widget (logged):
 * an unsigned widget would only chat anonymously anyway.
 *
 * @param array<string, mixed> $input   what Signer::sign() takes: ['visitor' => …], ['email' => …]
 * @param array<string, mixed> $options widget, form, nonce, … (docs/embed.md)
 */
function userhash_widget(Signer $signer, array $input, array $options): string
{
    try {
        return $signer->embed($input, $options);
    } catch (UserhashException $e) {
        error_log("userhash: {$e->getErrorCode()}: {$e->getMessage()}");

        return '';
    }
}

/** A fresh CSP nonce per response; send it in the header, pass it to the helper. */
function csp_nonce(): string
{
    static $nonce = null;

    return $nonce ??= rtrim(strtr(base64_encode(random_bytes(18)), '+/', '-_'), '=');
}

function h(string $text): string
{
    return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}
