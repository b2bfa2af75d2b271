# PHP binding (bindings-php: Userhash\Signer over FFI and libuserhash) and its
# example page (examples/php).
#
#   make test-php         PHPUnit: conformance, native values, bad inputs, API/batch/embed/hardening tests,
#                         generated-file drift check, the core-only preset, the example page
#   (make test-browser runs the example page's embed route in headless Chromium too)
#   make conformance-php  "php: N passed, M failed" for $(USERHASH_VECTORS)
#   make demo-php
#   make bench-php        "php <case> sdk=…ns stdlib=…ns ratio=…" against the vendors' PHP snippets
#   make bench-php-smoke  the bench once with tiny counts (part of make test)
#   make php-generate     rewrite bindings-php/src/{userhash.ffi.h,userhash.preload.h,Exceptions.php} from the C header and library
#   (packaging: mk/dist-php.mk, make dist-php / test-dist-php)

PHP ?= php
PHP_DIR := $(ROOT)/bindings-php
# ffi.enable=1 also lets the built-in web server (cli-server SAPI) use FFI;
# Debian's CLI default ("preload") allows FFI::cdef only in the cli SAPI.
# build/c/lib is the dev/test build of the library (mk/c.mk, C_FEATURES): it has the
# core-only preset that tests/CoreOnlyPresetTest.php signs.
PHP_RUN = USERHASH_LIB=$(ROOT)/build/c/lib/libuserhash.so $(PHP) -d ffi.enable=1 -d zend.assertions=1 -d error_reporting=-1

.PHONY: ensure-php test-php conformance-php demo-php bench-php bench-php-smoke php-generate
ensure-php:
	@$(ROOT)/scripts/ensure-apt.sh php-cli phpunit php-gmp php-mbstring

# After a change to the C header or to the core's error codes (tests/GeneratedTest.php fails until then).
php-generate: ensure-php c-lib
	$(PHP_RUN) $(PHP_DIR)/bin/generate.php

test-php: ensure-php c-lib
	$(PHP_RUN) $$(command -v phpunit) --configuration $(PHP_DIR)/phpunit.xml
	$(PHP_RUN) $$(command -v phpunit) --configuration $(ROOT)/examples/php/phpunit.xml

conformance-php: ensure-php c-lib
	@$(PHP_RUN) $(PHP_DIR)/bin/conformance.php

demo-php: ensure-php c-lib
	@echo "== php =="
	@USERHASH_SECRET=s3cr3t $(PHP_RUN) $(PHP_DIR)/bin/demo.php

bench-php: ensure-php c-lib
	@$(PHP_RUN) -d memory_limit=-1 $(PHP_DIR)/bin/bench.php

# Every bench case once with tiny counts, so the bench code cannot rot (no timing).
bench-php-smoke: ensure-php c-lib
	@USERHASH_BENCH_SMOKE=1 $(PHP_RUN) -d memory_limit=-1 $(PHP_DIR)/bin/bench.php >/dev/null

# The example page in the browser test of the embed snippets (tests/browser, docs/embed.md):
# php -S with the example's router; the test-only /userhash/embed route is switched on by
# USERHASH_EMBED_TEST_ROUTE=1 here and nowhere else.
BROWSER_EXAMPLES += --example 'php=USERHASH_LIB=$(ROOT)/build/c/lib/libuserhash.so USERHASH_EMBED_TEST_ROUTE=1 $(PHP) -d ffi.enable=1 -S 127.0.0.1:$$PORT examples/php/router.php'
test-browser: ensure-php c-lib

ENSURE_TARGETS += ensure-php
TEST_TARGETS += test-php bench-php-smoke
CONFORMANCE_TARGETS += conformance-php
DEMO_TARGETS += demo-php
BENCH_TARGETS += bench-php
