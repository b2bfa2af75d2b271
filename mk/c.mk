# The C ABI (bindings-c): libuserhash.{so,a}, the cbindgen header, pkg-config, C tests.
#
#   make c-lib     build/c/{lib/libuserhash.so,lib/libuserhash.a,lib/pkgconfig/userhash.pc,include/userhash.h}
#   make c-header  regenerate bindings-c/include/userhash.h (commit it)
#   make test-c    header drift check + the C test program under valgrind

C_OUT := $(ROOT)/build/c
C_LIB := $(C_OUT)/lib
C_HEADER := $(ROOT)/bindings-c/include/userhash.h
# What a Rust staticlib needs from the system (rustc --print native-static-libs).
C_STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
CC ?= cc
C_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1
VALGRIND := valgrind --quiet --suppressions=$(ROOT)/bindings-c/tests/valgrind.supp --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=1

.PHONY: ensure-c c-lib c-header test-c demo-c
ensure-c:
	@$(ROOT)/scripts/ensure-apt.sh valgrind pkg-config gcc libc6-dev

c-lib:
	@$(CARGO) build -q --release -p userhash-c
	@mkdir -p $(C_LIB)/pkgconfig $(C_OUT)/include
	@cp -f $(ROOT)/target/release/libuserhash_c.so $(C_LIB)/libuserhash.so.tmp && mv -f $(C_LIB)/libuserhash.so.tmp $(C_LIB)/libuserhash.so
	@cp -f $(ROOT)/target/release/libuserhash_c.a $(C_LIB)/libuserhash.a.tmp && mv -f $(C_LIB)/libuserhash.a.tmp $(C_LIB)/libuserhash.a
	@cp -f $(C_HEADER) $(C_OUT)/include/userhash.h
	@printf '%s\n' \
	  'prefix=$(C_OUT)' \
	  'libdir=$${prefix}/lib' \
	  'includedir=$${prefix}/include' \
	  '' \
	  'Name: userhash' \
	  'Description: Identity-verification hashes for chat widgets (C ABI of the userhash Rust core)' \
	  'Version: $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(ROOT)/Cargo.toml | head -n 1)' \
	  'Libs: -L$${libdir} -luserhash' \
	  'Libs.private: $(C_STATIC_LIBS)' \
	  'Cflags: -I$${includedir}' > $(C_LIB)/pkgconfig/userhash.pc

c-header:
	USERHASH_WRITE_HEADER=1 $(CARGO) test -q -p userhash-c --test header

$(C_OUT)/test_userhash: $(ROOT)/bindings-c/tests/test_userhash.c $(C_HEADER) c-lib
	$(CC) $(C_CFLAGS) -I$(ROOT)/bindings-c/include -o $@ $< $(C_LIB)/libuserhash.a $(C_STATIC_LIBS)

$(C_OUT)/test_userhash_shared: $(ROOT)/bindings-c/tests/test_userhash.c $(C_HEADER) c-lib
	$(CC) $(C_CFLAGS) $$(PKG_CONFIG_PATH=$(C_LIB)/pkgconfig pkg-config --cflags userhash) -o $@ $< \
	  $$(PKG_CONFIG_PATH=$(C_LIB)/pkgconfig pkg-config --libs userhash) -Wl,-rpath,$(C_LIB)

test-c: ensure-c $(C_OUT)/test_userhash $(C_OUT)/test_userhash_shared
	$(CARGO) test -q -p userhash-c
	@echo "-- C tests (static library, under valgrind)"
	$(VALGRIND) $(C_OUT)/test_userhash
	@echo "-- C tests (shared library via pkg-config, under valgrind)"
	$(VALGRIND) $(C_OUT)/test_userhash_shared

demo-c: $(C_OUT)/demo_userhash
	@echo "== c =="
	@$(C_OUT)/demo_userhash

$(C_OUT)/demo_userhash: $(ROOT)/bindings-c/tests/demo.c $(C_HEADER) c-lib
	$(CC) $(C_CFLAGS) -I$(ROOT)/bindings-c/include -o $@ $< $(C_LIB)/libuserhash.a $(C_STATIC_LIBS)

ENSURE_TARGETS += ensure-c
TEST_TARGETS += test-c
DEMO_TARGETS += demo-c
