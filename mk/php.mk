# PHP binding (bindings-c/php: Userhash\Signer over FFI and libuserhash) and its
# example page (examples/php).
#
#   make test-php         PHPUnit: conformance, API tests, header check, the example page
#   make conformance-php  "php: N passed, M failed" for $(USERHASH_VECTORS)
#   make demo-php
#   make bench-php        ns per call next to the hash_hmac snippets

PHP ?= php
PHP_DIR := $(ROOT)/bindings-c/php
# ffi.enable=1 also lets the built-in web server (cli-server SAPI) use FFI;
# Debian's CLI default ("preload") allows FFI::cdef only in the cli SAPI.
PHP_RUN = USERHASH_LIB=$(ROOT)/build/c/lib/libuserhash.so $(PHP) -d ffi.enable=1 -d zend.assertions=1 -d error_reporting=-1

.PHONY: ensure-php test-php conformance-php demo-php bench-php
ensure-php:
	@$(ROOT)/scripts/ensure-apt.sh php-cli phpunit php-gmp

test-php: ensure-php c-lib
	$(PHP_RUN) $$(command -v phpunit) --configuration $(PHP_DIR)/phpunit.xml
	$(PHP_RUN) $$(command -v phpunit) --configuration $(ROOT)/examples/php/phpunit.xml

conformance-php: ensure-php c-lib
	@$(PHP_RUN) $(PHP_DIR)/bin/conformance.php

demo-php: ensure-php c-lib
	@echo "== php =="
	@USERHASH_SECRET=s3cr3t $(PHP_RUN) $(PHP_DIR)/bin/demo.php

bench-php: ensure-php c-lib
	@$(PHP_RUN) $(PHP_DIR)/bin/bench.php

ENSURE_TARGETS += ensure-php
TEST_TARGETS += test-php
CONFORMANCE_TARGETS += conformance-php
DEMO_TARGETS += demo-php
BENCH_TARGETS += bench-php
