# Hardening: differential testing against the oracle, Unicode pin, fuzzing.
#
#   make differential N=1000000 SEED=7   random inputs, oracle (vendors' Node snippets) vs core
#   make test-differential               20 000-case smoke + the Unicode pin (part of `make test`)
#   make fuzz-smoke                      20 s per cargo-fuzz target under ASan (nightly; not in
#                                        `make test`); new inputs go to fuzz/work/, not the corpus
#   make fuzz FUZZ_TIME=3600             longer fuzzing, one target at a time (see fuzz/README.md)

N ?= 20000
SEED ?= 1
FUZZ_TARGETS := json_text normalizers verify_hash c_abi
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_TIME ?= 600

.PHONY: differential test-differential unicode-pin fuzz-smoke fuzz

differential: cli
	node tests/differential/run.js --n $(N) --seed $(SEED) --cli $(USERHASH_CLI)

# Every code point's lowercase (and the Final_Sigma properties, and trim) in Node 20
# equals the committed table, and the core equals Node on all of them.
unicode-pin: cli
	node tests/differential/unicode.js --cli $(USERHASH_CLI)

test-differential: cli unicode-pin
	node tests/differential/run.js --n 20000 --seed $(SEED) --cli $(USERHASH_CLI) --quiet

TEST_TARGETS += test-differential

fuzz-smoke:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p work/$$t && cargo +nightly fuzz run $$t work/$$t corpus/$$t -- \
	    -max_total_time=$(FUZZ_SMOKE_SECONDS) -rss_limit_mb=2048 -timeout=10 || exit 1; \
	done

fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p work/$$t && cargo +nightly fuzz run -O $$t work/$$t corpus/$$t -- \
	    -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 -timeout=10 || exit 1; \
	done
