# Node binding (bindings-node: napi-rs 3 + @napi-rs/cli 3) and the Express example.

NODE_DIR := $(ROOT)/bindings-node
NODE_EXAMPLE := $(ROOT)/examples/express
NODE_BUILD := $(ROOT)/build/node
NODE_CI_STAMP := $(NODE_DIR)/node_modules/.userhash-npm-ci
NODE_EXAMPLE_STAMP := $(NODE_EXAMPLE)/node_modules/.userhash-npm-ci
NODE_ADDON_STAMP := $(NODE_BUILD)/.addon-built
NODE_SOURCES := $(shell find $(ROOT)/core/src $(NODE_DIR)/src -type f -name '*.rs' 2>/dev/null) \
	$(ROOT)/core/Cargo.toml $(NODE_DIR)/Cargo.toml $(NODE_DIR)/build.rs $(NODE_DIR)/package.json
NODE_CHECK_HASH := ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995
NPM_QUIET := --no-audit --no-fund --loglevel=error
# The addon the tests, benches and pack check use: the core built with its
# test-only `zz_probe` preset (docs/design.md), which the suite signs to show a
# preset needs no binding edit. `npm run build` builds without it.
NODE_NAPI_BUILD := ./node_modules/.bin/napi build --platform --release --features userhash/probe-preset

.PHONY: ensure-node node-addon test-node test-node-unit test-node-drift test-node-types \
	test-node-pack test-node-express conformance-node demo-node bench-node bench-node-smoke

ensure-node: $(NODE_CI_STAMP) $(NODE_EXAMPLE_STAMP)

# Node itself is preinstalled on CI (Node 20); Debian's nodejs is the fallback.
# `npm install --no-save` rather than `npm ci`: it installs the locked versions
# too, but tolerates the lockfile lacking @napi-rs/cli's optional per-platform
# packages for other OSes (the registry here does not serve them, so they can't
# be locked, and `npm ci` refuses such a lockfile).
$(NODE_CI_STAMP): $(NODE_DIR)/package-lock.json $(NODE_DIR)/package.json
	@command -v npm >/dev/null || $(ROOT)/scripts/ensure-apt.sh nodejs npm
	cd $(NODE_DIR) && npm install --no-save $(NPM_QUIET)
	@touch $@

$(NODE_EXAMPLE_STAMP): $(NODE_EXAMPLE)/package-lock.json $(NODE_EXAMPLE)/package.json
	@command -v npm >/dev/null || $(ROOT)/scripts/ensure-apt.sh nodejs npm
	cd $(NODE_EXAMPLE) && npm ci $(NPM_QUIET)
	@touch $@

# The addon userhash.<platform>.node, plus the regenerated index.js/index.d.ts
# (quiet unless it fails).
node-addon: $(NODE_ADDON_STAMP)

$(NODE_ADDON_STAMP): $(NODE_CI_STAMP) $(NODE_SOURCES)
	@mkdir -p $(NODE_BUILD)
	@cd $(NODE_DIR) && out=$$($(NODE_NAPI_BUILD) 2>&1) || { echo "$$out"; exit 1; }
	@touch $@

test-node: test-node-drift test-node-unit test-node-types test-node-pack test-node-express

# The generated loader and typings are committed: a build that changes them fails.
test-node-drift: node-addon
	@cd $(NODE_DIR) && $(NODE_NAPI_BUILD) >/dev/null 2>&1
	git -C $(ROOT) diff --exit-code -- bindings-node/index.js bindings-node/index.d.ts
	@test -z "$$(git -C $(ROOT) status --porcelain -- bindings-node/index.js bindings-node/index.d.ts)" \
		|| { echo "bindings-node/index.js or index.d.ts is not committed"; exit 1; }

# node:test: vectors (USERHASH_VECTORS), bad-input matrix, native-value table,
# the core-only preset, API/errors, typings against the runtime exports.
test-node-unit: node-addon
	cd $(NODE_DIR) && node --test test/*.test.js
	node -e "const {Signer}=require('./bindings-node'); console.log(new Signer('s3cr3t','ensoras').sign({email:'Alice@Example.COM'}))" \
		| grep -qx $(NODE_CHECK_HASH)

test-node-types: $(NODE_CI_STAMP)
	cd $(NODE_DIR) && ./node_modules/.bin/tsc -p test/types

# `npm pack` holds only what users need, and the tarball installs and signs.
test-node-pack: node-addon
	@rm -rf $(NODE_BUILD)/pack && mkdir -p $(NODE_BUILD)/pack/app
	cd $(NODE_DIR) && npm pack --silent --pack-destination $(NODE_BUILD)/pack >/dev/null
	@tar -tzf $(NODE_BUILD)/pack/userhash-*.tgz | sort > $(NODE_BUILD)/pack/contents.txt
	@! grep -E '^package/(src|test|node_modules|target)/|Cargo|build\.rs' $(NODE_BUILD)/pack/contents.txt \
		|| { echo "npm pack includes build-only files"; exit 1; }
	@grep -qE '^package/userhash\..*\.node$$' $(NODE_BUILD)/pack/contents.txt || { echo "no .node addon in the tarball"; exit 1; }
	cd $(NODE_BUILD)/pack/app && echo '{"name":"pack-check","private":true}' > package.json \
		&& npm install $(NPM_QUIET) ../userhash-*.tgz >/dev/null \
		&& node -e "const {Signer}=require('userhash'); const {userhash}=require('userhash/express'); \
			if (typeof userhash !== 'function') throw new Error('userhash/express'); \
			console.log(new Signer('s3cr3t','ensoras').sign({email:'Alice@Example.COM'}))" \
		| grep -qx $(NODE_CHECK_HASH)

# The Express example, served on 127.0.0.1 and checked against the vendors' snippets.
test-node-express: node-addon $(NODE_EXAMPLE_STAMP)
	cd $(NODE_EXAMPLE) && node --test test/*.test.js

conformance-node: node-addon
	@node $(NODE_DIR)/test/vectors.js

demo-node: node-addon
	@echo "== node =="
	@node $(NODE_DIR)/demo.js

# One line per comparison: `node <case> sdk=<ns>ns stdlib=<ns>ns ratio=<sdk/stdlib>`.
bench-node: node-addon
	@node $(NODE_DIR)/bench.js

# The benchmark once with tiny counts, so it cannot rot (no timing assertions).
bench-node-smoke: node-addon
	@USERHASH_BENCH_SMOKE=1 node $(NODE_DIR)/bench.js >/dev/null

ENSURE_TARGETS += ensure-node
TEST_TARGETS += test-node bench-node-smoke
CONFORMANCE_TARGETS += conformance-node
DEMO_TARGETS += demo-node
BENCH_TARGETS += bench-node

# The browser test (tests/browser, docs/embed.md) renders every case through the
# Express example's test-only route, i.e. through userhash/express and signer.embed.
BROWSER_EXAMPLES += --example 'express=USERHASH_EMBED_TEST_ROUTE=1 exec node examples/express/server.js'
test-browser: node-addon $(NODE_EXAMPLE_STAMP)
