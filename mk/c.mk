# The C ABI (bindings-c): libuserhash.{so,a}, the cbindgen header, pkg-config, C tests.
#
#   make c-lib     build/c/{lib/libuserhash.so,lib/libuserhash.a,lib/pkgconfig/userhash.pc,include/userhash.h}
#                  (the dev/test build: with the core's zz_probe preset, see C_FEATURES)
#   make c-header  regenerate bindings-c/include/userhash.h (commit it)
#   make test-c    header drift check + the C test program under valgrind + the README's example
#   make test-c-asan       the C test program under AddressSanitizer + UBSan (in make test)
#   make test-c-asan-rust  the same with the Rust library instrumented too (needs a nightly toolchain)

C_OUT := $(ROOT)/build/c
C_LIB := $(C_OUT)/lib
C_HEADER := $(ROOT)/bindings-c/include/userhash.h
# The workspace version (Cargo.toml): userhash.pc's Version, and what the C test expects
# userhash_version() to return.
C_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(ROOT)/Cargo.toml | head -n 1)
# Core features of the library c-lib builds. The dev/test build (what the C, PHP and Go
# suites link, all from build/c/lib) includes the core-only `zz_probe` preset, which
# every suite signs to show a preset needs no binding edit. For a release build
# without it: make c-lib C_FEATURES=
C_FEATURES ?= userhash/probe-preset
C_CARGO_FEATURES := $(if $(strip $(C_FEATURES)),--features $(C_FEATURES))
# What a Rust staticlib needs from the system (rustc --print native-static-libs).
C_STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
CC ?= cc
C_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1
VALGRIND := valgrind --quiet --suppressions=$(ROOT)/bindings-c/tests/valgrind.supp --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=1

# $(call c_pkgconfig,PREFIX,DIR): writes DIR/userhash.pc (the shared library; Libs.private for
# `pkg-config --static` when only the archive is installed) and DIR/userhash-static.pc (the
# archive by path: `pkg-config --cflags --libs userhash-static` links statically even where
# the shared library is installed too). PREFIX may be '$${pcfiledir}/../..' (relocatable).
define c_pkgconfig
mkdir -p $(2) && for kind in shared static; do \
  name=userhash; libs='-L$${libdir} -luserhash'; private='Libs.private: $(C_STATIC_LIBS)'; \
  if [ $$kind = static ]; then name=userhash-static; libs='$${libdir}/libuserhash.a $(C_STATIC_LIBS)'; private=; fi; \
  printf '%s\n' 'prefix=$(1)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
    "Name: $$name" 'Description: Identity-verification hashes for chat widgets (C ABI of the userhash Rust core)' \
    'Version: $(C_VERSION)' "Libs: $$libs" $${private:+"$$private"} 'Cflags: -I$${includedir}' > $(2)/$$name.pc; \
done
endef

.PHONY: ensure-c c-lib c-header test-c test-c-readme test-c-asan test-c-asan-rust demo-c install
ensure-c:
	@$(ROOT)/scripts/ensure-apt.sh valgrind pkg-config gcc libc6-dev

c-lib:
	@$(CARGO) build -q --release -p userhash-c $(C_CARGO_FEATURES)
	@mkdir -p $(C_LIB)/pkgconfig $(C_OUT)/include
	@cp -f $(ROOT)/target/release/libuserhash_c.so $(C_LIB)/libuserhash.so.tmp && mv -f $(C_LIB)/libuserhash.so.tmp $(C_LIB)/libuserhash.so
	@cp -f $(ROOT)/target/release/libuserhash_c.a $(C_LIB)/libuserhash.a.tmp && mv -f $(C_LIB)/libuserhash.a.tmp $(C_LIB)/libuserhash.a
	@cp -f $(C_HEADER) $(C_OUT)/include/userhash.h
	@$(call c_pkgconfig,$(C_OUT),$(C_LIB)/pkgconfig)

c-header:
	USERHASH_WRITE_HEADER=1 $(CARGO) test -q -p userhash-c --test header

C_TEST_SRC := $(ROOT)/bindings-c/tests/test_userhash.c $(ROOT)/bindings-c/tests/bad_inputs.c $(ROOT)/bindings-c/tests/vectors.c
C_TEST_DEPS := $(C_TEST_SRC) $(ROOT)/bindings-c/tests/test_support.h $(C_HEADER)
C_TEST_CFLAGS := $(C_CFLAGS) -DUSERHASH_TEST_VERSION='"$(C_VERSION)"'
# The shared bad-input matrix, read by the C test program.
C_TEST_ENV := USERHASH_BAD_INPUTS=$(ROOT)/tests/bad-inputs/cases.json
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1

$(C_OUT)/test_userhash: $(C_TEST_DEPS) c-lib
	$(CC) $(C_TEST_CFLAGS) -I$(ROOT)/bindings-c/include -o $@ $(C_TEST_SRC) $(C_LIB)/libuserhash.a $(C_STATIC_LIBS)

$(C_OUT)/test_userhash_shared: $(C_TEST_DEPS) c-lib
	$(CC) $(C_TEST_CFLAGS) $$(PKG_CONFIG_PATH=$(C_LIB)/pkgconfig pkg-config --cflags userhash) -o $@ $(C_TEST_SRC) \
	  $$(PKG_CONFIG_PATH=$(C_LIB)/pkgconfig pkg-config --libs userhash) -Wl,-rpath,$(C_LIB)

test-c: ensure-c $(C_OUT)/test_userhash $(C_OUT)/test_userhash_shared test-c-readme
	$(CARGO) test -q -p userhash-c
	@echo "-- C tests (static library, under valgrind)"
	$(C_TEST_ENV) $(VALGRIND) $(C_OUT)/test_userhash
	@echo "-- C tests (shared library via pkg-config, under valgrind; multi-megabyte bad inputs skipped)"
	$(C_TEST_ENV) USERHASH_BAD_INPUTS_QUICK=1 $(VALGRIND) $(C_OUT)/test_userhash_shared

# The README's example program: the ```c block after <!-- c-readme-example -->, compiled
# with pkg-config as the README says and run under valgrind; its output must be the
# README's console lines (the hash there is the Node oracle's, as in test_userhash.c).
C_README := $(ROOT)/bindings-c/README.md
test-c-readme: ensure-c c-lib
	@awk '/<!-- c-readme-example -->/{m=1;next} m&&/^```c$$/{p=1;next} p&&/^```$$/{exit} p' $(C_README) > $(C_OUT)/readme_example.c
	@test -s $(C_OUT)/readme_example.c || { echo "test-c-readme: no example block in $(C_README)"; exit 1; }
	$(CC) $(C_CFLAGS) $(C_OUT)/readme_example.c $$(PKG_CONFIG_PATH=$(C_LIB)/pkgconfig pkg-config --cflags --libs userhash) \
	  -Wl,-rpath,$(C_LIB) -o $(C_OUT)/readme_example
	@want=$$(awk '/^\$$ WIDGET_SECRET=s3cr3t \.\/app$$/{getline; print; exit}' $(C_README)); \
	 got=$$(WIDGET_SECRET=s3cr3t $(VALGRIND) $(C_OUT)/readme_example); \
	 [ -n "$$want" ] && [ "$$got" = "$$want" ] || { echo "README example printed '$$got', README says '$$want'"; exit 1; }; \
	 want=$$(awk '/^\$$ \.\/app$$/{getline; print; exit}' $(C_README)); \
	 got=$$(env -u WIDGET_SECRET $(VALGRIND) $(C_OUT)/readme_example 2>&1 >/dev/null) && rc=0 || rc=$$?; \
	 [ "$$rc" = 1 ] && [ -n "$$want" ] && [ "$$got" = "$$want" ] || { echo "README example without a secret: rc $$rc, '$$got', README says '$$want'"; exit 1; }; \
	 echo "-- README example (bindings-c/README.md) under valgrind: ok"

# AddressSanitizer + UBSan on the C test program linked with the release library: every
# allocation (C's and Rust's, both through malloc) is tracked, leaks included; the Rust
# code itself is not instrumented (test-c-asan-rust does that).
test-c-asan: ensure-c c-lib
	$(CC) $(C_TEST_CFLAGS) $(ASAN_FLAGS) -I$(ROOT)/bindings-c/include -o $(C_OUT)/test_userhash_asan $(C_TEST_SRC) \
	  $(C_LIB)/libuserhash.a $(C_STATIC_LIBS)
	@echo "-- C tests under AddressSanitizer + UBSan"
	$(C_TEST_ENV) $(ASAN_ENV) $(C_OUT)/test_userhash_asan

# The library built by nightly rustc with -Zsanitizer=address (its own target dir, so
# the shared target/ is untouched); skipped when no nightly toolchain is installed.
test-c-asan-rust: ensure-c
	@if ! rustup run nightly rustc --version >/dev/null 2>&1; then \
	  echo "test-c-asan-rust: no nightly toolchain (rustup toolchain install nightly), skipped"; exit 0; fi; \
	RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes" $(CARGO) +nightly build -q --release -p userhash-c $(C_CARGO_FEATURES) \
	  --target x86_64-unknown-linux-gnu --target-dir $(C_OUT)/asan-target && \
	$(CC) $(C_TEST_CFLAGS) -fsanitize=address -fno-omit-frame-pointer -I$(ROOT)/bindings-c/include \
	  -o $(C_OUT)/test_userhash_asan_rust $(C_TEST_SRC) \
	  $(C_OUT)/asan-target/x86_64-unknown-linux-gnu/release/libuserhash_c.a $(C_STATIC_LIBS) && \
	echo "-- C tests under AddressSanitizer, Rust library instrumented" && \
	$(C_TEST_ENV) $(ASAN_ENV) $(C_OUT)/test_userhash_asan_rust

demo-c: $(C_OUT)/demo_userhash
	@echo "== c =="
	@$(C_OUT)/demo_userhash

$(C_OUT)/demo_userhash: $(ROOT)/bindings-c/tests/demo.c $(C_HEADER) c-lib
	$(CC) $(C_CFLAGS) -I$(ROOT)/bindings-c/include -o $@ $< $(C_LIB)/libuserhash.a $(C_STATIC_LIBS)

# make install PREFIX=/usr/local [DESTDIR=…]: include/userhash.h, lib/libuserhash.a,
# lib/libuserhash.so (SONAME libuserhash.so) and lib/pkgconfig/userhash{,-static}.pc for that
# prefix. It installs the release library staged in C_INSTALL_FROM (default build/dist/c, which
# `make dist-c-lib` builds for glibc 2.17; or an unpacked dist/c tarball) and builds nothing,
# so it runs without cargo.
PREFIX ?= /usr/local
C_INSTALL_FROM ?= $(ROOT)/build/dist/c
install:
	@test -f '$(C_INSTALL_FROM)/lib/libuserhash.so' -a -f '$(C_INSTALL_FROM)/lib/libuserhash.a' -a -f '$(C_INSTALL_FROM)/include/userhash.h' || \
	  { echo "install: no release library in $(C_INSTALL_FROM): run make dist-c-lib first (or pass C_INSTALL_FROM=<dir with lib/ and include/>)" >&2; exit 1; }
	install -d '$(DESTDIR)$(PREFIX)/include' '$(DESTDIR)$(PREFIX)/lib/pkgconfig'
	install -m 644 '$(C_INSTALL_FROM)/include/userhash.h' '$(DESTDIR)$(PREFIX)/include/userhash.h'
	install -m 644 '$(C_INSTALL_FROM)/lib/libuserhash.a' '$(DESTDIR)$(PREFIX)/lib/libuserhash.a'
	install -m 755 '$(C_INSTALL_FROM)/lib/libuserhash.so' '$(DESTDIR)$(PREFIX)/lib/libuserhash.so'
	@$(call c_pkgconfig,$(PREFIX),$(DESTDIR)$(PREFIX)/lib/pkgconfig)
	@echo "installed userhash $(C_VERSION) into $(DESTDIR)$(PREFIX) (pkg-config: userhash, userhash-static)"

ENSURE_TARGETS += ensure-c
TEST_TARGETS += test-c test-c-asan
DEMO_TARGETS += demo-c
