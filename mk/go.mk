# Go package over cgo (bindings-go) and the net/http example. The package links the
# library in its own directory (libuserhash_linux_amd64.a and userhash.h, as the module
# zip ships them; git-ignored): go-lib copies the dev build of c-lib there.

GO ?= go
GO_PKG := $(ROOT)/bindings-go
GO_EXAMPLE := $(ROOT)/examples/go

.PHONY: ensure-go go-lib test-go conformance-go demo-go bench-go bench-go-smoke go-example
ensure-go:
	@command -v $(GO) >/dev/null || $(ROOT)/scripts/ensure-apt.sh golang-go
	@$(ROOT)/scripts/ensure-apt.sh gcc libc6-dev

go-lib: c-lib
	@cp -f $(C_LIB)/libuserhash.a $(GO_PKG)/libuserhash_linux_amd64.a
	@cp -f $(C_HEADER) $(GO_PKG)/userhash.h

test-go: ensure-go go-lib
	@cd $(GO_PKG) && test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l $(GO_PKG) $(GO_EXAMPLE); exit 1; }
	@cd $(GO_EXAMPLE) && test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l $(GO_EXAMPLE); exit 1; }
	cd $(GO_PKG) && $(GO) vet ./...
	cd $(GO_PKG) && $(GO) test -race -count=1 ./...
	cd $(GO_PKG) && $(GO) test -count=1 -run '^TestSignAllocatesOnlyItsResult$$' .
	@# The build tag for users who bring their own library (here build/c's, shared).
	cd $(GO_PKG) && CGO_LDFLAGS="-L$(C_LIB) -Wl,-rpath,$(C_LIB)" $(GO) test -tags userhash_dynamic -count=1 -run '^(TestLibraryLists|TestCoreOnlyPreset|Example.*)$$' .
	cd $(GO_EXAMPLE) && $(GO) vet ./... && $(GO) test -race -count=1 ./...

# One line: "go: N passed, M failed" (failure details before it).
conformance-go: ensure-go go-lib
	@cd $(GO_PKG) && out=$$($(GO) test -count=1 -v -run '^TestConformance$$' . 2>&1) && rc=0 || rc=$$?; \
	 echo "$$out" | grep -E '^\s+conformance_test\.go:[0-9]+: ' | grep -v 'also ran' || true; \
	 line=$$(echo "$$out" | grep -E '^go: [0-9]+ passed, [0-9]+ failed$$' | tail -n 1); \
	 if [ -z "$$line" ]; then echo "$$out" | tail -n 30; echo "go: 0 passed, 1 failed"; exit 1; fi; \
	 echo "$$line"; exit $$rc

demo-go: ensure-go go-lib
	@echo "== go =="
	@cd $(GO_PKG) && $(GO) run ./cmd/userhash-demo

# "go <case> sdk=…ns stdlib=…ns ratio=…" lines: userhash against the vendors' Go snippets.
bench-go: ensure-go go-lib
	@cd $(GO_PKG) && $(GO) run ./cmd/userhash-bench

# The same program once with tiny counts (no timing assertions), so it cannot rot.
bench-go-smoke: ensure-go go-lib
	@cd $(GO_PKG) && USERHASH_BENCH_SMOKE=1 $(GO) run ./cmd/userhash-bench

ENSURE_TARGETS += ensure-go
TEST_TARGETS += test-go bench-go-smoke
CONFORMANCE_TARGETS += conformance-go
DEMO_TARGETS += demo-go
BENCH_TARGETS += bench-go

# The example server with its browser-test route (tests/browser, docs/embed.md).
GO_EXAMPLE_BIN := $(ROOT)/build/go/userhash-widget
go-example: ensure-go go-lib
	@mkdir -p $(dir $(GO_EXAMPLE_BIN))
	cd $(GO_EXAMPLE) && $(GO) build -o $(GO_EXAMPLE_BIN) .

BROWSER_EXAMPLES += --example 'go=USERHASH_EMBED_TEST_ROUTE=1 exec $(GO_EXAMPLE_BIN) -addr 127.0.0.1:$$PORT'
test-browser: go-example
