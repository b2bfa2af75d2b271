# PHP release artifact (issue 13): the Composer package userhash/userhash with the library
# bundled per platform, as a zip that a Composer `artifact` repository serves.
#
#   make dist-php       dist/composer/userhash-userhash-<version>.zip: src/, autoload.php,
#                       preload.php, bin/ffi-header.php, README.md, the repository's LICENSE-MIT
#                       and LICENSE-APACHE, composer.json (with its
#                       version) and lib/linux-x86_64/libuserhash.so (the glibc 2.17 build of
#                       dist-c-lib, mk/dist.mk)
#   make test-dist-php  with cargo off PATH, in a mktemp -d scratch project: Debian's composer
#                       installs the zip from an artifact repository (packagist disabled), a
#                       script signs through vendor/autoload.php; then a php-fpm started by the
#                       test (ffi.enable left at "preload", opcache.preload of our preload.php)
#                       serves a page over FastCGI (cgi-fcgi); both hashes are checked against
#                       PHP's own hash_hmac.
#
# (mk/dist.mk is read after this file: its variables are used in recipes only.)

PHP_DIST_VERSION = $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' $(ROOT)/Cargo.toml | head -n 1)
PHP_DIST_STAGE = $(ROOT)/build/dist/php/userhash
PHP_DIST_ZIP = $(ROOT)/dist/composer/userhash-userhash-$(PHP_DIST_VERSION).zip

.PHONY: dist-php test-dist-php ensure-php-dist
ensure-php-dist: ensure-php
	@$(ROOT)/scripts/ensure-apt.sh composer php-zip php8.2-fpm libfcgi-bin zip

dist-php: ensure-php-dist dist-c-lib
	rm -rf $(PHP_DIST_STAGE) && mkdir -p $(PHP_DIST_STAGE)/lib/linux-x86_64 $(PHP_DIST_STAGE)/bin $(ROOT)/dist/composer
	cp -r $(PHP_DIR)/src $(PHP_DIR)/autoload.php $(PHP_DIR)/preload.php $(PHP_DIR)/README.md $(PHP_DIST_STAGE)/
	cp $(PHP_DIR)/bin/ffi-header.php $(PHP_DIST_STAGE)/bin/
	cp $(ROOT)/LICENSE-MIT $(ROOT)/LICENSE-APACHE $(PHP_DIST_STAGE)/
	cp $(DIST_C)/lib/libuserhash.so $(PHP_DIST_STAGE)/lib/linux-x86_64/libuserhash.so
	python3 $(ROOT)/scripts/check-elf.py $(PHP_DIST_STAGE)/lib
	# An artifact repository reads the version from the package's composer.json; no dev parts.
	python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); c["version"] = sys.argv[2]; \
	  [c.pop(k, None) for k in ("require-dev", "autoload-dev")]; \
	  json.dump(c, open(sys.argv[3], "w"), indent=4); open(sys.argv[3], "a").write("\n")' \
	  $(PHP_DIR)/composer.json $(PHP_DIST_VERSION) $(PHP_DIST_STAGE)/composer.json
	rm -f $(PHP_DIST_ZIP) && cd $(PHP_DIST_STAGE) && zip -q -r -X $(PHP_DIST_ZIP) .
	@echo "wrote $(PHP_DIST_ZIP)"

test-dist-php: ensure-php-dist
	@test -f $(PHP_DIST_ZIP) || { echo "test-dist-php: $(PHP_DIST_ZIP) is missing: make dist-php first" >&2; exit 1; }
	PATH='$(NO_CARGO_PATH)' bash $(PHP_DIR)/tests/dist/install.sh $(ROOT)/dist/composer $(PHP_DIST_VERSION)

DIST_TARGETS += dist-php
TEST_DIST_TARGETS += test-dist-php
