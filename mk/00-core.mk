# The Rust core and the `userhash` CLI.

USERHASH_CLI := $(ROOT)/target/release/userhash

.PHONY: cli conformance-cli demo-cli
cli:
	$(CARGO) build --release -p userhash-cli

conformance-cli: cli
	@vfiles=$$( [ -d "$(USERHASH_VECTORS)" ] && ls "$(USERHASH_VECTORS)"/*.json || echo "$(USERHASH_VECTORS)" ); \
	 out=$$($(USERHASH_CLI) check-vectors $$vfiles) && rc=0 || rc=$$?; \
	 echo "$$out" | grep -v 'passed, .* failed$$' || true; \
	 echo "cli: $$(echo "$$out" | tail -n 1)"; exit $$rc

demo-cli: cli
	@echo "== cli (Rust core) =="
	@export USERHASH_SECRET=s3cr3t; \
	 printf '%-12s %s\n' layerup "$$($(USERHASH_CLI) sign --preset layerup --email Alice@Example.COM)"; \
	 printf '%-12s %s\n' inviaro "$$($(USERHASH_CLI) sign --preset inviaro --user-id usr_42)"; \
	 printf '%-12s %s\n' ensoras "$$($(USERHASH_CLI) sign --preset ensoras --email Alice@Example.COM)"; \
	 printf '%-12s %s\n' supportwire "$$($(USERHASH_CLI) sign --preset supportwire --email ' Alice@Example.COM ')"; \
	 printf '%-12s %s\n' fluentbot "$$($(USERHASH_CLI) sign --preset fluentbot --visitor-json '{"name":"Alice","email":"Alice@Example.COM","data":{"plan":"pro"}}')"

CONFORMANCE_TARGETS += conformance-cli

# The token vectors (tests/tokens/vectors.json, made by jsonwebtoken) through the core.
.PHONY: test-tokens-cli
test-tokens-cli: cli
	@out=$$($(USERHASH_CLI) check-vectors $(ROOT)/tests/tokens/vectors.json) && rc=0 || rc=$$?; \
	 echo "$$out" | grep -v 'passed, .* failed$$' || true; echo "cli tokens: $$(echo "$$out" | tail -n 1)"; exit $$rc
TEST_TARGETS += test-tokens-cli
DEMO_TARGETS += demo-cli

.PHONY: bench-core bench-core-smoke
# Criterion: each preset vs the SHA-256 floor (two compressions), ratios printed.
bench-core:
	$(CARGO) bench -p userhash --bench sign -- --warm-up-time 1 --measurement-time 3 >/dev/null
	@python3 scripts/bench-core-ratios.py

# One iteration of every benchmark, so the benchmark code cannot rot (no timing).
bench-core-smoke:
	$(CARGO) bench -p userhash --bench sign -- --test >/dev/null

BENCH_TARGETS += bench-core
TEST_TARGETS += bench-core-smoke
