# userhash — one Rust core, five languages.
#
#   make demo         sign one sample identity with every preset, in every language
#   make test         everything CI runs (installs what a fresh machine lacks)
#   make conformance  VECTORS=file.json  — one "lang: N passed, M failed" line per language
#   make bench        benchmarks (see BENCHMARKS.md)
#   make dist         release artifacts in dist/ (mk/dist.mk)
#   make test-dist    install each artifact with its own tool, outside the repo, no cargo
#
# Each language adds its targets in mk/<lang>.mk by appending to the lists below.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ROOT := $(abspath .)
CARGO ?= cargo
# A file or a directory of vector files; every runner reads USERHASH_VECTORS.
VECTORS ?= tests/vectors
export USERHASH_VECTORS := $(abspath $(VECTORS))

ENSURE_TARGETS :=
TEST_TARGETS :=
CONFORMANCE_TARGETS :=
DEMO_TARGETS :=
BENCH_TARGETS :=
DIST_TARGETS :=
TEST_DIST_TARGETS :=

include $(sort $(wildcard mk/*.mk))

.PHONY: demo test conformance bench ensure lint test-rust test-vectors dist test-dist
.DEFAULT_GOAL := demo

ensure: $(ENSURE_TARGETS)

lint: ensure
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	python3 scripts/binding-lines.py --check

test-rust: ensure
	$(CARGO) test --workspace

# The oracle (the vendors' own Node snippets) regenerates the vectors; any diff fails.
# The native-value table's outcomes come from the same snippets (tests/native-values).
# Token vectors come from Node's jsonwebtoken (tests/oracle/tokens).
test-vectors:
	node tests/oracle/generate.js
	node tests/native-values/generate.js
	cd tests/oracle/tokens && npm ci --silent --no-audit --no-fund && node generate.js
	git diff --exit-code -- tests/vectors tests/native-values tests/tokens
	@test -z "$$(git status --porcelain -- tests/vectors tests/native-values tests/tokens)" || { echo "untracked vector files"; git status --porcelain -- tests/vectors tests/native-values tests/tokens; exit 1; }

test: lint test-rust test-vectors $(TEST_TARGETS)
	$(MAKE) --no-print-directory conformance
	$(MAKE) --no-print-directory dist
	$(MAKE) --no-print-directory test-dist

# Artifacts are built first, then every install test runs against dist/ alone.
dist: $(DIST_TARGETS)
	python3 scripts/check-elf.py dist

test-dist: $(TEST_DIST_TARGETS)

conformance: $(CONFORMANCE_TARGETS)

demo: $(DEMO_TARGETS)

# Every language's benchmark in turn, then one table of ratios (BENCHMARKS.md).
bench:
	@mkdir -p build
	@for t in $(BENCH_TARGETS); do $(MAKE) --no-print-directory $$t; done 2>&1 | tee build/bench.log
	@echo; python3 scripts/bench-table.py < build/bench.log
