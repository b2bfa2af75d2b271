# Browser test of the embed snippets (tests/browser, docs/embed.md): headless Debian
# chromium loads every vendor's snippet rendered with hostile identities, by the CLI and
# by each framework example that registers itself here, and checks what the widget
# stubs received against the vendors' Node snippets (and the token presets' JWTs with
# npm jsonwebtoken, from tests/oracle/tokens: `npm ci` there when it is missing).
#
#   make test-browser     prints "browser: N passed, M failed"
#
# A framework example plugs in from its own mk file (see docs/embed.md):
#   BROWSER_EXAMPLES += --example 'django=python3 examples/django/manage.py runserver 127.0.0.1:$$PORT --noreload'
#   test-browser: <what the example needs built first>

CHROMIUM ?= chromium
BROWSER_EXAMPLES ?=
BROWSER_ARGS ?=

.PHONY: ensure-browser browser-token-oracle test-browser
ensure-browser:
	@$(ROOT)/scripts/ensure-apt.sh chromium

browser-token-oracle:
	@test -f $(ROOT)/tests/oracle/tokens/node_modules/jsonwebtoken/package.json || \
	  (cd $(ROOT)/tests/oracle/tokens && npm ci --silent --no-audit --no-fund)

test-browser: ensure-browser cli browser-token-oracle
	node $(ROOT)/tests/browser/run.js --cli $(USERHASH_CLI) --chromium $(CHROMIUM) $(BROWSER_EXAMPLES) $(BROWSER_ARGS)

ENSURE_TARGETS += ensure-browser
TEST_TARGETS += test-browser
