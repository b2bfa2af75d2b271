# Release artifacts (issue 13): `make dist` writes dist/, `make test-dist` installs each
# artifact with its own tool, outside the repository, with cargo hidden from PATH.
#
#   make dist-tools   build/dist-tools: a venv with zig (from PyPI), maturin, cargo-zigbuild
#   make dist-c-lib   build/dist/c/{lib,include}: libuserhash built for glibc 2.17
#   make check-elf    every ELF in dist/ (inside wheels, tarballs, gems, zips) needs glibc <= 2.17
#
# Each language adds its own dist-<lang> and test-dist-<lang> in mk/dist-<lang>.mk.

DIST := $(ROOT)/dist
DIST_TOOLS := $(ROOT)/build/dist-tools
DIST_TOOLS_BIN := $(DIST_TOOLS)/bin
# The zig maturin's own CI tests with; cargo-zigbuild drives the same zig.
DIST_ZIG := ziglang==0.15.2
DIST_MATURIN := maturin==1.16.0
DIST_ZIGBUILD := cargo-zigbuild==0.24.1
# Rust target with the glibc version zig links against (the manylinux2014 floor).
DIST_GLIBC := 2.17
DIST_RUST_TARGET := x86_64-unknown-linux-gnu
DIST_ZIG_TARGET := $(DIST_RUST_TARGET).$(DIST_GLIBC)
DIST_TARGET_DIR := $(ROOT)/target/$(DIST_RUST_TARGET)/release
# What install tests run with: everything on PATH except cargo, rustc and rustup.
NO_CARGO_PATH := $(shell python3 $(ROOT)/scripts/path-without-cargo.py)
DIST_C := $(ROOT)/build/dist/c

.PHONY: dist-tools dist-c-lib check-elf
dist-tools: $(DIST_TOOLS)/.installed
$(DIST_TOOLS)/.installed:
	python3 -m venv $(DIST_TOOLS)
	$(DIST_TOOLS_BIN)/pip install -q --disable-pip-version-check $(DIST_ZIG) $(DIST_MATURIN) $(DIST_ZIGBUILD) auditwheel
	rustup target list --installed | grep -qx $(DIST_RUST_TARGET) || rustup target add $(DIST_RUST_TARGET)
	touch $@

# The release library (no test-only presets) every host package bundles: Go's module
# (static), PHP's Composer package (shared), the C tarball (both).
dist-c-lib: dist-tools
	PATH=$(DIST_TOOLS_BIN):$$PATH $(CARGO) zigbuild -q --release -p userhash-c --target $(DIST_ZIG_TARGET)
	@mkdir -p $(DIST_C)/lib $(DIST_C)/include
	cp -f $(DIST_TARGET_DIR)/libuserhash_c.a $(DIST_C)/lib/libuserhash.a
	cp -f $(DIST_TARGET_DIR)/libuserhash_c.so $(DIST_C)/lib/libuserhash.so
	cp -f $(ROOT)/bindings-c/include/userhash.h $(DIST_C)/include/userhash.h
	python3 $(ROOT)/scripts/check-elf.py $(DIST_C)/lib

check-elf:
	python3 $(ROOT)/scripts/check-elf.py $(DIST)
