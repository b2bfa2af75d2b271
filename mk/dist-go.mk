# The Go module release (issue 13), in the GOPROXY layout, and its install test.
#
#   make dist-go        dist/goproxy/<module>/@v/{list,<v>.info,<v>.mod,<v>.zip}: the package's
#                       non-test sources and README, the repository's LICENSE-MIT and
#                       LICENSE-APACHE, userhash.h and libuserhash_linux_amd64.a
#                       (dist-c-lib's glibc 2.17 build, no test-only presets), and a go.mod
#                       without the test-only requirements; zipped and checked by
#                       golang.org/x/mod/zip (bindings-go/cmd/userhash-goproxy)
#   make test-dist-go   a scratch module outside the repository gets it with
#                       GOPROXY=file://dist/goproxy (checksum database off for this module
#                       only), builds, signs (checked against crypto/hmac), then go mod vendor
#                       and go build -mod=vendor; cargo and rustc are not on PATH
#
# Other platforms build the package with -tags userhash_dynamic and their own libuserhash
# (bindings-go/README.md, Install).

GO_MODULE = $(shell sed -n 's/^module //p' $(GO_PKG)/go.mod)
GO_DIST_VERSION = v$(C_VERSION)
GO_PROXY_DIR = $(DIST)/goproxy
GO_DIST_MODULE = $(ROOT)/build/dist/go/module
GO_DIST_SOURCES = $(filter-out %_test.go,$(wildcard $(GO_PKG)/*.go)) $(GO_PKG)/README.md

.PHONY: dist-go test-dist-go
dist-go: ensure-go dist-c-lib
	rm -rf $(GO_DIST_MODULE) && mkdir -p $(GO_DIST_MODULE)
	cp $(GO_DIST_SOURCES) $(GO_DIST_MODULE)/
	cp $(DIST_C)/lib/libuserhash.a $(GO_DIST_MODULE)/libuserhash_linux_amd64.a
	cp $(DIST_C)/include/userhash.h $(GO_DIST_MODULE)/userhash.h
	cp $(ROOT)/LICENSE-MIT $(ROOT)/LICENSE-APACHE $(GO_DIST_MODULE)/
	printf 'module %s\n\ngo %s\n' '$(GO_MODULE)' "$$(sed -n 's/^go //p' $(GO_PKG)/go.mod)" > $(GO_DIST_MODULE)/go.mod
	rm -rf $(GO_PROXY_DIR)/$(GO_MODULE)
	cd $(GO_PKG)/cmd/userhash-goproxy && $(GO) run . -dir $(GO_DIST_MODULE) -version $(GO_DIST_VERSION) -out $(GO_PROXY_DIR)
	@ls -l $(GO_PROXY_DIR)/$(GO_MODULE)/@v

test-dist-go: ensure-go
	PATH=$(NO_CARGO_PATH) GO=$(GO) $(GO_PKG)/cmd/userhash-goproxy/test-dist.sh $(GO_PROXY_DIR) $(GO_MODULE) $(GO_DIST_VERSION)

DIST_TARGETS += dist-go
TEST_DIST_TARGETS += test-dist-go
