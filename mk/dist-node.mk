# Node release artifacts (issue 13), in dist/npm/ — the napi-rs layout:
#
#   userhash-<v>.tgz                 the API (userhash.js, express.js), typings and the
#                                    generated loader; optionalDependency on exactly:
#   userhash-linux-x64-gnu-<v>.tgz   the addon for x86_64 Linux, glibc >= 2.17 (os/cpu/libc)
#
# The addon is the release build (no test-only preset), linked by zig against glibc 2.17
# (cargo zigbuild from dist-tools) in its own target directory, so `make dist` never
# replaces target/'s artifacts. bindings-node/dist.sh stages and packs both packages;
# bindings-node/test-dist.sh publishes them to a verdaccio it starts on 127.0.0.1 and
# installs them into a scratch Express app (verdaccio from npm, into build/).

# Recursive (=): mk/dist.mk, which defines DIST and DIST_TOOLS_BIN, is read after this file.
DIST_NODE = $(DIST)/npm
DIST_NODE_TARGET = $(ROOT)/build/target-dist-node
DIST_NODE_ADDON = $(DIST_NODE_TARGET)/$(DIST_RUST_TARGET)/release/libuserhash_node.so
# verdaccio 6.9+ needs Node 22; 6.8 runs on the Node 20 CI has.
DIST_NODE_VERDACCIO = verdaccio@6.8.0
DIST_NODE_TOOLS = $(ROOT)/build/node-dist-tools
DIST_NODE_TOOLS_STAMP = $(DIST_NODE_TOOLS)/.installed-$(DIST_NODE_VERDACCIO)

.PHONY: dist-node test-dist-node

dist-node: dist-tools
	PATH=$(DIST_TOOLS_BIN):$$PATH CARGO_TARGET_DIR=$(DIST_NODE_TARGET) \
		$(CARGO) zigbuild -q --release -p userhash-node --target $(DIST_ZIG_TARGET)
	@rm -rf $(DIST_NODE) && mkdir -p $(DIST_NODE)
	$(ROOT)/bindings-node/dist.sh $(DIST_NODE) $(DIST_NODE_ADDON)
	python3 $(ROOT)/scripts/check-elf.py $(DIST_NODE)

$(DIST_NODE_TOOLS_STAMP):
	@rm -rf $(DIST_NODE_TOOLS) && mkdir -p $(DIST_NODE_TOOLS)
	echo '{"name": "userhash-node-dist-tools", "private": true}' > $(DIST_NODE_TOOLS)/package.json
	cd $(DIST_NODE_TOOLS) && npm install $(NPM_QUIET) $(DIST_NODE_VERDACCIO) > /dev/null
	@touch $@

test-dist-node: $(DIST_NODE_TOOLS_STAMP)
	PATH=$(NO_CARGO_PATH) $(ROOT)/bindings-node/test-dist.sh $(DIST_NODE) $(DIST_NODE_TOOLS)/node_modules/.bin/verdaccio

DIST_TARGETS += dist-node
TEST_DIST_TARGETS += test-dist-node
