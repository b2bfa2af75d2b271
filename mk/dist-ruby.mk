# Ruby release artifacts (issue 13), in dist/ruby/, and their install test.
#
#   userhash-<v>-x86_64-linux.gem
#       the precompiled platform gem: lib/userhash/userhash.so built for glibc 2.17 with
#       cargo zigbuild (dist-tools), no extension to compile, required_ruby_version the
#       Ruby minor it was built against (>= 3.1, < 3.2.dev with Debian 12's Ruby).
#       Platform x86_64-linux, not x86_64-linux-gnu: this RubyGems (3.3.15) has no libc in
#       its platforms — Gem::Platform.new("x86_64-linux-gnu") is x86_64-linux, so the gem
#       would carry that name anyway; RubyGems that tell gnu from musl read a plain
#       x86_64-linux gem as the glibc one.
#   userhash-<v>.gem
#       the source gem every other platform (or Ruby) builds: the Rust core and every crate
#       vendored (USERHASH_VENDOR_CRATES=1 rake gem: scripts/vendor-crates.sh, a .cargo/config.toml
#       pointing at it), so it builds without the network (Rust >= 1.95, libclang and the
#       Ruby headers needed). dist-ruby installs it once with an empty CARGO_HOME and
#       CARGO_NET_OFFLINE=true to prove it.
#   make test-dist-ruby
#       bindings-ruby/test-dist.sh, cargo off PATH: gem install --local of the platform gem
#       into an empty GEM_HOME, sign (checked against OpenSSL::HMAC); then a scratch Rails
#       app (Debian's railties) whose Gemfile bundle install --local resolves against
#       vendor/cache holding both gems: it must pick the platform gem, load the Railtie and
#       sign through the view helper.
#
# The extension's build (rb-sys reads the Ruby it is built for): RUBY is that Ruby (its
# RbConfig and headers); bindgen parses Ruby's headers with libclang, and cargo-zigbuild
# hands it `-nostdinc` plus zig's include dirs as `-Xclang -c-isystem`, which libclang
# ignores, so BINDGEN_EXTRA_CLANG_ARGS_<target> first names libclang's own builtin headers
# (stdarg.h) and the host's include dirs (only Ruby's types are bound; what the library
# links against is zig's glibc 2.17). The extension does not link libruby: its rb_*
# symbols resolve in the Ruby that loads it (check-elf.py: libc, libdl, libpthread only).

# Recursive (=): mk/dist.mk, which defines DIST and DIST_TOOLS_BIN, is read after this file.
DIST_RB = $(DIST)/ruby
DIST_RB_PLATFORM = x86_64-linux
DIST_RB_TARGET = $(ROOT)/build/target-dist-ruby
DIST_RB_SO = $(DIST_RB_TARGET)/$(DIST_RUST_TARGET)/release/libuserhash_ruby.so
DIST_RB_CHECK = $(ROOT)/build/dist-ruby-gem-check
DIST_RB_VERSION = $(shell cd $(RUBY_DIR) && ruby -e 'print Gem::Specification.load("userhash.gemspec").version')
DIST_RB_CLANG_INCLUDE = $(firstword $(wildcard /usr/lib/llvm-*/lib/clang/*/include))
DIST_RB_BINDGEN_ARGS = -isystem $(DIST_RB_CLANG_INCLUDE) -isystem /usr/include/x86_64-linux-gnu -isystem /usr/include
DIST_RB_ENV = PATH=$(DIST_TOOLS_BIN):$$PATH RUBY=$$(command -v ruby) CARGO_TARGET_DIR=$(DIST_RB_TARGET) \
	"BINDGEN_EXTRA_CLANG_ARGS_$(DIST_RUST_TARGET)=$(DIST_RB_BINDGEN_ARGS)"

.PHONY: dist-ruby test-dist-ruby

dist-ruby: ensure-ruby dist-tools
	@test -n "$(DIST_RB_CLANG_INCLUDE)" || { echo "dist-ruby: libclang's headers not found (libclang-dev)"; exit 1; }
	rm -rf $(DIST_RB) && mkdir -p $(DIST_RB)
	cd $(RUBY_DIR) && env $(DIST_RB_ENV) $(CARGO) zigbuild -q --release -p userhash-ruby --target $(DIST_ZIG_TARGET)
	python3 $(ROOT)/scripts/check-elf.py $(DIST_RB_SO)
	cd $(RUBY_DIR) && rake native_gem SO=$(DIST_RB_SO) OUT=$(DIST_RB) PLATFORM=$(DIST_RB_PLATFORM)
	cd $(RUBY_DIR) && USERHASH_VENDOR_CRATES=1 rake gem
	cp $(ROOT)/build/ruby-gem/userhash.gem $(DIST_RB)/userhash-$(DIST_RB_VERSION).gem
	python3 $(ROOT)/scripts/check-elf.py $(DIST_RB)
	@# The source gem builds where gem install builds it, offline, from its vendored crates.
	rm -rf $(DIST_RB_CHECK) && mkdir -p $(DIST_RB_CHECK)/cargo-home
	cd $(DIST_RB_CHECK) && GEM_HOME=$(DIST_RB_CHECK)/gems GEM_PATH=$(DIST_RB_CHECK)/gems \
		CARGO_HOME=$(DIST_RB_CHECK)/cargo-home CARGO_NET_OFFLINE=true CARGO_TARGET_DIR=$(DIST_RB_CHECK)/target \
		gem install --local --no-document --quiet $(DIST_RB)/userhash-$(DIST_RB_VERSION).gem
	cd $(DIST_RB_CHECK) && GEM_HOME=$(DIST_RB_CHECK)/gems GEM_PATH=$(DIST_RB_CHECK)/gems ruby -ropenssl -e \
		'require "userhash"; h = Userhash::Signer.new("s3cr3t", :ensoras).sign(email: "A@B.c"); \
		 exit(h == OpenSSL::HMAC.hexdigest("SHA256", "s3cr3t", "a@b.c") && $$LOADED_FEATURES.grep(/userhash\.so/).then { |l| l.size == 1 && l[0].start_with?(ENV["GEM_HOME"]) })'
	@! ls -d $(DIST_RB_CHECK)/cargo-home/registry $(DIST_RB_CHECK)/cargo-home/git 2> /dev/null \
		|| { echo "dist-ruby: the source gem's build fetched crates into CARGO_HOME"; exit 1; }
	rm -rf $(DIST_RB_CHECK)
	@ls -l $(DIST_RB)

test-dist-ruby: ensure-ruby
	PATH=$(NO_CARGO_PATH) $(RUBY_DIR)/test-dist.sh $(DIST_RB)

DIST_TARGETS += dist-ruby
TEST_DIST_TARGETS += test-dist-ruby
