# C release artifact (issue 13): the library, header and pkg-config files in one tarball.
#
#   make dist-c       dist/c/userhash-<version>-linux-x86_64.tar.gz from the glibc 2.17 build
#                     of dist-c-lib (mk/dist.mk): userhash-<version>-linux-x86_64/{include/userhash.h,
#                     lib/libuserhash.a, lib/libuserhash.so (SONAME libuserhash.so),
#                     lib/pkgconfig/userhash{,-static}.pc (relocatable: prefix=${pcfiledir}/../..),
#                     README.md, LICENSE-MIT, LICENSE-APACHE}; unpack it anywhere and point
#                     PKG_CONFIG_PATH at its lib/pkgconfig, or
#                     `make install PREFIX=… C_INSTALL_FROM=<unpacked dir>`
#   make test-dist-c  with cargo off PATH, in a mktemp -d scratch dir: unpacks the tarball and
#                     installs it with `make install PREFIX=<scratch>`; for both, builds
#                     bindings-c/tests/dist/app.c with pkg-config (shared and static), runs it and
#                     checks its hash against Python's hmac (bindings-c/tests/dist/install.sh)
#
# (mk/dist.mk is read after this file: its variables are used in recipes only.)

C_DIST_NAME = userhash-$(C_VERSION)-linux-x86_64
C_DIST_TGZ = $(ROOT)/dist/c/$(C_DIST_NAME).tar.gz
C_DIST_STAGE = $(ROOT)/build/dist/c-stage/$(C_DIST_NAME)

.PHONY: dist-c test-dist-c
dist-c: dist-c-lib
	rm -rf $(C_DIST_STAGE) && mkdir -p $(C_DIST_STAGE)/include $(C_DIST_STAGE)/lib $(ROOT)/dist/c
	cp $(DIST_C)/include/userhash.h $(C_DIST_STAGE)/include/
	cp $(DIST_C)/lib/libuserhash.a $(DIST_C)/lib/libuserhash.so $(C_DIST_STAGE)/lib/
	cp $(ROOT)/bindings-c/README.md $(C_DIST_STAGE)/README.md
	cp $(ROOT)/LICENSE-MIT $(ROOT)/LICENSE-APACHE $(C_DIST_STAGE)/
	@$(call c_pkgconfig,$${pcfiledir}/../..,$(C_DIST_STAGE)/lib/pkgconfig)
	python3 $(ROOT)/scripts/check-elf.py $(C_DIST_STAGE)/lib
	# Reproducible: sorted names, no owners, a fixed mtime, gzip without a timestamp.
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C $(dir $(C_DIST_STAGE)) -cf - $(C_DIST_NAME) \
	  | gzip -n -9 > $(C_DIST_TGZ)
	@echo "wrote $(C_DIST_TGZ)"

test-dist-c: ensure-c
	@test -f $(C_DIST_TGZ) || { echo "test-dist-c: $(C_DIST_TGZ) is missing: make dist-c first" >&2; exit 1; }
	PATH='$(NO_CARGO_PATH)' bash $(ROOT)/bindings-c/tests/dist/install.sh $(C_DIST_TGZ) $(C_VERSION)

DIST_TARGETS += dist-c
TEST_DIST_TARGETS += test-dist-c
