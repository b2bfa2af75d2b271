# Ruby binding (bindings-ruby: magnus + rb-sys, built by ext/userhash/extconf.rb
# driving cargo — no rb_sys gem) and the Rails example (examples/rails).

RUBY_PKGS := ruby ruby-dev libclang-dev rake ruby-minitest bundler ruby-rails ruby-webrick ruby-jwt
RUBY_DIR := $(ROOT)/bindings-ruby
RUBY_RUN := ruby -I$(RUBY_DIR)/lib
# Debian's bundler as root: install into the system gem dirs, quietly.
RUBY_BUNDLE_ENV := BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_GEMFILE=$(ROOT)/examples/rails/Gemfile

.PHONY: ensure-ruby ruby-ext test-ruby test-ruby-unit test-ruby-gem test-ruby-rails conformance-ruby demo-ruby bench-ruby bench-ruby-smoke ruby-rails-bundle

ensure-ruby:
	@$(ROOT)/scripts/ensure-apt.sh $(RUBY_PKGS)

# Builds bindings-ruby/lib/userhash/userhash.so (quiet unless it fails), with
# the core's test-only preset (the suite signs with it; see extconf.rb).
RUBY_TEST_FEATURES := userhash/probe-preset
ruby-ext: ensure-ruby
	@cd $(RUBY_DIR) && out=$$(USERHASH_CARGO_FEATURES=$(RUBY_TEST_FEATURES) rake compile 2>&1) || { echo "$$out"; exit 1; }

test-ruby: test-ruby-unit test-ruby-gem test-ruby-rails

# minitest: conformance (USERHASH_VECTORS), bad-input matrix, API, errors, threads.
test-ruby-unit: ruby-ext
	cd $(RUBY_DIR) && rake test
	$(RUBY_RUN) -e 'require "userhash"; puts Userhash::Signer.new("s3cr3t", :ensoras).sign(email: "Alice@Example.COM")' \
		| grep -qx ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995

# gem build (core vendored) + gem install --local into a temp GEM_HOME + sign with it.
# The installed gem compiles its own sources into the workspace's target/, reusing
# the registry crates `rake compile` built (only the core and the extension crate
# compile: ~20 s instead of ~2 min from scratch). USERHASH_GEM_TARGET_DIR=<empty dir>
# checks a build from scratch.
test-ruby-gem: ruby-ext
	cd $(RUBY_DIR) && rake install_check

# The Rails example: Gemfile resolves with `bundle install --local`; a request renders
# the view and the hash in the HTML is checked against the vendor's Node snippet.
test-ruby-rails: ruby-rails-bundle
	cd $(ROOT)/examples/rails && $(RUBY_BUNDLE_ENV) bundle exec ruby -Itest -e 'Dir["test/**/*_test.rb"].each { |f| require File.expand_path(f) }'

ruby-rails-bundle: ruby-ext
	@cd $(ROOT)/examples/rails && $(RUBY_BUNDLE_ENV) bundle install --local --quiet

# The Rails example in the browser test (tests/browser, docs/embed.md): its
# test-only POST /userhash/embed route renders each case through `userhash_embed`.
BROWSER_EXAMPLES += --example 'rails=cd examples/rails && USERHASH_EMBED_TEST_ROUTE=1 $(RUBY_BUNDLE_ENV) exec bundle exec rackup -o 127.0.0.1 -p $$PORT'
test-browser: ruby-rails-bundle

conformance-ruby: ruby-ext
	@$(RUBY_RUN) $(RUBY_DIR)/test/conformance_cli.rb

demo-ruby: ruby-ext
	@echo "== ruby =="
	@USERHASH_SECRET=s3cr3t $(RUBY_RUN) $(RUBY_DIR)/demo.rb

# One line per comparison: `ruby <case> sdk=<ns>ns stdlib=<ns>ns ratio=<sdk/stdlib>`.
bench-ruby: ruby-ext
	@$(RUBY_RUN) $(RUBY_DIR)/bench.rb

# The benchmark once with tiny counts (make test: keeps it from rotting; no timing checks).
bench-ruby-smoke: ruby-ext
	@USERHASH_BENCH_SMOKE=1 $(RUBY_RUN) $(RUBY_DIR)/bench.rb

ENSURE_TARGETS += ensure-ruby
TEST_TARGETS += test-ruby bench-ruby-smoke
CONFORMANCE_TARGETS += conformance-ruby
DEMO_TARGETS += demo-ruby
BENCH_TARGETS += bench-ruby
